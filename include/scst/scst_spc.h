/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Small builders of SPC-4 data that every emulating device handler
 * writes: ASCII fields padded with blanks (INQUIRY, VPD pages, medium
 * auxiliary memory), designation descriptor headers of the device
 * identification VPD page (83h), and version descriptors. Header only and
 * freestanding.
 */
#ifndef SCST_SPC_H
#define SCST_SPC_H

#include <stddef.h>
#include <stdint.h>
#include <string.h>

/* Version descriptors (SPC-4 table E.18). */
#define SCST_VERSION_SAM5  0x00a0
#define SCST_VERSION_SPC4  0x0460
#define SCST_VERSION_SBC3  0x04c0
#define SCST_VERSION_MMC6  0x04e0
#define SCST_VERSION_SMC3  0x0480
#define SCST_VERSION_ISCSI 0x0960

/* Designation descriptors (SPC-4 7.8.6.1): code set, association, type. */
#define SCST_DESIG_CODE_BINARY	  0x01
#define SCST_DESIG_CODE_ASCII	  0x02
#define SCST_DESIG_T10_VENDOR	  0x01
#define SCST_DESIG_EUI64	  0x02
#define SCST_DESIG_NAA		  0x03
#define SCST_DESIG_REL_TGT_PORT	  0x04
#define SCST_DESIG_TGT_PORT_GROUP 0x05
#define SCST_DESIG_ASSOC_LU	  0x00
#define SCST_DESIG_ASSOC_TGT_PORT 0x10

/* @s copied into @dst and padded with blanks to @len bytes. */
static inline void scst_spc_pad(uint8_t *dst, const char *s, size_t len)
{
	size_t n = strnlen(s, len);

	memcpy(dst, s, n);
	memset(dst + n, ' ', len - n);
}

/* One designation descriptor header at @p; returns where its data go. */
static inline uint8_t *scst_spc_desig(uint8_t *p, uint8_t code_set,
				      uint8_t assoc_type, uint8_t len)
{
	p[0] = code_set;
	p[1] = assoc_type;
	p[2] = 0;
	p[3] = len;
	return p + 4;
}

#endif /* SCST_SPC_H */
