// SPDX-License-Identifier: GPL-2.0-only
/*
 * CRC32C with ISA-L. crc32_iscsi(buf, len, init) runs the reflected
 * Castagnoli CRC from @init without the final complement, so the finished
 * CRC is ~crc32_iscsi(buf, len, ~seed).
 */
#include <isa-l/crc.h>

#include "scst/os.h"

uint32_t scst_os_crc32c(uint32_t seed, const void *buf, size_t len)
{
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
