// SPDX-License-Identifier: GPL-2.0-only
/*
 * Unit tests of the cartridge file store (dev_handlers/vtape/vtape_file.c)
 * and vtape_create_cartridge(): creation (O_EXCL, bad parameters leave no
 * file), data through a real file across close and reopen, the lock that
 * keeps a cartridge in one drive, read-only opens, reads past the end.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <kunit/test.h>

#include "dev_handlers/vtape/vtape.h"
#include "dev_handlers/vtape/vtape_file.h"

#include "vtape_test_store.h"

struct vf_dir {
	char path[64];
	char file[96];
};

static void vf_rmdir(void *arg)
{
	struct vf_dir *d = arg;

	unlink(d->file);
	rmdir(d->path);
}

static struct vf_dir *vf_tmpdir(struct kunit *test)
{
	struct vf_dir *d = kunit_kzalloc(test, sizeof(*d), GFP_KERNEL);

	KUNIT_ASSERT_NOT_NULL(test, d);
	snprintf(d->path, sizeof(d->path), "/tmp/vtape_file_test.XXXXXX");
	KUNIT_ASSERT_NOT_NULL(test, mkdtemp(d->path));
	snprintf(d->file, sizeof(d->file), "%s/TAPE01", d->path);
	KUNIT_ASSERT_EQ(test, kunit_add_action_or_reset(test, vf_rmdir, d), 0);
	return d;
}

static void vf_pattern(uint8_t *b, size_t len, unsigned int seed)
{
	size_t i;

	for (i = 0; i < len; i++)
		b[i] = (uint8_t)(i * 31 + seed);
}

static void vf_create(struct kunit *test)
{
	struct vf_dir *d = vf_tmpdir(test);
	struct vtape_store st;
	struct vtape_cart *c;
	struct stat sb;

	KUNIT_ASSERT_EQ(
	    test, vtape_create_cartridge(d->file, "TAPE01", 1u << 20, false),
	    0);
	KUNIT_ASSERT_EQ(test, stat(d->file, &sb), 0);
	KUNIT_EXPECT_EQ(test, (long)sb.st_size, 8192L);
	KUNIT_EXPECT_EQ(
	    test, vtape_create_cartridge(d->file, "TAPE01", 1u << 20, false),
	    -EEXIST);
	KUNIT_ASSERT_EQ(test, vtape_file_open(d->file, false, &st), 0);
	KUNIT_EXPECT_FALSE(test, vtape_file_read_only(&st));
	KUNIT_ASSERT_EQ(test, vtape_cart_open(&st, &c), 0);
	KUNIT_EXPECT_STREQ(test, vtape_cart_mam(c)->barcode, "TAPE01");
	KUNIT_EXPECT_EQ(test, vtape_cart_capacity(c), 1u << 20);
	KUNIT_EXPECT_FALSE(test, vtape_cart_write_protected(c));
	vtape_cart_close(c);
	vtape_file_close(&st);
	KUNIT_EXPECT_NULL(test, st.priv);
	KUNIT_ASSERT_EQ(test, unlink(d->file), 0);

	/* Bad parameters: an error, and no file left behind. */
	KUNIT_EXPECT_EQ(
	    test, vtape_create_cartridge(d->file, "HAS SPACE", 1u << 20, false),
	    -EINVAL);
	KUNIT_EXPECT_NE(test, access(d->file, F_OK), 0);
	KUNIT_EXPECT_EQ(test, ts_log_lines(), 1u);
	KUNIT_EXPECT_EQ(test,
			vtape_create_cartridge(d->file, "SMALL", 1000, false),
			-EINVAL);
	KUNIT_EXPECT_NE(test, access(d->file, F_OK), 0);
	/* Write protected from birth. */
	KUNIT_ASSERT_EQ(
	    test, vtape_create_cartridge(d->file, "WP0001", 2u << 20, true), 0);
	KUNIT_ASSERT_EQ(test, vtape_file_open(d->file, false, &st), 0);
	KUNIT_ASSERT_EQ(test, vtape_cart_open(&st, &c), 0);
	KUNIT_EXPECT_TRUE(test, vtape_cart_write_protected(c));
	KUNIT_EXPECT_EQ(test, vtape_cart_write_filemarks(c, 1), -EROFS);
	vtape_cart_close(c);
	vtape_file_close(&st);
}

static void vf_data_roundtrip(struct kunit *test)
{
	struct vf_dir *d = vf_tmpdir(test);
	static uint8_t buf[70000], got[70000];
	struct vtape_store st;
	struct vtape_cart *c;
	unsigned int i;
	struct stat sb;

	KUNIT_ASSERT_EQ(
	    test, vtape_create_cartridge(d->file, "TAPE01", 4u << 20, false),
	    0);
	KUNIT_ASSERT_EQ(test, vtape_file_open(d->file, false, &st), 0);
	KUNIT_ASSERT_EQ(test, vtape_cart_open(&st, &c), 0);
	for (i = 0; i < 10; i++) {
		vf_pattern(buf, sizeof(buf), i);
		KUNIT_ASSERT_EQ(
		    test, vtape_cart_write_block(c, buf, 1000 * i + 1), 0);
	}
	KUNIT_ASSERT_EQ(test, vtape_cart_write_filemarks(c, 1), 0);
	KUNIT_ASSERT_EQ(test, vtape_cart_sync(c), 0);
	vtape_cart_close(c);
	vtape_file_close(&st);

	KUNIT_ASSERT_EQ(test, vtape_file_open(d->file, false, &st), 0);
	KUNIT_ASSERT_EQ(test, vtape_cart_open(&st, &c), 0);
	KUNIT_EXPECT_EQ(test, vtape_cart_nobjs(c), 11u);
	for (i = 0; i < 10; i++) {
		vf_pattern(buf, sizeof(buf), i);
		KUNIT_ASSERT_EQ(test,
				vtape_cart_read_block(c, got, sizeof(got)),
				(int)(1000 * i + 1));
		KUNIT_EXPECT_MEMEQ(test, got, buf, 1000 * i + 1);
	}
	KUNIT_EXPECT_EQ(test, vtape_cart_read_block(c, got, sizeof(got)),
			-ENOMSG);
	/* Overwriting at object 2 cuts the file back. */
	vtape_cart_locate(c, 2);
	KUNIT_ASSERT_EQ(test, vtape_cart_write_block(c, buf, 8), 0);
	KUNIT_ASSERT_EQ(test, vtape_cart_sync(c), 0);
	KUNIT_ASSERT_EQ(test, stat(d->file, &sb), 0);
	KUNIT_EXPECT_EQ(test, (uint64_t)sb.st_size, 8192 + vtape_cart_used(c));
	/* Reads past the end of the file are zeros. */
	memset(got, 0xff, 16);
	KUNIT_EXPECT_EQ(test, st.ops->read(st.priv, got, 16, 1u << 30), 0);
	KUNIT_EXPECT_EQ(test, got[0] | got[15], 0);
	vtape_cart_close(c);
	vtape_file_close(&st);
}

static void vf_lock_and_read_only(struct kunit *test)
{
	struct vf_dir *d = vf_tmpdir(test);
	struct vtape_store st, st2;
	struct vtape_cart *c;
	uint8_t b = 7;

	KUNIT_EXPECT_EQ(test, vtape_file_open(d->file, false, &st), -ENOENT);
	KUNIT_EXPECT_EQ(test, vtape_file_open(d->path, true, &st), -EINVAL);
	KUNIT_ASSERT_EQ(
	    test, vtape_create_cartridge(d->file, "TAPE01", 1u << 20, false),
	    0);
	KUNIT_ASSERT_EQ(test, vtape_file_open(d->file, false, &st), 0);
	/* One drive at a time. */
	KUNIT_EXPECT_EQ(test, vtape_file_open(d->file, false, &st2), -EBUSY);
	KUNIT_EXPECT_EQ(test, vtape_file_open(d->file, true, &st2), -EBUSY);
	vtape_file_close(&st);

	/* Read-only: reads work, the store refuses writes. */
	KUNIT_ASSERT_EQ(test, vtape_file_open(d->file, true, &st), 0);
	KUNIT_EXPECT_TRUE(test, vtape_file_read_only(&st));
	KUNIT_ASSERT_EQ(test, vtape_cart_open(&st, &c), 0);
	KUNIT_EXPECT_EQ(test, st.ops->write(st.priv, &b, 1, 9000), -EROFS);
	KUNIT_EXPECT_EQ(test, st.ops->truncate(st.priv, 0), -EROFS);
	vtape_cart_set_write_protected(c);
	KUNIT_EXPECT_EQ(test, vtape_cart_write_block(c, &b, 1), -EROFS);
	KUNIT_EXPECT_EQ(test, vtape_cart_count_load(c), 0);
	vtape_cart_close(c);
	vtape_file_close(&st);

	/* A file we may not write opens read-only (root may write all). */
	KUNIT_ASSERT_EQ(test, chmod(d->file, 0444), 0);
	KUNIT_ASSERT_EQ(test, vtape_file_open(d->file, false, &st), 0);
	KUNIT_EXPECT_EQ(test, vtape_file_read_only(&st), geteuid() != 0);
	vtape_file_close(&st);
}

static struct kunit_case vtape_file_cases[] = {
    KUNIT_CASE(vf_create),
    KUNIT_CASE(vf_data_roundtrip),
    KUNIT_CASE(vf_lock_and_read_only),
    {},
};

static int vf_init(struct kunit *test)
{
	ts_log_capture(test);
	return 0;
}

static struct kunit_suite vtape_file_suite = {
    .name = "vtape_file",
    .init = vf_init,
    .test_cases = vtape_file_cases,
};

kunit_test_suite(vtape_file_suite);
