// SPDX-License-Identifier: GPL-2.0-only
/*
 * The other requests of the full feature phase: NOP-Out (also the answers
 * to our keep-alive pings), Logout and Task Management Function requests
 * mapped to the core's TMFs. Text Requests are in iscsi_text.c.
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

/* ------------------------------------------------ other requests ---- */

void iscsi_rx_nop_out(struct iscsi_conn *c, const struct iscsi_bhs_info *in,
		      const uint8_t *data)
{
	struct iscsi_nop_in n = {
	    .lun = in->lun,
	    .itt = in->itt,
	    .ttt = ISCSI_RESERVED_TAG,
	    .data_len = in->data_len,
	};
	struct iscsi_txpdu *p;

	if (in->itt == ISCSI_RESERVED_TAG) {
		/* An answer to our NOP-In ping (RFC 7143 11.18: it echoes
		 * the TTT) or a CmdSN update: no reply either way. */
		if (in->nop_out.ttt != ISCSI_RESERVED_TAG) {
			scst_mutex_lock(&c->lock);
			iscsi_conn_pong_locked(c, in->nop_out.ttt);
			scst_mutex_unlock(&c->lock);
		}
		return;
	}
	p = iscsi_txpdu_with_data(c, data, in->data_len);
	if (!p)
		return;
	iscsi_build_nop_in(p->hdr, &n);
	p->sn = SN_ADVANCE;
	iscsi_conn_send(c, p);
}

/*
 * Logout (RFC 7143 11.14, 11.15). The response goes on the connection that
 * asked; with it the connection's last PDU (close_after):
 *  - reason 0, close the session: every other connection of the session
 *    closes now, this one once the response is out; the session ends with
 *    the last (6.3.5, 11.14.5 d: its tasks are terminated).
 *  - reason 1, close the connection CID: this one (closed after the
 *    response) or another one of the session (closed now; the Logout may
 *    come on another connection, 11.14.1); its tasks are terminated
 *    (11.14.5 a) and the session goes on, or ends if it was the last
 *    (6.3.5). A CID the session does not have: response 1.
 *  - reason 2, remove the connection for recovery: ErrorRecoveryLevel 0
 *    has no connection recovery, response 2 (11.15.1).
 */
void iscsi_rx_logout(struct iscsi_conn *c, const struct iscsi_bhs_info *in)
{
	struct iscsi_logout_rsp r = {.itt = in->itt};
	struct iscsi_sess *s = c->sess;
	enum iscsi_close_why why = ISCSI_CLOSE_LOGOUT;
	struct iscsi_txpdu *p = iscsi_txpdu_alloc(0, 0);
	struct iscsi_conn *other;
	bool self = false;

	if (!p)
		return;
	switch (in->logout.reason) {
	case ISCSI_LOGOUT_CLOSE_SESSION:
		scst_mutex_lock(&s->lock);
		iscsi_sess_kick_locked(s, c, ISCSI_CLOSE_SESSION);
		scst_mutex_unlock(&s->lock);
		why = ISCSI_CLOSE_SESSION;
		self = true;
		break;
	case ISCSI_LOGOUT_CLOSE_CONN:
		scst_mutex_lock(&s->lock);
		other = iscsi_sess_find_conn_locked(s, in->logout.cid);
		if (other == c)
			self = true;
		else if (other)
			iscsi_conn_kick(other, ISCSI_CLOSE_LOGOUT);
		else
			r.response = ISCSI_LOGOUT_RSP_NO_CID;
		scst_mutex_unlock(&s->lock);
		if (other && !self)
			scst_log(SCST_LOG_INFO,
				 "iscsi: %s: connection %u logs out connection "
				 "%u (tsih %u)",
				 s->initiator, c->cid, in->logout.cid, s->tsih);
		break;
	default:
		r.response = ISCSI_LOGOUT_RSP_NO_RECOVERY;
		break;
	}
	iscsi_build_logout_rsp(p->hdr, &r);
	iscsi_txpdu_finish_data(c, p, 0, 0);
	p->sn = SN_ADVANCE;
	p->close_after = self;
	if (self) {
		scst_mutex_lock(&c->lock);
		if (c->why == ISCSI_CLOSE_FAILURE)
			c->why = why;
		scst_mutex_unlock(&c->lock);
	}
	iscsi_conn_send(c, p);
}

static void tmf_respond(struct iscsi_conn *c, uint32_t itt, uint8_t response)
{
	struct iscsi_tmf_rsp r = {.itt = itt, .response = response};
	struct iscsi_txpdu *p = iscsi_txpdu_alloc(0, 0);

	if (!p)
		return;
	iscsi_build_tmf_rsp(p->hdr, &r);
	iscsi_txpdu_finish_data(c, p, 0, 0);
	p->sn = SN_ADVANCE;
	iscsi_conn_send(c, p);
}

void iscsi_rx_tmf(struct iscsi_conn *c, const struct iscsi_bhs_info *in,
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
	iscsi_conn_get(c); /* the response goes on this connection */
	if (scst_rx_mgmt_fn(c->sess->scst, &mp)) {
		iscsi_conn_put(c);
		scst_os_free(t);
		tmf_respond(c, in->itt, ISCSI_TMF_RSP_REJECTED);
	}
}

void iscsi_task_mgmt_fn_done(struct scst_mgmt_cmd *mcmd)
{
	struct iscsi_tmf *t = scst_mgmt_cmd_get_tgt_priv(mcmd);
	uint8_t rsp;

	if (!t)
		return; /* a task terminated by its connection's end */

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
	iscsi_conn_put(t->conn);
	scst_os_free(t);
}
