// SPDX-License-Identifier: GPL-2.0-only
/*
 * Unit tests of the command state machine (scst/src/scst_targ.c): the
 * transition table and its state names, the path commands take through it
 * (traced from the core's debug log) and the unit attention on the first
 * command of a nexus. scst_targ_cmd_test.c tests what the path checks and
 * computes, scst_targ_gate_test.c the asynchronous hand-offs.
 */
#include <errno.h>
#include <pthread.h>
#include <stdio.h>
#include <string.h>

#include <kunit/test.h>

#include "scst/byteorder.h"
#include "scst/os.h"
#include "scst/scst.h"
#include "scst_priv.h"
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

static void cdb_rw10(uint8_t *cdb, uint8_t op, uint32_t lba, uint16_t n)
{
	memset(cdb, 0, 10);
	cdb[0] = op;
	scst_put_be32(cdb + 2, lba);
	scst_put_be16(cdb + 7, n);
}

/* ------------------------------------------------- transition table ---- */

#define S(x) (1u << SCST_CMD_STATE_##x)

/* The command path of scst.h, written out independently of the table. */
static const uint32_t expected_next[SCST_CMD_STATE_COUNT] = {
    [SCST_CMD_STATE_INIT_WAIT] = S(INIT),
    [SCST_CMD_STATE_INIT] = S(PARSE) | S(DEV_DONE),
    [SCST_CMD_STATE_PARSE] = S(PREPARE_SPACE) | S(DEV_DONE),
    [SCST_CMD_STATE_PREPARE_SPACE] =
	S(RDY_TO_XFER) | S(EXEC_CHECK_SN) | S(DEV_DONE),
    [SCST_CMD_STATE_RDY_TO_XFER] = S(DATA_WAIT) | S(DEV_DONE),
    [SCST_CMD_STATE_DATA_WAIT] = S(EXEC_CHECK_SN) | S(DEV_DONE),
    [SCST_CMD_STATE_EXEC_CHECK_SN] = S(ORDER_WAIT) | S(PRE_EXEC) | S(DEV_DONE),
    [SCST_CMD_STATE_ORDER_WAIT] = S(EXEC_CHECK_BLOCKING) | S(DEV_DONE),
    [SCST_CMD_STATE_EXEC_CHECK_BLOCKING] = S(BLOCK_WAIT),
    [SCST_CMD_STATE_BLOCK_WAIT] = S(PRE_EXEC) | S(DEV_DONE),
    [SCST_CMD_STATE_PRE_EXEC] = S(LOCAL_EXEC) | S(REAL_EXEC) | S(DEV_DONE),
    [SCST_CMD_STATE_LOCAL_EXEC] = S(DEV_DONE),
    [SCST_CMD_STATE_REAL_EXEC] = S(EXEC_WAIT) | S(DEV_DONE),
    [SCST_CMD_STATE_EXEC_WAIT] = S(DEV_DONE),
    [SCST_CMD_STATE_DEV_DONE] = S(PRE_XMIT_RESP),
    [SCST_CMD_STATE_PRE_XMIT_RESP] = S(XMIT_RESP),
    [SCST_CMD_STATE_XMIT_RESP] = S(XMIT_WAIT),
    [SCST_CMD_STATE_XMIT_WAIT] = S(FINISHED) | S(XMIT_RESP),
    [SCST_CMD_STATE_FINISHED] = 0,
};

static void targ_transition_table(struct kunit *test)
{
	int from, to;

	for (from = 0; from < SCST_CMD_STATE_COUNT; from++)
		for (to = 0; to < SCST_CMD_STATE_COUNT; to++)
			KUNIT_EXPECT_EQ_MSG(
			    test, scst_cmd_state_allowed(from, to),
			    !!(expected_next[from] & (1u << to)), "%s -> %s",
			    scst_cmd_state_name(from), scst_cmd_state_name(to));

	KUNIT_EXPECT_TRUE(test, scst_cmd_state_allowed(SCST_CMD_STATE_INIT_WAIT,
						       SCST_CMD_STATE_INIT));
	for (to = 0; to < SCST_CMD_STATE_COUNT; to++)
		KUNIT_EXPECT_FALSE(
		    test, scst_cmd_state_allowed(SCST_CMD_STATE_FINISHED, to));
	/* Out of range on either side is refused, not read past the table. */
	KUNIT_EXPECT_FALSE(test, scst_cmd_state_allowed(SCST_CMD_STATE_COUNT,
							SCST_CMD_STATE_INIT));
	KUNIT_EXPECT_FALSE(test, scst_cmd_state_allowed(SCST_CMD_STATE_INIT,
							SCST_CMD_STATE_COUNT));
	KUNIT_EXPECT_FALSE(test,
			   scst_cmd_state_allowed((enum scst_cmd_state) - 1,
						  SCST_CMD_STATE_INIT));
}

/* Every state is reachable from INIT_WAIT and can reach FINISHED. */
static void targ_transition_graph(struct kunit *test)
{
	uint32_t seen = S(INIT_WAIT), done = S(FINISHED), prev;
	int from, to;

	do {
		prev = seen;
		for (from = 0; from < SCST_CMD_STATE_COUNT; from++)
			for (to = 0; to < SCST_CMD_STATE_COUNT; to++)
				if ((seen & (1u << from)) &&
				    scst_cmd_state_allowed(from, to))
					seen |= 1u << to;
	} while (seen != prev);
	do {
		prev = done;
		for (from = 0; from < SCST_CMD_STATE_COUNT; from++)
			for (to = 0; to < SCST_CMD_STATE_COUNT; to++)
				if ((done & (1u << to)) &&
				    scst_cmd_state_allowed(from, to))
					done |= 1u << from;
	} while (done != prev);
	KUNIT_EXPECT_EQ(test, seen, (1u << SCST_CMD_STATE_COUNT) - 1);
	KUNIT_EXPECT_EQ(test, done, (1u << SCST_CMD_STATE_COUNT) - 1);
	/* No state loops onto itself. */
	for (from = 0; from < SCST_CMD_STATE_COUNT; from++)
		KUNIT_EXPECT_FALSE(test, scst_cmd_state_allowed(from, from));
}

static void targ_state_names(struct kunit *test)
{
	int i, j;

	KUNIT_EXPECT_STREQ(test, scst_cmd_state_name(SCST_CMD_STATE_INIT_WAIT),
			   "INIT_WAIT");
	KUNIT_EXPECT_STREQ(test, scst_cmd_state_name(SCST_CMD_STATE_EXEC_WAIT),
			   "EXEC_WAIT");
	KUNIT_EXPECT_STREQ(test, scst_cmd_state_name(SCST_CMD_STATE_FINISHED),
			   "FINISHED");
	KUNIT_EXPECT_STREQ(test, scst_cmd_state_name(SCST_CMD_STATE_COUNT),
			   "?");
	KUNIT_EXPECT_STREQ(test, scst_cmd_state_name((enum scst_cmd_state) - 1),
			   "?");
	for (i = 0; i < SCST_CMD_STATE_COUNT; i++) {
		KUNIT_ASSERT_NOT_NULL(test, scst_cmd_state_name(i));
		KUNIT_EXPECT_STRNEQ(test, scst_cmd_state_name(i), "?");
		for (j = 0; j < i; j++)
			KUNIT_EXPECT_STRNEQ(test, scst_cmd_state_name(i),
					    scst_cmd_state_name(j));
	}
}

/* ------------------------------------------------ the path, traced ---- */

#define TRACE_TAG 0x5ca1ab1eull
#define TRACE_MAX 64

static struct {
	pthread_mutex_t lock;
	unsigned int n;
	char line[TRACE_MAX][48];
} trace = {.lock = PTHREAD_MUTEX_INITIALIZER};

static void trace_sink(enum scst_log_level lvl, const char *line)
{
	char from[24], to[24];
	unsigned long long tag;

	(void)lvl;
	if (sscanf(line, "scst: cmd tag %llu: %23s -> %23s", &tag, from, to) !=
		3 ||
	    tag != TRACE_TAG)
		return;
	pthread_mutex_lock(&trace.lock);
	if (trace.n < TRACE_MAX)
		snprintf(trace.line[trace.n++], sizeof(trace.line[0]), "%s>%s",
			 from, to);
	pthread_mutex_unlock(&trace.lock);
}

static void trace_cmd(struct kunit *test, struct scst_local_sess *s,
		      const uint8_t *cdb, unsigned int cdb_len,
		      const char *const *want, unsigned int nwant)
{
	struct scst_local_req r;
	unsigned int i;

	trace.n = 0;
	memset(&r, 0, sizeof(r));
	memcpy(r.cdb, cdb, cdb_len);
	r.cdb_len = cdb_len;
	r.tag = TRACE_TAG;
	scst_log_set_sink(trace_sink);
	scst_log_set_level(SCST_LOG_DEBUG);
	KUNIT_EXPECT_EQ(test, scst_local_exec(s, &r), 0);
	scst_log_set_level(SCST_LOG_WARN);
	scst_log_set_sink(NULL);
	KUNIT_EXPECT_EQ(test, t_result(&r), T_GOOD);

	pthread_mutex_lock(&trace.lock);
	KUNIT_EXPECT_EQ(test, trace.n, nwant);
	for (i = 0; i < trace.n && i < nwant; i++)
		KUNIT_EXPECT_STREQ_MSG(test, trace.line[i], want[i],
				       "transition %u", i);
	pthread_mutex_unlock(&trace.lock);
}

static void targ_trace_read_write(struct kunit *test)
{
	static const char *const rd[] = {
	    "INIT_WAIT>INIT",
	    "INIT>PARSE",
	    "PARSE>PREPARE_SPACE",
	    "PREPARE_SPACE>EXEC_CHECK_SN",
	    "EXEC_CHECK_SN>ORDER_WAIT",
	    "ORDER_WAIT>EXEC_CHECK_BLOCKING",
	    "EXEC_CHECK_BLOCKING>BLOCK_WAIT",
	    "BLOCK_WAIT>PRE_EXEC",
	    "PRE_EXEC>REAL_EXEC",
	    "REAL_EXEC>EXEC_WAIT",
	    "EXEC_WAIT>DEV_DONE",
	    "DEV_DONE>PRE_XMIT_RESP",
	    "PRE_XMIT_RESP>XMIT_RESP",
	    "XMIT_RESP>XMIT_WAIT",
	    "XMIT_WAIT>FINISHED",
	};
	static const char *const wr[] = {
	    "INIT_WAIT>INIT",
	    "INIT>PARSE",
	    "PARSE>PREPARE_SPACE",
	    "PREPARE_SPACE>RDY_TO_XFER",
	    "RDY_TO_XFER>DATA_WAIT",
	    "DATA_WAIT>EXEC_CHECK_SN",
	    "EXEC_CHECK_SN>ORDER_WAIT",
	    "ORDER_WAIT>EXEC_CHECK_BLOCKING",
	    "EXEC_CHECK_BLOCKING>BLOCK_WAIT",
	    "BLOCK_WAIT>PRE_EXEC",
	    "PRE_EXEC>REAL_EXEC",
	    "REAL_EXEC>EXEC_WAIT",
	    "EXEC_WAIT>DEV_DONE",
	    "DEV_DONE>PRE_XMIT_RESP",
	    "PRE_XMIT_RESP>XMIT_RESP",
	    "XMIT_RESP>XMIT_WAIT",
	    "XMIT_WAIT>FINISHED",
	};
	static const char *const rl[] = {
	    "INIT_WAIT>INIT",
	    "INIT>PARSE",
	    "PARSE>PREPARE_SPACE",
	    "PREPARE_SPACE>EXEC_CHECK_SN",
	    "EXEC_CHECK_SN>ORDER_WAIT",
	    "ORDER_WAIT>EXEC_CHECK_BLOCKING",
	    "EXEC_CHECK_BLOCKING>BLOCK_WAIT",
	    "BLOCK_WAIT>PRE_EXEC",
	    "PRE_EXEC>LOCAL_EXEC",
	    "LOCAL_EXEC>DEV_DONE",
	    "DEV_DONE>PRE_XMIT_RESP",
	    "PRE_XMIT_RESP>XMIT_RESP",
	    "XMIT_RESP>XMIT_WAIT",
	    "XMIT_WAIT>FINISHED",
	};
	struct scst_local_sess *s = tenv_open(test, "ini0");
	uint8_t cdb[12];

	t_clear_ua(test, s, 0);
	cdb_rw10(cdb, READ_10, 0, 1);
	trace_cmd(test, s, cdb, 10, rd, sizeof(rd) / sizeof(rd[0]));
	cdb_rw10(cdb, WRITE_10, 0, 1);
	trace_cmd(test, s, cdb, 10, wr, sizeof(wr) / sizeof(wr[0]));
	/* REPORT LUNS is answered by the core itself. */
	memset(cdb, 0, sizeof(cdb));
	cdb[0] = REPORT_LUNS;
	cdb[9] = 64;
	trace_cmd(test, s, cdb, 12, rl, sizeof(rl) / sizeof(rl[0]));
}

/* ------------------------------------------------------ command life ---- */

static void targ_first_cmd_ua_then_good(struct kunit *test)
{
	struct scst_local_sess *s = tenv_open(test, "ini0");
	struct scst_local_req r;

	KUNIT_EXPECT_EQ(test, t_exec(test, s, 0, cdb_tur, 6, &r, NULL, 0),
			T_UA(0x29, 0x00));
	KUNIT_EXPECT_EQ(test, r.sense_len, 18);
	KUNIT_EXPECT_EQ(test, r.sense[0], 0x70);
	KUNIT_EXPECT_EQ(test, r.sense[7], 10);
	KUNIT_EXPECT_EQ(test, t_exec(test, s, 0, cdb_tur, 6, &r, NULL, 0),
			T_GOOD);
	KUNIT_EXPECT_EQ(test, r.sense_len, 0);
}

/* -------------------------------------------------------------- suite ---- */

static int targ_init(struct kunit *test)
{
	struct tenv *e;
	int rc = tenv_up(test, 1, 0);

	if (rc)
		return rc;
	e = test->priv;
	rc =
	    scst_acg_add_lun(scst_tgt_default_acg(e->tgt), e->dev[0], 0, false);
	if (rc)
		tenv_down(test);
	return rc;
}

static struct kunit_case scst_targ_test_cases[] = {
    KUNIT_CASE(targ_transition_table),
    KUNIT_CASE(targ_transition_graph),
    KUNIT_CASE(targ_state_names),
    KUNIT_CASE(targ_trace_read_write),
    KUNIT_CASE(targ_first_cmd_ua_then_good),
    {}};

static struct kunit_suite scst_targ_test_suite = {
    .name = "scst_targ",
    .init = targ_init,
    .exit = tenv_down,
    .test_cases = scst_targ_test_cases,
};

kunit_test_suite(scst_targ_test_suite);
