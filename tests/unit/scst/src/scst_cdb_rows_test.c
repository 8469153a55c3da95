// SPDX-License-Identifier: GPL-2.0-only
/*
 * The opcode rows of every device-type set (scst/src/scst_cdb_<set>.c):
 *  - each row is well formed (lengths, usage masks, columns in range),
 *    sorted, unique in its set, and no opcode is both SPC's and a set's;
 *  - each row decodes a sample CDB to the direction, length and block
 *    count the standard gives (the expectations below are written from
 *    SPC-4, SBC-3, MMC-6, SSC-3 and SMC-3, one or more per row, and every
 *    row must be named by one);
 *  - the reservation, ALUA, no-medium and writes-medium columns match the
 *    tables they replaced (scst_res_table.c, scst_alua_table.c and vdisk's
 *    opcode lists, kept below as the oracle), over every opcode and
 *    service action.
 */
#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include <kunit/test.h>

#include "scst_cdb_sets.h"
#include "scst_priv.h"

static const uint8_t set_type[] = {TYPE_NO_LUN, TYPE_DISK, TYPE_ROM, TYPE_TAPE,
				   TYPE_MEDIUM_CHANGER};

/* ------------------------------------------------------- well formed ---- */

static void rows_check_one(struct kunit *test, const struct scst_cdb_set *set,
			   unsigned int i)
{
	const struct scst_cdb_info *ci = &set->rows[i];
	const char *name = ci->name ? ci->name : "(null)";
	unsigned int n = ci->cdb_len, b;

	KUNIT_EXPECT_NOT_NULL(test, ci->name);
	KUNIT_ASSERT_TRUE_MSG(test, n == 6 || n == 10 || n == 12 || n == 16,
			      "%s: cdb_len %u", name, n);
	KUNIT_EXPECT_EQ_MSG(test, ci->usage[0], 0xff, "%s", name);
	KUNIT_EXPECT_EQ_MSG(test, ci->usage[n - 1], 0xc0, "%s", name);
	for (b = n; b < SCST_MAX_CDB_LEN; b++)
		KUNIT_EXPECT_EQ_MSG(test, ci->usage[b], 0, "%s", name);
	KUNIT_EXPECT_TRUE_MSG(test, ci->ser < SCST_SER_COUNT, "%s", name);
	KUNIT_EXPECT_TRUE_MSG(test, ci->tmo < SCST_TMO_COUNT, "%s", name);
	KUNIT_EXPECT_TRUE_MSG(test, ci->dir <= SCST_DATA_READ, "%s", name);
	KUNIT_EXPECT_EQ_MSG(test, ci->alua & ~SCST_ALUA_OK_ALL, 0, "%s", name);
	KUNIT_EXPECT_EQ_MSG(
	    test, ci->res & ~(SCST_RES_ALL | SCST_RES_F_PR | SCST_RES_F_SPC2),
	    0, "%s", name);
	if (ci->flags & SCST_CDB_F_HAS_SA) {
		KUNIT_EXPECT_TRUE_MSG(test, ci->sa <= 0x1f, "%s", name);
		KUNIT_EXPECT_EQ_MSG(test, ci->usage[1] & 0x1f, 0x1f, "%s",
				    name);
	} else {
		KUNIT_EXPECT_EQ_MSG(test, ci->sa, 0, "%s", name);
	}
	switch (ci->len_unit) {
	case SCST_LEN_BYTES:
	case SCST_LEN_BLOCKS:
	case SCST_LEN_TAPE:
		KUNIT_EXPECT_TRUE_MSG(test,
				      ci->len_size >= 1 && ci->len_size <= 4 &&
					  ci->len_off >= 1 &&
					  ci->len_off + ci->len_size <= n - 1,
				      "%s", name);
		for (b = ci->len_off; b < ci->len_off + ci->len_size && b < n;
		     b++)
			KUNIT_EXPECT_EQ_MSG(test, ci->usage[b], 0xff,
					    "%s byte %u", name, b);
		if (ci->len_unit == SCST_LEN_TAPE)
			KUNIT_EXPECT_TRUE_MSG(test, ci->usage[1] & 0x01, "%s",
					      name);
		break;
	case SCST_LEN_FIXED:
		KUNIT_EXPECT_TRUE_MSG(test, ci->fixed_len > 0, "%s", name);
		KUNIT_EXPECT_EQ_MSG(test, ci->len_size, 0, "%s", name);
		break;
	default:
		KUNIT_EXPECT_EQ_MSG(test, ci->len_unit, SCST_LEN_NONE, "%s",
				    name);
		KUNIT_EXPECT_EQ_MSG(test, ci->len_size, 0, "%s", name);
		break;
	}
	/* Data moves only with a length (or FORMAT UNIT's header). */
	if (ci->dir != SCST_DATA_NONE && !(ci->flags & SCST_CDB_F_FORMAT_DATA))
		KUNIT_EXPECT_NE_MSG(test, ci->len_unit, SCST_LEN_NONE, "%s",
				    name);
	if (ci->flags & SCST_CDB_F_LEN0_256)
		KUNIT_EXPECT_EQ_MSG(test, n, 6, "%s", name);
	if (ci->lba_off) {
		KUNIT_EXPECT_TRUE_MSG(
		    test,
		    (ci->lba_size == 3 && ci->lba_off == 1 && n == 6) ||
			ci->lba_size == 4 || ci->lba_size == 8,
		    "%s", name);
		KUNIT_EXPECT_TRUE_MSG(test, ci->lba_off + ci->lba_size <= n - 1,
				      "%s", name);
		for (b = ci->lba_off + 1; b < ci->lba_off + ci->lba_size; b++)
			KUNIT_EXPECT_EQ_MSG(test, ci->usage[b], 0xff, "%s",
					    name);
	} else {
		KUNIT_EXPECT_EQ_MSG(test, ci->lba_size, 0, "%s", name);
	}
	if (ci->flags & SCST_CDB_F_WRITE_MEDIUM)
		KUNIT_EXPECT_TRUE_MSG(test,
				      ci->ser == SCST_SER_WRITE ||
					  ci->ser == SCST_SER_ATOMIC ||
					  ci->ser == SCST_SER_EXCL,
				      "%s", name);
	if (i == 0)
		return;
	/* Sorted by (opcode, service action), no two alike. */
	KUNIT_EXPECT_TRUE_MSG(
	    test,
	    ci[-1].opcode < ci->opcode ||
		(ci[-1].opcode == ci->opcode &&
		 (ci->flags & ci[-1].flags & SCST_CDB_F_HAS_SA) &&
		 ci[-1].sa < ci->sa),
	    "%s: %s after %s", set->name, name, ci[-1].name);
}

static void rows_well_formed(struct kunit *test)
{
	unsigned int s, i, j, total = 0;

	for (s = 0; s < scst_cdb_nsets; s++) {
		const struct scst_cdb_set *set = scst_cdb_all_sets[s];

		KUNIT_EXPECT_TRUE(test, *set->nrows > 0);
		for (i = 0; i < *set->nrows; i++, total++)
			rows_check_one(test, set, i);
		if (set == &scst_cdb_set_spc)
			continue;
		/* An opcode is SPC's or a set's, never both. */
		for (i = 0; i < *set->nrows; i++)
			for (j = 0; j < scst_cdb_spc_nrows; j++)
				KUNIT_EXPECT_NE_MSG(test, set->rows[i].opcode,
						    scst_cdb_spc_rows[j].opcode,
						    "%s %s / SPC %s", set->name,
						    set->rows[i].name,
						    scst_cdb_spc_rows[j].name);
	}
	KUNIT_EXPECT_EQ(test, total, 112u);
}

struct for_each_count {
	unsigned int rows;
};

static void count_row(const struct scst_cdb_info *ci, void *arg)
{
	struct for_each_count *c = arg;

	(void)ci;
	c->rows++;
}

/* A device type's commands: its set's rows, then SPC's. */
static void rows_for_each_type(struct kunit *test)
{
	unsigned int i;

	for (i = 0; i < sizeof(set_type); i++) {
		const struct scst_cdb_set *set = scst_cdb_type_set(set_type[i]);
		struct for_each_count c = {0};

		scst_cdb_for_each(set_type[i], count_row, &c);
		KUNIT_EXPECT_EQ(test, c.rows,
				scst_cdb_spc_nrows + (set ? *set->nrows : 0));
	}
	KUNIT_EXPECT_NULL(test, scst_cdb_type_set(TYPE_PROCESSOR));
}

/* ------------------------------------------------- sample decodings ---- */

#define N SCST_DATA_NONE
#define R SCST_DATA_READ
#define W SCST_DATA_WRITE
#define D TYPE_DISK
#define C TYPE_ROM
#define T TYPE_TAPE
#define M TYPE_MEDIUM_CHANGER
#define Z TYPE_NO_LUN

struct sample {
	uint8_t type;
	const char *cdb; /* hex bytes; the CDB's length is the row's */
	uint32_t bs;
	uint8_t dir;
	uint32_t len;
	int nblocks; /* -1: not checked */
	const char *row;
};

/* What the standards say each command moves, one sample or more per row. */
static const struct sample samples[] = {
    /* SPC-4, through several device types */
    {Z, "00 00 00 00 00 00", 512, N, 0, -1, "TEST UNIT READY"},
    {T, "03 00 00 00 12 00", 512, R, 18, -1, "REQUEST SENSE"},
    {Z, "12 00 00 00 24 00", 512, R, 36, -1, "INQUIRY"},
    {D, "15 10 00 00 18 00", 512, W, 24, -1, "MODE SELECT(6)"},
    {D, "16 00 00 00 00 00", 512, N, 0, -1, "RESERVE(6)"},
    {D, "17 00 00 00 00 00", 512, N, 0, -1, "RELEASE(6)"},
    {M, "1a 00 3f 00 ff 00", 512, R, 255, -1, "MODE SENSE(6)"},
    {D, "1c 01 00 01 00 00", 512, R, 256, -1, "RECEIVE DIAGNOSTIC RESULTS"},
    {D, "1d 10 00 00 08 00", 512, W, 8, -1, "SEND DIAGNOSTIC"},
    {D, "3b 02 00 00 00 00 00 02 00 00", 512, W, 512, -1, "WRITE BUFFER"},
    {T, "3c 02 00 00 00 00 00 01 00 00", 512, R, 256, -1, "READ BUFFER"},
    {D, "4c 02 00 00 00 00 00 00 10 00", 512, W, 16, -1, "LOG SELECT"},
    {T, "4d 00 40 00 00 00 00 10 00 00", 512, R, 4096, -1, "LOG SENSE"},
    {D, "55 10 00 00 00 00 00 00 20 00", 512, W, 32, -1, "MODE SELECT(10)"},
    {D, "56 00 00 00 00 00 00 00 00 00", 512, W, 0, -1, "RESERVE(10)"},
    {D, "57 00 00 00 00 00 00 00 00 00", 512, W, 0, -1, "RELEASE(10)"},
    {C, "5a 00 3f 00 00 00 00 01 00 00", 512, R, 256, -1, "MODE SENSE(10)"},
    {D, "5e 00 00 00 00 00 00 00 20 00", 512, R, 32, -1,
     "PERSISTENT RESERVE IN / READ KEYS"},
    {T, "5e 01 00 00 00 00 00 00 20 00", 512, R, 32, -1,
     "PERSISTENT RESERVE IN / READ RESERVATION"},
    {D, "5e 02 00 00 00 00 00 00 08 00", 512, R, 8, -1,
     "PERSISTENT RESERVE IN / REPORT CAPABILITIES"},
    {M, "5e 03 00 00 00 00 00 01 00 00", 512, R, 256, -1,
     "PERSISTENT RESERVE IN / READ FULL STATUS"},
    {D, "5f 00 00 00 00 00 00 00 18 00", 512, W, 24, -1,
     "PERSISTENT RESERVE OUT / REGISTER"},
    {D, "5f 01 05 00 00 00 00 00 18 00", 512, W, 24, -1,
     "PERSISTENT RESERVE OUT / RESERVE"},
    {T, "5f 02 01 00 00 00 00 00 18 00", 512, W, 24, -1,
     "PERSISTENT RESERVE OUT / RELEASE"},
    {D, "5f 03 00 00 00 00 00 00 18 00", 512, W, 24, -1,
     "PERSISTENT RESERVE OUT / CLEAR"},
    {D, "5f 04 01 00 00 00 00 00 18 00", 512, W, 24, -1,
     "PERSISTENT RESERVE OUT / PREEMPT"},
    {D, "5f 05 01 00 00 00 00 00 18 00", 512, W, 24, -1,
     "PERSISTENT RESERVE OUT / PREEMPT AND ABORT"},
    {D, "5f 06 00 00 00 00 00 00 18 00", 512, W, 24, -1,
     "PERSISTENT RESERVE OUT / REGISTER AND IGNORE EXISTING KEY"},
    {D, "5f 07 01 00 00 00 00 00 28 00", 512, W, 40, -1,
     "PERSISTENT RESERVE OUT / REGISTER AND MOVE"},
    {D, "83 00 00 00 00 00 00 00 00 00 00 00 00 40 00 00", 512, W, 64, -1,
     "EXTENDED COPY(LID1)"},
    {D, "84 00 00 00 00 00 00 00 00 00 00 00 02 00 00 00", 512, R, 512, -1,
     "RECEIVE COPY RESULTS / COPY STATUS(LID1)"},
    {D, "84 01 00 00 00 00 00 00 00 00 00 00 02 00 00 00", 512, R, 512, -1,
     "RECEIVE COPY RESULTS / RECEIVE DATA(LID1)"},
    {D, "84 03 00 00 00 00 00 00 00 00 00 00 02 00 00 00", 512, R, 512, -1,
     "RECEIVE COPY RESULTS / OPERATING PARAMETERS"},
    {D, "84 04 00 00 00 00 00 00 00 00 00 00 02 00 00 00", 512, R, 512, -1,
     "RECEIVE COPY RESULTS / FAILED SEGMENT DETAILS(LID1)"},
    {Z, "a0 00 00 00 00 00 00 00 10 00 00 00", 512, R, 4096, -1, "REPORT LUNS"},
    {D, "a3 0a 00 00 00 00 00 00 04 00 00 00", 512, R, 1024, -1,
     "REPORT TARGET PORT GROUPS"},
    {T, "a3 0c 00 00 00 00 00 00 02 00 00 00", 512, R, 512, -1,
     "REPORT SUPPORTED OPERATION CODES"},
    {D, "a3 0d 00 00 00 00 00 00 00 10 00 00", 512, R, 16, -1,
     "REPORT SUPPORTED TASK MANAGEMENT FUNCTIONS"},
    {D, "a4 0a 00 00 00 00 00 00 00 0c 00 00", 512, W, 12, -1,
     "SET TARGET PORT GROUPS"},
    /* SBC-3 */
    {D, "04 00 00 00 00 00", 512, N, 0, -1, "FORMAT UNIT"},
    {D, "08 00 00 10 04 00", 512, R, 2048, 4, "READ(6)"},
    {D, "0a 00 00 00 00 00", 512, W, 131072, 256, "WRITE(6)"},
    {D, "1b 00 00 00 01 00", 512, N, 0, -1, "START STOP UNIT"},
    {D, "1e 00 00 00 01 00", 512, N, 0, -1, "PREVENT ALLOW MEDIUM REMOVAL"},
    {D, "25 00 00 00 00 00 00 00 00 00", 512, R, 8, -1, "READ CAPACITY(10)"},
    {D, "28 00 00 00 00 00 00 00 08 00", 4096, R, 32768, 8, "READ(10)"},
    {D, "2a 00 00 00 00 00 00 00 02 00", 512, W, 1024, 2, "WRITE(10)"},
    {D, "2e 00 00 00 00 00 00 00 01 00", 512, W, 512, 1,
     "WRITE AND VERIFY(10)"},
    {D, "2f 00 00 00 00 00 00 00 08 00", 512, N, 0, 8, "VERIFY(10)"},
    {D, "34 00 00 00 00 00 00 00 08 00", 512, N, 0, 8, "PRE-FETCH(10)"},
    {D, "35 00 00 00 00 00 00 00 00 00", 512, N, 0, 0, "SYNCHRONIZE CACHE(10)"},
    {D, "41 00 00 00 00 00 00 00 10 00", 512, W, 512, 16, "WRITE SAME(10)"},
    {D, "42 00 00 00 00 00 00 00 18 00", 512, W, 24, -1, "UNMAP"},
    {D, "88 00 00 00 00 00 00 00 00 00 00 00 00 02 00 00", 512, R, 1024, 2,
     "READ(16)"},
    {D, "89 00 00 00 00 00 00 00 00 00 00 00 00 01 00 00", 512, W, 1024, 1,
     "COMPARE AND WRITE"},
    {D, "8a 00 00 00 00 00 00 00 00 00 00 00 00 01 00 00", 512, W, 512, 1,
     "WRITE(16)"},
    {D, "8e 00 00 00 00 00 00 00 00 00 00 00 00 01 00 00", 512, W, 512, 1,
     "WRITE AND VERIFY(16)"},
    {D, "8f 02 00 00 00 00 00 00 00 00 00 00 00 02 00 00", 512, W, 1024, 2,
     "VERIFY(16)"},
    {D, "90 00 00 00 00 00 00 00 00 00 00 00 00 02 00 00", 512, N, 0, 2,
     "PRE-FETCH(16)"},
    {D, "91 00 00 00 00 00 00 00 00 00 00 00 00 00 00 00", 512, N, 0, 0,
     "SYNCHRONIZE CACHE(16)"},
    {D, "93 00 00 00 00 00 00 00 00 00 00 00 00 04 00 00", 512, W, 512, 4,
     "WRITE SAME(16)"},
    {D, "9e 10 00 00 00 00 00 00 00 00 00 00 00 20 00 00", 512, R, 32, -1,
     "READ CAPACITY(16)"},
    {D, "9e 12 00 00 00 00 00 00 00 00 00 00 00 18 00 00", 512, R, 24, -1,
     "GET LBA STATUS"},
    {D, "a8 00 00 00 00 00 00 00 00 03 00 00", 512, R, 1536, 3, "READ(12)"},
    {D, "aa 00 00 00 00 00 00 00 00 01 00 00", 512, W, 512, 1, "WRITE(12)"},
    {D, "ae 00 00 00 00 00 00 00 00 01 00 00", 512, W, 512, 1,
     "WRITE AND VERIFY(12)"},
    {D, "af 00 00 00 00 00 00 00 00 05 00 00", 512, N, 0, 5, "VERIFY(12)"},
    /* MMC-6 */
    {C, "1b 00 00 00 02 00", 2048, N, 0, -1, "START STOP UNIT"},
    {C, "1e 00 00 00 00 00", 2048, N, 0, -1, "PREVENT ALLOW MEDIUM REMOVAL"},
    {C, "25 00 00 00 00 00 00 00 00 00", 2048, R, 8, -1, "READ CAPACITY(10)"},
    {C, "28 00 00 00 00 00 00 00 02 00", 2048, R, 4096, 2, "READ(10)"},
    {C, "43 00 00 00 00 00 00 03 24 00", 2048, R, 804, -1, "READ TOC/PMA/ATIP"},
    {C, "46 00 00 00 00 00 00 00 08 00", 2048, R, 8, -1, "GET CONFIGURATION"},
    {C, "4a 01 00 00 10 00 00 00 08 00", 2048, R, 8, -1,
     "GET EVENT STATUS NOTIFICATION"},
    {C, "51 00 00 00 00 00 00 00 22 00", 2048, R, 34, -1,
     "READ DISC INFORMATION"},
    {C, "a8 00 00 00 00 00 00 00 00 01 00 00", 2048, R, 2048, 1, "READ(12)"},
    {C, "bd 00 00 00 00 00 00 00 00 08 00 00", 2048, R, 8, -1,
     "MECHANISM STATUS"},
    /* SSC-3: FIXED one counts blocks of the block length, zero bytes */
    {T, "01 00 00 00 00 00", 0, N, 0, -1, "REWIND"},
    {T, "04 00 00 00 00 00", 0, W, 0, -1, "FORMAT MEDIUM"},
    {T, "05 00 00 00 00 00", 0, R, 6, -1, "READ BLOCK LIMITS"},
    {T, "08 01 00 00 04 00", 1024, R, 4096, 4, "READ(6)"},
    {T, "08 02 00 80 00 00", 0, R, 32768, 1, "READ(6)"},
    {T, "0a 00 01 00 00 00", 0, W, 65536, 1, "WRITE(6)"},
    {T, "0a 01 00 00 10 00", 512, W, 8192, 16, "WRITE(6)"},
    {T, "0a 00 00 00 00 00", 0, N, 0, 0, "WRITE(6)"},
    {T, "10 00 00 00 01 00", 0, N, 0, -1, "WRITE FILEMARKS(6)"},
    {T, "11 01 ff ff ff 00", 0, N, 0, -1, "SPACE(6)"},
    {T, "19 01 00 00 00 00", 0, N, 0, -1, "ERASE(6)"},
    {T, "1b 00 00 00 01 00", 0, N, 0, -1, "LOAD UNLOAD"},
    {T, "1e 00 00 00 01 00", 0, N, 0, -1, "PREVENT ALLOW MEDIUM REMOVAL"},
    {T, "2b 00 00 00 00 00 10 00 00 00", 0, N, 0, -1, "LOCATE(10)"},
    {T, "34 00 00 00 00 00 00 00 00 00", 0, R, 20, -1,
     "READ POSITION / SHORT FORM BLOCK ID"},
    {T, "34 01 00 00 00 00 00 00 00 00", 0, R, 20, -1,
     "READ POSITION / SHORT FORM VENDOR SPECIFIC"},
    {T, "34 06 00 00 00 00 00 00 00 00", 0, R, 32, -1,
     "READ POSITION / LONG FORM"},
    {T, "34 08 00 00 00 00 00 00 1c 00", 0, R, 28, -1,
     "READ POSITION / EXTENDED FORM"},
    {T, "44 00 00 00 00 00 00 01 00 00", 0, R, 256, -1,
     "REPORT DENSITY SUPPORT"},
    {T, "80 00 00 00 00 00 00 00 00 00 00 00 00 00 01 00", 0, N, 0, -1,
     "WRITE FILEMARKS(16)"},
    {T, "88 01 00 00 00 00 00 00 00 00 00 00 00 00 02 00", 512, R, 1024, 2,
     "READ(16)"},
    {T, "8a 00 00 00 00 00 00 00 00 00 00 00 00 10 00 00", 0, W, 4096, 1,
     "WRITE(16)"},
    {T, "8c 00 00 00 00 00 00 00 00 00 00 00 01 00 00 00", 0, R, 256, -1,
     "READ ATTRIBUTE / ATTRIBUTE VALUES"},
    {T, "8c 01 00 00 00 00 00 00 00 00 00 00 01 00 00 00", 0, R, 256, -1,
     "READ ATTRIBUTE / ATTRIBUTE LIST"},
    {T, "8c 02 00 00 00 00 00 00 00 00 00 00 01 00 00 00", 0, R, 256, -1,
     "READ ATTRIBUTE / LOGICAL VOLUME LIST"},
    {T, "8c 03 00 00 00 00 00 00 00 00 00 00 01 00 00 00", 0, R, 256, -1,
     "READ ATTRIBUTE / PARTITION LIST"},
    {T, "8c 05 00 00 00 00 00 00 00 00 00 00 01 00 00 00", 0, R, 256, -1,
     "READ ATTRIBUTE / SUPPORTED ATTRIBUTES"},
    {T, "8d 00 00 00 00 00 00 00 00 00 00 00 00 40 00 00", 0, W, 64, -1,
     "WRITE ATTRIBUTE"},
    {T, "91 01 00 00 00 00 00 00 00 00 00 02 00 00 00 00", 0, N, 0, -1,
     "SPACE(16)"},
    {T, "92 00 00 00 00 00 00 00 00 00 00 10 00 00 00 00", 0, N, 0, -1,
     "LOCATE(16)"},
    {T, "93 01 00 00 00 00 00 00 00 00 00 00 00 00 00 00", 0, N, 0, -1,
     "ERASE(16)"},
    /* SMC-3 */
    {M, "07 00 00 00 00 00", 0, N, 0, -1, "INITIALIZE ELEMENT STATUS"},
    {M, "1e 00 00 00 01 00", 0, N, 0, -1, "PREVENT ALLOW MEDIUM REMOVAL"},
    {M, "2b 00 00 00 00 01 00 00 00 00", 0, N, 0, -1, "POSITION TO ELEMENT"},
    {M, "37 01 00 00 00 00 00 05 00 00", 0, N, 0, -1,
     "INITIALIZE ELEMENT STATUS WITH RANGE"},
    {M, "a5 00 00 00 00 01 00 02 00 00 00 00", 0, N, 0, -1, "MOVE MEDIUM"},
    {M, "a6 00 00 00 00 01 00 02 00 03 00 00", 0, N, 0, -1, "EXCHANGE MEDIUM"},
    {M, "b8 10 00 00 00 10 01 00 04 00 00 00", 0, R, 1024, -1,
     "READ ELEMENT STATUS"},
};

#undef N
#undef R
#undef W
#undef D
#undef C
#undef T
#undef M
#undef Z

static unsigned int parse_hex(const char *s, uint8_t *out, unsigned int max)
{
	unsigned int n = 0, v;
	int used;

	while (n < max && sscanf(s, " %2x%n", &v, &used) == 1) {
		out[n++] = (uint8_t)v;
		s += used;
	}
	return n;
}

/* Index of @ci over all sets (for coverage), or -1. */
static int row_index(const struct scst_cdb_info *ci)
{
	unsigned int s, base = 0;

	for (s = 0; s < scst_cdb_nsets; s++) {
		const struct scst_cdb_set *set = scst_cdb_all_sets[s];

		if (ci >= set->rows && ci < set->rows + *set->nrows)
			return (int)(base + (unsigned int)(ci - set->rows));
		base += *set->nrows;
	}
	return -1;
}

static void rows_decode_samples(struct kunit *test)
{
	static bool seen[256];
	unsigned int i, s, base = 0;

	memset(seen, 0, sizeof(seen));
	for (i = 0; i < sizeof(samples) / sizeof(samples[0]); i++) {
		const struct sample *x = &samples[i];
		struct scst_cdb_result r;
		uint8_t cdb[SCST_MAX_CDB_LEN];
		unsigned int n = parse_hex(x->cdb, cdb, sizeof(cdb));
		int rc = scst_cdb_decode(cdb, n, x->type, x->bs, &r), idx;

		KUNIT_ASSERT_EQ_MSG(test, rc, 0, "%s (%s)", x->row, x->cdb);
		KUNIT_ASSERT_NOT_NULL(test, r.info);
		KUNIT_EXPECT_STREQ(test, r.info->name, x->row);
		KUNIT_EXPECT_EQ_MSG(test, r.info->cdb_len, n, "%s", x->row);
		KUNIT_EXPECT_EQ_MSG(test, r.dir, x->dir, "%s (%s)", x->row,
				    x->cdb);
		KUNIT_EXPECT_EQ_MSG(test, r.bufflen, x->len, "%s (%s)", x->row,
				    x->cdb);
		if (x->nblocks >= 0)
			KUNIT_EXPECT_EQ_MSG(test, r.nblocks,
					    (uint32_t)x->nblocks, "%s (%s)",
					    x->row, x->cdb);
		idx = row_index(r.info);
		KUNIT_ASSERT_TRUE(test, idx >= 0 && idx < 256);
		seen[idx] = true;
	}
	/* Every row of every set has a sample. */
	for (s = 0; s < scst_cdb_nsets; s++) {
		const struct scst_cdb_set *set = scst_cdb_all_sets[s];

		for (i = 0; i < *set->nrows; i++)
			KUNIT_EXPECT_TRUE_MSG(test, seen[base + i],
					      "%s %s has no sample", set->name,
					      set->rows[i].name);
		base += *set->nrows;
	}
}

/* A tape READ with FIXED one while the drive is in variable mode. */
static void rows_tape_fixed_needs_block_length(struct kunit *test)
{
	const uint8_t rd[6] = {READ_6, 0x01, 0, 0, 1, 0};
	const uint8_t big[6] = {WRITE_6, 0x00, 0xff, 0xff, 0xff, 0};
	struct scst_cdb_result r;

	KUNIT_EXPECT_EQ(test, scst_cdb_decode(rd, 6, TYPE_TAPE, 0, &r),
			-EINVAL);
	KUNIT_EXPECT_EQ(test, r.asc, 0x24);
	KUNIT_EXPECT_EQ(test, r.field_byte, 1);
	KUNIT_EXPECT_EQ(test, r.field_bit, 0);
	/* 16 MiB - 1 in one variable block: beyond SCST_MAX_BUFFLEN. */
	KUNIT_EXPECT_EQ(test, scst_cdb_decode(big, 6, TYPE_TAPE, 0, &r),
			-EINVAL);
	KUNIT_EXPECT_EQ(test, r.field_byte, 2);
	/* A refused CDB moves nothing. */
	KUNIT_EXPECT_EQ(test, r.dir, SCST_DATA_NONE);
}

static void rows_timeouts(struct kunit *test)
{
	const uint8_t rewind[6] = {REWIND, 0, 0, 0, 0, 0};
	const uint8_t inq[6] = {INQUIRY, 0, 0, 0, 36, 0};
	const uint8_t rd10[10] = {READ_10, 0, 0, 0, 0, 0, 0, 0, 1, 0};

	KUNIT_EXPECT_EQ(test,
			scst_cdb_tmo(scst_cdb_lookup(rewind, 6, TYPE_TAPE)),
			SCST_TMO_LONG);
	KUNIT_EXPECT_EQ(test, scst_cdb_tmo(scst_cdb_lookup(inq, 6, TYPE_TAPE)),
			SCST_TMO_SHORT);
	KUNIT_EXPECT_EQ(test,
			scst_cdb_tmo(scst_cdb_lookup(rd10, 10, TYPE_DISK)),
			SCST_TMO_NORMAL);
	KUNIT_EXPECT_EQ(test, scst_tmo_seconds(SCST_TMO_LONG), 14400u);
	KUNIT_EXPECT_EQ(test, scst_tmo_seconds(SCST_TMO_NORMAL), 30u);
	KUNIT_EXPECT_EQ(test, scst_tmo_seconds(SCST_TMO_SHORT), 10u);
}

/* ------------------------------------------- the tables they replace ---- */

/*
 * The tables the rows' columns replaced, kept here as the oracle: the
 * reservation table of scst_res_table.c, the ALUA table of
 * scst_alua_table.c and vdisk_main.c's two opcode lists, as they were
 * when the columns were filled from them (commit eac5cde compared the
 * live tables). A deliberate change of a column for one of these rows
 * changes the oracle with it, with the clause that says why.
 */
struct scst_res_row {
	uint8_t opcode;
	int16_t sa; /* -1: any; else byte 1 bits 4-0 */
	uint8_t allow;
	uint8_t cond_byte, cond_mask, cond_val, alt;
};

#define ALL (SCST_RES_OK_WE | SCST_RES_OK_EA | SCST_RES_OK_SPC2)
/* Allowed under Write Exclusive only: EA and SPC-2 refuse it. */
#define RD SCST_RES_OK_WE
#define NO 0

static const struct scst_res_row scst_res_rows[] = {
    {TEST_UNIT_READY, -1, SCST_RES_OK_WE | SCST_RES_OK_EA, 0, 0, 0, 0},
    {REQUEST_SENSE, -1, ALL, 0, 0, 0, 0},
    {FORMAT_UNIT, -1, NO, 0, 0, 0, 0},
    {REASSIGN_BLOCKS, -1, NO, 0, 0, 0, 0},
    {READ_6, -1, RD, 0, 0, 0, 0},
    {WRITE_6, -1, NO, 0, 0, 0, 0},
    {INQUIRY, -1, ALL, 0, 0, 0, 0},
    {MODE_SELECT, -1, NO, 0, 0, 0, 0},
    {RESERVE, -1, NO | SCST_RES_F_SPC2, 0, 0, 0, 0},
    /* SPC-2: RELEASE from another initiator is GOOD and does nothing. */
    {RELEASE, -1, SCST_RES_OK_SPC2 | SCST_RES_F_SPC2, 0, 0, 0, 0},
    {MODE_SENSE, -1, RD, 0, 0, 0, 0},
    /* START=1 with POWER CONDITION 0h is allowed; the rest conflicts. */
    {START_STOP, -1, NO, 4, 0xf1, 0x01, SCST_RES_OK_WE | SCST_RES_OK_EA},
    {RECEIVE_DIAGNOSTIC, -1, RD, 0, 0, 0, 0},
    {SEND_DIAGNOSTIC, -1, NO, 0, 0, 0, 0},
    /* PREVENT 00b is allowed everywhere; PREVENT <> 00b conflicts. */
    {ALLOW_MEDIUM_REMOVAL, -1, NO, 4, 0x03, 0x00, ALL},
    {READ_CAPACITY, -1, ALL, 0, 0, 0, 0},
    {READ_10, -1, RD, 0, 0, 0, 0},
    {WRITE_10, -1, NO, 0, 0, 0, 0},
    {WRITE_VERIFY, -1, NO, 0, 0, 0, 0},
    {VERIFY, -1, RD, 0, 0, 0, 0},
    {PRE_FETCH, -1, RD, 0, 0, 0, 0},
    {SYNCHRONIZE_CACHE, -1, NO, 0, 0, 0, 0},
    {READ_DEFECT_DATA, -1, RD, 0, 0, 0, 0},
    {WRITE_BUFFER, -1, NO, 0, 0, 0, 0},
    {READ_BUFFER, -1, RD, 0, 0, 0, 0},
    {READ_LONG, -1, RD, 0, 0, 0, 0},
    {WRITE_LONG, -1, NO, 0, 0, 0, 0},
    {WRITE_SAME, -1, NO, 0, 0, 0, 0},
    {UNMAP, -1, NO, 0, 0, 0, 0},
    {LOG_SELECT, -1, NO, 0, 0, 0, 0},
    {LOG_SENSE, -1, ALL, 0, 0, 0, 0},
    {MODE_SELECT_10, -1, NO, 0, 0, 0, 0},
    {RESERVE_10, -1, NO | SCST_RES_F_SPC2, 0, 0, 0, 0},
    {RELEASE_10, -1, SCST_RES_OK_SPC2 | SCST_RES_F_SPC2, 0, 0, 0, 0},
    {MODE_SENSE_10, -1, RD, 0, 0, 0, 0},
    /*
     * Allowed for everyone by the persistent reservation; the service
     * action decides for PERSISTENT RESERVE OUT (SPC-4 Table "PERSISTENT
     * RESERVE OUT service actions that are allowed in the presence of
     * various reservations", scst_pr.c). Under an SPC-2 reservation both
     * conflict for every initiator (SPC-3 5.6.3, scst_reserve.c).
     */
    {PERSISTENT_RESERVE_IN, -1, SCST_RES_OK_WE | SCST_RES_OK_EA | SCST_RES_F_PR,
     0, 0, 0, 0},
    {PERSISTENT_RESERVE_OUT, -1,
     SCST_RES_OK_WE | SCST_RES_OK_EA | SCST_RES_F_PR, 0, 0, 0, 0},
    {EXTENDED_COPY, -1, NO, 0, 0, 0, 0},
    {RECEIVE_COPY_RESULTS, -1, NO, 0, 0, 0, 0},
    {ACCESS_CONTROL_IN, -1, ALL, 0, 0, 0, 0},
    {ACCESS_CONTROL_OUT, -1, ALL, 0, 0, 0, 0},
    {READ_16, -1, RD, 0, 0, 0, 0},
    {COMPARE_AND_WRITE, -1, NO, 0, 0, 0, 0},
    {WRITE_16, -1, NO, 0, 0, 0, 0},
    {0x8b /* ORWRITE(16) */, -1, NO, 0, 0, 0, 0},
    {READ_ATTRIBUTE, -1, RD, 0, 0, 0, 0},
    {WRITE_ATTRIBUTE, -1, NO, 0, 0, 0, 0},
    {WRITE_VERIFY_16, -1, NO, 0, 0, 0, 0},
    {VERIFY_16, -1, RD, 0, 0, 0, 0},
    {PRE_FETCH_16, -1, RD, 0, 0, 0, 0},
    {SYNCHRONIZE_CACHE_16, -1, NO, 0, 0, 0, 0},
    {WRITE_SAME_16, -1, NO, 0, 0, 0, 0},
    {SERVICE_ACTION_IN_16, SAI_READ_CAPACITY_16, ALL, 0, 0, 0, 0},
    {SERVICE_ACTION_IN_16, SAI_GET_LBA_STATUS, RD, 0, 0, 0, 0},
    {REPORT_LUNS, -1, ALL, 0, 0, 0, 0},
    {SECURITY_PROTOCOL_IN, -1, RD, 0, 0, 0, 0},
    {MAINTENANCE_IN, 0x05 /* REPORT IDENTIFYING INFORMATION */, ALL, 0, 0, 0,
     0},
    {MAINTENANCE_IN, MI_REPORT_TARGET_PGS, ALL, 0, 0, 0, 0},
    {MAINTENANCE_IN, MI_REPORT_SUPPORTED_OPCODES, RD, 0, 0, 0, 0},
    {MAINTENANCE_IN, MI_REPORT_SUPPORTED_TMFS, RD, 0, 0, 0, 0},
    {MAINTENANCE_OUT, MO_SET_TARGET_PGS, NO, 0, 0, 0, 0},
    {READ_12, -1, RD, 0, 0, 0, 0},
    {WRITE_12, -1, NO, 0, 0, 0, 0},
    {WRITE_VERIFY_12, -1, NO, 0, 0, 0, 0},
    {VERIFY_12, -1, RD, 0, 0, 0, 0},
    {SECURITY_PROTOCOL_OUT, -1, NO, 0, 0, 0, 0},
};

#define SCST_RES_NROWS (sizeof(scst_res_rows) / sizeof(scst_res_rows[0]))

static unsigned int old_res_rule(const uint8_t *cdb, unsigned int cdb_len)
{
	unsigned int lo = 0, hi = SCST_RES_NROWS, i;
	int sa = cdb_len > 1 ? cdb[1] & 0x1f : 0;

	while (lo < hi) {
		unsigned int mid = (lo + hi) / 2;

		if (scst_res_rows[mid].opcode < cdb[0])
			lo = mid + 1;
		else
			hi = mid;
	}
	for (i = lo; i < SCST_RES_NROWS && scst_res_rows[i].opcode == cdb[0];
	     i++) {
		const struct scst_res_row *r = &scst_res_rows[i];

		if (r->sa >= 0 && r->sa != sa)
			continue;
		if (r->cond_mask && r->cond_byte < cdb_len &&
		    (cdb[r->cond_byte] & r->cond_mask) == r->cond_val)
			return r->alt | (r->allow & ~ALL);
		return r->allow;
	}
	return NO;
}

#undef ALL
#undef RD
#undef NO

#define ST(x) (1u << SCST_TG_STATE_##x)
#define SB    ST(STANDBY)
#define UN    ST(UNAVAILABLE)
#define OF    ST(OFFLINE)
#define TR    ST(TRANSITIONING)

struct scst_alua_row {
	uint8_t opcode;
	int16_t sa; /* -1: any; else byte 1 bits 4-0 */
	uint8_t cond_byte, cond_mask, cond_val;
	uint8_t allow; /* ST() bits of the states that let it through */
};

static const struct scst_alua_row scst_alua_rows[] = {
    {REQUEST_SENSE, -1, 0, 0, 0, SB | UN | OF | TR},
    {INQUIRY, -1, 0, 0, 0, SB | UN | OF | TR},
    {MODE_SELECT, -1, 0, 0, 0, SB},
    {MODE_SENSE, -1, 0, 0, 0, SB},
    {RECEIVE_DIAGNOSTIC, -1, 0, 0, 0, SB},
    {SEND_DIAGNOSTIC, -1, 0, 0, 0, SB},
    {READ_CAPACITY, -1, 0, 0, 0, SB},
    /* Every mode, as LIO and SCST (the standard names the echo modes). */
    {WRITE_BUFFER, -1, 0, 0, 0, SB | UN | TR},
    {READ_BUFFER, -1, 0, 0, 0, SB | UN | TR},
    {LOG_SELECT, -1, 0, 0, 0, SB},
    {LOG_SENSE, -1, 0, 0, 0, SB},
    {MODE_SELECT_10, -1, 0, 0, 0, SB},
    {MODE_SENSE_10, -1, 0, 0, 0, SB},
    {PERSISTENT_RESERVE_IN, -1, 0, 0, 0, SB},
    {PERSISTENT_RESERVE_OUT, -1, 0, 0, 0, SB},
    {SERVICE_ACTION_IN_16, SAI_READ_CAPACITY_16, 0, 0, 0, SB},
    {REPORT_LUNS, -1, 0, 0, 0, SB | UN | OF | TR},
    {MAINTENANCE_IN, MI_REPORT_TARGET_PGS, 0, 0, 0, SB | UN | OF | TR},
    {MAINTENANCE_OUT, MO_SET_TARGET_PGS, 0, 0, 0, SB | UN},
};

#define SCST_ALUA_NROWS (sizeof(scst_alua_rows) / sizeof(scst_alua_rows[0]))

static bool old_alua_allowed(enum scst_tg_state st, const uint8_t *cdb,
			     unsigned int cdb_len)
{
	unsigned int lo = 0, hi = SCST_ALUA_NROWS, i;
	int sa = cdb_len > 1 ? cdb[1] & 0x1f : -1;

	if (st == SCST_TG_STATE_OPTIMIZED || st == SCST_TG_STATE_NONOPTIMIZED)
		return true;
	if (!cdb_len)
		return false;
	while (lo < hi) {
		unsigned int mid = (lo + hi) / 2;

		if (scst_alua_rows[mid].opcode < cdb[0])
			lo = mid + 1;
		else
			hi = mid;
	}
	for (i = lo; i < SCST_ALUA_NROWS && scst_alua_rows[i].opcode == cdb[0];
	     i++) {
		const struct scst_alua_row *r = &scst_alua_rows[i];

		if (r->sa >= 0 && r->sa != sa)
			continue;
		if (r->cond_mask &&
		    (r->cond_byte >= cdb_len ||
		     (cdb[r->cond_byte] & r->cond_mask) != r->cond_val))
			continue;
		return (r->allow & (1u << st)) != 0;
	}
	return false;
}

#undef ST
#undef SB
#undef UN
#undef OF
#undef TR

static const uint8_t old_no_medium_ok[] = {
    INQUIRY,
    REQUEST_SENSE,
    REPORT_LUNS,
    MODE_SENSE,
    MODE_SENSE_10,
    MODE_SELECT,
    MODE_SELECT_10,
    LOG_SENSE,
    LOG_SELECT,
    ALLOW_MEDIUM_REMOVAL,
    START_STOP,
    GET_CONFIGURATION,
    GET_EVENT_STATUS_NOTIFICATION,
    MECHANISM_STATUS,
    MAINTENANCE_IN,
    MAINTENANCE_OUT,
    RESERVE,
    RELEASE,
    RESERVE_10,
    RELEASE_10,
    PERSISTENT_RESERVE_IN,
    PERSISTENT_RESERVE_OUT,
    SEND_DIAGNOSTIC,
    RECEIVE_DIAGNOSTIC,
    RECEIVE_COPY_RESULTS,
};
static const uint8_t old_writes_medium[] = {
    WRITE_6,	   WRITE_10,	    WRITE_12,	     WRITE_16,
    WRITE_VERIFY,  WRITE_VERIFY_12, WRITE_VERIFY_16, WRITE_SAME,
    WRITE_SAME_16, WRITE_LONG,	    UNMAP,	     COMPARE_AND_WRITE,
    FORMAT_UNIT,
};

static bool in_list(const uint8_t *l, size_t n, uint8_t op)
{
	size_t i;

	for (i = 0; i < n; i++)
		if (l[i] == op)
			return true;
	return false;
}

static bool row_in_set(const struct scst_cdb_info *ci,
		       const struct scst_cdb_set *set)
{
	return set && ci >= set->rows && ci < set->rows + *set->nrows;
}

/*
 * Every (opcode, service action) for every device type that had rows
 * before (disk, CD/DVD, no LUN, and the SPC rows of tapes and changers),
 * with the CDB fields the exceptions read at each value that matters: the
 * reservation rule, the ALUA decision in each restricted state, and the
 * no-medium and writes-medium lists give the same answer as the rows.
 */
static void rows_match_previous_tables(struct kunit *test)
{
	static const uint8_t byte4[] = {0x00, 0x01, 0x02, 0x03,
					0x11, 0x21, 0xf1, 0xff};
	static const enum scst_tg_state states[] = {
	    SCST_TG_STATE_STANDBY, SCST_TG_STATE_UNAVAILABLE,
	    SCST_TG_STATE_OFFLINE, SCST_TG_STATE_TRANSITIONING};
	static const uint8_t bits[] = {
	    SCST_ALUA_OK_STANDBY, SCST_ALUA_OK_UNAVAILABLE,
	    SCST_ALUA_OK_OFFLINE, SCST_ALUA_OK_TRANSITIONING};
	unsigned int t, op, sa, b, k, compared = 0, rows = 0;

	for (t = 0; t < sizeof(set_type); t++) {
		const struct scst_cdb_set *own = scst_cdb_type_set(set_type[t]);
		bool old_type = set_type[t] == TYPE_DISK ||
				set_type[t] == TYPE_ROM ||
				set_type[t] == TYPE_NO_LUN;

		for (op = 0; op < 256; op++)
			for (sa = 0; sa < 32; sa++)
				for (b = 0; b < sizeof(byte4); b++) {
					uint8_t cdb[16] = {(uint8_t)op,
							   (uint8_t)sa};
					const struct scst_cdb_info *ci;
					unsigned int was, now;

					cdb[4] = byte4[b];
					ci = scst_cdb_lookup(cdb, 16,
							     set_type[t]);
					if (!ci)
						continue;
					/* Tape and changer rows are new. */
					if (!old_type && row_in_set(ci, own))
						continue;
					rows++;
					was = old_res_rule(cdb, 16);
					now = scst_cdb_res_rule(ci, cdb, 16);
					KUNIT_EXPECT_EQ_MSG(
					    test, now, was,
					    "%s cdb[1] %02x cdb[4] %02x: res",
					    ci->name, sa, byte4[b]);
					for (k = 0; k < 4; k++)
						KUNIT_EXPECT_EQ_MSG(
						    test,
						    !!(ci->alua & bits[k]),
						    old_alua_allowed(states[k],
								     cdb, 16),
						    "%s cdb[1] %02x: alua %u",
						    ci->name, sa, k);
					if (set_type[t] == TYPE_DISK ||
					    set_type[t] == TYPE_ROM) {
						KUNIT_EXPECT_EQ_MSG(
						    test,
						    scst_cdb_no_medium_ok(ci),
						    in_list(
							old_no_medium_ok,
							sizeof(
							    old_no_medium_ok),
							(uint8_t)op),
						    "%s: no medium", ci->name);
						KUNIT_EXPECT_EQ_MSG(
						    test,
						    scst_cdb_writes_medium(ci),
						    in_list(
							old_writes_medium,
							sizeof(
							    old_writes_medium),
							(uint8_t)op),
						    "%s: writes", ci->name);
					}
					compared++;
				}
	}
	kunit_info(test, "%u CDBs compared over %u row lookups", compared,
		   rows);
	KUNIT_EXPECT_TRUE(test, compared > 10000);
}

static struct kunit_case scst_cdb_rows_test_cases[] = {
    KUNIT_CASE(rows_well_formed),
    KUNIT_CASE(rows_for_each_type),
    KUNIT_CASE(rows_decode_samples),
    KUNIT_CASE(rows_tape_fixed_needs_block_length),
    KUNIT_CASE(rows_timeouts),
    KUNIT_CASE(rows_match_previous_tables),
    {}};

static struct kunit_suite scst_cdb_rows_test_suite = {
    .name = "scst_cdb_rows",
    .test_cases = scst_cdb_rows_test_cases,
};

kunit_test_suite(scst_cdb_rows_test_suite);
