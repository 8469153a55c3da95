// SPDX-License-Identifier: GPL-2.0-only
/*
 * Unit tests of task management at the ends of sessions and devices
 * (scst/src/scst_tmf.c, scst_sess.c): the I_T nexus loss of a session closed
 * with commands held in execution, waiting in the task set or waiting for
 * their Data-Out; a session closed while a function waits for the command
 * it aborted; a device unregistered with commands in execution. Every
 * command must end exactly once, and the close must wait for them.
 */
#include "scst_test_env.h"

/* ----------------------------------------------------- session close ---- */

static void tmf_close_session_with_commands(struct kunit *test)
{
	struct tenv *e = test->priv;
	struct scst_local_sess *s = t_open_clear(test, "ini0", 2);
	struct tclose c = {.s = s};
	struct scst_thread *th;
	struct treq *a, *b, *w;
	uint8_t cdb[10];

	a = t_rd(test, s, 0, SCST_CMD_QUEUE_SIMPLE, 1);
	T_WAIT_HELD(test, 0, 1);
	b = t_rd(test, s, 0, SCST_CMD_QUEUE_ORDERED, 2);
	t_cdb_rw10(cdb, WRITE_10, 0, 1);
	w = t_req_new(test, 1, cdb, 10, SCST_CMD_QUEUE_SIMPLE, 3);
	w->r.hold_data = true;
	KUNIT_ASSERT_EQ(test, scst_local_submit(s, &w->r), 0);
	T_WAIT(test, t_req_data_held(w), "the WRITE to wait for its Data-Out");

	KUNIT_ASSERT_PTR_EQ(test, e->sess[0], s);
	e->sess[0] = NULL; /* closed here, not by the suite's exit */
	KUNIT_ASSERT_EQ(test, scst_thread_create(&th, t_close_fn, &c, "close"),
			0);
	T_WAIT_DONE(test, b);
	T_WAIT_DONE(test, w);
	t_settle();
	KUNIT_EXPECT_EQ(test, __atomic_load_n(&c.done, __ATOMIC_ACQUIRE), 0);
	KUNIT_EXPECT_EQ(test, t_req_ndone(a), 0);
	KUNIT_EXPECT_EQ(test, scst_null_release(t_dev(test, 0), 1), 1);
	T_WAIT(test, __atomic_load_n(&c.done, __ATOMIC_ACQUIRE),
	       "the session to close");
	scst_thread_join(th);
	t_expect_aborted_once(test, a);
	t_expect_aborted_once(test, b);
	t_expect_aborted_once(test, w);
	KUNIT_EXPECT_TRUE(test, w->r.data_aborted);
}

static void tmf_close_session_with_tmf_pending(struct kunit *test)
{
	struct tenv *e = test->priv;
	struct scst_local_sess *s = t_open_clear(test, "ini0", 2);
	struct tclose c = {.s = s};
	struct scst_thread *th;
	struct treq *a;
	struct ttmf *m;

	a = t_rd(test, s, 0, SCST_CMD_QUEUE_SIMPLE, 1);
	T_WAIT_HELD(test, 0, 1);
	m = t_tmf_submit(test, s, SCST_ABORT_TASK, 0, 1);
	t_expect_pending(test, m);

	KUNIT_ASSERT_PTR_EQ(test, e->sess[0], s);
	e->sess[0] = NULL;
	KUNIT_ASSERT_EQ(test, scst_thread_create(&th, t_close_fn, &c, "close"),
			0);
	t_settle();
	KUNIT_EXPECT_EQ(test, __atomic_load_n(&c.done, __ATOMIC_ACQUIRE), 0);
	KUNIT_EXPECT_EQ(test, t_tmf_ndone(m), 0);
	KUNIT_EXPECT_EQ(test, scst_null_release(t_dev(test, 0), 1), 1);
	T_WAIT(test, __atomic_load_n(&c.done, __ATOMIC_ACQUIRE),
	       "the session to close");
	scst_thread_join(th);
	/* The function still answered, after the command and before the end. */
	t_expect_answer(test, m, SCST_MGMT_STATUS_SUCCESS, 1);
	t_expect_aborted_once(test, a);
	KUNIT_EXPECT_LT(test, a->order, m->order);
}

/* ----------------------------------------------------- device removal ---- */

static void tmf_device_removed(struct kunit *test)
{
	struct tenv *e = test->priv;
	struct scst_local_sess *s1 = t_open_clear(test, "ini1", 2);
	struct scst_local_sess *s2 = t_open_clear(test, "ini2", 2);
	struct treq *a, *b;

	a = t_rd(test, s1, 1, SCST_CMD_QUEUE_SIMPLE, 1);
	b = t_rd(test, s2, 1, SCST_CMD_QUEUE_ORDERED, 2);
	T_WAIT_HELD(test, 1, 2);
	/* Lets what it holds finish, unmaps, waits for the commands. */
	scst_null_del(e->dev[1]);
	e->dev[1] = NULL;
	t_expect_good_once(test, a);
	t_expect_good_once(test, b);
	KUNIT_EXPECT_EQ(test, t_tur(test, s1, 1),
			T_CC(ILLEGAL_REQUEST, 0x25, 0x00));
	KUNIT_EXPECT_EQ(test, t_tur(test, s1, 0), T_UA(0x3f, 0x0e));
	KUNIT_EXPECT_EQ(test, t_tur(test, s2, 0), T_UA(0x3f, 0x0e));
	KUNIT_EXPECT_EQ(test, t_tur(test, s2, 1),
			T_CC(ILLEGAL_REQUEST, 0x25, 0x00));
}

/* -------------------------------------------------------------- suite ---- */

/* Two null disks holding media commands, at LUNs 0 and 1. */
static int tmf_init(struct kunit *test)
{
	return tenv_up(test, 2, 2, SCST_NULL_F_HOLD);
}

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
