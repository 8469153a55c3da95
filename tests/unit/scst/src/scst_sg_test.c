// SPDX-License-Identifier: GPL-2.0-only
/*
 * The scatter-gather iterator of include/scst/scst_sg.h: pieces visited
 * from an offset, runs cut at a maximum, copies in and out across piece
 * boundaries, and lists shorter than asked.
 */
#include <kunit/test.h>

#include "scst/scst.h"

static uint8_t sg_a[5], sg_b[3], sg_c[8];
static struct scst_sg sg_list[] = {
    {sg_a, sizeof(sg_a)}, {sg_b, sizeof(sg_b)}, {sg_c, sizeof(sg_c)}};

static void sg_iter_from_offset(struct kunit *test)
{
	struct scst_sg_iter it;
	uint32_t n = 0;
	void *p = NULL;

	/* 7 bytes in: the third byte of the second piece. */
	scst_sg_iter_init(&it, sg_list, 3, 7, 100);
	KUNIT_ASSERT_TRUE(test, scst_sg_iter_next(&it, &p, &n, 0));
	KUNIT_EXPECT_PTR_EQ(test, p, (void *)(sg_b + 2));
	KUNIT_EXPECT_EQ(test, n, 1u);
	KUNIT_ASSERT_TRUE(test, scst_sg_iter_next(&it, &p, &n, 3));
	KUNIT_EXPECT_PTR_EQ(test, p, (void *)sg_c);
	KUNIT_EXPECT_EQ(test, n, 3u);
	KUNIT_ASSERT_TRUE(test, scst_sg_iter_next(&it, &p, &n, 0));
	KUNIT_EXPECT_PTR_EQ(test, p, (void *)(sg_c + 3));
	KUNIT_EXPECT_EQ(test, n, 5u);
	/* The list ended before the 100 bytes asked for. */
	KUNIT_EXPECT_FALSE(test, scst_sg_iter_next(&it, &p, &n, 0));
}

static void sg_iter_len_limit(struct kunit *test)
{
	struct scst_sg_iter it;
	uint32_t n = 0, total = 0, runs = 0;
	void *p = NULL;

	scst_sg_iter_init(&it, sg_list, 3, 0, 6);
	while (scst_sg_iter_next(&it, &p, &n, 0)) {
		total += n;
		runs++;
	}
	KUNIT_EXPECT_EQ(test, total, 6u);
	KUNIT_EXPECT_EQ(test, runs, 2u);
	/* An offset past the end visits nothing. */
	scst_sg_iter_init(&it, sg_list, 3, 16, 4);
	KUNIT_EXPECT_FALSE(test, scst_sg_iter_next(&it, &p, &n, 0));
}

static void sg_copy_across_pieces(struct kunit *test)
{
	uint8_t in[16], out[16];
	unsigned int i;

	for (i = 0; i < sizeof(in); i++)
		in[i] = (uint8_t)(0xa0 + i);
	memset(out, 0, sizeof(out));
	KUNIT_EXPECT_EQ(test, scst_sg_copy_in(sg_list, 3, 0, in, 16), 16u);
	KUNIT_EXPECT_EQ(test, sg_b[0], 0xa5);
	KUNIT_EXPECT_EQ(test, sg_c[7], 0xaf);
	KUNIT_EXPECT_EQ(test, scst_sg_copy_out(sg_list, 3, 4, out, 20), 12u);
	KUNIT_EXPECT_EQ(test, memcmp(out, in + 4, 12), 0);
	KUNIT_EXPECT_EQ(test, scst_sg_copy_in(sg_list, 3, 15, in, 4), 1u);
}

static struct kunit_case scst_sg_test_cases[] = {
    KUNIT_CASE(sg_iter_from_offset),
    KUNIT_CASE(sg_iter_len_limit),
    KUNIT_CASE(sg_copy_across_pieces),
    {}};

static struct kunit_suite scst_sg_test_suite = {
    .name = "scst_sg",
    .test_cases = scst_sg_test_cases,
};

kunit_test_suite(scst_sg_test_suite);
