// SPDX-License-Identifier: GPL-2.0-only
/*
 * CRC32C for the iSCSI digests, with ISA-L.
 *
 * ISA-L's crc32_iscsi(buf, len, init) runs the reflected Castagnoli CRC
 * from @init and returns the register without the final complement:
 * crc32_iscsi(32 zero bytes, 32, 0xffffffff) is 0x756ec955, the complement
 * of RFC 7143 appendix B.4's 0x8a9136aa. So the finished CRC is
 * ~crc32_iscsi(buf, len, ~seed), and a finished CRC used as @seed chains.
 */
#include <stddef.h>
#include <stdint.h>

#include <isa-l/crc.h>

#include "iscsi-scst/iscsi_pdu.h"

uint32_t iscsi_crc32c(uint32_t seed, const void *buf, size_t len)
{
	/* crc32_iscsi() takes a non-const pointer and an int length. */
	unsigned char *p = (unsigned char *)(uintptr_t)buf;
	uint32_t crc = ~seed;

	while (len) {
		int n = len > 0x40000000 ? 0x40000000 : (int)len;

		crc = crc32_iscsi(p, n, crc);
		p += n;
		len -= (size_t)n;
	}
	return ~crc;
}
