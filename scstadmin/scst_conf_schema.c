// SPDX-License-Identifier: GPL-2.0-only
/*
 * The structure of scst.conf as data: conf_kinds[] says, per section kind,
 * how many arguments its line takes, whether it has a block, whether its
 * name must be unique among its siblings, and which section keywords may
 * appear inside it. Every other keyword is an attribute: a value, no block.
 * Adding a section kind touches one row here.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "scst_conf.h"

enum conf_kind {
	CONF_ROOT,
	CONF_HANDLER,
	CONF_DEVICE,	    /* HANDLER/DEVICE: a device definition */
	CONF_DRIVER,	    /* TARGET_DRIVER */
	CONF_TARGET,	    /* TARGET_DRIVER/TARGET */
	CONF_LUN,	    /* TARGET/LUN, TARGET/GROUP/LUN */
	CONF_GROUP,	    /* TARGET/GROUP: an initiator group */
	CONF_INITIATOR,	    /* TARGET/GROUP/INITIATOR */
	CONF_DGROUP,	    /* DEVICE_GROUP */
	CONF_DGROUP_DEVICE, /* DEVICE_GROUP/DEVICE: a reference */
	CONF_TGROUP,	    /* DEVICE_GROUP/TARGET_GROUP */
	CONF_TGROUP_TARGET, /* DEVICE_GROUP/TARGET_GROUP/TARGET */
	CONF_NKINDS,
};

enum conf_block {
	CONF_BLOCK_NEVER,
	CONF_BLOCK_MAY,
	CONF_BLOCK_MUST,
};

/* A section keyword allowed inside a section, and the kind it makes. */
struct conf_child {
	const char *keyword;
	enum conf_kind kind;
};

struct conf_kind_desc {
	const char *label;     /* in messages */
	unsigned int nargs;    /* 1: a name; 2: LUN number and device */
	enum conf_block block; /* may the line open a block? */
	bool unique;	       /* name unique among siblings */
	bool lun_table;	       /* its LUN children are a LUN table */
	const struct conf_child *children; /* ends with {NULL} */
};

static const struct conf_child conf_root_children[] = {
    {"HANDLER", CONF_HANDLER},
    {"TARGET_DRIVER", CONF_DRIVER},
    {"DEVICE_GROUP", CONF_DGROUP},
    {NULL},
};
static const struct conf_child conf_handler_children[] = {
    {"DEVICE", CONF_DEVICE},
    {NULL},
};
static const struct conf_child conf_driver_children[] = {
    {"TARGET", CONF_TARGET},
    {NULL},
};
static const struct conf_child conf_target_children[] = {
    {"LUN", CONF_LUN},
    {"GROUP", CONF_GROUP},
    {NULL},
};
static const struct conf_child conf_group_children[] = {
    {"LUN", CONF_LUN},
    {"INITIATOR", CONF_INITIATOR},
    {NULL},
};
static const struct conf_child conf_dgroup_children[] = {
    {"DEVICE", CONF_DGROUP_DEVICE},
    {"TARGET_GROUP", CONF_TGROUP},
    {NULL},
};
static const struct conf_child conf_tgroup_children[] = {
    {"TARGET", CONF_TGROUP_TARGET},
    {NULL},
};
static const struct conf_child conf_no_children[] = {
    {NULL},
};

/* clang-format off */
static const struct conf_kind_desc conf_kinds[CONF_NKINDS] = {
    /* label, nargs, block, unique, lun_table, children */
    [CONF_ROOT] =          {"top level",                0, CONF_BLOCK_MUST,  false, false, conf_root_children},
    [CONF_HANDLER] =       {"HANDLER",                  1, CONF_BLOCK_MUST,  true,  false, conf_handler_children},
    [CONF_DEVICE] =        {"DEVICE",                   1, CONF_BLOCK_MAY,   true,  false, conf_no_children},
    [CONF_DRIVER] =        {"TARGET_DRIVER",            1, CONF_BLOCK_MUST,  true,  false, conf_driver_children},
    [CONF_TARGET] =        {"TARGET",                   1, CONF_BLOCK_MAY,   true,  true,  conf_target_children},
    [CONF_LUN] =           {"LUN",                      2, CONF_BLOCK_MAY,   false, false, conf_no_children},
    [CONF_GROUP] =         {"GROUP",                    1, CONF_BLOCK_MUST,  true,  true,  conf_group_children},
    [CONF_INITIATOR] =     {"INITIATOR",                1, CONF_BLOCK_NEVER, true,  false, conf_no_children},
    [CONF_DGROUP] =        {"DEVICE_GROUP",             1, CONF_BLOCK_MUST,  true,  false, conf_dgroup_children},
    [CONF_DGROUP_DEVICE] = {"DEVICE of a DEVICE_GROUP", 1, CONF_BLOCK_NEVER, true,  false, conf_no_children},
    [CONF_TGROUP] =        {"TARGET_GROUP",             1, CONF_BLOCK_MUST,  true,  false, conf_tgroup_children},
    [CONF_TGROUP_TARGET] = {"TARGET of a TARGET_GROUP", 1, CONF_BLOCK_MAY,   true,  false, conf_no_children},
};
/* clang-format on */

/* Every keyword that names a section somewhere. */
static const char *const conf_section_keywords[] = {
    "HANDLER", "DEVICE",    "TARGET_DRIVER", "TARGET",	     "LUN",
    "GROUP",   "INITIATOR", "DEVICE_GROUP",  "TARGET_GROUP",
};

bool scst_conf_is_section_keyword(const char *keyword)
{
	size_t i;

	for (i = 0; i < sizeof(conf_section_keywords) /
			    sizeof(conf_section_keywords[0]);
	     i++) {
		if (!strcmp(keyword, conf_section_keywords[i]))
			return true;
	}
	return false;
}

struct conf_checker {
	const char *file;
	struct scst_conf_errors *errs;
	unsigned int errors;
};

static void conf_verr(struct conf_checker *c, const struct scst_conf_node *n,
		      const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

static void conf_verr(struct conf_checker *c, const struct scst_conf_node *n,
		      const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	scst_conf_verror(c->errs, c->file, n->line, fmt, ap);
	va_end(ap);
	c->errors++;
}

/* Names in messages are cut to this many bytes. */
#define CONF_NAME_MAX 128

/* A LUN number: decimal digits, at most SCST_CONF_MAX_LUN. */
static bool conf_lun_number(const char *s, unsigned int *lun)
{
	unsigned int v = 0;

	if (!*s)
		return false;
	for (; *s; s++) {
		if (*s < '0' || *s > '9')
			return false;
		v = v * 10 + (unsigned int)(*s - '0');
		if (v > SCST_CONF_MAX_LUN)
			return false;
	}
	*lun = v;
	return true;
}

static enum conf_kind conf_child_kind(enum conf_kind parent,
				      const char *keyword)
{
	const struct conf_child *c;

	for (c = conf_kinds[parent].children; c->keyword; c++) {
		if (!strcmp(c->keyword, keyword))
			return c->kind;
	}
	return CONF_NKINDS;
}

/* The line of @n and its arguments fit @kind; true if its name is usable. */
static bool conf_check_line(struct conf_checker *c,
			    const struct scst_conf_node *n, enum conf_kind kind)
{
	const struct conf_kind_desc *d = &conf_kinds[kind];
	bool ok = true;

	if (d->nargs == 2 && n->argc != 2) {
		conf_verr(c, n, "%s needs a number and a device name",
			  n->keyword);
		ok = false;
	} else if (d->nargs == 1 && n->argc != 1) {
		conf_verr(c, n,
			  "%s needs exactly one name (quote a name "
			  "that holds blanks)",
			  d->label);
		ok = false;
	}
	if (d->block == CONF_BLOCK_MUST && !n->has_block)
		conf_verr(c, n, "%s needs a block ('{' at the end of the line)",
			  d->label);
	else if (d->block == CONF_BLOCK_NEVER && n->has_block)
		conf_verr(c, n, "%s cannot have a block", d->label);
	return ok;
}

/* For the duplicate checks: one named child. */
struct conf_name {
	const struct scst_conf_node *n;
	const char *name; /* NULL for a LUN */
	unsigned int lun;
	unsigned int order;
};

static int conf_name_cmp(const void *pa, const void *pb)
{
	const struct conf_name *a = pa, *b = pb;
	int r;

	r = strcmp(a->n->keyword, b->n->keyword);
	if (r)
		return r;
	if (a->name && b->name) {
		r = strcmp(a->name, b->name);
		if (r)
			return r;
	} else if (a->lun != b->lun) {
		return a->lun < b->lun ? -1 : 1;
	}
	return a->order < b->order ? -1 : a->order > b->order;
}

static bool conf_name_same(const struct conf_name *a, const struct conf_name *b)
{
	if (strcmp(a->n->keyword, b->n->keyword))
		return false;
	if (a->name && b->name)
		return !strcmp(a->name, b->name);
	return !a->name && !b->name && a->lun == b->lun;
}

/* " (first at line N)", or "" for a node built in memory. */
static const char *conf_first_at(const struct scst_conf_node *first, char *buf,
				 size_t size)
{
	if (!first->line)
		return "";
	snprintf(buf, size, " (first at line %u)", first->line);
	return buf;
}

static void conf_report_dup(struct conf_checker *c,
			    const struct scst_conf_node *parent,
			    const struct conf_name *first,
			    const struct conf_name *dup)
{
	const struct scst_conf_node *gp = parent->parent;
	const char *pname = parent->argc ? parent->args[0] : "";
	const char *gname = gp && gp->argc ? gp->args[0] : "";
	char buf[40];
	const char *at = conf_first_at(first->n, buf, sizeof(buf));

	if (!dup->name && !strcmp(parent->keyword, "GROUP"))
		conf_verr(c, dup->n,
			  "duplicate LUN %u in group %.*s of target "
			  "%.*s%s",
			  dup->lun, CONF_NAME_MAX, pname, CONF_NAME_MAX, gname,
			  at);
	else if (!dup->name)
		conf_verr(c, dup->n, "duplicate LUN %u in target %.*s%s",
			  dup->lun, CONF_NAME_MAX, pname, at);
	else if (!parent->parent)
		conf_verr(c, dup->n, "duplicate %s %.*s%s", dup->n->keyword,
			  CONF_NAME_MAX, dup->name, at);
	else
		conf_verr(c, dup->n, "duplicate %s %.*s in %s %.*s%s",
			  dup->n->keyword, CONF_NAME_MAX, dup->name,
			  parent->keyword, CONF_NAME_MAX, pname, at);
}

/*
 * Report the repeated names among @parent's children that have a unique
 * name, and the repeated LUN numbers if @parent holds a LUN table.
 */
static int conf_check_dups(struct conf_checker *c,
			   const struct scst_conf_node *parent,
			   enum conf_kind kind)
{
	const struct scst_conf_node *n;
	struct conf_name *v;
	unsigned int cnt = 0, i, first;
	enum conf_kind ck;

	if (!parent->nchildren)
		return 0;
	v = calloc(parent->nchildren, sizeof(*v));
	if (!v)
		return -ENOMEM;
	for (n = parent->first_child; n; n = n->next) {
		ck = conf_child_kind(kind, n->keyword);
		if (ck == CONF_NKINDS)
			continue;
		if (ck == CONF_LUN && conf_kinds[kind].lun_table &&
		    n->argc == 2 && conf_lun_number(n->args[0], &v[cnt].lun)) {
			v[cnt].n = n;
			v[cnt].order = cnt;
			cnt++;
		} else if (conf_kinds[ck].unique && n->argc == 1) {
			v[cnt].n = n;
			v[cnt].name = n->args[0];
			v[cnt].order = cnt;
			cnt++;
		}
	}
	qsort(v, cnt, sizeof(*v), conf_name_cmp);
	for (first = 0, i = 1; i < cnt; i++) {
		if (conf_name_same(&v[first], &v[i]))
			conf_report_dup(c, parent, &v[first], &v[i]);
		else
			first = i;
	}
	free(v);
	return 0;
}

/* A DEVICE is defined under one HANDLER only. */
static int conf_check_devices(struct conf_checker *c,
			      const struct scst_conf_node *root)
{
	const struct scst_conf_node *h, *d;
	struct conf_name *v;
	unsigned int cnt = 0, i, first;
	size_t total = 0;
	char buf[40];

	for (h = root->first_child; h; h = h->next) {
		if (!strcmp(h->keyword, "HANDLER"))
			total += h->nchildren;
	}
	if (!total)
		return 0;
	v = calloc(total, sizeof(*v));
	if (!v)
		return -ENOMEM;
	for (h = root->first_child; h; h = h->next) {
		if (strcmp(h->keyword, "HANDLER") || h->argc != 1)
			continue;
		for (d = h->first_child; d; d = d->next) {
			if (strcmp(d->keyword, "DEVICE") || d->argc != 1)
				continue;
			v[cnt].n = d;
			v[cnt].name = d->args[0];
			v[cnt].order = cnt;
			cnt++;
		}
	}
	qsort(v, cnt, sizeof(*v), conf_name_cmp);
	for (first = 0, i = 1; i < cnt; i++) {
		if (!conf_name_same(&v[first], &v[i])) {
			first = i;
			continue;
		}
		/* The same handler twice is a sibling duplicate. */
		if (v[first].n->parent == v[i].n->parent)
			continue;
		conf_verr(c, v[i].n,
			  "DEVICE %.*s is already defined in HANDLER %.*s%s",
			  CONF_NAME_MAX, v[i].name, CONF_NAME_MAX,
			  v[first].n->parent->args[0],
			  conf_first_at(v[first].n, buf, sizeof(buf)));
	}
	free(v);
	return 0;
}

/* The children of @node, a section of @kind (the schema bounds the depth). */
static int conf_check_section(struct conf_checker *c,
			      const struct scst_conf_node *node,
			      enum conf_kind kind)
{
	const struct scst_conf_node *n;
	enum conf_kind ck;
	int ret;

	for (n = node->first_child; n; n = n->next) {
		if (!scst_conf_is_section_keyword(n->keyword)) {
			if (n->has_block)
				conf_verr(c, n,
					  "%s is not a section and "
					  "cannot have a block",
					  n->keyword);
			else if (!n->argc)
				conf_verr(c, n, "attribute %s needs a value",
					  n->keyword);
			continue;
		}
		ck = conf_child_kind(kind, n->keyword);
		if (ck == CONF_NKINDS) {
			conf_verr(c, n, "%s is not allowed %s%s", n->keyword,
				  kind == CONF_ROOT ? "at " : "in ",
				  conf_kinds[kind].label);
			continue;
		}
		if (ck == CONF_LUN && n->argc == 2) {
			unsigned int lun;

			if (!conf_lun_number(n->args[0], &lun))
				conf_verr(c, n,
					  "invalid LUN number %.*s (must be "
					  "a decimal number 0..%d)",
					  CONF_NAME_MAX, n->args[0],
					  SCST_CONF_MAX_LUN);
		}
		conf_check_line(c, n, ck);
		if (n->has_block && conf_kinds[ck].block != CONF_BLOCK_NEVER) {
			ret = conf_check_section(c, n, ck);
			if (ret)
				return ret;
		}
	}
	return conf_check_dups(c, node, kind);
}

/* Stable sort of the errors from @from on by line (at most 50: insertion). */
static void conf_sort_errors(struct scst_conf_errors *errs, unsigned int from)
{
	struct scst_conf_error tmp;
	unsigned int i, j;

	for (i = from + 1; i < errs->count; i++) {
		if (errs->err[i - 1].line <= errs->err[i].line)
			continue;
		tmp = errs->err[i];
		for (j = i; j > from && errs->err[j - 1].line > tmp.line; j--)
			errs->err[j] = errs->err[j - 1];
		errs->err[j] = tmp;
	}
}

int scst_conf_validate(const struct scst_conf_node *root, const char *file,
		       struct scst_conf_errors *errs)
{
	struct conf_checker c = {.file = file, .errs = errs};
	unsigned int from = errs->count;
	int ret;

	ret = conf_check_section(&c, root, CONF_ROOT);
	if (!ret)
		ret = conf_check_devices(&c, root);
	conf_sort_errors(errs, from);
	if (ret) {
		scst_conf_error(errs, file, 0, "out of memory");
		return ret;
	}
	return c.errors ? -EINVAL : 0;
}
