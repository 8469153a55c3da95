#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0-only
# The README's first command: scripts/run.sh starts both daemons with the
# default configuration; an initiator (libiscsi) finds the target, sees
# LUN 0 as a 1 GiB disk, and SIGTERM stops everything cleanly. Runs on
# temporary paths and a free loopback port.
set -uo pipefail
. "$(dirname "$0")/lib/common.bash"
for b in scstd scstadmin iscsi-scstd; do
	[ -x "$O/$b" ] || { echo "FAIL: $O/$b missing"; exit 1; }
done
it_init
port=$(it_free_port) || exit 1
pid=
# run.sh's process group: TERM, then up to 5 s for all of it to go.
it_cleanup_hook() {
	[ -n "$pid" ] || return 0
	kill -TERM -- "-$pid" 2>/dev/null
	for _ in $(seq 50); do kill -0 -- "-$pid" 2>/dev/null || break; sleep 0.1; done
}
check() { if eval "$2"; then pass "$1"; else fail "$1"; fi; }

SCST_ROOT=$tmp/root SCST_STATE=$tmp/state SCST_CONTROL=$tmp/ctl.sock \
	SCST_PORT=$port O=$O setsid bash scripts/run.sh >"$tmp/run.log" 2>&1 &
pid=$!
it_wait_line "$tmp/run.log" "iscsi-scstd: listening" 10
T=iqn.2026-11.org.scst-usr:target0
check "the target starts and says how to connect" "grep -q 'connect with' '$tmp/run.log'"
check "discovery lists the default target" \
	"iscsi-ls iscsi://127.0.0.1:$port 2>&1 | grep -q 'Target:$T'"
check "LUN 0 is a 1 GiB disk" \
	"iscsi-readcapacity16 iscsi://127.0.0.1:$port/$T/0 2>&1 | grep -q 'RETURNED LOGICAL BLOCK ADDRESS:2097151'"
check "INQUIRY answers" \
	"iscsi-inq iscsi://127.0.0.1:$port/$T/0 2>&1 | grep -q 'Peripheral Device Type:DIRECT_ACCESS'"
check "the backing file is thin" "[ \$(du -k '$tmp/state/disk0.img' | cut -f1) -lt 1024 ]"
kill -TERM -- "-$pid" 2>/dev/null
for _ in $(seq 50); do kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
check "SIGTERM stops the target" "! kill -0 $pid 2>/dev/null"
check "the tree is unmounted" "! grep -q ' $tmp/root ' /proc/mounts"
pid=
if [ "$fails" -ne 0 ]; then cat "$tmp/run.log"; echo "FAIL: $fails"; exit 1; fi
echo "PASS: the default target runs and stops"
