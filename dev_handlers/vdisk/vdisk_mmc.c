// SPDX-License-Identifier: GPL-2.0-only
/*
 * MMC-6 for vcdrom: a read-only CD-ROM or DVD-ROM holding one data track
 * (the image file, 2048-byte blocks) in one complete session.
 *
 * The medium itself (inserting and removing images through the filename
 * attribute) belongs to vdisk_main.c; this file answers the MMC commands
 * from vd->media_present and the geometry, and keeps the one piece of MMC
 * state of its own: the pending media class event of GET EVENT STATUS
 * NOTIFICATION, stored in vd->mmc_priv as a small integer (no allocation,
 * so nothing to free with the device). Events are per device, not per
 * I_T nexus: the first initiator that polls consumes them.
 *
 * vdisk_main.c already refuses the commands that need a medium when there
 * is none (NOT READY, MEDIUM NOT PRESENT); the functions here check again
 * under vd->lock because an eject may have happened in between.
 */
#include "dev_handlers/vdisk/vdisk.h"
#include "dev_handlers/vdisk/vdisk_mmc.h"

/* Media class event codes (MMC-6 GET EVENT STATUS NOTIFICATION). */
enum {
	MMC_EV_NO_CHANGE = 0,
	MMC_EV_EJECT_REQUEST = 1,
	MMC_EV_NEW_MEDIA = 2,
	MMC_EV_MEDIA_REMOVAL = 3,
};

/* Notification classes: the class number and its bit in the request. */
#define MMC_CLASS_MEDIA	    4
#define MMC_CLASS_MEDIA_BIT (1u << MMC_CLASS_MEDIA)

/* Profiles. */
#define MMC_PROFILE_NONE    0x0000
#define MMC_PROFILE_CD_ROM  0x0008
#define MMC_PROFILE_DVD_ROM 0x0010

/* Lead-out track number, and the ADR/CONTROL byte of a data track. */
#define MMC_LEAD_OUT	  0xaa
#define MMC_ADR_CTRL_DATA 0x14

#define MMC_BLOCK_SIZE 2048u

/*
 * vd->mmc_priv, under vd->lock: bits 3-0 the pending media event, bit 4
 * set once a poll has seen the medium, bit 5 whether it was present then.
 * A change of presence between two polls that nobody announced (through
 * vdisk_mmc_media_changed() or START STOP UNIT) still becomes an event.
 */
#define MMC_EV_MASK	0x0fu
#define MMC_SEEN	0x10u
#define MMC_WAS_PRESENT 0x20u

static unsigned int mmc_priv_get(const struct vdisk_dev *vd)
{
	return (unsigned int)(uintptr_t)vd->mmc_priv;
}

static void mmc_priv_put(struct vdisk_dev *vd, unsigned int v)
{
	vd->mmc_priv = (void *)(uintptr_t)v;
}

/* Record event @ev; vd->lock held. */
static void mmc_event_set(struct vdisk_dev *vd, unsigned int ev)
{
	mmc_priv_put(vd, (mmc_priv_get(vd) & ~MMC_EV_MASK) | ev);
}

/* Take the event to report, remembering what the poll saw. */
static unsigned int mmc_event_take(struct vdisk_dev *vd, bool present)
{
	unsigned int v = mmc_priv_get(vd), ev = v & MMC_EV_MASK;

	if (!ev && (v & MMC_SEEN) && !(v & MMC_WAS_PRESENT) != !present)
		ev = present ? MMC_EV_NEW_MEDIA : MMC_EV_MEDIA_REMOVAL;
	mmc_priv_put(vd, MMC_SEEN | (present ? MMC_WAS_PRESENT : 0));
	return ev;
}

void vdisk_mmc_media_changed(struct vdisk_dev *vd, bool present)
{
	scst_spin_lock(&vd->lock);
	mmc_event_set(vd, present ? MMC_EV_NEW_MEDIA : MMC_EV_MEDIA_REMOVAL);
	scst_spin_unlock(&vd->lock);
}

/* A snapshot of the medium, taken under the lock. */
struct mmc_state {
	bool present;
	uint64_t nblocks;
	uint32_t block_size;
};

static void mmc_snapshot(struct vdisk_dev *vd, struct mmc_state *st)
{
	scst_spin_lock(&vd->lock);
	st->present = vd->media_present;
	st->nblocks = vd->nblocks;
	st->block_size = vd->block_size;
	scst_spin_unlock(&vd->lock);
}

/* NOT READY, MEDIUM NOT PRESENT unless there is a medium. */
static bool mmc_need_media(struct scst_cmd *cmd, struct vdisk_dev *vd,
			   struct mmc_state *st)
{
	mmc_snapshot(vd, st);
	if (!st->present) {
		scst_set_cmd_error(
		    cmd, SCST_LOAD_SENSE(scst_sense_medium_not_present));
		return false;
	}
	return true;
}

static uint16_t mmc_profile(const struct mmc_state *st)
{
	if (!st->present)
		return MMC_PROFILE_NONE;
	return st->nblocks > VDISK_MMC_CD_MAX_BLOCKS ? MMC_PROFILE_DVD_ROM
						     : MMC_PROFILE_CD_ROM;
}

/* Send @len bytes of @buf, cut to the allocation length. */
static int mmc_reply(struct scst_cmd *cmd, const uint8_t *buf, uint32_t len)
{
	uint32_t alloc = scst_cmd_bufflen(cmd);

	scst_cmd_copy_to_buf(cmd, buf, len < alloc ? len : alloc);
	return VDISK_DONE;
}

/* An address in a TOC descriptor: LBA, or MSF (with the 2 s pregap). */
static void mmc_put_addr(uint8_t *p, uint64_t lba, bool msf)
{
	if (!msf) {
		scst_put_be32(p,
			      lba > 0xffffffffu ? 0xffffffffu : (uint32_t)lba);
		return;
	}
	lba += 150;
	p[0] = 0;
	p[1] = lba / (60 * 75) > 0xff ? 0xff : (uint8_t)(lba / (60 * 75));
	p[2] = (uint8_t)(lba / 75 % 60);
	p[3] = (uint8_t)(lba % 75);
}

/* ------------------------------------------------------- READ TOC ---- */

static int mmc_read_toc(struct scst_cmd *cmd, struct vdisk_dev *vd)
{
	const uint8_t *cdb = scst_cmd_cdb(cmd);
	bool msf = cdb[1] & 0x02;
	unsigned int format = cdb[2] & 0x0f;
	unsigned int track = cdb[6];
	struct mmc_state st;
	uint8_t buf[4 + 2 * 8];
	unsigned int len = 4;

	/* SFF-8020 hosts put the format in the vendor bits of byte 9. */
	if (!format && (cdb[9] & 0xc0))
		format = cdb[9] >> 6;
	if (format > 1) {
		scst_set_invalid_field_in_cdb(cmd, 2, 3);
		return VDISK_DONE;
	}
	if (!mmc_need_media(cmd, vd, &st))
		return VDISK_DONE;
	memset(buf, 0, sizeof(buf));
	buf[2] = 1; /* first track / first complete session */
	buf[3] = 1; /* last track / last complete session */
	if (format == 0) {
		if (track > 1 && track != MMC_LEAD_OUT) {
			scst_set_invalid_field_in_cdb(cmd, 6, 7);
			return VDISK_DONE;
		}
		if (track <= 1) {
			buf[len + 1] = MMC_ADR_CTRL_DATA;
			buf[len + 2] = 1;
			mmc_put_addr(&buf[len + 4], 0, msf);
			len += 8;
		}
		buf[len + 1] = MMC_ADR_CTRL_DATA;
		buf[len + 2] = MMC_LEAD_OUT;
		mmc_put_addr(&buf[len + 4], st.nblocks, msf);
		len += 8;
	} else {
		/* Session information: the first track of the last session. */
		buf[len + 1] = MMC_ADR_CTRL_DATA;
		buf[len + 2] = 1;
		mmc_put_addr(&buf[len + 4], 0, msf);
		len += 8;
	}
	scst_put_be16(buf, (uint16_t)(len - 2));
	return mmc_reply(cmd, buf, len);
}

/* ---------------------------------------------- GET CONFIGURATION ---- */

struct mmc_feature {
	uint16_t code;
	uint8_t version;
	bool persistent;
	bool current;
	uint8_t len; /* additional length, a multiple of 4 */
	uint8_t data[8];
};

/* The features of the drive, in ascending order of feature code. */
static unsigned int mmc_features(const struct mmc_state *st,
				 struct mmc_feature *f)
{
	uint16_t profile = mmc_profile(st);
	unsigned int n = 0;

	memset(f, 0, 6 * sizeof(*f));
	/* 0000h Profile List: DVD-ROM and CD-ROM, the current one marked. */
	f[n].code = 0x0000;
	f[n].persistent = true;
	f[n].current = true;
	f[n].len = 8;
	scst_put_be16(&f[n].data[0], MMC_PROFILE_DVD_ROM);
	f[n].data[2] = profile == MMC_PROFILE_DVD_ROM;
	scst_put_be16(&f[n].data[4], MMC_PROFILE_CD_ROM);
	f[n].data[6] = profile == MMC_PROFILE_CD_ROM;
	n++;
	/* 0001h Core: SCSI family interface, INQ2 (full INQUIRY data). */
	f[n].code = 0x0001;
	f[n].version = 2;
	f[n].persistent = true;
	f[n].current = true;
	f[n].len = 8;
	scst_put_be32(&f[n].data[0], 1);
	f[n].data[4] = 0x02;
	n++;
	/* 0002h Morphing: no asynchronous events, no OCEvent. */
	f[n].code = 0x0002;
	f[n].version = 1;
	f[n].persistent = true;
	f[n].current = true;
	f[n].len = 4;
	n++;
	/* 0003h Removable Medium: tray, Eject, Lock. */
	f[n].code = 0x0003;
	f[n].persistent = true;
	f[n].current = true;
	f[n].len = 4;
	f[n].data[0] = (1u << 5) | 0x08 | 0x01;
	n++;
	/* 0010h Random Readable: 2048-byte blocks. */
	f[n].code = 0x0010;
	f[n].current = st->present;
	f[n].len = 8;
	scst_put_be32(&f[n].data[0], MMC_BLOCK_SIZE);
	scst_put_be16(&f[n].data[4], profile == MMC_PROFILE_DVD_ROM ? 16 : 1);
	n++;
	/* 001Fh DVD Read: no DVD+R DL, no DVD-R DL, no DVD-RW DL. */
	f[n].code = 0x001f;
	f[n].version = 1;
	f[n].current = profile == MMC_PROFILE_DVD_ROM;
	f[n].len = 4;
	n++;
	return n;
}

static int mmc_get_configuration(struct scst_cmd *cmd, struct vdisk_dev *vd)
{
	const uint8_t *cdb = scst_cmd_cdb(cmd);
	unsigned int rt = cdb[1] & 0x03;
	uint16_t start = scst_get_be16(&cdb[2]);
	struct mmc_feature f[6];
	struct mmc_state st;
	uint8_t buf[8 + 6 * 12];
	unsigned int n, i, len = 8;

	if (rt == 3) {
		scst_set_invalid_field_in_cdb(cmd, 1, 1);
		return VDISK_DONE;
	}
	mmc_snapshot(vd, &st);
	n = mmc_features(&st, f);
	memset(buf, 0, sizeof(buf));
	for (i = 0; i < n; i++) {
		uint8_t *d = &buf[len];

		if (rt == 2 ? f[i].code != start : f[i].code < start)
			continue;
		if (rt == 1 && !f[i].current)
			continue;
		scst_put_be16(d, f[i].code);
		d[2] = (uint8_t)(f[i].version << 2 | f[i].persistent << 1 |
				 f[i].current);
		d[3] = f[i].len;
		memcpy(&d[4], f[i].data, f[i].len);
		len += 4u + f[i].len;
	}
	scst_put_be32(buf, len - 4);
	scst_put_be16(&buf[6], mmc_profile(&st));
	return mmc_reply(cmd, buf, len);
}

/* ---------------------------------- GET EVENT STATUS NOTIFICATION ---- */

static int mmc_get_event_status(struct scst_cmd *cmd, struct vdisk_dev *vd)
{
	const uint8_t *cdb = scst_cmd_cdb(cmd);
	uint8_t buf[8];
	unsigned int ev;
	bool present;

	/* Asynchronous operation (POLLED zero) is not supported. */
	if (!(cdb[1] & 0x01)) {
		scst_set_invalid_field_in_cdb(cmd, 1, 0);
		return VDISK_DONE;
	}
	memset(buf, 0, sizeof(buf));
	buf[3] = MMC_CLASS_MEDIA_BIT; /* supported event classes */
	if (!(cdb[4] & MMC_CLASS_MEDIA_BIT)) {
		/* No Event Available: none of the requested classes. */
		scst_put_be16(buf, 2);
		buf[2] = 0x80;
		return mmc_reply(cmd, buf, 4);
	}
	scst_spin_lock(&vd->lock);
	present = vd->media_present;
	/* Reported events are consumed (polled operation). */
	ev = mmc_event_take(vd, present);
	scst_spin_unlock(&vd->lock);
	scst_put_be16(buf, 6);
	buf[2] = MMC_CLASS_MEDIA;
	buf[4] = (uint8_t)ev;
	/* MEDIA PRESENT; DOOR OR TRAY OPEN when there is none. */
	buf[5] = present ? 0x02 : 0x01;
	return mmc_reply(cmd, buf, sizeof(buf));
}

/* ------------------------------------------ READ DISC INFORMATION ---- */

static int mmc_read_disc_information(struct scst_cmd *cmd, struct vdisk_dev *vd)
{
	const uint8_t *cdb = scst_cmd_cdb(cmd);
	struct mmc_state st;
	uint8_t buf[34];

	/* Only DATA TYPE 000b, standard disc information. */
	if (cdb[1] & 0x07) {
		scst_set_invalid_field_in_cdb(cmd, 1, 2);
		return VDISK_DONE;
	}
	if (!mmc_need_media(cmd, vd, &st))
		return VDISK_DONE;
	memset(buf, 0, sizeof(buf));
	scst_put_be16(buf, sizeof(buf) - 2);
	/* Not erasable, last session complete, disc finalized. */
	buf[2] = (3u << 2) | 2u;
	buf[3] = 1;    /* first track on the disc */
	buf[4] = 1;    /* sessions (LSB) */
	buf[5] = 1;    /* first track in the last session (LSB) */
	buf[6] = 1;    /* last track in the last session (LSB) */
	buf[8] = 0x00; /* disc type: CD-DA or CD-ROM */
	/* Lead-in / last possible lead-out: none on a complete disc. */
	scst_put_be32(&buf[16], 0xffffffffu);
	scst_put_be32(&buf[20], 0xffffffffu);
	return mmc_reply(cmd, buf, sizeof(buf));
}

/* ---------------------------------------------- MECHANISM STATUS ---- */

static int mmc_mechanism_status(struct scst_cmd *cmd, struct vdisk_dev *vd)
{
	struct mmc_state st;
	uint8_t buf[8];

	mmc_snapshot(vd, &st);
	memset(buf, 0, sizeof(buf));
	/* No fault, changer ready, slot 0; mechanism idle; door state. */
	buf[1] = st.present ? 0x00 : 0x10;
	/* CURRENT LBA (obsolete), no slots, no slot table. */
	return mmc_reply(cmd, buf, sizeof(buf));
}

/* ------------------------------------------- READ CAPACITY, READ ---- */

static int mmc_read_capacity(struct scst_cmd *cmd, struct vdisk_dev *vd)
{
	const uint8_t *cdb = scst_cmd_cdb(cmd);
	struct mmc_state st;
	uint8_t buf[8];
	uint64_t last;

	/* Without PMI the LOGICAL BLOCK ADDRESS must be zero. */
	if (!(cdb[8] & 0x01) && scst_get_be32(&cdb[2])) {
		scst_set_invalid_field_in_cdb(cmd, 2, -1);
		return VDISK_DONE;
	}
	if (!mmc_need_media(cmd, vd, &st))
		return VDISK_DONE;
	last = st.nblocks ? st.nblocks - 1 : 0;
	scst_put_be32(buf, last > 0xffffffffu ? 0xffffffffu : (uint32_t)last);
	scst_put_be32(&buf[4], st.block_size);
	return mmc_reply(cmd, buf, sizeof(buf));
}

static int mmc_read(struct scst_cmd *cmd, struct vdisk_dev *vd)
{
	uint64_t lba = scst_cmd_lba(cmd);
	uint32_t n = scst_cmd_num_blocks(cmd);
	struct mmc_state st;

	if (!mmc_need_media(cmd, vd, &st))
		return VDISK_DONE;
	if (!vdisk_check_range(cmd, vd, lba, n))
		return VDISK_DONE;
	if (!n)
		return VDISK_DONE;
	return vdisk_rw_blocks(cmd, vd, VDISK_IO_READ, lba, n, 0, false);
}

/* ------------------------------------------------ START STOP UNIT ---- */

static int mmc_start_stop(struct scst_cmd *cmd, struct vdisk_dev *vd)
{
	const uint8_t *cdb = scst_cmd_cdb(cmd);
	bool loej = cdb[4] & 0x02, start = cdb[4] & 0x01;

	/* A power condition other than START_VALID: LOEJ/START ignored. */
	if (cdb[4] >> 4)
		return VDISK_DONE;
	scst_spin_lock(&vd->lock);
	if (!loej) {
		vd->stopped = !start;
	} else if (!start) {
		/* Eject. The image stays in the tray (filename unchanged). */
		if (scst_dev_prevented(vd->dev)) {
			scst_spin_unlock(&vd->lock);
			/* MEDIUM REMOVAL PREVENTED */
			scst_set_cmd_error(cmd, ILLEGAL_REQUEST, 0x53, 0x02);
			return VDISK_DONE;
		}
		if (vd->media_present) {
			vd->media_present = false;
			mmc_event_set(vd, MMC_EV_MEDIA_REMOVAL);
		}
		vd->stopped = true;
	} else {
		/* Load: close the tray on the image it still holds. */
		if (!vd->media_present && vd->filename) {
			vd->media_present = true;
			mmc_event_set(vd, MMC_EV_NEW_MEDIA);
		}
		vd->stopped = false;
	}
	scst_spin_unlock(&vd->lock);
	return VDISK_DONE;
}

/* --------------------------------------------------------- table ---- */

#define MMC_OP(op, f)                                                          \
	{                                                                      \
		.opcode = (op), .sa = -1, .kinds = VDISK_K(VDISK_CDROM),       \
		.fn = (f)                                                      \
	}

const struct vdisk_op vdisk_mmc_ops[] = {
    MMC_OP(START_STOP, mmc_start_stop),
    MMC_OP(READ_CAPACITY, mmc_read_capacity),
    MMC_OP(READ_10, mmc_read),
    MMC_OP(READ_TOC, mmc_read_toc),
    MMC_OP(GET_CONFIGURATION, mmc_get_configuration),
    MMC_OP(GET_EVENT_STATUS_NOTIFICATION, mmc_get_event_status),
    MMC_OP(READ_DISC_INFORMATION, mmc_read_disc_information),
    MMC_OP(READ_12, mmc_read),
    MMC_OP(MECHANISM_STATUS, mmc_mechanism_status),
    {.fn = NULL},
};
