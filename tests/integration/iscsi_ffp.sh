#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0-only
#
# The iSCSI full feature phase beyond SCSI commands, end to end on loopback
# (real scstd + iscsi-scstd, the config tree through FUSE):
#  - NOP-In keep-alive (NopInInterval/NopInTimeout): pings are sent on an
#    idle connection and answered (a raw client and libiscsi), a peer that
#    stops answering is closed within NopInInterval + NopInTimeout;
#  - Async Messages (RFC 7143 11.9): disabling a target asks libiscsi to
#    log out (event 1), deleting one asks a raw client, force_close sends
#    event 3 and drops the connection;
#  - sessions/<s>/ shows the negotiated values and <ip>/{cid,ip,state};
#  - Text requests in the full feature phase: SendTargets, continuation.
# The raw initiator is a small Python program written below; the libiscsi
# client a small C program built here (its part is skipped without
# libiscsi-dev).
set -uo pipefail
. "$(dirname "$0")/lib/common.bash"
it_need "iscsi_ffp: " "$ISCSID" "$(command -v python3)" "$(command -v fusermount3)"
it_init
TGT=iqn.2024-01.org.example:ffp
TGT2=iqn.2024-01.org.example:ffp2
INI=iqn.2024-01.org.example:ffpini
T=$R/targets/iscsi/$TGT

# ---- the raw initiator: login, then one behaviour (see main())
cat >"$tmp/raw.py" <<'EOF'
import socket, struct, sys, time, os

def pad4(n): return (n + 3) & ~3

class Conn:
    def __init__(s, host, port, ini, tgt, cid, mrdsl):
        s.sk = socket.create_connection((host, port), timeout=10)
        s.ini, s.tgt, s.cid, s.mrdsl = ini, tgt, cid, mrdsl
        s.cmdsn, s.expstatsn, s.itt = 1, 0, 0x10

    def send(s, b0, b1, data=b'', itt=0, f20=b'\0' * 8, lun=b'\0' * 8,
             cmdsn=None, f4=None):
        h = bytearray(48)
        h[0], h[1] = b0, b1
        h[5:8] = len(data).to_bytes(3, 'big')
        h[8:16] = lun if f4 is None else f4
        h[16:20] = itt.to_bytes(4, 'big')
        h[20:28] = f20
        h[28:32] = s.expstatsn.to_bytes(4, 'big')
        if cmdsn is not None:
            h[24:28] = cmdsn.to_bytes(4, 'big')
        s.sk.sendall(bytes(h) + data + b'\0' * (pad4(len(data)) - len(data)))

    def recvn(s, n):
        b = b''
        while len(b) < n:
            c = s.sk.recv(n - len(b))
            if not c:
                raise EOFError
            b += c
        return b

    def recv(s, tmo=10):
        s.sk.settimeout(tmo)
        h = s.recvn(48)
        dl = int.from_bytes(h[5:8], 'big')
        d = s.recvn(pad4(dl))[:dl]
        op = h[0] & 0x3f
        statsn = int.from_bytes(h[24:28], 'big')
        # StatSN counts for responses that carry one (not NOP-In pings, R2T)
        if op in (0x21, 0x22, 0x23, 0x24, 0x26, 0x32, 0x3f) or \
           (op == 0x20 and h[16:20] != b'\xff' * 4):
            s.expstatsn = statsn + 1
        return h, d

    def login(s):
        keys = ('InitiatorName=%s\0SessionType=Normal\0TargetName=%s\0'
                'HeaderDigest=None\0DataDigest=None\0'
                'MaxRecvDataSegmentLength=%d\0InitialR2T=Yes\0'
                'ImmediateData=No\0MaxBurstLength=262144\0'
                'FirstBurstLength=65536\0ErrorRecoveryLevel=0\0'
                'MaxConnections=1\0DefaultTime2Wait=0\0'
                'DefaultTime2Retain=0\0MaxOutstandingR2T=1\0'
                'DataPDUInOrder=Yes\0DataSequenceInOrder=Yes\0') % (
                    s.ini, s.tgt, s.mrdsl)
        isid = bytes([0x80, 0, 0, 0x12, 0x34, s.cid & 0xff])
        data = keys.encode()
        for _ in range(5):
            f20 = s.cid.to_bytes(2, 'big') + b'\0\0' + s.cmdsn.to_bytes(4, 'big')
            s.send(0x43, 0x87, data, itt=1, f20=f20, f4=isid + b'\0\0')
            h, d = s.recv()
            if h[0] & 0x3f != 0x23 or h[36] != 0:
                raise RuntimeError('login failed: op %#x class %d detail %d'
                                   % (h[0], h[36], h[37]))
            s.expstatsn = int.from_bytes(h[24:28], 'big') + 1
            if h[1] & 0x80 and h[1] & 3 == 3:
                return
            data = b''
        raise RuntimeError('login did not finish')

    def nop_answer(s, h):
        # RFC 7143 11.18: answer a ping with ITT 0xffffffff, its TTT; immediate
        s.send(0x40, 0x80, itt=0xffffffff,
               f20=h[20:24] + s.cmdsn.to_bytes(4, 'big'), lun=h[8:16])

    def logout(s):
        s.send(0x46, 0x80, itt=0x77,
               f20=s.cid.to_bytes(2, 'big') + b'\0\0' +
               s.cmdsn.to_bytes(4, 'big'))
        while True:
            h, d = s.recv()
            if h[0] & 0x3f == 0x26:
                return h[2]

    def text(s, payload):
        itt, ttt, out, n = 0x50, 0xffffffff, b'', 0
        data = payload
        if os.environ.get('SPLIT') and len(payload) > 1:
            # RFC 7143 11.10.2: C=1 (and F=0), split inside a key=value
            half = len(payload) // 2
            s.send(0x04 | 0x40, 0x40, payload[:half], itt=itt,
                   f20=ttt.to_bytes(4, 'big') + s.cmdsn.to_bytes(4, 'big'))
            h, d = s.recv()
            if h[0] & 0x3f != 0x24 or h[1] & 0xc0 or d or \
               h[20:24] == b'\xff' * 4:
                raise RuntimeError('text: C=1 not acknowledged right')
            ttt = int.from_bytes(h[20:24], 'big')
            data = payload[half:]
        while True:
            s.send(0x04 | 0x40, 0x80, data, itt=itt,
                   f20=ttt.to_bytes(4, 'big') + s.cmdsn.to_bytes(4, 'big'))
            while True:
                h, d = s.recv()
                if h[0] & 0x3f == 0x20 and h[16:20] == b'\xff' * 4:
                    s.nop_answer(h)
                    continue
                break
            if h[0] & 0x3f != 0x24:
                raise RuntimeError('text: got op %#x reason %d' % (h[0], h[2]))
            n += 1
            out += d
            if len(d) > s.mrdsl:
                raise RuntimeError('text: %d bytes > MRDSL %d' % (len(d), s.mrdsl))
            if h[1] & 0x80:
                if h[1] & 0x40 or h[20:24] != b'\xff' * 4:
                    raise RuntimeError('text: final PDU with C or a TTT')
                return out, n
            if not h[1] & 0x40 and len(d):
                raise RuntimeError('text: non-final PDU without C')
            ttt = int.from_bytes(h[20:24], 'big')
            data = b''

def main():
    mode, host, port, ini, tgt = sys.argv[1:6]
    arg = int(sys.argv[6]) if len(sys.argv) > 6 else 0
    mrdsl = int(os.environ.get('MRDSL', '65536'))
    c = Conn(host, int(port), ini, tgt, 7, mrdsl)
    c.login()
    print('logged-in', flush=True)
    if mode == 'dead':
        time.sleep(arg)  # never read, never answer
        return
    if mode == 'idle':
        pings, end = 0, time.time() + arg
        while time.time() < end:
            try:
                h, d = c.recv(max(0.1, end - time.time()))
            except socket.timeout:
                break
            if h[0] & 0x3f == 0x20 and h[16:20] == b'\xff' * 4:
                pings += 1
                ttt = int.from_bytes(h[20:24], 'big')
                if ttt == 0xffffffff:
                    print('bad ping ttt'); sys.exit(1)
                c.nop_answer(h)
        print('pings %d' % pings, flush=True)
        print('logout response %d' % c.logout(), flush=True)
        return
    if mode == 'async':
        end = time.time() + arg
        while time.time() < end:
            try:
                h, d = c.recv(max(0.1, end - time.time()))
            except (socket.timeout, EOFError):
                print('eof' if time.time() < end else 'timeout'); return
            op = h[0] & 0x3f
            if op == 0x20 and h[16:20] == b'\xff' * 4:
                c.nop_answer(h); continue
            if op == 0x32:
                p = [int.from_bytes(h[i:i + 2], 'big') for i in (38, 40, 42)]
                print('async event=%d p1=%d p2=%d p3=%d' % (h[36], *p),
                      flush=True)
                if h[36] == 1:
                    print('logout response %d' % c.logout(), flush=True)
                    return
        return
    if mode == 'text':
        for q in sys.argv[7:]:
            out, n = c.text(q.encode().replace(b'\\0', b'\0'))
            print('pdus %d' % n)
            for kv in out.split(b'\0'):
                if kv:
                    print(kv.decode())
            print('--', flush=True)
        time.sleep(arg)
        print('logout response %d' % c.logout(), flush=True)

main()
EOF

# ---- a libiscsi initiator that idles (servicing its socket) then runs TUR
cat >"$tmp/lcli.c" <<'EOF'
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <time.h>
#include <iscsi/iscsi.h>
#include <iscsi/scsi-lowlevel.h>
static void logfn(int level, const char *msg) { fprintf(stderr, "libiscsi[%d]: %s\n", level, msg); fflush(stderr); }
int main(int argc, char **argv)
{
	struct iscsi_context *is; struct iscsi_url *u; struct scsi_task *t; time_t end;
	if (argc < 4) return 2;
	is = iscsi_create_context(argv[2]);
	iscsi_set_log_level(is, 2); iscsi_set_log_fn(is, logfn);
	u = iscsi_parse_full_url(is, argv[1]);
	if (!u) return 2;
	iscsi_set_targetname(is, u->target);
	iscsi_set_session_type(is, ISCSI_SESSION_NORMAL);
	iscsi_set_header_digest(is, ISCSI_HEADER_DIGEST_NONE);
	iscsi_set_noautoreconnect(is, 1);
	if (iscsi_full_connect_sync(is, u->portal, u->lun)) { fprintf(stderr, "connect: %s\n", iscsi_get_error(is)); return 1; }
	printf("connected\n"); fflush(stdout);
	end = time(NULL) + atoi(argv[3]);
	while (time(NULL) < end) {
		struct pollfd p = {.fd = iscsi_get_fd(is), .events = iscsi_which_events(is)};
		if (poll(&p, 1, 100) < 0) break;
		if (iscsi_service(is, p.revents) < 0) { printf("service: %s\n", iscsi_get_error(is)); return 3; }
	}
	t = iscsi_testunitready_sync(is, u->lun);
	if (!t || t->status != SCSI_STATUS_GOOD) { printf("tur failed: %s\n", iscsi_get_error(is)); return 4; }
	printf("tur ok\n");
	iscsi_logout_sync(is);
	return 0;
}
EOF

it_start_scstd --threads 2
it_add_device vdisk_nullio nul0 size_mb=64
for t in $TGT $TGT2; do it_iscsi_target "$t" nul0; done
echo 1 >"$T/NopInInterval"
echo 2 >"$T/NopInTimeout"
PORT=
it_start_iscsid
URL=iscsi://127.0.0.1:$PORT/$TGT/0
# raw MODE TARGET [ARG QUERIES...]; in the background, $! is the timeout
# process, which passes a TERM on to the client.
raw() { exec timeout 60 python3 "$tmp/raw.py" "$1" 127.0.0.1 "$PORT" "$INI" "${@:2}"; }
# The session directory of $INI on target $1 (empty if none).
sess() { ls -d "$R/targets/iscsi/$1/sessions/"*/ 2>/dev/null | head -1; }
# Wait until target $1 has no session, at most $2 seconds; prints the
# time it took (tenths of seconds), fails if it did not happen.
wait_gone() {
	local i
	for i in $(seq $(($2 * 10))); do
		[ -z "$(sess "$1")" ] && { echo "$i"; return 0; }
		sleep 0.1
	done
	return 1
}
wait_line() { it_wait_line "$@"; } # FILE PATTERN SECONDS

# ---- 1. keep-alive pings on an idle connection, and the session's tree
raw idle "$TGT" 5 >"$tmp/idle.out" 2>&1 &
it_bg+=($!)
if wait_line "$tmp/idle.out" logged-in 10 && sleep 1 && S=$(sess $TGT) &&
	[ -n "$S" ]; then
	got=""
	for a in InitialR2T ImmediateData MaxRecvDataSegmentLength \
		MaxXmitDataSegmentLength MaxBurstLength FirstBurstLength \
		MaxOutstandingR2T HeaderDigest DataDigest reinstating; do
		got="$got $a=$(head -1 "$S/$a")"
	done
	want=" InitialR2T=Yes ImmediateData=No MaxRecvDataSegmentLength=1048576"
	want="$want MaxXmitDataSegmentLength=65536 MaxBurstLength=262144"
	want="$want FirstBurstLength=65536 MaxOutstandingR2T=1"
	want="$want HeaderDigest=None DataDigest=None reinstating=0"
	if [ "$got" = "$want" ]; then pass "session attributes:$got"
	else fail "session attributes:$got, want$want"; fi
	sid=$(cat "$S/sid")
	[[ "$sid" =~ ^8000001234[0-9a-f]{6}$ ]] && pass "session sid $sid" ||
		fail "session sid '$sid'"
	C="$S/127.0.0.1"
	got="cid=$(cat "$C/cid" 2>&1) ip=$(cat "$C/ip" 2>&1) state=$(cat "$C/state" 2>&1)"
	[ "$got" = "cid=7 ip=127.0.0.1 state=established" ] &&
		pass "connection entry: $got" || fail "connection entry: $got"
else
	fail "raw idle login: $(cat "$tmp/idle.out")"
fi
wait "${it_bg[-1]}"
if grep -Eq '^pings [1-9]' "$tmp/idle.out" &&
	grep -q 'logout response 0' "$tmp/idle.out"; then
	pass "NOP-In pings on an idle connection: $(grep pings "$tmp/idle.out"), answered, session intact"
else
	fail "keep-alive (raw): $(cat "$tmp/idle.out")"
fi
wait_gone $TGT 5 >/dev/null || fail "the logged-out session stays"

# ---- 2. libiscsi answers the pings: its session outlives NopInInterval +
# NopInTimeout several times over, with the same SID (no reconnect).
if it_build_libiscsi_client "$tmp/lcli.c" "$tmp/lcli"; then
	n0=$(grep -c "logged in to $TGT" "$tmp/log")
	"$tmp/lcli" "$URL" "$INI" 7 >"$tmp/l1.out" 2>&1 &
	it_bg+=($!)
	wait_line "$tmp/l1.out" connected 10
	sleep 1
	S=$(sess $TGT)
	sid1=$(cat "$S/sid" 2>/dev/null)
	wait "${it_bg[-1]}"
	rc=$?
	n1=$(grep -c "logged in to $TGT" "$tmp/log")
	if [ $rc -eq 0 ] && grep -q 'tur ok' "$tmp/l1.out" &&
		! grep -q "NOP-In not answered" "$tmp/log" && [ -n "$sid1" ] &&
		[ "$n1" -eq $((n0 + 1)) ]; then
		pass "libiscsi answers NOP-In pings: idle 7 s with NopInInterval 1, NopInTimeout 2, one session (sid $sid1), TUR ok"
	else
		fail "keep-alive (libiscsi) rc $rc: $(tail -5 "$tmp/l1.out")"
	fi
	LIBISCSI=1
else
	skip "libiscsi client: cannot build ($(head -1 "$tmp/cc.log"))"
	LIBISCSI=0
fi

# ---- 3. a dead peer: logs in, then never reads or answers
raw dead "$TGT" 30 >"$tmp/dead.out" 2>&1 &
it_bg+=($!)
if wait_line "$tmp/dead.out" logged-in 10; then
	# Idle 1 s, ping, 2 s to answer, +1 s timer tick: 4 s; 3 s slack.
	if t=$(wait_gone $TGT 7); then
		pass "dead peer closed after $((t / 10)).$((t % 10)) s (NopInInterval 1 + NopInTimeout 2)"
	else
		fail "dead peer still logged in after 7 s"
	fi
	grep -q "NOP-In not answered in NopInTimeout, closing" "$tmp/log" &&
		pass "scstd logs the unanswered ping" ||
		fail "no 'NOP-In not answered' in the log"
else
	fail "raw dead login: $(cat "$tmp/dead.out")"
fi
kill "${it_bg[-1]}" 2>/dev/null

# ---- 4. force_close: Async Message event 3, then the connection drops
raw async "$TGT" 10 >"$tmp/fc.out" 2>&1 &
it_bg+=($!)
if wait_line "$tmp/fc.out" logged-in 10 && S=$(sess $TGT) && [ -n "$S" ]; then
	echo 1 >"$S/force_close"
	wait "${it_bg[-1]}"
	if grep -q 'async event=3 p1=0 p2=0 p3=0' "$tmp/fc.out" &&
		grep -q '^eof' "$tmp/fc.out" && wait_gone $TGT 3 >/dev/null; then
		pass "force_close: Async Message event 3 (drop all connections), connection closed"
	else
		fail "force_close: $(cat "$tmp/fc.out")"
	fi
else
	fail "raw login for force_close: $(cat "$tmp/fc.out")"
fi

# ---- 5. Text requests in the full feature phase (RFC 7143 11.10, C)
(raw text "$TGT" 0 'SendTargets=\0' "SendTargets=$TGT2\\0" 'SendTargets=All\0' \
	'X-example.com.unknown=1\0MaxConnections=2\0InitialR2T=No\0') \
	>"$tmp/text.out" 2>&1
# One answer per request, "--" after each.
ans() { awk -v n="$1" 'BEGIN{k=1} /^--$/{k++; next} k==n' "$tmp/text.out"; }
a1=$(ans 1) a2=$(ans 2) a3=$(ans 3) a4=$(ans 4)
if grep -q "^TargetName=$TGT\$" <<<"$a1" && ! grep -q "$TGT2" <<<"$a1" &&
	grep -q "^TargetAddress=127.0.0.1:$PORT,1\$" <<<"$a1"; then
	pass "Text SendTargets= (no value): the session's target and its address"
else
	fail "Text SendTargets=: $(tr '\n' ' ' <<<"$a1")"
fi
if grep -q "^TargetName=$TGT2\$" <<<"$a2" && ! grep -q "=$TGT\$" <<<"$a2"; then
	pass "Text SendTargets=<name>: that target"
else
	fail "Text SendTargets=<name>: $(tr '\n' ' ' <<<"$a2")"
fi
# RFC 7143 appendix C: All "MUST NOT be supported on an operational session".
if grep -q "^SendTargets=Reject\$" <<<"$a3" && ! grep -q TargetName <<<"$a3"; then
	pass "Text SendTargets=All in a normal session: Reject"
else
	fail "Text SendTargets=All: $(tr '\n' ' ' <<<"$a3")"
fi
if grep -q '^X-example.com.unknown=NotUnderstood$' <<<"$a4" &&
	grep -q '^MaxConnections=Reject$' <<<"$a4" &&
	grep -q '^InitialR2T=Reject$' <<<"$a4"; then
	pass "Text keys: unknown NotUnderstood, leading-only/login-only Reject"
else
	fail "Text keys: $(tr '\n' ' ' <<<"$a4")"
fi
grep -q 'logout response 0' "$tmp/text.out" || fail "Text: $(tail -3 "$tmp/text.out")"
# A long answer and a small MaxRecvDataSegmentLength: several PDUs.
keys=""
for i in $(seq 60); do keys="${keys}X-example.com.key$i=value$i\\0"; done
(MRDSL=512 raw text "$TGT" 0 "$keys") >"$tmp/text2.out" 2>&1
np=$(sed -n 's/^pdus //p' "$tmp/text2.out")
nk=$(grep -c '^X-example.com.key[0-9]*=NotUnderstood$' "$tmp/text2.out")
if [ "${np:-0}" -gt 1 ] && [ "$nk" -eq 60 ]; then
	pass "Text answer of 60 keys in $np PDUs of at most 512 bytes (C=1 ... F=1)"
else
	fail "multi-PDU Text answer: pdus ${np:-?} keys $nk: $(tail -3 "$tmp/text2.out")"
fi
# A request in two PDUs (C=1), cut inside a key, and a declaration of
# MaxRecvDataSegmentLength that then bounds what the target sends.
SPLIT=1 raw text "$TGT" 3 "MaxRecvDataSegmentLength=4096\\0SendTargets=\\0" \
	>"$tmp/text3.out" 2>&1 &
it_bg+=($!)
if wait_line "$tmp/text3.out" '^--$' 10 && S=$(sess $TGT) &&
	[ "$(head -1 "$S/MaxXmitDataSegmentLength")" = 4096 ] &&
	grep -q "^TargetName=$TGT\$" "$tmp/text3.out"; then
	pass "Text request continued (C=1); MaxRecvDataSegmentLength=4096 in FFP -> MaxXmitDataSegmentLength 4096"
else
	fail "Text C=1 / MaxRecvDataSegmentLength: $(cat "$tmp/text3.out") xmit $(cat "$S/MaxXmitDataSegmentLength" 2>&1)"
fi
wait "${it_bg[-1]}"

# ---- 6. disabling the target: libiscsi is asked to log out (event 1)
if [ "$LIBISCSI" = 1 ]; then
	"$tmp/lcli" "$URL" "$INI" 8 >"$tmp/l2.out" 2>&1 &
	it_bg+=($!)
	if wait_line "$tmp/l2.out" connected 10 && sleep 0.5 && [ -n "$(sess $TGT)" ]; then
		echo 0 >"$T/enabled"
		# A Logout answers well before the 2 s Parameter3 deadline.
		if t=$(wait_gone $TGT 4); then
			pass "target disabled: session ended after $((t / 10)).$((t % 10)) s"
		else
			fail "target disabled: the session stays"
		fi
		grep -q 'target requests logout within 2 seconds' "$tmp/l2.out" &&
			pass "libiscsi got the Async Message (logout within 2 s) and logged out" ||
			fail "libiscsi log: $(grep -i 'logout\|async' "$tmp/l2.out" | head -3)"
		grep -q "target $TGT goes away, Async Message: logout" "$tmp/log" &&
			! grep -q 'no Logout after the Async Message' "$tmp/log" &&
			pass "scstd logs the Async Message and the Logout came" ||
			fail "scstd log: $(grep -i 'async\|logout' "$tmp/log" | tail -3)"
	else
		fail "libiscsi login before disabling: $(tail -3 "$tmp/l2.out")"
	fi
	kill "${it_bg[-1]}" 2>/dev/null
	wait "${it_bg[-1]}" 2>/dev/null
	echo 1 >"$T/enabled"
fi

# ---- 7. deleting the target: a raw client answers event 1 with a Logout
raw async "$TGT" 10 >"$tmp/del.out" 2>&1 &
it_bg+=($!)
if wait_line "$tmp/del.out" logged-in 10; then
	s0=$(date +%s%N)
	echo "del_target $TGT" >"$R/targets/iscsi/mgmt"
	ms=$((($(date +%s%N) - s0) / 1000000))
	wait "${it_bg[-1]}"
	if grep -q 'async event=1 p1=0 p2=0 p3=2' "$tmp/del.out" &&
		grep -q 'logout response 0' "$tmp/del.out" && [ $ms -lt 2000 ]; then
		pass "del_target: Async Message event 1 (Parameter3 2 s), Logout, done in $ms ms"
	else
		fail "del_target ($ms ms): $(cat "$tmp/del.out")"
	fi
else
	fail "raw login before del_target: $(cat "$tmp/del.out")"
fi

[ -n "${VERBOSE:-}" ] && cat "$tmp/log"
if [ $fails -ne 0 ]; then
	echo "--- scstd log"; tail -30 "$tmp/log"
	echo "--- iscsi-scstd log"; tail -10 "$tmp/ilog"
fi
echo "$fails failed"
[ $fails -eq 0 ]
