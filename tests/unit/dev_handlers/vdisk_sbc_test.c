// SPDX-License-Identifier: GPL-2.0-only
/*
 * The SBC emulation of the vdisk disks (vdisk_sbc.c, vdisk_sbc_thin.c)
 * through scst_local: vdisk_fileio devices on files in a temporary
 * directory under /dev/shm, created through the config tree, with CDBs
 * built as initiators build them. Most cases run for block sizes 512 and
 * 4096, thin and thick.
 */
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
#include "../../../dev_handlers/vdisk/vdisk_limits.h"
#include "../../../dev_handlers/vdisk/vdisk_module.h"
#include "../../../scst_local/scst_local.h"
#include "../scst/src/scst_test_env.h"

#define VT_NDEV	  4
#define VT_NSESS  2
#define VT_BLOCKS 2048u

/* The cases' CHECK CONDITIONs (status, key, ASC, ASCQ as t_result()). */
#define VT_OOB	    T_CC(ILLEGAL_REQUEST, 0x21, 0)
#define VT_BADCDB   T_CC(ILLEGAL_REQUEST, 0x24, 0)
#define VT_BADPARM  T_CC(ILLEGAL_REQUEST, 0x26, 0)
#define VT_PLLEN    T_CC(ILLEGAL_REQUEST, 0x1a, 0)
#define VT_BADOP    T_CC(ILLEGAL_REQUEST, 0x20, 0)
#define VT_MISCMP   T_CC(MISCOMPARE, 0x1d, 0)
#define VT_RD_ERR   T_CC(MEDIUM_ERROR, 0x11, 0)
#define VT_WR_ERR   T_CC(MEDIUM_ERROR, 0x0c, 0)
#define VT_COND_MET ((uint32_t)SAM_STAT_CONDITION_MET << 24)

struct vt_env {
	struct t_engine eng;
	char dir[64];
	struct scst_tgt *tgt;
	int ndev;
	char names[VT_NDEV][16];
	char files[VT_NDEV][128];
	struct scst_local_sess *sess[VT_NSESS];
	struct scst_mgmt_res res;
};

/* One configuration of the parameterized cases. */
struct vt_cfg {
	uint32_t bs;
	bool thin;
	const char *desc;
};

static const struct vt_cfg vt_cfgs[] = {
    {512, false, "bs512_thick"},
    {512, true, "bs512_thin"},
    {4096, false, "bs4096_thick"},
    {4096, true, "bs4096_thin"},
};
KUNIT_ARRAY_PARAM_DESC(vt_cfg, vt_cfgs, desc);

/* A device of a case: its LUN, geometry and scst device. */
struct vt_dev {
	uint64_t lun;
	uint32_t bs;
	uint64_t nb;
	bool thin;
	struct scst_device *dev;
	struct scst_local_sess *s;
};

static const struct scst_module *const vt_mods[] = {&scst_local_module,
						    &vdisk_module};

/* ------------------------------------------------------- fixture ---- */

static void vt_exit(struct kunit *test)
{
	struct vt_env *e = test->priv;
	char cmd[64];
	int i;

	if (!e)
		return;
	for (i = 0; i < VT_NSESS; i++)
		if (e->sess[i])
			scst_local_sess_close(e->sess[i]);
	if (e->tgt)
		scst_local_del_target(e->tgt);
	for (i = 0; i < e->ndev; i++) {
		snprintf(cmd, sizeof(cmd), "del_device %s", e->names[i]);
		scst_tree_write("/handlers/vdisk_fileio/mgmt", cmd, strlen(cmd),
				&e->res);
		unlink(e->files[i]);
	}
	if (e->dir[0])
		rmdir(e->dir);
	t_engine_down(test, &e->eng);
	test->priv = NULL;
}

static int vt_init(struct kunit *test)
{
	struct vt_env *e = kunit_kzalloc(test, sizeof(*e), GFP_KERNEL);
	int rc;

	if (!e)
		return -ENOMEM;
	test->priv = e;
	rc = t_engine_up(&e->eng, vt_mods, 2, SCST_LOG_WARN);
	if (rc)
		goto fail;
	snprintf(e->dir, sizeof(e->dir), "/dev/shm/vdisk_sbc_XXXXXX");
	if (!mkdtemp(e->dir)) {
		e->dir[0] = '\0';
		rc = -errno;
		goto fail;
	}
	rc = scst_local_add_target("tgt0", &e->tgt);
	if (rc)
		goto fail;
	return 0;
fail:
	vt_exit(test);
	return rc;
}

/*
 * A vdisk_fileio device on a new sparse file of @size bytes with the
 * add_device parameters @params, mapped at the next LUN; the case's
 * session (opened on the first call) has its unit attentions cleared.
 */
static struct vt_dev vt_add(struct kunit *test, uint64_t size, uint32_t bs,
			    bool thin, const char *params)
{
	struct vt_env *e = test->priv;
	struct vt_dev d = {.bs = bs, .thin = thin};
	char cmd[512];
	int i = e->ndev, j, fd, rc;

	KUNIT_ASSERT_LT(test, i, VT_NDEV);
	snprintf(e->names[i], sizeof(e->names[i]), "d%d", i);
	snprintf(e->files[i], sizeof(e->files[i]), "%s/d%d.img", e->dir, i);
	fd = open(e->files[i], O_CREAT | O_RDWR | O_TRUNC, 0600);
	KUNIT_ASSERT_GE(test, fd, 0);
	KUNIT_ASSERT_EQ(test, ftruncate(fd, (off_t)size), 0);
	close(fd);
	e->ndev++;
	snprintf(
	    cmd, sizeof(cmd),
	    "add_device %s filename=%s; blocksize=%u; thin_provisioned=%d%s%s",
	    e->names[i], e->files[i], bs, thin ? 1 : 0, params ? "; " : "",
	    params ? params : "");
	rc = scst_tree_write("/handlers/vdisk_fileio/mgmt", cmd, strlen(cmd),
			     &e->res);
	KUNIT_ASSERT_EQ_MSG(test, rc, 0, "%s: %s", cmd, e->res.msg);
	d.dev = scst_find_device(e->names[i]);
	KUNIT_ASSERT_NOT_NULL(test, d.dev);
	d.lun = (uint64_t)i;
	KUNIT_ASSERT_EQ(
	    test,
	    scst_acg_add_lun(scst_tgt_default_acg(e->tgt), d.dev, d.lun, false),
	    0);
	d.nb = size / bs;
	if (!e->sess[0])
		KUNIT_ASSERT_EQ(
		    test, scst_local_sess_open(e->tgt, "ini0", 0, &e->sess[0]),
		    0);
	d.s = e->sess[0];
	/* A new LUN is a REPORTED LUNS DATA HAS CHANGED on the others. */
	for (j = 0; j <= i; j++)
		t_clear_ua(test, d.s, (uint64_t)j);
	return d;
}

/* The parameterized cases' device: VT_BLOCKS blocks of the config. */
static struct vt_dev vt_std(struct kunit *test, const char *params)
{
	const struct vt_cfg *c = test->param_value;

	return vt_add(test, (uint64_t)VT_BLOCKS * c->bs, c->bs, c->thin,
		      params);
}

/* A second session on the same target (for races). */
static struct scst_local_sess *vt_sess2(struct kunit *test, struct vt_dev *d)
{
	struct vt_env *e = test->priv;

	if (!e->sess[1])
		KUNIT_ASSERT_EQ(
		    test, scst_local_sess_open(e->tgt, "ini1", 0, &e->sess[1]),
		    0);
	t_clear_ua(test, e->sess[1], d->lun);
	return e->sess[1];
}

/* -------------------------------------------------------- commands ---- */

/* Run @cdb with Data-Out @out and room @in for Data-In; t_result(). */
static uint32_t vt_do(struct kunit *test, struct vt_dev *d, const uint8_t *cdb,
		      unsigned int cdb_len, const void *out, uint32_t out_len,
		      void *in, uint32_t in_len, struct scst_local_req *rr)
{
	struct scst_local_req local, *r = rr ? rr : &local;

	memset(r, 0, sizeof(*r));
	r->lun = d->lun;
	memcpy(r->cdb, cdb, cdb_len);
	r->cdb_len = cdb_len;
	if (out) {
		r->exp_set = true;
		r->exp_dir = SCST_DATA_WRITE;
		r->exp_len = out_len;
		r->data_out = out;
		r->data_out_len = out_len;
	}
	r->data_in = in;
	r->data_in_size = in_len;
	KUNIT_ASSERT_EQ(test, scst_local_exec(d->s, r), 0);
	KUNIT_EXPECT_FALSE(test, r->no_response);
	return t_result(r);
}

/* The INFORMATION field of the sense (fixed or descriptor format). */
static bool vt_info(const struct scst_local_req *r, uint64_t *info)
{
	const uint8_t *s = r->sense;
	unsigned int i;

	if (r->sense_len >= 7 && (s[0] & 0x7e) == 0x70) {
		*info = scst_get_be32(s + 3);
		return (s[0] & 0x80) != 0;
	}
	if (r->sense_len >= 8 && (s[0] & 0x7e) == 0x72) {
		for (i = 8; i + 12 <= r->sense_len; i += 2 + s[i + 1]) {
			if (s[i] == 0x00 && (s[i + 2] & 0x80)) {
				*info = scst_get_be64(s + i + 4);
				return true;
			}
		}
	}
	return false;
}

static void vt_cdb10(uint8_t *cdb, uint8_t op, uint8_t b1, uint32_t lba,
		     uint16_t n)
{
	memset(cdb, 0, 10);
	cdb[0] = op;
	cdb[1] = b1;
	scst_put_be32(cdb + 2, lba);
	scst_put_be16(cdb + 7, n);
}

static void vt_cdb12(uint8_t *cdb, uint8_t op, uint8_t b1, uint32_t lba,
		     uint32_t n)
{
	memset(cdb, 0, 12);
	cdb[0] = op;
	cdb[1] = b1;
	scst_put_be32(cdb + 2, lba);
	scst_put_be32(cdb + 6, n);
}

static void vt_cdb16(uint8_t *cdb, uint8_t op, uint8_t b1, uint64_t lba,
		     uint32_t n)
{
	memset(cdb, 0, 16);
	cdb[0] = op;
	cdb[1] = b1;
	scst_put_be64(cdb + 2, lba);
	scst_put_be32(cdb + 10, n);
}

static uint8_t *vt_buf(struct kunit *test, size_t len)
{
	uint8_t *p = kunit_kzalloc(test, len ? len : 1, GFP_KERNEL);

	KUNIT_ASSERT_NOT_NULL(test, p);
	return p;
}

/* WRITE(16)/READ(16) of @n blocks at @lba. */
static uint32_t vt_write(struct kunit *test, struct vt_dev *d, uint64_t lba,
			 uint32_t n, const void *data)
{
	uint8_t cdb[16];

	vt_cdb16(cdb, WRITE_16, 0, lba, n);
	return vt_do(test, d, cdb, 16, data, n * d->bs, NULL, 0, NULL);
}

static uint32_t vt_read(struct kunit *test, struct vt_dev *d, uint64_t lba,
			uint32_t n, void *data)
{
	uint8_t cdb[16];

	vt_cdb16(cdb, READ_16, 0, lba, n);
	return vt_do(test, d, cdb, 16, NULL, 0, data, n * d->bs, NULL);
}

/* Fill @n blocks with @c and write them at @lba. */
static void vt_fill(struct kunit *test, struct vt_dev *d, uint64_t lba,
		    uint32_t n, int c)
{
	uint8_t *p = vt_buf(test, (size_t)n * d->bs);

	memset(p, c, (size_t)n * d->bs);
	KUNIT_ASSERT_EQ(test, vt_write(test, d, lba, n, p), T_GOOD);
	kunit_kfree(test, p);
}

/* Whether the @n blocks at @lba all hold byte @c. */
static bool vt_all(struct kunit *test, struct vt_dev *d, uint64_t lba,
		   uint32_t n, int c)
{
	size_t len = (size_t)n * d->bs, i;
	uint8_t *p = vt_buf(test, len);
	bool ok;

	KUNIT_EXPECT_EQ(test, vt_read(test, d, lba, n, p), T_GOOD);
	for (i = 0; i < len && p[i] == (uint8_t)c; i++)
		;
	ok = i == len;
	kunit_kfree(test, p);
	return ok;
}

/* GET LBA STATUS at @lba into @out (@alloc bytes); t_result(). */
static uint32_t vt_gls(struct kunit *test, struct vt_dev *d, uint64_t lba,
		       uint8_t *out, uint32_t alloc, struct scst_local_req *r)
{
	uint8_t cdb[16];

	vt_cdb16(cdb, SERVICE_ACTION_IN_16, SAI_GET_LBA_STATUS, lba, alloc);
	return vt_do(test, d, cdb, 16, NULL, 0, out, alloc, r);
}

/* Provisioning status of the first extent at @lba and its length. */
static uint8_t vt_status_at(struct kunit *test, struct vt_dev *d, uint64_t lba,
			    uint32_t *len)
{
	uint8_t out[24];

	memset(out, 0xee, sizeof(out));
	KUNIT_EXPECT_EQ(test, vt_gls(test, d, lba, out, 24, NULL), T_GOOD);
	KUNIT_EXPECT_EQ(test, scst_get_be64(out + 8), lba);
	if (len)
		*len = scst_get_be32(out + 16);
	return out[20] & 0x0f;
}

/* UNMAP with a parameter list of @len bytes. */
static uint32_t vt_unmap_raw(struct kunit *test, struct vt_dev *d,
			     const uint8_t *pl, uint16_t len, uint8_t b1)
{
	uint8_t cdb[10];

	vt_cdb10(cdb, UNMAP, b1, 0, len);
	return vt_do(test, d, cdb, 10, len ? pl : NULL, len, NULL, 0, NULL);
}

/* UNMAP of @cnt descriptors (lba, n) pairs, headers filled in properly. */
static uint32_t vt_unmap(struct kunit *test, struct vt_dev *d,
			 const uint64_t *lba, const uint32_t *n,
			 unsigned int cnt)
{
	uint16_t len = (uint16_t)(8 + 16 * cnt);
	uint8_t *pl = vt_buf(test, len);
	unsigned int i;
	uint32_t v;

	scst_put_be16(pl, (uint16_t)(len - 2));
	scst_put_be16(pl + 2, (uint16_t)(16 * cnt));
	for (i = 0; i < cnt; i++) {
		scst_put_be64(pl + 8 + 16 * i, lba[i]);
		scst_put_be32(pl + 16 + 16 * i, n[i]);
	}
	v = vt_unmap_raw(test, d, pl, len, 0);
	kunit_kfree(test, pl);
	return v;
}

/* ------------------------------------------------------ READ/WRITE ---- */

static void vdisk_sbc_rw(struct kunit *test)
{
	struct vt_dev d = vt_std(test, NULL);
	uint32_t bs = d.bs, last = (uint32_t)d.nb - 1;
	uint8_t cdb[16], *p = vt_buf(test, 256 * (size_t)bs);
	uint8_t *q = vt_buf(test, 256 * (size_t)bs);
	unsigned int i;

	for (i = 0; i < 4 * bs; i++)
		p[i] = (uint8_t)(i * 7 + 3);
	/* Each size of CDB writes and reads back the last blocks. */
	vt_cdb10(cdb, WRITE_10, 0, last - 3, 4);
	KUNIT_EXPECT_EQ(
	    test, vt_do(test, &d, cdb, 10, p, 4 * bs, NULL, 0, NULL), T_GOOD);
	vt_cdb12(cdb, READ_12, 0, last - 3, 4);
	KUNIT_EXPECT_EQ(
	    test, vt_do(test, &d, cdb, 12, NULL, 0, q, 4 * bs, NULL), T_GOOD);
	KUNIT_EXPECT_EQ(test, memcmp(p, q, 4 * bs), 0);
	vt_cdb12(cdb, WRITE_12, 0x08 /* FUA */, 5, 1);
	KUNIT_EXPECT_EQ(test, vt_do(test, &d, cdb, 12, p, bs, NULL, 0, NULL),
			T_GOOD);
	memset(q, 0, bs);
	KUNIT_EXPECT_EQ(test, vt_read(test, &d, 5, 1, q), T_GOOD);
	KUNIT_EXPECT_EQ(test, memcmp(p, q, bs), 0);

	/* READ(6)/WRITE(6): a length of 0 is 256 blocks. */
	memset(p, 0x5a, 256 * (size_t)bs);
	memset(cdb, 0, 6);
	cdb[0] = WRITE_6;
	cdb[3] = 16;
	KUNIT_EXPECT_EQ(
	    test, vt_do(test, &d, cdb, 6, p, 256 * bs, NULL, 0, NULL), T_GOOD);
	cdb[0] = READ_6;
	KUNIT_EXPECT_EQ(
	    test, vt_do(test, &d, cdb, 6, NULL, 0, q, 256 * bs, NULL), T_GOOD);
	KUNIT_EXPECT_EQ(test, memcmp(p, q, 256 * (size_t)bs), 0);

	/* Out of range: past the end, across the end, LBA 2^32-1 / 2^64-1. */
	KUNIT_EXPECT_EQ(test, vt_read(test, &d, d.nb, 1, q), VT_OOB);
	KUNIT_EXPECT_EQ(test, vt_read(test, &d, last, 2, q), VT_OOB);
	KUNIT_EXPECT_EQ(test, vt_write(test, &d, last, 2, p), VT_OOB);
	KUNIT_EXPECT_EQ(test, vt_read(test, &d, ~0ull, 1, q), VT_OOB);
	vt_cdb10(cdb, READ_10, 0, 0xffffffffu, 1);
	KUNIT_EXPECT_EQ(test, vt_do(test, &d, cdb, 10, NULL, 0, q, bs, NULL),
			VT_OOB);
	memset(cdb, 0, 6);
	cdb[0] = READ_6;
	cdb[1] = 0x1f;
	cdb[2] = 0xff;
	cdb[3] = 0xff;
	cdb[4] = 1;
	KUNIT_EXPECT_EQ(test, vt_do(test, &d, cdb, 6, NULL, 0, q, bs, NULL),
			VT_OOB);

	/* No blocks: GOOD in range, LBA OUT OF RANGE beyond it. */
	vt_cdb10(cdb, READ_10, 0, 0, 0);
	KUNIT_EXPECT_EQ(test, vt_do(test, &d, cdb, 10, NULL, 0, NULL, 0, NULL),
			T_GOOD);
	vt_cdb10(cdb, WRITE_10, 0, 0, 0);
	KUNIT_EXPECT_EQ(test, vt_do(test, &d, cdb, 10, NULL, 0, NULL, 0, NULL),
			T_GOOD);
	vt_cdb16(cdb, WRITE_16, 0, d.nb + 1, 0);
	KUNIT_EXPECT_EQ(test, vt_do(test, &d, cdb, 16, NULL, 0, NULL, 0, NULL),
			VT_OOB);

	/* Protection information is not supported. */
	vt_cdb10(cdb, READ_10, 0x20, 0, 1);
	KUNIT_EXPECT_EQ(test, vt_do(test, &d, cdb, 10, NULL, 0, q, bs, NULL),
			VT_BADCDB);
	vt_cdb16(cdb, WRITE_16, 0x40, 0, 1);
	KUNIT_EXPECT_EQ(test, vt_do(test, &d, cdb, 16, p, bs, NULL, 0, NULL),
			VT_BADCDB);
}

/* Backing store errors are never a silent success. */
static void vdisk_sbc_io_errors(struct kunit *test)
{
	struct vt_dev d = vt_std(test, NULL);
	uint8_t *p = vt_buf(test, 2 * (size_t)d.bs), cdb[16];

	KUNIT_ASSERT_EQ(test, vdisk_set_fault(d.dev, VDISK_IO_READ, -EIO, 1),
			0);
	KUNIT_EXPECT_EQ(test, vt_read(test, &d, 0, 1, p), VT_RD_ERR);
	KUNIT_ASSERT_EQ(test, vdisk_set_fault(d.dev, VDISK_IO_WRITE, -EIO, 1),
			0);
	KUNIT_EXPECT_EQ(test, vt_write(test, &d, 0, 1, p), VT_WR_ERR);
	/* VERIFY reads, WRITE SAME writes, COMPARE AND WRITE reads first. */
	KUNIT_ASSERT_EQ(test, vdisk_set_fault(d.dev, VDISK_IO_READ, -EIO, 1),
			0);
	vt_cdb10(cdb, VERIFY, 0, 0, 8);
	KUNIT_EXPECT_EQ(test, vt_do(test, &d, cdb, 10, NULL, 0, NULL, 0, NULL),
			VT_RD_ERR);
	KUNIT_ASSERT_EQ(test, vdisk_set_fault(d.dev, VDISK_IO_WRITE, -EIO, 1),
			0);
	vt_cdb10(cdb, WRITE_SAME, 0, 0, 8);
	KUNIT_EXPECT_EQ(test, vt_do(test, &d, cdb, 10, p, d.bs, NULL, 0, NULL),
			VT_WR_ERR);
	vt_fill(test, &d, 0, 1, 'A');
	KUNIT_ASSERT_EQ(test, vdisk_set_fault(d.dev, VDISK_IO_READ, -EIO, 1),
			0);
	memset(p, 'A', d.bs);
	memset(p + d.bs, 'B', d.bs);
	vt_cdb16(cdb, COMPARE_AND_WRITE, 0, 0, 0);
	cdb[13] = 1;
	KUNIT_EXPECT_EQ(test,
			vt_do(test, &d, cdb, 16, p, 2 * d.bs, NULL, 0, NULL),
			VT_RD_ERR);
	KUNIT_EXPECT_TRUE(test, vt_all(test, &d, 0, 1, 'A'));
	KUNIT_ASSERT_EQ(test,
			vdisk_set_fault(d.dev, VDISK_IO_WRITE, -ENOSPC, 1), 0);
	KUNIT_EXPECT_EQ(test,
			vt_do(test, &d, cdb, 16, p, 2 * d.bs, NULL, 0, NULL),
			T_CC(DATA_PROTECT, 0x27, 0x07));
	if (d.thin) {
		uint64_t lba = 0;
		uint32_t n = 8;

		KUNIT_ASSERT_EQ(
		    test, vdisk_set_fault(d.dev, VDISK_IO_DISCARD, -EIO, 1), 0);
		KUNIT_EXPECT_NE(test, vt_unmap(test, &d, &lba, &n, 1), T_GOOD);
	}
	KUNIT_ASSERT_EQ(test, vdisk_set_fault(d.dev, VDISK_IO_READ, -EIO, 0),
			0);
}

/* --------------------------------------------------- READ CAPACITY ---- */

static void vdisk_sbc_read_capacity(struct kunit *test)
{
	struct vt_dev d = vt_std(test, NULL);
	struct scst_local_req r;
	uint8_t cdb[16], out[64];

	memset(cdb, 0, 10);
	cdb[0] = READ_CAPACITY;
	memset(out, 0xee, sizeof(out));
	KUNIT_EXPECT_EQ(test, vt_do(test, &d, cdb, 10, NULL, 0, out, 8, &r),
			T_GOOD);
	KUNIT_EXPECT_EQ(test, r.data_in_len, 8u);
	KUNIT_EXPECT_EQ(test, scst_get_be32(out), (uint32_t)d.nb - 1);
	KUNIT_EXPECT_EQ(test, scst_get_be32(out + 4), d.bs);
	/* PMI zero with an LBA: INVALID FIELD IN CDB; PMI one: fine. */
	cdb[5] = 1;
	KUNIT_EXPECT_EQ(test, vt_do(test, &d, cdb, 10, NULL, 0, out, 8, NULL),
			VT_BADCDB);
	cdb[8] = 1;
	KUNIT_EXPECT_EQ(test, vt_do(test, &d, cdb, 10, NULL, 0, out, 8, NULL),
			T_GOOD);

	vt_cdb16(cdb, SERVICE_ACTION_IN_16, SAI_READ_CAPACITY_16, 0, 32);
	memset(out, 0xee, sizeof(out));
	KUNIT_EXPECT_EQ(test, vt_do(test, &d, cdb, 16, NULL, 0, out, 32, &r),
			T_GOOD);
	KUNIT_EXPECT_EQ(test, r.data_in_len, 32u);
	KUNIT_EXPECT_EQ(test, scst_get_be64(out), d.nb - 1);
	KUNIT_EXPECT_EQ(test, scst_get_be32(out + 8), d.bs);
	KUNIT_EXPECT_EQ(test, out[12], 0);		   /* no protection */
	KUNIT_EXPECT_EQ(test, out[13], 0);		   /* 1 LB per PB */
	KUNIT_EXPECT_EQ(test, out[14], d.thin ? 0xc0 : 0); /* LBPME LBPRZ */
	KUNIT_EXPECT_EQ(test, out[15], 0);
	/* The allocation length bounds the data. */
	vt_cdb16(cdb, SERVICE_ACTION_IN_16, SAI_READ_CAPACITY_16, 0, 12);
	memset(out, 0xee, sizeof(out));
	KUNIT_EXPECT_EQ(test, vt_do(test, &d, cdb, 16, NULL, 0, out, 64, &r),
			T_GOOD);
	KUNIT_EXPECT_EQ(test, r.data_in_len, 12u);
	KUNIT_EXPECT_EQ(test, out[12], 0xee);
	vt_cdb16(cdb, SERVICE_ACTION_IN_16, SAI_READ_CAPACITY_16, 0, 0);
	KUNIT_EXPECT_EQ(test, vt_do(test, &d, cdb, 16, NULL, 0, out, 64, &r),
			T_GOOD);
	KUNIT_EXPECT_EQ(test, r.data_in_len, 0u);
}

/* Over 2^32 blocks: READ CAPACITY(10) says 0xFFFFFFFF; a thin device's
 * GET LBA STATUS splits the hole into 2^32-1 block extents; WRITE SAME
 * and UNMAP limits. */
static void vdisk_sbc_big(struct kunit *test)
{
	uint64_t nb = (1ull << 32) + 100, lba[2];
	struct vt_dev d = vt_add(test, nb * 512, 512, true, NULL);
	uint8_t cdb[16], out[64], *blk = vt_buf(test, 512);
	uint32_t n[2];

	memset(cdb, 0, 10);
	cdb[0] = READ_CAPACITY;
	KUNIT_EXPECT_EQ(test, vt_do(test, &d, cdb, 10, NULL, 0, out, 8, NULL),
			T_GOOD);
	KUNIT_EXPECT_EQ(test, scst_get_be32(out), 0xffffffffu);
	vt_cdb16(cdb, SERVICE_ACTION_IN_16, SAI_READ_CAPACITY_16, 0, 32);
	KUNIT_EXPECT_EQ(test, vt_do(test, &d, cdb, 16, NULL, 0, out, 32, NULL),
			T_GOOD);
	KUNIT_EXPECT_EQ(test, scst_get_be64(out), nb - 1);

	memset(out, 0xee, sizeof(out));
	KUNIT_EXPECT_EQ(test, vt_gls(test, &d, 0, out, 64, NULL), T_GOOD);
	KUNIT_EXPECT_EQ(test, scst_get_be32(out), 4u + 2 * 16);
	KUNIT_EXPECT_EQ(test, scst_get_be64(out + 8), 0u);
	KUNIT_EXPECT_EQ(test, scst_get_be32(out + 16), 0xffffffffu);
	KUNIT_EXPECT_EQ(test, out[20], 1);
	KUNIT_EXPECT_EQ(test, scst_get_be64(out + 24), 0xffffffffull);
	KUNIT_EXPECT_EQ(test, scst_get_be32(out + 32), 101u);
	KUNIT_EXPECT_EQ(test, out[36], 1);

	/* WRITE SAME longer than MAXIMUM WRITE SAME LENGTH. */
	vt_cdb16(cdb, WRITE_SAME_16, 0x08, 0, VDISK_MAX_WRITE_SAME_LEN + 1);
	KUNIT_EXPECT_EQ(test, vt_do(test, &d, cdb, 16, blk, 512, NULL, 0, NULL),
			VT_BADCDB);
	/* UNMAP over MAXIMUM UNMAP LBA COUNT (overlapping descriptors). */
	lba[0] = lba[1] = 0;
	n[0] = n[1] = VDISK_MAX_UNMAP_LBA_COUNT / 2 + 1;
	KUNIT_EXPECT_EQ(test, vt_unmap(test, &d, lba, n, 2), VT_BADPARM);
	n[1] = VDISK_MAX_UNMAP_LBA_COUNT / 2 - 1;
	KUNIT_EXPECT_EQ(test, vt_unmap(test, &d, lba, n, 2), T_GOOD);
	/* Beyond 2^32 blocks with WRITE(16). */
	vt_fill(test, &d, nb - 1, 1, 'z');
	KUNIT_EXPECT_TRUE(test, vt_all(test, &d, nb - 1, 1, 'z'));
	KUNIT_EXPECT_EQ(test, vt_status_at(test, &d, nb - 1, NULL), 0);
}

/* ------------------------------------------------------ WRITE SAME ---- */

static void vdisk_sbc_write_same(struct kunit *test)
{
	struct vt_dev d = vt_std(test, NULL);
	uint32_t bs = d.bs, gran = 4096 / bs ? 4096 / bs : 1, len;
	uint8_t cdb[16], *blk = vt_buf(test, bs);
	uint8_t *q = vt_buf(test, 64 * (size_t)bs);
	unsigned int i;

	/* The block written N times, with WRITE SAME(10) and (16). */
	for (i = 0; i < bs; i++)
		blk[i] = (uint8_t)(i ^ 0x5c);
	vt_cdb10(cdb, WRITE_SAME, 0, 10, 37);
	KUNIT_EXPECT_EQ(test, vt_do(test, &d, cdb, 10, blk, bs, NULL, 0, NULL),
			T_GOOD);
	KUNIT_EXPECT_EQ(test, vt_read(test, &d, 10, 37, q), T_GOOD);
	for (i = 0; i < 37; i++)
		KUNIT_EXPECT_EQ_MSG(test, memcmp(q + i * bs, blk, bs), 0,
				    "block %u", i);
	memset(blk, 'w', bs);
	vt_cdb16(cdb, WRITE_SAME_16, 0, d.nb - 5, 5);
	KUNIT_EXPECT_EQ(test, vt_do(test, &d, cdb, 16, blk, bs, NULL, 0, NULL),
			T_GOOD);
	KUNIT_EXPECT_TRUE(test, vt_all(test, &d, d.nb - 5, 5, 'w'));
	/* Longer than one internal chunk. */
	vt_cdb16(cdb, WRITE_SAME_16, 0, 0, VT_BLOCKS);
	KUNIT_EXPECT_EQ(test, vt_do(test, &d, cdb, 16, blk, bs, NULL, 0, NULL),
			T_GOOD);
	KUNIT_EXPECT_TRUE(test, vt_all(test, &d, 0, 64, 'w'));
	KUNIT_EXPECT_TRUE(test, vt_all(test, &d, VT_BLOCKS - 64, 64, 'w'));

	/* Errors: range, WSNZ, ANCHOR, PBDATA/LBDATA, WRPROTECT. */
	vt_cdb16(cdb, WRITE_SAME_16, 0, d.nb - 4, 5);
	KUNIT_EXPECT_EQ(test, vt_do(test, &d, cdb, 16, blk, bs, NULL, 0, NULL),
			VT_OOB);
	vt_cdb10(cdb, WRITE_SAME, 0, (uint32_t)d.nb + 1, 0);
	KUNIT_EXPECT_EQ(test, vt_do(test, &d, cdb, 10, blk, bs, NULL, 0, NULL),
			VT_OOB);
	vt_cdb10(cdb, WRITE_SAME, 0, 0, 0);
	KUNIT_EXPECT_EQ(test, vt_do(test, &d, cdb, 10, blk, bs, NULL, 0, NULL),
			VT_BADCDB);
	vt_cdb16(cdb, WRITE_SAME_16, 0x10, 0, 1);
	KUNIT_EXPECT_EQ(test, vt_do(test, &d, cdb, 16, blk, bs, NULL, 0, NULL),
			VT_BADCDB);
	vt_cdb16(cdb, WRITE_SAME_16, 0x18, 0, 1);
	KUNIT_EXPECT_EQ(test, vt_do(test, &d, cdb, 16, blk, bs, NULL, 0, NULL),
			VT_BADCDB);
	vt_cdb16(cdb, WRITE_SAME_16, 0x04, 0, 1);
	KUNIT_EXPECT_EQ(test, vt_do(test, &d, cdb, 16, blk, bs, NULL, 0, NULL),
			VT_BADCDB);
	vt_cdb10(cdb, WRITE_SAME, 0x02, 0, 1);
	KUNIT_EXPECT_EQ(test, vt_do(test, &d, cdb, 10, blk, bs, NULL, 0, NULL),
			VT_BADCDB);
	vt_cdb10(cdb, WRITE_SAME, 0x20, 0, 1);
	KUNIT_EXPECT_EQ(test, vt_do(test, &d, cdb, 10, blk, bs, NULL, 0, NULL),
			VT_BADCDB);
	KUNIT_EXPECT_TRUE(test, vt_all(test, &d, 0, 1, 'w'));

	if (!d.thin) {
		/* Without provisioning (LBPWS=0) the UNMAP bit is refused. */
		vt_cdb16(cdb, WRITE_SAME_16, 0x08, 0, 2 * gran);
		KUNIT_EXPECT_EQ(
		    test, vt_do(test, &d, cdb, 16, blk, bs, NULL, 0, NULL),
		    VT_BADCDB);
		vt_cdb10(cdb, WRITE_SAME, 0x08, 8 * gran, (uint16_t)gran);
		KUNIT_EXPECT_EQ(
		    test, vt_do(test, &d, cdb, 10, blk, bs, NULL, 0, NULL),
		    VT_BADCDB);
		KUNIT_EXPECT_TRUE(test, vt_all(test, &d, 0, 1, 'w'));
		return;
	}

	/* UNMAP=1 with a non-zero block writes it. */
	memset(blk, 'u', bs);
	vt_cdb16(cdb, WRITE_SAME_16, 0x08, 0, 2 * gran);
	KUNIT_EXPECT_EQ(test, vt_do(test, &d, cdb, 16, blk, bs, NULL, 0, NULL),
			T_GOOD);
	KUNIT_EXPECT_TRUE(test, vt_all(test, &d, 0, 2 * gran, 'u'));
	KUNIT_EXPECT_EQ(test, vt_status_at(test, &d, 0, NULL), 0);

	/* UNMAP=1 with zeros: holes on a thin device, zeros either way. */
	memset(blk, 0, bs);
	vt_cdb16(cdb, WRITE_SAME_16, 0x08, gran, 4 * gran);
	KUNIT_EXPECT_EQ(test, vt_do(test, &d, cdb, 16, blk, bs, NULL, 0, NULL),
			T_GOOD);
	KUNIT_EXPECT_TRUE(test, vt_all(test, &d, gran, 4 * gran, 0));
	KUNIT_EXPECT_TRUE(test, vt_all(test, &d, 0, gran, 'u'));
	KUNIT_EXPECT_TRUE(test, vt_all(test, &d, 5 * gran, 1, 'w'));
	KUNIT_EXPECT_EQ(test, vt_status_at(test, &d, gran, &len),
			d.thin ? 1 : 0);
	if (d.thin)
		KUNIT_EXPECT_EQ(test, len, 4 * gran);
	/* WRITE SAME(10) with UNMAP, then UNMAP=0 with zeros maps again. */
	vt_cdb10(cdb, WRITE_SAME, 0x08, 8 * gran, (uint16_t)gran);
	KUNIT_EXPECT_EQ(test, vt_do(test, &d, cdb, 10, blk, bs, NULL, 0, NULL),
			T_GOOD);
	KUNIT_EXPECT_EQ(test, vt_status_at(test, &d, 8 * gran, NULL),
			d.thin ? 1 : 0);
	vt_cdb10(cdb, WRITE_SAME, 0, 8 * gran, (uint16_t)gran);
	KUNIT_EXPECT_EQ(test, vt_do(test, &d, cdb, 10, blk, bs, NULL, 0, NULL),
			T_GOOD);
	KUNIT_EXPECT_EQ(test, vt_status_at(test, &d, 8 * gran, NULL), 0);
	KUNIT_EXPECT_TRUE(test, vt_all(test, &d, 8 * gran, gran, 0));
}

/* ----------------------------------------------------------- UNMAP ---- */

static void vdisk_sbc_unmap(struct kunit *test)
{
	struct vt_dev d = vt_std(test, NULL);
	uint32_t bs = d.bs, gran = 4096 / bs ? 4096 / bs : 1, n[3], len;
	uint64_t lba[3];
	uint8_t pl[64];
	uint8_t *big;

	if (!d.thin) {
		/* LBPU=0: UNMAP is not a supported command. */
		lba[0] = 0;
		n[0] = 1;
		KUNIT_EXPECT_EQ(test, vt_unmap(test, &d, lba, n, 1), VT_BADOP);
		return;
	}
	vt_fill(test, &d, 0, 64 * gran, 'a');
	KUNIT_EXPECT_EQ(test, vt_status_at(test, &d, 0, &len), 0);
	KUNIT_EXPECT_EQ(test, len, 64 * gran);

	/* Two descriptors, and one of zero blocks. */
	lba[0] = 2 * gran;
	n[0] = 2 * gran;
	lba[1] = 10 * gran;
	n[1] = gran;
	lba[2] = 3;
	n[2] = 0;
	KUNIT_EXPECT_EQ(test, vt_unmap(test, &d, lba, n, 3), T_GOOD);
	KUNIT_EXPECT_TRUE(test, vt_all(test, &d, 0, 2 * gran, 'a'));
	KUNIT_EXPECT_TRUE(test, vt_all(test, &d, 2 * gran, 2 * gran, 0));
	KUNIT_EXPECT_TRUE(test, vt_all(test, &d, 4 * gran, 6 * gran, 'a'));
	KUNIT_EXPECT_TRUE(test, vt_all(test, &d, 10 * gran, gran, 0));
	KUNIT_EXPECT_TRUE(test, vt_all(test, &d, 11 * gran, gran, 'a'));
	KUNIT_EXPECT_EQ(test, vt_status_at(test, &d, 0, &len), 0);
	KUNIT_EXPECT_EQ(test, len, 2 * gran);
	KUNIT_EXPECT_EQ(test, vt_status_at(test, &d, 2 * gran, &len), 1);
	KUNIT_EXPECT_EQ(test, len, 2 * gran);
	KUNIT_EXPECT_EQ(test, vt_status_at(test, &d, 10 * gran, &len), 1);
	KUNIT_EXPECT_EQ(test, len, gran);

	/* Zero blocks at the end of the LUN, no descriptors, no list. */
	lba[0] = d.nb;
	n[0] = 0;
	KUNIT_EXPECT_EQ(test, vt_unmap(test, &d, lba, n, 1), T_GOOD);
	KUNIT_EXPECT_EQ(test, vt_unmap(test, &d, lba, n, 0), T_GOOD);
	KUNIT_EXPECT_EQ(test, vt_unmap_raw(test, &d, pl, 0, 0), T_GOOD);

	/* Out of range: nothing of the command is unmapped. */
	lba[0] = 20 * gran;
	n[0] = gran;
	lba[1] = d.nb - 1;
	n[1] = 2;
	KUNIT_EXPECT_EQ(test, vt_unmap(test, &d, lba, n, 2), VT_OOB);
	KUNIT_EXPECT_TRUE(test, vt_all(test, &d, 20 * gran, gran, 'a'));
	lba[1] = ~0ull;
	n[1] = 1;
	KUNIT_EXPECT_EQ(test, vt_unmap(test, &d, lba, n, 2), VT_OOB);

	/* Header errors. */
	memset(pl, 0, sizeof(pl));
	KUNIT_EXPECT_EQ(test, vt_unmap_raw(test, &d, pl, 7, 0), VT_PLLEN);
	KUNIT_EXPECT_EQ(test, vt_unmap_raw(test, &d, pl, 1, 0), VT_PLLEN);
	/* Descriptor data beyond the UNMAP data. */
	scst_put_be16(pl, 6);
	scst_put_be16(pl + 2, 16);
	scst_put_be64(pl + 8, 20 * gran);
	scst_put_be32(pl + 16, gran);
	KUNIT_EXPECT_EQ(test, vt_unmap_raw(test, &d, pl, 24, 0), VT_BADPARM);
	/* ANCHOR is not supported. */
	scst_put_be16(pl, 22);
	KUNIT_EXPECT_EQ(test, vt_unmap_raw(test, &d, pl, 24, 1), VT_BADCDB);
	KUNIT_EXPECT_TRUE(test, vt_all(test, &d, 20 * gran, gran, 'a'));
	/* An incomplete last descriptor is ignored. */
	scst_put_be16(pl, 6 + 16 + 12);
	scst_put_be16(pl + 2, 16 + 12);
	scst_put_be64(pl + 24, 30 * gran);
	scst_put_be32(pl + 32, gran);
	KUNIT_EXPECT_EQ(test, vt_unmap_raw(test, &d, pl, 8 + 16 + 12, 0),
			T_GOOD);
	KUNIT_EXPECT_TRUE(test, vt_all(test, &d, 20 * gran, gran, 0));
	KUNIT_EXPECT_TRUE(test, vt_all(test, &d, 30 * gran, gran, 'a'));
	/* A list cut by the PARAMETER LIST LENGTH: complete ones count. */
	scst_put_be16(pl, 6 + 32);
	scst_put_be16(pl + 2, 32);
	scst_put_be64(pl + 8, 31 * gran);
	KUNIT_EXPECT_EQ(test, vt_unmap_raw(test, &d, pl, 8 + 16 + 4, 0),
			T_GOOD);
	KUNIT_EXPECT_TRUE(test, vt_all(test, &d, 31 * gran, gran, 0));
	KUNIT_EXPECT_TRUE(test, vt_all(test, &d, 30 * gran, gran, 'a'));

	/* More descriptors than MAXIMUM UNMAP BLOCK DESCRIPTOR COUNT. */
	len = 8 + 16 * (VDISK_MAX_UNMAP_DESC + 1);
	big = vt_buf(test, len);
	scst_put_be16(big, (uint16_t)(len - 2));
	scst_put_be16(big + 2, (uint16_t)(len - 8));
	KUNIT_EXPECT_EQ(test, vt_unmap_raw(test, &d, big, (uint16_t)len, 0),
			VT_BADPARM);
	scst_put_be16(big, (uint16_t)(len - 16 - 2));
	scst_put_be16(big + 2, (uint16_t)(len - 16 - 8));
	KUNIT_EXPECT_EQ(
	    test, vt_unmap_raw(test, &d, big, (uint16_t)(len - 16), 0), T_GOOD);
}

/* -------------------------------------------------- GET LBA STATUS ---- */

static void vdisk_sbc_get_lba_status(struct kunit *test)
{
	struct vt_dev d = vt_std(test, NULL);
	uint32_t g = 65536 / d.bs; /* 64 KiB, whole pages either way */
	struct scst_local_req r;
	uint8_t out[8 + 16 * 8];
	uint32_t len;

	/* Data at [0, 1g) and [3g, 4g) of a new (all holes) file. */
	vt_fill(test, &d, 0, g, 'x');
	vt_fill(test, &d, 3 * g, g, 'y');
	memset(out, 0xee, sizeof(out));
	KUNIT_EXPECT_EQ(test, vt_gls(test, &d, 0, out, sizeof(out), &r),
			T_GOOD);
	if (!d.thin) {
		/* Full provisioning: one mapped extent to the end. */
		KUNIT_EXPECT_EQ(test, scst_get_be32(out), 20u);
		KUNIT_EXPECT_EQ(test, r.data_in_len, 24u);
		KUNIT_EXPECT_EQ(test, scst_get_be64(out + 8), 0u);
		KUNIT_EXPECT_EQ(test, scst_get_be32(out + 16), VT_BLOCKS);
		KUNIT_EXPECT_EQ(test, out[20], 0);
	} else {
		KUNIT_EXPECT_EQ(test, scst_get_be32(out), 4u + 4 * 16);
		KUNIT_EXPECT_EQ(test, r.data_in_len, 8u + 4 * 16);
		KUNIT_EXPECT_EQ(test, scst_get_be64(out + 8), 0u);
		KUNIT_EXPECT_EQ(test, scst_get_be32(out + 16), g);
		KUNIT_EXPECT_EQ(test, out[20], 0);
		KUNIT_EXPECT_EQ(test, scst_get_be64(out + 24), g);
		KUNIT_EXPECT_EQ(test, scst_get_be32(out + 32), 2 * g);
		KUNIT_EXPECT_EQ(test, out[36], 1);
		KUNIT_EXPECT_EQ(test, scst_get_be64(out + 40), 3 * g);
		KUNIT_EXPECT_EQ(test, scst_get_be32(out + 48), g);
		KUNIT_EXPECT_EQ(test, out[52], 0);
		KUNIT_EXPECT_EQ(test, scst_get_be64(out + 56), 4 * g);
		KUNIT_EXPECT_EQ(test, scst_get_be32(out + 64),
				VT_BLOCKS - 4 * g);
		KUNIT_EXPECT_EQ(test, out[68], 1);
		/* From the middle of an extent. */
		KUNIT_EXPECT_EQ(test, vt_status_at(test, &d, g + 5, &len), 1);
		KUNIT_EXPECT_EQ(test, len, 2 * g - 5);
		KUNIT_EXPECT_EQ(test, vt_status_at(test, &d, 4 * g - 1, &len),
				0);
		KUNIT_EXPECT_EQ(test, len, 1u);
		/* Room for two descriptors: two, with their length. */
		memset(out, 0xee, sizeof(out));
		KUNIT_EXPECT_EQ(test, vt_gls(test, &d, 0, out, 40, &r), T_GOOD);
		KUNIT_EXPECT_EQ(test, scst_get_be32(out), 4u + 2 * 16);
		KUNIT_EXPECT_EQ(test, r.data_in_len, 40u);
	}
	/* Reads of holes are zeros. */
	KUNIT_EXPECT_TRUE(test, vt_all(test, &d, g, 2 * g, 0));
	KUNIT_EXPECT_TRUE(test, vt_all(test, &d, 3 * g, g, 'y'));
	/* The last block is fine, one past it is out of range. */
	KUNIT_EXPECT_EQ(test, vt_status_at(test, &d, d.nb - 1, &len),
			d.thin ? 1 : 0);
	KUNIT_EXPECT_EQ(test, len, 1u);
	KUNIT_EXPECT_EQ(test, vt_gls(test, &d, d.nb, out, 24, NULL), VT_OOB);
	KUNIT_EXPECT_EQ(test, vt_gls(test, &d, ~0ull, out, 24, NULL), VT_OOB);
	/* An allocation length below one descriptor truncates. */
	memset(out, 0xee, sizeof(out));
	KUNIT_EXPECT_EQ(test, vt_gls(test, &d, 0, out, 12, &r), T_GOOD);
	KUNIT_EXPECT_EQ(test, r.data_in_len, 12u);
	KUNIT_EXPECT_EQ(test, scst_get_be32(out), 20u);
}

/* ----------------------------------------------- COMPARE AND WRITE ---- */

static uint32_t vt_caw(struct kunit *test, struct vt_dev *d, uint64_t lba,
		       uint8_t n, const uint8_t *data, struct scst_local_req *r)
{
	uint8_t cdb[16];

	vt_cdb16(cdb, COMPARE_AND_WRITE, 0, lba, 0);
	cdb[13] = n;
	return vt_do(test, d, cdb, 16, n ? data : NULL, 2u * n * d->bs, NULL, 0,
		     r);
}

static void vdisk_sbc_compare_and_write(struct kunit *test)
{
	struct vt_dev d = vt_std(test, NULL);
	uint32_t bs = d.bs, i;
	uint8_t *p = vt_buf(test, 2 * 4 * (size_t)bs);
	struct scst_local_req r;
	uint64_t info;
	static const uint32_t offs[] = {0, 1, 27, 511};

	/* Success: the second half replaces the blocks. */
	vt_fill(test, &d, 100, 4, 'A');
	memset(p, 'A', 4 * (size_t)bs);
	memset(p + 4 * bs, 'B', 4 * (size_t)bs);
	KUNIT_EXPECT_EQ(test, vt_caw(test, &d, 100, 4, p, NULL), T_GOOD);
	KUNIT_EXPECT_TRUE(test, vt_all(test, &d, 100, 4, 'B'));

	/* Miscompares: the INFORMATION field is the first differing byte. */
	for (i = 0; i < sizeof(offs) / sizeof(offs[0]); i++) {
		uint32_t off = offs[i] + (i & 1) * 3 * bs, first;

		memset(p, 'B', 4 * (size_t)bs);
		p[off] = 'C';
		p[4 * bs - 27] = 'C';
		first = off < 4 * bs - 27 ? off : 4 * bs - 27;
		memset(p + 4 * bs, 'D', 4 * (size_t)bs);
		KUNIT_EXPECT_EQ(test, vt_caw(test, &d, 100, 4, p, &r),
				VT_MISCMP);
		KUNIT_EXPECT_TRUE(test, vt_info(&r, &info));
		KUNIT_EXPECT_EQ(test, info, (uint64_t)first);
		KUNIT_EXPECT_TRUE(test, vt_all(test, &d, 100, 4, 'B'));
	}
	/* The last block of the LUN, zero blocks, out of range. */
	vt_fill(test, &d, d.nb - 1, 1, 'E');
	memset(p, 'E', bs);
	memset(p + bs, 'F', bs);
	KUNIT_EXPECT_EQ(test, vt_caw(test, &d, d.nb - 1, 1, p, NULL), T_GOOD);
	KUNIT_EXPECT_TRUE(test, vt_all(test, &d, d.nb - 1, 1, 'F'));
	KUNIT_EXPECT_EQ(test, vt_caw(test, &d, 0, 0, p, NULL), T_GOOD);
	KUNIT_EXPECT_EQ(test, vt_caw(test, &d, d.nb - 1, 2, p, NULL), VT_OOB);
	KUNIT_EXPECT_EQ(test, vt_caw(test, &d, d.nb, 1, p, NULL), VT_OOB);
}

/* An asynchronous request that counts its completions. */
struct vt_areq {
	struct scst_local_req r;
	int done;
};

static void vt_areq_done(struct scst_local_req *r)
{
	struct vt_areq *a = r->priv;

	__atomic_add_fetch(&a->done, 1, __ATOMIC_SEQ_CST);
}

static void vt_areq_submit(struct kunit *test, struct scst_local_sess *s,
			   struct vt_areq *a, uint64_t lun, const uint8_t *cdb,
			   const void *out, uint32_t len)
{
	memset(a, 0, sizeof(*a));
	a->r.lun = lun;
	memcpy(a->r.cdb, cdb, 16);
	a->r.cdb_len = 16;
	a->r.exp_set = true;
	a->r.exp_dir = SCST_DATA_WRITE;
	a->r.exp_len = len;
	a->r.data_out = out;
	a->r.data_out_len = len;
	a->r.done = vt_areq_done;
	a->r.priv = a;
	KUNIT_ASSERT_EQ(test, scst_local_submit(s, &a->r), 0);
}

/*
 * COMPARE AND WRITE (X -> B) against WRITE (A) of the same blocks from
 * another session: in either order the blocks end up all A. Anything else
 * (B, or a mix) means the compare and the write were not atomic.
 */
static void vdisk_sbc_caw_race(struct kunit *test)
{
	const uint32_t nblk = 4;
	struct vt_dev d = vt_std(test, NULL);
	struct scst_local_sess *s2 = vt_sess2(test, &d);
	size_t len = (size_t)nblk * d.bs;
	uint8_t *caw = vt_buf(test, 2 * len), *wr = vt_buf(test, len);
	uint8_t *rd = vt_buf(test, len), cdb1[16], cdb2[16];
	struct vt_areq *a = (void *)vt_buf(test, sizeof(*a));
	struct vt_areq *b = (void *)vt_buf(test, sizeof(*b));
	unsigned int it, good = 0, miscmp = 0;
	size_t k;

	memset(caw, 'X', len);
	memset(caw + len, 'B', len);
	memset(wr, 'A', len);
	vt_cdb16(cdb1, COMPARE_AND_WRITE, 0, 40, 0);
	cdb1[13] = (uint8_t)nblk;
	vt_cdb16(cdb2, WRITE_16, 0, 40, nblk);
	for (it = 0; it < 200; it++) {
		vt_fill(test, &d, 40, nblk, 'X');
		if (it & 1) {
			vt_areq_submit(test, s2, b, d.lun, cdb2, wr, len);
			vt_areq_submit(test, d.s, a, d.lun, cdb1, caw, 2 * len);
		} else {
			vt_areq_submit(test, d.s, a, d.lun, cdb1, caw, 2 * len);
			vt_areq_submit(test, s2, b, d.lun, cdb2, wr, len);
		}
		T_WAIT(test,
		       __atomic_load_n(&a->done, __ATOMIC_ACQUIRE) &&
			   __atomic_load_n(&b->done, __ATOMIC_ACQUIRE),
		       "both commands");
		KUNIT_EXPECT_EQ(test, t_result(&b->r), T_GOOD);
		if (t_result(&a->r) == T_GOOD)
			good++;
		else if (t_result(&a->r) == VT_MISCMP)
			miscmp++;
		else
			KUNIT_FAIL(test, "COMPARE AND WRITE: %08x",
				   t_result(&a->r));
		KUNIT_ASSERT_EQ(test, vt_read(test, &d, 40, nblk, rd), T_GOOD);
		for (k = 0; k < len && rd[k] == 'A'; k++)
			;
		KUNIT_ASSERT_EQ_MSG(test, k, len,
				    "iteration %u: byte %zu is '%c' (CAW %s)",
				    it, k, k < len ? rd[k] : '-',
				    t_result(&a->r) ? "miscompared" : "good");
	}
	KUNIT_EXPECT_EQ(test, good + miscmp, 200u);
}

/* ---------------------------------------- VERIFY, WRITE AND VERIFY ---- */

static void vdisk_sbc_verify(struct kunit *test)
{
	struct vt_dev d = vt_std(test, NULL);
	uint32_t bs = d.bs, i;
	uint8_t cdb[16], *p = vt_buf(test, 8 * (size_t)bs);
	struct scst_local_req r;
	uint64_t info;

	for (i = 0; i < 8 * bs; i++)
		p[i] = (uint8_t)(i * 13 + 1);
	KUNIT_ASSERT_EQ(test, vt_write(test, &d, 200, 8, p), T_GOOD);

	/* BYTCHK 0: the range is readable; no data. */
	vt_cdb10(cdb, VERIFY, 0, 200, 8);
	KUNIT_EXPECT_EQ(test, vt_do(test, &d, cdb, 10, NULL, 0, NULL, 0, NULL),
			T_GOOD);
	vt_cdb16(cdb, VERIFY_16, 0, 0, VT_BLOCKS);
	KUNIT_EXPECT_EQ(test, vt_do(test, &d, cdb, 16, NULL, 0, NULL, 0, NULL),
			T_GOOD);
	vt_cdb16(cdb, VERIFY_16, 0, 1, VT_BLOCKS);
	KUNIT_EXPECT_EQ(test, vt_do(test, &d, cdb, 16, NULL, 0, NULL, 0, NULL),
			VT_OOB);
	vt_cdb12(cdb, VERIFY_12, 0, (uint32_t)d.nb, 0);
	KUNIT_EXPECT_EQ(test, vt_do(test, &d, cdb, 12, NULL, 0, NULL, 0, NULL),
			T_GOOD);

	/* BYTCHK 1: compare the blocks with the data sent. */
	vt_cdb10(cdb, VERIFY, 0x02, 200, 8);
	KUNIT_EXPECT_EQ(
	    test, vt_do(test, &d, cdb, 10, p, 8 * bs, NULL, 0, NULL), T_GOOD);
	p[5 * bs + 17] ^= 0x40;
	vt_cdb12(cdb, VERIFY_12, 0x02, 200, 8);
	KUNIT_EXPECT_EQ(test, vt_do(test, &d, cdb, 12, p, 8 * bs, NULL, 0, &r),
			VT_MISCMP);
	KUNIT_EXPECT_TRUE(test, vt_info(&r, &info));
	KUNIT_EXPECT_EQ(test, info, 5ull * bs + 17);
	p[5 * bs + 17] ^= 0x40;
	vt_cdb16(cdb, VERIFY_16, 0x02, d.nb - 2, 8);
	KUNIT_EXPECT_EQ(
	    test, vt_do(test, &d, cdb, 16, p, 8 * bs, NULL, 0, NULL), VT_OOB);
	vt_cdb10(cdb, VERIFY, 0x20, 200, 8);
	KUNIT_EXPECT_EQ(test, vt_do(test, &d, cdb, 10, NULL, 0, NULL, 0, NULL),
			VT_BADCDB);

	/* BYTCHK 3: every block against the one block sent. */
	vt_fill(test, &d, 300, 6, 'v');
	memset(p, 'v', bs);
	vt_cdb16(cdb, VERIFY_16, 0x06, 300, 6);
	KUNIT_EXPECT_EQ(test, vt_do(test, &d, cdb, 16, p, bs, NULL, 0, NULL),
			T_GOOD);
	vt_fill(test, &d, 302, 1, 'v' ^ 1);
	KUNIT_EXPECT_EQ(test, vt_do(test, &d, cdb, 16, p, bs, NULL, 0, &r),
			VT_MISCMP);
	KUNIT_EXPECT_TRUE(test, vt_info(&r, &info));
	KUNIT_EXPECT_EQ(test, info, 2ull * bs);

	/* WRITE AND VERIFY: written, then compared (BYTCHK 1) or read. */
	memset(p, 'q', 8 * (size_t)bs);
	vt_cdb10(cdb, WRITE_VERIFY, 0x02, 400, 8);
	KUNIT_EXPECT_EQ(
	    test, vt_do(test, &d, cdb, 10, p, 8 * bs, NULL, 0, NULL), T_GOOD);
	KUNIT_EXPECT_TRUE(test, vt_all(test, &d, 400, 8, 'q'));
	memset(p, 'r', 8 * (size_t)bs);
	vt_cdb16(cdb, WRITE_VERIFY_16, 0, 400, 8);
	KUNIT_EXPECT_EQ(
	    test, vt_do(test, &d, cdb, 16, p, 8 * bs, NULL, 0, NULL), T_GOOD);
	KUNIT_EXPECT_TRUE(test, vt_all(test, &d, 400, 8, 'r'));
	vt_cdb12(cdb, WRITE_VERIFY_12, 0x06, 400, 8);
	KUNIT_EXPECT_EQ(test,
			vt_do(test, &d, cdb, 12, p, 8 * bs, NULL, 0, NULL),
			VT_BADCDB);
	vt_cdb12(cdb, WRITE_VERIFY_12, 0, (uint32_t)d.nb - 1, 2);
	KUNIT_EXPECT_EQ(
	    test, vt_do(test, &d, cdb, 12, p, 2 * bs, NULL, 0, NULL), VT_OOB);
}

/* ------------------------------- PRE-FETCH, SYNC CACHE, FORMAT UNIT ---- */

static void vt_sync_checks(struct kunit *test, struct vt_dev *d, bool nv)
{
	uint8_t cdb[16];

	vt_cdb10(cdb, SYNCHRONIZE_CACHE, 0, 0, 0);
	KUNIT_EXPECT_EQ(test, vt_do(test, d, cdb, 10, NULL, 0, NULL, 0, NULL),
			T_GOOD);
	vt_cdb16(cdb, SYNCHRONIZE_CACHE_16, 0x02, d->nb - 8, 8);
	KUNIT_EXPECT_EQ(test, vt_do(test, d, cdb, 16, NULL, 0, NULL, 0, NULL),
			T_GOOD);
	vt_cdb16(cdb, SYNCHRONIZE_CACHE_16, 0, d->nb - 8, 9);
	KUNIT_EXPECT_EQ(test, vt_do(test, d, cdb, 16, NULL, 0, NULL, 0, NULL),
			VT_OOB);
	vt_cdb10(cdb, SYNCHRONIZE_CACHE, 0, (uint32_t)d->nb + 1, 0);
	KUNIT_EXPECT_EQ(test, vt_do(test, d, cdb, 10, NULL, 0, NULL, 0, NULL),
			VT_OOB);
	/* A failing flush fails the command, unless there is none. */
	KUNIT_ASSERT_EQ(test, vdisk_set_fault(d->dev, VDISK_IO_FLUSH, -EIO, 1),
			0);
	vt_cdb10(cdb, SYNCHRONIZE_CACHE, 0, 0, 0);
	KUNIT_EXPECT_EQ(test, vt_do(test, d, cdb, 10, NULL, 0, NULL, 0, NULL),
			nv ? T_GOOD : VT_WR_ERR);
	KUNIT_ASSERT_EQ(test, vdisk_set_fault(d->dev, VDISK_IO_FLUSH, -EIO, 0),
			0);
}

static void vdisk_sbc_sync_cache(struct kunit *test)
{
	struct vt_dev d = vt_std(test, NULL);
	struct vt_dev nv = vt_std(test, "nv_cache=1");

	vt_sync_checks(test, &d, false);
	vt_sync_checks(test, &nv, true);
}

static void vdisk_sbc_prefetch_format(struct kunit *test)
{
	struct vt_dev d = vt_std(test, NULL);
	uint8_t cdb[16], hdr[8];

	vt_cdb10(cdb, PRE_FETCH, 0, 0, 16);
	KUNIT_EXPECT_EQ(test, vt_do(test, &d, cdb, 10, NULL, 0, NULL, 0, NULL),
			VT_COND_MET);
	vt_cdb16(cdb, PRE_FETCH_16, 0x02, d.nb - 1, 0);
	KUNIT_EXPECT_EQ(test, vt_do(test, &d, cdb, 16, NULL, 0, NULL, 0, NULL),
			VT_COND_MET);
	vt_cdb16(cdb, PRE_FETCH_16, 0, d.nb - 1, 2);
	KUNIT_EXPECT_EQ(test, vt_do(test, &d, cdb, 16, NULL, 0, NULL, 0, NULL),
			VT_OOB);

	/* FORMAT UNIT: no list, a short header; nothing else to do. */
	memset(cdb, 0, 6);
	cdb[0] = FORMAT_UNIT;
	KUNIT_EXPECT_EQ(test, vt_do(test, &d, cdb, 6, NULL, 0, NULL, 0, NULL),
			T_GOOD);
	memset(hdr, 0, sizeof(hdr));
	cdb[1] = 0x10;
	KUNIT_EXPECT_EQ(test, vt_do(test, &d, cdb, 6, hdr, 4, NULL, 0, NULL),
			T_GOOD);
	cdb[1] = 0x30; /* LONGLIST with a short list */
	KUNIT_EXPECT_EQ(test, vt_do(test, &d, cdb, 6, hdr, 4, NULL, 0, NULL),
			VT_PLLEN);
	KUNIT_EXPECT_EQ(test, vt_do(test, &d, cdb, 6, hdr, 8, NULL, 0, NULL),
			T_GOOD);
	cdb[1] = 0x10;
	hdr[1] = 0x08; /* IP */
	KUNIT_EXPECT_EQ(test, vt_do(test, &d, cdb, 6, hdr, 4, NULL, 0, NULL),
			VT_BADPARM);
	cdb[1] = 0x40; /* FMTPINFO */
	KUNIT_EXPECT_EQ(test, vt_do(test, &d, cdb, 6, NULL, 0, NULL, 0, NULL),
			VT_BADCDB);
}

static struct kunit_case vdisk_sbc_cases[] = {
    KUNIT_CASE_PARAM(vdisk_sbc_rw, vt_cfg_gen_params),
    KUNIT_CASE_PARAM(vdisk_sbc_io_errors, vt_cfg_gen_params),
    KUNIT_CASE_PARAM(vdisk_sbc_read_capacity, vt_cfg_gen_params),
    KUNIT_CASE(vdisk_sbc_big),
    KUNIT_CASE_PARAM(vdisk_sbc_write_same, vt_cfg_gen_params),
    KUNIT_CASE_PARAM(vdisk_sbc_unmap, vt_cfg_gen_params),
    KUNIT_CASE_PARAM(vdisk_sbc_get_lba_status, vt_cfg_gen_params),
    KUNIT_CASE_PARAM(vdisk_sbc_compare_and_write, vt_cfg_gen_params),
    KUNIT_CASE_PARAM(vdisk_sbc_caw_race, vt_cfg_gen_params),
    KUNIT_CASE_PARAM(vdisk_sbc_verify, vt_cfg_gen_params),
    KUNIT_CASE_PARAM(vdisk_sbc_sync_cache, vt_cfg_gen_params),
    KUNIT_CASE_PARAM(vdisk_sbc_prefetch_format, vt_cfg_gen_params),
    {}};

static struct kunit_suite vdisk_sbc_suite = {
    .name = "vdisk_sbc",
    .init = vt_init,
    .exit = vt_exit,
    .test_cases = vdisk_sbc_cases,
};

kunit_test_suite(vdisk_sbc_suite);
