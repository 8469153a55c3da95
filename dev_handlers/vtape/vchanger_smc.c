// SPDX-License-Identifier: GPL-2.0-only
/*
 * SMC-3 commands of the vchanger: READ ELEMENT STATUS (6.10), MOVE MEDIUM
 * (6.6), POSITION TO ELEMENT (6.8), INITIALIZE ELEMENT STATUS (6.3) and
 * WITH RANGE (6.4), PREVENT ALLOW MEDIUM REMOVAL (6.9, SPC-4 6.13).
 * EXCHANGE MEDIUM is not implemented (INVALID COMMAND OPERATION CODE; the
 * device capabilities page says so): its two-step motion across drives
 * has no all-or-nothing outcome worth the failure cases.
 *
 * MOVE MEDIUM. The core runs SMC commands one at a time per changer
 * (SCST_SER_EXCL), so a move sees a table no other move changes. A move
 * between storage, import/export and the transport element changes the
 * table at once; the command completes once the state file holds it (the
 * module's work queue writes it). A move that involves a drive runs the
 * drive's asynchronous calls as steps:
 *   into a drive    PUT (vtape_drive_put)
 *   out of a drive  TAKE (vtape_drive_take)
 *   drive to drive  TAKE, then PUT; a failed PUT puts the cartridge back
 *                   (PUT_BACK); if even that fails it is left in the
 *                   medium transport element (a later MOVE MEDIUM from
 *                   0x0100 stores it).
 * Both elements are busy until the last step ends. Moves change nothing
 * another nexus is told about: SMC-3 raises unit attentions for changes
 * made outside the commands (the operator's import/export, 28h/01h), and
 * an application client learns of other clients' moves from READ ELEMENT
 * STATUS.
 */
#include <errno.h>

#include "dev_handlers/vtape/vchanger.h"
#include "scst/scst_spc.h"

/* Byte 2 of an element descriptor. */
#define VCHG_F_FULL   0x01
#define VCHG_F_IMPEXP 0x02
#define VCHG_F_EXCEPT 0x04
#define VCHG_F_ACCESS 0x08
#define VCHG_F_EXENAB 0x10
#define VCHG_F_INENAB 0x20
/* Byte 9: SVALID, MEDIUM TYPE 001b (data medium). */
#define VCHG_SVALID	 0x80
#define VCHG_MEDIUM_DATA 0x01

/* SMC-3 additional sense codes. */
#define VCHG_ASC_INVALID_ELEM 0x21, 0x01
#define VCHG_ASC_DEST_FULL    0x3b, 0x0d
#define VCHG_ASC_SRC_EMPTY    0x3b, 0x0e
#define VCHG_ASC_DT_REMOVED   0x3b, 0x1a /* DATA TRANSFER DEVICE REMOVED */
#define VCHG_ASC_PREVENTED    0x53, 0x02
#define VCHG_ASC_LOAD_FAILED  0x53, 0x00
#define VCHG_ASC_INCOMPATIBLE 0x30, 0x00

/* ---------------------------------------------- READ ELEMENT STATUS ---- */

/* Element descriptor length of a page of type @t (SMC-3 6.10.3). */
static unsigned int vchg_desc_len(enum vchg_type t, bool voltag, bool dvcid)
{
	unsigned int n = 12;

	if (voltag)
		n += 36;
	if (dvcid)
		n += 4 + (t == VCHG_T_DT ? VCHG_DVCID_LEN : 0);
	return n;
}

/* ASC/ASCQ of a drive that failed to take its cartridge back. */
static void vchg_err_asc(int err, uint8_t *asc, uint8_t *ascq)
{
	if (err == -EMEDIUMTYPE) {
		*asc = 0x30; /* INCOMPATIBLE MEDIUM INSTALLED */
		*ascq = 0x00;
	} else {
		*asc = 0x53; /* MEDIA LOAD OR EJECT FAILED */
		*ascq = 0x00;
	}
}

/* The DVCID identification descriptor of drive @d at @p (zeroed). */
static void vchg_dvcid(const struct vchg_drive *d, uint8_t *p)
{
	size_t n;

	if (!d->present)
		return; /* CODE SET, TYPE and LENGTH 0: none */
	n = strnlen(d->id.serial, sizeof(d->id.serial) - 1);
	p[0] = 0x02; /* CODE SET: ASCII */
	p[1] = 0x01; /* ASSOCIATION 0 (LU), IDENTIFIER TYPE 1: T10 vendor */
	p[3] = (uint8_t)(8 + 16 + n);
	scst_spc_pad(p + 4, d->id.vendor, 8);
	scst_spc_pad(p + 12, d->id.product, 16);
	memcpy(p + 28, d->id.serial, n);
}

/* One element descriptor at @d (zeroed, vchg_desc_len() bytes). */
static void vchg_desc(const struct vchg_dev *vc, const struct vchg_elem *e,
		      bool voltag, bool dvcid, uint8_t *d)
{
	const struct vchg_drive *dr = NULL;
	uint8_t f = e->full ? VCHG_F_FULL : 0;
	unsigned int off = 12;

	scst_put_be16(d, e->addr);
	switch (e->type) {
	case VCHG_T_ST:
		f |= VCHG_F_ACCESS;
		break;
	case VCHG_T_IE:
		f |= VCHG_F_INENAB | VCHG_F_EXENAB | VCHG_F_ACCESS;
		if (e->full && e->impexp)
			f |= VCHG_F_IMPEXP;
		break;
	case VCHG_T_DT:
		dr = &vc->drive[e - vc->elem];
		if (!dr->present) {
			f |= VCHG_F_EXCEPT;
			d[4] = 0x3b; /* DATA TRANSFER DEVICE REMOVED */
			d[5] = 0x1a;
		} else if (e->restore_err) {
			f |= VCHG_F_EXCEPT;
			vchg_err_asc(e->restore_err, &d[4], &d[5]);
		} else if (!(e->full && dr->prevented)) {
			f |= VCHG_F_ACCESS;
		}
		break;
	default: /* the medium transport: FULL, EXCEPT only */
		break;
	}
	d[2] = f;
	if (e->full) {
		d[9] = VCHG_MEDIUM_DATA;
		if (e->svalid) {
			d[9] |= VCHG_SVALID;
			scst_put_be16(d + 10, e->src);
		}
	}
	if (voltag) {
		/* PRIMARY VOLUME TAG: identifier, 32 bytes blank padded, and
		 * a volume sequence number of 0; all zeros when empty. */
		if (e->full)
			scst_spc_pad(d + off, e->barcode, VCHG_BC_LEN);
		off += 36;
	}
	if (dvcid && dr)
		vchg_dvcid(dr, d + off);
}

static bool vchg_res_selects(const struct vchg_elem *e, unsigned int type,
			     unsigned int start)
{
	return (type == VCHG_T_ALL || e->type == type) && e->addr >= start;
}

int vchg_read_elem_status(struct scst_cmd *cmd, struct vchg_dev *vc)
{
	const uint8_t *cdb = scst_cmd_cdb(cmd);
	unsigned int type = cdb[1] & 0x0f, start = scst_get_be16(cdb + 2);
	unsigned int max = scst_get_be16(cdb + 4), i, count = 0, first = 0;
	bool voltag = cdb[1] & 0x10, dvcid = cdb[6] & 0x01;
	uint8_t *buf, *page = NULL, *p;
	unsigned int dlen = 0, cur = VCHG_T_ALL;
	size_t total = 8;

	if (type > VCHG_T_DT) {
		scst_set_invalid_field_in_cdb(cmd, 1, 3);
		return VCHG_DONE;
	}
	/* CURDATA or not, nothing here moves: the status is always current. */
	vchg_refresh(vc, false);
	/* Which elements, and the size: addresses and types never change. */
	for (i = 0; i < vc->nelem && count < max; i++) {
		const struct vchg_elem *e = &vc->elem[i];

		if (!vchg_res_selects(e, type, start))
			continue;
		if (e->type != cur) {
			cur = e->type;
			total += 8;
		}
		total += vchg_desc_len((enum vchg_type)e->type, voltag, dvcid);
		count++;
	}
	buf = scst_os_zalloc(total);
	if (!buf) {
		scst_set_cmd_error_status(cmd, SAM_STAT_BUSY);
		return VCHG_DONE;
	}
	p = buf + 8;
	count = 0;
	cur = VCHG_T_ALL;
	scst_spin_lock(&vc->lock);
	for (i = 0; i < vc->nelem && count < max; i++) {
		const struct vchg_elem *e = &vc->elem[i];

		if (!vchg_res_selects(e, type, start))
			continue;
		if (e->type != cur) {
			/* Element status page header (SMC-3 6.10.2). */
			cur = e->type;
			dlen =
			    vchg_desc_len((enum vchg_type)cur, voltag, dvcid);
			page = p;
			page[0] = (uint8_t)cur;
			page[1] = voltag ? 0x80 : 0; /* PVOLTAG */
			scst_put_be16(page + 2, (uint16_t)dlen);
			p += 8;
		}
		if (!count)
			first = e->addr;
		vchg_desc(vc, e, voltag, dvcid, p);
		p += dlen;
		count++;
		scst_put_be24(page + 5, (uint32_t)(p - page - 8));
	}
	scst_spin_unlock(&vc->lock);
	/* Element status data header: the whole report's size, whatever
	 * the allocation length lets through (SMC-3 6.10.1). */
	scst_put_be16(buf, (uint16_t)first);
	scst_put_be16(buf + 2, (uint16_t)count);
	scst_put_be24(buf + 5, (uint32_t)(total - 8));
	scst_cmd_copy_to_buf(cmd, buf, (uint32_t)total);
	scst_os_free(buf);
	return VCHG_DONE;
}

/* ---------------------------------------------------- PREVENT ALLOW ---- */

/* The core keeps the prevention of each I_T nexus (SPC-4 6.13). */
bool vchg_door_locked(struct vchg_dev *vc)
{
	return scst_dev_prevented(vc->dev);
}

/*
 * PREVENT ALLOW MEDIUM REMOVAL: PREVENT 01b locks the import/export door
 * for this I_T nexus (the operator can neither insert nor remove), 00b
 * unlocks it for this nexus; the door opens when no nexus prevents.
 */
int vchg_prevent_allow(struct scst_cmd *cmd, struct vchg_dev *vc)
{
	uint8_t prevent = scst_cmd_cdb(cmd)[4] & 0x03;

	(void)vc;
	if (prevent > 1) {
		scst_set_invalid_field_in_cdb(cmd, 4, 1);
		return VCHG_DONE;
	}
	scst_tgt_dev_set_prevent(scst_cmd_tgt_dev(cmd), prevent == 1);
	return VCHG_DONE;
}

/* ------------------------------------- INITIALIZE, POSITION TO ELEMENT ---- */

/* Is @addr the medium transport (or 0, the default transport)? */
static bool vchg_transport_ok(unsigned int addr)
{
	return addr == 0 || addr == VCHG_ADDR_MT;
}

int vchg_init_elem_status(struct scst_cmd *cmd, struct vchg_dev *vc)
{
	const uint8_t *cdb = scst_cmd_cdb(cmd);
	unsigned int addr;

	/* WITH RANGE and RANGE set: the first element must exist. */
	if (cdb[0] == INITIALIZE_ELEMENT_STATUS_WITH_RANGE && (cdb[1] & 0x01)) {
		addr = scst_get_be16(cdb + 2);
		if (!vchg_elem_at(vc, addr)) {
			scst_set_cmd_error(cmd, ILLEGAL_REQUEST,
					   VCHG_ASC_INVALID_ELEM);
			return VCHG_DONE;
		}
	}
	/* The drives are looked at again; failed loads are retried. */
	vchg_refresh(vc, true);
	return VCHG_DONE;
}

int vchg_position(struct scst_cmd *cmd, struct vchg_dev *vc)
{
	const uint8_t *cdb = scst_cmd_cdb(cmd);

	if (cdb[8] & 0x01) { /* INVERT: no rotation (page 1Eh) */
		scst_set_invalid_field_in_cdb(cmd, 8, 0);
		return VCHG_DONE;
	}
	if (!vchg_transport_ok(scst_get_be16(cdb + 2)) ||
	    !vchg_elem_at(vc, scst_get_be16(cdb + 4)))
		scst_set_cmd_error(cmd, ILLEGAL_REQUEST, VCHG_ASC_INVALID_ELEM);
	return VCHG_DONE;
}

/* ------------------------------------------------------ MOVE MEDIUM ---- */

enum vchg_step {
	VCHG_STEP_SAVE,	    /* the table changed: write it, complete */
	VCHG_STEP_TAKE,	    /* vtape_drive_take from the source drive */
	VCHG_STEP_PUT,	    /* vtape_drive_put into the destination */
	VCHG_STEP_PUT_BACK, /* the PUT failed: back into the source drive */
};

struct vchg_move {
	struct scst_work work;
	struct vchg_dev *vc;
	struct scst_cmd *cmd;
	struct vchg_elem *src, *dst;
	struct scst_device *sdrive, *ddrive; /* NULL: not a drive */
	enum vchg_step step;
	int err;      /* of the step that just ended */
	int move_err; /* what the command reports */
	char barcode[VCHG_BC_LEN + 1];
};

/* The sense of a drive call's error. */
static void vchg_set_drive_error(struct scst_cmd *cmd, enum vchg_step step,
				 int err)
{
	switch (err) {
	case -EBUSY:
		if (step == VCHG_STEP_TAKE)
			scst_set_cmd_error(cmd, ILLEGAL_REQUEST,
					   VCHG_ASC_PREVENTED);
		else
			scst_set_cmd_error(cmd, ILLEGAL_REQUEST,
					   VCHG_ASC_DEST_FULL);
		break;
	case -ENOENT:
		scst_set_cmd_error(cmd, ILLEGAL_REQUEST, VCHG_ASC_SRC_EMPTY);
		break;
	case -EINVAL:
		scst_set_cmd_error(cmd, ILLEGAL_REQUEST, VCHG_ASC_DT_REMOVED);
		break;
	case -EMEDIUMTYPE:
		scst_set_cmd_error(cmd, MEDIUM_ERROR, VCHG_ASC_INCOMPATIBLE);
		break;
	case -EIO:
		scst_set_cmd_error(cmd, HARDWARE_ERROR, VCHG_ASC_LOAD_FAILED);
		break;
	default:
		scst_set_cmd_error(cmd,
				   SCST_LOAD_SENSE(scst_sense_hardw_error));
		break;
	}
}

static void vchg_move_step(struct vchg_move *m);

static void vchg_move_cb(void *arg, int err)
{
	struct vchg_move *m = arg;

	m->err = err;
	vchg_queue(&m->work);
}

/* The end: write the table if it changed, free the job, complete. */
static void vchg_move_finish(struct vchg_move *m, bool changed)
{
	struct vchg_dev *vc = m->vc;
	struct scst_cmd *cmd = m->cmd;

	scst_spin_lock(&vc->lock);
	m->src->busy = false;
	m->dst->busy = false;
	scst_spin_unlock(&vc->lock);
	if (changed)
		vchg_state_save(vc);
	if (m->move_err)
		vchg_set_drive_error(cmd, m->step, m->move_err);
	scst_os_free(m);
	scst_atomic_dec(&vc->inflight);
	scst_cmd_exec_done(cmd);
}

/* Start the drive call of m->step; false when it failed at once. */
static bool vchg_move_call(struct vchg_move *m)
{
	char path[VCHG_PATH_MAX + VCHG_BC_LEN + 2];
	struct scst_device *drive;
	int rc;

	switch (m->step) {
	case VCHG_STEP_TAKE:
		rc = vtape_drive_take(m->sdrive, vchg_move_cb, m);
		break;
	default:
		drive = m->step == VCHG_STEP_PUT ? m->ddrive : m->sdrive;
		rc = vchg_cart_path(m->vc, m->barcode, path, sizeof(path));
		if (!rc)
			rc = vtape_drive_put(drive, path, m->barcode,
					     vchg_move_cb, m);
		break;
	}
	if (rc)
		m->err = rc;
	return !rc;
}

/* A step ended with m->err (on the work queue). */
static void vchg_move_step(struct vchg_move *m)
{
	struct vchg_dev *vc = m->vc;
	struct vchg_elem *mt;

	switch (m->step) {
	case VCHG_STEP_SAVE:
		vchg_move_finish(m, true);
		return;
	case VCHG_STEP_TAKE:
		if (m->err) {
			m->move_err = m->err;
			vchg_move_finish(m, false);
			return;
		}
		if (!m->ddrive)
			break;
		/* Drive to drive: now into the destination. */
		m->step = VCHG_STEP_PUT;
		if (!vchg_move_call(m))
			vchg_move_step(m);
		return;
	case VCHG_STEP_PUT:
		if (!m->err)
			break;
		m->move_err = m->err;
		if (!m->sdrive) {
			vchg_move_finish(m, false);
			return;
		}
		/* Taken out of a drive: put it back where it was. */
		m->step = VCHG_STEP_PUT_BACK;
		if (!vchg_move_call(m))
			vchg_move_step(m);
		return;
	case VCHG_STEP_PUT_BACK:
		if (!m->err) {
			vchg_move_finish(m, false);
			return;
		}
		/* In no drive: the robot keeps it (or a storage element). */
		scst_err("vchanger %s: %s left in the transport after failed "
			 "loads (%d, %d)",
			 vc->name, m->barcode, m->move_err, m->err);
		scst_spin_lock(&vc->lock);
		mt = &vc->elem[vchg_first(vc, VCHG_T_MT)];
		if (mt->full)
			mt = vchg_elem_stray_home(vc, 0);
		if (mt)
			vchg_elem_move(m->src, mt);
		scst_spin_unlock(&vc->lock);
		vchg_move_finish(m, true);
		return;
	}
	/* The cartridge arrived. */
	scst_spin_lock(&vc->lock);
	vchg_elem_move(m->src, m->dst);
	scst_spin_unlock(&vc->lock);
	vchg_move_finish(m, true);
}

static void vchg_move_work(struct scst_work *w)
{
	vchg_move_step(scst_container_of(w, struct vchg_move, work));
}

/*
 * The drive of element @e for a move by @cmd: NULL for other elements,
 * else the device, or an error (sense set): the drive is missing
 * (DATA TRANSFER DEVICE REMOVED) or reserved by another nexus.
 */
static int vchg_move_drive(struct scst_cmd *cmd, struct vchg_dev *vc,
			   struct vchg_elem *e, struct scst_device **out)
{
	*out = NULL;
	if (e->type != VCHG_T_DT)
		return 0;
	*out = vchg_drive_dev(vc, vchg_drive_index(vc, e));
	if (!*out) {
		scst_set_cmd_error(cmd, ILLEGAL_REQUEST, VCHG_ASC_DT_REMOVED);
		return -ENODEV;
	}
	if (scst_dev_reservation_conflict(*out, scst_cmd_sess(cmd))) {
		scst_set_cmd_error_status(cmd, SAM_STAT_RESERVATION_CONFLICT);
		return -EBUSY;
	}
	return 0;
}

/* Under vc->lock: the checks on the elements' contents; sense set. */
static bool vchg_move_check(struct scst_cmd *cmd, struct vchg_move *m,
			    bool src_has, bool src_prevented)
{
	if (m->src->busy) { /* a cartridge on its way into that drive */
		scst_set_cmd_error_status(cmd, SAM_STAT_BUSY);
		return false;
	}
	if (!m->src->full && !src_has) {
		scst_set_cmd_error(cmd, ILLEGAL_REQUEST, VCHG_ASC_SRC_EMPTY);
		return false;
	}
	if (m->src == m->dst)
		return true;
	if (m->dst->full) {
		scst_set_cmd_error(cmd, ILLEGAL_REQUEST, VCHG_ASC_DEST_FULL);
		return false;
	}
	if (m->dst->busy) { /* the operator is inserting there */
		scst_set_cmd_error_status(cmd, SAM_STAT_BUSY);
		return false;
	}
	if (src_has && src_prevented) {
		scst_set_cmd_error(cmd, ILLEGAL_REQUEST, VCHG_ASC_PREVENTED);
		return false;
	}
	return true;
}

int vchg_move_medium(struct scst_cmd *cmd, struct vchg_dev *vc)
{
	const uint8_t *cdb = scst_cmd_cdb(cmd);
	bool src_has = false, src_prevented = false, dst_has = false;
	char bc[VCHG_BC_LEN + 1] = "";
	struct vchg_move *m;
	struct vchg_elem *src, *dst;

	if (cdb[10] & 0x01) { /* INVERT: no rotation (page 1Eh) */
		scst_set_invalid_field_in_cdb(cmd, 10, 0);
		return VCHG_DONE;
	}
	src = vchg_elem_at(vc, scst_get_be16(cdb + 4));
	dst = vchg_elem_at(vc, scst_get_be16(cdb + 6));
	/* The transport only holds what a failed load left in it. */
	if (!vchg_transport_ok(scst_get_be16(cdb + 2)) || !src || !dst ||
	    (dst->type == VCHG_T_MT && dst != src)) {
		scst_set_cmd_error(cmd, ILLEGAL_REQUEST, VCHG_ASC_INVALID_ELEM);
		return VCHG_DONE;
	}
	m = scst_os_zalloc(sizeof(*m));
	if (!m) {
		scst_set_cmd_error_status(cmd, SAM_STAT_BUSY);
		return VCHG_DONE;
	}
	scst_work_init(&m->work, vchg_move_work);
	m->vc = vc;
	m->cmd = cmd;
	m->src = src;
	m->dst = dst;
	if (vchg_move_drive(cmd, vc, src, &m->sdrive) ||
	    vchg_move_drive(cmd, vc, dst, &m->ddrive))
		goto out_free;
	/* The drives as they are now (outside the table's lock). */
	vchg_refresh(vc, false);
	if (m->sdrive) {
		src_has = vtape_drive_has_cartridge(m->sdrive, bc, sizeof(bc));
		src_prevented = vtape_drive_prevented(m->sdrive);
	}
	if (m->ddrive && m->ddrive != m->sdrive)
		dst_has = vtape_drive_has_cartridge(m->ddrive, NULL, 0);
	scst_spin_lock(&vc->lock);
	if (dst_has && !dst->full && !dst->busy) {
		/* A cartridge the table does not know yet: it is full. */
		scst_spin_unlock(&vc->lock);
		scst_set_cmd_error(cmd, ILLEGAL_REQUEST, VCHG_ASC_DEST_FULL);
		goto out_free;
	}
	if (!vchg_move_check(cmd, m, src_has, src_prevented)) {
		scst_spin_unlock(&vc->lock);
		goto out_free;
	}
	if (src == dst) {
		scst_spin_unlock(&vc->lock);
		goto out_free; /* GOOD: it is where it should go */
	}
	memcpy(m->barcode, src_has ? bc : src->barcode, sizeof(m->barcode));
	if (!src_has && !m->ddrive) {
		/* No drive moves: the table is all there is to change. */
		vchg_elem_move(src, dst);
		src->busy = true;
		dst->busy = true;
		scst_spin_unlock(&vc->lock);
		m->step = VCHG_STEP_SAVE;
		scst_atomic_inc(&vc->inflight);
		vchg_queue(&m->work);
		return VCHG_ASYNC;
	}
	src->busy = true;
	dst->busy = true;
	scst_spin_unlock(&vc->lock);
	if (!src_has)
		m->sdrive = NULL; /* the table had it, not the drive */
	m->step = m->sdrive ? VCHG_STEP_TAKE : VCHG_STEP_PUT;
	scst_atomic_inc(&vc->inflight);
	if (!vchg_move_call(m)) {
		m->move_err = m->err;
		vchg_move_finish(m, false);
	}
	return VCHG_ASYNC;

out_free:
	scst_os_free(m);
	return VCHG_DONE;
}
