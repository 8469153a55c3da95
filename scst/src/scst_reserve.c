// SPDX-License-Identifier: GPL-2.0-only
/*
 * SPC-2 reservations (RESERVE(6)/(10), RELEASE(6)/(10)), the reservation
 * state of a device, and the conflict check every command passes before
 * it executes (PRE_EXEC, before the unit attention check, so that a
 * conflicting command leaves pending unit attentions in place).
 *
 * SPC-2 reservations (SPC-2 5.5.2, 7.21, 7.22):
 *  - RESERVE from the holder is GOOD again; from another I_T nexus it
 *    conflicts. RELEASE from the holder ends the reservation; from any
 *    other nexus it is GOOD and does nothing.
 *  - Third-party reservations (3RDPTY, LONGID) and extents are not
 *    supported: INVALID FIELD IN CDB.
 *  - LOGICAL UNIT RESET, TARGET RESET and the loss of the holder's I_T
 *    nexus (its session ends, or I_T NEXUS RESET) end the reservation.
 *  - What another nexus may do meanwhile: the SPC-2 bit of the opcode
 *    rows' reservation column (scst_cdb_res_rule()).
 *
 * With persistent reservations (SPC-3 5.6.3, the CRH bit of REPORT
 * CAPABILITIES): while any I_T nexus is registered, RESERVE and RELEASE
 * conflict for every nexus; while an SPC-2 reservation exists,
 * PERSISTENT RESERVE IN and OUT conflict for every nexus.
 */
#include "scst_pr.h"

/* Devices with an SPC-2 reservation, to end them at nexus loss. */
static struct scst_spinlock scst_res2_lock;
static SCST_LIST_HEAD_DEF(scst_res2_list);

void scst_res_init(void)
{
	scst_spin_init(&scst_res2_lock);
}

void scst_res_exit(void)
{
	scst_spin_destroy(&scst_res2_lock);
}

void scst_pr_update_active(struct scst_pr_dev *pr)
{
	__atomic_store_n(&pr->active,
			 pr->nregs || pr->holder || pr->res2_holder,
			 __ATOMIC_RELEASE);
}

bool scst_pr_type_all_regs(uint8_t type)
{
	return type == SCST_PR_TYPE_WE_AR || type == SCST_PR_TYPE_EA_AR;
}

static bool scst_pr_type_regs_only(uint8_t type)
{
	return type == SCST_PR_TYPE_WE_RO || type == SCST_PR_TYPE_EA_RO;
}

static bool scst_pr_type_excl_access(uint8_t type)
{
	return type == SCST_PR_TYPE_EA || type == SCST_PR_TYPE_EA_RO ||
	       type == SCST_PR_TYPE_EA_AR;
}

bool scst_pr_is_holder(const struct scst_pr_dev *pr,
		       const struct scst_pr_reg *reg)
{
	if (!reg || !pr->holder)
		return false;
	return pr->holder == reg || scst_pr_type_all_regs(pr->type);
}

/*
 * Under pr->lock. SPC-4 5.7.3, exceptions to SPC-2 RESERVE and RELEASE:
 * from the persistent reservation holder, or from a registered I_T nexus
 * under a Registrants Only or All Registrants reservation, RESERVE and
 * RELEASE complete with GOOD and change nothing. Otherwise any
 * registration makes them conflict, and without one SPC-2 applies.
 */
static bool scst_res2_pr_noop_locked(struct scst_pr_dev *pr,
				     struct scst_session *sess)
{
	struct scst_pr_reg *reg;

	if (!pr->holder)
		return false;
	reg = scst_pr_find_reg(pr, sess);
	return reg && (scst_pr_is_holder(pr, reg) ||
		       scst_pr_type_regs_only(pr->type) ||
		       scst_pr_type_all_regs(pr->type));
}

/* Under pr->lock. */
static bool scst_res_conflict_locked(struct scst_pr_dev *pr,
				     struct scst_session *sess,
				     unsigned int rule, uint64_t id)
{
	struct scst_pr_reg *reg;
	unsigned int need;

	if (pr->res2_holder) {
		if (rule & SCST_RES_F_PR)
			return true;
		if (pr->res2_holder != id && !(rule & SCST_RES_OK_SPC2))
			return true;
	}
	if (pr->nregs && (rule & SCST_RES_F_SPC2))
		return !scst_res2_pr_noop_locked(pr, sess);
	if (!pr->holder)
		return false;
	reg = scst_pr_find_reg(pr, sess);
	if (scst_pr_is_holder(pr, reg))
		return false;
	/* "From registered I_T nexus" under RO and AR types: allowed. */
	if (reg && (scst_pr_type_regs_only(pr->type) ||
		    scst_pr_type_all_regs(pr->type)))
		return false;
	need = scst_pr_type_excl_access(pr->type) ? SCST_RES_OK_EA
						  : SCST_RES_OK_WE;
	return !(rule & need);
}

bool scst_res_check(struct scst_cmd *cmd)
{
	struct scst_pr_dev *pr = cmd->dev ? cmd->dev->pr : NULL;
	unsigned int rule, len;
	uint64_t id;
	bool conflict;

	if (!pr || !__atomic_load_n(&pr->active, __ATOMIC_ACQUIRE))
		return false;
	rule = scst_cdb_res_rule(cmd->cdb_info, cmd->cdb, cmd->cdb_len);
	id = scst_res_sess_id(cmd->sess);
	scst_pr_sess_tid(cmd->sess, &len); /* fill the cache unlocked */
	scst_spin_lock(&pr->lock);
	conflict = scst_res_conflict_locked(pr, cmd->sess, rule, id);
	scst_spin_unlock(&pr->lock);
	if (conflict)
		scst_set_cmd_error_status(cmd, SAM_STAT_RESERVATION_CONFLICT);
	return conflict;
}

bool scst_dev_reservation_conflict(struct scst_device *dev,
				   struct scst_session *sess)
{
	struct scst_pr_dev *pr = dev ? dev->pr : NULL;
	unsigned int len;
	bool conflict;

	if (!pr || !sess || !__atomic_load_n(&pr->active, __ATOMIC_ACQUIRE))
		return false;
	scst_pr_sess_tid(sess, &len); /* fill the cache unlocked */
	scst_spin_lock(&pr->lock);
	/* Rule 0: no exception applies, as for a command that writes. */
	conflict =
	    scst_res_conflict_locked(pr, sess, 0, scst_res_sess_id(sess));
	scst_spin_unlock(&pr->lock);
	return conflict;
}

/* ------------------------------------------------------ SPC-2 ---- */

/* Under pr->lock. */
static void scst_res2_set(struct scst_pr_dev *pr, uint64_t id)
{
	if (!pr->res2_holder) {
		scst_spin_lock(&scst_res2_lock);
		scst_list_add_tail(&pr->res2_entry, &scst_res2_list);
		scst_spin_unlock(&scst_res2_lock);
	}
	pr->res2_holder = id;
	scst_pr_update_active(pr);
}

/* Under pr->lock. */
static void scst_res2_clear(struct scst_pr_dev *pr)
{
	if (!pr->res2_holder)
		return;
	scst_spin_lock(&scst_res2_lock);
	scst_list_del_init(&pr->res2_entry);
	scst_spin_unlock(&scst_res2_lock);
	pr->res2_holder = 0;
	scst_pr_update_active(pr);
}

/* RESERVE(10)/RELEASE(10): no third-party reservation (SPC-2 7.21.2). */
static bool scst_res_cdb_ok(struct scst_cmd *cmd)
{
	if (cmd->cdb[0] != RESERVE_10 && cmd->cdb[0] != RELEASE_10)
		return true;
	if (cmd->cdb[1] & 0x10) {
		scst_set_invalid_field_in_cdb(cmd, 1, 4); /* 3RDPTY */
		return false;
	}
	if (cmd->cdb[1] & 0x02) {
		scst_set_invalid_field_in_cdb(cmd, 1, 1); /* LONGID */
		return false;
	}
	return true;
}

void scst_res_reserve(struct scst_cmd *cmd)
{
	struct scst_pr_dev *pr = cmd->dev->pr;
	uint64_t id = scst_res_sess_id(cmd->sess);
	bool conflict;

	if (!scst_res_cdb_ok(cmd))
		return;
	scst_mutex_lock(&pr->mutex);
	scst_spin_lock(&pr->lock);
	if (scst_res2_pr_noop_locked(pr, cmd->sess)) {
		conflict = false; /* GOOD, nothing reserved (SPC-4 5.7.3) */
	} else {
		conflict = pr->nregs || pr->holder ||
			   (pr->res2_holder && pr->res2_holder != id);
		if (!conflict)
			scst_res2_set(pr, id);
	}
	scst_spin_unlock(&pr->lock);
	scst_mutex_unlock(&pr->mutex);
	if (conflict)
		scst_set_cmd_error_status(cmd, SAM_STAT_RESERVATION_CONFLICT);
}

void scst_res_release(struct scst_cmd *cmd)
{
	struct scst_pr_dev *pr = cmd->dev->pr;
	uint64_t id = scst_res_sess_id(cmd->sess);
	bool conflict;

	if (!scst_res_cdb_ok(cmd))
		return;
	scst_mutex_lock(&pr->mutex);
	scst_spin_lock(&pr->lock);
	/* The holder's RELEASE leaves its persistent reservation (5.7.3). */
	conflict = pr->nregs != 0 && !scst_res2_pr_noop_locked(pr, cmd->sess);
	if (!conflict && pr->res2_holder == id)
		scst_res2_clear(pr);
	scst_spin_unlock(&pr->lock);
	scst_mutex_unlock(&pr->mutex);
	if (conflict)
		scst_set_cmd_error_status(cmd, SAM_STAT_RESERVATION_CONFLICT);
}

void scst_res_dev_reset(struct scst_device *dev)
{
	struct scst_pr_dev *pr = dev->pr;

	if (!pr)
		return;
	scst_spin_lock(&pr->lock);
	scst_res2_clear(pr);
	scst_spin_unlock(&pr->lock);
}

void scst_res_nexus_loss(struct scst_session *sess)
{
	uint64_t id = __atomic_load_n(&sess->res_id, __ATOMIC_ACQUIRE);
	struct scst_pr_dev *pr;
	bool again = true;

	if (!id)
		return; /* it never asked for a reservation */
	while (again) {
		again = false;
		scst_spin_lock(&scst_res2_lock);
		scst_list_for_each_entry (pr, &scst_res2_list, res2_entry) {
			if (pr->res2_holder != id)
				continue;
			/* pr->lock comes first: drop ours, then recheck. */
			scst_list_del_init(&pr->res2_entry);
			scst_spin_unlock(&scst_res2_lock);
			scst_spin_lock(&pr->lock);
			if (pr->res2_holder == id) {
				pr->res2_holder = 0;
				scst_pr_update_active(pr);
			}
			scst_spin_unlock(&pr->lock);
			again = true;
			break;
		}
		if (!again)
			scst_spin_unlock(&scst_res2_lock);
	}
}

/* ---------------------------------------------------- device life ---- */

int scst_pr_dev_init(struct scst_device *dev)
{
	struct scst_pr_dev *pr = scst_os_zalloc(sizeof(*pr));
	int rc;

	if (!pr)
		return -ENOMEM;
	pr->dev = dev;
	scst_mutex_init(&pr->mutex);
	scst_spin_init(&pr->lock);
	scst_list_init(&pr->regs);
	scst_list_init(&pr->res2_entry);
	dev->pr = pr;
	rc = scst_pr_aptpl_load(pr);
	if (rc)
		scst_warn("scst: %s: persistent reservations not restored: %d",
			  dev->name, rc);
	return 0;
}

void scst_pr_dev_exit(struct scst_device *dev)
{
	struct scst_pr_dev *pr = dev->pr;
	struct scst_pr_reg *reg, *tmp;

	if (!pr)
		return;
	scst_spin_lock(&pr->lock);
	scst_res2_clear(pr);
	scst_spin_unlock(&pr->lock);
	scst_list_for_each_entry_safe (reg, tmp, &pr->regs, entry) {
		scst_list_del_init(&reg->entry);
		scst_os_free(reg);
	}
	scst_spin_destroy(&pr->lock);
	scst_mutex_destroy(&pr->mutex);
	scst_os_free(pr);
	dev->pr = NULL;
}
