/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * iSCSI login/text keys (RFC 7143 sections 6 and 13): strict parsing of a
 * data segment of NUL-terminated key=value pairs, and the target side of
 * the negotiation, driven by a table with one row per key.
 *
 * Error convention: 0 on success, a negative errno on failure. A -EPROTO
 * from iscsi_kv_parse() or iscsi_params_negotiate() is an initiator error
 * (Login: Status-Class 2 / detail 0; Text: Reject with Protocol Error).
 */
#ifndef ISCSI_PARAMS_H
#define ISCSI_PARAMS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define ISCSI_KEY_NAME_MAX   63	  /* RFC 7143 6.1 */
#define ISCSI_VALUE_MAX	     255  /* RFC 7143 6.1, most keys */
#define ISCSI_CHAP_VALUE_MAX 8192 /* CHAP_* values (encoded binary) */
#define ISCSI_KV_MAX	     128  /* pairs in one negotiation step */

/* One key=value pair; points into the caller's data segment. */
struct iscsi_kv {
	const char *key;
	const char *value;
	uint32_t key_len;
	uint32_t value_len;
};

struct iscsi_kv_list {
	unsigned int n;
	struct iscsi_kv kv[ISCSI_KV_MAX];
};

/*
 * Parse @len bytes of key=value pairs, each ended by a NUL (RFC 7143 6.1).
 * Returns 0, -EINVAL (no '=', bad character, empty key, last pair not
 * NUL-ended), -ENAMETOOLONG (key > 63 bytes or value too long), -EEXIST
 * (a key twice), -E2BIG (more than ISCSI_KV_MAX pairs).
 */
int iscsi_kv_parse(const char *data, size_t len, struct iscsi_kv_list *out);
/* The pair named @key, or NULL. */
const struct iscsi_kv *iscsi_kv_find(const struct iscsi_kv_list *l,
				     const char *key);

/* The keys the target knows, in RFC 7143 section 13 order. */
enum iscsi_key {
	ISCSI_KEY_HEADER_DIGEST,
	ISCSI_KEY_DATA_DIGEST,
	ISCSI_KEY_MAX_CONNECTIONS,
	ISCSI_KEY_SEND_TARGETS,
	ISCSI_KEY_TARGET_NAME,
	ISCSI_KEY_INITIATOR_NAME,
	ISCSI_KEY_TARGET_ALIAS,
	ISCSI_KEY_INITIATOR_ALIAS,
	ISCSI_KEY_TARGET_ADDRESS,
	ISCSI_KEY_TARGET_PORTAL_GROUP_TAG,
	ISCSI_KEY_INITIAL_R2T,
	ISCSI_KEY_IMMEDIATE_DATA,
	ISCSI_KEY_MAX_RECV_DSL,
	ISCSI_KEY_MAX_BURST_LENGTH,
	ISCSI_KEY_FIRST_BURST_LENGTH,
	ISCSI_KEY_DEFAULT_TIME2WAIT,
	ISCSI_KEY_DEFAULT_TIME2RETAIN,
	ISCSI_KEY_MAX_OUTSTANDING_R2T,
	ISCSI_KEY_DATA_PDU_IN_ORDER,
	ISCSI_KEY_DATA_SEQUENCE_IN_ORDER,
	ISCSI_KEY_ERROR_RECOVERY_LEVEL,
	ISCSI_KEY_SESSION_TYPE,
	ISCSI_KEY_AUTH_METHOD,
	ISCSI_KEY_OF_MARKER,
	ISCSI_KEY_IF_MARKER,
	ISCSI_KEY_OF_MARK_INT,
	ISCSI_KEY_IF_MARK_INT,
	ISCSI_KEY_NR,
};

/* Values of the list keys, as bits of a mask and as result values. */
#define ISCSI_DIGEST_NONE	0 /* HeaderDigest / DataDigest */
#define ISCSI_DIGEST_CRC32C	1
#define ISCSI_AUTH_NONE		0 /* AuthMethod */
#define ISCSI_AUTH_CHAP		1
#define ISCSI_SESSION_NORMAL	0 /* SessionType */
#define ISCSI_SESSION_DISCOVERY 1

/* Where a negotiation step happens. */
enum iscsi_neg_stage {
	ISCSI_NEG_SECURITY,	/* Login, CSG 0 */
	ISCSI_NEG_OPERATIONAL,	/* Login, CSG 1 */
	ISCSI_NEG_FULL_FEATURE, /* Text Request */
};

/* The target's configuration (what it offers and accepts). */
struct iscsi_tgt_params {
	/* Numbers and booleans (1 = Yes) by enum iscsi_key; for
	 * ISCSI_KEY_MAX_RECV_DSL this is the target's own receive limit. */
	uint32_t val[ISCSI_KEY_NR];
	uint32_t hdigest_mask; /* 1 << ISCSI_DIGEST_* accepted */
	uint32_t ddigest_mask;
	uint32_t auth_mask;	  /* 1 << ISCSI_AUTH_* accepted */
	const char *target_alias; /* NULL or "": not declared */
};

/* RFC 7143 defaults for the target's values, digests None, auth None. */
void iscsi_tgt_params_default(struct iscsi_tgt_params *tp);

/* The state of one login or text negotiation. */
struct iscsi_negotiation {
	const struct iscsi_tgt_params *tgt; /* set by iscsi_neg_init() */
	bool leading;			    /* leading connection */
	/*
	 * Results, by enum iscsi_key (owned by the negotiation): negotiated
	 * values; for ISCSI_KEY_MAX_RECV_DSL the initiator's declared
	 * receive limit (what the target may send in one PDU).
	 */
	uint32_t val[ISCSI_KEY_NR];
	uint64_t seen;	   /* keys received (duplicates are errors) */
	uint64_t declared; /* target declarations sent */
	/* Declarations of the initiator, NUL-terminated ("" if not sent). */
	char initiator_name[ISCSI_VALUE_MAX + 1];
	char initiator_alias[ISCSI_VALUE_MAX + 1];
	char target_name[ISCSI_VALUE_MAX + 1];
	char send_targets[ISCSI_VALUE_MAX + 1];
	bool send_targets_asked; /* the caller must answer SendTargets */
};

void iscsi_neg_init(struct iscsi_negotiation *neg,
		    const struct iscsi_tgt_params *tgt, bool leading);

/*
 * Answer the initiator's @offers in stage @stage: append the response
 * keys (each "key=value\0") to @out, which holds *@out_len bytes already
 * and @cap at most; *@out_len is updated. Unknown keys get NotUnderstood,
 * bad or out-of-range values Reject, keys that do not apply Irrelevant
 * (RFC 7143 6.2). Keys handled elsewhere (CHAP_*) are skipped.
 * Returns 0, -EPROTO (a key negotiated twice, RFC 7143 6.2), -ENOSPC.
 */
int iscsi_params_negotiate(struct iscsi_negotiation *neg,
			   enum iscsi_neg_stage stage,
			   const struct iscsi_kv_list *offers, char *out,
			   size_t cap, size_t *out_len);

/* Key name of @k, and the key named @name (-1 if unknown). */
const char *iscsi_key_name(enum iscsi_key k);
int iscsi_key_lookup(const char *name, size_t len);

#endif /* ISCSI_PARAMS_H */
