// SPDX-License-Identifier: GPL-2.0-only
/*
 * The vchanger (dev_handlers/vtape/vchanger_*.c) through scst_local, with
 * real vtape drives: READ ELEMENT STATUS byte by byte, MOVE MEDIUM and
 * its errors, the import/export door (insert, remove, PREVENT ALLOW
 * MEDIUM REMOVAL per nexus), unit attentions, reservations of the drives,
 * the state file across deleting and creating the device again, the mode
 * pages, INQUIRY and the attributes. The library: vchanger_test_env.h.
 */
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "tests/unit/dev_handlers/vchanger_test_env.h"

/* ------------------------------------------- READ ELEMENT STATUS ---- */

static void vc_res_layout(struct kunit *test)
{
	uint8_t *buf = kunit_kzalloc(test, VC_RES_MAX, GFP_KERNEL);
	uint8_t *exp = kunit_kzalloc(test, VC_RES_MAX, GFP_KERNEL);
	uint8_t *p = exp + 8;
	uint32_t got;

	KUNIT_ASSERT_EQ(
	    test,
	    vc_res(test, vc.a, 0, true, false, 0, 0xffff, 0xffff, buf, &got),
	    T_GOOD);
	/* Header: first 0x0001, 10 elements, 4 pages of 8 + 10 x 52. */
	scst_put_be16(exp, D0);
	scst_put_be16(exp + 2, 10);
	scst_put_be24(exp + 5, 4 * 8 + 10 * VC_DESC);
	vc_page(p, 4, 3);
	p += 8;
	vc_desc(p, D0, 0x08, 0, 0, NULL); /* ACCESS */
	vc_desc(p += VC_DESC, D1, 0x08, 0, 0, NULL);
	/* No such drive: EXCEPT, DATA TRANSFER DEVICE REMOVED. */
	vc_desc(p += VC_DESC, DG, 0x04, 0x3b, 0x1a, NULL);
	vc_page(p += VC_DESC, 1, 1);
	vc_desc(p += 8, MT, 0x00, 0, 0, NULL);
	vc_page(p += VC_DESC, 3, 2);
	vc_desc(p += 8, IE, 0x38, 0, 0, NULL); /* INENAB EXENAB ACCESS */
	vc_desc(p += VC_DESC, IE + 1, 0x38, 0, 0, NULL);
	vc_page(p += VC_DESC, 2, 4);
	vc_desc(p += 8, ST, 0x09, 0, 0, "A00001L5"); /* ACCESS FULL */
	vc_desc(p += VC_DESC, ST + 1, 0x09, 0, 0, "A00002L5");
	vc_desc(p += VC_DESC, ST + 2, 0x08, 0, 0, NULL);
	vc_desc(p += VC_DESC, ST + 3, 0x08, 0, 0, NULL);
	p += VC_DESC;
	KUNIT_ASSERT_EQ(test, got, (uint32_t)(p - exp));
	KUNIT_EXPECT_EQ(test, got, 8u + 4 * 8 + 10 * VC_DESC);
	KUNIT_EXPECT_EQ(test, memcmp(buf, exp, got), 0);

	/* Without VOLTAG: 12-byte descriptors, PVOLTAG clear. */
	KUNIT_ASSERT_EQ(
	    test,
	    vc_res(test, vc.a, 2, false, false, 0, 0xffff, 0xffff, buf, &got),
	    T_GOOD);
	KUNIT_EXPECT_EQ(test, got, 8u + 8 + 4 * 12);
	KUNIT_EXPECT_EQ(test, scst_get_be16(buf), ST);
	KUNIT_EXPECT_EQ(test, scst_get_be16(buf + 2), 4);
	KUNIT_EXPECT_EQ(test, scst_get_be24(buf + 5), 8u + 4 * 12);
	KUNIT_EXPECT_EQ(test, buf[8], 2);
	KUNIT_EXPECT_EQ(test, buf[9], 0);
	KUNIT_EXPECT_EQ(test, scst_get_be16(buf + 10), 12);
	KUNIT_EXPECT_EQ(test, scst_get_be24(buf + 13), 4u * 12);
	KUNIT_EXPECT_EQ(test, buf[16 + 2], 0x09);
	KUNIT_EXPECT_EQ(test, scst_get_be16(buf + 16 + 12), ST + 1);
}

static void vc_res_select(struct kunit *test)
{
	uint8_t *buf = kunit_kzalloc(test, VC_RES_MAX, GFP_KERNEL);
	uint8_t cdb[12] = {READ_ELEMENT_STATUS};
	uint32_t got;

	/* Storage from 0x0401, at most 2. */
	KUNIT_ASSERT_EQ(
	    test,
	    vc_res(test, vc.a, 2, true, false, ST + 1, 2, 1000, buf, &got),
	    T_GOOD);
	KUNIT_EXPECT_EQ(test, got, 8u + 8 + 2 * VC_DESC);
	KUNIT_EXPECT_EQ(test, scst_get_be16(buf), ST + 1);
	KUNIT_EXPECT_EQ(test, scst_get_be16(buf + 2), 2);
	KUNIT_EXPECT_EQ(test, scst_get_be16(buf + 16), ST + 1);
	KUNIT_EXPECT_EQ(test, scst_get_be16(buf + 16 + VC_DESC), ST + 2);
	/* All types from 0x0101: the I/E and storage elements only. */
	KUNIT_ASSERT_EQ(
	    test,
	    vc_res(test, vc.a, 0, false, false, MT + 1, 100, 1000, buf, &got),
	    T_GOOD);
	KUNIT_EXPECT_EQ(test, scst_get_be16(buf), IE);
	KUNIT_EXPECT_EQ(test, scst_get_be16(buf + 2), 6);
	KUNIT_EXPECT_EQ(test, buf[8], 3);
	KUNIT_EXPECT_EQ(test, buf[8 + 8 + 2 * 12], 2);
	/* Import/export and transport pages alone. */
	KUNIT_ASSERT_EQ(
	    test, vc_res(test, vc.a, 3, false, false, 0, 100, 1000, buf, &got),
	    T_GOOD);
	KUNIT_EXPECT_EQ(test, got, 8u + 8 + 2 * 12);
	KUNIT_EXPECT_EQ(test, scst_get_be16(buf), IE);
	KUNIT_ASSERT_EQ(
	    test, vc_res(test, vc.a, 1, false, false, 0, 100, 1000, buf, &got),
	    T_GOOD);
	KUNIT_EXPECT_EQ(test, got, 8u + 8 + 12);
	KUNIT_EXPECT_EQ(test, scst_get_be16(buf + 16), MT);
	/* Past the last element: nothing. */
	KUNIT_ASSERT_EQ(
	    test,
	    vc_res(test, vc.a, 0, false, false, ST + 4, 100, 1000, buf, &got),
	    T_GOOD);
	KUNIT_EXPECT_EQ(test, got, 8u);
	KUNIT_EXPECT_EQ(test, scst_get_be16(buf + 2), 0);
	/* Element type code 5: INVALID FIELD IN CDB. */
	KUNIT_EXPECT_EQ(
	    test, vc_res(test, vc.a, 5, false, false, 0, 100, 1000, buf, NULL),
	    T_CC(ILLEGAL_REQUEST, 0x24, 0));
	/* A reserved bit (byte 10): INVALID FIELD IN CDB. */
	cdb[5] = 10;
	cdb[9] = 0xff;
	cdb[10] = 0x01;
	KUNIT_EXPECT_EQ(test, vc_cmd(test, vc.a, 0, cdb, 12, buf, 255, NULL),
			T_CC(ILLEGAL_REQUEST, 0x24, 0));
}

/* A short allocation length cuts the data, not the header's counts. */
static void vc_res_truncated(struct kunit *test)
{
	uint8_t *buf = kunit_kzalloc(test, VC_RES_MAX, GFP_KERNEL);
	uint32_t got;

	KUNIT_ASSERT_EQ(
	    test, vc_res(test, vc.a, 0, true, false, 0, 0xffff, 8, buf, &got),
	    T_GOOD);
	KUNIT_EXPECT_EQ(test, got, 8u);
	KUNIT_EXPECT_EQ(test, scst_get_be16(buf + 2), 10);
	KUNIT_EXPECT_EQ(test, scst_get_be24(buf + 5), 4u * 8 + 10 * VC_DESC);
	KUNIT_EXPECT_EQ(test, buf[8], 0xee);
	KUNIT_ASSERT_EQ(
	    test, vc_res(test, vc.a, 0, true, false, 0, 0xffff, 50, buf, &got),
	    T_GOOD);
	KUNIT_EXPECT_EQ(test, got, 50u);
	KUNIT_EXPECT_EQ(test, buf[8], 4);
	KUNIT_EXPECT_EQ(test, buf[50], 0xee);
}

/* DVCID: the drive's identity (vendor, product, serial), T10 vendor ID. */
static void vc_res_dvcid(struct kunit *test)
{
	uint8_t *buf = kunit_kzalloc(test, VC_RES_MAX, GFP_KERNEL);
	struct vtape_ident id;
	const uint8_t *d, *i;
	size_t sn;
	uint32_t got;

	vtape_drive_ident(scst_find_device("drive0"), &id);
	sn = strlen(id.serial);
	KUNIT_ASSERT_GT(test, sn, (size_t)0);
	KUNIT_ASSERT_EQ(
	    test, vc_res(test, vc.a, 4, true, true, 0, 100, 1000, buf, &got),
	    T_GOOD);
	KUNIT_EXPECT_EQ(test, got, 8u + 8 + 3 * VC_DVCID);
	KUNIT_EXPECT_EQ(test, scst_get_be16(buf + 10), VC_DVCID);
	d = buf + 16;
	i = d + 12 + 36;
	KUNIT_EXPECT_EQ(test, i[0], 0x02); /* ASCII */
	KUNIT_EXPECT_EQ(test, i[1], 0x01); /* T10 vendor ID */
	KUNIT_EXPECT_EQ(test, i[2], 0);
	KUNIT_EXPECT_EQ(test, i[3], (uint8_t)(24 + sn));
	KUNIT_EXPECT_EQ(test, memcmp(i + 4, id.vendor, strlen(id.vendor)), 0);
	KUNIT_EXPECT_EQ(test, memcmp(i + 12, id.product, strlen(id.product)),
			0);
	KUNIT_EXPECT_EQ(test, memcmp(i + 28, id.serial, sn), 0);
	KUNIT_EXPECT_EQ(test, i[28 + sn], 0);
	/* The missing drive: no identifier at all. */
	d = buf + 16 + 2 * VC_DVCID;
	KUNIT_EXPECT_EQ(test, scst_get_be16(d), DG);
	KUNIT_EXPECT_EQ(test, d[48] | d[49] | d[50] | d[51], 0);
	/* Other elements carry an empty identification descriptor. */
	KUNIT_ASSERT_EQ(
	    test, vc_res(test, vc.a, 2, false, true, 0, 100, 1000, buf, &got),
	    T_GOOD);
	KUNIT_EXPECT_EQ(test, scst_get_be16(buf + 10), 16);
	KUNIT_EXPECT_EQ(test, got, 8u + 8 + 4 * 16);
	/* Without VOLTAG the identifier follows byte 11. */
	KUNIT_ASSERT_EQ(
	    test, vc_res(test, vc.a, 4, false, true, D1, 1, 1000, buf, &got),
	    T_GOOD);
	KUNIT_EXPECT_EQ(test, got, 8u + 8 + 12 + 4 + 56);
	KUNIT_EXPECT_EQ(test, buf[16 + 12], 0x02);
	KUNIT_EXPECT_EQ(test, buf[16 + 13], 0x01);
}

/* ----------------------------------------------------- MOVE MEDIUM ---- */

static void vc_move_storage(struct kunit *test)
{
	KUNIT_EXPECT_EQ(test, vc_move(test, vc.a, 0, ST, ST + 3), T_GOOD);
	vc_expect_elem(test, ST, NULL, -1);
	vc_expect_elem(test, ST + 3, "A00001L5", ST);
	/* To an I/E element and back through the transport's address. */
	KUNIT_EXPECT_EQ(test, vc_move(test, vc.a, MT, ST + 3, IE + 1), T_GOOD);
	vc_expect_elem(test, IE + 1, "A00001L5", ST + 3);
	KUNIT_EXPECT_EQ(test, vc_move(test, vc.a, MT, IE + 1, ST), T_GOOD);
	vc_expect_elem(test, ST, "A00001L5", IE + 1);
	/* Onto itself: nothing to do. */
	KUNIT_EXPECT_EQ(test, vc_move(test, vc.a, 0, ST, ST), T_GOOD);
	vc_expect_elem(test, ST, "A00001L5", IE + 1);
	/* The other nexus was not told: a move is no unit attention. */
	KUNIT_EXPECT_EQ(test, t_tur(test, vc.b, 0), T_GOOD);
}

static void vc_move_errors(struct kunit *test)
{
	uint8_t cdb[12] = {MOVE_MEDIUM};

	/* MEDIUM SOURCE ELEMENT EMPTY, DESTINATION ELEMENT FULL. */
	KUNIT_EXPECT_EQ(test, vc_move(test, vc.a, 0, ST + 2, ST + 3),
			T_CC(ILLEGAL_REQUEST, 0x3b, 0x0e));
	KUNIT_EXPECT_EQ(test, vc_move(test, vc.a, 0, ST, ST + 1),
			T_CC(ILLEGAL_REQUEST, 0x3b, 0x0d));
	KUNIT_EXPECT_EQ(test, vc_move(test, vc.a, 0, D0, ST + 2),
			T_CC(ILLEGAL_REQUEST, 0x3b, 0x0e));
	/* INVALID ELEMENT ADDRESS: source, destination, transport. */
	KUNIT_EXPECT_EQ(test, vc_move(test, vc.a, 0, ST + 4, ST + 3),
			T_CC(ILLEGAL_REQUEST, 0x21, 0x01));
	KUNIT_EXPECT_EQ(test, vc_move(test, vc.a, 0, ST, 0x0004),
			T_CC(ILLEGAL_REQUEST, 0x21, 0x01));
	KUNIT_EXPECT_EQ(test, vc_move(test, vc.a, 0, ST, IE + 2),
			T_CC(ILLEGAL_REQUEST, 0x21, 0x01));
	KUNIT_EXPECT_EQ(test, vc_move(test, vc.a, ST, ST, ST + 3),
			T_CC(ILLEGAL_REQUEST, 0x21, 0x01));
	KUNIT_EXPECT_EQ(test, vc_move(test, vc.a, 0, ST, MT),
			T_CC(ILLEGAL_REQUEST, 0x21, 0x01));
	/* A drive that is not there: DATA TRANSFER DEVICE REMOVED. */
	KUNIT_EXPECT_EQ(test, vc_move(test, vc.a, 0, ST, DG),
			T_CC(ILLEGAL_REQUEST, 0x3b, 0x1a));
	/* INVERT: no rotation. */
	scst_put_be16(cdb + 4, ST);
	scst_put_be16(cdb + 6, ST + 3);
	cdb[10] = 0x01;
	KUNIT_EXPECT_EQ(test, vc_cmd(test, vc.a, 0, cdb, 12, NULL, 0, NULL),
			T_CC(ILLEGAL_REQUEST, 0x24, 0));
	/* Nothing moved. */
	vc_expect_elem(test, ST, "A00001L5", -1);
	vc_expect_elem(test, ST + 1, "A00002L5", -1);
	vc_expect_elem(test, ST + 3, NULL, -1);
}

static void vc_move_drives(struct kunit *test)
{
	struct scst_device *d0 = scst_find_device("drive0");
	char bc[40] = "";

	KUNIT_EXPECT_EQ(test, vc_move(test, vc.a, 0, ST, D0), T_GOOD);
	KUNIT_EXPECT_TRUE(test, vtape_drive_loaded(d0, bc, sizeof(bc)));
	KUNIT_EXPECT_STREQ(test, bc, "A00001L5");
	vc_expect_elem(test, D0, "A00001L5", ST);
	vc_expect_elem(test, ST, NULL, -1);
	/* Into a full drive: DESTINATION FULL. */
	KUNIT_EXPECT_EQ(test, vc_move(test, vc.a, 0, ST + 1, D0),
			T_CC(ILLEGAL_REQUEST, 0x3b, 0x0d));
	/* Drive to drive. */
	KUNIT_EXPECT_EQ(test, vc_move(test, vc.a, 0, D0, D1), T_GOOD);
	KUNIT_EXPECT_FALSE(test, vc_drive_has("drive0", NULL));
	KUNIT_EXPECT_TRUE(test, vc_drive_has("drive1", "A00001L5"));
	vc_expect_elem(test, D0, NULL, -1);
	vc_expect_elem(test, D1, "A00001L5", D0);
	/* Removal prevented in the drive: MEDIUM REMOVAL PREVENTED. */
	vc_clear_ua(test, vc.a, 2);
	KUNIT_ASSERT_EQ(test, vc_prevent(test, vc.a, 2, 1), T_GOOD);
	KUNIT_EXPECT_EQ(test, vc_move(test, vc.a, 0, D1, ST + 2),
			T_CC(ILLEGAL_REQUEST, 0x53, 0x02));
	KUNIT_EXPECT_TRUE(test, vc_drive_has("drive1", "A00001L5"));
	KUNIT_ASSERT_EQ(test, vc_prevent(test, vc.a, 2, 0), T_GOOD);
	/* Out of the drive into a storage element. */
	KUNIT_EXPECT_EQ(test, vc_move(test, vc.a, 0, D1, ST + 2), T_GOOD);
	KUNIT_EXPECT_FALSE(test, vc_drive_has("drive1", NULL));
	vc_expect_elem(test, ST + 2, "A00001L5", D1);
	vc_expect_elem(test, D1, NULL, -1);
}

static int vc_quiet_lines;

/* A log sink for errors a case expects: counts them, prints nothing. */
static void vc_quiet_sink(enum scst_log_level lvl, const char *line)
{
	(void)lvl;
	(void)line;
	__atomic_add_fetch(&vc_quiet_lines, 1, __ATOMIC_RELAXED);
}

/* A cartridge whose file is not a cartridge: the drive refuses it, and
 * the cartridge stays where it was. */
static void vc_move_bad_cartridge(struct kunit *test)
{
	char path[160];
	uint32_t res;
	int fd;

	/* A file of zeros where A00002L5's cartridge was. */
	snprintf(path, sizeof(path), "%s/A00002L5", vc.media);
	unlink(path);
	fd = open(path, O_CREAT | O_WRONLY, 0600);
	KUNIT_ASSERT_GE(test, fd, 0);
	KUNIT_ASSERT_EQ(test, ftruncate(fd, 1 << 20), 0);
	close(fd);
	vc_quiet_lines = 0;
	scst_log_set_sink(vc_quiet_sink); /* the drive says why: expected */
	res = vc_move(test, vc.a, 0, ST + 1, D0);
	scst_log_set_sink(NULL);
	KUNIT_EXPECT_GT(test, vc_quiet_lines, 0);
	/* INCOMPATIBLE MEDIUM INSTALLED */
	KUNIT_EXPECT_EQ(test, res, T_CC(MEDIUM_ERROR, 0x30, 0));
	KUNIT_EXPECT_FALSE(test, vc_drive_has("drive0", NULL));
	vc_expect_elem(test, ST + 1, "A00002L5", -1);
	vc_expect_elem(test, D0, NULL, -1);
	/* Drive to drive: the cartridge goes back where it came from. */
	KUNIT_ASSERT_EQ(test, vc_move(test, vc.a, 0, ST, D1), T_GOOD);
	KUNIT_ASSERT_EQ(test, vc_move(test, vc.a, 0, D1, D0), T_GOOD);
	KUNIT_EXPECT_TRUE(test, vc_drive_has("drive0", "A00001L5"));
	vc_expect_elem(test, D0, "A00001L5", D1);
}

/* The drives' own cartridge attribute, and a drive that goes away. */
static void vc_drive_attribute(struct kunit *test)
{
	uint8_t *buf = kunit_kzalloc(test, VC_RES_MAX, GFP_KERNEL);
	const uint8_t *d;

	/* Unloaded through the drive: back to where it came from. */
	KUNIT_ASSERT_EQ(test, vc_move(test, vc.a, 0, ST, D0), T_GOOD);
	KUNIT_ASSERT_EQ(test, vc_w("/devices/drive0/cartridge", ""), 0);
	KUNIT_EXPECT_FALSE(test, vc_drive_has("drive0", NULL));
	vc_quiet_lines = 0;
	scst_log_set_sink(vc_quiet_sink); /* the changer says so: expected */
	vc_expect_elem(test, D0, NULL, -1);
	scst_log_set_sink(NULL);
	KUNIT_EXPECT_EQ(test, vc_quiet_lines, 1);
	vc_expect_elem(test, ST, "A00001L5", D0);
	/* Loaded through the drive: the changer finds it there when it
	 * looks (a command, or the operator's inventory). */
	KUNIT_ASSERT_EQ(test, vc_w("/devices/drive1/cartridge", "A00002L5"), 0);
	KUNIT_EXPECT_NOT_NULL(
	    test, strstr(t_tree_read(test, "/devices/lib0/elements"),
			 "0x0002 drive empty device=drive1\n"));
	KUNIT_ASSERT_EQ(test, vc_mgmt("vchanger", "inventory lib0"), 0);
	KUNIT_EXPECT_NOT_NULL(
	    test, strstr(t_tree_read(test, "/devices/lib0/elements"),
			 "0x0002 drive A00002L5 source=0x0401 "
			 "device=drive1\n"));
	vc_expect_elem(test, D1, "A00002L5", ST + 1);
	vc_expect_elem(test, ST + 1, NULL, -1);
	/* drive1 goes away: EXCEPT, still holding the cartridge. */
	KUNIT_ASSERT_EQ(test, vc_mgmt("vtape", "del_device drive1"), 0);
	vc_clear_ua(test, vc.a, 0); /* REPORTED LUNS DATA HAS CHANGED */
	KUNIT_ASSERT_EQ(
	    test, vc_res(test, vc.a, 4, true, false, D1, 1, 1000, buf, NULL),
	    T_GOOD);
	d = buf + 16;
	KUNIT_EXPECT_EQ(test, d[2], 0x05); /* EXCEPT FULL, no ACCESS */
	KUNIT_EXPECT_EQ(test, d[4], 0x3b);
	KUNIT_EXPECT_EQ(test, d[5], 0x1a);
	KUNIT_EXPECT_EQ(test, memcmp(d + 12, "A00002L5 ", 9), 0);
	KUNIT_EXPECT_NOT_NULL(
	    test, strstr(t_tree_read(test, "/devices/lib0/elements"),
			 "0x0002 drive A00002L5 source=0x0401 "
			 "device=drive1 missing put_back\n"));
	/* Back, empty: the changer puts the cartridge in again. */
	KUNIT_ASSERT_EQ(test, vc_add_drive("drive1"), 0);
	KUNIT_ASSERT_EQ(
	    test, vc_res(test, vc.a, 4, true, false, D1, 1, 1000, buf, NULL),
	    T_GOOD);
	T_WAIT(test, vc_drive_has("drive1", "A00002L5"), "the put-back");
	T_WAIT(test,
	       !strstr(t_tree_read(test, "/devices/lib0/elements"), "busy"),
	       "the put-back to end");
	KUNIT_ASSERT_EQ(
	    test, vc_res(test, vc.a, 4, true, false, D1, 1, 1000, buf, NULL),
	    T_GOOD);
	KUNIT_EXPECT_EQ(test, buf[16 + 2], 0x09); /* ACCESS FULL */
	KUNIT_EXPECT_EQ(test, buf[16 + 4], 0);
}

/* RESERVE(6) of a drive by one initiator: the other cannot move. */
static void vc_move_reserved(struct kunit *test)
{
	static const uint8_t reserve[6] = {RESERVE};
	static const uint8_t release[6] = {RELEASE};

	KUNIT_ASSERT_EQ(test, vc_cmd(test, vc.b, 1, reserve, 6, NULL, 0, NULL),
			T_GOOD);
	KUNIT_EXPECT_EQ(test, vc_move(test, vc.a, 0, ST, D0),
			(uint32_t)SAM_STAT_RESERVATION_CONFLICT << 24);
	KUNIT_EXPECT_FALSE(test, vc_drive_has("drive0", NULL));
	vc_expect_elem(test, ST, "A00001L5", -1);
	/* The holder may. */
	KUNIT_EXPECT_EQ(test, vc_move(test, vc.b, 0, ST, D0), T_GOOD);
	KUNIT_EXPECT_TRUE(test, vc_drive_has("drive0", "A00001L5"));
	/* Out of it: likewise. */
	KUNIT_EXPECT_EQ(test, vc_move(test, vc.a, 0, D0, ST),
			(uint32_t)SAM_STAT_RESERVATION_CONFLICT << 24);
	KUNIT_EXPECT_TRUE(test, vc_drive_has("drive0", "A00001L5"));
	/* Moves that touch no reserved drive go on. */
	KUNIT_EXPECT_EQ(test, vc_move(test, vc.a, 0, ST + 1, D1), T_GOOD);
	vc_clear_ua(test, vc.b, 1);
	KUNIT_ASSERT_EQ(test, vc_cmd(test, vc.b, 1, release, 6, NULL, 0, NULL),
			T_GOOD);
	KUNIT_EXPECT_EQ(test, vc_move(test, vc.a, 0, D0, ST), T_GOOD);
	KUNIT_EXPECT_FALSE(test, vc_drive_has("drive0", NULL));
}

static void vc_other_commands(struct kunit *test)
{
	uint8_t pos[10] = {POSITION_TO_ELEMENT};
	uint8_t ies[6] = {INITIALIZE_ELEMENT_STATUS};
	uint8_t iesr[10] = {INITIALIZE_ELEMENT_STATUS_WITH_RANGE, 0x01};
	uint8_t xchg[12] = {EXCHANGE_MEDIUM};
	uint8_t logs[10] = {LOG_SENSE};

	scst_put_be16(pos + 4, ST + 3);
	KUNIT_EXPECT_EQ(test, vc_cmd(test, vc.a, 0, pos, 10, NULL, 0, NULL),
			T_GOOD);
	scst_put_be16(pos + 4, 0x0700);
	KUNIT_EXPECT_EQ(test, vc_cmd(test, vc.a, 0, pos, 10, NULL, 0, NULL),
			T_CC(ILLEGAL_REQUEST, 0x21, 0x01));
	scst_put_be16(pos + 4, D0);
	pos[8] = 0x01; /* INVERT */
	KUNIT_EXPECT_EQ(test, vc_cmd(test, vc.a, 0, pos, 10, NULL, 0, NULL),
			T_CC(ILLEGAL_REQUEST, 0x24, 0));
	KUNIT_EXPECT_EQ(test, vc_cmd(test, vc.a, 0, ies, 6, NULL, 0, NULL),
			T_GOOD);
	scst_put_be16(iesr + 2, ST);
	scst_put_be16(iesr + 6, 4);
	KUNIT_EXPECT_EQ(test, vc_cmd(test, vc.a, 0, iesr, 10, NULL, 0, NULL),
			T_GOOD);
	scst_put_be16(iesr + 2, 0x0005);
	KUNIT_EXPECT_EQ(test, vc_cmd(test, vc.a, 0, iesr, 10, NULL, 0, NULL),
			T_CC(ILLEGAL_REQUEST, 0x21, 0x01));
	/* EXCHANGE MEDIUM and the rest: INVALID COMMAND OPERATION CODE. */
	scst_put_be16(xchg + 4, ST);
	scst_put_be16(xchg + 6, ST + 1);
	scst_put_be16(xchg + 8, ST);
	KUNIT_EXPECT_EQ(test, vc_cmd(test, vc.a, 0, xchg, 12, NULL, 0, NULL),
			T_CC(ILLEGAL_REQUEST, 0x20, 0));
	KUNIT_EXPECT_EQ(test, vc_cmd(test, vc.a, 0, logs, 10, NULL, 0, NULL),
			T_CC(ILLEGAL_REQUEST, 0x20, 0));
	vc_expect_elem(test, ST, "A00001L5", -1);
}

/* ------------------------------------------ the import/export door ---- */

static void vc_insert_remove(struct kunit *test)
{
	uint8_t *buf = kunit_kzalloc(test, VC_RES_MAX, GFP_KERNEL);
	const uint8_t *d;

	KUNIT_EXPECT_TRUE(test, vc_file_exists("A00001L5"));
	KUNIT_EXPECT_FALSE(test, vc_file_exists("B00009L5"));
	KUNIT_ASSERT_EQ(test, vc_mgmt("vchanger", "insert lib0 B00009L5"), 0);
	KUNIT_EXPECT_TRUE(test, vc_file_exists("B00009L5"));
	/* Every nexus: IMPORT OR EXPORT ELEMENT ACCESSED. */
	KUNIT_EXPECT_EQ(test, t_tur(test, vc.a, 0), T_UA(0x28, 0x01));
	KUNIT_EXPECT_EQ(test, t_tur(test, vc.a, 0), T_GOOD);
	KUNIT_EXPECT_EQ(test, t_tur(test, vc.b, 0), T_UA(0x28, 0x01));
	/* The drives are not concerned. */
	KUNIT_EXPECT_NE(test, t_tur(test, vc.b, 1) >> 16 & 0xff,
			(uint32_t)UNIT_ATTENTION);
	KUNIT_ASSERT_EQ(
	    test, vc_res(test, vc.a, 3, true, false, 0, 10, 1000, buf, NULL),
	    T_GOOD);
	d = buf + 16;
	KUNIT_EXPECT_EQ(test, d[2],
			0x3b); /* INENAB EXENAB ACCESS IMPEXP FULL */
	KUNIT_EXPECT_EQ(test, d[9], 0x01); /* no SVALID */
	KUNIT_EXPECT_EQ(test, memcmp(d + 12, "B00009L5 ", 9), 0);
	/* Already in the library; a bad barcode; a second one. */
	KUNIT_EXPECT_EQ(test, vc_mgmt("vchanger", "insert lib0 A00001L5"),
			-EEXIST);
	KUNIT_EXPECT_EQ(test, vc_mgmt("vchanger", "insert lib0 ../x"), -EINVAL);
	KUNIT_EXPECT_EQ(test, vc_mgmt("vchanger", "insert lib9 C1"), -ENOENT);
	KUNIT_ASSERT_EQ(test, vc_mgmt("vchanger", "insert lib0 C00001L5"), 0);
	KUNIT_EXPECT_EQ(test, vc_mgmt("vchanger", "insert lib0 C00002L5"),
			-ENOSPC);
	vc_clear_ua(test, vc.a, 0);
	vc_expect_elem(test, IE + 1, "C00001L5", -1);
	/* Into storage by the robot, then out again by the operator. */
	KUNIT_EXPECT_EQ(test, vc_move(test, vc.a, 0, IE, ST + 2), T_GOOD);
	KUNIT_EXPECT_EQ(test, vc_move(test, vc.a, 0, ST, IE), T_GOOD);
	vc_clear_ua(test, vc.a, 0);
	vc_clear_ua(test, vc.b, 0);
	KUNIT_ASSERT_EQ(
	    test, vc_res(test, vc.a, 3, true, false, 0, 10, 1000, buf, NULL),
	    T_GOOD);
	KUNIT_EXPECT_EQ(test, buf[16 + 2], 0x39); /* placed by the robot */
	KUNIT_EXPECT_EQ(test, vc_mgmt("vchanger", "remove lib0 B00009L5"),
			-EBUSY); /* in storage, not at the door */
	KUNIT_EXPECT_EQ(test, vc_mgmt("vchanger", "remove lib0 Z1"), -ENOENT);
	KUNIT_ASSERT_EQ(test, vc_mgmt("vchanger", "remove lib0 A00001L5"), 0);
	KUNIT_EXPECT_EQ(test, t_tur(test, vc.b, 0), T_UA(0x28, 0x01));
	vc_clear_ua(test, vc.a, 0);
	vc_expect_elem(test, IE, NULL, -1);
	/* The file stays: the cartridge is only out of the library. */
	KUNIT_EXPECT_TRUE(test, vc_file_exists("A00001L5"));
}

static void vc_door_prevent(struct kunit *test)
{
	struct tenv *e = t_env(test);
	unsigned int i;

	KUNIT_ASSERT_EQ(test, vc_prevent(test, vc.a, 0, 1), T_GOOD);
	KUNIT_EXPECT_EQ(test, vc_mgmt("vchanger", "insert lib0 B00009L5"),
			-EBUSY);
	KUNIT_EXPECT_FALSE(test, vc_file_exists("B00009L5"));
	/* The robot still reaches the door. */
	KUNIT_EXPECT_EQ(test, vc_move(test, vc.a, 0, ST, IE), T_GOOD);
	KUNIT_EXPECT_EQ(test, vc_mgmt("vchanger", "remove lib0 A00001L5"),
			-EBUSY);
	/* Locked while any nexus prevents. */
	KUNIT_ASSERT_EQ(test, vc_prevent(test, vc.b, 0, 1), T_GOOD);
	KUNIT_ASSERT_EQ(test, vc_prevent(test, vc.a, 0, 0), T_GOOD);
	KUNIT_EXPECT_EQ(test, vc_mgmt("vchanger", "remove lib0 A00001L5"),
			-EBUSY);
	KUNIT_ASSERT_EQ(test, vc_prevent(test, vc.b, 0, 0), T_GOOD);
	KUNIT_EXPECT_EQ(test, vc_mgmt("vchanger", "remove lib0 A00001L5"), 0);
	vc_clear_ua(test, vc.a, 0);
	vc_clear_ua(test, vc.b, 0);
	/* PREVENT 10b and 11b are not for changers. */
	KUNIT_EXPECT_EQ(test, vc_prevent(test, vc.a, 0, 2),
			T_CC(ILLEGAL_REQUEST, 0x24, 0));
	/* A prevention ends with its nexus. */
	KUNIT_ASSERT_EQ(test, vc_prevent(test, vc.a, 0, 1), T_GOOD);
	KUNIT_EXPECT_EQ(test, vc_mgmt("vchanger", "insert lib0 B00009L5"),
			-EBUSY);
	for (i = 0; i < T_NSESS; i++)
		if (e->sess[i] == vc.a)
			tenv_close(test, e, i);
	vc.a = NULL;
	KUNIT_EXPECT_EQ(test, vc_mgmt("vchanger", "insert lib0 B00009L5"), 0);
	vc_clear_ua(test, vc.b, 0);
	/* And with a LUN RESET. */
	KUNIT_ASSERT_EQ(test, vc_prevent(test, vc.b, 0, 1), T_GOOD);
	{
		struct scst_local_tmf t = {.fn = SCST_LUN_RESET, .lun = 0};

		KUNIT_ASSERT_EQ(test, scst_local_tmf_exec(vc.b, &t),
				SCST_MGMT_STATUS_SUCCESS);
	}
	KUNIT_EXPECT_EQ(test, vc_mgmt("vchanger", "remove lib0 B00009L5"), 0);
}

/* ------------------------------------------------------ persistence ---- */

static void vc_persist(struct kunit *test)
{
	KUNIT_ASSERT_EQ(test, vc_move(test, vc.a, 0, ST, ST + 3), T_GOOD);
	KUNIT_ASSERT_EQ(test, vc_mgmt("vchanger", "insert lib0 B00009L5"), 0);
	vc_clear_ua(test, vc.a, 0);
	KUNIT_ASSERT_EQ(test, vc_move(test, vc.a, 0, ST + 1, D0), T_GOOD);
	KUNIT_EXPECT_STREQ(test, vc_state_file(test),
			   "vchanger 1\n"
			   "0x0001 0x0401 - A00002L5\n"
			   "0x0200 - o B00009L5\n"
			   "0x0403 0x0400 - A00001L5\n");
	/* Deleted and made again: the state file wins over barcodes=. */
	KUNIT_ASSERT_EQ(test, vc_mgmt("vchanger", "del_device " VC_LIB), 0);
	KUNIT_ASSERT_EQ(test, vc_add_lib("X00001L5"), 0);
	vc_clear_ua(test, vc.a, 0);
	vc_expect_elem(test, ST, NULL, -1);
	vc_expect_elem(test, ST + 3, "A00001L5", ST);
	vc_expect_elem(test, IE, "B00009L5", -1);
	vc_expect_elem(test, D0, "A00002L5", ST + 1);
	KUNIT_EXPECT_FALSE(test, vc_file_exists("X00001L5"));
	/* The drive went away and came back empty: the changer puts the
	 * cartridge back. */
	KUNIT_ASSERT_EQ(test, vc_mgmt("vchanger", "del_device " VC_LIB), 0);
	KUNIT_ASSERT_EQ(test, vc_mgmt("vtape", "del_device drive0"), 0);
	KUNIT_ASSERT_EQ(test, vc_add_drive("drive0"), 0);
	KUNIT_EXPECT_FALSE(test, vc_drive_has("drive0", NULL));
	KUNIT_ASSERT_EQ(test, vc_add_lib("X00001L5"), 0);
	T_WAIT(test, vc_drive_has("drive0", "A00002L5"), "the put-back");
	vc_clear_ua(test, vc.a, 0);
	T_WAIT(test,
	       !strstr(t_tree_read(test, "/devices/lib0/elements"), "busy"),
	       "the put-back to end");
	vc_expect_elem(test, D0, "A00002L5", ST + 1);
	/* Out of the drive again; the file follows. */
	KUNIT_EXPECT_EQ(test, vc_move(test, vc.a, 0, D0, ST + 1), T_GOOD);
	KUNIT_EXPECT_NOT_NULL(
	    test, strstr(vc_state_file(test), "0x0401 0x0001 - A00002L5\n"));
}

/* A state file that is not one: add_device says so. */
static void vc_persist_bad_file(struct kunit *test)
{
	enum scst_log_level level;
	char path[160];
	int fd, rc;

	KUNIT_ASSERT_EQ(test, vc_mgmt("vchanger", "del_device " VC_LIB), 0);
	snprintf(path, sizeof(path), "%s/vchanger." VC_LIB, vc.state);
	fd = open(path, O_CREAT | O_TRUNC | O_WRONLY, 0600);
	KUNIT_ASSERT_GE(test, fd, 0);
	KUNIT_ASSERT_EQ(test, write(fd, "junk\n", 5), 5);
	close(fd);
	KUNIT_EXPECT_EQ(test, vc_add_lib("A00001L5"), -EINVAL);
	KUNIT_EXPECT_NOT_NULL(test, strstr(vc.res.msg, "not a vchanger state"));
	/* Elements the configuration lost go to storage; junk lines go. */
	fd = open(path, O_CREAT | O_TRUNC | O_WRONLY, 0600);
	KUNIT_ASSERT_GE(test, fd, 0);
	dprintf(fd, "vchanger 1\n0x0410 - - G00001L5\nnonsense\n"
		    "0x0401 - - G00002L5\n0x0402 - - G00002L5\n"
		    "0x0100 0x0002 - M00001L5\n");
	close(fd);
	level = scst_log_get_level();
	scst_log_set_level(SCST_LOG_ERR); /* the warnings are expected */
	rc = vc_add_lib("A00001L5");
	scst_log_set_level(level);
	KUNIT_ASSERT_EQ(test, rc, 0);
	vc_clear_ua(test, vc.a, 0);
	vc_expect_elem(test, ST, "G00001L5", 0x0410);
	vc_expect_elem(test, ST + 1, "G00002L5", -1);
	vc_expect_elem(test, ST + 2, NULL, -1);
	/* What failed loads left in the transport can be stored. */
	vc_expect_elem(test, MT, "M00001L5", D1);
	KUNIT_EXPECT_EQ(test, vc_move(test, vc.a, 0, MT, ST + 3), T_GOOD);
	vc_expect_elem(test, MT, NULL, -1);
	vc_expect_elem(test, ST + 3, "M00001L5", MT);
}

/* ----------------------------------------------------- mode pages ---- */

static void vc_mode_pages(struct kunit *test)
{
	uint8_t *buf = kunit_kzalloc(test, 256, GFP_KERNEL);
	uint8_t ms6[6] = {MODE_SENSE, 0x08, 0x1d, 0, 255, 0};
	uint8_t ms10[10] = {MODE_SENSE_10, 0, 0x3f, 0, 0, 0, 0, 1, 0, 0};
	static const uint8_t eaa[20] = {0x1d, 0x12, 0x01, 0x00, 0x00, 0x01,
					0x04, 0x00, 0x00, 0x04, 0x02, 0x00,
					0x00, 0x02, 0x00, 0x01, 0x00, 0x03};
	static const uint8_t caps[20] = {0x1f, 0x12, 0x0e, 0,
					 0x0e, 0x0e, 0x0e, 0x0e};
	uint8_t sel[4 + 20], msel[6] = {MODE_SELECT, 0x10, 0, 0, 24, 0};
	uint32_t got;

	/* MODE SENSE(6), DBD: header and page 1Dh. */
	KUNIT_ASSERT_EQ(test, vc_cmd(test, vc.a, 0, ms6, 6, buf, 255, &got),
			T_GOOD);
	KUNIT_EXPECT_EQ(test, got, 24u);
	KUNIT_EXPECT_EQ(test, buf[0], 23);
	KUNIT_EXPECT_EQ(test, buf[3], 0); /* no block descriptors */
	KUNIT_EXPECT_EQ(test, memcmp(buf + 4, eaa, 20), 0);
	/* DBD clear: still none. */
	ms6[1] = 0;
	KUNIT_ASSERT_EQ(test, vc_cmd(test, vc.a, 0, ms6, 6, buf, 255, &got),
			T_GOOD);
	KUNIT_EXPECT_EQ(test, buf[3], 0);
	KUNIT_EXPECT_EQ(test, got, 24u);
	/* MODE SENSE(10), all pages: 1Dh, 1Eh, 1Fh. */
	KUNIT_ASSERT_EQ(test, vc_cmd(test, vc.a, 0, ms10, 10, buf, 256, &got),
			T_GOOD);
	KUNIT_EXPECT_EQ(test, got, 8u + 20 + 4 + 20);
	KUNIT_EXPECT_EQ(test, scst_get_be16(buf), 8 + 20 + 4 + 20 - 2);
	KUNIT_EXPECT_EQ(test, scst_get_be16(buf + 6), 0);
	KUNIT_EXPECT_EQ(test, memcmp(buf + 8, eaa, 20), 0);
	KUNIT_EXPECT_EQ(test, buf[28], 0x1e);
	KUNIT_EXPECT_EQ(test, buf[29], 0x02);
	KUNIT_EXPECT_EQ(test, memcmp(buf + 32, caps, 20), 0);
	/* Changeable: nothing. */
	ms6[2] = 0x40 | 0x1f;
	KUNIT_ASSERT_EQ(test, vc_cmd(test, vc.a, 0, ms6, 6, buf, 255, &got),
			T_GOOD);
	KUNIT_EXPECT_EQ(test, buf[4], 0x1f);
	KUNIT_EXPECT_EQ(test, buf[6] | buf[8] | buf[11], 0);
	/* Saved values: SAVING PARAMETERS NOT SUPPORTED; unknown page. */
	ms6[2] = 0xc0 | 0x1d;
	KUNIT_EXPECT_EQ(test, vc_cmd(test, vc.a, 0, ms6, 6, buf, 255, NULL),
			T_CC(ILLEGAL_REQUEST, 0x39, 0));
	ms6[2] = 0x08;
	KUNIT_EXPECT_EQ(test, vc_cmd(test, vc.a, 0, ms6, 6, buf, 255, NULL),
			T_CC(ILLEGAL_REQUEST, 0x24, 0));

	/* MODE SELECT of the current page 1Dh: accepted. */
	memset(sel, 0, sizeof(sel));
	memcpy(sel + 4, eaa, 20);
	KUNIT_EXPECT_EQ(
	    test, vc_cmd_out(test, vc.a, 0, msel, 6, sel, sizeof(sel)), T_GOOD);
	/* A changed field: INVALID FIELD IN PARAMETER LIST. */
	sel[4 + 9] = 5;
	KUNIT_EXPECT_EQ(test,
			vc_cmd_out(test, vc.a, 0, msel, 6, sel, sizeof(sel)),
			T_CC(ILLEGAL_REQUEST, 0x26, 0));
	/* A block descriptor. */
	sel[4 + 9] = 4;
	sel[3] = 8;
	KUNIT_EXPECT_EQ(test,
			vc_cmd_out(test, vc.a, 0, msel, 6, sel, sizeof(sel)),
			T_CC(ILLEGAL_REQUEST, 0x26, 0));
	/* SP: nothing can be saved. */
	sel[3] = 0;
	msel[1] = 0x11;
	KUNIT_EXPECT_EQ(test,
			vc_cmd_out(test, vc.a, 0, msel, 6, sel, sizeof(sel)),
			T_CC(ILLEGAL_REQUEST, 0x24, 0));
}

/* --------------------------------------------------------- INQUIRY ---- */

static void vc_inquiry(struct kunit *test)
{
	uint8_t *buf = kunit_kzalloc(test, 256, GFP_KERNEL);
	uint8_t inq[6] = {INQUIRY, 0, 0, 0, 255, 0};
	uint8_t rsoc[12] = {MAINTENANCE_IN, MI_REPORT_SUPPORTED_OPCODES, 0x01,
			    MOVE_MEDIUM};
	uint32_t got;

	KUNIT_ASSERT_EQ(test, vc_cmd(test, vc.a, 0, inq, 6, buf, 255, &got),
			T_GOOD);
	KUNIT_EXPECT_EQ(test, buf[0], TYPE_MEDIUM_CHANGER);
	KUNIT_EXPECT_EQ(test, buf[1], 0x80); /* RMB */
	KUNIT_EXPECT_EQ(test, buf[2], 0x06);
	KUNIT_EXPECT_EQ(test, scst_get_be16(buf + 62), 0x0480); /* SMC-3 */
	/* VPD: the list, the serial number, the identifiers. */
	inq[1] = 1;
	KUNIT_ASSERT_EQ(test, vc_cmd(test, vc.a, 0, inq, 6, buf, 255, &got),
			T_GOOD);
	KUNIT_EXPECT_EQ(test, got, 7u);
	KUNIT_EXPECT_EQ(test, buf[0], TYPE_MEDIUM_CHANGER);
	KUNIT_EXPECT_EQ(test, memcmp(buf + 3, "\x03\x00\x80\x83", 4), 0);
	inq[2] = 0x80;
	KUNIT_ASSERT_EQ(test, vc_cmd(test, vc.a, 0, inq, 6, buf, 255, &got),
			T_GOOD);
	KUNIT_EXPECT_EQ(test, buf[3], 8);
	inq[2] = 0x83;
	KUNIT_ASSERT_EQ(test, vc_cmd(test, vc.a, 0, inq, 6, buf, 255, &got),
			T_GOOD);
	KUNIT_EXPECT_EQ(test, buf[4], 0x01); /* binary */
	KUNIT_EXPECT_EQ(test, buf[5], 0x03); /* NAA, LU */
	KUNIT_EXPECT_EQ(test, buf[8] >> 4, 6);
	KUNIT_EXPECT_EQ(test, buf[24], 0x02); /* ASCII */
	KUNIT_EXPECT_EQ(test, buf[25], 0x01); /* T10 vendor ID */
	KUNIT_EXPECT_EQ(test, memcmp(buf + 28 + 8, VC_LIB, 4), 0);
	inq[2] = 0xb0;
	KUNIT_EXPECT_EQ(test, vc_cmd(test, vc.a, 0, inq, 6, buf, 255, NULL),
			T_CC(ILLEGAL_REQUEST, 0x24, 0));
	/* REPORT SUPPORTED OPERATION CODES: MOVE MEDIUM yes, EXCHANGE no. */
	scst_put_be32(rsoc + 6, 64);
	KUNIT_ASSERT_EQ(test, vc_cmd(test, vc.a, 0, rsoc, 12, buf, 64, &got),
			T_GOOD);
	KUNIT_EXPECT_EQ(test, buf[1] & 0x07, 0x03);
	KUNIT_EXPECT_EQ(test, buf[4], MOVE_MEDIUM);
	rsoc[3] = EXCHANGE_MEDIUM;
	KUNIT_ASSERT_EQ(test, vc_cmd(test, vc.a, 0, rsoc, 12, buf, 64, &got),
			T_GOOD);
	KUNIT_EXPECT_EQ(test, buf[1] & 0x07, 0x01);
	rsoc[3] = READ_ELEMENT_STATUS;
	KUNIT_ASSERT_EQ(test, vc_cmd(test, vc.a, 0, rsoc, 12, buf, 64, &got),
			T_GOOD);
	KUNIT_EXPECT_EQ(test, buf[1] & 0x07, 0x03);
}

/* ------------------------------------------------------- attributes ---- */

static void vc_attributes(struct kunit *test)
{
	const char *el, *mgmt;
	char exp[256];

	snprintf(exp, sizeof(exp), "%s\n[key]\n", vc.media);
	KUNIT_EXPECT_STREQ(test, t_tree_read(test, "/devices/lib0/media_dir"),
			   exp);
	KUNIT_EXPECT_STREQ(test, t_tree_read(test, "/devices/lib0/drives"),
			   "drive0,drive1,ghost\n[key]\n");
	KUNIT_EXPECT_STREQ(test, t_tree_read(test, "/devices/lib0/slots"),
			   "4\n[key]\n");
	KUNIT_EXPECT_STREQ(test, t_tree_read(test, "/devices/lib0/ie_slots"),
			   "2\n[key]\n");
	KUNIT_EXPECT_STREQ(test, t_tree_read(test, "/devices/lib0/capacity"),
			   "1G\n");
	KUNIT_EXPECT_STREQ(test, t_tree_read(test, "/devices/lib0/barcodes"),
			   "A00001L5,A00002L5\n[key]\n");
	KUNIT_ASSERT_EQ(test, vc_move(test, vc.a, 0, ST + 1, D1), T_GOOD);
	el = t_tree_read(test, "/devices/lib0/elements");
	KUNIT_EXPECT_STREQ(test, el,
			   "0x0001 drive empty device=drive0\n"
			   "0x0002 drive A00002L5 source=0x0401 device=drive1\n"
			   "0x0003 drive empty device=ghost missing\n"
			   "0x0100 transport empty\n"
			   "0x0200-0x0201 import_export empty\n"
			   "0x0400 storage A00001L5\n"
			   "0x0401-0x0403 storage empty\n");
	mgmt = t_tree_read(test, "/handlers/vchanger/mgmt");
	KUNIT_EXPECT_NOT_NULL(test, strstr(mgmt, "insert DEVICE BARCODE"));
	KUNIT_EXPECT_NOT_NULL(test, strstr(mgmt, "remove DEVICE BARCODE"));
	KUNIT_EXPECT_NOT_NULL(test, strstr(mgmt, "inventory DEVICE"));
	KUNIT_EXPECT_NOT_NULL(test, strstr(mgmt, "media_dir, drives, slots"));
	/* Bad parameters. */
	KUNIT_EXPECT_EQ(
	    test, vc_mgmt("vchanger", "add_device lib1 media_dir=%s", vc.media),
	    -EINVAL);
	KUNIT_EXPECT_EQ(test,
			vc_mgmt("vchanger",
				"add_device lib1 media_dir=%s; slots=1; "
				"barcodes=A1,A2",
				vc.media),
			-EINVAL);
	KUNIT_EXPECT_EQ(test,
			vc_mgmt("vchanger",
				"add_device lib1 media_dir=%s; slots=2; "
				"capacity=12Q",
				vc.media),
			-EINVAL);
	KUNIT_EXPECT_EQ(
	    test, vc_mgmt("vchanger", "add_device lib1 media_dir=rel; slots=2"),
	    -EINVAL);
	KUNIT_EXPECT_EQ(test,
			vc_mgmt("vchanger",
				"add_device lib1 media_dir=%s; slots=2; "
				"drives=d,d",
				vc.media),
			-EINVAL);
	KUNIT_EXPECT_NULL(test, scst_find_device("lib1"));
	KUNIT_ASSERT_EQ(test,
			vc_mgmt("vchanger",
				"add_device lib1 media_dir=%s; slots=2; "
				"ie_slots=0; capacity=64M",
				vc.media),
			0);
	KUNIT_EXPECT_STREQ(test, t_tree_read(test, "/devices/lib1/capacity"),
			   "64M\n[key]\n");
	KUNIT_EXPECT_STREQ(test, t_tree_read(test, "/devices/lib1/drives"),
			   "\n");
	KUNIT_EXPECT_EQ(test, vc_mgmt("vchanger", "insert lib1 Q1"), -ENOSPC);
	KUNIT_EXPECT_EQ(test, vc_mgmt("vchanger", "del_device lib1"), 0);
	/* The largest library the address map holds (lib1 has a state file
	 * now: its barcodes would not count). */
	KUNIT_EXPECT_EQ(test,
			vc_mgmt("vchanger",
				"add_device lib2 media_dir=%s; slots=64513",
				vc.media),
			-EINVAL);
	KUNIT_ASSERT_EQ(test,
			vc_mgmt("vchanger",
				"add_device lib2 media_dir=%s; slots=64512; "
				"ie_slots=512; barcodes=Y1",
				vc.media),
			0);
	KUNIT_EXPECT_STREQ(test, t_tree_read(test, "/devices/lib2/elements"),
			   "0x0100 transport empty\n"
			   "0x0200-0x03ff import_export empty\n"
			   "0x0400 storage Y1\n"
			   "0x0401-0xffff storage empty\n");
	{
		uint8_t cdb[12] = {
		    READ_ELEMENT_STATUS, 0x10, 0, 0, 0xff, 0xff, 0, 0, 0, 8};
		uint8_t hdr[8];

		KUNIT_ASSERT_EQ(test, vc_map("lib2", 3), 0);
		vc_clear_ua(test, vc.a, 3);
		KUNIT_ASSERT_EQ(
		    test, vc_cmd(test, vc.a, 3, cdb, 12, hdr, 8, NULL), T_GOOD);
		KUNIT_EXPECT_EQ(test, scst_get_be16(hdr), MT);
		KUNIT_EXPECT_EQ(test, scst_get_be16(hdr + 2), 1 + 512 + 64512);
		KUNIT_EXPECT_EQ(test, scst_get_be24(hdr + 5),
				3u * 8 + (1 + 512 + 64512) * VC_DESC);
	}
	KUNIT_EXPECT_EQ(test, vc_mgmt("vchanger", "del_device lib2"), 0);
}

static struct kunit_case vchanger_test_cases[] = {
    KUNIT_CASE(vc_res_layout),
    KUNIT_CASE(vc_res_select),
    KUNIT_CASE(vc_res_truncated),
    KUNIT_CASE(vc_res_dvcid),
    KUNIT_CASE(vc_move_storage),
    KUNIT_CASE(vc_move_errors),
    KUNIT_CASE(vc_move_drives),
    KUNIT_CASE(vc_move_bad_cartridge),
    KUNIT_CASE(vc_drive_attribute),
    KUNIT_CASE(vc_move_reserved),
    KUNIT_CASE(vc_other_commands),
    KUNIT_CASE(vc_insert_remove),
    KUNIT_CASE(vc_door_prevent),
    KUNIT_CASE(vc_persist),
    KUNIT_CASE(vc_persist_bad_file),
    KUNIT_CASE(vc_mode_pages),
    KUNIT_CASE(vc_inquiry),
    KUNIT_CASE(vc_attributes),
    {},
};

static struct kunit_suite vchanger_test_suite = {
    .name = "vchanger",
    .init = vchanger_init,
    .exit = vchanger_exit,
    .test_cases = vchanger_test_cases,
};
kunit_test_suite(vchanger_test_suite);
