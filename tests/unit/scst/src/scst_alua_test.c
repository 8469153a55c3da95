// SPDX-License-Identifier: GPL-2.0-only
/*
 * Unit tests of ALUA (scst/src/scst_alua.c, the opcode rows' ALUA column and
 * the device groups of scst_dg.c) through scst_local sessions on three targets
 * and vdisk_nullio devices configured through the tree:
 *  - REPORT TARGET PORT GROUPS for one to three target groups with several
 *    members each, both parameter data formats, allocation length cut;
 *  - a matrix of every access state against a set of commands, each GOOD
 *    (as in the active/optimized state) or NOT READY with the state's
 *    ASC/ASCQ;
 *  - ASYMMETRIC ACCESS STATE CHANGED on every nexus of the group's devices
 *    and on no other;
 *  - INQUIRY TPGS and the VPD 83h port designators per target port.
 */
#include "scst_tree_fixture.h"
#include "dev_handlers/vdisk/vdisk_module.h"

#define VMGMT "/handlers/vdisk_nullio/mgmt"
#define DGS   "/device_groups/mgmt"
#define DG    "/device_groups/dg"
#define TGS   DG "/target_groups"

#define NR(ascq) TT_CC(NOT_READY, 0x04, ascq)

struct al_env {
	struct tt_env tt;	 /* first: the fixture's helpers use it */
	struct scst_tgt *tgt[3]; /* ta, tb, tc */
};

static const struct scst_module *const al_mods[] = {&vdisk_module,
						    &scst_local_module};
static const char *const al_tgt_names[3] = {"ta", "tb", "tc"};

static void al_down(struct kunit *test)
{
	tt_down(test);
}

/*
 * The core, vdisk and scst_local; targets ta, tb, tc; vdisk_nullio n0
 * (the shared LU) at LUN 0 of every target, n1 (never in a device group,
 * for contrast) at LUN 1 of ta.
 */
static int al_up(struct kunit *test)
{
	struct al_env *a;
	char path[128];
	unsigned int i;
	int rc;

	a = kunit_kzalloc(test, sizeof(*a), GFP_KERNEL);
	if (!a)
		return -ENOMEM;
	test->priv = a;
	rc = t_engine_up(&a->tt.eng, al_mods, 2, SCST_LOG_WARN);
	for (i = 0; !rc && i < 3; i++)
		rc = scst_local_add_target(al_tgt_names[i], &a->tgt[i]);
	if (!rc)
		rc = tt_w(test, VMGMT, "add_device n0 size_mb=8");
	if (!rc)
		rc = tt_w(test, VMGMT, "add_device n1 size_mb=8");
	for (i = 0; !rc && i < 3; i++) {
		snprintf(path, sizeof(path), "/targets/scst_local/%s/luns/mgmt",
			 al_tgt_names[i]);
		rc = tt_w(test, path, "add n0 0");
	}
	if (!rc)
		rc = tt_w(test, "/targets/scst_local/ta/luns/mgmt", "add n1 1");
	if (rc) {
		kunit_info(test, "bring-up: %d %s", rc, tt_msg(test));
		al_down(test);
	}
	return rc;
}

static struct scst_tgt *al_tgt(struct kunit *test, unsigned int i)
{
	return ((struct al_env *)test->priv)->tgt[i];
}

static uint16_t al_rel(struct kunit *test, unsigned int i)
{
	return scst_tgt_rel_tgt_id(al_tgt(test, i));
}

/*
 * Pop every pending unit attention of a nexus with REQUEST SENSE (which
 * every access state allows, unlike TEST UNIT READY); returns how many.
 */
static unsigned int al_drain_ua(struct kunit *test, struct scst_local_sess *s,
				uint64_t lun)
{
	uint8_t cdb[6] = {REQUEST_SENSE, 0, 0, 0, 252, 0}, buf[252];
	struct scst_local_req r;
	unsigned int n;

	for (n = 0; n < 20; n++) {
		KUNIT_ASSERT_EQ(
		    test, tt_exec(test, s, lun, cdb, 6, &r, buf, 252), TT_GOOD);
		if (r.data_in_len < 14 || (buf[2] & 0x0f) == NO_SENSE)
			return n;
	}
	KUNIT_FAIL(test, "LUN %llu keeps reporting unit attentions",
		   (unsigned long long)lun);
	return n;
}

/* A session of target @t with the unit attentions of @nluns LUNs read. */
static struct scst_local_sess *al_sess(struct kunit *test, unsigned int t,
				       const char *ini, unsigned int nluns)
{
	struct scst_local_sess *s = tt_open(test, al_tgt(test, t), ini);
	unsigned int l;

	for (l = 0; l < nluns; l++)
		al_drain_ua(test, s, l);
	return s;
}

/* REPORT TARGET PORT GROUPS with @format and allocation length @alloc. */
static uint32_t al_rtpg(struct kunit *test, struct scst_local_sess *s,
			uint64_t lun, uint8_t format, uint32_t alloc,
			uint8_t *buf, uint32_t *len)
{
	uint8_t cdb[12] = {MAINTENANCE_IN,
			   (uint8_t)(format << 5 | MI_REPORT_TARGET_PGS)};
	struct scst_local_req r;
	uint32_t v;

	scst_put_be32(cdb + 6, alloc);
	memset(buf, 0xa5, alloc);
	v = tt_exec(test, s, lun, cdb, 12, &r, buf, alloc);
	if (len)
		*len = r.data_in_len;
	return v;
}

static void al_tg_path(char *p, size_t n, const char *tg, const char *leaf)
{
	snprintf(p, n, TGS "/%s/%s", tg, leaf);
}

/* Write @val to target group @tg's @leaf. */
static void al_tg_w(struct kunit *test, const char *tg, const char *leaf,
		    const char *val)
{
	char p[256];

	al_tg_path(p, sizeof(p), tg, leaf);
	TT_WOK(test, p, val);
}

static void al_dg(struct kunit *test)
{
	TT_WOK(test, DGS, "create dg");
	TT_WOK(test, DG "/devices/mgmt", "add n0");
}

/* ---------------------------------------------------- REPORT TPGS ---- */

/* The groups of the RTPG case: id, state, its tree name, members. */
struct al_member {
	const char *name;
	int local;	 /* index of ta/tb/tc, or -1 */
	uint16_t rel_id; /* explicit rel_tgt_id, for a remote member */
};

static const struct {
	const char *name, *state;
	uint16_t id;
	uint8_t code;
	bool pref;
	struct al_member m[4];
} al_groups[3] = {
    {"g1",
     "active",
     0x11,
     0x0,
     true,
     {{"ta", 0, 0}, {"peer1a", -1, 0x100}, {"peer1b", -1, 0x101}, {NULL}}},
    {"g2",
     "nonoptimized",
     0x22,
     0x1,
     false,
     {{"tb", 1, 0}, {"peer2a", -1, 0x200}, {NULL}}},
    {"g3",
     "standby",
     0x3333,
     0x2,
     false,
     {{"tc", 2, 0},
      {"peer3a", -1, 0x300},
      {"peer3b", -1, 0x301},
      {"peer3c", -1, 0x302}}},
};

/* Create group @g of al_groups with its members and attributes. */
static void al_make_group(struct kunit *test, unsigned int g)
{
	char v[32], leaf[64];
	unsigned int i;

	snprintf(v, sizeof(v), "create %s", al_groups[g].name);
	TT_WOK(test, TGS "/mgmt", v);
	snprintf(v, sizeof(v), "%u", al_groups[g].id);
	al_tg_w(test, al_groups[g].name, "group_id", v);
	al_tg_w(test, al_groups[g].name, "state", al_groups[g].state);
	al_tg_w(test, al_groups[g].name, "preferred",
		al_groups[g].pref ? "1" : "0");
	for (i = 0; i < 4 && al_groups[g].m[i].name; i++) {
		const struct al_member *m = &al_groups[g].m[i];

		snprintf(v, sizeof(v), "add %s", m->name);
		al_tg_w(test, al_groups[g].name, "mgmt", v);
		if (m->local >= 0)
			continue;
		snprintf(leaf, sizeof(leaf), "%s/rel_tgt_id", m->name);
		snprintf(v, sizeof(v), "%u", m->rel_id);
		al_tg_w(test, al_groups[g].name, leaf, v);
	}
	/* A member the core cannot name (no such target, no rel_tgt_id). */
	al_tg_w(test, al_groups[g].name, "mgmt",
		g == 0	 ? "add ghost1"
		: g == 1 ? "add ghost2"
			 : "add ghost3");
}

/* The expected RTPG data for the first @n groups; returns its length. */
static uint32_t al_expect(struct kunit *test, unsigned int n, bool ext,
			  uint8_t *out)
{
	uint32_t off = ext ? 8 : 4;
	unsigned int g, i;

	memset(out, 0, 512);
	for (g = 0; g < n; g++) {
		uint8_t *d = out + off;
		unsigned int cnt = 0;

		/* Only g1 keeps "active", its initial state: no status. */
		d[0] = (uint8_t)((al_groups[g].pref ? 0x80 : 0) |
				 al_groups[g].code);
		d[1] = 0xcf; /* T_SUP O_SUP U_SUP S_SUP AN_SUP AO_SUP */
		scst_put_be16(d + 2, al_groups[g].id);
		d[5] = g == 0 ? 0x00 : 0x02;
		off += 8;
		for (i = 0; i < 4 && al_groups[g].m[i].name; i++) {
			const struct al_member *m = &al_groups[g].m[i];

			scst_put_be16(out + off + 2,
				      m->local >= 0 ? al_rel(test, m->local)
						    : m->rel_id);
			off += 4;
			cnt++;
		}
		d[7] = (uint8_t)cnt;
	}
	scst_put_be32(out, off - 4);
	if (ext)
		out[4] = 0x10;
	return off;
}

static void alua_rtpg_groups(struct kunit *test)
{
	struct scst_local_sess *s = al_sess(test, 0, "ini-a", 2);
	uint8_t got[512], want[512];
	uint32_t len, wlen, cut;
	unsigned int n, f;

	al_dg(test);
	for (n = 1; n <= 3; n++) {
		al_make_group(test, n - 1);
		al_drain_ua(test, s, 0);
		for (f = 0; f < 2; f++) {
			wlen = al_expect(test, n, f == 1, want);
			KUNIT_EXPECT_EQ(
			    test,
			    al_rtpg(test, s, 0, (uint8_t)f, 512, got, &len),
			    TT_GOOD);
			KUNIT_EXPECT_EQ_MSG(test, len, wlen,
					    "%u groups, format %u", n, f);
			KUNIT_EXPECT_MEMEQ_MSG(test, got, want, wlen,
					       "%u groups, format %u", n, f);
			/* A shorter allocation length cuts the same data. */
			for (cut = 0; cut < wlen; cut += 3) {
				KUNIT_EXPECT_EQ(test,
						al_rtpg(test, s, 0, (uint8_t)f,
							cut, got, &len),
						TT_GOOD);
				KUNIT_EXPECT_EQ(test, len, cut);
				KUNIT_EXPECT_MEMEQ(test, got, want, cut);
			}
		}
	}
	/* The same answer through the other ports, standby included. */
	wlen = al_expect(test, 3, false, want);
	for (n = 1; n < 3; n++) {
		struct scst_local_sess *o =
		    al_sess(test, n, n == 1 ? "ini-b" : "ini-c", 1);

		KUNIT_EXPECT_EQ(test, al_rtpg(test, o, 0, 0, 512, got, &len),
				TT_GOOD);
		KUNIT_EXPECT_EQ(test, len, wlen);
		KUNIT_EXPECT_MEMEQ(test, got, want, wlen);
	}
}

static void alua_rtpg_errors(struct kunit *test)
{
	struct scst_local_sess *s = al_sess(test, 0, "ini-a", 2);
	uint8_t buf[64];

	/* No device group: TPGS 00b, the service action is not supported. */
	KUNIT_EXPECT_EQ(test, al_rtpg(test, s, 0, 0, 64, buf, NULL),
			TT_CC(ILLEGAL_REQUEST, 0x24, 0x00));
	al_dg(test);
	al_drain_ua(test, s, 0);
	/* In a group without target groups: just the header. */
	KUNIT_EXPECT_EQ(test, al_rtpg(test, s, 0, 0, 64, buf, NULL), TT_GOOD);
	KUNIT_EXPECT_EQ(test, scst_get_be32(buf), 0u);
	KUNIT_EXPECT_EQ(test, al_rtpg(test, s, 0, 1, 64, buf, NULL), TT_GOOD);
	KUNIT_EXPECT_EQ(test, scst_get_be32(buf), 4u);
	KUNIT_EXPECT_EQ(test, buf[4], 0x10);
	/* PARAMETER DATA FORMAT 010b and up are reserved. */
	KUNIT_EXPECT_EQ(test, al_rtpg(test, s, 0, 2, 64, buf, NULL),
			TT_CC(ILLEGAL_REQUEST, 0x24, 0x00));
	/* n1 is still in no group. */
	KUNIT_EXPECT_EQ(test, al_rtpg(test, s, 1, 0, 64, buf, NULL),
			TT_CC(ILLEGAL_REQUEST, 0x24, 0x00));
}

/* ------------------------------------------------ the state matrix ---- */

enum {
	A_TUR,
	A_READ,
	A_WRITE,
	A_INQ,
	A_RL,
	A_RS,
	A_MS6,
	A_MS10,
	A_RC10,
	A_RC16,
	A_PRIN,
	A_RTPG,
	A_LOGS,
	A_SYNC,
	A_STPG,
	A_RBUF_ECHO,
	A_RBUF_DATA,
	A_WBUF_DATA,
	A_N
};

static const char *const al_cmd_names[A_N] = {"TEST UNIT READY",
					      "READ(10)",
					      "WRITE(10)",
					      "INQUIRY",
					      "REPORT LUNS",
					      "REQUEST SENSE",
					      "MODE SENSE(6)",
					      "MODE SENSE(10)",
					      "READ CAPACITY(10)",
					      "READ CAPACITY(16)",
					      "PERSISTENT RESERVE IN",
					      "REPORT TARGET PORT GROUPS",
					      "LOG SENSE",
					      "SYNCHRONIZE CACHE(10)",
					      "SET TARGET PORT GROUPS",
					      "READ BUFFER (echo)",
					      "READ BUFFER (data)",
					      "WRITE BUFFER (data)"};

static uint32_t al_run(struct kunit *test, struct scst_local_sess *s,
		       unsigned int c)
{
	uint8_t cdb[16] = {0}, buf[512];
	struct scst_local_req r;
	unsigned int len = 6;

	switch (c) {
	case A_TUR:
		cdb[0] = TEST_UNIT_READY;
		break;
	case A_READ:
		return tt_rw10(test, s, 0, READ_10, 0, 1, 512);
	case A_WRITE:
		return tt_rw10(test, s, 0, WRITE_10, 0, 1, 512);
	case A_INQ:
		cdb[0] = INQUIRY;
		cdb[4] = 96;
		break;
	case A_RL:
		cdb[0] = REPORT_LUNS;
		cdb[9] = 64;
		len = 12;
		break;
	case A_RS:
		cdb[0] = REQUEST_SENSE;
		cdb[4] = 18;
		break;
	case A_MS6:
		cdb[0] = MODE_SENSE;
		cdb[2] = 0x3f;
		cdb[4] = 255;
		break;
	case A_MS10:
		cdb[0] = MODE_SENSE_10;
		cdb[2] = 0x3f;
		cdb[8] = 255;
		len = 10;
		break;
	case A_RC10:
		cdb[0] = READ_CAPACITY;
		len = 10;
		break;
	case A_RC16:
		cdb[0] = SERVICE_ACTION_IN_16;
		cdb[1] = SAI_READ_CAPACITY_16;
		cdb[13] = 32;
		len = 16;
		break;
	case A_PRIN:
		cdb[0] = PERSISTENT_RESERVE_IN; /* READ KEYS */
		cdb[8] = 64;
		len = 10;
		break;
	case A_RTPG:
		cdb[0] = MAINTENANCE_IN;
		cdb[1] = MI_REPORT_TARGET_PGS;
		cdb[9] = 255;
		len = 12;
		break;
	case A_LOGS:
		cdb[0] = LOG_SENSE;
		cdb[8] = 255;
		len = 10;
		break;
	case A_SYNC:
		cdb[0] = SYNCHRONIZE_CACHE;
		len = 10;
		break;
	case A_STPG:
		cdb[0] = MAINTENANCE_OUT;
		cdb[1] = MO_SET_TARGET_PGS;
		len = 12;
		break;
	case A_RBUF_ECHO:
		cdb[0] = READ_BUFFER;
		cdb[1] = 0x0a;
		cdb[8] = 4;
		len = 10;
		break;
	case A_RBUF_DATA:
		cdb[0] = READ_BUFFER;
		cdb[1] = 0x02;
		cdb[8] = 4;
		len = 10;
		break;
	case A_WBUF_DATA:
		cdb[0] = WRITE_BUFFER;
		cdb[1] = 0x02; /* no data: a zero PARAMETER LIST LENGTH */
		len = 10;
		break;
	}
	return tt_exec(test, s, 0, cdb, len, &r, buf, sizeof(buf));
}

/*
 * The states each command runs in (SPC-4 5.15.2.4, 5.15.2.5), as a bit
 * mask over enum scst_tg_state; elsewhere NOT READY.
 */
/* The states in the order of al_state_names. */
enum {
	S_OPTIMIZED,
	S_NONOPTIMIZED,
	S_STANDBY,
	S_UNAVAILABLE,
	S_OFFLINE,
	S_TRANSITIONING,
	S_COUNT
};
#define B(x) (1u << S_##x)
#define ACT  (B(OPTIMIZED) | B(NONOPTIMIZED))
static const unsigned int al_runs_in[A_N] = {
    [A_TUR] = ACT,
    [A_READ] = ACT,
    [A_WRITE] = ACT,
    [A_INQ] = ACT | B(STANDBY) | B(UNAVAILABLE) | B(OFFLINE) | B(TRANSITIONING),
    [A_RL] = ACT | B(STANDBY) | B(UNAVAILABLE) | B(OFFLINE) | B(TRANSITIONING),
    [A_RS] = ACT | B(STANDBY) | B(UNAVAILABLE) | B(OFFLINE) | B(TRANSITIONING),
    [A_MS6] = ACT | B(STANDBY),
    [A_MS10] = ACT | B(STANDBY),
    /* Standby: LIO and SCST agree (SPC-4 does not name it). */
    [A_RC10] = ACT | B(STANDBY),
    [A_RC16] = ACT | B(STANDBY),
    [A_PRIN] = ACT | B(STANDBY),
    [A_RTPG] =
	ACT | B(STANDBY) | B(UNAVAILABLE) | B(OFFLINE) | B(TRANSITIONING),
    [A_LOGS] = ACT | B(STANDBY),
    [A_SYNC] = ACT,
    [A_STPG] = ACT | B(STANDBY) | B(UNAVAILABLE),
    [A_RBUF_ECHO] = ACT | B(STANDBY) | B(UNAVAILABLE) | B(TRANSITIONING),
    /* Every mode, as LIO and SCST; SPC-4 names the echo buffer ones. */
    [A_RBUF_DATA] = ACT | B(STANDBY) | B(UNAVAILABLE) | B(TRANSITIONING),
    [A_WBUF_DATA] = ACT | B(STANDBY) | B(UNAVAILABLE) | B(TRANSITIONING),
};

static const char *const al_state_names[S_COUNT] = {"active",  "nonoptimized",
						    "standby", "unavailable",
						    "offline", "transitioning"};
static const uint8_t al_state_ascq[S_COUNT] = {0, 0, 0x0b, 0x0c, 0x12, 0x0a};

static void alua_state_matrix(struct kunit *test)
{
	struct scst_local_sess *s = al_sess(test, 0, "ini-a", 2);
	uint32_t base[A_N], got, want;
	unsigned int st, c;

	al_dg(test);
	TT_WOK(test, TGS "/mgmt", "create A");
	al_tg_w(test, "A", "mgmt", "add ta");
	al_tg_w(test, "A", "group_id", "1");
	al_drain_ua(test, s, 0);
	/* What each command gives with full access. */
	for (c = 0; c < A_N; c++)
		base[c] = al_run(test, s, c);
	KUNIT_EXPECT_EQ(test, base[A_READ], TT_GOOD);
	KUNIT_EXPECT_EQ(test, base[A_WRITE], TT_GOOD);
	KUNIT_EXPECT_EQ(test, base[A_TUR], TT_GOOD);
	KUNIT_EXPECT_EQ(test, base[A_RTPG], TT_GOOD);
	KUNIT_EXPECT_EQ(test, base[A_MS6], TT_GOOD);
	KUNIT_EXPECT_EQ(test, base[A_RC10], TT_GOOD);
	KUNIT_EXPECT_EQ(test, base[A_PRIN], TT_GOOD);
	/* Not supported (TPGS 01b): INVALID FIELD IN CDB, service action. */
	KUNIT_EXPECT_EQ(test, base[A_STPG], TT_CC(ILLEGAL_REQUEST, 0x24, 0x00));
	for (st = 0; st < S_COUNT; st++) {
		al_tg_w(test, "A", "state", al_state_names[st]);
		al_drain_ua(test, s, 0);
		for (c = 0; c < A_N; c++) {
			got = al_run(test, s, c);
			want = (al_runs_in[c] & (1u << st))
				   ? base[c]
				   : NR(al_state_ascq[st]);
			KUNIT_EXPECT_EQ_MSG(
			    test, got, want, "%s in state %s: got %#x want %#x",
			    al_cmd_names[c], al_state_names[st], got, want);
		}
		/* LUN 1 (n1, in no device group) is never restricted. */
		KUNIT_EXPECT_EQ(test, tt_rw10(test, s, 1, READ_10, 0, 1, 512),
				TT_GOOD);
	}
}

/* ------------------------------------------------ unit attentions ---- */

static void alua_ua_on_change(struct kunit *test)
{
	struct scst_local_sess *sa, *sb, *sc;

	/* ta: LUN 0 n0, LUN 1 n1; tb: n0; tc: n0 too, but tc gets n1. */
	TT_WOK(test, "/targets/scst_local/tc/luns/mgmt", "replace n1 0");
	sa = al_sess(test, 0, "ini-a", 2);
	sb = al_sess(test, 1, "ini-b", 1);
	sc = al_sess(test, 2, "ini-c", 1);
	/* Joining a device group: TPGS changes (INQUIRY DATA HAS CHANGED)
	 * and so may the access state. */
	al_dg(test);
	KUNIT_EXPECT_EQ(test, tt_tur(test, sa, 0), TT_UA(0x3f, 0x03));
	KUNIT_EXPECT_EQ(test, tt_tur(test, sa, 0), TT_UA(0x2a, 0x06));
	KUNIT_EXPECT_EQ(test, tt_tur(test, sa, 0), TT_GOOD);
	KUNIT_EXPECT_EQ(test, tt_tur(test, sb, 0), TT_UA(0x3f, 0x03));
	KUNIT_EXPECT_EQ(test, tt_tur(test, sb, 0), TT_UA(0x2a, 0x06));
	KUNIT_EXPECT_EQ(test, tt_tur(test, sb, 0), TT_GOOD);
	KUNIT_EXPECT_EQ(test, tt_tur(test, sa, 1), TT_GOOD);
	KUNIT_EXPECT_EQ(test, tt_tur(test, sc, 0), TT_GOOD);

	TT_WOK(test, TGS "/mgmt", "create A");
	TT_WOK(test, TGS "/mgmt", "create B");
	al_tg_w(test, "A", "mgmt", "add ta");
	al_tg_w(test, "B", "mgmt", "add tb");
	al_drain_ua(test, sa, 0);
	al_drain_ua(test, sb, 0);
	KUNIT_EXPECT_EQ(test, al_drain_ua(test, sa, 1), 0u);
	KUNIT_EXPECT_EQ(test, al_drain_ua(test, sc, 0), 0u);

	/* B (tb) goes standby: every nexus of n0 learns it, once. */
	al_tg_w(test, "B", "state", "standby");
	KUNIT_EXPECT_EQ(test, tt_rw10(test, sb, 0, READ_10, 0, 1, 512),
			TT_UA(0x2a, 0x06));
	KUNIT_EXPECT_EQ(test, tt_rw10(test, sb, 0, READ_10, 0, 1, 512),
			NR(0x0b));
	KUNIT_EXPECT_EQ(test, tt_rw10(test, sa, 0, READ_10, 0, 1, 512),
			TT_UA(0x2a, 0x06));
	KUNIT_EXPECT_EQ(test, tt_rw10(test, sa, 0, READ_10, 0, 1, 512),
			TT_GOOD);
	/* ... and only those: n1's nexuses have nothing pending. */
	KUNIT_EXPECT_EQ(test, tt_tur(test, sa, 1), TT_GOOD);
	KUNIT_EXPECT_EQ(test, tt_tur(test, sc, 0), TT_GOOD);
	/* Writing the same state again changes nothing. */
	al_tg_w(test, "B", "state", "standby");
	KUNIT_EXPECT_EQ(test, tt_tur(test, sa, 0), TT_GOOD);
	/* preferred and group_id change the RTPG data: same condition. */
	al_tg_w(test, "A", "preferred", "1");
	KUNIT_EXPECT_EQ(test, tt_tur(test, sa, 0), TT_UA(0x2a, 0x06));
	KUNIT_EXPECT_EQ(test, tt_tur(test, sb, 0), TT_UA(0x2a, 0x06));
	al_tg_w(test, "A", "group_id", "7");
	KUNIT_EXPECT_EQ(test, tt_tur(test, sa, 0), TT_UA(0x2a, 0x06));
	/* Leaving the target group: tb is fully accessible again. */
	al_tg_w(test, "B", "mgmt", "del tb");
	KUNIT_EXPECT_EQ(test, tt_rw10(test, sb, 0, READ_10, 0, 1, 512),
			TT_UA(0x2a, 0x06));
	KUNIT_EXPECT_EQ(test, tt_rw10(test, sb, 0, READ_10, 0, 1, 512),
			TT_GOOD);
	/* A new nexus starts in its port's state. */
	al_tg_w(test, "B", "mgmt", "add tb");
	tt_close(test, sb);
	sb = tt_open(test, al_tgt(test, 1), "ini-b2");
	KUNIT_EXPECT_EQ(test, tt_rw10(test, sb, 0, READ_10, 0, 1, 512),
			TT_UA(0x29, 0x00));
	KUNIT_EXPECT_EQ(test, tt_rw10(test, sb, 0, READ_10, 0, 1, 512),
			NR(0x0b));
	/* Leaving the device group: n0 is n0 again everywhere. */
	TT_WOK(test, DG "/devices/mgmt", "del n0");
	KUNIT_EXPECT_EQ(test, tt_rw10(test, sb, 0, READ_10, 0, 1, 512),
			TT_UA(0x3f, 0x03));
	KUNIT_EXPECT_EQ(test, tt_rw10(test, sb, 0, READ_10, 0, 1, 512),
			TT_UA(0x2a, 0x06));
	KUNIT_EXPECT_EQ(test, tt_rw10(test, sb, 0, READ_10, 0, 1, 512),
			TT_GOOD);
}

/* --------------------------------------------------- INQUIRY, VPD ---- */

static uint32_t al_inq(struct kunit *test, struct scst_local_sess *s,
		       uint64_t lun, bool evpd, uint8_t page, uint8_t *buf)
{
	uint8_t cdb[6] = {INQUIRY, evpd ? 1 : 0, page, 0, 255, 0};
	struct scst_local_req r;

	memset(buf, 0, 255);
	return tt_exec(test, s, lun, cdb, 6, &r, buf, 255);
}

/*
 * The designator of @type (association @assoc) in the VPD 83h page @p:
 * its data, *@len its length; NULL when absent.
 */
static const uint8_t *al_desig(const uint8_t *p, uint8_t assoc, uint8_t type,
			       uint8_t *len)
{
	unsigned int end = 4u + scst_get_be16(p + 2), off = 4;

	while (off + 4 <= end) {
		const uint8_t *d = p + off;

		if ((d[1] & 0x30) == assoc && (d[1] & 0x0f) == type) {
			*len = d[3];
			return d + 4;
		}
		off += 4u + d[3];
	}
	return NULL;
}

static void alua_inquiry_vpd(struct kunit *test)
{
	struct scst_local_sess *s[3];
	uint8_t buf[255], naa[3][16], len, naa_len[3];
	const uint8_t *d;
	unsigned int i;

	for (i = 0; i < 3; i++)
		s[i] = al_sess(test, i, i == 0 ? "ini-a" : "ini-b", i ? 1 : 2);
	/* In no device group: TPGS 00b, no target port group designator. */
	KUNIT_EXPECT_EQ(test, al_inq(test, s[0], 0, false, 0, buf), TT_GOOD);
	KUNIT_EXPECT_EQ(test, buf[5] & 0x30, 0x00);
	KUNIT_EXPECT_EQ(test, al_inq(test, s[0], 0, true, 0x83, buf), TT_GOOD);
	KUNIT_EXPECT_NULL(test, al_desig(buf, 0x10, 0x5, &len));

	al_dg(test);
	TT_WOK(test, TGS "/mgmt", "create A");
	TT_WOK(test, TGS "/mgmt", "create B");
	al_tg_w(test, "A", "group_id", "0x101");
	al_tg_w(test, "B", "group_id", "0x202");
	al_tg_w(test, "A", "mgmt", "add ta");
	al_tg_w(test, "B", "mgmt", "add tb");
	for (i = 0; i < 3; i++) {
		/* INQUIRY runs with the unit attentions pending. */
		KUNIT_EXPECT_EQ(test, al_inq(test, s[i], 0, false, 0, buf),
				TT_GOOD);
		KUNIT_EXPECT_EQ_MSG(test, buf[5] & 0x30, 0x10, "port %u", i);
		KUNIT_EXPECT_EQ(test, al_inq(test, s[i], 0, true, 0x83, buf),
				TT_GOOD);
		/* RELATIVE TARGET PORT (4h), association target port. */
		d = al_desig(buf, 0x10, 0x4, &len);
		KUNIT_ASSERT_NOT_NULL(test, d);
		KUNIT_EXPECT_EQ(test, len, 4);
		KUNIT_EXPECT_EQ(test, scst_get_be16(d + 2), al_rel(test, i));
		/* TARGET PORT GROUP (5h): the port's group; tc is in none. */
		d = al_desig(buf, 0x10, 0x5, &len);
		if (i == 2) {
			KUNIT_EXPECT_NULL(test, d);
		} else {
			KUNIT_ASSERT_NOT_NULL(test, d);
			KUNIT_EXPECT_EQ(test, len, 4);
			KUNIT_EXPECT_EQ(test, scst_get_be16(d + 2),
					i == 0 ? 0x101 : 0x202);
			/* Binary code set, PIV 0, association target port. */
			KUNIT_EXPECT_EQ(test, d[-4], 0x01);
			KUNIT_EXPECT_EQ(test, d[-3], 0x15);
		}
		/* The same LU identity (NAA, association LU) on each path. */
		d = al_desig(buf, 0x00, 0x3, &naa_len[i]);
		KUNIT_ASSERT_NOT_NULL(test, d);
		KUNIT_ASSERT_LE(test, naa_len[i], 16);
		memcpy(naa[i], d, naa_len[i]);
	}
	KUNIT_EXPECT_EQ(test, naa_len[0], naa_len[1]);
	KUNIT_EXPECT_MEMEQ(test, naa[0], naa[1], naa_len[0]);
	KUNIT_EXPECT_MEMEQ(test, naa[0], naa[2], naa_len[0]);
	/* n1 stays out: TPGS 00b. */
	KUNIT_EXPECT_EQ(test, al_inq(test, s[0], 1, false, 0, buf), TT_GOOD);
	KUNIT_EXPECT_EQ(test, buf[5] & 0x30, 0x00);
}

static struct kunit_case scst_alua_cases[] = {
    KUNIT_CASE(alua_rtpg_groups),  KUNIT_CASE(alua_rtpg_errors),
    KUNIT_CASE(alua_state_matrix), KUNIT_CASE(alua_ua_on_change),
    KUNIT_CASE(alua_inquiry_vpd),  {}};

static struct kunit_suite scst_alua_suite = {
    .name = "scst_alua",
    .init = al_up,
    .exit = al_down,
    .test_cases = scst_alua_cases,
};

kunit_test_suite(scst_alua_suite);
