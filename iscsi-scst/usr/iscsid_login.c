// SPDX-License-Identifier: GPL-2.0-only
/*
 * One connection of iscsi-scstd: bytes in through the PDU receiver
 * (iscsi_pdu.h, login limits checked before allocation), the login state
 * machine, responses out through a bounded transmit buffer.
 *
 * The state machine is data: login_fsm[] lists every allowed {state,
 * event} pair with its action and the RFC 7143 rule it implements. A pair
 * that is not in the table is a protocol error: Login Response "initiator
 * error" (02/00) in the login phase (RFC 7143 6.3, 11.13.5), Reject in a
 * discovery session's full feature phase; the connection then ends.
 * Every transition is logged (debug level) by name.
 *
 * The actions are straight-line: check, negotiate (iscsi_params.h),
 * authenticate (iscsi_chap.h), answer. A normal session that reaches the
 * full feature phase is handed to scstd (iscsid_ctl_handoff): the final
 * Login Response is scstd's to send.
 *
 * Nothing secret is logged: CHAP values never leave iscsi_chap.c, and the
 * accounts are wiped when the connection goes.
 */
#include <errno.h>
#include <netinet/in.h>
#include <arpa/inet.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#include "scst/byteorder.h"
#include "scst/os.h"

#include "iscsi-scst/usr/iscsid.h"

#define TX_MAX	  (ISCSID_SEND_TARGETS_MAX + 4 * ISCSI_LOGIN_DATA_MAX)
#define CHAP_KEYS 8

enum login_state {
	LS_XPT_UP,	  /* RFC 7143 8.1.3 S3: connected, no Login yet */
	LS_SECURITY,	  /* S4 IN_LOGIN, CSG 0 (6.3.2) */
	LS_OPERATIONAL,	  /* S4 IN_LOGIN, CSG 1 (6.3.3) */
	LS_DISCOVERY_FFP, /* S5 LOGGED_IN, discovery session */
	LS_HANDED_OFF,	  /* S5 LOGGED_IN, in scstd */
	LS_CLOSING,	  /* a last response is queued, then close */
	LS_DROP,	  /* close now */
	LS_NR,
};

enum login_event {
	LE_LOGIN_SECURITY,    /* Login Request, CSG 0 */
	LE_LOGIN_OPERATIONAL, /* Login Request, CSG 1 */
	LE_LOGIN_FFP,	      /* Login Request, CSG 3 (never valid) */
	LE_TEXT,
	LE_LOGOUT,
	LE_NOP_OUT,
	LE_OTHER,
	LE_NR,
};

static const char *const state_names[LS_NR] = {
    [LS_XPT_UP] = "XPT_UP",
    [LS_SECURITY] = "SECURITY",
    [LS_OPERATIONAL] = "OPERATIONAL",
    [LS_DISCOVERY_FFP] = "DISCOVERY_FFP",
    [LS_HANDED_OFF] = "HANDED_OFF",
    [LS_CLOSING] = "CLOSING",
    [LS_DROP] = "DROP",
};

static const char *const event_names[LE_NR] = {
    [LE_LOGIN_SECURITY] = "Login(CSG=0)",
    [LE_LOGIN_OPERATIONAL] = "Login(CSG=1)",
    [LE_LOGIN_FFP] = "Login(CSG=3)",
    [LE_TEXT] = "Text",
    [LE_LOGOUT] = "Logout",
    [LE_NOP_OUT] = "NOP-Out",
    [LE_OTHER] = "other PDU",
};

struct iscsid_conn {
	int fd;
	const struct iscsid_config *cfg;
	enum login_state state;
	uint64_t deadline_ms;
	char local_ip[INET6_ADDRSTRLEN];
	char local_addr[ISCSI_ADDR_MAX]; /* "ip:port" / "[ip]:port" */
	char peer_addr[ISCSI_ADDR_MAX];
	bool local_v6;
	uint16_t local_port;
	struct iscsi_rx rx;
	bool rx_more; /* bytes read past the current PDU */

	/* The login (RFC 7143 11.12): fixed by the first request. */
	bool started;
	uint8_t isid[ISCSI_ISID_LEN];
	uint16_t tsih, cid;
	uint32_t cmd_sn, stat_sn;
	uint8_t version_max;
	bool discovery;
	bool auth_needed;   /* the target has IncomingUser accounts */
	bool authenticated; /* security stage passed */
	bool chap_started;
	struct iscsid_target tgt;
	struct iscsi_negotiation neg;
	struct iscsi_chap chap;
	size_t keys_len; /* a C-bit chain (RFC 7143 11.12.2) */
	char keys[ISCSID_KEYS_MAX];
	char rsp[ISCSI_LOGIN_DATA_MAX];
	size_t rsp_len;

	struct iscsid_disc disc;

	uint8_t *tx;
	size_t tx_len, tx_off;
};

/* A status to answer a login with (class << 8 | detail). */
#define ST(cls, det) (((cls) << 8) | (det))
#define ST_INIT_ERR  ST(ISCSI_STATUS_CLS_INITIATOR_ERR, 0)

static uint64_t now_ms(void)
{
	return scst_os_now_ns() / 1000000u;
}

/* ------------------------------------------------------------ output ---- */

int iscsid_conn_send(struct iscsid_conn *c, const uint8_t *bhs,
		     const void *data, uint32_t len)
{
	size_t need = ISCSI_BHS_LEN + iscsi_pad4(len);
	uint8_t *nb;

	if (c->tx_off == c->tx_len)
		c->tx_off = c->tx_len = 0;
	if (c->tx_len + need > TX_MAX)
		return -ENOBUFS;
	nb = realloc(c->tx, c->tx_len + need);
	if (!nb)
		return -ENOMEM;
	c->tx = nb;
	memcpy(c->tx + c->tx_len, bhs, ISCSI_BHS_LEN);
	if (len)
		memcpy(c->tx + c->tx_len + ISCSI_BHS_LEN, data, len);
	memset(c->tx + c->tx_len + ISCSI_BHS_LEN + len, 0,
	       iscsi_pad4(len) - len);
	c->tx_len += need;
	return 0;
}

static int login_respond(struct iscsid_conn *c, uint32_t itt, bool transit,
			 uint8_t csg, uint8_t nsg, unsigned int status,
			 const void *data, uint32_t len)
{
	struct iscsi_login_rsp r = {
	    .transit = transit,
	    .csg = csg,
	    .nsg = transit ? nsg : 0,
	    .version_max = ISCSI_VERSION,
	    .version_active = ISCSI_VERSION,
	    .itt = itt,
	    .data_len = len,
	    .status_class = (uint8_t)(status >> 8),
	    .status_detail = (uint8_t)status,
	    .sn = {.statsn = c->stat_sn++,
		   .expcmdsn = c->cmd_sn,
		   .maxcmdsn = c->cmd_sn + ISCSID_CMD_WINDOW - 1},
	};
	uint8_t bhs[ISCSI_BHS_LEN];

	memcpy(r.isid, c->isid, sizeof(r.isid));
	if (iscsi_build_login_rsp(bhs, &r))
		return -EINVAL;
	return iscsid_conn_send(c, bhs, data, len);
}

/* Fail the login with @status (RFC 7143 11.13.5) and end the connection. */
static enum login_state login_fail(struct iscsid_conn *c,
				   const struct iscsi_rx_pdu *pdu,
				   unsigned int status, const char *why)
{
	uint8_t csg = pdu->info.opcode == ISCSI_OP_LOGIN_REQ &&
			      pdu->info.login.csg <= ISCSI_STAGE_OPERATIONAL
			  ? pdu->info.login.csg
			  : ISCSI_STAGE_SECURITY;

	scst_info("iscsid: %s: login of %s refused (%02x/%02x): %s",
		  c->peer_addr,
		  c->neg.initiator_name[0] ? c->neg.initiator_name : "?",
		  status >> 8, status & 0xff, why);
	if (login_respond(c, pdu->info.itt, false, csg, 0, status, NULL, 0))
		return LS_DROP;
	return LS_CLOSING;
}

/* ------------------------------------------------------ first request ---- */

/* The value of @key in @l as a string in @buf, or "" if absent. */
static void kv_string(const struct iscsi_kv_list *l, const char *key, char *buf,
		      size_t cap)
{
	const struct iscsi_kv *kv = iscsi_kv_find(l, key);
	size_t n = kv ? kv->value_len : 0;

	if (n >= cap)
		n = cap - 1;
	if (n)
		memcpy(buf, kv->value, n);
	buf[n] = '\0';
}

/* iSCSI names (RFC 7143 4.2.7, RFC 3722) have no blanks nor control
 * characters; they also travel as words of iscsi_ctl.h's lines. */
static bool name_ok(const char *s)
{
	for (; *s; s++)
		if ((unsigned char)*s <= 0x20 || *s == 0x7f)
			return false;
	return true;
}

/*
 * scstd's verdict on this initiator, portal and target (iscsi_acl.c):
 * 0, a refusal status, or a redirection (01/01, 01/02) with the
 * TargetAddress left in c->rsp for login_redirect().
 */
static unsigned int login_check(struct iscsid_conn *c, const char *initiator,
				const char **why)
{
	struct iscsid_login_check res;
	int rc;

	rc = iscsid_ctl_login_check(c->cfg->control, c->tgt.name, initiator,
				    c->local_ip, c->local_port, &res);
	if (rc) {
		*why = "scstd does not answer";
		return ST(ISCSI_STATUS_CLS_TARGET_ERR,
			  ISCSI_LOGIN_STATUS_SVC_UNAVAILABLE);
	}
	if (res.verdict == ISCSID_LOGIN_ALLOW)
		return 0;
	if (res.verdict == ISCSID_LOGIN_REFUSE) {
		snprintf(c->rsp, sizeof(c->rsp), "%s", res.text);
		*why = c->rsp;
		return ST(res.status_class, res.status_detail);
	}
	/* RFC 7143 13.8: no portal group tag in a redirection. */
	snprintf(c->rsp, sizeof(c->rsp), "TargetAddress=%s", res.address);
	c->rsp_len = strlen(c->rsp) + 1;
	*why = "redirected";
	return ST(res.status_class, res.status_detail);
}

/*
 * RFC 7143 6.3.1 / 13.5, 13.4, 13.21: the first Login Request names the
 * initiator, the session type and (normal sessions) the target. Look the
 * target up in scstd and set up the negotiation with its limits.
 */
static unsigned int session_setup(struct iscsid_conn *c,
				  const struct iscsi_kv_list *kvs,
				  const char **why)
{
	char initiator[ISCSI_NAME_MAX], target[ISCSI_VALUE_MAX + 1];
	char stype[16];
	int rc;

	kv_string(kvs, "InitiatorName", initiator, sizeof(initiator));
	kv_string(kvs, "TargetName", target, sizeof(target));
	kv_string(kvs, "SessionType", stype, sizeof(stype));
	if (!initiator[0]) {
		*why = "no InitiatorName";
		return ST(ISCSI_STATUS_CLS_INITIATOR_ERR,
			  ISCSI_LOGIN_STATUS_MISSING_FIELDS);
	}
	if (!name_ok(initiator) || !name_ok(target)) {
		*why = "blank or control character in a name";
		return ST_INIT_ERR;
	}
	c->discovery = !strcmp(stype, "Discovery");
	if (c->discovery) {
		if (c->tsih) {
			*why = "a discovery session cannot be continued";
			return ST(ISCSI_STATUS_CLS_INITIATOR_ERR,
				  ISCSI_LOGIN_STATUS_NO_SESSION);
		}
		memset(&c->tgt, 0, sizeof(c->tgt));
		iscsi_tgt_params_default(&c->tgt.params);
		rc = iscsid_ctl_get_discovery(c->cfg->control, &c->tgt.chap);
	} else {
		if (!target[0]) {
			*why = "no TargetName";
			return ST(ISCSI_STATUS_CLS_INITIATOR_ERR,
				  ISCSI_LOGIN_STATUS_MISSING_FIELDS);
		}
		if (strlen(target) >= ISCSI_NAME_MAX) {
			*why = "TargetName too long";
			return ST_INIT_ERR;
		}
		rc = iscsid_ctl_get_target(c->cfg->control, target, &c->tgt);
		if (rc == -ENOENT || (!rc && !c->tgt.enabled)) {
			*why = "no such target or disabled";
			return ST(ISCSI_STATUS_CLS_INITIATOR_ERR,
				  ISCSI_LOGIN_STATUS_TGT_NOT_FOUND);
		}
		/* Before any authentication, as SCST redirects. */
		if (!rc) {
			unsigned int st = login_check(c, initiator, why);

			if (st)
				return st;
		}
	}
	if (rc) {
		scst_warn("iscsid: scstd's control socket %s: %s",
			  c->cfg->control, strerror(-rc));
		*why = "scstd does not answer";
		return ST(ISCSI_STATUS_CLS_TARGET_ERR,
			  ISCSI_LOGIN_STATUS_SVC_UNAVAILABLE);
	}
	c->auth_needed = c->tgt.chap.n_incoming > 0;
	c->authenticated = !c->auth_needed;
	c->tgt.params.auth_mask =
	    c->auth_needed ? 1u << ISCSI_AUTH_CHAP : 1u << ISCSI_AUTH_NONE;
	iscsi_neg_init(&c->neg, &c->tgt.params, c->tsih == 0);
	iscsi_chap_init(&c->chap, &c->tgt.chap);
	return 0;
}

/* RFC 7143 11.12: version range, and the fields that stay fixed. */
static unsigned int check_request(struct iscsid_conn *c,
				  const struct iscsi_bhs_info *in,
				  const char **why)
{
	const typeof(in->login) *l = &in->login;

	if (!c->started) {
		c->started = true;
		memcpy(c->isid, l->isid, sizeof(c->isid));
		c->tsih = l->tsih;
		c->cid = l->cid;
		c->cmd_sn = l->cmdsn;
		c->stat_sn = l->expstatsn;
		c->version_max = l->version_max;
		/* Version-max >= 0 always holds: only Version-min can
		 * leave us out of the range. */
		if (l->version_min > ISCSI_VERSION) {
			*why = "unsupported version";
			return ST(ISCSI_STATUS_CLS_INITIATOR_ERR,
				  ISCSI_LOGIN_STATUS_NO_VERSION);
		}
		return 0;
	}
	if (memcmp(c->isid, l->isid, sizeof(c->isid)) || c->tsih != l->tsih ||
	    c->cid != l->cid || c->cmd_sn != l->cmdsn) {
		*why = "ISID, TSIH, CID or CmdSN changed during the login";
		return ST_INIT_ERR;
	}
	return 0;
}

/* ---------------------------------------------------------- security ---- */

/* Copy the CHAP_* keys of @kvs, NUL-terminated, for iscsi_chap_step(). */
static size_t chap_keys(const struct iscsi_kv_list *kvs,
			char names[CHAP_KEYS][16], struct iscsi_chap_kv *in)
{
	size_t n = 0;
	unsigned int i;

	for (i = 0; i < kvs->n && n < CHAP_KEYS; i++) {
		const struct iscsi_kv *kv = &kvs->kv[i];

		if (kv->key_len < 5 || kv->key_len > 15 ||
		    memcmp(kv->key, "CHAP_", 5))
			continue;
		memcpy(names[n], kv->key, kv->key_len);
		names[n][kv->key_len] = '\0';
		in[n].key = names[n];
		in[n].value = kv->value; /* NUL-ended in the segment */
		n++;
	}
	return n;
}

static int rsp_append(struct iscsid_conn *c, const char *k, const char *v)
{
	int n = snprintf(c->rsp + c->rsp_len, sizeof(c->rsp) - c->rsp_len,
			 "%s=%s", k, v);

	if (n < 0 || (size_t)n + 1 > sizeof(c->rsp) - c->rsp_len)
		return -ENOSPC;
	c->rsp_len += (size_t)n + 1;
	return 0;
}

static bool chap_agreed(const struct iscsid_conn *c)
{
	return (c->neg.seen & (1ull << ISCSI_KEY_AUTH_METHOD)) &&
	       c->neg.val[ISCSI_KEY_AUTH_METHOD] == ISCSI_AUTH_CHAP &&
	       c->auth_needed;
}

/* RFC 7143 12.1.3: one CHAP step with this request's keys. */
static unsigned int security_chap(struct iscsid_conn *c,
				  const struct iscsi_kv_list *kvs,
				  const char **why)
{
	char names[CHAP_KEYS][16];
	struct iscsi_chap_kv in[CHAP_KEYS];
	char buf[ISCSI_CHAP_OUT_BUF_MIN * 2];
	struct iscsi_chap_out out;
	enum iscsi_chap_status st = ISCSI_CHAP_STATUS_OK;
	enum iscsi_chap_result r;
	size_t n = chap_keys(kvs, names, in), i;

	if (!chap_agreed(c)) {
		if (!n)
			return 0;
		*why = "CHAP keys without AuthMethod=CHAP";
		return ST_INIT_ERR;
	}
	if (!n && !c->chap_started)
		return 0; /* AuthMethod just agreed: CHAP_A comes next */
	c->chap_started = true;
	iscsi_chap_out_init(&out, buf, sizeof(buf));
	r = iscsi_chap_step(&c->chap, in, n, &out, &st);
	if (r == ISCSI_CHAP_FAILURE) {
		*why = st == ISCSI_CHAP_STATUS_AUTH_FAILED
			   ? "CHAP authentication failed"
			   : "CHAP exchange failed";
		return st ? (unsigned int)st : ST_INIT_ERR;
	}
	for (i = 0; i < out.n; i++) {
		if (rsp_append(c, out.kv[i].key, out.kv[i].value)) {
			*why = "response too long";
			return ST(ISCSI_STATUS_CLS_TARGET_ERR, 0);
		}
	}
	if (r == ISCSI_CHAP_SUCCESS && !c->authenticated) {
		c->authenticated = true;
		scst_info("iscsid: %s: %s authenticated as CHAP user %s",
			  c->peer_addr, c->neg.initiator_name,
			  iscsi_chap_user(&c->chap));
	}
	return 0;
}

/* --------------------------------------------------------- hand-off ---- */

/* Copy @src into @dst, truncated to @cap - 1 bytes (names were checked
 * against ISCSI_NAME_MAX during the login). */
static void copy_str(char *dst, size_t cap, const char *src)
{
	size_t n = strnlen(src, cap - 1);

	memcpy(dst, src, n);
	dst[n] = '\0';
}

static void fill_handoff(struct iscsid_conn *c, const struct iscsi_rx_pdu *p,
			 struct iscsi_handoff *h)
{
	const uint32_t *v = c->neg.val;
	uint32_t xmit = v[ISCSI_KEY_MAX_RECV_DSL];

	memset(h, 0, sizeof(*h));
	h->version = ISCSI_HANDOFF_VERSION;
	h->size = sizeof(*h);
	copy_str(h->target_name, sizeof(h->target_name), c->tgt.name);
	copy_str(h->initiator_name, sizeof(h->initiator_name),
		 c->neg.initiator_name);
	copy_str(h->initiator_alias, sizeof(h->initiator_alias),
		 c->neg.initiator_alias);
	memcpy(h->isid, c->isid, sizeof(h->isid));
	h->tsih = c->tsih;
	h->cid = c->cid;
	h->tpgt = c->tgt.tpgt;
	copy_str(h->local_addr, sizeof(h->local_addr), c->local_addr);
	copy_str(h->peer_addr, sizeof(h->peer_addr), c->peer_addr);
	h->itt = p->info.itt;
	h->cmd_sn = c->cmd_sn;
	h->exp_stat_sn = p->info.login.expstatsn;
	h->stat_sn = c->stat_sn;
	h->version_max = ISCSI_VERSION;
	h->version_active = ISCSI_VERSION;
	h->csg = p->info.login.csg;
	h->rsp_data_len = (uint32_t)c->rsp_len;
	memcpy(h->rsp_data, c->rsp, c->rsp_len);
	if (c->tgt.max_xmit_dsl && c->tgt.max_xmit_dsl < xmit)
		xmit = c->tgt.max_xmit_dsl;
	h->max_recv_dsl = c->tgt.params.val[ISCSI_KEY_MAX_RECV_DSL];
	h->max_xmit_dsl = xmit;
	h->max_burst = v[ISCSI_KEY_MAX_BURST_LENGTH];
	h->first_burst = v[ISCSI_KEY_FIRST_BURST_LENGTH];
	h->max_outstanding_r2t = v[ISCSI_KEY_MAX_OUTSTANDING_R2T];
	h->time2wait = v[ISCSI_KEY_DEFAULT_TIME2WAIT];
	h->time2retain = v[ISCSI_KEY_DEFAULT_TIME2RETAIN];
	h->max_connections = v[ISCSI_KEY_MAX_CONNECTIONS];
	h->initial_r2t = (uint8_t)v[ISCSI_KEY_INITIAL_R2T];
	h->immediate_data = (uint8_t)v[ISCSI_KEY_IMMEDIATE_DATA];
	h->data_pdu_in_order = (uint8_t)v[ISCSI_KEY_DATA_PDU_IN_ORDER];
	h->data_seq_in_order = (uint8_t)v[ISCSI_KEY_DATA_SEQUENCE_IN_ORDER];
	h->header_digest = (uint8_t)v[ISCSI_KEY_HEADER_DIGEST];
	h->data_digest = (uint8_t)v[ISCSI_KEY_DATA_DIGEST];
	h->erl = (uint8_t)v[ISCSI_KEY_ERROR_RECOVERY_LEVEL];
}

/* RFC 7143 8.1.3 T5 for a normal session: scstd sends the final Login
 * Response and runs the full feature phase. */
static enum login_state handoff(struct iscsid_conn *c,
				const struct iscsi_rx_pdu *p)
{
	struct iscsid_handoff_result res;
	struct iscsi_handoff *h;
	int rc;

	if (c->rx_more)
		return login_fail(c, p, ST_INIT_ERR,
				  "PDUs sent before the final Login Response");
	h = malloc(sizeof(*h));
	if (!h)
		return login_fail(c, p, ST(ISCSI_STATUS_CLS_TARGET_ERR, 2),
				  "out of memory");
	fill_handoff(c, p, h);
	rc = iscsid_ctl_handoff(c->cfg->control, h, c->fd, &res);
	free(h);
	if (rc) {
		scst_warn("iscsid: hand-off to scstd (%s) failed: %s",
			  c->cfg->control, strerror(-rc));
		return login_fail(c, p,
				  ST(ISCSI_STATUS_CLS_TARGET_ERR,
				     ISCSI_LOGIN_STATUS_SVC_UNAVAILABLE),
				  "hand-off failed");
	}
	if (!res.ok)
		return login_fail(c, p, ST(res.status_class, res.status_detail),
				  res.text[0] ? res.text : "scstd refused");
	scst_info("iscsid: %s: %s logged in to %s (TSIH %u), handed to scstd",
		  c->peer_addr, c->neg.initiator_name, c->tgt.name, res.tsih);
	return LS_HANDED_OFF;
}

/* RFC 7143 8.1.3 T5 for a discovery session: we send the final response. */
static enum login_state discovery_start(struct iscsid_conn *c,
					const struct iscsi_rx_pdu *p)
{
	static uint16_t next_tsih;
	uint32_t idsl = c->neg.val[ISCSI_KEY_MAX_RECV_DSL];

	if (++next_tsih == 0)
		next_tsih = 1;
	c->tsih = next_tsih;
	if (login_respond(c, p->info.itt, true, p->info.login.csg,
			  ISCSI_STAGE_FULL_FEATURE, 0, c->rsp,
			  (uint32_t)c->rsp_len))
		return LS_DROP;
	c->disc.control = c->cfg->control;
	c->disc.initiator = c->neg.initiator_name;
	c->disc.local_ip = c->local_ip;
	c->disc.local_v6 = c->local_v6;
	c->disc.local_port = c->local_port;
	/* RFC 7143 13.12: what the initiator declared it receives in one
	 * PDU (8192 if it declared nothing); larger answers go in pieces. */
	c->disc.max_send_dsl =
	    idsl < ISCSID_SEND_TARGETS_MAX ? idsl : ISCSID_SEND_TARGETS_MAX;
	c->disc.stat_sn = c->stat_sn;
	c->disc.exp_cmd_sn = c->cmd_sn;
	c->disc.next_ttt = 1;
	c->rx.phase = ISCSI_PHASE_DISCOVERY;
	scst_info("iscsid: %s: discovery session of %s", c->peer_addr,
		  c->neg.initiator_name);
	return LS_DISCOVERY_FFP;
}

/* RFC 7143 11.13.5, 13.8: "Target moved", with where it went. */
static enum login_state login_redirect(struct iscsid_conn *c,
				       const struct iscsi_rx_pdu *p,
				       unsigned int status)
{
	scst_info("iscsid: %s: login to %s redirected (%02x/%02x): %s",
		  c->peer_addr, c->tgt.name, status >> 8, status & 0xff,
		  c->rsp);
	if (login_respond(c, p->info.itt, false, p->info.login.csg, 0, status,
			  c->rsp, (uint32_t)c->rsp_len))
		return LS_DROP;
	return LS_CLOSING;
}

/* ------------------------------------------------------ login actions ---- */

/*
 * A Login Request in the security (CSG 0) or operational (CSG 1) stage:
 * RFC 7143 6.3 (stages, T and NSG), 6.3.2, 6.3.3, 11.12.
 */
static enum login_state act_login(struct iscsid_conn *c,
				  const struct iscsi_rx_pdu *p)
{
	const typeof(p->info.login) *l = &p->info.login;
	struct iscsi_kv_list *kvs;
	enum iscsi_neg_stage stage = l->csg == ISCSI_STAGE_SECURITY
					 ? ISCSI_NEG_SECURITY
					 : ISCSI_NEG_OPERATIONAL;
	enum login_state here =
	    l->csg == ISCSI_STAGE_SECURITY ? LS_SECURITY : LS_OPERATIONAL;
	const char *why = "";
	unsigned int st;
	bool transit;
	int rc;

	st = check_request(c, &p->info, &why);
	if (st)
		return login_fail(c, p, st, why);
	/* 11.12.2: keys continued (C=1) are answered by an empty response. */
	if (c->keys_len + p->info.data_len > sizeof(c->keys))
		return login_fail(c, p, ST_INIT_ERR, "key text too long");
	if (p->info.data_len) /* an empty segment may have no buffer */
		memcpy(c->keys + c->keys_len, p->data, p->info.data_len);
	c->keys_len += p->info.data_len;
	if (l->cont) {
		if (login_respond(c, p->info.itt, false, l->csg, 0, 0, NULL, 0))
			return LS_DROP;
		return here;
	}
	kvs = malloc(sizeof(*kvs));
	if (!kvs)
		return login_fail(c, p, ST(ISCSI_STATUS_CLS_TARGET_ERR, 2),
				  "out of memory");
	rc = iscsi_kv_parse(c->keys, c->keys_len, kvs);
	c->keys_len = 0;
	if (rc) {
		free(kvs);
		return login_fail(c, p, ST_INIT_ERR, "malformed key text");
	}
	if (c->state == LS_XPT_UP) {
		st = session_setup(c, kvs, &why);
		if (st >> 8 == ISCSI_STATUS_CLS_REDIRECT) {
			free(kvs);
			return login_redirect(c, p, st);
		}
		/* 6.3: skipping the security stage means no authentication. */
		if (!st && stage == ISCSI_NEG_OPERATIONAL && c->auth_needed) {
			st = ST(ISCSI_STATUS_CLS_INITIATOR_ERR,
				ISCSI_LOGIN_STATUS_AUTH_FAILED);
			why = "authentication required";
		}
	}
	c->rsp_len = 0;
	if (!st) {
		rc = iscsi_params_negotiate(&c->neg, stage, kvs, c->rsp,
					    sizeof(c->rsp), &c->rsp_len);
		if (rc) {
			st = rc == -EPROTO ? ST_INIT_ERR
					   : ST(ISCSI_STATUS_CLS_TARGET_ERR, 0);
			why = "key negotiation failed";
		}
	}
	if (!st && stage == ISCSI_NEG_SECURITY)
		st = security_chap(c, kvs, &why);
	free(kvs);
	if (st)
		return login_fail(c, p, st, why);

	/* 6.3: leave a stage only forward, and only authenticated. */
	transit = p->info.login.transit;
	if (transit && l->nsg <= l->csg)
		return login_fail(c, p, ST_INIT_ERR, "NSG not after CSG");
	if (transit && !c->authenticated) {
		if (!chap_agreed(c))
			return login_fail(c, p,
					  ST(ISCSI_STATUS_CLS_INITIATOR_ERR,
					     ISCSI_LOGIN_STATUS_AUTH_FAILED),
					  "authentication required");
		transit = false; /* the CHAP exchange goes on */
	}
	if (!transit) {
		if (login_respond(c, p->info.itt, false, l->csg, 0, 0, c->rsp,
				  (uint32_t)c->rsp_len))
			return LS_DROP;
		return here;
	}
	if (l->nsg == ISCSI_STAGE_FULL_FEATURE)
		return c->discovery ? discovery_start(c, p) : handoff(c, p);
	if (login_respond(c, p->info.itt, true, l->csg, l->nsg, 0, c->rsp,
			  (uint32_t)c->rsp_len))
		return LS_DROP;
	return LS_OPERATIONAL;
}

/* A discovery session's full feature phase: iscsid_discovery.c. */
static enum login_state act_discovery(struct iscsid_conn *c,
				      const struct iscsi_rx_pdu *p)
{
	switch (iscsid_disc_pdu(&c->disc, c, p)) {
	case ISCSID_DISC_CONTINUE:
		c->deadline_ms = now_ms() + c->cfg->login_timeout_ms;
		return LS_DISCOVERY_FFP;
	case ISCSID_DISC_CLOSE:
		return LS_CLOSING;
	default:
		return LS_DROP;
	}
}

typedef enum login_state (*login_action)(struct iscsid_conn *c,
					 const struct iscsi_rx_pdu *p);

struct login_transition {
	enum login_state state;
	enum login_event event;
	login_action action;
	const char *rfc;
};

/* Every allowed {state, event}; anything else is a protocol error. */
static const struct login_transition login_fsm[] = {
    {LS_XPT_UP, LE_LOGIN_SECURITY, act_login, "8.1.3 T4, 6.3.1, 6.3.2"},
    {LS_XPT_UP, LE_LOGIN_OPERATIONAL, act_login, "8.1.3 T4, 6.3.1, 6.3.3"},
    {LS_SECURITY, LE_LOGIN_SECURITY, act_login, "6.3.2, 12.1.3"},
    {LS_OPERATIONAL, LE_LOGIN_OPERATIONAL, act_login, "6.3.3"},
    {LS_DISCOVERY_FFP, LE_TEXT, act_discovery, "11.10, appendix C"},
    {LS_DISCOVERY_FFP, LE_LOGOUT, act_discovery, "11.14, 8.1.3 T8"},
    {LS_DISCOVERY_FFP, LE_NOP_OUT, act_discovery, "11.18"},
};

static enum login_event pdu_event(const struct iscsi_bhs_info *in)
{
	switch (in->opcode) {
	case ISCSI_OP_LOGIN_REQ:
		return in->login.csg == ISCSI_STAGE_SECURITY ? LE_LOGIN_SECURITY
		       : in->login.csg == ISCSI_STAGE_OPERATIONAL
			   ? LE_LOGIN_OPERATIONAL
			   : LE_LOGIN_FFP;
	case ISCSI_OP_TEXT_REQ:
		return LE_TEXT;
	case ISCSI_OP_LOGOUT_REQ:
		return LE_LOGOUT;
	case ISCSI_OP_NOP_OUT:
		return LE_NOP_OUT;
	default:
		return LE_OTHER;
	}
}

static enum login_state reject_and_close(struct iscsid_conn *c,
					 const uint8_t *bhs, uint8_t reason)
{
	struct iscsi_reject r = {
	    .reason = reason,
	    .sn = {.statsn = c->disc.stat_sn++,
		   .expcmdsn = c->disc.exp_cmd_sn,
		   .maxcmdsn = c->disc.exp_cmd_sn + ISCSID_CMD_WINDOW - 1},
	};
	uint8_t out[ISCSI_BHS_LEN], data[ISCSI_BHS_LEN];

	if (iscsi_build_reject(out, &r, bhs, data) ||
	    iscsid_conn_send(c, out, data, ISCSI_BHS_LEN))
		return LS_DROP;
	return LS_CLOSING;
}

static void dispatch(struct iscsid_conn *c, const struct iscsi_rx_pdu *p)
{
	enum login_event ev = pdu_event(&p->info);
	enum login_state from = c->state, to;
	const struct login_transition *t = NULL;
	size_t i;

	/* A header the codec refused (framing intact): RFC 7143 6.3 and
	 * 11.13.5 in the login phase, a Reject (11.17) after it. */
	if (p->reject_reason) {
		scst_info("iscsid: %s: %s refused by the codec (reason %u) in "
			  "state %s",
			  c->peer_addr, iscsi_opcode_name(p->info.opcode),
			  p->reject_reason, state_names[from]);
		if (from == LS_DISCOVERY_FFP)
			to = reject_and_close(c, p->bhs, p->reject_reason);
		else
			to = login_fail(c, p, ST_INIT_ERR, "malformed PDU");
		scst_dbg("iscsid: %s: %s --%s [RFC 7143 6.3, 11.17]--> %s",
			 c->peer_addr, state_names[from], event_names[ev],
			 state_names[to]);
		c->state = to;
		return;
	}
	for (i = 0; i < sizeof(login_fsm) / sizeof(login_fsm[0]); i++) {
		if (login_fsm[i].state == from && login_fsm[i].event == ev) {
			t = &login_fsm[i];
			break;
		}
	}
	if (!t) {
		scst_info("iscsid: %s: %s in state %s is not allowed",
			  c->peer_addr, event_names[ev], state_names[from]);
		if (from == LS_DISCOVERY_FFP)
			to = reject_and_close(c, p->bhs,
					      ISCSI_REJECT_PROTOCOL_ERROR);
		else if (p->info.opcode == ISCSI_OP_LOGIN_REQ)
			to = login_fail(c, p, ST_INIT_ERR,
					"login stage out of order");
		else
			to = login_fail(c, p,
					ST(ISCSI_STATUS_CLS_INITIATOR_ERR,
					   ISCSI_LOGIN_STATUS_INVALID_REQUEST),
					"not a Login Request");
	} else {
		to = t->action(c, p);
	}
	scst_dbg("iscsid: %s: %s --%s [RFC 7143 %s]--> %s", c->peer_addr,
		 state_names[from], event_names[ev], t ? t->rfc : "-",
		 state_names[to]);
	c->state = to;
}

/* ------------------------------------------------------- connection ---- */

static void format_addr(const struct sockaddr_storage *ss, char *ip,
			size_t ip_cap, char *full, size_t full_cap,
			uint16_t *port, bool *v6)
{
	const void *a;

	*v6 = ss->ss_family == AF_INET6;
	if (*v6) {
		const struct sockaddr_in6 *s6 = (const void *)ss;

		a = &s6->sin6_addr;
		*port = ntohs(s6->sin6_port);
	} else {
		const struct sockaddr_in *s4 = (const void *)ss;

		a = &s4->sin_addr;
		*port = ntohs(s4->sin_port);
	}
	if (!inet_ntop(ss->ss_family, a, ip, (socklen_t)ip_cap))
		snprintf(ip, ip_cap, "?");
	snprintf(full, full_cap, *v6 ? "[%s]:%u" : "%s:%u", ip, *port);
}

struct iscsid_conn *iscsid_conn_new(int fd, const struct iscsid_config *cfg,
				    uint64_t now)
{
	struct sockaddr_storage ss;
	socklen_t len = sizeof(ss);
	struct iscsi_pdu_limits lim;
	struct iscsid_conn *c;
	char peer_ip[INET6_ADDRSTRLEN];
	uint16_t peer_port;
	bool v6;

	c = calloc(1, sizeof(*c));
	if (!c)
		return NULL;
	c->fd = fd;
	c->cfg = cfg;
	c->state = LS_XPT_UP;
	c->deadline_ms = now + cfg->login_timeout_ms;
	if (!getsockname(fd, (struct sockaddr *)&ss, &len))
		format_addr(&ss, c->local_ip, sizeof(c->local_ip),
			    c->local_addr, sizeof(c->local_addr),
			    &c->local_port, &c->local_v6);
	len = sizeof(ss);
	if (!getpeername(fd, (struct sockaddr *)&ss, &len))
		format_addr(&ss, peer_ip, sizeof(peer_ip), c->peer_addr,
			    sizeof(c->peer_addr), &peer_port, &v6);
	iscsi_pdu_login_limits(&lim);
	iscsi_rx_init(&c->rx, ISCSI_PHASE_LOGIN, &lim, false, false);
	iscsi_chap_config_init(&c->tgt.chap);
	scst_dbg("iscsid: %s: connected to %s", c->peer_addr, c->local_addr);
	return c;
}

void iscsid_conn_free(struct iscsid_conn *c)
{
	if (!c)
		return;
	iscsi_rx_destroy(&c->rx);
	iscsi_chap_destroy(&c->chap);
	iscsi_chap_config_wipe(&c->tgt.chap);
	explicit_bzero(c->keys, sizeof(c->keys));
	iscsid_disc_destroy(&c->disc);
	free(c->tx);
	free(c);
}

int iscsid_conn_fd(const struct iscsid_conn *c)
{
	return c->fd;
}

uint64_t iscsid_conn_deadline(const struct iscsid_conn *c)
{
	return c->deadline_ms;
}

bool iscsid_conn_wants_write(const struct iscsid_conn *c)
{
	return c->tx_off < c->tx_len;
}

enum iscsid_verdict iscsid_conn_on_write(struct iscsid_conn *c)
{
	while (c->tx_off < c->tx_len) {
		ssize_t n = send(c->fd, c->tx + c->tx_off,
				 c->tx_len - c->tx_off, MSG_NOSIGNAL);

		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0 && (errno == EAGAIN || errno == EWOULDBLOCK))
			return ISCSID_KEEP;
		if (n <= 0)
			return ISCSID_CLOSE;
		c->tx_off += (size_t)n;
	}
	return c->state == LS_CLOSING || c->state == LS_DROP ? ISCSID_CLOSE
							     : ISCSID_KEEP;
}

/* The receiver stopped: answer what can be answered, then close. */
static void rx_failed(struct iscsid_conn *c)
{
	struct iscsi_rx_pdu p = {.bhs = c->rx.hdr};

	scst_info("iscsid: %s: bad PDU (%s, reason %u) in state %s",
		  c->peer_addr,
		  c->rx.error == ISCSI_RX_ERR_LENGTH ? "length" : "header",
		  c->rx.reason, state_names[c->state]);
	if (c->state == LS_DISCOVERY_FFP) {
		c->state = reject_and_close(
		    c, c->rx.hdr,
		    c->rx.reason ? c->rx.reason : ISCSI_REJECT_PROTOCOL_ERROR);
		return;
	}
	/* RFC 7143 6.3, 11.13.5: a login-phase error is answered 02/00. */
	p.info.opcode = c->rx.hdr[0] & ISCSI_OPCODE_MASK;
	p.info.itt = scst_get_be32(c->rx.hdr + ISCSI_BHS_ITT);
	p.info.login.csg =
	    (c->rx.hdr[1] & ISCSI_LOGIN_CSG_MASK) >> ISCSI_LOGIN_CSG_SHIFT;
	if (c->rx.error == ISCSI_RX_ERR_NOMEM)
		c->state = LS_DROP;
	else
		c->state = login_fail(c, &p, ST_INIT_ERR, "malformed PDU");
}

static enum iscsid_verdict after_input(struct iscsid_conn *c)
{
	switch (c->state) {
	case LS_HANDED_OFF:
		return ISCSID_HANDED_OFF;
	case LS_DROP:
		return ISCSID_CLOSE;
	default:
		return iscsid_conn_on_write(c);
	}
}

enum iscsid_verdict iscsid_conn_on_read(struct iscsid_conn *c)
{
	uint8_t buf[16384];
	ssize_t n;
	size_t off;

	if (c->state == LS_CLOSING || c->state == LS_DROP)
		return after_input(c);
	n = recv(c->fd, buf, sizeof(buf), 0);
	if (n < 0 &&
	    (errno == EAGAIN || errno == EWOULDBLOCK || errno == EINTR))
		return ISCSID_KEEP;
	if (n <= 0) {
		scst_dbg("iscsid: %s: closed by the peer in state %s",
			 c->peer_addr, state_names[c->state]);
		return ISCSID_CLOSE;
	}
	off = 0;
	while (off < (size_t)n) {
		off += iscsi_rx_feed(&c->rx, buf + off, (size_t)n - off);
		if (c->rx.state == ISCSI_RX_ERROR) {
			rx_failed(c);
			break;
		}
		if (c->rx.state != ISCSI_RX_PDU_READY)
			continue;
		c->rx_more = off < (size_t)n;
		dispatch(c, iscsi_rx_pdu(&c->rx));
		iscsi_rx_next(&c->rx);
		if (c->state >= LS_HANDED_OFF)
			break;
	}
	return after_input(c);
}
