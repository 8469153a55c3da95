/* SPDX-License-Identifier: GPL-2.0-only */
/* The iSCSI target driver as a module of scstd's module table. */
#ifndef ISCSI_MODULE_H
#define ISCSI_MODULE_H

#include "scst/scst.h"

extern const struct scst_module iscsi_module;

#endif /* ISCSI_MODULE_H */
