// SPDX-License-Identifier: GPL-2.0-only
/*
 * State files (see os.h): whole-file reads and crash-safe replacement with
 * write to a temporary file, fsync, rename, fsync of the directory.
 */
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <sys/stat.h>
#include <unistd.h>

#include "os_user_internal.h"

static int os_file_path(char *out, size_t size, const char *dir,
			const char *name, const char *suffix)
{
	int n;

	if (!dir || !*dir || !name || !*name || strchr(name, '/'))
		return -EINVAL;
	n = snprintf(out, size, "%s/%s%s", dir, name, suffix);
	return n < 0 || (size_t)n >= size ? -ENAMETOOLONG : 0;
}

static int os_write_all(int fd, const void *buf, size_t len)
{
	const char *p = buf;

	while (len) {
		ssize_t n = write(fd, p, len);

		if (n < 0) {
			if (errno == EINTR)
				continue;
			return -errno;
		}
		p += n;
		len -= (size_t)n;
	}
	return 0;
}

static int os_fsync_dir(const char *dir)
{
	int fd = open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	int rc = 0;

	if (fd < 0)
		return -errno;
	if (fsync(fd))
		rc = -errno;
	close(fd);
	return rc;
}

int scst_os_file_write_atomic(const char *dir, const char *name,
			      const void *buf, size_t len)
{
	char path[PATH_MAX], tmp[PATH_MAX];
	int fd, rc;

	rc = os_file_path(path, sizeof(path), dir, name, "");
	if (!rc)
		rc = os_file_path(tmp, sizeof(tmp), dir, name, ".tmp");
	if (rc)
		return rc;
	fd = open(tmp, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);
	if (fd < 0)
		return -errno;
	rc = os_write_all(fd, buf, len);
	if (!rc && fsync(fd))
		rc = -errno;
	if (close(fd) && !rc)
		rc = -errno;
	if (!rc && rename(tmp, path))
		rc = -errno;
	if (rc) {
		unlink(tmp);
		return rc;
	}
	return os_fsync_dir(dir);
}

int scst_os_file_read(const char *dir, const char *name, size_t max, char **buf,
		      size_t *len)
{
	char path[PATH_MAX];
	struct stat st;
	size_t got = 0;
	char *p;
	int fd, rc;

	rc = os_file_path(path, sizeof(path), dir, name, "");
	if (rc)
		return rc;
	fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return -errno;
	if (fstat(fd, &st)) {
		rc = -errno;
		goto out_close;
	}
	if (st.st_size < 0 || (size_t)st.st_size > max) {
		rc = -EFBIG;
		goto out_close;
	}
	p = scst_os_alloc((size_t)st.st_size + 1);
	if (!p) {
		rc = -ENOMEM;
		goto out_close;
	}
	while (got < (size_t)st.st_size) {
		ssize_t n = read(fd, p + got, (size_t)st.st_size - got);

		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0) {
			rc = n < 0 ? -errno : -EIO;
			scst_os_free(p);
			goto out_close;
		}
		got += (size_t)n;
	}
	p[got] = '\0';
	*buf = p;
	*len = got;
out_close:
	close(fd);
	return rc;
}

int scst_os_file_remove(const char *dir, const char *name)
{
	char path[PATH_MAX];
	int rc = os_file_path(path, sizeof(path), dir, name, "");

	if (rc)
		return rc;
	if (unlink(path) && errno != ENOENT)
		return -errno;
	return os_fsync_dir(dir);
}
