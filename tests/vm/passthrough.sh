#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0-only
#
# The pass-through VM test: scstd and iscsi-scstd run INSIDE the qemu
# guest (TCG, the host's Debian kernel, a busybox initramfs built into
# $O/vm-pt) on real SCSI devices there, through the pass-through handlers
# dev_disk, dev_tape and dev_changer (Linux sg):
#   - a scsi_debug disk (64 MB) the guest creates itself;
#   - Debian's tgt on the host as a tape library (tests/vm/tgt.bash: two
#     drives at LUNs 1 and 2, a changer at LUN 3, cartridges
#     A00001L5-A00003L5), given to the guest by qemu's iscsi block driver
#     and scsi-generic devices on a virtio-scsi controller.
# The guest (tests/vm/init-passthrough) exports them over iSCSI on its
# port 3260, logs in from itself as two initiators and drives them with
# st, ch, mt-st, mtx, GNU tar and sg3_utils; when it asks (VMTEST: HOST
# cu) the host runs libiscsi's iscsi-test-cu on LUN 0 (the disk) through
# the forwarded port 127.0.0.1:$CU_PORT -> guest:3260. Each check is a
# console line "CHECK <name> PASS|FAIL <detail>"; every one must PASS.
# Until scstd has the pass-through handlers, the guest exports the disk
# with vdisk_blockio (the plumbing) and the tape checks FAIL.
# The console is kept as $O/vm-pt/console.log.
#
#   O=build tests/vm/passthrough.sh
# Environment: VM_TIMEOUT (seconds, default 400), VM_KEEP=1 keeps the
# temporary directory, PT_CU_TESTS (iscsi-test-cu's -t list). Needs what
# tests/vm/tape.sh needs (without bacula) plus tgt, iscsi-test-cu
# (libiscsi-bin) and qemu's iscsi block driver (qemu-block-extra); a
# SKIP line and exit 0 when one is missing (FAIL under CI or with
# VM_REQUIRED=1).
set -uo pipefail
VM_LABEL=vm-pt
VM_TIMEOUT=${VM_TIMEOUT:-400}
VM_CONSOLE_GREP='^CHECK\|^VMTEST' VM_CONSOLE_TAIL=60
here=$(cd "$(dirname "$0")" && pwd)
# shellcheck source-path=SCRIPTDIR source=lib.bash
. "$here/lib.bash"
[ $# -eq 0 ] || { sed -n '3,/^set /p' "$0" | sed -n 's/^# \{0,1\}//p' >&2; exit 1; }

# The checks of tests/vm/init-passthrough, in its order.
CHECKS=(real-devices config devices-a devices-b mtx-status weof-empty mtx-load drive-ready mt-rewind
	mt-write mt-weof mt-status mt-fsf mt-tell mt-bsf tar-write tar-read reserve-a conflict-b
	release-a after-release ua-mode-select mtx-unload ua-medium-a ua-medium-b lun-reset-a
	lun-reset-b sense-per-session iscsi-test-cu unplug-io unplug-serves unplug-counters
	logout daemons)
# iscsi-test-cu on the disk: the families that exercise the pass-through
# path (data in/out, residuals, sense, reservations and resets between
# two initiators), about a minute under TCG (the whole 15 families took
# 197 s: Read/Write "Simple" and "BeyondEol" of each CDB size are 512
# commands each). Left out, as scsi_debug answers them (the pass-through
# passes its answers exactly): RDPROTECT/WRPROTECT/VRPROTECT not refused
# without protection information, READ/WRITE(16) BeyondEol (its LBA
# check wraps at 2^64), VERIFY(10) of 0 blocks beyond the end accepted,
# INQUIRY version 7 and EVPD=0 with a page code accepted, MODE SENSE
# Control-D_SENSE; not investigated yet: REPORT SUPPORTED OPCODES
# OneCommand/SERVACTV, INQUIRY BlockLimits (line 105).
CU_TESTS=${PT_CU_TESTS:-SCSI.TestUnitReady,SCSI.Inquiry.AllocLength,SCSI.Inquiry.MandatoryVPDSBC,SCSI.Inquiry.SupportedVPD,SCSI.ReadCapacity10,SCSI.ReadCapacity16,SCSI.Read10.Simple,SCSI.Read10.ZeroBlocks,SCSI.Read10.DpoFua,SCSI.Read6.BeyondEol,SCSI.Write10.Simple,SCSI.Write10.ZeroBlocks,SCSI.Write10.Async,SCSI.Verify10.Mismatch,SCSI.Verify10.Flags,SCSI.ModeSense6.AllPages,SCSI.ModeSense6.Residuals,SCSI.PreventAllow,SCSI.Reserve6,SCSI.ReportSupportedOpcodes.Simple,SCSI.ReportSupportedOpcodes.RCTD}

# ---- what is needed
vm_need_cmds qemu-system-x86_64 fusermount3 "mt:mt-st" "mtx:mtx" "tgtd:tgt" tgtadm tgtimg \
	"iscsi-test-cu:libiscsi-bin" sg_raw sg_reset
mt --version 2>&1 | grep -q mt-st || skip "mt is not mt-st's ($(command -v mt))"
vm_need_built
vm_need_host
ls /usr/lib/x86_64-linux-gnu/qemu/block-iscsi.so >/dev/null 2>&1 ||
	qemu-system-x86_64 -drive driver=iscsi,help 2>&1 | grep -q portal ||
	skip "qemu's iscsi block driver (qemu-block-extra) not installed"

# ---- the initramfs: the daemons, the tape tools, the modules
extra=(--init "$here/init-passthrough" --file "$here/guest-lib.sh:/etc/vmtest/guest-lib.sh"
	--module st --module ch --module scsi_debug --module fuse --module virtio_scsi
	--bin "$SCSTD" --bin "$ISCSID" --bin mt --bin mtx --bin sg_raw --bin sg_reset --bin tar
	--bin cmp --bin dd)
# glibc loads libgcc_s at the first pthread_cancel (scstd's stop); ldd
# does not list it.
for f in /lib/x86_64-linux-gnu/libgcc_s.so.1 /usr/lib/x86_64-linux-gnu/libgcc_s.so.1; do
	if [ -f "$f" ]; then extra+=(--file "$f"); break; fi
done
vm_build_initramfs vm-pt "${extra[@]}"
OUT=$O/vm-pt
vm_setup_tmp scst-vmpt
pt_cleanup() {
	tgt_stop
	vm_cleanup
}
trap pt_cleanup EXIT
IQN=iqn.2026-11.org.scst-usr:vmpt-lib
GUEST_IQN=iqn.2026-11.org.scst-usr:vmpt
BARCODES=(A00001L5 A00002L5 A00003L5)
M_TGT=$tmp/media
# shellcheck source-path=SCRIPTDIR source=tgt.bash
. "$here/tgt.bash"

# ---- tgt's library on the host
port=$(free_port) || { echo "FAIL: vm-pt: no free port"; exit 1; }
if ! tgt_media || ! tgt_start || ! tgt_config; then
	fail "vm-pt: tgt's library: $(tail -n 3 "$tmp/logs/tgtadm.log" "$tmp/logs/tgtd.log")"
	exit 1
fi
echo "vm-pt: tgt's library on 127.0.0.1:$port (drives LUN 1, 2, changer LUN 3)"
# qemu's initiator: one session per LUN, one initiator name each.
VM_QEMU_ARGS=(-device virtio-scsi-pci,id=vs0)
for l in 1 2 3; do
	VM_QEMU_ARGS+=(-blockdev "driver=iscsi,transport=tcp,portal=127.0.0.1:$port,target=$IQN,lun=$l,initiator-name=iqn.2026-11.org.scst-usr:vmpt-qemu$l,node-name=tgt$l"
		-device "scsi-generic,drive=tgt$l,bus=vs0.0,channel=0,scsi-id=0,lun=$l")
done

# ---- iscsi-test-cu from the host when the guest asks
CU_PORT=$(free_port) || { echo "FAIL: vm-pt: no free port"; exit 1; }
cu_run() {
	local t0 sum n run passed failed
	t0=$(date +%s)
	timeout 300 iscsi-test-cu -d -i iqn.2026-11.org.scst-usr:vmpt-cu -I iqn.2026-11.org.scst-usr:vmpt-cu2 \
		-t "$CU_TESTS" "iscsi://127.0.0.1:$CU_PORT/$GUEST_IQN/0" >"$tmp/logs/cu.log" 2>&1
	cp "$tmp/logs/cu.log" "$OUT/iscsi-test-cu.log"
	# CUnit's summary: "tests  <total> <ran> <passed> <failed> <inactive>".
	sum=$(sed -n 's/^ *tests *\([0-9]*\) *\([0-9]*\) *\([0-9]*\) *\([0-9]*\).*/\2 \3 \4/p' "$tmp/logs/cu.log")
	read -r run passed failed <<<"$sum"
	n=$(grep -c '\[SKIPPED\]' "$tmp/logs/cu.log")
	cu_detail="$run run, $passed passed, $failed failed, $n skipped by libiscsi in $(($(date +%s) - t0))s"
	if [ -n "$run" ] && [ "$run" -gt 0 ] && [ "$failed" -eq 0 ]; then
		vm_say "cu ok $cu_detail"
	else
		vm_say "cu fail $cu_detail: $(grep -E '^ *[0-9]+\. .*:[0-9]+ ' "$tmp/logs/cu.log" | head -n 5 | tr -s ' ' | tr '\n' ';') $(tail -n 2 "$tmp/logs/cu.log" | tr '\n' ' ')"
	fi
	echo "vm-pt: iscsi-test-cu: $cu_detail"
}
act() {
	case $1 in
	cu) cu_run ;;
	*) vm_say "$1 fail unknown request" ;;
	esac
}

# ---- the boot
mkdir -p "$OUT"
echo "== vm-pt: scstd in the guest on scsi_debug and tgt's library; iscsi-test-cu on 127.0.0.1:$CU_PORT"
t_boot=$(date +%s)
vm_boot_serve pt act "hostfwd=tcp:127.0.0.1:$CU_PORT-:3260,guestfwd=tcp:10.0.2.102:80-cmd:cat $VM_SAY" \
	"vmtest_iqn=$GUEST_IQN"
cp "$log" "$OUT/console.log"
echo "vm-pt: stages: $(sed -n 's/^VMTEST: STAGE \([a-z]*\) at \([0-9]*\)s$/\1 \2s/p' "$log" | paste -sd, -), boot ${boot_secs}s"

# ---- the verdicts: each check's first FAIL wins over its PASS
declare -A RES DET
while read -r name verdict detail; do
	if [ "${RES[$name]:-}" != FAIL ]; then RES[$name]=$verdict DET[$name]=$detail; fi
done < <(sed -n 's/^CHECK \([a-z0-9-]*\) \(PASS\|FAIL\) \{0,1\}/\1 \2 /p' "$log")
n=0
for name in "${CHECKS[@]}"; do
	r=${RES[$name]:-MISSING}
	if [ "$r" == PASS ]; then pass "vm-pt: $name: ${DET[$name]}"; n=$((n + 1))
	else fail "vm-pt: $name: $r: ${DET[$name]:-the guest did not get there}"; fi
done
for name in "${!RES[@]}"; do
	case " ${CHECKS[*]} " in *" $name "*) ;; *) fail "vm-pt: unknown check $name (passthrough.sh's CHECKS)" ;; esac
done
grep -aq "^VMTEST: DONE [0-9]* 0$" "$log" || fail "vm-pt: the guest did not finish cleanly"
echo "vm-pt: $n of ${#CHECKS[@]} checks pass; guest $(($(date +%s) - t_boot))s, total $(($(date +%s) - t_start))s"
if [ $fails -ne 0 ]; then
	show_console pt
	echo "FAIL: vm-pt: $fails failed"
	exit 1
fi
echo "PASS: vm-pt: pass-through dev_disk/dev_tape/dev_changer in the guest: mtx, mt, tar, two initiators, iscsi-test-cu, unplug"
