// SPDX-License-Identifier: GPL-2.0-only
/*
 * The running tree as an scst.conf tree, and -write_config.
 *
 * What is saved is what the tree marks "[key]" (with -nonkey also the other
 * writable attributes); numbered attributes (IncomingUser, IncomingUser1,
 * ...) are written under their base name, once per value. Objects come in
 * name order, LUNs in numeric order, so the output is stable.
 */
#include <errno.h>
#include <fcntl.h>
#include <libgen.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "scstadmin/sa.h"

static int sa_cmp_lun(const void *a, const void *b)
{
	unsigned long la = strtoul(*(char *const *)a, NULL, 10);
	unsigned long lb = strtoul(*(char *const *)b, NULL, 10);

	return la < lb ? -1 : la > lb;
}

void sa_sort_luns(struct sa_names *l)
{
	if (l->n)
		qsort(l->v, l->n, sizeof(*l->v), sa_cmp_lun);
}

/* Add the saved attributes of directory @dir to @parent. */
static int snap_attrs(struct scst_conf_node *parent, const char *dir,
		      const struct sa_names *multi, bool nonkey)
{
	char p[SA_PATH_MAX], *val, *base;
	struct sa_names attrs;
	size_t i;
	bool key;
	int rc = sa_list_attrs(dir, &attrs);

	if (rc)
		return rc;
	for (i = 0; !rc && i < attrs.n; i++) {
		sa_path(p, "%s/%s", dir, attrs.v[i]);
		if (sa_attr_get(p, &val, &key))
			continue; /* write-only (force_close) */
		if (key || (nonkey && sa_writable(p))) {
			base = malloc(strlen(attrs.v[i]) + 1);
			if (!base ||
			    !scst_conf_add_attr(
				parent, sa_attr_base(attrs.v[i], multi, base),
				val))
				rc = -ENOMEM;
			free(base);
		}
		free(val);
	}
	sa_names_free(&attrs);
	return rc;
}

/* A section that may go without a block loses it when it is empty. */
static void snap_close(struct scst_conf_node *n)
{
	if (!n->first_child)
		n->has_block = false;
}

/* The device a LUN directory points to. */
static int snap_lun_dev(const char *lun_dir, char *dev, size_t size)
{
	char p[SA_PATH_MAX], link[SA_PATH_MAX];
	int rc =
	    sa_readlink(sa_path(p, "%s/device", lun_dir), link, sizeof(link));

	if (rc < 0)
		return rc;
	snprintf(dev, size, "%s", basename(link));
	return 0;
}

static int snap_luns(struct scst_conf_node *parent, const char *luns_dir,
		     bool nonkey)
{
	char p[SA_PATH_MAX], dev[256];
	struct scst_conf_node *ln;
	struct sa_names luns;
	size_t i;
	int rc = sa_list_dir(luns_dir, SA_DIR, &luns);

	if (rc)
		return rc == -ENOENT ? 0 : rc;
	sa_sort_luns(&luns);
	for (i = 0; !rc && i < luns.n; i++) {
		sa_path(p, "%s/%s", luns_dir, luns.v[i]);
		rc = snap_lun_dev(p, dev, sizeof(dev));
		if (rc)
			break;
		ln = scst_conf_add(parent, "LUN", true, 2,
				   (const char *const[]){luns.v[i], dev});
		if (!ln) {
			rc = -ENOMEM;
			break;
		}
		rc = snap_attrs(ln, p, NULL, nonkey);
		snap_close(ln);
	}
	sa_names_free(&luns);
	return rc;
}

static int snap_target(struct scst_conf_node *tn, const char *tdir,
		       const struct sa_names *multi, bool nonkey)
{
	char p[SA_PATH_MAX], q[SA_PATH_MAX];
	struct scst_conf_node *gn;
	struct sa_names groups, inis;
	size_t i, j;
	int rc = snap_attrs(tn, tdir, multi, nonkey);

	if (!rc)
		rc = snap_luns(tn, sa_path(p, "%s/luns", tdir), nonkey);
	if (rc ||
	    sa_list_dir(sa_path(p, "%s/ini_groups", tdir), SA_DIR, &groups))
		return rc;
	for (i = 0; !rc && i < groups.n; i++) {
		gn = scst_conf_add_section(tn, "GROUP", groups.v[i]);
		if (!gn) {
			rc = -ENOMEM;
			break;
		}
		sa_path(p, "%s/ini_groups/%s", tdir, groups.v[i]);
		rc = snap_luns(gn, sa_path(q, "%s/luns", p), nonkey);
		if (rc || sa_list_attrs(sa_path(q, "%s/initiators", p), &inis))
			continue;
		for (j = 0; j < inis.n; j++)
			if (!scst_conf_add(gn, "INITIATOR", false, 1,
					   (const char *const *)&inis.v[j]))
				rc = -ENOMEM;
		sa_names_free(&inis);
	}
	sa_names_free(&groups);
	return rc;
}

static int snap_handlers(struct scst_conf_node *root, bool nonkey)
{
	char p[SA_PATH_MAX];
	struct scst_conf_node *hn, *dn;
	struct sa_names hnds, devs, multi;
	size_t i, j;
	int rc = sa_list_dir("handlers", SA_DIR, &hnds);

	for (i = 0; !rc && i < hnds.n; i++) {
		hn = scst_conf_add_section(root, "HANDLER", hnds.v[i]);
		if (!hn)
			return -ENOMEM;
		sa_mgmt_names(sa_path(p, "handlers/%s/mgmt", hnds.v[i]),
			      "device attributes", &multi);
		rc = snap_attrs(hn, sa_path(p, "handlers/%s", hnds.v[i]), NULL,
				nonkey);
		if (!rc)
			rc = sa_list_dir(p, SA_LINK, &devs);
		for (j = 0; !rc && j < devs.n; j++) {
			dn = scst_conf_add_section(hn, "DEVICE", devs.v[j]);
			if (!dn) {
				rc = -ENOMEM;
				break;
			}
			rc = snap_attrs(dn, sa_path(p, "devices/%s", devs.v[j]),
					&multi, nonkey);
			snap_close(dn);
		}
		if (!rc && !hn->first_child)
			scst_conf_free(hn);
		sa_names_free(&devs);
		sa_names_free(&multi);
	}
	sa_names_free(&hnds);
	return rc;
}

static int snap_drivers(struct scst_conf_node *root, bool nonkey)
{
	char p[SA_PATH_MAX];
	struct scst_conf_node *drn, *tn;
	struct sa_names drvs, tgts, tmulti, dmulti;
	size_t i, j;
	int rc = sa_list_dir("targets", SA_DIR, &drvs);

	for (i = 0; !rc && i < drvs.n; i++) {
		drn = scst_conf_add_section(root, "TARGET_DRIVER", drvs.v[i]);
		if (!drn)
			return -ENOMEM;
		sa_path(p, "targets/%s/mgmt", drvs.v[i]);
		sa_mgmt_names(p, "target attributes", &tmulti);
		sa_mgmt_names(p, "driver attributes", &dmulti);
		rc = snap_attrs(drn, sa_path(p, "targets/%s", drvs.v[i]),
				&dmulti, nonkey);
		if (!rc)
			rc = sa_list_dir(p, SA_DIR, &tgts);
		for (j = 0; !rc && j < tgts.n; j++) {
			tn = scst_conf_add_section(drn, "TARGET", tgts.v[j]);
			if (!tn) {
				rc = -ENOMEM;
				break;
			}
			rc = snap_target(
			    tn,
			    sa_path(p, "targets/%s/%s", drvs.v[i], tgts.v[j]),
			    &tmulti, nonkey);
			snap_close(tn);
		}
		if (!rc && !drn->first_child)
			scst_conf_free(drn);
		sa_names_free(&tgts);
		sa_names_free(&tmulti);
		sa_names_free(&dmulti);
	}
	sa_names_free(&drvs);
	return rc;
}

static int snap_dgroups(struct scst_conf_node *root, bool nonkey)
{
	char p[SA_PATH_MAX];
	struct scst_conf_node *dgn, *tgn, *ttn;
	struct sa_names dgs, devs, tgs, tts;
	size_t i, j, k;
	int rc = sa_list_dir("device_groups", SA_DIR, &dgs);

	if (rc == -ENOENT)
		return 0;
	for (i = 0; !rc && i < dgs.n; i++) {
		dgn = scst_conf_add_section(root, "DEVICE_GROUP", dgs.v[i]);
		if (!dgn)
			return -ENOMEM;
		if (sa_list_dir(
			sa_path(p, "device_groups/%s/devices", dgs.v[i]),
			SA_LINK, &devs) == 0) {
			for (j = 0; j < devs.n; j++)
				if (!scst_conf_add(
					dgn, "DEVICE", false, 1,
					(const char *const *)&devs.v[j]))
					rc = -ENOMEM;
			sa_names_free(&devs);
		}
		if (rc || sa_list_dir(sa_path(p,
					      "device_groups/%s/"
					      "target_groups",
					      dgs.v[i]),
				      SA_DIR, &tgs))
			continue;
		for (j = 0; !rc && j < tgs.n; j++) {
			tgn = scst_conf_add_section(dgn, "TARGET_GROUP",
						    tgs.v[j]);
			if (!tgn) {
				rc = -ENOMEM;
				break;
			}
			sa_path(p, "device_groups/%s/target_groups/%s",
				dgs.v[i], tgs.v[j]);
			rc = snap_attrs(tgn, p, NULL, nonkey);
			if (rc || sa_list_dir(p, SA_DIR, &tts))
				continue;
			for (k = 0; !rc && k < tts.n; k++) {
				ttn = scst_conf_add_section(tgn, "TARGET",
							    tts.v[k]);
				if (!ttn) {
					rc = -ENOMEM;
					break;
				}
				rc = snap_attrs(ttn,
						sa_path(p,
							"device_groups/%s/"
							"target_groups/%s/%s",
							dgs.v[i], tgs.v[j],
							tts.v[k]),
						NULL, nonkey);
				snap_close(ttn);
			}
			sa_names_free(&tts);
		}
		sa_names_free(&tgs);
	}
	sa_names_free(&dgs);
	return rc;
}

struct scst_conf_node *sa_snapshot(bool nonkey)
{
	struct scst_conf_node *root = scst_conf_new_root();
	int rc;

	if (!root)
		return NULL;
	rc = snap_attrs(root, ".", NULL, nonkey);
	if (!rc)
		rc = snap_handlers(root, nonkey);
	if (!rc)
		rc = snap_drivers(root, nonkey);
	if (!rc)
		rc = snap_dgroups(root, nonkey);
	if (rc) {
		fprintf(stderr, "scstadmin: cannot read the tree at %s: %s\n",
			sa_tree_root(), strerror(-rc));
		scst_conf_free(root);
		errno = -rc;
		return NULL;
	}
	return root;
}

/* Write @len bytes of @text to @path atomically: temp file, rename. */
static int sa_write_file(const char *path, const char *text, size_t len)
{
	char tmp[SA_PATH_MAX], dir[SA_PATH_MAX];
	size_t off = 0;
	ssize_t n;
	int fd, dfd, rc = 0;

	if (snprintf(tmp, sizeof(tmp), "%s.XXXXXX", path) >= (int)sizeof(tmp))
		return -ENAMETOOLONG;
	fd = mkstemp(tmp);
	if (fd < 0)
		return -errno;
	while (!rc && off < len) {
		n = write(fd, text + off, len - off);
		if (n < 0 && errno != EINTR)
			rc = -errno;
		else if (n > 0)
			off += (size_t)n;
	}
	if (!rc && fchmod(fd, 0644))
		rc = -errno;
	if (!rc && fsync(fd))
		rc = -errno;
	if (close(fd) && !rc)
		rc = -errno;
	if (!rc && rename(tmp, path))
		rc = -errno;
	if (rc) {
		unlink(tmp);
		return rc;
	}
	snprintf(dir, sizeof(dir), "%s", path);
	dfd = open(dirname(dir), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (dfd >= 0) {
		if (fsync(dfd))
			rc = -errno;
		close(dfd);
	}
	return rc;
}

int sa_write_config(struct sa_ctx *c, const char *path)
{
	static const char head[] =
	    "# Automatically generated by scstadmin -write_config.\n\n";
	struct scst_conf_node *root = sa_snapshot(c->nonkey);
	char *text = NULL, *all;
	size_t len = 0;
	int rc;

	if (!root)
		return 1;
	rc = scst_conf_write(root, &text, &len);
	scst_conf_free(root);
	if (rc) {
		fprintf(stderr,
			"scstadmin: cannot write the configuration: "
			"%s\n",
			strerror(-rc));
		return 1;
	}
	all = malloc(sizeof(head) + len);
	if (!all) {
		free(text);
		return 1;
	}
	memcpy(all, head, sizeof(head) - 1);
	memcpy(all + sizeof(head) - 1, text, len);
	free(text);
	rc = sa_write_file(path, all, sizeof(head) - 1 + len);
	free(all);
	if (rc) {
		fprintf(stderr, "scstadmin: cannot write %s: %s\n", path,
			strerror(-rc));
		return 1;
	}
	printf("Configuration written to %s\n", path);
	return 0;
}
