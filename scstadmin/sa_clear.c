// SPDX-License-Identifier: GPL-2.0-only
/*
 * -clear_config: remove everything, in the reverse of the apply order:
 * disable targets and drivers, then per target its groups' LUNs,
 * initiators, groups and LUNs, then the targets, the device groups and the
 * devices. A target with sessions, and a device still exported, are left
 * alone unless -force (scst_local's sessions go with their target).
 */
#include <libgen.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "scstadmin/sa.h"

static bool dir_empty(const char *rel)
{
	struct sa_names l;
	bool empty;

	if (sa_list_dir(rel, SA_ANY, &l))
		return true;
	empty = l.n == 0;
	sa_names_free(&l);
	return empty;
}

/* Write 0 to an "enabled" that is set ([key]). */
static int disable(struct sa_ctx *c, const char *rel, const char *what)
{
	char *val = NULL, done[SA_PATH_MAX];
	bool key;
	int rc = 0;

	if (!sa_writable(rel) || sa_attr_get(rel, &val, &key))
		return 0;
	if (key && strcmp(val, "0")) {
		snprintf(done, sizeof(done), "disabled %s", what);
		rc = sa_step(c, rel, "0", NULL, NULL, done);
	}
	free(val);
	return rc;
}

static int clear_target(struct sa_ctx *c, const char *drv, const char *tgt)
{
	char t[SA_PATH_MAX], p[SA_PATH_MAX], done[SA_PATH_MAX], cmd[600];
	struct sa_names groups;
	size_t i;
	int rc = 0;

	sa_path(t, "targets/%s/%s", drv, tgt);
	if (!dir_empty(sa_path(p, "%s/sessions", t)) && !c->force) {
		fprintf(stderr,
			"scstadmin: target %s has sessions; not removed (use "
			"-force)\n",
			tgt);
		c->failures++;
		return 0;
	}
	if (sa_list_dir(sa_path(p, "%s/ini_groups", t), SA_DIR, &groups))
		groups.n = 0;
	for (i = 0; !rc && i < groups.n; i++) {
		snprintf(done, sizeof(done), "removed group %s of target %s",
			 groups.v[i], tgt);
		rc = sa_step(
		    c, sa_path(p, "%s/ini_groups/%s/luns/mgmt", t, groups.v[i]),
		    "clear", NULL, NULL, NULL);
		if (!rc)
			rc = sa_step(c,
				     sa_path(p,
					     "%s/ini_groups/%s/initiators/mgmt",
					     t, groups.v[i]),
				     "clear", NULL, NULL, NULL);
		snprintf(cmd, sizeof(cmd), "del %s", groups.v[i]);
		if (!rc)
			rc = sa_step(c, sa_path(p, "%s/ini_groups/mgmt", t),
				     cmd, NULL, NULL, done);
	}
	sa_names_free(&groups);
	if (rc)
		return rc;
	if (!dir_empty(sa_path(p, "%s/luns", t)) &&
	    (rc = sa_step(c, sa_path(p, "%s/luns/mgmt", t), "clear", NULL, NULL,
			  NULL)))
		return rc;
	snprintf(cmd, sizeof(cmd), "del_target %s", tgt);
	snprintf(done, sizeof(done), "removed target %s", tgt);
	return sa_step(c, sa_path(p, "targets/%s/mgmt", drv), cmd, NULL, NULL,
		       done);
}

static int clear_targets(struct sa_ctx *c)
{
	char p[SA_PATH_MAX], what[SA_PATH_MAX];
	struct sa_names drvs, tgts;
	size_t i, j;
	int rc = 0;

	if (sa_list_dir("targets", SA_DIR, &drvs))
		return 0;
	/* Disable first, so that no new session comes in meanwhile. */
	for (i = 0; i < drvs.n; i++) {
		if (sa_list_dir(sa_path(p, "targets/%s", drvs.v[i]), SA_DIR,
				&tgts))
			continue;
		for (j = 0; j < tgts.n; j++) {
			snprintf(what, sizeof(what), "target %s", tgts.v[j]);
			rc |= disable(c,
				      sa_path(p, "targets/%s/%s/enabled",
					      drvs.v[i], tgts.v[j]),
				      what);
		}
		sa_names_free(&tgts);
		snprintf(what, sizeof(what), "driver %s", drvs.v[i]);
		rc |= disable(c, sa_path(p, "targets/%s/enabled", drvs.v[i]),
			      what);
	}
	for (i = 0; i < drvs.n && (!rc || c->cont_on_err); i++) {
		if (sa_list_dir(sa_path(p, "targets/%s", drvs.v[i]), SA_DIR,
				&tgts))
			continue;
		for (j = 0; j < tgts.n && (!rc || c->cont_on_err); j++)
			rc = clear_target(c, drvs.v[i], tgts.v[j]);
		sa_names_free(&tgts);
	}
	sa_names_free(&drvs);
	return rc;
}

static int clear_dgroups(struct sa_ctx *c)
{
	char cmd[600], done[600];
	struct sa_names dgs;
	size_t i;
	int rc = 0;

	if (sa_list_dir("device_groups", SA_DIR, &dgs))
		return 0;
	for (i = 0; i < dgs.n && (!rc || c->cont_on_err); i++) {
		snprintf(cmd, sizeof(cmd), "del %s", dgs.v[i]);
		snprintf(done, sizeof(done), "removed device group %s",
			 dgs.v[i]);
		rc = sa_step(c, "device_groups/mgmt", cmd, NULL, NULL, done);
	}
	sa_names_free(&dgs);
	return rc;
}

static int clear_devices(struct sa_ctx *c)
{
	char p[SA_PATH_MAX], link[SA_PATH_MAX], cmd[600], done[600];
	struct sa_names devs;
	size_t i;
	int rc = 0;

	if (sa_list_dir("devices", SA_DIR, &devs))
		return 0;
	for (i = 0; i < devs.n && (!rc || c->cont_on_err); i++) {
		if (!dir_empty(sa_path(p, "devices/%s/exported", devs.v[i])) &&
		    !c->force) {
			fprintf(stderr,
				"scstadmin: device %s is exported; not removed "
				"(use -force)\n",
				devs.v[i]);
			c->failures++;
			continue;
		}
		if (sa_readlink(sa_path(p, "devices/%s/handler", devs.v[i]),
				link, sizeof(link)) < 0)
			continue;
		snprintf(cmd, sizeof(cmd), "del_device %s", devs.v[i]);
		snprintf(done, sizeof(done), "removed device %s", devs.v[i]);
		rc = sa_step(c, sa_path(p, "handlers/%s/mgmt", basename(link)),
			     cmd, NULL, NULL, done);
	}
	sa_names_free(&devs);
	return rc;
}

int sa_clear_config(struct sa_ctx *c)
{
	char answer[16];
	int rc;

	if (!c->noprompt) {
		printf("This removes all targets, groups, LUNs, device groups "
		       "and devices of %s.\nContinue? [y/N] ",
		       sa_tree_root());
		fflush(stdout);
		if (!fgets(answer, sizeof(answer), stdin) ||
		    (answer[0] != 'y' && answer[0] != 'Y')) {
			printf("Aborted; nothing was changed.\n");
			return 1;
		}
	}
	rc = clear_targets(c);
	if (!rc || c->cont_on_err)
		rc = clear_dgroups(c);
	if (!rc || c->cont_on_err)
		rc = clear_devices(c);
	if (rc || c->failures) {
		fprintf(stderr,
			"scstadmin: clearing the configuration failed "
			"(%u error%s)\n",
			c->failures, c->failures == 1 ? "" : "s");
		return 1;
	}
	printf(c->changes ? "configuration cleared\n"
			  : "nothing to do: the configuration is empty\n");
	return 0;
}
