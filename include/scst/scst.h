/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * The public API of the SCST core: what transports (target drivers) and
 * device handlers see. Modules use only this header, scst_const.h and os.h;
 * the core's structures are opaque to them and reached through the calls
 * below.
 *
 * Error convention: calls returning int give 0 (or a count) on success and
 * a negative errno on failure. Callbacks of the templates follow the same
 * rule unless their comment says otherwise.
 *
 * Command life, as a transport sees it:
 *   cmd = scst_rx_cmd(sess, lun, lun_len, cdb, cdb_len);
 *   scst_cmd_set_tag / _set_queue_type / _set_expected;
 *   scst_cmd_init_done(cmd, ctx);
 *     -> rdy_to_xfer(cmd)       writes only: fill the buffer, then
 *        scst_rx_data(cmd, SCST_RX_STATUS_SUCCESS, ctx);
 *     -> xmit_response(cmd)     send data and status (or nothing, when
 *        scst_cmd_aborted_on_xmit()), then scst_tgt_cmd_done(cmd, ctx);
 *     -> on_free_cmd(cmd)       the last callback for this command.
 * Every command handed to scst_cmd_init_done() reaches on_free_cmd exactly
 * once, whatever aborts, resets or session losses happen meanwhile.
 */
#ifndef SCST_H
#define SCST_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "scst/list.h"
#include "scst/scst_opcode.h"
#include "scst/scst_const.h"
#include "scst/scst_sg.h"
#include "scst/scst_tree.h"

#define SCST_VERSION_STRING "0.1.0"

struct scst_cmd;
struct scst_mgmt_cmd;
struct scst_session;
struct scst_tgt;
struct scst_acg;
struct scst_device;
struct scst_tgt_dev;
struct scst_worker;

/* ------------------------------------------------------------- enums ---- */

enum scst_data_direction {
	SCST_DATA_NONE = 0,
	SCST_DATA_WRITE = 1, /* initiator to target (Data-Out) */
	SCST_DATA_READ = 2,  /* target to initiator (Data-In) */
	SCST_DATA_BIDI = 3,
};

/* SAM task attributes. */
enum scst_cmd_queue_type {
	SCST_CMD_QUEUE_SIMPLE = 0,
	SCST_CMD_QUEUE_ORDERED,
	SCST_CMD_QUEUE_HEAD_OF_QUEUE,
	SCST_CMD_QUEUE_ACA,
	SCST_CMD_QUEUE_UNTAGGED, /* treated as SIMPLE */
};

/*
 * Where the core continues a command after a call from a module.
 * DIRECT: right now in the calling thread if it is a core worker (else as
 * THREAD). THREAD: on the worker that owns the command's session.
 */
enum scst_exec_context {
	SCST_CONTEXT_DIRECT = 0,
	SCST_CONTEXT_THREAD,
};

/* What a transport reports with scst_rx_data(). */
enum scst_rx_status {
	SCST_RX_STATUS_SUCCESS = 0,
	SCST_RX_STATUS_ERROR,		/* core sets sense: ABORTED COMMAND */
	SCST_RX_STATUS_ERROR_SENSE_SET, /* transport set status/sense */
	SCST_RX_STATUS_ERROR_FATAL,	/* connection gone: send nothing */
};

/* Return values of xmit_response() and rdy_to_xfer(). */
#define SCST_TGT_RES_SUCCESS	 0
#define SCST_TGT_RES_QUEUE_FULL	 (-1) /* core retries later */
#define SCST_TGT_RES_FATAL_ERROR (-2) /* treat as done, nothing sent */

/* Return values of a device handler's exec(). */
#define SCST_EXEC_COMPLETED                                                    \
	0 /* handler owns it; it calls                                         \
	   * scst_cmd_exec_done() */
#define SCST_EXEC_NOT_COMPLETED                                                \
	1 /* core emulates it or fails                                         \
	   * it with INVALID OPCODE */

/* Residual kinds (SAM-5 / RFC 7143 underflow and overflow). */
enum scst_resid_kind {
	SCST_RESID_NONE = 0,
	SCST_RESID_UNDERFLOW, /* less data moved than the initiator expected */
	SCST_RESID_OVERFLOW,  /* the command wanted more than was expected */
};

/* ------------------------------------------------ target-driver template ----
 */

struct scst_tgt_template {
	/* ---- set by the driver ---- */
	const char *name;

	/*
	 * Send the command's data (if any, scst_cmd_resp_data_len() bytes from
	 * its buffer) and its status, or nothing at all when
	 * scst_cmd_aborted_on_xmit(cmd) is true; then call
	 * scst_tgt_cmd_done(). Required.
	 */
	int (*xmit_response)(struct scst_cmd *cmd);

	/*
	 * Collect the command's Data-Out into its buffer, then call
	 * scst_rx_data(). Required for drivers that accept writes.
	 */
	int (*rdy_to_xfer)(struct scst_cmd *cmd);

	/*
	 * A command that is waiting for its Data-Out has been aborted. The
	 * driver stops collecting and calls scst_rx_data() with an error
	 * status soon. Optional; without it the core waits for the data.
	 */
	void (*on_abort_cmd)(struct scst_cmd *cmd);

	/* Last look at the command before the core frees it. Optional. */
	void (*on_free_cmd)(struct scst_cmd *cmd);

	/* A task management function finished: send its response. Required. */
	void (*task_mgmt_fn_done)(struct scst_mgmt_cmd *mcmd);

	/* Enable or disable a target's portals. Optional. */
	int (*enable_target)(struct scst_tgt *tgt, bool enable);
	/* Is the target enabled? Optional (without it: always). */
	bool (*is_target_enabled)(struct scst_tgt *tgt);
	/* Close an I_T nexus (sessions/<s>/force_close). Optional. */
	int (*close_session)(struct scst_session *sess);
	/*
	 * The TransportID (SPC-4 7.6.4) of the session's initiator port, for
	 * persistent reservations: write it to @buf (at most @size bytes,
	 * SCST_TID_MAX is enough) and return its length, a multiple of 4, or
	 * a negative errno. It must not sleep: the core may call it with its
	 * spinlocks held, at most once per session (the core keeps it).
	 * Optional: without it the core uses an iSCSI TransportID holding
	 * the session's initiator name (format 00b).
	 */
	int (*get_initiator_port_transport_id)(struct scst_session *sess,
					       uint8_t *buf, unsigned int size);

	/* ---- the config tree (all optional) ---- */
	/* Attributes of targets/<driver>/ (obj: this template). */
	const struct scst_attr *const *tgtt_attrs;
	/* Attributes of each target (obj: struct scst_tgt *). */
	const struct scst_attr *const *tgt_attrs;
	/* Attributes of each session (obj: struct scst_session *). */
	const struct scst_attr *const *sess_attrs;
	/* "add_target NAME [k=v; ...]" and the keys it accepts. */
	int (*add_target)(const char *name, const char *params,
			  struct scst_mgmt_res *res);
	const char *const *add_target_params;
	/* "del_target NAME". */
	int (*del_target)(const char *name, struct scst_mgmt_res *res);
	/* Any other command written to targets/<driver>/mgmt. */
	int (*mgmt_cmd)(const char *cmd, struct scst_mgmt_res *res);
	/* Extra lines for the mgmt file's usage text. */
	const char *mgmt_help;

	/* ---- owned by the core ---- */
	struct scst_list_head entry__;	  /* in the template list */
	struct scst_list_head tgt_list__; /* its targets */
	struct scst_tnode *tree_dir__;
};

/* --------------------------------------------------- device handler type ----
 */

struct scst_dev_type {
	/* ---- set by the handler ---- */
	const char *name;
	uint8_t type; /* peripheral device type (TYPE_DISK, ...) */

	/*
	 * Called after the core decoded the CDB with its opcode table (data
	 * direction, transfer length, LBA range). May refine those through
	 * the scst_cmd_set_* calls or fail the command with a sense and return
	 * a negative errno. Optional.
	 */
	int (*parse)(struct scst_cmd *cmd);

	/*
	 * Execute the command. Returns SCST_EXEC_COMPLETED after it has taken
	 * ownership (it calls scst_cmd_exec_done() exactly once, from any
	 * thread, possibly before returning), or SCST_EXEC_NOT_COMPLETED to let
	 * the core handle it. Required.
	 */
	int (*exec)(struct scst_cmd *cmd);

	/* After execution, before the response. Optional. */
	void (*dev_done)(struct scst_cmd *cmd);

	/*
	 * A task management function affects this device: the handler may
	 * hurry its commands along (they still complete through
	 * scst_cmd_exec_done). Called in the TMF's thread. Optional.
	 */
	void (*task_mgmt_fn_received)(struct scst_mgmt_cmd *mcmd,
				      struct scst_device *dev);

	/*
	 * A LUN or target reset has finished on this device: reset
	 * handler-side state (e.g. prevent-medium-removal). Optional.
	 */
	void (*reset_done)(struct scst_device *dev);

	/* Device attach/detach and per-nexus attach/detach. Optional. */
	int (*attach)(struct scst_device *dev);
	void (*detach)(struct scst_device *dev);
	int (*attach_tgt)(struct scst_tgt_dev *tgt_dev);
	void (*detach_tgt)(struct scst_tgt_dev *tgt_dev);

	/* ---- the config tree (all optional) ---- */
	/* Attributes of handlers/<handler>/ (obj: this type). */
	const struct scst_attr *const *devt_attrs;
	/* Attributes of each device (obj: struct scst_device *). */
	const struct scst_attr *const *dev_attrs;
	/* "add_device NAME [k=v; ...]" and the keys it accepts. */
	int (*add_device)(const char *name, const char *params,
			  struct scst_mgmt_res *res);
	const char *const *add_device_params;
	/* "del_device NAME". */
	int (*del_device)(const char *name, struct scst_mgmt_res *res);
	/* Any other command written to handlers/<handler>/mgmt. */
	int (*mgmt_cmd)(const char *cmd, struct scst_mgmt_res *res);
	const char *mgmt_help;

	/* ---- owned by the core ---- */
	struct scst_list_head entry__;	  /* in the handler list */
	struct scst_list_head dev_list__; /* its devices */
	struct scst_tnode *tree_dir__;
};

/* -------------------------------------------------------- modules ---- */

/*
 * A module is a transport or a device handler. Programs list theirs in an
 * explicit table and call scst_modules_init(); the core names no module.
 */
struct scst_module {
	const char *name;
	int (*start)(void);
	void (*stop)(void);
};

/* ------------------------------------------------------- core life ---- */

struct scst_core_params {
	unsigned int threads; /* worker threads; 0 = one per CPU */
};

int scst_core_init(const struct scst_core_params *p);
/*
 * Where the core keeps state that outlives the process (persistent
 * reservations with APTPL, one file per device: pr.<device>); NULL or ""
 * for none. It survives scst_core_exit(); set it before devices register
 * (their saved state is read at registration). scstd passes --state-dir.
 */
int scst_set_state_dir(const char *dir);
const char *scst_state_dir(void);
/* Every target, device and module must be gone. */
void scst_core_exit(void);
/* Init modules in order; on failure the ones already started are exited. */
int scst_modules_init(const struct scst_module *const *mods, size_t n);
void scst_modules_exit(const struct scst_module *const *mods, size_t n);

/* ------------------------------------------------ registration calls ---- */

int scst_register_target_template(struct scst_tgt_template *t);
void scst_unregister_target_template(struct scst_tgt_template *t);
int scst_register_dev_driver(struct scst_dev_type *dt);
void scst_unregister_dev_driver(struct scst_dev_type *dt);

/* Targets. The name must be unique within the template. */
int scst_register_target(struct scst_tgt_template *t, const char *name,
			 struct scst_tgt **out);
/* Closes every session of the target (nexus loss) and waits for them. */
void scst_unregister_target(struct scst_tgt *tgt);
void scst_tgt_set_tgt_priv(struct scst_tgt *tgt, void *priv);
void *scst_tgt_get_tgt_priv(struct scst_tgt *tgt);
const char *scst_tgt_name(const struct scst_tgt *tgt);
void scst_tgt_set_rel_tgt_id(struct scst_tgt *tgt, uint16_t id);
uint16_t scst_tgt_rel_tgt_id(const struct scst_tgt *tgt);

/* LUN addressing used in REPORT LUNS (SCST's addr_method). */
enum scst_addr_method {
	SCST_LUN_ADDR_METHOD_PERIPHERAL = 0, /* flat above LUN 255 */
	SCST_LUN_ADDR_METHOD_FLAT = 1,
};
void scst_tgt_set_addr_method(struct scst_tgt *tgt, enum scst_addr_method m);

/* Virtual devices (no SCSI device underneath). Name unique over all. */
int scst_register_virtual_device(struct scst_dev_type *dt, const char *name,
				 void *dh_priv, struct scst_device **out);
/* Unmaps the device from every LUN table and waits for its commands. */
void scst_unregister_virtual_device(struct scst_device *dev);
/* The registered device of that name, or NULL. */
struct scst_device *scst_find_device(const char *name);
/* The target of @t with that name, or NULL. */
struct scst_tgt *scst_find_target(struct scst_tgt_template *t,
				  const char *name);
/* Has the device been mapped at any LUN? (config tools refuse removal) */
bool scst_dev_is_exported(struct scst_device *dev);
void *scst_dev_get_dh_priv(const struct scst_device *dev);
const char *scst_dev_name(const struct scst_device *dev);
const char *scst_dev_handler_name(const struct scst_device *dev);
uint8_t scst_dev_type(const struct scst_device *dev);
/* Logical block size used to decode transfer lengths (default 512). */
void scst_dev_set_block_size(struct scst_device *dev, uint32_t bs);
uint32_t scst_dev_block_size(const struct scst_device *dev);
/* Device-wide SPC control settings (control mode page). */
void scst_dev_set_tst(struct scst_device *dev, int tst);
int scst_dev_tst(const struct scst_device *dev);
void scst_dev_set_tas(struct scst_device *dev, bool tas);
void scst_dev_set_d_sense(struct scst_device *dev, bool d_sense);
bool scst_dev_d_sense(const struct scst_device *dev);

/* ------------------------------------------- access control and LUNs ---- */

/* The group used by initiators that match no named group. */
struct scst_acg *scst_tgt_default_acg(struct scst_tgt *tgt);
int scst_acg_create(struct scst_tgt *tgt, const char *name,
		    struct scst_acg **out);
/* -EBUSY while a session uses it. */
int scst_acg_del(struct scst_acg *acg);
struct scst_acg *scst_acg_find(struct scst_tgt *tgt, const char *name);
/*
 * Map @dev at @lun. Sessions of the group see it at once, and get
 * REPORTED LUNS DATA HAS CHANGED on their other LUNs.
 */
int scst_acg_add_lun(struct scst_acg *acg, struct scst_device *dev,
		     uint64_t lun, bool read_only);
int scst_acg_del_lun(struct scst_acg *acg, uint64_t lun);
/* Swap the device at @lun; raises INQUIRY DATA HAS CHANGED. */
int scst_acg_replace_lun(struct scst_acg *acg, struct scst_device *dev,
			 uint64_t lun, bool read_only);
/* Initiator name patterns: '*' any run, '?' any one char, '!' negates. */
int scst_acg_add_ini(struct scst_acg *acg, const char *pattern);
int scst_acg_del_ini(struct scst_acg *acg, const char *pattern);
bool scst_ini_name_match(const char *pattern, const char *name);
/* The same pattern rule for other names (portal addresses: @fold_case). */
bool scst_pattern_match(const char *pattern, const char *s, bool fold_case);
/*
 * Would a session of @initiator_name get any LUN? The group is chosen as
 * for a session (scst_register_session): the first named group matching
 * exactly, else by wildcard, else the default group. Takes scst_mutex.
 */
bool scst_initiator_has_luns(struct scst_tgt *tgt, const char *initiator_name);

/* ---------------------------------------------------------- sessions ---- */

/*
 * Open an I_T nexus. The session's LUNs come from the first named group
 * with a matching initiator pattern, else from the default group.
 * Every LUN starts with a POWER ON, RESET OR BUS DEVICE RESET unit
 * attention.
 */
int scst_register_session(struct scst_tgt *tgt, const char *initiator_name,
			  void *tgt_priv, struct scst_session **out);
/*
 * Close the nexus: every command still in the core is aborted (nexus
 * loss), and @done(sess) runs once they all reached on_free_cmd. The
 * session may not be used by the caller after this call. @done may be NULL.
 */
void scst_unregister_session(struct scst_session *sess,
			     void (*done)(struct scst_session *sess));
/*
 * As scst_register_session(), but the session's commands and task
 * management functions run on @worker (from scst_worker_attach() below);
 * NULL: a core worker, as scst_register_session().
 */
int scst_register_session_on(struct scst_tgt *tgt, const char *initiator_name,
			     void *tgt_priv, struct scst_worker *worker,
			     struct scst_session **out);
void *scst_sess_get_tgt_priv(const struct scst_session *sess);
const char *scst_sess_initiator_name(const struct scst_session *sess);
struct scst_tgt *scst_sess_tgt(const struct scst_session *sess);

/*
 * Third-party commands (EXTENDED COPY) that name devices by designator: the
 * device at one of @sess's own LUNs for which @match(dev, @arg) is true
 * (the lowest such LUN), or NULL. Only the session's LUN table (its I_T_L
 * nexuses) is searched, so a device the initiator cannot reach through this
 * I_T nexus (exported on another target, or to another initiator group) is
 * never returned. @match runs under the session's LUN lock: it must not
 * sleep nor call into the core; it may take the device's handler locks.
 *
 * Reference rule: on success *@nexus holds a reference to that LUN's nexus,
 * which keeps the device registered (its unregistration waits for it) and
 * its handler data valid even if the LUN is unmapped meanwhile. The caller
 * drops it with scst_tgt_dev_release(*@nexus) before the command that took
 * it completes. scst_tgt_dev_read_only() says whether the LUN is mapped
 * read-only for this session.
 */
struct scst_device *
scst_sess_find_dev_by_match(struct scst_session *sess,
			    bool (*match)(struct scst_device *dev, void *arg),
			    void *arg, struct scst_tgt_dev **nexus);
bool scst_tgt_dev_read_only(const struct scst_tgt_dev *nexus);
/*
 * PREVENT ALLOW MEDIUM REMOVAL (SPC-4 6.13) is per I_T nexus: the medium
 * of a device stays in while any nexus prevents its removal. The core
 * keeps the record; handlers set it from the command and ask before
 * removing the medium. A nexus's prevention ends with its ALLOW, with the
 * nexus (session closed, LUN unmapped) and with a LUN or target reset.
 */
void scst_tgt_dev_set_prevent(struct scst_tgt_dev *nexus, bool prevent);
bool scst_dev_prevented(struct scst_device *dev);
/* The device of an I_T_L nexus (e.g. in a handler's detach_tgt). */
struct scst_device *scst_tgt_dev_device(const struct scst_tgt_dev *nexus);
void scst_tgt_dev_release(struct scst_tgt_dev *nexus);

/* ------------------------------------------- commands: transport side ---- */

/*
 * A new command from @sess for the LUN in SAM format (@lun, 8 bytes usually)
 * with @cdb. Never fails for bad input: a bad LUN or CDB is reported to the
 * initiator with sense data once the command runs. NULL only when out of
 * memory.
 */
struct scst_cmd *scst_rx_cmd(struct scst_session *sess, const uint8_t *lun,
			     unsigned int lun_len, const uint8_t *cdb,
			     unsigned int cdb_len);
void scst_cmd_set_tag(struct scst_cmd *cmd, uint64_t tag);
void scst_cmd_set_queue_type(struct scst_cmd *cmd, enum scst_cmd_queue_type qt);
/* What the initiator said it would move (iSCSI EDTL and R/W bits). */
void scst_cmd_set_expected(struct scst_cmd *cmd, enum scst_data_direction dir,
			   uint32_t len);
void scst_cmd_set_tgt_priv(struct scst_cmd *cmd, void *priv);
void *scst_cmd_get_tgt_priv(const struct scst_cmd *cmd);
/* Hand the command to the core. */
void scst_cmd_init_done(struct scst_cmd *cmd, enum scst_exec_context ctx);
/* The Data-Out asked for by rdy_to_xfer() is in the buffer (or failed). */
void scst_rx_data(struct scst_cmd *cmd, enum scst_rx_status status,
		  enum scst_exec_context ctx);
/* The response asked for by xmit_response() is sent (or was dropped). */
void scst_tgt_cmd_done(struct scst_cmd *cmd, enum scst_exec_context ctx);

/* True when the command was aborted: send no response for it. */
bool scst_cmd_aborted_on_xmit(const struct scst_cmd *cmd);
uint8_t scst_cmd_status(const struct scst_cmd *cmd);
/* Sense bytes to send (NULL and 0 when there are none). */
const uint8_t *scst_cmd_sense(const struct scst_cmd *cmd, unsigned int *len);
/* Bytes of Data-In to send. */
uint32_t scst_cmd_resp_data_len(const struct scst_cmd *cmd);
enum scst_resid_kind scst_cmd_resid(const struct scst_cmd *cmd,
				    uint32_t *count);

/* ------------------------------------------------- commands: any side ---- */

/*
 * The data buffer, as a scatter-gather list (scst/scst_sg.h walks it): at
 * most SCST_SG_MAX pieces of at most SCST_BUF_CHUNK bytes, each starting on
 * an SCST_BUF_ALIGN boundary, so that direct I/O (O_DIRECT files, block
 * devices) can use the pieces as they are.
 */
#define SCST_BUF_CHUNK (128u * 1024)
#define SCST_BUF_ALIGN 4096u
#define SCST_SG_MAX    (SCST_MAX_BUFFLEN / SCST_BUF_CHUNK)
/* Number of entries; *sg points at them. Zero when there is no buffer. */
unsigned int scst_cmd_sg(const struct scst_cmd *cmd, struct scst_sg **sg);
/* Size of the buffer the CDB asks for (after the expected-length limit). */
uint32_t scst_cmd_bufflen(const struct scst_cmd *cmd);
enum scst_data_direction scst_cmd_data_direction(const struct scst_cmd *cmd);
uint64_t scst_cmd_tag(const struct scst_cmd *cmd);
const uint8_t *scst_cmd_cdb(const struct scst_cmd *cmd);
unsigned int scst_cmd_cdb_len(const struct scst_cmd *cmd);
uint64_t scst_cmd_lun(const struct scst_cmd *cmd);
/*
 * The command's opcode row (include/scst/scst_opcode.h), looked up once when
 * the core parsed the CDB; NULL before that and for a CDB the core
 * refused. The scst_cdb_*() accessors take it.
 */
const struct scst_cdb_info *scst_cmd_op(const struct scst_cmd *cmd);
/* Decoded by the opcode row for media commands. */
uint64_t scst_cmd_lba(const struct scst_cmd *cmd);
uint32_t scst_cmd_num_blocks(const struct scst_cmd *cmd);
enum scst_cmd_queue_type scst_cmd_queue_type(const struct scst_cmd *cmd);
struct scst_session *scst_cmd_sess(const struct scst_cmd *cmd);
struct scst_device *scst_cmd_dev(const struct scst_cmd *cmd);
struct scst_tgt_dev *scst_cmd_tgt_dev(const struct scst_cmd *cmd);
bool scst_cmd_read_only(const struct scst_cmd *cmd);
/* True once a TMF or nexus loss has aborted the command. */
bool scst_cmd_aborted(const struct scst_cmd *cmd);

/* ---------------------------------------------- commands: handler side ---- */

void scst_cmd_set_dh_priv(struct scst_cmd *cmd, void *priv);
void *scst_cmd_get_dh_priv(const struct scst_cmd *cmd);
/* Refinements from parse(). */
void scst_cmd_set_data_direction(struct scst_cmd *cmd,
				 enum scst_data_direction dir);
void scst_cmd_set_bufflen(struct scst_cmd *cmd, uint32_t len);
void scst_cmd_set_lba(struct scst_cmd *cmd, uint64_t lba, uint32_t nblocks);

/* Results. The first error set on a command wins. */
void scst_set_cmd_error_status(struct scst_cmd *cmd, uint8_t status);
void scst_set_cmd_error(struct scst_cmd *cmd, uint8_t key, uint8_t asc,
			uint8_t ascq);
/* With the INFORMATION field set (e.g. MISCOMPARE offset, bad LBA). */
void scst_set_cmd_error_info(struct scst_cmd *cmd, uint8_t key, uint8_t asc,
			     uint8_t ascq, uint64_t information);
/*
 * Sense for stream commands (SSC-3 4.2.x): @flags is SCST_SENSE_FILEMARK,
 * SCST_SENSE_EOM and SCST_SENSE_ILI or'ed; @information a signed residue
 * (e.g. requested minus actual length: negative for an overlength block),
 * reported when @info_valid. CHECK CONDITION also with key NO SENSE.
 */
void scst_set_cmd_error_stream(struct scst_cmd *cmd, uint8_t key, uint8_t asc,
			       uint8_t ascq, uint8_t flags, bool info_valid,
			       int64_t information);
/* INVALID FIELD IN CDB with the field pointer; @bit < 0: no bit pointer. */
void scst_set_invalid_field_in_cdb(struct scst_cmd *cmd, unsigned int byte,
				   int bit);
void scst_set_invalid_field_in_parm_list(struct scst_cmd *cmd,
					 unsigned int byte, int bit);
/*
 * Status and raw sense bytes as a real device answered them (pass-through
 * handlers). CHECK CONDITION sense in the other format than the device's
 * D_SENSE is re-encoded; other statuses carry no sense. GOOD sets nothing.
 * As the calls above, the first error set wins.
 */
void scst_cmd_set_sense(struct scst_cmd *cmd, uint8_t status,
			const uint8_t *sense, unsigned int len);
bool scst_cmd_has_error(const struct scst_cmd *cmd);
/* Bytes of Data-In produced (default: none for errors, bufflen else). */
void scst_set_resp_data_len(struct scst_cmd *cmd, uint32_t len);
/* Copy @len bytes into the buffer and set the response length. */
uint32_t scst_cmd_copy_to_buf(struct scst_cmd *cmd, const void *src,
			      uint32_t len);
/* Copy up to @len bytes of received data out of the buffer. */
uint32_t scst_cmd_copy_from_buf(struct scst_cmd *cmd, void *dst, uint32_t len);
/*
 * Answer REPORT SUPPORTED OPERATION CODES (SPC-4 6.35) from the opcode rows
 * of the command's device type: every row for which @supported(row, @arg)
 * is true, with its usage data and, on request, its timeout class's
 * timeouts. Sets the response or the sense; the caller completes the
 * command.
 */
void scst_cmd_report_opcodes(struct scst_cmd *cmd,
			     bool (*supported)(const struct scst_cdb_info *ci,
					       void *arg),
			     void *arg);
/* Execution finished (any thread, exactly once after SCST_EXEC_COMPLETED). */
void scst_cmd_exec_done(struct scst_cmd *cmd);

/* Unit attentions raised by handlers and the config plane. */
void scst_dev_set_ua(struct scst_device *dev, uint8_t key, uint8_t asc,
		     uint8_t ascq);
void scst_tgt_dev_set_ua(struct scst_tgt_dev *tgt_dev, uint8_t key, uint8_t asc,
			 uint8_t ascq);
/* On every nexus of @dev but @except (e.g. MODE PARAMETERS CHANGED for
 * the other initiators after a MODE SELECT). */
void scst_dev_set_ua_except(struct scst_device *dev,
			    struct scst_tgt_dev *except, uint8_t key,
			    uint8_t asc, uint8_t ascq);

/*
 * Would a command that changes @dev's medium, sent by @sess's initiator
 * port, conflict with a reservation of @dev (SPC-2 RESERVE by another
 * nexus, or a persistent reservation that does not let this nexus
 * write)? For commands addressed to another device that act on this one
 * (SMC-3 MOVE MEDIUM into a reserved drive: RESERVATION CONFLICT).
 */
bool scst_dev_reservation_conflict(struct scst_device *dev,
				   struct scst_session *sess);

/* ------------------------------------------------------------ ALUA ---- */

/*
 * Asymmetric logical unit access (SPC-4 5.15) is the core's: a device in a
 * device group (config tree device_groups/) reports target port groups,
 * the core answers REPORT TARGET PORT GROUPS and refuses what a port's
 * access state does not allow. Handlers building INQUIRY data ask:
 */
#define SCST_TPGS_IMPLICIT 0x1 /* TPGS bit 0: implicit ALUA */
#define SCST_TPGS_EXPLICIT 0x2 /* TPGS bit 1: SET TARGET PORT GROUPS */
/*
 * The TPGS field (standard INQUIRY byte 5 bits 5-4): 0 in no device group,
 * else SCST_TPGS_IMPLICIT, with SCST_TPGS_EXPLICIT (11b) when the device
 * allows explicit ALUA.
 */
uint8_t scst_dev_tpgs(struct scst_device *dev);
/*
 * Whether the device allows explicit ALUA (set by the handler, e.g. from
 * its expl_alua attribute; default false). With it, a device in a device
 * group reports TPGS 11b and the core executes SET TARGET PORT GROUPS;
 * without it, TPGS 01b and SET TARGET PORT GROUPS is refused. A change of
 * a device in a device group raises INQUIRY DATA HAS CHANGED.
 */
void scst_dev_set_expl_alua(struct scst_device *dev, bool on);
bool scst_dev_expl_alua(struct scst_device *dev);
/*
 * The target port group of the command's target port for its device
 * (VPD 83h designator type 5h): 0 with *@group_id set, or -ENOENT when
 * the device is in no device group or the port in none of its target
 * groups. The port's relative target port identifier (type 4h) is
 * scst_tgt_rel_tgt_id(scst_sess_tgt(scst_cmd_sess(cmd))).
 */
int scst_cmd_tgt_port_group(const struct scst_cmd *cmd, uint16_t *group_id);
/*
 * The target-port designators of the device identification VPD page
 * (83h) for the command's port: relative target port (type 4h) and, when
 * the port is in a target port group, that group (type 5h). Written at
 * @p (room for 16 bytes); returns their length, 8 or 16.
 */
unsigned int scst_cmd_put_port_desigs(const struct scst_cmd *cmd, uint8_t *p);

/* -------------------------------------------------- task management ---- */

struct scst_rx_mgmt_params {
	enum scst_tmf fn;
	const uint8_t *lun; /* SAM LUN, for LU-scoped functions */
	unsigned int lun_len;
	uint64_t tag; /* ABORT TASK, QUERY TASK */
	void *tgt_priv;
};

/*
 * Start a task management function. Its response comes through the
 * template's task_mgmt_fn_done() once every command it aborted has
 * reached on_free_cmd (SAM: the response follows the aborted tasks).
 * Returns -ENOMEM or -EINVAL without calling task_mgmt_fn_done.
 */
int scst_rx_mgmt_fn(struct scst_session *sess,
		    const struct scst_rx_mgmt_params *p);
enum scst_tmf scst_mgmt_cmd_fn(const struct scst_mgmt_cmd *mcmd);
enum scst_mgmt_status scst_mgmt_cmd_status(const struct scst_mgmt_cmd *mcmd);
void *scst_mgmt_cmd_get_tgt_priv(const struct scst_mgmt_cmd *mcmd);
struct scst_session *scst_mgmt_cmd_sess(const struct scst_mgmt_cmd *mcmd);
/* Number of commands this function aborted. */
unsigned int scst_mgmt_cmd_aborted_count(const struct scst_mgmt_cmd *mcmd);

/* -------------------------------------------- transport-run workers ---- */

/*
 * A transport thread that receives for some sessions can be their worker
 * too, so that a command runs from its receipt to its response without a
 * hand-off between threads (each hand-off is a wake-up and, with more
 * busy threads than CPUs, a context switch). The thread calls
 * scst_worker_attach() once; sessions registered with
 * scst_register_session_on(..., w, ...) then run there:
 * scst_cmd_init_done(cmd, SCST_CONTEXT_DIRECT) and the other DIRECT
 * answers made on that thread continue the command at once. What other
 * threads queue for it (I/O completions, task management) is run by
 * scst_worker_run(). Its loop:
 *
 *   for (;;) {
 *           scst_worker_run(w);
 *           if (!scst_worker_idle(w))
 *                   continue;            (work came in meanwhile)
 *           wait for events;             (its own poll; @kick ends it)
 *           handle them;
 *   }
 *
 * @kick(@arg) is called from any thread, with no core lock held, when
 * work is queued while the worker is idle (after scst_worker_idle()
 * returned true and before the next scst_worker_run()); it must end the
 * thread's wait (e.g. write an eventfd that it polls). The thread must not
 * block elsewhere while it has sessions. Returns NULL without memory.
 */
struct scst_worker *scst_worker_attach(void (*kick)(void *arg), void *arg);
/* After every session on it is gone (their done callbacks ran). */
void scst_worker_detach(struct scst_worker *w);
/* Run everything queued for @w; on its own thread only. */
void scst_worker_run(struct scst_worker *w);
/*
 * Completions polled by the workers. A transport-run worker that waits on
 * file descriptors gives the core one that ends its wait when it becomes
 * readable (an eventfd; its kick may write the same one):
 * scst_worker_set_wake_fd(). A handler whose I/O can signal such an fd
 * (libaio's io_set_eventfd, io_uring's registered eventfd) asks for the fd
 * of the worker its command runs on, scst_cmd_wake_fd() (-1: none, use
 * another way), and registers a poller: every transport-run worker calls
 * every registered poller in scst_worker_run(), so the completion is
 * reaped, and the command continues, on a worker, with no thread of the
 * handler's own woken in between. poll() returns true if it completed
 * anything; it must not block and may run on several workers at once.
 * Unregister only when no I/O that signals a worker is in flight.
 */
struct scst_poller {
	bool (*poll)(struct scst_poller *p);
	/* owned by the core */
	struct scst_list_head entry__;
};
void scst_register_poller(struct scst_poller *p);
void scst_unregister_poller(struct scst_poller *p);
void scst_worker_set_wake_fd(struct scst_worker *w, int fd);
int scst_cmd_wake_fd(const struct scst_cmd *cmd);
/*
 * True when the calling thread is the transport-run worker of @cmd's
 * session: it runs the pollers (scst_worker_run) before it next waits, so
 * a poller may flush work deferred on this thread (e.g. submissions
 * gathered into one system call per round).
 */
bool scst_cmd_on_polling_worker(const struct scst_cmd *cmd);
/* About to wait: true if nothing is queued (then kicks are armed). */
bool scst_worker_idle(struct scst_worker *w);

/* ------------------------------------------------- control requests ---- */

/*
 * Requests a module answers on the daemon's control socket (e.g. the
 * iSCSI login daemon's queries and connection hand-off). One request per
 * connection; the handler may talk further with the client on @fd (it is
 * non-blocking) and puts its answer, one or more lines, in @reply.
 * Returns 0, or a negative errno and the client gets "error <reason>".
 */
struct scst_ctl_handler {
	const char *name;
	int (*handle)(int fd, const char *args, char *reply, size_t size);
	struct scst_list_head entry__; /* owned by the core */
};
int scst_register_ctl_handler(struct scst_ctl_handler *h);
void scst_unregister_ctl_handler(struct scst_ctl_handler *h);
/* Run the handler called @name; -ENOENT if no module registered one. */
int scst_ctl_dispatch(const char *name, int fd, const char *args, char *reply,
		      size_t size);

/*
 * TransportIDs (SPC-4 7.6.4) for get_initiator_port_transport_id. An
 * iSCSI one (7.6.4.6, protocol identifier 5h): with @isid NULL, format 00b
 * holding the name; else format 01b, "NAME,i,0x" and the 6-byte ISID in
 * 12 hex digits. NUL-padded to a multiple of 4. Returns the length or
 * -EINVAL (name empty or too long for @size).
 */
#define SCST_TID_MAX 256
int scst_build_iscsi_transport_id(const char *name, const uint8_t *isid,
				  uint8_t *buf, unsigned int size);

/* LUN helpers: SAM 8-byte LUN <-> number (peripheral and flat formats). */
#define SCST_NO_LUN ((uint64_t)-1)
uint64_t scst_unpack_lun(const uint8_t *lun, unsigned int len);
void scst_pack_lun(uint64_t lun, enum scst_addr_method m, uint8_t out[8]);

#endif /* SCST_H */
