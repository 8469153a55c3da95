// SPDX-License-Identifier: GPL-2.0-only
/*
 * Unit tests of the SPC emulation of the vdisk handlers
 * (dev_handlers/vdisk/vdisk_spc.c, vdisk_spc_mode.c), through scst_local
 * with vdisk_nullio devices made through the config tree: INQUIRY and its
 * VPD pages byte by byte, MODE SENSE with every page control, MODE SELECT
 * (changes, changeable-mask violations, the unit attention it raises),
 * REPORT SUPPORTED OPERATION CODES / TASK MANAGEMENT FUNCTIONS and the unit
 * state commands.
 */
#include <stdlib.h>
#include <unistd.h>

#include "../scst/src/scst_tree_fixture.h"
#include "dev_handlers/vdisk/vdisk_limits.h"
#include "dev_handlers/vdisk/vdisk_module.h"

#define VMGMT "/handlers/vdisk_nullio/mgmt"
#define LUNS  "/targets/scst_local/t/luns/mgmt"

/* The identity the main device is given: parameters, then attributes. */
#define DEV_PARAMS "size_mb=64; t10_dev_id=dev-00; rotational=0"
static const char *const dev_attrs[][2] = {
    {"/devices/n0/t10_vend_id", "VEND"},
    {"/devices/n0/prod_id", "PROD_X"},
    {"/devices/n0/prod_rev_lvl", "R12"},
    {"/devices/n0/usn", "SN0001"},
};
static const uint8_t dev_naa[8] = {0x50, 0x01, 0x40, 0x5a,
				   0xbc, 0xde, 0xf0, 0x12};
#define DEV_NBLOCKS (64u * 1024 * 1024 / 512)

struct vs_env {
	struct tt_env tt; /* first: the fixture's helpers use it */
	struct scst_tgt *tgt;
	char file[64]; /* backing file of a fileio device, removed at exit */
};

static const struct scst_module *const vs_mods[] = {&vdisk_module,
						    &scst_local_module};
#define VS_NMODS (sizeof(vs_mods) / sizeof(vs_mods[0]))

static void vs_down(struct kunit *test)
{
	struct vs_env *v = test->priv;
	struct tt_env *e = v ? &v->tt : NULL;
	unsigned int i;

	if (!e)
		return;
	if (v->file[0])
		unlink(v->file);
	for (i = 0; i < TT_NSESS; i++) {
		if (e->sess[i])
			scst_local_sess_close(e->sess[i]);
		e->sess[i] = NULL;
	}
	t_engine_down(test, &e->eng);
}

/* The core, vdisk and scst_local; target "t"; the main device at LUN 0. */
static int vs_up(struct kunit *test)
{
	struct vs_env *v;
	unsigned int i;
	int rc;

	v = kunit_kzalloc(test, sizeof(*v), GFP_KERNEL);
	if (!v)
		return -ENOMEM;
	test->priv = v;
	rc = t_engine_up(&v->tt.eng, vs_mods, VS_NMODS, SCST_LOG_WARN);
	if (rc)
		goto fail;
	rc = scst_local_add_target("t", &v->tgt);
	if (rc)
		goto fail;
	rc = tt_w(test, VMGMT, "add_device n0 " DEV_PARAMS);
	for (i = 0; !rc && i < sizeof(dev_attrs) / sizeof(dev_attrs[0]); i++)
		rc = tt_w(test, dev_attrs[i][0], dev_attrs[i][1]);
	if (!rc)
		rc = tt_w(test, LUNS, "add n0 0");
	if (rc)
		goto fail;
	return 0;
fail:
	kunit_info(test, "bring-up: %d %s", rc, tt_msg(test));
	vs_down(test);
	return rc;
}

/* A session of @ini with the unit attentions of LUNs 0 and 1 consumed. */
static struct scst_local_sess *vs_sess(struct kunit *test, const char *ini)
{
	struct vs_env *v = test->priv;
	struct scst_local_sess *s = tt_open(test, v->tgt, ini);

	tt_clear_ua(test, s, 0);
	if (tt_exists("/targets/scst_local/t/luns/1"))
		tt_clear_ua(test, s, 1);
	return s;
}

/* A command with Data-Out @data to @lun; returns tt_result(). */
static uint32_t vs_out(struct kunit *test, struct scst_local_sess *s,
		       uint64_t lun, const uint8_t *cdb, unsigned int cdb_len,
		       const void *data, uint32_t len, struct scst_local_req *r)
{
	memset(r, 0, sizeof(*r));
	r->lun = lun;
	memcpy(r->cdb, cdb, cdb_len);
	r->cdb_len = cdb_len;
	r->exp_set = true;
	r->exp_dir = SCST_DATA_WRITE;
	r->exp_len = len;
	r->data_out = data;
	r->data_out_len = len;
	KUNIT_ASSERT_EQ(test, scst_local_exec(s, r), 0);
	return tt_result(r);
}

/* ILLEGAL REQUEST @asc, fixed sense, field pointer @byte (@bit or -1). */
static void vs_expect_field(struct kunit *test, const struct scst_local_req *r,
			    uint8_t asc, bool in_cdb, unsigned int byte,
			    int bit)
{
	uint8_t sks = 0x80 | (in_cdb ? 0x40 : 0);

	if (bit >= 0)
		sks |= (uint8_t)(0x08 | bit);
	KUNIT_EXPECT_EQ(test, tt_result(r), TT_CC(ILLEGAL_REQUEST, asc, 0));
	KUNIT_ASSERT_EQ(test, r->sense_len, 18u);
	KUNIT_EXPECT_EQ(test, r->sense[15], sks);
	KUNIT_EXPECT_EQ(test, scst_get_be16(r->sense + 16), byte);
}

static uint32_t vs_inquiry(struct kunit *test, struct scst_local_sess *s,
			   uint64_t lun, bool evpd, uint8_t page,
			   uint16_t alloc, struct scst_local_req *r,
			   uint8_t *buf, uint32_t size)
{
	uint8_t cdb[6] = {INQUIRY, evpd ? 1 : 0, page};

	scst_put_be16(cdb + 3, alloc);
	memset(buf, 0xa5, size);
	return tt_exec(test, s, lun, cdb, 6, r, buf, size);
}

/* ------------------------------------------------------------ INQUIRY ---- */

static void spc_inquiry_standard(struct kunit *test)
{
	struct scst_local_sess *s = vs_sess(test, "ini");
	struct scst_local_req r;
	uint8_t buf[256], want[96];

	memset(want, 0, sizeof(want));
	want[2] = 0x06;
	want[3] = 0x12;
	want[4] = 91;
	want[5] = 0x00; /* TPGS 00b: in no device group (3PC masked below) */
	want[7] = 0x02;
	memcpy(want + 8, "VEND    ", 8);
	memcpy(want + 16, "PROD_X          ", 16);
	memcpy(want + 32, "R12 ", 4);
	scst_put_be16(want + 58, 0x00a0); /* SAM-5 */
	scst_put_be16(want + 60, 0x0460); /* SPC-4 */
	scst_put_be16(want + 62, 0x04c0); /* SBC-3 */
	scst_put_be16(want + 64, 0x0960); /* iSCSI */

	KUNIT_EXPECT_EQ(
	    test, vs_inquiry(test, s, 0, false, 0, 255, &r, buf, 255), TT_GOOD);
	KUNIT_ASSERT_EQ(test, r.data_in_len, 96u);
	buf[5] &= (uint8_t)~0x08; /* 3PC follows EXTENDED COPY support */
	KUNIT_EXPECT_MEMEQ(test, buf, want, 96);

	/* Allocation length truncation. */
	KUNIT_EXPECT_EQ(
	    test, vs_inquiry(test, s, 0, false, 0, 36, &r, buf, 255), TT_GOOD);
	KUNIT_EXPECT_EQ(test, r.data_in_len, 36u);
	KUNIT_EXPECT_EQ(test, buf[4], 91);
	KUNIT_EXPECT_EQ(test, buf[36], 0xa5);
	KUNIT_EXPECT_EQ(test, vs_inquiry(test, s, 0, false, 0, 5, &r, buf, 255),
			TT_GOOD);
	KUNIT_EXPECT_EQ(test, r.data_in_len, 5u);

	/* A page code without EVPD, and an unknown page. */
	vs_inquiry(test, s, 0, false, 0x80, 255, &r, buf, 255);
	vs_expect_field(test, &r, 0x24, true, 2, -1);
	vs_inquiry(test, s, 0, true, 0x99, 255, &r, buf, 255);
	vs_expect_field(test, &r, 0x24, true, 2, -1);
}

static void spc_inquiry_vpd_ids(struct kunit *test)
{
	static const uint8_t pages[] = {0x00, 0x80, 0x83, 0x86,
					0xb0, 0xb1, 0xb2};
	struct vs_env *v = test->priv;
	struct scst_local_sess *s = vs_sess(test, "ini");
	uint16_t rtp = scst_tgt_rel_tgt_id(v->tgt);
	struct scst_local_req r;
	uint8_t buf[256], want[64];

	/* 00h: exactly the pages of a disk. */
	KUNIT_EXPECT_EQ(
	    test, vs_inquiry(test, s, 0, true, 0, 255, &r, buf, 255), TT_GOOD);
	KUNIT_ASSERT_EQ(test, r.data_in_len, 4u + sizeof(pages));
	KUNIT_EXPECT_EQ(test, buf[0], 0);
	KUNIT_EXPECT_EQ(test, buf[1], 0);
	KUNIT_EXPECT_EQ(test, scst_get_be16(buf + 2), sizeof(pages));
	KUNIT_EXPECT_MEMEQ(test, buf + 4, pages, sizeof(pages));

	/* 80h: the usn attribute. */
	KUNIT_EXPECT_EQ(test,
			vs_inquiry(test, s, 0, true, 0x80, 255, &r, buf, 255),
			TT_GOOD);
	KUNIT_ASSERT_EQ(test, r.data_in_len, 10u);
	KUNIT_EXPECT_MEMEQ(test, buf, "\x00\x80\x00\x06SN0001", 10);

	/*
	 * 83h: the default NAA 6 designator (no naa_id/eui64_id set), the
	 * T10 vendor ID, the relative target port.
	 */
	memset(want, 0, sizeof(want));
	want[1] = 0x83;
	want[3] = 46;
	memcpy(want + 4, "\x01\x03\x00\x10", 4);
	memcpy(want + 24, "\x02\x01\x00\x0e", 4);
	memcpy(want + 28, "VEND    dev-00", 14);
	memcpy(want + 42, "\x01\x14\x00\x04\x00\x00", 6);
	scst_put_be16(want + 48, rtp);
	KUNIT_EXPECT_EQ(test,
			vs_inquiry(test, s, 0, true, 0x83, 255, &r, buf, 255),
			TT_GOOD);
	KUNIT_ASSERT_EQ(test, r.data_in_len, 50u);
	KUNIT_EXPECT_MEMEQ(test, buf, want, 8);
	/* NAA 6, IEEE company ID 001405h, then the name's hashes. */
	KUNIT_EXPECT_MEMEQ(test, buf + 8, "\x60\x01\x40", 3);
	KUNIT_EXPECT_EQ(test, buf[11] & 0xf0, 0x50);
	memcpy(want + 8, buf + 8, 16);
	KUNIT_EXPECT_MEMEQ(test, buf + 24, want + 24, 26);
	/* Stable: the same again. */
	KUNIT_EXPECT_EQ(test,
			vs_inquiry(test, s, 0, true, 0x83, 255, &r, buf, 255),
			TT_GOOD);
	KUNIT_EXPECT_MEMEQ(test, buf, want, 50);
	/* Truncated: the page length still tells the whole. */
	KUNIT_EXPECT_EQ(
	    test, vs_inquiry(test, s, 0, true, 0x83, 8, &r, buf, 255), TT_GOOD);
	KUNIT_EXPECT_EQ(test, r.data_in_len, 8u);
	KUNIT_EXPECT_MEMEQ(test, buf, want, 8);
	KUNIT_EXPECT_EQ(test, buf[8], 0xa5);

	/* 86h: extended INQUIRY data. */
	memset(want, 0, sizeof(want));
	want[1] = 0x86;
	want[3] = 0x3c;
	want[5] = 0x07;
	want[6] = 0x01;
	want[7] = 0x01;
	KUNIT_EXPECT_EQ(test,
			vs_inquiry(test, s, 0, true, 0x86, 255, &r, buf, 255),
			TT_GOOD);
	KUNIT_ASSERT_EQ(test, r.data_in_len, 64u);
	KUNIT_EXPECT_MEMEQ(test, buf, want, 64);
}

static void spc_inquiry_vpd_block(struct kunit *test)
{
	struct scst_local_sess *s;
	struct scst_local_req r;
	uint8_t buf[256], want[64];

	struct vs_env *v = test->priv;
	char cmd[256];
	int fd;

	/* Thin provisioning is for files: an 8 MiB one at LUN 1. */
	snprintf(v->file, sizeof(v->file), "/tmp/vdisk_spc_XXXXXX");
	fd = mkstemp(v->file);
	KUNIT_ASSERT_GE(test, fd, 0);
	KUNIT_ASSERT_EQ(test, ftruncate(fd, 8 << 20), 0);
	close(fd);
	snprintf(cmd, sizeof(cmd),
		 "add_device f1 filename=%s; thin_provisioned=1; "
		 "naa_id=5001405abcdef012",
		 v->file);
	TT_WOK(test, "/handlers/vdisk_fileio/mgmt", cmd);
	TT_WOK(test, LUNS, "add f1 1");
	s = vs_sess(test, "ini");

	/* B0h, fully provisioned: no UNMAP limits. */
	memset(want, 0, sizeof(want));
	want[1] = 0xb0;
	want[3] = 0x3c;
	want[4] = VDISK_WSNZ ? 1 : 0;
	want[5] = VDISK_MAX_CAW_LEN;
	scst_put_be16(want + 6, 1);
	scst_put_be32(want + 8, vdisk_max_xfer_blocks(512));
	scst_put_be64(want + 36, VDISK_MAX_WRITE_SAME_LEN);
	KUNIT_EXPECT_EQ(test,
			vs_inquiry(test, s, 0, true, 0xb0, 255, &r, buf, 255),
			TT_GOOD);
	KUNIT_ASSERT_EQ(test, r.data_in_len, 64u);
	KUNIT_EXPECT_MEMEQ(test, buf, want, 64);
	/* Thin: the UNMAP limits. */
	scst_put_be32(want + 20, VDISK_MAX_UNMAP_LBA_COUNT);
	scst_put_be32(want + 24, VDISK_MAX_UNMAP_DESC);
	scst_put_be32(want + 28, vdisk_unmap_granularity(512));
	want[32] = 0x80;
	KUNIT_EXPECT_EQ(test,
			vs_inquiry(test, s, 1, true, 0xb0, 255, &r, buf, 255),
			TT_GOOD);
	KUNIT_ASSERT_EQ(test, r.data_in_len, 64u);
	KUNIT_EXPECT_MEMEQ(test, buf, want, 64);

	/* 83h of the file: the NAA designator comes first. */
	KUNIT_EXPECT_EQ(test,
			vs_inquiry(test, s, 1, true, 0x83, 255, &r, buf, 255),
			TT_GOOD);
	KUNIT_ASSERT_GE(test, r.data_in_len, 16u);
	KUNIT_EXPECT_MEMEQ(test, buf + 4, "\x01\x03\x00\x08", 4);
	KUNIT_EXPECT_MEMEQ(test, buf + 8, dev_naa, 8);

	/* B1h: non-rotating (rotational defaults to 0 for nullio). */
	memset(want, 0, sizeof(want));
	want[1] = 0xb1;
	want[3] = 0x3c;
	want[5] = 0x01;
	KUNIT_EXPECT_EQ(test,
			vs_inquiry(test, s, 0, true, 0xb1, 255, &r, buf, 255),
			TT_GOOD);
	KUNIT_ASSERT_EQ(test, r.data_in_len, 64u);
	KUNIT_EXPECT_MEMEQ(test, buf, want, 64);

	/* B2h: nothing when fully provisioned, thin with LBPU... */
	KUNIT_EXPECT_EQ(test,
			vs_inquiry(test, s, 0, true, 0xb2, 255, &r, buf, 255),
			TT_GOOD);
	KUNIT_ASSERT_EQ(test, r.data_in_len, 8u);
	KUNIT_EXPECT_MEMEQ(test, buf, "\x00\xb2\x00\x04\x00\x00\x00\x00", 8);
	KUNIT_EXPECT_EQ(test,
			vs_inquiry(test, s, 1, true, 0xb2, 255, &r, buf, 255),
			TT_GOOD);
	KUNIT_ASSERT_EQ(test, r.data_in_len, 8u);
	KUNIT_EXPECT_EQ(test, buf[5], VDISK_LBPRZ ? 0xe4 : 0xe0);
	KUNIT_EXPECT_EQ(test, buf[6], 0x02);
}

/* --------------------------------------------------------- MODE SENSE ---- */

static uint32_t vs_mode_sense6(struct kunit *test, struct scst_local_sess *s,
			       uint8_t b1, uint8_t b2, uint8_t sub,
			       uint8_t alloc, struct scst_local_req *r,
			       uint8_t *buf)
{
	uint8_t cdb[6] = {MODE_SENSE, b1, b2, sub, alloc, 0};

	memset(buf, 0xa5, 256);
	return tt_exec(test, s, 0, cdb, 6, r, buf, 256);
}

/* The four pages for @pc with the state WCE @wce, D_SENSE @ds. */
static void vs_pages(uint8_t *p, int pc, bool wce, bool ds)
{
	memset(p, 0, 56);
	p[0] = 0x01;
	p[1] = 0x0a;
	p[12] = 0x08;
	p[13] = 0x12;
	p[32] = 0x0a;
	p[33] = 0x0a;
	p[44] = 0x1c;
	p[45] = 0x0a;
	if (pc == 1) {
		p[14] = 0x04;
		p[34] = 0x04;
		p[36] = 0x08;
		p[37] = 0x40;
		return;
	}
	p[14] = (pc == 2 || wce) ? 0x04 : 0;
	p[34] = (uint8_t)(0x20 | (pc == 0 && ds ? 0x04 : 0));
	p[35] = 0x10;
	p[46] = 0x08;
}

static void spc_mode_sense_pc(struct kunit *test)
{
	struct scst_local_sess *s = vs_sess(test, "ini");
	struct scst_local_req r;
	uint8_t buf[256], want[128];
	uint8_t cdb10[10] = {MODE_SENSE_10, 0x10, 0x3f};
	int pc;

	for (pc = 0; pc < 3; pc++) {
		memset(want, 0, sizeof(want));
		want[0] = 67;
		want[2] = 0x10; /* DPOFUA */
		want[3] = 8;
		scst_put_be32(want + 4, DEV_NBLOCKS);
		scst_put_be24(want + 9, 512);
		vs_pages(want + 12, pc, true, false);
		KUNIT_EXPECT_EQ(test,
				vs_mode_sense6(test, s, 0,
					       (uint8_t)(pc << 6 | 0x3f), 0,
					       255, &r, buf),
				TT_GOOD);
		KUNIT_ASSERT_EQ(test, r.data_in_len, 68u);
		KUNIT_EXPECT_MEMEQ_MSG(test, buf, want, 68, "PC %d", pc);
	}
	/* Saved values: none. */
	vs_mode_sense6(test, s, 0, 0xff, 0, 255, &r, buf);
	KUNIT_EXPECT_EQ(test, tt_result(&r), TT_CC(ILLEGAL_REQUEST, 0x39, 0));

	/* DBD, one page, subpage FFh. */
	KUNIT_EXPECT_EQ(test,
			vs_mode_sense6(test, s, 0x08, 0x0a, 0xff, 255, &r, buf),
			TT_GOOD);
	KUNIT_ASSERT_EQ(test, r.data_in_len, 16u);
	KUNIT_EXPECT_MEMEQ(test, buf, "\x0f\x00\x10\x00", 4);
	vs_pages(want, 0, true, false);
	KUNIT_EXPECT_MEMEQ(test, buf + 4, want + 32, 12);

	/* Truncation: the header says what there is. */
	KUNIT_EXPECT_EQ(test, vs_mode_sense6(test, s, 0, 0x3f, 0, 4, &r, buf),
			TT_GOOD);
	KUNIT_EXPECT_EQ(test, r.data_in_len, 4u);
	KUNIT_EXPECT_EQ(test, buf[0], 67);
	KUNIT_EXPECT_EQ(test, buf[4], 0xa5);

	/* Unknown page, unknown subpage. */
	vs_mode_sense6(test, s, 0, 0x05, 0, 255, &r, buf);
	vs_expect_field(test, &r, 0x24, true, 2, 5);
	vs_mode_sense6(test, s, 0, 0x08, 0x01, 255, &r, buf);
	vs_expect_field(test, &r, 0x24, true, 3, -1);

	/* MODE SENSE(10) with LLBAA: the long block descriptor. */
	scst_put_be16(cdb10 + 7, 255);
	memset(buf, 0xa5, sizeof(buf));
	KUNIT_EXPECT_EQ(test, tt_exec(test, s, 0, cdb10, 10, &r, buf, 255),
			TT_GOOD);
	KUNIT_ASSERT_EQ(test, r.data_in_len, 8u + 16 + 56);
	memset(want, 0, sizeof(want));
	scst_put_be16(want, 8 + 16 + 56 - 2);
	want[3] = 0x10;
	want[4] = 0x01; /* LONGLBA */
	want[7] = 16;
	scst_put_be64(want + 8, DEV_NBLOCKS);
	scst_put_be32(want + 20, 512);
	vs_pages(want + 24, 0, true, false);
	KUNIT_EXPECT_MEMEQ(test, buf, want, 80);
}

/* -------------------------------------------------------- MODE SELECT ---- */

static uint32_t vs_mode_select6(struct kunit *test, struct scst_local_sess *s,
				uint8_t b1, const uint8_t *list, uint8_t len,
				struct scst_local_req *r)
{
	uint8_t cdb[6] = {MODE_SELECT, b1, 0, 0, len, 0};

	uint32_t v = vs_out(test, s, 0, cdb, 6, list, len, r);

	/*
	 * Until the core can raise MODE PARAMETERS CHANGED on every nexus
	 * but this one, the issuer gets it too: consume it here, so that
	 * spc_mode_select_no_ua_issuer alone shows the gap.
	 */
	if (v == TT_GOOD)
		tt_clear_ua(test, s, 0);
	return v;
}

/* MODE SELECT(6) with nothing done after it. */
static uint32_t vs_mode_select6_raw(struct kunit *test,
				    struct scst_local_sess *s, uint8_t b1,
				    const uint8_t *list, uint8_t len,
				    struct scst_local_req *r)
{
	uint8_t cdb[6] = {MODE_SELECT, b1, 0, 0, len, 0};

	return vs_out(test, s, 0, cdb, 6, list, len, r);
}

static void spc_mode_select_changes(struct kunit *test)
{
	struct scst_local_sess *s = vs_sess(test, "ini");
	struct scst_local_req r;
	uint8_t buf[256], list[32], want[56];
	uint8_t bad[12] = {INQUIRY, 0, 0x80, 0, 36, 0};

	/* WCE off through the caching page. */
	memset(list, 0, sizeof(list));
	vs_pages(want, 0, true, false);
	memcpy(list + 4, want + 12, 20);
	list[6] = 0;
	KUNIT_EXPECT_EQ(test, vs_mode_select6(test, s, 0x10, list, 24, &r),
			TT_GOOD);
	vs_mode_sense6(test, s, 0x08, 0x08, 0, 255, &r, buf);
	KUNIT_EXPECT_EQ(test, buf[6], 0);
	KUNIT_EXPECT_STREQ(test, tt_r(test, "/devices/n0/write_through"),
			   "1\n[key]\n");

	/* D_SENSE on: errors now come as descriptor sense. */
	memcpy(list + 4, want + 32, 12);
	list[6] |= 0x04;
	KUNIT_EXPECT_EQ(test, vs_mode_select6(test, s, 0x10, list, 16, &r),
			TT_GOOD);
	vs_mode_sense6(test, s, 0x08, 0x0a, 0, 255, &r, buf);
	KUNIT_EXPECT_EQ(test, buf[6], 0x24);
	tt_exec(test, s, 0, bad, 6, &r, buf, 36);
	KUNIT_EXPECT_EQ(test, tt_result(&r), TT_CC(ILLEGAL_REQUEST, 0x24, 0));
	KUNIT_EXPECT_EQ(test, r.sense[0], 0x72);

	/* And back. */
	list[6] &= (uint8_t)~0x04;
	KUNIT_EXPECT_EQ(test, vs_mode_select6(test, s, 0x10, list, 16, &r),
			TT_GOOD);
	tt_exec(test, s, 0, bad, 6, &r, buf, 36);
	KUNIT_EXPECT_EQ(test, r.sense[0], 0x70);

	/* A block descriptor with the current block size is fine. */
	memset(list, 0, sizeof(list));
	list[3] = 8;
	scst_put_be24(list + 9, 512);
	KUNIT_EXPECT_EQ(test, vs_mode_select6(test, s, 0x10, list, 12, &r),
			TT_GOOD);
	/* An empty list changes nothing. */
	KUNIT_EXPECT_EQ(test, vs_mode_select6(test, s, 0x10, list, 0, &r),
			TT_GOOD);
}

static void spc_mode_select_errors(struct kunit *test)
{
	struct scst_local_sess *s = vs_sess(test, "ini");
	struct scst_local_req r;
	uint8_t list[32], want[56];

	vs_pages(want, 0, true, false);
	memset(list, 0, sizeof(list));
	memcpy(list + 4, want + 12, 20);

	/* PF 0, SP 1. */
	vs_mode_select6(test, s, 0x00, list, 24, &r);
	vs_expect_field(test, &r, 0x24, true, 1, 4);
	vs_mode_select6(test, s, 0x11, list, 24, &r);
	vs_expect_field(test, &r, 0x24, true, 1, 0);

	/* RCD is not changeable: pointer at byte 6, bit 0. */
	list[6] |= 0x01;
	vs_mode_select6(test, s, 0x10, list, 24, &r);
	vs_expect_field(test, &r, 0x26, false, 6, 0);
	list[6] &= (uint8_t)~0x01;
	/* Cache segment size (byte 14 of the page). */
	list[4 + 14] = 0x80;
	vs_mode_select6(test, s, 0x10, list, 24, &r);
	vs_expect_field(test, &r, 0x26, false, 18, 7);
	list[4 + 14] = 0;
	/* Wrong page length, unknown page, subpage format. */
	list[5] = 0x10;
	vs_mode_select6(test, s, 0x10, list, 24, &r);
	vs_expect_field(test, &r, 0x26, false, 5, -1);
	list[5] = 0x12;
	list[4] = 0x05;
	vs_mode_select6(test, s, 0x10, list, 24, &r);
	vs_expect_field(test, &r, 0x26, false, 4, 5);
	list[4] = 0x48;
	vs_mode_select6(test, s, 0x10, list, 24, &r);
	vs_expect_field(test, &r, 0x26, false, 4, 6);
	list[4] = 0x08;
	/* A page cut short, a list shorter than its header. */
	vs_mode_select6(test, s, 0x10, list, 20, &r);
	KUNIT_EXPECT_EQ(test, tt_result(&r), TT_CC(ILLEGAL_REQUEST, 0x1a, 0));
	vs_mode_select6(test, s, 0x10, list, 3, &r);
	KUNIT_EXPECT_EQ(test, tt_result(&r), TT_CC(ILLEGAL_REQUEST, 0x1a, 0));

	/* Another block size. */
	memset(list, 0, sizeof(list));
	list[3] = 8;
	scst_put_be24(list + 9, 4096);
	vs_mode_select6(test, s, 0x10, list, 12, &r);
	vs_expect_field(test, &r, 0x26, false, 9, -1);
	list[3] = 16;
	vs_mode_select6(test, s, 0x10, list, 20, &r);
	vs_expect_field(test, &r, 0x26, false, 3, -1);
}

/* Turn WCE off from @s. */
static void vs_wce_off(struct kunit *test, struct scst_local_sess *s)
{
	struct scst_local_req r;
	uint8_t list[24], want[56];

	vs_pages(want, 0, true, false);
	memset(list, 0, sizeof(list));
	memcpy(list + 4, want + 12, 20);
	list[6] = 0;
	KUNIT_EXPECT_EQ(test, vs_mode_select6(test, s, 0x10, list, 24, &r),
			TT_GOOD);
}

static void spc_mode_select_ua_others(struct kunit *test)
{
	struct scst_local_sess *s1 = vs_sess(test, "ini1");
	struct scst_local_sess *s2 = vs_sess(test, "ini2");

	vs_wce_off(test, s1);
	KUNIT_EXPECT_EQ(test, tt_tur(test, s2, 0), TT_UA(0x2a, 0x01));
	KUNIT_EXPECT_EQ(test, tt_tur(test, s2, 0), TT_GOOD);
	/* Setting what is already set is no change. */
	vs_wce_off(test, s1);
	KUNIT_EXPECT_EQ(test, tt_tur(test, s2, 0), TT_GOOD);
}

/*
 * SPC-4 7.5.1: the nexus that changed the parameters gets no unit
 * attention. Needs the core's scst_dev_set_ua_except().
 */
static void spc_mode_select_no_ua_issuer(struct kunit *test)
{
	struct scst_local_sess *s1 = vs_sess(test, "ini1");
	struct scst_local_req r;
	uint8_t list[24], want[56];

	vs_pages(want, 0, true, false);
	memset(list, 0, sizeof(list));
	memcpy(list + 4, want + 12, 20);
	list[6] = 0;
	KUNIT_EXPECT_EQ(test, vs_mode_select6_raw(test, s1, 0x10, list, 24, &r),
			TT_GOOD);
	KUNIT_EXPECT_EQ(test, tt_tur(test, s1, 0), TT_GOOD);
}

/* ------------------------------------------------------------- RSOC ---- */

static uint32_t vs_rsoc(struct kunit *test, struct scst_local_sess *s,
			uint8_t b2, uint8_t op, uint16_t sa, uint32_t alloc,
			struct scst_local_req *r, uint8_t *buf, uint32_t size)
{
	uint8_t cdb[12] = {MAINTENANCE_IN, MI_REPORT_SUPPORTED_OPCODES, b2, op};

	scst_put_be16(cdb + 4, sa);
	scst_put_be32(cdb + 6, alloc);
	memset(buf, 0xa5, size);
	return tt_exec(test, s, 0, cdb, 12, r, buf, size);
}

/* The descriptor of (@op, @sa) in an "all commands" list, or NULL. */
static const uint8_t *vs_rsoc_find(const uint8_t *buf, uint32_t len,
				   unsigned int dlen, uint8_t op, int sa)
{
	uint32_t off;

	for (off = 4; off + dlen <= len; off += dlen)
		if (buf[off] == op &&
		    (sa < 0 ? !(buf[off + 5] & 1)
			    : (buf[off + 5] & 1) &&
				  scst_get_be16(buf + off + 2) == sa))
			return buf + off;
	return NULL;
}

static void spc_rsoc_all(struct kunit *test)
{
	struct scst_local_sess *s = vs_sess(test, "ini");
	struct scst_local_req r, r1;
	uint8_t *buf = kunit_kzalloc(test, 4096, GFP_KERNEL);
	uint8_t one[64];
	const uint8_t *d;
	uint32_t len, off;

	KUNIT_ASSERT_NOT_NULL(test, buf);
	KUNIT_EXPECT_EQ(test, vs_rsoc(test, s, 0, 0, 0, 4096, &r, buf, 4096),
			TT_GOOD);
	len = r.data_in_len;
	KUNIT_ASSERT_GT(test, len, 4u);
	KUNIT_EXPECT_EQ(test, scst_get_be32(buf), len - 4);
	KUNIT_EXPECT_EQ(test, (len - 4) % 8, 0u);
	d = vs_rsoc_find(buf, len, 8, READ_10, -1);
	KUNIT_ASSERT_NOT_NULL(test, d);
	KUNIT_EXPECT_MEMEQ(test, d, "\x28\x00\x00\x00\x00\x00\x00\x0a", 8);
	d = vs_rsoc_find(buf, len, 8, MAINTENANCE_IN, 0x0c);
	KUNIT_ASSERT_NOT_NULL(test, d);
	KUNIT_EXPECT_MEMEQ(test, d, "\xa3\x00\x00\x0c\x00\x01\x00\x0c", 8);
	KUNIT_EXPECT_NOT_NULL(test, vs_rsoc_find(buf, len, 8, REPORT_LUNS, -1));
	KUNIT_EXPECT_NOT_NULL(test,
			      vs_rsoc_find(buf, len, 8, REQUEST_SENSE, -1));
	KUNIT_EXPECT_NOT_NULL(test, vs_rsoc_find(buf, len, 8, INQUIRY, -1));
	/* In the core's table, but no vdisk table implements it. */
	KUNIT_EXPECT_NULL(test, vs_rsoc_find(buf, len, 8, LOG_SELECT, -1));

	/* Every listed command is "supported" one by one. */
	for (off = 4; off + 8 <= len; off += 8) {
		bool sa = buf[off + 5] & 1;

		vs_rsoc(test, s, sa ? 2 : 1, buf[off],
			scst_get_be16(buf + off + 2), 64, &r1, one,
			sizeof(one));
		KUNIT_EXPECT_EQ_MSG(test, tt_result(&r1), TT_GOOD, "op %02x",
				    buf[off]);
		KUNIT_EXPECT_EQ_MSG(test, one[1], 0x03, "op %02x", buf[off]);
		KUNIT_EXPECT_EQ(test, one[4], buf[off]);
		KUNIT_EXPECT_EQ(test, scst_get_be16(one + 2),
				scst_get_be16(buf + off + 6));
	}

	/* With RCTD: 20-byte descriptors with their timeouts. */
	KUNIT_EXPECT_EQ(test, vs_rsoc(test, s, 0x80, 0, 0, 4096, &r, buf, 4096),
			TT_GOOD);
	KUNIT_EXPECT_EQ(test, r.data_in_len, 4 + (len - 4) / 8 * 20);
	d = vs_rsoc_find(buf, r.data_in_len, 20, READ_10, -1);
	KUNIT_ASSERT_NOT_NULL(test, d);
	KUNIT_EXPECT_EQ(test, d[5], 0x02);
	KUNIT_EXPECT_EQ(test, scst_get_be16(d + 8), 0x0a);

	/* Truncation. */
	KUNIT_EXPECT_EQ(test, vs_rsoc(test, s, 0, 0, 0, 6, &r, buf, 4096),
			TT_GOOD);
	KUNIT_EXPECT_EQ(test, r.data_in_len, 6u);
	KUNIT_EXPECT_EQ(test, scst_get_be32(buf), len - 4);
}

/* REPORT SUPPORTED OPERATION CODES lists RTPG (A3h/0Ah), STPG (A4h/0Ah)? */
static void vs_rsoc_alua(struct kunit *test, struct scst_local_sess *s,
			 bool *rtpg, bool *stpg)
{
	uint8_t *buf = kunit_kzalloc(test, 4096, GFP_KERNEL);
	struct scst_local_req r;
	uint8_t one[64];

	KUNIT_ASSERT_NOT_NULL(test, buf);
	KUNIT_ASSERT_EQ(test, vs_rsoc(test, s, 0, 0, 0, 4096, &r, buf, 4096),
			TT_GOOD);
	*rtpg = vs_rsoc_find(buf, r.data_in_len, 8, MAINTENANCE_IN,
			     MI_REPORT_TARGET_PGS) != NULL;
	*stpg = vs_rsoc_find(buf, r.data_in_len, 8, MAINTENANCE_OUT,
			     MO_SET_TARGET_PGS) != NULL;
	/* The one-command forms say the same. */
	KUNIT_ASSERT_EQ(test,
			vs_rsoc(test, s, 2, MAINTENANCE_IN,
				MI_REPORT_TARGET_PGS, 64, &r, one, 64),
			TT_GOOD);
	KUNIT_EXPECT_EQ(test, one[1] & 0x07, *rtpg ? 0x03 : 0x01);
	KUNIT_ASSERT_EQ(test,
			vs_rsoc(test, s, 2, MAINTENANCE_OUT, MO_SET_TARGET_PGS,
				64, &r, one, 64),
			TT_GOOD);
	KUNIT_EXPECT_EQ(test, one[1] & 0x07, *stpg ? 0x03 : 0x01);
	if (*stpg) {
		/* CDB USAGE DATA: opcode, SA, PARAMETER LIST LENGTH. */
		KUNIT_EXPECT_EQ(test, scst_get_be16(one + 2), 12);
		KUNIT_EXPECT_MEMEQ(test, one + 4,
				   "\xa4\x0a\x00\x00\x00\x00\xff\xff\xff\xff"
				   "\x00\xc0",
				   12);
	}
	kunit_kfree(test, buf);
}

/*
 * expl_alua (fileio and blockio): INQUIRY TPGS 00b outside a device group
 * whatever it is, 01b in one with expl_alua 0, 11b with 1; RSOC lists
 * REPORT TARGET PORT GROUPS in a device group only and SET TARGET PORT
 * GROUPS with explicit ALUA only.
 */
static void spc_alua_tpgs_rsoc(struct kunit *test)
{
	struct vs_env *v = test->priv;
	struct scst_local_sess *s;
	uint8_t buf[96];
	bool rtpg, stpg;
	char cmd[256];
	int fd;

	snprintf(v->file, sizeof(v->file), "/tmp/vdisk_spc_XXXXXX");
	fd = mkstemp(v->file);
	KUNIT_ASSERT_GE(test, fd, 0);
	KUNIT_ASSERT_EQ(test, ftruncate(fd, 8 << 20), 0);
	close(fd);
	snprintf(cmd, sizeof(cmd), "add_device f1 filename=%s", v->file);
	TT_WOK(test, "/handlers/vdisk_fileio/mgmt", cmd);
	/* Not an add_device parameter in SCST: an attribute only. */
	snprintf(cmd, sizeof(cmd), "add_device f2 filename=%s; expl_alua=1",
		 v->file);
	TT_WERR(test, "/handlers/vdisk_fileio/mgmt", cmd, -EINVAL,
		"add_device: unknown parameter 'expl_alua'");
	/* nullio has no expl_alua (as in SCST). */
	KUNIT_EXPECT_FALSE(test, tt_exists("/devices/n0/expl_alua"));
	TT_WOK(test, LUNS, "replace f1 0");
	s = vs_sess(test, "ini");

	KUNIT_EXPECT_EQ(test, tt_inquiry(test, s, 0, buf, NULL), TT_GOOD);
	KUNIT_EXPECT_EQ(test, buf[5] & 0x30, 0x00);
	vs_rsoc_alua(test, s, &rtpg, &stpg);
	KUNIT_EXPECT_FALSE(test, rtpg);
	KUNIT_EXPECT_FALSE(test, stpg);
	TT_WOK(test, "/devices/f1/expl_alua", "1");
	KUNIT_EXPECT_EQ(test, tt_inquiry(test, s, 0, buf, NULL), TT_GOOD);
	KUNIT_EXPECT_EQ(test, buf[5] & 0x30, 0x00);
	vs_rsoc_alua(test, s, &rtpg, &stpg);
	KUNIT_EXPECT_FALSE(test, rtpg);
	KUNIT_EXPECT_FALSE(test, stpg);

	TT_WOK(test, "/devices/f1/expl_alua", "0");
	TT_WOK(test, "/device_groups/mgmt", "create dg");
	TT_WOK(test, "/device_groups/dg/devices/mgmt", "add f1");
	tt_clear_ua(test, s, 0);
	KUNIT_EXPECT_EQ(test, tt_inquiry(test, s, 0, buf, NULL), TT_GOOD);
	KUNIT_EXPECT_EQ(test, buf[5] & 0x30, 0x10);
	vs_rsoc_alua(test, s, &rtpg, &stpg);
	KUNIT_EXPECT_TRUE(test, rtpg);
	KUNIT_EXPECT_FALSE(test, stpg);

	TT_WOK(test, "/devices/f1/expl_alua", "1");
	KUNIT_EXPECT_STREQ(test, tt_r(test, "/devices/f1/expl_alua"),
			   "1\n[key]\n");
	KUNIT_EXPECT_EQ(test, tt_tur(test, s, 0), TT_UA(0x3f, 0x03));
	KUNIT_EXPECT_EQ(test, tt_inquiry(test, s, 0, buf, NULL), TT_GOOD);
	KUNIT_EXPECT_EQ(test, buf[5] & 0x30, 0x30);
	vs_rsoc_alua(test, s, &rtpg, &stpg);
	KUNIT_EXPECT_TRUE(test, rtpg);
	KUNIT_EXPECT_TRUE(test, stpg);
}

static void spc_rsoc_one(struct kunit *test)
{
	static const uint8_t read10[] = {0x00, 0x03, 0x00, 0x0a, 0x28,
					 0xfe, 0xff, 0xff, 0xff, 0xff,
					 0x1f, 0xff, 0xff, 0xc0};
	static const uint8_t rsoc[] = {0x00, 0x03, 0x00, 0x0c, 0xa3, 0x0c,
				       0x87, 0xff, 0xff, 0xff, 0xff, 0xff,
				       0xff, 0xff, 0x00, 0xc0};
	struct scst_local_sess *s = vs_sess(test, "ini");
	struct scst_local_req r;
	uint8_t buf[64];

	KUNIT_EXPECT_EQ(test, vs_rsoc(test, s, 1, READ_10, 0, 64, &r, buf, 64),
			TT_GOOD);
	KUNIT_ASSERT_EQ(test, r.data_in_len, sizeof(read10));
	KUNIT_EXPECT_MEMEQ(test, buf, read10, sizeof(read10));
	/* 011b takes an opcode without service actions too. */
	KUNIT_EXPECT_EQ(test, vs_rsoc(test, s, 3, READ_10, 0, 64, &r, buf, 64),
			TT_GOOD);
	KUNIT_EXPECT_MEMEQ(test, buf, read10, sizeof(read10));
	KUNIT_EXPECT_EQ(
	    test, vs_rsoc(test, s, 2, MAINTENANCE_IN, 0x0c, 64, &r, buf, 64),
	    TT_GOOD);
	KUNIT_ASSERT_EQ(test, r.data_in_len, sizeof(rsoc));
	KUNIT_EXPECT_MEMEQ(test, buf, rsoc, sizeof(rsoc));

	/* With RCTD: CTDP and the timeouts after the usage data. */
	KUNIT_EXPECT_EQ(
	    test, vs_rsoc(test, s, 0x81, READ_10, 0, 64, &r, buf, 64), TT_GOOD);
	KUNIT_ASSERT_EQ(test, r.data_in_len, sizeof(read10) + 12);
	KUNIT_EXPECT_EQ(test, buf[1], 0x83);
	KUNIT_EXPECT_EQ(test, scst_get_be16(buf + 14), 0x0a);

	/* Not supported: known to the core, unknown, unknown SA. */
	KUNIT_EXPECT_EQ(
	    test, vs_rsoc(test, s, 1, LOG_SELECT, 0, 64, &r, buf, 64), TT_GOOD);
	KUNIT_ASSERT_EQ(test, r.data_in_len, 4u);
	KUNIT_EXPECT_MEMEQ(test, buf, "\x00\x01\x00\x00", 4);
	KUNIT_EXPECT_EQ(test, vs_rsoc(test, s, 1, 0xc5, 0, 64, &r, buf, 64),
			TT_GOOD);
	KUNIT_EXPECT_MEMEQ(test, buf, "\x00\x01\x00\x00", 4);
	KUNIT_EXPECT_EQ(
	    test, vs_rsoc(test, s, 2, MAINTENANCE_IN, 0x1f, 64, &r, buf, 64),
	    TT_GOOD);
	KUNIT_EXPECT_MEMEQ(test, buf, "\x00\x01\x00\x00", 4);

	/* 001b with service actions, 010b without, reserved options. */
	vs_rsoc(test, s, 1, MAINTENANCE_IN, 0x0c, 64, &r, buf, 64);
	vs_expect_field(test, &r, 0x24, true, 3, -1);
	vs_rsoc(test, s, 2, READ_10, 0, 64, &r, buf, 64);
	vs_expect_field(test, &r, 0x24, true, 3, -1);
	vs_rsoc(test, s, 5, READ_10, 0, 64, &r, buf, 64);
	vs_expect_field(test, &r, 0x24, true, 2, 2);
}

static void spc_rstmf(struct kunit *test)
{
	struct scst_local_sess *s = vs_sess(test, "ini");
	uint8_t cdb[12] = {MAINTENANCE_IN, MI_REPORT_SUPPORTED_TMFS};
	struct scst_local_req r;
	uint8_t buf[32], want[16];

	scst_put_be32(cdb + 6, 32);
	KUNIT_EXPECT_EQ(test, tt_exec(test, s, 0, cdb, 12, &r, buf, 32),
			TT_GOOD);
	KUNIT_ASSERT_EQ(test, r.data_in_len, 4u);
	KUNIT_EXPECT_MEMEQ(test, buf, "\xde\x03\x00\x00", 4);
	cdb[2] = 0x80; /* REPD */
	memset(want, 0, sizeof(want));
	want[0] = 0xde;
	want[1] = 0x03;
	want[3] = 0x0c;
	KUNIT_EXPECT_EQ(test, tt_exec(test, s, 0, cdb, 12, &r, buf, 32),
			TT_GOOD);
	KUNIT_ASSERT_EQ(test, r.data_in_len, 16u);
	KUNIT_EXPECT_MEMEQ(test, buf, want, 16);
	scst_put_be32(cdb + 6, 2);
	tt_exec(test, s, 0, cdb, 12, &r, buf, 32);
	vs_expect_field(test, &r, 0x24, true, 6, -1);
}

/* -------------------------------------------------------- unit state ---- */

static uint32_t vs_cmd6(struct kunit *test, struct scst_local_sess *s,
			uint64_t lun, uint8_t op, uint8_t b1, uint8_t b4,
			struct scst_local_req *r)
{
	uint8_t cdb[6] = {op, b1, 0, 0, b4, 0};

	return tt_exec(test, s, lun, cdb, 6, r, NULL, 0);
}

static void spc_start_stop(struct kunit *test)
{
	struct scst_local_sess *s;
	struct scst_local_req r;

	TT_WOK(test, VMGMT, "add_device n1 size_mb=8; removable=1");
	TT_WOK(test, LUNS, "add n1 1");
	s = vs_sess(test, "ini");

	/* Stop (NO_FLUSH) and start. */
	KUNIT_EXPECT_EQ(test, vs_cmd6(test, s, 0, START_STOP, 0, 0x04, &r),
			TT_GOOD);
	KUNIT_EXPECT_EQ(test, tt_tur(test, s, 0), TT_CC(NOT_READY, 0x04, 0x02));
	KUNIT_EXPECT_EQ(test, vs_cmd6(test, s, 0, START_STOP, 1, 0x01, &r),
			TT_GOOD);
	KUNIT_EXPECT_EQ(test, tt_tur(test, s, 0), TT_GOOD);
	/* Stop with the flush. */
	KUNIT_EXPECT_EQ(test, vs_cmd6(test, s, 0, START_STOP, 0, 0x00, &r),
			TT_GOOD);
	KUNIT_EXPECT_EQ(test, tt_tur(test, s, 0), TT_CC(NOT_READY, 0x04, 0x02));
	KUNIT_EXPECT_EQ(test, vs_cmd6(test, s, 0, START_STOP, 0, 0x01, &r),
			TT_GOOD);
	/* A power condition: START and LOEJ ignored. */
	KUNIT_EXPECT_EQ(test, vs_cmd6(test, s, 0, START_STOP, 0, 0x22, &r),
			TT_GOOD);
	KUNIT_EXPECT_EQ(test, tt_tur(test, s, 0), TT_GOOD);
	vs_cmd6(test, s, 0, START_STOP, 0, 0x50, &r);
	vs_expect_field(test, &r, 0x24, true, 4, 7);
	/* LOEJ on a fixed disk. */
	vs_cmd6(test, s, 0, START_STOP, 0, 0x02, &r);
	vs_expect_field(test, &r, 0x24, true, 4, 1);

	/* Removable: prevented, allowed, ejected, loaded. */
	KUNIT_EXPECT_EQ(
	    test, vs_cmd6(test, s, 1, ALLOW_MEDIUM_REMOVAL, 0, 1, &r), TT_GOOD);
	KUNIT_EXPECT_EQ(test, vs_cmd6(test, s, 1, START_STOP, 0, 0x02, &r),
			TT_CC(ILLEGAL_REQUEST, 0x53, 0x02));
	KUNIT_EXPECT_EQ(
	    test, vs_cmd6(test, s, 1, ALLOW_MEDIUM_REMOVAL, 0, 0, &r), TT_GOOD);
	KUNIT_EXPECT_EQ(test, vs_cmd6(test, s, 1, START_STOP, 1, 0x02, &r),
			TT_GOOD);
	KUNIT_EXPECT_EQ(test, tt_tur(test, s, 1), TT_CC(NOT_READY, 0x3a, 0));
	KUNIT_EXPECT_EQ(test, vs_cmd6(test, s, 1, START_STOP, 0, 0x03, &r),
			TT_GOOD);
	KUNIT_EXPECT_EQ(test, tt_tur(test, s, 1), TT_GOOD);
	vs_cmd6(test, s, 0, ALLOW_MEDIUM_REMOVAL, 0, 2, &r);
	vs_expect_field(test, &r, 0x24, true, 4, 1);
}

static void spc_diag_log(struct kunit *test)
{
	struct scst_local_sess *s = vs_sess(test, "ini");
	uint8_t log[10] = {LOG_SENSE, 0, 0x40, 0, 0, 0, 0, 0, 64, 0};
	struct scst_local_req r;
	uint8_t buf[64];

	KUNIT_EXPECT_EQ(test, vs_cmd6(test, s, 0, SEND_DIAGNOSTIC, 0x04, 0, &r),
			TT_GOOD);
	KUNIT_EXPECT_EQ(test, vs_cmd6(test, s, 0, SEND_DIAGNOSTIC, 0xa0, 0, &r),
			TT_GOOD);
	vs_cmd6(test, s, 0, SEND_DIAGNOSTIC, 0x64, 0, &r);
	vs_expect_field(test, &r, 0x24, true, 1, 7);
	vs_cmd6(test, s, 0, SEND_DIAGNOSTIC, 0x60, 0, &r);
	vs_expect_field(test, &r, 0x24, true, 1, 7);

	KUNIT_EXPECT_EQ(test, tt_exec(test, s, 0, log, 10, &r, buf, 64),
			TT_GOOD);
	KUNIT_ASSERT_EQ(test, r.data_in_len, 5u);
	KUNIT_EXPECT_MEMEQ(test, buf, "\x00\x00\x00\x01\x00", 5);
	log[3] = 0xff;
	KUNIT_EXPECT_EQ(test, tt_exec(test, s, 0, log, 10, &r, buf, 64),
			TT_GOOD);
	KUNIT_ASSERT_EQ(test, r.data_in_len, 8u);
	KUNIT_EXPECT_MEMEQ(test, buf, "\x40\xff\x00\x04\x00\x00\x00\xff", 8);
	log[2] = 0x4d;
	log[3] = 0;
	tt_exec(test, s, 0, log, 10, &r, buf, 64);
	vs_expect_field(test, &r, 0x24, true, 2, 5);
}

static struct kunit_case vdisk_spc_cases[] = {
    KUNIT_CASE(spc_inquiry_standard),
    KUNIT_CASE(spc_inquiry_vpd_ids),
    KUNIT_CASE(spc_inquiry_vpd_block),
    KUNIT_CASE(spc_mode_sense_pc),
    KUNIT_CASE(spc_mode_select_changes),
    KUNIT_CASE(spc_mode_select_errors),
    KUNIT_CASE(spc_mode_select_ua_others),
    KUNIT_CASE(spc_mode_select_no_ua_issuer),
    KUNIT_CASE(spc_rsoc_all),
    KUNIT_CASE(spc_rsoc_one),
    KUNIT_CASE(spc_alua_tpgs_rsoc),
    KUNIT_CASE(spc_rstmf),
    KUNIT_CASE(spc_start_stop),
    KUNIT_CASE(spc_diag_log),
    {}};

static struct kunit_suite vdisk_spc_suite = {
    .name = "vdisk_spc",
    .init = vs_up,
    .exit = vs_down,
    .test_cases = vdisk_spc_cases,
};

kunit_test_suite(vdisk_spc_suite);
