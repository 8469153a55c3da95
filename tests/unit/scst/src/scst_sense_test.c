// SPDX-License-Identifier: GPL-2.0-only
/*
 * Unit tests of sense data building, parsing and conversion
 * (scst/src/scst_sense.c).
 */
#include <stdint.h>
#include <string.h>

#include <kunit/test.h>

#include "scst/byteorder.h"

#include "scst_sense.h"

/* INVALID FIELD IN CDB, pointer at byte 1 bit 4 (a service action). */
static const struct scst_sense_spec invalid_sa = {
    .key = ILLEGAL_REQUEST,
    .asc = 0x24,
    .ascq = 0x00,
    .sks_valid = true,
    .sks_cdb = true,
    .sks_field = 1,
    .sks_bit = 4,
};

/* An unrecovered read error at LBA 0x12345678. */
static const struct scst_sense_spec read_error = {
    .key = MEDIUM_ERROR,
    .asc = 0x11,
    .ascq = 0x00,
    .info_valid = true,
    .information = 0x12345678,
};

static void sense_fixed_field_pointer(struct kunit *test)
{
	static const uint8_t expected[18] = {
	    0x70, 0x00, 0x05, 0x00, 0x00, 0x00, 0x00, 0x0a, 0x00,
	    0x00, 0x00, 0x00, 0x24, 0x00, 0x00, 0xcc, 0x00, 0x01,
	};
	uint8_t buf[SCST_SENSE_BUFFERSIZE];

	memset(buf, 0xa5, sizeof(buf));
	KUNIT_EXPECT_EQ(test, scst_sense_build(buf, false, &invalid_sa), 18);
	KUNIT_EXPECT_MEMEQ(test, buf, expected, sizeof(expected));
	/* Nothing written past the sense data. */
	KUNIT_EXPECT_EQ(test, buf[18], 0xa5);
}

static void sense_fixed_no_bit_pointer(struct kunit *test)
{
	struct scst_sense_spec s = invalid_sa;
	uint8_t buf[SCST_SENSE_BUFFERSIZE];

	/* C/D = 1, BPV = 0: SKSV | C/D only. */
	s.sks_field = 7;
	s.sks_bit = -1;
	KUNIT_EXPECT_EQ(test, scst_sense_build(buf, false, &s), 18);
	KUNIT_EXPECT_EQ(test, buf[15], 0xc0);
	KUNIT_EXPECT_EQ(test, buf[16], 0x00);
	KUNIT_EXPECT_EQ(test, buf[17], 0x07);

	/* An error in the parameter data (C/D = 0) with bit 3. */
	s.asc = 0x26;
	s.sks_cdb = false;
	s.sks_field = 0x1234;
	s.sks_bit = 3;
	KUNIT_EXPECT_EQ(test, scst_sense_build(buf, false, &s), 18);
	KUNIT_EXPECT_EQ(test, buf[12], 0x26);
	KUNIT_EXPECT_EQ(test, buf[15], 0x8b);
	KUNIT_EXPECT_EQ(test, buf[16], 0x12);
	KUNIT_EXPECT_EQ(test, buf[17], 0x34);

	/* No sense-key specific data at all. */
	s.sks_valid = false;
	KUNIT_EXPECT_EQ(test, scst_sense_build(buf, false, &s), 18);
	KUNIT_EXPECT_EQ(test, buf[15], 0x00);
	KUNIT_EXPECT_EQ(test, buf[16], 0x00);
	KUNIT_EXPECT_EQ(test, buf[17], 0x00);
}

static void sense_fixed_information(struct kunit *test)
{
	static const uint8_t expected[18] = {
	    0xf0, 0x00, 0x03, 0x12, 0x34, 0x56, 0x78, 0x0a, 0x00,
	    0x00, 0x00, 0x00, 0x11, 0x00, 0x00, 0x00, 0x00, 0x00,
	};
	struct scst_sense_spec s = read_error;
	uint8_t buf[SCST_SENSE_BUFFERSIZE];

	KUNIT_EXPECT_EQ(test, scst_sense_build(buf, false, &s), 18);
	KUNIT_EXPECT_MEMEQ(test, buf, expected, sizeof(expected));

	/* Deferred error: response code 71h. */
	s.deferred = true;
	KUNIT_EXPECT_EQ(test, scst_sense_build(buf, false, &s), 18);
	KUNIT_EXPECT_EQ(test, buf[0], 0xf1);

	/* Wider than 32 bits: VALID stays 0 and the field stays empty. */
	s.deferred = false;
	s.information = 0x100000000ULL;
	KUNIT_EXPECT_EQ(test, scst_sense_build(buf, false, &s), 18);
	KUNIT_EXPECT_EQ(test, buf[0], 0x70);
	KUNIT_EXPECT_EQ(test, buf[3], 0);
	KUNIT_EXPECT_EQ(test, buf[4], 0);
	KUNIT_EXPECT_EQ(test, buf[5], 0);
	KUNIT_EXPECT_EQ(test, buf[6], 0);

	/* The largest value that fits. */
	s.information = 0xffffffffULL;
	KUNIT_EXPECT_EQ(test, scst_sense_build(buf, false, &s), 18);
	KUNIT_EXPECT_EQ(test, buf[0], 0xf0);
	KUNIT_EXPECT_EQ(test, buf[3], 0xff);
	KUNIT_EXPECT_EQ(test, buf[6], 0xff);
}

static void sense_desc_header_only(struct kunit *test)
{
	static const uint8_t expected[8] = {0x72, 0x06, 0x29, 0x00,
					    0x00, 0x00, 0x00, 0x00};
	const struct scst_sense_spec s = {
	    .key = UNIT_ATTENTION,
	    .asc = 0x29,
	    .ascq = 0x00,
	};
	struct scst_sense_spec d = s;
	uint8_t buf[SCST_SENSE_BUFFERSIZE];

	KUNIT_EXPECT_EQ(test, scst_sense_build(buf, true, &s), 8);
	KUNIT_EXPECT_MEMEQ(test, buf, expected, sizeof(expected));

	d.deferred = true;
	KUNIT_EXPECT_EQ(test, scst_sense_build(buf, true, &d), 8);
	KUNIT_EXPECT_EQ(test, buf[0], 0x73);
}

static void sense_desc_field_pointer(struct kunit *test)
{
	static const uint8_t expected[16] = {
	    0x72,
	    0x05,
	    0x24,
	    0x00,
	    0x00,
	    0x00,
	    0x00,
	    0x08,
	    /* sense-key specific descriptor */
	    0x02,
	    0x06,
	    0x00,
	    0x00,
	    0xcc,
	    0x00,
	    0x01,
	    0x00,
	};
	uint8_t buf[SCST_SENSE_BUFFERSIZE];

	KUNIT_EXPECT_EQ(test, scst_sense_build(buf, true, &invalid_sa), 16);
	KUNIT_EXPECT_MEMEQ(test, buf, expected, sizeof(expected));
}

static void sense_desc_information(struct kunit *test)
{
	static const uint8_t expected[28] = {
	    0x72,
	    0x03,
	    0x11,
	    0x00,
	    0x00,
	    0x00,
	    0x00,
	    0x14,
	    /* information descriptor */
	    0x00,
	    0x0a,
	    0x80,
	    0x00,
	    0x00,
	    0x00,
	    0x00,
	    0x01,
	    0x23,
	    0x45,
	    0x67,
	    0x89,
	    /* sense-key specific descriptor: no bit pointer, C/D = 0 */
	    0x02,
	    0x06,
	    0x00,
	    0x00,
	    0x80,
	    0x00,
	    0x10,
	    0x00,
	};
	struct scst_sense_spec s = read_error;
	uint8_t buf[SCST_SENSE_BUFFERSIZE];

	/* 64-bit information fits the descriptor format. */
	s.information = 0x123456789ULL;
	s.sks_valid = true;
	s.sks_field = 0x10;
	s.sks_bit = -1;
	KUNIT_EXPECT_EQ(test, scst_sense_build(buf, true, &s), 28);
	KUNIT_EXPECT_MEMEQ(test, buf, expected, sizeof(expected));

	/* Information only. */
	s.sks_valid = false;
	KUNIT_EXPECT_EQ(test, scst_sense_build(buf, true, &s), 20);
	KUNIT_EXPECT_EQ(test, buf[7], 12);
	KUNIT_EXPECT_MEMEQ(test, buf + 8, expected + 8, 12);
}

static void sense_parse_both_formats(struct kunit *test)
{
	uint8_t buf[SCST_SENSE_BUFFERSIZE];
	uint8_t key = 0xff, asc = 0xff, ascq = 0xff;
	unsigned int len;

	len = scst_sense_build(buf, false, &read_error);
	KUNIT_EXPECT_TRUE(test, scst_sense_parse(buf, len, &key, &asc, &ascq));
	KUNIT_EXPECT_EQ(test, key, MEDIUM_ERROR);
	KUNIT_EXPECT_EQ(test, asc, 0x11);
	KUNIT_EXPECT_EQ(test, ascq, 0x00);

	len = scst_sense_build(buf, true, &invalid_sa);
	KUNIT_EXPECT_TRUE(test, scst_sense_parse(buf, len, &key, &asc, &ascq));
	KUNIT_EXPECT_EQ(test, key, ILLEGAL_REQUEST);
	KUNIT_EXPECT_EQ(test, asc, 0x24);
	KUNIT_EXPECT_EQ(test, ascq, 0x00);
}

static void sense_parse_rejects(struct kunit *test)
{
	uint8_t buf[SCST_SENSE_BUFFERSIZE];
	uint8_t key, asc, ascq;

	memset(buf, 0, sizeof(buf));
	/* Unknown response codes. */
	KUNIT_EXPECT_FALSE(test, scst_sense_parse(buf, 18, &key, &asc, &ascq));
	buf[0] = 0x7f;
	KUNIT_EXPECT_FALSE(test, scst_sense_parse(buf, 18, &key, &asc, &ascq));
	buf[0] = 0x74;
	KUNIT_EXPECT_FALSE(test, scst_sense_parse(buf, 18, &key, &asc, &ascq));

	/* Too short for a header. */
	scst_sense_build(buf, false, &invalid_sa);
	KUNIT_EXPECT_FALSE(test, scst_sense_parse(buf, 7, &key, &asc, &ascq));
	KUNIT_EXPECT_FALSE(test, scst_sense_parse(buf, 0, &key, &asc, &ascq));

	/* A fixed header whose additional length stops before the ASC. */
	buf[7] = 0;
	KUNIT_EXPECT_TRUE(test, scst_sense_parse(buf, 18, &key, &asc, &ascq));
	KUNIT_EXPECT_EQ(test, key, ILLEGAL_REQUEST);
	KUNIT_EXPECT_EQ(test, asc, 0);
	KUNIT_EXPECT_EQ(test, ascq, 0);
	/* A buffer cut before the ASC. */
	buf[7] = 10;
	KUNIT_EXPECT_TRUE(test, scst_sense_parse(buf, 12, &key, &asc, &ascq));
	KUNIT_EXPECT_EQ(test, asc, 0);
}

/* Build in one format, convert, compare with a direct build. */
static void expect_convert(struct kunit *test, const struct scst_sense_spec *s,
			   bool from_desc)
{
	uint8_t in[SCST_SENSE_BUFFERSIZE], out[SCST_SENSE_BUFFERSIZE];
	uint8_t direct[SCST_SENSE_BUFFERSIZE];
	unsigned int in_len, out_len, direct_len;

	in_len = scst_sense_build(in, from_desc, s);
	direct_len = scst_sense_build(direct, !from_desc, s);
	out_len = scst_sense_convert(in, in_len, out, !from_desc);
	KUNIT_EXPECT_EQ(test, out_len, direct_len);
	KUNIT_EXPECT_MEMEQ(test, out, direct, direct_len);
}

static void sense_convert_both_ways(struct kunit *test)
{
	struct scst_sense_spec s = read_error;

	expect_convert(test, &invalid_sa, false);
	expect_convert(test, &invalid_sa, true);
	expect_convert(test, &read_error, false);
	expect_convert(test, &read_error, true);

	s.sks_valid = true;
	s.sks_cdb = false;
	s.sks_field = 0x0203;
	s.sks_bit = 7;
	s.deferred = true;
	expect_convert(test, &s, false);
	expect_convert(test, &s, true);
}

static void sense_convert_wide_information(struct kunit *test)
{
	struct scst_sense_spec s = read_error;
	uint8_t in[SCST_SENSE_BUFFERSIZE], out[SCST_SENSE_BUFFERSIZE];
	unsigned int len;

	/* Descriptor to fixed: 64-bit information is dropped, VALID = 0. */
	s.information = 0x0123456789abcdefULL;
	len = scst_sense_build(in, true, &s);
	KUNIT_EXPECT_EQ(test, scst_sense_convert(in, len, out, false), 18);
	KUNIT_EXPECT_EQ(test, out[0], 0x70);
	KUNIT_EXPECT_EQ(test, out[2], MEDIUM_ERROR);
	KUNIT_EXPECT_EQ(test, out[3], 0);
	KUNIT_EXPECT_EQ(test, out[12], 0x11);

	/* Fixed with VALID = 0 gives no information descriptor. */
	KUNIT_EXPECT_EQ(test, scst_sense_convert(out, 18, in, true), 8);
	KUNIT_EXPECT_EQ(test, in[7], 0);
}

static void sense_convert_keeps_raw_fields(struct kunit *test)
{
	/*
	 * NOT READY, FORMAT IN PROGRESS with a progress indication (50%),
	 * command-specific information and a FRU code.
	 */
	static const uint8_t fixed[18] = {
	    0x70, 0x00, 0x02, 0x00, 0x00, 0x00, 0x00, 0x0a, 0xde,
	    0xad, 0xbe, 0xef, 0x04, 0x04, 0x07, 0x80, 0x80, 0x00,
	};
	static const uint8_t desc[32] = {
	    0x72,
	    0x02,
	    0x04,
	    0x04,
	    0x00,
	    0x00,
	    0x00,
	    0x18,
	    /* command-specific information */
	    0x01,
	    0x0a,
	    0x00,
	    0x00,
	    0x00,
	    0x00,
	    0x00,
	    0x00,
	    0xde,
	    0xad,
	    0xbe,
	    0xef,
	    /* sense-key specific: progress indication */
	    0x02,
	    0x06,
	    0x00,
	    0x00,
	    0x80,
	    0x80,
	    0x00,
	    0x00,
	    /* field replaceable unit */
	    0x03,
	    0x02,
	    0x00,
	    0x07,
	};
	uint8_t out[SCST_SENSE_BUFFERSIZE], back[SCST_SENSE_BUFFERSIZE];

	KUNIT_EXPECT_EQ(test, scst_sense_convert(fixed, 18, out, true), 32);
	KUNIT_EXPECT_MEMEQ(test, out, desc, sizeof(desc));
	KUNIT_EXPECT_EQ(
	    test, scst_sense_convert(desc, sizeof(desc), back, false), 18);
	KUNIT_EXPECT_MEMEQ(test, back, fixed, sizeof(fixed));
	/* Fixed to fixed is an identity. */
	KUNIT_EXPECT_EQ(test, scst_sense_convert(fixed, 18, back, false), 18);
	KUNIT_EXPECT_MEMEQ(test, back, fixed, sizeof(fixed));
}

static void sense_convert_skips_unknown_descriptors(struct kunit *test)
{
	static const uint8_t desc[24] = {
	    0x72,
	    0x05,
	    0x24,
	    0x00,
	    0x00,
	    0x00,
	    0x00,
	    0x0c,
	    /* a block command descriptor (05h), not carried over */
	    0x05,
	    0x02,
	    0x00,
	    0x20,
	    /* sense-key specific, behind it */
	    0x02,
	    0x06,
	    0x00,
	    0x00,
	    0xcc,
	    0x00,
	    0x01,
	    0x00,
	    /* beyond the additional length: ignored */
	    0x00,
	    0x0a,
	    0x80,
	    0x00,
	};
	uint8_t out[SCST_SENSE_BUFFERSIZE], direct[SCST_SENSE_BUFFERSIZE];

	KUNIT_EXPECT_EQ(test,
			scst_sense_convert(desc, sizeof(desc), out, false), 18);
	scst_sense_build(direct, false, &invalid_sa);
	KUNIT_EXPECT_MEMEQ(test, out, direct, 18);

	/* A descriptor cut by the buffer length is ignored. */
	KUNIT_EXPECT_EQ(test, scst_sense_convert(desc, 18, out, false), 18);
	KUNIT_EXPECT_EQ(test, out[15], 0x00);
	KUNIT_EXPECT_EQ(test, out[12], 0x24);

	/* Not sense data: nothing converted. */
	memset(out, 0, sizeof(out));
	KUNIT_EXPECT_EQ(test, scst_sense_convert(out, 18, direct, true), 0);
}

/*
 * SSC-3 stream bits: an overlength block read in variable mode (ILI,
 * INFORMATION = requested - actual = -4096) and a filemark (FM, residue
 * 3), in both formats and converted both ways.
 */
static void sense_stream_bits(struct kunit *test)
{
	struct scst_sense_spec ili = {.key = NO_SENSE,
				      .info_valid = true,
				      .info_signed = true,
				      .information = (uint64_t)(int64_t)-4096,
				      .stream = SCST_SENSE_ILI,
				      .sks_bit = -1};
	struct scst_sense_spec fm = {.key = NO_SENSE,
				     .ascq = 0x01,
				     .info_valid = true,
				     .information = 3,
				     .stream = SCST_SENSE_FILEMARK,
				     .sks_bit = -1};
	uint8_t buf[SCST_SENSE_BUFFERSIZE], conv[SCST_SENSE_BUFFERSIZE];
	unsigned int n;

	KUNIT_EXPECT_EQ(test, scst_sense_build(buf, false, &ili), 18);
	KUNIT_EXPECT_EQ(test, buf[0], 0xf0); /* VALID | 70h */
	KUNIT_EXPECT_EQ(test, buf[2], 0x20); /* ILI, NO SENSE */
	KUNIT_EXPECT_EQ(test, buf[3], 0xff);
	KUNIT_EXPECT_EQ(test, buf[4], 0xff);
	KUNIT_EXPECT_EQ(test, buf[5], 0xf0);
	KUNIT_EXPECT_EQ(test, buf[6], 0x00);
	/* To descriptor format: information sign-extended, stream desc. */
	n = scst_sense_convert(buf, 18, conv, true);
	KUNIT_EXPECT_EQ(test, n, 8u + 12 + 4);
	KUNIT_EXPECT_EQ(test, conv[8], 0x00);
	KUNIT_EXPECT_EQ(test, conv[12], 0xff);
	KUNIT_EXPECT_EQ(test, conv[18], 0xf0);
	KUNIT_EXPECT_EQ(test, conv[19], 0x00);
	KUNIT_EXPECT_EQ(test, conv[20], 0x04);
	KUNIT_EXPECT_EQ(test, conv[21], 0x02);
	KUNIT_EXPECT_EQ(test, conv[23], 0x20);
	/* And back: the same fixed bytes. */
	KUNIT_EXPECT_EQ(test, scst_sense_convert(conv, n, buf + 32, false), 18);
	KUNIT_EXPECT_MEMEQ(test, buf + 32, buf, 18);

	KUNIT_EXPECT_EQ(test, scst_sense_build(buf, true, &fm), 8u + 12 + 4);
	KUNIT_EXPECT_EQ(test, buf[3], 0x01);
	KUNIT_EXPECT_EQ(test, buf[19], 0x03);
	KUNIT_EXPECT_EQ(test, buf[23], 0x80);
	n = scst_sense_convert(buf, 24, conv, false);
	KUNIT_EXPECT_EQ(test, n, 18u);
	KUNIT_EXPECT_EQ(test, conv[2], 0x80);
	KUNIT_EXPECT_EQ(test, scst_get_be32(conv + 3), 3u);
	KUNIT_EXPECT_EQ(test, conv[13], 0x01);
}

static struct kunit_case scst_sense_test_cases[] = {
    KUNIT_CASE(sense_stream_bits),
    KUNIT_CASE(sense_fixed_field_pointer),
    KUNIT_CASE(sense_fixed_no_bit_pointer),
    KUNIT_CASE(sense_fixed_information),
    KUNIT_CASE(sense_desc_header_only),
    KUNIT_CASE(sense_desc_field_pointer),
    KUNIT_CASE(sense_desc_information),
    KUNIT_CASE(sense_parse_both_formats),
    KUNIT_CASE(sense_parse_rejects),
    KUNIT_CASE(sense_convert_both_ways),
    KUNIT_CASE(sense_convert_wide_information),
    KUNIT_CASE(sense_convert_keeps_raw_fields),
    KUNIT_CASE(sense_convert_skips_unknown_descriptors),
    {}};

static struct kunit_suite scst_sense_test_suite = {
    .name = "scst_sense",
    .test_cases = scst_sense_test_cases,
};
kunit_test_suite(scst_sense_test_suite);
