// SPDX-License-Identifier: GPL-2.0-only
/*
 * PERSISTENT RESERVE IN (SPC-4 6.15): READ KEYS, READ RESERVATION, REPORT
 * CAPABILITIES, READ FULL STATUS; and the read-only attribute
 * devices/<dev>/pr_state that shows a device's reservations in the tree.
 *
 * Each answer is built whole and cut to the ALLOCATION LENGTH (SPC-4
 * 4.2.5.6), so the ADDITIONAL LENGTH fields always tell the full size.
 * An All Registrants reservation shows RESERVATION KEY zero (6.15.3.2) and
 * every registrant as holder in READ FULL STATUS (6.15.5).
 */
#include "scst_pr.h"

static void scst_pr_put_hdr(uint8_t *b, const struct scst_pr_dev *pr,
			    uint32_t add_len)
{
	scst_put_be32(b, pr->generation);
	scst_put_be32(b + 4, add_len);
}

static uint32_t scst_pr_read_keys(struct scst_pr_dev *pr, uint8_t *b)
{
	struct scst_pr_reg *reg;
	uint32_t n = 0;

	scst_list_for_each_entry (reg, &pr->regs, entry) {
		if (b)
			scst_put_be64(b + 8 + 8 * n, reg->key);
		n++;
	}
	if (b)
		scst_pr_put_hdr(b, pr, 8 * n);
	return 8 + 8 * n;
}

static uint32_t scst_pr_read_reservation(struct scst_pr_dev *pr, uint8_t *b)
{
	if (!b)
		return pr->holder ? 24 : 8;
	scst_pr_put_hdr(b, pr, pr->holder ? 16 : 0);
	if (pr->holder) {
		scst_put_be64(b + 8, scst_pr_type_all_regs(pr->type)
					 ? 0
					 : pr->holder->key);
		b[21] = pr->type; /* SCOPE 0h: LU_SCOPE */
	}
	return pr->holder ? 24 : 8;
}

static uint32_t scst_pr_report_caps(struct scst_pr_dev *pr, uint8_t *b)
{
	if (!b)
		return 8;
	scst_put_be16(b, 8);
	/* CRH: SPC-3 5.6.3 exceptions; SIP_C; ATP_C; PTPL_C with a state dir */
	b[2] = 0x10 | 0x08 | 0x04 | (scst_state_dir() ? 0x01 : 0x00);
	/* TMV: the type mask is valid; PTPL_A: APTPL is active */
	b[3] = 0x80 | (pr->aptpl ? 0x01 : 0x00);
	/* WR_EX_AR, EX_AC_RO, WR_EX_RO, EX_AC, WR_EX; EX_AC_AR */
	b[4] = 0x80 | 0x40 | 0x20 | 0x08 | 0x02;
	b[5] = 0x01;
	return 8;
}

static uint32_t scst_pr_read_full_status(struct scst_pr_dev *pr, uint8_t *b)
{
	struct scst_pr_reg *reg;
	uint32_t off = 8;

	scst_list_for_each_entry (reg, &pr->regs, entry) {
		if (b) {
			uint8_t *d = b + off;
			bool holder = scst_pr_is_holder(pr, reg);

			scst_put_be64(d, reg->key);
			d[12] = (reg->all_tg_pt ? 0x02 : 0) | (holder ? 1 : 0);
			d[13] = holder ? pr->type : 0;
			scst_put_be16(d + 18, reg->rel_tgt_id);
			scst_put_be32(d + 20, reg->tid_len);
			memcpy(d + 24, reg->tid, reg->tid_len);
		}
		off += 24 + reg->tid_len;
	}
	if (b)
		scst_pr_put_hdr(b, pr, off - 8);
	return off;
}

void scst_pr_in(struct scst_cmd *cmd)
{
	struct scst_pr_dev *pr = cmd->dev->pr;
	uint32_t alloc = scst_get_be16(cmd->cdb + 7), len;
	uint32_t (*fill)(struct scst_pr_dev * pr, uint8_t * b);
	uint8_t *buf;

	switch (cmd->cdb[1] & 0x1f) {
	case SCST_PRIN_READ_KEYS:
		fill = scst_pr_read_keys;
		break;
	case SCST_PRIN_READ_RESERVATION:
		fill = scst_pr_read_reservation;
		break;
	case SCST_PRIN_REPORT_CAPABILITIES:
		fill = scst_pr_report_caps;
		break;
	case SCST_PRIN_READ_FULL_STATUS:
		fill = scst_pr_read_full_status;
		break;
	default:
		scst_set_invalid_field_in_cdb(cmd, 1, 4);
		return;
	}
	scst_mutex_lock(&pr->mutex);
	if (pr->res2_holder) { /* SPC-3 5.6.3 */
		scst_mutex_unlock(&pr->mutex);
		scst_set_cmd_error_status(cmd, SAM_STAT_RESERVATION_CONFLICT);
		return;
	}
	len = fill(pr, NULL);
	buf = scst_os_zalloc(len);
	if (buf)
		fill(pr, buf);
	scst_mutex_unlock(&pr->mutex);
	if (!buf) {
		scst_set_cmd_error_status(cmd, SAM_STAT_BUSY);
		return;
	}
	scst_cmd_copy_to_buf(cmd, buf, len < alloc ? len : alloc);
	scst_os_free(buf);
}

/* ------------------------------------------------------------ tree ---- */

static const char *scst_pr_type_name(uint8_t type)
{
	switch (type) {
	case SCST_PR_TYPE_WE:
		return "write_exclusive";
	case SCST_PR_TYPE_EA:
		return "exclusive_access";
	case SCST_PR_TYPE_WE_RO:
		return "write_exclusive_registrants_only";
	case SCST_PR_TYPE_EA_RO:
		return "exclusive_access_registrants_only";
	case SCST_PR_TYPE_WE_AR:
		return "write_exclusive_all_registrants";
	case SCST_PR_TYPE_EA_AR:
		return "exclusive_access_all_registrants";
	default:
		return "none";
	}
}

/*
 * devices/<dev>/pr_state, one fact per line:
 *   generation <n>
 *   aptpl 0|1
 *   reservation none | <type> holder <initiator port> rel_tgt_id <n>
 *   registrant <key> <initiator port> rel_tgt_id <n>|all
 *   spc2_reserved 0|1
 */
static int scst_pr_state_show(void *obj, char *buf, size_t size)
{
	struct scst_device *dev = obj;
	struct scst_pr_dev *pr = dev->pr;
	struct scst_pr_reg *reg;
	char name[SCST_TID_MAX];
	size_t n = 0;

	if (!pr)
		return -ENOENT;
#define OUT(...)                                                               \
	do {                                                                   \
		int k__ = scst_snprintf(buf + n, size - n, __VA_ARGS__);       \
		if (k__ < 0 || (size_t)k__ >= size - n)                        \
			goto out_full;                                         \
		n += (size_t)k__;                                              \
	} while (0)
	scst_mutex_lock(&pr->mutex);
	OUT("generation %u\naptpl %d\n", pr->generation, pr->aptpl ? 1 : 0);
	if (pr->holder) {
		scst_pr_tid_print(pr->holder->tid, pr->holder->tid_len, name,
				  sizeof(name));
		OUT("reservation %s holder %s rel_tgt_id %u\n",
		    scst_pr_type_name(pr->type), name, pr->holder->rel_tgt_id);
	} else {
		OUT("reservation none\n");
	}
	scst_list_for_each_entry (reg, &pr->regs, entry) {
		scst_pr_tid_print(reg->tid, reg->tid_len, name, sizeof(name));
		if (reg->all_tg_pt)
			OUT("registrant 0x%016llx %s rel_tgt_id all\n",
			    (unsigned long long)reg->key, name);
		else
			OUT("registrant 0x%016llx %s rel_tgt_id %u\n",
			    (unsigned long long)reg->key, name,
			    reg->rel_tgt_id);
	}
	OUT("spc2_reserved %d\n", pr->res2_holder ? 1 : 0);
#undef OUT
out_full:
	scst_mutex_unlock(&pr->mutex);
	return (int)n;
}

static const struct scst_attr scst_pr_state_attr = {
    .name = "pr_state",
    .mode = 0444,
    .show = scst_pr_state_show,
};

void scst_pr_tree_add(struct scst_device *dev)
{
	struct scst_tnode *d = scst_dev_tree_dir(dev);

	if (d && scst_tree_add_attr(d, &scst_pr_state_attr, dev))
		scst_warn("scst: %s: no pr_state attribute", dev->name);
}
