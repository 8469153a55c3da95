// SPDX-License-Identifier: GPL-2.0-only
/*
 * A small ALUA client for the integration tests (built by
 * tests/integration/iscsi_alua_cu.sh with libiscsi and lib/iscsi_client.h;
 * not part of `make`).
 * Each run is one iSCSI session (a new I_T nexus) on URL's target:
 *
 *   alua_client URL INI rtpg FORMAT   REPORT TARGET PORT GROUPS, format 0
 *                                     or 1; one line per descriptor:
 *                                     "tpg G state S pref P status C ports
 *                                     R1,R2,..." after "len N ext E itt T"
 *   alua_client URL INI inquiry       "tpgs T rel R tpg G naa HEX" (TPGS
 *                                     field, VPD 83h designators 4h and 5h,
 *                                     the LU's NAA designator)
 *   alua_client URL INI read          READ(10) of block 0: "GOOD" or
 *                                     "sense K/ASC/ASCQ" (hex)
 *   alua_client URL INI stpg S:G ...  SET TARGET PORT GROUPS, one
 *                                     descriptor per argument (state code
 *                                     S and group id G, hexadecimal S):
 *                                     "GOOD" or "sense K/ASC/ASCQ"
 *   alua_client URL INI watch FILE    unit attentions consumed with REQUEST
 *                                     SENSE, prints "ready", waits (20 s at
 *                                     most) for FILE to exist, then prints
 *                                     two READ(10) results as above
 *
 * Exit status 0 when the command(s) ran (whatever their status), 1 on a
 * login or transport error, 2 on bad arguments.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "lib/iscsi_client.h"

/* Consume the pending unit attentions with REQUEST SENSE. */
static void drain_ua(struct iscsi_context *iscsi, int lun)
{
	unsigned char cdb[6] = {0x03, 0, 0, 0, 252, 0};
	int i;

	for (i = 0; i < 16; i++) {
		struct scsi_task *t =
		    scsi_create_task(6, cdb, SCSI_XFER_READ, 252);
		int more;

		if (!t)
			return;
		t = iscsi_scsi_command_sync(iscsi, lun, t, NULL);
		more = t && t->status == SCSI_STATUS_GOOD &&
		       t->datain.size >= 14 && (t->datain.data[2] & 0x0f) != 0;
		if (t)
			scsi_free_scsi_task(t);
		if (!more)
			return;
	}
}

static void print_result(struct scsi_task *t)
{
	if (t->status == SCSI_STATUS_GOOD)
		printf("GOOD\n");
	else if (t->status == SCSI_STATUS_CHECK_CONDITION)
		printf("sense %x/%02x/%02x\n", t->sense.key,
		       (t->sense.ascq >> 8) & 0xff, t->sense.ascq & 0xff);
	else
		printf("status 0x%02x\n", t->status);
}

static int do_read(struct iscsi_context *iscsi, int lun)
{
	struct scsi_task *t =
	    iscsi_read10_sync(iscsi, lun, 0, 512, 512, 0, 0, 0, 0, 0);

	if (!t) {
		fprintf(stderr, "read: %s\n", iscsi_get_error(iscsi));
		return 1;
	}
	print_result(t);
	scsi_free_scsi_task(t);
	return 0;
}

static unsigned int be16(const unsigned char *p)
{
	return (unsigned int)p[0] << 8 | p[1];
}

static unsigned int be32(const unsigned char *p)
{
	return (unsigned int)p[0] << 24 | (unsigned int)p[1] << 16 |
	       (unsigned int)p[2] << 8 | p[3];
}

static int do_rtpg(struct iscsi_context *iscsi, int lun, int format)
{
	unsigned char cdb[12] = {0xa3, (unsigned char)(format << 5 | 0x0a),
				 0,    0,
				 0,    0,
				 0,    0,
				 0x04, 0,
				 0,    0};
	struct scsi_task *t = scsi_create_task(12, cdb, SCSI_XFER_READ, 1024);
	unsigned int len, off, k, n;
	unsigned char *d;

	if (!t)
		return 1;
	t = iscsi_scsi_command_sync(iscsi, lun, t, NULL);
	if (!t) {
		fprintf(stderr, "rtpg: %s\n", iscsi_get_error(iscsi));
		return 1;
	}
	if (t->status != SCSI_STATUS_GOOD || t->datain.size < 4) {
		print_result(t);
		scsi_free_scsi_task(t);
		return 0;
	}
	d = t->datain.data;
	len = be32(d) + 4;
	off = format ? 8 : 4;
	printf("len %u ext %u itt %u got %d\n", len,
	       format ? (d[4] >> 4) & 7 : 0, format ? d[5] : 0, t->datain.size);
	while (off + 8 <= len && off + 8 <= (unsigned int)t->datain.size) {
		n = d[off + 7];
		printf("tpg %u state %x pref %u sup %02x status %u ports",
		       be16(d + off + 2), d[off] & 0x0f, d[off] >> 7,
		       d[off + 1], d[off + 5]);
		for (k = 0; k < n; k++)
			printf("%c%u", k ? ',' : ' ',
			       be16(d + off + 8 + 4 * k + 2));
		printf("\n");
		off += 8 + 4 * n;
	}
	if (off != len)
		printf("bad length: descriptors end at %u\n", off);
	scsi_free_scsi_task(t);
	return 0;
}

static int do_inquiry(struct iscsi_context *iscsi, int lun)
{
	struct scsi_task *t = iscsi_inquiry_sync(iscsi, lun, 0, 0, 255);
	int tpgs, rel = -1, tpg = -1;
	unsigned int off, end, k;
	char naa[40] = "none";

	if (!t || t->status != SCSI_STATUS_GOOD || t->datain.size < 6)
		return 1;
	tpgs = (t->datain.data[5] >> 4) & 3;
	scsi_free_scsi_task(t);
	t = iscsi_inquiry_sync(iscsi, lun, 1, 0x83, 255);
	if (!t || t->status != SCSI_STATUS_GOOD || t->datain.size < 4)
		return 1;
	end = 4 + be16(t->datain.data + 2);
	if (end > (unsigned int)t->datain.size)
		end = (unsigned int)t->datain.size;
	for (off = 4; off + 4 <= end; off += 4u + t->datain.data[off + 3]) {
		unsigned char *p = t->datain.data + off;
		unsigned int assoc = (p[1] >> 4) & 3, type = p[1] & 0x0f;

		if (assoc == 1 && type == 4 && p[3] == 4)
			rel = (int)be16(p + 6);
		else if (assoc == 1 && type == 5 && p[3] == 4)
			tpg = (int)be16(p + 6);
		else if (assoc == 0 && type == 3 && p[3] <= 16)
			for (k = 0; k < p[3]; k++)
				sprintf(naa + 2 * k, "%02x", p[4 + k]);
	}
	scsi_free_scsi_task(t);
	printf("tpgs %d rel %d tpg ", tpgs, rel);
	if (tpg < 0)
		printf("none");
	else
		printf("%d", tpg);
	printf(" naa %s\n", naa);
	return 0;
}

static int do_stpg(struct iscsi_context *iscsi, int lun, int n, char **desc)
{
	unsigned char cdb[12] = {0xa4, 0x0a}, list[4 + 4 * 16];
	unsigned int len = 4 + 4 * (unsigned int)n, st, grp;
	struct scsi_task *t;
	struct iscsi_data d;
	int i;

	if (n > 16)
		return 2;
	memset(list, 0, sizeof(list));
	for (i = 0; i < n; i++) {
		if (sscanf(desc[i], "%x:%u", &st, &grp) != 2)
			return 2;
		list[4 + 4 * i] = (unsigned char)(st & 0x0f);
		list[4 + 4 * i + 2] = (unsigned char)(grp >> 8);
		list[4 + 4 * i + 3] = (unsigned char)grp;
	}
	cdb[9] = (unsigned char)len;
	t = scsi_create_task(12, cdb, SCSI_XFER_WRITE, (int)len);
	if (!t)
		return 1;
	d.data = list;
	d.size = (int)len;
	t = iscsi_scsi_command_sync(iscsi, lun, t, &d);
	if (!t) {
		fprintf(stderr, "stpg: %s\n", iscsi_get_error(iscsi));
		return 1;
	}
	print_result(t);
	scsi_free_scsi_task(t);
	return 0;
}

static int do_watch(struct iscsi_context *iscsi, int lun, const char *file)
{
	int i;

	drain_ua(iscsi, lun);
	printf("ready\n");
	fflush(stdout);
	for (i = 0; i < 400 && access(file, F_OK) != 0; i++)
		usleep(50 * 1000);
	if (do_read(iscsi, lun))
		return 1;
	return do_read(iscsi, lun);
}

int main(int argc, char **argv)
{
	struct iscsi_context *iscsi;
	int lun = 0, rc;

	if (argc < 4) {
		fprintf(stderr,
			"usage: alua_client URL INITIATOR ACTION ...\n");
		return 2;
	}
	iscsi = it_client_login(argv[1], argv[2], &lun, 0);
	if (!iscsi)
		return 1;
	if (!strcmp(argv[3], "rtpg") && argc >= 5) {
		drain_ua(iscsi, lun);
		rc = do_rtpg(iscsi, lun, atoi(argv[4]));
	} else if (!strcmp(argv[3], "inquiry")) {
		rc = do_inquiry(iscsi, lun);
	} else if (!strcmp(argv[3], "read")) {
		drain_ua(iscsi, lun);
		rc = do_read(iscsi, lun);
	} else if (!strcmp(argv[3], "stpg") && argc >= 5) {
		drain_ua(iscsi, lun);
		rc = do_stpg(iscsi, lun, argc - 4, argv + 4);
	} else if (!strcmp(argv[3], "watch") && argc >= 5) {
		rc = do_watch(iscsi, lun, argv[4]);
	} else {
		fprintf(stderr, "unknown action %s\n", argv[3]);
		rc = 2;
	}
	it_client_logout(iscsi);
	return rc;
}
