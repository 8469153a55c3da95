// SPDX-License-Identifier: GPL-2.0-only
/*
 * The iscsi target driver: its template, the config tree (driver and
 * target attributes, CHAP accounts, mgmt commands) and the control
 * requests of the login daemon (iscsi_ctl.h). Who may see and log in to a
 * target (allowed_portal, per_portal_acl, redirect) is in iscsi_acl.c; the
 * full feature phase is in iscsi_conn.c.
 */
#include <errno.h>
#include <poll.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include "iscsi-scst/iscsi_module.h"
#include "iscsi-scst/iscsi_priv.h"
#include "iscsi-scst/iscsi_tid.h"

struct scst_mutex iscsi_mutex;
bool iscsi_drv_enabled;
static SCST_LIST_HEAD_DEF(iscsi_targets);
static struct iscsi_accts iscsi_drv_accts; /* discovery CHAP */

/* ---------------------------------------------------- settings ---- */

enum iscsi_tp_kind { TP_NUM, TP_BOOL, TP_DIGEST };

struct iscsi_tp_def {
	const char *name;
	enum iscsi_tp_kind kind;
	uint32_t def, min, max;
};

/* Defaults as SCST's iscsi-scst ships them. */
static const struct iscsi_tp_def iscsi_tp_defs[ISCSI_TP_NR] = {
    [ISCSI_TP_MAX_RECV_DSL] = {"MaxRecvDataSegmentLength", TP_NUM, 1048576, 512,
			       16777215},
    [ISCSI_TP_MAX_XMIT_DSL] = {"MaxXmitDataSegmentLength", TP_NUM, 1048576, 512,
			       16777215},
    [ISCSI_TP_MAX_BURST] = {"MaxBurstLength", TP_NUM, 1048576, 512, 16777215},
    [ISCSI_TP_FIRST_BURST] = {"FirstBurstLength", TP_NUM, 65536, 512, 16777215},
    [ISCSI_TP_INITIAL_R2T] = {"InitialR2T", TP_BOOL, 0, 0, 1},
    [ISCSI_TP_IMMEDIATE_DATA] = {"ImmediateData", TP_BOOL, 1, 0, 1},
    [ISCSI_TP_MAX_OUTSTANDING_R2T] = {"MaxOutstandingR2T", TP_NUM, 32, 1,
				      65535},
    [ISCSI_TP_HEADER_DIGEST] = {"HeaderDigest", TP_DIGEST, ISCSI_TPD_NONE, 0,
				3},
    [ISCSI_TP_DATA_DIGEST] = {"DataDigest", TP_DIGEST, ISCSI_TPD_NONE, 0, 3},
    [ISCSI_TP_QUEUED_COMMANDS] = {"QueuedCommands", TP_NUM, 32, 1, 2048},
    [ISCSI_TP_MAX_SESSIONS] = {"MaxSessions", TP_NUM, 0, 0, 65535},
    [ISCSI_TP_NOP_IN_INTERVAL] = {"NopInInterval", TP_NUM, 30, 0, 65535},
    [ISCSI_TP_NOP_IN_TIMEOUT] = {"NopInTimeout", TP_NUM, 30, 1, 65535},
    [ISCSI_TP_RSP_TIMEOUT] = {"RspTimeout", TP_NUM, 90, 1, 65535},
    /* Not in SCST, whose iscsi-scstd always negotiates MaxConnections=1:
     * the target's limit for the key (RFC 7143 13.2); more than 1 turns
     * multiple connections per session on. */
    [ISCSI_TP_MAX_CONNECTIONS] = {"MaxConnections", TP_NUM, 1, 1, 65535},
};

static const char *const iscsi_digest_names[] = {"None", "CRC32C",
						 "CRC32C,None", "None,CRC32C"};

static int iscsi_tp_format(enum iscsi_tp i, uint32_t v, char *buf, size_t size)
{
	switch (iscsi_tp_defs[i].kind) {
	case TP_BOOL:
		return scst_snprintf(buf, size, "%s", v ? "Yes" : "No");
	case TP_DIGEST:
		return scst_snprintf(buf, size, "%s",
				     iscsi_digest_names[v & 3]);
	case TP_NUM:
	default:
		return scst_snprintf(buf, size, "%u", v);
	}
}

static int iscsi_tp_parse(enum iscsi_tp i, const char *val, uint32_t *out,
			  struct scst_mgmt_res *res)
{
	const struct iscsi_tp_def *d = &iscsi_tp_defs[i];
	unsigned int k;
	uint64_t v;
	bool b;

	switch (d->kind) {
	case TP_BOOL:
		if (!strcasecmp(val, "yes") || !strcmp(val, "1")) {
			*out = 1;
			return 0;
		}
		if (!strcasecmp(val, "no") || !strcmp(val, "0")) {
			*out = 0;
			return 0;
		}
		if (!scst_parse_bool(val, &b)) {
			*out = b;
			return 0;
		}
		return scst_mgmt_res_set(
		    res, -EINVAL, "%s: '%s' is not Yes or No", d->name, val);
	case TP_DIGEST:
		for (k = 0; k < 4; k++) {
			if (!strcasecmp(val, iscsi_digest_names[k])) {
				*out = k;
				return 0;
			}
		}
		return scst_mgmt_res_set(
		    res, -EINVAL,
		    "%s: '%s' is not None, CRC32C, CRC32C,None or None,CRC32C",
		    d->name, val);
	case TP_NUM:
	default:
		if (scst_parse_u64(val, d->max, &v) || v < d->min)
			return scst_mgmt_res_set(res, -EINVAL,
						 "%s: '%s' is not in [%u, %u]",
						 d->name, val, d->min, d->max);
		*out = (uint32_t)v;
		return 0;
	}
}

static struct iscsi_tgt *iscsi_tgt_of(void *obj)
{
	return scst_tgt_get_tgt_priv(obj);
}

static int iscsi_tp_show(void *obj, enum iscsi_tp i, char *buf, size_t size)
{
	struct iscsi_tgt *it = iscsi_tgt_of(obj);
	uint32_t v;
	int len;

	if (!it)
		return -ENODEV;
	scst_mutex_lock(&iscsi_mutex);
	v = it->tp[i];
	scst_mutex_unlock(&iscsi_mutex);
	len = iscsi_tp_format(i, v, buf, size);
	if (len >= 0 && (size_t)len + 1 < size) {
		buf[len++] = '\n';
		buf[len] = '\0';
	}
	return len;
}

static int iscsi_tp_store(void *obj, enum iscsi_tp i, const char *val,
			  struct scst_mgmt_res *res)
{
	struct iscsi_tgt *it = iscsi_tgt_of(obj);
	uint32_t v;
	int rc = iscsi_tp_parse(i, val, &v, res);

	if (rc)
		return rc;
	if (!it)
		return -ENODEV;
	scst_mutex_lock(&iscsi_mutex);
	it->tp[i] = v;
	scst_mutex_unlock(&iscsi_mutex);
	return 0;
}

static bool iscsi_tp_is_key(void *obj, enum iscsi_tp i)
{
	struct iscsi_tgt *it = iscsi_tgt_of(obj);
	bool key;

	if (!it)
		return false;
	scst_mutex_lock(&iscsi_mutex);
	key = it->tp[i] != iscsi_tp_defs[i].def;
	scst_mutex_unlock(&iscsi_mutex);
	return key;
}

#define ISCSI_TP_ATTR(idx, nm)                                                 \
	static int iscsi_tp_show_##idx(void *o, char *b, size_t s)             \
	{                                                                      \
		return iscsi_tp_show(o, idx, b, s);                            \
	}                                                                      \
	static int iscsi_tp_store_##idx(void *o, const char *v,                \
					struct scst_mgmt_res *r)               \
	{                                                                      \
		return iscsi_tp_store(o, idx, v, r);                           \
	}                                                                      \
	static bool iscsi_tp_is_key_##idx(void *o)                             \
	{                                                                      \
		return iscsi_tp_is_key(o, idx);                                \
	}                                                                      \
	static const struct scst_attr iscsi_tp_attr_##idx = {                  \
	    .name = nm,                                                        \
	    .mode = 0644,                                                      \
	    .show = iscsi_tp_show_##idx,                                       \
	    .store = iscsi_tp_store_##idx,                                     \
	    .is_key = iscsi_tp_is_key_##idx,                                   \
	}

ISCSI_TP_ATTR(ISCSI_TP_MAX_RECV_DSL, "MaxRecvDataSegmentLength");
ISCSI_TP_ATTR(ISCSI_TP_MAX_XMIT_DSL, "MaxXmitDataSegmentLength");
ISCSI_TP_ATTR(ISCSI_TP_MAX_BURST, "MaxBurstLength");
ISCSI_TP_ATTR(ISCSI_TP_FIRST_BURST, "FirstBurstLength");
ISCSI_TP_ATTR(ISCSI_TP_INITIAL_R2T, "InitialR2T");
ISCSI_TP_ATTR(ISCSI_TP_IMMEDIATE_DATA, "ImmediateData");
ISCSI_TP_ATTR(ISCSI_TP_MAX_OUTSTANDING_R2T, "MaxOutstandingR2T");
ISCSI_TP_ATTR(ISCSI_TP_HEADER_DIGEST, "HeaderDigest");
ISCSI_TP_ATTR(ISCSI_TP_DATA_DIGEST, "DataDigest");
ISCSI_TP_ATTR(ISCSI_TP_QUEUED_COMMANDS, "QueuedCommands");
ISCSI_TP_ATTR(ISCSI_TP_MAX_SESSIONS, "MaxSessions");
ISCSI_TP_ATTR(ISCSI_TP_NOP_IN_INTERVAL, "NopInInterval");
ISCSI_TP_ATTR(ISCSI_TP_NOP_IN_TIMEOUT, "NopInTimeout");
ISCSI_TP_ATTR(ISCSI_TP_RSP_TIMEOUT, "RspTimeout");
ISCSI_TP_ATTR(ISCSI_TP_MAX_CONNECTIONS, "MaxConnections");

static const struct scst_attr *const iscsi_tgt_attrs[] = {
    &iscsi_tp_attr_ISCSI_TP_MAX_RECV_DSL,
    &iscsi_tp_attr_ISCSI_TP_MAX_XMIT_DSL,
    &iscsi_tp_attr_ISCSI_TP_MAX_BURST,
    &iscsi_tp_attr_ISCSI_TP_FIRST_BURST,
    &iscsi_tp_attr_ISCSI_TP_INITIAL_R2T,
    &iscsi_tp_attr_ISCSI_TP_IMMEDIATE_DATA,
    &iscsi_tp_attr_ISCSI_TP_MAX_OUTSTANDING_R2T,
    &iscsi_tp_attr_ISCSI_TP_HEADER_DIGEST,
    &iscsi_tp_attr_ISCSI_TP_DATA_DIGEST,
    &iscsi_tp_attr_ISCSI_TP_QUEUED_COMMANDS,
    &iscsi_tp_attr_ISCSI_TP_MAX_SESSIONS,
    &iscsi_tp_attr_ISCSI_TP_NOP_IN_INTERVAL,
    &iscsi_tp_attr_ISCSI_TP_NOP_IN_TIMEOUT,
    &iscsi_tp_attr_ISCSI_TP_RSP_TIMEOUT,
    &iscsi_tp_attr_ISCSI_TP_MAX_CONNECTIONS,
    &iscsi_per_portal_acl_attr,
    &iscsi_redirect_attr,
    NULL,
};

/* ---------------------------------------------------- driver attrs ---- */

static int iscsi_drv_enabled_show(void *obj, char *buf, size_t size)
{
	bool en;

	(void)obj;
	scst_mutex_lock(&iscsi_mutex);
	en = iscsi_drv_enabled;
	scst_mutex_unlock(&iscsi_mutex);
	return scst_snprintf(buf, size, "%d\n", en);
}

static int iscsi_drv_enabled_store(void *obj, const char *val,
				   struct scst_mgmt_res *res)
{
	bool en;

	(void)obj;
	if (strcmp(val, "0") && strcmp(val, "1"))
		return scst_mgmt_res_set(res, -EINVAL,
					 "enabled: '%s' is not 0 or 1", val);
	en = val[0] == '1';
	scst_mutex_lock(&iscsi_mutex);
	iscsi_drv_enabled = en;
	scst_mutex_unlock(&iscsi_mutex);
	return 0;
}

static bool iscsi_drv_enabled_is_key(void *obj)
{
	bool en;

	(void)obj;
	scst_mutex_lock(&iscsi_mutex);
	en = iscsi_drv_enabled;
	scst_mutex_unlock(&iscsi_mutex);
	return en;
}

static const struct scst_attr iscsi_drv_enabled_attr = {
    .name = "enabled",
    .mode = 0644,
    .show = iscsi_drv_enabled_show,
    .store = iscsi_drv_enabled_store,
    .is_key = iscsi_drv_enabled_is_key,
};

static const struct scst_attr *const iscsi_tgtt_attrs[] = {
    &iscsi_drv_enabled_attr,
    NULL,
};

/* ------------------------------------------------------ accounts ---- */

static int iscsi_acct_show(void *obj, char *buf, size_t size)
{
	struct iscsi_acct *a = obj;
	int len;

	scst_mutex_lock(&iscsi_mutex);
	len = a->used ? scst_snprintf(buf, size, "%s %s\n", a->user, a->secret)
		      : scst_snprintf(buf, size, "\n");
	scst_mutex_unlock(&iscsi_mutex);
	return len;
}

static int iscsi_acct_parse(const char *val, char *user, char *secret,
			    struct scst_mgmt_res *res)
{
	const char *p = val;
	char extra[8];

	if (scst_next_word(&p, user, ISCSI_USER_MAX) <= 0 ||
	    scst_next_word(&p, secret, ISCSI_SECRET_MAX) <= 0 ||
	    scst_next_word(&p, extra, sizeof(extra)) != 0)
		return scst_mgmt_res_set(res, -EINVAL,
					 "expected \"USER SECRET\"");
	return 0;
}

static int iscsi_acct_store(void *obj, const char *val,
			    struct scst_mgmt_res *res)
{
	struct iscsi_acct *a = obj;
	char user[ISCSI_USER_MAX], secret[ISCSI_SECRET_MAX];
	int rc = iscsi_acct_parse(val, user, secret, res);

	if (rc)
		return rc;
	scst_mutex_lock(&iscsi_mutex);
	memcpy(a->user, user, sizeof(user));
	memcpy(a->secret, secret, sizeof(secret));
	scst_mutex_unlock(&iscsi_mutex);
	return 0;
}

static int iscsi_acct_add(struct iscsi_accts *s, struct scst_tnode *dir,
			  const char *attr, const char *val,
			  struct scst_mgmt_res *res)
{
	char user[ISCSI_USER_MAX], secret[ISCSI_SECRET_MAX];
	struct iscsi_acct *a = NULL;
	bool out = !strcmp(attr, "OutgoingUser");
	unsigned int i;
	int rc;

	if (!out && strcmp(attr, "IncomingUser"))
		return scst_mgmt_res_set(res, -EINVAL, "unknown attribute '%s'",
					 attr);
	rc = iscsi_acct_parse(val, user, secret, res);
	if (rc)
		return rc;
	scst_mutex_lock(&iscsi_mutex);
	if (out) {
		if (!s->out.used)
			a = &s->out;
	} else {
		for (i = 0; i < ISCSI_MAX_ACCTS; i++)
			if (s->in[i].used && !strcmp(s->in[i].user, user))
				break;
		if (i == ISCSI_MAX_ACCTS)
			for (i = 0; i < ISCSI_MAX_ACCTS && !a; i++)
				if (!s->in[i].used)
					a = &s->in[i];
	}
	if (a) {
		a->used = true;
		a->outgoing = out;
		if (out || a == &s->in[0])
			scst_snprintf(a->file, sizeof(a->file), "%s", attr);
		else
			scst_snprintf(a->file, sizeof(a->file), "%s%u", attr,
				      (unsigned int)(a - s->in));
		memcpy(a->user, user, sizeof(user));
		memcpy(a->secret, secret, sizeof(secret));
		a->attr.name = a->file;
		a->attr.mode = 0644;
		a->attr.flags = SCST_ATTR_KEY;
		a->attr.show = iscsi_acct_show;
		a->attr.store = iscsi_acct_store;
	}
	scst_mutex_unlock(&iscsi_mutex);
	if (!a)
		return scst_mgmt_res_set(res, out ? -EEXIST : -ENOSPC,
					 out ? "OutgoingUser already set"
					     : "user exists or too many users");
	rc = scst_tree_add_attr(dir, &a->attr, a);
	if (rc) {
		scst_mutex_lock(&iscsi_mutex);
		a->used = false;
		scst_mutex_unlock(&iscsi_mutex);
		return scst_mgmt_res_set(res, rc, "cannot add %s", a->file);
	}
	return 0;
}

static int iscsi_acct_del(struct iscsi_accts *s, struct scst_tnode *dir,
			  const char *attr, const char *val,
			  struct scst_mgmt_res *res)
{
	char user[ISCSI_USER_MAX], file[24];
	struct iscsi_acct *a = NULL;
	bool out = !strcmp(attr, "OutgoingUser");
	const char *p = val;
	unsigned int i;

	if (!out && strcmp(attr, "IncomingUser"))
		return scst_mgmt_res_set(res, -EINVAL, "unknown attribute '%s'",
					 attr);
	if (scst_next_word(&p, user, sizeof(user)) <= 0)
		return scst_mgmt_res_set(res, -EINVAL, "expected a user name");
	scst_mutex_lock(&iscsi_mutex);
	if (out) {
		if (s->out.used && !strcmp(s->out.user, user))
			a = &s->out;
	} else {
		for (i = 0; i < ISCSI_MAX_ACCTS; i++)
			if (s->in[i].used && !strcmp(s->in[i].user, user))
				a = &s->in[i];
	}
	if (a)
		memcpy(file, a->file, sizeof(file));
	scst_mutex_unlock(&iscsi_mutex);
	if (!a)
		return scst_mgmt_res_set(res, -ENOENT, "no %s %s", attr, user);
	scst_tree_remove_entry(dir, file);
	scst_mutex_lock(&iscsi_mutex);
	a->used = false;
	memset(a->secret, 0, sizeof(a->secret));
	scst_mutex_unlock(&iscsi_mutex);
	return 0;
}

/* "<Key>=<user> <secret>\n" lines of @s, under iscsi_mutex. */
static size_t iscsi_accts_print(const struct iscsi_accts *s, char *buf,
				size_t size, size_t len)
{
	unsigned int i;

	for (i = 0; i < ISCSI_MAX_ACCTS && len < size; i++)
		if (s->in[i].used)
			len += (size_t)scst_snprintf(
			    buf + len, size - len, "IncomingUser=%s %s\n",
			    s->in[i].user, s->in[i].secret);
	if (s->out.used && len < size)
		len += (size_t)scst_snprintf(buf + len, size - len,
					     "OutgoingUser=%s %s\n",
					     s->out.user, s->out.secret);
	return len;
}

/* ------------------------------------------------------- targets ---- */

static int iscsi_enable_target(struct scst_tgt *tgt, bool enable)
{
	struct iscsi_tgt *it = scst_tgt_get_tgt_priv(tgt);

	if (!it)
		return -ENODEV;
	scst_mutex_lock(&iscsi_mutex);
	it->enabled = enable;
	scst_mutex_unlock(&iscsi_mutex);
	if (!enable) /* RFC 7143 11.9.1: its sessions are asked to log out */
		iscsi_conn_request_logout(it);
	return 0;
}

static bool iscsi_is_target_enabled(struct scst_tgt *tgt)
{
	struct iscsi_tgt *it = scst_tgt_get_tgt_priv(tgt);
	bool en;

	if (!it)
		return false;
	scst_mutex_lock(&iscsi_mutex);
	en = it->enabled;
	scst_mutex_unlock(&iscsi_mutex);
	return en;
}

static int iscsi_add_target(const char *name, const char *params,
			    struct scst_mgmt_res *res)
{
	struct iscsi_tgt *it;
	unsigned int i;
	int rc;

	if (params && *params)
		return scst_mgmt_res_set(res, -EINVAL,
					 "add_target takes no parameters");
	if (strlen(name) >= ISCSI_NAME_MAX)
		return scst_mgmt_res_set(res, -EINVAL, "name too long");
	it = scst_os_zalloc(sizeof(*it));
	if (!it)
		return scst_mgmt_res_set(res, -ENOMEM, "out of memory");
	for (i = 0; i < ISCSI_TP_NR; i++)
		it->tp[i] = iscsi_tp_defs[i].def;
	scst_list_init(&it->entry);
	/* Until the private pointer is set the attributes answer -ENODEV. */
	rc = scst_register_target(&iscsi_template, name, &it->stgt);
	if (rc) {
		scst_os_free(it);
		return scst_mgmt_res_set(res, rc, "cannot add target %s", name);
	}
	scst_tgt_set_tgt_priv(it->stgt, it);
	scst_mutex_lock(&iscsi_mutex);
	scst_list_add_tail(&it->entry, &iscsi_targets);
	scst_mutex_unlock(&iscsi_mutex);
	return 0;
}

static void iscsi_tgt_free(struct iscsi_tgt *it)
{
	scst_mutex_lock(&iscsi_mutex);
	scst_list_del_init(&it->entry);
	it->enabled = false;
	scst_mutex_unlock(&iscsi_mutex);
	iscsi_conn_close_target(it);
	scst_unregister_target(it->stgt);
	scst_os_free(it);
}

static int iscsi_del_target(const char *name, struct scst_mgmt_res *res)
{
	struct scst_tgt *tgt = scst_find_target(&iscsi_template, name);

	if (!tgt)
		return scst_mgmt_res_set(res, -ENOENT, "no target %s", name);
	iscsi_tgt_free(scst_tgt_get_tgt_priv(tgt));
	return 0;
}

/* "allowed_portal" or "allowed_portal<N>" (the number is not kept). */
static bool iscsi_is_portal_attr(const char *attr)
{
	static const char base[] = "allowed_portal";

	if (strncmp(attr, base, sizeof(base) - 1))
		return false;
	for (attr += sizeof(base) - 1; *attr; attr++)
		if (*attr < '0' || *attr > '9')
			return false;
	return true;
}

/*
 * add_attribute ATTR VALUE | del_attribute ATTR VALUE
 * add_target_attribute TARGET ATTR VALUE | del_target_attribute ...
 */
static int iscsi_mgmt_cmd(const char *cmd, struct scst_mgmt_res *res)
{
	char verb[32], tname[ISCSI_NAME_MAX], attr[32];
	struct iscsi_accts *s = &iscsi_drv_accts;
	struct scst_tnode *dir = scst_tgtt_tree_dir(&iscsi_template);
	struct iscsi_tgt *it = NULL;
	const char *p = cmd;
	bool add, tgt;

	if (scst_next_word(&p, verb, sizeof(verb)) <= 0)
		return scst_mgmt_res_set(res, -EINVAL, "empty command");
	add = !strncmp(verb, "add_", 4);
	tgt = !strcmp(verb, "add_target_attribute") ||
	      !strcmp(verb, "del_target_attribute");
	if (!tgt && strcmp(verb, "add_attribute") &&
	    strcmp(verb, "del_attribute"))
		return scst_mgmt_res_set(res, -EINVAL,
					 "iscsi: unknown command '%s'", verb);
	if (tgt) {
		struct scst_tgt *t;

		if (scst_next_word(&p, tname, sizeof(tname)) <= 0)
			return scst_mgmt_res_set(
			    res, -EINVAL, "usage: %s TARGET ATTR VALUE", verb);
		t = scst_find_target(&iscsi_template, tname);
		if (!t)
			return scst_mgmt_res_set(res, -ENOENT, "no target %s",
						 tname);
		it = scst_tgt_get_tgt_priv(t);
		s = &it->accts;
		dir = scst_tgt_tree_dir(t);
	}
	if (scst_next_word(&p, attr, sizeof(attr)) <= 0)
		return scst_mgmt_res_set(res, -EINVAL, "usage: %s %sATTR VALUE",
					 verb, tgt ? "TARGET " : "");
	while (*p == ' ' || *p == '\t')
		p++;
	if (iscsi_is_portal_attr(attr)) {
		if (!it)
			return scst_mgmt_res_set(
			    res, -EINVAL,
			    "allowed_portal is a target attribute");
		return add ? iscsi_portal_add(it, dir, p, res)
			   : iscsi_portal_del(it, dir, p, res);
	}
	return add ? iscsi_acct_add(s, dir, attr, p, res)
		   : iscsi_acct_del(s, dir, attr, p, res);
}

struct scst_tgt_template iscsi_template = {
    .name = "iscsi",
    .xmit_response = iscsi_xmit_response,
    .rdy_to_xfer = iscsi_rdy_to_xfer,
    .on_abort_cmd = iscsi_on_abort_cmd,
    .on_free_cmd = iscsi_on_free_cmd,
    .task_mgmt_fn_done = iscsi_task_mgmt_fn_done,
    .enable_target = iscsi_enable_target,
    .is_target_enabled = iscsi_is_target_enabled,
    .close_session = iscsi_close_session,
    .get_initiator_port_transport_id = iscsi_get_initiator_port_transport_id,
    .tgtt_attrs = iscsi_tgtt_attrs,
    .tgt_attrs = iscsi_tgt_attrs,
    .sess_attrs = iscsi_sess_attrs,
    .add_target = iscsi_add_target,
    .del_target = iscsi_del_target,
    .mgmt_cmd = iscsi_mgmt_cmd,
    .mgmt_help =
	"       echo \"add_attribute <attribute> <value>\" >mgmt\n"
	"       echo \"del_attribute <attribute> <value>\" >mgmt\n"
	"       echo \"add_target_attribute <target> <attribute> <value>\" "
	">mgmt\n"
	"       echo \"del_target_attribute <target> <attribute> <value>\" "
	">mgmt\n"
	"The following target driver attributes available: IncomingUser, "
	"OutgoingUser\n"
	"The following target attributes available: IncomingUser, "
	"OutgoingUser, allowed_portal\n",
};

struct iscsi_tgt *iscsi_tgt_find_enabled_locked(const char *name)
{
	struct iscsi_tgt *it;

	if (!iscsi_drv_enabled)
		return NULL;
	scst_list_for_each_entry (it, &iscsi_targets, entry)
		if (it->enabled && !strcmp(scst_tgt_name(it->stgt), name))
			return it;
	return NULL;
}

/* ------------------------------------------------ control requests ---- */

/*
 * "iscsi_targets <initiator> <local-address>": the enabled targets this
 * initiator may use through that portal (iscsi_acl.c).
 */
static int iscsi_ctl_targets(int fd, const char *args, char *reply, size_t size)
{
	char ini[ISCSI_NAME_MAX], ip[ISCSI_ADDR_MAX];
	const char *p = args;
	struct iscsi_tgt *it;
	size_t len = 0;

	(void)fd;
	if (scst_next_word(&p, ini, sizeof(ini)) <= 0 ||
	    scst_next_word(&p, ip, sizeof(ip)) <= 0) {
		scst_snprintf(reply, size,
			      "error usage: iscsi_targets INITIATOR ADDRESS\n");
		return 0;
	}
	scst_mutex_lock(&iscsi_mutex);
	if (iscsi_drv_enabled)
		scst_list_for_each_entry (it, &iscsi_targets, entry)
			if (it->enabled && len < size &&
			    iscsi_tgt_access_locked(it, ini, ip) ==
				ISCSI_ACCESS_OK)
				len += (size_t)scst_snprintf(
				    reply + len, size - len, "target %s %u\n",
				    scst_tgt_name(it->stgt),
				    scst_tgt_rel_tgt_id(it->stgt)
					? scst_tgt_rel_tgt_id(it->stgt)
					: 1u);
	scst_mutex_unlock(&iscsi_mutex);
	if (len + 5 >= size)
		return -ENOSPC;
	scst_snprintf(reply + len, size - len, "end\n");
	return 0;
}

/* "iscsi_target <name>" */
static int iscsi_ctl_target(int fd, const char *args, char *reply, size_t size)
{
	struct scst_tgt *t = scst_find_target(&iscsi_template, args);
	struct iscsi_tgt *it;
	size_t len = 0;
	unsigned int i;

	(void)fd;
	if (!t) {
		scst_snprintf(reply, size, "error no such target\n");
		return 0;
	}
	it = scst_tgt_get_tgt_priv(t);
	scst_mutex_lock(&iscsi_mutex);
	for (i = 0; i < ISCSI_TP_NR && len < size; i++) {
		len += (size_t)scst_snprintf(reply + len, size - len,
					     "%s=", iscsi_tp_defs[i].name);
		if (len < size)
			len += (size_t)iscsi_tp_format(i, it->tp[i],
						       reply + len, size - len);
		if (len < size)
			len += (size_t)scst_snprintf(reply + len, size - len,
						     "\n");
	}
	if (len < size)
		len += (size_t)scst_snprintf(
		    reply + len, size - len,
		    "TargetAlias=\ntpgt=%u\nenabled=%d\n",
		    scst_tgt_rel_tgt_id(t) ? scst_tgt_rel_tgt_id(t) : 1u,
		    it->enabled && iscsi_drv_enabled);
	len = iscsi_accts_print(&it->accts, reply, size, len);
	scst_mutex_unlock(&iscsi_mutex);
	if (len + 5 >= size)
		return -ENOSPC;
	scst_snprintf(reply + len, size - len, "end\n");
	return 0;
}

static int iscsi_ctl_discovery(int fd, const char *args, char *reply,
			       size_t size)
{
	size_t len;

	(void)fd;
	(void)args;
	scst_mutex_lock(&iscsi_mutex);
	len = iscsi_accts_print(&iscsi_drv_accts, reply, size, 0);
	scst_mutex_unlock(&iscsi_mutex);
	if (len + 5 >= size)
		return -ENOSPC;
	scst_snprintf(reply + len, size - len, "end\n");
	return 0;
}

#define ISCSI_HANDOFF_TIMEOUT_MS 5000

/* Receive the hand-off structure and the descriptor; -errno on failure. */
static int iscsi_recv_handoff(int fd, struct iscsi_handoff *h, int *cfd)
{
	union {
		struct cmsghdr hdr;
		char buf[CMSG_SPACE(sizeof(int))];
	} cbuf;
	size_t have = 0;
	uint64_t deadline =
	    scst_os_now_ns() + ISCSI_HANDOFF_TIMEOUT_MS * 1000000ull;

	*cfd = -1;
	while (have < sizeof(*h)) {
		struct iovec iov = {(char *)h + have, sizeof(*h) - have};
		struct msghdr msg = {.msg_iov = &iov, .msg_iovlen = 1};
		struct pollfd pfd = {.fd = fd, .events = POLLIN};
		uint64_t now = scst_os_now_ns();
		struct cmsghdr *c;
		ssize_t n;

		if (now >= deadline)
			return -ETIMEDOUT;
		if (poll(&pfd, 1, (int)((deadline - now) / 1000000 + 1)) < 0 &&
		    errno != EINTR)
			return -errno;
		if (*cfd < 0) {
			msg.msg_control = cbuf.buf;
			msg.msg_controllen = sizeof(cbuf.buf);
		}
		n = recvmsg(fd, &msg, MSG_DONTWAIT | MSG_CMSG_CLOEXEC);
		if (n < 0) {
			if (errno == EAGAIN || errno == EINTR)
				continue;
			return -errno;
		}
		if (n == 0)
			return -ECONNRESET;
		for (c = msg.msg_control ? CMSG_FIRSTHDR(&msg) : NULL; c;
		     c = CMSG_NXTHDR(&msg, c)) {
			if (c->cmsg_level == SOL_SOCKET &&
			    c->cmsg_type == SCM_RIGHTS &&
			    c->cmsg_len >= CMSG_LEN(sizeof(int))) {
				int nfd;

				memcpy(&nfd, CMSG_DATA(c), sizeof(int));
				if (*cfd < 0)
					*cfd = nfd;
				else
					close(nfd);
			}
		}
		if (msg.msg_flags & MSG_CTRUNC)
			return -EPROTO;
		have += (size_t)n;
		if (h->version != ISCSI_HANDOFF_VERSION ||
		    (have >= 8 && h->size != sizeof(*h)))
			return -EPROTO;
	}
	return *cfd < 0 ? -EPROTO : 0;
}

/* "iscsi_handoff" */
static int iscsi_ctl_handoff(int fd, const char *args, char *reply, size_t size)
{
	static struct iscsi_handoff h; /* one control thread; 10 KiB */
	static char ini[ISCSI_NAME_MAX], acl_name[ISCSI_NAME_MAX];
	uint8_t cls = ISCSI_STATUS_CLS_TARGET_ERR;
	uint8_t det = ISCSI_LOGIN_STATUS_TARGET_ERROR;
	const char *why = "target error";
	struct iscsi_tgt *it;
	uint16_t tsih = 0;
	int cfd, rc, acl = 0;

	(void)args;
	if (send(fd, "ready\n", 6, MSG_NOSIGNAL | MSG_DONTWAIT) != 6)
		return -EIO;
	memset(&h, 0, sizeof(h));
	rc = iscsi_recv_handoff(fd, &h, &cfd);
	if (rc) {
		if (cfd >= 0)
			close(cfd);
		scst_log(SCST_LOG_WARN, "iscsi: bad connection hand-off: %s",
			 strerror(-rc));
		return rc;
	}
	h.target_name[ISCSI_NAME_MAX - 1] = '\0';
	h.initiator_name[ISCSI_NAME_MAX - 1] = '\0';
	h.local_addr[ISCSI_ADDR_MAX - 1] = '\0';
	h.peer_addr[ISCSI_ADDR_MAX - 1] = '\0';
	if (h.rsp_data_len > ISCSI_LOGIN_DATA_MAX) {
		close(cfd);
		return -EPROTO;
	}
	/* Again here: the ACL or the portals may have changed meanwhile.
	 * The check turns the name into the ACL's ("<ini>#<portal>" with
	 * per_portal_acl): that one is for the core session, the plain one
	 * for the iSCSI side (reinstatement, TransportID, logs). */
	memcpy(ini, h.initiator_name, sizeof(ini));
	scst_mutex_lock(&iscsi_mutex);
	it = iscsi_tgt_find_enabled_locked(h.target_name);
	if (it)
		acl = iscsi_acl_check_handoff_locked(it, &h, &det, &why);
	scst_mutex_unlock(&iscsi_mutex);
	memcpy(acl_name, h.initiator_name, sizeof(acl_name));
	memcpy(h.initiator_name, ini, sizeof(ini));
	if (!it || acl) {
		close(cfd);
		scst_snprintf(reply, size, "error %u %u %s\n",
			      ISCSI_STATUS_CLS_INITIATOR_ERR,
			      it ? det : ISCSI_LOGIN_STATUS_TGT_NOT_FOUND,
			      it ? why : "target not found");
		return 0;
	}
	rc = iscsi_conn_handoff(it, &h, acl_name, cfd, &tsih, &cls, &det, &why);
	if (rc) {
		close(cfd);
		scst_snprintf(reply, size, "error %u %u %s\n", cls, det, why);
		return 0;
	}
	scst_snprintf(reply, size, "ok %u\n", tsih);
	return 0;
}

static struct scst_ctl_handler iscsi_ctl_handlers[] = {
    {.name = "iscsi_targets", .handle = iscsi_ctl_targets},
    {.name = "iscsi_target", .handle = iscsi_ctl_target},
    {.name = "iscsi_discovery", .handle = iscsi_ctl_discovery},
    {.name = "iscsi_handoff", .handle = iscsi_ctl_handoff},
    {.name = "iscsi_login", .handle = iscsi_ctl_login},
};

#define ISCSI_NCTL (sizeof(iscsi_ctl_handlers) / sizeof(iscsi_ctl_handlers[0]))

/* --------------------------------------------------------- module ---- */

static void iscsi_stop(void);

static int iscsi_start(void)
{
	unsigned int i;
	int rc;

	scst_mutex_init(&iscsi_mutex);
	iscsi_drv_enabled = false;
	memset(&iscsi_drv_accts, 0, sizeof(iscsi_drv_accts));
	rc = iscsi_conn_module_init();
	if (rc) {
		scst_mutex_destroy(&iscsi_mutex);
		return rc;
	}
	rc = scst_register_target_template(&iscsi_template);
	if (rc) {
		iscsi_conn_module_exit();
		scst_mutex_destroy(&iscsi_mutex);
		return rc;
	}
	for (i = 0; i < ISCSI_NCTL; i++) {
		rc = scst_register_ctl_handler(&iscsi_ctl_handlers[i]);
		if (rc) {
			while (i--)
				scst_unregister_ctl_handler(
				    &iscsi_ctl_handlers[i]);
			scst_unregister_target_template(&iscsi_template);
			iscsi_conn_module_exit();
			scst_mutex_destroy(&iscsi_mutex);
			return rc;
		}
	}
	return 0;
}

static void iscsi_stop(void)
{
	unsigned int i;

	for (i = 0; i < ISCSI_NCTL; i++)
		scst_unregister_ctl_handler(&iscsi_ctl_handlers[i]);
	for (;;) {
		struct iscsi_tgt *it = NULL;

		scst_mutex_lock(&iscsi_mutex);
		if (!scst_list_empty(&iscsi_targets))
			it = scst_list_first_entry(&iscsi_targets,
						   struct iscsi_tgt, entry);
		scst_mutex_unlock(&iscsi_mutex);
		if (!it)
			break;
		iscsi_tgt_free(it);
	}
	scst_unregister_target_template(&iscsi_template);
	iscsi_conn_module_exit();
	scst_mutex_destroy(&iscsi_mutex);
}

const struct scst_module iscsi_module = {
    .name = "iscsi",
    .start = iscsi_start,
    .stop = iscsi_stop,
};
