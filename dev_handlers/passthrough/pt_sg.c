// SPDX-License-Identifier: GPL-2.0-only
/*
 * The Linux SCSI generic backend (platform edge): /dev/sgN opened
 * O_RDWR|O_NONBLOCK, sg v3 requests (struct sg_io_hdr) written with
 * write() so that several are in flight, answers read() by one
 * completion thread for the module that poll()s every open sg fd.
 *
 *  - the command's buffer goes as an iovec (iovec_count), indirect I/O:
 *    the kernel copies at write()/read() time only, so a request that can
 *    no longer be read (device gone) leaves no kernel access behind;
 *  - pack_id numbers each request, usr_ptr points at it; an answer is
 *    matched against the in-flight list by both before it is used;
 *  - sg takes at most SG_MAX_QUEUE (16) requests per fd: the rest wait in
 *    order on a pending list and go out as answers come back;
 *  - ENODEV/ENXIO from write() or read(), or POLLHUP/POLLERR: the device
 *    is gone; every request it held is answered with err -ENODEV.
 */
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <scsi/sg.h>
#include <stdio.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/uio.h>
#include <unistd.h>
#include <linux/fs.h>

#include "dev_handlers/passthrough/pt_backend.h"
#include "scst/os.h"

#define PT_SG_QUEUE   16 /* SG_MAX_QUEUE */
#define PT_SG_MAX_FDS 256

struct pt_sg {
	struct pt_backend base;
	int fd;
	bool gone;
	unsigned int inflight;
	struct scst_list_head sent;    /* at the device */
	struct scst_list_head pending; /* waiting for room */
	struct scst_list_head entry;   /* in pt_sg_list */
};

static struct scst_mutex pt_sg_mutex; /* the list and every pt_sg */
static SCST_LIST_HEAD_DEF(pt_sg_list);
static struct scst_thread *pt_sg_thread;
static int pt_sg_wake[2] = {-1, -1};
static bool pt_sg_stop;
static unsigned long pt_sg_epoch;
static struct scst_waitq pt_sg_epoch_wq;
static int pt_sg_next_id;

static void pt_sg_kick(void)
{
	char c = 1;

	if (write(pt_sg_wake[1], &c, 1) < 0 && errno != EAGAIN)
		scst_warn("pt_sg: wake failed: %d", errno);
}

/* ------------------------------------------------------- requests ---- */

static int pt_sg_write(struct pt_sg *s, struct pt_req *r)
{
	struct iovec *iov = (struct iovec *)(void *)r->be_space;
	struct sg_io_hdr h;
	struct scst_sg_iter it;
	unsigned int n = 0;
	uint32_t len;
	void *p;

	memset(&h, 0, sizeof(h));
	h.interface_id = 'S';
	h.cmdp = (unsigned char *)(uintptr_t)r->cdb; /* only read */
	h.cmd_len = (unsigned char)r->cdb_len;
	h.sbp = r->sense;
	h.mx_sb_len = sizeof(r->sense);
	h.timeout = r->timeout_ms;
	h.pack_id = r->pack_id;
	h.usr_ptr = r;
	h.dxfer_direction = SG_DXFER_NONE;
	if (r->len) {
		scst_sg_iter_init(&it, r->sg, r->sg_cnt, 0, r->len);
		while (n < SCST_SG_MAX && scst_sg_iter_next(&it, &p, &len, 0)) {
			iov[n].iov_base = p;
			iov[n].iov_len = len;
			n++;
		}
		h.dxfer_direction = r->dir == SCST_DATA_WRITE
					? SG_DXFER_TO_DEV
					: SG_DXFER_FROM_DEV;
		h.dxfer_len = r->len;
		h.iovec_count = (unsigned short)n;
		h.dxferp = n == 1 ? iov[0].iov_base : iov;
		if (n == 1)
			h.iovec_count = 0;
	}
	if (write(s->fd, &h, sizeof(h)) < 0)
		return -errno;
	return 0;
}

/* Send what fits; s locked by pt_sg_mutex. Failures end up in @failed. */
static void pt_sg_push(struct pt_sg *s, struct scst_list_head *failed)
{
	struct pt_req *r;
	int rc;

	while (s->inflight < PT_SG_QUEUE && !scst_list_empty(&s->pending)) {
		r = scst_list_first_entry(&s->pending, struct pt_req, entry);
		scst_list_del_init(&r->entry);
		rc = s->gone ? -ENODEV : pt_sg_write(s, r);
		if (rc == -EDOM || rc == -EAGAIN) {
			scst_list_add(&r->entry, &s->pending);
			break;
		}
		if (rc) {
			if (rc == -ENODEV || rc == -ENXIO)
				s->gone = true;
			r->err = rc;
			scst_list_add_tail(&r->entry, failed);
			continue;
		}
		s->inflight++;
		scst_list_add_tail(&r->entry, &s->sent);
	}
}

static void pt_sg_finish(struct pt_sg *s, struct scst_list_head *done)
{
	struct pt_req *r, *t;

	scst_list_for_each_entry_safe (r, t, done, entry) {
		scst_list_del_init(&r->entry);
		s->base.done(&s->base, r);
	}
}

static int pt_sg_submit(struct pt_backend *b, struct pt_req *r)
{
	struct pt_sg *s = scst_container_of(b, struct pt_sg, base);
	SCST_LIST_HEAD_DEF(failed);
	int rc = 0;

	if (r->sg_cnt > SCST_SG_MAX)
		return -EINVAL;
	scst_mutex_lock(&pt_sg_mutex);
	if (s->gone) {
		scst_mutex_unlock(&pt_sg_mutex);
		return -ENODEV;
	}
	r->pack_id = pt_sg_next_id++ & 0x7fffffff;
	r->err = 0;
	scst_list_add_tail(&r->entry, &s->pending);
	pt_sg_push(s, &failed);
	scst_mutex_unlock(&pt_sg_mutex);
	/* Never from inside submit: a failed write is answered here by rc. */
	if (!scst_list_empty(&failed)) {
		struct pt_req *f =
		    scst_list_first_entry(&failed, struct pt_req, entry);

		if (f == r && f->entry.next == &failed) {
			scst_list_del_init(&r->entry);
			return r->err;
		}
		/* Others failed with it: answer them from the thread. */
		scst_mutex_lock(&pt_sg_mutex);
		scst_list_splice_tail_init(&failed, &s->pending);
		s->gone = true;
		scst_mutex_unlock(&pt_sg_mutex);
		pt_sg_kick();
	}
	return rc;
}

/* ------------------------------------------------------- answers ---- */

/* One answer read from @s; false when there is none (or it is gone). */
static bool pt_sg_read_one(struct pt_sg *s, struct scst_list_head *done)
{
	struct sg_io_hdr h;
	struct pt_req *r, *found = NULL;
	ssize_t n;

	memset(&h, 0, sizeof(h));
	h.interface_id = 'S';
	n = read(s->fd, &h, sizeof(h));
	if (n < 0) {
		if (errno == ENODEV || errno == ENXIO || errno == EBADF)
			s->gone = true;
		return false;
	}
	if ((size_t)n < sizeof(h))
		return true;
	scst_list_for_each_entry (r, &s->sent, entry)
		if (r == h.usr_ptr && r->pack_id == h.pack_id) {
			found = r;
			break;
		}
	if (!found) {
		scst_warn("pt_sg: answer for unknown pack_id %d", h.pack_id);
		return true;
	}
	scst_list_del_init(&found->entry);
	s->inflight--;
	found->status = h.status;
	found->host_status = (uint8_t)h.host_status;
	found->driver_status = (uint8_t)h.driver_status;
	found->sense_len = h.sb_len_wr;
	found->resid = h.resid;
	scst_list_add_tail(&found->entry, done);
	return true;
}

/* @s is gone: everything it held or queued is answered -ENODEV. */
static void pt_sg_fail_all(struct pt_sg *s, struct scst_list_head *done)
{
	struct pt_req *r, *t;

	scst_list_for_each_entry_safe (r, t, &s->sent, entry) {
		r->err = -ENODEV;
		s->inflight--;
	}
	scst_list_splice_tail_init(&s->sent, done);
	scst_list_for_each_entry_safe (r, t, &s->pending, entry)
		if (!r->err)
			r->err = -ENODEV;
	scst_list_splice_tail_init(&s->pending, done);
}

static int pt_sg_thread_fn(void *arg)
{
	static struct pollfd pfd[PT_SG_MAX_FDS + 1];
	static struct pt_sg *who[PT_SG_MAX_FDS + 1];
	SCST_LIST_HEAD_DEF(done);
	struct pt_sg *s;
	unsigned int n, i;
	char junk[64];

	(void)arg;
	for (;;) {
		scst_mutex_lock(&pt_sg_mutex);
		pt_sg_epoch++;
		if (pt_sg_stop) {
			scst_mutex_unlock(&pt_sg_mutex);
			scst_wake_up(&pt_sg_epoch_wq);
			break;
		}
		n = 0;
		pfd[n].fd = pt_sg_wake[0];
		pfd[n++].events = POLLIN;
		scst_list_for_each_entry (s, &pt_sg_list, entry) {
			if (s->gone || n > PT_SG_MAX_FDS)
				continue;
			who[n] = s;
			pfd[n].fd = s->fd;
			pfd[n++].events = POLLIN;
		}
		scst_mutex_unlock(&pt_sg_mutex);
		scst_wake_up(&pt_sg_epoch_wq);
		if (poll(pfd, n, -1) < 0 && errno != EINTR)
			scst_os_msleep(10);
		if (pfd[0].revents & POLLIN)
			while (read(pt_sg_wake[0], junk, sizeof(junk)) > 0)
				;
		for (i = 1; i < n; i++) {
			s = who[i];
			scst_mutex_lock(&pt_sg_mutex);
			if (pfd[i].revents & POLLIN)
				while (pt_sg_read_one(s, &done))
					;
			if (pfd[i].revents & (POLLERR | POLLHUP | POLLNVAL))
				s->gone = true;
			if (s->gone)
				pt_sg_fail_all(s, &done);
			else
				pt_sg_push(s, &done);
			scst_mutex_unlock(&pt_sg_mutex);
			pt_sg_finish(s, &done);
		}
		/*
		 * Requests failed in submit() beside another one. A device
		 * with requests is never closed, so @s stays valid unlocked;
		 * the walk restarts after each.
		 */
		for (;;) {
			struct pt_sg *g = NULL;

			scst_mutex_lock(&pt_sg_mutex);
			scst_list_for_each_entry (s, &pt_sg_list, entry)
				if (s->gone && (!scst_list_empty(&s->pending) ||
						!scst_list_empty(&s->sent))) {
					g = s;
					pt_sg_fail_all(g, &done);
					break;
				}
			scst_mutex_unlock(&pt_sg_mutex);
			if (!g)
				break;
			pt_sg_finish(g, &done);
		}
	}
	return 0;
}

/* ------------------------------------------------------- devices ---- */

/*
 * The thread has begun a new round since epoch @arg: the round that may
 * have polled a closed fd is over (the epoch moves at the top of each
 * round, under pt_sg_mutex, before the poll set is built from the list).
 * One round, not two: an idle thread sleeps in poll() after the round
 * the close's kick started, and nothing else would wake it (scstd hung
 * on SIGTERM closing its pass-through devices).
 */
static bool pt_sg_epoch_past(void *arg)
{
	unsigned long e = *(unsigned long *)arg, now;
	bool stop;

	scst_mutex_lock(&pt_sg_mutex);
	now = pt_sg_epoch;
	stop = pt_sg_stop;
	scst_mutex_unlock(&pt_sg_mutex);
	return now != e || stop;
}

int pt_sg_attach_fd(int fd, pt_done_fn done, void *owner,
		    struct pt_backend **out)
{
	struct pt_sg *s;

	s = scst_os_zalloc(sizeof(*s));
	if (!s) {
		close(fd);
		return -ENOMEM;
	}
	s->fd = fd;
	s->base.ops = &pt_sg_ops;
	s->base.done = done;
	s->base.owner = owner;
	scst_list_init(&s->sent);
	scst_list_init(&s->pending);
	scst_mutex_lock(&pt_sg_mutex);
	scst_list_add_tail(&s->entry, &pt_sg_list);
	scst_mutex_unlock(&pt_sg_mutex);
	pt_sg_kick();
	*out = &s->base;
	return 0;
}

static int pt_sg_open(const char *path, pt_done_fn done, void *owner,
		      struct pt_backend **out)
{
	int fd, v = 0;

	fd = open(path, O_RDWR | O_NONBLOCK | O_CLOEXEC);
	if (fd < 0)
		return -errno;
	/* Only sg v3 (and later) drivers answer this one. */
	if (ioctl(fd, SG_GET_VERSION_NUM, &v) < 0 || v < 30000) {
		close(fd);
		return -ENOTTY;
	}
	return pt_sg_attach_fd(fd, done, owner, out);
}

static void pt_sg_close(struct pt_backend *b)
{
	struct pt_sg *s = scst_container_of(b, struct pt_sg, base);
	unsigned long e;

	scst_mutex_lock(&pt_sg_mutex);
	scst_list_del_init(&s->entry);
	e = pt_sg_epoch;
	scst_mutex_unlock(&pt_sg_mutex);
	/* The thread's poll set may hold the fd: wait for its next round. */
	pt_sg_kick();
	scst_wait_event(&pt_sg_epoch_wq, pt_sg_epoch_past, &e);
	close(s->fd);
	scst_os_free(s);
}

static int pt_sg_reset(struct pt_backend *b)
{
	struct pt_sg *s = scst_container_of(b, struct pt_sg, base);
	int v = SG_SCSI_RESET_DEVICE;

	if (ioctl(s->fd, SG_SCSI_RESET, &v) < 0)
		return -errno;
	return 0;
}

/*
 * The largest transfer of one command: BLKSECTGET on sg gives the
 * queue's max_sectors in bytes (kernels since 4.x; older ones give
 * sectors, which only makes the limit smaller), bounded by what sg's
 * reserved buffer and scatter-gather table take.
 */
static uint32_t pt_sg_max_transfer(struct pt_backend *b)
{
	struct pt_sg *s = scst_container_of(b, struct pt_sg, base);
	int v = 0, tbl = 0;
	uint32_t lim = 0;

	if (ioctl(s->fd, BLKSECTGET, &v) == 0 && v > 0)
		lim = (uint32_t)v;
	if (ioctl(s->fd, SG_GET_SG_TABLESIZE, &tbl) == 0 && tbl > 0 &&
	    (uint64_t)tbl * 4096 < (lim ? lim : UINT32_MAX))
		lim = (uint32_t)tbl * 4096;
	return lim;
}

static int pt_sg_init(void)
{
	int rc;

	scst_mutex_init(&pt_sg_mutex);
	scst_waitq_init(&pt_sg_epoch_wq);
	pt_sg_stop = false;
	if (pipe2(pt_sg_wake, O_NONBLOCK | O_CLOEXEC) < 0)
		return -errno;
	rc = scst_thread_create(&pt_sg_thread, pt_sg_thread_fn, NULL, "pt-sg");
	if (rc) {
		close(pt_sg_wake[0]);
		close(pt_sg_wake[1]);
		pt_sg_wake[0] = pt_sg_wake[1] = -1;
	}
	return rc;
}

static void pt_sg_exit(void)
{
	scst_mutex_lock(&pt_sg_mutex);
	pt_sg_stop = true;
	scst_mutex_unlock(&pt_sg_mutex);
	pt_sg_kick();
	scst_thread_join(pt_sg_thread);
	pt_sg_thread = NULL;
	close(pt_sg_wake[0]);
	close(pt_sg_wake[1]);
	pt_sg_wake[0] = pt_sg_wake[1] = -1;
	scst_waitq_destroy(&pt_sg_epoch_wq);
}

const struct pt_backend_ops pt_sg_ops = {
    .name = "sg",
    .init = pt_sg_init,
    .exit = pt_sg_exit,
    .open = pt_sg_open,
    .close = pt_sg_close,
    .submit = pt_sg_submit,
    .reset = pt_sg_reset,
    .max_transfer = pt_sg_max_transfer,
};
