// SPDX-License-Identifier: GPL-2.0-only
/*
 * Accessors of struct scst_cmd for transports and handlers, and the data
 * buffer copy helpers. Modules never see the structure itself.
 */
#include "scst_priv.h"

void scst_cmd_set_tag(struct scst_cmd *cmd, uint64_t tag)
{
	cmd->tag = tag;
}

void scst_cmd_set_queue_type(struct scst_cmd *cmd, enum scst_cmd_queue_type qt)
{
	cmd->queue_type =
	    qt == SCST_CMD_QUEUE_UNTAGGED ? SCST_CMD_QUEUE_SIMPLE : qt;
}

void scst_cmd_set_expected(struct scst_cmd *cmd, enum scst_data_direction dir,
			   uint32_t len)
{
	cmd->expected_dir = dir;
	cmd->expected_len = len;
	cmd->expected_set = true;
}

void scst_cmd_set_tgt_priv(struct scst_cmd *cmd, void *priv)
{
	cmd->tgt_priv = priv;
}

void *scst_cmd_get_tgt_priv(const struct scst_cmd *cmd)
{
	return cmd->tgt_priv;
}

void scst_cmd_set_dh_priv(struct scst_cmd *cmd, void *priv)
{
	cmd->dh_priv = priv;
}

void *scst_cmd_get_dh_priv(const struct scst_cmd *cmd)
{
	return cmd->dh_priv;
}

bool scst_cmd_aborted_on_xmit(const struct scst_cmd *cmd)
{
	return scst_test_bit(SCST_CMD_F_NO_RESP, &cmd->flags);
}

bool scst_cmd_aborted(const struct scst_cmd *cmd)
{
	return scst_test_bit(SCST_CMD_F_ABORTED, &cmd->flags);
}

uint8_t scst_cmd_status(const struct scst_cmd *cmd)
{
	return cmd->status;
}

const uint8_t *scst_cmd_sense(const struct scst_cmd *cmd, unsigned int *len)
{
	*len = cmd->sense_len;
	return cmd->sense_len ? cmd->sense : NULL;
}

/*
 * Data-In actually sent: what the command produced, cut to what the
 * initiator said it expects.
 */
uint32_t scst_cmd_resp_data_len(const struct scst_cmd *cmd)
{
	if (cmd->expected_set && cmd->resp_data_len > cmd->expected_len)
		return cmd->expected_len;
	return cmd->resp_data_len;
}

enum scst_resid_kind scst_cmd_resid(const struct scst_cmd *cmd, uint32_t *count)
{
	uint32_t needed;

	*count = 0;
	if (!cmd->expected_set)
		return SCST_RESID_NONE;
	/*
	 * What the command really had to move: for Data-In what it produced
	 * (an allocation length is only a limit), for Data-Out the CDB's
	 * length.
	 */
	if (cmd->dir & SCST_DATA_READ)
		needed = cmd->resp_data_len < cmd->bufflen ? cmd->resp_data_len
							   : cmd->bufflen;
	else if (cmd->dir & SCST_DATA_WRITE)
		needed = cmd->bufflen + cmd->write_overflow;
	else
		needed = 0;
	if (needed > cmd->expected_len) {
		*count = needed - cmd->expected_len;
		return SCST_RESID_OVERFLOW;
	}
	if (needed < cmd->expected_len) {
		*count = cmd->expected_len - needed;
		return SCST_RESID_UNDERFLOW;
	}
	return SCST_RESID_NONE;
}

unsigned int scst_cmd_sg(const struct scst_cmd *cmd, struct scst_sg **sg)
{
	*sg = cmd->sg;
	return cmd->sg_cnt;
}

const struct scst_cdb_info *scst_cmd_op(const struct scst_cmd *cmd)
{
	return cmd->cdb_info;
}

uint32_t scst_cmd_bufflen(const struct scst_cmd *cmd)
{
	return cmd->bufflen;
}

enum scst_data_direction scst_cmd_data_direction(const struct scst_cmd *cmd)
{
	return cmd->dir;
}

uint64_t scst_cmd_tag(const struct scst_cmd *cmd)
{
	return cmd->tag;
}

const uint8_t *scst_cmd_cdb(const struct scst_cmd *cmd)
{
	return cmd->cdb;
}

unsigned int scst_cmd_cdb_len(const struct scst_cmd *cmd)
{
	return cmd->cdb_len;
}

uint64_t scst_cmd_lun(const struct scst_cmd *cmd)
{
	return cmd->lun;
}

uint64_t scst_cmd_lba(const struct scst_cmd *cmd)
{
	return cmd->lba;
}

uint32_t scst_cmd_num_blocks(const struct scst_cmd *cmd)
{
	return cmd->nblocks;
}

enum scst_cmd_queue_type scst_cmd_queue_type(const struct scst_cmd *cmd)
{
	return cmd->queue_type;
}

struct scst_session *scst_cmd_sess(const struct scst_cmd *cmd)
{
	return cmd->sess;
}

struct scst_device *scst_cmd_dev(const struct scst_cmd *cmd)
{
	return cmd->dev;
}

struct scst_tgt_dev *scst_cmd_tgt_dev(const struct scst_cmd *cmd)
{
	return cmd->tgt_dev;
}

bool scst_cmd_read_only(const struct scst_cmd *cmd)
{
	return cmd->tgt_dev && cmd->tgt_dev->read_only;
}

void scst_cmd_set_data_direction(struct scst_cmd *cmd,
				 enum scst_data_direction dir)
{
	cmd->dir = dir;
}

void scst_cmd_set_bufflen(struct scst_cmd *cmd, uint32_t len)
{
	cmd->bufflen = len;
}

void scst_cmd_set_lba(struct scst_cmd *cmd, uint64_t lba, uint32_t nblocks)
{
	cmd->lba = lba;
	cmd->nblocks = nblocks;
}

void scst_set_resp_data_len(struct scst_cmd *cmd, uint32_t len)
{
	cmd->resp_data_len = len < cmd->bufflen ? len : cmd->bufflen;
	scst_set_bit(SCST_CMD_F_RESP_SET, &cmd->flags);
}

uint32_t scst_cmd_copy_to_buf(struct scst_cmd *cmd, const void *src,
			      uint32_t len)
{
	uint32_t done =
	    (uint32_t)scst_sg_copy_in(cmd->sg, cmd->sg_cnt, 0, src, len);

	cmd->resp_data_len = done;
	scst_set_bit(SCST_CMD_F_RESP_SET, &cmd->flags);
	return done;
}

uint32_t scst_cmd_copy_from_buf(struct scst_cmd *cmd, void *dst, uint32_t len)
{
	return (uint32_t)scst_sg_copy_out(cmd->sg, cmd->sg_cnt, 0, dst, len);
}
