/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Internal to the user-space platform layer (scst/os/user/) and its unit
 * tests. Nothing outside those two places includes this header.
 */
#ifndef SCST_OS_USER_INTERNAL_H
#define SCST_OS_USER_INTERNAL_H

#include <pthread.h>
#include <stdint.h>
#include <time.h>

#include "scst/os.h"

/*
 * Under AddressSanitizer the object caches hand out one malloc() block per
 * object, so ASan sees overflows past obj_size, use after free and leaks.
 * The counters stay exact either way.
 */
#if defined(__SANITIZE_ADDRESS__)
#define OS_USER_CACHE_BYPASS 1
#elif defined(__has_feature)
#if __has_feature(address_sanitizer)
#define OS_USER_CACHE_BYPASS 1
#endif
#endif
#ifndef OS_USER_CACHE_BYPASS
#define OS_USER_CACHE_BYPASS 0
#endif

/* Per-thread magazine slots (cache ids) and objects per magazine. */
#define OS_USER_CACHE_SLOTS 64
#define OS_USER_MAG_SIZE    32

#define OS_USER_NSEC_PER_SEC 1000000000ULL

/* A condition variable that measures timeouts on CLOCK_MONOTONIC. */
int os_user_cond_init(pthread_cond_t *cv);

/* The absolute CLOCK_MONOTONIC time @ns from now, for timed waits. */
void os_user_deadline(struct timespec *ts, uint64_t ns);

/* The absolute CLOCK_MONOTONIC time @abs_ns, for timed waits. */
void os_user_ns_to_timespec(struct timespec *ts, uint64_t abs_ns);

/* What a cache holds beyond its outstanding objects (for tests). */
struct os_user_cache_info {
	int slot;    /* magazine slot, -1 if the cache has none */
	long depot;  /* free objects in the global depot */
	long carved; /* objects carved from slabs over the cache's life */
};
void os_user_cache_info(struct scst_os_cache *c,
			struct os_user_cache_info *info);

/*
 * "debug", "info", "warn" or "err" (also "warning", "error", or the level's
 * number) to a level; -1 if @s names none.
 */
int os_user_log_level_from_str(const char *s);

#endif /* SCST_OS_USER_INTERNAL_H */
