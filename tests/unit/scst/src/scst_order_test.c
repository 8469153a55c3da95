// SPDX-License-Identifier: GPL-2.0-only
/*
 * Unit tests of task attributes (scst/src/scst_order.c): which commands of
 * a task set may be in execution together. The null disk holds every media
 * command in execution (SCST_NULL_F_HOLD) until the test releases it, so
 * the tests see exactly which commands have started and in what order they
 * complete.
 */
#include "scst_test_env.h"

/* ------------------------------------------------------------ helpers ---- */

#define Q_SIMPLE  SCST_CMD_QUEUE_SIMPLE
#define Q_ORDERED SCST_CMD_QUEUE_ORDERED
#define Q_HOQ	  SCST_CMD_QUEUE_HEAD_OF_QUEUE

/* -------------------------------------------------------------- cases ---- */

static void order_simple_run_together(struct kunit *test)
{
	struct scst_local_sess *s = tenv_open(test, "ini0");
	struct treq *a, *b, *c;
	uint64_t base;

	t_clear_ua(test, s, 0);
	base = scst_null_executed(t_dev(test, 0));
	a = t_rd(test, s, 0, Q_SIMPLE, 1);
	b = t_rd(test, s, 0, Q_SIMPLE, 2);
	c = t_rd(test, s, 0, SCST_CMD_QUEUE_UNTAGGED, 3); /* same as SIMPLE */
	T_WAIT_HELD(test, 0, 3);
	KUNIT_EXPECT_EQ(test, scst_null_executed(t_dev(test, 0)), base + 3);
	KUNIT_EXPECT_EQ(test, t_req_ndone(a) + t_req_ndone(b) + t_req_ndone(c),
			0);
	KUNIT_EXPECT_EQ(test, scst_null_release(t_dev(test, 0), 3), 3);
	T_WAIT_DONE(test, a);
	T_WAIT_DONE(test, b);
	T_WAIT_DONE(test, c);
	t_expect_good_once(test, a);
	t_expect_good_once(test, b);
	t_expect_good_once(test, c);
}

static void order_ordered_waits_for_simple(struct kunit *test)
{
	struct scst_local_sess *s = tenv_open(test, "ini0");
	struct treq *a, *b;
	uint64_t base;

	t_clear_ua(test, s, 0);
	base = scst_null_executed(t_dev(test, 0));
	a = t_rd(test, s, 0, Q_SIMPLE, 1);
	T_WAIT_HELD(test, 0, 1);
	b = t_rd(test, s, 0, Q_ORDERED, 2);
	t_settle();
	KUNIT_EXPECT_EQ(test, scst_null_held(t_dev(test, 0)), 1);
	KUNIT_EXPECT_EQ(test, scst_null_executed(t_dev(test, 0)), base + 1);
	KUNIT_EXPECT_EQ(test, t_req_ndone(b), 0);

	KUNIT_EXPECT_EQ(test, scst_null_release(t_dev(test, 0), 1), 1);
	T_WAIT_DONE(test, a);
	T_WAIT_HELD(test, 0, 1); /* now the ORDERED one */
	KUNIT_EXPECT_EQ(test, scst_null_executed(t_dev(test, 0)), base + 2);
	KUNIT_EXPECT_EQ(test, scst_null_release(t_dev(test, 0), 1), 1);
	T_WAIT_DONE(test, b);
	t_expect_good_once(test, a);
	t_expect_good_once(test, b);
	KUNIT_EXPECT_LT(test, a->order, b->order);
}

static void order_simple_waits_for_ordered(struct kunit *test)
{
	struct scst_local_sess *s = tenv_open(test, "ini0");
	struct treq *a, *b, *c, *d;
	uint64_t base;

	t_clear_ua(test, s, 0);
	base = scst_null_executed(t_dev(test, 0));
	a = t_rd(test, s, 0, Q_ORDERED, 1);
	T_WAIT_HELD(test, 0, 1);
	b = t_rd(test, s, 0, Q_SIMPLE, 2);
	c = t_rd(test, s, 0, Q_SIMPLE, 3);
	/* Commands with no media access wait in the task set too. */
	d = t_req_submit(test, s, 0, t_cdb_tur, 6, Q_SIMPLE, 4);
	t_settle();
	KUNIT_EXPECT_EQ(test, scst_null_held(t_dev(test, 0)), 1);
	KUNIT_EXPECT_EQ(test, scst_null_executed(t_dev(test, 0)), base + 1);
	KUNIT_EXPECT_EQ(test, t_req_ndone(b) + t_req_ndone(c) + t_req_ndone(d),
			0);

	KUNIT_EXPECT_EQ(test, scst_null_release(t_dev(test, 0), 1), 1);
	T_WAIT_DONE(test, a);
	T_WAIT_DONE(test, d);
	T_WAIT_HELD(test, 0, 2); /* both SIMPLE reads at once */
	KUNIT_EXPECT_EQ(test, scst_null_executed(t_dev(test, 0)), base + 4);
	KUNIT_EXPECT_LT(test, a->order, d->order);
	KUNIT_EXPECT_EQ(test, scst_null_release(t_dev(test, 0), 2), 2);
	T_WAIT_DONE(test, b);
	T_WAIT_DONE(test, c);
	t_expect_good_once(test, a);
	t_expect_good_once(test, b);
	t_expect_good_once(test, c);
	t_expect_good_once(test, d);
}

static void order_head_of_queue(struct kunit *test)
{
	struct scst_local_sess *s = tenv_open(test, "ini0");
	struct treq *a, *b, *c, *d;
	uint64_t base;

	t_clear_ua(test, s, 0);
	base = scst_null_executed(t_dev(test, 0));
	a = t_rd(test, s, 0, Q_ORDERED, 1);
	T_WAIT_HELD(test, 0, 1);
	b = t_rd(test, s, 0, Q_SIMPLE, 2);
	/* Past both the running ORDERED and the waiting SIMPLE. */
	c = t_req_submit(test, s, 0, t_cdb_tur, 6, Q_HOQ, 3);
	T_WAIT_DONE(test, c);
	t_expect_good_once(test, c);
	d = t_rd(test, s, 0, Q_HOQ, 4);
	T_WAIT_HELD(test, 0, 2); /* a and d */
	t_settle();
	KUNIT_EXPECT_EQ(test, scst_null_executed(t_dev(test, 0)), base + 3);
	KUNIT_EXPECT_EQ(test, t_req_ndone(a) + t_req_ndone(b), 0);

	/* Held commands are released oldest first: a, then d, then b. */
	KUNIT_EXPECT_EQ(test, scst_null_release(t_dev(test, 0), 1), 1);
	T_WAIT_DONE(test, a);
	T_WAIT_HELD(test, 0, 2); /* d and now b */
	KUNIT_EXPECT_EQ(test, scst_null_release(t_dev(test, 0), 1), 1);
	T_WAIT_DONE(test, d);
	KUNIT_EXPECT_EQ(test, scst_null_release(t_dev(test, 0), 1), 1);
	T_WAIT_DONE(test, b);
	t_expect_good_once(test, a);
	t_expect_good_once(test, b);
	t_expect_good_once(test, d);
	KUNIT_EXPECT_LT(test, c->order, a->order);
	KUNIT_EXPECT_LT(test, a->order, d->order);
	KUNIT_EXPECT_LT(test, d->order, b->order);
}

static void order_exact_completion_order(struct kunit *test)
{
	static const enum scst_cmd_queue_type qt[6] = {
	    Q_SIMPLE, Q_ORDERED, Q_SIMPLE, Q_SIMPLE, Q_ORDERED, Q_SIMPLE,
	};
	/* Commands started after each step, and how many to release. */
	static const unsigned int started[5] = {1, 2, 4, 5, 6};
	static const unsigned int held[5] = {1, 1, 2, 1, 1};
	struct scst_local_sess *s = tenv_open(test, "ini0");
	struct treq *q[6];
	unsigned int i, step;
	uint64_t base;

	t_clear_ua(test, s, 0);
	base = scst_null_executed(t_dev(test, 0));
	for (i = 0; i < 6; i++)
		q[i] = t_rd(test, s, 0, qt[i], i + 1);
	for (step = 0; step < 5; step++) {
		T_WAIT(test,
		       scst_null_held(t_dev(test, 0)) == held[step] &&
			   scst_null_executed(t_dev(test, 0)) ==
			       base + started[step],
		       "the next group of the task set to start");
		t_settle();
		KUNIT_EXPECT_EQ_MSG(test, scst_null_executed(t_dev(test, 0)),
				    base + started[step], "step %u", step);
		KUNIT_EXPECT_EQ_MSG(test, scst_null_held(t_dev(test, 0)),
				    held[step], "step %u", step);
		for (i = started[step]; i < 6; i++)
			KUNIT_EXPECT_EQ_MSG(test, t_req_ndone(q[i]), 0,
					    "step %u cmd %u", step, i);
		/* Exactly those: the next group may be held by now. */
		KUNIT_EXPECT_EQ(test,
				scst_null_release(t_dev(test, 0), held[step]),
				held[step]);
		for (i = started[step] - held[step]; i < started[step]; i++)
			T_WAIT_DONE(test, q[i]);
	}
	for (i = 0; i < 6; i++)
		t_expect_good_once(test, q[i]);
	KUNIT_EXPECT_LT(test, q[0]->order, q[1]->order);
	KUNIT_EXPECT_LT(test, q[1]->order, q[2]->order);
	KUNIT_EXPECT_LT(test, q[1]->order, q[3]->order);
	KUNIT_EXPECT_LT(test, q[2]->order, q[4]->order);
	KUNIT_EXPECT_LT(test, q[3]->order, q[4]->order);
	KUNIT_EXPECT_LT(test, q[4]->order, q[5]->order);
}

/* An ORDERED command aborted while it waits lets the SIMPLE behind it go. */
static void order_abort_waiting_ordered(struct kunit *test)
{
	struct scst_local_sess *s = tenv_open(test, "ini0");
	struct treq *a, *b, *c;
	struct ttmf *m;
	uint64_t base;

	t_clear_ua(test, s, 0);
	base = scst_null_executed(t_dev(test, 0));
	a = t_rd(test, s, 0, Q_SIMPLE, 1);
	T_WAIT_HELD(test, 0, 1);
	b = t_rd(test, s, 0, Q_ORDERED, 2);
	c = t_rd(test, s, 0, Q_SIMPLE, 3);
	t_settle();
	KUNIT_EXPECT_EQ(test, scst_null_executed(t_dev(test, 0)), base + 1);

	m = t_tmf_submit(test, s, SCST_ABORT_TASK, 0, 2);
	T_WAIT(test, t_tmf_ndone(m) == 1, "the ABORT TASK response");
	KUNIT_EXPECT_EQ(test, m->t.status, SCST_MGMT_STATUS_SUCCESS);
	KUNIT_EXPECT_EQ(test, m->t.aborted, 1);
	KUNIT_EXPECT_EQ(test, t_req_ndone(b), 1);
	KUNIT_EXPECT_TRUE(test, b->r.no_response);
	KUNIT_EXPECT_LT(test, b->order, m->order);
	T_WAIT_HELD(test, 0, 2); /* c joined a */
	KUNIT_EXPECT_EQ(test, scst_null_release(t_dev(test, 0), 2), 2);
	T_WAIT_DONE(test, a);
	T_WAIT_DONE(test, c);
	t_expect_good_once(test, a);
	t_expect_good_once(test, c);
	KUNIT_EXPECT_EQ(test, t_req_ndone(b), 1);
	KUNIT_EXPECT_EQ(test, scst_null_executed(t_dev(test, 0)), base + 2);
}

static void order_tst0_shared_task_set(struct kunit *test)
{
	struct scst_local_sess *s1, *s2;
	struct treq *a, *b, *c, *d;
	uint64_t base;

	scst_dev_set_tst(t_dev(test, 0), SCST_TST_0_SINGLE_TASK_SET);
	s1 = tenv_open(test, "ini1");
	s2 = tenv_open(test, "ini2");
	t_clear_ua(test, s1, 0);
	t_clear_ua(test, s2, 0);
	base = scst_null_executed(t_dev(test, 0));

	a = t_rd(test, s1, 0, Q_ORDERED, 1);
	T_WAIT_HELD(test, 0, 1);
	b = t_rd(test, s2, 0, Q_SIMPLE, 2);
	t_settle();
	KUNIT_EXPECT_EQ(test, scst_null_held(t_dev(test, 0)), 1);
	KUNIT_EXPECT_EQ(test, scst_null_executed(t_dev(test, 0)), base + 1);
	KUNIT_EXPECT_EQ(test, scst_null_release(t_dev(test, 0), 1), 1);
	T_WAIT_DONE(test, a);
	T_WAIT_HELD(test, 0, 1);
	KUNIT_EXPECT_EQ(test, t_req_ndone(b), 0);
	KUNIT_EXPECT_EQ(test, scst_null_release(t_dev(test, 0), 1), 1);
	T_WAIT_DONE(test, b);
	t_expect_good_once(test, a);
	t_expect_good_once(test, b);

	/* SIMPLE commands of both sessions still run together. */
	c = t_rd(test, s1, 0, Q_SIMPLE, 3);
	d = t_rd(test, s2, 0, Q_SIMPLE, 4);
	T_WAIT_HELD(test, 0, 2);
	KUNIT_EXPECT_EQ(test, scst_null_release(t_dev(test, 0), 2), 2);
	T_WAIT_DONE(test, c);
	T_WAIT_DONE(test, d);
	t_expect_good_once(test, c);
	t_expect_good_once(test, d);
}

static void order_tst1_separate_task_sets(struct kunit *test)
{
	struct scst_local_sess *s1 = tenv_open(test, "ini1");
	struct scst_local_sess *s2 = tenv_open(test, "ini2");
	struct treq *a, *b, *c;

	t_clear_ua(test, s1, 0);
	t_clear_ua(test, s2, 0);
	a = t_rd(test, s1, 0, Q_ORDERED, 1);
	T_WAIT_HELD(test, 0, 1);
	b = t_rd(test, s2, 0, Q_SIMPLE, 2);
	c = t_rd(test, s2, 0, Q_ORDERED, 3);
	T_WAIT_HELD(test, 0, 2); /* b runs; c waits for b only */
	t_settle();
	KUNIT_EXPECT_EQ(test, scst_null_held(t_dev(test, 0)), 2);
	KUNIT_EXPECT_EQ(test, scst_null_release(t_dev(test, 0), 2), 2);
	T_WAIT_DONE(test, a);
	T_WAIT_DONE(test, b);
	T_WAIT_HELD(test, 0, 1);
	KUNIT_EXPECT_EQ(test, scst_null_release(t_dev(test, 0), 1), 1);
	T_WAIT_DONE(test, c);
	t_expect_good_once(test, a);
	t_expect_good_once(test, b);
	t_expect_good_once(test, c);
	KUNIT_EXPECT_LT(test, b->order, c->order);
}

/* -------------------------------------------------------------- suite ---- */

static int order_init(struct kunit *test)
{
	return tenv_up(test, 1, 1, SCST_NULL_F_HOLD);
}

static struct kunit_case scst_order_test_cases[] = {
    KUNIT_CASE(order_simple_run_together),
    KUNIT_CASE(order_ordered_waits_for_simple),
    KUNIT_CASE(order_simple_waits_for_ordered),
    KUNIT_CASE(order_head_of_queue),
    KUNIT_CASE(order_exact_completion_order),
    KUNIT_CASE(order_abort_waiting_ordered),
    KUNIT_CASE(order_tst0_shared_task_set),
    KUNIT_CASE(order_tst1_separate_task_sets),
    {}};

static struct kunit_suite scst_order_test_suite = {
    .name = "scst_order",
    .init = order_init,
    .exit = tenv_down,
    .test_cases = scst_order_test_cases,
};

kunit_test_suite(scst_order_test_suite);
