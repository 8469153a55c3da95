// SPDX-License-Identifier: GPL-2.0-only
/*
 * SCSI commands of the full feature phase: SCSI Command PDUs handed to
 * the core, immediate and unsolicited data up to FirstBurstLength, R2Ts
 * up to MaxOutstandingR2T, Data-Out with DataSN and offset checks, and
 * the answer as Data-In PDUs (status in the last one) or a SCSI Response.
 * Where a command stands in all that is its data-phase state
 * (iscsi_task.c has the table and the rules of each state).
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

/* ------------------------------------------------------- commands ---- */

/* A reference is gone; the last one puts the command back. */
static void iscsi_cmd_put(struct iscsi_cmd *ic)
{
	if (__atomic_sub_fetch(&ic->refs, 1, __ATOMIC_ACQ_REL))
		return;
	iscsi_data_free(ic->ubuf, ic->ucap);
	iscsi_cmd_free(ic);
}

/*
 * The command of @c with ITT @itt, or NULL; under c->lock, which keeps it
 * alive (on_free_cmd takes it out under that lock). The table is the
 * session's (ITTs are unique session-wide); a command of another
 * connection is not @c's: its Data-Out comes on its own connection
 * (allegiance, RFC 7143 4.2.4.1).
 */
static struct iscsi_cmd *conn_find_cmd_locked(struct iscsi_conn *c,
					      uint32_t itt)
{
	struct iscsi_sess *s = c->sess;
	struct iscsi_cmd *ic = NULL;
	struct iscsi_itt_node *n;

	scst_spin_lock(&s->itt_lock);
	n = iscsi_itt_find(&s->cmds_by_itt, itt);
	if (n) {
		ic = scst_container_of(n, struct iscsi_cmd, hnode);
		if (ic->conn != c)
			ic = NULL;
	}
	scst_spin_unlock(&s->itt_lock);
	return ic;
}

/* Copy @len bytes at buffer offset @off into the command's buffer. */
static uint32_t cmd_copy_in(struct iscsi_cmd *ic, uint32_t off,
			    const uint8_t *src, uint32_t len)
{
	struct scst_sg *sg;
	unsigned int n = scst_cmd_sg(ic->scmd, &sg);

	if (off >= ic->want)
		return 0;
	if (len > ic->want - off)
		len = ic->want - off;
	return (uint32_t)scst_sg_copy_in(sg, n, off, src, len);
}

/*
 * Unsolicited data that came before rdy_to_xfer (the command's buffer does
 * not exist yet): a copy, up to FirstBurstLength, that rdy_to_xfer moves
 * into the buffer. Not the common path: the core runs a new command up to
 * rdy_to_xfer while its SCSI Command PDU is being received.
 */
static void cmd_keep_unsol(struct iscsi_cmd *ic, uint32_t off,
			   const uint8_t *src, uint32_t len)
{
	uint32_t k;

	if (off >= ic->ucap || !len)
		return;
	if (!ic->ubuf) {
		ic->ubuf = iscsi_data_alloc(ic->ucap);
		if (!ic->ubuf)
			return; /* the command fails for the missing bytes */
	}
	k = ic->ucap - off < len ? ic->ucap - off : len;
	memcpy(ic->ubuf + off, src, k);
	ic->ubytes += k;
}

/* Issue R2Ts up to MaxOutstandingR2T; under c->lock. */
static void cmd_send_r2ts_locked(struct iscsi_cmd *ic,
				 struct scst_list_head *done)
{
	struct iscsi_conn *c = ic->conn;

	while (ic->outstanding < c->sess->max_r2t && ic->r2t_off < ic->want) {
		uint32_t len = ic->want - ic->r2t_off;
		struct iscsi_r2t r = {
		    .lun = scst_cmd_lun(ic->scmd),
		    .itt = ic->hnode.itt,
		    .r2tsn = ic->r2tsn,
		    .offset = ic->r2t_off,
		};
		struct iscsi_txpdu *p = iscsi_txpdu_alloc(0, 0);

		if (!p)
			return;
		if (len > c->sess->max_burst)
			len = c->sess->max_burst;
		r.ddtl = len;
		if (++c->next_ttt == ISCSI_RESERVED_TAG)
			c->next_ttt = 1;
		r.ttt = c->next_ttt;
		iscsi_build_r2t(p->hdr, &r);
		/* The LUN field: as the initiator sent it. */
		iscsi_txpdu_finish_data(c, p, 0, 0);
		p->sn = SN_PEEK;
		iscsi_conn_queue_locked(c, p, done);
		ic->r2tsn++;
		ic->outstanding++;
		ic->r2t_off += len;
	}
}

/* End a write whose Data-Out broke the DataSN order (see iscsi_rx_data_out). */
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
	if (c->closed || aborted) {
		iscsi_cmd_set_state(ic, ISCSI_CMD_ABORTED);
		st = c->closed ? SCST_RX_STATUS_ERROR_FATAL
			       : SCST_RX_STATUS_ERROR;
		complete = true;
	} else if (ic->data_err) {
		iscsi_cmd_set_state(ic, ISCSI_CMD_ABORTED);
		failed = true;
	} else {
		/*
		 * IMMEDIATE: called from iscsi_rx_scsi_cmd's
		 * scst_cmd_init_done (this is the network thread): the
		 * immediate data is still in the receive buffer and goes
		 * straight into the command's buffer.
		 */
		if (iscsi_cmd_state(ic) == ISCSI_CMD_IMMEDIATE)
			ic->got +=
			    cmd_copy_in(ic, 0, ic->imm_data, ic->imm_len);
		iscsi_cmd_set_state(ic, ISCSI_CMD_DATA_OUT);
		if (ic->ubuf && ic->ubytes)
			ic->got += cmd_copy_in(
			    ic, 0, ic->ubuf,
			    ic->ubytes < ic->ucap ? ic->ubytes : ic->ucap);
		ic->r2t_off =
		    ic->unsol_end < ic->want ? ic->unsol_end : ic->want;
		cmd_send_r2ts_locked(ic, &done);
		iscsi_conn_flush_locked(c, &done);
		if (ic->got >= ic->want) {
			iscsi_cmd_set_state(ic, ISCSI_CMD_EXEC);
			complete = true;
		}
	}
	ic->imm_data = NULL;
	ic->imm_len = 0;
	iscsi_data_free(ic->ubuf, ic->ucap);
	ic->ubuf = NULL;
	scst_mutex_unlock(&c->lock);
	iscsi_run_done(&done);
	if (complete)
		scst_rx_data(scmd, st, SCST_CONTEXT_DIRECT);
	else if (failed)
		iscsi_fail_data(scmd, SCST_CONTEXT_DIRECT);
	return SCST_TGT_RES_SUCCESS;
}

void iscsi_abort_work(struct scst_work *w)
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
	if (iscsi_cmd_state(ic) == ISCSI_CMD_DATA_OUT) {
		iscsi_cmd_set_state(ic, ISCSI_CMD_ABORTED);
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
	struct iscsi_sess *s = c->sess;

	scst_mutex_lock(&c->lock);
	scst_list_del_init(&ic->entry);
	scst_spin_lock(&s->itt_lock);
	iscsi_itt_remove(&s->cmds_by_itt, &ic->hnode);
	scst_spin_unlock(&s->itt_lock);
	/* Immediate data not placed yet: nobody is to keep it now. */
	ic->imm_data = NULL;
	scst_mutex_unlock(&c->lock);
	/* On the network thread (the session's worker): see
	 * iscsi_rx_data_out_place. */
	if (c->rx_cmd == ic) {
		iscsi_rx_discard(&c->rx);
		c->rx_cmd = NULL;
	}
	iscsi_cmd_put(ic);
	iscsi_conn_put(c);
}

/*
 * A Data-In PDU for bytes [@off, @off + @dlen) of the command's buffer:
 * its @niov data iovecs (@mapped bytes) point into the buffer, no copy.
 * NULL without memory.
 */
static struct iscsi_txpdu *data_in_pdu(const struct scst_sg *sg,
				       unsigned int nsg, uint32_t off,
				       uint32_t dlen, unsigned int *niov,
				       uint32_t *mapped)
{
	struct scst_sg_iter it;
	struct iscsi_txpdu *p;
	unsigned int n = 0;
	uint32_t k;
	void *a;

	scst_sg_iter_init(&it, sg, nsg, off, dlen);
	while (scst_sg_iter_next(&it, &a, &k, 0))
		n++;
	p = iscsi_txpdu_alloc(n, 0);
	if (!p)
		return NULL;
	*mapped = 0;
	n = 0;
	scst_sg_iter_init(&it, sg, nsg, off, dlen);
	while (scst_sg_iter_next(&it, &a, &k, 0)) {
		p->iov[1 + n].iov_base = a;
		p->iov[1 + n].iov_len = k;
		*mapped += k;
		n++;
	}
	*niov = n;
	return p;
}

int iscsi_xmit_response(struct scst_cmd *scmd)
{
	struct iscsi_cmd *ic = scst_cmd_get_tgt_priv(scmd);
	struct iscsi_conn *c = ic->conn;
	uint8_t status = scst_cmd_status(scmd);
	unsigned int slen = 0, nsg;
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
	if (scst_cmd_aborted_on_xmit(scmd) || closed) {
		/* Nothing goes to the initiator. */
		iscsi_cmd_set_state(ic, ISCSI_CMD_XMIT);
		iscsi_cmd_set_state(ic, ISCSI_CMD_DONE);
		scst_mutex_unlock(&c->lock);
		scst_tgt_cmd_done(scmd, SCST_CONTEXT_DIRECT);
		return SCST_TGT_RES_SUCCESS;
	}
	scst_mutex_unlock(&c->lock);
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
		    .itt = ic->hnode.itt,
		    .ttt = ISCSI_RESERVED_TAG,
		    .datasn = ic->datasn++,
		    .offset = off,
		    .data_len = dlen,
		};
		uint32_t mapped = 0;
		unsigned int niov = 0;

		p = data_in_pdu(sg, nsg, off, dlen, &niov, &mapped);
		if (!p)
			goto out_nomem;
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
		iscsi_txpdu_finish_data(c, p, niov, mapped);
		p->sn = d.has_status ? SN_ADVANCE : SN_NONE;
		scst_list_add_tail(&p->entry, &pdus);
		last = p;
		if (d.has_status)
			goto out_queue;
	}
	{
		struct iscsi_scsi_rsp r = {
		    .itt = ic->hnode.itt,
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
		p = iscsi_txpdu_with_data(c, seg, (uint32_t)sl);
		if (!p)
			goto out_nomem;
		iscsi_build_scsi_rsp(p->hdr, &r);
		p->sn = SN_ADVANCE;
		scst_list_add_tail(&p->entry, &pdus);
		last = p;
	}
out_queue:
	last->done_cmd = ic;
	scst_mutex_lock(&c->lock);
	iscsi_cmd_set_state(ic, ISCSI_CMD_XMIT);
	while (!scst_list_empty(&pdus)) {
		p = scst_list_first_entry(&pdus, struct iscsi_txpdu, entry);
		scst_list_del_init(&p->entry);
		iscsi_conn_queue_locked(c, p, &done);
	}
	iscsi_conn_flush_locked(c, &done);
	scst_mutex_unlock(&c->lock);
	iscsi_run_done(&done);
	return SCST_TGT_RES_SUCCESS;
out_nomem:
	while (!scst_list_empty(&pdus)) {
		p = scst_list_first_entry(&pdus, struct iscsi_txpdu, entry);
		scst_list_del_init(&p->entry);
		iscsi_txpdu_free(p);
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

void iscsi_rx_scsi_cmd(struct iscsi_conn *c, const struct iscsi_bhs_info *in,
		       const uint8_t *hdr, const uint8_t *data)
{
	uint8_t cdb[ISCSI_CDB_LEN + ISCSI_MAX_AHS_LEN];
	unsigned int cdb_len = ISCSI_CDB_LEN;
	enum scst_data_direction dir = SCST_DATA_NONE;
	struct iscsi_sess *s = c->sess;
	struct iscsi_cmd *ic;
	uint32_t imm = in->data_len;
	bool has_imm;

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
	ic = iscsi_cmd_alloc();
	if (!ic)
		goto out_reject;
	ic->conn = c;
	iscsi_itt_node_init(&ic->hnode, in->itt);
	ic->state = ISCSI_CMD_RX_CDB;
	ic->edtl = in->cmd.edtl;
	ic->write = in->cmd.write;
	ic->scmd = scst_rx_cmd(s->scst, hdr + ISCSI_BHS_LUN, 8, cdb, cdb_len);
	if (!ic->scmd)
		goto out_free;
	if (in->cmd.write) {
		ic->unsol_end = s->initial_r2t ? imm : s->first_burst;
		if (ic->unsol_end > ic->edtl)
			ic->unsol_end = ic->edtl;
		if (imm > ic->unsol_end)
			imm = ic->unsol_end;
		ic->ucap = ic->unsol_end;
		dir = in->cmd.read ? SCST_DATA_BIDI : SCST_DATA_WRITE;
	} else if (in->cmd.read) {
		dir = SCST_DATA_READ;
	}
	has_imm = in->cmd.write && imm;
	if (has_imm) {
		ic->imm_data = data;
		ic->imm_len = imm;
	}
	/* The core's reference (until on_free_cmd) and this function's. */
	ic->refs = 2;
	scst_list_init(&ic->entry);
	iscsi_conn_get(c); /* until on_free_cmd */
	scst_cmd_set_tgt_priv(ic->scmd, ic);
	scst_cmd_set_tag(ic->scmd, in->itt);
	scst_cmd_set_queue_type(ic->scmd, iscsi_qtype(in->cmd.attr));
	scst_cmd_set_expected(ic->scmd, dir, in->cmd.edtl);
	scst_mutex_lock(&c->lock);
	scst_list_add_tail(&ic->entry, &c->cmds);
	scst_spin_lock(&s->itt_lock);
	iscsi_itt_insert(&s->cmds_by_itt, &ic->hnode);
	scst_spin_unlock(&s->itt_lock);
	iscsi_cmd_set_state(ic,
			    has_imm ? ISCSI_CMD_IMMEDIATE : ISCSI_CMD_IN_CORE);
	scst_mutex_unlock(&c->lock);
	/*
	 * This thread is the session's worker: the core runs the command
	 * now, up to rdy_to_xfer for a write (nothing parks a command
	 * before it), which takes the immediate data from @data directly.
	 * The command may even be finished when this returns (our reference
	 * keeps it).
	 */
	scst_cmd_init_done(ic->scmd, SCST_CONTEXT_DIRECT);
	if (has_imm) {
		scst_mutex_lock(&c->lock);
		if (ic->imm_data &&
		    iscsi_cmd_state(ic) == ISCSI_CMD_IMMEDIATE) {
			/* Not yet at rdy_to_xfer: keep a copy for it. */
			cmd_keep_unsol(ic, 0, ic->imm_data, ic->imm_len);
			iscsi_cmd_set_state(ic, ISCSI_CMD_IN_CORE);
		}
		ic->imm_data = NULL;
		ic->imm_len = 0;
		scst_mutex_unlock(&c->lock);
	}
	iscsi_cmd_put(ic);
	return;
out_free:
	iscsi_cmd_free(ic);
out_reject:
	iscsi_conn_send_reject(c, ISCSI_REJECT_LONG_OP, hdr);
}

unsigned int iscsi_rx_data_out_place(struct iscsi_conn *c,
				     const struct iscsi_bhs_info *in)
{
	uint32_t off = in->data_out.offset, len = in->data_len, k;
	struct scst_sg_iter it;
	unsigned int nsg, n = 0;
	struct iscsi_cmd *ic;
	struct scst_sg *sg;
	void *a;

	scst_mutex_lock(&c->lock);
	ic = conn_find_cmd_locked(c, in->itt);
	/* Only what iscsi_rx_data_out would copy whole: a wanted range of a
	 * command waiting for it, in DataSN order. */
	if (!ic || iscsi_cmd_state(ic) != ISCSI_CMD_DATA_OUT || !ic->write ||
	    ic->data_err || off >= ic->want || len > ic->want - off ||
	    (c->sess->check_datasn && in->data_out.datasn != ic->exp_datasn))
		goto out;
	nsg = scst_cmd_sg(ic->scmd, &sg);
	scst_sg_iter_init(&it, sg, nsg, off, len);
	while (scst_sg_iter_next(&it, &a, &k, 0)) {
		if (n == ISCSI_RX_SEGS) {
			n = 0;
			goto out;
		}
		c->rx_segs[n].addr = a;
		c->rx_segs[n].len = k;
		n++;
		len -= k;
	}
	if (len)
		n = 0;
out:
	c->rx_cmd = n ? ic : NULL;
	scst_mutex_unlock(&c->lock);
	return n;
}

void iscsi_rx_data_out(struct iscsi_conn *c, const struct iscsi_bhs_info *in,
		       const uint8_t *data, struct iscsi_cmd *placed)
{
	uint32_t off = in->data_out.offset, len = in->data_len;
	SCST_LIST_HEAD_DEF(done);
	struct scst_cmd *complete = NULL;
	enum iscsi_cmd_state st;
	struct iscsi_cmd *ic;

	scst_mutex_lock(&c->lock);
	ic = conn_find_cmd_locked(c, in->itt);
	st = ic ? iscsi_cmd_state(ic) : ISCSI_CMD_DONE;
	if (!ic ||
	    (st != ISCSI_CMD_DATA_OUT && !iscsi_cmd_state_before_buffer(st)) ||
	    !ic->write || (!data && len && ic != placed)) {
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
	if (c->sess->check_datasn && in->data_out.datasn != ic->exp_datasn) {
		scst_log(SCST_LOG_WARN,
			 "iscsi: %s: ITT %#x: DataSN %u, expected %u",
			 c->sess->initiator, ic->hnode.itt, in->data_out.datasn,
			 ic->exp_datasn);
		ic->data_err = true;
		if (st == ISCSI_CMD_DATA_OUT) {
			iscsi_cmd_set_state(ic, ISCSI_CMD_ABORTED);
			complete = ic->scmd;
		}
		scst_mutex_unlock(&c->lock);
		if (complete)
			iscsi_fail_data(complete, SCST_CONTEXT_DIRECT);
		return;
	}
	ic->exp_datasn = in->final ? 0 : ic->exp_datasn + 1;
	if (st != ISCSI_CMD_DATA_OUT) {
		cmd_keep_unsol(ic, off, data, len);
	} else {
		/* Placed: iscsi_rx_data_out_place checked that it fits. */
		ic->got += data ? cmd_copy_in(ic, off, data, len) : len;
		if (in->final && in->data_out.ttt != ISCSI_RESERVED_TAG &&
		    ic->outstanding) {
			ic->outstanding--;
			cmd_send_r2ts_locked(ic, &done);
			iscsi_conn_flush_locked(c, &done);
		}
		if (ic->got >= ic->want) {
			iscsi_cmd_set_state(ic, ISCSI_CMD_EXEC);
			complete = ic->scmd;
		}
	}
	scst_mutex_unlock(&c->lock);
	iscsi_run_done(&done);
	if (complete)
		scst_rx_data(complete, SCST_RX_STATUS_SUCCESS,
			     SCST_CONTEXT_DIRECT);
}
