#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0-only
#
# Several connections per session (MaxConnections > 1) and
# ErrorRecoveryLevel 0, end to end on loopback (real scstd + iscsi-scstd,
# the config tree through FUSE), with the raw initiator iscsi_mcs.py
# (libiscsi and open-iscsi do not do MC/S):
#  - a leading login with MaxConnections=2 (the target's MaxConnections
#    attribute), a second connection with the TSIH, both in the tree
#    (sessions/<s>/127.0.0.1 and 127.0.0.1_1);
#  - WRITE on one connection, READ back on the other; a READ with a later
#    CmdSN on one held until the WRITE with the missing CmdSN arrives on
#    the other (the CmdSN window is the session's, RFC 7143 4.2.2.1);
#  - a third connection refused 02/06, an unknown TSIH 02/0A;
#  - Logout of one connection by CID from the other; connection
#    reinstatement with the same CID; a killed connection at ERL 0 ends
#    the session (AsyncEvent 3 on the other); Logout "close the session"
#    closes both; the last connection's "close the connection" too.
# Then the same with per_portal_acl=1: the core session is registered as
# "<initiator>#<portal>", a second connection still finds its session by
# the plain initiator name.
set -uo pipefail
. "$(dirname "$0")/lib/common.bash"
it_need "iscsi_mcs: " "$ISCSID" "$(command -v python3)" "$(command -v fusermount3)"
it_init
TGT=iqn.2024-01.org.example:mcs
INI=iqn.2024-01.org.example:mcsini
T=$R/targets/iscsi/$TGT
DISK=$tmp/disk.img
truncate -s 16M "$DISK"

it_start_scstd --threads 2
it_add_device vdisk_fileio d0 "filename=$DISK"
it_iscsi_target --no-enable "$TGT" d0
got=$(head -1 "$T/MaxConnections")
[ "$got" = 1 ] && pass "MaxConnections defaults to 1 (as SCST negotiates)" ||
	fail "MaxConnections default '$got'"
echo 2 >"$T/MaxConnections"
got=$(cat "$T/MaxConnections" | tr '\n' ' ')
[ "$got" = "2 [key] " ] && pass "MaxConnections 2 is a key attribute" ||
	fail "MaxConnections after writing 2: '$got'"
echo 1 >"$T/enabled"
echo 1 >"$R/targets/iscsi/enabled"
PORT=
it_start_iscsid

# The scenarios (iscsi_mcs.py prints PASS:/FAIL: lines; 120 s at most).
while IFS= read -r line; do
	case $line in
	FAIL:*) echo "$line"; fails=$((fails + 1)) ;;
	"iscsi_mcs.py exit 0") ;;
	"iscsi_mcs.py exit "*) fail "$line" ;;
	*) echo "$line" ;;
	esac
done < <(timeout 120 python3 "$IT_DIR/iscsi_mcs.py" 127.0.0.1 "$PORT" \
	"$TGT" "$INI" "$T/sessions" 2>&1; echo "iscsi_mcs.py exit $?")

# ---- per_portal_acl: the ACL name for the core, the plain one for iSCSI
echo 1 >"$T/per_portal_acl"
cat >"$tmp/ppa.py" <<PYEOF
import sys, time, os
sys.argv = ['x', '127.0.0.1', '$PORT', '$TGT', '$INI', '$T/sessions']
exec(open('$IT_DIR/iscsi_mcs.py').read().split("if __name__")[0])
s = Sess(0x60)
a, b = Conn(s, 1), Conn(s, 2)
print('logins', a.login(), b.login(), flush=True)
wait(lambda: sess_dir() is not None)
print('dir', os.path.basename(sess_dir() or ''), flush=True)
print('conns', sorted(conn_dirs().values()), flush=True)
print('logout', a.logout(0), flush=True)
PYEOF
out=$(timeout 30 python3 "$tmp/ppa.py" 2>&1)
if grep -q "logins (0, 0) (0, 0)" <<<"$out" &&
	grep -q "dir $INI#127.0.0.1" <<<"$out" &&
	grep -q "conns \[1, 2\]" <<<"$out"; then
	pass "per_portal_acl: session $INI#127.0.0.1, two connections joined by the plain name"
else
	fail "per_portal_acl: $out"
fi
if grep -q "iscsi: $INI logged in to $TGT" "$tmp/log"; then
	pass "per_portal_acl: the iSCSI side logs the plain initiator name"
else
	fail "per_portal_acl: no plain-name login line in the log"
fi

# Both daemons stop cleanly; nothing for the sanitizers (SANITIZE=...).
for p in ipid pid; do
	name=$([ $p = pid ] && echo scstd || echo iscsi-scstd)
	it_stop "${!p}"
	[ $rc -eq 0 ] && pass "$name stopped with status 0" ||
		fail "$name stopped with status $rc"
done
if grep -Eq "Sanitizer|runtime error" "$tmp/log" "$tmp/ilog"; then
	fail "sanitizer reports: $(grep -Eh -A3 "Sanitizer|runtime error" "$tmp/log" "$tmp/ilog" | head -20)"
fi

[ -n "${VERBOSE:-}" ] && cat "$tmp/log"
if [ $fails -ne 0 ]; then
	echo "--- scstd log"; tail -40 "$tmp/log"
	echo "--- iscsi-scstd log"; tail -15 "$tmp/ilog"
fi
echo "$fails failed"
[ $fails -eq 0 ]
