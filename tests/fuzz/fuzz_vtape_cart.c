// SPDX-License-Identifier: GPL-2.0-only
/*
 * libFuzzer target: cartridge images and the tape operations over them
 * (dev_handlers/vtape/vtape_cart.c, doc/vtape-format.md).
 *
 * Input: byte 0 picks how the image is made, byte 1 how many of the last
 * bytes drive operations, byte 2 an optional store fault; the bytes in
 * between are the image material:
 *   mode 0: the image itself, header slots and all;
 *   mode 1: a formatted header, the material as the data area;
 *   mode 2: a formatted header and records built from the material (6
 *           bytes each) with valid checksums and chaining, one field of
 *           some of them broken on purpose, so that the scan is exercised
 *           past its checksum tests.
 * If the image opens, up to 64 operations run (reads, SPACE, LOCATE,
 * writes, erase, sync, MAM). Checked: positions and counts stay within
 * their bounds; with no store fault, the cartridge reopened after a sync
 * holds exactly the objects it held in memory, each block readable; no
 * memory is leaked. Nothing may crash or loop.
 */
#include <errno.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "scst/byteorder.h"
#include "scst/os.h"

#include "dev_handlers/vtape/vtape_cart.h"

int LLVMFuzzerInitialize(int *argc, char ***argv);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

#define FZ_STORE_MAX (16u << 20)
#define FZ_DATA	     8192u
#define FZ_REC	     48u
#define FZ_MAX_OPS   64

#define FZ_CHECK(c)                                                            \
	do {                                                                   \
		if (!(c))                                                      \
			__builtin_trap();                                      \
	} while (0)

/* ---------------------------------------------------- memory store ---- */

struct fz_store {
	uint8_t *b;
	size_t size, cap;
	unsigned int calls, fail_at; /* fail the fail_at-th call (0: none) */
	bool failed;
};

static bool fz_fault(struct fz_store *s)
{
	if (s->fail_at && ++s->calls == s->fail_at) {
		s->failed = true;
		return true;
	}
	return false;
}

static int fz_resize(struct fz_store *s, uint64_t size)
{
	uint8_t *b;

	if (size > FZ_STORE_MAX)
		return -EFBIG;
	if (size > s->cap) {
		size_t ncap = s->cap ? s->cap : 16384;

		while (ncap < size)
			ncap *= 2;
		b = realloc(s->b, ncap);
		if (!b)
			abort();
		s->b = b;
		s->cap = ncap;
	}
	if (size > s->size)
		memset(s->b + s->size, 0, (size_t)size - s->size);
	s->size = (size_t)size;
	return 0;
}

static int fz_read(void *priv, void *buf, size_t len, uint64_t off)
{
	struct fz_store *s = priv;
	size_t have = 0;

	if (fz_fault(s))
		return -EIO;
	if (off < s->size)
		have = s->size - off < len ? s->size - (size_t)off : len;
	if (have)
		memcpy(buf, s->b + off, have);
	memset((uint8_t *)buf + have, 0, len - have);
	return 0;
}

static int fz_write(void *priv, const void *buf, size_t len, uint64_t off)
{
	struct fz_store *s = priv;

	if (fz_fault(s))
		return -EIO;
	if (off > FZ_STORE_MAX || len > FZ_STORE_MAX - off ||
	    (off + len > s->size && fz_resize(s, off + len))) {
		s->failed = true;
		return -EIO;
	}
	memcpy(s->b + off, buf, len);
	return 0;
}

static int fz_sync(void *priv)
{
	return fz_fault(priv) ? -EIO : 0;
}

static int fz_truncate(void *priv, uint64_t size)
{
	struct fz_store *s = priv;

	if (fz_fault(s))
		return -EIO;
	return fz_resize(s, size) ? -EIO : 0;
}

static const struct vtape_store_ops fz_ops = {
    .read = fz_read,
    .write = fz_write,
    .sync = fz_sync,
    .truncate = fz_truncate,
};

/* ------------------------------------------------------ the image ---- */

static void fz_sink(enum scst_log_level lvl, const char *line)
{
	(void)lvl;
	(void)line;
}

static uint8_t *fz_buf; /* VTAPE_MAX_BLOCK bytes for reads and writes */

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
	(void)argc;
	(void)argv;
	scst_log_set_sink(fz_sink);
	fz_buf = malloc(VTAPE_MAX_BLOCK);
	if (!fz_buf)
		abort();
	return 0;
}

/* A formatted header (1..4 MiB) whose max_epoch is @max_epoch. */
static void fz_format(struct vtape_store *st, uint8_t cap_sel,
		      uint64_t max_epoch)
{
	struct vtape_format_params p = {
	    .capacity = (1ull + cap_sel % 4) << 20,
	    .barcode = "FUZZ01",
	    .write_protected = cap_sel >= 250,
	};
	struct fz_store *s = st->priv;

	FZ_CHECK(!vtape_cart_format(st, &p));
	scst_put_be64(s->b + 32, max_epoch);
	scst_put_be32(s->b + 4092, scst_os_crc32c(0, s->b, 4092));
}

static void fz_put_rec(struct fz_store *s, uint64_t off, uint8_t type,
		       uint32_t len, uint64_t epoch, uint64_t obj,
		       uint64_t file, uint32_t prev, uint8_t mutate,
		       uint32_t *hcrc)
{
	uint8_t h[FZ_REC], *d;
	uint32_t i, dcrc;

	if (fz_resize(s, off + FZ_REC + len))
		return;
	d = s->b + off + FZ_REC;
	for (i = 0; i < len; i++)
		d[i] = (uint8_t)(i * 7 + obj);
	dcrc = scst_os_crc32c(0, d, len);
	memset(h, 0, sizeof(h));
	scst_put_be32(h, mutate == 0 ? 0x56545244u : 0x56545243u);
	h[4] = mutate == 1 ? 3 : type;
	h[5] = mutate == 2;
	scst_put_be32(h + 8, mutate == 3 ? len + 8 : len);
	scst_put_be32(h + 12, mutate == 4 ? dcrc ^ 1 : dcrc);
	scst_put_be64(h + 16, mutate == 5 ? epoch + 1000 : epoch);
	scst_put_be64(h + 24, mutate == 6 ? obj + 1 : obj);
	scst_put_be64(h + 32, mutate == 7 ? file + 1 : file);
	scst_put_be32(h + 40, mutate == 8 ? prev ^ 4 : prev);
	scst_put_be32(h + 44, scst_os_crc32c(0, h, 44) ^ (mutate == 9));
	memcpy(s->b + off, h, FZ_REC);
	*hcrc = scst_get_be32(h + 44);
}

/* Records from 6-byte chunks: kind, length (2), mutation, epoch step,
 * padding garbage. Valid ones chain; a mutation breaks one field. */
static void fz_records(struct fz_store *s, const uint8_t *m, size_t n)
{
	uint64_t off = FZ_DATA, obj = 0, file = 0, epoch = 1;
	uint32_t prev = 0, len;

	for (; n >= 6; m += 6, n -= 6) {
		uint8_t type = m[0] & 1 ? 2 : 1;

		len = type == 1 ? 1 + scst_get_be16(m + 1) % 3000 : 0;
		epoch += m[4] % 4 == 0;
		fz_put_rec(s, off, type, len, epoch, obj, file, prev,
			   m[3] < 200 ? 255 : m[3] % 10, &prev);
		off += FZ_REC + ((len + 7u) & ~7u);
		obj++;
		file += type == 2;
	}
}

/* --------------------------------------------------- operations ---- */

static void fz_check_state(struct vtape_cart *c)
{
	uint64_t pos = vtape_cart_pos(c), n = vtape_cart_nobjs(c);
	uint32_t len;

	FZ_CHECK(pos <= n);
	FZ_CHECK(vtape_cart_file_no(c) <= pos);
	FZ_CHECK(vtape_cart_used(c) <= vtape_cart_capacity(c) + (1u << 20));
	FZ_CHECK(vtape_cart_obj(c, n, &len) == VTAPE_OBJ_EOD && !len);
	if (pos < n)
		FZ_CHECK(vtape_cart_obj(c, pos, &len) != VTAPE_OBJ_EOD);
}

static void fz_ops_run(struct vtape_cart *c, const uint8_t *op, size_t n,
		       uint8_t *buf)
{
	enum vtape_move_result mr;
	unsigned int k = 0;
	uint64_t res, before;
	size_t i = 0;
	int rc;

	while (i < n && k++ < FZ_MAX_OPS) {
		uint8_t o = op[i++], a = i < n ? op[i++] : 0;

		switch (o % 12) {
		case 0:
			before = vtape_cart_pos(c);
			rc = vtape_cart_read_block(c, buf, (uint32_t)a * 64);
			FZ_CHECK(rc == -ENODATA || rc == -ENOMSG ||
				 rc == -EIO || rc > 0);
			FZ_CHECK(vtape_cart_pos(c) ==
				 before + (rc > 0 || rc == -ENOMSG));
			break;
		case 1:
		case 2:
			res = 0;
			mr = vtape_cart_space(c,
					      o % 12 == 1
						  ? VTAPE_SPACE_BLOCKS
						  : VTAPE_SPACE_FILEMARKS,
					      (int8_t)a, &res);
			FZ_CHECK(res <= 128);
			FZ_CHECK(mr != VTAPE_MOVE_OK || !res);
			FZ_CHECK(mr != VTAPE_MOVE_BOP || !vtape_cart_pos(c));
			FZ_CHECK(mr != VTAPE_MOVE_EOD ||
				 vtape_cart_pos(c) == vtape_cart_nobjs(c));
			break;
		case 3:
			vtape_cart_space(c, VTAPE_SPACE_EOD, 0, &res);
			break;
		case 4:
			mr = vtape_cart_locate(c, a);
			FZ_CHECK(mr == (a > vtape_cart_nobjs(c)
					    ? VTAPE_MOVE_EOD
					    : VTAPE_MOVE_OK));
			break;
		case 5:
			vtape_cart_rewind(c);
			break;
		case 6:
			memset(buf, a, (size_t)a * 16 + 1);
			rc = vtape_cart_write_block(c, buf,
						    (uint32_t)a * 16 + 1);
			FZ_CHECK(rc == 0 || rc == 1 || rc == -EROFS ||
				 rc == -ENOSPC || rc == -EIO);
			break;
		case 7:
			rc = vtape_cart_write_filemarks(c, a % 4);
			FZ_CHECK(rc == 0 || rc == 1 || rc == -EROFS ||
				 rc == -ENOSPC || rc == -EIO);
			break;
		case 8:
			rc = vtape_cart_erase(c, a & 1);
			FZ_CHECK(!rc || rc == -EROFS || rc == -EIO);
			break;
		case 9:
			vtape_cart_sync(c);
			break;
		case 10:
			if (a & 1)
				vtape_cart_count_load(c);
			else
				vtape_cart_account(c, (uint64_t)a << 16, a);
			break;
		default:
			vtape_cart_past_ew(c);
			break;
		}
		fz_check_state(c);
	}
}

/* After a sync, the store holds exactly what the cartridge holds. */
static void fz_reopen_same(struct fz_store *s, struct vtape_store *st,
			   struct vtape_cart *c, uint8_t *buf)
{
	struct vtape_cart *c2;
	uint32_t len, len2;
	uint64_t i, n = vtape_cart_nobjs(c);
	enum vtape_obj_kind k;

	if (vtape_cart_sync(c) || s->failed)
		return;
	s->fail_at = 0; /* the fault did not strike: none in the check */
	FZ_CHECK(!vtape_cart_open(st, &c2));
	FZ_CHECK(vtape_cart_nobjs(c2) == n);
	FZ_CHECK(vtape_cart_used(c2) == vtape_cart_used(c));
	for (i = 0; i < n; i++) {
		k = vtape_cart_obj(c, i, &len);
		FZ_CHECK(vtape_cart_obj(c2, i, &len2) == k && len == len2);
		FZ_CHECK(vtape_cart_read_block(c2, buf, VTAPE_MAX_BLOCK) ==
			 (k == VTAPE_OBJ_BLOCK ? (int)len : -ENOMSG));
	}
	FZ_CHECK(vtape_cart_read_block(c2, buf, 1) == -ENODATA);
	vtape_cart_close(c2);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct fz_store s = {0};
	struct vtape_store st = {.ops = &fz_ops, .priv = &s};
	struct scst_os_mem_stats m0, m1;
	const uint8_t *mat, *op;
	size_t nmat, nop;
	struct vtape_cart *c;
	uint8_t *buf = fz_buf;

	if (size < 3 || size > (1u << 20))
		return 0;
	nop = data[1] < size - 3 ? data[1] : size - 3;
	mat = data + 3;
	nmat = size - 3 - nop;
	op = mat + nmat;
	scst_os_mem_stats(&m0);
	switch (data[0] % 3) {
	case 0:
		FZ_CHECK(!fz_resize(&s, nmat));
		if (nmat)
			memcpy(s.b, mat, nmat);
		break;
	case 1:
		fz_format(&st, data[0], data[0] / 3);
		FZ_CHECK(!fz_resize(&s, FZ_DATA + nmat));
		if (nmat)
			memcpy(s.b + FZ_DATA, mat, nmat);
		break;
	default:
		fz_format(&st, data[0], 64);
		fz_records(&s, mat, nmat);
		break;
	}
	s.fail_at = data[2] >= 0xf0 ? data[2] - 0xef : 0;
	if (!vtape_cart_open(&st, &c)) {
		fz_check_state(c);
		fz_ops_run(c, op, nop, buf);
		fz_reopen_same(&s, &st, c, buf);
		vtape_cart_close(c);
	}
	scst_os_mem_stats(&m1);
	FZ_CHECK(m0.heap_allocs == m1.heap_allocs);
	free(s.b);
	return 0;
}
