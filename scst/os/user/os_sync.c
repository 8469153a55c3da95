// SPDX-License-Identifier: GPL-2.0-only
/*
 * Wait queues and completions on a pthread mutex and condition variable.
 *
 * A waiter evaluates its condition with the queue's mutex held, and
 * scst_wake_up() takes the same mutex before it broadcasts, so a waker that
 * changes the state before waking can never slip between a waiter's check
 * and its sleep. Timeouts are measured on CLOCK_MONOTONIC.
 *
 * A completion is a wait queue plus a count of pending completions; the
 * waiter's condition consumes one under the lock. complete_all() sets the
 * count to UINT_MAX, which no waiter consumes.
 */
#include <errno.h>
#include <limits.h>

#include "os_user_internal.h"

/* ------------------------------------------------------ time helpers ---- */

int os_user_cond_init(pthread_cond_t *cv)
{
	pthread_condattr_t attr;
	int ret;

	ret = pthread_condattr_init(&attr);
	if (ret)
		return -ret;
	ret = pthread_condattr_setclock(&attr, CLOCK_MONOTONIC);
	if (!ret)
		ret = pthread_cond_init(cv, &attr);
	pthread_condattr_destroy(&attr);
	return -ret;
}

void os_user_ns_to_timespec(struct timespec *ts, uint64_t abs_ns)
{
	ts->tv_sec = (time_t)(abs_ns / OS_USER_NSEC_PER_SEC);
	ts->tv_nsec = (long)(abs_ns % OS_USER_NSEC_PER_SEC);
}

void os_user_deadline(struct timespec *ts, uint64_t ns)
{
	uint64_t now = scst_os_now_ns();

	/* Saturate: a timeout of "forever" must not wrap into the past. */
	os_user_ns_to_timespec(ts,
			       ns > UINT64_MAX - now ? UINT64_MAX : now + ns);
}

/* -------------------------------------------------------- wait queues ---- */

void scst_waitq_init(struct scst_waitq *wq)
{
	pthread_mutex_init(&wq->impl.m, NULL);
	SCST_BUG_ON(os_user_cond_init(&wq->impl.cv));
}

void scst_waitq_destroy(struct scst_waitq *wq)
{
	pthread_cond_destroy(&wq->impl.cv);
	pthread_mutex_destroy(&wq->impl.m);
}

void scst_wake_up(struct scst_waitq *wq)
{
	pthread_mutex_lock(&wq->impl.m);
	pthread_cond_broadcast(&wq->impl.cv);
	pthread_mutex_unlock(&wq->impl.m);
}

void scst_wait_event(struct scst_waitq *wq, bool (*cond)(void *arg), void *arg)
{
	pthread_mutex_lock(&wq->impl.m);
	while (!cond(arg))
		pthread_cond_wait(&wq->impl.cv, &wq->impl.m);
	pthread_mutex_unlock(&wq->impl.m);
}

bool scst_wait_event_timeout(struct scst_waitq *wq, bool (*cond)(void *arg),
			     void *arg, uint64_t timeout_ns)
{
	struct timespec deadline;
	bool ok;
	int ret = 0;

	os_user_deadline(&deadline, timeout_ns);
	pthread_mutex_lock(&wq->impl.m);
	/* Check once more after a timeout: the state may just have changed. */
	while (!(ok = cond(arg)) && ret != ETIMEDOUT)
		ret = pthread_cond_timedwait(&wq->impl.cv, &wq->impl.m,
					     &deadline);
	pthread_mutex_unlock(&wq->impl.m);
	return ok;
}

/* -------------------------------------------------------- completions ---- */

void scst_completion_init(struct scst_completion *c)
{
	scst_waitq_init(&c->wq);
	c->done = 0;
}

void scst_completion_destroy(struct scst_completion *c)
{
	scst_waitq_destroy(&c->wq);
}

static void completion_add(struct scst_completion *c, bool all)
{
	pthread_mutex_lock(&c->wq.impl.m);
	if (all)
		c->done = UINT_MAX;
	else if (c->done != UINT_MAX)
		c->done++;
	pthread_cond_broadcast(&c->wq.impl.cv);
	pthread_mutex_unlock(&c->wq.impl.m);
}

void scst_complete(struct scst_completion *c)
{
	completion_add(c, false);
}

void scst_complete_all(struct scst_completion *c)
{
	completion_add(c, true);
}

/* The wait condition: takes one completion. Runs under the queue's lock. */
static bool completion_take(void *arg)
{
	struct scst_completion *c = arg;

	if (!c->done)
		return false;
	if (c->done != UINT_MAX)
		c->done--;
	return true;
}

void scst_wait_for_completion(struct scst_completion *c)
{
	scst_wait_event(&c->wq, completion_take, c);
}

bool scst_wait_for_completion_timeout(struct scst_completion *c,
				      uint64_t timeout_ns)
{
	return scst_wait_event_timeout(&c->wq, completion_take, c, timeout_ns);
}
