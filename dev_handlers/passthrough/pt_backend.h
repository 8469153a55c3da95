/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * The pass-through handlers' view of a real SCSI device: an ops table so
 * that the handler logic (pt_main.c) runs the same over Linux SG
 * (pt_sg.c) and over the emulated device of the unit tests.
 *
 * Rules every backend keeps:
 *  - submit() returns 0 and then calls the done callback exactly once for
 *    that request, from any thread but never from inside submit(); or it
 *    returns a negative errno and never calls it (-ENODEV, -ENXIO: the
 *    device is gone);
 *  - a request the device holds is answered only by the device (or with
 *    err -ENODEV when the device is gone and can no longer answer);
 *  - close() is called with no request in flight.
 */
#ifndef PT_BACKEND_H
#define PT_BACKEND_H

#include <stdbool.h>
#include <stdint.h>

#include "scst/list.h"
#include "scst/scst.h"

/* Linux host_status values a backend reports (scsi.h DID_*). */
#define PT_DID_OK		   0x00
#define PT_DID_NO_CONNECT	   0x01
#define PT_DID_BUS_BUSY		   0x02
#define PT_DID_TIME_OUT		   0x03
#define PT_DID_BAD_TARGET	   0x04
#define PT_DID_ABORT		   0x05
#define PT_DID_RESET		   0x08
#define PT_DID_SOFT_ERROR	   0x0b
#define PT_DID_IMM_RETRY	   0x0c
#define PT_DID_REQUEUE		   0x0d
#define PT_DID_TRANSPORT_DISRUPTED 0x0e
/* driver_status: DRIVER_SENSE only says sense is there. */
#define PT_DRIVER_SENSE	  0x08
#define PT_DRIVER_TIMEOUT 0x06
#define PT_DRIVER_MASK	  0x0f

struct pt_backend;

struct pt_req {
	/* ---- set by the handler ---- */
	const uint8_t *cdb;
	unsigned int cdb_len;
	enum scst_data_direction dir;
	const struct scst_sg *sg; /* the command's buffer */
	unsigned int sg_cnt;
	uint32_t len;		 /* bytes to move (0: none) */
	unsigned int timeout_ms; /* from the opcode row's timeout class */
	void *priv;		 /* the handler's (its scst_cmd) */
	bool internal;		 /* the handler's own command */

	/* ---- results, valid in the done callback ---- */
	int err;	/* 0, or a negative errno: no SCSI answer at all */
	uint8_t status; /* SAM status byte */
	uint8_t host_status;
	uint8_t driver_status;
	uint8_t sense[SCST_SENSE_BUFFERSIZE];
	unsigned int sense_len;
	int32_t resid; /* bytes not moved */

	/* ---- owned by the backend ---- */
	struct scst_list_head entry;
	int pack_id;
	/* Room for the iovec of the buffer (kept while at the device). */
	void *be_space[2 * SCST_SG_MAX];
};

typedef void (*pt_done_fn)(struct pt_backend *b, struct pt_req *r);

struct pt_backend {
	const struct pt_backend_ops *ops;
	pt_done_fn done; /* set by open() from its argument */
	void *owner;	 /* the handler's device */
};

struct pt_backend_ops {
	const char *name;
	/* Module start/stop (the completion thread). Optional. */
	int (*init)(void);
	void (*exit)(void);
	/* Open the device at @path (e.g. /dev/sg3). */
	int (*open)(const char *path, pt_done_fn done, void *owner,
		    struct pt_backend **out);
	void (*close)(struct pt_backend *b);
	int (*submit)(struct pt_backend *b, struct pt_req *r);
	/* LUN reset of the device (SG_SCSI_RESET_DEVICE); may block. */
	int (*reset)(struct pt_backend *b);
	/* Largest transfer of one command in bytes (0: unknown). */
	uint32_t (*max_transfer)(struct pt_backend *b);
};

/* The Linux SCSI generic backend (pt_sg.c). */
extern const struct pt_backend_ops pt_sg_ops;
/*
 * The sg backend on an open descriptor @fd (taken over, closed by
 * close()), without the sg checks of open(): the unit tests attach a
 * pipe to drive the completion thread without a device.
 */
int pt_sg_attach_fd(int fd, pt_done_fn done, void *owner,
		    struct pt_backend **out);

#endif /* PT_BACKEND_H */
