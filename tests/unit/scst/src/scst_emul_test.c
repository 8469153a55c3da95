// SPDX-License-Identifier: GPL-2.0-only
/*
 * Unit tests of the commands the core answers itself (scst/src/scst_emul.c):
 * REPORT LUNS with every SELECT REPORT value, allocation lengths and
 * addressing methods, REQUEST SENSE, INQUIRY at a LUN with no device, and
 * the fallback for commands a handler declines.
 */
#include <errno.h>
#include <string.h>

#include <kunit/test.h>

#include "scst/byteorder.h"
#include "scst/os.h"
#include "scst/scst.h"
#include "../../../../dev_handlers/scst_null.h"
#include "../../../../scst_local/scst_local.h"

/* ------------------------------------------------------ environment ---- */

#define T_WAIT_MS 5000
#define T_NDEV	  3
#define T_NSESS	  4

struct tenv {
	struct scst_os_mem_stats before;
	enum scst_log_level old_level;
	bool core_up, mods_up;
	struct scst_tgt *tgt;
	struct scst_device *dev[T_NDEV];
	struct scst_local_sess *sess[T_NSESS];
	int seq; /* completion order of the requests, see treq_done() */
};

static const struct scst_module *const t_mods[] = {&scst_local_module,
						   &scst_null_module};

/* Poll @cond every millisecond for up to 5 s; fail the case on timeout. */
#define T_WAIT(test, cond, what)                                               \
	do {                                                                   \
		unsigned int t_ms__;                                           \
		for (t_ms__ = 0; !(cond) && t_ms__ < T_WAIT_MS; t_ms__++)      \
			scst_os_msleep(1);                                     \
		KUNIT_ASSERT_TRUE_MSG(                                         \
		    test, (cond), "timed out after 5 s waiting for %s", what); \
	} while (0)

static void tenv_release_all(struct tenv *e)
{
	unsigned int i;

	for (i = 0; i < T_NDEV; i++)
		if (e->dev[i])
			scst_null_release(e->dev[i], ~0u);
}

struct tclose {
	struct scst_local_sess *s;
	int done;
};

static int tclose_fn(void *arg)
{
	struct tclose *c = arg;

	scst_local_sess_close(c->s);
	__atomic_store_n(&c->done, 1, __ATOMIC_RELEASE);
	return 0;
}

/* Close session @i, completing whatever the null devices still hold. */
static void tenv_close(struct kunit *test, struct tenv *e, unsigned int i)
{
	struct tclose c = {.s = e->sess[i]};
	struct scst_thread *th;
	unsigned int ms = 0;

	e->sess[i] = NULL;
	if (!c.s)
		return;
	if (scst_thread_create(&th, tclose_fn, &c, "t_close")) {
		tenv_release_all(e);
		scst_local_sess_close(c.s);
		return;
	}
	while (!__atomic_load_n(&c.done, __ATOMIC_ACQUIRE)) {
		tenv_release_all(e);
		scst_os_msleep(1);
		if (++ms == T_WAIT_MS)
			KUNIT_FAIL(test, "session %u does not close", i);
	}
	scst_thread_join(th);
}

static void tenv_down(struct kunit *test)
{
	struct tenv *e = test->priv;
	struct scst_os_mem_stats mid, after;
	unsigned int i;

	for (i = 0; i < T_NDEV; i++)
		if (e->dev[i])
			scst_null_set_flags(e->dev[i], 0);
	for (i = 0; i < T_NSESS; i++)
		tenv_close(test, e, i);
	if (e->tgt)
		scst_local_del_target(e->tgt);
	e->tgt = NULL;
	for (i = 0; i < T_NDEV; i++) {
		if (e->dev[i])
			scst_null_del(e->dev[i]);
		e->dev[i] = NULL;
	}
	if (e->mods_up)
		scst_modules_exit(t_mods, 2);
	e->mods_up = false;
	if (e->core_up) {
		scst_os_mem_stats(&mid);
		KUNIT_EXPECT_EQ_MSG(test, mid.cache_objs, e->before.cache_objs,
				    "cache objects leaked by the engine");
		scst_core_exit();
	}
	e->core_up = false;
	scst_os_mem_stats(&after);
	KUNIT_EXPECT_EQ_MSG(test, after.heap_allocs, e->before.heap_allocs,
			    "heap blocks not given back");
	KUNIT_EXPECT_EQ_MSG(test, after.cache_objs, e->before.cache_objs,
			    "cache objects not given back");
	scst_log_set_level(e->old_level);
}

/* Core, modules, target "tgt0" and @ndev null disks of 2048 blocks. */
static int tenv_up(struct kunit *test, unsigned int ndev, unsigned int flags)
{
	struct scst_core_params p = {.threads = 2};
	struct scst_null_params np = {
	    .block_size = 512, .nblocks = 2048, .flags = flags};
	char name[16];
	struct tenv *e;
	unsigned int i;
	int rc;

	e = kunit_kzalloc(test, sizeof(*e), GFP_KERNEL);
	if (!e)
		return -ENOMEM;
	test->priv = e;
	e->old_level = scst_log_get_level();
	scst_log_set_level(SCST_LOG_WARN);
	scst_os_mem_stats(&e->before);
	rc = scst_core_init(&p);
	if (rc)
		goto fail;
	e->core_up = true;
	rc = scst_modules_init(t_mods, 2);
	if (rc)
		goto fail;
	e->mods_up = true;
	for (i = 0; i < ndev && i < T_NDEV; i++) {
		scst_snprintf(name, sizeof(name), "null%u", i);
		rc = scst_null_add(name, &np, &e->dev[i]);
		if (rc)
			goto fail;
	}
	rc = scst_local_add_target("tgt0", &e->tgt);
	if (rc)
		goto fail;
	return 0;
fail:
	tenv_down(test);
	return rc;
}

/* Open a session of @initiator; the suite's exit closes it. */
#define tenv_open(test, initiator) tenv_open_flags(test, initiator, 0)
static struct scst_local_sess *
tenv_open_flags(struct kunit *test, const char *initiator, unsigned int flags)
{
	struct tenv *e = test->priv;
	unsigned int i;

	for (i = 0; i < T_NSESS && e->sess[i]; i++)
		;
	KUNIT_ASSERT_LT(test, i, T_NSESS);
	KUNIT_ASSERT_EQ(
	    test, scst_local_sess_open(e->tgt, initiator, flags, &e->sess[i]),
	    0);
	return e->sess[i];
}

/* ------------------------------------------------------------ results ---- */

/* status << 24 | key << 16 | ASC << 8 | ASCQ, sense of either format. */
#define T_GOOD	      0u
#define T_CC(k, a, q) (0x02000000u | ((k) << 16) | ((a) << 8) | (q))
#define T_UA(a, q)    T_CC(UNIT_ATTENTION, a, q)

static uint32_t t_result(const struct scst_local_req *r)
{
	const uint8_t *s = r->sense;
	uint32_t v = (uint32_t)r->status << 24;

	if (r->sense_len >= 14 && (s[0] & 0x7e) == 0x70)
		v |= (s[2] & 0xfu) << 16 | s[12] << 8 | s[13];
	else if (r->sense_len >= 8 && (s[0] & 0x7e) == 0x72)
		v |= (s[1] & 0xfu) << 16 | s[2] << 8 | s[3];
	return v;
}

/* Run one command to completion; returns t_result(). */
static uint32_t t_exec(struct kunit *test, struct scst_local_sess *s,
		       uint64_t lun, const uint8_t *cdb, unsigned int cdb_len,
		       struct scst_local_req *r, void *buf, uint32_t size)
{
	memset(r, 0, sizeof(*r));
	r->lun = lun;
	memcpy(r->cdb, cdb, cdb_len);
	r->cdb_len = cdb_len;
	r->data_in = buf;
	r->data_in_size = size;
	KUNIT_ASSERT_EQ(test, scst_local_exec(s, r), 0);
	KUNIT_EXPECT_FALSE(test, r->no_response);
	return t_result(r);
}

static const uint8_t cdb_tur[6] = {TEST_UNIT_READY};

static uint32_t t_tur(struct kunit *test, struct scst_local_sess *s,
		      uint64_t lun)
{
	struct scst_local_req r;

	return t_exec(test, s, lun, cdb_tur, 6, &r, NULL, 0);
}

/* Consume the unit attentions of a nexus until TEST UNIT READY is GOOD. */
static void t_clear_ua(struct kunit *test, struct scst_local_sess *s,
		       uint64_t lun)
{
	unsigned int i;

	for (i = 0; i < 20; i++)
		if (t_tur(test, s, lun) == T_GOOD)
			return;
	KUNIT_FAIL(test, "LUN %llu keeps reporting unit attentions",
		   (unsigned long long)lun);
}

/* ------------------------------------------------------------ helpers ---- */

static struct tenv *env(struct kunit *test)
{
	return test->priv;
}

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
	struct scst_acg *g = scst_tgt_default_acg(env(test)->tgt);

	KUNIT_ASSERT_EQ(test,
			scst_acg_add_lun(g, env(test)->dev[0], 300, false), 0);
	KUNIT_ASSERT_EQ(test, scst_acg_add_lun(g, env(test)->dev[1], 5, false),
			0);
	KUNIT_ASSERT_EQ(test, scst_acg_add_lun(g, env(test)->dev[1], 3, true),
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
	scst_tgt_set_addr_method(env(test)->tgt, SCST_LUN_ADDR_METHOD_FLAT);
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

	KUNIT_ASSERT_EQ(test, scst_acg_create(env(test)->tgt, "empty", &g), 0);
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
	struct scst_device *d = env(test)->dev[0];
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
	struct tenv *e;
	int rc = tenv_up(test, 2, 0);

	if (rc)
		return rc;
	e = test->priv;
	rc =
	    scst_acg_add_lun(scst_tgt_default_acg(e->tgt), e->dev[0], 0, false);
	if (rc)
		tenv_down(test);
	return rc;
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
