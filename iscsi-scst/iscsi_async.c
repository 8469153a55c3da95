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
 *  - a session closed through sessions/<s>/force_close: AsyncEvent 3,
 *    "target will drop all the connections of this session" (we run one
 *    connection per session, and the session ends with it), Time2Wait 0
 *    and Time2Retain 0 (ErrorRecoveryLevel 0: nothing to reassign), then
 *    the connection is closed as soon as the message is out.
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
	struct iscsi_txpdu *p = pdu_alloc(0, 0);

	if (!p)
		return -ENOMEM;
	if (iscsi_build_async_msg(p->hdr, m)) {
		pdu_free(p);
		return -EINVAL;
	}
	pdu_finish_data(c, p, 0, 0);
	/* A status-class PDU: it takes a StatSN (11.9, 4.2.2.2.1). */
	p->sn = SN_ADVANCE;
	p->close_after = close_after;
	conn_send(c, p);
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
		 c->initiator, c->target, ISCSI_LOGOUT_WAIT_S, c->tsih);
	if (async_send(c, &m, false))
		conn_kick(c);
}

unsigned int iscsi_conn_request_logout(struct iscsi_tgt *it)
{
	uint64_t deadline = scst_os_now_ns() + ISCSI_LOGOUT_WAIT_S * NS_PER_S;
	struct iscsi_conn *c;
	unsigned int n = 0;

	/*
	 * Sending under iscsi_conn_mutex is safe: conn_send never blocks,
	 * and a connection leaves the list (conn_close) before it is freed.
	 */
	scst_mutex_lock(&iscsi_conn_mutex);
	scst_list_for_each_entry (c, &iscsi_conns, entry) {
		if (it && c->it != it)
			continue;
		request_logout(c, deadline);
		n++;
	}
	scst_mutex_unlock(&iscsi_conn_mutex);
	return n;
}

void iscsi_conn_drop(struct iscsi_conn *c)
{
	const struct iscsi_async_msg m = {
	    .event = ISCSI_ASYNC_DROP_ALL_CONNS,
	    .param1 = 0, /* reserved for event 3 */
	    .param2 = 0, /* Time2Wait: may reconnect at once */
	    .param3 = 0, /* Time2Retain: nothing to reassign (ERL 0) */
	};
	bool open;

	scst_mutex_lock(&c->lock);
	open = set_deadline_locked(c, scst_os_now_ns() + ISCSI_DROP_GRACE_NS);
	scst_mutex_unlock(&c->lock);
	if (!open)
		return;
	scst_log(SCST_LOG_INFO,
		 "iscsi: %s: session closed by the administrator, Async "
		 "Message: dropping the connection (tsih %u)",
		 c->initiator, c->tsih);
	if (async_send(c, &m, true))
		conn_kick(c);
}
