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
	ISCSI_TP_MAX_CONNECTIONS,
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

#define ISCSI_MAX_PORTAL_PATS 16

/* One allowed_portal[N] pattern of a target (iscsi_acl.c). */
struct iscsi_portal_pat {
	bool used;
	char file[24];
	char pattern[ISCSI_ADDR_MAX];
	struct scst_attr attr;
};

/* The redirect attribute: "<addr>[:port] temp|perm" (iscsi_acl.c). */
struct iscsi_redirect {
	bool set;
	bool perm;		   /* 01/02 Target moved permanently */
	char host[ISCSI_ADDR_MAX]; /* as written: "a.b.c.d" or "[v6]" */
	uint16_t port;		   /* 3260 when not given */
};

struct iscsi_tgt {
	struct scst_tgt *stgt;
	struct scst_list_head entry; /* iscsi_targets */
	bool enabled;
	uint32_t tp[ISCSI_TP_NR];
	struct iscsi_accts accts;
	unsigned int nsess; /* sessions alive (iscsi_mutex) */
	/* Who may see and log in to the target (iscsi_acl.c, iscsi_mutex). */
	struct iscsi_portal_pat portals[ISCSI_MAX_PORTAL_PATS];
	bool per_portal_acl;
	struct iscsi_redirect redirect;
};

/* iscsi_target.c */
extern struct scst_mutex iscsi_mutex; /* targets, settings, accounts */
extern struct scst_tgt_template iscsi_template;
extern bool iscsi_drv_enabled;
/* The enabled target named @name with the driver enabled, or NULL. */
struct iscsi_tgt *iscsi_tgt_find_enabled_locked(const char *name);

/* iscsi_acl.c: access control and redirection of logins. */

/* Why a login may not go on (RFC 7143 11.13.5 status details). */
enum iscsi_access {
	ISCSI_ACCESS_OK,
	ISCSI_ACCESS_NO_PORTAL, /* allowed_portal: not on this portal */
	ISCSI_ACCESS_DENIED,	/* the initiator would get no LUN */
};

/*
 * Shell-style match of a portal address: '*' any run, '?' any one
 * character, case-insensitive; a leading '!' negates the rest.
 */
bool iscsi_portal_match(const char *pattern, const char *addr);
/* Parse a redirect value; "" clears it. -EINVAL if malformed. */
int iscsi_redirect_parse(const char *val, struct iscsi_redirect *r);
/* "<host>:<port> temp|perm" (or "" when not set) into @buf. */
int iscsi_redirect_format(const struct iscsi_redirect *r, char *buf,
			  size_t size);
/* Split "a.b.c.d:port" / "[v6]:port" into the bare address and port. */
int iscsi_addr_split(const char *addr, char *ip, size_t ip_size,
		     uint16_t *port);
/*
 * The name the group match uses: @initiator, or "@initiator#@ip" with
 * per_portal_acl. -ENAMETOOLONG if it does not fit @size.
 */
int iscsi_acl_name(bool per_portal, const char *initiator, const char *ip,
		   char *buf, size_t size);
/*
 * May @initiator use @it through the portal address @ip? Under
 * iscsi_mutex (scst_mutex is taken inside: iscsi_mutex comes first).
 */
enum iscsi_access iscsi_tgt_access_locked(struct iscsi_tgt *it,
					  const char *initiator,
					  const char *ip);
/*
 * The hand-off's second look (a config change may have come during the
 * login): 0, or -errno with the 02/xx detail and the reason. With
 * per_portal_acl, @h->initiator_name becomes "<initiator>#<portal>", the
 * name the session is registered under, as SCST does.
 */
int iscsi_acl_check_handoff_locked(struct iscsi_tgt *it,
				   struct iscsi_handoff *h, uint8_t *st_detail,
				   const char **why);
/* allowed_portal mgmt: add_target_attribute / del_target_attribute. */
int iscsi_portal_add(struct iscsi_tgt *it, struct scst_tnode *dir,
		     const char *val, struct scst_mgmt_res *res);
int iscsi_portal_del(struct iscsi_tgt *it, struct scst_tnode *dir,
		     const char *val, struct scst_mgmt_res *res);
extern const struct scst_attr iscsi_per_portal_acl_attr;
extern const struct scst_attr iscsi_redirect_attr;
/* The "iscsi_login" control request (iscsi_ctl.h). */
int iscsi_ctl_login(int fd, const char *args, char *reply, size_t size);

/* iscsi_conn.c */
int iscsi_conn_module_init(void);
void iscsi_conn_module_exit(void);
/*
 * Take over a handed-off connection (iscsi_handoff.c): a new session
 * registered with the core as @acl_name (the ACL's name, with
 * per_portal_acl "<initiator>#<portal>"), or a connection joining the
 * session of @h->tsih; @h->initiator_name is the plain iSCSI name. 0 with
 * *tsih (the socket is ours then), or -errno with a login status.
 */
int iscsi_conn_handoff(struct iscsi_tgt *it, const struct iscsi_handoff *h,
		       const char *acl_name, int fd, uint16_t *tsih,
		       uint8_t *st_class, uint8_t *st_detail, const char **why);
/* Close every connection of @it (all when NULL) and wait for them. */
void iscsi_conn_close_target(struct iscsi_tgt *it);

int iscsi_xmit_response(struct scst_cmd *cmd);
int iscsi_rdy_to_xfer(struct scst_cmd *cmd);
void iscsi_on_abort_cmd(struct scst_cmd *cmd);
void iscsi_on_free_cmd(struct scst_cmd *cmd);
void iscsi_task_mgmt_fn_done(struct scst_mgmt_cmd *mcmd);
int iscsi_close_session(struct scst_session *sess);
/* Async Messages, session attributes (iscsi_async.c, iscsi_sess_attrs.c).
 * Ask every connection of @it (all when NULL) to log out; how many. */
unsigned int iscsi_conn_request_logout(struct iscsi_tgt *it);
extern const struct scst_attr *const iscsi_sess_attrs[];

#endif /* ISCSI_PRIV_H */
