// SPDX-License-Identifier: GPL-2.0-only
/*
 * The standard layout of the configuration tree (SCST's sysfs paths), kept
 * in step with the core's objects: each registration adds its directory,
 * attributes and links, each removal takes them away.
 *
 *   version setup_id threads trace_level last_sysfs_mgmt_res
 *   handlers/<h>/{mgmt, type, <h attrs>, <dev> -> ../../devices/<dev>}
 *   devices/<dev>/{handler -> ../../handlers/<h>, type, exported/, <attrs>}
 *   targets/<drv>/{mgmt, <drv attrs>, <tgt>/}
 *   targets/<drv>/<tgt>/{enabled, rel_tgt_id, addr_method, comment, <attrs>,
 *       luns/{mgmt, <n>/{device, read_only}},
 *       ini_groups/{mgmt, <g>/{luns/..., initiators/{mgmt, <names>}}},
 *       sessions/<name>/{initiator_name, commands, active_commands,
 *                        read_io_count_kb, write_io_count_kb, luns,
 *                        force_close}}
 *
 * show() callbacks here take no core mutex (see scst_tree.h); strings that
 * a store() may replace are read under scst_attr_lock.
 */
#include "scst_priv.h"

static struct scst_tnode *scst_handlers_dir, *scst_devices_dir,
    *scst_targets_dir;
static struct scst_spinlock scst_attr_lock;
static uint32_t scst_setup_id;

static void scst_tree_warn(int rc, const char *what, const char *name)
{
	if (rc)
		scst_warn("scst: config tree: cannot add %s %s: %d", what, name,
			  rc);
}

/* --------------------------------------------------------------- root ---- */

static int scst_version_show(void *obj, char *buf, size_t size)
{
	(void)obj;
	return scst_snprintf(buf, size, "%s\n", SCST_VERSION_STRING);
}

static int scst_setup_id_show(void *obj, char *buf, size_t size)
{
	(void)obj;
	return scst_snprintf(buf, size, "0x%x\n",
			     __atomic_load_n(&scst_setup_id, __ATOMIC_RELAXED));
}

static int scst_setup_id_store(void *obj, const char *val,
			       struct scst_mgmt_res *res)
{
	uint64_t v;

	(void)obj;
	if (scst_parse_u64(val, 0xffffffffu, &v))
		return scst_mgmt_res_set(
		    res, -EINVAL, "setup_id: '%s' is not a 32-bit number", val);
	__atomic_store_n(&scst_setup_id, (uint32_t)v, __ATOMIC_RELAXED);
	return 0;
}

static bool scst_setup_id_is_key(void *obj)
{
	(void)obj;
	return __atomic_load_n(&scst_setup_id, __ATOMIC_RELAXED) != 0;
}

static int scst_threads_show(void *obj, char *buf, size_t size)
{
	(void)obj;
	return scst_snprintf(buf, size, "%u\n", scst_workers_count());
}

static const char *const scst_level_names[] = {"err", "warn", "info", "debug"};

static int scst_trace_level_show(void *obj, char *buf, size_t size)
{
	(void)obj;
	return scst_snprintf(buf, size, "%s\n",
			     scst_level_names[scst_log_get_level()]);
}

static int scst_trace_level_store(void *obj, const char *val,
				  struct scst_mgmt_res *res)
{
	unsigned int i;

	(void)obj;
	if (strcmp(val, "default") == 0)
		val = "info";
	else if (strcmp(val, "none") == 0)
		val = "err";
	else if (strcmp(val, "all") == 0)
		val = "debug";
	for (i = 0; i < 4; i++) {
		if (strcmp(val, scst_level_names[i]) == 0) {
			scst_log_set_level((enum scst_log_level)i);
			return 0;
		}
	}
	return scst_mgmt_res_set(res, -EINVAL,
				 "trace_level: '%s' is not one of err, warn, "
				 "info, debug, default, none, all",
				 val);
}

static bool scst_trace_level_is_key(void *obj)
{
	(void)obj;
	return scst_log_get_level() != SCST_LOG_INFO;
}

static const struct scst_attr scst_version_attr = {
    .name = "version",
    .mode = 0444,
    .show = scst_version_show,
};
static const struct scst_attr scst_setup_id_attr = {
    .name = "setup_id",
    .mode = 0644,
    .show = scst_setup_id_show,
    .store = scst_setup_id_store,
    .is_key = scst_setup_id_is_key,
};
static const struct scst_attr scst_threads_attr = {
    .name = "threads",
    .mode = 0444,
    .show = scst_threads_show,
};
static const struct scst_attr scst_trace_level_attr = {
    .name = "trace_level",
    .mode = 0644,
    .show = scst_trace_level_show,
    .store = scst_trace_level_store,
    .is_key = scst_trace_level_is_key,
};
static const struct scst_attr *const scst_root_attrs[] = {
    &scst_version_attr,	    &scst_setup_id_attr, &scst_threads_attr,
    &scst_trace_level_attr, &scst_last_res_attr, NULL,
};

/* ------------------------------------------------------- usage texts ---- */

/* Append "The following <what> available: a, b, c" for a name list. */
static int scst_show_names(char *buf, size_t size, int len, const char *what,
			   const char *const *names)
{
	unsigned int i;

	if (!names || !names[0] || len < 0 || (size_t)len >= size)
		return len;
	len += scst_snprintf(buf + len, size - (size_t)len,
			     "The following %s available: ", what);
	for (i = 0; names[i] && (size_t)len < size; i++)
		len += scst_snprintf(buf + len, size - (size_t)len, "%s%s",
				     i ? ", " : "", names[i]);
	if ((size_t)len < size)
		len += scst_snprintf(buf + len, size - (size_t)len, "\n");
	return (size_t)len < size ? len : (int)size - 1;
}

static int scst_devt_mgmt_show(void *obj, char *buf, size_t size)
{
	struct scst_dev_type *dt = obj;
	int len = 0;

	if (dt->add_device)
		len = scst_snprintf(
		    buf, size,
		    "Usage: echo \"add_device NAME [PARAM=VALUE; ...]\" >mgmt\n"
		    "       echo \"del_device NAME\" >mgmt\n");
	len = scst_show_names(buf, size, len, "parameters",
			      dt->add_device_params);
	if (dt->mgmt_help && (size_t)len < size)
		len += scst_snprintf(buf + len, size - (size_t)len, "%s",
				     dt->mgmt_help);
	return (size_t)len < size ? len : (int)size - 1;
}

static int scst_tgtt_mgmt_show(void *obj, char *buf, size_t size)
{
	struct scst_tgt_template *t = obj;
	int len = 0;

	if (t->add_target)
		len = scst_snprintf(
		    buf, size,
		    "Usage: echo \"add_target NAME [PARAM=VALUE; ...]\" >mgmt\n"
		    "       echo \"del_target NAME\" >mgmt\n");
	len = scst_show_names(buf, size, len, "target parameters",
			      t->add_target_params);
	if (t->mgmt_help && (size_t)len < size)
		len += scst_snprintf(buf + len, size - (size_t)len, "%s",
				     t->mgmt_help);
	return (size_t)len < size ? len : (int)size - 1;
}

static int scst_luns_mgmt_show(void *obj, char *buf, size_t size)
{
	(void)obj;
	return scst_snprintf(
	    buf, size,
	    "Usage: echo \"add DEVICE LUN [read_only=1]\" >mgmt\n"
	    "       echo \"del LUN\" >mgmt\n"
	    "       echo \"replace DEVICE LUN [read_only=1]\" >mgmt\n"
	    "       echo \"clear\" >mgmt\n");
}

static int scst_groups_mgmt_show(void *obj, char *buf, size_t size)
{
	(void)obj;
	return scst_snprintf(buf, size,
			     "Usage: echo \"create GROUP\" >mgmt\n"
			     "       echo \"del GROUP\" >mgmt\n");
}

static int scst_inis_mgmt_show(void *obj, char *buf, size_t size)
{
	(void)obj;
	return scst_snprintf(buf, size,
			     "Usage: echo \"add NAME\" >mgmt\n"
			     "       echo \"del NAME\" >mgmt\n"
			     "       echo \"move NAME GROUP\" >mgmt\n"
			     "       echo \"clear\" >mgmt\n");
}

static const struct scst_attr scst_devt_mgmt_attr = {
    .name = "mgmt",
    .mode = 0644,
    .show = scst_devt_mgmt_show,
    .store = scst_devt_mgmt_store,
};
static const struct scst_attr scst_tgtt_mgmt_attr = {
    .name = "mgmt",
    .mode = 0644,
    .show = scst_tgtt_mgmt_show,
    .store = scst_tgtt_mgmt_store,
};
static const struct scst_attr scst_luns_mgmt_attr = {
    .name = "mgmt",
    .mode = 0644,
    .show = scst_luns_mgmt_show,
    .store = scst_luns_mgmt_store,
};
static const struct scst_attr scst_groups_mgmt_attr = {
    .name = "mgmt",
    .mode = 0644,
    .show = scst_groups_mgmt_show,
    .store = scst_groups_mgmt_store,
};
static const struct scst_attr scst_inis_mgmt_attr = {
    .name = "mgmt",
    .mode = 0644,
    .show = scst_inis_mgmt_show,
    .store = scst_inis_mgmt_store,
};

/* ------------------------------------------------ handlers, devices ---- */

static const char *scst_type_name(uint8_t type)
{
	switch (type) {
	case TYPE_DISK:
		return "Direct-access device (e.g., magnetic disk)";
	case TYPE_TAPE:
		return "Sequential-access device (e.g., magnetic tape)";
	case TYPE_PROCESSOR:
		return "Processor device";
	case TYPE_ROM:
		return "CD/DVD device";
	case TYPE_MOD:
		return "Optical memory device";
	case TYPE_MEDIUM_CHANGER:
		return "Medium changer device";
	case TYPE_ENCLOSURE:
		return "Enclosure services device";
	default:
		return "Unknown device type";
	}
}

static int scst_devt_type_show(void *obj, char *buf, size_t size)
{
	struct scst_dev_type *dt = obj;

	return scst_snprintf(buf, size, "%d - %s\n", dt->type,
			     scst_type_name(dt->type));
}

static int scst_dev_type_show(void *obj, char *buf, size_t size)
{
	struct scst_device *dev = obj;

	return scst_snprintf(buf, size, "%d - %s\n", dev->type,
			     scst_type_name(dev->type));
}

static const struct scst_attr scst_devt_type_attr = {
    .name = "type",
    .mode = 0444,
    .show = scst_devt_type_show,
};
static const struct scst_attr scst_dev_type_attr = {
    .name = "type",
    .mode = 0444,
    .show = scst_dev_type_show,
};

void scst_tree_add_devt(struct scst_dev_type *dt)
{
	struct scst_tnode *d = scst_tree_mkdir(scst_handlers_dir, dt->name);

	dt->tree_dir__ = d;
	if (!d) {
		scst_tree_warn(-ENOMEM, "handler", dt->name);
		return;
	}
	scst_tree_add_attr(d, &scst_devt_type_attr, dt);
	if (dt->add_device || dt->mgmt_cmd)
		scst_tree_add_attr(d, &scst_devt_mgmt_attr, dt);
	scst_tree_warn(scst_tree_add_attrs(d, dt->devt_attrs, dt), "handler",
		       dt->name);
}

void scst_tree_del_devt(struct scst_dev_type *dt)
{
	scst_tree_remove(dt->tree_dir__);
	dt->tree_dir__ = NULL;
}

void scst_tree_add_dev(struct scst_device *dev)
{
	struct scst_tnode *d = scst_tree_mkdir(scst_devices_dir, dev->name);
	int rc;

	dev->tree_dir = d;
	if (!d) {
		scst_tree_warn(-ENOMEM, "device", dev->name);
		return;
	}
	dev->tree_exported = scst_tree_mkdir(d, "exported");
	rc = scst_tree_add_attr(d, &scst_dev_type_attr, dev);
	if (!rc && dev->handler->tree_dir__)
		rc = scst_tree_symlink(d, "handler", dev->handler->tree_dir__);
	if (!rc && dev->handler->tree_dir__)
		rc = scst_tree_symlink(dev->handler->tree_dir__, dev->name, d);
	if (!rc)
		rc = scst_tree_add_attrs(d, dev->handler->dev_attrs, dev);
	scst_tree_warn(rc, "device", dev->name);
}

void scst_tree_del_dev(struct scst_device *dev)
{
	if (dev->handler->tree_dir__)
		scst_tree_remove_entry(dev->handler->tree_dir__, dev->name);
	scst_tree_remove(dev->tree_dir);
	dev->tree_dir = NULL;
	dev->tree_exported = NULL;
}

/* ------------------------------------------------------------ targets ---- */

static int scst_tgt_enabled_show(void *obj, char *buf, size_t size)
{
	struct scst_tgt *tgt = obj;
	bool en = tgt->tmpl->is_target_enabled
		      ? tgt->tmpl->is_target_enabled(tgt)
		      : true;

	return scst_snprintf(buf, size, "%d\n", en);
}

static int scst_tgt_enabled_store(void *obj, const char *val,
				  struct scst_mgmt_res *res)
{
	struct scst_tgt *tgt = obj;
	bool en;
	int rc;

	if (scst_parse_bool(val, &en))
		return scst_mgmt_res_set(res, -EINVAL,
					 "enabled: '%s' is not 0 or 1", val);
	if (!tgt->tmpl->enable_target)
		return en ? 0
			  : scst_mgmt_res_set(res, -EOPNOTSUPP,
					      "%s targets cannot be disabled",
					      tgt->tmpl->name);
	rc = tgt->tmpl->enable_target(tgt, en);
	return rc ? scst_mgmt_res_set(res, rc, "cannot %s target %s",
				      en ? "enable" : "disable", tgt->name)
		  : 0;
}

static bool scst_tgt_enabled_is_key(void *obj)
{
	struct scst_tgt *tgt = obj;

	return tgt->tmpl->is_target_enabled &&
	       tgt->tmpl->is_target_enabled(tgt);
}

static int scst_rel_tgt_id_show(void *obj, char *buf, size_t size)
{
	struct scst_tgt *tgt = obj;

	return scst_snprintf(
	    buf, size, "%u\n",
	    __atomic_load_n(&tgt->rel_tgt_id, __ATOMIC_RELAXED));
}

static int scst_rel_tgt_id_store(void *obj, const char *val,
				 struct scst_mgmt_res *res)
{
	struct scst_tgt *tgt = obj;
	uint64_t v;
	int rc;

	if (scst_parse_u64(val, 0xffff, &v) || v == 0)
		return scst_mgmt_res_set(
		    res, -EINVAL, "rel_tgt_id: '%s' is not 1 to 65535", val);
	rc = scst_tgt_set_rel_tgt_id_checked(tgt, (uint16_t)v);
	return rc ? scst_mgmt_res_set(
			res, rc, "rel_tgt_id %llu is used by another target",
			(unsigned long long)v)
		  : 0;
}

static int scst_addr_method_show(void *obj, char *buf, size_t size)
{
	struct scst_tgt *tgt = obj;

	return scst_snprintf(buf, size, "%s\n",
			     tgt->addr_method == SCST_LUN_ADDR_METHOD_FLAT
				 ? "FLAT"
				 : "PERIPHERAL");
}

static int scst_addr_method_store(void *obj, const char *val,
				  struct scst_mgmt_res *res)
{
	struct scst_tgt *tgt = obj;

	if (strcmp(val, "PERIPHERAL") == 0)
		tgt->addr_method = SCST_LUN_ADDR_METHOD_PERIPHERAL;
	else if (strcmp(val, "FLAT") == 0)
		tgt->addr_method = SCST_LUN_ADDR_METHOD_FLAT;
	else
		return scst_mgmt_res_set(res, -EINVAL,
					 "addr_method: '%s' is not PERIPHERAL "
					 "or FLAT",
					 val);
	return 0;
}

static bool scst_addr_method_is_key(void *obj)
{
	struct scst_tgt *tgt = obj;

	return tgt->addr_method != SCST_LUN_ADDR_METHOD_PERIPHERAL;
}

static int scst_comment_show(void *obj, char *buf, size_t size)
{
	struct scst_tgt *tgt = obj;
	int len;

	scst_spin_lock(&scst_attr_lock);
	len =
	    scst_snprintf(buf, size, "%s\n", tgt->comment ? tgt->comment : "");
	scst_spin_unlock(&scst_attr_lock);
	return len;
}

static int scst_comment_store(void *obj, const char *val,
			      struct scst_mgmt_res *res)
{
	struct scst_tgt *tgt = obj;
	char *c = *val ? scst_strdup(val) : NULL, *old;

	if (*val && !c)
		return scst_mgmt_res_set(res, -ENOMEM, "out of memory");
	scst_spin_lock(&scst_attr_lock);
	old = tgt->comment;
	tgt->comment = c;
	scst_spin_unlock(&scst_attr_lock);
	scst_os_free(old);
	return 0;
}

static bool scst_comment_is_key(void *obj)
{
	struct scst_tgt *tgt = obj;
	bool key;

	scst_spin_lock(&scst_attr_lock);
	key = tgt->comment != NULL;
	scst_spin_unlock(&scst_attr_lock);
	return key;
}

static const struct scst_attr scst_tgt_enabled_attr = {
    .name = "enabled",
    .mode = 0644,
    .show = scst_tgt_enabled_show,
    .store = scst_tgt_enabled_store,
    .is_key = scst_tgt_enabled_is_key,
};
static const struct scst_attr scst_rel_tgt_id_attr = {
    .name = "rel_tgt_id",
    .mode = 0644,
    .flags = SCST_ATTR_KEY,
    .show = scst_rel_tgt_id_show,
    .store = scst_rel_tgt_id_store,
};
static const struct scst_attr scst_addr_method_attr = {
    .name = "addr_method",
    .mode = 0644,
    .show = scst_addr_method_show,
    .store = scst_addr_method_store,
    .is_key = scst_addr_method_is_key,
};
static const struct scst_attr scst_comment_attr = {
    .name = "comment",
    .mode = 0644,
    .show = scst_comment_show,
    .store = scst_comment_store,
    .is_key = scst_comment_is_key,
};
static const struct scst_attr *const scst_tgt_std_attrs[] = {
    &scst_tgt_enabled_attr,
    &scst_rel_tgt_id_attr,
    &scst_addr_method_attr,
    &scst_comment_attr,
    NULL,
};

void scst_tree_add_tgtt(struct scst_tgt_template *t)
{
	struct scst_tnode *d = scst_tree_mkdir(scst_targets_dir, t->name);

	t->tree_dir__ = d;
	if (!d) {
		scst_tree_warn(-ENOMEM, "target driver", t->name);
		return;
	}
	if (t->add_target || t->mgmt_cmd)
		scst_tree_add_attr(d, &scst_tgtt_mgmt_attr, t);
	scst_tree_warn(scst_tree_add_attrs(d, t->tgtt_attrs, t),
		       "target driver", t->name);
}

void scst_tree_del_tgtt(struct scst_tgt_template *t)
{
	scst_tree_remove(t->tree_dir__);
	t->tree_dir__ = NULL;
}

/* The luns/ directory of a group (or of the target's default group). */
static void scst_tree_add_luns_dir(struct scst_tnode *parent,
				   struct scst_acg *acg)
{
	acg->tree_luns = scst_tree_mkdir(parent, "luns");
	if (acg->tree_luns)
		scst_tree_add_attr(acg->tree_luns, &scst_luns_mgmt_attr, acg);
}

void scst_tree_add_tgt(struct scst_tgt *tgt)
{
	struct scst_tnode *d;
	int rc;

	if (!tgt->tmpl->tree_dir__)
		return;
	d = scst_tree_mkdir(tgt->tmpl->tree_dir__, tgt->name);
	tgt->tree_dir = d;
	if (!d) {
		scst_tree_warn(-ENOMEM, "target", tgt->name);
		return;
	}
	rc = scst_tree_add_attrs(d, scst_tgt_std_attrs, tgt);
	if (!rc)
		rc = scst_tree_add_attrs(d, tgt->tmpl->tgt_attrs, tgt);
	scst_tree_add_luns_dir(d, tgt->default_acg);
	tgt->tree_groups = scst_tree_mkdir(d, "ini_groups");
	if (tgt->tree_groups)
		scst_tree_add_attr(tgt->tree_groups, &scst_groups_mgmt_attr,
				   tgt);
	tgt->tree_sessions = scst_tree_mkdir(d, "sessions");
	scst_tree_warn(rc, "target", tgt->name);
}

static void scst_tree_forget_acg(struct scst_acg *acg)
{
	struct scst_acg_dev *ad;
	char name[24];

	scst_list_for_each_entry (ad, &acg->acg_dev_list, acg_entry) {
		if (ad->tree_dir && ad->dev->tree_exported) {
			scst_snprintf(name, sizeof(name), "export%u",
				      ad->export_idx);
			scst_tree_remove_entry(ad->dev->tree_exported, name);
		}
		ad->tree_dir = NULL;
	}
	acg->tree_dir = NULL;
	acg->tree_luns = NULL;
	acg->tree_inis = NULL;
}

struct scst_tnode *scst_tree_detach_tgt(struct scst_tgt *tgt)
{
	struct scst_tnode *d = tgt->tree_dir;
	struct scst_acg *acg;

	scst_tree_unlink(d);
	scst_tree_forget_acg(tgt->default_acg);
	scst_list_for_each_entry (acg, &tgt->acg_list, tgt_entry)
		scst_tree_forget_acg(acg);
	tgt->tree_dir = NULL;
	tgt->tree_groups = NULL;
	tgt->tree_sessions = NULL;
	return d;
}

void scst_tree_del_tgt(struct scst_tgt *tgt)
{
	scst_tree_remove(tgt->tree_dir);
	tgt->tree_dir = NULL;
	tgt->tree_groups = NULL;
	tgt->tree_sessions = NULL;
}

/* --------------------------------------------------- groups and LUNs ---- */

void scst_tree_add_acg(struct scst_acg *acg)
{
	struct scst_tnode *d;

	if (!acg->tgt->tree_groups)
		return;
	d = scst_tree_mkdir(acg->tgt->tree_groups, acg->name);
	acg->tree_dir = d;
	if (!d) {
		scst_tree_warn(-ENOMEM, "group", acg->name);
		return;
	}
	scst_tree_add_luns_dir(d, acg);
	acg->tree_inis = scst_tree_mkdir(d, "initiators");
	if (acg->tree_inis)
		scst_tree_add_attr(acg->tree_inis, &scst_inis_mgmt_attr, acg);
}

void scst_tree_del_acg(struct scst_acg *acg)
{
	scst_tree_remove(acg->tree_dir);
	acg->tree_dir = NULL;
	acg->tree_luns = NULL;
	acg->tree_inis = NULL;
}

static int scst_lun_ro_show(void *obj, char *buf, size_t size)
{
	struct scst_acg_dev *ad = obj;

	return scst_snprintf(buf, size, "%d\n", ad->read_only);
}

static bool scst_lun_ro_is_key(void *obj)
{
	struct scst_acg_dev *ad = obj;

	return ad->read_only;
}

static const struct scst_attr scst_lun_ro_attr = {
    .name = "read_only",
    .mode = 0444,
    .show = scst_lun_ro_show,
    .is_key = scst_lun_ro_is_key,
};

void scst_tree_add_lun(struct scst_acg_dev *ad)
{
	char name[24];
	unsigned int i;
	int rc;

	if (!ad->acg->tree_luns)
		return;
	scst_snprintf(name, sizeof(name), "%llu", (unsigned long long)ad->lun);
	ad->tree_dir = scst_tree_mkdir(ad->acg->tree_luns, name);
	if (!ad->tree_dir) {
		scst_tree_warn(-ENOMEM, "LUN", name);
		return;
	}
	rc = scst_tree_add_attr(ad->tree_dir, &scst_lun_ro_attr, ad);
	if (!rc && ad->dev->tree_dir)
		rc = scst_tree_symlink(ad->tree_dir, "device",
				       ad->dev->tree_dir);
	/* devices/<dev>/exported/exportN -> this LUN, N the first free. */
	for (i = 0; !rc && ad->dev->tree_exported; i++) {
		scst_snprintf(name, sizeof(name), "export%u", i);
		if (scst_tree_lookup(ad->dev->tree_exported, name))
			continue;
		rc = scst_tree_symlink(ad->dev->tree_exported, name,
				       ad->tree_dir);
		ad->export_idx = i;
		break;
	}
	scst_tree_warn(rc, "LUN", ad->dev->name);
}

void scst_tree_del_lun(struct scst_acg_dev *ad)
{
	char name[24];

	if (!ad->tree_dir)
		return;
	if (ad->dev->tree_exported) {
		scst_snprintf(name, sizeof(name), "export%u", ad->export_idx);
		scst_tree_remove_entry(ad->dev->tree_exported, name);
	}
	scst_tree_remove(ad->tree_dir);
	ad->tree_dir = NULL;
}

static int scst_ini_show(void *obj, char *buf, size_t size)
{
	struct scst_acn *acn = obj;

	return scst_snprintf(buf, size, "%s\n", acn->pattern);
}

void scst_tree_add_ini(struct scst_acg *acg, struct scst_acn *acn)
{
	if (!acg->tree_inis)
		return;
	acn->attr.name = acn->pattern;
	acn->attr.mode = 0444;
	acn->attr.show = scst_ini_show;
	scst_tree_warn(scst_tree_add_attr(acg->tree_inis, &acn->attr, acn),
		       "initiator", acn->pattern);
}

void scst_tree_del_ini(struct scst_acg *acg, struct scst_acn *acn)
{
	if (acg->tree_inis)
		scst_tree_remove_entry(acg->tree_inis, acn->pattern);
}

/* ----------------------------------------------------------- sessions ---- */

static int scst_sess_ini_show(void *obj, char *buf, size_t size)
{
	struct scst_session *sess = obj;

	return scst_snprintf(buf, size, "%s\n", sess->initiator_name);
}

#define SCST_SESS_STAT_SHOW(fn, field, shift)                                  \
	static int fn(void *obj, char *buf, size_t size)                       \
	{                                                                      \
		struct scst_session *sess = obj;                               \
		return scst_snprintf(                                          \
		    buf, size, "%lld\n",                                       \
		    (long long)(scst_atomic64_read(&sess->field) >> (shift))); \
	}

SCST_SESS_STAT_SHOW(scst_sess_cmds_show, stat_cmds, 0)
SCST_SESS_STAT_SHOW(scst_sess_active_show, stat_active, 0)
SCST_SESS_STAT_SHOW(scst_sess_read_kb_show, stat_read_bytes, 10)
SCST_SESS_STAT_SHOW(scst_sess_write_kb_show, stat_write_bytes, 10)

static int scst_sess_force_close_store(void *obj, const char *val,
				       struct scst_mgmt_res *res)
{
	struct scst_session *sess = obj;
	int (*close_fn)(struct scst_session * s) =
	    sess->tgt->tmpl->close_session;

	(void)val;
	if (!close_fn)
		return scst_mgmt_res_set(res, -EOPNOTSUPP,
					 "%s cannot close sessions",
					 sess->tgt->tmpl->name);
	/* The transport closes it later: this node must outlive the call. */
	return close_fn(sess);
}

static const struct scst_attr scst_sess_attrs_std[] = {
    {.name = "initiator_name", .mode = 0444, .show = scst_sess_ini_show},
    {.name = "commands", .mode = 0444, .show = scst_sess_cmds_show},
    {.name = "active_commands", .mode = 0444, .show = scst_sess_active_show},
    {.name = "read_io_count_kb", .mode = 0444, .show = scst_sess_read_kb_show},
    {.name = "write_io_count_kb",
     .mode = 0444,
     .show = scst_sess_write_kb_show},
    {.name = "force_close", .mode = 0200, .store = scst_sess_force_close_store},
};

void scst_tree_add_sess(struct scst_session *sess)
{
	struct scst_tnode *parent = sess->tgt->tree_sessions, *d = NULL;
	char name[300];
	unsigned int i;
	int rc = 0;

	if (!parent)
		return;
	/* Two sessions of one initiator: the second is "<name>_1", ... */
	for (i = 0; !d && i < 1000; i++) {
		if (i)
			scst_snprintf(name, sizeof(name), "%s_%u",
				      sess->initiator_name, i);
		else
			scst_snprintf(name, sizeof(name), "%s",
				      sess->initiator_name);
		if (!scst_tree_lookup(parent, name))
			d = scst_tree_mkdir(parent, name);
	}
	sess->tree_dir = d;
	if (!d) {
		scst_tree_warn(-ENOMEM, "session", sess->initiator_name);
		return;
	}
	for (i = 0; !rc && i < sizeof(scst_sess_attrs_std) /
				   sizeof(scst_sess_attrs_std[0]);
	     i++)
		rc = scst_tree_add_attr(d, &scst_sess_attrs_std[i], sess);
	if (!rc && sess->acg->tree_luns)
		rc = scst_tree_symlink(d, "luns", sess->acg->tree_luns);
	if (!rc)
		rc = scst_tree_add_attrs(d, sess->tgt->tmpl->sess_attrs, sess);
	scst_tree_warn(rc, "session", sess->initiator_name);
}

void scst_tree_del_sess(struct scst_session *sess)
{
	scst_tree_remove(sess->tree_dir);
	sess->tree_dir = NULL;
}

/* ------------------------------------------------------- accessors ---- */

struct scst_tnode *scst_tgt_tree_dir(struct scst_tgt *tgt)
{
	return tgt->tree_dir;
}

struct scst_tnode *scst_tgtt_tree_dir(struct scst_tgt_template *t)
{
	return t->tree_dir__;
}

struct scst_tnode *scst_dev_tree_dir(struct scst_device *dev)
{
	return dev->tree_dir;
}

struct scst_tnode *scst_devt_tree_dir(struct scst_dev_type *dt)
{
	return dt->tree_dir__;
}

struct scst_tnode *scst_sess_tree_dir(struct scst_session *sess)
{
	return sess->tree_dir;
}

/* ------------------------------------------------------------- life ---- */

int scst_tree_objs_init(void)
{
	struct scst_tnode *root = scst_tree_root();
	int rc;

	scst_setup_id = 0;
	scst_spin_init(&scst_attr_lock);
	rc = scst_tree_add_attrs(root, scst_root_attrs, NULL);
	scst_handlers_dir = scst_tree_mkdir(root, "handlers");
	scst_devices_dir = scst_tree_mkdir(root, "devices");
	scst_targets_dir = scst_tree_mkdir(root, "targets");
	if (rc || !scst_handlers_dir || !scst_devices_dir || !scst_targets_dir)
		return rc ? rc : -ENOMEM;
	return scst_dg_tree_init(root);
}

void scst_tree_objs_exit(void)
{
	scst_dg_tree_exit();
	scst_handlers_dir = NULL;
	scst_devices_dir = NULL;
	scst_targets_dir = NULL;
	scst_spin_destroy(&scst_attr_lock);
}
