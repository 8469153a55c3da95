// SPDX-License-Identifier: GPL-2.0-only
/*
 * Unit tests of task management (scst/src/scst_tmf.c), part two: CLEAR
 * TASK SET of a task set shared by all nexuses (TST=0, with TAS=0 and 1),
 * LOGICAL UNIT RESET (TAS=0 and TAS=1), TARGET RESET and I_T NEXUS RESET,
 * with commands of several sessions held in execution by the null disk
 * (SCST_NULL_F_HOLD), waiting in the task set or waiting for their
 * Data-Out. Aborted commands must end exactly once, with no response
 * (TASK ABORTED for other nexuses when TAS=1); the function answers only
 * after them and leaves its unit attentions behind.
 */
#include "scst_test_env.h"

/* ------------------------------------------ a shared task set ---- */

static void tmf_clear_task_set_shared(struct kunit *test)
{
	struct scst_local_sess *s1, *s2;
	struct treq *a, *c;
	struct ttmf *m;

	scst_dev_set_tst(t_dev(test, 0), SCST_TST_0_SINGLE_TASK_SET);
	s1 = t_open_clear(test, "ini1", 2);
	s2 = t_open_clear(test, "ini2", 2);
	a = t_rd(test, s1, 0, SCST_CMD_QUEUE_SIMPLE, 1);
	c = t_rd(test, s2, 0, SCST_CMD_QUEUE_SIMPLE, 3);
	T_WAIT_HELD(test, 0, 2);
	m = t_tmf_submit(test, s1, SCST_CLEAR_TASK_SET, 0, 0);
	t_expect_pending(test, m);
	KUNIT_EXPECT_EQ(test, scst_null_release(t_dev(test, 0), 2), 2);
	t_expect_answer(test, m, SCST_MGMT_STATUS_SUCCESS, 2);
	t_expect_aborted_once(test, a);
	t_expect_aborted_once(test, c);
	/* TAS=0: the other initiator learns through a unit attention. */
	KUNIT_EXPECT_EQ(test, t_tur(test, s2, 0), T_UA(0x2f, 0x00));
	KUNIT_EXPECT_EQ(test, t_tur(test, s1, 0), T_GOOD);

	/* TAS=1: through TASK ABORTED instead, and no unit attention. */
	scst_dev_set_tas(t_dev(test, 0), true);
	a = t_rd(test, s1, 0, SCST_CMD_QUEUE_SIMPLE, 4);
	c = t_rd(test, s2, 0, SCST_CMD_QUEUE_SIMPLE, 5);
	T_WAIT_HELD(test, 0, 2);
	m = t_tmf_submit(test, s1, SCST_CLEAR_TASK_SET, 0, 0);
	t_expect_pending(test, m);
	KUNIT_EXPECT_EQ(test, scst_null_release(t_dev(test, 0), 2), 2);
	t_expect_answer(test, m, SCST_MGMT_STATUS_SUCCESS, 2);
	t_expect_aborted_once(test, a);
	KUNIT_EXPECT_EQ(test, t_req_ndone(c), 1);
	KUNIT_EXPECT_FALSE(test, c->r.no_response);
	KUNIT_EXPECT_EQ(test, c->r.status, SAM_STAT_TASK_ABORTED);
	KUNIT_EXPECT_EQ(test, t_tur(test, s2, 0), T_GOOD);
}

/* ---------------------------------------------------------- resets ---- */

static void lun_reset(struct kunit *test, bool tas)
{
	struct scst_local_sess *s1, *s2;
	struct treq *a, *b, *c, *e, *w;
	uint8_t cdb[10];
	struct ttmf *m;

	scst_dev_set_tas(t_dev(test, 0), tas);
	s1 = t_open_clear(test, "ini1", 2);
	s2 = t_open_clear(test, "ini2", 2);
	a = t_rd(test, s1, 0, SCST_CMD_QUEUE_SIMPLE, 1);
	b = t_rd(test, s2, 0, SCST_CMD_QUEUE_SIMPLE, 2);
	e = t_rd(test, s1, 1, SCST_CMD_QUEUE_SIMPLE, 5); /* another LU */
	T_WAIT_HELD(test, 0, 2);
	T_WAIT_HELD(test, 1, 1);
	c = t_rd(test, s2, 0, SCST_CMD_QUEUE_ORDERED, 3); /* waits for b */
	t_cdb_rw10(cdb, WRITE_10, 0, 1);
	w = t_req_new(test, 0, cdb, 10, SCST_CMD_QUEUE_HEAD_OF_QUEUE, 4);
	w->r.hold_data = true; /* waits for its Data-Out */
	KUNIT_ASSERT_EQ(test, scst_local_submit(s2, &w->r), 0);
	T_WAIT(test, t_req_data_held(w), "the WRITE to wait for its Data-Out");

	m = t_tmf_submit(test, s1, SCST_LUN_RESET, 0, 0);
	T_WAIT_DONE(test, c);
	T_WAIT_DONE(test, w);
	KUNIT_EXPECT_TRUE(test, w->r.data_aborted);
	t_expect_pending(test, m);
	KUNIT_EXPECT_EQ(test, t_req_ndone(a) + t_req_ndone(b), 0);
	KUNIT_EXPECT_EQ(test, scst_null_release(t_dev(test, 0), 2), 2);
	t_expect_answer(test, m, SCST_MGMT_STATUS_SUCCESS, 4);
	t_expect_aborted_once(test, a);
	KUNIT_EXPECT_LT(test, a->order, m->order);
	KUNIT_EXPECT_LT(test, b->order, m->order);
	KUNIT_EXPECT_LT(test, c->order, m->order);
	if (tas) {
		/* The other nexus gets TASK ABORTED, with no sense. */
		KUNIT_EXPECT_FALSE(test, b->r.no_response);
		KUNIT_EXPECT_EQ(test, b->r.status, SAM_STAT_TASK_ABORTED);
		KUNIT_EXPECT_EQ(test, b->r.sense_len, 0);
		KUNIT_EXPECT_FALSE(test, c->r.no_response);
		KUNIT_EXPECT_EQ(test, c->r.status, SAM_STAT_TASK_ABORTED);
		KUNIT_EXPECT_FALSE(test, w->r.no_response);
		KUNIT_EXPECT_EQ(test, w->r.status, SAM_STAT_TASK_ABORTED);
		KUNIT_EXPECT_EQ(test, w->r.sense_len, 0);
		KUNIT_EXPECT_EQ(
		    test, t_req_ndone(b) + t_req_ndone(c) + t_req_ndone(w), 3);
	} else {
		t_expect_aborted_once(test, b);
		t_expect_aborted_once(test, c);
		t_expect_aborted_once(test, w);
	}
	KUNIT_EXPECT_EQ(test, t_req_ndone(e), 0);
	KUNIT_EXPECT_EQ(test, scst_null_release(t_dev(test, 1), 1), 1);
	T_WAIT_DONE(test, e);
	t_expect_good_once(test, e);
	KUNIT_EXPECT_EQ(test, t_tur(test, s1, 0), T_UA(0x29, 0x03));
	KUNIT_EXPECT_EQ(test, t_tur(test, s2, 0), T_UA(0x29, 0x03));
	KUNIT_EXPECT_EQ(test, t_tur(test, s1, 1), T_GOOD);
	KUNIT_EXPECT_EQ(test, t_tur(test, s2, 1), T_GOOD);
}

static void tmf_lun_reset_tas0(struct kunit *test)
{
	lun_reset(test, false);
}

static void tmf_lun_reset_tas1(struct kunit *test)
{
	lun_reset(test, true);
}

static void tmf_target_reset(struct kunit *test)
{
	struct scst_local_sess *s1 = t_open_clear(test, "ini1", 2);
	struct scst_local_sess *s2 = t_open_clear(test, "ini2", 2);
	struct treq *a, *b, *c;
	struct ttmf *m;

	a = t_rd(test, s1, 0, SCST_CMD_QUEUE_SIMPLE, 1);
	b = t_rd(test, s1, 1, SCST_CMD_QUEUE_SIMPLE, 2);
	c = t_rd(test, s2, 1, SCST_CMD_QUEUE_SIMPLE, 3);
	T_WAIT_HELD(test, 0, 1);
	T_WAIT_HELD(test, 1, 2);
	m = t_tmf_submit(test, s1, SCST_TARGET_RESET, 0, 0);
	t_expect_pending(test, m);
	tenv_release_all(test->priv);
	t_expect_answer(test, m, SCST_MGMT_STATUS_SUCCESS, 3);
	t_expect_aborted_once(test, a);
	t_expect_aborted_once(test, b);
	t_expect_aborted_once(test, c);
	KUNIT_EXPECT_EQ(test, t_tur(test, s1, 0), T_UA(0x29, 0x00));
	KUNIT_EXPECT_EQ(test, t_tur(test, s1, 1), T_UA(0x29, 0x00));
	KUNIT_EXPECT_EQ(test, t_tur(test, s2, 0), T_UA(0x29, 0x00));
	KUNIT_EXPECT_EQ(test, t_tur(test, s2, 1), T_UA(0x29, 0x00));
}

static void tmf_nexus_reset(struct kunit *test)
{
	struct scst_local_sess *s1 = t_open_clear(test, "ini1", 2);
	struct scst_local_sess *s2 = t_open_clear(test, "ini2", 2);
	struct treq *a, *b, *c;
	struct ttmf *m;

	a = t_rd(test, s1, 0, SCST_CMD_QUEUE_SIMPLE, 1);
	b = t_rd(test, s1, 1, SCST_CMD_QUEUE_SIMPLE, 2);
	c = t_rd(test, s2, 0, SCST_CMD_QUEUE_SIMPLE, 3);
	T_WAIT_HELD(test, 0, 2);
	T_WAIT_HELD(test, 1, 1);
	m = t_tmf_submit(test, s1, SCST_NEXUS_LOSS_SESS, 0, 0);
	t_expect_pending(test, m);
	tenv_release_all(test->priv);
	t_expect_answer(test, m, SCST_MGMT_STATUS_SUCCESS, 2);
	T_WAIT_DONE(test, c);
	t_expect_aborted_once(test, a);
	t_expect_aborted_once(test, b);
	t_expect_good_once(test, c);
	KUNIT_EXPECT_EQ(test, t_tur(test, s1, 0), T_UA(0x29, 0x07));
	KUNIT_EXPECT_EQ(test, t_tur(test, s1, 1), T_UA(0x29, 0x07));
	KUNIT_EXPECT_EQ(test, t_tur(test, s2, 0), T_GOOD);
}

/* -------------------------------------------------------------- suite ---- */

/* Two null disks holding media commands, at LUNs 0 and 1. */
static int tmf_init(struct kunit *test)
{
	return tenv_up(test, 2, 2, SCST_NULL_F_HOLD);
}

static struct kunit_case scst_tmf_reset_test_cases[] = {
    KUNIT_CASE(tmf_clear_task_set_shared), KUNIT_CASE(tmf_lun_reset_tas0),
    KUNIT_CASE(tmf_lun_reset_tas1),	   KUNIT_CASE(tmf_target_reset),
    KUNIT_CASE(tmf_nexus_reset),	   {}};

static struct kunit_suite scst_tmf_reset_test_suite = {
    .name = "scst_tmf_reset",
    .init = tmf_init,
    .exit = tenv_down,
    .test_cases = scst_tmf_reset_test_cases,
};

kunit_test_suite(scst_tmf_reset_test_suite);
