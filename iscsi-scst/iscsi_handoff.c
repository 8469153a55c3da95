// SPDX-License-Identifier: GPL-2.0-only
/*
 * The hand-off of logged-in connections from the login daemon: the
 * iscsi_handoff control request receives the socket (SCM_RIGHTS) and the
 * negotiated parameters; here the connection becomes a session's:
 *
 *  - TSIH 0, a leading login: a new session, with a new TSIH. One of the
 *    same initiator and ISID is reinstated (RFC 7143 6.3.5): it is closed
 *    (its tasks end with the I_T nexus loss) and the new one, shown as
 *    "reinstating", waits for it to be gone before its Login Response, so
 *    that no new command overtakes an old one still being aborted.
 *  - TSIH != 0: a connection joins the session with that TSIH, ISID,
 *    initiator and target (6.3.1, 4.2.1), else 02/0A "session does not
 *    exist" (11.13.5). At most MaxConnections connections (negotiated on
 *    the leading login from the target's MaxConnections attribute),
 *    else 02/06 "too many connections". Its CID in use means connection
 *    reinstatement (6.3.4): the old connection is closed first, its tasks
 *    terminated without a response (ErrorRecoveryLevel < 2: no task
 *    reassignment), and the session goes on.
 *
 * Only the connection-scoped values of a joining login are used (digests,
 * MaxRecvDataSegmentLength); the session keeps its leading login's.
 * Then the final Login Response goes out and the connection is given to
 * the session's network thread (iscsi_conn.c). Hand-offs run one at a
 * time in the control thread.
 */
#include <errno.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <poll.h>
#include <string.h>
#include <sys/epoll.h>
#include <sys/socket.h>
#include <sys/uio.h>
#include <unistd.h>

#include "iscsi-scst/iscsi_conn_internal.h"
#include "scst/byteorder.h"

/* How long a login waits for what it reinstates to be gone. The login
 * daemon waits ISCSID_CTL_TIMEOUT_MS (5 s) for the answer. */
#define ISCSI_REINSTATE_WAIT_MS 3000

/* Write all of @len bytes on a blocking-or-not socket within the timeout. */
static int send_all(int fd, const uint8_t *buf, size_t len)
{
	uint64_t deadline = scst_os_now_ns() + ISCSI_LOGIN_TMO_MS * 1000000ull;

	while (len) {
		struct pollfd pfd = {.fd = fd, .events = POLLOUT};
		ssize_t n = send(fd, buf, len, MSG_NOSIGNAL | MSG_DONTWAIT);

		if (n > 0) {
			buf += n;
			len -= (size_t)n;
			continue;
		}
		if (n < 0 && errno != EAGAIN && errno != EINTR)
			return -errno;
		if (scst_os_now_ns() >= deadline)
			return -ETIMEDOUT;
		poll(&pfd, 1, 100);
	}
	return 0;
}

static uint16_t iscsi_alloc_tsih_locked(void)
{
	for (;;) {
		struct iscsi_sess *s;
		bool used = false;

		if (++iscsi_next_tsih == 0)
			iscsi_next_tsih = 1;
		scst_list_for_each_entry (s, &iscsi_sessions, entry)
			if (s->tsih == iscsi_next_tsih)
				used = true;
		if (!used)
			return iscsi_next_tsih;
	}
}

struct handoff_status {
	uint8_t *cls, *det;
	const char **why;
};

static int refuse(const struct handoff_status *st, uint8_t cls, uint8_t det,
		  const char *why, int rc)
{
	*st->cls = cls;
	*st->det = det;
	*st->why = why;
	return rc;
}

/* A connection with the hand-off's connection-scoped values. */
static struct iscsi_conn *conn_new(const struct iscsi_handoff *h, int fd)
{
	struct iscsi_pdu_limits lim = {.max_recv_dsl = h->max_recv_dsl};
	struct iscsi_conn *c = scst_os_zalloc(sizeof(*c));

	if (!c)
		return NULL;
	c->refs = 1; /* open: dropped once closed (iscsi_net_reap) */
	c->fd = fd;
	scst_list_init(&c->entry);
	scst_list_init(&c->txq);
	scst_list_init(&c->cmds);
	scst_list_init(&c->reap_entry);
	scst_mutex_init(&c->lock);
	memcpy(c->local_addr, h->local_addr, ISCSI_ADDR_MAX);
	c->cid = h->cid;
	c->max_xmit_dsl = h->max_xmit_dsl;
	c->hdigest = h->header_digest;
	c->ddigest = h->data_digest;
	c->stat_sn = h->stat_sn + 1;
	lim.max_ahs_len = ISCSI_MAX_AHS_LEN;
	iscsi_rx_init(&c->rx, ISCSI_PHASE_FULL_FEATURE, &lim, c->hdigest,
		      c->ddigest);
	c->rx.split = c->rx.borrow = true; /* see conn_rx (iscsi_conn.c) */
	return c;
}

/* A connection that never ran: the caller keeps the socket. */
static void conn_discard(struct iscsi_conn *c)
{
	c->fd = -1;
	iscsi_conn_put(c);
}

/* Is a session of @initiator with @isid at @it still alive? */
static bool sess_exists(struct iscsi_tgt *it, const char *initiator,
			const uint8_t *isid, const struct iscsi_sess *except)
{
	struct iscsi_sess *s;
	bool found = false;

	scst_mutex_lock(&iscsi_conn_mutex);
	scst_list_for_each_entry (s, &iscsi_sessions, entry)
		if (s != except && s->it == it &&
		    !strcmp(s->initiator, initiator) &&
		    !memcmp(s->isid, isid, 6))
			found = true;
	scst_mutex_unlock(&iscsi_conn_mutex);
	return found;
}

/* A leading login (TSIH 0): a new session for @c. */
static int handoff_new_sess(struct iscsi_tgt *it, const struct iscsi_handoff *h,
			    const char *acl_name, struct iscsi_conn *c,
			    const struct handoff_status *st)
{
	unsigned int nsess = 0, max_sess;
	bool reinstate = false;
	struct iscsi_sess *s, *old;
	uint64_t until;
	uint32_t queued;
	int rc;

	scst_mutex_lock(&iscsi_mutex);
	queued = it->tp[ISCSI_TP_QUEUED_COMMANDS];
	max_sess = it->tp[ISCSI_TP_MAX_SESSIONS];
	scst_mutex_unlock(&iscsi_mutex);

	/* Session reinstatement: the same ISID and initiator (RFC 7143
	 * 6.3.5); the old session's connections all close. */
	scst_mutex_lock(&iscsi_conn_mutex);
	scst_list_for_each_entry (old, &iscsi_sessions, entry) {
		if (old->it != it)
			continue;
		scst_mutex_lock(&old->lock);
		if (!strcmp(old->initiator, h->initiator_name) &&
		    !memcmp(old->isid, h->isid, 6)) {
			scst_log(SCST_LOG_INFO,
				 "iscsi: %s: session reinstatement (tsih %u)",
				 old->initiator, old->tsih);
			iscsi_sess_kick_locked(old, NULL, ISCSI_CLOSE_SESSION);
			reinstate = true;
		} else if (!old->closing) {
			nsess++;
		}
		scst_mutex_unlock(&old->lock);
	}
	scst_mutex_unlock(&iscsi_conn_mutex);
	if (max_sess && nsess >= max_sess)
		return refuse(st, ISCSI_STATUS_CLS_TARGET_ERR,
			      ISCSI_LOGIN_STATUS_NO_RESOURCES,
			      "too many sessions", -EBUSY);

	s = scst_os_zalloc(sizeof(*s));
	if (!s)
		return refuse(st, ISCSI_STATUS_CLS_TARGET_ERR,
			      ISCSI_LOGIN_STATUS_NO_RESOURCES,
			      "out of resources", -ENOMEM);
	s->it = it;
	scst_list_init(&s->entry);
	scst_list_init(&s->held);
	scst_list_init(&s->conns);
	iscsi_itt_init(&s->held_by_itt);
	iscsi_itt_init(&s->cmds_by_itt);
	scst_spin_init(&s->itt_lock);
	scst_mutex_init(&s->lock);
	memcpy(s->initiator, h->initiator_name, ISCSI_NAME_MAX);
	memcpy(s->target, h->target_name, ISCSI_NAME_MAX);
	memcpy(s->isid, h->isid, 6);
	s->tpgt = h->tpgt;
	s->max_burst = h->max_burst;
	s->first_burst = h->first_burst;
	s->max_r2t = h->max_outstanding_r2t;
	s->initial_r2t = h->initial_r2t;
	s->immediate_data = h->immediate_data;
	s->check_datasn = h->data_pdu_in_order && h->data_seq_in_order;
	s->erl = h->erl;
	s->max_conns = h->max_connections ? h->max_connections : 1;
	s->queued = queued;
	s->exp_cmd_sn = h->cmd_sn;
	s->reinstating = reinstate;

	/* Its network thread runs its commands too (one thread per CPU). */
	s->net = iscsi_net_pick();
	rc = scst_register_session_on(it->stgt, acl_name, s, s->net->worker,
				      &s->scst);
	if (rc) {
		iscsi_net_unpick(s->net);
		scst_mutex_destroy(&s->lock);
		scst_spin_destroy(&s->itt_lock);
		scst_os_free(s);
		return refuse(st, ISCSI_STATUS_CLS_TARGET_ERR,
			      ISCSI_LOGIN_STATUS_NO_RESOURCES,
			      "cannot open a session", rc);
	}
	scst_mutex_lock(&iscsi_mutex);
	it->nsess++;
	scst_mutex_unlock(&iscsi_mutex);
	c->sess = s;
	c->net = s->net;
	scst_list_add_tail(&c->entry, &s->conns);
	s->nconns = 1;
	scst_mutex_lock(&iscsi_conn_mutex);
	s->tsih = iscsi_alloc_tsih_locked();
	scst_list_add_tail(&s->entry, &iscsi_sessions);
	scst_mutex_unlock(&iscsi_conn_mutex);
	iscsi_conn_ffp_init(c, h); /* timers, tree entry (iscsi_keepalive.c) */

	/* Until the old session is gone (its done callback), this one is
	 * "reinstating" in the tree; bounded, the daemon waits for us. */
	until = scst_os_now_ns() + ISCSI_REINSTATE_WAIT_MS * 1000000ull;
	while (reinstate && sess_exists(it, s->initiator, s->isid, s) &&
	       scst_os_now_ns() < until)
		scst_os_msleep(5);
	if (reinstate && sess_exists(it, s->initiator, s->isid, s))
		scst_log(SCST_LOG_WARN,
			 "iscsi: %s: the reinstated session is not gone yet",
			 s->initiator);
	scst_mutex_lock(&s->lock);
	s->reinstating = false;
	scst_mutex_unlock(&s->lock);
	return 0;
}

/* A connection joining session @h->tsih (RFC 7143 6.3.1, 6.3.4). */
static int handoff_join(struct iscsi_tgt *it, const struct iscsi_handoff *h,
			struct iscsi_conn *c, const struct handoff_status *st)
{
	struct iscsi_conn *old = NULL;
	struct iscsi_sess *s;
	bool gone = false;
	uint64_t until;

	scst_mutex_lock(&iscsi_conn_mutex);
	scst_list_for_each_entry (s, &iscsi_sessions, entry) {
		if (s->it == it && s->tsih == h->tsih &&
		    !memcmp(s->isid, h->isid, 6) &&
		    !strcmp(s->initiator, h->initiator_name))
			break;
	}
	if (&s->entry == &iscsi_sessions) {
		scst_mutex_unlock(&iscsi_conn_mutex);
		return refuse(st, ISCSI_STATUS_CLS_INITIATOR_ERR,
			      ISCSI_LOGIN_STATUS_NO_SESSION,
			      "session does not exist", -ENOENT);
	}
	scst_mutex_lock(&s->lock);
	if (s->closing) {
		scst_mutex_unlock(&s->lock);
		scst_mutex_unlock(&iscsi_conn_mutex);
		return refuse(st, ISCSI_STATUS_CLS_INITIATOR_ERR,
			      ISCSI_LOGIN_STATUS_NO_SESSION,
			      "session does not exist", -ENOENT);
	}
	old = iscsi_sess_find_conn_locked(s, h->cid);
	if (s->nconns - (old ? 1u : 0u) >= s->max_conns) {
		scst_mutex_unlock(&s->lock);
		scst_mutex_unlock(&iscsi_conn_mutex);
		return refuse(st, ISCSI_STATUS_CLS_INITIATOR_ERR,
			      ISCSI_LOGIN_STATUS_TOO_MANY_CONNS,
			      "too many connections", -EBUSY);
	}
	if (old) {
		scst_log(SCST_LOG_INFO,
			 "iscsi: %s: connection reinstatement (tsih %u cid %u)",
			 s->initiator, s->tsih, h->cid);
		iscsi_conn_kick(old, ISCSI_CLOSE_REINSTATED);
	}
	/* On the session's thread, as all its connections (iscsi_conn.c). */
	c->sess = s;
	c->net = s->net;
	scst_list_add_tail(&c->entry, &s->conns);
	s->nconns++;
	scst_mutex_unlock(&s->lock);
	scst_mutex_unlock(&iscsi_conn_mutex);
	iscsi_conn_ffp_init(c, h);

	/* 6.3.4: the old connection goes first (pointer compared only). */
	until = scst_os_now_ns() + ISCSI_REINSTATE_WAIT_MS * 1000000ull;
	while (old && !gone) {
		struct iscsi_conn *o;

		gone = true;
		scst_mutex_lock(&s->lock);
		scst_list_for_each_entry (o, &s->conns, entry)
			if (o == old)
				gone = false;
		scst_mutex_unlock(&s->lock);
		if (gone || scst_os_now_ns() >= until)
			break;
		scst_os_msleep(5);
	}
	return 0;
}

int iscsi_conn_handoff(struct iscsi_tgt *it, const struct iscsi_handoff *h,
		       const char *acl_name, int fd, uint16_t *tsih,
		       uint8_t *st_class, uint8_t *st_detail, const char **why)
{
	static uint8_t rsp[ISCSI_BHS_LEN + ISCSI_LOGIN_DATA_MAX + 4];
	const struct handoff_status st = {st_class, st_detail, why};
	struct iscsi_login_rsp lr = {
	    .transit = true,
	    .csg = h->csg,
	    .nsg = ISCSI_STAGE_FULL_FEATURE,
	    .version_max = h->version_max,
	    .version_active = h->version_active,
	    .itt = h->itt,
	    .data_len = h->rsp_data_len,
	};
	struct iscsi_conn *c;
	struct iscsi_sess *s;
	uint32_t exp;
	size_t len;
	int rc;

	*st_class = ISCSI_STATUS_CLS_TARGET_ERR;
	*st_detail = ISCSI_LOGIN_STATUS_TARGET_ERROR;
	*why = "target error";
	if (h->max_recv_dsl < ISCSI_MIN_RECV_DSL ||
	    h->max_recv_dsl > ISCSI_MAX_RECV_DSL ||
	    h->max_xmit_dsl < ISCSI_MIN_RECV_DSL ||
	    h->max_xmit_dsl > ISCSI_MAX_RECV_DSL || h->max_burst < 512 ||
	    h->first_burst < 512 || h->first_burst > h->max_burst ||
	    !h->max_outstanding_r2t || h->csg == ISCSI_STAGE_RESERVED ||
	    h->csg == ISCSI_STAGE_FULL_FEATURE) {
		*why = "invalid negotiated parameters";
		return -EINVAL;
	}
	c = conn_new(h, fd);
	if (!c)
		return refuse(&st, ISCSI_STATUS_CLS_TARGET_ERR,
			      ISCSI_LOGIN_STATUS_NO_RESOURCES,
			      "out of resources", -ENOMEM);
	rc = h->tsih ? handoff_join(it, h, c, &st)
		     : handoff_new_sess(it, h, acl_name, c, &st);
	if (rc) {
		conn_discard(c);
		return rc;
	}
	s = c->sess;

	/* The final Login Response (the login phase has no digests). */
	exp = __atomic_load_n(&s->exp_cmd_sn, __ATOMIC_ACQUIRE);
	memcpy(lr.isid, h->isid, 6);
	lr.tsih = s->tsih;
	lr.sn.statsn = h->stat_sn;
	lr.sn.expcmdsn = exp;
	lr.sn.maxcmdsn = exp + s->queued - 1;
	memset(rsp, 0, sizeof(rsp));
	rc = iscsi_build_login_rsp(rsp, &lr);
	if (!rc) {
		memcpy(rsp + ISCSI_BHS_LEN, h->rsp_data, h->rsp_data_len);
		len = ISCSI_BHS_LEN + iscsi_pad4(h->rsp_data_len);
		rc = send_all(fd, rsp, len);
	}
	if (!rc)
		rc = fcntl(fd, F_SETFL, fcntl(fd, F_GETFL) | O_NONBLOCK) < 0
			 ? -errno
			 : 0;
	if (!rc) {
		int one = 1;

		/*
		 * No Nagle: a response is one small PDU that must not wait for
		 * the ACK of the previous one (sends are batched per round
		 * already). Best effort: a socket without it still works.
		 */
		setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof(one));
	}
	if (rc) {
		/* The connection is the session's now: it ends as any other
		 * (a session it alone held ends with it), never having run a
		 * command. The socket is ours: the daemon is told "ok". */
		scst_log(SCST_LOG_WARN,
			 "iscsi: %s: cannot send the login response: %d",
			 s->initiator, rc);
		iscsi_conn_kick(c, ISCSI_CLOSE_LOGOUT);
	}
	if (iscsi_conn_start(c)) {
		/* Not even epoll: close it from here (it never ran). */
		iscsi_conn_kick(c, ISCSI_CLOSE_LOGOUT);
		scst_log(SCST_LOG_ERR, "iscsi: %s: cannot watch a connection",
			 s->initiator);
	}
	scst_log(SCST_LOG_INFO,
		 "iscsi: %s %s %s from %s (tsih %u cid %u, hd %d dd %d)",
		 s->initiator,
		 h->tsih ? "added a connection to" : "logged in to", s->target,
		 h->peer_addr, s->tsih, c->cid, c->hdigest, c->ddigest);
	*tsih = s->tsih;
	return 0;
}
