// SPDX-License-Identifier: GPL-2.0-only
/*
 * libFuzzer target: the scst.conf parser, schema check and writer. Any
 * input that parses must write out as text that parses back into an equal
 * tree (and writing that tree again gives the same text); a tree that
 * passed the schema must pass it again. Bit 0 of the first byte picks a
 * syntax-only parse, so that the writer also sees trees the schema refuses.
 */
#include <errno.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "scstadmin/scst_conf.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void check_round_trip(const struct scst_conf_node *root,
			     unsigned int flags)
{
	struct scst_conf_errors *errs;
	struct scst_conf_node *again = NULL;
	char *text, *text2;
	size_t len, len2;

	if (scst_conf_write(root, &text, &len))
		__builtin_trap();
	if (strlen(text) != len)
		__builtin_trap();
	errs = malloc(sizeof(*errs));
	if (!errs)
		__builtin_trap();
	scst_conf_errors_init(errs);
	if (scst_conf_parse(text, len, "written", flags, &again, errs))
		__builtin_trap();
	if (!scst_conf_equal(root, again) || !scst_conf_equal(again, root))
		__builtin_trap();
	if (scst_conf_write(again, &text2, &len2))
		__builtin_trap();
	if (len != len2 || memcmp(text, text2, len))
		__builtin_trap();
	free(text2);
	free(text);
	free(errs);
	scst_conf_free(again);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct scst_conf_errors *errs;
	struct scst_conf_node *root = NULL;
	unsigned int flags, i;
	int ret;

	if (size < 1)
		return 0;
	flags = data[0] & 1 ? SCST_CONF_SYNTAX_ONLY : 0;
	errs = malloc(sizeof(*errs));
	if (!errs)
		return 0;
	scst_conf_errors_init(errs);
	ret = scst_conf_parse((const char *)data + 1, size - 1, "fuzz", flags,
			      &root, errs);
	if (ret == 0) {
		if (!root || errs->count)
			__builtin_trap();
		check_round_trip(root, flags);
		scst_conf_free(root);
	} else {
		/* A failure is explained, and leaves no tree behind. */
		if (root || (ret != -EINVAL && ret != -ENOMEM) ||
		    !scst_conf_errors_total(errs))
			__builtin_trap();
		for (i = 0; i < errs->count; i++) {
			if (strncmp(errs->err[i].msg, "fuzz", 4) ||
			    strlen(errs->err[i].msg) >= SCST_CONF_ERROR_LEN)
				__builtin_trap();
		}
	}
	free(errs);
	return 0;
}
