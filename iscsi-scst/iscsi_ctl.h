/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * The control protocol between the login daemon (iscsi-scstd) and the
 * engine (scstd, where the iscsi target driver runs). Wire/ABI data only.
 *
 * iscsi-scstd connects to scstd's control socket (--control) for each
 * request; one request per connection. Requests are one line; answers are
 * lines, the last one "end\n" (or a single "error <text>\n").
 *
 *   "iscsi_targets <initiator-name> <local-address>\n"
 *       -> "target <name> <tpgt>\n" for every enabled iscsi target this
 *          initiator may see through that portal, then "end\n". The
 *          address is the bare IP the initiator connected to. A target is
 *          seen when one of its allowed_portal patterns matches the address
 *          (or it has none) and the initiator would get a LUN: its group
 *          (matched by "<initiator>#<address>" with per_portal_acl) or the
 *          default group has one (iscsi_acl.c). Redirection does not hide
 *          a target: SendTargets is not redirected.
 *   "iscsi_login <target> <initiator-name> <local-ip> <local-port>\n"
 *       -> the verdict on a normal session's first Login Request, one of
 *          "allow\n",
 *          "refuse <status-class> <status-detail> <text>\n" (02/03 target
 *             unknown, disabled or not offered on this portal; 02/02 the
 *             initiator is not allowed),
 *          "redirect <status-class> <status-detail> <host>:<port>\n"
 *             (01/01 or 01/02: answer with TargetAddress=<host>:<port>,
 *             without a portal group tag, RFC 7143 13.8),
 *          then "end\n". An scstd that answers "error ..." (no such
 *          request) is asked iscsi_targets instead.
 *   "iscsi_target <name>\n"
 *       -> "<Key>=<value>\n" lines: the target's negotiation limits and
 *          settings (MaxRecvDataSegmentLength, MaxXmitDataSegmentLength,
 *          MaxBurstLength, FirstBurstLength, InitialR2T, ImmediateData,
 *          MaxOutstandingR2T, HeaderDigest, DataDigest, MaxSessions,
 *          QueuedCommands, MaxConnections, TargetAlias, tpgt, enabled,
 *          and one
 *          "IncomingUser=<user> <secret>" per account, "OutgoingUser=..."),
 *          then "end\n"; "error no such target\n" if unknown.
 *   "iscsi_discovery\n"
 *       -> the driver's discovery CHAP accounts, same form, then "end\n".
 *   "iscsi_handoff\n" -> scstd answers "ready\n"; only then the daemon
 *       sends ONE sendmsg() carrying struct iscsi_handoff as data and the
 *       connection's socket as SCM_RIGHTS (sent with the request line, the
 *       descriptor would be lost to the line reader)
 *       -> "ok <tsih>\n": scstd owns the connection, has sent the final
 *          Login Response (built from the handoff) and runs the full
 *          feature phase; the daemon closes its copy of the socket.
 *       -> "error <status-class> <status-detail> <text>\n": the daemon
 *          answers the login with that status and closes the connection.
 *          scstd checks the access again here (02/02, 02/03 as for
 *          iscsi_login), so that a config change during the login cannot
 *          let a refused initiator in; with per_portal_acl the session is
 *          registered as "<initiator>#<portal address>", as SCST does.
 *          A hand-off with a TSIH adds the connection to that session
 *          (the same ISID, initiator and target): "error 2 10 ..." if
 *          there is none, "error 2 6 ..." past its MaxConnections; its
 *          leading-only values are ignored (iscsi_handoff.c).
 *
 * Secrets travel on this socket: it is 0600 and owned by root.
 */
#ifndef ISCSI_CTL_H
#define ISCSI_CTL_H

#include <stdint.h>

#define ISCSI_HANDOFF_VERSION 1
#define ISCSI_NAME_MAX	      224 /* RFC 7143: names are at most 223 bytes */
#define ISCSI_ALIAS_MAX	      256
#define ISCSI_ADDR_MAX	      64
#define ISCSI_LOGIN_DATA_MAX  8192

/* Everything scstd needs to take over a logged-in connection. */
struct iscsi_handoff {
	uint32_t version; /* ISCSI_HANDOFF_VERSION */
	uint32_t size;	  /* sizeof(struct iscsi_handoff) */

	/* Identity of the session and connection. */
	char target_name[ISCSI_NAME_MAX];
	char initiator_name[ISCSI_NAME_MAX];
	char initiator_alias[ISCSI_ALIAS_MAX];
	uint8_t isid[6];
	uint16_t tsih; /* 0: a new session; else the one to join */
	uint16_t cid;
	uint16_t tpgt;
	char local_addr[ISCSI_ADDR_MAX]; /* "a.b.c.d:port" / "[v6]:port" */
	char peer_addr[ISCSI_ADDR_MAX];

	/* The last Login Request, for the final Login Response. */
	uint32_t itt;
	uint32_t cmd_sn;      /* its CmdSN: the session's next ExpCmdSN */
	uint32_t exp_stat_sn; /* its ExpStatSN */
	uint32_t stat_sn;     /* StatSN of the final Login Response */
	uint8_t version_max;
	uint8_t version_active;
	uint8_t csg; /* stage the final response answers from */
	uint8_t pad0;
	uint32_t rsp_data_len; /* keys of the final response */
	char rsp_data[ISCSI_LOGIN_DATA_MAX];

	/* Negotiated operational parameters. */
	uint32_t max_recv_dsl; /* the target receives at most this */
	uint32_t max_xmit_dsl; /* the initiator receives at most this */
	uint32_t max_burst;
	uint32_t first_burst;
	uint32_t max_outstanding_r2t;
	uint32_t time2wait;
	uint32_t time2retain;
	uint32_t max_connections;
	uint8_t initial_r2t;
	uint8_t immediate_data;
	uint8_t data_pdu_in_order;
	uint8_t data_seq_in_order;
	uint8_t header_digest; /* 1: CRC32C */
	uint8_t data_digest;   /* 1: CRC32C */
	uint8_t erl;
	uint8_t pad1;
};

#endif /* ISCSI_CTL_H */
