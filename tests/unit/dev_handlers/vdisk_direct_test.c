// SPDX-License-Identifier: GPL-2.0-only
/*
 * Zero-copy direct I/O (dev_handlers/vdisk/vdisk_io_block.c).
 *
 * vdisk_aio_iov: how a transfer's scatter-gather list becomes iovecs for
 * one IOCB_CMD_PREADV/PWRITEV, and when it must be bounced instead.
 *
 * vdisk_direct: an O_DIRECT vdisk_fileio device on a real file system
 * (/var/tmp, not tmpfs) through scst_local reads back exactly what was
 * written: transfers over many 128 KiB buffer pieces up to the largest
 * one, reads that start and end inside earlier writes at offsets that are
 * not page-aligned, 4096-byte blocks, and the SBC commands whose job
 * buffers the handler allocates itself (WRITE SAME, COMPARE AND WRITE).
 * Plain READ and WRITE and WRITE SAME never take the bounce path; a
 * buffer from elsewhere, not aligned, does, both ways.
 * (vdisk_blockio on a loop device: tests/integration/vdisk_direct.sh.)
 */
#include <sys/uio.h>

#include "vdisk_test_env.h"
#include "../../../dev_handlers/vdisk/vdisk_priv.h"

#define PIECE (128u * 1024)

/* ------------------------------------------------------ vdisk_aio_iov ---- */

static uint8_t vd_pool[4][PIECE] __attribute__((aligned(4096)));

static struct vdisk_io vd_io(struct scst_sg *sg, unsigned int cnt,
			     uint32_t sg_off, uint64_t len)
{
	struct vdisk_io io;

	memset(&io, 0, sizeof(io));
	io.sg = sg;
	io.sg_cnt = cnt;
	io.sg_off = sg_off;
	io.len = len;
	return io;
}

/* Page-aligned pieces as the core hands them out: one iovec each. */
static void aio_iov_core_pieces(struct kunit *test)
{
	struct scst_sg sg[3] = {
	    {vd_pool[0], PIECE}, {vd_pool[1], PIECE}, {vd_pool[2], 4096}};
	struct iovec iov[8];
	struct vdisk_io io = vd_io(sg, 3, 0, 2 * PIECE + 4096);

	KUNIT_ASSERT_EQ(test, vdisk_aio_build_iov(iov, 8, &io, 4096), 3);
	KUNIT_EXPECT_PTR_EQ(test, iov[0].iov_base, (void *)vd_pool[0]);
	KUNIT_EXPECT_EQ(test, iov[0].iov_len, PIECE);
	KUNIT_EXPECT_PTR_EQ(test, iov[2].iov_base, (void *)vd_pool[2]);
	KUNIT_EXPECT_EQ(test, iov[2].iov_len, 4096);

	/* Less than the list holds: the last iovec is cut. */
	io = vd_io(sg, 3, 0, PIECE + 512);
	KUNIT_ASSERT_EQ(test, vdisk_aio_build_iov(iov, 8, &io, 512), 2);
	KUNIT_EXPECT_EQ(test, iov[1].iov_len, 512);
}

/*
 * Data that starts inside a piece (COMPARE AND WRITE's write half): fine
 * while the offset is a multiple of the alignment, bounced otherwise.
 */
static void aio_iov_offset(struct kunit *test)
{
	struct scst_sg sg[3] = {
	    {vd_pool[0], PIECE}, {vd_pool[1], PIECE}, {vd_pool[2], PIECE}};
	struct iovec iov[8];
	struct vdisk_io io = vd_io(sg, 3, PIECE + 512, PIECE);

	KUNIT_ASSERT_EQ(test, vdisk_aio_build_iov(iov, 8, &io, 512), 2);
	KUNIT_EXPECT_PTR_EQ(test, iov[0].iov_base, (void *)(vd_pool[1] + 512));
	KUNIT_EXPECT_EQ(test, iov[0].iov_len, PIECE - 512);
	KUNIT_EXPECT_PTR_EQ(test, iov[1].iov_base, (void *)vd_pool[2]);
	KUNIT_EXPECT_EQ(test, iov[1].iov_len, 512);
	KUNIT_EXPECT_EQ(test, vdisk_aio_build_iov(iov, 8, &io, 4096), 0);
}

/* Pieces that are not the core's: bounced. */
static void aio_iov_unaligned(struct kunit *test)
{
	struct scst_sg addr[2] = {{vd_pool[0] + 16, 4096}, {vd_pool[1], 4096}};
	struct scst_sg len[2] = {{vd_pool[0], 1000}, {vd_pool[1], 3096}};
	struct iovec iov[8];
	struct vdisk_io io = vd_io(addr, 2, 0, 8192);

	KUNIT_EXPECT_EQ(test, vdisk_aio_build_iov(iov, 8, &io, 512), 0);
	io = vd_io(len, 2, 0, 4096);
	KUNIT_EXPECT_EQ(test, vdisk_aio_build_iov(iov, 8, &io, 512), 0);
	/* With no alignment to keep (1), anything goes. */
	KUNIT_EXPECT_EQ(test, vdisk_aio_build_iov(iov, 8, &io, 1), 2);
}

/* More pieces than iovecs: bounced; a list too short: -EIO. */
static void aio_iov_limits(struct kunit *test)
{
	struct scst_sg sg[4] = {{vd_pool[0], PIECE},
				{vd_pool[1], PIECE},
				{vd_pool[2], PIECE},
				{vd_pool[3], PIECE}};
	struct iovec iov[4];
	struct vdisk_io io = vd_io(sg, 4, 0, 4 * PIECE);

	KUNIT_EXPECT_EQ(test, vdisk_aio_build_iov(iov, 4, &io, 4096), 4);
	KUNIT_EXPECT_EQ(test, vdisk_aio_build_iov(iov, 3, &io, 4096), 0);
	io = vd_io(sg, 4, 0, 4 * PIECE + 512);
	KUNIT_EXPECT_EQ(test, vdisk_aio_build_iov(iov, 4, &io, 4096), -EIO);
	io = vd_io(sg, 4, 512, 4 * PIECE);
	KUNIT_EXPECT_EQ(test, vdisk_aio_build_iov(iov, 4, &io, 512), -EIO);
}

static struct kunit_case aio_iov_cases[] = {KUNIT_CASE(aio_iov_core_pieces),
					    KUNIT_CASE(aio_iov_offset),
					    KUNIT_CASE(aio_iov_unaligned),
					    KUNIT_CASE(aio_iov_limits),
					    {}};

static struct kunit_suite aio_iov_suite = {
    .name = "vdisk_aio_iov",
    .test_cases = aio_iov_cases,
};

kunit_test_suite(aio_iov_suite);

/* ------------------------------------------------------- vdisk_direct ---- */

/* The backing files live here, on a file system with O_DIRECT. */
static char vd_dir[64];

static void vd_down(struct kunit *test)
{
	vt_down(test);
	if (vd_dir[0])
		vt_rmdir(vd_dir);
	vd_dir[0] = '\0';
}

static int vd_up(struct kunit *test)
{
	snprintf(vd_dir, sizeof(vd_dir), "/var/tmp/vdisk_direct.XXXXXX");
	if (!mkdtemp(vd_dir)) {
		vd_dir[0] = '\0';
		return -errno;
	}
	return vt_up(test);
}

/* A file of @size bytes for an O_DIRECT device; skips without O_DIRECT. */
static const char *vd_file(struct kunit *test, const char *name, uint64_t size)
{
	char *p = vt_sprintf(test, "%s/%s", vd_dir, name);
	int fd = open(p, O_CREAT | O_TRUNC | O_RDWR | O_DIRECT, 0600);

	if (fd < 0 && errno == EINVAL)
		kunit_skip(test, "no O_DIRECT in %s", vd_dir);
	KUNIT_ASSERT_GE(test, fd, 0);
	KUNIT_ASSERT_EQ(test, ftruncate(fd, (off_t)size), 0);
	close(fd);
	return p;
}

/* @n blocks of the test pattern for @lba on. */
static void vd_fill(uint8_t *p, uint32_t bs, uint64_t lba, uint32_t n,
		    uint64_t seed)
{
	uint32_t i;

	for (i = 0; i < n; i++)
		vt_pattern(p + (size_t)i * bs, bs, lba + i, seed);
}

/* Read @n blocks at @lba and compare them with @want. */
static void vd_expect(struct kunit *test, uint32_t lba, uint16_t n, uint32_t bs,
		      const uint8_t *want)
{
	uint8_t *got = kunit_kzalloc(test, (size_t)n * bs, GFP_KERNEL);

	KUNIT_ASSERT_NOT_NULL(test, got);
	KUNIT_EXPECT_EQ(test, vt_rw(test, 0, false, lba, n, bs, got), VT_GOOD);
	KUNIT_EXPECT_TRUE_MSG(test, !memcmp(got, want, (size_t)n * bs),
			      "READ of %u blocks at LBA %u", n, lba);
	kunit_kfree(test, got);
}

/* The backing file holds @want at byte @off (read without O_DIRECT). */
static void vd_expect_file(struct kunit *test, const char *f, uint64_t off,
			   const uint8_t *want, size_t len)
{
	uint8_t *got = kunit_kzalloc(test, len, GFP_KERNEL);
	int fd = open(f, O_RDONLY);

	KUNIT_ASSERT_NOT_NULL(test, got);
	KUNIT_ASSERT_GE(test, fd, 0);
	KUNIT_EXPECT_EQ(test, pread(fd, got, len, (off_t)off), (ssize_t)len);
	close(fd);
	KUNIT_EXPECT_TRUE(test, !memcmp(got, want, len));
	kunit_kfree(test, got);
}

/*
 * 512-byte blocks: a write of 4099 blocks at LBA 3 (17 pieces, none of
 * the file offsets on a page) and one of the largest transfer (8 MiB, 64
 * pieces) at an odd LBA; then reads that start and end inside them.
 */
static void vdisk_direct_multi_piece(struct kunit *test)
{
	const uint32_t bs = 512, n1 = 4099, l1 = 3, n2 = 16384, l2 = 9001;
	const char *f = vd_file(test, "mp", 16 << 20);
	uint8_t *w1 = kunit_kzalloc(test, (size_t)n1 * bs, GFP_KERNEL);
	uint8_t *w2 = kunit_kzalloc(test, (size_t)n2 * bs, GFP_KERNEL);
	static const struct {
		uint32_t lba;
		uint16_t n;
	} rd[] = {
	    {l1, 1},	     {l1 + 1, 7},	{l1 + 250, 300},
	    {l1 + 255, 513}, {l1 + 4000, 99},	{l2 + 1, 16383},
	    {l2 + 255, 1},   {l2 + 8191, 4097}, {l2 + 16383, 1},
	};
	uint64_t b0 = vdisk_aio_bounced();
	size_t i;

	KUNIT_ASSERT_NOT_NULL(test, w1);
	KUNIT_ASSERT_NOT_NULL(test, w2);
	vt_add(test, "vdisk_fileio", "mp filename=%s; o_direct=1", f);
	KUNIT_EXPECT_STREQ(test, vt_attr(test, "mp", "o_direct"), "1\n[key]\n");
	vt_map(test, "mp", 0);
	vt_clear_ua(test, 0);
	vd_fill(w1, bs, l1, n1, 21);
	vd_fill(w2, bs, l2, n2, 22);
	KUNIT_ASSERT_EQ(test, vt_rw(test, 0, true, l1, n1, bs, w1), VT_GOOD);
	KUNIT_ASSERT_EQ(test, vt_rw(test, 0, true, l2, n2, bs, w2), VT_GOOD);
	vd_expect(test, l1, n1, bs, w1);
	vd_expect(test, l2, n2, bs, w2);
	for (i = 0; i < sizeof(rd) / sizeof(rd[0]); i++) {
		const uint8_t *w = rd[i].lba >= l2 ? w2 : w1;
		uint32_t base = rd[i].lba >= l2 ? l2 : l1;

		vd_expect(test, rd[i].lba, rd[i].n, bs,
			  w + (size_t)(rd[i].lba - base) * bs);
	}
	vd_expect_file(test, f, (uint64_t)l1 * bs, w1, (size_t)n1 * bs);
	vd_expect_file(test, f, (uint64_t)l2 * bs, w2, (size_t)n2 * bs);
	KUNIT_EXPECT_EQ(test, vdisk_aio_bounced() - b0, 0);
}

/* 4096-byte blocks: the same, whole pages everywhere. */
static void vdisk_direct_4k_blocks(struct kunit *test)
{
	const uint32_t bs = 4096, n = 257, lba = 5;
	const char *f = vd_file(test, "b4k", 8 << 20);
	uint8_t *w = kunit_kzalloc(test, (size_t)n * bs, GFP_KERNEL);
	uint64_t b0 = vdisk_aio_bounced();

	KUNIT_ASSERT_NOT_NULL(test, w);
	vt_add(test, "vdisk_fileio",
	       "b4k filename=%s; o_direct=1; "
	       "blocksize=4096",
	       f);
	vt_map(test, "b4k", 0);
	vt_clear_ua(test, 0);
	vd_fill(w, bs, lba, n, 31);
	KUNIT_ASSERT_EQ(test, vt_rw(test, 0, true, lba, n, bs, w), VT_GOOD);
	vd_expect(test, lba, n, bs, w);
	vd_expect(test, lba + 31, 33, bs, w + 31 * bs);
	vd_expect(test, lba + n - 1, 1, bs, w + (n - 1) * bs);
	vd_expect_file(test, f, (uint64_t)lba * bs, w, (size_t)n * bs);
	KUNIT_EXPECT_EQ(test, vdisk_aio_bounced() - b0, 0);
}

/*
 * WRITE SAME and COMPARE AND WRITE read and write through a job buffer
 * of their own (page-aligned: no bounce) and, for COMPARE AND WRITE's
 * write, from inside the command's buffer (bounced only where the file
 * needs more alignment than the block size): the data must be right.
 */
static void vdisk_direct_sbc_buffers(struct kunit *test)
{
	const uint32_t bs = 512, n = 3000, lba = 77;
	const char *f = vd_file(test, "sbc", 4 << 20);
	uint8_t *want = kunit_kzalloc(test, (size_t)n * bs, GFP_KERNEL);
	uint8_t *caw = kunit_kzalloc(test, 4 * bs, GFP_KERNEL);
	uint8_t cdb[16];
	uint64_t b0 = vdisk_aio_bounced();
	uint32_t i;

	KUNIT_ASSERT_NOT_NULL(test, want);
	KUNIT_ASSERT_NOT_NULL(test, caw);
	vt_add(test, "vdisk_fileio", "sbc filename=%s; o_direct=1", f);
	vt_map(test, "sbc", 0);
	vt_clear_ua(test, 0);

	vt_pattern(want, bs, 0, 41);
	for (i = 1; i < n; i++)
		memcpy(want + (size_t)i * bs, want, bs);
	memset(cdb, 0, sizeof(cdb));
	cdb[0] = WRITE_SAME_16;
	scst_put_be64(cdb + 2, lba);
	scst_put_be32(cdb + 10, n);
	KUNIT_ASSERT_EQ(test, vt_exec(test, 0, cdb, 16, want, bs, NULL, 0),
			VT_GOOD);
	/* Its buffer starts on a page too (vdisk_sbc_job_new). */
	KUNIT_EXPECT_EQ(test, vdisk_aio_bounced() - b0, 0);
	vd_expect(test, lba, (uint16_t)n, bs, want);

	/* Compare two blocks at an odd LBA inside, then write new ones. */
	memcpy(caw, want, 2 * bs);
	vd_fill(caw + 2 * bs, bs, lba + 1001, 2, 42);
	memset(cdb, 0, sizeof(cdb));
	cdb[0] = COMPARE_AND_WRITE;
	scst_put_be64(cdb + 2, lba + 1001);
	cdb[13] = 2;
	KUNIT_ASSERT_EQ(test, vt_exec(test, 0, cdb, 16, caw, 4 * bs, NULL, 0),
			VT_GOOD);
	memcpy(want + 1001 * bs, caw + 2 * bs, 2 * bs);
	vd_expect(test, lba, (uint16_t)n, bs, want);
	vd_expect_file(test, f, (uint64_t)lba * bs, want, (size_t)n * bs);
	kunit_info(test, "# %llu transfers bounced",
		   (unsigned long long)(vdisk_aio_bounced() - b0));
}

struct vd_wait {
	struct scst_completion done;
	int err;
};

static void vd_io_done(struct vdisk_io *io, int err)
{
	struct vd_wait *w = io->priv;

	w->err = err;
	scst_complete(&w->done);
}

/* One I/O straight to the device's backend; its result. */
static int vd_submit(struct vdisk_dev *vd, enum vdisk_io_op op, uint64_t off,
		     struct scst_sg *sg, unsigned int cnt, uint64_t len)
{
	struct vdisk_io io = vd_io(sg, cnt, 0, len);
	struct vd_wait w = {.err = 1};

	scst_completion_init(&w.done);
	io.vd = vd;
	io.op = op;
	io.off = off;
	io.done = vd_io_done;
	io.priv = &w;
	vdisk_io_submit(&io);
	scst_wait_for_completion(&w.done);
	scst_completion_destroy(&w.done);
	return w.err;
}

/*
 * Pieces that are not on the file's direct I/O alignment (a buffer that
 * did not come from the core) go through the bounce buffer, both ways,
 * and the data are right.
 */
static void vdisk_direct_bounce(struct kunit *test)
{
	const uint32_t len = 3 * 4096;
	const char *f = vd_file(test, "bnc", 1 << 20);
	uint8_t *out = kunit_kzalloc(test, len + 64, GFP_KERNEL);
	uint8_t *in = kunit_kzalloc(test, len + 64, GFP_KERNEL);
	struct scst_sg osg[2], isg[3];
	struct scst_device *dev;
	struct vdisk_dev *vd;
	uint64_t b0;

	KUNIT_ASSERT_NOT_NULL(test, out);
	KUNIT_ASSERT_NOT_NULL(test, in);
	vt_add(test, "vdisk_fileio", "bnc filename=%s; o_direct=1", f);
	dev = vt_map(test, "bnc", 0);
	vd = scst_dev_get_dh_priv(dev);
	KUNIT_ASSERT_NOT_NULL(test, vd);
	vd_fill(out + 8, 512, 0, len / 512, 51);
	/* 8 bytes past whatever alignment the heap gave: never aligned. */
	osg[0] = (struct scst_sg){out + 8, 5000};
	osg[1] = (struct scst_sg){out + 8 + 5000, len - 5000};
	isg[0] = (struct scst_sg){in + 24, 100};
	isg[1] = (struct scst_sg){in + 24 + 100, 8000};
	isg[2] = (struct scst_sg){in + 24 + 8100, len - 8100};
	b0 = vdisk_aio_bounced();
	KUNIT_EXPECT_EQ(test, vd_submit(vd, VDISK_IO_WRITE, 4096, osg, 2, len),
			0);
	KUNIT_EXPECT_EQ(test, vd_submit(vd, VDISK_IO_READ, 4096, isg, 3, len),
			0);
	KUNIT_EXPECT_EQ(test, vdisk_aio_bounced() - b0, 2);
	KUNIT_EXPECT_TRUE(test, !memcmp(in + 24, out + 8, len));
	vd_expect_file(test, f, 4096, out + 8, len);
	/* A list shorter than the transfer fails, bounced or not. */
	KUNIT_EXPECT_EQ(test, vd_submit(vd, VDISK_IO_READ, 4096, isg, 2, len),
			-EIO);
}

static struct kunit_case vdisk_direct_cases[] = {
    KUNIT_CASE(vdisk_direct_multi_piece),
    KUNIT_CASE(vdisk_direct_4k_blocks),
    KUNIT_CASE(vdisk_direct_sbc_buffers),
    KUNIT_CASE(vdisk_direct_bounce),
    {}};

static struct kunit_suite vdisk_direct_suite = {
    .name = "vdisk_direct",
    .init = vd_up,
    .exit = vd_down,
    .test_cases = vdisk_direct_cases,
};

kunit_test_suite(vdisk_direct_suite);
