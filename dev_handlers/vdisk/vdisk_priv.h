/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Internals of the vdisk handler framework shared by vdisk_main.c,
 * vdisk_attrs.c and the backends (vdisk_io_*.c). The emulation files
 * (vdisk_spc.c, vdisk_sbc.c, ...) use vdisk.h only.
 */
#ifndef VDISK_PRIV_H
#define VDISK_PRIV_H

#include "dev_handlers/vdisk/vdisk.h"

/* Defaults, as SCST's vdisk. */
#define VDISK_DEF_BLOCK_SIZE 512u
#define VDISK_FIO_VENDOR     "SCST_FIO"
#define VDISK_BIO_VENDOR     "SCST_BIO"
#define VDISK_REV	     "370 "
/* nullio without size/size_mb: 2.5 TiB, as SCST. */
#define VDISK_NULLIO_DEF_SIZE (5ull * 1024 * 1024 * 1024 * 1024 / 2)

/* Creation parameters that were given (they may make an attribute key). */
enum vdisk_param_bit {
	VDISK_P_BLOCKSIZE,
	VDISK_P_READ_ONLY,
	VDISK_P_WRITE_THROUGH,
	VDISK_P_NV_CACHE,
	VDISK_P_O_DIRECT,
	VDISK_P_THIN,
	VDISK_P_REMOVABLE,
	VDISK_P_ROTATIONAL,
	VDISK_P_T10_DEV_ID,
	VDISK_P_VEND_ID,
	VDISK_P_PROD_ID,
	VDISK_P_REV,
	VDISK_P_USN,
	VDISK_P_NAA,
	VDISK_P_EUI64,
	VDISK_P_SIZE,
	VDISK_P_LB_PER_PB,
	VDISK_P_TST,
	VDISK_P_ACTIVE,
	VDISK_P_CLUSTER,
	VDISK_P_DUMMY,
	VDISK_P_READ_ZERO,
};
#define VDISK_PB(b) (1u << (b))

/*
 * The device as vdisk_main.c allocates it: the shared part first, then
 * what only the framework and the backends see.
 */
struct vdisk_devx {
	struct vdisk_dev vd;
	struct scst_list_head entry; /* vdisk_devs, under vdisk_mutex */
	uint32_t given;		     /* VDISK_PB(...) */
	uint32_t changed;	     /* set later through an attribute */
	int tst;
	bool active;
	bool cluster_mode;
	/* The backend is open: I/O may go to it (under io_lock). */
	bool be_open;
	struct scst_rwlock io_lock;
	scst_atomic_t inflight;	   /* backend I/Os not yet done */
	struct scst_waitq idle_wq; /* inflight dropped to zero */
};

static inline struct vdisk_devx *vdisk_x(struct vdisk_dev *vd)
{
	return scst_container_of(vd, struct vdisk_devx, vd);
}

/* ---- vdisk_main.c ---- */
struct vdisk_params;
extern struct scst_dev_type vdisk_types[VDISK_KIND_COUNT];
/* Every backend I/O ends here (drops the in-flight count, calls done). */
void vdisk_io_complete(struct vdisk_io *io, int err);
/* Open/close the backend of @vd (close waits for its I/O). */
int vdisk_backend_open(struct vdisk_dev *vd, struct scst_mgmt_res *res);
void vdisk_backend_close(struct vdisk_dev *vd);
/* Set the geometry from vd->size_bytes and vd->block_size. */
void vdisk_update_geometry(struct vdisk_dev *vd);

/* ---- vdisk_attrs.c ---- */
extern const char *const *const vdisk_add_params[VDISK_KIND_COUNT];
extern const struct scst_attr *const *const vdisk_dev_attrs[VDISK_KIND_COUNT];
/* Apply the defaults of @kind to @vd (name set). */
void vdisk_set_defaults(struct vdisk_dev *vd);
/* Parse and validate "k=v; ..." into @vd; -EINVAL with a message. */
int vdisk_parse_params(struct vdisk_dev *vd, const char *params,
		       struct scst_mgmt_res *res);

/* ---- backends ---- */
/* The offload pool for blocking calls (buffered files, flush, discard). */
int vdisk_pool_start(void);
void vdisk_pool_stop(void);
/* Run @fn(@io) on a pool thread. */
void vdisk_pool_queue(struct vdisk_io *io, void (*fn)(struct vdisk_io *io));

/* libaio for O_DIRECT files and block devices (vdisk_io_block.c). */
struct vdisk_aio;
int vdisk_aio_open(struct vdisk_aio **out, int fd, const char *name);
void vdisk_aio_close(struct vdisk_aio *a);
void vdisk_aio_submit(struct vdisk_aio *a, struct vdisk_io *io);
int vdisk_aio_cache_init(void);
void vdisk_aio_cache_exit(void);
/* I/Os reaped by the workers' poller (the rest: the engine threads). */
uint64_t vdisk_aio_polled(void);
/* Transfers that went through a bounce buffer (unaligned pieces). */
uint64_t vdisk_aio_bounced(void);
/*
 * Fill @iov (room for @max) with the data of @io (io->len bytes of its sg
 * list from io->sg_off). Returns the count; 0 when a piece's address or
 * length is not a multiple of @align (a power of two) or @max is too
 * small: the transfer must be bounced; -EIO when the list is too short.
 */
struct iovec;
int vdisk_aio_build_iov(struct iovec *iov, int max, const struct vdisk_io *io,
			uint32_t align);

/* Blocking helpers run on the pool (vdisk_io_file.c). */
int vdisk_io_do_rw(int fd, struct vdisk_io *io);
int vdisk_io_do_flush(int fd);
int vdisk_io_zero_range(int fd, uint64_t off, uint64_t len);
/* The file backend's calls, shared with the block backend. */
int vdisk_file_open_mode(struct vdisk_dev *vd, bool blockio);
void vdisk_file_close(struct vdisk_dev *vd);
void vdisk_file_submit(struct vdisk_io *io);
int vdisk_file_get_size(struct vdisk_dev *vd, uint64_t *bytes);

#endif /* VDISK_PRIV_H */
