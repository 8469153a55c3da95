// SPDX-License-Identifier: GPL-2.0-only
/*
 * Unit tests of per-device serialization (scst/src/scst_serialize.c):
 * which commands may be in execution on a device at the same time whatever
 * nexus they come from, the LBA ranges of atomic commands, arrival order
 * among blocked commands, and aborting a blocked command. Each command
 * comes from its own session, so task attributes play no part; the null
 * disk holds media commands in execution (SCST_NULL_F_HOLD).
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

static struct scst_device *dev0(struct kunit *test)
{
	return ((struct tenv *)test->priv)->dev[0];
}

static struct treq *rw(struct kunit *test, struct scst_local_sess *s,
		       uint8_t op, uint32_t lba, uint16_t n, uint64_t tag)
{
	uint8_t cdb[10];

	cdb_rw10(cdb, op, lba, n);
	return treq_submit(test, s, 0, cdb, 10, SCST_CMD_QUEUE_SIMPLE, tag);
}

/* MODE SELECT(6) with no parameter data: must run alone on the device. */
static struct treq *excl(struct kunit *test, struct scst_local_sess *s,
			 uint64_t tag)
{
	static const uint8_t cdb[6] = {MODE_SELECT, 0x10};

	return treq_submit(test, s, 0, cdb, 6, SCST_CMD_QUEUE_SIMPLE, tag);
}

/* COMPARE AND WRITE of @n blocks at @lba: atomic over its range. */
static struct treq *caw(struct kunit *test, struct scst_local_sess *s,
			uint64_t lba, uint8_t n, uint64_t tag)
{
	uint8_t cdb[16] = {COMPARE_AND_WRITE};

	scst_put_be64(cdb + 2, lba);
	cdb[13] = n;
	return treq_submit(test, s, 0, cdb, 16, SCST_CMD_QUEUE_SIMPLE, tag);
}

#define WAIT_HELD(test, n)                                                     \
	T_WAIT(test, scst_null_held(dev0(test)) == (n),                        \
	       "commands held in execution to become " #n)
#define WAIT_DONE(test, q) T_WAIT(test, treq_ndone(q) >= 1, "done() of " #q)

static void settle(void)
{
	scst_os_msleep(50);
}

static struct scst_local_sess *open_clear(struct kunit *test, const char *ini)
{
	struct scst_local_sess *s = tenv_open(test, ini);

	t_clear_ua(test, s, 0);
	return s;
}

/* -------------------------------------------------------------- cases ---- */

static void ser_reads_and_writes_overlap_freely(struct kunit *test)
{
	struct scst_local_sess *s1 = open_clear(test, "ini1");
	struct scst_local_sess *s2 = open_clear(test, "ini2");
	struct scst_local_sess *s3 = open_clear(test, "ini3");
	struct treq *a, *b, *c;

	a = rw(test, s1, READ_10, 0, 8, 1);
	b = rw(test, s2, WRITE_10, 0, 8, 2);
	c = rw(test, s3, WRITE_10, 4, 1, 3);
	WAIT_HELD(test, 3);
	KUNIT_EXPECT_EQ(test, scst_null_release(dev0(test), 3), 3);
	WAIT_DONE(test, a);
	WAIT_DONE(test, b);
	WAIT_DONE(test, c);
	KUNIT_EXPECT_EQ(test, t_result(&a->r), T_GOOD);
	KUNIT_EXPECT_EQ(test, t_result(&b->r), T_GOOD);
	KUNIT_EXPECT_EQ(test, t_result(&c->r), T_GOOD);
}

static void ser_exclusive_waits_and_blocks(struct kunit *test)
{
	struct scst_local_sess *s1 = open_clear(test, "ini1");
	struct scst_local_sess *s2 = open_clear(test, "ini2");
	struct scst_local_sess *s3 = open_clear(test, "ini3");
	struct treq *a, *x, *b;
	uint64_t base;

	a = rw(test, s1, READ_10, 0, 1, 1);
	WAIT_HELD(test, 1);
	base = scst_null_executed(dev0(test));
	x = excl(test, s2, 2);
	settle();
	KUNIT_EXPECT_EQ(test, treq_ndone(x), 0);
	/* A younger READ does not overtake the blocked exclusive command. */
	b = rw(test, s3, READ_10, 1000, 1, 3);
	settle();
	KUNIT_EXPECT_EQ(test, scst_null_executed(dev0(test)), base);
	KUNIT_EXPECT_EQ(test, scst_null_held(dev0(test)), 1);

	KUNIT_EXPECT_EQ(test, scst_null_release(dev0(test), 1), 1);
	WAIT_DONE(test, a);
	WAIT_DONE(test, x);
	WAIT_HELD(test, 1);
	KUNIT_EXPECT_EQ(test, scst_null_executed(dev0(test)), base + 2);
	KUNIT_EXPECT_EQ(test, scst_null_release(dev0(test), 1), 1);
	WAIT_DONE(test, b);
	KUNIT_EXPECT_EQ(test, t_result(&a->r), T_GOOD);
	/* The null disk has no MODE SELECT: it reached the handler, though. */
	KUNIT_EXPECT_EQ(test, t_result(&x->r),
			T_CC(ILLEGAL_REQUEST, 0x20, 0x00));
	KUNIT_EXPECT_EQ(test, t_result(&b->r), T_GOOD);
	/* x ran after a left the device (not after a's response). */
	KUNIT_EXPECT_LT(test, x->order, b->order);
}

static void ser_atomic_ranges(struct kunit *test)
{
	struct scst_local_sess *s1 = open_clear(test, "ini1");
	struct scst_local_sess *s2 = open_clear(test, "ini2");
	struct scst_local_sess *s3 = open_clear(test, "ini3");
	struct treq *a, *c4, *c100, *r4, *r500;
	uint64_t base = scst_null_executed(dev0(test));

	a = rw(test, s1, READ_10, 0, 8, 1); /* LBAs 0-7 */
	WAIT_HELD(test, 1);
	c4 = caw(test, s2, 4, 1, 2);
	c100 = caw(test, s2, 100, 1, 3);
	/* Outside every range in use: passes at once. */
	WAIT_DONE(test, c100);
	settle();
	KUNIT_EXPECT_EQ(test, treq_ndone(c4), 0);
	/* Behind the blocked atomic command if it overlaps it, else not. */
	r4 = rw(test, s3, READ_10, 4, 1, 4);
	r500 = rw(test, s3, READ_10, 500, 1, 5);
	WAIT_HELD(test, 2); /* a and r500 */
	settle();
	KUNIT_EXPECT_EQ(test, scst_null_held(dev0(test)), 2);
	KUNIT_EXPECT_EQ(test, treq_ndone(c4) + treq_ndone(r4), 0);
	/* a, c100 and r500 reached the handler; c4 and r4 did not. */
	KUNIT_EXPECT_EQ(test, scst_null_executed(dev0(test)), base + 3);

	KUNIT_EXPECT_EQ(test, scst_null_release(dev0(test), 2), 2);
	WAIT_DONE(test, a);
	WAIT_DONE(test, r500);
	WAIT_DONE(test, c4);
	WAIT_HELD(test, 1);
	KUNIT_EXPECT_EQ(test, scst_null_release(dev0(test), 1), 1);
	WAIT_DONE(test, r4);
	KUNIT_EXPECT_LT(test, c4->order, r4->order);
	KUNIT_EXPECT_EQ(test, t_result(&r4->r), T_GOOD);
	KUNIT_EXPECT_EQ(test, t_result(&r500->r), T_GOOD);
}

/* Serialization is per device, whatever LUN a command came through. */
static void ser_same_device_two_luns(struct kunit *test)
{
	static const uint8_t msel[6] = {MODE_SELECT, 0x10};
	struct tenv *e = test->priv;
	struct scst_local_sess *s;
	struct treq *a, *x;

	KUNIT_ASSERT_EQ(
	    test,
	    scst_acg_add_lun(scst_tgt_default_acg(e->tgt), e->dev[0], 5, false),
	    0);
	s = open_clear(test, "ini1");
	t_clear_ua(test, s, 5);
	a = rw(test, s, READ_10, 0, 1, 1);
	WAIT_HELD(test, 1);
	x = treq_submit(test, s, 5, msel, 6, SCST_CMD_QUEUE_SIMPLE, 2);
	settle();
	KUNIT_EXPECT_EQ(test, treq_ndone(x), 0);
	KUNIT_EXPECT_EQ(test, scst_null_release(dev0(test), 1), 1);
	WAIT_DONE(test, a);
	WAIT_DONE(test, x);
	KUNIT_EXPECT_EQ(test, t_result(&a->r), T_GOOD);
	KUNIT_EXPECT_EQ(test, t_result(&x->r),
			T_CC(ILLEGAL_REQUEST, 0x20, 0x00));
}

static void ser_abort_blocked(struct kunit *test)
{
	struct scst_local_sess *s1 = open_clear(test, "ini1");
	struct scst_local_sess *s2 = open_clear(test, "ini2");
	struct scst_local_sess *s3 = open_clear(test, "ini3");
	struct treq *a, *x, *b;
	struct ttmf *m;

	a = rw(test, s1, READ_10, 0, 1, 1);
	WAIT_HELD(test, 1);
	x = excl(test, s2, 2);
	settle(); /* x reaches the device first */
	b = rw(test, s3, READ_10, 9, 1, 3);
	settle();
	KUNIT_EXPECT_EQ(test, scst_null_held(dev0(test)), 1);

	/* Out of the blocked list at once; what it held back may go. */
	m = ttmf_submit(test, s2, SCST_ABORT_TASK, 0, 2);
	T_WAIT(test, ttmf_ndone(m) == 1, "the ABORT TASK response");
	KUNIT_EXPECT_EQ(test, m->t.status, SCST_MGMT_STATUS_SUCCESS);
	KUNIT_EXPECT_EQ(test, m->t.aborted, 1);
	KUNIT_EXPECT_EQ(test, treq_ndone(x), 1);
	KUNIT_EXPECT_TRUE(test, x->r.no_response);
	WAIT_HELD(test, 2);
	KUNIT_EXPECT_EQ(test, scst_null_release(dev0(test), 2), 2);
	WAIT_DONE(test, a);
	WAIT_DONE(test, b);
	KUNIT_EXPECT_EQ(test, t_result(&a->r), T_GOOD);
	KUNIT_EXPECT_EQ(test, t_result(&b->r), T_GOOD);
	KUNIT_EXPECT_EQ(test, treq_ndone(x), 1);
}

static void ser_lun_reset_blocked(struct kunit *test)
{
	struct scst_local_sess *s1 = open_clear(test, "ini1");
	struct scst_local_sess *s2 = open_clear(test, "ini2");
	struct scst_local_sess *s3 = open_clear(test, "ini3");
	struct treq *a, *x;
	struct ttmf *m;

	a = rw(test, s1, READ_10, 0, 1, 1);
	WAIT_HELD(test, 1);
	x = excl(test, s2, 2);
	settle();
	m = ttmf_submit(test, s3, SCST_LUN_RESET, 0, 0);
	WAIT_DONE(test, x);
	KUNIT_EXPECT_TRUE(test, x->r.no_response);
	settle();
	KUNIT_EXPECT_EQ(test, ttmf_ndone(m), 0);
	KUNIT_EXPECT_EQ(test, scst_null_release(dev0(test), 1), 1);
	T_WAIT(test, ttmf_ndone(m) == 1, "the LUN RESET response");
	KUNIT_EXPECT_EQ(test, m->t.status, SCST_MGMT_STATUS_SUCCESS);
	KUNIT_EXPECT_EQ(test, m->t.aborted, 2);
	KUNIT_EXPECT_EQ(test, treq_ndone(a), 1);
	KUNIT_EXPECT_TRUE(test, a->r.no_response);
	KUNIT_EXPECT_LT(test, a->order, m->order);
	KUNIT_EXPECT_EQ(test, t_tur(test, s1, 0), T_UA(0x29, 0x03));
	KUNIT_EXPECT_EQ(test, t_tur(test, s2, 0), T_UA(0x29, 0x03));
	KUNIT_EXPECT_EQ(test, t_tur(test, s3, 0), T_UA(0x29, 0x03));
}

/* -------------------------------------------------------------- suite ---- */

static int ser_init(struct kunit *test)
{
	struct tenv *e;
	int rc = tenv_up(test, 1, SCST_NULL_F_HOLD);

	if (rc)
		return rc;
	e = test->priv;
	rc =
	    scst_acg_add_lun(scst_tgt_default_acg(e->tgt), e->dev[0], 0, false);
	if (rc)
		tenv_down(test);
	return rc;
}

static struct kunit_case scst_serialize_test_cases[] = {
    KUNIT_CASE(ser_reads_and_writes_overlap_freely),
    KUNIT_CASE(ser_exclusive_waits_and_blocks),
    KUNIT_CASE(ser_atomic_ranges),
    KUNIT_CASE(ser_same_device_two_luns),
    KUNIT_CASE(ser_abort_blocked),
    KUNIT_CASE(ser_lun_reset_blocked),
    {}};

static struct kunit_suite scst_serialize_test_suite = {
    .name = "scst_serialize",
    .init = ser_init,
    .exit = tenv_down,
    .test_cases = scst_serialize_test_cases,
};

kunit_test_suite(scst_serialize_test_suite);
