// SPDX-License-Identifier: GPL-2.0-only
/*
 * Heap memory with exact accounting, and object caches with per-thread
 * magazines.
 *
 * Heap: every scst_os_alloc() block carries a 16-byte header with its size,
 * so scst_os_free() can keep the live block and byte counters exact.
 *
 * Caches: a cache owns its objects in slabs and keeps the free ones in a
 * global depot (a free list under the cache's mutex). Each thread keeps one
 * magazine of up to OS_USER_MAG_SIZE free objects per cache, indexed by the
 * cache's slot, so alloc and free usually take no lock. A magazine that runs
 * empty refills half-way from the depot; a full one spills half back.
 *
 * A slab is one malloc() block: its header first, then the objects, each
 * 16-byte aligned. An aligned cache (scst_os_cache_create_aligned) takes
 * its slabs from posix_memalign() instead and keeps the header after the
 * objects, so that the first object, and with a stride rounded up to the
 * alignment every other one, starts on the boundary without a gap.
 *
 * A magazine is tagged with the generation of the cache it belongs to. Each
 * cache gets a new generation, so when a cache is destroyed and its slot is
 * reused, a magazine still holding pointers into the old cache's (freed)
 * slabs sees the mismatch and drops them without touching them. Destroy can
 * therefore free every slab, including objects sitting in other threads'
 * magazines, without reaching into those threads. When a thread exits, its
 * magazines go back to the depots under the registry lock, which also
 * serialises against destroy.
 */
#include <errno.h>
#include <stdalign.h>
#include <stdio.h>
#include <stdlib.h>

#include "os_user_internal.h"

/* ------------------------------------------------------------- heap ---- */

#define OS_HEAP_MAGIC 0x5c57a110c8ed0b1eULL

struct os_heap_hdr {
	size_t size;
	uint64_t magic;
};

_Static_assert(sizeof(struct os_heap_hdr) == 16, "heap header size");
_Static_assert(alignof(max_align_t) <= 16, "heap header keeps alignment");

static long os_heap_allocs;
static long os_heap_bytes;

void *scst_os_alloc(size_t size)
{
	struct os_heap_hdr *h;

	if (size > SIZE_MAX - sizeof(*h))
		return NULL;
	h = malloc(sizeof(*h) + size);
	if (!h)
		return NULL;
	h->size = size;
	h->magic = OS_HEAP_MAGIC;
	__atomic_add_fetch(&os_heap_allocs, 1, __ATOMIC_RELAXED);
	__atomic_add_fetch(&os_heap_bytes, (long)size, __ATOMIC_RELAXED);
	return h + 1;
}

void *scst_os_zalloc(size_t size)
{
	void *p = scst_os_alloc(size);

	if (p)
		memset(p, 0, size);
	return p;
}

void scst_os_free(void *p)
{
	struct os_heap_hdr *h;

	if (!p)
		return;
	h = (struct os_heap_hdr *)p - 1;
	SCST_BUG_ON(h->magic != OS_HEAP_MAGIC);
	h->magic = 0;
	__atomic_sub_fetch(&os_heap_allocs, 1, __ATOMIC_RELAXED);
	__atomic_sub_fetch(&os_heap_bytes, (long)h->size, __ATOMIC_RELAXED);
	free(h);
}

/* ----------------------------------------------------------- caches ---- */

#define OS_SLAB_BYTES	 32768
#define OS_SLAB_MAX_OBJS 128
#define OS_OBJ_ALIGN	 16

struct os_slab {
	struct os_slab *next;
	void *base; /* the block to free(); keeps the objects 16-byte aligned */
};

_Static_assert(sizeof(struct os_slab) == OS_OBJ_ALIGN, "slab header size");

struct os_free_obj {
	struct os_free_obj *next;
};

struct scst_os_cache {
	char name[32];
	size_t obj_size; /* what the user asked for */
	size_t align;	 /* of every object: OS_OBJ_ALIGN or more */
	size_t stride;	 /* obj_size rounded up to align */
	unsigned int slab_objs;
	int slot;		    /* magazine slot, -1 if none was free */
	uint64_t gen;		    /* unique in the process, never 0 */
	struct scst_list_head node; /* in os_caches, under os_reg_lock */

	pthread_mutex_t lock; /* guards the fields below */
	struct os_free_obj *depot;
	long depot_n;
	struct os_slab *slabs;
	long carved;

	/* Written on every alloc and free: keep it off the depot's line. */
	alignas(64) long outstanding;
};

/* One magazine: free objects of the cache whose generation is @gen. */
struct os_mag {
	uint64_t gen;
	unsigned int n;
	void *obj[OS_USER_MAG_SIZE];
};

static pthread_mutex_t os_reg_lock = PTHREAD_MUTEX_INITIALIZER;
static struct scst_os_cache *os_slots[OS_USER_CACHE_SLOTS];
static struct scst_list_head os_caches = SCST_LIST_HEAD_INIT(os_caches);
static uint64_t os_next_gen = 1;

static pthread_once_t os_mag_once = PTHREAD_ONCE_INIT;
static pthread_key_t os_mag_key;
static bool os_mag_key_ok;
static __thread struct os_mag *os_mags; /* [OS_USER_CACHE_SLOTS] */

static void os_depot_push(struct scst_os_cache *c, void *obj)
{
	struct os_free_obj *f = obj;

	f->next = c->depot;
	c->depot = f;
	c->depot_n++;
}

static void *os_depot_pop(struct scst_os_cache *c)
{
	struct os_free_obj *f = c->depot;

	if (f) {
		c->depot = f->next;
		c->depot_n--;
	}
	return f;
}

/* Called at thread exit: hand the thread's magazines back to the depots. */
static void os_mags_release(void *arg)
{
	struct os_mag *mags = arg;
	struct scst_os_cache *c;
	unsigned int i, j;

	pthread_mutex_lock(&os_reg_lock);
	for (i = 0; i < OS_USER_CACHE_SLOTS; i++) {
		c = os_slots[i];
		if (!c || mags[i].gen != c->gen || !mags[i].n)
			continue;
		pthread_mutex_lock(&c->lock);
		for (j = 0; j < mags[i].n; j++)
			os_depot_push(c, mags[i].obj[j]);
		pthread_mutex_unlock(&c->lock);
	}
	pthread_mutex_unlock(&os_reg_lock);
	if (os_mags == mags)
		os_mags = NULL;
	free(mags);
}

static void os_mag_key_init(void)
{
	os_mag_key_ok = pthread_key_create(&os_mag_key, os_mags_release) == 0;
}

/* This thread's magazine for @c, or NULL if it cannot have one. */
static struct os_mag *os_mag_get(struct scst_os_cache *c)
{
	struct os_mag *m;

	if (c->slot < 0)
		return NULL;
	if (!os_mags) {
		pthread_once(&os_mag_once, os_mag_key_init);
		if (!os_mag_key_ok)
			return NULL;
		os_mags = calloc(OS_USER_CACHE_SLOTS, sizeof(*os_mags));
		if (!os_mags)
			return NULL;
		if (pthread_setspecific(os_mag_key, os_mags)) {
			free(os_mags);
			os_mags = NULL;
			return NULL;
		}
	}
	m = &os_mags[c->slot];
	if (m->gen != c->gen) {
		/* Left over from a destroyed cache: its memory is gone. */
		m->gen = c->gen;
		m->n = 0;
	}
	return m;
}

/* Add a slab's worth of objects to the depot. Called with c->lock held. */
static int os_cache_grow(struct scst_os_cache *c)
{
	size_t objs = (size_t)c->slab_objs * c->stride;
	struct os_slab *s;
	void *base;
	char *p;
	unsigned int i;

	if (c->align > OS_OBJ_ALIGN) {
		if (posix_memalign(&base, c->align, objs + sizeof(*s)))
			return -ENOMEM;
		s = (struct os_slab *)((char *)base + objs);
		p = base;
	} else {
		base = malloc(sizeof(*s) + objs);
		if (!base)
			return -ENOMEM;
		s = base;
		p = (char *)(s + 1);
	}
	s->base = base;
	s->next = c->slabs;
	c->slabs = s;
	for (i = c->slab_objs; i-- > 0;)
		os_depot_push(c, p + (size_t)i * c->stride);
	c->carved += c->slab_objs;
	return 0;
}

/* One object from the depot; refills @m half-way on the way. */
static void *os_cache_refill(struct scst_os_cache *c, struct os_mag *m)
{
	void *obj;

	pthread_mutex_lock(&c->lock);
	if (!c->depot && os_cache_grow(c)) {
		pthread_mutex_unlock(&c->lock);
		return NULL;
	}
	obj = os_depot_pop(c);
	while (m && c->depot && m->n < OS_USER_MAG_SIZE / 2)
		m->obj[m->n++] = os_depot_pop(c);
	pthread_mutex_unlock(&c->lock);
	return obj;
}

/* Move half of a full magazine back to the depot. */
static void os_cache_spill(struct scst_os_cache *c, struct os_mag *m)
{
	pthread_mutex_lock(&c->lock);
	while (m->n > OS_USER_MAG_SIZE / 2)
		os_depot_push(c, m->obj[--m->n]);
	pthread_mutex_unlock(&c->lock);
}

struct scst_os_cache *scst_os_cache_create(const char *name, size_t obj_size)
{
	return scst_os_cache_create_aligned(name, obj_size, OS_OBJ_ALIGN);
}

struct scst_os_cache *
scst_os_cache_create_aligned(const char *name, size_t obj_size, size_t align)
{
	struct scst_os_cache *c;
	size_t stride;
	void *mem;
	int i;

	if (!align || (align & (align - 1)) ||
	    align > SCST_OS_CACHE_MAX_ALIGN || obj_size > SIZE_MAX / 2)
		return NULL;
	if (align < OS_OBJ_ALIGN)
		align = OS_OBJ_ALIGN;
	stride = (obj_size + align - 1) & ~(align - 1);
	if (stride < align)
		stride = align;
	if (posix_memalign(&mem, alignof(struct scst_os_cache), sizeof(*c)))
		return NULL;
	c = mem;
	memset(c, 0, sizeof(*c));
	snprintf(c->name, sizeof(c->name), "%s", name ? name : "");
	c->obj_size = obj_size;
	c->align = align;
	c->stride = stride;
	c->slab_objs = OS_SLAB_BYTES / stride;
	if (c->slab_objs > OS_SLAB_MAX_OBJS)
		c->slab_objs = OS_SLAB_MAX_OBJS;
	if (c->slab_objs < 1)
		c->slab_objs = 1;
	if (pthread_mutex_init(&c->lock, NULL)) {
		free(c);
		return NULL;
	}

	pthread_mutex_lock(&os_reg_lock);
	c->gen = os_next_gen++;
	c->slot = -1;
	for (i = 0; !OS_USER_CACHE_BYPASS && i < OS_USER_CACHE_SLOTS; i++) {
		if (!os_slots[i]) {
			os_slots[i] = c;
			c->slot = i;
			break;
		}
	}
	scst_list_add_tail(&c->node, &os_caches);
	pthread_mutex_unlock(&os_reg_lock);
	return c;
}

void *scst_os_cache_alloc(struct scst_os_cache *c)
{
	struct os_mag *m;
	void *obj;

	if (OS_USER_CACHE_BYPASS) {
		if (posix_memalign(&obj, c->align,
				   c->obj_size ? c->obj_size : 1))
			obj = NULL;
	} else {
		m = os_mag_get(c);
		if (m && m->n)
			obj = m->obj[--m->n];
		else
			obj = os_cache_refill(c, m);
	}
	if (obj)
		__atomic_add_fetch(&c->outstanding, 1, __ATOMIC_RELAXED);
	return obj;
}

void *scst_os_cache_zalloc(struct scst_os_cache *c)
{
	void *obj = scst_os_cache_alloc(c);

	if (obj)
		memset(obj, 0, c->obj_size);
	return obj;
}

void scst_os_cache_free(struct scst_os_cache *c, void *obj)
{
	struct os_mag *m;

	if (!obj)
		return;
	if (OS_USER_CACHE_BYPASS) {
		free(obj);
	} else {
		m = os_mag_get(c);
		if (m) {
			if (m->n == OS_USER_MAG_SIZE)
				os_cache_spill(c, m);
			m->obj[m->n++] = obj;
		} else {
			pthread_mutex_lock(&c->lock);
			os_depot_push(c, obj);
			pthread_mutex_unlock(&c->lock);
		}
	}
	__atomic_sub_fetch(&c->outstanding, 1, __ATOMIC_RELEASE);
}

long scst_os_cache_outstanding(struct scst_os_cache *c)
{
	return __atomic_load_n(&c->outstanding, __ATOMIC_ACQUIRE);
}

int scst_os_cache_destroy(struct scst_os_cache *c)
{
	struct os_slab *s, *next;

	if (!c)
		return 0;
	pthread_mutex_lock(&os_reg_lock);
	if (scst_os_cache_outstanding(c)) {
		pthread_mutex_unlock(&os_reg_lock);
		return -EBUSY;
	}
	if (c->slot >= 0) {
		os_slots[c->slot] = NULL;
		if (os_mags && os_mags[c->slot].gen == c->gen)
			os_mags[c->slot].n = 0;
	}
	scst_list_del_init(&c->node);
	pthread_mutex_unlock(&os_reg_lock);

	for (s = c->slabs; s; s = next) {
		next = s->next;
		free(s->base);
	}
	pthread_mutex_destroy(&c->lock);
	free(c);
	return 0;
}

void os_user_cache_info(struct scst_os_cache *c,
			struct os_user_cache_info *info)
{
	info->slot = c->slot;
	pthread_mutex_lock(&c->lock);
	info->depot = c->depot_n;
	info->carved = c->carved;
	pthread_mutex_unlock(&c->lock);
}

void scst_os_mem_stats(struct scst_os_mem_stats *st)
{
	struct scst_list_head *pos;
	long objs = 0;

	st->heap_allocs = __atomic_load_n(&os_heap_allocs, __ATOMIC_RELAXED);
	st->heap_bytes = __atomic_load_n(&os_heap_bytes, __ATOMIC_RELAXED);
	/*
	 * Walks the nodes, not the entries: the caches are 64-byte aligned,
	 * and scst_list_for_each_entry() would form a misaligned pointer
	 * from the list head when it reaches the end.
	 */
	pthread_mutex_lock(&os_reg_lock);
	for (pos = os_caches.next; pos != &os_caches; pos = pos->next)
		objs += scst_os_cache_outstanding(
		    scst_list_entry(pos, struct scst_os_cache, node));
	pthread_mutex_unlock(&os_reg_lock);
	st->cache_objs = objs;
}
