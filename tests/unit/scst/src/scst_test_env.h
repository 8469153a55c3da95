/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * The engine fixture the KUnit suites of scst/src share: the core with the
 * scst_local target driver and null disks, sessions opened through
 * scst_local, synchronous and asynchronous requests, task management
 * functions, and the memory check of the suite's exit.
 *
 * A suite's init calls tenv_up() and its exit is tenv_down() (or calls it
 * last). The fixture lives in test->priv for the length of one case.
 */
#ifndef SCST_TEST_ENV_H
#define SCST_TEST_ENV_H

#include <stdbool.h>
#include <stdint.h>

#include <kunit/test.h>

#include "scst/os.h"
#include "scst/scst.h"
#include "../../../../dev_handlers/scst_null.h"
#include "../../../../scst_local/scst_local.h"

/* ------------------------------------------------------ environment ---- */

#define T_WAIT_MS 5000
#define T_NDEV	  3
#define T_NSESS	  4

/*
 * The engine under test: the core with a set of modules, started with the
 * log quieted below @quiet, and the memory counters it must give back.
 * t_engine_down() stops it (safe after a partial start) and checks that
 * every heap block and cache object returned; it restores the log level.
 * Every fixture of the unit tests brings the engine up through these two.
 */
struct t_engine {
	struct scst_os_mem_stats before;
	enum scst_log_level old_level;
	const struct scst_module *const *mods;
	size_t nmods;
	bool core_up, mods_up;
};

/* The content of tree file @path as a string owned by the case, or "ERR<n>". */
const char *t_tree_read(struct kunit *test, const char *path);

int t_engine_up(struct t_engine *g, const struct scst_module *const *mods,
		size_t nmods, enum scst_log_level quiet);
void t_engine_down(struct kunit *test, struct t_engine *g);

struct tenv {
	struct t_engine eng;
	struct scst_tgt *tgt;
	struct scst_device *dev[T_NDEV];
	struct scst_local_sess *sess[T_NSESS];
	int seq; /* completion order of the requests, see treq.order */
};

/* Poll @cond every millisecond for up to 5 s; fail the case on timeout. */
#define T_WAIT(test, cond, what)                                               \
	do {                                                                   \
		unsigned int t_ms__;                                           \
		for (t_ms__ = 0; !(cond) && t_ms__ < T_WAIT_MS; t_ms__++)      \
			scst_os_msleep(1);                                     \
		KUNIT_ASSERT_TRUE_MSG(                                         \
		    test, (cond), "timed out after 5 s waiting for %s", what); \
	} while (0)

/*
 * Bring up the core (2 threads, log level WARN), scst_local and the null
 * handler, target "tgt0" and @ndev (at most T_NDEV) null disks "null<i>" of
 * 2048 blocks of 512 bytes with scst_null flags @flags; map the first @nluns
 * of them at LUN i of the default group. On failure everything is torn down
 * again and the error returned: usable as (part of) a suite's init.
 */
int tenv_up(struct kunit *test, unsigned int ndev, unsigned int nluns,
	    unsigned int flags);

/*
 * A suite's exit: closes every session, completing what the null disks
 * still hold, removes target and disks, stops the engine and checks that
 * all cache objects and heap blocks were given back.
 */
void tenv_down(struct kunit *test);

/* Complete every command the null disks hold in execution. */
void tenv_release_all(struct tenv *e);

/*
 * A session closed from its own thread: scst_thread_create() runs
 * t_close_fn() on it, which closes @s and then sets @done.
 */
struct tclose {
	struct scst_local_sess *s;
	int done;
};

int t_close_fn(void *arg);

/* Close session @i (if open), completing whatever the null devices hold. */
void tenv_close(struct kunit *test, struct tenv *e, unsigned int i);

/* Open a session of @initiator with scst_local flags @flags; exit closes it. */
struct scst_local_sess *
tenv_open_flags(struct kunit *test, const char *initiator, unsigned int flags);

#define tenv_open(test, initiator) tenv_open_flags(test, initiator, 0)

/* The fixture of the running case, and its null disk @i. */
struct tenv *t_env(struct kunit *test);
struct scst_device *t_dev(struct kunit *test, unsigned int i);

/* Give commands that must not start a chance to do so anyway (50 ms). */
void t_settle(void);

/* --------------------------------------------------------- requests ---- */

/* An asynchronous request; lives until the case's memory is freed. */
struct treq {
	struct scst_local_req r;
	struct tenv *e;
	int ndone;
	int order; /* place among the completions of the case, from 1 */
	uint8_t buf[4096];
};

/* A request with @buf as Data-In buffer, not yet submitted. */
struct treq *t_req_new(struct kunit *test, uint64_t lun, const uint8_t *cdb,
		       unsigned int cdb_len, enum scst_cmd_queue_type qt,
		       uint64_t tag);

/* t_req_new() and scst_local_submit() on session @s. */
struct treq *t_req_submit(struct kunit *test, struct scst_local_sess *s,
			  uint64_t lun, const uint8_t *cdb,
			  unsigned int cdb_len, enum scst_cmd_queue_type qt,
			  uint64_t tag);

/* How often done() ran so far. */
int t_req_ndone(struct treq *q);

/* Whether scst_local holds @q waiting for its Data-Out. */
bool t_req_data_held(struct treq *q);

/* A one-block READ(10) at LBA @tag to @lun with task attribute @qt. */
struct treq *t_rd(struct kunit *test, struct scst_local_sess *s, uint64_t lun,
		  enum scst_cmd_queue_type qt, uint64_t tag);

#define T_WAIT_DONE(test, q) T_WAIT(test, t_req_ndone(q) >= 1, "done() of " #q)
#define T_WAIT_HELD(test, d, n)                                                \
	T_WAIT(test, scst_null_held(t_dev(test, d)) == (n),                    \
	       "null" #d " to hold " #n " commands")

/* ------------------------------------------------------------ results ---- */

/* status << 24 | key << 16 | ASC << 8 | ASCQ, sense of either format. */
#define T_GOOD	      0u
#define T_CC(k, a, q) (0x02000000u | ((k) << 16) | ((a) << 8) | (q))
#define T_UA(a, q)    T_CC(UNIT_ATTENTION, a, q)

extern const uint8_t t_cdb_tur[6];

uint32_t t_result(const struct scst_local_req *r);

/* Run one command to completion; returns t_result(). */
uint32_t t_exec(struct kunit *test, struct scst_local_sess *s, uint64_t lun,
		const uint8_t *cdb, unsigned int cdb_len,
		struct scst_local_req *r, void *buf, uint32_t size);

/* TEST UNIT READY; returns t_result(). */
uint32_t t_tur(struct kunit *test, struct scst_local_sess *s, uint64_t lun);

/* Consume the unit attentions of a nexus until TEST UNIT READY is GOOD. */
void t_clear_ua(struct kunit *test, struct scst_local_sess *s, uint64_t lun);

/* tenv_open() and t_clear_ua() of LUNs 0 to @nluns - 1. */
struct scst_local_sess *t_open_clear(struct kunit *test, const char *ini,
				     unsigned int nluns);

/* A READ(10)/WRITE(10)-style CDB: @op, @n blocks at @lba. */
void t_cdb_rw10(uint8_t *cdb, uint8_t op, uint32_t lba, uint16_t n);

/* Ended once, with a response and GOOD status. */
void t_expect_good_once(struct kunit *test, struct treq *q);

/* Ended once, aborted (no response). */
void t_expect_aborted_once(struct kunit *test, struct treq *q);

/* ------------------------------------------------ task management ---- */

/* A task management function answered asynchronously. */
struct ttmf {
	struct scst_local_tmf t;
	struct tenv *e;
	int ndone;
	int order; /* like treq.order */
};

/* Submit function @fn for @lun (and task @tag) on session @s. */
struct ttmf *t_tmf_submit(struct kunit *test, struct scst_local_sess *s,
			  enum scst_tmf fn, uint64_t lun, uint64_t tag);

/* How often done() ran so far. */
int t_tmf_ndone(struct ttmf *m);

#define T_WAIT_TMF(test, m) T_WAIT(test, t_tmf_ndone(m) >= 1, "answer of " #m)

/* Not answered, after t_settle(). */
void t_expect_pending(struct kunit *test, struct ttmf *m);

/* Answered exactly once with @st, having aborted @aborted commands. */
void t_expect_answer(struct kunit *test, struct ttmf *m,
		     enum scst_mgmt_status st, unsigned int aborted);

#endif /* SCST_TEST_ENV_H */
