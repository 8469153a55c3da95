/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Shared between the KUnit assertion machinery (kunit.c) and the runner
 * (runner.c). Tests include only <kunit/test.h>.
 */
#ifndef KUNIT_INTERNAL_H
#define KUNIT_INTERNAL_H

#include <pthread.h>
#include <setjmp.h>

#include <kunit/test.h>

/* A deferred action: runs when the case ends, newest first. */
struct kunit__action {
	struct kunit__action *next;
	kunit_action_t *fn;
	void *ctx;
};

/* The runner's side of struct kunit. */
struct kunit__ctx {
	jmp_buf *env;		/* where an ASSERT goes; NULL: nowhere */
	pthread_t thread;	/* the thread running the case */
	pthread_mutex_t lock;	/* guards actions and the test's status */
	struct kunit__action *actions;
	const char *indent;	/* before every line: "    " or deeper */
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

#endif /* KUNIT_INTERNAL_H */
