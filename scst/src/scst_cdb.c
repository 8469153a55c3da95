// SPDX-License-Identifier: GPL-2.0-only
/*
 * CDB decoding driven by the opcode table (scst_cdb_table.c).
 *
 * scst_cdb_decode() walks one CDB through four checks, each of which ends
 * in ILLEGAL REQUEST with a sense-key specific field pointer when it fails:
 *   1. a row for (opcode, device type)    else INVALID COMMAND OPERATION CODE
 *   2. a row for the service action       else INVALID FIELD IN CDB, byte 1
 *   3. the CDB is as long as the row says else INVALID FIELD IN CDB at the
 *                                         first missing byte
 *   4. no bit outside the usage mask      else INVALID FIELD IN CDB at the
 *                                         first (most significant) such bit
 * and then reads the LBA and the transfer length and turns them into a data
 * direction and a buffer length.
 *
 * The table is const and sorted by (opcode, service action): a lookup is a
 * binary search for the first row of the opcode followed by a short scan of
 * that opcode's rows, with no shared state to set up or lock.
 */
#include <errno.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include "scst_cdb.h"

#define CDB_SA_MASK 0x1f

/* ASCs of the failures decode reports (all with ILLEGAL REQUEST). */
#define CDB_ASC_INVALID_OPCODE 0x20
#define CDB_ASC_INVALID_FIELD  0x24

static bool cdb_row_has_type(const struct scst_cdb_info *ci, uint8_t dev_type)
{
	if (dev_type >= 16)
		return ci->types == SCST_T_ALL;
	return (ci->types & (1u << dev_type)) != 0;
}

/* Index of the first row whose opcode is >= @opcode. */
static unsigned int cdb_first_row(uint8_t opcode)
{
	unsigned int lo = 0, hi = scst_cdb_table_size;

	while (lo < hi) {
		unsigned int mid = lo + (hi - lo) / 2;

		if (scst_cdb_table[mid].opcode < opcode)
			lo = mid + 1;
		else
			hi = mid;
	}
	return lo;
}

/*
 * The row for @cdb on a device of type @dev_type, or NULL. *@opcode_known
 * tells whether some row has the opcode for this type (so that a NULL
 * means an unknown service action, or a CDB too short to hold one).
 */
static const struct scst_cdb_info *cdb_find(const uint8_t *cdb,
					    unsigned int cdb_len,
					    uint8_t dev_type,
					    bool *opcode_known)
{
	unsigned int i;

	*opcode_known = false;
	if (cdb_len == 0)
		return NULL;

	for (i = cdb_first_row(cdb[0]);
	     i < scst_cdb_table_size && scst_cdb_table[i].opcode == cdb[0];
	     i++) {
		const struct scst_cdb_info *ci = &scst_cdb_table[i];

		if (!cdb_row_has_type(ci, dev_type))
			continue;
		*opcode_known = true;
		if (!(ci->flags & SCST_CDB_F_HAS_SA))
			return ci;
		if (cdb_len >= 2 && ci->sa == (cdb[1] & CDB_SA_MASK))
			return ci;
	}
	return NULL;
}

const struct scst_cdb_info *
scst_cdb_lookup(const uint8_t *cdb, unsigned int cdb_len, uint8_t dev_type)
{
	bool opcode_known;

	return cdb_find(cdb, cdb_len, dev_type, &opcode_known);
}

void scst_cdb_for_each(uint8_t dev_type,
		       void (*fn)(const struct scst_cdb_info *ci, void *arg),
		       void *arg)
{
	unsigned int i;

	for (i = 0; i < scst_cdb_table_size; i++)
		if (cdb_row_has_type(&scst_cdb_table[i], dev_type))
			fn(&scst_cdb_table[i], arg);
}

/* Record an ILLEGAL REQUEST failure in @r; returns -EINVAL. */
static int cdb_fail(struct scst_cdb_result *r, uint8_t asc, int field_byte,
		    int field_bit)
{
	r->key = ILLEGAL_REQUEST;
	r->asc = asc;
	r->ascq = 0;
	r->field_byte = field_byte;
	r->field_bit = field_bit;
	return -EINVAL;
}

/* Big-endian field of @size bytes (0 to 8) at @p. */
static uint64_t cdb_get_field(const uint8_t *p, unsigned int size)
{
	uint64_t v = 0;
	unsigned int i;

	for (i = 0; i < size; i++)
		v = (v << 8) | p[i];
	return v;
}

/* The most significant bit set in @bits (non-zero). */
static int cdb_highest_bit(uint8_t bits)
{
	int bit = 7;

	while (!(bits & (1u << bit)))
		bit--;
	return bit;
}

/* Checks 3 and 4: length and reserved bits. */
static int cdb_check_usage(const struct scst_cdb_info *ci, const uint8_t *cdb,
			   unsigned int cdb_len, struct scst_cdb_result *r)
{
	unsigned int i;

	if (cdb_len < ci->cdb_len)
		return cdb_fail(r, CDB_ASC_INVALID_FIELD, (int)cdb_len, -1);

	for (i = 0; i < ci->cdb_len; i++) {
		uint8_t bad = cdb[i] & (uint8_t)~ci->usage[i];

		if (bad)
			return cdb_fail(r, CDB_ASC_INVALID_FIELD, (int)i,
					cdb_highest_bit(bad));
	}
	return 0;
}

/*
 * Logical blocks of data a block-counted command moves for @count blocks,
 * or -1 for a reserved BYTCHK value. Sets r->dir to NONE when none move.
 */
static int64_t cdb_data_blocks(const struct scst_cdb_info *ci,
			       const uint8_t *cdb, uint64_t count,
			       struct scst_cdb_result *r)
{
	if (ci->flags & SCST_CDB_F_DATA_ONE_BLOCK)
		return 1;
	if (ci->flags & SCST_CDB_F_DATA_TWICE)
		return (int64_t)(2 * count);
	if (ci->flags & SCST_CDB_F_NO_DATA_IF_BYTCHK0) {
		switch ((cdb[1] >> 1) & 3) {
		case 0:
			r->dir = SCST_DATA_NONE;
			return 0;
		case 1:
			return (int64_t)count;
		case 3:
			return 1;
		default:
			return -1;
		}
	}
	return (int64_t)count;
}

/* Transfer length in blocks: sets nblocks, bufflen and maybe dir. */
static int cdb_decode_blocks(const struct scst_cdb_info *ci, const uint8_t *cdb,
			     uint32_t block_size, struct scst_cdb_result *r)
{
	uint64_t count = cdb_get_field(cdb + ci->len_off, ci->len_size);
	int64_t blocks;

	if (count == 0 && (ci->flags & SCST_CDB_F_LEN0_256))
		count = 256;
	r->nblocks = (uint32_t)count;

	blocks = cdb_data_blocks(ci, cdb, count, r);
	if (blocks < 0)
		return cdb_fail(r, CDB_ASC_INVALID_FIELD, 1, 2);
	if (r->dir == SCST_DATA_NONE)
		return 0;
	if (block_size != 0 && (uint64_t)blocks > SCST_MAX_BUFFLEN / block_size)
		return cdb_fail(r, CDB_ASC_INVALID_FIELD, ci->len_off, -1);
	r->bufflen = (uint32_t)((uint64_t)blocks * block_size);
	return 0;
}

/* Transfer length in bytes: an allocation or parameter list length. */
static int cdb_decode_bytes(const struct scst_cdb_info *ci, const uint8_t *cdb,
			    struct scst_cdb_result *r)
{
	uint64_t len;

	if (ci->flags & SCST_CDB_F_FIXED_LEN_8)
		len = 8;
	else
		len = cdb_get_field(cdb + ci->len_off, ci->len_size);

	if (r->dir == SCST_DATA_NONE)
		return 0;
	if (len > SCST_MAX_BUFFLEN) {
		/* An allocation length only bounds what is returned. */
		if (r->dir != SCST_DATA_READ)
			return cdb_fail(r, CDB_ASC_INVALID_FIELD, ci->len_off,
					-1);
		len = SCST_MAX_BUFFLEN;
	}
	r->bufflen = (uint32_t)len;
	return 0;
}

int scst_cdb_decode(const uint8_t *cdb, unsigned int cdb_len, uint8_t dev_type,
		    uint32_t block_size, struct scst_cdb_result *r)
{
	const struct scst_cdb_info *ci;
	bool opcode_known;
	int res;

	memset(r, 0, sizeof(*r));
	r->dir = SCST_DATA_NONE;
	r->field_byte = -1;
	r->field_bit = -1;

	ci = cdb_find(cdb, cdb_len, dev_type, &opcode_known);
	if (!ci) {
		if (!opcode_known)
			return cdb_fail(r, CDB_ASC_INVALID_OPCODE, 0, -1);
		if (cdb_len < 2)
			return cdb_fail(r, CDB_ASC_INVALID_FIELD, (int)cdb_len,
					-1);
		return cdb_fail(r, CDB_ASC_INVALID_FIELD, 1, 4);
	}
	r->info = ci;

	res = cdb_check_usage(ci, cdb, cdb_len, r);
	if (res)
		return res;

	if (ci->lba_off) {
		r->lba = cdb_get_field(cdb + ci->lba_off, ci->lba_size);
		if (ci->lba_size == 3)
			r->lba &= 0x1fffff;
	}

	r->dir = (enum scst_data_direction)ci->dir;
	if ((ci->flags & SCST_CDB_F_FORMAT_DATA) && !(cdb[1] & 0x10))
		r->dir = SCST_DATA_NONE;

	switch (ci->len_unit) {
	case SCST_LEN_BLOCKS:
		res = cdb_decode_blocks(ci, cdb, block_size, r);
		break;
	case SCST_LEN_BYTES:
		res = cdb_decode_bytes(ci, cdb, r);
		break;
	default:
		res = 0;
		break;
	}
	if (res)
		r->dir = SCST_DATA_NONE;
	return res;
}
