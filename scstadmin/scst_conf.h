/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * scst.conf: the parser, the structural (schema) check, the writer, and the
 * tree both sides share.
 *
 * The file is line oriented. A line is a keyword followed by argument words;
 * a word is a run of non-blank characters or a double-quoted string, in
 * which \" and \\ stand for " and \ (any other backslash is kept as is).
 * '#' outside quotes starts a comment. A line whose last word is a bare '{'
 * opens a block belonging to that line; a line holding only '}' closes the
 * innermost block. A bare word may not contain '"', '{' or '}' (quote it);
 * a keyword is always a bare word.
 *
 * The tree is generic: every line becomes a node (keyword, unquoted
 * arguments, whether it opened a block, children in file order, line
 * number) under a root node that stands for the file. Lines whose keyword is
 * not one of the section keywords (HANDLER, DEVICE, TARGET_DRIVER, TARGET,
 * LUN, GROUP, INITIATOR, DEVICE_GROUP, TARGET_GROUP) are attributes; the
 * value of an attribute is its arguments joined with one blank each, so
 * `name a  b` and `name "a b"` both read as the value "a b" (but are
 * different trees for scst_conf_equal()).
 *
 * Nothing here keeps global state; distinct trees and error lists may be
 * used from distinct threads at once. A tree is not locked: one writer at
 * a time.
 *
 * Semantic checks that need the running system (does the handler exist, is
 * the attribute known, is the value valid) are the caller's; it can report
 * them through the same error list with scst_conf_error().
 */
#ifndef SCST_CONF_H
#define SCST_CONF_H

#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>

#define SCST_CONF_MAX_LINE   65536	 /* bytes in a line, without '\n' */
#define SCST_CONF_MAX_DEPTH  32		 /* nested blocks */
#define SCST_CONF_MAX_SIZE   (64u << 20) /* bytes read by scst_conf_load() */
#define SCST_CONF_MAX_ERRORS 50		 /* messages kept in a list */
#define SCST_CONF_ERROR_LEN  512	 /* bytes per message, with NUL */
#define SCST_CONF_MAX_LUN    16383

/* One line of the file (or the whole file, for the root). */
struct scst_conf_node {
	char *keyword; /* "" for the root */
	char **args;   /* @argc unquoted words, then NULL */
	unsigned int argc;
	const char *value; /* args joined by one blank; NULL if argc == 0 */
	bool has_block;	   /* the line opened a block (true for the root) */
	unsigned int line; /* 1-based; 0 for a node built in memory */
	struct scst_conf_node *parent;
	struct scst_conf_node *first_child, *last_child, *next;
	unsigned int nchildren;
	char *joined; /* private: storage of @value when argc > 1 */
};

/* The errors of one parse/validation, as "file:line: message" lines. */
struct scst_conf_error {
	unsigned int line; /* 0 when the error is not tied to a line */
	char msg[SCST_CONF_ERROR_LEN];
};

struct scst_conf_errors {
	unsigned int count;   /* entries used in err[] */
	unsigned int dropped; /* further errors, counted but not kept */
	struct scst_conf_error err[SCST_CONF_MAX_ERRORS];
};

/* ------------------------------------------------------ error list ---- */

void scst_conf_errors_init(struct scst_conf_errors *errs);
/* Total number of errors reported, kept or not. */
unsigned int scst_conf_errors_total(const struct scst_conf_errors *errs);
/*
 * Add "@file:@line: <message>" ("@file: <message>" when @line is 0). Bytes
 * that are not printable are shown as '?'; a message is cut at
 * SCST_CONF_ERROR_LEN - 1 bytes. @file NULL means "scst.conf".
 */
void scst_conf_error(struct scst_conf_errors *errs, const char *file,
		     unsigned int line, const char *fmt, ...)
    __attribute__((format(printf, 4, 5)));
void scst_conf_verror(struct scst_conf_errors *errs, const char *file,
		      unsigned int line, const char *fmt, va_list ap)
    __attribute__((format(printf, 4, 0)));
/* One message per line, then "... and N more errors" if some were dropped. */
void scst_conf_errors_print(const struct scst_conf_errors *errs, FILE *f);

/* ----------------------------------------------------------- parsing ---- */

/* Flags of scst_conf_parse() and scst_conf_load(). */
#define SCST_CONF_SYNTAX_ONLY 0x1u /* skip scst_conf_validate() */

/*
 * Parse @len bytes of @text (need not be NUL-terminated) named @file in
 * messages. Then, unless SCST_CONF_SYNTAX_ONLY is set and only if the syntax
 * was correct, check the structure with scst_conf_validate().
 * Returns 0 and the tree in *@root, or a negative errno with *@root NULL and
 * the reasons in @errs: -EINVAL for errors in the input, -ENOMEM.
 * Errors are appended to @errs (initialise it first).
 */
int scst_conf_parse(const char *text, size_t len, const char *file,
		    unsigned int flags, struct scst_conf_node **root,
		    struct scst_conf_errors *errs);

/*
 * Read the file at @path (at most SCST_CONF_MAX_SIZE bytes) and parse it
 * as scst_conf_parse() does, naming it @path in messages. Also returns the
 * errors of open/read (-errno, with a message in @errs).
 */
int scst_conf_load(const char *path, unsigned int flags,
		   struct scst_conf_node **root, struct scst_conf_errors *errs);

/*
 * Check the structure of the tree under @root against the scst.conf schema:
 * which sections may appear where, their number of arguments and whether
 * they take a block; attributes have a value and no block; LUN numbers are
 * decimal 0..SCST_CONF_MAX_LUN and unique per LUN table; sibling sections
 * (and INITIATORs of a group) have distinct names; a DEVICE is defined
 * under one HANDLER only. Returns 0 or -EINVAL with the errors, sorted by
 * line, appended to @errs (which may already hold some).
 */
int scst_conf_validate(const struct scst_conf_node *root, const char *file,
		       struct scst_conf_errors *errs);

/* True if @keyword names a section (HANDLER, DEVICE, ..., TARGET_GROUP). */
bool scst_conf_is_section_keyword(const char *keyword);

/* ----------------------------------------------------------- writing ---- */

/*
 * The children of @root in canonical form: one tab per level,
 * `KEYWORD args {` ... `}`, a blank line around top-level nodes that have a
 * block, arguments quoted when empty or holding blanks, '#', '"', '\', '{'
 * or '}'. Returns 0 with a malloc'ed NUL-terminated text in *@out (free()
 * it) and its length in *@out_len; -EINVAL if the tree cannot be written (a
 * bad keyword, a newline in an argument), -ENOMEM.
 */
int scst_conf_write(const struct scst_conf_node *root, char **out,
		    size_t *out_len);

/* Same keywords, arguments, block flags and children; lines ignored. */
bool scst_conf_equal(const struct scst_conf_node *a,
		     const struct scst_conf_node *b);

/* ------------------------------------------------------ tree building ---- */

/*
 * Builders return NULL and set errno on failure: ENOMEM, or EINVAL for a
 * keyword that is not a valid bare word (empty, or holding blanks, '#',
 * '"', '{', '}' or a newline) or an argument holding a newline.
 */
struct scst_conf_node *scst_conf_new_root(void);
/* Append a new node to @parent's children. @argv holds @argc strings. */
struct scst_conf_node *scst_conf_add(struct scst_conf_node *parent,
				     const char *keyword, bool has_block,
				     unsigned int argc,
				     const char *const *argv);
/* A section with one name and a block: `KEYWORD name {`. */
struct scst_conf_node *scst_conf_add_section(struct scst_conf_node *parent,
					     const char *keyword,
					     const char *name);
/* An attribute line `name value`, appended even if @name is there. */
struct scst_conf_node *scst_conf_add_attr(struct scst_conf_node *parent,
					  const char *name, const char *value);
/*
 * Set attribute @name of @parent to the single word @value: the first
 * attribute line named @name gets it, later ones are removed; appended if
 * there is none. Returns that node.
 */
struct scst_conf_node *scst_conf_set_attr(struct scst_conf_node *parent,
					  const char *name, const char *value);
/* Replace the arguments of @node. Returns 0 or -ENOMEM / -EINVAL. */
int scst_conf_set_args(struct scst_conf_node *node, unsigned int argc,
		       const char *const *argv);
/* Take @node (and its subtree) out of its parent; it is not freed. */
void scst_conf_detach(struct scst_conf_node *node);
/* Free @node and its subtree, detaching it first. NULL is ignored. */
void scst_conf_free(struct scst_conf_node *node);

/* True if @keyword may be written as a keyword. */
bool scst_conf_keyword_ok(const char *keyword);

/* ------------------------------------------------------------ lookup ---- */

/*
 * The first child of @parent with @keyword whose first argument is @arg0
 * (any, if @arg0 is NULL), or NULL.
 */
struct scst_conf_node *scst_conf_find(const struct scst_conf_node *parent,
				      const char *keyword, const char *arg0);
/* The next sibling after @node with @keyword, or NULL. */
struct scst_conf_node *scst_conf_next(const struct scst_conf_node *node,
				      const char *keyword);
/* The value of the first child attribute @name of @parent, or NULL. */
const char *scst_conf_get(const struct scst_conf_node *parent,
			  const char *name);

/* Iterate over the children of @parent with @keyword, in file order. */
#define scst_conf_for_each(child, parent, keyword)                             \
	for ((child) = scst_conf_find((parent), (keyword), NULL); (child);     \
	     (child) = scst_conf_next((child), (keyword)))

/* Iterate over all children of @parent. */
#define scst_conf_for_each_child(child, parent)                                \
	for ((child) = (parent)->first_child; (child); (child) = (child)->next)

#endif /* SCST_CONF_H */
