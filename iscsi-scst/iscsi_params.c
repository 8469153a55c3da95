// SPDX-License-Identifier: GPL-2.0-only
/*
 * iSCSI login/text key handling (RFC 7143 sections 6.1, 6.2 and 13).
 *
 * iscsi_kv_parse() checks the text format strictly; the negotiation is
 * a table, one row per key of RFC 7143 section 13, giving the result
 * function (kind), where the key may be used (use), its range and default.
 * The target never originates a negotiation here: it answers offers and
 * adds its own declarations (TargetPortalGroupTag, TargetAlias,
 * MaxRecvDataSegmentLength).
 */
#include <errno.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include "iscsi_params.h"

/* How the answer is computed (RFC 7143 6.2.1 / 6.2.2, section 13). */
enum key_kind {
	K_BOOL_AND,
	K_BOOL_OR,
	K_NUM_MIN,
	K_NUM_MAX,
	K_NUM_DECL,	/* each side declares its own (MaxRecvDSL) */
	K_DIGEST,	/* list: CRC32C, None */
	K_AUTH,		/* list: CHAP, None, ... */
	K_SESSION_TYPE, /* initiator declares Discovery/Normal */
	K_INIT_DECL,	/* initiator declares a string, no answer */
	K_TGT_DECL,	/* only the target sends it */
	K_SEND_TARGETS, /* inquiry, answered by the caller */
	K_MARKER,	/* obsolete, answered No (RFC 7143 13.25) */
	K_MARKINT,	/* obsolete, Irrelevant since markers are No */
};

/* Where a key may appear (the "Use" of section 13). */
enum key_use {
	U_LO,  /* leading connection, login only */
	U_IO,  /* login only */
	U_ALL, /* login and full feature phase */
	U_FFP, /* full feature phase only */
	U_SEC, /* security negotiation stage only */
};

#define F_IRR_DISCOVERY 0x1 /* "Irrelevant when: SessionType=Discovery" */

struct key_row {
	const char *name;
	uint8_t kind;
	uint8_t use;
	uint8_t flags;
	uint32_t min, max, def;
};

#define NUM_MAX_DSL 16777215u

/* clang-format off */
static const struct key_row key_table[ISCSI_KEY_NR] = {
	[ISCSI_KEY_HEADER_DIGEST] = { "HeaderDigest", K_DIGEST, U_IO, 0, 0, 1, ISCSI_DIGEST_NONE },
	[ISCSI_KEY_DATA_DIGEST] = { "DataDigest", K_DIGEST, U_IO, 0, 0, 1, ISCSI_DIGEST_NONE },
	[ISCSI_KEY_MAX_CONNECTIONS] = { "MaxConnections", K_NUM_MIN, U_LO, F_IRR_DISCOVERY, 1, 65535, 1 },
	[ISCSI_KEY_SEND_TARGETS] = { "SendTargets", K_SEND_TARGETS, U_FFP, 0, 0, 0, 0 },
	[ISCSI_KEY_TARGET_NAME] = { "TargetName", K_INIT_DECL, U_IO, 0, 0, 0, 0 },
	[ISCSI_KEY_INITIATOR_NAME] = { "InitiatorName", K_INIT_DECL, U_IO, 0, 0, 0, 0 },
	[ISCSI_KEY_TARGET_ALIAS] = { "TargetAlias", K_TGT_DECL, U_ALL, 0, 0, 0, 0 },
	[ISCSI_KEY_INITIATOR_ALIAS] = { "InitiatorAlias", K_INIT_DECL, U_ALL, 0, 0, 0, 0 },
	[ISCSI_KEY_TARGET_ADDRESS] = { "TargetAddress", K_TGT_DECL, U_ALL, 0, 0, 0, 0 },
	[ISCSI_KEY_TARGET_PORTAL_GROUP_TAG] = { "TargetPortalGroupTag", K_TGT_DECL, U_IO, 0, 0, 65535, 1 },
	[ISCSI_KEY_INITIAL_R2T] = { "InitialR2T", K_BOOL_OR, U_LO, F_IRR_DISCOVERY, 0, 1, 1 },
	[ISCSI_KEY_IMMEDIATE_DATA] = { "ImmediateData", K_BOOL_AND, U_LO, F_IRR_DISCOVERY, 0, 1, 1 },
	[ISCSI_KEY_MAX_RECV_DSL] = { "MaxRecvDataSegmentLength", K_NUM_DECL, U_ALL, 0, 512, NUM_MAX_DSL, 8192 },
	[ISCSI_KEY_MAX_BURST_LENGTH] = { "MaxBurstLength", K_NUM_MIN, U_LO, F_IRR_DISCOVERY, 512, NUM_MAX_DSL, 262144 },
	[ISCSI_KEY_FIRST_BURST_LENGTH] = { "FirstBurstLength", K_NUM_MIN, U_LO, F_IRR_DISCOVERY, 512, NUM_MAX_DSL, 65536 },
	[ISCSI_KEY_DEFAULT_TIME2WAIT] = { "DefaultTime2Wait", K_NUM_MAX, U_LO, 0, 0, 3600, 2 },
	[ISCSI_KEY_DEFAULT_TIME2RETAIN] = { "DefaultTime2Retain", K_NUM_MIN, U_LO, 0, 0, 3600, 20 },
	[ISCSI_KEY_MAX_OUTSTANDING_R2T] = { "MaxOutstandingR2T", K_NUM_MIN, U_LO, F_IRR_DISCOVERY, 1, 65535, 1 },
	[ISCSI_KEY_DATA_PDU_IN_ORDER] = { "DataPDUInOrder", K_BOOL_OR, U_LO, F_IRR_DISCOVERY, 0, 1, 1 },
	[ISCSI_KEY_DATA_SEQUENCE_IN_ORDER] = { "DataSequenceInOrder", K_BOOL_OR, U_LO, F_IRR_DISCOVERY, 0, 1, 1 },
	[ISCSI_KEY_ERROR_RECOVERY_LEVEL] = { "ErrorRecoveryLevel", K_NUM_MIN, U_LO, 0, 0, 2, 0 },
	[ISCSI_KEY_SESSION_TYPE] = { "SessionType", K_SESSION_TYPE, U_LO, 0, 0, 1, ISCSI_SESSION_NORMAL },
	[ISCSI_KEY_AUTH_METHOD] = { "AuthMethod", K_AUTH, U_SEC, 0, 0, 1, ISCSI_AUTH_NONE },
	[ISCSI_KEY_OF_MARKER] = { "OFMarker", K_MARKER, U_IO, 0, 0, 1, 0 },
	[ISCSI_KEY_IF_MARKER] = { "IFMarker", K_MARKER, U_IO, 0, 0, 1, 0 },
	[ISCSI_KEY_OF_MARK_INT] = { "OFMarkInt", K_MARKINT, U_IO, 0, 1, 65535, 2048 },
	[ISCSI_KEY_IF_MARK_INT] = { "IFMarkInt", K_MARKINT, U_IO, 0, 1, 65535, 2048 },
};
/* clang-format on */

/* The values of the list keys, indexed by ISCSI_DIGEST_* / ISCSI_AUTH_*. */
static const char *const digest_names[] = {"None", "CRC32C"};
static const char *const auth_names[] = {"None", "CHAP"};
static const char *const session_names[] = {"Normal", "Discovery"};

const char *iscsi_key_name(enum iscsi_key k)
{
	if ((unsigned int)k >= ISCSI_KEY_NR)
		return "?";
	return key_table[k].name;
}

static bool span_is(const char *s, size_t len, const char *lit)
{
	return strlen(lit) == len && !memcmp(s, lit, len);
}

int iscsi_key_lookup(const char *name, size_t len)
{
	int k;

	for (k = 0; k < ISCSI_KEY_NR; k++)
		if (span_is(name, len, key_table[k].name))
			return k;
	return -1;
}

/* ------------------------------------------------------------ parsing ---- */

/* key-name characters (RFC 7143 6.1). */
static bool key_char_ok(unsigned char c)
{
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
	       (c >= '0' && c <= '9') || c == '.' || c == '-' || c == '+' ||
	       c == '@' || c == '_';
}

/* Values: UTF-8 text without control characters (aliases may hold
 * spaces); the per-key syntax is checked by the negotiation. */
static bool value_char_ok(unsigned char c)
{
	return c >= 0x20 && c != 0x7f;
}

static bool is_chap_key(const char *key, size_t len)
{
	return len > 5 && !memcmp(key, "CHAP_", 5);
}

static int parse_pair(const char *s, size_t len, struct iscsi_kv *kv)
{
	const char *eq = memchr(s, '=', len);
	size_t klen, vlen, i, vmax;

	if (!eq)
		return -EINVAL;
	klen = (size_t)(eq - s);
	vlen = len - klen - 1;
	if (!klen)
		return -EINVAL;
	if (klen > ISCSI_KEY_NAME_MAX)
		return -ENAMETOOLONG;
	for (i = 0; i < klen; i++)
		if (!key_char_ok((unsigned char)s[i]))
			return -EINVAL;
	vmax = is_chap_key(s, klen) ? ISCSI_CHAP_VALUE_MAX : ISCSI_VALUE_MAX;
	if (vlen > vmax)
		return -ENAMETOOLONG;
	for (i = 0; i < vlen; i++)
		if (!value_char_ok((unsigned char)eq[1 + i]))
			return -EINVAL;
	kv->key = s;
	kv->key_len = (uint32_t)klen;
	kv->value = eq + 1;
	kv->value_len = (uint32_t)vlen;
	return 0;
}

int iscsi_kv_parse(const char *data, size_t len, struct iscsi_kv_list *out)
{
	size_t pos = 0;
	unsigned int i;
	int ret;

	out->n = 0;
	while (pos < len) {
		const char *s = data + pos;
		const char *nul = memchr(s, '\0', len - pos);
		size_t plen;

		if (!nul)
			return -EINVAL; /* the last pair must end in NUL */
		plen = (size_t)(nul - s);
		pos += plen + 1;
		if (!plen)
			continue; /* padding or a stray NUL */
		if (out->n == ISCSI_KV_MAX)
			return -E2BIG;
		ret = parse_pair(s, plen, &out->kv[out->n]);
		if (ret)
			return ret;
		for (i = 0; i < out->n; i++)
			if (out->kv[i].key_len == out->kv[out->n].key_len &&
			    !memcmp(out->kv[i].key, s, out->kv[i].key_len))
				return -EEXIST;
		out->n++;
	}
	return 0;
}

const struct iscsi_kv *iscsi_kv_find(const struct iscsi_kv_list *l,
				     const char *key)
{
	unsigned int i;

	for (i = 0; i < l->n; i++)
		if (span_is(l->kv[i].key, l->kv[i].key_len, key))
			return &l->kv[i];
	return NULL;
}

/* ---------------------------------------------------- value syntax ---- */

/* numerical-value: decimal or 0x-hex (RFC 7143 6.1), within 32 bits. */
static bool parse_num(const char *s, size_t len, uint32_t *out)
{
	uint64_t v = 0;
	unsigned int base = 10;
	size_t i = 0;

	if (len > 2 && s[0] == '0' && (s[1] == 'x' || s[1] == 'X')) {
		base = 16;
		i = 2;
	}
	if (i == len || len - i > 20)
		return false;
	for (; i < len; i++) {
		char c = s[i];
		unsigned int d;

		if (c >= '0' && c <= '9')
			d = (unsigned int)(c - '0');
		else if (base == 16 && c >= 'a' && c <= 'f')
			d = (unsigned int)(c - 'a' + 10);
		else if (base == 16 && c >= 'A' && c <= 'F')
			d = (unsigned int)(c - 'A' + 10);
		else
			return false;
		v = v * base + d;
		if (v > UINT32_MAX)
			return false;
	}
	*out = (uint32_t)v;
	return true;
}

static int parse_bool(const char *s, size_t len)
{
	if (span_is(s, len, "Yes"))
		return 1;
	if (span_is(s, len, "No"))
		return 0;
	return -1;
}

/*
 * The first item of the comma-separated @s that names an entry of @names
 * allowed by @mask; -1 if none, -2 if the list is malformed.
 */
static int pick_from_list(const char *s, size_t len, const char *const *names,
			  unsigned int nnames, uint32_t mask)
{
	size_t pos = 0;
	int pick = -1;

	for (;;) {
		const char *item = s + pos;
		const char *comma = memchr(item, ',', len - pos);
		size_t ilen = comma ? (size_t)(comma - item) : len - pos;
		unsigned int i, j;

		if (!ilen)
			return -2; /* empty item */
		for (j = 0; j < ilen; j++)
			if (!key_char_ok((unsigned char)item[j]))
				return -2;
		for (i = 0; pick < 0 && i < nnames; i++)
			if ((mask & (1u << i)) && span_is(item, ilen, names[i]))
				pick = (int)i;
		if (!comma)
			return pick;
		pos += ilen + 1;
	}
}

/* ------------------------------------------------------------ output ---- */

static int emit(char *out, size_t cap, size_t *out_len, const char *key,
		size_t klen, const char *value)
{
	size_t vlen = strlen(value);
	size_t need = klen + 1 + vlen + 1;

	if (*out_len > cap || cap - *out_len < need)
		return -ENOSPC;
	memcpy(out + *out_len, key, klen);
	out[*out_len + klen] = '=';
	memcpy(out + *out_len + klen + 1, value, vlen);
	out[*out_len + klen + 1 + vlen] = '\0';
	*out_len += need;
	return 0;
}

static const char *u32_str(uint32_t v, char *buf)
{
	char tmp[11];
	int n = 0, i = 0;

	do {
		tmp[n++] = (char)('0' + v % 10);
		v /= 10;
	} while (v);
	while (n)
		buf[i++] = tmp[--n];
	buf[i] = '\0';
	return buf;
}

static int emit_key(char *out, size_t cap, size_t *out_len, enum iscsi_key k,
		    const char *value)
{
	return emit(out, cap, out_len, key_table[k].name,
		    strlen(key_table[k].name), value);
}

/* -------------------------------------------------------- negotiation ---- */

void iscsi_tgt_params_default(struct iscsi_tgt_params *tp)
{
	int k;

	memset(tp, 0, sizeof(*tp));
	for (k = 0; k < ISCSI_KEY_NR; k++)
		tp->val[k] = key_table[k].def;
	tp->hdigest_mask = 1u << ISCSI_DIGEST_NONE;
	tp->ddigest_mask = 1u << ISCSI_DIGEST_NONE;
	tp->auth_mask = 1u << ISCSI_AUTH_NONE;
}

void iscsi_neg_init(struct iscsi_negotiation *neg,
		    const struct iscsi_tgt_params *tgt, bool leading)
{
	int k;

	memset(neg, 0, sizeof(*neg));
	neg->tgt = tgt;
	neg->leading = leading;
	for (k = 0; k < ISCSI_KEY_NR; k++)
		neg->val[k] = key_table[k].def;
}

static bool use_ok(const struct iscsi_negotiation *neg, const struct key_row *r,
		   enum iscsi_neg_stage stage)
{
	switch (r->use) {
	case U_LO:
		return stage != ISCSI_NEG_FULL_FEATURE && neg->leading;
	case U_IO:
		return stage != ISCSI_NEG_FULL_FEATURE;
	case U_FFP:
		return stage == ISCSI_NEG_FULL_FEATURE;
	case U_SEC:
		return stage == ISCSI_NEG_SECURITY;
	default:
		return true;
	}
}

static void copy_value(char *dst, const struct iscsi_kv *kv)
{
	/* Values of non-CHAP keys are at most ISCSI_VALUE_MAX bytes. */
	size_t n =
	    kv->value_len > ISCSI_VALUE_MAX ? ISCSI_VALUE_MAX : kv->value_len;

	memcpy(dst, kv->value, n);
	dst[n] = '\0';
}

/* The answer to one offer, or NULL for none; applies the result. */
static const char *answer(struct iscsi_negotiation *neg, enum iscsi_key k,
			  const struct iscsi_kv *kv, char *num)
{
	const struct key_row *r = &key_table[k];
	const struct iscsi_tgt_params *tp = neg->tgt;
	uint32_t v, ours = tp->val[k];
	int b, pick;

	switch (r->kind) {
	case K_BOOL_AND:
	case K_BOOL_OR:
		b = parse_bool(kv->value, kv->value_len);
		if (b < 0)
			return "Reject";
		v = r->kind == K_BOOL_AND ? (b && ours) : (b || ours);
		neg->val[k] = v;
		return v ? "Yes" : "No";
	case K_NUM_MIN:
	case K_NUM_MAX:
		if (!parse_num(kv->value, kv->value_len, &v) || v < r->min ||
		    v > r->max)
			return "Reject";
		if (r->kind == K_NUM_MIN)
			v = v < ours ? v : ours;
		else
			v = v > ours ? v : ours;
		if (k == ISCSI_KEY_FIRST_BURST_LENGTH &&
		    v > neg->val[ISCSI_KEY_MAX_BURST_LENGTH])
			v = neg->val[ISCSI_KEY_MAX_BURST_LENGTH];
		neg->val[k] = v;
		return u32_str(v, num);
	case K_NUM_DECL:
		if (!parse_num(kv->value, kv->value_len, &v) || v < r->min ||
		    v > r->max)
			return "Reject";
		neg->val[k] = v;
		return NULL;
	case K_DIGEST:
		pick = pick_from_list(kv->value, kv->value_len, digest_names, 2,
				      k == ISCSI_KEY_HEADER_DIGEST
					  ? tp->hdigest_mask
					  : tp->ddigest_mask);
		if (pick < 0)
			return "Reject";
		neg->val[k] = (uint32_t)pick;
		return digest_names[pick];
	case K_AUTH:
		pick = pick_from_list(kv->value, kv->value_len, auth_names, 2,
				      tp->auth_mask);
		if (pick < 0)
			return "Reject";
		neg->val[k] = (uint32_t)pick;
		return auth_names[pick];
	case K_SESSION_TYPE:
		/* Applied in the first pass. */
		return NULL;
	case K_INIT_DECL:
		if (!kv->value_len ||
		    (k != ISCSI_KEY_INITIATOR_ALIAS && kv->value_len > 223))
			return "Reject"; /* iSCSI names: 223 bytes */
		copy_value(k == ISCSI_KEY_TARGET_NAME ? neg->target_name
			   : k == ISCSI_KEY_INITIATOR_NAME
			       ? neg->initiator_name
			       : neg->initiator_alias,
			   kv);
		return NULL;
	case K_SEND_TARGETS:
		copy_value(neg->send_targets, kv);
		neg->send_targets_asked = true;
		return NULL;
	case K_MARKER:
		return parse_bool(kv->value, kv->value_len) < 0 ? "Reject"
								: "No";
	case K_MARKINT:
		return "Irrelevant";
	case K_TGT_DECL:
	default:
		return "Reject"; /* only the target sends these */
	}
}

static bool is_discovery(const struct iscsi_negotiation *neg)
{
	return neg->val[ISCSI_KEY_SESSION_TYPE] == ISCSI_SESSION_DISCOVERY;
}

static int negotiate_one(struct iscsi_negotiation *neg,
			 enum iscsi_neg_stage stage, const struct iscsi_kv *kv,
			 char *out, size_t cap, size_t *out_len)
{
	int k = iscsi_key_lookup(kv->key, kv->key_len);
	const char *ans;
	char num[12];

	if (k < 0) {
		if (is_chap_key(kv->key, kv->key_len))
			return 0; /* the authenticator's business */
		return emit(out, cap, out_len, kv->key, kv->key_len,
			    "NotUnderstood");
	}
	if (key_table[k].use == U_LO && !neg->leading &&
	    stage != ISCSI_NEG_FULL_FEATURE)
		/*
		 * RFC 7143 13: a leading-only key is carried on the leading
		 * login only and "cannot be changed after" it, so on the
		 * login of another connection of the session its offer has
		 * no bearing: the session keeps its value, and the answer
		 * for a key that does not apply is Irrelevant (6.2). Not
		 * Reject (which would mean another value might do), nor a
		 * failed login (an initiator repeating the session's values
		 * is harmless). SessionType is declared, never answered.
		 */
		ans = key_table[k].kind == K_SESSION_TYPE ? NULL : "Irrelevant";
	else if (!use_ok(neg, &key_table[k], stage))
		ans = "Reject";
	else if ((key_table[k].flags & F_IRR_DISCOVERY) && is_discovery(neg))
		ans = "Irrelevant";
	else if (k == ISCSI_KEY_FIRST_BURST_LENGTH &&
		 neg->val[ISCSI_KEY_INITIAL_R2T] &&
		 !neg->val[ISCSI_KEY_IMMEDIATE_DATA])
		ans = "Irrelevant"; /* RFC 7143 13.14 */
	else
		ans = answer(neg, (enum iscsi_key)k, kv, num);
	return ans ? emit_key(out, cap, out_len, (enum iscsi_key)k, ans) : 0;
}

/* Whether the answer (from @start) already holds @k, e.g. a Reject of an
 * initiator's TargetAlias: a key appears once per response. */
static bool answered(const char *out, size_t start, size_t len,
		     enum iscsi_key k)
{
	size_t klen = strlen(key_table[k].name);

	while (start < len) {
		size_t plen = strlen(out + start);

		if (plen > klen && out[start + klen] == '=' &&
		    !memcmp(out + start, key_table[k].name, klen))
			return true;
		start += plen + 1;
	}
	return false;
}

/* The target's own declarations, each once per negotiation. */
static int declare(struct iscsi_negotiation *neg, enum iscsi_neg_stage stage,
		   char *out, size_t cap, size_t *out_len, size_t start)
{
	const struct iscsi_tgt_params *tp = neg->tgt;
	char num[12];
	int ret = 0;

	if (stage == ISCSI_NEG_FULL_FEATURE)
		return 0;
	if (answered(out, start, *out_len, ISCSI_KEY_TARGET_PORTAL_GROUP_TAG))
		neg->declared |= 1ull << ISCSI_KEY_TARGET_PORTAL_GROUP_TAG;
	if (answered(out, start, *out_len, ISCSI_KEY_TARGET_ALIAS))
		neg->declared |= 1ull << ISCSI_KEY_TARGET_ALIAS;
	if (!is_discovery(neg) &&
	    !(neg->declared & (1ull << ISCSI_KEY_TARGET_PORTAL_GROUP_TAG))) {
		neg->declared |= 1ull << ISCSI_KEY_TARGET_PORTAL_GROUP_TAG;
		ret = emit_key(
		    out, cap, out_len, ISCSI_KEY_TARGET_PORTAL_GROUP_TAG,
		    u32_str(tp->val[ISCSI_KEY_TARGET_PORTAL_GROUP_TAG], num));
	}
	if (!ret && !is_discovery(neg) && tp->target_alias &&
	    tp->target_alias[0] &&
	    !(neg->declared & (1ull << ISCSI_KEY_TARGET_ALIAS))) {
		neg->declared |= 1ull << ISCSI_KEY_TARGET_ALIAS;
		ret = emit_key(out, cap, out_len, ISCSI_KEY_TARGET_ALIAS,
			       tp->target_alias);
	}
	/* After a Reject of the initiator's value, declared with a later
	 * answer. */
	if (!ret && stage == ISCSI_NEG_OPERATIONAL &&
	    !answered(out, start, *out_len, ISCSI_KEY_MAX_RECV_DSL) &&
	    !(neg->declared & (1ull << ISCSI_KEY_MAX_RECV_DSL))) {
		neg->declared |= 1ull << ISCSI_KEY_MAX_RECV_DSL;
		ret = emit_key(out, cap, out_len, ISCSI_KEY_MAX_RECV_DSL,
			       u32_str(tp->val[ISCSI_KEY_MAX_RECV_DSL], num));
	}
	return ret;
}

int iscsi_params_negotiate(struct iscsi_negotiation *neg,
			   enum iscsi_neg_stage stage,
			   const struct iscsi_kv_list *offers, char *out,
			   size_t cap, size_t *out_len)
{
	const struct iscsi_kv *fbl = NULL;
	size_t start = *out_len;
	unsigned int i;
	int k, ret = 0;

	/* Pass 1: duplicates across the negotiation (RFC 7143 6.2), and
	 * the session type, which decides what is irrelevant. */
	for (i = 0; i < offers->n; i++) {
		const struct iscsi_kv *kv = &offers->kv[i];

		k = iscsi_key_lookup(kv->key, kv->key_len);
		if (k < 0)
			continue;
		if (neg->seen & (1ull << k))
			return -EPROTO;
		neg->seen |= 1ull << k;
		if (k == ISCSI_KEY_SESSION_TYPE &&
		    use_ok(neg, &key_table[k], stage)) {
			if (span_is(kv->value, kv->value_len,
				    session_names[ISCSI_SESSION_DISCOVERY]))
				neg->val[k] = ISCSI_SESSION_DISCOVERY;
			else if (!span_is(kv->value, kv->value_len,
					  session_names[ISCSI_SESSION_NORMAL]))
				ret =
				    emit_key(out, cap, out_len,
					     ISCSI_KEY_SESSION_TYPE, "Reject");
			if (ret)
				return ret;
		}
	}
	/* Pass 2: every offer; FirstBurstLength last, as it depends on
	 * InitialR2T, ImmediateData and MaxBurstLength. */
	for (i = 0; i < offers->n && !ret; i++) {
		const struct iscsi_kv *kv = &offers->kv[i];

		k = iscsi_key_lookup(kv->key, kv->key_len);
		if (k == ISCSI_KEY_FIRST_BURST_LENGTH) {
			fbl = kv;
			continue;
		}
		ret = negotiate_one(neg, stage, kv, out, cap, out_len);
	}
	if (!ret && fbl)
		ret = negotiate_one(neg, stage, fbl, out, cap, out_len);
	if (!ret)
		ret = declare(neg, stage, out, cap, out_len, start);
	return ret;
}
