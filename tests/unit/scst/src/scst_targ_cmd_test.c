// SPDX-License-Identifier: GPL-2.0-only
/*
 * Unit tests of what the command path of the core (scst/src/scst_targ.c)
 * checks and computes for one command, seen from the loopback transport:
 * data direction and expected length, residuals, the ACA task attribute,
 * reserved CDB bits with their field pointer, read-only LUNs and
 * descriptor-format sense data.
 */
#include <string.h>

#include "scst/byteorder.h"
#include "scst_test_env.h"

/* ------------------------------------------------------------- checks ---- */

static void t_set_exp(struct scst_local_req *r, enum scst_data_direction d,
		      uint32_t len)
{
	r->exp_set = true;
	r->exp_dir = d;
	r->exp_len = len;
}

/* Like t_exec() with an expected direction and length. */
static uint32_t t_exec_exp(struct kunit *test, struct scst_local_sess *s,
			   const uint8_t *cdb, unsigned int cdb_len,
			   enum scst_data_direction d, uint32_t len,
			   struct scst_local_req *r, void *buf, uint32_t size)
{
	memset(r, 0, sizeof(*r));
	memcpy(r->cdb, cdb, cdb_len);
	r->cdb_len = cdb_len;
	r->data_in = buf;
	r->data_in_size = size;
	t_set_exp(r, d, len);
	KUNIT_ASSERT_EQ(test, scst_local_exec(s, r), 0);
	return t_result(r);
}

static void tcmd_write_expected_length(struct kunit *test)
{
	struct tenv *e = test->priv;
	struct scst_local_sess *s = tenv_open(test, "ini0");
	struct scst_local_req r;
	uint64_t executed;
	uint8_t cdb[10];

	t_clear_ua(test, s, 0);
	executed = scst_null_executed(e->dev[0]);
	t_cdb_rw10(cdb, WRITE_10, 0, 8); /* 4096 bytes */
	/* Not whole blocks: INVALID FIELD IN COMMAND INFORMATION UNIT. */
	KUNIT_EXPECT_EQ(
	    test,
	    t_exec_exp(test, s, cdb, 10, SCST_DATA_WRITE, 1000, &r, NULL, 0),
	    T_CC(ILLEGAL_REQUEST, 0x0e, 0x03));
	KUNIT_EXPECT_EQ(test, r.resid_kind, SCST_RESID_OVERFLOW);
	KUNIT_EXPECT_EQ(test, r.resid, 4096 - 1000);
	KUNIT_EXPECT_EQ(
	    test,
	    t_exec_exp(test, s, cdb, 10, SCST_DATA_READ, 4096, &r, NULL, 0),
	    T_CC(ILLEGAL_REQUEST, 0x24, 0x00));
	KUNIT_EXPECT_EQ(
	    test, t_exec_exp(test, s, cdb, 10, SCST_DATA_NONE, 0, &r, NULL, 0),
	    T_CC(ILLEGAL_REQUEST, 0x24, 0x00));
	/* None of them reached the handler. */
	KUNIT_EXPECT_EQ(test, scst_null_executed(e->dev[0]), executed);

	KUNIT_EXPECT_EQ(
	    test,
	    t_exec_exp(test, s, cdb, 10, SCST_DATA_WRITE, 4096, &r, NULL, 0),
	    T_GOOD);
	KUNIT_EXPECT_EQ(test, r.resid_kind, SCST_RESID_NONE);
	KUNIT_EXPECT_EQ(
	    test,
	    t_exec_exp(test, s, cdb, 10, SCST_DATA_WRITE, 8192, &r, NULL, 0),
	    T_GOOD);
	KUNIT_EXPECT_EQ(test, r.resid_kind, SCST_RESID_UNDERFLOW);
	KUNIT_EXPECT_EQ(test, r.resid, 4096);
	/* Whole blocks short: only those are written, the rest overflows. */
	KUNIT_EXPECT_EQ(
	    test,
	    t_exec_exp(test, s, cdb, 10, SCST_DATA_WRITE, 2048, &r, NULL, 0),
	    T_GOOD);
	KUNIT_EXPECT_EQ(test, r.resid_kind, SCST_RESID_OVERFLOW);
	KUNIT_EXPECT_EQ(test, r.resid, 2048);
	KUNIT_EXPECT_EQ(test, scst_null_executed(e->dev[0]), executed + 3);
}

/*
 * A WRITE of zero blocks moves no data (SBC-3 5.x: TRANSFER LENGTH 0 is not
 * an error), so an initiator that declares no Data-Out (iSCSI: W=0,
 * EDTL=0) must get GOOD, as it does when it declares a Data-Out of 0.
 */
static void tcmd_write_zero_length(struct kunit *test)
{
	struct tenv *e = test->priv;
	struct scst_local_sess *s = tenv_open(test, "ini0");
	struct scst_local_req r;
	uint64_t base;
	uint8_t cdb[10];

	t_clear_ua(test, s, 0);
	base = scst_null_executed(e->dev[0]);
	t_cdb_rw10(cdb, WRITE_10, 0, 0);
	KUNIT_EXPECT_EQ(
	    test, t_exec_exp(test, s, cdb, 10, SCST_DATA_WRITE, 0, &r, NULL, 0),
	    T_GOOD);
	KUNIT_EXPECT_EQ(test, t_exec(test, s, 0, cdb, 10, &r, NULL, 0), T_GOOD);
	KUNIT_EXPECT_EQ_MSG(
	    test, t_exec_exp(test, s, cdb, 10, SCST_DATA_NONE, 0, &r, NULL, 0),
	    T_GOOD,
	    "a zero-length WRITE(10) with no Data-Out declared "
	    "must not be refused");
	KUNIT_EXPECT_EQ(test, r.resid_kind, SCST_RESID_NONE);
	/* None of them had anything to write. */
	KUNIT_EXPECT_EQ(test, scst_null_executed(e->dev[0]), base + 3);
}

static void tcmd_resid_inquiry(struct kunit *test)
{
	static const uint8_t inq[6] = {INQUIRY, 0, 0, 0, 96, 0};
	struct scst_local_sess *s = tenv_open(test, "ini0");
	struct scst_local_req r;
	uint8_t buf[128];

	KUNIT_EXPECT_EQ(test,
			t_exec_exp(test, s, inq, 6, SCST_DATA_READ, 96, &r, buf,
				   sizeof(buf)),
			T_GOOD);
	KUNIT_EXPECT_EQ(test, r.data_in_len, 36);
	KUNIT_EXPECT_EQ(test, r.resid_kind, SCST_RESID_UNDERFLOW);
	KUNIT_EXPECT_EQ(test, r.resid, 60);
	KUNIT_EXPECT_MEMEQ(test, buf + 16, "NULL DISK", 9);

	/* The initiator expects less than the 36 bytes produced. */
	KUNIT_EXPECT_EQ(test,
			t_exec_exp(test, s, inq, 6, SCST_DATA_READ, 20, &r, buf,
				   sizeof(buf)),
			T_GOOD);
	KUNIT_EXPECT_EQ(test, r.data_in_len, 20);
	KUNIT_EXPECT_EQ(test, r.resid_kind, SCST_RESID_OVERFLOW);
	KUNIT_EXPECT_EQ(test, r.resid, 16);

	/* Without an expected length there is no residual. */
	KUNIT_EXPECT_EQ(test, t_exec(test, s, 0, inq, 6, &r, buf, sizeof(buf)),
			T_GOOD);
	KUNIT_EXPECT_EQ(test, r.data_in_len, 36);
	KUNIT_EXPECT_EQ(test, r.resid_kind, SCST_RESID_NONE);
}

static void tcmd_resid_read(struct kunit *test)
{
	struct scst_local_sess *s = tenv_open(test, "ini0");
	struct scst_local_req r;
	uint8_t cdb[10], *buf = kunit_kzalloc(test, 8192, GFP_KERNEL);

	KUNIT_ASSERT_NOT_NULL(test, buf);
	t_clear_ua(test, s, 0);
	t_cdb_rw10(cdb, READ_10, 0, 8); /* 4096 bytes */
	KUNIT_EXPECT_EQ(
	    test,
	    t_exec_exp(test, s, cdb, 10, SCST_DATA_READ, 2048, &r, buf, 8192),
	    T_GOOD);
	KUNIT_EXPECT_EQ(test, r.data_in_len, 2048);
	KUNIT_EXPECT_EQ(test, r.resid_kind, SCST_RESID_OVERFLOW);
	KUNIT_EXPECT_EQ(test, r.resid, 2048);

	KUNIT_EXPECT_EQ(
	    test,
	    t_exec_exp(test, s, cdb, 10, SCST_DATA_READ, 8192, &r, buf, 8192),
	    T_GOOD);
	KUNIT_EXPECT_EQ(test, r.data_in_len, 4096);
	KUNIT_EXPECT_EQ(test, r.resid_kind, SCST_RESID_UNDERFLOW);
	KUNIT_EXPECT_EQ(test, r.resid, 4096);

	KUNIT_EXPECT_EQ(
	    test,
	    t_exec_exp(test, s, cdb, 10, SCST_DATA_READ, 4096, &r, buf, 8192),
	    T_GOOD);
	KUNIT_EXPECT_EQ(test, r.data_in_len, 4096);
	KUNIT_EXPECT_EQ(test, r.resid_kind, SCST_RESID_NONE);
	KUNIT_EXPECT_EQ(test, r.resid, 0);

	/* Off by one either way. */
	t_exec_exp(test, s, cdb, 10, SCST_DATA_READ, 4095, &r, buf, 8192);
	KUNIT_EXPECT_EQ(test, r.resid_kind, SCST_RESID_OVERFLOW);
	KUNIT_EXPECT_EQ(test, r.resid, 1);
	t_exec_exp(test, s, cdb, 10, SCST_DATA_READ, 4097, &r, buf, 8192);
	KUNIT_EXPECT_EQ(test, r.resid_kind, SCST_RESID_UNDERFLOW);
	KUNIT_EXPECT_EQ(test, r.resid, 1);
}

static void tcmd_aca_refused(struct kunit *test)
{
	struct tenv *e = test->priv;
	struct scst_local_sess *s = tenv_open(test, "ini0");
	uint64_t executed;
	struct treq *q;
	uint8_t cdb[10];

	t_clear_ua(test, s, 0);
	executed = scst_null_executed(e->dev[0]);
	t_cdb_rw10(cdb, READ_10, 0, 1);
	q = t_req_submit(test, s, 0, cdb, 10, SCST_CMD_QUEUE_ACA, 7);
	T_WAIT(test, t_req_ndone(q) == 1, "the ACA command");
	KUNIT_EXPECT_FALSE(test, q->r.no_response);
	KUNIT_EXPECT_EQ(test, t_result(&q->r),
			T_CC(ILLEGAL_REQUEST, 0x49, 0x00));
	KUNIT_EXPECT_EQ(test, q->r.data_in_len, 0);
	KUNIT_EXPECT_EQ(test, scst_null_executed(e->dev[0]), executed);

	/* UNTAGGED is SIMPLE, not refused. */
	q = t_req_submit(test, s, 0, cdb, 10, SCST_CMD_QUEUE_UNTAGGED, 8);
	T_WAIT(test, t_req_ndone(q) == 1, "the untagged command");
	KUNIT_EXPECT_EQ(test, t_result(&q->r), T_GOOD);
	KUNIT_EXPECT_EQ(test, scst_null_executed(e->dev[0]), executed + 1);
}

static void tcmd_reserved_bits(struct kunit *test)
{
	static const uint8_t bad_op[6] = {0xff};
	struct tenv *e = test->priv;
	struct scst_local_sess *s = tenv_open(test, "ini0");
	struct scst_local_req r;
	uint64_t executed;
	uint8_t cdb[10];

	t_clear_ua(test, s, 0);
	executed = scst_null_executed(e->dev[0]);

	/* READ(10) byte 1 bit 0 is reserved: SKSV | C/D | BPV | bit 0. */
	t_cdb_rw10(cdb, READ_10, 0, 1);
	cdb[1] = 0x01;
	KUNIT_EXPECT_EQ(test, t_exec(test, s, 0, cdb, 10, &r, NULL, 0),
			T_CC(ILLEGAL_REQUEST, 0x24, 0x00));
	KUNIT_ASSERT_EQ(test, r.sense_len, 18);
	KUNIT_EXPECT_EQ(test, r.sense[15], 0xc8);
	KUNIT_EXPECT_EQ(test, r.sense[16], 0x00);
	KUNIT_EXPECT_EQ(test, r.sense[17], 0x01);

	/* NACA in the control byte: byte 9 bit 2. */
	t_cdb_rw10(cdb, READ_10, 0, 1);
	cdb[9] = SCST_CONTROL_NACA;
	KUNIT_EXPECT_EQ(test, t_exec(test, s, 0, cdb, 10, &r, NULL, 0),
			T_CC(ILLEGAL_REQUEST, 0x24, 0x00));
	KUNIT_ASSERT_EQ(test, r.sense_len, 18);
	KUNIT_EXPECT_EQ(test, r.sense[15], 0xca);
	KUNIT_EXPECT_EQ(test, r.sense[16], 0x00);
	KUNIT_EXPECT_EQ(test, r.sense[17], 0x09);

	/* A READ(10) cut to 6 bytes: pointer at the first missing byte. */
	t_cdb_rw10(cdb, READ_10, 0, 1);
	KUNIT_EXPECT_EQ(test, t_exec(test, s, 0, cdb, 6, &r, NULL, 0),
			T_CC(ILLEGAL_REQUEST, 0x24, 0x00));
	KUNIT_EXPECT_EQ(test, r.sense[15] & 0xc8, 0xc0);
	KUNIT_EXPECT_EQ(test, r.sense[17], 6);

	KUNIT_EXPECT_EQ(test, t_exec(test, s, 0, bad_op, 6, &r, NULL, 0),
			T_CC(ILLEGAL_REQUEST, 0x20, 0x00));
	KUNIT_EXPECT_EQ(test, t_exec(test, s, 0, bad_op, 0, &r, NULL, 0),
			T_CC(ILLEGAL_REQUEST, 0x20, 0x00));
	KUNIT_EXPECT_EQ(test, scst_null_executed(e->dev[0]), executed);
}

static void tcmd_read_only_lun(struct kunit *test)
{
	static const uint8_t msense[6] = {MODE_SENSE, 0, 0x3f, 0, 4, 0};
	struct tenv *e = test->priv;
	struct scst_local_sess *s;
	struct scst_local_req r;
	uint64_t executed;
	uint8_t cdb[10], buf[8];

	KUNIT_ASSERT_EQ(
	    test,
	    scst_acg_add_lun(scst_tgt_default_acg(e->tgt), e->dev[1], 1, true),
	    0);
	s = tenv_open(test, "ini0");
	t_clear_ua(test, s, 0);
	t_clear_ua(test, s, 1);
	executed = scst_null_executed(e->dev[1]);

	t_cdb_rw10(cdb, WRITE_10, 0, 1);
	KUNIT_EXPECT_EQ(test, t_exec(test, s, 1, cdb, 10, &r, NULL, 0),
			T_CC(DATA_PROTECT, 0x27, 0x00));
	KUNIT_EXPECT_EQ(test, scst_null_executed(e->dev[1]), executed);
	t_cdb_rw10(cdb, READ_10, 0, 1);
	KUNIT_EXPECT_EQ(test, t_exec(test, s, 1, cdb, 10, &r, NULL, 0), T_GOOD);
	KUNIT_EXPECT_EQ(test, scst_null_executed(e->dev[1]), executed + 1);
	/* The handler sees the LUN as read-only: WP in MODE SENSE. */
	KUNIT_EXPECT_EQ(test, t_exec(test, s, 1, msense, 6, &r, buf, 4),
			T_GOOD);
	KUNIT_EXPECT_EQ(test, buf[2] & 0x80, 0x80);

	/* The writable LUN next to it still takes writes. */
	t_cdb_rw10(cdb, WRITE_10, 0, 1);
	KUNIT_EXPECT_EQ(test, t_exec(test, s, 0, cdb, 10, &r, NULL, 0), T_GOOD);
	KUNIT_EXPECT_EQ(test, t_exec(test, s, 0, msense, 6, &r, buf, 4),
			T_GOOD);
	KUNIT_EXPECT_EQ(test, buf[2] & 0x80, 0);
}

static void tcmd_descriptor_sense(struct kunit *test)
{
	static const uint8_t sks[8] = {0x02, 0x06, 0, 0, 0xc8, 0, 0x01, 0};
	struct tenv *e = test->priv;
	struct scst_local_sess *s;
	struct scst_local_req r;
	uint8_t cdb[10];

	scst_dev_set_d_sense(e->dev[0], true);
	KUNIT_EXPECT_TRUE(test, scst_dev_d_sense(e->dev[0]));
	s = tenv_open(test, "ini0");

	KUNIT_EXPECT_EQ(test, t_exec(test, s, 0, t_cdb_tur, 6, &r, NULL, 0),
			T_UA(0x29, 0x00));
	KUNIT_EXPECT_EQ(test, r.sense_len, 8);
	KUNIT_EXPECT_EQ(test, r.sense[0], 0x72);
	KUNIT_EXPECT_EQ(test, r.sense[7], 0);

	t_cdb_rw10(cdb, READ_10, 0, 1);
	cdb[1] = 0x01;
	KUNIT_EXPECT_EQ(test, t_exec(test, s, 0, cdb, 10, &r, NULL, 0),
			T_CC(ILLEGAL_REQUEST, 0x24, 0x00));
	KUNIT_ASSERT_EQ(test, r.sense_len, 16);
	KUNIT_EXPECT_EQ(test, r.sense[0], 0x72);
	KUNIT_EXPECT_EQ(test, r.sense[7], 8);
	KUNIT_EXPECT_MEMEQ(test, r.sense + 8, sks, sizeof(sks));

	/* The handler's LBA OUT OF RANGE carries an information descriptor. */
	t_cdb_rw10(cdb, READ_10, 2047, 2);
	KUNIT_EXPECT_EQ(test, t_exec(test, s, 0, cdb, 10, &r, NULL, 0),
			T_CC(ILLEGAL_REQUEST, 0x21, 0x00));
	KUNIT_ASSERT_EQ(test, r.sense_len, 20);
	KUNIT_EXPECT_EQ(test, r.sense[8], 0x00);
	KUNIT_EXPECT_EQ(test, r.sense[9], 0x0a);
	KUNIT_EXPECT_EQ(test, r.sense[10], 0x80);
	KUNIT_EXPECT_EQ(test, scst_get_be64(r.sense + 12), 2047);

	/* Back to fixed format. */
	scst_dev_set_d_sense(e->dev[0], false);
	KUNIT_EXPECT_EQ(test, t_exec(test, s, 0, cdb, 10, &r, NULL, 0),
			T_CC(ILLEGAL_REQUEST, 0x21, 0x00));
	KUNIT_EXPECT_EQ(test, r.sense[0], 0xf0); /* VALID | 70h */
	KUNIT_EXPECT_EQ(test, scst_get_be32(r.sense + 3), 2047);
}

/* -------------------------------------------------------------- suite ---- */

static int tcmd_init(struct kunit *test)
{
	return tenv_up(test, 2, 1, 0);
}

static struct kunit_case scst_targ_cmd_test_cases[] = {
    KUNIT_CASE(tcmd_write_expected_length),
    KUNIT_CASE(tcmd_write_zero_length),
    KUNIT_CASE(tcmd_resid_inquiry),
    KUNIT_CASE(tcmd_resid_read),
    KUNIT_CASE(tcmd_aca_refused),
    KUNIT_CASE(tcmd_reserved_bits),
    KUNIT_CASE(tcmd_read_only_lun),
    KUNIT_CASE(tcmd_descriptor_sense),
    {}};

static struct kunit_suite scst_targ_cmd_test_suite = {
    .name = "scst_targ_cmd",
    .init = tcmd_init,
    .exit = tenv_down,
    .test_cases = scst_targ_cmd_test_cases,
};

kunit_test_suite(scst_targ_cmd_test_suite);
