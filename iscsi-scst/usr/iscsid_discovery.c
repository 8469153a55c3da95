// SPDX-License-Identifier: GPL-2.0-only
/*
 * The full feature phase of a discovery session (RFC 7143 4.3, 6.3):
 * Text Requests with SendTargets (appendix C), Logout, NOP-Out. Anything
 * else was already refused by the PDU parser (ISCSI_PHASE_DISCOVERY).
 *
 * SendTargets=All lists every target scstd says this initiator may see
 * through the portal it connected to, as TargetName and TargetAddress
 * (<the local address>:<port>,<tpgt>). An answer longer than the
 * initiator's MaxRecvDataSegmentLength goes in pieces: C=1 with a target
 * transfer tag, and the initiator asks for the rest with empty Text
 * Requests carrying that tag (RFC 7143 11.10.2, 11.11.2).
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "scst/os.h"

#include "iscsi-scst/usr/iscsid.h"

static struct iscsi_sn disc_sn(struct iscsid_disc *d)
{
	struct iscsi_sn sn = {
	    .statsn = d->stat_sn++,
	    .expcmdsn = d->exp_cmd_sn,
	    .maxcmdsn = d->exp_cmd_sn + ISCSID_CMD_WINDOW - 1,
	};

	return sn;
}

/* CmdSN of a non-immediate request (RFC 7143 4.2.2.1). */
static void disc_cmdsn(struct iscsid_disc *d, bool immediate, uint32_t cmdsn)
{
	if (!immediate && cmdsn == d->exp_cmd_sn)
		d->exp_cmd_sn++;
}

/* Append the pair @kv and its NUL to the growing answer. */
static int append(char **buf, size_t *len, size_t *cap, const char *kv)
{
	size_t n = strlen(kv) + 1;

	if (*len + n > ISCSID_SEND_TARGETS_MAX)
		return -E2BIG;
	if (*len + n > *cap) {
		size_t ncap = (*len + n) * 2;
		char *nb = realloc(*buf, ncap);

		if (!nb)
			return -ENOMEM;
		*buf = nb;
		*cap = ncap;
	}
	memcpy(*buf + *len, kv, n);
	*len += n;
	return 0;
}

/* The SendTargets answer for @which ("All" or one target's name). */
static int send_targets_text(struct iscsid_disc *d, const char *which,
			     char **out, size_t *out_len)
{
	struct iscsid_target_ref *refs = NULL;
	size_t n = 0, i, len = 0, cap = 0;
	bool all = !strcmp(which, "All");
	char pair[ISCSI_NAME_MAX + ISCSI_ADDR_MAX + 32];
	char *buf = NULL;
	int rc;

	rc = iscsid_ctl_list_targets(d->control, d->initiator, d->local_ip,
				     &refs, &n);
	if (rc)
		return rc;
	for (i = 0; i < n && !rc; i++) {
		if (!all && strcmp(which, refs[i].name))
			continue;
		snprintf(pair, sizeof(pair), "TargetName=%s", refs[i].name);
		rc = append(&buf, &len, &cap, pair);
		if (rc)
			break;
		if (d->local_v6)
			snprintf(pair, sizeof(pair), "TargetAddress=[%s]:%u,%u",
				 d->local_ip, d->local_port, refs[i].tpgt);
		else
			snprintf(pair, sizeof(pair), "TargetAddress=%s:%u,%u",
				 d->local_ip, d->local_port, refs[i].tpgt);
		rc = append(&buf, &len, &cap, pair);
	}
	free(refs);
	if (rc) {
		free(buf);
		return rc;
	}
	*out = buf;
	*out_len = len;
	return 0;
}

/* Send the next piece of the pending answer (and forget it when done). */
static int send_piece(struct iscsid_disc *d, struct iscsid_conn *c,
		      uint32_t itt, uint64_t lun)
{
	size_t left = d->pending_len - d->pending_off;
	size_t piece = left > d->max_send_dsl ? d->max_send_dsl : left;
	bool last = piece == left;
	struct iscsi_text_rsp r = {
	    .final = last,
	    .cont = !last,
	    .lun = lun,
	    .itt = itt,
	    .ttt = last ? ISCSI_RESERVED_TAG : d->pending_ttt,
	    .data_len = (uint32_t)piece,
	    .sn = disc_sn(d),
	};
	uint8_t bhs[ISCSI_BHS_LEN];
	int rc;

	rc = iscsi_build_text_rsp(bhs, &r);
	if (!rc)
		rc = iscsid_conn_send(
		    c, bhs, d->pending ? d->pending + d->pending_off : NULL,
		    (uint32_t)piece);
	d->pending_off += piece;
	if (last || rc) {
		free(d->pending);
		d->pending = NULL;
		d->pending_len = d->pending_off = 0;
	}
	return rc;
}

static enum iscsid_disc_result reject(struct iscsid_disc *d,
				      struct iscsid_conn *c, const uint8_t *bhs,
				      uint8_t reason)
{
	struct iscsi_reject r = {.reason = reason, .sn = disc_sn(d)};
	uint8_t out[ISCSI_BHS_LEN], data[ISCSI_BHS_LEN];

	if (iscsi_build_reject(out, &r, bhs, data) ||
	    iscsid_conn_send(c, out, data, ISCSI_BHS_LEN))
		return ISCSID_DISC_ERROR;
	return ISCSID_DISC_CLOSE;
}

/* A new Text Request: its keys, with SendTargets answered here. */
static int text_answer(struct iscsid_disc *d, const struct iscsi_rx_pdu *p)
{
	struct iscsi_tgt_params tp;
	struct iscsi_negotiation *neg;
	struct iscsi_kv_list *kvs;
	char *st = NULL, *ans;
	size_t st_len = 0, ans_len = 0;
	int rc;

	kvs = malloc(sizeof(*kvs));
	neg = malloc(sizeof(*neg));
	ans = malloc(ISCSI_LOGIN_DATA_MAX);
	rc = kvs && neg && ans ? 0 : -ENOMEM;
	if (!rc)
		rc = iscsi_kv_parse((const char *)p->data, p->info.data_len,
				    kvs);
	if (!rc) {
		/* A fresh negotiation: each Text exchange stands alone. */
		iscsi_tgt_params_default(&tp);
		iscsi_neg_init(neg, &tp, true);
		neg->val[ISCSI_KEY_SESSION_TYPE] = ISCSI_SESSION_DISCOVERY;
		rc =
		    iscsi_params_negotiate(neg, ISCSI_NEG_FULL_FEATURE, kvs,
					   ans, ISCSI_LOGIN_DATA_MAX, &ans_len);
	}
	if (!rc && neg->send_targets_asked) {
		scst_dbg("iscsid: SendTargets=%s from %s", neg->send_targets,
			 d->initiator);
		rc = send_targets_text(
		    d, neg->send_targets[0] ? neg->send_targets : "All", &st,
		    &st_len);
	}
	if (!rc) {
		d->pending = malloc(ans_len + st_len + 1);
		rc = d->pending ? 0 : -ENOMEM;
	}
	if (!rc) {
		memcpy(d->pending, ans, ans_len);
		if (st_len)
			memcpy(d->pending + ans_len, st, st_len);
		d->pending_len = ans_len + st_len;
		d->pending_off = 0;
		d->pending_ttt = d->next_ttt++;
		if (d->next_ttt == ISCSI_RESERVED_TAG)
			d->next_ttt = 1;
	}
	free(st);
	free(ans);
	free(neg);
	free(kvs);
	return rc;
}

static enum iscsid_disc_result on_text(struct iscsid_disc *d,
				       struct iscsid_conn *c,
				       const struct iscsi_rx_pdu *p)
{
	const struct iscsi_bhs_info *in = &p->info;
	int rc;

	disc_cmdsn(d, in->immediate, in->text.cmdsn);
	if (in->text.cont)
		/* Initiator key text in pieces: not needed for discovery. */
		return reject(d, c, p->bhs, ISCSI_REJECT_CMD_NOT_SUPPORTED);
	if (in->text.ttt != ISCSI_RESERVED_TAG) {
		/* The rest of an answer (11.10.4); an unknown tag ends it. */
		if (!d->pending || in->text.ttt != d->pending_ttt ||
		    in->data_len)
			return reject(d, c, p->bhs,
				      ISCSI_REJECT_INVALID_PDU_FIELD);
		return send_piece(d, c, in->itt, in->lun)
			   ? ISCSID_DISC_ERROR
			   : ISCSID_DISC_CONTINUE;
	}
	/* A new request resets any answer in progress (11.10.4). */
	free(d->pending);
	d->pending = NULL;
	d->pending_len = d->pending_off = 0;
	rc = text_answer(d, p);
	if (rc == -EPROTO || rc == -EINVAL || rc == -EEXIST ||
	    rc == -ENAMETOOLONG || rc == -E2BIG)
		return reject(d, c, p->bhs, ISCSI_REJECT_PROTOCOL_ERROR);
	if (rc) {
		scst_warn("iscsid: SendTargets for %s failed: %s", d->initiator,
			  strerror(-rc));
		return ISCSID_DISC_ERROR;
	}
	return send_piece(d, c, in->itt, in->lun) ? ISCSID_DISC_ERROR
						  : ISCSID_DISC_CONTINUE;
}

static enum iscsid_disc_result on_logout(struct iscsid_disc *d,
					 struct iscsid_conn *c,
					 const struct iscsi_rx_pdu *p)
{
	struct iscsi_logout_rsp r = {.itt = p->info.itt};
	uint8_t bhs[ISCSI_BHS_LEN];

	disc_cmdsn(d, p->info.immediate, p->info.logout.cmdsn);
	r.response = ISCSI_LOGOUT_RSP_SUCCESS;
	r.sn = disc_sn(d);
	if (iscsi_build_logout_rsp(bhs, &r) ||
	    iscsid_conn_send(c, bhs, NULL, 0))
		return ISCSID_DISC_ERROR;
	scst_dbg("iscsid: discovery session of %s logged out", d->initiator);
	return ISCSID_DISC_CLOSE;
}

static enum iscsid_disc_result on_nop_out(struct iscsid_disc *d,
					  struct iscsid_conn *c,
					  const struct iscsi_rx_pdu *p)
{
	const struct iscsi_bhs_info *in = &p->info;
	struct iscsi_nop_in r = {
	    .lun = in->lun,
	    .itt = in->itt,
	    .ttt = ISCSI_RESERVED_TAG,
	};
	uint8_t bhs[ISCSI_BHS_LEN];
	uint32_t len = in->data_len;

	disc_cmdsn(d, in->immediate, in->nop_out.cmdsn);
	if (in->itt == ISCSI_RESERVED_TAG)
		return ISCSID_DISC_CONTINUE; /* a ping answer: nothing back */
	if (len > d->max_send_dsl)
		len = d->max_send_dsl;
	r.data_len = len;
	r.sn = disc_sn(d);
	if (iscsi_build_nop_in(bhs, &r) ||
	    iscsid_conn_send(c, bhs, p->data, len))
		return ISCSID_DISC_ERROR;
	return ISCSID_DISC_CONTINUE;
}

enum iscsid_disc_result iscsid_disc_pdu(struct iscsid_disc *d,
					struct iscsid_conn *c,
					const struct iscsi_rx_pdu *pdu)
{
	if (pdu->reject_reason)
		return reject(d, c, pdu->bhs, pdu->reject_reason);
	switch (pdu->info.opcode) {
	case ISCSI_OP_TEXT_REQ:
		return on_text(d, c, pdu);
	case ISCSI_OP_LOGOUT_REQ:
		return on_logout(d, c, pdu);
	case ISCSI_OP_NOP_OUT:
		return on_nop_out(d, c, pdu);
	default:
		return reject(d, c, pdu->bhs, ISCSI_REJECT_PROTOCOL_ERROR);
	}
}

void iscsid_disc_destroy(struct iscsid_disc *d)
{
	free(d->pending);
	d->pending = NULL;
}
