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
 *    atomic load. The commands each state lets through are the table of
 *    scst_alua_table.c; the others end with CHECK CONDITION, NOT READY and
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
 *  - SET TARGET PORT GROUPS is not supported (TPGS 01b, implicit only): the
 *    command is not in any handler, so it ends with INVALID COMMAND
 *    OPERATION CODE.
 *  - Unit attention ASYMMETRIC ACCESS STATE CHANGED (2Ah/06h) on every
 *    nexus of every device of the device group whenever what REPORT
 *    TARGET PORT GROUPS returns changes (state, preferred, group id,
 *    members, groups); scst_dg.c adds INQUIRY DATA HAS CHANGED (3Fh/03h)
 *    when a device joins or leaves a device group.
 */
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

void scst_alua_dev_changed(struct scst_device *dev, bool ua)
{
	struct scst_dev_group *dg = scst_dg_of_dev(dev);
	struct scst_tgt_dev *tgt_dev;

	scst_spin_lock(&dev->lock);
	scst_list_for_each_entry (tgt_dev, &dev->tgt_dev_list, dev_entry) {
		enum scst_tg_state st =
		    scst_alua_state_in(dg, tgt_dev->sess->tgt);

		__atomic_store_n(&tgt_dev->alua_state, (uint8_t)st,
				 __ATOMIC_RELAXED);
		if (ua)
			scst_ua_queue(
			    tgt_dev,
			    SCST_LOAD_SENSE(scst_sense_asym_access_changed_UA));
	}
	scst_spin_unlock(&dev->lock);
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
	    scst_alua_allowed(st, cmd->cdb, cmd->cdb_len))
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

/* ---------------------------------------------- the handlers' calls ---- */

uint8_t scst_dev_tpgs(struct scst_device *dev)
{
	bool in;

	scst_read_lock(&scst_dg_lock);
	in = scst_dg_of_dev(dev) != NULL;
	scst_read_unlock(&scst_dg_lock);
	return in ? SCST_TPGS_IMPLICIT : 0;
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
