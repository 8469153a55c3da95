// SPDX-License-Identifier: GPL-2.0-only
/*
 * Commands the core answers itself: REPORT LUNS and REQUEST SENSE for every
 * LUN, INQUIRY for a LUN with no device, TEST UNIT READY when a handler
 * leaves it to the core, the reservation commands (RESERVE, RELEASE,
 * PERSISTENT RESERVE IN/OUT: scst_reserve.c, scst_pr*.c) and REPORT and
 * SET TARGET PORT GROUPS (scst_alua.c).
 */
#include "scst_priv.h"

#define SCST_NO_LUN_VENDOR  "SCST    "
#define SCST_NO_LUN_PRODUCT "No LU here      "
#define SCST_NO_LUN_REV	    " 010"

static void scst_report_luns(struct scst_cmd *cmd)
{
	uint32_t alloc = scst_get_be32(&cmd->cdb[6]);
	uint8_t select = cmd->cdb[2];
	uint64_t *luns = NULL;
	uint8_t *buf;
	int n = 0, i;

	if (alloc < 16) {
		/* SPC-4 6.33: at least 16 bytes. */
		scst_set_invalid_field_in_cdb(cmd, 6, -1);
		return;
	}
	switch (select) {
	case SCST_SELECT_REPORT_ALL_NON_WLUN:
	case SCST_SELECT_REPORT_ALL:
		n = scst_sess_lun_list(cmd->sess, &luns);
		if (n < 0) {
			scst_set_cmd_error_status(cmd, SAM_STAT_BUSY);
			return;
		}
		break;
	case SCST_SELECT_REPORT_WLUN_ONLY:
	case SCST_SELECT_REPORT_ADMIN_ONLY:
	case SCST_SELECT_REPORT_ADMIN_AND_SUBS:
	case SCST_SELECT_REPORT_SUBSIDIARY:
		/* No well-known, administrative or subsidiary LUs here. */
		break;
	default:
		scst_set_invalid_field_in_cdb(cmd, 2, -1);
		return;
	}
	buf = scst_os_zalloc(8 + 8 * (size_t)n);
	if (!buf) {
		scst_os_free(luns);
		scst_set_cmd_error_status(cmd, SAM_STAT_BUSY);
		return;
	}
	scst_put_be32(buf, 8 * (uint32_t)n);
	for (i = 0; i < n; i++)
		scst_pack_lun(luns[i], cmd->sess->tgt->addr_method,
			      buf + 8 + 8 * i);
	scst_cmd_copy_to_buf(cmd, buf, 8 + 8 * (uint32_t)n);
	scst_os_free(buf);
	scst_os_free(luns);
	/* The initiator has now seen the inventory (SPC-4 6.33). */
	scst_sess_ua_clear(cmd->sess, SCST_ASC_LUN_INVENTORY,
			   SCST_ASCQ_REPORTED_LUNS_CHANGED);
}

static void scst_request_sense(struct scst_cmd *cmd)
{
	bool desc = cmd->cdb[1] & 0x01;
	uint8_t alloc = cmd->cdb[4];
	struct scst_sense_spec s = {.key = NO_SENSE, .sks_bit = -1};
	uint8_t buf[SCST_SENSE_BUFFERSIZE];
	unsigned int len;

	if (!cmd->tgt_dev) {
		s.key = ILLEGAL_REQUEST;
		s.asc = 0x25; /* LOGICAL UNIT NOT SUPPORTED */
	} else {
		/* Report and clear the highest pending unit attention. */
		scst_ua_pop(cmd->tgt_dev, &s.key, &s.asc, &s.ascq);
	}
	len = scst_sense_build(buf, desc, &s);
	scst_cmd_copy_to_buf(cmd, buf, len < alloc ? len : alloc);
}

static void scst_inquiry_no_lun(struct scst_cmd *cmd)
{
	uint16_t alloc = scst_get_be16(&cmd->cdb[3]);
	uint8_t buf[36];

	if (cmd->cdb[1] & 0x01) {
		scst_set_cmd_error(
		    cmd, SCST_LOAD_SENSE(scst_sense_lun_not_supported));
		return;
	}
	if (cmd->cdb[2]) {
		scst_set_invalid_field_in_cdb(cmd, 2, -1);
		return;
	}
	memset(buf, 0, sizeof(buf));
	/* SPC-4 6.6.2: qualifier 011b, type 1Fh: no LU at this LUN. */
	buf[0] = (SCST_PQ_NO_LUN << 5) | TYPE_NO_LUN;
	buf[2] = 0x06; /* SPC-4 */
	buf[3] = 0x12; /* HISUP, response data format 2 */
	buf[4] = sizeof(buf) - 5;
	memcpy(&buf[8], SCST_NO_LUN_VENDOR, 8);
	memcpy(&buf[16], SCST_NO_LUN_PRODUCT, 16);
	memcpy(&buf[32], SCST_NO_LUN_REV, 4);
	scst_cmd_copy_to_buf(cmd, buf,
			     alloc < sizeof(buf) ? alloc : sizeof(buf));
}

bool scst_emul_exec(struct scst_cmd *cmd)
{
	switch (cmd->cdb[0]) {
	case RESERVE:
	case RESERVE_10:
		scst_res_reserve(cmd);
		break;
	case RELEASE:
	case RELEASE_10:
		scst_res_release(cmd);
		break;
	case PERSISTENT_RESERVE_IN:
		scst_pr_in(cmd);
		break;
	case PERSISTENT_RESERVE_OUT:
		return scst_pr_out(cmd);
	case REPORT_LUNS:
		scst_report_luns(cmd);
		break;
	case MAINTENANCE_IN:
		/* Only REPORT TARGET PORT GROUPS is LOCAL (scst_alua.c). */
		scst_alua_report_tpgs(cmd);
		break;
	case MAINTENANCE_OUT:
		/* Only SET TARGET PORT GROUPS is LOCAL (scst_alua.c). */
		scst_alua_set_tpgs(cmd);
		break;
	case REQUEST_SENSE:
		scst_request_sense(cmd);
		break;
	case INQUIRY:
		if (!cmd->tgt_dev) {
			scst_inquiry_no_lun(cmd);
			break;
		}
		scst_emul_fallback(cmd);
		break;
	default:
		if (!cmd->tgt_dev)
			scst_set_cmd_error(
			    cmd, SCST_LOAD_SENSE(scst_sense_lun_not_supported));
		else
			scst_emul_fallback(cmd);
		break;
	}
	return false;
}

void scst_emul_fallback(struct scst_cmd *cmd)
{
	switch (cmd->cdb[0]) {
	case TEST_UNIT_READY:
		break; /* GOOD: the handler has no reason to refuse */
	default:
		scst_set_cmd_error(cmd,
				   SCST_LOAD_SENSE(scst_sense_invalid_opcode));
		break;
	}
}
