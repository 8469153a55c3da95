/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Shared between the pieces of the KUnit runner: the assertion machinery
 * (kunit.c), the watchdog (watchdog.c) and the runner proper (runner.c).
 * Tests include only <kunit/test.h>.
 */
#ifndef KUNIT_INTERNAL_H
#define KUNIT_INTERNAL_H

#include <pthread.h>
#include <setjmp.h>

#include <kunit/test.h>

#define KUNIT_IND1 "    "     /* a suite's cases */
#define KUNIT_IND2 "        " /* a KUNIT_CASE_PARAM's parameters */

/* ------------------------------------------------------- kunit.c ---- */

/* A deferred action: runs when the case ends, newest first. */
struct kunit__action {
	struct kunit__action *next;
	kunit_action_t *fn;
	void *ctx;
};

/* The runner's side of struct kunit. */
struct kunit__ctx {
	jmp_buf *env;	      /* where an ASSERT goes; NULL: nowhere */
	pthread_t thread;     /* the thread running the case */
	pthread_mutex_t lock; /* guards actions and the test's status */
	struct kunit__action *actions;
	const char *indent; /* before every line: KUNIT_IND1 or _IND2 */
};

/* Set up @test (zeroed by the caller) for one run of case @name. */
void kunit__ctx_init(struct kunit *test, struct kunit__ctx *ctx,
		     const char *name, const char *indent);
/* Run the deferred actions that remain, newest first. */
void kunit__run_actions(struct kunit *test);
void kunit__ctx_destroy(struct kunit *test);

void kunit__set_current(struct kunit *test);
void kunit__set_failure(struct kunit *test);

/* Print @fmt as KTAP diagnostic lines, each "<indent># <line>". */
void kunit__diag(const char *indent, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));

/* ---------------------------------------------------- watchdog.c ---- */

struct kunit_counts {
	unsigned long passed, failed, skipped;
};

/*
 * Start the watchdog (@timeout_s per run, 0: none) and the crash report.
 * The runner then tells it where it is: the suite, the parameterised case
 * (NULL when none), each run as it starts (arm) and its result (done).
 */
int kunit_watch_start(unsigned int timeout_s);
void kunit_watch_suite(int suite_no, const char *suite);
void kunit_watch_outer(int case_no, const char *name);
void kunit_watch_arm(int case_no, const char *name, const char *indent);
/* Disarm, and count @st in the totals and in @suite. */
void kunit_watch_done(enum kunit_status st, struct kunit_counts *suite);
void kunit_watch_totals(struct kunit_counts *out);
/* "<P> passed, <F> failed[, <S> skipped]" */
void kunit_totals_line(const struct kunit_counts *c, char *buf, size_t size);

#endif /* KUNIT_INTERNAL_H */
