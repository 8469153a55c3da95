// SPDX-License-Identifier: GPL-2.0-only
/*
 * CRC32C for the iSCSI digests (RFC 7143 appendix B.4): the platform's
 * (scst_os_crc32c, ISA-L in user space), which both scstd and the login
 * daemon link.
 */
#include <stddef.h>
#include <stdint.h>

#include "iscsi-scst/iscsi_pdu.h"
#include "scst/os.h"

uint32_t iscsi_crc32c(uint32_t seed, const void *buf, size_t len)
{
	return scst_os_crc32c(seed, buf, len);
}
