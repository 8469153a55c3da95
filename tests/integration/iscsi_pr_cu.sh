#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0-only
#
# Reservations over iSCSI on loopback (issue 6):
#  1. libiscsi's iscsi-test-cu families Reserve6, Prin* and Prout* against
#     a vdisk_fileio LUN, with two initiator names (--initiator-name and
#     --initiator-name-2): one line per family with CUnit's summary (total
#     ran passed failed inactive); any failed test fails the run.
#  2. APTPL across a restart: a small libiscsi client (pr_client.c, built
#     here) registers with APTPL=1 and reserves; scstd is stopped and
#     started again on the same --state-dir; the key and the reservation
#     are still there, the tree's devices/<dev>/pr_state shows them, and a
#     second initiator is refused a write (RESERVATION CONFLICT).
# Skipped when iscsi-scstd, iscsi-test-cu, a C compiler or libiscsi-dev is
# missing. FAMILIES=... narrows part 1; VERBOSE=1 prints failing output.
set -uo pipefail
O=${O:-build}
SCSTD=$O/scstd
ISCSID=${ISCSID:-$O/iscsi-scstd}
CU=$(command -v iscsi-test-cu)
CC=${CC:-cc}
HERE=$(cd "$(dirname "$0")" && pwd)
for t in "$SCSTD" "$ISCSID" "$CU"; do
	[ -x "$t" ] || { echo "SKIP: ${t:-iscsi-test-cu} missing"; exit 0; }
done
[ -f /usr/include/iscsi/iscsi.h ] || { echo "SKIP: libiscsi-dev missing"; exit 0; }

FAMILIES=${FAMILIES:-"Reserve6 PrinReadKeys PrinServiceactionRange
PrinReportCapabilities ProutRegister ProutReserve ProutClear ProutPreempt"}
INI1=iqn.2024-01.org.example:pr-ini1
INI2=iqn.2024-01.org.example:pr-ini2

tmp=$(mktemp -d)
DISK=$(mktemp /dev/shm/iscsi_pr_cu.XXXXXX 2>/dev/null || mktemp "$tmp/disk.XXXXXX")
R=$tmp/root
pid= ipid=
stop_daemons() {
	[ -n "$ipid" ] && kill -TERM "$ipid" 2>/dev/null && wait "$ipid" 2>/dev/null
	[ -n "$pid" ] && kill -TERM "$pid" 2>/dev/null && wait "$pid" 2>/dev/null
	ipid= pid=
	fusermount3 -uz "$R" 2>/dev/null
}
cleanup() {
	stop_daemons
	rm -rf "$tmp"
	rm -f "$DISK"
}
trap cleanup EXIT
PORT=$((20000 + RANDOM % 20000))
TGT=iqn.2024-01.org.example:pr
URL=iscsi://127.0.0.1:$PORT/$TGT/0
truncate -s 64M "$DISK"

mgmt() { echo "$2" >"$1" || { echo "FAIL: '$2' > $1"; exit 1; }; }
start_daemons() {
	mkdir -p "$R"
	"$SCSTD" -f --threads 2 --root "$R" --state-dir "$tmp/state" \
		--control "$tmp/ctl.sock" >>"$tmp/log" 2>&1 &
	pid=$!
	for _ in $(seq 200); do [ -f "$R/version" ] && break; sleep 0.05; done
	[ -f "$R/version" ] || { echo "FAIL: the tree did not appear"; cat "$tmp/log"; exit 1; }
	mgmt "$R/handlers/vdisk_fileio/mgmt" "add_device d0 filename=$DISK"
	mgmt "$R/targets/iscsi/mgmt" "add_target $TGT"
	mgmt "$R/targets/iscsi/$TGT/luns/mgmt" "add d0 0"
	mgmt "$R/targets/iscsi/$TGT/enabled" 1
	mgmt "$R/targets/iscsi/enabled" 1
	"$ISCSID" -f -p "$PORT" -a 127.0.0.1 --control "$tmp/ctl.sock" \
		>>"$tmp/ilog" 2>&1 &
	ipid=$!
	for _ in $(seq 100); do
		(exec 3<>/dev/tcp/127.0.0.1/$PORT) 2>/dev/null && break
		sleep 0.05
	done
}

start_daemons
fails=0 start=$SECONDS
# ---- part 1: iscsi-test-cu
for f in $FAMILIES; do
	out=$tmp/out.$f
	timeout 120 "$CU" -d -i "$INI1" -I "$INI2" -t "ALL.$f" "$URL" \
		>"$out" 2>&1
	rc=$?
	sum=$(awk '$1 == "tests" { print $2, $3, $4, $5, $6 }' "$out")
	bad=$(awk '/^  Test: / { name = $2 } /^FAILED/ || /\.\.\.FAILED/ { print name }' "$out" | sort -u | tr '\n' ' ')
	if [ -z "$sum" ] || [ -n "$bad" ] || [ $rc -ne 0 ]; then
		echo "FAIL: $(printf '%-24s tests %s' "$f" "${sum:-?}") failed: ${bad:-(rc $rc)}"
		fails=$((fails + 1))
		[ -n "${VERBOSE:-}" ] && cat "$out"
	else
		echo "ok:   $(printf '%-24s tests %s' "$f" "$sum")"
	fi
done

# ---- part 2: APTPL survives a restart of scstd
CLIENT=$tmp/pr_client
if ! "$CC" -O1 -o "$CLIENT" "$HERE/pr_client.c" -liscsi 2>"$tmp/cc.log"; then
	echo "SKIP: pr_client does not build"; cat "$tmp/cc.log"
else
	pc() { timeout 20 "$CLIENT" "$URL" "$@"; }
	aptpl_ok=1
	pc "$INI1" register-reserve 5ca1ab1e 1 aptpl >/dev/null || aptpl_ok=0
	before=$(pc "$INI2" read-keys)
	[ -f "$tmp/state/pr.d0" ] || { echo "FAIL: no state file $tmp/state/pr.d0"; aptpl_ok=0; }
	stop_daemons
	start_daemons
	keys=$(pc "$INI2" read-keys)
	res=$(pc "$INI2" read-reservation)
	state=$(cat "$R/devices/d0/pr_state")
	w2=$(pc "$INI2" write)
	echo "aptpl: before restart: $before; after: $keys; reservation: $res"
	echo "aptpl: a write from $INI2 after the restart: $w2"
	[ "$keys" = "$before" ] && [[ "$keys" == *" keys 5ca1ab1e" ]] || aptpl_ok=0
	[ "$res" = "key 5ca1ab1e type 1" ] || aptpl_ok=0
	[ "$w2" = "status 0x18" ] || aptpl_ok=0
	grep -q "^reservation write_exclusive holder $INI1,i,0x" <<<"$state" || aptpl_ok=0
	if [ $aptpl_ok = 1 ]; then
		echo "ok:   APTPL registration and reservation survived the restart"
		echo "$state" | sed 's/^/      pr_state: /'
	else
		echo "FAIL: APTPL state lost across the restart"; echo "$state" | sed 's/^/  pr_state: /'
		fails=$((fails + 1))
	fi
fi
echo "$((SECONDS - start))s, $fails failing"
if [ $fails -ne 0 ]; then
	echo "--- scstd log"; tail -30 "$tmp/log"
fi
[ $fails -eq 0 ]
