// SPDX-License-Identifier: GPL-2.0-only
/*
 * MODE SENSE and MODE SELECT of the virtual disk handlers (SPC-4 6.11-6.14,
 * 7.5). The mode pages are a table: each row fills its page for a page
 * control value (current, changeable, default) from a snapshot of the
 * device's mode state, and reads the changeable fields back from a page of
 * a MODE SELECT parameter list. MODE SELECT accepts a page whose bits
 * differ from the current values only where the changeable mask has ones.
 *
 * Pages: 01h read-write error recovery, 08h caching (disks), 0Ah control,
 * 1Ch informational exceptions control; none has subpages and none can be
 * saved.
 */
#include "vdisk_spc.h"

/* Page control values (SPC-4 6.11.1). */
enum vdisk_pc {
	VDISK_PC_CURRENT = 0,
	VDISK_PC_CHANGEABLE = 1,
	VDISK_PC_DEFAULT = 2,
	VDISK_PC_SAVED = 3,
};

#define MODE_PAGE_ALL	 0x3f
#define MODE_SUBPAGE_ALL 0xff

/* Device-specific parameter of the mode parameter header (SBC-3 6.5.1). */
#define MODE_DSP_WP	0x80
#define MODE_DSP_DPOFUA 0x10

/* Largest MODE SENSE response: header, long block descriptor, pages. */
#define VDISK_MODE_BUF 128

/* The mode parameters a MODE SELECT may change, snapshot under vd->lock. */
struct vdisk_mode_state {
	bool wce;
	bool d_sense;
	bool tas;
	bool swp;
	uint8_t tst;
};

struct vdisk_mode_page {
	uint8_t code;
	uint8_t len; /* whole page, header included */
	uint16_t kinds;
	/* Fill bytes 2.. of the page (zeroed) for @pc. */
	void (*fill)(const struct vdisk_mode_state *st, enum vdisk_pc pc,
		     uint8_t *p);
	/* Take the changeable fields of @p into @st (NULL: none). */
	void (*parse)(struct vdisk_mode_state *st, const uint8_t *p);
};

/* 01h: no recovery to control for a virtual device. */
static void vdisk_mp_err_recovery(const struct vdisk_mode_state *st,
				  enum vdisk_pc pc, uint8_t *p)
{
	(void)st;
	(void)pc;
	(void)p;
}

/* 08h caching: WCE is the write-back cache (!write_through). */
static void vdisk_mp_caching(const struct vdisk_mode_state *st,
			     enum vdisk_pc pc, uint8_t *p)
{
	switch (pc) {
	case VDISK_PC_CURRENT:
		p[2] = st->wce ? 0x04 : 0;
		break;
	case VDISK_PC_CHANGEABLE:
		p[2] = 0x04;
		break;
	default:
		p[2] = 0x04; /* SCST's default: write_through=0 */
		break;
	}
}

static void vdisk_mp_caching_parse(struct vdisk_mode_state *st,
				   const uint8_t *p)
{
	st->wce = p[2] & 0x04;
}

/* 0Ah control: TST, QAM 1, D_SENSE, SWP and TAS changeable. */
static void vdisk_mp_control(const struct vdisk_mode_state *st,
			     enum vdisk_pc pc, uint8_t *p)
{
	switch (pc) {
	case VDISK_PC_CURRENT:
		p[2] = (uint8_t)(st->tst << 5 | (st->d_sense ? 0x04 : 0));
		p[3] = 0x10; /* QUEUE ALGORITHM MODIFIER 1, QERR 00b */
		p[4] = st->swp ? 0x08 : 0;
		p[5] = st->tas ? 0x40 : 0;
		break;
	case VDISK_PC_CHANGEABLE:
		p[2] = 0x04; /* D_SENSE */
		p[4] = 0x08; /* SWP */
		p[5] = 0x40; /* TAS */
		break;
	default:
		p[2] = (uint8_t)(st->tst << 5);
		p[3] = 0x10;
		break;
	}
}

static void vdisk_mp_control_parse(struct vdisk_mode_state *st,
				   const uint8_t *p)
{
	st->d_sense = p[2] & 0x04;
	st->swp = p[4] & 0x08;
	st->tas = p[5] & 0x40;
}

/* 1Ch informational exceptions control: DEXCPT, none are reported. */
static void vdisk_mp_iec(const struct vdisk_mode_state *st, enum vdisk_pc pc,
			 uint8_t *p)
{
	(void)st;
	if (pc != VDISK_PC_CHANGEABLE)
		p[2] = 0x08;
}

static const struct vdisk_mode_page vdisk_mode_pages[] = {
    {0x01, 12, VDISK_K_ALL, vdisk_mp_err_recovery, NULL},
    {0x08, 20, VDISK_K_DISKS, vdisk_mp_caching, vdisk_mp_caching_parse},
    {0x0a, 12, VDISK_K_ALL, vdisk_mp_control, vdisk_mp_control_parse},
    {0x1c, 12, VDISK_K_ALL, vdisk_mp_iec, NULL},
};

#define VDISK_NPAGES (sizeof(vdisk_mode_pages) / sizeof(vdisk_mode_pages[0]))

static const struct vdisk_mode_page *
vdisk_mode_page_find(const struct vdisk_dev *vd, uint8_t code)
{
	unsigned int i;

	for (i = 0; i < VDISK_NPAGES; i++)
		if (vdisk_mode_pages[i].code == code &&
		    (vdisk_mode_pages[i].kinds & VDISK_K(vd->kind)))
			return &vdisk_mode_pages[i];
	return NULL;
}

/* Page @mp for @pc at @p; returns its length. */
static unsigned int vdisk_mode_page_put(const struct vdisk_mode_page *mp,
					const struct vdisk_mode_state *st,
					enum vdisk_pc pc, uint8_t *p)
{
	memset(p, 0, mp->len);
	p[0] = mp->code; /* PS 0: not saveable; SPF 0 */
	p[1] = (uint8_t)(mp->len - 2);
	mp->fill(st, pc, p);
	return mp->len;
}

static void vdisk_mode_snapshot(struct vdisk_dev *vd,
				struct vdisk_mode_state *st)
{
	scst_spin_lock(&vd->lock);
	st->wce = vd->wce;
	st->d_sense = vd->d_sense;
	st->tas = vd->tas;
	st->swp = vd->swp;
	scst_spin_unlock(&vd->lock);
	st->tst = vdisk_spc_tst(vd);
}

/* ------------------------------------------------------- MODE SENSE ---- */

/* The block descriptor at @p (short: 8 bytes, long: 16); its length. */
static unsigned int vdisk_mode_bd(const struct vdisk_dev *vd, bool longlba,
				  uint8_t *p)
{
	if (longlba) {
		memset(p, 0, 16);
		scst_put_be64(p, vd->nblocks);
		scst_put_be32(p + 12, vd->block_size);
		return 16;
	}
	memset(p, 0, 8);
	scst_put_be32(p, vd->nblocks > 0xffffffffu ? 0xffffffffu
						   : (uint32_t)vd->nblocks);
	scst_put_be24(p + 5, vd->block_size);
	return 8;
}

int vdisk_spc_mode_sense(struct scst_cmd *cmd, struct vdisk_dev *vd)
{
	const uint8_t *cdb = scst_cmd_cdb(cmd);
	bool ten = cdb[0] == MODE_SENSE_10;
	bool dbd = cdb[1] & 0x08, llbaa = ten && (cdb[1] & 0x10);
	enum vdisk_pc pc = (enum vdisk_pc)(cdb[2] >> 6);
	uint8_t code = cdb[2] & 0x3f, sub = cdb[3];
	unsigned int hdr = ten ? 8 : 4, off = hdr, bdlen = 0, i;
	const struct vdisk_mode_page *mp;
	struct vdisk_mode_state st;
	uint8_t buf[VDISK_MODE_BUF], dsp = 0;

	if (pc == VDISK_PC_SAVED) {
		scst_set_cmd_error(
		    cmd, SCST_LOAD_SENSE(scst_sense_saving_params_unsup));
		return VDISK_DONE;
	}
	/* No page has subpages: 00h and "all subpages" give page_0. */
	if (sub != 0 && sub != MODE_SUBPAGE_ALL) {
		scst_set_invalid_field_in_cdb(cmd, 3, -1);
		return VDISK_DONE;
	}
	memset(buf, 0, sizeof(buf));
	vdisk_mode_snapshot(vd, &st);
	/* Block descriptors are for disks (MMC-6 uses none). */
	if (!dbd && vdisk_spc_is_disk(vd)) {
		bdlen = vdisk_mode_bd(vd, llbaa, buf + off);
		off += bdlen;
	}
	if (code == MODE_PAGE_ALL) {
		for (i = 0; i < VDISK_NPAGES; i++)
			if (vdisk_mode_pages[i].kinds & VDISK_K(vd->kind))
				off += vdisk_mode_page_put(&vdisk_mode_pages[i],
							   &st, pc, buf + off);
	} else {
		mp = vdisk_mode_page_find(vd, code);
		if (!mp) {
			scst_set_invalid_field_in_cdb(cmd, 2, 5);
			return VDISK_DONE;
		}
		off += vdisk_mode_page_put(mp, &st, pc, buf + off);
	}
	if (vd->read_only || st.swp || scst_cmd_read_only(cmd))
		dsp |= MODE_DSP_WP;
	if (vdisk_spc_is_disk(vd))
		dsp |= MODE_DSP_DPOFUA;
	if (ten) {
		scst_put_be16(buf, (uint16_t)(off - 2));
		buf[3] = dsp;
		buf[4] = bdlen == 16 ? 0x01 : 0; /* LONGLBA */
		scst_put_be16(buf + 6, (uint16_t)bdlen);
	} else {
		buf[0] = (uint8_t)(off - 1);
		buf[2] = dsp;
		buf[3] = (uint8_t)bdlen;
	}
	scst_cmd_copy_to_buf(cmd, buf, off);
	return VDISK_DONE;
}

/* ------------------------------------------------------ MODE SELECT ---- */

/* The most significant bit set in @v (non-zero). */
static int vdisk_top_bit(uint8_t v)
{
	int bit = 7;

	while (!(v & (1u << bit)))
		bit--;
	return bit;
}

/*
 * The block descriptor at @bd (@len bytes) of a MODE SELECT list: only the
 * current block size is accepted. @bd_off is its offset in the list, @len_off
 * that of the BLOCK DESCRIPTOR LENGTH field. False with the sense set.
 */
static bool vdisk_mode_select_bd(struct scst_cmd *cmd, struct vdisk_dev *vd,
				 const uint8_t *bd, unsigned int len,
				 bool longlba, unsigned int bd_off,
				 unsigned int len_off)
{
	uint32_t bs;

	if (!vdisk_spc_is_disk(vd) || len != (longlba ? 16u : 8u)) {
		scst_set_invalid_field_in_parm_list(cmd, len_off, -1);
		return false;
	}
	bs = longlba ? scst_get_be32(bd + 12) : scst_get_be24(bd + 5);
	if (bs != vd->block_size) {
		scst_set_invalid_field_in_parm_list(
		    cmd, bd_off + (longlba ? 12 : 5), -1);
		return false;
	}
	return true;
}

/*
 * Check the page at offset @off of @list against the current values and
 * take its changeable fields into @st. Returns the page's length, or 0 with
 * the sense set.
 */
static unsigned int vdisk_mode_select_page(struct scst_cmd *cmd,
					   struct vdisk_dev *vd,
					   const uint8_t *list,
					   unsigned int size, unsigned int off,
					   const struct vdisk_mode_state *cur,
					   struct vdisk_mode_state *st)
{
	const uint8_t *p = list + off;
	const struct vdisk_mode_page *mp;
	uint8_t curp[32], chg[32], diff;
	unsigned int i;

	if (size - off < 2) {
		scst_set_cmd_error(
		    cmd,
		    SCST_LOAD_SENSE(scst_sense_parameter_list_length_invalid));
		return 0;
	}
	if (p[0] & 0x40) { /* SPF: no page has subpages */
		scst_set_invalid_field_in_parm_list(cmd, off, 6);
		return 0;
	}
	mp = vdisk_mode_page_find(vd, p[0] & 0x3f);
	if (!mp) {
		scst_set_invalid_field_in_parm_list(cmd, off, 5);
		return 0;
	}
	if (p[1] != mp->len - 2) {
		scst_set_invalid_field_in_parm_list(cmd, off + 1, -1);
		return 0;
	}
	if (size - off < mp->len) {
		scst_set_cmd_error(
		    cmd,
		    SCST_LOAD_SENSE(scst_sense_parameter_list_length_invalid));
		return 0;
	}
	vdisk_mode_page_put(mp, cur, VDISK_PC_CURRENT, curp);
	vdisk_mode_page_put(mp, cur, VDISK_PC_CHANGEABLE, chg);
	for (i = 2; i < mp->len; i++) {
		diff = (uint8_t)((p[i] ^ curp[i]) & ~chg[i]);
		if (diff) {
			scst_set_invalid_field_in_parm_list(
			    cmd, off + i, vdisk_top_bit(diff));
			return 0;
		}
	}
	if (mp->parse)
		mp->parse(st, p);
	return mp->len;
}

/* Make @st the device's mode state; true if anything changed. */
static bool vdisk_mode_apply(struct vdisk_dev *vd,
			     const struct vdisk_mode_state *st)
{
	bool changed;

	scst_spin_lock(&vd->lock);
	changed = vd->wce != st->wce || vd->d_sense != st->d_sense ||
		  vd->tas != st->tas || vd->swp != st->swp;
	vd->wce = st->wce;
	vd->write_through = !st->wce;
	vd->d_sense = st->d_sense;
	vd->tas = st->tas;
	vd->swp = st->swp;
	scst_spin_unlock(&vd->lock);
	/* The core builds sense data and aborts tasks by these. */
	scst_dev_set_d_sense(vd->dev, st->d_sense);
	scst_dev_set_tas(vd->dev, st->tas);
	return changed;
}

static int vdisk_mode_select_list(struct scst_cmd *cmd, struct vdisk_dev *vd,
				  const uint8_t *list, unsigned int size,
				  bool ten)
{
	unsigned int hdr = ten ? 8 : 4, bdlen, off, n;
	struct vdisk_mode_state cur, st;
	bool longlba = false;

	if (size < hdr) {
		scst_set_cmd_error(
		    cmd,
		    SCST_LOAD_SENSE(scst_sense_parameter_list_length_invalid));
		return VDISK_DONE;
	}
	if (ten) {
		bdlen = scst_get_be16(list + 6);
		longlba = list[4] & 0x01;
	} else {
		bdlen = list[3];
	}
	if (size - hdr < bdlen) {
		scst_set_cmd_error(
		    cmd,
		    SCST_LOAD_SENSE(scst_sense_parameter_list_length_invalid));
		return VDISK_DONE;
	}
	if (bdlen && !vdisk_mode_select_bd(cmd, vd, list + hdr, bdlen, longlba,
					   hdr, ten ? 6 : 3))
		return VDISK_DONE;
	vdisk_mode_snapshot(vd, &cur);
	st = cur;
	/* Check every page before changing anything. */
	for (off = hdr + bdlen; off < size; off += n) {
		n = vdisk_mode_select_page(cmd, vd, list, size, off, &cur, &st);
		if (!n)
			return VDISK_DONE;
	}
	if (vdisk_mode_apply(vd, &st)) {
		/* SPC-4 7.5.1: MODE PARAMETERS CHANGED for every I_T nexus
		 * but the one that made the change. */
		scst_dev_set_ua_except(
		    vd->dev, scst_cmd_tgt_dev(cmd),
		    SCST_LOAD_SENSE(scst_sense_mode_changed_UA));
	}
	return VDISK_DONE;
}

int vdisk_spc_mode_select(struct scst_cmd *cmd, struct vdisk_dev *vd)
{
	const uint8_t *cdb = scst_cmd_cdb(cmd);
	bool ten = cdb[0] == MODE_SELECT_10;
	uint32_t size = scst_cmd_bufflen(cmd);
	uint8_t *list;
	int rc;

	if (!(cdb[1] & 0x10)) { /* PF: only SPC page formats */
		scst_set_invalid_field_in_cdb(cmd, 1, 4);
		return VDISK_DONE;
	}
	if (cdb[1] & 0x01) { /* SP: no page is saveable (SPC-4 6.11) */
		scst_set_invalid_field_in_cdb(cmd, 1, 0);
		return VDISK_DONE;
	}
	if (!size)
		return VDISK_DONE;
	list = scst_os_alloc(size);
	if (!list) {
		scst_set_cmd_error_status(cmd, SAM_STAT_BUSY);
		return VDISK_DONE;
	}
	size = scst_cmd_copy_from_buf(cmd, list, size);
	rc = vdisk_mode_select_list(cmd, vd, list, size, ten);
	scst_os_free(list);
	return rc;
}
