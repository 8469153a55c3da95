// SPDX-License-Identifier: GPL-2.0-only
/*
 * The iSCSI PDU codec (RFC 7143 section 11).
 *
 * Parsing is table-driven: one row per initiator opcode says in which
 * phases it may arrive, which bytes and flag bits are reserved, whether an
 * AHS or a data segment may follow, and how to decode and check the
 * opcode-specific fields. Reserved fields are ignored unless the caller
 * asks for ISCSI_PARSE_STRICT (RFC 7143 11: "Any compliant receiver MUST
 * ignore ... all reserved fields"); reserved *code values* in defined
 * fields are always a protocol error.
 *
 * The receiver is an explicit state loop (AWAIT_BHS -> AWAIT_AHS ->
 * AWAIT_HDIGEST -> AWAIT_DATA -> AWAIT_DDIGEST -> PDU_READY) that runs
 * until it needs more bytes. Lengths are checked against the limits before
 * the data buffer is allocated.
 */
#include <errno.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include "scst/byteorder.h"
#include "scst/os.h"

#include "iscsi_pdu.h"

#define PH_LOGIN (1u << ISCSI_PHASE_LOGIN)
#define PH_FFP	 (1u << ISCSI_PHASE_FULL_FEATURE)
#define PH_DISC	 (1u << ISCSI_PHASE_DISCOVERY)

/* Bit i set: byte i of the BHS is reserved. */
#define RB(i)	       (1ull << (i))
#define RB_RANGE(a, b) ((~0ull >> (63 - (b))) & (~0ull << (a)))

struct iscsi_op_row {
	const char *name;
	uint8_t phases;	    /* PH_* where an initiator may send it */
	uint8_t flags_rsvd; /* reserved bits of byte 1 */
	uint64_t rsvd_bytes;
	bool ahs_ok;
	bool data_ok;
	void (*decode)(const uint8_t *bhs, struct iscsi_bhs_info *info);
	/* Reserved code values and inconsistent fields; 0 or a reason. */
	uint8_t (*check)(const struct iscsi_bhs_info *info);
};

/* ----------------------------------------------------------- decoders ---- */

static void decode_nop_out(const uint8_t *b, struct iscsi_bhs_info *i)
{
	i->nop_out.ttt = scst_get_be32(b + 20);
	i->nop_out.cmdsn = scst_get_be32(b + 24);
	i->nop_out.expstatsn = scst_get_be32(b + 28);
}

static uint8_t check_nop_out(const struct iscsi_bhs_info *i)
{
	/* RFC 7143 11.18: an ITT of 0xffffffff requires the I bit. */
	if (i->itt == ISCSI_RESERVED_TAG && !i->immediate)
		return ISCSI_REJECT_INVALID_PDU_FIELD;
	/* A reply to nothing: neither tag names a transfer. */
	if (i->itt == ISCSI_RESERVED_TAG &&
	    i->nop_out.ttt == ISCSI_RESERVED_TAG)
		return ISCSI_REJECT_INVALID_PDU_FIELD;
	return 0;
}

static void decode_scsi_cmd(const uint8_t *b, struct iscsi_bhs_info *i)
{
	i->cmd.read = b[1] & ISCSI_CMD_FLAG_READ;
	i->cmd.write = b[1] & ISCSI_CMD_FLAG_WRITE;
	i->cmd.attr = b[1] & ISCSI_CMD_ATTR_MASK;
	i->cmd.edtl = scst_get_be32(b + ISCSI_CMD_EDTL);
	i->cmd.cmdsn = scst_get_be32(b + ISCSI_CMD_CMDSN);
	i->cmd.expstatsn = scst_get_be32(b + ISCSI_CMD_EXPSTATSN);
	memcpy(i->cmd.cdb, b + ISCSI_CMD_CDB, ISCSI_CDB_LEN);
}

static uint8_t check_scsi_cmd(const struct iscsi_bhs_info *i)
{
	if (i->cmd.attr > ISCSI_ATTR_ACA)
		return ISCSI_REJECT_PROTOCOL_ERROR;
	if (i->itt == ISCSI_RESERVED_TAG)
		return ISCSI_REJECT_INVALID_PDU_FIELD;
	/* No transfer direction, but a transfer length (11.3.1.1). */
	if (!i->cmd.read && !i->cmd.write && i->cmd.edtl)
		return ISCSI_REJECT_INVALID_PDU_FIELD;
	return 0;
}

static void decode_tmf(const uint8_t *b, struct iscsi_bhs_info *i)
{
	i->tmf.function = b[1] & ISCSI_TMF_FUNC_MASK;
	i->tmf.rtt = scst_get_be32(b + ISCSI_TMF_RTT);
	i->tmf.cmdsn = scst_get_be32(b + ISCSI_TMF_CMDSN);
	i->tmf.expstatsn = scst_get_be32(b + ISCSI_TMF_EXPSTATSN);
	i->tmf.refcmdsn = scst_get_be32(b + ISCSI_TMF_REFCMDSN);
	i->tmf.expdatasn = scst_get_be32(b + ISCSI_TMF_EXPDATASN);
}

static uint8_t check_tmf(const struct iscsi_bhs_info *i)
{
	if (i->tmf.function < ISCSI_TMF_ABORT_TASK ||
	    i->tmf.function > ISCSI_TMF_TASK_REASSIGN)
		return ISCSI_REJECT_PROTOCOL_ERROR;
	if (i->itt == ISCSI_RESERVED_TAG)
		return ISCSI_REJECT_INVALID_PDU_FIELD;
	return 0;
}

static void decode_login(const uint8_t *b, struct iscsi_bhs_info *i)
{
	i->login.transit = b[1] & ISCSI_LOGIN_FLAG_TRANSIT;
	i->login.cont = b[1] & ISCSI_LOGIN_FLAG_CONTINUE;
	i->login.csg = (b[1] & ISCSI_LOGIN_CSG_MASK) >> ISCSI_LOGIN_CSG_SHIFT;
	i->login.nsg = b[1] & ISCSI_LOGIN_NSG_MASK;
	i->login.version_max = b[ISCSI_LOGIN_VERSION_MAX];
	i->login.version_min = b[ISCSI_LOGIN_VERSION_MIN];
	memcpy(i->login.isid, b + ISCSI_LOGIN_ISID, ISCSI_ISID_LEN);
	i->login.tsih = scst_get_be16(b + ISCSI_LOGIN_TSIH);
	i->login.cid = scst_get_be16(b + ISCSI_LOGIN_CID);
	i->login.cmdsn = scst_get_be32(b + ISCSI_LOGIN_CMDSN);
	i->login.expstatsn = scst_get_be32(b + ISCSI_LOGIN_EXPSTATSN);
}

static uint8_t check_login(const struct iscsi_bhs_info *i)
{
	/* 11.12.2: T and C are never both 1; stage 2 is reserved. */
	if (i->login.transit && i->login.cont)
		return ISCSI_REJECT_PROTOCOL_ERROR;
	if (i->login.csg == ISCSI_STAGE_RESERVED)
		return ISCSI_REJECT_PROTOCOL_ERROR;
	if (i->login.transit && i->login.nsg == ISCSI_STAGE_RESERVED)
		return ISCSI_REJECT_PROTOCOL_ERROR;
	if (i->itt == ISCSI_RESERVED_TAG)
		return ISCSI_REJECT_INVALID_PDU_FIELD;
	return 0;
}

static void decode_text(const uint8_t *b, struct iscsi_bhs_info *i)
{
	i->text.cont = b[1] & ISCSI_TEXT_FLAG_CONTINUE;
	i->text.ttt = scst_get_be32(b + ISCSI_TEXT_TTT);
	i->text.cmdsn = scst_get_be32(b + ISCSI_TEXT_CMDSN);
	i->text.expstatsn = scst_get_be32(b + ISCSI_TEXT_EXPSTATSN);
}

static uint8_t check_text(const struct iscsi_bhs_info *i)
{
	if (i->final && i->text.cont)
		return ISCSI_REJECT_PROTOCOL_ERROR;
	if (i->itt == ISCSI_RESERVED_TAG)
		return ISCSI_REJECT_INVALID_PDU_FIELD;
	return 0;
}

static void decode_data_out(const uint8_t *b, struct iscsi_bhs_info *i)
{
	i->data_out.ttt = scst_get_be32(b + ISCSI_DATA_TTT);
	i->data_out.expstatsn = scst_get_be32(b + ISCSI_DATA_EXPSTATSN);
	i->data_out.datasn = scst_get_be32(b + ISCSI_DATA_DATASN);
	i->data_out.offset = scst_get_be32(b + ISCSI_DATA_OFFSET);
}

static uint8_t check_data_out(const struct iscsi_bhs_info *i)
{
	/* Data-Out is never immediate (the I bit is reserved here). */
	(void)i;
	return 0;
}

static void decode_logout(const uint8_t *b, struct iscsi_bhs_info *i)
{
	i->logout.reason = b[1] & ISCSI_LOGOUT_REASON_MASK;
	i->logout.cid = scst_get_be16(b + ISCSI_LOGOUT_CID);
	i->logout.cmdsn = scst_get_be32(b + ISCSI_LOGOUT_CMDSN);
	i->logout.expstatsn = scst_get_be32(b + ISCSI_LOGOUT_EXPSTATSN);
}

static uint8_t check_logout(const struct iscsi_bhs_info *i)
{
	if (i->logout.reason > ISCSI_LOGOUT_REMOVE_CONN)
		return ISCSI_REJECT_PROTOCOL_ERROR;
	if (i->itt == ISCSI_RESERVED_TAG)
		return ISCSI_REJECT_INVALID_PDU_FIELD;
	return 0;
}

static void decode_snack(const uint8_t *b, struct iscsi_bhs_info *i)
{
	i->snack.type = b[1] & ISCSI_SNACK_TYPE_MASK;
	i->snack.ttt = scst_get_be32(b + ISCSI_SNACK_TTT);
	i->snack.expstatsn = scst_get_be32(b + ISCSI_SNACK_EXPSTATSN);
	i->snack.begrun = scst_get_be32(b + ISCSI_SNACK_BEGRUN);
	i->snack.runlength = scst_get_be32(b + ISCSI_SNACK_RUNLENGTH);
}

static uint8_t check_snack(const struct iscsi_bhs_info *i)
{
	if (i->snack.type > ISCSI_SNACK_RDATA)
		return ISCSI_REJECT_PROTOCOL_ERROR;
	return 0;
}

/* clang-format off */
static const struct iscsi_op_row iscsi_op_table[ISCSI_OP_SNACK_REQ + 1] = {
	[ISCSI_OP_NOP_OUT] = {
		.name = "NOP-Out", .phases = PH_FFP | PH_DISC,
		.flags_rsvd = 0x7f, .rsvd_bytes = RB(2) | RB(3) | RB_RANGE(32, 47),
		.data_ok = true, .decode = decode_nop_out, .check = check_nop_out },
	[ISCSI_OP_SCSI_CMD] = {
		.name = "SCSI Command", .phases = PH_FFP,
		.flags_rsvd = 0x18, .rsvd_bytes = RB(2) | RB(3),
		.ahs_ok = true, .data_ok = true,
		.decode = decode_scsi_cmd, .check = check_scsi_cmd },
	[ISCSI_OP_TMF_REQ] = {
		.name = "Task Management Request", .phases = PH_FFP,
		.flags_rsvd = 0, .rsvd_bytes = RB(2) | RB(3) | RB_RANGE(40, 47),
		.decode = decode_tmf, .check = check_tmf },
	[ISCSI_OP_LOGIN_REQ] = {
		.name = "Login Request", .phases = PH_LOGIN,
		.flags_rsvd = 0x30, .rsvd_bytes = RB(22) | RB(23) | RB_RANGE(32, 47),
		.data_ok = true, .decode = decode_login, .check = check_login },
	[ISCSI_OP_TEXT_REQ] = {
		.name = "Text Request", .phases = PH_FFP | PH_DISC,
		.flags_rsvd = 0x3f, .rsvd_bytes = RB(2) | RB(3) | RB_RANGE(32, 47),
		.data_ok = true, .decode = decode_text, .check = check_text },
	[ISCSI_OP_SCSI_DATA_OUT] = {
		.name = "SCSI Data-Out", .phases = PH_FFP,
		.flags_rsvd = 0x7f,
		.rsvd_bytes = RB(2) | RB(3) | RB_RANGE(24, 27) |
			      RB_RANGE(32, 35) | RB_RANGE(44, 47),
		.data_ok = true, .decode = decode_data_out, .check = check_data_out },
	[ISCSI_OP_LOGOUT_REQ] = {
		.name = "Logout Request", .phases = PH_FFP | PH_DISC,
		.flags_rsvd = 0,
		.rsvd_bytes = RB(2) | RB(3) | RB_RANGE(8, 15) | RB(22) | RB(23) |
			      RB_RANGE(32, 47),
		.decode = decode_logout, .check = check_logout },
	[ISCSI_OP_SNACK_REQ] = {
		.name = "SNACK Request", .phases = PH_FFP,
		.flags_rsvd = 0x70,
		.rsvd_bytes = RB(2) | RB(3) | RB_RANGE(24, 27) | RB_RANGE(32, 39),
		.data_ok = false, .decode = decode_snack, .check = check_snack },
};
/* clang-format on */

static const struct iscsi_op_row *op_row(uint8_t opcode)
{
	if (opcode > ISCSI_OP_SNACK_REQ || !iscsi_op_table[opcode].name)
		return NULL;
	return &iscsi_op_table[opcode];
}

static const char *const iscsi_tgt_op_names[] = {
    [ISCSI_OP_NOP_IN - 0x20] = "NOP-In",
    [ISCSI_OP_SCSI_RSP - 0x20] = "SCSI Response",
    [ISCSI_OP_TMF_RSP - 0x20] = "Task Management Response",
    [ISCSI_OP_LOGIN_RSP - 0x20] = "Login Response",
    [ISCSI_OP_TEXT_RSP - 0x20] = "Text Response",
    [ISCSI_OP_SCSI_DATA_IN - 0x20] = "SCSI Data-In",
    [ISCSI_OP_LOGOUT_RSP - 0x20] = "Logout Response",
    [ISCSI_OP_R2T - 0x20] = "R2T",
    [ISCSI_OP_ASYNC_MSG - 0x20] = "Async Message",
    [ISCSI_OP_REJECT - 0x20] = "Reject",
};

const char *iscsi_opcode_name(uint8_t opcode)
{
	const struct iscsi_op_row *row = op_row(opcode);

	if (row)
		return row->name;
	if (opcode >= 0x20 && opcode <= ISCSI_OP_REJECT &&
	    iscsi_tgt_op_names[opcode - 0x20])
		return iscsi_tgt_op_names[opcode - 0x20];
	return "unknown";
}

/* ------------------------------------------------------------ parsing ---- */

static bool reserved_bytes_clear(const uint8_t *bhs, uint64_t mask)
{
	unsigned int i;

	for (i = 0; i < ISCSI_BHS_LEN; i++)
		if ((mask & RB(i)) && bhs[i])
			return false;
	return true;
}

static void parse_common(const uint8_t *bhs, struct iscsi_bhs_info *info)
{
	memset(info, 0, sizeof(*info));
	info->opcode = bhs[ISCSI_BHS_OPCODE] & ISCSI_OPCODE_MASK;
	info->immediate = bhs[ISCSI_BHS_OPCODE] & ISCSI_OP_IMMEDIATE;
	info->flags = bhs[ISCSI_BHS_FLAGS];
	info->final = info->flags & ISCSI_FLAG_FINAL;
	info->ahs_len = (uint32_t)bhs[ISCSI_BHS_AHS_LEN] * 4;
	info->data_len = scst_get_be24(bhs + ISCSI_BHS_DSL);
	info->lun = scst_get_be64(bhs + ISCSI_BHS_LUN);
	info->itt = scst_get_be32(bhs + ISCSI_BHS_ITT);
}

/* Fields the layouts draw as fixed ("1" bits) and reserved bits. */
static bool strict_ok(const uint8_t *bhs, const struct iscsi_op_row *row,
		      const struct iscsi_bhs_info *info)
{
	if (bhs[ISCSI_BHS_OPCODE] & ISCSI_OP_RSVD_BIT)
		return false;
	if (info->flags & row->flags_rsvd)
		return false;
	if (!reserved_bytes_clear(bhs, row->rsvd_bytes))
		return false;
	switch (info->opcode) {
	case ISCSI_OP_NOP_OUT:
	case ISCSI_OP_TMF_REQ:
	case ISCSI_OP_LOGOUT_REQ:
	case ISCSI_OP_SNACK_REQ:
		return info->final;
	case ISCSI_OP_LOGIN_REQ:
		return info->immediate;
	case ISCSI_OP_SCSI_DATA_OUT:
		return !info->immediate;
	default:
		return true;
	}
}

int iscsi_pdu_parse_bhs(const uint8_t *bhs, enum iscsi_phase phase,
			unsigned int parse_flags, struct iscsi_bhs_info *info,
			uint8_t *reason)
{
	const struct iscsi_op_row *row;
	uint8_t r;

	parse_common(bhs, info);
	*reason = ISCSI_REJECT_NONE;
	row = op_row(info->opcode);
	if (!row) {
		/* Target opcodes from an initiator are a protocol error;
		 * unknown and vendor initiator opcodes are not supported. */
		*reason = info->opcode >= ISCSI_OP_NOP_IN
			      ? ISCSI_REJECT_PROTOCOL_ERROR
			      : ISCSI_REJECT_CMD_NOT_SUPPORTED;
		return -EPROTO;
	}
	row->decode(bhs, info);
	if (!(row->phases & (1u << phase))) {
		*reason = ISCSI_REJECT_PROTOCOL_ERROR;
		return -EPROTO;
	}
	r = row->check(info);
	if (r) {
		*reason = r;
		return -EPROTO;
	}
	if ((parse_flags & ISCSI_PARSE_STRICT) && !strict_ok(bhs, row, info)) {
		*reason = ISCSI_REJECT_INVALID_PDU_FIELD;
		return -EPROTO;
	}
	return 0;
}

void iscsi_pdu_login_limits(struct iscsi_pdu_limits *lim)
{
	lim->max_recv_dsl = ISCSI_LOGIN_MAX_DSL;
	lim->max_ahs_len = 0;
}

int iscsi_pdu_check_lengths(const struct iscsi_bhs_info *info,
			    const struct iscsi_pdu_limits *lim, uint8_t *reason)
{
	const struct iscsi_op_row *row = op_row(info->opcode);

	*reason = ISCSI_REJECT_PROTOCOL_ERROR;
	if (info->ahs_len > lim->max_ahs_len ||
	    info->ahs_len > ISCSI_MAX_AHS_LEN)
		return -EMSGSIZE;
	if (info->data_len > lim->max_recv_dsl ||
	    info->data_len > ISCSI_MAX_DSL)
		return -EMSGSIZE;
	if (row && info->ahs_len && !row->ahs_ok)
		return -EPROTO;
	if (row && info->data_len && !row->data_ok)
		return -EPROTO;
	/* Immediate data only for a command that writes (11.3.1.1). */
	if (info->opcode == ISCSI_OP_SCSI_CMD && info->data_len &&
	    !(info->flags & ISCSI_CMD_FLAG_WRITE))
		return -EPROTO;
	*reason = ISCSI_REJECT_NONE;
	return 0;
}

/* ----------------------------------------------------------- builders ---- */

static void bhs_start(uint8_t *bhs, uint8_t opcode, uint8_t flags,
		      uint32_t data_len, uint32_t itt)
{
	memset(bhs, 0, ISCSI_BHS_LEN);
	bhs[ISCSI_BHS_OPCODE] = opcode;
	bhs[ISCSI_BHS_FLAGS] = flags;
	scst_put_be24(bhs + ISCSI_BHS_DSL, data_len);
	scst_put_be32(bhs + ISCSI_BHS_ITT, itt);
}

static void put_sn(uint8_t *bhs, const struct iscsi_sn *sn)
{
	scst_put_be32(bhs + ISCSI_TGT_STATSN, sn->statsn);
	scst_put_be32(bhs + ISCSI_TGT_EXPCMDSN, sn->expcmdsn);
	scst_put_be32(bhs + ISCSI_TGT_MAXCMDSN, sn->maxcmdsn);
}

int iscsi_build_scsi_rsp(uint8_t *bhs, const struct iscsi_scsi_rsp *p)
{
	uint8_t flags = ISCSI_FLAG_FINAL;

	if ((p->overflow && p->underflow) ||
	    (p->bidi_overflow && p->bidi_underflow) ||
	    p->data_len > ISCSI_MAX_DSL)
		return -EINVAL;
	if (p->response != ISCSI_RESPONSE_COMPLETED &&
	    p->response != ISCSI_RESPONSE_TARGET_FAILURE)
		return -EINVAL;
	flags |= p->overflow ? ISCSI_RSP_FLAG_OVERFLOW : 0;
	flags |= p->underflow ? ISCSI_RSP_FLAG_UNDERFLOW : 0;
	flags |= p->bidi_overflow ? ISCSI_RSP_FLAG_BIDI_OVERFLOW : 0;
	flags |= p->bidi_underflow ? ISCSI_RSP_FLAG_BIDI_UNDERFLOW : 0;
	bhs_start(bhs, ISCSI_OP_SCSI_RSP, flags, p->data_len, p->itt);
	bhs[ISCSI_RSP_RESPONSE] = p->response;
	bhs[ISCSI_RSP_STATUS] = p->status;
	scst_put_be32(bhs + ISCSI_RSP_SNACK_TAG, p->snack_tag);
	put_sn(bhs, &p->sn);
	scst_put_be32(bhs + ISCSI_RSP_EXPDATASN, p->expdatasn);
	if (p->bidi_overflow || p->bidi_underflow)
		scst_put_be32(bhs + ISCSI_RSP_BIDI_RESIDUAL, p->bidi_residual);
	if (p->overflow || p->underflow)
		scst_put_be32(bhs + ISCSI_RSP_RESIDUAL, p->residual);
	return 0;
}

int iscsi_build_data_in(uint8_t *bhs, const struct iscsi_data_in *p)
{
	uint8_t flags = 0;

	/* 11.7.2: S implies F; O/U only with S; never both O and U. */
	if ((p->has_status && !p->final) || (p->overflow && p->underflow) ||
	    ((p->overflow || p->underflow) && !p->has_status) ||
	    p->data_len > ISCSI_MAX_DSL)
		return -EINVAL;
	flags |= p->final ? ISCSI_FLAG_FINAL : 0;
	flags |= p->ack ? ISCSI_DATA_IN_FLAG_ACK : 0;
	flags |= p->overflow ? ISCSI_DATA_IN_FLAG_OVERFLOW : 0;
	flags |= p->underflow ? ISCSI_DATA_IN_FLAG_UNDERFLOW : 0;
	flags |= p->has_status ? ISCSI_DATA_IN_FLAG_STATUS : 0;
	bhs_start(bhs, ISCSI_OP_SCSI_DATA_IN, flags, p->data_len, p->itt);
	if (p->has_status)
		bhs[ISCSI_DATA_IN_STATUS] = p->status;
	scst_put_be64(bhs + ISCSI_BHS_LUN, p->lun);
	scst_put_be32(bhs + ISCSI_DATA_TTT, p->ttt);
	put_sn(bhs, &p->sn);
	if (!p->has_status)
		scst_put_be32(bhs + ISCSI_DATA_STATSN, 0);
	scst_put_be32(bhs + ISCSI_DATA_DATASN, p->datasn);
	scst_put_be32(bhs + ISCSI_DATA_OFFSET, p->offset);
	if (p->overflow || p->underflow)
		scst_put_be32(bhs + ISCSI_DATA_RESIDUAL, p->residual);
	return 0;
}

int iscsi_build_r2t(uint8_t *bhs, const struct iscsi_r2t *p)
{
	/* 11.8: the desired length is never 0; the TTT is never reserved. */
	if (!p->ddtl || p->ttt == ISCSI_RESERVED_TAG)
		return -EINVAL;
	bhs_start(bhs, ISCSI_OP_R2T, ISCSI_FLAG_FINAL, 0, p->itt);
	scst_put_be64(bhs + ISCSI_BHS_LUN, p->lun);
	scst_put_be32(bhs + ISCSI_R2T_TTT, p->ttt);
	put_sn(bhs, &p->sn);
	scst_put_be32(bhs + ISCSI_R2T_R2TSN, p->r2tsn);
	scst_put_be32(bhs + ISCSI_R2T_OFFSET, p->offset);
	scst_put_be32(bhs + ISCSI_R2T_DDTL, p->ddtl);
	return 0;
}

int iscsi_build_nop_in(uint8_t *bhs, const struct iscsi_nop_in *p)
{
	if (p->data_len > ISCSI_MAX_DSL)
		return -EINVAL;
	bhs_start(bhs, ISCSI_OP_NOP_IN, ISCSI_FLAG_FINAL, p->data_len, p->itt);
	scst_put_be64(bhs + ISCSI_BHS_LUN, p->lun);
	scst_put_be32(bhs + 20, p->ttt);
	put_sn(bhs, &p->sn);
	return 0;
}

int iscsi_build_tmf_rsp(uint8_t *bhs, const struct iscsi_tmf_rsp *p)
{
	if (p->response > ISCSI_TMF_RSP_AUTH_FAILED &&
	    p->response != ISCSI_TMF_RSP_REJECTED)
		return -EINVAL;
	bhs_start(bhs, ISCSI_OP_TMF_RSP, ISCSI_FLAG_FINAL, 0, p->itt);
	bhs[2] = p->response;
	put_sn(bhs, &p->sn);
	return 0;
}

int iscsi_build_login_rsp(uint8_t *bhs, const struct iscsi_login_rsp *p)
{
	uint8_t flags;

	if ((p->transit && p->cont) || p->csg > ISCSI_STAGE_FULL_FEATURE ||
	    p->csg == ISCSI_STAGE_RESERVED ||
	    (p->transit && (p->nsg > ISCSI_STAGE_FULL_FEATURE ||
			    p->nsg == ISCSI_STAGE_RESERVED)) ||
	    p->data_len > ISCSI_MAX_DSL)
		return -EINVAL;
	flags = (uint8_t)(p->csg << ISCSI_LOGIN_CSG_SHIFT);
	if (p->transit)
		flags |= ISCSI_LOGIN_FLAG_TRANSIT | p->nsg;
	if (p->cont)
		flags |= ISCSI_LOGIN_FLAG_CONTINUE;
	bhs_start(bhs, ISCSI_OP_LOGIN_RSP, flags, p->data_len, p->itt);
	bhs[ISCSI_LOGIN_VERSION_MAX] = p->version_max;
	bhs[ISCSI_LOGIN_VERSION_MIN] = p->version_active;
	memcpy(bhs + ISCSI_LOGIN_ISID, p->isid, ISCSI_ISID_LEN);
	scst_put_be16(bhs + ISCSI_LOGIN_TSIH, p->tsih);
	put_sn(bhs, &p->sn);
	bhs[ISCSI_LOGIN_STATUS_CLASS] = p->status_class;
	bhs[ISCSI_LOGIN_STATUS_DETAIL] = p->status_detail;
	return 0;
}

int iscsi_build_text_rsp(uint8_t *bhs, const struct iscsi_text_rsp *p)
{
	uint8_t flags = 0;

	if ((p->final && p->cont) || p->data_len > ISCSI_MAX_DSL)
		return -EINVAL;
	flags |= p->final ? ISCSI_FLAG_FINAL : 0;
	flags |= p->cont ? ISCSI_TEXT_FLAG_CONTINUE : 0;
	bhs_start(bhs, ISCSI_OP_TEXT_RSP, flags, p->data_len, p->itt);
	scst_put_be64(bhs + ISCSI_BHS_LUN, p->lun);
	scst_put_be32(bhs + ISCSI_TEXT_TTT, p->ttt);
	put_sn(bhs, &p->sn);
	return 0;
}

int iscsi_build_logout_rsp(uint8_t *bhs, const struct iscsi_logout_rsp *p)
{
	if (p->response > ISCSI_LOGOUT_RSP_CLEANUP_FAIL)
		return -EINVAL;
	bhs_start(bhs, ISCSI_OP_LOGOUT_RSP, ISCSI_FLAG_FINAL, 0, p->itt);
	bhs[ISCSI_LOGOUT_RESPONSE] = p->response;
	put_sn(bhs, &p->sn);
	scst_put_be16(bhs + ISCSI_LOGOUT_TIME2WAIT, p->time2wait);
	scst_put_be16(bhs + ISCSI_LOGOUT_TIME2RETAIN, p->time2retain);
	return 0;
}

int iscsi_build_async_msg(uint8_t *bhs, const struct iscsi_async_msg *p)
{
	if ((p->event > ISCSI_ASYNC_REQ_NEGOTIATION &&
	     p->event != ISCSI_ASYNC_VENDOR) ||
	    p->data_len > ISCSI_MAX_DSL)
		return -EINVAL;
	bhs_start(bhs, ISCSI_OP_ASYNC_MSG, ISCSI_FLAG_FINAL, p->data_len,
		  ISCSI_RESERVED_TAG);
	scst_put_be64(bhs + ISCSI_BHS_LUN, p->lun);
	put_sn(bhs, &p->sn);
	bhs[ISCSI_ASYNC_EVENT] = p->event;
	bhs[ISCSI_ASYNC_VCODE] = p->vcode;
	scst_put_be16(bhs + ISCSI_ASYNC_PARAM1, p->param1);
	scst_put_be16(bhs + ISCSI_ASYNC_PARAM2, p->param2);
	scst_put_be16(bhs + ISCSI_ASYNC_PARAM3, p->param3);
	return 0;
}

int iscsi_build_reject(uint8_t *bhs, const struct iscsi_reject *p,
		       const uint8_t *bad_bhs, uint8_t *data)
{
	/* 0x01 and 0x0b are reserved/deprecated reasons. */
	if (p->reason < ISCSI_REJECT_DATA_DIGEST ||
	    p->reason > ISCSI_REJECT_WAITING_LOGOUT || p->reason == 0x0b)
		return -EINVAL;
	bhs_start(bhs, ISCSI_OP_REJECT, ISCSI_FLAG_FINAL, ISCSI_BHS_LEN,
		  ISCSI_RESERVED_TAG);
	bhs[ISCSI_REJECT_REASON] = p->reason;
	put_sn(bhs, &p->sn);
	scst_put_be32(bhs + ISCSI_REJECT_DATASN, p->datasn);
	memmove(data, bad_bhs, ISCSI_BHS_LEN);
	return 0;
}

int iscsi_build_sense_segment(uint8_t *buf, size_t cap, const uint8_t *sense,
			      size_t sense_len)
{
	size_t len = 2 + sense_len;

	if (sense_len > 0xffff)
		return -EINVAL;
	if (cap < iscsi_pad4((uint32_t)len))
		return -ENOSPC;
	scst_put_be16(buf, (uint16_t)sense_len);
	memcpy(buf + 2, sense, sense_len);
	memset(buf + len, 0, iscsi_pad4((uint32_t)len) - len);
	return (int)len;
}

/* ------------------------------------------ receive state machine ---- */

static const char *const iscsi_rx_state_names[ISCSI_RX_NR_STATES] = {
    [ISCSI_RX_AWAIT_BHS] = "AWAIT_BHS",
    [ISCSI_RX_AWAIT_AHS] = "AWAIT_AHS",
    [ISCSI_RX_AWAIT_HDIGEST] = "AWAIT_HDIGEST",
    [ISCSI_RX_HEADER_READY] = "HEADER_READY",
    [ISCSI_RX_AWAIT_DATA] = "AWAIT_DATA",
    [ISCSI_RX_AWAIT_DDIGEST] = "AWAIT_DDIGEST",
    [ISCSI_RX_PDU_READY] = "PDU_READY",
    [ISCSI_RX_ERROR] = "ERROR",
};

const char *iscsi_rx_state_name(enum iscsi_rx_state s)
{
	if ((unsigned int)s >= ISCSI_RX_NR_STATES)
		return "?";
	return iscsi_rx_state_names[s];
}

void iscsi_rx_init(struct iscsi_rx *rx, enum iscsi_phase phase,
		   const struct iscsi_pdu_limits *lim, bool hdigest,
		   bool ddigest)
{
	memset(rx, 0, sizeof(*rx));
	rx->state = ISCSI_RX_AWAIT_BHS;
	rx->phase = phase;
	rx->limits = *lim;
	rx->hdigest = hdigest;
	rx->ddigest = ddigest;
}

void iscsi_rx_destroy(struct iscsi_rx *rx)
{
	scst_os_free(rx->data);
	rx->data = NULL;
	rx->data_cap = 0;
}

static void rx_fail(struct iscsi_rx *rx, enum iscsi_rx_error err,
		    uint8_t reason)
{
	rx->error = err;
	rx->reason = reason;
	rx->state = ISCSI_RX_ERROR;
}

/* Copy up to @want - rx->have bytes into @dst + rx->have. */
static bool rx_take(struct iscsi_rx *rx, uint8_t *dst, uint32_t want,
		    const uint8_t **p, size_t *left)
{
	size_t n = want - rx->have;

	if (n > *left)
		n = *left;
	memcpy(dst + rx->have, *p, n);
	rx->have += (uint32_t)n;
	*p += n;
	*left -= n;
	return rx->have == want;
}

static uint32_t get_le32(const uint8_t *p)
{
	return (uint32_t)p[0] | ((uint32_t)p[1] << 8) | ((uint32_t)p[2] << 16) |
	       ((uint32_t)p[3] << 24);
}

/* The data segment goes to the receiver's own buffer. */
static void rx_data_to_own(struct iscsi_rx *rx)
{
	uint32_t padded = iscsi_pad4(rx->pdu.info.data_len);

	if (padded > rx->data_cap) {
		/* Bounded by the limits checked in rx_step_bhs(). */
		scst_os_free(rx->data);
		rx->data_cap = 0;
		rx->data = scst_os_alloc(padded);
		if (!rx->data) {
			rx_fail(rx, ISCSI_RX_ERR_NOMEM, ISCSI_REJECT_NONE);
			return;
		}
		rx->data_cap = padded;
	}
	rx->pdu.data = rx->data;
	rx->state = ISCSI_RX_AWAIT_DATA;
}

/* The header is complete (and its digest checked): on to the data. */
static void rx_header_done(struct iscsi_rx *rx)
{
	rx->have = 0;
	rx->data_crc = 0;
	rx->dst = NULL;
	rx->dst_n = 0;
	rx->discard = false;
	if (!rx->pdu.info.data_len)
		rx->state = ISCSI_RX_PDU_READY;
	else if (rx->split)
		rx->state = ISCSI_RX_HEADER_READY;
	else
		rx_data_to_own(rx);
}

int iscsi_rx_data_to(struct iscsi_rx *rx, const struct iscsi_rx_seg *segs,
		     unsigned int n)
{
	uint64_t total = 0;
	unsigned int i;

	if (rx->state != ISCSI_RX_HEADER_READY)
		return -EINVAL;
	for (i = 0; i < n; i++)
		total += segs[i].len;
	if (!n || total != rx->pdu.info.data_len) {
		rx_data_to_own(rx);
		return n ? -EINVAL
			 : (rx->state == ISCSI_RX_ERROR ? -ENOMEM : 0);
	}
	rx->dst = segs;
	rx->dst_n = n;
	rx->pdu.data = NULL;
	rx->state = ISCSI_RX_AWAIT_DATA;
	return 0;
}

void iscsi_rx_discard(struct iscsi_rx *rx)
{
	if (rx->state != ISCSI_RX_HEADER_READY &&
	    rx->state != ISCSI_RX_AWAIT_DATA &&
	    rx->state != ISCSI_RX_AWAIT_DDIGEST &&
	    rx->state != ISCSI_RX_PDU_READY)
		return;
	rx->dst = NULL;
	rx->dst_n = 0;
	rx->discard = true;
	rx->pdu.data = NULL;
	if (rx->state == ISCSI_RX_HEADER_READY)
		rx->state = ISCSI_RX_AWAIT_DATA;
}

/* Walk the caller's place: @fn on the pieces of [@pos, @pos + @len). */
static void rx_dst_walk(const struct iscsi_rx *rx, uint32_t pos, uint32_t len,
			void (*fn)(void *piece, uint32_t n, void *arg),
			void *arg)
{
	uint32_t at = 0;
	unsigned int i;

	for (i = 0; i < rx->dst_n && len; i++) {
		uint32_t end = at + rx->dst[i].len;

		if (pos < end) {
			uint32_t k = end - pos < len ? end - pos : len;

			fn((uint8_t *)rx->dst[i].addr + (pos - at), k, arg);
			pos += k;
			len -= k;
		}
		at = end;
	}
}

static void rx_piece_fill(void *piece, uint32_t n, void *arg)
{
	const uint8_t **src = arg;

	memcpy(piece, *src, n);
	*src += n;
}

static void rx_piece_crc(void *piece, uint32_t n, void *arg)
{
	uint32_t *crc = arg;

	*crc = iscsi_crc32c(*crc, piece, n);
}

struct rx_piece_out {
	struct iscsi_rx_seg *out;
	unsigned int n, max;
};

static void rx_piece_out(void *piece, uint32_t n, void *arg)
{
	struct rx_piece_out *o = arg;

	if (o->n == o->max)
		return;
	o->out[o->n].addr = piece;
	o->out[o->n].len = n;
	o->n++;
}

unsigned int iscsi_rx_direct(const struct iscsi_rx *rx,
			     struct iscsi_rx_seg *out, unsigned int max)
{
	struct rx_piece_out o = {.out = out, .max = max};

	if (rx->state != ISCSI_RX_AWAIT_DATA || !rx->dst ||
	    rx->have >= rx->pdu.info.data_len)
		return 0;
	rx_dst_walk(rx, rx->have, rx->pdu.info.data_len - rx->have,
		    rx_piece_out, &o);
	return o.n;
}

/* All of the data segment and its padding are in. */
static void rx_data_complete(struct iscsi_rx *rx)
{
	rx->have = 0;
	rx->state = rx->ddigest ? ISCSI_RX_AWAIT_DDIGEST : ISCSI_RX_PDU_READY;
}

void iscsi_rx_direct_done(struct iscsi_rx *rx, size_t len)
{
	uint32_t room = rx->pdu.info.data_len - rx->have;

	if (rx->state != ISCSI_RX_AWAIT_DATA || !rx->dst)
		return;
	if (len > room)
		len = room;
	if (rx->ddigest)
		rx_dst_walk(rx, rx->have, (uint32_t)len, rx_piece_crc,
			    &rx->data_crc);
	rx->have += (uint32_t)len;
	if (rx->have == iscsi_pad4(rx->pdu.info.data_len))
		rx_data_complete(rx);
}

static bool rx_step_bhs(struct iscsi_rx *rx, const uint8_t **p, size_t *left)
{
	struct iscsi_bhs_info *info = &rx->pdu.info;
	uint8_t reason;
	int ret;

	if (!rx_take(rx, rx->hdr, ISCSI_BHS_LEN, p, left))
		return false;
	ret = iscsi_pdu_parse_bhs(rx->hdr, rx->phase, rx->parse_flags, info,
				  &reason);
	/* A header we will reject is still read whole, within the limits,
	 * so that the stream stays in step. */
	rx->pdu.reject_reason = ret ? reason : ISCSI_REJECT_NONE;
	ret = iscsi_pdu_check_lengths(info, &rx->limits, &reason);
	if (ret) {
		rx_fail(rx, ISCSI_RX_ERR_LENGTH, reason);
		return true;
	}
	rx->pdu.bhs = rx->hdr;
	rx->pdu.ahs = rx->hdr + ISCSI_BHS_LEN;
	rx->have = 0;
	if (info->ahs_len)
		rx->state = ISCSI_RX_AWAIT_AHS;
	else if (rx->hdigest)
		rx->state = ISCSI_RX_AWAIT_HDIGEST;
	else
		rx_header_done(rx);
	return true;
}

static bool rx_step_ahs(struct iscsi_rx *rx, const uint8_t **p, size_t *left)
{
	if (!rx_take(rx, rx->hdr + ISCSI_BHS_LEN, rx->pdu.info.ahs_len, p,
		     left))
		return false;
	rx->have = 0;
	if (rx->hdigest)
		rx->state = ISCSI_RX_AWAIT_HDIGEST;
	else
		rx_header_done(rx);
	return true;
}

static bool rx_step_hdigest(struct iscsi_rx *rx, const uint8_t **p,
			    size_t *left)
{
	uint32_t crc;

	if (!rx_take(rx, rx->digest, ISCSI_DIGEST_LEN, p, left))
		return false;
	crc = iscsi_crc32c(0, rx->hdr, ISCSI_BHS_LEN + rx->pdu.info.ahs_len);
	if (crc != get_le32(rx->digest)) {
		/* The lengths cannot be trusted: the stream is lost. */
		rx_fail(rx, ISCSI_RX_ERR_HDIGEST, ISCSI_REJECT_NONE);
		return true;
	}
	rx_header_done(rx);
	return true;
}

static bool rx_step_data(struct iscsi_rx *rx, const uint8_t **p, size_t *left)
{
	uint32_t dlen = rx->pdu.info.data_len, padded = iscsi_pad4(dlen);
	uint32_t n = padded - rx->have;

	if (n > *left)
		n = (uint32_t)*left;
	if (rx->ddigest)
		rx->data_crc = iscsi_crc32c(rx->data_crc, *p, n);
	if (rx->dst) {
		const uint8_t *src = *p;
		uint32_t k = rx->have < dlen ? dlen - rx->have : 0;

		if (k > n)
			k = n;
		rx_dst_walk(rx, rx->have, k, rx_piece_fill, &src);
		if (n > k) /* padding */
			memcpy(rx->pad + (rx->have + k - dlen), src, n - k);
	} else if (!rx->discard) {
		if (rx->borrow && !rx->have && n == padded)
			rx->pdu.data = *p; /* whole in the caller's bytes */
		else
			memcpy(rx->data + rx->have, *p, n);
	}
	rx->have += n;
	*p += n;
	*left -= n;
	if (rx->have != padded)
		return false;
	rx_data_complete(rx);
	return true;
}

static bool rx_step_ddigest(struct iscsi_rx *rx, const uint8_t **p,
			    size_t *left)
{
	if (!rx_take(rx, rx->digest, ISCSI_DIGEST_LEN, p, left))
		return false;
	/* 11.17.1 / 7.8: a data digest error is answered with a Reject;
	 * the framing is intact, so the connection may go on. */
	if (rx->data_crc != get_le32(rx->digest) && !rx->pdu.reject_reason)
		rx->pdu.reject_reason = ISCSI_REJECT_DATA_DIGEST;
	rx->have = 0;
	rx->state = ISCSI_RX_PDU_READY;
	return true;
}

typedef bool (*iscsi_rx_step_fn)(struct iscsi_rx *rx, const uint8_t **p,
				 size_t *left);

/* One step per waiting state; NULL: the state waits for the caller. */
static const iscsi_rx_step_fn iscsi_rx_steps[ISCSI_RX_NR_STATES] = {
    [ISCSI_RX_AWAIT_BHS] = rx_step_bhs,
    [ISCSI_RX_AWAIT_AHS] = rx_step_ahs,
    [ISCSI_RX_AWAIT_HDIGEST] = rx_step_hdigest,
    [ISCSI_RX_AWAIT_DATA] = rx_step_data,
    [ISCSI_RX_AWAIT_DDIGEST] = rx_step_ddigest,
};

size_t iscsi_rx_feed(struct iscsi_rx *rx, const void *buf, size_t len)
{
	const uint8_t *p = buf;
	size_t left = len;

	while (iscsi_rx_steps[rx->state]) {
		enum iscsi_rx_state prev = rx->state;

		if (!iscsi_rx_steps[rx->state](rx, &p, &left))
			break; /* needs more bytes */
		if (rx->state != prev)
			scst_dbg("iscsi rx: %s -> %s",
				 iscsi_rx_state_name(prev),
				 iscsi_rx_state_name(rx->state));
	}
	return len - left;
}

const struct iscsi_rx_pdu *iscsi_rx_pdu(const struct iscsi_rx *rx)
{
	return rx->state == ISCSI_RX_PDU_READY ? &rx->pdu : NULL;
}

void iscsi_rx_next(struct iscsi_rx *rx)
{
	if (rx->state != ISCSI_RX_PDU_READY)
		return;
	memset(&rx->pdu, 0, sizeof(rx->pdu));
	rx->have = 0;
	rx->dst = NULL;
	rx->dst_n = 0;
	rx->discard = false;
	rx->state = ISCSI_RX_AWAIT_BHS;
}
