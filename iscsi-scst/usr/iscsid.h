/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * iscsi-scstd, the iSCSI login daemon: module-internal interfaces.
 *
 *   iscsid_main.c       options, listening sockets, the epoll loop
 *   iscsid_login.c      one connection: receive, the login FSM, responses
 *   iscsid_discovery.c  the full feature phase of a discovery session
 *                       (Text SendTargets, Logout, NOP-Out)
 *   iscsid_ctl.c        client of scstd's control socket (iscsi_ctl.h)
 *
 * Everything an unauthenticated peer sends is parsed here; once a normal
 * session's login is complete the socket is handed to scstd.
 * Error convention: 0 or a negative errno.
 */
#ifndef ISCSID_H
#define ISCSID_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "iscsi-scst/iscsi_ctl.h"
#include "iscsi-scst/iscsi_params.h"
#include "iscsi-scst/iscsi_pdu.h"
#include "iscsi-scst/usr/iscsi_chap.h"

#define ISCSID_DEFAULT_CONTROL	"/run/scst/scstd.sock"
#define ISCSID_DEFAULT_PORT	3260
#define ISCSID_MAX_LOGINS	64
#define ISCSID_LOGIN_TIMEOUT_MS 15000
#define ISCSID_CTL_TIMEOUT_MS	5000
#define ISCSID_CMD_WINDOW	32 /* MaxCmdSN - ExpCmdSN + 1 */
#define ISCSID_KEYS_MAX		(4 * ISCSI_LOGIN_DATA_MAX) /* C-bit chain */
#define ISCSID_MAX_TARGETS	1024
#define ISCSID_SEND_TARGETS_MAX (256 * 1024)

/* Daemon-wide settings a connection needs (owned by main). */
struct iscsid_config {
	const char *control; /* scstd's control socket */
	unsigned int login_timeout_ms;
};

/* ------------------------------------------------------ iscsid_ctl.c ---- */

/* A target as "iscsi_target <name>" describes it. */
struct iscsid_target {
	char name[ISCSI_NAME_MAX];
	char alias[ISCSI_ALIAS_MAX];
	uint16_t tpgt;
	bool enabled;
	uint32_t max_xmit_dsl; /* 0: not limited */
	struct iscsi_tgt_params params;
	struct iscsi_chap_config chap;
};

/* One "target <name> <tpgt>" line of iscsi_targets. */
struct iscsid_target_ref {
	char name[ISCSI_NAME_MAX];
	uint16_t tpgt;
};

/* -ENOENT if scstd says "no such target"; -EPROTO for a bad answer. */
int iscsid_ctl_get_target(const char *ctl, const char *name,
			  struct iscsid_target *t);
/* The driver's discovery CHAP accounts into @chap (initialised here). */
int iscsid_ctl_get_discovery(const char *ctl, struct iscsi_chap_config *chap);
/* The targets @initiator may see through @local_addr; *@refs is
 * allocated (free() it), *@n entries. */
int iscsid_ctl_list_targets(const char *ctl, const char *initiator,
			    const char *local_addr,
			    struct iscsid_target_ref **refs, size_t *n);

/* What scstd says of a normal session's login ("iscsi_login"). */
enum iscsid_login_verdict {
	ISCSID_LOGIN_ALLOW,
	ISCSID_LOGIN_REFUSE,   /* answer with status_class/status_detail */
	ISCSID_LOGIN_REDIRECT, /* status 01/xx with TargetAddress=address */
};

struct iscsid_login_check {
	enum iscsid_login_verdict verdict;
	uint8_t status_class;
	uint8_t status_detail;
	char address[ISCSI_ADDR_MAX + 8]; /* redirect: "<host>:<port>" */
	char text[128];			  /* refuse: scstd's reason */
};

/* May @initiator log in to @target through @local_ip:@local_port? */
int iscsid_ctl_login_check(const char *ctl, const char *target,
			   const char *initiator, const char *local_ip,
			   uint16_t local_port, struct iscsid_login_check *res);

/* The answer of scstd to a hand-off. */
struct iscsid_handoff_result {
	bool ok;
	uint16_t tsih;	       /* ok */
	uint8_t status_class;  /* !ok */
	uint8_t status_detail; /* !ok */
	char text[128];
};

/* Send @h with @fd as SCM_RIGHTS. 0 when scstd answered (see @res). */
int iscsid_ctl_handoff(const char *ctl, const struct iscsi_handoff *h, int fd,
		       struct iscsid_handoff_result *res);

/* ---------------------------------------------------- iscsid_login.c ---- */

struct iscsid_conn;

/* What the event loop does with a connection after an event. */
enum iscsid_verdict {
	ISCSID_KEEP,	   /* wait for more (see iscsid_conn_wants_write) */
	ISCSID_CLOSE,	   /* close it (any queued response was flushed) */
	ISCSID_HANDED_OFF, /* scstd owns the socket: close our copy */
};

/* A connection on accepted socket @fd (non-blocking). NULL: no memory. */
struct iscsid_conn *iscsid_conn_new(int fd, const struct iscsid_config *cfg,
				    uint64_t now_ms);
void iscsid_conn_free(struct iscsid_conn *c);
int iscsid_conn_fd(const struct iscsid_conn *c);
uint64_t iscsid_conn_deadline(const struct iscsid_conn *c);
bool iscsid_conn_wants_write(const struct iscsid_conn *c);
/* The socket is readable / writable. */
enum iscsid_verdict iscsid_conn_on_read(struct iscsid_conn *c);
enum iscsid_verdict iscsid_conn_on_write(struct iscsid_conn *c);

/* Internal to the daemon: used by iscsid_discovery.c. */
int iscsid_conn_send(struct iscsid_conn *c, const uint8_t *bhs,
		     const void *data, uint32_t len);

/* ------------------------------------------------ iscsid_discovery.c ---- */

/* The session state iscsid_discovery.c needs from a logged-in
 * discovery connection (owned by the connection). */
struct iscsid_disc {
	const char *control;
	const char *initiator;
	const char *local_ip; /* the address the initiator connected to */
	bool local_v6;
	uint16_t local_port;
	uint32_t max_send_dsl; /* the initiator's MaxRecvDataSegmentLength */
	uint32_t stat_sn, exp_cmd_sn;
	/* A SendTargets answer being sent in pieces (RFC 7143 6.3 / 11.11). */
	char *pending;
	size_t pending_len, pending_off;
	uint32_t pending_ttt, next_ttt;
};

enum iscsid_disc_result {
	ISCSID_DISC_CONTINUE,
	ISCSID_DISC_CLOSE, /* after the queued response */
	ISCSID_DISC_ERROR, /* close now */
};

#define ISCSID_MAX_PORTALS 16

/*
 * The portals the daemon listens on, for SendTargets (iscsid_main.c adds
 * them; wildcard addresses are not added: for those the address the
 * initiator connected to stands in). At most ISCSID_MAX_PORTALS.
 */
int iscsid_disc_add_portal(const char *ip, uint16_t port, bool v6);

/* One PDU of a discovery session's full feature phase. */
enum iscsid_disc_result iscsid_disc_pdu(struct iscsid_disc *d,
					struct iscsid_conn *c,
					const struct iscsi_rx_pdu *pdu);
void iscsid_disc_destroy(struct iscsid_disc *d);

#endif /* ISCSID_H */
