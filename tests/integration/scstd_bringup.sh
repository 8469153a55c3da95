#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0-only
#
# SCST's canonical bring-up, done the way an SCST user does it: echo into
# the mgmt files of the tree that scstd mounts, against the null handler
# and the loopback transport; then every attribute is read back with cat
# and checked, and the links, sessions and error reporting are verified.
set -uo pipefail
. "$(dirname "$0")/lib/common.bash"
it_init
# expect_file PATH EXPECTED: the file's whole content.
expect_file() { it_expect_file "$@"; }
expect_link() {
	local got
	got=$(readlink "$1")
	if [ "$got" == "$2" ] && [ -e "$1" ]; then pass "$1 -> $2"
	else fail "$1: expected link to '$2' (existing), got '$got'"; fi
}
# mgmt PATH COMMAND: must succeed.
mgmt() { it_echo "$@"; }

it_start_scstd --threads 2

T=iqn.2006-10.net.vlnb:tgt
TD=$R/targets/scst_local/$T
INI=iqn.1994-05.com.redhat:host1

# ---- the bring-up
mgmt "$R/handlers/scst_null/mgmt" "add_device disk1 size_mb=64; blocksize=4096"
mgmt "$R/handlers/scst_null/mgmt" "add_device disk2 size_mb=16"
mgmt "$R/targets/scst_local/mgmt" "add_target $T"
mgmt "$TD/luns/mgmt" "add disk1 0"
mgmt "$TD/luns/mgmt" "add disk2 1 read_only=1"
mgmt "$TD/ini_groups/mgmt" "create hosts"
mgmt "$TD/ini_groups/hosts/initiators/mgmt" "add iqn.1994-05.com.redhat:*"
mgmt "$TD/ini_groups/hosts/initiators/mgmt" "add !iqn.1994-05.com.redhat:bad"
mgmt "$TD/ini_groups/hosts/luns/mgmt" "add disk2 0"
echo "hosts of the lab" >"$TD/comment" || fail "write comment"
mgmt "$R/targets/scst_local/mgmt" "add_session $T $INI"
echo 1 >"$TD/enabled" || fail "enable the target"
mgmt "$R/device_groups/mgmt" "create dg1"
mgmt "$R/device_groups/dg1/devices/mgmt" "add disk1"
mgmt "$R/device_groups/dg1/target_groups/mgmt" "create tg1"
mgmt "$R/device_groups/dg1/target_groups/tg1/mgmt" "add $T"
echo 7 >"$R/device_groups/dg1/target_groups/tg1/group_id" || fail "group_id"
echo standby >"$R/device_groups/dg1/target_groups/tg1/state" || fail "state"

# ---- read everything back
expect_file "$R/devices/disk1/blocksize" $'4096\n[key]'
expect_file "$R/devices/disk1/size_mb" $'64\n[key]'
expect_file "$R/devices/disk1/size" "67108864"
expect_file "$R/devices/disk2/blocksize" "512"
expect_file "$R/devices/disk1/type" "0 - Direct-access device (e.g., magnetic disk)"
expect_file "$R/handlers/scst_null/type" "0 - Direct-access device (e.g., magnetic disk)"
expect_link "$R/devices/disk1/handler" "../../handlers/scst_null"
expect_link "$R/handlers/scst_null/disk1" "../../devices/disk1"
expect_link "$TD/luns/0/device" "../../../../../devices/disk1"
expect_link "$R/devices/disk1/exported/export0" "../../../targets/scst_local/$T/luns/0"
expect_file "$TD/luns/1/read_only" $'1\n[key]'
expect_file "$TD/luns/0/read_only" "0"
expect_file "$TD/comment" $'hosts of the lab\n[key]'
expect_file "$TD/rel_tgt_id" $'1\n[key]'
expect_file "$TD/addr_method" "PERIPHERAL"
expect_file "$TD/enabled" "1"
expect_file "$TD/ini_groups/hosts/initiators/iqn.1994-05.com.redhat:*" "iqn.1994-05.com.redhat:*"
expect_file "$TD/ini_groups/hosts/luns/0/read_only" "0"
expect_link "$TD/ini_groups/hosts/luns/0/device" "../../../../../../../devices/disk2"
expect_file "$TD/sessions/$INI/initiator_name" "$INI"
expect_link "$TD/sessions/$INI/luns" "../../../../../targets/scst_local/$T/ini_groups/hosts/luns"
expect_file "$TD/sessions/$INI/active_commands" "0"
expect_file "$R/device_groups/dg1/target_groups/tg1/group_id" $'7\n[key]'
expect_file "$R/device_groups/dg1/target_groups/tg1/state" $'standby\n[key]'
expect_link "$R/device_groups/dg1/devices/disk1" "../../../devices/disk1"
expect_file "$R/device_groups/dg1/target_groups/tg1/$T/rel_tgt_id" "0"
expect_file "$R/last_sysfs_mgmt_res" "0"
grep -q "The following parameters available: size, size_mb, blocksize" \
	"$R/handlers/scst_null/mgmt" && pass "handler mgmt lists its parameters" ||
	fail "handler mgmt usage: $(cat "$R/handlers/scst_null/mgmt")"

# Every readable file reads; every write-only file refuses to be read.
n=0
while IFS= read -r -d '' f; do
	mode=$(stat -c %a "$f")
	if [ "$mode" = 200 ]; then
		cat "$f" >/dev/null 2>&1 && fail "write-only $f was readable"
	else
		cat "$f" >/dev/null 2>"$tmp/err" || fail "cat $f: $(cat "$tmp/err")"
		n=$((n + 1))
	fi
done < <(find "$R" -type f -print0)
[ "$n" -gt 40 ] && pass "read $n attribute files back with cat" ||
	fail "only $n attribute files found"

# ---- errors: the write fails with its errno, the result says why
if echo "add_device disk1 size_mb=8" >"$R/handlers/scst_null/mgmt" 2>"$tmp/err"; then
	fail "a duplicate device was accepted"
else
	grep -q "File exists" "$tmp/err" && pass "duplicate device refused (EEXIST)" ||
		fail "duplicate device: $(cat "$tmp/err")"
	expect_file "$R/last_sysfs_mgmt_res" $'-17\nadd_device: device disk1 already exists'
fi
if echo "add disk9 5" >"$TD/luns/mgmt" 2>"$tmp/err"; then
	fail "a LUN on a missing device was accepted"
else
	expect_file "$R/last_sysfs_mgmt_res" $'-2\nno device disk9'
fi
if echo "frobnicate" >"$TD/luns/mgmt" 2>"$tmp/err"; then
	fail "an unknown command was accepted"
else
	grep -q "Invalid argument" "$tmp/err" && pass "unknown command refused (EINVAL)" ||
		fail "unknown command: $(cat "$tmp/err")"
fi
[ ! -e "$TD/luns/5" ] && pass "no LUN 5 appeared" || fail "LUN 5 appeared"

# ---- teardown through the tree
mgmt "$R/targets/scst_local/mgmt" "del_session $T $INI"
[ ! -e "$TD/sessions/$INI" ] && pass "session gone" || fail "session still listed"
mgmt "$TD/luns/mgmt" "del 1"
mgmt "$R/targets/scst_local/mgmt" "del_target $T"
mgmt "$R/handlers/scst_null/mgmt" "del_device disk2"
[ ! -e "$R/devices/disk2" ] && [ ! -e "$R/targets/scst_local/$T" ] &&
	pass "target and device gone" || fail "objects left after deletion"
[ -z "$(ls "$R/devices/disk1/exported")" ] && pass "disk1 no longer exported" ||
	fail "disk1 still exported: $(ls "$R/devices/disk1/exported")"

it_stop "$pid"
[ "$rc" = 0 ] && pass "scstd stopped cleanly" || fail "scstd exited $rc"
if [ "$fails" -ne 0 ]; then
	echo "scstd log:"
	cat "$tmp/log"
	echo "FAIL: $fails check(s) failed"
	exit 1
fi
echo "PASS: canonical bring-up through the tree"
