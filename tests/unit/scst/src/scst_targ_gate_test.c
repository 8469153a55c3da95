// SPDX-License-Identifier: GPL-2.0-only
/*
 * Unit tests of the hand-offs between the core, the transport and the
 * handler (the gate of scst/src/scst_targ.c and the execution contexts of
 * scst.h): answers that come from other threads, before or after the module
 * call returns, and SCST_CONTEXT_DIRECT used by a thread that is not a core
 * worker.
 */
#include <errno.h>
#include <pthread.h>
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

/* ---------------------------------------------------- asynchronous ---- */

/* Answers from other threads on both sides of the core. */
#define ASYNC_N 64

static void gate_async_handoffs(struct kunit *test)
{
	static const uint8_t inq[6] = {INQUIRY, 0, 0, 0, 36, 0};
	struct tenv *e = test->priv;
	struct scst_local_sess *s;
	struct treq *q[ASYNC_N];
	uint8_t cdb[10];
	int i;

	s = tenv_open_flags(test, "ini-async", SCST_LOCAL_F_ASYNC);
	scst_null_set_flags(e->dev[0], SCST_NULL_F_ASYNC);
	t_clear_ua(test, s, 0);
	for (i = 0; i < ASYNC_N; i++) {
		switch (i % 4) {
		case 0:
			cdb_rw10(cdb, READ_10, (uint32_t)i, 8);
			q[i] = treq_submit(test, s, 0, cdb, 10,
					   SCST_CMD_QUEUE_SIMPLE, i);
			break;
		case 1:
			cdb_rw10(cdb, WRITE_10, (uint32_t)i, 4);
			q[i] = treq_submit(test, s, 0, cdb, 10,
					   SCST_CMD_QUEUE_SIMPLE, i);
			break;
		case 2:
			q[i] = treq_submit(test, s, 0, inq, 6,
					   SCST_CMD_QUEUE_ORDERED, i);
			break;
		default:
			q[i] = treq_submit(test, s, 0, cdb_tur, 6,
					   SCST_CMD_QUEUE_SIMPLE, i);
			break;
		}
	}
	for (i = 0; i < ASYNC_N; i++) {
		T_WAIT(test, treq_ndone(q[i]) >= 1, "an asynchronous command");
		KUNIT_EXPECT_EQ_MSG(test, t_result(&q[i]->r), T_GOOD, "cmd %d",
				    i);
		KUNIT_EXPECT_EQ_MSG(test, q[i]->r.data_in_len,
				    i % 4 == 0	 ? 4096
				    : i % 4 == 2 ? 36
						 : 0,
				    "cmd %d", i);
	}
	/* Nothing ran twice. */
	scst_os_msleep(10);
	for (i = 0; i < ASYNC_N; i++)
		KUNIT_EXPECT_EQ_MSG(test, treq_ndone(q[i]), 1, "cmd %d", i);
}

/* ------------------------------------- DIRECT from a foreign thread ---- */

/*
 * scst.h: SCST_CONTEXT_DIRECT runs the command "right now in the calling
 * thread if it is a core worker (else as THREAD)". A minimal transport
 * calls scst_cmd_init_done() and scst_rx_data() with DIRECT from the case's
 * own thread, which is no core worker: the command must go on elsewhere.
 */
static struct {
	pthread_t caller;
	struct scst_tgt *tgt;
	struct scst_session *sess;
	struct scst_cmd *wait_data;
	int registered, sess_gone, xmits, xmits_in_caller, freed;
} dct;

static int dct_xmit(struct scst_cmd *cmd)
{
	if (pthread_equal(pthread_self(), dct.caller))
		__atomic_add_fetch(&dct.xmits_in_caller, 1, __ATOMIC_SEQ_CST);
	__atomic_add_fetch(&dct.xmits, 1, __ATOMIC_SEQ_CST);
	scst_tgt_cmd_done(cmd, SCST_CONTEXT_DIRECT);
	return SCST_TGT_RES_SUCCESS;
}

static int dct_rdy_to_xfer(struct scst_cmd *cmd)
{
	__atomic_store_n(&dct.wait_data, cmd, __ATOMIC_SEQ_CST);
	return SCST_TGT_RES_SUCCESS;
}

static void dct_free(struct scst_cmd *cmd)
{
	(void)cmd;
	__atomic_add_fetch(&dct.freed, 1, __ATOMIC_SEQ_CST);
}

static void dct_tmf_done(struct scst_mgmt_cmd *mcmd)
{
	(void)mcmd;
}

static void dct_sess_gone(struct scst_session *sess)
{
	(void)sess;
	__atomic_store_n(&dct.sess_gone, 1, __ATOMIC_SEQ_CST);
}

static struct scst_tgt_template dct_tmpl = {
    .name = "t_direct",
    .xmit_response = dct_xmit,
    .rdy_to_xfer = dct_rdy_to_xfer,
    .on_free_cmd = dct_free,
    .task_mgmt_fn_done = dct_tmf_done,
};

/* Runs from the suite's exit too: nothing of it may outlive the case. */
static void dct_cleanup(void)
{
	unsigned int ms;

	if (dct.sess) {
		scst_unregister_session(dct.sess, dct_sess_gone);
		for (ms = 0; ms < T_WAIT_MS &&
			     !__atomic_load_n(&dct.sess_gone, __ATOMIC_SEQ_CST);
		     ms++)
			scst_os_msleep(1);
		dct.sess = NULL;
	}
	if (dct.tgt)
		scst_unregister_target(dct.tgt);
	dct.tgt = NULL;
	if (dct.registered)
		scst_unregister_target_template(&dct_tmpl);
	dct.registered = 0;
}

static void gate_direct_off_worker(struct kunit *test)
{
	struct tenv *e = test->priv;
	uint8_t lun[8], cdb[10];
	struct scst_cmd *cmd;
	int i;

	memset(&dct, 0, sizeof(dct));
	dct.caller = pthread_self();
	KUNIT_ASSERT_EQ(test, scst_register_target_template(&dct_tmpl), 0);
	dct.registered = 1;
	KUNIT_ASSERT_EQ(test, scst_register_target(&dct_tmpl, "td", &dct.tgt),
			0);
	KUNIT_ASSERT_EQ(test,
			scst_acg_add_lun(scst_tgt_default_acg(dct.tgt),
					 e->dev[0], 0, false),
			0);
	KUNIT_ASSERT_EQ(
	    test, scst_register_session(dct.tgt, "ini", NULL, &dct.sess), 0);
	scst_pack_lun(0, SCST_LUN_ADDR_METHOD_PERIPHERAL, lun);

	/* The first command (UA) and a second one, both started DIRECT. */
	for (i = 1; i <= 2; i++) {
		cmd = scst_rx_cmd(dct.sess, lun, 8, cdb_tur, 6);
		KUNIT_ASSERT_NOT_NULL(test, cmd);
		scst_cmd_init_done(cmd, SCST_CONTEXT_DIRECT);
		T_WAIT(test, __atomic_load_n(&dct.freed, __ATOMIC_SEQ_CST) == i,
		       "the command to end");
	}
	/* Data-Out delivered DIRECT from this thread. */
	cdb_rw10(cdb, WRITE_10, 0, 1);
	cmd = scst_rx_cmd(dct.sess, lun, 8, cdb, 10);
	KUNIT_ASSERT_NOT_NULL(test, cmd);
	scst_cmd_init_done(cmd, SCST_CONTEXT_THREAD);
	T_WAIT(test, __atomic_load_n(&dct.wait_data, __ATOMIC_SEQ_CST) == cmd,
	       "rdy_to_xfer");
	scst_rx_data(cmd, SCST_RX_STATUS_SUCCESS, SCST_CONTEXT_DIRECT);
	T_WAIT(test, __atomic_load_n(&dct.freed, __ATOMIC_SEQ_CST) == 3,
	       "the WRITE to end");
	KUNIT_EXPECT_EQ(test, __atomic_load_n(&dct.xmits, __ATOMIC_SEQ_CST), 3);
	KUNIT_EXPECT_EQ_MSG(
	    test, __atomic_load_n(&dct.xmits_in_caller, __ATOMIC_SEQ_CST), 0,
	    "SCST_CONTEXT_DIRECT ran the command in a non-worker thread");
	dct_cleanup();
}

static void gate_exit(struct kunit *test)
{
	dct_cleanup();
	tenv_down(test);
}

/* -------------------------------------------------------------- suite ---- */

static int gate_init(struct kunit *test)
{
	struct tenv *e;
	int rc = tenv_up(test, 1, 0);

	if (rc)
		return rc;
	e = test->priv;
	rc =
	    scst_acg_add_lun(scst_tgt_default_acg(e->tgt), e->dev[0], 0, false);
	if (rc)
		tenv_down(test);
	return rc;
}

static struct kunit_case scst_targ_gate_test_cases[] = {
    KUNIT_CASE(gate_async_handoffs), KUNIT_CASE(gate_direct_off_worker), {}};

static struct kunit_suite scst_targ_gate_test_suite = {
    .name = "scst_targ_gate",
    .init = gate_init,
    .exit = gate_exit,
    .test_cases = scst_targ_gate_test_cases,
};

kunit_test_suite(scst_targ_gate_test_suite);
