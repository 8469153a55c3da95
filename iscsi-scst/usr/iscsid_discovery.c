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
#include <netinet/in.h>
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

struct disc_portal {
	char ip[INET6_ADDRSTRLEN];
	uint16_t port;
	bool v6;
};

/* The daemon's portals (set up before the event loop; read-only after). */
static struct disc_portal disc_portals[ISCSID_MAX_PORTALS];
static size_t disc_n_portals;

int iscsid_disc_add_portal(const char *ip, uint16_t port, bool v6)
{
	struct disc_portal *p;

	if (disc_n_portals == ISCSID_MAX_PORTALS || strlen(ip) >= sizeof(p->ip))
		return -ENOSPC;
	p = &disc_portals[disc_n_portals++];
	snprintf(p->ip, sizeof(p->ip), "%s", ip);
	p->port = port;
	p->v6 = v6;
	return 0;
}

/* What each portal offers this initiator: its targets from scstd. */
struct portal_view {
	const struct disc_portal *portal;
	struct iscsid_target_ref *refs;
	size_t n;
};

static bool view_has(const struct portal_view *v, const char *name,
		     uint16_t *tpgt)
{
	size_t i;

	for (i = 0; i < v->n; i++)
		if (!strcmp(v->refs[i].name, name)) {
			*tpgt = v->refs[i].tpgt;
			return true;
		}
	return false;
}

/*
 * The portals to ask about: the one the initiator connected to first,
 * then every other portal the daemon listens on. Each is asked of scstd
 * separately, since allowed_portal and per_portal_acl make the answer
 * depend on the portal (RFC 7143 appendix C: the target returns the
 * addresses "the requesting initiator is authorized to access").
 */
static int gather_views(struct iscsid_disc *d, struct disc_portal *here,
			struct portal_view *views, size_t *nviews)
{
	size_t i, n = 0;
	int rc;

	snprintf(here->ip, sizeof(here->ip), "%s", d->local_ip);
	here->port = d->local_port;
	here->v6 = d->local_v6;
	views[n++].portal = here;
	for (i = 0; i < disc_n_portals; i++) {
		const struct disc_portal *p = &disc_portals[i];

		if (p->port == here->port && !strcmp(p->ip, here->ip))
			continue;
		views[n++].portal = p;
	}
	for (i = 0; i < n; i++) {
		rc = iscsid_ctl_list_targets(d->control, d->initiator,
					     views[i].portal->ip,
					     &views[i].refs, &views[i].n);
		if (rc) {
			*nviews = i;
			return rc;
		}
	}
	*nviews = n;
	return 0;
}

/* The SendTargets answer for @which ("All" or one target's name). */
static int send_targets_text(struct iscsid_disc *d, const char *which,
			     char **out, size_t *out_len)
{
	struct portal_view views[ISCSID_MAX_PORTALS + 1] = {{0}};
	char pair[ISCSI_NAME_MAX + ISCSI_ADDR_MAX + 32];
	bool all = !strcmp(which, "All");
	struct disc_portal here;
	size_t nviews = 0, v, i, w, len = 0, cap = 0;
	char *buf = NULL;
	uint16_t tpgt;
	int rc;

	rc = gather_views(d, &here, views, &nviews);
	/* Every target once, in the order the portals first list them. */
	for (v = 0; v < nviews && !rc; v++) {
		for (i = 0; i < views[v].n && !rc; i++) {
			const char *name = views[v].refs[i].name;
			bool seen = false;

			for (w = 0; w < v && !seen; w++)
				seen = view_has(&views[w], name, &tpgt);
			if (seen || (!all && strcmp(which, name)))
				continue;
			snprintf(pair, sizeof(pair), "TargetName=%s", name);
			rc = append(&buf, &len, &cap, pair);
			for (w = v; w < nviews && !rc; w++) {
				const struct disc_portal *p = views[w].portal;

				if (!view_has(&views[w], name, &tpgt))
					continue;
				snprintf(pair, sizeof(pair),
					 p->v6 ? "TargetAddress=[%s]:%u,%u"
					       : "TargetAddress=%s:%u,%u",
					 p->ip, p->port, tpgt);
				rc = append(&buf, &len, &cap, pair);
			}
		}
	}
	for (v = 0; v < nviews; v++)
		free(views[v].refs);
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
