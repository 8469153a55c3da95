// SPDX-License-Identifier: GPL-2.0-only
/*
 * The single-object commands of scstadmin: one row per option in sa_ops[]
 * says which options it needs and which mgmt file gets which command;
 * -set_*_attr writes attribute files.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "scstadmin/sa.h"

/* Options a command needs (sa_op_desc.needs). */
enum {
	N_DRIVER = 1 << 0,
	N_TARGET = 1 << 1,
	N_GROUP = 1 << 2,
	N_DEVICE = 1 << 3,
	N_HANDLER = 1 << 4,
	N_TO = 1 << 5,
	N_DGROUP = 1 << 6,
	N_TGROUP = 1 << 7,
	N_ATTRS = 1 << 8,
	N_NAME = 1 << 9,
};

/* Which directory holds the object (or its mgmt file). */
enum sa_where {
	W_ROOT,	   /* . */
	W_HANDLER, /* handlers/<name|handler> */
	W_DEVICE,  /* devices/<name> */
	W_DRIVER,  /* targets/<name|driver> */
	W_TARGET,  /* targets/<driver>/<name|target> */
	W_GROUPS,  /* .../ini_groups */
	W_GROUP,   /* .../ini_groups/<name|group> */
	W_INITS,   /* .../ini_groups/<group>/initiators */
	W_LUNS,	   /* .../luns or .../ini_groups/<group>/luns */
	W_LUN,	   /* <luns>/<name> */
	W_DGROUPS, /* device_groups */
	W_DGROUP,  /* device_groups/<name|dev_group> */
	W_DG_DEVS, /* device_groups/<dg>/devices */
	W_TGROUPS, /* device_groups/<dg>/target_groups */
	W_TGROUP,  /* device_groups/<dg>/target_groups/<name|tgt_group> */
};

enum sa_kind {
	K_SET,	/* write attributes to the object's files */
	K_MGMT, /* "<verb> NAME [params]" to <where>/mgmt */
	K_ATTR, /* "<verb> [NAME] attr value" per attribute */
};

struct sa_op_desc {
	const char *op;
	unsigned int needs;
	enum sa_where where;
	enum sa_kind kind;
	const char *verb;
	const char *done; /* "added target" */
};

/* clang-format off */
static const struct sa_op_desc sa_ops[] = {
	{ "set_scst_attr", N_ATTRS, W_ROOT, K_SET, NULL, NULL },
	{ "set_hnd_attr", N_NAME | N_ATTRS, W_HANDLER, K_SET, NULL, NULL },
	{ "set_dev_attr", N_NAME | N_ATTRS, W_DEVICE, K_SET, NULL, NULL },
	{ "set_drv_attr", N_NAME | N_ATTRS, W_DRIVER, K_SET, NULL, NULL },
	{ "set_tgt_attr", N_NAME | N_DRIVER | N_ATTRS, W_TARGET, K_SET, NULL, NULL },
	{ "set_grp_attr", N_NAME | N_DRIVER | N_TARGET | N_ATTRS, W_GROUP, K_SET, NULL, NULL },
	{ "set_lun_attr", N_NAME | N_DRIVER | N_TARGET | N_ATTRS, W_LUN, K_SET, NULL, NULL },
	{ "set_dgrp_attr", N_NAME | N_ATTRS, W_DGROUP, K_SET, NULL, NULL },
	{ "set_tgrp_attr", N_NAME | N_DGROUP | N_ATTRS, W_TGROUP, K_SET, NULL, NULL },
	{ "open_dev", N_NAME | N_HANDLER, W_HANDLER, K_MGMT, "add_device", "added device" },
	{ "close_dev", N_NAME | N_HANDLER, W_HANDLER, K_MGMT, "del_device", "removed device" },
	{ "add_target", N_NAME | N_DRIVER, W_DRIVER, K_MGMT, "add_target", "added target" },
	{ "rem_target", N_NAME | N_DRIVER, W_DRIVER, K_MGMT, "del_target", "removed target" },
	{ "add_group", N_NAME | N_DRIVER | N_TARGET, W_GROUPS, K_MGMT, "create", "added group" },
	{ "rem_group", N_NAME | N_DRIVER | N_TARGET, W_GROUPS, K_MGMT, "del", "removed group" },
	{ "add_init", N_NAME | N_DRIVER | N_TARGET | N_GROUP, W_INITS, K_MGMT, "add", "added initiator" },
	{ "rem_init", N_NAME | N_DRIVER | N_TARGET | N_GROUP, W_INITS, K_MGMT, "del", "removed initiator" },
	{ "move_init", N_NAME | N_DRIVER | N_TARGET | N_GROUP | N_TO, W_INITS, K_MGMT, "move", "moved initiator" },
	{ "add_lun", N_NAME | N_DRIVER | N_TARGET | N_DEVICE, W_LUNS, K_MGMT, "add", "added LUN" },
	{ "rem_lun", N_NAME | N_DRIVER | N_TARGET, W_LUNS, K_MGMT, "del", "removed LUN" },
	{ "add_dgrp", N_NAME, W_DGROUPS, K_MGMT, "create", "added device group" },
	{ "rem_dgrp", N_NAME, W_DGROUPS, K_MGMT, "del", "removed device group" },
	{ "add_tgrp", N_NAME | N_DGROUP, W_TGROUPS, K_MGMT, "create", "added target group" },
	{ "rem_tgrp", N_NAME | N_DGROUP, W_TGROUPS, K_MGMT, "del", "removed target group" },
	{ "add_dgrp_dev", N_NAME | N_DGROUP, W_DG_DEVS, K_MGMT, "add", "added to the device group: device" },
	{ "rem_dgrp_dev", N_NAME | N_DGROUP, W_DG_DEVS, K_MGMT, "del", "removed from the device group: device" },
	{ "add_tgrp_tgt", N_NAME | N_DGROUP | N_TGROUP, W_TGROUP, K_MGMT, "add", "added to the target group: target" },
	{ "rem_tgrp_tgt", N_NAME | N_DGROUP | N_TGROUP, W_TGROUP, K_MGMT, "del", "removed from the target group: target" },
	{ "add_drv_attr", N_NAME | N_ATTRS, W_DRIVER, K_ATTR, "add_attribute", NULL },
	{ "rem_drv_attr", N_NAME | N_ATTRS, W_DRIVER, K_ATTR, "del_attribute", NULL },
	{ "add_tgt_attr", N_NAME | N_DRIVER | N_ATTRS, W_DRIVER, K_ATTR, "add_target_attribute", NULL },
	{ "rem_tgt_attr", N_NAME | N_DRIVER | N_ATTRS, W_DRIVER, K_ATTR, "del_target_attribute", NULL },
	{ "add_dev_attr", N_NAME | N_HANDLER | N_ATTRS, W_HANDLER, K_ATTR, "add_device_attribute", NULL },
	{ "rem_dev_attr", N_NAME | N_HANDLER | N_ATTRS, W_HANDLER, K_ATTR, "del_device_attribute", NULL },
};
/* clang-format on */

static const struct {
	unsigned int bit;
	const char *opt;
} sa_need_names[] = {
    {N_DRIVER, "-driver"},    {N_TARGET, "-target"},
    {N_GROUP, "-group"},      {N_DEVICE, "-device"},
    {N_HANDLER, "-handler"},  {N_TO, "-to"},
    {N_DGROUP, "-dev_group"}, {N_TGROUP, "-tgt_group"},
    {N_ATTRS, "-attributes"},
};

static const char *arg_of(const struct sa_args *a, unsigned int bit)
{
	switch (bit) {
	case N_DRIVER:
		return a->driver;
	case N_TARGET:
		return a->target;
	case N_GROUP:
		return a->group;
	case N_DEVICE:
		return a->device;
	case N_HANDLER:
		return a->handler;
	case N_TO:
		return a->to;
	case N_DGROUP:
		return a->dev_group;
	case N_TGROUP:
		return a->tgt_group;
	case N_ATTRS:
		return a->attributes;
	default:
		return a->name;
	}
}

/* The directory of the command's object; -target may be given as NAME. */
static void op_dir(const struct sa_op_desc *d, const struct sa_args *a, char *p)
{
	const char *tgt = a->target ? a->target : a->name;
	char base[SA_PATH_MAX];

	sa_path(base, "targets/%s/%s", a->driver ? a->driver : "", tgt);
	switch (d->where) {
	case W_ROOT:
		sa_path(p, ".");
		break;
	case W_HANDLER:
		sa_path(p, "handlers/%s", a->handler ? a->handler : a->name);
		break;
	case W_DEVICE:
		sa_path(p, "devices/%s", a->name);
		break;
	case W_DRIVER:
		sa_path(p, "targets/%s", a->driver ? a->driver : a->name);
		break;
	case W_TARGET:
		sa_path(p, "%s", base);
		break;
	case W_GROUPS:
		sa_path(p, "%s/ini_groups", base);
		break;
	case W_GROUP:
		sa_path(p, "%s/ini_groups/%s", base,
			a->group ? a->group : a->name);
		break;
	case W_INITS:
		sa_path(p, "%s/ini_groups/%s/initiators", base, a->group);
		break;
	case W_LUNS:
	case W_LUN:
		if (a->group)
			sa_path(p, "%s/ini_groups/%s/luns", base, a->group);
		else
			sa_path(p, "%s/luns", base);
		if (d->where == W_LUN)
			sa_path(p + strlen(p), "/%s", a->name);
		break;
	case W_DGROUPS:
		sa_path(p, "device_groups");
		break;
	case W_DGROUP:
		sa_path(p, "device_groups/%s",
			a->dev_group ? a->dev_group : a->name);
		break;
	case W_DG_DEVS:
		sa_path(p, "device_groups/%s/devices", a->dev_group);
		break;
	case W_TGROUPS:
		sa_path(p, "device_groups/%s/target_groups", a->dev_group);
		break;
	case W_TGROUP:
		sa_path(p, "device_groups/%s/target_groups/%s", a->dev_group,
			a->tgt_group ? a->tgt_group : a->name);
		break;
	}
}

/*
 * The next "k=v" of a -attributes list ("k=v,k2=v2"); 1, 0 at the end,
 * -1 if malformed.
 */
static int next_kv(char **p, char **k, char **v)
{
	char *s = *p, *e;

	while (*s == ',' || *s == ' ')
		s++;
	if (!*s)
		return 0;
	e = strchr(s, ',');
	if (e)
		*e++ = '\0';
	*p = e ? e : s + strlen(s);
	*k = s;
	*v = strchr(s, '=');
	if (!*v || *v == s)
		return -1;
	*(*v)++ = '\0';
	return 1;
}

/* "k=v; k=v" for a creation command. */
static int kv_params(const char *attrs, char *out, size_t size)
{
	char *copy = strdup(attrs ? attrs : ""), *p = copy, *k, *v;
	size_t len = 0;
	int rc;

	out[0] = '\0';
	if (!copy)
		return -1;
	while ((rc = next_kv(&p, &k, &v)) > 0)
		len += (size_t)snprintf(out + len, size - len, "%s%s=%s",
					len ? "; " : "", k, v);
	free(copy);
	return rc;
}

static int op_set(struct sa_ctx *c, const char *dir, const char *attrs)
{
	char *copy = strdup(attrs), *p = copy, *k, *v, *cur = NULL;
	char f[SA_PATH_MAX], *done;
	int rc, err = 0;

	if (!sa_is_dir(dir)) {
		fprintf(stderr, "scstadmin: %s does not exist\n", dir);
		free(copy);
		return 1;
	}
	while ((rc = next_kv(&p, &k, &v)) > 0) {
		sa_path(f, "%s/%s", dir, k);
		if (sa_type(f) != SA_FILE || strcmp(k, "mgmt") == 0) {
			fprintf(stderr, "scstadmin: %s has no attribute %s\n",
				dir, k);
			err = 1;
		} else if (!sa_writable(f)) {
			fprintf(stderr,
				"scstadmin: attribute %s of %s is read-only\n",
				k, dir);
			err = 1;
		} else {
			if (asprintf(&done, "set %s to '%s'", f, v) < 0)
				done = NULL;
			if (sa_step(c, f, v, NULL, NULL, done))
				err = 1;
			free(done);
		}
		if (err && !c->cont_on_err)
			break;
	}
	if (rc < 0) {
		fprintf(stderr, "scstadmin: -attributes: expected k=v,k=v\n");
		err = 1;
	}
	free(cur);
	free(copy);
	return err;
}

/* Refusals that -force overrides. */
static bool op_refused(struct sa_ctx *c, const struct sa_op_desc *d,
		       const struct sa_args *a)
{
	char p[SA_PATH_MAX];
	struct sa_names l = {0};
	bool busy = false;

	if (c->force)
		return false;
	if (strcmp(d->op, "close_dev") == 0)
		sa_list_dir(sa_path(p, "devices/%s/exported", a->name), SA_ANY,
			    &l);
	else if (strcmp(d->op, "rem_target") == 0)
		sa_list_dir(
		    sa_path(p, "targets/%s/%s/sessions", a->driver, a->name),
		    SA_ANY, &l);
	busy = l.n != 0;
	sa_names_free(&l);
	if (busy)
		fprintf(stderr, "scstadmin: %s %s is in use (%s); use -force\n",
			strcmp(d->op, "close_dev") ? "target" : "device",
			a->name,
			strcmp(d->op, "close_dev") ? "it has sessions"
						   : "it is exported");
	return busy;
}

static int op_mgmt(struct sa_ctx *c, const struct sa_op_desc *d,
		   const struct sa_args *a, const char *dir)
{
	char mgmt[SA_PATH_MAX], params[SA_PATH_MAX], *cmd, *done;
	int n, rc;

	if (op_refused(c, d, a))
		return 1;
	if (kv_params(a->attributes, params, sizeof(params)) < 0) {
		fprintf(stderr, "scstadmin: -attributes: expected k=v,k=v\n");
		return 1;
	}
	sa_path(mgmt, "%s/mgmt", dir);
	if (strcmp(d->op, "add_lun") == 0)
		n = asprintf(&cmd, "add %s %s%s%s", a->device, a->name,
			     *params ? " " : "", params);
	else if (strcmp(d->op, "move_init") == 0)
		n = asprintf(&cmd, "move %s %s", a->name, a->to);
	else
		n = asprintf(&cmd, "%s %s%s%s", d->verb, a->name,
			     *params ? " " : "", params);
	if (n < 0)
		return 1;
	if (asprintf(&done, "%s %s", d->done, a->name) < 0)
		done = NULL;
	rc = sa_step(c, mgmt, cmd, NULL, NULL, done) ? 1 : 0;
	free(cmd);
	free(done);
	return rc;
}

static int op_attr(struct sa_ctx *c, const struct sa_op_desc *d,
		   const struct sa_args *a, const char *dir)
{
	char *copy = strdup(a->attributes), *p = copy, *k, *v;
	char mgmt[SA_PATH_MAX], cmd[3 * SA_PATH_MAX], done[3 * SA_PATH_MAX];
	bool drv = strcmp(d->verb, "add_attribute") == 0 ||
		   strcmp(d->verb, "del_attribute") == 0;
	int rc, err = 0;

	sa_path(mgmt, "%s/mgmt", dir);
	while ((rc = next_kv(&p, &k, &v)) > 0) {
		if (drv)
			snprintf(cmd, sizeof(cmd), "%s %s %s", d->verb, k, v);
		else
			snprintf(cmd, sizeof(cmd), "%s %s %s %s", d->verb,
				 a->name, k, v);
		snprintf(done, sizeof(done), "%s %s '%s' %s %s",
			 d->verb[0] == 'a' ? "added" : "removed", k, v,
			 d->verb[0] == 'a' ? "to" : "from", a->name);
		if (sa_step(c, mgmt, cmd, NULL, NULL, done)) {
			err = 1;
			if (!c->cont_on_err)
				break;
		}
	}
	if (rc < 0) {
		fprintf(stderr, "scstadmin: -attributes: expected k=v,k=v\n");
		err = 1;
	}
	free(copy);
	return err;
}

int sa_op(struct sa_ctx *c, const struct sa_args *a)
{
	const struct sa_op_desc *d = NULL;
	char dir[SA_PATH_MAX];
	size_t i;

	for (i = 0; i < sizeof(sa_ops) / sizeof(sa_ops[0]); i++)
		if (strcmp(sa_ops[i].op, a->op) == 0)
			d = &sa_ops[i];
	if (!d)
		return -1;
	for (i = 0; i < sizeof(sa_need_names) / sizeof(sa_need_names[0]); i++)
		if ((d->needs & sa_need_names[i].bit) &&
		    !arg_of(a, sa_need_names[i].bit)) {
			fprintf(stderr, "scstadmin: -%s needs %s\n", d->op,
				sa_need_names[i].opt);
			return 1;
		}
	if ((d->needs & N_NAME) && !a->name) {
		fprintf(stderr, "scstadmin: -%s needs a name\n", d->op);
		return 1;
	}
	op_dir(d, a, dir);
	if (d->kind == K_SET)
		return op_set(c, dir, a->attributes);
	if (!sa_is_dir(dir)) {
		fprintf(stderr, "scstadmin: -%s: %s does not exist\n", d->op,
			dir);
		return 1;
	}
	if (d->kind == K_MGMT)
		return op_mgmt(c, d, a, dir);
	return op_attr(c, d, a, dir);
}
