/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * CHAP (RFC 1994) for the iSCSI login, target side (RFC 7143 12.1.3).
 *
 * The exchange, driven by the login FSM with the keys of each Login Request
 * of the security stage once AuthMethod=CHAP has been agreed:
 *
 *   AWAIT_A   I -> CHAP_A=<A1,A2,...>
 *             T -> CHAP_A=<A> CHAP_I=<I> CHAP_C=<C>
 *   AWAIT_NR  I -> CHAP_N=<N> CHAP_R=<R> [CHAP_I=<I> CHAP_C=<C>]
 *             T -> [CHAP_N=<N> CHAP_R=<R>]     (mutual CHAP only)
 *   DONE
 *
 * Any error moves to FAILED, for good. Algorithms: 5 = MD5, 6 = SHA1,
 * 7 = SHA-256, 8 = SHA3-256 (the numbers open-iscsi and LIO use). The
 * response is H(CHAP_I || secret || CHAP_C).
 *
 * Keys in and out are plain {key, value} string pairs, so that this module
 * does not depend on the login key parser. Input keys other than CHAP_A,
 * CHAP_I, CHAP_C, CHAP_N and CHAP_R are ignored: they are the login FSM's
 * (which answers an unknown key with NotUnderstood).
 *
 * Nothing secret is logged: neither secrets, nor challenges, nor responses;
 * only user names (sanitised) and the algorithm.
 */
#ifndef ISCSI_CHAP_H
#define ISCSI_CHAP_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

/* CHAP_A values. */
enum iscsi_chap_alg {
	ISCSI_CHAP_ALG_MD5 = 5,
	ISCSI_CHAP_ALG_SHA1 = 6,
	ISCSI_CHAP_ALG_SHA256 = 7,
	ISCSI_CHAP_ALG_SHA3_256 = 8,
};

#define ISCSI_CHAP_N_ALGS     4
#define ISCSI_CHAP_DIGEST_MAX 32 /* SHA-256 and SHA3-256 */
/* RFC 7143 12.1.3: binary length of CHAP_C and CHAP_R at most 1024 bytes. */
#define ISCSI_CHAP_BINARY_MAX 1024
/* Our challenge: the digest size, at least 16 bytes. */
#define ISCSI_CHAP_CHALLENGE_MIN 16
#define ISCSI_CHAP_NAME_MAX	 255 /* CHAP_N, IncomingUser/OutgoingUser */
/* RFC 7143 9.2.1: at least 96 bits without IPsec; SCST asks 12 chars. */
#define ISCSI_CHAP_SECRET_MIN	12
#define ISCSI_CHAP_SECRET_MAX	255
#define ISCSI_CHAP_MAX_ACCOUNTS 16 /* IncomingUser, IncomingUser1, ... */

/*
 * An output buffer of this size always holds the largest answer
 * (CHAP_N with a 255-byte name and a 32-byte CHAP_R).
 */
#define ISCSI_CHAP_OUT_BUF_MIN	512
#define ISCSI_CHAP_OUT_MAX_KEYS 4

/* One key=value pair, NUL-terminated strings. */
struct iscsi_chap_kv {
	const char *key;
	const char *value;
};

/*
 * Where iscsi_chap_step() puts its answer: up to ISCSI_CHAP_OUT_MAX_KEYS
 * pairs whose strings live in the caller's @buf of @cap bytes. On any
 * result other than a complete answer, n is 0 (CHAP_A=Reject excepted).
 */
struct iscsi_chap_out {
	char *buf;
	size_t cap;
	size_t used;
	size_t n;
	struct iscsi_chap_kv kv[ISCSI_CHAP_OUT_MAX_KEYS];
};

void iscsi_chap_out_init(struct iscsi_chap_out *out, char *buf, size_t cap);

struct iscsi_chap_account {
	char name[ISCSI_CHAP_NAME_MAX + 1];
	uint8_t secret[ISCSI_CHAP_SECRET_MAX];
	size_t secret_len;
};

/*
 * The target's CHAP configuration. Build it with the functions below; they
 * enforce the rules (secret lengths, no secret shared by both directions)
 * and describe a refusal in @err.
 */
struct iscsi_chap_config {
	/*
	 * The algorithms the target allows, most preferred first. RFC 7143
	 * 6.2.1 has the target answer a list with the first value of the
	 * initiator's list that it accepts, so this order only decides what
	 * is allowed, not what is picked.
	 */
	uint8_t algs[ISCSI_CHAP_N_ALGS];
	size_t n_algs;
	struct iscsi_chap_account incoming[ISCSI_CHAP_MAX_ACCOUNTS];
	size_t n_incoming;
	struct iscsi_chap_account outgoing;
	bool has_outgoing;
};

/* All four algorithms (SHA3-256, SHA-256, SHA1, MD5), no account. */
void iscsi_chap_config_init(struct iscsi_chap_config *cfg);
/* Wipes the secrets. */
void iscsi_chap_config_wipe(struct iscsi_chap_config *cfg);
/*
 * @list: comma-separated names ("MD5", "SHA1", "SHA-256", "SHA3-256",
 * case-insensitive) or numbers (5..8), most preferred first; no duplicates.
 * 0 or -EINVAL with a message in @err (may be NULL).
 */
int iscsi_chap_config_set_algs(struct iscsi_chap_config *cfg, const char *list,
			       char *err, size_t err_len);
/* IncomingUser: 0, -EINVAL (bad name/secret), -ENOSPC (too many). */
int iscsi_chap_config_add_incoming(struct iscsi_chap_config *cfg,
				   const char *name, const char *secret,
				   char *err, size_t err_len);
/* OutgoingUser (mutual CHAP): 0 or -EINVAL. */
int iscsi_chap_config_set_outgoing(struct iscsi_chap_config *cfg,
				   const char *name, const char *secret,
				   char *err, size_t err_len);

enum iscsi_chap_state {
	ISCSI_CHAP_AWAIT_A,
	ISCSI_CHAP_AWAIT_NR,
	ISCSI_CHAP_DONE,
	ISCSI_CHAP_FAILED,
};

enum iscsi_chap_result {
	ISCSI_CHAP_CONTINUE, /* send @out, wait for the next request */
	ISCSI_CHAP_SUCCESS,  /* initiator authenticated; send @out (mutual) */
	ISCSI_CHAP_FAILURE,  /* login fails with *status */
};

/* Login response status (class << 8 | detail) for a failure. */
enum iscsi_chap_status {
	ISCSI_CHAP_STATUS_OK = 0x0000,
	ISCSI_CHAP_STATUS_INITIATOR_ERROR = 0x0200,
	ISCSI_CHAP_STATUS_AUTH_FAILED = 0x0201,
	ISCSI_CHAP_STATUS_MISSING_PARAM = 0x0207,
	ISCSI_CHAP_STATUS_TARGET_ERROR = 0x0300,
};

/* One CHAP exchange (one connection's login). */
struct iscsi_chap {
	const struct iscsi_chap_config *cfg; /* must outlive the exchange */
	enum iscsi_chap_state state;
	enum iscsi_chap_status status; /* why it FAILED */
	int alg;		       /* chosen CHAP_A, 0 before */
	size_t digest_len;
	uint8_t id; /* our CHAP_I */
	uint8_t challenge[ISCSI_CHAP_DIGEST_MAX];
	size_t challenge_len;
	const struct iscsi_chap_account *user; /* who authenticated */
	bool mutual;			       /* target authenticated too */
};

void iscsi_chap_init(struct iscsi_chap *c, const struct iscsi_chap_config *cfg);
/* Wipes the challenge. */
void iscsi_chap_destroy(struct iscsi_chap *c);

/*
 * Feed the CHAP keys of one Login Request. @out (emptied first) receives
 * the keys to send back. @status (may be NULL) receives
 * ISCSI_CHAP_STATUS_OK, or the reason of a failure. After a failure the
 * connection must be closed; when no algorithm is acceptable, @out holds
 * CHAP_A=Reject (RFC 7143 6.2.1) should the caller want to send it.
 * In AWAIT_A, CHAP_A is required (else ISCSI_CHAP_STATUS_MISSING_PARAM);
 * in AWAIT_NR, CHAP_N and CHAP_R are, and CHAP_I and CHAP_C come together
 * or not at all. Once DONE, a request without CHAP keys gives
 * ISCSI_CHAP_SUCCESS again and one with CHAP keys fails.
 */
enum iscsi_chap_result iscsi_chap_step(struct iscsi_chap *c,
				       const struct iscsi_chap_kv *in,
				       size_t n_in, struct iscsi_chap_out *out,
				       enum iscsi_chap_status *status);

/* After success: the IncomingUser that matched. */
const char *iscsi_chap_user(const struct iscsi_chap *c);
const char *iscsi_chap_state_name(enum iscsi_chap_state s);

/* ------------------------------------------------- building blocks ---- */

/* "MD5", "SHA1", "SHA-256", "SHA3-256"; NULL for another value. */
const char *iscsi_chap_alg_name(int alg);
/* Digest size of @alg, 0 if unknown. */
size_t iscsi_chap_alg_digest_len(int alg);
/*
 * H(@id || @secret || @chal) into @md (ISCSI_CHAP_DIGEST_MAX bytes).
 * Returns the digest length or a negative errno.
 */
int iscsi_chap_digest(int alg, uint8_t id, const uint8_t *secret,
		      size_t secret_len, const uint8_t *chal, size_t chal_len,
		      uint8_t *md);
/*
 * Decode a binary-value: "0x"/"0X" + hex digits (an odd count has an
 * implied leading zero digit, RFC 7143 6.1) or "0b"/"0B" + base64 with
 * padding. The decoded length is computed and checked against @cap before
 * a single byte is written. Returns the length, -EINVAL for a malformed
 * value, -EMSGSIZE if it would not fit in @cap bytes.
 */
ssize_t iscsi_chap_decode_binary(const char *s, uint8_t *buf, size_t cap);
/* "0x" + lower-case hex of @len bytes; needs 2 * len + 3 bytes. */
int iscsi_chap_encode_hex(const uint8_t *bin, size_t len, char *s, size_t cap);

#endif /* ISCSI_CHAP_H */
