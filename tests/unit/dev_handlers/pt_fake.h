/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * A fake pass-through backend for the unit tests: SCSI devices emulated
 * in memory behind struct pt_backend_ops, named by their sg node, and a
 * fake sysfs tree in a temporary directory that pt_sysfs.c finds them in.
 * A device answers a few commands itself (READ CAPACITY, MODE SENSE with
 * a block descriptor, INQUIRY VPD B0h, reads with a pattern), takes a
 * scripted answer for the next command of one opcode (status, sense,
 * residual, host status, errno), can hold commands until released, and
 * can disappear (ENODEV).
 */
#ifndef PT_FAKE_H
#define PT_FAKE_H

#include <stdbool.h>
#include <stdint.h>

#include "dev_handlers/passthrough/pt_backend.h"

struct fk_script {
	bool set;
	uint8_t opcode;
	uint8_t status;
	uint8_t sense[32];
	unsigned int sense_len;
	int32_t resid;
	uint8_t host_status;
	int err;
};

struct fk_dev {
	char sg[16];
	uint32_t block_size;	 /* READ CAPACITY / MODE SENSE answer */
	uint32_t max_transfer;	 /* the backend's limit, bytes */
	uint32_t vpd_max_blocks; /* VPD B0h MAXIMUM TRANSFER LENGTH */
	struct fk_script script;
	bool hold; /* keep commands until fk_release() */
	bool gone;
	/* counters */
	unsigned int submitted, resets, held;
	uint8_t last_cdb[16];
	struct pt_backend *be;
};

extern const struct pt_backend_ops fk_ops;

/* Up to 4 devices; fk_reset_all() forgets them. */
struct fk_dev *fk_add(const char *sg, uint32_t block_size);
void fk_reset_all(void);
/* Answer every held command (GOOD, or the script). */
unsigned int fk_release(struct fk_dev *f);
/* The device disappears: held commands get ENODEV, later ones too. */
void fk_remove(struct fk_dev *f);
unsigned int fk_held(struct fk_dev *f);

/*
 * A fake sysfs tree under @root: LU @hctl of @type with sg node @sg and,
 * if @blk is not NULL, block device @blk with @max_kb max_sectors_kb.
 */
int fk_sysfs_add(const char *root, const char *hctl, int type, const char *sg,
		 const char *blk, unsigned int max_kb);

#endif /* PT_FAKE_H */
