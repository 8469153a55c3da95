// SPDX-License-Identifier: GPL-2.0-only
/* scst_local: the loopback target driver (see scst_local.h). */
#include "scst/os.h"
#include "scst_local.h"

#include <errno.h>

struct scst_local_sess {
	struct scst_session *sess;
	struct scst_tgt *tgt;
	struct scst_list_head cfg_entry; /* sessions made through mgmt */
	struct scst_work close_work;	 /* force_close */
	unsigned int flags;
	struct scst_spinlock lock;
	struct scst_list_head held; /* requests holding their Data-Out */
	struct scst_completion closed;
};

static struct scst_workqueue *scst_local_wq;
/* Sessions opened through the mgmt file, closed with their target. */
static struct scst_mutex scst_local_cfg_mutex;
static SCST_LIST_HEAD_DEF(scst_local_cfg_sessions);

/* ------------------------------------------------------------ data ---- */

static void scst_local_fill_data(struct scst_local_req *r, struct scst_cmd *cmd)
{
	struct scst_sg *sg;
	unsigned int n = scst_cmd_sg(cmd, &sg);
	const uint8_t *src = r->data_out;
	struct scst_sg_iter it;
	uint32_t len, k, off = 0;
	void *p;
	uint32_t have = r->data_out_len ? r->data_out_len
			: r->exp_set	? r->exp_len
					: 0;

	if (!src)
		have = 0;
	scst_sg_iter_init(&it, sg, n, 0, scst_cmd_bufflen(cmd));
	while (scst_sg_iter_next(&it, &p, &len, 0)) {
		k = off >= have ? 0 : have - off;
		if (k > len)
			k = len;
		if (k)
			memcpy(p, src + off, k);
		memset((uint8_t *)p + k, 0, len - k);
		off += len;
	}
}

static void scst_local_data_work(struct scst_work *w)
{
	struct scst_local_req *r =
	    scst_container_of(w, struct scst_local_req, work__);

	if (r->data_aborted) {
		scst_rx_data(r->cmd__, SCST_RX_STATUS_ERROR,
			     SCST_CONTEXT_THREAD);
		return;
	}
	scst_local_fill_data(r, r->cmd__);
	scst_rx_data(r->cmd__, SCST_RX_STATUS_SUCCESS, SCST_CONTEXT_THREAD);
}

static bool scst_local_unhold(struct scst_local_req *r);

static int scst_local_rdy_to_xfer(struct scst_cmd *cmd)
{
	struct scst_local_req *r = scst_cmd_get_tgt_priv(cmd);
	struct scst_local_sess *s = r->sess__;

	if (r->hold_data) {
		scst_spin_lock(&s->lock);
		scst_list_add_tail(&r->held_entry__, &s->held);
		scst_spin_unlock(&s->lock);
		/*
		 * An abort between the core's DATA_WAIT and the line above
		 * found nothing to release; the core marks the command aborted
		 * before it calls on_abort_cmd, so catch it here.
		 */
		if (scst_cmd_aborted(cmd) && scst_local_unhold(r)) {
			r->data_aborted = true;
			scst_work_init(&r->work__, scst_local_data_work);
			scst_queue_work(scst_local_wq, &r->work__);
		}
		return SCST_TGT_RES_SUCCESS;
	}
	if (s->flags & SCST_LOCAL_F_ASYNC) {
		scst_work_init(&r->work__, scst_local_data_work);
		scst_queue_work(scst_local_wq, &r->work__);
		return SCST_TGT_RES_SUCCESS;
	}
	/* Answer before returning: the core continues in its own loop. */
	scst_local_fill_data(r, cmd);
	scst_rx_data(cmd, SCST_RX_STATUS_SUCCESS, SCST_CONTEXT_DIRECT);
	return SCST_TGT_RES_SUCCESS;
}

/* Take @r off the held list; true if it was there. */
static bool scst_local_unhold(struct scst_local_req *r)
{
	struct scst_local_sess *s = r->sess__;
	bool held;

	scst_spin_lock(&s->lock);
	held = !scst_list_empty(&r->held_entry__);
	if (held)
		scst_list_del_init(&r->held_entry__);
	scst_spin_unlock(&s->lock);
	return held;
}

bool scst_local_release_data(struct scst_local_req *r)
{
	if (!scst_local_unhold(r))
		return false;
	scst_work_init(&r->work__, scst_local_data_work);
	scst_queue_work(scst_local_wq, &r->work__);
	return true;
}

/* Called under the core's session lock: answer later, from the queue. */
static void scst_local_on_abort_cmd(struct scst_cmd *cmd)
{
	struct scst_local_req *r = scst_cmd_get_tgt_priv(cmd);

	if (!scst_local_unhold(r))
		return;
	r->data_aborted = true;
	scst_work_init(&r->work__, scst_local_data_work);
	scst_queue_work(scst_local_wq, &r->work__);
}

/* -------------------------------------------------------- response ---- */

static void scst_local_copy_response(struct scst_local_req *r,
				     struct scst_cmd *cmd)
{
	const uint8_t *sense;
	struct scst_sg *sg;
	unsigned int n, slen;
	uint32_t len;

	r->no_response = scst_cmd_aborted_on_xmit(cmd);
	if (r->no_response)
		return;
	r->status = scst_cmd_status(cmd);
	sense = scst_cmd_sense(cmd, &slen);
	r->sense_len = slen < sizeof(r->sense) ? slen : sizeof(r->sense);
	if (sense)
		memcpy(r->sense, sense, r->sense_len);
	len = scst_cmd_resp_data_len(cmd);
	if (len > r->data_in_size)
		len = r->data_in_size;
	n = scst_cmd_sg(cmd, &sg);
	r->data_in_len = (uint32_t)scst_sg_copy_out(sg, n, 0, r->data_in, len);
	r->resid_kind = scst_cmd_resid(cmd, &r->resid);
}

static void scst_local_xmit_work(struct scst_work *w)
{
	struct scst_local_req *r =
	    scst_container_of(w, struct scst_local_req, work__);

	scst_local_copy_response(r, r->cmd__);
	scst_tgt_cmd_done(r->cmd__, SCST_CONTEXT_THREAD);
}

static int scst_local_xmit_response(struct scst_cmd *cmd)
{
	struct scst_local_req *r = scst_cmd_get_tgt_priv(cmd);

	if (r->sess__->flags & SCST_LOCAL_F_ASYNC) {
		scst_work_init(&r->work__, scst_local_xmit_work);
		scst_queue_work(scst_local_wq, &r->work__);
		return SCST_TGT_RES_SUCCESS;
	}
	scst_local_copy_response(r, cmd);
	scst_tgt_cmd_done(cmd, SCST_CONTEXT_DIRECT);
	return SCST_TGT_RES_SUCCESS;
}

static void scst_local_on_free_cmd(struct scst_cmd *cmd)
{
	struct scst_local_req *r = scst_cmd_get_tgt_priv(cmd);

	/* A held request that never got to rdy_to_xfer's answer. */
	scst_local_unhold(r);
	r->cmd__ = NULL;
	if (r->done)
		r->done(r);
}

static void scst_local_task_mgmt_fn_done(struct scst_mgmt_cmd *mcmd)
{
	struct scst_local_tmf *t = scst_mgmt_cmd_get_tgt_priv(mcmd);

	t->status = scst_mgmt_cmd_status(mcmd);
	t->aborted = scst_mgmt_cmd_aborted_count(mcmd);
	if (t->done)
		t->done(t);
}

static int scst_local_cfg_add_target(const char *name, const char *params,
				     struct scst_mgmt_res *res);
static int scst_local_cfg_del_target(const char *name,
				     struct scst_mgmt_res *res);
static int scst_local_cfg_mgmt(const char *cmd, struct scst_mgmt_res *res);
static int scst_local_close_session(struct scst_session *sess);

/*
 * Persistent reservations name the initiator port by TransportID. A
 * loopback session has no SCSI transport of its own; its initiator name is
 * a free string, so it is given an iSCSI TransportID of format 00b (SPC-4
 * 7.6.4.6) holding that name: SPEC_I_PT and REGISTER AND MOVE name
 * scst_local initiators the same way.
 */
static int scst_local_get_tid(struct scst_session *sess, uint8_t *buf,
			      unsigned int size)
{
	return scst_build_iscsi_transport_id(scst_sess_initiator_name(sess),
					     NULL, buf, size);
}

static struct scst_tgt_template scst_local_template = {
    .name = "scst_local",
    .xmit_response = scst_local_xmit_response,
    .rdy_to_xfer = scst_local_rdy_to_xfer,
    .on_abort_cmd = scst_local_on_abort_cmd,
    .on_free_cmd = scst_local_on_free_cmd,
    .task_mgmt_fn_done = scst_local_task_mgmt_fn_done,
    .close_session = scst_local_close_session,
    .get_initiator_port_transport_id = scst_local_get_tid,
    .add_target = scst_local_cfg_add_target,
    .del_target = scst_local_cfg_del_target,
    .mgmt_cmd = scst_local_cfg_mgmt,
    .mgmt_help = "       echo \"add_session TARGET INITIATOR\" >mgmt\n"
		 "       echo \"del_session TARGET INITIATOR\" >mgmt\n",
};

/* ------------------------------------------------------------ API ---- */

int scst_local_add_target(const char *name, struct scst_tgt **out)
{
	return scst_register_target(&scst_local_template, name, out);
}

void scst_local_del_target(struct scst_tgt *tgt)
{
	scst_unregister_target(tgt);
}

int scst_local_sess_open(struct scst_tgt *tgt, const char *initiator,
			 unsigned int flags, struct scst_local_sess **out)
{
	struct scst_local_sess *s = scst_os_zalloc(sizeof(*s));
	int rc;

	if (!s)
		return -ENOMEM;
	s->flags = flags;
	s->tgt = tgt;
	scst_list_init(&s->cfg_entry);
	scst_spin_init(&s->lock);
	scst_list_init(&s->held);
	scst_completion_init(&s->closed);
	rc = scst_register_session(tgt, initiator, s, &s->sess);
	if (rc) {
		scst_completion_destroy(&s->closed);
		scst_spin_destroy(&s->lock);
		scst_os_free(s);
		return rc;
	}
	*out = s;
	return 0;
}

static void scst_local_sess_gone(struct scst_session *sess)
{
	struct scst_local_sess *s = scst_sess_get_tgt_priv(sess);

	scst_complete(&s->closed);
}

void scst_local_sess_close(struct scst_local_sess *s)
{
	scst_unregister_session(s->sess, scst_local_sess_gone);
	scst_wait_for_completion(&s->closed);
	scst_completion_destroy(&s->closed);
	scst_spin_destroy(&s->lock);
	scst_os_free(s);
}

int scst_local_submit(struct scst_local_sess *s, struct scst_local_req *r)
{
	uint8_t lun[8];
	struct scst_cmd *cmd;

	scst_pack_lun(r->lun, SCST_LUN_ADDR_METHOD_PERIPHERAL, lun);
	cmd = scst_rx_cmd(s->sess, lun, sizeof(lun), r->cdb, r->cdb_len);
	if (!cmd)
		return -ENOMEM;
	r->sess__ = s;
	r->cmd__ = cmd;
	r->no_response = false;
	r->data_aborted = false;
	r->status = 0;
	r->sense_len = 0;
	r->data_in_len = 0;
	r->resid_kind = SCST_RESID_NONE;
	r->resid = 0;
	scst_list_init(&r->held_entry__);
	scst_cmd_set_tgt_priv(cmd, r);
	scst_cmd_set_tag(cmd, r->tag);
	scst_cmd_set_queue_type(cmd, r->queue_type);
	if (r->exp_set)
		scst_cmd_set_expected(cmd, r->exp_dir, r->exp_len);
	scst_cmd_init_done(cmd, SCST_CONTEXT_THREAD);
	return 0;
}

struct scst_local_waiter {
	struct scst_completion done;
};

static void scst_local_req_wake(struct scst_local_req *r)
{
	struct scst_local_waiter *w = r->priv;

	scst_complete(&w->done);
}

int scst_local_exec(struct scst_local_sess *s, struct scst_local_req *r)
{
	struct scst_local_waiter w;
	int rc;

	scst_completion_init(&w.done);
	r->done = scst_local_req_wake;
	r->priv = &w;
	rc = scst_local_submit(s, r);
	if (!rc)
		scst_wait_for_completion(&w.done);
	scst_completion_destroy(&w.done);
	r->done = NULL;
	r->priv = NULL;
	return rc;
}

int scst_local_tmf_submit(struct scst_local_sess *s, struct scst_local_tmf *t)
{
	struct scst_rx_mgmt_params p = {
	    .fn = t->fn,
	    .tag = t->tag,
	    .tgt_priv = t,
	};
	uint8_t lun[8];

	scst_pack_lun(t->lun, SCST_LUN_ADDR_METHOD_PERIPHERAL, lun);
	p.lun = lun;
	p.lun_len = sizeof(lun);
	t->sess__ = s;
	return scst_rx_mgmt_fn(s->sess, &p);
}

static void scst_local_tmf_wake(struct scst_local_tmf *t)
{
	struct scst_local_waiter *w = t->priv;

	scst_complete(&w->done);
}

enum scst_mgmt_status scst_local_tmf_exec(struct scst_local_sess *s,
					  struct scst_local_tmf *t)
{
	struct scst_local_waiter w;
	int rc;

	scst_completion_init(&w.done);
	t->done = scst_local_tmf_wake;
	t->priv = &w;
	rc = scst_local_tmf_submit(s, t);
	if (!rc)
		scst_wait_for_completion(&w.done);
	else
		t->status = SCST_MGMT_STATUS_FAILED;
	scst_completion_destroy(&w.done);
	t->done = NULL;
	t->priv = NULL;
	return t->status;
}

/* ------------------------------------------------------ config tree ---- */

static struct scst_tgt_template scst_local_template;

static int scst_local_cfg_add_target(const char *name, const char *params,
				     struct scst_mgmt_res *res)
{
	struct scst_tgt *tgt;
	int rc;

	(void)params;
	rc = scst_local_add_target(name, &tgt);
	return rc ? scst_mgmt_res_set(res, rc, "cannot add target %s", name)
		  : 0;
}

/* Close the mgmt-made sessions of @tgt (all of them when NULL). */
static void scst_local_close_cfg_sessions(struct scst_tgt *tgt,
					  const char *initiator)
{
	struct scst_local_sess *s;

	for (;;) {
		struct scst_local_sess *found = NULL;

		scst_mutex_lock(&scst_local_cfg_mutex);
		scst_list_for_each_entry (s, &scst_local_cfg_sessions,
					  cfg_entry) {
			if ((!tgt || s->tgt == tgt) &&
			    (!initiator ||
			     strcmp(scst_sess_initiator_name(s->sess),
				    initiator) == 0)) {
				found = s;
				break;
			}
		}
		if (found)
			scst_list_del_init(&found->cfg_entry);
		scst_mutex_unlock(&scst_local_cfg_mutex);
		if (!found)
			return;
		scst_local_sess_close(found);
		if (initiator)
			return;
	}
}

static int scst_local_cfg_del_target(const char *name,
				     struct scst_mgmt_res *res)
{
	struct scst_tgt *tgt = scst_find_target(&scst_local_template, name);

	if (!tgt)
		return scst_mgmt_res_set(res, -ENOENT, "no target %s", name);
	scst_local_close_cfg_sessions(tgt, NULL);
	scst_local_del_target(tgt);
	return 0;
}

static bool scst_local_has_cfg_session(struct scst_tgt *tgt,
				       const char *initiator)
{
	struct scst_local_sess *s;
	bool found = false;

	scst_mutex_lock(&scst_local_cfg_mutex);
	scst_list_for_each_entry (s, &scst_local_cfg_sessions, cfg_entry)
		if (s->tgt == tgt &&
		    strcmp(scst_sess_initiator_name(s->sess), initiator) == 0)
			found = true;
	scst_mutex_unlock(&scst_local_cfg_mutex);
	return found;
}

/* "add_session TARGET INITIATOR" | "del_session TARGET INITIATOR" */
static int scst_local_cfg_mgmt(const char *cmd, struct scst_mgmt_res *res)
{
	char verb[32], tname[256], ini[256];
	struct scst_local_sess *s;
	struct scst_tgt *tgt;
	const char *p = cmd;
	int rc;

	if (scst_next_word(&p, verb, sizeof(verb)) <= 0)
		return scst_mgmt_res_set(res, -EINVAL, "empty command");
	if (strcmp(verb, "add_session") && strcmp(verb, "del_session"))
		return scst_mgmt_res_set(
		    res, -EINVAL, "scst_local: unknown command '%s'", verb);
	if (scst_next_word(&p, tname, sizeof(tname)) <= 0 ||
	    scst_next_word(&p, ini, sizeof(ini)) <= 0)
		return scst_mgmt_res_set(res, -EINVAL,
					 "usage: %s TARGET INITIATOR", verb);
	tgt = scst_find_target(&scst_local_template, tname);
	if (!tgt)
		return scst_mgmt_res_set(res, -ENOENT, "no target %s", tname);
	if (strcmp(verb, "del_session") == 0) {
		if (!scst_local_has_cfg_session(tgt, ini))
			return scst_mgmt_res_set(
			    res, -ENOENT, "no session of %s on %s", ini, tname);
		scst_local_close_cfg_sessions(tgt, ini);
		return 0;
	}
	rc = scst_local_sess_open(tgt, ini, 0, &s);
	if (rc)
		return scst_mgmt_res_set(res, rc, "cannot open a session");
	scst_mutex_lock(&scst_local_cfg_mutex);
	scst_list_add_tail(&s->cfg_entry, &scst_local_cfg_sessions);
	scst_mutex_unlock(&scst_local_cfg_mutex);
	return 0;
}

static void scst_local_close_work(struct scst_work *w)
{
	struct scst_local_sess *s =
	    scst_container_of(w, struct scst_local_sess, close_work);

	scst_local_sess_close(s);
}

/* sessions/<name>/force_close: close it later, off the writer's path. */
static int scst_local_close_session(struct scst_session *sess)
{
	struct scst_local_sess *s = scst_sess_get_tgt_priv(sess), *it;
	bool ours = false;

	scst_mutex_lock(&scst_local_cfg_mutex);
	scst_list_for_each_entry (it, &scst_local_cfg_sessions, cfg_entry)
		if (it == s)
			ours = true;
	if (ours)
		scst_list_del_init(&s->cfg_entry);
	scst_mutex_unlock(&scst_local_cfg_mutex);
	if (!ours)
		return -EBUSY; /* a caller of the C API owns it */
	scst_work_init(&s->close_work, scst_local_close_work);
	scst_queue_work(scst_local_wq, &s->close_work);
	return 0;
}

/* --------------------------------------------------------- module ---- */

static int scst_local_init(void)
{
	int rc;

	scst_mutex_init(&scst_local_cfg_mutex);
	scst_local_wq = scst_workqueue_create("scst_local", 2);
	if (!scst_local_wq)
		return -ENOMEM;
	rc = scst_register_target_template(&scst_local_template);
	if (rc) {
		scst_workqueue_destroy(scst_local_wq);
		scst_local_wq = NULL;
	}
	return rc;
}

static void scst_local_exit(void)
{
	scst_local_close_cfg_sessions(NULL, NULL);
	scst_unregister_target_template(&scst_local_template);
	scst_workqueue_destroy(scst_local_wq);
	scst_local_wq = NULL;
	scst_mutex_destroy(&scst_local_cfg_mutex);
}

const struct scst_module scst_local_module = {
    .name = "scst_local",
    .start = scst_local_init,
    .stop = scst_local_exit,
};
