// SPDX-License-Identifier: GPL-2.0-only
/*
 * libFuzzer target: TransportIDs from PERSISTENT RESERVE OUT parameter
 * lists (SPEC_I_PT, REGISTER AND MOVE), parsed by scst/src/scst_pr_tid.c.
 *
 * Input: the bytes of a parameter list tail, in a heap buffer of exactly
 * that size. Checked: a parsed TransportID lies within the input, equals
 * itself, and prints within the buffer given.
 */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "scst_pr.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	uint8_t *p;
	char out[96];
	size_t off = 0;
	int len;

	if (size > 65536)
		return 0;
	p = malloc(size ? size : 1);
	if (!p)
		abort();
	memcpy(p, data, size);
	/* Walk a list of TransportIDs as SPEC_I_PT does. */
	while (off < size) {
		len = scst_pr_tid_parse(p + off, (unsigned int)(size - off));
		if (len < 0)
			break;
		if ((size_t)len > size - off)
			abort();
		if (!scst_pr_tid_equal(p + off, (unsigned int)len, p + off,
				       (unsigned int)len))
			abort();
		memset(out, 0x7f, sizeof(out));
		scst_pr_tid_print(p + off, (unsigned int)len, out, sizeof(out));
		if (!memchr(out, '\0', sizeof(out)))
			abort();
		off += (size_t)len;
	}
	free(p);
	return 0;
}
