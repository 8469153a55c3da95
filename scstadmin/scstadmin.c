// SPDX-License-Identifier: GPL-2.0-only
/*
 * scstadmin: configure SCST through its config tree, with SCST's command
 * line (single-dash options; the double-dash forms are accepted too).
 *
 * The tree is found at -root DIR, else $SCST_ROOT, else /run/scst_tgt.
 * Exactly one operation per run; see usage() for the list.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "scstadmin/sa.h"

#define SA_DEFAULT_ROOT "/run/scst_tgt"

static void usage(FILE *f)
{
	fputs(
	    "Usage: scstadmin [-root DIR] OPERATION [OPTIONS]\n"
	    "\n"
	    "Configuration files:\n"
	    "  -config FILE            apply FILE (only what differs)\n"
	    "  -check_config FILE      check FILE against the running system\n"
	    "  -write_config FILE      save the running configuration\n"
	    "  -clear_config           remove the whole configuration\n"
	    "Listing:\n"
	    "  -list | -list_all       the whole tree at a glance\n"
	    "  -list_handler, -list_device, -list_driver, -list_target,\n"
	    "  -list_group, -list_sessions, -list_dgrp, -list_tgrp,\n"
	    "  -list_scst_attr, -list_hnd_attr H, -list_dev_attr DEV,\n"
	    "  -list_drv_attr D, -list_tgt_attr T -driver D,\n"
	    "  -list_grp_attr G -driver D -target T,\n"
	    "  -list_lun_attr L -driver D -target T [-group G],\n"
	    "  -list_dgrp_attr DG, -list_tgrp_attr TG -dev_group DG\n"
	    "Attributes (-attributes k=v,k=v):\n"
	    "  -set_scst_attr, -set_hnd_attr H, -set_dev_attr DEV,\n"
	    "  -set_drv_attr D, -set_tgt_attr T -driver D,\n"
	    "  -set_grp_attr G -driver D -target T,\n"
	    "  -set_lun_attr L -driver D -target T [-group G],\n"
	    "  -set_dgrp_attr DG, -set_tgrp_attr TG -dev_group DG,\n"
	    "  -add_drv_attr D, -rem_drv_attr D,\n"
	    "  -add_tgt_attr T -driver D, -rem_tgt_attr T -driver D,\n"
	    "  -add_dev_attr DEV -handler H, -rem_dev_attr DEV -handler H\n"
	    "Objects:\n"
	    "  -open_dev DEV -handler H [-attributes k=v,...]\n"
	    "  -close_dev DEV -handler H\n"
	    "  -add_target T -driver D [-attributes ...], -rem_target T "
	    "-driver D\n"
	    "  -add_group G -driver D -target T, -rem_group G ...\n"
	    "  -add_init I -driver D -target T -group G, -rem_init I ...\n"
	    "  -move_init I -driver D -target T -group G -to G2\n"
	    "  -add_lun L -driver D -target T [-group G] -device DEV\n"
	    "          [-attributes read_only=1], -rem_lun L ...\n"
	    "  -add_dgrp DG, -rem_dgrp DG\n"
	    "  -add_tgrp TG -dev_group DG, -rem_tgrp TG -dev_group DG\n"
	    "  -add_dgrp_dev DEV -dev_group DG, -rem_dgrp_dev DEV -dev_group "
	    "DG\n"
	    "  -add_tgrp_tgt T -dev_group DG -tgt_group TG, -rem_tgrp_tgt ...\n"
	    "Modifiers:\n"
	    "  -noprompt     do not ask for confirmation\n"
	    "  -force        remove what the file lacks; remove busy objects\n"
	    "  -nonkey       -write_config: also non-key writable attributes\n"
	    "  -cont_on_err  go on after a failed step (no rollback)\n"
	    "  -root DIR     the config tree (default $SCST_ROOT "
	    "or " SA_DEFAULT_ROOT ")\n",
	    f);
}

/* Operations that take no value. */
static const char *const sa_flag_ops[] = {
    "clear_config",  "list",	    "list_all",	   "list_handler",
    "list_device",   "list_driver", "list_target", "list_group",
    "list_sessions", "list_dgrp",   "list_tgrp",   "list_scst_attr",
    "set_scst_attr", NULL,
};

/* Operations that take a value (a file or the object's name). */
static const char *const sa_value_ops[] = {
    "config",	      "check_config",	"write_config",
    "list_hnd_attr",  "list_dev_attr",	"list_drv_attr",
    "list_tgt_attr",  "list_grp_attr",	"list_lun_attr",
    "list_dgrp_attr", "list_tgrp_attr", "set_hnd_attr",
    "set_dev_attr",   "set_drv_attr",	"set_tgt_attr",
    "set_grp_attr",   "set_lun_attr",	"set_dgrp_attr",
    "set_tgrp_attr",  "open_dev",	"close_dev",
    "add_target",     "rem_target",	"add_group",
    "rem_group",      "add_init",	"rem_init",
    "move_init",      "add_lun",	"rem_lun",
    "add_dgrp",	      "rem_dgrp",	"add_tgrp",
    "rem_tgrp",	      "add_dgrp_dev",	"rem_dgrp_dev",
    "add_tgrp_tgt",   "rem_tgrp_tgt",	"add_drv_attr",
    "rem_drv_attr",   "add_tgt_attr",	"rem_tgt_attr",
    "add_dev_attr",   "rem_dev_attr",	NULL,
};

static bool in(const char *const *l, const char *s)
{
	for (; *l; l++)
		if (strcmp(*l, s) == 0)
			return true;
	return false;
}

/* The value option @name refers to, or NULL. */
static const char **value_opt(struct sa_args *a, const char **root,
			      const char *name)
{
	static const struct {
		const char *name;
		size_t off;
	} opts[] = {
	    {"driver", offsetof(struct sa_args, driver)},
	    {"target", offsetof(struct sa_args, target)},
	    {"group", offsetof(struct sa_args, group)},
	    {"device", offsetof(struct sa_args, device)},
	    {"handler", offsetof(struct sa_args, handler)},
	    {"to", offsetof(struct sa_args, to)},
	    {"dev_group", offsetof(struct sa_args, dev_group)},
	    {"tgt_group", offsetof(struct sa_args, tgt_group)},
	    {"attributes", offsetof(struct sa_args, attributes)},
	};
	size_t i;

	if (strcmp(name, "root") == 0)
		return root;
	for (i = 0; i < sizeof(opts) / sizeof(opts[0]); i++)
		if (strcmp(opts[i].name, name) == 0)
			return (const char **)((char *)a + opts[i].off);
	return NULL;
}

int main(int argc, char **argv)
{
	struct sa_ctx c = {0};
	struct sa_args a = {0};
	const char *root = NULL, **slot;
	const char *opt;
	int i, rc;

	for (i = 1; i < argc; i++) {
		opt = argv[i];
		if (opt[0] != '-' || !opt[1]) {
			fprintf(stderr,
				"scstadmin: unexpected argument '%s' (see "
				"-help)\n",
				opt);
			return 1;
		}
		opt += opt[1] == '-' ? 2 : 1;
		if (strcmp(opt, "h") == 0 || strcmp(opt, "help") == 0) {
			usage(stdout);
			return 0;
		}
		if (strcmp(opt, "noprompt") == 0) {
			c.noprompt = true;
		} else if (strcmp(opt, "force") == 0) {
			c.force = true;
		} else if (strcmp(opt, "nonkey") == 0) {
			c.nonkey = true;
		} else if (strcmp(opt, "cont_on_err") == 0) {
			c.cont_on_err = true;
		} else if (in(sa_flag_ops, opt) || in(sa_value_ops, opt)) {
			if (a.op) {
				fprintf(stderr,
					"scstadmin: -%s and -%s: one operation "
					"at a time\n",
					a.op, opt);
				return 1;
			}
			a.op = opt;
			if (in(sa_value_ops, opt)) {
				if (i + 1 >= argc) {
					fprintf(
					    stderr,
					    "scstadmin: -%s needs a value\n",
					    opt);
					return 1;
				}
				a.name = argv[++i];
			}
		} else if ((slot = value_opt(&a, &root, opt))) {
			if (i + 1 >= argc) {
				fprintf(stderr,
					"scstadmin: -%s needs a value\n", opt);
				return 1;
			}
			*slot = argv[++i];
		} else {
			fprintf(stderr,
				"scstadmin: unknown option %s (see -help)\n",
				argv[i]);
			return 1;
		}
	}
	if (!a.op) {
		usage(stderr);
		return 1;
	}
	if (!root)
		root = getenv("SCST_ROOT");
	if (!root || !*root)
		root = SA_DEFAULT_ROOT;
	if (sa_tree_open(root))
		return 1;

	if (strcmp(a.op, "config") == 0)
		rc = sa_config(&c, a.name);
	else if (strcmp(a.op, "check_config") == 0)
		rc = sa_check_config(&c, a.name);
	else if (strcmp(a.op, "write_config") == 0)
		rc = sa_write_config(&c, a.name);
	else if (strcmp(a.op, "clear_config") == 0)
		rc = sa_clear_config(&c);
	else if ((rc = sa_list(&a)) < 0)
		rc = sa_op(&c, &a);
	if (rc < 0) {
		fprintf(stderr, "scstadmin: -%s is not supported\n", a.op);
		rc = 1;
	}
	sa_ctx_free(&c);
	return rc;
}
