// SPDX-License-Identifier: GPL-2.0-only
/*
 * MMC-6 commands of CD/DVD devices (TYPE_ROM): those the vcdrom handler
 * implements (READ TOC/PMA/ATIP, GET CONFIGURATION, GET EVENT STATUS
 * NOTIFICATION, READ DISC INFORMATION, MECHANISM STATUS, the MMC forms of
 * READ(10), READ(12) and START STOP UNIT) and READ CAPACITY(10) and
 * PREVENT ALLOW MEDIUM REMOVAL as MMC-6 has them.
 *
 * Rows are sorted by (opcode, service action); scst_cdb.c binary-searches
 * them and the table test checks the order. Each row's comment names the
 * standard and the fields usage[] allows besides the opcode, the LBA, the
 * transfer length and the control byte; every other bit is reserved and
 * refused with INVALID FIELD IN CDB. The control byte allows only its
 * vendor-specific bits 7-6: NACA and LINK are refused (no ACA, no linked
 * commands). Columns (include/scst/scst_opcode.h): .res which reservations
 * let the command through (none: it conflicts), .alua which restricted
 * access states (none: only the active states), .tmo SHORT/NORMAL/LONG.
 */
#include "scst_cdb_sets.h"

const struct scst_cdb_info scst_cdb_mmc_rows[] = {
    /* MMC-6: IMMED, FORMAT-LAYER NUMBER, POWER CONDITION FL LOEJ START */
    {.opcode = START_STOP,
     .cdb_len = 6,
     .dir = SCST_DATA_NONE,
     .flags = SCST_CDB_F_NO_MEDIUM_OK | SCST_CDB_F_RES_BY_FIELD,
     .name = "START STOP UNIT",
     .usage = {0xff, 0x01, 0x00, 0x03, 0xf7, 0xc0}},
    /* SBC-3: PREVENT; MMC-6: PERSISTENT PREVENT */
    {.opcode = ALLOW_MEDIUM_REMOVAL,
     .cdb_len = 6,
     .dir = SCST_DATA_NONE,
     .flags = SCST_CDB_F_NO_MEDIUM_OK | SCST_CDB_F_RES_BY_FIELD,
     .name = "PREVENT ALLOW MEDIUM REMOVAL",
     .usage = {0xff, 0x00, 0x00, 0x00, 0x03, 0xc0}},
    /* SBC-3, MMC-6: LOGICAL BLOCK ADDRESS, PMI */
    {.opcode = READ_CAPACITY,
     .cdb_len = 10,
     .dir = SCST_DATA_READ,
     .len_unit = SCST_LEN_FIXED,
     .fixed_len = 8,
     .tmo = SCST_TMO_SHORT,
     .res = SCST_RES_ALL,
     .alua = SCST_ALUA_OK_STANDBY,
     .name = "READ CAPACITY(10)",
     .usage = {0xff, 0x00, 0xff, 0xff, 0xff, 0xff, 0x00, 0x00, 0x01, 0xc0}},
    /* MMC-6: DPO FUA */
    {.opcode = READ_10,
     .cdb_len = 10,
     .dir = SCST_DATA_READ,
     .len_unit = SCST_LEN_BLOCKS,
     .len_off = 7,
     .len_size = 2,
     .lba_off = 2,
     .lba_size = 4,
     .ser = SCST_SER_READ,
     .res = SCST_RES_RD,
     .name = "READ(10)",
     .usage = {0xff, 0x18, 0xff, 0xff, 0xff, 0xff, 0x00, 0xff, 0xff, 0xc0}},
    /* MMC-6: MSF, FORMAT, TRACK/SESSION NUMBER */
    {.opcode = READ_TOC,
     .cdb_len = 10,
     .dir = SCST_DATA_READ,
     .len_unit = SCST_LEN_BYTES,
     .len_off = 7,
     .len_size = 2,
     .tmo = SCST_TMO_SHORT,
     .name = "READ TOC/PMA/ATIP",
     .usage = {0xff, 0x02, 0x0f, 0x00, 0x00, 0x00, 0xff, 0xff, 0xff, 0xc0}},
    /* MMC-6: RT, STARTING FEATURE NUMBER; no unit attention (MMC-6 4.1.6.1) */
    {.opcode = GET_CONFIGURATION,
     .cdb_len = 10,
     .dir = SCST_DATA_READ,
     .len_unit = SCST_LEN_BYTES,
     .len_off = 7,
     .len_size = 2,
     .tmo = SCST_TMO_SHORT,
     .flags = SCST_CDB_F_UA_EXEMPT | SCST_CDB_F_NO_MEDIUM_OK,
     .name = "GET CONFIGURATION",
     .usage = {0xff, 0x03, 0xff, 0xff, 0x00, 0x00, 0x00, 0xff, 0xff, 0xc0}},
    /*
     * MMC-6: POLLED, NOTIFICATION CLASS REQUEST; no unit attention. POLLED
     * zero (asynchronous) is refused by the handler.
     */
    {.opcode = GET_EVENT_STATUS_NOTIFICATION,
     .cdb_len = 10,
     .dir = SCST_DATA_READ,
     .len_unit = SCST_LEN_BYTES,
     .len_off = 7,
     .len_size = 2,
     .tmo = SCST_TMO_SHORT,
     .flags = SCST_CDB_F_UA_EXEMPT | SCST_CDB_F_NO_MEDIUM_OK,
     .name = "GET EVENT STATUS NOTIFICATION",
     .usage = {0xff, 0x01, 0x00, 0x00, 0xff, 0x00, 0x00, 0xff, 0xff, 0xc0}},
    /* MMC-6: DATA TYPE */
    {.opcode = READ_DISC_INFORMATION,
     .cdb_len = 10,
     .dir = SCST_DATA_READ,
     .len_unit = SCST_LEN_BYTES,
     .len_off = 7,
     .len_size = 2,
     .tmo = SCST_TMO_SHORT,
     .name = "READ DISC INFORMATION",
     .usage = {0xff, 0x07, 0x00, 0x00, 0x00, 0x00, 0x00, 0xff, 0xff, 0xc0}},
    /* MMC-6: DPO FUA, STREAMING */
    {.opcode = READ_12,
     .cdb_len = 12,
     .dir = SCST_DATA_READ,
     .len_unit = SCST_LEN_BLOCKS,
     .len_off = 6,
     .len_size = 4,
     .lba_off = 2,
     .lba_size = 4,
     .ser = SCST_SER_READ,
     .res = SCST_RES_RD,
     .name = "READ(12)",
     .usage = {0xff, 0x18, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0x80,
	       0xc0}},
    /* MMC-6: no fields besides the allocation length */
    {.opcode = MECHANISM_STATUS,
     .cdb_len = 12,
     .dir = SCST_DATA_READ,
     .len_unit = SCST_LEN_BYTES,
     .len_off = 8,
     .len_size = 2,
     .tmo = SCST_TMO_SHORT,
     .flags = SCST_CDB_F_NO_MEDIUM_OK,
     .name = "MECHANISM STATUS",
     .usage = {0xff, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0xff, 0xff, 0x00,
	       0xc0}},
};

const unsigned int scst_cdb_mmc_nrows =
    sizeof(scst_cdb_mmc_rows) / sizeof(scst_cdb_mmc_rows[0]);
