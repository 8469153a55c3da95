// SPDX-License-Identifier: GPL-2.0-only
/*
 * What the config tree shows of a logged-in iSCSI session, in SCST's
 * layout (iscsi-scst README, "Sysfs interface"):
 *
 *   targets/iscsi/<tgt>/sessions/<initiator>/
 *       InitialR2T ImmediateData MaxBurstLength FirstBurstLength
 *       MaxOutstandingR2T                        the session's values
 *       MaxRecvDataSegmentLength MaxXmitDataSegmentLength
 *       HeaderDigest DataDigest                  its first connection's
 *       sid reinstating                          iSCSI session state
 *       <ip>/{cid, ip, state}                    one per connection
 *
 * A connection's directory is named by the initiator's IP address, as in
 * SCST; a second connection from the same address is "<ip>_1", the next
 * "<ip>_2" and so on (the first free name), as SCST's conn_sysfs_add()
 * does. (initiator_name, commands, force_close, ... come from the core.)
 * The session's directory goes away in scst_unregister_session(), which
 * waits for readers, before iscsi_sess_done() frees the session; a
 * connection's directory goes in conn_close (iscsi_conn_tree_del, which
 * waits for readers too) before the connection can be freed: a show()
 * here always sees live objects. show() must not take scst_mutex.
 */
#include <errno.h>
#include <string.h>
#include <sys/uio.h>

#include "iscsi-scst/iscsi_priv.h"

#include "iscsi-scst/iscsi_conn_internal.h"

enum sess_field {
	SF_INITIAL_R2T,
	SF_IMMEDIATE_DATA,
	SF_MAX_RECV_DSL,
	SF_MAX_XMIT_DSL,
	SF_MAX_BURST,
	SF_FIRST_BURST,
	SF_MAX_R2T,
	SF_HDIGEST,
	SF_DDIGEST,
	SF_SID,
	SF_REINSTATING,
};

static int sess_show(void *obj, enum sess_field f, char *buf, size_t size)
{
	struct iscsi_sess *s = scst_sess_get_tgt_priv(obj);
	struct iscsi_conn *c;
	uint64_t sid = 0;
	uint32_t v = 0;
	unsigned int i;
	bool b = false;

	if (!s)
		return -ENODEV;
	/* The connection-scoped values are the first connection's (one may
	 * change in a Text negotiation: under its lock). */
	scst_mutex_lock(&s->lock);
	c = scst_list_empty(&s->conns)
		? NULL
		: scst_list_first_entry(&s->conns, struct iscsi_conn, entry);
	if (c)
		scst_mutex_lock(&c->lock);
	switch (f) {
	case SF_INITIAL_R2T:
		b = s->initial_r2t;
		break;
	case SF_IMMEDIATE_DATA:
		b = s->immediate_data;
		break;
	case SF_MAX_RECV_DSL:
		v = c ? c->max_recv_dsl : 0;
		break;
	case SF_MAX_XMIT_DSL:
		v = c ? c->max_xmit_dsl : 0;
		break;
	case SF_MAX_BURST:
		v = s->max_burst;
		break;
	case SF_FIRST_BURST:
		v = s->first_burst;
		break;
	case SF_MAX_R2T:
		v = s->max_r2t;
		break;
	case SF_HDIGEST:
		b = c && c->hdigest;
		break;
	case SF_DDIGEST:
		b = c && c->ddigest;
		break;
	case SF_SID:
		/* SCST's SID: the ISID and the TSIH, 64 bits in hex. */
		for (i = 0; i < 6; i++)
			sid = sid << 8 | s->isid[i];
		sid = sid << 16 | s->tsih;
		break;
	case SF_REINSTATING:
		/* While its login waits for the session it reinstates to
		 * end (iscsi_handoff.c). */
		b = s->reinstating;
		break;
	}
	if (c)
		scst_mutex_unlock(&c->lock);
	scst_mutex_unlock(&s->lock);
	switch (f) {
	case SF_INITIAL_R2T:
	case SF_IMMEDIATE_DATA:
		return scst_snprintf(buf, size, "%s\n", b ? "Yes" : "No");
	case SF_HDIGEST:
	case SF_DDIGEST:
		return scst_snprintf(buf, size, "%s\n", b ? "CRC32C" : "None");
	case SF_SID:
		return scst_snprintf(buf, size, "%llx\n",
				     (unsigned long long)sid);
	case SF_REINSTATING:
		return scst_snprintf(buf, size, "%d\n", b);
	default:
		return scst_snprintf(buf, size, "%u\n", v);
	}
}

#define SESS_ATTR(f, nm)                                                       \
	static int sess_show_##f(void *o, char *b, size_t s)                   \
	{                                                                      \
		return sess_show(o, f, b, s);                                  \
	}                                                                      \
	static const struct scst_attr sess_attr_##f = {                        \
	    .name = nm,                                                        \
	    .mode = 0444,                                                      \
	    .show = sess_show_##f,                                             \
	}

SESS_ATTR(SF_INITIAL_R2T, "InitialR2T");
SESS_ATTR(SF_IMMEDIATE_DATA, "ImmediateData");
SESS_ATTR(SF_MAX_RECV_DSL, "MaxRecvDataSegmentLength");
SESS_ATTR(SF_MAX_XMIT_DSL, "MaxXmitDataSegmentLength");
SESS_ATTR(SF_MAX_BURST, "MaxBurstLength");
SESS_ATTR(SF_FIRST_BURST, "FirstBurstLength");
SESS_ATTR(SF_MAX_R2T, "MaxOutstandingR2T");
SESS_ATTR(SF_HDIGEST, "HeaderDigest");
SESS_ATTR(SF_DDIGEST, "DataDigest");
SESS_ATTR(SF_SID, "sid");
SESS_ATTR(SF_REINSTATING, "reinstating");

const struct scst_attr *const iscsi_sess_attrs[] = {
    &sess_attr_SF_INITIAL_R2T,	&sess_attr_SF_IMMEDIATE_DATA,
    &sess_attr_SF_MAX_RECV_DSL, &sess_attr_SF_MAX_XMIT_DSL,
    &sess_attr_SF_MAX_BURST,	&sess_attr_SF_FIRST_BURST,
    &sess_attr_SF_MAX_R2T,	&sess_attr_SF_HDIGEST,
    &sess_attr_SF_DDIGEST,	&sess_attr_SF_SID,
    &sess_attr_SF_REINSTATING,	NULL,
};

/* ------------------------------------------------- connections ---- */

/* "a.b.c.d:port" -> "a.b.c.d", "[v6]:port" -> "v6". */
static void addr_ip(const char *addr, char *ip, size_t size)
{
	const char *end;
	size_t n;

	if (addr[0] == '[') {
		addr++;
		end = strchr(addr, ']');
	} else {
		end = strrchr(addr, ':');
	}
	n = end ? (size_t)(end - addr) : strlen(addr);
	if (n >= size)
		n = size - 1;
	memcpy(ip, addr, n);
	ip[n] = '\0';
}

static int conn_cid_show(void *obj, char *buf, size_t size)
{
	const struct iscsi_conn *c = obj;

	return scst_snprintf(buf, size, "%u\n", c->cid);
}

static int conn_ip_show(void *obj, char *buf, size_t size)
{
	const struct iscsi_conn *c = obj;
	char ip[ISCSI_ADDR_MAX];

	addr_ip(c->peer_addr, ip, sizeof(ip));
	return scst_snprintf(buf, size, "%s\n", ip);
}

static int conn_state_show(void *obj, char *buf, size_t size)
{
	struct iscsi_conn *c = obj;
	const char *st;

	scst_mutex_lock(&c->lock);
	if (c->closed || c->tx_dead || c->logged_out)
		st = "closing";
	else if (c->ka.deadline_ns)
		st = "logout requested"; /* an Async Message went out */
	else
		st = "established";
	scst_mutex_unlock(&c->lock);
	return scst_snprintf(buf, size, "%s\n", st);
}

static const struct scst_attr conn_attrs[] = {
    {.name = "cid", .mode = 0444, .show = conn_cid_show},
    {.name = "ip", .mode = 0444, .show = conn_ip_show},
    {.name = "state", .mode = 0444, .show = conn_state_show},
};

/* The first free name of "<ip>", "<ip>_1", "<ip>_2", ... (SCST's). */
#define CONN_NAME_TRIES 256

void iscsi_conn_tree_add(struct iscsi_conn *c)
{
	struct scst_tnode *sd = scst_sess_tree_dir(c->sess->scst), *d = NULL;
	char ip[ISCSI_ADDR_MAX];
	unsigned int i;
	int rc = 0;

	addr_ip(c->peer_addr, ip, sizeof(ip));
	if (!sd || !ip[0] || strchr(ip, '/'))
		return; /* no tree (unit tests) */
	for (i = 0; !d && i < CONN_NAME_TRIES; i++) {
		if (i)
			scst_snprintf(c->tree_name, sizeof(c->tree_name),
				      "%s_%u", ip, i);
		else
			scst_snprintf(c->tree_name, sizeof(c->tree_name), "%s",
				      ip);
		d = scst_tree_add_dir(sd, c->tree_name);
	}
	if (!d) {
		c->tree_name[0] = '\0';
		return; /* no memory: not fatal */
	}
	for (i = 0; !rc && i < sizeof(conn_attrs) / sizeof(conn_attrs[0]); i++)
		rc = scst_tree_add_attr(d, &conn_attrs[i], c);
	if (rc)
		scst_log(SCST_LOG_WARN, "iscsi: %s: no tree entry for %s: %d",
			 c->sess->initiator, c->tree_name, rc);
}

void iscsi_conn_tree_del(struct iscsi_conn *c)
{
	if (!c->tree_name[0])
		return;
	scst_tree_remove_entry(scst_sess_tree_dir(c->sess->scst), c->tree_name);
	c->tree_name[0] = '\0';
}
