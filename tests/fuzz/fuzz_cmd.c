// SPDX-License-Identifier: GPL-2.0-only
/*
 * libFuzzer target: whole commands through a running engine. The input is
 * a LUN selector, a task attribute, an expected length and direction, and
 * a CDB, sent through the loopback transport to a null disk (and to
 * unmapped LUNs). Every command must come back exactly once with a valid
 * SAM status, and the engine must stay up. Reservations the fuzzer makes
 * (RESERVE, PERSISTENT RESERVE OUT) stay between inputs, so RESERVATION
 * CONFLICT is one of the valid answers.
 */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "dev_handlers/scst_null.h"
#include "scst/os.h"
#include "scst_local/scst_local.h"

int LLVMFuzzerInitialize(int *argc, char ***argv);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static struct scst_local_sess *fz_sess;

static const struct scst_module *const fz_mods[] = {
    &scst_local_module,
    &scst_null_module,
};

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
	struct scst_core_params p = {.threads = 1};
	struct scst_null_params np = {.block_size = 512, .nblocks = 1024};
	struct scst_device *dev;
	struct scst_tgt *tgt;

	(void)argc;
	(void)argv;
	scst_log_set_level(SCST_LOG_ERR);
	if (scst_core_init(&p) || scst_modules_init(fz_mods, 2) ||
	    scst_null_add("fz0", &np, &dev) ||
	    scst_local_add_target("fz", &tgt) ||
	    scst_acg_add_lun(scst_tgt_default_acg(tgt), dev, 0, false) ||
	    scst_acg_add_lun(scst_tgt_default_acg(tgt), dev, 300, true) ||
	    scst_local_sess_open(tgt, "iqn.fuzz:ini", 0, &fz_sess))
		abort();
	return 0;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static uint8_t in[64 * 1024], out[64 * 1024];
	static const uint64_t luns[] = {0, 300, 1, 16383};
	struct scst_local_req r;

	if (size < 4 || size > 4 + 16)
		return 0;
	memset(&r, 0, sizeof(r));
	r.lun = luns[data[0] & 3];
	r.queue_type = (enum scst_cmd_queue_type)((data[0] >> 2) % 5);
	r.exp_set = data[1] & 0x80;
	r.exp_dir = (enum scst_data_direction)((data[1] >> 5) & 3);
	r.exp_len = (uint32_t)(data[1] & 0x1f) << 11 | data[2] << 3;
	if (r.exp_len > sizeof(out))
		r.exp_len = sizeof(out);
	r.cdb_len = (unsigned int)(size - 4);
	memcpy(r.cdb, data + 4, r.cdb_len);
	r.data_out = out;
	r.data_out_len = sizeof(out);
	r.data_in = in;
	r.data_in_size = sizeof(in);
	r.tag = data[3];
	if (r.cdb_len == 0)
		return 0;
	if (scst_local_exec(fz_sess, &r))
		abort();
	switch (r.status) {
	case SAM_STAT_GOOD:
	case SAM_STAT_CHECK_CONDITION:
	case SAM_STAT_BUSY:
	case SAM_STAT_TASK_SET_FULL:
	case SAM_STAT_RESERVATION_CONFLICT: /* a reservation it made itself */
		break;
	default:
		__builtin_trap();
	}
	if (r.status == SAM_STAT_CHECK_CONDITION && r.sense_len < 8)
		__builtin_trap();
	return 0;
}
