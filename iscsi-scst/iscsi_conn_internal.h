/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * The iscsi driver's connection structures, shared by the full feature
 * phase (iscsi_conn.c, iscsi_tx.c, iscsi_cmd.c, iscsi_requests.c) and the
 * hand-off of logged-in connections (iscsi_handoff.c). Internal to those.
 */
#ifndef ISCSI_CONN_INTERNAL_H
#define ISCSI_CONN_INTERNAL_H

#include <stdint.h>

#include "iscsi-scst/iscsi_params.h"
#include "iscsi-scst/iscsi_pdu.h"
#include "iscsi-scst/iscsi_priv.h"
#include "scst/os.h"

#define ISCSI_RX_CHUNK	   65536
#define ISCSI_LOGIN_TMO_MS 5000

enum iscsi_sn_mode {
	SN_NONE,    /* only ExpCmdSN/MaxCmdSN (Data-In without status) */
	SN_PEEK,    /* the next StatSN, not advanced (R2T) */
	SN_ADVANCE, /* a status: takes the next StatSN */
};

struct iscsi_cmd;

struct iscsi_txpdu {
	struct scst_list_head entry;
	struct iscsi_cmd *done_cmd; /* scst_tgt_cmd_done once sent */
	bool close_after;	    /* Logout Response: close once sent */
	enum iscsi_sn_mode sn;
	unsigned int niov, cur;
	void *own;
	uint8_t hdr[ISCSI_BHS_LEN + ISCSI_DIGEST_LEN];
	uint8_t tail[ISCSI_PAD_LEN + ISCSI_DIGEST_LEN];
	struct iovec iov[];
};

struct iscsi_conn {
	struct iscsi_tgt *it;
	struct scst_session *sess;
	struct scst_list_head entry; /* iscsi_conns */
	int fd;
	/* From the hand-off. */
	char initiator[ISCSI_NAME_MAX];
	char target[ISCSI_NAME_MAX];
	char local_addr[ISCSI_ADDR_MAX];
	uint8_t isid[6];
	uint16_t tsih, cid, tpgt;
	uint32_t max_xmit_dsl, max_burst, first_burst, max_r2t, queued;
	bool initial_r2t, immediate_data, hdigest, ddigest;
	bool check_datasn; /* DataPDUInOrder and DataSequenceInOrder */
	/* Receiving (network thread). */
	struct iscsi_rx rx;
	struct scst_list_head held; /* PDUs waiting for their CmdSN */
	uint32_t exp_cmd_sn;	    /* written by the network thread */
	/* Under lock. */
	struct scst_mutex lock;
	struct scst_list_head txq;
	struct scst_list_head cmds;
	uint32_t stat_sn, next_ttt;
	bool closed, tx_dead, want_out, logged_out;
};

struct iscsi_cmd {
	struct iscsi_conn *conn;
	struct scst_cmd *scmd;
	struct scst_list_head entry; /* conn->cmds */
	struct scst_work work;
	uint32_t itt, edtl;
	bool write;
	/* Data-Out (under conn->lock). */
	bool rdy, data_done;
	uint8_t *ubuf; /* unsolicited data before rdy_to_xfer */
	uint32_t ucap, ubytes, unsol_end;
	uint32_t want, got, r2t_off, r2tsn, outstanding;
	uint32_t datasn;     /* Data-In PDUs sent */
	uint32_t exp_datasn; /* next Data-Out DataSN in the current sequence */
	bool data_err;	     /* a Data-Out sequence error: fail the task */
};

struct iscsi_held {
	struct scst_list_head entry;
	uint32_t cmdsn;
	struct iscsi_bhs_info info;
	uint8_t hdr[ISCSI_BHS_LEN + ISCSI_MAX_AHS_LEN];
	uint8_t *data;
};

struct iscsi_tmf {
	struct iscsi_conn *conn;
	uint32_t itt;
};

/* All connections and the TSIHs in use (iscsi_conn_mutex). */
extern struct scst_mutex iscsi_conn_mutex;
extern struct scst_list_head iscsi_conns;

/* The next TSIH to try (iscsi_conn_mutex) and the network thread's epoll. */
extern uint16_t iscsi_next_tsih;
extern int iscsi_epfd;

extern struct scst_workqueue
    *iscsi_wq; /* aborts of commands waiting for data */

/* Ask the network thread to end @c (any thread). */
void conn_kick(struct iscsi_conn *c);
/* The core let go of a session: free its connection's leftovers. */
void iscsi_sess_done(struct scst_session *sess);

/* Sending (iscsi_tx.c). A PDU with @data_iovs data iovecs, @own bytes. */
struct iscsi_txpdu *pdu_alloc(unsigned int data_iovs, size_t own);
void pdu_free(struct iscsi_txpdu *p);
/* Lay out header, the @n data iovecs at iov[1..n], padding and digest. */
void pdu_finish_data(struct iscsi_conn *c, struct iscsi_txpdu *p,
		     unsigned int n, uint32_t dlen);
/* A PDU carrying a copy of @len bytes of @data. */
struct iscsi_txpdu *pdu_with_data(struct iscsi_conn *c, const void *data,
				  uint32_t len);
/* Under c->lock: queue @p; send what can go. Finished commands -> @done. */
void conn_queue_locked(struct iscsi_conn *c, struct iscsi_txpdu *p,
		       struct scst_list_head *done);
void conn_flush_locked(struct iscsi_conn *c, struct scst_list_head *done);
/* Without c->lock: hand the commands whose last PDU went to the core. */
void run_done(struct scst_list_head *done);
/* Queue one PDU and send (takes c->lock). */
void conn_send(struct iscsi_conn *c, struct iscsi_txpdu *p);
void conn_send_reject(struct iscsi_conn *c, uint8_t reason,
		      const uint8_t *bad_bhs);

/* SCSI commands and their data (iscsi_cmd.c), network thread. */
void rx_scsi_cmd(struct iscsi_conn *c, const struct iscsi_bhs_info *in,
		 const uint8_t *hdr, const uint8_t *data);
void rx_data_out(struct iscsi_conn *c, const struct iscsi_bhs_info *in,
		 const uint8_t *data);
void iscsi_abort_work(struct scst_work *w);

/* Other requests (iscsi_requests.c), network thread. */
void rx_nop_out(struct iscsi_conn *c, const struct iscsi_bhs_info *in,
		const uint8_t *data);
void rx_logout(struct iscsi_conn *c, const struct iscsi_bhs_info *in);
void rx_text(struct iscsi_conn *c, const struct iscsi_bhs_info *in,
	     const uint8_t *data);
void rx_tmf(struct iscsi_conn *c, const struct iscsi_bhs_info *in,
	    const uint8_t *hdr);

#endif /* ISCSI_CONN_INTERNAL_H */
