// SPDX-License-Identifier: GPL-2.0-only
/*
 * Completion pollers (scst_register_poller): a transport-run worker runs
 * every registered poller in scst_worker_run() until none completes
 * anything, runs what their completions queued, and stops calling a
 * poller once it is unregistered; core-run workers offer no wake fd.
 */
#include <kunit/test.h>

#include "scst_priv.h"
#include "scst_test_env.h"

struct t_poller {
	struct scst_poller p;
	unsigned int calls;
	unsigned int busy; /* calls that report work done */
	struct scst_worker *w;
	struct scst_work work; /* queued by the second call */
	unsigned int work_ran;
};

static void t_poller_work(struct scst_work *work)
{
	struct t_poller *t = scst_container_of(work, struct t_poller, work);

	t->work_ran++;
}

static bool t_poll(struct scst_poller *p)
{
	struct t_poller *t = scst_container_of(p, struct t_poller, p);

	t->calls++;
	/* A completion that queues work for the worker, as a command would. */
	if (t->calls == 2)
		scst_worker_queue_work(t->w, &t->work);
	return t->calls <= t->busy;
}

static void t_kick(void *arg)
{
	(void)arg;
}

static void poller_runs_until_idle(struct kunit *test)
{
	struct t_poller t = {.p.poll = t_poll, .busy = 3};
	struct scst_worker *w = scst_worker_attach(t_kick, NULL);

	KUNIT_ASSERT_NOT_NULL(test, w);
	t.w = w;
	scst_work_init(&t.work, t_poller_work);
	scst_register_poller(&t.p);
	scst_worker_run(w);
	/* Three busy calls, then one that found nothing. */
	KUNIT_EXPECT_EQ(test, t.calls, 4u);
	KUNIT_EXPECT_EQ(test, t.work_ran, 1u);
	KUNIT_EXPECT_TRUE(test, scst_worker_idle(w));
	scst_worker_run(w);
	KUNIT_EXPECT_EQ(test, t.calls, 5u);
	scst_unregister_poller(&t.p);
	scst_worker_run(w);
	KUNIT_EXPECT_EQ(test, t.calls, 5u);
	scst_worker_detach(w);
}

/* A target driver whose responses go nowhere. */
static unsigned int t_xmitted;

static int t_xmit(struct scst_cmd *cmd)
{
	t_xmitted++;
	scst_tgt_cmd_done(cmd, SCST_CONTEXT_DIRECT);
	return SCST_TGT_RES_SUCCESS;
}

static void t_tmf_done(struct scst_mgmt_cmd *mcmd)
{
	(void)mcmd;
}

static struct scst_tgt_template t_poller_tgtt = {
    .name = "t_poller",
    .xmit_response = t_xmit,
    .task_mgmt_fn_done = t_tmf_done,
};

static void t_sess_done(struct scst_session *sess)
{
	(void)sess;
}

static void poller_wake_fd_of_transport_workers(struct kunit *test)
{
	struct scst_worker *w = scst_worker_attach(t_kick, NULL);
	const uint8_t cdb[6] = {TEST_UNIT_READY};
	const uint8_t lun[8] = {0};
	struct scst_session *sess;
	struct scst_tgt *tgt;
	struct scst_cmd *cmd;

	KUNIT_ASSERT_NOT_NULL(test, w);
	KUNIT_ASSERT_EQ(test, scst_register_target_template(&t_poller_tgtt), 0);
	KUNIT_ASSERT_EQ(test,
			scst_register_target(&t_poller_tgtt, "ptgt", &tgt), 0);
	KUNIT_ASSERT_EQ(test,
			scst_register_session_on(tgt, "iqn.2024-01.test:poller",
						 NULL, w, &sess),
			0);
	scst_worker_set_wake_fd(w, 42);
	cmd = scst_rx_cmd(sess, lun, sizeof(lun), cdb, sizeof(cdb));
	KUNIT_ASSERT_NOT_NULL(test, cmd);
	KUNIT_EXPECT_EQ(test, scst_cmd_wake_fd(cmd), 42);
	/* This thread is the session's worker: it runs the pollers. */
	KUNIT_EXPECT_TRUE(test, scst_cmd_on_polling_worker(cmd));
	scst_worker_set_wake_fd(w, -1);
	KUNIT_EXPECT_EQ(test, scst_cmd_wake_fd(cmd), -1);
	t_xmitted = 0;
	scst_cmd_init_done(cmd, SCST_CONTEXT_DIRECT);
	scst_worker_run(w);
	KUNIT_EXPECT_EQ(test, t_xmitted, 1u);
	scst_unregister_session(sess, t_sess_done);
	scst_worker_run(w);
	scst_unregister_target(tgt);
	scst_unregister_target_template(&t_poller_tgtt);
	scst_worker_run(w);
	scst_worker_detach(w);
}

static int poller_init(struct kunit *test)
{
	return tenv_up(test, 1, 1, 0);
}

static struct kunit_case scst_poller_test_cases[] = {
    KUNIT_CASE(poller_runs_until_idle),
    KUNIT_CASE(poller_wake_fd_of_transport_workers),
    {}};

static struct kunit_suite scst_poller_test_suite = {
    .name = "scst_poller",
    .init = poller_init,
    .exit = tenv_down,
    .test_cases = scst_poller_test_cases,
};

kunit_test_suite(scst_poller_test_suite);
