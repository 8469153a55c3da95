// SPDX-License-Identifier: GPL-2.0-only
/*
 * Asymmetric logical unit access (SPC-4 5.15), the SCSI side of the device
 * groups and target groups of scst_dg.c.
 *
 * A device in a device group has one target port group per target group
 * of that device group; its members are the target ports (relative target
 * port identifiers) through which the group's access state applies. A
 * device in no device group does not use ALUA: TPGS 00b in INQUIRY, REPORT
 * TARGET PORT GROUPS refused like any service action the LU does not
 * support (SPC-4 6.4.2: with TPGS 00b neither REPORT nor SET TARGET PORT
 * GROUPS is supported), and every port is fully accessible.
 *
 *  - Access check (PRE_EXEC, after the unit attention check, so that a
 *    pending ASYMMETRIC ACCESS STATE CHANGED is reported first): each
 *    I_T_L nexus caches the state of its target port for its LU in
 *    tgt_dev->alua_state, set when the nexus appears and whenever the
 *    configuration changes (both under scst_mutex), so a command costs one
 *    atomic load. The commands each state lets through are those whose
 *    opcode row has the state's bit in its ALUA column
 *    (include/scst/scst_opcode.h); the others end with CHECK CONDITION,
 *    NOT READY and
 *    LOGICAL UNIT NOT ACCESSIBLE, ASYMMETRIC ACCESS STATE TRANSITION
 *    (04h/0Ah), TARGET PORT IN STANDBY STATE (04h/0Bh), TARGET PORT IN
 *    UNAVAILABLE STATE (04h/0Ch), or LOGICAL UNIT NOT READY, OFFLINE
 *    (04h/12h).
 *  - REPORT TARGET PORT GROUPS (SPC-4 6.27): one descriptor per target
 *    group: PREF, the state, the supported states (all but logical block
 *    dependent), the group id, the status code (no status until the state
 *    was changed, then "altered by implicit behaviour"), and the relative
 *    target port identifiers of the members the core can name (a member's
 *    own rel_tgt_id attribute, else the registered target of that name).
 *    Both formats: length only (000b) and the extended header (001b) with
 *    IMPLICIT TRANSITION TIME 0 (not specified: transitions are made by the
 *    administrator). RETURN DATA LENGTH counts every byte after itself.
 *  - SET TARGET PORT GROUPS (SPC-4 6.36), only for a device in a device
 *    group whose handler allows explicit ALUA (scst_dev_set_expl_alua:
 *    TPGS 11b; otherwise TPGS 01b or 00b, which SPC-4 6.4.2 says do not
 *    support the command). An unsupported service action ends with INVALID
 *    FIELD IN CDB at the SERVICE ACTION field (byte 1 bit 4), as for REPORT
 *    TARGET PORT GROUPS and as SCST does; SPC-4 leaves open whether an
 *    unsupported service action is that or INVALID COMMAND OPERATION CODE.
 *    The parameter list is a 4-byte reserved header and 4-byte descriptors
 *    (byte 0 bits 3-0 ASYMMETRIC ACCESS STATE, bytes 2-3 TARGET PORT
 *    GROUP). Length 0: nothing to do; a length that cuts the header or a
 *    descriptor: PARAMETER LIST LENGTH ERROR. A state that cannot be asked
 *    for (only the primary states whose supported bit RTPG reports:
 *    active/optimized, active/non-optimized, standby, unavailable; not
 *    offline, which is a secondary state, nor transitioning, nor the
 *    reserved codes), a group id no target group of the device group has,
 *    or a group named twice: INVALID FIELD IN PARAMETER LIST pointing at
 *    the field. Every descriptor is checked before any group changes;
 *    then the groups change together (under the write side of
 *    scst_dg_lock, so REPORT TARGET PORT GROUPS sees all or none), each
 *    changed one with STATUS CODE 01h (altered by SET TARGET PORT GROUPS),
 *    and every I_T nexus of the device group's devices except those of
 *    the requesting I_T nexus gets ASYMMETRIC ACCESS STATE CHANGED (SPC-4
 *    5.15.2, transitions between target port asymmetric access states:
 *    "other than the I_T nexus on which the SET TARGET PORT GROUPS
 *    command was received"). The command runs on the command
 *    path under scst_mutex, like REGISTER AND MOVE: nothing holding that
 *    mutex waits for commands.
 *  - Unit attention ASYMMETRIC ACCESS STATE CHANGED (2Ah/06h) on every
 *    nexus of every device of the device group whenever what REPORT
 *    TARGET PORT GROUPS returns changes (state, preferred, group id,
 *    members, groups); scst_dg.c adds INQUIRY DATA HAS CHANGED (3Fh/03h)
 *    when a device joins or leaves a device group, and so does a change
 *    of explicit ALUA of a device in a device group (TPGS changes).
 */
#include "scst/scst_spc.h"
#include "scst_priv.h"

/* Supported states: T_SUP O_SUP U_SUP S_SUP AN_SUP AO_SUP (no LBD_SUP). */
#define SCST_ALUA_SUP_STATES 0xcf
/* IMPLICIT TRANSITION TIME of the extended header, seconds (0: unknown). */
#define SCST_ALUA_IMPLICIT_TRANSITION_SECS 0

/* The ASYMMETRIC ACCESS STATE code of each state (SPC-4 6.27). */
static const uint8_t scst_alua_codes[SCST_TG_STATE_COUNT] = {
    [SCST_TG_STATE_OPTIMIZED] = 0x0, [SCST_TG_STATE_NONOPTIMIZED] = 0x1,
    [SCST_TG_STATE_STANDBY] = 0x2,   [SCST_TG_STATE_UNAVAILABLE] = 0x3,
    [SCST_TG_STATE_OFFLINE] = 0xe,   [SCST_TG_STATE_TRANSITIONING] = 0xf,
};

/* ASCQ with ASC 04h (LOGICAL UNIT NOT READY / NOT ACCESSIBLE) per state. */
static const uint8_t scst_alua_ascq[SCST_TG_STATE_COUNT] = {
    [SCST_TG_STATE_STANDBY] = 0x0b,
    [SCST_TG_STATE_UNAVAILABLE] = 0x0c,
    [SCST_TG_STATE_OFFLINE] = 0x12,
    [SCST_TG_STATE_TRANSITIONING] = 0x0a,
};

/* The opcode rows' ALUA column bit of each restricted state. */
static const uint8_t scst_alua_row_bit[SCST_TG_STATE_COUNT] = {
    [SCST_TG_STATE_STANDBY] = SCST_ALUA_OK_STANDBY,
    [SCST_TG_STATE_UNAVAILABLE] = SCST_ALUA_OK_UNAVAILABLE,
    [SCST_TG_STATE_OFFLINE] = SCST_ALUA_OK_OFFLINE,
    [SCST_TG_STATE_TRANSITIONING] = SCST_ALUA_OK_TRANSITIONING,
};

uint16_t scst_tg_tgt_rel_id(const struct scst_tg_tgt *tt)
{
	uint16_t id = __atomic_load_n(&tt->rel_tgt_id, __ATOMIC_RELAXED);

	if (id || !tt->tgt)
		return id;
	return __atomic_load_n(&tt->tgt->rel_tgt_id, __ATOMIC_RELAXED);
}

/* The target group of @dg holding @tgt, or NULL (scst_mutex or read lock). */
static struct scst_target_group *scst_alua_tg_of(struct scst_dev_group *dg,
						 const struct scst_tgt *tgt)
{
	struct scst_target_group *tg;
	struct scst_tg_tgt *tt;

	scst_list_for_each_entry (tg, &dg->tgs, entry)
		scst_list_for_each_entry (tt, &tg->tgts, entry)
			if (tt->tgt == tgt)
				return tg;
	return NULL;
}

static enum scst_tg_state scst_alua_state_in(struct scst_dev_group *dg,
					     const struct scst_tgt *tgt)
{
	struct scst_target_group *tg = dg ? scst_alua_tg_of(dg, tgt) : NULL;

	return tg ? __atomic_load_n(&tg->state, __ATOMIC_RELAXED)
		  : SCST_TG_STATE_OPTIMIZED;
}

enum scst_tg_state scst_alua_nexus_state(struct scst_device *dev,
					 struct scst_tgt *tgt)
{
	return scst_alua_state_in(scst_dg_of_dev(dev), tgt);
}

/*
 * Recompute the cached state of every nexus of @dev and, with @ua, raise
 * ASYMMETRIC ACCESS STATE CHANGED on each but those of session @except.
 */
static void scst_alua_dev_update(struct scst_device *dev, bool ua,
				 const struct scst_session *except)
{
	struct scst_dev_group *dg = scst_dg_of_dev(dev);
	struct scst_tgt_dev *tgt_dev;

	scst_spin_lock(&dev->lock);
	scst_list_for_each_entry (tgt_dev, &dev->tgt_dev_list, dev_entry) {
		enum scst_tg_state st =
		    scst_alua_state_in(dg, tgt_dev->sess->tgt);

		__atomic_store_n(&tgt_dev->alua_state, (uint8_t)st,
				 __ATOMIC_RELAXED);
		if (ua && tgt_dev->sess != except)
			scst_ua_queue(
			    tgt_dev,
			    SCST_LOAD_SENSE(scst_sense_asym_access_changed_UA));
	}
	scst_spin_unlock(&dev->lock);
}

void scst_alua_dev_changed(struct scst_device *dev, bool ua)
{
	scst_alua_dev_update(dev, ua, NULL);
}

void scst_alua_dg_changed(struct scst_dev_group *dg, bool ua)
{
	struct scst_dg_dev *dd;

	scst_list_for_each_entry (dd, &dg->devs, entry)
		scst_alua_dev_changed(dd->dev, ua);
}

bool scst_alua_check(struct scst_cmd *cmd)
{
	enum scst_tg_state st =
	    __atomic_load_n(&cmd->tgt_dev->alua_state, __ATOMIC_RELAXED);

	if (st == SCST_TG_STATE_OPTIMIZED || st == SCST_TG_STATE_NONOPTIMIZED)
		return false;
	if (st >= SCST_TG_STATE_COUNT ||
	    (cmd->cdb_info->alua & scst_alua_row_bit[st]))
		return false;
	scst_set_cmd_error(cmd, NOT_READY, 0x04, scst_alua_ascq[st]);
	return true;
}

/* ------------------------------------------------- command-path reads ---- */

/* Members REPORT TARGET PORT GROUPS can name (at most 255 per group). */
static unsigned int scst_alua_tg_ports(const struct scst_target_group *tg)
{
	const struct scst_tg_tgt *tt;
	unsigned int n = 0;

	scst_list_for_each_entry (tt, &tg->tgts, entry)
		if (n < 255 && scst_tg_tgt_rel_id(tt))
			n++;
	return n;
}

/* Bytes of the descriptors of @dg (under the read lock). */
static size_t scst_alua_desc_len(const struct scst_dev_group *dg)
{
	const struct scst_target_group *tg;
	size_t len = 0;

	scst_list_for_each_entry (tg, &dg->tgs, entry)
		len += 8 + 4 * (size_t)scst_alua_tg_ports(tg);
	return len;
}

/* Write the descriptors of @dg to @p (scst_alua_desc_len() bytes). */
static void scst_alua_fill(const struct scst_dev_group *dg, uint8_t *p)
{
	const struct scst_target_group *tg;
	const struct scst_tg_tgt *tt;

	scst_list_for_each_entry (tg, &dg->tgs, entry) {
		enum scst_tg_state st =
		    __atomic_load_n(&tg->state, __ATOMIC_RELAXED);
		unsigned int n = scst_alua_tg_ports(tg), i = 0;

		p[0] = (__atomic_load_n(&tg->preferred, __ATOMIC_RELAXED) ? 0x80
									  : 0) |
		       scst_alua_codes[st];
		p[1] = SCST_ALUA_SUP_STATES;
		scst_put_be16(p + 2,
			      __atomic_load_n(&tg->group_id, __ATOMIC_RELAXED));
		p[5] = __atomic_load_n(&tg->status, __ATOMIC_RELAXED);
		p[7] = (uint8_t)n;
		p += 8;
		scst_list_for_each_entry (tt, &tg->tgts, entry) {
			uint16_t id = scst_tg_tgt_rel_id(tt);

			if (!id || i == n)
				continue;
			scst_put_be16(p + 2, id);
			p += 4;
			i++;
		}
	}
}

void scst_alua_report_tpgs(struct scst_cmd *cmd)
{
	uint8_t format = cmd->cdb[1] >> 5;
	size_t hdr = format == 1 ? 8 : 4, len, room = 0;
	struct scst_dev_group *dg;
	uint8_t *buf = NULL;

	if (format > 1) {
		scst_set_invalid_field_in_cdb(cmd, 1, 7);
		return;
	}
	for (;;) {
		scst_read_lock(&scst_dg_lock);
		dg = scst_dg_of_dev(cmd->dev);
		if (!dg) {
			scst_read_unlock(&scst_dg_lock);
			/* TPGS 00b: not supported by this LU. */
			scst_set_invalid_field_in_cdb(cmd, 1, 4);
			scst_os_free(buf);
			return;
		}
		len = hdr + scst_alua_desc_len(dg);
		if (buf && len <= room) {
			memset(buf, 0, len);
			scst_alua_fill(dg, buf + hdr);
			scst_read_unlock(&scst_dg_lock);
			break;
		}
		scst_read_unlock(&scst_dg_lock);
		/* Allocate outside the lock; the groups may change meanwhile.
		 */
		scst_os_free(buf);
		room = len + 64;
		buf = scst_os_alloc(room);
		if (!buf) {
			scst_set_cmd_error_status(cmd, SAM_STAT_BUSY);
			return;
		}
	}
	scst_put_be32(buf, (uint32_t)(len - 4));
	if (format == 1) {
		buf[4] = 0x10; /* FORMAT TYPE 001b */
		buf[5] = SCST_ALUA_IMPLICIT_TRANSITION_SECS;
	}
	scst_cmd_copy_to_buf(cmd, buf, (uint32_t)len);
	scst_os_free(buf);
}

/* ------------------------------------------ SET TARGET PORT GROUPS ---- */

#define SCST_STPG_HDR_LEN  4 /* reserved header of the parameter list */
#define SCST_STPG_DESC_LEN 4 /* one target port group descriptor */

/*
 * The state a descriptor's ASYMMETRIC ACCESS STATE code asks for, or
 * SCST_TG_STATE_COUNT when it may not be asked for: codes 0h-3h whose
 * supported bit (AO_SUP, AN_SUP, S_SUP, U_SUP: bits 0-3 of RTPG byte 1)
 * is set. Eh (offline) is a secondary state and Fh (transitioning) is
 * never requested (SPC-4 6.36); 4h (logical block dependent) is not
 * supported; the rest is reserved.
 */
static enum scst_tg_state scst_alua_requested_state(uint8_t code)
{
	if (code > 0x3 || !(SCST_ALUA_SUP_STATES & (1u << code)))
		return SCST_TG_STATE_COUNT;
	return code == 0x0   ? SCST_TG_STATE_OPTIMIZED
	       : code == 0x1 ? SCST_TG_STATE_NONOPTIMIZED
	       : code == 0x2 ? SCST_TG_STATE_STANDBY
			     : SCST_TG_STATE_UNAVAILABLE;
}

/* The target group of @dg with group id @id (not 0: unset), or NULL. */
static struct scst_target_group *scst_alua_tg_by_id(struct scst_dev_group *dg,
						    uint16_t id)
{
	struct scst_target_group *tg;

	if (!id)
		return NULL;
	scst_list_for_each_entry (tg, &dg->tgs, entry)
		if (__atomic_load_n(&tg->group_id, __ATOMIC_RELAXED) == id)
			return tg;
	return NULL;
}

/*
 * Under scst_mutex: check every descriptor of @p (@len bytes, header
 * included), leaving in each named group's stpg_state the state asked
 * for. False with the command's sense set at the first bad field.
 */
static bool scst_alua_stpg_check(struct scst_cmd *cmd,
				 struct scst_dev_group *dg, const uint8_t *p,
				 uint32_t len)
{
	struct scst_target_group *tg;
	uint32_t off;

	scst_list_for_each_entry (tg, &dg->tgs, entry)
		tg->stpg_state = SCST_TG_STATE_COUNT;
	for (off = SCST_STPG_HDR_LEN; off < len; off += SCST_STPG_DESC_LEN) {
		enum scst_tg_state st =
		    scst_alua_requested_state(p[off] & 0x0f);

		if (st == SCST_TG_STATE_COUNT) {
			/* ASYMMETRIC ACCESS STATE: byte 0 bits 3-0. */
			scst_set_invalid_field_in_parm_list(cmd, off, 3);
			return false;
		}
		tg = scst_alua_tg_by_id(dg, scst_get_be16(p + off + 2));
		if (!tg || tg->stpg_state != SCST_TG_STATE_COUNT) {
			/* No such group, or named twice: bytes 2-3. */
			scst_set_invalid_field_in_parm_list(cmd, off + 2, 7);
			return false;
		}
		tg->stpg_state = (uint8_t)st;
	}
	return true;
}

/* Under scst_mutex: apply what scst_alua_stpg_check() left; changed? */
static bool scst_alua_stpg_apply(struct scst_dev_group *dg)
{
	struct scst_target_group *tg;
	bool changed = false;

	scst_write_lock(&scst_dg_lock);
	scst_list_for_each_entry (tg, &dg->tgs, entry) {
		enum scst_tg_state st = (enum scst_tg_state)tg->stpg_state;

		tg->stpg_state = SCST_TG_STATE_COUNT;
		if (st == SCST_TG_STATE_COUNT ||
		    st == __atomic_load_n(&tg->state, __ATOMIC_RELAXED))
			continue;
		__atomic_store_n(&tg->state, st, __ATOMIC_RELAXED);
		__atomic_store_n(&tg->status, SCST_TG_STATUS_EXPLICIT,
				 __ATOMIC_RELAXED);
		changed = true;
	}
	scst_write_unlock(&scst_dg_lock);
	return changed;
}

void scst_alua_set_tpgs(struct scst_cmd *cmd)
{
	uint32_t len = scst_get_be32(cmd->cdb + 6);
	struct scst_dev_group *dg;
	struct scst_dg_dev *dd;
	uint8_t *p = NULL;

	if (len > cmd->bufflen)
		len = cmd->bufflen;
	if (len) {
		p = scst_os_alloc(len);
		if (!p) {
			scst_set_cmd_error_status(cmd, SAM_STAT_BUSY);
			return;
		}
		scst_cmd_copy_from_buf(cmd, p, len);
	}
	scst_mutex_lock(&scst_mutex);
	dg = scst_dg_of_dev(cmd->dev);
	if (!dg || !scst_dev_expl_alua(cmd->dev)) {
		/* TPGS 00b or 01b: the service action is not supported. */
		scst_set_invalid_field_in_cdb(cmd, 1, 4);
		goto out;
	}
	/* 0: no change, not an error (SPC-4 6.36). */
	if (!len)
		goto out;
	if (len < SCST_STPG_HDR_LEN ||
	    (len - SCST_STPG_HDR_LEN) % SCST_STPG_DESC_LEN) {
		/* The length cuts the header or a descriptor. */
		scst_set_cmd_error(
		    cmd,
		    SCST_LOAD_SENSE(scst_sense_parameter_list_length_invalid));
		goto out;
	}
	if (!scst_alua_stpg_check(cmd, dg, p, len))
		goto out;
	if (scst_alua_stpg_apply(dg))
		scst_list_for_each_entry (dd, &dg->devs, entry)
			scst_alua_dev_update(dd->dev, true, cmd->sess);
out:
	scst_mutex_unlock(&scst_mutex);
	scst_os_free(p);
}

/* ---------------------------------------------- the handlers' calls ---- */

uint8_t scst_dev_tpgs(struct scst_device *dev)
{
	bool in;

	scst_read_lock(&scst_dg_lock);
	in = scst_dg_of_dev(dev) != NULL;
	scst_read_unlock(&scst_dg_lock);
	if (!in)
		return 0;
	return SCST_TPGS_IMPLICIT |
	       (scst_dev_expl_alua(dev) ? SCST_TPGS_EXPLICIT : 0);
}

bool scst_dev_expl_alua(struct scst_device *dev)
{
	return __atomic_load_n(&dev->expl_alua, __ATOMIC_RELAXED);
}

void scst_dev_set_expl_alua(struct scst_device *dev, bool on)
{
	bool in;

	if (__atomic_exchange_n(&dev->expl_alua, on, __ATOMIC_RELAXED) == on)
		return;
	scst_read_lock(&scst_dg_lock);
	in = scst_dg_of_dev(dev) != NULL;
	scst_read_unlock(&scst_dg_lock);
	/* The TPGS field of the standard INQUIRY data changed (SPC-4 6.4.2). */
	if (in)
		scst_dev_set_ua(
		    dev, SCST_LOAD_SENSE(scst_sense_inquiry_data_changed_UA));
}

unsigned int scst_cmd_put_port_desigs(const struct scst_cmd *cmd, uint8_t *p)
{
	uint8_t *d;
	uint16_t tpg;

	d = scst_spc_desig(p, SCST_DESIG_CODE_BINARY,
			   SCST_DESIG_ASSOC_TGT_PORT | SCST_DESIG_REL_TGT_PORT,
			   4);
	memset(d, 0, 4);
	scst_put_be16(d + 2, scst_tgt_rel_tgt_id(cmd->sess->tgt));
	if (scst_cmd_tgt_port_group(cmd, &tpg))
		return 8;
	d = scst_spc_desig(
	    d + 4, SCST_DESIG_CODE_BINARY,
	    SCST_DESIG_ASSOC_TGT_PORT | SCST_DESIG_TGT_PORT_GROUP, 4);
	memset(d, 0, 4);
	scst_put_be16(d + 2, tpg);
	return 16;
}

int scst_cmd_tgt_port_group(const struct scst_cmd *cmd, uint16_t *group_id)
{
	struct scst_target_group *tg = NULL;
	struct scst_dev_group *dg;

	if (!cmd->dev)
		return -ENOENT;
	scst_read_lock(&scst_dg_lock);
	dg = scst_dg_of_dev(cmd->dev);
	if (dg)
		tg = scst_alua_tg_of(dg, cmd->sess->tgt);
	if (tg)
		*group_id = __atomic_load_n(&tg->group_id, __ATOMIC_RELAXED);
	scst_read_unlock(&scst_dg_lock);
	return tg ? 0 : -ENOENT;
}
