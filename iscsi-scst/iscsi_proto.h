/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * iSCSI wire constants and layouts (RFC 7143 section 11): data only.
 *
 * Byte offsets are into the 48-byte Basic Header Segment (BHS). All
 * multi-byte fields are big-endian on the wire (RFC 7143 11), except the
 * CRC32C digests, which go out least significant byte first (RFC 7143
 * appendix B.4 shows the zero vector's digest as "aa 36 91 8a").
 */
#ifndef ISCSI_PROTO_H
#define ISCSI_PROTO_H

/* ------------------------------------------------------------ sizes ---- */

#define ISCSI_BHS_LEN	    48
#define ISCSI_DIGEST_LEN    4
#define ISCSI_PAD_LEN	    4	     /* segments are padded to 4 bytes */
#define ISCSI_MAX_AHS_LEN   1020     /* TotalAHSLength is 255 4-byte words */
#define ISCSI_MAX_DSL	    0xffffff /* DataSegmentLength is 24 bits */
#define ISCSI_LOGIN_MAX_DSL 8192     /* login/text default (RFC 7143 6.1) */
#define ISCSI_MIN_RECV_DSL  512
#define ISCSI_MAX_RECV_DSL  16777215
#define ISCSI_CDB_LEN	    16
#define ISCSI_ISID_LEN	    6
#define ISCSI_RESERVED_TAG  0xffffffffu
#define ISCSI_VERSION	    0x00

/* -------------------------------------------------- common BHS bytes ---- */

#define ISCSI_BHS_OPCODE  0 /* byte 0: . I opcode(6) */
#define ISCSI_BHS_FLAGS	  1
#define ISCSI_BHS_AHS_LEN 4 /* TotalAHSLength, in 4-byte words */
#define ISCSI_BHS_DSL	  5 /* 24-bit DataSegmentLength */
#define ISCSI_BHS_LUN	  8
#define ISCSI_BHS_ITT	  16

#define ISCSI_OPCODE_MASK  0x3f
#define ISCSI_OP_IMMEDIATE 0x40
#define ISCSI_OP_RSVD_BIT  0x80
#define ISCSI_FLAG_FINAL   0x80

/* ----------------------------------------------------------- opcodes ---- */

/* Initiator opcodes (RFC 7143 11.2.1.2). */
#define ISCSI_OP_NOP_OUT       0x00
#define ISCSI_OP_SCSI_CMD      0x01
#define ISCSI_OP_TMF_REQ       0x02
#define ISCSI_OP_LOGIN_REQ     0x03
#define ISCSI_OP_TEXT_REQ      0x04
#define ISCSI_OP_SCSI_DATA_OUT 0x05
#define ISCSI_OP_LOGOUT_REQ    0x06
#define ISCSI_OP_SNACK_REQ     0x10
#define ISCSI_OP_VENDOR1_CMD   0x1c
#define ISCSI_OP_VENDOR3_CMD   0x1e

/* Target opcodes. */
#define ISCSI_OP_NOP_IN	      0x20
#define ISCSI_OP_SCSI_RSP     0x21
#define ISCSI_OP_TMF_RSP      0x22
#define ISCSI_OP_LOGIN_RSP    0x23
#define ISCSI_OP_TEXT_RSP     0x24
#define ISCSI_OP_SCSI_DATA_IN 0x25
#define ISCSI_OP_LOGOUT_RSP   0x26
#define ISCSI_OP_R2T	      0x31
#define ISCSI_OP_ASYNC_MSG    0x32
#define ISCSI_OP_REJECT	      0x3f

/* ------------------------------------------ SCSI Command (11.3) ---- */

#define ISCSI_CMD_FLAG_READ  0x40
#define ISCSI_CMD_FLAG_WRITE 0x20
#define ISCSI_CMD_ATTR_MASK  0x07
#define ISCSI_CMD_EDTL	     20
#define ISCSI_CMD_CMDSN	     24
#define ISCSI_CMD_EXPSTATSN  28
#define ISCSI_CMD_CDB	     32

/* Task attributes. */
#define ISCSI_ATTR_UNTAGGED  0
#define ISCSI_ATTR_SIMPLE    1
#define ISCSI_ATTR_ORDERED   2
#define ISCSI_ATTR_HEAD_OF_Q 3
#define ISCSI_ATTR_ACA	     4

/* AHS (11.2.2): length(2) type(1) specific(1) data. */
#define ISCSI_AHS_HDR_LEN   4
#define ISCSI_AHS_EXT_CDB   1
#define ISCSI_AHS_BIDI_RLEN 2

/* ------------------------------------------ SCSI Response (11.4) ---- */

#define ISCSI_RSP_FLAG_BIDI_OVERFLOW  0x10
#define ISCSI_RSP_FLAG_BIDI_UNDERFLOW 0x08
#define ISCSI_RSP_FLAG_OVERFLOW	      0x04
#define ISCSI_RSP_FLAG_UNDERFLOW      0x02
#define ISCSI_RSP_RESPONSE	      2
#define ISCSI_RSP_STATUS	      3
#define ISCSI_RSP_SNACK_TAG	      20
#define ISCSI_RSP_STATSN	      24
#define ISCSI_RSP_EXPCMDSN	      28
#define ISCSI_RSP_MAXCMDSN	      32
#define ISCSI_RSP_EXPDATASN	      36
#define ISCSI_RSP_BIDI_RESIDUAL	      40
#define ISCSI_RSP_RESIDUAL	      44

#define ISCSI_RESPONSE_COMPLETED      0x00
#define ISCSI_RESPONSE_TARGET_FAILURE 0x01

/* ------------------------------------- TMF Request/Response (11.5/6) ---- */

#define ISCSI_TMF_FUNC_MASK 0x7f
#define ISCSI_TMF_RTT	    20
#define ISCSI_TMF_CMDSN	    24
#define ISCSI_TMF_EXPSTATSN 28
#define ISCSI_TMF_REFCMDSN  32
#define ISCSI_TMF_EXPDATASN 36

#define ISCSI_TMF_ABORT_TASK	    1
#define ISCSI_TMF_ABORT_TASK_SET    2
#define ISCSI_TMF_CLEAR_ACA	    3
#define ISCSI_TMF_CLEAR_TASK_SET    4
#define ISCSI_TMF_LUN_RESET	    5
#define ISCSI_TMF_TARGET_WARM_RESET 6
#define ISCSI_TMF_TARGET_COLD_RESET 7
#define ISCSI_TMF_TASK_REASSIGN	    8

#define ISCSI_TMF_RSP_COMPLETE	     0
#define ISCSI_TMF_RSP_NO_TASK	     1
#define ISCSI_TMF_RSP_NO_LUN	     2
#define ISCSI_TMF_RSP_TASK_ALLEGIANT 3
#define ISCSI_TMF_RSP_NO_REASSIGN    4
#define ISCSI_TMF_RSP_NOT_SUPPORTED  5
#define ISCSI_TMF_RSP_AUTH_FAILED    6
#define ISCSI_TMF_RSP_REJECTED	     255

/* ---------------------------------- Data-Out / Data-In (11.7) ---- */

#define ISCSI_DATA_TTT	     20
#define ISCSI_DATA_STATSN    24
#define ISCSI_DATA_EXPSTATSN 28
#define ISCSI_DATA_EXPCMDSN  28
#define ISCSI_DATA_MAXCMDSN  32
#define ISCSI_DATA_DATASN    36
#define ISCSI_DATA_OFFSET    40
#define ISCSI_DATA_RESIDUAL  44

#define ISCSI_DATA_IN_FLAG_ACK	     0x40
#define ISCSI_DATA_IN_FLAG_OVERFLOW  0x04
#define ISCSI_DATA_IN_FLAG_UNDERFLOW 0x02
#define ISCSI_DATA_IN_FLAG_STATUS    0x01
#define ISCSI_DATA_IN_STATUS	     3

/* ----------------------------------------------------- R2T (11.8) ---- */

#define ISCSI_R2T_TTT	 20
#define ISCSI_R2T_R2TSN	 36
#define ISCSI_R2T_OFFSET 40
#define ISCSI_R2T_DDTL	 44

/* ------------------------------------------- Async Message (11.9) ---- */

#define ISCSI_ASYNC_EVENT  36
#define ISCSI_ASYNC_VCODE  37
#define ISCSI_ASYNC_PARAM1 38
#define ISCSI_ASYNC_PARAM2 40
#define ISCSI_ASYNC_PARAM3 42

#define ISCSI_ASYNC_SCSI_EVENT	    0
#define ISCSI_ASYNC_REQ_LOGOUT	    1
#define ISCSI_ASYNC_DROP_CONN	    2
#define ISCSI_ASYNC_DROP_ALL_CONNS  3
#define ISCSI_ASYNC_REQ_NEGOTIATION 4
#define ISCSI_ASYNC_VENDOR	    255

/* ---------------------------------- Text Request/Response (11.10/11) ---- */

#define ISCSI_TEXT_FLAG_CONTINUE 0x40
#define ISCSI_TEXT_TTT		 20
#define ISCSI_TEXT_CMDSN	 24
#define ISCSI_TEXT_EXPSTATSN	 28

/* -------------------------------- Login Request/Response (11.12/13) ---- */

#define ISCSI_LOGIN_FLAG_TRANSIT  0x80
#define ISCSI_LOGIN_FLAG_CONTINUE 0x40
#define ISCSI_LOGIN_CSG_MASK	  0x0c
#define ISCSI_LOGIN_CSG_SHIFT	  2
#define ISCSI_LOGIN_NSG_MASK	  0x03
#define ISCSI_LOGIN_VERSION_MAX	  2
#define ISCSI_LOGIN_VERSION_MIN	  3 /* Version-active in a response */
#define ISCSI_LOGIN_ISID	  8
#define ISCSI_LOGIN_TSIH	  14
#define ISCSI_LOGIN_CID		  20
#define ISCSI_LOGIN_CMDSN	  24
#define ISCSI_LOGIN_EXPSTATSN	  28
#define ISCSI_LOGIN_STATUS_CLASS  36
#define ISCSI_LOGIN_STATUS_DETAIL 37

/* Login stages (11.12.3). Stage 2 is reserved. */
#define ISCSI_STAGE_SECURITY	 0
#define ISCSI_STAGE_OPERATIONAL	 1
#define ISCSI_STAGE_RESERVED	 2
#define ISCSI_STAGE_FULL_FEATURE 3

/* Status-Class and Status-Detail (11.13.5). */
#define ISCSI_STATUS_CLS_SUCCESS       0x00
#define ISCSI_STATUS_CLS_REDIRECT      0x01
#define ISCSI_STATUS_CLS_INITIATOR_ERR 0x02
#define ISCSI_STATUS_CLS_TARGET_ERR    0x03

#define ISCSI_LOGIN_STATUS_TGT_MOVED_TEMP  0x01
#define ISCSI_LOGIN_STATUS_TGT_MOVED_PERM  0x02
#define ISCSI_LOGIN_STATUS_INIT_ERR	   0x00
#define ISCSI_LOGIN_STATUS_AUTH_FAILED	   0x01
#define ISCSI_LOGIN_STATUS_TGT_FORBIDDEN   0x02
#define ISCSI_LOGIN_STATUS_TGT_NOT_FOUND   0x03
#define ISCSI_LOGIN_STATUS_TGT_REMOVED	   0x04
#define ISCSI_LOGIN_STATUS_NO_VERSION	   0x05
#define ISCSI_LOGIN_STATUS_ISID_ERROR	   0x06 /* too many connections */
#define ISCSI_LOGIN_STATUS_MISSING_FIELDS  0x07
#define ISCSI_LOGIN_STATUS_CONN_ADD_FAILED 0x08
#define ISCSI_LOGIN_STATUS_NO_SESSION_TYPE 0x09
#define ISCSI_LOGIN_STATUS_NO_SESSION	   0x0a
#define ISCSI_LOGIN_STATUS_INVALID_REQUEST 0x0b
#define ISCSI_LOGIN_STATUS_TARGET_ERROR	   0x00
#define ISCSI_LOGIN_STATUS_SVC_UNAVAILABLE 0x01
#define ISCSI_LOGIN_STATUS_NO_RESOURCES	   0x02

/* ------------------------------- Logout Request/Response (11.14/15) ---- */

#define ISCSI_LOGOUT_REASON_MASK 0x7f
#define ISCSI_LOGOUT_CID	 20
#define ISCSI_LOGOUT_CMDSN	 24
#define ISCSI_LOGOUT_EXPSTATSN	 28
#define ISCSI_LOGOUT_RESPONSE	 2
#define ISCSI_LOGOUT_TIME2WAIT	 40
#define ISCSI_LOGOUT_TIME2RETAIN 42

#define ISCSI_LOGOUT_CLOSE_SESSION 0
#define ISCSI_LOGOUT_CLOSE_CONN	   1
#define ISCSI_LOGOUT_REMOVE_CONN   2

#define ISCSI_LOGOUT_RSP_SUCCESS      0
#define ISCSI_LOGOUT_RSP_NO_CID	      1
#define ISCSI_LOGOUT_RSP_NO_RECOVERY  2
#define ISCSI_LOGOUT_RSP_CLEANUP_FAIL 3

/* ------------------------------------------------------ SNACK (11.16) ---- */

#define ISCSI_SNACK_TYPE_MASK 0x0f
#define ISCSI_SNACK_TTT	      20
#define ISCSI_SNACK_EXPSTATSN 28
#define ISCSI_SNACK_BEGRUN    40
#define ISCSI_SNACK_RUNLENGTH 44

#define ISCSI_SNACK_DATA_R2T 0
#define ISCSI_SNACK_STATUS   1
#define ISCSI_SNACK_DATA_ACK 2
#define ISCSI_SNACK_RDATA    3

/* ----------------------------------------------------- Reject (11.17) ---- */

#define ISCSI_REJECT_REASON 2
#define ISCSI_REJECT_DATASN 36

#define ISCSI_REJECT_NONE	       0x00 /* not on the wire: "no reject" */
#define ISCSI_REJECT_DATA_DIGEST       0x02
#define ISCSI_REJECT_SNACK	       0x03
#define ISCSI_REJECT_PROTOCOL_ERROR    0x04
#define ISCSI_REJECT_CMD_NOT_SUPPORTED 0x05
#define ISCSI_REJECT_IMM_CMD	       0x06
#define ISCSI_REJECT_TASK_IN_PROGRESS  0x07
#define ISCSI_REJECT_INVALID_DATA_ACK  0x08
#define ISCSI_REJECT_INVALID_PDU_FIELD 0x09
#define ISCSI_REJECT_LONG_OP	       0x0a
#define ISCSI_REJECT_WAITING_LOGOUT    0x0c

/* Target-side sequence numbers common to most target PDUs. */
#define ISCSI_TGT_STATSN   24
#define ISCSI_TGT_EXPCMDSN 28
#define ISCSI_TGT_MAXCMDSN 32

#endif /* ISCSI_PROTO_H */
