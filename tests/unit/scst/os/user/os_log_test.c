// SPDX-License-Identifier: GPL-2.0-only
/*
 * Unit tests of scst/os/user/os_log.c: sinks, level filtering, the default
 * sink's line format, rate limiting and snprintf.
 */
#include <stdio.h>
#include <unistd.h>

#include <kunit/test.h>

#include "scst/os.h"
#include "../../../../../scst/os/user/os_user_internal.h"

#define MS 1000000ULL

/* What the capturing sink saw. */
static struct {
	struct scst_mutex lock;
	int n;
	enum scst_log_level lvl[16];
	char line[16][1100];
} cap;

static void capture_sink(enum scst_log_level lvl, const char *line)
{
	scst_mutex_lock(&cap.lock);
	if (cap.n < 16) {
		cap.lvl[cap.n] = lvl;
		snprintf(cap.line[cap.n], sizeof(cap.line[0]), "%s", line);
	}
	cap.n++;
	scst_mutex_unlock(&cap.lock);
}

static enum scst_log_level saved_level;

static int log_test_init(struct kunit *test)
{
	(void)test;
	scst_mutex_init(&cap.lock);
	cap.n = 0;
	saved_level = scst_log_get_level();
	scst_log_set_level(SCST_LOG_INFO);
	scst_log_set_sink(capture_sink);
	return 0;
}

static void log_test_exit(struct kunit *test)
{
	(void)test;
	scst_log_set_sink(NULL);
	scst_log_set_level(saved_level);
	scst_mutex_destroy(&cap.lock);
}

static void log_sink_capture_test(struct kunit *test)
{
	scst_info("hello %d %s", 42, "world");
	scst_err("bad thing\n");
	KUNIT_ASSERT_EQ(test, cap.n, 2);
	KUNIT_EXPECT_EQ(test, cap.lvl[0], SCST_LOG_INFO);
	KUNIT_EXPECT_STREQ(test, cap.line[0], "hello 42 world");
	KUNIT_EXPECT_EQ(test, cap.lvl[1], SCST_LOG_ERR);
	/* One trailing newline is dropped: the sink adds its own. */
	KUNIT_EXPECT_STREQ(test, cap.line[1], "bad thing");
}

static void log_level_filter_test(struct kunit *test)
{
	scst_log_set_level(SCST_LOG_WARN);
	KUNIT_EXPECT_EQ(test, scst_log_get_level(), SCST_LOG_WARN);
	KUNIT_EXPECT_FALSE(test, scst_log_enabled(SCST_LOG_INFO));
	KUNIT_EXPECT_TRUE(test, scst_log_enabled(SCST_LOG_ERR));
	scst_info("dropped");
	scst_dbg("dropped too");
	scst_warn("kept");
	scst_err("kept too");
	KUNIT_ASSERT_EQ(test, cap.n, 2);
	KUNIT_EXPECT_STREQ(test, cap.line[0], "kept");
	KUNIT_EXPECT_STREQ(test, cap.line[1], "kept too");

	scst_log_set_level(SCST_LOG_DEBUG);
	scst_dbg("debug %u", 7u);
	KUNIT_ASSERT_EQ(test, cap.n, 3);
	KUNIT_EXPECT_EQ(test, cap.lvl[2], SCST_LOG_DEBUG);
	KUNIT_EXPECT_STREQ(test, cap.line[2], "debug 7");
}

static void log_long_line_test(struct kunit *test)
{
	char *big = kunit_kmalloc(test, 5000, GFP_KERNEL);

	KUNIT_ASSERT_NOT_NULL(test, big);
	memset(big, 'x', 4999);
	big[4999] = '\0';
	scst_info("%s", big);
	KUNIT_ASSERT_EQ(test, cap.n, 1);
	/* Cut to a bounded line, still a prefix of the message. */
	KUNIT_EXPECT_GT(test, strlen(cap.line[0]), 500);
	KUNIT_EXPECT_LT(test, strlen(cap.line[0]), 4999);
	KUNIT_EXPECT_MEMEQ(test, cap.line[0], big, strlen(cap.line[0]));
}

static void log_level_from_str_test(struct kunit *test)
{
	KUNIT_EXPECT_EQ(test, os_user_log_level_from_str("debug"),
			SCST_LOG_DEBUG);
	KUNIT_EXPECT_EQ(test, os_user_log_level_from_str("INFO"),
			SCST_LOG_INFO);
	KUNIT_EXPECT_EQ(test, os_user_log_level_from_str("warn"),
			SCST_LOG_WARN);
	KUNIT_EXPECT_EQ(test, os_user_log_level_from_str("err"), SCST_LOG_ERR);
	KUNIT_EXPECT_EQ(test, os_user_log_level_from_str("verbose"), -1);
	KUNIT_EXPECT_EQ(test, os_user_log_level_from_str(NULL), -1);
}

/* The default sink: "<sec>.<usec> <LEVEL>: message\n" in one write. */
static void log_default_sink_format_test(struct kunit *test)
{
	char buf[256] = "", lvl[16] = "", msg[64] = "", usec[16] = "";
	unsigned long long sec;
	int pfd[2], saved, n;
	ssize_t len;

	KUNIT_ASSERT_EQ(test, pipe(pfd), 0);
	saved = dup(STDERR_FILENO);
	KUNIT_ASSERT_GE(test, saved, 0);
	dup2(pfd[1], STDERR_FILENO);
	scst_log_set_sink(NULL);
	scst_warn("default %s", "sink");
	scst_log_set_sink(capture_sink);
	dup2(saved, STDERR_FILENO);
	close(saved);
	close(pfd[1]);
	len = read(pfd[0], buf, sizeof(buf) - 1);
	close(pfd[0]);
	KUNIT_ASSERT_GT(test, len, 0);
	buf[len] = '\0';

	n = sscanf(buf, "%llu.%15[0-9] %15[A-Z]: %63[^\n]", &sec, usec, lvl,
		   msg);
	KUNIT_ASSERT_EQ_MSG(test, n, 4, "line: %s", buf);
	KUNIT_EXPECT_EQ(test, strlen(usec), 6);
	KUNIT_EXPECT_STREQ(test, lvl, "WARN");
	KUNIT_EXPECT_STREQ(test, msg, "default sink");
	/* Exactly one line, ending in a newline. */
	KUNIT_EXPECT_PTR_EQ(test, strchr(buf, '\n'), buf + len - 1);
	/* The timestamp is the monotonic clock. */
	KUNIT_EXPECT_LE(test, sec, scst_os_now_ns() / 1000000000ULL);
	KUNIT_EXPECT_EQ(test, cap.n, 0);
}

static void ratelimit_test(struct kunit *test)
{
	struct scst_ratelimit rl;
	int i, ok = 0;

	scst_ratelimit_init(&rl, 200 * MS, 3);
	for (i = 0; i < 10; i++)
		ok += scst_ratelimit(&rl);
	KUNIT_EXPECT_EQ(test, ok, 3);
	KUNIT_EXPECT_EQ(test, rl.missed, 7);
	KUNIT_EXPECT_EQ(test, cap.n, 0);

	/* A new interval: the suppressed count is logged, then allowed. */
	scst_os_msleep(250);
	KUNIT_EXPECT_TRUE(test, scst_ratelimit(&rl));
	KUNIT_ASSERT_EQ(test, cap.n, 1);
	KUNIT_EXPECT_STREQ(test, cap.line[0], "7 messages suppressed");
	KUNIT_EXPECT_EQ(test, rl.missed, 0);
	KUNIT_EXPECT_EQ(test, rl.printed, 1);

	/* Nothing missed: no line at the next interval. */
	scst_os_msleep(250);
	KUNIT_EXPECT_TRUE(test, scst_ratelimit(&rl));
	KUNIT_EXPECT_EQ(test, cap.n, 1);
}

static void ratelimit_no_interval_test(struct kunit *test)
{
	struct scst_ratelimit rl;
	int i, ok = 0;

	scst_ratelimit_init(&rl, 0, 1);
	for (i = 0; i < 100; i++)
		ok += scst_ratelimit(&rl);
	KUNIT_EXPECT_EQ(test, ok, 100);
}

static void snprintf_test(struct kunit *test)
{
	char buf[8];

	KUNIT_EXPECT_EQ(test,
			scst_snprintf(buf, sizeof(buf), "%d-%s", 12, "ab"), 5);
	KUNIT_EXPECT_STREQ(test, buf, "12-ab");
	/* Truncated, terminated, and the full length is returned. */
	memset(buf, 'z', sizeof(buf));
	KUNIT_EXPECT_EQ(
	    test, scst_snprintf(buf, sizeof(buf), "%s", "0123456789"), 10);
	KUNIT_EXPECT_STREQ(test, buf, "0123456");
	KUNIT_EXPECT_EQ(test, scst_snprintf(NULL, 0, "%u", 12345u), 5);
}

static struct kunit_case os_log_cases[] = {
    KUNIT_CASE(log_sink_capture_test),
    KUNIT_CASE(log_level_filter_test),
    KUNIT_CASE(log_long_line_test),
    KUNIT_CASE(log_level_from_str_test),
    KUNIT_CASE(log_default_sink_format_test),
    KUNIT_CASE(ratelimit_test),
    KUNIT_CASE(ratelimit_no_interval_test),
    KUNIT_CASE(snprintf_test),
    {}};

static struct kunit_suite os_log_suite = {
    .name = "scst_os_log",
    .init = log_test_init,
    .exit = log_test_exit,
    .test_cases = os_log_cases,
};
kunit_test_suite(os_log_suite);
