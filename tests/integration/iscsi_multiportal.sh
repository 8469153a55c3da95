#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0-only
#
# One LU on several portals (issue 6 item 4, multipath): iscsi-scstd
# listens on two ports of 127.0.0.1 and on 127.0.0.2 with the port of -p:
#   -a 127.0.0.1:P1 -a 127.0.0.1:P2 -a 127.0.0.2 -p P3
# scstd exports one vdisk_fileio device d0 at LUN 0 of three targets:
#   TM  every portal
#   TA  allowed_portal 127.0.0.1 (both its ports)
#   TB  allowed_portal 127.0.0.2
# d0 is in device group dg: target group tg1 (group_id 11, active,
# members TM and TA) and tg2 (group_id 22, nonoptimized, member TB).
# Checks:
#  - bad -a arguments are refused (exit status 2);
#  - SendTargets (iscsi-ls) through each portal lists every target with
#    exactly the portals that offer it, each with its own port;
#  - a login through each portal of TM (and of TA, TB) works, INQUIRY VPD
#    83h (iscsi-inq -e 1 -c 131) shows the same NAA designator on every
#    path, and the relative target port and target port group designators
#    of the target logged in to (alua_client.c, built here);
#  - iscsi-test-cu's MultipathIO family through 127.0.0.1:P1 and
#    127.0.0.2:P3 (another address and another port).
# Skipped when libiscsi-bin or libiscsi-dev is missing (a FAIL under CI).
set -uo pipefail
O=${O:-build}
ISCSID=$O/iscsi-scstd
SCSTD=$O/scstd
tmp=$(mktemp -d)
R=$tmp/root
pids=()
# stop PID: SIGTERM, then SIGKILL after 10 s; its exit status in $rc.
stop() {
	local _
	kill -TERM "$1" 2>/dev/null
	for _ in $(seq 100); do kill -0 "$1" 2>/dev/null || break; sleep 0.1; done
	kill -0 "$1" 2>/dev/null && { echo "FAIL: pid $1 ignored SIGTERM"; kill -KILL "$1"; }
	wait "$1" 2>/dev/null
	rc=$?
}
cleanup() {
	local p
	for p in "${pids[@]}"; do stop "$p"; done
	grep -qs " $R fuse" /proc/mounts && fusermount3 -uz "$R" 2>/dev/null
	rm -rf --one-file-system "$tmp"
}
trap cleanup EXIT
fails=0
pass() { echo "PASS: $*"; }
fail() { echo "FAIL: $*"; fails=$((fails + 1)); }
skip() {
	if [ -n "${CI:-}" ]; then fail "multiportal: $* (required under CI)"; exit 1; fi
	echo "SKIP: multiportal: $*"
	exit 0
}
for t in iscsi-ls iscsi-inq fusermount3; do
	command -v $t >/dev/null || skip "$t not installed"
done
for b in "$ISCSID" "$SCSTD"; do
	[ -x "$b" ] || skip "$b not built"
done
t_start=$SECONDS

INI=iqn.2026-12.test:mp-ini
TM=iqn.2026-12.test:mp-all
TA=iqn.2026-12.test:mp-a
TB=iqn.2026-12.test:mp-b

# ---- bad -a arguments: refused before anything starts
bad=
for a in 127.0.0.1:0 127.0.0.1:65536 127.0.0.1: '[::1' '[::1]x' '[::1]:' :3260; do
	"$ISCSID" -f -a "$a" --control "$tmp/none.sock" >"$tmp/bad.log" 2>&1
	r=$?
	[ $r -eq 2 ] && grep -q "bad address" "$tmp/bad.log" || bad+=" '$a'($r)"
done
if [ -z "$bad" ]; then pass "multiportal: malformed -a ADDR[:PORT] arguments are refused"
else fail "multiportal: accepted or not reported:$bad"; fi

# ---- scstd and the configuration
mkdir -p "$R"
"$SCSTD" -f --threads 2 --root "$R" --control "$tmp/ctl.sock" \
	>"$tmp/scstd.log" 2>&1 &
pids+=($!)
for _ in $(seq 200); do [ -f "$R/version" ] && break; sleep 0.05; done
[ -f "$R/targets/iscsi/mgmt" ] || { echo "FAIL: scstd did not start"; cat "$tmp/scstd.log"; exit 1; }
m() { # m PATH LINE: one mgmt write; a failure ends the test
	echo "$2" >"$R/$1" || { fail "write '$2' to $1: $(cat "$R/last_sysfs_mgmt_res")"; exit 1; }
}
T=targets/iscsi
truncate -s 16M "$tmp/d0.img"
m handlers/vdisk_fileio/mgmt "add_device d0 filename=$tmp/d0.img"
for t in $TM $TA $TB; do
	m $T/mgmt "add_target $t"
	m $T/$t/luns/mgmt "add d0 0"
done
m $T/mgmt "add_target_attribute $TA allowed_portal 127.0.0.1"
m $T/mgmt "add_target_attribute $TB allowed_portal 127.0.0.2"
m device_groups/mgmt "create dg"
m device_groups/dg/devices/mgmt "add d0"
m device_groups/dg/target_groups/mgmt "create tg1"
m device_groups/dg/target_groups/mgmt "create tg2"
m device_groups/dg/target_groups/tg1/group_id 11
m device_groups/dg/target_groups/tg1/mgmt "add $TM"
m device_groups/dg/target_groups/tg1/mgmt "add $TA"
m device_groups/dg/target_groups/tg2/group_id 22
m device_groups/dg/target_groups/tg2/state nonoptimized
m device_groups/dg/target_groups/tg2/mgmt "add $TB"
for t in $TM $TA $TB; do m $T/$t/enabled 1; done
m $T/enabled 1
declare -A rel
for t in $TM $TA $TB; do rel[$t]=$(head -n1 "$R/$T/$t/rel_tgt_id"); done

# ---- iscsi-scstd: two ports on 127.0.0.1, and 127.0.0.2 on -p's port
for _ in 1 2 3 4 5; do
	P1=$((36600 + RANDOM % 3000)) P2=$((39600 + RANDOM % 3000)) P3=$((42600 + RANDOM % 3000))
	"$ISCSID" -f -a 127.0.0.1:$P1 -a 127.0.0.1:$P2 -a 127.0.0.2 -p $P3 \
		--control "$tmp/ctl.sock" >"$tmp/d.log" 2>&1 &
	pids+=($!)
	for _ in $(seq 50); do
		grep -q "running" "$tmp/d.log" && break
		kill -0 "${pids[-1]}" 2>/dev/null || break
		sleep 0.05
	done
	grep -q "running" "$tmp/d.log" && break
	stop "${pids[-1]}"
	unset 'pids[-1]'
done
grep -q "running" "$tmp/d.log" || { echo "FAIL: iscsi-scstd did not start"; cat "$tmp/d.log"; exit 1; }
n=$(grep -c "listening on" "$tmp/d.log")
if grep -q "listening on 127.0.0.1 port $P1" "$tmp/d.log" &&
	grep -q "listening on 127.0.0.1 port $P2" "$tmp/d.log" &&
	grep -q "listening on 127.0.0.2 port $P3" "$tmp/d.log" && [ "$n" -eq 3 ]; then
	pass "multiportal: listening on 127.0.0.1:$P1, 127.0.0.1:$P2, 127.0.0.2:$P3"
else fail "multiportal: listeners: $(grep 'listening on' "$tmp/d.log" | tr '\n' ';')"; fi

# ---- SendTargets through each portal
# ls_portals PORTAL: "TARGET ADDR:PORT" lines, sorted.
ls_portals() {
	timeout 10 iscsi-ls -i $INI "iscsi://$1" 2>&1 |
		sed -n 's/^Target:\([^ ]*\) Portal:\([^,]*\),.*/\1 \2/p' | sort
}
want=$(printf '%s\n' "$TM 127.0.0.1:$P1" "$TM 127.0.0.1:$P2" "$TM 127.0.0.2:$P3" \
	"$TA 127.0.0.1:$P1" "$TA 127.0.0.1:$P2" "$TB 127.0.0.2:$P3" | sort)
for p in 127.0.0.1:$P1 127.0.0.1:$P2 127.0.0.2:$P3; do
	got=$(ls_portals "$p")
	if [ "$got" == "$want" ]; then
		pass "multiportal: SendTargets via $p lists each target on its portals ($(wc -l <<<"$got") addresses)"
	else
		fail "multiportal: SendTargets via $p"
		diff <(echo "$want") <(echo "$got") | sed 's/^/    /'
	fi
done

# ---- the same LU through every path
# iscsi-inq -e 1 -c 131 (VPD 83h; its -c takes decimal only: 0x83 reads
# as 0) prints the LU designators (binary ones raw: shown here in hex); it cannot show the 4-byte port designators, which start
# with a zero byte, so alua_client.c (built as iscsi_alua_cu.sh does)
# decodes the relative target port and target port group designators.
CLIENT=$tmp/alua_client
if ! ${CC:-cc} -O1 -Wall -o "$CLIENT" "$(dirname "$0")/alua_client.c" -liscsi 2>"$tmp/cc.log"; then
	cat "$tmp/cc.log"
	skip "alua_client.c does not build (libiscsi-dev)"
fi
# lu_ids PORTAL TARGET: "TYPE HEX" per LU designator of VPD 83h.
lu_ids() {
	timeout 20 iscsi-inq -i $INI -e 1 -c 131 "iscsi://$1/$2/0" >"$tmp/inq.out" 2>&1 || return 1
	grep -q "Page Code:(0x83)" "$tmp/inq.out" || return 1
	awk '/^Association:/ { lu = /LOGICAL_UNIT/ }
		lu && /^Designator Type:/ { t = $NF }
		lu && /^Designator:\[/ { print t " " substr($0, 13) }' "$tmp/inq.out" |
		while read -r t v; do
			printf '%s %s\n' "$t" "$(printf '%s' "${v%]}" | od -An -tx1 | tr -d ' \n')"
		done
}
ids0= naa0=
paths=0
for path in "127.0.0.1:$P1 $TM 11" "127.0.0.1:$P2 $TM 11" "127.0.0.2:$P3 $TM 11" \
	"127.0.0.1:$P2 $TA 11" "127.0.0.2:$P3 $TB 22"; do
	read -r p t g <<<"$path"
	if ! ids=$(lu_ids "$p" "$t"); then
		fail "multiportal: iscsi-inq VPD 83h via $p to $t: $(tail -n 2 "$tmp/inq.out")"
		continue
	fi
	[ -n "$ids0" ] || ids0=$ids
	inq=$(timeout 20 "$CLIENT" "iscsi://$p/$t/0" $INI inquiry 2>&1)
	want="tpgs 1 rel ${rel[$t]} tpg $g naa "
	# alua_client's NAA in full (iscsi-inq's text stops at a zero byte).
	[ -n "$naa0" ] || naa0=${inq##* naa }
	if grep -q "^NAA ." <<<"$ids" && [ "$ids" == "$ids0" ] && [ "$inq" == "$want$naa0" ]; then
		paths=$((paths + 1))
		pass "multiportal: via $p to ${t##*:}: $(grep '^NAA' <<<"$ids"), relative target port ${rel[$t]}, target port group $g"
	else
		fail "multiportal: via $p to ${t##*:}: LU designators '$(tr '\n' ';' <<<"$ids")' (first path '$(tr '\n' ';' <<<"$ids0")'), alua_client '$inq' (want '$want...')"
	fi
done
[ $paths -eq 5 ] && pass "multiportal: one LU identity (VPD 83h NAA and T10 designators) on all 5 paths"

# ---- iscsi-test-cu's MultipathIO family: one LU through two portals
# (another address and another port) with two initiator names.
CU=$(command -v iscsi-test-cu)
if [ -z "$CU" ]; then
	skip "iscsi-test-cu not installed"
fi
timeout 180 "$CU" -d -i $INI -I $INI-2 -t ALL.MultipathIO \
	"iscsi://127.0.0.1:$P1/$TM/0" "iscsi://127.0.0.2:$P3/$TM/0" >"$tmp/cu.out" 2>&1
rc=$?
sum=$(awk '$1 == "tests" { print $2, $3, $4, $5, $6 }' "$tmp/cu.out")
bad=$(awk '/^  Test: / { name = $2 } /^FAILED/ || /\.\.\.FAILED/ { print name }' "$tmp/cu.out" | sort -u | tr '\n' ' ')
if [ -n "$sum" ] && [ -z "$bad" ] && [ $rc -eq 0 ]; then
	pass "multiportal: iscsi-test-cu MultipathIO via 127.0.0.1:$P1 and 127.0.0.2:$P3: tests (total ran passed failed inactive) $sum"
else
	fail "multiportal: iscsi-test-cu MultipathIO: tests ${sum:-?}, failed: ${bad:-(rc $rc)}"
	[ -n "${VERBOSE:-}" ] && cat "$tmp/cu.out"
fi

# ---- the daemons
errs=$(grep -h " ERR: \|Sanitizer\|runtime error" "$tmp/scstd.log" "$tmp/d.log")
if [ -z "$errs" ]; then pass "multiportal: no errors in the daemons' logs"
else fail "multiportal: errors in the logs:"; echo "$errs" | head -n 10; fi
echo "multiportal: $((SECONDS - t_start))s"
[ $fails -eq 0 ]
