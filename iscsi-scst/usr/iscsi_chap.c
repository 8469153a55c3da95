// SPDX-License-Identifier: GPL-2.0-only
/*
 * CHAP for the iSCSI login, target side: algorithm negotiation, challenge,
 * response check, mutual CHAP. See iscsi_chap.h for the exchange.
 *
 * Every binary value from the wire is measured before it is decoded: its
 * decoded length follows from its encoded length, and a value that would
 * not fit the fixed buffer is refused without a byte written.
 */
#include <ctype.h>
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include <strings.h>

#include <openssl/crypto.h>
#include <openssl/evp.h>
#include <openssl/rand.h>

#include "scst/os.h"

#include "iscsi-scst/usr/iscsi_chap.h"

#define CHAP_LOG "iscsi_chap: "

/* ------------------------------------------------------- algorithms ---- */

struct chap_alg_desc {
	int alg;
	const char *name;
	size_t digest_len;
	const EVP_MD *(*md)(void);
};

static const struct chap_alg_desc chap_algs[ISCSI_CHAP_N_ALGS] = {
    {ISCSI_CHAP_ALG_MD5, "MD5", 16, EVP_md5},
    {ISCSI_CHAP_ALG_SHA1, "SHA1", 20, EVP_sha1},
    {ISCSI_CHAP_ALG_SHA256, "SHA-256", 32, EVP_sha256},
    {ISCSI_CHAP_ALG_SHA3_256, "SHA3-256", 32, EVP_sha3_256},
};

static const struct chap_alg_desc *chap_alg_find(int alg)
{
	for (size_t i = 0; i < ISCSI_CHAP_N_ALGS; i++)
		if (chap_algs[i].alg == alg)
			return &chap_algs[i];
	return NULL;
}

const char *iscsi_chap_alg_name(int alg)
{
	const struct chap_alg_desc *d = chap_alg_find(alg);

	return d ? d->name : NULL;
}

size_t iscsi_chap_alg_digest_len(int alg)
{
	const struct chap_alg_desc *d = chap_alg_find(alg);

	return d ? d->digest_len : 0;
}

int iscsi_chap_digest(int alg, uint8_t id, const uint8_t *secret,
		      size_t secret_len, const uint8_t *chal, size_t chal_len,
		      uint8_t *md)
{
	const struct chap_alg_desc *d = chap_alg_find(alg);
	unsigned int len = 0;
	EVP_MD_CTX *ctx;
	int ok;

	if (!d)
		return -EINVAL;
	ctx = EVP_MD_CTX_new();
	if (!ctx)
		return -ENOMEM;
	ok = EVP_DigestInit_ex(ctx, d->md(), NULL) &&
	     EVP_DigestUpdate(ctx, &id, 1) &&
	     EVP_DigestUpdate(ctx, secret, secret_len) &&
	     EVP_DigestUpdate(ctx, chal, chal_len) &&
	     EVP_DigestFinal_ex(ctx, md, &len);
	EVP_MD_CTX_free(ctx);
	if (!ok || len != d->digest_len)
		return -EIO;
	return (int)len;
}

/* ------------------------------------------------------- encodings ---- */

static int hex_val(unsigned char ch)
{
	if (ch >= '0' && ch <= '9')
		return ch - '0';
	if (ch >= 'a' && ch <= 'f')
		return ch - 'a' + 10;
	if (ch >= 'A' && ch <= 'F')
		return ch - 'A' + 10;
	return -1;
}

static int b64_val(unsigned char ch)
{
	if (ch >= 'A' && ch <= 'Z')
		return ch - 'A';
	if (ch >= 'a' && ch <= 'z')
		return ch - 'a' + 26;
	if (ch >= '0' && ch <= '9')
		return ch - '0' + 52;
	if (ch == '+')
		return 62;
	if (ch == '/')
		return 63;
	return -1;
}

static ssize_t decode_hex(const char *s, size_t n, uint8_t *buf, size_t cap)
{
	size_t len, i = 0, o = 0;
	int hi, lo;

	if (n == 0)
		return -EINVAL;
	/* RFC 7143 6.1: n hex digits are (n + 1) / 2 bytes. */
	len = n / 2 + n % 2;
	if (len > cap)
		return -EMSGSIZE;
	if (n % 2) {
		/* Odd count: an implied leading zero digit. */
		lo = hex_val((unsigned char)s[i++]);
		if (lo < 0)
			return -EINVAL;
		buf[o++] = (uint8_t)lo;
	}
	while (i < n) {
		hi = hex_val((unsigned char)s[i]);
		lo = hex_val((unsigned char)s[i + 1]);
		if (hi < 0 || lo < 0)
			return -EINVAL;
		buf[o++] = (uint8_t)(hi << 4 | lo);
		i += 2;
	}
	return (ssize_t)len;
}

/* RFC 4648 base64 with padding; non-canonical trailing bits refused. */
static ssize_t decode_b64(const char *s, size_t n, uint8_t *buf, size_t cap)
{
	size_t pad = 0, len, i, o = 0;

	if (n == 0 || n % 4)
		return -EINVAL;
	if (s[n - 1] == '=')
		pad = s[n - 2] == '=' ? 2 : 1;
	len = n / 4 * 3 - pad;
	if (len == 0)
		return -EINVAL;
	if (len > cap)
		return -EMSGSIZE;
	for (i = 0; i < n; i += 4) {
		bool last = i + 4 == n;
		int v[4];
		uint32_t q;

		for (size_t k = 0; k < 4; k++) {
			if (last && k >= 4 - pad) {
				v[k] = 0; /* '=' checked above */
				continue;
			}
			v[k] = b64_val((unsigned char)s[i + k]);
			if (v[k] < 0)
				return -EINVAL;
		}
		q = (uint32_t)v[0] << 18 | (uint32_t)v[1] << 12 |
		    (uint32_t)v[2] << 6 | (uint32_t)v[3];
		if (last && pad == 2 && (q & 0xffff))
			return -EINVAL;
		if (last && pad == 1 && (q & 0xff))
			return -EINVAL;
		buf[o++] = (uint8_t)(q >> 16);
		if (!(last && pad == 2))
			buf[o++] = (uint8_t)(q >> 8);
		if (!(last && pad))
			buf[o++] = (uint8_t)q;
	}
	return (ssize_t)len;
}

ssize_t iscsi_chap_decode_binary(const char *s, uint8_t *buf, size_t cap)
{
	size_t n;

	if (!s || s[0] != '0')
		return -EINVAL;
	n = strlen(s);
	if (n < 3)
		return -EINVAL;
	if (s[1] == 'x' || s[1] == 'X')
		return decode_hex(s + 2, n - 2, buf, cap);
	if (s[1] == 'b' || s[1] == 'B')
		return decode_b64(s + 2, n - 2, buf, cap);
	return -EINVAL;
}

int iscsi_chap_encode_hex(const uint8_t *bin, size_t len, char *s, size_t cap)
{
	static const char digits[] = "0123456789abcdef";

	if (cap < 3 || len > (cap - 3) / 2)
		return -ENOSPC;
	*s++ = '0';
	*s++ = 'x';
	for (size_t i = 0; i < len; i++) {
		*s++ = digits[bin[i] >> 4];
		*s++ = digits[bin[i] & 15];
	}
	*s = '\0';
	return 0;
}

/*
 * A numerical-value (RFC 7143 6.1): decimal or 0x hex, below 2^64. Only
 * what fits in @max is accepted.
 */
static int parse_number(const char *s, uint64_t max, uint64_t *val)
{
	unsigned int base = 10;
	uint64_t v = 0;
	int d;

	if (!s || !*s)
		return -EINVAL;
	if (s[0] == '0' && (s[1] == 'x' || s[1] == 'X')) {
		base = 16;
		s += 2;
		if (!*s)
			return -EINVAL;
	}
	for (; *s; s++) {
		d = hex_val((unsigned char)*s);
		if (d < 0 || (unsigned int)d >= base)
			return -EINVAL;
		if (v > (max - (uint64_t)d) / base)
			return -ERANGE;
		v = v * base + (uint64_t)d;
	}
	*val = v;
	return 0;
}

/* A user name fit for the log: printable ASCII only, bounded. */
static const char *log_name(const char *name, char *buf, size_t cap)
{
	size_t i;

	for (i = 0; name[i] && i + 4 < cap; i++) {
		unsigned char ch = (unsigned char)name[i];

		buf[i] =
		    (ch >= 0x20 && ch < 0x7f && ch != '"') ? (char)ch : '?';
	}
	if (name[i])
		memcpy(buf + i, "...", 4);
	else
		buf[i] = '\0';
	return buf;
}

/* ----------------------------------------------------- configuration ---- */

static int config_error(char *err, size_t err_len, int ret, const char *fmt,
			...) __attribute__((format(printf, 4, 5)));

static int config_error(char *err, size_t err_len, int ret, const char *fmt,
			...)
{
	char msg[256];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	if (err && err_len)
		snprintf(err, err_len, "%s", msg);
	scst_log(SCST_LOG_ERR, CHAP_LOG "%s", msg);
	return ret;
}

void iscsi_chap_config_init(struct iscsi_chap_config *cfg)
{
	memset(cfg, 0, sizeof(*cfg));
	cfg->algs[0] = ISCSI_CHAP_ALG_SHA3_256;
	cfg->algs[1] = ISCSI_CHAP_ALG_SHA256;
	cfg->algs[2] = ISCSI_CHAP_ALG_SHA1;
	cfg->algs[3] = ISCSI_CHAP_ALG_MD5;
	cfg->n_algs = 4;
}

void iscsi_chap_config_wipe(struct iscsi_chap_config *cfg)
{
	OPENSSL_cleanse(cfg, sizeof(*cfg));
}

static int alg_from_token(const char *t, size_t n)
{
	static const struct {
		const char *name;
		int alg;
	} names[] = {
	    {"MD5", ISCSI_CHAP_ALG_MD5},
	    {"5", ISCSI_CHAP_ALG_MD5},
	    {"SHA1", ISCSI_CHAP_ALG_SHA1},
	    {"SHA-1", ISCSI_CHAP_ALG_SHA1},
	    {"6", ISCSI_CHAP_ALG_SHA1},
	    {"SHA256", ISCSI_CHAP_ALG_SHA256},
	    {"SHA-256", ISCSI_CHAP_ALG_SHA256},
	    {"7", ISCSI_CHAP_ALG_SHA256},
	    {"SHA3-256", ISCSI_CHAP_ALG_SHA3_256},
	    {"8", ISCSI_CHAP_ALG_SHA3_256},
	};

	for (size_t i = 0; i < sizeof(names) / sizeof(names[0]); i++)
		if (strlen(names[i].name) == n &&
		    !strncasecmp(names[i].name, t, n))
			return names[i].alg;
	return 0;
}

int iscsi_chap_config_set_algs(struct iscsi_chap_config *cfg, const char *list,
			       char *err, size_t err_len)
{
	uint8_t algs[ISCSI_CHAP_N_ALGS];
	size_t n = 0;
	const char *p = list;

	if (!list)
		return config_error(err, err_len, -EINVAL,
				    "empty CHAP algorithm list");
	for (;;) {
		const char *end = strchr(p, ',');
		size_t len = end ? (size_t)(end - p) : strlen(p);
		int alg;

		while (len && isspace((unsigned char)*p)) {
			p++;
			len--;
		}
		while (len && isspace((unsigned char)p[len - 1]))
			len--;
		alg = alg_from_token(p, len);
		if (!alg)
			return config_error(
			    err, err_len, -EINVAL,
			    "unknown CHAP algorithm \"%.*s\" (expected MD5, "
			    "SHA1, SHA-256, SHA3-256 or 5..8)",
			    (int)(len > 32 ? 32 : len), p);
		for (size_t i = 0; i < n; i++)
			if (algs[i] == alg)
				return config_error(
				    err, err_len, -EINVAL,
				    "CHAP algorithm %s listed twice",
				    iscsi_chap_alg_name(alg));
		algs[n++] = (uint8_t)alg;
		if (!end)
			break;
		p = end + 1;
	}
	memcpy(cfg->algs, algs, n);
	cfg->n_algs = n;
	return 0;
}

static int check_name(const char *what, const char *name, char *err,
		      size_t err_len)
{
	size_t n;

	if (!name || !*name)
		return config_error(err, err_len, -EINVAL,
				    "%s: the user name is empty", what);
	n = strnlen(name, ISCSI_CHAP_NAME_MAX + 1);
	if (n > ISCSI_CHAP_NAME_MAX)
		return config_error(err, err_len, -EINVAL,
				    "%s: the user name is longer than %d bytes",
				    what, ISCSI_CHAP_NAME_MAX);
	for (size_t i = 0; i < n; i++) {
		unsigned char ch = (unsigned char)name[i];

		if (ch <= 0x20 || ch == 0x7f || ch == '=')
			return config_error(err, err_len, -EINVAL,
					    "%s: the user name holds a space, "
					    "a control character or '='",
					    what);
	}
	return 0;
}

/* Never echoes the secret, only its length. */
static int check_secret(const char *what, const char *name, const char *secret,
			char *err, size_t err_len)
{
	size_t n = secret ? strnlen(secret, ISCSI_CHAP_SECRET_MAX + 1) : 0;

	if (n < ISCSI_CHAP_SECRET_MIN)
		return config_error(
		    err, err_len, -EINVAL,
		    "%s %s: the secret is %zu bytes long; CHAP secrets must be "
		    "at least %d bytes (96 bits, RFC 7143 9.2.1)",
		    what, name, n, ISCSI_CHAP_SECRET_MIN);
	if (n > ISCSI_CHAP_SECRET_MAX)
		return config_error(err, err_len, -EINVAL,
				    "%s %s: the secret is longer than %d bytes",
				    what, name, ISCSI_CHAP_SECRET_MAX);
	return 0;
}

static bool same_secret(const struct iscsi_chap_account *a, const char *secret)
{
	size_t n = strlen(secret);

	return a->secret_len == n && !memcmp(a->secret, secret, n);
}

static void set_account(struct iscsi_chap_account *a, const char *name,
			const char *secret)
{
	memset(a, 0, sizeof(*a));
	memcpy(a->name, name, strlen(name));
	a->secret_len = strlen(secret);
	memcpy(a->secret, secret, a->secret_len);
}

int iscsi_chap_config_add_incoming(struct iscsi_chap_config *cfg,
				   const char *name, const char *secret,
				   char *err, size_t err_len)
{
	int ret;

	ret = check_name("IncomingUser", name, err, err_len);
	if (ret)
		return ret;
	ret = check_secret("IncomingUser", name, secret, err, err_len);
	if (ret)
		return ret;
	if (cfg->has_outgoing && same_secret(&cfg->outgoing, secret))
		return config_error(
		    err, err_len, -EINVAL,
		    "IncomingUser %s: the secret equals OutgoingUser's; a "
		    "secret must not serve both directions (RFC 7143 9.2.1)",
		    name);
	for (size_t i = 0; i < cfg->n_incoming; i++)
		if (!strcmp(cfg->incoming[i].name, name) &&
		    same_secret(&cfg->incoming[i], secret))
			return config_error(err, err_len, -EEXIST,
					    "IncomingUser %s is already "
					    "configured with this secret",
					    name);
	if (cfg->n_incoming >= ISCSI_CHAP_MAX_ACCOUNTS)
		return config_error(err, err_len, -ENOSPC,
				    "IncomingUser %s: at most %d accounts",
				    name, ISCSI_CHAP_MAX_ACCOUNTS);
	set_account(&cfg->incoming[cfg->n_incoming++], name, secret);
	return 0;
}

int iscsi_chap_config_set_outgoing(struct iscsi_chap_config *cfg,
				   const char *name, const char *secret,
				   char *err, size_t err_len)
{
	int ret;

	ret = check_name("OutgoingUser", name, err, err_len);
	if (ret)
		return ret;
	ret = check_secret("OutgoingUser", name, secret, err, err_len);
	if (ret)
		return ret;
	for (size_t i = 0; i < cfg->n_incoming; i++)
		if (same_secret(&cfg->incoming[i], secret))
			return config_error(
			    err, err_len, -EINVAL,
			    "OutgoingUser %s: the secret equals IncomingUser "
			    "%s's; a secret must not serve both directions "
			    "(RFC 7143 9.2.1)",
			    name, cfg->incoming[i].name);
	set_account(&cfg->outgoing, name, secret);
	cfg->has_outgoing = true;
	return 0;
}

/* ------------------------------------------------------------ output ---- */

void iscsi_chap_out_init(struct iscsi_chap_out *out, char *buf, size_t cap)
{
	memset(out, 0, sizeof(*out));
	out->buf = buf;
	out->cap = cap;
}

static void out_reset(struct iscsi_chap_out *out)
{
	out->used = 0;
	out->n = 0;
	if (out->buf && out->cap)
		out->buf[0] = '\0';
}

static int out_add(struct iscsi_chap_out *out, const char *key,
		   const char *value)
{
	size_t kl = strlen(key) + 1, vl = strlen(value) + 1;
	char *k;

	if (out->n >= ISCSI_CHAP_OUT_MAX_KEYS || !out->buf ||
	    out->used > out->cap || kl + vl > out->cap - out->used)
		return -ENOSPC;
	k = out->buf + out->used;
	memcpy(k, key, kl);
	memcpy(k + kl, value, vl);
	out->kv[out->n].key = k;
	out->kv[out->n].value = k + kl;
	out->n++;
	out->used += kl + vl;
	return 0;
}

/* -------------------------------------------------------- the exchange ---- */

const char *iscsi_chap_state_name(enum iscsi_chap_state s)
{
	switch (s) {
	case ISCSI_CHAP_AWAIT_A:
		return "AWAIT_A";
	case ISCSI_CHAP_AWAIT_NR:
		return "AWAIT_NR";
	case ISCSI_CHAP_DONE:
		return "DONE";
	case ISCSI_CHAP_FAILED:
		return "FAILED";
	}
	return "?";
}

void iscsi_chap_init(struct iscsi_chap *c, const struct iscsi_chap_config *cfg)
{
	memset(c, 0, sizeof(*c));
	c->cfg = cfg;
	c->state = ISCSI_CHAP_AWAIT_A;
}

void iscsi_chap_destroy(struct iscsi_chap *c)
{
	OPENSSL_cleanse(c, sizeof(*c));
	c->state = ISCSI_CHAP_FAILED;
	c->status = ISCSI_CHAP_STATUS_TARGET_ERROR;
}

const char *iscsi_chap_user(const struct iscsi_chap *c)
{
	return c->state == ISCSI_CHAP_DONE && c->user ? c->user->name : NULL;
}

enum chap_key { K_A, K_I, K_C, K_N, K_R, K_COUNT };

static const char *const chap_key_names[K_COUNT] = {
    [K_A] = "CHAP_A", [K_I] = "CHAP_I", [K_C] = "CHAP_C",
    [K_N] = "CHAP_N", [K_R] = "CHAP_R",
};

/* The five CHAP keys of one request; a key sent twice is an error. */
static int collect_keys(const struct iscsi_chap_kv *in, size_t n_in,
			const char *v[K_COUNT])
{
	for (size_t k = 0; k < K_COUNT; k++)
		v[k] = NULL;
	for (size_t i = 0; i < n_in; i++) {
		if (!in[i].key || !in[i].value)
			return -EINVAL;
		for (size_t k = 0; k < K_COUNT; k++) {
			if (strcmp(in[i].key, chap_key_names[k]))
				continue;
			if (v[k]) {
				scst_log(SCST_LOG_WARN,
					 CHAP_LOG "%s sent twice",
					 chap_key_names[k]);
				return -EINVAL;
			}
			v[k] = in[i].value;
		}
	}
	return 0;
}

static enum iscsi_chap_result chap_fail(struct iscsi_chap *c,
					struct iscsi_chap_out *out,
					enum iscsi_chap_status st,
					enum iscsi_chap_status *status,
					bool keep_out)
{
	c->state = ISCSI_CHAP_FAILED;
	c->status = st;
	if (!keep_out)
		out_reset(out);
	if (status)
		*status = st;
	return ISCSI_CHAP_FAILURE;
}

static bool alg_allowed(const struct iscsi_chap_config *cfg, uint64_t alg)
{
	for (size_t i = 0; i < cfg->n_algs && i < ISCSI_CHAP_N_ALGS; i++)
		if (cfg->algs[i] == alg)
			return true;
	return false;
}

/* AWAIT_A: pick the algorithm, send CHAP_A, CHAP_I and CHAP_C. */
static enum iscsi_chap_result step_a(struct iscsi_chap *c, const char **v,
				     struct iscsi_chap_out *out,
				     enum iscsi_chap_status *status)
{
	char hex[2 * ISCSI_CHAP_DIGEST_MAX + 3], num[8], tok[24];
	const char *p = v[K_A];
	int alg = 0;

	if (v[K_I] || v[K_C] || v[K_N] || v[K_R]) {
		scst_log(SCST_LOG_WARN,
			 CHAP_LOG "CHAP_N/R/I/C before the algorithm");
		return chap_fail(c, out, ISCSI_CHAP_STATUS_INITIATOR_ERROR,
				 status, false);
	}
	if (!p) {
		scst_log(SCST_LOG_WARN, CHAP_LOG "no CHAP_A");
		return chap_fail(c, out, ISCSI_CHAP_STATUS_MISSING_PARAM,
				 status, false);
	}
	/* The first of the initiator's values that we allow (6.2.1). */
	while (!alg) {
		const char *end = strchr(p, ',');
		size_t len = end ? (size_t)(end - p) : strlen(p);
		uint64_t val;

		/* Values we cannot parse are values we do not know. */
		if (len < sizeof(tok)) {
			memcpy(tok, p, len);
			tok[len] = '\0';
			if (!parse_number(tok, 255, &val) &&
			    alg_allowed(c->cfg, val))
				alg = (int)val;
		}
		if (!end)
			break;
		p = end + 1;
	}
	if (!alg) {
		scst_log(SCST_LOG_WARN,
			 CHAP_LOG "none of the initiator's CHAP_A values is "
				  "allowed");
		out_reset(out);
		out_add(out, "CHAP_A", "Reject");
		return chap_fail(c, out, ISCSI_CHAP_STATUS_AUTH_FAILED, status,
				 true);
	}

	c->alg = alg;
	c->digest_len = iscsi_chap_alg_digest_len(alg);
	c->challenge_len = c->digest_len < ISCSI_CHAP_CHALLENGE_MIN
			       ? ISCSI_CHAP_CHALLENGE_MIN
			       : c->digest_len;
	if (RAND_bytes(&c->id, 1) != 1 ||
	    RAND_bytes(c->challenge, (int)c->challenge_len) != 1) {
		scst_log(SCST_LOG_ERR, CHAP_LOG "RAND_bytes failed");
		return chap_fail(c, out, ISCSI_CHAP_STATUS_TARGET_ERROR, status,
				 false);
	}
	snprintf(num, sizeof(num), "%d", alg);
	if (out_add(out, "CHAP_A", num))
		goto nospace;
	snprintf(num, sizeof(num), "%u", (unsigned int)c->id);
	if (out_add(out, "CHAP_I", num))
		goto nospace;
	if (iscsi_chap_encode_hex(c->challenge, c->challenge_len, hex,
				  sizeof(hex)) ||
	    out_add(out, "CHAP_C", hex))
		goto nospace;
	OPENSSL_cleanse(hex, sizeof(hex));
	scst_log(SCST_LOG_DEBUG, CHAP_LOG "algorithm %s",
		 iscsi_chap_alg_name(alg));
	c->state = ISCSI_CHAP_AWAIT_NR;
	if (status)
		*status = ISCSI_CHAP_STATUS_OK;
	return ISCSI_CHAP_CONTINUE;

nospace:
	OPENSSL_cleanse(hex, sizeof(hex));
	scst_log(SCST_LOG_ERR, CHAP_LOG "output buffer too small");
	return chap_fail(c, out, ISCSI_CHAP_STATUS_TARGET_ERROR, status, false);
}

/* Does @r answer our challenge for one of the accounts named @name? */
static int check_response(struct iscsi_chap *c, const char *name,
			  const uint8_t *r)
{
	uint8_t md[ISCSI_CHAP_DIGEST_MAX];
	const struct iscsi_chap_config *cfg = c->cfg;
	int ret = -EACCES;

	for (size_t i = 0; i < cfg->n_incoming && i < ISCSI_CHAP_MAX_ACCOUNTS;
	     i++) {
		const struct iscsi_chap_account *a = &cfg->incoming[i];

		if (a->secret_len > ISCSI_CHAP_SECRET_MAX ||
		    strcmp(a->name, name))
			continue;
		if (iscsi_chap_digest(c->alg, c->id, a->secret, a->secret_len,
				      c->challenge, c->challenge_len,
				      md) != (int)c->digest_len) {
			ret = -EIO;
			break;
		}
		if (!CRYPTO_memcmp(md, r, c->digest_len) && !c->user)
			c->user = a;
	}
	if (c->user)
		ret = 0;
	/*
	 * RFC 7143 9.2.1: a response equal to the one we would give to our
	 * own challenge means one secret serves both directions.
	 */
	if (!ret && cfg->has_outgoing) {
		if (iscsi_chap_digest(c->alg, c->id, cfg->outgoing.secret,
				      cfg->outgoing.secret_len, c->challenge,
				      c->challenge_len,
				      md) != (int)c->digest_len)
			ret = -EIO;
		else if (!CRYPTO_memcmp(md, r, c->digest_len))
			ret = -EPERM;
	}
	OPENSSL_cleanse(md, sizeof(md));
	if (ret)
		c->user = NULL;
	return ret;
}

/* AWAIT_NR: check CHAP_N/CHAP_R, answer CHAP_I/CHAP_C if sent. */
static enum iscsi_chap_result step_nr(struct iscsi_chap *c, const char **v,
				      struct iscsi_chap_out *out,
				      enum iscsi_chap_status *status)
{
	uint8_t r[ISCSI_CHAP_DIGEST_MAX], md[ISCSI_CHAP_DIGEST_MAX];
	uint8_t ichal[ISCSI_CHAP_BINARY_MAX];
	char hex[2 * ISCSI_CHAP_DIGEST_MAX + 3], lname[72];
	const struct iscsi_chap_config *cfg = c->cfg;
	const char *alg_name = iscsi_chap_alg_name(c->alg);
	enum iscsi_chap_status st;
	ssize_t rlen, clen = 0;
	uint64_t iid = 0;
	bool mutual;
	int ret;

	if (v[K_A]) {
		scst_log(SCST_LOG_WARN, CHAP_LOG "CHAP_A sent twice");
		return chap_fail(c, out, ISCSI_CHAP_STATUS_INITIATOR_ERROR,
				 status, false);
	}
	if (!v[K_N] || !v[K_R] || !v[K_I] != !v[K_C]) {
		scst_log(SCST_LOG_WARN,
			 CHAP_LOG "expected CHAP_N and CHAP_R, and CHAP_I "
				  "with CHAP_C");
		return chap_fail(c, out, ISCSI_CHAP_STATUS_MISSING_PARAM,
				 status, false);
	}
	mutual = v[K_I] != NULL;
	if (strnlen(v[K_N], ISCSI_CHAP_NAME_MAX + 1) > ISCSI_CHAP_NAME_MAX) {
		scst_log(SCST_LOG_WARN, CHAP_LOG "CHAP_N too long");
		return chap_fail(c, out, ISCSI_CHAP_STATUS_AUTH_FAILED, status,
				 false);
	}
	log_name(v[K_N], lname, sizeof(lname));

	/* Measured, then decoded: never more than the digest size. */
	rlen = iscsi_chap_decode_binary(v[K_R], r, c->digest_len);
	if (rlen == -EINVAL) {
		scst_log(SCST_LOG_WARN,
			 CHAP_LOG "user \"%s\": malformed CHAP_R", lname);
		return chap_fail(c, out, ISCSI_CHAP_STATUS_INITIATOR_ERROR,
				 status, false);
	}
	if (rlen != (ssize_t)c->digest_len) {
		scst_log(SCST_LOG_WARN,
			 CHAP_LOG "user \"%s\": CHAP_R is not a %s digest",
			 lname, alg_name);
		st = ISCSI_CHAP_STATUS_AUTH_FAILED;
		goto fail;
	}
	if (mutual) {
		if (parse_number(v[K_I], 255, &iid)) {
			scst_log(SCST_LOG_WARN,
				 CHAP_LOG "user \"%s\": bad CHAP_I", lname);
			st = ISCSI_CHAP_STATUS_INITIATOR_ERROR;
			goto fail;
		}
		clen = iscsi_chap_decode_binary(v[K_C], ichal, sizeof(ichal));
		if (clen < 0) {
			scst_log(SCST_LOG_WARN,
				 CHAP_LOG "user \"%s\": malformed or overlong "
					  "CHAP_C",
				 lname);
			st = ISCSI_CHAP_STATUS_INITIATOR_ERROR;
			goto fail;
		}
	}

	ret = check_response(c, v[K_N], r);
	if (ret) {
		if (ret == -EPERM)
			scst_log(SCST_LOG_WARN,
				 CHAP_LOG "user \"%s\": CHAP_R made with the "
					  "target's own secret; refused",
				 lname);
		else
			scst_log(SCST_LOG_WARN,
				 CHAP_LOG "user \"%s\": %s authentication "
					  "failed",
				 lname, alg_name);
		st = ret == -EIO ? ISCSI_CHAP_STATUS_TARGET_ERROR
				 : ISCSI_CHAP_STATUS_AUTH_FAILED;
		goto fail;
	}

	if (mutual) {
		if (!cfg->has_outgoing) {
			scst_log(SCST_LOG_WARN,
				 CHAP_LOG "user \"%s\" asks for mutual CHAP "
					  "but no OutgoingUser is configured",
				 lname);
			st = ISCSI_CHAP_STATUS_AUTH_FAILED;
			goto fail;
		}
		/* RFC 7143 9.2.1: our own challenge reflected back. */
		if ((size_t)clen == c->challenge_len &&
		    !memcmp(ichal, c->challenge, c->challenge_len)) {
			scst_log(SCST_LOG_WARN,
				 CHAP_LOG "user \"%s\": CHAP_C repeats the "
					  "target's challenge; refused",
				 lname);
			st = ISCSI_CHAP_STATUS_AUTH_FAILED;
			goto fail;
		}
		if (iscsi_chap_digest(c->alg, (uint8_t)iid,
				      cfg->outgoing.secret,
				      cfg->outgoing.secret_len, ichal,
				      (size_t)clen, md) != (int)c->digest_len ||
		    iscsi_chap_encode_hex(md, c->digest_len, hex,
					  sizeof(hex))) {
			st = ISCSI_CHAP_STATUS_TARGET_ERROR;
			goto fail;
		}
		if (out_add(out, "CHAP_N", cfg->outgoing.name) ||
		    out_add(out, "CHAP_R", hex)) {
			scst_log(SCST_LOG_ERR,
				 CHAP_LOG "output buffer too small");
			st = ISCSI_CHAP_STATUS_TARGET_ERROR;
			goto fail;
		}
		c->mutual = true;
	}

	scst_log(SCST_LOG_INFO, CHAP_LOG "user \"%s\" authenticated with %s%s",
		 lname, alg_name,
		 c->mutual ? ", target authenticated too" : "");
	OPENSSL_cleanse(r, sizeof(r));
	OPENSSL_cleanse(md, sizeof(md));
	OPENSSL_cleanse(hex, sizeof(hex));
	OPENSSL_cleanse(c->challenge, sizeof(c->challenge));
	c->state = ISCSI_CHAP_DONE;
	if (status)
		*status = ISCSI_CHAP_STATUS_OK;
	return ISCSI_CHAP_SUCCESS;

fail:
	c->user = NULL;
	OPENSSL_cleanse(r, sizeof(r));
	OPENSSL_cleanse(md, sizeof(md));
	OPENSSL_cleanse(hex, sizeof(hex));
	return chap_fail(c, out, st, status, false);
}

enum iscsi_chap_result iscsi_chap_step(struct iscsi_chap *c,
				       const struct iscsi_chap_kv *in,
				       size_t n_in, struct iscsi_chap_out *out,
				       enum iscsi_chap_status *status)
{
	const char *v[K_COUNT];

	out_reset(out);
	if (c->state == ISCSI_CHAP_FAILED) {
		if (status)
			*status = c->status;
		return ISCSI_CHAP_FAILURE;
	}
	if (!c->cfg || (n_in && !in) || c->state > ISCSI_CHAP_FAILED)
		return chap_fail(c, out, ISCSI_CHAP_STATUS_TARGET_ERROR, status,
				 false);
	if (collect_keys(in, n_in, v))
		return chap_fail(c, out, ISCSI_CHAP_STATUS_INITIATOR_ERROR,
				 status, false);

	switch (c->state) {
	case ISCSI_CHAP_AWAIT_A:
		return step_a(c, v, out, status);
	case ISCSI_CHAP_AWAIT_NR:
		return step_nr(c, v, out, status);
	case ISCSI_CHAP_DONE:
	case ISCSI_CHAP_FAILED:
		break;
	}
	/* Once done, a request without CHAP keys changes nothing... */
	if (!v[K_A] && !v[K_I] && !v[K_C] && !v[K_N] && !v[K_R]) {
		if (status)
			*status = ISCSI_CHAP_STATUS_OK;
		return ISCSI_CHAP_SUCCESS;
	}
	/* ...and CHAP keys are a protocol error. */
	scst_log(SCST_LOG_WARN, CHAP_LOG "CHAP keys after the exchange ended");
	return chap_fail(c, out, ISCSI_CHAP_STATUS_INITIATOR_ERROR, status,
			 false);
}
