// SPDX-License-Identifier: GPL-2.0-only
/*
 * The engine fixture the KUnit suites of scst/src share; see
 * scst_test_env.h. It defines no suite of its own.
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>

#include "scst/byteorder.h"
#include "scst_test_env.h"

/* ------------------------------------------------------ environment ---- */

static const struct scst_module *const t_mods[] = {&scst_local_module,
						   &scst_null_module};

void tenv_release_all(struct tenv *e)
{
	unsigned int i;

	for (i = 0; i < T_NDEV; i++)
		if (e->dev[i])
			scst_null_release(e->dev[i], ~0u);
}

int t_close_fn(void *arg)
{
	struct tclose *c = arg;

	scst_local_sess_close(c->s);
	__atomic_store_n(&c->done, 1, __ATOMIC_RELEASE);
	return 0;
}

void tenv_close(struct kunit *test, struct tenv *e, unsigned int i)
{
	struct tclose c = {.s = e->sess[i]};
	struct scst_thread *th;
	unsigned int ms = 0;

	e->sess[i] = NULL;
	if (!c.s)
		return;
	if (scst_thread_create(&th, t_close_fn, &c, "t_close")) {
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

int t_engine_up(struct t_engine *g, const struct scst_module *const *mods,
		size_t nmods, enum scst_log_level quiet)
{
	struct scst_core_params p = {.threads = 2};
	int rc;

	g->mods = mods;
	g->nmods = nmods;
	g->old_level = scst_log_get_level();
	scst_log_set_level(quiet);
	scst_os_mem_stats(&g->before);
	rc = scst_core_init(&p);
	if (rc)
		return rc;
	g->core_up = true;
	rc = scst_modules_init(mods, nmods);
	if (rc)
		return rc;
	g->mods_up = true;
	return 0;
}

void t_engine_down(struct kunit *test, struct t_engine *g)
{
	struct scst_os_mem_stats mid, after;

	if (!g->mods)
		return; /* never started: nothing to stop or check */
	if (g->mods_up)
		scst_modules_exit(g->mods, g->nmods);
	g->mods_up = false;
	if (g->core_up) {
		scst_os_mem_stats(&mid);
		KUNIT_EXPECT_EQ_MSG(test, mid.cache_objs, g->before.cache_objs,
				    "cache objects leaked by the engine");
		scst_core_exit();
	}
	g->core_up = false;
	scst_os_mem_stats(&after);
	KUNIT_EXPECT_EQ_MSG(test, after.heap_allocs, g->before.heap_allocs,
			    "heap blocks not given back");
	KUNIT_EXPECT_EQ_MSG(test, after.heap_bytes, g->before.heap_bytes,
			    "heap bytes not given back");
	KUNIT_EXPECT_EQ_MSG(test, after.cache_objs, g->before.cache_objs,
			    "cache objects not given back");
	scst_log_set_level(g->old_level);
}

void tenv_down(struct kunit *test)
{
	struct tenv *e = test->priv;
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
	t_engine_down(test, &e->eng);
}

int tenv_up(struct kunit *test, unsigned int ndev, unsigned int nluns,
	    unsigned int flags)
{
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
	rc = t_engine_up(&e->eng, t_mods, 2, SCST_LOG_WARN);
	if (rc)
		goto fail;
	for (i = 0; i < ndev && i < T_NDEV; i++) {
		scst_snprintf(name, sizeof(name), "null%u", i);
		rc = scst_null_add(name, &np, &e->dev[i]);
		if (rc)
			goto fail;
	}
	rc = scst_local_add_target("tgt0", &e->tgt);
	if (rc)
		goto fail;
	for (i = 0; i < nluns && i < ndev && i < T_NDEV; i++) {
		rc = scst_acg_add_lun(scst_tgt_default_acg(e->tgt), e->dev[i],
				      i, false);
		if (rc)
			goto fail;
	}
	return 0;
fail:
	tenv_down(test);
	return rc;
}

struct scst_local_sess *
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

struct tenv *t_env(struct kunit *test)
{
	return test->priv;
}

struct scst_device *t_dev(struct kunit *test, unsigned int i)
{
	return t_env(test)->dev[i];
}

void t_settle(void)
{
	scst_os_msleep(50);
}

/* --------------------------------------------------------- requests ---- */

static void t_req_done(struct scst_local_req *r)
{
	struct treq *q = r->priv;

	q->order = __atomic_add_fetch(&q->e->seq, 1, __ATOMIC_SEQ_CST);
	__atomic_add_fetch(&q->ndone, 1, __ATOMIC_SEQ_CST);
}

int t_req_ndone(struct treq *q)
{
	return __atomic_load_n(&q->ndone, __ATOMIC_ACQUIRE);
}

bool t_req_data_held(struct treq *q)
{
	return !scst_list_empty(&q->r.held_entry__);
}

struct treq *t_req_new(struct kunit *test, uint64_t lun, const uint8_t *cdb,
		       unsigned int cdb_len, enum scst_cmd_queue_type qt,
		       uint64_t tag)
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
	q->r.done = t_req_done;
	q->r.priv = q;
	return q;
}

struct treq *t_req_submit(struct kunit *test, struct scst_local_sess *s,
			  uint64_t lun, const uint8_t *cdb,
			  unsigned int cdb_len, enum scst_cmd_queue_type qt,
			  uint64_t tag)
{
	struct treq *q = t_req_new(test, lun, cdb, cdb_len, qt, tag);

	KUNIT_ASSERT_EQ(test, scst_local_submit(s, &q->r), 0);
	return q;
}

struct treq *t_rd(struct kunit *test, struct scst_local_sess *s, uint64_t lun,
		  enum scst_cmd_queue_type qt, uint64_t tag)
{
	uint8_t cdb[10];

	t_cdb_rw10(cdb, READ_10, (uint32_t)tag, 1);
	return t_req_submit(test, s, lun, cdb, 10, qt, tag);
}

/* ------------------------------------------------------------ results ---- */

const uint8_t t_cdb_tur[6] = {TEST_UNIT_READY};

uint32_t t_result(const struct scst_local_req *r)
{
	const uint8_t *s = r->sense;
	uint32_t v = (uint32_t)r->status << 24;

	if (r->sense_len >= 14 && (s[0] & 0x7e) == 0x70)
		v |= (s[2] & 0xfu) << 16 | s[12] << 8 | s[13];
	else if (r->sense_len >= 8 && (s[0] & 0x7e) == 0x72)
		v |= (s[1] & 0xfu) << 16 | s[2] << 8 | s[3];
	return v;
}

uint32_t t_exec(struct kunit *test, struct scst_local_sess *s, uint64_t lun,
		const uint8_t *cdb, unsigned int cdb_len,
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

uint32_t t_tur(struct kunit *test, struct scst_local_sess *s, uint64_t lun)
{
	struct scst_local_req r;

	return t_exec(test, s, lun, t_cdb_tur, 6, &r, NULL, 0);
}

void t_clear_ua(struct kunit *test, struct scst_local_sess *s, uint64_t lun)
{
	unsigned int i;

	for (i = 0; i < 20; i++)
		if (t_tur(test, s, lun) == T_GOOD)
			return;
	KUNIT_FAIL(test, "LUN %llu keeps reporting unit attentions",
		   (unsigned long long)lun);
}

struct scst_local_sess *t_open_clear(struct kunit *test, const char *ini,
				     unsigned int nluns)
{
	struct scst_local_sess *s = tenv_open(test, ini);
	unsigned int lun;

	for (lun = 0; lun < nluns; lun++)
		t_clear_ua(test, s, lun);
	return s;
}

void t_cdb_rw10(uint8_t *cdb, uint8_t op, uint32_t lba, uint16_t n)
{
	memset(cdb, 0, 10);
	cdb[0] = op;
	scst_put_be32(cdb + 2, lba);
	scst_put_be16(cdb + 7, n);
}

void t_expect_good_once(struct kunit *test, struct treq *q)
{
	KUNIT_EXPECT_EQ_MSG(test, t_req_ndone(q), 1, "tag %llu",
			    (unsigned long long)q->r.tag);
	KUNIT_EXPECT_FALSE(test, q->r.no_response);
	KUNIT_EXPECT_EQ_MSG(test, t_result(&q->r), T_GOOD, "tag %llu",
			    (unsigned long long)q->r.tag);
}

void t_expect_aborted_once(struct kunit *test, struct treq *q)
{
	KUNIT_EXPECT_EQ_MSG(test, t_req_ndone(q), 1, "tag %llu",
			    (unsigned long long)q->r.tag);
	KUNIT_EXPECT_TRUE_MSG(test, q->r.no_response, "tag %llu",
			      (unsigned long long)q->r.tag);
}

/* ------------------------------------------------ task management ---- */

static void t_tmf_done(struct scst_local_tmf *t)
{
	struct ttmf *m = t->priv;

	m->order = __atomic_add_fetch(&m->e->seq, 1, __ATOMIC_SEQ_CST);
	__atomic_add_fetch(&m->ndone, 1, __ATOMIC_SEQ_CST);
}

int t_tmf_ndone(struct ttmf *m)
{
	return __atomic_load_n(&m->ndone, __ATOMIC_ACQUIRE);
}

struct ttmf *t_tmf_submit(struct kunit *test, struct scst_local_sess *s,
			  enum scst_tmf fn, uint64_t lun, uint64_t tag)
{
	struct ttmf *m = kunit_kzalloc(test, sizeof(*m), GFP_KERNEL);

	KUNIT_ASSERT_NOT_NULL(test, m);
	m->e = test->priv;
	m->t.fn = fn;
	m->t.lun = lun;
	m->t.tag = tag;
	m->t.done = t_tmf_done;
	m->t.priv = m;
	KUNIT_ASSERT_EQ(test, scst_local_tmf_submit(s, &m->t), 0);
	return m;
}

void t_expect_pending(struct kunit *test, struct ttmf *m)
{
	t_settle();
	KUNIT_EXPECT_EQ_MSG(test, t_tmf_ndone(m), 0,
			    "fn %d answered before its aborted commands ended",
			    m->t.fn);
}

void t_expect_answer(struct kunit *test, struct ttmf *m,
		     enum scst_mgmt_status st, unsigned int aborted)
{
	T_WAIT_TMF(test, m);
	t_settle();
	KUNIT_EXPECT_EQ(test, t_tmf_ndone(m), 1);
	KUNIT_EXPECT_EQ(test, m->t.status, st);
	KUNIT_EXPECT_EQ(test, m->t.aborted, aborted);
}

const char *t_tree_read(struct kunit *test, const char *path)
{
	char *buf = kunit_kzalloc(test, SCST_ATTR_MAX_SHOW + 1, GFP_KERNEL);
	int n;

	KUNIT_ASSERT_NOT_NULL(test, buf);
	n = scst_tree_read(path, buf, SCST_ATTR_MAX_SHOW);
	if (n < 0)
		snprintf(buf, SCST_ATTR_MAX_SHOW, "ERR%d", n);
	else
		buf[n] = '\0';
	return buf;
}
