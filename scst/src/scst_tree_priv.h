/* SPDX-License-Identifier: GPL-2.0-only */
/* The core's internal view of the configuration tree (scst_tree*.c). */
#ifndef SCST_TREE_PRIV_H
#define SCST_TREE_PRIV_H

#include "scst/scst_tree.h"

struct scst_acg;
struct scst_acg_dev;
struct scst_acn;
struct scst_mutex;

/* Serializes every write to the tree (configuration changes). */
extern struct scst_mutex scst_cfg_mutex;
extern const struct scst_attr scst_last_res_attr;

int scst_tree_init(void);
void scst_tree_exit(void);
struct scst_tnode *scst_tree_mkdir(struct scst_tnode *dir, const char *name);
int scst_tree_add_attrs(struct scst_tnode *dir,
			const struct scst_attr *const *attrs, void *obj);
int scst_tree_symlink(struct scst_tnode *dir, const char *name,
		      struct scst_tnode *target);
/* Remove @n and its subtree; waits for readers and writers of them. */
void scst_tree_remove(struct scst_tnode *n);
/*
 * The same in two steps, for removals whose waiting must not hold a core
 * lock (a store() in progress may be waiting for that lock): unlink (no
 * new users; cheap, any context), then destroy (waits, then frees).
 */
void scst_tree_unlink(struct scst_tnode *n);
void scst_tree_destroy_unlinked(struct scst_tnode *n);
struct scst_tnode *scst_tree_lookup(struct scst_tnode *dir, const char *name);

/* scst_tree_mgmt.c: the mgmt files' store() callbacks. */
int scst_devt_mgmt_store(void *obj, const char *cmd, struct scst_mgmt_res *res);
int scst_tgtt_mgmt_store(void *obj, const char *cmd, struct scst_mgmt_res *res);
int scst_luns_mgmt_store(void *obj, const char *cmd, struct scst_mgmt_res *res);
int scst_groups_mgmt_store(void *obj, const char *cmd,
			   struct scst_mgmt_res *res);
int scst_inis_mgmt_store(void *obj, const char *cmd, struct scst_mgmt_res *res);

/* scst_tree_objs.c: the standard layout, kept in step with the objects. */
int scst_tree_objs_init(void);
void scst_tree_objs_exit(void);
void scst_tree_add_devt(struct scst_dev_type *dt);
void scst_tree_del_devt(struct scst_dev_type *dt);
void scst_tree_add_dev(struct scst_device *dev);
void scst_tree_del_dev(struct scst_device *dev);
void scst_tree_add_tgtt(struct scst_tgt_template *t);
void scst_tree_del_tgtt(struct scst_tgt_template *t);
void scst_tree_add_tgt(struct scst_tgt *tgt);
void scst_tree_del_tgt(struct scst_tgt *tgt);
/* Under scst_mutex: unlink the target's subtree and forget every pointer
 * into it; returns it for scst_tree_destroy_unlinked() outside the lock. */
struct scst_tnode *scst_tree_detach_tgt(struct scst_tgt *tgt);
void scst_tree_add_acg(struct scst_acg *acg);
void scst_tree_del_acg(struct scst_acg *acg);
void scst_tree_add_lun(struct scst_acg_dev *ad);
void scst_tree_del_lun(struct scst_acg_dev *ad);
void scst_tree_add_ini(struct scst_acg *acg, struct scst_acn *acn);
void scst_tree_del_ini(struct scst_acg *acg, struct scst_acn *acn);
void scst_tree_add_sess(struct scst_session *sess);
void scst_tree_del_sess(struct scst_session *sess);

#endif /* SCST_TREE_PRIV_H */
