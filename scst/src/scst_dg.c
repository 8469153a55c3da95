// SPDX-License-Identifier: GPL-2.0-only
/*
 * Device groups and target port groups (the ALUA configuration of SCST):
 *
 *   device_groups/mgmt                 create DG | del DG
 *   device_groups/<dg>/devices/mgmt    add DEV | del DEV
 *   device_groups/<dg>/devices/<dev> -> ../../../devices/<dev>
 *   device_groups/<dg>/target_groups/mgmt    create TG | del TG
 *   device_groups/<dg>/target_groups/<tg>/{group_id, state, preferred, mgmt}
 *   device_groups/<dg>/target_groups/<tg>/mgmt   add TARGET | del TARGET
 *   device_groups/<dg>/target_groups/<tg>/<target>/rel_tgt_id
 *
 * A device belongs to at most one device group; a target to at most one
 * target group of a device group. Target group members are named, so a
 * target of the other node of a cluster (not present here) can be listed
 * with its relative target port identifier. The SCSI side (REPORT TARGET
 * PORT GROUPS, access states: scst_alua.c) reads these objects.
 *
 * Everything here runs under scst_mutex; list changes also hold the write
 * side of scst_dg_lock for the readers on the command path. Every change
 * that alters what REPORT TARGET PORT GROUPS returns raises ASYMMETRIC
 * ACCESS STATE CHANGED on every nexus of the group's devices; adding or
 * removing a device also raises INQUIRY DATA HAS CHANGED on its nexuses
 * (its TPGS field and device identification page change).
 */
#include "scst_priv.h"

struct scst_rwlock scst_dg_lock;
static SCST_LIST_HEAD_DEF(scst_dev_groups);
static struct scst_tnode *scst_dg_dir;

static const char *const scst_tg_state_names[] = {
    [SCST_TG_STATE_OPTIMIZED] = "active",
    [SCST_TG_STATE_NONOPTIMIZED] = "nonoptimized",
    [SCST_TG_STATE_STANDBY] = "standby",
    [SCST_TG_STATE_UNAVAILABLE] = "unavailable",
    [SCST_TG_STATE_OFFLINE] = "offline",
    [SCST_TG_STATE_TRANSITIONING] = "transitioning",
};

static struct scst_dev_group *scst_dg_find(const char *name)
{
	struct scst_dev_group *dg;

	scst_list_for_each_entry (dg, &scst_dev_groups, entry)
		if (strcmp(dg->name, name) == 0)
			return dg;
	return NULL;
}

struct scst_dev_group *scst_dg_of_dev(struct scst_device *dev)
{
	struct scst_dev_group *dg;
	struct scst_dg_dev *dd;

	scst_list_for_each_entry (dg, &scst_dev_groups, entry)
		scst_list_for_each_entry (dd, &dg->devs, entry)
			if (dd->dev == dev)
				return dg;
	return NULL;
}

static struct scst_target_group *scst_tg_find(struct scst_dev_group *dg,
					      const char *name)
{
	struct scst_target_group *tg;

	scst_list_for_each_entry (tg, &dg->tgs, entry)
		if (strcmp(tg->name, name) == 0)
			return tg;
	return NULL;
}

static struct scst_tg_tgt *scst_tg_find_tgt(struct scst_dev_group *dg,
					    const char *name)
{
	struct scst_target_group *tg;
	struct scst_tg_tgt *tt;

	scst_list_for_each_entry (tg, &dg->tgs, entry)
		scst_list_for_each_entry (tt, &tg->tgts, entry)
			if (strcmp(tt->name, name) == 0)
				return tt;
	return NULL;
}

/*
 * "VERB NAME": the shape of every mgmt command here. @usage names the
 * verbs for the error message; names may not contain '/'.
 */
static int scst_dg_cmd_words(const char *cmd, char *verb, size_t vsz,
			     char *name, size_t nsz, const char *usage,
			     const char *what, struct scst_mgmt_res *res)
{
	const char *p = cmd;

	if (scst_next_word(&p, verb, vsz) <= 0 ||
	    scst_next_word(&p, name, nsz) <= 0)
		return scst_mgmt_res_set(res, -EINVAL, "usage: %s", usage);
	if (strchr(name, '/'))
		return scst_mgmt_res_set(res, -EINVAL,
					 "a %s name cannot contain '/'", what);
	return 0;
}

/* --------------------------------------------------------- attributes ---- */

static int scst_tg_group_id_show(void *obj, char *buf, size_t size)
{
	struct scst_target_group *tg = obj;

	return scst_snprintf(buf, size, "%u\n",
			     __atomic_load_n(&tg->group_id, __ATOMIC_RELAXED));
}

static int scst_tg_group_id_store(void *obj, const char *val,
				  struct scst_mgmt_res *res)
{
	struct scst_target_group *tg = obj, *it;
	uint64_t v;
	int rc = 0;

	if (scst_parse_u64(val, 0xffff, &v))
		return scst_mgmt_res_set(
		    res, -EINVAL, "group_id: '%s' is not 1 to 65535", val);
	if (v == __atomic_load_n(&tg->group_id, __ATOMIC_RELAXED))
		return 0; /* writing back what it shows (also 0: unset) */
	if (v == 0)
		return scst_mgmt_res_set(
		    res, -EINVAL, "group_id: '%s' is not 1 to 65535", val);
	scst_mutex_lock(&scst_mutex);
	scst_list_for_each_entry (it, &tg->dg->tgs, entry)
		if (it != tg && it->group_id == v)
			rc = scst_mgmt_res_set(res, -EEXIST,
					       "group_id %llu is used by %s",
					       (unsigned long long)v, it->name);
	if (!rc) {
		__atomic_store_n(&tg->group_id, (uint16_t)v, __ATOMIC_RELAXED);
		scst_alua_dg_changed(tg->dg, true);
	}
	scst_mutex_unlock(&scst_mutex);
	return rc;
}

static bool scst_tg_group_id_is_key(void *obj)
{
	struct scst_target_group *tg = obj;

	return __atomic_load_n(&tg->group_id, __ATOMIC_RELAXED) != 0;
}

static int scst_tg_state_show(void *obj, char *buf, size_t size)
{
	struct scst_target_group *tg = obj;

	return scst_snprintf(
	    buf, size, "%s\n",
	    scst_tg_state_names[__atomic_load_n(&tg->state, __ATOMIC_RELAXED)]);
}

static int scst_tg_state_store(void *obj, const char *val,
			       struct scst_mgmt_res *res)
{
	struct scst_target_group *tg = obj;
	unsigned int i;

	for (i = 0; i < SCST_TG_STATE_COUNT; i++) {
		if (strcmp(val, scst_tg_state_names[i]) == 0) {
			scst_mutex_lock(&scst_mutex);
			scst_tg_set_state(tg, (enum scst_tg_state)i);
			scst_mutex_unlock(&scst_mutex);
			return 0;
		}
	}
	return scst_mgmt_res_set(res, -EINVAL,
				 "state: '%s' is not one of active, "
				 "nonoptimized, standby, unavailable, offline, "
				 "transitioning",
				 val);
}

static bool scst_tg_state_is_key(void *obj)
{
	struct scst_target_group *tg = obj;

	return __atomic_load_n(&tg->state, __ATOMIC_RELAXED) !=
	       SCST_TG_STATE_OPTIMIZED;
}

static int scst_tg_preferred_show(void *obj, char *buf, size_t size)
{
	struct scst_target_group *tg = obj;

	return scst_snprintf(buf, size, "%d\n",
			     __atomic_load_n(&tg->preferred, __ATOMIC_RELAXED));
}

static int scst_tg_preferred_store(void *obj, const char *val,
				   struct scst_mgmt_res *res)
{
	struct scst_target_group *tg = obj;
	bool v;

	if (scst_parse_bool(val, &v))
		return scst_mgmt_res_set(res, -EINVAL,
					 "preferred: '%s' is not 0 or 1", val);
	scst_mutex_lock(&scst_mutex);
	if (v != __atomic_load_n(&tg->preferred, __ATOMIC_RELAXED)) {
		__atomic_store_n(&tg->preferred, v, __ATOMIC_RELAXED);
		/* The PREF bit of REPORT TARGET PORT GROUPS changed. */
		scst_alua_dg_changed(tg->dg, true);
	}
	scst_mutex_unlock(&scst_mutex);
	return 0;
}

static bool scst_tg_preferred_is_key(void *obj)
{
	struct scst_target_group *tg = obj;

	return __atomic_load_n(&tg->preferred, __ATOMIC_RELAXED);
}

static int scst_tt_rel_tgt_id_show(void *obj, char *buf, size_t size)
{
	struct scst_tg_tgt *tt = obj;

	return scst_snprintf(
	    buf, size, "%u\n",
	    __atomic_load_n(&tt->rel_tgt_id, __ATOMIC_RELAXED));
}

static int scst_tt_rel_tgt_id_store(void *obj, const char *val,
				    struct scst_mgmt_res *res)
{
	struct scst_tg_tgt *tt = obj;
	uint64_t v;

	if (scst_parse_u64(val, 0xffff, &v))
		return scst_mgmt_res_set(
		    res, -EINVAL, "rel_tgt_id: '%s' is not 0 to 65535", val);
	scst_mutex_lock(&scst_mutex);
	if (v != __atomic_load_n(&tt->rel_tgt_id, __ATOMIC_RELAXED)) {
		__atomic_store_n(&tt->rel_tgt_id, (uint16_t)v,
				 __ATOMIC_RELAXED);
		scst_alua_dg_changed(tt->tg->dg, true);
	}
	scst_mutex_unlock(&scst_mutex);
	return 0;
}

static bool scst_tt_rel_tgt_id_is_key(void *obj)
{
	struct scst_tg_tgt *tt = obj;

	return __atomic_load_n(&tt->rel_tgt_id, __ATOMIC_RELAXED) != 0;
}

static const struct scst_attr scst_tg_attrs[] = {
    {.name = "group_id",
     .mode = 0644,
     .show = scst_tg_group_id_show,
     .store = scst_tg_group_id_store,
     .is_key = scst_tg_group_id_is_key},
    {.name = "state",
     .mode = 0644,
     .show = scst_tg_state_show,
     .store = scst_tg_state_store,
     .is_key = scst_tg_state_is_key},
    {.name = "preferred",
     .mode = 0644,
     .show = scst_tg_preferred_show,
     .store = scst_tg_preferred_store,
     .is_key = scst_tg_preferred_is_key},
};

static const struct scst_attr scst_tt_rel_tgt_id_attr = {
    .name = "rel_tgt_id",
    .mode = 0644,
    .show = scst_tt_rel_tgt_id_show,
    .store = scst_tt_rel_tgt_id_store,
    .is_key = scst_tt_rel_tgt_id_is_key,
};

/* ------------------------------------------------- target groups ---- */

/* Under scst_mutex: the registered target called @name, or NULL. */
static struct scst_tgt *scst_dg_find_local_tgt(const char *name)
{
	struct scst_tgt_template *t;
	struct scst_tgt *tgt;

	scst_list_for_each_entry (t, &scst_template_list, entry__)
		scst_list_for_each_entry (tgt, &t->tgt_list__, tmpl_entry)
			if (strcmp(tgt->name, name) == 0)
				return tgt;
	return NULL;
}

static int scst_tg_add_tgt(struct scst_target_group *tg, const char *name,
			   struct scst_mgmt_res *res)
{
	struct scst_tg_tgt *tt;

	if (strchr(name, '/'))
		return scst_mgmt_res_set(res, -EINVAL,
					 "a target name cannot contain '/'");
	if (scst_tg_find_tgt(tg->dg, name))
		return scst_mgmt_res_set(res, -EEXIST,
					 "target %s is already in a target "
					 "group of %s",
					 name, tg->dg->name);
	tt = scst_os_zalloc(sizeof(*tt));
	if (!tt || !(tt->name = scst_strdup(name))) {
		scst_os_free(tt);
		return -ENOMEM;
	}
	tt->tg = tg;
	scst_write_lock(&scst_dg_lock);
	tt->tgt = scst_dg_find_local_tgt(name);
	scst_list_add_tail(&tt->entry, &tg->tgts);
	scst_write_unlock(&scst_dg_lock);
	tt->tree_dir = scst_tree_mkdir(tg->tree_dir, name);
	if (tt->tree_dir)
		scst_tree_add_attr(tt->tree_dir, &scst_tt_rel_tgt_id_attr, tt);
	scst_alua_dg_changed(tg->dg, true);
	return 0;
}

/* The caller reports the change (scst_alua_dg_changed). */
static void scst_tg_del_tgt(struct scst_tg_tgt *tt)
{
	scst_tree_remove(tt->tree_dir);
	scst_write_lock(&scst_dg_lock);
	scst_list_del_init(&tt->entry);
	scst_write_unlock(&scst_dg_lock);
	scst_os_free(tt->name);
	scst_os_free(tt);
}

static int scst_tg_mgmt_store(void *obj, const char *cmd,
			      struct scst_mgmt_res *res)
{
	struct scst_target_group *tg = obj;
	char verb[16], name[256];
	struct scst_tg_tgt *tt;
	int rc;

	rc = scst_dg_cmd_words(cmd, verb, sizeof(verb), name, sizeof(name),
			       "add TARGET | del TARGET", "target", res);
	if (rc)
		return rc;
	scst_mutex_lock(&scst_mutex);
	if (strcmp(verb, "add") == 0) {
		rc = scst_tg_add_tgt(tg, name, res);
	} else if (strcmp(verb, "del") == 0) {
		tt = scst_tg_find_tgt(tg->dg, name);
		if (tt && tt->tg == tg) {
			scst_tg_del_tgt(tt);
			scst_alua_dg_changed(tg->dg, true);
			rc = 0;
		} else {
			rc = scst_mgmt_res_set(res, -ENOENT,
					       "target %s is not in group %s",
					       name, tg->name);
		}
	} else {
		rc = scst_mgmt_res_set(res, -EINVAL,
				       "unknown command '%s' (add, del)", verb);
	}
	scst_mutex_unlock(&scst_mutex);
	return rc;
}

static int scst_tg_mgmt_show(void *obj, char *buf, size_t size)
{
	(void)obj;
	return scst_snprintf(buf, size,
			     "Usage: echo \"add TARGET\" >mgmt\n"
			     "       echo \"del TARGET\" >mgmt\n");
}

static const struct scst_attr scst_tg_mgmt_attr = {
    .name = "mgmt",
    .mode = 0644,
    .show = scst_tg_mgmt_show,
    .store = scst_tg_mgmt_store,
};

static void scst_tg_free(struct scst_target_group *tg)
{
	struct scst_tg_tgt *tt;

	while (!scst_list_empty(&tg->tgts)) {
		tt =
		    scst_list_first_entry(&tg->tgts, struct scst_tg_tgt, entry);
		scst_tg_del_tgt(tt);
	}
	scst_tree_remove(tg->tree_dir);
	scst_write_lock(&scst_dg_lock);
	scst_list_del_init(&tg->entry);
	scst_write_unlock(&scst_dg_lock);
	scst_os_free(tg->name);
	scst_os_free(tg);
}

static int scst_tgs_mgmt_store(void *obj, const char *cmd,
			       struct scst_mgmt_res *res)
{
	struct scst_dev_group *dg = obj;
	struct scst_target_group *tg;
	char verb[16], name[256];
	unsigned int i;
	int rc;

	rc = scst_dg_cmd_words(cmd, verb, sizeof(verb), name, sizeof(name),
			       "create GROUP | del GROUP", "group", res);
	if (rc)
		return rc;
	scst_mutex_lock(&scst_mutex);
	tg = scst_tg_find(dg, name);
	if (strcmp(verb, "create") == 0) {
		if (tg) {
			rc = scst_mgmt_res_set(res, -EEXIST,
					       "target group %s exists", name);
			goto out;
		}
		tg = scst_os_zalloc(sizeof(*tg));
		if (!tg || !(tg->name = scst_strdup(name))) {
			scst_os_free(tg);
			rc = -ENOMEM;
			goto out;
		}
		tg->dg = dg;
		tg->state = SCST_TG_STATE_OPTIMIZED;
		scst_list_init(&tg->tgts);
		scst_write_lock(&scst_dg_lock);
		scst_list_add_tail(&tg->entry, &dg->tgs);
		scst_write_unlock(&scst_dg_lock);
		tg->tree_dir = scst_tree_mkdir(dg->tree_tgs, name);
		for (i = 0; tg->tree_dir && i < sizeof(scst_tg_attrs) /
						    sizeof(scst_tg_attrs[0]);
		     i++)
			scst_tree_add_attr(tg->tree_dir, &scst_tg_attrs[i], tg);
		if (tg->tree_dir)
			scst_tree_add_attr(tg->tree_dir, &scst_tg_mgmt_attr,
					   tg);
		scst_alua_dg_changed(dg, true);
	} else if (strcmp(verb, "del") == 0) {
		if (!tg) {
			rc = scst_mgmt_res_set(res, -ENOENT,
					       "no target group %s", name);
		} else {
			scst_tg_free(tg);
			scst_alua_dg_changed(dg, true);
		}
	} else {
		rc = scst_mgmt_res_set(
		    res, -EINVAL, "unknown command '%s' (create, del)", verb);
	}
out:
	scst_mutex_unlock(&scst_mutex);
	return rc;
}

/* ------------------------------------------------- device groups ---- */

/* The device's nexuses return to no ALUA, and learn of it. */
static void scst_dg_del_dev(struct scst_dev_group *dg, struct scst_dg_dev *dd)
{
	struct scst_device *dev = dd->dev;

	scst_tree_remove_entry(dg->tree_devs, dev->name);
	scst_write_lock(&scst_dg_lock);
	scst_list_del_init(&dd->entry);
	scst_write_unlock(&scst_dg_lock);
	scst_os_free(dd);
	scst_dev_set_ua(dev,
			SCST_LOAD_SENSE(scst_sense_inquiry_data_changed_UA));
	scst_alua_dev_changed(dev, true);
}

static int scst_dg_devs_mgmt_store(void *obj, const char *cmd,
				   struct scst_mgmt_res *res)
{
	struct scst_dev_group *dg = obj, *other;
	struct scst_device *dev;
	struct scst_dg_dev *dd;
	char verb[16], name[256];
	int rc;

	rc = scst_dg_cmd_words(cmd, verb, sizeof(verb), name, sizeof(name),
			       "add DEVICE | del DEVICE", "device", res);
	if (rc)
		return rc;
	scst_mutex_lock(&scst_mutex);
	dev = scst_find_device_locked(name);
	if (!dev) {
		rc = scst_mgmt_res_set(res, -ENOENT, "no device %s", name);
		goto out;
	}
	other = scst_dg_of_dev(dev);
	if (strcmp(verb, "add") == 0) {
		if (other) {
			rc = scst_mgmt_res_set(res, -EEXIST,
					       "device %s is already in device "
					       "group %s",
					       name, other->name);
			goto out;
		}
		dd = scst_os_zalloc(sizeof(*dd));
		if (!dd) {
			rc = -ENOMEM;
			goto out;
		}
		dd->dev = dev;
		scst_write_lock(&scst_dg_lock);
		scst_list_add_tail(&dd->entry, &dg->devs);
		scst_write_unlock(&scst_dg_lock);
		if (dev->tree_dir)
			scst_tree_symlink(dg->tree_devs, name, dev->tree_dir);
		/* TPGS and VPD 83 change; the access state may too. */
		scst_dev_set_ua(
		    dev, SCST_LOAD_SENSE(scst_sense_inquiry_data_changed_UA));
		scst_alua_dev_changed(dev, true);
	} else if (strcmp(verb, "del") == 0) {
		if (other != dg) {
			rc = scst_mgmt_res_set(res, -ENOENT,
					       "device %s is not in group %s",
					       name, dg->name);
			goto out;
		}
		scst_list_for_each_entry (dd, &dg->devs, entry)
			if (dd->dev == dev)
				break;
		scst_dg_del_dev(dg, dd);
	} else {
		rc = scst_mgmt_res_set(res, -EINVAL,
				       "unknown command '%s' (add, del)", verb);
	}
out:
	scst_mutex_unlock(&scst_mutex);
	return rc;
}

static int scst_add_del_show(void *obj, char *buf, size_t size)
{
	(void)obj;
	return scst_snprintf(buf, size,
			     "Usage: echo \"add NAME\" >mgmt\n"
			     "       echo \"del NAME\" >mgmt\n");
}

static int scst_create_del_show(void *obj, char *buf, size_t size)
{
	(void)obj;
	return scst_snprintf(buf, size,
			     "Usage: echo \"create NAME\" >mgmt\n"
			     "       echo \"del NAME\" >mgmt\n");
}

static const struct scst_attr scst_dg_devs_mgmt_attr = {
    .name = "mgmt",
    .mode = 0644,
    .show = scst_add_del_show,
    .store = scst_dg_devs_mgmt_store,
};
static const struct scst_attr scst_tgs_mgmt_attr = {
    .name = "mgmt",
    .mode = 0644,
    .show = scst_create_del_show,
    .store = scst_tgs_mgmt_store,
};

static void scst_dg_free(struct scst_dev_group *dg)
{
	struct scst_target_group *tg;
	struct scst_dg_dev *dd;

	while (!scst_list_empty(&dg->tgs)) {
		tg = scst_list_first_entry(&dg->tgs, struct scst_target_group,
					   entry);
		scst_tg_free(tg);
	}
	while (!scst_list_empty(&dg->devs)) {
		dd =
		    scst_list_first_entry(&dg->devs, struct scst_dg_dev, entry);
		scst_dg_del_dev(dg, dd);
	}
	scst_tree_remove(dg->tree_dir);
	scst_write_lock(&scst_dg_lock);
	scst_list_del_init(&dg->entry);
	scst_write_unlock(&scst_dg_lock);
	scst_os_free(dg->name);
	scst_os_free(dg);
}

static int scst_dgs_mgmt_store(void *obj, const char *cmd,
			       struct scst_mgmt_res *res)
{
	struct scst_dev_group *dg;
	char verb[16], name[256];
	int rc;

	(void)obj;
	rc = scst_dg_cmd_words(cmd, verb, sizeof(verb), name, sizeof(name),
			       "create GROUP | del GROUP", "group", res);
	if (rc)
		return rc;
	scst_mutex_lock(&scst_mutex);
	dg = scst_dg_find(name);
	if (strcmp(verb, "create") == 0) {
		if (dg) {
			rc = scst_mgmt_res_set(res, -EEXIST,
					       "device group %s exists", name);
			goto out;
		}
		dg = scst_os_zalloc(sizeof(*dg));
		if (!dg || !(dg->name = scst_strdup(name))) {
			scst_os_free(dg);
			rc = -ENOMEM;
			goto out;
		}
		scst_list_init(&dg->devs);
		scst_list_init(&dg->tgs);
		scst_write_lock(&scst_dg_lock);
		scst_list_add_tail(&dg->entry, &scst_dev_groups);
		scst_write_unlock(&scst_dg_lock);
		dg->tree_dir = scst_tree_mkdir(scst_dg_dir, name);
		dg->tree_devs = scst_tree_mkdir(dg->tree_dir, "devices");
		dg->tree_tgs = scst_tree_mkdir(dg->tree_dir, "target_groups");
		if (dg->tree_devs)
			scst_tree_add_attr(dg->tree_devs,
					   &scst_dg_devs_mgmt_attr, dg);
		if (dg->tree_tgs)
			scst_tree_add_attr(dg->tree_tgs, &scst_tgs_mgmt_attr,
					   dg);
	} else if (strcmp(verb, "del") == 0) {
		if (!dg)
			rc = scst_mgmt_res_set(res, -ENOENT,
					       "no device group %s", name);
		else
			scst_dg_free(dg);
	} else {
		rc = scst_mgmt_res_set(
		    res, -EINVAL, "unknown command '%s' (create, del)", verb);
	}
out:
	scst_mutex_unlock(&scst_mutex);
	return rc;
}

static const struct scst_attr scst_dgs_mgmt_attr = {
    .name = "mgmt",
    .mode = 0644,
    .show = scst_create_del_show,
    .store = scst_dgs_mgmt_store,
};

/* ------------------------------------------------------ the core side ---- */

void scst_tg_set_state(struct scst_target_group *tg, enum scst_tg_state st)
{
	if (__atomic_load_n(&tg->state, __ATOMIC_RELAXED) == st)
		return;
	__atomic_store_n(&tg->state, st, __ATOMIC_RELAXED);
	__atomic_store_n(&tg->status, SCST_TG_STATUS_IMPLICIT,
			 __ATOMIC_RELAXED);
	scst_alua_dg_changed(tg->dg, true);
}

/* Bind the members called like @tgt to it, or unbind them from it. */
static void scst_dg_bind_tgt(struct scst_tgt *tgt, bool add)
{
	struct scst_target_group *tg;
	struct scst_dev_group *dg;
	struct scst_tg_tgt *tt;

	scst_list_for_each_entry (dg, &scst_dev_groups, entry) {
		bool changed = false;

		scst_list_for_each_entry (tg, &dg->tgs, entry) {
			scst_list_for_each_entry (tt, &tg->tgts, entry) {
				if (add ? tt->tgt || strcmp(tt->name, tgt->name)
					: tt->tgt != tgt)
					continue;
				scst_write_lock(&scst_dg_lock);
				tt->tgt = add ? tgt : NULL;
				scst_write_unlock(&scst_dg_lock);
				changed = true;
			}
		}
		/* A new target has no nexus yet; its group's data changed. */
		if (changed)
			scst_alua_dg_changed(dg, true);
	}
}

void scst_dg_tgt_added(struct scst_tgt *tgt)
{
	scst_dg_bind_tgt(tgt, true);
}

void scst_dg_tgt_removed(struct scst_tgt *tgt)
{
	scst_dg_bind_tgt(tgt, false);
}

/* Under scst_mutex: a device on its way out leaves its device group. */
void scst_dg_dev_removed(struct scst_device *dev)
{
	struct scst_dev_group *dg = scst_dg_of_dev(dev);
	struct scst_dg_dev *dd;

	if (!dg)
		return;
	scst_list_for_each_entry (dd, &dg->devs, entry) {
		if (dd->dev == dev) {
			scst_dg_del_dev(dg, dd);
			return;
		}
	}
}

int scst_dg_tree_init(struct scst_tnode *root)
{
	scst_rwlock_init(&scst_dg_lock);
	scst_dg_dir = scst_tree_mkdir(root, "device_groups");
	if (!scst_dg_dir)
		return -ENOMEM;
	return scst_tree_add_attr(scst_dg_dir, &scst_dgs_mgmt_attr, NULL);
}

void scst_dg_tree_exit(void)
{
	struct scst_dev_group *dg;

	scst_mutex_lock(&scst_mutex);
	while (!scst_list_empty(&scst_dev_groups)) {
		dg = scst_list_first_entry(&scst_dev_groups,
					   struct scst_dev_group, entry);
		scst_dg_free(dg);
	}
	scst_mutex_unlock(&scst_mutex);
	scst_dg_dir = NULL;
	scst_rwlock_destroy(&scst_dg_lock);
}
