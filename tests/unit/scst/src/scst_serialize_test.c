// SPDX-License-Identifier: GPL-2.0-only
/*
 * Unit tests of per-device serialization (scst/src/scst_serialize.c):
 * which commands may be in execution on a device at the same time whatever
 * nexus they come from, the LBA ranges of atomic commands, arrival order
 * among blocked commands, and aborting a blocked command. Each command
 * comes from its own session, so task attributes play no part; the null
 * disk holds media commands in execution (SCST_NULL_F_HOLD).
 */
#include "scst/byteorder.h"
#include "scst_test_env.h"

/* ------------------------------------------------------------ helpers ---- */

static struct treq *rw(struct kunit *test, struct scst_local_sess *s,
		       uint8_t op, uint32_t lba, uint16_t n, uint64_t tag)
{
	uint8_t cdb[10];

	t_cdb_rw10(cdb, op, lba, n);
	return t_req_submit(test, s, 0, cdb, 10, SCST_CMD_QUEUE_SIMPLE, tag);
}

/* MODE SELECT(6) with no parameter data: must run alone on the device. */
static struct treq *excl(struct kunit *test, struct scst_local_sess *s,
			 uint64_t tag)
{
	static const uint8_t cdb[6] = {MODE_SELECT, 0x10};

	return t_req_submit(test, s, 0, cdb, 6, SCST_CMD_QUEUE_SIMPLE, tag);
}

/* COMPARE AND WRITE of @n blocks at @lba: atomic over its range. */
static struct treq *caw(struct kunit *test, struct scst_local_sess *s,
			uint64_t lba, uint8_t n, uint64_t tag)
{
	uint8_t cdb[16] = {COMPARE_AND_WRITE};

	scst_put_be64(cdb + 2, lba);
	cdb[13] = n;
	return t_req_submit(test, s, 0, cdb, 16, SCST_CMD_QUEUE_SIMPLE, tag);
}

/* -------------------------------------------------------------- cases ---- */

static void ser_reads_and_writes_overlap_freely(struct kunit *test)
{
	struct scst_local_sess *s1 = t_open_clear(test, "ini1", 1);
	struct scst_local_sess *s2 = t_open_clear(test, "ini2", 1);
	struct scst_local_sess *s3 = t_open_clear(test, "ini3", 1);
	struct treq *a, *b, *c;

	a = rw(test, s1, READ_10, 0, 8, 1);
	b = rw(test, s2, WRITE_10, 0, 8, 2);
	c = rw(test, s3, WRITE_10, 4, 1, 3);
	T_WAIT_HELD(test, 0, 3);
	KUNIT_EXPECT_EQ(test, scst_null_release(t_dev(test, 0), 3), 3);
	T_WAIT_DONE(test, a);
	T_WAIT_DONE(test, b);
	T_WAIT_DONE(test, c);
	KUNIT_EXPECT_EQ(test, t_result(&a->r), T_GOOD);
	KUNIT_EXPECT_EQ(test, t_result(&b->r), T_GOOD);
	KUNIT_EXPECT_EQ(test, t_result(&c->r), T_GOOD);
}

static void ser_exclusive_waits_and_blocks(struct kunit *test)
{
	struct scst_local_sess *s1 = t_open_clear(test, "ini1", 1);
	struct scst_local_sess *s2 = t_open_clear(test, "ini2", 1);
	struct scst_local_sess *s3 = t_open_clear(test, "ini3", 1);
	struct treq *a, *x, *b;
	uint64_t base;

	a = rw(test, s1, READ_10, 0, 1, 1);
	T_WAIT_HELD(test, 0, 1);
	base = scst_null_executed(t_dev(test, 0));
	x = excl(test, s2, 2);
	t_settle();
	KUNIT_EXPECT_EQ(test, t_req_ndone(x), 0);
	/* A younger READ does not overtake the blocked exclusive command. */
	b = rw(test, s3, READ_10, 1000, 1, 3);
	t_settle();
	KUNIT_EXPECT_EQ(test, scst_null_executed(t_dev(test, 0)), base);
	KUNIT_EXPECT_EQ(test, scst_null_held(t_dev(test, 0)), 1);

	KUNIT_EXPECT_EQ(test, scst_null_release(t_dev(test, 0), 1), 1);
	T_WAIT_DONE(test, a);
	T_WAIT_DONE(test, x);
	T_WAIT_HELD(test, 0, 1);
	KUNIT_EXPECT_EQ(test, scst_null_executed(t_dev(test, 0)), base + 2);
	KUNIT_EXPECT_EQ(test, scst_null_release(t_dev(test, 0), 1), 1);
	T_WAIT_DONE(test, b);
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
	struct scst_local_sess *s1 = t_open_clear(test, "ini1", 1);
	struct scst_local_sess *s2 = t_open_clear(test, "ini2", 1);
	struct scst_local_sess *s3 = t_open_clear(test, "ini3", 1);
	struct treq *a, *c4, *c100, *r4, *r500;
	uint64_t base = scst_null_executed(t_dev(test, 0));

	a = rw(test, s1, READ_10, 0, 8, 1); /* LBAs 0-7 */
	T_WAIT_HELD(test, 0, 1);
	c4 = caw(test, s2, 4, 1, 2);
	c100 = caw(test, s2, 100, 1, 3);
	/* Outside every range in use: passes at once. */
	T_WAIT_DONE(test, c100);
	t_settle();
	KUNIT_EXPECT_EQ(test, t_req_ndone(c4), 0);
	/* Behind the blocked atomic command if it overlaps it, else not. */
	r4 = rw(test, s3, READ_10, 4, 1, 4);
	r500 = rw(test, s3, READ_10, 500, 1, 5);
	T_WAIT_HELD(test, 0, 2); /* a and r500 */
	t_settle();
	KUNIT_EXPECT_EQ(test, scst_null_held(t_dev(test, 0)), 2);
	KUNIT_EXPECT_EQ(test, t_req_ndone(c4) + t_req_ndone(r4), 0);
	/* a, c100 and r500 reached the handler; c4 and r4 did not. */
	KUNIT_EXPECT_EQ(test, scst_null_executed(t_dev(test, 0)), base + 3);

	KUNIT_EXPECT_EQ(test, scst_null_release(t_dev(test, 0), 2), 2);
	T_WAIT_DONE(test, a);
	T_WAIT_DONE(test, r500);
	T_WAIT_DONE(test, c4);
	T_WAIT_HELD(test, 0, 1);
	KUNIT_EXPECT_EQ(test, scst_null_release(t_dev(test, 0), 1), 1);
	T_WAIT_DONE(test, r4);
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
	s = t_open_clear(test, "ini1", 1);
	t_clear_ua(test, s, 5);
	a = rw(test, s, READ_10, 0, 1, 1);
	T_WAIT_HELD(test, 0, 1);
	x = t_req_submit(test, s, 5, msel, 6, SCST_CMD_QUEUE_SIMPLE, 2);
	t_settle();
	KUNIT_EXPECT_EQ(test, t_req_ndone(x), 0);
	KUNIT_EXPECT_EQ(test, scst_null_release(t_dev(test, 0), 1), 1);
	T_WAIT_DONE(test, a);
	T_WAIT_DONE(test, x);
	KUNIT_EXPECT_EQ(test, t_result(&a->r), T_GOOD);
	KUNIT_EXPECT_EQ(test, t_result(&x->r),
			T_CC(ILLEGAL_REQUEST, 0x20, 0x00));
}

static void ser_abort_blocked(struct kunit *test)
{
	struct scst_local_sess *s1 = t_open_clear(test, "ini1", 1);
	struct scst_local_sess *s2 = t_open_clear(test, "ini2", 1);
	struct scst_local_sess *s3 = t_open_clear(test, "ini3", 1);
	struct treq *a, *x, *b;
	struct ttmf *m;

	a = rw(test, s1, READ_10, 0, 1, 1);
	T_WAIT_HELD(test, 0, 1);
	x = excl(test, s2, 2);
	t_settle(); /* x reaches the device first */
	b = rw(test, s3, READ_10, 9, 1, 3);
	t_settle();
	KUNIT_EXPECT_EQ(test, scst_null_held(t_dev(test, 0)), 1);

	/* Out of the blocked list at once; what it held back may go. */
	m = t_tmf_submit(test, s2, SCST_ABORT_TASK, 0, 2);
	T_WAIT(test, t_tmf_ndone(m) == 1, "the ABORT TASK response");
	KUNIT_EXPECT_EQ(test, m->t.status, SCST_MGMT_STATUS_SUCCESS);
	KUNIT_EXPECT_EQ(test, m->t.aborted, 1);
	KUNIT_EXPECT_EQ(test, t_req_ndone(x), 1);
	KUNIT_EXPECT_TRUE(test, x->r.no_response);
	T_WAIT_HELD(test, 0, 2);
	KUNIT_EXPECT_EQ(test, scst_null_release(t_dev(test, 0), 2), 2);
	T_WAIT_DONE(test, a);
	T_WAIT_DONE(test, b);
	KUNIT_EXPECT_EQ(test, t_result(&a->r), T_GOOD);
	KUNIT_EXPECT_EQ(test, t_result(&b->r), T_GOOD);
	KUNIT_EXPECT_EQ(test, t_req_ndone(x), 1);
}

static void ser_lun_reset_blocked(struct kunit *test)
{
	struct scst_local_sess *s1 = t_open_clear(test, "ini1", 1);
	struct scst_local_sess *s2 = t_open_clear(test, "ini2", 1);
	struct scst_local_sess *s3 = t_open_clear(test, "ini3", 1);
	struct treq *a, *x;
	struct ttmf *m;

	a = rw(test, s1, READ_10, 0, 1, 1);
	T_WAIT_HELD(test, 0, 1);
	x = excl(test, s2, 2);
	t_settle();
	m = t_tmf_submit(test, s3, SCST_LUN_RESET, 0, 0);
	T_WAIT_DONE(test, x);
	KUNIT_EXPECT_TRUE(test, x->r.no_response);
	t_settle();
	KUNIT_EXPECT_EQ(test, t_tmf_ndone(m), 0);
	KUNIT_EXPECT_EQ(test, scst_null_release(t_dev(test, 0), 1), 1);
	T_WAIT(test, t_tmf_ndone(m) == 1, "the LUN RESET response");
	KUNIT_EXPECT_EQ(test, m->t.status, SCST_MGMT_STATUS_SUCCESS);
	KUNIT_EXPECT_EQ(test, m->t.aborted, 2);
	KUNIT_EXPECT_EQ(test, t_req_ndone(a), 1);
	KUNIT_EXPECT_TRUE(test, a->r.no_response);
	KUNIT_EXPECT_LT(test, a->order, m->order);
	KUNIT_EXPECT_EQ(test, t_tur(test, s1, 0), T_UA(0x29, 0x03));
	KUNIT_EXPECT_EQ(test, t_tur(test, s2, 0), T_UA(0x29, 0x03));
	KUNIT_EXPECT_EQ(test, t_tur(test, s3, 0), T_UA(0x29, 0x03));
}

/* -------------------------------------------------------------- suite ---- */

static int ser_init(struct kunit *test)
{
	return tenv_up(test, 1, 1, SCST_NULL_F_HOLD);
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
