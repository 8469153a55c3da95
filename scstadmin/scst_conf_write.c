// SPDX-License-Identifier: GPL-2.0-only
/*
 * scst.conf writer: the tree in canonical form into a growable memory
 * buffer. What it writes parses back into an equal tree.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "scst_conf.h"

struct conf_buf {
	char *data;
	size_t len, cap;
	int err; /* first error; nothing is added after one */
};

static void conf_buf_put(struct conf_buf *b, const char *s, size_t n)
{
	size_t cap;
	char *d;

	if (b->err)
		return;
	if (b->cap - b->len <= n) {
		cap = b->cap ? b->cap : 4096;
		while (cap - b->len <= n) {
			if (cap > ((size_t)-1) / 2) {
				b->err = -ENOMEM;
				return;
			}
			cap *= 2;
		}
		d = realloc(b->data, cap);
		if (!d) {
			b->err = -ENOMEM;
			return;
		}
		b->data = d;
		b->cap = cap;
	}
	memcpy(b->data + b->len, s, n);
	b->len += n;
	b->data[b->len] = '\0';
}

static void conf_buf_str(struct conf_buf *b, const char *s)
{
	conf_buf_put(b, s, strlen(s));
}

/* Does @s need quotes to read back as one word equal to @s? */
static bool conf_needs_quotes(const char *s)
{
	return !*s || strpbrk(s, " \t\r\v\f#\"\\{}");
}

static void conf_write_word(struct conf_buf *b, const char *s)
{
	const char *p, *q;

	if (strchr(s, '\n')) {
		b->err = b->err ? b->err : -EINVAL;
		return;
	}
	if (!conf_needs_quotes(s)) {
		conf_buf_str(b, s);
		return;
	}
	conf_buf_put(b, "\"", 1);
	for (p = s; *p; p = q) {
		q = p + strcspn(p, "\"\\");
		conf_buf_put(b, p, (size_t)(q - p));
		if (*q) {
			conf_buf_put(b, "\\", 1);
			conf_buf_put(b, q, 1);
			q++;
		}
	}
	conf_buf_put(b, "\"", 1);
}

static void conf_write_children(struct conf_buf *b,
				const struct scst_conf_node *parent,
				unsigned int level);

static void conf_write_node(struct conf_buf *b, const struct scst_conf_node *n,
			    unsigned int level)
{
	unsigned int i;

	if (!scst_conf_keyword_ok(n->keyword)) {
		b->err = b->err ? b->err : -EINVAL;
		return;
	}
	for (i = 0; i < level; i++)
		conf_buf_put(b, "\t", 1);
	conf_buf_str(b, n->keyword);
	for (i = 0; i < n->argc; i++) {
		conf_buf_put(b, " ", 1);
		conf_write_word(b, n->args[i]);
	}
	if (!n->has_block) {
		conf_buf_put(b, "\n", 1);
		return;
	}
	conf_buf_put(b, " {\n", 3);
	conf_write_children(b, n, level + 1);
	for (i = 0; i < level; i++)
		conf_buf_put(b, "\t", 1);
	conf_buf_put(b, "}\n", 2);
}

static void conf_write_children(struct conf_buf *b,
				const struct scst_conf_node *parent,
				unsigned int level)
{
	const struct scst_conf_node *n, *prev = NULL;

	for (n = parent->first_child; n && !b->err; prev = n, n = n->next) {
		/* At the top, a blank line around each node with a block. */
		if (level == 0 && prev && (prev->has_block || n->has_block))
			conf_buf_put(b, "\n", 1);
		conf_write_node(b, n, level);
	}
}

int scst_conf_write(const struct scst_conf_node *root, char **out,
		    size_t *out_len)
{
	struct conf_buf b = {0};

	*out = NULL;
	*out_len = 0;
	conf_buf_put(&b, "", 0);
	conf_write_children(&b, root, 0);
	if (b.err) {
		free(b.data);
		return b.err;
	}
	*out = b.data;
	*out_len = b.len;
	return 0;
}
