// SPDX-License-Identifier: GPL-2.0-only
/*
 * SPC-4 commands of the virtual disk handlers: INQUIRY with its VPD pages,
 * REPORT SUPPORTED OPERATION CODES, REPORT SUPPORTED TASK MANAGEMENT
 * FUNCTIONS, TEST UNIT READY, START STOP UNIT (disks), PREVENT ALLOW MEDIUM
 * REMOVAL, SEND DIAGNOSTIC and LOG SENSE. MODE SENSE and MODE SELECT are in
 * vdisk_spc_mode.c.
 *
 * The core has already refused reserved CDB bits and clamped the allocation
 * length to the buffer (scst_cmd_copy_to_buf truncates to it), so every
 * function here builds its full response and copies it.
 */
#include "vdisk_limits.h"
#include "vdisk_spc.h"
#include "scst/scst_spc.h"

/* VPD page codes (SPC-4 7.8, SBC-3 6.6). */
#define VPD_SUPPORTED_PAGES  0x00
#define VPD_UNIT_SERIAL	     0x80
#define VPD_DEVICE_ID	     0x83
#define VPD_EXTENDED_INQUIRY 0x86
#define VPD_BLOCK_LIMITS     0xb0
#define VPD_BLOCK_DEV_CHARS  0xb1
#define VPD_LB_PROVISIONING  0xb2

/* Room for the largest INQUIRY response (device identification page). */
#define VDISK_INQ_BUF 256

static uint8_t vdisk_pdt(const struct vdisk_dev *vd)
{
	return vdisk_spc_is_disk(vd) ? TYPE_DISK : TYPE_ROM;
}

/* ------------------------------------------------- supported commands ---- */

static const struct vdisk_op *const vdisk_all_tables[] = {
    vdisk_spc_ops,
    vdisk_sbc_ops,
    vdisk_xcopy_ops,
    vdisk_mmc_ops,
};

/*
 * Does one of the vdisk tables implement @opcode (with service action @sa,
 * or any when @sa < 0) for @vd's kind?
 */
static bool vdisk_implements(const struct vdisk_dev *vd, uint8_t opcode, int sa)
{
	const struct vdisk_op *op;
	size_t i;

	for (i = 0; i < sizeof(vdisk_all_tables) / sizeof(vdisk_all_tables[0]);
	     i++) {
		for (op = vdisk_all_tables[i]; op->fn; op++) {
			if (op->opcode != opcode ||
			    !(op->kinds & VDISK_K(vd->kind)))
				continue;
			if (sa < 0 || op->sa < 0 || op->sa == sa)
				return true;
		}
	}
	return false;
}

/*
 * A row of the core's table that this device executes. The core's ALUA
 * commands depend on the TPGS field (SPC-4 6.4.2): REPORT TARGET PORT
 * GROUPS only in a device group, SET TARGET PORT GROUPS only with explicit
 * ALUA.
 */
static bool vdisk_row_supported(const struct vdisk_dev *vd,
				const struct scst_cdb_info *ci)
{
	if (ci->opcode == MAINTENANCE_IN && ci->sa == MI_REPORT_TARGET_PGS)
		return scst_dev_tpgs(vd->dev) != 0;
	if (ci->opcode == MAINTENANCE_OUT && ci->sa == MO_SET_TARGET_PGS)
		return (scst_dev_tpgs(vd->dev) & SCST_TPGS_EXPLICIT) != 0;
	if (ci->flags & SCST_CDB_F_LOCAL)
		return true; /* REPORT LUNS, REQUEST SENSE: the core's own */
	return vdisk_implements(vd, ci->opcode,
				(ci->flags & SCST_CDB_F_HAS_SA) ? ci->sa : -1);
}

static bool vdisk_rsoc_row(const struct scst_cdb_info *ci, void *arg)
{
	return vdisk_row_supported(arg, ci);
}

/* REPORT SUPPORTED OPERATION CODES (SPC-4 6.35), from the core's rows. */
static int vdisk_rsoc(struct scst_cmd *cmd, struct vdisk_dev *vd)
{
	scst_cmd_report_opcodes(cmd, vdisk_rsoc_row, vd);
	return VDISK_DONE;
}

/* REPORT SUPPORTED TASK MANAGEMENT FUNCTIONS (SPC-4 6.36). */
static int vdisk_rstmf(struct scst_cmd *cmd, struct vdisk_dev *vd)
{
	const uint8_t *cdb = scst_cmd_cdb(cmd);
	bool repd = cdb[2] & 0x80;
	uint8_t buf[16];

	(void)vd;
	if (scst_get_be32(cdb + 6) < 4) {
		/* SPC-4 6.36.1: the allocation length is at least four. */
		scst_set_invalid_field_in_cdb(cmd, 6, -1);
		return VDISK_DONE;
	}
	memset(buf, 0, sizeof(buf));
	/* ATS ATSS CTSS LURS QTS TRS; no CLEAR ACA, no WAKEUP. */
	buf[0] = 0x80 | 0x40 | 0x10 | 0x08 | 0x04 | 0x02;
	/* QTSS ITNRS; no QUERY ASYNCHRONOUS EVENT. */
	buf[1] = 0x02 | 0x01;
	if (repd) {
		buf[3] = 0x0c; /* ADDITIONAL DATA LENGTH; no timeouts */
		scst_cmd_copy_to_buf(cmd, buf, 16);
	} else {
		scst_cmd_copy_to_buf(cmd, buf, 4);
	}
	return VDISK_DONE;
}

/* ------------------------------------------------------------ INQUIRY ---- */

static unsigned int vdisk_inq_standard(struct scst_cmd *cmd,
				       struct vdisk_dev *vd, uint8_t *buf)
{
	uint8_t *v = buf + 58;

	buf[0] = vdisk_pdt(vd);
	buf[1] = vd->removable ? 0x80 : 0; /* RMB */
	buf[2] = 0x06;			   /* SPC-4 */
	buf[3] = 0x12;			   /* HISUP, response format 2 */
	buf[4] = 96 - 5;
	/*
	 * TPGS: 00b in no device group, else 01b (implicit ALUA) or, with
	 * expl_alua, 11b (implicit and explicit: SET TARGET PORT GROUPS).
	 */
	buf[5] = (uint8_t)(scst_dev_tpgs(scst_cmd_dev(cmd)) << 4);
	if (vdisk_implements(vd, EXTENDED_COPY, 0))
		buf[5] |= 0x08; /* 3PC */
	buf[7] = 0x02;		/* CMDQUE */
	scst_spc_pad(buf + 8, vd->t10_vend_id, VDISK_VEND_LEN);
	scst_spc_pad(buf + 16, vd->prod_id, VDISK_PROD_LEN);
	scst_spc_pad(buf + 32, vd->prod_rev_lvl, VDISK_REV_LEN);
	scst_put_be16(v, SCST_VERSION_SAM5);
	scst_put_be16(v + 2, SCST_VERSION_SPC4);
	scst_put_be16(v + 4, vdisk_spc_is_disk(vd) ? SCST_VERSION_SBC3
						   : SCST_VERSION_MMC6);
	scst_put_be16(v + 6, SCST_VERSION_ISCSI);
	return 96;
}

/* The VPD pages @vd implements, in ascending order. */
static unsigned int vdisk_vpd_list(const struct vdisk_dev *vd, uint8_t *out)
{
	static const uint8_t common[] = {VPD_SUPPORTED_PAGES, VPD_UNIT_SERIAL,
					 VPD_DEVICE_ID, VPD_EXTENDED_INQUIRY};
	static const uint8_t disk[] = {VPD_BLOCK_LIMITS, VPD_BLOCK_DEV_CHARS,
				       VPD_LB_PROVISIONING};
	unsigned int n = sizeof(common);

	memcpy(out, common, sizeof(common));
	if (vdisk_spc_is_disk(vd)) {
		memcpy(out + n, disk, sizeof(disk));
		n += sizeof(disk);
	}
	return n;
}

static bool vdisk_vpd_supported(const struct vdisk_dev *vd, uint8_t page)
{
	uint8_t list[16];
	unsigned int i, n = vdisk_vpd_list(vd, list);

	for (i = 0; i < n; i++)
		if (list[i] == page)
			return true;
	return false;
}

/* Device identification (SPC-4 7.8.6); returns the page's length. */
static unsigned int vdisk_vpd_devid(struct scst_cmd *cmd, struct vdisk_dev *vd,
				    uint8_t *buf)
{
	uint8_t *p = buf + 4, *d;
	const uint8_t *naa = NULL;
	size_t n;

	n = vdisk_lu_naa(vd, &naa);
	if (n) {
		d = scst_spc_desig(p, SCST_DESIG_CODE_BINARY,
				   SCST_DESIG_ASSOC_LU | SCST_DESIG_NAA,
				   (uint8_t)n);
		memcpy(d, naa, n);
		p = d + n;
	}
	/* T10 vendor ID: the vendor, then the device's identifier. */
	n = strnlen(vd->t10_dev_id, VDISK_DEVID_LEN);
	d = scst_spc_desig(p, SCST_DESIG_CODE_ASCII,
			   SCST_DESIG_ASSOC_LU | SCST_DESIG_T10_VENDOR,
			   (uint8_t)(VDISK_VEND_LEN + n));
	scst_spc_pad(d, vd->t10_vend_id, VDISK_VEND_LEN);
	memcpy(d + VDISK_VEND_LEN, vd->t10_dev_id, n);
	p = d + VDISK_VEND_LEN + n;
	if (vd->eui64_len) {
		d = scst_spc_desig(p, SCST_DESIG_CODE_BINARY,
				   SCST_DESIG_ASSOC_LU | SCST_DESIG_EUI64,
				   (uint8_t)vd->eui64_len);
		memcpy(d, vd->eui64_id, vd->eui64_len);
		p = d + vd->eui64_len;
	}
	p += scst_cmd_put_port_desigs(cmd, p);
	scst_put_be16(buf + 2, (uint16_t)(p - buf - 4));
	return (unsigned int)(p - buf);
}

/* Block limits (SBC-3 6.6.4): the numbers vdisk_sbc.c enforces. */
static unsigned int vdisk_vpd_block_limits(struct vdisk_dev *vd, uint8_t *buf)
{
	uint32_t bs = vd->block_size;

	buf[3] = 0x3c;
	buf[4] = VDISK_WSNZ ? 0x01 : 0;
	buf[5] = VDISK_MAX_CAW_LEN;
	/* OPTIMAL TRANSFER LENGTH GRANULARITY: one physical block. */
	scst_put_be16(buf + 6, (uint16_t)(1u << vd->lb_per_pb_exp));
	scst_put_be32(buf + 8, vdisk_max_xfer_blocks(bs));
	if (vd->thin_provisioned) {
		scst_put_be32(buf + 20, VDISK_MAX_UNMAP_LBA_COUNT);
		scst_put_be32(buf + 24, VDISK_MAX_UNMAP_DESC);
		scst_put_be32(buf + 28, vdisk_unmap_granularity(bs));
		buf[32] = 0x80; /* UGAVALID, UNMAP GRANULARITY ALIGNMENT 0 */
	}
	scst_put_be64(buf + 36, VDISK_MAX_WRITE_SAME_LEN);
	return 64;
}

/* Block device characteristics (SBC-3 6.6.2). */
static unsigned int vdisk_vpd_bdc(struct vdisk_dev *vd, uint8_t *buf)
{
	buf[3] = 0x3c;
	/* MEDIUM ROTATION RATE: 1 = non-rotating, 0 = not reported. */
	scst_put_be16(buf + 4, vd->rotational ? 0 : 1);
	buf[7] = 0; /* NOMINAL FORM FACTOR: not reported */
	return 64;
}

/* Logical block provisioning (SBC-3 6.6.5). */
static unsigned int vdisk_vpd_lbp(struct vdisk_dev *vd, uint8_t *buf)
{
	buf[3] = 4;
	if (vd->thin_provisioned) {
		/* LBPU LBPWS LBPWS10; LBPRZ: unmapped blocks read zeros. */
		buf[5] = 0x80 | 0x40 | 0x20 | (VDISK_LBPRZ ? 0x04 : 0);
		buf[6] = 0x02; /* PROVISIONING TYPE: thin */
	}
	return 8;
}

/* Returns the length of page @page, 0 when @vd does not implement it. */
static unsigned int vdisk_vpd(struct scst_cmd *cmd, struct vdisk_dev *vd,
			      uint8_t page, uint8_t *buf)
{
	unsigned int n;

	if (!vdisk_vpd_supported(vd, page))
		return 0;
	buf[0] = vdisk_pdt(vd);
	buf[1] = page;
	switch (page) {
	case VPD_SUPPORTED_PAGES:
		n = vdisk_vpd_list(vd, buf + 4);
		buf[3] = (uint8_t)n;
		return 4 + n;
	case VPD_UNIT_SERIAL:
		n = (unsigned int)strnlen(vd->usn, VDISK_USN_LEN);
		memcpy(buf + 4, vd->usn, n);
		buf[3] = (uint8_t)n;
		return 4 + n;
	case VPD_DEVICE_ID:
		return vdisk_vpd_devid(cmd, vd, buf);
	case VPD_EXTENDED_INQUIRY:
		buf[3] = 0x3c;
		buf[5] = 0x07; /* HEADSUP ORDSUP SIMPSUP */
		if (vdisk_spc_is_disk(vd))
			buf[6] = (uint8_t)(0x01 | (vd->nv_cache ? 0x02 : 0));
		buf[7] = 0x01; /* LUICLR */
		return 64;
	case VPD_BLOCK_LIMITS:
		return vdisk_vpd_block_limits(vd, buf);
	case VPD_BLOCK_DEV_CHARS:
		return vdisk_vpd_bdc(vd, buf);
	case VPD_LB_PROVISIONING:
		return vdisk_vpd_lbp(vd, buf);
	default:
		return 0;
	}
}

/* INQUIRY (SPC-4 6.6). */
static int vdisk_inquiry(struct scst_cmd *cmd, struct vdisk_dev *vd)
{
	const uint8_t *cdb = scst_cmd_cdb(cmd);
	uint8_t buf[VDISK_INQ_BUF];
	unsigned int len;

	memset(buf, 0, sizeof(buf));
	if (!(cdb[1] & 0x01)) {
		if (cdb[2]) { /* a page code needs EVPD */
			scst_set_invalid_field_in_cdb(cmd, 2, -1);
			return VDISK_DONE;
		}
		len = vdisk_inq_standard(cmd, vd, buf);
	} else {
		len = vdisk_vpd(cmd, vd, cdb[2], buf);
		if (!len) {
			scst_set_invalid_field_in_cdb(cmd, 2, -1);
			return VDISK_DONE;
		}
	}
	scst_cmd_copy_to_buf(cmd, buf, len);
	return VDISK_DONE;
}

/* --------------------------------------------------- unit state, media ---- */

static bool vdisk_has_medium_state(const struct vdisk_dev *vd)
{
	return vd->kind == VDISK_CDROM || vd->removable;
}

/* TEST UNIT READY (SPC-4 6.47, SBC-3 4.13). */
static int vdisk_tur(struct scst_cmd *cmd, struct vdisk_dev *vd)
{
	bool no_medium, stopped;

	scst_spin_lock(&vd->lock);
	no_medium = vdisk_has_medium_state(vd) && !vd->media_present;
	stopped = vd->stopped;
	scst_spin_unlock(&vd->lock);
	if (no_medium)
		scst_set_cmd_error(
		    cmd, SCST_LOAD_SENSE(scst_sense_medium_not_present));
	else if (stopped) /* LOGICAL UNIT NOT READY, INITIALIZING CMD REQUIRED
			   */
		scst_set_cmd_error(cmd, NOT_READY, 0x04, 0x02);
	return VDISK_DONE;
}

/* START STOP UNIT for disks (SBC-3 5.25). */
static int vdisk_start_stop(struct scst_cmd *cmd, struct vdisk_dev *vd)
{
	const uint8_t *cdb = scst_cmd_cdb(cmd);
	uint8_t pc = cdb[4] >> 4;
	bool no_flush = cdb[4] & 0x04, loej = cdb[4] & 0x02;
	bool start = cdb[4] & 0x01;
	bool flush = false;

	switch (pc) {
	case 0x0: /* START_VALID */
		break;
	case 0x1: /* ACTIVE */
	case 0x2: /* IDLE */
	case 0x3: /* STANDBY */
	case 0x7: /* LU_CONTROL */
	case 0xa: /* FORCE_IDLE_0 */
	case 0xb: /* FORCE_STANDBY_0 */
		/* No power conditions here; START and LOEJ are ignored. */
		return VDISK_DONE;
	default:
		scst_set_invalid_field_in_cdb(cmd, 4, 7);
		return VDISK_DONE;
	}
	if (loej && !vd->removable) {
		scst_set_invalid_field_in_cdb(cmd, 4, 1);
		return VDISK_DONE;
	}
	scst_spin_lock(&vd->lock);
	if (loej && !start && scst_dev_prevented(vd->dev)) {
		scst_spin_unlock(&vd->lock);
		/* MEDIUM REMOVAL PREVENTED */
		scst_set_cmd_error(cmd, ILLEGAL_REQUEST, 0x53, 0x02);
		return VDISK_DONE;
	}
	if (loej)
		vd->media_present = start;
	vd->stopped = !start;
	flush = !start && !no_flush;
	scst_spin_unlock(&vd->lock);
	/* Stopping writes the cache back first unless NO_FLUSH. */
	if (flush && vdisk_spc_is_disk(vd))
		return vdisk_flush(cmd, vd);
	return VDISK_DONE;
}

/* PREVENT ALLOW MEDIUM REMOVAL (SBC-3 5.5, MMC-6 6.21). */
static int vdisk_prevent_allow(struct scst_cmd *cmd, struct vdisk_dev *vd)
{
	uint8_t prevent = scst_cmd_cdb(cmd)[4] & 0x03;

	if (prevent > 1) {
		/* Obsolete in SBC; MMC's persistent prevent is not kept. */
		if (vdisk_spc_is_disk(vd))
			scst_set_invalid_field_in_cdb(cmd, 4, 1);
		return VDISK_DONE;
	}
	/* Per I_T nexus, kept by the core (SPC-4 6.13). */
	scst_tgt_dev_set_prevent(scst_cmd_tgt_dev(cmd), prevent == 1);
	return VDISK_DONE;
}

/* SEND DIAGNOSTIC (SPC-4 6.42): every self-test passes at once. */
static int vdisk_send_diag(struct scst_cmd *cmd, struct vdisk_dev *vd)
{
	const uint8_t *cdb = scst_cmd_cdb(cmd);
	uint8_t code = cdb[1] >> 5;

	(void)vd;
	if (scst_get_be16(cdb + 3)) {
		/* No diagnostic pages are implemented. */
		scst_set_invalid_field_in_cdb(cmd, 3, -1);
		return VDISK_DONE;
	}
	if (cdb[1] & 0x04) { /* SELFTEST: the default self-test */
		if (code)
			scst_set_invalid_field_in_cdb(cmd, 1, 7);
		return VDISK_DONE;
	}
	switch (code) {
	case 0x0: /* nothing to do */
	case 0x1: /* background short */
	case 0x2: /* background extended */
	case 0x4: /* abort background */
	case 0x5: /* foreground short */
	case 0x6: /* foreground extended */
		return VDISK_DONE;
	default:
		scst_set_invalid_field_in_cdb(cmd, 1, 7);
		return VDISK_DONE;
	}
}

/* LOG SENSE (SPC-4 6.8): the supported pages pages only. */
static int vdisk_log_sense(struct scst_cmd *cmd, struct vdisk_dev *vd)
{
	const uint8_t *cdb = scst_cmd_cdb(cmd);
	uint8_t page = cdb[2] & 0x3f, sub = cdb[3];
	uint8_t buf[8];
	unsigned int len;

	(void)vd;
	if (cdb[1] & 0x01) { /* SP: nothing is saved */
		scst_set_invalid_field_in_cdb(cmd, 1, 0);
		return VDISK_DONE;
	}
	if (page != 0x00) {
		scst_set_invalid_field_in_cdb(cmd, 2, 5);
		return VDISK_DONE;
	}
	memset(buf, 0, sizeof(buf));
	if (sub == 0x00) {
		/* Supported log pages: page 00h. */
		buf[4] = 0x00;
		len = 5;
	} else if (sub == 0xff) {
		/* Supported log pages and subpages: 00h/00h, 00h/FFh. */
		buf[0] = 0x40; /* SPF */
		buf[1] = 0xff;
		buf[6] = 0x00;
		buf[7] = 0xff;
		len = 8;
	} else {
		scst_set_invalid_field_in_cdb(cmd, 3, -1);
		return VDISK_DONE;
	}
	scst_put_be16(buf + 2, (uint16_t)(len - 4));
	scst_cmd_copy_to_buf(cmd, buf, len);
	return VDISK_DONE;
}

/* ---------------------------------------------------------------- table ----
 */

const struct vdisk_op vdisk_spc_ops[] = {
    {TEST_UNIT_READY, -1, VDISK_K_ALL, vdisk_tur},
    {INQUIRY, -1, VDISK_K_ALL, vdisk_inquiry},
    {MODE_SELECT, -1, VDISK_K_ALL, vdisk_spc_mode_select},
    {MODE_SENSE, -1, VDISK_K_ALL, vdisk_spc_mode_sense},
    {START_STOP, -1, VDISK_K_DISKS, vdisk_start_stop},
    {SEND_DIAGNOSTIC, -1, VDISK_K_ALL, vdisk_send_diag},
    {ALLOW_MEDIUM_REMOVAL, -1, VDISK_K_ALL, vdisk_prevent_allow},
    {LOG_SENSE, -1, VDISK_K_ALL, vdisk_log_sense},
    {MODE_SELECT_10, -1, VDISK_K_ALL, vdisk_spc_mode_select},
    {MODE_SENSE_10, -1, VDISK_K_ALL, vdisk_spc_mode_sense},
    {MAINTENANCE_IN, MI_REPORT_SUPPORTED_OPCODES, VDISK_K_ALL, vdisk_rsoc},
    {MAINTENANCE_IN, MI_REPORT_SUPPORTED_TMFS, VDISK_K_ALL, vdisk_rstmf},
    {0, 0, 0, NULL},
};
