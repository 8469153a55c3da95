// SPDX-License-Identifier: GPL-2.0-only
/*
 * PERSISTENT RESERVE OUT (SPC-4 5.13 and 6.16): REGISTER, REGISTER AND
 * IGNORE EXISTING KEY, RESERVE, RELEASE, CLEAR, PREEMPT, PREEMPT AND ABORT
 * and REGISTER AND MOVE, for the reservation types Write Exclusive,
 * Exclusive Access and their Registrants Only and All Registrants forms,
 * LU_SCOPE only.
 *
 * A registration belongs to an I_T nexus: the initiator port's TransportID
 * (scst_pr_tid.c) and the relative target port identifier of the target
 * (rel_tgt_id), or every target port with ALL_TG_PT. Registrations outlive
 * sessions; they end with CLEAR, PREEMPT, unregistration, REGISTER AND
 * MOVE with UNREG, or the device's removal (and power loss without APTPL:
 * scst_pr_aptpl.c keeps them otherwise).
 *
 * Facts used (SPC-4 r37):
 *  - 5.13.7: the PRgeneration counts every successful REGISTER, REGISTER
 *    AND IGNORE EXISTING KEY, CLEAR, PREEMPT, PREEMPT AND ABORT and
 *    REGISTER AND MOVE; RESERVE and RELEASE leave it alone.
 *  - 5.13.10: an All Registrants reservation is held by every registered
 *    nexus and ends with the last registration; others end when their
 *    holder unregisters (a Registrants Only one with RESERVATIONS RELEASED
 *    for the other registrants).
 *  - 5.13.11: RELEASE by the holder with another type: INVALID RELEASE OF
 *    PERSISTENT RESERVATION; by a registered non-holder: GOOD, nothing
 *    happens; of a Registrants Only or All Registrants reservation:
 *    RESERVATIONS RELEASED for every other registered nexus. CLEAR:
 *    RESERVATIONS PREEMPTED for every other registered nexus.
 *  - 5.13.12: PREEMPT of the holder's key takes over the reservation with
 *    the CDB's type and removes the registrations of that key; of another
 *    key it only removes registrations; SERVICE ACTION RESERVATION KEY zero
 *    is only valid against an All Registrants reservation (else INVALID
 *    FIELD IN PARAMETER LIST); no registration of that key: RESERVATION
 *    CONFLICT. The nexuses that lose a registration get REGISTRATIONS
 *    PREEMPTED; when the type changes, the other remaining registrants get
 *    RESERVATIONS RELEASED. PREEMPT AND ABORT also aborts every command of
 *    the preempted nexuses (as a task management function, TAS applies).
 *  - 6.16.3: parameter list of 24 bytes, more only with SPEC_I_PT
 *    (TRANSPORTID PARAMETER DATA LENGTH at byte 24); other lengths:
 *    PARAMETER LIST LENGTH ERROR. SPEC_I_PT outside REGISTER: INVALID FIELD
 *    IN PARAMETER LIST. ALL_TG_PT and APTPL only for the register actions.
 *  - 6.16.4: REGISTER AND MOVE parameter list (UNREG, APTPL, RELATIVE
 *    TARGET PORT IDENTIFIER, one TransportID); only the holder of a
 *    reservation other than All Registrants may move it.
 */
#include "scst_pr.h"

#define SCST_PR_PARAM_LEN 24

struct scst_pr_out {
	struct scst_cmd *cmd;
	struct scst_pr_dev *pr;
	uint8_t sa, scope, type;
	uint64_t rkey, sakey;
	bool spec_i_pt, all_tg_pt, aptpl, unreg;
	uint16_t rel;	     /* REGISTER AND MOVE */
	const uint8_t *tids; /* SPEC_I_PT / REGISTER AND MOVE */
	unsigned int tids_len;
	struct scst_pr_reg *self; /* the issuing nexus' registration */
	/* Registrations taken away; UAs and aborts go to their nexuses. */
	struct scst_list_head gone;
	uint8_t gone_asc, gone_ascq;
	bool abort; /* PREEMPT AND ABORT */
};

/* ------------------------------------------------------- lookups ---- */

static bool scst_pr_reg_match(const struct scst_pr_reg *reg, const uint8_t *tid,
			      unsigned int len, uint16_t rel)
{
	return (reg->all_tg_pt || reg->rel_tgt_id == rel) &&
	       scst_pr_tid_equal(reg->tid, reg->tid_len, tid, len);
}

static struct scst_pr_reg *scst_pr_find_tid(struct scst_pr_dev *pr,
					    const uint8_t *tid,
					    unsigned int len, uint16_t rel)
{
	struct scst_pr_reg *reg;

	scst_list_for_each_entry (reg, &pr->regs, entry)
		if (scst_pr_reg_match(reg, tid, len, rel))
			return reg;
	return NULL;
}

struct scst_pr_reg *scst_pr_find_reg(struct scst_pr_dev *pr,
				     struct scst_session *sess)
{
	unsigned int len;
	const uint8_t *tid = scst_pr_sess_tid(sess, &len);

	return scst_pr_find_tid(pr, tid, len, sess->tgt->rel_tgt_id);
}

struct scst_pr_reg *scst_pr_reg_alloc(uint64_t key, const uint8_t *tid,
				      unsigned int tid_len, uint16_t rel,
				      bool all_tg_pt)
{
	struct scst_pr_reg *reg;

	if (tid_len > SCST_TID_MAX)
		return NULL;
	reg = scst_os_zalloc(sizeof(*reg));
	if (!reg)
		return NULL;
	scst_list_init(&reg->entry);
	reg->key = key;
	reg->rel_tgt_id = rel;
	reg->all_tg_pt = all_tg_pt;
	reg->tid_len = (uint16_t)tid_len;
	memcpy(reg->tid, tid, tid_len);
	return reg;
}

/* ---------------------------------------------------- state changes ---- */
/* All under pr->mutex; each takes pr->lock around what the check reads. */

static void scst_pr_add(struct scst_pr_dev *pr, struct scst_pr_reg *reg)
{
	scst_spin_lock(&pr->lock);
	scst_list_add_tail(&reg->entry, &pr->regs);
	pr->nregs++;
	scst_pr_update_active(pr);
	scst_spin_unlock(&pr->lock);
}

static void scst_pr_set_holder(struct scst_pr_dev *pr,
			       struct scst_pr_reg *holder, uint8_t type)
{
	scst_spin_lock(&pr->lock);
	pr->holder = holder;
	pr->type = holder ? type : 0;
	scst_pr_update_active(pr);
	scst_spin_unlock(&pr->lock);
}

/*
 * Take @reg off the list onto @o->gone. A reservation it held ends, or
 * passes to another registrant when it is an All Registrants one.
 * Returns true if a Registrants Only reservation ended with it.
 */
static bool scst_pr_remove(struct scst_pr_out *o, struct scst_pr_reg *reg)
{
	struct scst_pr_dev *pr = o->pr;
	bool ro_released = false;

	scst_spin_lock(&pr->lock);
	scst_list_del_init(&reg->entry);
	pr->nregs--;
	if (pr->holder == reg) {
		if (scst_pr_type_all_regs(pr->type) && pr->nregs) {
			pr->holder = scst_list_first_entry(
			    &pr->regs, struct scst_pr_reg, entry);
		} else {
			ro_released = pr->type == SCST_PR_TYPE_WE_RO ||
				      pr->type == SCST_PR_TYPE_EA_RO;
			pr->holder = NULL;
			pr->type = 0;
		}
	}
	scst_pr_update_active(pr);
	scst_spin_unlock(&pr->lock);
	scst_list_add_tail(&reg->entry, &o->gone);
	return ro_released;
}

static void scst_pr_bump(struct scst_pr_dev *pr)
{
	pr->generation++;
}

/* ------------------------------------------------ unit attentions ---- */

static bool scst_pr_nexus_in(struct scst_tgt_dev *td,
			     const struct scst_list_head *regs)
{
	const struct scst_pr_reg *reg;
	unsigned int len;
	const uint8_t *tid = scst_pr_sess_tid(td->sess, &len);

	scst_list_for_each_entry (reg, regs, entry)
		if (scst_pr_reg_match(reg, tid, len, td->sess->tgt->rel_tgt_id))
			return true;
	return false;
}

/* A UA for every nexus of the device in @regs, but @except's session. */
static void scst_pr_ua(struct scst_pr_dev *pr,
		       const struct scst_list_head *regs,
		       const struct scst_session *except, uint8_t asc,
		       uint8_t ascq)
{
	struct scst_device *dev = pr->dev;
	struct scst_tgt_dev *td;

	scst_spin_lock(&dev->lock);
	scst_list_for_each_entry (td, &dev->tgt_dev_list, dev_entry)
		if (td->sess != except && scst_pr_nexus_in(td, regs))
			scst_ua_queue(td, UNIT_ATTENTION, asc, ascq);
	scst_spin_unlock(&dev->lock);
}

/* The nexuses of the device that lost a registration, referenced. */
static unsigned int scst_pr_gone_nexuses(struct scst_pr_out *o,
					 struct scst_tgt_dev ***out)
{
	struct scst_device *dev = o->pr->dev;
	struct scst_tgt_dev *td, **v;
	unsigned int n, cap = 0;

	scst_spin_lock(&dev->lock);
	scst_list_for_each_entry (td, &dev->tgt_dev_list, dev_entry)
		cap++;
	scst_spin_unlock(&dev->lock);
again:
	v = scst_os_alloc((cap + 1) * sizeof(*v));
	if (!v)
		return 0;
	n = 0;
	scst_spin_lock(&dev->lock);
	scst_list_for_each_entry (td, &dev->tgt_dev_list, dev_entry) {
		if (!scst_pr_nexus_in(td, &o->gone))
			continue;
		if (n == cap) {
			scst_spin_unlock(&dev->lock);
			while (n)
				scst_tgt_dev_put(v[--n]);
			scst_os_free(v);
			cap = cap * 2 + 4;
			goto again;
		}
		if (scst_tgt_dev_tryget(td))
			v[n++] = td;
	}
	scst_spin_unlock(&dev->lock);
	*out = v;
	return n;
}

/* ------------------------------------------------ service actions ---- */

static void scst_pr_conflict(struct scst_pr_out *o)
{
	scst_set_cmd_error_status(o->cmd, SAM_STAT_RESERVATION_CONFLICT);
}

/* New registrations for SPEC_I_PT's TransportIDs, onto @list. */
static int scst_pr_spec_i_pt(struct scst_pr_out *o, struct scst_list_head *list)
{
	unsigned int off = 0, len;
	const uint8_t *self_tid = scst_pr_sess_tid(o->cmd->sess, &len);
	uint16_t rel = o->cmd->sess->tgt->rel_tgt_id;
	struct scst_pr_reg *reg, *it;
	int tl;

	while (off < o->tids_len) {
		tl = scst_pr_tid_parse(o->tids + off, o->tids_len - off);
		if (tl < 0) {
			scst_set_invalid_field_in_parm_list(o->cmd, 28 + off,
							    -1);
			return -EINVAL;
		}
		/* Already registered, twice in the list, or the issuer. */
		if (scst_pr_find_tid(o->pr, o->tids + off, (unsigned int)tl,
				     rel) ||
		    scst_pr_tid_equal(o->tids + off, (unsigned int)tl, self_tid,
				      len)) {
			scst_set_invalid_field_in_parm_list(o->cmd, 28 + off,
							    -1);
			return -EINVAL;
		}
		scst_list_for_each_entry (it, list, entry) {
			if (scst_pr_tid_equal(it->tid, it->tid_len,
					      o->tids + off,
					      (unsigned int)tl)) {
				scst_set_invalid_field_in_parm_list(
				    o->cmd, 28 + off, -1);
				return -EINVAL;
			}
		}
		reg = scst_pr_reg_alloc(o->sakey, o->tids + off,
					(unsigned int)tl, rel, o->all_tg_pt);
		if (!reg)
			return -ENOMEM;
		scst_list_add_tail(&reg->entry, list);
		off += (unsigned int)tl;
	}
	return 0;
}

static void scst_pr_register(struct scst_pr_out *o)
{
	struct scst_session *sess = o->cmd->sess;
	struct scst_pr_dev *pr = o->pr;
	struct scst_pr_reg *reg, *tmp;
	struct scst_list_head fresh;
	unsigned int len;
	const uint8_t *tid;

	if (o->self) {
		if (o->sa == SCST_PROUT_REGISTER && o->rkey != o->self->key) {
			scst_pr_conflict(o);
			return;
		}
		if (o->spec_i_pt) {
			scst_set_invalid_field_in_parm_list(o->cmd, 20, 3);
			return;
		}
		if (o->sakey) {
			o->self->key = o->sakey;
		} else if (scst_pr_remove(o, o->self)) {
			/* A Registrants Only reservation ended with it. */
			scst_pr_ua(pr, &pr->regs, sess, 0x2a,
				   0x04 /* RESERVATIONS RELEASED */);
		}
		pr->aptpl = o->aptpl;
		scst_pr_bump(pr);
		return;
	}
	if (o->sa == SCST_PROUT_REGISTER && o->rkey) {
		scst_pr_conflict(o);
		return;
	}
	if (!o->sakey)
		return; /* nothing to register, nothing changes */
	scst_list_init(&fresh);
	if (o->spec_i_pt && scst_pr_spec_i_pt(o, &fresh))
		goto out_free;
	tid = scst_pr_sess_tid(sess, &len);
	reg = scst_pr_reg_alloc(o->sakey, tid, len, sess->tgt->rel_tgt_id,
				o->all_tg_pt);
	if (!reg)
		goto out_free;
	scst_pr_add(pr, reg);
	scst_list_for_each_entry_safe (reg, tmp, &fresh, entry) {
		scst_list_del_init(&reg->entry);
		scst_pr_add(pr, reg);
	}
	pr->aptpl = o->aptpl;
	scst_pr_bump(pr);
	return;

out_free:
	if (!scst_cmd_has_error(o->cmd))
		scst_set_cmd_error_status(o->cmd, SAM_STAT_BUSY);
	scst_list_for_each_entry_safe (reg, tmp, &fresh, entry) {
		scst_list_del_init(&reg->entry);
		scst_os_free(reg);
	}
}

static void scst_pr_reserve(struct scst_pr_out *o)
{
	struct scst_pr_dev *pr = o->pr;

	if (!o->self || o->self->key != o->rkey) {
		scst_pr_conflict(o);
		return;
	}
	if (pr->holder) {
		/* Again by a holder with the same type: GOOD, no change. */
		if (!scst_pr_is_holder(pr, o->self) || pr->type != o->type)
			scst_pr_conflict(o);
		return;
	}
	scst_pr_set_holder(pr, o->self, o->type);
}

static void scst_pr_release(struct scst_pr_out *o)
{
	struct scst_pr_dev *pr = o->pr;
	uint8_t type = pr->type;

	if (!o->self || o->self->key != o->rkey) {
		scst_pr_conflict(o);
		return;
	}
	if (!pr->holder || !scst_pr_is_holder(pr, o->self))
		return; /* nothing of ours to release: GOOD */
	if (type != o->type) {
		/* INVALID RELEASE OF PERSISTENT RESERVATION */
		scst_set_cmd_error(o->cmd, ILLEGAL_REQUEST, 0x26, 0x04);
		return;
	}
	scst_pr_set_holder(pr, NULL, 0);
	if (type != SCST_PR_TYPE_WE && type != SCST_PR_TYPE_EA)
		scst_pr_ua(pr, &pr->regs, o->cmd->sess, 0x2a,
			   0x04 /* RESERVATIONS RELEASED */);
}

static void scst_pr_clear(struct scst_pr_out *o)
{
	struct scst_pr_dev *pr = o->pr;
	struct scst_pr_reg *reg, *tmp;

	if (!o->self || o->self->key != o->rkey) {
		scst_pr_conflict(o);
		return;
	}
	scst_pr_set_holder(pr, NULL, 0);
	scst_list_for_each_entry_safe (reg, tmp, &pr->regs, entry)
		scst_pr_remove(o, reg);
	o->gone_asc = 0x2a;
	o->gone_ascq = 0x03; /* RESERVATIONS PREEMPTED */
	scst_pr_bump(pr);
}

/* Move every registration of @key but the issuer's to o->gone. */
static unsigned int scst_pr_remove_key(struct scst_pr_out *o, uint64_t key,
				       bool any_key)
{
	struct scst_pr_reg *reg, *tmp;
	unsigned int n = 0;

	scst_list_for_each_entry_safe (reg, tmp, &o->pr->regs, entry) {
		if (reg == o->self || (!any_key && reg->key != key))
			continue;
		scst_pr_remove(o, reg);
		n++;
	}
	return n;
}

static bool scst_pr_key_exists(struct scst_pr_dev *pr, uint64_t key)
{
	struct scst_pr_reg *reg;

	scst_list_for_each_entry (reg, &pr->regs, entry)
		if (reg->key == key)
			return true;
	return false;
}

static void scst_pr_preempt(struct scst_pr_out *o)
{
	struct scst_pr_dev *pr = o->pr;
	uint8_t old_type = pr->type;
	bool take = false;

	if (!o->self || o->self->key != o->rkey) {
		scst_pr_conflict(o);
		return;
	}
	if (pr->holder && scst_pr_type_all_regs(pr->type) && !o->sakey) {
		/* 5.13.12.2.4: everyone else goes, we hold the new one. */
		scst_pr_remove_key(o, 0, true);
		take = true;
	} else if (pr->holder && !scst_pr_type_all_regs(pr->type) &&
		   o->sakey == pr->holder->key) {
		scst_pr_remove_key(o, o->sakey, false);
		take = true;
	} else {
		if (!o->sakey) {
			scst_set_invalid_field_in_parm_list(o->cmd, 8, -1);
			return;
		}
		if (!scst_pr_key_exists(pr, o->sakey)) {
			scst_pr_conflict(o);
			return;
		}
		scst_pr_remove_key(o, o->sakey, false);
	}
	if (take) {
		scst_pr_set_holder(pr, o->self, o->type);
		if (old_type != o->type)
			scst_pr_ua(pr, &pr->regs, o->cmd->sess, 0x2a,
				   0x04 /* RESERVATIONS RELEASED */);
	}
	o->gone_asc = 0x2a;
	o->gone_ascq = 0x05; /* REGISTRATIONS PREEMPTED */
	o->abort = o->sa == SCST_PROUT_PREEMPT_AND_ABORT;
	scst_pr_bump(pr);
}

/* Is there a target port with relative identifier @rel? */
static bool scst_pr_rel_tgt_exists(uint16_t rel)
{
	struct scst_tgt_template *t;
	struct scst_tgt *tgt;
	bool found = false;

	scst_mutex_lock(&scst_mutex);
	scst_list_for_each_entry (t, &scst_template_list, entry__)
		scst_list_for_each_entry (tgt, &t->tgt_list__, tmpl_entry)
			if (tgt->rel_tgt_id == rel)
				found = true;
	scst_mutex_unlock(&scst_mutex);
	return found;
}

static void scst_pr_register_and_move(struct scst_pr_out *o, bool rel_ok)
{
	struct scst_session *sess = o->cmd->sess;
	struct scst_pr_dev *pr = o->pr;
	struct scst_pr_reg *dest;
	unsigned int len;
	const uint8_t *tid;
	int tl;

	if (!o->self || o->self->key != o->rkey || !pr->holder ||
	    !scst_pr_is_holder(pr, o->self) ||
	    scst_pr_type_all_regs(pr->type)) {
		scst_pr_conflict(o);
		return;
	}
	if (!o->sakey) {
		scst_set_invalid_field_in_parm_list(o->cmd, 8, -1);
		return;
	}
	tl = scst_pr_tid_parse(o->tids, o->tids_len);
	if (tl < 0) {
		scst_set_invalid_field_in_parm_list(o->cmd, 24, -1);
		return;
	}
	if (!rel_ok) {
		scst_set_invalid_field_in_parm_list(o->cmd, 18, -1);
		return;
	}
	tid = scst_pr_sess_tid(sess, &len);
	if (o->rel == sess->tgt->rel_tgt_id &&
	    scst_pr_tid_equal(tid, len, o->tids, (unsigned int)tl)) {
		/* 6.16.4: moving to itself. */
		scst_set_invalid_field_in_parm_list(o->cmd, 24, -1);
		return;
	}
	dest = scst_pr_find_tid(pr, o->tids, (unsigned int)tl, o->rel);
	if (dest) {
		dest->key = o->sakey;
	} else {
		dest = scst_pr_reg_alloc(o->sakey, o->tids, (unsigned int)tl,
					 o->rel, false);
		if (!dest) {
			scst_set_cmd_error_status(o->cmd, SAM_STAT_BUSY);
			return;
		}
		scst_pr_add(pr, dest);
	}
	scst_pr_set_holder(pr, dest, pr->type);
	if (o->unreg)
		scst_pr_remove(o, o->self);
	pr->aptpl = o->aptpl;
	scst_pr_bump(pr);
}

/* ---------------------------------------------------------- parsing ---- */

static bool scst_pr_type_valid(uint8_t type)
{
	switch (type) {
	case SCST_PR_TYPE_WE:
	case SCST_PR_TYPE_EA:
	case SCST_PR_TYPE_WE_RO:
	case SCST_PR_TYPE_EA_RO:
	case SCST_PR_TYPE_WE_AR:
	case SCST_PR_TYPE_EA_AR:
		return true;
	default:
		return false;
	}
}

/* The CDB and the parameter list; false with the sense set. */
static bool scst_pr_out_parse(struct scst_pr_out *o, const uint8_t *p,
			      uint32_t plen)
{
	struct scst_cmd *cmd = o->cmd;

	switch (o->sa) {
	case SCST_PROUT_RESERVE:
	case SCST_PROUT_RELEASE:
	case SCST_PROUT_PREEMPT:
	case SCST_PROUT_PREEMPT_AND_ABORT:
		if (o->scope) { /* LU_SCOPE only */
			scst_set_invalid_field_in_cdb(cmd, 2, 7);
			return false;
		}
		if (!scst_pr_type_valid(o->type)) {
			scst_set_invalid_field_in_cdb(cmd, 2, 3);
			return false;
		}
		break;
	default:
		break;
	}
	if (plen < SCST_PR_PARAM_LEN) {
		scst_set_cmd_error(
		    cmd,
		    SCST_LOAD_SENSE(scst_sense_parameter_list_length_invalid));
		return false;
	}
	o->rkey = scst_get_be64(p);
	o->sakey = scst_get_be64(p + 8);
	if (o->sa == SCST_PROUT_REGISTER_AND_MOVE) {
		uint32_t tlen = scst_get_be32(p + 20);

		o->unreg = p[17] & 0x02;
		o->aptpl = p[17] & 0x01;
		o->rel = scst_get_be16(p + 18);
		if ((uint64_t)SCST_PR_PARAM_LEN + tlen > plen) {
			scst_set_cmd_error(
			    cmd, SCST_LOAD_SENSE(
				     scst_sense_parameter_list_length_invalid));
			return false;
		}
		o->tids = p + SCST_PR_PARAM_LEN;
		o->tids_len = tlen;
		return true;
	}
	o->spec_i_pt = p[20] & 0x08;
	o->all_tg_pt = p[20] & 0x04;
	o->aptpl = p[20] & 0x01;
	if (o->spec_i_pt && o->sa != SCST_PROUT_REGISTER) {
		scst_set_invalid_field_in_parm_list(cmd, 20, 3);
		return false;
	}
	if (o->sa != SCST_PROUT_REGISTER &&
	    o->sa != SCST_PROUT_REGISTER_AND_IGNORE) {
		o->all_tg_pt = false; /* ignored elsewhere */
		o->aptpl = o->pr->aptpl;
	}
	if (o->aptpl && !scst_state_dir()) {
		scst_set_invalid_field_in_parm_list(cmd, 20, 0);
		return false;
	}
	if (!o->spec_i_pt) {
		if (plen != SCST_PR_PARAM_LEN) {
			scst_set_cmd_error(
			    cmd, SCST_LOAD_SENSE(
				     scst_sense_parameter_list_length_invalid));
			return false;
		}
		return true;
	}
	if (plen < SCST_PR_PARAM_LEN + 4 ||
	    (uint64_t)scst_get_be32(p + 24) + SCST_PR_PARAM_LEN + 4 > plen) {
		scst_set_cmd_error(
		    cmd,
		    SCST_LOAD_SENSE(scst_sense_parameter_list_length_invalid));
		return false;
	}
	o->tids = p + SCST_PR_PARAM_LEN + 4;
	o->tids_len = scst_get_be32(p + 24);
	return true;
}

/* --------------------------------------------------------- the end ---- */

static void scst_pr_abort_done(void *arg)
{
	scst_cmd_exec_done(arg);
}

/* UAs to the nexuses that lost registrations, aborts, then free them. */
static bool scst_pr_out_finish(struct scst_pr_out *o)
{
	struct scst_pr_reg *reg, *tmp;
	struct scst_tgt_dev **v = NULL;
	unsigned int n = 0, i;
	bool later = false;

	if (scst_list_empty(&o->gone))
		return false;
	if (o->gone_asc)
		scst_pr_ua(o->pr, &o->gone, o->cmd->sess, o->gone_asc,
			   o->gone_ascq);
	if (o->abort)
		n = scst_pr_gone_nexuses(o, &v);
	scst_list_for_each_entry_safe (reg, tmp, &o->gone, entry) {
		scst_list_del_init(&reg->entry);
		scst_os_free(reg);
	}
	if (n) {
		scst_cmd_exec_later(o->cmd);
		later = !scst_tmf_abort_nexuses(o->cmd, v, n,
						scst_pr_abort_done, o->cmd);
		if (!later) /* no memory: the commands run on */
			scst_cmd_exec_done(o->cmd);
	}
	for (i = 0; i < n; i++)
		scst_tgt_dev_put(v[i]);
	scst_os_free(v);
	return later;
}

bool scst_pr_out(struct scst_cmd *cmd)
{
	struct scst_pr_dev *pr = cmd->dev->pr;
	struct scst_pr_out o = {
	    .cmd = cmd,
	    .pr = pr,
	    .sa = cmd->cdb[1] & 0x1f,
	    .scope = cmd->cdb[2] >> 4,
	    .type = cmd->cdb[2] & 0x0f,
	};
	uint32_t plen = scst_get_be32(cmd->cdb + 5);
	bool rel_ok = true, was_aptpl;
	uint8_t *p = NULL;

	scst_list_init(&o.gone);
	if (plen > cmd->bufflen)
		plen = cmd->bufflen;
	if (plen) {
		p = scst_os_alloc(plen);
		if (!p) {
			scst_set_cmd_error_status(cmd, SAM_STAT_BUSY);
			return false;
		}
		scst_cmd_copy_from_buf(cmd, p, plen);
	}
	scst_mutex_lock(&pr->mutex);
	if (!scst_pr_out_parse(&o, p, plen))
		goto out_unlock;
	if (pr->res2_holder) { /* SPC-3 5.6.3 */
		scst_pr_conflict(&o);
		goto out_unlock;
	}
	if (o.sa == SCST_PROUT_REGISTER_AND_MOVE) {
		/* scst_mutex comes before pr->mutex. */
		scst_mutex_unlock(&pr->mutex);
		rel_ok = scst_pr_rel_tgt_exists(o.rel);
		scst_mutex_lock(&pr->mutex);
	}
	o.self = scst_pr_find_reg(pr, cmd->sess);
	was_aptpl = pr->aptpl;
	switch (o.sa) {
	case SCST_PROUT_REGISTER:
	case SCST_PROUT_REGISTER_AND_IGNORE:
		scst_pr_register(&o);
		break;
	case SCST_PROUT_RESERVE:
		scst_pr_reserve(&o);
		break;
	case SCST_PROUT_RELEASE:
		scst_pr_release(&o);
		break;
	case SCST_PROUT_CLEAR:
		scst_pr_clear(&o);
		break;
	case SCST_PROUT_PREEMPT:
	case SCST_PROUT_PREEMPT_AND_ABORT:
		scst_pr_preempt(&o);
		break;
	case SCST_PROUT_REGISTER_AND_MOVE:
		scst_pr_register_and_move(&o, rel_ok);
		break;
	default:
		scst_set_invalid_field_in_cdb(cmd, 1, 4);
		break;
	}
	if (!scst_cmd_has_error(cmd) && (pr->aptpl || was_aptpl)) {
		int rc = scst_pr_aptpl_save(pr);

		if (rc)
			scst_err("scst: %s: cannot save the persistent "
				 "reservations: %d",
				 pr->dev->name, rc);
	}
out_unlock:
	scst_mutex_unlock(&pr->mutex);
	scst_os_free(p);
	return scst_pr_out_finish(&o);
}
