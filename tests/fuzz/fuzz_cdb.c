// SPDX-License-Identifier: GPL-2.0-only
/*
 * libFuzzer target: the parsers of initiator input in the core that need no
 * engine: CDB decoding for every device type and block size (0: a tape in
 * variable mode) with the reservation rule of the decoded row, SAM LUN
 * unpacking, and sense data parsing and conversion.
 */
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include "scst/scst.h"
#include "scst_cdb_sets.h"
#include "scst_sense.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	/* 0: a tape in variable-block mode. */
	static const uint32_t bs[] = {512, 1024, 2048, 4096, 0};
	static const uint8_t types[] = {TYPE_DISK, TYPE_TAPE, TYPE_ROM,
					TYPE_MEDIUM_CHANGER, TYPE_NO_LUN};
	struct scst_cdb_result r;
	uint8_t out[SCST_SENSE_BUFFERSIZE], key, asc, ascq;
	unsigned int i;

	if (size < 1)
		return 0;
	for (i = 0; i < sizeof(types); i++) {
		if (scst_cdb_decode(data + 1, (unsigned int)(size - 1),
				    types[i], bs[data[0] % 5], &r) == 0) {
			/* A decoded command must be self-consistent. */
			if (!r.info || r.bufflen > SCST_MAX_BUFFLEN)
				__builtin_trap();
			if (r.dir == SCST_DATA_NONE && r.bufflen)
				__builtin_trap();
			if (scst_cdb_res_rule(r.info, data + 1,
					      (unsigned int)(size - 1)) &
			    ~(SCST_RES_ALL | SCST_RES_F_PR | SCST_RES_F_SPC2))
				__builtin_trap();
		} else if (r.key != ILLEGAL_REQUEST) {
			__builtin_trap();
		}
	}
	(void)scst_unpack_lun(data, (unsigned int)size);
	if (size <= SCST_SENSE_BUFFERSIZE) {
		(void)scst_sense_parse(data, (unsigned int)size, &key, &asc,
				       &ascq);
		(void)scst_sense_convert(data, (unsigned int)size, out,
					 data[0] & 1);
	}
	return 0;
}
