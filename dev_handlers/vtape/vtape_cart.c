// SPDX-License-Identifier: GPL-2.0-only
/*
 * The virtual tape cartridge: on-disk format and tape semantics
 * (vtape_cart.h). The format, byte by byte, and why a crash never brings
 * back a stale object are in doc/vtape-format.md; the short version:
 *
 *   - two header slots (0, 4096), written alternately, each followed by a
 *     sync, so the slot not being written is always the newest durable one;
 *   - from 8192 a chain of records (48-byte header + data padded to 8);
 *     a record is accepted by the scan in open only if its checksums hold,
 *     it carries the expected object and file numbers, the hdr_crc of the
 *     record before it (prev_crc), and an epoch that does not go down and
 *     does not exceed the header's max_epoch;
 *   - every write session that starts anywhere but right after the last
 *     record written in the current epoch takes a fresh epoch, made durable
 *     in the header before the first record of it is written.
 *
 * This file: the bytes (header slots, records), open and its scan,
 * reading, writing, erase, the MAM header updates. State queries,
 * SPACE/LOCATE and the byte counters are in vtape_cart_state.c.
 * Kernel-portable: memory through os.h, all I/O through the store ops.
 */
#include <errno.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include "scst/byteorder.h"
#include "scst/os.h"

#include "dev_handlers/vtape/vtape_cart_priv.h"

/* ---- header slots ---- */
#define VC_SLOT_SIZE	 4096u
#define VC_VERSION	 1u
#define VC_H_MAGIC	 0
#define VC_H_VERSION	 8
#define VC_H_FLAGS	 12
#define VC_H_SEQ	 16
#define VC_H_CAPACITY	 24
#define VC_H_MAX_EPOCH	 32
#define VC_H_LOAD_COUNT	 40
#define VC_H_MIB_WRITTEN 48
#define VC_H_MIB_READ	 56
#define VC_H_BARCODE	 64
#define VC_H_SERIAL	 96
#define VC_H_CRC	 4092 /* crc32c of bytes 0..4091 */
#define VC_HF_WP	 0x1u

static const char vc_magic[8] = {'S', 'C', 'S', 'T', 'V', 'T', 'A', 'P'};

/* ---- records ---- */
#define VC_REC_MAGIC 0x56545243u /* "VTRC" */
#define VC_REC_HDR   48u
#define VC_R_MAGIC   0
#define VC_R_TYPE    4
#define VC_R_FLAGS   5
#define VC_R_RSVD    6
#define VC_R_LEN     8
#define VC_R_DCRC    12
#define VC_R_EPOCH   16
#define VC_R_OBJ     24
#define VC_R_FILE    32
#define VC_R_PREV    40
#define VC_R_HCRC    44 /* crc32c of bytes 0..43 */

enum vc_rec_type {
	VC_REC_BLOCK = 1,
	VC_REC_FILEMARK = 2,
	VC_REC_EOD = 3, /* written by ERASE; never accepted as an object */
};

/* ---- capacity rules ---- */
#define VC_MIN_CAPACITY (1ull << 20)
#define VC_MAX_CAPACITY (1ull << 56)
#define VC_FM_RESERVE	(1ull << 20) /* past the capacity, filemarks only */
#define VC_EW_MIN	(64ull << 10)
#define VC_EW_MAX	(1ull << 30)
#define VC_CHUNK	(64u << 10) /* scratch buffer; >= VC_SLOT_SIZE */
#define VC_FM_BATCH	64u	    /* filemark records per store write */

struct vc_rec {
	uint8_t type;
	uint32_t len;
	uint32_t dcrc;
	uint64_t epoch;
	uint64_t obj;
	uint64_t file;
	uint32_t prev;
	uint32_t hcrc;
};

/* ------------------------------------------------------- helpers ---- */

static uint64_t vc_rec_size(uint32_t len)
{
	return VC_REC_HDR + (((uint64_t)len + 7) & ~7ull);
}

static int vc_read(struct vtape_cart *c, void *buf, size_t len, uint64_t off)
{
	int rc = c->st->ops->read(c->st->priv, buf, len, off);

	if (rc) {
		scst_err("vtape: read of %zu bytes at %llu failed: %d", len,
			 (unsigned long long)off, rc);
		return -EIO;
	}
	return 0;
}

static int vc_write(struct vtape_cart *c, const void *buf, size_t len,
		    uint64_t off)
{
	int rc = c->st->ops->write(c->st->priv, buf, len, off);

	if (rc) {
		scst_err("vtape: write of %zu bytes at %llu failed: %d", len,
			 (unsigned long long)off, rc);
		return -EIO;
	}
	return 0;
}

static int vc_store_call(const char *what, int rc)
{
	if (rc) {
		scst_err("vtape: %s failed: %d", what, rc);
		return -EIO;
	}
	return 0;
}

/* 1..32 characters 0x21..0x7e; the field is that, space padded. */
static bool vc_mam_str_ok(const char *s)
{
	size_t i, n = s ? strlen(s) : 0;

	if (n < 1 || n > VTAPE_BARCODE_LEN)
		return false;
	for (i = 0; i < n; i++)
		if (s[i] <= 0x20 || s[i] >= 0x7f)
			return false;
	return true;
}

static void vc_put_str(uint8_t *field, const char *s)
{
	size_t n = strlen(s);

	memset(field, ' ', VTAPE_BARCODE_LEN);
	memcpy(field, s, n);
}

static bool vc_get_str(const uint8_t *field, char *s)
{
	size_t n = VTAPE_BARCODE_LEN, i;

	while (n && field[n - 1] == ' ')
		n--;
	for (i = 0; i < n; i++)
		if (field[i] <= 0x20 || field[i] >= 0x7f)
			return false;
	memcpy(s, field, n);
	s[n] = '\0';
	return n > 0;
}

/* ------------------------------------------------ header slots ---- */

static void vc_hdr_encode(const struct vc_hdr *h, uint8_t *s)
{
	memset(s, 0, VC_SLOT_SIZE);
	memcpy(s + VC_H_MAGIC, vc_magic, sizeof(vc_magic));
	scst_put_be32(s + VC_H_VERSION, VC_VERSION);
	scst_put_be32(s + VC_H_FLAGS, h->flags);
	scst_put_be64(s + VC_H_SEQ, h->seq);
	scst_put_be64(s + VC_H_CAPACITY, h->capacity);
	scst_put_be64(s + VC_H_MAX_EPOCH, h->max_epoch);
	scst_put_be64(s + VC_H_LOAD_COUNT, h->mam.load_count);
	scst_put_be64(s + VC_H_MIB_WRITTEN, h->mam.mib_written);
	scst_put_be64(s + VC_H_MIB_READ, h->mam.mib_read);
	vc_put_str(s + VC_H_BARCODE, h->mam.barcode);
	vc_put_str(s + VC_H_SERIAL, h->mam.serial);
	scst_put_be32(s + VC_H_CRC, scst_os_crc32c(0, s, VC_H_CRC));
}

/* A slot is valid iff magic, crc, version and every field check out. */
static bool vc_hdr_decode(const uint8_t *s, struct vc_hdr *h, bool *damaged)
{
	*damaged = false;
	if (memcmp(s + VC_H_MAGIC, vc_magic, sizeof(vc_magic)))
		return false;
	*damaged = true;
	if (scst_get_be32(s + VC_H_CRC) != scst_os_crc32c(0, s, VC_H_CRC))
		return false;
	if (scst_get_be32(s + VC_H_VERSION) != VC_VERSION)
		return false;
	memset(h, 0, sizeof(*h));
	h->flags = scst_get_be32(s + VC_H_FLAGS);
	h->seq = scst_get_be64(s + VC_H_SEQ);
	h->capacity = scst_get_be64(s + VC_H_CAPACITY);
	h->max_epoch = scst_get_be64(s + VC_H_MAX_EPOCH);
	h->mam.load_count = scst_get_be64(s + VC_H_LOAD_COUNT);
	h->mam.mib_written = scst_get_be64(s + VC_H_MIB_WRITTEN);
	h->mam.mib_read = scst_get_be64(s + VC_H_MIB_READ);
	if ((h->flags & ~VC_HF_WP) || h->capacity < VC_MIN_CAPACITY ||
	    h->capacity > VC_MAX_CAPACITY || h->max_epoch == UINT64_MAX ||
	    h->seq == UINT64_MAX)
		return false;
	if (!vc_get_str(s + VC_H_BARCODE, h->mam.barcode) ||
	    !vc_get_str(s + VC_H_SERIAL, h->mam.serial))
		return false;
	*damaged = false;
	return true;
}

/*
 * Make the in-memory header (with @max_epoch) durable: write it to the
 * slot not holding the current one and sync. Only on success does the
 * written slot become current, so at most one slot is ever in flight and
 * the other always holds the newest durable header. The sync also makes
 * every record written before it durable.
 */
static int vc_hdr_commit(struct vtape_cart *c, uint64_t max_epoch)
{
	struct vc_hdr h = c->hdr;
	unsigned int slot = c->slot ^ 1;
	int rc;

	h.seq++;
	h.max_epoch = max_epoch;
	h.mam = c->mam;
	vc_hdr_encode(&h, c->buf);
	rc = vc_write(c, c->buf, VC_SLOT_SIZE, (uint64_t)slot * VC_SLOT_SIZE);
	if (!rc)
		rc = vc_store_call("sync", c->st->ops->sync(c->st->priv));
	if (rc)
		return rc;
	c->hdr = h;
	c->slot = slot;
	c->mam_dirty = false;
	return 0;
}

/* ------------------------------------------------------ records ---- */

static void vc_rec_encode(const struct vc_rec *r, uint8_t *p)
{
	memset(p, 0, VC_REC_HDR);
	scst_put_be32(p + VC_R_MAGIC, VC_REC_MAGIC);
	p[VC_R_TYPE] = r->type;
	scst_put_be32(p + VC_R_LEN, r->len);
	scst_put_be32(p + VC_R_DCRC, r->dcrc);
	scst_put_be64(p + VC_R_EPOCH, r->epoch);
	scst_put_be64(p + VC_R_OBJ, r->obj);
	scst_put_be64(p + VC_R_FILE, r->file);
	scst_put_be32(p + VC_R_PREV, r->prev);
	scst_put_be32(p + VC_R_HCRC, scst_os_crc32c(0, p, VC_R_HCRC));
}

/* Decodes a well-formed block or filemark header (not its context). */
static bool vc_rec_decode(const uint8_t *p, struct vc_rec *r)
{
	if (scst_get_be32(p + VC_R_MAGIC) != VC_REC_MAGIC ||
	    scst_get_be32(p + VC_R_HCRC) != scst_os_crc32c(0, p, VC_R_HCRC))
		return false;
	r->type = p[VC_R_TYPE];
	r->len = scst_get_be32(p + VC_R_LEN);
	r->dcrc = scst_get_be32(p + VC_R_DCRC);
	r->epoch = scst_get_be64(p + VC_R_EPOCH);
	r->obj = scst_get_be64(p + VC_R_OBJ);
	r->file = scst_get_be64(p + VC_R_FILE);
	r->prev = scst_get_be32(p + VC_R_PREV);
	r->hcrc = scst_get_be32(p + VC_R_HCRC);
	if (p[VC_R_FLAGS] || scst_get_be16(p + VC_R_RSVD))
		return false;
	if (r->type == VC_REC_BLOCK)
		return r->len >= 1 && r->len <= VTAPE_MAX_BLOCK;
	return r->type == VC_REC_FILEMARK && r->len == 0 && r->dcrc == 0;
}

/* crc32c of @len bytes at @off, read through the scratch buffer. */
static int vc_crc_range(struct vtape_cart *c, uint64_t off, uint64_t len,
			uint32_t *crc)
{
	int rc;

	while (len) {
		size_t n = len < VC_CHUNK ? (size_t)len : VC_CHUNK;

		rc = vc_read(c, c->buf, n, off);
		if (rc)
			return rc;
		*crc = scst_os_crc32c(*crc, c->buf, n);
		off += n;
		len -= n;
	}
	return 0;
}

/* ------------------------------------------------------- index ---- */

static int vc_grow(void **arr, uint64_t *cap, uint64_t need, size_t elem)
{
	uint64_t ncap = *cap ? *cap : 64;
	void *p;

	if (need <= *cap)
		return 0;
	while (ncap < need)
		ncap *= 2;
	if (ncap > SIZE_MAX / elem)
		return -ENOMEM;
	p = scst_os_alloc((size_t)(ncap * elem));
	if (!p)
		return -ENOMEM;
	if (*arr)
		memcpy(p, *arr, (size_t)(*cap * elem));
	scst_os_free(*arr);
	*arr = p;
	*cap = ncap;
	return 0;
}

/* Room for @blocks more objects of which @fms are filemarks. */
static int vc_reserve(struct vtape_cart *c, uint64_t objs, uint64_t fms)
{
	void *p = c->objs;
	int rc;

	rc = vc_grow(&p, &c->objs_cap, c->nobjs + objs, sizeof(*c->objs));
	c->objs = p;
	if (rc)
		return rc;
	p = c->fms;
	rc = vc_grow(&p, &c->fms_cap, c->nfms + fms, sizeof(*c->fms));
	c->fms = p;
	return rc;
}

/* Append an object (room reserved) whose record starts at @off. */
static void vc_push(struct vtape_cart *c, uint64_t off, const struct vc_rec *r)
{
	struct vc_obj *o = &c->objs[c->nobjs];

	o->off = off;
	o->len = r->len;
	o->dcrc = r->dcrc;
	if (r->type == VC_REC_FILEMARK)
		c->fms[c->nfms++] = c->nobjs;
	c->nobjs++;
	c->end = off + vc_rec_size(r->len);
	c->last_crc = r->hcrc;
}

/* ---------------------------------------------------- format, open ---- */

int vtape_cart_format(struct vtape_store *st,
		      const struct vtape_format_params *p)
{
	const char *serial;
	struct vc_hdr h;
	uint8_t *img;
	int rc;

	if (!st || !st->ops || !p || p->capacity < VC_MIN_CAPACITY ||
	    p->capacity > VC_MAX_CAPACITY || !vc_mam_str_ok(p->barcode))
		return -EINVAL;
	serial = p->serial ? p->serial : p->barcode;
	if (!vc_mam_str_ok(serial))
		return -EINVAL;
	memset(&h, 0, sizeof(h));
	h.seq = 1;
	h.capacity = p->capacity;
	h.flags = p->write_protected ? VC_HF_WP : 0;
	memcpy(h.mam.barcode, p->barcode, strlen(p->barcode) + 1);
	memcpy(h.mam.serial, serial, strlen(serial) + 1);
	img = scst_os_zalloc(VC_DATA_START);
	if (!img)
		return -ENOMEM;
	/* Slot 0 valid, slot 1 zeros; max_epoch 0 makes every record of an
	 * old cartridge (all have epoch >= 1) invalid even if the truncation
	 * is lost in a crash. */
	vc_hdr_encode(&h, img);
	rc = vc_store_call("truncate", st->ops->truncate(st->priv, 0));
	if (!rc)
		rc = vc_store_call(
		    "write", st->ops->write(st->priv, img, VC_DATA_START, 0));
	if (!rc)
		rc = vc_store_call("sync", st->ops->sync(st->priv));
	scst_os_free(img);
	return rc;
}

static int vc_pick_header(struct vtape_cart *c)
{
	struct vc_hdr h[2];
	bool ok[2], damaged[2];
	unsigned int i;
	int rc;

	for (i = 0; i < 2; i++) {
		rc = vc_read(c, c->buf, VC_SLOT_SIZE,
			     (uint64_t)i * VC_SLOT_SIZE);
		if (rc)
			return rc;
		ok[i] = vc_hdr_decode(c->buf, &h[i], &damaged[i]);
		if (damaged[i])
			scst_warn("vtape: header slot %u is damaged", i);
	}
	if (!ok[0] && !ok[1])
		return -EMEDIUMTYPE;
	i = !ok[0] || (ok[1] && h[1].seq > h[0].seq);
	c->hdr = h[i];
	c->slot = i;
	return 0;
}

/* Accept records from the data start until the first invalid one. */
static int vc_scan(struct vtape_cart *c)
{
	uint64_t off = VC_DATA_START, epoch = 1, limit;
	uint8_t p[VC_REC_HDR];
	struct vc_rec r;
	uint32_t crc;
	int rc;

	c->end = off;
	c->last_crc = 0;
	for (;;) {
		rc = vc_read(c, p, VC_REC_HDR, off);
		if (rc)
			return rc;
		if (!vc_rec_decode(p, &r) || r.obj != c->nobjs ||
		    r.file != c->nfms || r.prev != c->last_crc ||
		    r.epoch < epoch || r.epoch > c->hdr.max_epoch)
			break;
		limit = c->hdr.capacity;
		if (r.type == VC_REC_FILEMARK)
			limit += VC_FM_RESERVE;
		if (off - VC_DATA_START + vc_rec_size(r.len) > limit)
			break;
		crc = 0;
		rc = vc_crc_range(c, off + VC_REC_HDR, r.len, &crc);
		if (rc)
			return rc;
		if (crc != r.dcrc)
			break;
		rc = vc_reserve(c, 1, r.type == VC_REC_FILEMARK);
		if (rc)
			return rc;
		vc_push(c, off, &r);
		off = c->end;
		epoch = r.epoch;
	}
	return 0;
}

int vtape_cart_open(struct vtape_store *st, struct vtape_cart **out)
{
	struct vtape_cart *c;
	uint64_t zone;
	int rc;

	*out = NULL;
	if (!st || !st->ops)
		return -EINVAL;
	c = scst_os_zalloc(sizeof(*c));
	if (!c)
		return -ENOMEM;
	c->st = st;
	c->buf = scst_os_alloc(VC_CHUNK);
	rc = c->buf ? vc_pick_header(c) : -ENOMEM;
	if (rc)
		goto out_free;
	c->mam = c->hdr.mam;
	c->wp = c->hdr.flags & VC_HF_WP;
	zone = c->hdr.capacity / 64;
	zone = zone < VC_EW_MIN	  ? VC_EW_MIN
	       : zone > VC_EW_MAX ? VC_EW_MAX
				  : zone;
	c->ew = c->hdr.capacity - zone;
	rc = vc_scan(c);
	if (rc)
		goto out_free;
	*out = c;
	return 0;
out_free:
	vtape_cart_close(c);
	return rc;
}

void vtape_cart_close(struct vtape_cart *c)
{
	if (!c)
		return;
	scst_os_free(c->objs);
	scst_os_free(c->fms);
	scst_os_free(c->buf);
	scst_os_free(c);
}

/* -------------------------------------------------------- reading ---- */

int vtape_cart_read_block(struct vtape_cart *c, void *buf, uint32_t len)
{
	const struct vc_obj *o;
	uint32_t n, crc;
	int rc;

	if (c->pos >= c->nobjs)
		return -ENODATA;
	o = &c->objs[c->pos];
	if (!o->len) {
		c->pos++;
		return -ENOMSG;
	}
	if (!buf && len)
		return -EINVAL;
	n = len < o->len ? len : o->len;
	rc = n ? vc_read(c, buf, n, o->off + VC_REC_HDR) : 0;
	if (rc)
		return rc;
	crc = scst_os_crc32c(0, buf, n);
	rc = vc_crc_range(c, o->off + VC_REC_HDR + n, o->len - n, &crc);
	if (rc)
		return rc;
	if (crc != o->dcrc) {
		scst_err("vtape %s: object %llu fails its data checksum",
			 c->mam.barcode, (unsigned long long)c->pos);
		return -EIO;
	}
	c->pos++;
	return (int)o->len;
}

/* -------------------------------------------------------- writing ---- */

/* hdr_crc of object @n - 1, the prev_crc of a record written at @n. */
static int vc_prev_crc(struct vtape_cart *c, uint64_t n, uint32_t *crc)
{
	uint8_t p[VC_REC_HDR];
	struct vc_rec r;
	int rc;

	if (n == c->nobjs) {
		*crc = c->last_crc;
		return 0;
	}
	if (!n) {
		*crc = 0;
		return 0;
	}
	rc = vc_read(c, p, VC_REC_HDR, c->objs[n - 1].off);
	if (rc)
		return rc;
	if (!vc_rec_decode(p, &r) || r.obj != n - 1) {
		scst_err("vtape %s: record of object %llu changed on the store",
			 c->mam.barcode, (unsigned long long)(n - 1));
		return -EIO;
	}
	*crc = r.hcrc;
	return 0;
}

/*
 * Everything from the position on is dropped; writing goes on at its
 * offset. A new write session (the position is before EOD, or no epoch
 * was taken since open or since the last failure) takes epoch max_epoch
 * + 1: the store is cut at the position (space; stale records past it
 * become unreadable too, though correctness does not rely on that), an
 * EOD marker goes there when @marker, and the header carrying the new
 * max_epoch is written and synced before any record of the new epoch.
 */
static int vc_prepare(struct vtape_cart *c, bool new_epoch, bool marker)
{
	uint64_t off = vc_off(c, c->pos);
	uint8_t p[VC_REC_HDR];
	struct vc_rec r;
	uint32_t prev;
	int rc;

	if (c->pos == c->nobjs && c->epoch_open && !new_epoch)
		return 0;
	rc = vc_prev_crc(c, c->pos, &prev);
	if (rc)
		return rc;
	c->epoch_open = false;
	c->nfms = vc_fm_before(c, c->pos);
	c->nobjs = c->pos;
	c->end = off;
	c->last_crc = prev;
	rc = vc_store_call("truncate", c->st->ops->truncate(c->st->priv, off));
	if (!rc && marker) {
		memset(&r, 0, sizeof(r));
		r.type = VC_REC_EOD;
		r.epoch = c->hdr.max_epoch + 1;
		r.obj = c->pos;
		r.file = c->nfms;
		r.prev = prev;
		vc_rec_encode(&r, p);
		rc = vc_write(c, p, VC_REC_HDR, off);
	}
	if (!rc)
		rc = vc_hdr_commit(c, c->hdr.max_epoch + 1);
	if (rc)
		return rc;
	c->epoch = c->hdr.max_epoch;
	c->epoch_open = true;
	return 0;
}

static void vc_rec_fill(struct vtape_cart *c, struct vc_rec *r, uint8_t type,
			uint32_t len, uint32_t dcrc)
{
	r->type = type;
	r->len = len;
	r->dcrc = dcrc;
	r->epoch = c->epoch;
	r->obj = c->nobjs;
	r->file = c->nfms;
	r->prev = c->last_crc;
}

int vtape_cart_write_block(struct vtape_cart *c, const void *buf, uint32_t len)
{
	uint8_t p[VC_REC_HDR];
	struct vc_rec r;
	uint64_t off;
	int rc;

	if (c->wp)
		return -EROFS;
	if (!buf || !len || len > VTAPE_MAX_BLOCK)
		return -EINVAL;
	off = vc_off(c, c->pos);
	if (off - VC_DATA_START + vc_rec_size(len) > c->hdr.capacity)
		return -ENOSPC;
	rc = vc_reserve(c, 1, 0);
	if (!rc)
		rc = vc_prepare(c, false, false);
	if (rc)
		return rc;
	vc_rec_fill(c, &r, VC_REC_BLOCK, len, scst_os_crc32c(0, buf, len));
	vc_rec_encode(&r, p);
	r.hcrc = scst_get_be32(p + VC_R_HCRC);
	rc = vc_write(c, p, VC_REC_HDR, off);
	if (!rc)
		rc = vc_write(c, buf, len, off + VC_REC_HDR);
	if (rc) {
		c->epoch_open = false;
		return rc;
	}
	vc_push(c, off, &r);
	c->pos = c->nobjs;
	return vtape_cart_past_ew(c);
}

int vtape_cart_write_filemarks(struct vtape_cart *c, uint32_t count)
{
	uint64_t off, done = 0;
	struct vc_rec r;
	uint32_t i, n;
	int rc;

	if (c->wp)
		return -EROFS;
	if (!count)
		return vtape_cart_past_ew(c);
	off = vc_off(c, c->pos);
	if (off - VC_DATA_START + (uint64_t)count * VC_REC_HDR >
	    c->hdr.capacity + VC_FM_RESERVE)
		return -ENOSPC;
	rc = vc_reserve(c, count, count);
	if (!rc)
		rc = vc_prepare(c, false, false);
	if (rc)
		return rc;
	while (done < count) {
		n = count - done < VC_FM_BATCH ? (uint32_t)(count - done)
					       : VC_FM_BATCH;
		/* Encode the batch, then index it once it is written. */
		for (i = 0; i < n; i++) {
			vc_rec_fill(c, &r, VC_REC_FILEMARK, 0, 0);
			r.obj += i;
			r.file += i;
			if (i)
				r.prev = scst_get_be32(
				    c->buf + (i - 1) * VC_REC_HDR + VC_R_HCRC);
			vc_rec_encode(&r, c->buf + i * VC_REC_HDR);
		}
		rc = vc_write(c, c->buf, (size_t)n * VC_REC_HDR, off);
		if (rc) {
			c->epoch_open = false;
			return rc;
		}
		for (i = 0; i < n; i++) {
			vc_rec_fill(c, &r, VC_REC_FILEMARK, 0, 0);
			r.hcrc =
			    scst_get_be32(c->buf + i * VC_REC_HDR + VC_R_HCRC);
			vc_push(c, off, &r);
			off += VC_REC_HDR;
		}
		done += n;
		c->pos = c->nobjs;
	}
	return vtape_cart_past_ew(c);
}

int vtape_cart_sync(struct vtape_cart *c)
{
	if (c->wp)
		return 0;
	if (c->mam_dirty)
		return vc_hdr_commit(c, c->hdr.max_epoch);
	return vc_store_call("sync", c->st->ops->sync(c->st->priv));
}

int vtape_cart_erase(struct vtape_cart *c, bool long_erase)
{
	if (c->wp)
		return -EROFS;
	/* Both kinds: cut the store here, an EOD marker, a new epoch, synced
	 * (a virtual tape has nothing to wipe past the cut). */
	(void)long_erase;
	return vc_prepare(c, true, true);
}

/* ------------------------------------------------------------ MAM ---- */

int vtape_cart_count_load(struct vtape_cart *c)
{
	c->mam.load_count++;
	c->mam_dirty = true;
	/* A write-protected cartridge is never written: counts stay in
	 * memory for this load. */
	if (c->wp)
		return 0;
	return vc_hdr_commit(c, c->hdr.max_epoch);
}
