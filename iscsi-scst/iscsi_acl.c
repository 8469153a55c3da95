// SPDX-License-Identifier: GPL-2.0-only
/*
 * Who may see and log in to an iscsi target, and where logins are sent
 * instead (SCST's iscsi-scst semantics, its README "Advanced initiators
 * access control"):
 *
 *  - allowed_portal[N]: patterns of the portal addresses the target is
 *    offered on ('*', '?', a leading '!', case-insensitive). None: every
 *    portal. A portal no pattern matches does not offer the target.
 *  - the LUN ACL of the core: an initiator that would get no LUN (it
 *    matches no initiator group and the default group has no LUN, or its
 *    group has none) neither sees the target in SendTargets nor logs in
 *    to it (scst_initiator_has_luns, the check SCST's iscsi-scstd makes).
 *  - per_portal_acl: the name matched against the initiator groups, and
 *    registered as the session's name, is "<initiator>#<portal address>",
 *    so that groups can admit an initiator through some portals only.
 *  - redirect "<addr>[:port] temp|perm": a normal session's first Login
 *    Request is answered 01/01 or 01/02 with TargetAddress=<addr>:<port>
 *    (RFC 7143 11.13.5, 13.8), unless it already came to that portal.
 *    Discovery is not affected: SendTargets still reports the portal the
 *    initiator used, where the login is then redirected.
 *
 * Everything here runs under iscsi_mutex; scst_initiator_has_luns takes
 * scst_mutex inside it (never the other way round).
 */
#include <errno.h>
#include <string.h>

#include "iscsi-scst/iscsi_priv.h"

#define ISCSI_DEFAULT_PORT 3260

/* ------------------------------------------------- pure matching ---- */

bool iscsi_portal_match(const char *pattern, const char *addr)
{
	return scst_pattern_match(pattern, addr, true);
}

/* An IPv4 client of a dual-stack socket appears as ::ffff:a.b.c.d. */
static const char *acl_plain_ip(const char *ip)
{
	static const char v4mapped[] = "::ffff:";
	size_t n = sizeof(v4mapped) - 1;

	if (!strncasecmp(ip, v4mapped, n) && strchr(ip + n, '.'))
		return ip + n;
	return ip;
}

static bool acl_host_char(char c, bool v6)
{
	return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'z') ||
	       (c >= 'A' && c <= 'Z') || c == '.' || c == '-' ||
	       (v6 && (c == ':' || c == '%'));
}

/* A decimal port 1..65535 that ends the string. */
static int acl_parse_port(const char *s, uint16_t *port)
{
	unsigned int v = 0;

	if (!*s)
		return -EINVAL;
	for (; *s; s++) {
		if (*s < '0' || *s > '9')
			return -EINVAL;
		v = v * 10 + (unsigned int)(*s - '0');
		if (v > 65535)
			return -EINVAL;
	}
	if (!v)
		return -EINVAL;
	*port = (uint16_t)v;
	return 0;
}

/*
 * "host", "host:port", "[v6]" or "[v6]:port": the host part (brackets
 * kept) into @host and the port (@def when absent).
 */
static int acl_parse_dest(const char *dest, char *host, size_t host_size,
			  uint16_t def, uint16_t *port)
{
	const char *end, *rest;
	bool v6 = dest[0] == '[';
	const char *c;
	size_t n;

	if (v6) {
		end = strchr(dest, ']');
		if (!end || end == dest + 1)
			return -EINVAL;
		rest = end + 1;
		n = (size_t)(rest - dest);
	} else {
		rest = strchr(dest, ':');
		if (rest && strchr(rest + 1, ':'))
			return -EINVAL; /* a bare IPv6 address */
		n = rest ? (size_t)(rest - dest) : strlen(dest);
		rest = dest + n;
	}
	if (!n || n >= host_size)
		return -EINVAL;
	for (c = dest + v6; c < dest + n - v6; c++)
		if (!acl_host_char(*c, v6))
			return -EINVAL;
	if (*rest == ':') {
		if (acl_parse_port(rest + 1, port))
			return -EINVAL;
	} else if (*rest) {
		return -EINVAL;
	} else {
		*port = def;
	}
	memcpy(host, dest, n);
	host[n] = '\0';
	return 0;
}

int iscsi_redirect_parse(const char *val, struct iscsi_redirect *r)
{
	char dest[ISCSI_ADDR_MAX + 8], kind[8], extra[2];
	struct iscsi_redirect n = {.set = true};
	const char *p = val;
	int w = scst_next_word(&p, dest, sizeof(dest));

	if (w == 0) {
		memset(r, 0, sizeof(*r));
		return 0;
	}
	if (w < 0 || scst_next_word(&p, kind, sizeof(kind)) <= 0 ||
	    scst_next_word(&p, extra, sizeof(extra)) != 0)
		return -EINVAL;
	if (!strcmp(kind, "perm"))
		n.perm = true;
	else if (strcmp(kind, "temp"))
		return -EINVAL;
	if (acl_parse_dest(dest, n.host, sizeof(n.host), ISCSI_DEFAULT_PORT,
			   &n.port))
		return -EINVAL;
	*r = n;
	return 0;
}

int iscsi_redirect_format(const struct iscsi_redirect *r, char *buf,
			  size_t size)
{
	if (!r->set)
		return scst_snprintf(buf, size, "%s", "");
	return scst_snprintf(buf, size, "%s:%u %s", r->host, r->port,
			     r->perm ? "perm" : "temp");
}

int iscsi_addr_split(const char *addr, char *ip, size_t ip_size, uint16_t *port)
{
	char host[ISCSI_ADDR_MAX];
	size_t n;

	if (acl_parse_dest(addr, host, sizeof(host), 0, port) || !*port)
		return -EINVAL;
	n = strlen(host);
	if (host[0] == '[') {
		memmove(host, host + 1, n - 2);
		host[n - 2] = '\0';
		n -= 2;
	}
	if (n >= ip_size)
		return -ENAMETOOLONG;
	memcpy(ip, host, n + 1);
	return 0;
}

int iscsi_acl_name(bool per_portal, const char *initiator, const char *ip,
		   char *buf, size_t size)
{
	int n = per_portal ? scst_snprintf(buf, size, "%s#%s", initiator,
					   acl_plain_ip(ip))
			   : scst_snprintf(buf, size, "%s", initiator);

	return n < 0 || (size_t)n >= size ? -ENAMETOOLONG : 0;
}

/* Is the login at @ip:@port already where @r sends it? */
static bool acl_redirect_is_here(const struct iscsi_redirect *r, const char *ip,
				 uint16_t port)
{
	const char *h = r->host;
	size_t n = strlen(h);

	if (h[0] == '[') {
		h++;
		n -= 2;
	}
	ip = acl_plain_ip(ip);
	return r->port == port && strlen(ip) == n && !strncasecmp(h, ip, n);
}

/* ------------------------------------------------------- decision ---- */

enum iscsi_access iscsi_tgt_access_locked(struct iscsi_tgt *it,
					  const char *initiator, const char *ip)
{
	char name[ISCSI_NAME_MAX + ISCSI_ADDR_MAX + 2];
	bool any = false, hit = false;
	unsigned int i;

	ip = acl_plain_ip(ip);
	for (i = 0; i < ISCSI_MAX_PORTAL_PATS; i++) {
		if (!it->portals[i].used)
			continue;
		any = true;
		if (iscsi_portal_match(it->portals[i].pattern, ip))
			hit = true;
	}
	if (any && !hit)
		return ISCSI_ACCESS_NO_PORTAL;
	if (iscsi_acl_name(it->per_portal_acl, initiator, ip, name,
			   sizeof(name)))
		return ISCSI_ACCESS_DENIED;
	return scst_initiator_has_luns(it->stgt, name) ? ISCSI_ACCESS_OK
						       : ISCSI_ACCESS_DENIED;
}

/*
 * The status a refused login gets (RFC 7143 11.13.5). A portal that does
 * not offer the target: 0203 "Not found", the RFC's "the requested ITN
 * does not exist at this address". An initiator the ACL leaves without
 * LUNs: 0202 "Authorization failure", "the initiator is not allowed
 * access to the given target". SCST's iscsi-scstd answers 0203 for both,
 * hiding the target; the initiator named it already, and 0202 tells its
 * administrator what to fix, so the RFC's meaning is followed here.
 */
static uint8_t acl_refusal(enum iscsi_access a, const char **why)
{
	if (a == ISCSI_ACCESS_NO_PORTAL) {
		*why = "target not offered on this portal";
		return ISCSI_LOGIN_STATUS_TGT_NOT_FOUND;
	}
	*why = "initiator not allowed";
	return ISCSI_LOGIN_STATUS_TGT_FORBIDDEN;
}

int iscsi_acl_check_handoff_locked(struct iscsi_tgt *it,
				   struct iscsi_handoff *h, uint8_t *st_detail,
				   const char **why)
{
	char ip[ISCSI_ADDR_MAX], name[ISCSI_NAME_MAX];
	enum iscsi_access a;
	uint16_t port;

	if (iscsi_addr_split(h->local_addr, ip, sizeof(ip), &port)) {
		*st_detail = ISCSI_LOGIN_STATUS_TGT_NOT_FOUND;
		*why = "no portal address";
		return -EINVAL;
	}
	a = iscsi_tgt_access_locked(it, h->initiator_name, ip);
	if (a != ISCSI_ACCESS_OK) {
		*st_detail = acl_refusal(a, why);
		return -EACCES;
	}
	if (!it->per_portal_acl)
		return 0;
	/* SCST registers the session as "<initiator>#<portal>" too. */
	if (iscsi_acl_name(true, h->initiator_name, ip, name, sizeof(name))) {
		*st_detail = ISCSI_LOGIN_STATUS_TGT_FORBIDDEN;
		*why = "initiator name too long for per_portal_acl";
		return -ENAMETOOLONG;
	}
	memcpy(h->initiator_name, name, sizeof(name));
	return 0;
}

/* "iscsi_login <target> <initiator> <local-ip> <local-port>" */
int iscsi_ctl_login(int fd, const char *args, char *reply, size_t size)
{
	char tname[ISCSI_NAME_MAX], ini[ISCSI_NAME_MAX], ip[ISCSI_ADDR_MAX];
	char portw[8], dest[ISCSI_ADDR_MAX + 8];
	const char *p = args, *why = "";
	struct iscsi_tgt *it;
	enum iscsi_access a = ISCSI_ACCESS_OK;
	uint16_t port;
	int redirect = -1;
	uint8_t det = 0;

	(void)fd;
	if (scst_next_word(&p, tname, sizeof(tname)) <= 0 ||
	    scst_next_word(&p, ini, sizeof(ini)) <= 0 ||
	    scst_next_word(&p, ip, sizeof(ip)) <= 0 ||
	    scst_next_word(&p, portw, sizeof(portw)) <= 0 ||
	    acl_parse_port(portw, &port)) {
		scst_snprintf(reply, size,
			      "error usage: iscsi_login TARGET "
			      "INITIATOR ADDRESS PORT\n");
		return 0;
	}
	scst_mutex_lock(&iscsi_mutex);
	it = iscsi_tgt_find_enabled_locked(tname);
	if (!it) {
		det = ISCSI_LOGIN_STATUS_TGT_NOT_FOUND;
		why = "target not found";
	} else {
		a = iscsi_tgt_access_locked(it, ini, ip);
		if (a != ISCSI_ACCESS_OK)
			det = acl_refusal(a, &why);
		else if (it->redirect.set &&
			 !acl_redirect_is_here(&it->redirect, ip, port)) {
			redirect = it->redirect.perm
				       ? ISCSI_LOGIN_STATUS_TGT_MOVED_PERM
				       : ISCSI_LOGIN_STATUS_TGT_MOVED_TEMP;
			scst_snprintf(dest, sizeof(dest), "%s:%u",
				      it->redirect.host, it->redirect.port);
		}
	}
	scst_mutex_unlock(&iscsi_mutex);
	if (det)
		scst_snprintf(reply, size, "refuse %u %u %s\nend\n",
			      ISCSI_STATUS_CLS_INITIATOR_ERR, det, why);
	else if (redirect >= 0)
		scst_snprintf(reply, size, "redirect %u %u %s\nend\n",
			      ISCSI_STATUS_CLS_REDIRECT, (unsigned int)redirect,
			      dest);
	else
		scst_snprintf(reply, size, "allow\nend\n");
	return 0;
}

/* ------------------------------------------------- tree attributes ---- */

static struct iscsi_tgt *acl_tgt_of(void *obj)
{
	return scst_tgt_get_tgt_priv(obj);
}

static int acl_ppa_show(void *obj, char *buf, size_t size)
{
	struct iscsi_tgt *it = acl_tgt_of(obj);
	bool on;

	if (!it)
		return -ENODEV;
	scst_mutex_lock(&iscsi_mutex);
	on = it->per_portal_acl;
	scst_mutex_unlock(&iscsi_mutex);
	return scst_snprintf(buf, size, "%d\n", on);
}

static int acl_ppa_store(void *obj, const char *val, struct scst_mgmt_res *res)
{
	struct iscsi_tgt *it = acl_tgt_of(obj);
	bool on;

	if (scst_parse_bool(val, &on))
		return scst_mgmt_res_set(
		    res, -EINVAL, "per_portal_acl: '%s' is not 0 or 1", val);
	if (!it)
		return -ENODEV;
	scst_mutex_lock(&iscsi_mutex);
	it->per_portal_acl = on;
	scst_mutex_unlock(&iscsi_mutex);
	return 0;
}

static bool acl_ppa_is_key(void *obj)
{
	struct iscsi_tgt *it = acl_tgt_of(obj);
	bool on;

	if (!it)
		return false;
	scst_mutex_lock(&iscsi_mutex);
	on = it->per_portal_acl;
	scst_mutex_unlock(&iscsi_mutex);
	return on;
}

const struct scst_attr iscsi_per_portal_acl_attr = {
    .name = "per_portal_acl",
    .mode = 0644,
    .show = acl_ppa_show,
    .store = acl_ppa_store,
    .is_key = acl_ppa_is_key,
};

static int acl_redirect_show(void *obj, char *buf, size_t size)
{
	struct iscsi_tgt *it = acl_tgt_of(obj);
	struct iscsi_redirect r;
	int len;

	if (!it)
		return -ENODEV;
	scst_mutex_lock(&iscsi_mutex);
	r = it->redirect;
	scst_mutex_unlock(&iscsi_mutex);
	len = iscsi_redirect_format(&r, buf, size);
	if (len >= 0 && (size_t)len + 1 < size) {
		buf[len++] = '\n';
		buf[len] = '\0';
	}
	return len;
}

static int acl_redirect_store(void *obj, const char *val,
			      struct scst_mgmt_res *res)
{
	struct iscsi_tgt *it = acl_tgt_of(obj);
	struct iscsi_redirect r;

	if (iscsi_redirect_parse(val, &r))
		return scst_mgmt_res_set(
		    res, -EINVAL,
		    "redirect: '%s' is not \"<addr>[:port] temp|perm\" "
		    "(IPv6 in [], empty to remove)",
		    val);
	if (!it)
		return -ENODEV;
	scst_mutex_lock(&iscsi_mutex);
	it->redirect = r;
	scst_mutex_unlock(&iscsi_mutex);
	return 0;
}

static bool acl_redirect_is_key(void *obj)
{
	struct iscsi_tgt *it = acl_tgt_of(obj);
	bool set;

	if (!it)
		return false;
	scst_mutex_lock(&iscsi_mutex);
	set = it->redirect.set;
	scst_mutex_unlock(&iscsi_mutex);
	return set;
}

const struct scst_attr iscsi_redirect_attr = {
    .name = "redirect",
    .mode = 0644,
    .show = acl_redirect_show,
    .store = acl_redirect_store,
    .is_key = acl_redirect_is_key,
};

/* ------------------------------------------------- allowed_portal ---- */

static int acl_portal_show(void *obj, char *buf, size_t size)
{
	struct iscsi_portal_pat *pp = obj;
	int len;

	scst_mutex_lock(&iscsi_mutex);
	len = scst_snprintf(buf, size, "%s\n", pp->used ? pp->pattern : "");
	scst_mutex_unlock(&iscsi_mutex);
	return len;
}

/* One word of printable characters that fits a pattern. */
static int acl_portal_parse(const char *val, char *pat,
			    struct scst_mgmt_res *res)
{
	const char *p = val, *c;
	char extra[2];

	if (scst_next_word(&p, pat, ISCSI_ADDR_MAX) <= 0 ||
	    scst_next_word(&p, extra, sizeof(extra)) != 0)
		return scst_mgmt_res_set(res, -EINVAL,
					 "allowed_portal: expected one address "
					 "pattern of at most %d characters",
					 ISCSI_ADDR_MAX - 1);
	for (c = pat; *c; c++)
		if (*c < 0x21 || *c > 0x7e)
			return scst_mgmt_res_set(
			    res, -EINVAL, "allowed_portal: bad character");
	return 0;
}

static int acl_portal_store(void *obj, const char *val,
			    struct scst_mgmt_res *res)
{
	struct iscsi_portal_pat *pp = obj;
	char pat[ISCSI_ADDR_MAX];
	int rc = acl_portal_parse(val, pat, res);

	if (rc)
		return rc;
	scst_mutex_lock(&iscsi_mutex);
	memcpy(pp->pattern, pat, sizeof(pat));
	scst_mutex_unlock(&iscsi_mutex);
	return 0;
}

int iscsi_portal_add(struct iscsi_tgt *it, struct scst_tnode *dir,
		     const char *val, struct scst_mgmt_res *res)
{
	struct iscsi_portal_pat *pp = NULL;
	char pat[ISCSI_ADDR_MAX];
	bool dup = false;
	unsigned int i;
	int rc = acl_portal_parse(val, pat, res);

	if (rc)
		return rc;
	scst_mutex_lock(&iscsi_mutex);
	for (i = 0; i < ISCSI_MAX_PORTAL_PATS; i++)
		if (it->portals[i].used && !strcmp(it->portals[i].pattern, pat))
			dup = true;
	for (i = 0; i < ISCSI_MAX_PORTAL_PATS && !dup && !pp; i++)
		if (!it->portals[i].used)
			pp = &it->portals[i];
	if (pp) {
		pp->used = true;
		if (pp == &it->portals[0])
			scst_snprintf(pp->file, sizeof(pp->file), "%s",
				      "allowed_portal");
		else
			scst_snprintf(pp->file, sizeof(pp->file),
				      "allowed_portal%u",
				      (unsigned int)(pp - it->portals));
		memcpy(pp->pattern, pat, sizeof(pat));
		pp->attr.name = pp->file;
		pp->attr.mode = 0644;
		pp->attr.flags = SCST_ATTR_KEY;
		pp->attr.show = acl_portal_show;
		pp->attr.store = acl_portal_store;
	}
	scst_mutex_unlock(&iscsi_mutex);
	if (!pp)
		return scst_mgmt_res_set(res, dup ? -EEXIST : -ENOSPC,
					 dup ? "allowed_portal %s exists"
					     : "too many allowed_portal (%s)",
					 pat);
	rc = scst_tree_add_attr(dir, &pp->attr, pp);
	if (rc) {
		scst_mutex_lock(&iscsi_mutex);
		pp->used = false;
		scst_mutex_unlock(&iscsi_mutex);
		return scst_mgmt_res_set(res, rc, "cannot add %s", pp->file);
	}
	return 0;
}

int iscsi_portal_del(struct iscsi_tgt *it, struct scst_tnode *dir,
		     const char *val, struct scst_mgmt_res *res)
{
	struct iscsi_portal_pat *pp = NULL;
	char pat[ISCSI_ADDR_MAX], file[24];
	unsigned int i;
	int rc = acl_portal_parse(val, pat, res);

	if (rc)
		return rc;
	scst_mutex_lock(&iscsi_mutex);
	for (i = 0; i < ISCSI_MAX_PORTAL_PATS && !pp; i++)
		if (it->portals[i].used && !strcmp(it->portals[i].pattern, pat))
			pp = &it->portals[i];
	if (pp)
		memcpy(file, pp->file, sizeof(file));
	scst_mutex_unlock(&iscsi_mutex);
	if (!pp)
		return scst_mgmt_res_set(res, -ENOENT, "no allowed_portal %s",
					 pat);
	scst_tree_remove_entry(dir, file);
	scst_mutex_lock(&iscsi_mutex);
	pp->used = false;
	scst_mutex_unlock(&iscsi_mutex);
	return 0;
}
