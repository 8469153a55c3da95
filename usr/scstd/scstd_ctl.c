// SPDX-License-Identifier: GPL-2.0-only
/*
 * scstd's control socket. One thread polls the listening socket and up to
 * SCSTD_CTL_MAX_CONNS clients; each client sends one request line (at most
 * SCSTD_CTL_REQ_MAX bytes, within SCSTD_CTL_TIMEOUT_MS), gets one reply
 * line and is disconnected. Requests are looked up in scstd_ctl_cmds.
 */
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <pthread.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <time.h>
#include <unistd.h>

#include "scst/os.h"
#include "scst/scst.h"
#include "usr/scstd/scstd_ctl.h"

#define SCSTD_CTL_MAX_CONNS  16
#define SCSTD_CTL_TIMEOUT_MS 5000
#define SCSTD_CTL_REPLY_MAX  (16 * 1024)

struct scstd_ctl_conn {
	int fd; /* -1: free slot */
	size_t len;
	uint64_t deadline_ms;
	char buf[SCSTD_CTL_REQ_MAX + 1];
};

struct scstd_ctl {
	int lfd;
	int wake[2]; /* the stop request: a byte in wake[1] */
	bool running;
	pthread_t thread;
	char *path;
	dev_t dev; /* the socket file we bound, so we remove only our own */
	ino_t ino;
	struct scstd_ctl_conn conns[SCSTD_CTL_MAX_CONNS];
};

/* ------------------------------------------------------- requests ---- */

static int scstd_ctl_no_args(struct scstd_ctl_req *req, const char *name)
{
	if (req->args[0] == '\0')
		return 0;
	snprintf(req->reply, req->reply_size, "error %s takes no argument\n",
		 name);
	return 1;
}

static int scstd_ctl_version(struct scstd_ctl_req *req)
{
	if (scstd_ctl_no_args(req, "version"))
		return 0;
	snprintf(req->reply, req->reply_size, "scstd %s\n",
		 SCST_VERSION_STRING);
	return 0;
}

static int scstd_ctl_ping(struct scstd_ctl_req *req)
{
	if (scstd_ctl_no_args(req, "ping"))
		return 0;
	snprintf(req->reply, req->reply_size, "pong\n");
	return 0;
}

static const struct scstd_ctl_cmd scstd_ctl_cmds[] = {
    {.name = "version", .handle = scstd_ctl_version},
    {.name = "ping", .handle = scstd_ctl_ping},
};

/* ------------------------------------------------------- helpers ---- */

int scstd_mkdir_p(const char *path, mode_t mode)
{
	char *p, *s;
	struct stat st;
	int rc = 0;

	p = strdup(path);
	if (!p)
		return -ENOMEM;
	for (s = p + 1;; s++) {
		if (*s != '/' && *s != '\0')
			continue;
		if (s[-1] != '/') {
			char c = *s;

			*s = '\0';
			if (mkdir(p, mode) && errno != EEXIST) {
				rc = -errno;
				break;
			}
			*s = c;
		}
		if (*s == '\0')
			break;
	}
	if (!rc) {
		if (stat(path, &st))
			rc = -errno;
		else if (!S_ISDIR(st.st_mode))
			rc = -ENOTDIR;
	}
	free(p);
	return rc;
}

static uint64_t scstd_ctl_now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000 + (uint64_t)ts.tv_nsec / 1000000;
}

static int scstd_ctl_addr(const char *path, struct sockaddr_un *sun)
{
	memset(sun, 0, sizeof(*sun));
	sun->sun_family = AF_UNIX;
	if (strlen(path) >= sizeof(sun->sun_path))
		return -ENAMETOOLONG;
	strcpy(sun->sun_path, path);
	return 0;
}

int scstd_ctl_probe(const char *path)
{
	struct sockaddr_un sun;
	struct stat st;
	int fd, rc;

	rc = scstd_ctl_addr(path, &sun);
	if (rc)
		return rc;
	if (lstat(path, &st))
		return errno == ENOENT ? 0 : -errno;
	if (!S_ISSOCK(st.st_mode))
		return -ENOTSOCK;
	fd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
	if (fd < 0)
		return -errno;
	if (connect(fd, (struct sockaddr *)&sun, sizeof(sun)) == 0)
		rc = 1;
	else if (errno == ECONNREFUSED || errno == ENOENT)
		rc = 0;
	else if (errno == EAGAIN)
		rc = 1; /* alive, its backlog is full */
	else
		rc = -errno;
	close(fd);
	return rc;
}

/* ------------------------------------------------------- serving ---- */

static void scstd_ctl_send(int fd, const char *s)
{
	/* A reply is a short line into an empty socket buffer. */
	if (send(fd, s, strlen(s), MSG_NOSIGNAL | MSG_DONTWAIT) < 0)
		scst_dbg("scstd: control reply not sent: %s", strerror(errno));
}

static void scstd_ctl_dispatch(struct scstd_ctl_conn *c)
{
	static char reply[SCSTD_CTL_REPLY_MAX]; /* one control thread */
	struct scstd_ctl_req req;
	char *line = c->buf, *args;
	size_t i, n;
	int rc;

	n = strcspn(line, "\r\n");
	line[n] = '\0';
	args = line + strcspn(line, " \t");
	if (*args) {
		*args++ = '\0';
		args += strspn(args, " \t");
	}
	for (i = 0; i < sizeof(scstd_ctl_cmds) / sizeof(scstd_ctl_cmds[0]);
	     i++) {
		if (strcmp(line, scstd_ctl_cmds[i].name) == 0)
			break;
	}
	if (i == sizeof(scstd_ctl_cmds) / sizeof(scstd_ctl_cmds[0])) {
		/* Not the daemon's own: a module may answer it. */
		reply[0] = '\0';
		rc = scst_ctl_dispatch(line, c->fd, args, reply, sizeof(reply));
		if (rc == -ENOENT) {
			scst_dbg("scstd: unknown control request '%.64s'",
				 line);
			scstd_ctl_send(c->fd, "error unknown request\n");
			return;
		}
		if (rc < 0)
			snprintf(reply, sizeof(reply), "error %s\n",
				 strerror(-rc));
		scstd_ctl_send(c->fd, reply);
		return;
	}
	req.fd = c->fd;
	req.args = args;
	req.reply = reply;
	req.reply_size = sizeof(reply);
	reply[0] = '\0';
	rc = scstd_ctl_cmds[i].handle(&req);
	if (rc < 0)
		snprintf(reply, sizeof(reply), "error %s\n", strerror(-rc));
	scstd_ctl_send(c->fd, reply);
}

static void scstd_ctl_conn_close(struct scstd_ctl_conn *c)
{
	close(c->fd);
	c->fd = -1;
	c->len = 0;
}

/* Read what the client sent; answer and close once the line is complete. */
static void scstd_ctl_conn_input(struct scstd_ctl_conn *c)
{
	ssize_t n;

	n = recv(c->fd, c->buf + c->len, SCSTD_CTL_REQ_MAX - c->len, 0);
	if (n < 0) {
		if (errno == EAGAIN || errno == EINTR)
			return;
		scstd_ctl_conn_close(c);
		return;
	}
	if (n == 0) {
		/* The client shut its side: a last line without a newline. */
		if (c->len) {
			c->buf[c->len] = '\0';
			scstd_ctl_dispatch(c);
		}
		scstd_ctl_conn_close(c);
		return;
	}
	c->len += (size_t)n;
	c->buf[c->len] = '\0';
	if (memchr(c->buf, '\n', c->len)) {
		scstd_ctl_dispatch(c);
		scstd_ctl_conn_close(c);
	} else if (c->len == SCSTD_CTL_REQ_MAX) {
		scstd_ctl_send(c->fd, "error request too long\n");
		scstd_ctl_conn_close(c);
	}
}

static void scstd_ctl_accept(struct scstd_ctl *ctl)
{
	unsigned int i;
	int fd;

	for (i = 0; i < SCSTD_CTL_MAX_CONNS; i++) {
		if (ctl->conns[i].fd >= 0)
			continue;
		fd =
		    accept4(ctl->lfd, NULL, NULL, SOCK_NONBLOCK | SOCK_CLOEXEC);
		if (fd < 0) {
			if (errno != EAGAIN && errno != EINTR &&
			    errno != ECONNABORTED)
				scst_warn("scstd: control accept: %s",
					  strerror(errno));
			return;
		}
		ctl->conns[i].fd = fd;
		ctl->conns[i].len = 0;
		ctl->conns[i].deadline_ms =
		    scstd_ctl_now_ms() + SCSTD_CTL_TIMEOUT_MS;
	}
}

static void *scstd_ctl_thread(void *arg)
{
	struct pollfd pfd[2 + SCSTD_CTL_MAX_CONNS];
	struct scstd_ctl_conn *slot[2 + SCSTD_CTL_MAX_CONNS];
	struct scstd_ctl *ctl = arg;
	unsigned int i, n, nfree;
	uint64_t now, next;
	int timeout, rc;

	for (;;) {
		now = scstd_ctl_now_ms();
		next = UINT64_MAX;
		nfree = 0;
		pfd[0].fd = ctl->wake[0];
		pfd[0].events = POLLIN;
		pfd[1].fd = ctl->lfd;
		pfd[1].events = POLLIN;
		n = 2;
		for (i = 0; i < SCSTD_CTL_MAX_CONNS; i++) {
			struct scstd_ctl_conn *c = &ctl->conns[i];

			if (c->fd < 0) {
				nfree++;
				continue;
			}
			if (now >= c->deadline_ms) {
				scstd_ctl_conn_close(c);
				nfree++;
				continue;
			}
			if (c->deadline_ms < next)
				next = c->deadline_ms;
			pfd[n].fd = c->fd;
			pfd[n].events = POLLIN;
			slot[n++] = c;
		}
		/* All slots busy: leave new clients in the backlog. */
		if (!nfree)
			pfd[1].fd = -1;
		timeout = next == UINT64_MAX ? -1 : (int)(next - now);
		rc = poll(pfd, n, timeout);
		if (rc < 0) {
			if (errno == EINTR)
				continue;
			scst_err("scstd: control socket poll: %s",
				 strerror(errno));
			break;
		}
		if (pfd[0].revents)
			break;
		for (i = 2; i < n; i++) {
			if (pfd[i].revents)
				scstd_ctl_conn_input(slot[i]);
		}
		if (pfd[1].fd >= 0 && pfd[1].revents)
			scstd_ctl_accept(ctl);
	}
	for (i = 0; i < SCSTD_CTL_MAX_CONNS; i++) {
		if (ctl->conns[i].fd >= 0)
			scstd_ctl_conn_close(&ctl->conns[i]);
	}
	return NULL;
}

/* ------------------------------------------------------ lifecycle ---- */

int scstd_ctl_open(const char *path, struct scstd_ctl **out)
{
	struct sockaddr_un sun;
	struct scstd_ctl *ctl;
	struct stat st;
	char *dir, *slash;
	mode_t old_mask;
	unsigned int i;
	int rc;

	rc = scstd_ctl_addr(path, &sun);
	if (rc)
		return rc;
	dir = strdup(path);
	if (!dir)
		return -ENOMEM;
	slash = strrchr(dir, '/');
	if (slash && slash != dir) {
		*slash = '\0';
		rc = scstd_mkdir_p(dir, 0755);
	}
	free(dir);
	if (rc)
		return rc;

	rc = scstd_ctl_probe(path);
	if (rc < 0)
		return rc;
	if (rc > 0)
		return -EADDRINUSE;
	if (unlink(path) == 0)
		scst_info("scstd: replaced the stale control socket %s", path);
	else if (errno != ENOENT)
		return -errno;

	ctl = calloc(1, sizeof(*ctl));
	if (!ctl)
		return -ENOMEM;
	ctl->wake[0] = ctl->wake[1] = -1;
	for (i = 0; i < SCSTD_CTL_MAX_CONNS; i++)
		ctl->conns[i].fd = -1;
	ctl->path = strdup(path);
	ctl->lfd =
	    socket(AF_UNIX, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
	if (!ctl->path || ctl->lfd < 0) {
		rc = ctl->path ? -errno : -ENOMEM;
		goto fail;
	}
	if (pipe2(ctl->wake, O_CLOEXEC)) {
		rc = -errno;
		goto fail;
	}
	/* The socket file is created with the umask: only we may connect. */
	old_mask = umask(0177);
	rc = bind(ctl->lfd, (struct sockaddr *)&sun, sizeof(sun));
	umask(old_mask);
	if (rc) {
		rc = -errno;
		goto fail;
	}
	if (chmod(path, 0600) || stat(path, &st) || listen(ctl->lfd, 64)) {
		rc = -errno;
		unlink(path);
		goto fail;
	}
	ctl->dev = st.st_dev;
	ctl->ino = st.st_ino;
	*out = ctl;
	return 0;
fail:
	if (ctl->lfd >= 0)
		close(ctl->lfd);
	if (ctl->wake[0] >= 0) {
		close(ctl->wake[0]);
		close(ctl->wake[1]);
	}
	free(ctl->path);
	free(ctl);
	return rc;
}

int scstd_ctl_run(struct scstd_ctl *ctl)
{
	int rc;

	rc = pthread_create(&ctl->thread, NULL, scstd_ctl_thread, ctl);
	if (rc)
		return -rc;
	ctl->running = true;
	return 0;
}

void scstd_ctl_close(struct scstd_ctl *ctl)
{
	struct stat st;
	ssize_t n;

	if (!ctl)
		return;
	if (ctl->running) {
		do
			n = write(ctl->wake[1], "x", 1);
		while (n < 0 && errno == EINTR);
		pthread_join(ctl->thread, NULL);
	}
	close(ctl->lfd);
	close(ctl->wake[0]);
	close(ctl->wake[1]);
	if (stat(ctl->path, &st) == 0 && st.st_dev == ctl->dev &&
	    st.st_ino == ctl->ino)
		unlink(ctl->path);
	free(ctl->path);
	free(ctl);
}
