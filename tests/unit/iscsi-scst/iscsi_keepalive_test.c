// SPDX-License-Identifier: GPL-2.0-only
/*
 * Unit tests of the keep-alive and response-timeout decision
 * (iscsi-scst/iscsi_keepalive.c, iscsi_ka_step) and of the Async Message
 * PDUs the target sends when it takes sessions away (iscsi_async.c).
 */
#include <errno.h>
#include <stdint.h>
#include <string.h>

#include <kunit/test.h>

#include "iscsi-scst/iscsi_keepalive.h"
#include "iscsi-scst/iscsi_pdu.h"
#include "scst/byteorder.h"

#define S 1000000000ull

static void ka_setup(struct iscsi_ka *ka, uint64_t interval, uint64_t tmo,
		     uint64_t rsp)
{
	memset(ka, 0, sizeof(*ka));
	ka->nopin_interval_ns = interval * S;
	ka->nopin_timeout_ns = tmo * S;
	ka->rsp_timeout_ns = rsp * S;
	iscsi_ka_init(ka, 100 * S);
}

/* Idle for NopInInterval: a ping; answered: quiet again. */
static void ka_ping_answered(struct kunit *test)
{
	struct iscsi_ka ka;
	struct iscsi_ka_obs o = {0};

	ka_setup(&ka, 2, 3, 90);
	KUNIT_EXPECT_EQ(test, iscsi_ka_step(&ka, &o, 101 * S), ISCSI_KA_NONE);
	KUNIT_EXPECT_EQ(test, iscsi_ka_step(&ka, &o, 102 * S), ISCSI_KA_PING);
	ka.ping_ttt = 7;
	/* Waiting: no second ping while one is out. */
	KUNIT_EXPECT_EQ(test, iscsi_ka_step(&ka, &o, 104 * S), ISCSI_KA_NONE);
	KUNIT_EXPECT_FALSE(test, iscsi_ka_pong(&ka, 8));
	KUNIT_EXPECT_TRUE(test, iscsi_ka_pong(&ka, 7));
	KUNIT_EXPECT_FALSE(test, iscsi_ka_pong(&ka, 7));
	/* The answer was received bytes too: the idle clock restarts. */
	o.rx_count = 1;
	KUNIT_EXPECT_EQ(test, iscsi_ka_step(&ka, &o, 105 * S), ISCSI_KA_NONE);
	KUNIT_EXPECT_EQ(test, iscsi_ka_step(&ka, &o, 106 * S), ISCSI_KA_NONE);
	KUNIT_EXPECT_EQ(test, iscsi_ka_step(&ka, &o, 107 * S), ISCSI_KA_PING);
}

/* No answer within NopInTimeout: the connection is dead. */
static void ka_ping_unanswered(struct kunit *test)
{
	struct iscsi_ka ka;
	struct iscsi_ka_obs o = {0};

	ka_setup(&ka, 1, 2, 90);
	KUNIT_EXPECT_EQ(test, iscsi_ka_step(&ka, &o, 101 * S), ISCSI_KA_PING);
	KUNIT_EXPECT_EQ(test, iscsi_ka_step(&ka, &o, 102 * S), ISCSI_KA_NONE);
	KUNIT_EXPECT_EQ(test, iscsi_ka_step(&ka, &o, 103 * S),
			ISCSI_KA_CLOSE_PING);
}

/* Any PDU received after the ping settles it (see iscsi_ka_step). */
static void ka_traffic_settles_ping(struct kunit *test)
{
	struct iscsi_ka ka;
	struct iscsi_ka_obs o = {0};

	ka_setup(&ka, 1, 2, 90);
	KUNIT_EXPECT_EQ(test, iscsi_ka_step(&ka, &o, 101 * S), ISCSI_KA_PING);
	o.rx_count = 5;
	KUNIT_EXPECT_EQ(test, iscsi_ka_step(&ka, &o, 103 * S), ISCSI_KA_NONE);
	KUNIT_EXPECT_FALSE(test, ka.ping_out);
}

/* NopInInterval 0: never a ping, an idle connection lives on. */
static void ka_pings_off(struct kunit *test)
{
	struct iscsi_ka ka;
	struct iscsi_ka_obs o = {0};
	unsigned int i;

	ka_setup(&ka, 0, 1, 5);
	for (i = 1; i < 100; i++)
		KUNIT_EXPECT_EQ(test, iscsi_ka_step(&ka, &o, (100 + i) * S),
				ISCSI_KA_NONE);
}

/* RspTimeout: a write waiting for Data-Out without progress. */
static void ka_data_out_stall(struct kunit *test)
{
	struct iscsi_ka ka;
	struct iscsi_ka_obs o = {0};

	ka_setup(&ka, 0, 1, 3);
	/* Idle long before the wait began: counted from the wait. */
	KUNIT_EXPECT_EQ(test, iscsi_ka_step(&ka, &o, 200 * S), ISCSI_KA_NONE);
	o.data_wait = true;
	KUNIT_EXPECT_EQ(test, iscsi_ka_step(&ka, &o, 201 * S), ISCSI_KA_NONE);
	o.rx_count = 1; /* some Data-Out arrived */
	KUNIT_EXPECT_EQ(test, iscsi_ka_step(&ka, &o, 203 * S), ISCSI_KA_NONE);
	KUNIT_EXPECT_EQ(test, iscsi_ka_step(&ka, &o, 205 * S), ISCSI_KA_NONE);
	KUNIT_EXPECT_EQ(test, iscsi_ka_step(&ka, &o, 206 * S),
			ISCSI_KA_CLOSE_DATA);
	/* The wait ended: no close. */
	o.data_wait = false;
	KUNIT_EXPECT_EQ(test, iscsi_ka_step(&ka, &o, 207 * S), ISCSI_KA_NONE);
}

/* RspTimeout: the send queue's head does not move. */
static void ka_tx_stall(struct kunit *test)
{
	struct iscsi_ka ka;
	struct iscsi_ka_obs o = {0};
	int a, b;

	ka_setup(&ka, 0, 1, 2);
	o.tx_pending = true;
	o.tx_head = &a;
	o.tx_left = 100;
	KUNIT_EXPECT_EQ(test, iscsi_ka_step(&ka, &o, 101 * S), ISCSI_KA_NONE);
	o.tx_left = 50; /* progress */
	KUNIT_EXPECT_EQ(test, iscsi_ka_step(&ka, &o, 102 * S), ISCSI_KA_NONE);
	o.tx_head = &b; /* the next PDU */
	KUNIT_EXPECT_EQ(test, iscsi_ka_step(&ka, &o, 103 * S), ISCSI_KA_NONE);
	KUNIT_EXPECT_EQ(test, iscsi_ka_step(&ka, &o, 104 * S), ISCSI_KA_NONE);
	KUNIT_EXPECT_EQ(test, iscsi_ka_step(&ka, &o, 105 * S),
			ISCSI_KA_CLOSE_TX);
	o.tx_pending = false;
	KUNIT_EXPECT_EQ(test, iscsi_ka_step(&ka, &o, 106 * S), ISCSI_KA_NONE);
}

/* A requested Logout that does not come: closed at the deadline. */
static void ka_logout_deadline(struct kunit *test)
{
	struct iscsi_ka ka;
	struct iscsi_ka_obs o = {0};

	ka_setup(&ka, 0, 1, 90);
	ka.deadline_ns = 102 * S;
	o.rx_count = 3; /* traffic does not cancel the deadline */
	KUNIT_EXPECT_EQ(test, iscsi_ka_step(&ka, &o, 101 * S), ISCSI_KA_NONE);
	KUNIT_EXPECT_EQ(test, iscsi_ka_step(&ka, &o, 102 * S),
			ISCSI_KA_CLOSE_LOGOUT);
	KUNIT_EXPECT_STREQ(test, iscsi_ka_action_name(ISCSI_KA_CLOSE_LOGOUT),
			   "no Logout after the Async Message");
}

/* The Async Messages iscsi_async.c sends (RFC 7143 11.9). */
static void async_events(struct kunit *test)
{
	struct iscsi_async_msg logout = {.event = ISCSI_ASYNC_REQ_LOGOUT,
					 .param3 = 2};
	struct iscsi_async_msg drop = {
	    .event = ISCSI_ASYNC_DROP_ALL_CONNS,
	    .param2 = 0,
	    .param3 = 0,
	    .sn = {.statsn = 9, .expcmdsn = 10, .maxcmdsn = 41}};
	struct iscsi_async_msg bad = {.event = 5};
	uint8_t b[48];

	memset(b, 0xaa, sizeof(b));
	KUNIT_ASSERT_EQ(test, iscsi_build_async_msg(b, &logout), 0);
	KUNIT_EXPECT_EQ(test, b[0], ISCSI_OP_ASYNC_MSG);
	KUNIT_EXPECT_EQ(test, b[1], 0x80);		 /* F bit */
	KUNIT_EXPECT_EQ(test, scst_get_be24(b + 5), 0u); /* no data */
	KUNIT_EXPECT_EQ(test, scst_get_be32(b + 16), 0xffffffffu);
	KUNIT_EXPECT_EQ(test, b[36], 1);
	KUNIT_EXPECT_EQ(test, scst_get_be16(b + 38), 0);
	KUNIT_EXPECT_EQ(test, scst_get_be16(b + 40), 0);
	KUNIT_EXPECT_EQ(test, scst_get_be16(b + 42), 2);

	KUNIT_ASSERT_EQ(test, iscsi_build_async_msg(b, &drop), 0);
	KUNIT_EXPECT_EQ(test, b[36], 3);
	KUNIT_EXPECT_EQ(test, scst_get_be32(b + 24), 9u);
	KUNIT_EXPECT_EQ(test, scst_get_be32(b + 28), 10u);
	KUNIT_EXPECT_EQ(test, scst_get_be32(b + 32), 41u);
	KUNIT_EXPECT_EQ(test, scst_get_be16(b + 42), 0);

	KUNIT_EXPECT_EQ(test, iscsi_build_async_msg(b, &bad), -EINVAL);
}

static struct kunit_case iscsi_keepalive_cases[] = {
    KUNIT_CASE(ka_ping_answered),
    KUNIT_CASE(ka_ping_unanswered),
    KUNIT_CASE(ka_traffic_settles_ping),
    KUNIT_CASE(ka_pings_off),
    KUNIT_CASE(ka_data_out_stall),
    KUNIT_CASE(ka_tx_stall),
    KUNIT_CASE(ka_logout_deadline),
    KUNIT_CASE(async_events),
    {}};

static struct kunit_suite iscsi_keepalive_suite = {
    .name = "iscsi_keepalive",
    .test_cases = iscsi_keepalive_cases,
};
kunit_test_suite(iscsi_keepalive_suite);
