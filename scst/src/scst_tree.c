// SPDX-License-Identifier: GPL-2.0-only
/*
 * The configuration tree: nodes, path lookup, reads and writes.
 *
 * Structure changes and lookups hold scst_tree_mutex. A read or write of a
 * node holds an "active" reference on it instead of the mutex while the
 * attribute's show() or store() runs; removing a node unlinks it at once
 * (no new users) and then waits for its active references to go. Writes
 * are serialized by scst_cfg_mutex, so a configuration change never sees
 * another half done.
 */
#include "scst_priv.h"
#include "scst_tree_priv.h"

struct scst_tnode {
	char *name;
	enum scst_tree_type type;
	uint16_t mode;
	struct scst_tnode *parent;
	struct scst_list_head children; /* sorted by name */
	struct scst_list_head sibling;
	const struct scst_attr *attr; /* files */
	void *obj;
	char *link;	     /* links: target, relative */
	unsigned int active; /* under scst_tree_mutex */
	bool removed;
};

static struct scst_mutex scst_tree_mutex;
struct scst_mutex scst_cfg_mutex;
static struct scst_waitq scst_tree_wq; /* an active reference dropped */
static struct scst_tnode *scst_root;

/* The result of the last write, for last_sysfs_mgmt_res. */
static struct scst_spinlock scst_last_res_lock;
static int scst_last_res_rc;
static char scst_last_res_msg[sizeof(((struct scst_mgmt_res *)0)->msg)];

int scst_mgmt_res_set(struct scst_mgmt_res *res, int err, const char *fmt, ...)
{
	va_list ap;

	if (res) {
		va_start(ap, fmt);
		scst_vsnprintf(res->msg, sizeof(res->msg), fmt, ap);
		va_end(ap);
	}
	return err;
}

/* ------------------------------------------------------------ nodes ---- */

static struct scst_tnode *
scst_tnode_alloc(const char *name, enum scst_tree_type type, uint16_t mode)
{
	struct scst_tnode *n = scst_os_zalloc(sizeof(*n));

	if (!n)
		return NULL;
	n->name = scst_strdup(name);
	if (!n->name) {
		scst_os_free(n);
		return NULL;
	}
	n->type = type;
	n->mode = mode;
	scst_list_init(&n->children);
	scst_list_init(&n->sibling);
	return n;
}

static void scst_tnode_free(struct scst_tnode *n)
{
	scst_os_free(n->link);
	scst_os_free(n->name);
	scst_os_free(n);
}

static struct scst_tnode *scst_tnode_child(struct scst_tnode *dir,
					   const char *name, size_t len)
{
	struct scst_tnode *c;

	scst_list_for_each_entry (c, &dir->children, sibling)
		if (strlen(c->name) == len && memcmp(c->name, name, len) == 0)
			return c;
	return NULL;
}

/* Under scst_tree_mutex: insert @n in @dir, keeping names sorted. */
static int scst_tnode_link(struct scst_tnode *dir, struct scst_tnode *n)
{
	struct scst_tnode *c;

	if (!dir || dir->removed || dir->type != SCST_TREE_DIR)
		return -ENOENT;
	scst_list_for_each_entry (c, &dir->children, sibling) {
		int cmp = strcmp(c->name, n->name);

		if (cmp == 0)
			return -EEXIST;
		if (cmp > 0)
			break;
	}
	/* Before @c (or at the end when the loop ran out). */
	scst_list_add_tail(&n->sibling, &c->sibling);
	n->parent = dir;
	return 0;
}

static int scst_tnode_add(struct scst_tnode *dir, struct scst_tnode *n)
{
	int rc;

	scst_mutex_lock(&scst_tree_mutex);
	rc = scst_tnode_link(dir, n);
	scst_mutex_unlock(&scst_tree_mutex);
	if (rc)
		scst_tnode_free(n);
	return rc;
}

struct scst_tnode *scst_tree_mkdir(struct scst_tnode *dir, const char *name)
{
	struct scst_tnode *n = scst_tnode_alloc(name, SCST_TREE_DIR, 0755);

	if (!n)
		return NULL;
	return scst_tnode_add(dir, n) ? NULL : n;
}

struct scst_tnode *scst_tree_add_dir(struct scst_tnode *dir, const char *name)
{
	return dir ? scst_tree_mkdir(dir, name) : NULL;
}

int scst_tree_add_attr(struct scst_tnode *dir, const struct scst_attr *attr,
		       void *obj)
{
	struct scst_tnode *n =
	    scst_tnode_alloc(attr->name, SCST_TREE_FILE, attr->mode);

	if (!n)
		return -ENOMEM;
	n->attr = attr;
	n->obj = obj;
	return scst_tnode_add(dir, n);
}

int scst_tree_add_attrs(struct scst_tnode *dir,
			const struct scst_attr *const *attrs, void *obj)
{
	int rc;

	for (; attrs && *attrs; attrs++) {
		rc = scst_tree_add_attr(dir, *attrs, obj);
		if (rc)
			return rc;
	}
	return 0;
}

/* Depth of @n below the root (the root is 0). Under scst_tree_mutex. */
static unsigned int scst_tnode_depth(const struct scst_tnode *n)
{
	unsigned int d = 0;

	for (; n->parent; n = n->parent)
		d++;
	return d;
}

/* Absolute path of @n without the leading '/'. Under scst_tree_mutex. */
static int scst_tnode_path(const struct scst_tnode *n, char *buf, size_t size)
{
	const struct scst_tnode *it;
	size_t len = 0, pos, l;

	for (it = n; it->parent; it = it->parent)
		len += strlen(it->name) + 1;
	if (len == 0 || len > size)
		return -ENAMETOOLONG;
	/* Fill from the end: names with '/' between them, then the NUL. */
	pos = len - 1;
	buf[pos] = '\0';
	for (it = n; it->parent; it = it->parent) {
		l = strlen(it->name);
		pos -= l;
		memcpy(buf + pos, it->name, l);
		if (pos)
			buf[--pos] = '/';
	}
	return 0;
}

int scst_tree_symlink(struct scst_tnode *dir, const char *name,
		      struct scst_tnode *target)
{
	char path[1024];
	struct scst_tnode *n;
	unsigned int up, i;
	size_t off = 0;
	int rc;

	n = scst_tnode_alloc(name, SCST_TREE_LINK, 0777);
	if (!n)
		return -ENOMEM;
	n->link = scst_os_alloc(sizeof(path) + 3 * 64);
	if (!n->link) {
		scst_tnode_free(n);
		return -ENOMEM;
	}
	scst_mutex_lock(&scst_tree_mutex);
	rc = target->removed ? -ENOENT
			     : scst_tnode_path(target, path, sizeof(path));
	if (!rc) {
		/* From @dir up to the root, then down to @target. */
		up = scst_tnode_depth(dir);
		for (i = 0; i < up && i < 64; i++) {
			memcpy(n->link + off, "../", 3);
			off += 3;
		}
		memcpy(n->link + off, path, strlen(path) + 1);
		rc = scst_tnode_link(dir, n);
	}
	scst_mutex_unlock(&scst_tree_mutex);
	if (rc)
		scst_tnode_free(n);
	return rc;
}

static bool scst_tnode_idle(void *arg)
{
	struct scst_tnode *n = arg;
	bool idle;

	scst_mutex_lock(&scst_tree_mutex);
	idle = n->active == 0;
	scst_mutex_unlock(&scst_tree_mutex);
	return idle;
}

/* Under scst_tree_mutex: mark @n and everything below removed. */
static void scst_tnode_mark_removed(struct scst_tnode *n)
{
	struct scst_tnode *c;

	n->removed = true;
	scst_list_for_each_entry (c, &n->children, sibling)
		scst_tnode_mark_removed(c);
}

/* After unlinking: wait for users, then free the subtree. */
static void scst_tnode_destroy(struct scst_tnode *n)
{
	struct scst_tnode *c;

	while (!scst_list_empty(&n->children)) {
		c = scst_list_first_entry(&n->children, struct scst_tnode,
					  sibling);
		scst_list_del_init(&c->sibling);
		scst_tnode_destroy(c);
	}
	scst_wait_event(&scst_tree_wq, scst_tnode_idle, n);
	scst_tnode_free(n);
}

void scst_tree_unlink(struct scst_tnode *n)
{
	if (!n)
		return;
	scst_mutex_lock(&scst_tree_mutex);
	scst_tnode_mark_removed(n);
	scst_list_del_init(&n->sibling);
	n->parent = NULL;
	scst_mutex_unlock(&scst_tree_mutex);
}

void scst_tree_destroy_unlinked(struct scst_tnode *n)
{
	if (n)
		scst_tnode_destroy(n);
}

void scst_tree_remove(struct scst_tnode *n)
{
	scst_tree_unlink(n);
	scst_tree_destroy_unlinked(n);
}

int scst_tree_remove_entry(struct scst_tnode *dir, const char *name)
{
	struct scst_tnode *n;

	scst_mutex_lock(&scst_tree_mutex);
	n = dir ? scst_tnode_child(dir, name, strlen(name)) : NULL;
	if (n) {
		scst_tnode_mark_removed(n);
		scst_list_del_init(&n->sibling);
		n->parent = NULL;
	}
	scst_mutex_unlock(&scst_tree_mutex);
	if (!n)
		return -ENOENT;
	scst_tnode_destroy(n);
	return 0;
}

struct scst_tnode *scst_tree_root(void)
{
	return scst_root;
}

/* ----------------------------------------------------------- lookup ---- */

/* Under scst_tree_mutex: resolve @path (absolute, no symlink following). */
static struct scst_tnode *scst_tree_walk(const char *path)
{
	struct scst_tnode *n = scst_root;
	const char *p = path, *e;

	if (!n || *p != '/')
		return NULL;
	while (*p) {
		while (*p == '/')
			p++;
		if (!*p)
			break;
		e = strchr(p, '/');
		if (!e)
			e = p + strlen(p);
		if (n->type != SCST_TREE_DIR)
			return NULL;
		n = scst_tnode_child(n, p, (size_t)(e - p));
		if (!n)
			return NULL;
		p = e;
	}
	return n;
}

/* Look @path up and take an active reference. */
static struct scst_tnode *scst_tree_get(const char *path)
{
	struct scst_tnode *n;

	scst_mutex_lock(&scst_tree_mutex);
	n = scst_tree_walk(path);
	if (n)
		n->active++;
	scst_mutex_unlock(&scst_tree_mutex);
	return n;
}

static void scst_tree_put(struct scst_tnode *n)
{
	bool wake;

	scst_mutex_lock(&scst_tree_mutex);
	wake = --n->active == 0 && n->removed;
	scst_mutex_unlock(&scst_tree_mutex);
	if (wake)
		scst_wake_up(&scst_tree_wq);
}

struct scst_tnode *scst_tree_lookup(struct scst_tnode *dir, const char *name)
{
	struct scst_tnode *n;

	scst_mutex_lock(&scst_tree_mutex);
	n = dir ? scst_tnode_child(dir, name, strlen(name)) : NULL;
	scst_mutex_unlock(&scst_tree_mutex);
	return n;
}

/* ---------------------------------------------------------- serving ---- */

int scst_tree_stat(const char *path, struct scst_tree_stat *st)
{
	struct scst_tnode *n, *c;
	int rc = 0;

	scst_mutex_lock(&scst_tree_mutex);
	n = scst_tree_walk(path);
	if (!n) {
		rc = -ENOENT;
	} else {
		st->type = n->type;
		st->mode = n->mode;
		st->nlink = n->type == SCST_TREE_DIR ? 2 : 1;
		if (n->type == SCST_TREE_DIR)
			scst_list_for_each_entry (c, &n->children, sibling)
				if (c->type == SCST_TREE_DIR)
					st->nlink++;
	}
	scst_mutex_unlock(&scst_tree_mutex);
	return rc;
}

int scst_tree_readdir(const char *path,
		      int (*fill)(void *ctx, const char *name,
				  enum scst_tree_type type),
		      void *ctx)
{
	struct scst_tnode *n, *c;
	char **names;
	enum scst_tree_type *types;
	unsigned int cnt = 0, i;
	int rc = 0;

	/* Copy the names out: @fill may block (it talks to the kernel). */
	scst_mutex_lock(&scst_tree_mutex);
	n = scst_tree_walk(path);
	if (!n || n->type != SCST_TREE_DIR) {
		scst_mutex_unlock(&scst_tree_mutex);
		return n ? -ENOTDIR : -ENOENT;
	}
	scst_list_for_each_entry (c, &n->children, sibling)
		cnt++;
	names = scst_os_zalloc((cnt + 1) * sizeof(*names));
	types = scst_os_zalloc((cnt + 1) * sizeof(*types));
	if (!names || !types) {
		scst_mutex_unlock(&scst_tree_mutex);
		rc = -ENOMEM;
		goto out;
	}
	i = 0;
	scst_list_for_each_entry (c, &n->children, sibling) {
		names[i] = scst_strdup(c->name);
		types[i] = c->type;
		if (!names[i])
			rc = -ENOMEM;
		i++;
	}
	scst_mutex_unlock(&scst_tree_mutex);
	for (i = 0; !rc && i < cnt; i++)
		if (fill(ctx, names[i], types[i]))
			break;
out:
	for (i = 0; names && i < cnt; i++)
		scst_os_free(names[i]);
	scst_os_free(names);
	scst_os_free(types);
	return rc;
}

int scst_tree_readlink(const char *path, char *buf, size_t size)
{
	struct scst_tnode *n;
	int rc;

	scst_mutex_lock(&scst_tree_mutex);
	n = scst_tree_walk(path);
	if (!n)
		rc = -ENOENT;
	else if (n->type != SCST_TREE_LINK)
		rc = -EINVAL;
	else if (strlen(n->link) + 1 > size)
		rc = -ENAMETOOLONG;
	else
		rc = (int)strlen(n->link);
	if (rc >= 0)
		memcpy(buf, n->link, (size_t)rc + 1);
	scst_mutex_unlock(&scst_tree_mutex);
	return rc;
}

int scst_tree_read(const char *path, char *buf, size_t size)
{
	struct scst_tnode *n = scst_tree_get(path);
	const struct scst_attr *a;
	int len;

	if (!n)
		return -ENOENT;
	a = n->attr;
	if (n->type == SCST_TREE_DIR) {
		len = -EISDIR;
	} else if (!a || !a->show || !(a->mode & 0444)) {
		len = -EACCES;
	} else {
		len = a->show(n->obj, buf, size);
		if (len >= 0 && (size_t)len < size &&
		    ((a->flags & SCST_ATTR_KEY) ||
		     (a->is_key && a->is_key(n->obj)))) {
			int k = scst_snprintf(buf + len, size - (size_t)len,
					      "[key]\n");

			if (k > 0 && (size_t)(len + k) < size)
				len += k;
		}
	}
	scst_tree_put(n);
	return len;
}

static void scst_tree_set_last_res(int rc, const char *msg)
{
	scst_spin_lock(&scst_last_res_lock);
	scst_last_res_rc = rc;
	scst_snprintf(scst_last_res_msg, sizeof(scst_last_res_msg), "%s", msg);
	scst_spin_unlock(&scst_last_res_lock);
}

int scst_tree_write(const char *path, const char *data, size_t len,
		    struct scst_mgmt_res *res)
{
	struct scst_tnode *n;
	char *val;
	int rc;

	res->msg[0] = '\0';
	if (len > SCST_ATTR_MAX_STORE) {
		rc = scst_mgmt_res_set(res, -E2BIG,
				       "%s: value longer than %u bytes", path,
				       SCST_ATTR_MAX_STORE);
		goto out_early;
	}
	val = scst_os_alloc(len + 1);
	if (!val) {
		rc = scst_mgmt_res_set(res, -ENOMEM, "%s: out of memory", path);
		goto out_early;
	}
	memcpy(val, data, len);
	val[len] = '\0';
	/* One trailing newline (from echo) is not part of the value. */
	if (len && val[len - 1] == '\n')
		val[len - 1] = '\0';
	if (strlen(val) != (len && data[len - 1] == '\n' ? len - 1 : len)) {
		scst_os_free(val);
		rc = scst_mgmt_res_set(res, -EINVAL,
				       "%s: value contains a NUL byte", path);
		goto out_early;
	}

	scst_mutex_lock(&scst_cfg_mutex);
	n = scst_tree_get(path);
	if (!n) {
		rc = scst_mgmt_res_set(res, -ENOENT, "%s: no such entry", path);
	} else if (n->type != SCST_TREE_FILE || !n->attr->store ||
		   !(n->attr->mode & 0222)) {
		rc = scst_mgmt_res_set(res, -EACCES, "%s: read-only", path);
	} else {
		rc = n->attr->store(n->obj, val, res);
		if (rc > 0)
			rc = 0;
		if (rc && !res->msg[0])
			scst_mgmt_res_set(res, rc, "%s: failed (%d)", path, rc);
	}
	if (n)
		scst_tree_put(n);
	scst_tree_set_last_res(rc, res->msg);
	scst_mutex_unlock(&scst_cfg_mutex);
	if (rc)
		scst_info("scst: write to %s failed: %s", path, res->msg);
	scst_os_free(val);
	return rc;

out_early:
	scst_mutex_lock(&scst_cfg_mutex);
	scst_tree_set_last_res(rc, res->msg);
	scst_mutex_unlock(&scst_cfg_mutex);
	return rc;
}

/* last_sysfs_mgmt_res: the status, and the message on a second line. */
static int scst_last_res_show(void *obj, char *buf, size_t size)
{
	int len;

	(void)obj;
	scst_spin_lock(&scst_last_res_lock);
	if (scst_last_res_msg[0])
		len = scst_snprintf(buf, size, "%d\n%s\n", scst_last_res_rc,
				    scst_last_res_msg);
	else
		len = scst_snprintf(buf, size, "%d\n", scst_last_res_rc);
	scst_spin_unlock(&scst_last_res_lock);
	return len;
}

const struct scst_attr scst_last_res_attr = {
    .name = "last_sysfs_mgmt_res",
    .mode = 0444,
    .show = scst_last_res_show,
};

int scst_tree_init(void)
{
	scst_mutex_init(&scst_tree_mutex);
	scst_mutex_init(&scst_cfg_mutex);
	scst_spin_init(&scst_last_res_lock);
	scst_waitq_init(&scst_tree_wq);
	scst_root = scst_tnode_alloc("", SCST_TREE_DIR, 0755);
	return scst_root ? 0 : -ENOMEM;
}

void scst_tree_exit(void)
{
	struct scst_tnode *root = scst_root;

	if (!root)
		return;
	scst_root = NULL;
	scst_tree_remove(root);
	scst_waitq_destroy(&scst_tree_wq);
	scst_spin_destroy(&scst_last_res_lock);
	scst_mutex_destroy(&scst_cfg_mutex);
	scst_mutex_destroy(&scst_tree_mutex);
}
