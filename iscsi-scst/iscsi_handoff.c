// SPDX-License-Identifier: GPL-2.0-only
/*
 * The hand-off of logged-in connections from the login daemon: the
 * iscsi_handoff control request receives the socket (SCM_RIGHTS) and the
 * negotiated parameters, finds or reinstates the session, allocates the
 * TSIH, sends the final Login Response and gives the connection to the
 * network thread of the full feature phase (iscsi_conn.c).
 */
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <string.h>
#include <sys/epoll.h>
#include <sys/socket.h>
#include <sys/uio.h>
#include <unistd.h>

#include "iscsi-scst/iscsi_conn_internal.h"
#include "scst/byteorder.h"

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
		struct iscsi_conn *c;
		bool used = false;

		if (++iscsi_next_tsih == 0)
			iscsi_next_tsih = 1;
		scst_list_for_each_entry (c, &iscsi_conns, entry)
			if (c->tsih == iscsi_next_tsih)
				used = true;
		if (!used)
			return iscsi_next_tsih;
	}
}

int iscsi_conn_handoff(struct iscsi_tgt *it, const struct iscsi_handoff *h,
		       int fd, uint16_t *tsih, uint8_t *st_class,
		       uint8_t *st_detail, const char **why)
{
	static uint8_t rsp[ISCSI_BHS_LEN + ISCSI_LOGIN_DATA_MAX + 4];
	struct iscsi_login_rsp lr = {
	    .transit = true,
	    .csg = h->csg,
	    .nsg = ISCSI_STAGE_FULL_FEATURE,
	    .version_max = h->version_max,
	    .version_active = h->version_active,
	    .itt = h->itt,
	    .data_len = h->rsp_data_len,
	};
	struct iscsi_pdu_limits lim = {.max_recv_dsl = h->max_recv_dsl};
	struct epoll_event ev = {.events = EPOLLIN | EPOLLRDHUP};
	unsigned int nsess = 0, max_sess;
	struct iscsi_conn *c, *old;
	uint32_t queued;
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
	if (h->tsih) {
		/* No MC/S: a connection cannot join a session. */
		*st_class = ISCSI_STATUS_CLS_INITIATOR_ERR;
		*st_detail = ISCSI_LOGIN_STATUS_NO_SESSION;
		*why = "session does not exist";
		return -ENOENT;
	}
	scst_mutex_lock(&iscsi_mutex);
	queued = it->tp[ISCSI_TP_QUEUED_COMMANDS];
	max_sess = it->tp[ISCSI_TP_MAX_SESSIONS];
	scst_mutex_unlock(&iscsi_mutex);

	/* Session reinstatement: the same ISID and initiator (RFC 7143 6.3.5).
	 */
	scst_mutex_lock(&iscsi_conn_mutex);
	scst_list_for_each_entry (old, &iscsi_conns, entry) {
		if (old->it != it)
			continue;
		if (!strcmp(old->initiator, h->initiator_name) &&
		    !memcmp(old->isid, h->isid, 6)) {
			scst_log(SCST_LOG_INFO,
				 "iscsi: %s: session reinstatement (tsih %u)",
				 old->initiator, old->tsih);
			conn_kick(old);
		} else {
			nsess++;
		}
	}
	if (max_sess && nsess >= max_sess) {
		scst_mutex_unlock(&iscsi_conn_mutex);
		*st_class = ISCSI_STATUS_CLS_TARGET_ERR;
		*st_detail = ISCSI_LOGIN_STATUS_NO_RESOURCES;
		*why = "too many sessions";
		return -EBUSY;
	}
	scst_mutex_unlock(&iscsi_conn_mutex);

	c = scst_os_zalloc(sizeof(*c));
	if (!c) {
		*st_detail = ISCSI_LOGIN_STATUS_NO_RESOURCES;
		*why = "out of resources";
		return -ENOMEM;
	}
	c->it = it;
	c->fd = fd;
	scst_list_init(&c->entry);
	scst_list_init(&c->held);
	scst_list_init(&c->txq);
	scst_list_init(&c->cmds);
	scst_mutex_init(&c->lock);
	memcpy(c->initiator, h->initiator_name, ISCSI_NAME_MAX);
	memcpy(c->target, h->target_name, ISCSI_NAME_MAX);
	memcpy(c->local_addr, h->local_addr, ISCSI_ADDR_MAX);
	memcpy(c->isid, h->isid, 6);
	c->cid = h->cid;
	c->tpgt = h->tpgt;
	c->max_xmit_dsl = h->max_xmit_dsl;
	c->max_burst = h->max_burst;
	c->first_burst = h->first_burst;
	c->max_r2t = h->max_outstanding_r2t;
	c->initial_r2t = h->initial_r2t;
	c->check_datasn = h->data_pdu_in_order && h->data_seq_in_order;
	c->immediate_data = h->immediate_data;
	c->hdigest = h->header_digest;
	c->ddigest = h->data_digest;
	c->queued = queued;
	c->exp_cmd_sn = h->cmd_sn;
	c->stat_sn = h->stat_sn + 1;
	lim.max_ahs_len = ISCSI_MAX_AHS_LEN;
	iscsi_rx_init(&c->rx, ISCSI_PHASE_FULL_FEATURE, &lim, c->hdigest,
		      c->ddigest);
	c->rx.split = c->rx.borrow = true; /* see conn_rx (iscsi_conn.c) */

	/* Its network thread runs its commands too (one thread per CPU). */
	c->net = iscsi_net_pick();
	rc = scst_register_session_on(it->stgt, h->initiator_name, c,
				      c->net->worker, &c->sess);
	if (rc) {
		iscsi_net_unpick(c->net);
		iscsi_rx_destroy(&c->rx);
		scst_mutex_destroy(&c->lock);
		scst_os_free(c);
		*st_detail = ISCSI_LOGIN_STATUS_NO_RESOURCES;
		*why = "cannot open a session";
		return rc;
	}
	scst_mutex_lock(&iscsi_mutex);
	it->nsess++;
	scst_mutex_unlock(&iscsi_mutex);
	iscsi_conn_ffp_init(c, h); /* timers, tree entry (iscsi_keepalive.c) */
	scst_mutex_lock(&iscsi_conn_mutex);
	c->tsih = iscsi_alloc_tsih_locked();
	scst_list_add_tail(&c->entry, &iscsi_conns);
	scst_mutex_unlock(&iscsi_conn_mutex);

	/* The final Login Response (the login phase has no digests). */
	memcpy(lr.isid, h->isid, 6);
	lr.tsih = c->tsih;
	lr.sn.statsn = h->stat_sn;
	lr.sn.expcmdsn = h->cmd_sn;
	lr.sn.maxcmdsn = h->cmd_sn + queued - 1;
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
		ev.data.ptr = c;
		rc = epoll_ctl(c->net->epfd, EPOLL_CTL_ADD, fd, &ev) ? -errno
								     : 0;
	}
	if (rc) {
		/* The session never saw a command: close it right here. */
		scst_mutex_lock(&iscsi_conn_mutex);
		scst_list_del_init(&c->entry);
		scst_mutex_unlock(&iscsi_conn_mutex);
		iscsi_net_unpick(c->net);
		c->closed = true;
		c->fd = -1; /* the caller closes it */
		scst_unregister_session(c->sess, iscsi_sess_done);
		*why = "cannot send the login response";
		return rc;
	}
	scst_log(SCST_LOG_INFO,
		 "iscsi: %s logged in to %s from %s (tsih %u, hd %d dd %d)",
		 c->initiator, c->target, h->peer_addr, c->tsih, c->hdigest,
		 c->ddigest);
	*tsih = c->tsih;
	return 0;
}
