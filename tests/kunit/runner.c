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
 * as failed with "timeout" and the runner exits with status 1; a crash is
 * reported the same way (see watchdog.c).
 */
#include <errno.h>
#include <fnmatch.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "kunit_internal.h"

extern struct kunit_suite *__start_kunit_suites[] __attribute__((weak));
extern struct kunit_suite *__stop_kunit_suites[] __attribute__((weak));

#define KUNIT_DEFAULT_TIMEOUT_S 60

struct kunit_opts {
	bool list;
	unsigned int timeout_s;
	char **globs;
	int nglobs;
};

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
					struct kunit_case *c, const void *param,
					const char *indent, char *comment,
					size_t comment_size)
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
					      struct kunit_case *c, int case_no,
					      struct kunit_counts *sc)
{
	char desc[KUNIT_PARAM_DESC_SIZE], comment[256];
	struct kunit_counts pc = {0};
	enum kunit_status st;
	const void *param;
	int i = 0;

	printf(KUNIT_IND2 "KTAP version 1\n" KUNIT_IND2 "# Subtest: %s\n",
	       c->name);
	kunit_watch_outer(case_no, c->name);

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

	kunit_watch_outer(0, NULL);
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
	struct kunit_counts sc = {0};
	struct kunit_case *c;
	int case_no = 0, ret = 0;

	printf(KUNIT_IND1 "KTAP version 1\n" KUNIT_IND1
			  "# Subtest: %s\n" KUNIT_IND1 "1..%d\n",
	       s->name, kunit_count_selected(o, s));
	kunit_watch_suite(suite_no, s->name);

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
			o->timeout_s =
			    (unsigned int)strtoul(argv[i] + 10, &end, 10);
			if (errno || *end || end == argv[i] + 10)
				return -EINVAL;
		} else if (!strcmp(argv[i], "-h") ||
			   !strcmp(argv[i], "--help")) {
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
	struct kunit_opts o = {0};
	struct kunit_counts total;
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
		for (p = __start_kunit_suites; p && p < __stop_kunit_suites;
		     p++)
			for (c = *p ? (*p)->test_cases : NULL; c && c->run_case;
			     c++)
				if (kunit_case_selected(&o, *p, c))
					printf("%s.%s\n", (*p)->name, c->name);
		free(o.globs);
		return 0;
	}

	if (kunit_watch_start(o.timeout_s)) {
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

	kunit_watch_suite(0, NULL);
	kunit_watch_totals(&total);
	printf("# Totals: pass:%lu fail:%lu skip:%lu total:%lu\n", total.passed,
	       total.failed, total.skipped,
	       total.passed + total.failed + total.skipped);
	kunit_totals_line(&total, last, sizeof(last));
	printf("%s\n", last);
	fflush(stdout);
	free(o.globs);
	return total.failed ? 1 : 0;
}
