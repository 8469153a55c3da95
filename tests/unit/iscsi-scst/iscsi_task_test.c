// SPDX-License-Identifier: GPL-2.0-only
/*
 * Unit tests of iscsi-scst/iscsi_task.c: the data-phase state table of a
 * SCSI command (every edge of the table is taken, every other one is
 * refused), the ITT table (insert, find, remove, collisions in a bucket,
 * a tag reused), and the caches (what is allocated comes back: no object
 * of a cache and no heap block is left over).
 */
#include <errno.h>
#include <stdint.h>
#include <string.h>

#include <kunit/test.h>

#include "iscsi-scst/iscsi_conn_internal.h"
#include "scst/os.h"

/* ---------------------------------------------------- state table ---- */

/* Transitions are traced (debug) and refusals logged (error): counted
 * here instead of printed. */
static unsigned int n_err, n_dbg;
static enum scst_log_level saved_level;

static void count_sink(enum scst_log_level lvl, const char *line)
{
	if (!strstr(line, "iscsi: ITT "))
		return;
	if (lvl == SCST_LOG_ERR)
		__atomic_add_fetch(&n_err, 1, __ATOMIC_RELAXED);
	else if (lvl == SCST_LOG_DEBUG)
		__atomic_add_fetch(&n_dbg, 1, __ATOMIC_RELAXED);
}

static int task_test_init(struct kunit *test)
{
	(void)test;
	n_err = n_dbg = 0;
	saved_level = scst_log_get_level();
	scst_log_set_level(SCST_LOG_DEBUG);
	scst_log_set_sink(count_sink);
	return 0;
}

static void task_test_exit(struct kunit *test)
{
	(void)test;
	scst_log_set_sink(NULL);
	scst_log_set_level(saved_level);
}

/* The edges the data phase takes (iscsi_task.c's comment), one by one. */
static const struct {
	enum iscsi_cmd_state from, to;
} legal[] = {
    {ISCSI_CMD_RX_CDB, ISCSI_CMD_IMMEDIATE},
    {ISCSI_CMD_RX_CDB, ISCSI_CMD_IN_CORE},
    {ISCSI_CMD_IMMEDIATE, ISCSI_CMD_IN_CORE},
    {ISCSI_CMD_IMMEDIATE, ISCSI_CMD_DATA_OUT},
    {ISCSI_CMD_IMMEDIATE, ISCSI_CMD_ABORTED},
    {ISCSI_CMD_IMMEDIATE, ISCSI_CMD_XMIT},
    {ISCSI_CMD_IN_CORE, ISCSI_CMD_DATA_OUT},
    {ISCSI_CMD_IN_CORE, ISCSI_CMD_ABORTED},
    {ISCSI_CMD_IN_CORE, ISCSI_CMD_XMIT},
    {ISCSI_CMD_DATA_OUT, ISCSI_CMD_EXEC},
    {ISCSI_CMD_DATA_OUT, ISCSI_CMD_ABORTED},
    {ISCSI_CMD_EXEC, ISCSI_CMD_XMIT},
    {ISCSI_CMD_ABORTED, ISCSI_CMD_XMIT},
    {ISCSI_CMD_XMIT, ISCSI_CMD_DONE},
};

static bool is_legal(enum iscsi_cmd_state from, enum iscsi_cmd_state to)
{
	unsigned int i;

	for (i = 0; i < sizeof(legal) / sizeof(legal[0]); i++)
		if (legal[i].from == from && legal[i].to == to)
			return true;
	return false;
}

/* Every legal edge moves the command and nothing else. */
static void state_legal_edges(struct kunit *test)
{
	struct iscsi_cmd ic;
	unsigned int i;

	memset(&ic, 0, sizeof(ic));
	iscsi_itt_node_init(&ic.hnode, 0x10);
	for (i = 0; i < sizeof(legal) / sizeof(legal[0]); i++) {
		ic.state = legal[i].from;
		KUNIT_EXPECT_TRUE(
		    test, iscsi_cmd_state_allowed(legal[i].from, legal[i].to));
		KUNIT_EXPECT_EQ(test, iscsi_cmd_set_state(&ic, legal[i].to), 0);
		KUNIT_EXPECT_EQ(test, iscsi_cmd_state(&ic), legal[i].to);
	}
	/* Each one traced, none refused. */
	KUNIT_EXPECT_EQ(test, n_dbg,
			(unsigned int)(sizeof(legal) / sizeof(legal[0])));
	KUNIT_EXPECT_EQ(test, n_err, 0u);
}

/* The whole table is exactly the list above: any other pair is refused
 * and leaves the state as it was. */
static void state_illegal_refused(struct kunit *test)
{
	struct iscsi_cmd ic;
	unsigned int from, to, refused = 0;

	memset(&ic, 0, sizeof(ic));
	iscsi_itt_node_init(&ic.hnode, 0x11);
	for (from = 0; from < ISCSI_CMD_STATE_COUNT; from++) {
		for (to = 0; to < ISCSI_CMD_STATE_COUNT; to++) {
			if (is_legal(from, to)) {
				KUNIT_EXPECT_TRUE(
				    test, iscsi_cmd_state_allowed(from, to));
				continue;
			}
			KUNIT_EXPECT_FALSE(test,
					   iscsi_cmd_state_allowed(from, to));
			ic.state = from;
			KUNIT_EXPECT_EQ(test, iscsi_cmd_set_state(&ic, to),
					-EINVAL);
			KUNIT_EXPECT_EQ(test, iscsi_cmd_state(&ic), from);
			refused++;
		}
	}
	KUNIT_EXPECT_EQ(test, refused,
			ISCSI_CMD_STATE_COUNT * ISCSI_CMD_STATE_COUNT -
			    (unsigned int)(sizeof(legal) / sizeof(legal[0])));
	/* Loudly: each refusal is an error line; nothing moved. */
	KUNIT_EXPECT_EQ(test, n_err, refused);
	KUNIT_EXPECT_EQ(test, n_dbg, 0u);
	/* Out of range, both ways. */
	KUNIT_EXPECT_FALSE(test, iscsi_cmd_state_allowed(ISCSI_CMD_STATE_COUNT,
							 ISCSI_CMD_DONE));
	KUNIT_EXPECT_FALSE(test, iscsi_cmd_state_allowed(
				     ISCSI_CMD_RX_CDB, ISCSI_CMD_STATE_COUNT));
	/* DONE is the end: nothing leaves it; a write never skips its data. */
	ic.state = ISCSI_CMD_DONE;
	KUNIT_EXPECT_EQ(test, iscsi_cmd_set_state(&ic, ISCSI_CMD_XMIT),
			-EINVAL);
	ic.state = ISCSI_CMD_DATA_OUT;
	KUNIT_EXPECT_EQ(test, iscsi_cmd_set_state(&ic, ISCSI_CMD_XMIT),
			-EINVAL);
	KUNIT_EXPECT_EQ(test, iscsi_cmd_state(&ic), ISCSI_CMD_DATA_OUT);
}

/* The paths a command really takes, start to end. */
static void state_paths(struct kunit *test)
{
	static const enum iscsi_cmd_state write_imm[] = {
	    ISCSI_CMD_IMMEDIATE, ISCSI_CMD_DATA_OUT, ISCSI_CMD_EXEC,
	    ISCSI_CMD_XMIT, ISCSI_CMD_DONE};
	static const enum iscsi_cmd_state write_aborted[] = {
	    ISCSI_CMD_IN_CORE, ISCSI_CMD_DATA_OUT, ISCSI_CMD_ABORTED,
	    ISCSI_CMD_XMIT, ISCSI_CMD_DONE};
	static const enum iscsi_cmd_state read[] = {
	    ISCSI_CMD_IN_CORE, ISCSI_CMD_XMIT, ISCSI_CMD_DONE};
	static const enum iscsi_cmd_state imm_kept[] = {
	    ISCSI_CMD_IMMEDIATE, ISCSI_CMD_IN_CORE, ISCSI_CMD_DATA_OUT,
	    ISCSI_CMD_EXEC,	 ISCSI_CMD_XMIT,    ISCSI_CMD_DONE};
	const struct {
		const enum iscsi_cmd_state *s;
		unsigned int n;
	} paths[] = {
	    {write_imm, 5}, {write_aborted, 5}, {read, 3}, {imm_kept, 6}};
	struct iscsi_cmd ic;
	unsigned int p, i;

	memset(&ic, 0, sizeof(ic));
	for (p = 0; p < sizeof(paths) / sizeof(paths[0]); p++) {
		ic.state = ISCSI_CMD_RX_CDB;
		for (i = 0; i < paths[p].n; i++)
			KUNIT_EXPECT_EQ(
			    test, iscsi_cmd_set_state(&ic, paths[p].s[i]), 0);
		KUNIT_EXPECT_EQ(test, iscsi_cmd_state(&ic), ISCSI_CMD_DONE);
	}
}

static void state_names(struct kunit *test)
{
	unsigned int s;

	for (s = 0; s < ISCSI_CMD_STATE_COUNT; s++)
		KUNIT_EXPECT_STRNEQ(test, iscsi_cmd_state_name(s), "?");
	KUNIT_EXPECT_STREQ(test, iscsi_cmd_state_name(ISCSI_CMD_DATA_OUT),
			   "DATA_OUT");
	KUNIT_EXPECT_STREQ(test, iscsi_cmd_state_name(ISCSI_CMD_STATE_COUNT),
			   "?");
	KUNIT_EXPECT_TRUE(test,
			  iscsi_cmd_state_before_buffer(ISCSI_CMD_IMMEDIATE));
	KUNIT_EXPECT_FALSE(test,
			   iscsi_cmd_state_before_buffer(ISCSI_CMD_DATA_OUT));
}

/* ---------------------------------------------------- ITT table ---- */

#define NNODES 300

static void itt_insert_find_remove(struct kunit *test)
{
	static struct iscsi_itt_node nodes[NNODES];
	struct iscsi_itt_table t;
	unsigned int i;

	iscsi_itt_init(&t);
	KUNIT_EXPECT_NULL(test, iscsi_itt_find(&t, 1));
	/* Sequential tags, as most initiators pick them: more than buckets. */
	for (i = 0; i < NNODES; i++) {
		iscsi_itt_node_init(&nodes[i], 0x1000 + i);
		iscsi_itt_insert(&t, &nodes[i]);
	}
	KUNIT_EXPECT_EQ(test, t.count, NNODES);
	for (i = 0; i < NNODES; i++)
		KUNIT_EXPECT_PTR_EQ(test, iscsi_itt_find(&t, 0x1000 + i),
				    &nodes[i]);
	KUNIT_EXPECT_NULL(test, iscsi_itt_find(&t, 0x1000 + NNODES));
	KUNIT_EXPECT_NULL(test, iscsi_itt_find(&t, ISCSI_RESERVED_TAG));
	/* Every other one out; the rest still found. */
	for (i = 0; i < NNODES; i += 2)
		iscsi_itt_remove(&t, &nodes[i]);
	KUNIT_EXPECT_EQ(test, t.count, NNODES / 2);
	for (i = 0; i < NNODES; i++) {
		if (i % 2)
			KUNIT_EXPECT_PTR_EQ(
			    test, iscsi_itt_find(&t, 0x1000 + i), &nodes[i]);
		else
			KUNIT_EXPECT_NULL(test, iscsi_itt_find(&t, 0x1000 + i));
	}
	/* Removing twice, or what was never in, changes nothing. */
	iscsi_itt_remove(&t, &nodes[0]);
	KUNIT_EXPECT_EQ(test, t.count, NNODES / 2);
	for (i = 1; i < NNODES; i += 2)
		iscsi_itt_remove(&t, &nodes[i]);
	KUNIT_EXPECT_EQ(test, t.count, 0u);
	for (i = 0; i < ISCSI_ITT_BUCKETS; i++)
		KUNIT_EXPECT_TRUE(test, scst_list_empty(&t.bucket[i]));
}

/* Tags of one bucket: each is found, and removing one keeps the others. */
static void itt_collisions(struct kunit *test)
{
	struct iscsi_itt_node nodes[8];
	struct iscsi_itt_table t;
	unsigned int b, n = 0;
	uint32_t itt;

	iscsi_itt_init(&t);
	b = iscsi_itt_bucket_of(7);
	for (itt = 0; n < 8 && itt < 1000000; itt++) {
		if (iscsi_itt_bucket_of(itt) != b)
			continue;
		iscsi_itt_node_init(&nodes[n], itt);
		iscsi_itt_insert(&t, &nodes[n]);
		n++;
	}
	KUNIT_ASSERT_EQ(test, n, 8u);
	for (n = 0; n < 8; n++)
		KUNIT_EXPECT_PTR_EQ(test, iscsi_itt_find(&t, nodes[n].itt),
				    &nodes[n]);
	iscsi_itt_remove(&t, &nodes[3]);
	KUNIT_EXPECT_NULL(test, iscsi_itt_find(&t, nodes[3].itt));
	for (n = 0; n < 8; n++)
		if (n != 3)
			KUNIT_EXPECT_PTR_EQ(
			    test, iscsi_itt_find(&t, nodes[n].itt), &nodes[n]);
	/* Sequential tags spread over the buckets rather than pile up. */
	for (itt = 1, n = 0; itt < ISCSI_ITT_BUCKETS; itt++)
		if (iscsi_itt_bucket_of(itt) == iscsi_itt_bucket_of(0))
			n++;
	KUNIT_EXPECT_LT(test, n, 4u);
}

/* A tag used again: the newest is found; once it goes, the older one. */
static void itt_reuse(struct kunit *test)
{
	struct iscsi_itt_node old, young, other;
	struct iscsi_itt_table t;

	iscsi_itt_init(&t);
	iscsi_itt_node_init(&old, 42);
	iscsi_itt_node_init(&other, 43);
	iscsi_itt_insert(&t, &old);
	iscsi_itt_insert(&t, &other);
	/* The usual reuse: the old task is gone first. */
	iscsi_itt_remove(&t, &old);
	KUNIT_EXPECT_NULL(test, iscsi_itt_find(&t, 42));
	iscsi_itt_node_init(&young, 42);
	iscsi_itt_insert(&t, &young);
	KUNIT_EXPECT_PTR_EQ(test, iscsi_itt_find(&t, 42), &young);
	/* Reused while the old one is still in (its response went out, the
	 * core has not let it go): the newest wins. */
	iscsi_itt_remove(&t, &young);
	iscsi_itt_insert(&t, &old);
	iscsi_itt_insert(&t, &young);
	KUNIT_EXPECT_PTR_EQ(test, iscsi_itt_find(&t, 42), &young);
	iscsi_itt_remove(&t, &young);
	KUNIT_EXPECT_PTR_EQ(test, iscsi_itt_find(&t, 42), &old);
	iscsi_itt_remove(&t, &old);
	KUNIT_EXPECT_NULL(test, iscsi_itt_find(&t, 42));
	KUNIT_EXPECT_PTR_EQ(test, iscsi_itt_find(&t, 43), &other);
	KUNIT_EXPECT_EQ(test, t.count, 1u);
}

/* --------------------------------------------------------- caches ---- */

/* The caches of a module that is not running here: made for the test. */
static int caches_up(struct kunit *test)
{
	int rc = iscsi_caches_init();

	if (rc == -EEXIST)
		kunit_skip(test, "the iscsi module's caches are in use");
	return rc;
}

static void caches_no_leak(struct kunit *test)
{
	struct scst_os_mem_stats before, mid, after;
	struct iscsi_txpdu *small, *many, *own;
	struct iscsi_cmd *cmds[40];
	struct iscsi_held *h;
	void *d_small, *d_large;
	unsigned int i;

	if (caches_up(test))
		return;
	scst_os_mem_stats(&before);
	KUNIT_EXPECT_EQ(test, iscsi_caches_outstanding(), 0);
	for (i = 0; i < 40; i++) {
		cmds[i] = iscsi_cmd_alloc();
		KUNIT_ASSERT_NOT_NULL(test, cmds[i]);
		KUNIT_EXPECT_EQ(test, cmds[i]->state, ISCSI_CMD_RX_CDB);
	}
	h = iscsi_held_alloc();
	small = iscsi_txpdu_alloc(1, 0);
	own = iscsi_txpdu_alloc(1, ISCSI_TXPDU_OWN);
	d_small = iscsi_data_alloc(ISCSI_DATA_CACHE_LEN);
	KUNIT_ASSERT_NOT_NULL(test, h);
	KUNIT_ASSERT_NOT_NULL(test, small);
	KUNIT_ASSERT_NOT_NULL(test, own);
	KUNIT_ASSERT_NOT_NULL(test, d_small);
	/* The common case is inline, no heap at all. */
	KUNIT_EXPECT_PTR_EQ(test, small->iov, small->iov_inline);
	KUNIT_EXPECT_PTR_EQ(test, own->own, (void *)own->own_inline);
	scst_os_mem_stats(&mid);
	KUNIT_EXPECT_EQ(test, mid.heap_allocs, before.heap_allocs);
	KUNIT_EXPECT_EQ(test, iscsi_caches_outstanding(), 40 + 4);
	/* The rare large ones: heap beside the cached object. */
	many = iscsi_txpdu_alloc(ISCSI_TXPDU_IOVS, ISCSI_TXPDU_OWN + 1);
	d_large = iscsi_data_alloc(ISCSI_DATA_CACHE_LEN + 1);
	KUNIT_ASSERT_NOT_NULL(test, many);
	KUNIT_ASSERT_NOT_NULL(test, d_large);
	KUNIT_EXPECT_PTR_NE(test, many->iov, many->iov_inline);
	many->iov[ISCSI_TXPDU_IOVS + 1].iov_len = 1; /* all of it is there */
	scst_os_mem_stats(&mid);
	KUNIT_EXPECT_EQ(test, mid.heap_allocs, before.heap_allocs + 3);
	KUNIT_EXPECT_EQ(test, iscsi_caches_outstanding(), 40 + 5);
	/* Busy caches are not destroyed. */
	KUNIT_EXPECT_EQ(test, iscsi_caches_exit(), -EBUSY);

	for (i = 0; i < 40; i++)
		iscsi_cmd_free(cmds[i]);
	iscsi_held_free_obj(h);
	iscsi_txpdu_free(small);
	iscsi_txpdu_free(own);
	iscsi_txpdu_free(many);
	iscsi_data_free(d_small, ISCSI_DATA_CACHE_LEN);
	iscsi_data_free(d_large, ISCSI_DATA_CACHE_LEN + 1);
	KUNIT_EXPECT_EQ(test, iscsi_caches_outstanding(), 0);
	scst_os_mem_stats(&after);
	KUNIT_EXPECT_EQ(test, after.heap_allocs, before.heap_allocs);
	KUNIT_EXPECT_EQ(test, after.heap_bytes, before.heap_bytes);
	KUNIT_EXPECT_EQ(test, iscsi_caches_exit(), 0);
}

/* Objects come back zeroed from the alloc calls that promise it. */
static void caches_zeroed(struct kunit *test)
{
	struct iscsi_cmd *ic;
	struct iscsi_txpdu *p;

	if (caches_up(test))
		return;
	ic = iscsi_cmd_alloc();
	KUNIT_ASSERT_NOT_NULL(test, ic);
	memset(ic, 0xa5, sizeof(*ic));
	iscsi_cmd_free(ic);
	ic = iscsi_cmd_alloc();
	KUNIT_ASSERT_NOT_NULL(test, ic);
	KUNIT_EXPECT_EQ(test, ic->refs, 0);
	KUNIT_EXPECT_NULL(test, ic->ubuf);
	iscsi_cmd_free(ic);
	p = iscsi_txpdu_alloc(0, 0);
	KUNIT_ASSERT_NOT_NULL(test, p);
	KUNIT_EXPECT_TRUE(test, scst_list_empty(&p->entry));
	KUNIT_EXPECT_NULL(test, p->done_cmd);
	iscsi_txpdu_free(p);
	KUNIT_EXPECT_EQ(test, iscsi_caches_outstanding(), 0);
	KUNIT_EXPECT_EQ(test, iscsi_caches_exit(), 0);
}

static struct kunit_case iscsi_task_cases[] = {
    KUNIT_CASE(state_legal_edges),
    KUNIT_CASE(state_illegal_refused),
    KUNIT_CASE(state_paths),
    KUNIT_CASE(state_names),
    KUNIT_CASE(itt_insert_find_remove),
    KUNIT_CASE(itt_collisions),
    KUNIT_CASE(itt_reuse),
    KUNIT_CASE(caches_no_leak),
    KUNIT_CASE(caches_zeroed),
    {}};

static struct kunit_suite iscsi_task_suite = {
    .name = "iscsi_task",
    .init = task_test_init,
    .exit = task_test_exit,
    .test_cases = iscsi_task_cases,
};
kunit_test_suite(iscsi_task_suite);
