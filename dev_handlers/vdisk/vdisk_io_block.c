// SPDX-License-Identifier: GPL-2.0-only
/*
 * The block backend (vdisk_blockio) and the libaio engine it shares with
 * O_DIRECT files.
 *
 * A block device is opened with O_DIRECT; reads and writes go to the
 * kernel with io_submit() from the calling thread and complete on the
 * device's event thread (io_getevents). The core's buffers are only 16-byte
 * aligned, so every transfer goes through a page-aligned bounce buffer:
 * writes copy into it before submission, reads out of it on completion.
 * FUA writes carry RWF_DSYNC. Flush and discard (BLKDISCARD) run on the
 * offload pool. This file is the platform edge: it may use system calls.
 */
#include <errno.h>
#include <libaio.h>
#include <stdlib.h>
#include <sys/uio.h>

#include "dev_handlers/vdisk/vdisk_priv.h"

#define VDISK_AIO_DEPTH	  1024
#define VDISK_AIO_EVENTS  64
#define VDISK_AIO_ALIGN	  4096
#define VDISK_AIO_POLL_NS 50000000L /* how soon a closing engine stops */

struct vdisk_aio {
	io_context_t ctx;
	int fd;
	bool stopping;
	struct scst_thread *thread;
	char name[32];
};

/* One request in flight. */
struct vdisk_aio_req {
	struct iocb iocb;
	struct vdisk_io *io;
	void *bounce;
};

static struct scst_os_cache *vdisk_aio_req_cache;

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

/* Copy between the io's sg list (from sg_off) and a flat buffer. */
static void vdisk_sg_copy(struct vdisk_io *io, uint8_t *flat, bool to_sg)
{
	uint64_t off = io->sg_off, left = io->len;
	unsigned int i;

	for (i = 0; i < io->sg_cnt && left; i++) {
		uint64_t n = io->sg[i].len;
		uint8_t *p = io->sg[i].addr;

		if (off >= n) {
			off -= n;
			continue;
		}
		n -= off;
		if (n > left)
			n = left;
		if (to_sg)
			memcpy(p + off, flat, (size_t)n);
		else
			memcpy(flat, p + off, (size_t)n);
		flat += n;
		left -= n;
		off = 0;
	}
}

static uint64_t vdisk_sg_bytes(const struct vdisk_io *io)
{
	uint64_t n = 0;
	unsigned int i;

	for (i = 0; i < io->sg_cnt; i++)
		n += io->sg[i].len;
	return n > io->sg_off ? n - io->sg_off : 0;
}

static void vdisk_aio_finish(struct vdisk_aio_req *r, int err)
{
	struct vdisk_io *io = r->io;

	if (!err && io->op == VDISK_IO_READ)
		vdisk_sg_copy(io, r->bounce, true);
	free(r->bounce);
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
	int rc;

	if (vdisk_sg_bytes(io) < io->len) {
		vdisk_io_complete(io, -EIO);
		return;
	}
	r = scst_os_cache_alloc(vdisk_aio_req_cache);
	if (!r) {
		vdisk_io_complete(io, -ENOMEM);
		return;
	}
	r->io = io;
	if (posix_memalign(&r->bounce, VDISK_AIO_ALIGN, (size_t)io->len)) {
		scst_os_cache_free(vdisk_aio_req_cache, r);
		vdisk_io_complete(io, -ENOMEM);
		return;
	}
	cb = &r->iocb;
	if (io->op == VDISK_IO_WRITE) {
		vdisk_sg_copy(io, r->bounce, false);
		io_prep_pwrite(cb, a->fd, r->bounce, (size_t)io->len,
			       (long long)io->off);
		if (io->fua)
			cb->aio_rw_flags = RWF_DSYNC;
	} else {
		io_prep_pread(cb, a->fd, r->bounce, (size_t)io->len,
			      (long long)io->off);
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
