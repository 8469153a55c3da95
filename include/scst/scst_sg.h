/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Scatter-gather lists of command buffers, and the one way to walk them.
 *
 * A command's data buffer is a list of pieces (struct scst_sg). Code that
 * moves data to or from it (a transport filling Data-Out, a backend
 * building iovecs or copying a block) walks it with an iterator instead of
 * indexing sg[i] by hand:
 *
 *   struct scst_sg_iter it;
 *   void *p;
 *   uint32_t n;
 *
 *   scst_sg_iter_init(&it, sg, cnt, offset, len);
 *   while (scst_sg_iter_next(&it, &p, &n, 0))
 *           use n bytes at p;
 *
 * Header only and freestanding: the core, modules and tests share it.
 */
#ifndef SCST_SG_H
#define SCST_SG_H

#include <stdbool.h>
#include <stdint.h>
#include <string.h>

struct scst_sg {
	void *addr;
	uint32_t len;
};

struct scst_sg_iter {
	const struct scst_sg *sg;
	unsigned int cnt;
	unsigned int i; /* current piece */
	uint32_t off;	/* offset within it */
	uint64_t left;	/* bytes still to visit */
};

/*
 * Visit @len bytes of @sg (@cnt pieces) starting @offset bytes in; fewer
 * when the list ends first.
 */
static inline void scst_sg_iter_init(struct scst_sg_iter *it,
				     const struct scst_sg *sg, unsigned int cnt,
				     uint64_t offset, uint64_t len)
{
	it->sg = sg;
	it->cnt = cnt;
	it->i = 0;
	it->left = len;
	while (it->i < cnt && offset >= sg[it->i].len) {
		offset -= sg[it->i].len;
		it->i++;
	}
	it->off = (uint32_t)offset;
}

/*
 * The next run of bytes: *@addr and *@len (at most @max when @max is not
 * zero). False when nothing is left.
 */
static inline bool scst_sg_iter_next(struct scst_sg_iter *it, void **addr,
				     uint32_t *len, uint32_t max)
{
	uint64_t n;

	while (it->i < it->cnt && it->off >= it->sg[it->i].len) {
		it->i++;
		it->off = 0;
	}
	if (!it->left || it->i >= it->cnt)
		return false;
	n = it->sg[it->i].len - it->off;
	if (n > it->left)
		n = it->left;
	if (max && n > max)
		n = max;
	*addr = (uint8_t *)it->sg[it->i].addr + it->off;
	*len = (uint32_t)n;
	it->off += (uint32_t)n;
	it->left -= n;
	return true;
}

/* Copy @len bytes from @src into the list at @offset; returns bytes copied. */
static inline uint64_t scst_sg_copy_in(const struct scst_sg *sg,
				       unsigned int cnt, uint64_t offset,
				       const void *src, uint64_t len)
{
	struct scst_sg_iter it;
	const uint8_t *s = (const uint8_t *)src;
	uint64_t done = 0;
	uint32_t n;
	void *p;

	scst_sg_iter_init(&it, sg, cnt, offset, len);
	while (scst_sg_iter_next(&it, &p, &n, 0)) {
		memcpy(p, s + done, n);
		done += n;
	}
	return done;
}

/* Copy @len bytes at @offset of the list out to @dst; returns bytes copied. */
static inline uint64_t scst_sg_copy_out(const struct scst_sg *sg,
					unsigned int cnt, uint64_t offset,
					void *dst, uint64_t len)
{
	struct scst_sg_iter it;
	uint8_t *d = (uint8_t *)dst;
	uint64_t done = 0;
	uint32_t n;
	void *p;

	scst_sg_iter_init(&it, sg, cnt, offset, len);
	while (scst_sg_iter_next(&it, &p, &n, 0)) {
		memcpy(d + done, p, n);
		done += n;
	}
	return done;
}

#endif /* SCST_SG_H */
