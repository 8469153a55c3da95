// SPDX-License-Identifier: GPL-2.0-only
/*
 * Unit tests of the iSCSI key parser and negotiation
 * (iscsi-scst/iscsi_params.c).
 */
#include <errno.h>
#include <stdint.h>
#include <string.h>

#include <kunit/test.h>

#include "iscsi-scst/iscsi_params.h"

/* A data segment from a literal with embedded NULs. */
#define SEG(s) (s), sizeof(s) - 1

struct neg_ctx {
	struct iscsi_tgt_params tp;
	struct iscsi_negotiation neg;
	struct iscsi_kv_list offers;
	struct iscsi_kv_list ans;
	char out[1024];
	size_t out_len;
};

static struct neg_ctx *ctx_new(struct kunit *test)
{
	struct neg_ctx *c = kunit_kzalloc(test, sizeof(*c), GFP_KERNEL);

	KUNIT_ASSERT_NOT_NULL(test, c);
	iscsi_tgt_params_default(&c->tp);
	iscsi_neg_init(&c->neg, &c->tp, true);
	return c;
}

/* Negotiate @data in @stage; parse the answer into c->ans. */
static int run(struct kunit *test, struct neg_ctx *c,
	       enum iscsi_neg_stage stage, const char *data, size_t len)
{
	int ret;

	KUNIT_ASSERT_EQ(test, iscsi_kv_parse(data, len, &c->offers), 0);
	c->out_len = 0;
	ret = iscsi_params_negotiate(&c->neg, stage, &c->offers, c->out,
				     sizeof(c->out), &c->out_len);
	if (!ret)
		KUNIT_EXPECT_EQ(test,
				iscsi_kv_parse(c->out, c->out_len, &c->ans), 0);
	return ret;
}

/* The answer for @key, as a NUL-terminated string in @buf, or "". */
static const char *ans(struct neg_ctx *c, const char *key, char *buf)
{
	const struct iscsi_kv *kv = iscsi_kv_find(&c->ans, key);

	buf[0] = '\0';
	if (kv) {
		memcpy(buf, kv->value, kv->value_len);
		buf[kv->value_len] = '\0';
	}
	return buf;
}

/* ------------------------------------------------------------ parsing ---- */

static void kv_parse_good(struct kunit *test)
{
	struct iscsi_kv_list l;

	KUNIT_ASSERT_EQ(test,
			iscsi_kv_parse(SEG("InitiatorName=iqn.2024-01.x:y\0"
					   "SessionType=Normal\0"
					   "InitiatorAlias=my host\0\0\0"),
				       &l),
			0);
	KUNIT_EXPECT_EQ(test, l.n, 3u);
	KUNIT_EXPECT_NOT_NULL(test, iscsi_kv_find(&l, "SessionType"));
	KUNIT_EXPECT_NULL(test, iscsi_kv_find(&l, "Session"));
	KUNIT_EXPECT_EQ(test, iscsi_kv_parse("", 0, &l), 0);
	KUNIT_EXPECT_EQ(test, l.n, 0u);
	/* An empty value is allowed by the syntax. */
	KUNIT_EXPECT_EQ(test, iscsi_kv_parse(SEG("SendTargets=\0"), &l), 0);
}

static void kv_parse_malformed(struct kunit *test)
{
	struct iscsi_kv_list l;
	char big[400];

	KUNIT_EXPECT_EQ(test, iscsi_kv_parse(SEG("NoEquals\0"), &l), -EINVAL);
	KUNIT_EXPECT_EQ(test, iscsi_kv_parse(SEG("=value\0"), &l), -EINVAL);
	KUNIT_EXPECT_EQ(test, iscsi_kv_parse(SEG("A=1\0B=2"), &l), -EINVAL);
	KUNIT_EXPECT_EQ(test, iscsi_kv_parse(SEG("Bad Key=1\0"), &l), -EINVAL);
	KUNIT_EXPECT_EQ(test, iscsi_kv_parse(SEG("K=a\x01z\0"), &l), -EINVAL);
	KUNIT_EXPECT_EQ(test, iscsi_kv_parse(SEG("A=1\0B=2\0A=3\0"), &l),
			-EEXIST);
	/* Key of 63 bytes is fine, 64 is not. */
	memset(big, 'K', 63);
	memcpy(big + 63, "=1", 3);
	KUNIT_EXPECT_EQ(test, iscsi_kv_parse(big, 66, &l), 0);
	memset(big, 'K', 64);
	memcpy(big + 64, "=1", 3);
	KUNIT_EXPECT_EQ(test, iscsi_kv_parse(big, 67, &l), -ENAMETOOLONG);
	/* Value of 255 bytes is fine, 256 is not (except CHAP_*). */
	memcpy(big, "K=", 2);
	memset(big + 2, 'v', 256);
	big[2 + 255] = '\0';
	KUNIT_EXPECT_EQ(test, iscsi_kv_parse(big, 2 + 256, &l), 0);
	big[2 + 255] = 'v';
	big[2 + 256] = '\0';
	KUNIT_EXPECT_EQ(test, iscsi_kv_parse(big, 2 + 257, &l), -ENAMETOOLONG);
	memcpy(big, "CHAP_C=", 7);
	memset(big + 7, 'a', 300);
	big[307] = '\0';
	KUNIT_EXPECT_EQ(test, iscsi_kv_parse(big, 308, &l), 0);
}

static void kv_parse_too_many(struct kunit *test)
{
	struct iscsi_kv_list *l = kunit_kzalloc(test, sizeof(*l), GFP_KERNEL);
	char *buf = kunit_kzalloc(test, 4096, GFP_KERNEL);
	size_t len = 0;
	unsigned int i;

	KUNIT_ASSERT_NOT_NULL(test, l);
	KUNIT_ASSERT_NOT_NULL(test, buf);
	for (i = 0; i <= ISCSI_KV_MAX; i++) {
		buf[len++] = 'K';
		buf[len++] = (char)('A' + i / 26 % 26);
		buf[len++] = (char)('a' + i % 26);
		buf[len++] = '=';
		buf[len++] = '1';
		buf[len++] = '\0';
	}
	KUNIT_EXPECT_EQ(test, iscsi_kv_parse(buf, len, l), -E2BIG);
	KUNIT_EXPECT_EQ(test, iscsi_kv_parse(buf, len - 6, l), 0);
}

/* -------------------------------------------------------- negotiation ---- */

static void neg_operational_normal(struct kunit *test)
{
	struct neg_ctx *c = ctx_new(test);
	char b[300];

	c->tp.val[ISCSI_KEY_MAX_RECV_DSL] = 262144;
	c->tp.val[ISCSI_KEY_MAX_BURST_LENGTH] = 1048576;
	c->tp.val[ISCSI_KEY_TARGET_PORTAL_GROUP_TAG] = 7;
	c->tp.hdigest_mask = 3;
	c->tp.target_alias = "disk one";
	KUNIT_ASSERT_EQ(test,
			run(test, c, ISCSI_NEG_OPERATIONAL,
			    SEG("HeaderDigest=CRC32C,None\0"
				"DataDigest=CRC32C,None\0"
				"InitialR2T=No\0ImmediateData=Yes\0"
				"MaxRecvDataSegmentLength=65536\0"
				"MaxBurstLength=16776192\0"
				"FirstBurstLength=262144\0"
				"DefaultTime2Wait=0\0DefaultTime2Retain=60\0"
				"MaxOutstandingR2T=8\0DataPDUInOrder=No\0"
				"DataSequenceInOrder=Yes\0"
				"ErrorRecoveryLevel=2\0MaxConnections=4\0"
				"IFMarker=No\0OFMarker=Yes\0"
				"OFMarkInt=2048~8192\0X-com.example.Foo=1\0")),
			0);
	KUNIT_EXPECT_STREQ(test, ans(c, "HeaderDigest", b), "CRC32C");
	KUNIT_EXPECT_STREQ(test, ans(c, "DataDigest", b), "None");
	KUNIT_EXPECT_STREQ(test, ans(c, "InitialR2T", b), "Yes");    /* OR */
	KUNIT_EXPECT_STREQ(test, ans(c, "ImmediateData", b), "Yes"); /* AND */
	KUNIT_EXPECT_STREQ(test, ans(c, "MaxBurstLength", b), "1048576");
	KUNIT_EXPECT_STREQ(test, ans(c, "FirstBurstLength", b), "65536");
	KUNIT_EXPECT_STREQ(test, ans(c, "DefaultTime2Wait", b), "2"); /* max */
	KUNIT_EXPECT_STREQ(test, ans(c, "DefaultTime2Retain", b), "20");
	KUNIT_EXPECT_STREQ(test, ans(c, "MaxOutstandingR2T", b), "1");
	KUNIT_EXPECT_STREQ(test, ans(c, "DataPDUInOrder", b), "Yes");
	KUNIT_EXPECT_STREQ(test, ans(c, "ErrorRecoveryLevel", b), "0");
	KUNIT_EXPECT_STREQ(test, ans(c, "MaxConnections", b), "1");
	KUNIT_EXPECT_STREQ(test, ans(c, "IFMarker", b), "No");
	KUNIT_EXPECT_STREQ(test, ans(c, "OFMarker", b), "No");
	KUNIT_EXPECT_STREQ(test, ans(c, "OFMarkInt", b), "Irrelevant");
	KUNIT_EXPECT_STREQ(test, ans(c, "X-com.example.Foo", b),
			   "NotUnderstood");
	/* Declarations: ours, not an echo of the initiator's. */
	KUNIT_EXPECT_STREQ(test, ans(c, "MaxRecvDataSegmentLength", b),
			   "262144");
	KUNIT_EXPECT_STREQ(test, ans(c, "TargetPortalGroupTag", b), "7");
	KUNIT_EXPECT_STREQ(test, ans(c, "TargetAlias", b), "disk one");
	KUNIT_EXPECT_EQ(test, c->neg.val[ISCSI_KEY_MAX_RECV_DSL], 65536u);
	KUNIT_EXPECT_EQ(test, c->neg.val[ISCSI_KEY_HEADER_DIGEST],
			(uint32_t)ISCSI_DIGEST_CRC32C);
	/* The same key again in this negotiation: protocol error. */
	KUNIT_EXPECT_EQ(
	    test,
	    run(test, c, ISCSI_NEG_OPERATIONAL, SEG("MaxBurstLength=512\0")),
	    -EPROTO);
}

static void neg_numeric_boundaries(struct kunit *test)
{
	static const struct {
		const char *seg;
		size_t len;
		const char *key, *want;
	} cases[] = {
	    {SEG("MaxBurstLength=511\0"), "MaxBurstLength", "Reject"},
	    {SEG("MaxBurstLength=512\0"), "MaxBurstLength", "512"},
	    {SEG("MaxBurstLength=16777216\0"), "MaxBurstLength", "Reject"},
	    {SEG("MaxBurstLength=0x200\0"), "MaxBurstLength", "512"},
	    {SEG("MaxBurstLength=-1\0"), "MaxBurstLength", "Reject"},
	    {SEG("MaxBurstLength=99999999999\0"), "MaxBurstLength", "Reject"},
	    {SEG("MaxBurstLength=\0"), "MaxBurstLength", "Reject"},
	    {SEG("DefaultTime2Wait=3600\0"), "DefaultTime2Wait", "3600"},
	    {SEG("DefaultTime2Wait=3601\0"), "DefaultTime2Wait", "Reject"},
	    {SEG("DefaultTime2Retain=0\0"), "DefaultTime2Retain", "0"},
	    {SEG("ErrorRecoveryLevel=3\0"), "ErrorRecoveryLevel", "Reject"},
	    {SEG("MaxOutstandingR2T=0\0"), "MaxOutstandingR2T", "Reject"},
	    {SEG("MaxConnections=65536\0"), "MaxConnections", "Reject"},
	    {SEG("InitialR2T=yes\0"), "InitialR2T", "Reject"},
	    {SEG("ImmediateData=No\0"), "ImmediateData", "No"},
	    {SEG("DataSequenceInOrder=No\0"), "DataSequenceInOrder", "Yes"},
	    {SEG("HeaderDigest=MD5\0"), "HeaderDigest", "Reject"},
	    {SEG("HeaderDigest=CRC32C\0"), "HeaderDigest", "Reject"},
	    {SEG("DataDigest=MD5,None\0"), "DataDigest", "None"},
	    {SEG("DataDigest=None,,CRC32C\0"), "DataDigest", "Reject"},
	    {SEG("IFMarker=Maybe\0"), "IFMarker", "Reject"},
	    {SEG("TargetAlias=x\0"), "TargetAlias", "Reject"},
	    {SEG("SendTargets=All\0"), "SendTargets", "Reject"},
	    {SEG("AuthMethod=None\0"), "AuthMethod", "Reject"},
	    {SEG("SessionType=Bogus\0"), "SessionType", "Reject"},
	};
	unsigned int i;
	char b[300];

	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		struct neg_ctx *c = ctx_new(test);

		KUNIT_ASSERT_EQ(test,
				run(test, c, ISCSI_NEG_OPERATIONAL,
				    cases[i].seg, cases[i].len),
				0);
		KUNIT_EXPECT_STREQ_MSG(test, ans(c, cases[i].key, b),
				       cases[i].want, "case %u", i);
	}
}

static void neg_first_burst(struct kunit *test)
{
	struct neg_ctx *c = ctx_new(test);
	char b[300];

	/* FirstBurstLength never exceeds MaxBurstLength (RFC 7143 13.14). */
	c->tp.val[ISCSI_KEY_FIRST_BURST_LENGTH] = 1048576;
	c->tp.val[ISCSI_KEY_MAX_BURST_LENGTH] = 1048576;
	KUNIT_ASSERT_EQ(test,
			run(test, c, ISCSI_NEG_OPERATIONAL,
			    SEG("FirstBurstLength=262144\0"
				"MaxBurstLength=131072\0")),
			0);
	KUNIT_EXPECT_STREQ(test, ans(c, "MaxBurstLength", b), "131072");
	KUNIT_EXPECT_STREQ(test, ans(c, "FirstBurstLength", b), "131072");

	/* Irrelevant when InitialR2T=Yes and ImmediateData=No. */
	c = ctx_new(test);
	KUNIT_ASSERT_EQ(test,
			run(test, c, ISCSI_NEG_OPERATIONAL,
			    SEG("FirstBurstLength=4096\0ImmediateData=No\0")),
			0);
	KUNIT_EXPECT_STREQ(test, ans(c, "FirstBurstLength", b), "Irrelevant");
}

static void neg_discovery(struct kunit *test)
{
	struct neg_ctx *c = ctx_new(test);
	char b[300];

	KUNIT_ASSERT_EQ(test,
			run(test, c, ISCSI_NEG_SECURITY,
			    SEG("InitiatorName=iqn.1993-08.org.debian:01:abc\0"
				"SessionType=Discovery\0AuthMethod=CHAP,None\0"
				"CHAP_A=5\0")),
			0);
	KUNIT_EXPECT_STREQ(test, ans(c, "AuthMethod", b), "None");
	KUNIT_EXPECT_NULL(test, iscsi_kv_find(&c->ans, "SessionType"));
	KUNIT_EXPECT_NULL(test, iscsi_kv_find(&c->ans, "CHAP_A"));
	KUNIT_EXPECT_NULL(test, iscsi_kv_find(&c->ans, "TargetPortalGroupTag"));
	KUNIT_EXPECT_STREQ(test, c->neg.initiator_name,
			   "iqn.1993-08.org.debian:01:abc");
	KUNIT_EXPECT_EQ(test, c->neg.val[ISCSI_KEY_SESSION_TYPE],
			(uint32_t)ISCSI_SESSION_DISCOVERY);
	KUNIT_ASSERT_EQ(
	    test,
	    run(test, c, ISCSI_NEG_OPERATIONAL,
		SEG("HeaderDigest=None\0MaxBurstLength=262144\0"
		    "InitialR2T=No\0MaxRecvDataSegmentLength=32768\0")),
	    0);
	KUNIT_EXPECT_STREQ(test, ans(c, "HeaderDigest", b), "None");
	KUNIT_EXPECT_STREQ(test, ans(c, "MaxBurstLength", b), "Irrelevant");
	KUNIT_EXPECT_STREQ(test, ans(c, "InitialR2T", b), "Irrelevant");
	KUNIT_EXPECT_STREQ(test, ans(c, "MaxRecvDataSegmentLength", b), "8192");

	/* Text in the full feature phase: SendTargets is left to the caller;
	 * leading-only keys are rejected there. A new text negotiation
	 * starts with a clear "seen" set. */
	c->neg.seen = 0;
	KUNIT_ASSERT_EQ(test,
			run(test, c, ISCSI_NEG_FULL_FEATURE,
			    SEG("SendTargets=All\0MaxBurstLength=512\0"
				"MaxRecvDataSegmentLength=4096\0")),
			0);
	KUNIT_EXPECT_TRUE(test, c->neg.send_targets_asked);
	KUNIT_EXPECT_STREQ(test, c->neg.send_targets, "All");
	KUNIT_EXPECT_NULL(test, iscsi_kv_find(&c->ans, "SendTargets"));
	KUNIT_EXPECT_STREQ(test, ans(c, "MaxBurstLength", b), "Reject");
	KUNIT_EXPECT_EQ(test, c->neg.val[ISCSI_KEY_MAX_RECV_DSL], 4096u);
}

static void neg_non_leading_and_auth(struct kunit *test)
{
	struct neg_ctx *c = ctx_new(test);
	char b[300];

	iscsi_neg_init(&c->neg, &c->tp, false);
	KUNIT_ASSERT_EQ(test,
			run(test, c, ISCSI_NEG_OPERATIONAL,
			    SEG("MaxConnections=2\0HeaderDigest=None\0"
				"InitialR2T=Yes\0SessionType=Normal\0"
				"MaxRecvDataSegmentLength=4096\0")),
			0);
	/* Leading-only keys on another connection's login: Irrelevant (RFC
	 * 7143 13, 6.2), the session's values untouched; SessionType is not
	 * answered; the connection's own keys are negotiated. */
	KUNIT_EXPECT_STREQ(test, ans(c, "MaxConnections", b), "Irrelevant");
	KUNIT_EXPECT_STREQ(test, ans(c, "InitialR2T", b), "Irrelevant");
	KUNIT_EXPECT_NULL(test, iscsi_kv_find(&c->ans, "SessionType"));
	KUNIT_EXPECT_EQ(test, c->neg.val[ISCSI_KEY_MAX_CONNECTIONS], 1u);
	KUNIT_EXPECT_STREQ(test, ans(c, "HeaderDigest", b), "None");
	KUNIT_EXPECT_EQ(test, c->neg.val[ISCSI_KEY_MAX_RECV_DSL], 4096u);

	c = ctx_new(test);
	c->tp.auth_mask = 1u << ISCSI_AUTH_CHAP;
	KUNIT_ASSERT_EQ(test,
			run(test, c, ISCSI_NEG_SECURITY,
			    SEG("AuthMethod=KRB5,CHAP,None\0")),
			0);
	KUNIT_EXPECT_STREQ(test, ans(c, "AuthMethod", b), "CHAP");
	c = ctx_new(test);
	c->tp.auth_mask = 1u << ISCSI_AUTH_CHAP;
	KUNIT_ASSERT_EQ(
	    test, run(test, c, ISCSI_NEG_SECURITY, SEG("AuthMethod=None\0")),
	    0);
	KUNIT_EXPECT_STREQ(test, ans(c, "AuthMethod", b), "Reject");
}

static void neg_output_bounded(struct kunit *test)
{
	struct neg_ctx *c = ctx_new(test);
	size_t cap;

	KUNIT_ASSERT_EQ(
	    test,
	    iscsi_kv_parse(SEG("X-a=1\0X-b=2\0ImmediateData=No\0"), &c->offers),
	    0);
	for (cap = 0; cap < 60; cap++) {
		int ret;

		iscsi_neg_init(&c->neg, &c->tp, true);
		memset(c->out, 0x5a, sizeof(c->out));
		c->out_len = 0;
		ret = iscsi_params_negotiate(&c->neg, ISCSI_NEG_SECURITY,
					     &c->offers, c->out, cap,
					     &c->out_len);
		KUNIT_EXPECT_LE(test, c->out_len, cap);
		KUNIT_EXPECT_EQ(test, (uint8_t)c->out[cap], 0x5a);
		if (ret)
			KUNIT_EXPECT_EQ(test, ret, -ENOSPC);
		else
			KUNIT_EXPECT_EQ(
			    test, iscsi_kv_parse(c->out, c->out_len, &c->ans),
			    0);
	}
	KUNIT_EXPECT_STREQ(test, iscsi_key_name(ISCSI_KEY_MAX_BURST_LENGTH),
			   "MaxBurstLength");
	KUNIT_EXPECT_EQ(test, iscsi_key_lookup("DataDigest", 10),
			ISCSI_KEY_DATA_DIGEST);
	KUNIT_EXPECT_EQ(test, iscsi_key_lookup("DataDigestX", 11), -1);
}

static struct kunit_case iscsi_params_cases[] = {
    KUNIT_CASE(kv_parse_good),		KUNIT_CASE(kv_parse_malformed),
    KUNIT_CASE(kv_parse_too_many),	KUNIT_CASE(neg_operational_normal),
    KUNIT_CASE(neg_numeric_boundaries), KUNIT_CASE(neg_first_burst),
    KUNIT_CASE(neg_discovery),		KUNIT_CASE(neg_non_leading_and_auth),
    KUNIT_CASE(neg_output_bounded),	{}};

static struct kunit_suite iscsi_params_suite = {
    .name = "iscsi_params",
    .test_cases = iscsi_params_cases,
};
kunit_test_suite(iscsi_params_suite);
