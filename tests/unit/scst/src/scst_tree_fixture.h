/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Shared environment of the configuration tree suites (scst_tree_*_test.c):
 * the core with scst_null and scst_local, helpers that read, write, list
 * and resolve paths of the tree, and helpers that run SCSI commands
 * through scst_local sessions. Everything here is static: each suite file
 * includes its own copy.
 */
#ifndef SCST_TREE_FIXTURE_H
#define SCST_TREE_FIXTURE_H

#include <errno.h>
#include <stdio.h>
#include <string.h>

#include <kunit/test.h>

#include "scst/byteorder.h"
#include "scst/os.h"
#include "scst/scst.h"
#include "scst/scst_tree.h"
#include "../../../../dev_handlers/scst_null.h"
#include "../../../../scst_local/scst_local.h"
#include "scst_test_env.h"

#define TT_UNUSED  __attribute__((unused))
#define TT_WAIT_MS 5000
#define TT_NSESS   4

/* Poll @cond every millisecond for up to 5 s; fail the case on timeout. */
#define TT_WAIT(test, cond, what)                                              \
	do {                                                                   \
		unsigned int tt_ms__;                                          \
		for (tt_ms__ = 0; !(cond) && tt_ms__ < TT_WAIT_MS; tt_ms__++)  \
			scst_os_msleep(1);                                     \
		KUNIT_ASSERT_TRUE_MSG(                                         \
		    test, (cond), "timed out after 5 s waiting for %s", what); \
	} while (0)

struct tt_env {
	struct t_engine eng;
	/* Sessions opened through the C API; closed by tt_down(). */
	struct scst_local_sess *sess[TT_NSESS];
	/* The message of the last tt_w(). */
	struct scst_mgmt_res res;
};

static const struct scst_module *const tt_mods[] = {&scst_null_module,
						    &scst_local_module};

static TT_UNUSED void tt_down(struct kunit *test)
{
	struct tt_env *e = test->priv;
	unsigned int i;

	if (!e)
		return;
	for (i = 0; i < TT_NSESS; i++) {
		if (e->sess[i])
			scst_local_sess_close(e->sess[i]);
		e->sess[i] = NULL;
	}
	t_engine_down(test, &e->eng);
}

/* The core with scst_null and scst_local, the log quiet below warnings. */
static TT_UNUSED int tt_up(struct kunit *test)
{
	struct tt_env *e;
	int rc;

	e = kunit_kzalloc(test, sizeof(*e), GFP_KERNEL);
	if (!e)
		return -ENOMEM;
	test->priv = e;
	rc = t_engine_up(&e->eng, tt_mods, 2, SCST_LOG_WARN);
	if (rc)
		goto fail;
	return 0;
fail:
	tt_down(test);
	return rc;
}

/* ------------------------------------------------------- tree access ---- */

/* Write @val to @path; the message goes to the environment's res. */
static TT_UNUSED int tt_w(struct kunit *test, const char *path, const char *val)
{
	struct tt_env *e = test->priv;

	memset(&e->res, 0x5a, sizeof(e->res));
	return scst_tree_write(path, val, strlen(val), &e->res);
}

static TT_UNUSED const char *tt_msg(struct kunit *test)
{
	struct tt_env *e = test->priv;

	return e->res.msg;
}

/* A write that must succeed. */
#define TT_WOK(test, path, val)                                                \
	do {                                                                   \
		int tt_rc__ = tt_w(test, path, val);                           \
		KUNIT_ASSERT_EQ_MSG(test, tt_rc__, 0, "write '%s' to %s: %s",  \
				    val, path, tt_msg(test));                  \
	} while (0)

/* A write that must fail with @err and exactly the message @msg. */
#define TT_WERR(test, path, val, err, msg)                                     \
	do {                                                                   \
		int tt_rc__ = tt_w(test, path, val);                           \
		KUNIT_EXPECT_EQ_MSG(test, tt_rc__, err, "write '%s' to %s",    \
				    val, path);                                \
		KUNIT_EXPECT_STREQ_MSG(test, tt_msg(test), msg,                \
				       "write '%s' to %s", val, path);         \
	} while (0)

/* The content of @path as a string owned by the case, or "ERR<n>". */
static TT_UNUSED const char *tt_r(struct kunit *test, const char *path)
{
	return t_tree_read(test, path);
}

static TT_UNUSED bool tt_exists(const char *path)
{
	struct scst_tree_stat st;

	return scst_tree_stat(path, &st) == 0;
}

struct tt_ls_ctx {
	char *buf;
	size_t size, len;
};

static int tt_ls_fill(void *ctx, const char *name, enum scst_tree_type type)
{
	struct tt_ls_ctx *c = ctx;
	int n;

	n = snprintf(c->buf + c->len, c->size - c->len, "%s%s%s",
		     c->len ? " " : "", name,
		     type == SCST_TREE_DIR    ? "/"
		     : type == SCST_TREE_LINK ? "@"
					      : "");
	if (n > 0 && (size_t)n < c->size - c->len)
		c->len += (size_t)n;
	return 0;
}

/* The entries of @path, blank-separated, dirs with "/", links with "@". */
static TT_UNUSED const char *tt_ls(struct kunit *test, const char *path)
{
	struct tt_ls_ctx c = {.size = 4096};
	int rc;

	c.buf = kunit_kzalloc(test, c.size, GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, c.buf);
	rc = scst_tree_readdir(path, tt_ls_fill, &c);
	if (rc)
		snprintf(c.buf, c.size, "ERR%d", rc);
	return c.buf;
}

/*
 * @rel resolved against the directory of @link: an absolute path of the
 * tree, owned by the case.
 */
static TT_UNUSED const char *tt_resolve(struct kunit *test, const char *link,
					const char *rel)
{
	char *out = kunit_kzalloc(test, 2048, GFP_KERNEL);
	const char *p = rel, *e;
	size_t len;
	char *slash;

	KUNIT_ASSERT_NOT_NULL(test, out);
	snprintf(out, 2048, "%s", link);
	slash = strrchr(out, '/');
	*slash = '\0'; /* the link's directory ("" for the root) */
	while (*p) {
		e = strchr(p, '/');
		len = e ? (size_t)(e - p) : strlen(p);
		if (len == 2 && memcmp(p, "..", 2) == 0) {
			slash = strrchr(out, '/');
			KUNIT_ASSERT_NOT_NULL_MSG(
			    test, slash, "%s goes above the root", rel);
			*slash = '\0';
		} else if (len && !(len == 1 && p[0] == '.')) {
			size_t l = strlen(out);

			snprintf(out + l, 2048 - l, "/%.*s", (int)len, p);
		}
		p += len;
		if (*p == '/')
			p++;
	}
	if (!out[0])
		strcpy(out, "/");
	return out;
}

/*
 * The link @link must read exactly @want and point at an existing path
 * (equal to @target when given).
 */
#define TT_LINK(test, link, want, target)                                      \
	do {                                                                   \
		char tt_b__[1024];                                             \
		const char *tt_t__ = (target);                                 \
		const char *tt_abs__;                                          \
		int tt_n__ = scst_tree_readlink(link, tt_b__, sizeof(tt_b__)); \
		KUNIT_ASSERT_EQ_MSG(test, tt_n__, (int)strlen(want),           \
				    "readlink %s", link);                      \
		KUNIT_EXPECT_STREQ(test, tt_b__, want);                        \
		tt_abs__ = tt_resolve(test, link, tt_b__);                     \
		KUNIT_EXPECT_TRUE_MSG(test, tt_exists(tt_abs__),               \
				      "%s -> %s (%s) does not exist", link,    \
				      tt_b__, tt_abs__);                       \
		if (tt_t__)                                                    \
			KUNIT_EXPECT_STREQ(test, tt_abs__, tt_t__);            \
	} while (0)

/* -------------------------------------------------------- SCSI side ---- */

/* status << 24 | key << 16 | ASC << 8 | ASCQ, sense of either format. */
#define TT_GOOD	       0u
#define TT_CC(k, a, q) (0x02000000u | ((k) << 16) | ((a) << 8) | (q))
#define TT_UA(a, q)    TT_CC(UNIT_ATTENTION, a, q)

static TT_UNUSED uint32_t tt_result(const struct scst_local_req *r)
{
	const uint8_t *s = r->sense;
	uint32_t v = (uint32_t)r->status << 24;

	if (r->sense_len >= 14 && (s[0] & 0x7e) == 0x70)
		v |= (s[2] & 0xfu) << 16 | s[12] << 8 | s[13];
	else if (r->sense_len >= 8 && (s[0] & 0x7e) == 0x72)
		v |= (s[1] & 0xfu) << 16 | s[2] << 8 | s[3];
	return v;
}

/* Run one command to completion; returns tt_result(). */
static TT_UNUSED uint32_t tt_exec(struct kunit *test, struct scst_local_sess *s,
				  uint64_t lun, const uint8_t *cdb,
				  unsigned int cdb_len,
				  struct scst_local_req *r, void *buf,
				  uint32_t size)
{
	memset(r, 0, sizeof(*r));
	r->lun = lun;
	memcpy(r->cdb, cdb, cdb_len);
	r->cdb_len = cdb_len;
	r->data_in = buf;
	r->data_in_size = size;
	KUNIT_ASSERT_EQ(test, scst_local_exec(s, r), 0);
	KUNIT_EXPECT_FALSE(test, r->no_response);
	return tt_result(r);
}

static TT_UNUSED uint32_t tt_tur(struct kunit *test, struct scst_local_sess *s,
				 uint64_t lun)
{
	static const uint8_t cdb[6] = {TEST_UNIT_READY};
	struct scst_local_req r;

	return tt_exec(test, s, lun, cdb, 6, &r, NULL, 0);
}

/* INQUIRY (standard data, 96 bytes); the data goes to @buf[96]. */
static TT_UNUSED uint32_t tt_inquiry(struct kunit *test,
				     struct scst_local_sess *s, uint64_t lun,
				     uint8_t *buf, uint32_t *len)
{
	static const uint8_t cdb[6] = {INQUIRY, 0, 0, 0, 96, 0};
	struct scst_local_req r;
	uint32_t v = tt_exec(test, s, lun, cdb, 6, &r, buf, 96);

	if (len)
		*len = r.data_in_len;
	return v;
}

/* READ(10) or WRITE(10) of @n blocks at @lba (Data-Out is zeros). */
static TT_UNUSED uint32_t tt_rw10(struct kunit *test, struct scst_local_sess *s,
				  uint64_t lun, uint8_t op, uint32_t lba,
				  uint16_t n, uint32_t bytes)
{
	struct scst_local_req r;
	uint8_t cdb[10] = {op};
	void *buf = kunit_kzalloc(test, bytes ? bytes : 1, GFP_KERNEL);
	uint32_t v;

	KUNIT_ASSERT_NOT_NULL(test, buf);
	scst_put_be32(cdb + 2, lba);
	scst_put_be16(cdb + 7, n);
	memset(&r, 0, sizeof(r));
	r.lun = lun;
	memcpy(r.cdb, cdb, 10);
	r.cdb_len = 10;
	if (op == WRITE_10) {
		r.exp_set = true;
		r.exp_dir = SCST_DATA_WRITE;
		r.exp_len = bytes;
		r.data_out = buf;
		r.data_out_len = bytes;
	} else {
		r.data_in = buf;
		r.data_in_size = bytes;
	}
	KUNIT_ASSERT_EQ(test, scst_local_exec(s, &r), 0);
	v = tt_result(&r);
	kunit_kfree(test, buf);
	return v;
}

/* Consume the unit attentions of a nexus until TEST UNIT READY is GOOD. */
static TT_UNUSED void tt_clear_ua(struct kunit *test, struct scst_local_sess *s,
				  uint64_t lun)
{
	unsigned int i;

	for (i = 0; i < 20; i++)
		if (tt_tur(test, s, lun) == TT_GOOD)
			return;
	KUNIT_FAIL(test, "LUN %llu keeps reporting unit attentions",
		   (unsigned long long)lun);
}

/* Open a session through the C API; tt_down() closes it. */
static TT_UNUSED struct scst_local_sess *
tt_open(struct kunit *test, struct scst_tgt *tgt, const char *initiator)
{
	struct tt_env *e = test->priv;
	unsigned int i;

	for (i = 0; i < TT_NSESS && e->sess[i]; i++)
		;
	KUNIT_ASSERT_LT(test, i, TT_NSESS);
	KUNIT_ASSERT_EQ(
	    test, scst_local_sess_open(tgt, initiator, 0, &e->sess[i]), 0);
	return e->sess[i];
}

/* Close a session of tt_open() before the end of the case. */
static TT_UNUSED void tt_close(struct kunit *test, struct scst_local_sess *s)
{
	struct tt_env *e = test->priv;
	unsigned int i;

	for (i = 0; i < TT_NSESS; i++) {
		if (e->sess[i] == s) {
			e->sess[i] = NULL;
			scst_local_sess_close(s);
			return;
		}
	}
	KUNIT_FAIL(test, "session %p is not one of the case's", (void *)s);
}

#endif /* SCST_TREE_FIXTURE_H */
