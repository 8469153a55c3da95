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
. "$(dirname "$0")/lib/common.bash"
it_need_cu
[ -f /usr/include/iscsi/iscsi.h ] || { echo "SKIP: libiscsi-dev missing"; exit 0; }

FAMILIES=${FAMILIES:-"Reserve6 PrinReadKeys PrinServiceactionRange
PrinReportCapabilities ProutRegister ProutReserve ProutClear ProutPreempt"}
INI1=iqn.2024-01.org.example:pr-ini1
INI2=iqn.2024-01.org.example:pr-ini2

it_init
DISK=$(mktemp /dev/shm/iscsi_pr_cu.XXXXXX 2>/dev/null || mktemp "$tmp/disk.XXXXXX")
it_rm+=("$DISK")
TGT=iqn.2024-01.org.example:pr
truncate -s 64M "$DISK"

# The same PORT on a restart (the URL stays).
PORT=
start_daemons() {
	it_start_scstd --threads 2
	it_add_device vdisk_fileio d0 "filename=$DISK"
	it_iscsi_target "$TGT" d0
	it_start_iscsid
	URL=iscsi://127.0.0.1:$PORT/$TGT/0
}

start_daemons
start=$SECONDS
# ---- part 1: iscsi-test-cu
for f in $FAMILIES; do
	it_cu "$tmp/out.$f" 120 -d -i "$INI1" -I "$INI2" -t "ALL.$f" "$URL"
	it_cu_report 24 "$f" "$tmp/out.$f"
done

# ---- part 2: APTPL survives a restart of scstd
CLIENT=$tmp/pr_client
if ! it_build_libiscsi_client "$IT_DIR/pr_client.c" "$CLIENT"; then
	echo "SKIP: pr_client does not build"; cat "$tmp/cc.log"
else
	pc() { timeout 20 "$CLIENT" "$URL" "$@"; }
	aptpl_ok=1
	pc "$INI1" register-reserve 5ca1ab1e 1 aptpl >/dev/null || aptpl_ok=0
	before=$(pc "$INI2" read-keys)
	[ -f "$tmp/state/pr.d0" ] || { echo "FAIL: no state file $tmp/state/pr.d0"; aptpl_ok=0; }
	it_stop_all
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
		fail "APTPL state lost across the restart"; echo "$state" | sed 's/^/  pr_state: /'
	fi
fi
echo "$((SECONDS - start))s, $fails failing"
if [ $fails -ne 0 ]; then
	echo "--- scstd log"; tail -30 "$tmp/log"
fi
[ $fails -eq 0 ]
