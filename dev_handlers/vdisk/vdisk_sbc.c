// SPDX-License-Identifier: GPL-2.0-only
/*
 * SBC-3 for the vdisk disks: READ/WRITE 6/10/12/16, WRITE AND VERIFY,
 * VERIFY, PRE-FETCH, SYNCHRONIZE CACHE, READ CAPACITY 10/16, FORMAT UNIT
 * and COMPARE AND WRITE, plus the job engine the multi-step commands share
 * (see vdisk_sbc.h). WRITE SAME, UNMAP and GET LBA STATUS are in
 * vdisk_sbc_thin.c.
 *
 * The core has already decoded the CDB (LBA, transfer length, buffer) and
 * refused reserved bits, writes to read-only LUNs and transfers beyond its
 * buffer limit. What is left here: range checks, the fields the core lets
 * through that this device does not support (protection information), and
 * the work itself.
 *
 * COMPARE AND WRITE is one command from the core's point of view: its
 * read, compare and write all happen inside this command's execution, and
 * the core's SCST_SER_ATOMIC class keeps every overlapping command out of
 * execution meanwhile.
 */
#include "vdisk_sbc.h"

/* ------------------------------------------------------ job engine ---- */

enum { J_SUBMITTING = 1, J_WAITING, J_COMPLETED };

struct vdisk_sbc_job *vdisk_sbc_job_new(struct scst_cmd *cmd,
					struct vdisk_dev *vd,
					vdisk_sbc_step_fn step,
					uint32_t buf_len)
{
	struct vdisk_sbc_job *j = scst_os_zalloc(sizeof(*j));

	if (!j)
		goto nomem;
	if (buf_len) {
		j->buf_mem = scst_os_zalloc(buf_len + VDISK_SBC_BUF_ALIGN);
		j->buf = (uint8_t *)(((uintptr_t)j->buf_mem +
				      VDISK_SBC_BUF_ALIGN - 1) &
				     ~(uintptr_t)(VDISK_SBC_BUF_ALIGN - 1));
		if (!j->buf_mem) {
			scst_os_free(j);
			goto nomem;
		}
	}
	j->cmd = cmd;
	j->vd = vd;
	j->step = step;
	j->buf_len = buf_len;
	j->bsg.addr = j->buf;
	j->bsg.len = buf_len;
	return j;
nomem:
	scst_set_cmd_error_status(cmd, SAM_STAT_BUSY);
	return NULL;
}

static void vdisk_sbc_job_end(struct vdisk_sbc_job *j)
{
	struct scst_cmd *cmd = j->cmd;

	scst_os_free(j->priv);
	scst_os_free(j->buf_mem);
	scst_os_free(j);
	vdisk_cmd_done(cmd);
}

static void vdisk_sbc_job_run(struct vdisk_sbc_job *j)
{
	for (;;) {
		if (j->err) {
			vdisk_set_io_error(j->cmd, j->io.op, j->err);
			break;
		}
		if (scst_cmd_aborted(j->cmd))
			break;
		if (j->step(j) == VDISK_SBC_FINISH)
			break;
		scst_atomic_set(&j->sync, J_SUBMITTING);
		vdisk_io_submit(&j->io);
		if (scst_atomic_cmpxchg(&j->sync, J_SUBMITTING, J_WAITING) ==
		    J_SUBMITTING)
			return; /* the completion continues the job */
		/* Completed inside vdisk_io_submit(): go on here. */
	}
	vdisk_sbc_job_end(j);
}

static void vdisk_sbc_io_done(struct vdisk_io *io, int err)
{
	struct vdisk_sbc_job *j = io->priv;

	j->err = err;
	if (scst_atomic_xchg(&j->sync, J_COMPLETED) == J_WAITING)
		vdisk_sbc_job_run(j);
}

int vdisk_sbc_job_start(struct vdisk_sbc_job *j)
{
	vdisk_sbc_job_run(j);
	return VDISK_ASYNC;
}

void vdisk_sbc_io(struct vdisk_sbc_job *j, enum vdisk_io_op op, uint64_t lba,
		  uint64_t nblocks, struct scst_sg *sg, unsigned int sg_cnt,
		  uint32_t sg_off)
{
	struct vdisk_io *io = &j->io;
	unsigned int shift = j->vd->block_shift;

	memset(io, 0, sizeof(*io));
	io->vd = j->vd;
	io->cmd = j->cmd;
	io->op = op;
	io->off = lba << shift;
	io->len = nblocks << shift;
	if (sg) {
		io->sg = sg;
		io->sg_cnt = sg_cnt;
	} else if (op == VDISK_IO_READ || op == VDISK_IO_WRITE) {
		io->sg = &j->bsg;
		io->sg_cnt = 1;
	}
	io->sg_off = sg_off;
	io->fua = op == VDISK_IO_WRITE && j->fua;
	io->done = vdisk_sbc_io_done;
	io->priv = j;
	j->last = (uint32_t)nblocks;
}

/* --------------------------------------------------------- helpers ---- */

bool vdisk_sbc_cmp(struct scst_cmd *cmd, uint32_t off, const uint8_t *buf,
		   uint32_t len, uint32_t *diff)
{
	struct scst_sg *sg;
	unsigned int cnt = scst_cmd_sg(cmd, &sg);
	struct scst_sg_iter it;
	uint32_t done = 0, n, k;
	void *v;

	scst_sg_iter_init(&it, sg, cnt, off, len);
	while (scst_sg_iter_next(&it, &v, &n, 0)) {
		const uint8_t *p = v;

		if (memcmp(p, buf + done, n)) {
			for (k = 0; p[k] == buf[done + k]; k++)
				;
			*diff = done + k;
			return false;
		}
		done += n;
	}
	/* A buffer shorter than asked for cannot have matched. */
	if (done < len) {
		*diff = done;
		return false;
	}
	return true;
}

bool vdisk_sbc_check_protect(struct scst_cmd *cmd)
{
	const uint8_t *cdb = scst_cmd_cdb(cmd);

	if (cdb[1] & 0xe0) {
		scst_set_invalid_field_in_cdb(cmd, 1, 7);
		return false;
	}
	return true;
}

static bool vdisk_sbc_fua_bit(struct scst_cmd *cmd, struct vdisk_dev *vd,
			      bool fua_bit)
{
	bool wce;

	if (vd->nv_cache)
		return false;
	scst_spin_lock(&vd->lock);
	wce = vd->wce && !vd->write_through;
	scst_spin_unlock(&vd->lock);
	(void)cmd;
	return fua_bit || !wce;
}

bool vdisk_sbc_fua(struct scst_cmd *cmd, struct vdisk_dev *vd)
{
	return vdisk_sbc_fua_bit(cmd, vd, false);
}

uint64_t vdisk_sbc_nblocks(struct vdisk_dev *vd)
{
	uint64_t n;

	scst_spin_lock(&vd->lock);
	n = vd->nblocks;
	scst_spin_unlock(&vd->lock);
	return n;
}

static void vdisk_sbc_miscompare(struct scst_cmd *cmd, uint64_t off)
{
	scst_set_cmd_error_info(cmd, SCST_LOAD_SENSE(scst_sense_miscompare),
				off);
}

/* The length of the job buffer for @nblocks blocks: at most one chunk. */
static uint32_t vdisk_sbc_chunk(struct vdisk_dev *vd, uint64_t nblocks)
{
	uint64_t per = VDISK_SBC_CHUNK >> vd->block_shift;

	if (!per)
		per = 1;
	return (uint32_t)((nblocks < per ? nblocks : per) << vd->block_shift);
}

/* ------------------------------------------------------ READ, WRITE ---- */

static int vdisk_sbc_rw(struct scst_cmd *cmd, struct vdisk_dev *vd)
{
	const uint8_t *cdb = scst_cmd_cdb(cmd);
	uint64_t lba = scst_cmd_lba(cmd);
	uint32_t n = scst_cmd_num_blocks(cmd);
	bool write = scst_cdb_writes_medium(scst_cmd_op(cmd));
	bool fua = write && cdb[0] != WRITE_6 && (cdb[1] & 0x08);

	if (cdb[0] != READ_6 && cdb[0] != WRITE_6 &&
	    !vdisk_sbc_check_protect(cmd))
		return VDISK_DONE;
	if (!vdisk_check_range(cmd, vd, lba, n))
		return VDISK_DONE;
	if (!n)
		return VDISK_DONE;
	if (!write)
		return vdisk_rw_blocks(cmd, vd, VDISK_IO_READ, lba, n, 0,
				       false);
	return vdisk_rw_blocks(cmd, vd, VDISK_IO_WRITE, lba, n, 0,
			       vdisk_sbc_fua_bit(cmd, vd, fua));
}

/* ------------------------------------------- VERIFY, WRITE AND VERIFY ---- */

enum { V_WRITE, V_READ, V_CHECK };

/* Compare the blocks just read with what the initiator sent. */
static bool vdisk_sbc_verify_chunk(struct vdisk_sbc_job *j)
{
	uint32_t bs = j->vd->block_size, bytes = j->last * bs, diff, b;

	if (j->bytchk == 1) {
		if (!vdisk_sbc_cmp(j->cmd, (uint32_t)j->pos, j->buf, bytes,
				   &diff)) {
			vdisk_sbc_miscompare(j->cmd, j->pos + diff);
			return false;
		}
	} else if (j->bytchk == 3) {
		for (b = 0; b < j->last; b++) {
			if (!vdisk_sbc_cmp(j->cmd, 0, j->buf + b * bs, bs,
					   &diff)) {
				vdisk_sbc_miscompare(j->cmd,
						     j->pos + b * bs + diff);
				return false;
			}
		}
	}
	return true;
}

static int vdisk_sbc_verify_step(struct vdisk_sbc_job *j)
{
	struct scst_sg *sg;
	unsigned int cnt;
	uint64_t nb;

	switch (j->phase) {
	case V_WRITE:
		cnt = scst_cmd_sg(j->cmd, &sg);
		vdisk_sbc_io(j, VDISK_IO_WRITE, j->lba, j->left, sg, cnt, 0);
		j->phase = V_READ;
		return VDISK_SBC_SUBMIT;
	case V_CHECK:
		if (!vdisk_sbc_verify_chunk(j))
			return VDISK_SBC_FINISH;
		j->pos += (uint64_t)j->last << j->vd->block_shift;
		j->lba += j->last;
		j->left -= j->last;
		/* fall through */
	case V_READ:
	default:
		if (!j->left)
			return VDISK_SBC_FINISH;
		nb = j->buf_len >> j->vd->block_shift;
		if (nb > j->left)
			nb = j->left;
		vdisk_sbc_io(j, VDISK_IO_READ, j->lba, nb, NULL, 0, 0);
		j->phase = V_CHECK;
		return VDISK_SBC_SUBMIT;
	}
}

static int vdisk_sbc_verify(struct scst_cmd *cmd, struct vdisk_dev *vd)
{
	const uint8_t *cdb = scst_cmd_cdb(cmd);
	uint64_t lba = scst_cmd_lba(cmd);
	uint32_t n = scst_cmd_num_blocks(cmd);
	bool wav = cdb[0] == WRITE_VERIFY || cdb[0] == WRITE_VERIFY_12 ||
		   cdb[0] == WRITE_VERIFY_16;
	uint8_t bytchk = (cdb[1] >> 1) & 3;
	struct vdisk_sbc_job *j;

	if (!vdisk_sbc_check_protect(cmd))
		return VDISK_DONE;
	if (wav && bytchk > 1) {
		/* WRITE AND VERIFY has no one-block compare. */
		scst_set_invalid_field_in_cdb(cmd, 1, 2);
		return VDISK_DONE;
	}
	if (!vdisk_check_range(cmd, vd, lba, n))
		return VDISK_DONE;
	if (!n)
		return VDISK_DONE;
	j = vdisk_sbc_job_new(cmd, vd, vdisk_sbc_verify_step,
			      vdisk_sbc_chunk(vd, n));
	if (!j)
		return VDISK_DONE;
	j->lba = lba;
	j->left = n;
	j->bytchk = bytchk;
	j->phase = wav ? V_WRITE : V_READ;
	/* What is verified must be what the medium holds. */
	j->fua = wav && !vd->nv_cache;
	return vdisk_sbc_job_start(j);
}

/* ------------------------------------------------ COMPARE AND WRITE ---- */

enum { C_READ, C_COMPARE, C_WRITTEN };

static int vdisk_sbc_caw_step(struct vdisk_sbc_job *j)
{
	uint32_t bytes = (uint32_t)(j->left << j->vd->block_shift), diff;
	struct scst_sg *sg;
	unsigned int cnt;

	switch (j->phase) {
	case C_READ:
		vdisk_sbc_io(j, VDISK_IO_READ, j->lba, j->left, NULL, 0, 0);
		j->phase = C_COMPARE;
		return VDISK_SBC_SUBMIT;
	case C_COMPARE:
		if (!vdisk_sbc_cmp(j->cmd, 0, j->buf, bytes, &diff)) {
			/* Nothing is written. */
			vdisk_sbc_miscompare(j->cmd, diff);
			return VDISK_SBC_FINISH;
		}
		cnt = scst_cmd_sg(j->cmd, &sg);
		vdisk_sbc_io(j, VDISK_IO_WRITE, j->lba, j->left, sg, cnt,
			     bytes);
		j->phase = C_WRITTEN;
		return VDISK_SBC_SUBMIT;
	default:
		return VDISK_SBC_FINISH;
	}
}

static int vdisk_sbc_caw(struct scst_cmd *cmd, struct vdisk_dev *vd)
{
	const uint8_t *cdb = scst_cmd_cdb(cmd);
	uint64_t lba = scst_cmd_lba(cmd);
	uint32_t n = scst_cmd_num_blocks(cmd);
	struct vdisk_sbc_job *j;

	if (!vdisk_sbc_check_protect(cmd))
		return VDISK_DONE;
	if (!vdisk_check_range(cmd, vd, lba, n))
		return VDISK_DONE;
	if (!n) /* SBC-3: nothing read, compared or written; not an error */
		return VDISK_DONE;
	if (n > VDISK_MAX_CAW_LEN) {
		scst_set_invalid_field_in_cdb(cmd, 13, -1);
		return VDISK_DONE;
	}
	if (scst_cmd_bufflen(cmd) < 2 * (n << vd->block_shift)) {
		scst_set_invalid_field_in_cdb(cmd, 13, -1);
		return VDISK_DONE;
	}
	j = vdisk_sbc_job_new(cmd, vd, vdisk_sbc_caw_step,
			      n << vd->block_shift);
	if (!j)
		return VDISK_DONE;
	j->lba = lba;
	j->left = n;
	j->fua = vdisk_sbc_fua_bit(cmd, vd, cdb[1] & 0x08);
	j->phase = C_READ;
	return vdisk_sbc_job_start(j);
}

/* ------------------------------------- PRE-FETCH, SYNCHRONIZE CACHE ---- */

/* A length of zero means "to the last block" for both. */
static int vdisk_sbc_prefetch(struct scst_cmd *cmd, struct vdisk_dev *vd)
{
	if (!vdisk_check_range(cmd, vd, scst_cmd_lba(cmd),
			       scst_cmd_num_blocks(cmd)))
		return VDISK_DONE;
	/* Files live in the page cache: the blocks "are in the cache". */
	if (vd->kind == VDISK_FILEIO)
		scst_set_cmd_error_status(cmd, SAM_STAT_CONDITION_MET);
	return VDISK_DONE;
}

static int vdisk_sbc_sync_cache(struct scst_cmd *cmd, struct vdisk_dev *vd)
{
	if (!vdisk_check_range(cmd, vd, scst_cmd_lba(cmd),
			       scst_cmd_num_blocks(cmd)))
		return VDISK_DONE;
	if (vd->nv_cache)
		return VDISK_DONE;
	return vdisk_flush(cmd, vd);
}

/* ---------------------------------------------------- READ CAPACITY ---- */

static int vdisk_sbc_read_cap10(struct scst_cmd *cmd, struct vdisk_dev *vd)
{
	const uint8_t *cdb = scst_cmd_cdb(cmd);
	uint64_t nb = vdisk_sbc_nblocks(vd), last = nb ? nb - 1 : 0;
	uint8_t buf[8];

	/* SBC-3: with PMI zero the LOGICAL BLOCK ADDRESS must be zero. */
	if (!(cdb[8] & 1) && scst_get_be32(cdb + 2)) {
		scst_set_invalid_field_in_cdb(cmd, 2, -1);
		return VDISK_DONE;
	}
	scst_put_be32(buf, last > 0xffffffffull ? 0xffffffffu : (uint32_t)last);
	scst_put_be32(buf + 4, vd->block_size);
	scst_cmd_copy_to_buf(cmd, buf, sizeof(buf));
	return VDISK_DONE;
}

static int vdisk_sbc_read_cap16(struct scst_cmd *cmd, struct vdisk_dev *vd)
{
	const uint8_t *cdb = scst_cmd_cdb(cmd);
	uint64_t nb = vdisk_sbc_nblocks(vd);
	uint8_t buf[32];

	if (!(cdb[14] & 1) && scst_get_be64(cdb + 2)) {
		scst_set_invalid_field_in_cdb(cmd, 2, -1);
		return VDISK_DONE;
	}
	memset(buf, 0, sizeof(buf));
	scst_put_be64(buf, nb ? nb - 1 : 0);
	scst_put_be32(buf + 8, vd->block_size);
	/* No protection information: P_TYPE, PROT_EN, P_I_EXPONENT zero. */
	buf[13] = vd->lb_per_pb_exp & 0x0f;
	if (vd->thin_provisioned)
		buf[14] = 0x80 | (VDISK_LBPRZ ? 0x40 : 0); /* LBPME, LBPRZ */
	/* LOWEST ALIGNED LOGICAL BLOCK ADDRESS: 0. */
	scst_cmd_copy_to_buf(cmd, buf, sizeof(buf));
	return VDISK_DONE;
}

/* ------------------------------------------------------ FORMAT UNIT ---- */

static int vdisk_sbc_format(struct scst_cmd *cmd, struct vdisk_dev *vd)
{
	const uint8_t *cdb = scst_cmd_cdb(cmd);
	uint8_t hdr[8];
	uint32_t hlen, have, dlen;

	(void)vd;
	if (cdb[1] & 0xc0) { /* FMTPINFO: no protection information */
		scst_set_invalid_field_in_cdb(cmd, 1, 7);
		return VDISK_DONE;
	}
	if (!(cdb[1] & 0x10)) /* FMTDATA zero: no parameter list */
		return VDISK_DONE;
	hlen = (cdb[1] & 0x20) ? 8 : 4; /* LONGLIST */
	have = scst_cmd_bufflen(cmd);
	if (have < hlen || scst_cmd_copy_from_buf(cmd, hdr, hlen) != hlen) {
		scst_set_cmd_error(
		    cmd,
		    SCST_LOAD_SENSE(scst_sense_parameter_list_length_invalid));
		return VDISK_DONE;
	}
	if (hdr[0] & 0x07) { /* PROTECTION FIELD USAGE */
		scst_set_invalid_field_in_parm_list(cmd, 0, 2);
		return VDISK_DONE;
	}
	if (hdr[1] & 0x08) { /* IP: no initialization patterns */
		scst_set_invalid_field_in_parm_list(cmd, 1, 3);
		return VDISK_DONE;
	}
	if (hlen == 8 && hdr[3]) { /* P_I_INFORMATION, INTERVAL EXPONENT */
		scst_set_invalid_field_in_parm_list(cmd, 3, 7);
		return VDISK_DONE;
	}
	dlen = hlen == 8 ? scst_get_be32(hdr + 4) : scst_get_be16(hdr + 2);
	if (dlen > have - hlen) {
		scst_set_cmd_error(
		    cmd,
		    SCST_LOAD_SENSE(scst_sense_parameter_list_length_invalid));
		return VDISK_DONE;
	}
	/* A virtual disk has no defects and nothing to initialize. */
	return VDISK_DONE;
}

/* ------------------------------------------------------------ table ---- */

const struct vdisk_op vdisk_sbc_ops[] = {
    {FORMAT_UNIT, -1, VDISK_K_DISKS, vdisk_sbc_format},
    {READ_6, -1, VDISK_K_DISKS, vdisk_sbc_rw},
    {WRITE_6, -1, VDISK_K_DISKS, vdisk_sbc_rw},
    {READ_CAPACITY, -1, VDISK_K_DISKS, vdisk_sbc_read_cap10},
    {READ_10, -1, VDISK_K_DISKS, vdisk_sbc_rw},
    {WRITE_10, -1, VDISK_K_DISKS, vdisk_sbc_rw},
    {WRITE_VERIFY, -1, VDISK_K_DISKS, vdisk_sbc_verify},
    {VERIFY, -1, VDISK_K_DISKS, vdisk_sbc_verify},
    {PRE_FETCH, -1, VDISK_K_DISKS, vdisk_sbc_prefetch},
    {SYNCHRONIZE_CACHE, -1, VDISK_K_DISKS, vdisk_sbc_sync_cache},
    {WRITE_SAME, -1, VDISK_K_DISKS, vdisk_sbc_write_same},
    {UNMAP, -1, VDISK_K_DISKS, vdisk_sbc_unmap},
    {READ_16, -1, VDISK_K_DISKS, vdisk_sbc_rw},
    {COMPARE_AND_WRITE, -1, VDISK_K_DISKS, vdisk_sbc_caw},
    {WRITE_16, -1, VDISK_K_DISKS, vdisk_sbc_rw},
    {WRITE_VERIFY_16, -1, VDISK_K_DISKS, vdisk_sbc_verify},
    {VERIFY_16, -1, VDISK_K_DISKS, vdisk_sbc_verify},
    {PRE_FETCH_16, -1, VDISK_K_DISKS, vdisk_sbc_prefetch},
    {SYNCHRONIZE_CACHE_16, -1, VDISK_K_DISKS, vdisk_sbc_sync_cache},
    {WRITE_SAME_16, -1, VDISK_K_DISKS, vdisk_sbc_write_same},
    {SERVICE_ACTION_IN_16, SAI_READ_CAPACITY_16, VDISK_K_DISKS,
     vdisk_sbc_read_cap16},
    {SERVICE_ACTION_IN_16, SAI_GET_LBA_STATUS, VDISK_K_DISKS,
     vdisk_sbc_get_lba_status},
    {READ_12, -1, VDISK_K_DISKS, vdisk_sbc_rw},
    {WRITE_12, -1, VDISK_K_DISKS, vdisk_sbc_rw},
    {WRITE_VERIFY_12, -1, VDISK_K_DISKS, vdisk_sbc_verify},
    {VERIFY_12, -1, VDISK_K_DISKS, vdisk_sbc_verify},
    {0, 0, 0, NULL},
};
