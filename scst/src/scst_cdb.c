// SPDX-License-Identifier: GPL-2.0-only
/*
 * CDB decoding driven by the opcode rows (scst_cdb_<set>.c).
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
 * The tables are const, one per device-type set (scst_cdb_<set>.c), each
 * sorted by (opcode, service action): a lookup searches the device's own
 * set and then SPC's, each a binary search for the first row of the opcode
 * followed by a short scan of that opcode's rows, with no shared state to
 * set up or lock.
 */
#include <errno.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include "scst_cdb_sets.h"

#define CDB_SA_MASK 0x1f

/* ASCs of the failures decode reports (all with ILLEGAL REQUEST). */
#define CDB_ASC_INVALID_OPCODE 0x20
#define CDB_ASC_INVALID_FIELD  0x24

const struct scst_cdb_set scst_cdb_set_spc = {"SPC", scst_cdb_spc_rows,
					      &scst_cdb_spc_nrows};
static const struct scst_cdb_set scst_cdb_set_sbc = {"SBC", scst_cdb_sbc_rows,
						     &scst_cdb_sbc_nrows};
static const struct scst_cdb_set scst_cdb_set_mmc = {"MMC", scst_cdb_mmc_rows,
						     &scst_cdb_mmc_nrows};
static const struct scst_cdb_set scst_cdb_set_ssc = {"SSC", scst_cdb_ssc_rows,
						     &scst_cdb_ssc_nrows};
static const struct scst_cdb_set scst_cdb_set_smc = {"SMC", scst_cdb_smc_rows,
						     &scst_cdb_smc_nrows};

const struct scst_cdb_set *const scst_cdb_all_sets[] = {
    &scst_cdb_set_spc, &scst_cdb_set_sbc, &scst_cdb_set_mmc, &scst_cdb_set_ssc,
    &scst_cdb_set_smc};
const unsigned int scst_cdb_nsets =
    sizeof(scst_cdb_all_sets) / sizeof(scst_cdb_all_sets[0]);

const struct scst_cdb_set *scst_cdb_type_set(uint8_t dev_type)
{
	switch (dev_type) {
	case TYPE_DISK:
		return &scst_cdb_set_sbc;
	case TYPE_ROM:
		return &scst_cdb_set_mmc;
	case TYPE_TAPE:
		return &scst_cdb_set_ssc;
	case TYPE_MEDIUM_CHANGER:
		return &scst_cdb_set_smc;
	default:
		return NULL;
	}
}

/* Index of the first row of @set whose opcode is >= @opcode. */
static unsigned int cdb_first_row(const struct scst_cdb_set *set,
				  uint8_t opcode)
{
	unsigned int lo = 0, hi = *set->nrows;

	while (lo < hi) {
		unsigned int mid = lo + (hi - lo) / 2;

		if (set->rows[mid].opcode < opcode)
			lo = mid + 1;
		else
			hi = mid;
	}
	return lo;
}

/*
 * The row of @set for @cdb, or NULL. *@opcode_known is set when the set
 * has the opcode (so that a NULL means an unknown service action, or a
 * CDB too short to hold one).
 */
static const struct scst_cdb_info *cdb_find_in(const struct scst_cdb_set *set,
					       const uint8_t *cdb,
					       unsigned int cdb_len,
					       bool *opcode_known)
{
	unsigned int i, n = *set->nrows;

	for (i = cdb_first_row(set, cdb[0]);
	     i < n && set->rows[i].opcode == cdb[0]; i++) {
		const struct scst_cdb_info *ci = &set->rows[i];

		*opcode_known = true;
		if (!(ci->flags & SCST_CDB_F_HAS_SA))
			return ci;
		if (cdb_len >= 2 && ci->sa == (cdb[1] & CDB_SA_MASK))
			return ci;
	}
	return NULL;
}

/* The row for @cdb on a device of type @dev_type: its set's, then SPC's. */
static const struct scst_cdb_info *cdb_find(const uint8_t *cdb,
					    unsigned int cdb_len,
					    uint8_t dev_type,
					    bool *opcode_known)
{
	const struct scst_cdb_set *set = scst_cdb_type_set(dev_type);
	const struct scst_cdb_info *ci;

	*opcode_known = false;
	if (cdb_len == 0)
		return NULL;
	if (set) {
		ci = cdb_find_in(set, cdb, cdb_len, opcode_known);
		if (ci || *opcode_known)
			return ci;
	}
	return cdb_find_in(&scst_cdb_set_spc, cdb, cdb_len, opcode_known);
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
	const struct scst_cdb_set *set = scst_cdb_type_set(dev_type);
	unsigned int i;

	if (set)
		for (i = 0; i < *set->nrows; i++)
			fn(&set->rows[i], arg);
	for (i = 0; i < scst_cdb_spc_nrows; i++)
		fn(&scst_cdb_spc_rows[i], arg);
}

/*
 * The named exceptions: rows whose reservation rule depends on a CDB field
 * (SPC-4 5.13.1 and SBC-3 4.17 list them with the field's values).
 */
unsigned int scst_cdb_res_rule(const struct scst_cdb_info *ci,
			       const uint8_t *cdb, unsigned int cdb_len)
{
	unsigned int kind = ci->res & (SCST_RES_F_PR | SCST_RES_F_SPC2);

	if (!(ci->flags & SCST_CDB_F_RES_BY_FIELD) || cdb_len < 5)
		return ci->res;
	switch (ci->opcode) {
	case ALLOW_MEDIUM_REMOVAL:
		/* PREVENT 00b is allowed everywhere; the rest conflicts. */
		if (!(cdb[4] & 0x03))
			return SCST_RES_ALL | kind;
		break;
	case START_STOP:
		/* START=1 with POWER CONDITION 0h: allowed under WE and EA. */
		if ((cdb[4] & 0xf1) == 0x01)
			return SCST_RES_OK_WE | SCST_RES_OK_EA | kind;
		break;
	default:
		break;
	}
	return ci->res;
}

unsigned int scst_tmo_seconds(enum scst_tmo_class tmo)
{
	static const unsigned int secs[SCST_TMO_COUNT] = {
	    [SCST_TMO_NORMAL] = 30,
	    [SCST_TMO_SHORT] = 10,
	    [SCST_TMO_LONG] = 4 * 3600,
	};

	return tmo < SCST_TMO_COUNT ? secs[tmo] : secs[SCST_TMO_NORMAL];
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

/*
 * Byte 1 bits 7-5 of 6-, 10- and 12-byte CDBs held the LUN in SCSI-2
 * (obsolete since SPC). Tape and changer software still sets it (mtx
 * puts the changer's LUN there), so for those device types the field is
 * ignored where the row does not define it; disks stay strict.
 */
static uint8_t cdb_legacy_lun_bits(const struct scst_cdb_info *ci,
				   uint8_t dev_type, unsigned int i)
{
	if (i != 1 || ci->cdb_len > 12)
		return 0;
	if (dev_type != TYPE_TAPE && dev_type != TYPE_MEDIUM_CHANGER)
		return 0;
	return 0xe0;
}

/* Checks 3 and 4: length and reserved bits. */
static int cdb_check_usage(const struct scst_cdb_info *ci, const uint8_t *cdb,
			   unsigned int cdb_len, uint8_t dev_type,
			   struct scst_cdb_result *r)
{
	unsigned int i;

	if (cdb_len < ci->cdb_len)
		return cdb_fail(r, CDB_ASC_INVALID_FIELD, (int)cdb_len, -1);

	for (i = 0; i < ci->cdb_len; i++) {
		uint8_t bad = cdb[i] & (uint8_t)~ci->usage[i] &
			      (uint8_t)~cdb_legacy_lun_bits(ci, dev_type, i);

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

/*
 * A tape READ/WRITE (SSC-3): FIXED one counts blocks of the drive's block
 * length (refused while it is 0, variable mode); FIXED zero is one block
 * of that many bytes. Either way the transfer is refused beyond
 * SCST_MAX_BUFFLEN: it is no allocation length to clamp.
 */
static int cdb_decode_tape(const struct scst_cdb_info *ci, const uint8_t *cdb,
			   uint32_t block_size, struct scst_cdb_result *r)
{
	uint64_t count = cdb_get_field(cdb + ci->len_off, ci->len_size);
	uint64_t bytes;

	if (cdb[1] & 0x01) {
		if (!block_size)
			return cdb_fail(r, CDB_ASC_INVALID_FIELD, 1, 0);
		bytes = count * block_size;
		r->nblocks = (uint32_t)count;
	} else {
		bytes = count;
		r->nblocks = count ? 1 : 0;
	}
	if (bytes > SCST_MAX_BUFFLEN)
		return cdb_fail(r, CDB_ASC_INVALID_FIELD, ci->len_off, -1);
	if (!bytes)
		r->dir = SCST_DATA_NONE;
	r->bufflen = (uint32_t)bytes;
	return 0;
}

/* Transfer length in bytes: an allocation or parameter list length. */
static int cdb_decode_bytes(const struct scst_cdb_info *ci, const uint8_t *cdb,
			    struct scst_cdb_result *r)
{
	uint64_t len;

	if (ci->len_unit == SCST_LEN_FIXED)
		len = ci->fixed_len;
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

	res = cdb_check_usage(ci, cdb, cdb_len, dev_type, r);
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
	case SCST_LEN_FIXED:
		res = cdb_decode_bytes(ci, cdb, r);
		break;
	case SCST_LEN_TAPE:
		res = cdb_decode_tape(ci, cdb, block_size, r);
		break;
	default:
		res = 0;
		break;
	}
	if (res)
		r->dir = SCST_DATA_NONE;
	return res;
}
