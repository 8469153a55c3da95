#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0-only
#
# The vtape handler through scstd's tree, as an administrator drives it:
# create_cartridge and add_device in handlers/vtape/mgmt, loading and
# unloading through the cartridge attribute, refused commands with their
# message in last_sysfs_mgmt_res, scstadmin -write_config and -config
# round trip (the drive comes back with its cartridge), and a cartridge
# written through scst_local that survives kill -9 of scstd.
set -uo pipefail
. "$(dirname "$0")/lib/common.bash"
it_init
IT_STRIP=$R/
expect_file() { it_expect_file "$@"; }
mgmt() { it_echo "$@"; }
refuse() { it_refuse "$@"; }

it_start_scstd --threads 2
export SCST_ROOT=$R
M=$R/handlers/vtape/mgmt
media=$tmp/media
mkdir -p "$media"

expect_file "$R/handlers/vtape/type" "1 - Sequential-access device (e.g., magnetic tape)"
grep -q "create_cartridge BARCODE media_dir=DIR" "$M" && pass "mgmt lists create_cartridge" ||
	fail "mgmt does not list create_cartridge"

mgmt "$M" "create_cartridge A00001L5 media_dir=$media; capacity=64M"
mgmt "$M" "create_cartridge A00002L5 media_dir=$media; capacity=1G; write_protected=1"
[ -f "$media/A00001L5" ] && pass "cartridge file created" || fail "no $media/A00001L5"
# Sparse: the file holds the headers, not the capacity.
sz=$(stat -c %s "$media/A00002L5")
[ "$sz" -lt 1048576 ] && pass "a new cartridge takes $sz bytes" || fail "a new cartridge takes $sz bytes"
refuse "$M" "create_cartridge A00001L5 media_dir=$media" \
	"create_cartridge $media/A00001L5: it exists"
refuse "$M" "create_cartridge A/1 media_dir=$media" \
	"create_cartridge: a barcode of 1 to 32 printable characters is required"
refuse "$M" "create_cartridge B1 media_dir=$media; capacity=12Q" \
	"create_cartridge: bad capacity '12Q' (at least 1M)"
refuse "$M" "add_device drive9" "add_device drive9: media_dir=/absolute/path is required"
refuse "$M" "add_device drive9 media_dir=$media; cartridge=NOPE" \
	"cannot load $media/NOPE: no such file"
refuse "$M" "add_device drive9 media_dir=$media; speed=9" "add_device: unknown parameter 'speed'"
[ ! -e "$R/devices/drive9" ] && pass "no device left by refused add_device" ||
	fail "devices/drive9 exists"

mgmt "$M" "add_device drive0 media_dir=$media; cartridge=A00001L5"
mgmt "$M" "add_device drive1 media_dir=$media; usn=SERIAL01"
expect_file "$R/devices/drive0/cartridge" $'A00001L5\n[key]'
expect_file "$R/devices/drive0/position" "0"
expect_file "$R/devices/drive0/block_size" "0"
expect_file "$R/devices/drive0/media_dir" "$media"$'\n[key]'
expect_file "$R/devices/drive1/cartridge" ""
expect_file "$R/devices/drive1/position" "none"
expect_file "$R/devices/drive1/usn" $'SERIAL01\n[key]'
# One cartridge cannot be in two drives (the file is locked).
refuse "$R/devices/drive1/cartridge" "A00001L5" \
	"cannot load $media/A00001L5: it is loaded in another drive"
echo A00002L5 >"$R/devices/drive1/cartridge" && pass "loaded A00002L5 into drive1" ||
	fail "load A00002L5: $(cat "$R/last_sysfs_mgmt_res")"
expect_file "$R/devices/drive1/cartridge" $'A00002L5\n[key]'
printf 'not a cartridge' >"$media/JUNK"
refuse "$R/devices/drive1/cartridge" "JUNK" "cannot load $media/JUNK: not a cartridge"
expect_file "$R/devices/drive1/cartridge" ""

# The configuration file round trip.
"$O/scstadmin" -write_config "$tmp/vtape.conf" >/dev/null
grep -q "HANDLER vtape" "$tmp/vtape.conf" && grep -q "cartridge A00001L5" "$tmp/vtape.conf" &&
	grep -q "usn SERIAL01" "$tmp/vtape.conf" && pass "-write_config saves the drives" ||
	fail "-write_config: $(cat "$tmp/vtape.conf")"
"$O/scstadmin" -clear_config -force -noprompt >/dev/null 2>&1
[ ! -e "$R/devices/drive0" ] && pass "-clear_config removed the drives" || fail "drive0 left"
"$O/scstadmin" -config "$tmp/vtape.conf" >/dev/null 2>&1 || fail "-config $tmp/vtape.conf"
expect_file "$R/devices/drive0/cartridge" $'A00001L5\n[key]'
expect_file "$R/devices/drive1/usn" $'SERIAL01\n[key]'

# kill -9 of scstd: the cartridge loads again in a new daemon (the data
# path across a restart is covered by the unit suite vtape_drive and by
# the VM test tests/vm/tape.sh).
kill -9 "$pid" 2>/dev/null
wait "$pid" 2>/dev/null
it_forget "$pid"
fusermount3 -uz "$R" 2>/dev/null || umount -l "$R" 2>/dev/null || true
it_start_scstd --threads 2
mgmt "$M" "add_device drive0 media_dir=$media; cartridge=A00001L5"
expect_file "$R/devices/drive0/cartridge" $'A00001L5\n[key]'

mgmt "$M" "del_device drive0"
[ ! -e "$R/devices/drive0" ] && pass "del_device drive0" || fail "drive0 still there"
it_stop_all
if [ "$fails" -ne 0 ]; then
	echo "--- scstd log"; cat "$tmp/log"
	echo "$fails failure(s)"; exit 1
fi
echo "all passed"
