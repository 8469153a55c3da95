// SPDX-License-Identifier: GPL-2.0-only
/*
 * scst.conf parser: splits the text into lines, each line into words
 * (conf_tokenize()), and builds the tree with a stack of open blocks.
 * A line with an error is reported and skipped; parsing goes on so that
 * every error of the file is reported at once (up to the list's limit).
 */
#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "scst_conf.h"

/* One word of a line. */
struct conf_word {
	char *text;  /* unquoted */
	bool quoted; /* was a "..." string */
};

/* The words of the line being parsed. */
struct conf_line {
	struct conf_word *w;
	unsigned int n, cap;
};

struct conf_parser {
	const char *file;
	struct scst_conf_errors *errs;
	unsigned int errors; /* reported by this parse */
	unsigned int line;
	struct scst_conf_node *stack[SCST_CONF_MAX_DEPTH + 1];
	unsigned int depth;	    /* open blocks; stack[0] is the root */
	unsigned int skipped_depth; /* open blocks beyond the limit */
	bool nomem;
};

static bool conf_blank(char c)
{
	return c == ' ' || c == '\t' || c == '\r' || c == '\v' || c == '\f';
}

static void conf_perror(struct conf_parser *p, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));

static void conf_perror(struct conf_parser *p, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	scst_conf_verror(p->errs, p->file, p->line, fmt, ap);
	va_end(ap);
	p->errors++;
}

static void conf_line_clear(struct conf_line *l)
{
	unsigned int i;

	for (i = 0; i < l->n; i++)
		free(l->w[i].text);
	l->n = 0;
}

static int conf_line_add(struct conf_line *l, char *text, bool quoted)
{
	struct conf_word *w;
	unsigned int cap;

	if (l->n == l->cap) {
		cap = l->cap ? l->cap * 2 : 16;
		w = realloc(l->w, cap * sizeof(*w));
		if (!w) {
			free(text);
			return -ENOMEM;
		}
		l->w = w;
		l->cap = cap;
	}
	l->w[l->n].text = text;
	l->w[l->n].quoted = quoted;
	l->n++;
	return 0;
}

/* The quoted string after the '"' at *@pos; advances *@pos past it. */
static int conf_quoted(struct conf_parser *p, const char *s, size_t len,
		       size_t *pos, char **out)
{
	size_t i = *pos + 1, n = 0;
	char *buf;

	buf = malloc(len - *pos);
	if (!buf)
		return -ENOMEM;
	for (;;) {
		if (i == len) {
			free(buf);
			conf_perror(p, "unterminated quoted string");
			return -EINVAL;
		}
		if (s[i] == '\\' && i + 1 < len &&
		    (s[i + 1] == '"' || s[i + 1] == '\\')) {
			buf[n++] = s[i + 1];
			i += 2;
		} else if (s[i] == '"') {
			i++;
			break;
		} else {
			buf[n++] = s[i++];
		}
	}
	if (i < len && !conf_blank(s[i]) && s[i] != '#') {
		free(buf);
		conf_perror(p, "a quoted string must be followed by a blank");
		return -EINVAL;
	}
	buf[n] = '\0';
	*pos = i;
	*out = buf;
	return 0;
}

/* The bare word at *@pos; advances *@pos past it. */
static int conf_bare(struct conf_parser *p, const char *s, size_t len,
		     size_t *pos, char **out)
{
	size_t start = *pos, i;
	bool brace = false;

	for (i = start; i < len && !conf_blank(s[i]) && s[i] != '#'; i++) {
		if (s[i] == '"') {
			conf_perror(p, "'\"' inside a word (quote the whole "
				       "word)");
			return -EINVAL;
		}
		if (s[i] == '{' || s[i] == '}')
			brace = true;
	}
	if (brace && i - start != 1) {
		conf_perror(p, "'{' and '}' must be separated from other "
			       "words by blanks");
		return -EINVAL;
	}
	*out = strndup(s + start, i - start);
	if (!*out)
		return -ENOMEM;
	*pos = i;
	return 0;
}

/* Split one line (without its '\n') into words; comments dropped. */
static int conf_tokenize(struct conf_parser *p, const char *s, size_t len,
			 struct conf_line *l)
{
	size_t pos = 0;
	char *text;
	bool quoted;
	int ret;

	for (;;) {
		while (pos < len && conf_blank(s[pos]))
			pos++;
		if (pos == len || s[pos] == '#')
			return 0;
		quoted = s[pos] == '"';
		if (quoted)
			ret = conf_quoted(p, s, len, &pos, &text);
		else
			ret = conf_bare(p, s, len, &pos, &text);
		if (ret)
			return ret;
		ret = conf_line_add(l, text, quoted);
		if (ret)
			return ret;
	}
}

static bool conf_is_bare(const struct conf_word *w, const char *text)
{
	return !w->quoted && !strcmp(w->text, text);
}

static void conf_close_block(struct conf_parser *p, const struct conf_line *l)
{
	if (l->n > 1) {
		conf_perror(p, "'}' must be alone on its line");
		return;
	}
	if (p->skipped_depth) {
		p->skipped_depth--;
		return;
	}
	if (p->depth == 0) {
		conf_perror(p, "'}' without an open block");
		return;
	}
	p->depth--;
}

/* A line of words that is not a '}' line. */
static int conf_statement(struct conf_parser *p, struct conf_line *l)
{
	struct scst_conf_node *n, *parent;
	const char **argv;
	unsigned int i, argc;
	bool block;

	for (i = 0; i < l->n; i++) {
		if (conf_is_bare(&l->w[i], "}")) {
			conf_perror(p, "'}' must be alone on its line");
			return 0;
		}
		if (conf_is_bare(&l->w[i], "{") && i + 1 < l->n) {
			conf_perror(p, "'{' must be the last word on its line");
			return 0;
		}
	}
	if (conf_is_bare(&l->w[0], "{")) {
		conf_perror(p, "'{' without a keyword before it");
		return 0;
	}
	if (l->w[0].quoted) {
		conf_perror(p, "a keyword cannot be quoted");
		return 0;
	}
	block = conf_is_bare(&l->w[l->n - 1], "{");
	if (p->skipped_depth) {
		p->skipped_depth += block;
		return 0;
	}
	if (block && p->depth >= SCST_CONF_MAX_DEPTH) {
		conf_perror(p, "blocks nested more than %d levels deep",
			    SCST_CONF_MAX_DEPTH);
		p->skipped_depth = 1;
		return 0;
	}
	argc = l->n - 1 - block;
	argv = malloc(((size_t)argc + 1) * sizeof(*argv));
	if (!argv)
		return -ENOMEM;
	for (i = 0; i < argc; i++)
		argv[i] = l->w[i + 1].text;
	parent = p->stack[p->depth];
	n = scst_conf_add(parent, l->w[0].text, block, argc, argv);
	free(argv);
	if (!n)
		return -ENOMEM; /* the words are valid: EINVAL is impossible */
	n->line = p->line;
	if (block)
		p->stack[++p->depth] = n;
	return 0;
}

static int conf_parse_line(struct conf_parser *p, const char *s, size_t len,
			   struct conf_line *l)
{
	int ret;

	if (len > SCST_CONF_MAX_LINE) {
		conf_perror(p, "line longer than %d bytes", SCST_CONF_MAX_LINE);
		return 0;
	}
	if (memchr(s, '\0', len)) {
		conf_perror(p, "NUL byte in line");
		return 0;
	}
	ret = conf_tokenize(p, s, len, l);
	if (ret == 0 && l->n) {
		if (conf_is_bare(&l->w[0], "}"))
			conf_close_block(p, l);
		else
			ret = conf_statement(p, l);
	}
	conf_line_clear(l);
	return ret == -EINVAL ? 0 : ret;
}

int scst_conf_parse(const char *text, size_t len, const char *file,
		    unsigned int flags, struct scst_conf_node **root,
		    struct scst_conf_errors *errs)
{
	struct conf_parser p = {.file = file, .errs = errs};
	struct conf_line l = {0};
	const char *s, *end, *nl;
	unsigned int last_line;
	int ret = 0;

	*root = NULL;
	if (!text) {
		text = "";
		len = 0;
	}
	s = text;
	end = text + len;
	p.stack[0] = scst_conf_new_root();
	if (!p.stack[0])
		goto out_nomem;
	while (s < end) {
		nl = memchr(s, '\n', (size_t)(end - s));
		if (!nl)
			nl = end;
		p.line++;
		ret = conf_parse_line(&p, s, (size_t)(nl - s), &l);
		if (ret)
			goto out_nomem;
		s = nl + 1;
	}
	last_line = p.line ? p.line : 1;
	p.line = last_line;
	if (p.skipped_depth)
		conf_perror(&p, "%u block%s nested too deep %s not closed",
			    p.skipped_depth, p.skipped_depth == 1 ? "" : "s",
			    p.skipped_depth == 1 ? "is" : "are");
	while (p.depth) {
		conf_perror(&p, "block opened at line %u is not closed",
			    p.stack[p.depth]->line);
		p.depth--;
	}
	free(l.w);
	if (p.errors)
		goto out_inval;
	if (!(flags & SCST_CONF_SYNTAX_ONLY) &&
	    scst_conf_validate(p.stack[0], file, errs))
		goto out_inval;
	*root = p.stack[0];
	return 0;

out_inval:
	scst_conf_free(p.stack[0]);
	return -EINVAL;
out_nomem:
	conf_line_clear(&l);
	free(l.w);
	scst_conf_free(p.stack[0]);
	scst_conf_error(errs, file, 0, "out of memory");
	return -ENOMEM;
}

static void conf_sys_error(struct scst_conf_errors *errs, const char *path,
			   const char *what, int err)
{
	char buf[128];

	scst_conf_error(errs, path, 0, "%s: %s", what,
			strerror_r(err, buf, sizeof(buf)));
}

int scst_conf_load(const char *path, unsigned int flags,
		   struct scst_conf_node **root, struct scst_conf_errors *errs)
{
	size_t len = 0, cap = 0;
	char *buf = NULL, *nbuf;
	ssize_t r;
	int fd, ret;

	*root = NULL;
	fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0) {
		ret = -errno;
		conf_sys_error(errs, path, "cannot open", -ret);
		return ret;
	}
	/* Read up to one byte more than allowed, to see it is too large. */
	for (;;) {
		if (len == cap) {
			if (cap > SCST_CONF_MAX_SIZE)
				break;
			cap = cap ? cap * 2 : 65536;
			if (cap > SCST_CONF_MAX_SIZE)
				cap = (size_t)SCST_CONF_MAX_SIZE + 1;
			nbuf = realloc(buf, cap);
			if (!nbuf) {
				scst_conf_error(errs, path, 0, "out of memory");
				ret = -ENOMEM;
				goto out;
			}
			buf = nbuf;
		}
		r = read(fd, buf + len, cap - len);
		if (r < 0 && errno == EINTR)
			continue;
		if (r < 0) {
			ret = -errno;
			conf_sys_error(errs, path, "read error", -ret);
			goto out;
		}
		if (r == 0)
			break;
		len += (size_t)r;
	}
	if (len > SCST_CONF_MAX_SIZE) {
		scst_conf_error(errs, path, 0, "larger than %u bytes",
				SCST_CONF_MAX_SIZE);
		ret = -EFBIG;
		goto out;
	}
	ret = scst_conf_parse(buf ? buf : "", len, path, flags, root, errs);
out:
	free(buf);
	close(fd);
	return ret;
}
