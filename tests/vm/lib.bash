# SPDX-License-Identifier: GPL-2.0-only
# shellcheck shell=bash disable=SC2034
# (SC2034: the variables are for the sourcing scripts.)
#
# Shared host-side code of the VM tests (tests/vm/run.sh and
# tests/vm/multipath.sh). A driver sets VM_LABEL (the prefix of its
# verdict lines: vm, vm-mpath) and VM_TIMEOUT's default, then sources it
# after its `set -uo pipefail` line:
#
#	VM_LABEL=vm
#	VM_TIMEOUT=${VM_TIMEOUT:-90}
#	here=$(cd "$(dirname "$0")" && pwd)
#	. "$here/lib.bash"
#
# It is not named *.sh, so nothing runs it as a test.
#
# On sourcing it sets:
#   O        the build directory (default build), made absolute
#   SCSTD    $O/scstd;  ISCSID $O/iscsi-scstd
#   fails    0, the count of failed checks (fail adds one)
#
# Verdicts
#   pass MSG         prints "PASS: MSG".
#   fail MSG         prints "FAIL: MSG" and adds one to $fails.
#   skip MSG         prints "SKIP: VM_LABEL: MSG" and exits 0; under CI (CI
#                    set, as .ci/run's environment does) or VM_REQUIRED=1
#                    the dependencies were installed by make deps, so it
#                    prints "FAIL: VM_LABEL: MSG (required here)" and exits 1.
#
# Dependencies (each missing one: skip)
#   vm_need_cmds CMD[:WHAT]...
#                    each CMD must be in PATH, else skip "WHAT not
#                    installed" (WHAT defaults to CMD).
#   vm_need_built    $SCSTD and $ISCSID must be built.
#   vm_need_host     a kernel in /boot and /dev/fuse.
#
# Setup
#   vm_build_initramfs SUBDIR [ARG...]
#                    sets t_start (the start of the total time), runs
#                    build-initramfs.sh ARG... $O/SUBDIR (exit status 2:
#                    skip with its message; other failures: FAIL, exit 1),
#                    sources its kernel.env (KVER, VMLINUZ) and sets INITRD.
#   vm_setup_tmp PREFIX
#                    makes the temporary directory $tmp (/tmp/PREFIX.XXXXXX)
#                    with R=$tmp/root (the config tree), S=$tmp/state and
#                    $tmp/logs; installs the EXIT trap (vm_cleanup) and
#                    makes INT and TERM exit 130.
#   vm_cleanup       what the trap runs: stops qemu ($qemu_pid), iscsi-scstd
#                    ($iscsid_pid) and scstd ($scstd_pid), unmounts $R,
#                    removes $tmp unless VM_KEEP=1 ("VM_LABEL: kept $tmp").
#   vm_start_scstd   starts scstd on $R (log $tmp/logs/scstd.log); FAIL and
#                    exit 1 unless its tree shows the iscsi driver.
#   cfg FILE LINE    writes LINE to FILE in the tree; on failure a fail
#                    line with last_sysfs_mgmt_res, and status 1.
#   vm_config_done   exit 1 (with scstd's log) when a cfg failed.
#   vm_start_iscsid PICK
#                    starts iscsi-scstd (log $tmp/logs/iscsi-scstd.log),
#                    up to 5 tries: each calls the function PICK, which
#                    chooses ports and sets the array vm_iscsid_addr to
#                    iscsi-scstd's listen options (a status other than 0
#                    spends the try); returns 0 once it runs, else FAIL,
#                    exit 1.
#
# Ports
#   free_port        prints a loopback port nothing listens on (never 3260).
#
# Boots
#   vm_boot_start NAME GUESTFWD KERNEL-ARG...
#                    starts qemu in the background (timeout VM_TIMEOUT):
#                    the host's kernel and $INITRD, the console in
#                    log=$tmp/logs/console-NAME.log (emptied first), user
#                    networking restricted to the guestfwd rules GUESTFWD
#                    ("guestfwd=...[,guestfwd=...]", hostfwd= rules too),
#                    plus the array VM_QEMU_ARGS (more devices), if set;
#                    sets qemu_pid and boot_t0.
#   vm_boot_wait NAME
#                    waits for qemu, sets boot_secs, fails on a timeout or
#                    another exit status, strips the console's CRs.
#   vm_say TEXT      the guest's next answer: the file $VM_SAY, which a
#                    guestfwd rule "tcp:10.0.2.102:80-cmd:cat $VM_SAY"
#                    serves (VM_SAY=$tmp/hostsay, set by vm_setup_tmp).
#   vm_boot_serve NAME ACT GUESTFWD KERNEL-ARG...
#                    vm_boot_start, then, while the guest runs, the
#                    function ACT VERB for each new console line
#                    "VMTEST: HOST VERB" (ACT answers with vm_say), then
#                    vm_boot_wait (as in tests/vm/init-mpath's requests).
#   check_steps NAME STEP...
#                    every STEP has its "VMTEST: PASS STEP" line in $log,
#                    in this order (a pass line each), no "VMTEST: FAIL"
#                    line, and "VMTEST: DONE n 0"; returns 1 when the guest
#                    did not get through all of them.
#   show_console NAME
#                    the guest's lines matching VM_CONSOLE_GREP (default
#                    "^VMTEST: "), then the last VM_CONSOLE_TAIL (default
#                    50) other lines of its console.
#   vm_run_scenarios SCENARIO...
#                    for each: the driver's run_scenario SCENARIO, then
#                    "vm SCENARIO: <boot_secs>s"; at the first one with a
#                    failure show_console and stop (the next boots would
#                    only add noise).
#
# The end
#   vm_finish SCSTD_TAIL VERDICT
#                    both daemons alive, no errors (ERR, sanitizers) in
#                    their logs, both stop on SIGTERM with status 0; prints
#                    the total time; then "PASS: VM_LABEL: VERDICT", or on
#                    failures the logs' tails (SCSTD_TAIL lines of scstd's,
#                    30 of iscsi-scstd's), "FAIL: VM_LABEL: n failed" and
#                    exit 1.

O=${O:-build}
O=$(cd "$O" 2>/dev/null && pwd || echo "$O") # absolute
SCSTD=$O/scstd
ISCSID=$O/iscsi-scstd
VM_DIR=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
fails=0

skip() {
	if [ -n "${VM_REQUIRED:-${CI:-}}" ]; then
		echo "FAIL: $VM_LABEL: $* (required here)"
		exit 1
	fi
	echo "SKIP: $VM_LABEL: $*"
	exit 0
}
pass() { echo "PASS: $*"; }
fail() { echo "FAIL: $*"; fails=$((fails + 1)); }

vm_need_cmds() {
	local c
	for c in "$@"; do
		command -v "${c%%:*}" >/dev/null || skip "${c#*:} not installed"
	done
}
vm_need_built() {
	[ -x "$SCSTD" ] || skip "$SCSTD not built"
	[ -x "$ISCSID" ] || skip "$ISCSID not built"
}
vm_need_host() {
	ls /boot/vmlinuz-* >/dev/null 2>&1 || skip "no kernel in /boot"
	[ -e /dev/fuse ] || skip "no /dev/fuse"
}

# ---- the initramfs (cached in $O/SUBDIR)
vm_build_initramfs() {
	local dir=$O/$1 out rc
	shift
	t_start=$(date +%s)
	out=$(bash "$VM_DIR/build-initramfs.sh" "$@" "$dir" 2>&1)
	rc=$?
	case $rc in
	0) echo "$out" ;;
	2) skip "${out##*build-initramfs: }" ;;
	*) echo "$out"; echo "FAIL: $VM_LABEL: building the initramfs"; exit 1 ;;
	esac
	# shellcheck disable=SC1091
	. "$dir/kernel.env"
	INITRD=$dir/initramfs.cpio.gz
}

# ---- the temporary directory and the teardown
vm_setup_tmp() {
	tmp=$(mktemp -d "/tmp/$1.XXXXXX")
	R=$tmp/root
	S=$tmp/state
	mkdir -p "$R" "$S" "$tmp/logs"
	scstd_pid='' iscsid_pid='' qemu_pid=''
	VM_SAY=$tmp/hostsay
	trap vm_cleanup EXIT
	trap 'exit 130' INT TERM
}
vm_cleanup() {
	# TERM to timeout(1): it passes the signal on to qemu (KILL after 5 s).
	[ -n "$qemu_pid" ] && kill -TERM "$qemu_pid" 2>/dev/null && wait "$qemu_pid" 2>/dev/null
	[ -n "$iscsid_pid" ] && kill -TERM "$iscsid_pid" 2>/dev/null
	[ -n "$scstd_pid" ] && kill -TERM "$scstd_pid" 2>/dev/null
	[ -n "$iscsid_pid" ] && wait "$iscsid_pid" 2>/dev/null
	[ -n "$scstd_pid" ] && wait "$scstd_pid" 2>/dev/null
	grep -q " $R " /proc/mounts && fusermount3 -uz "$R" 2>/dev/null
	if [ "${VM_KEEP:-0}" == 1 ]; then echo "$VM_LABEL: kept $tmp"; else rm -rf "$tmp"; fi
}

# ---- scstd and its configuration
vm_start_scstd() {
	"$SCSTD" -f --threads 2 --root "$R" --state-dir "$S" --control "$tmp/ctl.sock" \
		--log-level info >"$tmp/logs/scstd.log" 2>&1 &
	scstd_pid=$!
	for _ in $(seq 100); do [ -f "$R/version" ] && break; sleep 0.1; done
	if [ ! -f "$R/targets/iscsi/mgmt" ]; then
		echo "FAIL: $VM_LABEL: scstd did not start with the iscsi driver"
		cat "$tmp/logs/scstd.log"
		exit 1
	fi
}
cfg() { # cfg FILE LINE
	if ! echo "$2" >"$1" 2>/dev/null; then
		fail "$VM_LABEL: config: '$2' > $1: $(cat "$R/last_sysfs_mgmt_res" 2>/dev/null)"
		return 1
	fi
}
vm_config_done() {
	[ $fails -eq 0 ] || { cat "$tmp/logs/scstd.log"; exit 1; }
}

# ---- iscsi-scstd on free loopback ports (never 3260)
vm_start_iscsid() {
	local pick=$1 log=$tmp/logs/iscsi-scstd.log
	for _ in 1 2 3 4 5; do
		vm_iscsid_addr=()
		"$pick" || continue
		"$ISCSID" -f "${vm_iscsid_addr[@]}" --control "$tmp/ctl.sock" --log-level info \
			>"$log" 2>&1 &
		iscsid_pid=$!
		for _ in $(seq 50); do
			grep -q "running" "$log" && break
			kill -0 "$iscsid_pid" 2>/dev/null || break
			sleep 0.1
		done
		grep -q "running" "$log" && return 0
		kill -TERM "$iscsid_pid" 2>/dev/null; wait "$iscsid_pid" 2>/dev/null
		iscsid_pid=
	done
	echo "FAIL: $VM_LABEL: iscsi-scstd did not start"
	cat "$log"
	exit 1
}

# ---- ports
free_port() {
	local p
	for _ in $(seq 20); do
		p=$((40000 + RANDOM % 20000))
		(exec 3<>"/dev/tcp/127.0.0.1/$p") 2>/dev/null || { echo "$p"; return 0; }
	done
	return 1
}

# ---- one boot
vm_boot_start() {
	local name=$1 fwd=$2
	shift 2
	log=$tmp/logs/console-$name.log
	: >"$log"
	boot_t0=$(date +%s)
	timeout -k 5 "$VM_TIMEOUT" qemu-system-x86_64 -accel tcg -cpu max -smp 1 -m 512 \
		-nodefaults -no-user-config -no-reboot -display none -monitor none \
		-serial "file:$log" \
		-kernel "$VMLINUZ" -initrd "$INITRD" \
		-append "console=ttyS0 quiet loglevel=4 panic=-1 vmtest_timeout=$((VM_TIMEOUT - 10)) $*" \
		-netdev "user,id=n0,restrict=on,$fwd" \
		-device virtio-net-pci,netdev=n0 ${VM_QEMU_ARGS[@]+"${VM_QEMU_ARGS[@]}"} </dev/null >"$tmp/logs/qemu-$name.out" 2>&1 &
	qemu_pid=$!
}
vm_boot_wait() {
	local name=$1 rc
	wait "$qemu_pid"
	rc=$?
	qemu_pid=
	boot_secs=$(($(date +%s) - boot_t0))
	if [ $rc -eq 124 ] || [ $rc -eq 137 ]; then
		fail "vm $name: qemu killed after ${VM_TIMEOUT}s"
	elif [ $rc -ne 0 ]; then
		fail "vm $name: qemu exit status $rc: $(tail -n 5 "$tmp/logs/qemu-$name.out")"
	fi
	touch "$log"
	sed -i 's/\r$//' "$log" # the serial console's line ends
}

vm_say() { echo "$*" >"$VM_SAY.new" && mv "$VM_SAY.new" "$VM_SAY"; }
vm_boot_serve() {
	local name=$1 act=$2 fwd=$3 done_n=0 reqs n
	shift 3
	vm_say ""
	vm_boot_start "$name" "$fwd" "$@"
	while kill -0 "$qemu_pid" 2>/dev/null; do
		mapfile -t reqs < <(tr -d '\r' <"$log" | sed -n 's/^VMTEST: HOST \([a-z0-9-]*\)$/\1/p')
		for ((n = done_n; n < ${#reqs[@]}; n++)); do
			echo "$VM_LABEL $name: $(($(date +%s) - boot_t0))s: the guest asks: ${reqs[n]}"
			"$act" "${reqs[n]}"
		done
		done_n=${#reqs[@]}
		sleep 0.5
	done
	vm_boot_wait "$name"
}

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

show_console() {
	# No console when the scenario never booted (e.g. an unknown name).
	[ -n "${log:-}" ] && [ -f "$log" ] || return 0
	echo "--- vm $1: the guest's VMTEST lines"
	grep -a "${VM_CONSOLE_GREP:-^VMTEST: }" "$log"
	echo "--- vm $1: console (tail)"
	grep -av "^VMTEST" "$log" | tail -n "${VM_CONSOLE_TAIL:-50}"
	echo "---"
}

vm_run_scenarios() {
	local s before
	for s in "$@"; do
		before=$fails
		run_scenario "$s"
		echo "vm $s: ${boot_secs:-0}s"
		if [ $fails -ne $before ]; then
			show_console "$s"
			break # the next boots would only add noise
		fi
	done
}

# ---- the daemons after all boots, and the verdict
vm_finish() {
	local scstd_tail=$1 verdict=$2 errs rc rc2
	if kill -0 "$scstd_pid" 2>/dev/null && kill -0 "$iscsid_pid" 2>/dev/null; then
		pass "$VM_LABEL: scstd and iscsi-scstd are alive"
	else fail "$VM_LABEL: a daemon died"; fi
	# A refused login is a warning at most; errors and sanitizer reports fail.
	errs=$(grep -h " ERR: \|Sanitizer\|runtime error" "$tmp/logs/scstd.log" "$tmp/logs/iscsi-scstd.log")
	if [ -z "$errs" ]; then pass "$VM_LABEL: no errors in the daemons' logs"
	else fail "$VM_LABEL: errors in the daemons' logs:"; echo "$errs" | head -n 20; fi
	kill -TERM "$iscsid_pid" 2>/dev/null
	wait "$iscsid_pid"
	rc=$?
	iscsid_pid=
	kill -TERM "$scstd_pid" 2>/dev/null
	wait "$scstd_pid"
	rc2=$?
	scstd_pid=
	if [ $rc -eq 0 ] && [ $rc2 -eq 0 ]; then pass "$VM_LABEL: both daemons stop with status 0"
	else fail "$VM_LABEL: exit status iscsi-scstd $rc, scstd $rc2"; fi

	echo "$VM_LABEL: total $(($(date +%s) - t_start))s"
	if [ $fails -ne 0 ]; then
		echo "--- scstd log (tail)"; tail -n "$scstd_tail" "$tmp/logs/scstd.log"
		echo "--- iscsi-scstd log (tail)"; tail -n 30 "$tmp/logs/iscsi-scstd.log"
		echo "FAIL: $VM_LABEL: $fails failed"
		exit 1
	fi
	echo "PASS: $VM_LABEL: $verdict"
}
