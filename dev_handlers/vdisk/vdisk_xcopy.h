/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * The copy manager of the vdisk disks (vdisk_xcopy.c): EXTENDED COPY (LID1)
 * and RECEIVE COPY RESULTS. Its limits, for whoever reports them elsewhere
 * (the Third-party Copy VPD page), and the hook the framework calls when a
 * device goes away.
 */
#ifndef VDISK_XCOPY_H
#define VDISK_XCOPY_H

#include "vdisk.h"

/* RECEIVE COPY RESULTS, OPERATING PARAMETERS. */
#define VDISK_XCOPY_MAX_TGT_DESC 16u /* CSCD descriptors per list */
#define VDISK_XCOPY_MAX_SEG_DESC 64u /* segment descriptors per list */
/* Target descriptors are 32 bytes, block-to-block segments 28. */
#define VDISK_XCOPY_MAX_DESC_LIST_LEN                                          \
	(VDISK_XCOPY_MAX_TGT_DESC * 32u + VDISK_XCOPY_MAX_SEG_DESC * 28u)
/* One segment moves at most 65535 blocks; with 4096-byte blocks: */
#define VDISK_XCOPY_MAX_SEG_BYTES (65535u * 4096u)
/* Copies running at once on one copy manager (device). */
#define VDISK_XCOPY_MAX_CONCURRENT 16u
/* Bytes moved per backend I/O. */
#define VDISK_XCOPY_CHUNK (1024u * 1024u)

/*
 * Free what vdisk_xcopy.c keeps in vd->xcopy_priv (the held copy results).
 * Call it once no command can reach @vd any more (after
 * scst_unregister_virtual_device()); it may be called more than once.
 */
void vdisk_xcopy_dev_free(struct vdisk_dev *vd);

#endif /* VDISK_XCOPY_H */
