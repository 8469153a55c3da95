// SPDX-License-Identifier: GPL-2.0-only
/*
 * The config tree as a FUSE file system: maps FUSE calls onto the core's
 * path API (scst_tree_stat/readdir/readlink/read/write) and nothing else.
 */
#ifndef SCSTD_FUSE_H
#define SCSTD_FUSE_H

struct scstd_fuse;

/*
 * Make @root ready to be mounted: a dead FUSE mount left there by a crashed
 * server (stat fails with ENOTCONN) is detached. Returns 0 (also when @root
 * does not exist yet), -EBUSY if a live FUSE file system is mounted there,
 * -ENOTDIR if @root is not a directory, or another -errno.
 */
int scstd_fuse_prepare(const char *root);

/*
 * Mount the tree at @root (an existing directory) and serve it from a
 * multithreaded FUSE loop in its own threads. Uses SIGUSR1 (a no-op
 * handler) to wake the loop when stopping.
 */
int scstd_fuse_start(const char *root, struct scstd_fuse **out);

/* Stop serving, unmount @root and free @f. Safe with NULL. */
void scstd_fuse_stop(struct scstd_fuse *f);

#endif /* SCSTD_FUSE_H */
