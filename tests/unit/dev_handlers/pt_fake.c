// SPDX-License-Identifier: GPL-2.0-only
/* The fake pass-through backend and sysfs tree of pt_fake.h. */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "scst/byteorder.h"
#include "scst/os.h"
#include "tests/unit/dev_handlers/pt_fake.h"

#define FK_MAX 4

static struct fk_dev fk_devs[FK_MAX];
static struct scst_mutex fk_mutex;
static bool fk_mutex_ready;
static struct scst_workqueue *fk_wq;

struct fk_be {
	struct pt_backend base;
	struct fk_dev *f;
};

struct fk_work {
	struct scst_work w;
	struct fk_be *b;
	struct pt_req *r;
	struct scst_list_head entry; /* held */
};

static SCST_LIST_HEAD_DEF(fk_held_list);

struct fk_dev *fk_add(const char *sg, uint32_t block_size)
{
	unsigned int i;

	for (i = 0; i < FK_MAX; i++)
		if (!fk_devs[i].sg[0]) {
			memset(&fk_devs[i], 0, sizeof(fk_devs[i]));
			snprintf(fk_devs[i].sg, sizeof(fk_devs[i].sg), "%s",
				 sg);
			fk_devs[i].block_size = block_size;
			return &fk_devs[i];
		}
	return NULL;
}

void fk_reset_all(void)
{
	memset(fk_devs, 0, sizeof(fk_devs));
}

/* The emulated answer of @f to @r. */
static void fk_answer(struct fk_dev *f, struct pt_req *r)
{
	const uint8_t *c = r->cdb;
	uint8_t buf[64] = {0};
	uint32_t n = 0, i;

	if (f->script.set && f->script.opcode == c[0]) {
		struct fk_script *s = &f->script;

		s->set = false;
		r->status = s->status;
		memcpy(r->sense, s->sense, s->sense_len);
		r->sense_len = s->sense_len;
		r->resid = s->resid;
		r->host_status = s->host_status;
		r->err = s->err;
		if (r->dir == SCST_DATA_READ)
			for (i = 0; i < r->len; i++) {
				uint8_t v = (uint8_t)(i * 7 + 3);

				scst_sg_copy_in(r->sg, r->sg_cnt, i, &v, 1);
			}
		return;
	}
	r->status = 0;
	r->resid = 0;
	switch (c[0]) {
	case 0x25: /* READ CAPACITY(10) */
		scst_put_be32(buf, 0xffff);
		scst_put_be32(buf + 4, f->block_size);
		n = 8;
		break;
	case 0x1a: /* MODE SENSE(6): header and one block descriptor */
		buf[0] = 11;
		buf[3] = 8;
		buf[9] = (uint8_t)(f->block_size >> 16);
		buf[10] = (uint8_t)(f->block_size >> 8);
		buf[11] = (uint8_t)f->block_size;
		n = 12;
		break;
	case 0x12: /* INQUIRY */
		if ((c[1] & 1) && c[2] == 0xb0) {
			buf[1] = 0xb0;
			buf[3] = 0x3c;
			scst_put_be32(buf + 8, f->vpd_max_blocks);
			n = 64;
		} else {
			buf[0] = 0;
			buf[4] = 31;
			memcpy(buf + 8, "FAKE    DEVICE          0001", 28);
			n = 36;
		}
		break;
	default:
		if (r->dir == SCST_DATA_READ)
			for (i = 0; i < r->len; i++) {
				uint8_t v = (uint8_t)(i * 7 + 3);

				scst_sg_copy_in(r->sg, r->sg_cnt, i, &v, 1);
			}
		return;
	}
	if (n > r->len)
		n = r->len;
	scst_sg_copy_in(r->sg, r->sg_cnt, 0, buf, n);
	r->resid = (int32_t)(r->len - n);
}

static void fk_work_fn(struct scst_work *w)
{
	struct fk_work *fw = scst_container_of(w, struct fk_work, w);
	struct fk_be *b = fw->b;
	struct pt_req *r = fw->r;

	free(fw);
	b->base.done(&b->base, r);
}

static int fk_submit(struct pt_backend *pb, struct pt_req *r)
{
	struct fk_be *b = scst_container_of(pb, struct fk_be, base);
	struct fk_dev *f = b->f;
	struct fk_work *fw;

	scst_mutex_lock(&fk_mutex);
	if (f->gone) {
		scst_mutex_unlock(&fk_mutex);
		return -ENODEV;
	}
	f->submitted++;
	memcpy(f->last_cdb, r->cdb, r->cdb_len);
	fw = calloc(1, sizeof(*fw));
	if (!fw) {
		scst_mutex_unlock(&fk_mutex);
		return -ENOMEM;
	}
	fw->b = b;
	fw->r = r;
	scst_work_init(&fw->w, fk_work_fn);
	if (f->hold && !r->internal) {
		f->held++;
		scst_list_add_tail(&fw->entry, &fk_held_list);
		scst_mutex_unlock(&fk_mutex);
		return 0;
	}
	fk_answer(f, r);
	scst_mutex_unlock(&fk_mutex);
	scst_queue_work(fk_wq, &fw->w);
	return 0;
}

static unsigned int fk_flush_held(struct fk_dev *f, int err)
{
	struct fk_work *fw, *t;
	unsigned int n = 0;

	scst_mutex_lock(&fk_mutex);
	scst_list_for_each_entry_safe (fw, t, &fk_held_list, entry) {
		if (fw->b->f != f)
			continue;
		scst_list_del_init(&fw->entry);
		f->held--;
		if (err)
			fw->r->err = err;
		else
			fk_answer(f, fw->r);
		scst_queue_work(fk_wq, &fw->w);
		n++;
	}
	scst_mutex_unlock(&fk_mutex);
	return n;
}

unsigned int fk_release(struct fk_dev *f)
{
	return fk_flush_held(f, 0);
}

void fk_remove(struct fk_dev *f)
{
	scst_mutex_lock(&fk_mutex);
	f->gone = true;
	scst_mutex_unlock(&fk_mutex);
	fk_flush_held(f, -ENODEV);
}

unsigned int fk_held(struct fk_dev *f)
{
	unsigned int n;

	scst_mutex_lock(&fk_mutex);
	n = f->held;
	scst_mutex_unlock(&fk_mutex);
	return n;
}

static int fk_open(const char *path, pt_done_fn done, void *owner,
		   struct pt_backend **out)
{
	const char *base = strrchr(path, '/');
	struct fk_be *b;
	unsigned int i;

	base = base ? base + 1 : path;
	for (i = 0; i < FK_MAX; i++)
		if (fk_devs[i].sg[0] && strcmp(fk_devs[i].sg, base) == 0)
			break;
	if (i == FK_MAX)
		return -ENOENT;
	b = calloc(1, sizeof(*b));
	if (!b)
		return -ENOMEM;
	b->base.ops = &fk_ops;
	b->base.done = done;
	b->base.owner = owner;
	b->f = &fk_devs[i];
	fk_devs[i].be = &b->base;
	*out = &b->base;
	return 0;
}

static void fk_close(struct pt_backend *pb)
{
	struct fk_be *b = scst_container_of(pb, struct fk_be, base);

	scst_workqueue_flush(fk_wq);
	b->f->be = NULL;
	free(b);
}

static int fk_reset(struct pt_backend *pb)
{
	struct fk_be *b = scst_container_of(pb, struct fk_be, base);

	scst_mutex_lock(&fk_mutex);
	b->f->resets++;
	scst_mutex_unlock(&fk_mutex);
	/* The device answers what it held (DID_RESET in real life). */
	fk_flush_held(b->f, 0);
	return 0;
}

static uint32_t fk_max_transfer(struct pt_backend *pb)
{
	return scst_container_of(pb, struct fk_be, base)->f->max_transfer;
}

static int fk_init(void)
{
	if (!fk_mutex_ready) {
		scst_mutex_init(&fk_mutex);
		fk_mutex_ready = true;
	}
	fk_wq = scst_workqueue_create("fk-pt", 1);
	return fk_wq ? 0 : -ENOMEM;
}

static void fk_exit(void)
{
	scst_workqueue_destroy(fk_wq);
	fk_wq = NULL;
}

const struct pt_backend_ops fk_ops = {
    .name = "fake",
    .init = fk_init,
    .exit = fk_exit,
    .open = fk_open,
    .close = fk_close,
    .submit = fk_submit,
    .reset = fk_reset,
    .max_transfer = fk_max_transfer,
};

/* ------------------------------------------------------ fake sysfs ---- */

static int fk_mkdirs(const char *path)
{
	char p[512];
	size_t i;

	snprintf(p, sizeof(p), "%s", path);
	for (i = 1; p[i]; i++)
		if (p[i] == '/') {
			p[i] = '\0';
			mkdir(p, 0755);
			p[i] = '/';
		}
	return mkdir(p, 0755) == 0 || errno == EEXIST ? 0 : -errno;
}

static int fk_write(const char *path, const char *val)
{
	FILE *f = fopen(path, "w");

	if (!f)
		return -errno;
	fputs(val, f);
	fclose(f);
	return 0;
}

int fk_sysfs_add(const char *root, const char *hctl, int type, const char *sg,
		 const char *blk, unsigned int max_kb)
{
	char p[512], t[512], v[32];
	int rc;

	snprintf(p, sizeof(p), "%s/bus/scsi/devices/%s/scsi_generic/%s", root,
		 hctl, sg);
	rc = fk_mkdirs(p);
	snprintf(p, sizeof(p), "%s/bus/scsi/devices/%s/type", root, hctl);
	snprintf(v, sizeof(v), "%d\n", type);
	rc = rc ?: fk_write(p, v);
	snprintf(p, sizeof(p), "%s/class/scsi_generic/%s", root, sg);
	rc = rc ?: fk_mkdirs(p);
	snprintf(p, sizeof(p), "%s/class/scsi_generic/%s/device", root, sg);
	snprintf(t, sizeof(t), "../../../bus/scsi/devices/%s", hctl);
	if (!rc && symlink(t, p))
		rc = -errno;
	if (rc || !blk)
		return rc;
	snprintf(p, sizeof(p), "%s/bus/scsi/devices/%s/block/%s", root, hctl,
		 blk);
	rc = fk_mkdirs(p);
	snprintf(p, sizeof(p), "%s/block/%s/queue", root, blk);
	rc = rc ?: fk_mkdirs(p);
	snprintf(p, sizeof(p), "%s/block/%s/queue/max_sectors_kb", root, blk);
	snprintf(v, sizeof(v), "%u\n", max_kb);
	rc = rc ?: fk_write(p, v);
	snprintf(p, sizeof(p), "%s/block/%s/device", root, blk);
	snprintf(t, sizeof(t), "../../bus/scsi/devices/%s", hctl);
	if (!rc && symlink(t, p))
		rc = -errno;
	/* The /dev node a path resolves to. */
	snprintf(p, sizeof(p), "%s/dev", root);
	rc = rc ?: fk_mkdirs(p);
	return rc;
}
