// SPDX-License-Identifier: GPL-2.0-only
/*
 * The file store of a cartridge (vtape_file.h) and vtape_create_cartridge()
 * (vtape.h). This file is the platform edge: it uses system calls.
 *
 * Durability: sync is fdatasync(), or fsync() when the file was cut since
 * the last sync (the new size must reach the disk with the data). Reads
 * past the end of the file return zeros, as vtape_store_ops asks; short
 * reads and writes are retried until done or an error.
 */
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <string.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <unistd.h>

#include "scst/os.h"

#include "dev_handlers/vtape/vtape.h"
#include "dev_handlers/vtape/vtape_file.h"

struct vtape_file {
	int fd;
	bool read_only;
	bool cut; /* truncated since the last sync */
};

static int vf_read(void *priv, void *buf, size_t len, uint64_t off)
{
	struct vtape_file *f = priv;
	char *p = buf;

	while (len) {
		ssize_t n;

		if (off > (uint64_t)INT64_MAX - len)
			return -EINVAL;
		n = pread(f->fd, p, len, (off_t)off);
		if (n < 0) {
			if (errno == EINTR)
				continue;
			return -errno;
		}
		if (!n) {
			memset(p, 0, len); /* past the end */
			return 0;
		}
		p += n;
		off += (uint64_t)n;
		len -= (size_t)n;
	}
	return 0;
}

static int vf_write(void *priv, const void *buf, size_t len, uint64_t off)
{
	struct vtape_file *f = priv;
	const char *p = buf;

	if (f->read_only)
		return -EROFS;
	while (len) {
		ssize_t n;

		if (off > (uint64_t)INT64_MAX - len)
			return -EFBIG;
		n = pwrite(f->fd, p, len, (off_t)off);
		if (n < 0) {
			if (errno == EINTR)
				continue;
			return -errno;
		}
		if (!n)
			return -EIO;
		p += n;
		off += (uint64_t)n;
		len -= (size_t)n;
	}
	return 0;
}

static int vf_sync(void *priv)
{
	struct vtape_file *f = priv;
	int rc;

	if (f->read_only)
		return 0;
	rc = f->cut ? fsync(f->fd) : fdatasync(f->fd);
	if (rc)
		return -errno;
	f->cut = false;
	return 0;
}

static int vf_truncate(void *priv, uint64_t size)
{
	struct vtape_file *f = priv;

	if (f->read_only)
		return -EROFS;
	if (size > (uint64_t)INT64_MAX)
		return -EFBIG;
	while (ftruncate(f->fd, (off_t)size)) {
		if (errno != EINTR)
			return -errno;
	}
	f->cut = true;
	return 0;
}

static const struct vtape_store_ops vf_ops = {
    .read = vf_read,
    .write = vf_write,
    .sync = vf_sync,
    .truncate = vf_truncate,
};

/* A regular file, locked for us alone. */
static int vf_check_and_lock(int fd)
{
	struct stat sb;

	if (fstat(fd, &sb))
		return -errno;
	if (!S_ISREG(sb.st_mode))
		return -EINVAL;
	while (flock(fd, LOCK_EX | LOCK_NB)) {
		if (errno == EINTR)
			continue;
		return errno == EWOULDBLOCK ? -EBUSY : -errno;
	}
	return 0;
}

static void vf_fill(struct vtape_store *st, struct vtape_file *f)
{
	st->ops = &vf_ops;
	st->priv = f;
}

int vtape_file_open(const char *path, bool read_only, struct vtape_store *st)
{
	struct vtape_file *f;
	int fd = -1, rc;

	memset(st, 0, sizeof(*st));
	if (!path || !*path)
		return -EINVAL;
	if (!read_only) {
		fd = open(path, O_RDWR | O_CLOEXEC);
		if (fd < 0 && errno != EACCES && errno != EROFS &&
		    errno != EPERM)
			return -errno;
		read_only = fd < 0;
	}
	if (fd < 0) {
		fd = open(path, O_RDONLY | O_CLOEXEC);
		if (fd < 0)
			return -errno;
	}
	rc = vf_check_and_lock(fd);
	if (rc)
		goto out_close;
	f = scst_os_zalloc(sizeof(*f));
	if (!f) {
		rc = -ENOMEM;
		goto out_close;
	}
	f->fd = fd;
	f->read_only = read_only;
	vf_fill(st, f);
	return 0;
out_close:
	close(fd);
	return rc;
}

bool vtape_file_read_only(const struct vtape_store *st)
{
	const struct vtape_file *f = st->priv;

	return !f || f->read_only;
}

void vtape_file_close(struct vtape_store *st)
{
	struct vtape_file *f = st->priv;

	if (!f)
		return;
	close(f->fd); /* drops the flock */
	scst_os_free(f);
	memset(st, 0, sizeof(*st));
}

/* The directory entry of a new file survives a crash too. */
static int vf_sync_dir(const char *path)
{
	char dir[PATH_MAX];
	const char *slash = strrchr(path, '/');
	size_t n;
	int fd, rc = 0;

	if (!slash) {
		dir[0] = '.';
		n = 1;
	} else {
		n = slash == path ? 1 : (size_t)(slash - path);
		if (n >= sizeof(dir))
			return -ENAMETOOLONG;
		memcpy(dir, path, n);
	}
	dir[n] = '\0';
	fd = open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (fd < 0)
		return -errno;
	if (fsync(fd))
		rc = -errno;
	close(fd);
	return rc;
}

int vtape_create_cartridge(const char *path, const char *barcode,
			   uint64_t capacity, bool write_protected)
{
	struct vtape_format_params p = {
	    .capacity = capacity,
	    .barcode = barcode,
	    .write_protected = write_protected,
	};
	struct vtape_file f = {.fd = -1};
	struct vtape_store st;
	int rc;

	if (!path || !*path)
		return -EINVAL;
	f.fd = open(path, O_RDWR | O_CREAT | O_EXCL | O_CLOEXEC, 0660);
	if (f.fd < 0)
		return -errno;
	rc = vf_check_and_lock(f.fd);
	if (!rc) {
		vf_fill(&st, &f);
		rc = vtape_cart_format(&st, &p); /* ends with a sync */
	}
	if (!rc && fsync(f.fd))
		rc = -errno;
	if (close(f.fd) && !rc)
		rc = -errno;
	if (!rc)
		rc = vf_sync_dir(path);
	if (rc) {
		unlink(path);
		scst_warn("vtape: cannot create cartridge %s: %d", path, rc);
	}
	return rc;
}
