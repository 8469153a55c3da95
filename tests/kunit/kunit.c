// SPDX-License-Identifier: GPL-2.0-only
/*
 * The KUnit assertion machinery in user space: the checks behind
 * KUNIT_EXPECT_* / KUNIT_ASSERT_*, failure reports as KTAP diagnostic lines,
 * deferred actions and case-scoped memory, skipping and logging.
 */
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "kunit_internal.h"

static struct kunit *kunit__current;

/* ------------------------------------------------------------ output ---- */

/* A bounded text buffer; what does not fit is cut. */
struct kbuf {
	char s[4096];
	size_t len;
};

static void kbuf_vadd(struct kbuf *b, const char *fmt, va_list ap)
{
	int n;

	if (b->len >= sizeof(b->s) - 1)
		return;
	n = vsnprintf(b->s + b->len, sizeof(b->s) - b->len, fmt, ap);
	if (n > 0)
		b->len += (size_t)n < sizeof(b->s) - b->len
			      ? (size_t)n
			      : sizeof(b->s) - b->len - 1;
}

static __attribute__((format(printf, 2, 3))) void kbuf_add(struct kbuf *b,
							   const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	kbuf_vadd(b, fmt, ap);
	va_end(ap);
}

/* Print @text line by line, each as "<indent># <line>", in one piece. */
static void kunit__print_lines(const char *indent, const char *text)
{
	const char *p = text, *nl;

	flockfile(stdout);
	while (*p) {
		nl = strchr(p, '\n');
		if (!nl)
			nl = p + strlen(p);
		printf("%s# %.*s\n", indent, (int)(nl - p), p);
		p = *nl ? nl + 1 : nl;
	}
	funlockfile(stdout);
}

void kunit__diag(const char *indent, const char *fmt, ...)
{
	struct kbuf b = {.len = 0};
	va_list ap;

	va_start(ap, fmt);
	kbuf_vadd(&b, fmt, ap);
	va_end(ap);
	kunit__print_lines(indent, b.s);
}

static const char *kunit__indent(struct kunit *test)
{
	return test && test->ctx ? test->ctx->indent : "    ";
}

void kunit__log(struct kunit *test, const char *fmt, ...)
{
	struct kbuf b = {.len = 0};
	va_list ap;

	if (test)
		kbuf_add(&b, "%s: ", test->name);
	va_start(ap, fmt);
	kbuf_vadd(&b, fmt, ap);
	va_end(ap);
	while (b.len && b.s[b.len - 1] == '\n')
		b.s[--b.len] = '\0';
	kunit__print_lines(kunit__indent(test), b.s);
}

/* ------------------------------------------------------ case context ---- */

void kunit__ctx_init(struct kunit *test, struct kunit__ctx *ctx,
		     const char *name, const char *indent)
{
	memset(ctx, 0, sizeof(*ctx));
	ctx->thread = pthread_self();
	pthread_mutex_init(&ctx->lock, NULL);
	ctx->indent = indent;
	test->ctx = ctx;
	test->name = name;
	test->status = KUNIT_SUCCESS;
}

void kunit__ctx_destroy(struct kunit *test)
{
	pthread_mutex_destroy(&test->ctx->lock);
	test->ctx = NULL;
}

void kunit__set_current(struct kunit *test)
{
	__atomic_store_n(&kunit__current, test, __ATOMIC_RELEASE);
}

struct kunit *kunit_get_current_test(void)
{
	return __atomic_load_n(&kunit__current, __ATOMIC_ACQUIRE);
}

void kunit__set_failure(struct kunit *test)
{
	pthread_mutex_lock(&test->ctx->lock);
	test->status = KUNIT_FAILURE;
	pthread_mutex_unlock(&test->ctx->lock);
}

void kunit_mark_skipped(struct kunit *test, const char *fmt, ...)
{
	va_list ap;

	pthread_mutex_lock(&test->ctx->lock);
	/* A failure stays a failure. */
	if (test->status != KUNIT_FAILURE)
		test->status = KUNIT_SKIPPED;
	va_start(ap, fmt);
	vsnprintf(test->status_comment, sizeof(test->status_comment), fmt, ap);
	va_end(ap);
	pthread_mutex_unlock(&test->ctx->lock);
}

void kunit__abort(struct kunit *test)
{
	struct kunit__ctx *ctx = test->ctx;

	if (ctx && ctx->env && pthread_equal(pthread_self(), ctx->thread))
		longjmp(*ctx->env, 1);
	if (!ctx)
		abort();
	/* Another thread cannot unwind the case: it ends instead. */
	kunit__set_failure(test);
	kunit__diag(ctx->indent,
		    "%s: assertion failed outside the test thread; "
		    "that thread exits",
		    test->name);
	pthread_exit(NULL);
}

void kunit__param_desc(char *desc, const char *str)
{
	snprintf(desc, KUNIT_PARAM_DESC_SIZE, "%s", str ? str : "");
}

/* ----------------------------------------------------------- actions ---- */

int kunit_add_action(struct kunit *test, kunit_action_t *fn, void *ctx)
{
	struct kunit__action *a = malloc(sizeof(*a));

	if (!a)
		return -ENOMEM;
	a->fn = fn;
	a->ctx = ctx;
	pthread_mutex_lock(&test->ctx->lock);
	a->next = test->ctx->actions;
	test->ctx->actions = a;
	pthread_mutex_unlock(&test->ctx->lock);
	return 0;
}

int kunit_add_action_or_reset(struct kunit *test, kunit_action_t *fn, void *ctx)
{
	int ret = kunit_add_action(test, fn, ctx);

	if (ret)
		fn(ctx);
	return ret;
}

/* Unlink the newest action matching @fn/@ctx; NULL if there is none. */
static struct kunit__action *
kunit__take_action(struct kunit *test, kunit_action_t *fn, const void *ctx)
{
	struct kunit__action **pp, *a = NULL;

	pthread_mutex_lock(&test->ctx->lock);
	for (pp = &test->ctx->actions; *pp; pp = &(*pp)->next) {
		if ((*pp)->fn == fn && (*pp)->ctx == ctx) {
			a = *pp;
			*pp = a->next;
			break;
		}
	}
	pthread_mutex_unlock(&test->ctx->lock);
	return a;
}

void kunit_remove_action(struct kunit *test, kunit_action_t *fn, void *ctx)
{
	free(kunit__take_action(test, fn, ctx));
}

void kunit_release_action(struct kunit *test, kunit_action_t *fn, void *ctx)
{
	struct kunit__action *a = kunit__take_action(test, fn, ctx);

	if (a) {
		free(a);
		fn(ctx);
	}
}

void kunit__run_actions(struct kunit *test)
{
	struct kunit__action *a;
	kunit_action_t *fn;
	void *ctx;

	for (;;) {
		pthread_mutex_lock(&test->ctx->lock);
		a = test->ctx->actions;
		if (a)
			test->ctx->actions = a->next;
		pthread_mutex_unlock(&test->ctx->lock);
		if (!a)
			return;
		/* Unlinked first: if it ASSERTs, the rest still run. */
		fn = a->fn;
		ctx = a->ctx;
		free(a);
		fn(ctx);
	}
}

/* ------------------------------------------------------------ memory ---- */

void *kunit_kmalloc_array(struct kunit *test, size_t n, size_t size,
			  unsigned int gfp)
{
	void *p;

	(void)gfp;
	if (size && n > SIZE_MAX / size)
		return NULL;
	p = malloc(n && size ? n * size : 1);
	if (!p || kunit_add_action_or_reset(test, free, p))
		return NULL;
	return p;
}

void *kunit_kmalloc(struct kunit *test, size_t size, unsigned int gfp)
{
	return kunit_kmalloc_array(test, 1, size, gfp);
}

void *kunit_kcalloc(struct kunit *test, size_t n, size_t size, unsigned int gfp)
{
	void *p = kunit_kmalloc_array(test, n, size, gfp);

	if (p)
		memset(p, 0, n * size);
	return p;
}

void *kunit_kzalloc(struct kunit *test, size_t size, unsigned int gfp)
{
	return kunit_kcalloc(test, 1, size, gfp);
}

char *kunit_kstrdup(struct kunit *test, const char *str, unsigned int gfp)
{
	size_t len;
	char *p;

	if (!str)
		return NULL;
	len = strlen(str) + 1;
	p = kunit_kmalloc(test, len, gfp);
	if (p)
		memcpy(p, str, len);
	return p;
}

void kunit_kfree(struct kunit *test, const void *ptr)
{
	struct kunit__action *a;

	if (!ptr)
		return;
	a = kunit__take_action(test, free, ptr);
	if (!a) {
		kunit__diag(kunit__indent(test),
			    "%s: kunit_kfree(%p): not from kunit_kmalloc",
			    test->name, ptr);
		kunit__set_failure(test);
		return;
	}
	free(a);
	free((void *)(uintptr_t)ptr);
}

/* ------------------------------------------------------------ checks ---- */

/*
 * Common tail of every check: on failure print the site, @detail and the
 * user's message, and mark the case failed. Returns @ok.
 */
static bool kunit__report(struct kunit *test, const struct kunit__site *site,
			  bool ok, const struct kbuf *detail, const char *fmt,
			  va_list ap)
{
	struct kbuf b = {.len = 0};

	if (ok)
		return true;
	kbuf_add(&b, "%s: %s FAILED at %s:%d\n", test->name,
		 site->type == KUNIT_ASSERTION ? "ASSERTION" : "EXPECTATION",
		 site->file, site->line);
	if (detail)
		kbuf_add(&b, "%s\n", detail->s);
	if (fmt)
		kbuf_vadd(&b, fmt, ap);
	while (b.len && b.s[b.len - 1] == '\n')
		b.s[--b.len] = '\0';
	kunit__print_lines(kunit__indent(test), b.s);
	kunit__set_failure(test);
	return false;
}

/* The mathematical order of two integers given with their signedness. */
static int kunit__cmp_int(unsigned long long l, bool l_signed,
			  unsigned long long r, bool r_signed)
{
	bool l_neg = l_signed && (long long)l < 0;
	bool r_neg = r_signed && (long long)r < 0;

	if (l_neg != r_neg)
		return l_neg ? -1 : 1;
	if (l_neg)
		return (long long)l < (long long)r
			   ? -1
			   : (long long)l > (long long)r;
	return l < r ? -1 : l > r;
}

static bool kunit__op_holds(enum kunit__op op, int cmp)
{
	switch (op) {
	case KUNIT__EQ:
		return cmp == 0;
	case KUNIT__NE:
		return cmp != 0;
	case KUNIT__LT:
		return cmp < 0;
	case KUNIT__LE:
		return cmp <= 0;
	case KUNIT__GT:
		return cmp > 0;
	case KUNIT__GE:
		return cmp >= 0;
	}
	return false;
}

static void kunit__add_int(struct kbuf *b, const char *text,
			   unsigned long long v, bool is_signed)
{
	if (is_signed && (long long)v < 0)
		kbuf_add(b, "\n    %s == %lld (0x%llx)", text, (long long)v, v);
	else
		kbuf_add(b, "\n    %s == %llu (0x%llx)", text, v, v);
}

bool kunit__check_int(struct kunit *test, const struct kunit__site *site,
		      enum kunit__op op, unsigned long long l, bool l_signed,
		      unsigned long long r, bool r_signed, const char *fmt, ...)
{
	struct kbuf d = {.len = 0};
	va_list ap;
	bool ok;

	ok = kunit__op_holds(op, kunit__cmp_int(l, l_signed, r, r_signed));
	if (!ok) {
		kbuf_add(&d, "Expected %s %s %s, but", site->left, site->op,
			 site->right);
		kunit__add_int(&d, site->left, l, l_signed);
		kunit__add_int(&d, site->right, r, r_signed);
	}
	va_start(ap, fmt);
	ok = kunit__report(test, site, ok, &d, fmt, ap);
	va_end(ap);
	return ok;
}

bool kunit__check_ptr(struct kunit *test, const struct kunit__site *site,
		      enum kunit__op op, const void *l, const void *r,
		      const char *fmt, ...)
{
	struct kbuf d = {.len = 0};
	va_list ap;
	bool ok;

	ok = kunit__op_holds(
	    op, kunit__cmp_int((uintptr_t)l, false, (uintptr_t)r, false));
	if (!ok)
		kbuf_add(&d,
			 "Expected %s %s %s, but\n    %s == %p\n    %s == %p",
			 site->left, site->op, site->right, site->left, l,
			 site->right, r);
	va_start(ap, fmt);
	ok = kunit__report(test, site, ok, &d, fmt, ap);
	va_end(ap);
	return ok;
}

bool kunit__check_bool(struct kunit *test, const struct kunit__site *site,
		       bool expected, bool value, const char *fmt, ...)
{
	struct kbuf d = {.len = 0};
	va_list ap;
	bool ok = value == expected;

	if (!ok)
		kbuf_add(&d, "Expected %s to be %s, but is %s", site->left,
			 expected ? "true" : "false", value ? "true" : "false");
	va_start(ap, fmt);
	ok = kunit__report(test, site, ok, &d, fmt, ap);
	va_end(ap);
	return ok;
}

bool kunit__check_err_or_null(struct kunit *test,
			      const struct kunit__site *site, const void *p,
			      const char *fmt, ...)
{
	struct kbuf d = {.len = 0};
	va_list ap;
	bool ok = p && (uintptr_t)p < (uintptr_t)-4095;

	if (!ok)
		kbuf_add(&d, "Expected %s is not error or NULL, but is %s (%p)",
			 site->left, p ? "an error" : "NULL", p);
	va_start(ap, fmt);
	ok = kunit__report(test, site, ok, &d, fmt, ap);
	va_end(ap);
	return ok;
}

bool kunit__check_str(struct kunit *test, const struct kunit__site *site,
		      bool eq, const char *l, const char *r, const char *fmt,
		      ...)
{
	struct kbuf d = {.len = 0};
	va_list ap;
	bool same, ok;

	same = (l && r) ? !strcmp(l, r) : l == r;
	ok = same == eq;
	if (!ok)
		kbuf_add(&d,
			 "Expected %s %s %s, but\n    %s == \"%s\"\n"
			 "    %s == \"%s\"",
			 site->left, site->op, site->right, site->left,
			 l ? l : "(null)", site->right, r ? r : "(null)");
	va_start(ap, fmt);
	ok = kunit__report(test, site, ok, &d, fmt, ap);
	va_end(ap);
	return ok;
}

/* Hex dump of up to 64 bytes, differing bytes marked <xx>. */
static void kunit__add_hex(struct kbuf *b, const char *text,
			   const unsigned char *p, const unsigned char *other,
			   size_t size)
{
	size_t i, n = size < 64 ? size : 64;

	kbuf_add(b, "\n    %s ==", text);
	for (i = 0; i < n; i++) {
		if (i && !(i % 16))
			kbuf_add(b, "\n     ");
		kbuf_add(b, p[i] != other[i] ? " <%02x>" : " %02x", p[i]);
	}
	if (n < size)
		kbuf_add(b, " ... (%zu bytes)", size);
}

bool kunit__check_mem(struct kunit *test, const struct kunit__site *site,
		      bool eq, const void *l, const void *r, size_t size,
		      const char *fmt, ...)
{
	struct kbuf d = {.len = 0};
	va_list ap;
	bool same, ok;

	same = (l && r) ? !memcmp(l, r, size) : l == r;
	ok = same == eq;
	if (!ok) {
		kbuf_add(&d, "Expected %s %s %s (%zu bytes), but", site->left,
			 site->op, site->right, size);
		if (l && r) {
			kunit__add_hex(&d, site->left, l, r, size);
			kunit__add_hex(&d, site->right, r, l, size);
		} else {
			kbuf_add(&d, "\n    %s == %p\n    %s == %p", site->left,
				 l, site->right, r);
		}
	}
	va_start(ap, fmt);
	ok = kunit__report(test, site, ok, &d, fmt, ap);
	va_end(ap);
	return ok;
}

void kunit__fail(struct kunit *test, const struct kunit__site *site,
		 const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	kunit__report(test, site, false, NULL, fmt, ap);
	va_end(ap);
}
