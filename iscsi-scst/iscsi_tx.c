// SPDX-License-Identifier: GPL-2.0-only
/*
 * Sending in the full feature phase: PDUs laid out as iovecs over the
 * command buffer (scatter-gather, no copy), sequence numbers and the
 * header digest stamped at queue time under conn->lock, non-blocking
 * sendmsg() of several PDUs at once with the rest finished from EPOLLOUT
 * on the network thread, which holds back what it queues itself until
 * the end of its round (iscsi_net_flush).
 */
#include <errno.h>
#include <string.h>
#include <sys/epoll.h>
#include <sys/socket.h>
#include <sys/uio.h>

#include "iscsi-scst/iscsi_params.h"
#include "iscsi-scst/iscsi_pdu.h"
#include "iscsi-scst/iscsi_priv.h"
#include "scst/byteorder.h"

#include "iscsi-scst/iscsi_conn_internal.h"

#define ISCSI_TX_IOVS 64 /* iovecs per sendmsg() */

/* ------------------------------------------------------------ send ---- */

/*
 * Lay out the iovecs: header, then @n data iovecs already at iov[1..n],
 * padding and data digest. The header digest is added at queue time.
 */
void iscsi_txpdu_finish_data(struct iscsi_conn *c, struct iscsi_txpdu *p,
			     unsigned int n, uint32_t dlen)
{
	uint32_t pad = iscsi_pad4(dlen) - dlen, crc = 0, tl = 0;
	unsigned int i;

	p->iov[0].iov_base = p->hdr;
	p->iov[0].iov_len = ISCSI_BHS_LEN + (c->hdigest ? ISCSI_DIGEST_LEN : 0);
	p->niov = 1 + n;
	if (!dlen)
		return;
	tl = pad;
	if (c->ddigest) {
		for (i = 1; i <= n; i++)
			crc = iscsi_crc32c(crc, p->iov[i].iov_base,
					   p->iov[i].iov_len);
		if (pad)
			crc = iscsi_crc32c(crc, p->tail, pad);
		p->tail[pad] = (uint8_t)crc;
		p->tail[pad + 1] = (uint8_t)(crc >> 8);
		p->tail[pad + 2] = (uint8_t)(crc >> 16);
		p->tail[pad + 3] = (uint8_t)(crc >> 24);
		tl += ISCSI_DIGEST_LEN;
	}
	if (tl) {
		p->iov[p->niov].iov_base = p->tail;
		p->iov[p->niov].iov_len = tl;
		p->niov++;
	}
}

static void conn_wake_out(struct iscsi_conn *c, bool out)
{
	struct epoll_event ev = {.events = EPOLLIN | EPOLLRDHUP, .data.ptr = c};

	if (c->want_out == out)
		return;
	c->want_out = out;
	if (out)
		ev.events |= EPOLLOUT;
	epoll_ctl(c->net->epfd, EPOLL_CTL_MOD, c->fd, &ev);
}

/* A PDU is out whole: off the queue; its command (if last) to @done. */
static void pdu_sent_locked(struct iscsi_conn *c, struct iscsi_txpdu *p,
			    struct scst_list_head *done)
{
	scst_list_del_init(&p->entry);
	if (p->close_after) {
		c->logged_out = true;
		shutdown(c->fd, SHUT_RDWR);
	}
	if (p->done_cmd) {
		/* iscsi_run_done frees it (its own data too) */
		scst_list_add_tail(&p->entry, done);
	} else {
		iscsi_txpdu_free(p);
	}
}

/* @n bytes went out from the head of the queue. */
static void txq_advance_locked(struct iscsi_conn *c, size_t n,
			       struct scst_list_head *done)
{
	while (!scst_list_empty(&c->txq)) {
		struct iscsi_txpdu *p =
		    scst_list_first_entry(&c->txq, struct iscsi_txpdu, entry);

		while (p->cur < p->niov) {
			struct iovec *v = &p->iov[p->cur];

			if (n < v->iov_len) {
				v->iov_base = (uint8_t *)v->iov_base + n;
				v->iov_len -= n;
				return;
			}
			n -= v->iov_len;
			v->iov_len = 0;
			p->cur++;
		}
		pdu_sent_locked(c, p, done);
	}
}

/*
 * Send what can go now, several PDUs per sendmsg(); under c->lock.
 * Finished commands go to @done.
 */
static void conn_push_locked(struct iscsi_conn *c, struct scst_list_head *done)
{
	struct iovec iov[ISCSI_TX_IOVS];

	while (!c->tx_dead && !scst_list_empty(&c->txq)) {
		struct msghdr msg = {.msg_iov = iov};
		struct iscsi_txpdu *p;
		unsigned int n = 0;
		ssize_t sent;

		scst_list_for_each_entry (p, &c->txq, entry) {
			unsigned int i;

			for (i = p->cur; i < p->niov && n < ISCSI_TX_IOVS; i++)
				if (p->iov[i].iov_len)
					iov[n++] = p->iov[i];
			if (n == ISCSI_TX_IOVS)
				break;
		}
		if (!n) { /* only empty iovecs left (cannot happen) */
			txq_advance_locked(c, 0, done);
			continue;
		}
		msg.msg_iovlen = n;
		sent = sendmsg(c->fd, &msg, MSG_NOSIGNAL | MSG_DONTWAIT);
		if (sent < 0) {
			if (errno == EAGAIN || errno == EWOULDBLOCK) {
				conn_wake_out(c, true);
				return;
			}
			if (errno == EINTR)
				continue;
			c->tx_dead = true;
			shutdown(c->fd, SHUT_RDWR);
			return;
		}
		txq_advance_locked(c, (size_t)sent, done);
	}
	conn_wake_out(c, false);
}

/*
 * Send what can go now; under c->lock. On the connection's network
 * thread it is only noted: what its round (a batch of received requests,
 * or of completions) queued leaves together at the end of the round
 * (iscsi_net_flush), in one segment where it fits, instead of one send
 * (and one wake-up of the initiator) per response.
 */
void iscsi_conn_flush_locked(struct iscsi_conn *c, struct scst_list_head *done)
{
	struct iscsi_net *n = c->net;

	if (c->closed)
		return;
	if (scst_thread_current() == n->thread) {
		if (!c->flush_queued) {
			c->flush_queued = true;
			scst_list_add_tail(&c->flush_entry, &n->flushq);
		}
		return;
	}
	conn_push_locked(c, done);
}

void iscsi_net_flush(struct iscsi_net *n)
{
	/* Commands finished here may queue more: until nothing is left. */
	while (!scst_list_empty(&n->flushq)) {
		struct iscsi_conn *c = scst_list_first_entry(
		    &n->flushq, struct iscsi_conn, flush_entry);
		SCST_LIST_HEAD_DEF(done);

		scst_list_del_init(&c->flush_entry);
		c->flush_queued = false;
		scst_mutex_lock(&c->lock);
		if (!c->closed)
			conn_push_locked(c, &done);
		scst_mutex_unlock(&c->lock);
		iscsi_run_done(&done);
	}
}

/* Stamp sequence numbers and the header digest; under c->lock. */
static void pdu_stamp_locked(struct iscsi_conn *c, struct iscsi_txpdu *p)
{
	/* The session's window: commands may come on any connection. */
	uint32_t exp = __atomic_load_n(&c->sess->exp_cmd_sn, __ATOMIC_ACQUIRE);

	if (p->sn == SN_ADVANCE)
		scst_put_be32(p->hdr + ISCSI_TGT_STATSN, c->stat_sn++);
	else if (p->sn == SN_PEEK)
		scst_put_be32(p->hdr + ISCSI_TGT_STATSN, c->stat_sn);
	scst_put_be32(p->hdr + ISCSI_TGT_EXPCMDSN, exp);
	scst_put_be32(p->hdr + ISCSI_TGT_MAXCMDSN, exp + c->sess->queued - 1);
	if (c->hdigest) {
		uint32_t crc = iscsi_crc32c(0, p->hdr, ISCSI_BHS_LEN);

		p->hdr[48] = (uint8_t)crc;
		p->hdr[49] = (uint8_t)(crc >> 8);
		p->hdr[50] = (uint8_t)(crc >> 16);
		p->hdr[51] = (uint8_t)(crc >> 24);
	}
}

void iscsi_conn_queue_locked(struct iscsi_conn *c, struct iscsi_txpdu *p,
			     struct scst_list_head *done)
{
	if (c->closed || c->tx_dead) {
		if (p->done_cmd)
			scst_list_add_tail(&p->entry, done);
		else
			iscsi_txpdu_free(p);
		return;
	}
	pdu_stamp_locked(c, p);
	scst_list_add_tail(&p->entry, &c->txq);
}

/* Queue one PDU and send. */
void iscsi_conn_send(struct iscsi_conn *c, struct iscsi_txpdu *p)
{
	SCST_LIST_HEAD_DEF(done);

	scst_mutex_lock(&c->lock);
	iscsi_conn_queue_locked(c, p, &done);
	iscsi_conn_flush_locked(c, &done);
	scst_mutex_unlock(&c->lock);
	iscsi_run_done(&done);
}

/* A PDU with its own data segment (copied). */
struct iscsi_txpdu *iscsi_txpdu_with_data(struct iscsi_conn *c,
					  const void *data, uint32_t len)
{
	struct iscsi_txpdu *p = iscsi_txpdu_alloc(1, len);

	if (!p)
		return NULL;
	if (len) {
		memcpy(p->own, data, len);
		p->iov[1].iov_base = p->own;
		p->iov[1].iov_len = len;
	}
	iscsi_txpdu_finish_data(c, p, len ? 1 : 0, len);
	return p;
}

void iscsi_conn_send_reject(struct iscsi_conn *c, uint8_t reason,
			    const uint8_t *bad_bhs)
{
	struct iscsi_reject r = {.reason = reason};
	uint8_t data[ISCSI_BHS_LEN];
	struct iscsi_txpdu *p;
	uint8_t hdr[ISCSI_BHS_LEN];

	if (iscsi_build_reject(hdr, &r, bad_bhs, data))
		return;
	p = iscsi_txpdu_with_data(c, data, ISCSI_BHS_LEN);
	if (!p)
		return;
	memcpy(p->hdr, hdr, ISCSI_BHS_LEN);
	p->sn = SN_ADVANCE;
	iscsi_conn_send(c, p);
}

void iscsi_run_done(struct scst_list_head *done)
{
	while (!scst_list_empty(done)) {
		struct iscsi_txpdu *p =
		    scst_list_first_entry(done, struct iscsi_txpdu, entry);
		struct iscsi_cmd *ic = p->done_cmd;

		scst_list_del_init(&p->entry);
		iscsi_txpdu_free(p);
		iscsi_cmd_set_state(ic, ISCSI_CMD_DONE);
		/* Inline on the network thread (the session's worker). */
		scst_tgt_cmd_done(ic->scmd, SCST_CONTEXT_DIRECT);
	}
}
