// SPDX-License-Identifier: GPL-2.0-only
/*
 * Unit tests of the configuration tree following the life of the core's
 * objects (scst/src/scst_tree.c, scst_tree_objs.c, scst_sess.c): objects
 * made and removed through the C API appear and disappear, sessions and
 * their counters, sessions that change groups, force_close, and readers
 * and writers of the tree racing configuration changes.
 */
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include "scst_tree_fixture.h"

#define TGT   "/targets/scst_local/t"
#define TMGMT "/targets/scst_local/mgmt"
#define NMGMT "/handlers/scst_null/mgmt"
#define LUNS  TGT "/luns/mgmt"

static struct scst_device *life_null(struct kunit *test, const char *name)
{
	struct scst_null_params np = {.block_size = 512, .nblocks = 2048};
	struct scst_device *dev;

	KUNIT_ASSERT_EQ(test, scst_null_add(name, &np, &dev), 0);
	return dev;
}

/* Unit serial number (VPD 80h) of @lun: the device's name, or "". */
static const char *life_serial(struct kunit *test, struct scst_local_sess *s,
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

/* ------------------------------------------------- objects come and go ---- */

static void life_device_unregister(struct kunit *test)
{
	struct scst_device *d1 = life_null(test, "d1");
	struct scst_tgt *tgt;

	life_null(test, "d2");
	KUNIT_EXPECT_STREQ(test, tt_ls(test, "/devices"), "d1/ d2/");
	KUNIT_EXPECT_STREQ(test, tt_ls(test, "/handlers/scst_null"),
			   "d1@ d2@ mgmt type");
	KUNIT_ASSERT_EQ(test, scst_local_add_target("t", &tgt), 0);
	TT_WOK(test, LUNS, "add d1 0");
	TT_WOK(test, LUNS, "add d2 1");
	TT_WOK(test, TGT "/ini_groups/mgmt", "create g");
	TT_WOK(test, TGT "/ini_groups/g/luns/mgmt", "add d1 4");
	TT_WOK(test, "/device_groups/mgmt", "create dg");
	TT_WOK(test, "/device_groups/dg/devices/mgmt", "add d1");
	TT_WOK(test, "/device_groups/dg/devices/mgmt", "add d2");
	KUNIT_EXPECT_STREQ(test, tt_ls(test, "/devices/d1/exported"),
			   "export0@ export1@");

	scst_null_del(d1);
	KUNIT_EXPECT_FALSE(test, tt_exists("/devices/d1"));
	KUNIT_EXPECT_STREQ(test, tt_ls(test, "/devices"), "d2/");
	KUNIT_EXPECT_STREQ(test, tt_ls(test, "/handlers/scst_null"),
			   "d2@ mgmt type");
	KUNIT_EXPECT_STREQ(test, tt_ls(test, TGT "/luns"), "1/ mgmt");
	KUNIT_EXPECT_STREQ(test, tt_ls(test, TGT "/ini_groups/g/luns"), "mgmt");
	KUNIT_EXPECT_STREQ(test, tt_ls(test, "/device_groups/dg/devices"),
			   "d2@ mgmt");
	KUNIT_EXPECT_STREQ(test, tt_ls(test, "/devices/d2/exported"),
			   "export0@");
	/* The name is free again, and so is its device group membership. */
	TT_WOK(test, NMGMT, "add_device d1");
	TT_WOK(test, "/device_groups/dg/devices/mgmt", "add d1");
	KUNIT_EXPECT_STREQ(test, tt_ls(test, "/devices/d1/exported"), "");
}

static void life_target_unregister(struct kunit *test)
{
	struct scst_tgt *tgt;

	life_null(test, "d1");
	KUNIT_ASSERT_EQ(test, scst_local_add_target("t", &tgt), 0);
	KUNIT_EXPECT_TRUE(test, tt_exists(TGT "/luns/mgmt"));
	TT_WOK(test, LUNS, "add d1 0");
	TT_WOK(test, TGT "/ini_groups/mgmt", "create g");
	TT_WOK(test, TGT "/ini_groups/g/luns/mgmt", "add d1 1");
	KUNIT_EXPECT_STREQ(test, tt_ls(test, "/devices/d1/exported"),
			   "export0@ export1@");
	scst_local_del_target(tgt);
	KUNIT_EXPECT_FALSE(test, tt_exists(TGT));
	KUNIT_EXPECT_STREQ(test, tt_ls(test, "/targets/scst_local"), "mgmt");
	KUNIT_EXPECT_STREQ(test, tt_ls(test, "/devices/d1/exported"), "");
	/* A new target of the same name starts empty. */
	KUNIT_ASSERT_EQ(test, scst_local_add_target("t", &tgt), 0);
	KUNIT_EXPECT_STREQ(test, tt_ls(test, TGT "/luns"), "mgmt");
	KUNIT_EXPECT_STREQ(test, tt_ls(test, TGT "/ini_groups"), "mgmt");
}

/* ----------------------------------------------------------- sessions ---- */

static void life_session_counters(struct kunit *test)
{
	const char *sd = TGT "/sessions/ini";
	struct scst_local_sess *s;
	struct scst_tgt *tgt;
	uint8_t inq[96];
	unsigned int i;

	life_null(test, "d1");
	KUNIT_ASSERT_EQ(test, scst_local_add_target("t", &tgt), 0);
	TT_WOK(test, LUNS, "add d1 0");
	s = tt_open(test, tgt, "ini");
	KUNIT_EXPECT_STREQ(test, tt_ls(test, sd),
			   "active_commands commands force_close "
			   "initiator_name luns@ read_io_count_kb "
			   "write_io_count_kb");
	KUNIT_EXPECT_STREQ(test, tt_r(test, TGT "/sessions/ini/commands"),
			   "0\n");
	/* A new nexus reports a reset first: counted, no data. */
	KUNIT_EXPECT_EQ(test, tt_tur(test, s, 0), TT_UA(0x29, 0x00));
	KUNIT_EXPECT_EQ(test, tt_tur(test, s, 0), TT_GOOD);
	for (i = 0; i < 3; i++)
		KUNIT_EXPECT_EQ(test,
				tt_rw10(test, s, 0, READ_10, i * 16, 16, 8192),
				TT_GOOD);
	for (i = 0; i < 2; i++)
		KUNIT_EXPECT_EQ(test,
				tt_rw10(test, s, 0, WRITE_10, i * 4, 4, 2048),
				TT_GOOD);
	/* Beyond the end: an error moves no data. */
	KUNIT_EXPECT_EQ(test, tt_rw10(test, s, 0, READ_10, 2048, 8, 4096),
			TT_CC(ILLEGAL_REQUEST, 0x21, 0x00));
	KUNIT_EXPECT_STREQ(test, tt_r(test, TGT "/sessions/ini/commands"),
			   "8\n");
	KUNIT_EXPECT_STREQ(
	    test, tt_r(test, TGT "/sessions/ini/active_commands"), "0\n");
	KUNIT_EXPECT_STREQ(
	    test, tt_r(test, TGT "/sessions/ini/read_io_count_kb"), "24\n");
	KUNIT_EXPECT_STREQ(
	    test, tt_r(test, TGT "/sessions/ini/write_io_count_kb"), "4\n");
	/* 36 bytes of INQUIRY data: 24 KB and 36 bytes read. */
	KUNIT_EXPECT_EQ(test, tt_inquiry(test, s, 0, inq, NULL), TT_GOOD);
	KUNIT_EXPECT_STREQ(test, tt_r(test, TGT "/sessions/ini/commands"),
			   "9\n");
	KUNIT_EXPECT_STREQ(
	    test, tt_r(test, TGT "/sessions/ini/read_io_count_kb"), "24\n");
	KUNIT_EXPECT_EQ(test, tt_rw10(test, s, 0, READ_10, 0, 2, 1024),
			TT_GOOD);
	KUNIT_EXPECT_STREQ(
	    test, tt_r(test, TGT "/sessions/ini/read_io_count_kb"), "25\n");
	KUNIT_EXPECT_STREQ(test, tt_r(test, TGT "/sessions/ini/initiator_name"),
			   "ini\n");
	tt_close(test, s);
	KUNIT_EXPECT_FALSE(test, tt_exists(sd));
}

static void life_session_same_name(struct kunit *test)
{
	struct scst_local_sess *a, *b, *c;
	struct scst_tgt *tgt;

	KUNIT_ASSERT_EQ(test, scst_local_add_target("t", &tgt), 0);
	a = tt_open(test, tgt, "ini");
	b = tt_open(test, tgt, "ini");
	KUNIT_EXPECT_STREQ(test, tt_ls(test, TGT "/sessions"), "ini/ ini_1/");
	KUNIT_EXPECT_STREQ(
	    test, tt_r(test, TGT "/sessions/ini_1/initiator_name"), "ini\n");
	c = tt_open(test, tgt, "ini");
	KUNIT_EXPECT_STREQ(test, tt_ls(test, TGT "/sessions"),
			   "ini/ ini_1/ ini_2/");
	tt_close(test, a);
	KUNIT_EXPECT_STREQ(test, tt_ls(test, TGT "/sessions"), "ini_1/ ini_2/");
	a = tt_open(test, tgt, "ini");
	KUNIT_EXPECT_STREQ(test, tt_ls(test, TGT "/sessions"),
			   "ini/ ini_1/ ini_2/");
	tt_close(test, b);
	tt_close(test, c);
	tt_close(test, a);
	KUNIT_EXPECT_STREQ(test, tt_ls(test, TGT "/sessions"), "");
}

static void life_session_changes_group(struct kunit *test)
{
	const char *link = TGT "/sessions/h1/luns";
	struct scst_local_sess *s, *other;
	struct scst_tgt *tgt;
	uint8_t inq[96];

	life_null(test, "d1");
	life_null(test, "d2");
	KUNIT_ASSERT_EQ(test, scst_local_add_target("t", &tgt), 0);
	TT_WOK(test, LUNS, "add d1 0");
	TT_WOK(test, TGT "/ini_groups/mgmt", "create g");
	TT_WOK(test, TGT "/ini_groups/g/luns/mgmt", "add d2 5");
	s = tt_open(test, tgt, "h1");
	other = tt_open(test, tgt, "h2");
	tt_clear_ua(test, s, 0);
	tt_clear_ua(test, other, 0);
	TT_LINK(test, link, "../../../../../targets/scst_local/t/luns",
		TGT "/luns");

	TT_WOK(test, TGT "/ini_groups/g/initiators/mgmt", "add h1");
	TT_LINK(test, link,
		"../../../../../targets/scst_local/t/ini_groups/g/luns",
		TGT "/ini_groups/g/luns");
	KUNIT_EXPECT_EQ(test, tt_tur(test, s, 5), TT_UA(0x3f, 0x0e));
	KUNIT_EXPECT_EQ(test, tt_tur(test, s, 5), TT_GOOD);
	KUNIT_EXPECT_STREQ(test, life_serial(test, s, 5), "d2");
	KUNIT_EXPECT_EQ(test, tt_inquiry(test, s, 0, inq, NULL), TT_GOOD);
	KUNIT_EXPECT_EQ(test, inq[0], 0x7f);
	/* The other initiator stays where it was, with no attention. */
	KUNIT_EXPECT_EQ(test, tt_tur(test, other, 0), TT_GOOD);
	TT_LINK(test, TGT "/sessions/h2/luns",
		"../../../../../targets/scst_local/t/luns", TGT "/luns");

	/* And back to the default group. */
	TT_WOK(test, TGT "/ini_groups/g/initiators/mgmt", "del h1");
	TT_LINK(test, link, "../../../../../targets/scst_local/t/luns",
		TGT "/luns");
	KUNIT_EXPECT_EQ(test, tt_tur(test, s, 0), TT_UA(0x3f, 0x0e));
	KUNIT_EXPECT_STREQ(test, life_serial(test, s, 0), "d1");
}

static void life_force_close(struct kunit *test)
{
	const char *fc = TGT "/sessions/h1/force_close";
	struct scst_local_sess *s;
	struct scst_tgt *tgt;
	uint8_t inq[96];
	char msg[256];

	KUNIT_ASSERT_EQ(test, scst_local_add_target("t", &tgt), 0);
	TT_WOK(test, TMGMT, "add_session t h1");
	s = tt_open(test, tgt, "api");
	KUNIT_EXPECT_STREQ(test, tt_ls(test, TGT "/sessions"), "api/ h1/");
	TT_WOK(test, fc, "1");
	TT_WAIT(test, !tt_exists(TGT "/sessions/h1"), "h1 to close");
	KUNIT_EXPECT_STREQ(test, tt_ls(test, TGT "/sessions"), "api/");
	TT_WERR(test, TMGMT, "del_session t h1", -ENOENT,
		"no session of h1 on t");
	/* A session of the C API belongs to its caller. */
	snprintf(msg, sizeof(msg), "%s: failed (-16)",
		 TGT "/sessions/api/force_close");
	TT_WERR(test, TGT "/sessions/api/force_close", "1", -EBUSY, msg);
	KUNIT_EXPECT_TRUE(test, tt_exists(TGT "/sessions/api"));
	KUNIT_EXPECT_EQ(test, tt_inquiry(test, s, 0, inq, NULL), TT_GOOD);
	KUNIT_EXPECT_EQ(test, inq[0], 0x7f);
}

static void life_del_target_with_session(struct kunit *test)
{
	TT_WOK(test, NMGMT, "add_device d1");
	TT_WOK(test, TMGMT, "add_target t");
	TT_WOK(test, LUNS, "add d1 0");
	TT_WOK(test, TMGMT, "add_session t h1");
	TT_WOK(test, TMGMT, "add_session t h2");
	KUNIT_EXPECT_STREQ(test, tt_ls(test, TGT "/sessions"), "h1/ h2/");
	TT_WOK(test, TMGMT, "del_target t");
	KUNIT_EXPECT_FALSE(test, tt_exists(TGT));
	KUNIT_EXPECT_STREQ(test, tt_ls(test, "/devices/d1/exported"), "");
	/* Its sessions went with it. */
	TT_WOK(test, TMGMT, "add_target t");
	KUNIT_EXPECT_STREQ(test, tt_ls(test, TGT "/sessions"), "");
	TT_WERR(test, TMGMT, "del_session t h1", -ENOENT,
		"no session of h1 on t");
}

/* ----------------------------------------------------------- concurrency ----
 */

struct life_reader {
	int stop;
	long values, missing, bad;
	char last_bad[128];
};

static int life_reader_fn(void *arg)
{
	struct life_reader *r = arg;
	char buf[64];
	int n;

	while (!__atomic_load_n(&r->stop, __ATOMIC_ACQUIRE)) {
		n = scst_tree_read(TGT "/rel_tgt_id", buf, sizeof(buf) - 1);
		if (n == -ENOENT) {
			r->missing++;
			continue;
		}
		if (n >= 0)
			buf[n] = '\0';
		if (n >= 0 && strcmp(buf, "1\n[key]\n") == 0) {
			r->values++;
		} else {
			r->bad++;
			snprintf(r->last_bad, sizeof(r->last_bad), "%d %s", n,
				 n >= 0 ? buf : "");
		}
	}
	return 0;
}

static void life_read_vs_target_churn(struct kunit *test)
{
	struct life_reader r = {0};
	struct scst_thread *th;
	struct scst_tgt *tgt;
	unsigned int i;

	KUNIT_ASSERT_EQ(
	    test, scst_thread_create(&th, life_reader_fn, &r, "t_reader"), 0);
	for (i = 0; i < 200; i++) {
		KUNIT_ASSERT_EQ(test, scst_local_add_target("t", &tgt), 0);
		if (i % 8 == 0)
			scst_os_msleep(1);
		scst_local_del_target(tgt);
	}
	/* The same through the mgmt file. */
	for (i = 0; i < 50; i++) {
		TT_WOK(test, TMGMT, "add_target t");
		TT_WOK(test, TMGMT, "del_target t");
	}
	__atomic_store_n(&r.stop, 1, __ATOMIC_RELEASE);
	KUNIT_ASSERT_EQ(test, scst_thread_join(th), 0);
	KUNIT_EXPECT_EQ_MSG(test, r.bad, 0, "last bad read: %s", r.last_bad);
	KUNIT_EXPECT_GT(test, r.values + r.missing, 0);
	/* The target is gone: a read now fails, it does not crash. */
	KUNIT_EXPECT_STREQ(test, tt_r(test, TGT "/rel_tgt_id"), "ERR-2");
	kunit_info(test, "reads: %ld values, %ld missing", r.values, r.missing);
	KUNIT_EXPECT_FALSE(test, tt_exists(TGT));
}

struct life_writer {
	const char *prefix;
	unsigned int lun_base;
	int failures;
	char msg[640];
};

static int life_writer_fn(void *arg)
{
	struct life_writer *w = arg;
	struct scst_mgmt_res res;
	char cmd[64];
	unsigned int i;
	int rc;

	for (i = 0; i < 50; i++) {
		snprintf(cmd, sizeof(cmd), "add_device %s%u size_mb=1",
			 w->prefix, i);
		rc = scst_tree_write(NMGMT, cmd, strlen(cmd), &res);
		if (!rc) {
			snprintf(cmd, sizeof(cmd), "add %s%u %u", w->prefix, i,
				 w->lun_base + i);
			rc = scst_tree_write(LUNS, cmd, strlen(cmd), &res);
		}
		if (rc) {
			w->failures++;
			snprintf(w->msg, sizeof(w->msg), "%s: %d %s", cmd, rc,
				 res.msg);
		}
	}
	return 0;
}

static int life_count_fill(void *ctx, const char *name,
			   enum scst_tree_type type)
{
	unsigned int *n = ctx;

	(void)name;
	if (type == SCST_TREE_DIR)
		++*n;
	return 0;
}

static void life_concurrent_writers(struct kunit *test)
{
	struct life_writer a = {.prefix = "a", .lun_base = 0};
	struct life_writer b = {.prefix = "b", .lun_base = 100};
	struct scst_thread *ta, *tb;
	unsigned int ndev = 0, nlun = 0, i;
	char path[128], want[64];

	TT_WOK(test, TMGMT, "add_target t");
	KUNIT_ASSERT_EQ(test, scst_thread_create(&ta, life_writer_fn, &a, "wa"),
			0);
	KUNIT_ASSERT_EQ(test, scst_thread_create(&tb, life_writer_fn, &b, "wb"),
			0);
	KUNIT_ASSERT_EQ(test, scst_thread_join(ta), 0);
	KUNIT_ASSERT_EQ(test, scst_thread_join(tb), 0);
	KUNIT_EXPECT_EQ_MSG(test, a.failures, 0, "%s", a.msg);
	KUNIT_EXPECT_EQ_MSG(test, b.failures, 0, "%s", b.msg);
	KUNIT_ASSERT_EQ(
	    test, scst_tree_readdir("/devices", life_count_fill, &ndev), 0);
	KUNIT_ASSERT_EQ(
	    test, scst_tree_readdir(TGT "/luns", life_count_fill, &nlun), 0);
	KUNIT_EXPECT_EQ(test, ndev, 100u);
	KUNIT_EXPECT_EQ(test, nlun, 100u);
	for (i = 0; i < 50; i++) {
		snprintf(path, sizeof(path), TGT "/luns/%u/device", i);
		snprintf(want, sizeof(want), "../../../../../devices/a%u", i);
		TT_LINK(test, path, want, (const char *)NULL);
		snprintf(path, sizeof(path), "/devices/b%u/exported/export0",
			 i);
		KUNIT_EXPECT_TRUE(test, tt_exists(path));
	}
}

/*
 * A write to a target's luns/mgmt racing the removal of that target
 * through the C API (a transport taking its target away). It runs in a
 * child process with its own engine, so that a hang is caught within a
 * bound and leaves this process usable.
 */
struct life_race {
	int stop;
	long writes;
};

static int life_race_writer(void *arg)
{
	struct life_race *r = arg;
	struct scst_mgmt_res res;

	while (!__atomic_load_n(&r->stop, __ATOMIC_ACQUIRE)) {
		scst_tree_write(LUNS, "add d1 0", 8, &res);
		r->writes++;
	}
	return 0;
}

/* Exit status: 0 done, 2 set-up failed. */
static void life_race_child(void)
{
	struct scst_core_params p = {.threads = 2};
	struct life_race r = {0};
	struct scst_mgmt_res res;
	struct scst_thread *th;
	struct scst_tgt *tgt;
	unsigned int i;

	scst_log_set_level(SCST_LOG_ERR);
	if (scst_core_init(&p) || scst_modules_init(tt_mods, 2))
		_exit(2);
	if (scst_tree_write(NMGMT, "add_device d1", 13, &res) ||
	    scst_thread_create(&th, life_race_writer, &r, "t_race"))
		_exit(2);
	for (i = 0; i < 1000; i++) {
		if (scst_local_add_target("t", &tgt))
			_exit(2);
		scst_local_del_target(tgt);
	}
	__atomic_store_n(&r.stop, 1, __ATOMIC_RELEASE);
	scst_thread_join(th);
	scst_modules_exit(tt_mods, 2);
	scst_core_exit();
	_exit(0);
}

static void race_write_vs_target_removal(struct kunit *test)
{
	unsigned int ms;
	int status = 0;
	pid_t pid, got = 0;

	pid = fork();
	KUNIT_ASSERT_GE(test, pid, 0);
	if (pid == 0)
		life_race_child();
	for (ms = 0; ms < 10000; ms++) {
		got = waitpid(pid, &status, WNOHANG);
		if (got)
			break;
		scst_os_msleep(1);
	}
	if (!got) {
		kill(pid, SIGKILL);
		waitpid(pid, &status, 0);
		KUNIT_FAIL(test, "luns/mgmt writes and scst_unregister_target "
				 "deadlocked (no progress in 10 s)");
		return;
	}
	KUNIT_EXPECT_EQ(test, got, pid);
	KUNIT_EXPECT_TRUE_MSG(test, WIFEXITED(status),
			      "the child died (status %#x)", status);
	KUNIT_EXPECT_EQ(test, WEXITSTATUS(status), 0);
}

static struct kunit_case scst_tree_life_cases[] = {
    KUNIT_CASE(life_device_unregister),
    KUNIT_CASE(life_target_unregister),
    KUNIT_CASE(life_session_counters),
    KUNIT_CASE(life_session_same_name),
    KUNIT_CASE(life_session_changes_group),
    KUNIT_CASE(life_force_close),
    KUNIT_CASE(life_del_target_with_session),
    KUNIT_CASE(life_read_vs_target_churn),
    KUNIT_CASE(life_concurrent_writers),
    {}};

static struct kunit_suite scst_tree_life_suite = {
    .name = "scst_tree_life",
    .init = tt_up,
    .exit = tt_down,
    .test_cases = scst_tree_life_cases,
};

/* No engine in this process: the case brings one up in a child. */
static struct kunit_case scst_tree_race_cases[] = {
    KUNIT_CASE(race_write_vs_target_removal), {}};

static struct kunit_suite scst_tree_race_suite = {
    .name = "scst_tree_race",
    .test_cases = scst_tree_race_cases,
};

kunit_test_suites(&scst_tree_life_suite, &scst_tree_race_suite);
