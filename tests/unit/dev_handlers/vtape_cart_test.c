// SPDX-License-Identifier: GPL-2.0-only
/*
 * Unit tests of the cartridge's tape semantics (dev_handlers/vtape/
 * vtape_cart.c) over an in-memory store: format and MAM, blocks of many
 * sizes, filemarks and file numbers, reads at EOD, at filemarks and
 * overlength, SPACE and LOCATE with every result and residue, overwrite,
 * capacity, early warning, write protection, erase. Crashes and damage
 * are in vtape_cart_crash_test.c.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "scst/os.h"

#include "vtape_test_store.h"

#define CAP (4ull << 20)
#define HDR 48u /* record header */

static uint64_t rec_size(uint32_t len)
{
	return HDR + (((uint64_t)len + 7) & ~7ull);
}

/* B B B F B B F B: objects 0..7, filemarks at 3 and 6, EOD at 8. */
static struct vtape_cart *layout(struct kunit *test, struct ts_store *s)
{
	static const char kinds[] = "BBBFBBFB";
	struct vtape_cart *c = ts_format_open(test, s, CAP, "L00001", false);
	unsigned int i;

	for (i = 0; kinds[i]; i++) {
		if (kinds[i] == 'B')
			KUNIT_ASSERT_EQ(test, ts_write(test, c, 100 + i, i), 0);
		else
			KUNIT_ASSERT_EQ(test, vtape_cart_write_filemarks(c, 1),
					0);
	}
	KUNIT_ASSERT_EQ(test, vtape_cart_nobjs(c), 8u);
	return c;
}

/* --------------------------------------------------- format, MAM ---- */

static void cart_format_open(struct kunit *test)
{
	struct ts_store *s = ts_new(test);
	struct vtape_format_params p = {.capacity = CAP, .barcode = "A1"};
	struct vtape_cart *c;
	uint32_t len = 7;

	c = ts_format_open(test, s, CAP, "ABC123L8", false);
	KUNIT_EXPECT_EQ(test, vtape_cart_pos(c), 0u);
	KUNIT_EXPECT_EQ(test, vtape_cart_nobjs(c), 0u);
	KUNIT_EXPECT_EQ(test, vtape_cart_file_no(c), 0u);
	KUNIT_EXPECT_EQ(test, vtape_cart_capacity(c), CAP);
	KUNIT_EXPECT_EQ(test, vtape_cart_used(c), 0u);
	KUNIT_EXPECT_FALSE(test, vtape_cart_write_protected(c));
	KUNIT_EXPECT_FALSE(test, vtape_cart_past_ew(c));
	KUNIT_EXPECT_EQ(test, vtape_cart_obj(c, 0, &len), VTAPE_OBJ_EOD);
	KUNIT_EXPECT_EQ(test, len, 0u);
	/* The header is two slots of 4096 bytes: exactly 8192 bytes. */
	KUNIT_EXPECT_EQ(test, s->live.size, 8192u);
	KUNIT_EXPECT_MEMEQ(test, s->live.b, "SCSTVTAP", 8);

	/* Bad parameters change nothing. */
	p.capacity = (1u << 20) - 1;
	KUNIT_EXPECT_EQ(test, vtape_cart_format(&s->st, &p), -EINVAL);
	p.capacity = CAP;
	p.barcode = "has space";
	KUNIT_EXPECT_EQ(test, vtape_cart_format(&s->st, &p), -EINVAL);
	p.barcode = "";
	KUNIT_EXPECT_EQ(test, vtape_cart_format(&s->st, &p), -EINVAL);
	p.barcode = "123456789012345678901234567890123"; /* 33 */
	KUNIT_EXPECT_EQ(test, vtape_cart_format(&s->st, &p), -EINVAL);
	p.barcode = "OK";
	p.serial = "bad\x7f";
	KUNIT_EXPECT_EQ(test, vtape_cart_format(&s->st, &p), -EINVAL);
	KUNIT_EXPECT_EQ(test, s->nwrites, 1u);

	/* Formatting over a used cartridge empties it. */
	KUNIT_ASSERT_EQ(test, ts_write(test, c, 1000, 1), 0);
	KUNIT_ASSERT_EQ(test, vtape_cart_sync(c), 0);
	ts_close(s);
	p.serial = NULL;
	p.barcode = "NEW001";
	KUNIT_ASSERT_EQ(test, vtape_cart_format(&s->st, &p), 0);
	c = ts_open(test, s);
	KUNIT_EXPECT_EQ(test, vtape_cart_nobjs(c), 0u);
	KUNIT_EXPECT_STREQ(test, vtape_cart_mam(c)->barcode, "NEW001");
}

static void cart_mam(struct kunit *test)
{
	struct ts_store *s = ts_new(test);
	struct vtape_format_params p = {
	    .capacity = CAP,
	    .barcode = "BC0001L6",
	    .serial = "SN-42",
	};
	const struct vtape_mam *m;
	struct vtape_cart *c;

	c = ts_format_open(test, s, CAP, "XYZ", false);
	m = vtape_cart_mam(c);
	KUNIT_EXPECT_STREQ(test, m->barcode, "XYZ");
	KUNIT_EXPECT_STREQ(test, m->serial, "XYZ"); /* derived */
	KUNIT_EXPECT_EQ(test, m->load_count, 0u);
	ts_close(s);

	KUNIT_ASSERT_EQ(test, vtape_cart_format(&s->st, &p), 0);
	c = ts_open(test, s);
	m = vtape_cart_mam(c);
	KUNIT_EXPECT_STREQ(test, m->barcode, "BC0001L6");
	KUNIT_EXPECT_STREQ(test, m->serial, "SN-42");

	/* Load counts are written at once. */
	KUNIT_EXPECT_EQ(test, vtape_cart_count_load(c), 0);
	KUNIT_EXPECT_EQ(test, vtape_cart_count_load(c), 0);
	KUNIT_EXPECT_EQ(test, vtape_cart_mam(c)->load_count, 2u);
	/* Byte counts: whole MiB, the rest carried over. */
	vtape_cart_account(c, 3u << 19, 1u << 20);
	vtape_cart_account(c, 3u << 19, 5);
	KUNIT_EXPECT_EQ(test, vtape_cart_mam(c)->mib_written, 3u);
	KUNIT_EXPECT_EQ(test, vtape_cart_mam(c)->mib_read, 1u);
	/* ...but reach the store only at the next sync. */
	c = ts_open(test, s);
	KUNIT_EXPECT_EQ(test, vtape_cart_mam(c)->load_count, 2u);
	KUNIT_EXPECT_EQ(test, vtape_cart_mam(c)->mib_written, 0u);
	vtape_cart_account(c, 7ull << 20, 9ull << 20);
	KUNIT_EXPECT_EQ(test, vtape_cart_sync(c), 0);
	c = ts_open(test, s);
	m = vtape_cart_mam(c);
	KUNIT_EXPECT_EQ(test, m->mib_written, 7u);
	KUNIT_EXPECT_EQ(test, m->mib_read, 9u);
	KUNIT_EXPECT_EQ(test, m->load_count, 2u);
	KUNIT_EXPECT_STREQ(test, m->serial, "SN-42");
}

/* -------------------------------------------------------- blocks ---- */

static void cart_block_sizes(struct kunit *test)
{
	static const uint32_t sizes[] = {1,
					 2,
					 7,
					 8,
					 9,
					 47,
					 48,
					 49,
					 511,
					 512,
					 4095,
					 4096,
					 4097,
					 65535,
					 65536,
					 65537,
					 99999,
					 1u << 20,
					 (1u << 20) + 3,
					 VTAPE_MAX_BLOCK};
	const unsigned int n = sizeof(sizes) / sizeof(sizes[0]);
	struct ts_store *s = ts_new(test);
	uint8_t *buf = malloc(VTAPE_MAX_BLOCK);
	struct vtape_cart *c;
	uint64_t used = 0;
	unsigned int i, pass;
	uint32_t len;

	KUNIT_ASSERT_NOT_NULL(test, buf);
	c = ts_format_open(test, s, 32ull << 20, "SIZES", false);
	for (i = 0; i < n; i++) {
		KUNIT_ASSERT_EQ(test, ts_write(test, c, sizes[i], i), 0);
		used += rec_size(sizes[i]);
		KUNIT_EXPECT_EQ(test, vtape_cart_used(c), used);
		KUNIT_EXPECT_EQ(test, vtape_cart_pos(c), i + 1);
	}
	KUNIT_EXPECT_EQ(test, vtape_cart_write_block(c, buf, 0), -EINVAL);
	KUNIT_EXPECT_EQ(
	    test, vtape_cart_write_block(c, buf, VTAPE_MAX_BLOCK + 1), -EINVAL);
	KUNIT_EXPECT_EQ(test, vtape_cart_nobjs(c), n);
	/* Read back now, and again from a fresh open. */
	for (pass = 0; pass < 2; pass++) {
		vtape_cart_rewind(c);
		for (i = 0; i < n; i++) {
			KUNIT_EXPECT_EQ(test, vtape_cart_obj(c, i, &len),
					VTAPE_OBJ_BLOCK);
			KUNIT_EXPECT_EQ(test, len, sizes[i]);
			KUNIT_ASSERT_EQ(
			    test,
			    vtape_cart_read_block(c, buf, VTAPE_MAX_BLOCK),
			    (int)sizes[i]);
			KUNIT_EXPECT_TRUE_MSG(test,
					      ts_check_data(buf, sizes[i], i),
					      "block %u", i);
		}
		KUNIT_EXPECT_EQ(test, vtape_cart_read_block(c, buf, 10),
				-ENODATA);
		c = ts_open(test, s);
		KUNIT_EXPECT_EQ(test, vtape_cart_used(c), used);
	}
	free(buf);
	KUNIT_EXPECT_EQ(test, ts_log_lines(), 0u);
}

static void cart_filemarks_file_numbers(struct kunit *test)
{
	static const uint64_t files[] = {0, 0, 0, 0, 1, 1, 1, 2, 2};
	struct ts_store *s = ts_new(test);
	struct vtape_cart *c = layout(test, s);
	uint32_t len = 1;
	unsigned int pass, i;

	for (pass = 0; pass < 2; pass++) {
		for (i = 0; i <= 8; i++) {
			KUNIT_EXPECT_EQ(test, vtape_cart_locate(c, i),
					VTAPE_MOVE_OK);
			KUNIT_EXPECT_EQ_MSG(test, vtape_cart_file_no(c),
					    files[i], "pos %u", i);
		}
		KUNIT_EXPECT_EQ(test, vtape_cart_obj(c, 3, &len),
				VTAPE_OBJ_FILEMARK);
		KUNIT_EXPECT_EQ(test, len, 0u);
		KUNIT_EXPECT_EQ(test, vtape_cart_obj(c, 4, &len),
				VTAPE_OBJ_BLOCK);
		KUNIT_EXPECT_EQ(test, len, 104u);
		KUNIT_EXPECT_EQ(test, vtape_cart_obj(c, 8, NULL),
				VTAPE_OBJ_EOD);
		c = ts_open(test, s);
	}
	/* Many at once; 0 writes nothing. */
	KUNIT_EXPECT_EQ(test, vtape_cart_space(c, VTAPE_SPACE_EOD, 0, NULL),
			VTAPE_MOVE_OK);
	KUNIT_EXPECT_EQ(test, vtape_cart_write_filemarks(c, 0), 0);
	KUNIT_EXPECT_EQ(test, vtape_cart_nobjs(c), 8u);
	KUNIT_EXPECT_EQ(test, vtape_cart_write_filemarks(c, 150), 0);
	KUNIT_EXPECT_EQ(test, vtape_cart_nobjs(c), 158u);
	KUNIT_EXPECT_EQ(test, vtape_cart_file_no(c), 152u);
	KUNIT_EXPECT_EQ(test, vtape_cart_used(c),
			rec_size(100) + rec_size(101) + rec_size(102) +
			    rec_size(104) + rec_size(105) + rec_size(107) +
			    152 * HDR);
	c = ts_open(test, s);
	KUNIT_EXPECT_EQ(test, vtape_cart_nobjs(c), 158u);
	vtape_cart_locate(c, 100);
	KUNIT_EXPECT_EQ(test, vtape_cart_file_no(c), 94u);
}

static void cart_read_special(struct kunit *test)
{
	struct ts_store *s = ts_new(test);
	struct vtape_cart *c = layout(test, s);
	uint8_t buf[256];

	/* At EOD: nothing moves. */
	KUNIT_EXPECT_EQ(test, vtape_cart_read_block(c, buf, sizeof(buf)),
			-ENODATA);
	KUNIT_EXPECT_EQ(test, vtape_cart_pos(c), 8u);
	/* At a filemark: the position moves past it. */
	vtape_cart_locate(c, 3);
	KUNIT_EXPECT_EQ(test, vtape_cart_read_block(c, buf, sizeof(buf)),
			-ENOMSG);
	KUNIT_EXPECT_EQ(test, vtape_cart_pos(c), 4u);
	KUNIT_EXPECT_EQ(test, vtape_cart_file_no(c), 1u);
	/* Overlength: only what fits is copied, the full length returned. */
	memset(buf, 0xa5, sizeof(buf));
	KUNIT_EXPECT_EQ(test, vtape_cart_read_block(c, buf, 10), 104);
	KUNIT_EXPECT_TRUE(test, ts_check_data(buf, 10, 4));
	KUNIT_EXPECT_EQ(test, buf[10], 0xa5);
	KUNIT_EXPECT_EQ(test, vtape_cart_pos(c), 5u);
	/* Length 0 still moves over the block. */
	KUNIT_EXPECT_EQ(test, vtape_cart_read_block(c, NULL, 0), 105);
	KUNIT_EXPECT_EQ(test, vtape_cart_pos(c), 6u);
	/* Underlength: a larger buffer gets the block. */
	vtape_cart_locate(c, 7);
	KUNIT_EXPECT_EQ(test, vtape_cart_read_block(c, buf, sizeof(buf)), 107);
	KUNIT_EXPECT_TRUE(test, ts_check_data(buf, 107, 7));
	KUNIT_EXPECT_EQ(test, buf[107], 0xa5);
}

/* --------------------------------------------------- positioning ---- */

struct space_case {
	enum vtape_space_code code;
	uint64_t from;
	int64_t count;
	enum vtape_move_result res;
	uint64_t pos, residue;
};

static const struct space_case space_cases[] = {
    /* blocks forward */
    {VTAPE_SPACE_BLOCKS, 0, 0, VTAPE_MOVE_OK, 0, 0},
    {VTAPE_SPACE_BLOCKS, 0, 2, VTAPE_MOVE_OK, 2, 0},
    {VTAPE_SPACE_BLOCKS, 0, 3, VTAPE_MOVE_OK, 3, 0},
    {VTAPE_SPACE_BLOCKS, 0, 4, VTAPE_MOVE_FILEMARK, 4, 1},
    {VTAPE_SPACE_BLOCKS, 3, 1, VTAPE_MOVE_FILEMARK, 4, 1},
    {VTAPE_SPACE_BLOCKS, 4, 5, VTAPE_MOVE_FILEMARK, 7, 3},
    {VTAPE_SPACE_BLOCKS, 7, 1, VTAPE_MOVE_OK, 8, 0},
    {VTAPE_SPACE_BLOCKS, 7, 2, VTAPE_MOVE_EOD, 8, 1},
    {VTAPE_SPACE_BLOCKS, 8, 1, VTAPE_MOVE_EOD, 8, 1},
    {VTAPE_SPACE_BLOCKS, 7, INT64_MAX, VTAPE_MOVE_EOD, 8, INT64_MAX - 1},
    /* blocks backward: a filemark stops before it (BOP side) */
    {VTAPE_SPACE_BLOCKS, 3, -3, VTAPE_MOVE_OK, 0, 0},
    {VTAPE_SPACE_BLOCKS, 3, -4, VTAPE_MOVE_BOP, 0, 1},
    {VTAPE_SPACE_BLOCKS, 6, -2, VTAPE_MOVE_OK, 4, 0},
    {VTAPE_SPACE_BLOCKS, 6, -3, VTAPE_MOVE_FILEMARK, 3, 1},
    {VTAPE_SPACE_BLOCKS, 4, -1, VTAPE_MOVE_FILEMARK, 3, 1},
    {VTAPE_SPACE_BLOCKS, 8, -1, VTAPE_MOVE_OK, 7, 0},
    {VTAPE_SPACE_BLOCKS, 8, -2, VTAPE_MOVE_FILEMARK, 6, 1},
    {VTAPE_SPACE_BLOCKS, 0, -1, VTAPE_MOVE_BOP, 0, 1},
    {VTAPE_SPACE_BLOCKS, 5, INT64_MIN, VTAPE_MOVE_FILEMARK, 3,
     (1ull << 63) - 1},
    /* filemarks forward: after the last one spaced */
    {VTAPE_SPACE_FILEMARKS, 0, 1, VTAPE_MOVE_OK, 4, 0},
    {VTAPE_SPACE_FILEMARKS, 0, 2, VTAPE_MOVE_OK, 7, 0},
    {VTAPE_SPACE_FILEMARKS, 3, 1, VTAPE_MOVE_OK, 4, 0},
    {VTAPE_SPACE_FILEMARKS, 4, 1, VTAPE_MOVE_OK, 7, 0},
    {VTAPE_SPACE_FILEMARKS, 0, 3, VTAPE_MOVE_EOD, 8, 1},
    {VTAPE_SPACE_FILEMARKS, 7, 5, VTAPE_MOVE_EOD, 8, 5},
    /* filemarks backward: before (BOP side of) the last one spaced */
    {VTAPE_SPACE_FILEMARKS, 8, -1, VTAPE_MOVE_OK, 6, 0},
    {VTAPE_SPACE_FILEMARKS, 7, -2, VTAPE_MOVE_OK, 3, 0},
    {VTAPE_SPACE_FILEMARKS, 6, -1, VTAPE_MOVE_OK, 3, 0},
    {VTAPE_SPACE_FILEMARKS, 7, -3, VTAPE_MOVE_BOP, 0, 1},
    {VTAPE_SPACE_FILEMARKS, 3, -1, VTAPE_MOVE_BOP, 0, 1},
    {VTAPE_SPACE_FILEMARKS, 2, 0, VTAPE_MOVE_OK, 2, 0},
    /* end of data */
    {VTAPE_SPACE_EOD, 2, 0, VTAPE_MOVE_OK, 8, 0},
    {VTAPE_SPACE_EOD, 8, 0, VTAPE_MOVE_OK, 8, 0},
};

static void cart_space(struct kunit *test)
{
	struct ts_store *s = ts_new(test);
	struct vtape_cart *c = layout(test, s);
	const struct space_case *k;
	uint64_t residue;
	unsigned int i;

	for (i = 0; i < sizeof(space_cases) / sizeof(space_cases[0]); i++) {
		k = &space_cases[i];
		KUNIT_ASSERT_EQ(test, vtape_cart_locate(c, k->from),
				VTAPE_MOVE_OK);
		residue = 12345;
		KUNIT_EXPECT_EQ_MSG(
		    test, vtape_cart_space(c, k->code, k->count, &residue),
		    k->res, "case %u", i);
		KUNIT_EXPECT_EQ_MSG(test, vtape_cart_pos(c), k->pos, "case %u",
				    i);
		KUNIT_EXPECT_EQ_MSG(test, residue, k->residue, "case %u", i);
	}
	/* A code the drive never passes: no move, nothing done. */
	vtape_cart_locate(c, 2);
	KUNIT_EXPECT_EQ(test, vtape_cart_space(c, 2, 4, &residue),
			VTAPE_MOVE_OK);
	KUNIT_EXPECT_EQ(test, residue, 4u);
	KUNIT_EXPECT_EQ(test, vtape_cart_pos(c), 2u);
}

static void cart_locate(struct kunit *test)
{
	struct ts_store *s = ts_new(test);
	struct vtape_cart *c = layout(test, s);
	uint8_t buf[200];

	KUNIT_EXPECT_EQ(test, vtape_cart_locate(c, 5), VTAPE_MOVE_OK);
	KUNIT_EXPECT_EQ(test, vtape_cart_pos(c), 5u);
	KUNIT_EXPECT_EQ(test, vtape_cart_read_block(c, buf, sizeof(buf)), 105);
	KUNIT_EXPECT_TRUE(test, ts_check_data(buf, 105, 5));
	KUNIT_EXPECT_EQ(test, vtape_cart_locate(c, 8), VTAPE_MOVE_OK);
	KUNIT_EXPECT_EQ(test, vtape_cart_pos(c), 8u);
	vtape_cart_rewind(c);
	KUNIT_EXPECT_EQ(test, vtape_cart_locate(c, 9), VTAPE_MOVE_EOD);
	KUNIT_EXPECT_EQ(test, vtape_cart_pos(c), 8u);
	vtape_cart_rewind(c);
	KUNIT_EXPECT_EQ(test, vtape_cart_pos(c), 0u);
	KUNIT_EXPECT_EQ(test, vtape_cart_locate(c, UINT64_MAX), VTAPE_MOVE_EOD);
	KUNIT_EXPECT_EQ(test, vtape_cart_pos(c), 8u);
	KUNIT_EXPECT_EQ(test, vtape_cart_file_no(c), 2u);
}

/* ------------------------------------------------------ writing ---- */

/* Writing in the middle drops the rest, on both kinds of store. */
static void cart_overwrite_middle(struct kunit *test)
{
	uint8_t buf[64];
	unsigned int mode, i;

	for (mode = 0; mode < 2; mode++) {
		struct ts_store *s = ts_new(test);
		struct vtape_cart *c;

		s->no_truncate = mode;
		c = ts_format_open(test, s, CAP, "OVR", false);
		for (i = 0; i < 10; i++)
			KUNIT_ASSERT_EQ(test, ts_write(test, c, 40, i), 0);
		KUNIT_ASSERT_EQ(test, vtape_cart_sync(c), 0);
		vtape_cart_locate(c, 4);
		KUNIT_ASSERT_EQ(test, ts_write(test, c, 40, 100), 0);
		KUNIT_EXPECT_EQ(test, vtape_cart_nobjs(c), 5u);
		KUNIT_EXPECT_EQ(test, vtape_cart_used(c), 5 * rec_size(40));
		KUNIT_EXPECT_EQ(test, vtape_cart_obj(c, 5, NULL),
				VTAPE_OBJ_EOD);
		KUNIT_EXPECT_EQ(test, vtape_cart_read_block(c, buf, 64),
				-ENODATA);
		vtape_cart_locate(c, 2);
		KUNIT_ASSERT_EQ(test, vtape_cart_write_filemarks(c, 1), 0);
		KUNIT_EXPECT_EQ(test, vtape_cart_nobjs(c), 3u);
		KUNIT_ASSERT_EQ(test, ts_write(test, c, 40, 101), 0);
		/* The store agrees, without a sync too. */
		c = ts_open(test, s);
		KUNIT_EXPECT_EQ_MSG(test, vtape_cart_nobjs(c), 4u, "mode %u",
				    mode);
		KUNIT_EXPECT_EQ(test, vtape_cart_obj(c, 2, NULL),
				VTAPE_OBJ_FILEMARK);
		vtape_cart_locate(c, 3);
		KUNIT_EXPECT_EQ(test, vtape_cart_read_block(c, buf, 64), 40);
		KUNIT_EXPECT_TRUE(test, ts_check_data(buf, 40, 101));
		/* Overwriting at BOP leaves one object. */
		vtape_cart_rewind(c);
		KUNIT_ASSERT_EQ(test, ts_write(test, c, 40, 102), 0);
		c = ts_open(test, s);
		KUNIT_EXPECT_EQ(test, vtape_cart_nobjs(c), 1u);
	}
}

static void cart_capacity_ew(struct kunit *test)
{
	const uint64_t cap = 1ull << 20, ew = cap - (64u << 10);
	const uint32_t bs = 60000;
	struct ts_store *s = ts_new(test);
	struct vtape_cart *c;
	unsigned int writes, i = 0;
	uint64_t used, size;
	int rc;

	c = ts_format_open(test, s, cap, "CAP", false);
	for (;;) {
		used = vtape_cart_used(c);
		rc = ts_write(test, c, bs, i);
		if (rc < 0)
			break;
		i++;
		KUNIT_EXPECT_EQ_MSG(test, rc, used + rec_size(bs) > ew,
				    "block %u", i);
		KUNIT_EXPECT_EQ(test, vtape_cart_past_ew(c), rc == 1);
	}
	KUNIT_EXPECT_EQ(test, rc, -ENOSPC);
	KUNIT_EXPECT_GT(test, used + rec_size(bs), cap);
	KUNIT_EXPECT_LE(test, used, cap);
	KUNIT_EXPECT_EQ(test, i, (unsigned int)(cap / rec_size(bs)));
	/* Nothing was written. */
	writes = s->nwrites;
	size = s->live.size;
	KUNIT_EXPECT_EQ(test, ts_write(test, c, bs, 99), -ENOSPC);
	KUNIT_EXPECT_EQ(test, s->nwrites, writes);
	KUNIT_EXPECT_EQ(test, s->live.size, size);
	KUNIT_EXPECT_EQ(test, vtape_cart_nobjs(c), i);
	/* A block that fits still goes; filemarks go past the capacity. */
	KUNIT_EXPECT_EQ(test,
			ts_write(test, c, (uint32_t)(cap - used - HDR), 7), 1);
	KUNIT_EXPECT_EQ(test, vtape_cart_used(c), cap);
	KUNIT_EXPECT_EQ(test, ts_write(test, c, 1, 8), -ENOSPC);
	KUNIT_EXPECT_EQ(test, vtape_cart_write_filemarks(c, 3), 1);
	KUNIT_EXPECT_EQ(test, vtape_cart_used(c), cap + 3 * HDR);
	KUNIT_EXPECT_EQ(test, vtape_cart_write_filemarks(c, 1u << 20), -ENOSPC);
	c = ts_open(test, s);
	KUNIT_EXPECT_EQ(test, vtape_cart_nobjs(c), i + 4);
	KUNIT_EXPECT_FALSE(test, vtape_cart_past_ew(c));
	vtape_cart_space(c, VTAPE_SPACE_EOD, 0, NULL);
	KUNIT_EXPECT_TRUE(test, vtape_cart_past_ew(c));
	/* Overwriting early frees the space again. */
	vtape_cart_locate(c, 1);
	KUNIT_EXPECT_EQ(test, ts_write(test, c, bs, 50), 0);
	KUNIT_EXPECT_FALSE(test, vtape_cart_past_ew(c));
}

static void cart_write_protect(struct kunit *test)
{
	struct ts_store *s = ts_new(test);
	struct vtape_cart *c;
	unsigned int w, t;
	uint8_t b = 1;

	c = ts_format_open(test, s, CAP, "WP", true);
	KUNIT_EXPECT_TRUE(test, vtape_cart_write_protected(c));
	w = s->nwrites;
	t = s->ntruncs;
	KUNIT_EXPECT_EQ(test, vtape_cart_write_block(c, &b, 1), -EROFS);
	KUNIT_EXPECT_EQ(test, vtape_cart_write_filemarks(c, 1), -EROFS);
	KUNIT_EXPECT_EQ(test, vtape_cart_erase(c, false), -EROFS);
	KUNIT_EXPECT_EQ(test, vtape_cart_erase(c, true), -EROFS);
	KUNIT_EXPECT_EQ(test, vtape_cart_count_load(c), 0);
	KUNIT_EXPECT_EQ(test, vtape_cart_mam(c)->load_count, 1u);
	vtape_cart_account(c, 0, 5u << 20);
	KUNIT_EXPECT_EQ(test, vtape_cart_sync(c), 0);
	KUNIT_EXPECT_EQ(test, s->nwrites, w);
	KUNIT_EXPECT_EQ(test, s->ntruncs, t);
	KUNIT_EXPECT_EQ(test, vtape_cart_nobjs(c), 0u);

	/* Write protection for the load only (a read-only file). */
	ts_close(s);
	c = ts_format_open(test, s, CAP, "RW", false);
	KUNIT_ASSERT_EQ(test, ts_write(test, c, 10, 1), 0);
	vtape_cart_set_write_protected(c);
	KUNIT_EXPECT_TRUE(test, vtape_cart_write_protected(c));
	KUNIT_EXPECT_EQ(test, ts_write(test, c, 10, 2), -EROFS);
	vtape_cart_rewind(c);
	KUNIT_EXPECT_EQ(test, vtape_cart_erase(c, true), -EROFS);
	c = ts_open(test, s);
	KUNIT_EXPECT_FALSE(test, vtape_cart_write_protected(c));
	KUNIT_EXPECT_EQ(test, vtape_cart_nobjs(c), 1u);
}

static void cart_erase(struct kunit *test)
{
	unsigned int mode, i;
	uint8_t buf[64];

	for (mode = 0; mode < 2; mode++) {
		struct ts_store *s = ts_new(test);
		struct vtape_cart *c;

		s->no_truncate = mode;
		c = ts_format_open(test, s, CAP, "ERA", false);
		for (i = 0; i < 6; i++)
			KUNIT_ASSERT_EQ(test, ts_write(test, c, 30, i), 0);
		/* Short erase in the middle: EOD here, durable at once. */
		vtape_cart_locate(c, 3);
		KUNIT_EXPECT_EQ(test, vtape_cart_erase(c, false), 0);
		KUNIT_EXPECT_EQ(test, vtape_cart_nobjs(c), 3u);
		KUNIT_EXPECT_EQ(test, vtape_cart_pos(c), 3u);
		KUNIT_EXPECT_EQ(test, vtape_cart_used(c), 3 * rec_size(30));
		KUNIT_EXPECT_EQ(test, ts_pending(s), 0u);
		if (!mode)
			KUNIT_EXPECT_LE(test, s->live.size,
					8192 + 4 * rec_size(30));
		ts_crash(s, TS_CRASH_SUBSET, 1);
		c = ts_open(test, s);
		KUNIT_EXPECT_EQ(test, vtape_cart_nobjs(c), 3u);
		/* Writing the same block again must not bring 4, 5 back. */
		vtape_cart_locate(c, 3);
		KUNIT_ASSERT_EQ(test, ts_write(test, c, 30, 3), 0);
		c = ts_open(test, s);
		KUNIT_EXPECT_EQ_MSG(test, vtape_cart_nobjs(c), 4u, "mode %u",
				    mode);
		/* Long erase from BOP+1 and from EOD. */
		vtape_cart_locate(c, 1);
		KUNIT_EXPECT_EQ(test, vtape_cart_erase(c, true), 0);
		KUNIT_EXPECT_EQ(test, vtape_cart_nobjs(c), 1u);
		vtape_cart_space(c, VTAPE_SPACE_EOD, 0, NULL);
		KUNIT_EXPECT_EQ(test, vtape_cart_erase(c, true), 0);
		KUNIT_EXPECT_EQ(test, vtape_cart_nobjs(c), 1u);
		c = ts_open(test, s);
		KUNIT_EXPECT_EQ(test, vtape_cart_nobjs(c), 1u);
		vtape_cart_locate(c, 1);
		KUNIT_EXPECT_EQ(test, vtape_cart_read_block(c, buf, 64),
				-ENODATA);
		/* Erase at BOP empties the cartridge. */
		vtape_cart_rewind(c);
		KUNIT_EXPECT_EQ(test, vtape_cart_erase(c, false), 0);
		c = ts_open(test, s);
		KUNIT_EXPECT_EQ(test, vtape_cart_nobjs(c), 0u);
		KUNIT_EXPECT_EQ(test, vtape_cart_used(c), 0u);
	}
}

/* Open, write, read and close leave no memory behind. */
static void cart_no_leak(struct kunit *test)
{
	struct ts_store *s = ts_new(test);
	struct scst_os_mem_stats a, b;
	struct vtape_cart *c;
	uint8_t buf[512];
	unsigned int i;

	scst_os_mem_stats(&a);
	c = ts_format_open(test, s, CAP, "LEAK", false);
	for (i = 0; i < 300; i++)
		KUNIT_ASSERT_GE(test, ts_write(test, c, 500, i), 0);
	KUNIT_ASSERT_EQ(test, vtape_cart_write_filemarks(c, 200), 0);
	c = ts_open(test, s);
	KUNIT_EXPECT_EQ(test, vtape_cart_read_block(c, buf, sizeof(buf)), 500);
	ts_close(s);
	scst_os_mem_stats(&b);
	KUNIT_EXPECT_EQ(test, b.heap_allocs, a.heap_allocs);
	KUNIT_EXPECT_EQ(test, b.heap_bytes, a.heap_bytes);
}

static struct kunit_case vtape_cart_cases[] = {
    KUNIT_CASE(cart_format_open),
    KUNIT_CASE(cart_mam),
    KUNIT_CASE(cart_block_sizes),
    KUNIT_CASE(cart_filemarks_file_numbers),
    KUNIT_CASE(cart_read_special),
    KUNIT_CASE(cart_space),
    KUNIT_CASE(cart_locate),
    KUNIT_CASE(cart_overwrite_middle),
    KUNIT_CASE(cart_capacity_ew),
    KUNIT_CASE(cart_write_protect),
    KUNIT_CASE(cart_erase),
    KUNIT_CASE(cart_no_leak),
    {},
};

static int cart_init(struct kunit *test)
{
	ts_log_capture(test);
	return 0;
}

static struct kunit_suite vtape_cart_suite = {
    .name = "vtape_cart",
    .init = cart_init,
    .test_cases = vtape_cart_cases,
};

kunit_test_suite(vtape_cart_suite);
