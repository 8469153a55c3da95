// SPDX-License-Identifier: GPL-2.0-only
/*
 * Sessions (I_T nexuses) and their tgt_devs (I_T_L nexuses).
 *
 * A session's LUN table is a small hash under sess->lun_lock, read-locked
 * by every command's LUN lookup. A tgt_dev is referenced by the table and
 * by each command that found it; it is freed with the last reference, so a
 * LUN can be unmapped while commands to it are still running.
 *
 * The session itself is referenced by its registration, its commands and
 * its TMFs. Unregistration aborts what is in flight; the last reference
 * tears down the LUN table and calls the transport's done callback.
 */
#include "scst_priv.h"

static unsigned int scst_lun_hash(uint64_t lun)
{
	return (unsigned int)(lun % SCST_TGT_DEV_HASH);
}

void scst_tgt_dev_get(struct scst_tgt_dev *tgt_dev)
{
	scst_atomic_inc(&tgt_dev->ref);
}

/* Take a reference unless the count already reached zero. */
static bool scst_atomic_inc_not_zero(scst_atomic_t *a)
{
	int v = scst_atomic_read(a);

	while (v > 0) {
		int seen = scst_atomic_cmpxchg(a, v, v + 1);

		if (seen == v)
			return true;
		v = seen;
	}
	return false;
}

bool scst_tgt_dev_tryget(struct scst_tgt_dev *tgt_dev)
{
	return scst_atomic_inc_not_zero(&tgt_dev->ref);
}

void scst_tgt_dev_put(struct scst_tgt_dev *tgt_dev)
{
	struct scst_device *dev = tgt_dev->dev;

	if (!scst_atomic_dec_and_test(&tgt_dev->ref))
		return;
	if (dev->handler->detach_tgt)
		dev->handler->detach_tgt(tgt_dev);
	scst_spin_lock(&dev->lock);
	scst_list_del_init(&tgt_dev->dev_entry);
	/* The nexus is gone, and its prevention with it. */
	if (tgt_dev->prevent)
		dev->prevent_count--;
	scst_spin_unlock(&dev->lock);
	scst_ua_clear_all(tgt_dev);
	scst_order_set_destroy(&tgt_dev->own_set);
	scst_spin_destroy(&tgt_dev->ua_lock);
	scst_os_free(tgt_dev);
	/* The device may be waiting to unregister. */
	scst_wake_up(&dev->unreg_wq);
}

struct scst_tgt_dev *scst_sess_find_tgt_dev(struct scst_session *sess,
					    uint64_t lun)
{
	struct scst_tgt_dev *tgt_dev, *found = NULL;

	scst_read_lock(&sess->lun_lock);
	scst_list_for_each_entry (
	    tgt_dev, &sess->tgt_dev_hash[scst_lun_hash(lun)], hash_entry) {
		if (tgt_dev->lun == lun) {
			scst_tgt_dev_get(tgt_dev);
			found = tgt_dev;
			break;
		}
	}
	scst_read_unlock(&sess->lun_lock);
	return found;
}

int scst_sess_add_tgt_dev(struct scst_session *sess,
			  struct scst_acg_dev *acg_dev, enum scst_nexus_why why)
{
	struct scst_device *dev = acg_dev->dev;
	struct scst_tgt_dev *tgt_dev;
	int rc;

	tgt_dev = scst_os_zalloc(sizeof(*tgt_dev));
	if (!tgt_dev)
		return -ENOMEM;
	tgt_dev->lun = acg_dev->lun;
	tgt_dev->sess = sess;
	tgt_dev->dev = dev;
	tgt_dev->acg_dev = acg_dev;
	tgt_dev->read_only = acg_dev->read_only;
	tgt_dev->alua_state = (uint8_t)scst_alua_nexus_state(dev, sess->tgt);
	scst_atomic_set(&tgt_dev->ref, 1);
	scst_spin_init(&tgt_dev->ua_lock);
	scst_list_init(&tgt_dev->ua_list);
	scst_order_set_init(&tgt_dev->own_set);
	tgt_dev->set = dev->tst == SCST_TST_0_SINGLE_TASK_SET
			   ? &dev->shared_set
			   : &tgt_dev->own_set;
	rc = dev->handler->attach_tgt ? dev->handler->attach_tgt(tgt_dev) : 0;
	if (rc) {
		scst_order_set_destroy(&tgt_dev->own_set);
		scst_spin_destroy(&tgt_dev->ua_lock);
		scst_os_free(tgt_dev);
		return rc;
	}
	switch (why) {
	case SCST_NEXUS_REPLACED:
		scst_ua_queue(tgt_dev, SCST_LOAD_SENSE(
					   scst_sense_inquiry_data_changed_UA));
		break;
	case SCST_NEXUS_REASSIGNED:
		scst_ua_queue(
		    tgt_dev,
		    SCST_LOAD_SENSE(scst_sense_reported_luns_data_changed_UA));
		break;
	default: /* a new nexus starts as after a power on */
		scst_ua_queue(tgt_dev, SCST_LOAD_SENSE(scst_sense_reset_UA));
		break;
	}

	scst_spin_lock(&dev->lock);
	scst_list_add_tail(&tgt_dev->dev_entry, &dev->tgt_dev_list);
	scst_spin_unlock(&dev->lock);
	scst_write_lock(&sess->lun_lock);
	scst_list_add_tail(&tgt_dev->hash_entry,
			   &sess->tgt_dev_hash[scst_lun_hash(tgt_dev->lun)]);
	scst_write_unlock(&sess->lun_lock);
	return 0;
}

void scst_sess_del_tgt_dev(struct scst_session *sess, uint64_t lun)
{
	struct scst_tgt_dev *tgt_dev, *found = NULL;

	scst_write_lock(&sess->lun_lock);
	scst_list_for_each_entry (
	    tgt_dev, &sess->tgt_dev_hash[scst_lun_hash(lun)], hash_entry) {
		if (tgt_dev->lun == lun) {
			scst_list_del_init(&tgt_dev->hash_entry);
			found = tgt_dev;
			break;
		}
	}
	scst_write_unlock(&sess->lun_lock);
	if (found)
		scst_tgt_dev_put(found);
}

static void scst_sess_del_all_tgt_devs(struct scst_session *sess)
{
	struct scst_tgt_dev *tgt_dev;
	unsigned int i;

	for (i = 0; i < SCST_TGT_DEV_HASH; i++) {
		for (;;) {
			scst_write_lock(&sess->lun_lock);
			if (scst_list_empty(&sess->tgt_dev_hash[i])) {
				scst_write_unlock(&sess->lun_lock);
				break;
			}
			tgt_dev = scst_list_first_entry(&sess->tgt_dev_hash[i],
							struct scst_tgt_dev,
							hash_entry);
			scst_list_del_init(&tgt_dev->hash_entry);
			scst_write_unlock(&sess->lun_lock);
			scst_tgt_dev_put(tgt_dev);
		}
	}
}

struct scst_device *
scst_sess_find_dev_by_match(struct scst_session *sess,
			    bool (*match)(struct scst_device *dev, void *arg),
			    void *arg, struct scst_tgt_dev **nexus)
{
	struct scst_tgt_dev *tgt_dev, *found = NULL;
	unsigned int i;

	*nexus = NULL;
	scst_read_lock(&sess->lun_lock);
	for (i = 0; i < SCST_TGT_DEV_HASH; i++) {
		scst_list_for_each_entry (tgt_dev, &sess->tgt_dev_hash[i],
					  hash_entry) {
			if (found && found->lun <= tgt_dev->lun)
				continue;
			if (!match(tgt_dev->dev, arg))
				continue;
			found = tgt_dev;
		}
	}
	/* The table's own reference keeps it alive until we take ours. */
	if (found)
		scst_tgt_dev_get(found);
	scst_read_unlock(&sess->lun_lock);
	if (!found)
		return NULL;
	*nexus = found;
	return found->dev;
}

bool scst_tgt_dev_read_only(const struct scst_tgt_dev *nexus)
{
	return nexus->read_only;
}

void scst_tgt_dev_set_prevent(struct scst_tgt_dev *nexus, bool prevent)
{
	struct scst_device *dev = nexus->dev;

	scst_spin_lock(&dev->lock);
	if (nexus->prevent != prevent) {
		nexus->prevent = prevent;
		if (prevent)
			dev->prevent_count++;
		else
			dev->prevent_count--;
	}
	scst_spin_unlock(&dev->lock);
}

bool scst_dev_prevented(struct scst_device *dev)
{
	bool r;

	scst_spin_lock(&dev->lock);
	r = dev->prevent_count != 0;
	scst_spin_unlock(&dev->lock);
	return r;
}

void scst_prevent_dev_reset(struct scst_device *dev)
{
	struct scst_tgt_dev *td;

	scst_spin_lock(&dev->lock);
	scst_list_for_each_entry (td, &dev->tgt_dev_list, dev_entry)
		td->prevent = false;
	dev->prevent_count = 0;
	scst_spin_unlock(&dev->lock);
}

struct scst_device *scst_tgt_dev_device(const struct scst_tgt_dev *nexus)
{
	return nexus->dev;
}

void scst_tgt_dev_release(struct scst_tgt_dev *nexus)
{
	scst_tgt_dev_put(nexus);
}

void scst_sess_ua_all(struct scst_session *sess, uint8_t key, uint8_t asc,
		      uint8_t ascq, const struct scst_tgt_dev *except)
{
	struct scst_tgt_dev *tgt_dev;
	unsigned int i;

	scst_read_lock(&sess->lun_lock);
	for (i = 0; i < SCST_TGT_DEV_HASH; i++)
		scst_list_for_each_entry (tgt_dev, &sess->tgt_dev_hash[i],
					  hash_entry)
			if (tgt_dev != except)
				scst_ua_queue(tgt_dev, key, asc, ascq);
	scst_read_unlock(&sess->lun_lock);
}

void scst_sess_ua_clear(struct scst_session *sess, uint8_t asc, uint8_t ascq)
{
	struct scst_tgt_dev *tgt_dev;
	unsigned int i;

	scst_read_lock(&sess->lun_lock);
	for (i = 0; i < SCST_TGT_DEV_HASH; i++)
		scst_list_for_each_entry (tgt_dev, &sess->tgt_dev_hash[i],
					  hash_entry)
			scst_ua_clear_matching(tgt_dev, asc, ascq);
	scst_read_unlock(&sess->lun_lock);
}

static int scst_cmp_u64(const void *a, const void *b)
{
	uint64_t x = *(const uint64_t *)a, y = *(const uint64_t *)b;

	return x < y ? -1 : x > y;
}

/* A small insertion sort: LUN tables are short and this is no hot path. */
static void scst_sort_u64(uint64_t *v, unsigned int n)
{
	unsigned int i, j;

	for (i = 1; i < n; i++) {
		uint64_t x = v[i];

		for (j = i; j > 0 && scst_cmp_u64(&v[j - 1], &x) > 0; j--)
			v[j] = v[j - 1];
		v[j] = x;
	}
}

int scst_sess_lun_list(struct scst_session *sess, uint64_t **luns)
{
	struct scst_tgt_dev *tgt_dev;
	unsigned int i, n = 0, cap = 0;
	uint64_t *v;

	scst_read_lock(&sess->lun_lock);
	for (i = 0; i < SCST_TGT_DEV_HASH; i++)
		scst_list_for_each_entry (tgt_dev, &sess->tgt_dev_hash[i],
					  hash_entry)
			cap++;
	v = scst_os_alloc((cap ? cap : 1) * sizeof(*v));
	if (!v) {
		scst_read_unlock(&sess->lun_lock);
		return -ENOMEM;
	}
	for (i = 0; i < SCST_TGT_DEV_HASH; i++)
		scst_list_for_each_entry (tgt_dev, &sess->tgt_dev_hash[i],
					  hash_entry)
			v[n++] = tgt_dev->lun;
	scst_read_unlock(&sess->lun_lock);
	scst_sort_u64(v, n);
	*luns = v;
	return (int)n;
}

/* ------------------------------------------------------ registration ---- */

int scst_register_session(struct scst_tgt *tgt, const char *initiator_name,
			  void *tgt_priv, struct scst_session **out)
{
	return scst_register_session_on(tgt, initiator_name, tgt_priv, NULL,
					out);
}

int scst_register_session_on(struct scst_tgt *tgt, const char *initiator_name,
			     void *tgt_priv, struct scst_worker *worker,
			     struct scst_session **out)
{
	struct scst_session *sess;
	struct scst_acg_dev *acg_dev;
	unsigned int i;
	int rc;

	if (!initiator_name || !*initiator_name || strchr(initiator_name, '/'))
		return -EINVAL; /* it names the session's directory */
	sess = scst_os_zalloc(sizeof(*sess));
	if (!sess)
		return -ENOMEM;
	sess->initiator_name = scst_strdup(initiator_name);
	if (!sess->initiator_name) {
		scst_os_free(sess);
		return -ENOMEM;
	}
	sess->tgt = tgt;
	sess->tgt_priv = tgt_priv;
	scst_rwlock_init(&sess->lun_lock);
	for (i = 0; i < SCST_TGT_DEV_HASH; i++)
		scst_list_init(&sess->tgt_dev_hash[i]);
	scst_spin_init(&sess->cmd_lock);
	scst_list_init(&sess->cmd_list);
	scst_atomic_set(&sess->ref, 1);
	sess->worker = worker ? worker : scst_worker_pick();

	scst_mutex_lock(&scst_mutex);
	sess->acg = scst_find_acg_for_ini(tgt, initiator_name);
	scst_list_for_each_entry (acg_dev, &sess->acg->acg_dev_list,
				  acg_entry) {
		rc = scst_sess_add_tgt_dev(sess, acg_dev, SCST_NEXUS_NEW);
		if (rc) {
			scst_mutex_unlock(&scst_mutex);
			scst_sess_del_all_tgt_devs(sess);
			scst_spin_destroy(&sess->cmd_lock);
			scst_rwlock_destroy(&sess->lun_lock);
			scst_os_free(sess->initiator_name);
			scst_os_free(sess);
			return rc;
		}
	}
	scst_list_add_tail(&sess->tgt_entry, &tgt->sess_list);
	scst_list_add_tail(&sess->acg_entry, &sess->acg->sess_list);
	scst_tree_add_sess(sess);
	scst_mutex_unlock(&scst_mutex);
	scst_info("scst: session %s opened on target %s (group %s)",
		  initiator_name, tgt->name,
		  sess->acg->name ? sess->acg->name : "default");
	*out = sess;
	return 0;
}

void scst_sess_get(struct scst_session *sess)
{
	scst_atomic_inc(&sess->ref);
}

bool scst_sess_tryget(struct scst_session *sess)
{
	return scst_atomic_inc_not_zero(&sess->ref);
}

void scst_sess_put(struct scst_session *sess)
{
	void (*done)(struct scst_session * s);
	struct scst_completion *wait;

	if (!scst_atomic_dec_and_test(&sess->ref))
		return;
	scst_sess_del_all_tgt_devs(sess);
	done = sess->unreg_done;
	wait = sess->unreg_wait;
	if (done)
		done(sess);
	scst_spin_destroy(&sess->cmd_lock);
	scst_rwlock_destroy(&sess->lun_lock);
	scst_os_free(sess->initiator_name);
	scst_os_free(sess);
	if (wait)
		scst_complete(wait);
}

void scst_unregister_session(struct scst_session *sess,
			     void (*done)(struct scst_session *sess))
{
	scst_mutex_lock(&scst_mutex);
	scst_tree_del_sess(sess);
	scst_list_del_init(&sess->tgt_entry);
	scst_list_del_init(&sess->acg_entry);
	scst_mutex_unlock(&scst_mutex);

	scst_spin_lock(&sess->cmd_lock);
	sess->shutting_down = true;
	sess->unreg_done = done;
	scst_spin_unlock(&sess->cmd_lock);

	/* I_T nexus loss: whatever is still in the core gets no response. */
	scst_tmf_abort_sess_cmds(sess, NULL);
	scst_info("scst: session %s closing", sess->initiator_name);
	scst_sess_put(sess);
}

/* Under scst_mutex: a session whose group changed gets the new LUNs. */
void scst_tgt_reassign_sessions(struct scst_tgt *tgt)
{
	struct scst_session *sess;
	struct scst_acg_dev *ad;
	struct scst_acg *acg;
	int rc;

	scst_list_for_each_entry (sess, &tgt->sess_list, tgt_entry) {
		acg = scst_find_acg_for_ini(tgt, sess->initiator_name);
		if (acg == sess->acg)
			continue;
		scst_info("scst: session %s moves from group %s to %s",
			  sess->initiator_name,
			  sess->acg->name ? sess->acg->name : "default",
			  acg->name ? acg->name : "default");
		scst_list_del_init(&sess->acg_entry);
		scst_list_add_tail(&sess->acg_entry, &acg->sess_list);
		sess->acg = acg;
		scst_sess_del_all_tgt_devs(sess);
		scst_list_for_each_entry (ad, &acg->acg_dev_list, acg_entry) {
			rc = scst_sess_add_tgt_dev(sess, ad,
						   SCST_NEXUS_REASSIGNED);
			if (rc)
				scst_err("scst: session %s lost LUN %llu: %d",
					 sess->initiator_name,
					 (unsigned long long)ad->lun, rc);
		}
		if (sess->tree_dir) {
			scst_tree_remove_entry(sess->tree_dir, "luns");
			if (acg->tree_luns)
				scst_tree_symlink(sess->tree_dir, "luns",
						  acg->tree_luns);
		}
	}
}

/*
 * For target removal: sessions the transport left open are closed here,
 * without a transport callback, and waited for.
 */
void scst_sess_unregister_wait(struct scst_session *sess)
{
	struct scst_completion done;

	scst_completion_init(&done);
	sess->unreg_wait = &done;
	scst_unregister_session(sess, NULL);
	scst_wait_for_completion(&done);
	scst_completion_destroy(&done);
}

void *scst_sess_get_tgt_priv(const struct scst_session *sess)
{
	return sess->tgt_priv;
}

const char *scst_sess_initiator_name(const struct scst_session *sess)
{
	return sess->initiator_name;
}

struct scst_tgt *scst_sess_tgt(const struct scst_session *sess)
{
	return sess->tgt;
}
