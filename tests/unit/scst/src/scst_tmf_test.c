// SPDX-License-Identifier: GPL-2.0-only
/*
 * Unit tests of task management (scst/src/scst_tmf.c), part one: ABORT
 * TASK, ABORT TASK SET, CLEAR TASK SET, QUERY TASK, QUERY TASK SET, CLEAR ACA
 * and functions for LUNs with no device; scst_tmf_reset_test.c has the
 * resets. Commands are held in execution by the null disk
 * (SCST_NULL_F_HOLD), wait in the task set, or wait for their Data-Out.
 * Aborted commands must end exactly once and without a response, and a
 * function must answer only after the commands it aborted.
 */
#include <errno.h>
#include <string.h>

#include <kunit/test.h>

#include "scst/byteorder.h"
#include "scst/os.h"
#include "scst/scst.h"
#include "../../../../dev_handlers/scst_null.h"
#include "../../../../scst_local/scst_local.h"

/* ------------------------------------------------------ environment ---- */

#define T_WAIT_MS 5000
#define T_NDEV	  3
#define T_NSESS	  4

struct tenv {
	struct scst_os_mem_stats before;
	enum scst_log_level old_level;
	bool core_up, mods_up;
	struct scst_tgt *tgt;
	struct scst_device *dev[T_NDEV];
	struct scst_local_sess *sess[T_NSESS];
	int seq; /* completion order of the requests, see treq_done() */
};

static const struct scst_module *const t_mods[] = {&scst_local_module,
						   &scst_null_module};

/* Poll @cond every millisecond for up to 5 s; fail the case on timeout. */
#define T_WAIT(test, cond, what)                                               \
	do {                                                                   \
		unsigned int t_ms__;                                           \
		for (t_ms__ = 0; !(cond) && t_ms__ < T_WAIT_MS; t_ms__++)      \
			scst_os_msleep(1);                                     \
		KUNIT_ASSERT_TRUE_MSG(                                         \
		    test, (cond), "timed out after 5 s waiting for %s", what); \
	} while (0)

static void tenv_release_all(struct tenv *e)
{
	unsigned int i;

	for (i = 0; i < T_NDEV; i++)
		if (e->dev[i])
			scst_null_release(e->dev[i], ~0u);
}

struct tclose {
	struct scst_local_sess *s;
	int done;
};

static int tclose_fn(void *arg)
{
	struct tclose *c = arg;

	scst_local_sess_close(c->s);
	__atomic_store_n(&c->done, 1, __ATOMIC_RELEASE);
	return 0;
}

/* Close session @i, completing whatever the null devices still hold. */
static void tenv_close(struct kunit *test, struct tenv *e, unsigned int i)
{
	struct tclose c = {.s = e->sess[i]};
	struct scst_thread *th;
	unsigned int ms = 0;

	e->sess[i] = NULL;
	if (!c.s)
		return;
	if (scst_thread_create(&th, tclose_fn, &c, "t_close")) {
		tenv_release_all(e);
		scst_local_sess_close(c.s);
		return;
	}
	while (!__atomic_load_n(&c.done, __ATOMIC_ACQUIRE)) {
		tenv_release_all(e);
		scst_os_msleep(1);
		if (++ms == T_WAIT_MS)
			KUNIT_FAIL(test, "session %u does not close", i);
	}
	scst_thread_join(th);
}

static void tenv_down(struct kunit *test)
{
	struct tenv *e = test->priv;
	struct scst_os_mem_stats mid, after;
	unsigned int i;

	for (i = 0; i < T_NDEV; i++)
		if (e->dev[i])
			scst_null_set_flags(e->dev[i], 0);
	for (i = 0; i < T_NSESS; i++)
		tenv_close(test, e, i);
	if (e->tgt)
		scst_local_del_target(e->tgt);
	e->tgt = NULL;
	for (i = 0; i < T_NDEV; i++) {
		if (e->dev[i])
			scst_null_del(e->dev[i]);
		e->dev[i] = NULL;
	}
	if (e->mods_up)
		scst_modules_exit(t_mods, 2);
	e->mods_up = false;
	if (e->core_up) {
		scst_os_mem_stats(&mid);
		KUNIT_EXPECT_EQ_MSG(test, mid.cache_objs, e->before.cache_objs,
				    "cache objects leaked by the engine");
		scst_core_exit();
	}
	e->core_up = false;
	scst_os_mem_stats(&after);
	KUNIT_EXPECT_EQ_MSG(test, after.heap_allocs, e->before.heap_allocs,
			    "heap blocks not given back");
	KUNIT_EXPECT_EQ_MSG(test, after.cache_objs, e->before.cache_objs,
			    "cache objects not given back");
	scst_log_set_level(e->old_level);
}

/* Core, modules, target "tgt0" and @ndev null disks of 2048 blocks. */
static int tenv_up(struct kunit *test, unsigned int ndev, unsigned int flags)
{
	struct scst_core_params p = {.threads = 2};
	struct scst_null_params np = {
	    .block_size = 512, .nblocks = 2048, .flags = flags};
	char name[16];
	struct tenv *e;
	unsigned int i;
	int rc;

	e = kunit_kzalloc(test, sizeof(*e), GFP_KERNEL);
	if (!e)
		return -ENOMEM;
	test->priv = e;
	e->old_level = scst_log_get_level();
	scst_log_set_level(SCST_LOG_WARN);
	scst_os_mem_stats(&e->before);
	rc = scst_core_init(&p);
	if (rc)
		goto fail;
	e->core_up = true;
	rc = scst_modules_init(t_mods, 2);
	if (rc)
		goto fail;
	e->mods_up = true;
	for (i = 0; i < ndev && i < T_NDEV; i++) {
		scst_snprintf(name, sizeof(name), "null%u", i);
		rc = scst_null_add(name, &np, &e->dev[i]);
		if (rc)
			goto fail;
	}
	rc = scst_local_add_target("tgt0", &e->tgt);
	if (rc)
		goto fail;
	return 0;
fail:
	tenv_down(test);
	return rc;
}

/* Open a session of @initiator; the suite's exit closes it. */
#define tenv_open(test, initiator) tenv_open_flags(test, initiator, 0)
static struct scst_local_sess *
tenv_open_flags(struct kunit *test, const char *initiator, unsigned int flags)
{
	struct tenv *e = test->priv;
	unsigned int i;

	for (i = 0; i < T_NSESS && e->sess[i]; i++)
		;
	KUNIT_ASSERT_LT(test, i, T_NSESS);
	KUNIT_ASSERT_EQ(
	    test, scst_local_sess_open(e->tgt, initiator, flags, &e->sess[i]),
	    0);
	return e->sess[i];
}

/* --------------------------------------------------------- requests ---- */

/* An asynchronous request; lives until the case's memory is freed. */
struct treq {
	struct scst_local_req r;
	struct tenv *e;
	int ndone;
	int order;
	uint8_t buf[4096];
};

static void treq_done(struct scst_local_req *r)
{
	struct treq *q = r->priv;

	q->order = __atomic_add_fetch(&q->e->seq, 1, __ATOMIC_SEQ_CST);
	__atomic_add_fetch(&q->ndone, 1, __ATOMIC_SEQ_CST);
}

static int treq_ndone(struct treq *q)
{
	return __atomic_load_n(&q->ndone, __ATOMIC_ACQUIRE);
}

static struct treq *treq_new(struct kunit *test, uint64_t lun,
			     const uint8_t *cdb, unsigned int cdb_len,
			     enum scst_cmd_queue_type qt, uint64_t tag)
{
	struct treq *q = kunit_kzalloc(test, sizeof(*q), GFP_KERNEL);

	KUNIT_ASSERT_NOT_NULL(test, q);
	q->e = test->priv;
	q->r.lun = lun;
	memcpy(q->r.cdb, cdb, cdb_len);
	q->r.cdb_len = cdb_len;
	q->r.queue_type = qt;
	q->r.tag = tag;
	q->r.data_in = q->buf;
	q->r.data_in_size = sizeof(q->buf);
	q->r.done = treq_done;
	q->r.priv = q;
	return q;
}

static struct treq *treq_submit(struct kunit *test, struct scst_local_sess *s,
				uint64_t lun, const uint8_t *cdb,
				unsigned int cdb_len,
				enum scst_cmd_queue_type qt, uint64_t tag)
{
	struct treq *q = treq_new(test, lun, cdb, cdb_len, qt, tag);

	KUNIT_ASSERT_EQ(test, scst_local_submit(s, &q->r), 0);
	return q;
}

/* ------------------------------------------------------------ results ---- */

/* status << 24 | key << 16 | ASC << 8 | ASCQ, sense of either format. */
#define T_GOOD	      0u
#define T_CC(k, a, q) (0x02000000u | ((k) << 16) | ((a) << 8) | (q))
#define T_UA(a, q)    T_CC(UNIT_ATTENTION, a, q)

static uint32_t t_result(const struct scst_local_req *r)
{
	const uint8_t *s = r->sense;
	uint32_t v = (uint32_t)r->status << 24;

	if (r->sense_len >= 14 && (s[0] & 0x7e) == 0x70)
		v |= (s[2] & 0xfu) << 16 | s[12] << 8 | s[13];
	else if (r->sense_len >= 8 && (s[0] & 0x7e) == 0x72)
		v |= (s[1] & 0xfu) << 16 | s[2] << 8 | s[3];
	return v;
}

/* Run one command to completion; returns t_result(). */
static uint32_t t_exec(struct kunit *test, struct scst_local_sess *s,
		       uint64_t lun, const uint8_t *cdb, unsigned int cdb_len,
		       struct scst_local_req *r, void *buf, uint32_t size)
{
	memset(r, 0, sizeof(*r));
	r->lun = lun;
	memcpy(r->cdb, cdb, cdb_len);
	r->cdb_len = cdb_len;
	r->data_in = buf;
	r->data_in_size = size;
	KUNIT_ASSERT_EQ(test, scst_local_exec(s, r), 0);
	KUNIT_EXPECT_FALSE(test, r->no_response);
	return t_result(r);
}

static const uint8_t cdb_tur[6] = {TEST_UNIT_READY};

static uint32_t t_tur(struct kunit *test, struct scst_local_sess *s,
		      uint64_t lun)
{
	struct scst_local_req r;

	return t_exec(test, s, lun, cdb_tur, 6, &r, NULL, 0);
}

/* Consume the unit attentions of a nexus until TEST UNIT READY is GOOD. */
static void t_clear_ua(struct kunit *test, struct scst_local_sess *s,
		       uint64_t lun)
{
	unsigned int i;

	for (i = 0; i < 20; i++)
		if (t_tur(test, s, lun) == T_GOOD)
			return;
	KUNIT_FAIL(test, "LUN %llu keeps reporting unit attentions",
		   (unsigned long long)lun);
}

static void cdb_rw10(uint8_t *cdb, uint8_t op, uint32_t lba, uint16_t n)
{
	memset(cdb, 0, 10);
	cdb[0] = op;
	scst_put_be32(cdb + 2, lba);
	scst_put_be16(cdb + 7, n);
}

/* A task management function answered asynchronously. */
struct ttmf {
	struct scst_local_tmf t;
	struct tenv *e;
	int ndone;
	int order;
};

static void ttmf_done(struct scst_local_tmf *t)
{
	struct ttmf *m = t->priv;

	m->order = __atomic_add_fetch(&m->e->seq, 1, __ATOMIC_SEQ_CST);
	__atomic_add_fetch(&m->ndone, 1, __ATOMIC_SEQ_CST);
}

static int ttmf_ndone(struct ttmf *m)
{
	return __atomic_load_n(&m->ndone, __ATOMIC_ACQUIRE);
}

static struct ttmf *ttmf_submit(struct kunit *test, struct scst_local_sess *s,
				enum scst_tmf fn, uint64_t lun, uint64_t tag)
{
	struct ttmf *m = kunit_kzalloc(test, sizeof(*m), GFP_KERNEL);

	KUNIT_ASSERT_NOT_NULL(test, m);
	m->e = test->priv;
	m->t.fn = fn;
	m->t.lun = lun;
	m->t.tag = tag;
	m->t.done = ttmf_done;
	m->t.priv = m;
	KUNIT_ASSERT_EQ(test, scst_local_tmf_submit(s, &m->t), 0);
	return m;
}

/* ------------------------------------------------------------ helpers ---- */

static struct scst_device *dev(struct kunit *test, unsigned int i)
{
	return ((struct tenv *)test->priv)->dev[i];
}

static struct treq *rd(struct kunit *test, struct scst_local_sess *s,
		       uint64_t lun, enum scst_cmd_queue_type qt, uint64_t tag)
{
	uint8_t cdb[10];

	cdb_rw10(cdb, READ_10, (uint32_t)tag, 1);
	return treq_submit(test, s, lun, cdb, 10, qt, tag);
}

#define WAIT_HELD(test, d, n)                                                  \
	T_WAIT(test, scst_null_held(dev(test, d)) == (n),                      \
	       "null" #d " to hold " #n " commands")
#define WAIT_DONE(test, q) T_WAIT(test, treq_ndone(q) >= 1, "done() of " #q)
#define WAIT_TMF(test, m)  T_WAIT(test, ttmf_ndone(m) >= 1, "answer of " #m)

static void settle(void)
{
	scst_os_msleep(50);
}

static void expect_good_once(struct kunit *test, struct treq *q)
{
	KUNIT_EXPECT_EQ(test, treq_ndone(q), 1);
	KUNIT_EXPECT_FALSE(test, q->r.no_response);
	KUNIT_EXPECT_EQ(test, t_result(&q->r), T_GOOD);
}

static void expect_aborted_once(struct kunit *test, struct treq *q)
{
	KUNIT_EXPECT_EQ_MSG(test, treq_ndone(q), 1, "tag %llu",
			    (unsigned long long)q->r.tag);
	KUNIT_EXPECT_TRUE_MSG(test, q->r.no_response, "tag %llu",
			      (unsigned long long)q->r.tag);
}

/* Held in execution and not answered, after a while. */
static void expect_pending(struct kunit *test, struct ttmf *m)
{
	settle();
	KUNIT_EXPECT_EQ_MSG(test, ttmf_ndone(m), 0,
			    "fn %d answered before its aborted commands ended",
			    m->t.fn);
}

static void expect_answer(struct kunit *test, struct ttmf *m,
			  enum scst_mgmt_status st, unsigned int aborted)
{
	WAIT_TMF(test, m);
	settle();
	KUNIT_EXPECT_EQ(test, ttmf_ndone(m), 1);
	KUNIT_EXPECT_EQ(test, m->t.status, st);
	KUNIT_EXPECT_EQ(test, m->t.aborted, aborted);
}

static struct scst_local_sess *open_clear(struct kunit *test, const char *ini)
{
	struct scst_local_sess *s = tenv_open(test, ini);

	t_clear_ua(test, s, 0);
	t_clear_ua(test, s, 1);
	return s;
}

/* -------------------------------------------------------------- suite ---- */

/* Two null disks holding media commands, at LUNs 0 and 1. */
static int tmf_init(struct kunit *test)
{
	struct tenv *e;
	int rc = tenv_up(test, 2, SCST_NULL_F_HOLD);

	if (rc)
		return rc;
	e = test->priv;
	rc =
	    scst_acg_add_lun(scst_tgt_default_acg(e->tgt), e->dev[0], 0, false);
	if (!rc)
		rc = scst_acg_add_lun(scst_tgt_default_acg(e->tgt), e->dev[1],
				      1, false);
	if (rc)
		tenv_down(test);
	return rc;
}

/* ------------------------------------------------------- ABORT TASK ---- */

static void tmf_abort_task_held(struct kunit *test)
{
	struct scst_local_sess *s = open_clear(test, "ini0");
	struct treq *a, *b;
	struct ttmf *m;

	a = rd(test, s, 0, SCST_CMD_QUEUE_SIMPLE, 10);
	b = rd(test, s, 0, SCST_CMD_QUEUE_SIMPLE, 11);
	WAIT_HELD(test, 0, 2);
	m = ttmf_submit(test, s, SCST_ABORT_TASK, 0, 10);
	expect_pending(test, m);
	KUNIT_EXPECT_EQ(test, treq_ndone(a), 0);

	KUNIT_EXPECT_EQ(test, scst_null_release(dev(test, 0), 2), 2);
	expect_answer(test, m, SCST_MGMT_STATUS_SUCCESS, 1);
	WAIT_DONE(test, b);
	expect_aborted_once(test, a);
	expect_good_once(test, b);
	KUNIT_EXPECT_LT(test, a->order, m->order);
	/* Aborting raises no unit attention. */
	KUNIT_EXPECT_EQ(test, t_tur(test, s, 0), T_GOOD);
}

static void tmf_abort_task_twice(struct kunit *test)
{
	struct scst_local_sess *s = open_clear(test, "ini0");
	struct ttmf *m1, *m2;
	struct treq *a;

	a = rd(test, s, 0, SCST_CMD_QUEUE_SIMPLE, 10);
	WAIT_HELD(test, 0, 1);
	m1 = ttmf_submit(test, s, SCST_ABORT_TASK, 0, 10);
	m2 = ttmf_submit(test, s, SCST_ABORT_TASK, 0, 10);
	expect_pending(test, m1);
	KUNIT_EXPECT_EQ(test, ttmf_ndone(m2), 0);
	KUNIT_EXPECT_EQ(test, scst_null_release(dev(test, 0), 1), 1);
	expect_answer(test, m1, SCST_MGMT_STATUS_SUCCESS, 1);
	WAIT_TMF(test, m2);
	KUNIT_EXPECT_EQ(test, m2->t.status, SCST_MGMT_STATUS_SUCCESS);
	expect_aborted_once(test, a);
	KUNIT_EXPECT_LT(test, a->order, m1->order);
	KUNIT_EXPECT_LT(test, a->order, m2->order);
}

static void tmf_abort_task_unknown(struct kunit *test)
{
	struct scst_local_sess *s = open_clear(test, "ini0");
	struct treq *a;
	struct ttmf *m;

	a = rd(test, s, 0, SCST_CMD_QUEUE_SIMPLE, 10);
	WAIT_HELD(test, 0, 1);
	m = ttmf_submit(test, s, SCST_ABORT_TASK, 0, 99);
	expect_answer(test, m, SCST_MGMT_STATUS_TASK_NOT_EXIST, 0);
	KUNIT_EXPECT_EQ(test, treq_ndone(a), 0);
	KUNIT_EXPECT_EQ(test, scst_null_release(dev(test, 0), 1), 1);
	WAIT_DONE(test, a);
	expect_good_once(test, a);
	/* A finished command is not there to abort any more. */
	m = ttmf_submit(test, s, SCST_ABORT_TASK, 0, 10);
	expect_answer(test, m, SCST_MGMT_STATUS_TASK_NOT_EXIST, 0);
}

static bool data_held(struct treq *q)
{
	return !scst_list_empty(&q->r.held_entry__);
}

static void tmf_abort_task_waiting_for_data(struct kunit *test)
{
	struct scst_local_sess *s = open_clear(test, "ini0");
	uint64_t base = scst_null_executed(dev(test, 0));
	uint8_t cdb[10];
	struct treq *w;
	struct ttmf *m;

	cdb_rw10(cdb, WRITE_10, 0, 8);
	w = treq_new(test, 0, cdb, 10, SCST_CMD_QUEUE_SIMPLE, 5);
	w->r.hold_data = true;
	KUNIT_ASSERT_EQ(test, scst_local_submit(s, &w->r), 0);
	T_WAIT(test, data_held(w), "the WRITE to wait for its Data-Out");
	m = ttmf_submit(test, s, SCST_ABORT_TASK, 0, 5);
	expect_answer(test, m, SCST_MGMT_STATUS_SUCCESS, 1);
	expect_aborted_once(test, w);
	KUNIT_EXPECT_TRUE(test, w->r.data_aborted);
	KUNIT_EXPECT_LT(test, w->order, m->order);
	KUNIT_EXPECT_EQ(test, scst_null_executed(dev(test, 0)), base);
	KUNIT_EXPECT_FALSE(test, scst_local_release_data(&w->r));
}

/* -------------------------------------------------------- task sets ---- */

static void tmf_abort_task_set(struct kunit *test)
{
	struct scst_local_sess *s1 = open_clear(test, "ini1");
	struct scst_local_sess *s2 = open_clear(test, "ini2");
	struct treq *a, *b, *c, *d;
	struct ttmf *m;

	a = rd(test, s1, 0, SCST_CMD_QUEUE_SIMPLE, 1);
	b = rd(test, s1, 1, SCST_CMD_QUEUE_SIMPLE, 2);
	c = rd(test, s2, 0, SCST_CMD_QUEUE_SIMPLE, 3);
	WAIT_HELD(test, 0, 2);
	WAIT_HELD(test, 1, 1);
	d = rd(test, s1, 0, SCST_CMD_QUEUE_ORDERED, 4); /* waits for a */
	m = ttmf_submit(test, s1, SCST_ABORT_TASK_SET, 0, 0);
	WAIT_DONE(test, d); /* out of the task set at once */
	expect_aborted_once(test, d);
	expect_pending(test, m);

	KUNIT_EXPECT_EQ(test, scst_null_release(dev(test, 0), 2), 2);
	KUNIT_EXPECT_EQ(test, scst_null_release(dev(test, 1), 1), 1);
	expect_answer(test, m, SCST_MGMT_STATUS_SUCCESS, 2);
	WAIT_DONE(test, b);
	WAIT_DONE(test, c);
	expect_aborted_once(test, a);
	expect_good_once(test, b);
	expect_good_once(test, c);
	KUNIT_EXPECT_LT(test, a->order, m->order);
	KUNIT_EXPECT_EQ(test, t_tur(test, s1, 0), T_GOOD);
	KUNIT_EXPECT_EQ(test, t_tur(test, s2, 0), T_GOOD);
}

static void tmf_clear_task_set(struct kunit *test)
{
	struct scst_local_sess *s1 = open_clear(test, "ini1");
	struct scst_local_sess *s2 = open_clear(test, "ini2");
	struct treq *a, *c;
	struct ttmf *m;

	/* TST=1: only the caller's task set. */
	a = rd(test, s1, 0, SCST_CMD_QUEUE_SIMPLE, 1);
	c = rd(test, s2, 0, SCST_CMD_QUEUE_SIMPLE, 3);
	WAIT_HELD(test, 0, 2);
	m = ttmf_submit(test, s1, SCST_CLEAR_TASK_SET, 0, 0);
	expect_pending(test, m);
	KUNIT_EXPECT_EQ(test, scst_null_release(dev(test, 0), 2), 2);
	expect_answer(test, m, SCST_MGMT_STATUS_SUCCESS, 1);
	WAIT_DONE(test, c);
	expect_aborted_once(test, a);
	expect_good_once(test, c);
	KUNIT_EXPECT_EQ(test, t_tur(test, s2, 0), T_GOOD);
}

/* ---------------------------------------------------------- queries ---- */

static enum scst_mgmt_status query(struct kunit *test,
				   struct scst_local_sess *s, enum scst_tmf fn,
				   uint64_t lun, uint64_t tag)
{
	struct ttmf *m = ttmf_submit(test, s, fn, lun, tag);

	WAIT_TMF(test, m);
	KUNIT_EXPECT_EQ(test, m->t.aborted, 0);
	return m->t.status;
}

static void tmf_query_task(struct kunit *test)
{
	struct scst_local_sess *s = open_clear(test, "ini0");
	struct treq *a, *c;

	a = rd(test, s, 0, SCST_CMD_QUEUE_SIMPLE, 10);
	WAIT_HELD(test, 0, 1);
	c = rd(test, s, 0, SCST_CMD_QUEUE_ORDERED, 12);
	KUNIT_EXPECT_EQ(test, query(test, s, SCST_QUERY_TASK, 0, 10),
			SCST_MGMT_STATUS_FN_SUCCEEDED);
	KUNIT_EXPECT_EQ(test, query(test, s, SCST_QUERY_TASK, 0, 12),
			SCST_MGMT_STATUS_FN_SUCCEEDED);
	KUNIT_EXPECT_EQ(test, query(test, s, SCST_QUERY_TASK, 0, 11),
			SCST_MGMT_STATUS_SUCCESS);
	KUNIT_EXPECT_EQ(test, query(test, s, SCST_QUERY_TASK_SET, 0, 0),
			SCST_MGMT_STATUS_FN_SUCCEEDED);
	KUNIT_EXPECT_EQ(test, query(test, s, SCST_QUERY_TASK_SET, 1, 0),
			SCST_MGMT_STATUS_SUCCESS);
	/* Queries abort nothing. */
	KUNIT_EXPECT_EQ(test, scst_null_release(dev(test, 0), 1), 1);
	WAIT_HELD(test, 0, 1);
	KUNIT_EXPECT_EQ(test, scst_null_release(dev(test, 0), 1), 1);
	WAIT_DONE(test, a);
	WAIT_DONE(test, c);
	expect_good_once(test, a);
	expect_good_once(test, c);
	KUNIT_EXPECT_EQ(test, query(test, s, SCST_QUERY_TASK, 0, 10),
			SCST_MGMT_STATUS_SUCCESS);
	KUNIT_EXPECT_EQ(test, query(test, s, SCST_QUERY_TASK_SET, 0, 0),
			SCST_MGMT_STATUS_SUCCESS);
}

static void tmf_unsupported_and_no_lun(struct kunit *test)
{
	static const enum scst_tmf lu_fns[] = {
	    SCST_ABORT_TASK_SET,
	    SCST_CLEAR_TASK_SET,
	    SCST_LUN_RESET,
	    SCST_QUERY_TASK_SET,
	};
	struct scst_local_sess *s = open_clear(test, "ini0");
	struct scst_local_tmf bad = {.fn = SCST_TMF_COUNT};
	unsigned int i;
	struct treq *a;

	a = rd(test, s, 0, SCST_CMD_QUEUE_SIMPLE, 1);
	WAIT_HELD(test, 0, 1);
	KUNIT_EXPECT_EQ(test, query(test, s, SCST_CLEAR_ACA, 0, 0),
			SCST_MGMT_STATUS_FN_NOT_SUPPORTED);
	for (i = 0; i < sizeof(lu_fns) / sizeof(lu_fns[0]); i++)
		KUNIT_EXPECT_EQ_MSG(test, query(test, s, lu_fns[i], 9, 0),
				    SCST_MGMT_STATUS_LUN_NOT_EXIST, "fn %d",
				    lu_fns[i]);
	KUNIT_EXPECT_EQ(test, scst_local_tmf_submit(s, &bad), -EINVAL);
	/* None of that touched the command in flight. */
	KUNIT_EXPECT_EQ(test, treq_ndone(a), 0);
	KUNIT_EXPECT_EQ(test, scst_null_release(dev(test, 0), 1), 1);
	WAIT_DONE(test, a);
	expect_good_once(test, a);
	KUNIT_EXPECT_EQ(test, t_tur(test, s, 0), T_GOOD);
}

/* -------------------------------------------------------------- suite ---- */

static struct kunit_case scst_tmf_test_cases[] = {
    KUNIT_CASE(tmf_abort_task_held),
    KUNIT_CASE(tmf_abort_task_twice),
    KUNIT_CASE(tmf_abort_task_unknown),
    KUNIT_CASE(tmf_abort_task_waiting_for_data),
    KUNIT_CASE(tmf_abort_task_set),
    KUNIT_CASE(tmf_clear_task_set),
    KUNIT_CASE(tmf_query_task),
    KUNIT_CASE(tmf_unsupported_and_no_lun),
    {}};

static struct kunit_suite scst_tmf_test_suite = {
    .name = "scst_tmf",
    .init = tmf_init,
    .exit = tenv_down,
    .test_cases = scst_tmf_test_cases,
};

kunit_test_suite(scst_tmf_test_suite);
