// SPDX-License-Identifier: GPL-2.0-only
/*
 * scstd's control socket: a UNIX stream socket that answers line-based
 * requests ("version", "ping", ...), one request per connection, from its
 * own thread. Requests are a table of {name, handler}; the iSCSI login
 * daemon's connection hand-off is meant to become one more row.
 */
#ifndef SCSTD_CTL_H
#define SCSTD_CTL_H

#include <stddef.h>
#include <sys/types.h>

/* Longest request line, newline included. Longer requests are refused. */
#define SCSTD_CTL_REQ_MAX 256

/* One request being served. */
struct scstd_ctl_req {
	int fd;		  /* the client's connection (non-blocking) */
	const char *args; /* the line after the request name, blanks skipped */
	char *reply;	  /* the handler puts one line here ... */
	size_t reply_size;
};

struct scstd_ctl_cmd {
	const char *name;
	/*
	 * Fill req->reply (a line ending in '\n') and return 0, or return a
	 * negative errno and the client gets "error <reason>\n".
	 */
	int (*handle)(struct scstd_ctl_req *req);
};

struct scstd_ctl;

/* mkdir -p: create @path and missing parents with @mode. */
int scstd_mkdir_p(const char *path, mode_t mode);

/*
 * Is a server listening on @path? 1 if one answers, 0 if nothing is there
 * or only a stale socket of a dead server, -ENOTSOCK if @path is something
 * other than a socket, or another -errno.
 */
int scstd_ctl_probe(const char *path);

/*
 * Create the listening socket at @path (mode 0600; the parent directory is
 * created 0755 if missing; a stale socket is replaced). -EADDRINUSE if a
 * live server answers there. Call before starting threads: it changes the
 * umask for the bind.
 */
int scstd_ctl_open(const char *path, struct scstd_ctl **out);

/* Start answering requests in a thread of its own. */
int scstd_ctl_run(struct scstd_ctl *ctl);

/* Stop the thread, close the socket and remove its file. Safe with NULL. */
void scstd_ctl_close(struct scstd_ctl *ctl);

#endif /* SCSTD_CTL_H */
