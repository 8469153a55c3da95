/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * The opcode tables of the device-type sets (scst_cdb_<set>.c), for
 * scst_cdb.c and the table tests. Everything else reaches the rows through
 * include/scst/scst_opcode.h.
 */
#ifndef SCST_CDB_SETS_H
#define SCST_CDB_SETS_H

#include "scst/scst.h"

extern const struct scst_cdb_info scst_cdb_spc_rows[];
extern const unsigned int scst_cdb_spc_nrows;
extern const struct scst_cdb_info scst_cdb_sbc_rows[];
extern const unsigned int scst_cdb_sbc_nrows;
extern const struct scst_cdb_info scst_cdb_mmc_rows[];
extern const unsigned int scst_cdb_mmc_nrows;
extern const struct scst_cdb_info scst_cdb_ssc_rows[];
extern const unsigned int scst_cdb_ssc_nrows;
extern const struct scst_cdb_info scst_cdb_smc_rows[];
extern const unsigned int scst_cdb_smc_nrows;

/* One set: its rows, sorted by (opcode, service action). */
struct scst_cdb_set {
	const char *name; /* "SPC", "SBC", ... */
	const struct scst_cdb_info *rows;
	const unsigned int *nrows;
};

/* The device type's own set (NULL: SPC only). */
const struct scst_cdb_set *scst_cdb_type_set(uint8_t dev_type);
/* The SPC set. */
extern const struct scst_cdb_set scst_cdb_set_spc;
/* Every set, for tests: SPC, SBC, MMC, SSC, SMC. */
extern const struct scst_cdb_set *const scst_cdb_all_sets[];
extern const unsigned int scst_cdb_nsets;

#endif /* SCST_CDB_SETS_H */
