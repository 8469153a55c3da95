#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0-only
#
# The VM multipath and reservation test (issue 6): the Linux initiator in
# a qemu guest (as tests/vm/run.sh, with multipath-tools and dm-multipath
# added to the initramfs, built into $O/vm-mpath; the guest runs
# tests/vm/init-mpath) against scstd + iscsi-scstd on the host's loopback.
# iscsi-scstd listens on two portals, 127.0.0.1:P1 and 127.0.0.2:P2; the
# guest reaches them as 10.0.2.100:3260 and 10.0.2.101:3260 (two qemu
# guestfwd rules), and reads the host's answers from 10.0.2.102:80.
#   mp  one vdisk_fileio LU exported by two targets, mp-a (allowed_portal
#       127.0.0.1) and mp-b (allowed_portal 127.0.0.2), in a device group
#       with two target groups: tgA active/optimized, tgB active/non-
#       optimized. The guest logs in to both, dm-multipath joins the two
#       disks, ext4 on the map, a data stream is written while the host
#       disables mp-a (echo 0 > enabled: its session is asked to log out
#       and new logins are refused) and enables it again; the guest checks
#       multipath -ll (2, 1, 2 active paths), that the stream went on and
#       verifies it; the host reads the stream from the backing file.
#   pr  one LU on target pr (127.0.0.1 only): sg_persist in the guest
#       registers and reserves; the host's second initiator (pr_client.c
#       from tests/integration, built here) is refused a write and a
#       reservation; the host then holds Exclusive Access and the guest's
#       read conflicts until the guest clears.
#
#   O=build tests/vm/multipath.sh [SCENARIO...]     (default: mp pr)
# Environment: VM_TIMEOUT (seconds per boot, default 180), VM_KEEP=1
# keeps the temporary directory. Needs what tests/vm/run.sh needs plus
# multipath-tools, a C compiler and libiscsi-dev; prints a SKIP line and
# exits 0 when one is missing (a FAIL under CI or with VM_REQUIRED=1).
# The host-side plumbing shared with tests/vm/run.sh is in tests/vm/lib.bash.
set -uo pipefail
VM_LABEL=vm-mpath
VM_TIMEOUT=${VM_TIMEOUT:-180}
VM_CONSOLE_GREP=^VMTEST VM_CONSOLE_TAIL=60
here=$(cd "$(dirname "$0")" && pwd)
# shellcheck source-path=SCRIPTDIR source=lib.bash
. "$here/lib.bash"
scenarios=("$@")
[ ${#scenarios[@]} -gt 0 ] || scenarios=(mp pr)

vm_need_cmds qemu-system-x86_64 socat debugfs fusermount3 multipath multipathd "${CC:-cc}"
vm_need_built
[ -f /usr/include/iscsi/iscsi.h ] || skip "libiscsi-dev not installed"
vm_need_host
# multipath-tools' plugins (dlopen'ed: ldd does not see them).
plugdir=
for d in /lib/multipath /usr/lib/multipath /usr/lib/x86_64-linux-gnu/multipath; do
	[ -f "$d/libchecktur.so" ] && { plugdir=$d; break; }
done
[ -n "$plugdir" ] || skip "multipath-tools' plugins (libchecktur.so) not found"

# ---- the initramfs: tests/vm's, plus dm-multipath and multipath-tools
extra=(--bin multipath --bin multipathd --bin dmsetup
	--module dm_multipath --module dm_round_robin --module scsi_dh_alua
	--init "$here/init-mpath" --file "$here/multipath.conf:/etc/multipath.conf")
for p in libchecktur.so libprioalua.so libprioconst.so libpriosysfs.so; do
	extra+=(--file "$plugdir/$p:/lib/multipath/$p")
done
# glibc dlopens libgcc_s for pthread_cancel (multipathd's threads).
gcc_s=$(ldconfig -p | sed -n 's/^[[:space:]]*libgcc_s.so.1 (libc6,x86-64) => //p' | head -n1)
[ -n "$gcc_s" ] || skip "libgcc_s.so.1 not found"
extra+=(--file "$gcc_s")
vm_build_initramfs vm-mpath "${extra[@]}"
vm_setup_tmp scst-vmmpath

# ---- the second initiator's client
PRC=$tmp/pr_client
if ! "${CC:-cc}" -O1 -Wall -o "$PRC" "$here/../integration/pr_client.c" -liscsi 2>"$tmp/cc.log"; then
	cat "$tmp/cc.log"
	skip "pr_client.c does not build"
fi

# ---- scstd and the targets
vm_start_scstd
IQN=iqn.2026-11.org.scst-usr:vm
TA=$IQN-mp-a TB=$IQN-mp-b TP=$IQN-pr
INI2=iqn.2026-11.org.scst-usr:vm-host-initiator
truncate -s 256M "$S/vm_mp.img"
truncate -s 64M "$S/vm_pr.img"
cfg "$R/handlers/vdisk_fileio/mgmt" "add_device vm_mp filename=$S/vm_mp.img; thin_provisioned=1"
cfg "$R/handlers/vdisk_fileio/mgmt" "add_device vm_pr filename=$S/vm_pr.img"
for t in "$TA:vm_mp:127.0.0.1" "$TB:vm_mp:127.0.0.2" "$TP:vm_pr:127.0.0.1"; do
	tn=${t%%:vm_*} dv=${t#"$tn":} ad=${dv#*:} dv=${dv%%:*}
	cfg "$R/targets/iscsi/mgmt" "add_target $tn"
	cfg "$R/targets/iscsi/mgmt" "add_target_attribute $tn allowed_portal $ad"
	cfg "$R/targets/iscsi/$tn/luns/mgmt" "add $dv 0"
done
DG=$R/device_groups/dg_mp
cfg "$R/device_groups/mgmt" "create dg_mp"
cfg "$DG/devices/mgmt" "add vm_mp"
cfg "$DG/target_groups/mgmt" "create tgA"
cfg "$DG/target_groups/mgmt" "create tgB"
cfg "$DG/target_groups/tgA/group_id" 1
cfg "$DG/target_groups/tgA/preferred" 1
cfg "$DG/target_groups/tgA/mgmt" "add $TA"
cfg "$DG/target_groups/tgB/group_id" 2
cfg "$DG/target_groups/tgB/state" nonoptimized
cfg "$DG/target_groups/tgB/mgmt" "add $TB"
for t in "$TA" "$TB" "$TP"; do cfg "$R/targets/iscsi/$t/enabled" 1; done
cfg "$R/targets/iscsi/enabled" 1
vm_config_done

# ---- iscsi-scstd on two portals: 127.0.0.1:P1 and 127.0.0.2:P2
pick_ports() {
	p1=$((40000 + RANDOM % 10000)) p2=$((50000 + RANDOM % 10000))
	vm_iscsid_addr=(-a "127.0.0.1:$p1" -a "127.0.0.2:$p2")
}
vm_start_iscsid pick_ports
P1=$p1 P2=$p2
echo "vm-mpath: portals 127.0.0.1:$P1 and 127.0.0.2:$P2, kernel $KVER, initramfs $INITRD"
PR_URL=iscsi://127.0.0.1:$P1/$TP/0

# ---- the host's side of the conversation
SAY=$tmp/hostsay
: >"$SAY"
say() { echo "$*" >"$SAY.new" && mv "$SAY.new" "$SAY"; }
# act VERB: what the host does when the guest asks; answers through $SAY.
act() {
	local r w st
	case $1 in
	disable-a)
		if cfg "$R/targets/iscsi/$TA/enabled" 0; then
			say "disable-a ok"
			# Its session is asked to log out and ends (10 s at most).
			for _ in $(seq 50); do
				[ -z "$(ls "$R/targets/iscsi/$TA/sessions")" ] && break
				sleep 0.2
			done
			if [ -z "$(ls "$R/targets/iscsi/$TA/sessions")" ]; then
				pass "vm mp: host: target mp-a disabled, its session ended"
			else fail "vm mp: host: mp-a disabled, sessions left: $(ls "$R/targets/iscsi/$TA/sessions")"; fi
		else say "disable-a fail echo 0 > enabled"; fi ;;
	enable-a)
		if cfg "$R/targets/iscsi/$TA/enabled" 1; then
			pass "vm mp: host: target mp-a enabled again"
			say "enable-a ok"
		else say "enable-a fail echo 1 > enabled"; fi ;;
	pr-conflict)
		# A write and a reservation from another initiator: conflicts;
		# its registration itself is allowed.
		w=$(timeout 20 "$PRC" "$PR_URL" "$INI2" write 2>&1)
		r=$(timeout 20 "$PRC" "$PR_URL" "$INI2" register-reserve abcdef01 1 2>&1)
		if [ "$w" == "status 0x18" ] && [ "$r" == "status 0x18" ]; then
			pass "vm pr: host: $INI2 gets RESERVATION CONFLICT for WRITE(10) and PR OUT RESERVE"
			say "pr-conflict ok write: $w, reserve: $r"
		else
			fail "vm pr: host: write '$w', register-reserve '$r' (want status 0x18 twice)"
			say "pr-conflict fail write '$w' reserve '$r'"
		fi ;;
	pr-hold)
		r=$(timeout 20 "$PRC" "$PR_URL" "$INI2" register-reserve abcdef02 3 2>&1)
		w=$(timeout 20 "$PRC" "$PR_URL" "$INI2" read-reservation 2>&1)
		st=$(cat "$R/devices/vm_pr/pr_state" 2>/dev/null)
		if [ -z "$r" ] && [ "$w" == "key abcdef02 type 3" ] &&
			grep -q "^reservation exclusive_access holder $INI2,i,0x" <<<"$st" &&
			[ "$(grep -c '^registrant ' <<<"$st")" -eq 3 ] &&
			grep -q "^registrant 0x000000005ca1ab1e iqn.2026-11.org.scst-usr:vmtest-initiator,i,0x" <<<"$st"; then
			pass "vm pr: host: $INI2 holds Exclusive Access ($w); pr_state: 3 registrants, the guest's among them"
			say "pr-hold ok $w"
		else
			fail "vm pr: host: register-reserve type 3: '$r', reservation '$w', pr_state: $(tr '\n' ';' <<<"$st")"
			say "pr-hold fail '$r' '$w'"
		fi ;;
	*)
		fail "vm: the guest asked for '$1'"
		say "$1 fail unknown request" ;;
	esac
}

# ---- one boot
# boot NAME KERNEL-ARGS...: runs the guest, answering its requests; sets
# $log and $boot_secs.
boot() {
	local name=$1 done_n=0 reqs n
	shift
	say ""
	local fwd="guestfwd=tcp:10.0.2.100:3260-cmd:socat - TCP:127.0.0.1:$P1"
	fwd+=",guestfwd=tcp:10.0.2.101:3260-cmd:socat - TCP:127.0.0.2:$P2"
	fwd+=",guestfwd=tcp:10.0.2.102:80-cmd:cat $SAY"
	vm_boot_start "$name" "$fwd" "$@"
	# Requests: "VMTEST: HOST <verb>" lines, each answered once, in order.
	while kill -0 "$qemu_pid" 2>/dev/null; do
		mapfile -t reqs < <(tr -d '\r' <"$log" | sed -n 's/^VMTEST: HOST \([a-z0-9-]*\)$/\1/p')
		for ((n = done_n; n < ${#reqs[@]}; n++)); do
			echo "vm $name: $(($(date +%s) - boot_t0))s: the guest asks: ${reqs[n]}"
			act "${reqs[n]}"
		done
		done_n=${#reqs[@]}
		sleep 0.2
	done
	vm_boot_wait "$name"
}

run_scenario() {
	local s=$1 pre=(modules network iscsid) sum size got gsize st
	case $s in
	mp)
		echo "== vm mp: dm-multipath over two portals, one disabled and enabled again under I/O"
		boot mp "vmtest_mode=mp vmtest_iqn_a=$TA vmtest_iqn_b=$TB"
		check_steps mp "${pre[@]}" node login multipath mkfs alua stream path-down \
			io-one-path path-up failback verify fsck logout kernel-log || return
		read -r _ _ sum size < <(grep -a -m1 "^VMTEST: SUM " "$log")
		got=$(debugfs -R "cat /stream.bin" "$S/vm_mp.img" 2>/dev/null | sha256sum | cut -d' ' -f1)
		gsize=$(debugfs -R "stat /stream.bin" "$S/vm_mp.img" 2>/dev/null |
			sed -n 's/.*Size: \([0-9]*\).*/\1/p' | head -n1)
		if [ -n "${sum:-}" ] && [ "$got" == "$sum" ] && [ "$gsize" == "$size" ]; then
			pass "vm mp: the backing file holds the stream ($size bytes, sha256 ${sum:0:16}...)"
		else fail "vm mp: backing file: sha256 $got size $gsize, guest wrote ${sum:-?} size ${size:-?}"; fi ;;
	pr)
		echo "== vm pr: persistent reservations from the guest, a second initiator on the host"
		boot pr "vmtest_mode=pr vmtest_iqn=$TP"
		check_steps pr "${pre[@]}" login reserve holder-write second-initiator release \
			conflict clear logout || return
		st=$(cat "$R/devices/vm_pr/pr_state" 2>/dev/null)
		if grep -q "^reservation none$" <<<"$st" && ! grep -q "^registrant" <<<"$st"; then
			pass "vm pr: the tree's pr_state shows no registration and no reservation"
		else fail "vm pr: pr_state after CLEAR: $(tr '\n' ';' <<<"$st")"; fi
		w=$(timeout 20 "$PRC" "$PR_URL" "$INI2" write 2>&1)
		if [ "$w" == "GOOD" ]; then pass "vm pr: the host's initiator writes again"
		else fail "vm pr: a write from $INI2 after CLEAR: $w"; fi ;;
	*)
		fail "vm: unknown scenario $s"; return ;;
	esac
}

vm_run_scenarios "${scenarios[@]}"
vm_finish 40 "multipath failover and reservations with the Linux initiator"
