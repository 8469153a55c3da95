// SPDX-License-Identifier: GPL-2.0-only
/*
 * iscsi-scstd: the iSCSI login daemon. It listens on the portals (-a
 * ADDR[:PORT], IPv4 and IPv6, non-blocking), runs logins and discovery
 * sessions in one epoll loop, at most --max-logins at a time (more are
 * closed at once), each bounded by the login timeout, and hands logged-in
 * normal sessions to scstd over its control socket. SIGTERM or SIGINT
 * stops it.
 */
#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <netdb.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/epoll.h>
#include <sys/signalfd.h>
#include <sys/socket.h>
#include <syslog.h>
#include <unistd.h>

#include "scst/os.h"

#include "iscsi-scst/usr/iscsid.h"

enum {
	OPT_CONTROL = 0x100,
	OPT_MAX_LOGINS,
	OPT_LOGIN_TIMEOUT,
};

struct iscsid_opts {
	bool foreground;
	const char *addrs[ISCSID_MAX_PORTALS];
	unsigned int n_addrs;
	const char *port;
	const char *control;
	const char *pid_file;
	const char *log_level;
	unsigned int max_logins;
	unsigned int login_timeout_s;
};

/* What an epoll event points at. */
enum slot_kind { SLOT_LISTEN, SLOT_SIGNAL, SLOT_CONN };

struct slot {
	enum slot_kind kind;
	int fd;
	struct iscsid_conn *conn; /* SLOT_CONN */
	bool out;		  /* registered for EPOLLOUT */
};

struct iscsid {
	struct iscsid_config cfg;
	int epfd;
	struct slot *listeners[ISCSID_MAX_PORTALS];
	unsigned int n_listeners;
	struct slot **conns; /* max_logins entries, NULL: free */
	unsigned int max_logins, n_conns;
	bool stop;
};

static void iscsid_syslog_sink(enum scst_log_level lvl, const char *line)
{
	static const int prio[] = {LOG_ERR, LOG_WARNING, LOG_INFO, LOG_DEBUG};

	syslog(prio[lvl], "%s", line);
}

static void usage(FILE *f)
{
	fprintf(
	    f,
	    "usage: iscsi-scstd [options]\n"
	    "  -f, --foreground        stay in the foreground, log to stderr\n"
	    "  -a, --address ADDR[:PORT]\n"
	    "                          listen on ADDR (IPv4, IPv6 or [IPv6]),\n"
	    "                          on PORT if given, else on -p's;\n"
	    "                          repeatable (default 0.0.0.0 and ::)\n"
	    "  -p, --port PORT         TCP port of the addresses given\n"
	    "                          without one (default 3260)\n"
	    "      --control PATH      scstd's control socket\n"
	    "                          (default " ISCSID_DEFAULT_CONTROL ")\n"
	    "  -P, --pid-file PATH     write the daemon's pid to PATH\n"
	    "  -l, --log-level L       err, warn, info (default) or debug\n"
	    "      --max-logins N      concurrent logins (default 64)\n"
	    "      --login-timeout S   seconds a login may take (default "
	    "15)\n"
	    "  -h, --help              this text\n");
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

static int parse_uint(const char *s, unsigned int min, unsigned int max,
		      unsigned int *v)
{
	char *end;
	unsigned long n;

	errno = 0;
	n = strtoul(s, &end, 10);
	if (errno || end == s || *end || n < min || n > max)
		return -EINVAL;
	*v = (unsigned int)n;
	return 0;
}

/*
 * Split an -a argument into its host and port: "ADDR", "ADDR:PORT",
 * "V6", "[V6]" and "[V6]:PORT" (an IPv6 address with a port needs the
 * brackets). @port stays as it is when the argument names none.
 */
static int split_addr(const char *arg, char *host, size_t host_size,
		      const char **port)
{
	const char *colon = strrchr(arg, ':'), *end, *p = NULL;
	unsigned int n;
	size_t len;

	if (arg[0] == '[') {
		end = strchr(arg, ']');
		if (!end || (end[1] && end[1] != ':'))
			return -EINVAL;
		if (end[1] == ':')
			p = end + 2;
		arg++;
		len = (size_t)(end - arg);
	} else if (colon && colon == strchr(arg, ':')) {
		/* One colon: IPv4 address (or host) and port. */
		p = colon + 1;
		len = (size_t)(colon - arg);
	} else {
		len = strlen(arg);
	}
	if (!len || len >= host_size || (p && parse_uint(p, 1, 65535, &n)))
		return -EINVAL;
	memcpy(host, arg, len);
	host[len] = '\0';
	if (p)
		*port = p;
	return 0;
}

static int parse_opts(int argc, char **argv, struct iscsid_opts *o)
{
	static const struct option longopts[] = {
	    {"foreground", no_argument, NULL, 'f'},
	    {"address", required_argument, NULL, 'a'},
	    {"port", required_argument, NULL, 'p'},
	    {"pid-file", required_argument, NULL, 'P'},
	    {"log-level", required_argument, NULL, 'l'},
	    {"control", required_argument, NULL, OPT_CONTROL},
	    {"max-logins", required_argument, NULL, OPT_MAX_LOGINS},
	    {"login-timeout", required_argument, NULL, OPT_LOGIN_TIMEOUT},
	    {"help", no_argument, NULL, 'h'},
	    {0},
	};
	const char *port_s = NULL;
	char host[64];
	unsigned int port;
	int c;

	while ((c = getopt_long(argc, argv, "fa:p:P:l:h", longopts, NULL)) !=
	       -1) {
		switch (c) {
		case 'f':
			o->foreground = true;
			break;
		case 'a':
			if (o->n_addrs == ISCSID_MAX_PORTALS) {
				fprintf(stderr, "iscsi-scstd: too many -a\n");
				return -EINVAL;
			}
			if (split_addr(optarg, host, sizeof(host), &port_s)) {
				fprintf(stderr,
					"iscsi-scstd: bad address '%s'\n",
					optarg);
				return -EINVAL;
			}
			o->addrs[o->n_addrs++] = optarg;
			break;
		case 'p':
			if (parse_uint(optarg, 1, 65535, &port)) {
				fprintf(stderr, "iscsi-scstd: bad port '%s'\n",
					optarg);
				return -EINVAL;
			}
			o->port = optarg;
			break;
		case 'P':
			o->pid_file = optarg;
			break;
		case 'l':
			o->log_level = optarg;
			break;
		case OPT_CONTROL:
			o->control = optarg;
			break;
		case OPT_MAX_LOGINS:
			if (parse_uint(optarg, 1, 4096, &o->max_logins)) {
				fprintf(stderr,
					"iscsi-scstd: bad --max-logins '%s'\n",
					optarg);
				return -EINVAL;
			}
			break;
		case OPT_LOGIN_TIMEOUT:
			if (parse_uint(optarg, 1, 3600, &o->login_timeout_s)) {
				fprintf(stderr,
					"iscsi-scstd: bad --login-timeout "
					"'%s'\n",
					optarg);
				return -EINVAL;
			}
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
		fprintf(stderr, "iscsi-scstd: unexpected argument '%s'\n",
			argv[optind]);
		return -EINVAL;
	}
	return 0;
}

static uint64_t now_ms(void)
{
	return scst_os_now_ns() / 1000000u;
}

static int ep_ctl(struct iscsid *d, int op, struct slot *s, uint32_t events)
{
	struct epoll_event ev = {.events = events, .data.ptr = s};

	return epoll_ctl(d->epfd, op, s->fd, &ev) ? -errno : 0;
}

/* ---------------------------------------------------------- portals ---- */

/* Tell SendTargets about a portal (not a wildcard address). */
static void register_portal(const struct addrinfo *ai)
{
	char host[NI_MAXHOST], serv[NI_MAXSERV];
	bool v6 = ai->ai_family == AF_INET6;

	if (getnameinfo(ai->ai_addr, ai->ai_addrlen, host, sizeof(host), serv,
			sizeof(serv), NI_NUMERICHOST | NI_NUMERICSERV))
		return;
	if (!strcmp(host, "0.0.0.0") || !strcmp(host, "::"))
		return;
	if (iscsid_disc_add_portal(host, (uint16_t)atoi(serv), v6))
		scst_warn("iscsi-scstd: portal %s not listed by SendTargets",
			  host);
}

static int listen_one(struct iscsid *d, const struct addrinfo *ai,
		      const char *addr)
{
	struct slot *s;
	int fd, one = 1;

	if (d->n_listeners == ISCSID_MAX_PORTALS)
		return -ENOSPC;
	fd = socket(ai->ai_family,
		    ai->ai_socktype | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
	if (fd < 0)
		return -errno;
	setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof(one));
	if (ai->ai_family == AF_INET6)
		setsockopt(fd, IPPROTO_IPV6, IPV6_V6ONLY, &one, sizeof(one));
	if (bind(fd, ai->ai_addr, ai->ai_addrlen) || listen(fd, 64)) {
		int rc = -errno;

		scst_err("iscsi-scstd: cannot listen on %s: %s", addr,
			 strerror(-rc));
		close(fd);
		return rc;
	}
	s = calloc(1, sizeof(*s));
	if (!s) {
		close(fd);
		return -ENOMEM;
	}
	s->kind = SLOT_LISTEN;
	s->fd = fd;
	d->listeners[d->n_listeners++] = s;
	register_portal(ai);
	return ep_ctl(d, EPOLL_CTL_ADD, s, EPOLLIN);
}

static int listen_addr(struct iscsid *d, const char *addr, const char *port)
{
	struct addrinfo hints = {
	    .ai_flags = AI_PASSIVE | AI_NUMERICHOST | AI_NUMERICSERV,
	    .ai_socktype = SOCK_STREAM,
	};
	struct addrinfo *res, *ai;
	char host[64];
	int rc;

	if (split_addr(addr, host, sizeof(host), &port)) {
		scst_err("iscsi-scstd: bad address '%s'", addr);
		return -EINVAL;
	}
	rc = getaddrinfo(host, port, &hints, &res);
	if (rc) {
		scst_err("iscsi-scstd: bad address '%s': %s", addr,
			 gai_strerror(rc));
		return -EINVAL;
	}
	for (ai = res, rc = 0; ai && !rc; ai = ai->ai_next)
		rc = listen_one(d, ai, addr);
	freeaddrinfo(res);
	if (!rc)
		scst_info("iscsi-scstd: listening on %s port %s", host, port);
	return rc;
}

/* ------------------------------------------------------ connections ---- */

static void conn_close(struct iscsid *d, unsigned int i, bool handed_off)
{
	struct slot *s = d->conns[i];

	epoll_ctl(d->epfd, EPOLL_CTL_DEL, s->fd, NULL);
	if (!handed_off)
		shutdown(s->fd, SHUT_RDWR);
	close(s->fd);
	iscsid_conn_free(s->conn);
	free(s);
	d->conns[i] = NULL;
	d->n_conns--;
}

static void on_accept(struct iscsid *d, struct slot *l)
{
	struct slot *s;
	unsigned int i;
	int fd;

	for (;;) {
		fd = accept4(l->fd, NULL, NULL, SOCK_NONBLOCK | SOCK_CLOEXEC);
		if (fd < 0) {
			if (errno != EAGAIN && errno != EWOULDBLOCK &&
			    errno != EINTR && errno != ECONNABORTED)
				scst_warn("iscsi-scstd: accept: %s",
					  strerror(errno));
			if (errno == EINTR || errno == ECONNABORTED)
				continue;
			return;
		}
		if (d->n_conns == d->max_logins) {
			scst_warn("iscsi-scstd: %u logins in progress; "
				  "connection refused",
				  d->n_conns);
			close(fd);
			continue;
		}
		for (i = 0; d->conns[i]; i++)
			;
		s = calloc(1, sizeof(*s));
		if (s)
			s->conn = iscsid_conn_new(fd, &d->cfg, now_ms());
		if (!s || !s->conn ||
		    (s->kind = SLOT_CONN, s->fd = fd,
		     ep_ctl(d, EPOLL_CTL_ADD, s, EPOLLIN))) {
			if (s)
				iscsid_conn_free(s->conn);
			free(s);
			close(fd);
			continue;
		}
		d->conns[i] = s;
		d->n_conns++;
	}
}

static unsigned int conn_index(struct iscsid *d, struct slot *s)
{
	unsigned int i;

	for (i = 0; i < d->max_logins; i++)
		if (d->conns[i] == s)
			break;
	return i;
}

static void on_conn(struct iscsid *d, struct slot *s, uint32_t events)
{
	enum iscsid_verdict v = ISCSID_KEEP;
	bool want_out;

	if (events & EPOLLOUT)
		v = iscsid_conn_on_write(s->conn);
	if (v == ISCSID_KEEP && (events & (EPOLLIN | EPOLLHUP | EPOLLERR)))
		v = iscsid_conn_on_read(s->conn);
	if (v != ISCSID_KEEP) {
		conn_close(d, conn_index(d, s), v == ISCSID_HANDED_OFF);
		return;
	}
	/* While a response is queued, wait for room rather than input. */
	want_out = iscsid_conn_wants_write(s->conn);
	if (want_out != s->out) {
		s->out = want_out;
		ep_ctl(d, EPOLL_CTL_MOD, s, want_out ? EPOLLOUT : EPOLLIN);
	}
}

/* Drop logins past their deadline; the time to the next one (ms). */
static int expire(struct iscsid *d)
{
	uint64_t now = now_ms(), next = UINT64_MAX;
	unsigned int i;

	for (i = 0; i < d->max_logins; i++) {
		struct slot *s = d->conns[i];
		uint64_t dl;

		if (!s)
			continue;
		dl = iscsid_conn_deadline(s->conn);
		if (dl <= now) {
			scst_info("iscsi-scstd: login timed out; connection "
				  "dropped");
			conn_close(d, i, false);
			continue;
		}
		if (dl < next)
			next = dl;
	}
	return next == UINT64_MAX ? -1 : (int)(next - now);
}

static void on_signal(struct iscsid *d, int fd)
{
	struct signalfd_siginfo si;

	if (read(fd, &si, sizeof(si)) == (ssize_t)sizeof(si)) {
		scst_info("iscsi-scstd: %s received",
			  si.ssi_signo == SIGINT ? "SIGINT" : "SIGTERM");
		d->stop = true;
	}
}

static void run(struct iscsid *d)
{
	struct epoll_event evs[32];
	int n, i, timeout;

	while (!d->stop) {
		timeout = expire(d);
		n = epoll_wait(d->epfd, evs, 32, timeout);
		if (n < 0 && errno != EINTR) {
			scst_err("iscsi-scstd: epoll_wait: %s",
				 strerror(errno));
			return;
		}
		for (i = 0; i < n; i++) {
			struct slot *s = evs[i].data.ptr;

			if (s->kind == SLOT_LISTEN)
				on_accept(d, s);
			else if (s->kind == SLOT_SIGNAL)
				on_signal(d, s->fd);
			else
				on_conn(d, s, evs[i].events);
			/* A slot closed here may be named again later in
			 * evs[]: only connections close, and only their own
			 * event refers to them. */
		}
	}
}

static int write_pid_file(const char *path)
{
	FILE *f = fopen(path, "we");

	if (!f)
		return -errno;
	fprintf(f, "%ld\n", (long)getpid());
	return fclose(f) ? -errno : 0;
}

static void teardown(struct iscsid *d)
{
	unsigned int i;

	for (i = 0; d->conns && i < d->max_logins; i++)
		if (d->conns[i])
			conn_close(d, i, false);
	for (i = 0; i < d->n_listeners; i++) {
		close(d->listeners[i]->fd);
		free(d->listeners[i]);
	}
	free(d->conns);
	if (d->epfd >= 0)
		close(d->epfd);
}

int main(int argc, char **argv)
{
	struct iscsid_opts o = {.port = "3260",
				.control = ISCSID_DEFAULT_CONTROL,
				.max_logins = ISCSID_MAX_LOGINS,
				.login_timeout_s =
				    ISCSID_LOGIN_TIMEOUT_MS / 1000};
	enum scst_log_level lvl = SCST_LOG_INFO;
	struct iscsid d = {.epfd = -1};
	struct slot sig = {.kind = SLOT_SIGNAL, .fd = -1};
	sigset_t sigs;
	bool default_addrs;
	unsigned int i;
	int status = 1;

	if (parse_opts(argc, argv, &o))
		return 2;
	if (o.log_level && parse_level(o.log_level, &lvl)) {
		fprintf(stderr, "iscsi-scstd: bad log level '%s'\n",
			o.log_level);
		return 2;
	}
	scst_log_set_level(lvl);
	default_addrs = !o.n_addrs;
	if (!o.n_addrs) {
		o.addrs[o.n_addrs++] = "0.0.0.0";
		o.addrs[o.n_addrs++] = "::";
	}
	d.cfg.control = o.control;
	d.cfg.login_timeout_ms = o.login_timeout_s * 1000;
	d.max_logins = o.max_logins;

	sigemptyset(&sigs);
	sigaddset(&sigs, SIGTERM);
	sigaddset(&sigs, SIGINT);
	sigprocmask(SIG_BLOCK, &sigs, NULL);
	signal(SIGPIPE, SIG_IGN);

	d.epfd = epoll_create1(EPOLL_CLOEXEC);
	d.conns = calloc(d.max_logins, sizeof(*d.conns));
	if (d.epfd < 0 || !d.conns) {
		scst_err("iscsi-scstd: cannot start: %s", strerror(errno));
		goto out;
	}
	for (i = 0; i < o.n_addrs; i++) {
		if (!listen_addr(&d, o.addrs[i], o.port))
			continue;
		/* The default "::" is best effort (no IPv6 here). */
		if (!default_addrs || i == 0)
			goto out;
	}
	if (!o.foreground) {
		if (daemon(0, 0)) {
			scst_err("iscsi-scstd: daemon: %s", strerror(errno));
			goto out;
		}
		openlog("iscsi-scstd", LOG_PID, LOG_DAEMON);
		scst_log_set_sink(iscsid_syslog_sink);
	}
	sig.fd = signalfd(-1, &sigs, SFD_CLOEXEC | SFD_NONBLOCK);
	if (sig.fd < 0 || ep_ctl(&d, EPOLL_CTL_ADD, &sig, EPOLLIN)) {
		scst_err("iscsi-scstd: signalfd: %s", strerror(errno));
		goto out;
	}
	if (o.pid_file && write_pid_file(o.pid_file)) {
		scst_err("iscsi-scstd: cannot write pid file %s", o.pid_file);
		goto out;
	}
	scst_info("iscsi-scstd: running (pid %ld, control %s)", (long)getpid(),
		  d.cfg.control);
	run(&d);
	status = d.stop ? 0 : 1;
	if (o.pid_file)
		unlink(o.pid_file);
	scst_info("iscsi-scstd: stopped");
out:
	teardown(&d);
	if (sig.fd >= 0)
		close(sig.fd);
	return status;
}
