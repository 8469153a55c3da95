// SPDX-License-Identifier: GPL-2.0-only
/*
 * Unit tests of the configuration tree's path API (scst/src/scst_tree.c,
 * scst_tree_objs.c): the root, stat types and modes, links and where they
 * lead, the errors of reads and writes, the value a store() gets, the
 * "[key]" marks of attributes that differ from their defaults, and
 * last_sysfs_mgmt_res.
 */
#include "scst_tree_fixture.h"

#define TGT   "/targets/scst_local/t"
#define SESS  TGT "/sessions/ini1"
#define NULLH "/handlers/scst_null"

/* Device d1 (default size), target t with d1 at LUN 0, session "ini1". */
static struct scst_local_sess *api_layout(struct kunit *test)
{
	struct scst_tgt *tgt;

	TT_WOK(test, NULLH "/mgmt", "add_device d1");
	KUNIT_ASSERT_EQ(test, scst_local_add_target("t", &tgt), 0);
	TT_WOK(test, TGT "/luns/mgmt", "add d1 0");
	return tt_open(test, tgt, "ini1");
}

/* ------------------------------------------------------------ readdir ---- */

static int count_fill(void *ctx, const char *name, enum scst_tree_type type)
{
	int *n = ctx;

	(void)name;
	(void)type;
	return ++*n >= 2; /* stop after the second entry */
}

static void tree_root_readdir(struct kunit *test)
{
	int n = 0;

	KUNIT_EXPECT_STREQ(test, tt_ls(test, "/"),
			   "device_groups/ devices/ handlers/ "
			   "last_sysfs_mgmt_res setup_id targets/ threads "
			   "trace_level version");
	KUNIT_EXPECT_STREQ(test, tt_ls(test, "/handlers"), "scst_null/");
	KUNIT_EXPECT_STREQ(test, tt_ls(test, "/targets"), "scst_local/");
	KUNIT_EXPECT_STREQ(test, tt_ls(test, "/targets/scst_local"), "mgmt");
	KUNIT_EXPECT_STREQ(test, tt_ls(test, "/device_groups"), "mgmt");
	KUNIT_EXPECT_STREQ(test, tt_ls(test, "/devices"), "");
	KUNIT_EXPECT_STREQ(test, tt_ls(test, "/nope"), "ERR-2");
	KUNIT_EXPECT_STREQ(test, tt_ls(test, "/version"), "ERR-20");
	KUNIT_EXPECT_EQ(test, scst_tree_readdir("/", count_fill, &n), 0);
	KUNIT_EXPECT_EQ(test, n, 2);
	/* Repeated and trailing slashes name the same directory. */
	KUNIT_EXPECT_STREQ(test, tt_ls(test, "//targets///scst_local/"),
			   "mgmt");
	KUNIT_EXPECT_STREQ(test, tt_ls(test, "targets"), "ERR-2");
}

static void tree_readdir_sorted(struct kunit *test)
{
	TT_WOK(test, NULLH "/mgmt", "add_device zz");
	TT_WOK(test, NULLH "/mgmt", "add_device aa");
	TT_WOK(test, NULLH "/mgmt", "add_device mm");
	KUNIT_EXPECT_STREQ(test, tt_ls(test, "/devices"), "aa/ mm/ zz/");
	KUNIT_EXPECT_STREQ(test, tt_ls(test, NULLH), "aa@ mgmt mm@ type zz@");
	KUNIT_EXPECT_STREQ(test, tt_ls(test, "/devices/mm"),
			   "blocksize exported/ handler@ pr_state size size_mb "
			   "type");
}

/* --------------------------------------------------------------- stat ---- */

static void expect_stat(struct kunit *test, const char *path,
			enum scst_tree_type type, unsigned int mode)
{
	struct scst_tree_stat st;
	int rc = scst_tree_stat(path, &st);

	KUNIT_EXPECT_EQ_MSG(test, rc, 0, "stat %s", path);
	if (rc)
		return;
	KUNIT_EXPECT_EQ_MSG(test, st.type, type, "type of %s", path);
	KUNIT_EXPECT_EQ_MSG(test, st.mode, mode, "mode of %s", path);
}

static void tree_stat_modes(struct kunit *test)
{
	struct scst_tree_stat st;

	api_layout(test);
	expect_stat(test, "/", SCST_TREE_DIR, 0755);
	expect_stat(test, "/targets/scst_local", SCST_TREE_DIR, 0755);
	expect_stat(test, TGT "/luns/0", SCST_TREE_DIR, 0755);
	expect_stat(test, SESS, SCST_TREE_DIR, 0755);
	expect_stat(test, "/version", SCST_TREE_FILE, 0444);
	expect_stat(test, "/threads", SCST_TREE_FILE, 0444);
	expect_stat(test, "/last_sysfs_mgmt_res", SCST_TREE_FILE, 0444);
	expect_stat(test, "/setup_id", SCST_TREE_FILE, 0644);
	expect_stat(test, "/trace_level", SCST_TREE_FILE, 0644);
	expect_stat(test, NULLH "/mgmt", SCST_TREE_FILE, 0644);
	expect_stat(test, NULLH "/type", SCST_TREE_FILE, 0444);
	expect_stat(test, "/targets/scst_local/mgmt", SCST_TREE_FILE, 0644);
	expect_stat(test, TGT "/luns/mgmt", SCST_TREE_FILE, 0644);
	expect_stat(test, TGT "/ini_groups/mgmt", SCST_TREE_FILE, 0644);
	expect_stat(test, "/device_groups/mgmt", SCST_TREE_FILE, 0644);
	expect_stat(test, TGT "/enabled", SCST_TREE_FILE, 0644);
	expect_stat(test, TGT "/rel_tgt_id", SCST_TREE_FILE, 0644);
	expect_stat(test, TGT "/luns/0/read_only", SCST_TREE_FILE, 0444);
	expect_stat(test, "/devices/d1/blocksize", SCST_TREE_FILE, 0444);
	expect_stat(test, SESS "/commands", SCST_TREE_FILE, 0444);
	expect_stat(test, SESS "/force_close", SCST_TREE_FILE, 0200);
	expect_stat(test, "/devices/d1/handler", SCST_TREE_LINK, 0777);
	expect_stat(test, NULLH "/d1", SCST_TREE_LINK, 0777);
	expect_stat(test, TGT "/luns/0/device", SCST_TREE_LINK, 0777);
	expect_stat(test, SESS "/luns", SCST_TREE_LINK, 0777);

	/* nlink: subdirectories + 2; 1 for files and links. */
	KUNIT_ASSERT_EQ(test, scst_tree_stat("/", &st), 0);
	KUNIT_EXPECT_EQ(test, st.nlink, 6u);
	KUNIT_ASSERT_EQ(test, scst_tree_stat(TGT, &st), 0);
	KUNIT_EXPECT_EQ(test, st.nlink, 5u); /* luns ini_groups sessions */
	KUNIT_ASSERT_EQ(test, scst_tree_stat("/version", &st), 0);
	KUNIT_EXPECT_EQ(test, st.nlink, 1u);

	KUNIT_EXPECT_EQ(test, scst_tree_stat("/nope", &st), -ENOENT);
	KUNIT_EXPECT_EQ(test, scst_tree_stat("/version/x", &st), -ENOENT);
	KUNIT_EXPECT_EQ(test, scst_tree_stat("version", &st), -ENOENT);
	/* Lookups do not follow links. */
	KUNIT_EXPECT_EQ(test, scst_tree_stat("/devices/d1/handler/mgmt", &st),
			-ENOENT);
}

/* -------------------------------------------------------------- links ---- */

static void tree_links_resolve(struct kunit *test)
{
	char buf[32];

	api_layout(test);
	TT_WOK(test, TGT "/ini_groups/mgmt", "create g");
	TT_WOK(test, TGT "/ini_groups/g/luns/mgmt", "add d1 3");

	TT_LINK(test, "/devices/d1/handler", "../../handlers/scst_null", NULLH);
	TT_LINK(test, NULLH "/d1", "../../devices/d1", "/devices/d1");
	TT_LINK(test, "/devices/d1/exported/export0",
		"../../../targets/scst_local/t/luns/0", TGT "/luns/0");
	TT_LINK(test, "/devices/d1/exported/export1",
		"../../../targets/scst_local/t/ini_groups/g/luns/3",
		TGT "/ini_groups/g/luns/3");
	TT_LINK(test, TGT "/luns/0/device", "../../../../../devices/d1",
		"/devices/d1");
	TT_LINK(test, TGT "/ini_groups/g/luns/3/device",
		"../../../../../../../devices/d1", "/devices/d1");
	TT_LINK(test, SESS "/luns", "../../../../../targets/scst_local/t/luns",
		TGT "/luns");

	KUNIT_EXPECT_EQ(test, scst_tree_readlink("/version", buf, sizeof(buf)),
			-EINVAL);
	KUNIT_EXPECT_EQ(test, scst_tree_readlink("/nope", buf, sizeof(buf)),
			-ENOENT);
	KUNIT_EXPECT_EQ(test, scst_tree_readlink(NULLH "/d1", buf, 8),
			-ENAMETOOLONG);
	/* Exactly the room for the target and its NUL. */
	KUNIT_EXPECT_EQ(test, scst_tree_readlink(NULLH "/d1", buf, 17), 16);
	KUNIT_EXPECT_EQ(test, scst_tree_readlink(NULLH "/d1", buf, 16),
			-ENAMETOOLONG);
}

/* -------------------------------------------------------- read errors ---- */

static void tree_read_errors(struct kunit *test)
{
	api_layout(test);
	KUNIT_EXPECT_STREQ(test, tt_r(test, "/targets"), "ERR-21");
	KUNIT_EXPECT_STREQ(test, tt_r(test, "/"), "ERR-21");
	KUNIT_EXPECT_STREQ(test, tt_r(test, SESS "/force_close"), "ERR-13");
	KUNIT_EXPECT_STREQ(test, tt_r(test, "/nope"), "ERR-2");
	KUNIT_EXPECT_STREQ(test, tt_r(test, "/version/x"), "ERR-2");
	KUNIT_EXPECT_STREQ(test, tt_r(test, "/version"),
			   SCST_VERSION_STRING "\n");
	KUNIT_EXPECT_STREQ(test, tt_r(test, "/threads"), "2\n");
}

/* ------------------------------------------------------- write errors ---- */

static void tree_write_errors(struct kunit *test)
{
	char *big = kunit_kzalloc(test, SCST_ATTR_MAX_STORE + 2, GFP_KERNEL);
	struct tt_env *e = test->priv;

	KUNIT_ASSERT_NOT_NULL(test, big);
	api_layout(test);
	TT_WERR(test, "/version", "2", -EACCES, "/version: read-only");
	TT_WERR(test, "/devices/d1/blocksize", "4096", -EACCES,
		"/devices/d1/blocksize: read-only");
	TT_WERR(test, "/targets", "x", -EACCES, "/targets: read-only");
	TT_WERR(test, "/devices/d1/handler", "x", -EACCES,
		"/devices/d1/handler: read-only");
	TT_WERR(test, "/nope", "1", -ENOENT, "/nope: no such entry");
	TT_WERR(test, TGT "/nope/mgmt", "1", -ENOENT,
		TGT "/nope/mgmt: no such entry");
	KUNIT_EXPECT_STREQ(test, tt_r(test, "/version"),
			   SCST_VERSION_STRING "\n");
	KUNIT_EXPECT_STREQ(test, tt_r(test, "/devices/d1/blocksize"), "512\n");

	/* One byte too many; the limit itself reaches store(). */
	memset(big, '1', SCST_ATTR_MAX_STORE + 1);
	KUNIT_EXPECT_EQ(
	    test,
	    scst_tree_write("/setup_id", big, SCST_ATTR_MAX_STORE + 1, &e->res),
	    -E2BIG);
	KUNIT_EXPECT_STREQ(test, e->res.msg,
			   "/setup_id: value longer than 4096 bytes");
	KUNIT_EXPECT_EQ(
	    test,
	    scst_tree_write("/setup_id", big, SCST_ATTR_MAX_STORE, &e->res),
	    -EINVAL);
	KUNIT_EXPECT_EQ(test, strncmp(e->res.msg, "setup_id: '1111", 15), 0);
	/* 4096 bytes of which the last is the newline: accepted. */
	memset(big, ' ', SCST_ATTR_MAX_STORE);
	memcpy(big, "comment", 7);
	big[SCST_ATTR_MAX_STORE - 1] = '\n';
	KUNIT_EXPECT_EQ(
	    test,
	    scst_tree_write(TGT "/comment", big, SCST_ATTR_MAX_STORE, &e->res),
	    0);

	/* An embedded NUL: refused, nothing stored. */
	KUNIT_EXPECT_EQ(
	    test, scst_tree_write("/setup_id", "7\0008", 3, &e->res), -EINVAL);
	KUNIT_EXPECT_STREQ(test, e->res.msg,
			   "/setup_id: value contains a NUL byte");
	KUNIT_EXPECT_EQ(test, scst_tree_write("/setup_id", "7\0\n", 3, &e->res),
			-EINVAL);
	KUNIT_EXPECT_EQ(test, scst_tree_write("/setup_id", "\0", 1, &e->res),
			-EINVAL);
	KUNIT_EXPECT_STREQ(test, tt_r(test, "/setup_id"), "0x0\n");
	/* An empty write is an empty value, not an error of the API. */
	KUNIT_EXPECT_EQ(test, scst_tree_write(TGT "/comment", "", 0, &e->res),
			0);
	KUNIT_EXPECT_STREQ(test, tt_r(test, TGT "/comment"), "\n");
}

static void tree_write_newline(struct kunit *test)
{
	struct scst_tgt *tgt;

	KUNIT_ASSERT_EQ(test, scst_local_add_target("t", &tgt), 0);
	TT_WOK(test, "/setup_id", "0x10\n");
	KUNIT_EXPECT_STREQ(test, tt_r(test, "/setup_id"), "0x10\n[key]\n");
	/* Only one newline goes: "16\n" is not a number. */
	TT_WERR(test, "/setup_id", "16\n\n", -EINVAL,
		"setup_id: '16\n' is not a 32-bit number");
	KUNIT_EXPECT_STREQ(test, tt_r(test, "/setup_id"), "0x10\n[key]\n");
	TT_WOK(test, TGT "/comment", "hello\n");
	KUNIT_EXPECT_STREQ(test, tt_r(test, TGT "/comment"), "hello\n[key]\n");
	TT_WOK(test, TGT "/comment", "two\n\n");
	KUNIT_EXPECT_STREQ(test, tt_r(test, TGT "/comment"), "two\n\n[key]\n");
	TT_WOK(test, TGT "/comment", "a\nb");
	KUNIT_EXPECT_STREQ(test, tt_r(test, TGT "/comment"), "a\nb\n[key]\n");
	TT_WOK(test, TGT "/comment", "\n");
	KUNIT_EXPECT_STREQ(test, tt_r(test, TGT "/comment"), "\n");
	TT_WOK(test, "/setup_id", "0");
}

/* ---------------------------------------------------------- [key] ---- */

static void tree_key_root(struct kunit *test)
{
	KUNIT_EXPECT_STREQ(test, tt_r(test, "/setup_id"), "0x0\n");
	TT_WOK(test, "/setup_id", "0x10");
	KUNIT_EXPECT_STREQ(test, tt_r(test, "/setup_id"), "0x10\n[key]\n");
	TT_WOK(test, "/setup_id", "0");
	KUNIT_EXPECT_STREQ(test, tt_r(test, "/setup_id"), "0x0\n");

	TT_WOK(test, "/trace_level", "info");
	KUNIT_EXPECT_STREQ(test, tt_r(test, "/trace_level"), "info\n");
	TT_WOK(test, "/trace_level", "warn");
	KUNIT_EXPECT_STREQ(test, tt_r(test, "/trace_level"), "warn\n[key]\n");
	KUNIT_EXPECT_EQ(test, scst_log_get_level(), SCST_LOG_WARN);
	TT_WOK(test, "/trace_level", "debug");
	KUNIT_EXPECT_STREQ(test, tt_r(test, "/trace_level"), "debug\n[key]\n");
	TT_WOK(test, "/trace_level", "default");
	KUNIT_EXPECT_STREQ(test, tt_r(test, "/trace_level"), "info\n");
	TT_WOK(test, "/trace_level", "none");
	KUNIT_EXPECT_STREQ(test, tt_r(test, "/trace_level"), "err\n[key]\n");
	KUNIT_EXPECT_EQ(test, scst_log_get_level(), SCST_LOG_ERR);
	TT_WOK(test, "/trace_level", "all");
	KUNIT_EXPECT_STREQ(test, tt_r(test, "/trace_level"), "debug\n[key]\n");
	TT_WOK(test, "/trace_level", "warn");
}

static void tree_key_device(struct kunit *test)
{
	TT_WOK(test, NULLH "/mgmt", "add_device d512");
	TT_WOK(test, NULLH "/mgmt",
	       "add_device d4k size_mb=16; blocksize=4096");
	KUNIT_EXPECT_STREQ(test, tt_r(test, "/devices/d512/blocksize"),
			   "512\n");
	KUNIT_EXPECT_STREQ(test, tt_r(test, "/devices/d512/size_mb"), "1024\n");
	KUNIT_EXPECT_STREQ(test, tt_r(test, "/devices/d512/size"),
			   "1073741824\n");
	KUNIT_EXPECT_STREQ(test, tt_r(test, "/devices/d4k/blocksize"),
			   "4096\n[key]\n");
	KUNIT_EXPECT_STREQ(test, tt_r(test, "/devices/d4k/size_mb"),
			   "16\n[key]\n");
	KUNIT_EXPECT_STREQ(test, tt_r(test, "/devices/d4k/size"), "16777216\n");
	KUNIT_EXPECT_STREQ(test, tt_r(test, "/devices/d4k/type"),
			   "0 - Direct-access device (e.g., magnetic disk)\n");
	KUNIT_EXPECT_STREQ(test, tt_r(test, NULLH "/type"),
			   "0 - Direct-access device (e.g., magnetic disk)\n");
}

static void tree_key_target(struct kunit *test)
{
	struct scst_tgt *tgt;

	TT_WOK(test, NULLH "/mgmt", "add_device d1");
	KUNIT_ASSERT_EQ(test, scst_local_add_target("t", &tgt), 0);
	KUNIT_EXPECT_STREQ(test, tt_r(test, TGT "/rel_tgt_id"), "1\n[key]\n");
	KUNIT_EXPECT_STREQ(test, tt_r(test, TGT "/enabled"), "1\n");
	KUNIT_EXPECT_STREQ(test, tt_r(test, TGT "/addr_method"),
			   "PERIPHERAL\n");
	TT_WOK(test, TGT "/addr_method", "FLAT");
	KUNIT_EXPECT_STREQ(test, tt_r(test, TGT "/addr_method"),
			   "FLAT\n[key]\n");
	KUNIT_EXPECT_STREQ(test, tt_r(test, TGT "/comment"), "\n");
	TT_WOK(test, TGT "/comment", "rack 4");
	KUNIT_EXPECT_STREQ(test, tt_r(test, TGT "/comment"), "rack 4\n[key]\n");
	TT_WOK(test, TGT "/comment", "");
	KUNIT_EXPECT_STREQ(test, tt_r(test, TGT "/comment"), "\n");

	TT_WOK(test, TGT "/luns/mgmt", "add d1 0");
	TT_WOK(test, TGT "/luns/mgmt", "add d1 1 read_only=1");
	KUNIT_EXPECT_STREQ(test, tt_r(test, TGT "/luns/0/read_only"), "0\n");
	KUNIT_EXPECT_STREQ(test, tt_r(test, TGT "/luns/1/read_only"),
			   "1\n[key]\n");
}

static void tree_key_groups(struct kunit *test)
{
	const char *tg = "/device_groups/dg/target_groups/tg";

	TT_WOK(test, "/device_groups/mgmt", "create dg");
	TT_WOK(test, "/device_groups/dg/target_groups/mgmt", "create tg");
	KUNIT_EXPECT_STREQ(test, tt_ls(test, tg),
			   "group_id mgmt preferred state");
	KUNIT_EXPECT_STREQ(test,
			   tt_r(test, "/device_groups/dg/target_groups/"
				      "tg/state"),
			   "active\n");
	TT_WOK(test, "/device_groups/dg/target_groups/tg/state", "standby");
	KUNIT_EXPECT_STREQ(test,
			   tt_r(test, "/device_groups/dg/target_groups/"
				      "tg/state"),
			   "standby\n[key]\n");
	TT_WOK(test, "/device_groups/dg/target_groups/tg/state", "active");
	KUNIT_EXPECT_STREQ(test,
			   tt_r(test, "/device_groups/dg/target_groups/"
				      "tg/state"),
			   "active\n");
	KUNIT_EXPECT_STREQ(test,
			   tt_r(test, "/device_groups/dg/target_groups/"
				      "tg/group_id"),
			   "0\n");
	TT_WOK(test, "/device_groups/dg/target_groups/tg/group_id", "7");
	KUNIT_EXPECT_STREQ(test,
			   tt_r(test, "/device_groups/dg/target_groups/"
				      "tg/group_id"),
			   "7\n[key]\n");
	KUNIT_EXPECT_STREQ(test,
			   tt_r(test, "/device_groups/dg/target_groups/"
				      "tg/preferred"),
			   "0\n");
	TT_WOK(test, "/device_groups/dg/target_groups/tg/preferred", "yes");
	KUNIT_EXPECT_STREQ(test,
			   tt_r(test, "/device_groups/dg/target_groups/"
				      "tg/preferred"),
			   "1\n[key]\n");
	TT_WOK(test, "/device_groups/dg/target_groups/tg/mgmt", "add remote");
	KUNIT_EXPECT_STREQ(test,
			   tt_r(test, "/device_groups/dg/target_groups/"
				      "tg/remote/rel_tgt_id"),
			   "0\n");
	TT_WOK(test, "/device_groups/dg/target_groups/tg/remote/rel_tgt_id",
	       "9");
	KUNIT_EXPECT_STREQ(test,
			   tt_r(test, "/device_groups/dg/target_groups/"
				      "tg/remote/rel_tgt_id"),
			   "9\n[key]\n");
}

/* ---------------------------------------------- last_sysfs_mgmt_res ---- */

static void tree_last_res(struct kunit *test)
{
	KUNIT_EXPECT_STREQ(test, tt_r(test, "/last_sysfs_mgmt_res"), "0\n");
	TT_WERR(test, NULLH "/mgmt", "add_device d2 bogus=1", -EINVAL,
		"add_device: unknown parameter 'bogus'");
	KUNIT_EXPECT_STREQ(test, tt_r(test, "/last_sysfs_mgmt_res"),
			   "-22\nadd_device: unknown parameter 'bogus'\n");
	TT_WOK(test, NULLH "/mgmt", "add_device d2");
	KUNIT_EXPECT_STREQ(test, tt_r(test, "/last_sysfs_mgmt_res"), "0\n");
	KUNIT_EXPECT_STREQ(test, tt_msg(test), "");
	TT_WERR(test, "/version", "1", -EACCES, "/version: read-only");
	KUNIT_EXPECT_STREQ(test, tt_r(test, "/last_sysfs_mgmt_res"),
			   "-13\n/version: read-only\n");
	TT_WERR(test, "/nope", "1", -ENOENT, "/nope: no such entry");
	KUNIT_EXPECT_STREQ(test, tt_r(test, "/last_sysfs_mgmt_res"),
			   "-2\n/nope: no such entry\n");
	TT_WERR(test, NULLH "/mgmt", "add_device d2", -EEXIST,
		"add_device: device d2 already exists");
	KUNIT_EXPECT_STREQ(test, tt_r(test, "/last_sysfs_mgmt_res"),
			   "-17\nadd_device: device d2 already exists\n");
	/* Reads change nothing. */
	KUNIT_EXPECT_STREQ(test, tt_r(test, NULLH "/mgmt"),
			   "Usage: echo \"add_device NAME [PARAM=VALUE; ...]\" "
			   ">mgmt\n"
			   "       echo \"del_device NAME\" >mgmt\n"
			   "The following parameters available: size, "
			   "size_mb, blocksize\n");
	KUNIT_EXPECT_STREQ(test, tt_r(test, "/last_sysfs_mgmt_res"),
			   "-17\nadd_device: device d2 already exists\n");
}

/*
 * Every failed write is reported by last_sysfs_mgmt_res (scst_tree.h), also
 * the ones scst_tree_write() refuses before looking the path up.
 */
static void tree_last_res_early_errors(struct kunit *test)
{
	struct tt_env *e = test->priv;
	char *big = kunit_kzalloc(test, SCST_ATTR_MAX_STORE + 1, GFP_KERNEL);

	KUNIT_ASSERT_NOT_NULL(test, big);
	TT_WOK(test, "/setup_id", "0");
	KUNIT_EXPECT_EQ(
	    test, scst_tree_write("/setup_id", "1\0002", 3, &e->res), -EINVAL);
	KUNIT_EXPECT_STREQ(test, tt_r(test, "/last_sysfs_mgmt_res"),
			   "-22\n/setup_id: value contains a NUL byte\n");
	TT_WOK(test, "/setup_id", "0");
	memset(big, '1', SCST_ATTR_MAX_STORE + 1);
	KUNIT_EXPECT_EQ(
	    test,
	    scst_tree_write("/setup_id", big, SCST_ATTR_MAX_STORE + 1, &e->res),
	    -E2BIG);
	KUNIT_EXPECT_STREQ(test, tt_r(test, "/last_sysfs_mgmt_res"),
			   "-7\n/setup_id: value longer than 4096 bytes\n");
}

/* A restarted core starts from the defaults again. */
static void tree_setup_id_after_restart(struct kunit *test)
{
	struct scst_core_params p = {.threads = 2};
	struct tt_env *e = test->priv;

	TT_WOK(test, "/setup_id", "0x1234");
	KUNIT_EXPECT_STREQ(test, tt_r(test, "/setup_id"), "0x1234\n[key]\n");
	scst_modules_exit(tt_mods, 2);
	e->eng.mods_up = false;
	scst_core_exit();
	e->eng.core_up = false;
	KUNIT_ASSERT_EQ(test, scst_core_init(&p), 0);
	e->eng.core_up = true;
	KUNIT_ASSERT_EQ(test, scst_modules_init(tt_mods, 2), 0);
	e->eng.mods_up = true;
	KUNIT_EXPECT_STREQ(test, tt_r(test, "/setup_id"), "0x0\n");
	/* Leave no state behind for the next case either way. */
	TT_WOK(test, "/setup_id", "0");
}

static struct kunit_case scst_tree_api_cases[] = {
    KUNIT_CASE(tree_root_readdir),
    KUNIT_CASE(tree_readdir_sorted),
    KUNIT_CASE(tree_stat_modes),
    KUNIT_CASE(tree_links_resolve),
    KUNIT_CASE(tree_read_errors),
    KUNIT_CASE(tree_write_errors),
    KUNIT_CASE(tree_write_newline),
    KUNIT_CASE(tree_key_root),
    KUNIT_CASE(tree_key_device),
    KUNIT_CASE(tree_key_target),
    KUNIT_CASE(tree_key_groups),
    KUNIT_CASE(tree_last_res),
    KUNIT_CASE(tree_last_res_early_errors),
    KUNIT_CASE(tree_setup_id_after_restart),
    {}};

static struct kunit_suite scst_tree_api_suite = {
    .name = "scst_tree_api",
    .init = tt_up,
    .exit = tt_down,
    .test_cases = scst_tree_api_cases,
};

kunit_test_suite(scst_tree_api_suite);
