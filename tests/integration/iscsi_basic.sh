#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0-only
#
# iSCSI end to end on loopback: scstd with a vdisk_nullio LUN on an iscsi
# target, iscsi-scstd on a temporary port, libiscsi's tools as initiator.
# Skipped when iscsi-scstd or libiscsi's tools are missing.
set -uo pipefail
. "$(dirname "$0")/lib/common.bash"
it_need "" "$ISCSID" "$(command -v iscsi-inq)"
it_init
TGT=iqn.2024-01.org.example:basic
INI=iqn.2024-01.org.example:ini

it_start_scstd --threads 2
it_add_device vdisk_nullio nul0 size_mb=64
it_iscsi_target "$TGT" nul0
PORT=
it_start_iscsid
URL=iscsi://127.0.0.1:$PORT/$TGT/0

it_run "iscsi-ls" iscsi-ls -i "$INI" "iscsi://127.0.0.1:$PORT"
grep -q "$TGT" "$tmp/out" || fail "iscsi-ls does not list $TGT"
it_run "iscsi-inq" iscsi-inq -i "$INI" "$URL"
it_run "iscsi-readcapacity16" iscsi-readcapacity16 -i "$INI" "$URL"
grep -q "Total size:67108864" "$tmp/out" || fail "capacity: $(cat "$tmp/out")"
if command -v iscsi-test-cu >/dev/null; then
	for t in ${CU_TESTS:-SCSI.Read10 SCSI.Write10 iSCSI.iSCSIcmdsn}; do
		it_run "iscsi-test-cu $t" iscsi-test-cu -i "$INI" -t "$t" "$URL"
	done
fi
[ -n "${VERBOSE:-}" ] && cat "$tmp/out"
[ $fails -eq 0 ] || it_logs_tail
echo "$fails failed"
[ $fails -eq 0 ]
