#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0-only
#
# iscsi-scstd, the login daemon, with libiscsi's tools as the initiator.
#
# Part 1 runs it against a fake scstd control socket (socat + a small
# bash responder speaking iscsi_ctl.h): discovery, discovery CHAP, target
# CHAP, unknown targets, the hand-off request (the fake refuses it, so
# the login must end with the fake's status), malformed PDUs, the login
# timeout and the bound on concurrent logins.
# Part 2 runs it against a real scstd with the iscsi target driver, when
# that driver is there (else SKIP lines): discovery, login and INQUIRY.
set -uo pipefail
. "$(dirname "$0")/lib/common.bash"
it_init

for t in socat iscsi-ls iscsi-inq; do
	command -v $t >/dev/null || { skip "iscsid_login: $t not installed"; exit 0; }
done
[ -x "$ISCSID" ] || { skip "iscsid_login: $ISCSID not built"; exit 0; }

T1=iqn.2026-11.test:t1
T2=iqn.2026-11.test:t2
HANDOFF_SIZE=9108 # sizeof(struct iscsi_handoff)

# ---- a fake scstd control socket
cat >"$tmp/fake.sh" <<EOF
#!/usr/bin/env bash
read -r line
case "\$line" in
"iscsi_targets "*)
	echo "\$line" >>"$tmp/queries"
	echo "target $T1 1"; echo "target $T2 2"
	if [ -f "$tmp/many" ]; then
		for i in \$(seq 100); do
			printf 'target iqn.2026-11.test:many-%0180d 3\n' \$i
		done
	fi
	echo end ;;
"iscsi_target $T1")
	printf 'MaxRecvDataSegmentLength=65536\nMaxXmitDataSegmentLength=65536\n'
	printf 'MaxBurstLength=1048576\nFirstBurstLength=65536\nInitialR2T=No\n'
	printf 'ImmediateData=Yes\nMaxOutstandingR2T=8\nHeaderDigest=None\n'
	printf 'DataDigest=None\nTargetAlias=\ntpgt=1\nenabled=1\nend\n' ;;
"iscsi_target $T2")
	printf 'tpgt=2\nenabled=1\nIncomingUser=bob bobsecret1234\nend\n' ;;
"iscsi_discovery")
	[ -f "$tmp/disc_chap" ] && echo "IncomingUser=joe joesecret1234"
	echo end ;;
"iscsi_handoff")
	echo ready
	head -c $HANDOFF_SIZE >"$tmp/handoff.bin"
	echo "error 3 1 fake scstd takes no connections" ;;
*)	echo "error no such target" ;;
esac
EOF
chmod +x "$tmp/fake.sh"
socat UNIX-LISTEN:"$tmp/fake.sock",fork EXEC:"$tmp/fake.sh" 2>"$tmp/socat.log" &
it_bg+=($!)

# start_iscsid LOG CONTROL [options]: sets $port (a new free one).
start_iscsid() {
	local log=$1 ctl=$2
	shift 2
	PORT=
	it_start_iscsid --log "$log" --control "$ctl" -- -l debug "$@"
	port=$PORT
}

for _ in $(seq 50); do [ -S "$tmp/fake.sock" ] && break; sleep 0.05; done
start_iscsid "$tmp/d.log" "$tmp/fake.sock"
P=$port
URL=iscsi://127.0.0.1:$P

# ---- discovery
out=$(timeout 10 iscsi-ls "$URL" 2>&1)
if grep -q "Target:$T1 Portal:127.0.0.1:$P,1" <<<"$out" &&
   grep -q "Target:$T2 Portal:127.0.0.1:$P,2" <<<"$out"; then
	pass "SendTargets=All lists both targets with the portal used"
else fail "discovery: $out"; fi
if grep -q "^iscsi_targets iqn.* 127.0.0.1$" "$tmp/queries"; then
	pass "iscsi_targets asked with the initiator and the local address"
else fail "iscsi_targets query: $(cat "$tmp/queries")"; fi

# A SendTargets answer of ~25 KB: sent in pieces (C bit, Text Continue).
touch "$tmp/many"
out=$(timeout 10 iscsi-ls "$URL" 2>&1)
n=$(grep -c "Target:iqn.2026-11.test:many-.*Portal:127.0.0.1:$P,3" <<<"$out")
if [ "$n" == 100 ] && grep -q "Target:$T2" <<<"$out"; then
	pass "a long SendTargets answer arrives whole (102 targets)"
else fail "long SendTargets answer: $n of 100; $(head -c 300 <<<"$out")"; fi

# The same answer to a raw initiator that receives 4096 bytes per PDU:
# Text Responses with C=1 and a target transfer tag, each continued by an
# empty Text Request with that tag, the last with F=1 (RFC 7143 11.10).
hx() { # hx BYTES VALUE: VALUE big-endian as printf escapes
	local i
	for ((i = $1 - 1; i >= 0; i--)); do printf '\\x%02x' $((($2 >> (8 * i)) & 255)); done
}
send_pdu() { # send_pdu OP FLAGS ITT WORD20 CMDSN DATA-FILE
	local len pad
	len=$(stat -c %s "$6")
	printf "\\x$1\\x$2\\x00\\x00\\x00$(hx 3 $len)" >&3
	printf '\x40\x00\x01\x37\x00\x00\x00\x00' >&3
	printf "$(hx 4 $3)$(hx 4 $4)$(hx 4 $5)$(hx 4 1)" >&3
	printf '\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00' >&3
	cat "$6" >&3
	pad=$(((4 - len % 4) % 4))
	[ $pad -gt 0 ] && head -c $pad /dev/zero >&3
	return 0
}
read_pdu() { # read_pdu DATA-OUT: sets rsp (the 48 header bytes, decimal)
	local len
	rsp=($(timeout 20 dd bs=1 count=48 status=none <&3 | od -An -tu1 -v))
	[ ${#rsp[@]} -eq 48 ] || return 1
	len=$(((rsp[5] << 16) | (rsp[6] << 8) | rsp[7]))
	# The whole padded segment first: with "dd | head -c", head may exit
	# before dd has consumed the padding, which then starts the next PDU.
	timeout 20 dd bs=1 count=$(((len + 3) / 4 * 4)) status=none <&3 >"$1.seg"
	head -c $len "$1.seg" >>"$1"
	rm -f "$1.seg"
}
touch "$tmp/many"
printf 'InitiatorName=iqn.2026-11.test:raw\0SessionType=Discovery\0MaxRecvDataSegmentLength=4096\0' >"$tmp/k1"
printf 'SendTargets=All\0' >"$tmp/k2"
: >"$tmp/empty"
: >"$tmp/st"
exec 3<>/dev/tcp/127.0.0.1/$P
send_pdu 43 87 1 0 1 "$tmp/k1" # Login, T=1 CSG=1 NSG=3, ITT 1, CID 0, CmdSN 1
read_pdu "$tmp/login_rsp"
login_ok="${rsp[0]:-} ${rsp[1]:-} ${rsp[36]:-} ${rsp[37]:-}"
send_pdu 04 80 2 $((0xffffffff)) 1 "$tmp/k2" # Text, F=1, SendTargets=All
pieces=0 cmdsn=1 maxlen=0 flags=
while read_pdu "$tmp/st"; do
	pieces=$((pieces + 1))
	len=$(((rsp[5] << 16) | (rsp[6] << 8) | rsp[7]))
	[ $len -gt $maxlen ] && maxlen=$len
	flags=${rsp[1]}
	[ $((flags & 0x80)) -ne 0 ] && break
	[ $pieces -gt 50 ] && break
	ttt=$(((rsp[20] << 24) | (rsp[21] << 16) | (rsp[22] << 8) | rsp[23]))
	cmdsn=$((cmdsn + 1))
	send_pdu 04 80 2 $ttt $cmdsn "$tmp/empty"
done
exec 3>&-
rm -f "$tmp/many"
n=$(tr '\0' '\n' <"$tmp/st" | grep -c "^TargetName=")
if [ "$login_ok" == "35 135 0 0" ] && [ "$n" == 102 ] && [ $pieces -gt 1 ] &&
   [ $maxlen -le 4096 ] && [ "$flags" == 128 ]; then
	pass "SendTargets in $pieces Text Responses of <= 4096 bytes (C bit, TTT), 102 targets"
else
	fail "split SendTargets: login '$login_ok', $pieces pieces, max $maxlen, $n targets, last flags $flags"
fi

# ---- discovery CHAP
touch "$tmp/disc_chap"
out=$(timeout 10 iscsi-ls "iscsi://joe%joesecret1234@127.0.0.1:$P" 2>&1)
if grep -q "Target:$T1" <<<"$out"; then pass "discovery with CHAP"
else fail "discovery with CHAP: $out"; fi
out=$(timeout 10 iscsi-ls "iscsi://joe%wrongsecret99@127.0.0.1:$P" 2>&1)
if [ $? -ne 0 ] && grep -q "Authentication failure" <<<"$out"; then
	pass "discovery with a wrong CHAP secret: authentication failure"
else fail "discovery with a wrong secret: $out"; fi
out=$(timeout 10 iscsi-ls "$URL" 2>&1)
if [ $? -ne 0 ] && grep -q "Authentication failure" <<<"$out"; then
	pass "discovery without CHAP refused when the driver has IncomingUser"
else fail "discovery without CHAP: $out"; fi
rm -f "$tmp/disc_chap"
if grep -q "joesecret1234\|wrongsecret99" "$tmp/d.log"; then
	fail "a secret appears in the log"
else pass "no secret in the log"; fi

# ---- normal sessions
out=$(timeout 10 iscsi-inq "$URL/iqn.nope/0" 2>&1)
if [ $? -ne 0 ] && grep -q "Target not found" <<<"$out"; then
	pass "unknown target: 02/03 target not found"
else fail "unknown target: $out"; fi
out=$(timeout 10 iscsi-inq "iscsi://bob%badsecret9999@127.0.0.1:$P/$T2/0" 2>&1)
if [ $? -ne 0 ] && grep -q "Authentication failure" <<<"$out"; then
	pass "target CHAP, wrong secret: authentication failure"
else fail "target CHAP, wrong secret: $out"; fi
out=$(timeout 10 iscsi-inq "$URL/$T2/0" 2>&1)
if [ $? -ne 0 ] && grep -q "Authentication failure" <<<"$out"; then
	pass "target with IncomingUser refuses AuthMethod=None"
else fail "target without CHAP: $out"; fi
rm -f "$tmp/handoff.bin"
out=$(timeout 10 iscsi-inq "iscsi://bob%bobsecret1234@127.0.0.1:$P/$T2/0" 2>&1)
if [ $? -ne 0 ] && grep -q "Service unavailable" <<<"$out" &&
   [ -s "$tmp/handoff.bin" ]; then
	pass "target CHAP, right secret: hand-off asked, scstd's refusal (03/01) relayed"
else fail "target CHAP, right secret: $out"; fi
rm -f "$tmp/handoff.bin"
out=$(timeout 10 iscsi-inq "$URL/$T1/0" 2>&1)
if [ $? -ne 0 ] && grep -q "Service unavailable" <<<"$out"; then
	pass "login to $T1 reaches the hand-off; the fake's 03/01 is relayed"
else fail "login to $T1: $out"; fi
# The hand-off structure: version 1, its size, the names, the keys.
if [ -s "$tmp/handoff.bin" ]; then
	hdr=$(od -An -tu4 -N8 "$tmp/handoff.bin" | tr -s ' ')
	if [ "$hdr" == " 1 $HANDOFF_SIZE" ]; then pass "hand-off version and size"
	else fail "hand-off header: '$hdr'"; fi
	s=$(strings "$tmp/handoff.bin")
	for want in "$T1" "libiscsi" "127.0.0.1:$P" "MaxBurstLength=" \
		"MaxRecvDataSegmentLength=65536"; do
		if grep -q "$want" <<<"$s"; then pass "hand-off carries $want"
		else fail "hand-off lacks $want"; fi
	done
else
	fail "no hand-off structure received"
fi

# ---- malformed PDUs: Login Response 02/00, then the connection ends
# login_pdu FLAGS DSL(3 bytes, escaped): a Login Request BHS.
login_pdu() {
	printf '\x43%b\x00\x00\x00%b' "$1" "$2"
	printf '\x40\x00\x01\x37\x00\x00\x00\x00\x00\x00\x00\x01'
	printf '\x00\x00\x00\x00\x00\x00\x00\x01\x00\x00\x00\x01'
	printf '\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00'
}
# status_of PDU-BYTES-FILE: opcode and status class/detail of the answer.
answer_status() {
	{ cat "$1"; sleep 1; } | timeout 5 socat - TCP:127.0.0.1:$P |
		od -An -tx1 -v | tr -d '\n' | awk '{ print $1, $37, $38 }'
}
login_pdu '\xc1' '\x00\x00\x00' >"$tmp/pdu_tc"   # T=1 and C=1
login_pdu '\x81' '\x01\x00\x00' >"$tmp/pdu_big"  # 64 KiB of keys
got=$(answer_status "$tmp/pdu_tc")
if [ "$got" == "23 02 00" ]; then pass "T=1 with C=1: Login Response 02/00"
else fail "T=1 with C=1: '$got'"; fi
got=$(answer_status "$tmp/pdu_big")
if [ "$got" == "23 02 00" ]; then
	pass "a 64 KiB login data segment: Login Response 02/00 (over 8192)"
else fail "oversized login PDU: '$got'"; fi
printf 'InitiatorName=iqn.x\0SessionType=Discovery\0BadKey' >"$tmp/keys"
{ login_pdu '\x87' '\x00\x00\x30'; cat "$tmp/keys"; } >"$tmp/pdu_keys"
got=$(answer_status "$tmp/pdu_keys")
if [ "$got" == "23 02 00" ]; then pass "malformed key text: 02/00"
else fail "malformed key text: '$got'"; fi

# ---- the login timeout and the bound on concurrent logins
start_iscsid "$tmp/d2.log" "$tmp/fake.sock" --login-timeout 1 --max-logins 2
P2=$port
exec 5<>/dev/tcp/127.0.0.1/$P2 6<>/dev/tcp/127.0.0.1/$P2
sleep 0.2
exec 7<>/dev/tcp/127.0.0.1/$P2
if timeout 1 cat <&7 >/dev/null; then pass "a third login over --max-logins 2 is closed"
else fail "a third login was kept"; fi
if timeout 3 cat <&5 >/dev/null; then pass "a silent peer is dropped after the login timeout"
else fail "a silent peer was kept"; fi
exec 5>&- 6>&- 7>&-

# ---- part 2: a real scstd with the iscsi target driver
if [ ! -x "$SCSTD" ]; then
	skip "real scstd: $SCSTD not built"
else
	it_try_start_scstd --log "$tmp/scstd.log" --threads 2
	if [ ! -f "$R/targets/iscsi/mgmt" ]; then
		skip "real scstd: no iscsi target driver in the tree yet"
	else
		echo "add_target $T1" >"$R/targets/iscsi/mgmt" &&
		echo "add_device n0 size_mb=64" >"$R/handlers/vdisk_nullio/mgmt" &&
		echo "add n0 0" >"$R/targets/iscsi/$T1/luns/mgmt" &&
		echo 1 >"$R/targets/iscsi/$T1/enabled" &&
		echo 1 >"$R/targets/iscsi/enabled" ||
			fail "set up $T1 in the tree"
		start_iscsid "$tmp/d3.log" "$tmp/ctl.sock"
		P3=$port
		out=$(timeout 10 iscsi-ls "iscsi://127.0.0.1:$P3" 2>&1)
		if grep -q "Target:$T1 Portal:127.0.0.1:$P3,1" <<<"$out"; then
			pass "real scstd: discovery lists $T1"
		else fail "real scstd: discovery: $out"; fi
		out=$(timeout 10 iscsi-inq "iscsi://127.0.0.1:$P3/iqn.nope/0" 2>&1)
		if [ $? -ne 0 ]; then pass "real scstd: unknown target refused"
		else fail "real scstd: unknown target: $out"; fi
		out=$(timeout 20 iscsi-inq "iscsi://127.0.0.1:$P3/$T1/0" 2>&1)
		if [ $? -eq 0 ]; then pass "real scstd: iscsi-inq $T1 LUN 0"
		else fail "real scstd: iscsi-inq: $out"; fi
		out=$(timeout 20 iscsi-ls -s "iscsi://127.0.0.1:$P3" 2>&1)
		if grep -q "Lun:0" <<<"$out"; then pass "real scstd: iscsi-ls -s shows LUN 0"
		else fail "real scstd: iscsi-ls -s: $out"; fi
		# CHAP with the accounts of the tree.
		echo "add_target_attribute $T1 IncomingUser alice alicesecret12" \
			>"$R/targets/iscsi/mgmt" || fail "add IncomingUser to $T1"
		out=$(timeout 10 iscsi-inq "iscsi://127.0.0.1:$P3/$T1/0" 2>&1)
		if [ $? -ne 0 ] && grep -q "Authentication failure" <<<"$out"; then
			pass "real scstd: $T1 with IncomingUser refuses AuthMethod=None"
		else fail "real scstd: no CHAP: $out"; fi
		out=$(timeout 10 iscsi-inq "iscsi://alice%alicesecretXX@127.0.0.1:$P3/$T1/0" 2>&1)
		if [ $? -ne 0 ] && grep -q "Authentication failure" <<<"$out"; then
			pass "real scstd: wrong CHAP secret refused"
		else fail "real scstd: wrong CHAP secret: $out"; fi
		out=$(timeout 20 iscsi-inq "iscsi://alice%alicesecret12@127.0.0.1:$P3/$T1/0" 2>&1)
		if [ $? -eq 0 ]; then pass "real scstd: CHAP login and INQUIRY"
		else fail "real scstd: CHAP login: $out"; fi
		echo "add_attribute IncomingUser joe joesecret1234" \
			>"$R/targets/iscsi/mgmt" || fail "add discovery IncomingUser"
		out=$(timeout 10 iscsi-ls "iscsi://127.0.0.1:$P3" 2>&1)
		if [ $? -ne 0 ] && grep -q "Authentication failure" <<<"$out"; then
			pass "real scstd: discovery without CHAP refused"
		else fail "real scstd: discovery without CHAP: $out"; fi
		out=$(timeout 10 iscsi-ls "iscsi://joe%joesecret1234@127.0.0.1:$P3" 2>&1)
		if grep -q "Target:$T1" <<<"$out"; then pass "real scstd: discovery CHAP"
		else fail "real scstd: discovery CHAP: $out"; fi
		if grep -q "alicesecret\|joesecret" "$tmp/d3.log"; then
			fail "real scstd: a secret appears in iscsi-scstd's log"
		else pass "real scstd: no secret in iscsi-scstd's log"; fi
	fi
fi

# ---- every iscsi-scstd stops cleanly on SIGTERM, without sanitizer reports
for i in "${!it_iscsid_pids[@]}"; do
	p=${it_iscsid_pids[$i]}
	kill -0 "$p" 2>/dev/null || continue
	it_stop "$p"
	if [ $rc -eq 0 ] && grep -q "stopped" "${it_iscsid_logs[$i]}"; then
		pass "iscsi-scstd ($(basename "${it_iscsid_logs[$i]}")) stopped with status 0"
	else fail "iscsi-scstd ($(basename "${it_iscsid_logs[$i]}")) exit status $rc"; fi
done
if cat "${it_iscsid_logs[@]}" | grep -q "Sanitizer\|runtime error"; then
	fail "sanitizer reports in iscsi-scstd's logs"
	grep -h -A20 "Sanitizer\|runtime error" "${it_iscsid_logs[@]}" | head -60
fi

if [ $fails -ne 0 ]; then
	echo "--- iscsi-scstd log"; tail -50 "$tmp/d.log"
	echo "$fails failed"
	exit 1
fi
echo "iscsid_login: all passed"
