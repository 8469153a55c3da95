/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * The iscsi driver's connection structures, shared by the full feature
 * phase (iscsi_conn.c, iscsi_tx.c, iscsi_cmd.c, iscsi_requests.c) and the
 * hand-off of logged-in connections (iscsi_handoff.c), and the task's
 * bookkeeping on the data path (iscsi_task.c: the data-phase state table,
 * the ITT table, the caches). Internal to those.
 */
#ifndef ISCSI_CONN_INTERNAL_H
#define ISCSI_CONN_INTERNAL_H

#include <stdint.h>
#include <sys/uio.h>

#include "iscsi-scst/iscsi_keepalive.h"
#include "iscsi-scst/iscsi_params.h"
#include "iscsi-scst/iscsi_pdu.h"
#include "iscsi-scst/iscsi_priv.h"
#include "scst/os.h"

/* Receiving: bytes read ahead of the parser; pieces of a Data-Out segment
 * placed in a command's buffer; from how many bytes left of such a
 * segment recv() goes straight into the buffer. */
#define ISCSI_RX_CHUNK	   262144
#define ISCSI_RX_SEGS	   17
#define ISCSI_RX_DIRECT	   8192
#define ISCSI_LOGIN_TMO_MS 5000

/* ------------------------------------------- the task (iscsi_task.c) ---- */

/*
 * The data phase of one SCSI command (struct iscsi_cmd), from its SCSI
 * Command PDU to its last PDU sent. The legal moves are the rows of
 * iscsi_cmd_states[] (iscsi_task.c); iscsi_cmd_set_state() refuses the
 * rest. A command exists once its CmdSN came (RFC 7143 4.2.2.1): the wait
 * for it is the held PDU's (struct iscsi_held), not a state of the
 * command.
 */
enum iscsi_cmd_state {
	ISCSI_CMD_RX_CDB,    /* built from its SCSI Command PDU */
	ISCSI_CMD_IMMEDIATE, /* in the core, immediate data in hand */
	ISCSI_CMD_IN_CORE,   /* in the core, before its buffer exists */
	ISCSI_CMD_DATA_OUT,  /* buffer ready: R2Ts out, Data-Out collected */
	ISCSI_CMD_EXEC,	     /* all data in the core, executing */
	ISCSI_CMD_ABORTED,   /* data phase failed or aborted; core answers */
	ISCSI_CMD_XMIT,	     /* Data-In and/or SCSI Response queued */
	ISCSI_CMD_DONE,	     /* last PDU out (or dropped): core lets go */
	ISCSI_CMD_STATE_COUNT,
};

struct iscsi_cmd;

const char *iscsi_cmd_state_name(enum iscsi_cmd_state s);
/* Is @from -> @to a row of the table? */
bool iscsi_cmd_state_allowed(enum iscsi_cmd_state from,
			     enum iscsi_cmd_state to);
/* The command's state (any thread). */
enum iscsi_cmd_state iscsi_cmd_state(const struct iscsi_cmd *ic);
/* Move @ic to @to: 0, traced at debug level; -EINVAL (logged as an
 * error, the state unchanged) if the table does not allow it. */
int iscsi_cmd_set_state(struct iscsi_cmd *ic, enum iscsi_cmd_state to);
/* Before its buffer exists (rdy_to_xfer not yet run). */
static inline bool iscsi_cmd_state_before_buffer(enum iscsi_cmd_state s)
{
	return s == ISCSI_CMD_RX_CDB || s == ISCSI_CMD_IMMEDIATE ||
	       s == ISCSI_CMD_IN_CORE;
}

/*
 * Tasks by Initiator Task Tag. RFC 7143 11.2.1.8: an ITT identifies a task
 * uniquely session-wide while it exists, so the table is the session's.
 * Chained buckets of intrusive nodes: insert, find and remove are O(1)
 * for any set of ITTs the initiator picks (a multiplicative hash spreads
 * sequential and strided ones alike). A tag reused while an older entry
 * is still in (its response went out, the core has not let it go yet):
 * find returns the newest. Not locked: the owner says which lock guards
 * it.
 */
#define ISCSI_ITT_BITS	  7
#define ISCSI_ITT_BUCKETS (1u << ISCSI_ITT_BITS)

struct iscsi_itt_node {
	struct scst_list_head link; /* self-linked when not in a table */
	uint32_t itt;
};

struct iscsi_itt_table {
	struct scst_list_head bucket[ISCSI_ITT_BUCKETS];
	unsigned int count;
};

void iscsi_itt_init(struct iscsi_itt_table *t);
void iscsi_itt_node_init(struct iscsi_itt_node *n, uint32_t itt);
void iscsi_itt_insert(struct iscsi_itt_table *t, struct iscsi_itt_node *n);
/* The newest node with @itt, or NULL. */
struct iscsi_itt_node *iscsi_itt_find(const struct iscsi_itt_table *t,
				      uint32_t itt);
/* Take @n out (nothing if it is not in). */
void iscsi_itt_remove(struct iscsi_itt_table *t, struct iscsi_itt_node *n);
unsigned int iscsi_itt_bucket_of(uint32_t itt);

/*
 * Caches. Created with the iscsi module (iscsi_conn_module_init) and
 * destroyed with it, when every object must be back (-EBUSY, logged,
 * otherwise).
 *
 * Fixed-size objects: struct iscsi_cmd, struct iscsi_held, struct
 * iscsi_txpdu (with room for ISCSI_TXPDU_IOVS iovecs and ISCSI_TXPDU_OWN
 * bytes of its own data inline, iscsi_conn_internal.h). Data buffers
 * (immediate and unsolicited data kept before a command's buffer exists,
 * the data of a PDU held for its CmdSN) come from a cache of
 * ISCSI_DATA_CACHE_LEN-byte buffers; only a larger one, rare (a segment
 * or first burst past 8 KiB that cannot go straight into the command's
 * buffer), comes from the heap.
 */
#define ISCSI_DATA_CACHE_LEN 8192u

int iscsi_caches_init(void);
int iscsi_caches_exit(void);
/* Objects of all iSCSI caches handed out and not yet freed. */
long iscsi_caches_outstanding(void);

struct iscsi_cmd *iscsi_cmd_alloc(void); /* zeroed */
void iscsi_cmd_free(struct iscsi_cmd *ic);
struct iscsi_held;
struct iscsi_held *iscsi_held_alloc(void); /* zeroed */
void iscsi_held_free_obj(struct iscsi_held *h);
/* @len bytes (uninitialised); free with the same @len. */
void *iscsi_data_alloc(uint32_t len);
void iscsi_data_free(void *p, uint32_t len);

/* ------------------------------------------------------ connections ---- */

enum iscsi_sn_mode {
	SN_NONE,    /* only ExpCmdSN/MaxCmdSN (Data-In without status) */
	SN_PEEK,    /* the next StatSN, not advanced (R2T) */
	SN_ADVANCE, /* a status: takes the next StatSN */
};

struct iscsi_cmd;

/*
 * A network thread (iscsi_conn.c): it receives and sends for its
 * connections and is their sessions' core worker (scst_worker_attach), so
 * a command runs from its PDU to its response on this one thread. All
 * connections of a session are on the same one.
 */
struct iscsi_net {
	struct scst_thread *thread;
	struct scst_worker *worker;
	int epfd;
	int evfd; /* kicks from the core, and the stop request */
	bool stop;
	unsigned int nsess; /* iscsi_conn_mutex; to spread sessions */
	struct scst_completion started;
	/* This thread only: bytes read ahead of the parser; connections
	 * whose output it queued wait on @flushq until the end of its round,
	 * so that one sendmsg() carries the responses of a whole batch of
	 * requests (iscsi_net_flush). */
	uint8_t *rxbuf;
	struct scst_list_head flushq;
	/* Connections closed in this round: their last reference goes once
	 * the round's epoll events (which may name them) are done. */
	struct scst_list_head reapq;
};

/*
 * A PDU to send (from a cache, iscsi_task.c). Inline room for its iovecs
 * (header, up to ISCSI_TXPDU_IOVS - 2 data pieces, padding and digest)
 * and for a data segment of its own of up to ISCSI_TXPDU_OWN bytes (a
 * sense segment of 2 + 252 bytes, a Reject's copy of the header).
 */
#define ISCSI_TXPDU_IOVS 10
#define ISCSI_TXPDU_OWN	 272

struct iscsi_txpdu {
	struct scst_list_head entry;
	struct iscsi_cmd *done_cmd; /* scst_tgt_cmd_done once sent */
	bool close_after;	    /* Logout Response: close once sent */
	enum iscsi_sn_mode sn;
	unsigned int niov, cur;
	void *own;	   /* own_inline, or from the heap when larger */
	struct iovec *iov; /* iov_inline, or from the heap when more */
	uint8_t hdr[ISCSI_BHS_LEN + ISCSI_DIGEST_LEN];
	uint8_t tail[ISCSI_PAD_LEN + ISCSI_DIGEST_LEN];
	struct iovec iov_inline[ISCSI_TXPDU_IOVS];
	uint8_t own_inline[ISCSI_TXPDU_OWN];
};

/*
 * Why a connection ends; decides what happens to its session (conn_close).
 * RFC 7143 6.3.5: a session closes on a "close the session" Logout or on
 * a "close the connection" Logout of its last connection; 6.3.4: a
 * reinstated connection's tasks are terminated, the session goes on;
 * 7.1.4.4, 7.1.5, 7.14: with ErrorRecoveryLevel 0 the only recovery from a
 * failed connection is session recovery (all connections closed, all
 * tasks aborted), so a failure ends the whole session.
 */
enum iscsi_close_why {
	ISCSI_CLOSE_FAILURE,	/* transport loss, protocol error, timeout */
	ISCSI_CLOSE_LOGOUT,	/* Logout "close the connection" (by CID) */
	ISCSI_CLOSE_REINSTATED, /* a login with its CID replaced it */
	ISCSI_CLOSE_SESSION,	/* the session ends (logout, admin, target) */
};

struct iscsi_conn;

/*
 * A session (RFC 7143 4.2.1): the I_T nexus with the core and what its
 * connections share. Every connection of a session lives on the
 * session's network thread (@net): receiving, the CmdSN order and the
 * commands all run there, so the session-wide CmdSN window and the queue
 * of PDUs held for their CmdSN (4.2.2.1) need no lock of their own.
 */
struct iscsi_sess {
	struct iscsi_tgt *it;
	struct scst_session *scst;
	struct scst_list_head entry; /* iscsi_sessions (iscsi_conn_mutex) */
	struct iscsi_net *net;	     /* of every connection, from the login */
	/* From the leading login; fixed. @initiator is the plain iSCSI name
	 * (reinstatement, TransportID, logs); with per_portal_acl the core
	 * session is registered as "<initiator>#<portal address>". */
	char initiator[ISCSI_NAME_MAX];
	char target[ISCSI_NAME_MAX];
	uint8_t isid[6];
	uint16_t tsih, tpgt;
	/* Session-wide negotiated values (leading login only, RFC 7143 13). */
	uint32_t max_burst, first_burst, max_r2t, queued, max_conns;
	bool initial_r2t, immediate_data;
	bool check_datasn; /* DataPDUInOrder and DataSequenceInOrder */
	uint8_t erl;
	/* The CmdSN window (network thread writes exp_cmd_sn, atomic). */
	uint32_t exp_cmd_sn;
	struct scst_list_head held; /* PDUs waiting for their CmdSN */
	/* The held SCSI Commands that take Data-Out, by ITT (network
	 * thread, like @held). */
	struct iscsi_itt_table held_by_itt;
	/* The commands of all its connections by ITT (RFC 7143 11.2.1.8:
	 * an ITT is unique session-wide), under @itt_lock, which nests
	 * inside conn->lock and is held for the table operation only. */
	struct scst_spinlock itt_lock;
	struct iscsi_itt_table cmds_by_itt;
	/* Under @lock: the connections; their count; the session is going
	 * away (no login may join it); a reinstatement waits for an older
	 * session of the same ISID and initiator to end. */
	struct scst_mutex lock;
	struct scst_list_head conns;
	unsigned int nconns;
	bool closing, reinstating;
};

struct iscsi_conn {
	struct iscsi_sess *sess;
	struct scst_list_head entry; /* sess->conns (sess->lock) */
	/* Its commands and task management functions hold references; the
	 * connection is freed with the last one (iscsi_conn_put). */
	int refs;
	int fd;
	struct iscsi_net *net; /* the session's network thread */
	/* The Data-Out being received straight into this command's buffer
	 * (network thread; on_free_cmd turns the rest into a discard). */
	struct iscsi_cmd *rx_cmd;
	struct iscsi_rx_seg rx_segs[ISCSI_RX_SEGS];
	struct scst_list_head flush_entry; /* net->flushq (network thread) */
	bool flush_queued;
	/* Connection-scoped values of its login (RFC 7143 13: HeaderDigest,
	 * DataDigest, MaxRecvDataSegmentLength are per connection). */
	char local_addr[ISCSI_ADDR_MAX];
	uint16_t cid;
	uint32_t max_xmit_dsl;
	bool hdigest, ddigest;
	/* Receiving (network thread). */
	struct iscsi_rx rx;
	/* Under lock. */
	struct scst_mutex lock;
	struct scst_list_head txq;
	struct scst_list_head cmds; /* allegiant to it (RFC 7143 4.2.4.1) */
	uint32_t stat_sn, next_ttt; /* StatSN is per connection (4.2.2.2) */
	bool closed, tx_dead, want_out, logged_out;
	enum iscsi_close_why why;	  /* set before it is kicked */
	struct scst_list_head reap_entry; /* net->reapq (network thread) */
	/* Keep-alive, timeouts, Async Messages (iscsi_keepalive.c,
	 * iscsi_async.c), the tree (iscsi_sess_attrs.c), Text (iscsi_text.c).
	 */
	uint32_t rx_count; /* receive events: network thread writes, atomic */
	struct scst_timer ka_timer;
	struct iscsi_ka ka;    /* under lock */
	uint32_t max_recv_dsl; /* ours, from the hand-off */
	char peer_addr[ISCSI_ADDR_MAX];
	char tree_name[ISCSI_ADDR_MAX + 8]; /* its directory; "" if none */
	struct iscsi_text_state *text;	    /* network thread */
};

/*
 * A SCSI command (from a cache, iscsi_task.c). References: the core's,
 * until on_free_cmd, and iscsi_rx_scsi_cmd's while it hands the command
 * to the core (which may finish and free it inline); the last one puts
 * it back.
 */
struct iscsi_cmd {
	struct iscsi_conn *conn;
	struct scst_cmd *scmd;
	struct scst_list_head entry; /* conn->cmds */
	struct iscsi_itt_node hnode; /* sess->cmds_by_itt; its ITT */
	struct scst_work work;
	int refs;
	uint32_t edtl;
	bool write;
	/* Its data phase (the table in iscsi_task.c); changed under conn->lock
	 * where a decision depends on it. */
	enum iscsi_cmd_state state;
	/* IMMEDIATE: the immediate data, in the receive buffer while
	 * iscsi_rx_scsi_cmd runs; placed by rdy_to_xfer or kept aside. */
	const uint8_t *imm_data;
	uint32_t imm_len;
	/* Data-Out (under conn->lock). */
	uint8_t *ubuf; /* unsolicited data before rdy_to_xfer (iscsi_data_*) */
	uint32_t ucap, ubytes, unsol_end;
	uint32_t want, got, r2t_off, r2tsn, outstanding;
	uint32_t datasn;     /* Data-In PDUs sent */
	uint32_t exp_datasn; /* next Data-Out DataSN in the current sequence */
	bool data_err;	     /* a Data-Out sequence error: fail the task */
};

/* A PDU held for its CmdSN, or an unsolicited Data-Out held with it. */
struct iscsi_held {
	struct scst_list_head entry;
	struct iscsi_itt_node hnode; /* a write: sess->held_by_itt */
	/* The connection it came on (allegiance); NULL once that one closed:
	 * its CmdSN is still consumed in order, the PDU is not run. */
	struct iscsi_conn *conn;
	uint32_t cmdsn;
	struct iscsi_bhs_info info;
	uint8_t hdr[ISCSI_BHS_LEN + ISCSI_MAX_AHS_LEN];
	uint8_t *data;
	struct scst_list_head data_outs; /* its Data-Out PDUs, in order */
};

struct iscsi_tmf {
	struct iscsi_conn *conn;
	uint32_t itt;
};

/* All sessions, closing ones too until their end, so their TSIHs stay in
 * use (iscsi_conn_mutex; before any sess->lock). */
extern struct scst_mutex iscsi_conn_mutex;
extern struct scst_list_head iscsi_sessions;

/* The next TSIH to try (iscsi_conn_mutex). */
extern uint16_t iscsi_next_tsih;
/* The network thread for a new session (the least loaded). */
struct iscsi_net *iscsi_net_pick(void);
/* A session of @n is gone (or never started). */
void iscsi_net_unpick(struct iscsi_net *n);

/* References of a connection (any thread); the last put frees it. */
void iscsi_conn_get(struct iscsi_conn *c);
void iscsi_conn_put(struct iscsi_conn *c);
/* Network thread: start @c's receiving (epoll) once it is in @c->sess. */
int iscsi_conn_start(struct iscsi_conn *c);

extern struct scst_workqueue
    *iscsi_wq; /* aborts of commands waiting for data */

/* Ask the network thread to end @c (any thread), for @why: the first
 * reason given wins. */
void iscsi_conn_kick(struct iscsi_conn *c, enum iscsi_close_why why);
/* Under s->lock: kick every connection of @s but @except (may be NULL)
 * and mark the session closing. */
void iscsi_sess_kick_locked(struct iscsi_sess *s, struct iscsi_conn *except,
			    enum iscsi_close_why why);
/* Under s->lock: the connection @cid of @s still open, or NULL. */
struct iscsi_conn *iscsi_sess_find_conn_locked(struct iscsi_sess *s,
					       uint16_t cid);
/* The core let go of a session: free what is left of it. */
void iscsi_sess_done(struct scst_session *sess);

/* Sending (iscsi_tx.c). A PDU with @data_iovs data iovecs, @own bytes
 * (iscsi_task.c, from its cache). */
struct iscsi_txpdu *iscsi_txpdu_alloc(unsigned int data_iovs, size_t own);
void iscsi_txpdu_free(struct iscsi_txpdu *p);
/* Lay out header, the @n data iovecs at iov[1..n], padding and digest. */
void iscsi_txpdu_finish_data(struct iscsi_conn *c, struct iscsi_txpdu *p,
			     unsigned int n, uint32_t dlen);
/* A PDU carrying a copy of @len bytes of @data. */
struct iscsi_txpdu *iscsi_txpdu_with_data(struct iscsi_conn *c,
					  const void *data, uint32_t len);
/* Under c->lock: queue @p; send what can go. Finished commands -> @done. */
void iscsi_conn_queue_locked(struct iscsi_conn *c, struct iscsi_txpdu *p,
			     struct scst_list_head *done);
void iscsi_conn_flush_locked(struct iscsi_conn *c, struct scst_list_head *done);
/* Send what the network thread @n held back (on @n, no lock held). */
void iscsi_net_flush(struct iscsi_net *n);
/* Without c->lock: hand the commands whose last PDU went to the core. */
void iscsi_run_done(struct scst_list_head *done);
/* Queue one PDU and send (takes c->lock). */
void iscsi_conn_send(struct iscsi_conn *c, struct iscsi_txpdu *p);
void iscsi_conn_send_reject(struct iscsi_conn *c, uint8_t reason,
			    const uint8_t *bad_bhs);

/* SCSI commands and their data (iscsi_cmd.c), network thread. */
void iscsi_rx_scsi_cmd(struct iscsi_conn *c, const struct iscsi_bhs_info *in,
		       const uint8_t *hdr, const uint8_t *data);
/* @data NULL: the data is already in @placed's buffer
 * (iscsi_rx_data_out_place), or was dropped when @placed is NULL too. */
void iscsi_rx_data_out(struct iscsi_conn *c, const struct iscsi_bhs_info *in,
		       const uint8_t *data, struct iscsi_cmd *placed);
/* A Data-Out header: the pieces of its command's buffer its data goes to
 * (sets c->rx_cmd), or 0: into the receiver's own buffer. */
unsigned int iscsi_rx_data_out_place(struct iscsi_conn *c,
				     const struct iscsi_bhs_info *in);
void iscsi_abort_work(struct scst_work *w);

/* Other requests (iscsi_requests.c; iscsi_rx_text: iscsi_text.c), network
 * thread. */
void iscsi_rx_nop_out(struct iscsi_conn *c, const struct iscsi_bhs_info *in,
		      const uint8_t *data);
void iscsi_rx_logout(struct iscsi_conn *c, const struct iscsi_bhs_info *in);
void iscsi_rx_text(struct iscsi_conn *c, const struct iscsi_bhs_info *in,
		   const uint8_t *data);
void iscsi_rx_tmf(struct iscsi_conn *c, const struct iscsi_bhs_info *in,
		  const uint8_t *hdr);

/* Keep-alive and timeouts (iscsi_keepalive.c). Something was received
 * (network thread): the idle clock restarts. */
static inline void iscsi_conn_rx_seen(struct iscsi_conn *c)
{
	__atomic_store_n(&c->rx_count, c->rx_count + 1, __ATOMIC_RELAXED);
}
/* At hand-off, once the session is registered and before the network
 * thread sees @c: peer, limits, timeouts, the tree entry, the timer. */
void iscsi_conn_ffp_init(struct iscsi_conn *c, const struct iscsi_handoff *h);
/* The timer stops for good (before @c is freed; not from the timer). */
void iscsi_conn_ka_stop(struct iscsi_conn *c);
/* Under c->lock: a NOP-Out with TTT @ttt answered our ping. */
void iscsi_conn_pong_locked(struct iscsi_conn *c, uint32_t ttt);

/* Async Messages (iscsi_async.c), any thread. Parameter3 of a logout
 * request: the seconds the initiator has to log out (RFC 7143 11.9.1). */
#define ISCSI_LOGOUT_WAIT_S 2
/* Under s->lock: tell the initiator, on each connection of @s but
 * @except, that the target drops all the session's connections
 * (AsyncEvent 3), then close them; the session is marked closing. */
void iscsi_sess_drop_locked(struct iscsi_sess *s, struct iscsi_conn *except);

/* The connection's tree entry (iscsi_sess_attrs.c): added at hand-off,
 * removed (waiting for readers) when it closes. */
void iscsi_conn_tree_add(struct iscsi_conn *c);
void iscsi_conn_tree_del(struct iscsi_conn *c);

/* RFC 7143 11.13.5, status 02/06 (iscsi_proto.h's ISID_ERROR). */
#define ISCSI_LOGIN_STATUS_TOO_MANY_CONNS ISCSI_LOGIN_STATUS_ISID_ERROR

/* Text negotiation in the full feature phase (iscsi_text.c). */
void iscsi_text_free(struct iscsi_conn *c);

#endif /* ISCSI_CONN_INTERNAL_H */
