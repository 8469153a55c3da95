/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * The vdisk module as programs (scstd) and tests see it: the module for
 * their module table, and the hooks tests use.
 */
#ifndef VDISK_MODULE_H
#define VDISK_MODULE_H

#include "dev_handlers/vdisk/vdisk.h"

/* Registers vdisk_fileio, vdisk_blockio, vdisk_nullio and vcdrom. */
extern const struct scst_module vdisk_module;

/*
 * Fault injection: the next @count backend I/Os of @op on @dev (a vdisk
 * device) fail with @err (a negative errno) without reaching the backend;
 * @count -1 fails them until the next call; 0 turns injection off.
 * Returns 0, or -EINVAL when @dev is not a vdisk device or @err is not
 * negative.
 */
int vdisk_set_fault(struct scst_device *dev, enum vdisk_io_op op, int err,
		    int count);

/* Backend I/Os of @dev started and not yet done (tests wait for 0). */
int vdisk_inflight(struct scst_device *dev);

#endif /* VDISK_MODULE_H */
