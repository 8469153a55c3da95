// SPDX-License-Identifier: GPL-2.0-only
/*
 * The config tree as a FUSE file system (libfuse3, high-level API,
 * multithreaded loop). Every call maps onto the core's path API; this file
 * knows nothing about what the tree holds.
 *
 *  - Files look like sysfs attributes: size 4096, no caching (direct I/O,
 *    zero attribute and entry timeouts), the content read whole on the
 *    first read at offset 0 of an open file and served from that copy, so
 *    one `cat` sees one consistent value.
 *  - One write() is one command or value, passed to scst_tree_write; its
 *    error is the write's errno. Truncation is a no-op for writable files,
 *    so `echo x > file` works.
 *  - Nothing can be created, removed or renamed. Permissions are checked
 *    here from the tree's mode bits (no default_permissions), for root too.
 *
 * Stopping: fuse_exit() and SIGUSR1 to the loop thread until it returns
 * (libfuse's multithreaded loop waits in sem_wait(), which a signal
 * interrupts), then fuse_unmount().
 */
#define FUSE_USE_VERSION 31

#include <errno.h>
#include <fuse.h>
#include <limits.h>
#include <pthread.h>
#include <signal.h>
#include <spawn.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mount.h>
#include <sys/stat.h>
#include <sys/statfs.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "scst/os.h"
#include "scst/scst_tree.h"
#include "usr/scstd/scstd_fuse.h"

#define SCSTD_FUSE_SUPER_MAGIC 0x65735546
#define SCSTD_FUSE_FILE_SIZE   4096

struct scstd_fuse {
	struct fuse *fuse;
	char *root;
	pthread_t thread;
	int done;     /* the loop returned (atomic) */
	int stopping; /* scstd_fuse_stop() was called (atomic) */
};

/* An open file: its content as read at offset 0. */
struct scstd_fuse_file {
	pthread_mutex_t lock;
	bool loaded;
	int len;
	char buf[SCST_ATTR_MAX_SHOW];
};

static struct timespec scstd_fuse_time;

/* --------------------------------------------------------- helpers ---- */

static struct scstd_fuse_file *scstd_fuse_fh(struct fuse_file_info *fi)
{
	return (struct scstd_fuse_file *)(uintptr_t)fi->fh;
}

static int scstd_fuse_may(const struct scst_tree_stat *ts, int mask)
{
	if (ts->type == SCST_TREE_DIR)
		return (mask & W_OK) ? -EACCES : 0;
	if ((mask & R_OK) && !(ts->mode & 0444))
		return -EACCES;
	if ((mask & W_OK) && !(ts->mode & 0222))
		return -EACCES;
	if ((mask & X_OK) && !(ts->mode & 0111))
		return -EACCES;
	return 0;
}

/* ----------------------------------------------------- operations ---- */

static void *scstd_fuse_init(struct fuse_conn_info *conn,
			     struct fuse_config *cfg)
{
	(void)conn;
	/* The tree changes under us: never cache names or attributes. */
	cfg->entry_timeout = 0;
	cfg->attr_timeout = 0;
	cfg->negative_timeout = 0;
	cfg->direct_io = 1;
	cfg->kernel_cache = 0;
	cfg->use_ino = 0;
	return fuse_get_context()->private_data;
}

static int scstd_fuse_getattr(const char *path, struct stat *st,
			      struct fuse_file_info *fi)
{
	struct scst_tree_stat ts;
	char link[PATH_MAX];
	int rc;

	(void)fi;
	rc = scst_tree_stat(path, &ts);
	if (rc)
		return rc;
	memset(st, 0, sizeof(*st));
	st->st_uid = geteuid();
	st->st_gid = getegid();
	st->st_atim = scstd_fuse_time;
	st->st_mtim = scstd_fuse_time;
	st->st_ctim = scstd_fuse_time;
	st->st_blksize = 4096;
	switch (ts.type) {
	case SCST_TREE_DIR:
		st->st_mode = S_IFDIR | 0755;
		st->st_nlink = ts.nlink ? ts.nlink : 2;
		break;
	case SCST_TREE_FILE:
		st->st_mode = S_IFREG | (ts.mode & 07777);
		st->st_nlink = 1;
		st->st_size = SCSTD_FUSE_FILE_SIZE;
		break;
	case SCST_TREE_LINK:
		st->st_mode = S_IFLNK | 0777;
		st->st_nlink = 1;
		rc = scst_tree_readlink(path, link, sizeof(link));
		if (rc < 0)
			return rc;
		st->st_size = rc;
		break;
	default:
		return -EIO;
	}
	return 0;
}

static int scstd_fuse_access(const char *path, int mask)
{
	struct scst_tree_stat ts;
	int rc;

	rc = scst_tree_stat(path, &ts);
	if (rc)
		return rc;
	return scstd_fuse_may(&ts, mask);
}

static int scstd_fuse_readlink(const char *path, char *buf, size_t size)
{
	char link[PATH_MAX];
	size_t n;
	int rc;

	if (!size)
		return -EINVAL;
	rc = scst_tree_readlink(path, link, sizeof(link));
	if (rc < 0)
		return rc;
	n = (size_t)rc;
	if (n >= sizeof(link))
		n = sizeof(link) - 1;
	if (n >= size)
		n = size - 1;
	memcpy(buf, link, n);
	buf[n] = '\0';
	return 0;
}

struct scstd_fuse_dir_ctx {
	void *buf;
	fuse_fill_dir_t filler;
};

static int scstd_fuse_fill(void *ctx, const char *name,
			   enum scst_tree_type type)
{
	struct scstd_fuse_dir_ctx *d = ctx;
	struct stat st;

	memset(&st, 0, sizeof(st));
	switch (type) {
	case SCST_TREE_DIR:
		st.st_mode = S_IFDIR;
		break;
	case SCST_TREE_LINK:
		st.st_mode = S_IFLNK;
		break;
	default:
		st.st_mode = S_IFREG;
		break;
	}
	return d->filler(d->buf, name, &st, 0, 0);
}

static int scstd_fuse_readdir(const char *path, void *buf,
			      fuse_fill_dir_t filler, off_t off,
			      struct fuse_file_info *fi,
			      enum fuse_readdir_flags flags)
{
	struct scstd_fuse_dir_ctx d = {.buf = buf, .filler = filler};
	struct stat st;

	(void)off;
	(void)fi;
	(void)flags;
	memset(&st, 0, sizeof(st));
	st.st_mode = S_IFDIR;
	if (filler(buf, ".", &st, 0, 0) || filler(buf, "..", &st, 0, 0))
		return -ENOMEM;
	return scst_tree_readdir(path, scstd_fuse_fill, &d);
}

static int scstd_fuse_open(const char *path, struct fuse_file_info *fi)
{
	struct scstd_fuse_file *f;
	struct scst_tree_stat ts;
	int acc = fi->flags & O_ACCMODE;
	int rc;

	rc = scst_tree_stat(path, &ts);
	if (rc)
		return rc;
	if (ts.type == SCST_TREE_DIR)
		return -EISDIR;
	if (ts.type != SCST_TREE_FILE)
		return -EINVAL;
	rc = scstd_fuse_may(&ts, (acc == O_WRONLY ? 0 : R_OK) |
				     (acc == O_RDONLY ? 0 : W_OK));
	if (rc)
		return rc;
	f = calloc(1, sizeof(*f));
	if (!f)
		return -ENOMEM;
	pthread_mutex_init(&f->lock, NULL);
	fi->fh = (uintptr_t)f;
	fi->direct_io = 1;
	fi->keep_cache = 0;
	return 0;
}

static int scstd_fuse_release(const char *path, struct fuse_file_info *fi)
{
	struct scstd_fuse_file *f = scstd_fuse_fh(fi);

	(void)path;
	if (f) {
		pthread_mutex_destroy(&f->lock);
		free(f);
	}
	return 0;
}

static int scstd_fuse_read(const char *path, char *buf, size_t size, off_t off,
			   struct fuse_file_info *fi)
{
	struct scstd_fuse_file *f = scstd_fuse_fh(fi);
	size_t n = 0;
	int rc;

	if (off < 0)
		return -EINVAL;
	pthread_mutex_lock(&f->lock);
	/* Like seq_file: reading from the start shows the value anew. */
	if (!f->loaded || off == 0) {
		rc = scst_tree_read(path, f->buf, sizeof(f->buf));
		if (rc < 0) {
			f->loaded = false;
			pthread_mutex_unlock(&f->lock);
			return rc;
		}
		f->len = rc > (int)sizeof(f->buf) ? (int)sizeof(f->buf) : rc;
		f->loaded = true;
	}
	if (off < f->len) {
		n = (size_t)(f->len - off);
		if (n > size)
			n = size;
		memcpy(buf, f->buf + off, n);
	}
	pthread_mutex_unlock(&f->lock);
	return (int)n;
}

static int scstd_fuse_write(const char *path, const char *data, size_t size,
			    off_t off, struct fuse_file_info *fi)
{
	struct scstd_fuse_file *f = scstd_fuse_fh(fi);
	struct scst_mgmt_res res;
	int rc;

	(void)off;
	if (size > INT_MAX)
		return -EINVAL;
	memset(&res, 0, sizeof(res));
	rc = scst_tree_write(path, data, size, &res);
	if (f) {
		pthread_mutex_lock(&f->lock);
		f->loaded = false;
		pthread_mutex_unlock(&f->lock);
	}
	if (rc < 0) {
		scst_dbg("scstd: write to %s failed: %s (%s)", path,
			 strerror(-rc), res.msg);
		return rc;
	}
	return (int)size;
}

static int scstd_fuse_truncate(const char *path, off_t size,
			       struct fuse_file_info *fi)
{
	struct scst_tree_stat ts;
	int rc;

	(void)size;
	(void)fi;
	rc = scst_tree_stat(path, &ts);
	if (rc)
		return rc;
	if (ts.type == SCST_TREE_DIR)
		return -EISDIR;
	if (ts.type != SCST_TREE_FILE)
		return -EINVAL;
	/* Values are replaced whole by a write: truncating is a no-op. */
	return scstd_fuse_may(&ts, W_OK);
}

static int scstd_fuse_utimens(const char *path, const struct timespec tv[2],
			      struct fuse_file_info *fi)
{
	struct scst_tree_stat ts;

	(void)tv;
	(void)fi;
	return scst_tree_stat(path, &ts); /* `touch` on an entry: a no-op */
}

static int scstd_fuse_create(const char *path, mode_t mode,
			     struct fuse_file_info *fi)
{
	(void)path;
	(void)mode;
	(void)fi;
	return -EACCES;
}

static int scstd_fuse_mknod(const char *path, mode_t mode, dev_t rdev)
{
	(void)path;
	(void)mode;
	(void)rdev;
	return -EACCES;
}

static int scstd_fuse_mkdir(const char *path, mode_t mode)
{
	(void)path;
	(void)mode;
	return -EACCES;
}

static int scstd_fuse_symlink(const char *target, const char *path)
{
	(void)target;
	(void)path;
	return -EACCES;
}

static int scstd_fuse_link(const char *from, const char *to)
{
	(void)from;
	(void)to;
	return -EACCES;
}

static int scstd_fuse_unlink(const char *path)
{
	(void)path;
	return -EPERM;
}

static int scstd_fuse_rename(const char *from, const char *to,
			     unsigned int flags)
{
	(void)from;
	(void)to;
	(void)flags;
	return -EPERM;
}

static int scstd_fuse_chmod(const char *path, mode_t mode,
			    struct fuse_file_info *fi)
{
	(void)path;
	(void)mode;
	(void)fi;
	return -EPERM;
}

static int scstd_fuse_chown(const char *path, uid_t uid, gid_t gid,
			    struct fuse_file_info *fi)
{
	(void)path;
	(void)uid;
	(void)gid;
	(void)fi;
	return -EPERM;
}

static const struct fuse_operations scstd_fuse_ops = {
    .init = scstd_fuse_init,
    .getattr = scstd_fuse_getattr,
    .access = scstd_fuse_access,
    .readlink = scstd_fuse_readlink,
    .readdir = scstd_fuse_readdir,
    .open = scstd_fuse_open,
    .release = scstd_fuse_release,
    .read = scstd_fuse_read,
    .write = scstd_fuse_write,
    .truncate = scstd_fuse_truncate,
    .utimens = scstd_fuse_utimens,
    .create = scstd_fuse_create,
    .mknod = scstd_fuse_mknod,
    .mkdir = scstd_fuse_mkdir,
    .symlink = scstd_fuse_symlink,
    .link = scstd_fuse_link,
    .unlink = scstd_fuse_unlink,
    .rmdir = scstd_fuse_unlink,
    .rename = scstd_fuse_rename,
    .chmod = scstd_fuse_chmod,
    .chown = scstd_fuse_chown,
};

/* ------------------------------------------------ mount point ---- */

/* Detach the dead mount at @root: umount2, or fusermount3 without root. */
static int scstd_fuse_detach(const char *root)
{
	char *const argv[] = {
	    (char *)(uintptr_t) "fusermount3", (char *)(uintptr_t) "-u",
	    (char *)(uintptr_t) "-z", (char *)(uintptr_t)root, NULL};
	posix_spawnattr_t attr;
	sigset_t none;
	pid_t pid;
	int rc, status;

	if (umount2(root, MNT_DETACH) == 0)
		return 0;
	if (errno != EPERM)
		return -errno;
	sigemptyset(&none);
	posix_spawnattr_init(&attr);
	posix_spawnattr_setsigmask(&attr, &none);
	posix_spawnattr_setflags(&attr, POSIX_SPAWN_SETSIGMASK);
	rc = posix_spawnp(&pid, "fusermount3", NULL, &attr, argv, environ);
	posix_spawnattr_destroy(&attr);
	if (rc)
		return -rc;
	while (waitpid(pid, &status, 0) < 0) {
		if (errno != EINTR)
			return -errno;
	}
	return WIFEXITED(status) && WEXITSTATUS(status) == 0 ? 0 : -EPERM;
}

/* A FUSE file system mounted right at @root (not just somewhere above)? */
static bool scstd_fuse_mounted_at(const char *root, const struct stat *st)
{
	struct stat parent;
	struct statfs sfs;
	char *up;
	bool ret = false;

	if (statfs(root, &sfs) || sfs.f_type != SCSTD_FUSE_SUPER_MAGIC)
		return false;
	if (asprintf(&up, "%s/..", root) < 0)
		return true; /* be careful: assume it is */
	if (stat(up, &parent) || parent.st_dev != st->st_dev)
		ret = true;
	free(up);
	return ret;
}

int scstd_fuse_prepare(const char *root)
{
	struct stat st;
	int tries, rc;

	for (tries = 0; tries < 8; tries++) {
		if (stat(root, &st) == 0) {
			if (!S_ISDIR(st.st_mode))
				return -ENOTDIR;
			return scstd_fuse_mounted_at(root, &st) ? -EBUSY : 0;
		}
		if (errno == ENOENT)
			return 0;
		if (errno != ENOTCONN)
			return -errno;
		scst_warn("scstd: %s is a dead FUSE mount (its server is "
			  "gone); detaching it",
			  root);
		rc = scstd_fuse_detach(root);
		if (rc) {
			scst_err(
			    "scstd: cannot detach the dead mount at %s: %s",
			    root, strerror(-rc));
			return rc;
		}
		scst_info("scstd: detached the dead mount at %s", root);
	}
	return -ENOTCONN;
}

/* ------------------------------------------------------- serving ---- */

static void scstd_fuse_wakeup(int sig)
{
	(void)sig;
}

static void scstd_fuse_log(enum fuse_log_level level, const char *fmt,
			   va_list ap)
{
	enum scst_log_level lvl;

	if (level <= FUSE_LOG_ERR)
		lvl = SCST_LOG_ERR;
	else if (level == FUSE_LOG_WARNING)
		lvl = SCST_LOG_WARN;
	else if (level <= FUSE_LOG_INFO)
		lvl = SCST_LOG_INFO;
	else
		lvl = SCST_LOG_DEBUG;
	if (scst_log_enabled(lvl))
		scst_vlog(lvl, fmt, ap);
}

static void *scstd_fuse_loop(void *arg)
{
	struct scstd_fuse *f = arg;
	sigset_t set;

	sigemptyset(&set);
	sigaddset(&set, SIGUSR1);
	pthread_sigmask(SIG_UNBLOCK, &set, NULL);
	fuse_loop_mt(f->fuse, 0);
	if (!__atomic_load_n(&f->stopping, __ATOMIC_ACQUIRE))
		scst_warn("scstd: the tree at %s was unmounted from outside",
			  f->root);
	__atomic_store_n(&f->done, 1, __ATOMIC_RELEASE);
	return NULL;
}

int scstd_fuse_start(const char *root, struct scstd_fuse **out)
{
	char arg0[] = "scstd", arg1[] = "-o",
	     arg2[] = "fsname=scst_tgt,subtype=scst";
	char *argv[] = {arg0, arg1, arg2, NULL};
	struct fuse_args args = FUSE_ARGS_INIT(3, argv);
	struct scstd_fuse *f;
	struct sigaction sa;
	int rc;

	clock_gettime(CLOCK_REALTIME, &scstd_fuse_time);
	fuse_set_log_func(scstd_fuse_log);
	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = scstd_fuse_wakeup; /* no SA_RESTART: interrupt waits */
	sigemptyset(&sa.sa_mask);
	if (sigaction(SIGUSR1, &sa, NULL))
		return -errno;

	f = calloc(1, sizeof(*f));
	if (!f)
		return -ENOMEM;
	f->root = strdup(root);
	if (!f->root) {
		free(f);
		return -ENOMEM;
	}
	f->fuse = fuse_new(&args, &scstd_fuse_ops, sizeof(scstd_fuse_ops), f);
	fuse_opt_free_args(&args);
	if (!f->fuse) {
		rc = -EINVAL;
		goto fail;
	}
	if (fuse_mount(f->fuse, root)) {
		rc = -EIO;
		goto fail_destroy;
	}
	rc = pthread_create(&f->thread, NULL, scstd_fuse_loop, f);
	if (rc) {
		rc = -rc;
		fuse_unmount(f->fuse);
		goto fail_destroy;
	}
	*out = f;
	return 0;
fail_destroy:
	fuse_destroy(f->fuse);
fail:
	free(f->root);
	free(f);
	return rc;
}

void scstd_fuse_stop(struct scstd_fuse *f)
{
	const struct timespec tick = {.tv_nsec = 10 * 1000 * 1000};

	if (!f)
		return;
	__atomic_store_n(&f->stopping, 1, __ATOMIC_RELEASE);
	fuse_exit(f->fuse);
	/* The signal may land before the loop waits: repeat until it ends. */
	while (!__atomic_load_n(&f->done, __ATOMIC_ACQUIRE)) {
		pthread_kill(f->thread, SIGUSR1);
		nanosleep(&tick, NULL);
	}
	pthread_join(f->thread, NULL);
	fuse_unmount(f->fuse);
	fuse_destroy(f->fuse);
	free(f->root);
	free(f);
}
