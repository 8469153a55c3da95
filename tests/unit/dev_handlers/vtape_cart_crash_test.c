// SPDX-License-Identifier: GPL-2.0-only
/*
 * Unit tests of the cartridge's crash safety and damage handling
 * (dev_handlers/vtape/vtape_cart.c, doc/vtape-format.md) with the crash
 * simulator of vtape_test_store.c: random workloads crashed at random
 * points (what comes back is what the tape held at some moment since the
 * last sync, cut to a prefix, and holds everything synced), overwrites
 * crashed with every subset of their writes (never a stale object after
 * a new one), header slots torn or damaged, data checksums, store
 * failures.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "scst/byteorder.h"
#include "scst/os.h"

#include "vtape_test_store.h"

#define CAP	 (4ull << 20)
#define HDR	 48u
#define MAX_OBJS 256
#define MAX_HIST 48

/* ------------------------------------------------------ the model ---- */

struct mobj {
	enum vtape_obj_kind kind;
	uint32_t len;
	uint32_t seed;
};

struct mstate {
	unsigned int n;
	struct mobj o[MAX_OBJS];
};

/* What the cartridge may hold after a crash: a prefix of one of @h. */
struct model {
	struct mstate cur;
	struct mstate hist[MAX_HIST]; /* states since the last sync */
	unsigned int nhist;
	unsigned int keep; /* objects that must survive */
	uint64_t pos;
};

static void model_synced(struct model *m)
{
	m->hist[0] = m->cur;
	m->nhist = 1;
	m->keep = m->cur.n;
}

static void model_push(struct model *m, struct mobj o)
{
	m->cur.n = (unsigned int)m->pos;
	if (m->cur.n < m->keep)
		m->keep = m->cur.n;
	m->cur.o[m->cur.n++] = o;
	m->pos = m->cur.n;
	if (m->nhist < MAX_HIST)
		m->hist[m->nhist++] = m->cur;
}

/* What a reopened cartridge holds, with each block's data checked
 * against every seed that could explain it. */
struct readback {
	unsigned int n;
	struct mobj o[MAX_OBJS];
	uint8_t *data[MAX_OBJS];
};

static void readback_free(struct readback *r)
{
	unsigned int i;

	for (i = 0; i < r->n; i++)
		free(r->data[i]);
	r->n = 0;
}

static void readback(struct kunit *test, struct vtape_cart *c,
		     struct readback *r)
{
	uint32_t len;
	int rc;

	r->n = 0;
	vtape_cart_rewind(c);
	KUNIT_ASSERT_LE(test, vtape_cart_nobjs(c), (uint64_t)MAX_OBJS);
	while (r->n < vtape_cart_nobjs(c)) {
		struct mobj *o = &r->o[r->n];

		o->kind = vtape_cart_obj(c, r->n, &len);
		o->len = len;
		r->data[r->n] = malloc(len + 1);
		KUNIT_ASSERT_NOT_NULL(test, r->data[r->n]);
		r->n++;
		rc = vtape_cart_read_block(c, r->data[r->n - 1], len);
		KUNIT_ASSERT_EQ(test, rc,
				o->kind == VTAPE_OBJ_FILEMARK ? -ENOMSG
							      : (int)len);
	}
	vtape_cart_rewind(c);
}

static bool prefix_of(const struct readback *r, const struct mstate *s)
{
	unsigned int i;

	if (r->n > s->n)
		return false;
	for (i = 0; i < r->n; i++) {
		if (r->o[i].kind != s->o[i].kind || r->o[i].len != s->o[i].len)
			return false;
		if (s->o[i].kind == VTAPE_OBJ_BLOCK &&
		    !ts_check_data(r->data[i], s->o[i].len, s->o[i].seed))
			return false;
	}
	return true;
}

/* The state since the last sync that @r is a prefix of, or -1. */
static int model_match(const struct model *m, const struct readback *r)
{
	unsigned int j;

	if (r->n < m->keep)
		return -1;
	for (j = 0; j < m->nhist; j++)
		if (prefix_of(r, &m->hist[j]))
			return (int)j;
	return -1;
}

/* ----------------------------------------------- random workloads ---- */

static void random_op(struct kunit *test, struct vtape_cart *c, struct model *m,
		      uint64_t *rs, uint32_t *seed)
{
	unsigned int r = (unsigned int)(ts_rand(rs) % 100);
	struct mobj o = {VTAPE_OBJ_BLOCK, 0, 0};
	uint8_t buf[64];
	uint64_t res;
	int rc;

	if (m->cur.n >= MAX_OBJS - 8)
		r = 68; /* rewind */
	if (r < 45) {
		o.len = 1 + (uint32_t)(ts_rand(rs) % (r < 5 ? 20000 : 3000));
		o.seed = ++*seed;
		rc = ts_write(test, c, o.len, o.seed);
		KUNIT_ASSERT_GE(test, rc, 0);
		model_push(m, o);
	} else if (r < 55) {
		unsigned int k = 1 + (unsigned int)(ts_rand(rs) % 3);

		KUNIT_ASSERT_GE(test, vtape_cart_write_filemarks(c, k), 0);
		o.kind = VTAPE_OBJ_FILEMARK;
		while (k--)
			model_push(m, o);
	} else if (r < 65) {
		m->pos = ts_rand(rs) % (m->cur.n + 1);
		KUNIT_ASSERT_EQ(test, vtape_cart_locate(c, m->pos),
				VTAPE_MOVE_OK);
	} else if (r < 70) {
		vtape_cart_rewind(c);
		m->pos = 0;
	} else if (r < 78) {
		KUNIT_ASSERT_EQ(test, vtape_cart_sync(c), 0);
		model_synced(m);
	} else if (r < 82) {
		/* ERASE is durable when it returns. */
		KUNIT_ASSERT_EQ(test, vtape_cart_erase(c, r & 1), 0);
		m->cur.n = (unsigned int)m->pos;
		model_synced(m);
	} else if (r < 92) {
		rc = vtape_cart_read_block(c, buf, sizeof(buf));
		if (m->pos == m->cur.n) {
			KUNIT_EXPECT_EQ(test, rc, -ENODATA);
		} else {
			o = m->cur.o[m->pos++];
			KUNIT_EXPECT_EQ(test, rc,
					o.kind == VTAPE_OBJ_FILEMARK
					    ? -ENOMSG
					    : (int)o.len);
			if (o.kind == VTAPE_OBJ_BLOCK)
				KUNIT_EXPECT_TRUE(
				    test,
				    ts_check_data(buf, o.len < 64 ? o.len : 64,
						  o.seed));
		}
	} else {
		vtape_cart_space(c, VTAPE_SPACE_BLOCKS,
				 (int64_t)(ts_rand(rs) % 7) - 3, &res);
		m->pos = vtape_cart_pos(c);
	}
	KUNIT_ASSERT_EQ(test, vtape_cart_pos(c), m->pos);
	KUNIT_ASSERT_EQ(test, vtape_cart_nobjs(c), (uint64_t)m->cur.n);
}

/*
 * Random workloads, crashed after 5..34 operations, three rounds per
 * cartridge, 240 cartridges: both crash modes, both kinds of store.
 * What comes back is a prefix of a state the tape was in since the last
 * sync (or erase), and no shorter than what no write touched since.
 */
static void crash_random(struct kunit *test)
{
	struct model *m = kunit_kzalloc(test, sizeof(*m), GFP_KERNEL);
	struct readback *r = kunit_kzalloc(test, sizeof(*r), GFP_KERNEL);
	unsigned int iter, round, i, nops, checked = 0, lost = 0;
	uint32_t seed = 0;
	int j;

	KUNIT_ASSERT_NOT_NULL(test, m);
	KUNIT_ASSERT_NOT_NULL(test, r);
	for (iter = 0; iter < 240; iter++) {
		struct ts_store *s = ts_new(test);
		struct vtape_cart *c;
		uint64_t rs = iter + 1;

		s->no_truncate = iter & 1;
		c = ts_format_open(test, s, CAP, "CRASH", false);
		memset(m, 0, sizeof(*m));
		model_synced(m);
		for (round = 0; round < 3; round++) {
			nops = 5 + (unsigned int)(ts_rand(&rs) % 30);
			for (i = 0; i < nops; i++)
				random_op(test, c, m, &rs, &seed);
			ts_crash(s,
				 (iter >> 1) & 1 ? TS_CRASH_SUBSET
						 : TS_CRASH_PREFIX,
				 ts_rand(&rs));
			c = ts_open(test, s);
			readback(test, c, r);
			j = model_match(m, r);
			KUNIT_ASSERT_GE_MSG(
			    test, j, 0,
			    "iter %u round %u: %u objects back, "
			    "%u must survive",
			    iter, round, r->n, m->keep);
			checked++;
			lost += r->n < m->cur.n;
			/* Go on from what came back. */
			memcpy(m->cur.o, m->hist[j].o,
			       r->n * sizeof(*m->cur.o));
			m->cur.n = r->n;
			m->pos = 0;
			model_synced(m);
			readback_free(r);
		}
		ts_release(test, s);
	}
	KUNIT_EXPECT_EQ(test, checked, 720u);
	/* The crashes did lose unsynced objects (the test is not vacuous). */
	KUNIT_EXPECT_GT(test, lost, 100u);
}

/* -------------------------------------------- explicit overwrites ---- */

struct ow_case {
	bool no_truncate;
	uint32_t alen; /* A' vs A's 1000 bytes */
	unsigned int nnew;
};

static const struct ow_case ow_cases[] = {
    {false, 1000, 1}, {false, 500, 1}, {false, 1500, 1}, {false, 1000, 2},
    {false, 500, 2},  {true, 1000, 1}, {true, 500, 1},	 {true, 1500, 1},
    {true, 1000, 2},  {true, 500, 2},  {true, 1500, 2},	 {false, 1500, 2},
};

/* A B C D synced; rewind; A' (and B'); returns the pending writes. */
static size_t ow_setup(struct kunit *test, struct ts_store *s,
		       const struct ow_case *k)
{
	struct vtape_cart *c;
	unsigned int i;

	s->no_truncate = k->no_truncate;
	c = ts_format_open(test, s, CAP, "OVW", false);
	for (i = 1; i <= 4; i++)
		KUNIT_ASSERT_EQ(test, ts_write(test, c, 1000, i), 0);
	KUNIT_ASSERT_EQ(test, vtape_cart_sync(c), 0);
	vtape_cart_rewind(c);
	KUNIT_ASSERT_EQ(test, ts_write(test, c, k->alen, 11), 0);
	if (k->nnew == 2)
		KUNIT_ASSERT_EQ(test, ts_write(test, c, 1000, 12), 0);
	ts_close(s);
	return ts_pending(s);
}

/*
 * Every subset of the overwrite's pending writes lands, with or without
 * one of them torn in its middle (either half): the cartridge holds a
 * prefix of the new objects or a prefix of the old ones, never new ones
 * followed by old ones or old ones followed by new ones. With a store
 * that cuts, the old objects are gone for good once the overwrite began.
 */
static void crash_overwrite_stale(struct kunit *test)
{
	const struct mstate old = {4,
				   {{VTAPE_OBJ_BLOCK, 1000, 1},
				    {VTAPE_OBJ_BLOCK, 1000, 2},
				    {VTAPE_OBJ_BLOCK, 1000, 3},
				    {VTAPE_OBJ_BLOCK, 1000, 4}}};
	struct readback *r = kunit_kzalloc(test, sizeof(*r), GFP_KERNEL);
	unsigned int ci, seen_old = 0, seen_new = 0, seen_none = 0;
	size_t n;
	uint64_t keep;
	int torn, half;

	KUNIT_ASSERT_NOT_NULL(test, r);
	for (ci = 0; ci < sizeof(ow_cases) / sizeof(ow_cases[0]); ci++) {
		const struct ow_case *k = &ow_cases[ci];
		struct mstate nw = {k->nnew,
				    {{VTAPE_OBJ_BLOCK, k->alen, 11},
				     {VTAPE_OBJ_BLOCK, 1000, 12}}};

		n = 2 * k->nnew;
		for (keep = 0; keep < (1ull << n); keep++) {
			for (torn = -1; torn < (int)n; torn++) {
				for (half = 0; half < 2; half++) {
					struct ts_store *s;

					if ((torn < 0 && half) ||
					    (torn >= 0 && !(keep >> torn & 1)))
						continue;
					s = ts_new(test);
					KUNIT_ASSERT_EQ(
					    test, ow_setup(test, s, k), n);
					ts_crash_exact(
					    s, keep, torn,
					    torn >= 0 ? s->ops[torn].len / 2
						      : 0,
					    half);
					readback(test, ts_open(test, s), r);
					KUNIT_EXPECT_TRUE_MSG(
					    test,
					    prefix_of(r, &nw) ||
						(k->no_truncate &&
						 prefix_of(r, &old)),
					    "case %u keep %llx torn %d/%d: %u "
					    "objects",
					    ci, (unsigned long long)keep, torn,
					    half, r->n);
					seen_none += r->n == 0;
					seen_new += r->n && prefix_of(r, &nw);
					seen_old += r->n && prefix_of(r, &old);
					readback_free(r);
					ts_release(test, s);
				}
			}
		}
	}
	/* All three outcomes happened. */
	KUNIT_EXPECT_GT(test, seen_none, 0u);
	KUNIT_EXPECT_GT(test, seen_new, 0u);
	KUNIT_EXPECT_GT(test, seen_old, 0u);
}

/*
 * Rewriting the very same block at BOP on a store that cannot shrink:
 * without epochs its header would equal the old one, and the old B C D
 * would chain on to it again.
 */
static void rewrite_identical(struct kunit *test)
{
	struct ts_store *s = ts_new(test);
	struct vtape_cart *c;
	unsigned int i;

	s->no_truncate = true;
	c = ts_format_open(test, s, CAP, "SAME", false);
	for (i = 1; i <= 4; i++)
		KUNIT_ASSERT_EQ(test, ts_write(test, c, 1000, i), 0);
	vtape_cart_rewind(c);
	KUNIT_ASSERT_EQ(test, ts_write(test, c, 1000, 1), 0);
	KUNIT_ASSERT_EQ(test, vtape_cart_sync(c), 0);
	c = ts_open(test, s);
	KUNIT_EXPECT_EQ(test, vtape_cart_nobjs(c), 1u);
	/* The same with filemarks, and a reload in between. */
	vtape_cart_locate(c, 1);
	KUNIT_ASSERT_EQ(test, vtape_cart_write_filemarks(c, 3), 0);
	c = ts_open(test, s);
	KUNIT_EXPECT_EQ(test, vtape_cart_nobjs(c), 4u);
	vtape_cart_locate(c, 1);
	KUNIT_ASSERT_EQ(test, vtape_cart_write_filemarks(c, 1), 0);
	c = ts_open(test, s);
	KUNIT_EXPECT_EQ(test, vtape_cart_nobjs(c), 2u);
}

/*
 * The first write of a load takes a new epoch. Here a crash kept S but
 * not P before it; after the reload the same P is written again. Were the
 * reload's writes in the old epoch, the new P's header would equal the
 * lost one's, and the stale S would chain on to it.
 */
static void reload_takes_new_epoch(struct kunit *test)
{
	unsigned int mode;

	for (mode = 0; mode < 2; mode++) {
		struct ts_store *s = ts_new(test);
		struct vtape_cart *c;

		s->no_truncate = mode;
		c = ts_format_open(test, s, CAP, "RELOAD", false);
		KUNIT_ASSERT_EQ(test, ts_write(test, c, 200, 1), 0);
		KUNIT_ASSERT_EQ(test, vtape_cart_sync(c), 0);
		KUNIT_ASSERT_EQ(test, ts_write(test, c, 200, 2), 0); /* P */
		KUNIT_ASSERT_EQ(test, ts_write(test, c, 200, 3), 0); /* S */
		KUNIT_ASSERT_EQ(test, ts_pending(s), 4u);
		ts_close(s);
		ts_crash_exact(s, 0xc, -1, 0, false); /* S's writes only */
		c = ts_open(test, s);
		KUNIT_EXPECT_EQ(test, vtape_cart_nobjs(c), 1u);
		vtape_cart_locate(c, 1);
		KUNIT_ASSERT_EQ(test, ts_write(test, c, 200, 2), 0);
		c = ts_open(test, s);
		KUNIT_EXPECT_EQ_MSG(test, vtape_cart_nobjs(c), 2u, "mode %u",
				    mode);
		ts_release(test, s);
	}
}

/* ------------------------------------------------------ the header ---- */

static void slot_set_version(struct ts_store *s, unsigned int slot,
			     uint32_t version)
{
	uint8_t *b = s->live.b + slot * 4096;

	scst_put_be32(b + 8, version);
	scst_put_be32(b + 4092, scst_os_crc32c(0, b, 4092));
	memcpy(s->dur.b + slot * 4096, b, 4096);
}

/* One slot damaged: the other one serves; both: not a cartridge. */
static void header_slots(struct kunit *test)
{
	struct ts_store *s = ts_new(test);
	struct vtape_cart *c, *none = (struct vtape_cart *)1;
	struct ts_img img;

	/* An empty store is not a cartridge. */
	KUNIT_EXPECT_EQ(test, vtape_cart_open(&s->st, &none), -EMEDIUMTYPE);
	KUNIT_EXPECT_NULL(test, none);

	c = ts_format_open(test, s, CAP, "HDR", false);
	/* slot 0: seq 1; the write's epoch: slot 1, seq 2, ... */
	KUNIT_ASSERT_EQ(test, ts_write(test, c, 100, 1), 0);
	KUNIT_ASSERT_EQ(test, vtape_cart_count_load(c), 0); /* 0: seq 3 */
	KUNIT_ASSERT_EQ(test, vtape_cart_count_load(c), 0); /* 1: seq 4 */
	ts_close(s);
	img = ts_snapshot(test, s);

	c = ts_open(test, s);
	KUNIT_EXPECT_EQ(test, vtape_cart_mam(c)->load_count, 2u);
	ts_close(s);
	/* Slot 1 (the newer) damaged: slot 0 serves, one load less. */
	ts_corrupt(s, 4096 + 70, 0x01);
	c = ts_open(test, s);
	KUNIT_EXPECT_EQ(test, vtape_cart_mam(c)->load_count, 1u);
	KUNIT_EXPECT_EQ(test, vtape_cart_nobjs(c), 1u);
	/* Its next header goes to slot 1, mending it. */
	KUNIT_EXPECT_EQ(test, vtape_cart_count_load(c), 0);
	c = ts_open(test, s);
	KUNIT_EXPECT_EQ(test, vtape_cart_mam(c)->load_count, 2u);
	ts_restore(s, &img);
	/* Slot 0 (the older) damaged: slot 1 serves. */
	ts_corrupt(s, 4000, 0x80);
	c = ts_open(test, s);
	KUNIT_EXPECT_EQ(test, vtape_cart_mam(c)->load_count, 2u);
	KUNIT_EXPECT_EQ(test, vtape_cart_nobjs(c), 1u);
	ts_close(s);
	/* Both damaged. */
	ts_corrupt(s, 4096 + 100, 0x04);
	KUNIT_EXPECT_EQ(test, vtape_cart_open(&s->st, &c), -EMEDIUMTYPE);
	/* A version we do not know, with a valid crc: not a cartridge. */
	ts_restore(s, &img);
	slot_set_version(s, 1, 2);
	c = ts_open(test, s); /* slot 0 still serves */
	KUNIT_EXPECT_EQ(test, vtape_cart_mam(c)->load_count, 1u);
	ts_close(s);
	slot_set_version(s, 0, 2);
	KUNIT_EXPECT_EQ(test, vtape_cart_open(&s->st, &c), -EMEDIUMTYPE);
	/* Not our magic. */
	ts_restore(s, &img);
	memcpy(s->live.b, "SCSTVTAQ", 8);
	memcpy(s->live.b + 4096, "XXXXXXXX", 8);
	KUNIT_EXPECT_EQ(test, vtape_cart_open(&s->st, &c), -EMEDIUMTYPE);
}

/* A header write torn by a crash leaves the previous header valid. */
static void header_torn(struct kunit *test)
{
	/* -1: lost; 4096: landed whole; else torn after that many bytes
	 * (past the first 24, the same in both headers of this test). */
	static const int cuts[] = {-1, 30, 100, 512, 2048, 4092, 4095, 4096};
	unsigned int i, head;

	for (i = 0; i < sizeof(cuts) / sizeof(cuts[0]); i++) {
		for (head = 0; head < 2; head++) {
			struct ts_store *s = ts_new(test);
			struct vtape_cart *c;
			int cut = cuts[i];

			c = ts_format_open(test, s, CAP, "TORN", false);
			KUNIT_ASSERT_EQ(test, ts_write(test, c, 10, 1), 0);
			KUNIT_ASSERT_EQ(test, vtape_cart_sync(c), 0);
			KUNIT_ASSERT_EQ(test, vtape_cart_count_load(c), 0);
			/* The next header write never reaches the disk
			 * whole: its sync fails, then the power. */
			s->fail_sync = 1;
			KUNIT_EXPECT_EQ(test, vtape_cart_count_load(c), -EIO);
			KUNIT_ASSERT_EQ(test, ts_pending(s), 1u);
			ts_crash_exact(s, cut >= 0, cut < 4096 ? 0 : -1,
				       cut > 0 ? (size_t)cut : 0, head);
			c = ts_open(test, s);
			KUNIT_EXPECT_EQ(test, vtape_cart_nobjs(c), 1u);
			KUNIT_EXPECT_EQ_MSG(test, vtape_cart_mam(c)->load_count,
					    cut == 4096 ? 2u : 1u, "cut %d/%u",
					    cut, head);
			ts_release(test, s);
		}
	}
}

/* --------------------------------------------------------- damage ---- */

static void data_corruption(struct kunit *test)
{
	struct ts_store *s = ts_new(test);
	struct vtape_cart *c;
	uint8_t buf[1200];
	uint64_t res;

	c = ts_format_open(test, s, CAP, "ROT", false);
	KUNIT_ASSERT_EQ(test, ts_write(test, c, 1000, 1), 0);
	KUNIT_ASSERT_EQ(test, ts_write(test, c, 1000, 2), 0);
	KUNIT_ASSERT_EQ(test, ts_write(test, c, 1000, 3), 0);
	/* One bit of object 1's data, near its end. */
	ts_corrupt(s, 8192 + (HDR + 1000) + HDR + 990, 0x10);
	vtape_cart_rewind(c);
	KUNIT_EXPECT_EQ(test, vtape_cart_read_block(c, buf, sizeof(buf)), 1000);
	KUNIT_EXPECT_EQ(test, vtape_cart_read_block(c, buf, sizeof(buf)), -EIO);
	KUNIT_EXPECT_EQ(test, vtape_cart_pos(c), 1u);
	KUNIT_EXPECT_STREQ(test, ts_log_last(),
			   "vtape ROT: object 1 fails its data checksum");
	/* A short read checks the whole block too. */
	KUNIT_EXPECT_EQ(test, vtape_cart_read_block(c, buf, 16), -EIO);
	KUNIT_EXPECT_EQ(test, vtape_cart_pos(c), 1u);
	/* Spacing over it works; the next block reads. */
	KUNIT_EXPECT_EQ(test, vtape_cart_space(c, VTAPE_SPACE_BLOCKS, 1, &res),
			VTAPE_MOVE_OK);
	KUNIT_EXPECT_EQ(test, vtape_cart_read_block(c, buf, sizeof(buf)), 1000);
	KUNIT_EXPECT_TRUE(test, ts_check_data(buf, 1000, 3));
	/* A store failure is a medium error as well. */
	vtape_cart_rewind(c);
	s->fail_read = 1;
	KUNIT_EXPECT_EQ(test, vtape_cart_read_block(c, buf, sizeof(buf)), -EIO);
	KUNIT_EXPECT_EQ(test, vtape_cart_pos(c), 0u);
	/* Reopened, the damaged record is where the data ends. */
	c = ts_open(test, s);
	KUNIT_EXPECT_EQ(test, vtape_cart_nobjs(c), 1u);
	/* A damaged record header ends it too. */
	ts_corrupt(s, 8192 + 30, 0x02);
	c = ts_open(test, s);
	KUNIT_EXPECT_EQ(test, vtape_cart_nobjs(c), 0u);
	/* A failing store is not an empty cartridge. */
	ts_close(s);
	s->fail_read = 3;
	KUNIT_EXPECT_EQ(test, vtape_cart_open(&s->st, &c), -EIO);
}

static void store_failures(struct kunit *test)
{
	struct ts_store *s = ts_new(test);
	struct vtape_cart *c;
	uint8_t buf[100];

	c = ts_format_open(test, s, CAP, "FAIL", false);
	/* The first write of a load fails to start its epoch. */
	s->fail_sync = 1;
	KUNIT_EXPECT_EQ(test, ts_write(test, c, 100, 1), -EIO);
	KUNIT_EXPECT_EQ(test, vtape_cart_nobjs(c), 0u);
	KUNIT_ASSERT_EQ(test, ts_write(test, c, 100, 2), 0);
	KUNIT_ASSERT_EQ(test, ts_write(test, c, 100, 3), 0);
	/* The record's data write fails: nothing of it counts. */
	s->fail_write = 2;
	KUNIT_EXPECT_EQ(test, ts_write(test, c, 100, 4), -EIO);
	KUNIT_EXPECT_EQ(test, vtape_cart_nobjs(c), 2u);
	KUNIT_EXPECT_EQ(test, vtape_cart_pos(c), 2u);
	KUNIT_ASSERT_EQ(test, ts_write(test, c, 100, 5), 0);
	s->fail_write = 1;
	KUNIT_EXPECT_EQ(test, vtape_cart_write_filemarks(c, 2), -EIO);
	KUNIT_ASSERT_EQ(test, vtape_cart_write_filemarks(c, 1), 0);
	s->fail_sync = 1;
	KUNIT_EXPECT_EQ(test, vtape_cart_sync(c), -EIO);
	KUNIT_EXPECT_EQ(test, vtape_cart_sync(c), 0);
	c = ts_open(test, s);
	KUNIT_ASSERT_EQ(test, vtape_cart_nobjs(c), 4u);
	KUNIT_EXPECT_EQ(test, vtape_cart_read_block(c, buf, 100), 100);
	KUNIT_EXPECT_TRUE(test, ts_check_data(buf, 100, 2));
	KUNIT_EXPECT_EQ(test, vtape_cart_read_block(c, buf, 100), 100);
	KUNIT_EXPECT_TRUE(test, ts_check_data(buf, 100, 3));
	KUNIT_EXPECT_EQ(test, vtape_cart_read_block(c, buf, 100), 100);
	KUNIT_EXPECT_TRUE(test, ts_check_data(buf, 100, 5));
	KUNIT_EXPECT_EQ(test, vtape_cart_read_block(c, buf, 100), -ENOMSG);
}

static struct kunit_case vtape_cart_crash_cases[] = {
    KUNIT_CASE(crash_random),
    KUNIT_CASE(crash_overwrite_stale),
    KUNIT_CASE(rewrite_identical),
    KUNIT_CASE(reload_takes_new_epoch),
    KUNIT_CASE(header_slots),
    KUNIT_CASE(header_torn),
    KUNIT_CASE(data_corruption),
    KUNIT_CASE(store_failures),
    {},
};

static int crash_init(struct kunit *test)
{
	ts_log_capture(test);
	return 0;
}

static struct kunit_suite vtape_cart_crash_suite = {
    .name = "vtape_cart_crash",
    .init = crash_init,
    .test_cases = vtape_cart_crash_cases,
};

kunit_test_suite(vtape_cart_crash_suite);
