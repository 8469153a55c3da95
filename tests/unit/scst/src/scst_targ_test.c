// SPDX-License-Identifier: GPL-2.0-only
/*
 * Unit tests of the command state machine (scst/src/scst_targ.c): the
 * transition table and its state names, the path commands take through it
 * (traced from the core's debug log) and the unit attention on the first
 * command of a nexus. scst_targ_cmd_test.c tests what the path checks and
 * computes, scst_targ_gate_test.c the asynchronous hand-offs.
 */
#include <pthread.h>
#include <stdio.h>
#include <string.h>

#include "scst_test_env.h"
#include "scst_priv.h"

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
    [SCST_CMD_STATE_LOCAL_EXEC] = S(EXEC_WAIT) | S(DEV_DONE),
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
	t_cdb_rw10(cdb, READ_10, 0, 1);
	trace_cmd(test, s, cdb, 10, rd, sizeof(rd) / sizeof(rd[0]));
	t_cdb_rw10(cdb, WRITE_10, 0, 1);
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

	KUNIT_EXPECT_EQ(test, t_exec(test, s, 0, t_cdb_tur, 6, &r, NULL, 0),
			T_UA(0x29, 0x00));
	KUNIT_EXPECT_EQ(test, r.sense_len, 18);
	KUNIT_EXPECT_EQ(test, r.sense[0], 0x70);
	KUNIT_EXPECT_EQ(test, r.sense[7], 10);
	KUNIT_EXPECT_EQ(test, t_exec(test, s, 0, t_cdb_tur, 6, &r, NULL, 0),
			T_GOOD);
	KUNIT_EXPECT_EQ(test, r.sense_len, 0);
}

/* -------------------------------------------------------------- suite ---- */

static int targ_init(struct kunit *test)
{
	return tenv_up(test, 1, 1, 0);
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
