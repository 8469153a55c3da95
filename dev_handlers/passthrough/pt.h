/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * SCSI pass-through: the handlers dev_disk, dev_tape, dev_changer and
 * dev_cdrom (SCST's names) over a real device, shared by many
 * initiators. One module registers the four; doc/passthrough.md.
 */
#ifndef PT_H
#define PT_H

#include "scst/scst.h"

struct pt_backend_ops;

extern const struct scst_module pt_module;

/*
 * Before the module starts (tests): the backend (default: Linux SG) and
 * the sysfs root the devices are found under (default "/sys").
 */
void pt_set_backend(const struct pt_backend_ops *ops);
int pt_set_sysfs_root(const char *root);

#endif /* PT_H */
