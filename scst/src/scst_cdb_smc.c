// SPDX-License-Identifier: GPL-2.0-only
/*
 * SMC-3 commands of media changers (TYPE_MEDIUM_CHANGER). A changer has
 * no medium of its own, so every row runs without one; element moves are
 * EXCL (READ ELEMENT STATUS too: it reports the moves before it). Every
 * command but the SPC ones conflicts with another nexus's reservation.
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

const struct scst_cdb_info scst_cdb_smc_rows[] = {
    /* SMC-3: no fields */
    {.opcode = INITIALIZE_ELEMENT_STATUS,
     .cdb_len = 6,
     .dir = SCST_DATA_NONE,
     .ser = SCST_SER_EXCL,
     .tmo = SCST_TMO_LONG,
     .flags = SCST_CDB_F_NO_MEDIUM_OK,
     .name = "INITIALIZE ELEMENT STATUS",
     .usage = {0xff, 0x00, 0x00, 0x00, 0x00, 0xc0}},
    /* SMC-3: PREVENT (the import/export elements) */
    {.opcode = ALLOW_MEDIUM_REMOVAL,
     .cdb_len = 6,
     .dir = SCST_DATA_NONE,
     .ser = SCST_SER_NONE,
     .tmo = SCST_TMO_SHORT,
     .flags = SCST_CDB_F_NO_MEDIUM_OK | SCST_CDB_F_RES_BY_FIELD,
     .name = "PREVENT ALLOW MEDIUM REMOVAL",
     .usage = {0xff, 0x00, 0x00, 0x00, 0x03, 0xc0}},
    /* SMC-3: MEDIUM TRANSPORT ADDRESS, DESTINATION ADDRESS, INVERT */
    {.opcode = POSITION_TO_ELEMENT,
     .cdb_len = 10,
     .dir = SCST_DATA_NONE,
     .ser = SCST_SER_EXCL,
     .tmo = SCST_TMO_LONG,
     .flags = SCST_CDB_F_NO_MEDIUM_OK,
     .name = "POSITION TO ELEMENT",
     .usage = {0xff, 0x00, 0xff, 0xff, 0xff, 0xff, 0x00, 0x00, 0x01, 0xc0}},
    /* SMC-3: FAST RANGE, ELEMENT ADDRESS, NUMBER OF ELEMENTS */
    {.opcode = INITIALIZE_ELEMENT_STATUS_WITH_RANGE,
     .cdb_len = 10,
     .dir = SCST_DATA_NONE,
     .ser = SCST_SER_EXCL,
     .tmo = SCST_TMO_LONG,
     .flags = SCST_CDB_F_NO_MEDIUM_OK,
     .name = "INITIALIZE ELEMENT STATUS WITH RANGE",
     .usage = {0xff, 0x03, 0xff, 0xff, 0x00, 0x00, 0xff, 0xff, 0x00, 0xc0}},
    /* SMC-3: MEDIUM TRANSPORT ADDRESS, SOURCE ADDRESS, DESTINATION ADDRESS,
       INVERT */
    {.opcode = MOVE_MEDIUM,
     .cdb_len = 12,
     .dir = SCST_DATA_NONE,
     .ser = SCST_SER_EXCL,
     .tmo = SCST_TMO_LONG,
     .flags = SCST_CDB_F_NO_MEDIUM_OK,
     .name = "MOVE MEDIUM",
     .usage = {0xff, 0x00, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0x00, 0x00, 0x01,
	       0xc0}},
    /* SMC-3: MEDIUM TRANSPORT ADDRESS, SOURCE ADDRESS, FIRST and SECOND
       DESTINATION ADDRESS, INV2 INV1 */
    {.opcode = EXCHANGE_MEDIUM,
     .cdb_len = 12,
     .dir = SCST_DATA_NONE,
     .ser = SCST_SER_EXCL,
     .tmo = SCST_TMO_LONG,
     .flags = SCST_CDB_F_NO_MEDIUM_OK,
     .name = "EXCHANGE MEDIUM",
     .usage = {0xff, 0x00, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0x03,
	       0xc0}},
    /* SMC-3: VOLTAG ELEMENT TYPE CODE, STARTING ELEMENT ADDRESS, NUMBER OF
       ELEMENTS, CURDATA DVCID, ALLOCATION LENGTH */
    {.opcode = READ_ELEMENT_STATUS,
     .cdb_len = 12,
     .dir = SCST_DATA_READ,
     .len_unit = SCST_LEN_BYTES,
     .len_off = 7,
     .len_size = 3,
     .ser = SCST_SER_EXCL,
     .flags = SCST_CDB_F_NO_MEDIUM_OK,
     .name = "READ ELEMENT STATUS",
     .usage = {0xff, 0x1f, 0xff, 0xff, 0xff, 0xff, 0x03, 0xff, 0xff, 0xff, 0x00,
	       0xc0}},
};

const unsigned int scst_cdb_smc_nrows =
    sizeof(scst_cdb_smc_rows) / sizeof(scst_cdb_smc_rows[0]);
