// SPDX-License-Identifier: GPL-2.0-only
/*
 * Which commands a reservation held by another I_T nexus lets through: the
 * tables "SPC commands that are allowed in the presence of various
 * reservations" of SPC-4 (5.13.1, with PERSISTENT RESERVE OUT decided by
 * its service action, see scst_pr.c) and of SBC-3 (4.17, the block
 * commands), plus the SPC-2 column (SPC-2 5.5.1 and SBC-2 for an SPC-2
 * reservation of another initiator).
 *
 * Each row gives, for a command from an I_T nexus that is not a holder of
 * the reservation:
 *   SCST_RES_OK_WE    allowed under Write Exclusive, and under Write
 *                     Exclusive - Registrants Only / All Registrants when
 *                     the nexus is not registered;
 *   SCST_RES_OK_EA    the same for the Exclusive Access types;
 *   SCST_RES_OK_SPC2  allowed while another I_T nexus holds an SPC-2
 *                     reservation.
 * A registered nexus under a Registrants Only or All Registrants type is
 * allowed everything (the standard's "from registered I_T nexus" column),
 * so it needs no bit. A few rows depend on a CDB field: when
 * (cdb[cond_byte] & cond_mask) == cond_val the row's alt bits apply
 * (PREVENT ALLOW MEDIUM REMOVAL with PREVENT 00b, START STOP UNIT with
 * START=1 and POWER CONDITION 0h). Commands not listed conflict.
 *
 * Besides the reads of the medium, SPC-4 allows these under Write
 * Exclusive but not under Exclusive Access (rows RD): MODE SENSE(6)/(10),
 * READ ATTRIBUTE, READ BUFFER, RECEIVE DIAGNOSTIC RESULTS, SECURITY
 * PROTOCOL IN, REPORT SUPPORTED OPERATION CODES and REPORT SUPPORTED TASK
 * MANAGEMENT FUNCTIONS.
 *
 * Rows are sorted by (opcode, service action); sa < 0 matches any.
 */
#include "scst_pr.h"

struct scst_res_row {
	uint8_t opcode;
	int16_t sa; /* -1: any; else byte 1 bits 4-0 */
	uint8_t allow;
	uint8_t cond_byte, cond_mask, cond_val, alt;
};

#define ALL (SCST_RES_OK_WE | SCST_RES_OK_EA | SCST_RES_OK_SPC2)
/* Allowed under Write Exclusive only: EA and SPC-2 refuse it. */
#define RD SCST_RES_OK_WE
#define NO 0

static const struct scst_res_row scst_res_rows[] = {
    {TEST_UNIT_READY, -1, SCST_RES_OK_WE | SCST_RES_OK_EA, 0, 0, 0, 0},
    {REQUEST_SENSE, -1, ALL, 0, 0, 0, 0},
    {FORMAT_UNIT, -1, NO, 0, 0, 0, 0},
    {REASSIGN_BLOCKS, -1, NO, 0, 0, 0, 0},
    {READ_6, -1, RD, 0, 0, 0, 0},
    {WRITE_6, -1, NO, 0, 0, 0, 0},
    {INQUIRY, -1, ALL, 0, 0, 0, 0},
    {MODE_SELECT, -1, NO, 0, 0, 0, 0},
    {RESERVE, -1, NO | SCST_RES_F_SPC2, 0, 0, 0, 0},
    /* SPC-2: RELEASE from another initiator is GOOD and does nothing. */
    {RELEASE, -1, SCST_RES_OK_SPC2 | SCST_RES_F_SPC2, 0, 0, 0, 0},
    {MODE_SENSE, -1, RD, 0, 0, 0, 0},
    /* START=1 with POWER CONDITION 0h is allowed; the rest conflicts. */
    {START_STOP, -1, NO, 4, 0xf1, 0x01, SCST_RES_OK_WE | SCST_RES_OK_EA},
    {RECEIVE_DIAGNOSTIC, -1, RD, 0, 0, 0, 0},
    {SEND_DIAGNOSTIC, -1, NO, 0, 0, 0, 0},
    /* PREVENT 00b is allowed everywhere; PREVENT <> 00b conflicts. */
    {ALLOW_MEDIUM_REMOVAL, -1, NO, 4, 0x03, 0x00, ALL},
    {READ_CAPACITY, -1, ALL, 0, 0, 0, 0},
    {READ_10, -1, RD, 0, 0, 0, 0},
    {WRITE_10, -1, NO, 0, 0, 0, 0},
    {WRITE_VERIFY, -1, NO, 0, 0, 0, 0},
    {VERIFY, -1, RD, 0, 0, 0, 0},
    {PRE_FETCH, -1, RD, 0, 0, 0, 0},
    {SYNCHRONIZE_CACHE, -1, NO, 0, 0, 0, 0},
    {READ_DEFECT_DATA, -1, RD, 0, 0, 0, 0},
    {WRITE_BUFFER, -1, NO, 0, 0, 0, 0},
    {READ_BUFFER, -1, RD, 0, 0, 0, 0},
    {READ_LONG, -1, RD, 0, 0, 0, 0},
    {WRITE_LONG, -1, NO, 0, 0, 0, 0},
    {WRITE_SAME, -1, NO, 0, 0, 0, 0},
    {UNMAP, -1, NO, 0, 0, 0, 0},
    {LOG_SELECT, -1, NO, 0, 0, 0, 0},
    {LOG_SENSE, -1, ALL, 0, 0, 0, 0},
    {MODE_SELECT_10, -1, NO, 0, 0, 0, 0},
    {RESERVE_10, -1, NO | SCST_RES_F_SPC2, 0, 0, 0, 0},
    {RELEASE_10, -1, SCST_RES_OK_SPC2 | SCST_RES_F_SPC2, 0, 0, 0, 0},
    {MODE_SENSE_10, -1, RD, 0, 0, 0, 0},
    /*
     * Allowed for everyone by the persistent reservation; the service
     * action decides for PERSISTENT RESERVE OUT (SPC-4 Table "PERSISTENT
     * RESERVE OUT service actions that are allowed in the presence of
     * various reservations", scst_pr.c). Under an SPC-2 reservation both
     * conflict for every initiator (SPC-3 5.6.3, scst_reserve.c).
     */
    {PERSISTENT_RESERVE_IN, -1, SCST_RES_OK_WE | SCST_RES_OK_EA | SCST_RES_F_PR,
     0, 0, 0, 0},
    {PERSISTENT_RESERVE_OUT, -1,
     SCST_RES_OK_WE | SCST_RES_OK_EA | SCST_RES_F_PR, 0, 0, 0, 0},
    {EXTENDED_COPY, -1, NO, 0, 0, 0, 0},
    {RECEIVE_COPY_RESULTS, -1, NO, 0, 0, 0, 0},
    {ACCESS_CONTROL_IN, -1, ALL, 0, 0, 0, 0},
    {ACCESS_CONTROL_OUT, -1, ALL, 0, 0, 0, 0},
    {READ_16, -1, RD, 0, 0, 0, 0},
    {COMPARE_AND_WRITE, -1, NO, 0, 0, 0, 0},
    {WRITE_16, -1, NO, 0, 0, 0, 0},
    {0x8b /* ORWRITE(16) */, -1, NO, 0, 0, 0, 0},
    {READ_ATTRIBUTE, -1, RD, 0, 0, 0, 0},
    {WRITE_ATTRIBUTE, -1, NO, 0, 0, 0, 0},
    {WRITE_VERIFY_16, -1, NO, 0, 0, 0, 0},
    {VERIFY_16, -1, RD, 0, 0, 0, 0},
    {PRE_FETCH_16, -1, RD, 0, 0, 0, 0},
    {SYNCHRONIZE_CACHE_16, -1, NO, 0, 0, 0, 0},
    {WRITE_SAME_16, -1, NO, 0, 0, 0, 0},
    {SERVICE_ACTION_IN_16, SAI_READ_CAPACITY_16, ALL, 0, 0, 0, 0},
    {SERVICE_ACTION_IN_16, SAI_GET_LBA_STATUS, RD, 0, 0, 0, 0},
    {REPORT_LUNS, -1, ALL, 0, 0, 0, 0},
    {SECURITY_PROTOCOL_IN, -1, RD, 0, 0, 0, 0},
    {MAINTENANCE_IN, 0x05 /* REPORT IDENTIFYING INFORMATION */, ALL, 0, 0, 0,
     0},
    {MAINTENANCE_IN, MI_REPORT_TARGET_PGS, ALL, 0, 0, 0, 0},
    {MAINTENANCE_IN, MI_REPORT_SUPPORTED_OPCODES, RD, 0, 0, 0, 0},
    {MAINTENANCE_IN, MI_REPORT_SUPPORTED_TMFS, RD, 0, 0, 0, 0},
    {MAINTENANCE_OUT, MO_SET_TARGET_PGS, NO, 0, 0, 0, 0},
    {READ_12, -1, RD, 0, 0, 0, 0},
    {WRITE_12, -1, NO, 0, 0, 0, 0},
    {WRITE_VERIFY_12, -1, NO, 0, 0, 0, 0},
    {VERIFY_12, -1, RD, 0, 0, 0, 0},
    {SECURITY_PROTOCOL_OUT, -1, NO, 0, 0, 0, 0},
};

#define SCST_RES_NROWS (sizeof(scst_res_rows) / sizeof(scst_res_rows[0]))

unsigned int scst_res_rule(const uint8_t *cdb, unsigned int cdb_len)
{
	unsigned int lo = 0, hi = SCST_RES_NROWS, i;
	int sa = cdb_len > 1 ? cdb[1] & 0x1f : 0;

	while (lo < hi) {
		unsigned int mid = (lo + hi) / 2;

		if (scst_res_rows[mid].opcode < cdb[0])
			lo = mid + 1;
		else
			hi = mid;
	}
	for (i = lo; i < SCST_RES_NROWS && scst_res_rows[i].opcode == cdb[0];
	     i++) {
		const struct scst_res_row *r = &scst_res_rows[i];

		if (r->sa >= 0 && r->sa != sa)
			continue;
		if (r->cond_mask && r->cond_byte < cdb_len &&
		    (cdb[r->cond_byte] & r->cond_mask) == r->cond_val)
			return r->alt | (r->allow & ~ALL);
		return r->allow;
	}
	return NO;
}
