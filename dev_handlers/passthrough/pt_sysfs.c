// SPDX-License-Identifier: GPL-2.0-only
/*
 * Finding a SCSI device's sg node through sysfs (platform edge), as SCST
 * names devices: "H:C:I:L", or a path that survives renumbering.
 *
 *   <root>/bus/scsi/devices/H:C:I:L/scsi_generic/sgN/     the sg of a LU
 *   <root>/bus/scsi/devices/H:C:I:L/type                  peripheral type
 *   <root>/class/scsi_generic/sgN/device -> .../H:C:I:L   and back
 *   <root>/block/sdX/device -> .../H:C:I:L                a block device
 *   <root>/class/scsi_tape/stN/device, class/scsi_changer/schN/device
 *   <root>/block/sdX/queue/max_sectors_kb                 the block limit
 *
 * The root is "/sys" unless set (the unit tests build a fake tree).
 */
#include <dirent.h>
#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "dev_handlers/passthrough/pt_priv.h"

static char pt_sysfs_root[PT_PATH_MAX] = "/sys";

int pt_sysfs_set_root(const char *root)
{
	size_t n = strlen(root);

	if (n == 0 || n >= sizeof(pt_sysfs_root))
		return -EINVAL;
	memcpy(pt_sysfs_root, root, n + 1);
	return 0;
}

static int pt_read_line(const char *path, char *buf, size_t size)
{
	FILE *f = fopen(path, "r");
	size_t n;

	if (!f)
		return -errno;
	if (!fgets(buf, (int)size, f)) {
		fclose(f);
		return -EIO;
	}
	fclose(f);
	n = strlen(buf);
	while (n && (buf[n - 1] == '\n' || buf[n - 1] == ' '))
		buf[--n] = '\0';
	return 0;
}

static bool pt_hctl_ok(const char *s)
{
	unsigned int h, c, i, l;
	char tail;

	return sscanf(s, "%u:%u:%u:%u%c", &h, &c, &i, &l, &tail) == 4;
}

/* The first entry of @dir whose name starts with @prefix. */
static int pt_first_entry(const char *dir, const char *prefix, char *out,
			  size_t size)
{
	struct dirent *de;
	DIR *d = opendir(dir);
	int rc = -ENOENT;

	if (!d)
		return -errno;
	while ((de = readdir(d))) {
		if (de->d_name[0] != '.' &&
		    strncmp(de->d_name, prefix, strlen(prefix)) == 0 &&
		    strlen(de->d_name) < size) {
			strcpy(out, de->d_name);
			rc = 0;
			break;
		}
	}
	closedir(d);
	return rc;
}

/* Type and block limit of the LU at bus/scsi/devices/@hctl. */
static void pt_lu_facts(struct pt_sysfs_dev *out)
{
	char p[PT_PATH_MAX * 2], v[64], blk[64];
	unsigned long n;

	out->type = -1;
	out->max_sectors_kb = 0;
	snprintf(p, sizeof(p), "%s/bus/scsi/devices/%s/type", pt_sysfs_root,
		 out->hctl);
	if (pt_read_line(p, v, sizeof(v)) == 0)
		out->type = atoi(v);
	snprintf(p, sizeof(p), "%s/bus/scsi/devices/%s/block", pt_sysfs_root,
		 out->hctl);
	if (pt_first_entry(p, "", blk, sizeof(blk)) == 0) {
		snprintf(p, sizeof(p), "%s/block/%s/queue/max_sectors_kb",
			 pt_sysfs_root, blk);
		if (pt_read_line(p, v, sizeof(v)) == 0) {
			n = strtoul(v, NULL, 10);
			out->max_sectors_kb = n > UINT32_MAX ? 0 : (uint32_t)n;
		}
	}
}

int pt_sysfs_by_hctl(const char *hctl, struct pt_sysfs_dev *out)
{
	char p[PT_PATH_MAX * 2];
	int rc;

	memset(out, 0, sizeof(*out));
	if (!pt_hctl_ok(hctl) || strlen(hctl) >= sizeof(out->hctl))
		return -EINVAL;
	strcpy(out->hctl, hctl);
	snprintf(p, sizeof(p), "%s/bus/scsi/devices/%s/scsi_generic",
		 pt_sysfs_root, hctl);
	rc = pt_first_entry(p, "sg", out->sg, sizeof(out->sg));
	if (rc)
		return -ENOENT;
	pt_lu_facts(out);
	return 0;
}

/* The H:C:I:L a "device" link of @dir points at. */
static int pt_link_hctl(const char *dir, char *hctl, size_t size)
{
	char p[PATH_MAX + 1024], t[PATH_MAX];
	const char *base;
	ssize_t n;

	if (snprintf(p, sizeof(p), "%.*s/device", PATH_MAX, dir) >=
	    (int)sizeof(p))
		return -ENAMETOOLONG;
	n = readlink(p, t, sizeof(t) - 1);
	if (n < 0)
		return -errno;
	t[n] = '\0';
	base = strrchr(t, '/');
	base = base ? base + 1 : t;
	if (!pt_hctl_ok(base) || strlen(base) >= size)
		return -ENOENT;
	strcpy(hctl, base);
	return 0;
}

int pt_sysfs_by_path(const char *path, struct pt_sysfs_dev *out)
{
	static const char *const dirs[] = {"class/scsi_generic", "block",
					   "class/scsi_tape",
					   "class/scsi_changer"};
	char real[PATH_MAX], d[PATH_MAX + 1024], hctl[32];
	const char *base;
	unsigned int i;

	memset(out, 0, sizeof(*out));
	/* A by-id or by-path link: the node it names. */
	if (!realpath(path, real))
		return -errno;
	base = strrchr(real, '/');
	base = base ? base + 1 : real;
	/* st's nstN (no rewind) is the same drive as stN. */
	if (strncmp(base, "nst", 3) == 0)
		base++;
	for (i = 0; i < sizeof(dirs) / sizeof(dirs[0]); i++) {
		snprintf(d, sizeof(d), "%s/%s/%s", pt_sysfs_root, dirs[i],
			 base);
		if (access(d, F_OK) == 0 &&
		    pt_link_hctl(d, hctl, sizeof(hctl)) == 0)
			return pt_sysfs_by_hctl(hctl, out);
	}
	return -ENODEV;
}
