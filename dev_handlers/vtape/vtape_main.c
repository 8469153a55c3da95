// SPDX-License-Identifier: GPL-2.0-only
/*
 * The vtape handler (peripheral type 01h): a tape drive whose media are
 * cartridge files (vtape_cart.h) in a media directory.
 *
 *   echo "create_cartridge A00001L5 media_dir=/var/lib/vtl; capacity=1G" \
 *        > handlers/vtape/mgmt
 *   echo "add_device drive0 media_dir=/var/lib/vtl; cartridge=A00001L5" \
 *        > handlers/vtape/mgmt
 *   echo A00002L5 > devices/drive0/cartridge     (load another; "" unloads)
 *
 * This file holds the handler type, its parameters and attributes, the
 * drive's thread and queue, loading and unloading, and the calls the
 * vchanger makes (vtape.h).
 */
#include <errno.h>
#include <string.h>

#include "dev_handlers/vtape/vtape_file.h"
#include "dev_handlers/vtape/vtape_priv.h"
#include "scst/byteorder.h"
#include "scst/scst_tree.h"

#define VTAPE_DEF_CAPACITY (1024ull * 1024 * 1024)

static struct scst_os_cache *vtape_req_cache;
/* Every drive, for the module's exit. */
static SCST_LIST_HEAD_DEF(vtape_drives);
static struct scst_mutex vtape_mutex;

/* ------------------------------------------------------ prevention ---- */

/* SPC-4 6.13: per nexus, kept by the core (scst_tgt_dev_set_prevent). */
bool vtape_prevented(struct vtape_drive *d)
{
	return scst_dev_prevented(d->dev);
}

/* -------------------------------------------------- medium changes ---- */

void vtape_mirror_pos(struct vtape_drive *d)
{
	uint64_t pos = d->cart ? vtape_cart_pos(d->cart) : 0;

	scst_spin_lock(&d->lock);
	d->pos_mirror = pos;
	scst_spin_unlock(&d->lock);
}

/* On the drive's thread. The drive holds no cartridge. */
int vtape_load_cart(struct vtape_drive *d, const char *path,
		    const char *barcode, struct scst_tgt_dev *except)
{
	struct vtape_cart *c;
	int rc;

	rc = vtape_file_open(path, false, &d->store);
	if (rc)
		return rc;
	rc = vtape_cart_open(&d->store, &c);
	if (rc) {
		vtape_file_close(&d->store);
		return rc;
	}
	d->cart = c;
	if (vtape_file_read_only(&d->store))
		vtape_cart_set_write_protected(c);
	d->cart_ro = vtape_cart_write_protected(c);
	if (!d->cart_ro && vtape_cart_count_load(c) < 0)
		scst_warn("vtape %s: cannot count the load of %s", d->name,
			  barcode);
	d->dirty = false;
	d->bytes_from_ini = d->bytes_to_medium = 0;
	d->bytes_from_medium = d->bytes_to_ini = 0;
	d->tapealert = 0;
	scst_snprintf(d->cart_path, sizeof(d->cart_path), "%s", path);
	scst_spin_lock(&d->lock);
	d->has_cart = true;
	d->loaded = true;
	d->pos_mirror = 0;
	scst_snprintf(d->barcode, sizeof(d->barcode), "%s", barcode);
	scst_spin_unlock(&d->lock);
	/* NOT READY TO READY CHANGE, MEDIUM MAY HAVE CHANGED. */
	if (except)
		scst_dev_set_ua_except(
		    d->dev, except,
		    SCST_LOAD_SENSE(scst_sense_medium_changed_UA));
	else
		scst_dev_set_ua(d->dev,
				SCST_LOAD_SENSE(scst_sense_medium_changed_UA));
	scst_info("vtape %s: loaded %s", d->name, barcode);
	return 0;
}

/*
 * On the drive's thread: flush, then either keep the cartridge in the
 * drive's throat, unloaded (@release false: LOAD UNLOAD with LOAD 0), or
 * let it go (@release: the changer takes it, or the device goes away).
 */
void vtape_unload_cart(struct vtape_drive *d, bool release)
{
	if (d->cart) {
		if (vtape_sync(d))
			scst_err("vtape %s: flushing %s failed", d->name,
				 d->barcode);
		vtape_cart_close(d->cart);
		d->cart = NULL;
		vtape_file_close(&d->store);
	}
	scst_spin_lock(&d->lock);
	d->loaded = false;
	if (release) {
		d->has_cart = false;
		d->barcode[0] = '\0';
	}
	d->pos_mirror = 0;
	scst_spin_unlock(&d->lock);
	if (release)
		d->cart_path[0] = '\0';
}

/* ------------------------------------------------ the drive's queue ---- */

static void vtape_changer_req(struct vtape_drive *d, struct vtape_req *r)
{
	int err = 0;

	if (r->put)
		err = vtape_load_cart(d, r->path, r->barcode, NULL);
	else
		vtape_unload_cart(d, true);
	if (r->put && err)
		scst_err("vtape %s: cannot load %s: %d", d->name, r->path, err);
	r->done(r->arg, err);
}

static void vtape_run_cmd(struct vtape_drive *d, struct scst_cmd *cmd)
{
	if (!vtape_ssc_exec(d, cmd) && !vtape_spc_exec(d, cmd))
		scst_set_cmd_error(cmd,
				   SCST_LOAD_SENSE(scst_sense_invalid_opcode));
	vtape_mirror_pos(d);
	scst_cmd_exec_done(cmd);
}

static void vtape_work_fn(struct scst_work *w)
{
	struct vtape_drive *d = scst_container_of(w, struct vtape_drive, work);
	struct vtape_req *r;

	for (;;) {
		scst_spin_lock(&d->lock);
		r = scst_list_empty(&d->queue)
			? NULL
			: scst_list_first_entry(&d->queue, struct vtape_req,
						entry);
		if (r)
			scst_list_del_init(&r->entry);
		scst_spin_unlock(&d->lock);
		if (!r)
			break;
		if (r->cmd)
			vtape_run_cmd(d, r->cmd);
		else
			vtape_changer_req(d, r);
		scst_os_cache_free(vtape_req_cache, r);
	}
}

static void vtape_enqueue(struct vtape_drive *d, struct vtape_req *r)
{
	scst_spin_lock(&d->lock);
	scst_list_add_tail(&r->entry, &d->queue);
	scst_spin_unlock(&d->lock);
	scst_queue_work(d->wq, &d->work);
}

/* Opcodes the drive's thread runs; others go to the core. */
bool vtape_queued_opcode(uint8_t op)
{
	switch (op) {
	case TEST_UNIT_READY:
	case REWIND:
	case READ_BLOCK_LIMITS:
	case READ_6:
	case WRITE_6:
	case WRITE_FILEMARKS:
	case SPACE:
	case MODE_SELECT:
	case ERASE:
	case MODE_SENSE:
	case LOAD_UNLOAD:
	case ALLOW_MEDIUM_REMOVAL:
	case LOCATE_10:
	case READ_POSITION:
	case LOG_SENSE:
	case MODE_SELECT_10:
	case MODE_SENSE_10:
	case REPORT_DENSITY_SUPPORT:
	case WRITE_FILEMARKS_16:
	case READ_16:
	case WRITE_16:
	case READ_ATTRIBUTE:
	case SPACE_16:
	case LOCATE_16:
	case ERASE_16:
		return true;
	default:
		return false;
	}
}

static int vtape_exec(struct scst_cmd *cmd)
{
	struct vtape_drive *d = vtape_drv(scst_cmd_dev(cmd));
	struct vtape_req *r;

	if (vtape_spc_exec_inline(d, cmd)) {
		scst_cmd_exec_done(cmd);
		return SCST_EXEC_COMPLETED;
	}
	if (!vtape_queued_opcode(scst_cmd_cdb(cmd)[0]))
		return SCST_EXEC_NOT_COMPLETED;
	r = scst_os_cache_zalloc(vtape_req_cache);
	if (!r) {
		scst_set_cmd_error_status(cmd, SAM_STAT_BUSY);
		scst_cmd_exec_done(cmd);
		return SCST_EXEC_COMPLETED;
	}
	r->cmd = cmd;
	vtape_enqueue(d, r);
	return SCST_EXEC_COMPLETED;
}

/* ----------------------------------------------- the changer's calls ---- */

bool vtape_is_drive(const struct scst_device *dev)
{
	return dev && strcmp(scst_dev_handler_name(dev), "vtape") == 0;
}

void vtape_drive_ident(struct scst_device *dev, struct vtape_ident *id)
{
	*id = vtape_drv(dev)->id;
}

static bool vtape_state(struct scst_device *dev, bool want_loaded,
			char *barcode, size_t len)
{
	struct vtape_drive *d = vtape_drv(dev);
	bool r;

	scst_spin_lock(&d->lock);
	r = want_loaded ? d->loaded : d->has_cart;
	if (r && barcode && len)
		scst_snprintf(barcode, len, "%s", d->barcode);
	scst_spin_unlock(&d->lock);
	return r;
}

bool vtape_drive_loaded(struct scst_device *dev, char *barcode, size_t len)
{
	return vtape_is_drive(dev) && vtape_state(dev, true, barcode, len);
}

bool vtape_drive_has_cartridge(struct scst_device *dev, char *barcode,
			       size_t len)
{
	return vtape_is_drive(dev) && vtape_state(dev, false, barcode, len);
}

bool vtape_drive_prevented(struct scst_device *dev)
{
	return vtape_is_drive(dev) && vtape_prevented(vtape_drv(dev));
}

static int vtape_changer_queue(struct scst_device *dev, bool put,
			       const char *path, const char *barcode,
			       vtape_done_fn done, void *arg)
{
	struct vtape_drive *d;
	struct vtape_req *r;
	bool has;

	if (!vtape_is_drive(dev) || !done)
		return -EINVAL;
	d = vtape_drv(dev);
	has = vtape_state(dev, false, NULL, 0);
	if (put && has)
		return -EBUSY;
	if (!put && !has)
		return -ENOENT;
	if (!put && vtape_prevented(d))
		return -EBUSY;
	if (put && (strlen(path) >= sizeof(r->path) ||
		    strlen(barcode) >= sizeof(r->barcode)))
		return -EINVAL;
	r = scst_os_cache_zalloc(vtape_req_cache);
	if (!r)
		return -ENOMEM;
	r->put = put;
	if (put) {
		scst_snprintf(r->path, sizeof(r->path), "%s", path);
		scst_snprintf(r->barcode, sizeof(r->barcode), "%s", barcode);
	}
	r->done = done;
	r->arg = arg;
	vtape_enqueue(d, r);
	return 0;
}

int vtape_drive_put(struct scst_device *dev, const char *path,
		    const char *barcode, vtape_done_fn done, void *arg)
{
	return vtape_changer_queue(dev, true, path, barcode, done, arg);
}

int vtape_drive_take(struct scst_device *dev, vtape_done_fn done, void *arg)
{
	return vtape_changer_queue(dev, false, NULL, NULL, done, arg);
}

/* ------------------------------------------------ devices ---- */

/* SCST's default serial: CRC-32C of the name (with its NUL), in hex. */
static void vtape_set_defaults(struct vtape_drive *d)
{
	uint32_t crc = scst_os_crc32c(0, d->name, strlen(d->name) + 1);
	uint64_t h = 0xcbf29ce484222325ull;
	const char *s;

	scst_snprintf(d->id.vendor, sizeof(d->id.vendor), "%s",
		      VTAPE_DEF_VENDOR);
	scst_snprintf(d->id.product, sizeof(d->id.product), "%s",
		      VTAPE_DEF_PRODUCT);
	scst_snprintf(d->id.revision, sizeof(d->id.revision), "%s", VTAPE_REV);
	scst_snprintf(d->id.serial, sizeof(d->id.serial), "%08x", crc);
	/* NAA 6 with an IEEE company ID and a hash of the name. */
	for (s = d->name; *s; s++)
		h = (h ^ (uint8_t)*s) * 0x100000001b3ull;
	d->naa[0] = 0x60;
	d->naa[1] = 0x01;
	d->naa[2] = 0x40;
	d->naa[3] = (uint8_t)(0x50 | ((h >> 60) & 0x0f));
	scst_put_be32(d->naa + 4, (uint32_t)(h >> 28));
	scst_put_be64(d->naa + 8, h ^ crc);
	d->block_size = 0;
	d->density = VTAPE_DENSITY;
}

static const char *const vtape_add_params[] = {
    "media_dir",    "cartridge", "t10_vend_id", "prod_id",
    "prod_rev_lvl", "usn",	 NULL};

static bool vtape_barcode_ok(const char *b)
{
	size_t n = strlen(b);

	if (n == 0 || n > VTAPE_BARCODE_LEN)
		return false;
	for (; *b; b++)
		if (*b <= ' ' || *b > '~' || *b == '/')
			return false;
	return true;
}

static int vtape_param_str(const char *params, const char *key, char *dst,
			   size_t size, struct scst_mgmt_res *res)
{
	char val[SCST_ATTR_MAX_STORE];

	if (!scst_params_get(params, key, val, sizeof(val)))
		return 0;
	if (strlen(val) >= size)
		return scst_mgmt_res_set(res, -EINVAL, "%s: too long", key);
	scst_snprintf(dst, size, "%s", val);
	return 0;
}

static int vtape_parse(struct vtape_drive *d, const char *params,
		       struct scst_mgmt_res *res)
{
	int rc;

	rc = scst_params_check(params, vtape_add_params, "add_device", res);
	if (rc)
		return rc;
	rc = vtape_param_str(params, "media_dir", d->media_dir,
			     sizeof(d->media_dir), res);
	rc = rc
		 ?: vtape_param_str(params, "cartridge", d->initial_cart,
				    sizeof(d->initial_cart), res);
	rc = rc
		 ?: vtape_param_str(params, "t10_vend_id", d->id.vendor,
				    sizeof(d->id.vendor), res);
	rc = rc
		 ?: vtape_param_str(params, "prod_id", d->id.product,
				    sizeof(d->id.product), res);
	rc = rc
		 ?: vtape_param_str(params, "prod_rev_lvl", d->id.revision,
				    sizeof(d->id.revision), res);
	rc = rc
		 ?: vtape_param_str(params, "usn", d->id.serial,
				    sizeof(d->id.serial), res);
	if (rc)
		return rc;
	if (!d->media_dir[0] || d->media_dir[0] != '/')
		return scst_mgmt_res_set(
		    res, -EINVAL,
		    "add_device %s: media_dir=/absolute/path is required",
		    d->name);
	if (d->initial_cart[0] && !vtape_barcode_ok(d->initial_cart))
		return scst_mgmt_res_set(res, -EINVAL,
					 "add_device %s: bad barcode '%s'",
					 d->name, d->initial_cart);
	return 0;
}

static int vtape_cart_path(const char *dir, const char *barcode, char *path,
			   size_t size)
{
	int n = scst_snprintf(path, size, "%s/%s", dir, barcode);

	return n < 0 || (size_t)n >= size ? -ENAMETOOLONG : 0;
}

/* Load @barcode from the media directory now (on the drive's thread). */
struct vtape_sync_load {
	struct scst_completion done;
	int err;
};

static void vtape_sync_load_done(void *arg, int err)
{
	struct vtape_sync_load *s = arg;

	s->err = err;
	scst_complete(&s->done);
}

static int vtape_load_now(struct vtape_drive *d, const char *barcode,
			  struct scst_mgmt_res *res)
{
	char path[VTAPE_PATH_MAX];
	struct vtape_sync_load s;
	int rc;

	if (!vtape_barcode_ok(barcode))
		return scst_mgmt_res_set(res, -EINVAL, "bad barcode '%s'",
					 barcode);
	rc = vtape_cart_path(d->media_dir, barcode, path, sizeof(path));
	if (rc)
		return scst_mgmt_res_set(res, rc, "path too long");
	scst_completion_init(&s.done);
	s.err = 0;
	rc = vtape_drive_put(d->dev, path, barcode, vtape_sync_load_done, &s);
	if (rc == 0) {
		scst_wait_for_completion(&s.done);
		rc = s.err;
	} else {
		scst_completion_destroy(&s.done);
		return scst_mgmt_res_set(res, rc, "%s holds a cartridge",
					 d->name);
	}
	scst_completion_destroy(&s.done);
	if (rc)
		return scst_mgmt_res_set(res, rc, "cannot load %s: %s", path,
					 rc == -EMEDIUMTYPE ? "not a cartridge"
					 : rc == -ENOENT    ? "no such file"
					 : rc == -EBUSY
					     ? "it is loaded in another drive"
					 : rc == -EACCES ? "permission denied"
							 : "I/O error");
	return rc;
}

static int vtape_unload_now(struct vtape_drive *d, struct scst_mgmt_res *res)
{
	struct vtape_sync_load s;
	int rc;

	scst_completion_init(&s.done);
	s.err = 0;
	rc = vtape_drive_take(d->dev, vtape_sync_load_done, &s);
	if (rc == 0) {
		scst_wait_for_completion(&s.done);
		rc = s.err;
	}
	scst_completion_destroy(&s.done);
	if (rc == -ENOENT)
		return 0;
	if (rc == -EBUSY)
		return scst_mgmt_res_set(
		    res, rc, "%s: medium removal is prevented", d->name);
	return rc ? scst_mgmt_res_set(res, rc, "unload failed") : 0;
}

static void vtape_free(struct vtape_drive *d)
{
	if (d->wq)
		scst_workqueue_destroy(d->wq);
	scst_spin_destroy(&d->lock);
	scst_os_free(d->bounce);
	scst_os_free(d);
}

static int vtape_add_device(const char *name, const char *params,
			    struct scst_mgmt_res *res)
{
	struct vtape_drive *d;
	char wqname[16];
	int rc;

	if (strlen(name) >= VTAPE_NAME_MAX)
		return scst_mgmt_res_set(res, -EINVAL, "name too long");
	d = scst_os_zalloc(sizeof(*d));
	if (!d)
		return -ENOMEM;
	scst_snprintf(d->name, sizeof(d->name), "%s", name);
	scst_spin_init(&d->lock);
	scst_list_init(&d->queue);
	scst_work_init(&d->work, vtape_work_fn);
	vtape_set_defaults(d);
	rc = vtape_parse(d, params, res);
	if (rc)
		goto fail;
	d->bounce = scst_os_alloc(VTAPE_MAX_BLOCK);
	scst_snprintf(wqname, sizeof(wqname), "vt-%.12s", name);
	d->wq = scst_workqueue_create(wqname, 1);
	if (!d->bounce || !d->wq) {
		rc = -ENOMEM;
		goto fail;
	}
	rc = scst_register_virtual_device(&vtape_devtype, name, d, &d->dev);
	if (rc) {
		scst_mgmt_res_set(res, rc, "add_device %s: %s", name,
				  rc == -EEXIST ? "the name is taken"
						: "cannot register");
		goto fail;
	}
	scst_dev_set_block_size(d->dev, 0);
	if (d->initial_cart[0]) {
		rc = vtape_load_now(d, d->initial_cart, res);
		if (rc) {
			scst_unregister_virtual_device(d->dev);
			goto fail;
		}
	}
	scst_mutex_lock(&vtape_mutex);
	scst_list_add_tail(&d->entry, &vtape_drives);
	scst_mutex_unlock(&vtape_mutex);
	return 0;
fail:
	vtape_free(d);
	return rc;
}

static void vtape_del(struct vtape_drive *d)
{
	scst_mutex_lock(&vtape_mutex);
	scst_list_del_init(&d->entry);
	scst_mutex_unlock(&vtape_mutex);
	scst_unregister_virtual_device(d->dev);
	/* No command is left; the queue drains, then the medium closes. */
	scst_workqueue_flush(d->wq);
	vtape_unload_cart(d, true);
	vtape_free(d);
}

static int vtape_del_device(const char *name, struct scst_mgmt_res *res)
{
	struct scst_device *dev = scst_find_device(name);

	if (!dev || !vtape_is_drive(dev))
		return scst_mgmt_res_set(res, -ENOENT, "no vtape device %s",
					 name);
	vtape_del(vtape_drv(dev));
	return 0;
}

/* "create_cartridge BARCODE media_dir=DIR[; capacity=SIZE][; ...]" */
static int vtape_parse_size(const char *s, uint64_t *out)
{
	char num[32];
	size_t n = strlen(s);
	uint64_t mult = 1, v;
	int rc;

	if (n == 0 || n >= sizeof(num))
		return -EINVAL;
	memcpy(num, s, n + 1);
	switch (num[n - 1]) {
	case 'K':
	case 'k':
		mult = 1ull << 10;
		break;
	case 'M':
	case 'm':
		mult = 1ull << 20;
		break;
	case 'G':
	case 'g':
		mult = 1ull << 30;
		break;
	case 'T':
	case 't':
		mult = 1ull << 40;
		break;
	default:
		break;
	}
	if (mult != 1)
		num[n - 1] = '\0';
	rc = scst_parse_u64(num, UINT64_MAX / mult, &v);
	if (rc)
		return rc;
	*out = v * mult;
	return 0;
}

static const char *const vtape_cc_params[] = {"media_dir", "capacity",
					      "write_protected", NULL};

static int vtape_create_cmd(const char *args, struct scst_mgmt_res *res)
{
	char barcode[VTAPE_BARCODE_LEN + 8], val[SCST_ATTR_MAX_STORE];
	char dir[VTAPE_PATH_MAX], path[VTAPE_PATH_MAX];
	uint64_t capacity = VTAPE_DEF_CAPACITY;
	bool wp = false;
	int rc;

	if (!scst_next_word(&args, barcode, sizeof(barcode)) ||
	    !vtape_barcode_ok(barcode))
		return scst_mgmt_res_set(res, -EINVAL,
					 "create_cartridge: a barcode of 1 to "
					 "32 printable characters "
					 "is required");
	rc = scst_params_check(args, vtape_cc_params, "create_cartridge", res);
	if (rc)
		return rc;
	if (!scst_params_get(args, "media_dir", dir, sizeof(dir)) ||
	    dir[0] != '/')
		return scst_mgmt_res_set(
		    res, -EINVAL,
		    "create_cartridge: media_dir=/absolute/path is required");
	if (scst_params_get(args, "capacity", val, sizeof(val)) &&
	    (vtape_parse_size(val, &capacity) || capacity < (1u << 20)))
		return scst_mgmt_res_set(res, -EINVAL,
					 "create_cartridge: bad capacity '%s' "
					 "(at least 1M)",
					 val);
	if (scst_params_get(args, "write_protected", val, sizeof(val)) &&
	    scst_parse_bool(val, &wp))
		return scst_mgmt_res_set(
		    res, -EINVAL, "create_cartridge: bad write_protected");
	rc = vtape_cart_path(dir, barcode, path, sizeof(path));
	if (rc)
		return scst_mgmt_res_set(res, rc, "path too long");
	rc = vtape_create_cartridge(path, barcode, capacity, wp);
	if (rc)
		return scst_mgmt_res_set(
		    res, rc, "create_cartridge %s: %s", path,
		    rc == -EEXIST   ? "it exists"
		    : rc == -ENOENT ? "no such media directory"
				    : "cannot create it");
	return 0;
}

static int vtape_mgmt_cmd(const char *cmd, struct scst_mgmt_res *res)
{
	char word[32];
	const char *p = cmd;

	if (scst_next_word(&p, word, sizeof(word)) &&
	    strcmp(word, "create_cartridge") == 0)
		return vtape_create_cmd(p, res);
	return scst_mgmt_res_set(res, -EINVAL, "unknown command '%s'", cmd);
}

/* ------------------------------------------------ attributes ---- */

static int vtape_show_str(const char *s, char *buf, size_t size)
{
	return scst_snprintf(buf, size, "%s\n", s);
}

static int vtape_media_dir_show(void *obj, char *buf, size_t size)
{
	return vtape_show_str(vtape_drv(obj)->media_dir, buf, size);
}

static bool vtape_always_key(void *obj)
{
	(void)obj;
	return true;
}

static int vtape_cartridge_show(void *obj, char *buf, size_t size)
{
	struct vtape_drive *d = vtape_drv(obj);
	char b[VTAPE_BARCODE_LEN + 1] = "";

	scst_spin_lock(&d->lock);
	if (d->has_cart)
		scst_snprintf(b, sizeof(b), "%s", d->barcode);
	scst_spin_unlock(&d->lock);
	return vtape_show_str(b, buf, size);
}

/* Loaded through the attribute (or add_device): saved with the config. */
static bool vtape_cartridge_key(void *obj)
{
	return vtape_drv(obj)->initial_cart[0] != '\0';
}

static int vtape_cartridge_store(void *obj, const char *val,
				 struct scst_mgmt_res *res)
{
	struct vtape_drive *d = vtape_drv(obj);
	int rc;

	rc = vtape_unload_now(d, res);
	if (rc)
		return rc;
	d->initial_cart[0] = '\0';
	if (!val[0])
		return 0;
	rc = vtape_load_now(d, val, res);
	if (rc == 0)
		scst_snprintf(d->initial_cart, sizeof(d->initial_cart), "%s",
			      val);
	return rc;
}

static int vtape_position_show(void *obj, char *buf, size_t size)
{
	struct vtape_drive *d = vtape_drv(obj);
	unsigned long long pos;
	bool loaded;

	scst_spin_lock(&d->lock);
	pos = d->pos_mirror;
	loaded = d->loaded;
	scst_spin_unlock(&d->lock);
	if (!loaded)
		return scst_snprintf(buf, size, "none\n");
	return scst_snprintf(buf, size, "%llu\n", pos);
}

static int vtape_block_size_show(void *obj, char *buf, size_t size)
{
	return scst_snprintf(buf, size, "%u\n",
			     scst_dev_block_size((struct scst_device *)obj));
}

#define VTAPE_ID_ATTR(field, attrname, defval)                                 \
	static int vtape_##attrname##_show(void *obj, char *buf, size_t size)  \
	{                                                                      \
		return vtape_show_str(vtape_drv(obj)->id.field, buf, size);    \
	}                                                                      \
	static bool vtape_##attrname##_key(void *obj)                          \
	{                                                                      \
		return strcmp(vtape_drv(obj)->id.field, defval) != 0;          \
	}                                                                      \
	static const struct scst_attr vtape_attr_##attrname = {                \
	    .name = #attrname,                                                 \
	    .mode = 0444,                                                      \
	    .show = vtape_##attrname##_show,                                   \
	    .is_key = vtape_##attrname##_key}

VTAPE_ID_ATTR(vendor, t10_vend_id, VTAPE_DEF_VENDOR);
VTAPE_ID_ATTR(product, prod_id, VTAPE_DEF_PRODUCT);
VTAPE_ID_ATTR(revision, prod_rev_lvl, VTAPE_REV);

static int vtape_usn_show(void *obj, char *buf, size_t size)
{
	return vtape_show_str(vtape_drv(obj)->id.serial, buf, size);
}

static bool vtape_usn_key(void *obj)
{
	struct vtape_drive *d = vtape_drv(obj);
	char def[16];

	scst_snprintf(def, sizeof(def), "%08x",
		      scst_os_crc32c(0, d->name, strlen(d->name) + 1));
	return strcmp(d->id.serial, def) != 0;
}

static const struct scst_attr vtape_attr_media_dir = {
    .name = "media_dir",
    .mode = 0444,
    .flags = SCST_ATTR_KEY,
    .show = vtape_media_dir_show,
    .is_key = vtape_always_key};
static const struct scst_attr vtape_attr_cartridge = {
    .name = "cartridge",
    .mode = 0644,
    .show = vtape_cartridge_show,
    .store = vtape_cartridge_store,
    .is_key = vtape_cartridge_key};
static const struct scst_attr vtape_attr_position = {
    .name = "position", .mode = 0444, .show = vtape_position_show};
static const struct scst_attr vtape_attr_block_size = {
    .name = "block_size", .mode = 0444, .show = vtape_block_size_show};
static const struct scst_attr vtape_attr_usn = {.name = "usn",
						.mode = 0444,
						.show = vtape_usn_show,
						.is_key = vtape_usn_key};

static const struct scst_attr *const vtape_dev_attrs[] = {
    &vtape_attr_media_dir,    &vtape_attr_cartridge,   &vtape_attr_position,
    &vtape_attr_block_size,   &vtape_attr_t10_vend_id, &vtape_attr_prod_id,
    &vtape_attr_prod_rev_lvl, &vtape_attr_usn,	       NULL};

struct scst_dev_type vtape_devtype = {
    .name = "vtape",
    .type = TYPE_TAPE,
    .exec = vtape_exec,
    .dev_attrs = vtape_dev_attrs,
    .add_device = vtape_add_device,
    .add_device_params = vtape_add_params,
    .del_device = vtape_del_device,
    .mgmt_cmd = vtape_mgmt_cmd,
    .mgmt_help = "       echo \"create_cartridge BARCODE media_dir=DIR[; "
		 "capacity=SIZE[K|M|G|T]][; write_protected=0|1]\" >mgmt\n",
};

static int vtape_start(void)
{
	int rc;

	scst_mutex_init(&vtape_mutex);
	vtape_req_cache =
	    scst_os_cache_create("vtape_req", sizeof(struct vtape_req));
	if (!vtape_req_cache)
		return -ENOMEM;
	rc = scst_register_dev_driver(&vtape_devtype);
	if (rc) {
		scst_os_cache_destroy(vtape_req_cache);
		vtape_req_cache = NULL;
	}
	return rc;
}

static void vtape_stop(void)
{
	struct vtape_drive *d;

	/* Devices left at exit: flush and close their cartridges. */
	for (;;) {
		scst_mutex_lock(&vtape_mutex);
		d = scst_list_empty(&vtape_drives)
			? NULL
			: scst_list_first_entry(&vtape_drives,
						struct vtape_drive, entry);
		scst_mutex_unlock(&vtape_mutex);
		if (!d)
			break;
		vtape_del(d);
	}
	scst_unregister_dev_driver(&vtape_devtype);
	scst_os_cache_destroy(vtape_req_cache);
	vtape_req_cache = NULL;
}

const struct scst_module vtape_module = {
    .name = "vtape",
    .start = vtape_start,
    .stop = vtape_stop,
};
