// SPDX-License-Identifier: GPL-2.0-only
/*
 * Stress test of the core through the loopback transport.
 *
 * Several submitter threads each keep a window of commands in flight on
 * their own session (a mix of reads, writes, SPC commands, bad opcodes,
 * unmapped LUNs, with SIMPLE, ORDERED and HEAD OF QUEUE attributes), while
 * a chaos thread fires random task management functions (ABORT TASK,
 * ABORT TASK SET, CLEAR TASK SET, LUN RESET, TARGET RESET, I_T NEXUS RESET,
 * QUERY TASK) and flips the devices and transport between synchronous and
 * asynchronous completion. Every so often a submitter closes its session
 * with commands in flight (nexus loss) and opens a new one.
 *
 * At the end it checks that every command submitted completed exactly once,
 * that every TMF answered, and that all memory came back to the allocator,
 * and prints those counts. Exit status 0 only if all of that holds.
 *
 *   stress --commands N --threads T --seconds S [--depth D]
 */
#include <getopt.h>
#include <pthread.h>
#include <sched.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "dev_handlers/scst_null.h"
#include "scst/byteorder.h"
#include "scst/os.h"
#include "scst_local/scst_local.h"

#define NDEVS	     2
#define DEV_BLOCKS   2048u
#define MAX_THREADS  16
#define REOPEN_EVERY 10000u

struct stress_cfg {
	unsigned long commands;
	unsigned int threads;
	unsigned int seconds;
	unsigned int depth;
};

struct stress_counts {
	scst_atomic64_t done;
	scst_atomic64_t no_response;
	scst_atomic64_t good;
	scst_atomic64_t check_condition;
	scst_atomic64_t task_aborted;
	scst_atomic64_t busy;
	scst_atomic64_t other_status;
	scst_atomic64_t bad_read_len;
	scst_atomic64_t tmf_sent[SCST_TMF_COUNT];
	scst_atomic64_t tmf_done;
	scst_atomic64_t tmf_aborted_cmds;
	scst_atomic64_t reopens;
};

struct stress_thread;

struct stress_req {
	struct scst_local_req r;
	struct stress_thread *t;
	uint8_t buf[4096];
};

struct stress_thread {
	unsigned int idx;
	pthread_t pt;
	pthread_mutex_t sess_lock; /* the chaos thread vs. reopening */
	struct scst_local_sess *sess;
	unsigned int sess_flags;
	pthread_mutex_t lock;
	pthread_cond_t cv;
	struct stress_req **free;
	unsigned int nfree;
	scst_atomic64_t last_tag;
	unsigned int rnd;
};

static struct stress_cfg cfg = {
    .commands = 1000000,
    .threads = 4,
    .seconds = 300,
    .depth = 32,
};
static struct stress_counts cnt;
static struct stress_thread threads[MAX_THREADS];
static struct scst_device *devs[NDEVS];
static struct scst_tgt *tgt;
static uint8_t *completions; /* per tag: times done() ran */
static scst_atomic64_t next_tag;
static scst_atomic64_t submitted;
static volatile int stop_chaos;
static uint64_t deadline_ns;

static unsigned int rnd(unsigned int *s)
{
	*s ^= *s << 13;
	*s ^= *s >> 17;
	*s ^= *s << 5;
	return *s;
}

static const struct scst_module *const mods[] = {
    &scst_local_module,
    &scst_null_module,
};

/* ------------------------------------------------------ completions ---- */

static void req_done(struct scst_local_req *lr)
{
	struct stress_req *q = scst_container_of(lr, struct stress_req, r);
	struct stress_thread *t = q->t;
	uint8_t op = lr->cdb[0];

	__atomic_add_fetch(&completions[lr->tag], 1, __ATOMIC_RELAXED);
	scst_atomic64_add(&cnt.done, 1);
	if (lr->no_response) {
		scst_atomic64_add(&cnt.no_response, 1);
	} else {
		switch (lr->status) {
		case SAM_STAT_GOOD:
			scst_atomic64_add(&cnt.good, 1);
			if ((op == READ_10 || op == READ_16) &&
			    lr->data_in_len == 0)
				scst_atomic64_add(&cnt.bad_read_len, 1);
			break;
		case SAM_STAT_CHECK_CONDITION:
			scst_atomic64_add(&cnt.check_condition, 1);
			break;
		case SAM_STAT_TASK_ABORTED:
			scst_atomic64_add(&cnt.task_aborted, 1);
			break;
		case SAM_STAT_BUSY:
		case SAM_STAT_TASK_SET_FULL:
			scst_atomic64_add(&cnt.busy, 1);
			break;
		default:
			scst_atomic64_add(&cnt.other_status, 1);
			break;
		}
	}
	pthread_mutex_lock(&t->lock);
	t->free[t->nfree++] = q;
	pthread_cond_signal(&t->cv);
	pthread_mutex_unlock(&t->lock);
}

/* ------------------------------------------------------- submitters ---- */

static void fill_cdb(struct stress_req *q, unsigned int *s)
{
	struct scst_local_req *r = &q->r;
	unsigned int pick = rnd(s) % 100, nb = 1 + rnd(s) % 8;
	uint32_t lba = rnd(s) % (DEV_BLOCKS - 8);
	unsigned int qt = rnd(s) % 100;

	memset(r->cdb, 0, sizeof(r->cdb));
	r->lun = rnd(s) % NDEVS;
	r->exp_set = true;
	r->exp_dir = SCST_DATA_NONE;
	r->exp_len = 0;
	r->data_out = NULL;
	r->data_in = q->buf;
	r->data_in_size = sizeof(q->buf);
	r->queue_type = qt < 85	  ? SCST_CMD_QUEUE_SIMPLE
			: qt < 93 ? SCST_CMD_QUEUE_ORDERED
				  : SCST_CMD_QUEUE_HEAD_OF_QUEUE;
	if (pick < 40) {
		r->cdb[0] = READ_10;
		scst_put_be32(&r->cdb[2], lba);
		scst_put_be16(&r->cdb[7], (uint16_t)nb);
		r->cdb_len = 10;
		r->exp_dir = SCST_DATA_READ;
		r->exp_len = nb * 512;
	} else if (pick < 70) {
		r->cdb[0] = WRITE_10;
		scst_put_be32(&r->cdb[2], lba);
		scst_put_be16(&r->cdb[7], (uint16_t)nb);
		r->cdb_len = 10;
		r->exp_dir = SCST_DATA_WRITE;
		r->exp_len = nb * 512;
		r->data_out = q->buf;
		r->data_out_len = sizeof(q->buf);
	} else if (pick < 75) {
		r->cdb[0] = READ_16;
		scst_put_be64(&r->cdb[2], lba);
		scst_put_be32(&r->cdb[10], nb);
		r->cdb_len = 16;
		r->exp_dir = SCST_DATA_READ;
		r->exp_len = nb * 512;
	} else if (pick < 80) {
		r->cdb[0] = TEST_UNIT_READY;
		r->cdb_len = 6;
	} else if (pick < 85) {
		r->cdb[0] = INQUIRY;
		r->cdb[4] = 96;
		r->cdb_len = 6;
		r->exp_dir = SCST_DATA_READ;
		r->exp_len = 96;
	} else if (pick < 88) {
		r->cdb[0] = REPORT_LUNS;
		scst_put_be32(&r->cdb[6], 256);
		r->cdb_len = 12;
		r->exp_dir = SCST_DATA_READ;
		r->exp_len = 256;
	} else if (pick < 90) {
		r->cdb[0] = REQUEST_SENSE;
		r->cdb[4] = 18;
		r->cdb_len = 6;
		r->exp_dir = SCST_DATA_READ;
		r->exp_len = 18;
	} else if (pick < 93) {
		r->cdb[0] = 0xff; /* no such opcode */
		r->cdb_len = 6;
	} else if (pick < 95) {
		r->cdb[0] = TEST_UNIT_READY; /* unmapped LUN */
		r->cdb_len = 6;
		r->lun = 7;
	} else {
		r->cdb[0] = SYNCHRONIZE_CACHE;
		r->cdb_len = 10;
	}
}

static int reopen_session(struct stress_thread *t)
{
	char name[64];
	int rc;

	pthread_mutex_lock(&t->sess_lock);
	/* Commands still in flight are lost with the nexus. */
	scst_local_sess_close(t->sess);
	snprintf(name, sizeof(name), "iqn.2026-11.test:ini%u", t->idx);
	t->sess_flags ^= SCST_LOCAL_F_ASYNC;
	rc = scst_local_sess_open(tgt, name, t->sess_flags, &t->sess);
	pthread_mutex_unlock(&t->sess_lock);
	scst_atomic64_add(&cnt.reopens, 1);
	return rc;
}

static void *submitter(void *arg)
{
	struct stress_thread *t = arg;
	unsigned long since_reopen = 0;
	struct stress_req *q;
	int64_t tag;

	for (;;) {
		if (scst_os_now_ns() > deadline_ns)
			break;
		tag = scst_atomic64_add_return(&next_tag, 1) - 1;
		if ((uint64_t)tag >= cfg.commands)
			break;
		pthread_mutex_lock(&t->lock);
		while (t->nfree == 0)
			pthread_cond_wait(&t->cv, &t->lock);
		q = t->free[--t->nfree];
		pthread_mutex_unlock(&t->lock);

		fill_cdb(q, &t->rnd);
		q->r.tag = (uint64_t)tag;
		q->r.done = req_done;
		scst_atomic64_set(&t->last_tag, tag);
		pthread_mutex_lock(&t->sess_lock);
		if (scst_local_submit(t->sess, &q->r)) {
			pthread_mutex_unlock(&t->sess_lock);
			fprintf(stderr, "stress: submit failed\n");
			exit(2);
		}
		pthread_mutex_unlock(&t->sess_lock);
		scst_atomic64_add(&submitted, 1);
		if (++since_reopen >= REOPEN_EVERY) {
			since_reopen = 0;
			if (reopen_session(t)) {
				fprintf(stderr, "stress: reopen failed\n");
				exit(2);
			}
		}
	}
	/* Wait for this thread's window to drain. */
	pthread_mutex_lock(&t->lock);
	while (t->nfree < cfg.depth)
		pthread_cond_wait(&t->cv, &t->lock);
	pthread_mutex_unlock(&t->lock);
	return NULL;
}

/* ------------------------------------------------------------ chaos ---- */

static void tmf_done(struct scst_local_tmf *tmf)
{
	scst_atomic64_add(&cnt.tmf_done, 1);
	scst_atomic64_add(&cnt.tmf_aborted_cmds, tmf->aborted);
	free(tmf);
}

static void *chaos(void *arg)
{
	static const enum scst_tmf fns[] = {
	    SCST_ABORT_TASK,	 SCST_ABORT_TASK,      SCST_ABORT_TASK,
	    SCST_ABORT_TASK_SET, SCST_CLEAR_TASK_SET,  SCST_LUN_RESET,
	    SCST_TARGET_RESET,	 SCST_NEXUS_LOSS_SESS, SCST_QUERY_TASK,
	    SCST_QUERY_TASK_SET,
	};
	unsigned int s = 0x9e3779b9u, flags = 0;

	(void)arg;
	while (!__atomic_load_n(&stop_chaos, __ATOMIC_ACQUIRE)) {
		struct stress_thread *t = &threads[rnd(&s) % cfg.threads];
		struct scst_local_tmf *tmf = calloc(1, sizeof(*tmf));
		unsigned int pick = rnd(&s) % 100;
		enum scst_tmf fn;

		if (!tmf)
			break;
		tmf->fn = fns[rnd(&s) % (sizeof(fns) / sizeof(fns[0]))];
		tmf->lun = rnd(&s) % NDEVS;
		tmf->tag =
		    (uint64_t)scst_atomic64_read(&t->last_tag) - rnd(&s) % 16;
		tmf->done = tmf_done;
		fn = tmf->fn; /* @tmf may be answered and freed at once */
		scst_atomic64_add(&cnt.tmf_sent[fn], 1);
		pthread_mutex_lock(&t->sess_lock);
		if (scst_local_tmf_submit(t->sess, tmf)) {
			scst_atomic64_add(&cnt.tmf_sent[fn], -1);
			free(tmf);
		}
		pthread_mutex_unlock(&t->sess_lock);
		if (pick < 10) {
			flags = rnd(&s) % 2 ? SCST_NULL_F_ASYNC : 0;
			scst_null_set_flags(devs[rnd(&s) % NDEVS], flags);
		}
		/* A TMF every 50-550 us: thousands over a run. */
		{
			struct timespec ts = {0,
					      50000 + (long)(rnd(&s) % 500000)};

			nanosleep(&ts, NULL);
		}
	}
	return NULL;
}

/* ------------------------------------------------------------- main ---- */

static void usage(void)
{
	fprintf(stderr, "usage: stress [--commands N] [--threads T] "
			"[--seconds S] [--depth D]\n");
	exit(2);
}

static void parse_args(int argc, char **argv)
{
	static const struct option opts[] = {
	    {"commands", required_argument, NULL, 'n'},
	    {"threads", required_argument, NULL, 't'},
	    {"seconds", required_argument, NULL, 's'},
	    {"depth", required_argument, NULL, 'd'},
	    {0},
	};
	int c;

	while ((c = getopt_long(argc, argv, "n:t:s:d:", opts, NULL)) != -1) {
		switch (c) {
		case 'n':
			cfg.commands = strtoul(optarg, NULL, 0);
			break;
		case 't':
			cfg.threads = (unsigned int)atoi(optarg);
			break;
		case 's':
			cfg.seconds = (unsigned int)atoi(optarg);
			break;
		case 'd':
			cfg.depth = (unsigned int)atoi(optarg);
			break;
		default:
			usage();
		}
	}
	if (!cfg.commands || !cfg.threads || cfg.threads > MAX_THREADS ||
	    !cfg.depth || !cfg.seconds)
		usage();
}

static int setup(void)
{
	struct scst_core_params p = {0};
	struct scst_null_params np = {.block_size = 512, .nblocks = DEV_BLOCKS};
	char name[64];
	unsigned int i, j;

	if (scst_core_init(&p) || scst_modules_init(mods, 2))
		return -1;
	if (scst_local_add_target("iqn.2026-11.test:stress", &tgt))
		return -1;
	for (i = 0; i < NDEVS; i++) {
		snprintf(name, sizeof(name), "null%u", i);
		np.flags = i ? SCST_NULL_F_ASYNC : 0;
		if (scst_null_add(name, &np, &devs[i]))
			return -1;
		/* TAS=1 on the second device: other nexuses see TASK ABORTED.
		 */
		scst_dev_set_tas(devs[i], i == 1);
		if (scst_acg_add_lun(scst_tgt_default_acg(tgt), devs[i], i,
				     false))
			return -1;
	}
	for (i = 0; i < cfg.threads; i++) {
		struct stress_thread *t = &threads[i];

		t->idx = i;
		t->rnd = 0x12345u + i * 7919u;
		t->sess_flags = i % 2 ? SCST_LOCAL_F_ASYNC : 0;
		pthread_mutex_init(&t->lock, NULL);
		pthread_mutex_init(&t->sess_lock, NULL);
		pthread_cond_init(&t->cv, NULL);
		t->free = calloc(cfg.depth, sizeof(*t->free));
		if (!t->free)
			return -1;
		for (j = 0; j < cfg.depth; j++) {
			t->free[j] = calloc(1, sizeof(struct stress_req));
			if (!t->free[j])
				return -1;
			t->free[j]->t = t;
		}
		t->nfree = cfg.depth;
		snprintf(name, sizeof(name), "iqn.2026-11.test:ini%u", i);
		if (scst_local_sess_open(tgt, name, t->sess_flags, &t->sess))
			return -1;
	}
	return 0;
}

static void teardown(void)
{
	unsigned int i, j;

	for (i = 0; i < cfg.threads; i++) {
		struct stress_thread *t = &threads[i];

		scst_local_sess_close(t->sess);
		for (j = 0; j < cfg.depth; j++)
			free(t->free[j]);
		free(t->free);
		pthread_cond_destroy(&t->cv);
		pthread_mutex_destroy(&t->lock);
		pthread_mutex_destroy(&t->sess_lock);
	}
	scst_local_del_target(tgt);
	for (i = 0; i < NDEVS; i++)
		scst_null_del(devs[i]);
	scst_modules_exit(mods, 2);
	scst_core_exit();
}

int main(int argc, char **argv)
{
	struct scst_os_mem_stats before, after;
	unsigned long once = 0, dup = 0, missing = 0, n, i;
	uint64_t t0, t1;
	pthread_t chaos_pt;
	int64_t tmf_sent = 0;
	bool ok;

	parse_args(argc, argv);
	scst_log_set_level(SCST_LOG_WARN);
	completions = calloc(cfg.commands, 1);
	if (!completions)
		return 2;
	scst_os_mem_stats(&before);
	if (setup()) {
		fprintf(stderr, "stress: setup failed\n");
		return 2;
	}
	t0 = scst_os_now_ns();
	deadline_ns = t0 + (uint64_t)cfg.seconds * 1000000000ull;
	pthread_create(&chaos_pt, NULL, chaos, NULL);
	for (i = 0; i < cfg.threads; i++)
		pthread_create(&threads[i].pt, NULL, submitter, &threads[i]);
	for (i = 0; i < cfg.threads; i++)
		pthread_join(threads[i].pt, NULL);
	__atomic_store_n(&stop_chaos, 1, __ATOMIC_RELEASE);
	pthread_join(chaos_pt, NULL);
	t1 = scst_os_now_ns();
	/* Sessions close here: the TMFs still queued answer before that. */
	teardown();
	scst_os_mem_stats(&after);

	n = (unsigned long)scst_atomic64_read(&submitted);
	for (i = 0; i < n; i++) {
		if (completions[i] == 1)
			once++;
		else if (completions[i] == 0)
			missing++;
		else
			dup++;
	}
	for (i = 0; i < SCST_TMF_COUNT; i++)
		tmf_sent += scst_atomic64_read(&cnt.tmf_sent[i]);

	printf("stress: %lu commands submitted in %.1f s (%.0f commands/s) "
	       "by %u threads, depth %u\n",
	       n, (double)(t1 - t0) / 1e9, n / ((double)(t1 - t0) / 1e9),
	       cfg.threads, cfg.depth);
	printf("stress: completed exactly once: %lu, missing: %lu, "
	       "completed twice or more: %lu\n",
	       once, missing, dup);
	printf("stress: outcomes: good %lld, check condition %lld, "
	       "task aborted %lld, busy %lld, other %lld, "
	       "no response (aborted) %lld\n",
	       (long long)scst_atomic64_read(&cnt.good),
	       (long long)scst_atomic64_read(&cnt.check_condition),
	       (long long)scst_atomic64_read(&cnt.task_aborted),
	       (long long)scst_atomic64_read(&cnt.busy),
	       (long long)scst_atomic64_read(&cnt.other_status),
	       (long long)scst_atomic64_read(&cnt.no_response));
	printf(
	    "stress: TMFs sent %lld, answered %lld (abort task %lld, "
	    "abort task set %lld, clear task set %lld, LUN reset %lld, "
	    "target reset %lld, I_T nexus reset %lld, query %lld), "
	    "commands aborted by them %lld; sessions closed under load "
	    "%lld\n",
	    (long long)tmf_sent, (long long)scst_atomic64_read(&cnt.tmf_done),
	    (long long)scst_atomic64_read(&cnt.tmf_sent[SCST_ABORT_TASK]),
	    (long long)scst_atomic64_read(&cnt.tmf_sent[SCST_ABORT_TASK_SET]),
	    (long long)scst_atomic64_read(&cnt.tmf_sent[SCST_CLEAR_TASK_SET]),
	    (long long)scst_atomic64_read(&cnt.tmf_sent[SCST_LUN_RESET]),
	    (long long)scst_atomic64_read(&cnt.tmf_sent[SCST_TARGET_RESET]),
	    (long long)scst_atomic64_read(&cnt.tmf_sent[SCST_NEXUS_LOSS_SESS]),
	    (long long)(scst_atomic64_read(&cnt.tmf_sent[SCST_QUERY_TASK]) +
			scst_atomic64_read(&cnt.tmf_sent[SCST_QUERY_TASK_SET])),
	    (long long)scst_atomic64_read(&cnt.tmf_aborted_cmds),
	    (long long)scst_atomic64_read(&cnt.reopens));
	printf("stress: memory: heap blocks %ld -> %ld, heap bytes %ld -> %ld, "
	       "cache objects %ld -> %ld\n",
	       before.heap_allocs, after.heap_allocs, before.heap_bytes,
	       after.heap_bytes, before.cache_objs, after.cache_objs);

	ok = once == n && !missing && !dup && n >= cfg.commands &&
	     scst_atomic64_read(&cnt.tmf_done) == tmf_sent &&
	     !scst_atomic64_read(&cnt.bad_read_len) &&
	     !scst_atomic64_read(&cnt.other_status) &&
	     after.heap_allocs == before.heap_allocs &&
	     after.heap_bytes == before.heap_bytes &&
	     after.cache_objs == before.cache_objs;
	if (n < cfg.commands)
		printf("stress: FAIL: only %lu of %lu commands fit in %u s\n",
		       n, cfg.commands, cfg.seconds);
	printf("stress: %s\n", ok ? "PASS" : "FAIL");
	free(completions);
	return ok ? 0 : 1;
}
