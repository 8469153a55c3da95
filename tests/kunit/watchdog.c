// SPDX-License-Identifier: GPL-2.0-only
/*
 * The runner's safety net: the per-case time limit, the result counters,
 * and the report of a run that never finished.
 *
 * A watchdog thread sleeps until the deadline of the run in progress. If the
 * run has not finished by then, it prints the run as "not ok ... # timeout",
 * its suite as "not ok", the summary line, and ends the process with status
 * 1, so a hang never blocks CI.
 *
 * A crash (SIGSEGV, SIGBUS, SIGFPE, SIGILL, SIGABRT) in the runner process
 * prints the same kind of report ("# crashed"), then hands the signal to
 * whatever handled it before (the default action, or a sanitizer's report).
 */
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "kunit_internal.h"

#define NSEC_PER_SEC 1000000000ULL

/* The totals and the run in progress. */
static struct {
	pthread_mutex_t lock;
	pthread_cond_t cv;
	uint64_t deadline_ns; /* 0: no deadline pending */
	unsigned int timeout_s;
	struct kunit_counts total;
	int suite_no;
	const char *suite; /* NULL between suites */
	int case_no;
	const char *case_name; /* or a parameter's description; NULL: idle */
	const char *indent;
	int outer_no; /* the KUNIT_CASE_PARAM case, if nested */
	const char *outer_name;
	int reported; /* the final report was printed */
} kw = {.lock = PTHREAD_MUTEX_INITIALIZER};

static const int kunit_crash_sigs[] = {SIGSEGV, SIGBUS, SIGFPE, SIGILL,
				       SIGABRT};
static struct sigaction
    kunit_old_act[sizeof(kunit_crash_sigs) / sizeof(kunit_crash_sigs[0])];
static pid_t kunit_pid;

static uint64_t kunit_now_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * NSEC_PER_SEC + (uint64_t)ts.tv_nsec;
}

void kunit_totals_line(const struct kunit_counts *c, char *buf, size_t size)
{
	int n =
	    snprintf(buf, size, "%lu passed, %lu failed", c->passed, c->failed);

	if (c->skipped && n > 0 && (size_t)n < size)
		snprintf(buf + n, size - (size_t)n, ", %lu skipped",
			 c->skipped);
}

static __attribute__((format(printf, 4, 5))) void
out_add(char *buf, size_t size, size_t *n, const char *fmt, ...)
{
	va_list ap;
	int r;

	va_start(ap, fmt);
	r = vsnprintf(buf + *n, size - *n, fmt, ap);
	va_end(ap);
	if (r > 0)
		*n += (size_t)r < size - *n ? (size_t)r : size - *n - 1;
}

/*
 * Report the run in progress as failed ("# @directive", after a diagnostic
 * line "@why"), close its suite and print the summary line. Uses only
 * snprintf and write: it may run in a signal handler or while another
 * thread holds stdout's lock.
 */
static void kunit_report_unfinished(const char *why, const char *directive)
{
	struct kunit_counts c = kw.total;
	const char *ind = kw.indent ? kw.indent : "    ";
	char buf[2048], last[128];
	size_t n = 0;

	if (__atomic_exchange_n(&kw.reported, 1, __ATOMIC_SEQ_CST))
		return;
	if (kw.case_name) {
		c.failed++;
		out_add(buf, sizeof(buf), &n,
			"%s# %s: %s\n%snot ok %d %s # %s\n", ind, kw.case_name,
			why, ind, kw.case_no, kw.case_name, directive);
		if (kw.outer_name)
			out_add(buf, sizeof(buf), &n, "    not ok %d %s\n",
				kw.outer_no, kw.outer_name);
	} else {
		out_add(buf, sizeof(buf), &n, "# %s\n", why);
	}
	if (kw.suite)
		out_add(buf, sizeof(buf), &n, "not ok %d %s\n", kw.suite_no,
			kw.suite);
	kunit_totals_line(&c, last, sizeof(last));
	out_add(buf, sizeof(buf), &n, "%s\n", last);
	if (!ftrylockfile(stdout)) {
		fflush(stdout);
		funlockfile(stdout);
	}
	if (write(STDOUT_FILENO, buf, n) < 0)
		return;
}

static void *kunit_watchdog(void *arg)
{
	char why[64];
	struct timespec ts;

	(void)arg;
	pthread_mutex_lock(&kw.lock);
	for (;;) {
		if (!kw.deadline_ns) {
			pthread_cond_wait(&kw.cv, &kw.lock);
			continue;
		}
		if (kunit_now_ns() >= kw.deadline_ns) {
			snprintf(why, sizeof(why),
				 "timeout: still running after %u s",
				 kw.timeout_s);
			kunit_report_unfinished(why, "timeout");
			_exit(1);
		}
		ts.tv_sec = (time_t)(kw.deadline_ns / NSEC_PER_SEC);
		ts.tv_nsec = (long)(kw.deadline_ns % NSEC_PER_SEC);
		pthread_cond_timedwait(&kw.cv, &kw.lock, &ts);
	}
	return NULL;
}

static void kunit_crash(int sig, siginfo_t *si, void *uc)
{
	char why[64];
	size_t i;

	(void)uc;
	for (i = 0; i < sizeof(kunit_crash_sigs) / sizeof(kunit_crash_sigs[0]);
	     i++)
		if (kunit_crash_sigs[i] == sig)
			sigaction(sig, &kunit_old_act[i], NULL);
	/* A test's forked child shares stdout: it must not report. */
	if (getpid() == kunit_pid) {
		snprintf(why, sizeof(why), "crashed: signal %d (SIG%s)", sig,
			 sigabbrev_np(sig) ? sigabbrev_np(sig) : "?");
		kunit_report_unfinished(why, "crashed");
	}
	/*
	 * A fault re-executes the instruction under the previous handler; a
	 * signal sent by kill(), raise() or abort() must be sent again.
	 */
	if (si->si_code <= 0)
		raise(sig);
}

static void kunit_crash_handlers_install(void)
{
	static char altstack[64 * 1024];
	struct sigaction sa;
	stack_t ss = {.ss_sp = altstack, .ss_size = sizeof(altstack)};
	size_t i;

	kunit_pid = getpid();
	/* Room to report a stack overflow of the main thread. */
	sigaltstack(&ss, NULL);
	memset(&sa, 0, sizeof(sa));
	sa.sa_sigaction = kunit_crash;
	sa.sa_flags = SA_SIGINFO | SA_ONSTACK;
	sigemptyset(&sa.sa_mask);
	for (i = 0; i < sizeof(kunit_crash_sigs) / sizeof(kunit_crash_sigs[0]);
	     i++)
		sigaction(kunit_crash_sigs[i], &sa, &kunit_old_act[i]);
}

int kunit_watch_start(unsigned int timeout_s)
{
	pthread_condattr_t attr;
	pthread_t tid;
	int ret;

	kw.timeout_s = timeout_s;
	pthread_condattr_init(&attr);
	pthread_condattr_setclock(&attr, CLOCK_MONOTONIC);
	pthread_cond_init(&kw.cv, &attr);
	pthread_condattr_destroy(&attr);
	kunit_crash_handlers_install();
	if (!timeout_s)
		return 0;
	ret = pthread_create(&tid, NULL, kunit_watchdog, NULL);
	if (!ret)
		pthread_detach(tid);
	return -ret;
}

void kunit_watch_suite(int suite_no, const char *suite)
{
	pthread_mutex_lock(&kw.lock);
	kw.suite_no = suite_no;
	kw.suite = suite;
	pthread_mutex_unlock(&kw.lock);
}

void kunit_watch_outer(int case_no, const char *name)
{
	pthread_mutex_lock(&kw.lock);
	kw.outer_no = case_no;
	kw.outer_name = name;
	pthread_mutex_unlock(&kw.lock);
}

void kunit_watch_arm(int case_no, const char *name, const char *indent)
{
	pthread_mutex_lock(&kw.lock);
	kw.case_no = case_no;
	kw.case_name = name;
	kw.indent = indent;
	if (kw.timeout_s)
		kw.deadline_ns =
		    kunit_now_ns() + (uint64_t)kw.timeout_s * NSEC_PER_SEC;
	pthread_cond_signal(&kw.cv);
	pthread_mutex_unlock(&kw.lock);
}

void kunit_watch_done(enum kunit_status st, struct kunit_counts *suite)
{
	pthread_mutex_lock(&kw.lock);
	kw.deadline_ns = 0;
	kw.case_name = NULL;
	if (st == KUNIT_SUCCESS) {
		kw.total.passed++;
		suite->passed++;
	} else if (st == KUNIT_FAILURE) {
		kw.total.failed++;
		suite->failed++;
	} else {
		kw.total.skipped++;
		suite->skipped++;
	}
	pthread_mutex_unlock(&kw.lock);
}

void kunit_watch_totals(struct kunit_counts *out)
{
	pthread_mutex_lock(&kw.lock);
	*out = kw.total;
	pthread_mutex_unlock(&kw.lock);
}
