// SPDX-License-Identifier: GPL-2.0-only
/*
 * Unit tests of scst/os/user/os_timer.c: expiry order, re-arming, del,
 * del_sync (with a running callback, from the callback itself, and on a
 * timer that keeps re-arming itself).
 */
#include <kunit/test.h>

#include "scst/os.h"

#define MS 1000000ULL

struct tt {
	struct scst_timer timer;
	int id;
	uint64_t armed_at, delay_ns, fired_at;
	int fired;
	struct tt_log *log;
};

struct tt_log {
	struct scst_mutex lock;
	int order[8];
	int n;
	struct scst_completion done;
};

static void tt_fn(struct scst_timer *t)
{
	struct tt *x = scst_container_of(t, struct tt, timer);

	x->fired_at = scst_os_now_ns();
	__atomic_add_fetch(&x->fired, 1, __ATOMIC_RELEASE);
	if (x->log) {
		scst_mutex_lock(&x->log->lock);
		x->log->order[x->log->n++] = x->id;
		scst_mutex_unlock(&x->log->lock);
		scst_complete(&x->log->done);
	}
}

static int fired(struct tt *x)
{
	return __atomic_load_n(&x->fired, __ATOMIC_ACQUIRE);
}

static void timer_fires_in_order_test(struct kunit *test)
{
	static const unsigned int delays_ms[5] = {100, 20, 80, 40, 60};
	static const int expect[5] = {1, 3, 4, 2, 0};
	struct tt_log log = {.n = 0};
	struct tt x[5];
	int i;

	scst_mutex_init(&log.lock);
	scst_completion_init(&log.done);
	for (i = 0; i < 5; i++) {
		x[i] = (struct tt){.id = i, .log = &log};
		scst_timer_init(&x[i].timer, tt_fn);
		x[i].delay_ns = delays_ms[i] * MS;
		x[i].armed_at = scst_os_now_ns();
		scst_timer_mod(&x[i].timer, x[i].delay_ns);
	}
	for (i = 0; i < 5; i++)
		KUNIT_ASSERT_TRUE(test, scst_wait_for_completion_timeout(
					    &log.done, 5000 * MS));
	KUNIT_EXPECT_EQ(test, log.n, 5);
	for (i = 0; i < 5; i++) {
		KUNIT_EXPECT_EQ_MSG(test, log.order[i], expect[i], "#%d", i);
		KUNIT_EXPECT_EQ(test, fired(&x[i]), 1);
		KUNIT_EXPECT_GE(test, x[i].fired_at - x[i].armed_at,
				x[i].delay_ns);
		KUNIT_EXPECT_FALSE(test, x[i].timer.armed);
		/* Fired: nothing left to delete. */
		KUNIT_EXPECT_FALSE(test, scst_timer_del(&x[i].timer));
	}
	scst_completion_destroy(&log.done);
	scst_mutex_destroy(&log.lock);
}

static void timer_mod_rearms_test(struct kunit *test)
{
	struct tt_log log = {.n = 0};
	struct tt x = {.log = &log};
	uint64_t t0;

	scst_mutex_init(&log.lock);
	scst_completion_init(&log.done);
	scst_timer_init(&x.timer, tt_fn);

	/* Earlier: a far timer brought forward fires soon. */
	t0 = scst_os_now_ns();
	scst_timer_mod(&x.timer, 3600 * 1000 * MS);
	scst_timer_mod(&x.timer, 10 * MS);
	KUNIT_ASSERT_TRUE(
	    test, scst_wait_for_completion_timeout(&log.done, 5000 * MS));
	KUNIT_EXPECT_LT(test, x.fired_at - t0, 3000 * MS);

	/* Later: pushed back, it has not fired when it first would have. */
	scst_timer_mod(&x.timer, 10 * MS);
	scst_timer_mod(&x.timer, 3600 * 1000 * MS);
	scst_os_msleep(60);
	KUNIT_EXPECT_EQ(test, fired(&x), 1);
	KUNIT_EXPECT_TRUE(test, x.timer.armed);
	KUNIT_EXPECT_TRUE(test, scst_timer_del(&x.timer));
	scst_completion_destroy(&log.done);
	scst_mutex_destroy(&log.lock);
}

static void timer_del_test(struct kunit *test)
{
	struct tt x = {0};

	scst_timer_init(&x.timer, tt_fn);
	KUNIT_EXPECT_FALSE(test, scst_timer_del(&x.timer));
	scst_timer_mod(&x.timer, 20 * MS);
	KUNIT_EXPECT_TRUE(test, x.timer.armed);
	KUNIT_EXPECT_TRUE(test, scst_timer_del(&x.timer));
	KUNIT_EXPECT_FALSE(test, scst_timer_del(&x.timer));
	scst_os_msleep(60);
	KUNIT_EXPECT_EQ(test, fired(&x), 0);

	/* del_sync of an armed, idle timer just disarms it. */
	scst_timer_mod(&x.timer, 20 * MS);
	scst_timer_del_sync(&x.timer);
	KUNIT_EXPECT_FALSE(test, x.timer.armed);
	scst_os_msleep(60);
	KUNIT_EXPECT_EQ(test, fired(&x), 0);
}

/* A callback that takes a while, to be waited for by del_sync. */
struct slow {
	struct scst_timer timer;
	struct scst_completion started;
	int done;
};

static void slow_fn(struct scst_timer *t)
{
	struct slow *s = scst_container_of(t, struct slow, timer);

	scst_complete(&s->started);
	scst_os_msleep(100);
	__atomic_store_n(&s->done, 1, __ATOMIC_RELEASE);
}

static void timer_del_sync_waits_test(struct kunit *test)
{
	struct slow s = {.done = 0};

	scst_completion_init(&s.started);
	scst_timer_init(&s.timer, slow_fn);
	scst_timer_mod(&s.timer, 0);
	KUNIT_ASSERT_TRUE(
	    test, scst_wait_for_completion_timeout(&s.started, 5000 * MS));
	/* The callback is running now: del alone does not wait... */
	KUNIT_EXPECT_FALSE(test, scst_timer_del(&s.timer));
	KUNIT_EXPECT_EQ(test, __atomic_load_n(&s.done, __ATOMIC_ACQUIRE), 0);
	/* ...del_sync does. */
	scst_timer_del_sync(&s.timer);
	KUNIT_EXPECT_EQ(test, __atomic_load_n(&s.done, __ATOMIC_ACQUIRE), 1);
	scst_completion_destroy(&s.started);
}

/* A callback that re-arms its timer and then del_syncs it. */
struct selfdel {
	struct scst_timer timer;
	struct scst_completion done;
	int runs;
};

static void selfdel_fn(struct scst_timer *t)
{
	struct selfdel *s = scst_container_of(t, struct selfdel, timer);

	__atomic_add_fetch(&s->runs, 1, __ATOMIC_RELAXED);
	scst_timer_mod(t, 1 * MS);
	scst_timer_del_sync(t); /* must not wait for itself */
	scst_complete(&s->done);
}

static void timer_del_sync_from_callback_test(struct kunit *test)
{
	struct selfdel s = {.runs = 0};

	scst_completion_init(&s.done);
	scst_timer_init(&s.timer, selfdel_fn);
	scst_timer_mod(&s.timer, 1 * MS);
	KUNIT_ASSERT_TRUE(test,
			  scst_wait_for_completion_timeout(&s.done, 5000 * MS));
	scst_os_msleep(30);
	KUNIT_EXPECT_EQ(test, __atomic_load_n(&s.runs, __ATOMIC_RELAXED), 1);
	KUNIT_EXPECT_FALSE(test, s.timer.armed);
	scst_completion_destroy(&s.done);
}

/* A timer that re-arms itself every millisecond. */
struct ticker {
	struct scst_timer timer;
	int ticks;
};

static void ticker_fn(struct scst_timer *t)
{
	struct ticker *k = scst_container_of(t, struct ticker, timer);

	__atomic_add_fetch(&k->ticks, 1, __ATOMIC_RELAXED);
	scst_timer_mod(t, 1 * MS);
}

static void timer_del_sync_stops_rearming_test(struct kunit *test)
{
	struct ticker k = {.ticks = 0};
	int ticks;

	scst_timer_init(&k.timer, ticker_fn);
	scst_timer_mod(&k.timer, 1 * MS);
	scst_os_msleep(30);
	scst_timer_del_sync(&k.timer);
	ticks = __atomic_load_n(&k.ticks, __ATOMIC_RELAXED);
	KUNIT_EXPECT_GT(test, ticks, 1);
	KUNIT_EXPECT_FALSE(test, k.timer.armed);
	scst_os_msleep(30);
	KUNIT_EXPECT_EQ(test, __atomic_load_n(&k.ticks, __ATOMIC_RELAXED),
			ticks);
}

static struct kunit_case os_timer_cases[] = {
    KUNIT_CASE(timer_fires_in_order_test),
    KUNIT_CASE(timer_mod_rearms_test),
    KUNIT_CASE(timer_del_test),
    KUNIT_CASE(timer_del_sync_waits_test),
    KUNIT_CASE(timer_del_sync_from_callback_test),
    KUNIT_CASE(timer_del_sync_stops_rearming_test),
    {}};

static struct kunit_suite os_timer_suite = {
    .name = "scst_os_timer",
    .test_cases = os_timer_cases,
};
kunit_test_suite(os_timer_suite);
