// SPDX-License-Identifier: GPL-2.0-only
/*
 * libFuzzer target: the CHAP exchange of the iSCSI login
 * (iscsi-scst/usr/iscsi_chap.c) fed arbitrary key lists.
 *
 * Input: one flags byte, then up to 4 requests separated by 0xff bytes;
 * a request is lines "key=value" separated by '\n'. A one-letter key
 * A, I, C, N or R stands for CHAP_<letter>. The values "@R" and "@C" are
 * replaced by the right response to the target's challenge (with the
 * secret chosen by the flags) and by the target's own challenge, so that
 * the fuzzer also reaches the success and mutual paths. Every value is a
 * separate heap string and the output buffer is exactly its given size,
 * so that ASan sees any overrun. Checked: the result agrees with the
 * state, the output stays within its buffer and holds only what the state
 * allows.
 */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "scst/os.h"

#include "iscsi-scst/usr/iscsi_chap.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

#define MAX_STEPS 4
#define MAX_KEYS  16

static void null_sink(enum scst_log_level lvl, const char *line)
{
	(void)lvl;
	(void)line;
}

static const char *const secrets[] = {"incoming-secret-1",
				      "second-incoming-secret",
				      "outgoing-secret-2", "wrong-secret-000"};

static void check_out(const struct iscsi_chap_out *out)
{
	if (out->n > ISCSI_CHAP_OUT_MAX_KEYS || out->used > out->cap)
		__builtin_trap();
	for (size_t i = 0; i < out->n; i++) {
		const char *k = out->kv[i].key, *v = out->kv[i].value;

		if (k < out->buf || v < out->buf ||
		    v + strlen(v) >= out->buf + out->used ||
		    k + strlen(k) >= out->buf + out->used)
			__builtin_trap();
		if (strncmp(k, "CHAP_", 5))
			__builtin_trap();
	}
}

static void check_result(const struct iscsi_chap *c, enum iscsi_chap_result r,
			 enum iscsi_chap_status st,
			 const struct iscsi_chap_out *out)
{
	check_out(out);
	switch (r) {
	case ISCSI_CHAP_CONTINUE:
		if (c->state != ISCSI_CHAP_AWAIT_NR || st || out->n != 3)
			__builtin_trap();
		break;
	case ISCSI_CHAP_SUCCESS:
		if (c->state != ISCSI_CHAP_DONE || st || !iscsi_chap_user(c))
			__builtin_trap();
		/* Nothing, or CHAP_N and CHAP_R for mutual CHAP. */
		if (out->n != 0 && (out->n != 2 || !c->mutual))
			__builtin_trap();
		break;
	case ISCSI_CHAP_FAILURE:
		if (c->state != ISCSI_CHAP_FAILED || !st || iscsi_chap_user(c))
			__builtin_trap();
		/* At most CHAP_A=Reject. */
		if (out->n > 1 ||
		    (out->n == 1 && strcmp(out->kv[0].value, "Reject")))
			__builtin_trap();
		break;
	default:
		__builtin_trap();
	}
}

static char *dup_range(const uint8_t *p, size_t n)
{
	char *s = malloc(n + 1);

	if (!s)
		abort();
	memcpy(s, p, n);
	s[n] = '\0';
	return s;
}

static char *special_value(const struct iscsi_chap *c, const char *v,
			   const char *secret)
{
	uint8_t md[ISCSI_CHAP_DIGEST_MAX];
	char *s;
	int len;

	if (c->state != ISCSI_CHAP_AWAIT_NR)
		return NULL;
	s = malloc(2 * ISCSI_CHAP_BINARY_MAX + 3);
	if (!s)
		abort();
	if (!strcmp(v, "@R")) {
		len = iscsi_chap_digest(c->alg, c->id, (const uint8_t *)secret,
					strlen(secret), c->challenge,
					c->challenge_len, md);
		if (len > 0 &&
		    !iscsi_chap_encode_hex(md, (size_t)len, s,
					   2 * ISCSI_CHAP_BINARY_MAX + 3))
			return s;
	} else if (!strcmp(v, "@C")) {
		if (!iscsi_chap_encode_hex(c->challenge, c->challenge_len, s,
					   2 * ISCSI_CHAP_BINARY_MAX + 3))
			return s;
	}
	free(s);
	return NULL;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static int initialised;
	struct iscsi_chap_config *cfg;
	struct iscsi_chap c;
	struct iscsi_chap_out out;
	struct iscsi_chap_kv kv[MAX_KEYS];
	char *vals[MAX_KEYS], *keys[MAX_KEYS], *buf;
	const uint8_t *p, *end;
	size_t cap;
	uint8_t flags;

	if (!initialised) {
		scst_log_set_sink(null_sink);
		initialised = 1;
	}
	if (size < 1)
		return 0;
	flags = data[0];
	p = data + 1;
	end = data + size;

	/* Decoding alone, with a small buffer. */
	{
		uint8_t small[8];
		char *s = dup_range(p, (size_t)(end - p));
		ssize_t n = iscsi_chap_decode_binary(s, small, flags & 7);

		if (n > (ssize_t)(flags & 7))
			__builtin_trap();
		free(s);
	}

	cfg = malloc(sizeof(*cfg));
	if (!cfg)
		abort();
	iscsi_chap_config_init(cfg);
	if (iscsi_chap_config_add_incoming(cfg, "init", secrets[0], NULL, 0) ||
	    iscsi_chap_config_add_incoming(cfg, "other", secrets[1], NULL, 0))
		__builtin_trap();
	if ((flags & 0x08) &&
	    iscsi_chap_config_set_outgoing(cfg, "target", secrets[2], NULL, 0))
		__builtin_trap();
	if ((flags & 0x10) &&
	    iscsi_chap_config_set_algs(cfg, "SHA-256,MD5", NULL, 0))
		__builtin_trap();

	/* A full-size buffer, or a small one. */
	cap = (flags & 0x20) ? ISCSI_CHAP_OUT_BUF_MIN : (size_t)(flags & 7) * 9;
	buf = malloc(cap ? cap : 1);
	if (!buf)
		abort();
	iscsi_chap_init(&c, cfg);

	for (int step = 0; step < MAX_STEPS && p <= end; step++) {
		const uint8_t *req_end = memchr(p, 0xff, (size_t)(end - p));
		size_t n = 0;
		enum iscsi_chap_status st = ISCSI_CHAP_STATUS_OK;
		enum iscsi_chap_result r;

		if (!req_end)
			req_end = end;
		while (p < req_end && n < MAX_KEYS) {
			const uint8_t *nl =
			    memchr(p, '\n', (size_t)(req_end - p));
			const uint8_t *eq;
			char *special;

			if (!nl)
				nl = req_end;
			eq = memchr(p, '=', (size_t)(nl - p));
			if (!eq)
				eq = nl;
			if (eq - p == 1 && strchr("AICNR", *p) && *p) {
				keys[n] = malloc(7);
				if (!keys[n])
					abort();
				memcpy(keys[n], "CHAP_", 5);
				keys[n][5] = (char)*p;
				keys[n][6] = '\0';
			} else {
				keys[n] = dup_range(p, (size_t)(eq - p));
			}
			vals[n] =
			    dup_range(eq < nl ? eq + 1 : nl,
				      (size_t)(nl - (eq < nl ? eq + 1 : nl)));
			special = special_value(&c, vals[n],
						secrets[(flags >> 6) & 3]);
			if (special) {
				free(vals[n]);
				vals[n] = special;
			}
			kv[n].key = keys[n];
			kv[n].value = vals[n];
			n++;
			p = nl + 1;
		}
		iscsi_chap_out_init(&out, buf, cap);
		r = iscsi_chap_step(&c, kv, n, &out, &st);
		check_result(&c, r, st, &out);
		for (size_t i = 0; i < n; i++) {
			free(keys[i]);
			free(vals[i]);
		}
		p = req_end + 1;
		if (r == ISCSI_CHAP_FAILURE)
			break;
	}

	iscsi_chap_destroy(&c);
	iscsi_chap_config_wipe(cfg);
	free(cfg);
	free(buf);
	return 0;
}
