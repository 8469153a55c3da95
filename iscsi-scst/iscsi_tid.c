// SPDX-License-Identifier: GPL-2.0-only
/*
 * The TransportID of an iSCSI session's initiator port, for persistent
 * reservations (the target template's get_initiator_port_transport_id):
 * SPC-4 7.6.4.6 format 01b, "<initiator name>,i,0x<ISID in 12 hex digits>"
 * (RFC 7143 4.2.7.1: an iSCSI initiator port is named by its iSCSI name
 * and its ISID).
 */
#include <errno.h>
#include <sys/uio.h>

#include "iscsi-scst/iscsi_conn_internal.h"
#include "iscsi-scst/iscsi_tid.h"

int iscsi_get_initiator_port_transport_id(struct scst_session *sess,
					  uint8_t *buf, unsigned int size)
{
	const struct iscsi_sess *s = scst_sess_get_tgt_priv(sess);

	/* The plain initiator name even with per_portal_acl (the core
	 * session's name is then "<initiator>#<portal>"): the port is the
	 * initiator's, whatever portal it came through. */
	if (!s)
		return -ENOENT;
	return scst_build_iscsi_transport_id(s->initiator, s->isid, buf, size);
}
