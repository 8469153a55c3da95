// SPDX-License-Identifier: GPL-2.0-only
/*
 * The cartridge's in-memory side (vtape_cart.h): state queries, the tape
 * positioning of SSC-3 SPACE and LOCATE, and the MAM byte counters. No
 * I/O here: the objects and filemarks were indexed by the scan in
 * vtape_cart_open() and are kept current by the writes (vtape_cart.c).
 *
 * SPACE rules (SSC-3 SPACE(6)/SPACE(16)): spacing over blocks stops at a
 * filemark, on its EOP side going forward and on its BOP side going backward,
 * with the blocks not spaced as the residue; at EOD or BOP likewise. Spacing
 * over filemarks ends after (forward) or before (backward) the last one spaced.
 * Filemark positions come from a sorted array: O(log n).
 */
#include <stdbool.h>
#include <stdint.h>

#include "dev_handlers/vtape/vtape_cart_priv.h"

/* ---------------------------------------------------------- state ---- */

uint64_t vtape_cart_pos(const struct vtape_cart *c)
{
	return c->pos;
}

uint64_t vtape_cart_nobjs(const struct vtape_cart *c)
{
	return c->nobjs;
}

uint64_t vtape_cart_file_no(const struct vtape_cart *c)
{
	return vc_fm_before(c, c->pos);
}

bool vtape_cart_write_protected(const struct vtape_cart *c)
{
	return c->wp;
}

void vtape_cart_set_write_protected(struct vtape_cart *c)
{
	c->wp = true;
}

uint64_t vtape_cart_capacity(const struct vtape_cart *c)
{
	return c->hdr.capacity;
}

uint64_t vtape_cart_used(const struct vtape_cart *c)
{
	return c->end - VC_DATA_START;
}

bool vtape_cart_past_ew(const struct vtape_cart *c)
{
	return vc_off(c, c->pos) - VC_DATA_START > c->ew;
}

const struct vtape_mam *vtape_cart_mam(const struct vtape_cart *c)
{
	return &c->mam;
}

enum vtape_obj_kind vtape_cart_obj(const struct vtape_cart *c, uint64_t n,
				   uint32_t *len)
{
	uint32_t l = n < c->nobjs ? c->objs[n].len : 0;

	if (len)
		*len = l;
	if (n >= c->nobjs)
		return VTAPE_OBJ_EOD;
	return l ? VTAPE_OBJ_BLOCK : VTAPE_OBJ_FILEMARK;
}
/* ---------------------------------------------------- positioning ---- */

static enum vtape_move_result vc_space_blocks(struct vtape_cart *c, bool back,
					      uint64_t n, uint64_t *res)
{
	uint64_t i = vc_fm_before(c, c->pos), stop, avail;

	if (!back) {
		stop = i < c->nfms ? c->fms[i] : c->nobjs;
		avail = stop - c->pos;
		if (n <= avail) {
			c->pos += n;
			return VTAPE_MOVE_OK;
		}
		*res = n - avail;
		c->pos = i < c->nfms ? stop + 1 : c->nobjs;
		return i < c->nfms ? VTAPE_MOVE_FILEMARK : VTAPE_MOVE_EOD;
	}
	stop = i ? c->fms[i - 1] + 1 : 0;
	avail = c->pos - stop;
	if (n <= avail) {
		c->pos -= n;
		return VTAPE_MOVE_OK;
	}
	*res = n - avail;
	c->pos = i ? stop - 1 : 0;
	return i ? VTAPE_MOVE_FILEMARK : VTAPE_MOVE_BOP;
}

static enum vtape_move_result vc_space_fms(struct vtape_cart *c, bool back,
					   uint64_t n, uint64_t *res)
{
	uint64_t i = vc_fm_before(c, c->pos);

	if (!back) {
		if (n <= c->nfms - i) {
			c->pos = c->fms[i + n - 1] + 1;
			return VTAPE_MOVE_OK;
		}
		*res = n - (c->nfms - i);
		c->pos = c->nobjs;
		return VTAPE_MOVE_EOD;
	}
	if (n <= i) {
		c->pos = c->fms[i - n];
		return VTAPE_MOVE_OK;
	}
	*res = n - i;
	c->pos = 0;
	return VTAPE_MOVE_BOP;
}

enum vtape_move_result vtape_cart_space(struct vtape_cart *c,
					enum vtape_space_code code,
					int64_t count, uint64_t *residue)
{
	bool back = count < 0;
	uint64_t n = back ? 0 - (uint64_t)count : (uint64_t)count, res = 0;
	enum vtape_move_result mr = VTAPE_MOVE_OK;

	switch (code) {
	case VTAPE_SPACE_BLOCKS:
		if (n)
			mr = vc_space_blocks(c, back, n, &res);
		break;
	case VTAPE_SPACE_FILEMARKS:
		if (n)
			mr = vc_space_fms(c, back, n, &res);
		break;
	case VTAPE_SPACE_EOD:
		c->pos = c->nobjs;
		break;
	default: /* not a code the drive lets through: no move */
		res = n;
		break;
	}
	if (residue)
		*residue = res;
	return mr;
}

enum vtape_move_result vtape_cart_locate(struct vtape_cart *c, uint64_t n)
{
	if (n > c->nobjs) {
		c->pos = c->nobjs;
		return VTAPE_MOVE_EOD;
	}
	c->pos = n;
	return VTAPE_MOVE_OK;
}

void vtape_cart_rewind(struct vtape_cart *c)
{
	c->pos = 0;
}
/* ------------------------------------------------------------ MAM ---- */

static void vc_count(uint64_t *mib, uint64_t *rem, uint64_t bytes, bool *dirty)
{
	uint64_t add = bytes / VC_MIB;

	*rem += bytes % VC_MIB;
	if (*rem >= VC_MIB) {
		*rem -= VC_MIB;
		add++;
	}
	if (add) {
		*mib += add;
		*dirty = true;
	}
}

void vtape_cart_account(struct vtape_cart *c, uint64_t written, uint64_t read)
{
	vc_count(&c->mam.mib_written, &c->wr_rem, written, &c->mam_dirty);
	vc_count(&c->mam.mib_read, &c->rd_rem, read, &c->mam_dirty);
}
