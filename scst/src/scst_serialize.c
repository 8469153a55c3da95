// SPDX-License-Identifier: GPL-2.0-only
/*
 * Per-device serialization: which commands may be in execution on a device
 * at the same time, whatever nexus they came from. The matrix below says,
 * for a new command of one class against a command of another class
 * already running (or waiting ahead of it), whether the new one passes,
 * blocks, or blocks only if their LBA ranges overlap.
 *
 * Blocked commands wait in arrival order; a new command also waits behind
 * an older blocked command it conflicts with, so an exclusive command
 * cannot be starved by a stream of reads.
 */
#include "scst_priv.h"

enum { P, B, R }; /* pass, block, block on range overlap */

static const uint8_t scst_ser_matrix[SCST_SER_COUNT][SCST_SER_COUNT] = {
    /* new \ old       NONE READ WRITE ATOMIC EXCL */
    [SCST_SER_NONE] = {P, P, P, P, B},	[SCST_SER_READ] = {P, P, P, R, B},
    [SCST_SER_WRITE] = {P, P, P, R, B}, [SCST_SER_ATOMIC] = {P, R, R, R, B},
    [SCST_SER_EXCL] = {B, B, B, B, B},
};

static enum scst_ser_class scst_cmd_ser(const struct scst_cmd *cmd)
{
	return cmd->cdb_info ? (enum scst_ser_class)cmd->cdb_info->ser
			     : SCST_SER_NONE;
}

/*
 * A command with no LBA range in its CDB (UNMAP: the ranges are in its
 * parameter list) may touch any block: it overlaps everything.
 */
static bool scst_ranges_overlap(const struct scst_cmd *a,
				const struct scst_cmd *b)
{
	if (!a->nblocks || !b->nblocks)
		return true;
	return a->lba < b->lba + b->nblocks && b->lba < a->lba + a->nblocks;
}

static bool scst_conflicts(const struct scst_cmd *new_cmd,
			   const struct scst_cmd *old)
{
	switch (scst_ser_matrix[scst_cmd_ser(new_cmd)][scst_cmd_ser(old)]) {
	case B:
		return true;
	case R:
		return scst_ranges_overlap(new_cmd, old);
	default:
		return false;
	}
}

/* May @cmd run against the running commands and the blocked before @stop? */
static bool scst_ser_may_run(struct scst_device *dev, struct scst_cmd *cmd,
			     struct scst_cmd *stop)
{
	enum scst_ser_class c = scst_cmd_ser(cmd);
	struct scst_cmd *it;
	bool scan;

	/* Only ATOMIC and EXCL commands can conflict with a running one. */
	scan = c == SCST_SER_ATOMIC || c == SCST_SER_EXCL ||
	       dev->inflight[SCST_SER_ATOMIC] || dev->inflight[SCST_SER_EXCL];
	if (scan) {
		scst_list_for_each_entry (it, &dev->inflight_list, dev_entry) {
			if (scst_conflicts(cmd, it))
				return false;
		}
	}
	scst_list_for_each_entry (it, &dev->blocked_list, queue_entry) {
		if (it == stop)
			break;
		if (scst_conflicts(cmd, it) || scst_conflicts(it, cmd))
			return false;
	}
	return true;
}

static void scst_ser_account(struct scst_device *dev, struct scst_cmd *cmd)
{
	dev->inflight[scst_cmd_ser(cmd)]++;
	scst_set_bit(SCST_CMD_F_DEV_INFLIGHT, &cmd->flags);
	scst_list_add_tail(&cmd->dev_entry, &dev->inflight_list);
}

bool scst_ser_enter(struct scst_cmd *cmd)
{
	struct scst_device *dev = cmd->dev;
	bool run;

	if (!dev)
		return true;
	scst_spin_lock(&dev->lock);
	run = scst_ser_may_run(dev, cmd, NULL);
	if (run) {
		scst_ser_account(dev, cmd);
	} else {
		cmd->blocked = true;
		scst_list_add_tail(&cmd->queue_entry, &dev->blocked_list);
	}
	scst_spin_unlock(&dev->lock);
	return run;
}

/* Under dev->lock: admit every blocked command that may now run. */
static void scst_ser_unblock(struct scst_device *dev,
			     struct scst_list_head *out)
{
	struct scst_cmd *cmd, *tmp;

	scst_list_for_each_entry_safe (cmd, tmp, &dev->blocked_list,
				       queue_entry) {
		if (!scst_ser_may_run(dev, cmd, cmd))
			continue;
		scst_list_del_init(&cmd->queue_entry);
		cmd->blocked = false;
		scst_ser_account(dev, cmd);
		scst_list_add_tail(&cmd->queue_entry, out);
	}
}

static void scst_ser_resume_all(struct scst_list_head *out,
				enum scst_cmd_state next)
{
	struct scst_cmd *cmd, *tmp;

	scst_list_for_each_entry_safe (cmd, tmp, out, queue_entry) {
		scst_list_del_init(&cmd->queue_entry);
		scst_cmd_move_resume(cmd, next);
	}
}

void scst_ser_exit(struct scst_cmd *cmd)
{
	struct scst_device *dev = cmd->dev;
	struct scst_list_head out;

	scst_list_init(&out);
	scst_spin_lock(&dev->lock);
	dev->inflight[scst_cmd_ser(cmd)]--;
	scst_list_del_init(&cmd->dev_entry);
	scst_clear_bit(SCST_CMD_F_DEV_INFLIGHT, &cmd->flags);
	if (!scst_list_empty(&dev->blocked_list))
		scst_ser_unblock(dev, &out);
	scst_spin_unlock(&dev->lock);
	scst_ser_resume_all(&out, SCST_CMD_STATE_PRE_EXEC);
}

bool scst_ser_abort(struct scst_cmd *cmd)
{
	struct scst_device *dev = cmd->dev;
	struct scst_list_head out;

	if (!dev)
		return false;
	scst_list_init(&out);
	scst_spin_lock(&dev->lock);
	if (!cmd->blocked) {
		scst_spin_unlock(&dev->lock);
		return false;
	}
	cmd->blocked = false;
	scst_list_del_init(&cmd->queue_entry);
	/* Commands it held back may now run. */
	scst_ser_unblock(dev, &out);
	scst_spin_unlock(&dev->lock);
	scst_ser_resume_all(&out, SCST_CMD_STATE_PRE_EXEC);
	scst_cmd_move_resume(cmd, SCST_CMD_STATE_DEV_DONE);
	return true;
}
