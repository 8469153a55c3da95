// SPDX-License-Identifier: GPL-2.0-only
/*
 * The KUnit runner: runs the suites registered with kunit_test_suite() and
 * prints KTAP version 1, then, as the very last line,
 * "<P> passed, <F> failed" (", <S> skipped" appended when S > 0), counting
 * test cases (each parameter of a KUNIT_CASE_PARAM counts as one).
 * The exit status is 0 iff no case failed.
 *
 *   kunit_runner [--list] [--timeout=SECONDS] [GLOB ...]
 *
 * A GLOB selects the suites whose name matches it (fnmatch); a GLOB of the
 * form SUITE_GLOB.CASE_GLOB selects single cases. --list prints the
 * selected cases as "suite.case". Every case runs under a watchdog (60 s by
 * default, 0 disables it): a case that does not finish in time is reported
 * as failed with "timeout" and the runner exits with status 1.
 */
#include <errno.h>
#include <fnmatch.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "kunit_internal.h"

extern struct kunit_suite *__start_kunit_suites[] __attribute__((weak));
extern struct kunit_suite *__stop_kunit_suites[] __attribute__((weak));

#define KUNIT_DEFAULT_TIMEOUT_S 60
#define KUNIT_IND1 "    "
#define KUNIT_IND2 "        "

struct kunit_opts {
	bool list;
	unsigned int timeout_s;
	char **globs;
	int nglobs;
};

struct kunit_counts {
	unsigned long passed, failed, skipped;
};

/* The totals and the run in progress; shared with the watchdog. */
static struct {
	pthread_mutex_t lock;
	pthread_cond_t cv;
	uint64_t deadline_ns;	/* 0: no run in progress */
	unsigned int timeout_s;
	struct kunit_counts total;
	int suite_no;
	const char *suite;
	int case_no;
	const char *case_name;	/* or a parameter's description */
	const char *indent;
	int outer_no;		/* the KUNIT_CASE_PARAM case, if nested */
	const char *outer_name;
} kw = { .lock = PTHREAD_MUTEX_INITIALIZER };

static uint64_t kunit_now_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000000000ULL + (uint64_t)ts.tv_nsec;
}

static void kunit_print_totals_line(const struct kunit_counts *c, char *buf,
				    size_t size)
{
	int n = snprintf(buf, size, "%lu passed, %lu failed", c->passed,
			 c->failed);

	if (c->skipped && n > 0 && (size_t)n < size)
		snprintf(buf + n, size - (size_t)n, ", %lu skipped",
			 c->skipped);
}

/* ---------------------------------------------------------- watchdog ---- */

/* A run took too long: report it as failed and end the process. */
static __attribute__((noreturn)) void kunit_timeout(void)
{
	struct kunit_counts c = kw.total;
	char buf[2048], last[128];
	int n;

	c.failed++;
	kunit_print_totals_line(&c, last, sizeof(last));
	n = snprintf(buf, sizeof(buf),
		     "%s# %s: timeout: still running after %u s\n"
		     "%snot ok %d %s # timeout\n",
		     kw.indent, kw.case_name, kw.timeout_s, kw.indent,
		     kw.case_no, kw.case_name);
	if (kw.outer_name && n > 0 && (size_t)n < sizeof(buf))
		n += snprintf(buf + n, sizeof(buf) - (size_t)n,
			      KUNIT_IND1 "not ok %d %s\n", kw.outer_no,
			      kw.outer_name);
	if (n > 0 && (size_t)n < sizeof(buf))
		snprintf(buf + n, sizeof(buf) - (size_t)n, "not ok %d %s\n%s\n",
			 kw.suite_no, kw.suite, last);
	/* The hung thread may hold stdout's lock: never wait for it. */
	if (!ftrylockfile(stdout)) {
		fflush(stdout);
		funlockfile(stdout);
	}
	if (write(STDOUT_FILENO, buf, strlen(buf)) < 0)
		_exit(2);
	_exit(1);
}

static void *kunit_watchdog(void *arg)
{
	struct timespec ts;
	uint64_t now;

	(void)arg;
	pthread_mutex_lock(&kw.lock);
	for (;;) {
		if (!kw.deadline_ns) {
			pthread_cond_wait(&kw.cv, &kw.lock);
			continue;
		}
		now = kunit_now_ns();
		if (now >= kw.deadline_ns)
			kunit_timeout();
		ts.tv_sec = (time_t)(kw.deadline_ns / 1000000000ULL);
		ts.tv_nsec = (long)(kw.deadline_ns % 1000000000ULL);
		pthread_cond_timedwait(&kw.cv, &kw.lock, &ts);
	}
	return NULL;
}

static int kunit_watchdog_start(unsigned int timeout_s)
{
	pthread_condattr_t attr;
	pthread_t tid;
	int ret;

	kw.timeout_s = timeout_s;
	pthread_condattr_init(&attr);
	pthread_condattr_setclock(&attr, CLOCK_MONOTONIC);
	pthread_cond_init(&kw.cv, &attr);
	pthread_condattr_destroy(&attr);
	if (!timeout_s)
		return 0;
	ret = pthread_create(&tid, NULL, kunit_watchdog, NULL);
	if (!ret)
		pthread_detach(tid);
	return -ret;
}

static void kunit_watch_arm(int case_no, const char *name, const char *indent)
{
	pthread_mutex_lock(&kw.lock);
	kw.case_no = case_no;
	kw.case_name = name;
	kw.indent = indent;
	if (kw.timeout_s)
		kw.deadline_ns = kunit_now_ns() +
				 (uint64_t)kw.timeout_s * 1000000000ULL;
	pthread_cond_signal(&kw.cv);
	pthread_mutex_unlock(&kw.lock);
}

/* Disarm, and count the run's result. */
static void kunit_watch_done(enum kunit_status st, struct kunit_counts *suite)
{
	pthread_mutex_lock(&kw.lock);
	kw.deadline_ns = 0;
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

/* -------------------------------------------------------- running ---- */

static bool kunit_case_selected(const struct kunit_opts *o,
				const struct kunit_suite *s,
				const struct kunit_case *c)
{
	char suite_glob[256];
	const char *dot;
	int i;

	if (!o->nglobs)
		return true;
	for (i = 0; i < o->nglobs; i++) {
		if (!fnmatch(o->globs[i], s->name, 0))
			return true;
		dot = strchr(o->globs[i], '.');
		if (!dot || (size_t)(dot - o->globs[i]) >= sizeof(suite_glob))
			continue;
		memcpy(suite_glob, o->globs[i], (size_t)(dot - o->globs[i]));
		suite_glob[dot - o->globs[i]] = '\0';
		if (!fnmatch(suite_glob, s->name, 0) &&
		    !fnmatch(dot + 1, c->name, 0))
			return true;
	}
	return false;
}

static int kunit_count_selected(const struct kunit_opts *o,
				const struct kunit_suite *s)
{
	const struct kunit_case *c;
	int n = 0;

	for (c = s->test_cases; c && c->run_case; c++)
		n += kunit_case_selected(o, s, c);
	return n;
}

static void kunit_print_result(const char *indent, int no, const char *name,
			       enum kunit_status st, const char *comment)
{
	if (st == KUNIT_SKIPPED)
		printf("%sok %d %s # SKIP %s\n", indent, no, name, comment);
	else
		printf("%s%s %d %s\n", indent,
		       st == KUNIT_SUCCESS ? "ok" : "not ok", no, name);
}

static bool kunit_init_ok(struct kunit_suite *suite, struct kunit *test)
{
	int ret = suite->init(test);

	if (ret) {
		kunit_err(test, "failed to initialize: %d", ret);
		kunit__set_failure(test);
	}
	return !ret;
}

/*
 * One run of a case: init, the case, exit, then the deferred actions. An
 * ASSERT longjmps back here; exit runs only if init succeeded.
 */
static enum kunit_status kunit_run_once(struct kunit_suite *suite,
					struct kunit_case *c,
					const void *param, const char *indent,
					char *comment, size_t comment_size)
{
	struct kunit__ctx ctx;
	struct kunit test;
	enum kunit_status st;
	volatile int stage = 0;
	jmp_buf env;

	memset(&test, 0, sizeof(test));
	kunit__ctx_init(&test, &ctx, c->name, indent);
	test.param_value = param;
	ctx.env = &env;
	kunit__set_current(&test);
	if (!setjmp(env)) {
		if (!suite->init || kunit_init_ok(suite, &test)) {
			stage = 1;
			c->run_case(&test);
		}
	}
	if (stage == 1 && suite->exit) {
		if (!setjmp(env))
			suite->exit(&test);
	}
	/* An action that ASSERTs comes back here; the others still run. */
	setjmp(env);
	kunit__run_actions(&test);
	ctx.env = NULL;
	kunit__set_current(NULL);

	pthread_mutex_lock(&ctx.lock);
	st = test.status;
	snprintf(comment, comment_size, "%s", test.status_comment);
	pthread_mutex_unlock(&ctx.lock);
	kunit__ctx_destroy(&test);
	return st;
}

static enum kunit_status kunit_run_case(struct kunit_suite *suite,
					struct kunit_case *c, int case_no,
					struct kunit_counts *sc)
{
	char comment[256];
	enum kunit_status st;

	kunit_watch_arm(case_no, c->name, KUNIT_IND1);
	st = kunit_run_once(suite, c, NULL, KUNIT_IND1, comment,
			    sizeof(comment));
	kunit_watch_done(st, sc);
	kunit_print_result(KUNIT_IND1, case_no, c->name, st, comment);
	return st;
}

/* A KUNIT_CASE_PARAM: one nested KTAP test per parameter. */
static enum kunit_status kunit_run_param_case(struct kunit_suite *suite,
					      struct kunit_case *c,
					      int case_no,
					      struct kunit_counts *sc)
{
	char desc[KUNIT_PARAM_DESC_SIZE], comment[256];
	struct kunit_counts pc = { 0 };
	enum kunit_status st;
	const void *param;
	int i = 0;

	printf(KUNIT_IND2 "KTAP version 1\n" KUNIT_IND2 "# Subtest: %s\n",
	       c->name);
	pthread_mutex_lock(&kw.lock);
	kw.outer_no = case_no;
	kw.outer_name = c->name;
	pthread_mutex_unlock(&kw.lock);

	desc[0] = '\0';
	for (param = c->generate_params(NULL, desc); param;
	     param = c->generate_params(param, desc)) {
		i++;
		if (!desc[0])
			snprintf(desc, sizeof(desc), "param-%d", i - 1);
		kunit_watch_arm(i, desc, KUNIT_IND2);
		st = kunit_run_once(suite, c, param, KUNIT_IND2, comment,
				    sizeof(comment));
		kunit_watch_done(st, &pc);
		kunit_print_result(KUNIT_IND2, i, desc, st, comment);
		desc[0] = '\0';
	}

	pthread_mutex_lock(&kw.lock);
	kw.outer_name = NULL;
	pthread_mutex_unlock(&kw.lock);
	sc->passed += pc.passed;
	sc->failed += pc.failed;
	sc->skipped += pc.skipped;
	kunit__diag(KUNIT_IND1, "%s: pass:%lu fail:%lu skip:%lu total:%d",
		    c->name, pc.passed, pc.failed, pc.skipped, i);
	if (pc.failed)
		st = KUNIT_FAILURE;
	else if (pc.passed)
		st = KUNIT_SUCCESS;
	else
		st = KUNIT_SKIPPED;
	kunit_print_result(KUNIT_IND1, case_no, c->name, st,
			   i ? "all parameters skipped" : "no parameters");
	return st;
}

/* Runs the selected cases of @s; true if none failed. */
static bool kunit_run_suite(const struct kunit_opts *o, struct kunit_suite *s,
			    int suite_no)
{
	struct kunit_counts sc = { 0 };
	struct kunit_case *c;
	int case_no = 0, ret = 0;

	printf(KUNIT_IND1 "KTAP version 1\n" KUNIT_IND1 "# Subtest: %s\n"
	       KUNIT_IND1 "1..%d\n", s->name, kunit_count_selected(o, s));
	pthread_mutex_lock(&kw.lock);
	kw.suite_no = suite_no;
	kw.suite = s->name;
	pthread_mutex_unlock(&kw.lock);

	if (s->suite_init) {
		ret = s->suite_init(s);
		if (ret)
			kunit__diag(KUNIT_IND1, "%s: suite_init failed: %d",
				    s->name, ret);
	}
	for (c = s->test_cases; c && c->run_case; c++) {
		if (!kunit_case_selected(o, s, c))
			continue;
		case_no++;
		if (ret) {
			c->status = KUNIT_FAILURE;
			kunit_watch_done(KUNIT_FAILURE, &sc);
			kunit_print_result(KUNIT_IND1, case_no, c->name,
					   KUNIT_FAILURE, "");
		} else if (c->generate_params) {
			c->status = kunit_run_param_case(s, c, case_no, &sc);
		} else {
			c->status = kunit_run_case(s, c, case_no, &sc);
		}
	}
	if (!ret && s->suite_exit)
		s->suite_exit(s);

	kunit__diag(KUNIT_IND1, "%s: pass:%lu fail:%lu skip:%lu total:%lu",
		    s->name, sc.passed, sc.failed, sc.skipped,
		    sc.passed + sc.failed + sc.skipped);
	if (sc.failed)
		printf("not ok %d %s\n", suite_no, s->name);
	else if (!sc.passed && sc.skipped)
		printf("ok %d %s # SKIP\n", suite_no, s->name);
	else
		printf("ok %d %s\n", suite_no, s->name);
	return !sc.failed;
}

/* ------------------------------------------------------------- main ---- */

static void kunit_usage(FILE *f, const char *prog)
{
	fprintf(f,
		"usage: %s [--list] [--timeout=SECONDS] [GLOB ...]\n"
		"  GLOB         run the suites whose name matches (fnmatch);\n"
		"               SUITE_GLOB.CASE_GLOB selects cases\n"
		"  --list       print the selected cases as suite.case\n"
		"  --timeout=S  fail a case that runs longer than S seconds\n"
		"               (default %d, 0: no limit)\n",
		prog, KUNIT_DEFAULT_TIMEOUT_S);
}

static int kunit_parse_args(int argc, char **argv, struct kunit_opts *o)
{
	char *end;
	int i;

	o->timeout_s = KUNIT_DEFAULT_TIMEOUT_S;
	o->globs = calloc((size_t)argc, sizeof(*o->globs));
	if (!o->globs)
		return -ENOMEM;
	for (i = 1; i < argc; i++) {
		if (!strcmp(argv[i], "--list")) {
			o->list = true;
		} else if (!strncmp(argv[i], "--timeout=", 10)) {
			errno = 0;
			o->timeout_s = (unsigned int)strtoul(argv[i] + 10, &end,
							     10);
			if (errno || *end || end == argv[i] + 10)
				return -EINVAL;
		} else if (!strcmp(argv[i], "-h") || !strcmp(argv[i], "--help")) {
			kunit_usage(stdout, argv[0]);
			exit(0);
		} else if (argv[i][0] == '-' && argv[i][1] == '-') {
			return -EINVAL;
		} else {
			o->globs[o->nglobs++] = argv[i];
		}
	}
	return 0;
}

int main(int argc, char **argv)
{
	struct kunit_suite **p;
	struct kunit_opts o = { 0 };
	struct kunit_case *c;
	char last[128];
	int nsel = 0, no = 0;

	if (kunit_parse_args(argc, argv, &o)) {
		kunit_usage(stderr, argv[0]);
		free(o.globs);
		return 2;
	}
	setvbuf(stdout, NULL, _IOLBF, 0);

	for (p = __start_kunit_suites; p && p < __stop_kunit_suites; p++)
		nsel += *p && kunit_count_selected(&o, *p) > 0;

	if (o.list) {
		for (p = __start_kunit_suites; p && p < __stop_kunit_suites; p++)
			for (c = *p ? (*p)->test_cases : NULL; c && c->run_case;
			     c++)
				if (kunit_case_selected(&o, *p, c))
					printf("%s.%s\n", (*p)->name, c->name);
		free(o.globs);
		return 0;
	}

	if (kunit_watchdog_start(o.timeout_s)) {
		fprintf(stderr, "kunit: cannot start the watchdog\n");
		free(o.globs);
		return 2;
	}
	printf("KTAP version 1\n1..%d\n", nsel);
	for (p = __start_kunit_suites; p && p < __stop_kunit_suites; p++) {
		if (*p && kunit_count_selected(&o, *p) > 0)
			kunit_run_suite(&o, *p, ++no);
	}
	if (o.nglobs && !nsel)
		printf("# no suite matches the given globs\n");

	pthread_mutex_lock(&kw.lock);
	printf("# Totals: pass:%lu fail:%lu skip:%lu total:%lu\n",
	       kw.total.passed, kw.total.failed, kw.total.skipped,
	       kw.total.passed + kw.total.failed + kw.total.skipped);
	kunit_print_totals_line(&kw.total, last, sizeof(last));
	printf("%s\n", last);
	fflush(stdout);
	no = kw.total.failed ? 1 : 0;
	pthread_mutex_unlock(&kw.lock);
	free(o.globs);
	return no;
}
