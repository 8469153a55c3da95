// SPDX-License-Identifier: GPL-2.0-only
/*
 * vdisk data integrity: a fileio device is written from end to end with
 * a per-block pattern (the block's LBA and a seed up front, bytes derived
 * from both after), with block sizes 512 to 4096, 1, 8 or 32 requests in
 * flight at once through scst_local, nv_cache on and off, O_DIRECT on and
 * off. Every byte is read back through the device and compared, and the
 * backing file is checked directly with pread.
 */
#include "vdisk_test_env.h"

#define VI_BLOCKS   192 /* device size in blocks */
#define VI_MAX_XFER 8	/* blocks per request, at most */
#define VI_MAX_QD   32

struct vi_param {
	uint32_t bs;
	unsigned int qd;
	bool nv_cache, o_direct;
};

static struct vi_param vi_params[4 * 3 * 2 * 2];

static const void *vi_gen_params(const void *prev, char *desc)
{
	static const uint32_t bss[] = {512, 1024, 2048, 4096};
	static const unsigned int qds[] = {1, 8, 32};
	const struct vi_param *p = prev;
	size_t i, n = sizeof(vi_params) / sizeof(vi_params[0]);

	if (!p) {
		for (i = 0; i < n; i++) {
			vi_params[i].bs = bss[i / 12];
			vi_params[i].qd = qds[i / 4 % 3];
			vi_params[i].nv_cache = i / 2 % 2;
			vi_params[i].o_direct = i % 2;
		}
		p = vi_params;
	} else {
		p++;
	}
	if ((size_t)(p - vi_params) >= n)
		return NULL;
	snprintf(desc, 128, "bs%u_qd%u_nv%d_od%d", p->bs, p->qd, p->nv_cache,
		 p->o_direct);
	return p;
}

struct vi_req {
	struct scst_local_req r;
	int done;
	uint64_t lba;
	uint32_t n;
	uint8_t buf[VI_MAX_XFER * 4096];
};

static void vi_done(struct scst_local_req *r)
{
	struct vi_req *q = r->priv;

	__atomic_store_n(&q->done, 1, __ATOMIC_RELEASE);
}

static void vi_wait(struct kunit *test, struct vi_req *q)
{
	unsigned int ms;

	for (ms = 0;
	     !__atomic_load_n(&q->done, __ATOMIC_ACQUIRE) && ms < VT_WAIT_MS;
	     ms++)
		scst_os_msleep(1);
	KUNIT_ASSERT_EQ_MSG(test, q->done, 1, "request at LBA %llu",
			    (unsigned long long)q->lba);
}

static void vi_submit(struct kunit *test, struct vi_req *q, bool write,
		      uint64_t lba, uint32_t n, uint32_t bs)
{
	struct vt_env *e = test->priv;
	struct scst_local_req *r = &q->r;

	memset(r, 0, sizeof(*r));
	q->done = 0;
	q->lba = lba;
	q->n = n;
	r->cdb[0] = write ? WRITE_16 : READ_16;
	scst_put_be64(r->cdb + 2, lba);
	scst_put_be32(r->cdb + 10, n);
	r->cdb_len = 16;
	if (write) {
		r->exp_set = true;
		r->exp_dir = SCST_DATA_WRITE;
		r->exp_len = n * bs;
		r->data_out = q->buf;
		r->data_out_len = n * bs;
	} else {
		memset(q->buf, 0xee, n * bs);
		r->data_in = q->buf;
		r->data_in_size = n * bs;
	}
	r->done = vi_done;
	r->priv = q;
	KUNIT_ASSERT_EQ(test, scst_local_submit(e->sess, r), 0);
}

/* Transfer sizes cycle through 1..VI_MAX_XFER blocks. */
static uint32_t vi_len(uint64_t lba, unsigned int k)
{
	uint32_t n = 1 + (uint32_t)(k * 5 + 3) % VI_MAX_XFER;

	return lba + n > VI_BLOCKS ? (uint32_t)(VI_BLOCKS - lba) : n;
}

/* The whole device in waves of @qd concurrent requests. */
static void vi_pass(struct kunit *test, struct vi_req *q,
		    const struct vi_param *p, bool write, uint64_t seed)
{
	uint64_t lba = 0, b;
	unsigned int k = 0, i, inflight;

	while (lba < VI_BLOCKS) {
		for (inflight = 0; inflight < p->qd && lba < VI_BLOCKS;
		     inflight++) {
			uint32_t n = vi_len(lba, k++);

			if (write)
				for (b = 0; b < n; b++)
					vt_pattern(q[inflight].buf + b * p->bs,
						   p->bs, lba + b, seed);
			vi_submit(test, &q[inflight], write, lba, n, p->bs);
			lba += n;
		}
		for (i = 0; i < inflight; i++) {
			vi_wait(test, &q[i]);
			KUNIT_ASSERT_EQ_MSG(test, vt_result(&q[i].r), VT_GOOD,
					    "%s at LBA %llu",
					    write ? "WRITE" : "READ",
					    (unsigned long long)q[i].lba);
			if (write)
				continue;
			for (b = 0; b < q[i].n; b++) {
				uint8_t want[4096];

				vt_pattern(want, p->bs, q[i].lba + b, seed);
				KUNIT_ASSERT_EQ_MSG(
				    test,
				    memcmp(q[i].buf + b * p->bs, want, p->bs),
				    0, "block %llu differs",
				    (unsigned long long)(q[i].lba + b));
			}
		}
	}
}

static void vdisk_integrity(struct kunit *test)
{
	const struct vi_param *p = test->param_value;
	uint64_t size = (uint64_t)VI_BLOCKS * p->bs, lba;
	const char *f = vt_file(test, "integ", size);
	struct vi_req *q;
	uint8_t want[4096], got[4096];
	int fd;

	q = kunit_kzalloc(test, sizeof(*q) * VI_MAX_QD, GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, q);
	vt_add(test, "vdisk_fileio",
	       "integ filename=%s; blocksize=%u; nv_cache=%d; o_direct=%d", f,
	       p->bs, p->nv_cache, p->o_direct);
	vt_map(test, "integ", 0);
	vt_clear_ua(test, 0);

	vi_pass(test, q, p, true, 1);
	vi_pass(test, q, p, false, 1);
	/* Overwrite everything with another seed: no stale block survives. */
	vi_pass(test, q, p, true, 2);
	vi_pass(test, q, p, false, 2);

	fd = open(f, O_RDONLY);
	KUNIT_ASSERT_GE(test, fd, 0);
	for (lba = 0; lba < VI_BLOCKS; lba++) {
		vt_pattern(want, p->bs, lba, 2);
		KUNIT_ASSERT_EQ(test,
				pread(fd, got, p->bs, (off_t)(lba * p->bs)),
				(ssize_t)p->bs);
		KUNIT_ASSERT_EQ_MSG(test, memcmp(got, want, p->bs), 0,
				    "file block %llu differs",
				    (unsigned long long)lba);
	}
	close(fd);
}

static struct kunit_case vdisk_integrity_cases[] = {
    KUNIT_CASE_PARAM(vdisk_integrity, vi_gen_params), {}};

static struct kunit_suite vdisk_integrity_suite = {
    .name = "vdisk_integrity",
    .init = vt_up,
    .exit = vt_down,
    .test_cases = vdisk_integrity_cases,
};

kunit_test_suite(vdisk_integrity_suite);
