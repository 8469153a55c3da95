/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Opcode rows: one row per (opcode, service action) per device-type set.
 *
 * The core holds every SCSI command it knows as a const row: how to decode
 * the CDB (data direction, transfer length, LBA), which bits of each CDB
 * byte may be set (everything else is reserved and refused with INVALID
 * FIELD IN CDB and a field pointer), how the command serializes against
 * others on the device, its timeout class, which reservations and ALUA
 * access states let it through, whether it runs without a medium and
 * whether it writes the medium. The core looks the row up once per command
 * (in PARSE) and keeps it on the command; handlers, emulated or
 * pass-through, read it with scst_cmd_op() and the accessors below.
 * Adding a command for a device type touches one row.
 *
 * Device-type sets, one table each (scst/src/scst_cdb_<set>.c):
 *   SPC  every device type (and LUNs with no device)
 *   SBC  direct-access block devices (TYPE_DISK)
 *   MMC  CD/DVD devices (TYPE_ROM)
 *   SSC  sequential-access devices: tapes (TYPE_TAPE)
 *   SMC  media changers (TYPE_MEDIUM_CHANGER)
 * A device's commands are its set's rows, then the SPC rows; one opcode is
 * never in both (the table test checks it).
 */
#ifndef SCST_OPCODE_H
#define SCST_OPCODE_H

#include <stdbool.h>
#include <stdint.h>

#define SCST_MAX_CDB_LEN 16
/* Largest data buffer the core accepts for one command. */
#define SCST_MAX_BUFFLEN (8u * 1024 * 1024)

/* Serialization classes (the matrix in scst/src/scst_serialize.c). */
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
	SCST_LEN_FIXED,	   /* no field: always fixed_len bytes */
	/*
	 * Tapes (SSC READ/WRITE): FIXED (byte 1 bit 0) one: the field counts
	 * blocks of the drive's block length (scst_dev_block_size(), refused
	 * with INVALID FIELD IN CDB while that is 0, variable mode); FIXED
	 * zero: the field is the byte count of one variable block.
	 */
	SCST_LEN_TAPE,
};

/*
 * Timeout classes: how long an initiator (or a pass-through handler
 * waiting for a real device) should wait. Seconds per class:
 * scst_tmo_seconds(); REPORT SUPPORTED OPERATION CODES reports them.
 */
enum scst_tmo_class {
	SCST_TMO_NORMAL = 0, /* data transfers, most commands: 30 s */
	SCST_TMO_SHORT,	     /* answered from state: 10 s */
	SCST_TMO_LONG,	     /* medium motion, format, erase: 4 h */
	SCST_TMO_COUNT,
};

/*
 * Reservation column: which reservations held by another I_T nexus let
 * the command through (SPC-4 5.13.1 and the command standards' tables;
 * SPC-2 5.5.1 for RESERVE/RELEASE reservations). A registered nexus
 * under a Registrants Only or All Registrants type is allowed everything,
 * so that needs no bit. Commands with no bit conflict.
 */
#define SCST_RES_OK_WE	 0x01 /* Write Exclusive (and WE-RO/AR if unreg.) */
#define SCST_RES_OK_EA	 0x02 /* Exclusive Access (and EA-RO/AR if unreg.) */
#define SCST_RES_OK_SPC2 0x04 /* an SPC-2 reservation of another nexus */
#define SCST_RES_ALL	 (SCST_RES_OK_WE | SCST_RES_OK_EA | SCST_RES_OK_SPC2)
/* Allowed under Write Exclusive only (reads of the medium and the like). */
#define SCST_RES_RD SCST_RES_OK_WE
/* The command is PERSISTENT RESERVE IN/OUT (service action decides). */
#define SCST_RES_F_PR 0x10
/* The command is SPC-2 RESERVE/RELEASE. */
#define SCST_RES_F_SPC2 0x20

/*
 * ALUA column: the asymmetric access states (SPC-4 5.15.2) besides
 * active/optimized and active/non-optimized (which allow everything) in
 * which the command is let through; otherwise NOT READY with the state's
 * additional sense code.
 */
#define SCST_ALUA_OK_STANDBY	   0x01
#define SCST_ALUA_OK_UNAVAILABLE   0x02
#define SCST_ALUA_OK_OFFLINE	   0x04
#define SCST_ALUA_OK_TRANSITIONING 0x08
#define SCST_ALUA_OK_ALL	   0x0f

/* Row flags (scst_cdb_info.flags). */
#define SCST_CDB_F_LOCAL     0x0001 /* always emulated by the core */
#define SCST_CDB_F_UA_EXEMPT 0x0002 /* runs with a UA pending, no report */
#define SCST_CDB_F_NO_LUN_OK 0x0004 /* runs on an unmapped LUN */
#define SCST_CDB_F_WRITE_MEDIUM                                                \
	0x0008				 /* writes the medium: refused on a    \
					  * read-only LUN */
#define SCST_CDB_F_LEN0_256	  0x0010 /* 6-byte CDB: length 0 means 256 */
#define SCST_CDB_F_HAS_SA	  0x0020 /* service action in byte 1 bits 4-0 */
#define SCST_CDB_F_DATA_ONE_BLOCK 0x0040 /* moves one block (WRITE SAME) */
#define SCST_CDB_F_DATA_TWICE	  0x0080 /* 2x blocks (COMPARE AND WRITE) */
/*
 * VERIFY: BYTCHK 00b moves no data, 01b moves nblocks blocks, 11b moves
 * one block compared with each block of the range (SBC-3 r34 and later);
 * 10b is reserved and refused with INVALID FIELD IN CDB at byte 1 bit 2.
 */
#define SCST_CDB_F_NO_DATA_IF_BYTCHK0 0x0100
/*
 * FORMAT UNIT: Data-Out only when FMTDATA (byte 1 bit 4) is one, and its
 * length is set by the parameter list header, not by the CDB. Decode gives
 * dir WRITE with bufflen 0; the core then takes the initiator's expected
 * transfer length (at most SCST_MAX_BUFFLEN) and the handler checks it
 * against the header. With FMTDATA zero the command moves no data.
 */
#define SCST_CDB_F_FORMAT_DATA 0x0200
/* Runs without a medium, and on a device that is not ready. */
#define SCST_CDB_F_NO_MEDIUM_OK 0x0400
/*
 * The reservation column depends on a CDB field: the named exceptions of
 * scst_cdb_res_rule() (PREVENT ALLOW MEDIUM REMOVAL, START STOP UNIT).
 */
#define SCST_CDB_F_RES_BY_FIELD 0x0800

struct scst_cdb_info {
	uint8_t opcode;
	uint8_t sa;	   /* service action, with SCST_CDB_F_HAS_SA */
	uint8_t cdb_len;   /* bytes the command has */
	uint8_t dir;	   /* enum scst_data_direction */
	uint8_t len_unit;  /* enum scst_len_unit */
	uint8_t len_off;   /* byte offset of the transfer length */
	uint8_t len_size;  /* its width in bytes: 1 to 4 */
	uint8_t fixed_len; /* SCST_LEN_FIXED: the bytes always moved */
	uint8_t lba_off;   /* byte offset of the LBA; 0 = none */
	uint8_t lba_size;  /* 3 (21 bits, 6-byte CDBs), 4 or 8 */
	uint8_t ser;	   /* enum scst_ser_class */
	uint8_t tmo;	   /* enum scst_tmo_class */
	uint8_t res;	   /* SCST_RES_* */
	uint8_t alua;	   /* SCST_ALUA_OK_* */
	uint16_t flags;	   /* SCST_CDB_F_* */
	const char *name;
	/* Allowed bits of each CDB byte; byte 0 (opcode) is always 0xff. */
	uint8_t usage[SCST_MAX_CDB_LEN];
};

/* The outcome of decoding one CDB. */
struct scst_cdb_result {
	const struct scst_cdb_info *info; /* NULL: unknown opcode */
	uint8_t dir;			  /* enum scst_data_direction */
	uint32_t bufflen;		  /* bytes of data the CDB moves */
	uint64_t lba;
	/*
	 * Transfer length in blocks, when in blocks; for a tape READ/WRITE in
	 * variable mode (FIXED zero), 1 when it moves data (one block of
	 * bufflen bytes), else 0.
	 */
	uint32_t nblocks;
	/* When decoding fails: the sense to report. */
	uint8_t key, asc, ascq;
	int field_byte; /* -1: no field pointer */
	int field_bit;	/* -1: no bit pointer */
};

/*
 * Decode @cdb for a device of peripheral type @dev_type (TYPE_NO_LUN, or
 * any type without a set, gets the SPC rows only) with logical blocks of
 * @block_size bytes. Returns 0, or -EINVAL with r->key/asc/ascq and the
 * field pointer set: INVALID COMMAND OPERATION CODE for an unknown opcode,
 * INVALID FIELD IN CDB (pointer at the service action) for an unknown
 * service action, INVALID FIELD IN CDB (pointer at the first offending bit)
 * for a reserved bit set, for a CDB shorter than the row's length, or for a
 * transfer larger than SCST_MAX_BUFFLEN (a Data-In allocation length
 * beyond it is not an error: SPC-4 4.2.5.6, it is clamped).
 */
int scst_cdb_decode(const uint8_t *cdb, unsigned int cdb_len, uint8_t dev_type,
		    uint32_t block_size, struct scst_cdb_result *r);

/* Row lookup without validation (NULL when unknown). */
const struct scst_cdb_info *
scst_cdb_lookup(const uint8_t *cdb, unsigned int cdb_len, uint8_t dev_type);

/* Visit every row valid for @dev_type: its set's, then SPC's. */
void scst_cdb_for_each(uint8_t dev_type,
		       void (*fn)(const struct scst_cdb_info *ci, void *arg),
		       void *arg);

/*
 * The reservation column of @ci for this CDB: ci->res, or for the rows
 * with SCST_CDB_F_RES_BY_FIELD the value their CDB field selects.
 */
unsigned int scst_cdb_res_rule(const struct scst_cdb_info *ci,
			       const uint8_t *cdb, unsigned int cdb_len);

/* Seconds an initiator should allow for a command of class @tmo. */
unsigned int scst_tmo_seconds(enum scst_tmo_class tmo);

/* ------------------------------------------------ the row's flags ---- */

static inline bool scst_cdb_writes_medium(const struct scst_cdb_info *ci)
{
	return ci && (ci->flags & SCST_CDB_F_WRITE_MEDIUM);
}

static inline bool scst_cdb_no_medium_ok(const struct scst_cdb_info *ci)
{
	return ci && (ci->flags & SCST_CDB_F_NO_MEDIUM_OK);
}

static inline bool scst_cdb_has_sa(const struct scst_cdb_info *ci)
{
	return ci && (ci->flags & SCST_CDB_F_HAS_SA);
}

static inline enum scst_tmo_class scst_cdb_tmo(const struct scst_cdb_info *ci)
{
	return ci ? (enum scst_tmo_class)ci->tmo : SCST_TMO_NORMAL;
}

#endif /* SCST_OPCODE_H */
