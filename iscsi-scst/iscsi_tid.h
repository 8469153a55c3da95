/* SPDX-License-Identifier: GPL-2.0-only */
/* The iSCSI initiator port's TransportID (iscsi_tid.c). */
#ifndef ISCSI_TID_H
#define ISCSI_TID_H

#include "scst/scst.h"

int iscsi_get_initiator_port_transport_id(struct scst_session *sess,
					  uint8_t *buf, unsigned int size);

#endif /* ISCSI_TID_H */
