/* SPDX-License-Identifier: GPL-2.0-only */
/* Internal to the pass-through handlers. */
#ifndef PT_PRIV_H
#define PT_PRIV_H

#include "dev_handlers/passthrough/pt.h"
#include "dev_handlers/passthrough/pt_backend.h"
#include "scst/os.h"

#define PT_NAME_MAX 64
#define PT_PATH_MAX 256

enum pt_state {
	PT_ONLINE = 0,
	PT_GONE, /* the device disappeared: NOT READY until del_device */
};

struct pt_dev {
	char name[PT_NAME_MAX];
	char path[PT_PATH_MAX];	    /* /dev/sgN opened */
	char filename[PT_PATH_MAX]; /* as given (add_device filename=) */
	char hctl[32];		    /* H:C:I:L */
	struct scst_device *dev;
	struct pt_backend *be;
	uint32_t max_transfer; /* bytes; 0: no limit known */
	struct scst_spinlock lock;
	enum pt_state state;	     /* under lock */
	unsigned long in_flight;     /* under lock */
	unsigned long cmds_done;     /* under lock */
	unsigned long errors;	     /* not GOOD from the device; under lock */
	unsigned long host_errors;   /* no SCSI answer; under lock */
	unsigned long resets;	     /* under lock */
	struct scst_list_head entry; /* in pt_devs */
};

/* pt_sysfs.c: finding the device (platform edge). */
struct pt_sysfs_dev {
	char sg[32];		 /* "sg3" */
	char hctl[32];		 /* "3:0:0:1" */
	int type;		 /* peripheral device type, -1: unknown */
	uint32_t max_sectors_kb; /* 0: none (no block device) */
};
int pt_sysfs_set_root(const char *root);
/* By "H:C:I:L". -ENOENT if no such device or no sg for it. */
int pt_sysfs_by_hctl(const char *hctl, struct pt_sysfs_dev *out);
/* By a device path: /dev/sgN, /dev/sdX, /dev/stN, a by-id link, ... */
int pt_sysfs_by_path(const char *path, struct pt_sysfs_dev *out);

/* pt_exec.c: the command path. */
void pt_exec_init(void);
extern struct scst_os_cache *pt_req_cache;
struct pt_sync {
	struct pt_req req;
	struct scst_completion done;
};
int pt_parse(struct scst_cmd *cmd);
int pt_exec(struct scst_cmd *cmd);
void pt_backend_done(struct pt_backend *b, struct pt_req *r);
void pt_complete(struct pt_dev *d, struct scst_cmd *cmd, struct pt_req *r);
void pt_set_gone(struct pt_dev *d);
bool pt_is_gone(struct pt_dev *d);
int pt_sync_cmd(struct pt_dev *d, const uint8_t *cdb, unsigned int cdb_len,
		void *buf, uint32_t len, uint8_t *sense_key, uint8_t *asc);

#endif /* PT_PRIV_H */
