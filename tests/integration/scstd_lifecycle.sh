#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0-only
# scstd's lifecycle: it refuses bad options; it starts, mounts the config
# tree at --root, answers on --control and writes its pid file; a second
# scstd on the same root or socket refuses to start; SIGTERM unmounts the
# tree and stops it cleanly (status 0, pid file and socket removed); after
# a SIGKILL the dead mount is recovered by the next start; --no-mount runs
# the engine alone. Every path is under a mktemp directory.
set -euo pipefail
. "$(dirname "$0")/lib/common.bash"
it_init
root=$R
state=$tmp/state/scst
sock=$tmp/run/scst/scstd.sock
IT_STATE=$state CTL=$sock

fail() {
	local f
	echo "FAIL: $*"
	for f in "$tmp"/*.log; do
		[ -e "$f" ] || continue
		echo "--- $f"
		cat "$f"
	done
	exit 1
}

mounted() { grep -q " $root fuse.scst " /proc/mounts; }

# start NAME [ARGS...]: scstd in the foreground on our paths; sets $pid.
start() {
	local name=$1
	shift
	it_try_start_scstd --log "$tmp/$name.log" "$@" ||
		fail "scstd ($name) did not start"
}

# stop PID SIGNAL NAME: the daemon exits 0 and leaves nothing behind.
stop() {
	local p=$1 sig=$2 name=$3 rc
	kill "-$sig" "$p"
	set +e
	timeout 20 tail --pid="$p" -f /dev/null
	! kill -0 "$p" 2>/dev/null || fail "scstd ($name) still runs 20 s after SIG$sig"
	wait "$p"
	rc=$?
	set -e
	it_forget "$p"
	[ "$rc" = 0 ] || fail "scstd ($name) exited $rc after SIG$sig"
	grep -q "scstd: stopped" "$tmp/$name.log" || fail "$name: no clean stop logged"
	! mounted || fail "$name: the tree is still mounted at $root after SIG$sig"
	[ ! -e "$sock" ] || fail "$name: control socket $sock left behind"
}

ask() { echo "$1" | timeout 5 socat - "UNIX-CONNECT:$sock"; }

# Bad options are refused with status 2 and a message.
set +e
"$SCSTD" --threads 0 >"$tmp/bad.log" 2>&1
rc=$?
set -e
[ "$rc" = 2 ] || fail "--threads 0 exited $rc, not 2"
grep -q "bad thread count" "$tmp/bad.log" || fail "no message for --threads 0"
rm -f "$tmp/bad.log"

# --- start: pid file, mount, state dir, control socket ---------------------
start a --threads 2 --pid-file "$tmp/scstd.pid"
pid_a=$pid
grep -q "started with 2 worker threads" "$tmp/a.log" || fail "thread count not applied"
[ "$(cat "$tmp/scstd.pid")" = "$pid_a" ] || fail "pid file does not hold $pid_a"
mountpoint -q "$root" || fail "$root is not a mount point"
mounted || fail "no fuse.scst mount at $root in /proc/mounts"
grep -q "^scst_tgt $root fuse.scst " /proc/mounts || fail "the mount is not named scst_tgt"
ls "$root" >/dev/null || fail "ls $root failed"
[ "$(stat -c %a "$state")" = 700 ] || fail "state dir $state is not 0700"
[ -S "$sock" ] || fail "no control socket at $sock"
[ "$(stat -c %a "$sock")" = 600 ] || fail "control socket $sock is not 0600"
[ "$(ask ping)" = pong ] || fail "control socket: ping did not answer pong"
ask version | grep -Eq '^scstd [0-9]+\.[0-9]+' || fail "control socket: bad version reply"
[ "$(ask frobnicate)" = "error unknown request" ] || fail "control socket: unknown request not refused"
long=$(head -c 400 /dev/zero | tr '\0' x)
[ "$(ask "$long" 2>/dev/null)" = "error request too long" ] || fail "control socket: long request not refused"

# --- a second scstd on the same root (and socket) refuses to start --------
set +e
timeout 20 "$SCSTD" -f --root "$root" --state-dir "$state" --control "$sock" \
	>"$tmp/second.log" 2>&1
rc=$?
set -e
[ "$rc" = 1 ] || fail "a second scstd on the same socket exited $rc, not 1"
grep -q "another scstd is running" "$tmp/second.log" ||
	fail "no clear message from the second scstd (same socket)"
set +e
timeout 20 "$SCSTD" -f --root "$root" --state-dir "$state" \
	--control "$tmp/other.sock" >"$tmp/second2.log" 2>&1
rc=$?
set -e
[ "$rc" = 1 ] || fail "a second scstd on the same root exited $rc, not 1"
grep -q "already served" "$tmp/second2.log" ||
	fail "no clear message from the second scstd (same root)"
[ ! -e "$tmp/other.sock" ] || fail "the refused scstd left its socket behind"
[ "$(ask ping)" = pong ] || fail "the first scstd stopped answering after the refusals"
mounted || fail "the first scstd's mount went away after the refusals"

# --- SIGTERM: unmount, status 0, pid file removed --------------------------
stop "$pid_a" TERM a
[ ! -e "$tmp/scstd.pid" ] || fail "pid file left behind"
grep -q "config tree unmounted" "$tmp/a.log" || fail "no unmount logged"

# --- a SIGKILLed scstd leaves a dead mount; the next start recovers it -----
start b
pid_b=$pid
# (stderr off meanwhile: bash reports the killed job there)
exec 3>&2 2>/dev/null
kill -KILL "$pid_b"
wait "$pid_b" || true
it_forget "$pid_b"
exec 2>&3 3>&-
mounted || fail "the mount vanished after SIGKILL (expected a dead one)"
set +e
stat "$root" >"$tmp/stat.out" 2>&1
set -e
grep -q "Transport endpoint is not connected" "$tmp/stat.out" ||
	fail "the mount left by SIGKILL is not dead: $(cat "$tmp/stat.out")"
[ -S "$sock" ] || fail "SIGKILL did not leave the socket file (test assumption)"
start c
pid_c=$pid
grep -q "dead FUSE mount" "$tmp/c.log" || fail "recovery of the dead mount not logged"
grep -q "replaced the stale control socket" "$tmp/c.log" ||
	fail "replacement of the stale socket not logged"
mountpoint -q "$root" || fail "$root is not a live mount after recovery"
[ "$(grep -c " $root fuse.scst " /proc/mounts)" = 1 ] ||
	fail "more than one mount at $root after recovery"
ls "$root" >/dev/null || fail "ls $root failed after recovery"
[ "$(ask ping)" = pong ] || fail "no pong after recovery"
stop "$pid_c" INT c

# --- --no-mount: the engine alone -----------------------------------------
start d --no-mount
pid_d=$pid
! mounted || fail "--no-mount mounted the tree"
[ "$(ask ping)" = pong ] || fail "--no-mount: no pong"
stop "$pid_d" TERM d

echo "PASS: scstd lifecycle (start, mount, control socket, refusal of a second scstd, SIGTERM, dead-mount recovery, --no-mount)"
