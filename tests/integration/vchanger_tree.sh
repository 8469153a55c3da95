#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0-only
#
# The vchanger through scstd's tree, as an administrator and an operator
# drive it: add_device with its parameters (the cartridge files it
# creates), the attributes, insert and remove in handlers/vchanger/mgmt
# with their refusals in last_sysfs_mgmt_res, a cartridge loaded through
# a drive's attribute found by the changer, the scstadmin -write_config and
# -config round trip, and kill -9 of scstd: the inventory comes back from
# the state file and the changer puts the drive's cartridge back. The
# SCSI side (READ ELEMENT STATUS, MOVE MEDIUM, ...) is the unit suite
# vchanger's.
set -uo pipefail
. "$(dirname "$0")/lib/common.bash"
it_init
IT_STRIP=$R/
expect_file() { it_expect_file "$@"; }
mgmt() { it_echo "$@"; }
refuse() { it_refuse "$@"; }

it_start_scstd --threads 2
export SCST_ROOT=$R
V=$R/handlers/vchanger/mgmt
T=$R/handlers/vtape/mgmt
media=$tmp/media
mkdir -p "$media"

expect_file "$R/handlers/vchanger/type" "8 - Medium changer device"
grep -q "insert DEVICE BARCODE" "$V" && grep -q "remove DEVICE BARCODE" "$V" &&
	grep -q "inventory DEVICE" "$V" &&
	pass "mgmt lists insert, remove and inventory" || fail "mgmt: $(cat "$V")"

mgmt "$T" "add_device drive0 media_dir=$media"
mgmt "$V" "add_device lib0 media_dir=$media; drives=drive0,drive1; slots=4; ie_slots=1; capacity=64M; barcodes=A00001L5,A00002L5"
[ -f "$media/A00001L5" ] && [ -f "$media/A00002L5" ] &&
	pass "cartridge files created" || fail "no cartridge files in $media"
expect_file "$R/devices/lib0/elements" "0x0001 drive empty device=drive0
0x0002 drive empty device=drive1 missing
0x0100 transport empty
0x0200 import_export empty
0x0400 storage A00001L5
0x0401 storage A00002L5
0x0402-0x0403 storage empty"
expect_file "$R/devices/lib0/slots" $'4\n[key]'
expect_file "$R/devices/lib0/capacity" $'64M\n[key]'
expect_file "$R/devices/lib0/ie_slots" "1"
refuse "$V" "add_device lib1 media_dir=$media" \
	"add_device lib1: media_dir and slots are required"
refuse "$V" "add_device lib1 media_dir=$media; slots=1; barcodes=X1,X2" \
	"barcodes: more cartridges than the 1 slots"
[ ! -e "$R/devices/lib1" ] && pass "no device left by refused add_device" ||
	fail "devices/lib1 exists"

# The operator at the import/export door.
refuse "$V" "insert lib0 A00001L5" "insert: A00001L5 is already in element 0x0400 of lib0"
refuse "$V" "insert lib0 a/b" "insert: 'a/b' is not a barcode (1 to 32 of A-Z a-z 0-9 - _ . +)"
mgmt "$V" "insert lib0 B00001L5"
[ -f "$media/B00001L5" ] && pass "inserted cartridge created" || fail "no $media/B00001L5"
refuse "$V" "insert lib0 B00002L5" "insert: lib0 has no empty import/export element"
refuse "$V" "remove lib0 A00002L5" \
	"remove: A00002L5 is in element 0x0401, not in an import/export element"
refuse "$V" "nudge lib0 A1" "vchanger: unknown command 'nudge lib0 A1'"
refuse "$V" "inventory lib0 A1" "usage: inventory DEVICE"
refuse "$V" "remove lib0" "usage: remove DEVICE BARCODE"
mgmt "$V" "remove lib0 B00001L5"
[ -f "$media/B00001L5" ] && pass "a removed cartridge keeps its file" || fail "B00001L5 gone"

# Loaded through the drive: the changer finds it there at its next look.
mgmt "$R/devices/drive0/cartridge" "A00002L5"
mgmt "$V" "insert lib0 B00001L5"
expect_file "$R/devices/lib0/elements" "0x0001 drive A00002L5 source=0x0401 device=drive0
0x0002 drive empty device=drive1 missing
0x0100 transport empty
0x0200 import_export B00001L5 operator
0x0400 storage A00001L5
0x0401-0x0403 storage empty"
state=$(cat "$tmp/state/vchanger.lib0" 2>/dev/null)
[ "$state" == $'vchanger 1\n0x0001 0x0401 - A00002L5\n0x0200 - o B00001L5\n0x0400 - - A00001L5' ] &&
	pass "state file" || fail "state file: '$state'"

# The configuration file round trip: the inventory is the state file's.
"$O/scstadmin" -write_config "$tmp/vchanger.conf" >/dev/null
grep -q "HANDLER vchanger" "$tmp/vchanger.conf" && grep -q "slots 4" "$tmp/vchanger.conf" &&
	grep -q "drives drive0,drive1" "$tmp/vchanger.conf" &&
	grep -q "barcodes A00001L5,A00002L5" "$tmp/vchanger.conf" &&
	grep -q "capacity 64M" "$tmp/vchanger.conf" &&
	pass "-write_config saves the changer" || fail "-write_config: $(cat "$tmp/vchanger.conf")"
"$O/scstadmin" -clear_config -force -noprompt >/dev/null 2>&1
[ ! -e "$R/devices/lib0" ] && pass "-clear_config removed the changer" || fail "lib0 left"
"$O/scstadmin" -config "$tmp/vchanger.conf" >/dev/null 2>&1 || fail "-config $tmp/vchanger.conf"
# The changer came first, its drive after it: it looks at the drives
# again at its next command (here the operator's inventory).
grep -q "drive0 missing put_back" "$R/devices/lib0/elements" &&
	pass "lib0 was created before drive0" || fail "$(cat "$R/devices/lib0/elements")"
mgmt "$V" "inventory lib0"
expect_file "$R/devices/lib0/elements" "0x0001 drive A00002L5 source=0x0401 device=drive0
0x0002 drive empty device=drive1 missing
0x0100 transport empty
0x0200 import_export B00001L5 operator
0x0400 storage A00001L5
0x0401-0x0403 storage empty"

# kill -9 of scstd: a new daemon, an empty drive; the changer puts the
# cartridge of its state file back into it.
kill -9 "$pid" 2>/dev/null
wait "$pid" 2>/dev/null
it_forget "$pid"
fusermount3 -uz "$R" 2>/dev/null || umount -l "$R" 2>/dev/null || true
it_start_scstd --threads 2
mgmt "$T" "add_device drive0 media_dir=$media"
expect_file "$R/devices/drive0/cartridge" ""
mgmt "$V" "add_device lib0 media_dir=$media; drives=drive0,drive1; slots=4; ie_slots=1; capacity=64M; barcodes=Z00001L5"
for _ in $(seq 100); do
	[ "$(head -1 "$R/devices/drive0/cartridge")" == "A00002L5" ] && break
	sleep 0.05
done
[ "$(head -1 "$R/devices/drive0/cartridge")" == "A00002L5" ] &&
	pass "the changer put A00002L5 back into drive0" ||
	fail "drive0 holds '$(cat "$R/devices/drive0/cartridge")'"
[ ! -e "$media/Z00001L5" ] && pass "the state file wins over barcodes=" ||
	fail "Z00001L5 was created"
for _ in $(seq 100); do
	grep -q busy "$R/devices/lib0/elements" || break
	sleep 0.05
done
expect_file "$R/devices/lib0/elements" "0x0001 drive A00002L5 source=0x0401 device=drive0
0x0002 drive empty device=drive1 missing
0x0100 transport empty
0x0200 import_export B00001L5 operator
0x0400 storage A00001L5
0x0401-0x0403 storage empty"

mgmt "$V" "del_device lib0"
mgmt "$T" "del_device drive0"
[ ! -e "$R/devices/lib0" ] && pass "del_device lib0" || fail "lib0 still there"
it_stop_all
if [ "$fails" -ne 0 ]; then
	echo "--- scstd log"; cat "$tmp/log"
	echo "$fails failure(s)"; exit 1
fi
echo "all passed"
