// SPDX-License-Identifier: GPL-2.0-only
/*
 * Access to the config tree through the file system: SCST's sysfs layout,
 * served by scstd at --root (default /run/scst_tgt). One write() is one
 * command; a failed write leaves its message in last_sysfs_mgmt_res.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <dirent.h>
#include <sys/stat.h>
#include <unistd.h>

#include "scstadmin/sa.h"

static char sa_root[SA_PATH_MAX];

/* ------------------------------------------------------------ names ---- */

void sa_names_free(struct sa_names *l)
{
	size_t i;

	for (i = 0; i < l->n; i++)
		free(l->v[i]);
	free(l->v);
	l->v = NULL;
	l->n = 0;
}

bool sa_names_has(const struct sa_names *l, const char *name)
{
	size_t i;

	for (i = 0; i < l->n; i++)
		if (strcmp(l->v[i], name) == 0)
			return true;
	return false;
}

int sa_names_add(struct sa_names *l, const char *name)
{
	char **v = realloc(l->v, (l->n + 1) * sizeof(*v));

	if (!v)
		return -ENOMEM;
	l->v = v;
	v[l->n] = strdup(name);
	if (!v[l->n])
		return -ENOMEM;
	l->n++;
	return 0;
}

static int sa_cmp_str(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

/* ------------------------------------------------------------- paths ---- */

int sa_tree_open(const char *root)
{
	char ver[SA_PATH_MAX];
	size_t n = strlen(root);

	if (n == 0 || n >= sizeof(sa_root) - 64) {
		fprintf(stderr, "scstadmin: bad tree root '%s'\n", root);
		return -EINVAL;
	}
	memcpy(sa_root, root, n + 1);
	while (n > 1 && sa_root[n - 1] == '/')
		sa_root[--n] = '\0';
	if (snprintf(ver, sizeof(ver), "%s/version", sa_root) >=
		(int)sizeof(ver) ||
	    access(ver, R_OK) != 0) {
		fprintf(stderr,
			"scstadmin: %s is not an SCST config tree (no version "
			"file: %s); is scstd running? (use -root DIR or "
			"SCST_ROOT)\n",
			sa_root, strerror(errno));
		return -ENOENT;
	}
	return 0;
}

const char *sa_tree_root(void)
{
	return sa_root;
}

char *sa_path(char *buf, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(buf, SA_PATH_MAX, fmt, ap);
	va_end(ap);
	return buf;
}

/* The absolute path of @rel. */
static const char *sa_abs(char *buf, const char *rel)
{
	if (snprintf(buf, SA_PATH_MAX, "%s/%s", sa_root, rel) >= SA_PATH_MAX)
		buf[0] = '\0'; /* too long: fails as ENOENT */
	return buf;
}

int sa_type(const char *rel)
{
	char p[SA_PATH_MAX];
	struct stat st;

	if (lstat(sa_abs(p, rel), &st))
		return -errno;
	if (S_ISDIR(st.st_mode))
		return SA_DIR;
	if (S_ISLNK(st.st_mode))
		return SA_LINK;
	return SA_FILE;
}

bool sa_exists(const char *rel)
{
	return sa_type(rel) >= 0;
}

bool sa_is_dir(const char *rel)
{
	return sa_type(rel) == SA_DIR;
}

bool sa_writable(const char *rel)
{
	char p[SA_PATH_MAX];
	struct stat st;

	return lstat(sa_abs(p, rel), &st) == 0 && S_ISREG(st.st_mode) &&
	       (st.st_mode & 0222);
}

int sa_list_dir(const char *rel, enum sa_type type, struct sa_names *out)
{
	char p[SA_PATH_MAX], e[SA_PATH_MAX];
	struct dirent *de;
	DIR *d;
	int rc = 0;

	out->v = NULL;
	out->n = 0;
	d = opendir(sa_abs(p, rel));
	if (!d)
		return -errno;
	while (!rc && (de = readdir(d))) {
		if (strcmp(de->d_name, ".") == 0 ||
		    strcmp(de->d_name, "..") == 0)
			continue;
		if (type != SA_ANY &&
		    sa_type(sa_path(e, "%s/%s", rel, de->d_name)) != (int)type)
			continue;
		rc = sa_names_add(out, de->d_name);
	}
	closedir(d);
	if (rc)
		sa_names_free(out);
	else if (out->n)
		qsort(out->v, out->n, sizeof(*out->v), sa_cmp_str);
	return rc;
}

int sa_list_attrs(const char *rel, struct sa_names *out)
{
	size_t i, j;
	int rc = sa_list_dir(rel, SA_FILE, out);

	if (rc)
		return rc;
	for (i = j = 0; i < out->n; i++) {
		if (strcmp(out->v[i], "mgmt") == 0)
			free(out->v[i]);
		else
			out->v[j++] = out->v[i];
	}
	out->n = j;
	return 0;
}

/* ------------------------------------------------------ reading ---- */

int sa_read(const char *rel, char **out)
{
	char p[SA_PATH_MAX];
	size_t len = 0, cap = 4096;
	char *buf = malloc(cap + 1), *nb;
	ssize_t n;
	int fd, rc = 0;

	*out = NULL;
	if (!buf)
		return -ENOMEM;
	fd = open(sa_abs(p, rel), O_RDONLY | O_CLOEXEC);
	if (fd < 0) {
		rc = -errno;
		free(buf);
		return rc;
	}
	for (;;) {
		if (len == cap) {
			nb = realloc(buf, cap * 2 + 1);
			if (!nb) {
				rc = -ENOMEM;
				break;
			}
			buf = nb;
			cap *= 2;
		}
		n = read(fd, buf + len, cap - len);
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0) {
			rc = -errno;
			break;
		}
		if (n == 0)
			break;
		len += (size_t)n;
	}
	close(fd);
	if (rc) {
		free(buf);
		return rc;
	}
	buf[len] = '\0';
	*out = buf;
	return 0;
}

int sa_attr_get(const char *rel, char **val, bool *key)
{
	char *s, *k;
	size_t n;
	int rc = sa_read(rel, &s);

	if (key)
		*key = false;
	if (rc)
		return rc;
	n = strlen(s);
	/* "[key]\n" as the last line marks a value to be saved. */
	if (n >= 6 && strcmp(s + n - 6, "[key]\n") == 0 &&
	    (n == 6 || s[n - 7] == '\n')) {
		n -= 6;
		s[n] = '\0';
		if (key)
			*key = true;
	}
	if (n && s[n - 1] == '\n')
		s[--n] = '\0';
	k = s;
	*val = k;
	return 0;
}

int sa_readlink(const char *rel, char *buf, size_t size)
{
	char p[SA_PATH_MAX];
	ssize_t n = readlink(sa_abs(p, rel), buf, size - 1);

	if (n < 0)
		return -errno;
	buf[n] = '\0';
	return (int)n;
}

/* ------------------------------------------------------ writing ---- */

int sa_write(const char *rel, const char *data, char *msg, size_t msgsz)
{
	char p[SA_PATH_MAX], *res = NULL, *line2;
	size_t len = strlen(data);
	ssize_t n;
	int fd, rc = 0;

	msg[0] = '\0';
	fd = open(sa_abs(p, rel), O_WRONLY | O_CLOEXEC);
	if (fd < 0) {
		rc = -errno;
		snprintf(msg, msgsz, "%s", strerror(-rc));
		return rc;
	}
	do {
		n = write(fd, data, len);
	} while (n < 0 && errno == EINTR);
	if (n < 0)
		rc = -errno;
	else if ((size_t)n != len)
		rc = -EIO;
	if (close(fd) && !rc)
		rc = -errno;
	if (!rc)
		return 0;
	/* The tree's reason: the second line of last_sysfs_mgmt_res. */
	if (sa_read("last_sysfs_mgmt_res", &res) == 0 &&
	    (line2 = strchr(res, '\n')) && line2[1]) {
		line2++;
		line2[strcspn(line2, "\n")] = '\0';
		snprintf(msg, msgsz, "%s: %s", strerror(-rc), line2);
	} else {
		snprintf(msg, msgsz, "%s", strerror(-rc));
	}
	free(res);
	return rc;
}

int sa_mgmt_names(const char *mgmt_rel, const char *what, struct sa_names *out)
{
	char head[256], *text, *p, *e, *tok, *save = NULL;
	int rc;

	out->v = NULL;
	out->n = 0;
	rc = sa_read(mgmt_rel, &text);
	if (rc)
		return rc;
	snprintf(head, sizeof(head), "The following %s available:", what);
	for (p = text; p && *p; p = e ? e + 1 : NULL) {
		e = strchr(p, '\n');
		if (e)
			*e = '\0';
		if (strncmp(p, head, strlen(head)) != 0)
			continue;
		for (tok = strtok_r(p + strlen(head), ", \t", &save); tok;
		     tok = strtok_r(NULL, ", \t", &save)) {
			rc = sa_names_add(out, tok);
			if (rc)
				break;
		}
		break;
	}
	free(text);
	return rc;
}

const char *sa_attr_base(const char *name, const struct sa_names *multi,
			 char *buf)
{
	size_t n = strlen(name);

	while (n && name[n - 1] >= '0' && name[n - 1] <= '9')
		n--;
	memcpy(buf, name, n);
	buf[n] = '\0';
	if (multi && sa_names_has(multi, buf))
		return buf;
	return name;
}
