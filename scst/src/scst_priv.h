/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * The core's own structures and internal calls. Modules never include this
 * file; they use include/scst/scst.h.
 *
 * Locking, from outer to inner (never take an outer lock while holding an
 * inner one):
 *   scst_mutex (global, configuration only: never on the command path)
 *   sess->lun_lock (rwlock: the session's LUN table)
 *   dev->lock (serialization state, tgt_dev list)
 *   order_set->lock, tgt_dev->ua_lock, sess->cmd_lock, worker->lock
 */
#ifndef SCST_PRIV_H
#define SCST_PRIV_H

#include <errno.h>

#include "scst/byteorder.h"
#include "scst/os.h"
#include "scst/scst.h"
#include "scst_sense.h"
#include "scst_tree_priv.h"

/* ------------------------------------------------- command states ---- */

/*
 * The command path of ARCHITECTURE.md. Each state has a row in the table of
 * scst_targ.c: its name, its action, and the states it may move to.
 * *_WAIT states are parking places: the command sits there until a module
 * or another command resumes it.
 */
enum scst_cmd_state {
	SCST_CMD_STATE_INIT_WAIT,     /* allocated; transport fills it */
	SCST_CMD_STATE_INIT,	      /* LUN lookup, task attribute check */
	SCST_CMD_STATE_PARSE,	      /* opcode table, handler parse */
	SCST_CMD_STATE_PREPARE_SPACE, /* data buffer */
	SCST_CMD_STATE_RDY_TO_XFER,   /* ask the transport for Data-Out */
	SCST_CMD_STATE_DATA_WAIT,     /* ... waiting for scst_rx_data() */
	SCST_CMD_STATE_EXEC_CHECK_SN, /* enter the task set (attributes) */
	SCST_CMD_STATE_ORDER_WAIT,    /* ... held by an older task */
	SCST_CMD_STATE_EXEC_CHECK_BLOCKING, /* per-device serialization */
	SCST_CMD_STATE_BLOCK_WAIT,    /* ... held by a conflicting command */
	SCST_CMD_STATE_PRE_EXEC,      /* unit attentions, read-only */
	SCST_CMD_STATE_LOCAL_EXEC,    /* core-emulated commands */
	SCST_CMD_STATE_REAL_EXEC,     /* the handler's exec() */
	SCST_CMD_STATE_EXEC_WAIT,     /* ... waiting for scst_cmd_exec_done() */
	SCST_CMD_STATE_DEV_DONE,      /* leave task set and serialization */
	SCST_CMD_STATE_PRE_XMIT_RESP, /* residuals, aborted status */
	SCST_CMD_STATE_XMIT_RESP,     /* transport sends the response */
	SCST_CMD_STATE_XMIT_WAIT,     /* ... waiting for scst_tgt_cmd_done() */
	SCST_CMD_STATE_FINISHED,      /* TMF bookkeeping, on_free_cmd, free */
	SCST_CMD_STATE_COUNT,
};

const char *scst_cmd_state_name(enum scst_cmd_state s);
/* True if the transition table allows @from -> @to. */
bool scst_cmd_state_allowed(enum scst_cmd_state from, enum scst_cmd_state to);

/* cmd->flags bits */
enum {
	SCST_CMD_F_ABORTED,	  /* a TMF or nexus loss aborted it */
	SCST_CMD_F_ABORTED_OTHER, /* ... from another I_T nexus */
	SCST_CMD_F_NO_RESP,	  /* send nothing for it */
	SCST_CMD_F_ERROR,	  /* status/sense set: skip execution */
	SCST_CMD_F_DEV_INFLIGHT,  /* counted in dev serialization */
	SCST_CMD_F_EXECUTED,	  /* handler exec() was called */
	SCST_CMD_F_FINISHED,	  /* reached FINISHED; no new TMF refs */
	SCST_CMD_F_RESP_SET,	  /* resp_data_len set explicitly */
	SCST_CMD_F_DATA_WAIT,	  /* in rdy_to_xfer; under cmd_lock */
};

/* ------------------------------------------------------ task sets ---- */

struct scst_order_slot;

/* A task set: SIMPLE groups and ORDERED barriers in arrival order. */
struct scst_order_set {
	struct scst_spinlock lock;
	struct scst_list_head slots;
};

void scst_order_set_init(struct scst_order_set *set);
void scst_order_set_destroy(struct scst_order_set *set);

/* ---------------------------------------------------------- workers ---- */

struct scst_worker {
	struct scst_thread *thread;
	unsigned int idx;
	struct scst_spinlock lock;
	struct scst_list_head cmd_queue;  /* struct scst_cmd.queue_entry */
	struct scst_list_head work_queue; /* struct scst_work.entry */
	struct scst_waitq wq;
	int sleeping; /* atomic access */
	bool stop;
	uint64_t processed; /* commands run, for stats */
	/* A transport-run worker (scst_worker_attach): how to wake it. */
	void (*kick)(void *arg);
	void *kick_arg;
	int wake_fd; /* scst_worker_set_wake_fd(); -1: none */
};

/* ------------------------------------------------------- commands ---- */

#define SCST_CMD_CDB_MAX 32
#define SCST_SG_INLINE	 4
#define SCST_BUF_SMALL	 4096u
/* SCST_BUF_CHUNK, SCST_BUF_ALIGN and SCST_SG_MAX: include/scst/scst.h */

struct scst_mgmt_stub {
	struct scst_list_head cmd_entry; /* cmd->mgmt_stubs */
	struct scst_mgmt_cmd *mcmd;
};

struct scst_cmd {
	/* ---- owned by the core ---- */
	enum scst_cmd_state state;
	unsigned long flags; /* SCST_CMD_F_* bits */
	scst_atomic_t gate;  /* async handoff, see targ.c */
	scst_atomic_t ref;
	struct scst_session *sess;
	struct scst_tgt_dev *tgt_dev; /* NULL: LUN not mapped */
	struct scst_device *dev;
	struct scst_list_head sess_entry;  /* sess->cmd_list */
	struct scst_list_head queue_entry; /* worker / order / block list */
	struct scst_list_head dev_entry;   /* dev->inflight_list */
	struct scst_list_head mgmt_stubs;  /* TMFs waiting for this cmd */
	struct scst_order_slot *slot;	   /* task set slot, if any */
	bool order_waiting;		   /* guarded by the set's lock */
	bool blocked;			   /* guarded by dev->lock */
	const struct scst_cdb_info *cdb_info;
	uint64_t seq; /* arrival number in session */

	/* ---- set by the transport ---- */
	uint8_t cdb[SCST_CMD_CDB_MAX];
	unsigned int cdb_len;
	uint64_t lun;
	uint64_t tag;
	enum scst_cmd_queue_type queue_type;
	enum scst_data_direction expected_dir;
	uint32_t expected_len;
	bool expected_set;
	void *tgt_priv;
	enum scst_rx_status rx_status;

	/* ---- decoded from the CDB, refined by the handler's parse ---- */
	enum scst_data_direction dir;
	uint32_t bufflen;
	uint64_t lba;
	uint32_t nblocks;
	uint32_t write_overflow; /* Data-Out bytes cut off by expected_len */

	/* ---- data buffer ---- */
	struct scst_sg *sg;
	unsigned int sg_cnt;
	struct scst_sg sg_inline[SCST_SG_INLINE];
	bool sg_small; /* one buffer from the 4K cache */

	/* ---- results ---- */
	uint8_t status;
	uint8_t sense[SCST_SENSE_BUFFERSIZE];
	unsigned int sense_len;
	uint32_t resp_data_len;
	void *dh_priv;
};

/* --------------------------------------------------- unit attentions ---- */

#define SCST_UA_MAX 16

struct scst_ua {
	struct scst_list_head entry;
	uint8_t key, asc, ascq;
};

/* --------------------------------------------------------- devices ---- */

struct scst_device {
	char *name;
	struct scst_dev_type *handler;
	uint8_t type;
	void *dh_priv;
	uint32_t block_size;
	int tst;
	bool tas;
	bool d_sense;
	bool unregistering;

	struct scst_spinlock lock;
	struct scst_list_head tgt_dev_list; /* under lock */
	unsigned int prevent_count;	  /* nexuses preventing removal; lock */
	struct scst_order_set shared_set; /* task set when TST=0 */
	unsigned int inflight[SCST_SER_COUNT]; /* under lock */
	struct scst_list_head inflight_list;   /* under lock; cmd->dev_entry */
	struct scst_list_head blocked_list;    /* under lock */
	struct scst_waitq unreg_wq;	       /* tgt_dev_list became empty */

	struct scst_list_head handler_entry; /* handler->dev_list__ */
	struct scst_list_head global_entry;  /* scst_dev_list */
	unsigned int exported;		     /* LUNs it is at (scst_mutex) */
	/* Reservations, SPC-2 and persistent (scst_pr*.c, scst_reserve.c). */
	struct scst_pr_dev *pr;
	/*
	 * Explicit ALUA allowed (SET TARGET PORT GROUPS, TPGS 11b in a
	 * device group): set by the handler (scst_dev_set_expl_alua), read
	 * atomically by scst_alua.c.
	 */
	bool expl_alua;
	struct scst_tnode *tree_dir;
	struct scst_tnode *tree_exported;
};

/* ----------------------------------------------------- LUN tables ---- */

/* A device at a LUN of an access control group. */
struct scst_acg_dev {
	struct scst_list_head acg_entry; /* acg->acg_dev_list */
	struct scst_acg *acg;
	struct scst_device *dev;
	uint64_t lun;
	bool read_only;
	unsigned int export_idx; /* devices/<dev>/exported/exportN */
	struct scst_tnode *tree_dir;
};

struct scst_acn {
	struct scst_list_head entry;
	char *pattern;
	struct scst_attr attr; /* its file in initiators/ */
};

struct scst_acg {
	char *name; /* NULL for the default group */
	struct scst_tgt *tgt;
	struct scst_list_head tgt_entry; /* tgt->acg_list */
	struct scst_list_head acg_dev_list;
	struct scst_list_head acn_list;
	struct scst_list_head sess_list; /* sessions using it */
	struct scst_tnode *tree_dir;	 /* ini_groups/<name> (named) */
	struct scst_tnode *tree_luns;
	struct scst_tnode *tree_inis;
};

/* ---------------------------------------------------------- targets ---- */

struct scst_tgt {
	char *name;
	struct scst_tgt_template *tmpl;
	void *tgt_priv;
	uint16_t rel_tgt_id;
	enum scst_addr_method addr_method;
	struct scst_acg *default_acg;
	struct scst_list_head acg_list; /* named groups */
	struct scst_list_head sess_list;
	struct scst_list_head tmpl_entry; /* tmpl->tgt_list__ */
	char *comment;
	struct scst_tnode *tree_dir;
	struct scst_tnode *tree_groups;
	struct scst_tnode *tree_sessions;
};

/* --------------------------------------------------------- sessions ---- */

#define SCST_TGT_DEV_HASH 64

/* The I_T_L nexus. */
struct scst_tgt_dev {
	uint64_t lun;
	struct scst_session *sess;
	struct scst_device *dev;
	struct scst_acg_dev *acg_dev;
	bool read_only;
	scst_atomic_t ref;		  /* the session's table + commands */
	struct scst_list_head hash_entry; /* sess->tgt_dev_hash */
	struct scst_list_head dev_entry;  /* dev->tgt_dev_list */
	struct scst_spinlock ua_lock;
	struct scst_list_head ua_list;
	unsigned int ua_count;
	struct scst_order_set own_set;
	struct scst_order_set *set; /* own_set, or the device's (TST=0) */
	void *dh_priv;
	bool prevent; /* PREVENT MEDIUM REMOVAL from this nexus; dev->lock */
	/*
	 * The ALUA access state of the nexus' target port for this LU
	 * (enum scst_tg_state; OPTIMIZED when the device is in no device
	 * group or the port in no target group). Set under scst_mutex by
	 * scst_alua.c, read atomically by every command (PRE_EXEC).
	 */
	uint8_t alua_state;
};

struct scst_session {
	struct scst_tgt *tgt;
	struct scst_acg *acg;
	char *initiator_name;
	void *tgt_priv;
	struct scst_worker *worker;

	struct scst_rwlock lun_lock;
	struct scst_list_head tgt_dev_hash[SCST_TGT_DEV_HASH];

	struct scst_spinlock cmd_lock;
	struct scst_list_head cmd_list;
	uint64_t next_seq;  /* under cmd_lock */
	scst_atomic_t ref;  /* registration + commands + TMFs */
	bool shutting_down; /* under cmd_lock */
	void (*unreg_done)(struct scst_session *sess);
	struct scst_completion *unreg_wait; /* scst_sess_unregister_wait */

	struct scst_list_head tgt_entry; /* tgt->sess_list */
	struct scst_list_head acg_entry; /* acg->sess_list */

	/*
	 * Reservations (scst_pr_tid.c): the initiator port's TransportID,
	 * asked from the transport once (pr_tid_state 0 not yet, 1 being
	 * filled, 2 ready; atomic), and a number naming the I_T nexus as an
	 * SPC-2 reservation holder (0 until first needed; atomic).
	 */
	int pr_tid_state;
	uint16_t pr_tid_len;
	uint8_t pr_tid[SCST_TID_MAX];
	uint64_t res_id;

	/* Counters shown under sessions/<name>/. */
	scst_atomic64_t stat_cmds;
	scst_atomic64_t stat_active;
	scst_atomic64_t stat_read_bytes;
	scst_atomic64_t stat_write_bytes;
	struct scst_tnode *tree_dir;
};

/* --------------------------------------------- ALUA configuration ---- */

enum scst_tg_state {
	SCST_TG_STATE_OPTIMIZED,
	SCST_TG_STATE_NONOPTIMIZED,
	SCST_TG_STATE_STANDBY,
	SCST_TG_STATE_UNAVAILABLE,
	SCST_TG_STATE_OFFLINE,
	SCST_TG_STATE_TRANSITIONING,
	SCST_TG_STATE_COUNT,
};

/*
 * The lists below change under scst_mutex and, for the readers on the
 * command path (REPORT TARGET PORT GROUPS, INQUIRY), also under the write
 * side of scst_dg_lock; those readers take its read side only. The
 * scalar fields of a target group are read and written atomically.
 */
extern struct scst_rwlock scst_dg_lock;

struct scst_dev_group {
	struct scst_list_head entry;
	char *name;
	struct scst_list_head devs; /* struct scst_dg_dev */
	struct scst_list_head tgs;  /* struct scst_target_group */
	struct scst_tnode *tree_dir, *tree_devs, *tree_tgs;
};

struct scst_dg_dev {
	struct scst_list_head entry;
	struct scst_device *dev;
};

/* RTPG STATUS CODE (SPC-4 6.27): how the state last changed. */
#define SCST_TG_STATUS_NONE	0x00
#define SCST_TG_STATUS_EXPLICIT 0x01 /* SET TARGET PORT GROUPS */
#define SCST_TG_STATUS_IMPLICIT 0x02 /* the tree's state attribute */

struct scst_target_group {
	struct scst_list_head entry;
	struct scst_dev_group *dg;
	char *name;
	uint16_t group_id;
	enum scst_tg_state state;
	uint8_t status; /* SCST_TG_STATUS_* */
	bool preferred;
	/*
	 * SET TARGET PORT GROUPS scratch (scst_alua.c, under scst_mutex):
	 * the state a descriptor asks for, SCST_TG_STATE_COUNT when none.
	 */
	uint8_t stpg_state;
	struct scst_list_head tgts; /* struct scst_tg_tgt */
	struct scst_tnode *tree_dir;
};

/* A member of a target group, named; @tgt is the local target so named. */
struct scst_tg_tgt {
	struct scst_list_head entry;
	struct scst_target_group *tg;
	char *name;
	uint16_t rel_tgt_id;  /* 0: the local target's own */
	struct scst_tgt *tgt; /* NULL: not registered here */
	struct scst_tnode *tree_dir;
};

int scst_dg_tree_init(struct scst_tnode *root);
void scst_dg_tree_exit(void);
/* Under scst_mutex, from device and target (un)registration. */
void scst_dg_dev_removed(struct scst_device *dev);
void scst_dg_tgt_added(struct scst_tgt *tgt);
void scst_dg_tgt_removed(struct scst_tgt *tgt);
/* Under scst_mutex or scst_dg_lock: the device group of @dev, or NULL. */
struct scst_dev_group *scst_dg_of_dev(struct scst_device *dev);
/* Under scst_mutex: an implicit change of @tg's access state. */
void scst_tg_set_state(struct scst_target_group *tg, enum scst_tg_state st);

/* scst_alua.c: the SCSI side of ALUA (SPC-4 5.15) */
/* The relative target port id a member stands for (0: unknown). */
uint16_t scst_tg_tgt_rel_id(const struct scst_tg_tgt *tt);
/* Under scst_mutex: the state a new nexus of @dev through @tgt starts in. */
enum scst_tg_state scst_alua_nexus_state(struct scst_device *dev,
					 struct scst_tgt *tgt);
/*
 * Under scst_mutex: recompute the cached state of every nexus of @dev
 * and, with @ua, raise ASYMMETRIC ACCESS STATE CHANGED on all of them.
 */
void scst_alua_dev_changed(struct scst_device *dev, bool ua);
/* The same for every device of @dg. */
void scst_alua_dg_changed(struct scst_dev_group *dg, bool ua);
/* PRE_EXEC: true when the access state refused the command (NOT READY). */
bool scst_alua_check(struct scst_cmd *cmd);
/* REPORT TARGET PORT GROUPS (LOCAL_EXEC). */
void scst_alua_report_tpgs(struct scst_cmd *cmd);
/* SET TARGET PORT GROUPS (LOCAL_EXEC; takes scst_mutex). */
void scst_alua_set_tpgs(struct scst_cmd *cmd);

/* ------------------------------------------------------------- TMFs ---- */

struct scst_mgmt_cmd {
	enum scst_tmf fn;
	struct scst_session *sess;
	uint64_t lun;
	bool lun_set;
	uint64_t tag;
	void *tgt_priv;
	enum scst_mgmt_status status;
	scst_atomic_t pending; /* aborted cmds unfinished, + 1 */
	unsigned int aborted;
	struct scst_work work;
	/* A function the core runs itself (PREEMPT AND ABORT): called
	 * instead of the transport's task_mgmt_fn_done. */
	void (*done_fn)(void *arg);
	void *done_arg;
};

/* ---------------------------------------------------- global state ---- */

extern struct scst_mutex scst_mutex;
extern struct scst_list_head scst_template_list;
extern struct scst_list_head scst_dev_type_list;
extern struct scst_list_head scst_dev_list;
extern struct scst_os_cache *scst_cmd_cache;
extern struct scst_os_cache *scst_buf_small_cache;
extern struct scst_os_cache *scst_buf_chunk_cache;
extern struct scst_os_cache *scst_sg_cache; /* SCST_SG_MAX entries */
extern struct scst_os_cache *scst_ua_cache;
extern struct scst_os_cache *scst_slot_cache;
extern struct scst_os_cache *scst_mgmt_cache;
extern struct scst_os_cache *scst_stub_cache;

/* ------------------------------------------------- internal calls ---- */

/* scst_main.c */
char *scst_strdup(const char *s);
struct scst_device *scst_find_device_locked(const char *name);
/* Set a target's relative port id, unique over all targets. */
int scst_tgt_set_rel_tgt_id_checked(struct scst_tgt *tgt, uint16_t id);

/* scst_worker.c */
unsigned int scst_workers_count(void);
int scst_workers_start(unsigned int n);
void scst_workers_stop(void);
struct scst_worker *scst_worker_pick(void);
void scst_worker_queue_cmd(struct scst_worker *w, struct scst_cmd *cmd);
void scst_worker_queue_work(struct scst_worker *w, struct scst_work *work);

/* scst_targ.c */
void scst_process_cmd(struct scst_cmd *cmd);
void scst_cmd_resume(struct scst_cmd *cmd); /* continue on its worker */
/* Move a parked command to @next (checked by the table) and resume it. */
void scst_cmd_move_resume(struct scst_cmd *cmd, enum scst_cmd_state next);
/* A core-emulated command will end with scst_cmd_exec_done() (LOCAL_EXEC). */
void scst_cmd_exec_later(struct scst_cmd *cmd);
void scst_cmd_get(struct scst_cmd *cmd);
void scst_cmd_put(struct scst_cmd *cmd);
void scst_set_cmd_sense_spec(struct scst_cmd *cmd,
			     const struct scst_sense_spec *s);

/* scst_order.c: task attributes */
/* Returns true if @cmd may run now; false: parked in ORDER_WAIT. */
bool scst_order_enter(struct scst_cmd *cmd, int *err);
void scst_order_exit(struct scst_cmd *cmd);
/* Pull an aborted command out of ORDER_WAIT; true if it was there. */
bool scst_order_abort(struct scst_cmd *cmd);

/* scst_serialize.c: per-device serialization */
bool scst_ser_enter(struct scst_cmd *cmd);
void scst_ser_exit(struct scst_cmd *cmd);
bool scst_ser_abort(struct scst_cmd *cmd);

/* scst_ua.c */
void scst_ua_queue(struct scst_tgt_dev *tgt_dev, uint8_t key, uint8_t asc,
		   uint8_t ascq);
/* Pop the highest-priority UA; false if none is pending. */
bool scst_ua_pop(struct scst_tgt_dev *tgt_dev, uint8_t *key, uint8_t *asc,
		 uint8_t *ascq);
bool scst_ua_pending(struct scst_tgt_dev *tgt_dev);
void scst_ua_clear_matching(struct scst_tgt_dev *tgt_dev, uint8_t asc,
			    uint8_t ascq);
void scst_ua_clear_all(struct scst_tgt_dev *tgt_dev);
unsigned int scst_ua_count(struct scst_tgt_dev *tgt_dev);
/* Check a command before execution; true if it was failed with a UA. */
bool scst_ua_check_cmd(struct scst_cmd *cmd);

/* scst_sess.c */
struct scst_tgt_dev *scst_sess_find_tgt_dev(struct scst_session *sess,
					    uint64_t lun);
void scst_tgt_dev_get(struct scst_tgt_dev *tgt_dev);
/* A reference unless the nexus is already being freed. */
bool scst_tgt_dev_tryget(struct scst_tgt_dev *tgt_dev);
void scst_tgt_dev_put(struct scst_tgt_dev *tgt_dev);
/* Why a nexus appears: the unit attention it starts with. */
enum scst_nexus_why {
	SCST_NEXUS_NEW,	       /* 29h/00h: as after a power on */
	SCST_NEXUS_REPLACED,   /* 3Fh/03h: another device at the LUN */
	SCST_NEXUS_REASSIGNED, /* 3Fh/0Eh: the session changed group */
};
int scst_sess_add_tgt_dev(struct scst_session *sess,
			  struct scst_acg_dev *acg_dev,
			  enum scst_nexus_why why);
void scst_sess_del_tgt_dev(struct scst_session *sess, uint64_t lun);
void scst_sess_get(struct scst_session *sess);
void scst_sess_put(struct scst_session *sess);
/* Sorted LUN numbers of the session (REPORT LUNS); caller frees. */
int scst_sess_lun_list(struct scst_session *sess, uint64_t **luns);
/* Unregister and wait until the session is gone (target removal). */
void scst_sess_unregister_wait(struct scst_session *sess);
/* Clear a pending UA (ASC/ASCQ) on every LUN of the session. */
void scst_sess_ua_clear(struct scst_session *sess, uint8_t asc, uint8_t ascq);
/* A reference unless the session is already being freed. */
bool scst_sess_tryget(struct scst_session *sess);
void scst_sess_ua_all(struct scst_session *sess, uint8_t key, uint8_t asc,
		      uint8_t ascq, const struct scst_tgt_dev *except);

/* scst_lun.c */
struct scst_acg *scst_find_acg_for_ini(struct scst_tgt *tgt,
				       const char *initiator_name);
void scst_acg_free(struct scst_acg *acg);
int scst_acg_clear_luns(struct scst_acg *acg);
int scst_acg_clear_inis(struct scst_acg *acg);
int scst_acg_move_ini(struct scst_acg *from, struct scst_acg *to,
		      const char *pattern);
/* Move each session of @tgt to the group its initiator now belongs to. */
void scst_tgt_reassign_sessions(struct scst_tgt *tgt);
/* Remove @dev from every LUN table (device unregistration). */
void scst_unmap_dev_all(struct scst_device *dev);

/*
 * scst_emul.c: core-emulated commands. Returns true when the command ends
 * later, with scst_cmd_exec_done() (PREEMPT AND ABORT waits for the
 * commands it aborts).
 */
bool scst_emul_exec(struct scst_cmd *cmd);
/* The command the handler declined: emulate or fail INVALID OPCODE. */
void scst_emul_fallback(struct scst_cmd *cmd);

/* scst_tmf.c */
void scst_cmd_finish_tmf(struct scst_cmd *cmd);
void scst_tmf_abort_sess_cmds(struct scst_session *sess,
			      struct scst_mgmt_cmd *mcmd);
/*
 * PREEMPT AND ABORT: abort every command of the @n nexuses @nexus but
 * @except, as a task management function of @except's I_T nexus (other
 * nexuses' commands end with TASK ABORTED when TAS=1). @done(@arg) runs on
 * @except's worker once they all ended. -ENOMEM: nothing was done.
 */
int scst_tmf_abort_nexuses(struct scst_cmd *except,
			   struct scst_tgt_dev *const *nexus, unsigned int n,
			   void (*done)(void *arg), void *arg);

/* scst_sess.c: a LUN or target reset ends every prevention (SPC-4 6.13). */
void scst_prevent_dev_reset(struct scst_device *dev);

/* scst_pr*.c, scst_reserve.c: reservations (SPC-2 and SPC-4) */
void scst_res_init(void); /* core init and exit */
void scst_res_exit(void);
int scst_pr_dev_init(struct scst_device *dev);
/* devices/<dev>/pr_state, after the device's directory exists. */
void scst_pr_tree_add(struct scst_device *dev);
void scst_pr_dev_exit(struct scst_device *dev);
/* The conflict check before execution; true: RESERVATION CONFLICT set. */
bool scst_res_check(struct scst_cmd *cmd);
void scst_res_reserve(struct scst_cmd *cmd);
void scst_res_release(struct scst_cmd *cmd);
void scst_pr_in(struct scst_cmd *cmd);
/* True: ends later (PREEMPT AND ABORT), see scst_emul_exec(). */
bool scst_pr_out(struct scst_cmd *cmd);
/* LUN reset / target reset of @dev: SPC-2 reservations end. */
void scst_res_dev_reset(struct scst_device *dev);
/* I_T nexus loss (unregistration, I_T NEXUS RESET): its SPC-2
 * reservations end. */
void scst_res_nexus_loss(struct scst_session *sess);

#endif /* SCST_PRIV_H */
