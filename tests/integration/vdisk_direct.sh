#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0-only
#
# Direct I/O end to end over iSCSI: an O_DIRECT vdisk_fileio device on a
# file in /var/tmp (a real file system, not tmpfs) and a vdisk_blockio
# device on a loop device over another file there. Both go through the
# zero-copy libaio engine (vdisk_io_block.c): the kernel reads and writes
# the command's 128 KiB buffer pieces directly.
#
# For each device, with qemu-img/qemu-io (its iscsi driver) as initiator:
#   - random data over the whole device (2 MiB writes: 16 pieces each),
#     read back whole and compared, and compared on the backing store;
#   - pattern writes at byte offsets that are not on a page and span
#     several pieces (up to an 8 MiB write: 64 pieces and one more),
#     pattern reads that start and end inside them, then the whole
#     device and the backing store compared with the expected image.
# Then libiscsi's iscsi-test-cu data-command families on both devices
# (CU_TESTS to choose others; CompareAndWrite.Simple and .Miscompare are
# left out for the reason iscsi_scsi_cu.sh gives). The loop device is detached and the files removed on exit. Without
# losetup (or loop devices) the blockio part is skipped with a SKIP line;
# without qemu's iscsi driver the whole test is.
set -uo pipefail
. "$(dirname "$0")/lib/common.bash"
it_need "" "$SCSTD" "$ISCSID" "$(command -v qemu-img)" "$(command -v qemu-io)"
qemu-img --help 2>/dev/null | grep -A3 '^Supported formats' | grep -qw iscsi ||
	{ echo "SKIP: qemu-img has no iscsi driver (qemu-block-extra)"; exit 0; }
it_init
TGT=iqn.2024-01.org.example:direct
SIZE_MB=32
CU_TESTS=${CU_TESTS:-SCSI.Read10,SCSI.Read16,SCSI.Write10,SCSI.Write16,SCSI.CompareAndWrite.DpoFua,SCSI.CompareAndWrite.Unwritten,SCSI.CompareAndWrite.InvalidDataOutSize,SCSI.WriteSame16,SCSI.WriteVerify16,SCSI.Verify16}
dir=$(mktemp -d /var/tmp/vdisk_direct.XXXXXX) || { fail "mktemp in /var/tmp"; exit 1; }
it_rm+=("$dir")
loop=
it_cleanup_hook() {
	# Stop scstd first: it holds the loop device open.
	it_stop_all >/dev/null
	[ -n "$loop" ] && losetup -d "$loop"
	loop=
}

src=$dir/src.img
dd if=/dev/urandom of="$src" bs=1M count=$SIZE_MB status=none || { fail "random data"; exit 1; }
truncate -s ${SIZE_MB}M "$dir/odirect.img" "$dir/loop.img"

it_start_scstd --threads 2
it_add_device vdisk_fileio od "filename=$dir/odirect.img; o_direct=1"
devs=(od:0)
if ! command -v losetup >/dev/null; then
	skip "vdisk_blockio part: losetup missing"
elif ! loop=$(losetup -f --show "$dir/loop.img" 2>"$tmp/losetup.err"); then
	loop=
	skip "vdisk_blockio part: losetup -f failed: $(head -1 "$tmp/losetup.err")"
else
	pass "loop device $loop over $dir/loop.img"
	it_add_device vdisk_blockio bl "filename=$loop"
	devs+=(bl:1)
fi
it_iscsi_target "$TGT" "${devs[@]}"
PORT=
it_start_iscsid

# fill IMAGE OFFSET LENGTH OCTAL: LENGTH bytes of OCTAL at OFFSET (both
# multiples of 512) in IMAGE, as qemu-io's write -P does on the device.
fill() {
	tr '\0' "\\$4" </dev/zero | head -c "$3" |
		dd of="$1" bs=512 seek=$(($2 / 512)) conv=notrunc status=none
}

# qio URL COMMAND...: qemu-io; a failed command or verification fails.
qio() {
	local url=$1 args=() c
	shift
	for c in "$@"; do args+=(-c "$c"); done
	if timeout "$IT_TIMEOUT" qemu-io -f raw "${args[@]}" "$url" >"$tmp/qio" 2>&1 &&
		! grep -qi 'fail\|error' "$tmp/qio"; then
		pass "qemu-io: $*"
	else
		fail "qemu-io: $*: $(grep -i 'fail\|error' "$tmp/qio" | head -3)"
	fi
}

# check NAME URL BACKING: the device and its backing store hold $exp.
check() {
	rm -f "$tmp/back.img"
	it_run "$1: read back whole" qemu-img convert -f raw -O raw "$2" "$tmp/back.img"
	cmp -s "$exp" "$tmp/back.img" && pass "$1: device holds the expected data" ||
		fail "$1: device differs: $(cmp "$exp" "$tmp/back.img" 2>&1 | head -1)"
	cmp -s -n $((SIZE_MB << 20)) "$exp" "$3" && pass "$1: $3 holds the expected data" ||
		fail "$1: $3 differs: $(cmp -n $((SIZE_MB << 20)) "$exp" "$3" 2>&1 | head -1)"
}

exp=$tmp/expected.img
for d in "${devs[@]}"; do
	name=${d%%:*} lun=${d#*:}
	url=iscsi://127.0.0.1:$PORT/$TGT/$lun
	back=$dir/odirect.img
	[ "$name" = bl ] && back=$loop
	cp "$src" "$exp"
	it_run "$name: random data over the device" \
		qemu-img convert -n -f raw -O raw "$src" "$url"
	check "$name" "$url" "$back"

	# 2049 sectors at sector 3; 8 MiB at sector 10241; 131 KiB at
	# 24 MiB + 4.5 KiB.
	fill "$exp" 1536 1049088 132
	fill "$exp" 5243392 8388608 245
	fill "$exp" 25170432 134144 156
	qio "$url" "write -P 0x5a 1536 1049088" "write -P 0xa5 5243392 8388608" \
		"write -P 0x6e 25170432 134144"
	qio "$url" "read -P 0x5a 1536 1049088" "read -P 0x5a 2048 512" \
		"read -P 0x5a 132608 131584" "read -P 0x5a 1000960 49664" \
		"read -P 0xa5 5243904 8387584" "read -P 0xa5 5374464 4096" \
		"read -P 0xa5 13631488 512" "read -P 0x6e 25170944 133120"
	check "$name" "$url" "$back"
done

# libiscsi's conformance tests of the data commands on both devices (they
# write over the data checked above).
CU=$(command -v iscsi-test-cu || true)
if [ -z "$CU" ]; then
	skip "iscsi-test-cu missing: conformance part not run"
else
	for d in "${devs[@]}"; do
		url=iscsi://127.0.0.1:$PORT/$TGT/${d#*:}
		it_cu "$tmp/cu" 300 -d -i iqn.2024-01.org.example:direct-ini \
			-t "$CU_TESTS" "$url"
		it_cu_report 3 "${d%%:*}" "$tmp/cu"
	done
fi

# Over iSCSI the network threads reap the direct I/O completions
# themselves (scst_poller); scstd says how many at exit.
it_stop "$pid"
polled=$(sed -n 's/.*direct I\/O completions: \([0-9]*\) reaped by workers.*/\1/p' "$IT_SCSTD_LOG" | tail -1)
if [ "${polled:-0}" -gt 0 ]; then
	pass "completions reaped by the iSCSI workers: $polled ($(grep -o '[0-9]* by engine threads' "$IT_SCSTD_LOG" | tail -1))"
else
	fail "no direct I/O completion reaped by a worker (log: ${polled:-no line})"
fi

[ $fails -eq 0 ] || it_logs_tail
echo "$fails failed"
[ $fails -eq 0 ]
