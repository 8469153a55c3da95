// SPDX-License-Identifier: GPL-2.0-only
/*
 * Threads, CPUs, time, pseudo-random numbers and the fatal-check hook.
 */
#include <errno.h>
#include <sched.h>
#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>

#include "os_user_internal.h"

/* ----------------------------------------------------------- threads ---- */

#define OS_THREAD_NAME_MAX 15 /* the kernel's TASK_COMM_LEN - 1 */

struct scst_thread {
	pthread_t tid;
	int (*fn)(void *arg);
	void *arg;
	int ret;
	char name[OS_THREAD_NAME_MAX + 1];
};

static __thread struct scst_thread *os_thread_self;

struct scst_thread *scst_thread_current(void)
{
	return os_thread_self;
}

static void *os_thread_main(void *arg)
{
	struct scst_thread *t = arg;

	os_thread_self = t;
	/* Named before fn runs, so the name is there for its whole life. */
	pthread_setname_np(pthread_self(), t->name);
	t->ret = t->fn(t->arg);
	return NULL;
}

int scst_thread_create(struct scst_thread **out, int (*fn)(void *arg),
		       void *arg, const char *name)
{
	struct scst_thread *t;
	int ret;

	t = calloc(1, sizeof(*t));
	if (!t)
		return -ENOMEM;
	t->fn = fn;
	t->arg = arg;
	t->ret = -EINTR; /* if the thread ends without returning */
	snprintf(t->name, sizeof(t->name), "%s", name ? name : "scst");
	ret = pthread_create(&t->tid, NULL, os_thread_main, t);
	if (ret) {
		free(t);
		return -ret;
	}
	*out = t;
	return 0;
}

int scst_thread_join(struct scst_thread *t)
{
	int ret;

	pthread_join(t->tid, NULL);
	ret = t->ret;
	free(t);
	return ret;
}

unsigned int scst_os_num_cpus(void)
{
	cpu_set_t set;
	long n;

	/* The CPUs this process may run on: what a container was given. */
	if (!sched_getaffinity(0, sizeof(set), &set)) {
		n = CPU_COUNT(&set);
		if (n > 0)
			return (unsigned int)n;
	}
	n = sysconf(_SC_NPROCESSORS_ONLN);
	return n > 0 ? (unsigned int)n : 1;
}

/* -------------------------------------------------------------- time ---- */

uint64_t scst_os_now_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * OS_USER_NSEC_PER_SEC +
	       (uint64_t)ts.tv_nsec;
}

void scst_os_msleep(unsigned int ms)
{
	struct timespec until;

	/* An absolute deadline, so a signal does not stretch the sleep. */
	os_user_deadline(&until, (uint64_t)ms * 1000000ULL);
	while (clock_nanosleep(CLOCK_MONOTONIC, TIMER_ABSTIME, &until, NULL) ==
	       EINTR)
		;
}

void scst_os_yield(void)
{
	sched_yield();
}

/* ------------------------------------------------------------ random ---- */

static __thread uint64_t os_rand_state;

static uint64_t os_rand_seed(void)
{
	uint64_t s;

	/* splitmix64 of time and thread id: distinct per thread and run. */
	s = scst_os_now_ns() ^ ((uint64_t)gettid() << 32) ^
	    (uint64_t)(uintptr_t)&os_rand_state;
	s += 0x9e3779b97f4a7c15ULL;
	s = (s ^ (s >> 30)) * 0xbf58476d1ce4e5b9ULL;
	s = (s ^ (s >> 27)) * 0x94d049bb133111ebULL;
	s ^= s >> 31;
	return s ? s : 0x2545f4914f6cdd1dULL;
}

uint32_t scst_os_random_u32(void)
{
	uint64_t x = os_rand_state;

	if (!x)
		x = os_rand_seed();
	/* xorshift64* */
	x ^= x >> 12;
	x ^= x << 25;
	x ^= x >> 27;
	os_rand_state = x;
	return (uint32_t)((x * 0x2545f4914f6cdd1dULL) >> 32);
}

/* -------------------------------------------------------------- bugs ---- */

void scst_os_bug(const char *file, int line, const char *cond)
{
	scst_log(SCST_LOG_ERR, "BUG at %s:%d: %s", file, line, cond);
	abort();
}
