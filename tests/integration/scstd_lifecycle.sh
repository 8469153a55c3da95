#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0-only
# scstd starts, writes its pid file, refuses bad options, and stops cleanly
# on SIGTERM with exit status 0 and its pid file removed.
set -euo pipefail
O=${O:-build}
SCSTD=$O/scstd
tmp=$(mktemp -d)
trap 'kill "$pid" 2>/dev/null || true; rm -rf "$tmp"' EXIT
fail() { echo "FAIL: $*"; cat "$tmp/log" 2>/dev/null || true; exit 1; }
pid=0

# Bad options are refused with status 2 and a message.
set +e
"$SCSTD" --threads 0 >"$tmp/bad" 2>&1; rc=$?
set -e
[ "$rc" = 2 ] || fail "--threads 0 exited $rc, not 2"
grep -q "bad thread count" "$tmp/bad" || fail "no message for --threads 0"

"$SCSTD" -f --threads 2 --pid-file "$tmp/scstd.pid" >"$tmp/log" 2>&1 &
pid=$!
for _ in $(seq 100); do
	grep -q "scstd: running" "$tmp/log" && break
	sleep 0.05
done
grep -q "scstd: running" "$tmp/log" || fail "scstd did not start"
grep -q "started with 2 worker threads" "$tmp/log" || fail "thread count not applied"
[ "$(cat "$tmp/scstd.pid")" = "$pid" ] || fail "pid file does not hold $pid"

kill -TERM "$pid"
set +e
wait "$pid"; rc=$?
set -e
[ "$rc" = 0 ] || fail "scstd exited $rc after SIGTERM"
grep -q "scstd: stopped" "$tmp/log" || fail "no clean stop logged"
[ ! -e "$tmp/scstd.pid" ] || fail "pid file left behind"
echo "PASS: scstd lifecycle (start, pid file, SIGTERM, clean stop)"
