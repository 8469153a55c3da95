// SPDX-License-Identifier: GPL-2.0-only
/*
 * Core life and registration: caches and workers, modules, target driver
 * templates and device handler types, targets and virtual devices.
 * Everything here runs under scst_mutex and off the command path.
 */
#include "scst_priv.h"

struct scst_mutex scst_mutex;
SCST_LIST_HEAD_DEF(scst_template_list);
SCST_LIST_HEAD_DEF(scst_dev_type_list);
SCST_LIST_HEAD_DEF(scst_dev_list);

struct scst_os_cache *scst_cmd_cache;
struct scst_os_cache *scst_buf_small_cache;
struct scst_os_cache *scst_buf_chunk_cache;
struct scst_os_cache *scst_sg_cache;
struct scst_os_cache *scst_ua_cache;
struct scst_os_cache *scst_slot_cache;
struct scst_os_cache *scst_mgmt_cache;
struct scst_os_cache *scst_stub_cache;

static bool scst_initialized;

char *scst_strdup(const char *s)
{
	size_t n = strlen(s) + 1;
	char *p = scst_os_alloc(n);

	if (p)
		memcpy(p, s, n);
	return p;
}

/* ---------------------------------------------------------- core life ---- */

struct scst_cache_def {
	struct scst_os_cache **cache;
	const char *name;
	size_t size;
	size_t align; /* 0: the cache's default */
};

static int scst_caches_create(void)
{
	const struct scst_cache_def defs[] = {
	    {&scst_cmd_cache, "scst_cmd", sizeof(struct scst_cmd)},
	    {&scst_buf_small_cache, "scst_buf_4k", SCST_BUF_SMALL,
	     SCST_BUF_ALIGN},
	    {&scst_buf_chunk_cache, "scst_buf_128k", SCST_BUF_CHUNK,
	     SCST_BUF_ALIGN},
	    {&scst_sg_cache, "scst_sg", SCST_SG_MAX * sizeof(struct scst_sg)},
	    {&scst_ua_cache, "scst_ua", sizeof(struct scst_ua)},
	    {&scst_slot_cache, "scst_order_slot", 64},
	    {&scst_mgmt_cache, "scst_mgmt_cmd", sizeof(struct scst_mgmt_cmd)},
	    {&scst_stub_cache, "scst_mgmt_stub", sizeof(struct scst_mgmt_stub)},
	};
	size_t i;

	for (i = 0; i < sizeof(defs) / sizeof(defs[0]); i++) {
		*defs[i].cache =
		    defs[i].align
			? scst_os_cache_create_aligned(
			      defs[i].name, defs[i].size, defs[i].align)
			: scst_os_cache_create(defs[i].name, defs[i].size);
		if (!*defs[i].cache)
			return -ENOMEM;
	}
	return 0;
}

static void scst_caches_destroy(void)
{
	struct scst_os_cache **all[] = {
	    &scst_cmd_cache,  &scst_buf_small_cache, &scst_buf_chunk_cache,
	    &scst_ua_cache,   &scst_slot_cache,	     &scst_mgmt_cache,
	    &scst_stub_cache, &scst_sg_cache,
	};
	size_t i;

	for (i = 0; i < sizeof(all) / sizeof(all[0]); i++) {
		if (!*all[i])
			continue;
		if (scst_os_cache_destroy(*all[i]))
			scst_err("scst: cache %zu still has %ld objects", i,
				 scst_os_cache_outstanding(*all[i]));
		*all[i] = NULL;
	}
}

int scst_core_init(const struct scst_core_params *p)
{
	unsigned int n = p && p->threads ? p->threads : scst_os_num_cpus();
	int rc;

	if (scst_initialized)
		return -EALREADY;
	scst_mutex_init(&scst_mutex);
	scst_res_init();
	rc = scst_caches_create();
	if (rc)
		goto out_caches;
	rc = scst_tree_init();
	if (rc)
		goto out_caches;
	rc = scst_tree_objs_init();
	if (rc)
		goto out_tree;
	rc = scst_workers_start(n);
	if (rc)
		goto out_tree;
	scst_initialized = true;
	scst_info("scst: core %s started with %u worker threads",
		  SCST_VERSION_STRING, n);
	return 0;

out_tree:
	scst_tree_objs_exit();
	scst_tree_exit();
out_caches:
	scst_caches_destroy();
	scst_res_exit();
	scst_mutex_destroy(&scst_mutex);
	return rc;
}

void scst_core_exit(void)
{
	if (!scst_initialized)
		return;
	SCST_BUG_ON(!scst_list_empty(&scst_dev_list));
	SCST_BUG_ON(!scst_list_empty(&scst_template_list));
	SCST_BUG_ON(!scst_list_empty(&scst_dev_type_list));
	scst_workers_stop();
	scst_tree_objs_exit();
	scst_tree_exit();
	scst_caches_destroy();
	scst_res_exit();
	scst_mutex_destroy(&scst_mutex);
	scst_initialized = false;
}

int scst_modules_init(const struct scst_module *const *mods, size_t n)
{
	size_t i;
	int rc;

	for (i = 0; i < n; i++) {
		rc = mods[i]->start ? mods[i]->start() : 0;
		if (rc) {
			scst_err("scst: module %s failed to start: %d",
				 mods[i]->name, rc);
			scst_modules_exit(mods, i);
			return rc;
		}
	}
	return 0;
}

void scst_modules_exit(const struct scst_module *const *mods, size_t n)
{
	while (n-- > 0)
		if (mods[n]->stop)
			mods[n]->stop();
}

/* --------------------------------------------------- registration ---- */

int scst_register_target_template(struct scst_tgt_template *t)
{
	struct scst_tgt_template *it;
	int rc = 0;

	if (!t->name || !t->xmit_response || !t->task_mgmt_fn_done)
		return -EINVAL;
	scst_mutex_lock(&scst_mutex);
	scst_list_for_each_entry (it, &scst_template_list, entry__) {
		if (strcmp(it->name, t->name) == 0) {
			rc = -EEXIST;
			goto out;
		}
	}
	scst_list_init(&t->tgt_list__);
	scst_list_add_tail(&t->entry__, &scst_template_list);
	scst_tree_add_tgtt(t);
out:
	scst_mutex_unlock(&scst_mutex);
	return rc;
}

void scst_unregister_target_template(struct scst_tgt_template *t)
{
	struct scst_tgt *tgt;

	for (;;) {
		scst_mutex_lock(&scst_mutex);
		if (scst_list_empty(&t->tgt_list__)) {
			scst_tree_del_tgtt(t);
			scst_list_del_init(&t->entry__);
			scst_mutex_unlock(&scst_mutex);
			return;
		}
		tgt = scst_list_first_entry(&t->tgt_list__, struct scst_tgt,
					    tmpl_entry);
		scst_mutex_unlock(&scst_mutex);
		scst_unregister_target(tgt);
	}
}

int scst_register_dev_driver(struct scst_dev_type *dt)
{
	struct scst_dev_type *it;
	int rc = 0;

	if (!dt->name || !dt->exec)
		return -EINVAL;
	scst_mutex_lock(&scst_mutex);
	scst_list_for_each_entry (it, &scst_dev_type_list, entry__) {
		if (strcmp(it->name, dt->name) == 0) {
			rc = -EEXIST;
			goto out;
		}
	}
	scst_list_init(&dt->dev_list__);
	scst_list_add_tail(&dt->entry__, &scst_dev_type_list);
	scst_tree_add_devt(dt);
out:
	scst_mutex_unlock(&scst_mutex);
	return rc;
}

void scst_unregister_dev_driver(struct scst_dev_type *dt)
{
	struct scst_device *dev;

	for (;;) {
		scst_mutex_lock(&scst_mutex);
		if (scst_list_empty(&dt->dev_list__)) {
			scst_tree_del_devt(dt);
			scst_list_del_init(&dt->entry__);
			scst_mutex_unlock(&scst_mutex);
			return;
		}
		dev = scst_list_first_entry(&dt->dev_list__, struct scst_device,
					    handler_entry);
		scst_mutex_unlock(&scst_mutex);
		scst_unregister_virtual_device(dev);
	}
}

/* -------------------------------------------------- control requests ---- */

static SCST_LIST_HEAD_DEF(scst_ctl_handlers);

int scst_register_ctl_handler(struct scst_ctl_handler *h)
{
	struct scst_ctl_handler *it;
	int rc = 0;

	if (!h->name || !h->handle)
		return -EINVAL;
	scst_mutex_lock(&scst_mutex);
	scst_list_for_each_entry (it, &scst_ctl_handlers, entry__)
		if (strcmp(it->name, h->name) == 0)
			rc = -EEXIST;
	if (!rc)
		scst_list_add_tail(&h->entry__, &scst_ctl_handlers);
	scst_mutex_unlock(&scst_mutex);
	return rc;
}

void scst_unregister_ctl_handler(struct scst_ctl_handler *h)
{
	scst_mutex_lock(&scst_mutex);
	scst_list_del_init(&h->entry__);
	scst_mutex_unlock(&scst_mutex);
}

/*
 * The handler runs without scst_mutex: it may block on its client. A
 * module unregisters its handlers only after the daemon stopped serving
 * requests (scstd closes the control socket before stopping modules).
 */
int scst_ctl_dispatch(const char *name, int fd, const char *args, char *reply,
		      size_t size)
{
	struct scst_ctl_handler *it, *found = NULL;

	scst_mutex_lock(&scst_mutex);
	scst_list_for_each_entry (it, &scst_ctl_handlers, entry__)
		if (strcmp(it->name, name) == 0)
			found = it;
	scst_mutex_unlock(&scst_mutex);
	if (!found)
		return -ENOENT;
	return found->handle(fd, args, reply, size);
}

/* ----------------------------------------------------------- targets ---- */

static bool scst_rel_tgt_id_used(uint16_t id, const struct scst_tgt *except)
{
	struct scst_tgt_template *t;
	struct scst_tgt *tgt;

	scst_list_for_each_entry (t, &scst_template_list, entry__)
		scst_list_for_each_entry (tgt, &t->tgt_list__, tmpl_entry)
			if (tgt != except && tgt->rel_tgt_id == id)
				return true;
	return false;
}

/* Under scst_mutex: the lowest relative target port id not in use. */
static uint16_t scst_free_rel_tgt_id(void)
{
	uint16_t id;

	for (id = 1; id && scst_rel_tgt_id_used(id, NULL); id++)
		;
	return id;
}

int scst_tgt_set_rel_tgt_id_checked(struct scst_tgt *tgt, uint16_t id)
{
	int rc = 0;

	scst_mutex_lock(&scst_mutex);
	if (scst_rel_tgt_id_used(id, tgt))
		rc = -EEXIST;
	else
		__atomic_store_n(&tgt->rel_tgt_id, id, __ATOMIC_RELAXED);
	scst_mutex_unlock(&scst_mutex);
	return rc;
}

struct scst_tgt *scst_find_target(struct scst_tgt_template *t, const char *name)
{
	struct scst_tgt *tgt, *found = NULL;

	scst_mutex_lock(&scst_mutex);
	scst_list_for_each_entry (tgt, &t->tgt_list__, tmpl_entry)
		if (strcmp(tgt->name, name) == 0)
			found = tgt;
	scst_mutex_unlock(&scst_mutex);
	return found;
}

int scst_register_target(struct scst_tgt_template *t, const char *name,
			 struct scst_tgt **out)
{
	struct scst_tgt *tgt, *it;
	int rc = -ENOMEM;

	if (!name || !*name || strchr(name, '/'))
		return -EINVAL; /* a name is a directory of the tree */
	tgt = scst_os_zalloc(sizeof(*tgt));
	if (!tgt)
		return -ENOMEM;
	tgt->name = scst_strdup(name);
	tgt->default_acg = scst_os_zalloc(sizeof(*tgt->default_acg));
	if (!tgt->name || !tgt->default_acg)
		goto out_free;
	tgt->tmpl = t;
	scst_list_init(&tgt->acg_list);
	scst_list_init(&tgt->sess_list);
	tgt->default_acg->tgt = tgt;
	scst_list_init(&tgt->default_acg->acg_dev_list);
	scst_list_init(&tgt->default_acg->acn_list);
	scst_list_init(&tgt->default_acg->sess_list);
	scst_list_init(&tgt->default_acg->tgt_entry);

	scst_mutex_lock(&scst_mutex);
	scst_list_for_each_entry (it, &t->tgt_list__, tmpl_entry) {
		if (strcmp(it->name, name) == 0) {
			scst_mutex_unlock(&scst_mutex);
			rc = -EEXIST;
			goto out_free;
		}
	}
	tgt->rel_tgt_id = scst_free_rel_tgt_id();
	scst_list_add_tail(&tgt->tmpl_entry, &t->tgt_list__);
	scst_tree_add_tgt(tgt);
	scst_dg_tgt_added(tgt); /* target group members named like it */
	scst_mutex_unlock(&scst_mutex);
	*out = tgt;
	return 0;

out_free:
	scst_os_free(tgt->default_acg);
	scst_os_free(tgt->name);
	scst_os_free(tgt);
	return rc;
}

void scst_unregister_target(struct scst_tgt *tgt)
{
	struct scst_session *sess;
	struct scst_tnode *dir;
	struct scst_acg *acg;

	/* Close the sessions one by one, waiting for each to drain. */
	for (;;) {
		scst_mutex_lock(&scst_mutex);
		if (scst_list_empty(&tgt->sess_list)) {
			scst_mutex_unlock(&scst_mutex);
			break;
		}
		sess = scst_list_first_entry(&tgt->sess_list,
					     struct scst_session, tgt_entry);
		scst_mutex_unlock(&scst_mutex);
		scst_sess_unregister_wait(sess);
	}

	/*
	 * Take the target out of the tree first and wait for the readers and
	 * writers of its nodes without holding scst_mutex: a store() under
	 * way (e.g. luns/mgmt) may be waiting for that mutex, and its object
	 * (a group) must still be there when it gets it.
	 */
	scst_mutex_lock(&scst_mutex);
	scst_list_del_init(&tgt->tmpl_entry);
	scst_dg_tgt_removed(tgt);
	dir = scst_tree_detach_tgt(tgt);
	scst_mutex_unlock(&scst_mutex);
	scst_tree_destroy_unlinked(dir);

	scst_mutex_lock(&scst_mutex);
	while (!scst_list_empty(&tgt->acg_list)) {
		acg = scst_list_first_entry(&tgt->acg_list, struct scst_acg,
					    tgt_entry);
		scst_acg_free(acg);
	}
	scst_acg_free(tgt->default_acg);
	tgt->default_acg = NULL;
	scst_mutex_unlock(&scst_mutex);
	scst_os_free(tgt->comment);
	scst_os_free(tgt->name);
	scst_os_free(tgt);
}

void scst_tgt_set_tgt_priv(struct scst_tgt *tgt, void *priv)
{
	tgt->tgt_priv = priv;
}

void *scst_tgt_get_tgt_priv(struct scst_tgt *tgt)
{
	return tgt->tgt_priv;
}

const char *scst_tgt_name(const struct scst_tgt *tgt)
{
	return tgt->name;
}

void scst_tgt_set_rel_tgt_id(struct scst_tgt *tgt, uint16_t id)
{
	tgt->rel_tgt_id = id;
}

uint16_t scst_tgt_rel_tgt_id(const struct scst_tgt *tgt)
{
	return tgt->rel_tgt_id;
}

void scst_tgt_set_addr_method(struct scst_tgt *tgt, enum scst_addr_method m)
{
	tgt->addr_method = m;
}

struct scst_acg *scst_tgt_default_acg(struct scst_tgt *tgt)
{
	return tgt->default_acg;
}

/* ----------------------------------------------------------- devices ---- */

int scst_register_virtual_device(struct scst_dev_type *dt, const char *name,
				 void *dh_priv, struct scst_device **out)
{
	struct scst_device *dev, *it;
	int rc;

	if (!name || !*name || strchr(name, '/'))
		return -EINVAL; /* a name is a directory of the tree */
	dev = scst_os_zalloc(sizeof(*dev));
	if (!dev)
		return -ENOMEM;
	dev->name = scst_strdup(name);
	if (!dev->name) {
		scst_os_free(dev);
		return -ENOMEM;
	}
	dev->handler = dt;
	dev->type = dt->type;
	dev->dh_priv = dh_priv;
	dev->block_size = 512;
	dev->tst = SCST_TST_1_SEP_TASK_SETS;
	scst_spin_init(&dev->lock);
	scst_list_init(&dev->tgt_dev_list);
	scst_list_init(&dev->inflight_list);
	scst_list_init(&dev->blocked_list);
	scst_order_set_init(&dev->shared_set);
	scst_waitq_init(&dev->unreg_wq);
	/* Reservation state; APTPL state saved for this name comes back. */
	rc = scst_pr_dev_init(dev);
	if (rc)
		goto out_free;

	scst_mutex_lock(&scst_mutex);
	scst_list_for_each_entry (it, &scst_dev_list, global_entry) {
		if (strcmp(it->name, name) == 0) {
			rc = -EEXIST;
			goto out_unlock;
		}
	}
	rc = dt->attach ? dt->attach(dev) : 0;
	if (rc)
		goto out_unlock;
	scst_list_add_tail(&dev->global_entry, &scst_dev_list);
	scst_list_add_tail(&dev->handler_entry, &dt->dev_list__);
	scst_tree_add_dev(dev);
	scst_pr_tree_add(dev);
	scst_mutex_unlock(&scst_mutex);
	*out = dev;
	return 0;

out_unlock:
	scst_mutex_unlock(&scst_mutex);
	scst_pr_dev_exit(dev);
out_free:
	scst_waitq_destroy(&dev->unreg_wq);
	scst_order_set_destroy(&dev->shared_set);
	scst_spin_destroy(&dev->lock);
	scst_os_free(dev->name);
	scst_os_free(dev);
	return rc;
}

static bool scst_dev_no_tgt_devs(void *arg)
{
	struct scst_device *dev = arg;
	bool empty;

	scst_spin_lock(&dev->lock);
	empty = scst_list_empty(&dev->tgt_dev_list);
	scst_spin_unlock(&dev->lock);
	return empty;
}

void scst_unregister_virtual_device(struct scst_device *dev)
{
	scst_mutex_lock(&scst_mutex);
	dev->unregistering = true;
	scst_unmap_dev_all(dev);
	scst_dg_dev_removed(dev);
	scst_tree_del_dev(dev);
	scst_list_del_init(&dev->global_entry);
	scst_list_del_init(&dev->handler_entry);
	scst_mutex_unlock(&scst_mutex);

	/* Commands still running hold their nexus; wait for the last one. */
	scst_wait_event(&dev->unreg_wq, scst_dev_no_tgt_devs, dev);

	if (dev->handler->detach)
		dev->handler->detach(dev);
	scst_pr_dev_exit(dev);
	scst_waitq_destroy(&dev->unreg_wq);
	scst_order_set_destroy(&dev->shared_set);
	scst_spin_destroy(&dev->lock);
	scst_os_free(dev->name);
	scst_os_free(dev);
}

struct scst_device *scst_find_device_locked(const char *name)
{
	struct scst_device *dev;

	scst_list_for_each_entry (dev, &scst_dev_list, global_entry)
		if (strcmp(dev->name, name) == 0)
			return dev;
	return NULL;
}

struct scst_device *scst_find_device(const char *name)
{
	struct scst_device *dev;

	scst_mutex_lock(&scst_mutex);
	dev = scst_find_device_locked(name);
	scst_mutex_unlock(&scst_mutex);
	return dev;
}

bool scst_dev_is_exported(struct scst_device *dev)
{
	bool exported;

	scst_mutex_lock(&scst_mutex);
	exported = dev->exported != 0;
	scst_mutex_unlock(&scst_mutex);
	return exported;
}

void *scst_dev_get_dh_priv(const struct scst_device *dev)
{
	return dev->dh_priv;
}

const char *scst_dev_name(const struct scst_device *dev)
{
	return dev->name;
}

const char *scst_dev_handler_name(const struct scst_device *dev)
{
	return dev->handler->name;
}

uint8_t scst_dev_type(const struct scst_device *dev)
{
	return dev->type;
}

void scst_dev_set_block_size(struct scst_device *dev, uint32_t bs)
{
	dev->block_size = bs;
}

uint32_t scst_dev_block_size(const struct scst_device *dev)
{
	return dev->block_size;
}

void scst_dev_set_tst(struct scst_device *dev, int tst)
{
	dev->tst = tst;
}

int scst_dev_tst(const struct scst_device *dev)
{
	return dev->tst;
}

void scst_dev_set_tas(struct scst_device *dev, bool tas)
{
	dev->tas = tas;
}

void scst_dev_set_d_sense(struct scst_device *dev, bool d_sense)
{
	dev->d_sense = d_sense;
}

bool scst_dev_d_sense(const struct scst_device *dev)
{
	return dev->d_sense;
}
