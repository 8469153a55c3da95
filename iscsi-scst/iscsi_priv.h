/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Internals of the iscsi target driver (scstd side): targets and their
 * settings (iscsi_target.c), sessions, connections and commands of the
 * full feature phase (iscsi_conn.c).
 */
#ifndef ISCSI_PRIV_H
#define ISCSI_PRIV_H

#include <stdbool.h>
#include <stdint.h>

#include "iscsi-scst/iscsi_ctl.h"
#include "iscsi-scst/iscsi_proto.h"
#include "scst/os.h"
#include "scst/scst.h"

/* Per-target settings, in the order of the tree attributes. */
enum iscsi_tp {
	ISCSI_TP_MAX_RECV_DSL,
	ISCSI_TP_MAX_XMIT_DSL,
	ISCSI_TP_MAX_BURST,
	ISCSI_TP_FIRST_BURST,
	ISCSI_TP_INITIAL_R2T,
	ISCSI_TP_IMMEDIATE_DATA,
	ISCSI_TP_MAX_OUTSTANDING_R2T,
	ISCSI_TP_HEADER_DIGEST,
	ISCSI_TP_DATA_DIGEST,
	ISCSI_TP_QUEUED_COMMANDS,
	ISCSI_TP_MAX_SESSIONS,
	ISCSI_TP_NOP_IN_INTERVAL,
	ISCSI_TP_NOP_IN_TIMEOUT,
	ISCSI_TP_RSP_TIMEOUT,
	ISCSI_TP_NR,
};

/* Digest settings (HeaderDigest/DataDigest values). */
enum iscsi_tp_digest {
	ISCSI_TPD_NONE,	       /* "None" */
	ISCSI_TPD_CRC32C,      /* "CRC32C" */
	ISCSI_TPD_CRC32C_NONE, /* "CRC32C,None" */
	ISCSI_TPD_NONE_CRC32C, /* "None,CRC32C" */
};

#define ISCSI_USER_MAX	 256
#define ISCSI_SECRET_MAX 256
#define ISCSI_MAX_ACCTS	 16

/* One CHAP account, shown as a tree file IncomingUser[N]/OutgoingUser. */
struct iscsi_acct {
	bool used;
	bool outgoing;
	char file[24];
	char user[ISCSI_USER_MAX];
	char secret[ISCSI_SECRET_MAX];
	struct scst_attr attr;
};

struct iscsi_accts {
	struct iscsi_acct in[ISCSI_MAX_ACCTS];
	struct iscsi_acct out;
};

struct iscsi_tgt {
	struct scst_tgt *stgt;
	struct scst_list_head entry; /* iscsi_targets */
	bool enabled;
	uint32_t tp[ISCSI_TP_NR];
	struct iscsi_accts accts;
	unsigned int nsess; /* sessions alive (iscsi_mutex) */
};

/* iscsi_target.c */
extern struct scst_mutex iscsi_mutex; /* targets, settings, accounts */
extern struct scst_tgt_template iscsi_template;
extern bool iscsi_drv_enabled;
/* The enabled target named @name with the driver enabled, or NULL. */
struct iscsi_tgt *iscsi_tgt_find_enabled_locked(const char *name);

/* iscsi_conn.c */
int iscsi_conn_module_init(void);
void iscsi_conn_module_exit(void);
/* Take over a handed-off connection; *tsih / a login status on failure. */
int iscsi_conn_handoff(struct iscsi_tgt *it, const struct iscsi_handoff *h,
		       int fd, uint16_t *tsih, uint8_t *st_class,
		       uint8_t *st_detail, const char **why);
/* Close every connection of @it (all when NULL) and wait for them. */
void iscsi_conn_close_target(struct iscsi_tgt *it);

int iscsi_xmit_response(struct scst_cmd *cmd);
int iscsi_rdy_to_xfer(struct scst_cmd *cmd);
void iscsi_on_abort_cmd(struct scst_cmd *cmd);
void iscsi_on_free_cmd(struct scst_cmd *cmd);
void iscsi_task_mgmt_fn_done(struct scst_mgmt_cmd *mcmd);
int iscsi_close_session(struct scst_session *sess);

#endif /* ISCSI_PRIV_H */
