// SPDX-License-Identifier: GPL-2.0-only
/*
 * Unit tests of the management commands of the configuration tree
 * (scst/src/scst_tree_mgmt.c, scst_tree_objs.c, scst_dg.c and the mgmt
 * files of scst_null and scst_local): each command's effect in the tree and
 * on what an initiator sees, each error with its errno and message, and the
 * parsing helpers behind them.
 */
#include "scst_tree_fixture.h"

#define TGT   "/targets/scst_local/t"
#define TMGMT "/targets/scst_local/mgmt"
#define NMGMT "/handlers/scst_null/mgmt"
#define LUNS  TGT "/luns/mgmt"
#define GRPS  TGT "/ini_groups/mgmt"
#define DGS   "/device_groups/mgmt"

/* Unit serial number (VPD 80h) of @lun: the device's name, or "". */
static const char *tt_serial(struct kunit *test, struct scst_local_sess *s,
			     uint64_t lun)
{
	static const uint8_t cdb[6] = {INQUIRY, 1, 0x80, 0, 64, 0};
	char *out = kunit_kzalloc(test, 64, GFP_KERNEL);
	struct scst_local_req r;
	uint8_t buf[64];

	KUNIT_ASSERT_NOT_NULL(test, out);
	memset(buf, 0, sizeof(buf));
	if (tt_exec(test, s, lun, cdb, 6, &r, buf, sizeof(buf)) == TT_GOOD &&
	    r.data_in_len >= 4)
		memcpy(out, buf + 4, buf[3] < 59 ? buf[3] : 59);
	return out;
}

/* ------------------------------------------------------------ handler ---- */

static void mgmt_handler_cmds(struct kunit *test)
{
	TT_WOK(test, NMGMT, "add_device d1");
	KUNIT_EXPECT_TRUE(test, tt_exists("/devices/d1/blocksize"));
	KUNIT_EXPECT_TRUE(test, tt_exists("/handlers/scst_null/d1"));
	KUNIT_EXPECT_NOT_NULL(test, scst_find_device("d1"));
	TT_WOK(test, NMGMT,
	       "  add_device   d2   size=1048576 ;blocksize=1024 ");
	KUNIT_EXPECT_STREQ(test, tt_r(test, "/devices/d2/size_mb"),
			   "1\n[key]\n");
	KUNIT_EXPECT_STREQ(test, tt_r(test, "/devices/d2/blocksize"),
			   "1024\n[key]\n");
	KUNIT_EXPECT_EQ(test, scst_dev_block_size(scst_find_device("d2")),
			1024u);

	TT_WERR(test, NMGMT, "", -EINVAL, "empty command");
	TT_WERR(test, NMGMT, "   ", -EINVAL, "empty command");
	TT_WERR(test, NMGMT, "frob d1", -EINVAL,
		"scst_null: unknown command 'frob'");
	TT_WERR(test, NMGMT, "add_device", -EINVAL,
		"add_device: missing device name");
	TT_WERR(test, NMGMT, "add_device d3 bogus=1", -EINVAL,
		"add_device: unknown parameter 'bogus'");
	TT_WERR(test, NMGMT, "add_device d3 size_mb", -EINVAL,
		"parameter 'size_mb' has no '=value'");
	TT_WERR(test, NMGMT, "add_device d3 blocksize=100", -EINVAL,
		"blocksize 100 is not 512, 1024, 2048 or 4096");
	TT_WERR(test, NMGMT, "add_device d3 blocksize=abc", -EINVAL,
		"blocksize 'abc' is not a number");
	TT_WERR(test, NMGMT, "add_device d3 size_mb=0", -EINVAL,
		"size_mb '0' is not a size");
	TT_WERR(test, NMGMT, "add_device d1", -EEXIST,
		"add_device: device d1 already exists");
	KUNIT_EXPECT_FALSE(test, tt_exists("/devices/d3"));
	TT_WERR(test, NMGMT, "del_device", -EINVAL,
		"del_device: missing device name");
	TT_WERR(test, NMGMT, "del_device nope", -ENOENT,
		"del_device: no device nope");
	TT_WERR(test, NMGMT, "del_device d1 d2", -EINVAL,
		"del_device: unexpected 'd2'");
	KUNIT_EXPECT_TRUE(test, tt_exists("/devices/d1"));

	TT_WOK(test, NMGMT, "del_device d1");
	KUNIT_EXPECT_FALSE(test, tt_exists("/devices/d1"));
	KUNIT_EXPECT_FALSE(test, tt_exists("/handlers/scst_null/d1"));
	KUNIT_EXPECT_NULL(test, scst_find_device("d1"));
	KUNIT_EXPECT_STREQ(test, tt_ls(test, "/devices"), "d2/");
}

/* ------------------------------------------------------------- driver ---- */

static void mgmt_driver_cmds(struct kunit *test)
{
	TT_WOK(test, TMGMT, "add_target t");
	KUNIT_EXPECT_STREQ(test, tt_ls(test, TGT),
			   "addr_method comment enabled ini_groups/ luns/ "
			   "rel_tgt_id sessions/");
	TT_WERR(test, TMGMT, "add_target t", -EEXIST,
		"add_target: target t already exists");
	TT_WERR(test, TMGMT, "add_target", -EINVAL,
		"add_target: missing target name");
	TT_WERR(test, TMGMT, "add_target u foo=1", -EINVAL,
		"add_target: unknown parameter 'foo'");
	TT_WERR(test, TMGMT, "del_target nope", -ENOENT,
		"del_target: no target nope");
	TT_WERR(test, TMGMT, "del_target", -EINVAL,
		"del_target: missing target name");
	TT_WERR(test, TMGMT, "bogus", -EINVAL,
		"scst_local: unknown command 'bogus'");
	TT_WERR(test, TMGMT, "", -EINVAL, "empty command");

	TT_WOK(test, TMGMT, "add_session t h1");
	KUNIT_EXPECT_STREQ(test, tt_r(test, TGT "/sessions/h1/initiator_name"),
			   "h1\n");
	TT_WERR(test, TMGMT, "add_session t", -EINVAL,
		"usage: add_session TARGET INITIATOR");
	TT_WERR(test, TMGMT, "del_session t", -EINVAL,
		"usage: del_session TARGET INITIATOR");
	TT_WERR(test, TMGMT, "add_session nope h1", -ENOENT, "no target nope");
	TT_WERR(test, TMGMT, "del_session t zz", -ENOENT,
		"no session of zz on t");
	TT_WOK(test, TMGMT, "del_session t h1");
	KUNIT_EXPECT_STREQ(test, tt_ls(test, TGT "/sessions"), "");

	TT_WOK(test, TMGMT, "del_target t");
	KUNIT_EXPECT_FALSE(test, tt_exists(TGT));
	KUNIT_EXPECT_STREQ(test, tt_ls(test, "/targets/scst_local"), "mgmt");
}

/* --------------------------------------------------------------- LUNs ---- */

static void mgmt_luns_add_inquiry(struct kunit *test)
{
	struct scst_local_sess *s;
	struct scst_tgt *tgt;
	uint8_t inq[96];
	uint32_t len;

	TT_WOK(test, NMGMT, "add_device d1");
	KUNIT_ASSERT_EQ(test, scst_local_add_target("t", &tgt), 0);
	s = tt_open(test, tgt, "ini");
	memset(inq, 0xaa, sizeof(inq));
	KUNIT_EXPECT_EQ(test, tt_inquiry(test, s, 2, inq, &len), TT_GOOD);
	KUNIT_EXPECT_EQ(test, inq[0], 0x7f); /* no LU at LUN 2 */

	TT_WOK(test, LUNS, "add d1 2");
	KUNIT_EXPECT_TRUE(test, tt_exists(TGT "/luns/2/device"));
	memset(inq, 0xaa, sizeof(inq));
	KUNIT_EXPECT_EQ(test, tt_inquiry(test, s, 2, inq, &len), TT_GOOD);
	KUNIT_EXPECT_EQ(test, inq[0], TYPE_DISK);
	KUNIT_EXPECT_EQ(test, len, 36u);
	KUNIT_EXPECT_MEMEQ(test, inq + 16, "NULL DISK       ", 16);
	KUNIT_EXPECT_STREQ(test, tt_serial(test, s, 2), "d1");

	/* del: the LUN is gone for the initiator and from the tree. */
	TT_WOK(test, LUNS, "del 2");
	KUNIT_EXPECT_FALSE(test, tt_exists(TGT "/luns/2"));
	KUNIT_EXPECT_STREQ(test, tt_ls(test, "/devices/d1/exported"), "");
	KUNIT_EXPECT_EQ(test, tt_inquiry(test, s, 2, inq, &len), TT_GOOD);
	KUNIT_EXPECT_EQ(test, inq[0], 0x7f);
}

static void mgmt_luns_read_only(struct kunit *test)
{
	struct scst_local_sess *s;
	struct scst_tgt *tgt;

	TT_WOK(test, NMGMT, "add_device d1");
	KUNIT_ASSERT_EQ(test, scst_local_add_target("t", &tgt), 0);
	TT_WOK(test, LUNS, "add d1 0");
	TT_WOK(test, LUNS, "add d1 1 read_only=1");
	TT_WOK(test, LUNS, "add d1 2 read_only=0");
	s = tt_open(test, tgt, "ini");
	tt_clear_ua(test, s, 0);
	tt_clear_ua(test, s, 1);
	tt_clear_ua(test, s, 2);
	KUNIT_EXPECT_EQ(test, tt_rw10(test, s, 0, WRITE_10, 0, 1, 512),
			TT_GOOD);
	KUNIT_EXPECT_EQ(test, tt_rw10(test, s, 1, WRITE_10, 0, 1, 512),
			TT_CC(DATA_PROTECT, 0x27, 0x00));
	KUNIT_EXPECT_EQ(test, tt_rw10(test, s, 1, READ_10, 0, 1, 512), TT_GOOD);
	KUNIT_EXPECT_EQ(test, tt_rw10(test, s, 2, WRITE_10, 0, 1, 512),
			TT_GOOD);
	KUNIT_EXPECT_STREQ(test, tt_r(test, TGT "/luns/2/read_only"), "0\n");
}

static void mgmt_luns_errors(struct kunit *test)
{
	struct scst_tgt *tgt;

	TT_WOK(test, NMGMT, "add_device d1");
	KUNIT_ASSERT_EQ(test, scst_local_add_target("t", &tgt), 0);
	TT_WOK(test, LUNS, "add d1 0");
	TT_WOK(test, LUNS, "add d1 16383");
	TT_WERR(test, LUNS, "add d1 16384", -EINVAL,
		"'16384' is not a LUN (0 to 16383)");
	TT_WERR(test, LUNS, "add d1 x", -EINVAL,
		"'x' is not a LUN (0 to 16383)");
	TT_WERR(test, LUNS, "add d1 0", -EEXIST, "LUN 0 is already in use");
	TT_WERR(test, LUNS, "add nope 1", -ENOENT, "no device nope");
	TT_WERR(test, LUNS, "add d1", -EINVAL,
		"usage: add DEVICE LUN [read_only=1]");
	TT_WERR(test, LUNS, "replace d1", -EINVAL,
		"usage: replace DEVICE LUN [read_only=1]");
	TT_WERR(test, LUNS, "add d1 1 read_only=maybe", -EINVAL,
		"read_only must be 0 or 1, not 'maybe'");
	TT_WERR(test, LUNS, "add d1 1 foo=1", -EINVAL,
		"add: unknown parameter 'foo'");
	TT_WERR(test, LUNS, "replace d1 7", -ENOENT, "no LUN 7 to replace");
	TT_WERR(test, LUNS, "replace nope 0", -ENOENT, "no device nope");
	TT_WERR(test, LUNS, "del 9", -ENOENT, "no LUN 9");
	TT_WERR(test, LUNS, "del", -EINVAL, "usage: del LUN");
	TT_WERR(test, LUNS, "del 16384", -EINVAL,
		"'16384' is not a LUN (0 to 16383)");
	TT_WERR(test, LUNS, "frob", -EINVAL,
		"unknown command 'frob' (add, del, replace, clear)");
	TT_WERR(test, LUNS, "", -EINVAL, "empty command");
	KUNIT_EXPECT_STREQ(test, tt_ls(test, TGT "/luns"), "0/ 16383/ mgmt");
}

static void mgmt_luns_replace_clear(struct kunit *test)
{
	struct scst_local_sess *s;
	struct scst_tgt *tgt;

	TT_WOK(test, NMGMT, "add_device d1");
	TT_WOK(test, NMGMT, "add_device d2");
	KUNIT_ASSERT_EQ(test, scst_local_add_target("t", &tgt), 0);
	TT_WOK(test, LUNS, "add d1 0");
	TT_WOK(test, LUNS, "add d1 1");
	s = tt_open(test, tgt, "ini");
	tt_clear_ua(test, s, 0);
	tt_clear_ua(test, s, 1);

	TT_WOK(test, LUNS, "replace d2 0 read_only=1");
	TT_LINK(test, TGT "/luns/0/device", "../../../../../devices/d2",
		"/devices/d2");
	KUNIT_EXPECT_STREQ(test, tt_r(test, TGT "/luns/0/read_only"),
			   "1\n[key]\n");
	KUNIT_EXPECT_STREQ(test, tt_ls(test, "/devices/d1/exported"),
			   "export1@");
	KUNIT_EXPECT_STREQ(test, tt_ls(test, "/devices/d2/exported"),
			   "export0@");
	/* INQUIRY DATA HAS CHANGED, then the new device answers. */
	KUNIT_EXPECT_EQ(test, tt_tur(test, s, 0), TT_UA(0x3f, 0x03));
	KUNIT_EXPECT_STREQ(test, tt_serial(test, s, 0), "d2");
	KUNIT_EXPECT_EQ(test, tt_rw10(test, s, 0, WRITE_10, 0, 1, 512),
			TT_CC(DATA_PROTECT, 0x27, 0x00));
	KUNIT_EXPECT_STREQ(test, tt_serial(test, s, 1), "d1");

	TT_WOK(test, LUNS, "clear");
	KUNIT_EXPECT_STREQ(test, tt_ls(test, TGT "/luns"), "mgmt");
	KUNIT_EXPECT_STREQ(test, tt_ls(test, "/devices/d1/exported"), "");
	KUNIT_EXPECT_STREQ(test, tt_ls(test, "/devices/d2/exported"), "");
	KUNIT_EXPECT_STREQ(test, tt_serial(test, s, 1), "");
}

/* ------------------------------------------------------------- groups ---- */

static void mgmt_groups_cmds(struct kunit *test)
{
	struct scst_local_sess *s;
	struct scst_tgt *tgt;

	KUNIT_ASSERT_EQ(test, scst_local_add_target("t", &tgt), 0);
	TT_WOK(test, GRPS, "create g");
	KUNIT_EXPECT_STREQ(test, tt_ls(test, TGT "/ini_groups/g"),
			   "initiators/ luns/");
	KUNIT_EXPECT_STREQ(test, tt_ls(test, TGT "/ini_groups/g/initiators"),
			   "mgmt");
	TT_WERR(test, GRPS, "create g", -EEXIST, "group g exists");
	TT_WERR(test, GRPS, "del nope", -ENOENT, "no group nope");
	TT_WERR(test, GRPS, "create a/b", -EINVAL,
		"a group name cannot contain '/'");
	TT_WERR(test, GRPS, "create", -EINVAL,
		"usage: create GROUP | del GROUP");
	TT_WERR(test, GRPS, "frob g", -EINVAL,
		"unknown command 'frob' (create, del)");

	TT_WOK(test, TGT "/ini_groups/g/initiators/mgmt", "add h1");
	s = tt_open(test, tgt, "h1");
	TT_WERR(test, GRPS, "del g", -EBUSY, "group g has sessions");
	KUNIT_EXPECT_TRUE(test, tt_exists(TGT "/ini_groups/g"));
	tt_close(test, s);
	TT_WOK(test, GRPS, "del g");
	KUNIT_EXPECT_STREQ(test, tt_ls(test, TGT "/ini_groups"), "mgmt");
}

static void mgmt_initiators_cmds(struct kunit *test)
{
	const char *g1 = TGT "/ini_groups/g1/initiators";
	const char *m1 = TGT "/ini_groups/g1/initiators/mgmt";
	struct scst_tgt *tgt;

	KUNIT_ASSERT_EQ(test, scst_local_add_target("t", &tgt), 0);
	TT_WOK(test, GRPS, "create g1");
	TT_WOK(test, GRPS, "create g2");
	TT_WOK(test, m1, "add h1");
	TT_WOK(test, m1, "add iqn.1994-05.com.redhat:*");
	KUNIT_EXPECT_STREQ(test, tt_ls(test, g1),
			   "h1 iqn.1994-05.com.redhat:* mgmt");
	KUNIT_EXPECT_STREQ(test, tt_r(test, TGT "/ini_groups/g1/initiators/h1"),
			   "h1\n");
	TT_WERR(test, m1, "add h1", -EEXIST,
		"initiator h1 is already in the group");
	TT_WERR(test, m1, "add h/1", -EINVAL,
		"an initiator name cannot contain '/'");
	TT_WERR(test, m1, "del zz", -ENOENT,
		"initiator zz is not in the group");
	TT_WERR(test, m1, "add", -EINVAL, "add: missing initiator name");
	TT_WERR(test, m1, "move h1", -EINVAL, "usage: move NAME GROUP");
	TT_WERR(test, m1, "move h1 nope", -ENOENT, "no group nope");
	TT_WERR(test, m1, "move zz g2", -ENOENT, "cannot move zz to group g2");
	TT_WERR(test, m1, "frob h1", -EINVAL,
		"unknown command 'frob' (add, del, move, clear)");
	TT_WERR(test, m1, "", -EINVAL, "empty command");

	TT_WOK(test, m1, "move h1 g2");
	KUNIT_EXPECT_STREQ(test, tt_ls(test, g1),
			   "iqn.1994-05.com.redhat:* mgmt");
	KUNIT_EXPECT_STREQ(test, tt_ls(test, TGT "/ini_groups/g2/initiators"),
			   "h1 mgmt");
	TT_WOK(test, m1, "del iqn.1994-05.com.redhat:*");
	KUNIT_EXPECT_STREQ(test, tt_ls(test, g1), "mgmt");
	TT_WOK(test, TGT "/ini_groups/g2/initiators/mgmt", "clear");
	KUNIT_EXPECT_STREQ(test, tt_ls(test, TGT "/ini_groups/g2/initiators"),
			   "mgmt");
}

/* ------------------------------------------------------ device groups ---- */

static void mgmt_device_groups(struct kunit *test)
{
	const char *dgd = "/device_groups/dg/devices/mgmt";

	TT_WOK(test, NMGMT, "add_device d1");
	TT_WOK(test, DGS, "create dg");
	TT_WOK(test, DGS, "create dg2");
	KUNIT_EXPECT_STREQ(test, tt_ls(test, "/device_groups/dg"),
			   "devices/ target_groups/");
	TT_WERR(test, DGS, "create dg", -EEXIST, "device group dg exists");
	TT_WERR(test, DGS, "del nope", -ENOENT, "no device group nope");
	TT_WERR(test, DGS, "create a/b", -EINVAL,
		"a group name cannot contain '/'");
	TT_WERR(test, DGS, "create", -EINVAL,
		"usage: create GROUP | del GROUP");
	TT_WERR(test, DGS, "frob x", -EINVAL,
		"unknown command 'frob' (create, del)");

	TT_WOK(test, dgd, "add d1");
	TT_LINK(test, "/device_groups/dg/devices/d1", "../../../devices/d1",
		"/devices/d1");
	TT_WERR(test, "/device_groups/dg2/devices/mgmt", "add d1", -EEXIST,
		"device d1 is already in device group dg");
	TT_WERR(test, dgd, "add d1", -EEXIST,
		"device d1 is already in device group dg");
	TT_WERR(test, dgd, "add nope", -ENOENT, "no device nope");
	TT_WERR(test, "/device_groups/dg2/devices/mgmt", "del d1", -ENOENT,
		"device d1 is not in group dg2");
	TT_WERR(test, dgd, "add", -EINVAL, "usage: add DEVICE | del DEVICE");
	TT_WERR(test, dgd, "frob d1", -EINVAL,
		"unknown command 'frob' (add, del)");
	TT_WOK(test, dgd, "del d1");
	KUNIT_EXPECT_STREQ(test, tt_ls(test, "/device_groups/dg/devices"),
			   "mgmt");
	TT_WOK(test, "/device_groups/dg2/devices/mgmt", "add d1");
	TT_WOK(test, DGS, "del dg2");
	KUNIT_EXPECT_FALSE(test, tt_exists("/device_groups/dg2"));
	/* Its device is free again. */
	TT_WOK(test, dgd, "add d1");
}

static void mgmt_target_groups(struct kunit *test)
{
	const char *tgs = "/device_groups/dg/target_groups/mgmt";
	const char *tg1 = "/device_groups/dg/target_groups/tg1";
	struct scst_tgt *tgt;

	KUNIT_ASSERT_EQ(test, scst_local_add_target("t", &tgt), 0);
	TT_WOK(test, DGS, "create dg");
	TT_WOK(test, DGS, "create other");
	TT_WOK(test, tgs, "create tg1");
	TT_WOK(test, tgs, "create tg2");
	TT_WERR(test, tgs, "create tg1", -EEXIST, "target group tg1 exists");
	TT_WERR(test, tgs, "del nope", -ENOENT, "no target group nope");
	TT_WERR(test, tgs, "create a/b", -EINVAL,
		"a group name cannot contain '/'");
	TT_WERR(test, tgs, "frob x", -EINVAL,
		"unknown command 'frob' (create, del)");

	TT_WOK(test, "/device_groups/dg/target_groups/tg1/mgmt", "add t");
	KUNIT_EXPECT_STREQ(test,
			   tt_ls(test, "/device_groups/dg/target_groups/"
				       "tg1/t"),
			   "rel_tgt_id");
	TT_WERR(test, "/device_groups/dg/target_groups/tg2/mgmt", "add t",
		-EEXIST, "target t is already in a target group of dg");
	TT_WERR(test, "/device_groups/dg/target_groups/tg1/mgmt", "add t",
		-EEXIST, "target t is already in a target group of dg");
	TT_WERR(test, "/device_groups/dg/target_groups/tg2/mgmt", "del t",
		-ENOENT, "target t is not in group tg2");
	TT_WERR(test, "/device_groups/dg/target_groups/tg2/mgmt", "add a/b",
		-EINVAL, "a target name cannot contain '/'");
	TT_WERR(test, "/device_groups/dg/target_groups/tg2/mgmt", "frob t",
		-EINVAL, "unknown command 'frob' (add, del)");
	TT_WERR(test, "/device_groups/dg/target_groups/tg2/mgmt", "add",
		-EINVAL, "usage: add TARGET | del TARGET");
	/* Another device group may list the same target. */
	TT_WOK(test, "/device_groups/other/target_groups/mgmt", "create x");
	TT_WOK(test, "/device_groups/other/target_groups/x/mgmt", "add t");

	/* group_id: unique within the device group, 1 to 65535. */
	TT_WOK(test, "/device_groups/dg/target_groups/tg1/group_id", "5");
	TT_WERR(test, "/device_groups/dg/target_groups/tg2/group_id", "5",
		-EEXIST, "group_id 5 is used by tg1");
	TT_WOK(test, "/device_groups/dg/target_groups/tg1/group_id", "5");
	TT_WOK(test, "/device_groups/other/target_groups/x/group_id", "5");
	TT_WERR(test, "/device_groups/dg/target_groups/tg1/group_id", "0",
		-EINVAL, "group_id: '0' is not 1 to 65535");
	/* Writing back what an unset group_id shows is accepted. */
	TT_WOK(test, "/device_groups/dg/target_groups/tg2/group_id", "0");
	KUNIT_EXPECT_STREQ(test,
			   tt_r(test, "/device_groups/dg/target_groups/"
				      "tg2/group_id"),
			   "0\n");
	TT_WERR(test, "/device_groups/dg/target_groups/tg2/group_id", "65536",
		-EINVAL, "group_id: '65536' is not 1 to 65535");
	TT_WOK(test, "/device_groups/dg/target_groups/tg2/group_id", "0xffff");
	KUNIT_EXPECT_STREQ(test,
			   tt_r(test, "/device_groups/dg/target_groups/"
				      "tg2/group_id"),
			   "65535\n[key]\n");

	TT_WERR(test, "/device_groups/dg/target_groups/tg1/state", "asleep",
		-EINVAL,
		"state: 'asleep' is not one of active, nonoptimized, standby, "
		"unavailable, offline, transitioning");
	TT_WOK(test, "/device_groups/dg/target_groups/tg1/state",
	       "transitioning");
	KUNIT_EXPECT_STREQ(test,
			   tt_r(test, "/device_groups/dg/target_groups/"
				      "tg1/state"),
			   "transitioning\n[key]\n");
	TT_WERR(test, "/device_groups/dg/target_groups/tg1/preferred", "2",
		-EINVAL, "preferred: '2' is not 0 or 1");
	TT_WERR(test, "/device_groups/dg/target_groups/tg1/t/rel_tgt_id",
		"65536", -EINVAL, "rel_tgt_id: '65536' is not 0 to 65535");

	TT_WOK(test, "/device_groups/dg/target_groups/tg1/mgmt", "del t");
	KUNIT_EXPECT_FALSE(test, tt_exists("/device_groups/dg/target_groups/"
					   "tg1/t"));
	TT_WOK(test, "/device_groups/dg/target_groups/tg2/mgmt", "add t");
	TT_WOK(test, tgs, "del tg1");
	KUNIT_EXPECT_FALSE(test, tt_exists(tg1));
	KUNIT_EXPECT_STREQ(test, tt_ls(test, "/device_groups/dg/target_groups"),
			   "mgmt tg2/");
}

/* ------------------------------------------------- target attributes ---- */

static void mgmt_target_attrs(struct kunit *test)
{
	struct scst_tgt *t, *u;

	KUNIT_ASSERT_EQ(test, scst_local_add_target("t", &t), 0);
	KUNIT_ASSERT_EQ(test, scst_local_add_target("u", &u), 0);
	KUNIT_EXPECT_STREQ(test, tt_r(test, "/targets/scst_local/u/rel_tgt_id"),
			   "2\n[key]\n");
	TT_WERR(test, "/targets/scst_local/u/rel_tgt_id", "1", -EEXIST,
		"rel_tgt_id 1 is used by another target");
	TT_WERR(test, "/targets/scst_local/u/rel_tgt_id", "0", -EINVAL,
		"rel_tgt_id: '0' is not 1 to 65535");
	TT_WERR(test, "/targets/scst_local/u/rel_tgt_id", "65536", -EINVAL,
		"rel_tgt_id: '65536' is not 1 to 65535");
	TT_WERR(test, "/targets/scst_local/u/rel_tgt_id", "x", -EINVAL,
		"rel_tgt_id: 'x' is not 1 to 65535");
	TT_WOK(test, "/targets/scst_local/u/rel_tgt_id", "2");
	TT_WOK(test, "/targets/scst_local/u/rel_tgt_id", "65535");
	KUNIT_EXPECT_EQ(test, scst_tgt_rel_tgt_id(u), 65535);
	TT_WOK(test, "/targets/scst_local/u/rel_tgt_id", "0x10");
	KUNIT_EXPECT_EQ(test, scst_tgt_rel_tgt_id(u), 16);
	TT_WOK(test, "/targets/scst_local/t/rel_tgt_id", "2");
	TT_WERR(test, "/targets/scst_local/t/rel_tgt_id", "16", -EEXIST,
		"rel_tgt_id 16 is used by another target");

	TT_WOK(test, TGT "/addr_method", "FLAT");
	TT_WOK(test, TGT "/addr_method", "PERIPHERAL");
	TT_WERR(test, TGT "/addr_method", "flat", -EINVAL,
		"addr_method: 'flat' is not PERIPHERAL or FLAT");
	KUNIT_EXPECT_STREQ(test, tt_r(test, TGT "/addr_method"),
			   "PERIPHERAL\n");

	TT_WOK(test, TGT "/enabled", "1");
	TT_WERR(test, TGT "/enabled", "0", -EOPNOTSUPP,
		"scst_local targets cannot be disabled");
	TT_WERR(test, TGT "/enabled", "2", -EINVAL,
		"enabled: '2' is not 0 or 1");
	KUNIT_EXPECT_STREQ(test, tt_r(test, TGT "/enabled"), "1\n");
}

/* ------------------------------------------------- root attributes ---- */

static void mgmt_root_attrs(struct kunit *test)
{
	TT_WOK(test, "/setup_id", "0x10");
	KUNIT_EXPECT_STREQ(test, tt_r(test, "/setup_id"), "0x10\n[key]\n");
	TT_WOK(test, "/setup_id", "255");
	KUNIT_EXPECT_STREQ(test, tt_r(test, "/setup_id"), "0xff\n[key]\n");
	TT_WOK(test, "/setup_id", "0XABCDEF01");
	KUNIT_EXPECT_STREQ(test, tt_r(test, "/setup_id"),
			   "0xabcdef01\n[key]\n");
	TT_WOK(test, "/setup_id", "4294967295");
	KUNIT_EXPECT_STREQ(test, tt_r(test, "/setup_id"),
			   "0xffffffff\n[key]\n");
	TT_WERR(test, "/setup_id", "4294967296", -EINVAL,
		"setup_id: '4294967296' is not a 32-bit number");
	TT_WERR(test, "/setup_id", "0x100000000", -EINVAL,
		"setup_id: '0x100000000' is not a 32-bit number");
	TT_WERR(test, "/setup_id", "99999999999999999999999", -EINVAL,
		"setup_id: '99999999999999999999999' is not a 32-bit number");
	TT_WERR(test, "/setup_id", "-1", -EINVAL,
		"setup_id: '-1' is not a 32-bit number");
	TT_WERR(test, "/setup_id", "", -EINVAL,
		"setup_id: '' is not a 32-bit number");
	TT_WERR(test, "/setup_id", "0x", -EINVAL,
		"setup_id: '0x' is not a 32-bit number");
	TT_WERR(test, "/setup_id", "12g", -EINVAL,
		"setup_id: '12g' is not a 32-bit number");
	KUNIT_EXPECT_STREQ(test, tt_r(test, "/setup_id"),
			   "0xffffffff\n[key]\n");
	TT_WOK(test, "/setup_id", "0");

	TT_WERR(test, "/trace_level", "loud", -EINVAL,
		"trace_level: 'loud' is not one of err, warn, info, debug, "
		"default, none, all");
	TT_WERR(test, "/trace_level", "", -EINVAL,
		"trace_level: '' is not one of err, warn, info, debug, "
		"default, none, all");
	TT_WOK(test, "/trace_level", "err");
	KUNIT_EXPECT_EQ(test, scst_log_get_level(), SCST_LOG_ERR);
	TT_WOK(test, "/trace_level", "warn");
	KUNIT_EXPECT_EQ(test, scst_log_get_level(), SCST_LOG_WARN);
}

/* Names become directory names of the tree: a '/' cannot be in one. */
static void mgmt_names_with_slash(struct kunit *test)
{
	TT_WOK(test, TMGMT, "add_target t");
	KUNIT_EXPECT_EQ(test, tt_w(test, NMGMT, "add_device a/b"), -EINVAL);
	KUNIT_EXPECT_EQ(test, tt_w(test, TMGMT, "add_target x/y"), -EINVAL);
	KUNIT_EXPECT_EQ(test, tt_w(test, TMGMT, "add_session t h/1"), -EINVAL);
	KUNIT_EXPECT_STREQ(test, tt_ls(test, "/devices"), "");
	KUNIT_EXPECT_STREQ(test, tt_ls(test, "/targets/scst_local"), "mgmt t/");
	KUNIT_EXPECT_STREQ(test, tt_ls(test, TGT "/sessions"), "");
}

/* ------------------------------------------------------ the helpers ---- */

static void mgmt_params_next(struct kunit *test)
{
	struct scst_mgmt_res res = {{0}};
	char k[8], v[8];
	const char *p;

	p = " a = 1 ;; b=2 ; ;c= ;";
	KUNIT_ASSERT_EQ(test, scst_params_next(&p, k, 8, v, 8, &res), 1);
	KUNIT_EXPECT_STREQ(test, k, "a");
	KUNIT_EXPECT_STREQ(test, v, "1");
	KUNIT_ASSERT_EQ(test, scst_params_next(&p, k, 8, v, 8, &res), 1);
	KUNIT_EXPECT_STREQ(test, k, "b");
	KUNIT_EXPECT_STREQ(test, v, "2");
	KUNIT_ASSERT_EQ(test, scst_params_next(&p, k, 8, v, 8, &res), 1);
	KUNIT_EXPECT_STREQ(test, k, "c");
	KUNIT_EXPECT_STREQ(test, v, "");
	KUNIT_EXPECT_EQ(test, scst_params_next(&p, k, 8, v, 8, &res), 0);
	KUNIT_EXPECT_EQ(test, scst_params_next(&p, k, 8, v, 8, &res), 0);

	p = "";
	KUNIT_EXPECT_EQ(test, scst_params_next(&p, k, 8, v, 8, &res), 0);
	p = " ; ;; ";
	KUNIT_EXPECT_EQ(test, scst_params_next(&p, k, 8, v, 8, &res), 0);
	p = "x=a=b";
	KUNIT_ASSERT_EQ(test, scst_params_next(&p, k, 8, v, 8, &res), 1);
	KUNIT_EXPECT_STREQ(test, k, "x");
	KUNIT_EXPECT_STREQ(test, v, "a=b");

	p = "a=1; nokey ; b=2";
	KUNIT_ASSERT_EQ(test, scst_params_next(&p, k, 8, v, 8, &res), 1);
	KUNIT_EXPECT_EQ(test, scst_params_next(&p, k, 8, v, 8, &res), -EINVAL);
	KUNIT_EXPECT_STREQ(test, res.msg, "parameter 'nokey ' has no '=value'");
	p = "=1";
	KUNIT_EXPECT_EQ(test, scst_params_next(&p, k, 8, v, 8, &res), -EINVAL);
	KUNIT_EXPECT_STREQ(test, res.msg, "parameter with an empty name");
	/* Seven characters fit in 8 bytes, eight do not. */
	p = "abcdefg=1234567";
	KUNIT_ASSERT_EQ(test, scst_params_next(&p, k, 8, v, 8, &res), 1);
	KUNIT_EXPECT_STREQ(test, k, "abcdefg");
	KUNIT_EXPECT_STREQ(test, v, "1234567");
	p = "abcdefgh=1";
	KUNIT_EXPECT_EQ(test, scst_params_next(&p, k, 8, v, 8, &res), -EINVAL);
	KUNIT_EXPECT_STREQ(test, res.msg, "parameter 'abcdefgh=1' is too long");
	p = "a=12345678;b=1";
	KUNIT_EXPECT_EQ(test, scst_params_next(&p, k, 8, v, 8, &res), -EINVAL);
	KUNIT_EXPECT_STREQ(test, res.msg, "parameter 'a=12345678' is too long");
	/* Without a result to fill. */
	p = "oops";
	KUNIT_EXPECT_EQ(test, scst_params_next(&p, k, 8, v, 8, NULL), -EINVAL);
}

static void mgmt_params_check_get(struct kunit *test)
{
	static const char *const allowed[] = {"size", "blocksize", NULL};
	struct scst_mgmt_res res = {{0}};
	char v[16];

	KUNIT_EXPECT_EQ(test, scst_params_check("", allowed, "x", &res), 0);
	KUNIT_EXPECT_EQ(
	    test, scst_params_check("size=1; blocksize=2;", allowed, "x", &res),
	    0);
	KUNIT_EXPECT_EQ(
	    test, scst_params_check("size=1; Size=2", allowed, "cmd", &res),
	    -EINVAL);
	KUNIT_EXPECT_STREQ(test, res.msg, "cmd: unknown parameter 'Size'");
	KUNIT_EXPECT_EQ(test, scst_params_check("a=1", NULL, "cmd", &res),
			-EINVAL);
	KUNIT_EXPECT_STREQ(test, res.msg, "cmd: unknown parameter 'a'");
	KUNIT_EXPECT_EQ(test, scst_params_check("", NULL, "cmd", &res), 0);
	KUNIT_EXPECT_EQ(test, scst_params_check("size", allowed, "cmd", &res),
			-EINVAL);
	KUNIT_EXPECT_STREQ(test, res.msg, "parameter 'size' has no '=value'");

	KUNIT_EXPECT_EQ(test, scst_params_get("a=1; b = two ;", "b", v, 16), 1);
	KUNIT_EXPECT_STREQ(test, v, "two");
	KUNIT_EXPECT_EQ(test, scst_params_get("a=1; b=2", "c", v, 16), 0);
	KUNIT_EXPECT_EQ(test, scst_params_get("a=1; a=2", "a", v, 16), 1);
	KUNIT_EXPECT_STREQ(test, v, "1");
	/* The value is cut to the buffer. */
	KUNIT_EXPECT_EQ(test, scst_params_get("a=123456", "a", v, 4), 1);
	KUNIT_EXPECT_STREQ(test, v, "123");
	/* Nothing is found past a malformed entry. */
	KUNIT_EXPECT_EQ(test, scst_params_get("bad; a=1", "a", v, 16), 0);
}

static void mgmt_next_word(struct kunit *test)
{
	const char *p = "  add\tdisk1 \n 7 ";
	char w[6];

	KUNIT_ASSERT_EQ(test, scst_next_word(&p, w, sizeof(w)), 1);
	KUNIT_EXPECT_STREQ(test, w, "add");
	KUNIT_ASSERT_EQ(test, scst_next_word(&p, w, sizeof(w)), 1);
	KUNIT_EXPECT_STREQ(test, w, "disk1");
	KUNIT_ASSERT_EQ(test, scst_next_word(&p, w, sizeof(w)), 1);
	KUNIT_EXPECT_STREQ(test, w, "7");
	KUNIT_EXPECT_EQ(test, scst_next_word(&p, w, sizeof(w)), 0);
	p = "toolong";
	KUNIT_EXPECT_EQ(test, scst_next_word(&p, w, sizeof(w)), -ENAMETOOLONG);
}

static const struct {
	const char *s;
	uint64_t max;
	int rc;
	uint64_t v;
} u64_cases[] = {
    {"0", 10, 0, 0},
    {"10", 10, 0, 10},
    {"11", 10, -ERANGE, 0},
    {"0x0", 10, 0, 0},
    {"0xA", 10, 0, 10},
    {"0Xb", 10, -ERANGE, 0},
    {"0xff", 0xffff, 0, 255},
    {"65535", 0xffff, 0, 65535},
    {"65536", 0xffff, -ERANGE, 0},
    {"0xffff", 0xffff, 0, 65535},
    {"0x10000", 0xffff, -ERANGE, 0},
    {"18446744073709551615", UINT64_MAX, 0, UINT64_MAX},
    {"18446744073709551616", UINT64_MAX, -ERANGE, 0},
    {"0xffffffffffffffff", UINT64_MAX, 0, UINT64_MAX},
    {"0x10000000000000000", UINT64_MAX, -ERANGE, 0},
    {"007", 10, 0, 7},
    {"", 10, -EINVAL, 0},
    {"0x", 10, -EINVAL, 0},
    {"x1", 10, -EINVAL, 0},
    {"-1", 10, -EINVAL, 0},
    {"+1", 10, -EINVAL, 0},
    {" 1", 10, -EINVAL, 0},
    {"1 ", 10, -EINVAL, 0},
    {"1a", 100, -EINVAL, 0},
    {"0xg", 100, -EINVAL, 0},
    /* A digit larger than the maximum itself. */
    {"9", 5, -ERANGE, 0},
    {"7", 1, -ERANGE, 0},
    {"1", 0, -ERANGE, 0},
    {"0", 0, 0, 0},
};

static void mgmt_parse_u64(struct kunit *test)
{
	unsigned int i;
	uint64_t v;
	int rc;

	for (i = 0; i < sizeof(u64_cases) / sizeof(u64_cases[0]); i++) {
		v = 12345;
		rc = scst_parse_u64(u64_cases[i].s, u64_cases[i].max, &v);
		KUNIT_EXPECT_EQ_MSG(test, rc, u64_cases[i].rc,
				    "parse '%s' max %llu", u64_cases[i].s,
				    (unsigned long long)u64_cases[i].max);
		if (!u64_cases[i].rc)
			KUNIT_EXPECT_EQ_MSG(test, v, u64_cases[i].v,
					    "parse '%s'", u64_cases[i].s);
		else
			KUNIT_EXPECT_EQ_MSG(test, v, 12345u,
					    "'%s' changed the output",
					    u64_cases[i].s);
	}
}

static void mgmt_parse_bool(struct kunit *test)
{
	static const char *const yes[] = {"1", "y", "yes", "on"};
	static const char *const no[] = {"0", "n", "no", "off"};
	static const char *const bad[] = {
	    "",	  "2",	"Y", "YES", "true",  "yes ",  " 1",
	    "01", "of", "o", "nO",  "false", "enable"};
	unsigned int i;
	bool b;

	for (i = 0; i < 4; i++) {
		b = false;
		KUNIT_EXPECT_EQ_MSG(test, scst_parse_bool(yes[i], &b), 0, "%s",
				    yes[i]);
		KUNIT_EXPECT_TRUE_MSG(test, b, "%s", yes[i]);
		b = true;
		KUNIT_EXPECT_EQ_MSG(test, scst_parse_bool(no[i], &b), 0, "%s",
				    no[i]);
		KUNIT_EXPECT_FALSE_MSG(test, b, "%s", no[i]);
	}
	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		b = true;
		KUNIT_EXPECT_EQ_MSG(test, scst_parse_bool(bad[i], &b), -EINVAL,
				    "'%s'", bad[i]);
		KUNIT_EXPECT_TRUE_MSG(test, b, "'%s' changed the output",
				      bad[i]);
	}
}

static struct kunit_case scst_tree_mgmt_cases[] = {
    KUNIT_CASE(mgmt_handler_cmds),
    KUNIT_CASE(mgmt_driver_cmds),
    KUNIT_CASE(mgmt_luns_add_inquiry),
    KUNIT_CASE(mgmt_luns_read_only),
    KUNIT_CASE(mgmt_luns_errors),
    KUNIT_CASE(mgmt_luns_replace_clear),
    KUNIT_CASE(mgmt_groups_cmds),
    KUNIT_CASE(mgmt_initiators_cmds),
    KUNIT_CASE(mgmt_device_groups),
    KUNIT_CASE(mgmt_target_groups),
    KUNIT_CASE(mgmt_target_attrs),
    KUNIT_CASE(mgmt_root_attrs),
    KUNIT_CASE(mgmt_names_with_slash),
    KUNIT_CASE(mgmt_params_next),
    KUNIT_CASE(mgmt_params_check_get),
    KUNIT_CASE(mgmt_next_word),
    KUNIT_CASE(mgmt_parse_u64),
    KUNIT_CASE(mgmt_parse_bool),
    {}};

static struct kunit_suite scst_tree_mgmt_suite = {
    .name = "scst_tree_mgmt",
    .init = tt_up,
    .exit = tt_down,
    .test_cases = scst_tree_mgmt_cases,
};

kunit_test_suite(scst_tree_mgmt_suite);
