/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * What the small libiscsi clients of the integration tests share
 * (alua_client.c, pr_client.c: #include "lib/iscsi_client.h", found next
 * to them without any -I, so a plain `cc -o x alua_client.c -liscsi`
 * still builds them): one iSCSI session per run, on the target and LUN
 * of an iscsi:// URL.
 */
#ifndef IT_ISCSI_CLIENT_H
#define IT_ISCSI_CLIENT_H

#include <stdio.h>

#include <iscsi/iscsi.h>
#include <iscsi/scsi-lowlevel.h>

/*
 * Log in as initiator @ini to the target of @url_s; *@lun gets the URL's
 * LUN. With @tur, iscsi_full_connect_sync() (which also sends TEST UNIT
 * READY and gives up on NOT READY); without, only connect and login,
 * which is what a client of a standby port needs. NULL (and a message on
 * stderr) on failure.
 */
static inline struct iscsi_context *
it_client_login(const char *url_s, const char *ini, int *lun, int tur)
{
	struct iscsi_context *iscsi = iscsi_create_context(ini);
	struct iscsi_url *url;
	int err;

	if (!iscsi)
		return NULL;
	url = iscsi_parse_full_url(iscsi, url_s);
	if (!url) {
		fprintf(stderr, "bad URL: %s\n", iscsi_get_error(iscsi));
		iscsi_destroy_context(iscsi);
		return NULL;
	}
	iscsi_set_targetname(iscsi, url->target);
	iscsi_set_session_type(iscsi, ISCSI_SESSION_NORMAL);
	iscsi_set_header_digest(iscsi, ISCSI_HEADER_DIGEST_NONE);
	*lun = url->lun;
	if (tur)
		err = iscsi_full_connect_sync(iscsi, url->portal, url->lun);
	else
		err = iscsi_connect_sync(iscsi, url->portal) ||
		      iscsi_login_sync(iscsi);
	if (err) {
		fprintf(stderr, "login: %s\n", iscsi_get_error(iscsi));
		iscsi_destroy_url(url);
		iscsi_destroy_context(iscsi);
		return NULL;
	}
	iscsi_destroy_url(url);
	return iscsi;
}

/* Log out and free the context. */
static inline void it_client_logout(struct iscsi_context *iscsi)
{
	iscsi_logout_sync(iscsi);
	iscsi_destroy_context(iscsi);
}

#endif
