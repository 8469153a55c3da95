// SPDX-License-Identifier: GPL-2.0-only
/*
 * Work queues: a FIFO of struct scst_work run by a fixed set of threads.
 *
 * Works are numbered in queue order by the queue's counters: @queued counts
 * every work ever queued, @started every work taken off the queue, and each
 * worker records the number of the work it is running. Since the queue is
 * FIFO, "every work queued before the flush" is "every number below the
 * value @queued had at the call"; a flush waits until the workers have
 * started all of them and none of them is still running. Works queued after
 * the call get higher numbers, so a work that keeps re-queueing itself
 * cannot hold a flush forever.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>

#include "os_user_internal.h"

#define OS_WQ_IDLE UINT64_MAX

struct os_wq_worker {
	struct scst_workqueue *wq;
	struct scst_thread *thread;
	uint64_t running; /* number of the work it runs, or OS_WQ_IDLE */
};

struct scst_workqueue {
	char name[32];
	pthread_mutex_t lock; /* guards everything below */
	pthread_cond_t more;  /* work was queued, or the queue stops */
	pthread_cond_t done;  /* a work returned */
	struct scst_list_head queue;
	uint64_t queued;
	uint64_t started;
	bool stopping;
	unsigned int nthreads;
	struct os_wq_worker workers[];
};

/* The queue whose worker this thread is, to catch a flush from inside. */
static __thread struct scst_workqueue *os_wq_current;

void scst_work_init(struct scst_work *w, scst_work_fn fn)
{
	scst_list_init(&w->entry);
	w->fn = fn;
	scst_atomic_set(&w->pending, 0);
}

static int os_wq_worker_main(void *arg)
{
	struct os_wq_worker *self = arg;
	struct scst_workqueue *wq = self->wq;
	struct scst_work *w;

	os_wq_current = wq;
	pthread_mutex_lock(&wq->lock);
	for (;;) {
		while (scst_list_empty(&wq->queue) && !wq->stopping)
			pthread_cond_wait(&wq->more, &wq->lock);
		if (scst_list_empty(&wq->queue))
			break; /* stopping, and everything has run */
		w = scst_list_first_entry(&wq->queue, struct scst_work, entry);
		scst_list_del_init(&w->entry);
		self->running = wq->started++;
		/* From here on the work may be queued again, even by itself. */
		scst_atomic_set(&w->pending, 0);
		pthread_mutex_unlock(&wq->lock);

		/* @w may be freed by its function: not touched after this. */
		w->fn(w);

		pthread_mutex_lock(&wq->lock);
		self->running = OS_WQ_IDLE;
		pthread_cond_broadcast(&wq->done);
	}
	pthread_mutex_unlock(&wq->lock);
	return 0;
}

/* Stop and join the first @n workers. */
static void os_wq_stop(struct scst_workqueue *wq, unsigned int n)
{
	unsigned int i;

	pthread_mutex_lock(&wq->lock);
	wq->stopping = true;
	pthread_cond_broadcast(&wq->more);
	pthread_mutex_unlock(&wq->lock);
	for (i = 0; i < n; i++)
		scst_thread_join(wq->workers[i].thread);
}

static void os_wq_free(struct scst_workqueue *wq)
{
	pthread_cond_destroy(&wq->done);
	pthread_cond_destroy(&wq->more);
	pthread_mutex_destroy(&wq->lock);
	free(wq);
}

struct scst_workqueue *scst_workqueue_create(const char *name,
					     unsigned int nthreads)
{
	struct scst_workqueue *wq;
	char tname[48];
	unsigned int i;

	if (!nthreads)
		nthreads = scst_os_num_cpus();
	wq = calloc(1, sizeof(*wq) + nthreads * sizeof(wq->workers[0]));
	if (!wq)
		return NULL;
	snprintf(wq->name, sizeof(wq->name), "%s", name ? name : "wq");
	pthread_mutex_init(&wq->lock, NULL);
	pthread_cond_init(&wq->more, NULL);
	pthread_cond_init(&wq->done, NULL);
	scst_list_init(&wq->queue);
	wq->nthreads = nthreads;

	for (i = 0; i < nthreads; i++) {
		wq->workers[i].wq = wq;
		wq->workers[i].running = OS_WQ_IDLE;
		snprintf(tname, sizeof(tname), "%s/%u", wq->name, i);
		if (scst_thread_create(&wq->workers[i].thread,
				       os_wq_worker_main, &wq->workers[i],
				       tname)) {
			scst_err("workqueue %s: cannot start thread %u",
				 wq->name, i);
			os_wq_stop(wq, i);
			os_wq_free(wq);
			return NULL;
		}
	}
	return wq;
}

bool scst_queue_work(struct scst_workqueue *wq, struct scst_work *w)
{
	if (scst_atomic_cmpxchg(&w->pending, 0, 1) != 0)
		return false;
	pthread_mutex_lock(&wq->lock);
	SCST_BUG_ON(wq->stopping && os_wq_current != wq);
	scst_list_add_tail(&w->entry, &wq->queue);
	wq->queued++;
	pthread_cond_signal(&wq->more);
	pthread_mutex_unlock(&wq->lock);
	return true;
}

/* Has every work numbered below @target run to its end? */
static bool os_wq_flushed(struct scst_workqueue *wq, uint64_t target)
{
	unsigned int i;

	if (wq->started < target)
		return false;
	for (i = 0; i < wq->nthreads; i++)
		if (wq->workers[i].running < target)
			return false;
	return true;
}

void scst_workqueue_flush(struct scst_workqueue *wq)
{
	uint64_t target;

	/* A worker waiting for its own queue would wait for itself. */
	SCST_BUG_ON(os_wq_current == wq);
	pthread_mutex_lock(&wq->lock);
	target = wq->queued;
	while (!os_wq_flushed(wq, target))
		pthread_cond_wait(&wq->done, &wq->lock);
	pthread_mutex_unlock(&wq->lock);
}

void scst_workqueue_destroy(struct scst_workqueue *wq)
{
	if (!wq)
		return;
	SCST_BUG_ON(os_wq_current == wq);
	os_wq_stop(wq, wq->nthreads);
	SCST_BUG_ON(!scst_list_empty(&wq->queue));
	os_wq_free(wq);
}
