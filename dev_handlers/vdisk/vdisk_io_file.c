// SPDX-License-Identifier: GPL-2.0-only
/*
 * The file backend (vdisk_fileio, vcdrom) and the offload pool.
 *
 * Buffered files: every I/O runs on a thread of the offload pool (never
 * on a core worker) with preadv/pwritev2; FUA writes use RWF_DSYNC
 * (fdatasync where that is not supported). O_DIRECT files: reads and
 * writes go through libaio (vdisk_io_block.c); flush and discard through
 * the pool. Discard punches a hole (fallocate PUNCH_HOLE|KEEP_SIZE), or
 * writes zeros where the file system cannot. Short transfers are -EIO.
 * This file is the platform edge: it may use system calls.
 */
#include <errno.h>
#include <fcntl.h>
#include <linux/falloc.h>
#include <linux/fs.h>
#include <pthread.h>
#include <sys/ioctl.h>
#include <sys/stat.h>
#include <sys/uio.h>
#include <unistd.h>

#include "dev_handlers/vdisk/vdisk_priv.h"
#include "scst/scst_sg.h"

/* --------------------------------------------------------- the pool ---- */

#define VDISK_POOL_MAX 32

typedef void (*vdisk_pool_fn)(struct vdisk_io *io);

/* A queued I/O keeps its function in be_priv while it waits. */
struct vdisk_pool {
	pthread_mutex_t lock;
	pthread_cond_t cv;
	struct scst_list_head queue; /* struct vdisk_io, be_entry */
	bool stopping;
	unsigned int nthreads;
	struct scst_thread *threads[VDISK_POOL_MAX];
};

static struct vdisk_pool vdisk_pool;

static int vdisk_pool_thread(void *arg)
{
	struct vdisk_pool *p = arg;
	struct vdisk_io *io;
	vdisk_pool_fn fn;

	pthread_mutex_lock(&p->lock);
	for (;;) {
		while (scst_list_empty(&p->queue) && !p->stopping)
			pthread_cond_wait(&p->cv, &p->lock);
		if (scst_list_empty(&p->queue))
			break; /* stopping, and nothing left */
		io =
		    scst_list_first_entry(&p->queue, struct vdisk_io, be_entry);
		scst_list_del_init(&io->be_entry);
		pthread_mutex_unlock(&p->lock);
		fn = (vdisk_pool_fn)io->be_priv;
		io->be_priv = NULL;
		fn(io);
		pthread_mutex_lock(&p->lock);
	}
	pthread_mutex_unlock(&p->lock);
	return 0;
}

void vdisk_pool_queue(struct vdisk_io *io, void (*fn)(struct vdisk_io *io))
{
	struct vdisk_pool *p = &vdisk_pool;

	io->be_priv = (void *)fn;
	pthread_mutex_lock(&p->lock);
	scst_list_add_tail(&io->be_entry, &p->queue);
	pthread_cond_signal(&p->cv);
	pthread_mutex_unlock(&p->lock);
}

int vdisk_pool_start(void)
{
	struct vdisk_pool *p = &vdisk_pool;
	unsigned int n = 2 * scst_os_num_cpus(), i;
	int rc;

	if (n < 4)
		n = 4;
	if (n > VDISK_POOL_MAX)
		n = VDISK_POOL_MAX;
	pthread_mutex_init(&p->lock, NULL);
	pthread_cond_init(&p->cv, NULL);
	scst_list_init(&p->queue);
	p->stopping = false;
	p->nthreads = 0;
	for (i = 0; i < n; i++) {
		rc = scst_thread_create(&p->threads[i], vdisk_pool_thread, p,
					"vdisk_io");
		if (rc) {
			vdisk_pool_stop();
			return rc;
		}
		p->nthreads++;
	}
	return 0;
}

void vdisk_pool_stop(void)
{
	struct vdisk_pool *p = &vdisk_pool;
	unsigned int i;

	pthread_mutex_lock(&p->lock);
	p->stopping = true;
	pthread_cond_broadcast(&p->cv);
	pthread_mutex_unlock(&p->lock);
	for (i = 0; i < p->nthreads; i++)
		scst_thread_join(p->threads[i]);
	p->nthreads = 0;
	pthread_cond_destroy(&p->cv);
	pthread_mutex_destroy(&p->lock);
}

/* ------------------------------------------------- blocking helpers ---- */

#define VDISK_IOV_BATCH 64

/* One batch of iovecs, all of it or an error. */
static int vdisk_rw_iov(int fd, bool write, struct iovec *iov, int n,
			uint64_t pos, bool fua)
{
	bool sync_after = false;
	ssize_t rc;

	while (n) {
		if (write)
			rc = pwritev2(fd, iov, n, (off_t)pos,
				      fua && !sync_after ? RWF_DSYNC : 0);
		else
			rc = preadv(fd, iov, n, (off_t)pos);
		if (rc < 0) {
			if (errno == EINTR)
				continue;
			if (write && fua && !sync_after &&
			    (errno == EOPNOTSUPP || errno == EINVAL)) {
				sync_after = true;
				continue;
			}
			return -errno;
		}
		if (rc == 0)
			return -EIO; /* end of file: a short transfer */
		pos += (uint64_t)rc;
		while (n && (size_t)rc >= iov->iov_len) {
			rc -= (ssize_t)iov->iov_len;
			iov++;
			n--;
		}
		if (n) {
			iov->iov_base = (uint8_t *)iov->iov_base + rc;
			iov->iov_len -= (size_t)rc;
		}
	}
	if (sync_after && fdatasync(fd))
		return -errno;
	return 0;
}

int vdisk_io_do_rw(int fd, struct vdisk_io *io)
{
	bool write = io->op == VDISK_IO_WRITE;
	uint64_t pos = io->off, left = io->len;
	struct iovec iov[VDISK_IOV_BATCH];
	struct scst_sg_iter it;
	uint32_t l;
	void *p;
	int rc;

	scst_sg_iter_init(&it, io->sg, io->sg_cnt, io->sg_off, io->len);
	while (left) {
		uint64_t batch = 0;
		int n = 0;

		while (n < VDISK_IOV_BATCH &&
		       scst_sg_iter_next(&it, &p, &l, 0)) {
			iov[n].iov_base = p;
			iov[n].iov_len = l;
			batch += l;
			n++;
		}
		if (!n)
			return -EIO; /* the buffer is shorter than len */
		rc = vdisk_rw_iov(fd, write, iov, n, pos, io->fua);
		if (rc)
			return rc;
		pos += batch;
		left -= batch;
	}
	return 0;
}

int vdisk_io_do_flush(int fd)
{
	return fdatasync(fd) ? -errno : 0;
}

int vdisk_io_zero_range(int fd, uint64_t off, uint64_t len)
{
	static const uint8_t zeros[65536];
	ssize_t rc;

	while (len) {
		size_t n = len < sizeof(zeros) ? (size_t)len : sizeof(zeros);

		rc = pwrite(fd, zeros, n, (off_t)off);
		if (rc < 0 && errno == EINTR)
			continue;
		if (rc < 0)
			return -errno;
		if (rc == 0)
			return -EIO;
		off += (uint64_t)rc;
		len -= (uint64_t)rc;
	}
	return 0;
}

/* ------------------------------------------------------ file backend ---- */

struct vdisk_file {
	int fd;
	bool is_blk;
	struct vdisk_aio *aio; /* O_DIRECT: reads and writes */
};

static int vdisk_fd_size(int fd, uint64_t *bytes)
{
	struct stat st;

	if (fstat(fd, &st))
		return -errno;
	if (S_ISBLK(st.st_mode))
		return ioctl(fd, BLKGETSIZE64, bytes) ? -errno : 0;
	if (!S_ISREG(st.st_mode))
		return S_ISDIR(st.st_mode) ? -EISDIR : -EINVAL;
	*bytes = (uint64_t)st.st_size;
	return 0;
}

static void vdisk_file_work(struct vdisk_io *io)
{
	struct vdisk_file *f = io->vd->be_priv;
	int rc;

	switch (io->op) {
	case VDISK_IO_READ:
	case VDISK_IO_WRITE:
		rc = vdisk_io_do_rw(f->fd, io);
		break;
	case VDISK_IO_FLUSH:
		rc = vdisk_io_do_flush(f->fd);
		break;
	case VDISK_IO_DISCARD:
		if (f->is_blk) {
			uint64_t r[2] = {io->off, io->len};

			rc = ioctl(f->fd, BLKDISCARD, r) ? -errno : 0;
		} else {
			rc = fallocate(f->fd,
				       FALLOC_FL_PUNCH_HOLE |
					   FALLOC_FL_KEEP_SIZE,
				       (off_t)io->off, (off_t)io->len)
				 ? -errno
				 : 0;
		}
		if (rc == -EOPNOTSUPP || rc == -ENOTTY)
			rc = vdisk_io_zero_range(f->fd, io->off, io->len);
		break;
	default:
		rc = -EINVAL;
		break;
	}
	vdisk_io_complete(io, rc);
}

int vdisk_file_open_mode(struct vdisk_dev *vd, bool blockio)
{
	bool direct = vd->o_direct || blockio;
	struct vdisk_file *f;
	int flags = O_CLOEXEC | O_LARGEFILE;
	struct stat st;
	int rc;

	if (!vd->filename)
		return -ENOENT;
	f = scst_os_zalloc(sizeof(*f));
	if (!f)
		return -ENOMEM;
	flags |= vd->read_only ? O_RDONLY : O_RDWR;
	if (direct)
		flags |= O_DIRECT;
	f->fd = open(vd->filename, flags);
	if (f->fd < 0) {
		rc = -errno;
		goto out_free;
	}
	if (fstat(f->fd, &st)) {
		rc = -errno;
		goto out_close;
	}
	f->is_blk = S_ISBLK(st.st_mode);
	if (blockio && !f->is_blk) {
		rc = -ENOTBLK;
		goto out_close;
	}
	rc = vdisk_fd_size(f->fd, &vd->size_bytes);
	if (rc)
		goto out_close;
	if (direct) {
		rc = vdisk_aio_open(&f->aio, f->fd, vd->name);
		if (rc)
			goto out_close;
	}
	vd->be_priv = f;
	return 0;

out_close:
	close(f->fd);
out_free:
	scst_os_free(f);
	scst_warn("vdisk %s: cannot open %s: error %d", vd->name, vd->filename,
		  rc);
	return rc;
}

static int vdisk_file_open(struct vdisk_dev *vd)
{
	return vdisk_file_open_mode(vd, false);
}

void vdisk_file_close(struct vdisk_dev *vd)
{
	struct vdisk_file *f = vd->be_priv;

	if (!f)
		return;
	if (f->aio)
		vdisk_aio_close(f->aio);
	close(f->fd);
	scst_os_free(f);
	vd->be_priv = NULL;
}

void vdisk_file_submit(struct vdisk_io *io)
{
	struct vdisk_file *f = io->vd->be_priv;

	if (f->aio && (io->op == VDISK_IO_READ || io->op == VDISK_IO_WRITE))
		vdisk_aio_submit(f->aio, io);
	else
		vdisk_pool_queue(io, vdisk_file_work);
}

int vdisk_file_get_size(struct vdisk_dev *vd, uint64_t *bytes)
{
	struct vdisk_file *f = vd->be_priv;

	if (!f)
		return -ENOMEDIUM;
	return vdisk_fd_size(f->fd, bytes);
}

static int vdisk_file_lba_status(struct vdisk_dev *vd, uint64_t off,
				 uint64_t max, bool *mapped, uint64_t *run)
{
	struct vdisk_file *f = vd->be_priv;
	off_t data, hole;

	*mapped = true;
	*run = max;
	if (!f || f->is_blk)
		return 0;
	data = lseek(f->fd, (off_t)off, SEEK_DATA);
	if (data < 0) {
		if (errno == ENXIO) { /* only a hole up to the end */
			*mapped = false;
			return 0;
		}
		return 0; /* no SEEK_DATA here: all mapped */
	}
	if ((uint64_t)data > off) {
		*mapped = false;
		if ((uint64_t)data - off < max)
			*run = (uint64_t)data - off;
		return 0;
	}
	hole = lseek(f->fd, (off_t)off, SEEK_HOLE);
	if (hole >= 0 && (uint64_t)hole > off && (uint64_t)hole - off < max)
		*run = (uint64_t)hole - off;
	return 0;
}

const struct vdisk_backend_ops vdisk_file_backend = {
    .name = "file",
    .open = vdisk_file_open,
    .close = vdisk_file_close,
    .submit = vdisk_file_submit,
    .get_size = vdisk_file_get_size,
    .lba_status = vdisk_file_lba_status,
};
