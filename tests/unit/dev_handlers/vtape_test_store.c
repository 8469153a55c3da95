// SPDX-License-Identifier: GPL-2.0-only
/*
 * The in-memory cartridge store with a crash simulator that the vtape
 * suites share (vtape_test_store.h). It defines no suite of its own.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "scst/os.h"

#include "vtape_test_store.h"

/* ------------------------------------------------------------ images ---- */

static void img_reserve(struct ts_img *m, size_t size)
{
	size_t ncap = m->cap ? m->cap : 65536;
	uint8_t *b;

	if (size <= m->cap)
		return;
	while (ncap < size)
		ncap *= 2;
	b = realloc(m->b, ncap);
	if (!b)
		abort();
	m->b = b;
	m->cap = ncap;
}

static void img_resize(struct ts_img *m, size_t size)
{
	img_reserve(m, size);
	if (size > m->size)
		memset(m->b + m->size, 0, size - m->size);
	m->size = size;
}

static void img_write(struct ts_img *m, uint64_t off, const void *p, size_t len)
{
	if (off + len > m->size)
		img_resize(m, (size_t)(off + len));
	memcpy(m->b + off, p, len);
}

static void img_copy(struct ts_img *dst, const struct ts_img *src)
{
	img_reserve(dst, src->size);
	if (src->size)
		memcpy(dst->b, src->b, src->size);
	dst->size = src->size;
}

/* ------------------------------------------------------ store ops ---- */

static bool ts_fault(unsigned int *n)
{
	return *n && !--*n;
}

static int ts_read_op(void *priv, void *buf, size_t len, uint64_t off)
{
	struct ts_store *s = priv;
	size_t have = 0;

	s->nreads++;
	if (ts_fault(&s->fail_read))
		return -EIO;
	if (off < s->live.size)
		have = s->live.size - off < len ? s->live.size - off : len;
	if (have)
		memcpy(buf, s->live.b + off, have);
	memset((uint8_t *)buf + have, 0, len - have);
	return 0;
}

static struct ts_op *ts_add_op(struct ts_store *s)
{
	struct ts_op *o;

	if (s->nops == s->ops_cap) {
		s->ops_cap = s->ops_cap ? 2 * s->ops_cap : 64;
		o = realloc(s->ops, s->ops_cap * sizeof(*o));
		if (!o)
			abort();
		s->ops = o;
	}
	o = &s->ops[s->nops++];
	memset(o, 0, sizeof(*o));
	return o;
}

static int ts_write_op(void *priv, const void *buf, size_t len, uint64_t off)
{
	struct ts_store *s = priv;
	struct ts_op *o;

	s->nwrites++;
	if (ts_fault(&s->fail_write))
		return -EIO;
	img_write(&s->live, off, buf, len);
	o = ts_add_op(s);
	o->off = off;
	o->len = len;
	o->data = malloc(len ? len : 1);
	if (!o->data)
		abort();
	memcpy(o->data, buf, len);
	return 0;
}

static int ts_trunc_op(void *priv, uint64_t size)
{
	struct ts_store *s = priv;
	struct ts_op *o;

	s->ntruncs++;
	if (s->no_truncate)
		return 0;
	img_resize(&s->live, (size_t)size);
	o = ts_add_op(s);
	o->trunc = true;
	o->off = size;
	return 0;
}

static void ts_drop_ops(struct ts_store *s)
{
	size_t i;

	for (i = 0; i < s->nops; i++)
		free(s->ops[i].data);
	s->nops = 0;
}

static void ts_apply(struct ts_img *m, const struct ts_op *o)
{
	if (o->trunc)
		img_resize(m, (size_t)o->off);
	else
		img_write(m, o->off, o->data, o->len);
}

static int ts_sync_op(void *priv)
{
	struct ts_store *s = priv;
	size_t i;

	s->nsyncs++;
	if (ts_fault(&s->fail_sync))
		return -EIO;
	for (i = 0; i < s->nops; i++)
		ts_apply(&s->dur, &s->ops[i]);
	ts_drop_ops(s);
	return 0;
}

static const struct vtape_store_ops ts_ops = {
    .read = ts_read_op,
    .write = ts_write_op,
    .sync = ts_sync_op,
    .truncate = ts_trunc_op,
};

static void ts_free(void *arg)
{
	struct ts_store *s = arg;

	ts_close(s);
	ts_drop_ops(s);
	free(s->ops);
	free(s->live.b);
	free(s->dur.b);
	free(s);
}

struct ts_store *ts_new(struct kunit *test)
{
	struct ts_store *s = calloc(1, sizeof(*s));

	KUNIT_ASSERT_NOT_NULL(test, s);
	s->st.ops = &ts_ops;
	s->st.priv = s;
	KUNIT_ASSERT_EQ(test, kunit_add_action_or_reset(test, ts_free, s), 0);
	return s;
}

void ts_release(struct kunit *test, struct ts_store *s)
{
	kunit_release_action(test, ts_free, s);
}

size_t ts_pending(const struct ts_store *s)
{
	return s->nops;
}

/* ------------------------------------------------------------ crash ---- */

void ts_crash_exact(struct ts_store *s, uint64_t keep, int torn, size_t cut,
		    bool torn_head)
{
	size_t i;

	for (i = 0; i < s->nops; i++) {
		struct ts_op *o = &s->ops[i];

		if (i >= 64 || !(keep >> i & 1))
			continue;
		if ((int)i == torn && !o->trunc && cut < o->len) {
			if (torn_head)
				img_write(&s->dur, o->off, o->data, cut);
			else
				img_write(&s->dur, o->off + cut, o->data + cut,
					  o->len - cut);
			continue;
		}
		ts_apply(&s->dur, o);
	}
	ts_drop_ops(s);
	img_copy(&s->live, &s->dur);
}

void ts_crash(struct ts_store *s, enum ts_crash_mode mode, uint64_t seed)
{
	uint64_t st = seed * 2654435761u + 1, keep = 0, r;
	size_t i, n = s->nops < 64 ? s->nops : 64, k;
	int torn = -1;

	if (mode == TS_CRASH_PREFIX) {
		k = n ? (size_t)(ts_rand(&st) % (n + 1)) : 0;
		for (i = 0; i < k; i++)
			keep |= 1ull << i;
		/* The first operation that did not land fully may be torn. */
		if (k < n && ts_rand(&st) % 2) {
			keep |= 1ull << k;
			torn = (int)k;
		}
	} else {
		for (i = 0; i < n; i++)
			if (ts_rand(&st) % 2)
				keep |= 1ull << i;
		if (n && ts_rand(&st) % 2) {
			torn = (int)(ts_rand(&st) % n);
			keep |= 1ull << torn;
		}
	}
	r = ts_rand(&st);
	ts_crash_exact(
	    s, keep, torn,
	    torn >= 0 && s->ops[torn].len ? (size_t)(r % s->ops[torn].len) : 0,
	    (r >> 32) & 1);
}

void ts_corrupt(struct ts_store *s, uint64_t off, uint8_t xor_mask)
{
	if (off < s->live.size)
		s->live.b[off] ^= xor_mask;
	if (off < s->dur.size)
		s->dur.b[off] ^= xor_mask;
}

struct ts_img ts_snapshot(struct kunit *test, const struct ts_store *s)
{
	struct ts_img m = {0};

	m.b = kunit_kzalloc(test, s->live.size + 1, GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, m.b);
	memcpy(m.b, s->live.b, s->live.size);
	m.size = m.cap = s->live.size;
	return m;
}

void ts_restore(struct ts_store *s, const struct ts_img *img)
{
	ts_drop_ops(s);
	img_copy(&s->live, img);
	img_copy(&s->dur, img);
}

/* ------------------------------------------------------------- log ---- */

static unsigned int ts_nlines;
static char ts_last[256];

static void ts_sink(enum scst_log_level lvl, const char *line)
{
	(void)lvl;
	__atomic_add_fetch(&ts_nlines, 1, __ATOMIC_RELAXED);
	snprintf(ts_last, sizeof(ts_last), "%s", line);
}

static void ts_log_restore(void *arg)
{
	(void)arg;
	scst_log_set_sink(NULL);
}

void ts_log_capture(struct kunit *test)
{
	ts_nlines = 0;
	ts_last[0] = '\0';
	scst_log_set_sink(ts_sink);
	KUNIT_ASSERT_EQ(
	    test, kunit_add_action_or_reset(test, ts_log_restore, NULL), 0);
}

unsigned int ts_log_lines(void)
{
	return __atomic_load_n(&ts_nlines, __ATOMIC_RELAXED);
}

const char *ts_log_last(void)
{
	return ts_last;
}

/* ------------------------------------------------------ data, carts ---- */

uint64_t ts_rand(uint64_t *state)
{
	uint64_t x = *state ? *state : 0x9e3779b97f4a7c15ull;

	x ^= x >> 12;
	x ^= x << 25;
	x ^= x >> 27;
	*state = x;
	return x * 0x2545f4914f6cdd1dull;
}

static uint8_t ts_byte(size_t i, uint32_t seed)
{
	uint32_t x = (uint32_t)i * 2654435761u ^ seed * 40503u;

	x ^= x >> 15;
	return (uint8_t)(x ^ x >> 7 ^ seed);
}

void ts_fill(uint8_t *buf, size_t len, uint32_t seed)
{
	size_t i;

	for (i = 0; i < len; i++)
		buf[i] = ts_byte(i, seed);
}

bool ts_check_data(const uint8_t *buf, size_t len, uint32_t seed)
{
	size_t i;

	for (i = 0; i < len; i++)
		if (buf[i] != ts_byte(i, seed))
			return false;
	return true;
}

void ts_close(struct ts_store *s)
{
	vtape_cart_close(s->cart);
	s->cart = NULL;
}

struct vtape_cart *ts_open(struct kunit *test, struct ts_store *s)
{
	int rc;

	ts_close(s);
	rc = vtape_cart_open(&s->st, &s->cart);
	KUNIT_ASSERT_EQ(test, rc, 0);
	KUNIT_ASSERT_NOT_NULL(test, s->cart);
	return s->cart;
}

struct vtape_cart *ts_format_open(struct kunit *test, struct ts_store *s,
				  uint64_t capacity, const char *barcode,
				  bool wp)
{
	struct vtape_format_params p = {
	    .capacity = capacity,
	    .barcode = barcode,
	    .write_protected = wp,
	};

	KUNIT_ASSERT_EQ(test, vtape_cart_format(&s->st, &p), 0);
	return ts_open(test, s);
}

int ts_write(struct kunit *test, struct vtape_cart *c, uint32_t len,
	     uint32_t seed)
{
	uint8_t *b = malloc(len ? len : 1);
	int rc;

	if (!b) {
		KUNIT_FAIL(test, "no memory for a block of %u", len);
		return -ENOMEM;
	}
	ts_fill(b, len, seed);
	rc = vtape_cart_write_block(c, b, len);
	free(b);
	return rc;
}
