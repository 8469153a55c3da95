// SPDX-License-Identifier: GPL-2.0-only
/*
 * Access control groups and LUN tables.
 *
 * A target has a default group and named groups. A session takes its LUNs
 * from the first named group one of whose initiator patterns matches the
 * initiator name exactly, else from the first group with a matching
 * wildcard pattern, else from the default group. Patterns use '*' (any
 * run), '?' (any one character) and a leading '!' (everything the rest does
 * not match). A group matches a name when one of its positive patterns
 * matches and none of its negative patterns excludes it; a group with only
 * negative patterns matches every name none of them excludes.
 *
 * Changing a LUN table updates the live sessions of the group at once and
 * raises REPORTED LUNS DATA HAS CHANGED on their other LUNs (SPC-4 6.33).
 * All of this runs under scst_mutex.
 */
#include "scst_priv.h"

/* ------------------------------------------------ LUN addressing ---- */

uint64_t scst_unpack_lun(const uint8_t *lun, unsigned int len)
{
	unsigned int i;

	if (!lun || len < 2)
		return SCST_NO_LUN;
	/* Single-level LUNs only: the second to fourth levels must be 0. */
	for (i = 2; i < len && i < 8; i++)
		if (lun[i])
			return SCST_NO_LUN;
	switch (lun[0] >> 6) {
	case 0: /* peripheral device addressing, bus 0 */
		if (lun[0] & 0x3f)
			return SCST_NO_LUN;
		return lun[1];
	case 1: /* flat space addressing */
		return ((uint64_t)(lun[0] & 0x3f) << 8) | lun[1];
	default: /* logical unit and extended addressing: not used here */
		return SCST_NO_LUN;
	}
}

void scst_pack_lun(uint64_t lun, enum scst_addr_method m, uint8_t out[8])
{
	memset(out, 0, 8);
	if (m == SCST_LUN_ADDR_METHOD_PERIPHERAL && lun < 256) {
		out[1] = (uint8_t)lun;
		return;
	}
	out[0] = (uint8_t)(0x40 | ((lun >> 8) & 0x3f));
	out[1] = (uint8_t)lun;
}

/* ------------------------------------------- initiator name patterns ---- */

static char scst_fold(char c, bool fold_case)
{
	return fold_case && c >= 'A' && c <= 'Z' ? (char)(c - 'A' + 'a') : c;
}

/* '*' any run, '?' any one character; backtracking on the last '*'. */
static bool scst_wild_match_case(const char *p, const char *s, bool fold)
{
	const char *star_p = NULL, *star_s = NULL;

	while (*s) {
		if (*p == '*') {
			star_p = ++p;
			star_s = s;
		} else if (*p == '?' ||
			   (*p && scst_fold(*p, fold) == scst_fold(*s, fold))) {
			p++;
			s++;
		} else if (star_p) {
			p = star_p;
			s = ++star_s;
		} else {
			return false;
		}
	}
	while (*p == '*')
		p++;
	return *p == '\0';
}

static bool scst_wild_match(const char *p, const char *s)
{
	return scst_wild_match_case(p, s, false);
}

bool scst_pattern_match(const char *pattern, const char *s, bool fold_case)
{
	if (pattern[0] == '!')
		return !scst_wild_match_case(pattern + 1, s, fold_case);
	return scst_wild_match_case(pattern, s, fold_case);
}

bool scst_ini_name_match(const char *pattern, const char *name)
{
	return scst_pattern_match(pattern, name, false);
}

static bool scst_is_wild(const char *pattern)
{
	return pattern[0] == '!' || strpbrk(pattern, "*?") != NULL;
}

/* Does @acg admit @name? With @exact, only exact names count. */
static bool scst_acg_matches(const struct scst_acg *acg, const char *name,
			     bool exact)
{
	const struct scst_acn *acn;
	bool any_positive = false, hit = false;

	scst_list_for_each_entry (acn, &acg->acn_list, entry) {
		if (acn->pattern[0] == '!') {
			if (!scst_ini_name_match(acn->pattern, name))
				return false; /* excluded */
			continue;
		}
		any_positive = true;
		if (exact ? strcmp(acn->pattern, name) == 0
			  : (scst_is_wild(acn->pattern) &&
			     scst_wild_match(acn->pattern, name)))
			hit = true;
	}
	if (hit)
		return true;
	/* Only negative patterns, none excluding: admitted (wildcard pass). */
	return !exact && !any_positive && !scst_list_empty(&acg->acn_list);
}

struct scst_acg *scst_find_acg_for_ini(struct scst_tgt *tgt,
				       const char *initiator_name)
{
	struct scst_acg *acg;

	scst_list_for_each_entry (acg, &tgt->acg_list, tgt_entry)
		if (scst_acg_matches(acg, initiator_name, true))
			return acg;
	scst_list_for_each_entry (acg, &tgt->acg_list, tgt_entry)
		if (scst_acg_matches(acg, initiator_name, false))
			return acg;
	return tgt->default_acg;
}

bool scst_initiator_has_luns(struct scst_tgt *tgt, const char *initiator_name)
{
	bool has;

	scst_mutex_lock(&scst_mutex);
	has = !scst_list_empty(
	    &scst_find_acg_for_ini(tgt, initiator_name)->acg_dev_list);
	scst_mutex_unlock(&scst_mutex);
	return has;
}

/* --------------------------------------------------------- groups ---- */

struct scst_acg *scst_acg_find(struct scst_tgt *tgt, const char *name)
{
	struct scst_acg *acg;

	scst_list_for_each_entry (acg, &tgt->acg_list, tgt_entry)
		if (strcmp(acg->name, name) == 0)
			return acg;
	return NULL;
}

int scst_acg_create(struct scst_tgt *tgt, const char *name,
		    struct scst_acg **out)
{
	struct scst_acg *acg;
	int rc = 0;

	if (!name || !*name)
		return -EINVAL;
	acg = scst_os_zalloc(sizeof(*acg));
	if (!acg)
		return -ENOMEM;
	acg->name = scst_strdup(name);
	if (!acg->name) {
		scst_os_free(acg);
		return -ENOMEM;
	}
	acg->tgt = tgt;
	scst_list_init(&acg->acg_dev_list);
	scst_list_init(&acg->acn_list);
	scst_list_init(&acg->sess_list);
	scst_mutex_lock(&scst_mutex);
	if (scst_acg_find(tgt, name)) {
		rc = -EEXIST;
	} else {
		scst_list_add_tail(&acg->tgt_entry, &tgt->acg_list);
		scst_tree_add_acg(acg);
		*out = acg;
	}
	scst_mutex_unlock(&scst_mutex);
	if (rc) {
		scst_os_free(acg->name);
		scst_os_free(acg);
	}
	return rc;
}

/* Under scst_mutex: unlink and free one initiator pattern. */
static void scst_acn_free(struct scst_acg *acg, struct scst_acn *acn)
{
	scst_tree_del_ini(acg, acn);
	scst_list_del_init(&acn->entry);
	scst_os_free(acn->pattern);
	scst_os_free(acn);
}

/* Under scst_mutex; the group must have no sessions. */
void scst_acg_free(struct scst_acg *acg)
{
	struct scst_acg_dev *ad;
	struct scst_acn *acn;

	SCST_BUG_ON(!scst_list_empty(&acg->sess_list));
	while (!scst_list_empty(&acg->acg_dev_list)) {
		ad = scst_list_first_entry(&acg->acg_dev_list,
					   struct scst_acg_dev, acg_entry);
		scst_tree_del_lun(ad);
		ad->dev->exported--;
		scst_list_del_init(&ad->acg_entry);
		scst_os_free(ad);
	}
	if (acg->name)
		scst_tree_del_acg(acg);
	while (!scst_list_empty(&acg->acn_list)) {
		acn = scst_list_first_entry(&acg->acn_list, struct scst_acn,
					    entry);
		scst_acn_free(acg, acn);
	}
	scst_list_del_init(&acg->tgt_entry);
	scst_os_free(acg->name);
	scst_os_free(acg);
}

int scst_acg_del(struct scst_acg *acg)
{
	int rc = 0;

	scst_mutex_lock(&scst_mutex);
	if (!acg->name)
		rc = -EINVAL; /* the default group lives with its target */
	else if (!scst_list_empty(&acg->sess_list))
		rc = -EBUSY;
	else
		scst_acg_free(acg);
	scst_mutex_unlock(&scst_mutex);
	return rc;
}

int scst_acg_add_ini(struct scst_acg *acg, const char *pattern)
{
	struct scst_acn *acn;
	int rc = 0;

	if (!pattern || !*pattern || (pattern[0] == '!' && !pattern[1]))
		return -EINVAL;
	acn = scst_os_zalloc(sizeof(*acn));
	if (!acn)
		return -ENOMEM;
	acn->pattern = scst_strdup(pattern);
	if (!acn->pattern) {
		scst_os_free(acn);
		return -ENOMEM;
	}
	scst_mutex_lock(&scst_mutex);
	{
		struct scst_acn *it;

		scst_list_for_each_entry (it, &acg->acn_list, entry)
			if (strcmp(it->pattern, pattern) == 0)
				rc = -EEXIST;
	}
	if (!rc) {
		scst_list_add_tail(&acn->entry, &acg->acn_list);
		scst_tree_add_ini(acg, acn);
		scst_tgt_reassign_sessions(acg->tgt);
	}
	scst_mutex_unlock(&scst_mutex);
	if (rc) {
		scst_os_free(acn->pattern);
		scst_os_free(acn);
	}
	return rc;
}

int scst_acg_del_ini(struct scst_acg *acg, const char *pattern)
{
	struct scst_acn *acn;
	int rc = -ENOENT;

	scst_mutex_lock(&scst_mutex);
	scst_list_for_each_entry (acn, &acg->acn_list, entry) {
		if (strcmp(acn->pattern, pattern) == 0) {
			scst_acn_free(acg, acn);
			rc = 0;
			break;
		}
	}
	if (!rc)
		scst_tgt_reassign_sessions(acg->tgt);
	scst_mutex_unlock(&scst_mutex);
	return rc;
}

int scst_acg_clear_inis(struct scst_acg *acg)
{
	scst_mutex_lock(&scst_mutex);
	while (!scst_list_empty(&acg->acn_list))
		scst_acn_free(acg, scst_list_first_entry(
				       &acg->acn_list, struct scst_acn, entry));
	scst_tgt_reassign_sessions(acg->tgt);
	scst_mutex_unlock(&scst_mutex);
	return 0;
}

int scst_acg_move_ini(struct scst_acg *from, struct scst_acg *to,
		      const char *pattern)
{
	struct scst_acn *acn, *it, *found = NULL;
	int rc = 0;

	if (from == to)
		return 0;
	acn = scst_os_zalloc(sizeof(*acn));
	if (!acn || !(acn->pattern = scst_strdup(pattern))) {
		scst_os_free(acn);
		return -ENOMEM;
	}
	scst_mutex_lock(&scst_mutex);
	scst_list_for_each_entry (it, &from->acn_list, entry)
		if (strcmp(it->pattern, pattern) == 0)
			found = it;
	scst_list_for_each_entry (it, &to->acn_list, entry)
		if (strcmp(it->pattern, pattern) == 0)
			rc = -EEXIST;
	if (!found)
		rc = -ENOENT;
	if (!rc) {
		/* Both sides change under one lock: no session sees a gap. */
		scst_acn_free(from, found);
		scst_list_add_tail(&acn->entry, &to->acn_list);
		scst_tree_add_ini(to, acn);
		acn = NULL;
		scst_tgt_reassign_sessions(to->tgt);
	}
	scst_mutex_unlock(&scst_mutex);
	if (acn) {
		scst_os_free(acn->pattern);
		scst_os_free(acn);
	}
	return rc;
}

/* ----------------------------------------------------------- LUNs ---- */

static struct scst_acg_dev *scst_acg_find_lun(struct scst_acg *acg,
					      uint64_t lun)
{
	struct scst_acg_dev *ad;

	scst_list_for_each_entry (ad, &acg->acg_dev_list, acg_entry)
		if (ad->lun == lun)
			return ad;
	return NULL;
}

/* Tell every session of @acg that its LUN inventory changed. */
static void scst_acg_luns_changed(struct scst_acg *acg, uint64_t lun)
{
	struct scst_session *sess;
	struct scst_tgt_dev *skip;

	scst_list_for_each_entry (sess, &acg->sess_list, acg_entry) {
		skip = scst_sess_find_tgt_dev(sess, lun);
		scst_sess_ua_all(
		    sess,
		    SCST_LOAD_SENSE(scst_sense_reported_luns_data_changed_UA),
		    skip);
		if (skip)
			scst_tgt_dev_put(skip);
	}
}

int scst_acg_add_lun(struct scst_acg *acg, struct scst_device *dev,
		     uint64_t lun, bool read_only)
{
	struct scst_acg_dev *ad;
	struct scst_session *sess;
	int rc = 0;

	if (lun > 16383)
		return -ERANGE; /* beyond flat space addressing */
	ad = scst_os_zalloc(sizeof(*ad));
	if (!ad)
		return -ENOMEM;
	ad->acg = acg;
	ad->dev = dev;
	ad->lun = lun;
	ad->read_only = read_only;

	scst_mutex_lock(&scst_mutex);
	if (dev->unregistering) {
		rc = -ENODEV;
		goto out_unlock;
	}
	if (scst_acg_find_lun(acg, lun)) {
		rc = -EEXIST;
		goto out_unlock;
	}
	scst_list_add_tail(&ad->acg_entry, &acg->acg_dev_list);
	scst_list_for_each_entry (sess, &acg->sess_list, acg_entry) {
		rc = scst_sess_add_tgt_dev(sess, ad, SCST_NEXUS_NEW);
		if (rc) {
			/* Undo: the LUN appears on all sessions or on none. */
			struct scst_session *s2;

			scst_list_for_each_entry (s2, &acg->sess_list,
						  acg_entry) {
				if (s2 == sess)
					break;
				scst_sess_del_tgt_dev(s2, lun);
			}
			scst_list_del_init(&ad->acg_entry);
			goto out_unlock;
		}
	}
	dev->exported++;
	scst_tree_add_lun(ad);
	scst_acg_luns_changed(acg, lun);
	scst_mutex_unlock(&scst_mutex);
	return 0;

out_unlock:
	scst_mutex_unlock(&scst_mutex);
	scst_os_free(ad);
	return rc;
}

/* Under scst_mutex. */
static void scst_acg_remove_lun(struct scst_acg *acg, struct scst_acg_dev *ad)
{
	struct scst_session *sess;

	scst_tree_del_lun(ad);
	scst_list_for_each_entry (sess, &acg->sess_list, acg_entry)
		scst_sess_del_tgt_dev(sess, ad->lun);
	scst_list_del_init(&ad->acg_entry);
	ad->dev->exported--;
	scst_acg_luns_changed(acg, ad->lun);
	scst_os_free(ad);
}

int scst_acg_clear_luns(struct scst_acg *acg)
{
	scst_mutex_lock(&scst_mutex);
	while (!scst_list_empty(&acg->acg_dev_list))
		scst_acg_remove_lun(
		    acg, scst_list_first_entry(&acg->acg_dev_list,
					       struct scst_acg_dev, acg_entry));
	scst_mutex_unlock(&scst_mutex);
	return 0;
}

int scst_acg_del_lun(struct scst_acg *acg, uint64_t lun)
{
	struct scst_acg_dev *ad;
	int rc = -ENOENT;

	scst_mutex_lock(&scst_mutex);
	ad = scst_acg_find_lun(acg, lun);
	if (ad) {
		scst_acg_remove_lun(acg, ad);
		rc = 0;
	}
	scst_mutex_unlock(&scst_mutex);
	return rc;
}

int scst_acg_replace_lun(struct scst_acg *acg, struct scst_device *dev,
			 uint64_t lun, bool read_only)
{
	struct scst_acg_dev *old, *ad;
	struct scst_session *sess;
	int rc = 0, err;

	ad = scst_os_zalloc(sizeof(*ad));
	if (!ad)
		return -ENOMEM;
	ad->acg = acg;
	ad->dev = dev;
	ad->lun = lun;
	ad->read_only = read_only;

	scst_mutex_lock(&scst_mutex);
	old = scst_acg_find_lun(acg, lun);
	if (dev->unregistering || !old) {
		scst_mutex_unlock(&scst_mutex);
		scst_os_free(ad);
		return dev->unregistering ? -ENODEV : -ENOENT;
	}
	/* The inventory is unchanged; the LUN now shows another device. */
	scst_list_for_each_entry (sess, &acg->sess_list, acg_entry) {
		scst_sess_del_tgt_dev(sess, lun);
		err = scst_sess_add_tgt_dev(sess, ad, SCST_NEXUS_REPLACED);
		if (err && !rc)
			rc = err; /* that session lost the LUN */
	}
	scst_list_add_tail(&ad->acg_entry, &old->acg_entry);
	scst_tree_del_lun(old);
	old->dev->exported--;
	scst_list_del_init(&old->acg_entry);
	scst_os_free(old);
	dev->exported++;
	scst_tree_add_lun(ad);
	scst_mutex_unlock(&scst_mutex);
	return rc;
}

/* Under scst_mutex: take @dev out of every LUN table of every target. */
void scst_unmap_dev_all(struct scst_device *dev)
{
	struct scst_tgt_template *t;
	struct scst_tgt *tgt;
	struct scst_acg *acg;
	struct scst_acg_dev *ad, *tmp;

	scst_list_for_each_entry (t, &scst_template_list, entry__) {
		scst_list_for_each_entry (tgt, &t->tgt_list__, tmpl_entry) {
			scst_list_for_each_entry_safe (
			    ad, tmp, &tgt->default_acg->acg_dev_list, acg_entry)
				if (ad->dev == dev)
					scst_acg_remove_lun(tgt->default_acg,
							    ad);
			scst_list_for_each_entry (acg, &tgt->acg_list,
						  tgt_entry)
				scst_list_for_each_entry_safe (
				    ad, tmp, &acg->acg_dev_list, acg_entry)
					if (ad->dev == dev)
						scst_acg_remove_lun(acg, ad);
		}
	}
}
