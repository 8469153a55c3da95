// SPDX-License-Identifier: GPL-2.0-only
/*
 * Unit tests of explicit ALUA: SET TARGET PORT GROUPS (SPC-4 6.36,
 * scst/src/scst_alua.c) through scst_local sessions on three targets ta,
 * tb, tc, each with the vdisk_fileio device f0 at LUN 0, and the vdisk
 * attribute expl_alua that allows it:
 *  - refused (INVALID FIELD IN CDB at the service action) outside a device
 *    group and with expl_alua 0; TPGS 00b, 01b, 11b accordingly, and
 *    INQUIRY DATA HAS CHANGED when expl_alua changes TPGS;
 *  - one group and two groups changed: RTPG state and STATUS CODE 01h, the
 *    tree's state attribute, ASYMMETRIC ACCESS STATE CHANGED on every
 *    other I_T nexus and not on the requester's; allowed through a
 *    standby port;
 *  - each invalid parameter list with its sense and field pointer, and
 *    nothing changed;
 *  - atomicity: one bad descriptor after good ones changes no group;
 *  - the reservation table: a Write Exclusive reservation of another
 *    nexus makes it conflict.
 */
#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>

#include "scst_tree_fixture.h"
#include "dev_handlers/vdisk/vdisk_module.h"

#define SP_DG	"/device_groups/dg"
#define SP_TGS	SP_DG "/target_groups"
#define SP_EXPL "/devices/f0/expl_alua"

#define SP_INV_CDB  TT_CC(ILLEGAL_REQUEST, 0x24, 0x00)
#define SP_INV_PARM TT_CC(ILLEGAL_REQUEST, 0x26, 0x00)
#define SP_LEN_ERR  TT_CC(ILLEGAL_REQUEST, 0x1a, 0x00)
#define SP_CHANGED  TT_UA(0x2a, 0x06)

struct sp_env {
	struct tt_env tt; /* first: the fixture's helpers use it */
	struct scst_tgt *tgt[3];
	char file[64];
};

static const struct scst_module *const sp_mods[] = {&vdisk_module,
						    &scst_local_module};
static const char *const sp_tgt_names[3] = {"ta", "tb", "tc"};

static void sp_down(struct kunit *test)
{
	struct sp_env *e = test->priv;

	tt_down(test);
	if (e && e->file[0])
		unlink(e->file);
}

/* The core, vdisk and scst_local; ta, tb, tc; f0 at LUN 0 of each. */
static int sp_up(struct kunit *test)
{
	struct sp_env *e;
	char cmd[128], path[128];
	unsigned int i;
	int rc, fd;

	e = kunit_kzalloc(test, sizeof(*e), GFP_KERNEL);
	if (!e)
		return -ENOMEM;
	test->priv = e;
	snprintf(e->file, sizeof(e->file), "/dev/shm/scst_stpg.XXXXXX");
	fd = mkstemp(e->file);
	if (fd < 0 || ftruncate(fd, 8 << 20)) {
		if (fd >= 0)
			close(fd);
		e->file[0] = '\0';
		return -EIO;
	}
	close(fd);
	rc = t_engine_up(&e->tt.eng, sp_mods, 2, SCST_LOG_WARN);
	for (i = 0; !rc && i < 3; i++)
		rc = scst_local_add_target(sp_tgt_names[i], &e->tgt[i]);
	snprintf(cmd, sizeof(cmd), "add_device f0 filename=%s", e->file);
	if (!rc)
		rc = tt_w(test, "/handlers/vdisk_fileio/mgmt", cmd);
	for (i = 0; !rc && i < 3; i++) {
		snprintf(path, sizeof(path), "/targets/scst_local/%s/luns/mgmt",
			 sp_tgt_names[i]);
		rc = tt_w(test, path, "add f0 0");
	}
	if (rc) {
		kunit_info(test, "bring-up: %d %s", rc, tt_msg(test));
		sp_down(test);
	}
	return rc;
}

/* Pop every pending unit attention of LUN 0 with REQUEST SENSE. */
static unsigned int sp_drain(struct kunit *test, struct scst_local_sess *s)
{
	uint8_t cdb[6] = {REQUEST_SENSE, 0, 0, 0, 252, 0}, buf[252];
	struct scst_local_req r;
	unsigned int n;

	for (n = 0; n < 20; n++) {
		KUNIT_ASSERT_EQ(test, tt_exec(test, s, 0, cdb, 6, &r, buf, 252),
				TT_GOOD);
		if (r.data_in_len < 14 || (buf[2] & 0x0f) == NO_SENSE)
			return n;
	}
	KUNIT_FAIL(test, "LUN 0 keeps reporting unit attentions");
	return n;
}

static struct scst_local_sess *sp_sess(struct kunit *test, unsigned int t,
				       const char *ini)
{
	struct sp_env *e = test->priv;
	struct scst_local_sess *s = tt_open(test, e->tgt[t], ini);

	sp_drain(test, s);
	return s;
}

static void sp_tg_w(struct kunit *test, const char *tg, const char *leaf,
		    const char *val)
{
	char p[256];

	snprintf(p, sizeof(p), SP_TGS "/%s/%s", tg, leaf);
	TT_WOK(test, p, val);
}

static const char *sp_tg_r(struct kunit *test, const char *tg, const char *leaf)
{
	char p[256];

	snprintf(p, sizeof(p), SP_TGS "/%s/%s", tg, leaf);
	return tt_r(test, p);
}

/*
 * Device group dg with f0 and target groups A (ta, id 1, active), B (tb,
 * id 2, standby), C (tc, id 3, active).
 */
static void sp_groups(struct kunit *test)
{
	static const char *const names[3] = {"A", "B", "C"};
	char v[32];
	unsigned int i;

	TT_WOK(test, "/device_groups/mgmt", "create dg");
	TT_WOK(test, SP_DG "/devices/mgmt", "add f0");
	for (i = 0; i < 3; i++) {
		snprintf(v, sizeof(v), "create %s", names[i]);
		TT_WOK(test, SP_TGS "/mgmt", v);
		snprintf(v, sizeof(v), "%u", i + 1);
		sp_tg_w(test, names[i], "group_id", v);
		snprintf(v, sizeof(v), "add %s", sp_tgt_names[i]);
		sp_tg_w(test, names[i], "mgmt", v);
	}
	sp_tg_w(test, "B", "state", "standby");
}

/*
 * SET TARGET PORT GROUPS with @n descriptors {state code, group id} and a
 * PARAMETER LIST LENGTH of @plen (< 0: 4 + 4 * n). The sense goes to @r.
 */
static uint32_t sp_stpg(struct kunit *test, struct scst_local_sess *s,
			const uint16_t (*d)[2], unsigned int n, int plen,
			struct scst_local_req *r)
{
	uint8_t cdb[12] = {MAINTENANCE_OUT, MO_SET_TARGET_PGS}, list[64];
	uint32_t len = plen < 0 ? 4 + 4 * n : (uint32_t)plen;
	unsigned int i;

	KUNIT_ASSERT_LE(test, 4 + 4 * n, sizeof(list));
	memset(list, 0, sizeof(list));
	for (i = 0; i < n; i++) {
		list[4 + 4 * i] = (uint8_t)d[i][0];
		scst_put_be16(list + 4 + 4 * i + 2, d[i][1]);
	}
	scst_put_be32(cdb + 6, len);
	memset(r, 0, sizeof(*r));
	r->lun = 0;
	memcpy(r->cdb, cdb, sizeof(cdb));
	r->cdb_len = sizeof(cdb);
	r->exp_set = true;
	r->exp_dir = SCST_DATA_WRITE;
	r->exp_len = len;
	r->data_out = list;
	r->data_out_len = len < sizeof(list) ? len : sizeof(list);
	KUNIT_ASSERT_EQ(test, scst_local_exec(s, r), 0);
	return tt_result(r);
}

/* The sense-key specific field pointer of fixed sense data. */
static void sp_expect_field(struct kunit *test, const struct scst_local_req *r,
			    bool cdb, unsigned int byte, int bit)
{
	uint8_t b15 =
	    (uint8_t)(0x80 | (cdb ? 0x40 : 0) | (bit >= 0 ? 0x08 | bit : 0));

	KUNIT_ASSERT_GE(test, r->sense_len, 18u);
	KUNIT_EXPECT_EQ(test, r->sense[15], b15);
	KUNIT_EXPECT_EQ(test, scst_get_be16(r->sense + 16), byte);
}

/* REPORT TARGET PORT GROUPS: state code and STATUS CODE of group @id. */
static void sp_rtpg(struct kunit *test, struct scst_local_sess *s, uint16_t id,
		    uint8_t *state, uint8_t *status)
{
	uint8_t cdb[12] = {MAINTENANCE_IN, MI_REPORT_TARGET_PGS}, buf[256];
	struct scst_local_req r;
	uint32_t off, end;

	*state = *status = 0xff;
	scst_put_be32(cdb + 6, sizeof(buf));
	KUNIT_ASSERT_EQ(
	    test, tt_exec(test, s, 0, cdb, 12, &r, buf, sizeof(buf)), TT_GOOD);
	end = 4 + scst_get_be32(buf);
	for (off = 4; off + 8 <= end && off + 8 <= r.data_in_len;
	     off += 8 + 4 * buf[off + 7]) {
		if (scst_get_be16(buf + off + 2) != id)
			continue;
		*state = buf[off] & 0x0f;
		*status = buf[off + 5];
		return;
	}
	KUNIT_FAIL(test, "RTPG has no group %u", id);
}

#define SP_EXPECT_TG(test, s, id, st, stat)                                    \
	do {                                                                   \
		uint8_t st__, stat__;                                          \
		sp_rtpg(test, s, id, &st__, &stat__);                          \
		KUNIT_EXPECT_EQ_MSG(test, st__, st, "group %u state", id);     \
		KUNIT_EXPECT_EQ_MSG(test, stat__, stat, "group %u status",     \
				    id);                                       \
	} while (0)

static uint8_t sp_tpgs(struct kunit *test, struct scst_local_sess *s)
{
	uint8_t buf[96];

	KUNIT_EXPECT_EQ(test, tt_inquiry(test, s, 0, buf, NULL), TT_GOOD);
	return (buf[5] >> 4) & 3;
}

/* ------------------------------------------------------------ cases ---- */

static void stpg_refused(struct kunit *test)
{
	static const uint16_t d[1][2] = {{0x0, 1}};
	struct scst_local_sess *sa = sp_sess(test, 0, "ini-a");
	struct scst_local_req r;

	/* expl_alua: 0 by default, not key; SCST's names. */
	KUNIT_EXPECT_STREQ(test, tt_r(test, SP_EXPL), "0\n");
	/* In no device group: TPGS 00b, even with expl_alua 1. */
	TT_WOK(test, SP_EXPL, "1");
	KUNIT_EXPECT_STREQ(test, tt_r(test, SP_EXPL), "1\n[key]\n");
	KUNIT_EXPECT_EQ(test, sp_tpgs(test, sa), 0);
	KUNIT_EXPECT_EQ(test, tt_tur(test, sa, 0), TT_GOOD); /* no UA */
	KUNIT_EXPECT_EQ(test, sp_stpg(test, sa, d, 1, -1, &r), SP_INV_CDB);
	sp_expect_field(test, &r, true, 1, 4);
	TT_WOK(test, SP_EXPL, "0");
	TT_WERR(test, SP_EXPL, "2", -EINVAL, "expl_alua: '2' is not 0 or 1");

	/* In a device group with expl_alua 0: TPGS 01b, still refused. */
	sp_groups(test);
	sp_drain(test, sa);
	KUNIT_EXPECT_EQ(test, sp_tpgs(test, sa), 1);
	KUNIT_EXPECT_EQ(test, sp_stpg(test, sa, d, 1, -1, &r), SP_INV_CDB);
	sp_expect_field(test, &r, true, 1, 4);
	/* ... whatever the parameter list. */
	KUNIT_EXPECT_EQ(test, sp_stpg(test, sa, d, 0, 2, &r), SP_INV_CDB);

	/* expl_alua 1: TPGS 11b, and the nexus learns that INQUIRY changed. */
	TT_WOK(test, SP_EXPL, "1");
	KUNIT_EXPECT_EQ(test, tt_tur(test, sa, 0), TT_UA(0x3f, 0x03));
	KUNIT_EXPECT_EQ(test, tt_tur(test, sa, 0), TT_GOOD);
	KUNIT_EXPECT_EQ(test, sp_tpgs(test, sa), 3);
	KUNIT_EXPECT_EQ(test, sp_stpg(test, sa, d, 1, -1, &r), TT_GOOD);
	/* Writing the same value again raises nothing. */
	TT_WOK(test, SP_EXPL, "1");
	KUNIT_EXPECT_EQ(test, tt_tur(test, sa, 0), TT_GOOD);
	/* Back to 0: 01b again, refused again. */
	TT_WOK(test, SP_EXPL, "0");
	KUNIT_EXPECT_EQ(test, tt_tur(test, sa, 0), TT_UA(0x3f, 0x03));
	KUNIT_EXPECT_EQ(test, sp_tpgs(test, sa), 1);
	KUNIT_EXPECT_EQ(test, sp_stpg(test, sa, d, 1, -1, &r), SP_INV_CDB);
}

static void stpg_one_group(struct kunit *test)
{
	static const uint16_t b_active[1][2] = {{0x0, 2}};
	static const uint16_t a_active[1][2] = {{0x0, 1}};
	struct scst_local_sess *sa, *sb, *sc;
	struct scst_local_req r;

	sp_groups(test);
	TT_WOK(test, SP_EXPL, "1");
	sa = sp_sess(test, 0, "ini-a");
	sb = sp_sess(test, 1, "ini-b");
	sc = sp_sess(test, 2, "ini-c");
	SP_EXPECT_TG(test, sa, 2, 0x2, 0x02); /* set in the tree: implicit */
	KUNIT_EXPECT_EQ(test, tt_rw10(test, sb, 0, READ_10, 0, 1, 512),
			TT_CC(NOT_READY, 0x04, 0x0b));

	/* Through ta: B (tb) becomes active/optimized. */
	KUNIT_EXPECT_EQ(test, sp_stpg(test, sa, b_active, 1, -1, &r), TT_GOOD);
	KUNIT_EXPECT_STREQ(test, sp_tg_r(test, "B", "state"),
			   "active\n"); /* the default: not key */
	/* Every other I_T nexus learns it; the requester does not. */
	KUNIT_EXPECT_EQ(test, tt_tur(test, sa, 0), TT_GOOD);
	KUNIT_EXPECT_EQ(test, tt_rw10(test, sb, 0, READ_10, 0, 1, 512),
			SP_CHANGED);
	KUNIT_EXPECT_EQ(test, tt_rw10(test, sb, 0, READ_10, 0, 1, 512),
			TT_GOOD);
	KUNIT_EXPECT_EQ(test, tt_tur(test, sc, 0), SP_CHANGED);
	KUNIT_EXPECT_EQ(test, tt_tur(test, sc, 0), TT_GOOD);
	/* RTPG: B altered by SET TARGET PORT GROUPS; A and C untouched. */
	SP_EXPECT_TG(test, sa, 2, 0x0, 0x01);
	SP_EXPECT_TG(test, sb, 1, 0x0, 0x00);
	SP_EXPECT_TG(test, sc, 3, 0x0, 0x00);

	/* Asking for the state a group has changes nothing. */
	KUNIT_EXPECT_EQ(test, sp_stpg(test, sb, a_active, 1, -1, &r), TT_GOOD);
	KUNIT_EXPECT_EQ(test, tt_tur(test, sa, 0), TT_GOOD);
	KUNIT_EXPECT_EQ(test, tt_tur(test, sc, 0), TT_GOOD);
	SP_EXPECT_TG(test, sa, 1, 0x0, 0x00);
	/* A parameter list of 0 or of the header alone: nothing to do. */
	KUNIT_EXPECT_EQ(test, sp_stpg(test, sb, a_active, 0, 0, &r), TT_GOOD);
	KUNIT_EXPECT_EQ(test, sp_stpg(test, sb, a_active, 0, 4, &r), TT_GOOD);
	KUNIT_EXPECT_EQ(test, tt_tur(test, sa, 0), TT_GOOD);

	/* A later change in the tree is implicit again (status 02h). */
	sp_tg_w(test, "B", "state", "nonoptimized");
	KUNIT_EXPECT_EQ(test, tt_tur(test, sa, 0), SP_CHANGED);
	SP_EXPECT_TG(test, sa, 2, 0x1, 0x02);
}

static void stpg_two_groups(struct kunit *test)
{
	/* A standby, B active, in one command. */
	static const uint16_t swap[2][2] = {{0x2, 1}, {0x0, 2}};
	static const uint16_t a_unavail[1][2] = {{0x3, 1}};
	static const uint16_t a_nonopt[1][2] = {{0x1, 1}};
	struct scst_local_sess *sa, *sb, *sc, *sb2;
	struct scst_local_req r;

	sp_groups(test);
	TT_WOK(test, SP_EXPL, "1");
	sa = sp_sess(test, 0, "ini-a");
	sb = sp_sess(test, 1, "ini-b");
	sb2 = sp_sess(test, 1, "ini-b2"); /* another I_T nexus through tb */
	sc = sp_sess(test, 2, "ini-c");

	/* Through the standby port tb (the state table allows it). */
	KUNIT_EXPECT_EQ(test, sp_stpg(test, sb, swap, 2, -1, &r), TT_GOOD);
	KUNIT_EXPECT_STREQ(test, sp_tg_r(test, "A", "state"),
			   "standby\n[key]\n");
	KUNIT_EXPECT_STREQ(test, sp_tg_r(test, "B", "state"), "active\n");
	SP_EXPECT_TG(test, sb, 1, 0x2, 0x01);
	SP_EXPECT_TG(test, sb, 2, 0x0, 0x01);
	SP_EXPECT_TG(test, sb, 3, 0x0, 0x00);
	KUNIT_EXPECT_EQ(test, tt_tur(test, sb, 0), TT_GOOD);
	KUNIT_EXPECT_EQ(test, tt_rw10(test, sb, 0, READ_10, 0, 1, 512),
			TT_GOOD);
	/* One unit attention per nexus, even for two groups. */
	KUNIT_EXPECT_EQ(test, tt_rw10(test, sa, 0, READ_10, 0, 1, 512),
			SP_CHANGED);
	KUNIT_EXPECT_EQ(test, tt_rw10(test, sa, 0, READ_10, 0, 1, 512),
			TT_CC(NOT_READY, 0x04, 0x0b));
	KUNIT_EXPECT_EQ(test, tt_tur(test, sb2, 0), SP_CHANGED);
	KUNIT_EXPECT_EQ(test, tt_tur(test, sb2, 0), TT_GOOD);
	KUNIT_EXPECT_EQ(test, tt_tur(test, sc, 0), SP_CHANGED);
	KUNIT_EXPECT_EQ(test, tt_tur(test, sc, 0), TT_GOOD);

	/* Through the standby port ta: A becomes unavailable ... */
	KUNIT_EXPECT_EQ(test, sp_stpg(test, sa, a_unavail, 1, -1, &r), TT_GOOD);
	KUNIT_EXPECT_EQ(test, tt_rw10(test, sa, 0, READ_10, 0, 1, 512),
			TT_CC(NOT_READY, 0x04, 0x0c));
	KUNIT_EXPECT_STREQ(test, sp_tg_r(test, "A", "state"),
			   "unavailable\n[key]\n");
	sp_drain(test, sb);
	/* ... and through the unavailable port, active/non-optimized. */
	KUNIT_EXPECT_EQ(test, sp_stpg(test, sa, a_nonopt, 1, -1, &r), TT_GOOD);
	KUNIT_EXPECT_EQ(test, tt_rw10(test, sa, 0, READ_10, 0, 1, 512),
			TT_GOOD);
	KUNIT_EXPECT_EQ(test, tt_tur(test, sb, 0), SP_CHANGED);
	SP_EXPECT_TG(test, sb, 1, 0x1, 0x01);
}

/* Each bad parameter list: its sense, its field pointer, nothing changed. */
static void stpg_param_errors(struct kunit *test)
{
	static const struct {
		const char *what;
		uint16_t d[2][2];
		unsigned int n;
		int plen;
		uint32_t want;
		unsigned int byte;
		int bit;
	} cases[] = {
	    {"length 2", {{0x0, 2}}, 1, 2, SP_LEN_ERR, 0, -2},
	    {"length 3", {{0x0, 2}}, 1, 3, SP_LEN_ERR, 0, -2},
	    {"length 6", {{0x0, 2}}, 1, 6, SP_LEN_ERR, 0, -2},
	    {"length 11", {{0x0, 2}, {0x0, 3}}, 2, 11, SP_LEN_ERR, 0, -2},
	    {"offline", {{0xe, 2}}, 1, -1, SP_INV_PARM, 4, 3},
	    {"transitioning", {{0xf, 2}}, 1, -1, SP_INV_PARM, 4, 3},
	    {"logical block dependent", {{0x4, 2}}, 1, -1, SP_INV_PARM, 4, 3},
	    {"reserved state 7h", {{0x7, 2}}, 1, -1, SP_INV_PARM, 4, 3},
	    {"unknown group", {{0x0, 0x99}}, 1, -1, SP_INV_PARM, 6, 7},
	    {"group id 0", {{0x0, 0}}, 1, -1, SP_INV_PARM, 6, 7},
	    {"group twice", {{0x0, 2}, {0x1, 2}}, 2, -1, SP_INV_PARM, 10, 7},
	    {"bad state second",
	     {{0x0, 2}, {0xe, 3}},
	     2,
	     -1,
	     SP_INV_PARM,
	     8,
	     3},
	};
	struct scst_local_sess *sa, *sb;
	struct scst_local_req r;
	unsigned int i;
	uint32_t got;

	sp_groups(test);
	TT_WOK(test, SP_EXPL, "1");
	sa = sp_sess(test, 0, "ini-a");
	sb = sp_sess(test, 1, "ini-b");
	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		got = sp_stpg(test, sa, cases[i].d, cases[i].n, cases[i].plen,
			      &r);
		KUNIT_EXPECT_EQ_MSG(test, got, cases[i].want, "%s: got %#x",
				    cases[i].what, got);
		if (cases[i].bit > -2)
			sp_expect_field(test, &r, false, cases[i].byte,
					cases[i].bit);
		/* PARAMETER LIST LENGTH ERROR has no field pointer. */
		else
			KUNIT_EXPECT_EQ_MSG(test, r.sense[15] & 0x80, 0, "%s",
					    cases[i].what);
		/* Nothing changed, nobody told. */
		KUNIT_EXPECT_STREQ_MSG(test, sp_tg_r(test, "B", "state"),
				       "standby\n[key]\n", "%s", cases[i].what);
		KUNIT_EXPECT_EQ_MSG(test, tt_tur(test, sb, 0),
				    TT_CC(NOT_READY, 0x04, 0x0b), "%s",
				    cases[i].what);
	}
	SP_EXPECT_TG(test, sa, 2, 0x2, 0x02);
	SP_EXPECT_TG(test, sa, 3, 0x0, 0x00);
}

/* Good descriptors before a bad one: no group changes. */
static void stpg_atomic(struct kunit *test)
{
	static const uint16_t bad_last[3][2] = {
	    {0x1, 1}, {0x0, 2}, {0x2, 0x77}};
	static const uint16_t good[3][2] = {{0x1, 1}, {0x0, 2}, {0x3, 3}};
	struct scst_local_sess *sa, *sb, *sc;
	struct scst_local_req r;

	sp_groups(test);
	TT_WOK(test, SP_EXPL, "1");
	sa = sp_sess(test, 0, "ini-a");
	sb = sp_sess(test, 1, "ini-b");
	sc = sp_sess(test, 2, "ini-c");
	KUNIT_EXPECT_EQ(test, sp_stpg(test, sa, bad_last, 3, -1, &r),
			SP_INV_PARM);
	sp_expect_field(test, &r, false, 14, 7);
	KUNIT_EXPECT_STREQ(test, sp_tg_r(test, "A", "state"), "active\n");
	KUNIT_EXPECT_STREQ(test, sp_tg_r(test, "B", "state"),
			   "standby\n[key]\n");
	KUNIT_EXPECT_STREQ(test, sp_tg_r(test, "C", "state"), "active\n");
	SP_EXPECT_TG(test, sa, 1, 0x0, 0x00);
	SP_EXPECT_TG(test, sa, 2, 0x2, 0x02);
	KUNIT_EXPECT_EQ(test, tt_tur(test, sb, 0),
			TT_CC(NOT_READY, 0x04, 0x0b));
	KUNIT_EXPECT_EQ(test, tt_tur(test, sc, 0), TT_GOOD);
	/* The same list made good changes all three at once. */
	KUNIT_EXPECT_EQ(test, sp_stpg(test, sa, good, 3, -1, &r), TT_GOOD);
	KUNIT_EXPECT_STREQ(test, sp_tg_r(test, "A", "state"),
			   "nonoptimized\n[key]\n");
	KUNIT_EXPECT_STREQ(test, sp_tg_r(test, "B", "state"), "active\n");
	KUNIT_EXPECT_STREQ(test, sp_tg_r(test, "C", "state"),
			   "unavailable\n[key]\n");
	SP_EXPECT_TG(test, sa, 1, 0x1, 0x01);
	SP_EXPECT_TG(test, sa, 2, 0x0, 0x01);
	SP_EXPECT_TG(test, sa, 3, 0x3, 0x01);
}

/* PERSISTENT RESERVE OUT @sa_code with reservation key @key (type WE). */
static uint32_t sp_prout(struct kunit *test, struct scst_local_sess *s,
			 uint8_t sa_code, uint64_t key, uint64_t sakey)
{
	uint8_t cdb[10] = {PERSISTENT_RESERVE_OUT, sa_code, 0x01}, p[24];
	struct scst_local_req r;

	memset(p, 0, sizeof(p));
	scst_put_be64(p, key);
	scst_put_be64(p + 8, sakey);
	scst_put_be32(cdb + 5, sizeof(p));
	memset(&r, 0, sizeof(r));
	memcpy(r.cdb, cdb, sizeof(cdb));
	r.cdb_len = sizeof(cdb);
	r.exp_set = true;
	r.exp_dir = SCST_DATA_WRITE;
	r.exp_len = sizeof(p);
	r.data_out = p;
	r.data_out_len = sizeof(p);
	KUNIT_ASSERT_EQ(test, scst_local_exec(s, &r), 0);
	return tt_result(&r);
}

/* SPC-4 5.13.1: SET TARGET PORT GROUPS conflicts under Write Exclusive. */
static void stpg_reservation(struct kunit *test)
{
	static const uint16_t d[1][2] = {{0x0, 2}};
	struct scst_local_sess *sa, *sc;
	struct scst_local_req r;

	sp_groups(test);
	TT_WOK(test, SP_EXPL, "1");
	sa = sp_sess(test, 0, "ini-a");
	sc = sp_sess(test, 2, "ini-c");
	KUNIT_ASSERT_EQ(test, sp_prout(test, sc, 0x00, 0, 0x1234), TT_GOOD);
	KUNIT_ASSERT_EQ(test, sp_prout(test, sc, 0x01, 0x1234, 0), TT_GOOD);
	KUNIT_EXPECT_EQ(test, sp_stpg(test, sa, d, 1, -1, &r),
			(uint32_t)SAM_STAT_RESERVATION_CONFLICT << 24);
	KUNIT_EXPECT_STREQ(test, sp_tg_r(test, "B", "state"),
			   "standby\n[key]\n");
	/* The holder may. */
	KUNIT_EXPECT_EQ(test, sp_stpg(test, sc, d, 1, -1, &r), TT_GOOD);
	KUNIT_EXPECT_STREQ(test, sp_tg_r(test, "B", "state"), "active\n");
}

static struct kunit_case scst_alua_stpg_cases[] = {
    KUNIT_CASE(stpg_refused),
    KUNIT_CASE(stpg_one_group),
    KUNIT_CASE(stpg_two_groups),
    KUNIT_CASE(stpg_param_errors),
    KUNIT_CASE(stpg_atomic),
    KUNIT_CASE(stpg_reservation),
    {}};

static struct kunit_suite scst_alua_stpg_suite = {
    .name = "scst_alua_stpg",
    .init = sp_up,
    .exit = sp_down,
    .test_cases = scst_alua_stpg_cases,
};

kunit_test_suite(scst_alua_stpg_suite);
