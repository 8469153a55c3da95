/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * scst_local: a loopback target driver. It moves commands between a caller
 * in the same process and the core with no network, the way SCST's
 * scst_local does with the kernel's SCSI stack: for tests, benchmarks of
 * the core and the config plane's bring-up.
 *
 * A request carries a CDB and optional Data-Out; its done() callback runs
 * exactly once, from on_free_cmd, with the status, sense, Data-In and
 * residual the core produced (or no_response when the command was aborted).
 *
 * For persistent reservations a session's initiator port is an iSCSI
 * TransportID of format 00b holding its initiator name.
 */
#ifndef SCST_LOCAL_H
#define SCST_LOCAL_H

#include "scst/scst.h"

extern const struct scst_module scst_local_module;

struct scst_local_sess;

struct scst_local_req {
	/* ---- set by the caller ---- */
	uint64_t lun;
	uint8_t cdb[16];
	unsigned int cdb_len;
	enum scst_cmd_queue_type queue_type;
	uint64_t tag;
	enum scst_data_direction exp_dir; /* with exp_len: the EDTL */
	uint32_t exp_len;
	bool exp_set;
	const void *data_out; /* Data-Out */
	/* Its size; 0: exp_len when exp_set, else none. Past it: zeros. */
	uint32_t data_out_len;
	void *data_in; /* room for Data-In */
	uint32_t data_in_size;
	/* Hold the Data-Out until scst_local_release_data() or an abort. */
	bool hold_data;
	void (*done)(struct scst_local_req *req);
	void *priv;

	/* ---- results, valid in done() ---- */
	bool no_response; /* aborted: the core sent nothing */
	uint8_t status;
	uint8_t sense[SCST_SENSE_BUFFERSIZE];
	unsigned int sense_len;
	uint32_t data_in_len;
	enum scst_resid_kind resid_kind;
	uint32_t resid;
	bool data_aborted; /* on_abort_cmd came while data was held */

	/* ---- owned by scst_local ---- */
	struct scst_cmd *cmd__;
	struct scst_local_sess *sess__;
	struct scst_list_head held_entry__;
	struct scst_work work__;
};

/* Answer rdy_to_xfer/xmit_response later, from a work queue (stress). */
#define SCST_LOCAL_F_ASYNC 0x1

int scst_local_add_target(const char *name, struct scst_tgt **out);
/* Unregisters the target; its sessions must have been closed. */
void scst_local_del_target(struct scst_tgt *tgt);

int scst_local_sess_open(struct scst_tgt *tgt, const char *initiator,
			 unsigned int flags, struct scst_local_sess **out);
/* Close the I_T nexus and wait until the core has let go of it. */
void scst_local_sess_close(struct scst_local_sess *s);

/* Start a request; done() follows. -ENOMEM if the core had no memory. */
int scst_local_submit(struct scst_local_sess *s, struct scst_local_req *r);
/* Submit and wait for done(); the request's own done() must be NULL. */
int scst_local_exec(struct scst_local_sess *s, struct scst_local_req *r);
/* Let a held Data-Out go (true if it was still held). */
bool scst_local_release_data(struct scst_local_req *r);

struct scst_local_tmf {
	enum scst_tmf fn;
	uint64_t lun;
	uint64_t tag;
	/* results */
	enum scst_mgmt_status status;
	unsigned int aborted;
	void (*done)(struct scst_local_tmf *t);
	void *priv;
	struct scst_local_sess *sess__;
};

int scst_local_tmf_submit(struct scst_local_sess *s, struct scst_local_tmf *t);
/* Submit, wait, return the function's status. */
enum scst_mgmt_status scst_local_tmf_exec(struct scst_local_sess *s,
					  struct scst_local_tmf *t);

#endif /* SCST_LOCAL_H */
