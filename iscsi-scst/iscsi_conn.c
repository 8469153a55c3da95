// SPDX-License-Identifier: GPL-2.0-only
/*
 * The full feature phase of the iscsi target driver: connections handed
 * over by the login daemon, one network thread with epoll, the CmdSN
 * window, SCSI commands with immediate/unsolicited/solicited Data-Out,
 * Data-In and responses sent with scatter-gather from the command buffer,
 * NOP, Text (SendTargets), Logout and task management.
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
static struct scst_workqueue *iscsi_wq;

static bool sn_lt(uint32_t a, uint32_t b)
{
	return (int32_t)(a - b) < 0;
}

static uint32_t conn_max_cmd_sn(const struct iscsi_conn *c)
{
	return __atomic_load_n(&c->exp_cmd_sn, __ATOMIC_ACQUIRE) + c->queued -
	       1;
}

/* ------------------------------------------------------------ send ---- */

static struct iscsi_txpdu *pdu_alloc(unsigned int data_iovs, size_t own)
{
	struct iscsi_txpdu *p =
	    scst_os_zalloc(sizeof(*p) + (data_iovs + 2) * sizeof(struct iovec));

	if (!p)
		return NULL;
	scst_list_init(&p->entry);
	if (own) {
		p->own = scst_os_zalloc(own);
		if (!p->own) {
			scst_os_free(p);
			return NULL;
		}
	}
	return p;
}

static void pdu_free(struct iscsi_txpdu *p)
{
	scst_os_free(p->own);
	scst_os_free(p);
}

/*
 * Lay out the iovecs: header, then @n data iovecs already at iov[1..n],
 * padding and data digest. The header digest is added at queue time.
 */
static void pdu_finish_data(struct iscsi_conn *c, struct iscsi_txpdu *p,
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
	epoll_ctl(iscsi_epfd, EPOLL_CTL_MOD, c->fd, &ev);
}

/* Send what can go now; under c->lock. Finished commands go to @done. */
static void conn_flush_locked(struct iscsi_conn *c, struct scst_list_head *done)
{
	while (!c->tx_dead && !scst_list_empty(&c->txq)) {
		struct iscsi_txpdu *p =
		    scst_list_first_entry(&c->txq, struct iscsi_txpdu, entry);
		struct msghdr msg = {.msg_iov = p->iov + p->cur,
				     .msg_iovlen = p->niov - p->cur};
		ssize_t n = sendmsg(c->fd, &msg, MSG_NOSIGNAL | MSG_DONTWAIT);

		if (n < 0) {
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
		while (n > 0 && p->cur < p->niov) {
			struct iovec *v = &p->iov[p->cur];

			if ((size_t)n >= v->iov_len) {
				n -= (ssize_t)v->iov_len;
				v->iov_len = 0;
				p->cur++;
			} else {
				v->iov_base = (uint8_t *)v->iov_base + n;
				v->iov_len -= (size_t)n;
				n = 0;
			}
		}
		while (p->cur < p->niov && !p->iov[p->cur].iov_len)
			p->cur++;
		if (p->cur < p->niov)
			continue;
		scst_list_del_init(&p->entry);
		if (p->close_after) {
			c->logged_out = true;
			shutdown(c->fd, SHUT_RDWR);
		}
		if (p->done_cmd) {
			p->own = NULL;
			scst_list_add_tail(&p->entry, done);
		} else {
			pdu_free(p);
		}
	}
	conn_wake_out(c, false);
}

static void run_done(struct scst_list_head *done);

/* Stamp sequence numbers and the header digest; under c->lock. */
static void pdu_stamp_locked(struct iscsi_conn *c, struct iscsi_txpdu *p)
{
	uint32_t exp = __atomic_load_n(&c->exp_cmd_sn, __ATOMIC_ACQUIRE);

	if (p->sn == SN_ADVANCE)
		scst_put_be32(p->hdr + ISCSI_TGT_STATSN, c->stat_sn++);
	else if (p->sn == SN_PEEK)
		scst_put_be32(p->hdr + ISCSI_TGT_STATSN, c->stat_sn);
	scst_put_be32(p->hdr + ISCSI_TGT_EXPCMDSN, exp);
	scst_put_be32(p->hdr + ISCSI_TGT_MAXCMDSN, exp + c->queued - 1);
	if (c->hdigest) {
		uint32_t crc = iscsi_crc32c(0, p->hdr, ISCSI_BHS_LEN);

		p->hdr[48] = (uint8_t)crc;
		p->hdr[49] = (uint8_t)(crc >> 8);
		p->hdr[50] = (uint8_t)(crc >> 16);
		p->hdr[51] = (uint8_t)(crc >> 24);
	}
}

static void conn_queue_locked(struct iscsi_conn *c, struct iscsi_txpdu *p,
			      struct scst_list_head *done)
{
	if (c->closed || c->tx_dead) {
		if (p->done_cmd)
			scst_list_add_tail(&p->entry, done);
		else
			pdu_free(p);
		return;
	}
	pdu_stamp_locked(c, p);
	scst_list_add_tail(&p->entry, &c->txq);
}

/* Queue one PDU and send. */
static void conn_send(struct iscsi_conn *c, struct iscsi_txpdu *p)
{
	SCST_LIST_HEAD_DEF(done);

	scst_mutex_lock(&c->lock);
	conn_queue_locked(c, p, &done);
	conn_flush_locked(c, &done);
	scst_mutex_unlock(&c->lock);
	run_done(&done);
}

/* A PDU with its own data segment (copied). */
static struct iscsi_txpdu *pdu_with_data(struct iscsi_conn *c, const void *data,
					 uint32_t len)
{
	struct iscsi_txpdu *p = pdu_alloc(1, len);

	if (!p)
		return NULL;
	if (len) {
		memcpy(p->own, data, len);
		p->iov[1].iov_base = p->own;
		p->iov[1].iov_len = len;
	}
	pdu_finish_data(c, p, len ? 1 : 0, len);
	return p;
}

static void conn_send_reject(struct iscsi_conn *c, uint8_t reason,
			     const uint8_t *bad_bhs)
{
	struct iscsi_reject r = {.reason = reason};
	uint8_t data[ISCSI_BHS_LEN];
	struct iscsi_txpdu *p;
	uint8_t hdr[ISCSI_BHS_LEN];

	if (iscsi_build_reject(hdr, &r, bad_bhs, data))
		return;
	p = pdu_with_data(c, data, ISCSI_BHS_LEN);
	if (!p)
		return;
	memcpy(p->hdr, hdr, ISCSI_BHS_LEN);
	p->sn = SN_ADVANCE;
	conn_send(c, p);
}

/* -------------------------------------------------------- commands ---- */

static void run_done(struct scst_list_head *done)
{
	while (!scst_list_empty(done)) {
		struct iscsi_txpdu *p =
		    scst_list_first_entry(done, struct iscsi_txpdu, entry);
		struct scst_cmd *scmd = p->done_cmd->scmd;

		scst_list_del_init(&p->entry);
		pdu_free(p);
		scst_tgt_cmd_done(scmd, SCST_CONTEXT_THREAD);
	}
}

static struct iscsi_cmd *conn_find_cmd_locked(struct iscsi_conn *c,
					      uint32_t itt)
{
	struct iscsi_cmd *ic;

	scst_list_for_each_entry (ic, &c->cmds, entry)
		if (ic->itt == itt)
			return ic;
	return NULL;
}

/* Copy @len bytes at buffer offset @off into the command's buffer. */
static uint32_t cmd_copy_in(struct iscsi_cmd *ic, uint32_t off,
			    const uint8_t *src, uint32_t len)
{
	struct scst_sg *sg;
	unsigned int n = scst_cmd_sg(ic->scmd, &sg), i;
	uint32_t pos = 0, copied = 0;

	if (off >= ic->want)
		return 0;
	if (len > ic->want - off)
		len = ic->want - off;
	for (i = 0; i < n && len; i++) {
		uint32_t end = pos + sg[i].len;

		if (off < end) {
			uint32_t k = end - off < len ? end - off : len;

			memcpy((uint8_t *)sg[i].addr + (off - pos), src, k);
			src += k;
			off += k;
			len -= k;
			copied += k;
		}
		pos = end;
	}
	return copied;
}

/* Issue R2Ts up to MaxOutstandingR2T; under c->lock. */
static void cmd_send_r2ts_locked(struct iscsi_cmd *ic,
				 struct scst_list_head *done)
{
	struct iscsi_conn *c = ic->conn;

	while (ic->outstanding < c->max_r2t && ic->r2t_off < ic->want) {
		uint32_t len = ic->want - ic->r2t_off;
		struct iscsi_r2t r = {
		    .lun = scst_cmd_lun(ic->scmd),
		    .itt = ic->itt,
		    .r2tsn = ic->r2tsn,
		    .offset = ic->r2t_off,
		};
		struct iscsi_txpdu *p = pdu_alloc(0, 0);

		if (!p)
			return;
		if (len > c->max_burst)
			len = c->max_burst;
		r.ddtl = len;
		if (++c->next_ttt == ISCSI_RESERVED_TAG)
			c->next_ttt = 1;
		r.ttt = c->next_ttt;
		iscsi_build_r2t(p->hdr, &r);
		/* The LUN field: as the initiator sent it. */
		pdu_finish_data(c, p, 0, 0);
		p->sn = SN_PEEK;
		conn_queue_locked(c, p, done);
		ic->r2tsn++;
		ic->outstanding++;
		ic->r2t_off += len;
	}
}

/* End a write whose Data-Out broke the DataSN order (see rx_data_out). */
static void iscsi_fail_data(struct scst_cmd *scmd, enum scst_exec_context ctx)
{
	/* ABORTED COMMAND, PROTOCOL SERVICE CRC ERROR */
	scst_set_cmd_error(scmd, ABORTED_COMMAND, 0x47, 0x05);
	scst_rx_data(scmd, SCST_RX_STATUS_ERROR_SENSE_SET, ctx);
}

int iscsi_rdy_to_xfer(struct scst_cmd *scmd)
{
	struct iscsi_cmd *ic = scst_cmd_get_tgt_priv(scmd);
	struct iscsi_conn *c = ic->conn;
	bool aborted = scst_cmd_aborted(scmd);
	uint32_t bufflen = scst_cmd_bufflen(scmd);
	enum scst_rx_status st = SCST_RX_STATUS_SUCCESS;
	SCST_LIST_HEAD_DEF(done);
	bool complete = false, failed = false;

	scst_mutex_lock(&c->lock);
	ic->want = bufflen < ic->edtl ? bufflen : ic->edtl;
	ic->rdy = true;
	if (c->closed || aborted) {
		ic->data_done = true;
		st = c->closed ? SCST_RX_STATUS_ERROR_FATAL
			       : SCST_RX_STATUS_ERROR;
		complete = true;
	} else if (ic->data_err) {
		scst_os_free(ic->ubuf);
		ic->ubuf = NULL;
		ic->data_done = true;
		failed = true;
	} else {
		if (ic->ubuf && ic->ubytes)
			ic->got += cmd_copy_in(
			    ic, 0, ic->ubuf,
			    ic->ubytes < ic->ucap ? ic->ubytes : ic->ucap);
		scst_os_free(ic->ubuf);
		ic->ubuf = NULL;
		ic->r2t_off =
		    ic->unsol_end < ic->want ? ic->unsol_end : ic->want;
		cmd_send_r2ts_locked(ic, &done);
		conn_flush_locked(c, &done);
		if (ic->got >= ic->want) {
			ic->data_done = true;
			complete = true;
		}
	}
	scst_mutex_unlock(&c->lock);
	run_done(&done);
	if (complete)
		scst_rx_data(scmd, st, SCST_CONTEXT_DIRECT);
	else if (failed)
		iscsi_fail_data(scmd, SCST_CONTEXT_DIRECT);
	return SCST_TGT_RES_SUCCESS;
}

static void iscsi_abort_work(struct scst_work *w)
{
	struct iscsi_cmd *ic = scst_container_of(w, struct iscsi_cmd, work);

	scst_rx_data(ic->scmd, SCST_RX_STATUS_ERROR, SCST_CONTEXT_THREAD);
}

void iscsi_on_abort_cmd(struct scst_cmd *scmd)
{
	struct iscsi_cmd *ic = scst_cmd_get_tgt_priv(scmd);
	struct iscsi_conn *c = ic->conn;
	bool fail = false;

	scst_mutex_lock(&c->lock);
	if (ic->rdy && !ic->data_done) {
		ic->data_done = true;
		fail = true;
	}
	scst_mutex_unlock(&c->lock);
	if (fail) {
		scst_work_init(&ic->work, iscsi_abort_work);
		scst_queue_work(iscsi_wq, &ic->work);
	}
}

void iscsi_on_free_cmd(struct scst_cmd *scmd)
{
	struct iscsi_cmd *ic = scst_cmd_get_tgt_priv(scmd);
	struct iscsi_conn *c = ic->conn;

	scst_mutex_lock(&c->lock);
	scst_list_del_init(&ic->entry);
	scst_mutex_unlock(&c->lock);
	scst_os_free(ic->ubuf);
	scst_os_free(ic);
}

int iscsi_xmit_response(struct scst_cmd *scmd)
{
	struct iscsi_cmd *ic = scst_cmd_get_tgt_priv(scmd);
	struct iscsi_conn *c = ic->conn;
	uint8_t status = scst_cmd_status(scmd);
	unsigned int slen = 0, nsg, i;
	const uint8_t *sense = scst_cmd_sense(scmd, &slen);
	uint32_t len = scst_cmd_resp_data_len(scmd), resid = 0, off = 0;
	enum scst_resid_kind rk = scst_cmd_resid(scmd, &resid);
	SCST_LIST_HEAD_DEF(pdus);
	SCST_LIST_HEAD_DEF(done);
	struct scst_sg *sg;
	struct iscsi_txpdu *p, *last = NULL;
	bool closed;

	scst_mutex_lock(&c->lock);
	closed = c->closed || c->tx_dead;
	scst_mutex_unlock(&c->lock);
	if (scst_cmd_aborted_on_xmit(scmd) || closed) {
		scst_tgt_cmd_done(scmd, SCST_CONTEXT_DIRECT);
		return SCST_TGT_RES_SUCCESS;
	}
	if (len > ic->edtl)
		len = ic->edtl;
	if (scst_cmd_data_direction(scmd) != SCST_DATA_READ &&
	    scst_cmd_data_direction(scmd) != SCST_DATA_BIDI)
		len = 0;
	nsg = scst_cmd_sg(scmd, &sg);
	/* Data-In PDUs of at most MaxXmitDataSegmentLength each. */
	while (off < len) {
		uint32_t dlen =
		    len - off < c->max_xmit_dsl ? len - off : c->max_xmit_dsl;
		struct iscsi_data_in d = {
		    .lun = scst_cmd_lun(scmd),
		    .itt = ic->itt,
		    .ttt = ISCSI_RESERVED_TAG,
		    .datasn = ic->datasn++,
		    .offset = off,
		    .data_len = dlen,
		};
		uint32_t pos = 0, need = dlen, at = off;
		unsigned int n = 0;

		p = pdu_alloc(nsg, 0);
		if (!p)
			goto nomem;
		for (i = 0; i < nsg && need; i++) {
			uint32_t end = pos + sg[i].len;

			if (at < end) {
				uint32_t k = end - at < need ? end - at : need;

				p->iov[1 + n].iov_base =
				    (uint8_t *)sg[i].addr + (at - pos);
				p->iov[1 + n].iov_len = k;
				n++;
				at += k;
				need -= k;
			}
			pos = end;
		}
		off += dlen;
		if (off == len) {
			d.final = true;
			if (!sense || !slen) {
				d.has_status = true;
				d.status = status;
				d.overflow = rk == SCST_RESID_OVERFLOW;
				d.underflow = rk == SCST_RESID_UNDERFLOW;
				d.residual = rk == SCST_RESID_NONE ? 0 : resid;
			}
		}
		iscsi_build_data_in(p->hdr, &d);
		pdu_finish_data(c, p, n, dlen - need);
		p->sn = d.has_status ? SN_ADVANCE : SN_NONE;
		scst_list_add_tail(&p->entry, &pdus);
		last = p;
		if (d.has_status)
			goto queue;
	}
	{
		struct iscsi_scsi_rsp r = {
		    .itt = ic->itt,
		    .response = ISCSI_RESPONSE_COMPLETED,
		    .status = status,
		    .expdatasn = ic->datasn + ic->r2tsn,
		    .overflow = rk == SCST_RESID_OVERFLOW,
		    .underflow = rk == SCST_RESID_UNDERFLOW,
		    .residual = rk == SCST_RESID_NONE ? 0 : resid,
		};
		uint8_t seg[2 + 252 + 4];
		int sl = 0;

		if (sense && slen) {
			sl = iscsi_build_sense_segment(seg, sizeof(seg), sense,
						       slen > 252 ? 252 : slen);
			if (sl < 0)
				sl = 0;
		}
		r.data_len = (uint32_t)sl;
		p = pdu_with_data(c, seg, (uint32_t)sl);
		if (!p)
			goto nomem;
		iscsi_build_scsi_rsp(p->hdr, &r);
		p->sn = SN_ADVANCE;
		scst_list_add_tail(&p->entry, &pdus);
		last = p;
	}
queue:
	last->done_cmd = ic;
	scst_mutex_lock(&c->lock);
	while (!scst_list_empty(&pdus)) {
		p = scst_list_first_entry(&pdus, struct iscsi_txpdu, entry);
		scst_list_del_init(&p->entry);
		conn_queue_locked(c, p, &done);
	}
	conn_flush_locked(c, &done);
	scst_mutex_unlock(&c->lock);
	run_done(&done);
	return SCST_TGT_RES_SUCCESS;
nomem:
	while (!scst_list_empty(&pdus)) {
		p = scst_list_first_entry(&pdus, struct iscsi_txpdu, entry);
		scst_list_del_init(&p->entry);
		pdu_free(p);
	}
	ic->datasn = 0;
	return SCST_TGT_RES_QUEUE_FULL;
}

static enum scst_cmd_queue_type iscsi_qtype(uint8_t attr)
{
	switch (attr) {
	case ISCSI_ATTR_ORDERED:
		return SCST_CMD_QUEUE_ORDERED;
	case ISCSI_ATTR_HEAD_OF_Q:
		return SCST_CMD_QUEUE_HEAD_OF_QUEUE;
	case ISCSI_ATTR_ACA:
		return SCST_CMD_QUEUE_ACA;
	case ISCSI_ATTR_UNTAGGED:
		return SCST_CMD_QUEUE_UNTAGGED;
	default:
		return SCST_CMD_QUEUE_SIMPLE;
	}
}

static void rx_scsi_cmd(struct iscsi_conn *c, const struct iscsi_bhs_info *in,
			const uint8_t *hdr, const uint8_t *data)
{
	uint8_t cdb[ISCSI_CDB_LEN + ISCSI_MAX_AHS_LEN];
	unsigned int cdb_len = ISCSI_CDB_LEN;
	enum scst_data_direction dir = SCST_DATA_NONE;
	struct iscsi_cmd *ic;
	uint32_t imm = in->data_len;

	memcpy(cdb, in->cmd.cdb, ISCSI_CDB_LEN);
	if (in->ahs_len >= ISCSI_AHS_HDR_LEN) {
		const uint8_t *ahs = hdr + ISCSI_BHS_LEN;
		uint16_t alen = scst_get_be16(ahs);

		if (ahs[2] == ISCSI_AHS_EXT_CDB && alen > 1 &&
		    alen + 3u <= in->ahs_len) {
			memcpy(cdb + ISCSI_CDB_LEN, ahs + 4, alen - 1u);
			cdb_len += alen - 1u;
		}
	}
	ic = scst_os_zalloc(sizeof(*ic));
	if (!ic) {
		conn_send_reject(c, ISCSI_REJECT_LONG_OP, hdr);
		return;
	}
	ic->conn = c;
	ic->itt = in->itt;
	ic->edtl = in->cmd.edtl;
	ic->write = in->cmd.write;
	ic->scmd = scst_rx_cmd(c->sess, hdr + ISCSI_BHS_LUN, 8, cdb, cdb_len);
	if (!ic->scmd) {
		scst_os_free(ic);
		conn_send_reject(c, ISCSI_REJECT_LONG_OP, hdr);
		return;
	}
	if (in->cmd.write) {
		ic->unsol_end = c->initial_r2t ? imm : c->first_burst;
		if (ic->unsol_end > ic->edtl)
			ic->unsol_end = ic->edtl;
		if (imm > ic->unsol_end)
			imm = ic->unsol_end;
		ic->ucap = ic->unsol_end;
		if (ic->ucap) {
			ic->ubuf = scst_os_alloc(ic->ucap);
			if (!ic->ubuf)
				ic->ucap = 0;
		}
		if (imm && ic->ubuf) {
			memcpy(ic->ubuf, data, imm);
			ic->ubytes = imm;
		}
		dir = in->cmd.read ? SCST_DATA_BIDI : SCST_DATA_WRITE;
	} else if (in->cmd.read) {
		dir = SCST_DATA_READ;
	}
	scst_list_init(&ic->entry);
	scst_cmd_set_tgt_priv(ic->scmd, ic);
	scst_cmd_set_tag(ic->scmd, in->itt);
	scst_cmd_set_queue_type(ic->scmd, iscsi_qtype(in->cmd.attr));
	scst_cmd_set_expected(ic->scmd, dir, in->cmd.edtl);
	scst_mutex_lock(&c->lock);
	scst_list_add_tail(&ic->entry, &c->cmds);
	scst_mutex_unlock(&c->lock);
	scst_cmd_init_done(ic->scmd, SCST_CONTEXT_THREAD);
}

static void rx_data_out(struct iscsi_conn *c, const struct iscsi_bhs_info *in,
			const uint8_t *data)
{
	uint32_t off = in->data_out.offset, len = in->data_len;
	SCST_LIST_HEAD_DEF(done);
	struct scst_cmd *complete = NULL;
	struct iscsi_cmd *ic;

	scst_mutex_lock(&c->lock);
	ic = conn_find_cmd_locked(c, in->itt);
	if (!ic || ic->data_done || !ic->write) {
		/* Finished, aborted or unknown: the data is not needed. */
		scst_mutex_unlock(&c->lock);
		return;
	}
	/*
	 * DataSN counts the Data-Out PDUs of one output sequence (the
	 * unsolicited one or one per R2T) from 0; with DataPDUInOrder and
	 * DataSequenceInOrder the sequences arrive one after the other, each
	 * ended by the F bit (RFC 7143 11.7.5).  An out-of-order DataSN means
	 * a lost data PDU (RFC 7143 7.9), handled as a data digest error
	 * (7.8): without recovery R2Ts the PDU is discarded and the task ends
	 * with CHECK CONDITION, "protocol service CRC error" (11.4.7.2).
	 */
	if (c->check_datasn && in->data_out.datasn != ic->exp_datasn) {
		scst_log(SCST_LOG_WARN,
			 "iscsi: %s: ITT %#x: DataSN %u, expected %u",
			 c->initiator, ic->itt, in->data_out.datasn,
			 ic->exp_datasn);
		ic->data_err = true;
		if (ic->rdy) {
			ic->data_done = true;
			complete = ic->scmd;
		}
		scst_mutex_unlock(&c->lock);
		if (complete)
			iscsi_fail_data(complete, SCST_CONTEXT_THREAD);
		return;
	}
	ic->exp_datasn = in->final ? 0 : ic->exp_datasn + 1;
	if (!ic->rdy) {
		if (ic->ubuf && off < ic->ucap) {
			uint32_t k =
			    ic->ucap - off < len ? ic->ucap - off : len;

			memcpy(ic->ubuf + off, data, k);
			ic->ubytes += k;
		}
	} else {
		ic->got += cmd_copy_in(ic, off, data, len);
		if (in->final && in->data_out.ttt != ISCSI_RESERVED_TAG &&
		    ic->outstanding) {
			ic->outstanding--;
			cmd_send_r2ts_locked(ic, &done);
			conn_flush_locked(c, &done);
		}
		if (ic->got >= ic->want) {
			ic->data_done = true;
			complete = ic->scmd;
		}
	}
	scst_mutex_unlock(&c->lock);
	run_done(&done);
	if (complete)
		scst_rx_data(complete, SCST_RX_STATUS_SUCCESS,
			     SCST_CONTEXT_THREAD);
}

/* ------------------------------------------------ other requests ---- */

static void rx_nop_out(struct iscsi_conn *c, const struct iscsi_bhs_info *in,
		       const uint8_t *data)
{
	struct iscsi_nop_in n = {
	    .lun = in->lun,
	    .itt = in->itt,
	    .ttt = ISCSI_RESERVED_TAG,
	    .data_len = in->data_len,
	};
	struct iscsi_txpdu *p;

	if (in->itt == ISCSI_RESERVED_TAG)
		return; /* a ping answer or a CmdSN update: no reply */
	p = pdu_with_data(c, data, in->data_len);
	if (!p)
		return;
	iscsi_build_nop_in(p->hdr, &n);
	p->sn = SN_ADVANCE;
	conn_send(c, p);
}

static void rx_logout(struct iscsi_conn *c, const struct iscsi_bhs_info *in)
{
	struct iscsi_logout_rsp r = {.itt = in->itt};
	struct iscsi_txpdu *p = pdu_alloc(0, 0);

	if (!p)
		return;
	if (in->logout.reason == ISCSI_LOGOUT_REMOVE_CONN)
		r.response = ISCSI_LOGOUT_RSP_NO_RECOVERY;
	else if (in->logout.reason == ISCSI_LOGOUT_CLOSE_CONN &&
		 in->logout.cid != c->cid)
		r.response = ISCSI_LOGOUT_RSP_NO_CID;
	iscsi_build_logout_rsp(p->hdr, &r);
	pdu_finish_data(c, p, 0, 0);
	p->sn = SN_ADVANCE;
	p->close_after = r.response == ISCSI_LOGOUT_RSP_SUCCESS;
	conn_send(c, p);
}

static void rx_text(struct iscsi_conn *c, const struct iscsi_bhs_info *in,
		    const uint8_t *data)
{
	struct iscsi_text_rsp r = {
	    .final = true,
	    .lun = in->lun,
	    .itt = in->itt,
	    .ttt = ISCSI_RESERVED_TAG,
	};
	static struct iscsi_kv_list kv; /* network thread only */
	char out[1024];
	size_t len = 0;
	unsigned int i;
	struct iscsi_txpdu *p;

	if (in->text.cont ||
	    iscsi_kv_parse((const char *)data, in->data_len, &kv)) {
		conn_send_reject(c, ISCSI_REJECT_PROTOCOL_ERROR, NULL);
		return;
	}
	for (i = 0; i < kv.n && len < sizeof(out); i++) {
		const struct iscsi_kv *k = &kv.kv[i];

		if (k->key_len == 11 && !memcmp(k->key, "SendTargets", 11)) {
			/* In a normal session: only this session's target. */
			len += (size_t)scst_snprintf(
			    out + len, sizeof(out) - len,
			    "TargetName=%s%cTargetAddress=%s,%u%c", c->target,
			    0, c->local_addr, c->tpgt, 0);
		} else {
			len += (size_t)scst_snprintf(
			    out + len, sizeof(out) - len,
			    "%.*s=NotUnderstood%c", (int)k->key_len, k->key, 0);
		}
	}
	if (len > sizeof(out))
		len = sizeof(out);
	r.data_len = (uint32_t)len;
	p = pdu_with_data(c, out, (uint32_t)len);
	if (!p)
		return;
	iscsi_build_text_rsp(p->hdr, &r);
	p->sn = SN_ADVANCE;
	conn_send(c, p);
}

static void tmf_respond(struct iscsi_conn *c, uint32_t itt, uint8_t response)
{
	struct iscsi_tmf_rsp r = {.itt = itt, .response = response};
	struct iscsi_txpdu *p = pdu_alloc(0, 0);

	if (!p)
		return;
	iscsi_build_tmf_rsp(p->hdr, &r);
	pdu_finish_data(c, p, 0, 0);
	p->sn = SN_ADVANCE;
	conn_send(c, p);
}

static void rx_tmf(struct iscsi_conn *c, const struct iscsi_bhs_info *in,
		   const uint8_t *hdr)
{
	struct scst_rx_mgmt_params mp = {
	    .lun = hdr + ISCSI_BHS_LUN,
	    .lun_len = 8,
	    .tag = in->tmf.rtt,
	};
	struct iscsi_tmf *t;

	switch (in->tmf.function) {
	case ISCSI_TMF_ABORT_TASK:
		mp.fn = SCST_ABORT_TASK;
		break;
	case ISCSI_TMF_ABORT_TASK_SET:
		mp.fn = SCST_ABORT_TASK_SET;
		break;
	case ISCSI_TMF_CLEAR_ACA:
		mp.fn = SCST_CLEAR_ACA;
		break;
	case ISCSI_TMF_CLEAR_TASK_SET:
		mp.fn = SCST_CLEAR_TASK_SET;
		break;
	case ISCSI_TMF_LUN_RESET:
		mp.fn = SCST_LUN_RESET;
		break;
	case ISCSI_TMF_TARGET_WARM_RESET:
	case ISCSI_TMF_TARGET_COLD_RESET:
		mp.fn = SCST_TARGET_RESET;
		break;
	case ISCSI_TMF_TASK_REASSIGN:
		tmf_respond(c, in->itt, ISCSI_TMF_RSP_NO_REASSIGN);
		return;
	default:
		tmf_respond(c, in->itt, ISCSI_TMF_RSP_NOT_SUPPORTED);
		return;
	}
	t = scst_os_zalloc(sizeof(*t));
	if (!t) {
		tmf_respond(c, in->itt, ISCSI_TMF_RSP_REJECTED);
		return;
	}
	t->conn = c;
	t->itt = in->itt;
	mp.tgt_priv = t;
	if (scst_rx_mgmt_fn(c->sess, &mp)) {
		scst_os_free(t);
		tmf_respond(c, in->itt, ISCSI_TMF_RSP_REJECTED);
	}
}

void iscsi_task_mgmt_fn_done(struct scst_mgmt_cmd *mcmd)
{
	struct iscsi_tmf *t = scst_mgmt_cmd_get_tgt_priv(mcmd);
	uint8_t rsp;

	switch (scst_mgmt_cmd_status(mcmd)) {
	case SCST_MGMT_STATUS_SUCCESS:
	case SCST_MGMT_STATUS_FN_SUCCEEDED:
		rsp = ISCSI_TMF_RSP_COMPLETE;
		break;
	case SCST_MGMT_STATUS_TASK_NOT_EXIST:
		rsp = ISCSI_TMF_RSP_NO_TASK;
		break;
	case SCST_MGMT_STATUS_LUN_NOT_EXIST:
		rsp = ISCSI_TMF_RSP_NO_LUN;
		break;
	case SCST_MGMT_STATUS_FN_NOT_SUPPORTED:
		rsp = ISCSI_TMF_RSP_NOT_SUPPORTED;
		break;
	default:
		rsp = ISCSI_TMF_RSP_REJECTED;
		break;
	}
	tmf_respond(t->conn, t->itt, rsp);
	scst_os_free(t);
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
