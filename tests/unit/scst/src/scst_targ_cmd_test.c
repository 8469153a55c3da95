// SPDX-License-Identifier: GPL-2.0-only
/*
 * Unit tests of what the command path of the core (scst/src/scst_targ.c)
 * checks and computes for one command, seen from the loopback transport:
 * data direction and expected length, residuals, the ACA task attribute,
 * reserved CDB bits with their field pointer, read-only LUNs and
 * descriptor-format sense data.
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
	cdb_rw10(cdb, WRITE_10, 0, 8); /* 4096 bytes */
	KUNIT_EXPECT_EQ(
	    test,
	    t_exec_exp(test, s, cdb, 10, SCST_DATA_WRITE, 2048, &r, NULL, 0),
	    T_CC(ILLEGAL_REQUEST, 0x24, 0x00));
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
	KUNIT_EXPECT_EQ(test, scst_null_executed(e->dev[0]), executed + 2);
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
	cdb_rw10(cdb, WRITE_10, 0, 0);
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
	cdb_rw10(cdb, READ_10, 0, 8); /* 4096 bytes */
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
	cdb_rw10(cdb, READ_10, 0, 1);
	q = treq_submit(test, s, 0, cdb, 10, SCST_CMD_QUEUE_ACA, 7);
	T_WAIT(test, treq_ndone(q) == 1, "the ACA command");
	KUNIT_EXPECT_FALSE(test, q->r.no_response);
	KUNIT_EXPECT_EQ(test, t_result(&q->r),
			T_CC(ILLEGAL_REQUEST, 0x49, 0x00));
	KUNIT_EXPECT_EQ(test, q->r.data_in_len, 0);
	KUNIT_EXPECT_EQ(test, scst_null_executed(e->dev[0]), executed);

	/* UNTAGGED is SIMPLE, not refused. */
	q = treq_submit(test, s, 0, cdb, 10, SCST_CMD_QUEUE_UNTAGGED, 8);
	T_WAIT(test, treq_ndone(q) == 1, "the untagged command");
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
	cdb_rw10(cdb, READ_10, 0, 1);
	cdb[1] = 0x01;
	KUNIT_EXPECT_EQ(test, t_exec(test, s, 0, cdb, 10, &r, NULL, 0),
			T_CC(ILLEGAL_REQUEST, 0x24, 0x00));
	KUNIT_ASSERT_EQ(test, r.sense_len, 18);
	KUNIT_EXPECT_EQ(test, r.sense[15], 0xc8);
	KUNIT_EXPECT_EQ(test, r.sense[16], 0x00);
	KUNIT_EXPECT_EQ(test, r.sense[17], 0x01);

	/* NACA in the control byte: byte 9 bit 2. */
	cdb_rw10(cdb, READ_10, 0, 1);
	cdb[9] = SCST_CONTROL_NACA;
	KUNIT_EXPECT_EQ(test, t_exec(test, s, 0, cdb, 10, &r, NULL, 0),
			T_CC(ILLEGAL_REQUEST, 0x24, 0x00));
	KUNIT_ASSERT_EQ(test, r.sense_len, 18);
	KUNIT_EXPECT_EQ(test, r.sense[15], 0xca);
	KUNIT_EXPECT_EQ(test, r.sense[16], 0x00);
	KUNIT_EXPECT_EQ(test, r.sense[17], 0x09);

	/* A READ(10) cut to 6 bytes: pointer at the first missing byte. */
	cdb_rw10(cdb, READ_10, 0, 1);
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

	cdb_rw10(cdb, WRITE_10, 0, 1);
	KUNIT_EXPECT_EQ(test, t_exec(test, s, 1, cdb, 10, &r, NULL, 0),
			T_CC(DATA_PROTECT, 0x27, 0x00));
	KUNIT_EXPECT_EQ(test, scst_null_executed(e->dev[1]), executed);
	cdb_rw10(cdb, READ_10, 0, 1);
	KUNIT_EXPECT_EQ(test, t_exec(test, s, 1, cdb, 10, &r, NULL, 0), T_GOOD);
	KUNIT_EXPECT_EQ(test, scst_null_executed(e->dev[1]), executed + 1);
	/* The handler sees the LUN as read-only: WP in MODE SENSE. */
	KUNIT_EXPECT_EQ(test, t_exec(test, s, 1, msense, 6, &r, buf, 4),
			T_GOOD);
	KUNIT_EXPECT_EQ(test, buf[2] & 0x80, 0x80);

	/* The writable LUN next to it still takes writes. */
	cdb_rw10(cdb, WRITE_10, 0, 1);
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

	KUNIT_EXPECT_EQ(test, t_exec(test, s, 0, cdb_tur, 6, &r, NULL, 0),
			T_UA(0x29, 0x00));
	KUNIT_EXPECT_EQ(test, r.sense_len, 8);
	KUNIT_EXPECT_EQ(test, r.sense[0], 0x72);
	KUNIT_EXPECT_EQ(test, r.sense[7], 0);

	cdb_rw10(cdb, READ_10, 0, 1);
	cdb[1] = 0x01;
	KUNIT_EXPECT_EQ(test, t_exec(test, s, 0, cdb, 10, &r, NULL, 0),
			T_CC(ILLEGAL_REQUEST, 0x24, 0x00));
	KUNIT_ASSERT_EQ(test, r.sense_len, 16);
	KUNIT_EXPECT_EQ(test, r.sense[0], 0x72);
	KUNIT_EXPECT_EQ(test, r.sense[7], 8);
	KUNIT_EXPECT_MEMEQ(test, r.sense + 8, sks, sizeof(sks));

	/* The handler's LBA OUT OF RANGE carries an information descriptor. */
	cdb_rw10(cdb, READ_10, 2047, 2);
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
