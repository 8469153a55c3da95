#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0-only
# The config tree through FUSE: scstd mounts the core's tree at a temporary
# --root, and ls, cat, echo > behave as with SCST's sysfs tree: the root
# entries are there, attributes read whole (also byte by byte), a bad mgmt
# command fails the write with EINVAL and leaves its result in
# last_sysfs_mgmt_res, read-only attributes refuse writes, nothing can be
# created or removed, and objects added or deleted show up at once.
set -euo pipefail
. "$(dirname "$0")/lib/common.bash"
it_init
root=$R

fail() {
	echo "FAIL: $*"
	echo "--- scstd log"
	cat "$tmp/log" 2>/dev/null || true
	exit 1
}

# run CMD...: run a shell command line, keep its stderr in $err, status in $rc.
run() {
	set +e
	err=$(bash -c "$1" 2>&1 >/dev/null)
	rc=$?
	set -e
}

it_start_scstd
mountpoint -q "$root" || fail "$root is not a mount point"

# --- the root directory -----------------------------------------------------
entries=$(ls "$root") || fail "ls $root failed"
for e in handlers devices targets device_groups version last_sysfs_mgmt_res \
	setup_id threads trace_level; do
	grep -qx "$e" <<<"$entries" || fail "ls $root does not show '$e' (got: ${entries//$'\n'/ })"
done
grep -qx '\.\.' <<<"$(ls -a "$root")" || fail "ls -a $root shows no '..'"
[ "$(stat -c %F "$root/targets")" = directory ] || fail "targets is not a directory"
[ "$(stat -c %a "$root/targets")" = 755 ] || fail "targets is not 0755"
[ "$(stat -c %F "$root/version")" = "regular file" ] || fail "version is not a regular file"
[ "$(stat -c %s "$root/version")" = 4096 ] || fail "version does not have size 4096"
[ "$(stat -c %u "$root/version")" = "$(id -u)" ] || fail "version is not owned by the daemon's uid"
find "$root" >/dev/null 2>"$tmp/find.err" || fail "find $root failed: $(cat "$tmp/find.err")"

# --- reading ----------------------------------------------------------------
version=$(cat "$root/version") || fail "cat version failed"
grep -Eq '^[0-9]+\.[0-9]+' <<<"$version" || fail "version shows '$version'"
[ "$(dd if="$root/version" bs=1 status=none)" = "$version" ] ||
	fail "version read byte by byte differs from cat"
readers=()
for i in 1 2 3 4; do
	(for _ in $(seq 50); do cat "$root/version"; done >"$tmp/par.$i") &
	readers+=($!)
done
wait "${readers[@]}" || fail "parallel reads of version failed"
for f in "$tmp"/par.*; do
	[ "$(sort -u "$f")" = "$version" ] || fail "parallel reads of version disagree"
done

# --- a bad mgmt command fails the write and is recorded ---------------------
run "echo bogus > '$root/targets/scst_local/mgmt'"
[ "$rc" != 0 ] || fail "a bogus mgmt command succeeded"
grep -q "Invalid argument" <<<"$err" || fail "a bogus mgmt command failed without EINVAL: $err"
res=$(cat "$root/last_sysfs_mgmt_res") || fail "cat last_sysfs_mgmt_res failed"
status=$(head -n1 <<<"$res")
msg=$(sed -n 2p <<<"$res")
grep -Eq '^-?[1-9][0-9]*$' <<<"$status" || fail "last_sysfs_mgmt_res shows no failure: '$res'"
[ -n "$msg" ] || fail "last_sysfs_mgmt_res has no message: '$res'"

# --- a writable attribute: set, read back, refuse garbage, restore ---------
old=$(head -n1 "$root/setup_id")
run "echo 0x5c57 > '$root/setup_id'"
[ "$rc" = 0 ] || fail "echo 0x5c57 > setup_id failed: $err"
[ "$(head -n1 "$root/setup_id")" = 0x5c57 ] || fail "setup_id does not read back 0x5c57"
run "echo not-a-number > '$root/setup_id'"
[ "$rc" != 0 ] || fail "a bad setup_id value was accepted"
grep -q "Invalid argument" <<<"$err" || fail "a bad setup_id failed without EINVAL: $err"
run "echo $old > '$root/setup_id'"
[ "$rc" = 0 ] || fail "restoring setup_id failed: $err"

# --- what may not be done ---------------------------------------------------
run "echo 9.9 > '$root/version'"
[ "$rc" != 0 ] || fail "writing the read-only version succeeded"
grep -q "Permission denied" <<<"$err" || fail "writing version: not EACCES: $err"
[ "$(cat "$root/version")" = "$version" ] || fail "version changed after a refused write"
run "echo x > '$root/newfile'"
[ "$rc" != 0 ] || fail "creating a file succeeded"
grep -q "Permission denied" <<<"$err" || fail "creating a file: not EACCES: $err"
run "touch '$root/handlers/newfile'"
[ "$rc" != 0 ] || fail "touch of a new file succeeded"
run "mkdir '$root/newdir'"
[ "$rc" != 0 ] || fail "mkdir succeeded"
run "rm -f '$root/version'"
[ "$rc" != 0 ] || fail "removing version succeeded"
[ -e "$root/version" ] || fail "version is gone"
run "mv '$root/setup_id' '$root/setup_id2'"
[ "$rc" != 0 ] || fail "rename succeeded"

# --- objects appear and disappear at once; symlinks -------------------------
run "echo 'add_device fusedev0 size_mb=1' > '$root/handlers/scst_null/mgmt'"
[ "$rc" = 0 ] || fail "add_device through scst_null/mgmt failed: $err"
[ -d "$root/devices/fusedev0" ] || fail "devices/fusedev0 did not appear"
[ "$(readlink "$root/handlers/scst_null/fusedev0")" = ../../devices/fusedev0 ] ||
	fail "handlers/scst_null/fusedev0 is not a link to ../../devices/fusedev0"
[ "$(stat -c %F "$root/handlers/scst_null/fusedev0")" = "symbolic link" ] ||
	fail "handlers/scst_null/fusedev0 is not a symlink"
ls "$root/handlers/scst_null/fusedev0/" >/dev/null || fail "cannot list through the link"
run "echo 'del_device fusedev0' > '$root/handlers/scst_null/mgmt'"
[ "$rc" = 0 ] || fail "del_device through scst_null/mgmt failed: $err"
[ ! -e "$root/devices/fusedev0" ] || fail "devices/fusedev0 is still there after del_device"
[ ! -L "$root/handlers/scst_null/fusedev0" ] || fail "the handler's link is still there"

# --- stop: the tree is unmounted -------------------------------------------
it_stop "$pid"
[ "$rc" = 0 ] || fail "scstd exited $rc after SIGTERM"
! grep -q " $root fuse" /proc/mounts || fail "the tree is still mounted after SIGTERM"
echo "PASS: scstd config tree over FUSE (ls, cat, mgmt errors, permissions, live changes)"
