// SPDX-License-Identifier: GPL-2.0-only
/*
 * libFuzzer target: iSCSI key=value parsing and the target's negotiation.
 * The first byte picks the stage, leading flag and target configuration;
 * the rest is a data segment. The answer must stay within its buffer and
 * parse back as well-formed key=value pairs.
 */
#include <errno.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include "iscsi-scst/iscsi_params.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static struct iscsi_kv_list offers, back;
	static struct iscsi_negotiation neg;
	struct iscsi_tgt_params tp;
	char out[2048 + 1];
	size_t out_len = 0, cap;
	int ret, round;

	if (size < 1)
		return 0;
	iscsi_tgt_params_default(&tp);
	tp.hdigest_mask = (data[0] >> 4) & 3;
	tp.ddigest_mask = (data[0] >> 6) & 3;
	tp.auth_mask = 1 + (data[0] & 1);
	tp.target_alias = (data[0] & 2) ? "alias" : NULL;
	cap = (data[0] & 8) ? 64 : 2048;
	if (iscsi_kv_parse((const char *)data + 1, size - 1, &offers))
		return 0;
	iscsi_neg_init(&neg, &tp, data[0] & 4);
	/* Twice: the second round must find every known key a duplicate. */
	for (round = 0; round < 2; round++) {
		out[cap] = 0x5a;
		out_len = 0;
		ret = iscsi_params_negotiate(
		    &neg, (enum iscsi_neg_stage)((data[0] >> 1) % 3), &offers,
		    out, cap, &out_len);
		if (out_len > cap || out[cap] != 0x5a)
			__builtin_trap();
		if (ret && ret != -ENOSPC && ret != -EPROTO)
			__builtin_trap();
		if (!ret && iscsi_kv_parse(out, out_len, &back) &&
		    iscsi_kv_parse(out, out_len, &back) != -E2BIG)
			__builtin_trap();
	}
	return 0;
}
