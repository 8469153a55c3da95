// SPDX-License-Identifier: GPL-2.0-only
/*
 * Unit tests of unit attention conditions (scst/src/scst_ua.c and the
 * places that raise and clear them: sessions, LUN tables, REPORT LUNS,
 * REQUEST SENSE, LOGICAL UNIT RESET and I_T NEXUS RESET).
 */
#include <errno.h>

#include "scst/byteorder.h"
#include "scst_test_env.h"

/* ------------------------------------------------------------ helpers ---- */

static const uint8_t cdb_inquiry[6] = {INQUIRY, 0, 0, 0, 36, 0};
static const uint8_t cdb_rl[12] = {REPORT_LUNS, 0, 0, 0, 0, 0, 0, 0, 1, 0};

static struct scst_acg *dflt(struct kunit *test)
{
	return scst_tgt_default_acg(t_env(test)->tgt);
}

/* The next @n conditions of the nexus, in the order they are reported. */
static void expect_uas(struct kunit *test, struct scst_local_sess *s,
		       uint64_t lun, const uint32_t *want, unsigned int n)
{
	unsigned int i;
	uint32_t got;

	for (i = 0; i <= n; i++) {
		got = t_tur(test, s, lun);
		KUNIT_EXPECT_EQ_MSG(test, got, i < n ? want[i] : T_GOOD,
				    "LUN %llu report %u: got %#x",
				    (unsigned long long)lun, i, got);
	}
}

static void expect_ua(struct kunit *test, struct scst_local_sess *s,
		      uint64_t lun, uint32_t want)
{
	expect_uas(test, s, lun, &want, 1);
}

static uint32_t request_sense(struct kunit *test, struct scst_local_sess *s,
			      uint64_t lun, bool desc, uint8_t *buf,
			      uint32_t *len)
{
	uint8_t cdb[6] = {REQUEST_SENSE, desc ? 1 : 0, 0, 0, 252, 0};
	struct scst_local_req r;
	uint32_t res = t_exec(test, s, lun, cdb, 6, &r, buf, 252);

	*len = r.data_in_len;
	return res;
}

/* -------------------------------------------------------------- cases ---- */

static void ua_first_command_of_each_nexus(struct kunit *test)
{
	struct scst_local_sess *s1 = tenv_open(test, "ini1");
	struct scst_local_sess *s2;

	expect_ua(test, s1, 0, T_UA(0x29, 0x00));
	/* Each LUN has its own condition. */
	expect_ua(test, s1, 1, T_UA(0x29, 0x00));
	/* And each session: clearing s1's left s2's alone. */
	s2 = tenv_open(test, "ini2");
	expect_ua(test, s2, 0, T_UA(0x29, 0x00));
	expect_ua(test, s2, 1, T_UA(0x29, 0x00));
}

static void ua_inquiry_and_report_luns_exempt(struct kunit *test)
{
	struct scst_local_sess *s = tenv_open(test, "ini0");
	struct scst_local_req r;
	uint8_t buf[256];

	KUNIT_EXPECT_EQ(
	    test, t_exec(test, s, 0, cdb_inquiry, 6, &r, buf, sizeof(buf)),
	    T_GOOD);
	KUNIT_EXPECT_EQ(test, r.data_in_len, 36);
	KUNIT_EXPECT_EQ(test, buf[0], TYPE_DISK);
	KUNIT_EXPECT_EQ(
	    test, t_exec(test, s, 0, cdb_rl, 12, &r, buf, sizeof(buf)), T_GOOD);
	KUNIT_EXPECT_EQ(test, scst_get_be32(buf), 16); /* LUNs 0 and 1 */
	/* Neither consumed the power-on condition. */
	expect_ua(test, s, 0, T_UA(0x29, 0x00));
}

static void ua_add_and_del_lun(struct kunit *test)
{
	struct scst_local_sess *s = tenv_open(test, "ini0");
	struct scst_local_sess *other;
	struct scst_acg *g;

	/* A session of another group is not told about the default's. */
	KUNIT_ASSERT_EQ(
	    test, scst_acg_create(((struct tenv *)test->priv)->tgt, "g1", &g),
	    0);
	KUNIT_ASSERT_EQ(test, scst_acg_add_ini(g, "other"), 0);
	KUNIT_ASSERT_EQ(test, scst_acg_add_lun(g, t_dev(test, 0), 0, false), 0);
	other = tenv_open(test, "other");
	t_clear_ua(test, other, 0);
	t_clear_ua(test, s, 0);
	t_clear_ua(test, s, 1);

	KUNIT_ASSERT_EQ(
	    test, scst_acg_add_lun(dflt(test), t_dev(test, 2), 2, false), 0);
	expect_ua(test, s, 0, T_UA(0x3f, 0x0e));
	expect_ua(test, s, 1, T_UA(0x3f, 0x0e));
	/* The new LUN starts with its power-on condition only. */
	expect_ua(test, s, 2, T_UA(0x29, 0x00));
	KUNIT_EXPECT_EQ(test, t_tur(test, other, 0), T_GOOD);

	KUNIT_ASSERT_EQ(test, scst_acg_del_lun(dflt(test), 1), 0);
	expect_ua(test, s, 0, T_UA(0x3f, 0x0e));
	expect_ua(test, s, 2, T_UA(0x3f, 0x0e));
	KUNIT_EXPECT_EQ(test, t_tur(test, s, 1),
			T_CC(ILLEGAL_REQUEST, 0x25, 0x00));
	KUNIT_EXPECT_EQ(test, t_tur(test, other, 0), T_GOOD);
	KUNIT_EXPECT_EQ(test, scst_acg_del_lun(dflt(test), 1), -ENOENT);
}

static void ua_report_luns_clears_luns_changed(struct kunit *test)
{
	struct scst_local_sess *s = tenv_open(test, "ini0");
	struct scst_local_req r;
	uint8_t buf[256];

	t_clear_ua(test, s, 0);
	t_clear_ua(test, s, 1);
	KUNIT_ASSERT_EQ(
	    test, scst_acg_add_lun(dflt(test), t_dev(test, 2), 2, false), 0);
	/* INQUIRY leaves it pending... */
	KUNIT_EXPECT_EQ(
	    test, t_exec(test, s, 0, cdb_inquiry, 6, &r, buf, sizeof(buf)),
	    T_GOOD);
	/* ...REPORT LUNS, sent to LUN 1, clears it on every LUN. */
	KUNIT_EXPECT_EQ(
	    test, t_exec(test, s, 1, cdb_rl, 12, &r, buf, sizeof(buf)), T_GOOD);
	KUNIT_EXPECT_EQ(test, scst_get_be32(buf), 24);
	KUNIT_EXPECT_EQ(test, t_tur(test, s, 0), T_GOOD);
	KUNIT_EXPECT_EQ(test, t_tur(test, s, 1), T_GOOD);
	/* But not the other conditions. */
	expect_ua(test, s, 2, T_UA(0x29, 0x00));
}

static void ua_replace_lun(struct kunit *test)
{
	static const uint8_t vpd80[6] = {INQUIRY, 1, 0x80, 0, 64, 0};
	struct scst_local_sess *s = tenv_open(test, "ini0");
	struct scst_local_req r;
	uint8_t buf[64];

	t_clear_ua(test, s, 0);
	t_clear_ua(test, s, 1);
	KUNIT_ASSERT_EQ(
	    test, scst_acg_replace_lun(dflt(test), t_dev(test, 2), 0, false),
	    0);
	expect_ua(test, s, 0, T_UA(0x3f, 0x03));
	/* The inventory did not change. */
	KUNIT_EXPECT_EQ(test, t_tur(test, s, 1), T_GOOD);
	/* LUN 0 now shows the other device (its serial number is its name). */
	KUNIT_EXPECT_EQ(
	    test, t_exec(test, s, 0, vpd80, 6, &r, buf, sizeof(buf)), T_GOOD);
	KUNIT_EXPECT_EQ(test, buf[3], 5);
	KUNIT_EXPECT_MEMEQ(test, buf + 4, "null2", 5);
	KUNIT_EXPECT_EQ(
	    test, scst_acg_replace_lun(dflt(test), t_dev(test, 2), 9, false),
	    -ENOENT);
}

static void ua_reset_class_first(struct kunit *test)
{
	static const uint32_t want[] = {
	    T_UA(0x29, 0x07),
	    T_UA(0x2a, 0x09),
	    T_UA(0x3f, 0x03),
	    T_UA(0x2a, 0x01),
	};
	struct scst_local_sess *s = tenv_open(test, "ini0");

	t_clear_ua(test, s, 0);
	scst_dev_set_ua(t_dev(test, 0), UNIT_ATTENTION, 0x2a, 0x09);
	scst_dev_set_ua(t_dev(test, 0), UNIT_ATTENTION, 0x3f, 0x03);
	scst_dev_set_ua(t_dev(test, 0), UNIT_ATTENTION, 0x29, 0x07);
	scst_dev_set_ua(t_dev(test, 0), UNIT_ATTENTION, 0x2a, 0x01);
	expect_uas(test, s, 0, want, 4);
}

static void ua_no_duplicates(struct kunit *test)
{
	static const uint32_t want[] = {T_UA(0x2a, 0x09), T_UA(0x3f, 0x03)};
	struct scst_local_sess *s = tenv_open(test, "ini0");

	t_clear_ua(test, s, 0);
	scst_dev_set_ua(t_dev(test, 0), UNIT_ATTENTION, 0x2a, 0x09);
	scst_dev_set_ua(t_dev(test, 0), UNIT_ATTENTION, 0x2a, 0x09);
	scst_dev_set_ua(t_dev(test, 0), UNIT_ATTENTION, 0x3f, 0x03);
	scst_dev_set_ua(t_dev(test, 0), UNIT_ATTENTION, 0x2a, 0x09);
	expect_uas(test, s, 0, want, 2);
}

/* Past SCST_UA_MAX (16) pending, one reset condition stands for all. */
static void ua_queue_overflow(struct kunit *test)
{
	struct scst_local_sess *s = tenv_open(test, "ini0");
	uint32_t want[16];
	unsigned int i;

	t_clear_ua(test, s, 0);
	for (i = 0; i < 16; i++) {
		scst_dev_set_ua(t_dev(test, 0), UNIT_ATTENTION, 0x2a, i);
		want[i] = T_UA(0x2a, i);
	}
	expect_uas(test, s, 0, want, 16);

	for (i = 0; i < 17; i++)
		scst_dev_set_ua(t_dev(test, 0), UNIT_ATTENTION, 0x2a, i);
	expect_ua(test, s, 0, T_UA(0x29, 0x00));
}

static void ua_dev_set_ua_every_nexus(struct kunit *test)
{
	struct scst_local_sess *s1, *s2;

	/* The same device at a second LUN is one more nexus of it. */
	KUNIT_ASSERT_EQ(
	    test, scst_acg_add_lun(dflt(test), t_dev(test, 0), 5, false), 0);
	s1 = tenv_open(test, "ini1");
	s2 = tenv_open(test, "ini2");
	t_clear_ua(test, s1, 0);
	t_clear_ua(test, s1, 1);
	t_clear_ua(test, s1, 5);
	t_clear_ua(test, s2, 0);
	t_clear_ua(test, s2, 1);
	t_clear_ua(test, s2, 5);
	scst_dev_set_ua(t_dev(test, 0), UNIT_ATTENTION, 0x2a, 0x01);
	expect_ua(test, s1, 0, T_UA(0x2a, 0x01));
	expect_ua(test, s1, 5, T_UA(0x2a, 0x01));
	expect_ua(test, s2, 0, T_UA(0x2a, 0x01));
	expect_ua(test, s2, 5, T_UA(0x2a, 0x01));
	KUNIT_EXPECT_EQ(test, t_tur(test, s1, 1), T_GOOD);
	KUNIT_EXPECT_EQ(test, t_tur(test, s2, 1), T_GOOD);
}

static void ua_request_sense_fixed(struct kunit *test)
{
	struct scst_local_sess *s = tenv_open(test, "ini0");
	uint8_t buf[256];
	uint32_t len;

	KUNIT_EXPECT_EQ(test, request_sense(test, s, 0, false, buf, &len),
			T_GOOD);
	KUNIT_ASSERT_EQ(test, len, 18);
	KUNIT_EXPECT_EQ(test, buf[0], 0x70);
	KUNIT_EXPECT_EQ(test, buf[2], UNIT_ATTENTION);
	KUNIT_EXPECT_EQ(test, buf[7], 10);
	KUNIT_EXPECT_EQ(test, buf[12], 0x29);
	KUNIT_EXPECT_EQ(test, buf[13], 0x00);
	/* Reported, so cleared. */
	KUNIT_EXPECT_EQ(test, t_tur(test, s, 0), T_GOOD);
	/* Nothing pending: NO SENSE. */
	KUNIT_EXPECT_EQ(test, request_sense(test, s, 0, false, buf, &len),
			T_GOOD);
	KUNIT_ASSERT_EQ(test, len, 18);
	KUNIT_EXPECT_EQ(test, buf[2], NO_SENSE);
	KUNIT_EXPECT_EQ(test, buf[12], 0);
	KUNIT_EXPECT_EQ(test, buf[13], 0);
	/* One condition per REQUEST SENSE, the reset class first. */
	scst_dev_set_ua(t_dev(test, 0), UNIT_ATTENTION, 0x2a, 0x09);
	scst_dev_set_ua(t_dev(test, 0), UNIT_ATTENTION, 0x29, 0x03);
	KUNIT_EXPECT_EQ(test, request_sense(test, s, 0, false, buf, &len),
			T_GOOD);
	KUNIT_EXPECT_EQ(test, buf[12], 0x29);
	KUNIT_EXPECT_EQ(test, buf[13], 0x03);
	expect_ua(test, s, 0, T_UA(0x2a, 0x09));
}

static void ua_request_sense_descriptor(struct kunit *test)
{
	struct scst_local_sess *s = tenv_open(test, "ini0");
	uint8_t buf[256];
	uint32_t len;

	KUNIT_EXPECT_EQ(test, request_sense(test, s, 0, true, buf, &len),
			T_GOOD);
	KUNIT_ASSERT_EQ(test, len, 8);
	KUNIT_EXPECT_EQ(test, buf[0], 0x72);
	KUNIT_EXPECT_EQ(test, buf[1], UNIT_ATTENTION);
	KUNIT_EXPECT_EQ(test, buf[2], 0x29);
	KUNIT_EXPECT_EQ(test, buf[3], 0x00);
	KUNIT_EXPECT_EQ(test, buf[7], 0);
	KUNIT_EXPECT_EQ(test, t_tur(test, s, 0), T_GOOD);

	/* The DESC bit, not D_SENSE, chooses the format of the data. */
	scst_dev_set_d_sense(t_dev(test, 0), true);
	scst_dev_set_ua(t_dev(test, 0), UNIT_ATTENTION, 0x2a, 0x09);
	KUNIT_EXPECT_EQ(test, request_sense(test, s, 0, false, buf, &len),
			T_GOOD);
	KUNIT_ASSERT_EQ(test, len, 18);
	KUNIT_EXPECT_EQ(test, buf[0], 0x70);
	KUNIT_EXPECT_EQ(test, buf[12], 0x2a);
	KUNIT_EXPECT_EQ(test, buf[13], 0x09);
}

static void ua_lun_reset(struct kunit *test)
{
	struct scst_local_tmf t = {.fn = SCST_LUN_RESET, .lun = 0};
	struct scst_local_sess *s1, *s2;

	KUNIT_ASSERT_EQ(
	    test, scst_acg_add_lun(dflt(test), t_dev(test, 0), 5, false), 0);
	s1 = tenv_open(test, "ini1");
	s2 = tenv_open(test, "ini2");
	t_clear_ua(test, s1, 0);
	t_clear_ua(test, s1, 1);
	t_clear_ua(test, s1, 5);
	t_clear_ua(test, s2, 0);
	t_clear_ua(test, s2, 1);
	t_clear_ua(test, s2, 5);
	KUNIT_EXPECT_EQ(test, scst_local_tmf_exec(s1, &t),
			SCST_MGMT_STATUS_SUCCESS);
	/* Every nexus of the reset LU, on both sessions. */
	expect_ua(test, s1, 0, T_UA(0x29, 0x03));
	expect_ua(test, s2, 0, T_UA(0x29, 0x03));
	expect_ua(test, s1, 5, T_UA(0x29, 0x03));
	expect_ua(test, s2, 5, T_UA(0x29, 0x03));
	KUNIT_EXPECT_EQ(test, t_tur(test, s1, 1), T_GOOD);
	KUNIT_EXPECT_EQ(test, t_tur(test, s2, 1), T_GOOD);
}

static void ua_nexus_reset(struct kunit *test)
{
	struct scst_local_tmf t = {.fn = SCST_NEXUS_LOSS_SESS};
	struct scst_local_sess *s1 = tenv_open(test, "ini1");
	struct scst_local_sess *s2 = tenv_open(test, "ini2");

	t_clear_ua(test, s1, 0);
	t_clear_ua(test, s1, 1);
	t_clear_ua(test, s2, 0);
	t_clear_ua(test, s2, 1);
	KUNIT_EXPECT_EQ(test, scst_local_tmf_exec(s1, &t),
			SCST_MGMT_STATUS_SUCCESS);
	expect_ua(test, s1, 0, T_UA(0x29, 0x07));
	expect_ua(test, s1, 1, T_UA(0x29, 0x07));
	KUNIT_EXPECT_EQ(test, t_tur(test, s2, 0), T_GOOD);
	KUNIT_EXPECT_EQ(test, t_tur(test, s2, 1), T_GOOD);
}

/* -------------------------------------------------------------- suite ---- */

/* Three null disks; the first two at LUNs 0 and 1 of the default group. */
static int ua_init(struct kunit *test)
{
	return tenv_up(test, 3, 2, 0);
}

static struct kunit_case scst_ua_test_cases[] = {
    KUNIT_CASE(ua_first_command_of_each_nexus),
    KUNIT_CASE(ua_inquiry_and_report_luns_exempt),
    KUNIT_CASE(ua_add_and_del_lun),
    KUNIT_CASE(ua_report_luns_clears_luns_changed),
    KUNIT_CASE(ua_replace_lun),
    KUNIT_CASE(ua_reset_class_first),
    KUNIT_CASE(ua_no_duplicates),
    KUNIT_CASE(ua_queue_overflow),
    KUNIT_CASE(ua_dev_set_ua_every_nexus),
    KUNIT_CASE(ua_request_sense_fixed),
    KUNIT_CASE(ua_request_sense_descriptor),
    KUNIT_CASE(ua_lun_reset),
    KUNIT_CASE(ua_nexus_reset),
    {}};

static struct kunit_suite scst_ua_test_suite = {
    .name = "scst_ua",
    .init = ua_init,
    .exit = tenv_down,
    .test_cases = scst_ua_test_cases,
};

kunit_test_suite(scst_ua_test_suite);
