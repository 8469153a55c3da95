// SPDX-License-Identifier: GPL-2.0-only
/*
 * Keep-alive and response timeouts of the full feature phase (semantics
 * in iscsi_keepalive.h): one timer per connection, ticking once a second
 * in the platform's timer thread; no thread per connection. The tick
 * observes the connection under its lock, lets the pure iscsi_ka_step()
 * decide, and then pings (NOP-In) or closes the connection through
 * iscsi_conn_kick(), which ends it on the network thread like any other
 * transport loss (at ErrorRecoveryLevel 0: session recovery, conn_close).
 *
 * Lifetime: the tick never re-arms a closed connection, and conn_close
 * stops the timer synchronously before the connection can be freed.
 */
#include <string.h>
#include <sys/uio.h>

#include "iscsi-scst/iscsi_pdu.h"
#include "iscsi-scst/iscsi_priv.h"

#include "iscsi-scst/iscsi_conn_internal.h"

#define NS_PER_S 1000000000ull

/* ------------------------------------------------ the pure decision ---- */

void iscsi_ka_init(struct iscsi_ka *ka, uint64_t now)
{
	ka->rx_seen = 0;
	ka->rx_ns = now;
	ka->ping_out = false;
	ka->ping_ttt = ISCSI_RESERVED_TAG;
	ka->ping_ns = 0;
	ka->data_wait_ns = 0;
	ka->tx_head = NULL;
	ka->tx_cur = 0;
	ka->tx_left = 0;
	ka->tx_ns = 0;
	ka->deadline_ns = 0;
}

static bool ka_expired(uint64_t since, uint64_t tmo, uint64_t now)
{
	return tmo && now >= since && now - since >= tmo;
}

enum iscsi_ka_action iscsi_ka_step(struct iscsi_ka *ka,
				   const struct iscsi_ka_obs *o, uint64_t now)
{
	uint64_t since;

	/*
	 * Anything received proves the peer alive, and it also settles an
	 * outstanding ping: the answer to our NOP-In may queue behind other
	 * PDUs the initiator started sending meanwhile, and SCST likewise
	 * only pings connections that received nothing for NopInInterval.
	 */
	if (o->rx_count != ka->rx_seen) {
		ka->rx_seen = o->rx_count;
		ka->rx_ns = now;
		ka->ping_out = false;
	}
	if (!o->tx_pending) {
		ka->tx_ns = 0;
		ka->tx_head = NULL;
	} else if (!ka->tx_ns || o->tx_head != ka->tx_head ||
		   o->tx_cur != ka->tx_cur || o->tx_left != ka->tx_left) {
		ka->tx_ns = now;
		ka->tx_head = o->tx_head;
		ka->tx_cur = o->tx_cur;
		ka->tx_left = o->tx_left;
	}
	if (!o->data_wait)
		ka->data_wait_ns = 0;
	else if (!ka->data_wait_ns)
		ka->data_wait_ns = now;

	if (ka->deadline_ns && now >= ka->deadline_ns)
		return ISCSI_KA_CLOSE_LOGOUT;
	if (ka->tx_ns && ka_expired(ka->tx_ns, ka->rsp_timeout_ns, now))
		return ISCSI_KA_CLOSE_TX;
	/* Progress of a Data-Out wait: the later of its start and rx. */
	since = ka->data_wait_ns > ka->rx_ns ? ka->data_wait_ns : ka->rx_ns;
	if (ka->data_wait_ns && ka_expired(since, ka->rsp_timeout_ns, now))
		return ISCSI_KA_CLOSE_DATA;
	if (ka->ping_out) {
		if (ka_expired(ka->ping_ns, ka->nopin_timeout_ns, now))
			return ISCSI_KA_CLOSE_PING;
		return ISCSI_KA_NONE;
	}
	if (ka_expired(ka->rx_ns, ka->nopin_interval_ns, now)) {
		ka->ping_out = true;
		ka->ping_ns = now;
		return ISCSI_KA_PING;
	}
	return ISCSI_KA_NONE;
}

bool iscsi_ka_pong(struct iscsi_ka *ka, uint32_t ttt)
{
	if (!ka->ping_out || ttt != ka->ping_ttt)
		return false;
	ka->ping_out = false;
	return true;
}

const char *iscsi_ka_action_name(enum iscsi_ka_action a)
{
	static const char *const names[] = {
	    [ISCSI_KA_NONE] = "none",
	    [ISCSI_KA_PING] = "ping",
	    [ISCSI_KA_CLOSE_PING] = "NOP-In not answered in NopInTimeout",
	    [ISCSI_KA_CLOSE_DATA] = "no Data-Out progress in RspTimeout",
	    [ISCSI_KA_CLOSE_TX] = "sending stalled for RspTimeout",
	    [ISCSI_KA_CLOSE_LOGOUT] = "no Logout after the Async Message",
	};

	return (unsigned int)a < sizeof(names) / sizeof(names[0]) ? names[a]
								  : "?";
}

/* ------------------------------------------------- the connection ---- */

/* Under c->lock: what the tick needs to know. */
static void ka_observe_locked(struct iscsi_conn *c, struct iscsi_ka_obs *o)
{
	struct iscsi_cmd *ic;

	memset(o, 0, sizeof(*o));
	o->rx_count = __atomic_load_n(&c->rx_count, __ATOMIC_RELAXED);
	scst_list_for_each_entry (ic, &c->cmds, entry) {
		if (iscsi_cmd_state(ic) == ISCSI_CMD_DATA_OUT) {
			o->data_wait = true;
			break;
		}
	}
	if (!scst_list_empty(&c->txq)) {
		const struct iscsi_txpdu *p =
		    scst_list_first_entry(&c->txq, struct iscsi_txpdu, entry);

		o->tx_pending = true;
		o->tx_head = p;
		o->tx_cur = p->cur;
		o->tx_left = p->cur < p->niov ? p->iov[p->cur].iov_len : 0;
	}
}

/* Send a NOP-In ping (RFC 7143 11.19): ITT 0xffffffff, our TTT. */
static void ka_send_ping(struct iscsi_conn *c, uint32_t ttt)
{
	struct iscsi_nop_in n = {
	    .itt = ISCSI_RESERVED_TAG,
	    .ttt = ttt,
	};
	struct iscsi_txpdu *p = iscsi_txpdu_alloc(0, 0);

	if (!p)
		return; /* no answer to wait for: the timeout closes it */
	iscsi_build_nop_in(p->hdr, &n);
	iscsi_txpdu_finish_data(c, p, 0, 0);
	/* 11.19.4: with ITT 0xffffffff the StatSN is not advanced. */
	p->sn = SN_PEEK;
	iscsi_conn_send(c, p);
}

static void ka_tick(struct scst_timer *t)
{
	struct iscsi_conn *c =
	    scst_container_of(t, struct iscsi_conn, ka_timer);
	uint64_t now = scst_os_now_ns();
	enum iscsi_ka_action a;
	struct iscsi_ka_obs o;
	uint32_t ttt = 0;

	scst_mutex_lock(&c->lock);
	if (c->closed) {
		scst_mutex_unlock(&c->lock);
		return; /* not re-armed: the connection is going away */
	}
	ka_observe_locked(c, &o);
	a = iscsi_ka_step(&c->ka, &o, now);
	if (a == ISCSI_KA_PING) {
		/* TTTs share the R2T counter: unique on the connection. */
		if (++c->next_ttt == ISCSI_RESERVED_TAG)
			c->next_ttt = 1;
		ttt = c->next_ttt;
		c->ka.ping_ttt = ttt;
	}
	/* Re-armed under the lock: conn_close sets closed under it too. */
	scst_timer_mod(t, ISCSI_KA_TICK_NS);
	scst_mutex_unlock(&c->lock);

	switch (a) {
	case ISCSI_KA_NONE:
		break;
	case ISCSI_KA_PING:
		scst_dbg("iscsi: %s: idle, NOP-In ping ttt %#x",
			 c->sess->initiator, ttt);
		ka_send_ping(c, ttt);
		break;
	default:
		scst_log(SCST_LOG_WARN, "iscsi: %s: %s, closing (tsih %u)",
			 c->sess->initiator, iscsi_ka_action_name(a),
			 c->sess->tsih);
		iscsi_conn_kick(c, ISCSI_CLOSE_FAILURE);
		break;
	}
}

void iscsi_conn_pong_locked(struct iscsi_conn *c, uint32_t ttt)
{
	if (iscsi_ka_pong(&c->ka, ttt))
		scst_dbg("iscsi: %s: NOP-In ping %#x answered",
			 c->sess->initiator, ttt);
}

void iscsi_conn_ffp_init(struct iscsi_conn *c, const struct iscsi_handoff *h)
{
	uint32_t interval, nop_tmo, rsp_tmo;

	memcpy(c->peer_addr, h->peer_addr, ISCSI_ADDR_MAX);
	c->peer_addr[ISCSI_ADDR_MAX - 1] = '\0';
	c->max_recv_dsl = h->max_recv_dsl;
	/* The target's attributes as they are now, at hand-off. */
	scst_mutex_lock(&iscsi_mutex);
	interval = c->sess->it->tp[ISCSI_TP_NOP_IN_INTERVAL];
	nop_tmo = c->sess->it->tp[ISCSI_TP_NOP_IN_TIMEOUT];
	rsp_tmo = c->sess->it->tp[ISCSI_TP_RSP_TIMEOUT];
	scst_mutex_unlock(&iscsi_mutex);
	iscsi_conn_tree_add(c);

	scst_mutex_lock(&c->lock);
	c->ka.nopin_interval_ns = interval * NS_PER_S;
	c->ka.nopin_timeout_ns = nop_tmo * NS_PER_S;
	c->ka.rsp_timeout_ns = rsp_tmo * NS_PER_S;
	iscsi_ka_init(&c->ka, scst_os_now_ns());
	scst_timer_init(&c->ka_timer, ka_tick);
	scst_timer_mod(&c->ka_timer, ISCSI_KA_TICK_NS);
	scst_mutex_unlock(&c->lock);
}

void iscsi_conn_ka_stop(struct iscsi_conn *c)
{
	scst_timer_del_sync(&c->ka_timer);
}
