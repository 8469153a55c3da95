/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * The fixture of the vdisk suites: the core with vdisk and scst_local,
 * target "vt_tgt", backing files in a fresh directory on tmpfs
 * (/dev/shm), tree access, and SCSI commands through scst_local. Static
 * helpers: each suite file includes its own copy.
 */
#ifndef VDISK_TEST_ENV_H
#define VDISK_TEST_ENV_H

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <kunit/test.h>

#include "scst/byteorder.h"
#include "scst/os.h"
#include "scst/scst.h"
#include "scst/scst_tree.h"
#include "../../../dev_handlers/vdisk/vdisk_module.h"
#include "../../../scst_local/scst_local.h"
#include "tests/unit/scst/src/scst_test_env.h"

#define VT_UNUSED  __attribute__((unused))
#define VT_WAIT_MS 10000

struct vt_env {
	struct t_engine eng;
	struct scst_tgt *tgt;
	struct scst_local_sess *sess;
	struct scst_mgmt_res res;
	char dir[64];
};

/* A suite of another handler defines VT_MODULES before the include. */
#ifndef VT_MODULES
#define VT_MODULES &vdisk_module, &scst_local_module
#endif
static const struct scst_module *const vt_mods[] = {VT_MODULES};

static void vt_rmdir(const char *dir)
{
	char p[512];
	struct dirent *de;
	DIR *d = opendir(dir);

	if (!d)
		return;
	while ((de = readdir(d))) {
		if (!strcmp(de->d_name, ".") || !strcmp(de->d_name, ".."))
			continue;
		snprintf(p, sizeof(p), "%s/%s", dir, de->d_name);
		unlink(p);
	}
	closedir(d);
	rmdir(dir);
}

static VT_UNUSED void vt_down(struct kunit *test)
{
	struct vt_env *e = test->priv;

	if (!e)
		return;
	if (e->sess)
		scst_local_sess_close(e->sess);
	e->sess = NULL;
	if (e->tgt)
		scst_local_del_target(e->tgt);
	e->tgt = NULL;
	t_engine_down(test, &e->eng);
	if (e->dir[0])
		vt_rmdir(e->dir);
}

static VT_UNUSED int vt_up(struct kunit *test)
{
	struct vt_env *e;
	int rc;

	e = kunit_kzalloc(test, sizeof(*e), GFP_KERNEL);
	if (!e)
		return -ENOMEM;
	test->priv = e;
	snprintf(e->dir, sizeof(e->dir), "/dev/shm/vdisk_test.XXXXXX");
	if (!mkdtemp(e->dir)) {
		e->dir[0] = '\0';
		return -errno;
	}
	rc = t_engine_up(&e->eng, vt_mods, sizeof(vt_mods) / sizeof(vt_mods[0]),
			 SCST_LOG_ERR);
	if (rc)
		goto fail;
	rc = scst_local_add_target("vt_tgt", &e->tgt);
	if (rc)
		goto fail;
	return 0;
fail:
	vt_down(test);
	return rc;
}

/* ------------------------------------------------------------ files ---- */

/* A file @name of @size bytes (zeros) in the case's directory. */
static VT_UNUSED const char *vt_file(struct kunit *test, const char *name,
				     uint64_t size)
{
	struct vt_env *e = test->priv;
	char *p = kunit_kzalloc(test, 256, GFP_KERNEL);
	int fd;

	KUNIT_ASSERT_NOT_NULL(test, p);
	snprintf(p, 256, "%s/%s", e->dir, name);
	fd = open(p, O_CREAT | O_TRUNC | O_RDWR, 0600);
	KUNIT_ASSERT_GE(test, fd, 0);
	KUNIT_ASSERT_EQ(test, ftruncate(fd, (off_t)size), 0);
	close(fd);
	return p;
}

/* A string owned by the case. */
static VT_UNUSED __attribute__((format(printf, 2, 3))) char *
vt_sprintf(struct kunit *test, const char *fmt, ...)
{
	char *p = kunit_kzalloc(test, 1024, GFP_KERNEL);
	va_list ap;

	KUNIT_ASSERT_NOT_NULL(test, p);
	va_start(ap, fmt);
	vsnprintf(p, 1024, fmt, ap);
	va_end(ap);
	return p;
}

/* @tmpl with its first "%s" replaced by @s (owned by the case). */
static VT_UNUSED char *vt_subst(struct kunit *test, const char *tmpl,
				const char *s)
{
	const char *at = strstr(tmpl, "%s");

	if (!at)
		return vt_sprintf(test, "%s", tmpl);
	return vt_sprintf(test, "%.*s%s%s", (int)(at - tmpl), tmpl, s, at + 2);
}

/* --------------------------------------------------------- the tree ---- */

static VT_UNUSED int vt_w(struct kunit *test, const char *path, const char *val)
{
	struct vt_env *e = test->priv;

	memset(&e->res, 0, sizeof(e->res));
	return scst_tree_write(path, val, strlen(val), &e->res);
}

static VT_UNUSED const char *vt_msg(struct kunit *test)
{
	return ((struct vt_env *)test->priv)->res.msg;
}

#define VT_WOK(test, path, val)                                                \
	do {                                                                   \
		int vt_rc__ = vt_w(test, path, val);                           \
		KUNIT_ASSERT_EQ_MSG(test, vt_rc__, 0, "write '%s' to %s: %s",  \
				    val, path, vt_msg(test));                  \
	} while (0)

#define VT_WERR(test, path, val, err, msg)                                     \
	do {                                                                   \
		int vt_rc__ = vt_w(test, path, val);                           \
		KUNIT_EXPECT_EQ_MSG(test, vt_rc__, err, "write '%s' to %s",    \
				    val, path);                                \
		KUNIT_EXPECT_STREQ_MSG(test, vt_msg(test), msg,                \
				       "write '%s' to %s", val, path);         \
	} while (0)

static VT_UNUSED const char *vt_r(struct kunit *test, const char *path)
{
	return t_tree_read(test, path);
}

/* An attribute of device @dev. */
static VT_UNUSED const char *vt_attr(struct kunit *test, const char *dev,
				     const char *attr)
{
	char path[256];

	snprintf(path, sizeof(path), "/devices/%s/%s", dev, attr);
	return vt_r(test, path);
}

static VT_UNUSED bool vt_exists(const char *path)
{
	struct scst_tree_stat st;

	return scst_tree_stat(path, &st) == 0;
}

/* "add_device @args" to handler @h; must succeed. */
static VT_UNUSED __attribute__((format(printf, 3, 4))) void
vt_add(struct kunit *test, const char *h, const char *fmt, ...)
{
	char path[128], cmd[1024] = "add_device ";
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(cmd + 11, sizeof(cmd) - 11, fmt, ap);
	va_end(ap);
	snprintf(path, sizeof(path), "/handlers/%s/mgmt", h);
	VT_WOK(test, path, cmd);
}

/* Map device @name at @lun of the default group. */
static VT_UNUSED struct scst_device *vt_map(struct kunit *test,
					    const char *name, uint64_t lun)
{
	struct vt_env *e = test->priv;
	struct scst_device *dev = scst_find_device(name);

	KUNIT_ASSERT_NOT_NULL(test, dev);
	KUNIT_ASSERT_EQ(
	    test,
	    scst_acg_add_lun(scst_tgt_default_acg(e->tgt), dev, lun, false), 0);
	return dev;
}

/* -------------------------------------------------------- SCSI side ---- */

#define VT_GOOD	       0u
#define VT_CC(k, a, q) (0x02000000u | ((k) << 16) | ((a) << 8) | (q))
#define VT_UA(a, q)    VT_CC(UNIT_ATTENTION, a, q)

static VT_UNUSED uint32_t vt_result(const struct scst_local_req *r)
{
	const uint8_t *s = r->sense;
	uint32_t v = (uint32_t)r->status << 24;

	if (r->sense_len >= 14 && (s[0] & 0x7e) == 0x70)
		v |= (s[2] & 0xfu) << 16 | s[12] << 8 | s[13];
	else if (r->sense_len >= 8 && (s[0] & 0x7e) == 0x72)
		v |= (s[1] & 0xfu) << 16 | s[2] << 8 | s[3];
	return v;
}

/*
 * A request for @cdb at @lun: Data-Out @out (its length is the expected
 * transfer length) and room @in for Data-In; with @read_edtl, @in_len is
 * the expected length of a read too.
 */
static VT_UNUSED void vt_req_init(struct scst_local_req *r, uint64_t lun,
				  const uint8_t *cdb, unsigned int cdb_len,
				  const void *out, uint32_t out_len, void *in,
				  uint32_t in_len, bool read_edtl)
{
	memset(r, 0, sizeof(*r));
	r->lun = lun;
	memcpy(r->cdb, cdb, cdb_len);
	r->cdb_len = cdb_len;
	if (out) {
		r->exp_set = true;
		r->exp_dir = SCST_DATA_WRITE;
		r->exp_len = out_len;
		r->data_out = out;
		r->data_out_len = out_len;
	} else if (in && read_edtl) {
		r->exp_set = true;
		r->exp_dir = SCST_DATA_READ;
		r->exp_len = in_len;
	}
	r->data_in = in;
	r->data_in_size = in_len;
}

static VT_UNUSED uint32_t vt_exec(struct kunit *test, uint64_t lun,
				  const uint8_t *cdb, unsigned int cdb_len,
				  const void *out, uint32_t out_len, void *in,
				  uint32_t in_len)
{
	struct vt_env *e = test->priv;
	struct scst_local_req r;

	vt_req_init(&r, lun, cdb, cdb_len, out, out_len, in, in_len, false);
	KUNIT_ASSERT_EQ(test, scst_local_exec(e->sess, &r), 0);
	KUNIT_EXPECT_FALSE(test, r.no_response);
	return vt_result(&r);
}

static VT_UNUSED uint32_t vt_tur(struct kunit *test, uint64_t lun)
{
	static const uint8_t cdb[6] = {TEST_UNIT_READY};

	return vt_exec(test, lun, cdb, 6, NULL, 0, NULL, 0);
}

/* READ(10)/WRITE(10) of @n blocks of @bs bytes at @lba. */
static VT_UNUSED uint32_t vt_rw(struct kunit *test, uint64_t lun, bool write,
				uint32_t lba, uint16_t n, uint32_t bs,
				void *buf)
{
	uint8_t cdb[10] = {write ? WRITE_10 : READ_10};

	scst_put_be32(cdb + 2, lba);
	scst_put_be16(cdb + 7, n);
	return write ? vt_exec(test, lun, cdb, 10, buf, n * bs, NULL, 0)
		     : vt_exec(test, lun, cdb, 10, NULL, 0, buf, n * bs);
}

/* Open the session (once) and consume the unit attentions of @lun. */
static VT_UNUSED void vt_clear_ua(struct kunit *test, uint64_t lun)
{
	struct vt_env *e = test->priv;
	unsigned int i;
	uint32_t v;

	if (!e->sess)
		KUNIT_ASSERT_EQ(
		    test, scst_local_sess_open(e->tgt, "vt_ini", 0, &e->sess),
		    0);
	for (i = 0; i < 20; i++) {
		v = vt_tur(test, lun);
		if ((v >> 16 & 0xff) != UNIT_ATTENTION)
			return;
	}
	KUNIT_FAIL(test, "LUN %llu keeps reporting unit attentions",
		   (unsigned long long)lun);
}

/* A block of the test pattern: LBA and seed up front, then bytes of both. */
static VT_UNUSED void vt_pattern(uint8_t *p, uint32_t bs, uint64_t lba,
				 uint64_t seed)
{
	uint32_t i;

	scst_put_be64(p, lba);
	scst_put_be64(p + 8, seed);
	for (i = 16; i < bs; i++)
		p[i] = (uint8_t)(lba * 131 + seed * 7 + i * 13 + (i >> 8));
}

#endif /* VDISK_TEST_ENV_H */
