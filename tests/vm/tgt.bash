# SPDX-License-Identifier: GPL-2.0-only
# shellcheck shell=bash disable=SC2154
# (SC2154: $tmp, $port and the others are the sourcing script's.)
#
# Debian's tgt as a tape library on the host, for the VM tests that need
# one (tests/vm/tape.sh --target tgt, tests/vm/passthrough.sh). Sourced
# after lib.bash (it uses fail, $tmp and $VM_LABEL). It is not named *.sh,
# so nothing runs it as a test.
#
# The caller sets IQN (the target's name), BARCODES (the cartridges,
# slots 1, 2, ...), M_TGT (a directory for the cartridges) and port (the
# portal, 127.0.0.1:$port); tgtadm's output goes to $tmp/logs/tgtadm.log,
# tgtd's to $tmp/logs/tgtd.log.
#   tgt_media     tgtimg cartridges for BARCODES (64 MB, thin) and two
#                 empty ones for the drives, and the changer's file.
#   tgt_start     tgtd on a control port of its own (tgt_ctl) and a
#                 portal the guest never reaches; sets tgt_pid.
#   tgt_config    the library: drives at LUNs 1 and 2 (offline until a
#                 cartridge is loaded), the changer at LUN 3 with 1
#                 transport (address 1), 8 slots (1000-1007), 2
#                 import/export (10-11), 2 drives (500-501); LUN 0 is
#                 tgt's own. The portal 127.0.0.1:$port is added last,
#                 so that a reconnecting initiator never finds the target
#                 half made.
#   tgt_stop      SIGKILL (tgtd -f ignores SIGTERM while it has targets).
#   tgt_cleanup   tgt_stop, for an EXIT trap.

tgt_pid=''
tgt_adm() { tgtadm -C "$tgt_ctl" --lld iscsi "$@" >>"$tmp/logs/tgtadm.log" 2>&1; }
tgt_media() {
	local b
	mkdir -p "$M_TGT"
	for b in "${BARCODES[@]}"; do
		tgtimg --op new --device-type tape --barcode "$b" --size 64 --type data \
			--file "$M_TGT/$b" --thin-provisioning >>"$tmp/logs/tgtadm.log" 2>&1 || return 1
	done
	for b in 1 2; do
		tgtimg --op new --device-type tape --barcode "EMPTY$b" --size 1 --type data \
			--file "$M_TGT/empty$b" >>"$tmp/logs/tgtadm.log" 2>&1 || return 1
	done
	dd if=/dev/zero of="$M_TGT/smc" bs=1k count=1 2>/dev/null
}
tgt_start() {
	tgt_ctl=$((1024 + RANDOM % 8000))
	tgtd -f -C "$tgt_ctl" --iscsi "portal=127.0.0.1:$(free_port)" >>"$tmp/logs/tgtd.log" 2>&1 &
	tgt_pid=$!
	for _ in $(seq 50); do
		tgtadm -C "$tgt_ctl" --mode system --op show >/dev/null 2>&1 && return 0
		sleep 0.1
	done
	fail "$VM_LABEL tgt: tgtd did not start: $(tail -n 3 "$tmp/logs/tgtd.log")"
	return 1
}
tgt_config() {
	local d p i=0 b
	tgt_adm --op new --mode target --tid 1 -T "$IQN" || return 1
	for d in 1 2; do
		tgt_adm --op new --mode logicalunit --tid 1 --lun $d -b "$M_TGT/empty$d" \
			--device-type tape --bstype ssc &&
			tgt_adm --op update --mode logicalunit --tid 1 --lun $d --params online=0 || return 1
	done
	tgt_adm --op new --mode logicalunit --tid 1 --lun 3 -b "$M_TGT/smc" --device-type changer &&
		tgt_adm --op update --mode logicalunit --tid 1 --lun 3 --params media_home="$M_TGT" || return 1
	for p in element_type=1,start_address=1,quantity=1 element_type=2,start_address=1000,quantity=8 \
		element_type=3,start_address=10,quantity=2 element_type=4,start_address=500,quantity=2 \
		element_type=4,address=500,tid=1,lun=1 element_type=4,address=501,tid=1,lun=2; do
		tgt_adm --op update --mode logicalunit --tid 1 --lun 3 --params "$p" || return 1
	done
	for b in "${BARCODES[@]}"; do
		tgt_adm --op update --mode logicalunit --tid 1 --lun 3 \
			--params "element_type=2,address=$((1000 + i)),barcode=$b,sides=1" || return 1
		i=$((i + 1))
	done
	tgt_adm --op bind --mode target --tid 1 -I ALL &&
		tgt_adm --mode portal --op new --param "portal=127.0.0.1:$port"
}
tgt_stop() {
	[ -n "$tgt_pid" ] || return 0
	kill -KILL "$tgt_pid" 2>/dev/null
	wait "$tgt_pid" 2>/dev/null
	tgt_pid=''
}
