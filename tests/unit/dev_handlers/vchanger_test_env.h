/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * The fixture of the vchanger suite: the core with scst_local, vtape and
 * vchanger; media and state directories in a fresh directory on tmpfs
 * (/dev/shm); the library below; and the commands the cases send.
 *
 * The library of every case: drives drive0, drive1 and ghost (no such
 * device) at 0x0001-0x0003, the transport at 0x0100, import/export
 * elements 0x0200-0x0201, storage 0x0400-0x0403 with A00001L5 and
 * A00002L5 in the first two. LUN 0 is the changer, LUN 1 drive0, LUN 2
 * drive1. Sessions "ini_a" (vc.a) and "ini_b" (vc.b), their unit
 * attentions consumed.
 */
#ifndef VCHANGER_TEST_ENV_H
#define VCHANGER_TEST_ENV_H

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <kunit/test.h>

#include "dev_handlers/vtape/vtape.h"
#include "scst/byteorder.h"
#include "tests/unit/scst/src/scst_test_env.h"

#define VC_LIB	   "lib0"
#define VC_DESC	   48 /* 12 + primary volume tag */
#define VC_DVCID   (VC_DESC + 4 + 56)
#define VC_RES_MAX 4096

/* Element addresses of the fixture. */
#define D0 0x0001
#define D1 0x0002
#define DG 0x0003
#define MT 0x0100
#define IE 0x0200
#define ST 0x0400

static const struct scst_module *const vc_mods[] = {&vtape_module,
						    &vchanger_module};

/* One case at a time: the fixture's paths and sessions. */
static struct {
	char dir[64];
	char media[96];
	char state[96];
	struct scst_tgt *tgt;
	struct scst_local_sess *a, *b;
	struct scst_mgmt_res res;
} vc;

static int vc_w(const char *path, const char *val)
{
	memset(&vc.res, 0, sizeof(vc.res));
	return scst_tree_write(path, val, strlen(val), &vc.res);
}

static __attribute__((format(printf, 2, 3))) int vc_mgmt(const char *h,
							 const char *fmt, ...)
{
	char path[64], cmd[512];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(cmd, sizeof(cmd), fmt, ap);
	va_end(ap);
	snprintf(path, sizeof(path), "/handlers/%s/mgmt", h);
	return vc_w(path, cmd);
}

static void vc_rmtree(const char *dir)
{
	char p[512];
	struct dirent *de;
	struct stat st;
	DIR *d = opendir(dir);

	if (!d)
		return;
	while ((de = readdir(d))) {
		if (!strcmp(de->d_name, ".") || !strcmp(de->d_name, ".."))
			continue;
		snprintf(p, sizeof(p), "%s/%s", dir, de->d_name);
		if (!lstat(p, &st) && S_ISDIR(st.st_mode))
			vc_rmtree(p);
		else
			unlink(p);
	}
	closedir(d);
	rmdir(dir);
}

static int vc_map(const char *name, uint64_t lun)
{
	struct scst_device *dev = scst_find_device(name);

	if (!dev)
		return -ENOENT;
	return scst_acg_add_lun(scst_tgt_default_acg(vc.tgt), dev, lun, false);
}

static int vc_add_drive(const char *name)
{
	return vc_mgmt("vtape", "add_device %s media_dir=%s", name, vc.media);
}

static int vc_add_lib(const char *barcodes)
{
	int rc = vc_mgmt("vchanger",
			 "add_device " VC_LIB " media_dir=%s; "
			 "drives=drive0,drive1,ghost; slots=4; ie_slots=2; "
			 "barcodes=%s",
			 vc.media, barcodes);

	return rc ? rc : vc_map(VC_LIB, 0);
}

static struct scst_local_sess *vc_open(struct kunit *test, const char *ini);

static int vchanger_init(struct kunit *test)
{
	int rc = tenv_up(test, 0, 0, 0);

	if (rc)
		return rc;
	memset(&vc, 0, sizeof(vc));
	vc.tgt = t_env(test)->tgt;
	snprintf(vc.dir, sizeof(vc.dir), "/dev/shm/vchanger_test.XXXXXX");
	if (!mkdtemp(vc.dir)) {
		rc = -errno;
		goto fail;
	}
	snprintf(vc.media, sizeof(vc.media), "%s/media", vc.dir);
	snprintf(vc.state, sizeof(vc.state), "%s/state", vc.dir);
	if (mkdir(vc.media, 0700) || mkdir(vc.state, 0700)) {
		rc = -errno;
		goto fail;
	}
	scst_set_state_dir(vc.state);
	rc = scst_modules_init(vc_mods, 2);
	if (rc)
		goto fail;
	rc = vc_add_drive("drive0");
	if (!rc)
		rc = vc_add_drive("drive1");
	if (!rc)
		rc = vc_add_lib("A00001L5,A00002L5");
	if (!rc)
		rc = vc_map("drive0", 1);
	if (!rc)
		rc = vc_map("drive1", 2);
	if (rc) {
		kunit_err(test, "fixture: %d %s", rc, vc.res.msg);
		goto fail_mods;
	}
	vc.a = vc_open(test, "ini_a");
	vc.b = vc_open(test, "ini_b");
	return 0;

fail_mods:
	scst_modules_exit(vc_mods, 2);
fail:
	scst_set_state_dir(NULL);
	tenv_down(test);
	if (vc.dir[0])
		vc_rmtree(vc.dir);
	return rc;
}

static void vchanger_exit(struct kunit *test)
{
	struct tenv *e = t_env(test);
	unsigned int i;

	for (i = 0; i < T_NSESS; i++)
		tenv_close(test, e, i);
	vc_mgmt("vchanger", "del_device " VC_LIB);
	vc_mgmt("vtape", "del_device drive0");
	vc_mgmt("vtape", "del_device drive1");
	scst_modules_exit(vc_mods, 2);
	scst_set_state_dir(NULL);
	tenv_down(test);
	vc_rmtree(vc.dir);
}

/* ---------------------------------------------------------- commands ---- */

static uint32_t vc_cmd(struct kunit *test, struct scst_local_sess *s,
		       uint64_t lun, const uint8_t *cdb, unsigned int len,
		       void *buf, uint32_t size, uint32_t *got)
{
	struct scst_local_req r;
	uint32_t res = t_exec(test, s, lun, cdb, len, &r, buf, size);

	if (got)
		*got = r.data_in_len;
	return res;
}

/* A command with @len bytes of Data-Out. */
static uint32_t vc_cmd_out(struct kunit *test, struct scst_local_sess *s,
			   uint64_t lun, const uint8_t *cdb,
			   unsigned int cdb_len, const void *out, uint32_t len)
{
	struct scst_local_req r;

	memset(&r, 0, sizeof(r));
	r.lun = lun;
	memcpy(r.cdb, cdb, cdb_len);
	r.cdb_len = cdb_len;
	r.exp_set = true;
	r.exp_dir = SCST_DATA_WRITE;
	r.exp_len = len;
	r.data_out = out;
	r.data_out_len = len;
	KUNIT_ASSERT_EQ(test, scst_local_exec(s, &r), 0);
	return t_result(&r);
}

/* Consume the unit attentions of a nexus (an empty drive is NOT READY). */
static void vc_clear_ua(struct kunit *test, struct scst_local_sess *s,
			uint64_t lun)
{
	unsigned int i;

	for (i = 0; i < 20; i++)
		if ((t_tur(test, s, lun) >> 16 & 0xff) != UNIT_ATTENTION)
			return;
	KUNIT_FAIL(test, "LUN %llu keeps reporting unit attentions",
		   (unsigned long long)lun);
}

static struct scst_local_sess *vc_open(struct kunit *test, const char *ini)
{
	struct scst_local_sess *s = tenv_open(test, ini);
	uint64_t lun;

	for (lun = 0; lun < 3; lun++)
		vc_clear_ua(test, s, lun);
	return s;
}

/* READ ELEMENT STATUS into @buf (VC_RES_MAX bytes). */
static uint32_t vc_res(struct kunit *test, struct scst_local_sess *s,
		       uint8_t type, bool voltag, bool dvcid, uint16_t start,
		       uint16_t num, uint32_t alloc, uint8_t *buf,
		       uint32_t *got)
{
	uint8_t cdb[12] = {READ_ELEMENT_STATUS};

	cdb[1] = (uint8_t)(type | (voltag ? 0x10 : 0));
	scst_put_be16(cdb + 2, start);
	scst_put_be16(cdb + 4, num);
	cdb[6] = dvcid ? 0x01 : 0;
	scst_put_be24(cdb + 7, alloc);
	memset(buf, 0xee, VC_RES_MAX);
	return vc_cmd(test, s, 0, cdb, 12, buf, VC_RES_MAX, got);
}

static uint32_t vc_move(struct kunit *test, struct scst_local_sess *s,
			uint16_t mt, uint16_t src, uint16_t dst)
{
	uint8_t cdb[12] = {MOVE_MEDIUM};

	scst_put_be16(cdb + 2, mt);
	scst_put_be16(cdb + 4, src);
	scst_put_be16(cdb + 6, dst);
	return vc_cmd(test, s, 0, cdb, 12, NULL, 0, NULL);
}

static uint32_t vc_prevent(struct kunit *test, struct scst_local_sess *s,
			   uint64_t lun, uint8_t prevent)
{
	uint8_t cdb[6] = {ALLOW_MEDIUM_REMOVAL, 0, 0, 0, prevent, 0};

	return vc_cmd(test, s, lun, cdb, 6, NULL, 0, NULL);
}

/*
 * The descriptor of element @addr in a READ ELEMENT STATUS of every
 * element with VOLTAG (no DVCID), or NULL.
 */
static const uint8_t *vc_find_desc(const uint8_t *buf, uint16_t addr)
{
	uint32_t total = 8 + scst_get_be24(buf + 5), off = 8, end, dl;

	while (off + 8 <= total) {
		dl = scst_get_be16(buf + off + 2);
		end = off + 8 + scst_get_be24(buf + off + 5);
		for (off += 8; off < end; off += dl)
			if (scst_get_be16(buf + off) == addr)
				return buf + off;
	}
	return NULL;
}

/* The full status of element @addr: FULL, barcode, source. */
static void vc_expect_elem(struct kunit *test, uint16_t addr,
			   const char *barcode, int src)
{
	uint8_t *buf = kunit_kzalloc(test, VC_RES_MAX, GFP_KERNEL);
	const uint8_t *d;
	char tag[33];

	KUNIT_ASSERT_EQ(
	    test,
	    vc_res(test, vc.a, 0, true, false, 0, 1000, VC_RES_MAX, buf, NULL),
	    T_GOOD);
	d = vc_find_desc(buf, addr);
	KUNIT_ASSERT_NOT_NULL_MSG(test, d, "element 0x%04x", addr);
	KUNIT_EXPECT_EQ_MSG(test, d[2] & 0x01, barcode ? 1 : 0,
			    "FULL of 0x%04x", addr);
	memcpy(tag, d + 12, 32);
	tag[32] = '\0';
	if (barcode) {
		KUNIT_EXPECT_EQ(test, strncmp(tag, barcode, strlen(barcode)),
				0);
		KUNIT_EXPECT_EQ(test, tag[strlen(barcode)], ' ');
	}
	if (src >= 0) {
		KUNIT_EXPECT_EQ_MSG(test, d[9] & 0x80, 0x80, "SVALID of 0x%04x",
				    addr);
		KUNIT_EXPECT_EQ(test, scst_get_be16(d + 10), (uint16_t)src);
	} else {
		KUNIT_EXPECT_EQ_MSG(test, d[9] & 0x80, 0, "SVALID of 0x%04x",
				    addr);
	}
}

/* A descriptor as the fixture expects it (VOLTAG, no DVCID). */
static void vc_desc(uint8_t *d, uint16_t addr, uint8_t flags, uint8_t asc,
		    uint8_t ascq, const char *barcode)
{
	memset(d, 0, VC_DESC);
	scst_put_be16(d, addr);
	d[2] = flags;
	d[4] = asc;
	d[5] = ascq;
	if (barcode) {
		d[9] = 0x01; /* medium type: data */
		memset(d + 12, ' ', 32);
		memcpy(d + 12, barcode, strlen(barcode));
	}
}

static void vc_page(uint8_t *p, uint8_t type, unsigned int n)
{
	memset(p, 0, 8);
	p[0] = type;
	p[1] = 0x80; /* PVOLTAG */
	scst_put_be16(p + 2, VC_DESC);
	scst_put_be24(p + 5, n * VC_DESC);
}

static bool vc_drive_has(const char *name, const char *barcode)
{
	struct scst_device *dev = scst_find_device(name);
	char bc[40] = "";

	if (!dev || !vtape_drive_has_cartridge(dev, bc, sizeof(bc)))
		return false;
	return !barcode || !strcmp(bc, barcode);
}

static bool vc_file_exists(const char *barcode)
{
	char path[160];

	snprintf(path, sizeof(path), "%s/%s", vc.media, barcode);
	return access(path, F_OK) == 0;
}

static const char *vc_state_file(struct kunit *test)
{
	char path[160], *buf = kunit_kzalloc(test, 4096, GFP_KERNEL);
	int fd;
	ssize_t n;

	snprintf(path, sizeof(path), "%s/vchanger." VC_LIB, vc.state);
	fd = open(path, O_RDONLY);
	if (fd < 0)
		return "";
	n = read(fd, buf, 4095);
	close(fd);
	buf[n > 0 ? n : 0] = '\0';
	return buf;
}

#endif /* VCHANGER_TEST_ENV_H */
