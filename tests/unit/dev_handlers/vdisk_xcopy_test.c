// SPDX-License-Identifier: GPL-2.0-only
/*
 * EXTENDED COPY (LID1) and RECEIVE COPY RESULTS of the vdisk disks
 * (dev_handlers/vdisk/vdisk_xcopy.c) through scst_local: copies between
 * LUNs of the session with the data checked, copies naming a device the
 * session cannot reach (another target, another initiator group) refused
 * before any I/O, descriptor errors, and the copy results.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include <kunit/test.h>

#include "dev_handlers/vdisk/vdisk_module.h"
#include "dev_handlers/vdisk/vdisk_xcopy.h"
#include "scst/byteorder.h"
#include "tests/unit/scst/src/scst_test_env.h"

#define X_NDEV	 4
#define X_BLOCKS 8192u /* of 512 bytes: 4 MiB */

static const struct scst_module *const x_mods[] = {&vdisk_module};

/* Devices: d0 (LUN 0) and d1 (LUN 1) of tgt0's default group; d2 only on
 * tgt1; d3 only in tgt0's group "others" (initiator "other"). */
struct xenv {
	struct scst_tgt *tgt1;
	struct scst_local_sess *s1;
	char files[X_NDEV][64];
};

static struct xenv *x_env;

static uint8_t x_pattern(uint64_t off)
{
	return (uint8_t)(off * 13 + off / 512 + 1);
}

static int x_write(const char *path, const char *val)
{
	struct scst_mgmt_res res;

	return scst_tree_write(path, val, strlen(val), &res);
}

static int x_make_file(const char *path, bool pattern)
{
	static uint8_t blk[512];
	unsigned int b, i;
	int fd = open(path, O_CREAT | O_TRUNC | O_WRONLY, 0600);

	if (fd < 0)
		return -errno;
	for (b = 0; b < X_BLOCKS; b++) {
		for (i = 0; i < sizeof(blk); i++)
			blk[i] = pattern ? x_pattern((uint64_t)b * 512 + i) : 0;
		if (write(fd, blk, sizeof(blk)) != (ssize_t)sizeof(blk)) {
			close(fd);
			return -EIO;
		}
	}
	close(fd);
	return 0;
}

static void x_free_devs(void)
{
	char cmd[64];
	unsigned int i;

	for (i = 0; i < X_NDEV; i++) {
		struct scst_device *dev;

		scst_snprintf(cmd, sizeof(cmd), "d%u", i);
		dev = scst_find_device(cmd);
		if (!dev)
			continue;
		/* Idempotent: vdisk_main.c calls it too once it does. */
		vdisk_xcopy_dev_free(scst_dev_get_dh_priv(dev));
		scst_snprintf(cmd, sizeof(cmd), "del_device d%u", i);
		x_write("/handlers/vdisk_fileio/mgmt", cmd);
	}
}

static int vdisk_xcopy_init(struct kunit *test)
{
	struct scst_acg *acg, *others;
	char cmd[128];
	unsigned int i;
	int rc = tenv_up(test, 0, 0, 0);

	if (rc)
		return rc;
	x_env = kunit_kzalloc(test, sizeof(*x_env), GFP_KERNEL);
	rc = scst_modules_init(x_mods, 1);
	if (rc)
		goto fail;
	for (i = 0; i < X_NDEV; i++) {
		scst_snprintf(x_env->files[i], sizeof(x_env->files[i]),
			      "/dev/shm/vdisk_xcopy_d%u.img", i);
		rc = x_make_file(x_env->files[i], i == 0);
		if (rc)
			goto fail_devs;
		scst_snprintf(cmd, sizeof(cmd), "add_device d%u filename=%s", i,
			      x_env->files[i]);
		rc = x_write("/handlers/vdisk_fileio/mgmt", cmd);
		if (rc)
			goto fail_devs;
	}
	acg = scst_tgt_default_acg(t_env(test)->tgt);
	rc = scst_acg_add_lun(acg, scst_find_device("d0"), 0, false);
	if (!rc)
		rc = scst_acg_add_lun(acg, scst_find_device("d1"), 1, false);
	if (!rc)
		rc = scst_acg_create(t_env(test)->tgt, "others", &others);
	if (!rc)
		rc = scst_acg_add_ini(others, "other");
	if (!rc)
		rc = scst_acg_add_lun(others, scst_find_device("d3"), 0, false);
	if (!rc)
		rc = scst_local_add_target("tgt1", &x_env->tgt1);
	if (!rc)
		rc = scst_acg_add_lun(scst_tgt_default_acg(x_env->tgt1),
				      scst_find_device("d2"), 0, false);
	if (rc)
		goto fail_devs;
	return 0;
fail_devs:
	if (x_env->tgt1)
		scst_local_del_target(x_env->tgt1);
	x_free_devs();
	scst_modules_exit(x_mods, 1);
fail:
	tenv_down(test);
	return rc;
}

static void vdisk_xcopy_exit(struct kunit *test)
{
	struct tenv *e = t_env(test);
	unsigned int i;

	for (i = 0; i < T_NSESS; i++)
		tenv_close(test, e, i);
	if (x_env->s1)
		scst_local_sess_close(x_env->s1);
	if (x_env->tgt1)
		scst_local_del_target(x_env->tgt1);
	x_free_devs();
	scst_modules_exit(x_mods, 1);
	tenv_down(test);
	for (i = 0; i < X_NDEV; i++)
		unlink(x_env->files[i]);
}

/* ---------------------------------------------------------- helpers ---- */

static uint32_t x_exec(struct kunit *test, struct scst_local_sess *s,
		       uint64_t lun, const uint8_t *cdb, unsigned int cdb_len,
		       const void *out, uint32_t out_len, void *in,
		       uint32_t in_size)
{
	struct scst_local_req r;

	memset(&r, 0, sizeof(r));
	r.lun = lun;
	memcpy(r.cdb, cdb, cdb_len);
	r.cdb_len = cdb_len;
	if (out_len) {
		r.data_out = out;
		r.data_out_len = out_len;
		r.exp_dir = SCST_DATA_WRITE;
		r.exp_len = out_len;
		r.exp_set = true;
	}
	r.data_in = in;
	r.data_in_size = in_size;
	KUNIT_EXPECT_EQ(test, scst_local_exec(s, &r), 0);
	KUNIT_EXPECT_FALSE(test, r.no_response);
	return t_result(&r);
}

/* The 32-byte identification target descriptor of @lun as seen by @s. */
static void x_tgt_desc(struct kunit *test, struct scst_local_sess *s,
		       uint64_t lun, uint8_t *d)
{
	const uint8_t inq[6] = {INQUIRY, 1, 0x83, 0x01, 0x00, 0};
	uint8_t vpd[256];
	unsigned int pos, end;

	KUNIT_ASSERT_EQ(test, x_exec(test, s, lun, inq, 6, NULL, 0, vpd, 256),
			T_GOOD);
	end = 4 + scst_get_be16(&vpd[2]);
	for (pos = 4; pos + 4 <= end; pos += 4 + vpd[pos + 3]) {
		unsigned int len = vpd[pos + 3];

		if (((vpd[pos + 1] >> 4) & 3) != 0 || len > 20)
			continue;
		memset(d, 0, 32);
		d[0] = 0xe4;
		d[4] = vpd[pos] & 0x0f;
		d[5] = vpd[pos + 1] & 0x3f;
		d[7] = (uint8_t)len;
		memcpy(&d[8], &vpd[pos + 4], len);
		scst_put_be24(&d[29], 512);
		return;
	}
	KUNIT_FAIL(test, "LUN %llu has no LU designator of <= 20 bytes",
		   (unsigned long long)lun);
}

static unsigned int x_seg(uint8_t *p, uint16_t src, uint16_t dst,
			  uint16_t blocks, uint64_t src_lba, uint64_t dst_lba)
{
	memset(p, 0, 28);
	p[0] = 0x02;
	scst_put_be16(&p[2], 24);
	scst_put_be16(&p[4], src);
	scst_put_be16(&p[6], dst);
	scst_put_be16(&p[10], blocks);
	scst_put_be64(&p[12], src_lba);
	scst_put_be64(&p[20], dst_lba);
	return 28;
}

/* The parameter list: header, @ntgt descriptors, then @seglen bytes. */
static uint32_t x_list(uint8_t *buf, uint8_t list_id, uint8_t byte1,
		       const uint8_t (*tgt)[32], unsigned int ntgt,
		       const uint8_t *segs, unsigned int seglen)
{
	unsigned int i;

	memset(buf, 0, 16);
	buf[0] = list_id;
	buf[1] = byte1;
	scst_put_be16(&buf[2], (uint16_t)(ntgt * 32));
	scst_put_be32(&buf[8], seglen);
	for (i = 0; i < ntgt; i++)
		memcpy(buf + 16 + i * 32, tgt[i], 32);
	memcpy(buf + 16 + ntgt * 32, segs, seglen);
	return 16 + ntgt * 32 + seglen;
}

static uint32_t x_xcopy(struct kunit *test, struct scst_local_sess *s,
			const uint8_t *list, uint32_t len)
{
	uint8_t cdb[16] = {EXTENDED_COPY};

	scst_put_be32(&cdb[10], len);
	return x_exec(test, s, 0, cdb, 16, list, len, NULL, 0);
}

static uint32_t x_rcr(struct kunit *test, struct scst_local_sess *s, uint8_t sa,
		      uint8_t list_id, uint8_t *buf, uint32_t size)
{
	uint8_t cdb[16] = {RECEIVE_COPY_RESULTS, sa, list_id};

	scst_put_be32(&cdb[10], size);
	memset(buf, 0xee, size);
	return x_exec(test, s, 0, cdb, 16, NULL, 0, buf, size);
}

/* Bytes of a device's file: are they the pattern (or zero) at @off? */
static bool x_file_is(const char *path, uint64_t off, uint64_t len,
		      uint64_t pat_off, bool zero)
{
	static uint8_t b[65536];
	uint64_t done = 0;
	int fd = open(path, O_RDONLY);
	bool ok = fd >= 0;

	while (ok && done < len) {
		size_t n = len - done > sizeof(b) ? sizeof(b) : len - done;
		size_t i;

		ok = pread(fd, b, n, (off_t)(off + done)) == (ssize_t)n;
		for (i = 0; ok && i < n; i++)
			ok = b[i] == (zero ? 0 : x_pattern(pat_off + done + i));
		done += n;
	}
	if (fd >= 0)
		close(fd);
	return ok;
}

/* ------------------------------------------------------------ tests ---- */

static void xcopy_between_luns(struct kunit *test)
{
	struct scst_local_sess *s = t_open_clear(test, "ini0", 2);
	static uint8_t list[512], segs[128], buf[64];
	uint8_t tgt[2][32];
	unsigned int n = 0;
	uint32_t len;

	x_tgt_desc(test, s, 0, tgt[0]);
	x_tgt_desc(test, s, 1, tgt[1]);
	/* 4000 blocks (more than one 1 MiB chunk), then 8, then none. */
	n += x_seg(segs + n, 0, 1, 4000, 10, 100);
	n += x_seg(segs + n, 0, 1, 8, 5000, 7000);
	n += x_seg(segs + n, 1, 0, 0, 0, 0);
	len = x_list(list, 5, 0, tgt, 2, segs, n);
	KUNIT_EXPECT_EQ(test, x_xcopy(test, s, list, len), T_GOOD);

	KUNIT_EXPECT_TRUE(test,
			  x_file_is(x_env->files[1], 0, 100 * 512, 0, true));
	KUNIT_EXPECT_TRUE(test, x_file_is(x_env->files[1], 100 * 512,
					  4000 * 512, 10 * 512, false));
	KUNIT_EXPECT_TRUE(
	    test, x_file_is(x_env->files[1], 4100 * 512, 2900 * 512, 0, true));
	KUNIT_EXPECT_TRUE(test, x_file_is(x_env->files[1], 7000 * 512, 8 * 512,
					  5000 * 512, false));
	/* The source is untouched. */
	KUNIT_EXPECT_TRUE(
	    test, x_file_is(x_env->files[0], 0, X_BLOCKS * 512ull, 0, false));

	/* COPY STATUS: completed, 3 segments, 4008 blocks in bytes. */
	KUNIT_EXPECT_EQ(test, x_rcr(test, s, 0, 5, buf, 12), T_GOOD);
	KUNIT_EXPECT_EQ(test, scst_get_be32(buf), 8);
	KUNIT_EXPECT_EQ(test, buf[4], 0x01);
	KUNIT_EXPECT_EQ(test, scst_get_be16(&buf[5]), 3);
	KUNIT_EXPECT_EQ(test, buf[7], 0);
	KUNIT_EXPECT_EQ(test, scst_get_be32(&buf[8]), 4008 * 512);

	/* LIST ID USAGE 11b: nothing held. */
	len = x_list(list, 0, 3 << 3, tgt, 2, segs, 28);
	KUNIT_EXPECT_EQ(test, x_xcopy(test, s, list, len), T_GOOD);
	KUNIT_EXPECT_EQ(test, x_rcr(test, s, 0, 0, buf, 12),
			T_CC(ILLEGAL_REQUEST, 0x24, 0));
	/* ... and its LIST IDENTIFIER must be zero. */
	len = x_list(list, 9, 3 << 3, tgt, 2, segs, 28);
	KUNIT_EXPECT_EQ(test, x_xcopy(test, s, list, len),
			T_CC(ILLEGAL_REQUEST, 0x26, 0));

	/* No parameter data: nothing to do. */
	KUNIT_EXPECT_EQ(test, x_xcopy(test, s, list, 0), T_GOOD);
}

static void xcopy_unreachable(struct kunit *test)
{
	struct scst_local_sess *s = t_open_clear(test, "ini0", 2);
	struct scst_local_sess *o = t_open_clear(test, "other", 1);
	const uint8_t rd[10] = {READ_10, 0, 0, 0, 0, 0, 0, 0, 1, 0};
	static uint8_t list[512], segs[64], buf[512];
	uint8_t tgt[2][32], far[32], grp[32];
	uint32_t len;

	KUNIT_ASSERT_EQ(
	    test, scst_local_sess_open(x_env->tgt1, "ini0", 0, &x_env->s1), 0);
	t_clear_ua(test, x_env->s1, 0);
	x_tgt_desc(test, s, 0, tgt[0]);
	x_tgt_desc(test, x_env->s1, 0, far); /* d2, on tgt1 */
	x_tgt_desc(test, o, 0, grp);	     /* d3, other group */

	/* Any read of d0 or write of d2/d3 would fail and show. */
	KUNIT_ASSERT_EQ(
	    test,
	    vdisk_set_fault(scst_find_device("d0"), VDISK_IO_READ, -EIO, 1), 0);

	memcpy(tgt[1], far, 32);
	x_seg(segs, 0, 1, 16, 0, 0);
	len = x_list(list, 1, 0, tgt, 2, segs, 28);
	KUNIT_EXPECT_EQ(test, x_xcopy(test, s, list, len),
			T_CC(COPY_ABORTED, 0x0d, 0x02));
	/* And the other way round: d2 as the source. */
	x_seg(segs, 1, 0, 16, 0, 0);
	len = x_list(list, 2, 0, tgt, 2, segs, 28);
	KUNIT_EXPECT_EQ(test, x_xcopy(test, s, list, len),
			T_CC(COPY_ABORTED, 0x0d, 0x02));

	memcpy(tgt[1], grp, 32);
	x_seg(segs, 0, 1, 16, 0, 0);
	len = x_list(list, 3, 0, tgt, 2, segs, 28);
	KUNIT_EXPECT_EQ(test, x_xcopy(test, s, list, len),
			T_CC(COPY_ABORTED, 0x0d, 0x02));

	/* Nothing was read: the fault is still armed. */
	KUNIT_EXPECT_EQ(test, x_exec(test, s, 0, rd, 10, NULL, 0, buf, 512),
			T_CC(MEDIUM_ERROR, 0x11, 0));
	/* Nothing was written. */
	KUNIT_EXPECT_TRUE(
	    test, x_file_is(x_env->files[2], 0, X_BLOCKS * 512ull, 0, true));
	KUNIT_EXPECT_TRUE(
	    test, x_file_is(x_env->files[3], 0, X_BLOCKS * 512ull, 0, true));
	/* The failed list is reported as such. */
	KUNIT_EXPECT_EQ(test, x_rcr(test, s, 0, 3, buf, 12), T_GOOD);
	KUNIT_EXPECT_EQ(test, buf[4], 0x02);
	KUNIT_EXPECT_EQ(test, scst_get_be32(&buf[8]), 0);
	/* The session on tgt1 sees no results of tgt0's nexus. */
	KUNIT_EXPECT_EQ(test, x_rcr(test, x_env->s1, 0, 3, buf, 12),
			T_CC(ILLEGAL_REQUEST, 0x24, 0));
}

static void xcopy_bad_descriptors(struct kunit *test)
{
	struct scst_local_sess *s = t_open_clear(test, "ini0", 2);
	static uint8_t list[4096], segs[3072], buf[64];
	static uint8_t many[VDISK_XCOPY_MAX_TGT_DESC + 1][32];
	uint8_t tgt[2][32], bad[2][32];
	unsigned int i, n;
	uint32_t len;

	x_tgt_desc(test, s, 0, tgt[0]);
	x_tgt_desc(test, s, 1, tgt[1]);
	x_seg(segs, 0, 1, 1, 0, 0);

	/* UNSUPPORTED TARGET DESCRIPTOR TYPE CODE */
	memcpy(bad, tgt, sizeof(bad));
	bad[1][0] = 0xe0;
	len = x_list(list, 1, 0, bad, 2, segs, 28);
	KUNIT_EXPECT_EQ(test, x_xcopy(test, s, list, len),
			T_CC(ILLEGAL_REQUEST, 0x26, 0x07));
	/* A DISK BLOCK LENGTH that is not the device's. */
	memcpy(bad, tgt, sizeof(bad));
	scst_put_be24(&bad[1][29], 4096);
	len = x_list(list, 1, 0, bad, 2, segs, 28);
	KUNIT_EXPECT_EQ(test, x_xcopy(test, s, list, len),
			T_CC(ILLEGAL_REQUEST, 0x26, 0x00));
	/* A designator nobody has. */
	memcpy(bad, tgt, sizeof(bad));
	bad[1][8] ^= 0x5a;
	len = x_list(list, 1, 0, bad, 2, segs, 28);
	KUNIT_EXPECT_EQ(test, x_xcopy(test, s, list, len),
			T_CC(COPY_ABORTED, 0x0d, 0x02));
	/* TOO MANY TARGET DESCRIPTORS */
	for (i = 0; i <= VDISK_XCOPY_MAX_TGT_DESC; i++)
		memcpy(many[i], tgt[0], 32);
	len = x_list(list, 1, 0, many, VDISK_XCOPY_MAX_TGT_DESC + 1, segs, 28);
	KUNIT_EXPECT_EQ(test, x_xcopy(test, s, list, len),
			T_CC(ILLEGAL_REQUEST, 0x26, 0x06));
	/* TOO MANY SEGMENT DESCRIPTORS */
	for (n = 0, i = 0; i <= VDISK_XCOPY_MAX_SEG_DESC; i++)
		n += x_seg(segs + n, 0, 1, 1, i, i);
	len = x_list(list, 1, 0, tgt, 2, segs, n);
	KUNIT_EXPECT_EQ(test, x_xcopy(test, s, list, len),
			T_CC(ILLEGAL_REQUEST, 0x26, 0x08));
	/* Descriptors longer than the maximum list: length error. */
	for (n = 0, i = 0; n + 28 <= VDISK_XCOPY_MAX_DESC_LIST_LEN; i++)
		n += x_seg(segs + n, 0, 1, 1, i, i);
	len = x_list(list, 1, 0, tgt, 2, segs, n);
	KUNIT_EXPECT_EQ(test, x_xcopy(test, s, list, len),
			T_CC(ILLEGAL_REQUEST, 0x1a, 0x00));
	/* UNSUPPORTED SEGMENT DESCRIPTOR TYPE CODE */
	x_seg(segs, 0, 1, 1, 0, 0);
	segs[0] = 0x01;
	len = x_list(list, 1, 0, tgt, 2, segs, 28);
	KUNIT_EXPECT_EQ(test, x_xcopy(test, s, list, len),
			T_CC(ILLEGAL_REQUEST, 0x26, 0x09));
	/* A target descriptor index past the list. */
	x_seg(segs, 0, 2, 1, 0, 0);
	len = x_list(list, 1, 0, tgt, 2, segs, 28);
	KUNIT_EXPECT_EQ(test, x_xcopy(test, s, list, len),
			T_CC(COPY_ABORTED, 0x0d, 0x02));
	/* Beyond the end of the destination, and of the source: COPY
	 * TARGET DEVICE NOT REACHABLE. */
	x_seg(segs, 0, 1, 2, 0, X_BLOCKS - 1);
	len = x_list(list, 1, 0, tgt, 2, segs, 28);
	KUNIT_EXPECT_EQ(test, x_xcopy(test, s, list, len),
			T_CC(COPY_ABORTED, 0x0d, 0x02));
	x_seg(segs, 0, 1, 2, X_BLOCKS - 1, 0);
	len = x_list(list, 1, 0, tgt, 2, segs, 28);
	KUNIT_EXPECT_EQ(test, x_xcopy(test, s, list, len),
			T_CC(COPY_ABORTED, 0x0d, 0x02));
	/* Inline data is not supported. */
	x_seg(segs, 0, 1, 1, 0, 0);
	len = x_list(list, 1, 0, tgt, 2, segs, 28);
	scst_put_be32(&list[12], 4);
	KUNIT_EXPECT_EQ(test, x_xcopy(test, s, list, len + 4),
			T_CC(ILLEGAL_REQUEST, 0x26, 0x0b));
	/* A list longer than the parameter data. */
	len = x_list(list, 1, 0, tgt, 2, segs, 28);
	KUNIT_EXPECT_EQ(test, x_xcopy(test, s, list, len - 1),
			T_CC(ILLEGAL_REQUEST, 0x1a, 0x00));
	/* Nothing reached the destination. */
	KUNIT_EXPECT_TRUE(
	    test, x_file_is(x_env->files[1], 0, X_BLOCKS * 512ull, 0, true));
	(void)buf;
}

static void xcopy_receive_copy_results(struct kunit *test)
{
	struct scst_local_sess *s = t_open_clear(test, "ini0", 2);
	uint8_t buf[64];
	uint8_t sa1[16] = {RECEIVE_COPY_RESULTS, 0x01};

	/* No such list. */
	KUNIT_EXPECT_EQ(test, x_rcr(test, s, 0, 7, buf, 12),
			T_CC(ILLEGAL_REQUEST, 0x24, 0));

	/* OPERATING PARAMETERS. */
	KUNIT_EXPECT_EQ(test, x_rcr(test, s, 3, 0, buf, 64), T_GOOD);
	KUNIT_EXPECT_EQ(test, scst_get_be32(buf), 42);
	KUNIT_EXPECT_EQ(test, buf[4], 0x01);
	KUNIT_EXPECT_EQ(test, scst_get_be16(&buf[8]), VDISK_XCOPY_MAX_TGT_DESC);
	KUNIT_EXPECT_EQ(test, scst_get_be16(&buf[10]),
			VDISK_XCOPY_MAX_SEG_DESC);
	KUNIT_EXPECT_EQ(test, scst_get_be32(&buf[12]),
			VDISK_XCOPY_MAX_DESC_LIST_LEN);
	KUNIT_EXPECT_EQ(test, scst_get_be32(&buf[16]),
			VDISK_XCOPY_MAX_SEG_BYTES);
	KUNIT_EXPECT_EQ(test, scst_get_be32(&buf[20]), 0); /* inline */
	KUNIT_EXPECT_EQ(test, scst_get_be32(&buf[24]), 0); /* held */
	KUNIT_EXPECT_EQ(test, scst_get_be16(&buf[34]),
			VDISK_XCOPY_MAX_CONCURRENT);
	KUNIT_EXPECT_EQ(test, buf[36], VDISK_XCOPY_MAX_CONCURRENT);
	KUNIT_EXPECT_EQ(test, buf[43], 2);
	KUNIT_EXPECT_EQ(test, buf[44], 0x02);
	KUNIT_EXPECT_EQ(test, buf[45], 0xe4);

	/* RECEIVE DATA is not supported. */
	scst_put_be32(&sa1[10], 64);
	KUNIT_EXPECT_EQ(test, x_exec(test, s, 0, sa1, 16, NULL, 0, buf, 64),
			T_CC(ILLEGAL_REQUEST, 0x24, 0));
}

static struct kunit_case vdisk_xcopy_test_cases[] = {
    KUNIT_CASE(xcopy_between_luns),
    KUNIT_CASE(xcopy_unreachable),
    KUNIT_CASE(xcopy_bad_descriptors),
    KUNIT_CASE(xcopy_receive_copy_results),
    {}};

static struct kunit_suite vdisk_xcopy_test_suite = {
    .name = "vdisk_xcopy",
    .init = vdisk_xcopy_init,
    .exit = vdisk_xcopy_exit,
    .test_cases = vdisk_xcopy_test_cases,
};
kunit_test_suite(vdisk_xcopy_test_suite);
