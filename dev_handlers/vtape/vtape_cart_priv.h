/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * The cartridge's in-memory state, shared by vtape_cart.c (the on-disk
 * format, open, read, write, erase, the header) and vtape_cart_state.c
 * (state, positioning, MAM counters: no I/O). Nothing outside these two
 * files includes it.
 */
#ifndef VTAPE_CART_PRIV_H
#define VTAPE_CART_PRIV_H

#include <stdbool.h>
#include <stdint.h>

#include "dev_handlers/vtape/vtape_cart.h"

#define VC_DATA_START 8192u /* the first record */
#define VC_MIB	      (1ull << 20)

struct vc_hdr {
	uint64_t seq;
	uint64_t capacity;
	uint64_t max_epoch;
	uint32_t flags;
	struct vtape_mam mam;
};

/* One logical object: its record at @off; @len 0 is a filemark. */
struct vc_obj {
	uint64_t off;
	uint32_t len;
	uint32_t dcrc;
};

struct vtape_cart {
	struct vtape_store *st;
	struct vc_hdr hdr;    /* as last made durable */
	unsigned int slot;    /* the slot holding hdr */
	struct vtape_mam mam; /* current MAM (hdr.mam + counts since) */
	bool mam_dirty;	      /* mam differs from hdr.mam */
	uint64_t wr_rem;      /* bytes written, not yet a whole MiB */
	uint64_t rd_rem;      /* bytes read, not yet a whole MiB */
	bool wp;	      /* tab set, or forced by the caller */
	uint64_t ew;	      /* early-warning point, bytes of data area */
	struct vc_obj *objs;  /* objects 0..nobjs-1 */
	uint64_t nobjs, objs_cap;
	uint64_t *fms; /* object numbers of the filemarks, ascending */
	uint64_t nfms, fms_cap;
	uint64_t end;	   /* store offset of EOD (after the last record) */
	uint32_t last_crc; /* hdr_crc of the last object (0: none) */
	uint64_t pos;
	uint64_t epoch;	 /* epoch of the current write session */
	bool epoch_open; /* appends at EOD may go on in @epoch */
	uint8_t *buf;	 /* VC_CHUNK bytes of scratch */
};

/* Filemarks before object @n: O(log n). */
static inline uint64_t vc_fm_before(const struct vtape_cart *c, uint64_t n)
{
	uint64_t lo = 0, hi = c->nfms;

	while (lo < hi) {
		uint64_t mid = lo + (hi - lo) / 2;

		if (c->fms[mid] < n)
			lo = mid + 1;
		else
			hi = mid;
	}
	return lo;
}

static inline uint64_t vc_off(const struct vtape_cart *c, uint64_t n)
{
	return n < c->nobjs ? c->objs[n].off : c->end;
}

#endif /* VTAPE_CART_PRIV_H */
