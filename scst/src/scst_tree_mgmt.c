// SPDX-License-Identifier: GPL-2.0-only
/*
 * The management commands the core itself understands, written to the
 * mgmt files of the tree (SCST's syntax):
 *   handlers/<h>/mgmt       add_device NAME [k=v; ...] | del_device NAME
 *   targets/<drv>/mgmt      add_target NAME [k=v; ...] | del_target NAME
 *   <target>/luns/mgmt      add DEV LUN [read_only=1] | del LUN |
 *                           replace DEV LUN [read_only=1] | clear
 *   <target>/ini_groups/mgmt   create GROUP | del GROUP
 *   <group>/initiators/mgmt add NAME | del NAME | move NAME GROUP | clear
 * Anything else goes to the module's own mgmt_cmd(). And the helpers that
 * parse parameter lists, words, numbers and booleans.
 */
#include "scst_priv.h"

/* ------------------------------------------------------------ words ---- */

static bool scst_is_blank(char c)
{
	return c == ' ' || c == '\t' || c == '\n' || c == '\r';
}

int scst_next_word(const char **p, char *word, size_t size)
{
	const char *s = *p, *e;
	size_t n;

	while (scst_is_blank(*s))
		s++;
	if (!*s) {
		*p = s;
		return 0;
	}
	for (e = s; *e && !scst_is_blank(*e); e++)
		;
	n = (size_t)(e - s);
	if (n >= size)
		return -ENAMETOOLONG;
	memcpy(word, s, n);
	word[n] = '\0';
	*p = e;
	return 1;
}

static const char *scst_skip_blanks(const char *p)
{
	while (scst_is_blank(*p))
		p++;
	return p;
}

int scst_parse_u64(const char *s, uint64_t max, uint64_t *out)
{
	uint64_t v = 0;
	unsigned int base = 10, d;

	if (!*s)
		return -EINVAL;
	if (s[0] == '0' && (s[1] == 'x' || s[1] == 'X') && s[2]) {
		base = 16;
		s += 2;
	}
	for (; *s; s++) {
		if (*s >= '0' && *s <= '9')
			d = (unsigned int)(*s - '0');
		else if (base == 16 && *s >= 'a' && *s <= 'f')
			d = (unsigned int)(*s - 'a' + 10);
		else if (base == 16 && *s >= 'A' && *s <= 'F')
			d = (unsigned int)(*s - 'A' + 10);
		else
			return -EINVAL;
		if (d > max || v > (max - d) / base)
			return -ERANGE;
		v = v * base + d;
	}
	*out = v;
	return 0;
}

int scst_parse_bool(const char *s, bool *out)
{
	static const char *const yes[] = {"1", "y", "yes", "on"};
	static const char *const no[] = {"0", "n", "no", "off"};
	unsigned int i;

	for (i = 0; i < 4; i++) {
		if (strcmp(s, yes[i]) == 0) {
			*out = true;
			return 0;
		}
		if (strcmp(s, no[i]) == 0) {
			*out = false;
			return 0;
		}
	}
	return -EINVAL;
}

/* ------------------------------------------------------- parameters ---- */

static void scst_trim_copy(char *dst, size_t size, const char *s, size_t n)
{
	while (n && scst_is_blank(*s)) {
		s++;
		n--;
	}
	while (n && scst_is_blank(s[n - 1]))
		n--;
	if (n >= size)
		n = size - 1;
	memcpy(dst, s, n);
	dst[n] = '\0';
}

int scst_params_next(const char **p, char *key, size_t ksz, char *val,
		     size_t vsz, struct scst_mgmt_res *res)
{
	const char *s = *p, *end, *eq;

	for (;;) {
		s = scst_skip_blanks(s);
		if (*s != ';')
			break;
		s++; /* empty entries ("a=1;; b=2", a trailing ';') */
	}
	if (!*s) {
		*p = s;
		return 0;
	}
	end = strchr(s, ';');
	if (!end)
		end = s + strlen(s);
	eq = memchr(s, '=', (size_t)(end - s));
	if (!eq)
		return scst_mgmt_res_set(res, -EINVAL,
					 "parameter '%.*s' has no '=value'",
					 (int)(end - s), s);
	if ((size_t)(eq - s) >= ksz || (size_t)(end - eq - 1) >= vsz)
		return scst_mgmt_res_set(res, -EINVAL,
					 "parameter '%.*s' is too long",
					 (int)(end - s), s);
	scst_trim_copy(key, ksz, s, (size_t)(eq - s));
	scst_trim_copy(val, vsz, eq + 1, (size_t)(end - eq - 1));
	if (!key[0])
		return scst_mgmt_res_set(res, -EINVAL,
					 "parameter with an empty name");
	*p = *end ? end + 1 : end;
	return 1;
}

int scst_params_check(const char *params, const char *const *allowed,
		      const char *what, struct scst_mgmt_res *res)
{
	char key[64], val[SCST_ATTR_MAX_STORE];
	const char *p = params;
	unsigned int i;
	int rc;

	while ((rc = scst_params_next(&p, key, sizeof(key), val, sizeof(val),
				      res)) > 0) {
		for (i = 0; allowed && allowed[i]; i++)
			if (strcmp(allowed[i], key) == 0)
				break;
		if (!allowed || !allowed[i])
			return scst_mgmt_res_set(res, -EINVAL,
						 "%s: unknown parameter '%s'",
						 what, key);
	}
	return rc;
}

int scst_params_get(const char *params, const char *key, char *val, size_t vsz)
{
	char k[64], v[SCST_ATTR_MAX_STORE];
	const char *p = params;

	while (scst_params_next(&p, k, sizeof(k), v, sizeof(v), NULL) > 0) {
		if (strcmp(k, key) == 0) {
			scst_snprintf(val, vsz, "%s", v);
			return 1;
		}
	}
	return 0;
}

/* ------------------------------------------------ handler commands ---- */

int scst_devt_mgmt_store(void *obj, const char *cmd, struct scst_mgmt_res *res)
{
	struct scst_dev_type *dt = obj;
	char verb[32], name[256];
	const char *p = cmd;
	int rc;

	if (scst_next_word(&p, verb, sizeof(verb)) <= 0)
		return scst_mgmt_res_set(res, -EINVAL, "empty command");
	if (strcmp(verb, "add_device") == 0 && dt->add_device) {
		if (scst_next_word(&p, name, sizeof(name)) <= 0)
			return scst_mgmt_res_set(
			    res, -EINVAL, "add_device: missing device name");
		p = scst_skip_blanks(p);
		rc = scst_params_check(p, dt->add_device_params, "add_device",
				       res);
		if (rc)
			return rc;
		if (scst_find_device(name))
			return scst_mgmt_res_set(
			    res, -EEXIST,
			    "add_device: device %s already exists", name);
		return dt->add_device(name, p, res);
	}
	if (strcmp(verb, "del_device") == 0 && dt->del_device) {
		if (scst_next_word(&p, name, sizeof(name)) <= 0)
			return scst_mgmt_res_set(
			    res, -EINVAL, "del_device: missing device name");
		if (*scst_skip_blanks(p))
			return scst_mgmt_res_set(res, -EINVAL,
						 "del_device: unexpected '%s'",
						 scst_skip_blanks(p));
		if (!scst_find_device(name))
			return scst_mgmt_res_set(
			    res, -ENOENT, "del_device: no device %s", name);
		return dt->del_device(name, res);
	}
	if (dt->mgmt_cmd)
		return dt->mgmt_cmd(cmd, res);
	return scst_mgmt_res_set(res, -EINVAL, "%s: unknown command '%s'",
				 dt->name, verb);
}

int scst_tgtt_mgmt_store(void *obj, const char *cmd, struct scst_mgmt_res *res)
{
	struct scst_tgt_template *t = obj;
	char verb[32], name[256];
	const char *p = cmd;
	int rc;

	if (scst_next_word(&p, verb, sizeof(verb)) <= 0)
		return scst_mgmt_res_set(res, -EINVAL, "empty command");
	if (strcmp(verb, "add_target") == 0 && t->add_target) {
		if (scst_next_word(&p, name, sizeof(name)) <= 0)
			return scst_mgmt_res_set(
			    res, -EINVAL, "add_target: missing target name");
		p = scst_skip_blanks(p);
		rc = scst_params_check(p, t->add_target_params, "add_target",
				       res);
		if (rc)
			return rc;
		if (scst_find_target(t, name))
			return scst_mgmt_res_set(
			    res, -EEXIST,
			    "add_target: target %s already exists", name);
		return t->add_target(name, p, res);
	}
	if (strcmp(verb, "del_target") == 0 && t->del_target) {
		if (scst_next_word(&p, name, sizeof(name)) <= 0)
			return scst_mgmt_res_set(
			    res, -EINVAL, "del_target: missing target name");
		if (!scst_find_target(t, name))
			return scst_mgmt_res_set(
			    res, -ENOENT, "del_target: no target %s", name);
		return t->del_target(name, res);
	}
	if (t->mgmt_cmd)
		return t->mgmt_cmd(cmd, res);
	return scst_mgmt_res_set(res, -EINVAL, "%s: unknown command '%s'",
				 t->name, verb);
}

/* ---------------------------------------------------- LUN commands ---- */

static int scst_parse_lun(const char *s, uint64_t *lun,
			  struct scst_mgmt_res *res)
{
	if (scst_parse_u64(s, 16383, lun))
		return scst_mgmt_res_set(res, -EINVAL,
					 "'%s' is not a LUN (0 to 16383)", s);
	return 0;
}

/* "add|replace DEV LUN [read_only=1]" */
static int scst_luns_add(struct scst_acg *acg, const char *p, bool replace,
			 struct scst_mgmt_res *res)
{
	char dname[256], lstr[32], val[16];
	struct scst_device *dev;
	bool ro = false;
	uint64_t lun;
	int rc;

	if (scst_next_word(&p, dname, sizeof(dname)) <= 0 ||
	    scst_next_word(&p, lstr, sizeof(lstr)) <= 0)
		return scst_mgmt_res_set(res, -EINVAL,
					 "usage: %s DEVICE LUN [read_only=1]",
					 replace ? "replace" : "add");
	rc = scst_parse_lun(lstr, &lun, res);
	if (rc)
		return rc;
	p = scst_skip_blanks(p);
	rc = scst_params_check(p, (const char *const[]){"read_only", NULL},
			       replace ? "replace" : "add", res);
	if (rc)
		return rc;
	if (scst_params_get(p, "read_only", val, sizeof(val)) &&
	    scst_parse_bool(val, &ro))
		return scst_mgmt_res_set(
		    res, -EINVAL, "read_only must be 0 or 1, not '%s'", val);
	dev = scst_find_device(dname);
	if (!dev)
		return scst_mgmt_res_set(res, -ENOENT, "no device %s", dname);
	rc = replace ? scst_acg_replace_lun(acg, dev, lun, ro)
		     : scst_acg_add_lun(acg, dev, lun, ro);
	if (rc == -EEXIST)
		return scst_mgmt_res_set(res, rc, "LUN %llu is already in use",
					 (unsigned long long)lun);
	if (rc == -ENOENT)
		return scst_mgmt_res_set(res, rc, "no LUN %llu to replace",
					 (unsigned long long)lun);
	if (rc)
		return scst_mgmt_res_set(res, rc, "cannot map %s at LUN %llu",
					 dname, (unsigned long long)lun);
	return 0;
}

int scst_luns_mgmt_store(void *obj, const char *cmd, struct scst_mgmt_res *res)
{
	struct scst_acg *acg = obj;
	char verb[16], lstr[32];
	const char *p = cmd;
	uint64_t lun;
	int rc;

	if (scst_next_word(&p, verb, sizeof(verb)) <= 0)
		return scst_mgmt_res_set(res, -EINVAL, "empty command");
	if (strcmp(verb, "add") == 0)
		return scst_luns_add(acg, p, false, res);
	if (strcmp(verb, "replace") == 0)
		return scst_luns_add(acg, p, true, res);
	if (strcmp(verb, "del") == 0) {
		if (scst_next_word(&p, lstr, sizeof(lstr)) <= 0)
			return scst_mgmt_res_set(res, -EINVAL,
						 "usage: del LUN");
		rc = scst_parse_lun(lstr, &lun, res);
		if (rc)
			return rc;
		rc = scst_acg_del_lun(acg, lun);
		return rc ? scst_mgmt_res_set(res, rc, "no LUN %llu",
					      (unsigned long long)lun)
			  : 0;
	}
	if (strcmp(verb, "clear") == 0)
		return scst_acg_clear_luns(acg);
	return scst_mgmt_res_set(
	    res, -EINVAL, "unknown command '%s' (add, del, replace, clear)",
	    verb);
}

/* ------------------------------------------------ group commands ---- */

int scst_groups_mgmt_store(void *obj, const char *cmd,
			   struct scst_mgmt_res *res)
{
	struct scst_tgt *tgt = obj;
	char verb[16], name[256];
	struct scst_acg *acg;
	const char *p = cmd;
	int rc;

	if (scst_next_word(&p, verb, sizeof(verb)) <= 0 ||
	    scst_next_word(&p, name, sizeof(name)) <= 0)
		return scst_mgmt_res_set(res, -EINVAL,
					 "usage: create GROUP | del GROUP");
	if (strchr(name, '/'))
		return scst_mgmt_res_set(res, -EINVAL,
					 "a group name cannot contain '/'");
	if (strcmp(verb, "create") == 0) {
		rc = scst_acg_create(tgt, name, &acg);
		return rc == -EEXIST
			   ? scst_mgmt_res_set(res, rc, "group %s exists", name)
			   : rc;
	}
	if (strcmp(verb, "del") == 0) {
		scst_mutex_lock(&scst_mutex);
		acg = scst_acg_find(tgt, name);
		scst_mutex_unlock(&scst_mutex);
		if (!acg)
			return scst_mgmt_res_set(res, -ENOENT, "no group %s",
						 name);
		rc = scst_acg_del(acg);
		return rc == -EBUSY
			   ? scst_mgmt_res_set(res, rc, "group %s has sessions",
					       name)
			   : rc;
	}
	return scst_mgmt_res_set(res, -EINVAL,
				 "unknown command '%s' (create, del)", verb);
}

int scst_inis_mgmt_store(void *obj, const char *cmd, struct scst_mgmt_res *res)
{
	struct scst_acg *acg = obj, *to;
	char verb[16], name[256], group[256];
	const char *p = cmd;
	int rc;

	if (scst_next_word(&p, verb, sizeof(verb)) <= 0)
		return scst_mgmt_res_set(res, -EINVAL, "empty command");
	if (strcmp(verb, "clear") == 0)
		return scst_acg_clear_inis(acg);
	if (scst_next_word(&p, name, sizeof(name)) <= 0)
		return scst_mgmt_res_set(res, -EINVAL,
					 "%s: missing initiator name", verb);
	if (strchr(name, '/'))
		return scst_mgmt_res_set(
		    res, -EINVAL, "an initiator name cannot contain '/'");
	if (strcmp(verb, "add") == 0) {
		rc = scst_acg_add_ini(acg, name);
		return rc == -EEXIST
			   ? scst_mgmt_res_set(
				 res, rc,
				 "initiator %s is already in the group", name)
			   : rc;
	}
	if (strcmp(verb, "del") == 0) {
		rc = scst_acg_del_ini(acg, name);
		return rc ? scst_mgmt_res_set(
				res, rc, "initiator %s is not in the group",
				name)
			  : 0;
	}
	if (strcmp(verb, "move") == 0) {
		if (scst_next_word(&p, group, sizeof(group)) <= 0)
			return scst_mgmt_res_set(res, -EINVAL,
						 "usage: move NAME GROUP");
		scst_mutex_lock(&scst_mutex);
		to = scst_acg_find(acg->tgt, group);
		scst_mutex_unlock(&scst_mutex);
		if (!to)
			return scst_mgmt_res_set(res, -ENOENT, "no group %s",
						 group);
		rc = scst_acg_move_ini(acg, to, name);
		return rc ? scst_mgmt_res_set(res, rc,
					      "cannot move %s to group %s",
					      name, group)
			  : 0;
	}
	return scst_mgmt_res_set(
	    res, -EINVAL, "unknown command '%s' (add, del, move, clear)", verb);
}
