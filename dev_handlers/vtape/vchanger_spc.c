// SPDX-License-Identifier: GPL-2.0-only
/*
 * The vchanger's command dispatch and its SPC-4 commands: TEST UNIT
 * READY, INQUIRY with the VPD pages 00h, 80h and 83h, MODE SENSE(6/10)
 * and MODE SELECT(6/10) with the SMC-3 pages (7.3: 1Dh element address
 * assignment, 1Eh transport geometry, 1Fh device capabilities), REPORT
 * SUPPORTED OPERATION CODES. REPORT LUNS, REQUEST SENSE and the
 * reservation commands are the core's; every opcode not in the table
 * below is left to the core, which answers INVALID COMMAND OPERATION CODE.
 *
 * The mode pages describe the fixed element map and the moves MOVE
 * MEDIUM supports; none of their fields can be changed or saved. MODE
 * SELECT takes a page only when it repeats the current values (as an
 * application client that writes back what MODE SENSE gave does), and
 * refuses any other value with INVALID FIELD IN PARAMETER LIST.
 */
#include <errno.h>

#include "dev_handlers/vtape/vchanger.h"
#include "scst/scst_spc.h"

#define VCHG_VENDOR  "SCST_VTL"
#define VCHG_PRODUCT "VCHANGER"
#define VCHG_REV     "0100"

#define VCHG_INQ_BUF 128

/* ---------------------------------------------------------- identity ---- */

/* IEEE company ID of the NAA designator (the one vdisk's default uses). */
#define VCHG_NAA_COMPANY_ID 0x001405u

void vchg_ident_init(struct vchg_dev *vc)
{
	size_t n = strlen(vc->name) + 1;
	uint32_t h0 = scst_os_crc32c(0, vc->name, n);
	uint32_t h1 = scst_os_crc32c(0x5643, vc->name, n);
	uint32_t h2 = scst_os_crc32c(0x4847, vc->name, n);
	uint8_t *d = vc->naa;

	scst_snprintf(vc->usn, sizeof(vc->usn), "%08x", h0);
	/* NAA 6 (SPC-4 7.8.6.6.5): company ID, 36 bits and 64 bits of the
	 * name's hashes: stable across restarts, distinct per name. */
	d[0] = (uint8_t)(0x60 | ((VCHG_NAA_COMPANY_ID >> 20) & 0x0f));
	d[1] = (uint8_t)(VCHG_NAA_COMPANY_ID >> 12);
	d[2] = (uint8_t)(VCHG_NAA_COMPANY_ID >> 4);
	d[3] = (uint8_t)(((VCHG_NAA_COMPANY_ID & 0x0f) << 4) | (h0 & 0x0f));
	scst_put_be32(d + 4, h1);
	scst_put_be32(d + 8, h2);
	scst_put_be32(d + 12, h0 ^ h1 ^ h2);
}

/* ------------------------------------------------------------ INQUIRY ---- */

static unsigned int vchg_inq_standard(struct scst_cmd *cmd, uint8_t *buf)
{
	uint8_t *v = buf + 58;

	buf[0] = TYPE_MEDIUM_CHANGER;
	buf[1] = 0x80; /* RMB: the medium (cartridges) is removable */
	buf[2] = 0x06; /* SPC-4 */
	buf[3] = 0x12; /* HISUP, response data format 2 */
	buf[4] = 96 - 5;
	buf[5] = (uint8_t)(scst_dev_tpgs(scst_cmd_dev(cmd)) << 4);
	buf[7] = 0x02; /* CMDQUE */
	scst_spc_pad(buf + 8, VCHG_VENDOR, 8);
	scst_spc_pad(buf + 16, VCHG_PRODUCT, 16);
	scst_spc_pad(buf + 32, VCHG_REV, 4);
	scst_put_be16(v, SCST_VERSION_SAM5);
	scst_put_be16(v + 2, SCST_VERSION_SPC4);
	scst_put_be16(v + 4, SCST_VERSION_SMC3);
	scst_put_be16(v + 6, SCST_VERSION_ISCSI);
	return 96;
}

/* Device identification (SPC-4 7.8.6). */
static unsigned int vchg_vpd_devid(struct scst_cmd *cmd, struct vchg_dev *vc,
				   uint8_t *buf)
{
	size_t n = strnlen(vc->name, VCHG_NAME_MAX);
	uint8_t *p = buf + 4, *d;

	/* NAA, binary, LU. */
	d = scst_spc_desig(p, SCST_DESIG_CODE_BINARY, SCST_DESIG_NAA,
			   sizeof(vc->naa));
	memcpy(d, vc->naa, sizeof(vc->naa));
	p = d + sizeof(vc->naa);
	/* T10 vendor ID, ASCII, LU: the vendor and the device's name. */
	d = scst_spc_desig(p, SCST_DESIG_CODE_ASCII, SCST_DESIG_T10_VENDOR,
			   (uint8_t)(8 + n));
	scst_spc_pad(d, VCHG_VENDOR, 8);
	memcpy(d + 8, vc->name, n);
	p = d + 8 + n;
	p += scst_cmd_put_port_desigs(cmd, p);
	scst_put_be16(buf + 2, (uint16_t)(p - buf - 4));
	return (unsigned int)(p - buf);
}

static int vchg_inquiry(struct scst_cmd *cmd, struct vchg_dev *vc)
{
	static const uint8_t pages[] = {0x00, 0x80, 0x83};
	const uint8_t *cdb = scst_cmd_cdb(cmd);
	uint8_t buf[VCHG_INQ_BUF];
	unsigned int len = 0;
	size_t n;

	memset(buf, 0, sizeof(buf));
	if (!(cdb[1] & 0x01)) {
		if (cdb[2]) { /* a page code needs EVPD */
			scst_set_invalid_field_in_cdb(cmd, 2, -1);
			return VCHG_DONE;
		}
		len = vchg_inq_standard(cmd, buf);
		goto out;
	}
	buf[0] = TYPE_MEDIUM_CHANGER;
	buf[1] = cdb[2];
	switch (cdb[2]) {
	case 0x00: /* supported VPD pages */
		memcpy(buf + 4, pages, sizeof(pages));
		buf[3] = sizeof(pages);
		len = 4 + sizeof(pages);
		break;
	case 0x80: /* unit serial number */
		n = strnlen(vc->usn, sizeof(vc->usn));
		memcpy(buf + 4, vc->usn, n);
		buf[3] = (uint8_t)n;
		len = 4 + (unsigned int)n;
		break;
	case 0x83:
		len = vchg_vpd_devid(cmd, vc, buf);
		break;
	default:
		scst_set_invalid_field_in_cdb(cmd, 2, -1);
		return VCHG_DONE;
	}
out:
	scst_cmd_copy_to_buf(cmd, buf, len);
	return VCHG_DONE;
}

/* --------------------------------------------------------- mode pages ---- */

/* Page control (SPC-4 6.11.1). */
enum { VCHG_PC_CURRENT, VCHG_PC_CHANGEABLE, VCHG_PC_DEFAULT, VCHG_PC_SAVED };

#define VCHG_MODE_BUF 96

struct vchg_mode_page {
	uint8_t code;
	uint8_t len; /* whole page */
	/* Fill bytes 2.. of the current (= default) page, zeroed. */
	void (*fill)(const struct vchg_dev *vc, uint8_t *p);
};

/* 1Dh element address assignment (SMC-3 7.3.3). */
static void vchg_mp_eaa(const struct vchg_dev *vc, uint8_t *p)
{
	scst_put_be16(p + 2, VCHG_ADDR_MT);
	scst_put_be16(p + 4, 1);
	scst_put_be16(p + 6, VCHG_ADDR_ST);
	scst_put_be16(p + 8, (uint16_t)vc->nslots);
	scst_put_be16(p + 10, VCHG_ADDR_IE);
	scst_put_be16(p + 12, (uint16_t)vc->nie);
	scst_put_be16(p + 14, VCHG_ADDR_DT);
	scst_put_be16(p + 16, (uint16_t)vc->ndrives);
}

/* 1Eh transport geometry (SMC-3 7.3.5): one transport, no rotation. */
static void vchg_mp_geometry(const struct vchg_dev *vc, uint8_t *p)
{
	(void)vc;
	p[2] = 0; /* ROTATE 0 */
	p[3] = 0; /* MEMBER NUMBER IN TRANSPORT ELEMENT SET */
}

/*
 * 1Fh device capabilities (SMC-3 7.3.2): storage, import/export and data
 * transfer elements hold cartridges (the transport only after a failed
 * load); MOVE MEDIUM goes from any of the four to any of those three;
 * no EXCHANGE MEDIUM.
 */
static void vchg_mp_caps(const struct vchg_dev *vc, uint8_t *p)
{
	/* Bit 3: data transfer, 2: import/export, 1: storage, 0: transport */
	const uint8_t to_holders = 0x0e;

	(void)vc;
	p[2] = to_holders; /* StorDT StorI/E StorST */
	p[4] = to_holders; /* MT -> */
	p[5] = to_holders; /* ST -> */
	p[6] = to_holders; /* I/E -> */
	p[7] = to_holders; /* DT -> */
}

static const struct vchg_mode_page vchg_mode_pages[] = {
    {0x1d, 20, vchg_mp_eaa},
    {0x1e, 4, vchg_mp_geometry},
    {0x1f, 20, vchg_mp_caps},
};

#define VCHG_NPAGES (sizeof(vchg_mode_pages) / sizeof(vchg_mode_pages[0]))

static const struct vchg_mode_page *vchg_mode_page_find(uint8_t code)
{
	unsigned int i;

	for (i = 0; i < VCHG_NPAGES; i++)
		if (vchg_mode_pages[i].code == code)
			return &vchg_mode_pages[i];
	return NULL;
}

static unsigned int vchg_mode_page_put(const struct vchg_dev *vc,
				       const struct vchg_mode_page *mp, int pc,
				       uint8_t *p)
{
	memset(p, 0, mp->len);
	p[0] = mp->code; /* PS 0: nothing can be saved */
	p[1] = (uint8_t)(mp->len - 2);
	if (pc != VCHG_PC_CHANGEABLE) /* changeable: all zeros */
		mp->fill(vc, p);
	return mp->len;
}

static int vchg_mode_sense(struct scst_cmd *cmd, struct vchg_dev *vc)
{
	const uint8_t *cdb = scst_cmd_cdb(cmd);
	bool ten = cdb[0] == MODE_SENSE_10;
	int pc = cdb[2] >> 6;
	uint8_t code = cdb[2] & 0x3f, sub = cdb[3];
	unsigned int off = ten ? 8 : 4, i;
	const struct vchg_mode_page *mp;
	uint8_t buf[VCHG_MODE_BUF];

	if (pc == VCHG_PC_SAVED) {
		scst_set_cmd_error(
		    cmd, SCST_LOAD_SENSE(scst_sense_saving_params_unsup));
		return VCHG_DONE;
	}
	/* No page has subpages: 00h and FFh (all subpages) give page_0. */
	if (sub != 0 && sub != 0xff) {
		scst_set_invalid_field_in_cdb(cmd, 3, -1);
		return VCHG_DONE;
	}
	memset(buf, 0, sizeof(buf));
	/* A changer has no block descriptors: DBD or not, none follow. */
	if (code == 0x3f) {
		for (i = 0; i < VCHG_NPAGES; i++)
			off += vchg_mode_page_put(vc, &vchg_mode_pages[i], pc,
						  buf + off);
	} else {
		mp = vchg_mode_page_find(code);
		if (!mp) {
			scst_set_invalid_field_in_cdb(cmd, 2, 5);
			return VCHG_DONE;
		}
		off += vchg_mode_page_put(vc, mp, pc, buf + off);
	}
	if (ten)
		scst_put_be16(buf, (uint16_t)(off - 2));
	else
		buf[0] = (uint8_t)(off - 1);
	scst_cmd_copy_to_buf(cmd, buf, off);
	return VCHG_DONE;
}

/* The most significant bit set in @v (non-zero). */
static int vchg_top_bit(uint8_t v)
{
	int bit = 7;

	while (!(v & (1u << bit)))
		bit--;
	return bit;
}

/* Check the pages of a MODE SELECT list of @size bytes; sense set. */
static void vchg_mode_select_list(struct scst_cmd *cmd, struct vchg_dev *vc,
				  const uint8_t *list, unsigned int size,
				  bool ten)
{
	unsigned int hdr = ten ? 8 : 4, off, i;
	const struct vchg_mode_page *mp;
	uint8_t cur[32];

	if (size < hdr) {
		scst_set_cmd_error(
		    cmd,
		    SCST_LOAD_SENSE(scst_sense_parameter_list_length_invalid));
		return;
	}
	/* BLOCK DESCRIPTOR LENGTH: a changer has none. */
	if (ten ? scst_get_be16(list + 6) : list[3]) {
		scst_set_invalid_field_in_parm_list(cmd, ten ? 6 : 3, -1);
		return;
	}
	for (off = hdr; off < size; off += mp->len) {
		if (size - off < 2) {
			scst_set_cmd_error(
			    cmd, SCST_LOAD_SENSE(
				     scst_sense_parameter_list_length_invalid));
			return;
		}
		if (list[off] & 0x40) { /* SPF: no subpages */
			scst_set_invalid_field_in_parm_list(cmd, off, 6);
			return;
		}
		mp = vchg_mode_page_find(list[off] & 0x3f);
		if (!mp) {
			scst_set_invalid_field_in_parm_list(cmd, off, 5);
			return;
		}
		if (list[off + 1] != mp->len - 2) {
			scst_set_invalid_field_in_parm_list(cmd, off + 1, -1);
			return;
		}
		if (size - off < mp->len) {
			scst_set_cmd_error(
			    cmd, SCST_LOAD_SENSE(
				     scst_sense_parameter_list_length_invalid));
			return;
		}
		/* Nothing is changeable: every byte as it is now. */
		vchg_mode_page_put(vc, mp, VCHG_PC_CURRENT, cur);
		for (i = 2; i < mp->len; i++) {
			if (list[off + i] != cur[i]) {
				scst_set_invalid_field_in_parm_list(
				    cmd, off + i,
				    vchg_top_bit(list[off + i] ^ cur[i]));
				return;
			}
		}
	}
}

static int vchg_mode_select(struct scst_cmd *cmd, struct vchg_dev *vc)
{
	const uint8_t *cdb = scst_cmd_cdb(cmd);
	uint32_t size = scst_cmd_bufflen(cmd);
	uint8_t *list;

	if (!(cdb[1] & 0x10)) { /* PF: only the standard page format */
		scst_set_invalid_field_in_cdb(cmd, 1, 4);
		return VCHG_DONE;
	}
	if (cdb[1] & 0x01) { /* SP: no page is saveable */
		scst_set_invalid_field_in_cdb(cmd, 1, 0);
		return VCHG_DONE;
	}
	if (!size)
		return VCHG_DONE;
	list = scst_os_alloc(size);
	if (!list) {
		scst_set_cmd_error_status(cmd, SAM_STAT_BUSY);
		return VCHG_DONE;
	}
	size = scst_cmd_copy_from_buf(cmd, list, size);
	vchg_mode_select_list(cmd, vc, list, size, cdb[0] == MODE_SELECT_10);
	scst_os_free(list);
	return VCHG_DONE;
}

/* ------------------------------------------------------------ others ---- */

/* TEST UNIT READY: the robot is always ready (its drives may not be). */
static int vchg_tur(struct scst_cmd *cmd, struct vchg_dev *vc)
{
	(void)cmd;
	(void)vc;
	return VCHG_DONE;
}

static int vchg_rsoc(struct scst_cmd *cmd, struct vchg_dev *vc);

struct vchg_op {
	uint8_t opcode;
	int16_t sa; /* -1: any */
	int (*fn)(struct scst_cmd *cmd, struct vchg_dev *vc);
};

static const struct vchg_op vchg_ops[] = {
    {TEST_UNIT_READY, -1, vchg_tur},
    {INITIALIZE_ELEMENT_STATUS, -1, vchg_init_elem_status},
    {INQUIRY, -1, vchg_inquiry},
    {MODE_SELECT, -1, vchg_mode_select},
    {MODE_SENSE, -1, vchg_mode_sense},
    {ALLOW_MEDIUM_REMOVAL, -1, vchg_prevent_allow},
    {POSITION_TO_ELEMENT, -1, vchg_position},
    {INITIALIZE_ELEMENT_STATUS_WITH_RANGE, -1, vchg_init_elem_status},
    {MODE_SELECT_10, -1, vchg_mode_select},
    {MODE_SENSE_10, -1, vchg_mode_sense},
    {MAINTENANCE_IN, MI_REPORT_SUPPORTED_OPCODES, vchg_rsoc},
    {MOVE_MEDIUM, -1, vchg_move_medium},
    {READ_ELEMENT_STATUS, -1, vchg_read_elem_status},
};

#define VCHG_NOPS (sizeof(vchg_ops) / sizeof(vchg_ops[0]))

/* The row for @opcode/@sa (@sa < 0: any); *@known: the opcode is ours. */
static const struct vchg_op *vchg_lookup(uint8_t opcode, int sa, bool *known)
{
	unsigned int i;

	*known = false;
	for (i = 0; i < VCHG_NOPS; i++) {
		if (vchg_ops[i].opcode != opcode)
			continue;
		*known = true;
		if (vchg_ops[i].sa < 0 || sa < 0 || vchg_ops[i].sa == sa)
			return &vchg_ops[i];
	}
	return NULL;
}

/* A row of the core's table this changer executes (as vdisk decides). */
static bool vchg_rsoc_row(const struct scst_cdb_info *ci, void *arg)
{
	struct scst_device *dev = arg;
	bool known;

	if (ci->opcode == MAINTENANCE_IN && ci->sa == MI_REPORT_TARGET_PGS)
		return scst_dev_tpgs(dev) != 0;
	if (ci->opcode == MAINTENANCE_OUT && ci->sa == MO_SET_TARGET_PGS)
		return (scst_dev_tpgs(dev) & SCST_TPGS_EXPLICIT) != 0;
	if (ci->flags & SCST_CDB_F_LOCAL)
		return true;
	return vchg_lookup(ci->opcode,
			   (ci->flags & SCST_CDB_F_HAS_SA) ? ci->sa : -1,
			   &known) != NULL;
}

/* REPORT SUPPORTED OPERATION CODES (SPC-4 6.35), from the core's rows. */
static int vchg_rsoc(struct scst_cmd *cmd, struct vchg_dev *vc)
{
	scst_cmd_report_opcodes(cmd, vchg_rsoc_row, vc->dev);
	return VCHG_DONE;
}

int vchg_exec(struct scst_cmd *cmd)
{
	const uint8_t *cdb = scst_cmd_cdb(cmd);
	const struct scst_cdb_info *ci = scst_cmd_op(cmd);
	const struct vchg_op *op;
	bool known;

	op = vchg_lookup(cdb[0], scst_cdb_has_sa(ci) ? (cdb[1] & 0x1f) : -1,
			 &known);
	if (!op) {
		if (!known) /* the core: INVALID COMMAND OPERATION CODE */
			return SCST_EXEC_NOT_COMPLETED;
		scst_set_invalid_field_in_cdb(cmd, 1, 4); /* SERVICE ACTION */
		scst_cmd_exec_done(cmd);
		return SCST_EXEC_COMPLETED;
	}
	if (op->fn(cmd, vchg_of(cmd)) == VCHG_DONE)
		scst_cmd_exec_done(cmd);
	return SCST_EXEC_COMPLETED;
}
