// SPDX-License-Identifier: GPL-2.0-only
/*
 * The command state machine (ARCHITECTURE.md, "The command path").
 *
 * scst_process_cmd() runs a command from state to state through the table
 * scst_states[]: each row names the state, the action that runs in it and
 * the set of states that action may move to. Every transition goes through
 * scst_set_state(), which refuses a move the table does not allow and
 * traces it at debug level.
 *
 * Where the core hands a command to a module and the module answers later
 * (rdy_to_xfer/scst_rx_data, exec/scst_cmd_exec_done,
 * xmit_response/scst_tgt_cmd_done), a two-party gate decides who goes on:
 * the core sets the gate to 2 before the call; the module's answer and the
 * return of the call each take one off; whoever takes the last one
 * continues the command. So an answer given before the call returns
 * continues in the loop, and a later one resumes the command on its worker.
 */
#include "scst_priv.h"

enum { SCST_RES_CONT, SCST_RES_WAIT };

struct scst_state_desc {
	const char *name;
	int (*action)(struct scst_cmd *cmd); /* NULL for parking states */
	uint32_t next;			     /* allowed next states */
};

#define S(x) (1u << SCST_CMD_STATE_##x)

static int scst_init_action(struct scst_cmd *cmd);
static int scst_parse_action(struct scst_cmd *cmd);
static int scst_prepare_space_action(struct scst_cmd *cmd);
static int scst_rdy_to_xfer_action(struct scst_cmd *cmd);
static int scst_check_sn_action(struct scst_cmd *cmd);
static int scst_check_blocking_action(struct scst_cmd *cmd);
static int scst_pre_exec_action(struct scst_cmd *cmd);
static int scst_local_exec_action(struct scst_cmd *cmd);
static int scst_real_exec_action(struct scst_cmd *cmd);
static int scst_dev_done_action(struct scst_cmd *cmd);
static int scst_pre_xmit_action(struct scst_cmd *cmd);
static int scst_xmit_action(struct scst_cmd *cmd);
static int scst_finished_action(struct scst_cmd *cmd);

static const struct scst_state_desc scst_states[SCST_CMD_STATE_COUNT] = {
    [SCST_CMD_STATE_INIT_WAIT] = {"INIT_WAIT", NULL, S(INIT)},
    [SCST_CMD_STATE_INIT] = {"INIT", scst_init_action, S(PARSE) | S(DEV_DONE)},
    [SCST_CMD_STATE_PARSE] = {"PARSE", scst_parse_action,
			      S(PREPARE_SPACE) | S(DEV_DONE)},
    [SCST_CMD_STATE_PREPARE_SPACE] = {"PREPARE_SPACE",
				      scst_prepare_space_action,
				      S(RDY_TO_XFER) | S(EXEC_CHECK_SN) |
					  S(DEV_DONE)},
    [SCST_CMD_STATE_RDY_TO_XFER] = {"RDY_TO_XFER", scst_rdy_to_xfer_action,
				    S(DATA_WAIT) | S(DEV_DONE)},
    [SCST_CMD_STATE_DATA_WAIT] = {"DATA_WAIT", NULL,
				  S(EXEC_CHECK_SN) | S(DEV_DONE)},
    [SCST_CMD_STATE_EXEC_CHECK_SN] = {"EXEC_CHECK_SN", scst_check_sn_action,
				      S(ORDER_WAIT) | S(PRE_EXEC) |
					  S(DEV_DONE)},
    [SCST_CMD_STATE_ORDER_WAIT] = {"ORDER_WAIT", NULL,
				   S(EXEC_CHECK_BLOCKING) | S(DEV_DONE)},
    [SCST_CMD_STATE_EXEC_CHECK_BLOCKING] = {"EXEC_CHECK_BLOCKING",
					    scst_check_blocking_action,
					    S(BLOCK_WAIT)},
    [SCST_CMD_STATE_BLOCK_WAIT] = {"BLOCK_WAIT", NULL,
				   S(PRE_EXEC) | S(DEV_DONE)},
    [SCST_CMD_STATE_PRE_EXEC] = {"PRE_EXEC", scst_pre_exec_action,
				 S(LOCAL_EXEC) | S(REAL_EXEC) | S(DEV_DONE)},
    [SCST_CMD_STATE_LOCAL_EXEC] = {"LOCAL_EXEC", scst_local_exec_action,
				   S(EXEC_WAIT) | S(DEV_DONE)},
    [SCST_CMD_STATE_REAL_EXEC] = {"REAL_EXEC", scst_real_exec_action,
				  S(EXEC_WAIT) | S(DEV_DONE)},
    [SCST_CMD_STATE_EXEC_WAIT] = {"EXEC_WAIT", NULL, S(DEV_DONE)},
    [SCST_CMD_STATE_DEV_DONE] = {"DEV_DONE", scst_dev_done_action,
				 S(PRE_XMIT_RESP)},
    [SCST_CMD_STATE_PRE_XMIT_RESP] = {"PRE_XMIT_RESP", scst_pre_xmit_action,
				      S(XMIT_RESP)},
    [SCST_CMD_STATE_XMIT_RESP] = {"XMIT_RESP", scst_xmit_action, S(XMIT_WAIT)},
    [SCST_CMD_STATE_XMIT_WAIT] = {"XMIT_WAIT", NULL,
				  S(FINISHED) | S(XMIT_RESP)},
    [SCST_CMD_STATE_FINISHED] = {"FINISHED", scst_finished_action, 0},
};

const char *scst_cmd_state_name(enum scst_cmd_state s)
{
	return (unsigned int)s < SCST_CMD_STATE_COUNT ? scst_states[s].name
						      : "?";
}

bool scst_cmd_state_allowed(enum scst_cmd_state from, enum scst_cmd_state to)
{
	if ((unsigned int)from >= SCST_CMD_STATE_COUNT ||
	    (unsigned int)to >= SCST_CMD_STATE_COUNT)
		return false;
	return (scst_states[from].next & (1u << to)) != 0;
}

static enum scst_cmd_state scst_get_state(const struct scst_cmd *cmd)
{
	return __atomic_load_n(&cmd->state, __ATOMIC_ACQUIRE);
}

static void scst_set_state(struct scst_cmd *cmd, enum scst_cmd_state to)
{
	enum scst_cmd_state from = scst_get_state(cmd);

	if (!scst_cmd_state_allowed(from, to)) {
		scst_err("scst: cmd tag %llu: illegal transition %s -> %s",
			 (unsigned long long)cmd->tag,
			 scst_cmd_state_name(from), scst_cmd_state_name(to));
		SCST_BUG_ON(1);
	}
	scst_dbg("scst: cmd tag %llu: %s -> %s", (unsigned long long)cmd->tag,
		 scst_cmd_state_name(from), scst_cmd_state_name(to));
	__atomic_store_n(&cmd->state, to, __ATOMIC_RELEASE);
}

void scst_process_cmd(struct scst_cmd *cmd)
{
	for (;;) {
		const struct scst_state_desc *d = &scst_states[cmd->state];

		SCST_BUG_ON(!d->action);
		if (d->action(cmd) == SCST_RES_WAIT)
			return;
	}
}

void scst_cmd_resume(struct scst_cmd *cmd)
{
	scst_worker_queue_cmd(cmd->sess->worker, cmd);
}

/* SCST_CONTEXT_DIRECT runs inline only on the command's own worker. */
static void scst_cmd_continue(struct scst_cmd *cmd, enum scst_exec_context ctx)
{
	if (ctx == SCST_CONTEXT_DIRECT &&
	    scst_thread_current() == cmd->sess->worker->thread)
		scst_process_cmd(cmd);
	else
		scst_cmd_resume(cmd);
}

void scst_cmd_move_resume(struct scst_cmd *cmd, enum scst_cmd_state next)
{
	scst_set_state(cmd, next);
	scst_cmd_resume(cmd);
}

/* ---------------------------------------------------- the async gate ---- */

static void scst_gate_open(struct scst_cmd *cmd)
{
	scst_atomic_set(&cmd->gate, 2);
}

/* The module call returned. True: its answer came already, go on. */
static bool scst_gate_caller_done(struct scst_cmd *cmd)
{
	return scst_atomic_dec_and_test(&cmd->gate);
}

/* The module answered: move to @next, and resume if the call returned. */
static void scst_gate_answer(struct scst_cmd *cmd, enum scst_cmd_state next,
			     enum scst_exec_context ctx)
{
	scst_set_state(cmd, next);
	if (!scst_atomic_dec_and_test(&cmd->gate))
		return;
	scst_cmd_continue(cmd, ctx);
}

/* ----------------------------------------------------------- errors ---- */

void scst_set_cmd_sense_spec(struct scst_cmd *cmd,
			     const struct scst_sense_spec *s)
{
	if (scst_test_and_set_bit(SCST_CMD_F_ERROR, &cmd->flags))
		return;
	cmd->status = SAM_STAT_CHECK_CONDITION;
	cmd->sense_len = scst_sense_build(
	    cmd->sense, cmd->dev ? cmd->dev->d_sense : false, s);
}

void scst_set_cmd_error(struct scst_cmd *cmd, uint8_t key, uint8_t asc,
			uint8_t ascq)
{
	struct scst_sense_spec s = {
	    .key = key, .asc = asc, .ascq = ascq, .sks_bit = -1};

	scst_set_cmd_sense_spec(cmd, &s);
}

void scst_set_cmd_error_info(struct scst_cmd *cmd, uint8_t key, uint8_t asc,
			     uint8_t ascq, uint64_t information)
{
	struct scst_sense_spec s = {.key = key,
				    .asc = asc,
				    .ascq = ascq,
				    .info_valid = true,
				    .information = information,
				    .sks_bit = -1};

	scst_set_cmd_sense_spec(cmd, &s);
}

void scst_set_cmd_error_stream(struct scst_cmd *cmd, uint8_t key, uint8_t asc,
			       uint8_t ascq, uint8_t flags, bool info_valid,
			       int64_t information)
{
	struct scst_sense_spec s = {.key = key,
				    .asc = asc,
				    .ascq = ascq,
				    .info_valid = info_valid,
				    .info_signed = true,
				    .information = (uint64_t)information,
				    .stream = flags,
				    .sks_bit = -1};

	scst_set_cmd_sense_spec(cmd, &s);
}

static void scst_set_invalid_field(struct scst_cmd *cmd, bool in_cdb,
				   unsigned int byte, int bit)
{
	struct scst_sense_spec s = {
	    .key = ILLEGAL_REQUEST,
	    .asc = in_cdb ? 0x24 : 0x26,
	    .sks_valid = true,
	    .sks_cdb = in_cdb,
	    .sks_field = (uint16_t)byte,
	    .sks_bit = bit,
	};

	scst_set_cmd_sense_spec(cmd, &s);
}

void scst_set_invalid_field_in_cdb(struct scst_cmd *cmd, unsigned int byte,
				   int bit)
{
	scst_set_invalid_field(cmd, true, byte, bit);
}

void scst_set_invalid_field_in_parm_list(struct scst_cmd *cmd,
					 unsigned int byte, int bit)
{
	scst_set_invalid_field(cmd, false, byte, bit);
}

void scst_set_cmd_error_status(struct scst_cmd *cmd, uint8_t status)
{
	if (scst_test_and_set_bit(SCST_CMD_F_ERROR, &cmd->flags))
		return;
	cmd->status = status;
	cmd->sense_len = 0;
}

void scst_cmd_set_sense(struct scst_cmd *cmd, uint8_t status,
			const uint8_t *sense, unsigned int len)
{
	bool desc = cmd->dev ? cmd->dev->d_sense : false;
	unsigned int n;

	if (status == SAM_STAT_GOOD)
		return;
	if (!sense || !len || status != SAM_STAT_CHECK_CONDITION) {
		scst_set_cmd_error_status(cmd, status);
		return;
	}
	if (scst_test_and_set_bit(SCST_CMD_F_ERROR, &cmd->flags))
		return;
	cmd->status = status;
	if (len > SCST_SENSE_BUFFERSIZE)
		len = SCST_SENSE_BUFFERSIZE;
	/* Re-encode only when the format differs from the device's D_SENSE. */
	if (((sense[0] & 0x7e) == 0x72) != desc) {
		n = scst_sense_convert(sense, len, cmd->sense, desc);
		if (n) {
			cmd->sense_len = n;
			return;
		}
	}
	memcpy(cmd->sense, sense, len);
	cmd->sense_len = len;
}

bool scst_cmd_has_error(const struct scst_cmd *cmd)
{
	return scst_test_bit(SCST_CMD_F_ERROR, &cmd->flags);
}

/* ------------------------------------------------------ the actions ---- */

static bool scst_cmd_is_aborted(const struct scst_cmd *cmd)
{
	return scst_test_bit(SCST_CMD_F_ABORTED, &cmd->flags);
}

static int scst_fail(struct scst_cmd *cmd)
{
	scst_set_state(cmd, SCST_CMD_STATE_DEV_DONE);
	return SCST_RES_CONT;
}

static int scst_init_action(struct scst_cmd *cmd)
{
	if (cmd->queue_type == SCST_CMD_QUEUE_ACA) {
		/* SAM-5: no ACA condition can exist; refuse the attribute. */
		scst_set_cmd_error(cmd,
				   SCST_LOAD_SENSE(scst_sense_invalid_message));
		return scst_fail(cmd);
	}
	if (cmd->lun != SCST_NO_LUN)
		cmd->tgt_dev = scst_sess_find_tgt_dev(cmd->sess, cmd->lun);
	if (cmd->tgt_dev)
		cmd->dev = cmd->tgt_dev->dev;
	scst_set_state(cmd, SCST_CMD_STATE_PARSE);
	return SCST_RES_CONT;
}

/* Compare what the CDB moves with what the initiator said it would move. */
static bool scst_check_expected(struct scst_cmd *cmd)
{
	if (!cmd->expected_set || !cmd->bufflen)
		return true;
	if (cmd->dir & SCST_DATA_WRITE) {
		uint32_t bs = cmd->dev ? cmd->dev->block_size : 512;

		if (!(cmd->expected_dir & SCST_DATA_WRITE)) {
			scst_set_cmd_error(
			    cmd,
			    SCST_LOAD_SENSE(scst_sense_invalid_field_in_cdb));
			return false;
		}
		if (cmd->expected_len >= cmd->bufflen)
			return true;
		/*
		 * Fewer Data-Out bytes than the CDB asks for: a plain block
		 * write is cut to the whole blocks the initiator sends, and
		 * the rest is reported as residual overflow (SAM-5 5.4.3,
		 * RFC 7143 11.4.5.1); anything else is refused.
		 */
		if (cmd->dir == SCST_DATA_WRITE && cmd->nblocks &&
		    (uint64_t)cmd->nblocks * bs == cmd->bufflen &&
		    cmd->expected_len % bs == 0) {
			cmd->write_overflow = cmd->bufflen - cmd->expected_len;
			cmd->bufflen = cmd->expected_len;
			cmd->nblocks = cmd->expected_len / bs;
			return true;
		}
		/* INVALID FIELD IN COMMAND INFORMATION UNIT */
		scst_set_cmd_error(cmd, ILLEGAL_REQUEST, 0x0e, 0x03);
		return false;
	}
	return true;
}

static int scst_parse_action(struct scst_cmd *cmd)
{
	struct scst_cdb_result r;
	uint8_t type = cmd->dev ? cmd->dev->type : TYPE_DISK;
	uint32_t bs = cmd->dev ? cmd->dev->block_size : 512;
	int rc;

	if (cmd->cdb_len == 0 || cmd->cdb_len > SCST_MAX_CDB_LEN) {
		scst_set_cmd_error(cmd,
				   SCST_LOAD_SENSE(scst_sense_invalid_opcode));
		return scst_fail(cmd);
	}
	rc = scst_cdb_decode(cmd->cdb, cmd->cdb_len, type, bs, &r);
	if (!cmd->tgt_dev && (rc || !(r.info->flags & SCST_CDB_F_NO_LUN_OK))) {
		scst_set_cmd_error(
		    cmd, SCST_LOAD_SENSE(scst_sense_lun_not_supported));
		return scst_fail(cmd);
	}
	if (rc) {
		struct scst_sense_spec s = {
		    .key = r.key,
		    .asc = r.asc,
		    .ascq = r.ascq,
		    .sks_valid = r.field_byte >= 0,
		    .sks_cdb = true,
		    .sks_field =
			(uint16_t)(r.field_byte < 0 ? 0 : r.field_byte),
		    .sks_bit = r.field_bit,
		};

		scst_set_cmd_sense_spec(cmd, &s);
		return scst_fail(cmd);
	}
	cmd->cdb_info = r.info;
	cmd->dir = r.dir;
	cmd->bufflen = r.bufflen;
	if ((r.info->flags & SCST_CDB_F_FORMAT_DATA) &&
	    r.dir == SCST_DATA_WRITE)
		/* The parameter list's own header gives its length. */
		cmd->bufflen = cmd->expected_set ? cmd->expected_len : 0;
	cmd->lba = r.lba;
	cmd->nblocks = r.nblocks;
	if (cmd->tgt_dev && cmd->dev->handler->parse &&
	    cmd->dev->handler->parse(cmd) < 0) {
		if (!scst_cmd_has_error(cmd))
			scst_set_cmd_error(
			    cmd, SCST_LOAD_SENSE(scst_sense_hardw_error));
		return scst_fail(cmd);
	}
	if (cmd->bufflen > SCST_MAX_BUFFLEN) {
		scst_set_cmd_error(
		    cmd, SCST_LOAD_SENSE(scst_sense_invalid_field_in_cdb));
		return scst_fail(cmd);
	}
	if (!scst_check_expected(cmd))
		return scst_fail(cmd);
	scst_set_state(cmd, SCST_CMD_STATE_PREPARE_SPACE);
	return SCST_RES_CONT;
}

static void scst_free_space(struct scst_cmd *cmd)
{
	unsigned int i;

	if (!cmd->sg)
		return;
	for (i = 0; i < cmd->sg_cnt; i++)
		scst_os_cache_free(cmd->sg_small ? scst_buf_small_cache
						 : scst_buf_chunk_cache,
				   cmd->sg[i].addr);
	if (cmd->sg != cmd->sg_inline)
		scst_os_cache_free(scst_sg_cache, cmd->sg);
	cmd->sg = NULL;
	cmd->sg_cnt = 0;
}

static int scst_alloc_space(struct scst_cmd *cmd)
{
	uint32_t left = cmd->bufflen;
	unsigned int n, i;

	if (left <= SCST_BUF_SMALL) {
		cmd->sg_small = true;
		cmd->sg = cmd->sg_inline;
		cmd->sg[0].addr = scst_os_cache_alloc(scst_buf_small_cache);
		if (!cmd->sg[0].addr) {
			cmd->sg = NULL;
			return -ENOMEM;
		}
		cmd->sg[0].len = left;
		cmd->sg_cnt = 1;
		return 0;
	}
	n = (left + SCST_BUF_CHUNK - 1) / SCST_BUF_CHUNK;
	if (n > SCST_SG_MAX)
		return -E2BIG; /* parse refuses more than SCST_MAX_BUFFLEN */
	cmd->sg_small = false;
	cmd->sg = n <= SCST_SG_INLINE ? cmd->sg_inline
				      : scst_os_cache_alloc(scst_sg_cache);
	if (!cmd->sg)
		return -ENOMEM;
	for (i = 0; i < n; i++) {
		cmd->sg[i].addr = scst_os_cache_alloc(scst_buf_chunk_cache);
		if (!cmd->sg[i].addr) {
			cmd->sg_cnt = i;
			scst_free_space(cmd);
			return -ENOMEM;
		}
		cmd->sg[i].len = left < SCST_BUF_CHUNK ? left : SCST_BUF_CHUNK;
		left -= cmd->sg[i].len;
	}
	cmd->sg_cnt = n;
	return 0;
}

static int scst_prepare_space_action(struct scst_cmd *cmd)
{
	if (cmd->bufflen && scst_alloc_space(cmd)) {
		scst_set_cmd_error_status(cmd, SAM_STAT_BUSY);
		return scst_fail(cmd);
	}
	if ((cmd->dir & SCST_DATA_WRITE) && cmd->bufflen)
		scst_set_state(cmd, SCST_CMD_STATE_RDY_TO_XFER);
	else
		scst_set_state(cmd, SCST_CMD_STATE_EXEC_CHECK_SN);
	return SCST_RES_CONT;
}

static int scst_rdy_to_xfer_action(struct scst_cmd *cmd)
{
	struct scst_tgt_template *t = cmd->sess->tgt->tmpl;
	int rc;

	if (scst_cmd_is_aborted(cmd))
		return scst_fail(cmd);
	if (!t->rdy_to_xfer) {
		scst_set_cmd_error(cmd,
				   SCST_LOAD_SENSE(scst_sense_invalid_opcode));
		return scst_fail(cmd);
	}
	scst_set_state(cmd, SCST_CMD_STATE_DATA_WAIT);
	scst_gate_open(cmd);
	scst_spin_lock(&cmd->sess->cmd_lock);
	scst_set_bit(SCST_CMD_F_DATA_WAIT, &cmd->flags);
	scst_spin_unlock(&cmd->sess->cmd_lock);
	rc = t->rdy_to_xfer(cmd);
	if (rc != SCST_TGT_RES_SUCCESS) {
		/* No answer will come: take the data phase back. */
		scst_clear_bit(SCST_CMD_F_DATA_WAIT, &cmd->flags);
		if (rc == SCST_TGT_RES_FATAL_ERROR)
			scst_set_bit(SCST_CMD_F_NO_RESP, &cmd->flags);
		scst_set_cmd_error_status(cmd, SAM_STAT_BUSY);
		return scst_fail(cmd);
	}
	return scst_gate_caller_done(cmd) ? SCST_RES_CONT : SCST_RES_WAIT;
}

void scst_rx_data(struct scst_cmd *cmd, enum scst_rx_status status,
		  enum scst_exec_context ctx)
{
	scst_spin_lock(&cmd->sess->cmd_lock);
	scst_clear_bit(SCST_CMD_F_DATA_WAIT, &cmd->flags);
	scst_spin_unlock(&cmd->sess->cmd_lock);

	cmd->rx_status = status;
	switch (status) {
	case SCST_RX_STATUS_SUCCESS:
		scst_gate_answer(cmd, SCST_CMD_STATE_EXEC_CHECK_SN, ctx);
		return;
	case SCST_RX_STATUS_ERROR_SENSE_SET:
		if (!scst_cmd_has_error(cmd))
			scst_set_cmd_error(
			    cmd, SCST_LOAD_SENSE(scst_sense_aborted_command));
		break;
	case SCST_RX_STATUS_ERROR_FATAL:
		scst_set_bit(SCST_CMD_F_NO_RESP, &cmd->flags);
		scst_set_cmd_error(cmd,
				   SCST_LOAD_SENSE(scst_sense_aborted_command));
		break;
	case SCST_RX_STATUS_ERROR:
	default:
		scst_set_cmd_error(cmd,
				   SCST_LOAD_SENSE(scst_sense_aborted_command));
		break;
	}
	scst_gate_answer(cmd, SCST_CMD_STATE_DEV_DONE, ctx);
}

static int scst_check_sn_action(struct scst_cmd *cmd)
{
	int err = 0;

	if (scst_cmd_is_aborted(cmd))
		return scst_fail(cmd);
	if (!cmd->tgt_dev) {
		/* Unmapped LUN: nothing to order against. */
		scst_set_state(cmd, SCST_CMD_STATE_PRE_EXEC);
		return SCST_RES_CONT;
	}
	scst_set_state(cmd, SCST_CMD_STATE_ORDER_WAIT);
	if (scst_order_enter(cmd, &err)) {
		scst_set_state(cmd, SCST_CMD_STATE_EXEC_CHECK_BLOCKING);
		return SCST_RES_CONT;
	}
	if (err) {
		scst_set_cmd_error_status(cmd, SAM_STAT_TASK_SET_FULL);
		return scst_fail(cmd);
	}
	return SCST_RES_WAIT; /* released later by scst_order_exit() */
}

static int scst_check_blocking_action(struct scst_cmd *cmd)
{
	scst_set_state(cmd, SCST_CMD_STATE_BLOCK_WAIT);
	if (scst_ser_enter(cmd)) {
		scst_set_state(cmd, SCST_CMD_STATE_PRE_EXEC);
		return SCST_RES_CONT;
	}
	return SCST_RES_WAIT; /* released later by scst_ser_exit() */
}

static int scst_pre_exec_action(struct scst_cmd *cmd)
{
	const struct scst_cdb_info *ci = cmd->cdb_info;

	if (scst_cmd_is_aborted(cmd))
		return scst_fail(cmd);
	/* Reservations first: a conflict leaves unit attentions pending. */
	if (cmd->tgt_dev && scst_res_check(cmd))
		return scst_fail(cmd);
	if (cmd->tgt_dev && !(ci->flags & SCST_CDB_F_UA_EXEMPT) &&
	    scst_ua_check_cmd(cmd))
		return scst_fail(cmd);
	/* The ALUA access state of the command's target port (alua.c). */
	if (cmd->tgt_dev && scst_alua_check(cmd))
		return scst_fail(cmd);
	if (cmd->tgt_dev && cmd->tgt_dev->read_only &&
	    (ci->flags & SCST_CDB_F_WRITE_MEDIUM)) {
		scst_set_cmd_error(cmd,
				   SCST_LOAD_SENSE(scst_sense_data_protect));
		return scst_fail(cmd);
	}
	if (!cmd->tgt_dev || (ci->flags & SCST_CDB_F_LOCAL))
		scst_set_state(cmd, SCST_CMD_STATE_LOCAL_EXEC);
	else
		scst_set_state(cmd, SCST_CMD_STATE_REAL_EXEC);
	return SCST_RES_CONT;
}

static int scst_local_exec_action(struct scst_cmd *cmd)
{
	/*
	 * Most answer at once; one that ends later (PREEMPT AND ABORT) calls
	 * scst_cmd_exec_later() first and scst_cmd_exec_done() at the end.
	 */
	scst_gate_open(cmd);
	if (!scst_emul_exec(cmd)) {
		scst_set_state(cmd, SCST_CMD_STATE_DEV_DONE);
		return SCST_RES_CONT;
	}
	return scst_gate_caller_done(cmd) ? SCST_RES_CONT : SCST_RES_WAIT;
}

static int scst_real_exec_action(struct scst_cmd *cmd)
{
	int rc;

	scst_set_bit(SCST_CMD_F_EXECUTED, &cmd->flags);
	scst_set_state(cmd, SCST_CMD_STATE_EXEC_WAIT);
	scst_gate_open(cmd);
	rc = cmd->dev->handler->exec(cmd);
	if (rc == SCST_EXEC_NOT_COMPLETED) {
		scst_emul_fallback(cmd);
		scst_set_state(cmd, SCST_CMD_STATE_DEV_DONE);
		return SCST_RES_CONT;
	}
	return scst_gate_caller_done(cmd) ? SCST_RES_CONT : SCST_RES_WAIT;
}

void scst_cmd_exec_later(struct scst_cmd *cmd)
{
	scst_set_state(cmd, SCST_CMD_STATE_EXEC_WAIT);
}

void scst_cmd_exec_done(struct scst_cmd *cmd)
{
	scst_gate_answer(cmd, SCST_CMD_STATE_DEV_DONE, SCST_CONTEXT_THREAD);
}

static int scst_dev_done_action(struct scst_cmd *cmd)
{
	if (scst_test_bit(SCST_CMD_F_EXECUTED, &cmd->flags) &&
	    cmd->dev->handler->dev_done)
		cmd->dev->handler->dev_done(cmd);
	if (scst_test_bit(SCST_CMD_F_DEV_INFLIGHT, &cmd->flags))
		scst_ser_exit(cmd);
	if (cmd->slot)
		scst_order_exit(cmd);
	scst_set_state(cmd, SCST_CMD_STATE_PRE_XMIT_RESP);
	return SCST_RES_CONT;
}

static int scst_pre_xmit_action(struct scst_cmd *cmd)
{
	if (scst_cmd_is_aborted(cmd)) {
		bool other =
		    scst_test_bit(SCST_CMD_F_ABORTED_OTHER, &cmd->flags);

		if (other && cmd->dev && cmd->dev->tas &&
		    !scst_test_bit(SCST_CMD_F_NO_RESP, &cmd->flags)) {
			/* TAS=1: the other nexus learns with TASK ABORTED. */
			cmd->status = SAM_STAT_TASK_ABORTED;
			cmd->sense_len = 0;
			cmd->resp_data_len = 0;
			scst_set_bit(SCST_CMD_F_ERROR, &cmd->flags);
		} else {
			scst_set_bit(SCST_CMD_F_NO_RESP, &cmd->flags);
		}
	}
	if (scst_cmd_has_error(cmd)) {
		if (!scst_test_bit(SCST_CMD_F_RESP_SET, &cmd->flags))
			cmd->resp_data_len = 0;
	} else if (!scst_test_bit(SCST_CMD_F_RESP_SET, &cmd->flags)) {
		cmd->resp_data_len =
		    (cmd->dir & SCST_DATA_READ) ? cmd->bufflen : 0;
	}
	scst_set_state(cmd, SCST_CMD_STATE_XMIT_RESP);
	return SCST_RES_CONT;
}

static int scst_xmit_action(struct scst_cmd *cmd)
{
	int rc;

	scst_set_state(cmd, SCST_CMD_STATE_XMIT_WAIT);
	scst_gate_open(cmd);
	rc = cmd->sess->tgt->tmpl->xmit_response(cmd);
	if (rc == SCST_TGT_RES_QUEUE_FULL) {
		/* Try again after the other queued work of this worker. */
		scst_set_state(cmd, SCST_CMD_STATE_XMIT_RESP);
		scst_os_yield();
		scst_cmd_resume(cmd);
		return SCST_RES_WAIT;
	}
	if (rc != SCST_TGT_RES_SUCCESS) {
		scst_set_state(cmd, SCST_CMD_STATE_FINISHED);
		return SCST_RES_CONT;
	}
	return scst_gate_caller_done(cmd) ? SCST_RES_CONT : SCST_RES_WAIT;
}

void scst_tgt_cmd_done(struct scst_cmd *cmd, enum scst_exec_context ctx)
{
	scst_gate_answer(cmd, SCST_CMD_STATE_FINISHED, ctx);
}

static int scst_finished_action(struct scst_cmd *cmd)
{
	struct scst_tgt_template *t = cmd->sess->tgt->tmpl;
	struct scst_session *sess = cmd->sess;

	scst_atomic64_add(&sess->stat_active, -1);
	if (cmd->status == SAM_STAT_GOOD && (cmd->dir & SCST_DATA_READ))
		scst_atomic64_add(&sess->stat_read_bytes,
				  scst_cmd_resp_data_len(cmd));
	if (cmd->status == SAM_STAT_GOOD && (cmd->dir & SCST_DATA_WRITE))
		scst_atomic64_add(&sess->stat_write_bytes, cmd->bufflen);

	if (t->on_free_cmd)
		t->on_free_cmd(cmd);
	scst_free_space(cmd);
	/* TMFs waiting for this command may now answer. */
	scst_cmd_finish_tmf(cmd);
	scst_cmd_put(cmd);
	return SCST_RES_WAIT;
}

/* ------------------------------------------------ command life ---- */

struct scst_cmd *scst_rx_cmd(struct scst_session *sess, const uint8_t *lun,
			     unsigned int lun_len, const uint8_t *cdb,
			     unsigned int cdb_len)
{
	struct scst_cmd *cmd = scst_os_cache_zalloc(scst_cmd_cache);
	bool dead;

	if (!cmd)
		return NULL;
	cmd->state = SCST_CMD_STATE_INIT_WAIT;
	scst_atomic_set(&cmd->ref, 1);
	scst_list_init(&cmd->sess_entry);
	scst_list_init(&cmd->queue_entry);
	scst_list_init(&cmd->dev_entry);
	scst_list_init(&cmd->mgmt_stubs);
	cmd->sess = sess;
	cmd->lun = scst_unpack_lun(lun, lun_len);
	cmd->cdb_len = cdb_len;
	memcpy(cmd->cdb, cdb,
	       cdb_len < SCST_CMD_CDB_MAX ? cdb_len : SCST_CMD_CDB_MAX);
	cmd->queue_type = SCST_CMD_QUEUE_SIMPLE;
	cmd->status = SAM_STAT_GOOD;

	scst_sess_get(sess);
	scst_atomic64_add(&sess->stat_cmds, 1);
	scst_atomic64_add(&sess->stat_active, 1);
	scst_spin_lock(&sess->cmd_lock);
	cmd->seq = sess->next_seq++;
	scst_list_add_tail(&cmd->sess_entry, &sess->cmd_list);
	dead = sess->shutting_down;
	scst_spin_unlock(&sess->cmd_lock);
	if (dead) {
		/* A command racing the session's end: it gets no response. */
		scst_set_bit(SCST_CMD_F_NO_RESP, &cmd->flags);
		scst_set_bit(SCST_CMD_F_ABORTED, &cmd->flags);
	}
	return cmd;
}

void scst_cmd_get(struct scst_cmd *cmd)
{
	scst_atomic_inc(&cmd->ref);
}

void scst_cmd_put(struct scst_cmd *cmd)
{
	struct scst_session *sess = cmd->sess;

	if (!scst_atomic_dec_and_test(&cmd->ref))
		return;
	if (cmd->tgt_dev)
		scst_tgt_dev_put(cmd->tgt_dev);
	scst_os_cache_free(scst_cmd_cache, cmd);
	scst_sess_put(sess);
}

void scst_cmd_init_done(struct scst_cmd *cmd, enum scst_exec_context ctx)
{
	scst_set_state(cmd, SCST_CMD_STATE_INIT);
	scst_cmd_continue(cmd, ctx);
}
