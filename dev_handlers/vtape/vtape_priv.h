/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Inside the vtape drive handler: the drive, its command queue and the
 * split between files.
 *
 *   vtape_main.c  the handler type, add_device/del_device, attributes, the
 *                 drive's thread and queue, the calls of vtape.h
 *   vtape_ssc.c   SSC-3 commands that move the medium or data: READ,
 *                 WRITE, WRITE FILEMARKS, SPACE, LOCATE, READ POSITION,
 *                 REWIND, LOAD UNLOAD, ERASE
 *   vtape_spc.c   identification and parameters: INQUIRY, MODE SENSE and
 *                 SELECT, LOG SENSE, READ ATTRIBUTE, READ BLOCK LIMITS,
 *                 REPORT DENSITY SUPPORT, TEST UNIT READY, PREVENT ALLOW
 *
 * Threads. Every command that looks at the medium runs on the drive's own
 * thread (one per drive), in the order exec() received them, so blocking
 * file I/O never holds a core worker and a tape sees one command at a
 * time, as a real drive does. INQUIRY and REPORT SUPPORTED OPERATION
 * CODES run at once on the worker. The cartridge and the drive's mode
 * are touched only by the drive's thread; what other threads read (the
 * changer's questions, attributes) is mirrored under @lock.
 *
 * Position, block size and density are state of the drive, shared by
 * every initiator, as on real hardware: an initiator that wants a known
 * position locates or rewinds first (or reserves the drive).
 */
#ifndef VTAPE_PRIV_H
#define VTAPE_PRIV_H

#include <stdbool.h>
#include <stdint.h>

#include "dev_handlers/vtape/vtape.h"
#include "dev_handlers/vtape/vtape_cart.h"
#include "scst/os.h"
#include "scst/scst.h"

#define VTAPE_PATH_MAX	  4096
#define VTAPE_NAME_MAX	  64
#define VTAPE_DENSITY	  0x80 /* vendor-specific density (SSC: 80h-FFh) */
#define VTAPE_DEF_VENDOR  "SCST_VT"
#define VTAPE_DEF_PRODUCT "VTAPE"
#define VTAPE_REV	  "0100"
/* Mode parameter header: buffered mode 1 (SSC-3 8.3.1). */
#define VTAPE_BUFFERED 0x10

/* TapeAlert flags (SSC-3 annex A) the drive raises. */
#define VTAPE_TA_READ_WARNING  1  /* 01h: read warning */
#define VTAPE_TA_MEDIA	       4  /* 04h: media (damaged cartridge) */
#define VTAPE_TA_WRITE_PROTECT 9  /* 09h: write protect */
#define VTAPE_TA_NO_REMOVAL    10 /* 0Ah: no removal (prevented) */

/* A queued request: a command, or a load/unload from the changer. */
struct vtape_req {
	struct scst_list_head entry;
	struct scst_cmd *cmd; /* NULL: a changer request */
	/* changer requests */
	bool put;
	char path[VTAPE_PATH_MAX];
	char barcode[VTAPE_BARCODE_LEN + 1];
	vtape_done_fn done;
	void *arg;
};

struct vtape_drive {
	struct scst_list_head entry; /* in the module's list */
	struct scst_device *dev;
	char name[VTAPE_NAME_MAX];
	char media_dir[VTAPE_PATH_MAX];
	char initial_cart[VTAPE_BARCODE_LEN + 1]; /* add_device cartridge= */
	struct vtape_ident id;
	uint8_t naa[16];

	/* The drive's thread and its queue (under @lock). */
	struct scst_workqueue *wq;
	struct scst_work work;
	struct scst_list_head queue;

	/* Mirrors for other threads, under @lock. */
	struct scst_spinlock lock;
	bool has_cart; /* a cartridge is in the drive */
	bool loaded;   /* ... and loaded (ready) */
	char barcode[VTAPE_BARCODE_LEN + 1];
	uint64_t pos_mirror; /* for the position attribute */

	/* Drive thread only. */
	char cart_path[VTAPE_PATH_MAX];
	struct vtape_store store;
	struct vtape_cart *cart;
	bool cart_ro;	     /* the file or its tab is write-protected */
	uint32_t block_size; /* 0: variable block mode */
	uint8_t density;
	bool dirty;	 /* written since the last sync */
	uint8_t *bounce; /* VTAPE_MAX_BLOCK bytes */
	/* LOG SENSE 0Ch counters, since the last load. */
	uint64_t bytes_from_ini, bytes_to_medium, bytes_from_medium,
	    bytes_to_ini;
	uint64_t tapealert; /* bit n-1: flag n set, cleared when read */
};

static inline struct vtape_drive *vtape_drv(struct scst_device *dev)
{
	return (struct vtape_drive *)scst_dev_get_dh_priv(dev);
}

/* vtape_main.c */
extern struct scst_dev_type vtape_devtype;
bool vtape_prevented(struct vtape_drive *d);
/* Medium state changes, on the drive's thread. */
/* Load: every nexus but @except (NULL: all) gets 28h/00h. */
int vtape_load_cart(struct vtape_drive *d, const char *path,
		    const char *barcode, struct scst_tgt_dev *except);
void vtape_unload_cart(struct vtape_drive *d, bool release);
void vtape_mirror_pos(struct vtape_drive *d);

/*
 * The opcodes the drive's thread runs (besides INQUIRY and REPORT
 * SUPPORTED OPERATION CODES, answered at once): what the drive supports.
 */
bool vtape_queued_opcode(uint8_t op);

/* vtape_ssc.c: true if it handled the opcode. */
bool vtape_ssc_exec(struct vtape_drive *d, struct scst_cmd *cmd);
/* NOT READY, MEDIUM NOT PRESENT / ... unless the medium is ready. */
bool vtape_check_ready(struct vtape_drive *d, struct scst_cmd *cmd);
/* Flush what was written (synchronizing operations). */
int vtape_sync(struct vtape_drive *d);

/* vtape_spc.c */
bool vtape_spc_exec(struct vtape_drive *d, struct scst_cmd *cmd);
/* Commands answered on the worker, without the drive's thread. */
bool vtape_spc_exec_inline(struct vtape_drive *d, struct scst_cmd *cmd);

#endif /* VTAPE_PRIV_H */
