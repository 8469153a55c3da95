/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * An in-memory cartridge store for the vtape unit suites, with a crash
 * simulator and fault injection. It defines no suite of its own.
 *
 * The store keeps the image the cartridge code reads and writes ("live")
 * and the image a crash would fall back to ("durable"), plus the writes
 * and truncations issued since the last sync ("pending"). sync makes them
 * durable. A crash keeps a random choice of the pending operations (all
 * of a prefix, or any subset: the page cache writes back in any order),
 * tears one of the kept writes in the middle (only its first or last
 * part lands), drops the rest, and makes the result both live and
 * durable, as a reboot would.
 */
#ifndef VTAPE_TEST_STORE_H
#define VTAPE_TEST_STORE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <kunit/test.h>

#include "dev_handlers/vtape/vtape_cart.h"

struct ts_img {
	uint8_t *b;
	size_t size, cap;
};

struct ts_op {
	bool trunc;
	uint64_t off; /* write offset, or the new size */
	size_t len;
	uint8_t *data;
};

struct ts_store {
	struct vtape_store st;
	struct ts_img live, dur;
	struct ts_op *ops;
	size_t nops, ops_cap;
	/* A store that cannot shrink (a block device): truncate does nothing
	 * and says it did; stale records stay where they were. */
	bool no_truncate;
	/* Faults: the nth next call (1 = the next one) fails with -EIO. */
	unsigned int fail_write, fail_sync, fail_read;
	/* Counters of calls. */
	unsigned int nwrites, nsyncs, ntruncs, nreads;
	/* The cartridge ts_open() opened last; closed with the store. */
	struct vtape_cart *cart;
};

enum ts_crash_mode {
	TS_CRASH_PREFIX, /* a prefix of the pending operations lands */
	TS_CRASH_SUBSET, /* any subset lands */
};

/* A new empty store, freed at the end of the test or by ts_release(). */
struct ts_store *ts_new(struct kunit *test);
void ts_release(struct kunit *test, struct ts_store *s);
/* Lose power: see above. @seed picks what lands and where it tears. */
void ts_crash(struct ts_store *s, enum ts_crash_mode mode, uint64_t seed);
/* Crash keeping exactly the pending operations whose bit is set in @keep
 * (operation i: bit i), tearing operation @torn (if kept and a write) at
 * @cut bytes: @torn_head keeps its first @cut bytes, else the rest. */
void ts_crash_exact(struct ts_store *s, uint64_t keep, int torn, size_t cut,
		    bool torn_head);
size_t ts_pending(const struct ts_store *s);
/* Flip bits of the live (and durable) image at @off. */
void ts_corrupt(struct ts_store *s, uint64_t off, uint8_t xor_mask);
/* A copy of the image to restore later (both are test allocations). */
struct ts_img ts_snapshot(struct kunit *test, const struct ts_store *s);
void ts_restore(struct ts_store *s, const struct ts_img *img);

/* Log lines go to a counter and the last line is kept (until the end of
 * the test), instead of to stderr. */
void ts_log_capture(struct kunit *test);
unsigned int ts_log_lines(void);
const char *ts_log_last(void);

/* xorshift64* */
uint64_t ts_rand(uint64_t *state);
/* The bytes of a block written with @seed; ts_check_data() tells. */
void ts_fill(uint8_t *buf, size_t len, uint32_t seed);
bool ts_check_data(const uint8_t *buf, size_t len, uint32_t seed);

/* Format with @capacity and barcode @barcode, then ts_open(); asserts. */
struct vtape_cart *ts_format_open(struct kunit *test, struct ts_store *s,
				  uint64_t capacity, const char *barcode,
				  bool wp);
/* Close the store's cartridge (if open) and open it again; asserts. */
struct vtape_cart *ts_open(struct kunit *test, struct ts_store *s);
void ts_close(struct ts_store *s);
/* Write a block of @len bytes with @seed; returns write_block's result. */
int ts_write(struct kunit *test, struct vtape_cart *c, uint32_t len,
	     uint32_t seed);

#endif /* VTAPE_TEST_STORE_H */
