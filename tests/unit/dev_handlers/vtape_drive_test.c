// SPDX-License-Identifier: GPL-2.0-only
/*
 * The vtape drive through the core and scst_local: SSC-3 commands and
 * every sense case of dev_handlers/vtape/vtape_ssc.c (filemark, wrong
 * length, end of data, early warning, volume overflow, beginning of
 * partition, no medium, medium changed, write protected), mode and log
 * pages, the MAM, prevention, sharing between two initiators, and a
 * cartridge kept across the device's deletion.
 */
#include "dev_handlers/vtape/vtape.h"
#include "scst/byteorder.h"

#define VT_MODULES &vtape_module, &scst_local_module
#include "vdisk_test_env.h"

#define LUN 0
/* Fixed-format sense: flags byte (FM/EOM/ILI), INFORMATION. */
#define SENSE_FLAGS(r) ((r)->sense[2] & 0xe0)
#define SENSE_INFO(r)  ((int32_t)scst_get_be32((r)->sense + 3))

/* ----------------------------------------------------------- fixture ---- */

static const char *vtt_dir(struct kunit *test)
{
	return ((struct vt_env *)test->priv)->dir;
}

static void vtt_cart(struct kunit *test, const char *barcode, const char *extra)
{
	VT_WOK(test, "/handlers/vtape/mgmt",
	       vt_sprintf(test, "create_cartridge %s media_dir=%s%s", barcode,
			  vtt_dir(test), extra));
}

/* Drive "drive0" with cartridge TAPE01 (@extra: its create options). */
static int vtt_init_with(struct kunit *test, const char *extra)
{
	int rc = vt_up(test);

	if (rc)
		return rc;
	vtt_cart(test, "TAPE01", extra);
	vt_add(test, "vtape", "drive0 media_dir=%s; cartridge=TAPE01",
	       vtt_dir(test));
	vt_map(test, "drive0", LUN);
	vt_clear_ua(test, LUN);
	return 0;
}

static int vtt_init(struct kunit *test)
{
	return vtt_init_with(test, "");
}

/* One command with the whole request kept for its sense and lengths. */
static void vtt_req(struct kunit *test, struct scst_local_req *r,
		    const uint8_t *cdb, unsigned int cdb_len, const void *out,
		    uint32_t out_len, void *in, uint32_t in_len)
{
	struct vt_env *e = test->priv;

	vt_req_init(r, LUN, cdb, cdb_len, out, out_len, in, in_len, true);
	KUNIT_ASSERT_EQ(test, scst_local_exec(e->sess, r), 0);
}

static uint32_t vtt_cmd(struct kunit *test, const uint8_t *cdb,
			unsigned int len)
{
	return vt_exec(test, LUN, cdb, len, NULL, 0, NULL, 0);
}

/* WRITE(6): @fixed blocks of the drive's size, or one of @len bytes. */
static uint32_t vtt_write(struct kunit *test, struct scst_local_req *r,
			  bool fixed, uint32_t count, const void *buf,
			  uint32_t len)
{
	uint8_t cdb[6] = {WRITE_6, fixed ? 1 : 0};

	scst_put_be24(cdb + 2, count);
	vtt_req(test, r, cdb, 6, buf, len, NULL, 0);
	return vt_result(r);
}

static uint32_t vtt_read(struct kunit *test, struct scst_local_req *r,
			 uint8_t flags, uint32_t count, void *buf, uint32_t len)
{
	uint8_t cdb[6] = {READ_6, flags};

	scst_put_be24(cdb + 2, count);
	vtt_req(test, r, cdb, 6, NULL, 0, buf, len);
	return vt_result(r);
}

static uint32_t vtt_wfm(struct kunit *test, uint32_t n)
{
	uint8_t cdb[6] = {WRITE_FILEMARKS};

	scst_put_be24(cdb + 2, n);
	return vtt_cmd(test, cdb, 6);
}

static uint32_t vtt_rewind(struct kunit *test)
{
	static const uint8_t cdb[6] = {REWIND};

	return vtt_cmd(test, cdb, 6);
}

static uint32_t vtt_space(struct kunit *test, struct scst_local_req *r,
			  uint8_t code, int32_t count)
{
	uint8_t cdb[6] = {SPACE, code};

	scst_put_be24(cdb + 2, (uint32_t)count & 0xffffff);
	vtt_req(test, r, cdb, 6, NULL, 0, NULL, 0);
	return vt_result(r);
}

/* READ POSITION long form: object number and file number. */
static void vtt_pos(struct kunit *test, uint64_t *obj, uint64_t *file)
{
	uint8_t cdb[10] = {READ_POSITION, RP_LONG_FORM}, buf[32];
	struct scst_local_req r;

	vtt_req(test, &r, cdb, 10, NULL, 0, buf, sizeof(buf));
	KUNIT_ASSERT_EQ(test, vt_result(&r), VT_GOOD);
	*obj = scst_get_be64(buf + 8);
	*file = scst_get_be64(buf + 16);
}

static uint64_t vtt_obj(struct kunit *test)
{
	uint64_t obj, file;

	vtt_pos(test, &obj, &file);
	return obj;
}

/* MODE SELECT(6) of a block descriptor with block length @bs. */
static uint32_t vtt_setblk(struct kunit *test, uint32_t bs)
{
	uint8_t cdb[6] = {MODE_SELECT, 0x10, 0, 0, 12}, p[12] = {0};

	p[3] = 8;
	scst_put_be24(p + 4 + 5, bs);
	return vt_exec(test, LUN, cdb, 6, p, sizeof(p), NULL, 0);
}

/* -------------------------------------------------------------- cases ---- */

static void vtape_no_medium(struct kunit *test)
{
	uint8_t buf[64];
	struct scst_local_req r;

	KUNIT_ASSERT_EQ(test, vt_up(test), 0);
	vt_add(test, "vtape", "drive0 media_dir=%s", vtt_dir(test));
	vt_map(test, "drive0", LUN);
	vt_clear_ua(test, LUN);
	KUNIT_EXPECT_EQ(test, vt_tur(test, LUN), VT_CC(NOT_READY, 0x3a, 0));
	KUNIT_EXPECT_EQ(test, vtt_read(test, &r, 0, 64, buf, 64),
			VT_CC(NOT_READY, 0x3a, 0));
	KUNIT_EXPECT_STREQ(test, vt_attr(test, "drive0", "cartridge"), "\n");
	/* Loading through the attribute: 28h/00h, then ready. */
	vtt_cart(test, "TAPE09", "");
	VT_WOK(test, "/devices/drive0/cartridge", "TAPE09");
	KUNIT_EXPECT_EQ(test, vt_tur(test, LUN), VT_UA(0x28, 0));
	KUNIT_EXPECT_EQ(test, vt_tur(test, LUN), VT_GOOD);
	KUNIT_EXPECT_STREQ(test, vt_attr(test, "drive0", "cartridge"),
			   "TAPE09\n[key]\n");
	/* A file that is not a cartridge is refused. */
	vt_file(test, "JUNK01", 65536);
	VT_WERR(test, "/devices/drive0/cartridge", "JUNK01", -EMEDIUMTYPE,
		vt_sprintf(test, "cannot load %s/JUNK01: not a cartridge",
			   vtt_dir(test)));
	vt_down(test);
}

static void vtape_inquiry_ids(struct kunit *test)
{
	uint8_t cdb[6] = {INQUIRY, 0, 0, 0, 96}, buf[96];
	const char *usn;
	char serial[40];
	struct scst_local_req r;
	size_t n;

	KUNIT_ASSERT_EQ(test, vtt_init(test), 0);
	vtt_req(test, &r, cdb, 6, NULL, 0, buf, sizeof(buf));
	KUNIT_ASSERT_EQ(test, vt_result(&r), VT_GOOD);
	KUNIT_EXPECT_EQ(test, buf[0], TYPE_TAPE);
	KUNIT_EXPECT_EQ(test, buf[1], 0x80); /* RMB */
	KUNIT_EXPECT_EQ(test, memcmp(buf + 16, "VTAPE           ", 16), 0);
	/* VPD 80h: the serial the changer's DVCID reports too. */
	cdb[1] = 1;
	cdb[2] = 0x80;
	vtt_req(test, &r, cdb, 6, NULL, 0, buf, sizeof(buf));
	KUNIT_ASSERT_EQ(test, vt_result(&r), VT_GOOD);
	usn = vt_attr(test, "drive0", "usn");
	n = strlen(usn) - 1;
	snprintf(serial, sizeof(serial), "%.*s", (int)n, usn);
	KUNIT_EXPECT_EQ(test, buf[3], n);
	KUNIT_EXPECT_EQ(test, memcmp(buf + 4, serial, n), 0);
	/* VPD 83h: NAA first, then the T10 vendor ID ending in the serial. */
	cdb[2] = 0x83;
	vtt_req(test, &r, cdb, 6, NULL, 0, buf, sizeof(buf));
	KUNIT_ASSERT_EQ(test, vt_result(&r), VT_GOOD);
	KUNIT_EXPECT_EQ(test, buf[5] & 0x0f, 0x03);
	KUNIT_EXPECT_EQ(test, buf[4 + 20 + 1] & 0x0f, 0x01);
	KUNIT_EXPECT_EQ(test, buf[4 + 20 + 3], 24 + n);
	KUNIT_EXPECT_EQ(test, memcmp(buf + 4 + 20 + 4 + 24, serial, n), 0);
	vt_down(test);
}

static void vtape_variable_mode(struct kunit *test)
{
	static uint8_t a[1000], b[2000], c[500], in[4096];
	struct scst_local_req r;
	unsigned int i;

	KUNIT_ASSERT_EQ(test, vtt_init(test), 0);
	for (i = 0; i < sizeof(b); i++) {
		b[i] = (uint8_t)(i * 7);
		if (i < sizeof(a))
			a[i] = (uint8_t)(i * 3);
		if (i < sizeof(c))
			c[i] = (uint8_t)(i * 11);
	}
	KUNIT_EXPECT_EQ(test, vtt_write(test, &r, false, 1000, a, 1000),
			VT_GOOD);
	KUNIT_EXPECT_EQ(test, vtt_write(test, &r, false, 2000, b, 2000),
			VT_GOOD);
	KUNIT_EXPECT_EQ(test, vtt_wfm(test, 1), VT_GOOD);
	KUNIT_EXPECT_EQ(test, vtt_write(test, &r, false, 500, c, 500), VT_GOOD);
	KUNIT_EXPECT_EQ(test, vtt_obj(test), 4u);
	KUNIT_EXPECT_EQ(test, vtt_rewind(test), VT_GOOD);

	/* Exact length. */
	KUNIT_EXPECT_EQ(test, vtt_read(test, &r, 0, 1000, in, 1000), VT_GOOD);
	KUNIT_EXPECT_EQ(test, memcmp(in, a, 1000), 0);
	/* Asked 4096, the block has 2000: ILI, INFORMATION 2096. */
	KUNIT_EXPECT_EQ(test, vtt_read(test, &r, 0, 4096, in, 4096),
			VT_CC(NO_SENSE, 0, 0));
	KUNIT_EXPECT_EQ(test, SENSE_FLAGS(&r), SCST_SENSE_ILI);
	KUNIT_EXPECT_EQ(test, r.sense[0], 0xf0);
	KUNIT_EXPECT_EQ(test, SENSE_INFO(&r), 2096);
	KUNIT_EXPECT_EQ(test, r.data_in_len, 2000u);
	KUNIT_EXPECT_EQ(test, memcmp(in, b, 2000), 0);
	/* The filemark: FM, 00h/01h, INFORMATION = the whole request. */
	KUNIT_EXPECT_EQ(test, vtt_read(test, &r, 0, 4096, in, 4096),
			VT_CC(NO_SENSE, 0, 1));
	KUNIT_EXPECT_EQ(test, SENSE_FLAGS(&r), SCST_SENSE_FILEMARK);
	KUNIT_EXPECT_EQ(test, SENSE_INFO(&r), 4096);
	KUNIT_EXPECT_EQ(test, r.data_in_len, 0u);
	/* Asked 100 of a 500-byte block: ILI, INFORMATION -400, 100 bytes. */
	KUNIT_EXPECT_EQ(test, vtt_read(test, &r, 0, 100, in, 100),
			VT_CC(NO_SENSE, 0, 0));
	KUNIT_EXPECT_EQ(test, SENSE_FLAGS(&r), SCST_SENSE_ILI);
	KUNIT_EXPECT_EQ(test, SENSE_INFO(&r), -400);
	KUNIT_EXPECT_EQ(test, r.data_in_len, 100u);
	KUNIT_EXPECT_EQ(test, memcmp(in, c, 100), 0);
	/* End of data: BLANK CHECK 00h/05h, INFORMATION = the request. */
	KUNIT_EXPECT_EQ(test, vtt_read(test, &r, 0, 512, in, 512),
			VT_CC(BLANK_CHECK, 0, 5));
	KUNIT_EXPECT_EQ(test, SENSE_INFO(&r), 512);
	/* SILI: a shorter block is GOOD with an underflow residual. */
	KUNIT_EXPECT_EQ(test, vtt_rewind(test), VT_GOOD);
	KUNIT_EXPECT_EQ(test, vtt_read(test, &r, 0x02, 4096, in, 4096),
			VT_GOOD);
	KUNIT_EXPECT_EQ(test, r.data_in_len, 1000u);
	KUNIT_EXPECT_EQ(test, r.resid_kind, SCST_RESID_UNDERFLOW);
	KUNIT_EXPECT_EQ(test, r.resid, 3096u);
	/* SILI with FIXED is refused. */
	KUNIT_EXPECT_EQ(test, vtt_read(test, &r, 0x03, 0, NULL, 0),
			VT_CC(ILLEGAL_REQUEST, 0x24, 0));
	vt_down(test);
}

static void vtape_fixed_mode(struct kunit *test)
{
	static uint8_t blocks[4 * 512], in[8 * 512], odd[700];
	struct scst_local_req r;
	unsigned int i;

	KUNIT_ASSERT_EQ(test, vtt_init(test), 0);
	for (i = 0; i < sizeof(blocks); i++)
		blocks[i] = (uint8_t)(i ^ (i >> 9));
	/* Fixed mode while the block size is 0: refused. */
	KUNIT_EXPECT_EQ(test, vtt_write(test, &r, true, 4, blocks, 2048),
			VT_CC(ILLEGAL_REQUEST, 0x24, 0));
	KUNIT_ASSERT_EQ(test, vtt_setblk(test, 512), VT_GOOD);
	KUNIT_EXPECT_STREQ(test, vt_attr(test, "drive0", "block_size"),
			   "512\n");
	KUNIT_EXPECT_EQ(test, vtt_write(test, &r, true, 4, blocks, 2048),
			VT_GOOD);
	KUNIT_EXPECT_EQ(test, vtt_wfm(test, 1), VT_GOOD);
	/* A 700-byte block in variable mode (still allowed). */
	KUNIT_EXPECT_EQ(test, vtt_write(test, &r, false, 700, odd, 700),
			VT_GOOD);
	KUNIT_EXPECT_EQ(test, vtt_rewind(test), VT_GOOD);
	/* 8 asked, 4 there, then the filemark: FM, residue 4. */
	KUNIT_EXPECT_EQ(test, vtt_read(test, &r, 1, 8, in, 8 * 512),
			VT_CC(NO_SENSE, 0, 1));
	KUNIT_EXPECT_EQ(test, SENSE_FLAGS(&r), SCST_SENSE_FILEMARK);
	KUNIT_EXPECT_EQ(test, SENSE_INFO(&r), 4);
	KUNIT_EXPECT_EQ(test, r.data_in_len, 2048u);
	KUNIT_EXPECT_EQ(test, memcmp(in, blocks, 2048), 0);
	/* 2 asked, the first is 700 bytes: ILI, residue 2 (not counted). */
	KUNIT_EXPECT_EQ(test, vtt_read(test, &r, 1, 2, in, 1024),
			VT_CC(NO_SENSE, 0, 0));
	KUNIT_EXPECT_EQ(test, SENSE_FLAGS(&r), SCST_SENSE_ILI);
	KUNIT_EXPECT_EQ(test, SENSE_INFO(&r), 2);
	KUNIT_EXPECT_EQ(test, vtt_obj(test), 6u);
	/* At EOD in fixed mode: BLANK CHECK, residue = all 3. */
	KUNIT_EXPECT_EQ(test, vtt_read(test, &r, 1, 3, in, 1536),
			VT_CC(BLANK_CHECK, 0, 5));
	KUNIT_EXPECT_EQ(test, SENSE_INFO(&r), 3);
	/* A block size that is not a power of two is a block size. */
	KUNIT_EXPECT_EQ(test, vtt_setblk(test, 700), VT_GOOD);
	KUNIT_EXPECT_EQ(test, vtt_rewind(test), VT_GOOD);
	KUNIT_EXPECT_EQ(test, vtt_space(test, &r, 1, 1), VT_GOOD);
	KUNIT_EXPECT_EQ(test, vtt_read(test, &r, 1, 1, in, 700), VT_GOOD);
	KUNIT_EXPECT_EQ(test, memcmp(in, odd, 700), 0);
	vt_down(test);
}

/* Tape: B0 B1 FM B3 B4 FM B6 (objects 0..6), EOD at 7. */
static void vtt_layout(struct kunit *test)
{
	static uint8_t blk[100];
	struct scst_local_req r;
	int i;

	for (i = 0; i < 7; i++) {
		if (i == 2 || i == 5)
			KUNIT_ASSERT_EQ(test, vtt_wfm(test, 1), VT_GOOD);
		else
			KUNIT_ASSERT_EQ(
			    test, vtt_write(test, &r, false, 100, blk, 100),
			    VT_GOOD);
	}
}

static void vtape_space_cases(struct kunit *test)
{
	struct scst_local_req r;
	uint64_t obj, file;

	KUNIT_ASSERT_EQ(test, vtt_init(test), 0);
	vtt_layout(test);
	KUNIT_EXPECT_EQ(test, vtt_rewind(test), VT_GOOD);
	/* 5 blocks forward: 2 done, then the filemark: after it, res. 3. */
	KUNIT_EXPECT_EQ(test, vtt_space(test, &r, 0, 5), VT_CC(NO_SENSE, 0, 1));
	KUNIT_EXPECT_EQ(test, SENSE_FLAGS(&r), SCST_SENSE_FILEMARK);
	KUNIT_EXPECT_EQ(test, SENSE_INFO(&r), 3);
	vtt_pos(test, &obj, &file);
	KUNIT_EXPECT_EQ(test, obj, 3u);
	KUNIT_EXPECT_EQ(test, file, 1u);
	/* 1 block back from 3: the filemark: before it (2), residue 1. */
	KUNIT_EXPECT_EQ(test, vtt_space(test, &r, 0, -1),
			VT_CC(NO_SENSE, 0, 1));
	KUNIT_EXPECT_EQ(test, SENSE_INFO(&r), 1);
	KUNIT_EXPECT_EQ(test, vtt_obj(test), 2u);
	/* 5 blocks back from 2: BOP after 2: EOM, 00h/04h, residue 3. */
	KUNIT_EXPECT_EQ(test, vtt_space(test, &r, 0, -5),
			VT_CC(NO_SENSE, 0, 4));
	KUNIT_EXPECT_EQ(test, SENSE_FLAGS(&r), SCST_SENSE_EOM);
	KUNIT_EXPECT_EQ(test, SENSE_INFO(&r), 3);
	KUNIT_EXPECT_EQ(test, vtt_obj(test), 0u);
	/* 2 filemarks forward: after the second (6). */
	KUNIT_EXPECT_EQ(test, vtt_space(test, &r, 1, 2), VT_GOOD);
	vtt_pos(test, &obj, &file);
	KUNIT_EXPECT_EQ(test, obj, 6u);
	KUNIT_EXPECT_EQ(test, file, 2u);
	/* 1 filemark back: on its BOP side (5). */
	KUNIT_EXPECT_EQ(test, vtt_space(test, &r, 1, -1), VT_GOOD);
	KUNIT_EXPECT_EQ(test, vtt_obj(test), 5u);
	/* 3 filemarks forward from 5: one, then EOD: BLANK CHECK, res. 2. */
	KUNIT_EXPECT_EQ(test, vtt_space(test, &r, 1, 3),
			VT_CC(BLANK_CHECK, 0, 5));
	KUNIT_EXPECT_EQ(test, SENSE_INFO(&r), 2);
	KUNIT_EXPECT_EQ(test, vtt_obj(test), 7u);
	/* To end of data; setmarks are refused. */
	KUNIT_EXPECT_EQ(test, vtt_rewind(test), VT_GOOD);
	KUNIT_EXPECT_EQ(test, vtt_space(test, &r, 3, 0), VT_GOOD);
	KUNIT_EXPECT_EQ(test, vtt_obj(test), 7u);
	KUNIT_EXPECT_EQ(test, vtt_space(test, &r, 4, 1),
			VT_CC(ILLEGAL_REQUEST, 0x24, 0));
	vt_down(test);
}

static void vtape_locate_read_position(struct kunit *test)
{
	uint8_t loc[10] = {LOCATE_10}, rp[10] = {READ_POSITION}, buf[32];
	uint8_t loc16[16] = {LOCATE_16};
	struct scst_local_req r;

	KUNIT_ASSERT_EQ(test, vtt_init(test), 0);
	vtt_layout(test);
	/* Short form at EOD: BPU clear, first = last = 7. */
	vtt_req(test, &r, rp, 10, NULL, 0, buf, 20);
	KUNIT_ASSERT_EQ(test, vt_result(&r), VT_GOOD);
	KUNIT_EXPECT_EQ(test, buf[0], 0x00);
	KUNIT_EXPECT_EQ(test, scst_get_be32(buf + 4), 7u);
	KUNIT_EXPECT_EQ(test, scst_get_be32(buf + 8), 7u);
	scst_put_be32(loc + 3, 4);
	KUNIT_EXPECT_EQ(test, vtt_cmd(test, loc, 10), VT_GOOD);
	vtt_req(test, &r, rp, 10, NULL, 0, buf, 20);
	KUNIT_EXPECT_EQ(test, scst_get_be32(buf + 4), 4u);
	/* Extended form. */
	rp[1] = RP_EXTENDED_FORM;
	scst_put_be16(rp + 7, 32);
	vtt_req(test, &r, rp, 10, NULL, 0, buf, 32);
	KUNIT_ASSERT_EQ(test, vt_result(&r), VT_GOOD);
	KUNIT_EXPECT_EQ(test, scst_get_be16(buf + 2), 0x1cu);
	KUNIT_EXPECT_EQ(test, scst_get_be64(buf + 8), 4u);
	/* BOP bit at 0. */
	scst_put_be32(loc + 3, 0);
	KUNIT_EXPECT_EQ(test, vtt_cmd(test, loc, 10), VT_GOOD);
	rp[1] = 0;
	rp[7] = rp[8] = 0;
	vtt_req(test, &r, rp, 10, NULL, 0, buf, 20);
	KUNIT_EXPECT_EQ(test, buf[0], 0x80);
	/* Past EOD: BLANK CHECK 00h/05h, at EOD. */
	scst_put_be32(loc + 3, 100);
	KUNIT_EXPECT_EQ(test, vtt_cmd(test, loc, 10), VT_CC(BLANK_CHECK, 0, 5));
	KUNIT_EXPECT_EQ(test, vtt_obj(test), 7u);
	/* LOCATE(16) to logical file 2 = after the second filemark. */
	loc16[1] = 1 << 3;
	scst_put_be64(loc16 + 4, 2);
	KUNIT_EXPECT_EQ(test, vtt_cmd(test, loc16, 16), VT_GOOD);
	KUNIT_EXPECT_EQ(test, vtt_obj(test), 6u);
	/* Another partition does not exist. */
	loc[1] = 0x02;
	loc[8] = 1;
	KUNIT_EXPECT_EQ(test, vtt_cmd(test, loc, 10),
			VT_CC(ILLEGAL_REQUEST, 0x24, 0));
	vt_down(test);
}

static void vtape_overwrite_truncates(struct kunit *test)
{
	static uint8_t blk[64], in[64];
	struct scst_local_req r;
	uint8_t loc[10] = {LOCATE_10}, r16[16] = {0};

	KUNIT_ASSERT_EQ(test, vtt_init(test), 0);
	vtt_layout(test);
	scst_put_be32(loc + 3, 3);
	KUNIT_EXPECT_EQ(test, vtt_cmd(test, loc, 10), VT_GOOD);
	memset(blk, 0x5a, sizeof(blk));
	KUNIT_EXPECT_EQ(test, vtt_write(test, &r, false, 64, blk, 64), VT_GOOD);
	/* The new end of data follows the new block. */
	KUNIT_EXPECT_EQ(test, vtt_read(test, &r, 0, 64, in, 64),
			VT_CC(BLANK_CHECK, 0, 5));
	KUNIT_EXPECT_EQ(test, vtt_space(test, &r, 0, -1), VT_GOOD);
	KUNIT_EXPECT_EQ(test, vtt_read(test, &r, 0, 64, in, 64), VT_GOOD);
	KUNIT_EXPECT_EQ(test, memcmp(in, blk, 64), 0);
	KUNIT_EXPECT_EQ(test, vtt_obj(test), 4u);
	/* READ(16) and WRITE(16) go to the object they name first. */
	r16[0] = READ_16;
	scst_put_be64(r16 + 4, 3);
	scst_put_be24(r16 + 12, 64);
	vtt_req(test, &r, r16, 16, NULL, 0, in, 64);
	KUNIT_EXPECT_EQ(test, vt_result(&r), VT_GOOD);
	KUNIT_EXPECT_EQ(test, memcmp(in, blk, 64), 0);
	r16[0] = WRITE_16;
	scst_put_be64(r16 + 4, 1);
	memset(blk, 0x6b, sizeof(blk));
	vtt_req(test, &r, r16, 16, blk, 64, NULL, 0);
	KUNIT_EXPECT_EQ(test, vt_result(&r), VT_GOOD);
	KUNIT_EXPECT_EQ(test, vtt_obj(test), 2u);
	r16[3] = 1; /* another partition */
	vtt_req(test, &r, r16, 16, blk, 64, NULL, 0);
	KUNIT_EXPECT_EQ(test, vt_result(&r), VT_CC(ILLEGAL_REQUEST, 0x24, 0));
	vt_down(test);
}

/* A 1 MiB cartridge fills up: early warning, then volume overflow. */
static void vtape_early_warning_overflow(struct kunit *test)
{
	static uint8_t blk[64 * 1024];
	struct scst_local_req r;
	uint32_t v = VT_GOOD;
	unsigned int i, ew = 0;

	KUNIT_ASSERT_EQ(test, vtt_init_with(test, "; capacity=1M"), 0);
	for (i = 0; i < 64 && v != VT_CC(VOLUME_OVERFLOW, 0, 2); i++) {
		v = vtt_write(test, &r, false, sizeof(blk), blk, sizeof(blk));
		if (v == VT_CC(NO_SENSE, 0, 2)) {
			KUNIT_EXPECT_EQ(test, SENSE_FLAGS(&r), SCST_SENSE_EOM);
			KUNIT_EXPECT_EQ(test, SENSE_INFO(&r), 0);
			if (!ew)
				ew = i;
		} else if (v != VT_GOOD) {
			KUNIT_EXPECT_EQ(test, v, VT_CC(VOLUME_OVERFLOW, 0, 2));
		}
	}
	KUNIT_EXPECT_GT(test, ew, 0u);
	KUNIT_EXPECT_LT(test, ew, i - 1);
	KUNIT_ASSERT_EQ(test, v, VT_CC(VOLUME_OVERFLOW, 0, 2));
	KUNIT_EXPECT_EQ(test, SENSE_FLAGS(&r), SCST_SENSE_EOM);
	KUNIT_EXPECT_EQ(test, SENSE_INFO(&r), (int32_t)sizeof(blk));
	/* Nothing of the refused block was written; filemarks still fit. */
	KUNIT_EXPECT_EQ(test, vtt_obj(test), (uint64_t)(i - 1));
	v = vtt_wfm(test, 1);
	KUNIT_EXPECT_TRUE(test, v == VT_GOOD || v == VT_CC(NO_SENSE, 0, 2));
	vt_down(test);
}

static void vtape_write_protected(struct kunit *test)
{
	uint8_t ms[6] = {MODE_SENSE, 0, 0, 0, 12}, buf[64];
	uint8_t ls[10] = {LOG_SENSE, 0, 0x40 | 0x2e};
	static uint8_t blk[512];
	struct scst_local_req r;

	KUNIT_ASSERT_EQ(test, vtt_init_with(test, "; write_protected=1"), 0);
	KUNIT_EXPECT_EQ(test, vtt_write(test, &r, false, 512, blk, 512),
			VT_CC(DATA_PROTECT, 0x27, 0));
	KUNIT_EXPECT_EQ(test, vtt_wfm(test, 1), VT_CC(DATA_PROTECT, 0x27, 0));
	vtt_req(test, &r, ms, 6, NULL, 0, buf, 12);
	KUNIT_ASSERT_EQ(test, vt_result(&r), VT_GOOD);
	KUNIT_EXPECT_EQ(test, buf[2] & 0x80, 0x80); /* WP */
	KUNIT_EXPECT_EQ(test, buf[2] & 0x70, 0x10); /* buffered mode 1 */
	/* TapeAlert 09h (write protect) is set, and cleared once read. */
	scst_put_be16(ls + 7, sizeof(buf));
	vtt_req(test, &r, ls, 10, NULL, 0, buf, sizeof(buf));
	KUNIT_ASSERT_EQ(test, vt_result(&r), VT_GOOD);
	KUNIT_EXPECT_EQ(test, scst_get_be16(buf + 4 + 8 * 5), 9u);
	KUNIT_EXPECT_EQ(test, buf[4 + 8 * 5 + 4], 1);
	vtt_req(test, &r, ls, 10, NULL, 0, buf, sizeof(buf));
	KUNIT_EXPECT_EQ(test, buf[4 + 8 * 5 + 4], 0);
	vt_down(test);
}

static void vtape_mode_log_pages(struct kunit *test)
{
	uint8_t ms[10] = {MODE_SENSE_10, 0, 0x3f}, buf[400];
	uint8_t ls[10] = {LOG_SENSE, 0, 0x40};
	uint8_t rbl[6] = {READ_BLOCK_LIMITS},
		rds[10] = {REPORT_DENSITY_SUPPORT};
	struct scst_local_req r;
	unsigned int off, n = 0;

	KUNIT_ASSERT_EQ(test, vtt_init(test), 0);
	scst_put_be16(ms + 7, sizeof(buf));
	vtt_req(test, &r, ms, 10, NULL, 0, buf, sizeof(buf));
	KUNIT_ASSERT_EQ(test, vt_result(&r), VT_GOOD);
	KUNIT_EXPECT_EQ(test, scst_get_be16(buf + 6), 8u);
	KUNIT_EXPECT_EQ(test, buf[8], 0x80); /* density */
	/* Pages 0Ah, 0Fh, 10h, 11h in order after the descriptor. */
	for (off = 16; off < r.data_in_len; off += buf[off + 1] + 2u)
		n = n * 0x100 + buf[off];
	KUNIT_EXPECT_EQ(test, n, 0x0a0f1011u);
	KUNIT_EXPECT_EQ(test, scst_get_be16(buf) + 2u, r.data_in_len);
	/* Saved values are not supported. */
	ms[2] = 0xff;
	vtt_req(test, &r, ms, 10, NULL, 0, buf, sizeof(buf));
	KUNIT_EXPECT_EQ(test, vt_result(&r), VT_CC(ILLEGAL_REQUEST, 0x39, 0));
	/* LOG SENSE 00h: 00h, 0Ch, 2Eh. */
	scst_put_be16(ls + 7, sizeof(buf));
	vtt_req(test, &r, ls, 10, NULL, 0, buf, sizeof(buf));
	KUNIT_ASSERT_EQ(test, vt_result(&r), VT_GOOD);
	KUNIT_EXPECT_EQ(test, scst_get_be16(buf + 2), 3u);
	KUNIT_EXPECT_EQ(test, buf[5], 0x0c);
	KUNIT_EXPECT_EQ(test, buf[6], 0x2e);
	/* 2Eh: 64 flags of 5 bytes. */
	ls[2] = 0x40 | 0x2e;
	scst_put_be16(ls + 7, 4 + 64 * 5);
	vtt_req(test, &r, ls, 10, NULL, 0, buf, sizeof(buf));
	KUNIT_EXPECT_EQ(test, scst_get_be16(buf + 2), 320u);
	KUNIT_EXPECT_EQ(test, scst_get_be16(buf + 4 + 63 * 5), 64u);
	/* READ BLOCK LIMITS: 1 to 8 MiB. */
	vtt_req(test, &r, rbl, 6, NULL, 0, buf, 6);
	KUNIT_ASSERT_EQ(test, vt_result(&r), VT_GOOD);
	KUNIT_EXPECT_EQ(test, scst_get_be24(buf + 1), 8u << 20);
	KUNIT_EXPECT_EQ(test, scst_get_be16(buf + 4), 1u);
	/* REPORT DENSITY SUPPORT: one descriptor, our density. */
	scst_put_be16(rds + 7, 56);
	vtt_req(test, &r, rds, 10, NULL, 0, buf, 56);
	KUNIT_ASSERT_EQ(test, vt_result(&r), VT_GOOD);
	KUNIT_EXPECT_EQ(test, scst_get_be16(buf), 54u);
	KUNIT_EXPECT_EQ(test, buf[4], 0x80);
	vt_down(test);
}

static void vtape_mam(struct kunit *test)
{
	uint8_t cdb[16] = {READ_ATTRIBUTE, 0x00}, buf[512];
	struct scst_local_req r;
	unsigned int off, len;
	bool found = false;

	KUNIT_ASSERT_EQ(test, vtt_init(test), 0);
	scst_put_be32(cdb + 10, sizeof(buf));
	vtt_req(test, &r, cdb, 16, NULL, 0, buf, sizeof(buf));
	KUNIT_ASSERT_EQ(test, vt_result(&r), VT_GOOD);
	len = scst_get_be32(buf) + 4;
	for (off = 4; off + 5 <= len; off += 5 + scst_get_be16(buf + off + 3)) {
		if (scst_get_be16(buf + off) != 0x0806)
			continue;
		found = true;
		KUNIT_EXPECT_EQ(test, buf[off + 2] & 0x03, 0x01); /* ASCII */
		KUNIT_EXPECT_EQ(test, memcmp(buf + off + 5, "TAPE01  ", 8), 0);
	}
	KUNIT_EXPECT_TRUE(test, found);
	/* The load was counted (attribute 0003h). */
	KUNIT_EXPECT_EQ(test, scst_get_be16(buf + 4 + 13 * 2), 0x0003u);
	KUNIT_EXPECT_EQ(test, scst_get_be64(buf + 4 + 13 * 2 + 5), 1u);
	vt_down(test);
}

static void vtape_prevent_unload_load(struct kunit *test)
{
	uint8_t pa[6] = {ALLOW_MEDIUM_REMOVAL, 0, 0, 0, 1};
	uint8_t lu[6] = {LOAD_UNLOAD};
	struct scst_local_tmf tmf;
	struct scst_local_sess *b;
	struct scst_local_req r;
	struct vt_env *e;

	KUNIT_ASSERT_EQ(test, vtt_init(test), 0);
	e = test->priv;
	KUNIT_ASSERT_EQ(test, scst_local_sess_open(e->tgt, "ini_b", 0, &b), 0);
	KUNIT_EXPECT_EQ(test, vtt_cmd(test, pa, 6), VT_GOOD);
	KUNIT_EXPECT_EQ(test, vtt_cmd(test, lu, 6),
			VT_CC(ILLEGAL_REQUEST, 0x53, 0x02));
	pa[4] = 0;
	KUNIT_EXPECT_EQ(test, vtt_cmd(test, pa, 6), VT_GOOD);
	KUNIT_EXPECT_EQ(test, vtt_cmd(test, lu, 6), VT_GOOD);
	KUNIT_EXPECT_EQ(test, vt_tur(test, LUN), VT_CC(NOT_READY, 0x3a, 0));
	/* Loaded again: this nexus gets no UA, the other one does. */
	lu[4] = 1;
	KUNIT_EXPECT_EQ(test, vtt_cmd(test, lu, 6), VT_GOOD);
	KUNIT_EXPECT_EQ(test, vt_tur(test, LUN), VT_GOOD);
	memset(&r, 0, sizeof(r));
	r.lun = LUN;
	r.cdb[0] = TEST_UNIT_READY;
	r.cdb_len = 6;
	KUNIT_ASSERT_EQ(test, scst_local_exec(b, &r), 0);
	/* Its first command: the power-on UA, then the medium change. */
	if (vt_result(&r) == VT_UA(0x29, 0x01) ||
	    vt_result(&r) == VT_UA(0x29, 0x00)) {
		KUNIT_ASSERT_EQ(test, scst_local_exec(b, &r), 0);
	}
	KUNIT_EXPECT_EQ(test, vt_result(&r), VT_UA(0x28, 0));
	KUNIT_ASSERT_EQ(test, scst_local_exec(b, &r), 0);
	KUNIT_EXPECT_EQ(test, vt_result(&r), VT_GOOD);
	/* A LUN reset ends every prevention (SPC-4 6.13). */
	pa[4] = 1;
	KUNIT_EXPECT_EQ(test, vtt_cmd(test, pa, 6), VT_GOOD);
	lu[4] = 0;
	KUNIT_EXPECT_EQ(test, vtt_cmd(test, lu, 6),
			VT_CC(ILLEGAL_REQUEST, 0x53, 0x02));
	memset(&tmf, 0, sizeof(tmf));
	tmf.fn = SCST_LUN_RESET;
	tmf.lun = LUN;
	KUNIT_EXPECT_EQ(test, scst_local_tmf_exec(b, &tmf),
			SCST_MGMT_STATUS_SUCCESS);
	vt_clear_ua(test, LUN);
	KUNIT_EXPECT_EQ(test, vtt_cmd(test, lu, 6), VT_GOOD);
	lu[4] = 1;
	KUNIT_EXPECT_EQ(test, vtt_cmd(test, lu, 6), VT_GOOD);
	/* Prevention of a nexus ends with the nexus. */
	pa[4] = 1;
	KUNIT_EXPECT_EQ(test, vtt_cmd(test, pa, 6), VT_GOOD);
	scst_local_sess_close(e->sess);
	e->sess = NULL;
	vt_clear_ua(test, LUN);
	lu[4] = 0;
	KUNIT_EXPECT_EQ(test, vtt_cmd(test, lu, 6), VT_GOOD);
	scst_local_sess_close(b);
	vt_down(test);
}

/* Another initiator's MODE SELECT: 2Ah/01h here, not for the sender. */
static void vtape_two_initiators(struct kunit *test)
{
	uint8_t rsv[6] = {RESERVE}, rel[6] = {RELEASE};
	static uint8_t blk[128];
	struct scst_local_sess *b;
	struct scst_local_req r;
	struct vt_env *e;
	int i;

	KUNIT_ASSERT_EQ(test, vtt_init(test), 0);
	e = test->priv;
	KUNIT_ASSERT_EQ(test, scst_local_sess_open(e->tgt, "ini_b", 0, &b), 0);
	memset(&r, 0, sizeof(r));
	r.lun = LUN;
	r.cdb_len = 6;
	r.cdb[0] = TEST_UNIT_READY;
	for (i = 0; i < 5; i++) {
		KUNIT_ASSERT_EQ(test, scst_local_exec(b, &r), 0);
		if (vt_result(&r) == VT_GOOD)
			break;
	}
	KUNIT_ASSERT_EQ(test, vtt_setblk(test, 1024), VT_GOOD);
	KUNIT_EXPECT_EQ(test, vt_tur(test, LUN), VT_GOOD);
	KUNIT_ASSERT_EQ(test, scst_local_exec(b, &r), 0);
	KUNIT_EXPECT_EQ(test, vt_result(&r), VT_UA(0x2a, 0x01));
	/* B reserves: A's WRITE(6) conflicts; after the release it works. */
	memcpy(r.cdb, rsv, 6);
	KUNIT_ASSERT_EQ(test, scst_local_exec(b, &r), 0);
	KUNIT_EXPECT_EQ(test, vt_result(&r), VT_GOOD);
	KUNIT_EXPECT_EQ(test, vtt_write(test, &r, false, 128, blk, 128),
			(uint32_t)SAM_STAT_RESERVATION_CONFLICT << 24);
	memset(&r, 0, sizeof(r));
	r.lun = LUN;
	r.cdb_len = 6;
	memcpy(r.cdb, rel, 6);
	KUNIT_ASSERT_EQ(test, scst_local_exec(b, &r), 0);
	KUNIT_EXPECT_EQ(test, vt_result(&r), VT_GOOD);
	KUNIT_EXPECT_EQ(test, vtt_write(test, &r, false, 128, blk, 128),
			VT_GOOD);
	scst_local_sess_close(b);
	vt_down(test);
}

/* The cartridge outlives the device: delete, add again, read back. */
static void vtape_cartridge_persists(struct kunit *test)
{
	static uint8_t blk[3000], in[3000];
	struct scst_local_req r;
	struct vt_env *e;
	unsigned int i;

	KUNIT_ASSERT_EQ(test, vtt_init(test), 0);
	e = test->priv;
	for (i = 0; i < sizeof(blk); i++)
		blk[i] = (uint8_t)(i * 29 + 1);
	KUNIT_EXPECT_EQ(test, vtt_write(test, &r, false, 3000, blk, 3000),
			VT_GOOD);
	KUNIT_EXPECT_EQ(test, vtt_wfm(test, 1), VT_GOOD);
	scst_local_sess_close(e->sess);
	e->sess = NULL;
	KUNIT_ASSERT_EQ(test,
			scst_acg_del_lun(scst_tgt_default_acg(e->tgt), LUN), 0);
	VT_WOK(test, "/handlers/vtape/mgmt", "del_device drive0");
	vt_add(test, "vtape", "drive0 media_dir=%s; cartridge=TAPE01",
	       vtt_dir(test));
	vt_map(test, "drive0", LUN);
	vt_clear_ua(test, LUN);
	KUNIT_EXPECT_EQ(test, vtt_read(test, &r, 0, 3000, in, 3000), VT_GOOD);
	KUNIT_EXPECT_EQ(test, memcmp(in, blk, 3000), 0);
	KUNIT_EXPECT_EQ(test, vtt_read(test, &r, 0, 3000, in, 3000),
			VT_CC(NO_SENSE, 0, 1));
	KUNIT_EXPECT_EQ(test, vtt_read(test, &r, 0, 3000, in, 3000),
			VT_CC(BLANK_CHECK, 0, 5));
	vt_down(test);
}

/* A record damaged under a loaded cartridge: MEDIUM ERROR, no crash. */
static void vtape_damaged_record(struct kunit *test)
{
	static uint8_t blk[4096], in[4096];
	uint8_t ls[10] = {LOG_SENSE, 0, 0x40 | 0x2e};
	struct scst_local_req r;
	char *path;
	int fd;

	KUNIT_ASSERT_EQ(test, vtt_init(test), 0);
	memset(blk, 0x11, sizeof(blk));
	KUNIT_EXPECT_EQ(test, vtt_write(test, &r, false, 4096, blk, 4096),
			VT_GOOD);
	KUNIT_EXPECT_EQ(test, vtt_write(test, &r, false, 4096, blk, 4096),
			VT_GOOD);
	KUNIT_EXPECT_EQ(test, vtt_rewind(test), VT_GOOD);
	/* Flip bytes inside the first block's data (past the headers). */
	path = vt_sprintf(test, "%s/TAPE01", vtt_dir(test));
	fd = open(path, O_RDWR);
	KUNIT_ASSERT_GE(test, fd, 0);
	KUNIT_EXPECT_EQ(test, pwrite(fd, "XXXX", 4, 8192 + 48 + 100), 4);
	close(fd);
	KUNIT_EXPECT_EQ(test, vtt_read(test, &r, 0, 4096, in, 4096),
			VT_CC(MEDIUM_ERROR, 0x11, 0));
	KUNIT_EXPECT_EQ(test, SENSE_INFO(&r), 4096);
	/* The position did not move; TapeAlert 04h (media) is raised. */
	KUNIT_EXPECT_EQ(test, vtt_obj(test), 0u);
	scst_put_be16(ls + 7, 64);
	vtt_req(test, &r, ls, 10, NULL, 0, in, 64);
	KUNIT_EXPECT_EQ(test, vt_result(&r), VT_GOOD);
	KUNIT_EXPECT_EQ(test, in[4 + 3 * 5 + 4], 1);
	/* The undamaged block after it still reads. */
	KUNIT_EXPECT_EQ(test, vtt_space(test, &r, 0, 1), VT_GOOD);
	KUNIT_EXPECT_EQ(test, vtt_read(test, &r, 0, 4096, in, 4096), VT_GOOD);
	KUNIT_EXPECT_EQ(test, memcmp(in, blk, 4096), 0);
	vt_down(test);
}

static void vtape_mgmt_errors(struct kunit *test)
{
	KUNIT_ASSERT_EQ(test, vt_up(test), 0);
	VT_WERR(test, "/handlers/vtape/mgmt", "add_device d1", -EINVAL,
		"add_device d1: media_dir=/absolute/path is required");
	VT_WERR(test, "/handlers/vtape/mgmt",
		vt_sprintf(test,
			   "create_cartridge A1 media_dir=%s; capacity=1K",
			   vtt_dir(test)),
		-EINVAL, "create_cartridge: bad capacity '1K' (at least 1M)");
	vtt_cart(test, "A1", "");
	VT_WERR(
	    test, "/handlers/vtape/mgmt",
	    vt_sprintf(test, "create_cartridge A1 media_dir=%s", vtt_dir(test)),
	    -EEXIST,
	    vt_sprintf(test, "create_cartridge %s/A1: it exists",
		       vtt_dir(test)));
	VT_WERR(test, "/handlers/vtape/mgmt",
		vt_sprintf(test, "add_device d1 media_dir=%s; cartridge=NOPE",
			   vtt_dir(test)),
		-ENOENT,
		vt_sprintf(test, "cannot load %s/NOPE: no such file",
			   vtt_dir(test)));
	KUNIT_EXPECT_NULL(test, scst_find_device("d1"));
	vt_down(test);
}

static struct kunit_case vtape_drive_cases[] = {
    KUNIT_CASE(vtape_no_medium),
    KUNIT_CASE(vtape_inquiry_ids),
    KUNIT_CASE(vtape_variable_mode),
    KUNIT_CASE(vtape_fixed_mode),
    KUNIT_CASE(vtape_space_cases),
    KUNIT_CASE(vtape_locate_read_position),
    KUNIT_CASE(vtape_overwrite_truncates),
    KUNIT_CASE(vtape_early_warning_overflow),
    KUNIT_CASE(vtape_write_protected),
    KUNIT_CASE(vtape_mode_log_pages),
    KUNIT_CASE(vtape_mam),
    KUNIT_CASE(vtape_prevent_unload_load),
    KUNIT_CASE(vtape_two_initiators),
    KUNIT_CASE(vtape_cartridge_persists),
    KUNIT_CASE(vtape_damaged_record),
    KUNIT_CASE(vtape_mgmt_errors),
    {}};

static struct kunit_suite vtape_drive_suite = {
    .name = "vtape_drive",
    .test_cases = vtape_drive_cases,
};
kunit_test_suite(vtape_drive_suite);
