// SPDX-License-Identifier: GPL-2.0-only
/*
 * Timers: one timer thread per process, started on the first
 * scst_timer_mod(), runs the callbacks of the armed timers in expiry order.
 *
 * The armed timers sit in a list sorted by expiry; timers with the same
 * expiry fire in the order they were armed. Inserting scans from the tail,
 * which is O(1) for the usual case of timers armed with one fixed delay.
 *
 * A callback runs without the service lock, so it may re-arm or delete any
 * timer. The service records which timer is running so that
 * scst_timer_del_sync() can wait for it; from inside a callback (in the timer
 * thread) it only disarms, since waiting there would wait for itself.
 */
#include <errno.h>

#include "os_user_internal.h"

struct os_timer_service {
	pthread_mutex_t lock; /* guards everything below and the timers */
	pthread_cond_t kick;  /* the head of the list changed */
	pthread_cond_t idle;  /* a callback returned */
	struct scst_list_head armed;
	struct scst_timer *running;
	pthread_t thread;
	bool started;
};

static struct os_timer_service os_timers = {
    .lock = PTHREAD_MUTEX_INITIALIZER,
    .armed = SCST_LIST_HEAD_INIT(os_timers.armed),
};

static pthread_once_t os_timer_once = PTHREAD_ONCE_INIT;

static bool os_timer_in_callback(void)
{
	return os_timers.started &&
	       pthread_equal(pthread_self(), os_timers.thread);
}

static void *os_timer_main(void *arg)
{
	struct os_timer_service *ts = arg;
	struct scst_timer *t;
	struct timespec until;

	pthread_setname_np(pthread_self(), "scst_timer");
	pthread_mutex_lock(&ts->lock);
	for (;;) {
		if (scst_list_empty(&ts->armed)) {
			pthread_cond_wait(&ts->kick, &ts->lock);
			continue;
		}
		t = scst_list_first_entry(&ts->armed, struct scst_timer, entry);
		if (t->expires_ns > scst_os_now_ns()) {
			os_user_ns_to_timespec(&until, t->expires_ns);
			pthread_cond_timedwait(&ts->kick, &ts->lock, &until);
			continue;
		}
		scst_list_del_init(&t->entry);
		t->armed = false;
		ts->running = t;
		pthread_mutex_unlock(&ts->lock);

		t->fn(t);

		pthread_mutex_lock(&ts->lock);
		ts->running = NULL;
		pthread_cond_broadcast(&ts->idle);
	}
	return NULL;
}

static void os_timer_start(void)
{
	struct os_timer_service *ts = &os_timers;
	pthread_attr_t attr;

	SCST_BUG_ON(os_user_cond_init(&ts->kick));
	SCST_BUG_ON(pthread_cond_init(&ts->idle, NULL));
	/* The service lives as long as the process; nobody joins it. */
	pthread_attr_init(&attr);
	pthread_attr_setdetachstate(&attr, PTHREAD_CREATE_DETACHED);
	pthread_mutex_lock(&ts->lock);
	SCST_BUG_ON(pthread_create(&ts->thread, &attr, os_timer_main, ts));
	ts->started = true;
	pthread_mutex_unlock(&ts->lock);
	pthread_attr_destroy(&attr);
}

void scst_timer_init(struct scst_timer *t, scst_timer_fn fn)
{
	t->fn = fn;
	t->expires_ns = 0;
	scst_list_init(&t->entry);
	t->armed = false;
}

/* Take @t off the list. Called with the lock held. */
static bool os_timer_disarm(struct scst_timer *t)
{
	if (!t->armed)
		return false;
	scst_list_del_init(&t->entry);
	t->armed = false;
	return true;
}

void scst_timer_mod(struct scst_timer *t, uint64_t delay_ns)
{
	struct os_timer_service *ts = &os_timers;
	struct scst_list_head *pos;
	uint64_t now;

	pthread_once(&os_timer_once, os_timer_start);
	pthread_mutex_lock(&ts->lock);
	os_timer_disarm(t);
	now = scst_os_now_ns();
	t->expires_ns =
	    delay_ns > UINT64_MAX - now ? UINT64_MAX : now + delay_ns;
	/* After the last timer that expires no later than @t. */
	for (pos = ts->armed.prev; pos != &ts->armed; pos = pos->prev) {
		if (scst_list_entry(pos, struct scst_timer, entry)
			->expires_ns <= t->expires_ns)
			break;
	}
	scst_list_add(&t->entry, pos);
	t->armed = true;
	if (ts->armed.next == &t->entry)
		pthread_cond_signal(&ts->kick);
	pthread_mutex_unlock(&ts->lock);
}

bool scst_timer_del(struct scst_timer *t)
{
	struct os_timer_service *ts = &os_timers;
	bool was_armed;

	pthread_mutex_lock(&ts->lock);
	was_armed = os_timer_disarm(t);
	pthread_mutex_unlock(&ts->lock);
	return was_armed;
}

void scst_timer_del_sync(struct scst_timer *t)
{
	struct os_timer_service *ts = &os_timers;

	pthread_mutex_lock(&ts->lock);
	/*
	 * Wait first, then disarm in the same critical section: a callback
	 * that re-armed its own timer is disarmed too, and cannot run again.
	 */
	if (!os_timer_in_callback()) {
		while (ts->running == t)
			pthread_cond_wait(&ts->idle, &ts->lock);
	}
	os_timer_disarm(t);
	pthread_mutex_unlock(&ts->lock);
}
