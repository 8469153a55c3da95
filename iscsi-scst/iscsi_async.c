// SPDX-License-Identifier: GPL-2.0-only
/*
 * Asynchronous Messages of the full feature phase (RFC 7143 11.9), sent
 * when the configuration takes a target or a session away:
 *
 *  - a target disabled or deleted with sessions logged in: AsyncEvent 1,
 *    "target requests Logout", with Parameter3 the seconds the initiator
 *    has to do it (11.9.1). The initiator logs out (its Logout Response
 *    closes the connection, iscsi_requests.c); one that does not is
 *    closed by the connection's timer once the time is up (plus a tick),
 *    which 11.9.1 allows: "If the initiator does not log out in
 *    Parameter3 seconds, the target should ... simply terminate the
 *    transport connection".
 *  - a session closed through sessions/<s>/force_close, or given up by
 *    session recovery (a connection failed at ErrorRecoveryLevel 0,
 *    conn_close): AsyncEvent 3, "target will drop all the connections of
 *    this session", Time2Wait 0 and Time2Retain 0 (nothing to reassign at
 *    ErrorRecoveryLevel 0), on one of its connections: that one closes as
 *    soon as the message is out, the others when it had time to (their
 *    timers, within a tick of ISCSI_DROP_GRACE_NS). AsyncEvent 2, "drop
 *    this connection", would announce the end of one connection of a
 *    session that goes on; at ErrorRecoveryLevel 0 the target never does
 *    that by itself (a failure means session recovery), so it is not sent.
 */
#include <errno.h>
#include <sys/uio.h>

#include "iscsi-scst/iscsi_pdu.h"
#include "iscsi-scst/iscsi_priv.h"

#include "iscsi-scst/iscsi_conn_internal.h"

#define NS_PER_S 1000000000ull
/* How long the message of a dropped session may take to go out. */
#define ISCSI_DROP_GRACE_NS (NS_PER_S / 2)

/* Queue an Async Message; @close_after: shut the connection once sent. */
static int async_send(struct iscsi_conn *c, const struct iscsi_async_msg *m,
		      bool close_after)
{
	struct iscsi_txpdu *p = iscsi_txpdu_alloc(0, 0);

	if (!p)
		return -ENOMEM;
	if (iscsi_build_async_msg(p->hdr, m)) {
		iscsi_txpdu_free(p);
		return -EINVAL;
	}
	iscsi_txpdu_finish_data(c, p, 0, 0);
	/* A status-class PDU: it takes a StatSN (11.9, 4.2.2.2.1). */
	p->sn = SN_ADVANCE;
	p->close_after = close_after;
	iscsi_conn_send(c, p);
	return 0;
}

/* Under c->lock: close by @deadline at the latest (the timer kicks). */
static bool set_deadline_locked(struct iscsi_conn *c, uint64_t deadline)
{
	if (c->closed)
		return false;
	if (!c->ka.deadline_ns || deadline < c->ka.deadline_ns)
		c->ka.deadline_ns = deadline;
	return true;
}

static void request_logout(struct iscsi_conn *c, uint64_t deadline)
{
	const struct iscsi_async_msg m = {
	    .event = ISCSI_ASYNC_REQ_LOGOUT,
	    .param3 = ISCSI_LOGOUT_WAIT_S,
	};
	bool first, open;

	scst_mutex_lock(&c->lock);
	first = !c->ka.deadline_ns;
	open = set_deadline_locked(c, deadline);
	scst_mutex_unlock(&c->lock);
	if (!open || !first)
		return; /* closing, or already asked */
	scst_log(SCST_LOG_INFO,
		 "iscsi: %s: target %s goes away, Async Message: logout "
		 "within %u s (tsih %u)",
		 c->sess->initiator, c->sess->target, ISCSI_LOGOUT_WAIT_S,
		 c->sess->tsih);
	if (async_send(c, &m, false))
		iscsi_conn_kick(c, ISCSI_CLOSE_SESSION);
}

unsigned int iscsi_conn_request_logout(struct iscsi_tgt *it)
{
	uint64_t deadline = scst_os_now_ns() + ISCSI_LOGOUT_WAIT_S * NS_PER_S;
	struct iscsi_sess *s;
	struct iscsi_conn *c;
	unsigned int n = 0;

	/*
	 * Sending under iscsi_conn_mutex and sess->lock is safe:
	 * iscsi_conn_send never blocks, and a connection leaves its session's
	 * list (conn_close) before it can be freed. One message per connection:
	 * each of them is to log out (11.9.1, "logout ... on this connection"
	 * is what event 1 asks; the initiator may instead close the session).
	 */
	scst_mutex_lock(&iscsi_conn_mutex);
	scst_list_for_each_entry (s, &iscsi_sessions, entry) {
		if (it && s->it != it)
			continue;
		scst_mutex_lock(&s->lock);
		scst_list_for_each_entry (c, &s->conns, entry) {
			request_logout(c, deadline);
			n++;
		}
		scst_mutex_unlock(&s->lock);
	}
	scst_mutex_unlock(&iscsi_conn_mutex);
	return n;
}

void iscsi_sess_drop_locked(struct iscsi_sess *s, struct iscsi_conn *except)
{
	const struct iscsi_async_msg m = {
	    .event = ISCSI_ASYNC_DROP_ALL_CONNS,
	    .param1 = 0, /* reserved for event 3 */
	    .param2 = 0, /* Time2Wait: may reconnect at once */
	    .param3 = 0, /* Time2Retain: nothing to reassign (ERL 0) */
	};
	uint64_t deadline = scst_os_now_ns() + ISCSI_DROP_GRACE_NS;
	struct iscsi_conn *c, *carrier = NULL;
	bool open;

	s->closing = true;
	scst_list_for_each_entry (c, &s->conns, entry) {
		if (c == except)
			continue;
		scst_mutex_lock(&c->lock);
		if (c->why == ISCSI_CLOSE_FAILURE)
			c->why = ISCSI_CLOSE_SESSION;
		open = set_deadline_locked(c, deadline) && !c->tx_dead;
		scst_mutex_unlock(&c->lock);
		if (open && !carrier)
			carrier = c;
	}
	if (!carrier)
		return;
	scst_log(SCST_LOG_INFO,
		 "iscsi: %s: session dropped, Async Message: dropping all "
		 "connections (tsih %u)",
		 s->initiator, s->tsih);
	if (async_send(carrier, &m, true))
		iscsi_conn_kick(carrier, ISCSI_CLOSE_SESSION);
}
