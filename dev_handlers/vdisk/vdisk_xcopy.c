// SPDX-License-Identifier: GPL-2.0-only
/*
 * EXTENDED COPY (LID1) and RECEIVE COPY RESULTS (SPC-4 6.4, 6.23) for the
 * vdisk disks: a copy manager that moves blocks between two disks of the
 * tree (block device to block device segments, 02h), named by
 * identification target descriptors (E4h).
 *
 * Security: a target descriptor is resolved only among the LUNs of the
 * requesting I_T nexus (scst_sess_find_dev_by_match() searches the
 * session's own LUN table). A designator that belongs to a device the
 * initiator cannot reach (exported on another target, or to another
 * initiator group) is COPY TARGET DEVICE NOT REACHABLE, and the whole list
 * is refused before any block is read or written. Destinations mapped
 * read-only for the session, or read-only devices, are refused too.
 *
 * The copy runs as a sequence of backend I/Os through a bounce buffer of
 * its own (read a chunk from the source, write it to the destination),
 * driven by the I/O completions; I/Os that complete inside
 * vdisk_io_submit() do not recurse, the driver loops instead. The nexus
 * references taken by the lookup keep both devices registered until the
 * command completes.
 *
 * Per copy manager state (vd->xcopy_priv, under vd->lock): the number of
 * copies running and the held results of the last copies of each I_T
 * nexus, by LIST IDENTIFIER, for RECEIVE COPY RESULTS (COPY STATUS).
 */
#include <errno.h>

#include "dev_handlers/vdisk/vdisk.h"
#include "dev_handlers/vdisk/vdisk_xcopy.h"

#define XC_HDR_LEN    16u
#define XC_TGT_LEN    32u
#define XC_SEG_LEN    28u
#define XC_DESC_IDENT 0xe4
#define XC_SEG_B2B    0x02
#define XC_MAX_DESIG  20u
#define XC_ALIGN      4096u

/* LIST ID USAGE (parameter list byte 1 bits 4-3). */
enum { XC_LID_HOLD = 0, XC_LID_NO_HOLD = 2, XC_LID_NONE = 3 };

/* COPY MANAGER STATUS of COPY STATUS. */
enum { XC_ST_RUNNING = 0x00, XC_ST_GOOD = 0x01, XC_ST_ERROR = 0x02 };

#define XC_RECORDS  32u
#define XC_NAME_MAX 256u

/* One list identifier of one I_T nexus. */
struct xc_record {
	bool used;
	bool held; /* reported by COPY STATUS */
	bool running;
	uint8_t list_id;
	uint8_t status;
	uint16_t segs_done;
	uint64_t bytes;
	uint64_t age;
	char ini[XC_NAME_MAX];
	char tgt[XC_NAME_MAX];
};

struct xc_state {
	unsigned int running;
	uint64_t age;
	struct xc_record rec[XC_RECORDS];
};

struct xc_target {
	struct scst_tgt_dev *nexus;
	struct vdisk_dev *vd;
	bool ro;
};

struct xc_seg {
	uint16_t src, dst;
	uint16_t blocks;
	bool dc;
	uint64_t src_lba, dst_lba;
	uint64_t bytes;
	uint64_t done;
};

struct xc_job {
	struct scst_cmd *cmd;
	struct vdisk_dev *cm;  /* the copy manager's device */
	struct xc_record *rec; /* NULL: list not tracked */
	bool counted;	       /* in state->running */
	uint8_t list_id;
	uint8_t lid_usage;

	struct xc_target tgt[VDISK_XCOPY_MAX_TGT_DESC];
	unsigned int ntgt;
	struct xc_seg seg[VDISK_XCOPY_MAX_SEG_DESC];
	unsigned int nseg;

	/* The driver. */
	unsigned int cur;
	bool writing;
	uint32_t n; /* bytes of the chunk in flight */
	struct vdisk_io io;
	struct scst_sg sg;
	void *raw;
	uint8_t *buf;
	uint32_t buf_len;
	scst_atomic_t kicks;
	int err;
	enum vdisk_io_op err_op;
};

static void xc_names(struct scst_cmd *cmd, const char **ini, const char **tgt)
{
	struct scst_session *sess = scst_cmd_sess(cmd);
	struct scst_tgt *t = scst_sess_tgt(sess);

	*ini = scst_sess_initiator_name(sess);
	*tgt = t ? scst_tgt_name(t) : "";
	if (!*ini)
		*ini = "";
	if (!*tgt)
		*tgt = "";
}

static void xc_copy_name(char *dst, const char *src)
{
	size_t n = strnlen(src, XC_NAME_MAX - 1);

	memcpy(dst, src, n);
	dst[n] = 0;
}

static bool xc_same_nexus(const struct xc_record *r, const char *ini,
			  const char *tgt)
{
	return strncmp(r->ini, ini, XC_NAME_MAX - 1) == 0 &&
	       strncmp(r->tgt, tgt, XC_NAME_MAX - 1) == 0;
}

/* The state of @vd, made on first use. NULL when out of memory. */
static struct xc_state *xc_state(struct vdisk_dev *vd)
{
	struct xc_state *st;

	scst_spin_lock(&vd->lock);
	st = vd->xcopy_priv;
	scst_spin_unlock(&vd->lock);
	if (st)
		return st;
	st = scst_os_zalloc(sizeof(*st));
	if (!st)
		return NULL;
	scst_spin_lock(&vd->lock);
	if (vd->xcopy_priv) {
		scst_os_free(st);
		st = vd->xcopy_priv;
	} else {
		vd->xcopy_priv = st;
	}
	scst_spin_unlock(&vd->lock);
	return st;
}

void vdisk_xcopy_dev_free(struct vdisk_dev *vd)
{
	struct xc_state *st;

	scst_spin_lock(&vd->lock);
	st = vd->xcopy_priv;
	vd->xcopy_priv = NULL;
	scst_spin_unlock(&vd->lock);
	scst_os_free(st);
}

/* ------------------------------------------------------- results ---- */

/*
 * Enter a copy for list @j->list_id of the command's nexus. False, with
 * sense set, when the list identifier is in use or too many copies run.
 */
static bool xc_begin(struct xc_job *j)
{
	struct xc_state *st = xc_state(j->cm);
	struct xc_record *r, *slot = NULL;
	const char *ini, *tgt;
	unsigned int i;

	if (!st) {
		scst_set_cmd_error_status(j->cmd, SAM_STAT_BUSY);
		return false;
	}
	xc_names(j->cmd, &ini, &tgt);
	scst_spin_lock(&j->cm->lock);
	if (st->running >= VDISK_XCOPY_MAX_CONCURRENT) {
		scst_spin_unlock(&j->cm->lock);
		/* INSUFFICIENT RESOURCES */
		scst_set_cmd_error(j->cmd, ILLEGAL_REQUEST, 0x55, 0x03);
		return false;
	}
	for (i = 0; i < XC_RECORDS && j->lid_usage != XC_LID_NONE; i++) {
		r = &st->rec[i];
		if (!r->used || r->list_id != j->list_id ||
		    !xc_same_nexus(r, ini, tgt))
			continue;
		if (r->running) {
			scst_spin_unlock(&j->cm->lock);
			/* OPERATION IN PROGRESS */
			scst_set_cmd_error(j->cmd, ILLEGAL_REQUEST, 0x00, 0x16);
			return false;
		}
		slot = r; /* the same list again: replaces its results */
	}
	if (j->lid_usage != XC_LID_NONE && !slot) {
		for (i = 0; i < XC_RECORDS; i++) {
			r = &st->rec[i];
			if (!r->used) {
				slot = r;
				break;
			}
			if (!r->running && (!slot || r->age < slot->age))
				slot = r;
		}
	}
	if (slot) {
		memset(slot, 0, sizeof(*slot));
		slot->used = true;
		slot->held = j->lid_usage == XC_LID_HOLD;
		slot->running = true;
		slot->list_id = j->list_id;
		slot->status = XC_ST_RUNNING;
		slot->age = ++st->age;
		xc_copy_name(slot->ini, ini);
		xc_copy_name(slot->tgt, tgt);
	}
	st->running++;
	j->counted = true;
	j->rec = slot;
	scst_spin_unlock(&j->cm->lock);
	return true;
}

static void xc_end(struct xc_job *j, bool good)
{
	if (!j->counted)
		return;
	scst_spin_lock(&j->cm->lock);
	((struct xc_state *)j->cm->xcopy_priv)->running--;
	if (j->rec) {
		j->rec->running = false;
		j->rec->status = good ? XC_ST_GOOD : XC_ST_ERROR;
		/* A list whose results are not held is forgotten now. */
		if (!j->rec->held)
			j->rec->used = false;
	}
	scst_spin_unlock(&j->cm->lock);
	j->counted = false;
}

static void xc_progress(struct xc_job *j, uint32_t bytes, bool seg_done)
{
	if (!j->rec)
		return;
	scst_spin_lock(&j->cm->lock);
	j->rec->bytes += bytes;
	if (seg_done)
		j->rec->segs_done++;
	scst_spin_unlock(&j->cm->lock);
}

/* ------------------------------------------------------- targets ---- */

static bool xc_trimmed_eq(const uint8_t *a, size_t alen, const char *b,
			  size_t blen)
{
	while (alen && (a[alen - 1] == ' ' || a[alen - 1] == 0))
		alen--;
	while (blen && b[blen - 1] == ' ')
		blen--;
	return alen == blen && memcmp(a, b, alen) == 0;
}

/* The vendor field of a T10 vendor ID designator: space padded. */
static bool xc_vendor_eq(const uint8_t *id, const char *vend)
{
	size_t n = strnlen(vend, VDISK_VEND_LEN);
	unsigned int i;

	for (i = 0; i < VDISK_VEND_LEN; i++)
		if (id[i] != (i < n ? (uint8_t)vend[i] : ' '))
			return false;
	return true;
}

/*
 * Does the LU designator of target descriptor @arg name @dev? Only vdisk
 * disks take part; called under the session's LUN lock.
 */
static bool xc_match(struct scst_device *dev, void *arg)
{
	const uint8_t *d = arg;
	const char *h = scst_dev_handler_name(dev);
	unsigned int code_set = d[4] & 0x0f, assoc = (d[5] >> 4) & 0x03;
	unsigned int type = d[5] & 0x0f, len = d[7];
	const uint8_t *id = &d[8], *naa = NULL;
	unsigned int naa_len;
	struct vdisk_dev *vd;
	bool eq = false;

	if (!h || strncmp(h, "vdisk_", 6) != 0 ||
	    scst_dev_type(dev) != TYPE_DISK || assoc != 0)
		return false;
	vd = scst_dev_get_dh_priv(dev);
	if (!vd || !(VDISK_K(vd->kind) & VDISK_K_DISKS))
		return false;
	scst_spin_lock(&vd->lock);
	switch (type) {
	case 0x1: /* T10 vendor ID: vendor, then the device's id */
		eq = code_set == 2 && len >= VDISK_VEND_LEN &&
		     xc_vendor_eq(id, vd->t10_vend_id) &&
		     xc_trimmed_eq(id + VDISK_VEND_LEN, len - VDISK_VEND_LEN,
				   vd->t10_dev_id,
				   strnlen(vd->t10_dev_id, VDISK_DEVID_LEN));
		break;
	case 0x2: /* EUI-64 */
		eq = code_set == 1 && vd->eui64_len && len == vd->eui64_len &&
		     memcmp(id, vd->eui64_id, len) == 0;
		break;
	case 0x3: /* NAA: naa_id, or the default one (vdisk_lu_naa) */
		naa_len = vdisk_lu_naa(vd, &naa);
		eq = code_set == 1 && naa_len && len == naa_len &&
		     memcmp(id, naa, len) == 0;
		break;
	default:
		break;
	}
	scst_spin_unlock(&vd->lock);
	return eq;
}

static void xc_release(struct xc_job *j)
{
	unsigned int i;

	for (i = 0; i < j->ntgt; i++) {
		if (j->tgt[i].nexus)
			scst_tgt_dev_release(j->tgt[i].nexus);
		j->tgt[i].nexus = NULL;
	}
}

/* ------------------------------------------------------- parsing ---- */

static void xc_copy_aborted(struct scst_cmd *cmd, uint8_t asc, uint8_t ascq)
{
	scst_set_cmd_error(cmd, COPY_ABORTED, asc, ascq);
}

/* Target descriptors at @p (@n of them, @off: their offset in the list). */
static bool xc_parse_targets(struct xc_job *j, const uint8_t *p, unsigned int n,
			     unsigned int off)
{
	unsigned int i;

	for (i = 0; i < n; i++, p += XC_TGT_LEN, off += XC_TGT_LEN) {
		if (p[0] != XC_DESC_IDENT) {
			/* UNSUPPORTED TARGET DESCRIPTOR TYPE CODE */
			scst_set_cmd_error(j->cmd, ILLEGAL_REQUEST, 0x26, 0x07);
			return false;
		}
		/* NUL (bit 5) and a peripheral type other than block. */
		if (p[1] & 0x20) {
			scst_set_invalid_field_in_parm_list(j->cmd, off + 1, 5);
			return false;
		}
		if (p[1] & 0x1f) {
			scst_set_invalid_field_in_parm_list(j->cmd, off + 1, 4);
			return false;
		}
		if (p[7] > XC_MAX_DESIG) {
			scst_set_invalid_field_in_parm_list(j->cmd, off + 7, 7);
			return false;
		}
	}
	return true;
}

static bool xc_parse_segments(struct xc_job *j, const uint8_t *p,
			      unsigned int len, unsigned int off)
{
	unsigned int pos = 0;

	j->nseg = 0;
	while (pos < len) {
		const uint8_t *d = p + pos;
		struct xc_seg *s;

		if (len - pos < 4) {
			scst_set_cmd_error(
			    j->cmd,
			    SCST_LOAD_SENSE(
				scst_sense_parameter_list_length_invalid));
			return false;
		}
		if (d[0] != XC_SEG_B2B) {
			/* UNSUPPORTED SEGMENT DESCRIPTOR TYPE CODE */
			scst_set_cmd_error(j->cmd, ILLEGAL_REQUEST, 0x26, 0x09);
			return false;
		}
		if (scst_get_be16(&d[2]) != XC_SEG_LEN - 4) {
			scst_set_invalid_field_in_parm_list(j->cmd,
							    off + pos + 2, 7);
			return false;
		}
		if (len - pos < XC_SEG_LEN) {
			scst_set_cmd_error(
			    j->cmd,
			    SCST_LOAD_SENSE(
				scst_sense_parameter_list_length_invalid));
			return false;
		}
		if (j->nseg == VDISK_XCOPY_MAX_SEG_DESC) {
			/* TOO MANY SEGMENT DESCRIPTORS */
			scst_set_cmd_error(j->cmd, ILLEGAL_REQUEST, 0x26, 0x08);
			return false;
		}
		s = &j->seg[j->nseg++];
		s->src = scst_get_be16(&d[4]);
		s->dst = scst_get_be16(&d[6]);
		/* DC (byte 1 bit 1) picks the unit of the block count. */
		s->dc = d[1] & 0x02;
		s->blocks = scst_get_be16(&d[10]);
		s->src_lba = scst_get_be64(&d[12]);
		s->dst_lba = scst_get_be64(&d[20]);
		s->done = 0;
		pos += XC_SEG_LEN;
	}
	return true;
}

/* Resolve every target descriptor through the session's own LUNs. */
static bool xc_resolve(struct xc_job *j, const uint8_t *p, unsigned int n,
		       unsigned int off)
{
	struct scst_session *sess = scst_cmd_sess(j->cmd);
	unsigned int i;

	for (i = 0; i < n; i++, p += XC_TGT_LEN, off += XC_TGT_LEN) {
		struct xc_target *t = &j->tgt[i];
		struct scst_device *dev;
		uint32_t bs;

		/* The descriptor is a const buffer the match only reads. */
		dev = scst_sess_find_dev_by_match(
		    sess, xc_match, (void *)(uintptr_t)p, &t->nexus);
		j->ntgt = i + 1;
		if (!dev) {
			/* COPY TARGET DEVICE NOT REACHABLE */
			xc_copy_aborted(j->cmd, 0x0d, 0x02);
			return false;
		}
		t->vd = scst_dev_get_dh_priv(dev);
		t->ro = scst_tgt_dev_read_only(t->nexus);
		bs = scst_get_be24(&p[29]);
		if (bs != t->vd->block_size) {
			scst_set_invalid_field_in_parm_list(j->cmd, off + 29,
							    7);
			return false;
		}
	}
	return true;
}

static uint64_t xc_nblocks(struct vdisk_dev *vd, bool *ro)
{
	uint64_t n;

	scst_spin_lock(&vd->lock);
	n = vd->nblocks;
	*ro = vd->read_only || vd->swp;
	scst_spin_unlock(&vd->lock);
	return n;
}

/* Segments against the resolved targets: indexes, sizes, ranges. */
static bool xc_check_segments(struct xc_job *j, unsigned int off)
{
	unsigned int i;

	for (i = 0; i < j->nseg; i++, off += XC_SEG_LEN) {
		struct xc_seg *s = &j->seg[i];
		struct vdisk_dev *src, *dst;
		uint64_t cap;
		uint32_t unit;
		bool ro;

		if (s->src >= j->ntgt || s->dst >= j->ntgt) {
			/* COPY TARGET DEVICE NOT REACHABLE */
			xc_copy_aborted(j->cmd, 0x0d, 0x02);
			return false;
		}
		src = j->tgt[s->src].vd;
		dst = j->tgt[s->dst].vd;
		unit = s->dc ? dst->block_size : src->block_size;
		s->bytes = (uint64_t)s->blocks * unit;
		if (s->bytes % src->block_size || s->bytes % dst->block_size ||
		    s->bytes > VDISK_XCOPY_MAX_SEG_BYTES) {
			scst_set_invalid_field_in_parm_list(j->cmd, off + 10,
							    7);
			return false;
		}
		cap = xc_nblocks(src, &ro);
		/*
		 * A range past the end of a copy target: an error found while
		 * processing a segment, so COPY ABORTED (SPC-4 6.4, errors
		 * detected during processing of segment descriptors); the
		 * block range is the copy target's to refuse, which the copy
		 * manager reports as COPY TARGET DEVICE NOT REACHABLE as for
		 * any copy target that cannot take the segment's I/O.
		 */
		if (s->src_lba > cap ||
		    s->bytes / src->block_size > cap - s->src_lba) {
			xc_copy_aborted(j->cmd, 0x0d, 0x02);
			return false;
		}
		cap = xc_nblocks(dst, &ro);
		if (ro || j->tgt[s->dst].ro) {
			/* WRITE PROTECTED */
			scst_set_cmd_error(j->cmd, DATA_PROTECT, 0x27, 0x00);
			return false;
		}
		if (s->dst_lba > cap ||
		    s->bytes / dst->block_size > cap - s->dst_lba) {
			xc_copy_aborted(j->cmd, 0x0d, 0x02);
			return false;
		}
	}
	return true;
}

/* -------------------------------------------------------- driver ---- */

static void xc_set_io_error(struct scst_cmd *cmd, enum vdisk_io_op op, int err)
{
	switch (err) {
	case -EIO:
		if (op == VDISK_IO_READ) /* UNRECOVERED READ ERROR */
			xc_copy_aborted(cmd, 0x11, 0x00);
		else /* WRITE ERROR */
			xc_copy_aborted(cmd, 0x0c, 0x00);
		break;
	case -ENOSPC:
	case -EDQUOT: /* SPACE ALLOCATION FAILED WRITE PROTECT */
		xc_copy_aborted(cmd, 0x27, 0x07);
		break;
	case -ENOMEDIUM: /* MEDIUM NOT PRESENT */
		xc_copy_aborted(cmd, 0x3a, 0x00);
		break;
	case -ENOMEM:
	case -EAGAIN:
		scst_set_cmd_error_status(cmd, SAM_STAT_BUSY);
		break;
	default: /* THIRD PARTY DEVICE FAILURE */
		xc_copy_aborted(cmd, 0x0d, 0x01);
		break;
	}
}

static void xc_free(struct xc_job *j)
{
	xc_release(j);
	scst_os_free(j->raw);
	scst_os_free(j);
}

/* End the command: results, references, memory. */
static void xc_finish(struct xc_job *j)
{
	struct scst_cmd *cmd = j->cmd;

	if (j->err)
		xc_set_io_error(cmd, j->err_op, j->err);
	else if (scst_cmd_aborted(cmd) && j->cur < j->nseg)
		scst_set_cmd_error(cmd,
				   SCST_LOAD_SENSE(scst_sense_aborted_command));
	xc_end(j, !scst_cmd_has_error(cmd));
	xc_free(j);
	vdisk_cmd_done(cmd);
}

static bool xc_fua(struct vdisk_dev *vd)
{
	bool wce;

	if (vd->nv_cache)
		return false;
	scst_spin_lock(&vd->lock);
	wce = vd->wce;
	scst_spin_unlock(&vd->lock);
	return vd->write_through || !wce;
}

static void xc_io_done(struct vdisk_io *io, int err);

/*
 * One step after the start or after an I/O: true when the job finished
 * (and is gone), false when an I/O was submitted.
 */
static bool xc_step(struct xc_job *j)
{
	struct xc_seg *s;
	struct vdisk_dev *vd;

	if (j->err) {
		xc_finish(j);
		return true;
	}
	if (j->writing) {
		/* The chunk just written. */
		s = &j->seg[j->cur];
		s->done += j->n;
		j->writing = false;
		xc_progress(j, j->n, s->done == s->bytes);
		if (s->done == s->bytes)
			j->cur++;
	} else if (j->n) {
		/* The chunk just read: write it. */
		s = &j->seg[j->cur];
		vd = j->tgt[s->dst].vd;
		j->writing = true;
		memset(&j->io, 0, sizeof(j->io));
		j->io.vd = vd;
		j->io.op = VDISK_IO_WRITE;
		j->io.off = (s->dst_lba << vd->block_shift) + s->done;
		j->io.len = j->n;
		j->io.fua = xc_fua(vd);
		goto submit;
	}
	/* Segments of no blocks are done at once. */
	while (j->cur < j->nseg &&
	       j->seg[j->cur].done == j->seg[j->cur].bytes) {
		xc_progress(j, 0, true);
		j->cur++;
	}
	if (j->cur == j->nseg || scst_cmd_aborted(j->cmd)) {
		xc_finish(j);
		return true;
	}
	s = &j->seg[j->cur];
	vd = j->tgt[s->src].vd;
	j->n = s->bytes - s->done > j->buf_len ? j->buf_len
					       : (uint32_t)(s->bytes - s->done);
	memset(&j->io, 0, sizeof(j->io));
	j->io.vd = vd;
	j->io.op = VDISK_IO_READ;
	j->io.off = (s->src_lba << vd->block_shift) + s->done;
	j->io.len = j->n;
submit:
	j->sg.addr = j->buf;
	j->sg.len = j->n;
	j->io.sg = &j->sg;
	j->io.sg_cnt = 1;
	j->io.priv = j;
	j->io.done = xc_io_done;
	return false;
}

/* Drive the job; completions that come back inline only count a kick. */
static void xc_kick(struct xc_job *j)
{
	if (scst_atomic_inc_return(&j->kicks) > 1)
		return;
	do {
		if (xc_step(j))
			return;
		vdisk_io_submit(&j->io);
	} while (scst_atomic_add_return(&j->kicks, -1) > 0);
}

static void xc_io_done(struct vdisk_io *io, int err)
{
	struct xc_job *j = io->priv;

	if (err) {
		j->err = err;
		j->err_op = io->op;
	}
	xc_kick(j);
}

/* ------------------------------------------------- EXTENDED COPY ---- */

static int xc_extended_copy(struct scst_cmd *cmd, struct vdisk_dev *vd)
{
	uint32_t plen = scst_cmd_bufflen(cmd), tdl, sdl, inl, list_len;
	uint64_t max_seg = 0;
	uint8_t hdr[XC_HDR_LEN], *list = NULL;
	struct xc_job *j;
	unsigned int ntgt, i;

	/* No parameter data: nothing to copy (SPC-4 6.4.1). */
	if (!plen)
		return VDISK_DONE;
	if (plen < XC_HDR_LEN ||
	    scst_cmd_copy_from_buf(cmd, hdr, XC_HDR_LEN) < XC_HDR_LEN) {
		scst_set_cmd_error(
		    cmd,
		    SCST_LOAD_SENSE(scst_sense_parameter_list_length_invalid));
		return VDISK_DONE;
	}
	tdl = scst_get_be16(&hdr[2]);
	sdl = scst_get_be32(&hdr[8]);
	inl = scst_get_be32(&hdr[12]);
	if ((hdr[1] >> 3 & 0x03) == 1) { /* LIST ID USAGE 01b */
		scst_set_invalid_field_in_parm_list(cmd, 1, 4);
		return VDISK_DONE;
	}
	if ((hdr[1] >> 3 & 0x03) == XC_LID_NONE && hdr[0]) {
		scst_set_invalid_field_in_parm_list(cmd, 0, 7);
		return VDISK_DONE;
	}
	if (hdr[1] & 0xc0) {
		scst_set_invalid_field_in_parm_list(cmd, 1, 7);
		return VDISK_DONE;
	}
	if ((uint64_t)tdl + sdl > VDISK_XCOPY_MAX_DESC_LIST_LEN ||
	    (uint64_t)XC_HDR_LEN + tdl + sdl + inl > plen) {
		scst_set_cmd_error(
		    cmd,
		    SCST_LOAD_SENSE(scst_sense_parameter_list_length_invalid));
		return VDISK_DONE;
	}
	if (inl) {
		/* INLINE DATA LENGTH EXCEEDED: no inline data is supported. */
		scst_set_cmd_error(cmd, ILLEGAL_REQUEST, 0x26, 0x0b);
		return VDISK_DONE;
	}
	if (tdl % XC_TGT_LEN) {
		scst_set_invalid_field_in_parm_list(cmd, 2, 7);
		return VDISK_DONE;
	}
	ntgt = tdl / XC_TGT_LEN;
	if (ntgt > VDISK_XCOPY_MAX_TGT_DESC) {
		/* TOO MANY TARGET DESCRIPTORS */
		scst_set_cmd_error(cmd, ILLEGAL_REQUEST, 0x26, 0x06);
		return VDISK_DONE;
	}

	j = scst_os_zalloc(sizeof(*j));
	list_len = XC_HDR_LEN + tdl + sdl;
	if (j)
		list = scst_os_alloc(list_len);
	if (!j || !list) {
		scst_os_free(j);
		scst_set_cmd_error_status(cmd, SAM_STAT_BUSY);
		return VDISK_DONE;
	}
	j->cmd = cmd;
	j->cm = vd;
	j->list_id = hdr[0];
	j->lid_usage = hdr[1] >> 3 & 0x03;
	scst_atomic_set(&j->kicks, 0);
	scst_cmd_copy_from_buf(cmd, list, list_len);

	if (!xc_parse_targets(j, list + XC_HDR_LEN, ntgt, XC_HDR_LEN) ||
	    !xc_parse_segments(j, list + XC_HDR_LEN + tdl, sdl,
			       XC_HDR_LEN + tdl))
		goto out_list;
	/* From here on the list has a state: COPY STATUS reports it. */
	if (!xc_begin(j))
		goto out_list;
	if (!xc_resolve(j, list + XC_HDR_LEN, ntgt, XC_HDR_LEN) ||
	    !xc_check_segments(j, XC_HDR_LEN + tdl))
		goto out_end;
	scst_os_free(list);
	list = NULL;

	for (i = 0; i < j->nseg; i++)
		if (j->seg[i].bytes > max_seg)
			max_seg = j->seg[i].bytes;
	j->buf_len =
	    max_seg > VDISK_XCOPY_CHUNK ? VDISK_XCOPY_CHUNK : (uint32_t)max_seg;
	if (j->buf_len) {
		/* Aligned for O_DIRECT backends. */
		j->raw = scst_os_alloc(j->buf_len + XC_ALIGN);
		if (!j->raw) {
			scst_set_cmd_error_status(cmd, SAM_STAT_BUSY);
			goto out_end;
		}
		j->buf = (uint8_t *)(((uintptr_t)j->raw + XC_ALIGN - 1) &
				     ~(uintptr_t)(XC_ALIGN - 1));
	}
	xc_kick(j);
	return VDISK_ASYNC;

out_end:
	xc_end(j, false);
out_list:
	scst_os_free(list);
	xc_free(j);
	return VDISK_DONE;
}

/* -------------------------------------------- RECEIVE COPY RESULTS ---- */

static int xc_copy_status(struct scst_cmd *cmd, struct vdisk_dev *vd)
{
	uint8_t list_id = scst_cmd_cdb(cmd)[2];
	struct xc_state *st;
	struct xc_record *r = NULL;
	const char *ini, *tgt;
	uint8_t buf[12];
	uint64_t count;
	unsigned int i, unit = 0;

	xc_names(cmd, &ini, &tgt);
	memset(buf, 0, sizeof(buf));
	scst_spin_lock(&vd->lock);
	st = vd->xcopy_priv;
	for (i = 0; st && i < XC_RECORDS; i++) {
		if (st->rec[i].used && st->rec[i].held &&
		    st->rec[i].list_id == list_id &&
		    xc_same_nexus(&st->rec[i], ini, tgt)) {
			r = &st->rec[i];
			break;
		}
	}
	if (r) {
		buf[4] = r->status;
		scst_put_be16(&buf[5], r->segs_done);
		count = r->bytes;
	}
	scst_spin_unlock(&vd->lock);
	if (!r) {
		/* No such list of this I_T nexus. */
		scst_set_invalid_field_in_cdb(cmd, 2, 7);
		return VDISK_DONE;
	}
	/* TRANSFER COUNT UNITS: bytes, KiB, MiB, ... whatever fits. */
	while (count > 0xffffffffu) {
		count >>= 10;
		unit++;
	}
	scst_put_be32(buf, sizeof(buf) - 4);
	buf[7] = (uint8_t)unit;
	scst_put_be32(&buf[8], (uint32_t)count);
	scst_cmd_copy_to_buf(cmd, buf, sizeof(buf));
	return VDISK_DONE;
}

static int xc_operating_params(struct scst_cmd *cmd, struct vdisk_dev *vd)
{
	static const uint8_t impl[] = {XC_SEG_B2B, XC_DESC_IDENT};
	uint8_t buf[44 + sizeof(impl)];

	(void)vd;
	memset(buf, 0, sizeof(buf));
	scst_put_be32(buf, sizeof(buf) - 4);
	buf[4] = 0x01; /* SNLID: LIST ID USAGE 11b is supported */
	scst_put_be16(&buf[8], VDISK_XCOPY_MAX_TGT_DESC);
	scst_put_be16(&buf[10], VDISK_XCOPY_MAX_SEG_DESC);
	scst_put_be32(&buf[12], VDISK_XCOPY_MAX_DESC_LIST_LEN);
	scst_put_be32(&buf[16], VDISK_XCOPY_MAX_SEG_BYTES);
	/* No inline data, no held data, no stream devices. */
	scst_put_be16(&buf[34], VDISK_XCOPY_MAX_CONCURRENT);
	buf[36] = VDISK_XCOPY_MAX_CONCURRENT;
	buf[37] = 9; /* DATA SEGMENT GRANULARITY: 512 bytes (log2) */
	buf[43] = sizeof(impl);
	memcpy(&buf[44], impl, sizeof(impl));
	scst_cmd_copy_to_buf(cmd, buf, sizeof(buf));
	return VDISK_DONE;
}

const struct vdisk_op vdisk_xcopy_ops[] = {
    {EXTENDED_COPY, 0x00, VDISK_K_DISKS, xc_extended_copy},
    {RECEIVE_COPY_RESULTS, 0x00, VDISK_K_DISKS, xc_copy_status},
    {RECEIVE_COPY_RESULTS, 0x03, VDISK_K_DISKS, xc_operating_params},
    {.fn = NULL},
};
