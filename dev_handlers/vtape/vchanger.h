/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * The vchanger handler: the robot of the virtual tape library, a SCSI
 * medium changer (peripheral type 08h, SMC-3) whose data transfer
 * elements are vtape drives (vtape.h) and whose cartridges are files
 * <media_dir>/<barcode>. Internal header of its files:
 *   vchanger_main.c   handler type, add_device parameters, attributes,
 *                     the operator's insert/remove, device life
 *   vchanger_elem.c   the element table: addresses, drives found by name,
 *                     restoring cartridges into drives, the state file
 *   vchanger_smc.c    SMC-3 commands: READ ELEMENT STATUS, MOVE MEDIUM,
 *                     POSITION TO ELEMENT, INITIALIZE ELEMENT STATUS
 *                     (WITH RANGE), PREVENT ALLOW MEDIUM REMOVAL
 *   vchanger_spc.c    exec dispatch, INQUIRY (+VPD), MODE SENSE/SELECT,
 *                     REPORT SUPPORTED OPERATION CODES, TEST UNIT READY
 * Kernel-portable: scst.h and os.h only; blocking work (the state file,
 * creating cartridges) runs in mgmt writes or on the module's work queue,
 * never on a core worker.
 *
 * Element addresses (fixed; mhvtl's layout, so that scripts written for
 * mhvtl find the same numbers; mtx and Linux ch accept any):
 *   data transfer (drives)   0x0001 + i   i < 255
 *   medium transport (robot) 0x0100       one
 *   import/export            0x0200 + i   i < 512
 *   storage                  0x0400 + i   i < 64512
 * The element table keeps them in that (ascending address) order.
 *
 * Locking: vc->lock (a spinlock) guards the element table and the
 * drives' cached status; nothing that may sleep and no
 * call into vtape or the core runs under it. vc->save_mutex orders the
 * state file writes. Moves: the core runs SMC commands one at a time per
 * changer (their rows are SCST_SER_EXCL); an element under a drive
 * operation is "busy" until that ends, and other moves and the operator
 * leave it alone meanwhile.
 */
#ifndef VCHANGER_H
#define VCHANGER_H

#include "scst/byteorder.h"
#include "scst/os.h"
#include "scst/scst.h"
#include "dev_handlers/vtape/vtape.h"

/* SMC-3 element type codes (READ ELEMENT STATUS, 6.10). */
enum vchg_type {
	VCHG_T_ALL = 0,
	VCHG_T_MT = 1, /* medium transport */
	VCHG_T_ST = 2, /* storage */
	VCHG_T_IE = 3, /* import/export */
	VCHG_T_DT = 4, /* data transfer */
};

#define VCHG_ADDR_DT	0x0001u
#define VCHG_ADDR_MT	0x0100u
#define VCHG_ADDR_IE	0x0200u
#define VCHG_ADDR_ST	0x0400u
#define VCHG_MAX_DRIVES (VCHG_ADDR_MT - VCHG_ADDR_DT)
#define VCHG_MAX_IE	(VCHG_ADDR_ST - VCHG_ADDR_IE)
#define VCHG_MAX_SLOTS	(0x10000u - VCHG_ADDR_ST)
#define VCHG_DEF_IE	1u
#define VCHG_DEF_CAP	(1ull << 30) /* 1 GiB, grown on demand */
#define VCHG_MIN_CAP	(1ull << 20) /* vtape_cart_format's minimum */
#define VCHG_BC_LEN	32	     /* volume identifier (SMC-3 table 36) */
#define VCHG_PATH_MAX	1024
#define VCHG_NAME_MAX	64
#define VCHG_STATE_MAX	(4u << 20)
/* DVCID: T10 vendor ID designator: vendor 8 + product 16 + serial. */
#define VCHG_DVCID_LEN (8 + 16 + 32)

struct vchg_elem {
	uint16_t addr;
	uint8_t type; /* enum vchg_type */
	bool full;    /* holds the cartridge @barcode */
	bool svalid;  /* @src is where it came from */
	bool impexp;  /* I/E: placed there by the operator */
	bool busy;    /* a drive operation is under way */
	/* Data transfer: the table had the cartridge in the drive before
	 * the drive was seen (the state file, a drive that went away); put
	 * it back when the drive is found empty. */
	bool restore;
	uint16_t src;	 /* source element address */
	int restore_err; /* data transfer: the last put-back failed */
	char barcode[VCHG_BC_LEN + 1];
};

/* A data transfer element's drive, as last seen (for READ ELEMENT STATUS
 * and the attributes; refreshed before every SMC command). */
struct vchg_drive {
	char *name;	/* vtape device name */
	bool present;	/* a vtape device of that name exists */
	bool prevented; /* its medium removal is prevented */
	struct vtape_ident id;
};

/* Creation parameters that were given (attribute "[key]" rules). */
#define VCHG_P_IE	0x1
#define VCHG_P_CAP	0x2
#define VCHG_P_BARCODES 0x4

struct vchg_dev {
	struct scst_device *dev;
	struct scst_list_head entry; /* vchg_devs, under vchg_mutex */
	char *name;
	char *media_dir;
	char *drives_param;   /* "drive0,drive1" as given */
	char *barcodes_param; /* as given, or NULL */
	uint64_t capacity;
	unsigned int given; /* VCHG_P_* */
	unsigned int ndrives, nie, nslots, nelem;
	struct vchg_drive *drive;
	struct vchg_elem *elem; /* [drives][robot][I/E][storage] */

	/* INQUIRY identity, from the name. */
	char usn[16];
	uint8_t naa[16];

	struct scst_spinlock lock;
	struct scst_mutex save_mutex;
	struct scst_work save_work; /* persist from a non-blocking context */
	scst_atomic_t inflight;	    /* drive operations and their work */
};

static inline struct vchg_dev *vchg_of(struct scst_cmd *cmd)
{
	return scst_dev_get_dh_priv(scst_cmd_dev(cmd));
}

/* Index of the first element of each kind. */
static inline unsigned int vchg_first(const struct vchg_dev *vc,
				      enum vchg_type t)
{
	switch (t) {
	case VCHG_T_DT:
		return 0;
	case VCHG_T_MT:
		return vc->ndrives;
	case VCHG_T_IE:
		return vc->ndrives + 1;
	default:
		return vc->ndrives + 1 + vc->nie;
	}
}

/* ---- vchanger_main.c ---- */
/* The module's work queue (one thread): state writes, move completions. */
void vchg_queue(struct scst_work *w);
/* @barcode is a valid volume identifier and file name: 1..32 printable
 * ASCII characters, no blank, no '/', not starting with '.'. */
bool vchg_barcode_ok(const char *barcode);

/* ---- vchanger_elem.c ---- */
/* Allocate and lay out the element table from the counts. */
int vchg_elem_init(struct vchg_dev *vc);
void vchg_elem_free(struct vchg_dev *vc);
/* The element at SCSI address @addr, or NULL. */
struct vchg_elem *vchg_elem_at(struct vchg_dev *vc, unsigned int addr);
/* The element holding @barcode (under vc->lock), or NULL. */
struct vchg_elem *vchg_elem_find(struct vchg_dev *vc, const char *barcode);
static inline unsigned int vchg_drive_index(const struct vchg_dev *vc,
					    const struct vchg_elem *e)
{
	return (unsigned int)(e - vc->elem);
}
/* The empty, idle storage element to put a stray cartridge in (under
 * vc->lock): @prefer if it is one, else the first; NULL when full. */
struct vchg_elem *vchg_elem_stray_home(struct vchg_dev *vc,
				       unsigned int prefer);
/* Move the table's record of a cartridge from @src to @dst, which
 * records @src as its source (under vc->lock). */
void vchg_elem_move(struct vchg_elem *src, struct vchg_elem *dst);
const char *vchg_type_name(enum vchg_type t);

/*
 * Look at every drive (scst_find_device), cache what READ ELEMENT STATUS
 * reports, adopt a cartridge found in a drive, and put back into an empty
 * drive the cartridge the table says it holds (vtape_drive_put; with
 * @retry also after a failed attempt). May sleep briefly (scst_mutex):
 * commands' exec and mgmt writes only.
 */
void vchg_refresh(struct vchg_dev *vc, bool retry);
/* The drive device of data transfer element @i if it is a vtape drive. */
struct scst_device *vchg_drive_dev(struct vchg_dev *vc, unsigned int i);
/* "<media_dir>/<barcode>" into @buf; -ENAMETOOLONG. */
int vchg_cart_path(const struct vchg_dev *vc, const char *barcode, char *buf,
		   size_t size);

/*
 * The state file <state dir>/vchanger.<name>: which cartridge is where.
 * vchg_state_load(): 1 when a state file was read into the table, 0
 * when there is none (or no state directory), -errno with a message.
 * vchg_state_save(): writes it now (blocking); vchg_state_save_async()
 * queues that on the module's work queue.
 */
int vchg_state_load(struct vchg_dev *vc, struct scst_mgmt_res *res);
int vchg_state_save(struct vchg_dev *vc);
void vchg_state_save_init(struct vchg_dev *vc);
void vchg_state_save_async(struct vchg_dev *vc);

/* The "elements" attribute: one line per element, runs of empty ones
 * folded into a range. */
int vchg_elem_show(struct vchg_dev *vc, char *buf, size_t size);

/* ---- vchanger_smc.c ---- */
int vchg_read_elem_status(struct scst_cmd *cmd, struct vchg_dev *vc);
int vchg_move_medium(struct scst_cmd *cmd, struct vchg_dev *vc);
int vchg_position(struct scst_cmd *cmd, struct vchg_dev *vc);
int vchg_init_elem_status(struct scst_cmd *cmd, struct vchg_dev *vc);
int vchg_prevent_allow(struct scst_cmd *cmd, struct vchg_dev *vc);
/*
 * The door of @vc's import/export elements is locked while a nexus of it
 * prevents medium removal (the core keeps that per I_T nexus and ends it
 * with the nexus and with a reset, SPC-4 6.13).
 */
bool vchg_door_locked(struct vchg_dev *vc);

/* ---- vchanger_spc.c ---- */
int vchg_exec(struct scst_cmd *cmd);
/* Fill vc->usn and vc->naa from the name. */
void vchg_ident_init(struct vchg_dev *vc);

/* Return values of the command functions (as vdisk's). */
enum { VCHG_DONE = 0, VCHG_ASYNC = 1 };

#endif /* VCHANGER_H */
