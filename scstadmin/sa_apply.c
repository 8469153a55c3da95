// SPDX-License-Identifier: GPL-2.0-only
/*
 * -config, -check_config and -clear_config.
 *
 * -config: parse and validate the file, check it against the running tree
 * (sa_check.c), and only then change what differs, in SCST's order
 * (SysfsRules): what the file lacks is removed (with -force; otherwise
 * listed), then the core attributes, devices and their attributes, driver
 * attributes, targets and theirs, LUNs, initiator groups with initiators
 * and LUNs, device and target groups, target enables, driver enables.
 *
 * Every change is one write (sa_step); its inverse is remembered, and when a
 * step fails the changes made so far are undone (removals cannot be), so a
 * failure leaves the tree as it was. -cont_on_err goes on instead.
 */
#include <errno.h>
#include <libgen.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "scstadmin/sa.h"

struct sa_undo {
	char *rel;
	char *cmd;
};

/* ------------------------------------------------------------ steps ---- */

static void sa_undo_push(struct sa_ctx *c, const char *rel, const char *cmd)
{
	struct sa_undo *u;

	if (c->nundo == c->undo_cap) {
		u = realloc(c->undo, (c->undo_cap * 2 + 16) * sizeof(*u));
		if (!u)
			return;
		c->undo = u;
		c->undo_cap = c->undo_cap * 2 + 16;
	}
	c->undo[c->nundo].rel = strdup(rel);
	c->undo[c->nundo].cmd = strdup(cmd);
	c->nundo++;
}

int sa_step(struct sa_ctx *c, const char *rel, const char *cmd,
	    const char *undo_rel, const char *undo_cmd, const char *done)
{
	char msg[SA_MSG_MAX];
	int rc = sa_write(rel, cmd, msg, sizeof(msg));

	if (rc) {
		c->failures++;
		fprintf(stderr, "scstadmin: failed: echo \"%s\" > %s/%s: %s\n",
			cmd, sa_tree_root(), rel, msg);
		return rc;
	}
	c->changes++;
	if (done)
		printf("%s\n", done);
	if (undo_rel && undo_cmd)
		sa_undo_push(c, undo_rel, undo_cmd);
	return 0;
}

void sa_rollback(struct sa_ctx *c)
{
	char msg[SA_MSG_MAX];
	size_t undone = 0, n = c->nundo;

	while (c->nundo) {
		struct sa_undo *u = &c->undo[--c->nundo];

		if (sa_write(u->rel, u->cmd, msg, sizeof(msg)))
			fprintf(
			    stderr,
			    "scstadmin: rollback: echo \"%s\" > %s/%s: %s\n",
			    u->cmd, sa_tree_root(), u->rel, msg);
		else
			undone++;
		free(u->rel);
		free(u->cmd);
	}
	if (n)
		printf("rolled back %zu of %zu changes\n", undone, n);
}

void sa_ctx_free(struct sa_ctx *c)
{
	size_t i;

	for (i = 0; i < c->nundo; i++) {
		free(c->undo[i].rel);
		free(c->undo[i].cmd);
	}
	free(c->undo);
	c->undo = NULL;
	c->nundo = c->undo_cap = 0;
}

/* A step built with printf-like formats; STEP_FAILED if it failed. */
#define STEP(c, rel, ucmd, done, ...)                                          \
	({                                                                     \
		char *cmd_ = NULL;                                             \
		int rc_ =                                                      \
		    asprintf(&cmd_, __VA_ARGS__) < 0                           \
			? -ENOMEM                                              \
			: sa_step((c), (rel), cmd_, (rel), (ucmd), (done));    \
		free(cmd_);                                                    \
		rc_;                                                           \
	})

/* Stop unless -cont_on_err. */
#define CHECK_STEP(c, expr)                                                    \
	do {                                                                   \
		if ((expr) && !(c)->cont_on_err)                               \
			return -1;                                             \
	} while (0)

static char *fmt(const char *f, ...) __attribute__((format(printf, 1, 2)));

/* A malloc'ed string (scratch; NULL on ENOMEM). */
static char *fmt(const char *f, ...)
{
	va_list ap;
	char *s = NULL;

	va_start(ap, f);
	if (vasprintf(&s, f, ap) < 0)
		s = NULL;
	va_end(ap);
	return s;
}

/* Set the attribute file @rel to @val if it differs. */
static int set_attr(struct sa_ctx *c, const char *rel, const char *val,
		    const char *what)
{
	char *cur = NULL, *done;
	int rc;

	if (sa_attr_get(rel, &cur, NULL) == 0 && strcmp(cur, val) == 0) {
		free(cur);
		return 0;
	}
	done = fmt("set %s to '%s'", what, val);
	rc = sa_step(c, rel, val, rel, cur, done);
	free(done);
	free(cur);
	return rc;
}

/* Remove an object the file lacks (with -force), or say it would. */
static int gone(struct sa_ctx *c, const char *rel, const char *cmd,
		const char *what)
{
	char *done;
	int rc;

	if (!c->force) {
		printf("would remove %s (not in the file; use -force)\n", what);
		return 0;
	}
	done = fmt("removed %s", what);
	rc = sa_step(c, rel, cmd, NULL, NULL, done);
	free(done);
	return rc;
}

/* ------------------------------------------------------- attributes ---- */

/* An object whose attributes are applied. */
struct sa_obj {
	const char *dir;	       /* its directory */
	const char *label;	       /* "device disk1" */
	const char *mgmt;	       /* mgmt for numbered attributes */
	const char *add_verb;	       /* "add_target_attribute tgt" */
	const char *del_verb;	       /* "del_target_attribute tgt" */
	const struct sa_names *multi;  /* numbered attributes */
	const struct sa_names *params; /* creation parameters */
	bool created;		       /* created by this run */
	const char *only, *skip;       /* apply only / all but this attribute */
};

static bool obj_wants(const struct sa_obj *o, const char *name)
{
	if (o->only)
		return strcmp(name, o->only) == 0;
	return !o->skip || strcmp(name, o->skip) != 0;
}

/* Numbered attribute @base: add the values the file has, drop others. */
static int apply_multi(struct sa_ctx *c, const struct sa_obj *o,
		       const struct scst_conf_node *node, const char *base)
{
	char p[SA_PATH_MAX], b[SA_PATH_MAX], *v, *done, *cmd, *ucmd;
	const struct scst_conf_node *a;
	struct sa_names attrs, cur = {0}, want = {0};
	size_t i;
	int rc = 0;

	scst_conf_for_each_child (a, node)
		if (!scst_conf_is_section_keyword(a->keyword) &&
		    strlen(a->keyword) < sizeof(b) &&
		    strcmp(sa_attr_base(a->keyword, o->multi, b), base) == 0)
			sa_names_add(&want, a->value ? a->value : "");
	if (sa_list_attrs(o->dir, &attrs) == 0) {
		for (i = 0; i < attrs.n; i++) {
			if (strlen(attrs.v[i]) >= sizeof(b) ||
			    strcmp(sa_attr_base(attrs.v[i], o->multi, b), base))
				continue;
			if (sa_attr_get(sa_path(p, "%s/%s", o->dir, attrs.v[i]),
					&v, NULL) == 0) {
				sa_names_add(&cur, v);
				free(v);
			}
		}
		sa_names_free(&attrs);
	}
	for (i = 0; !rc && i < want.n; i++) {
		if (sa_names_has(&cur, want.v[i]))
			continue;
		cmd = fmt("%s %s %s", o->add_verb, base, want.v[i]);
		ucmd = fmt("%s %s %s", o->del_verb, base, want.v[i]);
		done = fmt("added %s '%s' to %s", base, want.v[i], o->label);
		rc = cmd ? sa_step(c, o->mgmt, cmd, o->mgmt, ucmd, done)
			 : -ENOMEM;
		free(cmd);
		free(ucmd);
		free(done);
	}
	for (i = 0; !rc && i < cur.n; i++) {
		if (sa_names_has(&want, cur.v[i]))
			continue;
		cmd = fmt("%s %s %s", o->del_verb, base, cur.v[i]);
		done = fmt("%s '%s' of %s", base, cur.v[i], o->label);
		rc = cmd ? gone(c, o->mgmt, cmd, done) : -ENOMEM;
		free(cmd);
		free(done);
	}
	sa_names_free(&want);
	sa_names_free(&cur);
	return rc;
}

static int apply_attrs(struct sa_ctx *c, const struct sa_obj *o,
		       const struct scst_conf_node *node)
{
	char p[SA_PATH_MAX], b[SA_PATH_MAX], *what;
	const struct scst_conf_node *a;
	size_t i;
	int rc;

	scst_conf_for_each_child (a, node) {
		if (scst_conf_is_section_keyword(a->keyword) ||
		    !obj_wants(o, a->keyword) ||
		    strlen(a->keyword) >= sizeof(b))
			continue;
		if (sa_attr_base(a->keyword, o->multi, b) == b)
			continue;
		if (o->created && o->params &&
		    sa_names_has(o->params, a->keyword))
			continue;
		sa_path(p, "%s/%s", o->dir, a->keyword);
		if (sa_type(p) != SA_FILE) {
			/* A creation parameter the object does not show. */
			if (o->params && sa_names_has(o->params, a->keyword))
				continue;
			/* Only knowable now the object exists (sa_check.c). */
			c->failures++;
			fprintf(stderr,
				"scstadmin: failed: %s has no attribute %s\n",
				o->label, a->keyword);
			CHECK_STEP(c, -ENOENT);
			continue;
		}
		if (!sa_writable(p))
			continue; /* read-only and equal (checked) */
		what = fmt("%s of %s", a->keyword, o->label);
		rc = set_attr(c, p, a->value ? a->value : "", what);
		free(what);
		CHECK_STEP(c, rc);
	}
	for (i = 0; o->multi && i < o->multi->n; i++)
		if (obj_wants(o, o->multi->v[i]))
			CHECK_STEP(c, apply_multi(c, o, node, o->multi->v[i]));
	return 0;
}

/* "k=v; k=v" of the attributes of @node that are creation parameters. */
static char *creation_params(const struct scst_conf_node *node,
			     const struct sa_names *params)
{
	const struct scst_conf_node *a;
	char *s = strdup(""), *t;

	scst_conf_for_each_child (a, node) {
		if (!s || scst_conf_is_section_keyword(a->keyword) ||
		    !sa_names_has(params, a->keyword))
			continue;
		t = fmt("%s%s%s=%s", s, *s ? "; " : "", a->keyword,
			a->value ? a->value : "");
		free(s);
		s = t;
	}
	return s;
}

/* ------------------------------------------------------------ prune ---- */

static bool file_has_device(const struct scst_conf_node *root, const char *name)
{
	const struct scst_conf_node *h;

	scst_conf_for_each (h, root, "HANDLER")
		if (scst_conf_find(h, "DEVICE", name))
			return true;
	return false;
}

/* Remove the LUNs of @luns_dir that @parent does not have. */
static int prune_luns(struct sa_ctx *c, const struct scst_conf_node *parent,
		      const char *luns_dir, const char *label)
{
	const struct scst_conf_node *l;
	char p[SA_PATH_MAX], *what, *cmd;
	struct sa_names luns;
	bool found;
	size_t i;
	int rc = 0;

	if (sa_list_dir(luns_dir, SA_DIR, &luns))
		return 0;
	sa_sort_luns(&luns);
	for (i = 0; !rc && i < luns.n; i++) {
		found = false;
		scst_conf_for_each (l, parent, "LUN")
			if (strtoul(l->args[0], NULL, 10) ==
			    strtoul(luns.v[i], NULL, 10))
				found = true;
		if (found)
			continue;
		what = fmt("LUN %s of %s", luns.v[i], label);
		cmd = fmt("del %s", luns.v[i]);
		rc = gone(c, sa_path(p, "%s/mgmt", luns_dir), cmd, what);
		free(what);
		free(cmd);
	}
	sa_names_free(&luns);
	return rc;
}

static int prune_target(struct sa_ctx *c, const struct scst_conf_node *t,
			const char *tdir)
{
	char p[SA_PATH_MAX], q[SA_PATH_MAX], *what, *cmd;
	const struct scst_conf_node *g;
	struct sa_names groups, inis;
	size_t i, j;
	int rc = 0;

	if (sa_list_dir(sa_path(p, "%s/ini_groups", tdir), SA_DIR, &groups))
		groups.n = 0;
	for (i = 0; !rc && i < groups.n; i++) {
		g = scst_conf_find(t, "GROUP", groups.v[i]);
		if (!g) {
			what = fmt("group %s of target %s", groups.v[i],
				   t->args[0]);
			cmd = fmt("del %s", groups.v[i]);
			rc = gone(c, sa_path(p, "%s/ini_groups/mgmt", tdir),
				  cmd, what);
			free(what);
			free(cmd);
			continue;
		}
		sa_path(q, "%s/ini_groups/%s/initiators", tdir, groups.v[i]);
		if (sa_list_attrs(q, &inis) == 0) {
			for (j = 0; !rc && j < inis.n; j++) {
				if (scst_conf_find(g, "INITIATOR", inis.v[j]))
					continue;
				what = fmt("initiator %s of group %s",
					   inis.v[j], groups.v[i]);
				cmd = fmt("del %s", inis.v[j]);
				rc = gone(c, sa_path(p, "%s/mgmt", q), cmd,
					  what);
				free(what);
				free(cmd);
			}
			sa_names_free(&inis);
		}
		what = fmt("group %s", groups.v[i]);
		if (!rc)
			rc = prune_luns(c, g,
					sa_path(q, "%s/ini_groups/%s/luns",
						tdir, groups.v[i]),
					what);
		free(what);
	}
	sa_names_free(&groups);
	what = fmt("target %s", t->args[0]);
	if (!rc)
		rc = prune_luns(c, t, sa_path(p, "%s/luns", tdir), what);
	free(what);
	return rc;
}

static int prune_targets(struct sa_ctx *c, const struct scst_conf_node *root)
{
	char p[SA_PATH_MAX], *what, *cmd;
	const struct scst_conf_node *d, *t;
	struct sa_names drvs, tgts;
	size_t i, j;
	int rc = 0;

	if (sa_list_dir("targets", SA_DIR, &drvs))
		return 0;
	for (i = 0; !rc && i < drvs.n; i++) {
		d = scst_conf_find(root, "TARGET_DRIVER", drvs.v[i]);
		if (sa_list_dir(sa_path(p, "targets/%s", drvs.v[i]), SA_DIR,
				&tgts))
			continue;
		for (j = 0; !rc && j < tgts.n; j++) {
			t = d ? scst_conf_find(d, "TARGET", tgts.v[j]) : NULL;
			if (t) {
				rc =
				    prune_target(c, t,
						 sa_path(p, "targets/%s/%s",
							 drvs.v[i], tgts.v[j]));
				continue;
			}
			what =
			    fmt("target %s of driver %s", tgts.v[j], drvs.v[i]);
			cmd = fmt("del_target %s", tgts.v[j]);
			rc = gone(c, sa_path(p, "targets/%s/mgmt", drvs.v[i]),
				  cmd, what);
			free(what);
			free(cmd);
		}
		sa_names_free(&tgts);
	}
	sa_names_free(&drvs);
	return rc;
}

static int prune_dgroups(struct sa_ctx *c, const struct scst_conf_node *root)
{
	char p[SA_PATH_MAX], *what, *cmd;
	const struct scst_conf_node *dg, *tg;
	struct sa_names dgs, l, m;
	size_t i, j, k;
	int rc = 0;

	if (sa_list_dir("device_groups", SA_DIR, &dgs))
		return 0;
	for (i = 0; !rc && i < dgs.n; i++) {
		dg = scst_conf_find(root, "DEVICE_GROUP", dgs.v[i]);
		if (!dg) {
			what = fmt("device group %s", dgs.v[i]);
			cmd = fmt("del %s", dgs.v[i]);
			rc = gone(c, "device_groups/mgmt", cmd, what);
			free(what);
			free(cmd);
			continue;
		}
		if (sa_list_dir(
			sa_path(p, "device_groups/%s/target_groups", dgs.v[i]),
			SA_DIR, &l) == 0) {
			for (j = 0; !rc && j < l.n; j++) {
				tg = scst_conf_find(dg, "TARGET_GROUP", l.v[j]);
				sa_path(p, "device_groups/%s/target_groups/%s",
					dgs.v[i], l.v[j]);
				if (tg && sa_list_dir(p, SA_DIR, &m) == 0) {
					for (k = 0; !rc && k < m.n; k++) {
						if (scst_conf_find(tg, "TARGET",
								   m.v[k]))
							continue;
						what =
						    fmt("target %s of target "
							"group %s",
							m.v[k], l.v[j]);
						cmd = fmt("del %s", m.v[k]);
						rc = gone(
						    c,
						    sa_path(
							p,
							"device_groups/%s/"
							"target_groups/%s/mgmt",
							dgs.v[i], l.v[j]),
						    cmd, what);
						free(what);
						free(cmd);
					}
					sa_names_free(&m);
				} else if (!tg) {
					what = fmt("target group %s of %s",
						   l.v[j], dgs.v[i]);
					cmd = fmt("del %s", l.v[j]);
					rc = gone(c,
						  sa_path(p,
							  "device_groups/%s/"
							  "target_groups/mgmt",
							  dgs.v[i]),
						  cmd, what);
					free(what);
					free(cmd);
				}
			}
			sa_names_free(&l);
		}
		if (rc || sa_list_dir(
			      sa_path(p, "device_groups/%s/devices", dgs.v[i]),
			      SA_LINK, &l))
			continue;
		for (j = 0; !rc && j < l.n; j++) {
			if (scst_conf_find(dg, "DEVICE", l.v[j]))
				continue;
			what = fmt("device %s of device group %s", l.v[j],
				   dgs.v[i]);
			cmd = fmt("del %s", l.v[j]);
			rc = gone(c,
				  sa_path(p, "device_groups/%s/devices/mgmt",
					  dgs.v[i]),
				  cmd, what);
			free(what);
			free(cmd);
		}
		sa_names_free(&l);
	}
	sa_names_free(&dgs);
	return rc;
}

static int prune_devices(struct sa_ctx *c, const struct scst_conf_node *root)
{
	char p[SA_PATH_MAX], link[SA_PATH_MAX], *what, *cmd;
	struct sa_names devs;
	size_t i;
	int rc = 0;

	if (sa_list_dir("devices", SA_DIR, &devs))
		return 0;
	for (i = 0; !rc && i < devs.n; i++) {
		if (file_has_device(root, devs.v[i]) ||
		    sa_readlink(sa_path(p, "devices/%s/handler", devs.v[i]),
				link, sizeof(link)) < 0)
			continue;
		what = fmt("device %s", devs.v[i]);
		cmd = fmt("del_device %s", devs.v[i]);
		rc = gone(c, sa_path(p, "handlers/%s/mgmt", basename(link)),
			  cmd, what);
		free(what);
		free(cmd);
	}
	sa_names_free(&devs);
	return rc;
}

/* ------------------------------------------------------------- apply ---- */

static int apply_devices(struct sa_ctx *c, const struct scst_conf_node *root)
{
	char mgmt[SA_PATH_MAX], dir[SA_PATH_MAX], *params, *label, *done;
	const struct scst_conf_node *h, *d;
	struct sa_names pl, multi;
	struct sa_obj o;
	int rc = 0;

	scst_conf_for_each (h, root, "HANDLER") {
		sa_path(mgmt, "handlers/%s/mgmt", h->args[0]);
		sa_mgmt_names(mgmt, "parameters", &pl);
		sa_mgmt_names(mgmt, "device attributes", &multi);
		o = (struct sa_obj){.dir =
					sa_path(dir, "handlers/%s", h->args[0]),
				    .label = h->args[0],
				    .mgmt = mgmt,
				    .add_verb = "add_attribute",
				    .del_verb = "del_attribute"};
		rc = apply_attrs(c, &o, h);
		scst_conf_for_each (d, h, "DEVICE") {
			if (rc)
				break;
			label = fmt("device %s", d->args[0]);
			o = (struct sa_obj){
			    .dir = sa_path(dir, "devices/%s", d->args[0]),
			    .label = label,
			    .mgmt = mgmt,
			    .multi = &multi,
			    .params = &pl};
			if (!sa_is_dir(dir)) {
				char *u = fmt("del_device %s", d->args[0]);

				params = creation_params(d, &pl);
				done = fmt("added device %s", d->args[0]);
				rc = STEP(c, mgmt, u, done, "add_device %s%s%s",
					  d->args[0], *params ? " " : "",
					  params);
				free(u);
				free(params);
				free(done);
				o.created = true;
			}
			if (!rc) {
				char *av =
				    fmt("add_device_attribute %s", d->args[0]);
				char *dv =
				    fmt("del_device_attribute %s", d->args[0]);

				o.add_verb = av;
				o.del_verb = dv;
				rc = apply_attrs(c, &o, d);
				free(av);
				free(dv);
			}
			free(label);
			if (rc && c->cont_on_err)
				rc = 0;
		}
		sa_names_free(&pl);
		sa_names_free(&multi);
		if (rc)
			return rc;
	}
	return 0;
}

/* Driver attributes: all but enabled (@only NULL), or only enabled. */
static int apply_drivers(struct sa_ctx *c, const struct scst_conf_node *root,
			 bool enable)
{
	char mgmt[SA_PATH_MAX], dir[SA_PATH_MAX];
	const struct scst_conf_node *d;
	struct sa_names multi;
	struct sa_obj o;
	int rc;

	scst_conf_for_each (d, root, "TARGET_DRIVER") {
		sa_path(mgmt, "targets/%s/mgmt", d->args[0]);
		sa_mgmt_names(mgmt, "driver attributes", &multi);
		o = (struct sa_obj){.dir =
					sa_path(dir, "targets/%s", d->args[0]),
				    .label = d->args[0],
				    .mgmt = mgmt,
				    .add_verb = "add_attribute",
				    .del_verb = "del_attribute",
				    .multi = &multi,
				    .only = enable ? "enabled" : NULL,
				    .skip = enable ? NULL : "enabled"};
		rc = apply_attrs(c, &o, d);
		sa_names_free(&multi);
		if (rc)
			return rc;
	}
	return 0;
}

/* Targets: create them and set their attributes (enabled: @enable). */
static int apply_targets(struct sa_ctx *c, const struct scst_conf_node *root,
			 bool enable)
{
	char mgmt[SA_PATH_MAX], dir[SA_PATH_MAX], *params, *label, *done;
	char *av, *dv;
	const struct scst_conf_node *d, *t;
	struct sa_names pl, multi;
	struct sa_obj o;
	int rc = 0;

	scst_conf_for_each (d, root, "TARGET_DRIVER") {
		sa_path(mgmt, "targets/%s/mgmt", d->args[0]);
		sa_mgmt_names(mgmt, "target parameters", &pl);
		sa_mgmt_names(mgmt, "target attributes", &multi);
		scst_conf_for_each (t, d, "TARGET") {
			label = fmt("target %s", t->args[0]);
			av = fmt("add_target_attribute %s", t->args[0]);
			dv = fmt("del_target_attribute %s", t->args[0]);
			o = (struct sa_obj){.dir =
						sa_path(dir, "targets/%s/%s",
							d->args[0], t->args[0]),
					    .label = label,
					    .mgmt = mgmt,
					    .add_verb = av,
					    .del_verb = dv,
					    .multi = &multi,
					    .params = &pl,
					    .only = enable ? "enabled" : NULL,
					    .skip = enable ? NULL : "enabled"};
			if (!enable && !sa_is_dir(dir)) {
				char *u = fmt("del_target %s", t->args[0]);

				params = creation_params(t, &pl);
				done = fmt("added target %s", t->args[0]);
				rc = STEP(c, mgmt, u, done, "add_target %s%s%s",
					  t->args[0], *params ? " " : "",
					  params);
				free(u);
				free(params);
				free(done);
				o.created = true;
			}
			if (!rc)
				rc = apply_attrs(c, &o, t);
			free(label);
			free(av);
			free(dv);
			if (rc && !c->cont_on_err)
				break;
			rc = 0;
		}
		sa_names_free(&pl);
		sa_names_free(&multi);
		if (rc)
			return rc;
	}
	return 0;
}

/* The LUNs of @parent into @luns_dir (a target's or a group's). */
static int apply_luns(struct sa_ctx *c, const struct scst_conf_node *parent,
		      const char *luns_dir, const char *label)
{
	char p[SA_PATH_MAX], mgmt[SA_PATH_MAX], dev[SA_PATH_MAX], *cur_ro;
	char *done, *u;
	const struct scst_conf_node *l;
	const char *ro;
	int rc;

	sa_path(mgmt, "%s/mgmt", luns_dir);
	scst_conf_for_each (l, parent, "LUN") {
		unsigned long n = strtoul(l->args[0], NULL, 10);

		ro = scst_conf_get(l, "read_only");
		ro = ro && strcmp(ro, "1") == 0 ? " read_only=1" : "";
		sa_path(p, "%s/%lu", luns_dir, n);
		if (!sa_is_dir(p)) {
			u = fmt("del %lu", n);
			done = fmt("added LUN %lu (device %s%s) to %s", n,
				   l->args[1], *ro ? ", read-only" : "", label);
			rc = STEP(c, mgmt, u, done, "add %s %lu%s", l->args[1],
				  n, ro);
			free(u);
			free(done);
			CHECK_STEP(c, rc);
			continue;
		}
		/* There: replace it if the device or read_only differ. */
		if (sa_readlink(sa_path(dev, "%s/device", p), dev,
				sizeof(dev)) < 0 ||
		    sa_attr_get(sa_path(p, "%s/%lu/read_only", luns_dir, n),
				&cur_ro, NULL))
			continue;
		if (strcmp(basename(dev), l->args[1]) ||
		    strcmp(cur_ro, *ro ? "1" : "0")) {
			u = fmt("replace %s %lu%s", basename(dev), n,
				strcmp(cur_ro, "1") ? "" : " read_only=1");
			done = fmt("replaced LUN %lu of %s (device %s%s)", n,
				   label, l->args[1], *ro ? ", read-only" : "");
			rc = STEP(c, mgmt, u, done, "replace %s %lu%s",
				  l->args[1], n, ro);
			free(u);
			free(done);
			free(cur_ro);
			CHECK_STEP(c, rc);
			continue;
		}
		free(cur_ro);
	}
	return 0;
}

static int apply_groups(struct sa_ctx *c, const struct scst_conf_node *root)
{
	char tdir[SA_PATH_MAX], p[SA_PATH_MAX], q[SA_PATH_MAX];
	char *label, *done, *u;
	const struct scst_conf_node *d, *t, *g, *i;
	int rc;

	scst_conf_for_each (d, root, "TARGET_DRIVER") {
		scst_conf_for_each (t, d, "TARGET") {
			sa_path(tdir, "targets/%s/%s", d->args[0], t->args[0]);
			label = fmt("target %s", t->args[0]);
			rc = apply_luns(c, t, sa_path(p, "%s/luns", tdir),
					label);
			free(label);
			if (rc)
				return rc;
		}
	}
	scst_conf_for_each (d, root, "TARGET_DRIVER") {
		scst_conf_for_each (t, d, "TARGET") {
			sa_path(tdir, "targets/%s/%s", d->args[0], t->args[0]);
			scst_conf_for_each (g, t, "GROUP") {
				sa_path(p, "%s/ini_groups/%s", tdir,
					g->args[0]);
				if (!sa_is_dir(p)) {
					u = fmt("del %s", g->args[0]);
					done =
					    fmt("added group %s to target %s",
						g->args[0], t->args[0]);
					rc = STEP(
					    c,
					    sa_path(q, "%s/ini_groups/mgmt",
						    tdir),
					    u, done, "create %s", g->args[0]);
					free(u);
					free(done);
					CHECK_STEP(c, rc);
				}
				sa_path(q, "%s/initiators/mgmt", p);
				scst_conf_for_each (i, g, "INITIATOR") {
					sa_path(
					    p, "%s/ini_groups/%s/initiators/%s",
					    tdir, g->args[0], i->args[0]);
					if (sa_exists(p))
						continue;
					u = fmt("del %s", i->args[0]);
					done = fmt(
					    "added initiator %s to group %s",
					    i->args[0], g->args[0]);
					rc = STEP(c, q, u, done, "add %s",
						  i->args[0]);
					free(u);
					free(done);
					CHECK_STEP(c, rc);
				}
				label = fmt("group %s of target %s", g->args[0],
					    t->args[0]);
				rc = apply_luns(c, g,
						sa_path(p,
							"%s/ini_groups/%s/luns",
							tdir, g->args[0]),
						label);
				free(label);
				if (rc)
					return rc;
			}
		}
	}
	return 0;
}

static int apply_dgroups(struct sa_ctx *c, const struct scst_conf_node *root)
{
	char p[SA_PATH_MAX], q[SA_PATH_MAX], *done, *u, *label;
	const struct scst_conf_node *dg, *d, *tg, *tt;
	struct sa_obj o;
	int rc;

	scst_conf_for_each (dg, root, "DEVICE_GROUP") {
		if (!sa_is_dir(sa_path(p, "device_groups/%s", dg->args[0]))) {
			u = fmt("del %s", dg->args[0]);
			done = fmt("added device group %s", dg->args[0]);
			rc = STEP(c, "device_groups/mgmt", u, done, "create %s",
				  dg->args[0]);
			free(u);
			free(done);
			CHECK_STEP(c, rc);
		}
		scst_conf_for_each (d, dg, "DEVICE") {
			if (sa_exists(sa_path(p, "device_groups/%s/devices/%s",
					      dg->args[0], d->args[0])))
				continue;
			u = fmt("del %s", d->args[0]);
			done = fmt("added device %s to device group %s",
				   d->args[0], dg->args[0]);
			rc = STEP(c,
				  sa_path(q, "device_groups/%s/devices/mgmt",
					  dg->args[0]),
				  u, done, "add %s", d->args[0]);
			free(u);
			free(done);
			CHECK_STEP(c, rc);
		}
		scst_conf_for_each (tg, dg, "TARGET_GROUP") {
			sa_path(p, "device_groups/%s/target_groups/%s",
				dg->args[0], tg->args[0]);
			if (!sa_is_dir(p)) {
				u = fmt("del %s", tg->args[0]);
				done = fmt("added target group %s to %s",
					   tg->args[0], dg->args[0]);
				rc = STEP(
				    c,
				    sa_path(
					q,
					"device_groups/%s/target_groups/mgmt",
					dg->args[0]),
				    u, done, "create %s", tg->args[0]);
				free(u);
				free(done);
				CHECK_STEP(c, rc);
			}
			label = fmt("target group %s", tg->args[0]);
			o = (struct sa_obj){.dir = p, .label = label};
			rc = apply_attrs(c, &o, tg);
			free(label);
			if (rc)
				return rc;
			scst_conf_for_each (tt, tg, "TARGET") {
				sa_path(q, "%s/%s", p, tt->args[0]);
				if (!sa_is_dir(q)) {
					u = fmt("del %s", tt->args[0]);
					done = fmt("added target %s to target "
						   "group %s",
						   tt->args[0], tg->args[0]);
					rc =
					    STEP(c, sa_path(q, "%s/mgmt", p), u,
						 done, "add %s", tt->args[0]);
					free(u);
					free(done);
					CHECK_STEP(c, rc);
				}
				label = fmt("target %s of target group %s",
					    tt->args[0], tg->args[0]);
				o = (struct sa_obj){
				    .dir = sa_path(q, "%s/%s", p, tt->args[0]),
				    .label = label};
				rc = apply_attrs(c, &o, tt);
				free(label);
				if (rc)
					return rc;
			}
		}
	}
	return 0;
}

static int apply_all(struct sa_ctx *c, const struct scst_conf_node *root)
{
	struct sa_obj core = {.dir = ".", .label = "the SCST core"};

	/* What the file lacks goes first, so that names can be reused. */
	if (prune_dgroups(c, root) || prune_targets(c, root) ||
	    prune_devices(c, root))
		return -1;
	if (apply_attrs(c, &core, root) || apply_devices(c, root) ||
	    apply_drivers(c, root, false) || apply_targets(c, root, false) ||
	    apply_groups(c, root) || apply_dgroups(c, root) ||
	    apply_targets(c, root, true) || apply_drivers(c, root, true))
		return -1;
	return 0;
}

/* ---------------------------------------------------- entry points ---- */

/* Parse, validate and check @path; the tree, or NULL with errors shown. */
static struct scst_conf_node *load_checked(struct sa_ctx *c, const char *path)
{
	struct scst_conf_errors errs;
	struct scst_conf_node *root = NULL;
	int rc;

	scst_conf_errors_init(&errs);
	rc = scst_conf_load(path, 0, &root, &errs);
	if (!rc)
		sa_check(root, path, c->force, &errs);
	if (scst_conf_errors_total(&errs)) {
		scst_conf_errors_print(&errs, stderr);
		fprintf(stderr,
			"scstadmin: %s: %u error%s; nothing was changed\n",
			path, scst_conf_errors_total(&errs),
			scst_conf_errors_total(&errs) == 1 ? "" : "s");
		scst_conf_free(root);
		return NULL;
	}
	return root;
}

int sa_check_config(struct sa_ctx *c, const char *path)
{
	struct scst_conf_node *root = load_checked(c, path);

	if (!root)
		return 1;
	scst_conf_free(root);
	printf("%s: configuration is valid\n", path);
	return 0;
}

int sa_config(struct sa_ctx *c, const char *path)
{
	struct scst_conf_node *root = load_checked(c, path);
	int rc;

	if (!root)
		return 1;
	c->rollback = !c->cont_on_err;
	rc = apply_all(c, root);
	scst_conf_free(root);
	if (rc || c->failures) {
		if (c->rollback)
			sa_rollback(c);
		fprintf(stderr, "scstadmin: applying %s failed (%u error%s)\n",
			path, c->failures, c->failures == 1 ? "" : "s");
		return 1;
	}
	if (!c->changes)
		printf("nothing to do: the running configuration matches %s\n",
		       path);
	else
		printf("%u change%s applied from %s\n", c->changes,
		       c->changes == 1 ? "" : "s", path);
	return 0;
}
