// SPDX-License-Identifier: GPL-2.0-only
/*
 * Unit tests of the pure parts of the iscsi target's access control
 * (iscsi-scst/iscsi_acl.c): allowed_portal patterns, the redirect value,
 * portal addresses and the per_portal_acl name.
 */
#include <errno.h>
#include <string.h>

#include <kunit/test.h>

#include "iscsi-scst/iscsi_priv.h"

static void portal_match_patterns(struct kunit *test)
{
	KUNIT_EXPECT_TRUE(test,
			  iscsi_portal_match("10.170.77.2", "10.170.77.2"));
	KUNIT_EXPECT_FALSE(test,
			   iscsi_portal_match("10.170.77.2", "10.170.77.21"));
	KUNIT_EXPECT_FALSE(test,
			   iscsi_portal_match("10.170.77.2", "10.170.77."));
	/* The README's examples. */
	KUNIT_EXPECT_TRUE(test,
			  iscsi_portal_match("10.170.7?.*", "10.170.77.2"));
	KUNIT_EXPECT_FALSE(test,
			   iscsi_portal_match("10.170.7?.*", "10.170.67.2"));
	KUNIT_EXPECT_TRUE(test,
			  iscsi_portal_match("!10.170.7?.*", "10.170.67.2"));
	KUNIT_EXPECT_FALSE(test,
			   iscsi_portal_match("!10.170.7?.*", "10.170.77.2"));
	KUNIT_EXPECT_FALSE(test, iscsi_portal_match("!*", "127.0.0.1"));
	KUNIT_EXPECT_TRUE(test, iscsi_portal_match("*", "::1"));
	KUNIT_EXPECT_TRUE(test, iscsi_portal_match("**1", "::1"));
	/* '?' is exactly one character; '*' may be empty. */
	KUNIT_EXPECT_FALSE(test, iscsi_portal_match("127.0.0.?", "127.0.0."));
	KUNIT_EXPECT_TRUE(test, iscsi_portal_match("127.0.0.1*", "127.0.0.1"));
	KUNIT_EXPECT_TRUE(test, iscsi_portal_match("*.0.*.1", "127.0.0.1"));
	KUNIT_EXPECT_FALSE(test, iscsi_portal_match("*.0.*.2", "127.0.0.1"));
	/* IPv6 hex digits in either case. */
	KUNIT_EXPECT_TRUE(test, iscsi_portal_match("FE80::*", "fe80::1"));
	KUNIT_EXPECT_TRUE(test, iscsi_portal_match("fe80::a?", "FE80::AB"));
	KUNIT_EXPECT_FALSE(test, iscsi_portal_match("", "127.0.0.1"));
	KUNIT_EXPECT_TRUE(test, iscsi_portal_match("!", "127.0.0.1"));
}

static void redirect_parse_good(struct kunit *test)
{
	struct iscsi_redirect r;
	char buf[96];

	KUNIT_ASSERT_EQ(test,
			iscsi_redirect_parse("10.170.77.2:32600 temp", &r), 0);
	KUNIT_EXPECT_TRUE(test, r.set);
	KUNIT_EXPECT_FALSE(test, r.perm);
	KUNIT_EXPECT_STREQ(test, r.host, "10.170.77.2");
	KUNIT_EXPECT_EQ(test, r.port, 32600);
	iscsi_redirect_format(&r, buf, sizeof(buf));
	KUNIT_EXPECT_STREQ(test, buf, "10.170.77.2:32600 temp");

	/* The port defaults to 3260; blanks around are ignored. */
	KUNIT_ASSERT_EQ(test, iscsi_redirect_parse("  10.0.0.1\tperm ", &r), 0);
	KUNIT_EXPECT_TRUE(test, r.perm);
	KUNIT_EXPECT_EQ(test, r.port, 3260);
	iscsi_redirect_format(&r, buf, sizeof(buf));
	KUNIT_EXPECT_STREQ(test, buf, "10.0.0.1:3260 perm");

	KUNIT_ASSERT_EQ(test, iscsi_redirect_parse("[fe80::1]:3261 temp", &r),
			0);
	KUNIT_EXPECT_STREQ(test, r.host, "[fe80::1]");
	KUNIT_EXPECT_EQ(test, r.port, 3261);
	KUNIT_ASSERT_EQ(test, iscsi_redirect_parse("[::1] perm", &r), 0);
	KUNIT_EXPECT_STREQ(test, r.host, "[::1]");
	KUNIT_EXPECT_EQ(test, r.port, 3260);
	KUNIT_ASSERT_EQ(test,
			iscsi_redirect_parse("tgt2.example:65535 temp", &r), 0);
	KUNIT_EXPECT_EQ(test, r.port, 65535);

	/* Empty: removed. */
	KUNIT_ASSERT_EQ(test, iscsi_redirect_parse("", &r), 0);
	KUNIT_EXPECT_FALSE(test, r.set);
	KUNIT_ASSERT_EQ(test, iscsi_redirect_parse(" \t", &r), 0);
	KUNIT_EXPECT_FALSE(test, r.set);
	iscsi_redirect_format(&r, buf, sizeof(buf));
	KUNIT_EXPECT_STREQ(test, buf, "");
}

static void redirect_parse_bad(struct kunit *test)
{
	static const char *const bad[] = {
	    "10.0.0.1",		   /* no temp|perm */
	    "10.0.0.1 later",	   /* neither */
	    "10.0.0.1 temp perm",  /* one too many */
	    "10.0.0.1:0 temp",	   /* port 0 */
	    "10.0.0.1:65536 temp", /* port too big */
	    "10.0.0.1: temp",	   /* empty port */
	    "10.0.0.1:0x10 temp",  /* not decimal */
	    "::1 temp",		   /* IPv6 without brackets */
	    "[::1 temp",	   /* unclosed */
	    "[] temp",		   /* empty host */
	    "[::1]x temp",	   /* garbage after ] */
	    ":3260 temp",	   /* no host */
	    "10.0.0.1/24 temp",	   /* not a host character */
	    "TEMP 10.0.0.1",	   /* the wrong order */
	    "1234567890123456789012345678901234567890123456789012345678901234"
	    "5678901234567890 temp", /* longer than an address */
	};
	struct iscsi_redirect r = {.set = true, .port = 7};
	unsigned int i;

	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		KUNIT_EXPECT_EQ_MSG(test, iscsi_redirect_parse(bad[i], &r),
				    -EINVAL, "accepted '%s'", bad[i]);
		/* A refused value leaves the old one. */
		KUNIT_EXPECT_TRUE(test, r.set);
		KUNIT_EXPECT_EQ(test, r.port, 7);
	}
}

static void addr_split(struct kunit *test)
{
	char ip[ISCSI_ADDR_MAX], small[4];
	uint16_t port = 0;

	KUNIT_ASSERT_EQ(
	    test, iscsi_addr_split("127.0.0.2:3260", ip, sizeof(ip), &port), 0);
	KUNIT_EXPECT_STREQ(test, ip, "127.0.0.2");
	KUNIT_EXPECT_EQ(test, port, 3260);
	KUNIT_ASSERT_EQ(
	    test,
	    iscsi_addr_split("[fe80::1%eth0]:32600", ip, sizeof(ip), &port), 0);
	KUNIT_EXPECT_STREQ(test, ip, "fe80::1%eth0");
	KUNIT_EXPECT_EQ(test, port, 32600);
	/* The hand-off always carries a port. */
	KUNIT_EXPECT_EQ(test,
			iscsi_addr_split("127.0.0.2", ip, sizeof(ip), &port),
			-EINVAL);
	KUNIT_EXPECT_EQ(test, iscsi_addr_split("", ip, sizeof(ip), &port),
			-EINVAL);
	KUNIT_EXPECT_EQ(
	    test, iscsi_addr_split("::1:3260", ip, sizeof(ip), &port), -EINVAL);
	KUNIT_EXPECT_EQ(
	    test, iscsi_addr_split("1.2.3.4:5", small, sizeof(small), &port),
	    -ENAMETOOLONG);
}

static void acl_name(struct kunit *test)
{
	char buf[ISCSI_NAME_MAX];

	KUNIT_ASSERT_EQ(
	    test,
	    iscsi_acl_name(false, "iqn.x:a", "10.0.0.1", buf, sizeof(buf)), 0);
	KUNIT_EXPECT_STREQ(test, buf, "iqn.x:a");
	KUNIT_ASSERT_EQ(
	    test, iscsi_acl_name(true, "iqn.x:a", "10.0.0.1", buf, sizeof(buf)),
	    0);
	KUNIT_EXPECT_STREQ(test, buf, "iqn.x:a#10.0.0.1");
	/* An IPv4 client of a dual-stack socket is named by its IPv4. */
	KUNIT_ASSERT_EQ(test,
			iscsi_acl_name(true, "iqn.x:a", "::ffff:10.0.0.1", buf,
				       sizeof(buf)),
			0);
	KUNIT_EXPECT_STREQ(test, buf, "iqn.x:a#10.0.0.1");
	KUNIT_ASSERT_EQ(
	    test, iscsi_acl_name(true, "iqn.x:a", "::1", buf, sizeof(buf)), 0);
	KUNIT_EXPECT_STREQ(test, buf, "iqn.x:a#::1");
	KUNIT_EXPECT_EQ(test,
			iscsi_acl_name(true, "iqn.x:a", "10.0.0.1", buf, 16),
			-ENAMETOOLONG);
	KUNIT_EXPECT_EQ(test, iscsi_acl_name(false, "iqn.x:a", "", buf, 8), 0);
	KUNIT_EXPECT_EQ(test, iscsi_acl_name(false, "iqn.x:a", "", buf, 7),
			-ENAMETOOLONG);
}

static struct kunit_case iscsi_acl_cases[] = {KUNIT_CASE(portal_match_patterns),
					      KUNIT_CASE(redirect_parse_good),
					      KUNIT_CASE(redirect_parse_bad),
					      KUNIT_CASE(addr_split),
					      KUNIT_CASE(acl_name),
					      {}};

static struct kunit_suite iscsi_acl_suite = {
    .name = "iscsi_acl",
    .test_cases = iscsi_acl_cases,
};
kunit_test_suite(iscsi_acl_suite);
