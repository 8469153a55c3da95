// SPDX-License-Identifier: GPL-2.0-only
/*
 * A tiny persistent-reservation client for the integration tests (built
 * by tests/integration/iscsi_pr_cu.sh with libiscsi and lib/iscsi_client.h;
 * not part of `make`):
 *
 *   pr_client URL INITIATOR register KEY [aptpl]
 *   pr_client URL INITIATOR register-reserve KEY TYPE [aptpl]
 *   pr_client URL INITIATOR read-keys        -> "generation G keys K1 K2 ..."
 *   pr_client URL INITIATOR read-reservation -> "key K type T" or "none"
 *   pr_client URL INITIATOR write            -> "GOOD" or the SCSI status
 *
 * Keys are hexadecimal. Exit status 0 on GOOD, 1 otherwise. Each run is a
 * new iSCSI session with a new ISID, that is a new initiator port (I_T
 * nexus): register-reserve does both in one session.
 */
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "lib/iscsi_client.h"

/* GOOD after unit attentions are consumed (a few TEST UNIT READYs). */
static void clear_ua(struct iscsi_context *iscsi, int lun)
{
	int i;

	for (i = 0; i < 8; i++) {
		struct scsi_task *t = iscsi_testunitready_sync(iscsi, lun);
		int good = t && t->status == SCSI_STATUS_GOOD;

		if (t)
			scsi_free_scsi_task(t);
		if (good || !t)
			return;
	}
}

static int done(struct scsi_task *t, struct iscsi_context *iscsi)
{
	int ok = t && t->status == SCSI_STATUS_GOOD;

	if (!t)
		fprintf(stderr, "error: %s\n", iscsi_get_error(iscsi));
	else if (!ok)
		printf("status 0x%02x\n", t->status);
	if (t)
		scsi_free_scsi_task(t);
	return ok ? 0 : 1;
}

int main(int argc, char **argv)
{
	struct scsi_persistent_reserve_out_basic po;
	struct iscsi_context *iscsi;
	struct scsi_task *t = NULL;
	int lun = 0, rc = 1;

	if (argc < 4) {
		fprintf(stderr, "usage: pr_client URL INITIATOR ACTION ...\n");
		return 2;
	}
	iscsi = it_client_login(argv[1], argv[2], &lun, 1);
	if (!iscsi)
		return 1;
	clear_ua(iscsi, lun);
	memset(&po, 0, sizeof(po));
	if (!strcmp(argv[3], "register") && argc >= 5) {
		po.service_action_reservation_key = strtoull(argv[4], NULL, 16);
		po.aptpl = argc >= 6 && !strcmp(argv[5], "aptpl");
		t = iscsi_persistent_reserve_out_sync(
		    iscsi, lun,
		    SCSI_PERSISTENT_RESERVE_REGISTER_AND_IGNORE_EXISTING_KEY,
		    SCSI_PERSISTENT_RESERVE_SCOPE_LU, 0, &po);
		rc = done(t, iscsi);
	} else if (!strcmp(argv[3], "register-reserve") && argc >= 6) {
		po.service_action_reservation_key = strtoull(argv[4], NULL, 16);
		po.aptpl = argc >= 7 && !strcmp(argv[6], "aptpl");
		t = iscsi_persistent_reserve_out_sync(
		    iscsi, lun,
		    SCSI_PERSISTENT_RESERVE_REGISTER_AND_IGNORE_EXISTING_KEY,
		    SCSI_PERSISTENT_RESERVE_SCOPE_LU, 0, &po);
		rc = done(t, iscsi);
		if (rc)
			goto out;
		memset(&po, 0, sizeof(po));
		po.reservation_key = strtoull(argv[4], NULL, 16);
		t = iscsi_persistent_reserve_out_sync(
		    iscsi, lun, SCSI_PERSISTENT_RESERVE_RESERVE,
		    SCSI_PERSISTENT_RESERVE_SCOPE_LU, atoi(argv[5]), &po);
		rc = done(t, iscsi);
	} else if (!strcmp(argv[3], "read-keys")) {
		struct scsi_persistent_reserve_in_read_keys *rk;
		int i;

		t = iscsi_persistent_reserve_in_sync(
		    iscsi, lun, SCSI_PERSISTENT_RESERVE_READ_KEYS, 1024);
		if (t && t->status == SCSI_STATUS_GOOD &&
		    (rk = scsi_datain_unmarshall(t))) {
			printf("generation %" PRIu32 " keys", rk->prgeneration);
			for (i = 0; i < rk->num_keys; i++)
				printf(" %" PRIx64, rk->keys[i]);
			printf("\n");
		}
		rc = done(t, iscsi);
	} else if (!strcmp(argv[3], "read-reservation")) {
		struct scsi_persistent_reserve_in_read_reservation *rr;

		t = iscsi_persistent_reserve_in_sync(
		    iscsi, lun, SCSI_PERSISTENT_RESERVE_READ_RESERVATION, 1024);
		if (t && t->status == SCSI_STATUS_GOOD &&
		    (rr = scsi_datain_unmarshall(t))) {
			if (rr->reserved)
				printf("key %" PRIx64 " type %d\n",
				       rr->reservation_key, rr->pr_type);
			else
				printf("none\n");
		}
		rc = done(t, iscsi);
	} else if (!strcmp(argv[3], "write")) {
		unsigned char buf[512] = {0};

		t = iscsi_write10_sync(iscsi, lun, 0, buf, sizeof(buf), 512, 0,
				       0, 0, 0, 0);
		rc = done(t, iscsi);
		if (!rc)
			printf("GOOD\n");
	} else {
		fprintf(stderr, "unknown action %s\n", argv[3]);
		rc = 2;
	}
out:
	it_client_logout(iscsi);
	return rc;
}
