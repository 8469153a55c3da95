#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0-only
#
# libiscsi's iSCSI conformance families (iscsi-test-cu -t iSCSI.<Family>)
# against scstd + iscsi-scstd on loopback, with a vdisk_fileio LUN on a
# temporary file (the residual tests read back what they wrote, so the LUN
# must keep data).  Every family iscsi-test-cu lists under "iSCSI." is run
# with a time bound; the CUnit summary of each is printed.  Exits non-zero
# when a test fails that is not in SKIP below.
# Skipped when iscsi-scstd or iscsi-test-cu is missing.
set -uo pipefail
O=${O:-build}
SCSTD=$O/scstd
ISCSID=${ISCSID:-$O/iscsi-scstd}
CU=${CU:-$(command -v iscsi-test-cu)}
FAMILY_TIMEOUT=${FAMILY_TIMEOUT:-60}
for t in "$SCSTD" "$ISCSID" "$CU"; do
	[ -x "$t" ] || { echo "SKIP: ${t:-iscsi-test-cu} missing"; exit 0; }
done

# Known failures, "Family.Test" -> reason.  A listed test that fails is
# reported but does not fail the run; a listed test that passes is reported
# so that it can be taken off the list.
# (Empty: every iSCSI family of this libiscsi passes.)
declare -A SKIP=()

tmp=$(mktemp -d)
R=$tmp/root
DISK=$(mktemp /dev/shm/iscsi_test_cu.XXXXXX 2>/dev/null || mktemp "$tmp/disk.XXXXXX")
pid= ipid=
cleanup() {
	[ -n "$ipid" ] && kill -TERM "$ipid" 2>/dev/null && wait "$ipid" 2>/dev/null
	[ -n "$pid" ] && kill -TERM "$pid" 2>/dev/null && wait "$pid" 2>/dev/null
	fusermount3 -uz "$R" 2>/dev/null
	rm -rf "$tmp"
	rm -f "$DISK"
}
trap cleanup EXIT
PORT=$((20000 + RANDOM % 20000))
TGT=iqn.2024-01.org.example:cu
URL=iscsi://127.0.0.1:$PORT/$TGT/0
INI=iqn.2024-01.org.example:cu-ini
start=$SECONDS

truncate -s 64M "$DISK"
mkdir -p "$R"
"$SCSTD" -f --threads 2 --root "$R" --state-dir "$tmp/state" \
	--control "$tmp/ctl.sock" >"$tmp/log" 2>&1 &
pid=$!
for _ in $(seq 200); do [ -f "$R/version" ] && break; sleep 0.05; done
[ -f "$R/version" ] || { echo "FAIL: the tree did not appear"; cat "$tmp/log"; exit 1; }
echo "add_device d0 filename=$DISK" >"$R/handlers/vdisk_fileio/mgmt"
echo "add_target $TGT" >"$R/targets/iscsi/mgmt"
echo "add d0 0" >"$R/targets/iscsi/$TGT/luns/mgmt"
echo 1 >"$R/targets/iscsi/$TGT/enabled"
echo 1 >"$R/targets/iscsi/enabled"
"$ISCSID" -f -p "$PORT" -a 127.0.0.1 --control "$tmp/ctl.sock" \
	>"$tmp/ilog" 2>&1 &
ipid=$!
for _ in $(seq 100); do
	(exec 3<>"/dev/tcp/127.0.0.1/$PORT") 2>/dev/null && break
	sleep 0.05
done

families=${FAMILIES:-$("$CU" --list | sed -n 's/^iSCSI\.\([^.]*\)$/\1/p')}
[ -n "$families" ] || { echo "FAIL: iscsi-test-cu lists no iSCSI family"; exit 1; }
bad=0
for f in $families; do
	out=$tmp/cu_$f
	t0=$SECONDS
	timeout "$FAMILY_TIMEOUT" "$CU" -d -i "$INI" -t "iSCSI.$f" "$URL" \
		>"$out" 2>&1
	rc=$?
	summary=$(awk '/^ *tests /{print "tests run " $3 " passed " $4 " failed " $5}' "$out")
	echo "== iSCSI.$f: ${summary:-no CUnit summary} ($((SECONDS - t0))s)"
	if [ $rc -eq 124 ]; then
		echo "   FAIL: timed out after ${FAMILY_TIMEOUT}s"
		bad=$((bad + 1))
		continue
	fi
	if [ -z "$summary" ]; then
		echo "   FAIL: iscsi-test-cu exited $rc without a summary"
		tail -5 "$out" | sed 's/^/   /'
		bad=$((bad + 1))
		continue
	fi
	# "  Test: <name> ...passed" / "...FAILED" (possibly after log lines).
	while read -r name result; do
		key=$f.$name
		if [ "$result" = FAILED ]; then
			if [ -n "${SKIP[$key]:-}" ]; then
				echo "   known failure $key: ${SKIP[$key]}"
			else
				echo "   FAIL: $key"
				bad=$((bad + 1))
			fi
		elif [ -n "${SKIP[$key]:-}" ]; then
			echo "   note: $key passes now; take it off SKIP"
		fi
	done < <(awk '
		/^  Test: / { if (cur != "") print cur, res; cur = $2; res = "passed" }
		/^Run Summary/ { if (cur != "") print cur, res; cur = "" }
		cur != "" && /(^|\.\.\.)FAILED/ { res = "FAILED" }
		END { if (cur != "") print cur, res }' "$out")
	if [ $rc -ne 0 ] && ! grep -q FAILED "$out"; then
		echo "   FAIL: iscsi-test-cu exited $rc"
		bad=$((bad + 1))
	fi
	[ -n "${VERBOSE:-}" ] && cat "$out"
done
if [ $bad -ne 0 ]; then
	echo "--- scstd log"; tail -30 "$tmp/log"
	echo "--- iscsi-scstd log"; tail -30 "$tmp/ilog"
fi
echo "$bad unexpected failure(s), $((SECONDS - start))s"
[ $bad -eq 0 ]
