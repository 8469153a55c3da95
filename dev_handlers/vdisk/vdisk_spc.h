/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * What the two halves of the SPC emulation share: vdisk_spc.c (INQUIRY,
 * REPORT SUPPORTED OPERATION CODES / TASK MANAGEMENT FUNCTIONS, TEST UNIT
 * READY, ...) and vdisk_spc_mode.c (MODE SENSE and MODE SELECT).
 */
#ifndef VDISK_SPC_H
#define VDISK_SPC_H

#include "vdisk.h"

/* MODE SENSE(6) and MODE SENSE(10). */
int vdisk_spc_mode_sense(struct scst_cmd *cmd, struct vdisk_dev *vd);
/* MODE SELECT(6) and MODE SELECT(10). */
int vdisk_spc_mode_select(struct scst_cmd *cmd, struct vdisk_dev *vd);

static inline bool vdisk_spc_is_disk(const struct vdisk_dev *vd)
{
	return vd->kind != VDISK_CDROM;
}

/* The task set type of the control mode page: the core keeps it. */
static inline uint8_t vdisk_spc_tst(const struct vdisk_dev *vd)
{
	return (uint8_t)scst_dev_tst(vd->dev);
}

#endif /* VDISK_SPC_H */
