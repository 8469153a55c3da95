// SPDX-License-Identifier: GPL-2.0-only
/*
 * The pass-through handlers through the core and scst_local, over the
 * fake backend of pt_fake.h and a fake sysfs tree: data, status, sense
 * and residual passed exactly, transport errors never GOOD, unit
 * attentions fanned out, MODE SELECT announced to the other nexuses, the
 * tape block size tracked (700 bytes), the transfer limit enforced and
 * reported, an abort answered once, LUN RESET reaching the device,
 * removal, and the sysfs lookup.
 */
#define _XOPEN_SOURCE 700
#include <fcntl.h>
#include <ftw.h>
#include <unistd.h>

#include "dev_handlers/passthrough/pt.h"
#include "tests/unit/dev_handlers/pt_fake.h"

#define VT_MODULES &pt_module, &scst_local_module
#include "vdisk_test_env.h"

#define TAPE_LUN 0
#define DISK_LUN 1

struct pt_t {
	struct fk_dev *tape, *disk;
	char sys[128];
};

static struct pt_t pt_t;

static int pt_rm_fn(const char *p, const struct stat *st, int flag,
		    struct FTW *ftw)
{
	(void)st;
	(void)flag;
	(void)ftw;
	return remove(p);
}

static void pt_exit(struct kunit *test)
{
	struct vt_env *e = test->priv;
	char dir[64];

	if (!e)
		return;
	snprintf(dir, sizeof(dir), "%s", e->dir);
	vt_down(test);
	nftw(dir, pt_rm_fn, 16, FTW_DEPTH | FTW_PHYS);
	pt_set_backend(NULL);
	pt_set_sysfs_root("/sys");
}

/* A tape (1:0:0:0, sg1, 700-byte blocks) and a disk (2:0:0:0, sg2). */
static int pt_init(struct kunit *test)
{
	struct vt_env *e;
	int rc;

	fk_reset_all();
	pt_set_backend(&fk_ops);
	rc = vt_up(test);
	if (rc)
		return rc;
	e = test->priv;
	snprintf(pt_t.sys, sizeof(pt_t.sys), "%s/sys", e->dir);
	KUNIT_ASSERT_EQ(test, pt_set_sysfs_root(pt_t.sys), 0);
	KUNIT_ASSERT_EQ(
	    test, fk_sysfs_add(pt_t.sys, "1:0:0:0", 1, "sg1", NULL, 0), 0);
	KUNIT_ASSERT_EQ(
	    test, fk_sysfs_add(pt_t.sys, "2:0:0:0", 0, "sg2", "sdb", 64), 0);
	pt_t.tape = fk_add("sg1", 700);
	pt_t.disk = fk_add("sg2", 512);
	pt_t.disk->max_transfer = 1024 * 1024;
	pt_t.disk->vpd_max_blocks = 0;
	vt_add(test, "dev_tape", "1:0:0:0");
	vt_add(test, "dev_disk", "2:0:0:0");
	vt_map(test, "1:0:0:0", TAPE_LUN);
	vt_map(test, "2:0:0:0", DISK_LUN);
	vt_clear_ua(test, TAPE_LUN);
	vt_clear_ua(test, DISK_LUN);
	return 0;
}

static void pt_req(struct kunit *test, struct scst_local_sess *s,
		   struct scst_local_req *r, uint64_t lun, const uint8_t *cdb,
		   unsigned int cdb_len, const void *out, uint32_t out_len,
		   void *in, uint32_t in_len)
{
	vt_req_init(r, lun, cdb, cdb_len, out, out_len, in, in_len, true);
	KUNIT_ASSERT_EQ(test, scst_local_exec(s, r), 0);
}

static void pt_script(struct fk_dev *f, uint8_t op, uint8_t status,
		      const uint8_t *sense, unsigned int sense_len,
		      int32_t resid, uint8_t host, int err)
{
	struct fk_script *s = &f->script;

	memset(s, 0, sizeof(*s));
	s->opcode = op;
	s->status = status;
	if (sense)
		memcpy(s->sense, sense, sense_len);
	s->sense_len = sense_len;
	s->resid = resid;
	s->host_status = host;
	s->err = err;
	s->set = true;
}

static struct scst_local_sess *pt_sess2(struct kunit *test)
{
	struct vt_env *e = test->priv;
	struct scst_local_sess *s2;
	struct scst_local_req r;
	static const uint8_t tur[6] = {TEST_UNIT_READY};
	int i;

	KUNIT_ASSERT_EQ(test, scst_local_sess_open(e->tgt, "ini2", 0, &s2), 0);
	for (i = 0; i < 10; i++) {
		pt_req(test, s2, &r, TAPE_LUN, tur, 6, NULL, 0, NULL, 0);
		if (r.status == 0)
			break;
	}
	return s2;
}

/* ------------------------------------------------------------ cases ---- */

/* A fixed READ of 2 x 700 bytes that meets a filemark after one block. */
static void pt_tape_filemark_ili(struct kunit *test)
{
	static const uint8_t cdb[6] = {READ_6, 0x01, 0, 0, 2, 0};
	uint8_t sense[18] = {0x70, 0, 0x80 | 0x20, 0, 0, 0, 1, 10};
	struct vt_env *e = test->priv;
	struct scst_local_req r;
	uint8_t buf[1400];
	unsigned int i;

	KUNIT_EXPECT_STREQ(test, vt_attr(test, "1:0:0:0", "block_size"),
			   "700\n");
	sense[13] = 0x01; /* FILEMARK DETECTED */
	pt_script(pt_t.tape, READ_6, SAM_STAT_CHECK_CONDITION, sense, 18, 700,
		  0, 0);
	pt_req(test, e->sess, &r, TAPE_LUN, cdb, 6, NULL, 0, buf, sizeof(buf));
	KUNIT_EXPECT_EQ(test, r.status, SAM_STAT_CHECK_CONDITION);
	KUNIT_ASSERT_EQ(test, r.sense_len, 18u);
	KUNIT_EXPECT_EQ(test, memcmp(r.sense, sense, 18), 0);
	KUNIT_EXPECT_EQ(test, r.data_in_len, 700u);
	KUNIT_EXPECT_EQ(test, r.resid_kind, SCST_RESID_UNDERFLOW);
	KUNIT_EXPECT_EQ(test, r.resid, 700u);
	for (i = 0; i < 700; i++)
		if (buf[i] != (uint8_t)(i * 7 + 3))
			break;
	KUNIT_EXPECT_EQ(test, i, 700u);
	/* The device saw 1400 bytes asked for. */
	KUNIT_EXPECT_EQ(test, pt_t.tape->last_cdb[4], 2);
}

/* No SCSI answer, or CHECK CONDITION without sense: never GOOD. */
static void pt_errors_never_good(struct kunit *test)
{
	static const uint8_t tur[6] = {TEST_UNIT_READY};

	pt_script(pt_t.disk, TEST_UNIT_READY, 0, NULL, 0, 0, 0x07, 0);
	KUNIT_EXPECT_EQ(test, vt_tur(test, DISK_LUN),
			VT_CC(HARDWARE_ERROR, 0x44, 0x00));
	pt_script(pt_t.disk, TEST_UNIT_READY, 0, NULL, 0, 0, PT_DID_TIME_OUT,
		  0);
	KUNIT_EXPECT_EQ(test, vt_tur(test, DISK_LUN),
			VT_CC(ABORTED_COMMAND, 0, 0));
	pt_script(pt_t.disk, TEST_UNIT_READY, 0, NULL, 0, 0, 0, -EIO);
	KUNIT_EXPECT_EQ(test, vt_tur(test, DISK_LUN),
			VT_CC(HARDWARE_ERROR, 0x44, 0x00));
	pt_script(pt_t.disk, TEST_UNIT_READY, SAM_STAT_CHECK_CONDITION, NULL, 0,
		  0, 0, 0);
	KUNIT_EXPECT_EQ(test, vt_tur(test, DISK_LUN),
			VT_CC(HARDWARE_ERROR, 0x44, 0x00));
	pt_script(pt_t.disk, TEST_UNIT_READY, SAM_STAT_BUSY, NULL, 0, 0, 0, 0);
	KUNIT_EXPECT_EQ(test, vt_exec(test, DISK_LUN, tur, 6, NULL, 0, NULL, 0),
			(uint32_t)SAM_STAT_BUSY << 24);
	KUNIT_EXPECT_STREQ(test, vt_attr(test, "2:0:0:0", "host_errors"),
			   "3\n");
	KUNIT_EXPECT_STREQ(test, vt_attr(test, "2:0:0:0", "errors"), "2\n");
	KUNIT_EXPECT_STREQ(test, vt_attr(test, "2:0:0:0", "in_flight"), "0\n");
	KUNIT_EXPECT_EQ(test, vt_tur(test, DISK_LUN), VT_GOOD);
}

/* A UA from the device: to the initiator that got it, and to the others. */
static void pt_ua_fanout(struct kunit *test)
{
	struct scst_local_sess *s2 = pt_sess2(test);
	uint8_t sense[18] = {0x70, 0, UNIT_ATTENTION, 0, 0, 0, 0, 10};
	static const uint8_t tur[6] = {TEST_UNIT_READY};
	struct scst_local_req r;

	sense[12] =
	    0x28; /* NOT READY TO READY CHANGE, MEDIUM MAY HAVE CHANGED */
	pt_script(pt_t.tape, TEST_UNIT_READY, SAM_STAT_CHECK_CONDITION, sense,
		  18, 0, 0, 0);
	KUNIT_EXPECT_EQ(test, vt_tur(test, TAPE_LUN), VT_UA(0x28, 0x00));
	KUNIT_EXPECT_EQ(test, vt_tur(test, TAPE_LUN), VT_GOOD);
	pt_req(test, s2, &r, TAPE_LUN, tur, 6, NULL, 0, NULL, 0);
	KUNIT_EXPECT_EQ(test, vt_result(&r), VT_UA(0x28, 0x00));
	pt_req(test, s2, &r, TAPE_LUN, tur, 6, NULL, 0, NULL, 0);
	KUNIT_EXPECT_EQ(test, vt_result(&r), VT_GOOD);
	scst_local_sess_close(s2);
}

/* MODE SELECT: 2Ah/01h to the other nexus, and the new block size. */
static void pt_mode_select(struct kunit *test)
{
	struct scst_local_sess *s2 = pt_sess2(test);
	uint8_t cdb[6] = {MODE_SELECT, 0x10, 0, 0, 12, 0};
	uint8_t data[12] = {0, 0, 0x10, 8, 0, 0, 0, 0, 0, 0, 0x03, 0x00};
	static const uint8_t tur[6] = {TEST_UNIT_READY};
	struct scst_local_req r;

	KUNIT_EXPECT_EQ(
	    test, vt_exec(test, TAPE_LUN, cdb, 6, data, 12, NULL, 0), VT_GOOD);
	KUNIT_EXPECT_STREQ(test, vt_attr(test, "1:0:0:0", "block_size"),
			   "768\n");
	KUNIT_EXPECT_EQ(test, vt_tur(test, TAPE_LUN), VT_GOOD);
	pt_req(test, s2, &r, TAPE_LUN, tur, 6, NULL, 0, NULL, 0);
	KUNIT_EXPECT_EQ(test, vt_result(&r), VT_UA(0x2a, 0x01));
	/* Back to 700 through a MODE SENSE answer. */
	cdb[0] = MODE_SENSE;
	cdb[1] = 0;
	{
		uint8_t in[12];

		KUNIT_EXPECT_EQ(
		    test, vt_exec(test, TAPE_LUN, cdb, 6, NULL, 0, in, 12),
		    VT_GOOD);
	}
	KUNIT_EXPECT_STREQ(test, vt_attr(test, "1:0:0:0", "block_size"),
			   "700\n");
	scst_local_sess_close(s2);
}

/* 64 KiB max_sectors_kb: longer transfers refused; VPD B0h says so. */
static void pt_max_transfer(struct kunit *test)
{
	static const uint8_t vpd[6] = {INQUIRY, 1, 0xb0, 0, 64, 0};
	static uint8_t buf[256 * 512];
	unsigned int before;

	KUNIT_EXPECT_STREQ(test, vt_attr(test, "2:0:0:0", "max_sectors"),
			   "128\n");
	before = pt_t.disk->submitted;
	KUNIT_EXPECT_EQ(test, vt_rw(test, DISK_LUN, false, 0, 256, 512, buf),
			VT_CC(ILLEGAL_REQUEST, 0x24, 0x00));
	KUNIT_EXPECT_EQ(test, pt_t.disk->submitted, before);
	KUNIT_EXPECT_EQ(test, vt_rw(test, DISK_LUN, false, 0, 128, 512, buf),
			VT_GOOD);
	KUNIT_EXPECT_EQ(test, vt_exec(test, DISK_LUN, vpd, 6, NULL, 0, buf, 64),
			VT_GOOD);
	KUNIT_EXPECT_EQ(test, scst_get_be32(buf + 8), 128u);
}

/* The core's commands never reach the device. */
static void pt_core_commands(struct kunit *test)
{
	static const uint8_t rl[12] = {REPORT_LUNS, 0, 0, 0, 0, 0, 0, 0, 1, 0};
	static const uint8_t rs[6] = {REQUEST_SENSE, 0, 0, 0, 18, 0};
	static const uint8_t res[6] = {RESERVE};
	static const uint8_t rel[6] = {RELEASE};
	static const uint8_t prin[10] = {
	    PERSISTENT_RESERVE_IN, 0, 0, 0, 0, 0, 0, 0, 64, 0};
	unsigned int before = pt_t.disk->submitted;
	uint8_t buf[256];

	KUNIT_EXPECT_EQ(
	    test, vt_exec(test, DISK_LUN, rl, 12, NULL, 0, buf, 256), VT_GOOD);
	KUNIT_EXPECT_EQ(test, vt_exec(test, DISK_LUN, rs, 6, NULL, 0, buf, 18),
			VT_GOOD);
	KUNIT_EXPECT_EQ(test, vt_exec(test, DISK_LUN, res, 6, NULL, 0, NULL, 0),
			VT_GOOD);
	KUNIT_EXPECT_EQ(test, vt_exec(test, DISK_LUN, rel, 6, NULL, 0, NULL, 0),
			VT_GOOD);
	KUNIT_EXPECT_EQ(
	    test, vt_exec(test, DISK_LUN, prin, 10, NULL, 0, buf, 64), VT_GOOD);
	KUNIT_EXPECT_EQ(test, pt_t.disk->submitted, before);
}

static int pt_ndone;
static void pt_req_done(struct scst_local_req *r)
{
	(void)r;
	__atomic_add_fetch(&pt_ndone, 1, __ATOMIC_SEQ_CST);
}

static int pt_ntmf;
static void pt_tmf_done(struct scst_local_tmf *t)
{
	(void)t;
	__atomic_add_fetch(&pt_ntmf, 1, __ATOMIC_SEQ_CST);
}

static int pt_get(int *v)
{
	return __atomic_load_n(v, __ATOMIC_SEQ_CST);
}

#define PT_WAIT(test, cond)                                                    \
	do {                                                                   \
		int pt_i__;                                                    \
		for (pt_i__ = 0; !(cond) && pt_i__ < 5000; pt_i__++)           \
			scst_os_msleep(1);                                     \
		KUNIT_ASSERT_TRUE(test, (cond));                               \
	} while (0)

/* An aborted command the device holds is answered once, when it answers. */
static void pt_abort_once(struct kunit *test)
{
	struct vt_env *e = test->priv;
	struct scst_local_req r;
	struct scst_local_tmf t = {.fn = SCST_ABORT_TASK,
				   .lun = DISK_LUN,
				   .tag = 77,
				   .done = pt_tmf_done};
	static const uint8_t tur[6] = {TEST_UNIT_READY};

	pt_ndone = pt_ntmf = 0;
	pt_t.disk->hold = true;
	memset(&r, 0, sizeof(r));
	r.lun = DISK_LUN;
	memcpy(r.cdb, tur, 6);
	r.cdb_len = 6;
	r.tag = 77;
	r.done = pt_req_done;
	KUNIT_ASSERT_EQ(test, scst_local_submit(e->sess, &r), 0);
	PT_WAIT(test, fk_held(pt_t.disk) == 1);
	KUNIT_ASSERT_EQ(test, scst_local_tmf_submit(e->sess, &t), 0);
	scst_os_msleep(50);
	KUNIT_EXPECT_EQ(test, pt_get(&pt_ndone), 0);
	KUNIT_EXPECT_EQ(test, pt_get(&pt_ntmf), 0);
	pt_t.disk->hold = false;
	KUNIT_EXPECT_EQ(test, fk_release(pt_t.disk), 1u);
	PT_WAIT(test, pt_get(&pt_ntmf) == 1);
	KUNIT_EXPECT_EQ(test, pt_get(&pt_ndone), 1);
	KUNIT_EXPECT_TRUE(test, r.no_response);
	KUNIT_EXPECT_EQ(test, t.status, SCST_MGMT_STATUS_SUCCESS);
	scst_os_msleep(20);
	KUNIT_EXPECT_EQ(test, pt_get(&pt_ndone), 1);
	KUNIT_EXPECT_STREQ(test, vt_attr(test, "2:0:0:0", "in_flight"), "0\n");
}

/* LUN RESET resets the real device; the held command comes back. */
static void pt_lun_reset(struct kunit *test)
{
	struct vt_env *e = test->priv;
	struct scst_local_tmf t = {.fn = SCST_LUN_RESET, .lun = DISK_LUN};
	struct scst_local_req r;
	static const uint8_t tur[6] = {TEST_UNIT_READY};

	pt_ndone = 0;
	pt_t.disk->hold = true;
	memset(&r, 0, sizeof(r));
	r.lun = DISK_LUN;
	memcpy(r.cdb, tur, 6);
	r.cdb_len = 6;
	r.tag = 5;
	r.done = pt_req_done;
	KUNIT_ASSERT_EQ(test, scst_local_submit(e->sess, &r), 0);
	PT_WAIT(test, fk_held(pt_t.disk) == 1);
	pt_t.disk->hold = false;
	KUNIT_EXPECT_EQ(test, scst_local_tmf_exec(e->sess, &t),
			SCST_MGMT_STATUS_SUCCESS);
	KUNIT_EXPECT_EQ(test, pt_t.disk->resets, 1u);
	KUNIT_EXPECT_EQ(test, pt_get(&pt_ndone), 1);
	KUNIT_EXPECT_STREQ(test, vt_attr(test, "2:0:0:0", "resets"), "1\n");
	KUNIT_EXPECT_EQ(test, vt_tur(test, DISK_LUN), VT_UA(0x29, 0x03));
}

/* The device disappears under a command; others keep serving. */
static void pt_removal(struct kunit *test)
{
	struct vt_env *e = test->priv;
	struct scst_local_req r;
	static const uint8_t tur[6] = {TEST_UNIT_READY};
	static const uint8_t inq[6] = {INQUIRY, 0, 0, 0, 36, 0};
	uint8_t buf[36];

	pt_ndone = 0;
	pt_t.disk->hold = true;
	memset(&r, 0, sizeof(r));
	r.lun = DISK_LUN;
	memcpy(r.cdb, tur, 6);
	r.cdb_len = 6;
	r.done = pt_req_done;
	KUNIT_ASSERT_EQ(test, scst_local_submit(e->sess, &r), 0);
	PT_WAIT(test, fk_held(pt_t.disk) == 1);
	fk_remove(pt_t.disk);
	PT_WAIT(test, pt_get(&pt_ndone) == 1);
	KUNIT_EXPECT_EQ(test, vt_result(&r), VT_CC(NOT_READY, 0x04, 0x03));
	KUNIT_EXPECT_EQ(test, vt_tur(test, DISK_LUN),
			VT_CC(NOT_READY, 0x04, 0x03));
	KUNIT_EXPECT_EQ(test, vt_exec(test, DISK_LUN, inq, 6, NULL, 0, buf, 36),
			VT_GOOD);
	KUNIT_EXPECT_EQ(test, buf[0], 0x20);
	KUNIT_EXPECT_STREQ(test, vt_attr(test, "2:0:0:0", "state"), "gone\n");
	KUNIT_EXPECT_STREQ(test, vt_attr(test, "2:0:0:0", "in_flight"), "0\n");
	/* The tape is still there. */
	KUNIT_EXPECT_EQ(test, vt_tur(test, TAPE_LUN), VT_GOOD);
	KUNIT_EXPECT_EQ(
	    test, scst_acg_del_lun(scst_tgt_default_acg(e->tgt), DISK_LUN), 0);
	VT_WOK(test, "/handlers/dev_disk/mgmt", "del_device 2:0:0:0");
	KUNIT_EXPECT_NULL(test, scst_find_device("2:0:0:0"));
}

/* add_device: H:C:I:L, filename= an sg, a by-id link to a disk, types. */
static void pt_sysfs_lookup(struct kunit *test)
{
	struct vt_env *e = test->priv;
	char path[256], link[256];
	int fd;

	KUNIT_ASSERT_EQ(
	    test, fk_sysfs_add(pt_t.sys, "3:0:0:0", 8, "sg3", NULL, 0), 0);
	KUNIT_ASSERT_EQ(
	    test, fk_sysfs_add(pt_t.sys, "4:0:0:2", 0, "sg4", "sdc", 512), 0);
	KUNIT_ASSERT_NOT_NULL(test, fk_add("sg3", 0));
	KUNIT_ASSERT_NOT_NULL(test, fk_add("sg4", 4096));
	VT_WERR(test, "/handlers/dev_disk/mgmt", "add_device 3:0:0:0", -EINVAL,
		"add_device 3:0:0:0: 3:0:0:0 is of type 8, dev_disk takes "
		"type 0");
	VT_WERR(test, "/handlers/dev_tape/mgmt", "add_device 9:0:0:0", -ENOENT,
		"add_device 9:0:0:0: no such SCSI device with an sg node");
	VT_WERR(test, "/handlers/dev_tape/mgmt", "add_device tape9", -EINVAL,
		"add_device tape9: expected H:C:I:L or filename=PATH");
	/* A node named as sg is: class/scsi_generic/sg3/device. */
	snprintf(path, sizeof(path), "%s/dev/sg3", pt_t.sys);
	fd = open(path, O_CREAT | O_WRONLY, 0600);
	KUNIT_ASSERT_GE(test, fd, 0);
	close(fd);
	vt_add(test, "dev_changer", "robot filename=%s", path);
	KUNIT_EXPECT_STREQ(test, vt_attr(test, "robot", "h_c_i_l"),
			   "3:0:0:0\n");
	KUNIT_EXPECT_STREQ(test, vt_attr(test, "robot", "sg_device"),
			   "/dev/sg3\n");
	/* A by-id link to a block device: block/sdc/device. */
	snprintf(path, sizeof(path), "%s/dev/sdc", pt_t.sys);
	fd = open(path, O_CREAT | O_WRONLY, 0600);
	KUNIT_ASSERT_GE(test, fd, 0);
	close(fd);
	snprintf(link, sizeof(link), "%s/dev/scsi-XYZ", pt_t.sys);
	KUNIT_ASSERT_EQ(test, symlink("sdc", link), 0);
	vt_add(test, "dev_disk", "d4 filename=%s", link);
	KUNIT_EXPECT_STREQ(test, vt_attr(test, "d4", "h_c_i_l"), "4:0:0:2\n");
	KUNIT_EXPECT_STREQ(test, vt_attr(test, "d4", "block_size"), "4096\n");
	KUNIT_EXPECT_STREQ(test, vt_attr(test, "d4", "max_sectors"), "1024\n");
	KUNIT_EXPECT_STREQ(test, vt_attr(test, "d4", "filename"),
			   vt_sprintf(test, "%s\n[key]\n", link));
	(void)e;
	VT_WOK(test, "/handlers/dev_disk/mgmt", "del_device d4");
	VT_WOK(test, "/handlers/dev_changer/mgmt", "del_device robot");
}

static struct kunit_case pt_cases[] = {KUNIT_CASE(pt_tape_filemark_ili),
				       KUNIT_CASE(pt_errors_never_good),
				       KUNIT_CASE(pt_ua_fanout),
				       KUNIT_CASE(pt_mode_select),
				       KUNIT_CASE(pt_max_transfer),
				       KUNIT_CASE(pt_core_commands),
				       KUNIT_CASE(pt_abort_once),
				       KUNIT_CASE(pt_lun_reset),
				       KUNIT_CASE(pt_removal),
				       KUNIT_CASE(pt_sysfs_lookup),
				       {}};

static struct kunit_suite pt_suite = {
    .name = "passthrough",
    .init = pt_init,
    .exit = pt_exit,
    .test_cases = pt_cases,
};
kunit_test_suite(pt_suite);

/* ------------------------------------------- the sg completion thread ---- */

struct pt_sg_closer {
	struct pt_backend *b;
	struct scst_completion done;
};

static int pt_sg_closer_fn(void *arg)
{
	struct pt_sg_closer *c = arg;

	pt_sg_ops.close(c->b);
	scst_complete(&c->done);
	return 0;
}

static void pt_sg_nop_done(struct pt_backend *b, struct pt_req *r)
{
	(void)b;
	(void)r;
}

/*
 * Closing a device while the completion thread is idle returns at once
 * (it used to wait for a second round of the thread, which an idle
 * thread never makes: scstd hung on SIGTERM in del_device). A pipe
 * stands for the sg fd; nothing ever comes on it.
 */
static void pt_sg_close_idle(struct kunit *test)
{
	struct pt_sg_closer c;
	struct scst_thread *t;
	int p[2], round;
	bool closed;

	KUNIT_ASSERT_EQ(test, pt_sg_ops.init(), 0);
	for (round = 0; round < 3; round++) {
		KUNIT_ASSERT_EQ(test, pipe2(p, O_NONBLOCK | O_CLOEXEC), 0);
		KUNIT_ASSERT_EQ(
		    test, pt_sg_attach_fd(p[0], pt_sg_nop_done, NULL, &c.b), 0);
		scst_os_msleep(50); /* the thread polls the new set */
		scst_completion_init(&c.done);
		KUNIT_ASSERT_EQ(
		    test,
		    scst_thread_create(&t, pt_sg_closer_fn, &c, "pt-close"), 0);
		closed =
		    scst_wait_for_completion_timeout(&c.done, 3000000000ull);
		KUNIT_EXPECT_TRUE(test, closed);
		if (!closed) {
			pt_sg_ops.exit(); /* stop releases the close */
			scst_wait_for_completion(&c.done);
		}
		scst_thread_join(t);
		scst_completion_destroy(&c.done);
		close(p[1]);
		if (!closed)
			return;
	}
	pt_sg_ops.exit();
}

static struct kunit_case pt_sg_cases[] = {KUNIT_CASE(pt_sg_close_idle), {}};

static struct kunit_suite pt_sg_suite = {
    .name = "passthrough_sg",
    .test_cases = pt_sg_cases,
};
kunit_test_suite(pt_sg_suite);
