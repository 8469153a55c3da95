/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Intrusive doubly linked lists, shaped like the kernel's list_head so the
 * core reads the same in user space and in a kernel build. Freestanding:
 * needs only stddef.h.
 */
#ifndef SCST_LIST_H
#define SCST_LIST_H

#include <stdbool.h>
#include <stddef.h>

struct scst_list_head {
	struct scst_list_head *next, *prev;
};

#define SCST_LIST_HEAD_INIT(name)                                              \
	{                                                                      \
		&(name), &(name)                                               \
	}
#define SCST_LIST_HEAD_DEF(name)                                               \
	struct scst_list_head name = SCST_LIST_HEAD_INIT(name)

#define scst_container_of(ptr, type, member)                                   \
	((type *)(void *)((char *)(ptr)-offsetof(type, member)))

static inline void scst_list_init(struct scst_list_head *h)
{
	h->next = h;
	h->prev = h;
}

static inline void scst_list_insert__(struct scst_list_head *e,
				      struct scst_list_head *prev,
				      struct scst_list_head *next)
{
	next->prev = e;
	e->next = next;
	e->prev = prev;
	prev->next = e;
}

/* Insert @e right after @h (stack order). */
static inline void scst_list_add(struct scst_list_head *e,
				 struct scst_list_head *h)
{
	scst_list_insert__(e, h, h->next);
}

/* Insert @e right before @h (queue order). */
static inline void scst_list_add_tail(struct scst_list_head *e,
				      struct scst_list_head *h)
{
	scst_list_insert__(e, h->prev, h);
}

/* Unlink @e and leave it pointing at itself, so scst_list_empty(e) holds. */
static inline void scst_list_del_init(struct scst_list_head *e)
{
	e->next->prev = e->prev;
	e->prev->next = e->next;
	scst_list_init(e);
}

static inline bool scst_list_empty(const struct scst_list_head *h)
{
	return h->next == h;
}

/* Move every entry of @from to the tail of @to; @from ends up empty. */
static inline void scst_list_splice_tail_init(struct scst_list_head *from,
					      struct scst_list_head *to)
{
	if (scst_list_empty(from))
		return;
	from->next->prev = to->prev;
	to->prev->next = from->next;
	from->prev->next = to;
	to->prev = from->prev;
	scst_list_init(from);
}

#define scst_list_entry(ptr, type, member) scst_container_of(ptr, type, member)

#define scst_list_first_entry(h, type, member)                                 \
	scst_list_entry((h)->next, type, member)

#define scst_list_for_each_entry(pos, h, member)                               \
	for (pos = scst_list_entry((h)->next, __typeof__(*pos), member);       \
	     &pos->member != (h);                                              \
	     pos =                                                             \
		 scst_list_entry(pos->member.next, __typeof__(*pos), member))

#define scst_list_for_each_entry_safe(pos, n, h, member)                       \
	for (pos = scst_list_entry((h)->next, __typeof__(*pos), member),       \
	    n = scst_list_entry(pos->member.next, __typeof__(*pos), member);   \
	     &pos->member != (h); pos = n,                                     \
	    n = scst_list_entry(n->member.next, __typeof__(*n), member))

#endif /* SCST_LIST_H */
