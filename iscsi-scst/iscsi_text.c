// SPDX-License-Identifier: GPL-2.0-only
/*
 * Text Requests in the full feature phase (RFC 7143 11.10, 11.11, 6.1,
 * 13), network thread only:
 *
 *  - a request may span PDUs (C=1, 11.10.2): each part is answered with
 *    an empty Text Response with F=0 and a Target Transfer Tag, and the
 *    initiator continues with that TTT; the parts are joined before the
 *    keys are parsed, since a part may end in the middle of a key=value;
 *  - an answer longer than the initiator's MaxRecvDataSegmentLength (our
 *    max_xmit_dsl) goes out in pieces with C=1 and F=0 (11.11.2), each
 *    fetched by an empty Text Request that echoes our TTT; the last one
 *    has F=1, C=0 and TTT 0xffffffff;
 *  - a Text Request with TTT 0xffffffff starts afresh and drops whatever
 *    exchange was pending (11.10.4);
 *  - keys go through iscsi_params.c's table in its FFP stage: keys
 *    allowed there (MaxRecvDataSegmentLength, declarative, 13.12: applied
 *    to what we send from now on) are taken, leading-only and login-only
 *    ones answered with Reject, unknown ones with NotUnderstood;
 *  - SendTargets per appendix C in a normal session: no value -> the
 *    session's target; a name -> that target if it is enabled; "All" is
 *    answered with Reject, as appendix C says All "MUST NOT be supported
 *    on an operational session" (discovery sessions are the login
 *    daemon's).
 */
#include <errno.h>
#include <string.h>
#include <sys/uio.h>

#include "iscsi-scst/iscsi_params.h"
#include "iscsi-scst/iscsi_pdu.h"
#include "iscsi-scst/iscsi_priv.h"
#include "scst/byteorder.h"

#include "iscsi-scst/iscsi_conn_internal.h"

/* Bounds of one exchange: a joined request, a whole answer. */
#define ISCSI_TEXT_REQ_MAX 65536
#define ISCSI_TEXT_RSP_MAX 65536

struct iscsi_text_state {
	uint32_t itt; /* the exchange in progress */
	uint32_t ttt; /* what the initiator must echo; RESERVED: none */
	bool busy;
	char req[ISCSI_TEXT_REQ_MAX]; /* parts of a C=1 request */
	size_t req_len;
	char rsp[ISCSI_TEXT_RSP_MAX]; /* the answer, sent from rsp_off */
	size_t rsp_len, rsp_off;
	struct iscsi_kv_list kv;
	struct iscsi_tgt_params tp;
	struct iscsi_negotiation neg;
};

void iscsi_text_free(struct iscsi_conn *c)
{
	scst_os_free(c->text);
	c->text = NULL;
}

/*
 * Reject a Text Request (RFC 7143 11.17). Its header is rebuilt from the
 * parsed fields: the receive path hands this file no raw header.
 */
static void text_reject(struct iscsi_conn *c, const struct iscsi_bhs_info *in,
			uint8_t reason)
{
	uint8_t bhs[ISCSI_BHS_LEN] = {0};

	bhs[0] = ISCSI_OP_TEXT_REQ | (in->immediate ? 0x40 : 0);
	bhs[1] = in->flags;
	scst_put_be24(bhs + 5, in->data_len);
	scst_put_be64(bhs + ISCSI_BHS_LUN, in->lun);
	scst_put_be32(bhs + 16, in->itt);
	scst_put_be32(bhs + ISCSI_TEXT_TTT, in->text.ttt);
	scst_put_be32(bhs + ISCSI_TEXT_CMDSN, in->text.cmdsn);
	scst_put_be32(bhs + ISCSI_TEXT_EXPSTATSN, in->text.expstatsn);
	iscsi_conn_send_reject(c, reason, bhs);
}

static void text_reset(struct iscsi_text_state *s)
{
	s->busy = false;
	s->ttt = ISCSI_RESERVED_TAG;
	s->req_len = 0;
	s->rsp_len = 0;
	s->rsp_off = 0;
}

static uint32_t text_new_ttt(struct iscsi_conn *c)
{
	uint32_t ttt;

	/* TTTs share the R2T counter: unique on the connection. */
	scst_mutex_lock(&c->lock);
	if (++c->next_ttt == ISCSI_RESERVED_TAG)
		c->next_ttt = 1;
	ttt = c->next_ttt;
	scst_mutex_unlock(&c->lock);
	return ttt;
}

/* One Text Response carrying @len bytes of @data. */
static void text_send(struct iscsi_conn *c, const struct iscsi_bhs_info *in,
		      const char *data, uint32_t len, bool final, bool cont,
		      uint32_t ttt)
{
	struct iscsi_text_rsp r = {
	    .final = final,
	    .cont = cont,
	    .lun = in->lun,
	    .itt = in->itt,
	    .ttt = ttt,
	    .data_len = len,
	};
	struct iscsi_txpdu *p = iscsi_txpdu_with_data(c, data, len);

	if (!p)
		return;
	iscsi_build_text_rsp(p->hdr, &r);
	p->sn = SN_ADVANCE;
	iscsi_conn_send(c, p);
}

/* The next piece of the answer, at most MaxRecvDataSegmentLength. */
static void text_send_next(struct iscsi_conn *c,
			   const struct iscsi_bhs_info *in)
{
	struct iscsi_text_state *s = c->text;
	size_t n = s->rsp_len - s->rsp_off;
	uint32_t max;
	bool more;

	scst_mutex_lock(&c->lock);
	max = c->max_xmit_dsl;
	scst_mutex_unlock(&c->lock);
	if (n > max)
		n = max;
	more = s->rsp_off + n < s->rsp_len;
	s->ttt = more ? text_new_ttt(c) : ISCSI_RESERVED_TAG;
	text_send(c, in, s->rsp + s->rsp_off, (uint32_t)n, !more, more, s->ttt);
	s->rsp_off += n;
	if (!more)
		text_reset(s);
}

/* Append "key=value" and its NUL to the answer. */
static int text_emit(struct iscsi_text_state *s, const char *key,
		     const char *val)
{
	int n = scst_snprintf(s->rsp + s->rsp_len, sizeof(s->rsp) - s->rsp_len,
			      "%s=%s", key, val);

	if (n < 0 || (size_t)n >= sizeof(s->rsp) - s->rsp_len)
		return -ENOSPC;
	s->rsp_len += (size_t)n + 1; /* the NUL scst_snprintf wrote */
	return 0;
}

/* TargetName and TargetAddress of one target (RFC 7143 appendix C). */
static int text_target(struct iscsi_conn *c, const char *name,
		       unsigned int tpgt)
{
	char addr[ISCSI_ADDR_MAX + 8];
	int rc = text_emit(c->text, "TargetName", name);

	scst_snprintf(addr, sizeof(addr), "%s,%u", c->local_addr, tpgt);
	return rc ? rc : text_emit(c->text, "TargetAddress", addr);
}

static int text_send_targets(struct iscsi_conn *c, const char *val)
{
	struct iscsi_tgt *it;
	unsigned int tpgt = 0;
	bool found = false;

	if (!strcmp(val, "All"))
		return text_emit(c->text, "SendTargets", "Reject");
	if (!val[0] || !strcmp(val, c->sess->target))
		return text_target(c, c->sess->target, c->sess->tpgt);
	scst_mutex_lock(&iscsi_mutex);
	it = iscsi_tgt_find_enabled_locked(val);
	if (it) {
		found = true;
		tpgt = scst_tgt_rel_tgt_id(it->stgt);
	}
	scst_mutex_unlock(&iscsi_mutex);
	/* Unknown or disabled: no addresses, as for a name never heard of. */
	return found ? text_target(c, val, tpgt ? tpgt : 1u) : 0;
}

/* A whole request in @req: negotiate and build the answer. */
static int text_answer(struct iscsi_conn *c, const char *req, size_t len)
{
	struct iscsi_text_state *s = c->text;
	uint32_t tgt_max, mrdsl;
	int rc;

	rc = iscsi_kv_parse(req, len, &s->kv);
	if (rc)
		return -EPROTO;
	iscsi_tgt_params_default(&s->tp);
	iscsi_neg_init(&s->neg, &s->tp, true);
	s->rsp_len = 0;
	rc = iscsi_params_negotiate(&s->neg, ISCSI_NEG_FULL_FEATURE, &s->kv,
				    s->rsp, sizeof(s->rsp), &s->rsp_len);
	if (rc)
		return rc;
	if (s->neg.send_targets_asked) {
		rc = text_send_targets(c, s->neg.send_targets);
		if (rc)
			return rc;
	}
	if (s->neg.seen & (1ull << ISCSI_KEY_MAX_RECV_DSL)) {
		/* Declarative (13.12): what we may send in one PDU now, no
		 * more than the target's MaxXmitDataSegmentLength. */
		scst_mutex_lock(&iscsi_mutex);
		tgt_max = c->sess->it->tp[ISCSI_TP_MAX_XMIT_DSL];
		scst_mutex_unlock(&iscsi_mutex);
		mrdsl = s->neg.val[ISCSI_KEY_MAX_RECV_DSL];
		scst_mutex_lock(&c->lock);
		c->max_xmit_dsl = mrdsl < tgt_max ? mrdsl : tgt_max;
		scst_mutex_unlock(&c->lock);
		scst_log(SCST_LOG_INFO,
			 "iscsi: %s: MaxRecvDataSegmentLength %u declared in "
			 "the full feature phase",
			 c->sess->initiator, mrdsl);
	}
	return 0;
}

void iscsi_rx_text(struct iscsi_conn *c, const struct iscsi_bhs_info *in,
		   const uint8_t *data)
{
	struct iscsi_text_state *s = c->text;
	int rc;

	if (!s) {
		s = scst_os_zalloc(sizeof(*s));
		if (!s) {
			text_reject(c, in, ISCSI_REJECT_LONG_OP);
			return;
		}
		c->text = s;
		text_reset(s);
	}
	if (in->text.ttt == ISCSI_RESERVED_TAG) {
		/* 11.10.4: a new request; a pending exchange is dropped. */
		text_reset(s);
		s->itt = in->itt;
		s->busy = true;
	} else if (!s->busy || in->text.ttt != s->ttt || in->itt != s->itt) {
		text_reject(c, in, ISCSI_REJECT_INVALID_PDU_FIELD);
		return;
	}
	/* Fetching the rest of a long answer: the request is empty. */
	if (s->rsp_off < s->rsp_len) {
		if (in->data_len || in->text.cont) {
			text_reset(s);
			text_reject(c, in, ISCSI_REJECT_PROTOCOL_ERROR);
			return;
		}
		text_send_next(c, in);
		return;
	}
	if (in->data_len > sizeof(s->req) - s->req_len) {
		text_reset(s);
		text_reject(c, in, ISCSI_REJECT_PROTOCOL_ERROR);
		return;
	}
	memcpy(s->req + s->req_len, data, in->data_len);
	s->req_len += in->data_len;
	if (in->text.cont) {
		/* 11.10.2: more of the request follows; ask for it. */
		s->ttt = text_new_ttt(c);
		text_send(c, in, NULL, 0, false, false, s->ttt);
		return;
	}
	rc = text_answer(c, s->req, s->req_len);
	if (rc) {
		scst_log(SCST_LOG_WARN, "iscsi: %s: bad Text Request: %d",
			 c->sess->initiator, rc);
		text_reset(s);
		text_reject(c, in, ISCSI_REJECT_PROTOCOL_ERROR);
		return;
	}
	text_send_next(c, in);
}
