// SPDX-License-Identifier: GPL-2.0-only
/*
 * Unit tests of reservations (scst/src/scst_pr*.c, scst_reserve.c,
 * the reservation column of the opcode rows): the SPC-4 conflict table as a
 * matrix, every PERSISTENT RESERVE OUT service action with its errors, the unit
 * attentions, PREEMPT AND ABORT, REGISTER AND MOVE, SPEC_I_PT, APTPL
 * across an engine restart, and SPC-2 RESERVE/RELEASE with their
 * interplay with persistent reservations. Several scst_local sessions
 * ("ini1", "ini2", "ini3") are the initiators; their TransportIDs are
 * iSCSI ones of format 00b with those names.
 */
#include <stdlib.h>
#include <unistd.h>

#include "scst/byteorder.h"
#include "scst_pr.h"
#include "scst_test_env.h"

#define T_RC  0x18000000u /* RESERVATION CONFLICT */
#define T_PLL T_CC(ILLEGAL_REQUEST, 0x1a, 0x00)
#define T_IFC T_CC(ILLEGAL_REQUEST, 0x24, 0x00)
#define T_IFP T_CC(ILLEGAL_REQUEST, 0x26, 0x00)

enum { WE = 1, EA = 3, WE_RO = 5, EA_RO = 6, WE_AR = 7, EA_AR = 8 };
enum { REG, RES, REL, CLR, PRE, PAB, RIG, RAM };

/* ------------------------------------------------------------ helpers ---- */

struct prp {
	uint64_t rkey, sakey;
	uint8_t flags;	      /* byte 20: SPEC_I_PT 8, ALL_TG_PT 4, APTPL 1 */
	const uint8_t *extra; /* SPEC_I_PT: TransportIDs */
	uint32_t extra_len;
	int plen; /* < 0: computed */
	uint8_t scope;
};

static uint32_t prout(struct kunit *test, struct scst_local_sess *s, uint8_t sa,
		      uint8_t type, const struct prp *pp)
{
	static uint8_t p[1024];
	uint8_t cdb[10] = {PERSISTENT_RESERVE_OUT, sa,
			   (uint8_t)(pp->scope << 4 | type)};
	struct scst_local_req r;
	uint32_t len = 24;

	memset(p, 0, sizeof(p));
	scst_put_be64(p, pp->rkey);
	scst_put_be64(p + 8, pp->sakey);
	p[20] = pp->flags;
	if (pp->flags & 0x08) {
		scst_put_be32(p + 24, pp->extra_len);
		if (pp->extra)
			memcpy(p + 28, pp->extra, pp->extra_len);
		len = 28 + pp->extra_len;
	}
	if (pp->plen >= 0)
		len = (uint32_t)pp->plen;
	scst_put_be32(cdb + 5, len);
	memset(&r, 0, sizeof(r));
	memcpy(r.cdb, cdb, sizeof(cdb));
	r.cdb_len = sizeof(cdb);
	r.data_out = p;
	r.data_out_len = len;
	KUNIT_ASSERT_EQ(test, scst_local_exec(s, &r), 0);
	KUNIT_EXPECT_FALSE(test, r.no_response);
	return t_result(&r);
}

static uint32_t reg(struct kunit *test, struct scst_local_sess *s,
		    uint64_t rkey, uint64_t sakey)
{
	struct prp pp = {.rkey = rkey, .sakey = sakey, .plen = -1};

	return prout(test, s, REG, 0, &pp);
}

static uint32_t prk(struct kunit *test, struct scst_local_sess *s, uint8_t sa,
		    uint8_t type, uint64_t rkey, uint64_t sakey)
{
	struct prp pp = {.rkey = rkey, .sakey = sakey, .plen = -1};

	return prout(test, s, sa, type, &pp);
}

static uint32_t prin(struct kunit *test, struct scst_local_sess *s, uint8_t sa,
		     uint8_t *buf, uint16_t alloc, uint32_t *got)
{
	uint8_t cdb[10] = {PERSISTENT_RESERVE_IN, sa};
	struct scst_local_req r;
	uint32_t res;

	scst_put_be16(cdb + 7, alloc);
	res = t_exec(test, s, 0, cdb, 10, &r, buf, alloc);
	if (got)
		*got = r.data_in_len;
	return res;
}

static uint32_t cmd6(struct kunit *test, struct scst_local_sess *s, uint8_t op,
		     uint8_t b1, uint8_t b4)
{
	uint8_t cdb[10] = {op, b1, 0, 0, b4, 0};
	struct scst_local_req r;
	uint8_t buf[512];

	return t_exec(test, s, 0, cdb,
		      op == RESERVE_10 || op == RELEASE_10 ? 10 : 6, &r, buf,
		      sizeof(buf));
}

static uint32_t rw(struct kunit *test, struct scst_local_sess *s, uint8_t op)
{
	uint8_t cdb[10], buf[512];
	struct scst_local_req r;

	t_cdb_rw10(cdb, op, 7, 1);
	return t_exec(test, s, 0, cdb, 10, &r, buf, sizeof(buf));
}

static uint32_t generation(struct kunit *test, struct scst_local_sess *s)
{
	uint8_t b[8];

	KUNIT_EXPECT_EQ(test, prin(test, s, 0, b, 8, NULL), T_GOOD);
	return scst_get_be32(b);
}

/* The keys READ KEYS reports, in order; returns how many. */
static unsigned int keys(struct kunit *test, struct scst_local_sess *s,
			 uint64_t *out, unsigned int max)
{
	uint8_t b[256];
	unsigned int n, i;

	KUNIT_EXPECT_EQ(test, prin(test, s, 0, b, sizeof(b), NULL), T_GOOD);
	n = scst_get_be32(b + 4) / 8;
	for (i = 0; i < n && i < max; i++)
		out[i] = scst_get_be64(b + 8 + 8 * i);
	return n;
}

/* READ RESERVATION: the key (or ~0 when none) and *type. */
static uint64_t holder_key(struct kunit *test, struct scst_local_sess *s,
			   uint8_t *type)
{
	uint8_t b[24];

	KUNIT_EXPECT_EQ(test, prin(test, s, 1, b, sizeof(b), NULL), T_GOOD);
	if (scst_get_be32(b + 4) == 0)
		return ~0ull;
	*type = b[21] & 0x0f;
	return scst_get_be64(b + 8);
}

static void expect_ua(struct kunit *test, struct scst_local_sess *s,
		      uint8_t asc, uint8_t ascq)
{
	KUNIT_EXPECT_EQ(test, t_tur(test, s, 0), T_UA(asc, ascq));
	KUNIT_EXPECT_EQ(test, t_tur(test, s, 0), T_GOOD);
}

static int tid_of(const char *name, uint8_t *buf)
{
	return scst_build_iscsi_transport_id(name, NULL, buf, SCST_TID_MAX);
}

static int pr_init(struct kunit *test)
{
	return tenv_up(test, 1, 1, 0);
}

/* ---------------------------------------------------- conflict matrix ---- */

/*
 * SPC-4 5.13.1 / SBC-3 4.17, per reservation type, for the holder, a
 * registered non-holder and a nexus that is not registered: READ(10),
 * WRITE(10), MODE SENSE(6), TEST UNIT READY, READ CAPACITY(10), INQUIRY,
 * PERSISTENT RESERVE IN, PREVENT ALLOW MEDIUM REMOVAL with PREVENT 0 and 1,
 * START STOP UNIT with START=1 and with START=0.
 * G: GOOD, C: RESERVATION CONFLICT.
 */
enum {
	C_RD,
	C_WR,
	C_MS,
	C_TUR,
	C_RC,
	C_INQ,
	C_PRIN,
	C_PA0,
	C_PA1,
	C_SS1,
	C_SS0,
	C_N
};
static const char *const matrix_cmd[C_N] = {
    "READ(10)",	     "WRITE(10)", "MODE SENSE", "TUR",
    "READ CAPACITY", "INQUIRY",	  "PR IN",	"PREVENT 0",
    "PREVENT 1",     "START 1",	  "START 0"};

struct matrix_row {
	uint8_t type;
	const char *holder, *registrant, *other; /* one letter per command */
};

static const struct matrix_row matrix[] = {
    /*                 RWMTRIPpPSs */
    {WE, "GGGGGGGGGGG", "GCGGGGGGCGC", "GCGGGGGGCGC"},
    {EA, "GGGGGGGGGGG", "CCCGGGGGCGC", "CCCGGGGGCGC"},
    {WE_RO, "GGGGGGGGGGG", "GGGGGGGGGGG", "GCGGGGGGCGC"},
    {EA_RO, "GGGGGGGGGGG", "GGGGGGGGGGG", "CCCGGGGGCGC"},
    {WE_AR, "GGGGGGGGGGG", "GGGGGGGGGGG", "GCGGGGGGCGC"},
    {EA_AR, "GGGGGGGGGGG", "GGGGGGGGGGG", "CCCGGGGGCGC"},
};

static uint32_t matrix_run(struct kunit *test, struct scst_local_sess *s,
			   unsigned int c)
{
	static const uint8_t ms[6] = {MODE_SENSE, 0, 0x3f, 0, 252, 0};
	static const uint8_t rc10[10] = {READ_CAPACITY};
	static const uint8_t inq[6] = {INQUIRY, 0, 0, 0, 36, 0};
	uint8_t buf[512];
	struct scst_local_req r;

	switch (c) {
	case C_RD:
		return rw(test, s, READ_10);
	case C_WR:
		return rw(test, s, WRITE_10);
	case C_MS:
		return t_exec(test, s, 0, ms, 6, &r, buf, sizeof(buf));
	case C_TUR:
		return t_tur(test, s, 0);
	case C_RC:
		return t_exec(test, s, 0, rc10, 10, &r, buf, sizeof(buf));
	case C_INQ:
		return t_exec(test, s, 0, inq, 6, &r, buf, sizeof(buf));
	case C_PRIN:
		return prin(test, s, 0, buf, 64, NULL);
	case C_PA0:
		return cmd6(test, s, ALLOW_MEDIUM_REMOVAL, 0, 0);
	case C_PA1:
		return cmd6(test, s, ALLOW_MEDIUM_REMOVAL, 0, 1);
	case C_SS1:
		return cmd6(test, s, START_STOP, 0, 1);
	default:
		return cmd6(test, s, START_STOP, 0, 0);
	}
}

static void pr_conflict_matrix(struct kunit *test)
{
	struct scst_local_sess *s[3];
	unsigned int t, w, c;

	s[0] = t_open_clear(test, "ini1", 1);
	s[1] = t_open_clear(test, "ini2", 1);
	s[2] = t_open_clear(test, "ini3", 1);
	for (t = 0; t < sizeof(matrix) / sizeof(matrix[0]); t++) {
		const struct matrix_row *m = &matrix[t];
		const char *want[3] = {m->holder, m->registrant, m->other};

		KUNIT_ASSERT_EQ(test, reg(test, s[0], 0, 0x11), T_GOOD);
		KUNIT_ASSERT_EQ(test, reg(test, s[1], 0, 0x22), T_GOOD);
		KUNIT_ASSERT_EQ(test, prk(test, s[0], RES, m->type, 0x11, 0),
				T_GOOD);
		for (w = 0; w < 3; w++) {
			for (c = 0; c < C_N; c++) {
				uint32_t got = matrix_run(test, s[w], c);
				uint32_t exp =
				    want[w][c] == 'G' ? T_GOOD : T_RC;

				/* scst_null has no PREVENT ALLOW MEDIUM
				 * REMOVAL: not a conflict is enough. */
				if (exp == T_GOOD &&
				    (c == C_PA0 || c == C_PA1) && got != T_RC)
					got = T_GOOD;
				KUNIT_EXPECT_EQ_MSG(test, got, exp,
						    "type %u, %s, %s: got %#x",
						    m->type,
						    w == 0   ? "holder"
						    : w == 1 ? "registrant"
							     : "not registered",
						    matrix_cmd[c], got);
			}
		}
		KUNIT_ASSERT_EQ(test, prk(test, s[0], CLR, 0, 0x11, 0), T_GOOD);
		t_clear_ua(test, s[1], 0);
		t_clear_ua(test, s[2], 0);
	}
}

/* The opcode rows' reservation column for @cdb on a device of @type. */
static unsigned int res_rule(const uint8_t *cdb, unsigned int len, uint8_t type)
{
	const struct scst_cdb_info *ci = scst_cdb_lookup(cdb, len, type);

	return ci ? scst_cdb_res_rule(ci, cdb, len) : 0;
}

/* The reservation column: the conditional rows, WE-only reads. */
static void pr_table_rules(struct kunit *test)
{
	uint8_t cdb[16] = {0};

	cdb[0] = ALLOW_MEDIUM_REMOVAL;
	cdb[4] = 0;
	KUNIT_EXPECT_EQ(test, res_rule(cdb, 6, TYPE_DISK) & 7u, 7u);
	KUNIT_EXPECT_EQ(test, res_rule(cdb, 6, TYPE_TAPE) & 7u, 7u);
	cdb[4] = 2;
	KUNIT_EXPECT_EQ(test, res_rule(cdb, 6, TYPE_DISK) & 7u, 0u);
	cdb[0] = START_STOP;
	cdb[4] = 0x11; /* START with a power condition: conflicts */
	KUNIT_EXPECT_EQ(test, res_rule(cdb, 6, TYPE_DISK) & 7u, 0u);
	cdb[4] = 0x01; /* START alone: allowed under WE and EA */
	KUNIT_EXPECT_EQ(test, res_rule(cdb, 6, TYPE_DISK) & 7u,
			(unsigned int)(SCST_RES_OK_WE | SCST_RES_OK_EA));
	/* The same opcode on a tape is LOAD UNLOAD: no exception. */
	KUNIT_EXPECT_EQ(test, res_rule(cdb, 6, TYPE_TAPE) & 7u, 0u);
	cdb[0] = MAINTENANCE_IN;
	cdb[1] = MI_REPORT_TARGET_PGS;
	KUNIT_EXPECT_EQ(test, res_rule(cdb, 12, TYPE_DISK) & 7u, 7u);
	/* SPC-4 "allowed under Write Exclusive" only (LIO and SCST agree). */
	cdb[1] = MI_REPORT_SUPPORTED_OPCODES;
	KUNIT_EXPECT_EQ(test, res_rule(cdb, 12, TYPE_DISK) & 7u,
			(unsigned int)SCST_RES_OK_WE);
	cdb[1] = MI_REPORT_SUPPORTED_TMFS;
	KUNIT_EXPECT_EQ(test, res_rule(cdb, 12, TYPE_DISK) & 7u,
			(unsigned int)SCST_RES_OK_WE);
	cdb[1] = 0;
	{
		static const uint8_t we_only[] = {
		    MODE_SENSE, MODE_SENSE_10, READ_BUFFER, RECEIVE_DIAGNOSTIC};
		unsigned int i;

		for (i = 0; i < sizeof(we_only); i++) {
			cdb[0] = we_only[i];
			KUNIT_EXPECT_EQ_MSG(test,
					    res_rule(cdb, 12, TYPE_DISK) & 7u,
					    (unsigned int)SCST_RES_OK_WE,
					    "opcode %#x", we_only[i]);
		}
		cdb[0] = READ_ATTRIBUTE; /* the medium auxiliary memory */
		KUNIT_EXPECT_EQ(test, res_rule(cdb, 16, TYPE_TAPE) & 7u,
				(unsigned int)SCST_RES_OK_WE);
	}
	cdb[0] = MAINTENANCE_OUT;
	cdb[1] = MO_SET_TARGET_PGS;
	KUNIT_EXPECT_EQ(test, res_rule(cdb, 12, TYPE_DISK) & 7u, 0u);
	cdb[0] = MOVE_MEDIUM; /* a changer's moves conflict */
	cdb[1] = 0;
	KUNIT_EXPECT_EQ(test, res_rule(cdb, 12, TYPE_MEDIUM_CHANGER), 0u);
	cdb[0] = PERSISTENT_RESERVE_OUT;
	KUNIT_EXPECT_TRUE(test, res_rule(cdb, 10, TYPE_DISK) & SCST_RES_F_PR);
	cdb[0] = RELEASE;
	KUNIT_EXPECT_EQ(test, res_rule(cdb, 6, TYPE_DISK),
			(unsigned int)(SCST_RES_OK_SPC2 | SCST_RES_F_SPC2));
}

/* ----------------------------------------------- service actions ---- */

static void pr_register(struct kunit *test)
{
	struct scst_local_sess *a = t_open_clear(test, "ini1", 1);
	struct scst_local_sess *b = t_open_clear(test, "ini2", 1);
	uint64_t k[4];

	KUNIT_EXPECT_EQ(test, generation(test, a), 0u);
	/* Not registered: RESERVATION KEY must be zero. */
	KUNIT_EXPECT_EQ(test, reg(test, a, 5, 0x10), T_RC);
	/* Not registered, SERVICE ACTION KEY zero: GOOD, nothing happens. */
	KUNIT_EXPECT_EQ(test, reg(test, a, 0, 0), T_GOOD);
	KUNIT_EXPECT_EQ(test, generation(test, a), 0u);
	KUNIT_EXPECT_EQ(test, reg(test, a, 0, 0x10), T_GOOD);
	KUNIT_EXPECT_EQ(test, reg(test, b, 0, 0x20), T_GOOD);
	KUNIT_EXPECT_EQ(test, generation(test, a), 2u);
	KUNIT_EXPECT_EQ(test, keys(test, b, k, 4), 2u);
	KUNIT_EXPECT_EQ(test, k[0], 0x10ull);
	KUNIT_EXPECT_EQ(test, k[1], 0x20ull);
	/* Registered: wrong key conflicts, right key changes it. */
	KUNIT_EXPECT_EQ(test, reg(test, a, 0x99, 0x11), T_RC);
	KUNIT_EXPECT_EQ(test, reg(test, a, 0x10, 0x11), T_GOOD);
	/* REGISTER AND IGNORE EXISTING KEY: any key. */
	KUNIT_EXPECT_EQ(test, prk(test, a, RIG, 0, 0x77, 0x12), T_GOOD);
	KUNIT_EXPECT_EQ(test, keys(test, b, k, 4), 2u);
	KUNIT_EXPECT_EQ(test, k[0], 0x12ull);
	KUNIT_EXPECT_EQ(test, generation(test, a), 4u);
	/* Unregister. */
	KUNIT_EXPECT_EQ(test, reg(test, a, 0x12, 0), T_GOOD);
	KUNIT_EXPECT_EQ(test, keys(test, b, k, 4), 1u);
	KUNIT_EXPECT_EQ(test, k[0], 0x20ull);
	KUNIT_EXPECT_EQ(test, generation(test, a), 5u);
	/* READ KEYS cut to the allocation length keeps the full length. */
	{
		uint8_t buf[12];
		uint32_t got;

		KUNIT_EXPECT_EQ(test, prin(test, a, 0, buf, 12, &got), T_GOOD);
		KUNIT_EXPECT_EQ(test, got, 12u);
		KUNIT_EXPECT_EQ(test, scst_get_be32(buf + 4), 8u);
	}
}

static void pr_param_errors(struct kunit *test)
{
	struct scst_local_sess *a = t_open_clear(test, "ini1", 1);
	struct prp pp = {.sakey = 1, .plen = 23};

	KUNIT_EXPECT_EQ(test, prout(test, a, REG, 0, &pp), T_PLL);
	pp.plen = 25;
	KUNIT_EXPECT_EQ(test, prout(test, a, REG, 0, &pp), T_PLL);
	pp.plen = 0;
	KUNIT_EXPECT_EQ(test, prout(test, a, REG, 0, &pp), T_PLL);
	pp.plen = -1;
	/* APTPL without a state directory: not supported. */
	pp.flags = 0x01;
	KUNIT_EXPECT_EQ(test, prout(test, a, REG, 0, &pp), T_IFP);
	pp.flags = 0;
	KUNIT_EXPECT_EQ(test, prout(test, a, REG, 0, &pp), T_GOOD);
	/* SPEC_I_PT outside REGISTER. */
	pp.rkey = 1;
	pp.flags = 0x08;
	KUNIT_EXPECT_EQ(test, prout(test, a, RES, WE, &pp), T_IFP);
	KUNIT_EXPECT_EQ(test, prout(test, a, RIG, 0, &pp), T_IFP);
	/* SPEC_I_PT from a registered nexus. */
	KUNIT_EXPECT_EQ(test, prout(test, a, REG, 0, &pp), T_IFP);
	pp.flags = 0;
	/* Bad type, bad scope. */
	KUNIT_EXPECT_EQ(test, prout(test, a, RES, 2, &pp), T_IFC);
	KUNIT_EXPECT_EQ(test, prout(test, a, RES, 0, &pp), T_IFC);
	KUNIT_EXPECT_EQ(test, prout(test, a, PRE, 9, &pp), T_IFC);
	pp.scope = 1;
	KUNIT_EXPECT_EQ(test, prout(test, a, RES, WE, &pp), T_IFC);
	KUNIT_EXPECT_EQ(test, prout(test, a, REL, WE, &pp), T_IFC);
	/* Service action 8 does not exist. */
	pp.scope = 0;
	KUNIT_EXPECT_EQ(test, prout(test, a, 8, WE, &pp), T_IFC);
	/* Nothing of the above changed anything. */
	KUNIT_EXPECT_EQ(test, generation(test, a), 1u);
}

static void pr_reserve_release(struct kunit *test)
{
	struct scst_local_sess *a = t_open_clear(test, "ini1", 1);
	struct scst_local_sess *b = t_open_clear(test, "ini2", 1);
	struct scst_local_sess *c = t_open_clear(test, "ini3", 1);
	uint8_t type = 0;

	/* Not registered, wrong key: conflict. */
	KUNIT_EXPECT_EQ(test, prk(test, a, RES, WE, 0, 0), T_RC);
	KUNIT_EXPECT_EQ(test, reg(test, a, 0, 0xa), T_GOOD);
	KUNIT_EXPECT_EQ(test, reg(test, b, 0, 0xb), T_GOOD);
	KUNIT_EXPECT_EQ(test, prk(test, a, RES, WE, 0xb, 0), T_RC);
	KUNIT_EXPECT_EQ(test, holder_key(test, a, &type), ~0ull);
	KUNIT_EXPECT_EQ(test, prk(test, a, RES, WE_RO, 0xa, 0), T_GOOD);
	KUNIT_EXPECT_EQ(test, holder_key(test, b, &type), 0xaull);
	KUNIT_EXPECT_EQ(test, type, WE_RO);
	/* Again, same type: GOOD; another type or another nexus: conflict. */
	KUNIT_EXPECT_EQ(test, prk(test, a, RES, WE_RO, 0xa, 0), T_GOOD);
	KUNIT_EXPECT_EQ(test, prk(test, a, RES, EA, 0xa, 0), T_RC);
	KUNIT_EXPECT_EQ(test, prk(test, b, RES, WE_RO, 0xb, 0), T_RC);
	/* RELEASE: not registered conflicts; a non-holder does nothing. */
	KUNIT_EXPECT_EQ(test, prk(test, c, REL, WE_RO, 0, 0), T_RC);
	KUNIT_EXPECT_EQ(test, prk(test, b, REL, WE_RO, 0xb, 0), T_GOOD);
	KUNIT_EXPECT_EQ(test, holder_key(test, b, &type), 0xaull);
	/* The holder with the wrong type: INVALID RELEASE. */
	KUNIT_EXPECT_EQ(test, prk(test, a, REL, WE, 0xa, 0),
			T_CC(ILLEGAL_REQUEST, 0x26, 0x04));
	KUNIT_EXPECT_EQ(test, generation(test, a), 2u);
	/* Released: a Registrants Only one tells the other registrants. */
	KUNIT_EXPECT_EQ(test, prk(test, a, REL, WE_RO, 0xa, 0), T_GOOD);
	KUNIT_EXPECT_EQ(test, holder_key(test, a, &type), ~0ull);
	expect_ua(test, b, 0x2a, 0x04);
	KUNIT_EXPECT_EQ(test, t_tur(test, a, 0), T_GOOD);
	KUNIT_EXPECT_EQ(test, t_tur(test, c, 0), T_GOOD);
	/* RESERVE and RELEASE leave the generation alone. */
	KUNIT_EXPECT_EQ(test, generation(test, a), 2u);
	/* A holder that unregisters ends its Registrants Only reservation. */
	KUNIT_EXPECT_EQ(test, prk(test, b, RES, EA_RO, 0xb, 0), T_GOOD);
	KUNIT_EXPECT_EQ(test, reg(test, b, 0xb, 0), T_GOOD);
	expect_ua(test, a, 0x2a, 0x04);
	KUNIT_EXPECT_EQ(test, holder_key(test, a, &type), ~0ull);
	/* All Registrants: key 0 shown, ends with the last registrant. */
	KUNIT_EXPECT_EQ(test, reg(test, b, 0, 0xb), T_GOOD);
	KUNIT_EXPECT_EQ(test, prk(test, b, RES, EA_AR, 0xb, 0), T_GOOD);
	KUNIT_EXPECT_EQ(test, holder_key(test, a, &type), 0ull);
	KUNIT_EXPECT_EQ(test, reg(test, b, 0xb, 0), T_GOOD);
	KUNIT_EXPECT_EQ(test, holder_key(test, a, &type), 0ull);
	KUNIT_EXPECT_EQ(test, rw(test, a, WRITE_10), T_GOOD);
	KUNIT_EXPECT_EQ(test, rw(test, b, READ_10), T_RC);
	KUNIT_EXPECT_EQ(test, reg(test, a, 0xa, 0), T_GOOD);
	KUNIT_EXPECT_EQ(test, holder_key(test, a, &type), ~0ull);
	KUNIT_EXPECT_EQ(test, rw(test, b, READ_10), T_GOOD);
}

static void pr_clear_and_preempt(struct kunit *test)
{
	struct scst_local_sess *a = t_open_clear(test, "ini1", 1);
	struct scst_local_sess *b = t_open_clear(test, "ini2", 1);
	struct scst_local_sess *c = t_open_clear(test, "ini3", 1);
	uint8_t type = 0;
	uint64_t k[4];

	KUNIT_EXPECT_EQ(test, reg(test, a, 0, 0xa), T_GOOD);
	KUNIT_EXPECT_EQ(test, reg(test, b, 0, 0xb), T_GOOD);
	KUNIT_EXPECT_EQ(test, reg(test, c, 0, 0xc), T_GOOD);
	KUNIT_EXPECT_EQ(test, prk(test, a, RES, WE, 0xa, 0), T_GOOD);
	/* PREEMPT: wrong own key, unknown victim key, key zero. */
	KUNIT_EXPECT_EQ(test, prk(test, b, PRE, EA, 0xa, 0xa), T_RC);
	KUNIT_EXPECT_EQ(test, prk(test, b, PRE, EA, 0xb, 0x99), T_RC);
	KUNIT_EXPECT_EQ(test, prk(test, b, PRE, EA, 0xb, 0), T_IFP);
	/* A non-holder's key: only that registration goes. */
	KUNIT_EXPECT_EQ(test, prk(test, b, PRE, EA, 0xb, 0xc), T_GOOD);
	expect_ua(test, c, 0x2a, 0x05);
	KUNIT_EXPECT_EQ(test, holder_key(test, a, &type), 0xaull);
	KUNIT_EXPECT_EQ(test, type, WE);
	KUNIT_EXPECT_EQ(test, t_tur(test, a, 0), T_GOOD);
	/* The holder's key: the reservation moves, with the new type. */
	KUNIT_EXPECT_EQ(test, prk(test, b, PRE, EA, 0xb, 0xa), T_GOOD);
	expect_ua(test, a, 0x2a, 0x05);
	KUNIT_EXPECT_EQ(test, holder_key(test, a, &type), 0xbull);
	KUNIT_EXPECT_EQ(test, type, EA);
	KUNIT_EXPECT_EQ(test, keys(test, b, k, 4), 1u);
	KUNIT_EXPECT_EQ(test, rw(test, a, READ_10), T_RC);
	KUNIT_EXPECT_EQ(test, t_tur(test, b, 0), T_GOOD);
	/* CLEAR: everything goes, the others hear RESERVATIONS PREEMPTED. */
	KUNIT_EXPECT_EQ(test, reg(test, a, 0, 0xa), T_GOOD);
	KUNIT_EXPECT_EQ(test, reg(test, c, 0, 0xc), T_GOOD);
	KUNIT_EXPECT_EQ(test, prk(test, c, CLR, 0, 0xa, 0), T_RC);
	KUNIT_EXPECT_EQ(test, prk(test, c, CLR, 0, 0xc, 0), T_GOOD);
	expect_ua(test, a, 0x2a, 0x03);
	expect_ua(test, b, 0x2a, 0x03);
	KUNIT_EXPECT_EQ(test, t_tur(test, c, 0), T_GOOD);
	KUNIT_EXPECT_EQ(test, keys(test, c, k, 4), 0u);
	KUNIT_EXPECT_EQ(test, holder_key(test, a, &type), ~0ull);
	KUNIT_EXPECT_EQ(test, generation(test, a), 8u);
	/* All Registrants, key zero: everyone else goes, new type. */
	KUNIT_EXPECT_EQ(test, reg(test, a, 0, 0xa), T_GOOD);
	KUNIT_EXPECT_EQ(test, reg(test, b, 0, 0xb), T_GOOD);
	KUNIT_EXPECT_EQ(test, prk(test, a, RES, WE_AR, 0xa, 0), T_GOOD);
	KUNIT_EXPECT_EQ(test, prk(test, b, PRE, EA, 0xb, 0), T_GOOD);
	expect_ua(test, a, 0x2a, 0x05);
	KUNIT_EXPECT_EQ(test, holder_key(test, a, &type), 0xbull);
	KUNIT_EXPECT_EQ(test, type, EA);
}

static void pr_preempt_and_abort(struct kunit *test)
{
	struct scst_local_sess *a = t_open_clear(test, "ini1", 1);
	struct scst_local_sess *b = t_open_clear(test, "ini2", 1);
	static uint8_t param[24];
	uint8_t cdb[10] = {PERSISTENT_RESERVE_OUT, PAB, EA, 0, 0, 0, 0, 0, 24};
	struct treq *rd, *pa;
	uint8_t type = 0;

	KUNIT_EXPECT_EQ(test, reg(test, a, 0, 0xa), T_GOOD);
	KUNIT_EXPECT_EQ(test, reg(test, b, 0, 0xb), T_GOOD);
	KUNIT_EXPECT_EQ(test, prk(test, a, RES, WE, 0xa, 0), T_GOOD);
	scst_null_set_flags(t_dev(test, 0), SCST_NULL_F_HOLD);
	rd = t_rd(test, a, 0, SCST_CMD_QUEUE_SIMPLE, 1);
	T_WAIT_HELD(test, 0, 1);
	memset(param, 0, sizeof(param));
	scst_put_be64(param, 0xb);
	scst_put_be64(param + 8, 0xa);
	pa = t_req_new(test, 0, cdb, 10, SCST_CMD_QUEUE_SIMPLE, 2);
	pa->r.data_out = param;
	pa->r.data_out_len = sizeof(param);
	KUNIT_ASSERT_EQ(test, scst_local_submit(b, &pa->r), 0);
	/* It waits for the command it aborted, held in the handler. */
	t_settle();
	KUNIT_EXPECT_EQ(test, t_req_ndone(pa), 0);
	scst_null_set_flags(t_dev(test, 0), 0);
	tenv_release_all(t_env(test));
	T_WAIT_DONE(test, pa);
	T_WAIT_DONE(test, rd);
	t_expect_good_once(test, pa);
	t_expect_aborted_once(test, rd);
	KUNIT_EXPECT_LT(test, rd->order, pa->order);
	expect_ua(test, a, 0x2a, 0x05);
	KUNIT_EXPECT_EQ(test, holder_key(test, b, &type), 0xbull);
	KUNIT_EXPECT_EQ(test, type, EA);
	KUNIT_EXPECT_EQ(test, rw(test, a, READ_10), T_RC);
}

static void pr_register_and_move(struct kunit *test)
{
	struct scst_local_sess *a = t_open_clear(test, "ini1", 1);
	struct scst_local_sess *b = t_open_clear(test, "ini2", 1);
	uint16_t rel = scst_tgt_rel_tgt_id(t_env(test)->tgt);
	struct scst_local_req r;
	uint8_t p[24 + SCST_TID_MAX];
	uint8_t cdb[10] = {PERSISTENT_RESERVE_OUT, RAM};
	uint8_t type = 0;
	int tl;
	uint64_t k[4];

	KUNIT_EXPECT_EQ(test, reg(test, a, 0, 0xa), T_GOOD);
	KUNIT_EXPECT_EQ(test, reg(test, b, 0, 0xb), T_GOOD);
	KUNIT_EXPECT_EQ(test, prk(test, a, RES, WE, 0xa, 0), T_GOOD);

#define RAM_TO(sess, name, rk, sak, flags, relid, want)                        \
	do {                                                                   \
		memset(p, 0, sizeof(p));                                       \
		scst_put_be64(p, rk);                                          \
		scst_put_be64(p + 8, sak);                                     \
		p[17] = flags;                                                 \
		scst_put_be16(p + 18, relid);                                  \
		tl = tid_of(name, p + 24);                                     \
		scst_put_be32(p + 20, (uint32_t)tl);                           \
		scst_put_be32(cdb + 5, 24 + (uint32_t)tl);                     \
		memset(&r, 0, sizeof(r));                                      \
		memcpy(r.cdb, cdb, 10);                                        \
		r.cdb_len = 10;                                                \
		r.data_out = p;                                                \
		r.data_out_len = 24 + (uint32_t)tl;                            \
		KUNIT_ASSERT_EQ(test, scst_local_exec(sess, &r), 0);           \
		KUNIT_EXPECT_EQ_MSG(test, t_result(&r), want, "line %d",       \
				    __LINE__);                                 \
	} while (0)

	/* Not the holder; to itself; key zero; unknown target port. */
	RAM_TO(b, "ini3", 0xb, 0x5, 0, rel, T_RC);
	RAM_TO(a, "ini1", 0xa, 0x5, 0, rel, T_IFP);
	RAM_TO(a, "ini3", 0xa, 0, 0, rel, T_IFP);
	RAM_TO(a, "ini3", 0xa, 0x5, 0, (uint16_t)(rel + 100), T_IFP);
	/* Move to ini3 (not registered yet), unregistering ini1. */
	RAM_TO(a, "ini3", 0xa, 0x5, 0x02, rel, T_GOOD);
	KUNIT_EXPECT_EQ(test, holder_key(test, b, &type), 0x5ull);
	KUNIT_EXPECT_EQ(test, type, WE);
	KUNIT_EXPECT_EQ(test, keys(test, b, k, 4), 2u);
	KUNIT_EXPECT_EQ(test, rw(test, a, WRITE_10), T_RC);
	{
		struct scst_local_sess *c = t_open_clear(test, "ini3", 1);

		KUNIT_EXPECT_EQ(test, rw(test, c, WRITE_10), T_GOOD);
		/* An All Registrants reservation cannot be moved. */
		KUNIT_EXPECT_EQ(test, prk(test, c, REL, WE, 0x5, 0), T_GOOD);
		KUNIT_EXPECT_EQ(test, prk(test, c, RES, WE_AR, 0x5, 0), T_GOOD);
		t_clear_ua(test, b, 0);
		RAM_TO(c, "ini1", 0x5, 0x7, 0, rel, T_RC);
	}
#undef RAM_TO
}

static void pr_spec_i_pt(struct kunit *test)
{
	struct scst_local_sess *a = t_open_clear(test, "ini1", 1);
	struct scst_local_sess *b;
	uint8_t tids[3 * SCST_TID_MAX], buf[1024];
	int l1, l2;
	struct prp pp = {.sakey = 0x7, .flags = 0x08, .plen = -1};
	uint64_t k[4];
	uint32_t got;

	l1 = tid_of("ini2", tids);
	l2 = tid_of("INI3", tids + l1);
	KUNIT_ASSERT_GT(test, l1, 0);
	/* A bad protocol identifier in the second: nothing registered. */
	memcpy(buf, tids, (size_t)(l1 + l2));
	buf[l1] = 0x06;
	pp.extra = buf;
	pp.extra_len = (uint32_t)(l1 + l2);
	KUNIT_EXPECT_EQ(test, prout(test, a, REG, 0, &pp), T_IFP);
	/* The same one twice. */
	memcpy(buf + l1, tids, (size_t)l1);
	pp.extra_len = (uint32_t)(2 * l1);
	KUNIT_EXPECT_EQ(test, prout(test, a, REG, 0, &pp), T_IFP);
	/* A TransportID parameter data length past the list. */
	pp.extra = tids;
	pp.extra_len = (uint32_t)(l1 + l2);
	pp.plen = 28 + l1;
	KUNIT_EXPECT_EQ(test, prout(test, a, REG, 0, &pp), T_PLL);
	KUNIT_EXPECT_EQ(test, keys(test, a, k, 4), 0u);
	pp.plen = -1;
	KUNIT_EXPECT_EQ(test, prout(test, a, REG, 0, &pp), T_GOOD);
	KUNIT_EXPECT_EQ(test, keys(test, a, k, 4), 3u);
	/* ini2 is registered through ini1's command (names ignore case). */
	b = t_open_clear(test, "ini2", 1);
	KUNIT_EXPECT_EQ(test, prk(test, b, RES, WE, 0x7, 0), T_GOOD);
	/* READ FULL STATUS: three descriptors with their TransportIDs. */
	KUNIT_EXPECT_EQ(test, prin(test, a, 3, buf, sizeof(buf), &got), T_GOOD);
	KUNIT_EXPECT_EQ(test, scst_get_be32(buf + 4) + 8, got);
	{
		uint32_t off = 8, n = 0, holders = 0;

		while (off + 24 <= got) {
			uint32_t dl = scst_get_be32(buf + off + 20);

			if (buf[off + 12] & 1) {
				holders++;
				KUNIT_EXPECT_EQ(test, buf[off + 13], WE);
				KUNIT_EXPECT_STREQ(test, (char *)buf + off + 28,
						   "ini2");
			}
			n++;
			off += 24 + dl;
		}
		KUNIT_EXPECT_EQ(test, n, 3u);
		KUNIT_EXPECT_EQ(test, holders, 1u);
	}
	/* REPORT CAPABILITIES. */
	KUNIT_EXPECT_EQ(test, prin(test, a, 2, buf, 8, &got), T_GOOD);
	KUNIT_EXPECT_EQ(test, scst_get_be16(buf), 8u);
	KUNIT_EXPECT_EQ(test, buf[2] & 0x1c, 0x1c); /* CRH SIP_C ATP_C */
	KUNIT_EXPECT_EQ(test, buf[4], 0xea);
	KUNIT_EXPECT_EQ(test, buf[5], 0x01);
}

/* ------------------------------------------------------------- APTPL ---- */

static void pr_aptpl_restart(struct kunit *test)
{
	char dir[] = "/tmp/scst_pr_test.XXXXXX", path[128], state[512];
	struct scst_local_sess *a;
	struct prp pp = {.sakey = 0x1234, .flags = 0x01, .plen = -1};
	uint8_t type = 0;
	uint64_t k[4];

	KUNIT_ASSERT_NOT_NULL(test, mkdtemp(dir));
	scst_set_state_dir(dir);
	tenv_down(test);
	KUNIT_ASSERT_EQ(test, tenv_up(test, 1, 1, 0), 0);
	a = t_open_clear(test, "ini1", 1);
	KUNIT_EXPECT_EQ(test, prout(test, a, REG, 0, &pp), T_GOOD);
	KUNIT_EXPECT_EQ(test, prk(test, a, RES, EA_RO, 0x1234, 0), T_GOOD);
	KUNIT_EXPECT_EQ(
	    test,
	    scst_tree_read("/devices/null0/pr_state", state, sizeof(state)) > 0,
	    true);
	KUNIT_EXPECT_NOT_NULL(test, strstr(state, "aptpl 1"));
	/* Everything goes: sessions, device, engine. */
	tenv_down(test);
	KUNIT_ASSERT_EQ(test, tenv_up(test, 1, 1, 0), 0);
	a = t_open_clear(test, "ini1", 1);
	KUNIT_EXPECT_EQ(test, keys(test, a, k, 4), 1u);
	KUNIT_EXPECT_EQ(test, k[0], 0x1234ull);
	KUNIT_EXPECT_EQ(test, holder_key(test, a, &type), 0x1234ull);
	KUNIT_EXPECT_EQ(test, type, EA_RO);
	KUNIT_EXPECT_EQ(test, generation(test, a), 1u);
	KUNIT_EXPECT_EQ(test, rw(test, a, WRITE_10), T_GOOD);
	{
		struct scst_local_sess *b = t_open_clear(test, "ini2", 1);

		KUNIT_EXPECT_EQ(test, rw(test, b, READ_10), T_RC);
	}
	memset(state, 0, sizeof(state));
	KUNIT_EXPECT_GT(
	    test,
	    scst_tree_read("/devices/null0/pr_state", state, sizeof(state)), 0);
	KUNIT_EXPECT_NOT_NULL(
	    test, strstr(state, "reservation exclusive_access_registrants_only"
				" holder ini1"));
	/* APTPL cleared: the file goes, a restart starts empty. */
	pp.rkey = 0x1234;
	pp.flags = 0;
	KUNIT_EXPECT_EQ(test, prout(test, a, REG, 0, &pp), T_GOOD);
	scst_snprintf(path, sizeof(path), "%s/pr.null0", dir);
	KUNIT_EXPECT_NE(test, access(path, F_OK), 0);
	tenv_down(test);
	KUNIT_ASSERT_EQ(test, tenv_up(test, 1, 1, 0), 0);
	a = t_open_clear(test, "ini1", 1);
	KUNIT_EXPECT_EQ(test, keys(test, a, k, 4), 0u);
	scst_set_state_dir(NULL);
	rmdir(dir);
}

/* ------------------------------------------------------------- SPC-2 ---- */

static void res_reserve_release(struct kunit *test)
{
	struct scst_local_sess *a = t_open_clear(test, "ini1", 1);
	struct scst_local_sess *b = t_open_clear(test, "ini2", 1);
	uint8_t buf[8];

	KUNIT_EXPECT_EQ(test, cmd6(test, a, RESERVE, 0, 0), T_GOOD);
	KUNIT_EXPECT_EQ(test, cmd6(test, a, RESERVE, 0, 0), T_GOOD);
	KUNIT_EXPECT_EQ(test, cmd6(test, b, RESERVE, 0, 0), T_RC);
	KUNIT_EXPECT_EQ(test, cmd6(test, b, RESERVE_10, 0, 0), T_RC);
	KUNIT_EXPECT_EQ(test, t_tur(test, b, 0), T_RC);
	KUNIT_EXPECT_EQ(test, rw(test, b, READ_10), T_RC);
	KUNIT_EXPECT_EQ(test, matrix_run(test, b, C_INQ), T_GOOD);
	KUNIT_EXPECT_EQ(test, matrix_run(test, b, C_RC), T_GOOD);
	KUNIT_EXPECT_EQ(test, rw(test, a, WRITE_10), T_GOOD);
	/* RELEASE from the other nexus: GOOD, the reservation stays. */
	KUNIT_EXPECT_EQ(test, cmd6(test, b, RELEASE, 0, 0), T_GOOD);
	KUNIT_EXPECT_EQ(test, t_tur(test, b, 0), T_RC);
	/* Persistent reservations conflict for everyone meanwhile. */
	KUNIT_EXPECT_EQ(test, prin(test, a, 0, buf, 8, NULL), T_RC);
	KUNIT_EXPECT_EQ(test, reg(test, a, 0, 1), T_RC);
	KUNIT_EXPECT_EQ(test, cmd6(test, a, RELEASE_10, 0, 0), T_GOOD);
	KUNIT_EXPECT_EQ(test, t_tur(test, b, 0), T_GOOD);
	/* Third-party forms are refused. */
	KUNIT_EXPECT_EQ(test, cmd6(test, a, RESERVE_10, 0x10, 0), T_IFC);
	KUNIT_EXPECT_EQ(test, cmd6(test, a, RELEASE_10, 0x10, 0), T_IFC);
	/* Registrations make RESERVE and RELEASE conflict for everyone. */
	KUNIT_EXPECT_EQ(test, reg(test, a, 0, 1), T_GOOD);
	KUNIT_EXPECT_EQ(test, cmd6(test, a, RESERVE, 0, 0), T_RC);
	KUNIT_EXPECT_EQ(test, cmd6(test, b, RELEASE, 0, 0), T_RC);
	KUNIT_EXPECT_EQ(test, reg(test, a, 1, 0), T_GOOD);
	KUNIT_EXPECT_EQ(test, cmd6(test, b, RESERVE, 0, 0), T_GOOD);
	KUNIT_EXPECT_EQ(test, cmd6(test, b, RELEASE, 0, 0), T_GOOD);
	/*
	 * SPC-4 5.7.3: from the persistent reservation holder, or from a
	 * registrant under a Registrants Only reservation, RESERVE and
	 * RELEASE are GOOD and change nothing; others still conflict.
	 */
	KUNIT_EXPECT_EQ(test, reg(test, a, 0, 1), T_GOOD);
	KUNIT_EXPECT_EQ(test, reg(test, b, 0, 2), T_GOOD);
	KUNIT_EXPECT_EQ(test, prk(test, a, RES, WE, 1, 0), T_GOOD);
	KUNIT_EXPECT_EQ(test, cmd6(test, a, RESERVE, 0, 0), T_GOOD);
	KUNIT_EXPECT_EQ(test, cmd6(test, a, RELEASE_10, 0, 0), T_GOOD);
	KUNIT_EXPECT_EQ(test, cmd6(test, b, RESERVE, 0, 0), T_RC);
	KUNIT_EXPECT_EQ(test, rw(test, b, WRITE_10), T_RC); /* still WE */
	KUNIT_EXPECT_EQ(test, prk(test, a, REL, WE, 1, 0), T_GOOD);
	KUNIT_EXPECT_EQ(test, prk(test, a, RES, WE_RO, 1, 0), T_GOOD);
	KUNIT_EXPECT_EQ(test, cmd6(test, b, RESERVE, 0, 0), T_GOOD);
	KUNIT_EXPECT_EQ(test, cmd6(test, b, RELEASE, 0, 0), T_GOOD);
	KUNIT_EXPECT_EQ(test, rw(test, b, WRITE_10), T_GOOD); /* registrant */
	KUNIT_EXPECT_EQ(test, prk(test, a, CLR, 0, 1, 0), T_GOOD);
	t_clear_ua(test, b, 0);
	KUNIT_EXPECT_EQ(test, cmd6(test, b, RESERVE, 0, 0), T_GOOD);
	KUNIT_EXPECT_EQ(test, cmd6(test, b, RELEASE, 0, 0), T_GOOD);
}

static void res_reset_and_nexus_loss(struct kunit *test)
{
	struct scst_local_sess *a = t_open_clear(test, "ini1", 1);
	struct scst_local_sess *b = t_open_clear(test, "ini2", 1);
	struct scst_local_tmf t = {.fn = SCST_LUN_RESET, .lun = 0};

	KUNIT_EXPECT_EQ(test, cmd6(test, a, RESERVE, 0, 0), T_GOOD);
	KUNIT_EXPECT_EQ(test, scst_local_tmf_exec(b, &t),
			SCST_MGMT_STATUS_SUCCESS);
	t_clear_ua(test, a, 0);
	t_clear_ua(test, b, 0);
	KUNIT_EXPECT_EQ(test, cmd6(test, b, RESERVE, 0, 0), T_GOOD);
	KUNIT_EXPECT_EQ(test, t_tur(test, a, 0), T_RC);
	/* The holder's I_T nexus ends: so does its reservation. */
	tenv_close(test, t_env(test), 1);
	KUNIT_EXPECT_EQ(test, t_tur(test, a, 0), T_GOOD);
	KUNIT_EXPECT_EQ(test, cmd6(test, a, RESERVE, 0, 0), T_GOOD);
	/* I_T NEXUS RESET too. */
	memset(&t, 0, sizeof(t));
	t.fn = SCST_NEXUS_LOSS_SESS;
	KUNIT_EXPECT_EQ(test, scst_local_tmf_exec(a, &t),
			SCST_MGMT_STATUS_SUCCESS);
	b = t_open_clear(test, "ini2", 1);
	KUNIT_EXPECT_EQ(test, t_tur(test, b, 0), T_GOOD);
	/* Persistent registrations survive a nexus loss. */
	t_clear_ua(test, a, 0);
	KUNIT_EXPECT_EQ(test, reg(test, a, 0, 0x3), T_GOOD);
	KUNIT_EXPECT_EQ(test, prk(test, a, RES, EA, 0x3, 0), T_GOOD);
	tenv_close(test, t_env(test), 0);
	KUNIT_EXPECT_EQ(test, rw(test, b, READ_10), T_RC);
	a = t_open_clear(test, "ini1", 1);
	KUNIT_EXPECT_EQ(test, t_tur(test, a, 0), T_GOOD);
	KUNIT_EXPECT_EQ(test, prk(test, a, CLR, 0, 0x3, 0), T_GOOD);
}

static struct kunit_case scst_pr_test_cases[] = {
    KUNIT_CASE(pr_conflict_matrix),
    KUNIT_CASE(pr_table_rules),
    KUNIT_CASE(pr_register),
    KUNIT_CASE(pr_param_errors),
    KUNIT_CASE(pr_reserve_release),
    KUNIT_CASE(pr_clear_and_preempt),
    KUNIT_CASE(pr_preempt_and_abort),
    KUNIT_CASE(pr_register_and_move),
    KUNIT_CASE(pr_spec_i_pt),
    KUNIT_CASE(pr_aptpl_restart),
    KUNIT_CASE(res_reserve_release),
    KUNIT_CASE(res_reset_and_nexus_loss),
    {}};

static struct kunit_suite scst_pr_test_suite = {
    .name = "scst_pr",
    .init = pr_init,
    .exit = tenv_down,
    .test_cases = scst_pr_test_cases,
};

kunit_test_suite(scst_pr_test_suite);
