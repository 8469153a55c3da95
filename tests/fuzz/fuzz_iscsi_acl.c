// SPDX-License-Identifier: GPL-2.0-only
/*
 * libFuzzer target: the configuration values of the iSCSI access rules
 * (iscsi-scst/iscsi_acl.c): allowed_portal patterns matched against
 * portal addresses, redirect values, and "address:port" splitting.
 *
 * Input: a selector byte, then the text. For the pattern match the text
 * is "pattern\0address". Every string is its own heap copy of exactly its
 * length, so that ASan sees any read past its end. Checked: a redirect
 * value that parses formats back to one that parses to the same thing;
 * a pattern made of the address itself matches it; split results fit.
 */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "iscsi-scst/iscsi_priv.h"
#include "scst/os.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static char *dup_str(const uint8_t *p, size_t n)
{
	char *s = malloc(n + 1);

	if (!s)
		abort();
	memcpy(s, p, n);
	s[n] = '\0';
	return s;
}

static void fuzz_redirect(const char *val)
{
	struct iscsi_redirect r, r2;
	char buf[ISCSI_ADDR_MAX + 32];

	memset(&r, 0xa5, sizeof(r));
	if (iscsi_redirect_parse(val, &r))
		return;
	if (iscsi_redirect_format(&r, buf, sizeof(buf)) < 0)
		abort();
	memset(&r2, 0x5a, sizeof(r2));
	if (iscsi_redirect_parse(buf, &r2))
		abort();
	if (r.set != r2.set || r.perm != r2.perm)
		abort();
	if (r.set && (strcmp(r.host, r2.host) || r.port != r2.port))
		abort();
}

static void fuzz_match(const char *pat, const char *addr)
{
	(void)iscsi_portal_match(pat, addr);
	/* Without wildcards or '!', an address matches itself. */
	if (*addr && !strpbrk(addr, "*?!") && !iscsi_portal_match(addr, addr))
		abort();
}

static void fuzz_split(const char *addr)
{
	char ip[ISCSI_ADDR_MAX];
	uint16_t port = 0;

	memset(ip, 0x7f, sizeof(ip));
	if (iscsi_addr_split(addr, ip, sizeof(ip), &port))
		return;
	if (!memchr(ip, '\0', sizeof(ip)))
		abort();
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	const uint8_t *nul;
	char *a, *b;

	if (size < 1 || size > 4096)
		return 0;
	switch (data[0] % 3) {
	case 0:
		a = dup_str(data + 1, size - 1);
		fuzz_redirect(a);
		free(a);
		break;
	case 1:
		nul = memchr(data + 1, '\0', size - 1);
		if (!nul)
			return 0;
		a = dup_str(data + 1, (size_t)(nul - data - 1));
		b = dup_str(nul + 1, size - (size_t)(nul - data) - 1);
		fuzz_match(a, b);
		free(a);
		free(b);
		break;
	default:
		a = dup_str(data + 1, size - 1);
		fuzz_split(a);
		free(a);
		break;
	}
	return 0;
}
