// SPDX-License-Identifier: GPL-2.0-only
/*
 * SSC-3 commands of the vtape drive that read, write or move over the
 * medium: READ(6/16), WRITE(6/16), WRITE FILEMARKS(6/16), SPACE(6/16),
 * LOCATE(10/16), READ POSITION, REWIND, LOAD UNLOAD, ERASE(6/16). All run
 * on the drive's thread (vtape_priv.h).
 *
 * Sense data follows SSC-3 4.2: a filemark met by READ or SPACE is NO
 * SENSE with FILEMARK and 00h/01h, a block of another length than asked
 * is NO SENSE with ILI, end of data is BLANK CHECK 00h/05h, the early
 * warning is NO SENSE with EOM and 00h/02h, the end of the capacity is
 * VOLUME OVERFLOW with EOM and 00h/02h, the beginning of the partition
 * met going backward is NO SENSE with EOM and 00h/04h. INFORMATION holds
 * the residue: for READ and WRITE the requested count (blocks in fixed
 * mode, bytes in variable mode) minus what was done, negative for an
 * overlength block; for SPACE the magnitude of what was not spaced.
 * IMMED bits are accepted; the command still completes when done.
 */
#include <errno.h>
#include <string.h>

#include "dev_handlers/vtape/vtape_priv.h"
#include "scst/byteorder.h"

#define VTAPE_FIXED 0x01
#define VTAPE_SILI  0x02

/* ------------------------------------------------------------ helpers ---- */

int vtape_sync(struct vtape_drive *d)
{
	int rc;

	if (!d->cart || !d->dirty)
		return 0;
	rc = vtape_cart_sync(d->cart);
	if (rc == 0)
		d->dirty = false;
	return rc;
}

bool vtape_check_ready(struct vtape_drive *d, struct scst_cmd *cmd)
{
	if (d->cart)
		return true;
	scst_set_cmd_error(cmd, SCST_LOAD_SENSE(scst_sense_medium_not_present));
	return false;
}

/* A command that writes: the medium is there and not write-protected. */
static bool vtape_check_writable(struct vtape_drive *d, struct scst_cmd *cmd)
{
	if (!vtape_check_ready(d, cmd))
		return false;
	if (!d->cart_ro)
		return true;
	d->tapealert |= 1ull << (VTAPE_TA_WRITE_PROTECT - 1);
	scst_set_cmd_error(cmd, DATA_PROTECT, 0x27, 0x00);
	return false;
}

static void vtape_medium_error(struct vtape_drive *d, struct scst_cmd *cmd,
			       bool write, int64_t residue)
{
	d->tapealert |= 1ull << (VTAPE_TA_MEDIA - 1);
	scst_set_cmd_error_stream(cmd, MEDIUM_ERROR, write ? 0x0c : 0x11, 0x00,
				  0, true, residue);
}

/* Partition @p must be 0, the only one (CDB byte @byte). */
static bool vtape_check_partition(struct scst_cmd *cmd, uint8_t p,
				  unsigned int byte)
{
	if (p == 0)
		return true;
	scst_set_invalid_field_in_cdb(cmd, byte, -1);
	return false;
}

/* The 16-byte forms name the object to start at: go there first. */
static bool vtape_locate16(struct vtape_drive *d, struct scst_cmd *cmd)
{
	const uint8_t *cdb = scst_cmd_cdb(cmd);

	if (!vtape_check_partition(cmd, cdb[3], 3))
		return false;
	if (vtape_sync(d)) {
		vtape_medium_error(d, cmd, true, 0);
		return false;
	}
	if (vtape_cart_locate(d->cart, scst_get_be64(cdb + 4)) ==
	    VTAPE_MOVE_EOD) {
		scst_set_cmd_error(cmd, BLANK_CHECK, 0x00, 0x05);
		return false;
	}
	return true;
}

/*
 * The TRANSFER LENGTH of READ/WRITE(6) and (16); the 16-byte forms first
 * go to the object they name. False when the command already failed.
 */
static bool vtape_transfer_count(struct vtape_drive *d, struct scst_cmd *cmd,
				 uint32_t *count)
{
	const uint8_t *cdb = scst_cmd_cdb(cmd);

	if (cdb[0] == READ_16 || cdb[0] == WRITE_16) {
		*count = scst_get_be24(cdb + 12);
		return vtape_locate16(d, cmd);
	}
	*count = scst_get_be24(cdb + 2);
	return true;
}

/* ------------------------------------------------------------- READ ---- */

/* READ in fixed-block mode: @count blocks of the drive's block size. */
static void vtape_read_fixed(struct vtape_drive *d, struct scst_cmd *cmd,
			     uint32_t count)
{
	uint32_t bs = d->block_size, i;
	struct scst_sg *sg;
	unsigned int nsg = scst_cmd_sg(cmd, &sg);
	int n = 0;

	if ((uint64_t)count * bs > scst_cmd_bufflen(cmd)) {
		/* The block size changed since the core sized the buffer. */
		scst_set_invalid_field_in_cdb(cmd, 1, 0);
		return;
	}
	for (i = 0; i < count; i++) {
		n = vtape_cart_read_block(d->cart, d->bounce, VTAPE_MAX_BLOCK);
		if (n < 0 || (uint32_t)n != bs)
			break;
		scst_sg_copy_in(sg, nsg, (uint64_t)i * bs, d->bounce, bs);
	}
	d->bytes_from_medium += (uint64_t)i * bs;
	d->bytes_to_ini += (uint64_t)i * bs;
	vtape_cart_account(d->cart, 0, (uint64_t)i * bs);
	scst_set_resp_data_len(cmd, i * bs);
	if (i == count)
		return;
	if (n == -ENOMSG)
		scst_set_cmd_error_stream(cmd, NO_SENSE, 0x00, 0x01,
					  SCST_SENSE_FILEMARK, true, count - i);
	else if (n == -ENODATA)
		scst_set_cmd_error_stream(cmd, BLANK_CHECK, 0x00, 0x05, 0, true,
					  count - i);
	else if (n < 0)
		vtape_medium_error(d, cmd, false, count - i);
	else
		/* SSC-3 4.2.7: the incorrect-length block is not counted. */
		scst_set_cmd_error_stream(cmd, NO_SENSE, 0x00, 0x00,
					  SCST_SENSE_ILI, true, count - i);
}

/* READ in variable-block mode: one block of up to @len bytes. */
static void vtape_read_var(struct vtape_drive *d, struct scst_cmd *cmd,
			   uint32_t len, bool sili)
{
	struct scst_sg *sg;
	unsigned int nsg = scst_cmd_sg(cmd, &sg);
	uint32_t moved;
	int n;

	n = vtape_cart_read_block(d->cart, d->bounce, VTAPE_MAX_BLOCK);
	if (n == -ENOMSG) {
		scst_set_cmd_error_stream(cmd, NO_SENSE, 0x00, 0x01,
					  SCST_SENSE_FILEMARK, true, len);
		scst_set_resp_data_len(cmd, 0);
		return;
	}
	if (n == -ENODATA) {
		scst_set_cmd_error_stream(cmd, BLANK_CHECK, 0x00, 0x05, 0, true,
					  len);
		scst_set_resp_data_len(cmd, 0);
		return;
	}
	if (n < 0) {
		vtape_medium_error(d, cmd, false, len);
		scst_set_resp_data_len(cmd, 0);
		return;
	}
	moved = (uint32_t)n < len ? (uint32_t)n : len;
	scst_sg_copy_in(sg, nsg, 0, d->bounce, moved);
	scst_set_resp_data_len(cmd, moved);
	d->bytes_from_medium += (uint32_t)n;
	d->bytes_to_ini += moved;
	vtape_cart_account(d->cart, 0, (uint32_t)n);
	/* Shorter with SILI: GOOD with a residual. Longer: always ILI. */
	if ((uint32_t)n == len || ((uint32_t)n < len && sili))
		return;
	scst_set_cmd_error_stream(cmd, NO_SENSE, 0x00, 0x00, SCST_SENSE_ILI,
				  true, (int64_t)len - n);
}

static void vtape_read(struct vtape_drive *d, struct scst_cmd *cmd)
{
	const uint8_t *cdb = scst_cmd_cdb(cmd);
	bool fixed = cdb[1] & VTAPE_FIXED, sili = cdb[1] & VTAPE_SILI;
	uint32_t count;

	if (fixed && sili) {
		scst_set_invalid_field_in_cdb(cmd, 1, 1);
		return;
	}
	if (!vtape_check_ready(d, cmd))
		return;
	if (!vtape_transfer_count(d, cmd, &count) || count == 0)
		return;
	if (vtape_sync(d)) {
		vtape_medium_error(d, cmd, true, count);
		return;
	}
	if (fixed)
		vtape_read_fixed(d, cmd, count);
	else
		vtape_read_var(d, cmd, count, sili);
}

/* ------------------------------------------------------------ WRITE ---- */

/* One block from the buffer at @off; 0, 1 (past early warning), -errno. */
static int vtape_write_one(struct vtape_drive *d, struct scst_cmd *cmd,
			   uint64_t off, uint32_t len)
{
	struct scst_sg *sg;
	unsigned int nsg = scst_cmd_sg(cmd, &sg);
	int rc;

	if (scst_sg_copy_out(sg, nsg, off, d->bounce, len) != len)
		return -EIO;
	rc = vtape_cart_write_block(d->cart, d->bounce, len);
	if (rc >= 0) {
		d->dirty = true;
		d->bytes_from_ini += len;
		d->bytes_to_medium += len;
		vtape_cart_account(d->cart, len, 0);
	}
	return rc;
}

static void vtape_write(struct vtape_drive *d, struct scst_cmd *cmd)
{
	const uint8_t *cdb = scst_cmd_cdb(cmd);
	bool fixed = cdb[1] & VTAPE_FIXED, ew = false;
	uint32_t count, i, n, bs = d->block_size;
	int rc = 0;

	if (!vtape_check_writable(d, cmd))
		return;
	if (!vtape_transfer_count(d, cmd, &count) || count == 0)
		return;
	n = fixed ? count : 1;
	if (fixed && (uint64_t)count * bs > scst_cmd_bufflen(cmd)) {
		scst_set_invalid_field_in_cdb(cmd, 1, 0);
		return;
	}
	if (!fixed && count > VTAPE_MAX_BLOCK) {
		scst_set_invalid_field_in_cdb(cmd, 2, -1);
		return;
	}
	for (i = 0; i < n; i++) {
		rc = fixed ? vtape_write_one(d, cmd, (uint64_t)i * bs, bs)
			   : vtape_write_one(d, cmd, 0, count);
		if (rc < 0)
			break;
		if (rc == 1)
			ew = true;
	}
	if (rc == -ENOSPC) {
		/* Nothing more fits: the residue in blocks or bytes. */
		scst_set_cmd_error_stream(cmd, VOLUME_OVERFLOW, 0x00, 0x02,
					  SCST_SENSE_EOM, true,
					  fixed ? n - i : count);
	} else if (rc == -EROFS) {
		scst_set_cmd_error(cmd, DATA_PROTECT, 0x27, 0x00);
	} else if (rc < 0) {
		vtape_medium_error(d, cmd, true, fixed ? n - i : count);
	} else if (ew) {
		/* SSC-3 4.2.5: written, and past the early warning. */
		scst_set_cmd_error_stream(cmd, NO_SENSE, 0x00, 0x02,
					  SCST_SENSE_EOM, true, 0);
	}
}

static void vtape_write_filemarks(struct vtape_drive *d, struct scst_cmd *cmd)
{
	const uint8_t *cdb = scst_cmd_cdb(cmd);
	bool immed = cdb[1] & 0x01;
	uint32_t count;
	int rc = 0;

	if (cdb[0] == WRITE_FILEMARKS && (cdb[1] & 0x02)) {
		/* WMSK: setmarks are not supported. */
		scst_set_invalid_field_in_cdb(cmd, 1, 1);
		return;
	}
	count = scst_get_be24(cdb + (cdb[0] == WRITE_FILEMARKS_16 ? 12 : 2));
	if (count ? !vtape_check_writable(d, cmd) : !vtape_check_ready(d, cmd))
		return;
	if (cdb[0] == WRITE_FILEMARKS_16 && !vtape_locate16(d, cmd))
		return;
	if (count) {
		rc = vtape_cart_write_filemarks(d->cart, count);
		if (rc >= 0)
			d->dirty = true;
	}
	/* Without IMMED, WRITE FILEMARKS is a synchronizing operation. */
	if (rc >= 0 && !immed && vtape_sync(d))
		rc = -EIO;
	if (rc < 0)
		vtape_medium_error(d, cmd, true, count);
	else if (rc == 1)
		scst_set_cmd_error_stream(cmd, NO_SENSE, 0x00, 0x02,
					  SCST_SENSE_EOM, true, 0);
}

/* -------------------------------------------------------- positioning ---- */

/* Report how a SPACE or LOCATE ended. */
static void vtape_move_sense(struct scst_cmd *cmd, enum vtape_move_result r,
			     uint64_t residue)
{
	switch (r) {
	case VTAPE_MOVE_OK:
		break;
	case VTAPE_MOVE_FILEMARK:
		scst_set_cmd_error_stream(cmd, NO_SENSE, 0x00, 0x01,
					  SCST_SENSE_FILEMARK, true,
					  (int64_t)residue);
		break;
	case VTAPE_MOVE_EOD:
		scst_set_cmd_error_stream(cmd, BLANK_CHECK, 0x00, 0x05, 0, true,
					  (int64_t)residue);
		break;
	case VTAPE_MOVE_BOP:
		scst_set_cmd_error_stream(cmd, NO_SENSE, 0x00, 0x04,
					  SCST_SENSE_EOM, true,
					  (int64_t)residue);
		break;
	}
}

static void vtape_space(struct vtape_drive *d, struct scst_cmd *cmd)
{
	const uint8_t *cdb = scst_cmd_cdb(cmd);
	uint8_t code = cdb[1] & 0x0f;
	enum vtape_move_result r;
	uint64_t residue = 0;
	int64_t count;

	if (cdb[0] == SPACE_16) {
		if (scst_get_be16(cdb + 12)) {
			/* No parameter data is defined for us. */
			scst_set_invalid_field_in_cdb(cmd, 12, -1);
			return;
		}
		count = (int64_t)scst_get_be64(cdb + 4);
	} else {
		/* 24-bit two's complement. */
		count = (int32_t)(scst_get_be24(cdb + 2) << 8) >> 8;
	}
	if (code != VTAPE_SPACE_BLOCKS && code != VTAPE_SPACE_FILEMARKS &&
	    code != VTAPE_SPACE_EOD) {
		/* Sequential filemarks and setmarks are not supported. */
		scst_set_invalid_field_in_cdb(cmd, 1, 3);
		return;
	}
	if (!vtape_check_ready(d, cmd))
		return;
	if (vtape_sync(d)) {
		vtape_medium_error(d, cmd, true, 0);
		return;
	}
	if (count == 0 && code != VTAPE_SPACE_EOD)
		return;
	r = vtape_cart_space(d->cart, (enum vtape_space_code)code, count,
			     &residue);
	vtape_move_sense(cmd, r, residue);
}

static void vtape_locate(struct vtape_drive *d, struct scst_cmd *cmd)
{
	const uint8_t *cdb = scst_cmd_cdb(cmd);
	enum vtape_move_result r;
	uint64_t target, residue = 0;
	uint8_t dest = 0;

	if (cdb[0] == LOCATE_10) {
		if ((cdb[1] & 0x02) && !vtape_check_partition(cmd, cdb[8], 8))
			return;
		target = scst_get_be32(cdb + 3);
	} else {
		dest = (cdb[1] >> 3) & 0x07;
		if ((cdb[1] & 0x02) && !vtape_check_partition(cmd, cdb[3], 3))
			return;
		/* Logical object (0), logical file (1) or end of data (3). */
		if (dest != 0 && dest != 1 && dest != 3) {
			scst_set_invalid_field_in_cdb(cmd, 1, 5);
			return;
		}
		target = scst_get_be64(cdb + 4);
	}
	if (!vtape_check_ready(d, cmd))
		return;
	if (vtape_sync(d)) {
		vtape_medium_error(d, cmd, true, 0);
		return;
	}
	if (dest == 3) {
		vtape_cart_space(d->cart, VTAPE_SPACE_EOD, 1, &residue);
		return;
	}
	if (dest == 1) {
		/* File N starts after the Nth filemark. */
		vtape_cart_rewind(d->cart);
		r = target ? vtape_cart_space(d->cart, VTAPE_SPACE_FILEMARKS,
					      (int64_t)target, &residue)
			   : VTAPE_MOVE_OK;
	} else {
		r = vtape_cart_locate(d->cart, target);
	}
	/* SSC-3 7.4: end of data met: BLANK CHECK, positioned at EOD. */
	if (r == VTAPE_MOVE_EOD)
		scst_set_cmd_error(cmd, BLANK_CHECK, 0x00, 0x05);
}

/* READ POSITION (SSC-3 7.7), short, long and extended forms. */
static void vtape_read_position(struct vtape_drive *d, struct scst_cmd *cmd)
{
	const uint8_t *cdb = scst_cmd_cdb(cmd);
	uint8_t sa = cdb[1] & 0x1f, buf[32];
	uint64_t pos;
	uint8_t flags;

	if (!vtape_check_ready(d, cmd))
		return;
	pos = vtape_cart_pos(d->cart);
	/* BOP, EOP (between early warning and the end); BPU/LOLU clear. */
	flags =
	    (pos == 0 ? 0x80 : 0) | (vtape_cart_past_ew(d->cart) ? 0x40 : 0);
	memset(buf, 0, sizeof(buf));
	switch (sa) {
	case RP_SHORT_FORM_BLOCK_ID:
	case RP_SHORT_FORM_VENDOR:
		if (pos > UINT32_MAX) {
			/* PERR: the position does not fit the field. */
			buf[0] = flags | 0x02;
		} else {
			buf[0] = flags;
			scst_put_be32(buf + 4, (uint32_t)pos);
			scst_put_be32(buf + 8, (uint32_t)pos);
		}
		scst_cmd_copy_to_buf(cmd, buf, 20);
		return;
	case RP_LONG_FORM:
		buf[0] = flags & 0xc0;
		scst_put_be64(buf + 8, pos);
		scst_put_be64(buf + 16, vtape_cart_file_no(d->cart));
		scst_cmd_copy_to_buf(cmd, buf, 32);
		return;
	case RP_EXTENDED_FORM:
		buf[0] = flags;
		scst_put_be16(buf + 2, 0x1c);
		scst_put_be64(buf + 8, pos);
		scst_put_be64(buf + 16, pos);
		scst_cmd_copy_to_buf(cmd, buf, 32);
		return;
	default:
		scst_set_invalid_field_in_cdb(cmd, 1, 4);
		return;
	}
}

static void vtape_rewind(struct vtape_drive *d, struct scst_cmd *cmd)
{
	if (!vtape_check_ready(d, cmd))
		return;
	if (vtape_sync(d)) {
		vtape_medium_error(d, cmd, true, 0);
		return;
	}
	vtape_cart_rewind(d->cart);
}

/* LOAD UNLOAD (SSC-3 7.2). */
static void vtape_load_unload(struct vtape_drive *d, struct scst_cmd *cmd)
{
	uint8_t b4 = scst_cmd_cdb(cmd)[4];
	bool load = b4 & 0x01, eot = b4 & 0x04;
	char path[VTAPE_PATH_MAX], barcode[VTAPE_BARCODE_LEN + 1];
	int rc;

	if (load && eot) {
		scst_set_invalid_field_in_cdb(cmd, 4, 2);
		return;
	}
	if (load) {
		if (d->cart) {
			/* Already loaded: to BOP (RETEN: the same for us). */
			if (vtape_sync(d))
				vtape_medium_error(d, cmd, true, 0);
			else
				vtape_cart_rewind(d->cart);
			return;
		}
		scst_spin_lock(&d->lock);
		scst_snprintf(barcode, sizeof(barcode), "%s", d->barcode);
		rc = d->has_cart ? 0 : -ENOENT;
		scst_spin_unlock(&d->lock);
		if (rc) {
			scst_set_cmd_error(
			    cmd,
			    SCST_LOAD_SENSE(scst_sense_medium_not_present));
			return;
		}
		scst_snprintf(path, sizeof(path), "%s", d->cart_path);
		/* The other nexuses learn of it; this one asked for it. */
		rc = vtape_load_cart(d, path, barcode, scst_cmd_tgt_dev(cmd));
		if (rc)
			/* CANNOT READ MEDIUM - UNKNOWN FORMAT */
			scst_set_cmd_error(cmd, MEDIUM_ERROR, 0x30, 0x01);
		return;
	}
	if (!d->cart) {
		scst_set_cmd_error(
		    cmd, SCST_LOAD_SENSE(scst_sense_medium_not_present));
		return;
	}
	if (vtape_prevented(d)) {
		scst_set_cmd_error(cmd, ILLEGAL_REQUEST, 0x53, 0x02);
		return;
	}
	vtape_unload_cart(d, false);
}

static void vtape_erase(struct vtape_drive *d, struct scst_cmd *cmd)
{
	const uint8_t *cdb = scst_cmd_cdb(cmd);
	int rc;

	if (!vtape_check_writable(d, cmd))
		return;
	if (cdb[0] == ERASE_16 && !vtape_locate16(d, cmd))
		return;
	rc = vtape_cart_erase(d->cart, cdb[1] & 0x01);
	if (rc == 0)
		rc = vtape_cart_sync(d->cart);
	if (rc)
		vtape_medium_error(d, cmd, true, 0);
	else
		d->dirty = false;
}

bool vtape_ssc_exec(struct vtape_drive *d, struct scst_cmd *cmd)
{
	switch (scst_cmd_cdb(cmd)[0]) {
	case READ_6:
	case READ_16:
		vtape_read(d, cmd);
		return true;
	case WRITE_6:
	case WRITE_16:
		vtape_write(d, cmd);
		return true;
	case WRITE_FILEMARKS:
	case WRITE_FILEMARKS_16:
		vtape_write_filemarks(d, cmd);
		return true;
	case SPACE:
	case SPACE_16:
		vtape_space(d, cmd);
		return true;
	case LOCATE_10:
	case LOCATE_16:
		vtape_locate(d, cmd);
		return true;
	case READ_POSITION:
		vtape_read_position(d, cmd);
		return true;
	case REWIND:
		vtape_rewind(d, cmd);
		return true;
	case LOAD_UNLOAD:
		vtape_load_unload(d, cmd);
		return true;
	case ERASE:
	case ERASE_16:
		vtape_erase(d, cmd);
		return true;
	default:
		return false;
	}
}
