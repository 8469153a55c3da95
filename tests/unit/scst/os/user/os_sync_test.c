// SPDX-License-Identifier: GPL-2.0-only
/*
 * Unit tests of scst/os/user/os_sync.c: wait queues and completions,
 * with and without timeouts.
 */
#include <kunit/test.h>

#include "scst/os.h"

#define MS 1000000ULL

struct flag {
	struct scst_waitq wq;
	int value; /* guarded by wq's lock for the waiters */
	unsigned int delay_ms;
	int woken; /* waiters that saw the flag */
};

static bool flag_set(void *arg)
{
	struct flag *f = arg;

	return __atomic_load_n(&f->value, __ATOMIC_ACQUIRE) != 0;
}

static int setter_thread(void *arg)
{
	struct flag *f = arg;

	scst_os_msleep(f->delay_ms);
	__atomic_store_n(&f->value, 1, __ATOMIC_RELEASE);
	scst_wake_up(&f->wq);
	return 0;
}

static int waiter_thread(void *arg)
{
	struct flag *f = arg;

	scst_wait_event(&f->wq, flag_set, f);
	__atomic_add_fetch(&f->woken, 1, __ATOMIC_RELAXED);
	return 0;
}

static void waitq_timeout_expires_test(struct kunit *test)
{
	struct flag f = {0};
	uint64_t t0, dt;

	scst_waitq_init(&f.wq);
	t0 = scst_os_now_ns();
	KUNIT_EXPECT_FALSE(
	    test, scst_wait_event_timeout(&f.wq, flag_set, &f, 50 * MS));
	dt = scst_os_now_ns() - t0;
	KUNIT_EXPECT_GE(test, dt, 50 * MS);
	KUNIT_EXPECT_LT(test, dt, 2000 * MS);

	/* A condition already true returns at once, even with timeout 0. */
	f.value = 1;
	KUNIT_EXPECT_TRUE(test,
			  scst_wait_event_timeout(&f.wq, flag_set, &f, 0));
	scst_waitq_destroy(&f.wq);
}

static void waitq_wake_up_test(struct kunit *test)
{
	struct flag f = {.delay_ms = 20};
	struct scst_thread *t;
	uint64_t t0;

	scst_waitq_init(&f.wq);
	KUNIT_ASSERT_EQ(test, scst_thread_create(&t, setter_thread, &f, "set"),
			0);
	scst_wait_event(&f.wq, flag_set, &f);
	KUNIT_EXPECT_EQ(test, f.value, 1);
	KUNIT_EXPECT_EQ(test, scst_thread_join(t), 0);

	/* Woken well before a long timeout. */
	f.value = 0;
	t0 = scst_os_now_ns();
	KUNIT_ASSERT_EQ(test, scst_thread_create(&t, setter_thread, &f, "set"),
			0);
	KUNIT_EXPECT_TRUE(
	    test, scst_wait_event_timeout(&f.wq, flag_set, &f, 10000 * MS));
	KUNIT_EXPECT_LT(test, scst_os_now_ns() - t0, 5000 * MS);
	KUNIT_EXPECT_EQ(test, scst_thread_join(t), 0);
	scst_waitq_destroy(&f.wq);
}

static void waitq_many_waiters_test(struct kunit *test)
{
	struct scst_thread *t[4];
	struct flag f = {0};
	int i;

	scst_waitq_init(&f.wq);
	for (i = 0; i < 4; i++)
		KUNIT_ASSERT_EQ(
		    test, scst_thread_create(&t[i], waiter_thread, &f, "wait"),
		    0);
	scst_os_msleep(20);
	KUNIT_EXPECT_EQ(test, __atomic_load_n(&f.woken, __ATOMIC_RELAXED), 0);
	__atomic_store_n(&f.value, 1, __ATOMIC_RELEASE);
	scst_wake_up(&f.wq);
	for (i = 0; i < 4; i++)
		KUNIT_EXPECT_EQ(test, scst_thread_join(t[i]), 0);
	KUNIT_EXPECT_EQ(test, f.woken, 4);
	scst_waitq_destroy(&f.wq);
}

/* ------------------------------------------------------- completions ---- */

struct cwaiter {
	struct scst_completion *c;
	uint64_t timeout_ns;
	int *got;
};

static int cwaiter_thread(void *arg)
{
	struct cwaiter *w = arg;

	if (scst_wait_for_completion_timeout(w->c, w->timeout_ns))
		__atomic_add_fetch(w->got, 1, __ATOMIC_RELAXED);
	return 0;
}

static void completion_before_wait_test(struct kunit *test)
{
	struct scst_completion c;

	scst_completion_init(&c);
	scst_complete(&c);
	scst_complete(&c);
	/* Two completions, two waits; the third finds none. */
	KUNIT_EXPECT_TRUE(test, scst_wait_for_completion_timeout(&c, 0));
	scst_wait_for_completion(&c);
	KUNIT_EXPECT_FALSE(test, scst_wait_for_completion_timeout(&c, 10 * MS));
	KUNIT_EXPECT_EQ(test, c.done, 0);
	scst_completion_destroy(&c);
}

static void completion_timeout_test(struct kunit *test)
{
	struct scst_completion c;
	uint64_t t0, dt;

	scst_completion_init(&c);
	t0 = scst_os_now_ns();
	KUNIT_EXPECT_FALSE(test, scst_wait_for_completion_timeout(&c, 30 * MS));
	dt = scst_os_now_ns() - t0;
	KUNIT_EXPECT_GE(test, dt, 30 * MS);
	KUNIT_EXPECT_LT(test, dt, 2000 * MS);
	scst_completion_destroy(&c);
}

static void completion_releases_one_test(struct kunit *test)
{
	struct scst_completion c;
	struct scst_thread *t[3];
	struct cwaiter w;
	int got = 0, i;

	scst_completion_init(&c);
	w = (struct cwaiter){.c = &c, .timeout_ns = 300 * MS, .got = &got};
	for (i = 0; i < 3; i++)
		KUNIT_ASSERT_EQ(
		    test,
		    scst_thread_create(&t[i], cwaiter_thread, &w, "cwait"), 0);
	scst_os_msleep(20);
	scst_complete(&c);
	for (i = 0; i < 3; i++)
		KUNIT_EXPECT_EQ(test, scst_thread_join(t[i]), 0);
	/* Exactly one of the three got it; the others timed out. */
	KUNIT_EXPECT_EQ(test, got, 1);
	KUNIT_EXPECT_EQ(test, c.done, 0);
	scst_completion_destroy(&c);
}

static void completion_all_test(struct kunit *test)
{
	struct scst_completion c;
	struct scst_thread *t[4];
	struct cwaiter w;
	int got = 0, i;

	scst_completion_init(&c);
	w = (struct cwaiter){.c = &c, .timeout_ns = 5000 * MS, .got = &got};
	for (i = 0; i < 4; i++)
		KUNIT_ASSERT_EQ(
		    test,
		    scst_thread_create(&t[i], cwaiter_thread, &w, "cwait"), 0);
	scst_os_msleep(20);
	scst_complete_all(&c);
	for (i = 0; i < 4; i++)
		KUNIT_EXPECT_EQ(test, scst_thread_join(t[i]), 0);
	KUNIT_EXPECT_EQ(test, got, 4);
	/* Forever: later waits return at once, and complete() keeps it. */
	for (i = 0; i < 10; i++)
		KUNIT_EXPECT_TRUE(test,
				  scst_wait_for_completion_timeout(&c, 0));
	scst_complete(&c);
	scst_wait_for_completion(&c);
	KUNIT_EXPECT_TRUE(test, scst_wait_for_completion_timeout(&c, 0));
	scst_completion_destroy(&c);
}

static struct kunit_case os_sync_cases[] = {
    KUNIT_CASE(waitq_timeout_expires_test),
    KUNIT_CASE(waitq_wake_up_test),
    KUNIT_CASE(waitq_many_waiters_test),
    KUNIT_CASE(completion_before_wait_test),
    KUNIT_CASE(completion_timeout_test),
    KUNIT_CASE(completion_releases_one_test),
    KUNIT_CASE(completion_all_test),
    {}};

static struct kunit_suite os_sync_suite = {
    .name = "scst_os_sync",
    .test_cases = os_sync_cases,
};
kunit_test_suite(os_sync_suite);
