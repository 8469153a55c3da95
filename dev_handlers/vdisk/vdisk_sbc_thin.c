// SPDX-License-Identifier: GPL-2.0-only
/*
 * SBC-3 logical block provisioning for the vdisk disks: WRITE SAME 10/16
 * (with the UNMAP bit), UNMAP and GET LBA STATUS. The limits enforced here
 * are the ones vdisk_spc.c reports in the Block Limits VPD page; both take
 * them from vdisk_limits.h.
 *
 * A thin-provisioned device (thin_provisioned=1) deallocates through the
 * backend's VDISK_IO_DISCARD (holes in files); deallocated blocks read
 * zeros (LBPRZ=1), and GET LBA STATUS asks the backend's lba_status().
 */
#include "vdisk_sbc.h"

/* ----------------------------------------------------- WRITE SAME ---- */

enum { W_WRITE, W_DISCARD, W_END };

static int vdisk_ws_step(struct vdisk_sbc_job *j)
{
	uint64_t nb;

	switch (j->phase) {
	case W_DISCARD:
		vdisk_sbc_io(j, VDISK_IO_DISCARD, j->lba, j->left, NULL, 0, 0);
		j->phase = W_END;
		return VDISK_SBC_SUBMIT;
	case W_WRITE:
		if (!j->left)
			return VDISK_SBC_FINISH;
		nb = j->buf_len >> j->vd->block_shift;
		if (nb > j->left)
			nb = j->left;
		vdisk_sbc_io(j, VDISK_IO_WRITE, j->lba, nb, NULL, 0, 0);
		j->lba += nb;
		j->left -= nb;
		return VDISK_SBC_SUBMIT;
	default:
		return VDISK_SBC_FINISH;
	}
}

/* Are the first @len bytes of the command's buffer all zero? */
static bool vdisk_data_is_zero(struct scst_cmd *cmd, uint32_t len)
{
	struct scst_sg *sg;
	unsigned int cnt = scst_cmd_sg(cmd, &sg);
	struct scst_sg_iter it;
	uint32_t done = 0, n, k;
	void *v;

	scst_sg_iter_init(&it, sg, cnt, 0, len);
	while (scst_sg_iter_next(&it, &v, &n, 0)) {
		const uint8_t *p = v;

		for (k = 0; k < n; k++)
			if (p[k])
				return false;
		done += n;
	}
	return done == len;
}

int vdisk_sbc_write_same(struct scst_cmd *cmd, struct vdisk_dev *vd)
{
	const uint8_t *cdb = scst_cmd_cdb(cmd);
	unsigned int len_off = cdb[0] == WRITE_SAME_16 ? 10 : 7;
	uint64_t lba = scst_cmd_lba(cmd);
	uint32_t n = scst_cmd_num_blocks(cmd), bs = vd->block_size, off;
	struct vdisk_sbc_job *j;
	uint64_t buf_len;
	bool discard;

	if (!vdisk_sbc_check_protect(cmd))
		return VDISK_DONE;
	if (cdb[1] & 0x10) { /* ANCHOR: no anchored state here (ANC_SUP 0) */
		scst_set_invalid_field_in_cdb(cmd, 1, 4);
		return VDISK_DONE;
	}
	if (cdb[1] & 0x06) { /* PBDATA, LBDATA: no protection information */
		scst_set_invalid_field_in_cdb(cmd, 1, (cdb[1] & 0x04) ? 2 : 1);
		return VDISK_DONE;
	}
	if (!vdisk_check_range(cmd, vd, lba, n))
		return VDISK_DONE;
	if ((!n && VDISK_WSNZ) || n > VDISK_MAX_WRITE_SAME_LEN) {
		scst_set_invalid_field_in_cdb(cmd, len_off, -1);
		return VDISK_DONE;
	}
	if (scst_cmd_bufflen(cmd) < bs) {
		scst_set_invalid_field_in_cdb(cmd, len_off, -1);
		return VDISK_DONE;
	}
	/*
	 * UNMAP=1 without logical block provisioning (VPD B2h LBPWS/LBPWS10
	 * are 0) is refused, as SCST does and initiators probing B2h expect.
	 */
	if ((cdb[1] & 0x08) && !vd->thin_provisioned) {
		scst_set_invalid_field_in_cdb(cmd, 1, 3);
		return VDISK_DONE;
	}
	/*
	 * UNMAP=1 on a thin device: deallocate when that reads back what the
	 * initiator asked for (zeros, LBPRZ=1); otherwise write the data.
	 */
	discard = (cdb[1] & 0x08) && vd->thin_provisioned && VDISK_LBPRZ &&
		  vdisk_data_is_zero(cmd, bs);
	buf_len = (uint64_t)n * bs;
	if (discard)
		buf_len = 0;
	else if (buf_len > VDISK_SBC_CHUNK)
		buf_len = VDISK_SBC_CHUNK;
	j = vdisk_sbc_job_new(cmd, vd, vdisk_ws_step, (uint32_t)buf_len);
	if (!j)
		return VDISK_DONE;
	j->lba = lba;
	j->left = n;
	j->fua = vdisk_sbc_fua(cmd, vd);
	j->phase = discard ? W_DISCARD : W_WRITE;
	if (!discard) {
		/* The job's buffer holds the block as often as it fits. */
		j->buf_len -= j->buf_len % bs;
		j->bsg.len = j->buf_len;
		scst_cmd_copy_from_buf(cmd, j->buf, bs);
		for (off = bs; off + bs <= j->buf_len; off += bs)
			memcpy(j->buf + off, j->buf, bs);
	}
	return vdisk_sbc_job_start(j);
}

/* ---------------------------------------------------------- UNMAP ---- */

#define UNMAP_HDR  8
#define UNMAP_DESC 16

static int vdisk_unmap_step(struct vdisk_sbc_job *j)
{
	const uint8_t *p = j->priv, *d;
	uint32_t n;

	while (j->idx < j->count) {
		d = p + UNMAP_HDR + UNMAP_DESC * j->idx++;
		n = scst_get_be32(d + 8);
		if (!n)
			continue;
		vdisk_sbc_io(j, VDISK_IO_DISCARD, scst_get_be64(d), n, NULL, 0,
			     0);
		return VDISK_SBC_SUBMIT;
	}
	return VDISK_SBC_FINISH;
}

/*
 * Check the parameter list @p of @len bytes; returns the number of complete
 * descriptors, or -1 with the sense set.
 */
static int vdisk_unmap_parse(struct scst_cmd *cmd, struct vdisk_dev *vd,
			     const uint8_t *p, uint32_t len, bool *work)
{
	uint32_t udl = scst_get_be16(p), bddl = scst_get_be16(p + 2), i, cnt;
	uint64_t total = 0, lba;
	uint32_t n;

	/* The descriptor data must lie within the UNMAP data. */
	if (bddl + 6 > udl && bddl) {
		scst_set_invalid_field_in_parm_list(cmd, 2, -1);
		return -1;
	}
	/*
	 * A parameter list shorter than the header says was cut by the
	 * PARAMETER LIST LENGTH: use the complete descriptors it holds. A
	 * length that is not a multiple of 16 ends in an incomplete
	 * descriptor, which SBC-3 says to ignore.
	 */
	if (bddl > len - UNMAP_HDR)
		bddl = len - UNMAP_HDR;
	cnt = bddl / UNMAP_DESC;
	if (cnt > VDISK_MAX_UNMAP_DESC) {
		scst_set_invalid_field_in_parm_list(cmd, 2, -1);
		return -1;
	}
	*work = false;
	for (i = 0; i < cnt; i++) {
		const uint8_t *d = p + UNMAP_HDR + UNMAP_DESC * i;

		lba = scst_get_be64(d);
		n = scst_get_be32(d + 8);
		if (!vdisk_check_range(cmd, vd, lba, n))
			return -1;
		total += n;
		if (total > VDISK_MAX_UNMAP_LBA_COUNT) {
			scst_set_invalid_field_in_parm_list(
			    cmd, UNMAP_HDR + UNMAP_DESC * i + 8, -1);
			return -1;
		}
		if (n)
			*work = true;
	}
	return (int)cnt;
}

int vdisk_sbc_unmap(struct scst_cmd *cmd, struct vdisk_dev *vd)
{
	const uint8_t *cdb = scst_cmd_cdb(cmd);
	uint32_t len = scst_cmd_bufflen(cmd);
	struct vdisk_sbc_job *j;
	bool work = false;
	uint8_t *p;
	int cnt;

	/* LBPU=0: the command is not supported at all. */
	if (!vd->thin_provisioned) {
		scst_set_cmd_error(cmd,
				   SCST_LOAD_SENSE(scst_sense_invalid_opcode));
		return VDISK_DONE;
	}
	if (cdb[1] & 0x01) { /* ANCHOR: ANC_SUP is 0 */
		scst_set_invalid_field_in_cdb(cmd, 1, 0);
		return VDISK_DONE;
	}
	if (!len) /* no parameter list: not an error */
		return VDISK_DONE;
	if (len < UNMAP_HDR) {
		scst_set_cmd_error(
		    cmd,
		    SCST_LOAD_SENSE(scst_sense_parameter_list_length_invalid));
		return VDISK_DONE;
	}
	p = scst_os_alloc(len);
	if (!p) {
		scst_set_cmd_error_status(cmd, SAM_STAT_BUSY);
		return VDISK_DONE;
	}
	len = scst_cmd_copy_from_buf(cmd, p, len);
	cnt = len < UNMAP_HDR ? -1 : vdisk_unmap_parse(cmd, vd, p, len, &work);
	if (cnt < 0 && !scst_cmd_has_error(cmd))
		scst_set_cmd_error(
		    cmd,
		    SCST_LOAD_SENSE(scst_sense_parameter_list_length_invalid));
	if (cnt <= 0 || !work) {
		scst_os_free(p);
		return VDISK_DONE;
	}
	j = vdisk_sbc_job_new(cmd, vd, vdisk_unmap_step, 0);
	if (!j) {
		scst_os_free(p);
		return VDISK_DONE;
	}
	j->priv = p;
	j->count = (unsigned int)cnt;
	return vdisk_sbc_job_start(j);
}

/* -------------------------------------------------- GET LBA STATUS ---- */

#define GLS_HDR	    8
#define GLS_DESC    16
#define GLS_MAPPED  0
#define GLS_DEALLOC 1

/* One extent from @cur: its provisioning status and length in blocks. */
static int vdisk_gls_extent(struct vdisk_dev *vd, uint64_t cur, uint64_t nb,
			    uint8_t *status, uint64_t *blocks)
{
	unsigned int shift = vd->block_shift;
	uint64_t run = 0, n;
	bool mapped = true;
	int rc;

	if (!vd->thin_provisioned || !vd->be || !vd->be->lba_status) {
		*status = GLS_MAPPED;
		*blocks = nb - cur;
		return 0;
	}
	rc = vd->be->lba_status(vd, cur << shift, (nb - cur) << shift, &mapped,
				&run);
	if (rc)
		return rc;
	/*
	 * A block partly mapped is mapped: round mapped runs up, deallocated
	 * runs down; a deallocated run shorter than a block counts as mapped.
	 */
	if (mapped)
		n = (run + vd->block_size - 1) >> shift;
	else
		n = run >> shift;
	if (!n) {
		mapped = true;
		n = 1;
	}
	if (n > nb - cur)
		n = nb - cur;
	*status = mapped ? GLS_MAPPED : GLS_DEALLOC;
	*blocks = n;
	return 0;
}

int vdisk_sbc_get_lba_status(struct scst_cmd *cmd, struct vdisk_dev *vd)
{
	uint64_t lba = scst_cmd_lba(cmd), nb = vdisk_sbc_nblocks(vd), cur, n;
	uint32_t alloc = scst_cmd_bufflen(cmd), maxd, nd = 0, calls = 0;
	uint8_t *out, *d = NULL, st;
	int rc;

	if (!vdisk_check_range(cmd, vd, lba, 1))
		return VDISK_DONE;
	if (!alloc)
		return VDISK_DONE;
	maxd = alloc >= GLS_HDR + GLS_DESC ? (alloc - GLS_HDR) / GLS_DESC : 1;
	if (maxd > VDISK_GET_LBA_STATUS_MAX_DESC)
		maxd = VDISK_GET_LBA_STATUS_MAX_DESC;
	out = scst_os_zalloc(GLS_HDR + GLS_DESC * maxd);
	if (!out) {
		scst_set_cmd_error_status(cmd, SAM_STAT_BUSY);
		return VDISK_DONE;
	}
	for (cur = lba; cur < nb && calls < 4 * maxd + 16; calls++) {
		rc = vdisk_gls_extent(vd, cur, nb, &st, &n);
		if (rc) {
			vdisk_set_io_error(cmd, VDISK_IO_READ, rc);
			scst_os_free(out);
			return VDISK_DONE;
		}
		while (n) {
			uint32_t have = d ? scst_get_be32(d + 8) : 0;
			uint64_t add;

			if (!d || d[12] != st || have == 0xffffffffu) {
				if (nd == maxd)
					goto full;
				d = out + GLS_HDR + GLS_DESC * nd++;
				scst_put_be64(d, cur);
				d[12] = st;
				have = 0;
			}
			add = 0xffffffffu - have;
			if (add > n)
				add = n;
			scst_put_be32(d + 8, have + (uint32_t)add);
			cur += add;
			n -= add;
		}
	}
full:
	scst_put_be32(out, 4 + GLS_DESC * nd);
	scst_cmd_copy_to_buf(cmd, out, GLS_HDR + GLS_DESC * nd);
	scst_os_free(out);
	return VDISK_DONE;
}
