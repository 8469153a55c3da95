#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0-only
#
# iSCSI end to end on loopback: scstd with a vdisk_nullio LUN on an iscsi
# target, iscsi-scstd on a temporary port, libiscsi's tools as initiator.
# Skipped when iscsi-scstd or libiscsi's tools are missing.
set -uo pipefail
O=${O:-build}
SCSTD=$O/scstd
ISCSID=${ISCSID:-$O/iscsi-scstd}
for t in "$ISCSID" "$(command -v iscsi-inq)"; do
	[ -x "$t" ] || { echo "SKIP: $t missing"; exit 0; }
done
tmp=$(mktemp -d)
R=$tmp/root
pid= ipid=
cleanup() {
	[ -n "$ipid" ] && kill -TERM "$ipid" 2>/dev/null && wait "$ipid" 2>/dev/null
	[ -n "$pid" ] && kill -TERM "$pid" 2>/dev/null && wait "$pid" 2>/dev/null
	fusermount3 -uz "$R" 2>/dev/null
	rm -rf "$tmp"
}
trap cleanup EXIT
fails=0
pass() { echo "PASS: $*"; }
fail() { echo "FAIL: $*"; fails=$((fails + 1)); }
PORT=$((20000 + RANDOM % 20000))
TGT=iqn.2024-01.org.example:basic
URL=iscsi://127.0.0.1:$PORT/$TGT/0
INI=iqn.2024-01.org.example:ini

mkdir -p "$R"
"$SCSTD" -f --threads 2 --root "$R" --state-dir "$tmp/state" \
	--control "$tmp/ctl.sock" >"$tmp/log" 2>&1 &
pid=$!
for _ in $(seq 200); do [ -f "$R/version" ] && break; sleep 0.05; done
[ -f "$R/version" ] || { echo "FAIL: the tree did not appear"; cat "$tmp/log"; exit 1; }
echo "add_device nul0 size_mb=64" >"$R/handlers/vdisk_nullio/mgmt"
echo "add_target $TGT" >"$R/targets/iscsi/mgmt"
echo "add nul0 0" >"$R/targets/iscsi/$TGT/luns/mgmt"
echo 1 >"$R/targets/iscsi/$TGT/enabled"
echo 1 >"$R/targets/iscsi/enabled"
"$ISCSID" -f -p "$PORT" -a 127.0.0.1 --control "$tmp/ctl.sock" \
	>"$tmp/ilog" 2>&1 &
ipid=$!
sleep 0.5

run() {
	local name=$1; shift
	if timeout 60 "$@" >"$tmp/out" 2>&1; then pass "$name"
	else fail "$name: $(tail -5 "$tmp/out")"; fi
}
run "iscsi-ls" iscsi-ls -i "$INI" "iscsi://127.0.0.1:$PORT"
grep -q "$TGT" "$tmp/out" || fail "iscsi-ls does not list $TGT"
run "iscsi-inq" iscsi-inq -i "$INI" "$URL"
run "iscsi-readcapacity16" iscsi-readcapacity16 -i "$INI" "$URL"
grep -q "Total size:67108864" "$tmp/out" || fail "capacity: $(cat "$tmp/out")"
if command -v iscsi-test-cu >/dev/null; then
	for t in ${CU_TESTS:-SCSI.Read10 SCSI.Write10 iSCSI.iSCSIcmdsn}; do
		run "iscsi-test-cu $t" iscsi-test-cu -i "$INI" -t "$t" "$URL"
	done
fi
[ -n "${VERBOSE:-}" ] && cat "$tmp/out"
if [ $fails -ne 0 ]; then
	echo "--- scstd log"; tail -30 "$tmp/log"
	echo "--- iscsi-scstd log"; tail -30 "$tmp/ilog"
fi
echo "$fails failed"
[ $fails -eq 0 ]
