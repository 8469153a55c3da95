#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0-only
#
# Who may see and log in to which target: a real scstd and iscsi-scstd
# listening on two loopback portals (127.0.0.1 and 127.0.0.2, one port),
# libiscsi's iscsi-ls / iscsi-inq as the initiators A and B, and raw Login
# PDUs where the exact status matters.
#
#   TA   no default LUN; group "onlya" (LUN 0) admits A by a wildcard
#   TB   a default LUN: everyone
#   TP   allowed_portal 127.0.0.2 only
#   TPP  per_portal_acl 1; group admits "A#127.0.0.1" only
#   TR   redirect "127.0.0.2:PORT temp";  TRP  redirect "... perm"
#
# Refusals (iscsi_acl.c): an initiator the ACL leaves without LUNs gets
# 02/02 (authorization failure), a portal that does not offer the target
# 02/03 (not found). Redirection: 01/01 or 01/02 with TargetAddress and no
# portal group tag (RFC 7143 11.13.5, 13.8).
set -uo pipefail
. "$(dirname "$0")/lib/common.bash"
it_init

for t in socat iscsi-ls iscsi-inq fusermount3; do
	command -v $t >/dev/null || { skip "iscsid_acl: $t not installed"; exit 0; }
done
for b in "$ISCSID" "$SCSTD" "$SA"; do
	[ -x "$b" ] || { skip "iscsid_acl: $b not built"; exit 0; }
done

IA=iqn.2026-12.test:ini-a
IB=iqn.2026-12.test:ini-b
TA=iqn.2026-12.test:acl-a
TB=iqn.2026-12.test:acl-b
TP=iqn.2026-12.test:acl-portal
TPP=iqn.2026-12.test:acl-pp
TR=iqn.2026-12.test:acl-redir
TRP=iqn.2026-12.test:acl-redir-perm

# ---- scstd and the configuration
it_start_scstd --log "$tmp/scstd.log" --threads 2
[ -f "$R/targets/iscsi/mgmt" ] || { echo "FAIL: scstd did not start"; cat "$tmp/scstd.log"; exit 1; }

m() { # m PATH LINE: one mgmt write, a failure counts
	echo "$2" >"$R/$1" || fail "write '$2' to $1: $(cat "$R/last_sysfs_mgmt_res")"
}
T=targets/iscsi
m handlers/vdisk_nullio/mgmt "add_device n0 size_mb=16"
for t in $TA $TB $TP $TPP $TR $TRP; do m $T/mgmt "add_target $t"; done
m $T/$TA/ini_groups/mgmt "create onlya"
m $T/$TA/ini_groups/onlya/luns/mgmt "add n0 0"
m $T/$TA/ini_groups/onlya/initiators/mgmt "add iqn.2026-12.test:ini-a*"
for t in $TB $TP $TR $TRP; do m $T/$t/luns/mgmt "add n0 0"; done
m $T/mgmt "add_target_attribute $TP allowed_portal 127.0.0.2"
m $T/$TPP/ini_groups/mgmt "create viaone"
m $T/$TPP/ini_groups/viaone/luns/mgmt "add n0 0"
m $T/$TPP/ini_groups/viaone/initiators/mgmt "add $IA#127.0.0.1"
echo 1 >"$R/$T/$TPP/per_portal_acl" || fail "set per_portal_acl"

# ---- iscsi-scstd on two loopback portals, one port
PORT=
it_start_iscsid --log "$tmp/d.log" 127.0.0.1 127.0.0.2 -- -l debug
P=$PORT
echo "127.0.0.2:$P temp" >"$R/$T/$TR/redirect" || fail "set redirect temp"
echo "127.0.0.2:$P perm" >"$R/$T/$TRP/redirect" || fail "set redirect perm"
for t in $TA $TB $TP $TPP $TR $TRP; do echo 1 >"$R/$T/$t/enabled"; done
echo 1 >"$R/$T/enabled"

# ---- the tree: attributes, numbering, [key], refusals
echo "add_target_attribute $TP allowed_portal 10.9.9.*" >"$R/$T/mgmt"
got=$(cat "$R/$T/$TP/allowed_portal" "$R/$T/$TP/allowed_portal1" 2>&1 | tr '\n' ' ')
if [ "$got" == "127.0.0.2 [key] 10.9.9.* [key] " ]; then
	pass "allowed_portal, allowed_portal1 with [key]"
else fail "allowed_portal files: '$got'"; fi
echo "del_target_attribute $TP allowed_portal 10.9.9.*" >"$R/$T/mgmt"
if [ ! -e "$R/$T/$TP/allowed_portal1" ]; then pass "del_target_attribute removes allowed_portal1"
else fail "allowed_portal1 still there"; fi
got=$(cat "$R/$T/$TR/redirect" "$R/$T/$TPP/per_portal_acl" "$R/$T/$TA/per_portal_acl" | tr '\n' ' ')
if [ "$got" == "127.0.0.2:$P temp [key] 1 [key] 0 " ]; then
	pass "redirect and per_portal_acl show their values, [key] when set"
else fail "redirect/per_portal_acl: '$got'"; fi
bad=0
for v in "127.0.0.2" "127.0.0.2:0 temp" "::1 temp" "[::1 temp" "127.0.0.2 later" \
	"127.0.0.2:99999 perm" "a b temp"; do
	echo "$v" >"$R/$T/$TB/redirect" 2>/dev/null && { bad=1; echo "accepted: '$v'"; }
done
if [ $bad == 0 ] && [ "$(cat "$R/$T/$TB/redirect")" == "" ] &&
   grep -q "redirect:" "$R/last_sysfs_mgmt_res"; then
	pass "malformed redirect values are refused with a reason"
else fail "malformed redirect values: $(cat "$R/last_sysfs_mgmt_res")"; fi
echo "[::1]:3261 perm" >"$R/$T/$TB/redirect" && echo "" >"$R/$T/$TB/redirect" &&
	[ "$(cat "$R/$T/$TB/redirect")" == "" ] &&
	pass "an IPv6 redirect is accepted; an empty write removes it" ||
	fail "IPv6 redirect / removal"
if ! echo "add_attribute allowed_portal 1.2.3.4" >"$R/$T/mgmt" 2>/dev/null; then
	pass "allowed_portal is refused as a driver attribute"
else fail "allowed_portal accepted as a driver attribute"; fi

# ---- SendTargets: only what this initiator may use, on every portal
# (RFC 7143 appendix C: all the addresses the initiator may use), the
# answer the same whichever portal is asked.
targets() { # targets INITIATOR ADDR: "name@portal-address" pairs listed
	timeout 10 iscsi-ls -i "$1" "iscsi://$2:$P" 2>&1 |
		sed -n 's/^Target:\([^ ]*\) Portal:\(.*\):[0-9]*,[0-9]*$/\1@\2/p' |
		sort | tr '\n' ' '
}
want() { printf '%s\n' "$@" | sort | tr '\n' ' '; }
W_A=$(want $TA@127.0.0.1 $TA@127.0.0.2 $TB@127.0.0.1 $TB@127.0.0.2 \
	$TP@127.0.0.2 $TPP@127.0.0.1 $TR@127.0.0.1 $TR@127.0.0.2 \
	$TRP@127.0.0.1 $TRP@127.0.0.2)
W_B=$(want $TB@127.0.0.1 $TB@127.0.0.2 $TP@127.0.0.2 $TR@127.0.0.1 \
	$TR@127.0.0.2 $TRP@127.0.0.1 $TRP@127.0.0.2)
got=$(targets $IA 127.0.0.1)
if [ "$got" == "$W_A" ]; then
	pass "A asking 127.0.0.1: TA, TB, TR, TRP on both portals, TP only on 127.0.0.2 (allowed_portal), TPP only on 127.0.0.1 (per-portal group)"
else fail "A on 127.0.0.1: $got (want $W_A)"; fi
got=$(targets $IA 127.0.0.2)
if [ "$got" == "$W_A" ]; then
	pass "A asking 127.0.0.2: the same answer"
else fail "A on 127.0.0.2: $got (want $W_A)"; fi
got=$(targets $IB 127.0.0.1)
if [ "$got" == "$W_B" ]; then
	pass "B asking 127.0.0.1: TB, TR, TRP, TP on 127.0.0.2 (not TA, TPP)"
else fail "B on 127.0.0.1: $got (want $W_B)"; fi
out=$(timeout 10 iscsi-ls -i $IA "iscsi://127.0.0.1:$P" 2>&1)
if grep -q "Target:$TR Portal:127.0.0.1:$P,[0-9]*$" <<<"$out"; then
	pass "a redirected target is listed with the portal used (discovery not redirected)"
else fail "redirected target in SendTargets: $out"; fi

# ---- logins with libiscsi
inq() { # inq INITIATOR ADDR TARGET: iscsi-inq's output, status in $rc
	out=$(timeout 20 iscsi-inq -i "$1" "iscsi://$2:$P/$3/0" 2>&1)
	rc=$?
}
inq $IA 127.0.0.1 $TA
if [ $rc == 0 ]; then pass "A logs in to TA (group by wildcard) and gets INQUIRY data"
else fail "A to TA: $out"; fi
inq $IB 127.0.0.1 $TA
if [ $rc != 0 ] && grep -q "Authorization failure" <<<"$out"; then
	pass "B to TA: refused, authorization failure"
else fail "B to TA: $out"; fi
inq $IA 127.0.0.1 $TP
if [ $rc != 0 ] && grep -q "Target not found" <<<"$out"; then
	pass "TP through 127.0.0.1 (not an allowed portal): target not found"
else fail "TP on 127.0.0.1: $out"; fi
inq $IA 127.0.0.2 $TP
if [ $rc == 0 ]; then pass "TP through 127.0.0.2 (allowed_portal): login and INQUIRY"
else fail "TP on 127.0.0.2: $out"; fi
inq $IA 127.0.0.1 $TPP
if [ $rc == 0 ]; then pass "TPP: A through 127.0.0.1 admitted (group '$IA#127.0.0.1')"
else fail "TPP, A on 127.0.0.1: $out"; fi
# The core session has the ACL's name; the iSCSI side logs the plain one.
if grep -q "session $IA#127.0.0.1 opened on target $TPP" "$tmp/scstd.log" &&
	grep -q "iscsi: $IA logged in to $TPP" "$tmp/scstd.log"; then
	pass "per_portal_acl: the session is registered as '$IA#127.0.0.1'"
else fail "per_portal_acl session name: $(grep "logged in to $TPP" "$tmp/scstd.log")"; fi
inq $IA 127.0.0.2 $TPP
if [ $rc != 0 ] && grep -q "Authorization failure" <<<"$out"; then
	pass "TPP: A through 127.0.0.2 refused, authorization failure"
else fail "TPP, A on 127.0.0.2: $out"; fi
inq $IB 127.0.0.1 $TPP
if [ $rc != 0 ] && grep -q "Authorization failure" <<<"$out"; then
	pass "TPP: B refused"
else fail "TPP, B: $out"; fi
inq $IB 127.0.0.1 $TR
if [ $rc == 0 ] && grep -q "login to $TR redirected (01/01): TargetAddress=127.0.0.2:$P\$" "$tmp/d.log" &&
   grep -q "$IB logged in to $TR" "$tmp/d.log"; then
	pass "libiscsi follows the temporary redirect of TR to 127.0.0.2:$P and logs in there"
else fail "redirect of TR: $out"; fi
# libiscsi follows only 01/01; it reports 01/02 as the login's failure.
inq $IB 127.0.0.1 $TRP
if [ $rc != 0 ] && grep -q "Target moved permanently" <<<"$out" &&
   grep -q "login to $TRP redirected (01/02): TargetAddress=127.0.0.2:$P\$" "$tmp/d.log"; then
	pass "TRP: libiscsi gets 'Target moved permanently'"
else fail "redirect of TRP: $out"; fi
inq $IB 127.0.0.2 $TRP
if [ $rc == 0 ]; then pass "TRP at its new portal 127.0.0.2: login and INQUIRY"
else fail "TRP on 127.0.0.2: $out"; fi
n=$(grep -c "login to $TR redirected" "$tmp/d.log")
inq $IB 127.0.0.2 $TR
if [ $rc == 0 ] && [ "$(grep -c "login to $TR redirected" "$tmp/d.log")" == "$n" ]; then
	pass "a login already at the redirect portal is not redirected again"
else fail "login at the redirect portal: $out"; fi

# ---- raw Login PDUs: the exact status and data
hx() { # hx BYTES VALUE: VALUE big-endian as printf escapes
	local i
	for ((i = $1 - 1; i >= 0; i--)); do printf '\\x%02x' $((($2 >> (8 * i)) & 255)); done
}
login_pdu() { # login_pdu FLAGS(hex) KEYS-FILE: a Login Request, ITT 1, CmdSN 1
	local len pad
	len=$(stat -c %s "$2")
	printf "\\x43\\x$1\\x00\\x00\\x00$(hx 3 $len)"
	printf '\x40\x00\x01\x37\x00\x00\x00\x00\x00\x00\x00\x01\x00\x00\x00\x00'
	printf '\x00\x00\x00\x01\x00\x00\x00\x00'
	printf '\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00'
	cat "$2"
	pad=$(((4 - len % 4) % 4))
	[ $pad -gt 0 ] && head -c $pad /dev/zero
	return 0
}
keys() { # keys INITIATOR TARGET > file
	printf 'InitiatorName=%s\0TargetName=%s\0SessionType=Normal\0AuthMethod=None\0' "$1" "$2"
}
# raw ADDR INITIATOR TARGET: "opcode class detail | data" of the answer
raw() {
	keys "$2" "$3" >"$tmp/keys"
	login_pdu 81 "$tmp/keys" >"$tmp/pdu" # T=1, CSG 0 -> NSG 1
	{ cat "$tmp/pdu"; sleep 1; } | timeout 5 socat - TCP:$1:$P >"$tmp/ans"
	echo "$(od -An -tx1 -N48 -v "$tmp/ans" | tr -d '\n' | awk '{ print $1, $37, $38 }')" \
		"| $(tail -c +49 "$tmp/ans" | tr '\0' ' ' | sed 's/ *$//')"
}
got=$(raw 127.0.0.1 $IB $TA)
if [ "$got" == "23 02 02 | " ]; then pass "raw: B to TA: Login Response 02/02"
else fail "raw B to TA: '$got'"; fi
got=$(raw 127.0.0.1 $IA $TP)
if [ "$got" == "23 02 03 | " ]; then pass "raw: TP through a portal it is not offered on: 02/03"
else fail "raw TP on 127.0.0.1: '$got'"; fi
got=$(raw 127.0.0.1 $IA $TR)
if [ "$got" == "23 01 01 | TargetAddress=127.0.0.2:$P" ]; then
	pass "raw: TR: 01/01 with TargetAddress=127.0.0.2:$P (no tag, RFC 7143 13.8)"
else fail "raw TR: '$got'"; fi
got=$(raw 127.0.0.1 $IA $TRP)
if [ "$got" == "23 01 02 | TargetAddress=127.0.0.2:$P" ]; then
	pass "raw: TRP: 01/02 (moved permanently) with TargetAddress"
else fail "raw TRP: '$got'"; fi
got=$(raw 127.0.0.1 $IA $TB)
if [ "${got%% |*}" == "23 00 00" ]; then pass "raw: A to TB: the security stage goes on (00/00)"
else fail "raw A to TB: '$got'"; fi

# ---- the hand-off checks again: the ACL changes in the middle of a login
read_rsp() { # the 48-byte header of the next PDU on fd 3, then its data
	local len
	rsp=($(timeout 10 dd bs=1 count=48 status=none <&3 | od -An -tu1 -v))
	[ ${#rsp[@]} -eq 48 ] || return 1
	len=$(((rsp[5] << 16) | (rsp[6] << 8) | rsp[7]))
	[ $len -gt 0 ] && timeout 10 dd bs=1 count=$(((len + 3) / 4 * 4)) status=none <&3 >/dev/null
	return 0
}
keys $IA $TA >"$tmp/keys"
: >"$tmp/none"
exec 3<>/dev/tcp/127.0.0.1/$P
login_pdu 07 "$tmp/keys" >&3 # T=0, CSG 1: stays in the operational stage
read_rsp
first="${rsp[1]:-} ${rsp[36]:-} ${rsp[37]:-}"
m $T/$TA/ini_groups/onlya/initiators/mgmt "del iqn.2026-12.test:ini-a*"
login_pdu 87 "$tmp/none" >&3 # T=1, CSG 1 -> NSG 3: the hand-off
read_rsp
second="${rsp[36]:-} ${rsp[37]:-}"
exec 3>&-
m $T/$TA/ini_groups/onlya/initiators/mgmt "add iqn.2026-12.test:ini-a*"
if [ "$first" == "4 0 0" ] && [ "$second" == "2 2" ]; then
	pass "ACL changed during the login: scstd refuses the hand-off, 02/02"
else fail "hand-off re-check: first '$first' second '$second'"; fi
inq $IA 127.0.0.1 $TA
if [ $rc == 0 ]; then pass "A admitted again once the group has it back"
else fail "A to TA after the group change: $out"; fi

# ---- scstadmin: the new attributes survive write_config / config
sa() { "$SA" -root "$R" "$@"; }
sa -write_config "$tmp/c1.conf" >/dev/null 2>&1 || fail "write_config"
if grep -q "allowed_portal 127.0.0.2" "$tmp/c1.conf" &&
   grep -q "per_portal_acl 1" "$tmp/c1.conf" &&
   grep -q "redirect \"127.0.0.2:$P perm\"" "$tmp/c1.conf"; then
	pass "write_config saves allowed_portal, per_portal_acl and redirect"
else fail "write_config: $(grep -E "allowed|per_portal|redirect" "$tmp/c1.conf")"; fi
# (TA and TB stay: scstadmin checks a new target's attributes against an
# existing target of the driver.)
for t in $TP $TPP $TR $TRP; do m $T/mgmt "del_target $t"; done
if [ ! -e "$R/$T/$TR" ] && sa -noprompt -config "$tmp/c1.conf" >"$tmp/sa.log" 2>&1 &&
   sa -write_config "$tmp/c2.conf" >/dev/null 2>&1 &&
   cmp -s "$tmp/c1.conf" "$tmp/c2.conf"; then
	pass "del_target TP TPP TR TRP, apply the written file, write again: identical"
else fail "scstadmin round trip: $(tail -5 "$tmp/sa.log"; diff "$tmp/c1.conf" "$tmp/c2.conf")"; fi
got=$(targets $IB 127.0.0.1)
if [ "$got" == "$W_B" ]; then pass "after the round trip B still sees TB, TR, TRP, TP"
else fail "after the round trip, B sees: $got (want $W_B)"; fi

# ---- both daemons stop cleanly, without sanitizer reports
for p in "${it_pids[@]}"; do
	kill -0 "$p" 2>/dev/null || continue
	it_stop "$p" 10
	[ $rc == 0 ] || fail "daemon $p exit status $rc"
done
it_stop_all
if cat "$tmp/d.log" "$tmp/scstd.log" | grep -q "Sanitizer\|runtime error"; then
	fail "sanitizer reports"
	grep -h -A20 "Sanitizer\|runtime error" "$tmp/d.log" "$tmp/scstd.log" | head -60
else pass "scstd and iscsi-scstd stopped with status 0, no sanitizer report"; fi

if [ $fails -ne 0 ]; then
	echo "--- iscsi-scstd log"; tail -40 "$tmp/d.log"
	echo "--- scstd log"; tail -20 "$tmp/scstd.log"
	echo "$fails failed"
	exit 1
fi
echo "iscsid_acl: all passed"
