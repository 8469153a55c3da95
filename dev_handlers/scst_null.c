// SPDX-License-Identifier: GPL-2.0-only
/* scst_null: the null disk handler (see scst_null.h). */
#include "scst/byteorder.h"
#include "scst/os.h"
#include "scst_null.h"

#include <errno.h>

struct scst_null_dev {
	struct scst_list_head entry; /* scst_null_devs */
	struct scst_device *dev;
	uint32_t block_size;
	uint64_t nblocks;
	unsigned int flags;
	struct scst_spinlock lock;
	struct scst_list_head held; /* struct scst_null_cmd */
	unsigned int nheld;
	scst_atomic64_t executed;
};

/* Per-command state for deferred completion. */
struct scst_null_cmd {
	struct scst_work work;
	struct scst_list_head entry;
	struct scst_cmd *cmd;
};

static struct scst_workqueue *scst_null_wq;
static struct scst_mutex scst_null_mutex;
static SCST_LIST_HEAD_DEF(scst_null_devs);
static struct scst_os_cache *scst_null_cmd_cache;

static bool scst_null_is_media(uint8_t op)
{
	switch (op) {
	case READ_6:
	case READ_10:
	case READ_12:
	case READ_16:
	case WRITE_6:
	case WRITE_10:
	case WRITE_12:
	case WRITE_16:
		return true;
	default:
		return false;
	}
}

static void scst_null_zero(struct scst_cmd *cmd)
{
	struct scst_sg *sg;
	unsigned int cnt = scst_cmd_sg(cmd, &sg);
	struct scst_sg_iter it;
	uint32_t n;
	void *p;

	scst_sg_iter_init(&it, sg, cnt, 0, UINT64_MAX);
	while (scst_sg_iter_next(&it, &p, &n, 0))
		memset(p, 0, n);
}

static void scst_null_inquiry(struct scst_cmd *cmd, struct scst_null_dev *nd)
{
	const uint8_t *cdb = scst_cmd_cdb(cmd);
	const char *name = scst_dev_name(scst_cmd_dev(cmd));
	uint16_t alloc = scst_get_be16(&cdb[3]);
	uint8_t buf[96];
	size_t nlen = strlen(name);
	uint32_t len;

	(void)nd;
	memset(buf, 0, sizeof(buf));
	buf[0] = TYPE_DISK;
	if (!(cdb[1] & 0x01)) {
		if (cdb[2]) {
			scst_set_invalid_field_in_cdb(cmd, 2, -1);
			return;
		}
		buf[2] = 0x06; /* SPC-4 */
		buf[3] = 0x12; /* HISUP, format 2 */
		buf[4] = 36 - 5;
		buf[7] = 0x02; /* CMDQUE */
		memcpy(&buf[8], "SCST    ", 8);
		memcpy(&buf[16], "NULL DISK       ", 16);
		memcpy(&buf[32], "0010", 4);
		len = 36;
	} else {
		buf[1] = cdb[2];
		switch (cdb[2]) {
		case 0x00: /* supported pages */
			buf[3] = 3;
			buf[4] = 0x00;
			buf[5] = 0x80;
			buf[6] = 0x83;
			len = 7;
			break;
		case 0x80: /* unit serial number: the device name */
			if (nlen > 32)
				nlen = 32;
			buf[3] = (uint8_t)nlen;
			memcpy(&buf[4], name, nlen);
			len = 4 + (uint32_t)nlen;
			break;
		case 0x83: /* one T10 vendor ID designator */
			if (nlen > 32)
				nlen = 32;
			buf[4] = 0x02; /* ASCII */
			buf[5] = 0x01; /* T10 vendor ID, LU association */
			buf[7] = (uint8_t)(8 + nlen);
			memcpy(&buf[8], "SCST    ", 8);
			memcpy(&buf[16], name, nlen);
			buf[3] = (uint8_t)(4 + 8 + nlen);
			len = 4 + buf[3];
			break;
		default:
			scst_set_invalid_field_in_cdb(cmd, 2, -1);
			return;
		}
	}
	scst_cmd_copy_to_buf(cmd, buf, len < alloc ? len : alloc);
}

static void scst_null_read_capacity(struct scst_cmd *cmd,
				    struct scst_null_dev *nd, bool is16)
{
	uint8_t buf[32];
	uint64_t last = nd->nblocks ? nd->nblocks - 1 : 0;

	memset(buf, 0, sizeof(buf));
	if (!is16) {
		scst_put_be32(buf, last > 0xffffffffull ? 0xffffffffu
							: (uint32_t)last);
		scst_put_be32(buf + 4, nd->block_size);
		scst_cmd_copy_to_buf(cmd, buf, 8);
		return;
	}
	scst_put_be64(buf, last);
	scst_put_be32(buf + 8, nd->block_size);
	{
		uint32_t alloc = scst_get_be32(&scst_cmd_cdb(cmd)[10]);

		scst_cmd_copy_to_buf(cmd, buf, alloc < 32 ? alloc : 32);
	}
}

static void scst_null_mode_sense(struct scst_cmd *cmd)
{
	const uint8_t *cdb = scst_cmd_cdb(cmd);
	bool ten = cdb[0] == MODE_SENSE_10;
	uint8_t page = cdb[2] & 0x3f, buf[8];
	uint32_t alloc = ten ? scst_get_be16(&cdb[7]) : cdb[4];
	uint32_t len = ten ? 8 : 4;

	if (page != 0x3f) { /* no mode pages here, only the header */
		scst_set_invalid_field_in_cdb(cmd, 2, 5);
		return;
	}
	memset(buf, 0, sizeof(buf));
	if (ten)
		scst_put_be16(buf, (uint16_t)(len - 2));
	else
		buf[0] = (uint8_t)(len - 1);
	if (scst_cmd_read_only(cmd))
		buf[ten ? 3 : 2] = 0x80; /* WP */
	scst_cmd_copy_to_buf(cmd, buf, len < alloc ? len : alloc);
}

/* Execute now; returns false if the handler leaves the command to the core. */
static bool scst_null_do(struct scst_cmd *cmd, struct scst_null_dev *nd)
{
	const uint8_t *cdb = scst_cmd_cdb(cmd);

	if (scst_null_is_media(cdb[0])) {
		uint64_t lba = scst_cmd_lba(cmd);
		uint32_t n = scst_cmd_num_blocks(cmd);

		if (lba > nd->nblocks || n > nd->nblocks - lba) {
			scst_set_cmd_error_info(
			    cmd, SCST_LOAD_SENSE(scst_sense_lba_out_of_range),
			    lba);
			return true;
		}
		if (scst_cmd_data_direction(cmd) & SCST_DATA_READ)
			scst_null_zero(cmd);
		return true;
	}
	switch (cdb[0]) {
	case INQUIRY:
		scst_null_inquiry(cmd, nd);
		return true;
	case READ_CAPACITY:
		scst_null_read_capacity(cmd, nd, false);
		return true;
	case SERVICE_ACTION_IN_16:
		if ((cdb[1] & 0x1f) != SAI_READ_CAPACITY_16)
			return false;
		scst_null_read_capacity(cmd, nd, true);
		return true;
	case MODE_SENSE:
	case MODE_SENSE_10:
		scst_null_mode_sense(cmd);
		return true;
	case SYNCHRONIZE_CACHE:
	case SYNCHRONIZE_CACHE_16:
	case VERIFY:
	case VERIFY_16:
	case START_STOP:
		return true;
	default:
		return false;
	}
}

static void scst_null_work_fn(struct scst_work *w)
{
	struct scst_null_cmd *nc =
	    scst_container_of(w, struct scst_null_cmd, work);
	struct scst_cmd *cmd = nc->cmd;
	struct scst_null_dev *nd = scst_dev_get_dh_priv(scst_cmd_dev(cmd));

	scst_os_cache_free(scst_null_cmd_cache, nc);
	scst_null_do(cmd, nd);
	scst_cmd_exec_done(cmd);
}

static int scst_null_exec(struct scst_cmd *cmd)
{
	struct scst_null_dev *nd = scst_dev_get_dh_priv(scst_cmd_dev(cmd));
	unsigned int flags = __atomic_load_n(&nd->flags, __ATOMIC_ACQUIRE);
	bool media = scst_null_is_media(scst_cmd_cdb(cmd)[0]);
	struct scst_null_cmd *nc;

	scst_atomic64_add(&nd->executed, 1);
	if (media && (flags & (SCST_NULL_F_HOLD | SCST_NULL_F_ASYNC))) {
		nc = scst_os_cache_alloc(scst_null_cmd_cache);
		if (nc) {
			nc->cmd = cmd;
			scst_work_init(&nc->work, scst_null_work_fn);
			if (flags & SCST_NULL_F_HOLD) {
				scst_spin_lock(&nd->lock);
				scst_list_add_tail(&nc->entry, &nd->held);
				nd->nheld++;
				scst_spin_unlock(&nd->lock);
			} else {
				scst_queue_work(scst_null_wq, &nc->work);
			}
			return SCST_EXEC_COMPLETED;
		}
	}
	if (!scst_null_do(cmd, nd))
		return SCST_EXEC_NOT_COMPLETED;
	scst_cmd_exec_done(cmd);
	return SCST_EXEC_COMPLETED;
}

static void scst_null_detach(struct scst_device *dev)
{
	struct scst_null_dev *nd = scst_dev_get_dh_priv(dev);

	scst_mutex_lock(&scst_null_mutex);
	scst_list_del_init(&nd->entry);
	scst_mutex_unlock(&scst_null_mutex);
	scst_spin_destroy(&nd->lock);
	scst_os_free(nd);
}

/* ------------------------------------------------------ config tree ---- */

#define SCST_NULL_DEF_MB 1024u

static const char *const scst_null_params[] = {"size", "size_mb", "blocksize",
					       NULL};

static int scst_null_cfg_add(const char *name, const char *params,
			     struct scst_mgmt_res *res)
{
	struct scst_null_params np = {.block_size = 512};
	uint64_t bytes = (uint64_t)SCST_NULL_DEF_MB << 20, v;
	struct scst_device *dev;
	char val[64];
	int rc;

	if (scst_params_get(params, "blocksize", val, sizeof(val))) {
		if (scst_parse_u64(val, 4096, &v))
			return scst_mgmt_res_set(
			    res, -EINVAL, "blocksize '%s' is not a number",
			    val);
		np.block_size = (uint32_t)v;
	}
	if (scst_params_get(params, "size_mb", val, sizeof(val))) {
		if (scst_parse_u64(val, 1ull << 40, &v) || !v)
			return scst_mgmt_res_set(
			    res, -EINVAL, "size_mb '%s' is not a size", val);
		bytes = v << 20;
	}
	if (scst_params_get(params, "size", val, sizeof(val))) {
		if (scst_parse_u64(val, 1ull << 60, &v) || !v)
			return scst_mgmt_res_set(
			    res, -EINVAL, "size '%s' is not a size", val);
		bytes = v;
	}
	np.nblocks = bytes / (np.block_size ? np.block_size : 512);
	rc = scst_null_add(name, &np, &dev);
	if (rc == -EINVAL)
		return scst_mgmt_res_set(res, rc,
					 "blocksize %u is not 512, 1024, 2048 "
					 "or 4096",
					 np.block_size);
	return rc ? scst_mgmt_res_set(res, rc, "cannot add %s", name) : 0;
}

static struct scst_dev_type scst_null_type;

static int scst_null_cfg_del(const char *name, struct scst_mgmt_res *res)
{
	struct scst_device *dev = scst_find_device(name);

	if (!dev || scst_dev_get_dh_priv(dev) == NULL ||
	    strcmp(scst_dev_handler_name(dev), scst_null_type.name))
		return scst_mgmt_res_set(res, -ENOENT, "no %s device %s",
					 scst_null_type.name, name);
	scst_null_del(dev);
	return 0;
}

static int scst_null_blocksize_show(void *obj, char *buf, size_t size)
{
	struct scst_null_dev *nd = scst_dev_get_dh_priv(obj);

	return scst_snprintf(buf, size, "%u\n", nd->block_size);
}

static bool scst_null_blocksize_is_key(void *obj)
{
	struct scst_null_dev *nd = scst_dev_get_dh_priv(obj);

	return nd->block_size != 512;
}

static int scst_null_size_show(void *obj, char *buf, size_t size)
{
	struct scst_null_dev *nd = scst_dev_get_dh_priv(obj);

	return scst_snprintf(
	    buf, size, "%llu\n",
	    (unsigned long long)(nd->nblocks * nd->block_size));
}

static int scst_null_size_mb_show(void *obj, char *buf, size_t size)
{
	struct scst_null_dev *nd = scst_dev_get_dh_priv(obj);

	return scst_snprintf(
	    buf, size, "%llu\n",
	    (unsigned long long)((nd->nblocks * nd->block_size) >> 20));
}

static bool scst_null_size_mb_is_key(void *obj)
{
	struct scst_null_dev *nd = scst_dev_get_dh_priv(obj);

	return nd->nblocks * nd->block_size != (uint64_t)SCST_NULL_DEF_MB << 20;
}

static const struct scst_attr scst_null_blocksize_attr = {
    .name = "blocksize",
    .mode = 0444,
    .show = scst_null_blocksize_show,
    .is_key = scst_null_blocksize_is_key,
};
static const struct scst_attr scst_null_size_attr = {
    .name = "size",
    .mode = 0444,
    .show = scst_null_size_show,
};
static const struct scst_attr scst_null_size_mb_attr = {
    .name = "size_mb",
    .mode = 0444,
    .show = scst_null_size_mb_show,
    .is_key = scst_null_size_mb_is_key,
};
static const struct scst_attr *const scst_null_dev_attrs[] = {
    &scst_null_blocksize_attr,
    &scst_null_size_attr,
    &scst_null_size_mb_attr,
    NULL,
};

static struct scst_dev_type scst_null_type = {
    .name = "scst_null",
    .type = TYPE_DISK,
    .exec = scst_null_exec,
    .detach = scst_null_detach,
    .dev_attrs = scst_null_dev_attrs,
    .add_device = scst_null_cfg_add,
    .add_device_params = scst_null_params,
    .del_device = scst_null_cfg_del,
};

int scst_null_add(const char *name, const struct scst_null_params *p,
		  struct scst_device **out)
{
	struct scst_null_dev *nd;
	int rc;

	switch (p->block_size) {
	case 512:
	case 1024:
	case 2048:
	case 4096:
		break;
	default:
		return -EINVAL;
	}
	nd = scst_os_zalloc(sizeof(*nd));
	if (!nd)
		return -ENOMEM;
	nd->block_size = p->block_size;
	nd->nblocks = p->nblocks;
	nd->flags = p->flags;
	scst_spin_init(&nd->lock);
	scst_list_init(&nd->held);
	scst_list_init(&nd->entry);
	rc = scst_register_virtual_device(&scst_null_type, name, nd, out);
	if (rc) {
		scst_spin_destroy(&nd->lock);
		scst_os_free(nd);
		return rc;
	}
	nd->dev = *out;
	scst_dev_set_block_size(*out, p->block_size);
	scst_mutex_lock(&scst_null_mutex);
	scst_list_add_tail(&nd->entry, &scst_null_devs);
	scst_mutex_unlock(&scst_null_mutex);
	return 0;
}

void scst_null_del(struct scst_device *dev)
{
	/* Let parked commands finish, or unregistration would wait forever. */
	scst_null_set_flags(dev, 0);
	while (scst_null_release(dev, ~0u))
		;
	scst_unregister_virtual_device(dev); /* detach frees our part */
}

void scst_null_set_flags(struct scst_device *dev, unsigned int flags)
{
	struct scst_null_dev *nd = scst_dev_get_dh_priv(dev);

	__atomic_store_n(&nd->flags, flags, __ATOMIC_RELEASE);
}

unsigned int scst_null_held(struct scst_device *dev)
{
	struct scst_null_dev *nd = scst_dev_get_dh_priv(dev);
	unsigned int n;

	scst_spin_lock(&nd->lock);
	n = nd->nheld;
	scst_spin_unlock(&nd->lock);
	return n;
}

unsigned int scst_null_release(struct scst_device *dev, unsigned int max)
{
	struct scst_null_dev *nd = scst_dev_get_dh_priv(dev);
	struct scst_null_cmd *nc;
	unsigned int n = 0;

	while (n < max) {
		scst_spin_lock(&nd->lock);
		if (scst_list_empty(&nd->held)) {
			scst_spin_unlock(&nd->lock);
			break;
		}
		nc = scst_list_first_entry(&nd->held, struct scst_null_cmd,
					   entry);
		scst_list_del_init(&nc->entry);
		nd->nheld--;
		scst_spin_unlock(&nd->lock);
		scst_queue_work(scst_null_wq, &nc->work);
		n++;
	}
	return n;
}

uint64_t scst_null_executed(struct scst_device *dev)
{
	struct scst_null_dev *nd = scst_dev_get_dh_priv(dev);

	return (uint64_t)scst_atomic64_read(&nd->executed);
}

static int scst_null_init(void)
{
	int rc = -ENOMEM;

	scst_mutex_init(&scst_null_mutex);
	scst_null_cmd_cache =
	    scst_os_cache_create("scst_null_cmd", sizeof(struct scst_null_cmd));
	scst_null_wq = scst_workqueue_create("scst_null", 2);
	if (!scst_null_cmd_cache || !scst_null_wq)
		goto out_err;
	rc = scst_register_dev_driver(&scst_null_type);
	if (rc)
		goto out_err;
	return 0;

out_err:
	if (scst_null_wq)
		scst_workqueue_destroy(scst_null_wq);
	if (scst_null_cmd_cache)
		scst_os_cache_destroy(scst_null_cmd_cache);
	scst_null_wq = NULL;
	scst_null_cmd_cache = NULL;
	scst_mutex_destroy(&scst_null_mutex);
	return rc;
}

static void scst_null_exit(void)
{
	struct scst_null_dev *nd;

	for (;;) {
		scst_mutex_lock(&scst_null_mutex);
		nd = scst_list_empty(&scst_null_devs)
			 ? NULL
			 : scst_list_first_entry(&scst_null_devs,
						 struct scst_null_dev, entry);
		scst_mutex_unlock(&scst_null_mutex);
		if (!nd)
			break;
		scst_null_del(nd->dev);
	}
	scst_unregister_dev_driver(&scst_null_type);
	scst_workqueue_destroy(scst_null_wq);
	scst_os_cache_destroy(scst_null_cmd_cache);
	scst_null_wq = NULL;
	scst_null_cmd_cache = NULL;
	scst_mutex_destroy(&scst_null_mutex);
}

const struct scst_module scst_null_module = {
    .name = "scst_null",
    .start = scst_null_init,
    .stop = scst_null_exit,
};
