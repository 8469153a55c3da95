// SPDX-License-Identifier: GPL-2.0-only
/*
 * Unit tests of task management at the ends of sessions and devices
 * (scst/src/scst_tmf.c, scst_sess.c): the I_T nexus loss of a session closed
 * with commands held in execution, waiting in the task set or waiting for
 * their Data-Out; a session closed while a function waits for the command
 * it aborted; a device unregistered with commands in execution. Every
 * command must end exactly once, and the close must wait for them.
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

static bool data_held(struct treq *q)
{
	return !scst_list_empty(&q->r.held_entry__);
}

/* ----------------------------------------------------- session close ---- */

static void tmf_close_session_with_commands(struct kunit *test)
{
	struct tenv *e = test->priv;
	struct scst_local_sess *s = open_clear(test, "ini0");
	struct tclose c = {.s = s};
	struct scst_thread *th;
	struct treq *a, *b, *w;
	uint8_t cdb[10];

	a = rd(test, s, 0, SCST_CMD_QUEUE_SIMPLE, 1);
	WAIT_HELD(test, 0, 1);
	b = rd(test, s, 0, SCST_CMD_QUEUE_ORDERED, 2);
	cdb_rw10(cdb, WRITE_10, 0, 1);
	w = treq_new(test, 1, cdb, 10, SCST_CMD_QUEUE_SIMPLE, 3);
	w->r.hold_data = true;
	KUNIT_ASSERT_EQ(test, scst_local_submit(s, &w->r), 0);
	T_WAIT(test, data_held(w), "the WRITE to wait for its Data-Out");

	KUNIT_ASSERT_PTR_EQ(test, e->sess[0], s);
	e->sess[0] = NULL; /* closed here, not by the suite's exit */
	KUNIT_ASSERT_EQ(test, scst_thread_create(&th, tclose_fn, &c, "close"),
			0);
	WAIT_DONE(test, b);
	WAIT_DONE(test, w);
	settle();
	KUNIT_EXPECT_EQ(test, __atomic_load_n(&c.done, __ATOMIC_ACQUIRE), 0);
	KUNIT_EXPECT_EQ(test, treq_ndone(a), 0);
	KUNIT_EXPECT_EQ(test, scst_null_release(dev(test, 0), 1), 1);
	T_WAIT(test, __atomic_load_n(&c.done, __ATOMIC_ACQUIRE),
	       "the session to close");
	scst_thread_join(th);
	expect_aborted_once(test, a);
	expect_aborted_once(test, b);
	expect_aborted_once(test, w);
	KUNIT_EXPECT_TRUE(test, w->r.data_aborted);
}

static void tmf_close_session_with_tmf_pending(struct kunit *test)
{
	struct tenv *e = test->priv;
	struct scst_local_sess *s = open_clear(test, "ini0");
	struct tclose c = {.s = s};
	struct scst_thread *th;
	struct treq *a;
	struct ttmf *m;

	a = rd(test, s, 0, SCST_CMD_QUEUE_SIMPLE, 1);
	WAIT_HELD(test, 0, 1);
	m = ttmf_submit(test, s, SCST_ABORT_TASK, 0, 1);
	expect_pending(test, m);

	KUNIT_ASSERT_PTR_EQ(test, e->sess[0], s);
	e->sess[0] = NULL;
	KUNIT_ASSERT_EQ(test, scst_thread_create(&th, tclose_fn, &c, "close"),
			0);
	settle();
	KUNIT_EXPECT_EQ(test, __atomic_load_n(&c.done, __ATOMIC_ACQUIRE), 0);
	KUNIT_EXPECT_EQ(test, ttmf_ndone(m), 0);
	KUNIT_EXPECT_EQ(test, scst_null_release(dev(test, 0), 1), 1);
	T_WAIT(test, __atomic_load_n(&c.done, __ATOMIC_ACQUIRE),
	       "the session to close");
	scst_thread_join(th);
	/* The function still answered, after the command and before the end. */
	expect_answer(test, m, SCST_MGMT_STATUS_SUCCESS, 1);
	expect_aborted_once(test, a);
	KUNIT_EXPECT_LT(test, a->order, m->order);
}

/* ----------------------------------------------------- device removal ---- */

static void tmf_device_removed(struct kunit *test)
{
	struct tenv *e = test->priv;
	struct scst_local_sess *s1 = open_clear(test, "ini1");
	struct scst_local_sess *s2 = open_clear(test, "ini2");
	struct treq *a, *b;

	a = rd(test, s1, 1, SCST_CMD_QUEUE_SIMPLE, 1);
	b = rd(test, s2, 1, SCST_CMD_QUEUE_ORDERED, 2);
	WAIT_HELD(test, 1, 2);
	/* Lets what it holds finish, unmaps, waits for the commands. */
	scst_null_del(e->dev[1]);
	e->dev[1] = NULL;
	expect_good_once(test, a);
	expect_good_once(test, b);
	KUNIT_EXPECT_EQ(test, t_tur(test, s1, 1),
			T_CC(ILLEGAL_REQUEST, 0x25, 0x00));
	KUNIT_EXPECT_EQ(test, t_tur(test, s1, 0), T_UA(0x3f, 0x0e));
	KUNIT_EXPECT_EQ(test, t_tur(test, s2, 0), T_UA(0x3f, 0x0e));
	KUNIT_EXPECT_EQ(test, t_tur(test, s2, 1),
			T_CC(ILLEGAL_REQUEST, 0x25, 0x00));
}

/* -------------------------------------------------------------- suite ---- */

static struct kunit_case scst_tmf_session_test_cases[] = {
    KUNIT_CASE(tmf_close_session_with_commands),
    KUNIT_CASE(tmf_close_session_with_tmf_pending),
    KUNIT_CASE(tmf_device_removed),
    {}};

static struct kunit_suite scst_tmf_session_test_suite = {
    .name = "scst_tmf_session",
    .init = tmf_init,
    .exit = tenv_down,
    .test_cases = scst_tmf_session_test_cases,
};

kunit_test_suite(scst_tmf_session_test_suite);
