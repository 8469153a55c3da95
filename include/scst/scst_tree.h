/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * The configuration tree: SCST's sysfs layout (handlers/, devices/,
 * targets/, device_groups/ and the root attributes) kept by the core as a
 * tree of directories, attribute files and symlinks.
 *
 * Two audiences:
 *  - modules describe their own attributes (struct scst_attr tables in
 *    their templates) and management commands; they may also add and
 *    remove attribute files at run time (multi-valued attributes such as
 *    IncomingUser, IncomingUser1, ...);
 *  - a server (scstd's FUSE file system, or a kernel sysfs binding) walks
 *    the tree by path with scst_tree_stat/readdir/readlink/read/write.
 *
 * Rules that keep it deadlock-free:
 *  - writes are serialized (one configuration change at a time);
 *  - a show() callback must not take scst_mutex or wait for a write;
 *  - removing a node waits until no read or write of it is under way, so
 *    a store() must never remove its own node (defer it instead).
 */
#ifndef SCST_TREE_H
#define SCST_TREE_H

#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* Largest value an attribute shows, like a sysfs page. */
#define SCST_ATTR_MAX_SHOW 4096
/* Longest mgmt command or attribute value accepted. */
#define SCST_ATTR_MAX_STORE 4096

/* The outcome of a write, for the writer and for last_sysfs_mgmt_res. */
struct scst_mgmt_res {
	char msg[512];
};

/* Say why a write failed (printf-like); returns @err for chaining. */
int scst_mgmt_res_set(struct scst_mgmt_res *res, int err, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

/* scst_attr.flags */
#define SCST_ATTR_KEY 0x1 /* always saved: shows "[key]" */

struct scst_attr {
	const char *name;
	uint16_t mode;	/* 0444 read-only, 0644 read-write, 0200 mgmt */
	uint16_t flags; /* SCST_ATTR_* */
	/* The value and a newline into @buf; its length, or -errno. */
	int (*show)(void *obj, char *buf, size_t size);
	/*
	 * Apply @val (NUL-terminated, trailing newline removed). 0, or a
	 * negative errno with the reason put in @res by scst_mgmt_res_set.
	 */
	int (*store)(void *obj, const char *val, struct scst_mgmt_res *res);
	/* Differs from its default, so scstadmin saves it ("[key]"). */
	bool (*is_key)(void *obj);
};

/* ------------------------------------------------ building the tree ---- */

struct scst_tnode;

/* Well-known directories, for modules that add their own entries. */
struct scst_tnode *scst_tree_root(void);
struct scst_tgt;
struct scst_device;
struct scst_tgt_template;
struct scst_dev_type;
struct scst_session;
struct scst_tnode *scst_tgt_tree_dir(struct scst_tgt *tgt);
struct scst_tnode *scst_tgtt_tree_dir(struct scst_tgt_template *t);
struct scst_tnode *scst_dev_tree_dir(struct scst_device *dev);
struct scst_tnode *scst_devt_tree_dir(struct scst_dev_type *dt);
struct scst_tnode *scst_sess_tree_dir(struct scst_session *sess);

/*
 * Add a subdirectory @name to @dir, for entries a module keeps below one
 * of the directories above (e.g. one per iSCSI connection under its
 * session). NULL if the name is taken or memory is short. It goes away
 * with its parent, or earlier through scst_tree_remove_entry().
 */
struct scst_tnode *scst_tree_add_dir(struct scst_tnode *dir, const char *name);
/* Add an attribute file for @obj in @dir. -EEXIST if the name is taken. */
int scst_tree_add_attr(struct scst_tnode *dir, const struct scst_attr *attr,
		       void *obj);
/* Remove the entry @name of @dir (waits for readers); -ENOENT if none. */
int scst_tree_remove_entry(struct scst_tnode *dir, const char *name);

/* ------------------------------------------------ serving the tree ---- */

enum scst_tree_type {
	SCST_TREE_DIR,
	SCST_TREE_FILE,
	SCST_TREE_LINK,
};

struct scst_tree_stat {
	enum scst_tree_type type;
	uint16_t mode;	    /* permission bits */
	unsigned int nlink; /* subdirectories + 2, for directories */
};

/* Paths are absolute within the tree: "/targets/iscsi/mgmt". */
int scst_tree_stat(const char *path, struct scst_tree_stat *st);
/* Calls @fill for each entry, in name order; stops on a non-zero return. */
int scst_tree_readdir(const char *path,
		      int (*fill)(void *ctx, const char *name,
				  enum scst_tree_type type),
		      void *ctx);
/* The link's target, relative to its directory. Returns its length. */
int scst_tree_readlink(const char *path, char *buf, size_t size);
/* The whole content of a file into @buf. Returns its length or -errno. */
int scst_tree_read(const char *path, char *buf, size_t size);
/*
 * One write() of @len bytes to a file: an attribute value or a mgmt
 * command. Returns 0 or -errno; the message of a failure is in @res and
 * in last_sysfs_mgmt_res.
 */
int scst_tree_write(const char *path, const char *data, size_t len,
		    struct scst_mgmt_res *res);

/* --------------------------------------------- mgmt command helpers ---- */

/*
 * Split "k1=v1; k2=v2" parameter lists. Each call yields the next pair:
 * returns 1 with @key/@val filled, 0 at the end, -EINVAL if malformed
 * (with a message in @res).
 */
int scst_params_next(const char **p, char *key, size_t ksz, char *val,
		     size_t vsz, struct scst_mgmt_res *res);
/* Check that every key of @params is in the NULL-terminated @allowed. */
int scst_params_check(const char *params, const char *const *allowed,
		      const char *what, struct scst_mgmt_res *res);
/* Find @key in @params; 1 and the value in @val, or 0 if absent. */
int scst_params_get(const char *params, const char *key, char *val, size_t vsz);
/* Split the next blank-separated word off @p into @word. 0 if none. */
int scst_next_word(const char **p, char *word, size_t size);
/* Parse an unsigned decimal/hex number that must end the string. */
int scst_parse_u64(const char *s, uint64_t max, uint64_t *out);
/* "0"/"1" (also "n"/"y", "no"/"yes", "off"/"on"). */
int scst_parse_bool(const char *s, bool *out);

#endif /* SCST_TREE_H */
