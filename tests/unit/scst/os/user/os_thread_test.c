// SPDX-License-Identifier: GPL-2.0-only
/*
 * Unit tests of scst/os/user/os_thread.c: threads, CPUs, time, random
 * numbers and scst_os_bug().
 */
#include <pthread.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/wait.h>
#include <unistd.h>

#include <kunit/test.h>

#include "scst/os.h"

#define MS 1000000ULL

struct targ {
	int in;
	char name[32];
};

static int echo_thread(void *arg)
{
	struct targ *a = arg;

	pthread_getname_np(pthread_self(), a->name, sizeof(a->name));
	return a->in * 2;
}

static void thread_join_value_test(struct kunit *test)
{
	struct targ a = {.in = 21};
	struct scst_thread *t;

	KUNIT_ASSERT_EQ(test, scst_thread_create(&t, echo_thread, &a, "echo"),
			0);
	KUNIT_EXPECT_EQ(test, scst_thread_join(t), 42);
	KUNIT_EXPECT_STREQ(test, a.name, "echo");

	a.in = -3;
	KUNIT_ASSERT_EQ(test, scst_thread_create(&t, echo_thread, &a, "neg"),
			0);
	KUNIT_EXPECT_EQ(test, scst_thread_join(t), -6);
}

static void thread_name_truncated_test(struct kunit *test)
{
	struct targ a = {.in = 0};
	struct scst_thread *t;

	KUNIT_ASSERT_EQ(
	    test,
	    scst_thread_create(&t, echo_thread, &a, "a-very-long-thread-name"),
	    0);
	KUNIT_EXPECT_EQ(test, scst_thread_join(t), 0);
	KUNIT_EXPECT_STREQ(test, a.name, "a-very-long-thr");
}

static void num_cpus_test(struct kunit *test)
{
	long online = sysconf(_SC_NPROCESSORS_ONLN);
	unsigned int n = scst_os_num_cpus();

	KUNIT_EXPECT_GE(test, n, 1);
	if (online > 0)
		KUNIT_EXPECT_LE(test, n, online);
}

static void time_and_sleep_test(struct kunit *test)
{
	uint64_t t0, t1, prev;
	int i;

	prev = scst_os_now_ns();
	for (i = 0; i < 1000; i++) {
		t1 = scst_os_now_ns();
		KUNIT_ASSERT_GE(test, t1, prev);
		prev = t1;
	}
	t0 = scst_os_now_ns();
	scst_os_msleep(25);
	t1 = scst_os_now_ns();
	KUNIT_EXPECT_GE(test, t1 - t0, 25 * MS);
	KUNIT_EXPECT_LT(test, t1 - t0, 2000 * MS);

	t0 = scst_os_now_ns();
	scst_os_msleep(0);
	scst_os_yield();
	KUNIT_EXPECT_LT(test, scst_os_now_ns() - t0, 1000 * MS);
}

#define NRAND 4096

static int random_thread(void *arg)
{
	uint32_t *out = arg;
	int i;

	for (i = 0; i < 64; i++)
		out[i] = scst_os_random_u32();
	return 0;
}

static void random_test(struct kunit *test)
{
	uint32_t *v, a[64], b[64], or_all = 0, and_all = ~0u;
	struct scst_thread *t1, *t2;
	int i, repeats = 0, bits[32] = {0};

	v = kunit_kmalloc_array(test, NRAND, sizeof(*v), GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, v);
	for (i = 0; i < NRAND; i++) {
		v[i] = scst_os_random_u32();
		or_all |= v[i];
		and_all &= v[i];
		repeats += i && v[i] == v[i - 1];
		for (int j = 0; j < 32; j++)
			bits[j] += (v[i] >> j) & 1;
	}
	/* Every bit takes both values, and roughly half the time. */
	KUNIT_EXPECT_EQ(test, or_all, 0xffffffffu);
	KUNIT_EXPECT_EQ(test, and_all, 0u);
	KUNIT_EXPECT_LT(test, repeats, 2);
	for (i = 0; i < 32; i++) {
		KUNIT_EXPECT_GT_MSG(test, bits[i], NRAND * 4 / 10, "bit %d", i);
		KUNIT_EXPECT_LT_MSG(test, bits[i], NRAND * 6 / 10, "bit %d", i);
	}

	/* Two threads get different sequences. */
	KUNIT_ASSERT_EQ(test, scst_thread_create(&t1, random_thread, a, "r1"),
			0);
	KUNIT_ASSERT_EQ(test, scst_thread_create(&t2, random_thread, b, "r2"),
			0);
	scst_thread_join(t1);
	scst_thread_join(t2);
	KUNIT_EXPECT_MEMNEQ(test, a, b, sizeof(a));
}

/* scst_os_bug() logs the condition and aborts: run it in a child. */
static void bug_aborts_test(struct kunit *test)
{
	char buf[256] = "";
	int pfd[2], status;
	ssize_t n, len = 0;
	pid_t pid;

	KUNIT_ASSERT_EQ(test, pipe(pfd), 0);
	fflush(NULL);
	pid = fork();
	KUNIT_ASSERT_GE(test, pid, 0);
	if (pid == 0) {
		dup2(pfd[1], STDERR_FILENO);
		close(pfd[0]);
		scst_log_set_sink(NULL);
		scst_os_bug("some_file.c", 77, "a == b");
	}
	close(pfd[1]);
	while ((n = read(pfd[0], buf + len, sizeof(buf) - 1 - (size_t)len)) > 0)
		len += n;
	buf[len] = '\0';
	close(pfd[0]);
	KUNIT_ASSERT_EQ(test, waitpid(pid, &status, 0), pid);
	KUNIT_EXPECT_TRUE(test, WIFSIGNALED(status));
	KUNIT_EXPECT_EQ(test, WTERMSIG(status), SIGABRT);
	KUNIT_EXPECT_NOT_NULL_MSG(
	    test, strstr(buf, " ERR: BUG at some_file.c:77: a == b\n"),
	    "stderr was: %s", buf);
}

static struct kunit_case os_thread_cases[] = {
    KUNIT_CASE(thread_join_value_test),
    KUNIT_CASE(thread_name_truncated_test),
    KUNIT_CASE(num_cpus_test),
    KUNIT_CASE(time_and_sleep_test),
    KUNIT_CASE(random_test),
    KUNIT_CASE(bug_aborts_test),
    {}};

static struct kunit_suite os_thread_suite = {
    .name = "scst_os_thread",
    .test_cases = os_thread_cases,
};
kunit_test_suite(os_thread_suite);
