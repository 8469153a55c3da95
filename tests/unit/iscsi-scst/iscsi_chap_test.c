// SPDX-License-Identifier: GPL-2.0-only
/*
 * Unit tests of CHAP for the iSCSI login (iscsi-scst/usr/iscsi_chap.c):
 * known answers per algorithm (fixed vectors and a cross-check against
 * OpenSSL's one-shot EVP_Q_digest), the exchange one-way and mutual, the
 * failures (secret, user, algorithm, reflection, malformed and overlong
 * values, out-of-order keys), the configuration rules, and that no secret
 * or response reaches the log.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <openssl/evp.h>
#include <openssl/rand.h>

#include <kunit/test.h>

#include "scst/os.h"

#include "iscsi-scst/usr/iscsi_chap.h"

#define IN_USER	   "iqn.2024-01.org.example:init"
#define IN_SECRET  "incoming-secret-1"
#define IN_USER2   "iqn.2024-01.org.example:other"
#define IN_SECRET2 "second-incoming-secret"
#define OUT_USER   "iqn.2024-01.org.example:target"
#define OUT_SECRET "outgoing-secret-2"

static const int all_algs[] = {ISCSI_CHAP_ALG_MD5, ISCSI_CHAP_ALG_SHA1,
			       ISCSI_CHAP_ALG_SHA256, ISCSI_CHAP_ALG_SHA3_256};

/* ------------------------------------------------------ log capture ---- */

static struct {
	struct scst_mutex lock;
	char text[64 * 1024];
	size_t len;
} cap;
static enum scst_log_level saved_level;

static void capture_sink(enum scst_log_level lvl, const char *line)
{
	size_t n = strlen(line);

	(void)lvl;
	scst_mutex_lock(&cap.lock);
	if (n + 2 <= sizeof(cap.text) - cap.len) {
		memcpy(cap.text + cap.len, line, n);
		cap.len += n;
		cap.text[cap.len++] = '\n';
		cap.text[cap.len] = '\0';
	}
	scst_mutex_unlock(&cap.lock);
}

static int chap_test_init(struct kunit *test)
{
	(void)test;
	scst_mutex_init(&cap.lock);
	cap.len = 0;
	cap.text[0] = '\0';
	saved_level = scst_log_get_level();
	scst_log_set_level(SCST_LOG_DEBUG);
	scst_log_set_sink(capture_sink);
	return 0;
}

static void chap_test_exit(struct kunit *test)
{
	(void)test;
	scst_log_set_sink(NULL);
	scst_log_set_level(saved_level);
	scst_mutex_destroy(&cap.lock);
}

/* ---------------------------------------------------------- helpers ---- */

static const char *evp_name(int alg)
{
	switch (alg) {
	case ISCSI_CHAP_ALG_MD5:
		return "MD5";
	case ISCSI_CHAP_ALG_SHA1:
		return "SHA1";
	case ISCSI_CHAP_ALG_SHA256:
		return "SHA256";
	case ISCSI_CHAP_ALG_SHA3_256:
		return "SHA3-256";
	}
	return "?";
}

/* H(id || secret || chal) with OpenSSL's one-shot, independent of ours. */
static size_t ref_digest(int alg, uint8_t id, const char *secret,
			 const uint8_t *chal, size_t chal_len, uint8_t *md)
{
	uint8_t msg[1 + 256 + ISCSI_CHAP_BINARY_MAX];
	size_t sl = strlen(secret), len = 0;

	msg[0] = id;
	memcpy(msg + 1, secret, sl);
	memcpy(msg + 1 + sl, chal, chal_len);
	if (!EVP_Q_digest(NULL, evp_name(alg), NULL, msg, 1 + sl + chal_len, md,
			  &len))
		return 0;
	return len;
}

static void to_hex(const uint8_t *b, size_t n, char *s)
{
	s += sprintf(s, "0x");
	for (size_t i = 0; i < n; i++)
		s += sprintf(s, "%02x", b[i]);
}

static const char *out_get(const struct iscsi_chap_out *o, const char *key)
{
	for (size_t i = 0; i < o->n; i++)
		if (!strcmp(o->kv[i].key, key))
			return o->kv[i].value;
	return NULL;
}

static void std_config(struct kunit *test, struct iscsi_chap_config *cfg,
		       bool outgoing)
{
	iscsi_chap_config_init(cfg);
	KUNIT_ASSERT_EQ(
	    test,
	    iscsi_chap_config_add_incoming(cfg, IN_USER, IN_SECRET, NULL, 0),
	    0);
	if (outgoing)
		KUNIT_ASSERT_EQ(test,
				iscsi_chap_config_set_outgoing(
				    cfg, OUT_USER, OUT_SECRET, NULL, 0),
				0);
}

/* What the target sent in answer to CHAP_A. */
struct chal {
	int alg;
	uint8_t id;
	uint8_t c[ISCSI_CHAP_BINARY_MAX];
	size_t len;
};

static char outbuf[ISCSI_CHAP_OUT_BUF_MIN];

/* Sends CHAP_A=@algs; expects the target to continue with A, I and C. */
static void send_a(struct kunit *test, struct iscsi_chap *c,
		   struct iscsi_chap_out *out, const char *algs,
		   struct chal *ch)
{
	struct iscsi_chap_kv in[] = {{"CHAP_A", algs}};
	enum iscsi_chap_status st = 0x1234;
	const char *a, *i, *cv;
	ssize_t n;

	iscsi_chap_out_init(out, outbuf, sizeof(outbuf));
	KUNIT_ASSERT_EQ(test, iscsi_chap_step(c, in, 1, out, &st),
			ISCSI_CHAP_CONTINUE);
	KUNIT_ASSERT_EQ(test, st, ISCSI_CHAP_STATUS_OK);
	KUNIT_ASSERT_EQ(test, c->state, ISCSI_CHAP_AWAIT_NR);
	KUNIT_ASSERT_EQ(test, out->n, 3);
	a = out_get(out, "CHAP_A");
	i = out_get(out, "CHAP_I");
	cv = out_get(out, "CHAP_C");
	KUNIT_ASSERT_NOT_NULL(test, a);
	KUNIT_ASSERT_NOT_NULL(test, i);
	KUNIT_ASSERT_NOT_NULL(test, cv);
	ch->alg = atoi(a);
	KUNIT_ASSERT_LE(test, strtoul(i, NULL, 10), 255);
	ch->id = (uint8_t)strtoul(i, NULL, 10);
	KUNIT_ASSERT_EQ(test, strncmp(cv, "0x", 2), 0);
	n = iscsi_chap_decode_binary(cv, ch->c, sizeof(ch->c));
	KUNIT_ASSERT_GT(test, n, 0);
	ch->len = (size_t)n;
	/* At least 16 bytes, at least the digest size. */
	KUNIT_EXPECT_GE(test, ch->len, 16);
	KUNIT_EXPECT_GE(test, ch->len, iscsi_chap_alg_digest_len(ch->alg));
}

static enum iscsi_chap_result send_nr(struct iscsi_chap *c,
				      struct iscsi_chap_out *out,
				      const char *name, const char *r,
				      const char *i, const char *cv,
				      enum iscsi_chap_status *st)
{
	struct iscsi_chap_kv in[4] = {{"CHAP_N", name}, {"CHAP_R", r}};
	size_t n = 2;

	if (i)
		in[n++] = (struct iscsi_chap_kv){"CHAP_I", i};
	if (cv)
		in[n++] = (struct iscsi_chap_kv){"CHAP_C", cv};
	iscsi_chap_out_init(out, outbuf, sizeof(outbuf));
	return iscsi_chap_step(c, in, n, out, st);
}

/* The initiator's correct answer to @ch with @secret, in hex. */
static void answer(struct kunit *test, const struct chal *ch,
		   const char *secret, char *hex)
{
	uint8_t md[64];
	size_t len = ref_digest(ch->alg, ch->id, secret, ch->c, ch->len, md);

	KUNIT_ASSERT_EQ(test, len, iscsi_chap_alg_digest_len(ch->alg));
	to_hex(md, len, hex);
}

static void expect_failed(struct kunit *test, struct iscsi_chap *c,
			  enum iscsi_chap_result res,
			  const enum iscsi_chap_status *st,
			  enum iscsi_chap_status want,
			  const struct iscsi_chap_out *out)
{
	/* @st by address: read after the call that is @res. */
	KUNIT_EXPECT_EQ(test, res, ISCSI_CHAP_FAILURE);
	KUNIT_EXPECT_EQ(test, *st, want);
	KUNIT_EXPECT_EQ(test, c->state, ISCSI_CHAP_FAILED);
	KUNIT_EXPECT_EQ(test, out->n, 0);
	KUNIT_EXPECT_NULL(test, iscsi_chap_user(c));
}

/* ---------------------------------------------------- known answers ---- */

static void chap_digest_vectors(struct kunit *test)
{
	static const uint8_t chal[16] = {0, 1, 2,  3,  4,  5,  6,  7,
					 8, 9, 10, 11, 12, 13, 14, 15};
	static const uint8_t md5[16] = {0xfd, 0x5e, 0x99, 0x84, 0xb3, 0xc2,
					0xc7, 0x82, 0x5d, 0x13, 0xd5, 0x16,
					0x3c, 0x45, 0x18, 0xcc};
	static const uint8_t sha1[20] = {
	    0xa5, 0xb3, 0xeb, 0x4c, 0x42, 0xf5, 0xaf, 0xcc, 0x5f, 0x20,
	    0xfb, 0xaf, 0x0d, 0xce, 0xba, 0x5e, 0xdc, 0xc3, 0x5a, 0x2d};
	static const uint8_t sha256[32] = {
	    0xa5, 0x45, 0xa6, 0x45, 0x8e, 0x5e, 0x3f, 0x4d, 0xfa, 0xab, 0x93,
	    0xc6, 0xae, 0xcf, 0xe0, 0x2e, 0x50, 0xfa, 0x13, 0x44, 0xe3, 0x08,
	    0x54, 0x38, 0xed, 0xd5, 0xe1, 0x7c, 0x54, 0xda, 0xaf, 0xc0};
	static const uint8_t sha3[32] = {
	    0x07, 0x13, 0x5b, 0xb1, 0x6f, 0x5c, 0x83, 0xb9, 0xbf, 0xb5, 0xe0,
	    0x4e, 0x6b, 0xbc, 0x1a, 0x10, 0xb9, 0x70, 0x3a, 0x1e, 0xe0, 0x4e,
	    0x01, 0xab, 0xe9, 0xed, 0x07, 0x5e, 0xb6, 0x34, 0xe3, 0xb6};
	const uint8_t *secret = (const uint8_t *)IN_SECRET;
	uint8_t md[ISCSI_CHAP_DIGEST_MAX];

	/* H(0x2a || "incoming-secret-1" || 00 01 .. 0f) */
	KUNIT_ASSERT_EQ(test,
			iscsi_chap_digest(ISCSI_CHAP_ALG_MD5, 0x2a, secret, 17,
					  chal, 16, md),
			16);
	KUNIT_EXPECT_MEMEQ(test, md, md5, 16);
	KUNIT_ASSERT_EQ(test,
			iscsi_chap_digest(ISCSI_CHAP_ALG_SHA1, 0x2a, secret, 17,
					  chal, 16, md),
			20);
	KUNIT_EXPECT_MEMEQ(test, md, sha1, 20);
	KUNIT_ASSERT_EQ(test,
			iscsi_chap_digest(ISCSI_CHAP_ALG_SHA256, 0x2a, secret,
					  17, chal, 16, md),
			32);
	KUNIT_EXPECT_MEMEQ(test, md, sha256, 32);
	KUNIT_ASSERT_EQ(test,
			iscsi_chap_digest(ISCSI_CHAP_ALG_SHA3_256, 0x2a, secret,
					  17, chal, 16, md),
			32);
	KUNIT_EXPECT_MEMEQ(test, md, sha3, 32);

	KUNIT_EXPECT_EQ(test,
			iscsi_chap_digest(4, 0x2a, secret, 17, chal, 16, md),
			-EINVAL);
	KUNIT_EXPECT_STREQ(test, iscsi_chap_alg_name(5), "MD5");
	KUNIT_EXPECT_STREQ(test, iscsi_chap_alg_name(6), "SHA1");
	KUNIT_EXPECT_STREQ(test, iscsi_chap_alg_name(7), "SHA-256");
	KUNIT_EXPECT_STREQ(test, iscsi_chap_alg_name(8), "SHA3-256");
	KUNIT_EXPECT_NULL(test, iscsi_chap_alg_name(9));
}

static void chap_digest_cross_check(struct kunit *test)
{
	uint8_t chal[ISCSI_CHAP_BINARY_MAX], md[64], ref[64];
	char secret[40];

	for (int round = 0; round < 50; round++) {
		size_t clen = 1 + (size_t)round * 20;
		uint8_t id;

		KUNIT_ASSERT_EQ(test, RAND_bytes(chal, (int)clen), 1);
		KUNIT_ASSERT_EQ(test, RAND_bytes(&id, 1), 1);
		snprintf(secret, sizeof(secret), "secret-%d-abcdefgh", round);
		for (size_t a = 0; a < 4; a++) {
			int alg = all_algs[a];
			size_t len =
			    ref_digest(alg, id, secret, chal, clen, ref);

			KUNIT_ASSERT_EQ(
			    test,
			    iscsi_chap_digest(alg, id, (const uint8_t *)secret,
					      strlen(secret), chal, clen, md),
			    (int)len);
			KUNIT_ASSERT_MEMEQ(test, md, ref, len);
		}
	}
}

/* ---------------------------------------------------------- encodings ---- */

static void chap_decode_binary(struct kunit *test)
{
	static const uint8_t seq[16] = {0, 1, 2,  3,  4,  5,  6,  7,
					8, 9, 10, 11, 12, 13, 14, 15};
	uint8_t buf[32];
	char s[80];

	KUNIT_EXPECT_EQ(test, iscsi_chap_decode_binary("0x00ff10", buf, 32), 3);
	KUNIT_EXPECT_EQ(test, buf[0], 0x00);
	KUNIT_EXPECT_EQ(test, buf[1], 0xff);
	KUNIT_EXPECT_EQ(test, buf[2], 0x10);
	KUNIT_EXPECT_EQ(test, iscsi_chap_decode_binary("0XAbCd", buf, 32), 2);
	KUNIT_EXPECT_EQ(test, buf[0], 0xab);
	KUNIT_EXPECT_EQ(test, buf[1], 0xcd);
	/* RFC 7143 6.1: an odd count of digits has an implied leading 0. */
	KUNIT_EXPECT_EQ(test, iscsi_chap_decode_binary("0xabc", buf, 32), 2);
	KUNIT_EXPECT_EQ(test, buf[0], 0x0a);
	KUNIT_EXPECT_EQ(test, buf[1], 0xbc);
	KUNIT_EXPECT_EQ(test, iscsi_chap_decode_binary("0x1", buf, 32), 1);
	KUNIT_EXPECT_EQ(test, buf[0], 0x01);

	/* Malformed. */
	KUNIT_EXPECT_EQ(test, iscsi_chap_decode_binary("0x", buf, 32), -EINVAL);
	KUNIT_EXPECT_EQ(test, iscsi_chap_decode_binary("0xzz", buf, 32),
			-EINVAL);
	KUNIT_EXPECT_EQ(test, iscsi_chap_decode_binary("0x12 4", buf, 32),
			-EINVAL);
	KUNIT_EXPECT_EQ(test, iscsi_chap_decode_binary("0x12g", buf, 32),
			-EINVAL);
	KUNIT_EXPECT_EQ(test, iscsi_chap_decode_binary("1234", buf, 32),
			-EINVAL);
	KUNIT_EXPECT_EQ(test, iscsi_chap_decode_binary("", buf, 32), -EINVAL);
	KUNIT_EXPECT_EQ(test, iscsi_chap_decode_binary("0", buf, 32), -EINVAL);
	KUNIT_EXPECT_EQ(test, iscsi_chap_decode_binary("0y12", buf, 32),
			-EINVAL);
	KUNIT_EXPECT_EQ(test, iscsi_chap_decode_binary(NULL, buf, 32), -EINVAL);

	/* Base64. */
	KUNIT_EXPECT_EQ(
	    test,
	    iscsi_chap_decode_binary("0bAAECAwQFBgcICQoLDA0ODw==", buf, 32),
	    16);
	KUNIT_EXPECT_MEMEQ(test, buf, seq, 16);
	KUNIT_EXPECT_EQ(test, iscsi_chap_decode_binary("0BAAEC", buf, 32), 3);
	KUNIT_EXPECT_MEMEQ(test, buf, seq, 3);
	KUNIT_EXPECT_EQ(test, iscsi_chap_decode_binary("0bAAE=", buf, 32), 2);
	KUNIT_EXPECT_MEMEQ(test, buf, seq, 2);
	KUNIT_EXPECT_EQ(test, iscsi_chap_decode_binary("0b+/+/", buf, 32), 3);
	KUNIT_EXPECT_EQ(test, buf[0], 0xfb);
	KUNIT_EXPECT_EQ(test, buf[1], 0xff);
	KUNIT_EXPECT_EQ(test, buf[2], 0xbf);
	KUNIT_EXPECT_EQ(test, iscsi_chap_decode_binary("0b", buf, 32), -EINVAL);
	KUNIT_EXPECT_EQ(test, iscsi_chap_decode_binary("0bAAE", buf, 32),
			-EINVAL);
	KUNIT_EXPECT_EQ(test, iscsi_chap_decode_binary("0bA===", buf, 32),
			-EINVAL);
	KUNIT_EXPECT_EQ(test, iscsi_chap_decode_binary("0b====", buf, 32),
			-EINVAL);
	KUNIT_EXPECT_EQ(test, iscsi_chap_decode_binary("0bAA=A", buf, 32),
			-EINVAL);
	KUNIT_EXPECT_EQ(test, iscsi_chap_decode_binary("0bAA==AAAA", buf, 32),
			-EINVAL);
	KUNIT_EXPECT_EQ(test, iscsi_chap_decode_binary("0bAA*A", buf, 32),
			-EINVAL);
	/* Non-canonical: bits below the last byte must be zero. */
	KUNIT_EXPECT_EQ(test, iscsi_chap_decode_binary("0bAB==", buf, 32),
			-EINVAL);
	KUNIT_EXPECT_EQ(test, iscsi_chap_decode_binary("0bAAF=", buf, 32),
			-EINVAL);

	/* Exactly the capacity, one more: refused before any write. */
	memset(buf, 0xa5, sizeof(buf));
	KUNIT_EXPECT_EQ(test, iscsi_chap_decode_binary("0x0102", buf, 2), 2);
	KUNIT_EXPECT_EQ(test, buf[2], 0xa5);
	memset(buf, 0xa5, sizeof(buf));
	KUNIT_EXPECT_EQ(test, iscsi_chap_decode_binary("0x010203", buf, 2),
			-EMSGSIZE);
	KUNIT_EXPECT_EQ(test, buf[0], 0xa5);
	KUNIT_EXPECT_EQ(test, iscsi_chap_decode_binary("0x10203", buf, 2),
			-EMSGSIZE);
	KUNIT_EXPECT_EQ(test, iscsi_chap_decode_binary("0bAAECAw==", buf, 3),
			-EMSGSIZE);
	KUNIT_EXPECT_EQ(test, buf[0], 0xa5);
	KUNIT_EXPECT_EQ(test, iscsi_chap_decode_binary("0bAAECAw==", buf, 4),
			4);

	/* Encoding. */
	KUNIT_EXPECT_EQ(test, iscsi_chap_encode_hex(seq, 3, s, sizeof(s)), 0);
	KUNIT_EXPECT_STREQ(test, s, "0x000102");
	KUNIT_EXPECT_EQ(test, iscsi_chap_encode_hex(seq, 3, s, 9), 0);
	KUNIT_EXPECT_EQ(test, iscsi_chap_encode_hex(seq, 3, s, 8), -ENOSPC);
	KUNIT_EXPECT_EQ(test, iscsi_chap_encode_hex(seq, 0, s, 2), -ENOSPC);
}

/* -------------------------------------------------------- the exchange ---- */

static void chap_one_way_success(struct kunit *test)
{
	struct iscsi_chap_config cfg;
	struct iscsi_chap_out out;
	struct iscsi_chap c;
	struct chal ch;
	char r[80], a[4];

	std_config(test, &cfg, false);
	for (size_t k = 0; k < 4; k++) {
		enum iscsi_chap_status st = 0x1234;

		snprintf(a, sizeof(a), "%d", all_algs[k]);
		iscsi_chap_init(&c, &cfg);
		KUNIT_EXPECT_EQ(test, c.state, ISCSI_CHAP_AWAIT_A);
		send_a(test, &c, &out, a, &ch);
		KUNIT_EXPECT_EQ(test, ch.alg, all_algs[k]);
		answer(test, &ch, IN_SECRET, r);
		KUNIT_EXPECT_EQ(test,
				send_nr(&c, &out, IN_USER, r, NULL, NULL, &st),
				ISCSI_CHAP_SUCCESS);
		KUNIT_EXPECT_EQ(test, st, ISCSI_CHAP_STATUS_OK);
		KUNIT_EXPECT_EQ(test, c.state, ISCSI_CHAP_DONE);
		KUNIT_EXPECT_EQ(test, out.n, 0);
		KUNIT_EXPECT_STREQ(test, iscsi_chap_user(&c), IN_USER);
		KUNIT_EXPECT_FALSE(test, c.mutual);
		iscsi_chap_destroy(&c);
	}
	iscsi_chap_config_wipe(&cfg);
}

static void chap_mutual_success(struct kunit *test)
{
	struct iscsi_chap_config cfg;
	struct iscsi_chap_out out;
	struct iscsi_chap c;
	struct chal ch, mine;
	char r[80], a[4], ichal[80];
	uint8_t md[64];

	std_config(test, &cfg, true);
	for (size_t k = 0; k < 4; k++) {
		enum iscsi_chap_status st = 0x1234;
		const char *tr;

		snprintf(a, sizeof(a), "%d", all_algs[k]);
		iscsi_chap_init(&c, &cfg);
		send_a(test, &c, &out, a, &ch);
		answer(test, &ch, IN_SECRET, r);
		mine.alg = ch.alg;
		mine.id = 7;
		mine.len = 24;
		KUNIT_ASSERT_EQ(test, RAND_bytes(mine.c, 24), 1);
		to_hex(mine.c, 24, ichal);
		KUNIT_ASSERT_EQ(test,
				send_nr(&c, &out, IN_USER, r, "7", ichal, &st),
				ISCSI_CHAP_SUCCESS);
		KUNIT_EXPECT_EQ(test, st, ISCSI_CHAP_STATUS_OK);
		KUNIT_EXPECT_TRUE(test, c.mutual);
		KUNIT_ASSERT_EQ(test, out.n, 2);
		KUNIT_EXPECT_STREQ(test, out_get(&out, "CHAP_N"), OUT_USER);
		tr = out_get(&out, "CHAP_R");
		KUNIT_ASSERT_NOT_NULL(test, tr);
		answer(test, &mine, OUT_SECRET, r);
		KUNIT_EXPECT_STREQ(test, tr, r);
		/* The same answer read back as bytes. */
		KUNIT_EXPECT_EQ(test,
				iscsi_chap_decode_binary(tr, md, sizeof(md)),
				(ssize_t)iscsi_chap_alg_digest_len(ch.alg));
		iscsi_chap_destroy(&c);
	}
	iscsi_chap_config_wipe(&cfg);
}

static void chap_base64_values(struct kunit *test)
{
	struct iscsi_chap_config cfg;
	struct iscsi_chap_out out;
	struct iscsi_chap c;
	struct chal ch;
	enum iscsi_chap_status st;
	uint8_t md[64];
	unsigned char r64[64], c64[64];
	char expect[80];
	size_t len;

	std_config(test, &cfg, true);
	iscsi_chap_init(&c, &cfg);
	send_a(test, &c, &out, "7", &ch);
	len = ref_digest(ch.alg, ch.id, IN_SECRET, ch.c, ch.len, md);
	memcpy(r64, "0b", 2);
	EVP_EncodeBlock(r64 + 2, md, (int)len);
	/* The initiator's challenge in base64 too: 18 bytes, no padding. */
	{
		uint8_t ic[18];

		for (size_t i = 0; i < sizeof(ic); i++)
			ic[i] = (uint8_t)(0xf0 ^ i);
		memcpy(c64, "0B", 2);
		EVP_EncodeBlock(c64 + 2, ic, sizeof(ic));
		KUNIT_ASSERT_EQ(test,
				send_nr(&c, &out, IN_USER, (const char *)r64,
					"0x10", (const char *)c64, &st),
				ISCSI_CHAP_SUCCESS);
		len = ref_digest(ch.alg, 0x10, OUT_SECRET, ic, sizeof(ic), md);
		to_hex(md, len, expect);
		KUNIT_EXPECT_STREQ(test, out_get(&out, "CHAP_R"), expect);
	}
	iscsi_chap_destroy(&c);
	iscsi_chap_config_wipe(&cfg);
}

static void chap_alg_negotiation(struct kunit *test)
{
	struct iscsi_chap_config cfg;
	struct iscsi_chap_out out;
	struct iscsi_chap c;
	struct chal ch;
	struct iscsi_chap_kv in[1] = {{"CHAP_A", NULL}};
	enum iscsi_chap_status st;

	std_config(test, &cfg, false);
	/* The initiator's order decides among what the target allows. */
	iscsi_chap_init(&c, &cfg);
	send_a(test, &c, &out, "7,5", &ch);
	KUNIT_EXPECT_EQ(test, ch.alg, 7);
	KUNIT_EXPECT_EQ(test, ch.len, 32);
	iscsi_chap_init(&c, &cfg);
	send_a(test, &c, &out, "5,8", &ch);
	KUNIT_EXPECT_EQ(test, ch.alg, 5);
	KUNIT_EXPECT_EQ(test, ch.len, 16);
	/* Unknown and unparsable values are passed over. */
	iscsi_chap_init(&c, &cfg);
	send_a(test, &c, &out, "99,abc,,0x6,5", &ch);
	KUNIT_EXPECT_EQ(test, ch.alg, 6);
	KUNIT_EXPECT_EQ(test, ch.len, 20);

	KUNIT_ASSERT_EQ(
	    test,
	    iscsi_chap_config_set_algs(&cfg, "sha-256, SHA3-256", NULL, 0), 0);
	iscsi_chap_init(&c, &cfg);
	send_a(test, &c, &out, "5,6,8,7", &ch);
	KUNIT_EXPECT_EQ(test, ch.alg, 8);

	/* Nothing acceptable: CHAP_A=Reject, authentication failure. */
	iscsi_chap_init(&c, &cfg);
	in[0].value = "5,6,1,foo";
	iscsi_chap_out_init(&out, outbuf, sizeof(outbuf));
	KUNIT_EXPECT_EQ(test, iscsi_chap_step(&c, in, 1, &out, &st),
			ISCSI_CHAP_FAILURE);
	KUNIT_EXPECT_EQ(test, st, ISCSI_CHAP_STATUS_AUTH_FAILED);
	KUNIT_EXPECT_EQ(test, c.state, ISCSI_CHAP_FAILED);
	KUNIT_ASSERT_EQ(test, out.n, 1);
	KUNIT_EXPECT_STREQ(test, out.kv[0].key, "CHAP_A");
	KUNIT_EXPECT_STREQ(test, out.kv[0].value, "Reject");
	/* Failed for good. */
	in[0].value = "7";
	KUNIT_EXPECT_EQ(test, iscsi_chap_step(&c, in, 1, &out, &st),
			ISCSI_CHAP_FAILURE);
	KUNIT_EXPECT_EQ(test, st, ISCSI_CHAP_STATUS_AUTH_FAILED);
	KUNIT_EXPECT_EQ(test, out.n, 0);

	/* An empty list, a huge value, a very long list. */
	iscsi_chap_init(&c, &cfg);
	in[0].value = "";
	KUNIT_EXPECT_EQ(test, iscsi_chap_step(&c, in, 1, &out, &st),
			ISCSI_CHAP_FAILURE);
	iscsi_chap_init(&c, &cfg);
	in[0].value = "99999999999999999999999999999999,7";
	send_a(test, &c, &out, in[0].value, &ch);
	KUNIT_EXPECT_EQ(test, ch.alg, 7);
	{
		char *big = kunit_kzalloc(test, 8192, GFP_KERNEL);

		KUNIT_ASSERT_NOT_NULL(test, big);
		for (size_t i = 0; i + 2 < 8190; i += 2)
			memcpy(big + i, "1,", 2);
		strcat(big, "8");
		iscsi_chap_init(&c, &cfg);
		send_a(test, &c, &out, big, &ch);
		KUNIT_EXPECT_EQ(test, ch.alg, 8);
	}
	iscsi_chap_config_wipe(&cfg);
}

static void chap_fresh_challenges(struct kunit *test)
{
	struct iscsi_chap_config cfg;
	struct iscsi_chap_out out;
	struct iscsi_chap c;
	struct chal a, b;

	std_config(test, &cfg, false);
	iscsi_chap_init(&c, &cfg);
	send_a(test, &c, &out, "5", &a);
	iscsi_chap_init(&c, &cfg);
	send_a(test, &c, &out, "5", &b);
	KUNIT_EXPECT_MEMNEQ(test, a.c, b.c, 16);
	iscsi_chap_config_wipe(&cfg);
}

static void chap_wrong_secret(struct kunit *test)
{
	struct iscsi_chap_config cfg;
	struct iscsi_chap_out out;
	struct iscsi_chap c;
	struct chal ch;
	enum iscsi_chap_status st;
	char r[80];

	std_config(test, &cfg, true);
	iscsi_chap_init(&c, &cfg);
	send_a(test, &c, &out, "5", &ch);
	answer(test, &ch, "incoming-secret-X", r);
	expect_failed(test, &c, send_nr(&c, &out, IN_USER, r, NULL, NULL, &st),
		      &st, ISCSI_CHAP_STATUS_AUTH_FAILED, &out);
	/* The right answer afterwards changes nothing. */
	answer(test, &ch, IN_SECRET, r);
	expect_failed(test, &c, send_nr(&c, &out, IN_USER, r, NULL, NULL, &st),
		      &st, ISCSI_CHAP_STATUS_AUTH_FAILED, &out);

	/* Wrong secret with mutual asked: no target answer leaks out. */
	iscsi_chap_init(&c, &cfg);
	send_a(test, &c, &out, "7", &ch);
	answer(test, &ch, "incoming-secret-X", r);
	expect_failed(
	    test, &c,
	    send_nr(&c, &out, IN_USER, r, "1", "0x0102030405060708", &st), &st,
	    ISCSI_CHAP_STATUS_AUTH_FAILED, &out);

	/* A response right but for another challenge (replay). */
	{
		struct chal old;

		iscsi_chap_init(&c, &cfg);
		send_a(test, &c, &out, "5", &old);
		iscsi_chap_init(&c, &cfg);
		send_a(test, &c, &out, "5", &ch);
		answer(test, &old, IN_SECRET, r);
		expect_failed(test, &c,
			      send_nr(&c, &out, IN_USER, r, NULL, NULL, &st),
			      &st, ISCSI_CHAP_STATUS_AUTH_FAILED, &out);
	}
	iscsi_chap_config_wipe(&cfg);
}

static void chap_wrong_user(struct kunit *test)
{
	struct iscsi_chap_config cfg;
	struct iscsi_chap_out out;
	struct iscsi_chap c;
	struct chal ch;
	enum iscsi_chap_status st;
	char r[80], *longname;

	std_config(test, &cfg, false);
	iscsi_chap_init(&c, &cfg);
	send_a(test, &c, &out, "6", &ch);
	answer(test, &ch, IN_SECRET, r);
	expect_failed(test, &c,
		      send_nr(&c, &out, "iqn.2024-01.org.example:nobody", r,
			      NULL, NULL, &st),
		      &st, ISCSI_CHAP_STATUS_AUTH_FAILED, &out);
	/* A prefix of the name is another name. */
	iscsi_chap_init(&c, &cfg);
	send_a(test, &c, &out, "6", &ch);
	answer(test, &ch, IN_SECRET, r);
	expect_failed(test, &c,
		      send_nr(&c, &out, "iqn.2024-01.org.example:ini", r, NULL,
			      NULL, &st),
		      &st, ISCSI_CHAP_STATUS_AUTH_FAILED, &out);
	/* An overlong, unprintable name. */
	longname = kunit_kzalloc(test, 5000, GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, longname);
	memset(longname, '\x01', 4999);
	iscsi_chap_init(&c, &cfg);
	send_a(test, &c, &out, "6", &ch);
	expect_failed(test, &c, send_nr(&c, &out, longname, r, NULL, NULL, &st),
		      &st, ISCSI_CHAP_STATUS_AUTH_FAILED, &out);
	/* No account at all. */
	iscsi_chap_config_init(&cfg);
	iscsi_chap_init(&c, &cfg);
	send_a(test, &c, &out, "6", &ch);
	answer(test, &ch, IN_SECRET, r);
	expect_failed(test, &c, send_nr(&c, &out, IN_USER, r, NULL, NULL, &st),
		      &st, ISCSI_CHAP_STATUS_AUTH_FAILED, &out);
	iscsi_chap_config_wipe(&cfg);
}

static void chap_two_accounts(struct kunit *test)
{
	struct iscsi_chap_config cfg;
	struct iscsi_chap_out out;
	struct iscsi_chap c;
	struct chal ch;
	enum iscsi_chap_status st;
	char r[80];

	std_config(test, &cfg, false);
	KUNIT_ASSERT_EQ(
	    test,
	    iscsi_chap_config_add_incoming(&cfg, IN_USER2, IN_SECRET2, NULL, 0),
	    0);
	iscsi_chap_init(&c, &cfg);
	send_a(test, &c, &out, "8", &ch);
	answer(test, &ch, IN_SECRET2, r);
	KUNIT_EXPECT_EQ(test, send_nr(&c, &out, IN_USER2, r, NULL, NULL, &st),
			ISCSI_CHAP_SUCCESS);
	KUNIT_EXPECT_STREQ(test, iscsi_chap_user(&c), IN_USER2);
	/* The second account's secret does not serve the first's name. */
	iscsi_chap_init(&c, &cfg);
	send_a(test, &c, &out, "8", &ch);
	answer(test, &ch, IN_SECRET2, r);
	expect_failed(test, &c, send_nr(&c, &out, IN_USER, r, NULL, NULL, &st),
		      &st, ISCSI_CHAP_STATUS_AUTH_FAILED, &out);
	/* One name, two secrets (a secret being changed): either works. */
	KUNIT_ASSERT_EQ(test,
			iscsi_chap_config_add_incoming(
			    &cfg, IN_USER, "a-newer-secret-3", NULL, 0),
			0);
	iscsi_chap_init(&c, &cfg);
	send_a(test, &c, &out, "8", &ch);
	answer(test, &ch, "a-newer-secret-3", r);
	KUNIT_EXPECT_EQ(test, send_nr(&c, &out, IN_USER, r, NULL, NULL, &st),
			ISCSI_CHAP_SUCCESS);
	KUNIT_EXPECT_STREQ(test, iscsi_chap_user(&c), IN_USER);
	iscsi_chap_init(&c, &cfg);
	send_a(test, &c, &out, "8", &ch);
	answer(test, &ch, IN_SECRET, r);
	KUNIT_EXPECT_EQ(test, send_nr(&c, &out, IN_USER, r, NULL, NULL, &st),
			ISCSI_CHAP_SUCCESS);
	iscsi_chap_config_wipe(&cfg);
}

static void chap_overlong_values(struct kunit *test)
{
	struct iscsi_chap_config cfg;
	struct iscsi_chap_out out;
	struct iscsi_chap c;
	struct chal ch;
	enum iscsi_chap_status st;
	char r[80], *big;
	size_t n = 10 * 1024;

	std_config(test, &cfg, true);
	big = kunit_kzalloc(test, n + 3, GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, big);
	big[0] = '0';
	big[1] = 'x';
	memset(big + 2, 'a', n);

	/* 10 KiB of hex as CHAP_R (CVE-2018-14633's class of bug). */
	for (size_t k = 0; k < 4; k++) {
		char a[4];

		snprintf(a, sizeof(a), "%d", all_algs[k]);
		iscsi_chap_init(&c, &cfg);
		send_a(test, &c, &out, a, &ch);
		expect_failed(test, &c,
			      send_nr(&c, &out, IN_USER, big, NULL, NULL, &st),
			      &st, ISCSI_CHAP_STATUS_AUTH_FAILED, &out);
	}
	/* The right digest with one byte more, then one byte less. */
	iscsi_chap_init(&c, &cfg);
	send_a(test, &c, &out, "7", &ch);
	answer(test, &ch, IN_SECRET, r);
	strcat(r, "00");
	expect_failed(test, &c, send_nr(&c, &out, IN_USER, r, NULL, NULL, &st),
		      &st, ISCSI_CHAP_STATUS_AUTH_FAILED, &out);
	iscsi_chap_init(&c, &cfg);
	send_a(test, &c, &out, "7", &ch);
	answer(test, &ch, IN_SECRET, r);
	r[strlen(r) - 2] = '\0';
	expect_failed(test, &c, send_nr(&c, &out, IN_USER, r, NULL, NULL, &st),
		      &st, ISCSI_CHAP_STATUS_AUTH_FAILED, &out);

	/* 10 KiB as the initiator's CHAP_C: more than 1024 bytes. */
	iscsi_chap_init(&c, &cfg);
	send_a(test, &c, &out, "7", &ch);
	answer(test, &ch, IN_SECRET, r);
	expect_failed(test, &c, send_nr(&c, &out, IN_USER, r, "1", big, &st),
		      &st, ISCSI_CHAP_STATUS_INITIATOR_ERROR, &out);
	/* 1025 bytes refused, 1024 accepted. */
	big[2 + 2 * 1025] = '\0';
	iscsi_chap_init(&c, &cfg);
	send_a(test, &c, &out, "7", &ch);
	answer(test, &ch, IN_SECRET, r);
	expect_failed(test, &c, send_nr(&c, &out, IN_USER, r, "1", big, &st),
		      &st, ISCSI_CHAP_STATUS_INITIATOR_ERROR, &out);
	big[2 + 2 * 1024] = '\0';
	iscsi_chap_init(&c, &cfg);
	send_a(test, &c, &out, "7", &ch);
	answer(test, &ch, IN_SECRET, r);
	KUNIT_EXPECT_EQ(test, send_nr(&c, &out, IN_USER, r, "1", big, &st),
			ISCSI_CHAP_SUCCESS);
	iscsi_chap_config_wipe(&cfg);
}

static void chap_malformed_values(struct kunit *test)
{
	static const char *const bad_r[] = {
	    "0x", "0xg0", "0x12 34", "1234", "", "0bA", "0b!!!!", "0xz",
	};
	struct iscsi_chap_config cfg;
	struct iscsi_chap_out out;
	struct iscsi_chap c;
	struct chal ch;
	enum iscsi_chap_status st;
	char r[80];

	std_config(test, &cfg, true);
	for (size_t k = 0; k < sizeof(bad_r) / sizeof(bad_r[0]); k++) {
		iscsi_chap_init(&c, &cfg);
		send_a(test, &c, &out, "5", &ch);
		expect_failed(
		    test, &c,
		    send_nr(&c, &out, IN_USER, bad_r[k], NULL, NULL, &st), &st,
		    ISCSI_CHAP_STATUS_INITIATOR_ERROR, &out);
	}
	/* The right digest with a bad character in the middle. */
	iscsi_chap_init(&c, &cfg);
	send_a(test, &c, &out, "5", &ch);
	answer(test, &ch, IN_SECRET, r);
	r[10] = 'q';
	expect_failed(test, &c, send_nr(&c, &out, IN_USER, r, NULL, NULL, &st),
		      &st, ISCSI_CHAP_STATUS_INITIATOR_ERROR, &out);

	/* CHAP_I out of range or not a number. */
	{
		static const char *const bad_i[] = {"256",
						    "-1",
						    "0x100",
						    "",
						    "0x",
						    "1a",
						    "99999999999999999999999"};

		for (size_t k = 0; k < sizeof(bad_i) / sizeof(bad_i[0]); k++) {
			iscsi_chap_init(&c, &cfg);
			send_a(test, &c, &out, "5", &ch);
			answer(test, &ch, IN_SECRET, r);
			expect_failed(test, &c,
				      send_nr(&c, &out, IN_USER, r, bad_i[k],
					      "0x0102030405060708", &st),
				      &st, ISCSI_CHAP_STATUS_INITIATOR_ERROR,
				      &out);
		}
	}
	/* CHAP_I as hex and 255 are fine; a malformed CHAP_C is not. */
	iscsi_chap_init(&c, &cfg);
	send_a(test, &c, &out, "5", &ch);
	answer(test, &ch, IN_SECRET, r);
	KUNIT_EXPECT_EQ(
	    test,
	    send_nr(&c, &out, IN_USER, r, "0xff", "0x0102030405060708", &st),
	    ISCSI_CHAP_SUCCESS);
	iscsi_chap_init(&c, &cfg);
	send_a(test, &c, &out, "5", &ch);
	answer(test, &ch, IN_SECRET, r);
	expect_failed(test, &c,
		      send_nr(&c, &out, IN_USER, r, "255", "0xnothex", &st),
		      &st, ISCSI_CHAP_STATUS_INITIATOR_ERROR, &out);
	iscsi_chap_config_wipe(&cfg);
}

static void chap_reflection_refused(struct kunit *test)
{
	struct iscsi_chap_config cfg;
	struct iscsi_chap_out out;
	struct iscsi_chap c;
	struct chal ch;
	enum iscsi_chap_status st;
	char r[80], cv[80];

	std_config(test, &cfg, true);
	for (size_t k = 0; k < 4; k++) {
		char a[4];

		snprintf(a, sizeof(a), "%d", all_algs[k]);
		iscsi_chap_init(&c, &cfg);
		send_a(test, &c, &out, a, &ch);
		answer(test, &ch, IN_SECRET, r);
		/* Our own challenge (and identifier) sent back to us. */
		to_hex(ch.c, ch.len, cv);
		snprintf(a, sizeof(a), "%u", ch.id);
		expect_failed(test, &c,
			      send_nr(&c, &out, IN_USER, r, a, cv, &st), &st,
			      ISCSI_CHAP_STATUS_AUTH_FAILED, &out);
	}
	/* The same bytes in base64 are the same challenge. */
	{
		unsigned char c64[64];

		iscsi_chap_init(&c, &cfg);
		send_a(test, &c, &out, "5", &ch);
		answer(test, &ch, IN_SECRET, r);
		memcpy(c64, "0b", 2);
		EVP_EncodeBlock(c64 + 2, ch.c, (int)ch.len);
		expect_failed(
		    test, &c,
		    send_nr(&c, &out, IN_USER, r, "3", (const char *)c64, &st),
		    &st, ISCSI_CHAP_STATUS_AUTH_FAILED, &out);
	}
	iscsi_chap_config_wipe(&cfg);
}

static void chap_mutual_without_outgoing(struct kunit *test)
{
	struct iscsi_chap_config cfg;
	struct iscsi_chap_out out;
	struct iscsi_chap c;
	struct chal ch;
	enum iscsi_chap_status st;
	char r[80];

	std_config(test, &cfg, false);
	iscsi_chap_init(&c, &cfg);
	send_a(test, &c, &out, "7", &ch);
	answer(test, &ch, IN_SECRET, r);
	expect_failed(
	    test, &c,
	    send_nr(&c, &out, IN_USER, r, "9", "0x00112233445566778899", &st),
	    &st, ISCSI_CHAP_STATUS_AUTH_FAILED, &out);
	iscsi_chap_config_wipe(&cfg);
}

/*
 * A configuration built by hand around the checks, with one secret for
 * both directions: a response made with it is refused (RFC 7143 9.2.1).
 */
static void chap_shared_secret_response(struct kunit *test)
{
	struct iscsi_chap_config cfg;
	struct iscsi_chap_out out;
	struct iscsi_chap c;
	struct chal ch;
	enum iscsi_chap_status st;
	char r[80];

	std_config(test, &cfg, true);
	cfg.outgoing.secret_len = strlen(IN_SECRET);
	memcpy(cfg.outgoing.secret, IN_SECRET, cfg.outgoing.secret_len);
	iscsi_chap_init(&c, &cfg);
	send_a(test, &c, &out, "7", &ch);
	answer(test, &ch, IN_SECRET, r);
	expect_failed(test, &c, send_nr(&c, &out, IN_USER, r, NULL, NULL, &st),
		      &st, ISCSI_CHAP_STATUS_AUTH_FAILED, &out);
	iscsi_chap_config_wipe(&cfg);
}

static void chap_state_checks(struct kunit *test)
{
	struct iscsi_chap_config cfg;
	struct iscsi_chap_out out;
	struct iscsi_chap c;
	struct chal ch;
	enum iscsi_chap_status st;
	char r[80];

	std_config(test, &cfg, true);
	iscsi_chap_out_init(&out, outbuf, sizeof(outbuf));

	/* CHAP_N/R before CHAP_A. */
	{
		struct iscsi_chap_kv in[] = {{"CHAP_A", "5"},
					     {"CHAP_N", IN_USER}};

		iscsi_chap_init(&c, &cfg);
		expect_failed(test, &c, iscsi_chap_step(&c, in, 2, &out, &st),
			      &st, ISCSI_CHAP_STATUS_INITIATOR_ERROR, &out);
	}
	/* No CHAP_A; other keys are not ours and are ignored. */
	{
		struct iscsi_chap_kv in[] = {{"AuthMethod", "CHAP"},
					     {"CHAP_X", "1"}};

		iscsi_chap_init(&c, &cfg);
		expect_failed(test, &c, iscsi_chap_step(&c, in, 2, &out, &st),
			      &st, ISCSI_CHAP_STATUS_MISSING_PARAM, &out);
		iscsi_chap_init(&c, &cfg);
		expect_failed(test, &c, iscsi_chap_step(&c, NULL, 0, &out, &st),
			      &st, ISCSI_CHAP_STATUS_MISSING_PARAM, &out);
	}
	/* A key twice. */
	{
		struct iscsi_chap_kv in[] = {{"CHAP_A", "5"}, {"CHAP_A", "7"}};

		iscsi_chap_init(&c, &cfg);
		expect_failed(test, &c, iscsi_chap_step(&c, in, 2, &out, &st),
			      &st, ISCSI_CHAP_STATUS_INITIATOR_ERROR, &out);
	}
	/* A NULL value. */
	{
		struct iscsi_chap_kv in[] = {{"CHAP_A", NULL}};

		iscsi_chap_init(&c, &cfg);
		expect_failed(test, &c, iscsi_chap_step(&c, in, 1, &out, &st),
			      &st, ISCSI_CHAP_STATUS_INITIATOR_ERROR, &out);
	}
	/* Non-CHAP keys beside CHAP_A are ignored. */
	{
		struct iscsi_chap_kv in[] = {{"InitiatorName", "iqn.x"},
					     {"CHAP_A", "5"}};

		iscsi_chap_init(&c, &cfg);
		KUNIT_EXPECT_EQ(test, iscsi_chap_step(&c, in, 2, &out, &st),
				ISCSI_CHAP_CONTINUE);
	}
	/* CHAP_A again in AWAIT_NR. */
	{
		struct iscsi_chap_kv in[] = {{"CHAP_A", "5"}};

		iscsi_chap_init(&c, &cfg);
		send_a(test, &c, &out, "5", &ch);
		expect_failed(test, &c, iscsi_chap_step(&c, in, 1, &out, &st),
			      &st, ISCSI_CHAP_STATUS_INITIATOR_ERROR, &out);
	}
	/* CHAP_N without CHAP_R, CHAP_I without CHAP_C and the reverse. */
	{
		struct iscsi_chap_kv in[] = {{"CHAP_N", IN_USER}};

		iscsi_chap_init(&c, &cfg);
		send_a(test, &c, &out, "5", &ch);
		expect_failed(test, &c, iscsi_chap_step(&c, in, 1, &out, &st),
			      &st, ISCSI_CHAP_STATUS_MISSING_PARAM, &out);
	}
	iscsi_chap_init(&c, &cfg);
	send_a(test, &c, &out, "5", &ch);
	answer(test, &ch, IN_SECRET, r);
	expect_failed(test, &c, send_nr(&c, &out, IN_USER, r, "1", NULL, &st),
		      &st, ISCSI_CHAP_STATUS_MISSING_PARAM, &out);
	iscsi_chap_init(&c, &cfg);
	send_a(test, &c, &out, "5", &ch);
	answer(test, &ch, IN_SECRET, r);
	expect_failed(test, &c,
		      send_nr(&c, &out, IN_USER, r, NULL, "0x0102", &st), &st,
		      ISCSI_CHAP_STATUS_MISSING_PARAM, &out);

	/* DONE: a request without CHAP keys is fine, CHAP keys are not. */
	iscsi_chap_init(&c, &cfg);
	send_a(test, &c, &out, "5", &ch);
	answer(test, &ch, IN_SECRET, r);
	KUNIT_ASSERT_EQ(test, send_nr(&c, &out, IN_USER, r, NULL, NULL, &st),
			ISCSI_CHAP_SUCCESS);
	{
		struct iscsi_chap_kv in[] = {{"HeaderDigest", "None"}};

		KUNIT_EXPECT_EQ(test, iscsi_chap_step(&c, in, 1, &out, &st),
				ISCSI_CHAP_SUCCESS);
		KUNIT_EXPECT_EQ(test, c.state, ISCSI_CHAP_DONE);
		KUNIT_EXPECT_EQ(test, out.n, 0);
	}
	KUNIT_EXPECT_EQ(test, send_nr(&c, &out, IN_USER, r, NULL, NULL, &st),
			ISCSI_CHAP_FAILURE);
	KUNIT_EXPECT_EQ(test, st, ISCSI_CHAP_STATUS_INITIATOR_ERROR);
	KUNIT_EXPECT_EQ(test, c.state, ISCSI_CHAP_FAILED);

	/* Destroyed: nothing more. */
	iscsi_chap_init(&c, &cfg);
	iscsi_chap_destroy(&c);
	KUNIT_EXPECT_EQ(test, iscsi_chap_step(&c, NULL, 0, &out, &st),
			ISCSI_CHAP_FAILURE);

	KUNIT_EXPECT_STREQ(test, iscsi_chap_state_name(ISCSI_CHAP_AWAIT_A),
			   "AWAIT_A");
	KUNIT_EXPECT_STREQ(test, iscsi_chap_state_name(ISCSI_CHAP_AWAIT_NR),
			   "AWAIT_NR");
	KUNIT_EXPECT_STREQ(test, iscsi_chap_state_name(ISCSI_CHAP_DONE),
			   "DONE");
	KUNIT_EXPECT_STREQ(test, iscsi_chap_state_name(ISCSI_CHAP_FAILED),
			   "FAILED");
	iscsi_chap_config_wipe(&cfg);
}

static void chap_small_output_buffer(struct kunit *test)
{
	struct iscsi_chap_config cfg;
	struct iscsi_chap_out out;
	struct iscsi_chap c;
	struct iscsi_chap_kv in[] = {{"CHAP_A", "7"}};
	enum iscsi_chap_status st;
	char small[40];

	std_config(test, &cfg, false);
	memset(small, 0x5a, sizeof(small));
	iscsi_chap_init(&c, &cfg);
	iscsi_chap_out_init(&out, small, 30);
	expect_failed(test, &c, iscsi_chap_step(&c, in, 1, &out, &st), &st,
		      ISCSI_CHAP_STATUS_TARGET_ERROR, &out);
	/* Nothing written past the given size. */
	for (size_t i = 30; i < sizeof(small); i++)
		KUNIT_EXPECT_EQ(test, (unsigned char)small[i], 0x5a);
	iscsi_chap_config_wipe(&cfg);
}

static void chap_config_rules(struct kunit *test)
{
	struct iscsi_chap_config cfg;
	char err[256], name[300];

	iscsi_chap_config_init(&cfg);
	KUNIT_EXPECT_EQ(test, cfg.n_algs, 4);

	/* Secrets: at least 12 bytes (96 bits), at most 255. */
	KUNIT_EXPECT_EQ(test,
			iscsi_chap_config_add_incoming(
			    &cfg, "u1", "12345678901", err, sizeof(err)),
			-EINVAL);
	KUNIT_EXPECT_NOT_NULL(test, strstr(err, "at least 12"));
	KUNIT_EXPECT_NULL(test, strstr(err, "12345678901"));
	KUNIT_EXPECT_EQ(
	    test,
	    iscsi_chap_config_add_incoming(&cfg, "u1", "", err, sizeof(err)),
	    -EINVAL);
	KUNIT_EXPECT_EQ(
	    test,
	    iscsi_chap_config_add_incoming(&cfg, "u1", NULL, err, sizeof(err)),
	    -EINVAL);
	KUNIT_EXPECT_EQ(test,
			iscsi_chap_config_add_incoming(
			    &cfg, "u1", "123456789012", err, sizeof(err)),
			0);
	memset(name, 's', 256);
	name[256] = '\0';
	KUNIT_EXPECT_EQ(
	    test,
	    iscsi_chap_config_add_incoming(&cfg, "u2", name, err, sizeof(err)),
	    -EINVAL);
	name[255] = '\0';
	KUNIT_EXPECT_EQ(
	    test,
	    iscsi_chap_config_add_incoming(&cfg, "u2", name, err, sizeof(err)),
	    0);
	/* The same account twice. */
	KUNIT_EXPECT_EQ(
	    test,
	    iscsi_chap_config_add_incoming(&cfg, "u2", name, err, sizeof(err)),
	    -EEXIST);
	KUNIT_EXPECT_EQ(test,
			iscsi_chap_config_set_outgoing(&cfg, "t", "short", err,
						       sizeof(err)),
			-EINVAL);
	KUNIT_EXPECT_FALSE(test, cfg.has_outgoing);

	/* One secret for both directions: refused either way round. */
	KUNIT_EXPECT_EQ(test,
			iscsi_chap_config_set_outgoing(
			    &cfg, "t", "123456789012", err, sizeof(err)),
			-EINVAL);
	KUNIT_EXPECT_NOT_NULL(test, strstr(err, "both directions"));
	KUNIT_EXPECT_FALSE(test, cfg.has_outgoing);
	KUNIT_EXPECT_EQ(test,
			iscsi_chap_config_set_outgoing(&cfg, "t", OUT_SECRET,
						       err, sizeof(err)),
			0);
	KUNIT_EXPECT_TRUE(test, cfg.has_outgoing);
	KUNIT_EXPECT_EQ(test,
			iscsi_chap_config_add_incoming(&cfg, "u3", OUT_SECRET,
						       err, sizeof(err)),
			-EINVAL);
	KUNIT_EXPECT_NOT_NULL(test, strstr(err, "both directions"));

	/* Names. */
	KUNIT_EXPECT_EQ(test,
			iscsi_chap_config_add_incoming(&cfg, "", IN_SECRET, err,
						       sizeof(err)),
			-EINVAL);
	KUNIT_EXPECT_EQ(test,
			iscsi_chap_config_add_incoming(&cfg, NULL, IN_SECRET,
						       err, sizeof(err)),
			-EINVAL);
	KUNIT_EXPECT_EQ(test,
			iscsi_chap_config_add_incoming(&cfg, "a b", IN_SECRET,
						       err, sizeof(err)),
			-EINVAL);
	KUNIT_EXPECT_EQ(test,
			iscsi_chap_config_add_incoming(&cfg, "a=b", IN_SECRET,
						       err, sizeof(err)),
			-EINVAL);
	memset(name, 'n', 256);
	name[256] = '\0';
	KUNIT_EXPECT_EQ(
	    test,
	    iscsi_chap_config_add_incoming(&cfg, name, IN_SECRET, NULL, 0),
	    -EINVAL);
	name[255] = '\0';
	KUNIT_EXPECT_EQ(
	    test,
	    iscsi_chap_config_add_incoming(&cfg, name, IN_SECRET, NULL, 0), 0);

	/* At most ISCSI_CHAP_MAX_ACCOUNTS. */
	for (int i = (int)cfg.n_incoming; i < ISCSI_CHAP_MAX_ACCOUNTS; i++) {
		char u[16];

		snprintf(u, sizeof(u), "user%d", i);
		KUNIT_EXPECT_EQ(test,
				iscsi_chap_config_add_incoming(
				    &cfg, u, "many-secrets-here", NULL, 0),
				0);
	}
	KUNIT_EXPECT_EQ(
	    test,
	    iscsi_chap_config_add_incoming(&cfg, "extra", IN_SECRET, NULL, 0),
	    -ENOSPC);

	/* Algorithm lists. */
	KUNIT_EXPECT_EQ(test,
			iscsi_chap_config_set_algs(
			    &cfg, "SHA3-256,sha256,6,md5", err, sizeof(err)),
			0);
	KUNIT_EXPECT_EQ(test, cfg.n_algs, 4);
	KUNIT_EXPECT_EQ(test, cfg.algs[0], 8);
	KUNIT_EXPECT_EQ(test, cfg.algs[1], 7);
	KUNIT_EXPECT_EQ(test, cfg.algs[2], 6);
	KUNIT_EXPECT_EQ(test, cfg.algs[3], 5);
	KUNIT_EXPECT_EQ(
	    test,
	    iscsi_chap_config_set_algs(&cfg, "MD5,SHA512", err, sizeof(err)),
	    -EINVAL);
	KUNIT_EXPECT_NOT_NULL(test, strstr(err, "SHA512"));
	KUNIT_EXPECT_EQ(
	    test, iscsi_chap_config_set_algs(&cfg, "MD5,5", err, sizeof(err)),
	    -EINVAL);
	KUNIT_EXPECT_EQ(test,
			iscsi_chap_config_set_algs(&cfg, "", err, sizeof(err)),
			-EINVAL);
	KUNIT_EXPECT_EQ(
	    test, iscsi_chap_config_set_algs(&cfg, "MD5,", err, sizeof(err)),
	    -EINVAL);
	KUNIT_EXPECT_EQ(
	    test, iscsi_chap_config_set_algs(&cfg, NULL, err, sizeof(err)),
	    -EINVAL);
	/* A refused list leaves the old one. */
	KUNIT_EXPECT_EQ(test, cfg.n_algs, 4);
	KUNIT_EXPECT_EQ(test,
			iscsi_chap_config_set_algs(&cfg, " sha1 ", NULL, 0), 0);
	KUNIT_EXPECT_EQ(test, cfg.n_algs, 1);
	KUNIT_EXPECT_EQ(test, cfg.algs[0], 6);

	iscsi_chap_config_wipe(&cfg);
	KUNIT_EXPECT_EQ(test, cfg.n_incoming, 0);
}

/* Nothing secret in the log: secrets, challenges, responses. */
static void chap_log_no_secrets(struct kunit *test)
{
	struct iscsi_chap_config cfg;
	struct iscsi_chap_out out;
	struct iscsi_chap c;
	struct chal ch;
	enum iscsi_chap_status st;
	char r[80], bad[80], tr[80], chex[80], ichal[] = "0x0a0b0c0d0e0f1011";
	char err[256];

	std_config(test, &cfg, true);
	/* A success, mutual. */
	iscsi_chap_init(&c, &cfg);
	send_a(test, &c, &out, "7", &ch);
	to_hex(ch.c, ch.len, chex);
	answer(test, &ch, IN_SECRET, r);
	KUNIT_ASSERT_EQ(test, send_nr(&c, &out, IN_USER, r, "4", ichal, &st),
			ISCSI_CHAP_SUCCESS);
	snprintf(tr, sizeof(tr), "%s", out_get(&out, "CHAP_R"));
	/* A failure. */
	iscsi_chap_init(&c, &cfg);
	send_a(test, &c, &out, "7", &ch);
	answer(test, &ch, "incoming-secret-X", bad);
	KUNIT_EXPECT_EQ(test, send_nr(&c, &out, IN_USER, bad, NULL, NULL, &st),
			ISCSI_CHAP_FAILURE);
	/* A refused configuration. */
	KUNIT_EXPECT_EQ(test,
			iscsi_chap_config_add_incoming(&cfg, "u", "tiny-secret",
						       err, sizeof(err)),
			-EINVAL);
	KUNIT_EXPECT_EQ(test,
			iscsi_chap_config_add_incoming(&cfg, "u", OUT_SECRET,
						       err, sizeof(err)),
			-EINVAL);

	scst_mutex_lock(&cap.lock);
	/* The log saw the exchanges: user names and algorithm. */
	KUNIT_EXPECT_NOT_NULL(test, strstr(cap.text, IN_USER));
	KUNIT_EXPECT_NOT_NULL(test, strstr(cap.text, "SHA-256"));
	KUNIT_EXPECT_NULL(test, strstr(cap.text, IN_SECRET));
	KUNIT_EXPECT_NULL(test, strstr(cap.text, OUT_SECRET));
	KUNIT_EXPECT_NULL(test, strstr(cap.text, "tiny-secret"));
	KUNIT_EXPECT_NULL(test, strstr(cap.text, "incoming-secret-X"));
	/* Responses and challenges, with or without their 0x. */
	KUNIT_EXPECT_NULL(test, strstr(cap.text, r + 2));
	KUNIT_EXPECT_NULL(test, strstr(cap.text, bad + 2));
	KUNIT_EXPECT_NULL(test, strstr(cap.text, tr + 2));
	KUNIT_EXPECT_NULL(test, strstr(cap.text, chex + 2));
	KUNIT_EXPECT_NULL(test, strstr(cap.text, ichal + 2));
	scst_mutex_unlock(&cap.lock);
	iscsi_chap_config_wipe(&cfg);
}

static struct kunit_case iscsi_chap_test_cases[] = {
    KUNIT_CASE(chap_digest_vectors),
    KUNIT_CASE(chap_digest_cross_check),
    KUNIT_CASE(chap_decode_binary),
    KUNIT_CASE(chap_one_way_success),
    KUNIT_CASE(chap_mutual_success),
    KUNIT_CASE(chap_base64_values),
    KUNIT_CASE(chap_alg_negotiation),
    KUNIT_CASE(chap_fresh_challenges),
    KUNIT_CASE(chap_wrong_secret),
    KUNIT_CASE(chap_wrong_user),
    KUNIT_CASE(chap_two_accounts),
    KUNIT_CASE(chap_overlong_values),
    KUNIT_CASE(chap_malformed_values),
    KUNIT_CASE(chap_reflection_refused),
    KUNIT_CASE(chap_mutual_without_outgoing),
    KUNIT_CASE(chap_shared_secret_response),
    KUNIT_CASE(chap_state_checks),
    KUNIT_CASE(chap_small_output_buffer),
    KUNIT_CASE(chap_config_rules),
    KUNIT_CASE(chap_log_no_secrets),
    {}};

static struct kunit_suite iscsi_chap_test_suite = {
    .name = "iscsi_chap",
    .init = chap_test_init,
    .exit = chap_test_exit,
    .test_cases = iscsi_chap_test_cases,
};
kunit_test_suite(iscsi_chap_test_suite);
