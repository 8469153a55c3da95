#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0-only
# scstadmin's refusals: one bad file per class of error, each applied to a
# running scstd holding conf/good.conf. Each must fail with exit status 1,
# print the exact file:line message, and leave the tree exactly as it was;
# -check_config must say the same and exit 1 (0 for good.conf).
set -euo pipefail
. "$(dirname "$0")/lib/common.bash"
conf=$IT_DIR/conf
it_init
root=$R

dump() { it_tree_dump; }

sa() { "$SA" -root "$root" "$@"; }

it_start_scstd

sa -config "$conf/good.conf" >/dev/null || { fail "-config good.conf"; exit 1; }
sa -check_config "$conf/good.conf" >/dev/null && pass "-check_config good.conf exits 0" ||
	fail "-check_config good.conf"
dump >"$tmp/base"

# expect FILE MESSAGE: -config and -check_config FILE fail with MESSAGE
# (prefixed by the file's path) and the tree stays as it was.
expect() {
	local file=$conf/$1 msg=$2 rc out
	set +e
	out=$(sa -config "$file" 2>&1)
	rc=$?
	set -e
	if [ $rc = 1 ] && grep -qxF "$file:$msg" <<<"$out" &&
		dump | cmp -s - "$tmp/base"; then
		pass "-config $1: $msg"
	else
		fail "-config $1: rc $rc, expected '$file:$msg', got: $out"
		dump | diff "$tmp/base" - | head -20
	fi
	set +e
	out=$(sa -check_config "$file" 2>&1)
	rc=$?
	set -e
	[ $rc = 1 ] && grep -qxF "$file:$msg" <<<"$out" &&
		pass "-check_config $1 exits 1" || fail "-check_config $1: rc $rc: $out"
}

expect bad_syntax.conf "4: block opened at line 1 is not closed"
expect bad_handler.conf "7: unknown handler vdisk_nonexistent"
expect bad_driver.conf "1: unknown target driver iscsi_nonexistent"
expect bad_attr.conf "7: unknown attribute nv_cache for device new1"
expect readonly_attr.conf "3: attribute type of device new1 is read-only and not a creation parameter"
expect changed_param.conf "3: attribute size_mb of device base1 is read-only: it is '8' in the running system and cannot be changed to '16'"
expect dup_device.conf "5: duplicate DEVICE new1 in HANDLER scst_null (first at line 2)"
expect lun_missing_dev.conf "4: LUN 1 of target base_tgt: device nosuchdisk is neither in the file nor in the running system"
expect dup_lun.conf "9: duplicate LUN 1 in target base_tgt (first at line 8)"
expect bad_state.conf "4: state 'sleeping' is not one of active, nonoptimized, standby, unavailable, offline, transitioning"
expect bad_state.conf "5: group_id '70000' is not 1 to 65535"

# A value only the handler can judge: the file passes every check, the
# daemon refuses the device at creation, and what was applied before it
# (device new1) is rolled back.
sa -check_config "$conf/bad_value.conf" >/dev/null &&
	pass "-check_config bad_value.conf passes (blocksize is judged by the handler)" ||
	fail "-check_config bad_value.conf"
set +e
out=$(sa -config "$conf/bad_value.conf" 2>&1)
rc=$?
set -e
if [ $rc = 1 ] &&
	grep -qxF "scstadmin: failed: echo \"add_device new2 blocksize=3000\" > $root/handlers/scst_null/mgmt: Invalid argument: blocksize 3000 is not 512, 1024, 2048 or 4096" <<<"$out" &&
	grep -qx "added device new1" <<<"$out" && grep -qx "rolled back 1 of 1 changes" <<<"$out" &&
	dump | cmp -s - "$tmp/base"; then
	pass "bad blocksize: refused by the daemon, earlier steps rolled back"
else
	fail "bad blocksize: rc $rc: $out"
fi

# An attribute of a kind of object none of which exists yet: judged when
# applied (after the object is created), and rolled back when refused.
set +e
out=$(sa -config "$conf/new_kind_attr.conf" 2>&1)
rc=$?
set -e
if [ $rc = 1 ] && grep -qxF "scstadmin: failed: target iqn.2026-11.test:first has no attribute no_such_attribute" <<<"$out" &&
	grep -qx "rolled back .* changes" <<<"$out" &&
	dump | cmp -s - "$tmp/base"; then
	pass "first target of a driver: unknown attribute refused at apply, rolled back"
else
	fail "first target of a driver: rc $rc: $out"
fi

# Command-line mistakes.
set +e
out=$(sa -frobnicate 2>&1)
rc=$?
set -e
[ $rc = 1 ] && [ "$out" = "scstadmin: unknown option -frobnicate (see -help)" ] &&
	pass "unknown option" || fail "unknown option: rc $rc: $out"
set +e
out=$(sa -add_lun 0 -target base_tgt -device base1 2>&1)
rc=$?
set -e
[ $rc = 1 ] && [ "$out" = "scstadmin: -add_lun needs -driver" ] &&
	pass "missing -driver" || fail "missing -driver: rc $rc: $out"
set +e
out=$(sa -config "$tmp/nonexistent.conf" 2>&1)
rc=$?
set -e
[ $rc = 1 ] && grep -q "nonexistent.conf" <<<"$out" && pass "missing file" ||
	fail "missing file: rc $rc: $out"
dump | cmp -s - "$tmp/base" && pass "the tree is unchanged after all refusals" ||
	fail "the tree changed"

it_stop "$pid"
[ $fails = 0 ] || exit 1
echo "PASS: scstadmin errors"
