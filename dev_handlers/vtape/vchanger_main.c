// SPDX-License-Identifier: GPL-2.0-only
/*
 * The vchanger handler: its type, the add_device parameters and device
 * attributes, the operator's commands and the life of a device.
 *
 *   echo "add_device lib0 media_dir=/var/lib/vtl; drives=drive0,drive1;
 *         slots=10; ie_slots=2; capacity=4G; barcodes=A00001L5,A00002L5"
 *        > handlers/vchanger/mgmt
 *
 * media_dir  where the cartridge files <barcode> live (required)
 * drives     vtape device names, data transfer elements 0x0001.. in order
 *            (found when needed: they may be created later)
 * slots      storage elements 0x0400.. (required, 1..64512)
 * ie_slots   import/export elements 0x0200.. (0..512, default 1)
 * capacity   of the cartridges the changer creates (K/M/G/T, default 1G)
 * barcodes   cartridges for the storage elements, in order, when the
 *            device is created for the first time (no state file): their
 *            files are created if missing; afterwards the state file
 *            says where every cartridge is
 * Each is also a read-only attribute, key when given (media_dir and slots
 * always), so that scstadmin -write_config writes the command back;
 * "elements" lists the elements and what they hold.
 *
 * The operator, at the import/export door (handlers/vchanger/mgmt):
 *   insert DEVICE BARCODE   a cartridge into the first empty import/export
 *                           element (its file is created if missing)
 *   remove DEVICE BARCODE   a cartridge out of an import/export element
 *   inventory DEVICE        look at the drives again (as INITIALIZE
 *                           ELEMENT STATUS does)
 * Insert and remove are refused while an initiator prevents medium
 * removal, and raise IMPORT OR EXPORT ELEMENT ACCESSED (28h/01h) on every
 * I_T nexus of the changer (SMC-3: a change not made by a command of
 * theirs). "elements" shows the drives as the changer last looked at
 * them: at each of its SMC commands, insert and inventory (an attribute
 * may not look a device up).
 */
#include <errno.h>

#include "dev_handlers/vtape/vchanger.h"

static struct scst_mutex vchg_mutex;
static SCST_LIST_HEAD_DEF(vchg_devs);
static struct scst_workqueue *vchg_wq;

void vchg_queue(struct scst_work *w)
{
	scst_queue_work(vchg_wq, w);
}

bool vchg_barcode_ok(const char *barcode)
{
	size_t i, n = strnlen(barcode, VCHG_BC_LEN + 1);

	if (!n || n > VCHG_BC_LEN || barcode[0] == '.')
		return false;
	for (i = 0; i < n; i++) {
		char c = barcode[i];

		if (!((c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') ||
		      (c >= '0' && c <= '9') || c == '-' || c == '_' ||
		      c == '.' || c == '+'))
			return false;
	}
	return true;
}

static char *vchg_strdup(const char *s)
{
	size_t n = strlen(s) + 1;
	char *p = scst_os_alloc(n);

	if (p)
		memcpy(p, s, n);
	return p;
}

static struct vchg_dev *vchg_find(const char *name)
{
	struct vchg_dev *vc;

	scst_list_for_each_entry (vc, &vchg_devs, entry)
		if (!strcmp(vc->name, name))
			return vc;
	return NULL;
}

/* ------------------------------------------------------- parameters ---- */

static const char *const vchg_params[] = {
    "media_dir", "drives", "slots", "ie_slots", "capacity", "barcodes", NULL};

/* "4G", "512M", "1048576": bytes. */
static int vchg_parse_size(const char *s, uint64_t *out)
{
	char num[32];
	size_t n = strlen(s);
	unsigned int shift = 0;
	uint64_t v;

	if (!n || n >= sizeof(num))
		return -EINVAL;
	memcpy(num, s, n + 1);
	switch (num[n - 1]) {
	case 'K':
	case 'k':
		shift = 10;
		break;
	case 'M':
	case 'm':
		shift = 20;
		break;
	case 'G':
	case 'g':
		shift = 30;
		break;
	case 'T':
	case 't':
		shift = 40;
		break;
	}
	if (shift)
		num[n - 1] = '\0';
	if (scst_parse_u64(num, UINT64_MAX >> shift, &v))
		return -EINVAL;
	*out = v << shift;
	return 0;
}

/* The next item of a comma list into @item; 0 at the end. */
static int vchg_next_item(const char **p, char *item, size_t size)
{
	const char *s = *p, *e;
	size_t n;

	if (!*s)
		return 0;
	e = strchr(s, ',');
	n = e ? (size_t)(e - s) : strlen(s);
	*p = e ? e + 1 : s + n;
	if (!n || n >= size)
		return -EINVAL;
	memcpy(item, s, n);
	item[n] = '\0';
	return 1;
}

static int vchg_parse_drives(struct vchg_dev *vc, const char *val,
			     struct scst_mgmt_res *res)
{
	char name[VCHG_NAME_MAX];
	const char *p = val;
	unsigned int n = 0, i;
	int rc;

	while ((rc = vchg_next_item(&p, name, sizeof(name))) > 0)
		n++;
	if (rc < 0 || n > VCHG_MAX_DRIVES)
		return scst_mgmt_res_set(
		    res, -EINVAL,
		    "drives: '%s' is not a list of at most %u device names",
		    val, VCHG_MAX_DRIVES);
	vc->drive = scst_os_zalloc((n ? n : 1) * sizeof(*vc->drive));
	vc->drives_param = vchg_strdup(val);
	if (!vc->drive || !vc->drives_param)
		return scst_mgmt_res_set(res, -ENOMEM, "out of memory");
	for (p = val; vchg_next_item(&p, name, sizeof(name)) > 0;) {
		if (strchr(name, ' ') || !strcmp(name, vc->name))
			return scst_mgmt_res_set(
			    res, -EINVAL, "drives: bad drive name '%s'", name);
		for (i = 0; i < vc->ndrives; i++)
			if (!strcmp(vc->drive[i].name, name))
				return scst_mgmt_res_set(
				    res, -EINVAL, "drives: %s is listed twice",
				    name);
		vc->drive[vc->ndrives].name = vchg_strdup(name);
		if (!vc->drive[vc->ndrives].name)
			return scst_mgmt_res_set(res, -ENOMEM, "out of memory");
		vc->ndrives++;
	}
	return 0;
}

static int vchg_parse_one(struct vchg_dev *vc, const char *key, const char *val,
			  struct scst_mgmt_res *res)
{
	uint64_t v;

	if (!strcmp(key, "media_dir")) {
		if (val[0] != '/' || strlen(val) >= VCHG_PATH_MAX)
			return scst_mgmt_res_set(
			    res, -EINVAL,
			    "media_dir: '%s' is not an absolute path", val);
		scst_os_free(vc->media_dir);
		vc->media_dir = vchg_strdup(val);
		return vc->media_dir
			   ? 0
			   : scst_mgmt_res_set(res, -ENOMEM, "out of memory");
	}
	if (!strcmp(key, "drives"))
		return vc->drive ? scst_mgmt_res_set(res, -EINVAL,
						     "drives: given twice")
				 : vchg_parse_drives(vc, val, res);
	if (!strcmp(key, "slots")) {
		if (scst_parse_u64(val, VCHG_MAX_SLOTS, &v) || !v)
			return scst_mgmt_res_set(res, -EINVAL,
						 "slots: '%s' is not 1 to %u",
						 val, VCHG_MAX_SLOTS);
		vc->nslots = (unsigned int)v;
		return 0;
	}
	if (!strcmp(key, "ie_slots")) {
		if (scst_parse_u64(val, VCHG_MAX_IE, &v))
			return scst_mgmt_res_set(
			    res, -EINVAL, "ie_slots: '%s' is not 0 to %u", val,
			    VCHG_MAX_IE);
		vc->nie = (unsigned int)v;
		vc->given |= VCHG_P_IE;
		return 0;
	}
	if (!strcmp(key, "capacity")) {
		if (vchg_parse_size(val, &v) || v < VCHG_MIN_CAP)
			return scst_mgmt_res_set(
			    res, -EINVAL,
			    "capacity: '%s' is not a size of at least 1M "
			    "(K, M, G, T suffixes)",
			    val);
		vc->capacity = v;
		vc->given |= VCHG_P_CAP;
		return 0;
	}
	/* barcodes: checked once the slots are known. */
	scst_os_free(vc->barcodes_param);
	vc->barcodes_param = vchg_strdup(val);
	vc->given |= VCHG_P_BARCODES;
	return vc->barcodes_param
		   ? 0
		   : scst_mgmt_res_set(res, -ENOMEM, "out of memory");
}

static int vchg_parse_params(struct vchg_dev *vc, const char *params,
			     struct scst_mgmt_res *res)
{
	char key[32], *val;
	const char *p = params;
	bool slots = false;
	int rc;

	val = scst_os_alloc(SCST_ATTR_MAX_STORE);
	if (!val)
		return scst_mgmt_res_set(res, -ENOMEM, "out of memory");
	vc->nie = VCHG_DEF_IE;
	vc->capacity = VCHG_DEF_CAP;
	while ((rc = scst_params_next(&p, key, sizeof(key), val,
				      SCST_ATTR_MAX_STORE, res)) > 0) {
		slots |= !strcmp(key, "slots");
		rc = vchg_parse_one(vc, key, val, res);
		if (rc)
			break;
	}
	scst_os_free(val);
	if (rc)
		return rc;
	if (!vc->media_dir || !slots)
		return scst_mgmt_res_set(
		    res, -EINVAL,
		    "add_device %s: media_dir and slots are "
		    "required",
		    vc->name);
	if (!vc->drive)
		return vchg_parse_drives(vc, "", res);
	return 0;
}

/* Fill the storage elements from the barcodes parameter, making the
 * cartridge files that do not exist yet. */
static int vchg_seed(struct vchg_dev *vc, struct scst_mgmt_res *res)
{
	char bc[VCHG_BC_LEN + 2], path[VCHG_PATH_MAX + VCHG_BC_LEN + 2];
	unsigned int at = vchg_first(vc, VCHG_T_ST);
	const char *p = vc->barcodes_param;
	struct vchg_elem *e;
	int rc;

	while (p && (rc = vchg_next_item(&p, bc, sizeof(bc))) != 0) {
		if (rc < 0 || !vchg_barcode_ok(bc))
			return scst_mgmt_res_set(
			    res, -EINVAL,
			    "barcodes: '%s' is not a list of barcodes (1 to "
			    "32 of A-Z a-z 0-9 - _ . +)",
			    vc->barcodes_param);
		if (vchg_elem_find(vc, bc))
			return scst_mgmt_res_set(
			    res, -EINVAL, "barcodes: %s is listed twice", bc);
		if (at >= vc->nelem)
			return scst_mgmt_res_set(
			    res, -EINVAL,
			    "barcodes: more cartridges than the %u slots",
			    vc->nslots);
		rc = vchg_cart_path(vc, bc, path, sizeof(path));
		if (!rc)
			rc = vtape_create_cartridge(path, bc, vc->capacity,
						    false);
		if (rc && rc != -EEXIST)
			return scst_mgmt_res_set(
			    res, rc, "barcodes: cannot create cartridge %s: %d",
			    path, rc);
		e = &vc->elem[at++];
		memcpy(e->barcode, bc, sizeof(e->barcode));
		e->full = true;
	}
	return 0;
}

/* ------------------------------------------------------- attributes ---- */

static struct vchg_dev *vchg_obj(void *obj)
{
	return scst_dev_get_dh_priv(obj);
}

static int vchg_show_media_dir(void *obj, char *buf, size_t size)
{
	return scst_snprintf(buf, size, "%s\n", vchg_obj(obj)->media_dir);
}

static int vchg_show_drives(void *obj, char *buf, size_t size)
{
	return scst_snprintf(buf, size, "%s\n", vchg_obj(obj)->drives_param);
}

static bool vchg_key_drives(void *obj)
{
	return vchg_obj(obj)->ndrives != 0;
}

static int vchg_show_slots(void *obj, char *buf, size_t size)
{
	return scst_snprintf(buf, size, "%u\n", vchg_obj(obj)->nslots);
}

static int vchg_show_ie_slots(void *obj, char *buf, size_t size)
{
	return scst_snprintf(buf, size, "%u\n", vchg_obj(obj)->nie);
}

static bool vchg_key_ie_slots(void *obj)
{
	return vchg_obj(obj)->nie != VCHG_DEF_IE;
}

/* The size with the largest suffix that keeps it exact. */
static int vchg_show_capacity(void *obj, char *buf, size_t size)
{
	static const char sfx[] = "KMGT";
	uint64_t v = vchg_obj(obj)->capacity;
	int i = -1;

	while (i < 3 && v && !(v & 1023)) {
		v >>= 10;
		i++;
	}
	if (i < 0)
		return scst_snprintf(buf, size, "%llu\n",
				     (unsigned long long)v);
	return scst_snprintf(buf, size, "%llu%c\n", (unsigned long long)v,
			     sfx[i]);
}

static bool vchg_key_capacity(void *obj)
{
	return vchg_obj(obj)->capacity != VCHG_DEF_CAP;
}

static int vchg_show_barcodes(void *obj, char *buf, size_t size)
{
	const char *b = vchg_obj(obj)->barcodes_param;

	return scst_snprintf(buf, size, "%s\n", b ? b : "");
}

static bool vchg_key_barcodes(void *obj)
{
	return vchg_obj(obj)->barcodes_param != NULL;
}

static int vchg_show_elements(void *obj, char *buf, size_t size)
{
	return vchg_elem_show(vchg_obj(obj), buf, size);
}

static const struct scst_attr vchg_attrs_tab[] = {
    {.name = "media_dir",
     .mode = 0444,
     .flags = SCST_ATTR_KEY,
     .show = vchg_show_media_dir},
    {.name = "drives",
     .mode = 0444,
     .show = vchg_show_drives,
     .is_key = vchg_key_drives},
    {.name = "slots",
     .mode = 0444,
     .flags = SCST_ATTR_KEY,
     .show = vchg_show_slots},
    {.name = "ie_slots",
     .mode = 0444,
     .show = vchg_show_ie_slots,
     .is_key = vchg_key_ie_slots},
    {.name = "capacity",
     .mode = 0444,
     .show = vchg_show_capacity,
     .is_key = vchg_key_capacity},
    {.name = "barcodes",
     .mode = 0444,
     .show = vchg_show_barcodes,
     .is_key = vchg_key_barcodes},
    {.name = "elements", .mode = 0444, .show = vchg_show_elements},
};

static const struct scst_attr *const vchg_attrs[] = {
    &vchg_attrs_tab[0], &vchg_attrs_tab[1],
    &vchg_attrs_tab[2], &vchg_attrs_tab[3],
    &vchg_attrs_tab[4], &vchg_attrs_tab[5],
    &vchg_attrs_tab[6], NULL};

/* ------------------------------------------------------- the operator ---- */

/* IMPORT OR EXPORT ELEMENT ACCESSED, on every nexus (SMC-3). */
static void vchg_ie_accessed(struct vchg_dev *vc)
{
	vchg_state_save(vc);
	scst_dev_set_ua(vc->dev, UNIT_ATTENTION, 0x28, 0x01);
}

static int vchg_insert(struct vchg_dev *vc, const char *bc,
		       struct scst_mgmt_res *res)
{
	char path[VCHG_PATH_MAX + VCHG_BC_LEN + 2];
	struct vchg_elem *e = NULL, *at;
	unsigned int i;
	int rc;

	if (!vchg_barcode_ok(bc))
		return scst_mgmt_res_set(
		    res, -EINVAL,
		    "insert: '%s' is not a barcode (1 to 32 of A-Z a-z 0-9 - "
		    "_ . +)",
		    bc);
	rc = vchg_cart_path(vc, bc, path, sizeof(path));
	if (rc)
		return scst_mgmt_res_set(res, rc, "insert: path too long");
	vchg_refresh(vc, false); /* what the drives hold counts too */
	if (vchg_door_locked(vc))
		return scst_mgmt_res_set(
		    res, -EBUSY,
		    "insert: %s: the import/export door is locked (PREVENT "
		    "ALLOW MEDIUM REMOVAL)",
		    vc->name);
	scst_spin_lock(&vc->lock);
	at = vchg_elem_find(vc, bc);
	for (i = vchg_first(vc, VCHG_T_IE);
	     !at && !e && i < vc->nelem && vc->elem[i].type == VCHG_T_IE; i++)
		if (!vc->elem[i].full && !vc->elem[i].busy)
			e = &vc->elem[i];
	if (e)
		e->busy = true; /* the robot keeps away meanwhile */
	scst_spin_unlock(&vc->lock);
	if (at)
		return scst_mgmt_res_set(res, -EEXIST,
					 "insert: %s is already in element "
					 "0x%04x of %s",
					 bc, at->addr, vc->name);
	if (!e)
		return scst_mgmt_res_set(
		    res, -ENOSPC,
		    "insert: %s has no empty import/export "
		    "element",
		    vc->name);
	rc = vtape_create_cartridge(path, bc, vc->capacity, false);
	if (rc == -EEXIST)
		rc = 0;
	scst_spin_lock(&vc->lock);
	e->busy = false;
	if (!rc) {
		memcpy(e->barcode, bc, sizeof(e->barcode));
		e->full = true;
		e->impexp = true;
		e->svalid = false;
	}
	scst_spin_unlock(&vc->lock);
	if (rc)
		return scst_mgmt_res_set(
		    res, rc, "insert: cannot create cartridge %s: %d", path,
		    rc);
	vchg_ie_accessed(vc);
	scst_info("vchanger %s: %s inserted into element 0x%04x", vc->name, bc,
		  e->addr);
	return 0;
}

static int vchg_remove(struct vchg_dev *vc, const char *bc,
		       struct scst_mgmt_res *res)
{
	struct vchg_elem *e;
	unsigned int addr;
	int rc;

	if (vchg_door_locked(vc))
		return scst_mgmt_res_set(
		    res, -EBUSY,
		    "remove: %s: the import/export door is locked (PREVENT "
		    "ALLOW MEDIUM REMOVAL)",
		    vc->name);
	scst_spin_lock(&vc->lock);
	e = vchg_elem_find(vc, bc);
	if (!e || e->type != VCHG_T_IE || e->busy) {
		addr = e ? e->addr : 0;
		rc = !e ? -ENOENT : e->busy ? -EAGAIN : -EBUSY;
		scst_spin_unlock(&vc->lock);
		if (rc == -ENOENT)
			return scst_mgmt_res_set(
			    res, rc, "remove: %s is not in %s", bc, vc->name);
		if (rc == -EAGAIN)
			return scst_mgmt_res_set(
			    res, rc, "remove: %s is being moved; try again",
			    bc);
		return scst_mgmt_res_set(
		    res, rc,
		    "remove: %s is in element 0x%04x, not in an "
		    "import/export element",
		    bc, addr);
	}
	addr = e->addr;
	e->full = false;
	e->svalid = false;
	e->impexp = false;
	e->barcode[0] = '\0';
	scst_spin_unlock(&vc->lock);
	vchg_ie_accessed(vc);
	scst_info("vchanger %s: %s removed from element 0x%04x", vc->name, bc,
		  addr);
	return 0;
}

static int vchg_mgmt(const char *cmd, struct scst_mgmt_res *res)
{
	char verb[16], name[VCHG_NAME_MAX], bc[VCHG_BC_LEN + 2], extra[2];
	const char *p = cmd;
	struct vchg_dev *vc;
	bool inventory;

	if (scst_next_word(&p, verb, sizeof(verb)) <= 0 ||
	    (strcmp(verb, "insert") && strcmp(verb, "remove") &&
	     strcmp(verb, "inventory")))
		return scst_mgmt_res_set(res, -EINVAL,
					 "vchanger: unknown command '%s'", cmd);
	inventory = !strcmp(verb, "inventory");
	if (scst_next_word(&p, name, sizeof(name)) <= 0 ||
	    (!inventory && scst_next_word(&p, bc, sizeof(bc)) <= 0) ||
	    scst_next_word(&p, extra, sizeof(extra)) != 0)
		return scst_mgmt_res_set(res, -EINVAL, "usage: %s DEVICE%s",
					 verb, inventory ? "" : " BARCODE");
	/* Tree writes are serialized: the device stays while this runs. */
	scst_mutex_lock(&vchg_mutex);
	vc = vchg_find(name);
	scst_mutex_unlock(&vchg_mutex);
	if (!vc)
		return scst_mgmt_res_set(
		    res, -ENOENT, "%s: no vchanger device %s", verb, name);
	if (inventory) {
		/* As INITIALIZE ELEMENT STATUS: the drives looked at again,
		 * failed put-backs tried again. */
		vchg_refresh(vc, true);
		return 0;
	}
	if (!strcmp(verb, "insert"))
		return vchg_insert(vc, bc, res);
	return vchg_remove(vc, bc, res);
}

/* ---------------------------------------------------------- devices ---- */

static struct scst_dev_type vchg_type;

static void vchg_free(struct vchg_dev *vc)
{
	unsigned int i;

	for (i = 0; vc->drive && i < vc->ndrives; i++)
		scst_os_free(vc->drive[i].name);
	scst_os_free(vc->drive);
	vchg_elem_free(vc);
	scst_os_free(vc->drives_param);
	scst_os_free(vc->barcodes_param);
	scst_os_free(vc->media_dir);
	scst_os_free(vc->name);
	scst_mutex_destroy(&vc->save_mutex);
	scst_spin_destroy(&vc->lock);
	scst_os_free(vc);
}

static int vchg_add(const char *name, const char *params,
		    struct scst_mgmt_res *res)
{
	struct vchg_dev *vc;
	int rc;

	if (strlen(name) >= VCHG_NAME_MAX)
		return scst_mgmt_res_set(
		    res, -EINVAL, "add_device: name '%s' too long", name);
	vc = scst_os_zalloc(sizeof(*vc));
	if (!vc)
		return scst_mgmt_res_set(res, -ENOMEM, "out of memory");
	scst_spin_init(&vc->lock);
	scst_mutex_init(&vc->save_mutex);
	scst_list_init(&vc->entry);
	vchg_state_save_init(vc);
	vc->name = vchg_strdup(name);
	if (!vc->name) {
		rc = scst_mgmt_res_set(res, -ENOMEM, "out of memory");
		goto out_free;
	}
	rc = vchg_parse_params(vc, params, res);
	if (rc)
		goto out_free;
	rc = vchg_elem_init(vc);
	if (rc) {
		scst_mgmt_res_set(res, rc, "out of memory");
		goto out_free;
	}
	vchg_ident_init(vc);
	rc = vchg_state_load(vc, res);
	if (rc < 0)
		goto out_free;
	if (!rc) { /* first creation */
		rc = vchg_seed(vc, res);
		if (rc)
			goto out_free;
		vchg_state_save(vc);
	}
	rc = scst_register_virtual_device(&vchg_type, name, vc, &vc->dev);
	if (rc) {
		scst_mgmt_res_set(res, rc, "vchanger: cannot register %s",
				  name);
		goto out_free;
	}
	scst_mutex_lock(&vchg_mutex);
	scst_list_add_tail(&vc->entry, &vchg_devs);
	scst_mutex_unlock(&vchg_mutex);
	vchg_refresh(vc, false);
	scst_info("vchanger: added %s (%u drives, %u import/export, %u "
		  "storage elements, media in %s)",
		  name, vc->ndrives, vc->nie, vc->nslots, vc->media_dir);
	return 0;

out_free:
	vchg_free(vc);
	return rc;
}

static void vchg_del(struct vchg_dev *vc)
{
	scst_mutex_lock(&vchg_mutex);
	scst_list_del_init(&vc->entry);
	scst_mutex_unlock(&vchg_mutex);
	/* Unmaps it everywhere and waits for its commands. */
	scst_unregister_virtual_device(vc->dev);
	/* Loads started without a command (put-backs) end on their own. */
	while (scst_atomic_read(&vc->inflight))
		scst_os_msleep(1);
	/* The work that dropped the count, and any state write, returned. */
	scst_workqueue_flush(vchg_wq);
	vchg_free(vc);
}

static int vchg_del_device(const char *name, struct scst_mgmt_res *res)
{
	struct vchg_dev *vc;

	scst_mutex_lock(&vchg_mutex);
	vc = vchg_find(name);
	scst_mutex_unlock(&vchg_mutex);
	if (!vc)
		return scst_mgmt_res_set(
		    res, -ENOENT, "del_device: no vchanger device %s", name);
	vchg_del(vc);
	return 0;
}

static struct scst_dev_type vchg_type = {
    .name = "vchanger",
    .type = TYPE_MEDIUM_CHANGER,
    .exec = vchg_exec,
    .dev_attrs = vchg_attrs,
    .add_device = vchg_add,
    .add_device_params = vchg_params,
    .del_device = vchg_del_device,
    .mgmt_cmd = vchg_mgmt,
    .mgmt_help = "       echo \"insert DEVICE BARCODE\" >mgmt\n"
		 "       echo \"remove DEVICE BARCODE\" >mgmt\n"
		 "       echo \"inventory DEVICE\" >mgmt\n",
};

/* ------------------------------------------------------------ module ---- */

static int vchg_init(void)
{
	int rc;

	scst_mutex_init(&vchg_mutex);
	vchg_wq = scst_workqueue_create("vchanger", 1);
	if (!vchg_wq) {
		rc = -ENOMEM;
		goto out_mutex;
	}
	rc = scst_register_dev_driver(&vchg_type);
	if (rc)
		goto out_wq;
	return 0;

out_wq:
	scst_workqueue_destroy(vchg_wq);
	vchg_wq = NULL;
out_mutex:
	scst_mutex_destroy(&vchg_mutex);
	return rc;
}

static void vchg_exit(void)
{
	struct vchg_dev *vc;

	for (;;) {
		scst_mutex_lock(&vchg_mutex);
		vc = scst_list_empty(&vchg_devs)
			 ? NULL
			 : scst_list_first_entry(&vchg_devs, struct vchg_dev,
						 entry);
		scst_mutex_unlock(&vchg_mutex);
		if (!vc)
			break;
		vchg_del(vc);
	}
	scst_unregister_dev_driver(&vchg_type);
	scst_workqueue_destroy(vchg_wq);
	vchg_wq = NULL;
	scst_mutex_destroy(&vchg_mutex);
}

const struct scst_module vchanger_module = {
    .name = "vchanger",
    .start = vchg_init,
    .stop = vchg_exit,
};
