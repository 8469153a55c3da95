// SPDX-License-Identifier: GPL-2.0-only
/*
 * The full feature phase of the iscsi target driver, its connection side:
 * connections handed over by the login daemon, the network thread with
 * epoll, receiving PDUs, the CmdSN window and the order of commands,
 * closing. The requests themselves are served in iscsi_cmd.c (SCSI
 * commands and their data) and iscsi_requests.c (NOP, Text, Logout,
 * task management); iscsi_tx.c sends.
 *
 * Locking: conn->lock guards the send queue, StatSN, the command list and
 * each command's data state. The core is never called with it held.
 * Receiving and closing happen on the network thread only; sending happens
 * on whichever thread queues a PDU (non-blocking, the rest from EPOLLOUT).
 * One connection per session (no MC/S), ErrorRecoveryLevel 0.
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

struct scst_mutex iscsi_conn_mutex; /* iscsi_conns, TSIHs */
SCST_LIST_HEAD_DEF(iscsi_conns);
uint16_t iscsi_next_tsih;
int iscsi_epfd = -1;
static int iscsi_stopfd = -1;
static struct scst_thread *iscsi_net_thread;
struct scst_workqueue *iscsi_wq;

static bool sn_lt(uint32_t a, uint32_t b)
{
	return (int32_t)(a - b) < 0;
}

static uint32_t conn_max_cmd_sn(const struct iscsi_conn *c)
{
	return __atomic_load_n(&c->exp_cmd_sn, __ATOMIC_ACQUIRE) + c->queued -
	       1;
}

/* ---------------------------------------------------- CmdSN order ---- */

static void rx_dispatch(struct iscsi_conn *c, const struct iscsi_bhs_info *in,
			const uint8_t *hdr, const uint8_t *data)
{
	switch (in->opcode) {
	case ISCSI_OP_SCSI_CMD:
		rx_scsi_cmd(c, in, hdr, data);
		break;
	case ISCSI_OP_NOP_OUT:
		rx_nop_out(c, in, data);
		break;
	case ISCSI_OP_TMF_REQ:
		rx_tmf(c, in, hdr);
		break;
	case ISCSI_OP_TEXT_REQ:
		rx_text(c, in, data);
		break;
	case ISCSI_OP_LOGOUT_REQ:
		rx_logout(c, in);
		break;
	default:
		conn_send_reject(c, ISCSI_REJECT_CMD_NOT_SUPPORTED, hdr);
		break;
	}
}

static void rx_held_drain(struct iscsi_conn *c)
{
	bool again = true;

	while (again) {
		struct iscsi_held *h;

		again = false;
		scst_list_for_each_entry (h, &c->held, entry) {
			if (h->cmdsn != c->exp_cmd_sn)
				continue;
			scst_list_del_init(&h->entry);
			__atomic_store_n(&c->exp_cmd_sn, c->exp_cmd_sn + 1,
					 __ATOMIC_RELEASE);
			rx_dispatch(c, &h->info, h->hdr, h->data);
			scst_os_free(h->data);
			scst_os_free(h);
			again = true;
			break;
		}
	}
}

static void rx_pdu(struct iscsi_conn *c, const struct iscsi_rx_pdu *pdu)
{
	const struct iscsi_bhs_info *in = &pdu->info;
	uint32_t cmdsn;

	if (pdu->reject_reason) {
		conn_send_reject(c, pdu->reject_reason, pdu->bhs);
		return;
	}
	switch (in->opcode) {
	case ISCSI_OP_SCSI_DATA_OUT:
		rx_data_out(c, in, pdu->data);
		return;
	case ISCSI_OP_SNACK_REQ:
		conn_send_reject(c, ISCSI_REJECT_CMD_NOT_SUPPORTED, pdu->bhs);
		return;
	default:
		break;
	}
	if (in->immediate) {
		rx_dispatch(c, in, pdu->bhs, pdu->data);
		return;
	}
	cmdsn = scst_get_be32(pdu->bhs + ISCSI_CMD_CMDSN);
	if (cmdsn == c->exp_cmd_sn) {
		__atomic_store_n(&c->exp_cmd_sn, cmdsn + 1, __ATOMIC_RELEASE);
		rx_dispatch(c, in, pdu->bhs, pdu->data);
		rx_held_drain(c);
		return;
	}
	if (sn_lt(c->exp_cmd_sn, cmdsn) && !sn_lt(conn_max_cmd_sn(c), cmdsn)) {
		struct iscsi_held *h = scst_os_zalloc(sizeof(*h));

		if (!h)
			return;
		h->cmdsn = cmdsn;
		h->info = *in;
		memcpy(h->hdr, pdu->bhs, ISCSI_BHS_LEN + in->ahs_len);
		if (in->data_len) {
			h->data = scst_os_alloc(in->data_len);
			if (!h->data) {
				scst_os_free(h);
				return;
			}
			memcpy(h->data, pdu->data, in->data_len);
		}
		scst_list_add_tail(&h->entry, &c->held);
		return;
	}
	/* Outside the window: silently ignored (RFC 7143 3.2.2.1). */
	scst_dbg("iscsi: %s: CmdSN %u outside [%u, %u], dropped", c->initiator,
		 cmdsn, c->exp_cmd_sn, conn_max_cmd_sn(c));
}

/* ------------------------------------------------- connection life ---- */

void iscsi_sess_done(struct scst_session *sess)
{
	struct iscsi_conn *c = scst_sess_get_tgt_priv(sess);

	iscsi_rx_destroy(&c->rx);
	scst_mutex_destroy(&c->lock);
	scst_mutex_lock(&iscsi_mutex);
	c->it->nsess--;
	scst_mutex_unlock(&iscsi_mutex);
	scst_os_free(c);
}

/* End a connection (network thread): nexus loss for its session. */
static void conn_close(struct iscsi_conn *c)
{
	SCST_LIST_HEAD_DEF(done);
	SCST_LIST_HEAD_DEF(fail);
	struct iscsi_cmd *ic;

	scst_mutex_lock(&c->lock);
	if (c->closed) {
		scst_mutex_unlock(&c->lock);
		return;
	}
	c->closed = true;
	while (!scst_list_empty(&c->txq)) {
		struct iscsi_txpdu *p =
		    scst_list_first_entry(&c->txq, struct iscsi_txpdu, entry);

		scst_list_del_init(&p->entry);
		if (p->done_cmd)
			scst_list_add_tail(&p->entry, &done);
		else
			pdu_free(p);
	}
	scst_list_for_each_entry (ic, &c->cmds, entry) {
		if (ic->rdy && !ic->data_done) {
			ic->data_done = true;
			scst_work_init(&ic->work, iscsi_abort_work);
			scst_queue_work(iscsi_wq, &ic->work);
		}
	}
	epoll_ctl(iscsi_epfd, EPOLL_CTL_DEL, c->fd, NULL);
	close(c->fd);
	c->fd = -1;
	scst_mutex_unlock(&c->lock);
	run_done(&done);
	while (!scst_list_empty(&c->held)) {
		struct iscsi_held *h =
		    scst_list_first_entry(&c->held, struct iscsi_held, entry);

		scst_list_del_init(&h->entry);
		scst_os_free(h->data);
		scst_os_free(h);
	}
	scst_mutex_lock(&iscsi_conn_mutex);
	scst_list_del_init(&c->entry);
	scst_mutex_unlock(&iscsi_conn_mutex);
	scst_log(SCST_LOG_INFO, "iscsi: %s: connection to %s closed (tsih %u)",
		 c->initiator, c->target, c->tsih);
	scst_unregister_session(c->sess, iscsi_sess_done);
}

/* Ask the network thread to end @c (any thread). */
void conn_kick(struct iscsi_conn *c)
{
	scst_mutex_lock(&c->lock);
	if (!c->closed)
		shutdown(c->fd, SHUT_RDWR);
	scst_mutex_unlock(&c->lock);
}

static void conn_rx(struct iscsi_conn *c)
{
	static uint8_t buf[ISCSI_RX_CHUNK]; /* network thread only */

	for (;;) {
		ssize_t n = recv(c->fd, buf, sizeof(buf), MSG_DONTWAIT);
		size_t off = 0;

		if (n < 0 && (errno == EAGAIN || errno == EWOULDBLOCK))
			return;
		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0) {
			conn_close(c);
			return;
		}
		while (off < (size_t)n) {
			off +=
			    iscsi_rx_feed(&c->rx, buf + off, (size_t)n - off);
			if (c->rx.state == ISCSI_RX_PDU_READY) {
				rx_pdu(c, iscsi_rx_pdu(&c->rx));
				iscsi_rx_next(&c->rx);
			} else if (c->rx.state == ISCSI_RX_ERROR) {
				scst_log(SCST_LOG_WARN,
					 "iscsi: %s: receive error %d, closing",
					 c->initiator, (int)c->rx.error);
				if (c->rx.reason)
					conn_send_reject(c, c->rx.reason,
							 c->rx.hdr);
				conn_close(c);
				return;
			}
		}
	}
}

static int iscsi_net_fn(void *arg)
{
	struct epoll_event ev[32];

	(void)arg;
	for (;;) {
		int n = epoll_wait(iscsi_epfd, ev, 32, -1), i;

		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0)
			return -errno;
		for (i = 0; i < n; i++) {
			struct iscsi_conn *c = ev[i].data.ptr;

			if (!c)
				return 0; /* the stop event */
			if (c->closed)
				continue;
			if (ev[i].events & EPOLLOUT) {
				SCST_LIST_HEAD_DEF(done);

				scst_mutex_lock(&c->lock);
				conn_flush_locked(c, &done);
				scst_mutex_unlock(&c->lock);
				run_done(&done);
			}
			if (ev[i].events &
			    (EPOLLIN | EPOLLRDHUP | EPOLLHUP | EPOLLERR))
				conn_rx(c);
		}
	}
}

int iscsi_close_session(struct scst_session *sess)
{
	conn_kick(scst_sess_get_tgt_priv(sess));
	return 0;
}

void iscsi_conn_close_target(struct iscsi_tgt *it)
{
	struct iscsi_conn *c;
	unsigned int left;

	for (;;) {
		scst_mutex_lock(&iscsi_conn_mutex);
		scst_list_for_each_entry (c, &iscsi_conns, entry)
			if (!it || c->it == it)
				conn_kick(c);
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

int iscsi_conn_module_init(void)
{
	struct epoll_event ev = {.events = EPOLLIN, .data.ptr = NULL};
	int rc;

	scst_mutex_init(&iscsi_conn_mutex);
	iscsi_next_tsih = (uint16_t)scst_os_random_u32();
	iscsi_wq = scst_workqueue_create("iscsi", 1);
	if (!iscsi_wq)
		goto fail;
	iscsi_epfd = epoll_create1(EPOLL_CLOEXEC);
	iscsi_stopfd = eventfd(0, EFD_CLOEXEC | EFD_NONBLOCK);
	if (iscsi_epfd < 0 || iscsi_stopfd < 0 ||
	    epoll_ctl(iscsi_epfd, EPOLL_CTL_ADD, iscsi_stopfd, &ev))
		goto fail;
	rc = scst_thread_create(&iscsi_net_thread, iscsi_net_fn, NULL,
				"iscsi_net");
	if (rc)
		goto fail;
	return 0;
fail:
	if (iscsi_epfd >= 0)
		close(iscsi_epfd);
	if (iscsi_stopfd >= 0)
		close(iscsi_stopfd);
	iscsi_epfd = iscsi_stopfd = -1;
	if (iscsi_wq)
		scst_workqueue_destroy(iscsi_wq);
	iscsi_wq = NULL;
	scst_mutex_destroy(&iscsi_conn_mutex);
	return -ENOMEM;
}

void iscsi_conn_module_exit(void)
{
	uint64_t one = 1;

	/* Targets (and so connections) are gone before this runs. */
	if (write(iscsi_stopfd, &one, sizeof(one)) != sizeof(one))
		scst_log(SCST_LOG_ERR, "iscsi: cannot stop the network thread");
	scst_thread_join(iscsi_net_thread);
	close(iscsi_epfd);
	close(iscsi_stopfd);
	iscsi_epfd = iscsi_stopfd = -1;
	scst_workqueue_flush(iscsi_wq);
	scst_workqueue_destroy(iscsi_wq);
	iscsi_wq = NULL;
	scst_mutex_destroy(&iscsi_conn_mutex);
}
