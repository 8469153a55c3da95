// SPDX-License-Identifier: GPL-2.0-only
/*
 * The worker pool. Each session is bound to one worker at registration;
 * its commands run there, so a command never needs a lock against itself
 * and the per-command path takes no global lock. A worker has its own
 * queue of commands to run and of work items (task management), guarded by
 * the worker's own lock.
 */
#include "scst_priv.h"

static struct scst_worker *scst_workers;
/* Completion pollers (scst_register_poller), run by transport-run workers. */
static SCST_LIST_HEAD_DEF(scst_pollers);
static struct scst_rwlock scst_pollers_lock;
static scst_atomic_t scst_npollers;
static unsigned int scst_nworkers;
static scst_atomic_t scst_worker_rr;

static bool scst_worker_has_work(void *arg)
{
	struct scst_worker *w = arg;
	bool busy;

	scst_spin_lock(&w->lock);
	busy = !scst_list_empty(&w->cmd_queue) ||
	       !scst_list_empty(&w->work_queue) || w->stop;
	scst_spin_unlock(&w->lock);
	return busy;
}

static void scst_worker_kick(struct scst_worker *w)
{
	scst_smp_mb();
	if (!__atomic_load_n(&w->sleeping, __ATOMIC_SEQ_CST))
		return;
	if (w->kick)
		w->kick(w->kick_arg);
	else
		scst_wake_up(&w->wq);
}

/* Run what is queued now; true if there was anything. */
static bool scst_worker_run_once(struct scst_worker *w,
				 struct scst_list_head *batch)
{
	struct scst_work *work;
	struct scst_cmd *cmd;

	scst_spin_lock(&w->lock);
	if (!scst_list_empty(&w->work_queue)) {
		work = scst_list_first_entry(&w->work_queue, struct scst_work,
					     entry);
		scst_list_del_init(&work->entry);
		scst_spin_unlock(&w->lock);
		scst_atomic_set(&work->pending, 0);
		work->fn(work);
		return true;
	}
	if (scst_list_empty(&w->cmd_queue)) {
		scst_spin_unlock(&w->lock);
		return false;
	}
	scst_list_splice_tail_init(&w->cmd_queue, batch);
	scst_spin_unlock(&w->lock);
	while (!scst_list_empty(batch)) {
		cmd =
		    scst_list_first_entry(batch, struct scst_cmd, queue_entry);
		scst_list_del_init(&cmd->queue_entry);
		w->processed++;
		scst_process_cmd(cmd);
	}
	return true;
}

static int scst_worker_fn(void *arg)
{
	struct scst_worker *w = arg;
	struct scst_list_head batch;

	scst_list_init(&batch);
	for (;;) {
		if (scst_worker_run_once(w, &batch))
			continue;
		scst_spin_lock(&w->lock);
		if (w->stop) {
			scst_spin_unlock(&w->lock);
			break;
		}
		if (!scst_list_empty(&w->cmd_queue) ||
		    !scst_list_empty(&w->work_queue)) {
			scst_spin_unlock(&w->lock);
			continue;
		}
		scst_spin_unlock(&w->lock);
		__atomic_store_n(&w->sleeping, 1, __ATOMIC_SEQ_CST);
		scst_wait_event(&w->wq, scst_worker_has_work, w);
		__atomic_store_n(&w->sleeping, 0, __ATOMIC_SEQ_CST);
	}
	return 0;
}

int scst_workers_start(unsigned int n)
{
	char name[16];
	unsigned int i;
	int rc;

	scst_workers = scst_os_zalloc(n * sizeof(*scst_workers));
	if (!scst_workers)
		return -ENOMEM;
	scst_rwlock_init(&scst_pollers_lock);
	for (i = 0; i < n; i++) {
		struct scst_worker *w = &scst_workers[i];

		w->idx = i;
		w->wake_fd = -1;
		scst_spin_init(&w->lock);
		scst_list_init(&w->cmd_queue);
		scst_list_init(&w->work_queue);
		scst_waitq_init(&w->wq);
		scst_snprintf(name, sizeof(name), "scst_w%u", i);
		rc = scst_thread_create(&w->thread, scst_worker_fn, w, name);
		if (rc) {
			scst_nworkers = i;
			scst_workers_stop();
			return rc;
		}
	}
	scst_nworkers = n;
	return 0;
}

void scst_workers_stop(void)
{
	unsigned int i;

	for (i = 0; i < scst_nworkers; i++) {
		struct scst_worker *w = &scst_workers[i];

		scst_spin_lock(&w->lock);
		w->stop = true;
		scst_spin_unlock(&w->lock);
		scst_wake_up(&w->wq);
		scst_thread_join(w->thread);
		scst_waitq_destroy(&w->wq);
		scst_spin_destroy(&w->lock);
	}
	scst_os_free(scst_workers);
	scst_workers = NULL;
	scst_nworkers = 0;
	scst_rwlock_destroy(&scst_pollers_lock);
}

unsigned int scst_workers_count(void)
{
	return scst_nworkers;
}

struct scst_worker *scst_worker_pick(void)
{
	unsigned int i = (unsigned int)scst_atomic_inc_return(&scst_worker_rr);

	return &scst_workers[i % scst_nworkers];
}

void scst_worker_queue_cmd(struct scst_worker *w, struct scst_cmd *cmd)
{
	scst_spin_lock(&w->lock);
	scst_list_add_tail(&cmd->queue_entry, &w->cmd_queue);
	scst_spin_unlock(&w->lock);
	scst_worker_kick(w);
}

void scst_worker_queue_work(struct scst_worker *w, struct scst_work *work)
{
	scst_spin_lock(&w->lock);
	scst_atomic_set(&work->pending, 1);
	scst_list_add_tail(&work->entry, &w->work_queue);
	scst_spin_unlock(&w->lock);
	scst_worker_kick(w);
}

/* ------------------------------------------- transport-run workers ---- */

struct scst_worker *scst_worker_attach(void (*kick)(void *arg), void *arg)
{
	struct scst_worker *w;

	if (!kick)
		return NULL;
	w = scst_os_zalloc(sizeof(*w));
	if (!w)
		return NULL;
	w->thread = scst_thread_current();
	w->idx = (unsigned int)-1;
	w->kick = kick;
	w->kick_arg = arg;
	w->wake_fd = -1;
	scst_spin_init(&w->lock);
	scst_list_init(&w->cmd_queue);
	scst_list_init(&w->work_queue);
	return w;
}

void scst_worker_detach(struct scst_worker *w)
{
	if (!w)
		return;
	SCST_BUG_ON(!scst_list_empty(&w->cmd_queue) ||
		    !scst_list_empty(&w->work_queue));
	scst_spin_destroy(&w->lock);
	scst_os_free(w);
}

/* Every registered poller once; true if one of them completed anything. */
static bool scst_pollers_run(void)
{
	struct scst_poller *p;
	bool did = false;

	if (!scst_atomic_read(&scst_npollers))
		return false;
	scst_read_lock(&scst_pollers_lock);
	scst_list_for_each_entry (p, &scst_pollers, entry__)
		did |= p->poll(p);
	scst_read_unlock(&scst_pollers_lock);
	return did;
}

void scst_worker_run(struct scst_worker *w)
{
	struct scst_list_head batch;

	SCST_BUG_ON(scst_thread_current() != w->thread);
	__atomic_store_n(&w->sleeping, 0, __ATOMIC_SEQ_CST);
	scst_list_init(&batch);
	do {
		while (scst_worker_run_once(w, &batch))
			;
	} while (scst_pollers_run());
}

void scst_register_poller(struct scst_poller *p)
{
	scst_write_lock(&scst_pollers_lock);
	scst_list_add_tail(&p->entry__, &scst_pollers);
	scst_atomic_inc(&scst_npollers);
	scst_write_unlock(&scst_pollers_lock);
}

void scst_unregister_poller(struct scst_poller *p)
{
	scst_write_lock(&scst_pollers_lock);
	scst_list_del_init(&p->entry__);
	scst_atomic_dec(&scst_npollers);
	scst_write_unlock(&scst_pollers_lock);
}

void scst_worker_set_wake_fd(struct scst_worker *w, int fd)
{
	w->wake_fd = fd;
}

bool scst_cmd_on_polling_worker(const struct scst_cmd *cmd)
{
	const struct scst_worker *w = cmd->sess ? cmd->sess->worker : NULL;

	return w && w->kick && w->thread == scst_thread_current();
}

int scst_cmd_wake_fd(const struct scst_cmd *cmd)
{
	const struct scst_worker *w = cmd->sess ? cmd->sess->worker : NULL;

	return w && w->kick ? w->wake_fd : -1;
}

bool scst_worker_idle(struct scst_worker *w)
{
	bool busy;

	__atomic_store_n(&w->sleeping, 1, __ATOMIC_SEQ_CST);
	/* A queue that filled before the flag was seen got no kick. */
	scst_spin_lock(&w->lock);
	busy =
	    !scst_list_empty(&w->cmd_queue) || !scst_list_empty(&w->work_queue);
	scst_spin_unlock(&w->lock);
	if (busy)
		__atomic_store_n(&w->sleeping, 0, __ATOMIC_SEQ_CST);
	return !busy;
}
