// SPDX-License-Identifier: GPL-2.0-only
/*
 * Task attributes (SAM-5 8.6): the order in which commands of one task set
 * may start.
 *
 * A task set is a queue of slots in arrival order. A slot is either a group
 * of consecutive SIMPLE commands or a single ORDERED command. Only the
 * commands of the head slot may run:
 *  - SIMPLE commands run together, but not before an older ORDERED one
 *    has completed;
 *  - an ORDERED command runs alone, after every older command completed,
 *    and holds every younger one until it completes;
 *  - HEAD OF QUEUE commands take no slot: they run at once.
 * When the head slot empties it is dropped and the next slot's commands are
 * released; two SIMPLE slots that meet at the head merge.
 *
 * "Completed" means execution finished (DEV_DONE), before the response.
 * The set is per I_T_L nexus (TST=1, the default) or per device (TST=0).
 */
#include "scst_priv.h"

struct scst_order_slot {
	struct scst_list_head entry;   /* set->slots */
	struct scst_list_head waiting; /* cmd->queue_entry */
	unsigned int outstanding;      /* commands in it, running or not */
	bool ordered;
};

_Static_assert(sizeof(struct scst_order_slot) <= 64,
	       "the slot cache object is 64 bytes");

void scst_order_set_init(struct scst_order_set *set)
{
	scst_spin_init(&set->lock);
	scst_list_init(&set->slots);
}

void scst_order_set_destroy(struct scst_order_set *set)
{
	SCST_BUG_ON(!scst_list_empty(&set->slots));
	scst_spin_destroy(&set->lock);
}

static struct scst_order_slot *scst_slot_head(struct scst_order_set *set)
{
	if (scst_list_empty(&set->slots))
		return NULL;
	return scst_list_first_entry(&set->slots, struct scst_order_slot,
				     entry);
}

static struct scst_order_slot *scst_slot_next(struct scst_order_set *set,
					      struct scst_order_slot *s)
{
	if (s->entry.next == &set->slots)
		return NULL;
	return scst_list_entry(s->entry.next, struct scst_order_slot, entry);
}

static void scst_slot_free(struct scst_order_slot *s)
{
	scst_list_del_init(&s->entry);
	scst_os_cache_free(scst_slot_cache, s);
}

/* Move the waiting commands of @s to @out, now belonging to @owner. */
static void scst_slot_release(struct scst_order_slot *s,
			      struct scst_order_slot *owner,
			      struct scst_list_head *out)
{
	struct scst_cmd *cmd;

	scst_list_for_each_entry (cmd, &s->waiting, queue_entry) {
		cmd->order_waiting = false;
		cmd->slot = owner;
	}
	scst_list_splice_tail_init(&s->waiting, out);
}

/*
 * Restore the invariant "the head slot is non-empty and its commands are
 * released"; collect the commands that may now run into @out.
 */
static void scst_order_normalize(struct scst_order_set *set,
				 struct scst_list_head *out)
{
	struct scst_order_slot *head, *next;

	while ((head = scst_slot_head(set))) {
		if (head->outstanding == 0) {
			scst_slot_free(head);
			continue;
		}
		scst_slot_release(head, head, out);
		next = scst_slot_next(set, head);
		if (!head->ordered && next && !next->ordered) {
			head->outstanding += next->outstanding;
			scst_slot_release(next, head, out);
			scst_slot_free(next);
			continue;
		}
		break;
	}
}

static void scst_order_run_released(struct scst_list_head *released,
				    enum scst_cmd_state next)
{
	struct scst_cmd *cmd, *tmp;

	scst_list_for_each_entry_safe (cmd, tmp, released, queue_entry) {
		scst_list_del_init(&cmd->queue_entry);
		scst_cmd_move_resume(cmd, next);
	}
}

bool scst_order_enter(struct scst_cmd *cmd, int *err)
{
	struct scst_order_set *set = cmd->tgt_dev->set;
	struct scst_order_slot *tail = NULL, *slot;
	bool simple = cmd->queue_type != SCST_CMD_QUEUE_ORDERED;
	bool run;

	*err = 0;
	if (cmd->queue_type == SCST_CMD_QUEUE_HEAD_OF_QUEUE)
		return true;

	scst_spin_lock(&set->lock);
	if (!scst_list_empty(&set->slots))
		tail = scst_list_entry(set->slots.prev, struct scst_order_slot,
				       entry);
	if (simple && tail && !tail->ordered) {
		slot = tail;
	} else {
		slot = scst_os_cache_alloc(scst_slot_cache);
		if (!slot) {
			scst_spin_unlock(&set->lock);
			*err = -ENOMEM;
			return false;
		}
		scst_list_init(&slot->waiting);
		slot->outstanding = 0;
		slot->ordered = !simple;
		scst_list_add_tail(&slot->entry, &set->slots);
	}
	slot->outstanding++;
	cmd->slot = slot;
	run = slot == scst_slot_head(set);
	if (!run) {
		cmd->order_waiting = true;
		scst_list_add_tail(&cmd->queue_entry, &slot->waiting);
	}
	scst_spin_unlock(&set->lock);
	return run;
}

void scst_order_exit(struct scst_cmd *cmd)
{
	struct scst_order_set *set = cmd->tgt_dev->set;
	struct scst_order_slot *slot;
	struct scst_list_head released;

	scst_list_init(&released);
	scst_spin_lock(&set->lock);
	slot = cmd->slot;
	cmd->slot = NULL;
	SCST_BUG_ON(!slot || cmd->order_waiting || !slot->outstanding);
	slot->outstanding--;
	if (slot->outstanding == 0)
		scst_order_normalize(set, &released);
	scst_spin_unlock(&set->lock);
	scst_order_run_released(&released, SCST_CMD_STATE_EXEC_CHECK_BLOCKING);
}

bool scst_order_abort(struct scst_cmd *cmd)
{
	struct scst_order_set *set;
	struct scst_order_slot *slot;
	struct scst_list_head released;

	if (!cmd->tgt_dev)
		return false;
	set = cmd->tgt_dev->set;
	scst_list_init(&released);
	scst_spin_lock(&set->lock);
	if (!cmd->order_waiting) {
		scst_spin_unlock(&set->lock);
		return false;
	}
	slot = cmd->slot;
	cmd->order_waiting = false;
	cmd->slot = NULL;
	scst_list_del_init(&cmd->queue_entry);
	slot->outstanding--;
	if (slot->outstanding == 0)
		scst_slot_free(slot); /* never the head: it had a waiter */
	scst_order_normalize(set, &released);
	scst_spin_unlock(&set->lock);

	scst_order_run_released(&released, SCST_CMD_STATE_EXEC_CHECK_BLOCKING);
	scst_cmd_move_resume(cmd, SCST_CMD_STATE_DEV_DONE);
	return true;
}
