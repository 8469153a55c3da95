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
set -uo pipefail
O=${O:-build}
O=$(cd "$O" 2>/dev/null && pwd || echo "$O") # absolute
here=$(cd "$(dirname "$0")" && pwd)
SCSTD=$O/scstd
ISCSID=$O/iscsi-scstd
VM_TIMEOUT=${VM_TIMEOUT:-90}
scenarios=("$@")
[ ${#scenarios[@]} -gt 0 ] || scenarios=(a b c)

# Under CI (CI set, as .ci/run's environment does) or VM_REQUIRED=1 the
# dependencies were installed by make deps: a missing one is a failure.
skip() {
	if [ -n "${VM_REQUIRED:-${CI:-}}" ]; then
		echo "FAIL: vm: $* (required here)"
		exit 1
	fi
	echo "SKIP: vm: $*"
	exit 0
}
command -v qemu-system-x86_64 >/dev/null || skip "qemu-system-x86_64 not installed"
command -v socat >/dev/null || skip "socat not installed"
command -v debugfs >/dev/null || skip "debugfs (e2fsprogs) not installed"
command -v fusermount3 >/dev/null || skip "fusermount3 not installed"
[ -x "$SCSTD" ] || skip "$SCSTD not built"
[ -x "$ISCSID" ] || skip "$ISCSID not built"
ls /boot/vmlinuz-* >/dev/null 2>&1 || skip "no kernel in /boot"
[ -e /dev/fuse ] || skip "no /dev/fuse"

fails=0
pass() { echo "PASS: $*"; }
fail() { echo "FAIL: $*"; fails=$((fails + 1)); }

# ---- the initramfs (cached in $O/vm)
t_start=$(date +%s)
out=$(bash "$here/build-initramfs.sh" "$O/vm" 2>&1)
rc=$?
case $rc in
0) echo "$out" ;;
2) skip "${out##*build-initramfs: }" ;;
*) echo "$out"; echo "FAIL: vm: building the initramfs"; exit 1 ;;
esac
# shellcheck disable=SC1091
. "$O/vm/kernel.env"
INITRD=$O/vm/initramfs.cpio.gz

tmp=$(mktemp -d /tmp/scst-vmtest.XXXXXX)
R=$tmp/root
S=$tmp/state
mkdir -p "$R" "$S" "$tmp/logs"
scstd_pid='' iscsid_pid='' qemu_pid=''
cleanup() {
	# TERM to timeout(1): it passes the signal on to qemu (KILL after 5 s).
	[ -n "$qemu_pid" ] && kill -TERM "$qemu_pid" 2>/dev/null && wait "$qemu_pid" 2>/dev/null
	[ -n "$iscsid_pid" ] && kill -TERM "$iscsid_pid" 2>/dev/null
	[ -n "$scstd_pid" ] && kill -TERM "$scstd_pid" 2>/dev/null
	[ -n "$iscsid_pid" ] && wait "$iscsid_pid" 2>/dev/null
	[ -n "$scstd_pid" ] && wait "$scstd_pid" 2>/dev/null
	grep -q " $R " /proc/mounts && fusermount3 -uz "$R" 2>/dev/null
	if [ "${VM_KEEP:-0}" == 1 ]; then echo "vm: kept $tmp"; else rm -rf "$tmp"; fi
}
trap cleanup EXIT
trap 'exit 130' INT TERM

# ---- scstd and the targets
"$SCSTD" -f --threads 2 --root "$R" --state-dir "$S" --control "$tmp/ctl.sock" \
	--log-level info >"$tmp/logs/scstd.log" 2>&1 &
scstd_pid=$!
for _ in $(seq 100); do [ -f "$R/version" ] && break; sleep 0.1; done
if [ ! -f "$R/targets/iscsi/mgmt" ]; then
	echo "FAIL: vm: scstd did not start with the iscsi driver"
	cat "$tmp/logs/scstd.log"
	exit 1
fi

IQN=iqn.2026-11.org.scst-usr:vm
# CHAP accounts (secrets of 12 to 16 characters; each direction its own).
B_USER=vmuser-b B_SECRET=vm-secret-b-01 B_BAD=vm-secret-b-99
C_USER=vmuser-c C_SECRET=vm-secret-c-01
C_MUSER=vmtarget-c C_MSECRET=vm-target-c-01 C_MBAD=vm-target-c-99
cfg() { # cfg FILE LINE
	if ! echo "$2" >"$1" 2>/dev/null; then
		fail "vm: config: '$2' > $1: $(cat "$R/last_sysfs_mgmt_res" 2>/dev/null)"
		return 1
	fi
}
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
[ $fails -eq 0 ] || { cat "$tmp/logs/scstd.log"; exit 1; }

# ---- iscsi-scstd on a free loopback port (never 3260)
port=
for _ in 1 2 3 4 5; do
	p=$((40000 + RANDOM % 20000))
	(exec 3<>"/dev/tcp/127.0.0.1/$p") 2>/dev/null && continue
	"$ISCSID" -f -a 127.0.0.1 -p "$p" --control "$tmp/ctl.sock" --log-level info \
		>"$tmp/logs/iscsi-scstd.log" 2>&1 &
	iscsid_pid=$!
	for _ in $(seq 50); do
		grep -q "running" "$tmp/logs/iscsi-scstd.log" && break
		kill -0 "$iscsid_pid" 2>/dev/null || break
		sleep 0.1
	done
	if grep -q "running" "$tmp/logs/iscsi-scstd.log"; then port=$p; break; fi
	kill -TERM "$iscsid_pid" 2>/dev/null; wait "$iscsid_pid" 2>/dev/null
	iscsid_pid=
done
if [ -z "$port" ]; then
	echo "FAIL: vm: iscsi-scstd did not start"
	cat "$tmp/logs/iscsi-scstd.log"
	exit 1
fi
echo "vm: target on 127.0.0.1:$port, kernel $KVER, initramfs $INITRD"

# ---- one boot
# boot NAME KERNEL-ARGS...: runs the guest; sets $log and $boot_secs.
boot() {
	local name=$1 t0 rc
	shift
	log=$tmp/logs/console-$name.log
	t0=$(date +%s)
	# The guest reaches the target at 10.0.2.100:3260; qemu runs one socat
	# per connection to our port (a tcp: forward would carry only one).
	timeout -k 5 "$VM_TIMEOUT" qemu-system-x86_64 -accel tcg -cpu max -smp 1 -m 512 \
		-nodefaults -no-user-config -no-reboot -display none -monitor none \
		-serial "file:$log" \
		-kernel "$VMLINUZ" -initrd "$INITRD" \
		-append "console=ttyS0 quiet loglevel=4 panic=-1 vmtest_timeout=$((VM_TIMEOUT - 10)) $*" \
		-netdev "user,id=n0,restrict=on,guestfwd=tcp:10.0.2.100:3260-cmd:socat - TCP:127.0.0.1:$port" \
		-device virtio-net-pci,netdev=n0 </dev/null >"$tmp/logs/qemu-$name.out" 2>&1 &
	qemu_pid=$!
	wait "$qemu_pid"
	rc=$?
	qemu_pid=
	boot_secs=$(($(date +%s) - t0))
	if [ $rc -eq 124 ] || [ $rc -eq 137 ]; then
		fail "vm $name: qemu killed after ${VM_TIMEOUT}s"
	elif [ $rc -ne 0 ]; then
		fail "vm $name: qemu exit status $rc: $(tail -n 5 "$tmp/logs/qemu-$name.out")"
	fi
	touch "$log"
	sed -i 's/\r$//' "$log" # the serial console's line ends
}

# check_steps NAME STEP...: every step has its PASS line, in this order;
# returns 1 when the guest did not get through all of them.
check_steps() {
	local name=$1 st line n
	shift
	n=$#
	for st in "$@"; do
		line=$(grep -a -m1 -E "^VMTEST: PASS $st( |$)" "$log")
		if [ -z "$line" ]; then
			fail "vm $name: no PASS line for '$st' (nor for the $((n - 1)) steps after it)"
			break
		fi
		pass "vm $name: ${line#VMTEST: PASS }"
		n=$((n - 1))
	done
	if grep -aq "^VMTEST: FAIL" "$log"; then
		fail "vm $name: guest: $(grep -a -m1 '^VMTEST: FAIL' "$log" | cut -c14-)"
	fi
	if grep -aq "^VMTEST: DONE [0-9]* 0$" "$log" && [ $n -eq 0 ]; then
		pass "vm $name: the guest finished"
	else
		fail "vm $name: the guest did not finish cleanly"
		return 1
	fi
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

# show_console: what the guest said, then the end of its console.
show_console() {
	echo "--- vm $1: the guest's VMTEST lines"
	grep -a "^VMTEST: " "$log"
	echo "--- vm $1: console (tail)"
	grep -av "^VMTEST" "$log" | tail -n 50
	echo "---"
}

for s in "${scenarios[@]}"; do
	before=$fails
	run_scenario "$s"
	echo "vm $s: ${boot_secs:-0}s"
	if [ $fails -ne $before ]; then
		show_console "$s"
		break # the next boots would only add noise
	fi
done

# ---- the daemons after all boots
if kill -0 "$scstd_pid" 2>/dev/null && kill -0 "$iscsid_pid" 2>/dev/null; then
	pass "vm: scstd and iscsi-scstd are alive"
else fail "vm: a daemon died"; fi
# A refused login is a warning at most; errors and sanitizer reports fail.
errs=$(grep -h " ERR: \|Sanitizer\|runtime error" "$tmp/logs/scstd.log" "$tmp/logs/iscsi-scstd.log")
if [ -z "$errs" ]; then pass "vm: no errors in the daemons' logs"
else fail "vm: errors in the daemons' logs:"; echo "$errs" | head -n 20; fi
kill -TERM "$iscsid_pid" 2>/dev/null
wait "$iscsid_pid"
rc=$?
iscsid_pid=
kill -TERM "$scstd_pid" 2>/dev/null
wait "$scstd_pid"
rc2=$?
scstd_pid=
if [ $rc -eq 0 ] && [ $rc2 -eq 0 ]; then pass "vm: both daemons stop with status 0"
else fail "vm: exit status iscsi-scstd $rc, scstd $rc2"; fi

echo "vm: total $(($(date +%s) - t_start))s"
if [ $fails -ne 0 ]; then
	echo "--- scstd log (tail)"; tail -n 30 "$tmp/logs/scstd.log"
	echo "--- iscsi-scstd log (tail)"; tail -n 30 "$tmp/logs/iscsi-scstd.log"
	echo "FAIL: vm: $fails failed"
	exit 1
fi
echo "PASS: vm: the Linux initiator works with the target"
