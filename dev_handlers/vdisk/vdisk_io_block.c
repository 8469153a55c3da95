// SPDX-License-Identifier: GPL-2.0-only
/*
 * The block backend (vdisk_blockio) and the libaio engine it shares with
 * O_DIRECT files.
 *
 * A block device is opened with O_DIRECT; reads and writes go to the
 * kernel with io_submit() from the calling thread and complete on the
 * device's event thread (io_getevents). FUA writes carry RWF_DSYNC. Flush
 * and discard (BLKDISCARD) run on the offload pool. This file is the
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

#define VDISK_AIO_DEPTH	  1024
#define VDISK_AIO_EVENTS  64
#define VDISK_AIO_ALIGN	  4096 /* of a bounce buffer; the fallback alignment */
#define VDISK_AIO_POLL_NS 50000000L /* how soon a closing engine stops */
/* A maximal transfer, one more for a start inside a piece. */
#define VDISK_AIO_MAX_IOV ((int)SCST_SG_MAX + 1)

struct vdisk_aio {
	io_context_t ctx;
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

int vdisk_aio_cache_init(void)
{
	vdisk_aio_req_cache =
	    scst_os_cache_create("vdisk_aio_req", sizeof(struct vdisk_aio_req));
	return vdisk_aio_req_cache ? 0 : -ENOMEM;
}

void vdisk_aio_cache_exit(void)
{
	if (vdisk_aio_req_cache)
		scst_os_cache_destroy(vdisk_aio_req_cache);
	vdisk_aio_req_cache = NULL;
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
		for (i = 0; i < n; i++) {
			struct vdisk_aio_req *r = ev[i].data;
			long res = (long)ev[i].res;
			int err = 0;

			if (res < 0)
				err = (int)res;
			else if ((uint64_t)res != r->io->len)
				err = -EIO; /* short transfer */
			vdisk_aio_finish(r, err);
		}
	}
	return 0;
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
	if (rc) {
		scst_os_free(a);
		return rc;
	}
	rc = scst_thread_create(&a->thread, vdisk_aio_thread, a, "vdisk_aio");
	if (rc) {
		io_destroy(a->ctx);
		scst_os_free(a);
		return rc;
	}
	*out = a;
	return 0;
}

/* Called once no I/O of the engine is in flight. */
void vdisk_aio_close(struct vdisk_aio *a)
{
	__atomic_store_n(&a->stopping, true, __ATOMIC_RELEASE);
	scst_thread_join(a->thread);
	io_destroy(a->ctx);
	scst_os_free(a);
}

void vdisk_aio_submit(struct vdisk_aio *a, struct vdisk_io *io)
{
	struct vdisk_aio_req *r;
	struct iocb *cb;
	int rc, n;

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
	do {
		rc = io_submit(a->ctx, 1, &cb);
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
