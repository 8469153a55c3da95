// SPDX-License-Identifier: GPL-2.0-only
/*
 * The changer's element table: where each cartridge is, the drives found
 * by name, cartridges put back into their drives, and the state file.
 *
 * Drives. A data transfer element names a vtape device, looked up when a
 * command needs it (the drive may be created after the changer, deleted
 * and created again). What the drive says wins over the table: a
 * cartridge found in a drive is placed there (taken out of the element
 * the table had it in, which becomes its source); a cartridge the table
 * places in an empty drive is put back into it (after a restart of scstd
 * the drives start empty). A failed put-back is not tried again until
 * INITIALIZE ELEMENT STATUS; the element reports the failure (EXCEPT).
 *
 * State file <state dir>/vchanger.<device>, written atomically after
 * every change and read when the device is created:
 *   vchanger 1
 *   <address> <source address or -> <o: placed by the operator, or -> <barcode>
 * one line per full element, addresses in hexadecimal (0x0400). A line
 * naming an element the configuration no longer has puts its cartridge
 * in the first empty storage element (its source if that is one).
 */
#include <errno.h>

#include "dev_handlers/vtape/vchanger.h"

/* ---------------------------------------------------------- layout ---- */

int vchg_elem_init(struct vchg_dev *vc)
{
	static const struct {
		enum vchg_type type;
		unsigned int base;
	} kinds[] = {{VCHG_T_DT, VCHG_ADDR_DT},
		     {VCHG_T_MT, VCHG_ADDR_MT},
		     {VCHG_T_IE, VCHG_ADDR_IE},
		     {VCHG_T_ST, VCHG_ADDR_ST}};
	unsigned int k, i, n, at = 0;

	vc->nelem = vc->ndrives + 1 + vc->nie + vc->nslots;
	vc->elem = scst_os_zalloc(vc->nelem * sizeof(*vc->elem));
	if (!vc->elem)
		return -ENOMEM;
	for (k = 0; k < sizeof(kinds) / sizeof(kinds[0]); k++) {
		switch (kinds[k].type) {
		case VCHG_T_DT:
			n = vc->ndrives;
			break;
		case VCHG_T_MT:
			n = 1;
			break;
		case VCHG_T_IE:
			n = vc->nie;
			break;
		default:
			n = vc->nslots;
			break;
		}
		for (i = 0; i < n; i++, at++) {
			vc->elem[at].addr = (uint16_t)(kinds[k].base + i);
			vc->elem[at].type = (uint8_t)kinds[k].type;
		}
	}
	return 0;
}

void vchg_elem_free(struct vchg_dev *vc)
{
	scst_os_free(vc->elem);
	vc->elem = NULL;
}

struct vchg_elem *vchg_elem_at(struct vchg_dev *vc, unsigned int addr)
{
	if (addr >= VCHG_ADDR_ST && addr - VCHG_ADDR_ST < vc->nslots)
		return &vc->elem[vchg_first(vc, VCHG_T_ST) + addr -
				 VCHG_ADDR_ST];
	if (addr >= VCHG_ADDR_IE && addr - VCHG_ADDR_IE < vc->nie)
		return &vc->elem[vchg_first(vc, VCHG_T_IE) + addr -
				 VCHG_ADDR_IE];
	if (addr == VCHG_ADDR_MT)
		return &vc->elem[vchg_first(vc, VCHG_T_MT)];
	if (addr >= VCHG_ADDR_DT && addr - VCHG_ADDR_DT < vc->ndrives)
		return &vc->elem[addr - VCHG_ADDR_DT];
	return NULL;
}

struct vchg_elem *vchg_elem_find(struct vchg_dev *vc, const char *barcode)
{
	unsigned int i;

	for (i = 0; i < vc->nelem; i++)
		if (vc->elem[i].full && !strcmp(vc->elem[i].barcode, barcode))
			return &vc->elem[i];
	return NULL;
}

struct vchg_elem *vchg_elem_stray_home(struct vchg_dev *vc, unsigned int prefer)
{
	struct vchg_elem *e = vchg_elem_at(vc, prefer);
	unsigned int i;

	if (e && e->type == VCHG_T_ST && !e->full && !e->busy)
		return e;
	for (i = vchg_first(vc, VCHG_T_ST); i < vc->nelem; i++)
		if (!vc->elem[i].full && !vc->elem[i].busy)
			return &vc->elem[i];
	return NULL;
}

void vchg_elem_move(struct vchg_elem *src, struct vchg_elem *dst)
{
	memcpy(dst->barcode, src->barcode, sizeof(dst->barcode));
	dst->full = true;
	dst->svalid = true;
	dst->src = src->addr;
	dst->impexp = false;
	dst->restore = false;
	dst->restore_err = 0;
	src->full = false;
	src->svalid = false;
	src->impexp = false;
	src->restore = false;
	src->restore_err = 0;
	src->barcode[0] = '\0';
}

const char *vchg_type_name(enum vchg_type t)
{
	switch (t) {
	case VCHG_T_DT:
		return "drive";
	case VCHG_T_MT:
		return "transport";
	case VCHG_T_IE:
		return "import_export";
	case VCHG_T_ST:
		return "storage";
	default:
		return "?";
	}
}

int vchg_cart_path(const struct vchg_dev *vc, const char *barcode, char *buf,
		   size_t size)
{
	int n = scst_snprintf(buf, size, "%s/%s", vc->media_dir, barcode);

	return n < 0 || (size_t)n >= size ? -ENAMETOOLONG : 0;
}

/* ---------------------------------------------------------- drives ---- */

struct scst_device *vchg_drive_dev(struct vchg_dev *vc, unsigned int i)
{
	struct scst_device *dev = scst_find_device(vc->drive[i].name);

	return dev && vtape_is_drive(dev) ? dev : NULL;
}

/* A drive as it is now. */
struct vchg_probe {
	struct scst_device *dev; /* NULL: no vtape drive of that name */
	bool has;
	bool prevented;
	char barcode[VCHG_BC_LEN + 1];
	struct vtape_ident id;
};

static void vchg_probe(struct vchg_dev *vc, unsigned int i,
		       struct vchg_probe *p)
{
	memset(p, 0, sizeof(*p));
	p->dev = vchg_drive_dev(vc, i);
	if (!p->dev)
		return;
	vtape_drive_ident(p->dev, &p->id);
	p->has =
	    vtape_drive_has_cartridge(p->dev, p->barcode, sizeof(p->barcode));
	p->prevented = vtape_drive_prevented(p->dev);
}

/* Putting a cartridge back into its drive. */
struct vchg_restore {
	struct scst_work work;
	struct vchg_dev *vc;
	struct scst_device *drive;
	unsigned int i; /* data transfer element */
	int err;
	char barcode[VCHG_BC_LEN + 1];
};

static void vchg_restore_work(struct scst_work *w)
{
	struct vchg_restore *r =
	    scst_container_of(w, struct vchg_restore, work);
	struct vchg_dev *vc = r->vc;
	struct vchg_elem *e = &vc->elem[r->i];

	scst_spin_lock(&vc->lock);
	e->busy = false;
	e->restore = r->err != 0; /* tried again by INITIALIZE ELEMENT STATUS */
	e->restore_err = r->err;
	scst_spin_unlock(&vc->lock);
	if (r->err)
		scst_err("vchanger %s: cannot put %s back into drive %s: %d",
			 vc->name, r->barcode, vc->drive[r->i].name, r->err);
	else
		scst_info("vchanger %s: put %s back into drive %s", vc->name,
			  r->barcode, vc->drive[r->i].name);
	scst_os_free(r);
	/* The last touch of the changer (its deletion waits for 0). */
	scst_atomic_dec(&vc->inflight);
}

static void vchg_restore_done(void *arg, int err)
{
	struct vchg_restore *r = arg;

	r->err = err;
	vchg_queue(&r->work);
}

static void vchg_restore_start(struct vchg_restore *r)
{
	struct vchg_dev *vc = r->vc;
	char path[VCHG_PATH_MAX + VCHG_BC_LEN + 2];
	int rc;

	rc = vchg_cart_path(vc, r->barcode, path, sizeof(path));
	if (!rc)
		rc = vtape_drive_put(r->drive, path, r->barcode,
				     vchg_restore_done, r);
	if (rc) {
		/* @done is not called: finish here. */
		r->err = rc;
		vchg_restore_work(&r->work);
	}
}

/*
 * The drive of element @e holds @barcode, which the table has elsewhere
 * (@other) or nowhere: the drive wins (under vc->lock). The table's own
 * cartridge of @e goes back to its source or to storage; @other becomes
 * the source of @barcode.
 */
static void vchg_adopt(struct vchg_dev *vc, struct vchg_elem *e,
		       const char *barcode, struct vchg_elem *other)
{
	struct vchg_elem *home;

	if (e->full) {
		home = vchg_elem_stray_home(vc, e->svalid ? e->src : 0);
		if (home)
			vchg_elem_move(e, home);
		else
			scst_err("vchanger %s: no storage element left for %s",
				 vc->name, e->barcode);
	}
	if (other) {
		vchg_elem_move(other, e);
		return;
	}
	memcpy(e->barcode, barcode, sizeof(e->barcode));
	e->full = true;
	e->svalid = false;
	e->impexp = false;
	e->restore = false;
	e->restore_err = 0;
}

/*
 * Bring element @i (a drive) in line with what the drive holds (under
 * vc->lock). Returns the put-back to start (@spare filled), or NULL;
 * *@changed when the table changed.
 */
static struct vchg_restore *
vchg_reconcile(struct vchg_dev *vc, unsigned int i, const struct vchg_probe *p,
	       bool retry, struct vchg_restore *spare, bool *changed)
{
	struct vchg_elem *e = &vc->elem[i], *other, *home;

	if (e->busy)
		return NULL;
	if (!p->dev) {
		/* When the drive comes back empty, the table's cartridge
		 * goes in again. */
		e->restore = e->full;
		return NULL;
	}
	if (p->has) {
		if (e->full && !strcmp(e->barcode, p->barcode)) {
			e->restore = false;
			e->restore_err = 0;
			return NULL;
		}
		if (!vchg_barcode_ok(p->barcode))
			return NULL; /* not a cartridge of a library */
		other = vchg_elem_find(vc, p->barcode);
		if (other && other->busy)
			return NULL; /* in motion: look again later */
		vchg_adopt(vc, e, p->barcode, other);
		*changed = true;
		return NULL;
	}
	if (!e->full)
		return NULL;
	if (!e->restore) {
		/* Taken out behind the changer's back (the drive's cartridge
		 * attribute): back where it came from, or to storage. */
		home = vchg_elem_stray_home(vc, e->svalid ? e->src : 0);
		if (!home)
			return NULL;
		scst_warn("vchanger %s: %s is no longer in drive %s: placed "
			  "in 0x%04x",
			  vc->name, e->barcode, vc->drive[i].name, home->addr);
		vchg_elem_move(e, home);
		*changed = true;
		return NULL;
	}
	if ((e->restore_err && !retry) || !spare)
		return NULL;
	e->busy = true;
	spare->vc = vc;
	spare->drive = p->dev;
	spare->i = i;
	memcpy(spare->barcode, e->barcode, sizeof(spare->barcode));
	return spare;
}

void vchg_refresh(struct vchg_dev *vc, bool retry)
{
	struct vchg_restore *r, *spare = NULL;
	struct vchg_probe p;
	bool changed = false;
	unsigned int i;

	for (i = 0; i < vc->ndrives; i++) {
		vchg_probe(vc, i, &p);
		if (!spare) {
			spare = scst_os_zalloc(sizeof(*spare));
			if (spare)
				scst_work_init(&spare->work, vchg_restore_work);
		}
		scst_spin_lock(&vc->lock);
		vc->drive[i].present = p.dev != NULL;
		vc->drive[i].prevented = p.prevented;
		if (p.dev)
			vc->drive[i].id = p.id;
		r = vchg_reconcile(vc, i, &p, retry, spare, &changed);
		scst_spin_unlock(&vc->lock);
		if (r) {
			spare = NULL;
			scst_atomic_inc(&vc->inflight);
			vchg_restore_start(r);
		}
	}
	scst_os_free(spare);
	if (changed)
		vchg_state_save_async(vc);
}

/* ------------------------------------------------------- state file ---- */

static void vchg_state_name(const struct vchg_dev *vc, char *buf, size_t size)
{
	scst_snprintf(buf, size, "vchanger.%s", vc->name);
}

int vchg_state_save(struct vchg_dev *vc)
{
	const char *dir = scst_state_dir();
	char name[VCHG_NAME_MAX + 16], *buf;
	/* "0xNNNN 0xNNNN o <barcode>\n" */
	size_t size = 16 + (size_t)vc->nelem * (VCHG_BC_LEN + 20), n = 0;
	struct vchg_elem *e;
	unsigned int i;
	int rc;

	if (!dir)
		return 0;
	buf = scst_os_alloc(size);
	if (!buf)
		return -ENOMEM;
	vchg_state_name(vc, name, sizeof(name));
	scst_mutex_lock(&vc->save_mutex);
	scst_spin_lock(&vc->lock);
	n += (size_t)scst_snprintf(buf, size, "vchanger 1\n");
	for (i = 0; i < vc->nelem; i++) {
		e = &vc->elem[i];
		if (!e->full)
			continue;
		n += (size_t)scst_snprintf(buf + n, size - n, "0x%04x ",
					   e->addr);
		if (e->svalid)
			n += (size_t)scst_snprintf(buf + n, size - n, "0x%04x ",
						   e->src);
		else
			n += (size_t)scst_snprintf(buf + n, size - n, "- ");
		n += (size_t)scst_snprintf(buf + n, size - n, "%c %s\n",
					   e->impexp ? 'o' : '-', e->barcode);
	}
	scst_spin_unlock(&vc->lock);
	rc = scst_os_file_write_atomic(dir, name, buf, n);
	scst_mutex_unlock(&vc->save_mutex);
	scst_os_free(buf);
	if (rc)
		scst_err("vchanger %s: cannot write %s/%s: %d", vc->name, dir,
			 name, rc);
	return rc;
}

static void vchg_save_work(struct scst_work *w)
{
	struct vchg_dev *vc = scst_container_of(w, struct vchg_dev, save_work);

	vchg_state_save(vc);
}

void vchg_state_save_init(struct vchg_dev *vc)
{
	scst_work_init(&vc->save_work, vchg_save_work);
}

void vchg_state_save_async(struct vchg_dev *vc)
{
	vchg_queue(&vc->save_work);
}

/* The next blank-separated word of the line at *@p (ends at '\n'). */
static const char *vchg_word(const char **p, size_t *len)
{
	const char *s = *p, *w;

	while (*s == ' ' || *s == '\t')
		s++;
	w = s;
	while (*s && *s != ' ' && *s != '\t' && *s != '\n')
		s++;
	*len = (size_t)(s - w);
	*p = s;
	return w;
}

static bool vchg_word_u16(const char *w, size_t len, unsigned int *out)
{
	char tmp[16];
	uint64_t v;

	if (!len || len >= sizeof(tmp))
		return false;
	memcpy(tmp, w, len);
	tmp[len] = '\0';
	if (scst_parse_u64(tmp, 0xffff, &v))
		return false;
	*out = (unsigned int)v;
	return true;
}

/* One line "<addr> <src|-> <o|-> <barcode>" into the table. */
static int vchg_state_line(struct vchg_dev *vc, const char *line)
{
	const char *p = line, *w[4];
	size_t len[4];
	unsigned int k, addr, src = 0;
	char bc[VCHG_BC_LEN + 1];
	struct vchg_elem *e;
	bool svalid;

	for (k = 0; k < 4; k++)
		w[k] = vchg_word(&p, &len[k]);
	if (!vchg_word_u16(w[0], len[0], &addr) || len[2] != 1 || !len[3] ||
	    len[3] > VCHG_BC_LEN)
		return -EINVAL;
	svalid = !(len[1] == 1 && w[1][0] == '-');
	if (svalid && !vchg_word_u16(w[1], len[1], &src))
		return -EINVAL;
	memcpy(bc, w[3], len[3]);
	bc[len[3]] = '\0';
	if (!vchg_barcode_ok(bc) || vchg_elem_find(vc, bc))
		return -EINVAL;
	e = vchg_elem_at(vc, addr);
	if (!e || e->full) {
		e = vchg_elem_stray_home(vc, svalid ? src : 0);
		if (!e) {
			scst_err("vchanger %s: no room for cartridge %s "
				 "(element 0x%04x is gone)",
				 vc->name, bc, addr);
			return 0;
		}
		scst_warn("vchanger %s: cartridge %s of element 0x%04x "
			  "placed in 0x%04x",
			  vc->name, bc, addr, e->addr);
		svalid = true;
		src = addr;
	}
	memcpy(e->barcode, bc, sizeof(e->barcode));
	e->full = true;
	e->svalid = svalid;
	e->src = (uint16_t)src;
	e->impexp = e->type == VCHG_T_IE && w[2][0] == 'o';
	e->restore = e->type == VCHG_T_DT;
	return 0;
}

int vchg_state_load(struct vchg_dev *vc, struct scst_mgmt_res *res)
{
	const char *dir = scst_state_dir(), *p, *nl;
	char name[VCHG_NAME_MAX + 16], *buf;
	unsigned int lineno = 1;
	size_t len;
	int rc;

	if (!dir)
		return 0;
	vchg_state_name(vc, name, sizeof(name));
	rc = scst_os_file_read(dir, name, VCHG_STATE_MAX, &buf, &len);
	if (rc == -ENOENT)
		return 0;
	if (rc)
		return scst_mgmt_res_set(res, rc, "%s: cannot read %s/%s: %d",
					 vc->name, dir, name, rc);
	if (strncmp(buf, "vchanger 1\n", 11)) {
		scst_os_free(buf);
		return scst_mgmt_res_set(
		    res, -EINVAL,
		    "%s: %s/%s is not a vchanger state file (remove it to "
		    "start from the barcodes parameter)",
		    vc->name, dir, name);
	}
	for (p = buf + 11; *p; p = nl ? nl + 1 : p + strlen(p)) {
		nl = strchr(p, '\n');
		lineno++;
		if (p == nl)
			continue;
		if (vchg_state_line(vc, p))
			scst_warn("vchanger %s: %s/%s line %u ignored",
				  vc->name, dir, name, lineno);
	}
	scst_os_free(buf);
	return 1;
}

/* ------------------------------------------------------- attribute ---- */

/* One element's line (without the newline) into @buf at @n. */
static size_t vchg_elem_line(struct vchg_dev *vc, const struct vchg_elem *e,
			     unsigned int run_end, char *buf, size_t size,
			     size_t n)
{
	const struct vchg_drive *d =
	    e->type == VCHG_T_DT ? &vc->drive[e - vc->elem] : NULL;

	if (run_end != e->addr)
		n += (size_t)scst_snprintf(buf + n, size - n, "0x%04x-0x%04x",
					   e->addr, run_end);
	else
		n +=
		    (size_t)scst_snprintf(buf + n, size - n, "0x%04x", e->addr);
	n += (size_t)scst_snprintf(buf + n, size - n, " %s %s",
				   vchg_type_name((enum vchg_type)e->type),
				   e->full ? e->barcode : "empty");
	if (e->full && e->svalid)
		n += (size_t)scst_snprintf(buf + n, size - n, " source=0x%04x",
					   e->src);
	if (e->full && e->impexp)
		n += (size_t)scst_snprintf(buf + n, size - n, " operator");
	if (d)
		n += (size_t)scst_snprintf(buf + n, size - n, " device=%s%s",
					   d->name,
					   d->present ? "" : " missing");
	if (e->full && e->restore)
		n += (size_t)scst_snprintf(buf + n, size - n, " put_back");
	if (e->restore_err)
		n += (size_t)scst_snprintf(buf + n, size - n, " load_failed=%d",
					   e->restore_err);
	if (e->busy)
		n += (size_t)scst_snprintf(buf + n, size - n, " busy");
	return n;
}

int vchg_elem_show(struct vchg_dev *vc, char *buf, size_t size)
{
	/* Room kept for the line that says the list was cut short. */
	const size_t tail = 48, line_max = 160;
	unsigned int i, j, left;
	size_t n = 0;

	scst_spin_lock(&vc->lock);
	for (i = 0; i < vc->nelem; i = j) {
		const struct vchg_elem *e = &vc->elem[i];

		/* Fold a run of empty storage or I/E elements. */
		for (j = i + 1;
		     !e->full && !e->busy &&
		     (e->type == VCHG_T_ST || e->type == VCHG_T_IE) &&
		     j < vc->nelem && vc->elem[j].type == e->type &&
		     !vc->elem[j].full && !vc->elem[j].busy;
		     j++)
			;
		if (n + line_max + tail >= size) {
			left = vc->nelem - i;
			n += (size_t)scst_snprintf(
			    buf + n, size - n, "... %u more elements\n", left);
			break;
		}
		n = vchg_elem_line(vc, e, vc->elem[j - 1].addr, buf, size, n);
		n += (size_t)scst_snprintf(buf + n, size - n, "\n");
	}
	scst_spin_unlock(&vc->lock);
	return (int)n;
}
