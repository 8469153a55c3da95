// SPDX-License-Identifier: GPL-2.0-only
/*
 * scstd: the engine daemon. It starts the core and the modules of its
 * table, serves the config tree as a FUSE file system at --root and
 * answers on its control socket, then waits for SIGTERM or SIGINT: it
 * stops intake (control socket), unmounts the tree, stops the modules and
 * the core (which drains commands) and exits 0.
 *
 * Start-up order: the checks that can refuse to start (another live scstd
 * on the control socket or the mount point, a dead mount to recover, the
 * state directory) run before daemon(), so a refusal is the exit status
 * of the command that started it.
 */
#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/signalfd.h>
#include <sys/stat.h>
#include <syslog.h>
#include <unistd.h>

#include "dev_handlers/passthrough/pt.h"
#include "dev_handlers/scst_null.h"
#include "dev_handlers/vdisk/vdisk_module.h"
#include "dev_handlers/vtape/vtape.h"
#include "iscsi-scst/iscsi_module.h"
#include "scst/os.h"
#include "scst/scst.h"
#include "scst_local/scst_local.h"
#include "usr/scstd/scstd_ctl.h"
#include "usr/scstd/scstd_fuse.h"

#define SCSTD_DEFAULT_ROOT	"/run/scst_tgt"
#define SCSTD_DEFAULT_STATE_DIR "/var/lib/scst"
#define SCSTD_DEFAULT_CONTROL	"/run/scst/scstd.sock"

/* The modules this daemon runs, in start order (vchanger after vtape). */
static const struct scst_module *const scstd_modules[] = {
    &scst_null_module, &vdisk_module, &vtape_module,	  &vchanger_module,
    &pt_module,	       &iscsi_module, &scst_local_module,
};

#define SCSTD_NMODULES (sizeof(scstd_modules) / sizeof(scstd_modules[0]))

enum {
	OPT_ROOT = 0x100,
	OPT_STATE_DIR,
	OPT_CONTROL,
	OPT_NO_MOUNT,
};

struct scstd_opts {
	bool foreground;
	bool no_mount;
	unsigned int threads;
	char *pid_file;
	const char *log_level;
	char *root;
	char *state_dir;
	char *control;
};

static void scstd_syslog_sink(enum scst_log_level lvl, const char *line)
{
	static const int prio[] = {LOG_ERR, LOG_WARNING, LOG_INFO, LOG_DEBUG};

	syslog(prio[lvl], "%s", line);
}

static void usage(FILE *f)
{
	fprintf(
	    f, "usage: scstd [options]\n"
	       "  -f, --foreground      stay in the foreground, log to stderr\n"
	       "  -t, --threads N       worker threads (default: one per CPU)\n"
	       "  -p, --pid-file PATH   write the daemon's pid to PATH\n"
	       "  -l, --log-level L     err, warn, info (default) or debug\n"
	       "      --root DIR        mount point of the config tree\n"
	       "                        (default " SCSTD_DEFAULT_ROOT ")\n"
	       "      --state-dir DIR   persistent state\n"
	       "                        (default " SCSTD_DEFAULT_STATE_DIR ")\n"
	       "      --control PATH    control socket\n"
	       "                        (default " SCSTD_DEFAULT_CONTROL ")\n"
	       "      --no-mount        run without serving the config tree\n"
	       "  -h, --help            this text\n");
}

static int parse_level(const char *s, enum scst_log_level *lvl)
{
	static const char *const names[] = {"err", "warn", "info", "debug"};
	unsigned int i;

	for (i = 0; i < 4; i++) {
		if (strcmp(s, names[i]) == 0) {
			*lvl = (enum scst_log_level)i;
			return 0;
		}
	}
	return -EINVAL;
}

/*
 * An absolute version of @path (daemon() changes to "/"), without a
 * trailing slash. NULL if out of memory or @path is empty.
 */
static char *abs_path(const char *path)
{
	char cwd[4096];
	char *p;
	size_t n;

	if (!*path)
		return NULL;
	if (path[0] == '/') {
		p = strdup(path);
	} else {
		if (!getcwd(cwd, sizeof(cwd)))
			return NULL;
		if (asprintf(&p, "%s/%s", strcmp(cwd, "/") ? cwd : "", path) <
		    0)
			p = NULL;
	}
	if (!p)
		return NULL;
	n = strlen(p);
	while (n > 1 && p[n - 1] == '/')
		p[--n] = '\0';
	return p;
}

static int set_path(char **dst, const char *val, const char *what)
{
	free(*dst);
	*dst = abs_path(val);
	if (!*dst) {
		fprintf(stderr, "scstd: bad %s '%s'\n", what, val);
		return -EINVAL;
	}
	return 0;
}

static int parse_opts(int argc, char **argv, struct scstd_opts *o)
{
	static const struct option longopts[] = {
	    {"foreground", no_argument, NULL, 'f'},
	    {"threads", required_argument, NULL, 't'},
	    {"pid-file", required_argument, NULL, 'p'},
	    {"log-level", required_argument, NULL, 'l'},
	    {"root", required_argument, NULL, OPT_ROOT},
	    {"state-dir", required_argument, NULL, OPT_STATE_DIR},
	    {"control", required_argument, NULL, OPT_CONTROL},
	    {"no-mount", no_argument, NULL, OPT_NO_MOUNT},
	    {"help", no_argument, NULL, 'h'},
	    {0},
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
				fprintf(stderr,
					"scstd: bad thread count '%s'\n",
					optarg);
				return -EINVAL;
			}
			o->threads = (unsigned int)v;
			break;
		case 'p':
			if (set_path(&o->pid_file, optarg, "pid file"))
				return -EINVAL;
			break;
		case 'l':
			o->log_level = optarg;
			break;
		case OPT_ROOT:
			if (set_path(&o->root, optarg, "root"))
				return -EINVAL;
			break;
		case OPT_STATE_DIR:
			if (set_path(&o->state_dir, optarg, "state directory"))
				return -EINVAL;
			break;
		case OPT_CONTROL:
			if (set_path(&o->control, optarg, "control socket"))
				return -EINVAL;
			break;
		case OPT_NO_MOUNT:
			o->no_mount = true;
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
	if ((!o->root && set_path(&o->root, SCSTD_DEFAULT_ROOT, "root")) ||
	    (!o->state_dir &&
	     set_path(&o->state_dir, SCSTD_DEFAULT_STATE_DIR, "state")) ||
	    (!o->control &&
	     set_path(&o->control, SCSTD_DEFAULT_CONTROL, "control")))
		return -ENOMEM;
	return 0;
}

static void free_opts(struct scstd_opts *o)
{
	free(o->pid_file);
	free(o->root);
	free(o->state_dir);
	free(o->control);
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

/* The state directory exists (0700 if we create it) and takes files. */
static int check_state_dir(const char *dir)
{
	char *probe;
	int fd, rc;

	rc = scstd_mkdir_p(dir, 0700);
	if (rc)
		return rc;
	if (asprintf(&probe, "%s/.scstd-probe-XXXXXX", dir) < 0)
		return -ENOMEM;
	fd = mkstemp(probe);
	rc = fd < 0 ? -errno : 0;
	if (fd >= 0) {
		close(fd);
		unlink(probe);
	}
	free(probe);
	return rc;
}

/*
 * Everything that may refuse the start, before daemon(): a live scstd on
 * the control socket or at the mount point, a dead mount to recover, the
 * state directory. Then bind the control socket.
 */
static int scstd_prepare(const struct scstd_opts *o, struct scstd_ctl **ctl)
{
	int rc;

	rc = scstd_ctl_probe(o->control);
	if (rc > 0) {
		scst_err("scstd: another scstd is running: the control socket "
			 "%s answers",
			 o->control);
		return rc;
	}
	if (rc < 0 && rc != -ENOENT) {
		scst_err("scstd: cannot use the control socket %s: %s",
			 o->control, strerror(-rc));
		return rc;
	}
	if (!o->no_mount) {
		rc = scstd_fuse_prepare(o->root);
		if (rc == -EBUSY) {
			scst_err("scstd: %s is already served by a live FUSE "
				 "file system (another scstd?)",
				 o->root);
			return rc;
		}
		if (!rc)
			rc = scstd_mkdir_p(o->root, 0755);
		if (rc) {
			scst_err("scstd: cannot use the mount point %s: %s",
				 o->root, strerror(-rc));
			return rc;
		}
	}
	rc = check_state_dir(o->state_dir);
	if (rc) {
		scst_err("scstd: the state directory %s is not writable: %s",
			 o->state_dir, strerror(-rc));
		return rc;
	}
	rc = scstd_ctl_open(o->control, ctl);
	if (rc) {
		if (rc == -EADDRINUSE)
			scst_err("scstd: another scstd is running: the control "
				 "socket %s answers",
				 o->control);
		else
			scst_err(
			    "scstd: cannot create the control socket %s: %s",
			    o->control, strerror(-rc));
		return rc;
	}
	return 0;
}

/* Wait for SIGTERM or SIGINT on @sfd. */
static void scstd_wait_signal(int sfd)
{
	struct signalfd_siginfo si;
	ssize_t n;

	for (;;) {
		n = read(sfd, &si, sizeof(si));
		if (n == (ssize_t)sizeof(si)) {
			scst_info("scstd: %s received", si.ssi_signo == SIGINT
							    ? "SIGINT"
							    : "SIGTERM");
			return;
		}
		if (n < 0 && errno != EINTR && errno != EAGAIN) {
			scst_err("scstd: signalfd: %s; stopping",
				 strerror(errno));
			return;
		}
	}
}

int main(int argc, char **argv)
{
	struct scstd_opts o = {0};
	struct scst_core_params p = {0};
	enum scst_log_level lvl = SCST_LOG_INFO;
	struct scstd_ctl *ctl = NULL;
	struct scstd_fuse *fuse = NULL;
	sigset_t sigs;
	int rc, sfd, status = 1;

	if (parse_opts(argc, argv, &o)) {
		free_opts(&o);
		return 2;
	}
	if (o.log_level && parse_level(o.log_level, &lvl)) {
		fprintf(stderr, "scstd: bad log level '%s'\n", o.log_level);
		free_opts(&o);
		return 2;
	}
	scst_log_set_level(lvl);

	/*
	 * SIGTERM and SIGINT are taken from a signalfd by this thread only:
	 * block them before any thread exists, so every thread inherits it.
	 */
	sigemptyset(&sigs);
	sigaddset(&sigs, SIGTERM);
	sigaddset(&sigs, SIGINT);
	sigprocmask(SIG_BLOCK, &sigs, NULL);
	signal(SIGPIPE, SIG_IGN);

	if (scstd_prepare(&o, &ctl))
		goto out;
	if (!o.foreground) {
		if (daemon(0, 0)) {
			scst_err("scstd: daemon: %s", strerror(errno));
			goto out_ctl;
		}
		openlog("scstd", LOG_PID, LOG_DAEMON);
		scst_log_set_sink(scstd_syslog_sink);
	}
	sfd = signalfd(-1, &sigs, SFD_CLOEXEC);
	if (sfd < 0) {
		scst_err("scstd: signalfd: %s", strerror(errno));
		goto out_ctl;
	}

	p.threads = o.threads;
	scst_set_state_dir(o.state_dir); /* APTPL reservations */
	rc = scst_core_init(&p);
	if (rc) {
		scst_err("scstd: the core failed to start: %s", strerror(-rc));
		goto out_sfd;
	}
	rc = scst_modules_init(scstd_modules, SCSTD_NMODULES);
	if (rc)
		goto out_core;
	if (!o.no_mount) {
		rc = scstd_fuse_start(o.root, &fuse);
		if (rc) {
			scst_err(
			    "scstd: cannot mount the config tree at %s: %s",
			    o.root, strerror(-rc));
			goto out_modules;
		}
		scst_info("scstd: config tree mounted at %s", o.root);
	}
	rc = scstd_ctl_run(ctl);
	if (rc) {
		scst_err("scstd: control socket thread: %s", strerror(-rc));
		goto out_fuse;
	}
	if (o.pid_file && (rc = write_pid_file(o.pid_file))) {
		scst_err("scstd: cannot write pid file %s: %s", o.pid_file,
			 strerror(-rc));
		goto out_fuse;
	}
	scst_info("scstd: running (pid %ld, control %s); SIGTERM stops it",
		  (long)getpid(), o.control);

	scstd_wait_signal(sfd);

	scst_info("scstd: stopping");
	status = 0;
	/* Intake first: no new control connections, no tree access. */
	scstd_ctl_close(ctl);
	ctl = NULL;
out_fuse:
	if (fuse) {
		scstd_fuse_stop(fuse);
		scst_info("scstd: config tree unmounted from %s", o.root);
	}
out_modules:
	scst_modules_exit(scstd_modules, SCSTD_NMODULES);
out_core:
	scst_core_exit();
out_sfd:
	close(sfd);
out_ctl:
	scstd_ctl_close(ctl);
	if (status == 0 && o.pid_file)
		unlink(o.pid_file);
out:
	if (status == 0)
		scst_info("scstd: stopped");
	free_opts(&o);
	return status;
}
