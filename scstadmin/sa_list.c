// SPDX-License-Identifier: GPL-2.0-only
/*
 * The -list_* commands: objects, their attributes, and -list, the whole
 * tree at a glance (drawn from the snapshot sa_snap.c makes).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "scstadmin/sa.h"

/* Print the names of @rel's entries of @type, one per line, indented. */
static int list_names(const char *rel, enum sa_type type, const char *indent)
{
	struct sa_names l;
	size_t i;

	if (sa_list_dir(rel, type, &l))
		return 1;
	for (i = 0; i < l.n; i++)
		printf("%s%s\n", indent, l.v[i]);
	sa_names_free(&l);
	return 0;
}

/* Every attribute of @rel: name, value, writable, key. */
static int list_attrs(const char *rel)
{
	char p[SA_PATH_MAX], *v;
	struct sa_names l;
	size_t i;
	bool key;

	if (!sa_is_dir(rel) || sa_list_attrs(rel, &l)) {
		fprintf(stderr, "scstadmin: %s does not exist\n", rel);
		return 1;
	}
	printf("%-24s %-30s %-8s %s\n", "Attribute", "Value", "Writable",
	       "KEY");
	for (i = 0; i < l.n; i++) {
		sa_path(p, "%s/%s", rel, l.v[i]);
		if (sa_attr_get(p, &v, &key))
			continue;
		printf("%-24s %-30s %-8s %s\n", l.v[i], v,
		       sa_writable(p) ? "Yes" : "No", key ? "Yes" : "No");
		free(v);
	}
	sa_names_free(&l);
	return 0;
}

/* For each entry of @outer (dirs), print it and the entries under it. */
static int list_two(const char *outer, const char *inner, enum sa_type type,
		    const char *title)
{
	char p[SA_PATH_MAX];
	struct sa_names l;
	size_t i;

	if (sa_list_dir(outer, SA_DIR, &l))
		return 1;
	for (i = 0; i < l.n; i++) {
		printf("%s %s:\n", title, l.v[i]);
		sa_path(p, "%s/%s%s", outer, l.v[i], inner);
		list_names(p, type, "\t");
	}
	sa_names_free(&l);
	return 0;
}

/* Targets with their groups (@what "groups") or sessions. */
static int list_targets(const char *what)
{
	char p[SA_PATH_MAX];
	struct sa_names drvs, tgts;
	size_t i, j;

	if (sa_list_dir("targets", SA_DIR, &drvs))
		return 1;
	for (i = 0; i < drvs.n; i++) {
		printf("Driver %s:\n", drvs.v[i]);
		if (sa_list_dir(sa_path(p, "targets/%s", drvs.v[i]), SA_DIR,
				&tgts))
			continue;
		for (j = 0; j < tgts.n; j++) {
			printf("\t%s\n", tgts.v[j]);
			if (what)
				list_names(sa_path(p, "targets/%s/%s/%s",
						   drvs.v[i], tgts.v[j], what),
					   SA_DIR, "\t\t");
		}
		sa_names_free(&tgts);
	}
	sa_names_free(&drvs);
	return 0;
}

/* ----------------------------------------------------- the whole tree ---- */

static void show_node(const struct scst_conf_node *n, int depth,
		      const char *drv)
{
	const struct scst_conf_node *ch;
	bool first = true;
	char p[SA_PATH_MAX];

	printf("%*s", depth * 2, "");
	if (strcmp(n->keyword, "LUN") == 0) {
		printf("LUN %s -> %s", n->args[0], n->args[1]);
	} else if (strcmp(n->keyword, "HANDLER") == 0) {
		printf("handler %s", n->args[0]);
	} else if (strcmp(n->keyword, "TARGET_DRIVER") == 0) {
		printf("driver %s", n->args[0]);
		drv = n->args[0];
	} else {
		char *kw = strdup(n->keyword), *s;

		for (s = kw; s && *s; s++)
			*s = (char)(*s == '_' ? ' ' : *s - 'A' + 'a');
		printf("%s %s", kw ? kw : n->keyword, n->args[0]);
		free(kw);
	}
	scst_conf_for_each_child (ch, n) {
		if (scst_conf_is_section_keyword(ch->keyword))
			continue;
		printf("%s%s=%s", first ? "  [" : ", ", ch->keyword,
		       ch->value ? ch->value : "");
		first = false;
	}
	printf("%s\n", first ? "" : "]");
	scst_conf_for_each_child (ch, n)
		if (scst_conf_is_section_keyword(ch->keyword))
			show_node(ch, depth + 1, drv);
	if (strcmp(n->keyword, "TARGET") == 0 && drv)
		list_names(
		    sa_path(p, "targets/%s/%s/sessions", drv, n->args[0]),
		    SA_DIR, "      session ");
}

static int list_all(void)
{
	struct scst_conf_node *root = sa_snapshot(false), *n;

	if (!root)
		return 1;
	printf("SCST %s\n", sa_tree_root());
	scst_conf_for_each_child (n, root) {
		if (scst_conf_is_section_keyword(n->keyword))
			show_node(n, 1, NULL);
		else
			printf("  %s=%s\n", n->keyword,
			       n->value ? n->value : "");
	}
	scst_conf_free(root);
	return 0;
}

/* ------------------------------------------------------ dispatching ---- */

static int need(const char *v, const char *op, const char *opt)
{
	if (v)
		return 0;
	fprintf(stderr, "scstadmin: -%s needs %s\n", op, opt);
	return 1;
}

int sa_list(const struct sa_args *a)
{
	const char *op = a->op;
	char p[SA_PATH_MAX], base[SA_PATH_MAX];

	if (strcmp(op, "list") == 0 || strcmp(op, "list_all") == 0)
		return list_all();
	if (strcmp(op, "list_handler") == 0)
		return list_names("handlers", SA_DIR, "");
	if (strcmp(op, "list_device") == 0)
		return list_two("handlers", "", SA_LINK, "Handler");
	if (strcmp(op, "list_driver") == 0)
		return list_names("targets", SA_DIR, "");
	if (strcmp(op, "list_target") == 0)
		return list_targets(NULL);
	if (strcmp(op, "list_group") == 0)
		return list_targets("ini_groups");
	if (strcmp(op, "list_sessions") == 0)
		return list_targets("sessions");
	if (strcmp(op, "list_dgrp") == 0)
		return list_two("device_groups", "/devices", SA_LINK,
				"Device group");
	if (strcmp(op, "list_tgrp") == 0) {
		if (a->name || a->dev_group)
			return list_names(
			    sa_path(p,
				    "device_groups/%s/"
				    "target_groups",
				    a->dev_group ? a->dev_group : a->name),
			    SA_DIR, "");
		return list_two("device_groups", "/target_groups", SA_DIR,
				"Device group");
	}
	if (strcmp(op, "list_scst_attr") == 0)
		return list_attrs(".");
	if (strcmp(op, "list_hnd_attr") == 0)
		return need(a->name, op, "a handler") ||
		       list_attrs(sa_path(p, "handlers/%s", a->name));
	if (strcmp(op, "list_dev_attr") == 0)
		return need(a->name, op, "a device") ||
		       list_attrs(sa_path(p, "devices/%s", a->name));
	if (strcmp(op, "list_drv_attr") == 0)
		return need(a->name, op, "a driver") ||
		       list_attrs(sa_path(p, "targets/%s", a->name));
	if (strcmp(op, "list_dgrp_attr") == 0)
		return need(a->name, op, "a device group") ||
		       list_attrs(sa_path(p, "device_groups/%s", a->name));
	if (strcmp(op, "list_tgrp_attr") == 0)
		return need(a->name, op, "a target group") ||
		       need(a->dev_group, op, "-dev_group") ||
		       list_attrs(sa_path(p,
					  "device_groups/%s/target_groups/%s",
					  a->dev_group, a->name));
	if (strcmp(op, "list_tgt_attr") == 0 ||
	    strcmp(op, "list_grp_attr") == 0 ||
	    strcmp(op, "list_lun_attr") == 0) {
		if (need(a->name, op, "a name") ||
		    need(a->driver, op, "-driver"))
			return 1;
		if (strcmp(op, "list_tgt_attr") == 0)
			return list_attrs(
			    sa_path(p, "targets/%s/%s", a->driver, a->name));
		if (need(a->target, op, "-target"))
			return 1;
		sa_path(base, "targets/%s/%s", a->driver, a->target);
		if (strcmp(op, "list_grp_attr") == 0)
			return list_attrs(
			    sa_path(p, "%s/ini_groups/%s", base, a->name));
		if (a->group)
			return list_attrs(sa_path(p, "%s/ini_groups/%s/luns/%s",
						  base, a->group, a->name));
		return list_attrs(sa_path(p, "%s/luns/%s", base, a->name));
	}
	return -1;
}
