// SPDX-License-Identifier: GPL-2.0-only
/*
 * The vtape drive's identification and parameters: INQUIRY and its VPD
 * pages, REPORT SUPPORTED OPERATION CODES, TEST UNIT READY, PREVENT ALLOW
 * MEDIUM REMOVAL, READ BLOCK LIMITS, REPORT DENSITY SUPPORT, MODE SENSE
 * and MODE SELECT (block descriptor; pages 0Ah control, 0Fh data
 * compression, 10h device configuration, 11h medium partition), LOG
 * SENSE (00h, 0Ch sequential access, 2Eh TapeAlert) and READ ATTRIBUTE
 * (the medium auxiliary memory).
 */
#include <errno.h>
#include <string.h>

#include "dev_handlers/vtape/vtape_priv.h"
#include "scst/byteorder.h"
#include "scst/scst_spc.h"

#define MP_CONTROL     0x0a
#define MP_COMPRESSION 0x0f
#define MP_DEVICE_CONF 0x10
#define MP_PARTITION   0x11
#define MP_ALL	       0x3f
#define LP_SUPPORTED   0x00
#define LP_SEQ_ACCESS  0x0c
#define LP_TAPE_ALERT  0x2e
#define TAPE_ALERT_MAX 64

/* ------------------------------------------------------------ INQUIRY ---- */

/* Device identification (SPC-4 7.8.6): NAA, T10 vendor ID, the port. */
static unsigned int vtape_vpd_devid(struct vtape_drive *d, struct scst_cmd *cmd,
				    uint8_t *buf)
{
	size_t n = strlen(d->id.serial);
	uint8_t *p = buf + 4, *q;

	q = scst_spc_desig(p, SCST_DESIG_CODE_BINARY, SCST_DESIG_NAA, 16);
	memcpy(q, d->naa, 16);
	p = q + 16;
	/* The same vendor, product and serial the changer's DVCID shows. */
	q = scst_spc_desig(p, SCST_DESIG_CODE_ASCII, SCST_DESIG_T10_VENDOR,
			   (uint8_t)(24 + n));
	scst_spc_pad(q, d->id.vendor, 8);
	scst_spc_pad(q + 8, d->id.product, 16);
	memcpy(q + 24, d->id.serial, n);
	p = q + 24 + n;
	p += scst_cmd_put_port_desigs(cmd, p);
	scst_put_be16(buf + 2, (uint16_t)(p - buf - 4));
	return (unsigned int)(p - buf);
}

static void vtape_inquiry(struct vtape_drive *d, struct scst_cmd *cmd)
{
	const uint8_t *cdb = scst_cmd_cdb(cmd);
	uint8_t buf[256];
	unsigned int len;
	size_t n;

	memset(buf, 0, sizeof(buf));
	if (cdb[1] & 0x02) { /* CMDDT: obsolete */
		scst_set_invalid_field_in_cdb(cmd, 1, 1);
		return;
	}
	if (!(cdb[1] & 0x01)) {
		if (cdb[2]) {
			scst_set_invalid_field_in_cdb(cmd, 2, -1);
			return;
		}
		buf[0] = TYPE_TAPE;
		buf[1] = 0x80; /* RMB */
		buf[2] = 0x06; /* SPC-4 */
		buf[3] = 0x12; /* HISUP, response data format 2 */
		buf[4] = 64 - 5;
		buf[5] = (uint8_t)(scst_dev_tpgs(scst_cmd_dev(cmd)) << 4);
		buf[7] = 0x02; /* CMDQUE */
		scst_spc_pad(buf + 8, d->id.vendor, 8);
		scst_spc_pad(buf + 16, d->id.product, 16);
		scst_spc_pad(buf + 32, d->id.revision, 4);
		scst_put_be16(buf + 58, SCST_VERSION_SAM5);
		scst_put_be16(buf + 60, SCST_VERSION_SPC4);
		scst_put_be16(buf + 62, SCST_VERSION_ISCSI);
		scst_cmd_copy_to_buf(cmd, buf, 64);
		return;
	}
	buf[0] = TYPE_TAPE;
	buf[1] = cdb[2];
	switch (cdb[2]) {
	case 0x00:
		buf[3] = 3;
		buf[4] = 0x00;
		buf[5] = 0x80;
		buf[6] = 0x83;
		len = 7;
		break;
	case 0x80:
		n = strlen(d->id.serial);
		buf[3] = (uint8_t)n;
		memcpy(buf + 4, d->id.serial, n);
		len = 4 + (unsigned int)n;
		break;
	case 0x83:
		len = vtape_vpd_devid(d, cmd, buf);
		break;
	default:
		scst_set_invalid_field_in_cdb(cmd, 2, -1);
		return;
	}
	scst_cmd_copy_to_buf(cmd, buf, len);
}

/* ---------------------------------------------- supported commands ---- */

static bool vtape_rsoc_row(const struct scst_cdb_info *ci, void *arg)
{
	struct vtape_drive *d = arg;

	if (ci->opcode == MAINTENANCE_IN && ci->sa == MI_REPORT_TARGET_PGS)
		return scst_dev_tpgs(d->dev) != 0;
	if (ci->opcode == MAINTENANCE_OUT)
		return false; /* SET TARGET PORT GROUPS: no explicit ALUA */
	if (ci->flags & SCST_CDB_F_LOCAL)
		return true; /* the core's own */
	switch (ci->opcode) {
	case INQUIRY:
		return true;
	case MAINTENANCE_IN:
		return ci->sa == MI_REPORT_SUPPORTED_OPCODES;
	default:
		return vtape_queued_opcode(ci->opcode);
	}
}

bool vtape_spc_exec_inline(struct vtape_drive *d, struct scst_cmd *cmd)
{
	const uint8_t *cdb = scst_cmd_cdb(cmd);

	if (cdb[0] == INQUIRY) {
		vtape_inquiry(d, cmd);
		return true;
	}
	if (cdb[0] == MAINTENANCE_IN &&
	    (cdb[1] & 0x1f) == MI_REPORT_SUPPORTED_OPCODES) {
		scst_cmd_report_opcodes(cmd, vtape_rsoc_row, d);
		return true;
	}
	return false;
}

/* ------------------------------------------------- simple commands ---- */

static void vtape_prevent_allow(struct vtape_drive *d, struct scst_cmd *cmd)
{
	uint8_t prevent = scst_cmd_cdb(cmd)[4] & 0x03;

	if (prevent > 1) {
		/* 10b/11b are for medium changers (SPC-4 table 160). */
		scst_set_invalid_field_in_cdb(cmd, 4, 1);
		return;
	}
	(void)d;
	scst_tgt_dev_set_prevent(scst_cmd_tgt_dev(cmd), prevent == 1);
}

static void vtape_read_block_limits(struct scst_cmd *cmd)
{
	uint8_t buf[6] = {0};

	if (scst_cmd_cdb(cmd)[1] & 0x01) {
		/* MLOI (SSC-4) is reserved in SSC-3. */
		scst_set_invalid_field_in_cdb(cmd, 1, 0);
		return;
	}
	scst_put_be24(buf + 1, VTAPE_MAX_BLOCK);
	scst_put_be16(buf + 4, 1);
	scst_cmd_copy_to_buf(cmd, buf, sizeof(buf));
}

/* REPORT DENSITY SUPPORT (SSC-3 6.?): one density, one medium type. */
static void vtape_report_density(struct vtape_drive *d, struct scst_cmd *cmd)
{
	const uint8_t *cdb = scst_cmd_cdb(cmd);
	bool medium = cdb[1] & 0x01, media_type = cdb[1] & 0x02;
	uint64_t cap = d->cart ? vtape_cart_capacity(d->cart) >> 20 : 0;
	uint8_t buf[4 + 56];
	uint8_t *p = buf + 4;

	if (medium && !vtape_check_ready(d, cmd))
		return;
	memset(buf, 0, sizeof(buf));
	if (!media_type) {
		p[0] = VTAPE_DENSITY;
		p[1] = VTAPE_DENSITY;
		/* WRTOK, DEFLT, DLV; the descriptor is 52 bytes. */
		p[2] = 0x80 | 0x20 | 0x01;
		scst_put_be16(p + 3, 52 - 5);
		scst_put_be32(p + 12,
			      cap > UINT32_MAX ? UINT32_MAX : (uint32_t)cap);
		scst_spc_pad(p + 16, "SCST", 8);
		scst_spc_pad(p + 24, "VTAPE", 8);
		scst_spc_pad(p + 32, "virtual tape cartridge", 20);
		scst_put_be16(buf, 2 + 52);
		scst_cmd_copy_to_buf(cmd, buf, 4 + 52);
		return;
	}
	/* Medium type descriptor: one type, one density code. */
	p[0] = 0x00; /* data medium */
	scst_put_be16(p + 2, 52);
	p[4] = 1;
	p[5] = VTAPE_DENSITY;
	scst_spc_pad(p + 20, "SCST", 8);
	scst_spc_pad(p + 28, "VTAPE", 8);
	scst_spc_pad(p + 36, "virtual tape cartridge", 20);
	scst_put_be16(buf, 2 + 56);
	scst_cmd_copy_to_buf(cmd, buf, 4 + 56);
}

/* ------------------------------------------------------- mode pages ---- */

/* One page's current (or changeable, @mask) bytes; returns its length. */
static unsigned int vtape_mode_page(struct vtape_drive *d, uint8_t code,
				    bool mask, uint8_t *p)
{
	uint64_t mb;

	switch (code) {
	case MP_CONTROL:
		memset(p, 0, 12);
		p[0] = MP_CONTROL;
		p[1] = 10;
		if (!mask) {
			p[2] = (uint8_t)(scst_dev_tst(d->dev) << 5);
			if (scst_dev_d_sense(d->dev))
				p[2] |= 0x04;
			p[3] = 0x10; /* unrestricted reordering allowed */
			scst_put_be16(p + 10, 0xffff);
		}
		return 12;
	case MP_COMPRESSION:
		memset(p, 0, 16);
		p[0] = MP_COMPRESSION;
		p[1] = 14;
		/* DCE 0, DCC 0: no compression; DDE 0. */
		return 16;
	case MP_DEVICE_CONF:
		memset(p, 0, 16);
		p[0] = MP_DEVICE_CONF;
		p[1] = 14;
		/* EEG and SEW: end of data is written; sync at EW. */
		if (!mask)
			p[10] = 0x10 | 0x08;
		return 16;
	case MP_PARTITION:
		memset(p, 0, 10);
		p[0] = MP_PARTITION;
		p[1] = 8;
		if (!mask) {
			p[4] = 0x10; /* PSUM 10b: partition size in MB */
			p[5] = 0x03; /* format and partition recognition */
			mb = d->cart ? vtape_cart_capacity(d->cart) >> 20 : 0;
			scst_put_be16(p + 8,
				      mb > 0xffff ? 0xffff : (uint16_t)mb);
		}
		return 10;
	default:
		return 0;
	}
}

static const uint8_t vtape_mode_pages[] = {MP_CONTROL, MP_COMPRESSION,
					   MP_DEVICE_CONF, MP_PARTITION};

static void vtape_mode_sense(struct vtape_drive *d, struct scst_cmd *cmd)
{
	const uint8_t *cdb = scst_cmd_cdb(cmd);
	bool ten = cdb[0] == MODE_SENSE_10, dbd = cdb[1] & 0x08;
	uint8_t pc = cdb[2] >> 6, page = cdb[2] & 0x3f, sub = cdb[3];
	unsigned int hdr = ten ? 8 : 4, len, i;
	uint8_t buf[256], *p;
	bool mask = pc == 1;

	if (pc == 3) {
		scst_set_cmd_error(
		    cmd, SCST_LOAD_SENSE(scst_sense_saving_params_unsup));
		return;
	}
	if (sub && !(sub == 0xff && page == MP_ALL)) {
		scst_set_invalid_field_in_cdb(cmd, 3, -1);
		return;
	}
	memset(buf, 0, sizeof(buf));
	p = buf + hdr;
	if (!dbd) {
		/* Block descriptor: density, number of blocks 0, length. */
		if (mask) {
			scst_put_be24(p + 5, 0xffffff);
		} else {
			p[0] = d->cart ? d->density : 0;
			scst_put_be24(p + 5, d->block_size);
		}
		p += 8;
	}
	if (page == MP_ALL) {
		for (i = 0; i < sizeof(vtape_mode_pages); i++)
			p += vtape_mode_page(d, vtape_mode_pages[i], mask, p);
	} else if (page) {
		len = vtape_mode_page(d, page, mask, p);
		if (!len) {
			scst_set_invalid_field_in_cdb(cmd, 2, 5);
			return;
		}
		p += len;
	}
	len = (unsigned int)(p - buf);
	/* Device-specific: WP, buffered mode 1, speed 0. */
	if (ten) {
		scst_put_be16(buf, (uint16_t)(len - 2));
		buf[3] = VTAPE_BUFFERED | (d->cart && d->cart_ro ? 0x80 : 0);
		scst_put_be16(buf + 6, dbd ? 0 : 8);
	} else {
		buf[0] = (uint8_t)(len - 1);
		buf[2] = VTAPE_BUFFERED | (d->cart && d->cart_ro ? 0x80 : 0);
		buf[3] = dbd ? 0 : 8;
	}
	scst_cmd_copy_to_buf(cmd, buf, len);
}

/* A page sent with MODE SELECT: only the values we report are taken. */
static bool vtape_mode_select_page(struct vtape_drive *d, struct scst_cmd *cmd,
				   const uint8_t *p, unsigned int avail,
				   unsigned int off)
{
	uint8_t cur[32];
	unsigned int len, i;

	len = vtape_mode_page(d, p[0] & 0x3f, false, cur);
	if (!len || avail < 2 || p[1] + 2u != len || avail < len) {
		scst_set_invalid_field_in_parm_list(cmd, off, -1);
		return false;
	}
	for (i = 2; i < len; i++) {
		if (p[i] != cur[i]) {
			scst_set_invalid_field_in_parm_list(cmd, off + i, -1);
			return false;
		}
	}
	return true;
}

static void vtape_mode_select(struct vtape_drive *d, struct scst_cmd *cmd)
{
	const uint8_t *cdb = scst_cmd_cdb(cmd);
	bool ten = cdb[0] == MODE_SELECT_10;
	unsigned int hdr = ten ? 8 : 4, len, bdl, off;
	uint32_t bs = d->block_size;
	uint8_t buf[512], density = d->density;
	bool changed;

	if (cdb[1] & 0x01) {
		scst_set_cmd_error(
		    cmd, SCST_LOAD_SENSE(scst_sense_saving_params_unsup));
		return;
	}
	len = scst_cmd_copy_from_buf(cmd, buf, sizeof(buf));
	if (len == 0)
		return;
	if (len < hdr) {
		scst_set_cmd_error(
		    cmd,
		    SCST_LOAD_SENSE(scst_sense_parameter_list_length_invalid));
		return;
	}
	bdl = ten ? scst_get_be16(buf + 6) : buf[3];
	/* Buffered mode 0 or 1; speed 0 (default). */
	if (((ten ? buf[3] : buf[2]) & 0x7f) > VTAPE_BUFFERED) {
		scst_set_invalid_field_in_parm_list(cmd, ten ? 3 : 2, -1);
		return;
	}
	if (bdl != 0 && bdl != 8) {
		scst_set_invalid_field_in_parm_list(cmd, ten ? 6 : 3, -1);
		return;
	}
	if (hdr + bdl > len) {
		scst_set_cmd_error(
		    cmd,
		    SCST_LOAD_SENSE(scst_sense_parameter_list_length_invalid));
		return;
	}
	if (bdl) {
		const uint8_t *b = buf + hdr;

		if (b[0] != 0 && b[0] != 0x7f && b[0] != VTAPE_DENSITY) {
			scst_set_invalid_field_in_parm_list(cmd, hdr, -1);
			return;
		}
		if (b[0] == VTAPE_DENSITY)
			density = b[0];
		bs = scst_get_be24(b + 5);
		if (bs > VTAPE_MAX_BLOCK) {
			scst_set_invalid_field_in_parm_list(cmd, hdr + 5, -1);
			return;
		}
	}
	for (off = hdr + bdl; off < len;) {
		if (!vtape_mode_select_page(d, cmd, buf + off, len - off, off))
			return;
		off += buf[off + 1] + 2u;
	}
	changed = bs != d->block_size || density != d->density;
	d->block_size = bs;
	d->density = density;
	scst_dev_set_block_size(d->dev, bs);
	if (changed)
		/* The block size is the drive's: the others learn of it. */
		scst_dev_set_ua_except(
		    d->dev, scst_cmd_tgt_dev(cmd),
		    SCST_LOAD_SENSE(scst_sense_mode_changed_UA));
}

/* -------------------------------------------------------- LOG SENSE ---- */

static uint8_t *vtape_log_param(uint8_t *p, uint16_t code, uint8_t control,
				uint8_t len)
{
	scst_put_be16(p, code);
	p[2] = control;
	p[3] = len;
	return p + 4;
}

static unsigned int vtape_log_seq_access(struct vtape_drive *d, uint16_t from,
					 uint8_t *p)
{
	const uint64_t v[4] = {d->bytes_from_ini, d->bytes_to_medium,
			       d->bytes_from_medium, d->bytes_to_ini};
	uint8_t *s = p;
	uint16_t i;

	/* 0000h-0003h: data bytes received, written, read, transferred. */
	for (i = 0; i < 4; i++) {
		if (i < from)
			continue;
		p = vtape_log_param(p, i, 0x00, 8);
		scst_put_be64(p, v[i]);
		p += 8;
	}
	/* 0100h: cleaning required (never). */
	if (from <= 0x100) {
		p = vtape_log_param(p, 0x100, 0x00, 1);
		*p++ = 0;
	}
	return (unsigned int)(p - s);
}

/* TapeAlert (SSC-3 8.2.3): 64 flags; reading the page clears them. */
static unsigned int vtape_log_tape_alert(struct vtape_drive *d, uint16_t from,
					 uint8_t *p)
{
	uint8_t *s = p;
	uint16_t i;

	for (i = 1; i <= TAPE_ALERT_MAX; i++) {
		if (i < from)
			continue;
		p = vtape_log_param(p, i, 0x03, 1);
		*p++ = (d->tapealert >> (i - 1)) & 1;
	}
	d->tapealert = 0;
	return (unsigned int)(p - s);
}

static void vtape_log_sense(struct vtape_drive *d, struct scst_cmd *cmd)
{
	const uint8_t *cdb = scst_cmd_cdb(cmd);
	uint8_t page = cdb[2] & 0x3f, buf[4 + TAPE_ALERT_MAX * 5];
	uint16_t from = scst_get_be16(cdb + 5);
	unsigned int len;

	if (cdb[1] & 0x03) { /* PPC, SP: not supported */
		scst_set_invalid_field_in_cdb(cmd, 1, cdb[1] & 0x02 ? 1 : 0);
		return;
	}
	if (cdb[3]) {
		scst_set_invalid_field_in_cdb(cmd, 3, -1);
		return;
	}
	memset(buf, 0, sizeof(buf));
	buf[0] = page;
	switch (page) {
	case LP_SUPPORTED:
		buf[4] = LP_SUPPORTED;
		buf[5] = LP_SEQ_ACCESS;
		buf[6] = LP_TAPE_ALERT;
		len = 3;
		break;
	case LP_SEQ_ACCESS:
		len = vtape_log_seq_access(d, from, buf + 4);
		break;
	case LP_TAPE_ALERT:
		len = vtape_log_tape_alert(d, from, buf + 4);
		break;
	default:
		scst_set_invalid_field_in_cdb(cmd, 2, 5);
		return;
	}
	scst_put_be16(buf + 2, (uint16_t)len);
	scst_cmd_copy_to_buf(cmd, buf, 4 + len);
}

/* --------------------------------------------------- READ ATTRIBUTE ---- */

#define RA_FMT_BINARY 0x00
#define RA_FMT_ASCII  0x01
#define RA_READ_ONLY  0x80

static const uint16_t vtape_attr_ids[] = {
    0x0000, 0x0001, 0x0003, 0x0220, 0x0221, 0x0400, 0x0401, 0x0408, 0x0806};

/* One attribute at @p (its header and value); returns its length. */
static unsigned int vtape_attr(struct vtape_drive *d, uint16_t id, uint8_t *p)
{
	const struct vtape_mam *m = vtape_cart_mam(d->cart);
	uint64_t cap = vtape_cart_capacity(d->cart),
		 used = vtape_cart_used(d->cart);
	uint64_t v = 0;
	const char *s = NULL;
	uint16_t len = 8;

	switch (id) {
	case 0x0000: /* REMAINING CAPACITY IN PARTITION, MiB */
		v = (used < cap ? cap - used : 0) >> 20;
		break;
	case 0x0001: /* MAXIMUM CAPACITY IN PARTITION, MiB */
		v = cap >> 20;
		break;
	case 0x0003: /* LOAD COUNT */
		v = m->load_count;
		break;
	case 0x0220: /* TOTAL MBYTES WRITTEN IN MEDIUM LIFE */
		v = m->mib_written;
		break;
	case 0x0221: /* TOTAL MBYTES READ IN MEDIUM LIFE */
		v = m->mib_read;
		break;
	case 0x0400: /* MEDIUM MANUFACTURER */
		s = "SCST";
		len = 8;
		break;
	case 0x0401: /* MEDIUM SERIAL NUMBER */
		s = m->serial;
		len = 32;
		break;
	case 0x0408: /* MEDIUM TYPE: data */
		len = 1;
		break;
	case 0x0806: /* BARCODE */
		s = m->barcode;
		len = 32;
		break;
	default:
		return 0;
	}
	scst_put_be16(p, id);
	p[2] = RA_READ_ONLY | (s ? RA_FMT_ASCII : RA_FMT_BINARY);
	scst_put_be16(p + 3, len);
	if (s)
		scst_spc_pad(p + 5, s, len);
	else if (len == 8)
		scst_put_be64(p + 5, v);
	else
		p[5] = (uint8_t)v;
	return 5u + len;
}

static void vtape_read_attribute(struct vtape_drive *d, struct scst_cmd *cmd)
{
	const uint8_t *cdb = scst_cmd_cdb(cmd);
	uint8_t sa = cdb[1] & 0x1f, buf[512];
	uint16_t first = scst_get_be16(cdb + 8);
	unsigned int len = 4, i;

	if (cdb[5]) { /* logical volume: only 0 */
		scst_set_invalid_field_in_cdb(cmd, 5, -1);
		return;
	}
	if (cdb[7]) { /* partition: only 0 */
		scst_set_invalid_field_in_cdb(cmd, 7, -1);
		return;
	}
	if (!vtape_check_ready(d, cmd))
		return;
	memset(buf, 0, sizeof(buf));
	switch (sa) {
	case RA_ATTRIBUTE_VALUES:
		for (i = 0; i < sizeof(vtape_attr_ids) / 2; i++)
			if (vtape_attr_ids[i] >= first)
				len +=
				    vtape_attr(d, vtape_attr_ids[i], buf + len);
		scst_put_be32(buf, len - 4);
		break;
	case RA_ATTRIBUTE_LIST:
	case RA_SUPPORTED_ATTRIBUTES:
		for (i = 0; i < sizeof(vtape_attr_ids) / 2; i++) {
			if (vtape_attr_ids[i] < first)
				continue;
			scst_put_be16(buf + len, vtape_attr_ids[i]);
			len += 2;
		}
		scst_put_be32(buf, len - 4);
		break;
	case RA_LOGICAL_VOLUME_LIST:
	case RA_PARTITION_LIST:
		/* Length 2, first 0, one of them. */
		scst_put_be16(buf, 2);
		buf[3] = 1;
		len = 4;
		break;
	default:
		scst_set_invalid_field_in_cdb(cmd, 1, 4);
		return;
	}
	scst_cmd_copy_to_buf(cmd, buf, len);
}

/* ------------------------------------------------------------ table ---- */

bool vtape_spc_exec(struct vtape_drive *d, struct scst_cmd *cmd)
{
	switch (scst_cmd_cdb(cmd)[0]) {
	case TEST_UNIT_READY:
		vtape_check_ready(d, cmd);
		return true;
	case ALLOW_MEDIUM_REMOVAL:
		vtape_prevent_allow(d, cmd);
		return true;
	case READ_BLOCK_LIMITS:
		vtape_read_block_limits(cmd);
		return true;
	case REPORT_DENSITY_SUPPORT:
		vtape_report_density(d, cmd);
		return true;
	case MODE_SENSE:
	case MODE_SENSE_10:
		vtape_mode_sense(d, cmd);
		return true;
	case MODE_SELECT:
	case MODE_SELECT_10:
		vtape_mode_select(d, cmd);
		return true;
	case LOG_SENSE:
		vtape_log_sense(d, cmd);
		return true;
	case READ_ATTRIBUTE:
		vtape_read_attribute(d, cmd);
		return true;
	default:
		return false;
	}
}
