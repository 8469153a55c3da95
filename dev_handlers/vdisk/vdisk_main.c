// SPDX-License-Identifier: GPL-2.0-only
/*
 * The vdisk handler framework: the four handler types, exec dispatch
 * through the command-set tables, completion and error mapping, the
 * block-range I/O helpers, fault injection, and the device life cycle
 * (add_device/del_device). Attributes and add_device parameters are in
 * vdisk_attrs.c; the backends in vdisk_io_*.c.
 *
 * Command path: the core decodes the CDB and calls vdisk_exec() on a
 * worker. vdisk_exec() finds the row of the opcode (and service action)
 * for the device's kind, refuses what the device's state forbids (no
 * medium, inactive, read-only), and calls the row's function. That either
 * finishes at once (VDISK_DONE: exec completes the command) or starts
 * backend I/O (VDISK_ASYNC: vdisk_cmd_done() later, from the I/O thread).
 * Backend calls that can sleep never run on a core worker.
 */
#include <errno.h>

#include "dev_handlers/vdisk/vdisk_module.h"
#include "dev_handlers/vdisk/vdisk_priv.h"
#include "dev_handlers/vdisk/vdisk_xcopy.h"

/* ----------------------------------------------------- command tables ---- */

/* The command sets, in lookup order (each table ends with fn NULL). */
static const struct vdisk_op *const vdisk_tables[] = {
    vdisk_spc_ops,
    vdisk_sbc_ops,
    vdisk_xcopy_ops,
    vdisk_mmc_ops,
};

/*
 * The first row of each opcode per kind, built once at module start; a
 * row with a service action sends the lookup through every table.
 */
static const struct vdisk_op *vdisk_index[VDISK_KIND_COUNT][256];

static void vdisk_build_index(void)
{
	const struct vdisk_op *op;
	unsigned int t, k;

	memset(vdisk_index, 0, sizeof(vdisk_index));
	for (t = 0; t < sizeof(vdisk_tables) / sizeof(vdisk_tables[0]); t++)
		for (op = vdisk_tables[t]; op->fn; op++)
			for (k = 0; k < VDISK_KIND_COUNT; k++)
				if ((op->kinds & VDISK_K(k)) &&
				    !vdisk_index[k][op->opcode])
					vdisk_index[k][op->opcode] = op;
}

/* The row for @cdb; NULL, with *@known when only the SA is unknown. */
static const struct vdisk_op *vdisk_lookup(enum vdisk_kind kind,
					   const uint8_t *cdb, bool *known)
{
	const struct vdisk_op *op = vdisk_index[kind][cdb[0]];
	unsigned int t;

	*known = op != NULL;
	if (!op || op->sa < 0)
		return op;
	for (t = 0; t < sizeof(vdisk_tables) / sizeof(vdisk_tables[0]); t++)
		for (op = vdisk_tables[t]; op->fn; op++)
			if (op->opcode == cdb[0] &&
			    (op->kinds & VDISK_K(kind)) &&
			    (op->sa < 0 || op->sa == (cdb[1] & 0x1f)))
				return op;
	return NULL;
}

/* ----------------------------------------------------- state checks ---- */

/* False (with sense set) when the device's state forbids the command. */
static bool vdisk_precheck(struct scst_cmd *cmd, struct vdisk_dev *vd)
{
	const struct scst_cdb_info *ci = scst_cmd_op(cmd);
	struct vdisk_devx *x = vdisk_x(vd);
	bool present, active, ro, swp;

	scst_spin_lock(&vd->lock);
	present = vd->media_present;
	active = x->active;
	ro = vd->read_only;
	swp = vd->swp;
	scst_spin_unlock(&vd->lock);
	if (!scst_cdb_no_medium_ok(ci)) {
		if (!active) {
			/* LOGICAL UNIT NOT READY, MANUAL INTERVENTION REQUIRED
			 */
			scst_set_cmd_error(cmd, NOT_READY, 0x04, 0x03);
			return false;
		}
		if (vd->kind == VDISK_CDROM && !present) {
			scst_set_cmd_error(
			    cmd,
			    SCST_LOAD_SENSE(scst_sense_medium_not_present));
			return false;
		}
	}
	if (scst_cdb_writes_medium(ci) && (ro || swp)) {
		if (ro)
			scst_set_cmd_error(
			    cmd, SCST_LOAD_SENSE(scst_sense_data_protect));
		else /* WRITE PROTECTED: SOFTWARE WRITE PROTECTED */
			scst_set_cmd_error(cmd, DATA_PROTECT, 0x27, 0x02);
		return false;
	}
	return true;
}

/* ------------------------------------------------------------- exec ---- */

static int vdisk_exec(struct scst_cmd *cmd)
{
	struct vdisk_dev *vd = vdisk_of(cmd);
	const uint8_t *cdb = scst_cmd_cdb(cmd);
	const struct vdisk_op *op;
	bool known;

	op = vdisk_lookup(vd->kind, cdb, &known);
	if (!op) {
		if (known) /* SERVICE ACTION field, byte 1 bits 4-0 */
			scst_set_invalid_field_in_cdb(cmd, 1, 4);
		else
			scst_set_cmd_error(
			    cmd, SCST_LOAD_SENSE(scst_sense_invalid_opcode));
		goto out_done;
	}
	if (!vdisk_precheck(cmd, vd))
		goto out_done;
	if (op->fn(cmd, vd) == VDISK_DONE)
		goto out_done;
	return SCST_EXEC_COMPLETED;

out_done:
	scst_cmd_exec_done(cmd);
	return SCST_EXEC_COMPLETED;
}

void vdisk_cmd_done(struct scst_cmd *cmd)
{
	scst_cmd_exec_done(cmd);
}

void vdisk_set_io_error(struct scst_cmd *cmd, enum vdisk_io_op op, int err)
{
	switch (err) {
	case -EIO:
		if (op == VDISK_IO_READ)
			scst_set_cmd_error(
			    cmd, SCST_LOAD_SENSE(scst_sense_read_error));
		else
			scst_set_cmd_error(
			    cmd, SCST_LOAD_SENSE(scst_sense_write_error));
		break;
	case -ENOSPC:
	case -EDQUOT:
		scst_set_cmd_error(
		    cmd, SCST_LOAD_SENSE(scst_sense_space_alloc_failed));
		break;
	case -EROFS:
		scst_set_cmd_error(cmd,
				   SCST_LOAD_SENSE(scst_sense_data_protect));
		break;
	case -ENOMEDIUM:
		scst_set_cmd_error(
		    cmd, SCST_LOAD_SENSE(scst_sense_medium_not_present));
		break;
	case -ENOMEM:
	case -EAGAIN:
		/* Transient: the initiator retries. */
		scst_set_cmd_error_status(cmd, SAM_STAT_BUSY);
		break;
	default:
		scst_set_cmd_error(cmd,
				   SCST_LOAD_SENSE(scst_sense_hardw_error));
		break;
	}
}

bool vdisk_check_range(struct scst_cmd *cmd, struct vdisk_dev *vd, uint64_t lba,
		       uint64_t nblocks)
{
	uint64_t cap = __atomic_load_n(&vd->nblocks, __ATOMIC_ACQUIRE);

	if (lba > cap || nblocks > cap - lba) {
		scst_set_cmd_error(
		    cmd, SCST_LOAD_SENSE(scst_sense_lba_out_of_range));
		return false;
	}
	return true;
}

/* --------------------------------------------------- block I/O helpers ---- */

/* Per-command state of vdisk_rw_blocks() and vdisk_flush(). */
struct vdisk_cmd {
	struct vdisk_io io;
	struct scst_cmd *cmd;
};

static struct scst_os_cache *vdisk_cmd_cache;

static void vdisk_cmd_io_done(struct vdisk_io *io, int err)
{
	struct vdisk_cmd *vc = io->priv;
	struct scst_cmd *cmd = vc->cmd;

	if (err)
		vdisk_set_io_error(cmd, io->op, err);
	scst_os_cache_free(vdisk_cmd_cache, vc);
	vdisk_cmd_done(cmd);
}

/* Start @op for @cmd; completes the command either way. */
static void vdisk_cmd_io(struct scst_cmd *cmd, struct vdisk_dev *vd,
			 enum vdisk_io_op op, uint64_t off, uint64_t len,
			 uint32_t sg_off, bool fua)
{
	struct vdisk_cmd *vc = scst_os_cache_zalloc(vdisk_cmd_cache);

	if (!vc) {
		scst_set_cmd_error_status(cmd, SAM_STAT_BUSY);
		vdisk_cmd_done(cmd);
		return;
	}
	vc->cmd = cmd;
	vc->io.vd = vd;
	vc->io.op = op;
	vc->io.off = off;
	vc->io.len = len;
	if (op == VDISK_IO_READ || op == VDISK_IO_WRITE)
		vc->io.sg_cnt = scst_cmd_sg(cmd, &vc->io.sg);
	vc->io.sg_off = sg_off;
	vc->io.fua = fua;
	vc->io.done = vdisk_cmd_io_done;
	vc->io.priv = vc;
	vc->io.cmd = cmd;
	vdisk_io_submit(&vc->io);
}

int vdisk_rw_blocks(struct scst_cmd *cmd, struct vdisk_dev *vd,
		    enum vdisk_io_op op, uint64_t lba, uint64_t nblocks,
		    uint32_t sg_off, bool fua)
{
	uint64_t len = nblocks << vd->block_shift;
	uint64_t have = 0;
	struct scst_sg_iter it;
	struct scst_sg *sg;
	unsigned int n;
	uint32_t k;
	void *p;

	if (op == VDISK_IO_READ || op == VDISK_IO_WRITE) {
		n = scst_cmd_sg(cmd, &sg);
		scst_sg_iter_init(&it, sg, n, sg_off, len);
		while (scst_sg_iter_next(&it, &p, &k, 0))
			have += k;
		if (have < len) {
			/*
			 * The initiator's expected length cut the buffer
			 * short. A read returns the whole blocks that fit
			 * (the core reports the residual); a write of part of
			 * what the CDB asks for is refused.
			 */
			if (op == VDISK_IO_WRITE) {
				scst_set_cmd_error(
				    cmd, SCST_LOAD_SENSE(
					     scst_sense_invalid_field_in_cdb));
				vdisk_cmd_done(cmd);
				return VDISK_ASYNC;
			}
			len = have >> vd->block_shift << vd->block_shift;
		}
	}
	if (!len) {
		vdisk_cmd_done(cmd);
		return VDISK_ASYNC;
	}
	if (op == VDISK_IO_WRITE)
		fua = !vd->nv_cache && (fua || vd->write_through || !vd->wce);
	else
		fua = false;
	vdisk_cmd_io(cmd, vd, op, lba << vd->block_shift, len, sg_off, fua);
	return VDISK_ASYNC;
}

int vdisk_flush(struct scst_cmd *cmd, struct vdisk_dev *vd)
{
	if (vd->nv_cache || vd->kind == VDISK_NULLIO) {
		vdisk_cmd_done(cmd);
		return VDISK_ASYNC;
	}
	vdisk_cmd_io(cmd, vd, VDISK_IO_FLUSH, 0, 0, 0, false);
	return VDISK_ASYNC;
}

void vdisk_update_geometry(struct vdisk_dev *vd)
{
	vd->block_shift = (unsigned int)__builtin_ctz(vd->block_size);
	__atomic_store_n(&vd->nblocks, vd->size_bytes >> vd->block_shift,
			 __ATOMIC_RELEASE);
}

void vdisk_set_capacity(struct vdisk_dev *vd, uint64_t size_bytes)
{
	scst_spin_lock(&vd->lock);
	vd->size_bytes = size_bytes;
	vdisk_update_geometry(vd);
	scst_spin_unlock(&vd->lock);
	if (vd->dev)
		scst_dev_set_ua(
		    vd->dev, SCST_LOAD_SENSE(scst_sense_capacity_changed_UA));
}

/* ---------------------------------------------------------- backend ---- */

void vdisk_io_complete(struct vdisk_io *io, int err)
{
	struct vdisk_devx *x = vdisk_x(io->vd);

	io->done(io, err);
	/* The last touch of the device: a closer may free it right after. */
	scst_atomic_dec(&x->inflight);
}

void vdisk_io_submit(struct vdisk_io *io)
{
	struct vdisk_dev *vd = io->vd;
	struct vdisk_devx *x = vdisk_x(vd);
	bool open;
	int err = 0;

	scst_atomic_inc(&x->inflight);
	scst_spin_lock(&vd->lock);
	if (vd->fault.count && vd->fault.op == io->op) {
		err = vd->fault.err;
		if (vd->fault.count > 0)
			vd->fault.count--;
	}
	scst_spin_unlock(&vd->lock);
	if (err) {
		vdisk_io_complete(io, err);
		return;
	}
	scst_read_lock(&x->io_lock);
	open = x->be_open;
	scst_read_unlock(&x->io_lock);
	if (!open) {
		vdisk_io_complete(io, -ENOMEDIUM);
		return;
	}
	vd->be->submit(io);
}

static const char *vdisk_strerror(int err)
{
	switch (err) {
	case -ENOENT:
		return "no such file or directory";
	case -EACCES:
	case -EPERM:
		return "permission denied";
	case -EROFS:
		return "read-only file system";
	case -EISDIR:
		return "is a directory";
	case -ENOTBLK:
		return "not a block device";
	case -EINVAL:
		return "invalid argument (O_DIRECT not supported?)";
	case -EBUSY:
		return "device or resource busy";
	case -ENOMEM:
		return "out of memory";
	default:
		return "I/O error";
	}
}

int vdisk_backend_open(struct vdisk_dev *vd, struct scst_mgmt_res *res)
{
	struct vdisk_devx *x = vdisk_x(vd);
	int rc;

	rc = vd->be->open(vd);
	if (rc)
		return scst_mgmt_res_set(
		    res, rc, "%s: cannot open %s: %s", vd->name,
		    vd->filename ? vd->filename : "(none)", vdisk_strerror(rc));
	scst_write_lock(&x->io_lock);
	x->be_open = true;
	scst_write_unlock(&x->io_lock);
	return 0;
}

void vdisk_backend_close(struct vdisk_dev *vd)
{
	struct vdisk_devx *x = vdisk_x(vd);
	bool was;

	scst_write_lock(&x->io_lock);
	was = x->be_open;
	x->be_open = false;
	scst_write_unlock(&x->io_lock);
	while (scst_atomic_read(&x->inflight))
		scst_os_msleep(1);
	if (was)
		vd->be->close(vd);
}

/* ------------------------------------------------------ fault hooks ---- */

static struct scst_mutex vdisk_mutex;
static SCST_LIST_HEAD_DEF(vdisk_devs);

static bool vdisk_is_ours(struct scst_device *dev)
{
	const char *h = scst_dev_handler_name(dev);
	unsigned int k;

	for (k = 0; k < VDISK_KIND_COUNT; k++)
		if (h && strcmp(h, vdisk_types[k].name) == 0)
			return true;
	return false;
}

int vdisk_set_fault(struct scst_device *dev, enum vdisk_io_op op, int err,
		    int count)
{
	struct vdisk_dev *vd;

	if (!dev || !vdisk_is_ours(dev) || (count && err >= 0) || count < -1)
		return -EINVAL;
	vd = scst_dev_get_dh_priv(dev);
	scst_spin_lock(&vd->lock);
	vd->fault.op = op;
	vd->fault.err = err;
	vd->fault.count = count;
	scst_spin_unlock(&vd->lock);
	return 0;
}

int vdisk_inflight(struct scst_device *dev)
{
	struct vdisk_dev *vd;

	if (!dev || !vdisk_is_ours(dev))
		return -EINVAL;
	vd = scst_dev_get_dh_priv(dev);
	return scst_atomic_read(&vdisk_x(vd)->inflight);
}

/* ---------------------------------------------------- device life ---- */

static const struct vdisk_backend_ops *const vdisk_backends[] = {
    [VDISK_FILEIO] = &vdisk_file_backend,
    [VDISK_BLOCKIO] = &vdisk_block_backend,
    [VDISK_NULLIO] = &vdisk_null_backend,
    [VDISK_CDROM] = &vdisk_file_backend,
};

static void vdisk_free(struct vdisk_devx *x)
{
	struct vdisk_dev *vd = &x->vd;

	scst_os_free(vd->filename);
	scst_os_free(vd->name);
	scst_spin_destroy(&vd->lock);
	scst_rwlock_destroy(&x->io_lock);
	scst_os_free(x);
}

static char *vdisk_strdup(const char *s)
{
	size_t n = strlen(s) + 1;
	char *p = scst_os_alloc(n);

	if (p)
		memcpy(p, s, n);
	return p;
}

static int vdisk_add(enum vdisk_kind kind, const char *name, const char *params,
		     struct scst_mgmt_res *res)
{
	struct vdisk_devx *x;
	struct vdisk_dev *vd;
	int rc;

	x = scst_os_zalloc(sizeof(*x));
	if (!x)
		return scst_mgmt_res_set(res, -ENOMEM, "out of memory");
	vd = &x->vd;
	scst_spin_init(&vd->lock);
	scst_rwlock_init(&x->io_lock);
	scst_list_init(&x->entry);
	vd->kind = kind;
	vd->be = vdisk_backends[kind];
	vd->name = vdisk_strdup(name);
	if (!vd->name) {
		rc = scst_mgmt_res_set(res, -ENOMEM, "out of memory");
		goto out_free;
	}
	vdisk_set_defaults(vd);
	rc = vdisk_parse_params(vd, params, res);
	if (rc)
		goto out_free;
	if ((vd->filename || kind == VDISK_NULLIO) && x->active) {
		rc = vdisk_backend_open(vd, res);
		if (rc)
			goto out_free;
	}
	vd->media_present = kind != VDISK_CDROM || vd->filename;
	vd->wce = !vd->write_through;
	vdisk_update_geometry(vd);
	rc = scst_register_virtual_device(&vdisk_types[kind], name, vd,
					  &vd->dev);
	if (rc) {
		scst_mgmt_res_set(res, rc, "%s: cannot register device %s",
				  vdisk_types[kind].name, name);
		goto out_close;
	}
	scst_dev_set_block_size(vd->dev, vd->block_size);
	scst_dev_set_tst(vd->dev, x->tst);
	scst_dev_set_d_sense(vd->dev, vd->d_sense);
	scst_dev_set_tas(vd->dev, vd->tas);
	scst_mutex_lock(&vdisk_mutex);
	scst_list_add_tail(&x->entry, &vdisk_devs);
	scst_mutex_unlock(&vdisk_mutex);
	scst_info("%s: added %s (%s, %llu blocks of %u bytes)",
		  vdisk_types[kind].name, name,
		  vd->filename ? vd->filename : "no file",
		  (unsigned long long)vd->nblocks, vd->block_size);
	return 0;

out_close:
	vdisk_backend_close(vd);
out_free:
	vdisk_free(x);
	return rc;
}

static void vdisk_del(struct vdisk_devx *x)
{
	struct vdisk_dev *vd = &x->vd;

	scst_mutex_lock(&vdisk_mutex);
	scst_list_del_init(&x->entry);
	scst_mutex_unlock(&vdisk_mutex);
	/* Unmaps it everywhere and waits for its commands. */
	scst_unregister_virtual_device(vd->dev);
	vdisk_xcopy_dev_free(vd);
	vdisk_backend_close(vd);
	vdisk_free(x);
}

static int vdisk_del_by_name(enum vdisk_kind kind, const char *name,
			     struct scst_mgmt_res *res)
{
	struct scst_device *dev = scst_find_device(name);

	if (!dev || strcmp(scst_dev_handler_name(dev), vdisk_types[kind].name))
		return scst_mgmt_res_set(res, -ENOENT, "no %s device %s",
					 vdisk_types[kind].name, name);
	vdisk_del(vdisk_x(scst_dev_get_dh_priv(dev)));
	return 0;
}

#define VDISK_MGMT_FNS(k, id)                                                  \
	static int vdisk_add_##id(const char *name, const char *params,        \
				  struct scst_mgmt_res *res)                   \
	{                                                                      \
		return vdisk_add(k, name, params, res);                        \
	}                                                                      \
	static int vdisk_del_##id(const char *name, struct scst_mgmt_res *res) \
	{                                                                      \
		return vdisk_del_by_name(k, name, res);                        \
	}

VDISK_MGMT_FNS(VDISK_FILEIO, fileio)
VDISK_MGMT_FNS(VDISK_BLOCKIO, blockio)
VDISK_MGMT_FNS(VDISK_NULLIO, nullio)
VDISK_MGMT_FNS(VDISK_CDROM, cdrom)

struct scst_dev_type vdisk_types[VDISK_KIND_COUNT] = {
    [VDISK_FILEIO] =
	{
	    .name = "vdisk_fileio",
	    .type = TYPE_DISK,
	    .exec = vdisk_exec,
	    .add_device = vdisk_add_fileio,
	    .del_device = vdisk_del_fileio,
	},
    [VDISK_BLOCKIO] =
	{
	    .name = "vdisk_blockio",
	    .type = TYPE_DISK,
	    .exec = vdisk_exec,
	    .add_device = vdisk_add_blockio,
	    .del_device = vdisk_del_blockio,
	},
    [VDISK_NULLIO] =
	{
	    .name = "vdisk_nullio",
	    .type = TYPE_DISK,
	    .exec = vdisk_exec,
	    .add_device = vdisk_add_nullio,
	    .del_device = vdisk_del_nullio,
	},
    [VDISK_CDROM] =
	{
	    .name = "vcdrom",
	    .type = TYPE_ROM,
	    .exec = vdisk_exec,
	    .add_device = vdisk_add_cdrom,
	    .del_device = vdisk_del_cdrom,
	},
};

/* ------------------------------------------------------------ module ---- */

static void vdisk_del_all(void)
{
	struct vdisk_devx *x;

	for (;;) {
		scst_mutex_lock(&vdisk_mutex);
		x = scst_list_empty(&vdisk_devs)
			? NULL
			: scst_list_first_entry(&vdisk_devs, struct vdisk_devx,
						entry);
		scst_mutex_unlock(&vdisk_mutex);
		if (!x)
			break;
		vdisk_del(x);
	}
}

static int vdisk_init(void)
{
	unsigned int k;
	int rc;

	scst_mutex_init(&vdisk_mutex);
	vdisk_build_index();
	vdisk_cmd_cache =
	    scst_os_cache_create("vdisk_cmd", sizeof(struct vdisk_cmd));
	if (!vdisk_cmd_cache) {
		rc = -ENOMEM;
		goto out_mutex;
	}
	rc = vdisk_aio_cache_init();
	if (rc)
		goto out_cache;
	rc = vdisk_pool_start();
	if (rc)
		goto out_aio;
	for (k = 0; k < VDISK_KIND_COUNT; k++) {
		vdisk_types[k].dev_attrs = vdisk_dev_attrs[k];
		vdisk_types[k].add_device_params = vdisk_add_params[k];
		rc = scst_register_dev_driver(&vdisk_types[k]);
		if (rc)
			goto out_unreg;
	}
	return 0;

out_unreg:
	while (k--)
		scst_unregister_dev_driver(&vdisk_types[k]);
	vdisk_pool_stop();
out_aio:
	vdisk_aio_cache_exit();
out_cache:
	scst_os_cache_destroy(vdisk_cmd_cache);
	vdisk_cmd_cache = NULL;
out_mutex:
	scst_mutex_destroy(&vdisk_mutex);
	return rc;
}

static void vdisk_exit(void)
{
	unsigned int k;

	vdisk_del_all();
	for (k = VDISK_KIND_COUNT; k--;)
		scst_unregister_dev_driver(&vdisk_types[k]);
	vdisk_pool_stop();
	vdisk_aio_cache_exit();
	scst_os_cache_destroy(vdisk_cmd_cache);
	vdisk_cmd_cache = NULL;
	scst_mutex_destroy(&vdisk_mutex);
}

const struct scst_module vdisk_module = {
    .name = "vdisk",
    .start = vdisk_init,
    .stop = vdisk_exit,
};
