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

#include "scst_test_env.h"

/* ------------------------------------------------------- ABORT TASK ---- */

static void tmf_abort_task_held(struct kunit *test)
{
	struct scst_local_sess *s = t_open_clear(test, "ini0", 2);
	struct treq *a, *b;
	struct ttmf *m;

	a = t_rd(test, s, 0, SCST_CMD_QUEUE_SIMPLE, 10);
	b = t_rd(test, s, 0, SCST_CMD_QUEUE_SIMPLE, 11);
	T_WAIT_HELD(test, 0, 2);
	m = t_tmf_submit(test, s, SCST_ABORT_TASK, 0, 10);
	t_expect_pending(test, m);
	KUNIT_EXPECT_EQ(test, t_req_ndone(a), 0);

	KUNIT_EXPECT_EQ(test, scst_null_release(t_dev(test, 0), 2), 2);
	t_expect_answer(test, m, SCST_MGMT_STATUS_SUCCESS, 1);
	T_WAIT_DONE(test, b);
	t_expect_aborted_once(test, a);
	t_expect_good_once(test, b);
	KUNIT_EXPECT_LT(test, a->order, m->order);
	/* Aborting raises no unit attention. */
	KUNIT_EXPECT_EQ(test, t_tur(test, s, 0), T_GOOD);
}

static void tmf_abort_task_twice(struct kunit *test)
{
	struct scst_local_sess *s = t_open_clear(test, "ini0", 2);
	struct ttmf *m1, *m2;
	struct treq *a;

	a = t_rd(test, s, 0, SCST_CMD_QUEUE_SIMPLE, 10);
	T_WAIT_HELD(test, 0, 1);
	m1 = t_tmf_submit(test, s, SCST_ABORT_TASK, 0, 10);
	m2 = t_tmf_submit(test, s, SCST_ABORT_TASK, 0, 10);
	t_expect_pending(test, m1);
	KUNIT_EXPECT_EQ(test, t_tmf_ndone(m2), 0);
	KUNIT_EXPECT_EQ(test, scst_null_release(t_dev(test, 0), 1), 1);
	t_expect_answer(test, m1, SCST_MGMT_STATUS_SUCCESS, 1);
	T_WAIT_TMF(test, m2);
	KUNIT_EXPECT_EQ(test, m2->t.status, SCST_MGMT_STATUS_SUCCESS);
	t_expect_aborted_once(test, a);
	KUNIT_EXPECT_LT(test, a->order, m1->order);
	KUNIT_EXPECT_LT(test, a->order, m2->order);
}

static void tmf_abort_task_unknown(struct kunit *test)
{
	struct scst_local_sess *s = t_open_clear(test, "ini0", 2);
	struct treq *a;
	struct ttmf *m;

	a = t_rd(test, s, 0, SCST_CMD_QUEUE_SIMPLE, 10);
	T_WAIT_HELD(test, 0, 1);
	m = t_tmf_submit(test, s, SCST_ABORT_TASK, 0, 99);
	t_expect_answer(test, m, SCST_MGMT_STATUS_TASK_NOT_EXIST, 0);
	KUNIT_EXPECT_EQ(test, t_req_ndone(a), 0);
	KUNIT_EXPECT_EQ(test, scst_null_release(t_dev(test, 0), 1), 1);
	T_WAIT_DONE(test, a);
	t_expect_good_once(test, a);
	/* A finished command is not there to abort any more. */
	m = t_tmf_submit(test, s, SCST_ABORT_TASK, 0, 10);
	t_expect_answer(test, m, SCST_MGMT_STATUS_TASK_NOT_EXIST, 0);
}

static void tmf_abort_task_waiting_for_data(struct kunit *test)
{
	struct scst_local_sess *s = t_open_clear(test, "ini0", 2);
	uint64_t base = scst_null_executed(t_dev(test, 0));
	uint8_t cdb[10];
	struct treq *w;
	struct ttmf *m;

	t_cdb_rw10(cdb, WRITE_10, 0, 8);
	w = t_req_new(test, 0, cdb, 10, SCST_CMD_QUEUE_SIMPLE, 5);
	w->r.hold_data = true;
	KUNIT_ASSERT_EQ(test, scst_local_submit(s, &w->r), 0);
	T_WAIT(test, t_req_data_held(w), "the WRITE to wait for its Data-Out");
	m = t_tmf_submit(test, s, SCST_ABORT_TASK, 0, 5);
	t_expect_answer(test, m, SCST_MGMT_STATUS_SUCCESS, 1);
	t_expect_aborted_once(test, w);
	KUNIT_EXPECT_TRUE(test, w->r.data_aborted);
	KUNIT_EXPECT_LT(test, w->order, m->order);
	KUNIT_EXPECT_EQ(test, scst_null_executed(t_dev(test, 0)), base);
	KUNIT_EXPECT_FALSE(test, scst_local_release_data(&w->r));
}

/* -------------------------------------------------------- task sets ---- */

static void tmf_abort_task_set(struct kunit *test)
{
	struct scst_local_sess *s1 = t_open_clear(test, "ini1", 2);
	struct scst_local_sess *s2 = t_open_clear(test, "ini2", 2);
	struct treq *a, *b, *c, *d;
	struct ttmf *m;

	a = t_rd(test, s1, 0, SCST_CMD_QUEUE_SIMPLE, 1);
	b = t_rd(test, s1, 1, SCST_CMD_QUEUE_SIMPLE, 2);
	c = t_rd(test, s2, 0, SCST_CMD_QUEUE_SIMPLE, 3);
	T_WAIT_HELD(test, 0, 2);
	T_WAIT_HELD(test, 1, 1);
	d = t_rd(test, s1, 0, SCST_CMD_QUEUE_ORDERED, 4); /* waits for a */
	m = t_tmf_submit(test, s1, SCST_ABORT_TASK_SET, 0, 0);
	T_WAIT_DONE(test, d); /* out of the task set at once */
	t_expect_aborted_once(test, d);
	t_expect_pending(test, m);

	KUNIT_EXPECT_EQ(test, scst_null_release(t_dev(test, 0), 2), 2);
	KUNIT_EXPECT_EQ(test, scst_null_release(t_dev(test, 1), 1), 1);
	t_expect_answer(test, m, SCST_MGMT_STATUS_SUCCESS, 2);
	T_WAIT_DONE(test, b);
	T_WAIT_DONE(test, c);
	t_expect_aborted_once(test, a);
	t_expect_good_once(test, b);
	t_expect_good_once(test, c);
	KUNIT_EXPECT_LT(test, a->order, m->order);
	KUNIT_EXPECT_EQ(test, t_tur(test, s1, 0), T_GOOD);
	KUNIT_EXPECT_EQ(test, t_tur(test, s2, 0), T_GOOD);
}

static void tmf_clear_task_set(struct kunit *test)
{
	struct scst_local_sess *s1 = t_open_clear(test, "ini1", 2);
	struct scst_local_sess *s2 = t_open_clear(test, "ini2", 2);
	struct treq *a, *c;
	struct ttmf *m;

	/* TST=1: only the caller's task set. */
	a = t_rd(test, s1, 0, SCST_CMD_QUEUE_SIMPLE, 1);
	c = t_rd(test, s2, 0, SCST_CMD_QUEUE_SIMPLE, 3);
	T_WAIT_HELD(test, 0, 2);
	m = t_tmf_submit(test, s1, SCST_CLEAR_TASK_SET, 0, 0);
	t_expect_pending(test, m);
	KUNIT_EXPECT_EQ(test, scst_null_release(t_dev(test, 0), 2), 2);
	t_expect_answer(test, m, SCST_MGMT_STATUS_SUCCESS, 1);
	T_WAIT_DONE(test, c);
	t_expect_aborted_once(test, a);
	t_expect_good_once(test, c);
	KUNIT_EXPECT_EQ(test, t_tur(test, s2, 0), T_GOOD);
}

/* ---------------------------------------------------------- queries ---- */

static enum scst_mgmt_status query(struct kunit *test,
				   struct scst_local_sess *s, enum scst_tmf fn,
				   uint64_t lun, uint64_t tag)
{
	struct ttmf *m = t_tmf_submit(test, s, fn, lun, tag);

	T_WAIT_TMF(test, m);
	KUNIT_EXPECT_EQ(test, m->t.aborted, 0);
	return m->t.status;
}

static void tmf_query_task(struct kunit *test)
{
	struct scst_local_sess *s = t_open_clear(test, "ini0", 2);
	struct treq *a, *c;

	a = t_rd(test, s, 0, SCST_CMD_QUEUE_SIMPLE, 10);
	T_WAIT_HELD(test, 0, 1);
	c = t_rd(test, s, 0, SCST_CMD_QUEUE_ORDERED, 12);
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
	KUNIT_EXPECT_EQ(test, scst_null_release(t_dev(test, 0), 1), 1);
	T_WAIT_HELD(test, 0, 1);
	KUNIT_EXPECT_EQ(test, scst_null_release(t_dev(test, 0), 1), 1);
	T_WAIT_DONE(test, a);
	T_WAIT_DONE(test, c);
	t_expect_good_once(test, a);
	t_expect_good_once(test, c);
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
	struct scst_local_sess *s = t_open_clear(test, "ini0", 2);
	struct scst_local_tmf bad = {.fn = SCST_TMF_COUNT};
	unsigned int i;
	struct treq *a;

	a = t_rd(test, s, 0, SCST_CMD_QUEUE_SIMPLE, 1);
	T_WAIT_HELD(test, 0, 1);
	KUNIT_EXPECT_EQ(test, query(test, s, SCST_CLEAR_ACA, 0, 0),
			SCST_MGMT_STATUS_FN_NOT_SUPPORTED);
	for (i = 0; i < sizeof(lu_fns) / sizeof(lu_fns[0]); i++)
		KUNIT_EXPECT_EQ_MSG(test, query(test, s, lu_fns[i], 9, 0),
				    SCST_MGMT_STATUS_LUN_NOT_EXIST, "fn %d",
				    lu_fns[i]);
	KUNIT_EXPECT_EQ(test, scst_local_tmf_submit(s, &bad), -EINVAL);
	/* None of that touched the command in flight. */
	KUNIT_EXPECT_EQ(test, t_req_ndone(a), 0);
	KUNIT_EXPECT_EQ(test, scst_null_release(t_dev(test, 0), 1), 1);
	T_WAIT_DONE(test, a);
	t_expect_good_once(test, a);
	KUNIT_EXPECT_EQ(test, t_tur(test, s, 0), T_GOOD);
}

/* -------------------------------------------------------------- suite ---- */

/* Two null disks holding media commands, at LUNs 0 and 1. */
static int tmf_init(struct kunit *test)
{
	return tenv_up(test, 2, 2, SCST_NULL_F_HOLD);
}

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
