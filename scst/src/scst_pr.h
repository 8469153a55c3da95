/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Reservations, internal to scst_reserve.c (SPC-2 RESERVE/RELEASE and the
 * conflict check), scst_pr.c (PERSISTENT RESERVE OUT), scst_pr_in.c
 * (PERSISTENT RESERVE IN, the tree), scst_pr_tid.c (TransportIDs),
 * scst_pr_aptpl.c (the state file); which commands a reservation lets
 * through is the opcode rows' reservation column (scst_cdb_res_rule()).
 *
 * Locking: pr->mutex serializes the reservation commands and the state
 * file (it may sleep); pr->lock (a spinlock) guards what the per-command
 * conflict check reads. A writer holds both; the check takes only the
 * spinlock; PERSISTENT RESERVE IN only the mutex. Nothing else is taken
 * under pr->lock. pr->mutex comes before dev->lock.
 */
#ifndef SCST_PR_H
#define SCST_PR_H

#include "scst_priv.h"

/* SPC-4 6.16.2: persistent reservation types. */
enum {
	SCST_PR_TYPE_WE = 0x1,	  /* Write Exclusive */
	SCST_PR_TYPE_EA = 0x3,	  /* Exclusive Access */
	SCST_PR_TYPE_WE_RO = 0x5, /* Write Exclusive - Registrants Only */
	SCST_PR_TYPE_EA_RO = 0x6, /* Exclusive Access - Registrants Only */
	SCST_PR_TYPE_WE_AR = 0x7, /* Write Exclusive - All Registrants */
	SCST_PR_TYPE_EA_AR = 0x8, /* Exclusive Access - All Registrants */
};

/* SPC-4 6.15.1 and 6.16.1: the service actions. */
enum {
	SCST_PRIN_READ_KEYS = 0x0,
	SCST_PRIN_READ_RESERVATION = 0x1,
	SCST_PRIN_REPORT_CAPABILITIES = 0x2,
	SCST_PRIN_READ_FULL_STATUS = 0x3,
};
enum {
	SCST_PROUT_REGISTER = 0x0,
	SCST_PROUT_RESERVE = 0x1,
	SCST_PROUT_RELEASE = 0x2,
	SCST_PROUT_CLEAR = 0x3,
	SCST_PROUT_PREEMPT = 0x4,
	SCST_PROUT_PREEMPT_AND_ABORT = 0x5,
	SCST_PROUT_REGISTER_AND_IGNORE = 0x6,
	SCST_PROUT_REGISTER_AND_MOVE = 0x7,
};

/* A registered I_T nexus: initiator port (TransportID) + target port. */
struct scst_pr_reg {
	struct scst_list_head entry; /* pr->regs */
	uint64_t key;
	uint16_t rel_tgt_id;
	bool all_tg_pt; /* every target port of the initiator port */
	uint16_t tid_len;
	uint8_t tid[SCST_TID_MAX];
};

struct scst_pr_dev {
	struct scst_device *dev;
	struct scst_mutex mutex;
	struct scst_spinlock lock;

	/* ---- persistent reservations (under both locks to change) ---- */
	struct scst_list_head regs; /* struct scst_pr_reg */
	unsigned int nregs;
	uint32_t generation;
	struct scst_pr_reg *holder; /* NULL: no persistent reservation */
	uint8_t type;		    /* SCST_PR_TYPE_* while held */
	bool aptpl;		    /* persist through power loss */

	/* ---- SPC-2 reservation ---- */
	uint64_t res2_holder;		  /* session res_id; 0: not reserved */
	struct scst_list_head res2_entry; /* scst_res2_list while reserved */

	/* Anything for the check to look at: nregs || holder || res2. */
	bool active;
};

/* ---- scst_pr_tid.c ---- */
/* The TransportID of @sess's initiator port (cached in the session). */
const uint8_t *scst_pr_sess_tid(struct scst_session *sess, unsigned int *len);
/* Same initiator port? (iSCSI: names case-insensitive; an ISID only
 * matters when both have one.) */
bool scst_pr_tid_equal(const uint8_t *a, unsigned int alen, const uint8_t *b,
		       unsigned int blen);
/*
 * Validate the TransportID at @p (at most @avail bytes): its length (a
 * multiple of 4) or -EINVAL for an unsupported protocol or format, a bad
 * length or a name that does not end inside it.
 */
int scst_pr_tid_parse(const uint8_t *p, unsigned int avail);
/* Printable form: "iqn...,i,0x..." (into @buf). */
void scst_pr_tid_print(const uint8_t *tid, unsigned int len, char *buf,
		       size_t size);
uint64_t scst_res_sess_id(struct scst_session *sess);

/* ---- scst_pr.c ---- */
/* The registration of @sess's I_T nexus, or NULL; under either lock. */
struct scst_pr_reg *scst_pr_find_reg(struct scst_pr_dev *pr,
				     struct scst_session *sess);
bool scst_pr_is_holder(const struct scst_pr_dev *pr,
		       const struct scst_pr_reg *reg);
bool scst_pr_type_all_regs(uint8_t type);
void scst_pr_update_active(struct scst_pr_dev *pr);
struct scst_pr_reg *scst_pr_reg_alloc(uint64_t key, const uint8_t *tid,
				      unsigned int tid_len, uint16_t rel,
				      bool all_tg_pt);

/* ---- scst_pr_aptpl.c ---- */
/* Write (aptpl) or remove (!aptpl) the state file; under pr->mutex. */
int scst_pr_aptpl_save(struct scst_pr_dev *pr);
/* Read the state file at device registration (nothing there: 0). */
int scst_pr_aptpl_load(struct scst_pr_dev *pr);

#endif /* SCST_PR_H */
