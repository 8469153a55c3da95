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
. "$(dirname "$0")/lib/common.bash"
FAMILY_TIMEOUT=${FAMILY_TIMEOUT:-60}
it_need_cu

# Known failures, "Family.Test" -> reason.  A listed test that fails is
# reported but does not fail the run; a listed test that passes is reported
# so that it can be taken off the list.
# (Empty: every iSCSI family of this libiscsi passes.)
declare -A SKIP=()

it_init
DISK=$(mktemp /dev/shm/iscsi_test_cu.XXXXXX 2>/dev/null || mktemp "$tmp/disk.XXXXXX")
it_rm+=("$DISK")
TGT=iqn.2024-01.org.example:cu
INI=iqn.2024-01.org.example:cu-ini
start=$SECONDS

truncate -s 64M "$DISK"
it_start_scstd --threads 2
it_add_device vdisk_fileio d0 "filename=$DISK"
it_iscsi_target "$TGT" d0
PORT=
it_start_iscsid
URL=iscsi://127.0.0.1:$PORT/$TGT/0

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
[ $bad -eq 0 ] || it_logs_tail
echo "$bad unexpected failure(s), $((SECONDS - start))s"
[ $bad -eq 0 ]
