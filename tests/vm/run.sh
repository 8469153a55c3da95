#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0-only
#
# The VM test: the Linux kernel iSCSI initiator (open-iscsi) in a qemu
# guest, booted from the host's Debian kernel with the initramfs of
# tests/vm/build-initramfs.sh, logs in to scstd + iscsi-scstd running on
# the host's loopback, makes an ext4 file system on the LUN, writes data,
# remounts, verifies and logs out (tests/vm/init does the guest's part).
# One boot per scenario, each against its own target and LUN:
#   a  no CHAP, no digests
#   b  one-way CHAP, HeaderDigest and DataDigest CRC32C; first a login
#      with a wrong secret, which must be refused
#   c  mutual CHAP (IncomingUser + OutgoingUser); first a login where the
#      initiator expects another target secret, which must fail
# After each boot the host reads the file the guest wrote straight from
# the backing file (debugfs) and compares its sha256 with the guest's.
# At the end both daemons must be alive, have logged no errors, and stop
# cleanly on SIGTERM.
#
#   O=build tests/vm/run.sh [SCENARIO...]     (default: a b c)
# Environment: VM_TIMEOUT (seconds per boot, default 90), VM_KEEP=1
# keeps the temporary directory (console logs, daemon logs, images).
# Needs qemu-system-x86_64 (TCG, no KVM), a kernel in /boot with its
# modules, busybox-static, open-iscsi, e2fsprogs, socat; prints a SKIP
# line and exits 0 when one of them is missing (a FAIL under CI).
# The host-side plumbing shared with tests/vm/multipath.sh is in
# tests/vm/lib.bash.
set -uo pipefail
VM_LABEL=vm
VM_TIMEOUT=${VM_TIMEOUT:-90}
here=$(cd "$(dirname "$0")" && pwd)
# shellcheck source-path=SCRIPTDIR source=lib.bash
. "$here/lib.bash"
scenarios=("$@")
[ ${#scenarios[@]} -gt 0 ] || scenarios=(a b c)

vm_need_cmds qemu-system-x86_64 socat "debugfs:debugfs (e2fsprogs)" fusermount3
vm_need_built
vm_need_host

vm_build_initramfs vm
vm_setup_tmp scst-vmtest
vm_start_scstd

IQN=iqn.2026-11.org.scst-usr:vm
# CHAP accounts (secrets of 12 to 16 characters; each direction its own).
B_USER=vmuser-b B_SECRET=vm-secret-b-01 B_BAD=vm-secret-b-99
C_USER=vmuser-c C_SECRET=vm-secret-c-01
C_MUSER=vmtarget-c C_MSECRET=vm-target-c-01 C_MBAD=vm-target-c-99
for s in a b c; do
	truncate -s 256M "$S/vm_$s.img"
	cfg "$R/handlers/vdisk_fileio/mgmt" \
		"add_device vm_$s filename=$S/vm_$s.img; thin_provisioned=1"
	cfg "$R/targets/iscsi/mgmt" "add_target $IQN-$s"
	cfg "$R/targets/iscsi/$IQN-$s/luns/mgmt" "add vm_$s 0"
done
cfg "$R/targets/iscsi/mgmt" "add_target_attribute $IQN-b IncomingUser $B_USER $B_SECRET"
# Only CRC32C: a login that negotiated no digest would fail.
cfg "$R/targets/iscsi/$IQN-b/HeaderDigest" CRC32C
cfg "$R/targets/iscsi/$IQN-b/DataDigest" CRC32C
cfg "$R/targets/iscsi/mgmt" "add_target_attribute $IQN-c IncomingUser $C_USER $C_SECRET"
cfg "$R/targets/iscsi/mgmt" "add_target_attribute $IQN-c OutgoingUser $C_MUSER $C_MSECRET"
for s in a b c; do cfg "$R/targets/iscsi/$IQN-$s/enabled" 1; done
cfg "$R/targets/iscsi/enabled" 1
vm_config_done

# ---- iscsi-scstd on a free loopback port (never 3260)
pick_port() {
	port=$((40000 + RANDOM % 20000))
	(exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null && return 1
	vm_iscsid_addr=(-a 127.0.0.1 -p "$port")
}
vm_start_iscsid pick_port
echo "vm: target on 127.0.0.1:$port, kernel $KVER, initramfs $INITRD"

# ---- one boot
# boot NAME KERNEL-ARGS...: runs the guest; sets $log and $boot_secs.
boot() {
	local name=$1
	shift
	# The guest reaches the target at 10.0.2.100:3260; qemu runs one socat
	# per connection to our port (a tcp: forward would carry only one).
	vm_boot_start "$name" "guestfwd=tcp:10.0.2.100:3260-cmd:socat - TCP:127.0.0.1:$port" "$@"
	vm_boot_wait "$name"
}

# check_digests NAME WANT: the negotiated HeaderDigest and DataDigest.
check_digests() {
	local name=$1 want=$2 hd dd
	hd=$(grep -a -m1 "VMTEST-SESSION:.*HeaderDigest:" "$log" | awk '{print $NF}')
	dd=$(grep -a -m1 "VMTEST-SESSION:.*DataDigest:" "$log" | awk '{print $NF}')
	if [ "$hd" == "$want" ] && [ "$dd" == "$want" ]; then
		pass "vm $name: negotiated HeaderDigest=$hd DataDigest=$dd"
	else fail "vm $name: digests HeaderDigest='$hd' DataDigest='$dd', want $want"; fi
}

# check_data NAME IMAGE: the guest's file read from the backing file.
check_data() {
	local name=$1 img=$2 sum size got gsize
	read -r _ _ sum size < <(grep -a -m1 "^VMTEST: SUM " "$log")
	if [ -z "${sum:-}" ]; then fail "vm $name: the guest printed no checksum"; return; fi
	got=$(debugfs -R "cat /data.bin" "$img" 2>/dev/null | sha256sum | cut -d' ' -f1)
	gsize=$(debugfs -R "stat /data.bin" "$img" 2>/dev/null | sed -n 's/.*Size: \([0-9]*\).*/\1/p' | head -n1)
	if [ "$got" == "$sum" ] && [ "$gsize" == "$size" ]; then
		pass "vm $name: the backing file holds the guest's data ($size bytes, sha256 ${sum:0:16}...)"
	else fail "vm $name: backing file: sha256 $got size $gsize, guest wrote $sum size $size"; fi
}

run_scenario() {
	local s=$1 pre=(modules network iscsid node)
	local post=(login disk mkfs mount write remount verify fsck logout kernel-log)
	case $s in
	a)
		echo "== vm a: no CHAP, no digests"
		boot a "vmtest_iqn=$IQN-a"
		check_steps a "${pre[@]}" "${post[@]}" || return
		check_digests a None ;;
	b)
		echo "== vm b: one-way CHAP, CRC32C header and data digests, a wrong secret first"
		boot b "vmtest_iqn=$IQN-b vmtest_user=$B_USER vmtest_secret=$B_SECRET" \
			"vmtest_badsecret=$B_BAD vmtest_digest=CRC32C"
		check_steps b "${pre[@]}" login-bad-secret "${post[@]}" || return
		check_digests b CRC32C ;;
	c)
		echo "== vm c: mutual CHAP, a wrong target secret first"
		boot c "vmtest_iqn=$IQN-c vmtest_user=$C_USER vmtest_secret=$C_SECRET" \
			"vmtest_muser=$C_MUSER vmtest_msecret=$C_MSECRET vmtest_badmsecret=$C_MBAD" \
			"vmtest_chapalgs=SHA3-256,SHA256,SHA1,MD5"
		check_steps c "${pre[@]}" login-bad-mutual-secret "${post[@]}" || return
		check_digests c None
		# The initiator offered SHA3-256 first; the target prefers it too.
		if grep -q "user \"$C_USER\" authenticated with SHA3-256, target authenticated" \
			"$tmp/logs/iscsi-scstd.log"; then
			pass "vm c: mutual CHAP with SHA3-256 (iscsi-scstd's log)"
		else fail "vm c: iscsi-scstd did not log a mutual SHA3-256 CHAP login"; fi ;;
	*)
		fail "vm: unknown scenario $s"; return ;;
	esac
	check_data "$s" "$S/vm_$s.img"
}

vm_run_scenarios "${scenarios[@]}"
vm_finish 30 "the Linux initiator works with the target"
