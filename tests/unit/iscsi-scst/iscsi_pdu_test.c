// SPDX-License-Identifier: GPL-2.0-only
/*
 * Unit tests of the iSCSI PDU codec (iscsi-scst/iscsi_pdu.c) and the
 * CRC32C digest (iscsi-scst/usr/iscsi_crc32c.c).
 */
#include <errno.h>
#include <stdint.h>
#include <string.h>

#include <kunit/test.h>

#include "scst/byteorder.h"
#include "scst/os.h"
#include "iscsi-scst/iscsi_pdu.h"

/* ------------------------------------------------------------ CRC32C ---- */

static void crc32c_rfc_vectors(struct kunit *test)
{
	uint8_t buf[48];
	unsigned int i;

	/* RFC 7143 appendix B.4 (ex-RFC 3720 B.4). */
	memset(buf, 0, 32);
	KUNIT_EXPECT_EQ(test, iscsi_crc32c(0, buf, 32), 0x8a9136aau);
	memset(buf, 0xff, 32);
	KUNIT_EXPECT_EQ(test, iscsi_crc32c(0, buf, 32), 0x62a8ab43u);
	for (i = 0; i < 32; i++)
		buf[i] = (uint8_t)i;
	KUNIT_EXPECT_EQ(test, iscsi_crc32c(0, buf, 32), 0x46dd794eu);
	for (i = 0; i < 32; i++)
		buf[i] = (uint8_t)(31 - i);
	KUNIT_EXPECT_EQ(test, iscsi_crc32c(0, buf, 32), 0x113fdb5cu);
	/* An iSCSI Read (10) command PDU, B.4's last vector. */
	{
		static const uint8_t pdu[48] = {
		    0x01, 0xc0, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00,
		    0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x14, 0x00, 0x00, 0x00,
		    0x00, 0x00, 0x04, 0x00, 0x00, 0x00, 0x00, 0x14, 0x00, 0x00,
		    0x00, 0x18, 0x28, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00,
		    0x02, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00,
		};
		KUNIT_EXPECT_EQ(test, iscsi_crc32c(0, pdu, 48), 0xd9963a56u);
	}
	/* Chaining equals one pass. */
	for (i = 0; i < 32; i++)
		buf[i] = (uint8_t)(i * 7);
	KUNIT_EXPECT_EQ(test,
			iscsi_crc32c(iscsi_crc32c(0, buf, 13), buf + 13, 19),
			iscsi_crc32c(0, buf, 32));
	KUNIT_EXPECT_EQ(test, iscsi_crc32c(0, buf, 0), 0u);
}

/* ------------------------------------------------------------ parsing ---- */

static void put_common(uint8_t *b, uint8_t op, uint8_t flags, uint8_t ahs,
		       uint32_t dsl, uint32_t itt)
{
	memset(b, 0, ISCSI_BHS_LEN);
	b[0] = op;
	b[1] = flags;
	b[4] = ahs;
	scst_put_be24(b + 5, dsl);
	scst_put_be32(b + 16, itt);
}

static int parse(const uint8_t *b, enum iscsi_phase ph, unsigned int fl,
		 struct iscsi_bhs_info *i, uint8_t *reason)
{
	return iscsi_pdu_parse_bhs(b, ph, fl, i, reason);
}

static void parse_scsi_cmd(struct kunit *test)
{
	struct iscsi_bhs_info i;
	uint8_t b[48], r;

	put_common(b, ISCSI_OP_SCSI_CMD | ISCSI_OP_IMMEDIATE,
		   0x80 | ISCSI_CMD_FLAG_WRITE | ISCSI_ATTR_ORDERED, 2, 512,
		   0x11223344);
	scst_put_be64(b + 8, 0x0001000000000000ull);
	scst_put_be32(b + 20, 4096);
	scst_put_be32(b + 24, 7);
	scst_put_be32(b + 28, 9);
	b[32] = 0x2a;
	b[47] = 0x5a;
	KUNIT_ASSERT_EQ(test, parse(b, ISCSI_PHASE_FULL_FEATURE, 0, &i, &r), 0);
	KUNIT_EXPECT_EQ(test, i.opcode, ISCSI_OP_SCSI_CMD);
	KUNIT_EXPECT_TRUE(test, i.immediate);
	KUNIT_EXPECT_TRUE(test, i.final);
	KUNIT_EXPECT_EQ(test, i.ahs_len, 8u);
	KUNIT_EXPECT_EQ(test, i.data_len, 512u);
	KUNIT_EXPECT_EQ(test, i.lun, 0x0001000000000000ull);
	KUNIT_EXPECT_EQ(test, i.itt, 0x11223344u);
	KUNIT_EXPECT_TRUE(test, i.cmd.write);
	KUNIT_EXPECT_FALSE(test, i.cmd.read);
	KUNIT_EXPECT_EQ(test, i.cmd.attr, ISCSI_ATTR_ORDERED);
	KUNIT_EXPECT_EQ(test, i.cmd.edtl, 4096u);
	KUNIT_EXPECT_EQ(test, i.cmd.cmdsn, 7u);
	KUNIT_EXPECT_EQ(test, i.cmd.expstatsn, 9u);
	KUNIT_EXPECT_EQ(test, i.cmd.cdb[0], 0x2a);
	KUNIT_EXPECT_EQ(test, i.cmd.cdb[15], 0x5a);

	/* Reserved attribute value 5: protocol error. */
	b[1] = 0x80 | ISCSI_CMD_FLAG_WRITE | 5;
	KUNIT_EXPECT_EQ(test, parse(b, ISCSI_PHASE_FULL_FEATURE, 0, &i, &r),
			-EPROTO);
	KUNIT_EXPECT_EQ(test, r, ISCSI_REJECT_PROTOCOL_ERROR);
	/* EDTL without a direction. */
	b[1] = 0x80;
	KUNIT_EXPECT_EQ(test, parse(b, ISCSI_PHASE_FULL_FEATURE, 0, &i, &r),
			-EPROTO);
	KUNIT_EXPECT_EQ(test, r, ISCSI_REJECT_INVALID_PDU_FIELD);
	/* Not during login, not in a discovery session. */
	b[1] = 0x80 | ISCSI_CMD_FLAG_READ;
	KUNIT_EXPECT_EQ(test, parse(b, ISCSI_PHASE_LOGIN, 0, &i, &r), -EPROTO);
	KUNIT_EXPECT_EQ(test, r, ISCSI_REJECT_PROTOCOL_ERROR);
	KUNIT_EXPECT_EQ(test, parse(b, ISCSI_PHASE_DISCOVERY, 0, &i, &r),
			-EPROTO);
	/* Reserved bytes 2-3: ignored, unless strict. */
	b[2] = 1;
	KUNIT_EXPECT_EQ(test, parse(b, ISCSI_PHASE_FULL_FEATURE, 0, &i, &r), 0);
	KUNIT_EXPECT_EQ(
	    test,
	    parse(b, ISCSI_PHASE_FULL_FEATURE, ISCSI_PARSE_STRICT, &i, &r),
	    -EPROTO);
	KUNIT_EXPECT_EQ(test, r, ISCSI_REJECT_INVALID_PDU_FIELD);
	b[2] = 0;
	b[0] |= 0x80; /* reserved bit of byte 0 */
	KUNIT_EXPECT_EQ(
	    test,
	    parse(b, ISCSI_PHASE_FULL_FEATURE, ISCSI_PARSE_STRICT, &i, &r),
	    -EPROTO);
}

static void parse_data_out(struct kunit *test)
{
	struct iscsi_bhs_info i;
	uint8_t b[48], r;

	put_common(b, ISCSI_OP_SCSI_DATA_OUT, 0x80, 0, 8192, 5);
	scst_put_be64(b + 8, 3);
	scst_put_be32(b + 20, 0x77);
	scst_put_be32(b + 28, 12);
	scst_put_be32(b + 36, 2);
	scst_put_be32(b + 40, 16384);
	KUNIT_ASSERT_EQ(
	    test,
	    parse(b, ISCSI_PHASE_FULL_FEATURE, ISCSI_PARSE_STRICT, &i, &r), 0);
	KUNIT_EXPECT_EQ(test, i.data_out.ttt, 0x77u);
	KUNIT_EXPECT_EQ(test, i.data_out.expstatsn, 12u);
	KUNIT_EXPECT_EQ(test, i.data_out.datasn, 2u);
	KUNIT_EXPECT_EQ(test, i.data_out.offset, 16384u);
	KUNIT_EXPECT_EQ(test, i.lun, 3ull);
	b[44] = 1; /* reserved */
	KUNIT_EXPECT_EQ(
	    test,
	    parse(b, ISCSI_PHASE_FULL_FEATURE, ISCSI_PARSE_STRICT, &i, &r),
	    -EPROTO);
}

static void parse_nop_out(struct kunit *test)
{
	struct iscsi_bhs_info i;
	uint8_t b[48], r;

	put_common(b, ISCSI_OP_NOP_OUT | ISCSI_OP_IMMEDIATE, 0x80, 0, 0,
		   0xffffffff);
	scst_put_be32(b + 20, 0x1234);
	scst_put_be32(b + 24, 100);
	scst_put_be32(b + 28, 200);
	KUNIT_ASSERT_EQ(test, parse(b, ISCSI_PHASE_DISCOVERY, 0, &i, &r), 0);
	KUNIT_EXPECT_EQ(test, i.nop_out.ttt, 0x1234u);
	KUNIT_EXPECT_EQ(test, i.nop_out.cmdsn, 100u);
	KUNIT_EXPECT_EQ(test, i.nop_out.expstatsn, 200u);
	/* ITT 0xffffffff without the I bit. */
	b[0] = ISCSI_OP_NOP_OUT;
	KUNIT_EXPECT_EQ(test, parse(b, ISCSI_PHASE_FULL_FEATURE, 0, &i, &r),
			-EPROTO);
	KUNIT_EXPECT_EQ(test, r, ISCSI_REJECT_INVALID_PDU_FIELD);
}

static void parse_tmf(struct kunit *test)
{
	struct iscsi_bhs_info i;
	uint8_t b[48], r;

	put_common(b, ISCSI_OP_TMF_REQ | ISCSI_OP_IMMEDIATE,
		   0x80 | ISCSI_TMF_ABORT_TASK, 0, 0, 9);
	scst_put_be32(b + 20, 8);
	scst_put_be32(b + 24, 30);
	scst_put_be32(b + 28, 31);
	scst_put_be32(b + 32, 29);
	scst_put_be32(b + 36, 4);
	KUNIT_ASSERT_EQ(
	    test,
	    parse(b, ISCSI_PHASE_FULL_FEATURE, ISCSI_PARSE_STRICT, &i, &r), 0);
	KUNIT_EXPECT_EQ(test, i.tmf.function, ISCSI_TMF_ABORT_TASK);
	KUNIT_EXPECT_EQ(test, i.tmf.rtt, 8u);
	KUNIT_EXPECT_EQ(test, i.tmf.cmdsn, 30u);
	KUNIT_EXPECT_EQ(test, i.tmf.expstatsn, 31u);
	KUNIT_EXPECT_EQ(test, i.tmf.refcmdsn, 29u);
	KUNIT_EXPECT_EQ(test, i.tmf.expdatasn, 4u);
	b[1] = 0x80 | 9; /* reserved function code */
	KUNIT_EXPECT_EQ(test, parse(b, ISCSI_PHASE_FULL_FEATURE, 0, &i, &r),
			-EPROTO);
	KUNIT_EXPECT_EQ(test, r, ISCSI_REJECT_PROTOCOL_ERROR);
	b[1] = 0x80;
	KUNIT_EXPECT_EQ(test, parse(b, ISCSI_PHASE_FULL_FEATURE, 0, &i, &r),
			-EPROTO);
}

static void parse_login(struct kunit *test)
{
	static const uint8_t isid[6] = {0x80, 1, 2, 3, 4, 5};
	struct iscsi_bhs_info i;
	uint8_t b[48], r;

	put_common(b, ISCSI_OP_LOGIN_REQ | ISCSI_OP_IMMEDIATE,
		   ISCSI_LOGIN_FLAG_TRANSIT | (1 << 2) | 3, 0, 100, 0x42);
	b[2] = 0;
	b[3] = 0;
	memcpy(b + 8, isid, 6);
	scst_put_be16(b + 14, 0x0102);
	scst_put_be16(b + 20, 7);
	scst_put_be32(b + 24, 1);
	scst_put_be32(b + 28, 2);
	KUNIT_ASSERT_EQ(
	    test, parse(b, ISCSI_PHASE_LOGIN, ISCSI_PARSE_STRICT, &i, &r), 0);
	KUNIT_EXPECT_TRUE(test, i.login.transit);
	KUNIT_EXPECT_FALSE(test, i.login.cont);
	KUNIT_EXPECT_EQ(test, i.login.csg, 1);
	KUNIT_EXPECT_EQ(test, i.login.nsg, 3);
	KUNIT_EXPECT_MEMEQ(test, i.login.isid, isid, 6);
	KUNIT_EXPECT_EQ(test, i.login.tsih, 0x0102);
	KUNIT_EXPECT_EQ(test, i.login.cid, 7);
	KUNIT_EXPECT_EQ(test, i.login.cmdsn, 1u);
	KUNIT_EXPECT_EQ(test, i.login.expstatsn, 2u);
	KUNIT_EXPECT_EQ(test, i.data_len, 100u);
	/* Login in the full feature phase: protocol error. */
	KUNIT_EXPECT_EQ(test, parse(b, ISCSI_PHASE_FULL_FEATURE, 0, &i, &r),
			-EPROTO);
	KUNIT_EXPECT_EQ(test, r, ISCSI_REJECT_PROTOCOL_ERROR);
	/* T and C together; reserved stage 2. */
	b[1] = ISCSI_LOGIN_FLAG_TRANSIT | ISCSI_LOGIN_FLAG_CONTINUE | 1;
	KUNIT_EXPECT_EQ(test, parse(b, ISCSI_PHASE_LOGIN, 0, &i, &r), -EPROTO);
	b[1] = (2 << 2);
	KUNIT_EXPECT_EQ(test, parse(b, ISCSI_PHASE_LOGIN, 0, &i, &r), -EPROTO);
	b[1] = ISCSI_LOGIN_FLAG_TRANSIT | 2;
	KUNIT_EXPECT_EQ(test, parse(b, ISCSI_PHASE_LOGIN, 0, &i, &r), -EPROTO);
	KUNIT_EXPECT_EQ(test, r, ISCSI_REJECT_PROTOCOL_ERROR);
}

static void parse_text_logout_snack(struct kunit *test)
{
	struct iscsi_bhs_info i;
	uint8_t b[48], r;

	put_common(b, ISCSI_OP_TEXT_REQ, ISCSI_TEXT_FLAG_CONTINUE, 0, 20, 3);
	scst_put_be32(b + 20, 0xffffffff);
	scst_put_be32(b + 24, 5);
	scst_put_be32(b + 28, 6);
	KUNIT_ASSERT_EQ(test, parse(b, ISCSI_PHASE_DISCOVERY, 0, &i, &r), 0);
	KUNIT_EXPECT_TRUE(test, i.text.cont);
	KUNIT_EXPECT_FALSE(test, i.final);
	KUNIT_EXPECT_EQ(test, i.text.ttt, 0xffffffffu);
	KUNIT_EXPECT_EQ(test, i.text.cmdsn, 5u);
	KUNIT_EXPECT_EQ(test, i.text.expstatsn, 6u);
	b[1] = 0x80 | ISCSI_TEXT_FLAG_CONTINUE;
	KUNIT_EXPECT_EQ(test, parse(b, ISCSI_PHASE_DISCOVERY, 0, &i, &r),
			-EPROTO);

	put_common(b, ISCSI_OP_LOGOUT_REQ | ISCSI_OP_IMMEDIATE,
		   0x80 | ISCSI_LOGOUT_CLOSE_CONN, 0, 0, 4);
	scst_put_be16(b + 20, 3);
	scst_put_be32(b + 24, 10);
	scst_put_be32(b + 28, 11);
	KUNIT_ASSERT_EQ(test, parse(b, ISCSI_PHASE_DISCOVERY, 0, &i, &r), 0);
	KUNIT_EXPECT_EQ(test, i.logout.reason, ISCSI_LOGOUT_CLOSE_CONN);
	KUNIT_EXPECT_EQ(test, i.logout.cid, 3);
	KUNIT_EXPECT_EQ(test, i.logout.cmdsn, 10u);
	KUNIT_EXPECT_EQ(test, i.logout.expstatsn, 11u);
	b[1] = 0x80 | 3;
	KUNIT_EXPECT_EQ(test, parse(b, ISCSI_PHASE_FULL_FEATURE, 0, &i, &r),
			-EPROTO);
	KUNIT_EXPECT_EQ(test, r, ISCSI_REJECT_PROTOCOL_ERROR);

	put_common(b, ISCSI_OP_SNACK_REQ, 0x80 | ISCSI_SNACK_STATUS, 0, 0,
		   0xffffffff);
	scst_put_be32(b + 20, 0xffffffff);
	scst_put_be32(b + 28, 50);
	scst_put_be32(b + 40, 48);
	scst_put_be32(b + 44, 2);
	KUNIT_ASSERT_EQ(test, parse(b, ISCSI_PHASE_FULL_FEATURE, 0, &i, &r), 0);
	KUNIT_EXPECT_EQ(test, i.snack.type, ISCSI_SNACK_STATUS);
	KUNIT_EXPECT_EQ(test, i.snack.expstatsn, 50u);
	KUNIT_EXPECT_EQ(test, i.snack.begrun, 48u);
	KUNIT_EXPECT_EQ(test, i.snack.runlength, 2u);
	b[1] = 0x80 | 4;
	KUNIT_EXPECT_EQ(test, parse(b, ISCSI_PHASE_FULL_FEATURE, 0, &i, &r),
			-EPROTO);
}

static void parse_bad_opcodes(struct kunit *test)
{
	struct iscsi_bhs_info i;
	uint8_t b[48], r;

	put_common(b, ISCSI_OP_VENDOR1_CMD, 0x80, 0, 0, 1);
	KUNIT_EXPECT_EQ(test, parse(b, ISCSI_PHASE_FULL_FEATURE, 0, &i, &r),
			-EPROTO);
	KUNIT_EXPECT_EQ(test, r, ISCSI_REJECT_CMD_NOT_SUPPORTED);
	put_common(b, ISCSI_OP_SCSI_RSP, 0x80, 0, 0, 1);
	KUNIT_EXPECT_EQ(test, parse(b, ISCSI_PHASE_FULL_FEATURE, 0, &i, &r),
			-EPROTO);
	KUNIT_EXPECT_EQ(test, r, ISCSI_REJECT_PROTOCOL_ERROR);
	KUNIT_EXPECT_STREQ(test, iscsi_opcode_name(ISCSI_OP_R2T), "R2T");
	KUNIT_EXPECT_STREQ(test, iscsi_opcode_name(0x1f), "unknown");
}

/* ----------------------------------------------------- length checks ---- */

static void lengths_login_and_ffp(struct kunit *test)
{
	struct iscsi_pdu_limits login,
	    ffp = {.max_recv_dsl = 65536, .max_ahs_len = 64};
	struct iscsi_bhs_info i;
	uint8_t b[48], r;

	iscsi_pdu_login_limits(&login);
	put_common(b, ISCSI_OP_LOGIN_REQ | ISCSI_OP_IMMEDIATE, 0x81, 0, 8192,
		   1);
	KUNIT_ASSERT_EQ(test, parse(b, ISCSI_PHASE_LOGIN, 0, &i, &r), 0);
	KUNIT_EXPECT_EQ(test, iscsi_pdu_check_lengths(&i, &login, &r), 0);
	/* One byte over 8192 before login completes (tgt's CVE-2011-0001). */
	scst_put_be24(b + 5, 8193);
	KUNIT_ASSERT_EQ(test, parse(b, ISCSI_PHASE_LOGIN, 0, &i, &r), 0);
	KUNIT_EXPECT_EQ(test, iscsi_pdu_check_lengths(&i, &login, &r),
			-EMSGSIZE);
	KUNIT_EXPECT_EQ(test, r, ISCSI_REJECT_PROTOCOL_ERROR);
	scst_put_be24(b + 5, 0xffffff);
	KUNIT_ASSERT_EQ(test, parse(b, ISCSI_PHASE_LOGIN, 0, &i, &r), 0);
	KUNIT_EXPECT_EQ(test, iscsi_pdu_check_lengths(&i, &login, &r),
			-EMSGSIZE);
	/* Any AHS during login. */
	scst_put_be24(b + 5, 0);
	b[4] = 255;
	KUNIT_ASSERT_EQ(test, parse(b, ISCSI_PHASE_LOGIN, 0, &i, &r), 0);
	KUNIT_EXPECT_EQ(test, iscsi_pdu_check_lengths(&i, &login, &r),
			-EMSGSIZE);

	/* Full feature phase: AHS on a command up to the limit only. */
	put_common(b, ISCSI_OP_SCSI_CMD, 0x80 | ISCSI_CMD_FLAG_WRITE, 16, 65536,
		   1);
	KUNIT_ASSERT_EQ(test, parse(b, ISCSI_PHASE_FULL_FEATURE, 0, &i, &r), 0);
	KUNIT_EXPECT_EQ(test, iscsi_pdu_check_lengths(&i, &ffp, &r), 0);
	b[4] = 17;
	KUNIT_ASSERT_EQ(test, parse(b, ISCSI_PHASE_FULL_FEATURE, 0, &i, &r), 0);
	KUNIT_EXPECT_EQ(test, iscsi_pdu_check_lengths(&i, &ffp, &r), -EMSGSIZE);
	b[4] = 0;
	scst_put_be24(b + 5, 65537);
	KUNIT_ASSERT_EQ(test, parse(b, ISCSI_PHASE_FULL_FEATURE, 0, &i, &r), 0);
	KUNIT_EXPECT_EQ(test, iscsi_pdu_check_lengths(&i, &ffp, &r), -EMSGSIZE);
	/* Immediate data on a read. */
	b[1] = 0x80 | ISCSI_CMD_FLAG_READ;
	scst_put_be24(b + 5, 512);
	KUNIT_ASSERT_EQ(test, parse(b, ISCSI_PHASE_FULL_FEATURE, 0, &i, &r), 0);
	KUNIT_EXPECT_EQ(test, iscsi_pdu_check_lengths(&i, &ffp, &r), -EPROTO);
	/* Data or AHS where the opcode has none. */
	put_common(b, ISCSI_OP_TMF_REQ, 0x85, 0, 4, 1);
	KUNIT_ASSERT_EQ(test, parse(b, ISCSI_PHASE_FULL_FEATURE, 0, &i, &r), 0);
	KUNIT_EXPECT_EQ(test, iscsi_pdu_check_lengths(&i, &ffp, &r), -EPROTO);
	put_common(b, ISCSI_OP_NOP_OUT, 0x80, 1, 0, 1);
	KUNIT_ASSERT_EQ(test, parse(b, ISCSI_PHASE_FULL_FEATURE, 0, &i, &r), 0);
	KUNIT_EXPECT_EQ(test, iscsi_pdu_check_lengths(&i, &ffp, &r), -EPROTO);
}

/* ----------------------------------------------------------- builders ---- */

static const struct iscsi_sn test_sn = {
    .statsn = 0x01020304, .expcmdsn = 0x05060708, .maxcmdsn = 0x090a0b0c};

static void expect_sn(struct kunit *test, const uint8_t *b)
{
	static const uint8_t sn[12] = {1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12};

	KUNIT_EXPECT_MEMEQ(test, b + 24, sn, 12);
}

static void build_scsi_rsp(struct kunit *test)
{
	struct iscsi_scsi_rsp p = {.itt = 0xaabbccdd,
				   .status = 0x02,
				   .underflow = true,
				   .residual = 512,
				   .expdatasn = 3,
				   .data_len = 20,
				   .sn = test_sn};
	static const uint8_t sense[18] = {0x70, 0, 5, 0, 0, 0, 0, 10};
	uint8_t b[48], seg[24];

	KUNIT_ASSERT_EQ(test, iscsi_build_scsi_rsp(b, &p), 0);
	KUNIT_EXPECT_EQ(test, b[0], 0x21);
	KUNIT_EXPECT_EQ(test, b[1], 0x82);
	KUNIT_EXPECT_EQ(test, b[2], 0);
	KUNIT_EXPECT_EQ(test, b[3], 2);
	KUNIT_EXPECT_EQ(test, b[4], 0);
	KUNIT_EXPECT_EQ(test, scst_get_be24(b + 5), 20u);
	KUNIT_EXPECT_EQ(test, scst_get_be32(b + 16), 0xaabbccddu);
	expect_sn(test, b);
	KUNIT_EXPECT_EQ(test, scst_get_be32(b + 36), 3u);
	KUNIT_EXPECT_EQ(test, scst_get_be32(b + 40), 0u);
	KUNIT_EXPECT_EQ(test, scst_get_be32(b + 44), 512u);
	p.overflow = true;
	KUNIT_EXPECT_EQ(test, iscsi_build_scsi_rsp(b, &p), -EINVAL);

	KUNIT_EXPECT_EQ(
	    test, iscsi_build_sense_segment(seg, sizeof(seg), sense, 18), 20);
	KUNIT_EXPECT_EQ(test, scst_get_be16(seg), 18);
	KUNIT_EXPECT_MEMEQ(test, seg + 2, sense, 18);
	KUNIT_EXPECT_EQ(test, iscsi_build_sense_segment(seg, 19, sense, 18),
			-ENOSPC);
}

static void build_data_in_r2t(struct kunit *test)
{
	struct iscsi_data_in d = {.lun = 0x0002000000000000ull,
				  .itt = 7,
				  .ttt = 0xffffffff,
				  .datasn = 4,
				  .offset = 8192,
				  .data_len = 4096,
				  .final = true,
				  .has_status = true,
				  .status = 0,
				  .underflow = true,
				  .residual = 100,
				  .sn = test_sn};
	struct iscsi_r2t t = {.lun = 1,
			      .itt = 8,
			      .ttt = 0x10,
			      .r2tsn = 2,
			      .offset = 65536,
			      .ddtl = 262144,
			      .sn = test_sn};
	uint8_t b[48];

	KUNIT_ASSERT_EQ(test, iscsi_build_data_in(b, &d), 0);
	KUNIT_EXPECT_EQ(test, b[0], 0x25);
	KUNIT_EXPECT_EQ(test, b[1], 0x83);
	KUNIT_EXPECT_EQ(test, scst_get_be24(b + 5), 4096u);
	KUNIT_EXPECT_EQ(test, scst_get_be64(b + 8), 0x0002000000000000ull);
	KUNIT_EXPECT_EQ(test, scst_get_be32(b + 20), 0xffffffffu);
	expect_sn(test, b);
	KUNIT_EXPECT_EQ(test, scst_get_be32(b + 36), 4u);
	KUNIT_EXPECT_EQ(test, scst_get_be32(b + 40), 8192u);
	KUNIT_EXPECT_EQ(test, scst_get_be32(b + 44), 100u);
	/* Without status: no StatSN, no residual. */
	d.has_status = false;
	d.underflow = false;
	d.final = false;
	KUNIT_ASSERT_EQ(test, iscsi_build_data_in(b, &d), 0);
	KUNIT_EXPECT_EQ(test, b[1], 0x00);
	KUNIT_EXPECT_EQ(test, scst_get_be32(b + 24), 0u);
	KUNIT_EXPECT_EQ(test, scst_get_be32(b + 44), 0u);
	/* S without F; U without S. */
	d.has_status = true;
	KUNIT_EXPECT_EQ(test, iscsi_build_data_in(b, &d), -EINVAL);
	d.has_status = false;
	d.final = true;
	d.underflow = true;
	KUNIT_EXPECT_EQ(test, iscsi_build_data_in(b, &d), -EINVAL);

	KUNIT_ASSERT_EQ(test, iscsi_build_r2t(b, &t), 0);
	KUNIT_EXPECT_EQ(test, b[0], 0x31);
	KUNIT_EXPECT_EQ(test, b[1], 0x80);
	KUNIT_EXPECT_EQ(test, scst_get_be24(b + 5), 0u);
	KUNIT_EXPECT_EQ(test, scst_get_be64(b + 8), 1ull);
	KUNIT_EXPECT_EQ(test, scst_get_be32(b + 16), 8u);
	KUNIT_EXPECT_EQ(test, scst_get_be32(b + 20), 0x10u);
	expect_sn(test, b);
	KUNIT_EXPECT_EQ(test, scst_get_be32(b + 36), 2u);
	KUNIT_EXPECT_EQ(test, scst_get_be32(b + 40), 65536u);
	KUNIT_EXPECT_EQ(test, scst_get_be32(b + 44), 262144u);
	t.ddtl = 0;
	KUNIT_EXPECT_EQ(test, iscsi_build_r2t(b, &t), -EINVAL);
}

static void build_small_responses(struct kunit *test)
{
	struct iscsi_nop_in n = {.lun = 0,
				 .itt = 0xffffffff,
				 .ttt = 0x55,
				 .data_len = 0,
				 .sn = test_sn};
	struct iscsi_tmf_rsp m = {
	    .itt = 9, .response = ISCSI_TMF_RSP_NO_TASK, .sn = test_sn};
	struct iscsi_logout_rsp l = {.itt = 4,
				     .response = 0,
				     .time2wait = 2,
				     .time2retain = 20,
				     .sn = test_sn};
	struct iscsi_async_msg a = {.lun = 5,
				    .event = ISCSI_ASYNC_REQ_LOGOUT,
				    .param3 = 10,
				    .sn = test_sn};
	struct iscsi_text_rsp t = {.final = true,
				   .itt = 3,
				   .ttt = 0xffffffff,
				   .data_len = 30,
				   .sn = test_sn};
	uint8_t b[48];
	unsigned int i;

	KUNIT_ASSERT_EQ(test, iscsi_build_nop_in(b, &n), 0);
	KUNIT_EXPECT_EQ(test, b[0], 0x20);
	KUNIT_EXPECT_EQ(test, b[1], 0x80);
	KUNIT_EXPECT_EQ(test, scst_get_be32(b + 16), 0xffffffffu);
	KUNIT_EXPECT_EQ(test, scst_get_be32(b + 20), 0x55u);
	expect_sn(test, b);

	KUNIT_ASSERT_EQ(test, iscsi_build_tmf_rsp(b, &m), 0);
	KUNIT_EXPECT_EQ(test, b[0], 0x22);
	KUNIT_EXPECT_EQ(test, b[1], 0x80);
	KUNIT_EXPECT_EQ(test, b[2], 1);
	for (i = 36; i < 48; i++)
		KUNIT_EXPECT_EQ(test, b[i], 0);
	m.response = 7;
	KUNIT_EXPECT_EQ(test, iscsi_build_tmf_rsp(b, &m), -EINVAL);

	KUNIT_ASSERT_EQ(test, iscsi_build_logout_rsp(b, &l), 0);
	KUNIT_EXPECT_EQ(test, b[0], 0x26);
	KUNIT_EXPECT_EQ(test, scst_get_be16(b + 40), 2);
	KUNIT_EXPECT_EQ(test, scst_get_be16(b + 42), 20);
	expect_sn(test, b);

	KUNIT_ASSERT_EQ(test, iscsi_build_async_msg(b, &a), 0);
	KUNIT_EXPECT_EQ(test, b[0], 0x32);
	KUNIT_EXPECT_EQ(test, scst_get_be64(b + 8), 5ull);
	KUNIT_EXPECT_EQ(test, scst_get_be32(b + 16), 0xffffffffu);
	KUNIT_EXPECT_EQ(test, b[36], 1);
	KUNIT_EXPECT_EQ(test, scst_get_be16(b + 42), 10);

	KUNIT_ASSERT_EQ(test, iscsi_build_text_rsp(b, &t), 0);
	KUNIT_EXPECT_EQ(test, b[0], 0x24);
	KUNIT_EXPECT_EQ(test, b[1], 0x80);
	KUNIT_EXPECT_EQ(test, scst_get_be24(b + 5), 30u);
	t.cont = true;
	KUNIT_EXPECT_EQ(test, iscsi_build_text_rsp(b, &t), -EINVAL);
}

static void build_login_and_reject(struct kunit *test)
{
	struct iscsi_login_rsp l = {.transit = true,
				    .csg = 1,
				    .nsg = 3,
				    .isid = {0x80, 1, 2, 3, 4, 5},
				    .tsih = 0x10,
				    .itt = 0x42,
				    .data_len = 77,
				    .sn = test_sn};
	struct iscsi_reject rj = {.reason = ISCSI_REJECT_PROTOCOL_ERROR,
				  .sn = test_sn};
	uint8_t b[48], bad[48], data[48];

	KUNIT_ASSERT_EQ(test, iscsi_build_login_rsp(b, &l), 0);
	KUNIT_EXPECT_EQ(test, b[0], 0x23);
	KUNIT_EXPECT_EQ(test, b[1], 0x87);
	KUNIT_EXPECT_EQ(test, b[2], 0);
	KUNIT_EXPECT_EQ(test, b[3], 0);
	KUNIT_EXPECT_EQ(test, scst_get_be24(b + 5), 77u);
	KUNIT_EXPECT_EQ(test, b[8], 0x80);
	KUNIT_EXPECT_EQ(test, b[13], 5);
	KUNIT_EXPECT_EQ(test, scst_get_be16(b + 14), 0x10);
	KUNIT_EXPECT_EQ(test, scst_get_be32(b + 16), 0x42u);
	expect_sn(test, b);
	KUNIT_EXPECT_EQ(test, b[36], 0);
	KUNIT_EXPECT_EQ(test, b[37], 0);
	/* Not transiting: NSG not written. Failure status. */
	l.transit = false;
	l.status_class = ISCSI_STATUS_CLS_INITIATOR_ERR;
	l.status_detail = ISCSI_LOGIN_STATUS_AUTH_FAILED;
	KUNIT_ASSERT_EQ(test, iscsi_build_login_rsp(b, &l), 0);
	KUNIT_EXPECT_EQ(test, b[1], 0x04);
	KUNIT_EXPECT_EQ(test, b[36], 2);
	KUNIT_EXPECT_EQ(test, b[37], 1);
	l.transit = true;
	l.cont = true;
	KUNIT_EXPECT_EQ(test, iscsi_build_login_rsp(b, &l), -EINVAL);
	l.cont = false;
	l.nsg = 2;
	KUNIT_EXPECT_EQ(test, iscsi_build_login_rsp(b, &l), -EINVAL);

	memset(bad, 0xa5, sizeof(bad));
	KUNIT_ASSERT_EQ(test, iscsi_build_reject(b, &rj, bad, data), 0);
	KUNIT_EXPECT_EQ(test, b[0], 0x3f);
	KUNIT_EXPECT_EQ(test, b[1], 0x80);
	KUNIT_EXPECT_EQ(test, b[2], ISCSI_REJECT_PROTOCOL_ERROR);
	KUNIT_EXPECT_EQ(test, scst_get_be24(b + 5), 48u);
	KUNIT_EXPECT_EQ(test, scst_get_be32(b + 16), 0xffffffffu);
	expect_sn(test, b);
	KUNIT_EXPECT_MEMEQ(test, data, bad, 48);
	rj.reason = 1;
	KUNIT_EXPECT_EQ(test, iscsi_build_reject(b, &rj, bad, data), -EINVAL);
}

/* ------------------------------------------------------- the receiver ---- */

static void put_le32(uint8_t *p, uint32_t v)
{
	p[0] = (uint8_t)v;
	p[1] = (uint8_t)(v >> 8);
	p[2] = (uint8_t)(v >> 16);
	p[3] = (uint8_t)(v >> 24);
}

/* Append a PDU (BHS, AHS of @ahs words, data @dsl) with digests. */
static size_t make_pdu(uint8_t *out, uint8_t op, uint8_t flags, uint8_t ahs,
		       uint32_t dsl, uint32_t itt, bool hd, bool dd)
{
	size_t len = ISCSI_BHS_LEN + ahs * 4u, i;

	put_common(out, op, flags, ahs, dsl, itt);
	for (i = ISCSI_BHS_LEN; i < len; i++)
		out[i] = (uint8_t)i;
	if (hd) {
		put_le32(out + len, iscsi_crc32c(0, out, len));
		len += 4;
	}
	for (i = 0; i < iscsi_pad4(dsl); i++)
		out[len + i] = i < dsl ? (uint8_t)(i * 3 + itt) : 0;
	if (dsl) {
		if (dd)
			put_le32(out + len + iscsi_pad4(dsl),
				 iscsi_crc32c(0, out + len, iscsi_pad4(dsl)));
		len += iscsi_pad4(dsl) + (dd ? 4 : 0);
	}
	return len;
}

/* Build a stream of three PDUs. */
static size_t make_stream(uint8_t *s, bool hd, bool dd)
{
	size_t n = 0;

	n += make_pdu(s + n, ISCSI_OP_SCSI_CMD, 0x80 | ISCSI_CMD_FLAG_WRITE, 5,
		      1001, 1, hd, dd);
	n += make_pdu(s + n, ISCSI_OP_NOP_OUT, 0x80, 0, 0, 2, hd, dd);
	n += make_pdu(s + n, ISCSI_OP_SCSI_DATA_OUT, 0x80, 0, 4096, 1, hd, dd);
	return n;
}

struct rx_result {
	unsigned int npdus;
	uint32_t itt[4], dsl[4], ahs[4], sum[4];
	uint8_t reject[4];
};

static void feed_all(struct kunit *test, const uint8_t *s, size_t len,
		     size_t chunk, bool hd, bool dd, struct rx_result *res)
{
	struct iscsi_pdu_limits lim = {.max_recv_dsl = 8192, .max_ahs_len = 64};
	struct iscsi_rx rx;
	size_t pos = 0;

	memset(res, 0, sizeof(*res));
	iscsi_rx_init(&rx, ISCSI_PHASE_FULL_FEATURE, &lim, hd, dd);
	while (pos < len) {
		size_t n = len - pos < chunk ? len - pos : chunk;
		const struct iscsi_rx_pdu *pdu;

		pos += iscsi_rx_feed(&rx, s + pos, n);
		KUNIT_ASSERT_NE(test, rx.state, ISCSI_RX_ERROR);
		pdu = iscsi_rx_pdu(&rx);
		if (pdu) {
			unsigned int k = res->npdus++;
			uint32_t i, sum = 0;

			KUNIT_ASSERT_LT(test, k, 4u);
			res->itt[k] = pdu->info.itt;
			res->dsl[k] = pdu->info.data_len;
			res->ahs[k] = pdu->info.ahs_len;
			res->reject[k] = pdu->reject_reason;
			for (i = 0; i < pdu->info.data_len; i++)
				sum = sum * 31 + pdu->data[i];
			res->sum[k] = sum;
			iscsi_rx_next(&rx);
		}
	}
	KUNIT_EXPECT_EQ(test, rx.state, ISCSI_RX_AWAIT_BHS);
	iscsi_rx_destroy(&rx);
}

static void rx_byte_by_byte_equals_chunks(struct kunit *test)
{
	static const size_t chunks[] = {1, 3, 47, 48, 49, 1000, 1 << 16};
	uint8_t *s = kunit_kzalloc(test, 16384, GFP_KERNEL);
	struct rx_result ref, got;
	unsigned int d, c;

	KUNIT_ASSERT_NOT_NULL(test, s);
	for (d = 0; d < 4; d++) {
		bool hd = d & 1, dd = d & 2;
		size_t len = make_stream(s, hd, dd);

		feed_all(test, s, len, 1, hd, dd, &ref);
		KUNIT_ASSERT_EQ(test, ref.npdus, 3u);
		KUNIT_EXPECT_EQ(test, ref.itt[0], 1u);
		KUNIT_EXPECT_EQ(test, ref.dsl[0], 1001u);
		KUNIT_EXPECT_EQ(test, ref.ahs[0], 20u);
		KUNIT_EXPECT_EQ(test, ref.itt[1], 2u);
		KUNIT_EXPECT_EQ(test, ref.dsl[1], 0u);
		KUNIT_EXPECT_EQ(test, ref.dsl[2], 4096u);
		KUNIT_EXPECT_EQ(test, ref.reject[0], 0);
		KUNIT_EXPECT_EQ(test, ref.reject[2], 0);
		for (c = 0; c < sizeof(chunks) / sizeof(chunks[0]); c++) {
			feed_all(test, s, len, chunks[c], hd, dd, &got);
			KUNIT_EXPECT_MEMEQ(test, &got, &ref, sizeof(ref));
		}
	}
}

static void rx_digest_errors(struct kunit *test)
{
	struct iscsi_pdu_limits lim = {.max_recv_dsl = 8192, .max_ahs_len = 64};
	uint8_t *s = kunit_kzalloc(test, 16384, GFP_KERNEL);
	const struct iscsi_rx_pdu *pdu;
	struct iscsi_rx rx;
	size_t len, used;

	KUNIT_ASSERT_NOT_NULL(test, s);
	/* A data digest error: the PDU comes with reason DATA_DIGEST. */
	len = make_pdu(s, ISCSI_OP_SCSI_DATA_OUT, 0x80, 0, 100, 1, true, true);
	s[48 + 4 + 10] ^= 1;
	iscsi_rx_init(&rx, ISCSI_PHASE_FULL_FEATURE, &lim, true, true);
	used = iscsi_rx_feed(&rx, s, len);
	KUNIT_EXPECT_EQ(test, used, len);
	pdu = iscsi_rx_pdu(&rx);
	KUNIT_ASSERT_NOT_NULL(test, pdu);
	KUNIT_EXPECT_EQ(test, pdu->reject_reason, ISCSI_REJECT_DATA_DIGEST);
	iscsi_rx_next(&rx);
	/* A header digest error ends the stream. */
	len = make_pdu(s, ISCSI_OP_SCSI_DATA_OUT, 0x80, 0, 100, 1, true, true);
	s[20] ^= 1;
	used = iscsi_rx_feed(&rx, s, len);
	KUNIT_EXPECT_EQ(test, rx.state, ISCSI_RX_ERROR);
	KUNIT_EXPECT_EQ(test, rx.error, ISCSI_RX_ERR_HDIGEST);
	KUNIT_EXPECT_EQ(test, used, 52u);
	KUNIT_EXPECT_EQ(test, iscsi_rx_feed(&rx, s, len), 0u);
	iscsi_rx_destroy(&rx);
}

static void rx_oversized_refused_without_allocation(struct kunit *test)
{
	struct iscsi_pdu_limits lim;
	struct scst_os_mem_stats before, after;
	const struct iscsi_rx_pdu *pdu;
	struct iscsi_rx rx;
	uint8_t b[64];

	iscsi_pdu_login_limits(&lim);
	scst_os_mem_stats(&before);
	iscsi_rx_init(&rx, ISCSI_PHASE_LOGIN, &lim, false, false);
	put_common(b, ISCSI_OP_LOGIN_REQ | ISCSI_OP_IMMEDIATE, 0x81, 0,
		   0xffffff, 1);
	KUNIT_EXPECT_EQ(test, iscsi_rx_feed(&rx, b, 48), 48u);
	KUNIT_EXPECT_EQ(test, rx.state, ISCSI_RX_ERROR);
	KUNIT_EXPECT_EQ(test, rx.error, ISCSI_RX_ERR_LENGTH);
	KUNIT_EXPECT_NULL(test, rx.data);
	scst_os_mem_stats(&after);
	KUNIT_EXPECT_EQ(test, after.heap_bytes, before.heap_bytes);
	iscsi_rx_destroy(&rx);

	/* Oversized AHS during login. */
	iscsi_rx_init(&rx, ISCSI_PHASE_LOGIN, &lim, false, false);
	put_common(b, ISCSI_OP_LOGIN_REQ | ISCSI_OP_IMMEDIATE, 0x81, 255, 0, 1);
	iscsi_rx_feed(&rx, b, 48);
	KUNIT_EXPECT_EQ(test, rx.error, ISCSI_RX_ERR_LENGTH);
	iscsi_rx_destroy(&rx);

	/* A PDU that is rejected but well framed is still delivered. */
	iscsi_rx_init(&rx, ISCSI_PHASE_LOGIN, &lim, false, false);
	put_common(b, ISCSI_OP_TEXT_REQ, 0x80, 0, 4, 1);
	memset(b + 48, 'x', 4);
	KUNIT_EXPECT_EQ(test, iscsi_rx_feed(&rx, b, 52), 52u);
	pdu = iscsi_rx_pdu(&rx);
	KUNIT_ASSERT_NOT_NULL(test, pdu);
	KUNIT_EXPECT_EQ(test, pdu->reject_reason, ISCSI_REJECT_PROTOCOL_ERROR);
	KUNIT_EXPECT_STREQ(test, iscsi_rx_state_name(rx.state), "PDU_READY");
	iscsi_rx_destroy(&rx);
}

/* Split headers: Data-Out into three pieces of the caller's memory. */
static void rx_split_places_data(struct kunit *test)
{
	static const size_t chunks[] = {1, 5, 52, 1000, 1 << 16};
	struct iscsi_pdu_limits lim = {.max_recv_dsl = 8192, .max_ahs_len = 64};
	uint8_t *s = kunit_kzalloc(test, 16384, GFP_KERNEL);
	uint8_t *dst = kunit_kzalloc(test, 4096, GFP_KERNEL);
	struct rx_result ref;
	unsigned int d, c;

	KUNIT_ASSERT_NOT_NULL(test, s);
	KUNIT_ASSERT_NOT_NULL(test, dst);
	for (d = 0; d < 4; d++) {
		bool hd = d & 1, dd = d & 2;
		size_t len = make_stream(s, hd, dd);

		feed_all(test, s, len, 1 << 16, hd, dd, &ref);
		for (c = 0; c < sizeof(chunks) / sizeof(chunks[0]); c++) {
			struct iscsi_rx_seg seg[3] = {{dst + 3000, 1096},
						      {dst, 1000},
						      {dst + 1000, 2000}};
			struct iscsi_rx rx;
			unsigned int npdus = 0, placed = 0;
			size_t pos = 0;

			memset(dst, 0, 4096);
			iscsi_rx_init(&rx, ISCSI_PHASE_FULL_FEATURE, &lim, hd,
				      dd);
			rx.split = true;
			while (pos < len) {
				size_t n = len - pos < chunks[c] ? len - pos
								 : chunks[c];
				const struct iscsi_rx_pdu *pdu;

				pos += iscsi_rx_feed(&rx, s + pos, n);
				KUNIT_ASSERT_NE(test, rx.state, ISCSI_RX_ERROR);
				if (rx.state == ISCSI_RX_HEADER_READY) {
					bool out = rx.pdu.info.opcode ==
						   ISCSI_OP_SCSI_DATA_OUT;

					KUNIT_EXPECT_EQ(
					    test,
					    iscsi_rx_data_to(&rx, seg,
							     out ? 3 : 0),
					    0);
					placed += out;
				}
				pdu = iscsi_rx_pdu(&rx);
				if (!pdu)
					continue;
				KUNIT_EXPECT_EQ(test, pdu->info.itt,
						ref.itt[npdus]);
				KUNIT_EXPECT_EQ(test, pdu->reject_reason, 0);
				if (pdu->info.opcode == ISCSI_OP_SCSI_DATA_OUT)
					KUNIT_EXPECT_NULL(test, pdu->data);
				npdus++;
				iscsi_rx_next(&rx);
			}
			KUNIT_EXPECT_EQ(test, npdus, 3u);
			KUNIT_EXPECT_EQ(test, placed, 1u);
			/* Pieces in order: dst+3000, dst, dst+1000. */
			KUNIT_EXPECT_EQ(test, dst[3000], 1);
			KUNIT_EXPECT_EQ(test, dst[0], (uint8_t)(1096 * 3 + 1));
			KUNIT_EXPECT_EQ(test, dst[1999],
					(uint8_t)(3095 * 3 + 1));
			iscsi_rx_destroy(&rx);
		}
	}
}

/* The caller receives the data itself; then a discard mid-segment. */
static void rx_direct_and_discard(struct kunit *test)
{
	struct iscsi_pdu_limits lim = {.max_recv_dsl = 8192, .max_ahs_len = 64};
	uint8_t *s = kunit_kzalloc(test, 16384, GFP_KERNEL);
	uint8_t *dst = kunit_kzalloc(test, 4096, GFP_KERNEL);
	struct iscsi_rx_seg seg[2] = {{dst + 2048, 2048}, {dst, 2048}}, got[4];
	const struct iscsi_rx_pdu *pdu;
	struct iscsi_rx rx;
	size_t len, hdr = 52;
	unsigned int n, bad;

	KUNIT_ASSERT_NOT_NULL(test, s);
	KUNIT_ASSERT_NOT_NULL(test, dst);
	for (bad = 0; bad < 2; bad++) {
		len = make_pdu(s, ISCSI_OP_SCSI_DATA_OUT, 0x80, 0, 4096, 7,
			       true, true);
		KUNIT_ASSERT_EQ(test, len, hdr + 4096 + 4);
		s[hdr + 3000] ^= (uint8_t)bad;
		iscsi_rx_init(&rx, ISCSI_PHASE_FULL_FEATURE, &lim, true, true);
		rx.split = true;
		KUNIT_EXPECT_EQ(test, iscsi_rx_feed(&rx, s, hdr + 100), hdr);
		KUNIT_ASSERT_EQ(test, rx.state, ISCSI_RX_HEADER_READY);
		KUNIT_EXPECT_EQ(test, iscsi_rx_data_to(&rx, seg, 1), -EINVAL);
		KUNIT_EXPECT_EQ(test, rx.state, ISCSI_RX_AWAIT_DATA);
		iscsi_rx_destroy(&rx);

		iscsi_rx_init(&rx, ISCSI_PHASE_FULL_FEATURE, &lim, true, true);
		rx.split = true;
		iscsi_rx_feed(&rx, s, hdr + 100);
		KUNIT_ASSERT_EQ(test, iscsi_rx_data_to(&rx, seg, 2), 0);
		KUNIT_EXPECT_EQ(test, iscsi_rx_feed(&rx, s + hdr, 100), 100u);
		/* The rest as a recvmsg() into the pieces would. */
		n = iscsi_rx_direct(&rx, got, 4);
		KUNIT_ASSERT_EQ(test, n, 2u);
		KUNIT_EXPECT_PTR_EQ(test, got[0].addr, (void *)(dst + 2148));
		KUNIT_EXPECT_EQ(test, got[0].len + got[1].len, 3996u);
		memcpy(got[0].addr, s + hdr + 100, got[0].len);
		memcpy(got[1].addr, s + hdr + 100 + got[0].len, 500);
		iscsi_rx_direct_done(&rx, got[0].len + 500);
		n = iscsi_rx_direct(&rx, got, 4);
		KUNIT_ASSERT_EQ(test, n, 1u);
		memcpy(got[0].addr, s + hdr + 2548, got[0].len);
		iscsi_rx_direct_done(&rx, got[0].len);
		KUNIT_EXPECT_EQ(test, iscsi_rx_direct(&rx, got, 4), 0u);
		KUNIT_EXPECT_EQ(test, iscsi_rx_feed(&rx, s + hdr + 4096, 4),
				4u);
		pdu = iscsi_rx_pdu(&rx);
		KUNIT_ASSERT_NOT_NULL(test, pdu);
		KUNIT_EXPECT_EQ(test, pdu->reject_reason,
				bad ? ISCSI_REJECT_DATA_DIGEST : 0);
		KUNIT_EXPECT_MEMEQ(test, dst + 2048, s + hdr, 2048);
		KUNIT_EXPECT_MEMEQ(test, dst, s + hdr + 2048, 2048);
		iscsi_rx_next(&rx);

		/* Discard: the place is gone after 100 bytes. */
		memset(dst, 0, 4096);
		iscsi_rx_feed(&rx, s, hdr);
		KUNIT_ASSERT_EQ(test, iscsi_rx_data_to(&rx, seg, 2), 0);
		iscsi_rx_feed(&rx, s + hdr, 100);
		iscsi_rx_discard(&rx);
		KUNIT_EXPECT_EQ(test, iscsi_rx_direct(&rx, got, 4), 0u);
		KUNIT_EXPECT_EQ(test, iscsi_rx_feed(&rx, s + hdr + 100, 4000),
				4000u);
		pdu = iscsi_rx_pdu(&rx);
		KUNIT_ASSERT_NOT_NULL(test, pdu);
		KUNIT_EXPECT_NULL(test, pdu->data);
		KUNIT_EXPECT_EQ(test, pdu->reject_reason,
				bad ? ISCSI_REJECT_DATA_DIGEST : 0);
		KUNIT_EXPECT_EQ(test, dst[2148], 0);
		iscsi_rx_destroy(&rx);
	}
}

/* Borrowing: a segment whole in the fed bytes is not copied. */
static void rx_borrow(struct kunit *test)
{
	struct iscsi_pdu_limits lim = {.max_recv_dsl = 8192, .max_ahs_len = 64};
	uint8_t *s = kunit_kzalloc(test, 16384, GFP_KERNEL);
	const struct iscsi_rx_pdu *pdu;
	struct iscsi_rx rx;
	size_t len;

	KUNIT_ASSERT_NOT_NULL(test, s);
	len =
	    make_pdu(s, ISCSI_OP_SCSI_DATA_OUT, 0x80, 0, 1001, 3, false, true);
	iscsi_rx_init(&rx, ISCSI_PHASE_FULL_FEATURE, &lim, false, true);
	rx.borrow = true;
	KUNIT_EXPECT_EQ(test, iscsi_rx_feed(&rx, s, len), len);
	pdu = iscsi_rx_pdu(&rx);
	KUNIT_ASSERT_NOT_NULL(test, pdu);
	KUNIT_EXPECT_PTR_EQ(test, pdu->data, (const uint8_t *)s + 48);
	KUNIT_EXPECT_EQ(test, pdu->reject_reason, 0);
	iscsi_rx_next(&rx);
	/* In two pieces: copied into the receiver's buffer. */
	iscsi_rx_feed(&rx, s, 100);
	KUNIT_EXPECT_EQ(test, iscsi_rx_feed(&rx, s + 100, len - 100),
			len - 100);
	pdu = iscsi_rx_pdu(&rx);
	KUNIT_ASSERT_NOT_NULL(test, pdu);
	KUNIT_EXPECT_PTR_EQ(test, pdu->data, (const uint8_t *)rx.data);
	KUNIT_EXPECT_MEMEQ(test, pdu->data, s + 48, 1001);
	KUNIT_EXPECT_EQ(test, pdu->reject_reason, 0);
	iscsi_rx_destroy(&rx);
}

static struct kunit_case iscsi_pdu_cases[] = {
    KUNIT_CASE(crc32c_rfc_vectors),
    KUNIT_CASE(parse_scsi_cmd),
    KUNIT_CASE(parse_data_out),
    KUNIT_CASE(parse_nop_out),
    KUNIT_CASE(parse_tmf),
    KUNIT_CASE(parse_login),
    KUNIT_CASE(parse_text_logout_snack),
    KUNIT_CASE(parse_bad_opcodes),
    KUNIT_CASE(lengths_login_and_ffp),
    KUNIT_CASE(build_scsi_rsp),
    KUNIT_CASE(build_data_in_r2t),
    KUNIT_CASE(build_small_responses),
    KUNIT_CASE(build_login_and_reject),
    KUNIT_CASE(rx_byte_by_byte_equals_chunks),
    KUNIT_CASE(rx_digest_errors),
    KUNIT_CASE(rx_oversized_refused_without_allocation),
    KUNIT_CASE(rx_split_places_data),
    KUNIT_CASE(rx_direct_and_discard),
    KUNIT_CASE(rx_borrow),
    {}};

static struct kunit_suite iscsi_pdu_suite = {
    .name = "iscsi_pdu",
    .test_cases = iscsi_pdu_cases,
};
kunit_test_suite(iscsi_pdu_suite);
