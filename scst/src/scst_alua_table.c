// SPDX-License-Identifier: GPL-2.0-only
/*
 * Which commands a target port lets through in each asymmetric access
 * state that restricts access (SPC-4 5.15.2.4 and 5.15.2.5): the lists of
 * commands the device server "shall support" in the standby, unavailable
 * and transitioning states, as data, widened where the Linux LIO target
 * (target_core_alua.c) and SCST (scst_tg.c) agree on more. Active/optimized
 * and active/non-optimized let everything through and have no column.
 *
 *   standby        INQUIRY, LOG SELECT, LOG SENSE, MODE SELECT, MODE SENSE,
 *                  REPORT LUNS, RECEIVE DIAGNOSTIC RESULTS, SEND DIAGNOSTIC,
 *                  REPORT TARGET PORT GROUPS, SET TARGET PORT GROUPS,
 *                  REQUEST SENSE, PERSISTENT RESERVE IN and OUT, READ
 *                  BUFFER and WRITE BUFFER, READ CAPACITY(10) and (16)
 *   unavailable    INQUIRY, REPORT LUNS, REPORT TARGET PORT GROUPS, SET
 *                  TARGET PORT GROUPS, REQUEST SENSE, READ/WRITE BUFFER
 *   transitioning  INQUIRY, REPORT LUNS, REPORT TARGET PORT GROUPS, REQUEST
 *                  SENSE, READ/WRITE BUFFER
 *   offline        INQUIRY, REPORT LUNS, REPORT TARGET PORT GROUPS, REQUEST
 *                  SENSE: a port in the offline (secondary) state is not
 *                  meant to be reachable at all; what still reaches it gets
 *                  the commands an initiator needs to learn why.
 *
 * SPC-4 names only the echo buffer modes of READ BUFFER and WRITE BUFFER;
 * LIO and SCST let every mode through, and so does this table.
 *
 * Everything else is refused with NOT READY and the state's additional
 * sense code (scst_alua.c). A row whose cond_mask is not zero applies only
 * when (cdb[cond_byte] & cond_mask) == cond_val (no row uses it now).
 *
 * Rows are sorted by opcode; sa < 0 matches any service action.
 */
#include "scst_priv.h"

#define ST(x) (1u << SCST_TG_STATE_##x)
#define SB    ST(STANDBY)
#define UN    ST(UNAVAILABLE)
#define OF    ST(OFFLINE)
#define TR    ST(TRANSITIONING)

struct scst_alua_row {
	uint8_t opcode;
	int16_t sa; /* -1: any; else byte 1 bits 4-0 */
	uint8_t cond_byte, cond_mask, cond_val;
	uint8_t allow; /* ST() bits of the states that let it through */
};

static const struct scst_alua_row scst_alua_rows[] = {
    {REQUEST_SENSE, -1, 0, 0, 0, SB | UN | OF | TR},
    {INQUIRY, -1, 0, 0, 0, SB | UN | OF | TR},
    {MODE_SELECT, -1, 0, 0, 0, SB},
    {MODE_SENSE, -1, 0, 0, 0, SB},
    {RECEIVE_DIAGNOSTIC, -1, 0, 0, 0, SB},
    {SEND_DIAGNOSTIC, -1, 0, 0, 0, SB},
    {READ_CAPACITY, -1, 0, 0, 0, SB},
    /* Every mode, as LIO and SCST (the standard names the echo modes). */
    {WRITE_BUFFER, -1, 0, 0, 0, SB | UN | TR},
    {READ_BUFFER, -1, 0, 0, 0, SB | UN | TR},
    {LOG_SELECT, -1, 0, 0, 0, SB},
    {LOG_SENSE, -1, 0, 0, 0, SB},
    {MODE_SELECT_10, -1, 0, 0, 0, SB},
    {MODE_SENSE_10, -1, 0, 0, 0, SB},
    {PERSISTENT_RESERVE_IN, -1, 0, 0, 0, SB},
    {PERSISTENT_RESERVE_OUT, -1, 0, 0, 0, SB},
    {SERVICE_ACTION_IN_16, SAI_READ_CAPACITY_16, 0, 0, 0, SB},
    {REPORT_LUNS, -1, 0, 0, 0, SB | UN | OF | TR},
    {MAINTENANCE_IN, MI_REPORT_TARGET_PGS, 0, 0, 0, SB | UN | OF | TR},
    {MAINTENANCE_OUT, MO_SET_TARGET_PGS, 0, 0, 0, SB | UN},
};

#define SCST_ALUA_NROWS (sizeof(scst_alua_rows) / sizeof(scst_alua_rows[0]))

bool scst_alua_allowed(enum scst_tg_state st, const uint8_t *cdb,
		       unsigned int cdb_len)
{
	unsigned int lo = 0, hi = SCST_ALUA_NROWS, i;
	int sa = cdb_len > 1 ? cdb[1] & 0x1f : -1;

	if (st == SCST_TG_STATE_OPTIMIZED || st == SCST_TG_STATE_NONOPTIMIZED)
		return true;
	if (!cdb_len)
		return false;
	while (lo < hi) {
		unsigned int mid = (lo + hi) / 2;

		if (scst_alua_rows[mid].opcode < cdb[0])
			lo = mid + 1;
		else
			hi = mid;
	}
	for (i = lo; i < SCST_ALUA_NROWS && scst_alua_rows[i].opcode == cdb[0];
	     i++) {
		const struct scst_alua_row *r = &scst_alua_rows[i];

		if (r->sa >= 0 && r->sa != sa)
			continue;
		if (r->cond_mask &&
		    (r->cond_byte >= cdb_len ||
		     (cdb[r->cond_byte] & r->cond_mask) != r->cond_val))
			continue;
		return (r->allow & (1u << st)) != 0;
	}
	return false;
}
