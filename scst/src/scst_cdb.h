/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * The opcode table: one row per (opcode, service action, device types).
 * A row says how to decode a CDB (data direction, transfer length, LBA),
 * which bits of each CDB byte may be set (everything else is reserved and
 * rejected with INVALID FIELD IN CDB and a field pointer), how the command
 * serializes against others on the device, and a few core flags.
 * Adding a command touches one row.
 */
#ifndef SCST_CDB_H
#define SCST_CDB_H

#include "scst/scst.h"

#define SCST_MAX_CDB_LEN 16
/* Largest data buffer the core accepts for one command. */
#define SCST_MAX_BUFFLEN (8u * 1024 * 1024)

/* Device type mask bits for scst_cdb_info.types. */
#define SCST_T_DISK    (1u << TYPE_DISK)
#define SCST_T_TAPE    (1u << TYPE_TAPE)
#define SCST_T_ROM     (1u << TYPE_ROM)
#define SCST_T_CHANGER (1u << TYPE_MEDIUM_CHANGER)
#define SCST_T_ALL     0xffffu

/* Serialization classes (see the matrix in scst_serialize.c). */
enum scst_ser_class {
	SCST_SER_NONE = 0, /* never blocks, never blocked (no media) */
	SCST_SER_READ,	   /* reads media */
	SCST_SER_WRITE,	   /* writes media */
	SCST_SER_ATOMIC,   /* read-compare-write of an LBA range */
	SCST_SER_EXCL,	   /* must run alone on the device */
	SCST_SER_COUNT,
};

/* How the transfer length field counts. */
enum scst_len_unit {
	SCST_LEN_NONE = 0, /* no data */
	SCST_LEN_BYTES,	   /* field is a byte count (allocation/param len) */
	SCST_LEN_BLOCKS,   /* field counts logical blocks */
};

/* scst_cdb_info.flags */
#define SCST_CDB_F_LOCAL	  0x0001 /* always emulated by the core */
#define SCST_CDB_F_UA_EXEMPT	  0x0002 /* runs with a UA pending, no report */
#define SCST_CDB_F_NO_LUN_OK	  0x0004 /* runs on an unmapped LUN */
#define SCST_CDB_F_WRITE_MEDIUM	  0x0008 /* refused on a read-only LUN */
#define SCST_CDB_F_LEN0_256	  0x0010 /* 6-byte CDB: length 0 means 256 */
#define SCST_CDB_F_HAS_SA	  0x0020 /* service action in byte 1 bits 0-4 */
#define SCST_CDB_F_DATA_ONE_BLOCK 0x0040 /* moves one block (WRITE SAME) */
#define SCST_CDB_F_DATA_TWICE	  0x0080 /* moves 2x blocks (COMPARE AND WRITE) */
/* VERIFY: no data unless BYTCHK */
#define SCST_CDB_F_NO_DATA_IF_BYTCHK0 0x0100
/*
 * READ CAPACITY(10): the CDB has no length field; the command always
 * returns 8 bytes of parameter data.
 */
#define SCST_CDB_F_FIXED_LEN_8 0x0200
/*
 * FORMAT UNIT: Data-Out only when FMTDATA (byte 1 bit 4) is one, and its
 * length is set by the parameter list header, not by the CDB. Decode gives
 * dir WRITE with bufflen 0; the core then takes the initiator's expected
 * transfer length (at most SCST_MAX_BUFFLEN) and the handler checks it
 * against the header. With FMTDATA zero the command moves no data.
 */
#define SCST_CDB_F_FORMAT_DATA 0x0400

/*
 * Decoding details beyond the comments above:
 *  - SCST_CDB_F_NO_DATA_IF_BYTCHK0: BYTCHK 00b moves no data, 01b moves
 *    nblocks blocks, 11b moves one block that is compared with each block
 *    of the range (SBC-3 r34 and later); 10b is reserved and refused with
 *    INVALID FIELD IN CDB pointing at byte 1 bit 2.
 *  - A Data-In allocation length larger than SCST_MAX_BUFFLEN is not an
 *    error (SPC-4 4.2.5.6: it only bounds the transfer); bufflen is
 *    clamped to SCST_MAX_BUFFLEN. Block counts and Data-Out parameter list
 *    lengths beyond it are refused.
 *  - A row matches a device type below 16 when its bit is in types; any
 *    other type (TYPE_NO_LUN for an unmapped LUN) matches only the rows
 *    valid for every type (types == SCST_T_ALL).
 *  - Rows are sorted by (opcode, sa); lookups binary-search the opcode, so
 *    there is no index to build and nothing to initialise.
 */

struct scst_cdb_info {
	uint8_t opcode;
	uint8_t sa; /* service action, with SCST_CDB_F_HAS_SA */
	uint8_t cdb_len;
	uint8_t dir;	  /* enum scst_data_direction */
	uint16_t types;	  /* SCST_T_* mask of device types */
	uint8_t len_unit; /* enum scst_len_unit */
	uint8_t len_off;  /* byte offset of the transfer length */
	uint8_t len_size; /* its width in bytes: 1, 2, 3 or 4 */
	uint8_t lba_off;  /* byte offset of the LBA; 0 = none */
	uint8_t lba_size; /* 3 (21 bits, 6-byte CDBs), 4 or 8 */
	uint8_t ser;	  /* enum scst_ser_class */
	uint16_t flags;	  /* SCST_CDB_F_* */
	const char *name;
	/* Allowed bits of each CDB byte; byte 0 (opcode) is always 0xff. */
	uint8_t usage[SCST_MAX_CDB_LEN];
};

/* The outcome of decoding one CDB. */
struct scst_cdb_result {
	const struct scst_cdb_info *info; /* NULL: unknown opcode */
	enum scst_data_direction dir;
	uint32_t bufflen; /* bytes of data the CDB moves */
	uint64_t lba;
	uint32_t nblocks; /* transfer length in blocks, when in blocks */
	/* When decoding fails: the sense to report. */
	uint8_t key, asc, ascq;
	int field_byte; /* -1: no field pointer */
	int field_bit;	/* -1: no bit pointer */
};

/*
 * Decode @cdb for a device of peripheral type @dev_type with logical blocks
 * of @block_size bytes. Returns 0, or -EINVAL with r->key/asc/ascq and the
 * field pointer set: INVALID COMMAND OPERATION CODE for an unknown opcode,
 * INVALID FIELD IN CDB (pointer at the service action) for an unknown
 * service action, INVALID FIELD IN CDB (pointer at the first offending bit)
 * for a reserved bit set, for a CDB shorter than the row's length, or for a
 * transfer larger than SCST_MAX_BUFFLEN.
 */
int scst_cdb_decode(const uint8_t *cdb, unsigned int cdb_len, uint8_t dev_type,
		    uint32_t block_size, struct scst_cdb_result *r);

/* Row lookup without validation (NULL when unknown). */
const struct scst_cdb_info *
scst_cdb_lookup(const uint8_t *cdb, unsigned int cdb_len, uint8_t dev_type);

/* Iterate the rows valid for @dev_type (REPORT SUPPORTED OPERATION CODES). */
void scst_cdb_for_each(uint8_t dev_type,
		       void (*fn)(const struct scst_cdb_info *ci, void *arg),
		       void *arg);

/* The table itself (scst_cdb_table.c). */
extern const struct scst_cdb_info scst_cdb_table[];
extern const unsigned int scst_cdb_table_size;

#endif /* SCST_CDB_H */
