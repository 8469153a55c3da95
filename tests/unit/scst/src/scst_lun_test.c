// SPDX-License-Identifier: GPL-2.0-only
/*
 * Unit tests of LUN addressing and LUN tables (scst/src/scst_lun.c): SAM
 * LUN packing, initiator name patterns, the choice of an access control
 * group for a session, the errors of the configuration calls, and what an
 * initiator sees at a LUN with no device.
 */
#include <errno.h>
#include <string.h>

#include "scst/byteorder.h"
#include "scst_test_env.h"

/* ------------------------------------------------------ LUN packing ---- */

static const struct {
	uint8_t lun[8];
	unsigned int len;
	uint64_t want;
} unpack_cases[] = {
    {{0x00, 0x00}, 8, 0},
    {{0x00, 0x05}, 8, 5},
    {{0x00, 0xff}, 8, 255},
    {{0x00, 0x07}, 2, 7}, /* two bytes are enough */
    {{0x40, 0x05}, 8, 5}, /* flat, small */
    {{0x41, 0x00}, 8, 256},
    {{0x41, 0x2c}, 8, 300},
    {{0x7f, 0xff}, 8, 16383},
    {{0x01, 0x00}, 8, SCST_NO_LUN},		/* peripheral, bus 1 */
    {{0x3f, 0x01}, 8, SCST_NO_LUN},		/* peripheral, bus 63 */
    {{0x00, 0x01, 0x00, 0x01}, 8, SCST_NO_LUN}, /* second level */
    {{0x80, 0x01}, 8, SCST_NO_LUN},		/* logical unit addressing */
    {{0xc0, 0x01}, 8, SCST_NO_LUN},		/* extended addressing */
    {{0x00, 0x01}, 1, SCST_NO_LUN},		/* too short */
    {{0x00, 0x01}, 0, SCST_NO_LUN},
};

static void lun_unpack(struct kunit *test)
{
	unsigned int i;

	for (i = 0; i < sizeof(unpack_cases) / sizeof(unpack_cases[0]); i++)
		KUNIT_EXPECT_EQ_MSG(
		    test,
		    scst_unpack_lun(unpack_cases[i].lun, unpack_cases[i].len),
		    unpack_cases[i].want, "case %u", i);
	KUNIT_EXPECT_EQ(test, scst_unpack_lun(NULL, 8), SCST_NO_LUN);
}

static void lun_pack(struct kunit *test)
{
	static const struct {
		uint64_t lun;
		enum scst_addr_method m;
		uint8_t b0, b1;
	} cases[] = {
	    {0, SCST_LUN_ADDR_METHOD_PERIPHERAL, 0x00, 0x00},
	    {255, SCST_LUN_ADDR_METHOD_PERIPHERAL, 0x00, 0xff},
	    {256, SCST_LUN_ADDR_METHOD_PERIPHERAL, 0x41, 0x00},
	    {16383, SCST_LUN_ADDR_METHOD_PERIPHERAL, 0x7f, 0xff},
	    {0, SCST_LUN_ADDR_METHOD_FLAT, 0x40, 0x00},
	    {5, SCST_LUN_ADDR_METHOD_FLAT, 0x40, 0x05},
	    {300, SCST_LUN_ADDR_METHOD_FLAT, 0x41, 0x2c},
	};
	static const uint8_t zero[6];
	uint8_t out[8];
	unsigned int i;
	uint64_t lun;

	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		memset(out, 0xa5, sizeof(out));
		scst_pack_lun(cases[i].lun, cases[i].m, out);
		KUNIT_EXPECT_EQ_MSG(test, out[0], cases[i].b0, "case %u", i);
		KUNIT_EXPECT_EQ_MSG(test, out[1], cases[i].b1, "case %u", i);
		KUNIT_EXPECT_MEMEQ(test, out + 2, zero, sizeof(zero));
	}
	for (lun = 0; lun <= 16383; lun++) {
		scst_pack_lun(lun, SCST_LUN_ADDR_METHOD_PERIPHERAL, out);
		KUNIT_ASSERT_EQ(test, scst_unpack_lun(out, 8), lun);
		scst_pack_lun(lun, SCST_LUN_ADDR_METHOD_FLAT, out);
		KUNIT_ASSERT_EQ(test, scst_unpack_lun(out, 8), lun);
	}
}

static void lun_name_match(struct kunit *test)
{
	static const struct {
		const char *pattern, *name;
		bool match;
	} cases[] = {
	    {"ini1", "ini1", true},
	    {"ini1", "ini10", false},
	    {"*", "anything", true},
	    {"*", "", true},
	    {"", "", true},
	    {"", "a", false},
	    {"iqn.*", "iqn.2024-01.org:x", true},
	    {"iqn.*", "eui.1234", false},
	    {"*:host?", "iqn.x:host7", true},
	    {"*:host?", "iqn.x:host77", false},
	    {"ini?", "ini", false},
	    {"a*b*c", "a-b-b-c", true},
	    {"a*b*c", "a-b-b-d", false},
	    {"*ab", "aab", true}, /* needs backtracking */
	    {"*a*", "bbb", false},
	    {"!ini*", "host1", true},
	    {"!ini*", "ini1", false},
	    {"!ini?", "ini12", true},
	};
	unsigned int i;

	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++)
		KUNIT_EXPECT_EQ_MSG(
		    test, scst_ini_name_match(cases[i].pattern, cases[i].name),
		    cases[i].match, "\"%s\" vs \"%s\"", cases[i].pattern,
		    cases[i].name);
}

/* ----------------------------------------------------------- groups ---- */

static void close_sess(struct kunit *test, struct scst_local_sess *s)
{
	unsigned int i;

	for (i = 0; i < T_NSESS; i++)
		if (t_env(test)->sess[i] == s)
			tenv_close(test, t_env(test), i);
}

/* A group holding dev0 at @lun, admitting @p1 and @p2 (may be NULL). */
static struct scst_acg *group(struct kunit *test, const char *name,
			      uint64_t lun, const char *p1, const char *p2)
{
	struct scst_acg *g;

	KUNIT_ASSERT_EQ(test, scst_acg_create(t_env(test)->tgt, name, &g), 0);
	KUNIT_ASSERT_PTR_EQ(test, scst_acg_find(t_env(test)->tgt, name), g);
	KUNIT_ASSERT_EQ(
	    test, scst_acg_add_lun(g, t_env(test)->dev[0], lun, false), 0);
	if (p1)
		KUNIT_ASSERT_EQ(test, scst_acg_add_ini(g, p1), 0);
	if (p2)
		KUNIT_ASSERT_EQ(test, scst_acg_add_ini(g, p2), 0);
	return g;
}

/* REPORT LUNS of an open session: the LUNs, sorted; returns their count. */
static unsigned int report_luns(struct kunit *test, struct scst_local_sess *s,
				uint64_t *luns, unsigned int max)
{
	uint8_t cdb[12] = {REPORT_LUNS};
	struct scst_local_req r;
	uint8_t buf[8 + 8 * 8];
	unsigned int n, i;

	scst_put_be32(cdb + 6, sizeof(buf));
	KUNIT_EXPECT_EQ(test, t_exec(test, s, 0, cdb, 12, &r, buf, sizeof(buf)),
			T_GOOD);
	n = scst_get_be32(buf) / 8;
	for (i = 0; i < n && i < max && i < 8; i++)
		luns[i] = scst_unpack_lun(buf + 8 + 8 * i, 8);
	return n;
}

/* The one LUN a new session of @ini sees: which group it landed in. */
static int64_t lun_of(struct kunit *test, const char *ini)
{
	struct scst_local_sess *s = tenv_open(test, ini);
	uint64_t lun = 0;
	unsigned int n = report_luns(test, s, &lun, 1);

	close_sess(test, s);
	KUNIT_EXPECT_EQ_MSG(test, n, 1, "initiator %s", ini);
	return n == 1 ? (int64_t)lun : -1;
}

static void lun_group_exact_beats_wildcard(struct kunit *test)
{
	group(test, "wild", 1, "ini*", NULL);
	group(test, "exact", 2, "ini1", NULL);
	KUNIT_EXPECT_EQ(test, lun_of(test, "ini1"), 2);
	KUNIT_EXPECT_EQ(test, lun_of(test, "ini2"), 1);
	KUNIT_EXPECT_EQ(test, lun_of(test, "other"), 0);
}

static void lun_group_first_wildcard_wins(struct kunit *test)
{
	group(test, "q", 1, "ini?", NULL);
	group(test, "star", 2, "ini*", NULL);
	group(test, "star2", 3, "i*", NULL);
	KUNIT_EXPECT_EQ(test, lun_of(test, "ini5"), 1);
	KUNIT_EXPECT_EQ(test, lun_of(test, "ini55"), 2);
	KUNIT_EXPECT_EQ(test, lun_of(test, "ix"), 3);
	KUNIT_EXPECT_EQ(test, lun_of(test, "x"), 0);
}

static void lun_group_negation(struct kunit *test)
{
	group(test, "inis", 1, "ini*", "!ini9");
	group(test, "not-bad", 2, "!bad*", "!host*");
	group(test, "h", 3, "host1", "!host*");
	KUNIT_EXPECT_EQ(test, lun_of(test, "ini1"), 1);
	/* Excluded from "inis"; a group of negatives only admits the rest. */
	KUNIT_EXPECT_EQ(test, lun_of(test, "ini9"), 2);
	KUNIT_EXPECT_EQ(test, lun_of(test, "good"), 2);
	KUNIT_EXPECT_EQ(test, lun_of(test, "bad1"), 0);
	/* Named exactly but excluded by the same group: not admitted. */
	KUNIT_EXPECT_EQ(test, lun_of(test, "host1"), 0);
}

static void lun_sessions_see_own_group_only(struct kunit *test)
{
	struct scst_local_sess *sg, *sd;
	uint64_t luns[4];

	group(test, "g", 1, "ini-g", NULL);
	KUNIT_ASSERT_EQ(test,
			scst_acg_add_lun(scst_acg_find(t_env(test)->tgt, "g"),
					 t_env(test)->dev[1], 7, false),
			0);
	sg = tenv_open(test, "ini-g");
	sd = tenv_open(test, "ini-d");
	KUNIT_EXPECT_EQ(test, report_luns(test, sg, luns, 4), 2);
	KUNIT_EXPECT_EQ(test, luns[0], 1);
	KUNIT_EXPECT_EQ(test, luns[1], 7);
	KUNIT_EXPECT_EQ(test, t_tur(test, sg, 0),
			T_CC(ILLEGAL_REQUEST, 0x25, 0x00));
	KUNIT_EXPECT_EQ(test, t_tur(test, sg, 1), T_UA(0x29, 0x00));
	KUNIT_EXPECT_EQ(test, t_tur(test, sg, 1), T_GOOD);
	KUNIT_EXPECT_EQ(test, t_tur(test, sd, 1),
			T_CC(ILLEGAL_REQUEST, 0x25, 0x00));
	KUNIT_EXPECT_EQ(test, t_tur(test, sd, 7),
			T_CC(ILLEGAL_REQUEST, 0x25, 0x00));
	KUNIT_EXPECT_EQ(test, t_tur(test, sd, 0), T_UA(0x29, 0x00));
}

static void lun_config_errors(struct kunit *test)
{
	struct scst_acg *dflt = scst_tgt_default_acg(t_env(test)->tgt), *g, *g2;
	struct scst_device *d0 = t_env(test)->dev[0];
	struct scst_local_sess *s;

	KUNIT_EXPECT_EQ(test, scst_acg_add_lun(dflt, d0, 0, false), -EEXIST);
	KUNIT_EXPECT_EQ(test, scst_acg_add_lun(dflt, d0, 16384, false),
			-ERANGE);
	KUNIT_EXPECT_EQ(test, scst_acg_add_lun(dflt, d0, SCST_NO_LUN, false),
			-ERANGE);
	KUNIT_EXPECT_EQ(test, scst_acg_add_lun(dflt, d0, 16383, false), 0);
	KUNIT_EXPECT_EQ(test, scst_acg_del_lun(dflt, 16383), 0);
	KUNIT_EXPECT_EQ(test, scst_acg_del_lun(dflt, 16383), -ENOENT);
	KUNIT_EXPECT_EQ(test, scst_acg_del(dflt), -EINVAL);

	KUNIT_ASSERT_EQ(test, scst_acg_create(t_env(test)->tgt, "g", &g), 0);
	KUNIT_EXPECT_EQ(test, scst_acg_create(t_env(test)->tgt, "g", &g2),
			-EEXIST);
	KUNIT_EXPECT_EQ(test, scst_acg_create(t_env(test)->tgt, "", &g2),
			-EINVAL);
	KUNIT_EXPECT_NULL(test, scst_acg_find(t_env(test)->tgt, "nope"));
	KUNIT_EXPECT_EQ(test, scst_acg_add_ini(g, "ini*"), 0);
	KUNIT_EXPECT_EQ(test, scst_acg_add_ini(g, "ini*"), -EEXIST);
	KUNIT_EXPECT_EQ(test, scst_acg_add_ini(g, "!"), -EINVAL);
	KUNIT_EXPECT_EQ(test, scst_acg_add_ini(g, ""), -EINVAL);
	KUNIT_EXPECT_EQ(test, scst_acg_del_ini(g, "nope"), -ENOENT);

	s = tenv_open(test, "ini1");
	KUNIT_EXPECT_EQ(test, scst_acg_del(g), -EBUSY);
	KUNIT_EXPECT_PTR_EQ(test, scst_acg_find(t_env(test)->tgt, "g"), g);
	/*
	 * Removing the pattern moves the live session to the group it now
	 * belongs to (the default one), as SCST does; g is then free to go.
	 */
	KUNIT_EXPECT_EQ(test, scst_acg_del_ini(g, "ini*"), 0);
	KUNIT_EXPECT_EQ(test, scst_acg_del(g), 0);
	KUNIT_EXPECT_NULL(test, scst_acg_find(t_env(test)->tgt, "g"));
	close_sess(test, s);
}

/* ---------------------------------------------------- unmapped LUNs ---- */

static void lun_unmapped(struct kunit *test)
{
	static const uint8_t inq[6] = {INQUIRY, 0, 0, 0, 96, 0};
	static const uint8_t rs[6] = {REQUEST_SENSE, 0, 0, 0, 96, 0};
	struct scst_local_sess *s = tenv_open(test, "ini0");
	struct scst_local_req r;
	uint8_t buf[96], cdb[10];

	KUNIT_EXPECT_EQ(test, t_exec(test, s, 7, inq, 6, &r, buf, sizeof(buf)),
			T_GOOD);
	KUNIT_EXPECT_EQ(test, r.data_in_len, 36);
	KUNIT_EXPECT_EQ(test, buf[0], 0x7f);
	KUNIT_EXPECT_EQ(test, buf[4], 31);
	KUNIT_EXPECT_EQ(test, t_tur(test, s, 7),
			T_CC(ILLEGAL_REQUEST, 0x25, 0x00));
	t_cdb_rw10(cdb, READ_10, 0, 1);
	KUNIT_EXPECT_EQ(test, t_exec(test, s, 7, cdb, 10, &r, buf, sizeof(buf)),
			T_CC(ILLEGAL_REQUEST, 0x25, 0x00));
	KUNIT_EXPECT_EQ(test, t_exec(test, s, 7, rs, 6, &r, buf, sizeof(buf)),
			T_GOOD);
	KUNIT_ASSERT_EQ(test, r.data_in_len, 18);
	KUNIT_EXPECT_EQ(test, buf[0], 0x70);
	KUNIT_EXPECT_EQ(test, buf[2], ILLEGAL_REQUEST);
	KUNIT_EXPECT_EQ(test, buf[12], 0x25);
	KUNIT_EXPECT_EQ(test, buf[13], 0x00);
	/* The LUN 0 next to it is untouched: still its power-on UA. */
	KUNIT_EXPECT_EQ(test, t_tur(test, s, 0), T_UA(0x29, 0x00));
}

static void lun_high_luns(struct kunit *test)
{
	static const uint64_t want[4] = {0, 255, 256, 16383};
	struct scst_acg *dflt = scst_tgt_default_acg(t_env(test)->tgt);
	struct scst_local_sess *s;
	uint64_t luns[4];
	unsigned int i;

	KUNIT_ASSERT_EQ(
	    test, scst_acg_add_lun(dflt, t_env(test)->dev[0], 16383, false), 0);
	KUNIT_ASSERT_EQ(
	    test, scst_acg_add_lun(dflt, t_env(test)->dev[1], 256, false), 0);
	KUNIT_ASSERT_EQ(
	    test, scst_acg_add_lun(dflt, t_env(test)->dev[1], 255, false), 0);
	s = tenv_open(test, "ini0");
	KUNIT_EXPECT_EQ(test, report_luns(test, s, luns, 4), 4);
	for (i = 0; i < 4; i++) {
		KUNIT_EXPECT_EQ(test, luns[i], want[i]);
		KUNIT_EXPECT_EQ(test, t_tur(test, s, want[i]), T_UA(0x29, 0));
		KUNIT_EXPECT_EQ(test, t_tur(test, s, want[i]), T_GOOD);
	}
}

/* A LUN unmapped while a command to it runs: the command still ends. */
static void lun_del_with_command_in_flight(struct kunit *test)
{
	struct scst_acg *dflt = scst_tgt_default_acg(t_env(test)->tgt);
	struct scst_device *d1 = t_env(test)->dev[1];
	struct scst_local_sess *s;
	struct treq *q;
	uint8_t cdb[10];

	KUNIT_ASSERT_EQ(test, scst_acg_add_lun(dflt, d1, 1, false), 0);
	s = tenv_open(test, "ini0");
	t_clear_ua(test, s, 0);
	t_clear_ua(test, s, 1);
	scst_null_set_flags(d1, SCST_NULL_F_HOLD);
	t_cdb_rw10(cdb, READ_10, 0, 8);
	q = t_req_submit(test, s, 1, cdb, 10, SCST_CMD_QUEUE_SIMPLE, 1);
	T_WAIT(test, scst_null_held(d1) == 1, "the READ to be held");
	KUNIT_EXPECT_EQ(test, scst_acg_del_lun(dflt, 1), 0);
	KUNIT_EXPECT_EQ(test, t_tur(test, s, 1),
			T_CC(ILLEGAL_REQUEST, 0x25, 0x00));
	KUNIT_EXPECT_EQ(test, t_tur(test, s, 0), T_UA(0x3f, 0x0e));
	KUNIT_EXPECT_EQ(test, t_req_ndone(q), 0);
	KUNIT_EXPECT_EQ(test, scst_null_release(d1, 1), 1);
	T_WAIT(test, t_req_ndone(q) == 1, "the READ to end");
	KUNIT_EXPECT_EQ(test, t_result(&q->r), T_GOOD);
	KUNIT_EXPECT_EQ(test, q->r.data_in_len, 4096);
}

/* -------------------------------------------------------------- suite ---- */

/* Two null disks, the first at LUN 0 of the default group. */
static int lun_init(struct kunit *test)
{
	return tenv_up(test, 2, 1, 0);
}

static struct kunit_case scst_lun_test_cases[] = {
    KUNIT_CASE(lun_unpack),
    KUNIT_CASE(lun_pack),
    KUNIT_CASE(lun_name_match),
    KUNIT_CASE(lun_group_exact_beats_wildcard),
    KUNIT_CASE(lun_group_first_wildcard_wins),
    KUNIT_CASE(lun_group_negation),
    KUNIT_CASE(lun_sessions_see_own_group_only),
    KUNIT_CASE(lun_config_errors),
    KUNIT_CASE(lun_unmapped),
    KUNIT_CASE(lun_high_luns),
    KUNIT_CASE(lun_del_with_command_in_flight),
    {}};

static struct kunit_suite scst_lun_test_suite = {
    .name = "scst_lun",
    .init = lun_init,
    .exit = tenv_down,
    .test_cases = scst_lun_test_cases,
};

kunit_test_suite(scst_lun_test_suite);
