// SPDX-License-Identifier: GPL-2.0-only
/*
 * Logging: level filter, replaceable sink, rate limiting, snprintf.
 *
 * A message is formatted once into a bounded buffer and handed to the sink
 * as one line (a trailing newline in the format is dropped). The default
 * sink prefixes the monotonic time and the level name and writes the whole
 * line to stderr with a single write(), so lines of concurrent threads do
 * not interleave.
 *
 * The level starts at SCST_LOG_INFO; the environment variable
 * SCST_LOG_LEVEL (debug, info, warn, err) overrides that default when the
 * level is first used. scst_log_set_level() always wins over both.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <strings.h>
#include <unistd.h>

#include "os_user_internal.h"

#define OS_LOG_LINE_MAX 1024

static const char *const os_log_names[] = {
    [SCST_LOG_ERR] = "ERR",
    [SCST_LOG_WARN] = "WARN",
    [SCST_LOG_INFO] = "INFO",
    [SCST_LOG_DEBUG] = "DEBUG",
};

static int os_log_level = SCST_LOG_INFO;
static pthread_once_t os_log_once = PTHREAD_ONCE_INIT;
static scst_log_sink_fn os_log_sink; /* NULL: the default sink */

int os_user_log_level_from_str(const char *s)
{
	static const struct {
		const char *name;
		enum scst_log_level lvl;
	} names[] = {
	    {"err", SCST_LOG_ERR},   {"error", SCST_LOG_ERR},
	    {"warn", SCST_LOG_WARN}, {"warning", SCST_LOG_WARN},
	    {"info", SCST_LOG_INFO}, {"debug", SCST_LOG_DEBUG},
	    {"0", SCST_LOG_ERR},     {"1", SCST_LOG_WARN},
	    {"2", SCST_LOG_INFO},    {"3", SCST_LOG_DEBUG},
	};
	size_t i;

	if (!s)
		return -1;
	for (i = 0; i < sizeof(names) / sizeof(names[0]); i++)
		if (!strcasecmp(s, names[i].name))
			return names[i].lvl;
	return -1;
}

void scst_log_set_sink(scst_log_sink_fn sink)
{
	__atomic_store_n(&os_log_sink, sink, __ATOMIC_RELEASE);
}

static void os_log_default_sink(enum scst_log_level lvl, const char *line)
{
	char buf[OS_LOG_LINE_MAX + 64];
	uint64_t now = scst_os_now_ns();
	const char *name = "?";
	size_t len, off = 0;
	ssize_t n;
	int ret;

	if ((unsigned int)lvl < sizeof(os_log_names) / sizeof(os_log_names[0]))
		name = os_log_names[lvl];
	ret = snprintf(buf, sizeof(buf), "%llu.%06llu %s: %s\n",
		       (unsigned long long)(now / OS_USER_NSEC_PER_SEC),
		       (unsigned long long)(now % OS_USER_NSEC_PER_SEC / 1000),
		       name, line);
	if (ret < 0)
		return;
	len = (size_t)ret;
	if (len >= sizeof(buf)) {
		/* Cut, but still one line ending in a newline. */
		len = sizeof(buf) - 1;
		buf[len - 1] = '\n';
	}
	/* One write() in the normal case; loop only on a short write. */
	while (off < len) {
		n = write(STDERR_FILENO, buf + off, len - off);
		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0)
			return;
		off += (size_t)n;
	}
}

static void os_log_emit(enum scst_log_level lvl, const char *line)
{
	scst_log_sink_fn sink = __atomic_load_n(&os_log_sink, __ATOMIC_ACQUIRE);

	(sink ? sink : os_log_default_sink)(lvl, line);
}

/* Runs once, inside pthread_once(): must not ask for the level itself. */
static void os_log_init_level(void)
{
	const char *env = getenv("SCST_LOG_LEVEL");
	int lvl = os_user_log_level_from_str(env);
	char line[128];

	if (lvl >= 0) {
		__atomic_store_n(&os_log_level, lvl, __ATOMIC_RELAXED);
	} else if (env) {
		snprintf(line, sizeof(line),
			 "SCST_LOG_LEVEL=%.64s is not debug, info, warn or err",
			 env);
		os_log_emit(SCST_LOG_WARN, line);
	}
}

void scst_log_set_level(enum scst_log_level lvl)
{
	pthread_once(&os_log_once, os_log_init_level);
	__atomic_store_n(&os_log_level, (int)lvl, __ATOMIC_RELAXED);
}

enum scst_log_level scst_log_get_level(void)
{
	pthread_once(&os_log_once, os_log_init_level);
	return (enum scst_log_level)__atomic_load_n(&os_log_level,
						    __ATOMIC_RELAXED);
}

void scst_vlog(enum scst_log_level lvl, const char *fmt, va_list ap)
{
	char line[OS_LOG_LINE_MAX];
	int ret;
	size_t len;

	if (!scst_log_enabled(lvl))
		return;
	ret = vsnprintf(line, sizeof(line), fmt, ap);
	if (ret < 0)
		return;
	len = (size_t)ret < sizeof(line) ? (size_t)ret : sizeof(line) - 1;
	if (len && line[len - 1] == '\n')
		line[len - 1] = '\0';
	os_log_emit(lvl, line);
}

void scst_log(enum scst_log_level lvl, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	scst_vlog(lvl, fmt, ap);
	va_end(ap);
}

/* ------------------------------------------------------ rate limiting ---- */

void scst_ratelimit_init(struct scst_ratelimit *rl, uint64_t interval_ns,
			 unsigned int burst)
{
	rl->interval_ns = interval_ns;
	rl->burst = burst;
	scst_spin_init(&rl->lock);
	rl->begin_ns = 0;
	rl->printed = 0;
	rl->missed = 0;
}

/*
 * True if the caller may log. An interval of 0 disables limiting. When a new
 * interval starts after messages were suppressed, their number is logged
 * first (outside the lock: the sink may be slow or log itself).
 */
bool scst_ratelimit(struct scst_ratelimit *rl)
{
	unsigned int missed = 0;
	uint64_t now;
	bool ok;

	if (!rl->interval_ns)
		return true;
	now = scst_os_now_ns();
	scst_spin_lock(&rl->lock);
	if (!rl->begin_ns || now - rl->begin_ns >= rl->interval_ns) {
		missed = rl->missed;
		rl->begin_ns = now;
		rl->printed = 0;
		rl->missed = 0;
	}
	ok = rl->printed < rl->burst;
	if (ok)
		rl->printed++;
	else
		rl->missed++;
	scst_spin_unlock(&rl->lock);

	if (missed)
		scst_warn("%u messages suppressed", missed);
	return ok;
}

/* ------------------------------------------------------------ strings ---- */

int scst_vsnprintf(char *buf, size_t size, const char *fmt, va_list ap)
{
	return vsnprintf(buf, size, fmt, ap);
}

int scst_snprintf(char *buf, size_t size, const char *fmt, ...)
{
	va_list ap;
	int ret;

	va_start(ap, fmt);
	ret = scst_vsnprintf(buf, size, fmt, ap);
	va_end(ap);
	return ret;
}
