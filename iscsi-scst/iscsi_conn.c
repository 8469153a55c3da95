// SPDX-License-Identifier: GPL-2.0-only
/*
 * The full feature phase of the iscsi target driver, its connection side:
 * connections handed over by the login daemon, the network threads with
 * epoll (one per CPU, each the core worker of its connections' sessions),
 * receiving PDUs, the CmdSN window and the order of commands, closing.
 * The requests themselves are served in iscsi_cmd.c (SCSI commands and
 * their data) and iscsi_requests.c (NOP, Text, Logout, task management);
 * iscsi_tx.c sends.
 *
 * Receiving: the header of a PDU is parsed first (iscsi_rx split mode);
 * a Data-Out segment then goes straight into its command's buffer, large
 * ones by recvmsg() into the buffer itself; other data stays in the
 * thread's read-ahead buffer when it lies whole there.
 *
 * Sessions and connections (RFC 7143 4.2.1): a session has one or more
 * connections (MaxConnections, iscsi_handoff.c), all on the session's
 * network thread. The CmdSN window and the PDUs held for their CmdSN are
 * the session's (4.2.2.1): a command may arrive on any connection, and
 * they run in CmdSN order across all of them. Because every connection of
 * the session is received on that one thread, this order needs no lock:
 * the single-connection path is what it was. A command's Data-Out, R2Ts,
 * Data-In and status stay on the connection it came on (allegiance,
 * 4.2.4.1); StatSN is counted per connection (4.2.2.2).
 *
 * Locking: conn->lock guards the send queue, StatSN, the command list and
 * each command's data state; sess->lock the session's list of
 * connections (taken on login, close and logout, never per PDU). Order:
 * iscsi_conn_mutex, sess->lock, conn->lock. The core is never called
 * with conn->lock held. Receiving, closing and the connection's commands
 * run on its network thread; other threads may queue PDUs and send
 * (non-blocking, the rest from EPOLLOUT); the network thread sends at the
 * end of each round. ErrorRecoveryLevel 0: see conn_close().
 */
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <string.h>
#include <sys/epoll.h>
#include <sys/eventfd.h>
#include <sys/socket.h>
#include <sys/uio.h>
#include <unistd.h>

#include "iscsi-scst/iscsi_params.h"
#include "iscsi-scst/iscsi_pdu.h"
#include "iscsi-scst/iscsi_priv.h"
#include "scst/byteorder.h"

#include "iscsi-scst/iscsi_conn_internal.h"

struct scst_mutex iscsi_conn_mutex; /* iscsi_sessions, TSIHs */
SCST_LIST_HEAD_DEF(iscsi_sessions);
uint16_t iscsi_next_tsih;
struct scst_workqueue *iscsi_wq;
/* The network threads, one per CPU (each is a core worker too). */
static struct iscsi_net *iscsi_nets;
static unsigned int iscsi_nnets;

static bool sn_lt(uint32_t a, uint32_t b)
{
	return (int32_t)(a - b) < 0;
}

static uint32_t sess_max_cmd_sn(const struct iscsi_sess *s)
{
	return __atomic_load_n(&s->exp_cmd_sn, __ATOMIC_ACQUIRE) + s->queued -
	       1;
}

/* ---------------------------------------------------- CmdSN order ---- */

static void rx_dispatch(struct iscsi_conn *c, const struct iscsi_bhs_info *in,
			const uint8_t *hdr, const uint8_t *data)
{
	switch (in->opcode) {
	case ISCSI_OP_SCSI_CMD:
		iscsi_rx_scsi_cmd(c, in, hdr, data);
		break;
	case ISCSI_OP_NOP_OUT:
		iscsi_rx_nop_out(c, in, data);
		break;
	case ISCSI_OP_TMF_REQ:
		/* Responses held back in this round leave first: a command
		 * whose status is on its way is done, and an abort must not
		 * find it (the initiator would get both answers). */
		iscsi_net_flush(c->net);
		iscsi_rx_tmf(c, in, hdr);
		break;
	case ISCSI_OP_TEXT_REQ:
		iscsi_rx_text(c, in, data);
		break;
	case ISCSI_OP_LOGOUT_REQ:
		iscsi_rx_logout(c, in);
		break;
	default:
		iscsi_conn_send_reject(c, ISCSI_REJECT_CMD_NOT_SUPPORTED, hdr);
		break;
	}
}

/* A copy of a PDU of @c, to hold until its turn. */
static struct iscsi_held *held_new(struct iscsi_conn *c,
				   const struct iscsi_bhs_info *in,
				   const uint8_t *hdr, const uint8_t *data)
{
	struct iscsi_held *h = iscsi_held_alloc();

	if (!h)
		return NULL;
	h->conn = c;
	scst_list_init(&h->entry);
	scst_list_init(&h->data_outs);
	iscsi_itt_node_init(&h->hnode, in->itt);
	h->info = *in;
	memcpy(h->hdr, hdr, ISCSI_BHS_LEN + in->ahs_len);
	if (in->data_len) {
		h->data = iscsi_data_alloc(in->data_len);
		if (!h->data) {
			iscsi_held_free_obj(h);
			return NULL;
		}
		memcpy(h->data, data, in->data_len);
	}
	return h;
}

static void held_free(struct iscsi_held *h)
{
	while (!scst_list_empty(&h->data_outs)) {
		struct iscsi_held *d = scst_list_first_entry(
		    &h->data_outs, struct iscsi_held, entry);

		scst_list_del_init(&d->entry);
		held_free(d);
	}
	iscsi_data_free(h->data, h->info.data_len);
	iscsi_held_free_obj(h);
}

/*
 * An unsolicited Data-Out (TTT 0xffffffff) may arrive while its SCSI
 * Command still waits in the CmdSN queue: CmdSN orders commands, not their
 * data (RFC 7143 3.2.2.1), and the initiator may send the unsolicited
 * burst right after the command. Keep it with the command; it is handed
 * over once the command is dispatched. True if it was taken.
 */
static bool rx_hold_data_out(struct iscsi_conn *c,
			     const struct iscsi_bhs_info *in,
			     const uint8_t *hdr, const uint8_t *data)
{
	struct iscsi_itt_node *n;
	struct iscsi_held *h, *d;

	if (in->data_out.ttt != ISCSI_RESERVED_TAG)
		return false;
	/* Only held writes are in the table (rx_pdu). */
	n = iscsi_itt_find(&c->sess->held_by_itt, in->itt);
	if (!n)
		return false;
	h = scst_container_of(n, struct iscsi_held, hnode);
	if (h->conn != c)
		return false;
	d = held_new(c, in, hdr, data);
	if (d)
		scst_list_add_tail(&d->entry, &h->data_outs);
	/* Without memory the data is lost: the DataSN check or the missing
	 * bytes fail the command, as for a lost PDU. */
	return true;
}

/* Dispatch a held PDU, then the Data-Out that waited with it, on the
 * connection it came on; one whose connection closed only frees it. */
static void rx_held_dispatch(struct iscsi_held *h)
{
	struct iscsi_conn *c = h->conn;

	if (!c) {
		held_free(h);
		return;
	}
	rx_dispatch(c, &h->info, h->hdr, h->data);
	while (!scst_list_empty(&h->data_outs)) {
		struct iscsi_held *d = scst_list_first_entry(
		    &h->data_outs, struct iscsi_held, entry);

		scst_list_del_init(&d->entry);
		iscsi_rx_data_out(c, &d->info, d->data, NULL);
		held_free(d);
	}
	held_free(h);
}

/* The PDUs of any of @s's connections whose CmdSN came (network thread). */
static void rx_held_drain(struct iscsi_sess *s)
{
	bool again = true;

	while (again) {
		struct iscsi_held *h;

		again = false;
		scst_list_for_each_entry (h, &s->held, entry) {
			if (h->cmdsn != s->exp_cmd_sn)
				continue;
			scst_list_del_init(&h->entry);
			iscsi_itt_remove(&s->held_by_itt, &h->hnode);
			__atomic_store_n(&s->exp_cmd_sn, s->exp_cmd_sn + 1,
					 __ATOMIC_RELEASE);
			rx_held_dispatch(h);
			again = true;
			break;
		}
	}
}

static void rx_pdu(struct iscsi_conn *c, const struct iscsi_rx_pdu *pdu)
{
	const struct iscsi_bhs_info *in = &pdu->info;
	struct iscsi_cmd *placed = c->rx_cmd;
	struct iscsi_sess *s = c->sess;
	uint32_t cmdsn;

	c->rx_cmd = NULL;
	if (pdu->reject_reason) {
		iscsi_conn_send_reject(c, pdu->reject_reason, pdu->bhs);
		return;
	}
	switch (in->opcode) {
	case ISCSI_OP_SCSI_DATA_OUT:
		if (placed || scst_list_empty(&s->held) ||
		    !rx_hold_data_out(c, in, pdu->bhs, pdu->data))
			iscsi_rx_data_out(c, in, pdu->data, placed);
		return;
	case ISCSI_OP_SNACK_REQ:
		iscsi_conn_send_reject(c, ISCSI_REJECT_CMD_NOT_SUPPORTED,
				       pdu->bhs);
		return;
	default:
		break;
	}
	if (in->immediate) {
		rx_dispatch(c, in, pdu->bhs, pdu->data);
		return;
	}
	/* The session's CmdSN, whatever connection it came on (4.2.2.1). */
	cmdsn = scst_get_be32(pdu->bhs + ISCSI_CMD_CMDSN);
	if (cmdsn == s->exp_cmd_sn) {
		__atomic_store_n(&s->exp_cmd_sn, cmdsn + 1, __ATOMIC_RELEASE);
		rx_dispatch(c, in, pdu->bhs, pdu->data);
		if (!scst_list_empty(&s->held))
			rx_held_drain(s);
		return;
	}
	if (sn_lt(s->exp_cmd_sn, cmdsn) && !sn_lt(sess_max_cmd_sn(s), cmdsn)) {
		struct iscsi_held *h = held_new(c, in, pdu->bhs, pdu->data);

		if (!h)
			return;
		h->cmdsn = cmdsn;
		scst_list_add_tail(&h->entry, &s->held);
		if (in->opcode == ISCSI_OP_SCSI_CMD && in->cmd.write)
			iscsi_itt_insert(&s->held_by_itt, &h->hnode);
		return;
	}
	/* Outside the window: silently ignored (RFC 7143 4.2.2.1). */
	scst_dbg("iscsi: %s: CmdSN %u outside [%u, %u], dropped", s->initiator,
		 cmdsn, s->exp_cmd_sn, sess_max_cmd_sn(s));
}

/* ------------------------------------------------- connection life ---- */

void iscsi_conn_get(struct iscsi_conn *c)
{
	__atomic_add_fetch(&c->refs, 1, __ATOMIC_RELAXED);
}

void iscsi_conn_put(struct iscsi_conn *c)
{
	if (__atomic_sub_fetch(&c->refs, 1, __ATOMIC_ACQ_REL))
		return;
	/* Closed (its timer stopped, out of the tree) and unreferenced. */
	iscsi_text_free(c);
	iscsi_rx_destroy(&c->rx);
	scst_mutex_destroy(&c->lock);
	scst_os_free(c);
}

void iscsi_sess_done(struct scst_session *sess)
{
	struct iscsi_sess *s = scst_sess_get_tgt_priv(sess);

	/* Its connections are closed, their held PDUs orphaned. */
	while (!scst_list_empty(&s->held)) {
		struct iscsi_held *h =
		    scst_list_first_entry(&s->held, struct iscsi_held, entry);

		scst_list_del_init(&h->entry);
		iscsi_itt_remove(&s->held_by_itt, &h->hnode);
		held_free(h);
	}
	scst_mutex_lock(&iscsi_conn_mutex);
	scst_list_del_init(&s->entry); /* its TSIH is free again */
	scst_mutex_unlock(&iscsi_conn_mutex);
	iscsi_net_unpick(s->net);
	scst_mutex_destroy(&s->lock);
	scst_spin_destroy(&s->itt_lock);
	scst_mutex_lock(&iscsi_mutex);
	s->it->nsess--;
	scst_mutex_unlock(&iscsi_mutex);
	scst_os_free(s);
}

int iscsi_conn_start(struct iscsi_conn *c)
{
	struct epoll_event ev = {.events = EPOLLIN | EPOLLRDHUP, .data.ptr = c};

	return epoll_ctl(c->net->epfd, EPOLL_CTL_ADD, c->fd, &ev) ? -errno : 0;
}

/*
 * RFC 7143 11.14.5 a, 6.3.4: the tasks allegiant to a connection that was
 * logged out ("close the connection") or reinstated end, without a word to
 * the initiator, while the session goes on: each is aborted in the core
 * (ITTs are unique in the session), and whatever the core still answers
 * finds the connection closed and is dropped (iscsi_xmit_response).
 */
static void conn_terminate_tasks(struct iscsi_conn *c)
{
	struct scst_rx_mgmt_params mp = {.fn = SCST_ABORT_TASK};
	unsigned int n = 0, i = 0;
	struct iscsi_cmd *ic;
	uint32_t *itts;

	scst_mutex_lock(&c->lock);
	scst_list_for_each_entry (ic, &c->cmds, entry)
		n++;
	scst_mutex_unlock(&c->lock);
	if (!n)
		return;
	itts = scst_os_alloc(n * sizeof(*itts));
	if (!itts)
		return; /* they still end: nothing can be sent for them */
	scst_mutex_lock(&c->lock);
	scst_list_for_each_entry (ic, &c->cmds, entry)
		if (i < n)
			itts[i++] = ic->hnode.itt;
	scst_mutex_unlock(&c->lock);
	while (i--) {
		mp.tag = itts[i];
		/* tgt_priv NULL: no answer goes to the initiator. */
		scst_rx_mgmt_fn(c->sess->scst, &mp);
	}
	scst_os_free(itts);
}

static const char *const close_why_names[] = {
    [ISCSI_CLOSE_FAILURE] = "failed",
    [ISCSI_CLOSE_LOGOUT] = "logged out",
    [ISCSI_CLOSE_REINSTATED] = "reinstated",
    [ISCSI_CLOSE_SESSION] = "closed with its session",
};

/*
 * End a connection (network thread), and decide its session's fate:
 *  - the last connection of a session ends it (RFC 7143 6.3.5: session
 *    closure; the core sees an I_T nexus loss and aborts its tasks);
 *  - a connection logged out by CID or reinstated leaves the session to
 *    the other connections, its own tasks terminated (11.14.5 a, 6.3.4);
 *  - a connection that failed (transport loss, protocol error, timeout):
 *    at ErrorRecoveryLevel 0 the only recovery is session recovery
 *    (7.1.4.4, 7.1.5, 7.14: within-connection and connection recovery need
 *    levels 1 and 2), so the target escalates: the other connections get
 *    AsyncEvent 3, "all connections of the session are dropped" (11.9.1),
 *    and close, which ends the session with the last of them.
 */
static void conn_close(struct iscsi_conn *c)
{
	struct iscsi_sess *s = c->sess;
	SCST_LIST_HEAD_DEF(done);
	enum iscsi_close_why why;
	struct iscsi_held *h;
	struct iscsi_cmd *ic;
	bool last, ending;
	const char *fate;

	scst_mutex_lock(&c->lock);
	if (c->closed) {
		scst_mutex_unlock(&c->lock);
		return;
	}
	c->closed = true;
	why = c->why;
	while (!scst_list_empty(&c->txq)) {
		struct iscsi_txpdu *p =
		    scst_list_first_entry(&c->txq, struct iscsi_txpdu, entry);

		scst_list_del_init(&p->entry);
		if (p->done_cmd)
			scst_list_add_tail(&p->entry, &done);
		else
			iscsi_txpdu_free(p);
	}
	scst_list_for_each_entry (ic, &c->cmds, entry) {
		if (iscsi_cmd_state(ic) == ISCSI_CMD_DATA_OUT) {
			iscsi_cmd_set_state(ic, ISCSI_CMD_ABORTED);
			scst_work_init(&ic->work, iscsi_abort_work);
			scst_queue_work(iscsi_wq, &ic->work);
		}
	}
	if (c->flush_queued) {
		scst_list_del_init(&c->flush_entry);
		c->flush_queued = false;
	}
	epoll_ctl(c->net->epfd, EPOLL_CTL_DEL, c->fd, NULL);
	close(c->fd);
	c->fd = -1;
	scst_mutex_unlock(&c->lock);
	iscsi_run_done(&done);
	/* Its held PDUs still take their CmdSN in turn, but do not run. */
	scst_list_for_each_entry (h, &s->held, entry)
		if (h->conn == c)
			h->conn = NULL;
	iscsi_conn_ka_stop(c);
	iscsi_conn_tree_del(c);

	scst_mutex_lock(&s->lock);
	scst_list_del_init(&c->entry);
	s->nconns--;
	last = !s->nconns;
	if (last)
		s->closing = true;
	else if (why == ISCSI_CLOSE_FAILURE && !s->closing)
		iscsi_sess_drop_locked(s, NULL); /* session recovery */
	ending = s->closing;
	scst_mutex_unlock(&s->lock);
	fate = ending ? ", session recovery" : "";

	scst_log(SCST_LOG_INFO, "iscsi: %s: connection %u to %s %s (tsih %u%s)",
		 s->initiator, c->cid, s->target, close_why_names[why], s->tsih,
		 last ? ", session closed" : fate);
	if (!ending)
		conn_terminate_tasks(c);
	if (last)
		scst_unregister_session(s->scst, iscsi_sess_done);
	/* The open reference goes at the end of the round (iscsi_net_reap). */
	scst_list_add_tail(&c->reap_entry, &c->net->reapq);
}

void iscsi_conn_kick(struct iscsi_conn *c, enum iscsi_close_why why)
{
	scst_mutex_lock(&c->lock);
	if (!c->closed) {
		if (c->why == ISCSI_CLOSE_FAILURE)
			c->why = why;
		shutdown(c->fd, SHUT_RDWR);
	}
	scst_mutex_unlock(&c->lock);
}

void iscsi_sess_kick_locked(struct iscsi_sess *s, struct iscsi_conn *except,
			    enum iscsi_close_why why)
{
	struct iscsi_conn *c;

	s->closing = true;
	scst_list_for_each_entry (c, &s->conns, entry)
		if (c != except)
			iscsi_conn_kick(c, why);
}

struct iscsi_conn *iscsi_sess_find_conn_locked(struct iscsi_sess *s,
					       uint16_t cid)
{
	struct iscsi_conn *c, *found = NULL;

	/* The newest: a reinstated one may still be on its way out. */
	scst_list_for_each_entry (c, &s->conns, entry)
		if (c->cid == cid)
			found = c;
	return found;
}

/*
 * A header is in (rx.split): a Data-Out whose command waits for exactly
 * this data has it received straight into the command's buffer; anything
 * else into the receiver's buffer.
 */
static void rx_header(struct iscsi_conn *c)
{
	const struct iscsi_rx_pdu *pdu = &c->rx.pdu;
	unsigned int n = 0;

	c->rx_cmd = NULL;
	if (pdu->info.opcode == ISCSI_OP_SCSI_DATA_OUT && !pdu->reject_reason)
		n = iscsi_rx_data_out_place(c, &pdu->info);
	if (iscsi_rx_data_to(&c->rx, c->rx_segs, n))
		c->rx_cmd = NULL;
}

/* Act on the receiver's state; false once the connection is closed. */
static bool conn_rx_state(struct iscsi_conn *c)
{
	switch (c->rx.state) {
	case ISCSI_RX_HEADER_READY:
		rx_header(c);
		return c->rx.state != ISCSI_RX_ERROR || conn_rx_state(c);
	case ISCSI_RX_PDU_READY:
		rx_pdu(c, iscsi_rx_pdu(&c->rx));
		iscsi_rx_next(&c->rx);
		return true;
	case ISCSI_RX_ERROR:
		scst_log(SCST_LOG_WARN, "iscsi: %s: receive error %d, closing",
			 c->sess->initiator, (int)c->rx.error);
		if (c->rx.reason)
			iscsi_conn_send_reject(c, c->rx.reason, c->rx.hdr);
		conn_close(c);
		return false;
	default:
		return true;
	}
}

/*
 * The rest of a large data segment that goes to a command's buffer is
 * received there directly, without passing the read-ahead buffer.
 * Returns the bytes received, 0 if this does not apply, or -1 for "stop
 * reading" (nothing more now, or the connection was closed).
 */
static ssize_t conn_rx_direct(struct iscsi_conn *c)
{
	struct iscsi_rx_seg seg[ISCSI_RX_SEGS];
	struct iovec iov[ISCSI_RX_SEGS];
	struct msghdr msg = {.msg_iov = iov};
	unsigned int n, i;
	size_t left = 0;
	ssize_t got;

	n = iscsi_rx_direct(&c->rx, seg, ISCSI_RX_SEGS);
	for (i = 0; i < n; i++) {
		iov[i].iov_base = seg[i].addr;
		iov[i].iov_len = seg[i].len;
		left += seg[i].len;
	}
	if (left < ISCSI_RX_DIRECT)
		return 0;
	msg.msg_iovlen = n;
	do
		got = recvmsg(c->fd, &msg, MSG_DONTWAIT);
	while (got < 0 && errno == EINTR);
	if (got < 0 && (errno == EAGAIN || errno == EWOULDBLOCK))
		return -1;
	if (got <= 0) {
		conn_close(c);
		return -1;
	}
	iscsi_conn_rx_seen(c);
	iscsi_rx_direct_done(&c->rx, (size_t)got);
	return conn_rx_state(c) ? got : -1;
}

static void conn_rx(struct iscsi_conn *c)
{
	uint8_t *buf = c->net->rxbuf; /* this network thread's */

	for (;;) {
		ssize_t n = conn_rx_direct(c);
		size_t off = 0;

		if (n < 0)
			return;
		if (n > 0)
			continue;
		n = recv(c->fd, buf, ISCSI_RX_CHUNK, MSG_DONTWAIT);
		if (n < 0 && (errno == EAGAIN || errno == EWOULDBLOCK))
			return;
		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0) {
			conn_close(c);
			return;
		}
		iscsi_conn_rx_seen(c);
		while (off < (size_t)n) {
			off +=
			    iscsi_rx_feed(&c->rx, buf + off, (size_t)n - off);
			if (!conn_rx_state(c))
				return;
		}
		/* A large segment that goes on past these bytes continues
		 * with conn_rx_direct(). */
	}
}

/* The core queued work for a network thread that waits in epoll. */
static void iscsi_net_kick(void *arg)
{
	struct iscsi_net *n = arg;
	uint64_t one = 1;

	if (write(n->evfd, &one, sizeof(one)) != sizeof(one))
		scst_log(SCST_LOG_ERR, "iscsi: cannot wake a network thread");
}

/* The connections closed in this round lose their open reference. */
static void iscsi_net_reap(struct iscsi_net *n)
{
	while (!scst_list_empty(&n->reapq)) {
		struct iscsi_conn *c = scst_list_first_entry(
		    &n->reapq, struct iscsi_conn, reap_entry);

		scst_list_del_init(&c->reap_entry);
		iscsi_conn_put(c);
	}
}

static void iscsi_net_events(struct epoll_event *ev)
{
	struct iscsi_conn *c = ev->data.ptr;

	if (c->closed)
		return;
	if (ev->events & EPOLLOUT) {
		SCST_LIST_HEAD_DEF(done);

		scst_mutex_lock(&c->lock);
		iscsi_conn_flush_locked(c, &done);
		scst_mutex_unlock(&c->lock);
		iscsi_run_done(&done);
	}
	if (ev->events & (EPOLLIN | EPOLLRDHUP | EPOLLHUP | EPOLLERR))
		conn_rx(c);
}

static int iscsi_net_fn(void *arg)
{
	struct iscsi_net *n = arg;
	struct epoll_event ev[32];

	n->worker = scst_worker_attach(iscsi_net_kick, n);
	/* Handlers signal completions to the same eventfd (scst_poller). */
	if (n->worker)
		scst_worker_set_wake_fd(n->worker, n->evfd);
	scst_complete(&n->started);
	if (!n->worker)
		return -ENOMEM;
	for (;;) {
		int cnt, i;
		uint64_t v;

		/* The previous round's responses leave here, together. */
		scst_worker_run(n->worker);
		iscsi_net_flush(n);
		if (!scst_worker_idle(n->worker))
			continue;
		cnt = epoll_wait(n->epfd, ev, 32, -1);
		/* Awake: what the core queued meanwhile runs first. */
		scst_worker_run(n->worker);
		if (cnt < 0 && errno == EINTR)
			continue;
		if (cnt < 0)
			return -errno;
		for (i = 0; i < cnt; i++) {
			if (ev[i].data.ptr) {
				iscsi_net_events(&ev[i]);
				continue;
			}
			if (read(n->evfd, &v, sizeof(v)) < 0 && errno != EAGAIN)
				scst_log(SCST_LOG_ERR, "iscsi: eventfd: %d",
					 errno);
			if (__atomic_load_n(&n->stop, __ATOMIC_ACQUIRE)) {
				scst_worker_run(n->worker);
				iscsi_net_flush(n);
				iscsi_net_reap(n);
				scst_worker_detach(n->worker);
				n->worker = NULL;
				return 0;
			}
		}
		/* No event of this round names a closed connection now. */
		iscsi_net_reap(n);
	}
}

struct iscsi_net *iscsi_net_pick(void)
{
	struct iscsi_net *best = &iscsi_nets[0];
	unsigned int i;

	scst_mutex_lock(&iscsi_conn_mutex);
	for (i = 1; i < iscsi_nnets; i++)
		if (iscsi_nets[i].nsess < best->nsess)
			best = &iscsi_nets[i];
	best->nsess++;
	scst_mutex_unlock(&iscsi_conn_mutex);
	return best;
}

void iscsi_net_unpick(struct iscsi_net *n)
{
	scst_mutex_lock(&iscsi_conn_mutex);
	n->nsess--;
	scst_mutex_unlock(&iscsi_conn_mutex);
}

/* sessions/<s>/force_close: an Async Message first (iscsi_async.c). */
int iscsi_close_session(struct scst_session *sess)
{
	struct iscsi_sess *s = scst_sess_get_tgt_priv(sess);

	scst_mutex_lock(&s->lock);
	iscsi_sess_drop_locked(s, NULL);
	scst_mutex_unlock(&s->lock);
	return 0;
}

/*
 * The target goes away: ask its initiators to log out (RFC 7143 11.9.1,
 * iscsi_async.c) and wait for them, at most ISCSI_LOGOUT_WAIT_S seconds
 * (the connections' timers close the rest then); past that, with a little
 * slack for a late timer, kick what is left and wait for it to end.
 */
void iscsi_conn_close_target(struct iscsi_tgt *it)
{
	uint64_t kick_at = 0; /* all targets (@it NULL): at once */
	struct iscsi_sess *s;
	unsigned int left;

	if (it && iscsi_conn_request_logout(it))
		kick_at = scst_os_now_ns() +
			  (ISCSI_LOGOUT_WAIT_S + 2) * 1000000000ull;
	for (;;) {
		scst_mutex_lock(&iscsi_conn_mutex);
		scst_list_for_each_entry (s, &iscsi_sessions, entry) {
			if ((it && s->it != it) || scst_os_now_ns() < kick_at)
				continue;
			scst_mutex_lock(&s->lock);
			iscsi_sess_kick_locked(s, NULL, ISCSI_CLOSE_SESSION);
			scst_mutex_unlock(&s->lock);
		}
		scst_mutex_unlock(&iscsi_conn_mutex);
		scst_mutex_lock(&iscsi_mutex);
		left = it ? it->nsess : 0;
		scst_mutex_unlock(&iscsi_mutex);
		if (!left)
			return;
		scst_os_msleep(5);
	}
}

/* --------------------------------------------------------- module ---- */

static void iscsi_net_stop(struct iscsi_net *n)
{
	uint64_t one = 1;

	if (n->thread) {
		__atomic_store_n(&n->stop, true, __ATOMIC_RELEASE);
		if (write(n->evfd, &one, sizeof(one)) != sizeof(one))
			scst_log(SCST_LOG_ERR,
				 "iscsi: cannot stop a network thread");
		scst_thread_join(n->thread);
		n->thread = NULL;
	}
	if (n->epfd >= 0)
		close(n->epfd);
	if (n->evfd >= 0)
		close(n->evfd);
	n->epfd = n->evfd = -1;
	scst_completion_destroy(&n->started);
	scst_os_free(n->rxbuf);
	n->rxbuf = NULL;
}

static int iscsi_net_start(struct iscsi_net *n, unsigned int idx)
{
	struct epoll_event ev = {.events = EPOLLIN, .data.ptr = NULL};
	char name[16];
	int rc;

	scst_completion_init(&n->started);
	scst_list_init(&n->flushq);
	scst_list_init(&n->reapq);
	n->epfd = epoll_create1(EPOLL_CLOEXEC);
	n->evfd = eventfd(0, EFD_CLOEXEC | EFD_NONBLOCK);
	n->rxbuf = scst_os_alloc(ISCSI_RX_CHUNK);
	if (n->epfd < 0 || n->evfd < 0 || !n->rxbuf ||
	    epoll_ctl(n->epfd, EPOLL_CTL_ADD, n->evfd, &ev))
		return -ENOMEM;
	scst_snprintf(name, sizeof(name), "iscsi_net%u", idx);
	rc = scst_thread_create(&n->thread, iscsi_net_fn, n, name);
	if (rc)
		return rc;
	scst_wait_for_completion(&n->started);
	return n->worker ? 0 : -ENOMEM;
}

int iscsi_conn_module_init(void)
{
	unsigned int i;
	int rc = -ENOMEM;

	rc = iscsi_caches_init();
	if (rc)
		return rc;
	rc = -ENOMEM;
	scst_mutex_init(&iscsi_conn_mutex);
	iscsi_next_tsih = (uint16_t)scst_os_random_u32();
	iscsi_wq = scst_workqueue_create("iscsi", 1);
	iscsi_nnets = scst_os_num_cpus();
	iscsi_nets = scst_os_zalloc(iscsi_nnets * sizeof(*iscsi_nets));
	if (!iscsi_wq || !iscsi_nets)
		goto fail;
	for (i = 0; i < iscsi_nnets; i++)
		iscsi_nets[i].epfd = iscsi_nets[i].evfd = -1;
	for (i = 0; i < iscsi_nnets; i++) {
		rc = iscsi_net_start(&iscsi_nets[i], i);
		if (rc) {
			iscsi_nnets = i + 1;
			goto fail;
		}
	}
	return 0;
fail:
	for (i = 0; iscsi_nets && i < iscsi_nnets; i++)
		iscsi_net_stop(&iscsi_nets[i]);
	scst_os_free(iscsi_nets);
	iscsi_nets = NULL;
	iscsi_nnets = 0;
	if (iscsi_wq)
		scst_workqueue_destroy(iscsi_wq);
	iscsi_wq = NULL;
	scst_mutex_destroy(&iscsi_conn_mutex);
	iscsi_caches_exit();
	return rc ? rc : -ENOMEM;
}

void iscsi_conn_module_exit(void)
{
	unsigned int i;

	/* Targets (and so connections and their sessions) are gone before
	 * this runs; aborts still queued end on the network threads. */
	scst_workqueue_flush(iscsi_wq);
	for (i = 0; i < iscsi_nnets; i++)
		iscsi_net_stop(&iscsi_nets[i]);
	scst_os_free(iscsi_nets);
	iscsi_nets = NULL;
	iscsi_nnets = 0;
	scst_workqueue_destroy(iscsi_wq);
	iscsi_wq = NULL;
	scst_mutex_destroy(&iscsi_conn_mutex);
	/* Every command, held PDU and PDU is back by now (logged if not). */
	iscsi_caches_exit();
}
