// SPDX-License-Identifier: GPL-2.0-only
/*
 * Task management (SAM-5 7): ABORT TASK, ABORT TASK SET, CLEAR TASK SET,
 * LOGICAL UNIT RESET, TARGET (WARM) RESET, I_T NEXUS RESET, QUERY TASK,
 * QUERY TASK SET, and the nexus loss of an unregistered session.
 *
 * A function runs on its session's worker. It marks the commands it aborts
 * (under each command's session lock), pulls those parked in the task set
 * or behind a conflicting command straight to completion, tells the
 * transport about those waiting for Data-Out, and leaves those in the
 * handler to finish. Each aborted command carries a stub pointing back to
 * the function; the function answers once the last of them has reached
 * on_free_cmd (SAM: the response follows the aborted tasks). A command is
 * finished exactly once, whatever number of functions abort it.
 *
 * Aborted commands of the function's own nexus get no response. Those of
 * other nexuses get TASK ABORTED when the device has TAS=1, else nothing.
 *
 * Lock order here: dev->lock (only to collect nexuses), then
 * sess->cmd_lock, then the task set's and the device's locks.
 */
#include "scst_priv.h"

static void scst_mgmt_done_work(struct scst_work *w)
{
	struct scst_mgmt_cmd *mcmd =
	    scst_container_of(w, struct scst_mgmt_cmd, work);
	struct scst_session *sess = mcmd->sess;

	if (mcmd->done_fn)
		mcmd->done_fn(mcmd->done_arg); /* the core's own */
	else
		sess->tgt->tmpl->task_mgmt_fn_done(mcmd);
	scst_os_cache_free(scst_mgmt_cache, mcmd);
	scst_sess_put(sess);
}

/* Drop one hold on @mcmd; the last one sends the response. */
static void scst_mgmt_put(struct scst_mgmt_cmd *mcmd)
{
	if (!scst_atomic_dec_and_test(&mcmd->pending))
		return;
	scst_work_init(&mcmd->work, scst_mgmt_done_work);
	scst_worker_queue_work(mcmd->sess->worker, &mcmd->work);
}

void scst_cmd_finish_tmf(struct scst_cmd *cmd)
{
	struct scst_session *sess = cmd->sess;
	struct scst_list_head stubs;
	struct scst_mgmt_stub *stub, *tmp;

	scst_list_init(&stubs);
	scst_spin_lock(&sess->cmd_lock);
	scst_set_bit(SCST_CMD_F_FINISHED, &cmd->flags);
	scst_list_del_init(&cmd->sess_entry);
	scst_list_splice_tail_init(&cmd->mgmt_stubs, &stubs);
	scst_spin_unlock(&sess->cmd_lock);

	scst_list_for_each_entry_safe (stub, tmp, &stubs, cmd_entry) {
		scst_list_del_init(&stub->cmd_entry);
		scst_mgmt_put(stub->mcmd);
		scst_os_cache_free(scst_stub_cache, stub);
	}
}

/*
 * Abort @cmd for @mcmd (NULL: nexus loss). Called with the command's
 * session cmd_lock held.
 */
static void scst_abort_cmd(struct scst_cmd *cmd, struct scst_mgmt_cmd *mcmd,
			   bool other_nexus)
{
	struct scst_tgt_template *t = cmd->sess->tgt->tmpl;
	bool first;

	if (scst_test_bit(SCST_CMD_F_FINISHED, &cmd->flags))
		return;
	if (other_nexus)
		scst_set_bit(SCST_CMD_F_ABORTED_OTHER, &cmd->flags);
	if (!mcmd)
		scst_set_bit(SCST_CMD_F_NO_RESP, &cmd->flags);
	first = !scst_test_and_set_bit(SCST_CMD_F_ABORTED, &cmd->flags);
	if (mcmd) {
		struct scst_mgmt_stub *stub =
		    scst_os_cache_alloc(scst_stub_cache);

		if (stub) {
			stub->mcmd = mcmd;
			scst_atomic_inc(&mcmd->pending);
			scst_list_add_tail(&stub->cmd_entry, &cmd->mgmt_stubs);
		} else {
			scst_err("scst: no memory to track an aborted command; "
				 "the TMF may answer before it ends");
		}
		if (first)
			mcmd->aborted++;
	}
	if (!first)
		return;
	/* Hurry it along from wherever it is parked. */
	if (scst_test_bit(SCST_CMD_F_DATA_WAIT, &cmd->flags)) {
		if (t->on_abort_cmd)
			t->on_abort_cmd(cmd);
		return;
	}
	if (!scst_order_abort(cmd))
		scst_ser_abort(cmd);
}

/* Abort the commands of @sess for LUN @lun (SCST_NO_LUN: all LUNs). */
static void scst_abort_sess_lun(struct scst_session *sess, uint64_t lun,
				struct scst_mgmt_cmd *mcmd, bool other_nexus)
{
	struct scst_cmd *cmd;

	scst_spin_lock(&sess->cmd_lock);
	scst_list_for_each_entry (cmd, &sess->cmd_list, sess_entry)
		if (lun == SCST_NO_LUN || cmd->lun == lun)
			scst_abort_cmd(cmd, mcmd, other_nexus);
	scst_spin_unlock(&sess->cmd_lock);
}

void scst_tmf_abort_sess_cmds(struct scst_session *sess,
			      struct scst_mgmt_cmd *mcmd)
{
	scst_abort_sess_lun(sess, SCST_NO_LUN, mcmd, false);
	/* I_T nexus loss ends the nexus' SPC-2 reservations. */
	scst_res_nexus_loss(sess);
}

int scst_tmf_abort_nexuses(struct scst_cmd *except,
			   struct scst_tgt_dev *const *nexus, unsigned int n,
			   void (*done)(void *arg), void *arg)
{
	struct scst_mgmt_cmd *mcmd = scst_os_cache_zalloc(scst_mgmt_cache);
	struct scst_cmd *cmd;
	unsigned int i;

	if (!mcmd)
		return -ENOMEM;
	mcmd->fn = SCST_ABORT_TASK_SET;
	mcmd->sess = except->sess;
	mcmd->lun = except->lun;
	mcmd->lun_set = true;
	mcmd->status = SCST_MGMT_STATUS_SUCCESS;
	mcmd->done_fn = done;
	mcmd->done_arg = arg;
	scst_atomic_set(&mcmd->pending, 1);
	scst_sess_get(except->sess);
	for (i = 0; i < n; i++) {
		struct scst_session *sess = nexus[i]->sess;

		scst_spin_lock(&sess->cmd_lock);
		scst_list_for_each_entry (cmd, &sess->cmd_list, sess_entry)
			if (cmd != except && cmd->lun == nexus[i]->lun)
				scst_abort_cmd(cmd, mcmd, sess != except->sess);
		scst_spin_unlock(&sess->cmd_lock);
	}
	scst_mgmt_put(mcmd);
	return 0;
}

/* A nexus of a device, held for a cross-session abort. */
struct scst_nexus_ref {
	struct scst_session *sess;
	uint64_t lun;
	struct scst_tgt_dev *tgt_dev;
};

/*
 * Abort every command on @dev from every nexus (or only @only's when not
 * NULL) and raise @ua (if key != 0) on every nexus of the device.
 */
static void scst_abort_dev(struct scst_device *dev, struct scst_mgmt_cmd *mcmd,
			   const struct scst_tgt_dev *only, uint8_t key,
			   uint8_t asc, uint8_t ascq, bool ua_to_others_only)
{
	struct scst_nexus_ref *refs;
	struct scst_tgt_dev *tgt_dev;
	unsigned int n = 0, cap = 0, i;

	scst_spin_lock(&dev->lock);
	scst_list_for_each_entry (tgt_dev, &dev->tgt_dev_list, dev_entry)
		cap++;
	scst_spin_unlock(&dev->lock);
again:
	refs = scst_os_alloc((cap ? cap : 1) * sizeof(*refs));
	if (!refs) {
		scst_err("scst: no memory for a device-wide abort");
		mcmd->status = SCST_MGMT_STATUS_FAILED;
		return;
	}
	scst_spin_lock(&dev->lock);
	scst_list_for_each_entry (tgt_dev, &dev->tgt_dev_list, dev_entry) {
		if (only && tgt_dev != only)
			continue;
		if (n == cap) {
			/* The list grew meanwhile: retry with more room. */
			scst_spin_unlock(&dev->lock);
			for (i = 0; i < n; i++) {
				if (refs[i].tgt_dev)
					scst_tgt_dev_put(refs[i].tgt_dev);
				if (refs[i].sess)
					scst_sess_put(refs[i].sess);
			}
			scst_os_free(refs);
			cap = cap ? cap * 2 : 4;
			n = 0;
			goto again;
		}
		/*
		 * A nexus or session already on its way out may still be on
		 * the list; take what can be taken and drop it after the lock
		 * (a put may free, and freeing a nexus takes dev->lock).
		 */
		refs[n].sess =
		    scst_sess_tryget(tgt_dev->sess) ? tgt_dev->sess : NULL;
		refs[n].tgt_dev = scst_tgt_dev_tryget(tgt_dev) ? tgt_dev : NULL;
		refs[n].lun = tgt_dev->lun;
		if (refs[n].sess || refs[n].tgt_dev)
			n++;
	}
	scst_spin_unlock(&dev->lock);

	if (dev->handler->task_mgmt_fn_received)
		dev->handler->task_mgmt_fn_received(mcmd, dev);
	for (i = 0; i < n; i++) {
		bool other = refs[i].sess != mcmd->sess;

		if (!refs[i].sess || !refs[i].tgt_dev)
			continue;
		scst_abort_sess_lun(refs[i].sess, refs[i].lun, mcmd, other);
		if (key && (!ua_to_others_only || other))
			scst_ua_queue(refs[i].tgt_dev, key, asc, ascq);
	}
	for (i = 0; i < n; i++) {
		if (refs[i].tgt_dev)
			scst_tgt_dev_put(refs[i].tgt_dev);
		if (refs[i].sess)
			scst_sess_put(refs[i].sess);
	}
	scst_os_free(refs);
}

static void scst_reset_dev(struct scst_device *dev, struct scst_mgmt_cmd *mcmd,
			   uint8_t asc, uint8_t ascq)
{
	scst_abort_dev(dev, mcmd, NULL, UNIT_ATTENTION, asc, ascq, false);
	scst_res_dev_reset(dev);     /* SPC-2 reservations end */
	scst_prevent_dev_reset(dev); /* and medium removal preventions */
	if (dev->handler->reset_done)
		dev->handler->reset_done(dev);
}

/* Look up a command of the session by tag; cmd_lock held. */
static struct scst_cmd *scst_find_cmd_by_tag(struct scst_session *sess,
					     uint64_t tag)
{
	struct scst_cmd *cmd;

	scst_list_for_each_entry (cmd, &sess->cmd_list, sess_entry)
		if (cmd->tag == tag &&
		    !scst_test_bit(SCST_CMD_F_FINISHED, &cmd->flags))
			return cmd;
	return NULL;
}

/* Is @cmd still in the task set (not yet executed to completion)? */
static bool scst_cmd_in_task_set(const struct scst_cmd *cmd)
{
	enum scst_cmd_state s = __atomic_load_n(&cmd->state, __ATOMIC_ACQUIRE);

	return s < SCST_CMD_STATE_PRE_XMIT_RESP &&
	       !scst_test_bit(SCST_CMD_F_ABORTED, &cmd->flags);
}

static void scst_tmf_abort_task(struct scst_mgmt_cmd *mcmd, bool query)
{
	struct scst_session *sess = mcmd->sess;
	struct scst_cmd *cmd;

	scst_spin_lock(&sess->cmd_lock);
	cmd = scst_find_cmd_by_tag(sess, mcmd->tag);
	if (query)
		mcmd->status = cmd && scst_cmd_in_task_set(cmd)
				   ? SCST_MGMT_STATUS_FN_SUCCEEDED
				   : SCST_MGMT_STATUS_SUCCESS;
	else if (cmd)
		scst_abort_cmd(cmd, mcmd, false);
	else
		mcmd->status = SCST_MGMT_STATUS_TASK_NOT_EXIST;
	scst_spin_unlock(&sess->cmd_lock);
}

static void scst_tmf_query_task_set(struct scst_mgmt_cmd *mcmd)
{
	struct scst_session *sess = mcmd->sess;
	struct scst_cmd *cmd;

	mcmd->status = SCST_MGMT_STATUS_SUCCESS;
	scst_spin_lock(&sess->cmd_lock);
	scst_list_for_each_entry (cmd, &sess->cmd_list, sess_entry) {
		if (cmd->lun == mcmd->lun && scst_cmd_in_task_set(cmd)) {
			mcmd->status = SCST_MGMT_STATUS_FN_SUCCEEDED;
			break;
		}
	}
	scst_spin_unlock(&sess->cmd_lock);
}

static void scst_tmf_target_reset(struct scst_mgmt_cmd *mcmd)
{
	struct scst_device **devs;
	uint64_t *luns;
	struct scst_tgt_dev *tgt_dev;
	int n, i, j;

	n = scst_sess_lun_list(mcmd->sess, &luns);
	if (n < 0) {
		mcmd->status = SCST_MGMT_STATUS_FAILED;
		return;
	}
	devs = scst_os_zalloc(((size_t)n + 1) * sizeof(*devs));
	if (!devs) {
		scst_os_free(luns);
		mcmd->status = SCST_MGMT_STATUS_FAILED;
		return;
	}
	for (i = 0; i < n; i++) {
		tgt_dev = scst_sess_find_tgt_dev(mcmd->sess, luns[i]);
		if (!tgt_dev)
			continue;
		for (j = 0; j < i && devs[j] != tgt_dev->dev; j++)
			;
		if (j == i) { /* each device once */
			devs[i] = tgt_dev->dev;
			scst_reset_dev(tgt_dev->dev, mcmd, SCST_ASC_RESET_CLASS,
				       0x00);
		}
		scst_tgt_dev_put(tgt_dev);
	}
	scst_os_free(devs);
	scst_os_free(luns);
}

static void scst_mgmt_work(struct scst_work *w)
{
	struct scst_mgmt_cmd *mcmd =
	    scst_container_of(w, struct scst_mgmt_cmd, work);
	struct scst_session *sess = mcmd->sess;
	struct scst_tgt_dev *tgt_dev = NULL;

	switch (mcmd->fn) {
	case SCST_ABORT_TASK_SET:
	case SCST_CLEAR_TASK_SET:
	case SCST_LUN_RESET:
	case SCST_QUERY_TASK_SET:
		if (mcmd->lun_set)
			tgt_dev = scst_sess_find_tgt_dev(sess, mcmd->lun);
		if (!tgt_dev) {
			mcmd->status = SCST_MGMT_STATUS_LUN_NOT_EXIST;
			goto out;
		}
		break;
	default:
		break;
	}

	switch (mcmd->fn) {
	case SCST_ABORT_TASK:
		scst_tmf_abort_task(mcmd, false);
		break;
	case SCST_QUERY_TASK:
		scst_tmf_abort_task(mcmd, true);
		break;
	case SCST_ABORT_TASK_SET:
		scst_abort_sess_lun(sess, mcmd->lun, mcmd, false);
		break;
	case SCST_CLEAR_TASK_SET:
		if (tgt_dev->dev->tst == SCST_TST_0_SINGLE_TASK_SET)
			/* The one task set is shared: clear everyone's. */
			scst_abort_dev(tgt_dev->dev, mcmd, NULL,
				       tgt_dev->dev->tas ? 0 : UNIT_ATTENTION,
				       0x2f, 0x00, true);
		else
			scst_abort_sess_lun(sess, mcmd->lun, mcmd, false);
		break;
	case SCST_LUN_RESET:
		scst_reset_dev(tgt_dev->dev, mcmd, SCST_ASC_RESET_CLASS, 0x03);
		break;
	case SCST_TARGET_RESET:
		scst_tmf_target_reset(mcmd);
		break;
	case SCST_NEXUS_LOSS_SESS:
		scst_tmf_abort_sess_cmds(sess, mcmd);
		scst_sess_ua_all(
		    sess, SCST_LOAD_SENSE(scst_sense_nexus_loss_UA), NULL);
		break;
	case SCST_QUERY_TASK_SET:
		scst_tmf_query_task_set(mcmd);
		break;
	case SCST_CLEAR_ACA: /* no ACA is ever established here */
	default:
		mcmd->status = SCST_MGMT_STATUS_FN_NOT_SUPPORTED;
		break;
	}
out:
	if (tgt_dev)
		scst_tgt_dev_put(tgt_dev);
	scst_mgmt_put(mcmd);
}

int scst_rx_mgmt_fn(struct scst_session *sess,
		    const struct scst_rx_mgmt_params *p)
{
	struct scst_mgmt_cmd *mcmd;

	if ((unsigned int)p->fn >= SCST_TMF_COUNT)
		return -EINVAL;
	mcmd = scst_os_cache_zalloc(scst_mgmt_cache);
	if (!mcmd)
		return -ENOMEM;
	mcmd->fn = p->fn;
	mcmd->sess = sess;
	mcmd->tag = p->tag;
	mcmd->tgt_priv = p->tgt_priv;
	mcmd->lun_set = p->lun != NULL;
	mcmd->lun = p->lun ? scst_unpack_lun(p->lun, p->lun_len) : SCST_NO_LUN;
	if (mcmd->lun == SCST_NO_LUN)
		mcmd->lun_set = false;
	mcmd->status = SCST_MGMT_STATUS_SUCCESS;
	scst_atomic_set(&mcmd->pending, 1);
	scst_sess_get(sess);
	scst_work_init(&mcmd->work, scst_mgmt_work);
	scst_worker_queue_work(sess->worker, &mcmd->work);
	return 0;
}

enum scst_tmf scst_mgmt_cmd_fn(const struct scst_mgmt_cmd *mcmd)
{
	return mcmd->fn;
}

enum scst_mgmt_status scst_mgmt_cmd_status(const struct scst_mgmt_cmd *mcmd)
{
	return mcmd->status;
}

void *scst_mgmt_cmd_get_tgt_priv(const struct scst_mgmt_cmd *mcmd)
{
	return mcmd->tgt_priv;
}

struct scst_session *scst_mgmt_cmd_sess(const struct scst_mgmt_cmd *mcmd)
{
	return mcmd->sess;
}

unsigned int scst_mgmt_cmd_aborted_count(const struct scst_mgmt_cmd *mcmd)
{
	return mcmd->aborted;
}
