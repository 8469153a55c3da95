/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Keep-alive and response timeouts of a full-feature connection, the pure
 * part: what one periodic tick of the connection's timer must do, given
 * what it observed. No locks, no I/O, no clock: the glue in
 * iscsi_keepalive.c feeds it (and the unit tests do too).
 *
 * Semantics (SCST's iscsi-scst target attributes, README "Sysfs
 * interface"):
 *  - NopInInterval: a connection on which nothing was received for that
 *    long gets a NOP-In ping (RFC 7143 11.19, ITT 0xffffffff and a real
 *    TTT, so the initiator must answer with a NOP-Out carrying that TTT,
 *    11.18). 0 turns pings off.
 *  - NopInTimeout: the ping must be answered within that time, else the
 *    connection is dead and is closed.
 *  - RspTimeout: "the maximum time a command can wait for response from
 *    initiator": a write waiting for its Data-Out (R2T sent) or the
 *    connection's pending send making no progress for that long closes
 *    the connection. As in SCST this is checked by a coarse timer, so a
 *    stall is detected between the timeout and the timeout plus a tick.
 */
#ifndef ISCSI_KEEPALIVE_H
#define ISCSI_KEEPALIVE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* The period of the connection timer. */
#define ISCSI_KA_TICK_NS 1000000000ull

struct iscsi_ka {
	/* Settings, from the target's attributes at hand-off (0 = off). */
	uint64_t nopin_interval_ns, nopin_timeout_ns, rsp_timeout_ns;
	/* State (owned by the tick, under the connection's lock). */
	uint32_t rx_seen;      /* the receive counter at the last tick */
	uint64_t rx_ns;	       /* when it was last seen to move */
	bool ping_out;	       /* a NOP-In ping is unanswered */
	uint32_t ping_ttt;     /* its Target Transfer Tag */
	uint64_t ping_ns;      /* when it was sent */
	uint64_t data_wait_ns; /* a write waits for Data-Out since; 0: none */
	const void *tx_head;   /* the send queue's position at the last tick */
	uint32_t tx_cur;
	size_t tx_left;
	uint64_t tx_ns;	      /* when the send queue last moved; 0: empty */
	uint64_t deadline_ns; /* a Logout was requested: close by then */
};

/* What the tick observed on the connection. */
struct iscsi_ka_obs {
	uint32_t rx_count; /* bytes-received events so far (wraps) */
	bool data_wait;	   /* some write waits for its Data-Out */
	bool tx_pending;   /* the send queue is not empty; its head: */
	const void *tx_head;
	uint32_t tx_cur;
	size_t tx_left;
};

enum iscsi_ka_action {
	ISCSI_KA_NONE,
	ISCSI_KA_PING,	       /* send a NOP-In ping now */
	ISCSI_KA_CLOSE_PING,   /* the ping went unanswered (NopInTimeout) */
	ISCSI_KA_CLOSE_DATA,   /* no Data-Out progress (RspTimeout) */
	ISCSI_KA_CLOSE_TX,     /* the send queue is stuck (RspTimeout) */
	ISCSI_KA_CLOSE_LOGOUT, /* no Logout after an Async Message */
};

/* Start the state at @now with the settings already filled in. */
void iscsi_ka_init(struct iscsi_ka *ka, uint64_t now);
/*
 * One tick at @now. Updates @ka from @o and returns what to do; on
 * ISCSI_KA_PING the ping counts as sent at @now (the caller sets
 * ka->ping_ttt).
 */
enum iscsi_ka_action iscsi_ka_step(struct iscsi_ka *ka,
				   const struct iscsi_ka_obs *o, uint64_t now);
/* A NOP-Out answered ping @ttt; true if it was the outstanding one. */
bool iscsi_ka_pong(struct iscsi_ka *ka, uint32_t ttt);
const char *iscsi_ka_action_name(enum iscsi_ka_action a);

#endif /* ISCSI_KEEPALIVE_H */
