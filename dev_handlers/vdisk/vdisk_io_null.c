// SPDX-License-Identifier: GPL-2.0-only
/*
 * The null backend (vdisk_nullio): no storage. Writes, flushes and
 * discards succeed and are dropped. Reads return zeros whether read_zero
 * is set or not: SCST leaves the buffer as it is without read_zero, but
 * here the buffer may have held another command's data, so it is always
 * cleared; read_zero only changes what the attribute shows. Everything
 * completes in the caller's thread: nothing here can sleep.
 */
#include "dev_handlers/vdisk/vdisk_priv.h"
#include "scst/scst_sg.h"

static int vdisk_null_open(struct vdisk_dev *vd)
{
	(void)vd; /* the size comes from the parameters */
	return 0;
}

static void vdisk_null_close(struct vdisk_dev *vd)
{
	(void)vd;
}

/* Zero @len bytes of the sg list, starting @off bytes into it. */
static void vdisk_null_zero(struct vdisk_io *io)
{
	struct scst_sg_iter it;
	uint32_t n;
	void *p;

	scst_sg_iter_init(&it, io->sg, io->sg_cnt, io->sg_off, io->len);
	while (scst_sg_iter_next(&it, &p, &n, 0))
		memset(p, 0, n);
}

static void vdisk_null_submit(struct vdisk_io *io)
{
	if (io->op == VDISK_IO_READ)
		vdisk_null_zero(io);
	vdisk_io_complete(io, 0);
}

static int vdisk_null_get_size(struct vdisk_dev *vd, uint64_t *bytes)
{
	*bytes = vd->size_bytes;
	return 0;
}

const struct vdisk_backend_ops vdisk_null_backend = {
    .name = "null",
    .open = vdisk_null_open,
    .close = vdisk_null_close,
    .submit = vdisk_null_submit,
    .get_size = vdisk_null_get_size,
};
