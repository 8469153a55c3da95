/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * The iSCSI PDU codec: BHS parsing into a typed struct with validation
 * that yields a Reject reason, length checks against negotiated limits
 * before anything is allocated, builders for every target PDU, and a
 * receive state machine that the caller feeds with bytes.
 *
 * Error convention: 0 on success, a negative errno on failure; where a
 * peer's PDU is at fault, *reason holds the RFC 7143 11.17.1 Reject reason.
 */
#ifndef ISCSI_PDU_H
#define ISCSI_PDU_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "iscsi_proto.h"

/* CRC32C as the iSCSI digests use it (RFC 7143 13.1, appendix B.4).
 * @seed is a previous result (0 to start); the result is the finished,
 * complemented CRC: iscsi_crc32c(iscsi_crc32c(0, a), b) == crc of a||b.
 * It goes on the wire least significant byte first. */
uint32_t iscsi_crc32c(uint32_t seed, const void *buf, size_t len);

/* Which PDUs the initiator may send now (RFC 7143 6, 4.3). */
enum iscsi_phase {
	ISCSI_PHASE_LOGIN,	  /* only Login Request */
	ISCSI_PHASE_FULL_FEATURE, /* normal session: all but Login */
	ISCSI_PHASE_DISCOVERY,	  /* discovery session: Text, Logout, NOP */
};

/* Parse options. */
#define ISCSI_PARSE_STRICT 0x1 /* reject non-zero reserved fields */

/* A parsed BHS. Byte offsets and meanings: RFC 7143 section 11. */
struct iscsi_bhs_info {
	uint8_t opcode;
	bool immediate;
	bool final;
	uint8_t flags;	   /* byte 1 as received */
	uint32_t ahs_len;  /* TotalAHSLength in bytes (words * 4) */
	uint32_t data_len; /* DataSegmentLength, without padding */
	uint64_t lun;	   /* the 8 LUN bytes, big-endian */
	uint32_t itt;
	union {
		struct {
			bool read, write;
			uint8_t attr;
			uint32_t edtl, cmdsn, expstatsn;
			uint8_t cdb[ISCSI_CDB_LEN];
		} cmd;
		struct {
			uint32_t ttt, expstatsn, datasn, offset;
		} data_out;
		struct {
			uint32_t ttt, cmdsn, expstatsn;
		} nop_out;
		struct {
			uint8_t function;
			uint32_t rtt, cmdsn, expstatsn, refcmdsn, expdatasn;
		} tmf;
		struct {
			bool transit, cont;
			uint8_t csg, nsg, version_max, version_min;
			uint8_t isid[ISCSI_ISID_LEN];
			uint16_t tsih, cid;
			uint32_t cmdsn, expstatsn;
		} login;
		struct {
			bool cont;
			uint32_t ttt, cmdsn, expstatsn;
		} text;
		struct {
			uint8_t reason;
			uint16_t cid;
			uint32_t cmdsn, expstatsn;
		} logout;
		struct {
			uint8_t type;
			uint32_t ttt, expstatsn, begrun, runlength;
		} snack;
	};
};

/*
 * Parse an initiator PDU's BHS. Returns 0, or -EPROTO with *reason set
 * (PROTOCOL_ERROR: wrong phase, target opcode, reserved code value;
 * CMD_NOT_SUPPORTED: unknown/vendor opcode; INVALID_PDU_FIELD: an
 * inconsistent field, or a reserved field in ISCSI_PARSE_STRICT mode).
 * @info is filled as far as the common fields even on failure.
 */
int iscsi_pdu_parse_bhs(const uint8_t *bhs, enum iscsi_phase phase,
			unsigned int parse_flags, struct iscsi_bhs_info *info,
			uint8_t *reason);

/* Limits on what the receiver accepts. */
struct iscsi_pdu_limits {
	uint32_t max_recv_dsl; /* our MaxRecvDataSegmentLength, or 8192 */
	uint32_t max_ahs_len;  /* bytes, <= ISCSI_MAX_AHS_LEN */
};

/* Limits for the login phase (RFC 7143 6.1: 8192 bytes, no AHS). */
void iscsi_pdu_login_limits(struct iscsi_pdu_limits *lim);

/*
 * Check TotalAHSLength and DataSegmentLength of a parsed BHS against
 * @lim and against what the opcode allows. Call before allocating.
 * Returns 0 or -EMSGSIZE / -EPROTO with *reason set.
 */
int iscsi_pdu_check_lengths(const struct iscsi_bhs_info *info,
			    const struct iscsi_pdu_limits *lim,
			    uint8_t *reason);

/* Padded length of a data segment. */
static inline uint32_t iscsi_pad4(uint32_t len)
{
	return (len + 3u) & ~3u;
}

/* --------------------------------------------------------- builders ---- */

/* StatSN, ExpCmdSN, MaxCmdSN of a target PDU. */
struct iscsi_sn {
	uint32_t statsn, expcmdsn, maxcmdsn;
};

struct iscsi_scsi_rsp {
	uint32_t itt, snack_tag, expdatasn;
	uint8_t response, status;
	bool overflow, underflow, bidi_overflow, bidi_underflow;
	uint32_t residual, bidi_residual;
	uint32_t data_len; /* SenseLength(2) + sense + response data */
	struct iscsi_sn sn;
};

struct iscsi_data_in {
	uint64_t lun;
	uint32_t itt, ttt, datasn, offset, residual, data_len;
	bool final, ack, has_status, overflow, underflow;
	uint8_t status;
	struct iscsi_sn sn; /* StatSN only with has_status */
};

struct iscsi_r2t {
	uint64_t lun;
	uint32_t itt, ttt, r2tsn, offset, ddtl;
	struct iscsi_sn sn;
};

struct iscsi_nop_in {
	uint64_t lun;
	uint32_t itt, ttt, data_len;
	struct iscsi_sn sn;
};

struct iscsi_tmf_rsp {
	uint32_t itt;
	uint8_t response;
	struct iscsi_sn sn;
};

struct iscsi_login_rsp {
	bool transit, cont;
	uint8_t csg, nsg, version_max, version_active;
	uint8_t isid[ISCSI_ISID_LEN];
	uint16_t tsih;
	uint32_t itt, data_len;
	uint8_t status_class, status_detail;
	struct iscsi_sn sn;
};

struct iscsi_text_rsp {
	bool final, cont;
	uint64_t lun;
	uint32_t itt, ttt, data_len;
	struct iscsi_sn sn;
};

struct iscsi_logout_rsp {
	uint32_t itt;
	uint8_t response;
	uint16_t time2wait, time2retain;
	struct iscsi_sn sn;
};

struct iscsi_async_msg {
	uint64_t lun;
	uint8_t event, vcode;
	uint16_t param1, param2, param3;
	uint32_t data_len;
	struct iscsi_sn sn;
};

struct iscsi_reject {
	uint8_t reason;
	uint32_t datasn; /* DataSN/R2TSN, or 0 */
	struct iscsi_sn sn;
};

/* Each writes ISCSI_BHS_LEN bytes to @bhs; -EINVAL on a flag combination
 * RFC 7143 forbids (nothing is written then). */
int iscsi_build_scsi_rsp(uint8_t *bhs, const struct iscsi_scsi_rsp *p);
int iscsi_build_data_in(uint8_t *bhs, const struct iscsi_data_in *p);
int iscsi_build_r2t(uint8_t *bhs, const struct iscsi_r2t *p);
int iscsi_build_nop_in(uint8_t *bhs, const struct iscsi_nop_in *p);
int iscsi_build_tmf_rsp(uint8_t *bhs, const struct iscsi_tmf_rsp *p);
int iscsi_build_login_rsp(uint8_t *bhs, const struct iscsi_login_rsp *p);
int iscsi_build_text_rsp(uint8_t *bhs, const struct iscsi_text_rsp *p);
int iscsi_build_logout_rsp(uint8_t *bhs, const struct iscsi_logout_rsp *p);
int iscsi_build_async_msg(uint8_t *bhs, const struct iscsi_async_msg *p);
/* Reject: DSL 48; @data receives the offending header (RFC 7143 11.17). */
int iscsi_build_reject(uint8_t *bhs, const struct iscsi_reject *p,
		       const uint8_t *bad_bhs, uint8_t *data);

/*
 * Data segment of a SCSI Response or Async Message carrying sense data:
 * SenseLength(2) + sense, padded with zeros to 4 bytes. Returns the
 * unpadded length (the DataSegmentLength) or -ENOSPC / -EINVAL.
 */
int iscsi_build_sense_segment(uint8_t *buf, size_t cap, const uint8_t *sense,
			      size_t sense_len);

/* ------------------------------------------ receive state machine ---- */

enum iscsi_rx_state {
	ISCSI_RX_AWAIT_BHS,
	ISCSI_RX_AWAIT_AHS,
	ISCSI_RX_AWAIT_HDIGEST,
	ISCSI_RX_HEADER_READY, /* split: the caller places the data */
	ISCSI_RX_AWAIT_DATA,
	ISCSI_RX_AWAIT_DDIGEST,
	ISCSI_RX_PDU_READY,
	ISCSI_RX_ERROR,
	ISCSI_RX_NR_STATES,
};

/* Why the receiver stopped in ISCSI_RX_ERROR (the connection must end). */
enum iscsi_rx_error {
	ISCSI_RX_OK,
	ISCSI_RX_ERR_HDIGEST,  /* header digest mismatch */
	ISCSI_RX_ERR_LENGTH,   /* AHS or data segment over the limits */
	ISCSI_RX_ERR_PROTOCOL, /* header not acceptable, framing unsafe */
	ISCSI_RX_ERR_NOMEM,
};

/* A piece of memory a data segment is received into. */
struct iscsi_rx_seg {
	void *addr;
	uint32_t len;
};

/* A received PDU, valid in ISCSI_RX_PDU_READY until iscsi_rx_next(). */
struct iscsi_rx_pdu {
	struct iscsi_bhs_info info;
	const uint8_t *bhs; /* ISCSI_BHS_LEN bytes */
	const uint8_t *ahs; /* info.ahs_len bytes */
	/* info.data_len bytes (+ zero padding); NULL when the data went to
	 * the caller's place (iscsi_rx_data_to) or was discarded. */
	const uint8_t *data;
	/* Non-zero: the caller should answer with a Reject of this reason
	 * (e.g. ISCSI_REJECT_DATA_DIGEST); the framing is intact. */
	uint8_t reject_reason;
};

struct iscsi_rx {
	enum iscsi_rx_state state;
	enum iscsi_rx_error error;
	uint8_t reason; /* Reject reason that goes with the error */
	/* Configuration: change only in AWAIT_BHS (between PDUs). */
	enum iscsi_phase phase;
	unsigned int parse_flags;
	struct iscsi_pdu_limits limits;
	bool hdigest, ddigest;
	/*
	 * Options of the caller (default off), set between PDUs:
	 * @split: stop in HEADER_READY once the header of a PDU with a data
	 * segment is complete, so that the caller can name the data's place
	 * (iscsi_rx_data_to) before it is read.
	 * @borrow: a data segment that lies whole in the bytes of one
	 * iscsi_rx_feed() call is not copied; pdu.data points into the
	 * caller's buffer, which must stay unchanged until iscsi_rx_next().
	 */
	bool split, borrow;
	/* Owned by the receiver. */
	uint8_t hdr[ISCSI_BHS_LEN + ISCSI_MAX_AHS_LEN];
	uint8_t digest[ISCSI_DIGEST_LEN];
	uint32_t have; /* bytes of the current state's unit */
	uint32_t data_crc;
	uint8_t *data;
	uint32_t data_cap;
	const struct iscsi_rx_seg *dst; /* the caller's place, or NULL */
	unsigned int dst_n;
	bool discard; /* the data goes nowhere (iscsi_rx_discard) */
	uint8_t pad[ISCSI_PAD_LEN]; /* padding after the caller's place */
	struct iscsi_rx_pdu pdu;
};

void iscsi_rx_init(struct iscsi_rx *rx, enum iscsi_phase phase,
		   const struct iscsi_pdu_limits *lim, bool hdigest,
		   bool ddigest);
/* Frees the data buffer. */
void iscsi_rx_destroy(struct iscsi_rx *rx);
/*
 * Consume bytes until a PDU is complete (PDU_READY), an error ends the
 * stream (ERROR) or @len is used up. Returns the bytes consumed; in
 * PDU_READY and ERROR it consumes nothing more.
 */
size_t iscsi_rx_feed(struct iscsi_rx *rx, const void *buf, size_t len);
/* The PDU in PDU_READY, else NULL. */
const struct iscsi_rx_pdu *iscsi_rx_pdu(const struct iscsi_rx *rx);
/* Done with the PDU: back to AWAIT_BHS (the data buffer is kept). */
void iscsi_rx_next(struct iscsi_rx *rx);

/*
 * In HEADER_READY (pdu.info, bhs and ahs are valid): where the data
 * segment goes, then on to AWAIT_DATA. @n segments of @segs that together
 * hold exactly info.data_len bytes (the padding and the digest stay with
 * the receiver); the caller keeps @segs and the memory valid until
 * PDU_READY or iscsi_rx_discard(). @n 0: the receiver's own buffer, as
 * without split. Returns 0, or -EINVAL (the segments do not add up; the
 * own buffer is used then) or -ENOMEM (ERROR).
 */
int iscsi_rx_data_to(struct iscsi_rx *rx, const struct iscsi_rx_seg *segs,
		     unsigned int n);
/*
 * The caller's place goes away before the data is in: the rest of the
 * segment is read and dropped (digest still checked); pdu.data is NULL.
 */
void iscsi_rx_discard(struct iscsi_rx *rx);
/*
 * In AWAIT_DATA into the caller's place: where the next data bytes go,
 * so that the caller can receive them there directly (at most @max
 * pieces; padding excluded). Returns the number of pieces, 0 if none.
 */
unsigned int iscsi_rx_direct(const struct iscsi_rx *rx,
			     struct iscsi_rx_seg *out, unsigned int max);
/* @len bytes were received into the pieces iscsi_rx_direct() gave. */
void iscsi_rx_direct_done(struct iscsi_rx *rx, size_t len);

const char *iscsi_rx_state_name(enum iscsi_rx_state s);
const char *iscsi_opcode_name(uint8_t opcode);

#endif /* ISCSI_PDU_H */
