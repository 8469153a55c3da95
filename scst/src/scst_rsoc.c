// SPDX-License-Identifier: GPL-2.0-only
/*
 * REPORT SUPPORTED OPERATION CODES (SPC-4 6.35), answered from the opcode
 * rows: the rows of the device's type set and SPC's that its handler says
 * it executes. Each row gives the opcode, service action, CDB length and
 * usage data, and its timeout class gives the command timeouts descriptor
 * (RCTD). A handler that emulates commands calls scst_cmd_report_opcodes()
 * from its exec with a predicate; a pass-through handler forwards the
 * command to its device instead.
 */
#include "scst_priv.h"

/* Command timeouts descriptor (SPC-4 6.35.4): 12 bytes. */
static void rsoc_timeouts(const struct scst_cdb_info *ci, uint8_t *p)
{
	scst_put_be16(p, 0x0a);
	p[2] = 0;
	p[3] = 0;
	scst_put_be32(p + 4, 0); /* nominal: not specified */
	scst_put_be32(p + 8, scst_tmo_seconds(scst_cdb_tmo(ci)));
}

/* CDB usage data: the row's usage map with the opcode and SA in place. */
static void rsoc_usage(const struct scst_cdb_info *ci, uint8_t *out)
{
	memcpy(out, ci->usage, ci->cdb_len);
	out[0] = ci->opcode;
	if (ci->flags & SCST_CDB_F_HAS_SA)
		out[1] = (uint8_t)((ci->usage[1] & 0xe0) | ci->sa);
}

struct rsoc_ctx {
	bool (*supported)(const struct scst_cdb_info *ci, void *arg);
	void *arg;
	bool rctd;
	uint8_t *buf; /* NULL: count only */
	uint32_t len;
	/* one command (REPORTING OPTIONS 001b-011b) */
	uint8_t opcode;
	uint16_t sa;
	bool has_sa; /* some row of the opcode has service actions */
	const struct scst_cdb_info *plain, *with_sa;
};

static void rsoc_all_row(const struct scst_cdb_info *ci, void *arg)
{
	struct rsoc_ctx *c = arg;
	uint8_t *d;

	if (!c->supported(ci, c->arg))
		return;
	if (!c->buf) {
		c->len += c->rctd ? 20 : 8;
		return;
	}
	d = c->buf + c->len;
	memset(d, 0, 8);
	d[0] = ci->opcode;
	if (ci->flags & SCST_CDB_F_HAS_SA) {
		scst_put_be16(d + 2, ci->sa);
		d[5] |= 0x01; /* SERVACTV */
	}
	scst_put_be16(d + 6, ci->cdb_len);
	c->len += 8;
	if (c->rctd) {
		d[5] |= 0x02; /* CTDP */
		rsoc_timeouts(ci, d + 8);
		c->len += 12;
	}
}

/* REPORTING OPTIONS 000b: every supported command. */
static void rsoc_all(struct scst_cmd *cmd, struct rsoc_ctx *c)
{
	uint8_t type = scst_dev_type(cmd->dev);

	c->len = 4;
	scst_cdb_for_each(type, rsoc_all_row, c);
	c->buf = scst_os_zalloc(c->len);
	if (!c->buf) {
		scst_set_cmd_error_status(cmd, SAM_STAT_BUSY);
		return;
	}
	c->len = 4;
	scst_cdb_for_each(type, rsoc_all_row, c);
	scst_put_be32(c->buf, c->len - 4);
	scst_cmd_copy_to_buf(cmd, c->buf, c->len);
	scst_os_free(c->buf);
}

static void rsoc_find_row(const struct scst_cdb_info *ci, void *arg)
{
	struct rsoc_ctx *c = arg;

	if (ci->opcode != c->opcode)
		return;
	if (!(ci->flags & SCST_CDB_F_HAS_SA)) {
		c->plain = ci;
		return;
	}
	c->has_sa = true;
	if (ci->sa == c->sa)
		c->with_sa = ci;
}

/* REPORTING OPTIONS 001b, 010b and 011b: one command. */
static void rsoc_one(struct scst_cmd *cmd, struct rsoc_ctx *c, uint8_t opts)
{
	const struct scst_cdb_info *ci;
	uint8_t buf[4 + SCST_MAX_CDB_LEN + 12];
	uint32_t len = 4;

	c->opcode = cmd->cdb[3];
	c->sa = scst_get_be16(cmd->cdb + 4);
	scst_cdb_for_each(scst_dev_type(cmd->dev), rsoc_find_row, c);
	/*
	 * 001b names an opcode without service actions, 010b one with them
	 * (SPC-4 6.35.1); 011b takes either.
	 */
	if ((opts == 1 && c->has_sa) || (opts == 2 && !c->has_sa)) {
		scst_set_invalid_field_in_cdb(cmd, 3, -1);
		return;
	}
	ci = c->has_sa ? c->with_sa : c->plain;
	memset(buf, 0, sizeof(buf));
	if (ci && c->supported(ci, c->arg)) {
		buf[1] = 0x03; /* SUPPORT: supported as the standard says */
		scst_put_be16(buf + 2, ci->cdb_len);
		rsoc_usage(ci, buf + 4);
		len += ci->cdb_len;
		if (c->rctd) {
			buf[1] |= 0x80; /* CTDP */
			rsoc_timeouts(ci, buf + len);
			len += 12;
		}
	} else {
		buf[1] = 0x01; /* SUPPORT: not supported */
	}
	scst_cmd_copy_to_buf(cmd, buf, len);
}

void scst_cmd_report_opcodes(struct scst_cmd *cmd,
			     bool (*supported)(const struct scst_cdb_info *ci,
					       void *arg),
			     void *arg)
{
	struct rsoc_ctx c = {.supported = supported, .arg = arg};
	uint8_t opts = cmd->cdb[2] & 0x07;

	c.rctd = cmd->cdb[2] & 0x80;
	switch (opts) {
	case 0:
		rsoc_all(cmd, &c);
		break;
	case 1:
	case 2:
	case 3:
		rsoc_one(cmd, &c, opts);
		break;
	default:
		scst_set_invalid_field_in_cdb(cmd, 2, 2);
		break;
	}
}
