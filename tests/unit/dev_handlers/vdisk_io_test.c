// SPDX-License-Identifier: GPL-2.0-only
/*
 * vdisk: add_device parameters and attributes through the tree, data
 * through scst_local, backend error mapping (fault injection), capacity
 * and medium changes, read-only devices, nullio, and a backing file
 * deleted under load.
 */
#include "vdisk_test_env.h"

#define FIO_MGMT "/handlers/vdisk_fileio/mgmt"
#define NUL_MGMT "/handlers/vdisk_nullio/mgmt"
#define CDR_MGMT "/handlers/vcdrom/mgmt"

/* Every fileio parameter, each shown back with [key] when not default. */
static void vdisk_add_all_params(struct kunit *test)
{
	const char *f = vt_file(test, "d1", 1 << 20);

	vt_add(test, "vdisk_fileio",
	       "d1 filename=%s; blocksize=4096; read_only=0; "
	       "write_through=1; nv_cache=0; o_direct=0; thin_provisioned=1; "
	       "removable=1; rotational=0; t10_dev_id=dev-1; "
	       "t10_vend_id=VEND; prod_id=PRODUCT; prod_rev_lvl=0042; "
	       "usn=SN42; naa_id=0x6001405abcdef0123456789abcdef012; "
	       "eui64_id=0102030405060708; lb_per_pb_exp=3; tst=0; "
	       "active=1; cluster_mode=0",
	       f);
	KUNIT_EXPECT_STREQ(test, vt_attr(test, "d1", "filename"),
			   vt_sprintf(test, "%s\n[key]\n", f));
	KUNIT_EXPECT_STREQ(test, vt_attr(test, "d1", "blocksize"),
			   "4096\n[key]\n");
	KUNIT_EXPECT_STREQ(test, vt_attr(test, "d1", "read_only"), "0\n");
	KUNIT_EXPECT_STREQ(test, vt_attr(test, "d1", "write_through"),
			   "1\n[key]\n");
	KUNIT_EXPECT_STREQ(test, vt_attr(test, "d1", "nv_cache"), "0\n");
	KUNIT_EXPECT_STREQ(test, vt_attr(test, "d1", "o_direct"), "0\n");
	KUNIT_EXPECT_STREQ(test, vt_attr(test, "d1", "thin_provisioned"),
			   "1\n[key]\n");
	KUNIT_EXPECT_STREQ(test, vt_attr(test, "d1", "removable"),
			   "1\n[key]\n");
	KUNIT_EXPECT_STREQ(test, vt_attr(test, "d1", "rotational"),
			   "0\n[key]\n");
	KUNIT_EXPECT_STREQ(test, vt_attr(test, "d1", "t10_dev_id"),
			   "dev-1\n[key]\n");
	KUNIT_EXPECT_STREQ(test, vt_attr(test, "d1", "t10_vend_id"),
			   "VEND\n[key]\n");
	KUNIT_EXPECT_STREQ(test, vt_attr(test, "d1", "prod_id"),
			   "PRODUCT\n[key]\n");
	KUNIT_EXPECT_STREQ(test, vt_attr(test, "d1", "prod_rev_lvl"),
			   "0042\n[key]\n");
	KUNIT_EXPECT_STREQ(test, vt_attr(test, "d1", "usn"), "SN42\n[key]\n");
	KUNIT_EXPECT_STREQ(test, vt_attr(test, "d1", "naa_id"),
			   "6001405abcdef0123456789abcdef012\n[key]\n");
	KUNIT_EXPECT_STREQ(test, vt_attr(test, "d1", "eui64_id"),
			   "0102030405060708\n[key]\n");
	KUNIT_EXPECT_STREQ(test, vt_attr(test, "d1", "lb_per_pb_exp"),
			   "3\n[key]\n");
	KUNIT_EXPECT_STREQ(test, vt_attr(test, "d1", "tst"), "0\n[key]\n");
	KUNIT_EXPECT_STREQ(test, vt_attr(test, "d1", "active"), "1\n");
	KUNIT_EXPECT_STREQ(test, vt_attr(test, "d1", "cluster_mode"), "0\n");
	KUNIT_EXPECT_STREQ(test, vt_attr(test, "d1", "size"), "1048576\n");
	KUNIT_EXPECT_STREQ(test, vt_attr(test, "d1", "size_mb"), "1\n");
	KUNIT_EXPECT_TRUE(test, vt_exists("/handlers/vdisk_fileio/d1"));

	/* Writable ones. */
	VT_WOK(test, "/devices/d1/prod_id", "OTHER");
	KUNIT_EXPECT_STREQ(test, vt_attr(test, "d1", "prod_id"),
			   "OTHER\n[key]\n");
	VT_WOK(test, "/devices/d1/prod_id", "d1");
	KUNIT_EXPECT_STREQ(test, vt_attr(test, "d1", "prod_id"), "d1\n");
	VT_WOK(test, "/devices/d1/write_through", "0");
	KUNIT_EXPECT_STREQ(test, vt_attr(test, "d1", "write_through"), "0\n");
	VT_WERR(test, "/devices/d1/usn", "has space\x01", -EINVAL,
		"usn: 'has space\x01' has a character that is not printable "
		"ASCII");
	VT_WERR(test, "/devices/d1/write_through", "maybe", -EINVAL,
		"write_through: 'maybe' is not 0 or 1");
}

/* The defaults: SCST's vendor, the name as product, derived IDs. */
static void vdisk_defaults(struct kunit *test)
{
	const char *f = vt_file(test, "d2", 64 << 10);
	const char *usn;

	vt_add(test, "vdisk_fileio", "disk2 filename=%s", f);
	KUNIT_EXPECT_STREQ(test, vt_attr(test, "disk2", "blocksize"), "512\n");
	KUNIT_EXPECT_STREQ(test, vt_attr(test, "disk2", "t10_vend_id"),
			   "SCST_FIO\n");
	KUNIT_EXPECT_STREQ(test, vt_attr(test, "disk2", "prod_id"), "disk2\n");
	KUNIT_EXPECT_STREQ(test, vt_attr(test, "disk2", "rotational"), "1\n");
	KUNIT_EXPECT_STREQ(test, vt_attr(test, "disk2", "write_through"),
			   "0\n");
	KUNIT_EXPECT_STREQ(test, vt_attr(test, "disk2", "tst"), "1\n");
	KUNIT_EXPECT_STREQ(test, vt_attr(test, "disk2", "naa_id"), "\n");
	usn = vt_attr(test, "disk2", "usn");
	KUNIT_EXPECT_GT(test, (int)strlen(usn), 1);
	KUNIT_EXPECT_TRUE(test, strstr(usn, "[key]") == NULL);
	/* t10_dev_id is "<usn>-<name>". */
	KUNIT_EXPECT_STREQ(
	    test, vt_attr(test, "disk2", "t10_dev_id"),
	    vt_sprintf(test, "%.*s-disk2\n", (int)strlen(usn) - 1, usn));
	/* Stable: the same name gives the same identifiers. */
	VT_WOK(test, FIO_MGMT, "del_device disk2");
	vt_add(test, "vdisk_fileio", "disk2 filename=%s", f);
	KUNIT_EXPECT_STREQ(test, vt_attr(test, "disk2", "usn"), usn);

	vt_add(test, "vdisk_nullio", "n0");
	KUNIT_EXPECT_STREQ(test, vt_attr(test, "n0", "t10_vend_id"),
			   "SCST_FIO\n");
	KUNIT_EXPECT_STREQ(test, vt_attr(test, "n0", "size_mb"), "2621440\n");
}

struct vdisk_bad {
	const char *mgmt, *cmd, *msg;
	int err;
};

/* Each bad value refused with its message; nothing is left behind. */
static void vdisk_add_bad_params(struct kunit *test)
{
	const char *f = vt_file(test, "bad", 1 << 20);
	char *fs = vt_sprintf(test, "filename=%s", f);
	const struct vdisk_bad bad[] = {
	    {FIO_MGMT, "add_device x", "add_device x: filename is required",
	     -EINVAL},
	    {FIO_MGMT, "add_device x filename=rel/a",
	     "filename: 'rel/a' is not an absolute path", -EINVAL},
	    {FIO_MGMT, "add_device x filename=/nonexistent/vdisk/x",
	     "x: cannot open /nonexistent/vdisk/x: no such file or directory",
	     -ENOENT},
	    {FIO_MGMT, "add_device x %s; blocksize=1000",
	     "blocksize: '1000' is not 512, 1024, 2048 or 4096", -EINVAL},
	    {FIO_MGMT, "add_device x %s; blocksize=abc",
	     "blocksize: 'abc' is not 512, 1024, 2048 or 4096", -EINVAL},
	    {FIO_MGMT, "add_device x %s; read_only=2",
	     "read_only: '2' is not 0 or 1", -EINVAL},
	    {FIO_MGMT, "add_device x %s; nv_cache=yes please",
	     "nv_cache: 'yes please' is not 0 or 1", -EINVAL},
	    {FIO_MGMT, "add_device x %s; o_direct=-1",
	     "o_direct: '-1' is not 0 or 1", -EINVAL},
	    {FIO_MGMT, "add_device x %s; t10_vend_id=123456789",
	     "t10_vend_id: '123456789' is longer than 8 characters", -EINVAL},
	    {FIO_MGMT, "add_device x %s; prod_id=12345678901234567",
	     "prod_id: '12345678901234567' is longer than 16 characters",
	     -EINVAL},
	    {FIO_MGMT, "add_device x %s; prod_rev_lvl=12345",
	     "prod_rev_lvl: '12345' is longer than 4 characters", -EINVAL},
	    {FIO_MGMT, "add_device x %s; naa_id=123",
	     "naa_id: '123' is not 16 or 32 hexadecimal digits", -EINVAL},
	    {FIO_MGMT, "add_device x %s; naa_id=1000000000000000",
	     "naa_id: '1000000000000000' is not NAA 2, 3 or 5 (16 digits) or "
	     "NAA 6 (32 digits)",
	     -EINVAL},
	    {FIO_MGMT, "add_device x %s; eui64_id=01020304050607zz",
	     "eui64_id: '01020304050607zz' is not 16, 24 or 32 hexadecimal "
	     "digits",
	     -EINVAL},
	    {FIO_MGMT, "add_device x %s; lb_per_pb_exp=15",
	     "lb_per_pb_exp: '15' is not a number from 0 to 14", -EINVAL},
	    {FIO_MGMT, "add_device x %s; tst=2", "tst: '2' is not 0 or 1",
	     -EINVAL},
	    {FIO_MGMT, "add_device x %s; size=1048576",
	     "add_device: unknown parameter 'size'", -EINVAL},
	    {FIO_MGMT, "add_device x %s; bogus=1",
	     "add_device: unknown parameter 'bogus'", -EINVAL},
	    {NUL_MGMT, "add_device x size=abc", "size: 'abc' is not a number",
	     -EINVAL},
	    {NUL_MGMT, "add_device x size=100",
	     "size: 100 bytes is less than one block of 512", -EINVAL},
	    {NUL_MGMT, "add_device x size=0", "size: must not be 0", -EINVAL},
	    {NUL_MGMT, "add_device x size=1048576; size_mb=1",
	     "size and size_mb exclude each other", -EINVAL},
	    {NUL_MGMT, "add_device x read_zero=on2",
	     "read_zero: 'on2' is not 0 or 1", -EINVAL},
	    {NUL_MGMT, "add_device x filename=/x",
	     "add_device: unknown parameter 'filename'", -EINVAL},
	    {CDR_MGMT, "add_device x read_only=0",
	     "add_device: unknown parameter 'read_only'", -EINVAL},
	    {"/handlers/vdisk_blockio/mgmt", "add_device x %s",
	     vt_sprintf(test, "x: cannot open %s: not a block device", f),
	     -ENOTBLK},
	    {"/handlers/vdisk_blockio/mgmt", "add_device x %s; o_direct=1",
	     "add_device: unknown parameter 'o_direct'", -EINVAL},
	};
	struct scst_os_mem_stats st0, st1;
	unsigned int i;

	scst_os_mem_stats(&st0);
	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		char *cmd = vt_subst(test, bad[i].cmd, fs);

		VT_WERR(test, bad[i].mgmt, cmd, bad[i].err, bad[i].msg);
		KUNIT_EXPECT_FALSE_MSG(test, vt_exists("/devices/x"), "%s",
				       cmd);
	}
	scst_os_mem_stats(&st1);
	KUNIT_EXPECT_EQ(test, st1.heap_allocs, st0.heap_allocs);
	/* The same name works once the parameters are right. */
	vt_add(test, "vdisk_fileio", "x %s", fs);
	VT_WERR(test, FIO_MGMT, "del_device nosuch", -ENOENT,
		"del_device: no device nosuch");
	VT_WOK(test, FIO_MGMT, "del_device x");
	KUNIT_EXPECT_FALSE(test, vt_exists("/devices/x"));
}

/* Known data in, the same data out, and in the file. */
static void vdisk_rw_known_data(struct kunit *test)
{
	const char *f = vt_file(test, "rw", 1 << 20);
	uint8_t *out = kunit_kzalloc(test, 8 * 512, GFP_KERNEL);
	uint8_t *in = kunit_kzalloc(test, 8 * 512, GFP_KERNEL);
	uint8_t *disk = kunit_kzalloc(test, 8 * 512, GFP_KERNEL);
	unsigned int i;
	int fd;

	vt_add(test, "vdisk_fileio", "rw filename=%s", f);
	vt_map(test, "rw", 0);
	vt_clear_ua(test, 0);
	for (i = 0; i < 8; i++)
		vt_pattern(out + i * 512, 512, 10 + i, 77);
	KUNIT_EXPECT_EQ(test, vt_rw(test, 0, true, 10, 8, 512, out), VT_GOOD);
	KUNIT_EXPECT_EQ(test, vt_rw(test, 0, false, 10, 8, 512, in), VT_GOOD);
	KUNIT_EXPECT_EQ(test, memcmp(in, out, 8 * 512), 0);
	fd = open(f, O_RDONLY);
	KUNIT_ASSERT_GE(test, fd, 0);
	KUNIT_EXPECT_EQ(test, pread(fd, disk, 8 * 512, 10 * 512), 8 * 512);
	close(fd);
	KUNIT_EXPECT_EQ(test, memcmp(disk, out, 8 * 512), 0);
	/* Past the end. */
	KUNIT_EXPECT_EQ(test, vt_rw(test, 0, false, 2047, 2, 512, in),
			VT_CC(ILLEGAL_REQUEST, 0x21, 0x00));
}

/* Backend errors as the initiator sees them. */
static void vdisk_fault_injection(struct kunit *test)
{
	const char *f = vt_file(test, "flt", 1 << 20);
	uint8_t *buf = kunit_kzalloc(test, 4096, GFP_KERNEL);
	struct scst_device *dev;

	vt_add(test, "vdisk_fileio", "flt filename=%s", f);
	dev = vt_map(test, "flt", 0);
	vt_clear_ua(test, 0);
	KUNIT_ASSERT_EQ(test, vdisk_set_fault(dev, VDISK_IO_READ, -EIO, 1), 0);
	KUNIT_EXPECT_EQ(test, vt_rw(test, 0, false, 0, 1, 512, buf),
			VT_CC(MEDIUM_ERROR, 0x11, 0x00));
	KUNIT_EXPECT_EQ(test, vt_rw(test, 0, false, 0, 1, 512, buf), VT_GOOD);
	KUNIT_ASSERT_EQ(test, vdisk_set_fault(dev, VDISK_IO_WRITE, -EIO, 1), 0);
	KUNIT_EXPECT_EQ(test, vt_rw(test, 0, true, 0, 1, 512, buf),
			VT_CC(MEDIUM_ERROR, 0x0c, 0x00));
	KUNIT_ASSERT_EQ(test, vdisk_set_fault(dev, VDISK_IO_WRITE, -ENOSPC, -1),
			0);
	KUNIT_EXPECT_EQ(test, vt_rw(test, 0, true, 1, 2, 512, buf),
			VT_CC(DATA_PROTECT, 0x27, 0x07));
	KUNIT_EXPECT_EQ(test, vt_rw(test, 0, true, 3, 1, 512, buf),
			VT_CC(DATA_PROTECT, 0x27, 0x07));
	KUNIT_ASSERT_EQ(test, vdisk_set_fault(dev, VDISK_IO_WRITE, 0, 0), 0);
	KUNIT_EXPECT_EQ(test, vt_rw(test, 0, true, 3, 1, 512, buf), VT_GOOD);
	KUNIT_ASSERT_EQ(test, vdisk_set_fault(dev, VDISK_IO_READ, -EINVAL, 1),
			0);
	KUNIT_EXPECT_EQ(test, vt_rw(test, 0, false, 0, 1, 512, buf),
			VT_CC(HARDWARE_ERROR, 0x44, 0x00));
	KUNIT_EXPECT_EQ(test, vdisk_set_fault(dev, VDISK_IO_READ, 5, 1),
			-EINVAL);
	KUNIT_EXPECT_EQ(test, vdisk_inflight(dev), 0);
}

/* resync_size after the file grew: CAPACITY DATA HAS CHANGED. */
static void vdisk_resync_size(struct kunit *test)
{
	const char *f = vt_file(test, "grow", 1 << 20);
	uint8_t *buf = kunit_kzalloc(test, 512, GFP_KERNEL);

	vt_add(test, "vdisk_fileio", "grow filename=%s", f);
	vt_map(test, "grow", 0);
	vt_clear_ua(test, 0);
	KUNIT_EXPECT_EQ(test, vt_rw(test, 0, false, 2048, 1, 512, buf),
			VT_CC(ILLEGAL_REQUEST, 0x21, 0x00));
	KUNIT_ASSERT_EQ(test, truncate(f, 2 << 20), 0);
	VT_WOK(test, "/devices/grow/resync_size", "1");
	KUNIT_EXPECT_STREQ(test, vt_attr(test, "grow", "size"), "2097152\n");
	KUNIT_EXPECT_STREQ(test, vt_attr(test, "grow", "size_mb"), "2\n");
	KUNIT_EXPECT_EQ(test, vt_tur(test, 0), VT_UA(0x2a, 0x09));
	KUNIT_EXPECT_EQ(test, vt_rw(test, 0, false, 2048, 1, 512, buf),
			VT_GOOD);
	/* Unchanged: no new unit attention. */
	VT_WOK(test, "/devices/grow/resync_size", "1");
	KUNIT_EXPECT_EQ(test, vt_rw(test, 0, false, 0, 1, 512, buf), VT_GOOD);
	VT_WERR(test, "/devices/grow/resync_size", "x", -EINVAL,
		"resync_size: 'x' is not 0 or 1");
}

/* A read-only device refuses writes with DATA PROTECT. */
static void vdisk_read_only(struct kunit *test)
{
	const char *f = vt_file(test, "ro", 1 << 20);
	uint8_t *buf = kunit_kzalloc(test, 512, GFP_KERNEL);

	vt_add(test, "vdisk_fileio", "ro filename=%s; read_only=1", f);
	KUNIT_EXPECT_STREQ(test, vt_attr(test, "ro", "read_only"),
			   "1\n[key]\n");
	vt_map(test, "ro", 0);
	vt_clear_ua(test, 0);
	KUNIT_EXPECT_EQ(test, vt_rw(test, 0, true, 0, 1, 512, buf),
			VT_CC(DATA_PROTECT, 0x27, 0x00));
	KUNIT_EXPECT_EQ(test, vt_rw(test, 0, false, 0, 1, 512, buf), VT_GOOD);
}

/* nullio: zeros back whatever was written; size attributes. */
static void vdisk_nullio(struct kunit *test)
{
	uint8_t *buf = kunit_kzalloc(test, 4 * 4096, GFP_KERNEL);
	unsigned int i;

	vt_add(test, "vdisk_nullio",
	       "nul size_mb=3; blocksize=4096; read_zero=1; dummy=0; "
	       "t10_dev_id=nul-id; removable=0; rotational=0; read_only=0");
	KUNIT_EXPECT_STREQ(test, vt_attr(test, "nul", "size_mb"), "3\n[key]\n");
	KUNIT_EXPECT_STREQ(test, vt_attr(test, "nul", "size"), "3145728\n");
	KUNIT_EXPECT_STREQ(test, vt_attr(test, "nul", "read_zero"),
			   "1\n[key]\n");
	KUNIT_EXPECT_STREQ(test, vt_attr(test, "nul", "dummy"), "0\n");
	KUNIT_EXPECT_STREQ(test, vt_attr(test, "nul", "blocksize"),
			   "4096\n[key]\n");
	vt_map(test, "nul", 0);
	vt_clear_ua(test, 0);
	memset(buf, 0xa5, 4 * 4096);
	KUNIT_EXPECT_EQ(test, vt_rw(test, 0, true, 0, 4, 4096, buf), VT_GOOD);
	KUNIT_EXPECT_EQ(test, vt_rw(test, 0, false, 0, 4, 4096, buf), VT_GOOD);
	for (i = 0; i < 4 * 4096 && !buf[i]; i++)
		;
	KUNIT_EXPECT_EQ(test, i, 4u * 4096);
	KUNIT_EXPECT_EQ(test, vt_rw(test, 0, false, 768, 1, 4096, buf),
			VT_CC(ILLEGAL_REQUEST, 0x21, 0x00));
	/* Resize: the capacity UA. */
	VT_WOK(test, "/devices/nul/size", "4194304");
	KUNIT_EXPECT_STREQ(test, vt_attr(test, "nul", "size_mb"), "4\n[key]\n");
	KUNIT_EXPECT_EQ(test, vt_tur(test, 0), VT_UA(0x2a, 0x09));
	KUNIT_EXPECT_EQ(test, vt_rw(test, 0, false, 768, 1, 4096, buf),
			VT_GOOD);
}

/* vcdrom: empty, insert, eject, and a locked medium. */
static void vdisk_cdrom_media(struct kunit *test)
{
	const char *iso = vt_file(test, "cd.iso", 1 << 20);
	uint8_t *buf = kunit_kzalloc(test, 2048, GFP_KERNEL);
	uint8_t pa[6] = {ALLOW_MEDIUM_REMOVAL};

	VT_WOK(test, CDR_MGMT, "add_device cd");
	KUNIT_EXPECT_STREQ(test, vt_attr(test, "cd", "filename"), "\n");
	KUNIT_EXPECT_STREQ(test, vt_attr(test, "cd", "read_only"), "1\n");
	KUNIT_EXPECT_STREQ(test, vt_attr(test, "cd", "blocksize"), "2048\n");
	vt_map(test, "cd", 0);
	vt_clear_ua(test, 0);
	KUNIT_EXPECT_EQ(test, vt_tur(test, 0), VT_CC(NOT_READY, 0x3a, 0x00));
	KUNIT_EXPECT_EQ(test, vt_rw(test, 0, false, 0, 1, 2048, buf),
			VT_CC(NOT_READY, 0x3a, 0x00));

	VT_WOK(test, "/devices/cd/filename", iso);
	KUNIT_EXPECT_STREQ(test, vt_attr(test, "cd", "filename"),
			   vt_sprintf(test, "%s\n[key]\n", iso));
	KUNIT_EXPECT_STREQ(test, vt_attr(test, "cd", "size"), "1048576\n");
	KUNIT_EXPECT_EQ(test, vt_tur(test, 0), VT_UA(0x28, 0x00));
	KUNIT_EXPECT_NE(test, vt_tur(test, 0), VT_CC(NOT_READY, 0x3a, 0x00));

	/* Locked by PREVENT ALLOW MEDIUM REMOVAL: no eject. */
	pa[4] = 1;
	KUNIT_EXPECT_EQ(test, vt_exec(test, 0, pa, 6, NULL, 0, NULL, 0),
			VT_GOOD);
	VT_WERR(test, "/devices/cd/filename", "none", -EBUSY,
		"filename: cd: the medium is locked by PREVENT ALLOW MEDIUM "
		"REMOVAL; cannot change or eject it");
	pa[4] = 0;
	KUNIT_EXPECT_EQ(test, vt_exec(test, 0, pa, 6, NULL, 0, NULL, 0),
			VT_GOOD);

	VT_WOK(test, "/devices/cd/filename", "none");
	KUNIT_EXPECT_STREQ(test, vt_attr(test, "cd", "filename"), "\n");
	KUNIT_EXPECT_EQ(test, vt_tur(test, 0), VT_CC(NOT_READY, 0x3a, 0x00));
	VT_WOK(test, "/devices/cd/filename", iso);
	KUNIT_EXPECT_EQ(test, vt_tur(test, 0), VT_UA(0x28, 0x00));
	VT_WOK(test, "/devices/cd/filename", "");
	KUNIT_EXPECT_EQ(test, vt_tur(test, 0), VT_CC(NOT_READY, 0x3a, 0x00));
	VT_WERR(test, "/devices/cd/filename", "/nonexistent/cd.iso", -ENOENT,
		"cd: cannot open /nonexistent/cd.iso: no such file or "
		"directory");
	KUNIT_EXPECT_EQ(test, vt_tur(test, 0), VT_CC(NOT_READY, 0x3a, 0x00));
	VT_WERR(test, "/devices/cd/filename", "rel.iso", -EINVAL,
		"filename: 'rel.iso' is not an absolute path");
}

/* ---- the backing file deleted (and emptied) under load ---- */

#define VDISK_LOAD_N 32

struct vdisk_load_req {
	struct scst_local_req r;
	int done;
	uint8_t buf[8 * 512];
};

static void vdisk_load_done(struct scst_local_req *r)
{
	struct vdisk_load_req *q = r->priv;

	__atomic_store_n(&q->done, 1, __ATOMIC_RELEASE);
}

static void vdisk_delete_under_load(struct kunit *test)
{
	const char *f = vt_file(test, "del", 1 << 20);
	struct vt_env *e = test->priv;
	struct vdisk_load_req *q;
	unsigned int round, i, ms, errors = 0;
	uint8_t buf[512];

	q = kunit_kzalloc(test, sizeof(*q) * VDISK_LOAD_N, GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, q);
	vt_add(test, "vdisk_fileio", "del filename=%s", f);
	vt_map(test, "del", 0);
	vt_clear_ua(test, 0);
	for (round = 0; round < 4; round++) {
		for (i = 0; i < VDISK_LOAD_N; i++) {
			struct scst_local_req *r = &q[i].r;
			bool wr = i & 1;

			memset(r, 0, sizeof(*r));
			q[i].done = 0;
			r->cdb[0] = wr ? WRITE_10 : READ_10;
			scst_put_be32(r->cdb + 2, i * 8);
			scst_put_be16(r->cdb + 7, 8);
			r->cdb_len = 10;
			if (wr) {
				r->exp_set = true;
				r->exp_dir = SCST_DATA_WRITE;
				r->exp_len = sizeof(q[i].buf);
				r->data_out = q[i].buf;
				r->data_out_len = sizeof(q[i].buf);
			} else {
				r->data_in = q[i].buf;
				r->data_in_size = sizeof(q[i].buf);
			}
			r->done = vdisk_load_done;
			r->priv = &q[i];
			KUNIT_ASSERT_EQ(test, scst_local_submit(e->sess, r), 0);
			if (round == 1 && i == VDISK_LOAD_N / 2)
				unlink(f);
			if (round == 2 && i == VDISK_LOAD_N / 2)
				KUNIT_EXPECT_EQ(test,
						truncate(f, 0) == 0 ||
						    errno == ENOENT,
						true);
		}
		for (i = 0; i < VDISK_LOAD_N; i++) {
			for (ms = 0;
			     !__atomic_load_n(&q[i].done, __ATOMIC_ACQUIRE) &&
			     ms < VT_WAIT_MS;
			     ms++)
				scst_os_msleep(1);
			KUNIT_ASSERT_EQ_MSG(test, q[i].done, 1,
					    "request %u of round %u", i, round);
			if (vt_result(&q[i].r) != VT_GOOD)
				errors++;
		}
	}
	/* Still answering; del_device works. */
	KUNIT_EXPECT_NE(test, vt_rw(test, 0, false, 0, 1, 512, buf), 0xffu);
	(void)errors;
	VT_WOK(test, FIO_MGMT, "del_device del");
}

/* active=0 closes the file: NOT READY until active=1. */
static void vdisk_active(struct kunit *test)
{
	const char *f = vt_file(test, "act", 1 << 20);
	uint8_t *buf = kunit_kzalloc(test, 512, GFP_KERNEL);

	vt_add(test, "vdisk_fileio", "act filename=%s; active=0", f);
	KUNIT_EXPECT_STREQ(test, vt_attr(test, "act", "active"), "0\n[key]\n");
	vt_map(test, "act", 0);
	vt_clear_ua(test, 0);
	KUNIT_EXPECT_EQ(test, vt_rw(test, 0, false, 0, 1, 512, buf),
			VT_CC(NOT_READY, 0x04, 0x03));
	VT_WOK(test, "/devices/act/active", "1");
	KUNIT_EXPECT_EQ(test, vt_tur(test, 0), VT_UA(0x2a, 0x09));
	KUNIT_EXPECT_EQ(test, vt_rw(test, 0, false, 0, 1, 512, buf), VT_GOOD);
	VT_WOK(test, "/devices/act/active", "0");
	KUNIT_EXPECT_EQ(test, vt_rw(test, 0, false, 0, 1, 512, buf),
			VT_CC(NOT_READY, 0x04, 0x03));
}

static struct kunit_case vdisk_io_cases[] = {
    KUNIT_CASE(vdisk_add_all_params),  KUNIT_CASE(vdisk_defaults),
    KUNIT_CASE(vdisk_add_bad_params),  KUNIT_CASE(vdisk_rw_known_data),
    KUNIT_CASE(vdisk_fault_injection), KUNIT_CASE(vdisk_resync_size),
    KUNIT_CASE(vdisk_read_only),       KUNIT_CASE(vdisk_nullio),
    KUNIT_CASE(vdisk_cdrom_media),     KUNIT_CASE(vdisk_delete_under_load),
    KUNIT_CASE(vdisk_active),	       {}};

static struct kunit_suite vdisk_io_suite = {
    .name = "vdisk_io",
    .init = vt_up,
    .exit = vt_down,
    .test_cases = vdisk_io_cases,
};

kunit_test_suite(vdisk_io_suite);
