// SPDX-License-Identifier: GPL-2.0-only
/*
 * The pass-through command path: every command the core does not answer
 * itself goes to the real device, asynchronously, and its status, sense,
 * data and residual come back exactly as the device gave them. The core
 * keeps what is per I_T nexus (REPORT LUNS, REQUEST SENSE, RESERVE and
 * RELEASE, PERSISTENT RESERVE: SCST_CDB_F_LOCAL rows never reach exec),
 * so the device sees one initiator, the target; here the device's
 * answers that concern every nexus are fanned out:
 *  - a UNIT ATTENTION the device reports goes to the initiator that got
 *    it and is queued on every other nexus;
 *  - MODE SELECT and LOG SELECT (SCST_SER_EXCL rows: one at a time on the
 *    device) are followed by MODE/LOG PARAMETERS CHANGED to the others;
 *  - the block size the device reports (READ CAPACITY for disks and
 *    CD/DVD, the block descriptor of MODE SENSE and MODE SELECT for tapes,
 *    any value) is the one the core decodes transfer lengths with;
 *  - PREVENT ALLOW MEDIUM REMOVAL is per nexus: an ALLOW reaches the
 *    device only when no other nexus still prevents.
 */
#include <errno.h>
#include <string.h>

#include "dev_handlers/passthrough/pt_priv.h"
#include "scst/byteorder.h"

struct scst_os_cache *pt_req_cache;

/* ------------------------------------------------------ sense helpers ---- */

static bool pt_sense_kcq(const uint8_t *s, unsigned int len, uint8_t *key,
			 uint8_t *asc, uint8_t *ascq)
{
	if (len >= 14 && (s[0] & 0x7e) == 0x70) {
		*key = s[2] & 0x0f;
		*asc = s[12];
		*ascq = s[13];
		return true;
	}
	if (len >= 4 && (s[0] & 0x7e) == 0x72) {
		*key = s[1] & 0x0f;
		*asc = s[2];
		*ascq = s[3];
		return true;
	}
	return false;
}

/*
 * The device is gone (hot unplug, sysfs delete): NOT READY, LOGICAL UNIT
 * NOT READY, MANUAL INTERVENTION REQUIRED (04h/03h). It says the LU is
 * still addressed but cannot serve until an administrator acts
 * (del_device, or a new add_device); initiators fail the I/O at once
 * instead of retrying as they do for 04h/01h BECOMING READY.
 */
#define pt_sense_gone NOT_READY, 0x04, 0x03

void pt_set_gone(struct pt_dev *d)
{
	bool was;

	scst_spin_lock(&d->lock);
	was = d->state == PT_GONE;
	d->state = PT_GONE;
	scst_spin_unlock(&d->lock);
	if (!was)
		scst_err("%s: %s (%s) is gone; commands get NOT READY until "
			 "del_device",
			 scst_dev_handler_name(d->dev), d->name, d->path);
}

bool pt_is_gone(struct pt_dev *d)
{
	bool gone;

	scst_spin_lock(&d->lock);
	gone = d->state == PT_GONE;
	scst_spin_unlock(&d->lock);
	return gone;
}

/* At most a few transport-error lines a second, for the administrator. */
static struct scst_ratelimit pt_err_rl;

void pt_exec_init(void)
{
	scst_ratelimit_init(&pt_err_rl, 1000000000ull, 5);
}

/* No SCSI answer: what the initiator is told instead (never GOOD). */
static void pt_set_transport_error(struct pt_dev *d, struct scst_cmd *cmd,
				   const struct pt_req *r)
{
	if (scst_ratelimit(&pt_err_rl))
		scst_warn("%s: no SCSI answer to opcode %02xh: err %d, host "
			  "status %02xh, driver status %02xh",
			  d->name, scst_cmd_cdb(cmd)[0], r->err, r->host_status,
			  r->driver_status);
	if (r->err == -ENODEV || r->err == -ENXIO ||
	    r->host_status == PT_DID_NO_CONNECT ||
	    r->host_status == PT_DID_BAD_TARGET) {
		pt_set_gone(d);
		scst_set_cmd_error(cmd, SCST_LOAD_SENSE(pt_sense_gone));
		return;
	}
	if (r->err == -ENOMEM || r->err == -EAGAIN) {
		scst_set_cmd_error_status(cmd, SAM_STAT_BUSY);
		return;
	}
	switch (r->host_status) {
	case PT_DID_BUS_BUSY:
	case PT_DID_TIME_OUT:
	case PT_DID_ABORT:
	case PT_DID_RESET:
	case PT_DID_SOFT_ERROR:
	case PT_DID_IMM_RETRY:
	case PT_DID_REQUEUE:
	case PT_DID_TRANSPORT_DISRUPTED:
		/* Worth a retry by the initiator. */
		scst_set_cmd_error(cmd,
				   SCST_LOAD_SENSE(scst_sense_aborted_command));
		return;
	default:
		break;
	}
	if ((r->driver_status & PT_DRIVER_MASK) == PT_DRIVER_TIMEOUT) {
		scst_set_cmd_error(cmd,
				   SCST_LOAD_SENSE(scst_sense_aborted_command));
		return;
	}
	/* Anything else: HARDWARE ERROR, INTERNAL TARGET FAILURE. */
	scst_set_cmd_error(cmd, SCST_LOAD_SENSE(scst_sense_hardw_error));
}

static bool pt_transport_failed(const struct pt_req *r)
{
	uint8_t drv = r->driver_status & PT_DRIVER_MASK;

	return r->err || r->host_status != PT_DID_OK ||
	       (drv && drv != PT_DRIVER_SENSE);
}

/* ------------------------------------------- answers about the device ---- */

static uint32_t pt_get_buf_be32(struct scst_cmd *cmd, uint32_t off)
{
	struct scst_sg *sg;
	unsigned int n = scst_cmd_sg(cmd, &sg);
	uint8_t b[4];

	if (scst_sg_copy_out(sg, n, off, b, 4) != 4)
		return 0;
	return scst_get_be32(b);
}

/* A mode parameter list (MODE SENSE data or MODE SELECT data). */
static void pt_tape_mode_block_size(struct pt_dev *d, struct scst_cmd *cmd,
				    bool ten, uint32_t len)
{
	struct scst_sg *sg;
	unsigned int n = scst_cmd_sg(cmd, &sg);
	uint8_t h[16];
	uint32_t hdr = ten ? 8 : 4, bdl, bs;

	if (len < hdr + 8 || scst_sg_copy_out(sg, n, 0, h, 16) < hdr + 8)
		return;
	bdl = ten ? scst_get_be16(h + 6) : h[3];
	if (bdl < 8 || len < hdr + bdl)
		return;
	/* Short descriptor: block length in bytes 5-7 (SPC-4 7.5.5). */
	bs =
	    (uint32_t)h[hdr + 5] << 16 | (uint32_t)h[hdr + 6] << 8 | h[hdr + 7];
	if (ten && (h[4] & 1) && len >= hdr + 16 && bdl >= 16)
		bs = pt_get_buf_be32(cmd, hdr + 12); /* LONGLBA */
	if (bs != scst_dev_block_size(d->dev)) {
		scst_info("%s: block size %u (was %u)", d->name, bs,
			  scst_dev_block_size(d->dev));
		scst_dev_set_block_size(d->dev, bs);
	}
}

static void pt_capacity_block_size(struct pt_dev *d, struct scst_cmd *cmd,
				   uint32_t off, uint32_t len)
{
	uint32_t bs;

	if (len < off + 4)
		return;
	bs = pt_get_buf_be32(cmd, off);
	if (bs && bs <= SCST_MAX_BUFFLEN && bs != scst_dev_block_size(d->dev))
		scst_dev_set_block_size(d->dev, bs);
}

/*
 * VPD B0h (SBC-3 6.6.4): MAXIMUM TRANSFER LENGTH (bytes 8-11, in blocks)
 * is at most what the pass-through path moves in one command.
 */
static void pt_patch_block_limits(struct pt_dev *d, struct scst_cmd *cmd,
				  uint32_t len)
{
	uint32_t bs = scst_dev_block_size(d->dev), lim, cur;
	struct scst_sg *sg;
	unsigned int n;
	uint8_t b[4];

	if (!d->max_transfer || !bs || len < 12)
		return;
	lim = d->max_transfer / bs;
	cur = pt_get_buf_be32(cmd, 8);
	if (cur && cur <= lim)
		return;
	n = scst_cmd_sg(cmd, &sg);
	scst_put_be32(b, lim);
	scst_sg_copy_in(sg, n, 8, b, 4);
}

static void pt_after_good(struct pt_dev *d, struct scst_cmd *cmd,
			  uint32_t resp_len)
{
	const uint8_t *cdb = scst_cmd_cdb(cmd);
	uint8_t type = scst_dev_type(d->dev);
	struct scst_tgt_dev *nexus = scst_cmd_tgt_dev(cmd);

	switch (cdb[0]) {
	case MODE_SELECT:
	case MODE_SELECT_10:
		if (type == TYPE_TAPE)
			pt_tape_mode_block_size(d, cmd,
						cdb[0] == MODE_SELECT_10,
						scst_cmd_bufflen(cmd));
		/* MODE PARAMETERS CHANGED to the other nexuses. */
		scst_dev_set_ua_except(d->dev, nexus, UNIT_ATTENTION, 0x2a,
				       0x01);
		break;
	case LOG_SELECT:
		/* LOG PARAMETERS CHANGED. */
		scst_dev_set_ua_except(d->dev, nexus, UNIT_ATTENTION, 0x2a,
				       0x02);
		break;
	case MODE_SENSE:
	case MODE_SENSE_10:
		if (type == TYPE_TAPE)
			pt_tape_mode_block_size(d, cmd, cdb[0] == MODE_SENSE_10,
						resp_len);
		break;
	case READ_CAPACITY:
		if (type == TYPE_DISK || type == TYPE_ROM)
			pt_capacity_block_size(d, cmd, 4, resp_len);
		break;
	case SERVICE_ACTION_IN_16:
		if ((cdb[1] & 0x1f) == SAI_READ_CAPACITY_16 &&
		    type == TYPE_DISK)
			pt_capacity_block_size(d, cmd, 8, resp_len);
		break;
	case INQUIRY:
		if (type == TYPE_DISK && (cdb[1] & 1) && cdb[2] == 0xb0)
			pt_patch_block_limits(d, cmd, resp_len);
		break;
	case ALLOW_MEDIUM_REMOVAL:
		if (nexus)
			scst_tgt_dev_set_prevent(nexus, cdb[4] & 1);
		break;
	default:
		break;
	}
}

/* ------------------------------------------------------- completion ---- */

/* The device's answer (or its absence) onto the command. */
void pt_complete(struct pt_dev *d, struct scst_cmd *cmd, struct pt_req *r)
{
	uint32_t len = r->len, resp = 0;
	uint8_t key, asc, ascq;
	bool err = true;

	if (pt_transport_failed(r)) {
		pt_set_transport_error(d, cmd, r);
		scst_spin_lock(&d->lock);
		d->host_errors++;
		scst_spin_unlock(&d->lock);
		goto out;
	}
	if (r->dir == SCST_DATA_READ) {
		/* Data, residual and sense together (a short tape read). */
		resp = r->resid <= 0		  ? len
		       : (uint32_t)r->resid > len ? 0
						  : len - (uint32_t)r->resid;
		scst_set_resp_data_len(cmd, resp);
	}
	if (r->status == SAM_STAT_GOOD) {
		err = false;
		pt_after_good(d, cmd, resp);
		goto out;
	}
	if (r->status == SAM_STAT_CHECK_CONDITION && !r->sense_len) {
		/* The device owes its sense: say something, never GOOD. */
		scst_set_cmd_error(cmd,
				   SCST_LOAD_SENSE(scst_sense_hardw_error));
		goto count;
	}
	scst_cmd_set_sense(cmd, r->status, r->sense, r->sense_len);
	if (r->status == SAM_STAT_CHECK_CONDITION &&
	    pt_sense_kcq(r->sense, r->sense_len, &key, &asc, &ascq) &&
	    key == UNIT_ATTENTION)
		/* This initiator has it in its sense; every other one too. */
		scst_dev_set_ua_except(d->dev, scst_cmd_tgt_dev(cmd), key, asc,
				       ascq);
count:
	scst_spin_lock(&d->lock);
	d->errors++;
	scst_spin_unlock(&d->lock);
out:
	(void)err;
	scst_spin_lock(&d->lock);
	d->in_flight--;
	d->cmds_done++;
	scst_spin_unlock(&d->lock);
}

/* The backend's callback, on its thread. */
void pt_backend_done(struct pt_backend *b, struct pt_req *r)
{
	struct pt_dev *d = b->owner;
	struct pt_sync *s;
	struct scst_cmd *cmd;

	if (r->internal) {
		s = scst_container_of(r, struct pt_sync, req);
		scst_complete(&s->done);
		return;
	}
	cmd = r->priv;
	pt_complete(d, cmd, r);
	scst_os_cache_free(pt_req_cache, r);
	scst_cmd_exec_done(cmd);
}

/* ------------------------------------------------------------- exec ---- */

/* INQUIRY of a gone device: PERIPHERAL QUALIFIER 001b, not connected. */
static void pt_inquiry_gone(struct pt_dev *d, struct scst_cmd *cmd)
{
	uint8_t b[36] = {0};
	uint32_t alloc = scst_cmd_bufflen(cmd);

	b[0] = (uint8_t)(0x20 | scst_dev_type(d->dev));
	b[2] = 0x06;
	b[3] = 0x02;
	b[4] = sizeof(b) - 5;
	memcpy(b + 8, "SCST_PT GONE                    ", 28);
	scst_cmd_copy_to_buf(cmd, b, alloc < sizeof(b) ? alloc : sizeof(b));
}

static int pt_done_now(struct scst_cmd *cmd)
{
	scst_cmd_exec_done(cmd);
	return SCST_EXEC_COMPLETED;
}

int pt_exec(struct scst_cmd *cmd)
{
	struct pt_dev *d = scst_dev_get_dh_priv(scst_cmd_dev(cmd));
	const uint8_t *cdb = scst_cmd_cdb(cmd);
	struct scst_tgt_dev *nexus = scst_cmd_tgt_dev(cmd);
	struct pt_req *r;
	struct scst_sg *sg;
	int rc;

	if (pt_is_gone(d)) {
		if (cdb[0] == INQUIRY && !(cdb[1] & 1))
			pt_inquiry_gone(d, cmd);
		else
			scst_set_cmd_error(cmd, SCST_LOAD_SENSE(pt_sense_gone));
		return pt_done_now(cmd);
	}
	if (scst_cmd_data_direction(cmd) == SCST_DATA_BIDI) {
		/* SG v3 moves one direction per command. */
		scst_set_cmd_error(cmd,
				   SCST_LOAD_SENSE(scst_sense_invalid_opcode));
		return pt_done_now(cmd);
	}
	if (cdb[0] == ALLOW_MEDIUM_REMOVAL && !(cdb[4] & 1) && nexus) {
		/* This nexus allows; the device only when no other prevents. */
		scst_tgt_dev_set_prevent(nexus, false);
		if (scst_dev_prevented(d->dev))
			return pt_done_now(cmd);
	}
	r = scst_os_cache_zalloc(pt_req_cache);
	if (!r) {
		scst_set_cmd_error_status(cmd, SAM_STAT_BUSY);
		return pt_done_now(cmd);
	}
	r->cdb = cdb;
	r->cdb_len = scst_cmd_cdb_len(cmd);
	r->len = scst_cmd_bufflen(cmd);
	r->sg_cnt = r->len ? scst_cmd_sg(cmd, &sg) : 0;
	r->sg = r->sg_cnt ? sg : NULL;
	r->dir = r->len ? scst_cmd_data_direction(cmd) : SCST_DATA_NONE;
	r->timeout_ms =
	    scst_tmo_seconds(scst_cdb_tmo(scst_cmd_op(cmd))) * 1000u;
	r->priv = cmd;
	scst_spin_lock(&d->lock);
	d->in_flight++;
	scst_spin_unlock(&d->lock);
	rc = d->be->ops->submit(d->be, r);
	if (rc) {
		/* Not sent: answered here, as the device's absence. */
		r->err = rc;
		pt_complete(d, cmd, r);
		scst_os_cache_free(pt_req_cache, r);
		return pt_done_now(cmd);
	}
	return SCST_EXEC_COMPLETED;
}

/*
 * After the core decoded the CDB: a transfer larger than the device takes
 * in one command is refused (INVALID FIELD IN CDB at the transfer length,
 * SBC-3 5.x "exceeds the MAXIMUM TRANSFER LENGTH"); an allocation length
 * beyond it is cut (SPC-4 4.2.5.6 lets the device return less).
 */
int pt_parse(struct scst_cmd *cmd)
{
	struct pt_dev *d = scst_dev_get_dh_priv(scst_cmd_dev(cmd));
	const struct scst_cdb_info *ci = scst_cmd_op(cmd);
	uint32_t len = scst_cmd_bufflen(cmd);

	if (!d->max_transfer || len <= d->max_transfer || !ci)
		return 0;
	if (ci->len_unit == SCST_LEN_BYTES &&
	    scst_cmd_data_direction(cmd) == SCST_DATA_READ) {
		scst_cmd_set_bufflen(cmd, d->max_transfer);
		return 0;
	}
	scst_set_invalid_field_in_cdb(cmd, ci->len_off, -1);
	return -EINVAL;
}

/* ------------------------------------------------ internal commands ---- */

/*
 * One command of the handler's own (at add_device and after a reset),
 * waited for. @buf: Data-In of @len bytes. Returns the SAM status, or a
 * negative errno without an answer.
 */
int pt_sync_cmd(struct pt_dev *d, const uint8_t *cdb, unsigned int cdb_len,
		void *buf, uint32_t len, uint8_t *sense_key, uint8_t *asc)
{
	struct pt_sync *s = scst_os_zalloc(sizeof(*s));
	struct scst_sg sg = {.addr = buf, .len = len};
	uint8_t k = 0, a = 0, q = 0;
	int rc;

	if (!s)
		return -ENOMEM;
	scst_completion_init(&s->done);
	s->req.internal = true;
	s->req.cdb = cdb;
	s->req.cdb_len = cdb_len;
	s->req.dir = len ? SCST_DATA_READ : SCST_DATA_NONE;
	s->req.sg = len ? &sg : NULL;
	s->req.sg_cnt = len ? 1 : 0;
	s->req.len = len;
	s->req.timeout_ms = scst_tmo_seconds(SCST_TMO_SHORT) * 1000u;
	rc = d->be->ops->submit(d->be, &s->req);
	if (rc == 0) {
		scst_wait_for_completion(&s->done);
		if (pt_transport_failed(&s->req))
			rc = s->req.err ? s->req.err : -EIO;
		else
			rc = s->req.status;
		if (rc == SAM_STAT_CHECK_CONDITION)
			pt_sense_kcq(s->req.sense, s->req.sense_len, &k, &a,
				     &q);
	}
	if (sense_key)
		*sense_key = k;
	if (asc)
		*asc = a;
	scst_completion_destroy(&s->done);
	scst_os_free(s);
	return rc;
}
