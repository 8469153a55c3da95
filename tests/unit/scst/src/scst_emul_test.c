// SPDX-License-Identifier: GPL-2.0-only
/*
 * Unit tests of the commands the core answers itself (scst/src/scst_emul.c):
 * REPORT LUNS with every SELECT REPORT value, allocation lengths and
 * addressing methods, REQUEST SENSE, INQUIRY at a LUN with no device, and
 * the fallback for commands a handler declines.
 */
#include <string.h>

#include "scst/byteorder.h"
#include "scst_test_env.h"

/* ------------------------------------------------------------ helpers ---- */

/* REPORT LUNS with @select and @alloc, sent to @lun. */
static uint32_t report_luns(struct kunit *test, struct scst_local_sess *s,
			    uint64_t lun, uint8_t select, uint32_t alloc,
			    struct scst_local_req *r, uint8_t *buf,
			    uint32_t size)
{
	uint8_t cdb[12] = {REPORT_LUNS, 0, select};

	scst_put_be32(cdb + 6, alloc);
	return t_exec(test, s, lun, cdb, 12, r, buf, size);
}

/* Fixed sense: INVALID FIELD IN CDB at @byte, no bit pointer. */
static void expect_field(struct kunit *test, const struct scst_local_req *r,
			 unsigned int byte)
{
	KUNIT_EXPECT_EQ(test, t_result(r), T_CC(ILLEGAL_REQUEST, 0x24, 0x00));
	KUNIT_ASSERT_EQ(test, r->sense_len, 18);
	KUNIT_EXPECT_EQ(test, r->sense[15], 0xc0); /* SKSV | C/D */
	KUNIT_EXPECT_EQ(test, scst_get_be16(r->sense + 16), byte);
	KUNIT_EXPECT_EQ(test, r->data_in_len, 0);
}

/* LUNs 0, 3, 5 and 300 (dev0 at 0 and 300, dev1 at 3 and 5). */
static void map_four(struct kunit *test)
{
	struct scst_acg *g = scst_tgt_default_acg(t_env(test)->tgt);

	KUNIT_ASSERT_EQ(
	    test, scst_acg_add_lun(g, t_env(test)->dev[0], 300, false), 0);
	KUNIT_ASSERT_EQ(test,
			scst_acg_add_lun(g, t_env(test)->dev[1], 5, false), 0);
	KUNIT_ASSERT_EQ(test, scst_acg_add_lun(g, t_env(test)->dev[1], 3, true),
			0);
}

static const uint8_t four_peripheral[32] = {
    0x00, 0x00, 0, 0, 0, 0, 0, 0, 0x00, 0x03, 0, 0, 0, 0, 0, 0,
    0x00, 0x05, 0, 0, 0, 0, 0, 0, 0x41, 0x2c, 0, 0, 0, 0, 0, 0,
};

/* -------------------------------------------------------- REPORT LUNS ---- */

static void emul_report_luns_sorted(struct kunit *test)
{
	static const uint8_t selects[] = {0x00, 0x02};
	struct scst_local_sess *s;
	struct scst_local_req r;
	uint8_t buf[128];
	unsigned int i;

	map_four(test);
	s = tenv_open(test, "ini0");
	for (i = 0; i < sizeof(selects); i++) {
		memset(buf, 0xa5, sizeof(buf));
		KUNIT_EXPECT_EQ(test,
				report_luns(test, s, 0, selects[i], 128, &r,
					    buf, sizeof(buf)),
				T_GOOD);
		KUNIT_EXPECT_EQ(test, r.data_in_len, 40);
		KUNIT_EXPECT_EQ(test, scst_get_be32(buf), 32);
		KUNIT_EXPECT_EQ(test, scst_get_be32(buf + 4), 0);
		KUNIT_EXPECT_MEMEQ(test, buf + 8, four_peripheral, 32);
	}
}

static void emul_report_luns_empty_selects(struct kunit *test)
{
	static const uint8_t selects[] = {0x01, 0x10, 0x11, 0x12};
	struct scst_local_sess *s;
	struct scst_local_req r;
	uint8_t buf[64];
	unsigned int i;

	map_four(test);
	s = tenv_open(test, "ini0");
	for (i = 0; i < sizeof(selects); i++) {
		memset(buf, 0xa5, sizeof(buf));
		KUNIT_EXPECT_EQ_MSG(test,
				    report_luns(test, s, 0, selects[i], 64, &r,
						buf, sizeof(buf)),
				    T_GOOD, "select %#x", selects[i]);
		KUNIT_EXPECT_EQ(test, r.data_in_len, 8);
		KUNIT_EXPECT_EQ(test, scst_get_be32(buf), 0);
		KUNIT_EXPECT_EQ(test, scst_get_be32(buf + 4), 0);
	}
}

static void emul_report_luns_bad_fields(struct kunit *test)
{
	static const uint8_t selects[] = {0x03, 0x04, 0x13, 0xff};
	struct scst_local_sess *s = tenv_open(test, "ini0");
	uint8_t cdb[12] = {REPORT_LUNS, 0x01}, buf[64];
	struct scst_local_req r;
	unsigned int i;

	for (i = 0; i < sizeof(selects); i++) {
		report_luns(test, s, 0, selects[i], 64, &r, buf, sizeof(buf));
		expect_field(test, &r, 2);
	}
	/* The allocation length must be at least 16. */
	report_luns(test, s, 0, 0, 15, &r, buf, sizeof(buf));
	expect_field(test, &r, 6);
	report_luns(test, s, 0, 0, 0, &r, buf, sizeof(buf));
	expect_field(test, &r, 6);
	/* A reserved bit (byte 1 bit 0): field and bit pointer. */
	cdb[9] = 64;
	KUNIT_EXPECT_EQ(test, t_exec(test, s, 0, cdb, 12, &r, buf, sizeof(buf)),
			T_CC(ILLEGAL_REQUEST, 0x24, 0x00));
	KUNIT_EXPECT_EQ(test, r.sense[15], 0xc8);
	KUNIT_EXPECT_EQ(test, scst_get_be16(r.sense + 16), 1);
	/* The power-on condition of LUN 0 is still there. */
	KUNIT_EXPECT_EQ(test, t_tur(test, s, 0), T_UA(0x29, 0x00));
}

static void emul_report_luns_truncated(struct kunit *test)
{
	struct scst_local_sess *s;
	struct scst_local_req r;
	uint8_t buf[64];

	map_four(test);
	s = tenv_open(test, "ini0");
	memset(buf, 0xa5, sizeof(buf));
	KUNIT_EXPECT_EQ(test, report_luns(test, s, 0, 0, 16, &r, buf, 64),
			T_GOOD);
	KUNIT_EXPECT_EQ(test, r.data_in_len, 16);
	/* The LUN LIST LENGTH is that of the whole list. */
	KUNIT_EXPECT_EQ(test, scst_get_be32(buf), 32);
	KUNIT_EXPECT_MEMEQ(test, buf + 8, four_peripheral, 8);
	KUNIT_EXPECT_EQ(test, buf[16], 0xa5);

	KUNIT_EXPECT_EQ(test, report_luns(test, s, 0, 0, 27, &r, buf, 64),
			T_GOOD);
	KUNIT_EXPECT_EQ(test, r.data_in_len, 27);
	KUNIT_EXPECT_MEMEQ(test, buf + 8, four_peripheral, 19);
}

static void emul_report_luns_flat(struct kunit *test)
{
	static const uint8_t want[32] = {
	    0x40, 0x00, 0, 0, 0, 0, 0, 0, 0x40, 0x03, 0, 0, 0, 0, 0, 0,
	    0x40, 0x05, 0, 0, 0, 0, 0, 0, 0x41, 0x2c, 0, 0, 0, 0, 0, 0,
	};
	struct scst_local_sess *s;
	struct scst_local_req r;
	uint8_t buf[64];

	map_four(test);
	scst_tgt_set_addr_method(t_env(test)->tgt, SCST_LUN_ADDR_METHOD_FLAT);
	s = tenv_open(test, "ini0");
	KUNIT_EXPECT_EQ(test, report_luns(test, s, 0, 0, 64, &r, buf, 64),
			T_GOOD);
	KUNIT_EXPECT_EQ(test, scst_get_be32(buf), 32);
	KUNIT_EXPECT_MEMEQ(test, buf + 8, want, 32);
}

static void emul_report_luns_any_lun(struct kunit *test)
{
	struct scst_local_sess *s, *none;
	struct scst_acg *g;
	struct scst_local_req r;
	uint8_t buf[64];

	KUNIT_ASSERT_EQ(test, scst_acg_create(t_env(test)->tgt, "empty", &g),
			0);
	KUNIT_ASSERT_EQ(test, scst_acg_add_ini(g, "lonely"), 0);
	s = tenv_open(test, "ini0");
	none = tenv_open(test, "lonely");
	/* Sent to a LUN with no device. */
	KUNIT_EXPECT_EQ(test, report_luns(test, s, 9, 0, 64, &r, buf, 64),
			T_GOOD);
	KUNIT_EXPECT_EQ(test, scst_get_be32(buf), 8);
	KUNIT_EXPECT_EQ(test, scst_get_be16(buf + 8), 0);
	/* A session without any LUN gets an empty list. */
	KUNIT_EXPECT_EQ(test, report_luns(test, none, 0, 0, 64, &r, buf, 64),
			T_GOOD);
	KUNIT_EXPECT_EQ(test, r.data_in_len, 8);
	KUNIT_EXPECT_EQ(test, scst_get_be32(buf), 0);
}

/* ------------------------------------------------------ REQUEST SENSE ---- */

static void emul_request_sense(struct kunit *test)
{
	struct scst_local_sess *s = tenv_open(test, "ini0");
	uint8_t cdb[6] = {REQUEST_SENSE, 0, 0, 0, 8, 0}, buf[64];
	struct scst_local_req r;

	/* Cut to the allocation length; the condition is still consumed. */
	memset(buf, 0xa5, sizeof(buf));
	KUNIT_EXPECT_EQ(test, t_exec(test, s, 0, cdb, 6, &r, buf, 64), T_GOOD);
	KUNIT_EXPECT_EQ(test, r.data_in_len, 8);
	KUNIT_EXPECT_EQ(test, buf[0], 0x70);
	KUNIT_EXPECT_EQ(test, buf[2], UNIT_ATTENTION);
	KUNIT_EXPECT_EQ(test, buf[8], 0xa5);
	KUNIT_EXPECT_EQ(test, t_tur(test, s, 0), T_GOOD);

	/* Unmapped LUN, descriptor format. */
	cdb[1] = 0x01;
	cdb[4] = 64;
	KUNIT_EXPECT_EQ(test, t_exec(test, s, 4, cdb, 6, &r, buf, 64), T_GOOD);
	KUNIT_EXPECT_EQ(test, r.data_in_len, 8);
	KUNIT_EXPECT_EQ(test, buf[0], 0x72);
	KUNIT_EXPECT_EQ(test, buf[1], ILLEGAL_REQUEST);
	KUNIT_EXPECT_EQ(test, buf[2], 0x25);
	KUNIT_EXPECT_EQ(test, buf[3], 0x00);

	/* Reserved bits of REQUEST SENSE are checked too. */
	cdb[1] = 0x02;
	KUNIT_EXPECT_EQ(test, t_exec(test, s, 0, cdb, 6, &r, buf, 64),
			T_CC(ILLEGAL_REQUEST, 0x24, 0x00));
}

/* --------------------------------------------- INQUIRY with no device ---- */

static void emul_inquiry_no_lun(struct kunit *test)
{
	uint8_t cdb[6] = {INQUIRY, 0, 0, 0, 5, 0}, buf[64];
	struct scst_local_sess *s = tenv_open(test, "ini0");
	struct scst_local_req r;

	memset(buf, 0xa5, sizeof(buf));
	KUNIT_EXPECT_EQ(test, t_exec(test, s, 3, cdb, 6, &r, buf, 64), T_GOOD);
	KUNIT_EXPECT_EQ(test, r.data_in_len, 5);
	KUNIT_EXPECT_EQ(test, buf[0], 0x7f);
	KUNIT_EXPECT_EQ(test, buf[5], 0xa5);

	cdb[4] = 64;
	KUNIT_EXPECT_EQ(test, t_exec(test, s, 3, cdb, 6, &r, buf, 64), T_GOOD);
	KUNIT_EXPECT_EQ(test, r.data_in_len, 36);
	KUNIT_EXPECT_EQ(test, buf[3] & 0x0f, 2);
	KUNIT_EXPECT_MEMEQ(test, buf + 8, "SCST    ", 8);

	/* A page code without EVPD. */
	cdb[2] = 0x80;
	t_exec(test, s, 3, cdb, 6, &r, buf, 64);
	expect_field(test, &r, 2);
}

/* ----------------------------------------------- declined by the handler ----
 */

static void emul_handler_declines(struct kunit *test)
{
	static const uint8_t prefetch[10] = {PRE_FETCH, 0, 0, 0, 0, 0, 0, 0, 1};
	struct scst_local_sess *s = tenv_open(test, "ini0");
	struct scst_device *d = t_env(test)->dev[0];
	struct scst_local_req r;
	uint64_t base;

	t_clear_ua(test, s, 0);
	base = scst_null_executed(d);
	/* The null disk leaves PRE-FETCH to the core, which has none. */
	KUNIT_EXPECT_EQ(test, t_exec(test, s, 0, prefetch, 10, &r, NULL, 0),
			T_CC(ILLEGAL_REQUEST, 0x20, 0x00));
	KUNIT_EXPECT_EQ(test, scst_null_executed(d), base + 1);
	/* And TEST UNIT READY, which the core answers GOOD. */
	KUNIT_EXPECT_EQ(test, t_tur(test, s, 0), T_GOOD);
	KUNIT_EXPECT_EQ(test, scst_null_executed(d), base + 2);
}

/* -------------------------------------------------------------- suite ---- */

/* Two null disks, the first at LUN 0 of the default group. */
static int emul_init(struct kunit *test)
{
	return tenv_up(test, 2, 1, 0);
}

static struct kunit_case scst_emul_test_cases[] = {
    KUNIT_CASE(emul_report_luns_sorted),
    KUNIT_CASE(emul_report_luns_empty_selects),
    KUNIT_CASE(emul_report_luns_bad_fields),
    KUNIT_CASE(emul_report_luns_truncated),
    KUNIT_CASE(emul_report_luns_flat),
    KUNIT_CASE(emul_report_luns_any_lun),
    KUNIT_CASE(emul_request_sense),
    KUNIT_CASE(emul_inquiry_no_lun),
    KUNIT_CASE(emul_handler_declines),
    {}};

static struct kunit_suite scst_emul_test_suite = {
    .name = "scst_emul",
    .init = emul_init,
    .exit = tenv_down,
    .test_cases = scst_emul_test_cases,
};

kunit_test_suite(scst_emul_test_suite);
