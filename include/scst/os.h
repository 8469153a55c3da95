/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * The platform layer: everything the kernel-portable code (scst/src, the
 * protocol logic of the transports, the SCSI emulation of the handlers) may
 * use beyond freestanding C and <string.h>. Memory, locks, atomics, threads,
 * wait queues, completions, work queues, timers, time and logging.
 *
 * The user-space implementation lives in scst/os/user/; the small inline
 * pieces (locks, atomics) are in os_user.h. A kernel build would provide an
 * os_kernel.h mapping the same names to the kernel's primitives.
 *
 * Error convention everywhere: 0 or a positive count on success, a negative
 * errno on failure.
 */
#ifndef SCST_OS_H
#define SCST_OS_H

#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include "scst/list.h"

/* ------------------------------------------------------------ memory ---- */

/* Heap memory. NULL on failure. Every byte is accounted (see stats). */
void *scst_os_alloc(size_t size);
void *scst_os_zalloc(size_t size);
void scst_os_free(void *p);

/*
 * Object caches: fixed-size objects with per-thread magazines, so that the
 * per-command path never takes a global lock in the common case. Objects
 * come back uninitialised from _alloc, zeroed from _zalloc.
 */
struct scst_os_cache;
struct scst_os_cache *scst_os_cache_create(const char *name, size_t obj_size);
/*
 * The same, with every object starting at a multiple of @align (a power of
 * two; at most SCST_OS_CACHE_MAX_ALIGN), e.g. 4096 for buffers that go to
 * O_DIRECT I/O as they are. NULL when @align is not allowed.
 */
#define SCST_OS_CACHE_MAX_ALIGN 65536u
struct scst_os_cache *
scst_os_cache_create_aligned(const char *name, size_t obj_size, size_t align);
void *scst_os_cache_alloc(struct scst_os_cache *c);
void *scst_os_cache_zalloc(struct scst_os_cache *c);
void scst_os_cache_free(struct scst_os_cache *c, void *obj);
/* Objects handed out and not yet freed (exact; any thread may ask). */
long scst_os_cache_outstanding(struct scst_os_cache *c);
/* All objects must have been freed. Returns -EBUSY if some are not. */
int scst_os_cache_destroy(struct scst_os_cache *c);

struct scst_os_mem_stats {
	long heap_allocs; /* live scst_os_alloc() blocks */
	long heap_bytes;  /* their total size */
	long cache_objs;  /* live objects over all caches */
};
void scst_os_mem_stats(struct scst_os_mem_stats *st);

/* ------------------------------------------------ locks and atomics ---- */

/* Inline, platform-specific definitions of the lock and atomic types. */
#include "scst/os_user.h"

/*
 * struct scst_mutex: may sleep while held.
 * struct scst_spinlock: short critical sections only; never sleep inside.
 * struct scst_rwlock: many readers or one writer.
 *
 * void scst_mutex_init(struct scst_mutex *), _destroy, _lock, _unlock;
 * bool scst_mutex_trylock(struct scst_mutex *);
 * same for scst_spin_* and scst_rwlock_{init,destroy,read_lock,read_unlock,
 * write_lock,write_unlock}.
 *
 * scst_atomic_t (int) and scst_atomic64_t (int64_t):
 *   scst_atomic_read/set/inc/dec, scst_atomic_add_return,
 *   scst_atomic_inc_return, scst_atomic_dec_and_test (true when it hits 0),
 *   scst_atomic_cmpxchg (returns the old value), scst_atomic_xchg;
 *   scst_atomic64_read/set/add/add_return.
 * scst_atomic_or_fetch_ul / scst_atomic_and_fetch_ul on unsigned long flags,
 * scst_test_and_set_bit / scst_test_bit / scst_clear_bit.
 */

/* ----------------------------------------------------------- threads ---- */

struct scst_thread;
/*
 * Start @fn(@arg) in a new thread named @name (at most 15 chars are kept).
 * On success *@out holds the handle for scst_thread_join().
 */
int scst_thread_create(struct scst_thread **out, int (*fn)(void *arg),
		       void *arg, const char *name);
/* Wait for the thread to return; gives back fn's return value. */
int scst_thread_join(struct scst_thread *t);
/* The calling thread's handle, or NULL if it was not made by us. */
struct scst_thread *scst_thread_current(void);
/* Number of online CPUs (at least 1). */
unsigned int scst_os_num_cpus(void);

/* ------------------------------------------ wait queues, completions ---- */

/*
 * A wait queue. A waiter sleeps until cond(arg) is true; cond is evaluated
 * with the queue's internal lock held, so a waker that changes the state and
 * then calls scst_wake_up() can never be missed.
 */
struct scst_waitq {
	struct scst_os_waitq_impl impl;
};
void scst_waitq_init(struct scst_waitq *wq);
void scst_waitq_destroy(struct scst_waitq *wq);
void scst_wake_up(struct scst_waitq *wq); /* wakes all waiters */
void scst_wait_event(struct scst_waitq *wq, bool (*cond)(void *arg), void *arg);
/* Returns true if cond became true, false after @timeout_ns. */
bool scst_wait_event_timeout(struct scst_waitq *wq, bool (*cond)(void *arg),
			     void *arg, uint64_t timeout_ns);

struct scst_completion {
	struct scst_waitq wq;
	unsigned int done; /* guarded by wq's lock */
};
void scst_completion_init(struct scst_completion *c);
void scst_completion_destroy(struct scst_completion *c);
void scst_complete(struct scst_completion *c);	   /* releases one waiter */
void scst_complete_all(struct scst_completion *c); /* releases all, forever */
void scst_wait_for_completion(struct scst_completion *c);
bool scst_wait_for_completion_timeout(struct scst_completion *c,
				      uint64_t timeout_ns);

/* -------------------------------------------------------- work queues ---- */

struct scst_work;
typedef void (*scst_work_fn)(struct scst_work *w);
struct scst_work {
	struct scst_list_head entry; /* owned by the work queue */
	scst_work_fn fn;
	scst_atomic_t pending; /* 1 while queued, not yet started */
};
void scst_work_init(struct scst_work *w, scst_work_fn fn);

struct scst_workqueue;
/* @nthreads worker threads (0 = one per CPU). NULL on failure. */
struct scst_workqueue *scst_workqueue_create(const char *name,
					     unsigned int nthreads);
/* Queue @w unless already pending; returns false if it was pending. */
bool scst_queue_work(struct scst_workqueue *wq, struct scst_work *w);
/* Wait until every work queued before the call has run. */
void scst_workqueue_flush(struct scst_workqueue *wq);
/* Runs what is queued, then stops the threads and frees the queue. */
void scst_workqueue_destroy(struct scst_workqueue *wq);

/* ------------------------------------------------------------- timers ---- */

struct scst_timer;
typedef void (*scst_timer_fn)(struct scst_timer *t);
struct scst_timer {
	scst_timer_fn fn;
	uint64_t expires_ns;	     /* owned by the timer service */
	struct scst_list_head entry; /* owned by the timer service */
	bool armed;		     /* owned by the timer service */
};
void scst_timer_init(struct scst_timer *t, scst_timer_fn fn);
/* (Re)arm @t to fire once, @delay_ns from now, in the timer thread. */
void scst_timer_mod(struct scst_timer *t, uint64_t delay_ns);
/* Disarm. Returns true if it was armed. The callback may be running. */
bool scst_timer_del(struct scst_timer *t);
/* Disarm and wait for a running callback to return. */
void scst_timer_del_sync(struct scst_timer *t);

/* --------------------------------------------------------------- time ---- */

uint64_t scst_os_now_ns(void); /* monotonic */
void scst_os_msleep(unsigned int ms);
void scst_os_yield(void);

/* ------------------------------------------------------------ logging ---- */

enum scst_log_level {
	SCST_LOG_ERR,
	SCST_LOG_WARN,
	SCST_LOG_INFO,
	SCST_LOG_DEBUG,
};

void scst_log(enum scst_log_level lvl, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));
void scst_vlog(enum scst_log_level lvl, const char *fmt, va_list ap);
void scst_log_set_level(enum scst_log_level lvl);
enum scst_log_level scst_log_get_level(void);
/* Where formatted lines go (default: stderr with a timestamp). */
typedef void (*scst_log_sink_fn)(enum scst_log_level lvl, const char *line);
void scst_log_set_sink(scst_log_sink_fn sink);
static inline bool scst_log_enabled(enum scst_log_level lvl)
{
	return lvl <= scst_log_get_level();
}

/* At most @burst messages per @interval_ns; counts what it suppressed. */
struct scst_ratelimit {
	uint64_t interval_ns;
	unsigned int burst;
	struct scst_spinlock lock; /* owned by scst_ratelimit() */
	uint64_t begin_ns;
	unsigned int printed;
	unsigned int missed;
};
void scst_ratelimit_init(struct scst_ratelimit *rl, uint64_t interval_ns,
			 unsigned int burst);
bool scst_ratelimit(struct scst_ratelimit *rl);

#define scst_err(...)  scst_log(SCST_LOG_ERR, __VA_ARGS__)
#define scst_warn(...) scst_log(SCST_LOG_WARN, __VA_ARGS__)
#define scst_info(...) scst_log(SCST_LOG_INFO, __VA_ARGS__)
#define scst_dbg(...)                                                          \
	do {                                                                   \
		if (scst_log_enabled(SCST_LOG_DEBUG))                          \
			scst_log(SCST_LOG_DEBUG, __VA_ARGS__);                 \
	} while (0)

int scst_snprintf(char *buf, size_t size, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));
int scst_vsnprintf(char *buf, size_t size, const char *fmt, va_list ap);

/* ------------------------------------------------------- state files ---- */

/*
 * Small files of persistent state (e.g. persistent reservations with
 * APTPL) in a directory the program names (scstd's --state-dir). Blocking
 * I/O: call them from a thread that may sleep.
 *
 * scst_os_file_write_atomic: @dir/@name holds exactly @buf afterwards, or
 * keeps its old content if anything fails, also across a crash: the data
 * go to a temporary file, which is flushed to disk, renamed over @name,
 * and the directory is flushed too.
 * scst_os_file_read: the whole file in a buffer from scst_os_alloc() (the
 * caller frees it) and NUL-terminated (not counted in *@len); -ENOENT if
 * it does not exist, -EFBIG past @max bytes.
 * scst_os_file_remove: 0 also when it did not exist.
 */
int scst_os_file_write_atomic(const char *dir, const char *name,
			      const void *buf, size_t len);
int scst_os_file_read(const char *dir, const char *name, size_t max, char **buf,
		      size_t *len);
int scst_os_file_remove(const char *dir, const char *name);

/* ------------------------------------------------------- checksums ---- */

/*
 * CRC32C (Castagnoli, reflected, as iSCSI digests and ext4 use it): the
 * finished CRC of @len bytes at @buf continuing from @seed (0 to start; a
 * finished CRC as @seed chains). User space: ISA-L; a kernel: crc32c().
 */
uint32_t scst_os_crc32c(uint32_t seed, const void *buf, size_t len);

/* ------------------------------------------------------ fatal checks ---- */

/* Logs the failed condition and stops the process (a kernel build: BUG()). */
__attribute__((noreturn)) void scst_os_bug(const char *file, int line,
					   const char *cond);
#define SCST_BUG_ON(c)                                                         \
	do {                                                                   \
		if (__builtin_expect(!!(c), 0))                                \
			scst_os_bug(__FILE__, __LINE__, #c);                   \
	} while (0)

/* ------------------------------------------------------ fault hooks ---- */

/* Cheap pseudo-random numbers for tests and jitter (per-thread state). */
uint32_t scst_os_random_u32(void);

#endif /* SCST_OS_H */
