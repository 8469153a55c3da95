// SPDX-License-Identifier: GPL-2.0-only
/*
 * scst.conf tree: nodes, builders, lookup, comparison, and the error list
 * shared by the parser (scst_conf_parse.c), the schema check
 * (scst_conf_schema.c) and the writer (scst_conf_write.c).
 */
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "scst_conf.h"

/* ------------------------------------------------------ error list ---- */

void scst_conf_errors_init(struct scst_conf_errors *errs)
{
	errs->count = 0;
	errs->dropped = 0;
}

unsigned int scst_conf_errors_total(const struct scst_conf_errors *errs)
{
	return errs->count + errs->dropped;
}

void scst_conf_verror(struct scst_conf_errors *errs, const char *file,
		      unsigned int line, const char *fmt, va_list ap)
{
	struct scst_conf_error *e;
	size_t n;
	int len;
	char *p;

	if (errs->count >= SCST_CONF_MAX_ERRORS) {
		errs->dropped++;
		return;
	}
	e = &errs->err[errs->count++];
	e->line = line;
	if (!file)
		file = "scst.conf";
	if (line)
		len = snprintf(e->msg, sizeof(e->msg), "%s:%u: ", file, line);
	else
		len = snprintf(e->msg, sizeof(e->msg), "%s: ", file);
	n = len < 0 ? 0 : (size_t)len;
	if (n < sizeof(e->msg))
		vsnprintf(e->msg + n, sizeof(e->msg) - n, fmt, ap);
	/* Names come from the input: keep the message one printable line. */
	for (p = e->msg; *p; p++) {
		if ((unsigned char)*p < 0x20 || *p == 0x7f)
			*p = '?';
	}
}

void scst_conf_error(struct scst_conf_errors *errs, const char *file,
		     unsigned int line, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	scst_conf_verror(errs, file, line, fmt, ap);
	va_end(ap);
}

void scst_conf_errors_print(const struct scst_conf_errors *errs, FILE *f)
{
	unsigned int i;

	for (i = 0; i < errs->count; i++)
		fprintf(f, "%s\n", errs->err[i].msg);
	if (errs->dropped)
		fprintf(f, "... and %u more error%s\n", errs->dropped,
			errs->dropped == 1 ? "" : "s");
}

/* ----------------------------------------------------------- nodes ---- */

bool scst_conf_keyword_ok(const char *keyword)
{
	const char *p;

	if (!keyword || !*keyword)
		return false;
	for (p = keyword; *p; p++) {
		if (strchr(" \t\r\v\f\n#\"{}", *p))
			return false;
	}
	return true;
}

static bool conf_args_ok(unsigned int argc, const char *const *argv)
{
	unsigned int i;

	for (i = 0; i < argc; i++) {
		if (!argv[i] || strchr(argv[i], '\n'))
			return false;
	}
	return true;
}

static void conf_free_args(char **args, unsigned int argc, char *joined)
{
	unsigned int i;

	if (args) {
		for (i = 0; i < argc; i++)
			free(args[i]);
		free(args);
	}
	free(joined);
}

/*
 * Copy @argv into a new vector (in *@args) and compute the joined value
 * (in *@joined, NULL unless argc > 1). Returns 0 or -ENOMEM.
 */
static int conf_copy_args(unsigned int argc, const char *const *argv,
			  char ***args, char **joined)
{
	size_t total = 0, n;
	unsigned int i;
	char **v, *j = NULL, *p;

	v = calloc((size_t)argc + 1, sizeof(*v));
	if (!v)
		return -ENOMEM;
	for (i = 0; i < argc; i++) {
		v[i] = strdup(argv[i]);
		if (!v[i])
			goto out_nomem;
		total += strlen(argv[i]) + 1;
	}
	if (argc > 1) {
		j = malloc(total);
		if (!j)
			goto out_nomem;
		p = j;
		for (i = 0; i < argc; i++) {
			n = strlen(v[i]);
			memcpy(p, v[i], n);
			p += n;
			*p++ = i + 1 < argc ? ' ' : '\0';
		}
	}
	*args = v;
	*joined = j;
	return 0;

out_nomem:
	conf_free_args(v, argc, NULL);
	return -ENOMEM;
}

static void conf_set_value(struct scst_conf_node *n)
{
	if (n->argc == 0)
		n->value = NULL;
	else if (n->argc == 1)
		n->value = n->args[0];
	else
		n->value = n->joined;
}

int scst_conf_set_args(struct scst_conf_node *node, unsigned int argc,
		       const char *const *argv)
{
	char **args, *joined;
	int ret;

	if (!conf_args_ok(argc, argv))
		return -EINVAL;
	ret = conf_copy_args(argc, argv, &args, &joined);
	if (ret)
		return ret;
	conf_free_args(node->args, node->argc, node->joined);
	node->args = args;
	node->argc = argc;
	node->joined = joined;
	conf_set_value(node);
	return 0;
}

static struct scst_conf_node *conf_node_new(const char *keyword, bool has_block,
					    unsigned int argc,
					    const char *const *argv)
{
	struct scst_conf_node *n;
	int ret;

	n = calloc(1, sizeof(*n));
	if (!n)
		goto out_nomem;
	n->keyword = strdup(keyword);
	if (!n->keyword)
		goto out_free;
	ret = conf_copy_args(argc, argv, &n->args, &n->joined);
	if (ret)
		goto out_free;
	n->argc = argc;
	n->has_block = has_block;
	conf_set_value(n);
	return n;

out_free:
	free(n->keyword);
	free(n);
out_nomem:
	errno = ENOMEM;
	return NULL;
}

struct scst_conf_node *scst_conf_new_root(void)
{
	return conf_node_new("", true, 0, NULL);
}

struct scst_conf_node *scst_conf_add(struct scst_conf_node *parent,
				     const char *keyword, bool has_block,
				     unsigned int argc, const char *const *argv)
{
	struct scst_conf_node *n;

	if (!scst_conf_keyword_ok(keyword) || !conf_args_ok(argc, argv)) {
		errno = EINVAL;
		return NULL;
	}
	n = conf_node_new(keyword, has_block, argc, argv);
	if (!n)
		return NULL;
	n->parent = parent;
	if (parent->last_child)
		parent->last_child->next = n;
	else
		parent->first_child = n;
	parent->last_child = n;
	parent->nchildren++;
	return n;
}

struct scst_conf_node *scst_conf_add_section(struct scst_conf_node *parent,
					     const char *keyword,
					     const char *name)
{
	return scst_conf_add(parent, keyword, true, 1, &name);
}

struct scst_conf_node *scst_conf_add_attr(struct scst_conf_node *parent,
					  const char *name, const char *value)
{
	return scst_conf_add(parent, name, false, 1, &value);
}

static bool conf_is_attr(const struct scst_conf_node *n, const char *name)
{
	return !n->has_block && !strcmp(n->keyword, name);
}

struct scst_conf_node *scst_conf_set_attr(struct scst_conf_node *parent,
					  const char *name, const char *value)
{
	struct scst_conf_node *n, *found = NULL, *next;
	int ret;

	if (!scst_conf_keyword_ok(name) || !conf_args_ok(1, &value)) {
		errno = EINVAL;
		return NULL;
	}
	for (n = parent->first_child; n; n = n->next) {
		if (conf_is_attr(n, name)) {
			found = n;
			break;
		}
	}
	if (!found)
		return scst_conf_add_attr(parent, name, value);
	ret = scst_conf_set_args(found, 1, &value);
	if (ret) {
		errno = -ret;
		return NULL;
	}
	for (n = found->next; n; n = next) {
		next = n->next;
		if (conf_is_attr(n, name))
			scst_conf_free(n);
	}
	return found;
}

void scst_conf_detach(struct scst_conf_node *node)
{
	struct scst_conf_node *parent = node->parent, *prev;

	if (!parent)
		return;
	if (parent->first_child == node) {
		parent->first_child = node->next;
		prev = NULL;
	} else {
		for (prev = parent->first_child; prev && prev->next != node;
		     prev = prev->next)
			;
		if (!prev)
			return; /* not a child: tree corrupted, leave it */
		prev->next = node->next;
	}
	if (parent->last_child == node)
		parent->last_child = prev;
	parent->nchildren--;
	node->parent = NULL;
	node->next = NULL;
}

static void conf_free_subtree(struct scst_conf_node *node)
{
	struct scst_conf_node *c, *next;

	for (c = node->first_child; c; c = next) {
		next = c->next;
		conf_free_subtree(c);
	}
	conf_free_args(node->args, node->argc, node->joined);
	free(node->keyword);
	free(node);
}

void scst_conf_free(struct scst_conf_node *node)
{
	if (!node)
		return;
	scst_conf_detach(node);
	conf_free_subtree(node);
}

/* ------------------------------------------------------------ lookup ---- */

static bool conf_match(const struct scst_conf_node *n, const char *keyword,
		       const char *arg0)
{
	if (strcmp(n->keyword, keyword))
		return false;
	return !arg0 || (n->argc && !strcmp(n->args[0], arg0));
}

struct scst_conf_node *scst_conf_find(const struct scst_conf_node *parent,
				      const char *keyword, const char *arg0)
{
	struct scst_conf_node *n;

	for (n = parent->first_child; n; n = n->next) {
		if (conf_match(n, keyword, arg0))
			return n;
	}
	return NULL;
}

struct scst_conf_node *scst_conf_next(const struct scst_conf_node *node,
				      const char *keyword)
{
	struct scst_conf_node *n;

	for (n = node->next; n; n = n->next) {
		if (conf_match(n, keyword, NULL))
			return n;
	}
	return NULL;
}

const char *scst_conf_get(const struct scst_conf_node *parent, const char *name)
{
	const struct scst_conf_node *n;

	for (n = parent->first_child; n; n = n->next) {
		if (conf_is_attr(n, name))
			return n->value;
	}
	return NULL;
}

/* -------------------------------------------------------- comparison ---- */

bool scst_conf_equal(const struct scst_conf_node *a,
		     const struct scst_conf_node *b)
{
	const struct scst_conf_node *ca, *cb;
	unsigned int i;

	if (strcmp(a->keyword, b->keyword) || a->argc != b->argc ||
	    a->has_block != b->has_block || a->nchildren != b->nchildren)
		return false;
	for (i = 0; i < a->argc; i++) {
		if (strcmp(a->args[i], b->args[i]))
			return false;
	}
	for (ca = a->first_child, cb = b->first_child; ca && cb;
	     ca = ca->next, cb = cb->next) {
		if (!scst_conf_equal(ca, cb))
			return false;
	}
	return !ca && !cb;
}
