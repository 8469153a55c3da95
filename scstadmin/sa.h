/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * scstadmin internals, split by role:
 *   sa_tree.c   reading and writing the config tree (the FUSE mount)
 *   sa_snap.c   the running tree as an scst.conf tree (write_config, list)
 *   sa_check.c  semantic checks of a parsed scst.conf against the tree
 *   sa_apply.c  -config (apply the differences) and -clear_config
 *   sa_ops.c    the single-object commands (-add_target, -set_dev_attr, ...)
 *   sa_list.c   the -list_* commands
 *   scstadmin.c main and option parsing
 *
 * Paths given to sa_* functions are relative to the tree root ("handlers/
 * scst_null/mgmt"). Errors are negative errnos; messages go to stderr.
 */
#ifndef SA_H
#define SA_H

#include <stdbool.h>
#include <stddef.h>

#include "scstadmin/scst_conf.h"

#define SA_PATH_MAX 4096
#define SA_MSG_MAX  1024

/* A sorted list of names. */
struct sa_names {
	char **v;
	size_t n;
};

void sa_names_free(struct sa_names *l);
bool sa_names_has(const struct sa_names *l, const char *name);
int sa_names_add(struct sa_names *l, const char *name);

/* ------------------------------------------------------- sa_tree.c ---- */

/* Entry types for sa_list_dir() filters. */
enum sa_type {
	SA_ANY,
	SA_DIR,
	SA_FILE,
	SA_LINK,
};

/* Where the tree is; 0, or -errno with a message printed. */
int sa_tree_open(const char *root);
const char *sa_tree_root(void);
/* Format a relative path into @buf (SA_PATH_MAX bytes); returns @buf. */
char *sa_path(char *buf, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));
/* The type of the entry at @rel, or -errno (lstat: links not followed). */
int sa_type(const char *rel);
bool sa_exists(const char *rel);
bool sa_is_dir(const char *rel);
/* A file whose permission bits allow writing. */
bool sa_writable(const char *rel);
/* Names of the entries of @rel of type @type (SA_ANY: all), sorted. */
int sa_list_dir(const char *rel, enum sa_type type, struct sa_names *out);
/* Attribute files of a directory: regular files other than mgmt. */
int sa_list_attrs(const char *rel, struct sa_names *out);
/* The whole content of the file @rel, malloc'ed. */
int sa_read(const char *rel, char **out);
/*
 * An attribute's value: the content without its "[key]" line and without
 * the last newline. @key (may be NULL) tells whether it was marked.
 */
int sa_attr_get(const char *rel, char **val, bool *key);
/* The link target of @rel into @buf; its length or -errno. */
int sa_readlink(const char *rel, char *buf, size_t size);
/*
 * One write() of @data to @rel. On failure, the tree's message (from
 * last_sysfs_mgmt_res, else strerror) is put in @msg.
 */
int sa_write(const char *rel, const char *data, char *msg, size_t msgsz);
/*
 * The names a mgmt file lists after "The following <what> available: ",
 * e.g. what = "parameters" or "target parameters". Empty if none.
 */
int sa_mgmt_names(const char *mgmt_rel, const char *what, struct sa_names *out);
/*
 * For numbered attributes (IncomingUser, IncomingUser1, ...): the base
 * name of @name if it is one of @multi (possibly with a number after it),
 * else @name itself. Writes into @buf (at least strlen(name) + 1 bytes).
 */
const char *sa_attr_base(const char *name, const struct sa_names *multi,
			 char *buf);

/* ------------------------------------------- actions (sa_apply.c) ---- */

/* Options and counters of one scstadmin run. */
struct sa_ctx {
	bool force;	  /* -force: remove what the file lacks, busy objects */
	bool noprompt;	  /* -noprompt */
	bool nonkey;	  /* -nonkey: write non-key writable attributes too */
	bool cont_on_err; /* -cont_on_err: go on after a failed step */
	bool rollback;	  /* undo the changes of this run when a step fails */
	unsigned int changes;
	unsigned int failures;
	/* Inverse commands of the changes done, for rollback. */
	struct sa_undo *undo;
	size_t nundo, undo_cap;
};

/*
 * Write @cmd to @rel as one step. On success print @done (unless NULL)
 * and remember @undo_cmd for @undo_rel (both may be NULL) for a rollback;
 * on failure print what was attempted and the tree's message. Returns 0
 * or -errno.
 */
int sa_step(struct sa_ctx *c, const char *rel, const char *cmd,
	    const char *undo_rel, const char *undo_cmd, const char *done);
/* Undo the recorded steps, newest first. */
void sa_rollback(struct sa_ctx *c);
void sa_ctx_free(struct sa_ctx *c);

/* Apply @path: parse, check, then change what differs. Exit status. */
int sa_config(struct sa_ctx *c, const char *path);
/* Parse and check only. Exit status. */
int sa_check_config(struct sa_ctx *c, const char *path);
/* Remove everything. Exit status. */
int sa_clear_config(struct sa_ctx *c);

/* ------------------------------------------------------ sa_check.c ---- */

/*
 * The semantic checks of a parsed file against the running tree; errors
 * go to @errs with file:line. Returns the number of errors.
 */
unsigned int sa_check(const struct scst_conf_node *root, const char *file,
		      bool force, struct scst_conf_errors *errs);

/* ------------------------------------------------------- sa_snap.c ---- */

/*
 * The running tree as an scst.conf tree: key attributes (and with
 * @nonkey the writable non-key ones), every object. NULL on error.
 */
struct scst_conf_node *sa_snapshot(bool nonkey);
/* -write_config: the snapshot written atomically to @path. Exit status. */
int sa_write_config(struct sa_ctx *c, const char *path);
/* Sort LUN directory names numerically. */
void sa_sort_luns(struct sa_names *l);

/* -------------------------------------------------------- sa_ops.c ---- */

/* The parsed command line of a single-object command. */
struct sa_args {
	const char *op;	  /* the option, without dashes: "add_target" */
	const char *name; /* its argument */
	const char *driver, *target, *group, *device, *handler, *to;
	const char *dev_group, *tgt_group, *attributes;
};

/* Run a single-object command (add/rem/set/move). Exit status; -1 if @op
 * is not one of them. */
int sa_op(struct sa_ctx *c, const struct sa_args *a);
/* Run a -list_* command. Exit status; -1 if @op is not one of them. */
int sa_list(const struct sa_args *a);

#endif /* SA_H */
