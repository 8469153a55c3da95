// SPDX-License-Identifier: GPL-2.0-only
/*
 * Persist Through Power Loss (SPC-4 5.13.5): with APTPL set by the last
 * register action, a device's registrations and reservation are written
 * to <state dir>/pr.<device> after every change and read back when the
 * device registers again (after a restart of scstd). With APTPL clear the
 * file is removed, and a restart starts with no reservations. The write
 * replaces the file atomically (scst_os_file_write_atomic), so a crash
 * leaves the old state or the new one.
 *
 * The file is text, one fact per line:
 *   scst_pr 1
 *   generation <decimal>
 *   type <decimal>                               (0: no reservation)
 *   reg <key hex> <rel_tgt_id> <all_tg_pt> <holder> <TransportID hex>
 */
#include "scst_pr.h"

#define SCST_PR_FILE_MAX (1u << 20)

static char scst_state_dir_buf[512];

int scst_set_state_dir(const char *dir)
{
	size_t n = dir ? strlen(dir) : 0;

	if (n >= sizeof(scst_state_dir_buf))
		return -ENAMETOOLONG;
	memcpy(scst_state_dir_buf, dir ? dir : "", n);
	scst_state_dir_buf[n] = '\0';
	return 0;
}

const char *scst_state_dir(void)
{
	return scst_state_dir_buf[0] ? scst_state_dir_buf : NULL;
}

static void scst_pr_file_name(const struct scst_pr_dev *pr, char *buf,
			      size_t size)
{
	scst_snprintf(buf, size, "pr.%s", pr->dev->name);
}

int scst_pr_aptpl_save(struct scst_pr_dev *pr)
{
	const char *dir = scst_state_dir();
	struct scst_pr_reg *reg;
	char name[300], *buf;
	size_t size, n = 0;
	unsigned int i;
	int rc;

	if (!dir)
		return 0;
	scst_pr_file_name(pr, name, sizeof(name));
	if (!pr->aptpl)
		return scst_os_file_remove(dir, name);
	size = 64 + (size_t)pr->nregs * (64 + 2 * SCST_TID_MAX);
	buf = scst_os_alloc(size);
	if (!buf)
		return -ENOMEM;
	n += (size_t)scst_snprintf(buf + n, size - n,
				   "scst_pr 1\ngeneration %u\ntype %u\n",
				   pr->generation, pr->holder ? pr->type : 0);
	scst_list_for_each_entry (reg, &pr->regs, entry) {
		n += (size_t)scst_snprintf(
		    buf + n, size - n, "reg %016llx %u %d %d ",
		    (unsigned long long)reg->key, reg->rel_tgt_id,
		    reg->all_tg_pt ? 1 : 0, pr->holder == reg ? 1 : 0);
		for (i = 0; i < reg->tid_len; i++)
			n += (size_t)scst_snprintf(buf + n, size - n, "%02x",
						   reg->tid[i]);
		n += (size_t)scst_snprintf(buf + n, size - n, "\n");
	}
	rc = scst_os_file_write_atomic(dir, name, buf, n);
	scst_os_free(buf);
	return rc;
}

/* ---------------------------------------------------------- reading ---- */

static const char *scst_skip_sp(const char *p)
{
	while (*p == ' ')
		p++;
	return p;
}

static int scst_hexval(char c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	if (c >= 'A' && c <= 'F')
		return c - 'A' + 10;
	return -1;
}

/* A number in @base (10 or 16) at *@p; moves *@p past it. */
static int scst_take_num(const char **p, unsigned int base, uint64_t *out)
{
	const char *s = scst_skip_sp(*p);
	uint64_t v = 0;
	int d, n = 0;

	while ((d = scst_hexval(*s)) >= 0 && (unsigned int)d < base) {
		if (v > (UINT64_MAX - (uint64_t)d) / base)
			return -EINVAL;
		v = v * base + (uint64_t)d;
		s++;
		n++;
	}
	if (!n)
		return -EINVAL;
	*p = s;
	*out = v;
	return 0;
}

static bool scst_take_word(const char **p, const char *word)
{
	size_t n = strlen(word);
	const char *s = scst_skip_sp(*p);

	if (strncmp(s, word, n) || (s[n] != ' ' && s[n] != '\n'))
		return false;
	*p = s + n;
	return true;
}

static int scst_pr_load_reg(struct scst_pr_dev *pr, const char **p,
			    struct scst_pr_reg **holder)
{
	uint64_t key, rel, all, hold;
	uint8_t tid[SCST_TID_MAX];
	struct scst_pr_reg *reg;
	unsigned int len = 0;
	const char *s;
	int hi, lo;

	if (scst_take_num(p, 16, &key) || scst_take_num(p, 10, &rel) ||
	    rel > 0xffff || scst_take_num(p, 10, &all) || all > 1 ||
	    scst_take_num(p, 10, &hold) || hold > 1)
		return -EINVAL;
	s = scst_skip_sp(*p);
	while ((hi = scst_hexval(s[0])) >= 0 && (lo = scst_hexval(s[1])) >= 0) {
		if (len == sizeof(tid))
			return -EINVAL;
		tid[len++] = (uint8_t)(hi << 4 | lo);
		s += 2;
	}
	*p = s;
	if (!key || scst_pr_tid_parse(tid, len) != (int)len)
		return -EINVAL;
	reg = scst_pr_reg_alloc(key, tid, len, (uint16_t)rel, all != 0);
	if (!reg)
		return -ENOMEM;
	scst_list_add_tail(&reg->entry, &pr->regs);
	pr->nregs++;
	if (hold)
		*holder = reg;
	return 0;
}

static int scst_pr_parse(struct scst_pr_dev *pr, const char *p)
{
	struct scst_pr_reg *holder = NULL;
	uint64_t v, type = 0;
	int rc = 0;

	if (!scst_take_word(&p, "scst_pr") || scst_take_num(&p, 10, &v) ||
	    v != 1)
		return -EINVAL;
	while (!rc) {
		p = scst_skip_sp(p);
		while (*p == '\n')
			p = scst_skip_sp(p + 1);
		if (!*p)
			break;
		if (scst_take_word(&p, "generation")) {
			rc = scst_take_num(&p, 10, &v);
			pr->generation = (uint32_t)v;
		} else if (scst_take_word(&p, "type")) {
			rc = scst_take_num(&p, 10, &type);
			if (!rc && type > 0xf)
				rc = -EINVAL;
		} else if (scst_take_word(&p, "reg")) {
			rc = scst_pr_load_reg(pr, &p, &holder);
		} else {
			rc = -EINVAL;
		}
		if (!rc && *scst_skip_sp(p) != '\n' && *scst_skip_sp(p))
			rc = -EINVAL;
	}
	if (!rc && (type != 0) != (holder != NULL))
		rc = -EINVAL;
	if (!rc && holder) {
		pr->holder = holder;
		pr->type = (uint8_t)type;
	}
	return rc;
}

int scst_pr_aptpl_load(struct scst_pr_dev *pr)
{
	const char *dir = scst_state_dir();
	struct scst_pr_reg *reg, *tmp;
	char name[300], *buf;
	size_t len;
	int rc;

	if (!dir)
		return 0;
	scst_pr_file_name(pr, name, sizeof(name));
	rc = scst_os_file_read(dir, name, SCST_PR_FILE_MAX, &buf, &len);
	if (rc == -ENOENT)
		return 0;
	if (rc)
		return rc;
	rc = strlen(buf) == len ? scst_pr_parse(pr, buf) : -EINVAL;
	scst_os_free(buf);
	if (rc) {
		scst_list_for_each_entry_safe (reg, tmp, &pr->regs, entry) {
			scst_list_del_init(&reg->entry);
			scst_os_free(reg);
		}
		pr->nregs = 0;
		pr->holder = NULL;
		pr->type = 0;
		pr->generation = 0;
		return rc;
	}
	pr->aptpl = true;
	scst_pr_update_active(pr);
	scst_info("scst: %s: %u persistent registrations restored%s",
		  pr->dev->name, pr->nregs,
		  pr->holder ? " with a reservation" : "");
	return 0;
}
