// SPDX-License-Identifier: GPL-2.0-only
/*
 * The iSCSI task's bookkeeping on the data path: where a SCSI command
 * stands in its data phase (a state table, like the core's scst_states[]),
 * how a Data-Out finds its command (the session's ITT table), and where
 * commands, held PDUs, PDUs to send and their data buffers come from
 * (object caches: nothing on the per-I/O path calls the heap).
 *
 * The data phase of a command (iscsi_cmd.c moves it, under conn->lock
 * where a decision depends on it):
 *
 * - RX_CDB: the command is built from its SCSI Command PDU (its CmdSN came;
 *   before that the PDU is held, iscsi_conn.c) and handed to the core:
 *   IMMEDIATE if the PDU carries immediate data (a pointer into the
 *   receive buffer, on the command), IN_CORE otherwise.
 * - IMMEDIATE: the core runs the command inline; rdy_to_xfer places the
 *   immediate data in the buffer (-> DATA_OUT), or, if the core did not get
 *   that far before the PDU's turn ended, the data is copied aside
 *   (-> IN_CORE). The core may also answer at once (-> XMIT: a bad LUN, a
 *   reservation conflict) or the data phase fails (-> ABORTED).
 * - IN_CORE: waiting for the buffer; unsolicited Data-Out is kept aside.
 *   rdy_to_xfer -> DATA_OUT (or ABORTED: aborted, connection closed, a
 *   DataSN error already seen); a command without data out -> XMIT.
 * - DATA_OUT: R2Ts up to MaxOutstandingR2T, Data-Out placed in the buffer;
 *   all in -> EXEC (scst_rx_data success); a DataSN error, an abort of the
 *   task or the end of the connection -> ABORTED (scst_rx_data error).
 * - EXEC, ABORTED: the core has it; xmit_response -> XMIT.
 * - XMIT: Data-In PDUs and/or the SCSI Response are queued; the last one
 *   out (or dropped with the connection) -> DONE, scst_tgt_cmd_done. The
 *   core then calls on_free_cmd and the command goes back to its cache.
 */
#include <errno.h>
#include <string.h>
#include <sys/uio.h>

#include "iscsi-scst/iscsi_conn_internal.h"

/* ---------------------------------------------------- state table ---- */

struct iscsi_cmd_state_desc {
	const char *name;
	uint32_t next; /* the states it may move to */
};

#define CS(x) (1u << ISCSI_CMD_##x)

static const struct iscsi_cmd_state_desc
    iscsi_cmd_states[ISCSI_CMD_STATE_COUNT] = {
	[ISCSI_CMD_RX_CDB] = {"RX_CDB", CS(IMMEDIATE) | CS(IN_CORE)},
	[ISCSI_CMD_IMMEDIATE] = {"IMMEDIATE", CS(IN_CORE) | CS(DATA_OUT) |
						  CS(ABORTED) | CS(XMIT)},
	[ISCSI_CMD_IN_CORE] = {"IN_CORE",
			       CS(DATA_OUT) | CS(ABORTED) | CS(XMIT)},
	[ISCSI_CMD_DATA_OUT] = {"DATA_OUT", CS(EXEC) | CS(ABORTED)},
	[ISCSI_CMD_EXEC] = {"EXEC", CS(XMIT)},
	[ISCSI_CMD_ABORTED] = {"ABORTED", CS(XMIT)},
	[ISCSI_CMD_XMIT] = {"XMIT", CS(DONE)},
	[ISCSI_CMD_DONE] = {"DONE", 0},
};

#undef CS

const char *iscsi_cmd_state_name(enum iscsi_cmd_state s)
{
	return (unsigned int)s < ISCSI_CMD_STATE_COUNT
		   ? iscsi_cmd_states[s].name
		   : "?";
}

bool iscsi_cmd_state_allowed(enum iscsi_cmd_state from, enum iscsi_cmd_state to)
{
	if ((unsigned int)from >= ISCSI_CMD_STATE_COUNT ||
	    (unsigned int)to >= ISCSI_CMD_STATE_COUNT)
		return false;
	return (iscsi_cmd_states[from].next & (1u << to)) != 0;
}

enum iscsi_cmd_state iscsi_cmd_state(const struct iscsi_cmd *ic)
{
	return __atomic_load_n(&ic->state, __ATOMIC_ACQUIRE);
}

int iscsi_cmd_set_state(struct iscsi_cmd *ic, enum iscsi_cmd_state to)
{
	enum iscsi_cmd_state from = iscsi_cmd_state(ic);

	if (!iscsi_cmd_state_allowed(from, to)) {
		scst_err("iscsi: ITT %#x: illegal data phase transition "
			 "%s -> %s refused",
			 ic->hnode.itt, iscsi_cmd_state_name(from),
			 iscsi_cmd_state_name(to));
		return -EINVAL;
	}
	scst_dbg("iscsi: ITT %#x: %s -> %s", ic->hnode.itt,
		 iscsi_cmd_state_name(from), iscsi_cmd_state_name(to));
	__atomic_store_n(&ic->state, to, __ATOMIC_RELEASE);
	return 0;
}

/* ---------------------------------------------------- ITT table ---- */

unsigned int iscsi_itt_bucket_of(uint32_t itt)
{
	/* Fibonacci hashing: the top bits of itt * 2^32 / phi. */
	return (uint32_t)(itt * 0x9e3779b1u) >> (32 - ISCSI_ITT_BITS);
}

void iscsi_itt_init(struct iscsi_itt_table *t)
{
	unsigned int i;

	for (i = 0; i < ISCSI_ITT_BUCKETS; i++)
		scst_list_init(&t->bucket[i]);
	t->count = 0;
}

void iscsi_itt_node_init(struct iscsi_itt_node *n, uint32_t itt)
{
	scst_list_init(&n->link);
	n->itt = itt;
}

void iscsi_itt_insert(struct iscsi_itt_table *t, struct iscsi_itt_node *n)
{
	/* At the head: the newest of a reused tag is found first. */
	scst_list_add(&n->link, &t->bucket[iscsi_itt_bucket_of(n->itt)]);
	t->count++;
}

struct iscsi_itt_node *iscsi_itt_find(const struct iscsi_itt_table *t,
				      uint32_t itt)
{
	const struct scst_list_head *b = &t->bucket[iscsi_itt_bucket_of(itt)];
	struct scst_list_head *pos;

	for (pos = b->next; pos != b; pos = pos->next) {
		struct iscsi_itt_node *n =
		    scst_container_of(pos, struct iscsi_itt_node, link);

		if (n->itt == itt)
			return n;
	}
	return NULL;
}

void iscsi_itt_remove(struct iscsi_itt_table *t, struct iscsi_itt_node *n)
{
	if (scst_list_empty(&n->link))
		return;
	scst_list_del_init(&n->link);
	t->count--;
}

/* --------------------------------------------------------- caches ---- */

static struct scst_os_cache *iscsi_cmd_cache;
static struct scst_os_cache *iscsi_held_cache;
static struct scst_os_cache *iscsi_txpdu_cache;
static struct scst_os_cache *iscsi_data_cache;

static int iscsi_cache_destroy(struct scst_os_cache **c, const char *what)
{
	int rc = 0;

	if (!*c)
		return 0;
	rc = scst_os_cache_destroy(*c);
	if (rc) {
		scst_err("iscsi: %ld %s objects not freed", /* a leak */
			 scst_os_cache_outstanding(*c), what);
		return rc;
	}
	*c = NULL;
	return 0;
}

int iscsi_caches_exit(void)
{
	int rc = 0, r;

	r = iscsi_cache_destroy(&iscsi_cmd_cache, "iscsi_cmd");
	rc = rc ? rc : r;
	r = iscsi_cache_destroy(&iscsi_held_cache, "iscsi_held");
	rc = rc ? rc : r;
	r = iscsi_cache_destroy(&iscsi_txpdu_cache, "iscsi_txpdu");
	rc = rc ? rc : r;
	r = iscsi_cache_destroy(&iscsi_data_cache, "iscsi_data");
	return rc ? rc : r;
}

int iscsi_caches_init(void)
{
	if (iscsi_cmd_cache)
		return -EEXIST;
	iscsi_cmd_cache =
	    scst_os_cache_create("iscsi_cmd", sizeof(struct iscsi_cmd));
	if (!iscsi_cmd_cache)
		goto out_nomem;
	iscsi_held_cache =
	    scst_os_cache_create("iscsi_held", sizeof(struct iscsi_held));
	if (!iscsi_held_cache)
		goto out_nomem;
	iscsi_txpdu_cache =
	    scst_os_cache_create("iscsi_txpdu", sizeof(struct iscsi_txpdu));
	if (!iscsi_txpdu_cache)
		goto out_nomem;
	iscsi_data_cache =
	    scst_os_cache_create("iscsi_data", ISCSI_DATA_CACHE_LEN);
	if (!iscsi_data_cache)
		goto out_nomem;
	return 0;
out_nomem:
	iscsi_caches_exit();
	return -ENOMEM;
}

long iscsi_caches_outstanding(void)
{
	struct scst_os_cache *const all[] = {iscsi_cmd_cache, iscsi_held_cache,
					     iscsi_txpdu_cache,
					     iscsi_data_cache};
	long n = 0;
	unsigned int i;

	for (i = 0; i < sizeof(all) / sizeof(all[0]); i++)
		if (all[i])
			n += scst_os_cache_outstanding(all[i]);
	return n;
}

struct iscsi_cmd *iscsi_cmd_alloc(void)
{
	return scst_os_cache_zalloc(iscsi_cmd_cache);
}

void iscsi_cmd_free(struct iscsi_cmd *ic)
{
	if (ic)
		scst_os_cache_free(iscsi_cmd_cache, ic);
}

struct iscsi_held *iscsi_held_alloc(void)
{
	return scst_os_cache_zalloc(iscsi_held_cache);
}

void iscsi_held_free_obj(struct iscsi_held *h)
{
	if (h)
		scst_os_cache_free(iscsi_held_cache, h);
}

void *iscsi_data_alloc(uint32_t len)
{
	if (len <= ISCSI_DATA_CACHE_LEN)
		return scst_os_cache_alloc(iscsi_data_cache);
	/* Rare: see ISCSI_DATA_CACHE_LEN. */
	return scst_os_alloc(len);
}

void iscsi_data_free(void *p, uint32_t len)
{
	if (!p)
		return;
	if (len <= ISCSI_DATA_CACHE_LEN)
		scst_os_cache_free(iscsi_data_cache, p);
	else
		scst_os_free(p);
}

/*
 * A PDU to send with room for @data_iovs data iovecs and @own bytes of its
 * own data. Both fit inline in the common case (a Data-In PDU over at
 * most ISCSI_TXPDU_IOVS - 2 buffer pieces; a sense segment, a Reject, a
 * short NOP-In); only the rare larger ones (a Data-In PDU over more
 * pieces, MaxXmitDataSegmentLength past 896 KiB with the core's 128 KiB
 * chunks; a long Text or NOP-In answer) take heap memory beside it.
 */
struct iscsi_txpdu *iscsi_txpdu_alloc(unsigned int data_iovs, size_t own)
{
	struct iscsi_txpdu *p = scst_os_cache_zalloc(iscsi_txpdu_cache);

	if (!p)
		return NULL;
	scst_list_init(&p->entry);
	p->iov = p->iov_inline;
	p->own = p->own_inline;
	if (data_iovs + 2 > ISCSI_TXPDU_IOVS) {
		p->iov = scst_os_zalloc((data_iovs + 2) * sizeof(struct iovec));
		if (!p->iov)
			goto out_free;
	}
	if (own > ISCSI_TXPDU_OWN) {
		p->own = scst_os_alloc(own);
		if (!p->own)
			goto out_free;
	}
	return p;
out_free:
	iscsi_txpdu_free(p);
	return NULL;
}

void iscsi_txpdu_free(struct iscsi_txpdu *p)
{
	if (p->iov && p->iov != p->iov_inline)
		scst_os_free(p->iov);
	if (p->own && p->own != p->own_inline)
		scst_os_free(p->own);
	scst_os_cache_free(iscsi_txpdu_cache, p);
}
