/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * A virtual tape cartridge: the on-disk format (doc/vtape-format.md) and the
 * tape semantics over it (logical objects, filemarks, end of data, early
 * warning and capacity). Kernel-portable: memory through os.h, all I/O
 * through the store operations below (a file in scstd, memory in tests).
 *
 * Model. A cartridge holds one partition: a sequence of logical objects
 * (blocks of 1..VTAPE_MAX_BLOCK bytes and filemarks) numbered from 0 at
 * the beginning of partition (BOP), followed by end of data (EOD). The
 * position is a logical object number 0..nobjs: "before object pos".
 * Writing at a position drops every object at or after it (the new EOD
 * follows what is written), as on a real tape.
 *
 * Durability. Every vtape_cart_write_*() call has reached the store (the
 * page cache for a file) when it returns, so it survives the death of the
 * process; vtape_cart_sync() makes everything written so far survive a
 * crash of the machine. A write torn by a crash never damages an object
 * written before it: the torn object and whatever followed it read back
 * as end of data. The first write of a load, and every write before EOD,
 * first writes and syncs the header (a new write session); ERASE is
 * durable when it returns.
 *
 * Locking: none; the caller serializes every call on one cartridge.
 * Errors: negative errno (-EIO store failure, -EMEDIUMTYPE not a
 * cartridge or a damaged header, -EROFS write-protected, -ENOSPC
 * capacity, -EINVAL bad argument, -ENOMEM).
 */
#ifndef VTAPE_CART_H
#define VTAPE_CART_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* Largest block a cartridge holds (and the drive's READ BLOCK LIMITS). */
#define VTAPE_MAX_BLOCK	  (8u * 1024 * 1024)
#define VTAPE_BARCODE_LEN 32 /* MAM BARCODE (0806h), ASCII, space padded */
#define VTAPE_SERIAL_LEN  32 /* MAM MEDIUM SERIAL NUMBER (0401h) */

/* Where a cartridge's bytes live. Every call returns 0 or a -errno. */
struct vtape_store_ops {
	/* Exactly @len bytes at @off; beyond the end reads as zeros. */
	int (*read)(void *priv, void *buf, size_t len, uint64_t off);
	/* Exactly @len bytes at @off (the store grows as needed). */
	int (*write)(void *priv, const void *buf, size_t len, uint64_t off);
	/* Everything written so far survives a crash. */
	int (*sync)(void *priv);
	/* Cut the store to @size bytes (used by ERASE and format). */
	int (*truncate)(void *priv, uint64_t size);
};

struct vtape_store {
	const struct vtape_store_ops *ops;
	void *priv;
};

/* Medium auxiliary memory (SPC-4 READ ATTRIBUTE, SSC-4 MAM attributes). */
struct vtape_mam {
	char barcode[VTAPE_BARCODE_LEN + 1]; /* NUL-terminated, no padding */
	char serial[VTAPE_SERIAL_LEN + 1];
	uint64_t load_count;
	uint64_t mib_written; /* lifetime, MiB */
	uint64_t mib_read;
};

struct vtape_format_params {
	uint64_t capacity;    /* bytes of data area (>= 1 MiB) */
	const char *barcode;  /* 1..32 printable ASCII, no spaces */
	const char *serial;   /* NULL: derived from the barcode */
	bool write_protected; /* the cartridge's write-protect tab */
};

/* Create an empty cartridge (also over an old one: ERASE + new MAM). */
int vtape_cart_format(struct vtape_store *st,
		      const struct vtape_format_params *p);

struct vtape_cart;

/*
 * Open a cartridge: read its header and scan its objects up to end of
 * data. -EMEDIUMTYPE when it is not a cartridge (bad magic, version or
 * both header copies damaged). The position is BOP. The store must stay
 * valid until vtape_cart_close().
 */
int vtape_cart_open(struct vtape_store *st, struct vtape_cart **out);
/* Frees the in-memory state (no I/O; call vtape_cart_sync() first). */
void vtape_cart_close(struct vtape_cart *c);

/* ---- state ---- */
uint64_t vtape_cart_pos(const struct vtape_cart *c);
uint64_t vtape_cart_nobjs(const struct vtape_cart *c); /* EOD's number */
/* Filemarks before the position (the logical file identifier). */
uint64_t vtape_cart_file_no(const struct vtape_cart *c);
bool vtape_cart_write_protected(const struct vtape_cart *c);
/*
 * Treat the cartridge as write-protected for this load (e.g. its file
 * could only be opened read-only): every write, erase and MAM update
 * then behaves as with the tab set; nothing is written to the store.
 */
void vtape_cart_set_write_protected(struct vtape_cart *c);
uint64_t vtape_cart_capacity(const struct vtape_cart *c);
/* Bytes of the data area used up to EOD (records with their headers). */
uint64_t vtape_cart_used(const struct vtape_cart *c);
/* Early warning: the position is past the early-warning point (EOP). */
bool vtape_cart_past_ew(const struct vtape_cart *c);
const struct vtape_mam *vtape_cart_mam(const struct vtape_cart *c);

enum vtape_obj_kind {
	VTAPE_OBJ_EOD = 0, /* no object: the position is at end of data */
	VTAPE_OBJ_BLOCK = 1,
	VTAPE_OBJ_FILEMARK = 2,
};
/* What is at object @n (VTAPE_OBJ_EOD for n >= nobjs); *@len: block size. */
enum vtape_obj_kind vtape_cart_obj(const struct vtape_cart *c, uint64_t n,
				   uint32_t *len);

/* ---- reading ---- */
/*
 * Read the block at the position into @buf (at most @len bytes) and move
 * past it. Returns the block's full length (may exceed @len: the caller
 * reports the overlength), or -ENODATA at EOD (position unchanged),
 * -ENOMSG at a filemark (the position moves past it), -EIO when the
 * record fails its checksum or the store fails (MEDIUM ERROR; the
 * position does not move).
 */
int vtape_cart_read_block(struct vtape_cart *c, void *buf, uint32_t len);

/* ---- writing (at the position; drops whatever followed it) ---- */
/*
 * Append one block of @len (1..VTAPE_MAX_BLOCK) bytes. -EROFS when write
 * protected; -ENOSPC when it does not fit in the capacity (nothing
 * written). Returns 1 when the block was written past the early-warning
 * point, else 0.
 */
int vtape_cart_write_block(struct vtape_cart *c, const void *buf, uint32_t len);
/* Append @count filemarks; same returns. Filemarks always fit (a
 * reserve past the capacity keeps room for them: 1 MiB, 21845
 * filemarks; past it -ENOSPC). */
int vtape_cart_write_filemarks(struct vtape_cart *c, uint32_t count);
int vtape_cart_sync(struct vtape_cart *c);
/*
 * ERASE from the position: @long_erase erases to the end of the medium
 * (the store is cut back), short just writes EOD here. -EROFS when
 * protected.
 */
int vtape_cart_erase(struct vtape_cart *c, bool long_erase);

/* ---- positioning (SSC-3 SPACE, LOCATE) ---- */
enum vtape_space_code {
	VTAPE_SPACE_BLOCKS = 0,
	VTAPE_SPACE_FILEMARKS = 1,
	VTAPE_SPACE_EOD = 3,
};
/*
 * Where a move ended. VTAPE_MOVE_OK: done. FILEMARK: spacing over blocks
 * met a filemark (forward: position after it; backward: before it).
 * EOD: met end of data (position at EOD). BOP: met the beginning of
 * partition going backward (position 0). *@residue: the count not done
 * (always >= 0, the magnitude of what was left).
 */
enum vtape_move_result {
	VTAPE_MOVE_OK = 0,
	VTAPE_MOVE_FILEMARK,
	VTAPE_MOVE_EOD,
	VTAPE_MOVE_BOP,
};
enum vtape_move_result vtape_cart_space(struct vtape_cart *c,
					enum vtape_space_code code,
					int64_t count, uint64_t *residue);
/* LOCATE to logical object @n; past EOD: position at EOD, returns EOD. */
enum vtape_move_result vtape_cart_locate(struct vtape_cart *c, uint64_t n);
/* REWIND: position 0. */
void vtape_cart_rewind(struct vtape_cart *c);

/* ---- MAM ---- */
/* Count a load (the load count attribute); written with the header
 * (kept in memory only on a write-protected cartridge). */
int vtape_cart_count_load(struct vtape_cart *c);
/* Add bytes moved to the lifetime counters (kept in memory, written
 * with the header at the next sync). */
void vtape_cart_account(struct vtape_cart *c, uint64_t written, uint64_t read);

#endif /* VTAPE_CART_H */
