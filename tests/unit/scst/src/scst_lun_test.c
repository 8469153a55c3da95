// SPDX-License-Identifier: GPL-2.0-only
/*
 * Unit tests of LUN addressing and LUN tables (scst/src/scst_lun.c): SAM
 * LUN packing, initiator name patterns, the choice of an access control
 * group for a session, the errors of the configuration calls, and what an
 * initiator sees at a LUN with no device.
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

/* --------------------------------------------------------- requests ---- */

/* An asynchronous request; lives until the case's memory is freed. */
struct treq {
	struct scst_local_req r;
	struct tenv *e;
	int ndone;
	int order;
	uint8_t buf[4096];
};

static void treq_done(struct scst_local_req *r)
{
	struct treq *q = r->priv;

	q->order = __atomic_add_fetch(&q->e->seq, 1, __ATOMIC_SEQ_CST);
	__atomic_add_fetch(&q->ndone, 1, __ATOMIC_SEQ_CST);
}

static int treq_ndone(struct treq *q)
{
	return __atomic_load_n(&q->ndone, __ATOMIC_ACQUIRE);
}

static struct treq *treq_new(struct kunit *test, uint64_t lun,
			     const uint8_t *cdb, unsigned int cdb_len,
			     enum scst_cmd_queue_type qt, uint64_t tag)
{
	struct treq *q = kunit_kzalloc(test, sizeof(*q), GFP_KERNEL);

	KUNIT_ASSERT_NOT_NULL(test, q);
	q->e = test->priv;
	q->r.lun = lun;
	memcpy(q->r.cdb, cdb, cdb_len);
	q->r.cdb_len = cdb_len;
	q->r.queue_type = qt;
	q->r.tag = tag;
	q->r.data_in = q->buf;
	q->r.data_in_size = sizeof(q->buf);
	q->r.done = treq_done;
	q->r.priv = q;
	return q;
}

static struct treq *treq_submit(struct kunit *test, struct scst_local_sess *s,
				uint64_t lun, const uint8_t *cdb,
				unsigned int cdb_len,
				enum scst_cmd_queue_type qt, uint64_t tag)
{
	struct treq *q = treq_new(test, lun, cdb, cdb_len, qt, tag);

	KUNIT_ASSERT_EQ(test, scst_local_submit(s, &q->r), 0);
	return q;
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

static void cdb_rw10(uint8_t *cdb, uint8_t op, uint32_t lba, uint16_t n)
{
	memset(cdb, 0, 10);
	cdb[0] = op;
	scst_put_be32(cdb + 2, lba);
	scst_put_be16(cdb + 7, n);
}

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

static struct tenv *env(struct kunit *test)
{
	return test->priv;
}

static void close_sess(struct kunit *test, struct scst_local_sess *s)
{
	unsigned int i;

	for (i = 0; i < T_NSESS; i++)
		if (env(test)->sess[i] == s)
			tenv_close(test, env(test), i);
}

/* A group holding dev0 at @lun, admitting @p1 and @p2 (may be NULL). */
static struct scst_acg *group(struct kunit *test, const char *name,
			      uint64_t lun, const char *p1, const char *p2)
{
	struct scst_acg *g;

	KUNIT_ASSERT_EQ(test, scst_acg_create(env(test)->tgt, name, &g), 0);
	KUNIT_ASSERT_PTR_EQ(test, scst_acg_find(env(test)->tgt, name), g);
	KUNIT_ASSERT_EQ(test,
			scst_acg_add_lun(g, env(test)->dev[0], lun, false), 0);
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
			scst_acg_add_lun(scst_acg_find(env(test)->tgt, "g"),
					 env(test)->dev[1], 7, false),
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
	struct scst_acg *dflt = scst_tgt_default_acg(env(test)->tgt), *g, *g2;
	struct scst_device *d0 = env(test)->dev[0];
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

	KUNIT_ASSERT_EQ(test, scst_acg_create(env(test)->tgt, "g", &g), 0);
	KUNIT_EXPECT_EQ(test, scst_acg_create(env(test)->tgt, "g", &g2),
			-EEXIST);
	KUNIT_EXPECT_EQ(test, scst_acg_create(env(test)->tgt, "", &g2),
			-EINVAL);
	KUNIT_EXPECT_NULL(test, scst_acg_find(env(test)->tgt, "nope"));
	KUNIT_EXPECT_EQ(test, scst_acg_add_ini(g, "ini*"), 0);
	KUNIT_EXPECT_EQ(test, scst_acg_add_ini(g, "ini*"), -EEXIST);
	KUNIT_EXPECT_EQ(test, scst_acg_add_ini(g, "!"), -EINVAL);
	KUNIT_EXPECT_EQ(test, scst_acg_add_ini(g, ""), -EINVAL);
	KUNIT_EXPECT_EQ(test, scst_acg_del_ini(g, "nope"), -ENOENT);

	s = tenv_open(test, "ini1");
	KUNIT_EXPECT_EQ(test, scst_acg_del(g), -EBUSY);
	KUNIT_EXPECT_PTR_EQ(test, scst_acg_find(env(test)->tgt, "g"), g);
	/* Removing the pattern does not move the live session away. */
	KUNIT_EXPECT_EQ(test, scst_acg_del_ini(g, "ini*"), 0);
	KUNIT_EXPECT_EQ(test, scst_acg_del(g), -EBUSY);
	close_sess(test, s);
	KUNIT_EXPECT_EQ(test, scst_acg_del(g), 0);
	KUNIT_EXPECT_NULL(test, scst_acg_find(env(test)->tgt, "g"));
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
	cdb_rw10(cdb, READ_10, 0, 1);
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
	struct scst_acg *dflt = scst_tgt_default_acg(env(test)->tgt);
	struct scst_local_sess *s;
	uint64_t luns[4];
	unsigned int i;

	KUNIT_ASSERT_EQ(
	    test, scst_acg_add_lun(dflt, env(test)->dev[0], 16383, false), 0);
	KUNIT_ASSERT_EQ(
	    test, scst_acg_add_lun(dflt, env(test)->dev[1], 256, false), 0);
	KUNIT_ASSERT_EQ(
	    test, scst_acg_add_lun(dflt, env(test)->dev[1], 255, false), 0);
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
	struct scst_acg *dflt = scst_tgt_default_acg(env(test)->tgt);
	struct scst_device *d1 = env(test)->dev[1];
	struct scst_local_sess *s;
	struct treq *q;
	uint8_t cdb[10];

	KUNIT_ASSERT_EQ(test, scst_acg_add_lun(dflt, d1, 1, false), 0);
	s = tenv_open(test, "ini0");
	t_clear_ua(test, s, 0);
	t_clear_ua(test, s, 1);
	scst_null_set_flags(d1, SCST_NULL_F_HOLD);
	cdb_rw10(cdb, READ_10, 0, 8);
	q = treq_submit(test, s, 1, cdb, 10, SCST_CMD_QUEUE_SIMPLE, 1);
	T_WAIT(test, scst_null_held(d1) == 1, "the READ to be held");
	KUNIT_EXPECT_EQ(test, scst_acg_del_lun(dflt, 1), 0);
	KUNIT_EXPECT_EQ(test, t_tur(test, s, 1),
			T_CC(ILLEGAL_REQUEST, 0x25, 0x00));
	KUNIT_EXPECT_EQ(test, t_tur(test, s, 0), T_UA(0x3f, 0x0e));
	KUNIT_EXPECT_EQ(test, treq_ndone(q), 0);
	KUNIT_EXPECT_EQ(test, scst_null_release(d1, 1), 1);
	T_WAIT(test, treq_ndone(q) == 1, "the READ to end");
	KUNIT_EXPECT_EQ(test, t_result(&q->r), T_GOOD);
	KUNIT_EXPECT_EQ(test, q->r.data_in_len, 4096);
}

/* -------------------------------------------------------------- suite ---- */

/* Two null disks, the first at LUN 0 of the default group. */
static int lun_init(struct kunit *test)
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
