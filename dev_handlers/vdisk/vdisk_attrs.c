// SPDX-License-Identifier: GPL-2.0-only
/*
 * The vdisk handlers' add_device parameters and device attributes, with
 * SCST's names, defaults and [key] rules: an attribute is key (saved by
 * scstadmin) when its value differs from the default the device would
 * have had; filename always is.
 *
 * Parameters per handler:
 *   vdisk_fileio   filename blocksize read_only write_through nv_cache
 *                  o_direct thin_provisioned removable rotational t10_dev_id
 *                  t10_vend_id prod_id prod_rev_lvl usn naa_id eui64_id
 *                  lb_per_pb_exp tst active cluster_mode
 *   vdisk_blockio  the same without o_direct
 *   vdisk_nullio   blocksize size size_mb read_only dummy read_zero
 *                  t10_dev_id removable rotational
 *   vcdrom         filename tst
 * As in SCST, only nullio takes its size as a parameter: a file's or a
 * block device's size is that of the backing store (size and size_mb are
 * read-only attributes there; resync_size re-reads it).
 *
 * expl_alua (fileio and blockio, as in SCST): a writable attribute, not an
 * add_device parameter (scstadmin writes it after creating the device);
 * default 0, key when 1. It is the core's per-device flag
 * (scst_dev_set_expl_alua): explicit ALUA (TPGS 11b, SET TARGET PORT
 * GROUPS) for the device when it is in a device group.
 */
#include <errno.h>

#include "dev_handlers/vdisk/vdisk_mmc.h"
#include "dev_handlers/vdisk/vdisk_priv.h"

static struct vdisk_dev *vdisk_obj(void *obj)
{
	return scst_dev_get_dh_priv(obj);
}

/* ---------------------------------------------------------- defaults ---- */

/* CRC-32C as the Linux kernel's crc32c(0, ...) computes it. */
static uint32_t vdisk_crc32c(const uint8_t *p, size_t n)
{
	uint32_t crc = 0;
	unsigned int b;

	while (n--) {
		crc ^= *p++;
		for (b = 0; b < 8; b++)
			crc = (crc >> 1) ^ (0x82f63b78u & (0u - (crc & 1u)));
	}
	return crc;
}

/* FNV-1a, 64 bits, of @n bytes at @p from @h. */
static uint64_t vdisk_fnv1a(uint64_t h, const uint8_t *p, size_t n)
{
	while (n--) {
		h ^= *p++;
		h *= 0x100000001b3ull;
	}
	return h;
}

/* IEEE company ID of the default NAA designator. */
#define VDISK_NAA_COMPANY_ID 0x001405u

/*
 * The default NAA designator: NAA 6 (IEEE Registered Extended, SPC-4
 * 7.8.6.6.5): NAA, IEEE COMPANY_ID (24 bits), VENDOR SPECIFIC IDENTIFIER
 * (36 bits), VENDOR SPECIFIC IDENTIFIER EXTENSION (64 bits), the last two
 * hashes of the device's name: stable across restarts, distinct per name.
 */
static void vdisk_default_naa(const char *name, uint8_t *d)
{
	size_t n = strlen(name);
	uint64_t ext =
	    vdisk_fnv1a(0xcbf29ce484222325ull, (const uint8_t *)name, n);
	uint64_t vsi =
	    vdisk_fnv1a(ext ^ 0x9e3779b97f4a7c15ull, (const uint8_t *)name, n);

	d[0] = (uint8_t)(0x60 | ((VDISK_NAA_COMPANY_ID >> 20) & 0x0f));
	d[1] = (uint8_t)(VDISK_NAA_COMPANY_ID >> 12);
	d[2] = (uint8_t)(VDISK_NAA_COMPANY_ID >> 4);
	d[3] = (uint8_t)(((VDISK_NAA_COMPANY_ID & 0x0f) << 4) |
			 ((vsi >> 32) & 0x0f));
	scst_put_be32(d + 4, (uint32_t)vsi);
	scst_put_be64(d + 8, ext);
}

void vdisk_set_defaults(struct vdisk_dev *vd)
{
	struct vdisk_devx *x = vdisk_x(vd);
	/* SCST: CRC-32C of the name with its NUL; setup_id 0 above it. */
	uint64_t id =
	    vdisk_crc32c((const uint8_t *)vd->name, strlen(vd->name) + 1);

	vd->block_size = vd->kind == VDISK_CDROM ? 2048u : VDISK_DEF_BLOCK_SIZE;
	vd->read_only = vd->kind == VDISK_CDROM;
	vd->write_through = false;
	vd->nv_cache = false;
	vd->o_direct = false;
	vd->thin_provisioned = false;
	vd->removable = vd->kind == VDISK_CDROM;
	vd->rotational = true;
	vd->dummy = false;
	vd->read_zero = false;
	vd->lb_per_pb_exp = 0;
	vd->size_bytes = vd->kind == VDISK_NULLIO ? VDISK_NULLIO_DEF_SIZE : 0;
	scst_snprintf(vd->t10_vend_id, sizeof(vd->t10_vend_id), "%s",
		      vd->kind == VDISK_BLOCKIO ? VDISK_BIO_VENDOR
						: VDISK_FIO_VENDOR);
	scst_snprintf(vd->prod_id, sizeof(vd->prod_id), "%.16s", vd->name);
	scst_snprintf(vd->prod_rev_lvl, sizeof(vd->prod_rev_lvl), "%s",
		      VDISK_REV);
	scst_snprintf(vd->t10_dev_id, sizeof(vd->t10_dev_id), "%llx-%s",
		      (unsigned long long)id, vd->name);
	scst_snprintf(vd->usn, sizeof(vd->usn), "%llx", (unsigned long long)id);
	vd->naa_len = 0;
	vd->eui64_len = 0;
	vdisk_default_naa(vd->name, vd->def_naa_id);
	x->tst = SCST_TST_1_SEP_TASK_SETS;
	x->active = true;
	x->cluster_mode = false;
}

/* What @vd would have had with no parameters. */
static void vdisk_defaults_of(const struct vdisk_dev *vd, struct vdisk_devx *d)
{
	memset(d, 0, sizeof(*d));
	d->vd.kind = vd->kind;
	d->vd.name = vd->name;
	vdisk_set_defaults(&d->vd);
}

/* -------------------------------------------------------- validation ---- */

static int vdisk_val_bool(const char *key, const char *val, bool *out,
			  struct scst_mgmt_res *res)
{
	if (scst_parse_bool(val, out))
		return scst_mgmt_res_set(res, -EINVAL, "%s: '%s' is not 0 or 1",
					 key, val);
	return 0;
}

static int vdisk_val_blocksize(const char *val, uint32_t *out,
			       struct scst_mgmt_res *res)
{
	uint64_t v;

	if (scst_parse_u64(val, 1u << 20, &v) ||
	    (v != 512 && v != 1024 && v != 2048 && v != 4096))
		return scst_mgmt_res_set(
		    res, -EINVAL,
		    "blocksize: '%s' is not 512, 1024, 2048 or 4096", val);
	*out = (uint32_t)v;
	return 0;
}

/* An INQUIRY string: printable ASCII, at most @max characters. */
static int vdisk_val_str(const char *key, const char *val, size_t max,
			 char *out, struct scst_mgmt_res *res)
{
	size_t i, n = strlen(val);

	if (n > max)
		return scst_mgmt_res_set(
		    res, -EINVAL, "%s: '%s' is longer than %zu characters", key,
		    val, max);
	for (i = 0; i < n; i++)
		if (val[i] < 0x20 || val[i] > 0x7e)
			return scst_mgmt_res_set(
			    res, -EINVAL,
			    "%s: '%s' has a character that is not printable "
			    "ASCII",
			    key, val);
	memcpy(out, val, n + 1);
	return 0;
}

static int vdisk_hex_digit(char c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	if (c >= 'A' && c <= 'F')
		return c - 'A' + 10;
	return -1;
}

/*
 * An identifier in hexadecimal (an optional 0x prefix), of one of the
 * byte lengths in @lens (0-terminated); empty clears it.
 */
static int vdisk_val_hexid(const char *key, const char *val,
			   const unsigned int *lens, const char *what,
			   uint8_t *out, unsigned int *out_len,
			   struct scst_mgmt_res *res)
{
	size_t n, i;
	unsigned int k;

	if (val[0] == '0' && (val[1] == 'x' || val[1] == 'X'))
		val += 2;
	n = strlen(val);
	if (!n) {
		*out_len = 0;
		return 0;
	}
	for (k = 0; lens[k]; k++)
		if (n == 2 * lens[k])
			break;
	for (i = 0; i < n && lens[k]; i++)
		if (vdisk_hex_digit(val[i]) < 0)
			break;
	if (!lens[k] || i < n)
		return scst_mgmt_res_set(
		    res, -EINVAL, "%s: '%s' is not %s hexadecimal digits", key,
		    val, what);
	for (i = 0; i < n / 2; i++)
		out[i] = (uint8_t)(vdisk_hex_digit(val[2 * i]) << 4 |
				   vdisk_hex_digit(val[2 * i + 1]));
	*out_len = (unsigned int)(n / 2);
	return 0;
}

static const unsigned int vdisk_naa_lens[] = {8, 16, 0};
static const unsigned int vdisk_eui_lens[] = {8, 12, 16, 0};

static int vdisk_val_naa(const char *val, struct vdisk_dev *vd,
			 struct scst_mgmt_res *res)
{
	uint8_t id[16];
	unsigned int len;
	int rc;

	rc = vdisk_val_hexid("naa_id", val, vdisk_naa_lens, "16 or 32", id,
			     &len, res);
	if (rc)
		return rc;
	/* NAA 2, 3 or 5 in 8 bytes, NAA 6 in 16 (SPC-4 7.8.6.6). */
	if (len && !((len == 8 && (id[0] >> 4 == 2 || id[0] >> 4 == 3 ||
				   id[0] >> 4 == 5)) ||
		     (len == 16 && id[0] >> 4 == 6)))
		return scst_mgmt_res_set(
		    res, -EINVAL,
		    "naa_id: '%s' is not NAA 2, 3 or 5 (16 digits) or NAA 6 "
		    "(32 digits)",
		    val);
	scst_spin_lock(&vd->lock);
	memcpy(vd->naa_id, id, len);
	vd->naa_len = len;
	scst_spin_unlock(&vd->lock);
	return 0;
}

static int vdisk_val_eui(const char *val, struct vdisk_dev *vd,
			 struct scst_mgmt_res *res)
{
	uint8_t id[16];
	unsigned int len;
	int rc;

	rc = vdisk_val_hexid("eui64_id", val, vdisk_eui_lens, "16, 24 or 32",
			     id, &len, res);
	if (rc)
		return rc;
	scst_spin_lock(&vd->lock);
	memcpy(vd->eui64_id, id, len);
	vd->eui64_len = len;
	scst_spin_unlock(&vd->lock);
	return 0;
}

static int vdisk_val_u64(const char *key, const char *val, uint64_t max,
			 uint64_t *out, struct scst_mgmt_res *res)
{
	int rc = scst_parse_u64(val, max, out);

	if (rc == -ERANGE)
		return scst_mgmt_res_set(res, -EINVAL,
					 "%s: '%s' is larger than %llu", key,
					 val, (unsigned long long)max);
	if (rc)
		return scst_mgmt_res_set(res, -EINVAL,
					 "%s: '%s' is not a number", key, val);
	return 0;
}

static char *vdisk_strdup(const char *s)
{
	size_t n = strlen(s) + 1;
	char *p = scst_os_alloc(n);

	if (p)
		memcpy(p, s, n);
	return p;
}

/* ------------------------------------------------------ parameters ---- */

#define VDISK_FILE_PARAMS                                                      \
	"filename", "blocksize", "read_only", "write_through", "nv_cache",     \
	    "thin_provisioned", "removable", "rotational", "t10_dev_id",       \
	    "t10_vend_id", "prod_id", "prod_rev_lvl", "usn", "naa_id",         \
	    "eui64_id", "lb_per_pb_exp", "tst", "active", "cluster_mode"

static const char *const vdisk_fileio_params[] = {VDISK_FILE_PARAMS, "o_direct",
						  NULL};
static const char *const vdisk_blockio_params[] = {VDISK_FILE_PARAMS, NULL};
static const char *const vdisk_nullio_params[] = {
    "blocksize", "size",       "size_mb",   "read_only",  "dummy",
    "read_zero", "t10_dev_id", "removable", "rotational", NULL};
static const char *const vdisk_cdrom_params[] = {"filename", "tst", NULL};

const char *const *const vdisk_add_params[VDISK_KIND_COUNT] = {
    [VDISK_FILEIO] = vdisk_fileio_params,
    [VDISK_BLOCKIO] = vdisk_blockio_params,
    [VDISK_NULLIO] = vdisk_nullio_params,
    [VDISK_CDROM] = vdisk_cdrom_params,
};

static bool vdisk_param_allowed(enum vdisk_kind kind, const char *key)
{
	const char *const *p;

	for (p = vdisk_add_params[kind]; *p; p++)
		if (strcmp(*p, key) == 0)
			return true;
	return false;
}

static int vdisk_val_filename(struct vdisk_dev *vd, const char *val,
			      struct scst_mgmt_res *res)
{
	char *p;

	if (val[0] != '/')
		return scst_mgmt_res_set(
		    res, -EINVAL, "filename: '%s' is not an absolute path",
		    val);
	p = vdisk_strdup(val);
	if (!p)
		return scst_mgmt_res_set(res, -ENOMEM, "out of memory");
	scst_os_free(vd->filename);
	vd->filename = p;
	return 0;
}

static int vdisk_parse_one(struct vdisk_dev *vd, const char *key,
			   const char *val, uint64_t *size, bool *size_set,
			   struct scst_mgmt_res *res)
{
	struct vdisk_devx *x = vdisk_x(vd);
	uint64_t v;
	bool b;
	int rc;

	if (strcmp(key, "filename") == 0)
		return vdisk_val_filename(vd, val, res);
	if (strcmp(key, "blocksize") == 0)
		return vdisk_val_blocksize(val, &vd->block_size, res);
	if (strcmp(key, "size") == 0 || strcmp(key, "size_mb") == 0) {
		bool mb = key[4] == '_';

		if (*size_set)
			return scst_mgmt_res_set(
			    res, -EINVAL,
			    "size and size_mb exclude each other");
		rc = vdisk_val_u64(key, val, mb ? 1ull << 40 : 1ull << 60, &v,
				   res);
		if (rc)
			return rc;
		if (!v)
			return scst_mgmt_res_set(res, -EINVAL,
						 "%s: must not be 0", key);
		*size = mb ? v << 20 : v;
		*size_set = true;
		return 0;
	}
	if (strcmp(key, "t10_dev_id") == 0)
		return vdisk_val_str(key, val, VDISK_DEVID_LEN, vd->t10_dev_id,
				     res);
	if (strcmp(key, "t10_vend_id") == 0)
		return vdisk_val_str(key, val, VDISK_VEND_LEN, vd->t10_vend_id,
				     res);
	if (strcmp(key, "prod_id") == 0)
		return vdisk_val_str(key, val, VDISK_PROD_LEN, vd->prod_id,
				     res);
	if (strcmp(key, "prod_rev_lvl") == 0)
		return vdisk_val_str(key, val, VDISK_REV_LEN, vd->prod_rev_lvl,
				     res);
	if (strcmp(key, "usn") == 0)
		return vdisk_val_str(key, val, VDISK_USN_LEN, vd->usn, res);
	if (strcmp(key, "naa_id") == 0)
		return vdisk_val_naa(val, vd, res);
	if (strcmp(key, "eui64_id") == 0)
		return vdisk_val_eui(val, vd, res);
	if (strcmp(key, "lb_per_pb_exp") == 0) {
		rc = scst_parse_u64(val, 1000, &v);
		if (rc || v > 14)
			return scst_mgmt_res_set(
			    res, -EINVAL,
			    "lb_per_pb_exp: '%s' is not a number from 0 to 14",
			    val);
		vd->lb_per_pb_exp = (uint8_t)v;
		return 0;
	}
	if (strcmp(key, "tst") == 0) {
		if (strcmp(val, "0") && strcmp(val, "1"))
			return scst_mgmt_res_set(
			    res, -EINVAL, "tst: '%s' is not 0 or 1", val);
		x->tst = val[0] - '0';
		return 0;
	}
	rc = vdisk_val_bool(key, val, &b, res);
	if (rc)
		return rc;
	if (strcmp(key, "read_only") == 0)
		vd->read_only = b;
	else if (strcmp(key, "write_through") == 0)
		vd->write_through = b;
	else if (strcmp(key, "nv_cache") == 0)
		vd->nv_cache = b;
	else if (strcmp(key, "o_direct") == 0)
		vd->o_direct = b;
	else if (strcmp(key, "thin_provisioned") == 0)
		vd->thin_provisioned = b;
	else if (strcmp(key, "removable") == 0)
		vd->removable = b;
	else if (strcmp(key, "rotational") == 0)
		vd->rotational = b;
	else if (strcmp(key, "dummy") == 0)
		vd->dummy = b;
	else if (strcmp(key, "read_zero") == 0)
		vd->read_zero = b;
	else if (strcmp(key, "active") == 0)
		x->active = b;
	else if (strcmp(key, "cluster_mode") == 0)
		x->cluster_mode = b;
	else
		return scst_mgmt_res_set(
		    res, -EINVAL, "add_device: unknown parameter '%s'", key);
	return 0;
}

int vdisk_parse_params(struct vdisk_dev *vd, const char *params,
		       struct scst_mgmt_res *res)
{
	char key[64], val[SCST_ATTR_MAX_STORE];
	const char *p = params ? params : "";
	uint64_t size = 0;
	bool size_set = false;
	int rc;

	while ((rc = scst_params_next(&p, key, sizeof(key), val, sizeof(val),
				      res)) > 0) {
		if (!vdisk_param_allowed(vd->kind, key))
			return scst_mgmt_res_set(
			    res, -EINVAL, "add_device: unknown parameter '%s'",
			    key);
		rc = vdisk_parse_one(vd, key, val, &size, &size_set, res);
		if (rc)
			return rc;
	}
	if (rc)
		return rc;
	if ((vd->kind == VDISK_FILEIO || vd->kind == VDISK_BLOCKIO) &&
	    !vd->filename)
		return scst_mgmt_res_set(res, -EINVAL,
					 "add_device %s: filename is required",
					 vd->name);
	if (vd->kind == VDISK_CDROM)
		vd->read_only = true;
	if (size_set) {
		if (size < vd->block_size)
			return scst_mgmt_res_set(
			    res, -EINVAL,
			    "size: %llu bytes is less than one block of %u",
			    (unsigned long long)size, vd->block_size);
		vd->size_bytes = size;
	}
	return 0;
}

/* ------------------------------------------------------ attributes ---- */

#define VDISK_SHOW(nm, fmt, expr)                                              \
	static int vdisk_show_##nm(void *obj, char *buf, size_t size)          \
	{                                                                      \
		struct vdisk_dev *vd = vdisk_obj(obj);                         \
		struct vdisk_devx *x = vdisk_x(vd);                            \
		int n;                                                         \
		(void)x;                                                       \
		scst_spin_lock(&vd->lock);                                     \
		n = scst_snprintf(buf, size, fmt "\n", expr);                  \
		scst_spin_unlock(&vd->lock);                                   \
		return n;                                                      \
	}

/* Key when the value differs from the device's default. */
#define VDISK_KEY_FIELD(nm, field)                                             \
	static bool vdisk_key_##nm(void *obj)                                  \
	{                                                                      \
		struct vdisk_dev *vd = vdisk_obj(obj);                         \
		struct vdisk_devx d;                                           \
		vdisk_defaults_of(vd, &d);                                     \
		return vd->field != d.vd.field;                                \
	}
#define VDISK_KEY_XFIELD(nm, field)                                            \
	static bool vdisk_key_##nm(void *obj)                                  \
	{                                                                      \
		struct vdisk_dev *vd = vdisk_obj(obj);                         \
		struct vdisk_devx d;                                           \
		vdisk_defaults_of(vd, &d);                                     \
		return vdisk_x(vd)->field != d.field;                          \
	}
#define VDISK_KEY_STR(nm)                                                      \
	static bool vdisk_key_##nm(void *obj)                                  \
	{                                                                      \
		struct vdisk_dev *vd = vdisk_obj(obj);                         \
		struct vdisk_devx d;                                           \
		bool k;                                                        \
		vdisk_defaults_of(vd, &d);                                     \
		scst_spin_lock(&vd->lock);                                     \
		k = strcmp(vd->nm, d.vd.nm) != 0;                              \
		scst_spin_unlock(&vd->lock);                                   \
		return k;                                                      \
	}

#define VDISK_ATTR(nm, md, st)                                                 \
	static const struct scst_attr vdisk_attr_##nm = {                      \
	    .name = #nm,                                                       \
	    .mode = md,                                                        \
	    .show = vdisk_show_##nm,                                           \
	    .store = st,                                                       \
	    .is_key = vdisk_key_##nm,                                          \
	}

/* A read-only attribute of a vdisk_dev field. */
#define VDISK_RO_FIELD(nm, fmt, field)                                         \
	VDISK_SHOW(nm, fmt, vd->field)                                         \
	VDISK_KEY_FIELD(nm, field)                                             \
	VDISK_ATTR(nm, 0444, NULL)

VDISK_RO_FIELD(blocksize, "%u", block_size);
VDISK_RO_FIELD(read_only, "%d", read_only);
VDISK_RO_FIELD(nv_cache, "%d", nv_cache);
VDISK_RO_FIELD(o_direct, "%d", o_direct);
VDISK_RO_FIELD(thin_provisioned, "%d", thin_provisioned);
VDISK_RO_FIELD(removable, "%d", removable);
VDISK_RO_FIELD(rotational, "%d", rotational);
VDISK_RO_FIELD(dummy, "%d", dummy);
VDISK_RO_FIELD(lb_per_pb_exp, "%u", lb_per_pb_exp);

VDISK_SHOW(tst, "%d", x->tst)
VDISK_KEY_XFIELD(tst, tst)
VDISK_ATTR(tst, 0444, NULL);

/* ---- writable booleans ---- */

static int vdisk_store_write_through(void *obj, const char *val,
				     struct scst_mgmt_res *res)
{
	struct vdisk_dev *vd = vdisk_obj(obj);
	bool b;
	int rc = vdisk_val_bool("write_through", val, &b, res);

	if (rc)
		return rc;
	scst_spin_lock(&vd->lock);
	vd->write_through = b;
	vd->wce = !b;
	scst_spin_unlock(&vd->lock);
	return 0;
}
VDISK_SHOW(write_through, "%d", vd->write_through)
VDISK_KEY_FIELD(write_through, write_through)
VDISK_ATTR(write_through, 0644, vdisk_store_write_through);

static int vdisk_store_read_zero(void *obj, const char *val,
				 struct scst_mgmt_res *res)
{
	struct vdisk_dev *vd = vdisk_obj(obj);
	bool b;
	int rc = vdisk_val_bool("read_zero", val, &b, res);

	if (rc)
		return rc;
	scst_spin_lock(&vd->lock);
	vd->read_zero = b;
	scst_spin_unlock(&vd->lock);
	return 0;
}
VDISK_SHOW(read_zero, "%d", vd->read_zero)
VDISK_KEY_FIELD(read_zero, read_zero)
VDISK_ATTR(read_zero, 0644, vdisk_store_read_zero);

static int vdisk_store_cluster_mode(void *obj, const char *val,
				    struct scst_mgmt_res *res)
{
	struct vdisk_dev *vd = vdisk_obj(obj);
	bool b;
	int rc = vdisk_val_bool("cluster_mode", val, &b, res);

	if (rc)
		return rc;
	scst_spin_lock(&vd->lock);
	vdisk_x(vd)->cluster_mode = b;
	scst_spin_unlock(&vd->lock);
	return 0;
}
VDISK_SHOW(cluster_mode, "%d", x->cluster_mode)
VDISK_KEY_XFIELD(cluster_mode, cluster_mode)
VDISK_ATTR(cluster_mode, 0644, vdisk_store_cluster_mode);

/* active: 0 closes the backing store (commands get NOT READY), 1 reopens. */
static int vdisk_store_active(void *obj, const char *val,
			      struct scst_mgmt_res *res)
{
	struct vdisk_dev *vd = vdisk_obj(obj);
	struct vdisk_devx *x = vdisk_x(vd);
	bool b, was;
	int rc = vdisk_val_bool("active", val, &b, res);

	if (rc)
		return rc;
	scst_spin_lock(&vd->lock);
	was = x->active;
	scst_spin_unlock(&vd->lock);
	if (b == was)
		return 0;
	if (b) {
		uint64_t old_nblocks = vd->nblocks;

		if (vd->filename) {
			rc = vdisk_backend_open(vd, res);
			if (rc)
				return rc;
		}
		scst_spin_lock(&vd->lock);
		vdisk_update_geometry(vd);
		x->active = true;
		scst_spin_unlock(&vd->lock);
		/* The store may have changed while it was closed. */
		if (vd->nblocks != old_nblocks)
			scst_dev_set_ua(
			    vd->dev,
			    SCST_LOAD_SENSE(scst_sense_capacity_changed_UA));
		return 0;
	}
	scst_spin_lock(&vd->lock);
	x->active = false;
	scst_spin_unlock(&vd->lock);
	if (vd->filename)
		vdisk_backend_close(vd);
	return 0;
}
VDISK_SHOW(active, "%d", x->active)
VDISK_KEY_XFIELD(active, active)
VDISK_ATTR(active, 0644, vdisk_store_active);

/* expl_alua: the core keeps it (scst_dev_set_expl_alua). */
static int vdisk_store_expl_alua(void *obj, const char *val,
				 struct scst_mgmt_res *res)
{
	bool b;
	int rc = vdisk_val_bool("expl_alua", val, &b, res);

	if (rc)
		return rc;
	scst_dev_set_expl_alua(vdisk_obj(obj)->dev, b);
	return 0;
}

static int vdisk_show_expl_alua(void *obj, char *buf, size_t size)
{
	return scst_snprintf(buf, size, "%d\n",
			     scst_dev_expl_alua(vdisk_obj(obj)->dev));
}

static bool vdisk_key_expl_alua(void *obj)
{
	return scst_dev_expl_alua(vdisk_obj(obj)->dev);
}
VDISK_ATTR(expl_alua, 0644, vdisk_store_expl_alua);

/* ---- INQUIRY strings (changes raise INQUIRY DATA HAS CHANGED) ---- */

#define VDISK_STR_ATTR(nm, max)                                                \
	static int vdisk_store_##nm(void *obj, const char *val,                \
				    struct scst_mgmt_res *res)                 \
	{                                                                      \
		struct vdisk_dev *vd = vdisk_obj(obj);                         \
		char tmp[(max) + 1];                                           \
		int rc = vdisk_val_str(#nm, val, max, tmp, res);               \
		if (rc)                                                        \
			return rc;                                             \
		scst_spin_lock(&vd->lock);                                     \
		memcpy(vd->nm, tmp, sizeof(tmp));                              \
		scst_spin_unlock(&vd->lock);                                   \
		scst_dev_set_ua(                                               \
		    vd->dev,                                                   \
		    SCST_LOAD_SENSE(scst_sense_inquiry_data_changed_UA));      \
		return 0;                                                      \
	}                                                                      \
	VDISK_SHOW(nm, "%s", vd->nm)                                           \
	VDISK_KEY_STR(nm)                                                      \
	VDISK_ATTR(nm, 0644, vdisk_store_##nm)

VDISK_STR_ATTR(t10_vend_id, VDISK_VEND_LEN);
VDISK_STR_ATTR(prod_id, VDISK_PROD_LEN);
VDISK_STR_ATTR(prod_rev_lvl, VDISK_REV_LEN);
VDISK_STR_ATTR(t10_dev_id, VDISK_DEVID_LEN);
VDISK_STR_ATTR(usn, VDISK_USN_LEN);

/* ---- naa_id, eui64_id ---- */

static int vdisk_show_hex(struct vdisk_dev *vd, const uint8_t *id,
			  const unsigned int *len, char *buf, size_t size)
{
	unsigned int i;
	size_t n = 0;

	scst_spin_lock(&vd->lock);
	for (i = 0; i < *len && n + 3 < size; i++)
		n += (size_t)scst_snprintf(buf + n, size - n, "%02x", id[i]);
	scst_spin_unlock(&vd->lock);
	return (int)n + scst_snprintf(buf + n, size - n, "\n");
}

#define VDISK_HEX_ATTR(nm, field, len_field)                                   \
	static int vdisk_show_##nm(void *obj, char *buf, size_t size)          \
	{                                                                      \
		struct vdisk_dev *vd = vdisk_obj(obj);                         \
		return vdisk_show_hex(vd, vd->field, &vd->len_field, buf,      \
				      size);                                   \
	}                                                                      \
	static int vdisk_store_##nm(void *obj, const char *val,                \
				    struct scst_mgmt_res *res)                 \
	{                                                                      \
		struct vdisk_dev *vd = vdisk_obj(obj);                         \
		int rc = vdisk_val_##nm(val, vd, res);                         \
		if (!rc)                                                       \
			scst_dev_set_ua(                                       \
			    vd->dev, SCST_LOAD_SENSE(                          \
					 scst_sense_inquiry_data_changed_UA)); \
		return rc;                                                     \
	}                                                                      \
	static bool vdisk_key_##nm(void *obj)                                  \
	{                                                                      \
		return vdisk_obj(obj)->len_field != 0;                         \
	}                                                                      \
	VDISK_ATTR(nm, 0644, vdisk_store_##nm)

static int vdisk_val_naa_id(const char *val, struct vdisk_dev *vd,
			    struct scst_mgmt_res *res)
{
	return vdisk_val_naa(val, vd, res);
}

static int vdisk_val_eui64_id(const char *val, struct vdisk_dev *vd,
			      struct scst_mgmt_res *res)
{
	return vdisk_val_eui(val, vd, res);
}

VDISK_HEX_ATTR(naa_id, naa_id, naa_len);
VDISK_HEX_ATTR(eui64_id, eui64_id, eui64_len);

/* ---- size, size_mb, resync_size ---- */

static uint64_t vdisk_size_of(struct vdisk_dev *vd)
{
	uint64_t s;

	scst_spin_lock(&vd->lock);
	s = vd->nblocks << vd->block_shift;
	scst_spin_unlock(&vd->lock);
	return s;
}

static int vdisk_show_size(void *obj, char *buf, size_t size)
{
	return scst_snprintf(buf, size, "%llu\n",
			     (unsigned long long)vdisk_size_of(vdisk_obj(obj)));
}

static int vdisk_show_size_mb(void *obj, char *buf, size_t size)
{
	return scst_snprintf(
	    buf, size, "%llu\n",
	    (unsigned long long)(vdisk_size_of(vdisk_obj(obj)) >> 20));
}

/* nullio: one of size and size_mb is key, the one that is exact. */
static bool vdisk_key_size(void *obj)
{
	struct vdisk_dev *vd = vdisk_obj(obj);
	uint64_t s = vdisk_size_of(vd);

	return vd->kind == VDISK_NULLIO && s != VDISK_NULLIO_DEF_SIZE &&
	       (s & ((1u << 20) - 1));
}

static bool vdisk_key_size_mb(void *obj)
{
	struct vdisk_dev *vd = vdisk_obj(obj);
	uint64_t s = vdisk_size_of(vd);

	return vd->kind == VDISK_NULLIO && s != VDISK_NULLIO_DEF_SIZE &&
	       !(s & ((1u << 20) - 1));
}

static int vdisk_store_size_common(struct vdisk_dev *vd, const char *key,
				   const char *val, bool mb,
				   struct scst_mgmt_res *res)
{
	uint64_t v;
	int rc = vdisk_val_u64(key, val, mb ? 1ull << 40 : 1ull << 60, &v, res);

	if (rc)
		return rc;
	if (mb)
		v <<= 20;
	if (v < vd->block_size)
		return scst_mgmt_res_set(
		    res, -EINVAL, "%s: %llu bytes is less than one block of %u",
		    key, (unsigned long long)v, vd->block_size);
	vdisk_set_capacity(vd, v);
	return 0;
}

static int vdisk_store_size(void *obj, const char *val,
			    struct scst_mgmt_res *res)
{
	return vdisk_store_size_common(vdisk_obj(obj), "size", val, false, res);
}

static int vdisk_store_size_mb(void *obj, const char *val,
			       struct scst_mgmt_res *res)
{
	return vdisk_store_size_common(vdisk_obj(obj), "size_mb", val, true,
				       res);
}

static const struct scst_attr vdisk_attr_size_ro = {
    .name = "size", .mode = 0444, .show = vdisk_show_size};
static const struct scst_attr vdisk_attr_size_mb_ro = {
    .name = "size_mb", .mode = 0444, .show = vdisk_show_size_mb};
static const struct scst_attr vdisk_attr_size_rw = {.name = "size",
						    .mode = 0644,
						    .show = vdisk_show_size,
						    .store = vdisk_store_size,
						    .is_key = vdisk_key_size};
static const struct scst_attr vdisk_attr_size_mb_rw = {
    .name = "size_mb",
    .mode = 0644,
    .show = vdisk_show_size_mb,
    .store = vdisk_store_size_mb,
    .is_key = vdisk_key_size_mb};

/* Re-read the size of the backing store; a change raises the UA. */
static int vdisk_store_resync_size(void *obj, const char *val,
				   struct scst_mgmt_res *res)
{
	struct vdisk_dev *vd = vdisk_obj(obj);
	uint64_t bytes;
	bool b;
	int rc = vdisk_val_bool("resync_size", val, &b, res);

	if (rc)
		return rc;
	if (!b)
		return 0;
	if (!vd->be->get_size || !vdisk_x(vd)->be_open)
		return scst_mgmt_res_set(res, -ENODEV,
					 "resync_size: %s has no backing store "
					 "open",
					 vd->name);
	rc = vd->be->get_size(vd, &bytes);
	if (rc)
		return scst_mgmt_res_set(res, rc,
					 "resync_size: cannot get the size of "
					 "%s (error %d)",
					 vd->filename ? vd->filename : vd->name,
					 rc);
	if (bytes != vd->size_bytes)
		vdisk_set_capacity(vd, bytes);
	return 0;
}

static const struct scst_attr vdisk_attr_resync_size = {
    .name = "resync_size", .mode = 0200, .store = vdisk_store_resync_size};

/* ---- filename ---- */

static int vdisk_show_filename(void *obj, char *buf, size_t size)
{
	struct vdisk_dev *vd = vdisk_obj(obj);
	int n;

	scst_spin_lock(&vd->lock);
	n = scst_snprintf(buf, size, "%s\n", vd->filename ? vd->filename : "");
	scst_spin_unlock(&vd->lock);
	return n;
}

static bool vdisk_key_filename(void *obj)
{
	return vdisk_obj(obj)->filename != NULL;
}

static const struct scst_attr vdisk_attr_filename_ro = {
    .name = "filename",
    .mode = 0444,
    .flags = SCST_ATTR_KEY,
    .show = vdisk_show_filename};

/*
 * vcdrom: write a path to insert a medium (MEDIUM MAY HAVE CHANGED on
 * every nexus), "none" or nothing to eject. Refused while an initiator
 * prevents medium removal.
 */
static int vdisk_store_cdrom_filename(void *obj, const char *val,
				      struct scst_mgmt_res *res)
{
	struct vdisk_dev *vd = vdisk_obj(obj);
	bool eject = !val[0] || strcmp(val, "none") == 0;
	char *old, *p = NULL;
	bool locked;
	int rc;

	if (!eject && val[0] != '/')
		return scst_mgmt_res_set(
		    res, -EINVAL, "filename: '%s' is not an absolute path",
		    val);
	scst_spin_lock(&vd->lock);
	locked = scst_dev_prevented(vd->dev) && vd->media_present;
	scst_spin_unlock(&vd->lock);
	if (locked)
		return scst_mgmt_res_set(
		    res, -EBUSY,
		    "filename: %s: the medium is locked by PREVENT ALLOW "
		    "MEDIUM REMOVAL; cannot change or eject it",
		    vd->name);
	if (!eject) {
		p = vdisk_strdup(val);
		if (!p)
			return scst_mgmt_res_set(res, -ENOMEM, "out of memory");
	}
	/* Take the old medium out: no I/O reaches it any more. */
	scst_spin_lock(&vd->lock);
	vd->media_present = false;
	scst_spin_unlock(&vd->lock);
	vdisk_backend_close(vd);
	scst_spin_lock(&vd->lock);
	old = vd->filename;
	vd->filename = p;
	vd->size_bytes = 0;
	vdisk_update_geometry(vd);
	scst_spin_unlock(&vd->lock);
	scst_os_free(old);
	vdisk_mmc_media_changed(vd, false);
	if (eject)
		return 0;
	rc = vdisk_backend_open(vd, res);
	if (rc) {
		scst_spin_lock(&vd->lock);
		vd->filename = NULL;
		scst_spin_unlock(&vd->lock);
		scst_os_free(p);
		return rc;
	}
	scst_spin_lock(&vd->lock);
	vdisk_update_geometry(vd);
	vd->media_present = true;
	scst_spin_unlock(&vd->lock);
	vdisk_mmc_media_changed(vd, true);
	scst_dev_set_ua(vd->dev, SCST_LOAD_SENSE(scst_sense_medium_changed_UA));
	return 0;
}

static const struct scst_attr vdisk_attr_filename_cdrom = {
    .name = "filename",
    .mode = 0644,
    .show = vdisk_show_filename,
    .store = vdisk_store_cdrom_filename,
    .is_key = vdisk_key_filename};

/* ------------------------------------------------------------ tables ---- */

#define VDISK_FILE_ATTRS                                                       \
	&vdisk_attr_filename_ro, &vdisk_attr_blocksize, &vdisk_attr_read_only, \
	    &vdisk_attr_write_through, &vdisk_attr_nv_cache,                   \
	    &vdisk_attr_thin_provisioned, &vdisk_attr_removable,               \
	    &vdisk_attr_rotational, &vdisk_attr_t10_dev_id,                    \
	    &vdisk_attr_t10_vend_id, &vdisk_attr_prod_id,                      \
	    &vdisk_attr_prod_rev_lvl, &vdisk_attr_usn, &vdisk_attr_naa_id,     \
	    &vdisk_attr_eui64_id, &vdisk_attr_size_ro, &vdisk_attr_size_mb_ro, \
	    &vdisk_attr_resync_size, &vdisk_attr_lb_per_pb_exp,                \
	    &vdisk_attr_tst, &vdisk_attr_active, &vdisk_attr_cluster_mode,     \
	    &vdisk_attr_expl_alua

static const struct scst_attr *const vdisk_fileio_attrs[] = {
    VDISK_FILE_ATTRS, &vdisk_attr_o_direct, NULL};
static const struct scst_attr *const vdisk_blockio_attrs[] = {VDISK_FILE_ATTRS,
							      NULL};
static const struct scst_attr *const vdisk_nullio_attrs[] = {
    &vdisk_attr_blocksize,
    &vdisk_attr_size_rw,
    &vdisk_attr_size_mb_rw,
    &vdisk_attr_read_only,
    &vdisk_attr_dummy,
    &vdisk_attr_read_zero,
    &vdisk_attr_t10_dev_id,
    &vdisk_attr_removable,
    &vdisk_attr_rotational,
    &vdisk_attr_t10_vend_id,
    &vdisk_attr_prod_id,
    &vdisk_attr_prod_rev_lvl,
    &vdisk_attr_usn,
    &vdisk_attr_write_through,
    NULL};
static const struct scst_attr *const vdisk_cdrom_attrs[] = {
    &vdisk_attr_filename_cdrom,
    &vdisk_attr_blocksize,
    &vdisk_attr_read_only,
    &vdisk_attr_size_ro,
    &vdisk_attr_size_mb_ro,
    &vdisk_attr_t10_dev_id,
    &vdisk_attr_t10_vend_id,
    &vdisk_attr_prod_id,
    &vdisk_attr_prod_rev_lvl,
    &vdisk_attr_usn,
    &vdisk_attr_tst,
    NULL};

const struct scst_attr *const *const vdisk_dev_attrs[VDISK_KIND_COUNT] = {
    [VDISK_FILEIO] = vdisk_fileio_attrs,
    [VDISK_BLOCKIO] = vdisk_blockio_attrs,
    [VDISK_NULLIO] = vdisk_nullio_attrs,
    [VDISK_CDROM] = vdisk_cdrom_attrs,
};
