// SPDX-License-Identifier: GPL-2.0-only
/*
 * Unit tests of the opcode table and the CDB decoder (scst/src/scst_cdb.c,
 * scst/src/scst_cdb_<set>.c); the rows themselves are checked in
 * scst_cdb_rows_test.c.
 */
#include <errno.h>
#include <stdint.h>
#include <string.h>

#include <kunit/test.h>

#include "scst/scst.h"

#define ASC_INVALID_OPCODE 0x20
#define ASC_INVALID_FIELD  0x24

static int decode(const uint8_t *cdb, unsigned int len, uint32_t block_size,
		  struct scst_cdb_result *r)
{
	return scst_cdb_decode(cdb, len, TYPE_DISK, block_size, r);
}

/* Decoding @cdb on a disk fails with INVALID FIELD IN CDB at byte/bit. */
static void expect_invalid_field(struct kunit *test, const uint8_t *cdb,
				 unsigned int len, int field_byte,
				 int field_bit)
{
	struct scst_cdb_result r;

	KUNIT_EXPECT_EQ(test, decode(cdb, len, 512, &r), -EINVAL);
	KUNIT_EXPECT_EQ(test, r.key, ILLEGAL_REQUEST);
	KUNIT_EXPECT_EQ(test, r.asc, ASC_INVALID_FIELD);
	KUNIT_EXPECT_EQ(test, r.ascq, 0);
	KUNIT_EXPECT_EQ(test, r.field_byte, field_byte);
	KUNIT_EXPECT_EQ(test, r.field_bit, field_bit);
	KUNIT_EXPECT_EQ(test, r.bufflen, 0);
}

static void expect_invalid_opcode(struct kunit *test, const uint8_t *cdb,
				  unsigned int len, uint8_t dev_type)
{
	struct scst_cdb_result r;

	KUNIT_EXPECT_EQ(test, scst_cdb_decode(cdb, len, dev_type, 512, &r),
			-EINVAL);
	KUNIT_EXPECT_NULL(test, r.info);
	KUNIT_EXPECT_EQ(test, r.key, ILLEGAL_REQUEST);
	KUNIT_EXPECT_EQ(test, r.asc, ASC_INVALID_OPCODE);
	KUNIT_EXPECT_EQ(test, r.ascq, 0);
	KUNIT_EXPECT_EQ(test, r.field_byte, 0);
	KUNIT_EXPECT_EQ(test, r.field_bit, -1);
}

/* ------------------------------------------------------- data length ---- */

static void cdb_read6_len0_is_256(struct kunit *test)
{
	const uint8_t cdb[6] = {READ_6, 0x1f, 0x02, 0x03, 0x00, 0x00};
	struct scst_cdb_result r;

	KUNIT_ASSERT_EQ(test, decode(cdb, sizeof(cdb), 512, &r), 0);
	KUNIT_ASSERT_NOT_NULL(test, r.info);
	KUNIT_EXPECT_STREQ(test, r.info->name, "READ(6)");
	KUNIT_EXPECT_EQ(test, r.dir, SCST_DATA_READ);
	KUNIT_EXPECT_EQ(test, r.lba, 0x1f0203);
	KUNIT_EXPECT_EQ(test, r.nblocks, 256);
	KUNIT_EXPECT_EQ(test, r.bufflen, 256 * 512);
	KUNIT_EXPECT_EQ(test, r.field_byte, -1);
	KUNIT_EXPECT_EQ(test, r.field_bit, -1);
}

static void cdb_rw6(struct kunit *test)
{
	const uint8_t read6[6] = {READ_6, 0x00, 0x00, 0x07, 0x01, 0x00};
	const uint8_t write6[6] = {WRITE_6, 0x01, 0x00, 0x00, 0xff, 0xc0};
	/* Bits 7-5 of byte 1 were the LUN in SCSI-2: reserved now. */
	const uint8_t lun_bits[6] = {READ_6, 0xa0, 0x00, 0x00, 0x01, 0x00};
	struct scst_cdb_result r;

	KUNIT_ASSERT_EQ(test, decode(read6, sizeof(read6), 4096, &r), 0);
	KUNIT_EXPECT_EQ(test, r.lba, 7);
	KUNIT_EXPECT_EQ(test, r.nblocks, 1);
	KUNIT_EXPECT_EQ(test, r.bufflen, 4096);

	KUNIT_ASSERT_EQ(test, decode(write6, sizeof(write6), 512, &r), 0);
	KUNIT_EXPECT_EQ(test, r.dir, SCST_DATA_WRITE);
	KUNIT_EXPECT_EQ(test, r.lba, 0x10000);
	KUNIT_EXPECT_EQ(test, r.nblocks, 255);
	KUNIT_EXPECT_EQ(test, r.bufflen, 255 * 512);

	expect_invalid_field(test, lun_bits, sizeof(lun_bits), 1, 7);
}

static void cdb_read10_block_sizes(struct kunit *test)
{
	const uint8_t cdb[10] = {READ_10, 0x00, 0x12, 0x34, 0x56,
				 0x78,	  0x00, 0x00, 0x10, 0x00};
	struct scst_cdb_result r;

	KUNIT_ASSERT_EQ(test, decode(cdb, sizeof(cdb), 512, &r), 0);
	KUNIT_EXPECT_STREQ(test, r.info->name, "READ(10)");
	KUNIT_EXPECT_EQ(test, r.dir, SCST_DATA_READ);
	KUNIT_EXPECT_EQ(test, r.lba, 0x12345678);
	KUNIT_EXPECT_EQ(test, r.nblocks, 16);
	KUNIT_EXPECT_EQ(test, r.bufflen, 16 * 512);
	KUNIT_EXPECT_EQ(test, r.info->ser, SCST_SER_READ);

	KUNIT_ASSERT_EQ(test, decode(cdb, sizeof(cdb), 4096, &r), 0);
	KUNIT_EXPECT_EQ(test, r.lba, 0x12345678);
	KUNIT_EXPECT_EQ(test, r.nblocks, 16);
	KUNIT_EXPECT_EQ(test, r.bufflen, 16 * 4096);
}

static void cdb_read16_block_sizes(struct kunit *test)
{
	const uint8_t cdb[16] = {READ_16, 0x00, 0x01, 0x23, 0x45, 0x67,
				 0x89,	  0xab, 0xcd, 0xef, 0x00, 0x00,
				 0x01,	  0x00, 0x00, 0x00};
	struct scst_cdb_result r;

	KUNIT_ASSERT_EQ(test, decode(cdb, sizeof(cdb), 512, &r), 0);
	KUNIT_EXPECT_STREQ(test, r.info->name, "READ(16)");
	KUNIT_EXPECT_EQ(test, r.lba, 0x0123456789abcdefULL);
	KUNIT_EXPECT_EQ(test, r.nblocks, 256);
	KUNIT_EXPECT_EQ(test, r.bufflen, 256 * 512);

	KUNIT_ASSERT_EQ(test, decode(cdb, sizeof(cdb), 4096, &r), 0);
	KUNIT_EXPECT_EQ(test, r.lba, 0x0123456789abcdefULL);
	KUNIT_EXPECT_EQ(test, r.nblocks, 256);
	KUNIT_EXPECT_EQ(test, r.bufflen, 256 * 4096);
}

static void cdb_read12_write12(struct kunit *test)
{
	const uint8_t read12[12] = {READ_12, 0x18, 0x00, 0x00, 0x10, 0x00,
				    0x00,    0x00, 0x00, 0x08, 0x00, 0x00};
	const uint8_t write12[12] = {WRITE_12, 0x08, 0x00, 0x00, 0x00, 0x01,
				     0x00,     0x00, 0x00, 0x02, 0x05, 0x00};
	struct scst_cdb_result r;

	KUNIT_ASSERT_EQ(test, decode(read12, sizeof(read12), 512, &r), 0);
	KUNIT_EXPECT_EQ(test, r.lba, 0x1000);
	KUNIT_EXPECT_EQ(test, r.nblocks, 8);
	KUNIT_EXPECT_EQ(test, r.bufflen, 8 * 512);

	KUNIT_ASSERT_EQ(test, decode(write12, sizeof(write12), 512, &r), 0);
	KUNIT_EXPECT_EQ(test, r.dir, SCST_DATA_WRITE);
	KUNIT_EXPECT_EQ(test, r.lba, 1);
	KUNIT_EXPECT_EQ(test, r.nblocks, 2);
	KUNIT_EXPECT_EQ(test, r.bufflen, 1024);
	KUNIT_EXPECT_TRUE(test, r.info->flags & SCST_CDB_F_WRITE_MEDIUM);
}

static void cdb_write_same_one_block(struct kunit *test)
{
	const uint8_t ws10[10] = {WRITE_SAME, 0x08, 0x00, 0x00, 0x01,
				  0x00,	      0x00, 0x03, 0xe8, 0x00};
	const uint8_t ws16[16] = {WRITE_SAME_16, 0x08, 0, 0, 0, 0, 0, 0, 0,
				  0x20,		 0,    0, 0, 0, 0, 0};
	/* NDOB (SBC-4) is not supported: refused. */
	const uint8_t ndob[16] = {
	    WRITE_SAME_16, 0x01, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1, 0, 0};
	struct scst_cdb_result r;

	KUNIT_ASSERT_EQ(test, decode(ws10, sizeof(ws10), 4096, &r), 0);
	KUNIT_EXPECT_EQ(test, r.dir, SCST_DATA_WRITE);
	KUNIT_EXPECT_EQ(test, r.lba, 0x100);
	KUNIT_EXPECT_EQ(test, r.nblocks, 1000);
	KUNIT_EXPECT_EQ(test, r.bufflen, 4096);
	KUNIT_EXPECT_EQ(test, r.info->ser, SCST_SER_WRITE);
	KUNIT_EXPECT_TRUE(test, r.info->flags & SCST_CDB_F_WRITE_MEDIUM);

	/* Zero blocks means "to the end of the medium": still one block. */
	KUNIT_ASSERT_EQ(test, decode(ws16, sizeof(ws16), 512, &r), 0);
	KUNIT_EXPECT_EQ(test, r.lba, 0x20);
	KUNIT_EXPECT_EQ(test, r.nblocks, 0);
	KUNIT_EXPECT_EQ(test, r.bufflen, 512);

	expect_invalid_field(test, ndob, sizeof(ndob), 1, 0);
}

static void cdb_compare_and_write_twice(struct kunit *test)
{
	const uint8_t cdb[16] = {COMPARE_AND_WRITE,
				 0x00,
				 0,
				 0,
				 0,
				 0,
				 0,
				 0,
				 0x10,
				 0x00,
				 0,
				 0,
				 0,
				 4,
				 0,
				 0};
	struct scst_cdb_result r;

	KUNIT_ASSERT_EQ(test, decode(cdb, sizeof(cdb), 512, &r), 0);
	KUNIT_EXPECT_EQ(test, r.dir, SCST_DATA_WRITE);
	KUNIT_EXPECT_EQ(test, r.lba, 0x1000);
	KUNIT_EXPECT_EQ(test, r.nblocks, 4);
	KUNIT_EXPECT_EQ(test, r.bufflen, 2 * 4 * 512);
	KUNIT_EXPECT_EQ(test, r.info->ser, SCST_SER_ATOMIC);

	KUNIT_ASSERT_EQ(test, decode(cdb, sizeof(cdb), 4096, &r), 0);
	KUNIT_EXPECT_EQ(test, r.bufflen, 2 * 4 * 4096);
}

static void cdb_verify_bytchk(struct kunit *test)
{
	uint8_t cdb[10] = {VERIFY, 0x00, 0, 0, 0, 0x40, 0, 0x00, 0x08, 0};
	uint8_t cdb16[16] = {VERIFY_16, 0x00, 0, 0, 0, 0,    0, 0,
			     0,		0x40, 0, 0, 0, 0x08, 0, 0};
	struct scst_cdb_result r;

	/* BYTCHK 00b: the medium is verified, no data moves. */
	KUNIT_ASSERT_EQ(test, decode(cdb, sizeof(cdb), 512, &r), 0);
	KUNIT_EXPECT_EQ(test, r.dir, SCST_DATA_NONE);
	KUNIT_EXPECT_EQ(test, r.bufflen, 0);
	KUNIT_EXPECT_EQ(test, r.nblocks, 8);
	KUNIT_EXPECT_EQ(test, r.lba, 0x40);
	KUNIT_EXPECT_EQ(test, r.info->ser, SCST_SER_READ);

	/* BYTCHK 01b: the Data-Out holds every block. */
	cdb[1] = 0x02;
	KUNIT_ASSERT_EQ(test, decode(cdb, sizeof(cdb), 512, &r), 0);
	KUNIT_EXPECT_EQ(test, r.dir, SCST_DATA_WRITE);
	KUNIT_EXPECT_EQ(test, r.bufflen, 8 * 512);
	KUNIT_EXPECT_EQ(test, r.nblocks, 8);

	/* BYTCHK 11b: one block compared with each block of the range. */
	cdb[1] = 0x06;
	KUNIT_ASSERT_EQ(test, decode(cdb, sizeof(cdb), 4096, &r), 0);
	KUNIT_EXPECT_EQ(test, r.dir, SCST_DATA_WRITE);
	KUNIT_EXPECT_EQ(test, r.bufflen, 4096);
	KUNIT_EXPECT_EQ(test, r.nblocks, 8);

	/* BYTCHK 10b is reserved. */
	cdb[1] = 0x04;
	expect_invalid_field(test, cdb, sizeof(cdb), 1, 2);

	KUNIT_ASSERT_EQ(test, decode(cdb16, sizeof(cdb16), 512, &r), 0);
	KUNIT_EXPECT_EQ(test, r.dir, SCST_DATA_NONE);
	KUNIT_EXPECT_EQ(test, r.bufflen, 0);
	KUNIT_EXPECT_EQ(test, r.nblocks, 8);
	cdb16[1] = 0x02;
	KUNIT_ASSERT_EQ(test, decode(cdb16, sizeof(cdb16), 512, &r), 0);
	KUNIT_EXPECT_EQ(test, r.dir, SCST_DATA_WRITE);
	KUNIT_EXPECT_EQ(test, r.bufflen, 8 * 512);
}

static void cdb_no_data_rows(struct kunit *test)
{
	const uint8_t sync10[10] = {
	    SYNCHRONIZE_CACHE, 0x02, 0, 0, 0x01, 0x00, 0, 0x10, 0x00, 0};
	const uint8_t prefetch16[16] = {
	    PRE_FETCH_16, 0x02, 0, 0, 0, 0, 0, 0, 0, 5, 0, 0, 0, 9, 0, 0};
	const uint8_t tur[6] = {TEST_UNIT_READY, 0, 0, 0, 0, 0};
	struct scst_cdb_result r;

	KUNIT_ASSERT_EQ(test, decode(sync10, sizeof(sync10), 512, &r), 0);
	KUNIT_EXPECT_EQ(test, r.dir, SCST_DATA_NONE);
	KUNIT_EXPECT_EQ(test, r.bufflen, 0);
	KUNIT_EXPECT_EQ(test, r.lba, 0x100);
	KUNIT_EXPECT_EQ(test, r.nblocks, 0x1000);
	KUNIT_EXPECT_EQ(test, r.info->ser, SCST_SER_NONE);

	KUNIT_ASSERT_EQ(test, decode(prefetch16, sizeof(prefetch16), 512, &r),
			0);
	KUNIT_EXPECT_EQ(test, r.dir, SCST_DATA_NONE);
	KUNIT_EXPECT_EQ(test, r.bufflen, 0);
	KUNIT_EXPECT_EQ(test, r.lba, 5);
	KUNIT_EXPECT_EQ(test, r.nblocks, 9);
	KUNIT_EXPECT_EQ(test, r.info->ser, SCST_SER_READ);

	KUNIT_ASSERT_EQ(test, scst_cdb_decode(tur, 6, TYPE_TAPE, 0, &r), 0);
	KUNIT_EXPECT_EQ(test, r.dir, SCST_DATA_NONE);
	KUNIT_EXPECT_EQ(test, r.bufflen, 0);
	KUNIT_EXPECT_EQ(test, r.nblocks, 0);
}

static void cdb_byte_lengths(struct kunit *test)
{
	const uint8_t inquiry[6] = {INQUIRY, 0x01, 0x83, 0x01, 0x24, 0x00};
	const uint8_t mode_sense10[10] = {
	    MODE_SENSE_10, 0x18, 0x3f, 0xff, 0, 0, 0, 0x10, 0x00, 0};
	const uint8_t pr_out[10] = {
	    PERSISTENT_RESERVE_OUT, 0x01, 0x05, 0, 0, 0, 0, 0, 24, 0};
	const uint8_t read_cap10[10] = {
	    READ_CAPACITY, 0, 0, 0, 0, 0, 0, 0, 0, 0};
	const uint8_t read_cap16[16] = {SERVICE_ACTION_IN_16,
					SAI_READ_CAPACITY_16,
					0,
					0,
					0,
					0,
					0,
					0,
					0,
					0,
					0,
					0,
					0,
					32,
					0,
					0};
	struct scst_cdb_result r;

	KUNIT_ASSERT_EQ(test, decode(inquiry, sizeof(inquiry), 512, &r), 0);
	KUNIT_EXPECT_EQ(test, r.dir, SCST_DATA_READ);
	KUNIT_EXPECT_EQ(test, r.bufflen, 0x124);
	KUNIT_EXPECT_EQ(test, r.nblocks, 0);

	KUNIT_ASSERT_EQ(test,
			decode(mode_sense10, sizeof(mode_sense10), 512, &r), 0);
	KUNIT_EXPECT_EQ(test, r.bufflen, 0x1000);

	KUNIT_ASSERT_EQ(test, decode(pr_out, sizeof(pr_out), 512, &r), 0);
	KUNIT_EXPECT_STREQ(test, r.info->name,
			   "PERSISTENT RESERVE OUT / RESERVE");
	KUNIT_EXPECT_EQ(test, r.dir, SCST_DATA_WRITE);
	KUNIT_EXPECT_EQ(test, r.bufflen, 24);
	/* Not EXCL: PREEMPT AND ABORT runs beside what it aborts. */
	KUNIT_EXPECT_EQ(test, r.info->ser, SCST_SER_NONE);
	KUNIT_EXPECT_TRUE(test, r.info->flags & SCST_CDB_F_LOCAL);

	KUNIT_ASSERT_EQ(test, decode(read_cap10, sizeof(read_cap10), 512, &r),
			0);
	KUNIT_EXPECT_EQ(test, r.dir, SCST_DATA_READ);
	KUNIT_EXPECT_EQ(test, r.bufflen, 8);

	KUNIT_ASSERT_EQ(test, decode(read_cap16, sizeof(read_cap16), 512, &r),
			0);
	KUNIT_EXPECT_STREQ(test, r.info->name, "READ CAPACITY(16)");
	KUNIT_EXPECT_EQ(test, r.bufflen, 32);
}

static void cdb_format_unit_data(struct kunit *test)
{
	uint8_t cdb[6] = {FORMAT_UNIT, 0x00, 0, 0, 0, 0};
	struct scst_cdb_result r;

	KUNIT_ASSERT_EQ(test, decode(cdb, sizeof(cdb), 512, &r), 0);
	KUNIT_EXPECT_EQ(test, r.dir, SCST_DATA_NONE);
	KUNIT_EXPECT_EQ(test, r.bufflen, 0);
	KUNIT_EXPECT_EQ(test, r.info->ser, SCST_SER_EXCL);
	KUNIT_EXPECT_TRUE(test, r.info->flags & SCST_CDB_F_WRITE_MEDIUM);

	/* FMTDATA: a parameter list whose length is in its own header. */
	cdb[1] = 0x10;
	KUNIT_ASSERT_EQ(test, decode(cdb, sizeof(cdb), 512, &r), 0);
	KUNIT_EXPECT_EQ(test, r.dir, SCST_DATA_WRITE);
	KUNIT_EXPECT_EQ(test, r.bufflen, 0);
	KUNIT_EXPECT_TRUE(test, r.info->flags & SCST_CDB_F_FORMAT_DATA);

	/* Bytes 3-4 (the obsolete interleave) are refused. */
	cdb[4] = 0x01;
	expect_invalid_field(test, cdb, sizeof(cdb), 4, 0);
}

/* ------------------------------------------------------------ errors ---- */

static void cdb_unknown_opcode(struct kunit *test)
{
	const uint8_t vendor[6] = {0xc0, 0, 0, 0, 0, 0};
	const uint8_t variable[16] = {
	    VARIABLE_LENGTH_CMD, 0, 0, 0, 0, 0, 0, 0x08};
	const uint8_t read10[10] = {READ_10, 0, 0, 0, 0, 0, 0, 0, 1, 0};
	const uint8_t start_stop[6] = {START_STOP, 0, 0, 0, 1, 0};

	expect_invalid_opcode(test, vendor, sizeof(vendor), TYPE_DISK);
	expect_invalid_opcode(test, variable, sizeof(variable), TYPE_DISK);
	/* Block commands exist only for disks (and MMC's reads for CD/DVD). */
	expect_invalid_opcode(test, read10, sizeof(read10), TYPE_TAPE);
	expect_invalid_opcode(test, read10, sizeof(read10),
			      TYPE_MEDIUM_CHANGER);
	expect_invalid_opcode(test, start_stop, sizeof(start_stop),
			      TYPE_MEDIUM_CHANGER);
	/* No CDB at all. */
	expect_invalid_opcode(test, vendor, 0, TYPE_DISK);

	KUNIT_EXPECT_NULL(test,
			  scst_cdb_lookup(vendor, sizeof(vendor), TYPE_DISK));
	KUNIT_EXPECT_NULL(test,
			  scst_cdb_lookup(read10, sizeof(read10), TYPE_TAPE));
}

static void cdb_unknown_service_action(struct kunit *test)
{
	const uint8_t sai[16] = {SERVICE_ACTION_IN_16,
				 0x11,
				 0,
				 0,
				 0,
				 0,
				 0,
				 0,
				 0,
				 0,
				 0,
				 0,
				 0,
				 32,
				 0,
				 0};
	const uint8_t mi[12] = {
	    MAINTENANCE_IN, 0x05, 0, 0, 0, 0, 0, 0, 0, 8, 0, 0};
	const uint8_t pr_in[10] = {
	    PERSISTENT_RESERVE_IN, 0x04, 0, 0, 0, 0, 0, 0, 8, 0};
	/* The service action field is 5 bits: bits 7-5 are not part of it. */
	const uint8_t mi_high[12] = {
	    MAINTENANCE_IN, 0xea, 0, 0, 0, 0, 0, 0, 0, 8, 0, 0};
	struct scst_cdb_result r;

	expect_invalid_field(test, sai, sizeof(sai), 1, 4);
	KUNIT_EXPECT_EQ(test, decode(sai, sizeof(sai), 512, &r), -EINVAL);
	KUNIT_EXPECT_NULL(test, r.info);
	expect_invalid_field(test, mi, sizeof(mi), 1, 4);
	expect_invalid_field(test, pr_in, sizeof(pr_in), 1, 4);

	/* REPORT TARGET PORT GROUPS, PARAMETER DATA FORMAT 111b. */
	KUNIT_ASSERT_EQ(test, decode(mi_high, sizeof(mi_high), 512, &r), 0);
	KUNIT_EXPECT_STREQ(test, r.info->name, "REPORT TARGET PORT GROUPS");
	KUNIT_EXPECT_EQ(test, r.bufflen, 8);
	KUNIT_EXPECT_NULL(test, scst_cdb_lookup(sai, sizeof(sai), TYPE_DISK));
}

static void cdb_reserved_bits(struct kunit *test)
{
	uint8_t read10[10] = {READ_10, 0, 0, 0, 0, 0, 0, 0, 1, 0};
	uint8_t write10[10] = {WRITE_10, 0, 0, 0, 0, 0, 0, 0, 1, 0};
	uint8_t inquiry[6] = {INQUIRY, 0, 0, 0, 36, 0};
	uint8_t tur[6] = {TEST_UNIT_READY, 0, 0, 0, 0, 0};
	uint8_t luns[12] = {REPORT_LUNS, 0, 0, 0, 0, 0, 0, 0, 0x10, 0, 0, 0};
	uint8_t pr_out[10] = {
	    PERSISTENT_RESERVE_OUT, 0, 0, 0, 0, 0, 0, 0, 24, 0};
	uint8_t rcr[16] = {RECEIVE_COPY_RESULTS,
			   0x03,
			   0,
			   0,
			   0,
			   0,
			   0,
			   0,
			   0,
			   0,
			   0,
			   0,
			   1,
			   0,
			   0,
			   0};
	uint8_t write16[16] = {WRITE_16, 0, 0, 0, 0, 0, 0, 0,
			       0,	 0, 0, 0, 0, 1, 0, 0};
	struct scst_cdb_result r;

	/* Every defined bit of READ(10) byte 1 and the group number. */
	read10[1] = 0xfe;
	read10[6] = 0x1f;
	KUNIT_EXPECT_EQ(test, decode(read10, sizeof(read10), 512, &r), 0);
	/* Obsolete RELADR, byte 1 bit 0. */
	read10[1] = 0x01;
	expect_invalid_field(test, read10, sizeof(read10), 1, 0);
	/* Reserved byte 6 bit 5 (above the group number). */
	read10[1] = 0;
	read10[6] = 0x25;
	expect_invalid_field(test, read10, sizeof(read10), 6, 5);

	/* WRITE(10) byte 1 bit 2 is reserved (RARC is read-only). */
	write10[1] = 0x04;
	expect_invalid_field(test, write10, sizeof(write10), 1, 2);
	write10[1] = 0xfa;
	KUNIT_EXPECT_EQ(test, decode(write10, sizeof(write10), 512, &r), 0);

	/* WRITE(16) byte 1 bit 0 and byte 14 bit 7. */
	write16[1] = 0x01;
	expect_invalid_field(test, write16, sizeof(write16), 1, 0);
	write16[1] = 0;
	write16[14] = 0x80;
	expect_invalid_field(test, write16, sizeof(write16), 14, 7);

	/* INQUIRY: the obsolete CMDDT bit. */
	inquiry[1] = 0x02;
	expect_invalid_field(test, inquiry, sizeof(inquiry), 1, 1);
	inquiry[1] = 0x03;
	expect_invalid_field(test, inquiry, sizeof(inquiry), 1, 1);

	/* Several bits in one byte: the most significant is reported. */
	tur[1] = 0x5a;
	expect_invalid_field(test, tur, sizeof(tur), 1, 6);
	/* Bits in several bytes: the first byte is reported. */
	tur[1] = 0;
	tur[3] = 0x01;
	tur[4] = 0x80;
	expect_invalid_field(test, tur, sizeof(tur), 3, 0);

	/* REPORT LUNS: byte 1 and byte 10 are reserved. */
	luns[10] = 0x01;
	expect_invalid_field(test, luns, sizeof(luns), 10, 0);
	luns[10] = 0;
	luns[2] = 0x02;
	KUNIT_EXPECT_EQ(test, decode(luns, sizeof(luns), 512, &r), 0);

	/* PERSISTENT RESERVE OUT: bytes 3-4 reserved, SCOPE/TYPE defined. */
	pr_out[2] = 0xff;
	KUNIT_EXPECT_EQ(test, decode(pr_out, sizeof(pr_out), 512, &r), 0);
	pr_out[4] = 0x10;
	expect_invalid_field(test, pr_out, sizeof(pr_out), 4, 4);

	/* RECEIVE COPY RESULTS: byte 14 reserved. */
	rcr[14] = 0x40;
	expect_invalid_field(test, rcr, sizeof(rcr), 14, 6);
}

static void cdb_control_byte(struct kunit *test)
{
	uint8_t read10[10] = {READ_10, 0, 0, 0, 0, 0, 0, 0, 1, 0};
	uint8_t tur[6] = {TEST_UNIT_READY, 0, 0, 0, 0, 0};
	uint8_t read16[16] = {READ_16, 0, 0, 0, 0, 0, 0, 0,
			      0,       0, 0, 0, 0, 1, 0, 0};
	struct scst_cdb_result r;

	/* NACA (bit 2) in byte 9 of a 10-byte CDB. */
	read10[9] = SCST_CONTROL_NACA;
	expect_invalid_field(test, read10, sizeof(read10), 9, 2);
	/* LINK (bit 0). */
	read10[9] = SCST_CONTROL_LINK;
	expect_invalid_field(test, read10, sizeof(read10), 9, 0);
	/* Bit 1 (the old FLAG) is reserved. */
	read10[9] = 0x02;
	expect_invalid_field(test, read10, sizeof(read10), 9, 1);
	/* Vendor-specific bits 7-6 pass. */
	read10[9] = 0xc0;
	KUNIT_EXPECT_EQ(test, decode(read10, sizeof(read10), 512, &r), 0);
	read10[9] = 0xc4;
	expect_invalid_field(test, read10, sizeof(read10), 9, 2);

	tur[5] = SCST_CONTROL_NACA | SCST_CONTROL_LINK;
	expect_invalid_field(test, tur, sizeof(tur), 5, 2);
	read16[15] = SCST_CONTROL_LINK;
	expect_invalid_field(test, read16, sizeof(read16), 15, 0);
}

static void cdb_oversized_transfer(struct kunit *test)
{
	uint8_t read10[10] = {READ_10, 0, 0, 0, 0, 0, 0, 0x08, 0x00, 0};
	const uint8_t read16[16] = {READ_16, 0, 0,    0,    0,	  0,	0, 0,
				    0,	     0, 0xff, 0xff, 0xff, 0xff, 0, 0};
	const uint8_t caw[16] = {
	    COMPARE_AND_WRITE, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0xff, 0, 0};
	const uint8_t pr_out[10] = {
	    PERSISTENT_RESERVE_OUT, 0, 0, 0, 0, 0x01, 0, 0, 1, 0};
	const uint8_t luns[12] = {REPORT_LUNS, 0,    0,	   0,	 0, 0,
				  0xff,	       0xff, 0xff, 0xff, 0, 0};
	struct scst_cdb_result r;

	/* 2048 blocks of 4096 bytes is exactly the limit. */
	KUNIT_ASSERT_EQ(test, decode(read10, sizeof(read10), 4096, &r), 0);
	KUNIT_EXPECT_EQ(test, r.bufflen, SCST_MAX_BUFFLEN);
	read10[8] = 0x01;
	KUNIT_EXPECT_EQ(test, decode(read10, sizeof(read10), 4096, &r),
			-EINVAL);
	KUNIT_EXPECT_EQ(test, r.asc, ASC_INVALID_FIELD);
	KUNIT_EXPECT_EQ(test, r.field_byte, 7);
	KUNIT_EXPECT_EQ(test, r.field_bit, -1);
	KUNIT_EXPECT_EQ(test, r.bufflen, 0);
	KUNIT_EXPECT_EQ(test, r.dir, SCST_DATA_NONE);

	/* 2^32 - 1 blocks of 4 KiB: no overflow into a small length. */
	KUNIT_EXPECT_EQ(test, decode(read16, sizeof(read16), 4096, &r),
			-EINVAL);
	KUNIT_EXPECT_EQ(test, r.field_byte, 10);
	KUNIT_EXPECT_EQ(test, r.field_bit, -1);
	KUNIT_EXPECT_EQ(
	    test,
	    scst_cdb_decode(read16, sizeof(read16), TYPE_DISK, 0xffffffffu, &r),
	    -EINVAL);

	/* 2 x 255 blocks of 64 KiB. */
	KUNIT_EXPECT_EQ(test, decode(caw, sizeof(caw), 65536, &r), -EINVAL);
	KUNIT_EXPECT_EQ(test, r.field_byte, 13);
	KUNIT_EXPECT_EQ(test, decode(caw, sizeof(caw), 4096, &r), 0);
	KUNIT_EXPECT_EQ(test, r.bufflen, 2 * 255 * 4096);

	/* A parameter list that does not fit is refused... */
	KUNIT_EXPECT_EQ(test, decode(pr_out, sizeof(pr_out), 512, &r), -EINVAL);
	KUNIT_EXPECT_EQ(test, r.field_byte, 5);
	KUNIT_EXPECT_EQ(test, r.field_bit, -1);
	/* ...an allocation length only bounds the reply. */
	KUNIT_ASSERT_EQ(test, decode(luns, sizeof(luns), 512, &r), 0);
	KUNIT_EXPECT_EQ(test, r.dir, SCST_DATA_READ);
	KUNIT_EXPECT_EQ(test, r.bufflen, SCST_MAX_BUFFLEN);
}

static void cdb_short_cdb(struct kunit *test)
{
	const uint8_t read10[10] = {READ_10, 0, 0, 0, 0, 0, 0, 0, 1, 0};
	const uint8_t read16[16] = {READ_16, 0, 0, 0, 0, 0, 0, 0,
				    0,	     0, 0, 0, 0, 1, 0, 0};
	const uint8_t sai[16] = {SERVICE_ACTION_IN_16, SAI_READ_CAPACITY_16};
	/* A transport may pass the whole 16-byte CDB field. */
	const uint8_t padded[16] = {INQUIRY, 0, 0, 0, 36, 0, 0xff, 0xff};
	struct scst_cdb_result r;

	expect_invalid_field(test, read10, 6, 6, -1);
	expect_invalid_field(test, read10, 9, 9, -1);
	expect_invalid_field(test, read16, 10, 10, -1);
	expect_invalid_field(test, sai, 1, 1, -1);
	expect_invalid_field(test, sai, 12, 12, -1);

	KUNIT_ASSERT_EQ(test, decode(padded, sizeof(padded), 512, &r), 0);
	KUNIT_EXPECT_EQ(test, r.bufflen, 36);
}

/* ------------------------------------------------------- rows, flags ---- */

static void cdb_core_flags(struct kunit *test)
{
	const uint8_t inquiry[6] = {INQUIRY, 0, 0, 0, 36, 0};
	const uint8_t luns[12] = {REPORT_LUNS, 0, 0, 0, 0, 0, 0, 0, 0x10};
	const uint8_t sense[6] = {REQUEST_SENSE, 0, 0, 0, 18, 0};
	const uint8_t read10[10] = {READ_10};
	const uint16_t all =
	    SCST_CDB_F_LOCAL | SCST_CDB_F_UA_EXEMPT | SCST_CDB_F_NO_LUN_OK;
	const struct scst_cdb_info *ci;

	ci = scst_cdb_lookup(inquiry, sizeof(inquiry), TYPE_DISK);
	KUNIT_ASSERT_NOT_NULL(test, ci);
	KUNIT_EXPECT_EQ(test, ci->flags & all,
			SCST_CDB_F_UA_EXEMPT | SCST_CDB_F_NO_LUN_OK);
	ci = scst_cdb_lookup(luns, sizeof(luns), TYPE_DISK);
	KUNIT_ASSERT_NOT_NULL(test, ci);
	KUNIT_EXPECT_EQ(test, ci->flags & all, all);
	ci = scst_cdb_lookup(sense, sizeof(sense), TYPE_ROM);
	KUNIT_ASSERT_NOT_NULL(test, ci);
	KUNIT_EXPECT_EQ(test, ci->flags & all, all);
	ci = scst_cdb_lookup(read10, sizeof(read10), TYPE_DISK);
	KUNIT_ASSERT_NOT_NULL(test, ci);
	KUNIT_EXPECT_EQ(test, ci->flags & all, 0);

	/* An unmapped LUN sees only the commands valid for every type. */
	KUNIT_EXPECT_NOT_NULL(
	    test, scst_cdb_lookup(inquiry, sizeof(inquiry), TYPE_NO_LUN));
	KUNIT_EXPECT_NOT_NULL(test,
			      scst_cdb_lookup(luns, sizeof(luns), TYPE_NO_LUN));
	KUNIT_EXPECT_NULL(test,
			  scst_cdb_lookup(read10, sizeof(read10), TYPE_NO_LUN));
}

static void cdb_write_medium_flag(struct kunit *test)
{
	static const uint8_t writers[] = {
	    WRITE_6,	   WRITE_10,	    WRITE_12,	       WRITE_16,
	    WRITE_VERIFY,  WRITE_VERIFY_12, WRITE_VERIFY_16,   WRITE_SAME,
	    WRITE_SAME_16, UNMAP,	    COMPARE_AND_WRITE, FORMAT_UNIT,
	};
	static const uint8_t others[] = {
	    READ_6,	  READ_10,	     READ_16, VERIFY,
	    PRE_FETCH,	  SYNCHRONIZE_CACHE, INQUIRY, MODE_SELECT,
	    WRITE_BUFFER, TEST_UNIT_READY,
	};
	uint8_t cdb[16] = {0};
	unsigned int i;

	for (i = 0; i < sizeof(writers); i++) {
		const struct scst_cdb_info *ci;

		cdb[0] = writers[i];
		ci = scst_cdb_lookup(cdb, sizeof(cdb), TYPE_DISK);
		KUNIT_ASSERT_NOT_NULL(test, ci);
		KUNIT_EXPECT_TRUE_MSG(test, ci->flags & SCST_CDB_F_WRITE_MEDIUM,
				      "%s", ci->name);
	}
	for (i = 0; i < sizeof(others); i++) {
		const struct scst_cdb_info *ci;

		cdb[0] = others[i];
		ci = scst_cdb_lookup(cdb, sizeof(cdb), TYPE_DISK);
		KUNIT_ASSERT_NOT_NULL(test, ci);
		KUNIT_EXPECT_FALSE(test, ci->flags & SCST_CDB_F_WRITE_MEDIUM);
	}
}

static void cdb_start_stop_per_type(struct kunit *test)
{
	/* Byte 3 bits 3-2: POWER CONDITION MODIFIER (SBC-3) only. */
	const uint8_t cdb[6] = {START_STOP, 0x01, 0, 0x0c, 0x02, 0};
	const struct scst_cdb_info *disk, *rom;
	struct scst_cdb_result r;

	disk = scst_cdb_lookup(cdb, sizeof(cdb), TYPE_DISK);
	rom = scst_cdb_lookup(cdb, sizeof(cdb), TYPE_ROM);
	KUNIT_ASSERT_NOT_NULL(test, disk);
	KUNIT_ASSERT_NOT_NULL(test, rom);
	KUNIT_EXPECT_TRUE(test, disk != rom);

	KUNIT_EXPECT_EQ(test, scst_cdb_decode(cdb, 6, TYPE_DISK, 512, &r), 0);
	KUNIT_EXPECT_EQ(test, scst_cdb_decode(cdb, 6, TYPE_ROM, 2048, &r),
			-EINVAL);
	KUNIT_EXPECT_EQ(test, r.field_byte, 3);
	KUNIT_EXPECT_EQ(test, r.field_bit, 3);
}

/*
 * The SCSI-2 LUN field (byte 1 bits 7-5): ignored for tapes and changers
 * (mtx sets it to the changer's LUN), refused for disks, and never in
 * 16-byte CDBs.
 */
static void cdb_legacy_lun_field(struct kunit *test)
{
	const uint8_t res[12] = {READ_ELEMENT_STATUS,
				 0x40 | 0x10 | 0x02,
				 0,
				 0,
				 0,
				 4,
				 0,
				 0,
				 0x01,
				 0,
				 0,
				 0};
	const uint8_t tur[6] = {TEST_UNIT_READY, 0x40};
	uint8_t loc16[16] = {LOCATE_16, 0x80};
	struct scst_cdb_result r;

	KUNIT_EXPECT_EQ(
	    test, scst_cdb_decode(res, 12, TYPE_MEDIUM_CHANGER, 512, &r), 0);
	KUNIT_EXPECT_EQ(test, r.bufflen, 0x100u);
	KUNIT_EXPECT_EQ(test, scst_cdb_decode(tur, 6, TYPE_TAPE, 0, &r), 0);
	expect_invalid_field(test, tur, 6, 1, 6);
	KUNIT_EXPECT_EQ(test, scst_cdb_decode(loc16, 16, TYPE_TAPE, 0, &r),
			-EINVAL);
	KUNIT_EXPECT_EQ(test, r.field_byte, 1);
	KUNIT_EXPECT_EQ(test, r.field_bit, 7);
}

static struct kunit_case scst_cdb_test_cases[] = {
    KUNIT_CASE(cdb_legacy_lun_field),
    KUNIT_CASE(cdb_read6_len0_is_256),
    KUNIT_CASE(cdb_rw6),
    KUNIT_CASE(cdb_read10_block_sizes),
    KUNIT_CASE(cdb_read16_block_sizes),
    KUNIT_CASE(cdb_read12_write12),
    KUNIT_CASE(cdb_write_same_one_block),
    KUNIT_CASE(cdb_compare_and_write_twice),
    KUNIT_CASE(cdb_verify_bytchk),
    KUNIT_CASE(cdb_no_data_rows),
    KUNIT_CASE(cdb_byte_lengths),
    KUNIT_CASE(cdb_format_unit_data),
    KUNIT_CASE(cdb_unknown_opcode),
    KUNIT_CASE(cdb_unknown_service_action),
    KUNIT_CASE(cdb_reserved_bits),
    KUNIT_CASE(cdb_control_byte),
    KUNIT_CASE(cdb_oversized_transfer),
    KUNIT_CASE(cdb_short_cdb),
    KUNIT_CASE(cdb_core_flags),
    KUNIT_CASE(cdb_write_medium_flag),
    KUNIT_CASE(cdb_start_stop_per_type),
    {}};

static struct kunit_suite scst_cdb_test_suite = {
    .name = "scst_cdb",
    .test_cases = scst_cdb_test_cases,
};
kunit_test_suite(scst_cdb_test_suite);
