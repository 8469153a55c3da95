/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * What vdisk_sbc.c and vdisk_sbc_thin.c share: a small engine that runs one
 * command as a sequence of backend I/Os (read, compare, write, discard)
 * with a buffer of its own, completing the command once at the end.
 *
 * A job's step function is called first from the command's exec and then
 * after every I/O that completed without error. It either fills j->io
 * (through vdisk_sbc_io()) and returns VDISK_SBC_SUBMIT, or sets the
 * command's status (nothing for GOOD) and returns VDISK_SBC_FINISH. A
 * failed I/O ends the job with the error mapped by vdisk_set_io_error(); an
 * aborted command ends it between I/Os. I/Os that complete inside
 * vdisk_io_submit() do not recurse: the engine loops instead.
 */
#ifndef VDISK_SBC_H
#define VDISK_SBC_H

#include "vdisk.h"
#include "vdisk_limits.h"

enum { VDISK_SBC_SUBMIT = 0, VDISK_SBC_FINISH = 1 };

/* The engine's own buffer never exceeds this (bytes). */
#define VDISK_SBC_CHUNK (1024u * 1024)
/* A job's buffer starts on a page, as the core's buffers do. */
#define VDISK_SBC_BUF_ALIGN 4096u

struct vdisk_sbc_job;
typedef int (*vdisk_sbc_step_fn)(struct vdisk_sbc_job *j);

struct vdisk_sbc_job {
	struct scst_cmd *cmd;
	struct vdisk_dev *vd;
	vdisk_sbc_step_fn step;
	struct vdisk_io io;
	scst_atomic_t sync; /* engine: who continues after a submit */
	int err;	    /* engine: result of the last I/O */

	/* The job's buffer, also as a one-entry sg list. */
	uint8_t *buf; /* on a page: direct I/O uses it without a bounce */
	uint32_t buf_len;
	void *buf_mem; /* the allocation buf lies in */
	struct scst_sg bsg;

	/* For the step functions. */
	int phase;
	uint64_t lba;  /* next block to do */
	uint64_t left; /* blocks still to do */
	uint64_t pos;  /* bytes done so far */
	uint32_t last; /* blocks of the I/O that just completed */
	uint8_t bytchk;
	bool fua;
	void *priv; /* owned by the step function; freed at the end */
	unsigned int idx, count;
};

/*
 * A job for @cmd with a zeroed buffer of @buf_len bytes (0: none). NULL when
 * out of memory, with BUSY set on the command.
 */
struct vdisk_sbc_job *vdisk_sbc_job_new(struct scst_cmd *cmd,
					struct vdisk_dev *vd,
					vdisk_sbc_step_fn step,
					uint32_t buf_len);
/* Run the job; the command completes through vdisk_cmd_done(). */
int vdisk_sbc_job_start(struct vdisk_sbc_job *j);

/* Fill j->io for @op over @nblocks blocks at @lba; @sg NULL: the job's
 * buffer. */
void vdisk_sbc_io(struct vdisk_sbc_job *j, enum vdisk_io_op op, uint64_t lba,
		  uint64_t nblocks, struct scst_sg *sg, unsigned int sg_cnt,
		  uint32_t sg_off);

/* The command's data buffer: compare @len bytes from @off with @buf.
 * Returns true when equal; else *@diff is the first differing byte. */
bool vdisk_sbc_cmp(struct scst_cmd *cmd, uint32_t off, const uint8_t *buf,
		   uint32_t len, uint32_t *diff);

/* RDPROTECT/WRPROTECT/VRPROTECT: no protection information here. */
bool vdisk_sbc_check_protect(struct scst_cmd *cmd);

/* Whether writes of this command must be durable before completion. */
bool vdisk_sbc_fua(struct scst_cmd *cmd, struct vdisk_dev *vd);

/* Number of blocks, read under the device lock. */
uint64_t vdisk_sbc_nblocks(struct vdisk_dev *vd);

/* vdisk_sbc_thin.c */
int vdisk_sbc_write_same(struct scst_cmd *cmd, struct vdisk_dev *vd);
int vdisk_sbc_unmap(struct scst_cmd *cmd, struct vdisk_dev *vd);
int vdisk_sbc_get_lba_status(struct scst_cmd *cmd, struct vdisk_dev *vd);

#endif /* VDISK_SBC_H */
