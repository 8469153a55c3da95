// SPDX-License-Identifier: GPL-2.0-only
/*
 * scstd: the engine daemon. It starts the core, the modules of its table,
 * and waits for SIGTERM or SIGINT, then stops intake, drains and exits.
 * The config tree (FUSE) and the iSCSI transport plug in here as they land.
 */
#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <syslog.h>
#include <unistd.h>

#include "dev_handlers/scst_null.h"
#include "scst/os.h"
#include "scst/scst.h"
#include "scst_local/scst_local.h"

/* The modules this daemon runs, in start order. */
static const struct scst_module *const scstd_modules[] = {
	&scst_null_module,
	&scst_local_module,
};

#define SCSTD_NMODULES (sizeof(scstd_modules) / sizeof(scstd_modules[0]))

struct scstd_opts {
	bool foreground;
	bool syslog;
	unsigned int threads;
	const char *pid_file;
	const char *log_level;
};

static volatile sig_atomic_t scstd_stop;

static void scstd_on_signal(int sig)
{
	(void)sig;
	scstd_stop = 1;
}

static void scstd_syslog_sink(enum scst_log_level lvl, const char *line)
{
	static const int prio[] = { LOG_ERR, LOG_WARNING, LOG_INFO,
				    LOG_DEBUG };

	syslog(prio[lvl], "%s", line);
}

static void usage(FILE *f)
{
	fprintf(f,
		"usage: scstd [options]\n"
		"  -f, --foreground      stay in the foreground, log to stderr\n"
		"  -t, --threads N       worker threads (default: one per CPU)\n"
		"  -p, --pid-file PATH   write the daemon's pid to PATH\n"
		"  -l, --log-level L     err, warn, info (default) or debug\n"
		"  -h, --help            this text\n");
}

static int parse_level(const char *s, enum scst_log_level *lvl)
{
	static const char *const names[] = { "err", "warn", "info", "debug" };
	unsigned int i;

	for (i = 0; i < 4; i++) {
		if (strcmp(s, names[i]) == 0) {
			*lvl = (enum scst_log_level)i;
			return 0;
		}
	}
	return -EINVAL;
}

static int parse_opts(int argc, char **argv, struct scstd_opts *o)
{
	static const struct option longopts[] = {
		{ "foreground", no_argument, NULL, 'f' },
		{ "threads", required_argument, NULL, 't' },
		{ "pid-file", required_argument, NULL, 'p' },
		{ "log-level", required_argument, NULL, 'l' },
		{ "help", no_argument, NULL, 'h' },
		{ 0 },
	};
	char *end;
	long v;
	int c;

	while ((c = getopt_long(argc, argv, "ft:p:l:h", longopts, NULL)) !=
	       -1) {
		switch (c) {
		case 'f':
			o->foreground = true;
			break;
		case 't':
			v = strtol(optarg, &end, 10);
			if (*end || v < 1 || v > 1024) {
				fprintf(stderr, "scstd: bad thread count '%s'\n",
					optarg);
				return -EINVAL;
			}
			o->threads = (unsigned int)v;
			break;
		case 'p':
			o->pid_file = optarg;
			break;
		case 'l':
			o->log_level = optarg;
			break;
		case 'h':
			usage(stdout);
			exit(0);
		default:
			usage(stderr);
			return -EINVAL;
		}
	}
	if (optind < argc) {
		fprintf(stderr, "scstd: unexpected argument '%s'\n",
			argv[optind]);
		return -EINVAL;
	}
	return 0;
}

static int write_pid_file(const char *path)
{
	char buf[32];
	int fd, n;

	fd = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
	if (fd < 0)
		return -errno;
	n = snprintf(buf, sizeof(buf), "%ld\n", (long)getpid());
	if (write(fd, buf, (size_t)n) != n) {
		close(fd);
		return -EIO;
	}
	return close(fd) ? -errno : 0;
}

int main(int argc, char **argv)
{
	struct scstd_opts o = { 0 };
	struct scst_core_params p = { 0 };
	enum scst_log_level lvl = SCST_LOG_INFO;
	struct sigaction sa;
	int rc;

	if (parse_opts(argc, argv, &o))
		return 2;
	if (o.log_level && parse_level(o.log_level, &lvl)) {
		fprintf(stderr, "scstd: bad log level '%s'\n", o.log_level);
		return 2;
	}
	scst_log_set_level(lvl);
	if (!o.foreground) {
		if (daemon(0, 0)) {
			perror("scstd: daemon");
			return 1;
		}
		openlog("scstd", LOG_PID, LOG_DAEMON);
		scst_log_set_sink(scstd_syslog_sink);
	}
	if (o.pid_file && (rc = write_pid_file(o.pid_file))) {
		scst_err("scstd: cannot write pid file %s: %s", o.pid_file,
			 strerror(-rc));
		return 1;
	}

	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = scstd_on_signal;
	sigaction(SIGTERM, &sa, NULL);
	sigaction(SIGINT, &sa, NULL);
	signal(SIGPIPE, SIG_IGN);

	p.threads = o.threads;
	rc = scst_core_init(&p);
	if (rc) {
		scst_err("scstd: the core failed to start: %s", strerror(-rc));
		return 1;
	}
	rc = scst_modules_init(scstd_modules, SCSTD_NMODULES);
	if (rc) {
		scst_core_exit();
		return 1;
	}
	scst_info("scstd: running (pid %ld); SIGTERM stops it",
		  (long)getpid());

	while (!scstd_stop)
		pause();

	scst_info("scstd: stopping");
	scst_modules_exit(scstd_modules, SCSTD_NMODULES);
	scst_core_exit();
	if (o.pid_file)
		unlink(o.pid_file);
	scst_info("scstd: stopped");
	return 0;
}
