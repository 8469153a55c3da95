#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0-only
#
# The vdisk handlers through scstd's tree, as an SCST user drives them:
# add_device into handlers/vdisk_fileio/mgmt with SCST's parameters, map
# the device through scst_local, read the attributes back with cat (key
# attributes show [key]), bad parameters refused with their message in
# last_sysfs_mgmt_res, nullio and vcdrom devices, del_device.
set -uo pipefail
. "$(dirname "$0")/lib/common.bash"
it_init
IT_STRIP=$R/
expect_file() { it_expect_file "$@"; }
mgmt() { it_echo "$@"; }
refuse() { it_refuse "$@"; }

it_start_scstd --threads 2

for h in vdisk_fileio vdisk_blockio vdisk_nullio vcdrom; do
	[ -f "$R/handlers/$h/mgmt" ] && pass "handler $h" || fail "no handler $h"
done
expect_file "$R/handlers/vdisk_fileio/type" "0 - Direct-access device (e.g., magnetic disk)"
expect_file "$R/handlers/vcdrom/type" "5 - CD/DVD device"

f=$tmp/disk1.img
truncate -s 8M "$f"
mgmt "$R/handlers/vdisk_fileio/mgmt" "add_device disk1 filename=$f; blocksize=4096; nv_cache=1"
expect_file "$R/devices/disk1/filename" "$f"$'\n[key]'
expect_file "$R/devices/disk1/blocksize" $'4096\n[key]'
expect_file "$R/devices/disk1/nv_cache" $'1\n[key]'
expect_file "$R/devices/disk1/write_through" "0"
expect_file "$R/devices/disk1/read_only" "0"
expect_file "$R/devices/disk1/size_mb" "8"
expect_file "$R/devices/disk1/t10_vend_id" "SCST_FIO"
expect_file "$R/devices/disk1/prod_id" "disk1"
[ "$(readlink "$R/devices/disk1/handler")" = "../../handlers/vdisk_fileio" ] &&
	pass "disk1/handler -> vdisk_fileio" ||
	fail "disk1/handler -> $(readlink "$R/devices/disk1/handler")"
[ -e "$R/handlers/vdisk_fileio/disk1" ] && pass "handler links disk1" ||
	fail "no handlers/vdisk_fileio/disk1"

T=vdisk_tgt
TD=$R/targets/scst_local/$T
mgmt "$R/targets/scst_local/mgmt" "add_target $T"
mgmt "$TD/luns/mgmt" "add disk1 0"
mgmt "$R/targets/scst_local/mgmt" "add_session $T iqn.1994-05.com.example:h1"
[ -e "$R/devices/disk1/exported/export0" ] && pass "disk1 exported" ||
	fail "disk1 not exported"

# Writable attributes.
echo VENDOR2 >"$R/devices/disk1/t10_vend_id" || fail "write t10_vend_id"
expect_file "$R/devices/disk1/t10_vend_id" $'VENDOR2\n[key]'
truncate -s 16M "$f"
echo 1 >"$R/devices/disk1/resync_size" || fail "resync_size"
expect_file "$R/devices/disk1/size_mb" "16"

# Bad parameters.
M=$R/handlers/vdisk_fileio/mgmt
refuse "$M" "add_device bad filename=$f; blocksize=1000" \
	"blocksize: '1000' is not 512, 1024, 2048 or 4096"
refuse "$M" "add_device bad filename=$f; nv_cache=2" "nv_cache: '2' is not 0 or 1"
refuse "$M" "add_device bad" "add_device bad: filename is required"
refuse "$M" "add_device bad filename=disk.img" "filename: 'disk.img' is not an absolute path"
refuse "$M" "add_device bad filename=$tmp/missing" \
	"bad: cannot open $tmp/missing: no such file or directory"
refuse "$M" "add_device bad filename=$f; t10_vend_id=TOOLONGVENDOR" \
	"t10_vend_id: 'TOOLONGVENDOR' is longer than 8 characters"
refuse "$M" "add_device bad filename=$f; frob=1" "add_device: unknown parameter 'frob'"
[ ! -e "$R/devices/bad" ] && pass "no device left by refused add_device" ||
	fail "devices/bad exists"
if echo 2 >"$R/devices/disk1/write_through" 2>/dev/null; then
	fail "write_through=2 accepted"
else
	pass "write_through=2 refused"
fi

# nullio and vcdrom.
mgmt "$R/handlers/vdisk_nullio/mgmt" "add_device null1 size_mb=100; dummy=1"
expect_file "$R/devices/null1/size_mb" $'100\n[key]'
expect_file "$R/devices/null1/dummy" $'1\n[key]'
mgmt "$R/handlers/vcdrom/mgmt" "add_device cd1"
expect_file "$R/devices/cd1/filename" ""
iso=$tmp/cd.iso
truncate -s 4M "$iso"
echo "$iso" >"$R/devices/cd1/filename" || fail "insert $iso"
expect_file "$R/devices/cd1/filename" "$iso"$'\n[key]'
expect_file "$R/devices/cd1/size_mb" "4"
echo none >"$R/devices/cd1/filename" || fail "eject"
expect_file "$R/devices/cd1/filename" ""

# A block device through vdisk_blockio, when a loop device can be had.
loop=$(losetup -f --show "$f" 2>/dev/null || true)
if [ -n "$loop" ]; then
	mgmt "$R/handlers/vdisk_blockio/mgmt" "add_device blk1 filename=$loop"
	expect_file "$R/devices/blk1/t10_vend_id" "SCST_BIO"
	expect_file "$R/devices/blk1/size_mb" "16"
	mgmt "$R/handlers/vdisk_blockio/mgmt" "del_device blk1"
	losetup -d "$loop"
else
	echo "SKIP: no loop device for vdisk_blockio"
fi

# Teardown.
mgmt "$TD/luns/mgmt" "del 0"
mgmt "$R/handlers/vdisk_fileio/mgmt" "del_device disk1"
mgmt "$R/handlers/vdisk_nullio/mgmt" "del_device null1"
mgmt "$R/handlers/vcdrom/mgmt" "del_device cd1"
[ ! -e "$R/devices/disk1" ] && pass "disk1 gone" || fail "disk1 still there"
refuse "$M" "del_device disk1" "del_device: no device disk1"

it_stop "$pid"
[ "$rc" = 0 ] && pass "scstd exited 0" || fail "scstd exited $rc"
if [ "$fails" -ne 0 ]; then
	echo "--- scstd log"; cat "$tmp/log"
	echo "$fails failure(s)"; exit 1
fi
echo "all passed"
