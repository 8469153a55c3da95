// SPDX-License-Identifier: GPL-2.0-only
/*
 * The pass-through handlers dev_disk (00h), dev_tape (01h), dev_changer
 * (08h) and dev_cdrom (05h): devices, their attributes, task management
 * and the module. SCST's syntax:
 *
 *   echo "add_device 2:0:0:0" > handlers/dev_tape/mgmt
 *   echo "add_device lib0 filename=/dev/tape/by-id/scsi-XYZ-nst" \
 *        > handlers/dev_changer/mgmt
 *
 * The device is found through sysfs (pt_sysfs.c) and must have the
 * handler's peripheral type; commands go through the backend (Linux SG,
 * pt_sg.c) from pt_exec.c.
 */
#include <errno.h>
#include <string.h>

#include "dev_handlers/passthrough/pt_priv.h"
#include "scst/byteorder.h"
#include "scst/scst_tree.h"

static const struct pt_backend_ops *pt_ops = &pt_sg_ops;
static SCST_LIST_HEAD_DEF(pt_devs);
static struct scst_mutex pt_mutex;
static struct scst_workqueue *pt_wq;

void pt_set_backend(const struct pt_backend_ops *ops)
{
	pt_ops = ops ? ops : &pt_sg_ops;
}

int pt_set_sysfs_root(const char *root)
{
	return pt_sysfs_set_root(root);
}

static struct pt_dev *pt_of(void *obj)
{
	return scst_dev_get_dh_priv(obj);
}

/* ------------------------------------------------- task management ---- */

struct pt_reset_work {
	struct scst_work work;
	struct pt_dev *d;
};

/*
 * Reset the real device (SG_SCSI_RESET_DEVICE), then take the device's
 * own POWER ON/RESET unit attention with TEST UNIT READY, so that it is
 * not fanned out a second time: the core already told every nexus.
 */
static void pt_reset_fn(struct scst_work *w)
{
	struct pt_reset_work *rw =
	    scst_container_of(w, struct pt_reset_work, work);
	struct pt_dev *d = rw->d;
	static const uint8_t tur[6] = {TEST_UNIT_READY};
	uint8_t key;
	int rc, i;

	rc = d->be->ops->reset ? d->be->ops->reset(d->be) : -EOPNOTSUPP;
	if (rc)
		scst_warn("%s: device reset failed: %d", d->name, rc);
	for (i = 0; rc == 0 && i < 4; i++) {
		rc = pt_sync_cmd(d, tur, sizeof(tur), NULL, 0, &key, NULL);
		if (rc != SAM_STAT_CHECK_CONDITION || key != UNIT_ATTENTION)
			break;
		rc = 0;
	}
	scst_os_free(rw);
}

static void pt_task_mgmt_fn_received(struct scst_mgmt_cmd *mcmd,
				     struct scst_device *dev)
{
	enum scst_tmf fn = scst_mgmt_cmd_fn(mcmd);
	struct pt_dev *d = pt_of(dev);
	struct pt_reset_work *rw;

	if (fn != SCST_LUN_RESET && fn != SCST_TARGET_RESET)
		return; /* aborted commands end when the device answers */
	if (pt_is_gone(d))
		return;
	scst_spin_lock(&d->lock);
	d->resets++;
	scst_spin_unlock(&d->lock);
	rw = scst_os_zalloc(sizeof(*rw));
	if (!rw)
		return;
	/* The ioctl blocks: never on the TMF's (a network) thread. */
	rw->d = d;
	scst_work_init(&rw->work, pt_reset_fn);
	scst_queue_work(pt_wq, &rw->work);
}

/* ------------------------------------------------------ attributes ---- */

#define PT_COUNTER_ATTR(field)                                                 \
	static int pt_##field##_show(void *obj, char *buf, size_t size)        \
	{                                                                      \
		struct pt_dev *d = pt_of(obj);                                 \
		unsigned long v;                                               \
                                                                               \
		scst_spin_lock(&d->lock);                                      \
		v = d->field;                                                  \
		scst_spin_unlock(&d->lock);                                    \
		return scst_snprintf(buf, size, "%lu\n", v);                   \
	}                                                                      \
	static const struct scst_attr pt_attr_##field = {                      \
	    .name = #field, .mode = 0444, .show = pt_##field##_show}

PT_COUNTER_ATTR(in_flight);
PT_COUNTER_ATTR(cmds_done);
PT_COUNTER_ATTR(errors);
PT_COUNTER_ATTR(host_errors);
PT_COUNTER_ATTR(resets);

static int pt_filename_show(void *obj, char *buf, size_t size)
{
	return scst_snprintf(buf, size, "%s\n", pt_of(obj)->filename);
}

static bool pt_filename_key(void *obj)
{
	return pt_of(obj)->filename[0] != '\0';
}

static int pt_sg_show(void *obj, char *buf, size_t size)
{
	return scst_snprintf(buf, size, "%s\n", pt_of(obj)->path);
}

static int pt_hctl_show(void *obj, char *buf, size_t size)
{
	return scst_snprintf(buf, size, "%s\n", pt_of(obj)->hctl);
}

/* In 512-byte sectors, as the kernel's max_sectors. */
static int pt_max_sectors_show(void *obj, char *buf, size_t size)
{
	return scst_snprintf(buf, size, "%u\n", pt_of(obj)->max_transfer / 512);
}

static int pt_block_size_show(void *obj, char *buf, size_t size)
{
	return scst_snprintf(buf, size, "%u\n",
			     scst_dev_block_size((struct scst_device *)obj));
}

static int pt_state_show(void *obj, char *buf, size_t size)
{
	return scst_snprintf(buf, size, "%s\n",
			     pt_is_gone(pt_of(obj)) ? "gone" : "online");
}

static const struct scst_attr pt_attr_filename = {.name = "filename",
						  .mode = 0444,
						  .show = pt_filename_show,
						  .is_key = pt_filename_key};
static const struct scst_attr pt_attr_sg = {
    .name = "sg_device", .mode = 0444, .show = pt_sg_show};
static const struct scst_attr pt_attr_hctl = {
    .name = "h_c_i_l", .mode = 0444, .show = pt_hctl_show};
static const struct scst_attr pt_attr_max_sectors = {
    .name = "max_sectors", .mode = 0444, .show = pt_max_sectors_show};
static const struct scst_attr pt_attr_block_size = {
    .name = "block_size", .mode = 0444, .show = pt_block_size_show};
static const struct scst_attr pt_attr_state = {
    .name = "state", .mode = 0444, .show = pt_state_show};

static const struct scst_attr *const pt_dev_attrs[] = {
    &pt_attr_filename,	  &pt_attr_sg,	       &pt_attr_hctl,

    &pt_attr_max_sectors, &pt_attr_block_size, &pt_attr_state,
    &pt_attr_in_flight,	  &pt_attr_cmds_done,  &pt_attr_errors,
    &pt_attr_host_errors, &pt_attr_resets,     NULL};

/* --------------------------------------------------------- devices ---- */

/* The block size the core decodes lengths with, asked of the device. */
static void pt_probe_block_size(struct pt_dev *d)
{
	static const uint8_t rc10[10] = {READ_CAPACITY};
	static const uint8_t ms6[6] = {MODE_SENSE, 0, 0, 0, 12};
	uint8_t type = scst_dev_type(d->dev), b[12] = {0}, key = 0;
	uint32_t bs = 0;
	int rc = -1, i;

	if (type != TYPE_DISK && type != TYPE_ROM && type != TYPE_TAPE)
		return;
	/* The first answers may be the device's own unit attentions. */
	for (i = 0; i < 4; i++) {
		if (type == TYPE_TAPE)
			rc =
			    pt_sync_cmd(d, ms6, sizeof(ms6), b, 12, &key, NULL);
		else
			rc = pt_sync_cmd(d, rc10, sizeof(rc10), b, 8, &key,
					 NULL);
		if (rc != SAM_STAT_CHECK_CONDITION || key != UNIT_ATTENTION)
			break;
	}
	if (rc == SAM_STAT_GOOD && type == TYPE_TAPE && b[3] >= 8)
		bs = (uint32_t)b[9] << 16 | (uint32_t)b[10] << 8 | b[11];
	else if (rc == SAM_STAT_GOOD)
		bs = scst_get_be32(b + 4);
	else if (type != TYPE_TAPE)
		bs = type == TYPE_ROM ? 2048 : 512; /* no medium yet */
	if (type != TYPE_TAPE && (!bs || bs > SCST_MAX_BUFFLEN))
		bs = type == TYPE_ROM ? 2048 : 512;
	scst_dev_set_block_size(d->dev, bs);
}

static uint32_t pt_min_nonzero(uint32_t a, uint32_t b)
{
	if (!a)
		return b;
	return b && b < a ? b : a;
}

static const char *const pt_add_params[] = {"filename", NULL};

static void pt_free(struct pt_dev *d)
{
	if (d->be)
		d->be->ops->close(d->be);
	scst_spin_destroy(&d->lock);
	scst_os_free(d);
}

static int pt_add_device(struct scst_dev_type *dt, const char *name,
			 const char *params, struct scst_mgmt_res *res)
{
	struct pt_sysfs_dev sd;
	struct pt_dev *d;
	int rc;

	if (strlen(name) >= PT_NAME_MAX)
		return scst_mgmt_res_set(res, -EINVAL, "name too long");
	rc = scst_params_check(params, pt_add_params, "add_device", res);
	if (rc)
		return rc;
	d = scst_os_zalloc(sizeof(*d));
	if (!d)
		return -ENOMEM;
	scst_snprintf(d->name, sizeof(d->name), "%s", name);
	scst_spin_init(&d->lock);
	if (scst_params_get(params, "filename", d->filename,
			    sizeof(d->filename))) {
		rc = pt_sysfs_by_path(d->filename, &sd);
		if (rc) {
			scst_mgmt_res_set(res, rc,
					  "add_device %s: no SCSI device "
					  "found for %s",
					  name, d->filename);
			goto fail;
		}
	} else {
		rc = pt_sysfs_by_hctl(name, &sd);
		if (rc) {
			scst_mgmt_res_set(res, rc, "add_device %s: %s", name,
					  rc == -EINVAL
					      ? "expected H:C:I:L or "
						"filename=PATH"
					      : "no such SCSI device with "
						"an sg node");
			goto fail;
		}
	}
	if (sd.type != dt->type) {
		rc = scst_mgmt_res_set(res, -EINVAL,
				       "add_device %s: %s is of type %d, "
				       "%s takes type %d",
				       name, sd.hctl, sd.type, dt->name,
				       dt->type);
		goto fail;
	}
	scst_snprintf(d->hctl, sizeof(d->hctl), "%s", sd.hctl);
	scst_snprintf(d->path, sizeof(d->path), "/dev/%s", sd.sg);
	rc = pt_ops->open(d->path, pt_backend_done, d, &d->be);
	if (rc) {
		d->be = NULL;
		scst_mgmt_res_set(res, rc, "add_device %s: cannot open %s",
				  name, d->path);
		goto fail;
	}
	d->max_transfer = pt_min_nonzero(
	    pt_min_nonzero(
		d->be->ops->max_transfer ? d->be->ops->max_transfer(d->be) : 0,
		sd.max_sectors_kb * 1024u),
	    SCST_MAX_BUFFLEN);
	rc = scst_register_virtual_device(dt, name, d, &d->dev);
	if (rc) {
		scst_mgmt_res_set(res, rc, "add_device %s: %s", name,
				  rc == -EEXIST ? "the name is taken"
						: "cannot register");
		goto fail;
	}
	pt_probe_block_size(d);
	scst_mutex_lock(&pt_mutex);
	scst_list_add_tail(&d->entry, &pt_devs);
	scst_mutex_unlock(&pt_mutex);
	scst_info("%s: %s is %s (%s), max transfer %u", dt->name, name, d->path,
		  d->hctl, d->max_transfer);
	return 0;
fail:
	pt_free(d);
	return rc;
}

static void pt_del(struct pt_dev *d)
{
	scst_mutex_lock(&pt_mutex);
	scst_list_del_init(&d->entry);
	scst_mutex_unlock(&pt_mutex);
	/* Waits for every command: each one the device held has answered. */
	scst_unregister_virtual_device(d->dev);
	scst_workqueue_flush(pt_wq); /* a reset still running */
	pt_free(d);
}

static int pt_del_device(struct scst_dev_type *dt, const char *name,
			 struct scst_mgmt_res *res)
{
	struct scst_device *dev = scst_find_device(name);

	if (!dev || strcmp(scst_dev_handler_name(dev), dt->name) != 0)
		return scst_mgmt_res_set(res, -ENOENT, "no %s device %s",
					 dt->name, name);
	pt_del(pt_of(dev));
	return 0;
}

/* ------------------------------------------------- the four types ---- */

#define PT_DEVTYPE(var, tname, ptype)                                          \
	extern struct scst_dev_type var;                                       \
	static int var##_add(const char *name, const char *params,             \
			     struct scst_mgmt_res *res)                        \
	{                                                                      \
		return pt_add_device(&var, name, params, res);                 \
	}                                                                      \
	static int var##_del(const char *name, struct scst_mgmt_res *res)      \
	{                                                                      \
		return pt_del_device(&var, name, res);                         \
	}                                                                      \
	struct scst_dev_type var = {                                           \
	    .name = tname,                                                     \
	    .type = ptype,                                                     \
	    .parse = pt_parse,                                                 \
	    .exec = pt_exec,                                                   \
	    .task_mgmt_fn_received = pt_task_mgmt_fn_received,                 \
	    .dev_attrs = pt_dev_attrs,                                         \
	    .add_device = var##_add,                                           \
	    .add_device_params = pt_add_params,                                \
	    .del_device = var##_del,                                           \
	    .mgmt_help = "       echo \"add_device H:C:I:L\" >mgmt\n"          \
			 "       echo \"add_device NAME filename=PATH\" "      \
			 ">mgmt\n",                                            \
	}

PT_DEVTYPE(pt_disk_type, "dev_disk", TYPE_DISK);
PT_DEVTYPE(pt_tape_type, "dev_tape", TYPE_TAPE);
PT_DEVTYPE(pt_changer_type, "dev_changer", TYPE_MEDIUM_CHANGER);
PT_DEVTYPE(pt_cdrom_type, "dev_cdrom", TYPE_ROM);

static struct scst_dev_type *const pt_types[] = {
    &pt_disk_type, &pt_tape_type, &pt_changer_type, &pt_cdrom_type};
#define PT_NTYPES (sizeof(pt_types) / sizeof(pt_types[0]))

static int pt_start(void)
{
	unsigned int i;
	int rc;

	scst_mutex_init(&pt_mutex);
	pt_exec_init();
	pt_req_cache = scst_os_cache_create("pt_req", sizeof(struct pt_req));
	pt_wq = scst_workqueue_create("pt-reset", 1);
	if (!pt_req_cache || !pt_wq) {
		rc = -ENOMEM;
		goto fail_mem;
	}
	rc = pt_ops->init ? pt_ops->init() : 0;
	if (rc)
		goto fail_mem;
	for (i = 0; i < PT_NTYPES; i++) {
		rc = scst_register_dev_driver(pt_types[i]);
		if (rc)
			goto fail_reg;
	}
	return 0;
fail_reg:
	while (i--)
		scst_unregister_dev_driver(pt_types[i]);
	if (pt_ops->exit)
		pt_ops->exit();
fail_mem:
	if (pt_wq)
		scst_workqueue_destroy(pt_wq);
	if (pt_req_cache)
		scst_os_cache_destroy(pt_req_cache);
	pt_wq = NULL;
	pt_req_cache = NULL;
	return rc;
}

static void pt_stop(void)
{
	struct pt_dev *d;
	unsigned int i;

	for (;;) {
		scst_mutex_lock(&pt_mutex);
		d = scst_list_empty(&pt_devs)
			? NULL
			: scst_list_first_entry(&pt_devs, struct pt_dev, entry);
		scst_mutex_unlock(&pt_mutex);
		if (!d)
			break;
		pt_del(d);
	}
	for (i = 0; i < PT_NTYPES; i++)
		scst_unregister_dev_driver(pt_types[i]);
	if (pt_ops->exit)
		pt_ops->exit();
	scst_workqueue_destroy(pt_wq);
	pt_wq = NULL;
	scst_os_cache_destroy(pt_req_cache);
	pt_req_cache = NULL;
}

const struct scst_module pt_module = {
    .name = "dev_passthrough",
    .start = pt_start,
    .stop = pt_stop,
};
