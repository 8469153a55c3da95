/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * User-space definitions of the platform layer's lock and atomic types.
 * Included by os.h only; code includes os.h.
 */
#ifndef SCST_OS_USER_H
#define SCST_OS_USER_H

#ifndef SCST_OS_H
#error "include scst/os.h, not scst/os_user.h"
#endif

#include <pthread.h>

/* ------------------------------------------------------------- locks ---- */

struct scst_mutex {
	pthread_mutex_t m;
};

static inline void scst_mutex_init(struct scst_mutex *l)
{
	pthread_mutex_init(&l->m, NULL);
}

static inline void scst_mutex_destroy(struct scst_mutex *l)
{
	pthread_mutex_destroy(&l->m);
}

static inline void scst_mutex_lock(struct scst_mutex *l)
{
	pthread_mutex_lock(&l->m);
}

static inline bool scst_mutex_trylock(struct scst_mutex *l)
{
	return pthread_mutex_trylock(&l->m) == 0;
}

static inline void scst_mutex_unlock(struct scst_mutex *l)
{
	pthread_mutex_unlock(&l->m);
}

/*
 * A user-space "spinlock" is an adaptive mutex: a preempted holder must not
 * make the other threads burn their time slice spinning.
 */
struct scst_spinlock {
	pthread_mutex_t m;
};

static inline void scst_spin_init(struct scst_spinlock *l)
{
	pthread_mutex_init(&l->m, NULL);
}

static inline void scst_spin_destroy(struct scst_spinlock *l)
{
	pthread_mutex_destroy(&l->m);
}

static inline void scst_spin_lock(struct scst_spinlock *l)
{
	pthread_mutex_lock(&l->m);
}

static inline bool scst_spin_trylock(struct scst_spinlock *l)
{
	return pthread_mutex_trylock(&l->m) == 0;
}

static inline void scst_spin_unlock(struct scst_spinlock *l)
{
	pthread_mutex_unlock(&l->m);
}

struct scst_rwlock {
	pthread_rwlock_t rw;
};

static inline void scst_rwlock_init(struct scst_rwlock *l)
{
	pthread_rwlock_init(&l->rw, NULL);
}

static inline void scst_rwlock_destroy(struct scst_rwlock *l)
{
	pthread_rwlock_destroy(&l->rw);
}

static inline void scst_read_lock(struct scst_rwlock *l)
{
	pthread_rwlock_rdlock(&l->rw);
}

static inline void scst_read_unlock(struct scst_rwlock *l)
{
	pthread_rwlock_unlock(&l->rw);
}

static inline void scst_write_lock(struct scst_rwlock *l)
{
	pthread_rwlock_wrlock(&l->rw);
}

static inline void scst_write_unlock(struct scst_rwlock *l)
{
	pthread_rwlock_unlock(&l->rw);
}

/* The state behind struct scst_waitq. */
struct scst_os_waitq_impl {
	pthread_mutex_t m;
	pthread_cond_t cv;
};

/* ----------------------------------------------------------- atomics ---- */

typedef struct {
	int counter;
} scst_atomic_t;

typedef struct {
	int64_t counter;
} scst_atomic64_t;

#define SCST_ATOMIC_INIT(v)                                                    \
	{                                                                      \
		(v)                                                            \
	}

static inline int scst_atomic_read(const scst_atomic_t *a)
{
	return __atomic_load_n(&a->counter, __ATOMIC_ACQUIRE);
}

static inline void scst_atomic_set(scst_atomic_t *a, int v)
{
	__atomic_store_n(&a->counter, v, __ATOMIC_RELEASE);
}

static inline void scst_atomic_inc(scst_atomic_t *a)
{
	__atomic_add_fetch(&a->counter, 1, __ATOMIC_SEQ_CST);
}

static inline void scst_atomic_dec(scst_atomic_t *a)
{
	__atomic_sub_fetch(&a->counter, 1, __ATOMIC_SEQ_CST);
}

static inline int scst_atomic_add_return(scst_atomic_t *a, int v)
{
	return __atomic_add_fetch(&a->counter, v, __ATOMIC_SEQ_CST);
}

static inline int scst_atomic_inc_return(scst_atomic_t *a)
{
	return scst_atomic_add_return(a, 1);
}

static inline bool scst_atomic_dec_and_test(scst_atomic_t *a)
{
	return __atomic_sub_fetch(&a->counter, 1, __ATOMIC_SEQ_CST) == 0;
}

static inline int scst_atomic_cmpxchg(scst_atomic_t *a, int old, int new_v)
{
	__atomic_compare_exchange_n(&a->counter, &old, new_v, false,
				    __ATOMIC_SEQ_CST, __ATOMIC_SEQ_CST);
	return old;
}

static inline int scst_atomic_xchg(scst_atomic_t *a, int v)
{
	return __atomic_exchange_n(&a->counter, v, __ATOMIC_SEQ_CST);
}

static inline int64_t scst_atomic64_read(const scst_atomic64_t *a)
{
	return __atomic_load_n(&a->counter, __ATOMIC_ACQUIRE);
}

static inline void scst_atomic64_set(scst_atomic64_t *a, int64_t v)
{
	__atomic_store_n(&a->counter, v, __ATOMIC_RELEASE);
}

static inline void scst_atomic64_add(scst_atomic64_t *a, int64_t v)
{
	__atomic_add_fetch(&a->counter, v, __ATOMIC_RELAXED);
}

static inline int64_t scst_atomic64_add_return(scst_atomic64_t *a, int64_t v)
{
	return __atomic_add_fetch(&a->counter, v, __ATOMIC_SEQ_CST);
}

/* Bit operations on an unsigned long flag word. */
static inline bool scst_test_and_set_bit(unsigned int nr, unsigned long *w)
{
	unsigned long m = 1UL << nr;

	return (__atomic_fetch_or(w, m, __ATOMIC_SEQ_CST) & m) != 0;
}

static inline bool scst_test_and_clear_bit(unsigned int nr, unsigned long *w)
{
	unsigned long m = 1UL << nr;

	return (__atomic_fetch_and(w, ~m, __ATOMIC_SEQ_CST) & m) != 0;
}

static inline void scst_set_bit(unsigned int nr, unsigned long *w)
{
	__atomic_fetch_or(w, 1UL << nr, __ATOMIC_SEQ_CST);
}

static inline void scst_clear_bit(unsigned int nr, unsigned long *w)
{
	__atomic_fetch_and(w, ~(1UL << nr), __ATOMIC_SEQ_CST);
}

static inline bool scst_test_bit(unsigned int nr, const unsigned long *w)
{
	return (__atomic_load_n(w, __ATOMIC_ACQUIRE) >> nr) & 1UL;
}

/* Full memory barrier. */
static inline void scst_smp_mb(void)
{
	__atomic_thread_fence(__ATOMIC_SEQ_CST);
}

#endif /* SCST_OS_USER_H */
