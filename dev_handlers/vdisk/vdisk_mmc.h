/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * What vdisk_mmc.c (the MMC emulation of vcdrom) needs from the framework
 * that owns the medium state (vdisk_main.c / vdisk_attrs.c).
 */
#ifndef VDISK_MMC_H
#define VDISK_MMC_H

#include "vdisk.h"

/*
 * The medium of @vd was inserted (@present true) or removed through the
 * filename attribute. Call it after vd->media_present has been updated,
 * without vd->lock held. It records the media class event that GET EVENT
 * STATUS NOTIFICATION reports next (NewMedia or MediaRemoval); unit
 * attentions stay the caller's job (28h/00h on insertion).
 */
void vdisk_mmc_media_changed(struct vdisk_dev *vd, bool present);

/*
 * Largest medium reported as a CD-ROM (profile 0008h): an 80-minute disc
 * of 2048-byte blocks. Anything larger is a DVD-ROM (profile 0010h).
 */
#define VDISK_MMC_CD_MAX_BLOCKS (80u * 60 * 75)

#endif /* VDISK_MMC_H */
