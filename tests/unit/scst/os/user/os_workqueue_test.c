// SPDX-License-Identifier: GPL-2.0-only
/*
 * Unit tests of scst/os/user/os_workqueue.c: running, pending semantics,
 * FIFO order, flush, self re-queueing and destroy.
 */
#include <kunit/test.h>

#include "scst/os.h"

#define MS 1000000ULL

struct counted {
	struct scst_work work;
	int runs;
	int sleep_ms;
};

static void counted_fn(struct scst_work *w)
{
	struct counted *c = scst_container_of(w, struct counted, work);

	if (c->sleep_ms)
		scst_os_msleep((unsigned int)c->sleep_ms);
	__atomic_add_fetch(&c->runs, 1, __ATOMIC_RELEASE);
}

static int runs(struct counted *c)
{
	return __atomic_load_n(&c->runs, __ATOMIC_ACQUIRE);
}

/* A work that blocks its worker until released. */
struct blocker {
	struct scst_work work;
	struct scst_completion started, release;
};

static void blocker_fn(struct scst_work *w)
{
	struct blocker *b = scst_container_of(w, struct blocker, work);

	scst_complete(&b->started);
	scst_wait_for_completion(&b->release);
}

static void blocker_init(struct blocker *b)
{
	scst_work_init(&b->work, blocker_fn);
	scst_completion_init(&b->started);
	scst_completion_init(&b->release);
}

static void blocker_destroy(struct blocker *b)
{
	scst_completion_destroy(&b->started);
	scst_completion_destroy(&b->release);
}

static void wq_runs_work_test(struct kunit *test)
{
	struct scst_workqueue *wq = scst_workqueue_create("t_run", 2);
	struct counted c = {0};

	KUNIT_ASSERT_NOT_NULL(test, wq);
	scst_work_init(&c.work, counted_fn);
	KUNIT_EXPECT_TRUE(test, scst_queue_work(wq, &c.work));
	scst_workqueue_flush(wq);
	KUNIT_EXPECT_EQ(test, runs(&c), 1);
	KUNIT_EXPECT_EQ(test, scst_atomic_read(&c.work.pending), 0);
	/* Not pending any more: it can be queued again. */
	KUNIT_EXPECT_TRUE(test, scst_queue_work(wq, &c.work));
	scst_workqueue_flush(wq);
	KUNIT_EXPECT_EQ(test, runs(&c), 2);
	scst_workqueue_destroy(wq);
}

static void wq_pending_test(struct kunit *test)
{
	struct scst_workqueue *wq = scst_workqueue_create("t_pend", 1);
	struct counted c = {0};
	struct blocker b;

	KUNIT_ASSERT_NOT_NULL(test, wq);
	blocker_init(&b);
	scst_work_init(&c.work, counted_fn);
	KUNIT_ASSERT_TRUE(test, scst_queue_work(wq, &b.work));
	scst_wait_for_completion(&b.started);

	/* The only worker is busy: the work stays pending. */
	KUNIT_EXPECT_TRUE(test, scst_queue_work(wq, &c.work));
	KUNIT_EXPECT_FALSE(test, scst_queue_work(wq, &c.work));
	KUNIT_EXPECT_FALSE(test, scst_queue_work(wq, &c.work));
	KUNIT_EXPECT_EQ(test, scst_atomic_read(&c.work.pending), 1);
	/* A running work is not pending: it may be queued again. */
	KUNIT_EXPECT_TRUE(test, scst_queue_work(wq, &b.work));
	scst_complete(&b.release);
	scst_complete(&b.release);
	scst_workqueue_flush(wq);
	KUNIT_EXPECT_EQ(test, runs(&c), 1);
	scst_workqueue_destroy(wq);
	blocker_destroy(&b);
}

#define NORDER 32

struct ordered {
	struct scst_work work;
	int id;
	int *log;
	int *n;
};

static void ordered_fn(struct scst_work *w)
{
	struct ordered *o = scst_container_of(w, struct ordered, work);

	/* One worker: no lock needed. */
	o->log[(*o->n)++] = o->id;
}

static void wq_fifo_order_test(struct kunit *test)
{
	struct scst_workqueue *wq = scst_workqueue_create("t_fifo", 1);
	struct ordered o[NORDER];
	int log[NORDER], n = 0, i;

	KUNIT_ASSERT_NOT_NULL(test, wq);
	for (i = 0; i < NORDER; i++) {
		o[i] = (struct ordered){.id = i, .log = log, .n = &n};
		scst_work_init(&o[i].work, ordered_fn);
		KUNIT_EXPECT_TRUE(test, scst_queue_work(wq, &o[i].work));
	}
	scst_workqueue_flush(wq);
	KUNIT_ASSERT_EQ(test, n, NORDER);
	for (i = 0; i < NORDER; i++)
		KUNIT_EXPECT_EQ(test, log[i], i);
	scst_workqueue_destroy(wq);
}

#define NFLUSH 64

static void wq_flush_waits_for_all_test(struct kunit *test)
{
	struct scst_workqueue *wq = scst_workqueue_create("t_flush", 4);
	struct counted *c;
	int i, done = 0;

	KUNIT_ASSERT_NOT_NULL(test, wq);
	c = kunit_kcalloc(test, NFLUSH, sizeof(*c), GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, c);
	for (i = 0; i < NFLUSH; i++) {
		c[i].sleep_ms = (int)(scst_os_random_u32() % 4);
		scst_work_init(&c[i].work, counted_fn);
		KUNIT_EXPECT_TRUE(test, scst_queue_work(wq, &c[i].work));
	}
	scst_workqueue_flush(wq);
	/* Every work queued before the flush has returned. */
	for (i = 0; i < NFLUSH; i++)
		done += runs(&c[i]);
	KUNIT_EXPECT_EQ(test, done, NFLUSH);
	/* A flush with nothing queued returns at once. */
	scst_workqueue_flush(wq);
	scst_workqueue_destroy(wq);
}

/* A work that queues itself again until told to stop. */
struct requeue {
	struct scst_work work;
	struct scst_workqueue *wq;
	int runs;
	int stop;
};

static void requeue_fn(struct scst_work *w)
{
	struct requeue *r = scst_container_of(w, struct requeue, work);

	__atomic_add_fetch(&r->runs, 1, __ATOMIC_RELAXED);
	scst_os_msleep(1);
	if (!__atomic_load_n(&r->stop, __ATOMIC_ACQUIRE))
		scst_queue_work(r->wq, &r->work);
}

static void wq_flush_ignores_later_work_test(struct kunit *test)
{
	struct requeue r = {0};
	int seen, i;

	r.wq = scst_workqueue_create("t_requeue", 2);
	KUNIT_ASSERT_NOT_NULL(test, r.wq);
	scst_work_init(&r.work, requeue_fn);
	KUNIT_ASSERT_TRUE(test, scst_queue_work(r.wq, &r.work));

	/*
	 * Each flush returns although the work is always queued again, and
	 * waits for the instance queued or running at the call.
	 */
	seen = __atomic_load_n(&r.runs, __ATOMIC_RELAXED);
	for (i = 0; i < 5; i++)
		scst_workqueue_flush(r.wq);
	KUNIT_EXPECT_GE(test, __atomic_load_n(&r.runs, __ATOMIC_RELAXED),
			seen + 2);
	__atomic_store_n(&r.stop, 1, __ATOMIC_RELEASE);
	scst_workqueue_flush(r.wq);
	scst_workqueue_flush(r.wq);
	seen = __atomic_load_n(&r.runs, __ATOMIC_RELAXED);
	scst_os_msleep(20);
	KUNIT_EXPECT_EQ(test, __atomic_load_n(&r.runs, __ATOMIC_RELAXED), seen);
	scst_workqueue_destroy(r.wq);
}

static void wq_destroy_runs_queued_test(struct kunit *test)
{
	struct scst_workqueue *wq = scst_workqueue_create("t_destroy", 1);
	struct counted slow = {.sleep_ms = 20}, *c;
	int i, done = 0;

	KUNIT_ASSERT_NOT_NULL(test, wq);
	c = kunit_kcalloc(test, 50, sizeof(*c), GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, c);
	scst_work_init(&slow.work, counted_fn);
	scst_queue_work(wq, &slow.work);
	for (i = 0; i < 50; i++) {
		scst_work_init(&c[i].work, counted_fn);
		scst_queue_work(wq, &c[i].work);
	}
	scst_workqueue_destroy(wq);
	for (i = 0; i < 50; i++)
		done += runs(&c[i]);
	KUNIT_EXPECT_EQ(test, runs(&slow), 1);
	KUNIT_EXPECT_EQ(test, done, 50);
}

/* Works that wait until all of them run at once: proves the thread count. */
struct rendezvous;

struct rv_work {
	struct scst_work work;
	struct rendezvous *r;
};

struct rendezvous {
	struct rv_work w[64];
	struct scst_waitq wq;
	int arrived;
	int need;
	int met;
};

static bool all_arrived(void *arg)
{
	struct rendezvous *r = arg;

	return __atomic_load_n(&r->arrived, __ATOMIC_ACQUIRE) >= r->need;
}

static void rendezvous_fn(struct scst_work *w)
{
	struct rendezvous *r = scst_container_of(w, struct rv_work, work)->r;

	__atomic_add_fetch(&r->arrived, 1, __ATOMIC_RELEASE);
	scst_wake_up(&r->wq);
	if (scst_wait_event_timeout(&r->wq, all_arrived, r, 5000 * MS))
		__atomic_add_fetch(&r->met, 1, __ATOMIC_RELAXED);
}

static void wq_default_threads_test(struct kunit *test)
{
	unsigned int ncpu = scst_os_num_cpus(), i;
	struct scst_workqueue *wq;
	struct rendezvous *r;

	if (ncpu > 64)
		kunit_skip(test, "more than 64 CPUs");
	r = kunit_kzalloc(test, sizeof(*r), GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, r);
	scst_waitq_init(&r->wq);
	r->need = (int)ncpu;
	wq = scst_workqueue_create("t_ncpu", 0);
	KUNIT_ASSERT_NOT_NULL(test, wq);
	for (i = 0; i < ncpu; i++) {
		r->w[i].r = r;
		scst_work_init(&r->w[i].work, rendezvous_fn);
		scst_queue_work(wq, &r->w[i].work);
	}
	scst_workqueue_flush(wq);
	/* One thread per CPU: all of them met. */
	KUNIT_EXPECT_EQ(test, r->met, (int)ncpu);
	scst_workqueue_destroy(wq);
	scst_waitq_destroy(&r->wq);
}

static struct kunit_case os_workqueue_cases[] = {
    KUNIT_CASE(wq_runs_work_test),
    KUNIT_CASE(wq_pending_test),
    KUNIT_CASE(wq_fifo_order_test),
    KUNIT_CASE(wq_flush_waits_for_all_test),
    KUNIT_CASE(wq_flush_ignores_later_work_test),
    KUNIT_CASE(wq_destroy_runs_queued_test),
    KUNIT_CASE(wq_default_threads_test),
    {}};

static struct kunit_suite os_workqueue_suite = {
    .name = "scst_os_workqueue",
    .test_cases = os_workqueue_cases,
};
kunit_test_suite(os_workqueue_suite);
