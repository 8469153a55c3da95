// SPDX-License-Identifier: GPL-2.0-only
/*
 * vcdrom's MMC commands (dev_handlers/vdisk/vdisk_mmc.c) through scst_local:
 * a device made with the tree's mgmt file on an ISO-like image of 2048-byte
 * blocks, each command's data checked byte by byte, media changes through
 * the filename attribute and START STOP UNIT.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include <kunit/test.h>

#include "dev_handlers/vdisk/vdisk_module.h"
#include "tests/unit/scst/src/scst_test_env.h"

#define M_BLOCKS    300u
#define M_ISO	    "/dev/shm/vdisk_mmc_test.iso"
#define M_ISO2	    "/dev/shm/vdisk_mmc_test2.iso"
#define M_DVD	    "/dev/shm/vdisk_mmc_test_dvd.iso"
#define M_DVD_BYTES 800000000ll

static const struct scst_module *const m_mods[] = {&vdisk_module};

static uint8_t m_pattern(uint64_t off)
{
	return (uint8_t)(off * 7 + off / 2048);
}

static void m_make_image(struct kunit *test, const char *path,
			 unsigned int blocks)
{
	static uint8_t blk[2048];
	unsigned int b, i;
	int fd = open(path, O_CREAT | O_TRUNC | O_WRONLY, 0600);

	KUNIT_ASSERT_GE(test, fd, 0);
	for (b = 0; b < blocks; b++) {
		for (i = 0; i < sizeof(blk); i++)
			blk[i] = m_pattern((uint64_t)b * 2048 + i);
		KUNIT_ASSERT_EQ(test, write(fd, blk, sizeof(blk)),
				(ssize_t)sizeof(blk));
	}
	close(fd);
}

static int m_write(const char *path, const char *val)
{
	struct scst_mgmt_res res;

	return scst_tree_write(path, val, strlen(val), &res);
}

static int vdisk_mmc_init(struct kunit *test)
{
	struct scst_device *dev;
	int rc = tenv_up(test, 0, 0, 0);

	if (rc)
		return rc;
	m_make_image(test, M_ISO, M_BLOCKS);
	m_make_image(test, M_ISO2, 10);
	rc = scst_modules_init(m_mods, 1);
	if (rc)
		goto fail;
	rc = m_write("/handlers/vcdrom/mgmt", "add_device cd0 filename=" M_ISO);
	if (rc)
		goto fail_mods;
	dev = scst_find_device("cd0");
	rc = scst_acg_add_lun(scst_tgt_default_acg(t_env(test)->tgt), dev, 0,
			      false);
	if (rc)
		goto fail_dev;
	return 0;
fail_dev:
	m_write("/handlers/vcdrom/mgmt", "del_device cd0");
fail_mods:
	scst_modules_exit(m_mods, 1);
fail:
	tenv_down(test);
	return rc;
}

static void vdisk_mmc_exit(struct kunit *test)
{
	struct tenv *e = t_env(test);
	unsigned int i;

	for (i = 0; i < T_NSESS; i++)
		tenv_close(test, e, i);
	m_write("/handlers/vcdrom/mgmt", "del_device cd0");
	scst_modules_exit(m_mods, 1);
	tenv_down(test);
	unlink(M_ISO);
	unlink(M_ISO2);
	unlink(M_DVD);
}

static struct scst_local_sess *m_sess(struct kunit *test)
{
	return t_open_clear(test, "ini0", 1);
}

/* Run @cdb; the data in @buf, its length in *@len. */
static uint32_t m_exec(struct kunit *test, struct scst_local_sess *s,
		       const uint8_t *cdb, unsigned int cdb_len, void *buf,
		       uint32_t size, uint32_t *len)
{
	struct scst_local_req r;
	uint32_t res;

	memset(buf, 0xee, size);
	res = t_exec(test, s, 0, cdb, cdb_len, &r, buf, size);
	if (len)
		*len = r.data_in_len;
	return res;
}

static void m_expect_bytes(struct kunit *test, const uint8_t *got,
			   const uint8_t *want, unsigned int n)
{
	unsigned int i;

	for (i = 0; i < n; i++)
		KUNIT_EXPECT_EQ_MSG(test, got[i], want[i], "byte %u", i);
}

/* ------------------------------------------------------------ tests ---- */

static void mmc_read_toc(struct kunit *test)
{
	struct scst_local_sess *s = m_sess(test);
	uint8_t cdb[10] = {READ_TOC, 0, 0, 0, 0, 0, 0, 0, 0xff, 0};
	uint8_t buf[256];
	uint32_t len;
	static const uint8_t toc_lba[] = {
	    0x00, 0x12, 0x01, 0x01, 0x00, 0x14, 0x01, 0x00, 0x00, 0x00,
	    0x00, 0x00, 0x00, 0x14, 0xaa, 0x00, 0x00, 0x00, 0x01, 0x2c};
	/* 00:02:00 and 450 frames = 00:06:00. */
	static const uint8_t toc_msf[] = {
	    0x00, 0x12, 0x01, 0x01, 0x00, 0x14, 0x01, 0x00, 0x00, 0x00,
	    0x02, 0x00, 0x00, 0x14, 0xaa, 0x00, 0x00, 0x00, 0x06, 0x00};
	static const uint8_t leadout[] = {0x00, 0x0a, 0x01, 0x01, 0x00, 0x14,
					  0xaa, 0x00, 0x00, 0x00, 0x01, 0x2c};
	static const uint8_t session[] = {0x00, 0x0a, 0x01, 0x01, 0x00, 0x14,
					  0x01, 0x00, 0x00, 0x00, 0x00, 0x00};

	KUNIT_EXPECT_EQ(test, m_exec(test, s, cdb, 10, buf, 256, &len), T_GOOD);
	KUNIT_EXPECT_EQ(test, len, sizeof(toc_lba));
	m_expect_bytes(test, buf, toc_lba, sizeof(toc_lba));

	cdb[1] = 0x02; /* MSF */
	KUNIT_EXPECT_EQ(test, m_exec(test, s, cdb, 10, buf, 256, &len), T_GOOD);
	KUNIT_EXPECT_EQ(test, len, sizeof(toc_msf));
	m_expect_bytes(test, buf, toc_msf, sizeof(toc_msf));

	cdb[1] = 0;
	cdb[6] = 0xaa; /* from the lead-out */
	KUNIT_EXPECT_EQ(test, m_exec(test, s, cdb, 10, buf, 256, &len), T_GOOD);
	KUNIT_EXPECT_EQ(test, len, sizeof(leadout));
	m_expect_bytes(test, buf, leadout, sizeof(leadout));

	cdb[6] = 2; /* no such track */
	KUNIT_EXPECT_EQ(test, m_exec(test, s, cdb, 10, buf, 256, NULL),
			T_CC(ILLEGAL_REQUEST, 0x24, 0));

	cdb[6] = 0;
	cdb[2] = 1; /* session information */
	KUNIT_EXPECT_EQ(test, m_exec(test, s, cdb, 10, buf, 256, &len), T_GOOD);
	KUNIT_EXPECT_EQ(test, len, sizeof(session));
	m_expect_bytes(test, buf, session, sizeof(session));

	cdb[2] = 2; /* full TOC: not supported */
	KUNIT_EXPECT_EQ(test, m_exec(test, s, cdb, 10, buf, 256, NULL),
			T_CC(ILLEGAL_REQUEST, 0x24, 0));

	/* The allocation length cuts the data, not the length field. */
	cdb[2] = 0;
	cdb[8] = 4;
	KUNIT_EXPECT_EQ(test, m_exec(test, s, cdb, 10, buf, 256, &len), T_GOOD);
	KUNIT_EXPECT_EQ(test, len, 4);
	m_expect_bytes(test, buf, toc_lba, 4);
}

static void mmc_get_configuration(struct kunit *test)
{
	struct scst_local_sess *s = m_sess(test);
	uint8_t cdb[10] = {GET_CONFIGURATION, 0, 0, 0, 0, 0, 0, 0x01, 0, 0};
	uint8_t buf[256];
	uint32_t len;
	static const uint8_t all_cd[] = {
	    0x00, 0x00, 0x00, 0x40, 0x00, 0x00, 0x00, 0x08,
	    /* profile list */
	    0x00, 0x00, 0x03, 0x08, 0x00, 0x10, 0x00, 0x00, 0x00, 0x08, 0x01,
	    0x00,
	    /* core */
	    0x00, 0x01, 0x0b, 0x08, 0x00, 0x00, 0x00, 0x01, 0x02, 0x00, 0x00,
	    0x00,
	    /* morphing */
	    0x00, 0x02, 0x07, 0x04, 0x00, 0x00, 0x00, 0x00,
	    /* removable medium */
	    0x00, 0x03, 0x03, 0x04, 0x29, 0x00, 0x00, 0x00,
	    /* random readable */
	    0x00, 0x10, 0x01, 0x08, 0x00, 0x00, 0x08, 0x00, 0x00, 0x01, 0x00,
	    0x00,
	    /* DVD read, not current */
	    0x00, 0x1f, 0x04, 0x04, 0x00, 0x00, 0x00, 0x00};
	static const uint8_t one_dvd[] = {0x00, 0x00, 0x00, 0x0c, 0x00, 0x00,
					  0x00, 0x10, 0x00, 0x1f, 0x05, 0x04,
					  0x00, 0x00, 0x00, 0x00};
	static const uint8_t none[] = {0x00, 0x00, 0x00, 0x04,
				       0x00, 0x00, 0x00, 0x08};
	int fd;

	/* RT 00b: every feature. */
	KUNIT_EXPECT_EQ(test, m_exec(test, s, cdb, 10, buf, 256, &len), T_GOOD);
	KUNIT_EXPECT_EQ(test, len, sizeof(all_cd));
	m_expect_bytes(test, buf, all_cd, sizeof(all_cd));

	/* RT 01b: the current ones only (not DVD Read on a CD). */
	cdb[1] = 1;
	KUNIT_EXPECT_EQ(test, m_exec(test, s, cdb, 10, buf, 256, &len), T_GOOD);
	KUNIT_EXPECT_EQ(test, len, sizeof(all_cd) - 8);
	KUNIT_EXPECT_EQ(test, buf[3], 0x40 - 8);
	m_expect_bytes(test, buf + 8, all_cd + 8, sizeof(all_cd) - 16);

	/* RT 01b from feature 0010h. */
	cdb[3] = 0x10;
	KUNIT_EXPECT_EQ(test, m_exec(test, s, cdb, 10, buf, 256, &len), T_GOOD);
	KUNIT_EXPECT_EQ(test, len, 8 + 12);
	m_expect_bytes(test, buf + 8, all_cd + 8 + 12 + 12 + 8 + 8, 12);

	/* RT 10b: one feature, or none. */
	cdb[1] = 2;
	cdb[3] = 0x55;
	KUNIT_EXPECT_EQ(test, m_exec(test, s, cdb, 10, buf, 256, &len), T_GOOD);
	KUNIT_EXPECT_EQ(test, len, sizeof(none));
	m_expect_bytes(test, buf, none, sizeof(none));

	/* RT 11b is reserved. */
	cdb[1] = 3;
	KUNIT_EXPECT_EQ(test, m_exec(test, s, cdb, 10, buf, 256, NULL),
			T_CC(ILLEGAL_REQUEST, 0x24, 0));

	/* A medium larger than a CD is a DVD-ROM. */
	fd = open(M_DVD, O_CREAT | O_TRUNC | O_WRONLY, 0600);
	KUNIT_ASSERT_GE(test, fd, 0);
	KUNIT_ASSERT_EQ(test, ftruncate(fd, M_DVD_BYTES), 0);
	close(fd);
	KUNIT_ASSERT_EQ(test, m_write("/devices/cd0/filename", M_DVD), 0);
	KUNIT_EXPECT_EQ(test, t_tur(test, s, 0), T_UA(0x28, 0));
	t_clear_ua(test, s, 0);
	cdb[1] = 2;
	cdb[3] = 0x1f;
	KUNIT_EXPECT_EQ(test, m_exec(test, s, cdb, 10, buf, 256, &len), T_GOOD);
	KUNIT_EXPECT_EQ(test, len, sizeof(one_dvd));
	m_expect_bytes(test, buf, one_dvd, sizeof(one_dvd));
	cdb[1] = 0;
	cdb[3] = 0;
	KUNIT_EXPECT_EQ(test, m_exec(test, s, cdb, 10, buf, 256, &len), T_GOOD);
	/* DVD-ROM current in the profile list, blocking 16. */
	KUNIT_EXPECT_EQ(test, buf[14], 0x01);
	KUNIT_EXPECT_EQ(test, buf[18], 0x00);
	KUNIT_EXPECT_EQ(test, buf[8 + 12 + 12 + 8 + 8 + 9], 16);
}

static void mmc_event_status(struct kunit *test)
{
	struct scst_local_sess *s = m_sess(test);
	uint8_t cdb[10] = {
	    GET_EVENT_STATUS_NOTIFICATION, 1, 0, 0, 0x10, 0, 0, 0, 8, 0};
	uint8_t buf[64];
	uint32_t len;
	static const uint8_t nochg[] = {0x00, 0x06, 0x04, 0x10,
					0x00, 0x02, 0x00, 0x00};
	static const uint8_t removed[] = {0x00, 0x06, 0x04, 0x10,
					  0x03, 0x01, 0x00, 0x00};
	static const uint8_t newmedia[] = {0x00, 0x06, 0x04, 0x10,
					   0x02, 0x02, 0x00, 0x00};
	static const uint8_t nea[] = {0x00, 0x02, 0x80, 0x10};

	KUNIT_EXPECT_EQ(test, m_exec(test, s, cdb, 10, buf, 64, &len), T_GOOD);
	KUNIT_EXPECT_EQ(test, len, 8);
	m_expect_bytes(test, buf, nochg, 8);

	/* Asynchronous notification is not supported. */
	cdb[1] = 0;
	KUNIT_EXPECT_EQ(test, m_exec(test, s, cdb, 10, buf, 64, NULL),
			T_CC(ILLEGAL_REQUEST, 0x24, 0));
	cdb[1] = 1;

	/* Only classes we do not support: No Event Available. */
	cdb[4] = 0x02;
	KUNIT_EXPECT_EQ(test, m_exec(test, s, cdb, 10, buf, 64, &len), T_GOOD);
	KUNIT_EXPECT_EQ(test, len, 4);
	m_expect_bytes(test, buf, nea, 4);
	cdb[4] = 0x10;

	/* Removal through the filename attribute, then a new medium. */
	KUNIT_ASSERT_EQ(test, m_write("/devices/cd0/filename", "none"), 0);
	KUNIT_EXPECT_EQ(test, m_exec(test, s, cdb, 10, buf, 64, &len), T_GOOD);
	m_expect_bytes(test, buf, removed, 8);
	KUNIT_ASSERT_EQ(test, m_write("/devices/cd0/filename", M_ISO2), 0);
	/* GET EVENT STATUS NOTIFICATION does not report the UA. */
	KUNIT_EXPECT_EQ(test, m_exec(test, s, cdb, 10, buf, 64, &len), T_GOOD);
	m_expect_bytes(test, buf, newmedia, 8);
	/* Reported events are consumed. */
	KUNIT_EXPECT_EQ(test, m_exec(test, s, cdb, 10, buf, 64, &len), T_GOOD);
	m_expect_bytes(test, buf, nochg, 8);
	KUNIT_EXPECT_EQ(test, t_tur(test, s, 0), T_UA(0x28, 0));
}

static void mmc_disc_info_mechanism(struct kunit *test)
{
	struct scst_local_sess *s = m_sess(test);
	uint8_t rdi[10] = {READ_DISC_INFORMATION, 0, 0, 0, 0, 0, 0, 0, 34, 0};
	uint8_t mech[12] = {MECHANISM_STATUS, 0, 0, 0, 0, 0, 0, 0, 0, 8, 0, 0};
	uint8_t buf[64];
	uint32_t len;
	static const uint8_t disc[34] = {0x00, 0x20, 0x0e, 0x01, 0x01, 0x01,
					 0x01, 0x00, 0x00, 0x00, 0x00, 0x00,
					 0x00, 0x00, 0x00, 0x00, 0xff, 0xff,
					 0xff, 0xff, 0xff, 0xff, 0xff, 0xff};
	static const uint8_t closed[8] = {0};
	static const uint8_t open[8] = {0x00, 0x10};

	KUNIT_EXPECT_EQ(test, m_exec(test, s, rdi, 10, buf, 64, &len), T_GOOD);
	KUNIT_EXPECT_EQ(test, len, 34);
	m_expect_bytes(test, buf, disc, 34);
	rdi[1] = 1; /* track resources: not supported */
	KUNIT_EXPECT_EQ(test, m_exec(test, s, rdi, 10, buf, 64, NULL),
			T_CC(ILLEGAL_REQUEST, 0x24, 0));

	KUNIT_EXPECT_EQ(test, m_exec(test, s, mech, 12, buf, 64, &len), T_GOOD);
	KUNIT_EXPECT_EQ(test, len, 8);
	m_expect_bytes(test, buf, closed, 8);
	KUNIT_ASSERT_EQ(test, m_write("/devices/cd0/filename", "none"), 0);
	KUNIT_EXPECT_EQ(test, m_exec(test, s, mech, 12, buf, 64, &len), T_GOOD);
	m_expect_bytes(test, buf, open, 8);
}

static void mmc_capacity_and_reads(struct kunit *test)
{
	struct scst_local_sess *s = m_sess(test);
	uint8_t cap[10] = {READ_CAPACITY};
	uint8_t rd10[10] = {READ_10, 0, 0, 0, 0, 5, 0, 0, 2, 0};
	uint8_t rd12[12] = {READ_12, 0, 0, 0, 0x01, 0x2a, 0, 0, 0, 2, 0, 0};
	static uint8_t buf[8192];
	static const uint8_t capacity[8] = {0, 0, 0x01, 0x2b, 0, 0, 0x08, 0};
	uint32_t len, i;

	KUNIT_EXPECT_EQ(test, m_exec(test, s, cap, 10, buf, 8, &len), T_GOOD);
	KUNIT_EXPECT_EQ(test, len, 8);
	m_expect_bytes(test, buf, capacity, 8);

	KUNIT_EXPECT_EQ(test, m_exec(test, s, rd10, 10, buf, 4096, &len),
			T_GOOD);
	KUNIT_EXPECT_EQ(test, len, 4096);
	for (i = 0; i < 4096; i++)
		if (buf[i] != m_pattern(5 * 2048 + i)) {
			KUNIT_FAIL(test, "READ(10) byte %u", i);
			break;
		}
	/* The last two blocks, 298 and 299. */
	KUNIT_EXPECT_EQ(test, m_exec(test, s, rd12, 12, buf, 4096, &len),
			T_GOOD);
	KUNIT_EXPECT_EQ(test, len, 4096);
	for (i = 0; i < 4096; i++)
		if (buf[i] != m_pattern(298 * 2048 + i)) {
			KUNIT_FAIL(test, "READ(12) byte %u", i);
			break;
		}
	rd12[5] = 0x2b; /* 299 and 300: past the end */
	KUNIT_EXPECT_EQ(test, m_exec(test, s, rd12, 12, buf, 4096, NULL),
			T_CC(ILLEGAL_REQUEST, 0x21, 0));
	/* RDPROTECT bits are reserved in MMC. */
	rd10[1] = 0x20;
	KUNIT_EXPECT_EQ(test, m_exec(test, s, rd10, 10, buf, 4096, NULL),
			T_CC(ILLEGAL_REQUEST, 0x24, 0));
}

static void mmc_no_medium(struct kunit *test)
{
	struct scst_local_sess *s = m_sess(test);
	const uint8_t cap[10] = {READ_CAPACITY};
	const uint8_t rd10[10] = {READ_10, 0, 0, 0, 0, 0, 0, 0, 1, 0};
	const uint8_t toc[10] = {READ_TOC, 0, 0, 0, 0, 0, 0, 0, 0xff, 0};
	const uint8_t rdi[10] = {
	    READ_DISC_INFORMATION, 0, 0, 0, 0, 0, 0, 0, 34, 0};
	const uint8_t conf[10] = {
	    GET_CONFIGURATION, 0, 0, 0, 0, 0, 0, 0, 0xff, 0};
	const uint32_t nm = T_CC(NOT_READY, 0x3a, 0);
	static uint8_t buf[4096];
	uint32_t len;

	KUNIT_ASSERT_EQ(test, m_write("/devices/cd0/filename", "none"), 0);
	KUNIT_EXPECT_EQ(test, t_tur(test, s, 0), nm);
	KUNIT_EXPECT_EQ(test, m_exec(test, s, cap, 10, buf, 8, NULL), nm);
	KUNIT_EXPECT_EQ(test, m_exec(test, s, rd10, 10, buf, 2048, NULL), nm);
	KUNIT_EXPECT_EQ(test, m_exec(test, s, toc, 10, buf, 255, NULL), nm);
	KUNIT_EXPECT_EQ(test, m_exec(test, s, rdi, 10, buf, 34, NULL), nm);
	/* GET CONFIGURATION works without a medium: no current profile. */
	KUNIT_EXPECT_EQ(test, m_exec(test, s, conf, 10, buf, 255, &len),
			T_GOOD);
	KUNIT_EXPECT_EQ(test, buf[6], 0);
	KUNIT_EXPECT_EQ(test, buf[7], 0);
	KUNIT_EXPECT_EQ(test, buf[14], 0); /* DVD-ROM not current */
	KUNIT_EXPECT_EQ(test, buf[18], 0); /* CD-ROM not current */

	/* A new medium: MEDIUM MAY HAVE CHANGED, then it reads. */
	KUNIT_ASSERT_EQ(test, m_write("/devices/cd0/filename", M_ISO2), 0);
	KUNIT_EXPECT_EQ(test, t_tur(test, s, 0), T_UA(0x28, 0));
	t_clear_ua(test, s, 0);
	KUNIT_EXPECT_EQ(test, m_exec(test, s, cap, 10, buf, 8, NULL), T_GOOD);
	KUNIT_EXPECT_EQ(test, buf[3], 9); /* last LBA of 10 blocks */
	KUNIT_EXPECT_EQ(test, m_exec(test, s, rd10, 10, buf, 2048, &len),
			T_GOOD);
	KUNIT_EXPECT_EQ(test, len, 2048);
	KUNIT_EXPECT_EQ(test, buf[100], m_pattern(100));
}

static void mmc_eject(struct kunit *test)
{
	struct scst_local_sess *s = m_sess(test);
	uint8_t prevent[6] = {ALLOW_MEDIUM_REMOVAL, 0, 0, 0, 1, 0};
	const uint8_t eject[6] = {START_STOP, 0, 0, 0, 0x02, 0};
	const uint8_t load[6] = {START_STOP, 0, 0, 0, 0x03, 0};
	const uint8_t gesn[10] = {
	    GET_EVENT_STATUS_NOTIFICATION, 1, 0, 0, 0x10, 0, 0, 0, 8, 0};
	uint8_t buf[16];

	KUNIT_EXPECT_EQ(test, m_exec(test, s, gesn, 10, buf, 16, NULL), T_GOOD);
	KUNIT_EXPECT_EQ(test, m_exec(test, s, prevent, 6, buf, 0, NULL),
			T_GOOD);
	/* MEDIUM REMOVAL PREVENTED, for the command and the attribute. */
	KUNIT_EXPECT_EQ(test, m_exec(test, s, eject, 6, buf, 0, NULL),
			T_CC(ILLEGAL_REQUEST, 0x53, 0x02));
	KUNIT_EXPECT_EQ(test, m_write("/devices/cd0/filename", "none"), -EBUSY);
	KUNIT_EXPECT_EQ(test, t_tur(test, s, 0), T_GOOD);

	prevent[4] = 0;
	KUNIT_EXPECT_EQ(test, m_exec(test, s, prevent, 6, buf, 0, NULL),
			T_GOOD);
	KUNIT_EXPECT_EQ(test, m_exec(test, s, eject, 6, buf, 0, NULL), T_GOOD);
	KUNIT_EXPECT_EQ(test, t_tur(test, s, 0), T_CC(NOT_READY, 0x3a, 0));
	KUNIT_EXPECT_EQ(test, m_exec(test, s, gesn, 10, buf, 16, NULL), T_GOOD);
	KUNIT_EXPECT_EQ(test, buf[4], 0x03); /* MediaRemoval */
	KUNIT_EXPECT_EQ(test, buf[5], 0x01); /* tray open, no medium */

	/* Load: the image still in the tray comes back. */
	KUNIT_EXPECT_EQ(test, m_exec(test, s, load, 6, buf, 0, NULL), T_GOOD);
	KUNIT_EXPECT_EQ(test, t_tur(test, s, 0), T_GOOD);
	KUNIT_EXPECT_EQ(test, m_exec(test, s, gesn, 10, buf, 16, NULL), T_GOOD);
	KUNIT_EXPECT_EQ(test, buf[4], 0x02); /* NewMedia */
	KUNIT_EXPECT_EQ(test, buf[5], 0x02);
}

static struct kunit_case vdisk_mmc_test_cases[] = {
    KUNIT_CASE(mmc_read_toc),
    KUNIT_CASE(mmc_get_configuration),
    KUNIT_CASE(mmc_event_status),
    KUNIT_CASE(mmc_disc_info_mechanism),
    KUNIT_CASE(mmc_capacity_and_reads),
    KUNIT_CASE(mmc_no_medium),
    KUNIT_CASE(mmc_eject),
    {}};

static struct kunit_suite vdisk_mmc_test_suite = {
    .name = "vdisk_mmc",
    .init = vdisk_mmc_init,
    .exit = vdisk_mmc_exit,
    .test_cases = vdisk_mmc_test_cases,
};
kunit_test_suite(vdisk_mmc_test_suite);
