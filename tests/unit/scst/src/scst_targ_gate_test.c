// SPDX-License-Identifier: GPL-2.0-only
/*
 * Unit tests of the hand-offs between the core, the transport and the
 * handler (the gate of scst/src/scst_targ.c and the execution contexts of
 * scst.h): answers that come from other threads, before or after the module
 * call returns, and SCST_CONTEXT_DIRECT used by a thread that is not a core
 * worker.
 */
#include <pthread.h>
#include <string.h>

#include "scst_test_env.h"

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
			t_cdb_rw10(cdb, READ_10, (uint32_t)i, 8);
			q[i] = t_req_submit(test, s, 0, cdb, 10,
					    SCST_CMD_QUEUE_SIMPLE, i);
			break;
		case 1:
			t_cdb_rw10(cdb, WRITE_10, (uint32_t)i, 4);
			q[i] = t_req_submit(test, s, 0, cdb, 10,
					    SCST_CMD_QUEUE_SIMPLE, i);
			break;
		case 2:
			q[i] = t_req_submit(test, s, 0, inq, 6,
					    SCST_CMD_QUEUE_ORDERED, i);
			break;
		default:
			q[i] = t_req_submit(test, s, 0, t_cdb_tur, 6,
					    SCST_CMD_QUEUE_SIMPLE, i);
			break;
		}
	}
	for (i = 0; i < ASYNC_N; i++) {
		T_WAIT(test, t_req_ndone(q[i]) >= 1, "an asynchronous command");
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
		KUNIT_EXPECT_EQ_MSG(test, t_req_ndone(q[i]), 1, "cmd %d", i);
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
		cmd = scst_rx_cmd(dct.sess, lun, 8, t_cdb_tur, 6);
		KUNIT_ASSERT_NOT_NULL(test, cmd);
		scst_cmd_init_done(cmd, SCST_CONTEXT_DIRECT);
		T_WAIT(test, __atomic_load_n(&dct.freed, __ATOMIC_SEQ_CST) == i,
		       "the command to end");
	}
	/* Data-Out delivered DIRECT from this thread. */
	t_cdb_rw10(cdb, WRITE_10, 0, 1);
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
	return tenv_up(test, 1, 1, 0);
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
