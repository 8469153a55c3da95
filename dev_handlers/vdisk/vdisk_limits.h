/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Limits of the vdisk SBC emulation, shared by the code that enforces them
 * (vdisk_sbc.c, vdisk_sbc_thin.c) and the code that reports them in the
 * Block Limits VPD page B0h, the Logical Block Provisioning VPD page B2h
 * and READ CAPACITY(16) (vdisk_spc.c, vdisk_sbc.c). Change a number here and
 * both sides follow.
 *
 * Counts are in logical blocks unless the name says bytes.
 */
#ifndef VDISK_LIMITS_H
#define VDISK_LIMITS_H

#include <stdint.h>

#include "scst/scst.h"

/*
 * The largest data buffer of one command is the core's SCST_MAX_BUFFLEN
 * (include/scst/scst_opcode.h), which refuses longer transfers with INVALID
 * FIELD IN CDB. B0h MAXIMUM TRANSFER LENGTH is it divided by the block
 * size (vdisk_max_xfer_blocks()).
 */

/* B0h MAXIMUM COMPARE AND WRITE LENGTH (byte 5): blocks per COMPARE AND
 * WRITE; longer ones get INVALID FIELD IN CDB. */
/* Below 255 so that "one block more than the limit" can be expressed in
 * the one-byte NUMBER OF LOGICAL BLOCKS of COMPARE AND WRITE. */
#define VDISK_MAX_CAW_LEN 128u

/* B0h MAXIMUM WRITE SAME LENGTH (bytes 36-43): blocks per WRITE SAME,
 * with or without UNMAP; longer ones get INVALID FIELD IN CDB. */
#define VDISK_MAX_WRITE_SAME_LEN 0x100000u

/*
 * B0h WSNZ (byte 4 bit 0): a WRITE SAME with NUMBER OF LOGICAL BLOCKS zero
 * is refused with INVALID FIELD IN CDB (it is not taken as "to the end of
 * the medium").
 */
#define VDISK_WSNZ 1

/* B0h MAXIMUM UNMAP LBA COUNT (bytes 20-23): the sum of the NUMBER OF
 * LOGICAL BLOCKS of one UNMAP's descriptors; over it: INVALID FIELD IN
 * PARAMETER LIST. */
/* libiscsi wants at most 1M with LBPU. */
#define VDISK_MAX_UNMAP_LBA_COUNT 0x100000u

/* B0h MAXIMUM UNMAP BLOCK DESCRIPTOR COUNT (bytes 24-27); over it: INVALID
 * FIELD IN PARAMETER LIST. */
#define VDISK_MAX_UNMAP_DESC 256u

/*
 * B0h OPTIMAL UNMAP GRANULARITY (bytes 28-31): file holes are whole pages,
 * so unmapping less than this many bytes (aligned) zeroes the blocks but
 * leaves them mapped. In blocks: vdisk_unmap_granularity(). UNMAP
 * GRANULARITY ALIGNMENT is 0 (UGAVALID 1).
 */
#define VDISK_UNMAP_GRANULARITY_BYTES 4096u

/*
 * Thin provisioning (thin_provisioned=1): B2h LBPU=1, LBPWS=1, LBPWS10=1,
 * LBPRZ=1 (unmapped blocks read zeros), ANC_SUP=0, PROVISIONING TYPE 010b
 * (thin); READ CAPACITY(16) LBPME=1 and LBPRZ=1. Without it all are zero
 * and UNMAP is INVALID COMMAND OPERATION CODE.
 */
#define VDISK_LBPRZ 1

/* GET LBA STATUS returns at most this many descriptors per command. */
#define VDISK_GET_LBA_STATUS_MAX_DESC 128u

static inline uint32_t vdisk_max_xfer_blocks(uint32_t block_size)
{
	return block_size ? SCST_MAX_BUFFLEN / block_size : 0;
}

static inline uint32_t vdisk_unmap_granularity(uint32_t block_size)
{
	if (!block_size || block_size >= VDISK_UNMAP_GRANULARITY_BYTES)
		return 1;
	return VDISK_UNMAP_GRANULARITY_BYTES / block_size;
}

#endif /* VDISK_LIMITS_H */
