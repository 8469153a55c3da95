/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * The virtual disk handlers: vdisk_fileio, vdisk_blockio, vdisk_nullio and
 * vcdrom, sharing one device structure and one SCSI emulation split by
 * command set:
 *   vdisk_main.c   handler types, add_device parameters, attributes, exec
 *                  dispatch, completion and error mapping
 *   vdisk_spc.c    SPC: INQUIRY (+VPD), MODE SENSE/SELECT, REPORT SUPPORTED
 *                  OPERATION CODES / TASK MANAGEMENT FUNCTIONS, TUR, ...
 *   vdisk_sbc.c    SBC: READ/WRITE/VERIFY/..., WRITE SAME, UNMAP,
 *                  GET LBA STATUS, COMPARE AND WRITE, READ CAPACITY, ...
 *   vdisk_xcopy.c  EXTENDED COPY (LID1), RECEIVE COPY RESULTS
 *   vdisk_mmc.c    MMC for vcdrom
 *   vdisk_io_*.c   backends (the platform edge): files (buffered through an
 *                  offload pool, O_DIRECT through libaio), block devices
 *                  (libaio, BLKDISCARD), null
 * The emulation files are kernel-portable: they use scst.h, os.h and the
 * backend interface below, never system calls.
 */
#ifndef VDISK_H
#define VDISK_H

#include "scst/byteorder.h"
#include "scst/os.h"
#include "scst/scst.h"

enum vdisk_kind {
	VDISK_FILEIO,
	VDISK_BLOCKIO,
	VDISK_NULLIO,
	VDISK_CDROM,
	VDISK_KIND_COUNT,
};
#define VDISK_K(k) (1u << (k))
#define VDISK_K_DISKS                                                          \
	(VDISK_K(VDISK_FILEIO) | VDISK_K(VDISK_BLOCKIO) | VDISK_K(VDISK_NULLIO))
#define VDISK_K_ALL (VDISK_K_DISKS | VDISK_K(VDISK_CDROM))

struct vdisk_dev;
struct vdisk_io;

/* ------------------------------------------------------------ backend ---- */

enum vdisk_io_op {
	VDISK_IO_READ,
	VDISK_IO_WRITE,
	VDISK_IO_FLUSH,	  /* make everything written durable */
	VDISK_IO_DISCARD, /* unmap [off, off+len): reads back zeros */
};

/*
 * One backend request. The emulation fills the first block of fields and
 * calls vdisk_io_submit(); the backend calls io->done(io, err) exactly once,
 * from any thread, err 0 or a negative errno (-EIO, -ENOSPC, ...). A short
 * read or write is reported as -EIO, never as success.
 */
struct vdisk_io {
	/* ---- set by the emulation ---- */
	struct vdisk_dev *vd;
	enum vdisk_io_op op;
	uint64_t off;	    /* byte offset in the backing store */
	uint64_t len;	    /* bytes */
	struct scst_sg *sg; /* data (READ/WRITE) */
	unsigned int sg_cnt;
	uint32_t sg_off; /* where in the sg list the data starts */
	bool fua;	 /* WRITE: durable before done() */
	void (*done)(struct vdisk_io *io, int err);
	void *priv;
	/*
	 * The command the I/O serves, if any (NULL for internal I/O): a direct
	 * I/O backend signals its completion to the command's worker
	 * (scst_cmd_wake_fd), which reaps it.
	 */
	struct scst_cmd *cmd;
	/* ---- owned by the backend ---- */
	struct scst_list_head be_entry;
	void *be_priv;
};

struct vdisk_backend_ops {
	const char *name;
	/* Open vd->filename (vd->read_only, vd->o_direct apply); set
	 * vd->size_bytes. -errno on failure (with a log line). */
	int (*open)(struct vdisk_dev *vd);
	void (*close)(struct vdisk_dev *vd);
	/* Start @io; completion through io->done. Never blocks a worker. */
	void (*submit)(struct vdisk_io *io);
	/* Current size of the backing store (resync_size). */
	int (*get_size)(struct vdisk_dev *vd, uint64_t *bytes);
	/*
	 * Thin provisioning: is the byte range starting at @off mapped, and
	 * for how long does that stay true (up to @max)? Optional: without
	 * it every block is mapped.
	 */
	int (*lba_status)(struct vdisk_dev *vd, uint64_t off, uint64_t max,
			  bool *mapped, uint64_t *run);
};

extern const struct vdisk_backend_ops vdisk_file_backend;
extern const struct vdisk_backend_ops vdisk_block_backend;
extern const struct vdisk_backend_ops vdisk_null_backend;

/* Submit through the device's backend (and its fault injection). */
void vdisk_io_submit(struct vdisk_io *io);

/* ------------------------------------------------------------- device ---- */

#define VDISK_VEND_LEN	8
#define VDISK_PROD_LEN	16
#define VDISK_REV_LEN	4
#define VDISK_USN_LEN	64
#define VDISK_DEVID_LEN 64

/* Fault injection for tests: fail the next @count I/Os of @op. */
struct vdisk_fault {
	int count; /* remaining; 0 = off; -1 = forever */
	enum vdisk_io_op op;
	int err; /* negative errno to report */
};

struct vdisk_dev {
	struct scst_device *dev;
	enum vdisk_kind kind;
	const struct vdisk_backend_ops *be;
	void *be_priv;
	char *name;
	char *filename; /* NULL: none (nullio, empty cdrom) */

	/* Geometry. */
	uint64_t size_bytes;
	uint32_t block_size;
	unsigned int block_shift;
	uint64_t nblocks;
	uint8_t lb_per_pb_exp;

	/* Attributes (SCST names). */
	bool read_only;
	bool nv_cache;
	bool write_through;
	bool o_direct;
	bool thin_provisioned;
	bool removable;
	bool rotational;
	bool dummy;	/* nullio: no data at all */
	bool read_zero; /* nullio: reads return zeros */
	char t10_vend_id[VDISK_VEND_LEN + 1];
	char prod_id[VDISK_PROD_LEN + 1];
	char prod_rev_lvl[VDISK_REV_LEN + 1];
	char t10_dev_id[VDISK_DEVID_LEN + 1];
	char usn[VDISK_USN_LEN + 1];
	uint8_t naa_id[16];
	unsigned int naa_len; /* 0, 8 or 16 */
	uint8_t eui64_id[16];
	unsigned int eui64_len; /* 0, 8, 12 or 16 */
	/*
	 * NAA 6 designator reported when neither naa_id nor eui64_id is set
	 * (not an attribute value): see vdisk_lu_naa().
	 */
	uint8_t def_naa_id[16];

	/* Run-time state, under lock. */
	struct scst_spinlock lock;
	bool media_present; /* vcdrom */
	bool stopped;	    /* START STOP UNIT */
	bool wce;	    /* caching mode page WCE (!write_through) */
	bool d_sense;	    /* control mode page D_SENSE */
	bool swp;	    /* control mode page SWP */
	bool tas;
	struct vdisk_fault fault;
	/* Serializes COMPARE AND WRITE against overlapping writes: the core's
	 * serialization matrix already does this (SCST_SER_ATOMIC). */

	/* Owned by vdisk_xcopy.c. */
	void *xcopy_priv;
	/* Owned by vdisk_mmc.c. */
	void *mmc_priv;
};

/*
 * The LU's NAA designator: naa_id when set; else, when eui64_id is not set
 * either, the default NAA 6 one made from the device's name, so that every
 * device has an LU designator short enough for an EXTENDED COPY
 * identification descriptor (20 bytes). Returns its length (0: none) and
 * points *@id at it. Caller holds vd->lock or owns vd.
 */
static inline unsigned int vdisk_lu_naa(const struct vdisk_dev *vd,
					const uint8_t **id)
{
	if (vd->naa_len) {
		*id = vd->naa_id;
		return vd->naa_len;
	}
	if (vd->eui64_len)
		return 0;
	*id = vd->def_naa_id;
	return sizeof(vd->def_naa_id);
}

static inline struct vdisk_dev *vdisk_of(struct scst_cmd *cmd)
{
	return scst_dev_get_dh_priv(scst_cmd_dev(cmd));
}

/* ---------------------------------------------------- command dispatch ---- */

/*
 * A command set's handlers: a table of rows {opcode, service action or -1,
 * kinds it applies to, function}. The function returns VDISK_DONE when it
 * has finished (status and data set), or VDISK_ASYNC when it will call
 * vdisk_cmd_done() later from any thread. vdisk_main.c looks the opcode up
 * in the tables below; opcodes in no table get INVALID COMMAND OPERATION
 * CODE.
 */
enum { VDISK_DONE = 0, VDISK_ASYNC = 1 };

struct vdisk_op {
	uint8_t opcode;
	int16_t sa;	/* service action, -1: any */
	uint16_t kinds; /* VDISK_K(...) mask */
	int (*fn)(struct scst_cmd *cmd, struct vdisk_dev *vd);
};

extern const struct vdisk_op vdisk_spc_ops[];
extern const struct vdisk_op vdisk_sbc_ops[];
extern const struct vdisk_op vdisk_xcopy_ops[];
extern const struct vdisk_op vdisk_mmc_ops[];

/* Finish an asynchronous command (any thread). */
void vdisk_cmd_done(struct scst_cmd *cmd);

/* Map a backend error to sense: EIO on read -> MEDIUM ERROR/UNRECOVERED READ
 * ERROR, on write -> MEDIUM ERROR/WRITE ERROR, ENOSPC -> DATA PROTECT/SPACE
 * ALLOCATION FAILED WRITE PROTECT, anything else -> HARDWARE ERROR. */
void vdisk_set_io_error(struct scst_cmd *cmd, enum vdisk_io_op op, int err);

/* LBA range check of the decoded CDB; sets LBA OUT OF RANGE and returns
 * false when lba + nblocks goes past the end. */
bool vdisk_check_range(struct scst_cmd *cmd, struct vdisk_dev *vd, uint64_t lba,
		       uint64_t nblocks);

/* Run @op over [lba, lba+nblocks) with the command's buffer starting at
 * @sg_off, completing the command (vdisk_cmd_done, error mapped) when all
 * of it is done; returns VDISK_ASYNC. */
int vdisk_rw_blocks(struct scst_cmd *cmd, struct vdisk_dev *vd,
		    enum vdisk_io_op op, uint64_t lba, uint64_t nblocks,
		    uint32_t sg_off, bool fua);
/* Make everything durable, then complete the command; VDISK_ASYNC. */
int vdisk_flush(struct scst_cmd *cmd, struct vdisk_dev *vd);

/* Change the number of blocks (resync_size, new media) and raise CAPACITY
 * DATA HAS CHANGED on every nexus. */
void vdisk_set_capacity(struct vdisk_dev *vd, uint64_t size_bytes);

#endif /* VDISK_H */
