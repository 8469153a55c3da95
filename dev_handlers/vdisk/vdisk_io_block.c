// SPDX-License-Identifier: GPL-2.0-only
/*
 * The block backend (vdisk_blockio) and the libaio engine it shares with
 * O_DIRECT files.
 *
 * A block device is opened with O_DIRECT; reads and writes go to the
 * kernel with io_submit() from the calling thread. An I/O for a command
 * whose worker takes completion wake-ups (a transport's network thread,
 * scst_cmd_wake_fd()) goes to the engine's polled context and signals that
 * worker's eventfd; the worker reaps it in the vdisk poller (scst_poller)
 * and the command goes on right there, with no thread of ours woken in
 * between. Submitted on that worker's own thread, such I/Os are gathered
 * and go to the kernel together, one io_submit() per engine per round of
 * the worker (the poller flushes them before it reaps). Every other I/O
 * goes to the engine's threaded context and
 * completes on its event thread (io_getevents). FUA writes carry RWF_DSYNC.
 * Flush and discard (BLKDISCARD) run on the offload pool. This file is the
 * platform edge: it may use system calls.
 *
 * Zero copy: the core's buffer pieces start on a page (scst_cmd_sg()), so
 * a read or write is one IOCB_CMD_PREADV/PWRITEV whose iovecs point into
 * the command's scatter-gather list, built with scst_sg_iter in the
 * request's own array (a request comes from a cache: no malloc, no copy).
 * vdisk's own job buffers (SBC jobs, EXTENDED COPY) start on a page too.
 * Only when a piece does not meet the file's direct I/O alignment (its
 * address or length is not a multiple of it: a buffer from elsewhere, or
 * COMPARE AND WRITE's write half, which starts inside the command's
 * buffer, on a file that needs more alignment than the block size) or
 * the list has more pieces than the array holds, the whole transfer goes
 * through a page-aligned bounce buffer: copied in before a write, out
 * after a read. vdisk_aio_bounced() counts those.
 */
#include <errno.h>
#include <fcntl.h>
#include <libaio.h>
#include <linux/fs.h>
#include <stdlib.h>
#include <sys/ioctl.h>
#include <sys/stat.h>
#include <sys/uio.h>

#include "dev_handlers/vdisk/vdisk_limits.h"
#include "dev_handlers/vdisk/vdisk_priv.h"
#include "scst/scst_sg.h"

/* Per context: the threaded and the polled one. */
#define VDISK_AIO_DEPTH	  512
#define VDISK_AIO_EVENTS  64
#define VDISK_AIO_ALIGN	  4096 /* of a bounce buffer; the fallback alignment */
#define VDISK_AIO_POLL_NS 50000000L /* how soon a closing engine stops */
/* A maximal transfer, one more for a start inside a piece. */
#define VDISK_AIO_MAX_IOV ((int)SCST_SG_MAX + 1)

struct vdisk_aio {
	io_context_t ctx;	     /* completions on the engine's thread */
	io_context_t pctx;	     /* completions reaped by the workers */
	struct scst_list_head entry; /* vdisk_aio_engines */
	int fd;
	uint32_t dio_align; /* iovec addresses and lengths: multiples */
	bool stopping;
	struct scst_thread *thread;
	char name[32];
};

/* One request in flight. */
struct vdisk_aio_req {
	struct iocb iocb;
	struct vdisk_io *io;
	void *bounce; /* NULL unless the transfer is bounced */
	struct iovec iov[VDISK_AIO_MAX_IOV];
};

static struct scst_os_cache *vdisk_aio_req_cache;
static scst_atomic64_t vdisk_aio_bounce_count;
static scst_atomic64_t vdisk_aio_polled_count;
static scst_atomic64_t vdisk_aio_thread_count;

/* The open engines, for the poller; the lock keeps an engine alive. */
static SCST_LIST_HEAD_DEF(vdisk_aio_engines);
static struct scst_rwlock vdisk_aio_engines_lock;

/*
 * Polled submissions gathered on a worker's thread, flushed by the poller
 * (which that thread runs before it waits) or when the engine changes or
 * the batch is full.
 */
#define VDISK_AIO_BATCH 32
struct vdisk_aio_batch {
	struct vdisk_aio *a;
	unsigned int n;
	struct iocb *cbs[VDISK_AIO_BATCH];
};
static __thread struct vdisk_aio_batch vdisk_aio_batch;

static bool vdisk_aio_poll(struct scst_poller *p);
static struct scst_poller vdisk_aio_poller = {.poll = vdisk_aio_poll};

int vdisk_aio_cache_init(void)
{
	vdisk_aio_req_cache =
	    scst_os_cache_create("vdisk_aio_req", sizeof(struct vdisk_aio_req));
	if (!vdisk_aio_req_cache)
		return -ENOMEM;
	scst_rwlock_init(&vdisk_aio_engines_lock);
	scst_register_poller(&vdisk_aio_poller);
	return 0;
}

void vdisk_aio_cache_exit(void)
{
	if (!vdisk_aio_req_cache)
		return;
	scst_info(
	    "vdisk: direct I/O completions: %llu reaped by workers, "
	    "%llu by engine threads; %llu bounced",
	    (unsigned long long)vdisk_aio_polled(),
	    (unsigned long long)scst_atomic64_read(&vdisk_aio_thread_count),
	    (unsigned long long)vdisk_aio_bounced());
	scst_unregister_poller(&vdisk_aio_poller);
	scst_rwlock_destroy(&vdisk_aio_engines_lock);
	scst_os_cache_destroy(vdisk_aio_req_cache);
	vdisk_aio_req_cache = NULL;
}

uint64_t vdisk_aio_polled(void)
{
	return (uint64_t)scst_atomic64_read(&vdisk_aio_polled_count);
}

uint64_t vdisk_aio_bounced(void)
{
	return (uint64_t)scst_atomic64_read(&vdisk_aio_bounce_count);
}

/*
 * What direct I/O on @fd needs of a buffer: the larger of the memory and
 * offset alignments statx reports, else the device's logical block size,
 * else a page (safe everywhere).
 */
static uint32_t vdisk_aio_dio_align(int fd)
{
	struct statx stx;
	uint32_t a = 0;
	int lbs;

	if (!statx(fd, "", AT_EMPTY_PATH, STATX_DIOALIGN, &stx) &&
	    (stx.stx_mask & STATX_DIOALIGN)) {
		a = stx.stx_dio_mem_align;
		if (stx.stx_dio_offset_align > a)
			a = stx.stx_dio_offset_align;
	}
	if (!a && !ioctl(fd, BLKSSZGET, &lbs) && lbs > 0)
		a = (uint32_t)lbs;
	if (!a || (a & (a - 1)))
		a = VDISK_AIO_ALIGN;
	return a;
}

int vdisk_aio_build_iov(struct iovec *iov, int max, const struct vdisk_io *io,
			uint32_t align)
{
	struct scst_sg_iter it;
	uintptr_t bad = 0;
	uint64_t got = 0;
	uint32_t n;
	void *p;
	int cnt = 0;

	scst_sg_iter_init(&it, io->sg, io->sg_cnt, io->sg_off, io->len);
	while (scst_sg_iter_next(&it, &p, &n, 0)) {
		if (cnt < max) {
			iov[cnt].iov_base = p;
			iov[cnt].iov_len = n;
		}
		bad |= (uintptr_t)p | n;
		got += n;
		cnt++;
	}
	if (got < io->len)
		return -EIO;
	return (bad & (align - 1)) || cnt > max ? 0 : cnt;
}

/* The fallback: one page-aligned buffer for the whole transfer. */
static int vdisk_aio_bounce(struct vdisk_aio_req *r)
{
	struct vdisk_io *io = r->io;

	if (posix_memalign(&r->bounce, VDISK_AIO_ALIGN, (size_t)io->len)) {
		r->bounce = NULL;
		return -ENOMEM;
	}
	if (io->op == VDISK_IO_WRITE)
		scst_sg_copy_out(io->sg, io->sg_cnt, io->sg_off, r->bounce,
				 io->len);
	r->iov[0].iov_base = r->bounce;
	r->iov[0].iov_len = (size_t)io->len;
	scst_atomic64_add(&vdisk_aio_bounce_count, 1);
	return 1;
}

static void vdisk_aio_finish(struct vdisk_aio_req *r, int err)
{
	struct vdisk_io *io = r->io;

	if (r->bounce) {
		if (!err && io->op == VDISK_IO_READ)
			scst_sg_copy_in(io->sg, io->sg_cnt, io->sg_off,
					r->bounce, io->len);
		free(r->bounce);
	}
	scst_os_cache_free(vdisk_aio_req_cache, r);
	vdisk_io_complete(io, err);
}

static void vdisk_aio_event(const struct io_event *ev)
{
	struct vdisk_aio_req *r = ev->data;
	long res = (long)ev->res;
	int err = 0;

	if (res < 0)
		err = (int)res;
	else if ((uint64_t)res != r->io->len)
		err = -EIO; /* short transfer */
	vdisk_aio_finish(r, err);
}

static int vdisk_aio_thread(void *arg)
{
	struct vdisk_aio *a = arg;
	struct io_event ev[VDISK_AIO_EVENTS];
	struct timespec ts = {0, VDISK_AIO_POLL_NS};
	int n, i;

	while (!__atomic_load_n(&a->stopping, __ATOMIC_ACQUIRE)) {
		n = io_getevents(a->ctx, 1, VDISK_AIO_EVENTS, ev, &ts);
		if (n < 0 && n != -EINTR) {
			scst_err("vdisk %s: io_getevents: error %d", a->name,
				 n);
			scst_os_msleep(10);
			continue;
		}
		for (i = 0; i < n; i++)
			vdisk_aio_event(&ev[i]);
		if (n > 0)
			scst_atomic64_add(&vdisk_aio_thread_count, n);
	}
	return 0;
}

/*
 * The kernel's completion ring of a context, mapped in our memory (its
 * layout is the Linux AIO ABI; fio reads it the same way): head == tail
 * means nothing to reap, and saves the system call.
 */
struct vdisk_aio_ring {
	unsigned int id, nr, head, tail, magic;
};
#define VDISK_AIO_RING_MAGIC 0xa10a10a1u

static bool vdisk_aio_ring_empty(io_context_t ctx)
{
	const struct vdisk_aio_ring *r = (const void *)ctx;

	if (__atomic_load_n(&r->magic, __ATOMIC_RELAXED) !=
	    VDISK_AIO_RING_MAGIC)
		return false;
	return __atomic_load_n(&r->head, __ATOMIC_ACQUIRE) ==
	       __atomic_load_n(&r->tail, __ATOMIC_ACQUIRE);
}

/*
 * Submit what this thread gathered; a refused request fails alone. The
 * batch is emptied first: a failure's completion may gather anew.
 */
static void vdisk_aio_flush(void)
{
	struct vdisk_aio_batch *b = &vdisk_aio_batch;
	struct iocb *cbs[VDISK_AIO_BATCH];
	struct vdisk_aio *a = b->a;
	unsigned int n = b->n, done = 0;
	int rc;

	memcpy(cbs, b->cbs, n * sizeof(cbs[0]));
	b->n = 0;
	b->a = NULL;
	while (done < n) {
		rc = io_submit(a->pctx, (long)(n - done), cbs + done);
		if (rc == -EINTR)
			continue;
		if (rc > 0) {
			done += (unsigned int)rc;
			continue;
		}
		vdisk_aio_finish(cbs[done]->data, rc < 0 ? rc : -EIO);
		done++;
	}
}

/* The poller: reap what the polled contexts completed, without waiting. */
static bool vdisk_aio_poll(struct scst_poller *p)
{
	struct io_event ev[VDISK_AIO_EVENTS];
	struct timespec zero = {0, 0};
	struct vdisk_aio *a;
	bool did = false;
	int n, i;

	(void)p;
	if (vdisk_aio_batch.n)
		vdisk_aio_flush();
	scst_read_lock(&vdisk_aio_engines_lock);
	scst_list_for_each_entry (a, &vdisk_aio_engines, entry) {
		if (vdisk_aio_ring_empty(a->pctx))
			continue;
		n = io_getevents(a->pctx, 0, VDISK_AIO_EVENTS, ev, &zero);
		for (i = 0; i < n; i++)
			vdisk_aio_event(&ev[i]);
		if (n > 0) {
			scst_atomic64_add(&vdisk_aio_polled_count, n);
			did = true;
		}
	}
	scst_read_unlock(&vdisk_aio_engines_lock);
	return did;
}

int vdisk_aio_open(struct vdisk_aio **out, int fd, const char *name)
{
	struct vdisk_aio *a = scst_os_zalloc(sizeof(*a));
	int rc;

	if (!a)
		return -ENOMEM;
	a->fd = fd;
	a->dio_align = vdisk_aio_dio_align(fd);
	scst_snprintf(a->name, sizeof(a->name), "%s", name);
	rc = io_setup(VDISK_AIO_DEPTH, &a->ctx);
	if (rc)
		goto out_free;
	rc = io_setup(VDISK_AIO_DEPTH, &a->pctx);
	if (rc)
		goto out_ctx;
	rc = scst_thread_create(&a->thread, vdisk_aio_thread, a, "vdisk_aio");
	if (rc)
		goto out_pctx;
	scst_write_lock(&vdisk_aio_engines_lock);
	scst_list_add_tail(&a->entry, &vdisk_aio_engines);
	scst_write_unlock(&vdisk_aio_engines_lock);
	*out = a;
	return 0;

out_pctx:
	io_destroy(a->pctx);
out_ctx:
	io_destroy(a->ctx);
out_free:
	scst_os_free(a);
	return rc;
}

/* Called once no I/O of the engine is in flight. */
void vdisk_aio_close(struct vdisk_aio *a)
{
	scst_write_lock(&vdisk_aio_engines_lock);
	scst_list_del_init(&a->entry);
	scst_write_unlock(&vdisk_aio_engines_lock);
	__atomic_store_n(&a->stopping, true, __ATOMIC_RELEASE);
	scst_thread_join(a->thread);
	io_destroy(a->pctx);
	io_destroy(a->ctx);
	scst_os_free(a);
}

void vdisk_aio_submit(struct vdisk_aio *a, struct vdisk_io *io)
{
	struct vdisk_aio_req *r;
	io_context_t ctx = a->ctx;
	struct iocb *cb;
	int rc, n, wfd;

	r = scst_os_cache_alloc(vdisk_aio_req_cache);
	if (!r) {
		vdisk_io_complete(io, -ENOMEM);
		return;
	}
	r->io = io;
	r->bounce = NULL;
	n = vdisk_aio_build_iov(r->iov, VDISK_AIO_MAX_IOV, io, a->dio_align);
	if (!n)
		n = vdisk_aio_bounce(r);
	if (n < 0) {
		vdisk_aio_finish(r, n);
		return;
	}
	cb = &r->iocb;
	if (io->op == VDISK_IO_WRITE) {
		io_prep_pwritev(cb, a->fd, r->iov, n, (long long)io->off);
		if (io->fua)
			cb->aio_rw_flags = RWF_DSYNC;
	} else {
		io_prep_preadv(cb, a->fd, r->iov, n, (long long)io->off);
	}
	cb->data = r;
	wfd = io->cmd ? scst_cmd_wake_fd(io->cmd) : -1;
	if (wfd >= 0) {
		io_set_eventfd(cb, wfd);
		ctx = a->pctx;
		if (scst_cmd_on_polling_worker(io->cmd)) {
			struct vdisk_aio_batch *b = &vdisk_aio_batch;

			if (b->n && (b->a != a || b->n == VDISK_AIO_BATCH))
				vdisk_aio_flush();
			b->a = a;
			b->cbs[b->n++] = cb;
			return;
		}
	}
	do {
		rc = io_submit(ctx, 1, &cb);
	} while (rc == -EINTR);
	if (rc != 1)
		vdisk_aio_finish(r, rc < 0 ? rc : -EIO);
}

/* ----------------------------------------------------- block backend ---- */

static int vdisk_block_open(struct vdisk_dev *vd)
{
	return vdisk_file_open_mode(vd, true);
}

const struct vdisk_backend_ops vdisk_block_backend = {
    .name = "block",
    .open = vdisk_block_open,
    .close = vdisk_file_close,
    .submit = vdisk_file_submit,
    .get_size = vdisk_file_get_size,
};
