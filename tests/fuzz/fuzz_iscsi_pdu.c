// SPDX-License-Identifier: GPL-2.0-only
/*
 * libFuzzer target: the iSCSI receive state machine. The first bytes pick
 * the phase, digests, limits and a chunk size; the rest is the stream. A
 * PDU handed out must respect the limits, and the receiver's data buffer
 * never grows beyond the padded limit.
 */
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include "scst/os.h"
#include "iscsi-scst/iscsi_pdu.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct iscsi_pdu_limits lim;
	struct iscsi_rx rx;
	size_t pos = 4, chunk;

	if (size < 4)
		return 0;
	lim.max_recv_dsl = 512u + ((uint32_t)data[1] << 6); /* 512..16832 */
	lim.max_ahs_len = (data[2] & 0x3f) * 4u;
	chunk = 1 + data[3] * 8u;
	iscsi_rx_init(&rx, (enum iscsi_phase)(data[0] % 3), &lim, data[0] & 0x4,
		      data[0] & 0x8);
	rx.parse_flags = (data[0] & 0x10) ? ISCSI_PARSE_STRICT : 0;
	if (data[0] & 0x20)
		iscsi_pdu_login_limits(&rx.limits);
	while (pos < size) {
		size_t n = size - pos < chunk ? size - pos : chunk;
		const struct iscsi_rx_pdu *pdu;

		pos += iscsi_rx_feed(&rx, data + pos, n);
		if (rx.state == ISCSI_RX_ERROR)
			break;
		if (rx.data_cap > iscsi_pad4(rx.limits.max_recv_dsl))
			__builtin_trap();
		pdu = iscsi_rx_pdu(&rx);
		if (pdu) {
			volatile uint8_t sink = 0;
			uint32_t i;

			if (pdu->info.data_len > rx.limits.max_recv_dsl ||
			    pdu->info.ahs_len > rx.limits.max_ahs_len)
				__builtin_trap();
			for (i = 0; i < pdu->info.data_len; i++)
				sink ^= pdu->data[i];
			for (i = 0; i < pdu->info.ahs_len; i++)
				sink ^= pdu->ahs[i];
			(void)sink;
			iscsi_rx_next(&rx);
		}
	}
	iscsi_rx_destroy(&rx);
	return 0;
}
