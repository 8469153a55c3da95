// SPDX-License-Identifier: GPL-2.0-only
/*
 * The semantic checks of scst.conf against the running tree, done before
 * anything is changed: handlers and drivers exist, attributes are known and
 * can be set (writable, or a creation parameter of a new object), LUNs and
 * device groups name devices that will exist, values of the core's own
 * attributes are valid. What only a module can judge (a blocksize of 3000)
 * is left to the write, where the daemon refuses it.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "scstadmin/sa.h"

/* Attributes the core gives every target, target group and member. */
static const char *const sa_tgt_std_attrs[] = {"enabled", "rel_tgt_id",
					       "addr_method", "comment", NULL};
static const char *const sa_tg_std_attrs[] = {"group_id", "state", "preferred",
					      NULL};
static const char *const sa_tg_states[] = {
    "active",  "nonoptimized",	"standby", "unavailable",
    "offline", "transitioning", NULL};

struct sa_checker {
	const char *file;
	bool force;
	struct scst_conf_errors *errs;
	unsigned int count;
	const struct scst_conf_node *root;
};

static void chk_err(struct sa_checker *k, const struct scst_conf_node *n,
		    const char *fmt, ...) __attribute__((format(printf, 3, 4)));

static void chk_err(struct sa_checker *k, const struct scst_conf_node *n,
		    const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	scst_conf_verror(k->errs, k->file, n ? n->line : 0, fmt, ap);
	va_end(ap);
	k->count++;
}

static bool in_list(const char *const *l, const char *s)
{
	for (; l && *l; l++)
		if (strcmp(*l, s) == 0)
			return true;
	return false;
}

static bool is_attr(const struct scst_conf_node *n)
{
	return !scst_conf_is_section_keyword(n->keyword);
}

/* Is device @name defined in the file? */
static bool file_has_device(const struct scst_conf_node *root, const char *name)
{
	const struct scst_conf_node *h;

	scst_conf_for_each (h, root, "HANDLER")
		if (scst_conf_find(h, "DEVICE", name))
			return true;
	return false;
}

/* The first entry of @dir of @type, to learn the attributes of its kind. */
static bool sample(const char *dir, enum sa_type type, char *out, size_t size)
{
	struct sa_names l;
	bool found = false;

	if (sa_list_dir(dir, type, &l))
		return false;
	if (l.n) {
		snprintf(out, size, "%s", l.v[0]);
		found = true;
	}
	sa_names_free(&l);
	return found;
}

/*
 * Check attribute @a of an object labelled @what. @dir is the object's
 * directory if it exists, else NULL; @sample_dir a directory of the same
 * kind (or NULL); @params its creation parameters; @multi the numbered
 * attributes set through mgmt; @std attributes every object of the kind
 * has.
 */
static void chk_attr(struct sa_checker *k, const struct scst_conf_node *a,
		     const char *what, const char *dir, const char *sample_dir,
		     const struct sa_names *params,
		     const struct sa_names *multi, const char *const *std)
{
	char p[SA_PATH_MAX], base[SA_PATH_MAX], *cur;
	const char *v = a->value ? a->value : "";

	if (strlen(a->keyword) < sizeof(base) &&
	    sa_attr_base(a->keyword, multi, base) == base)
		return;
	if (dir && sa_type(sa_path(p, "%s/%s", dir, a->keyword)) == SA_FILE) {
		if (sa_writable(p))
			return;
		if (sa_attr_get(p, &cur, NULL) == 0) {
			if (strcmp(cur, v) != 0)
				chk_err(
				    k, a,
				    "attribute %s of %s is read-only: it is "
				    "'%s' in the running system and cannot "
				    "be changed to '%s'",
				    a->keyword, what, cur, v);
			free(cur);
		}
		return;
	}
	/* A creation parameter the object does not show: nothing to do. */
	if (params && sa_names_has(params, a->keyword))
		return;
	if (!dir && sample_dir &&
	    sa_type(sa_path(p, "%s/%s", sample_dir, a->keyword)) == SA_FILE) {
		if (!sa_writable(p))
			chk_err(k, a,
				"attribute %s of %s is read-only and not a "
				"creation parameter",
				a->keyword, what);
		return;
	}
	if (in_list(std, a->keyword))
		return;
	/*
	 * A new object and none of its kind to learn from (e.g. the first
	 * iSCSI target after -clear_config): its attributes only appear once
	 * it exists, so the apply step, which creates it and then writes
	 * them (rolling back on an unknown one), is where this is decided.
	 */
	if (!dir && !sample_dir)
		return;
	chk_err(k, a, "unknown attribute %s for %s", a->keyword, what);
}

static void chk_bool(struct sa_checker *k, const struct scst_conf_node *a)
{
	if (!a->value || (strcmp(a->value, "0") && strcmp(a->value, "1")))
		chk_err(k, a, "%s must be 0 or 1, not '%s'", a->keyword,
			a->value ? a->value : "");
}

static void chk_handler(struct sa_checker *k, const struct scst_conf_node *h)
{
	char p[SA_PATH_MAX], dp[SA_PATH_MAX], link[SA_PATH_MAX], what[300];
	char smp[256], smpdir[SA_PATH_MAX];
	const struct scst_conf_node *d, *a;
	struct sa_names params, multi;
	const char *name = h->args[0], *hname;
	char *mgmt = NULL;
	bool exists, has_smp;

	if (!sa_is_dir(sa_path(p, "handlers/%s", name))) {
		chk_err(k, h, "unknown handler %s", name);
		return;
	}
	sa_mgmt_names(sa_path(p, "handlers/%s/mgmt", name), "parameters",
		      &params);
	sa_mgmt_names(p, "device attributes", &multi);
	sa_read(p, &mgmt);
	has_smp =
	    sample(sa_path(dp, "handlers/%s", name), SA_LINK, smp, sizeof(smp));
	sa_path(smpdir, "devices/%s", smp);
	scst_conf_for_each_child (a, h)
		if (is_attr(a))
			chk_attr(k, a, name, dp, NULL, NULL, NULL, NULL);
	scst_conf_for_each (d, h, "DEVICE") {
		snprintf(what, sizeof(what), "device %s", d->args[0]);
		exists = sa_is_dir(sa_path(dp, "devices/%s", d->args[0]));
		if (exists && sa_readlink(sa_path(p, "%s/handler", dp), link,
					  sizeof(link)) > 0) {
			hname =
			    strrchr(link, '/') ? strrchr(link, '/') + 1 : link;
			if (strcmp(hname, name)) {
				chk_err(k, d,
					"device %s exists with handler %s, not "
					"%s",
					d->args[0], hname, name);
				continue;
			}
		}
		if (!exists && (!mgmt || !strstr(mgmt, "add_device"))) {
			chk_err(k, d, "handler %s cannot create device %s",
				name, d->args[0]);
			continue;
		}
		scst_conf_for_each_child (a, d)
			chk_attr(k, a, what, exists ? dp : NULL,
				 has_smp ? smpdir : NULL, &params, &multi,
				 NULL);
	}
	free(mgmt);
	sa_names_free(&params);
	sa_names_free(&multi);
}

static void chk_lun(struct sa_checker *k, const struct scst_conf_node *l,
		    const char *of)
{
	const struct scst_conf_node *a;
	const char *dev = l->args[1];

	if (!file_has_device(k->root, dev)) {
		if (k->force)
			chk_err(k, l,
				"LUN %s of %s: device %s is not in the file "
				"(with -force devices not in the file are "
				"removed)",
				l->args[0], of, dev);
		else if (!sa_is_dir(sa_path((char[SA_PATH_MAX]){0},
					    "devices/%s", dev)))
			chk_err(k, l,
				"LUN %s of %s: device %s is neither in the "
				"file nor in the running system",
				l->args[0], of, dev);
	}
	scst_conf_for_each_child (a, l) {
		if (strcmp(a->keyword, "read_only") == 0)
			chk_bool(k, a);
		else
			chk_err(k, a, "unknown attribute %s for LUN %s of %s",
				a->keyword, l->args[0], of);
	}
}

static void chk_target(struct sa_checker *k, const struct scst_conf_node *t,
		       const char *drv, const char *mgmt,
		       const struct sa_names *params,
		       const struct sa_names *multi, const char *smpdir)
{
	char tp[SA_PATH_MAX], what[300], gwhat[600];
	const struct scst_conf_node *a, *g, *l;
	bool exists;

	snprintf(what, sizeof(what), "target %s", t->args[0]);
	exists = sa_is_dir(sa_path(tp, "targets/%s/%s", drv, t->args[0]));
	if (!exists && (!mgmt || !strstr(mgmt, "add_target"))) {
		chk_err(k, t, "driver %s cannot create target %s", drv,
			t->args[0]);
		return;
	}
	scst_conf_for_each_child (a, t)
		if (is_attr(a))
			chk_attr(k, a, what, exists ? tp : NULL, smpdir, params,
				 multi, sa_tgt_std_attrs);
	scst_conf_for_each (l, t, "LUN")
		chk_lun(k, l, what);
	scst_conf_for_each (g, t, "GROUP") {
		scst_conf_for_each_child (a, g)
			if (is_attr(a))
				chk_err(k, a,
					"unknown attribute %s for group %s",
					a->keyword, g->args[0]);
		snprintf(gwhat, sizeof(gwhat), "group %s of target %s",
			 g->args[0], t->args[0]);
		scst_conf_for_each (l, g, "LUN")
			chk_lun(k, l, gwhat);
	}
}

static void chk_driver(struct sa_checker *k, const struct scst_conf_node *d)
{
	char p[SA_PATH_MAX], smp[256], smpdir[SA_PATH_MAX];
	const struct scst_conf_node *a, *t;
	struct sa_names params, tmulti, dmulti;
	const char *name = d->args[0];
	char *mgmt = NULL;
	bool has_smp;

	if (!sa_is_dir(sa_path(p, "targets/%s", name))) {
		chk_err(k, d, "unknown target driver %s", name);
		return;
	}
	sa_path(p, "targets/%s/mgmt", name);
	sa_mgmt_names(p, "target parameters", &params);
	sa_mgmt_names(p, "target attributes", &tmulti);
	sa_mgmt_names(p, "driver attributes", &dmulti);
	sa_read(p, &mgmt);
	has_smp =
	    sample(sa_path(p, "targets/%s", name), SA_DIR, smp, sizeof(smp));
	sa_path(smpdir, "targets/%s/%s", name, smp);
	scst_conf_for_each_child (a, d)
		if (is_attr(a))
			chk_attr(k, a, name, p, NULL, NULL, &dmulti, NULL);
	scst_conf_for_each (t, d, "TARGET")
		chk_target(k, t, name, mgmt, &params, &tmulti,
			   has_smp ? smpdir : NULL);
	free(mgmt);
	sa_names_free(&params);
	sa_names_free(&tmulti);
	sa_names_free(&dmulti);
}

static void chk_dgroup(struct sa_checker *k, const struct scst_conf_node *dg)
{
	const struct scst_conf_node *a, *d, *tg, *tt;
	char p[SA_PATH_MAX];
	unsigned long v;
	char *end;

	if (!sa_is_dir("device_groups")) {
		chk_err(k, dg, "this system has no device groups");
		return;
	}
	scst_conf_for_each_child (a, dg)
		if (is_attr(a))
			chk_err(k, a,
				"unknown attribute %s for device group %s",
				a->keyword, dg->args[0]);
	scst_conf_for_each (d, dg, "DEVICE")
		if (!file_has_device(k->root, d->args[0]) &&
		    (k->force ||
		     !sa_is_dir(sa_path(p, "devices/%s", d->args[0]))))
			chk_err(k, d,
				"device group %s: device %s is neither in the "
				"file nor in the running system",
				dg->args[0], d->args[0]);
	scst_conf_for_each (tg, dg, "TARGET_GROUP") {
		scst_conf_for_each_child (a, tg) {
			if (!is_attr(a))
				continue;
			if (!in_list(sa_tg_std_attrs, a->keyword)) {
				chk_err(k, a,
					"unknown attribute %s for target group "
					"%s",
					a->keyword, tg->args[0]);
			} else if (strcmp(a->keyword, "state") == 0 &&
				   !in_list(sa_tg_states, a->value)) {
				chk_err(k, a,
					"state '%s' is not one of active, "
					"nonoptimized, standby, unavailable, "
					"offline, transitioning",
					a->value);
			} else if (strcmp(a->keyword, "group_id") == 0) {
				v = strtoul(a->value, &end, 0);
				if (*end || v > 65535)
					chk_err(k, a,
						"group_id '%s' is not 1 to "
						"65535",
						a->value);
			} else if (strcmp(a->keyword, "preferred") == 0) {
				chk_bool(k, a);
			}
		}
		scst_conf_for_each (tt, tg, "TARGET")
			scst_conf_for_each_child (a, tt)
				if (strcmp(a->keyword, "rel_tgt_id"))
					chk_err(k, a,
						"unknown attribute %s for "
						"target %s of target group %s",
						a->keyword, tt->args[0],
						tg->args[0]);
	}
}

unsigned int sa_check(const struct scst_conf_node *root, const char *file,
		      bool force, struct scst_conf_errors *errs)
{
	struct sa_checker k = {
	    .file = file, .force = force, .errs = errs, .root = root};
	const struct scst_conf_node *n;

	scst_conf_for_each_child (n, root) {
		if (strcmp(n->keyword, "HANDLER") == 0)
			chk_handler(&k, n);
		else if (strcmp(n->keyword, "TARGET_DRIVER") == 0)
			chk_driver(&k, n);
		else if (strcmp(n->keyword, "DEVICE_GROUP") == 0)
			chk_dgroup(&k, n);
		else if (is_attr(n))
			chk_attr(&k, n, "the SCST core", ".", NULL, NULL, NULL,
				 NULL);
	}
	return k.count;
}
