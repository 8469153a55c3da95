/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * scst_null: a disk with no storage behind it. Reads return zeros, writes
 * are dropped, every LBA is checked against its size. For tests of the
 * core and as a benchmark sink; vdisk_nullio is the user-facing handler.
 * Test hooks: complete from another thread (ASYNC), or hold every media
 * command in execution until the test releases it (HOLD).
 */
#ifndef SCST_NULL_H
#define SCST_NULL_H

#include "scst/scst.h"

extern const struct scst_module scst_null_module;

#define SCST_NULL_F_ASYNC 0x1 /* complete from a work queue */
#define SCST_NULL_F_HOLD  0x2 /* park media commands in exec */

struct scst_null_params {
	uint32_t block_size; /* 512, 1024, 2048 or 4096 */
	uint64_t nblocks;
	unsigned int flags;
};

int scst_null_add(const char *name, const struct scst_null_params *p,
		  struct scst_device **out);
void scst_null_del(struct scst_device *dev);
void scst_null_set_flags(struct scst_device *dev, unsigned int flags);
/* Commands parked by HOLD right now. */
unsigned int scst_null_held(struct scst_device *dev);
/* Complete up to @max parked commands; returns how many. */
unsigned int scst_null_release(struct scst_device *dev, unsigned int max);
/* Commands executed (exec called) since the device was added. */
uint64_t scst_null_executed(struct scst_device *dev);

#endif /* SCST_NULL_H */
