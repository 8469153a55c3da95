/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Building and reading sense data in both formats of SPC-4 4.5: fixed
 * (response code 70h/71h) and descriptor (72h/73h, chosen by D_SENSE).
 */
#ifndef SCST_SENSE_H
#define SCST_SENSE_H

#include <stdbool.h>
#include <stdint.h>

#include "scst/scst_const.h"

/* What goes into one sense buffer. */
struct scst_sense_spec {
	uint8_t key, asc, ascq;
	bool deferred;
	bool info_valid;
	uint64_t information; /* INFORMATION field (LBA, offset, ...) */
	/* A signed residue (stream commands): the fixed format carries a
	 * negative value as 32-bit two's complement. */
	bool info_signed;
	/* Stream commands (SSC): SCST_SENSE_FILEMARK | _EOM | _ILI. */
	uint8_t stream;
	/* Sense-key specific field pointer (SPC-4 4.5.2.4.2). */
	bool sks_valid;
	bool sks_cdb;	    /* C/D: 1 = error in the CDB, 0 = in data */
	uint16_t sks_field; /* byte index */
	int sks_bit;	    /* bit index 0-7, or -1 for no bit pointer */
};

/*
 * Write sense data for @s into @buf (at least SCST_SENSE_BUFFERSIZE bytes)
 * in descriptor format if @desc, else fixed. Returns the length used.
 */
unsigned int scst_sense_build(uint8_t *buf, bool desc,
			      const struct scst_sense_spec *s);

/*
 * Read key/ASC/ASCQ back from sense data of either format. Returns false
 * if @len is too short or the response code is unknown.
 */
bool scst_sense_parse(const uint8_t *buf, unsigned int len, uint8_t *key,
		      uint8_t *asc, uint8_t *ascq);

/*
 * Re-encode existing sense data into the other format (REQUEST SENSE with
 * DESC set differently from how it was stored). Returns the new length.
 */
unsigned int scst_sense_convert(const uint8_t *in, unsigned int in_len,
				uint8_t *out, bool desc);

#endif /* SCST_SENSE_H */
