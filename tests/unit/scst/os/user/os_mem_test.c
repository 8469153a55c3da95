// SPDX-License-Identifier: GPL-2.0-only
/*
 * Unit tests of scst/os/user/os_mem.c: heap accounting and object caches
 * (per-thread magazines, cross-thread frees, flush at thread exit, destroy).
 */
#include <errno.h>
#include <kunit/test.h>

#include "scst/os.h"
#include "../../../../../scst/os/user/os_user_internal.h"

#define SKIP_IF_BYPASS(test)                                                   \
	do {                                                                   \
		if (OS_USER_CACHE_BYPASS)                                      \
			kunit_skip(test, "caches are malloc() under ASan");    \
	} while (0)

/* ------------------------------------------------------------- heap ---- */

static void heap_accounting_test(struct kunit *test)
{
	struct scst_os_mem_stats before, mid, after;
	void *a, *b, *c;

	scst_os_mem_stats(&before);
	a = scst_os_alloc(100);
	b = scst_os_zalloc(28);
	c = scst_os_alloc(0);
	KUNIT_ASSERT_NOT_NULL(test, a);
	KUNIT_ASSERT_NOT_NULL(test, b);
	KUNIT_ASSERT_NOT_NULL(test, c);
	scst_os_mem_stats(&mid);
	KUNIT_EXPECT_EQ(test, mid.heap_allocs - before.heap_allocs, 3);
	KUNIT_EXPECT_EQ(test, mid.heap_bytes - before.heap_bytes, 128);

	scst_os_free(b);
	scst_os_mem_stats(&after);
	KUNIT_EXPECT_EQ(test, after.heap_allocs - before.heap_allocs, 2);
	KUNIT_EXPECT_EQ(test, after.heap_bytes - before.heap_bytes, 100);

	scst_os_free(a);
	scst_os_free(c);
	scst_os_free(NULL);
	scst_os_mem_stats(&after);
	KUNIT_EXPECT_EQ(test, after.heap_allocs, before.heap_allocs);
	KUNIT_EXPECT_EQ(test, after.heap_bytes, before.heap_bytes);
}

static void heap_zalloc_aligned_test(struct kunit *test)
{
	static const unsigned char zero[333];
	unsigned char *p;
	int i;

	/* Recycle some memory first, so zalloc has something to clear. */
	for (i = 0; i < 4; i++) {
		p = scst_os_alloc(sizeof(zero));
		KUNIT_ASSERT_NOT_NULL(test, p);
		memset(p, 0xa5, sizeof(zero));
		scst_os_free(p);
	}
	p = scst_os_zalloc(sizeof(zero));
	KUNIT_ASSERT_NOT_NULL(test, p);
	KUNIT_EXPECT_MEMEQ(test, p, zero, sizeof(zero));
	KUNIT_EXPECT_EQ(test, (uintptr_t)p % 16, 0);
	scst_os_free(p);
	KUNIT_EXPECT_NULL(test, scst_os_alloc(SIZE_MAX - 4));
}

/* ----------------------------------------------------------- caches ---- */

#define NOBJ 100

static void cache_alloc_free_test(struct kunit *test)
{
	struct scst_os_mem_stats before, mid;
	struct scst_os_cache *c;
	uint32_t *objs[NOBJ];
	int i, j;

	scst_os_mem_stats(&before);
	c = scst_os_cache_create("test_basic", 40);
	KUNIT_ASSERT_NOT_NULL(test, c);
	for (i = 0; i < NOBJ; i++) {
		objs[i] = scst_os_cache_alloc(c);
		KUNIT_ASSERT_NOT_NULL(test, objs[i]);
		KUNIT_EXPECT_EQ(test, (uintptr_t)objs[i] % 16, 0);
		for (j = 0; j < 10; j++)
			objs[i][j] = (uint32_t)(i * 1000 + j);
	}
	KUNIT_EXPECT_EQ(test, scst_os_cache_outstanding(c), NOBJ);
	scst_os_mem_stats(&mid);
	KUNIT_EXPECT_EQ(test, mid.cache_objs - before.cache_objs, NOBJ);

	/* No two objects overlap: every pattern survived. */
	for (i = 0; i < NOBJ; i++)
		for (j = 0; j < 10; j++)
			KUNIT_ASSERT_EQ(test, objs[i][j],
					(uint32_t)(i * 1000 + j));

	KUNIT_EXPECT_EQ(test, scst_os_cache_destroy(c), -EBUSY);
	for (i = 0; i < NOBJ - 1; i++)
		scst_os_cache_free(c, objs[i]);
	KUNIT_EXPECT_EQ(test, scst_os_cache_outstanding(c), 1);
	KUNIT_EXPECT_EQ(test, scst_os_cache_destroy(c), -EBUSY);
	scst_os_cache_free(c, objs[NOBJ - 1]);
	KUNIT_EXPECT_EQ(test, scst_os_cache_outstanding(c), 0);
	scst_os_mem_stats(&mid);
	KUNIT_EXPECT_EQ(test, mid.cache_objs, before.cache_objs);
	KUNIT_EXPECT_EQ(test, scst_os_cache_destroy(c), 0);
}

static void cache_zalloc_recycled_test(struct kunit *test)
{
	static const unsigned char zero[72];
	struct scst_os_cache *c = scst_os_cache_create("test_zero", 72);
	void *objs[40];
	int i;

	KUNIT_ASSERT_NOT_NULL(test, c);
	for (i = 0; i < 40; i++) {
		objs[i] = scst_os_cache_alloc(c);
		KUNIT_ASSERT_NOT_NULL(test, objs[i]);
		memset(objs[i], 0xff, 72);
	}
	for (i = 0; i < 40; i++)
		scst_os_cache_free(c, objs[i]);
	for (i = 0; i < 40; i++) {
		objs[i] = scst_os_cache_zalloc(c);
		KUNIT_ASSERT_NOT_NULL(test, objs[i]);
		KUNIT_EXPECT_MEMEQ(test, objs[i], zero, sizeof(zero));
	}
	for (i = 0; i < 40; i++)
		scst_os_cache_free(c, objs[i]);
	KUNIT_EXPECT_EQ(test, scst_os_cache_destroy(c), 0);
}

/* Objects handed between threads. */
struct xfer {
	struct scst_os_cache *c;
	void *objs[200];
	int n;
};

static int alloc_thread(void *arg)
{
	struct xfer *x = arg;
	int i;

	for (i = 0; i < x->n; i++) {
		x->objs[i] = scst_os_cache_alloc(x->c);
		if (!x->objs[i])
			return -ENOMEM;
		memset(x->objs[i], i, 24);
	}
	return 0;
}

static int free_thread(void *arg)
{
	struct xfer *x = arg;
	int i;

	for (i = 0; i < x->n; i++)
		scst_os_cache_free(x->c, x->objs[i]);
	return 0;
}

static void cache_cross_thread_free_test(struct kunit *test)
{
	struct xfer x = {.n = 200};
	struct scst_thread *t;
	int i;

	x.c = scst_os_cache_create("test_xfer", 24);
	KUNIT_ASSERT_NOT_NULL(test, x.c);

	/* Allocated by a thread that exits, freed here. */
	KUNIT_ASSERT_EQ(test, scst_thread_create(&t, alloc_thread, &x, "alloc"),
			0);
	KUNIT_ASSERT_EQ(test, scst_thread_join(t), 0);
	KUNIT_EXPECT_EQ(test, scst_os_cache_outstanding(x.c), 200);
	for (i = 0; i < 200; i++)
		KUNIT_EXPECT_EQ(test, ((unsigned char *)x.objs[i])[23],
				(unsigned char)i);
	for (i = 0; i < 200; i++)
		scst_os_cache_free(x.c, x.objs[i]);
	KUNIT_EXPECT_EQ(test, scst_os_cache_outstanding(x.c), 0);

	/* Allocated here, freed by a thread that exits. */
	KUNIT_ASSERT_EQ(test, alloc_thread(&x), 0);
	KUNIT_ASSERT_EQ(test, scst_thread_create(&t, free_thread, &x, "free"),
			0);
	KUNIT_ASSERT_EQ(test, scst_thread_join(t), 0);
	KUNIT_EXPECT_EQ(test, scst_os_cache_outstanding(x.c), 0);
	KUNIT_EXPECT_EQ(test, scst_os_cache_destroy(x.c), 0);
}

/* A thread that fills its magazine, then waits to be told to exit. */
struct mag_thread {
	struct scst_os_cache *c;
	struct scst_completion filled, go;
	int n;
};

static int mag_fill_thread(void *arg)
{
	struct mag_thread *m = arg;
	void *objs[20];
	int i;

	for (i = 0; i < m->n; i++)
		objs[i] = scst_os_cache_alloc(m->c);
	for (i = 0; i < m->n; i++)
		scst_os_cache_free(m->c, objs[i]);
	scst_complete(&m->filled);
	scst_wait_for_completion(&m->go);
	return 0;
}

static void cache_magazine_flush_at_exit_test(struct kunit *test)
{
	struct os_user_cache_info info;
	struct mag_thread m = {.n = 10};
	struct scst_thread *t;

	SKIP_IF_BYPASS(test);
	m.c = scst_os_cache_create("test_flush", 64);
	KUNIT_ASSERT_NOT_NULL(test, m.c);
	scst_completion_init(&m.filled);
	scst_completion_init(&m.go);
	KUNIT_ASSERT_EQ(test,
			scst_thread_create(&t, mag_fill_thread, &m, "mag"), 0);
	scst_wait_for_completion(&m.filled);

	/* The thread's magazine holds free objects the depot does not. */
	os_user_cache_info(m.c, &info);
	KUNIT_EXPECT_GT(test, info.carved, 0);
	KUNIT_EXPECT_LE(test, info.carved - info.depot, OS_USER_MAG_SIZE);
	KUNIT_EXPECT_GE(test, info.carved - info.depot, m.n);
	KUNIT_EXPECT_EQ(test, scst_os_cache_outstanding(m.c), 0);

	scst_complete(&m.go);
	KUNIT_EXPECT_EQ(test, scst_thread_join(t), 0);
	/* Its exit gave every object back to the depot. */
	os_user_cache_info(m.c, &info);
	KUNIT_EXPECT_EQ(test, info.depot, info.carved);
	KUNIT_EXPECT_EQ(test, scst_os_cache_destroy(m.c), 0);
	scst_completion_destroy(&m.filled);
	scst_completion_destroy(&m.go);
}

/* A thread whose magazine outlives its cache, then uses the slot's next. */
struct stale_thread {
	struct scst_os_cache *c;
	struct scst_completion filled, go;
	void *got;
};

static int stale_thread_fn(void *arg)
{
	struct stale_thread *s = arg;
	void *objs[8];
	int i;

	for (i = 0; i < 8; i++)
		objs[i] = scst_os_cache_alloc(s->c);
	for (i = 0; i < 8; i++)
		scst_os_cache_free(s->c, objs[i]);
	scst_complete(&s->filled);
	scst_wait_for_completion(&s->go);
	/* s->c is now a different cache in the same slot. */
	s->got = scst_os_cache_alloc(s->c);
	if (s->got)
		memset(s->got, 0x5a, 256);
	scst_os_cache_free(s->c, s->got);
	return 0;
}

static void cache_destroy_with_foreign_magazine_test(struct kunit *test)
{
	struct os_user_cache_info old_info, info;
	struct stale_thread s = {0};
	struct scst_thread *t;

	SKIP_IF_BYPASS(test);
	scst_completion_init(&s.filled);
	scst_completion_init(&s.go);
	s.c = scst_os_cache_create("test_old", 32);
	KUNIT_ASSERT_NOT_NULL(test, s.c);
	os_user_cache_info(s.c, &old_info);
	KUNIT_ASSERT_GE(test, old_info.slot, 0);
	KUNIT_ASSERT_EQ(
	    test, scst_thread_create(&t, stale_thread_fn, &s, "stale"), 0);
	scst_wait_for_completion(&s.filled);

	/* Destroy while another live thread still caches its objects. */
	KUNIT_EXPECT_EQ(test, scst_os_cache_destroy(s.c), 0);
	s.c = scst_os_cache_create("test_new", 256);
	KUNIT_ASSERT_NOT_NULL(test, s.c);
	os_user_cache_info(s.c, &info);
	KUNIT_EXPECT_EQ(test, info.slot, old_info.slot);
	KUNIT_EXPECT_EQ(test, info.carved, 0);

	scst_complete(&s.go);
	KUNIT_EXPECT_EQ(test, scst_thread_join(t), 0);
	/* The object came from the new cache's slab, not the stale magazine. */
	os_user_cache_info(s.c, &info);
	KUNIT_EXPECT_NOT_NULL(test, s.got);
	KUNIT_EXPECT_GT(test, info.carved, 0);
	KUNIT_EXPECT_EQ(test, info.depot, info.carved);
	KUNIT_EXPECT_EQ(test, scst_os_cache_outstanding(s.c), 0);
	KUNIT_EXPECT_EQ(test, scst_os_cache_destroy(s.c), 0);
	scst_completion_destroy(&s.filled);
	scst_completion_destroy(&s.go);
}

#define NCACHES (OS_USER_CACHE_SLOTS + 16)

static void cache_many_caches_test(struct kunit *test)
{
	struct scst_os_cache **caches;
	struct os_user_cache_info info;
	void *objs[50];
	int i, j, no_slot = 0;

	caches = kunit_kcalloc(test, NCACHES, sizeof(*caches), GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, caches);
	for (i = 0; i < NCACHES; i++) {
		caches[i] = scst_os_cache_create("test_many", 8 + (size_t)i);
		KUNIT_ASSERT_NOT_NULL(test, caches[i]);
		os_user_cache_info(caches[i], &info);
		no_slot += info.slot < 0;
	}
	/* Caches past the slot count still work, through the depot. */
	if (!OS_USER_CACHE_BYPASS)
		KUNIT_EXPECT_GE(test, no_slot, 16);
	for (i = 0; i < NCACHES; i++) {
		for (j = 0; j < 50; j++) {
			objs[j] = scst_os_cache_alloc(caches[i]);
			KUNIT_ASSERT_NOT_NULL(test, objs[j]);
			memset(objs[j], j, 8 + (size_t)i);
		}
		for (j = 0; j < 50; j++) {
			KUNIT_EXPECT_EQ(test, ((unsigned char *)objs[j])[7 + i],
					j);
			scst_os_cache_free(caches[i], objs[j]);
		}
		KUNIT_EXPECT_EQ(test, scst_os_cache_outstanding(caches[i]), 0);
	}
	for (i = 0; i < NCACHES; i++)
		KUNIT_EXPECT_EQ(test, scst_os_cache_destroy(caches[i]), 0);

	/* Slots are recycled. */
	caches[0] = scst_os_cache_create("test_again", 16);
	KUNIT_ASSERT_NOT_NULL(test, caches[0]);
	os_user_cache_info(caches[0], &info);
	if (!OS_USER_CACHE_BYPASS)
		KUNIT_EXPECT_GE(test, info.slot, 0);
	KUNIT_EXPECT_EQ(test, scst_os_cache_destroy(caches[0]), 0);
}

/* Several threads allocate, pass objects around and free them. */
#define STRESS_THREADS 4
#define STRESS_ITERS   20000

struct stress {
	struct scst_os_cache *c;
	struct scst_mutex lock;
	void *shared[256];
	int nshared;
	int bad;
};

struct stress_obj {
	uint32_t owner;
	uint32_t seq;
	uint32_t check;
};

static int stress_thread(void *arg)
{
	struct stress *s = arg;
	struct stress_obj *live[64], *o, *other;
	uint32_t r, self = scst_os_random_u32();
	int n = 0, i;

	for (i = 0; i < STRESS_ITERS; i++) {
		r = scst_os_random_u32();
		if (n < 64 && (r & 1)) {
			o = scst_os_cache_alloc(s->c);
			if (!o)
				return -ENOMEM;
			o->owner = self;
			o->seq = (uint32_t)i;
			o->check = self ^ (uint32_t)i;
			live[n++] = o;
		} else if (n) {
			o = live[--n];
			if (o->check != (o->owner ^ o->seq))
				__atomic_add_fetch(&s->bad, 1,
						   __ATOMIC_RELAXED);
			scst_mutex_lock(&s->lock);
			if ((r & 2) && s->nshared < 256) {
				s->shared[s->nshared++] = o;
				o = NULL;
			} else if (s->nshared) {
				/* Free another thread's object; share ours. */
				other = s->shared[0];
				s->shared[0] = o;
				o = other;
			}
			scst_mutex_unlock(&s->lock);
			if (o) {
				if (o->check != (o->owner ^ o->seq))
					__atomic_add_fetch(&s->bad, 1,
							   __ATOMIC_RELAXED);
				o->check = ~0u;
				scst_os_cache_free(s->c, o);
			}
		}
	}
	while (n)
		scst_os_cache_free(s->c, live[--n]);
	return 0;
}

static void cache_concurrent_stress_test(struct kunit *test)
{
	struct scst_thread *t[STRESS_THREADS];
	struct stress *s;
	int i;

	s = kunit_kzalloc(test, sizeof(*s), GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, s);
	s->c = scst_os_cache_create("test_stress", sizeof(struct stress_obj));
	KUNIT_ASSERT_NOT_NULL(test, s->c);
	scst_mutex_init(&s->lock);
	for (i = 0; i < STRESS_THREADS; i++)
		KUNIT_ASSERT_EQ(
		    test, scst_thread_create(&t[i], stress_thread, s, "stress"),
		    0);
	for (i = 0; i < STRESS_THREADS; i++)
		KUNIT_EXPECT_EQ(test, scst_thread_join(t[i]), 0);
	KUNIT_EXPECT_EQ(test, s->bad, 0);
	KUNIT_EXPECT_EQ(test, scst_os_cache_outstanding(s->c), s->nshared);
	while (s->nshared)
		scst_os_cache_free(s->c, s->shared[--s->nshared]);
	KUNIT_EXPECT_EQ(test, scst_os_cache_outstanding(s->c), 0);
	KUNIT_EXPECT_EQ(test, scst_os_cache_destroy(s->c), 0);
	scst_mutex_destroy(&s->lock);
}

/* --------------------------------------------------- aligned caches ---- */

#define ALN_NOBJ 40 /* more than a slab and more than half a magazine */

struct aln_case {
	size_t size, align;
};

/*
 * Every object of an aligned cache starts on the boundary, the whole
 * object is usable (ASan builds see an overflow), objects recycled
 * through the magazines and the depot stay aligned, and the counters
 * are as exact as for an ordinary cache.
 */
static void cache_aligned_test(struct kunit *test)
{
	static const struct aln_case cases[] = {
	    {4096, 4096}, {131072, 4096}, {100, 512}, {5000, 4096}, {24, 64},
	};
	struct scst_os_mem_stats before, mid;
	struct scst_os_cache *c;
	unsigned char *objs[ALN_NOBJ];
	size_t k;
	int i, round;

	for (k = 0; k < sizeof(cases) / sizeof(cases[0]); k++) {
		const struct aln_case *a = &cases[k];

		scst_os_mem_stats(&before);
		c = scst_os_cache_create_aligned("test_aligned", a->size,
						 a->align);
		KUNIT_ASSERT_NOT_NULL(test, c);
		for (round = 0; round < 2; round++) {
			for (i = 0; i < ALN_NOBJ; i++) {
				objs[i] = round ? scst_os_cache_zalloc(c)
						: scst_os_cache_alloc(c);
				KUNIT_ASSERT_NOT_NULL(test, objs[i]);
				KUNIT_EXPECT_EQ_MSG(
				    test, (uintptr_t)objs[i] % a->align, 0,
				    "size %zu align %zu round %d obj %d",
				    a->size, a->align, round, i);
				if (round)
					KUNIT_EXPECT_EQ(
					    test, objs[i][a->size - 1], 0);
				memset(objs[i], i + 1, a->size);
			}
			KUNIT_EXPECT_EQ(test, scst_os_cache_outstanding(c),
					ALN_NOBJ);
			scst_os_mem_stats(&mid);
			KUNIT_EXPECT_EQ(
			    test, mid.cache_objs - before.cache_objs, ALN_NOBJ);
			/* No overlap: each object kept its own bytes. */
			for (i = 0; i < ALN_NOBJ; i++) {
				KUNIT_EXPECT_EQ(test, objs[i][0], i + 1);
				KUNIT_EXPECT_EQ(test, objs[i][a->size - 1],
						i + 1);
			}
			KUNIT_EXPECT_EQ(test, scst_os_cache_destroy(c), -EBUSY);
			for (i = 0; i < ALN_NOBJ; i++)
				scst_os_cache_free(c, objs[i]);
			KUNIT_EXPECT_EQ(test, scst_os_cache_outstanding(c), 0);
		}
		KUNIT_EXPECT_EQ(test, scst_os_cache_destroy(c), 0);
		scst_os_mem_stats(&mid);
		KUNIT_EXPECT_EQ(test, mid.cache_objs, before.cache_objs);
	}
}

/* An alignment that is not a power of two, or too large, is refused. */
static void cache_aligned_bad_test(struct kunit *test)
{
	static const size_t bad[] = {0, 3, 48, 6000,
				     2 * (size_t)SCST_OS_CACHE_MAX_ALIGN};
	struct scst_os_cache *c;
	void *obj;
	size_t i;

	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++)
		KUNIT_EXPECT_NULL_MSG(
		    test, scst_os_cache_create_aligned("bad", 64, bad[i]),
		    "align %zu", bad[i]);
	/* Below the default alignment: the default applies. */
	c = scst_os_cache_create_aligned("small_align", 40, 1);
	KUNIT_ASSERT_NOT_NULL(test, c);
	obj = scst_os_cache_alloc(c);
	KUNIT_ASSERT_NOT_NULL(test, obj);
	KUNIT_EXPECT_EQ(test, (uintptr_t)obj % 16, 0);
	scst_os_cache_free(c, obj);
	/* The largest allowed. */
	KUNIT_EXPECT_EQ(test, scst_os_cache_destroy(c), 0);
	c = scst_os_cache_create_aligned("max_align", 512,
					 SCST_OS_CACHE_MAX_ALIGN);
	KUNIT_ASSERT_NOT_NULL(test, c);
	obj = scst_os_cache_alloc(c);
	KUNIT_ASSERT_NOT_NULL(test, obj);
	KUNIT_EXPECT_EQ(test, (uintptr_t)obj % SCST_OS_CACHE_MAX_ALIGN, 0);
	scst_os_cache_free(c, obj);
	KUNIT_EXPECT_EQ(test, scst_os_cache_destroy(c), 0);
}

/* Objects of an aligned cache allocated on one thread, freed on another. */
static void cache_aligned_cross_thread_test(struct kunit *test)
{
	struct xfer *x = kunit_kzalloc(test, sizeof(*x), GFP_KERNEL);
	struct scst_thread *t;
	int i;

	KUNIT_ASSERT_NOT_NULL(test, x);
	x->c = scst_os_cache_create_aligned("test_aligned_xt", 4096, 4096);
	KUNIT_ASSERT_NOT_NULL(test, x->c);
	x->n = 100;
	KUNIT_ASSERT_EQ(
	    test, scst_thread_create(&t, alloc_thread, x, "aln_alloc"), 0);
	KUNIT_ASSERT_EQ(test, scst_thread_join(t), 0);
	KUNIT_EXPECT_EQ(test, scst_os_cache_outstanding(x->c), 100);
	for (i = 0; i < x->n; i++)
		KUNIT_EXPECT_EQ(test, (uintptr_t)x->objs[i] % 4096, 0);
	free_thread(x);
	KUNIT_EXPECT_EQ(test, scst_os_cache_outstanding(x->c), 0);
	/* What the other thread's magazine gave back comes out aligned. */
	for (i = 0; i < x->n; i++) {
		x->objs[i] = scst_os_cache_alloc(x->c);
		KUNIT_ASSERT_NOT_NULL(test, x->objs[i]);
		KUNIT_EXPECT_EQ(test, (uintptr_t)x->objs[i] % 4096, 0);
	}
	free_thread(x);
	KUNIT_EXPECT_EQ(test, scst_os_cache_destroy(x->c), 0);
}

static struct kunit_case os_mem_cases[] = {
    KUNIT_CASE(heap_accounting_test),
    KUNIT_CASE(heap_zalloc_aligned_test),
    KUNIT_CASE(cache_alloc_free_test),
    KUNIT_CASE(cache_zalloc_recycled_test),
    KUNIT_CASE(cache_cross_thread_free_test),
    KUNIT_CASE(cache_magazine_flush_at_exit_test),
    KUNIT_CASE(cache_destroy_with_foreign_magazine_test),
    KUNIT_CASE(cache_many_caches_test),
    KUNIT_CASE(cache_concurrent_stress_test),
    KUNIT_CASE(cache_aligned_test),
    KUNIT_CASE(cache_aligned_bad_test),
    KUNIT_CASE(cache_aligned_cross_thread_test),
    {}};

static struct kunit_suite os_mem_suite = {
    .name = "scst_os_mem",
    .test_cases = os_mem_cases,
};
kunit_test_suite(os_mem_suite);
