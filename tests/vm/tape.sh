#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0-only
#
# The VM tape library test: the Linux initiator in a qemu guest (as
# tests/vm/run.sh; the initramfs, built into $O/vm-tape, adds st, ch,
# mt-st, mtx, sg3_utils' tools, GNU tar, cmp and bacula's btape with
# Debian's mtx-changer and bash to run it; the guest runs tests/vm/init-tape) against a tape
# library of one changer and two drives exported over iSCSI, logged in as
# two initiators. Each check of the guest is a console line
# "CHECK <name> PASS|FAIL <detail>"; tests/vm/init-tape says what they do.
# Halfway the guest asks the host to restart the target (the cartridges
# stay) and reads its archives back.
#   --target scstd  (default) scstd + iscsi-scstd: vtape cartridges in
#                   /dev/shm/scst-vmtape.*/scstd, drives drive0 and drive1 (vtape),
#                   the changer lib0 (vchanger, 8 slots, 2 import/export
#                   slots, A00001L5-A00003L5 in slots 1-3); LUN 0 lib0,
#                   LUN 1 drive0, LUN 2 drive1. The restart: SIGTERM to
#                   both daemons (SIGKILL with VM_TAPE_RESTART=kill), then
#                   the same configuration again (the cartridges are not
#                   created again; vchanger reads its state file).
#   --target tgt    Debian's tgtd with its SSC and SMC emulation, the same
#                   library from tgtimg cartridges (LUN 0 is tgt's own:
#                   changer at LUN 3, drives at 1 and 2); the restart:
#                   SIGKILL (tgtd ignores SIGTERM while it has targets),
#                   tgtd again, the same tgtadm configuration. Its FAILs
#                   are expected and do not fail the run: it is there to
#                   compare with.
#   --target both   scstd, then tgt; the comparison goes to
#                   $O/vm-tape/compare.txt.
# Each run prints its table of checks; the exit status follows only the
# scstd run (every check PASS, the daemons alive, no errors in their logs,
# a clean stop). A tgt run fails only when the harness does (the guest
# did not log in and find both libraries, or did not finish).
# The consoles are kept as $O/vm-tape/console-TARGET.log.
#
#   O=build tests/vm/tape.sh [--target scstd|tgt|both]
# Environment: VM_TIMEOUT (seconds per boot, default 420), VM_KEEP=1
# keeps the temporary directory (and the cartridges), VM_TAPE_RESTART. Needs what tests/vm/run.sh needs plus
# mt-st, mtx and bacula-sd (btape) for the guest and tgt for --target tgt;
# prints a SKIP line and exits 0 when one is missing (a FAIL under CI or
# with VM_REQUIRED=1). The plumbing shared with the other VM tests is in
# tests/vm/lib.bash.
set -uo pipefail
VM_LABEL=vm-tape
VM_TIMEOUT=${VM_TIMEOUT:-420}
VM_CONSOLE_GREP='^CHECK\|^VMTEST' VM_CONSOLE_TAIL=60
here=$(cd "$(dirname "$0")" && pwd)
# shellcheck source-path=SCRIPTDIR source=lib.bash
. "$here/lib.bash"

usage() { sed -n '3,/^set /p' "$0" | sed -n 's/^# \{0,1\}//p' >&2; exit 1; }
which=scstd
while [ $# -gt 0 ]; do
	case $1 in
	--target) which=${2:-}; shift 2 || usage ;;
	--target=*) which=${1#*=}; shift ;;
	*) usage ;;
	esac
done
case $which in
scstd) targets=(scstd) ;;
tgt) targets=(tgt) ;;
both) targets=(scstd tgt) ;;
*) usage ;;
esac

# The checks of tests/vm/init-tape, in its order.
CHECKS=(login-a devices-a login-b devices-b inquiry mode-page-1d mtx-status mtx-load
	drive-ready mt-setblk-var mt-rewind mt-write mt-weof mt-tell mt-fsf mt-fsr mt-bsr
	mt-bsf mt-seek mt-eod mt-status mt-setblk-fixed tar-write tar-read-var
	tar-read-fixed logsense-tapealert logsense-seqaccess read-attr mtx-unload
	btape-load btape-ready btape-test btape-auto btape-unload ua-a ua-b reserve-a
	conflict-b-write conflict-b-move release-a after-release persist-load
	persist-session persist-mtx persist-ready persist-read-var persist-read-fixed
	persist-unload logout)
BARCODES=(A00001L5 A00002L5 A00003L5)

# ---- what is needed
vm_need_cmds qemu-system-x86_64 perl fusermount3 "mt:mt-st" "mtx:mtx" "btape:bacula-sd (btape)"
mt --version 2>&1 | grep -q mt-st || skip "mt is not mt-st's ($(command -v mt))"
for t in "${targets[@]}"; do
	case $t in
	scstd) vm_need_built ;;
	tgt) vm_need_cmds "tgtd:tgt" tgtadm tgtimg ;;
	esac
done
vm_need_host
CHANGER_SCRIPTS=/etc/bacula/scripts
[ -x $CHANGER_SCRIPTS/mtx-changer ] && [ -f $CHANGER_SCRIPTS/mtx-changer.conf ] ||
	skip "bacula's mtx-changer not in $CHANGER_SCRIPTS (bacula-sd)"

# ---- the initramfs: tests/vm's, plus the tape tools
extra=(--init "$here/init-tape" --file "$here/guest-lib.sh:/etc/vmtest/guest-lib.sh" --module st --module ch
	--bin mt --bin mtx --bin sg_raw --bin sg_logs --bin sg_read_attr --bin tar --bin cmp
	--bin btape --bin bash
	--file "$CHANGER_SCRIPTS/mtx-changer" --file "$CHANGER_SCRIPTS/mtx-changer.conf")
vm_build_initramfs vm-tape "${extra[@]}"
OUT=$O/vm-tape
vm_setup_tmp scst-vmtape
tape_cleanup() {
	[ -n "$tgt_pid" ] && kill -KILL "$tgt_pid" 2>/dev/null && wait "$tgt_pid" 2>/dev/null
	[ "${VM_KEEP:-0}" == 1 ] || rm -rf "$MEDIA"
	vm_cleanup
}
trap tape_cleanup EXIT
IQN=iqn.2026-11.org.scst-usr:vmtape
# The cartridges live in memory: tgt fsyncs its file after every block
# (40 ms here, and btape writes 20000), a restart of the target keeps
# them all the same.
MEDIA=$(mktemp -d /dev/shm/scst-vmtape.XXXXXX 2>/dev/null) || MEDIA=$tmp/media

# ================================================================ scstd ====
M_SCSTD=$MEDIA/scstd
# scstd_config first|again: the library in scstd's tree; false on the
# first mgmt write that fails (cfg has printed a FAIL line).
scstd_config() {
	local b h=$R/handlers
	if [ "$1" == first ]; then
		mkdir -p "$M_SCSTD"
		for b in "${BARCODES[@]}"; do
			cfg "$h/vtape/mgmt" "create_cartridge $b media_dir=$M_SCSTD; capacity=64M" || return 1
		done
	fi
	cfg "$h/vtape/mgmt" "add_device drive0 media_dir=$M_SCSTD" &&
		cfg "$h/vtape/mgmt" "add_device drive1 media_dir=$M_SCSTD" &&
		cfg "$h/vchanger/mgmt" "add_device lib0 media_dir=$M_SCSTD; drives=drive0,drive1; slots=8; ie_slots=2; barcodes=$(
			IFS=,
			echo "${BARCODES[*]}"
		)" &&
		cfg "$R/targets/iscsi/mgmt" "add_target $IQN" &&
		cfg "$R/targets/iscsi/$IQN/luns/mgmt" "add lib0 0" &&
		cfg "$R/targets/iscsi/$IQN/luns/mgmt" "add drive0 1" &&
		cfg "$R/targets/iscsi/$IQN/luns/mgmt" "add drive1 2" &&
		cfg "$R/targets/iscsi/$IQN/enabled" 1 &&
		cfg "$R/targets/iscsi/enabled" 1
}
pick_port() { vm_iscsid_addr=(-a 127.0.0.1 -p "$port"); [ -n "$port" ]; }
scstd_setup() {
	local h
	vm_start_scstd
	for h in vtape vchanger; do
		[ -f "$R/handlers/$h/mgmt" ] && continue
		fail "vm-tape scstd: scstd has no $h handler (handlers: $(ls "$R/handlers" | tr '\n' ' '))"
		return 1
	done
	scstd_config first || { tail -n 20 "$tmp/logs/scstd.log"; return 1; }
	port=''
	pick_new_port() { port=$(free_port) && pick_port; }
	vm_start_iscsid pick_new_port
	LUNS=0,1,2
}
# scstd_restart: both daemons stop and start again on the same state
# directory, tree mount point and port. VM_TAPE_RESTART=term (default):
# SIGTERM, each must exit with status 0; =kill: SIGKILL, a crash (every
# acknowledged WRITE must still be on the cartridge).
scstd_restart() {
	local rc1 rc2 n=$restarts sig=TERM
	[ "${VM_TAPE_RESTART:-term}" == kill ] && sig=KILL
	kill -"$sig" "$iscsid_pid" 2>/dev/null
	wait "$iscsid_pid"
	rc1=$?
	kill -"$sig" "$scstd_pid" 2>/dev/null
	wait "$scstd_pid"
	rc2=$?
	iscsid_pid='' scstd_pid=''
	grep -q " $R " /proc/mounts && fusermount3 -uz "$R"
	# Both logs are checked for errors at the end (vm_finish reads the
	# last ones, tape_logs_clean the earlier ones).
	mv "$tmp/logs/scstd.log" "$tmp/logs/scstd.$n.log"
	mv "$tmp/logs/iscsi-scstd.log" "$tmp/logs/iscsi-scstd.$n.log"
	if [ $sig == TERM ] && { [ $rc1 -ne 0 ] || [ $rc2 -ne 0 ]; }; then
		fail "vm-tape scstd: restart: exit status iscsi-scstd $rc1, scstd $rc2"
	fi
	vm_start_scstd
	scstd_config again || return 1
	vm_start_iscsid pick_port
	restart_how="SIG$sig, exit status $rc1/$rc2"
}
tape_logs_clean() {
	local f errs
	for f in "$tmp"/logs/scstd.[0-9]*.log "$tmp"/logs/iscsi-scstd.[0-9]*.log; do
		[ -f "$f" ] || continue
		errs=$(grep -h " ERR: \|Sanitizer\|runtime error" "$f")
		if [ -n "$errs" ]; then
			fail "vm-tape scstd: errors in ${f##*/} (before the restart):"
			echo "$errs" | head -n 20
		fi
	done
}

# ================================================================== tgt ====
M_TGT=$MEDIA/tgt
# shellcheck source-path=SCRIPTDIR source=tgt.bash
. "$here/tgt.bash"
tgt_setup() {
	tgt_media || return 1
	port=$(free_port) || return 1
	tgt_start || return 1
	if ! tgt_config; then
		fail "vm-tape tgt: configuration: $(tail -n 3 "$tmp/logs/tgtadm.log")"
		return 1
	fi
	LUNS=3,1,2
}
tgt_restart() {
	tgt_stop
	tgt_start && tgt_config && restart_how="SIGKILL, tgtd and tgtadm again"
}

# ============================================================ the boots ====
# act VERB: what the host does when the guest asks.
act() {
	case $1 in
	restart)
		restarts=$((restarts + 1))
		if "${cur}_restart"; then vm_say "restart ok $restart_how"
		else vm_say "restart fail the $cur restart failed (see the host's log)"; fi ;;
	*) vm_say "$1 fail unknown request" ;;
	esac
}
# boot TARGET KERNEL-ARGS...: runs the guest, answering its requests (as
# tests/vm/multipath.sh); sets $log and $boot_secs.
boot() {
	cur=$1
	shift
	restarts=0
	# tests/vm/fwd.pl instead of socat: it makes WRITEs 20 times faster
	# (see why there).
	vm_boot_serve "$cur" act "guestfwd=tcp:10.0.2.100:3260-cmd:perl $here/fwd.pl $port,guestfwd=tcp:10.0.2.102:80-cmd:cat $VM_SAY" "$@"
	mkdir -p "$OUT" && cp "$log" "$OUT/console-$cur.log"
}

# ---- results: RES[target:check] = PASS|FAIL|MISSING, DET[...] the detail
declare -A RES DET
collect() {
	local t=$1 name verdict detail c
	while read -r name verdict detail; do
		c=$t:$name
		# A check's first FAIL wins over its PASS lines.
		if [ "${RES[$c]:-}" != FAIL ]; then
			if [ -z "${RES[$c]:-}" ] || [ "$verdict" == FAIL ]; then
				RES[$c]=$verdict DET[$c]=$detail
			fi
		fi
	done < <(sed -n 's/^CHECK \([a-z0-9-]*\) \(PASS\|FAIL\) \{0,1\}/\1 \2 /p' "$log")
	for name in "${CHECKS[@]}"; do
		[ -n "${RES[$t:$name]:-}" ] || RES[$t:$name]=MISSING DET[$t:$name]="the guest did not get there"
	done
	for c in "${!RES[@]}"; do
		[ "${c%%:*}" == "$t" ] || continue
		case " ${CHECKS[*]} " in *" ${c#*:} "*) ;; *) RES[$c]=FAIL DET[$c]="unknown check (tape.sh's CHECKS)" ;; esac
	done
	# How long the parts took (TCG): the guest's stage marks.
	echo "vm-tape $t: stages: $(sed -n 's/^VMTEST: STAGE \([a-z]*\) at \([0-9]*\)s$/\1 \2s/p' "$log" | paste -sd, -), boot ${boot_secs}s"
}
# verdicts TARGET: the scstd checks count (pass/fail), tgt's are shown.
verdicts() {
	local t=$1 name r n=0
	for name in "${CHECKS[@]}"; do
		r=${RES[$t:$name]}
		if [ "$t" == scstd ]; then
			if [ "$r" == PASS ]; then pass "vm-tape $t: $name: ${DET[$t:$name]}"
			else fail "vm-tape $t: $name: $r: ${DET[$t:$name]}"; fi
		else
			# Informational: no PASS/FAIL prefix a reader could take for the verdict.
			echo "vm-tape $t: $name $r: ${DET[$t:$name]}"
		fi
		[ "$r" == PASS ] && n=$((n + 1))
	done
	echo "vm-tape $t: $n of ${#CHECKS[@]} checks pass"
}
table() {
	local name t line
	line=$(printf '%-20s' check)
	for t in "${targets[@]}"; do line+=$(printf ' %-8s' "$t"); done
	echo "$line"
	for name in "${CHECKS[@]}"; do
		line=$(printf '%-20s' "$name")
		for t in "${targets[@]}"; do line+=$(printf ' %-8s' "${RES[$t:$name]:--}"); done
		echo "$line"
	done
}

run_target() {
	local t=$1 name before=$fails
	echo "== vm-tape $t: a library of 1 changer + 2 drives, two initiators"
	if ! "${t}_setup"; then
		for name in "${CHECKS[@]}"; do RES[$t:$name]=MISSING DET[$t:$name]="the $t setup failed"; done
		[ "$t" == scstd ] || fail "vm-tape $t: setup failed"
		return
	fi
	echo "vm-tape $t: target on 127.0.0.1:$port, LUNs (changer, drive 0, drive 1) $LUNS"
	boot "$t" "vmtest_iqn=$IQN vmtest_target=$t vmtest_luns=$LUNS"
	collect "$t"
	verdicts "$t"
	if [ "$t" == tgt ]; then
		tgt_stop
		# Informational: only a broken harness fails it (no sessions,
		# devices or end).
		if [ "${RES[tgt:devices-b]}" != PASS ] || ! grep -aq '^VMTEST: DONE ' "$log"; then
			fail "vm-tape tgt: the guest did not get through the setup to the end"
		fi
	fi
	[ $fails -eq $before ] || show_console "$t"
}

for t in "${targets[@]}"; do run_target "$t"; done

echo "--- vm-tape: checks per target"
table | sed 's/^/vm-tape: /'
if [ "$which" == both ]; then
	{
		echo "# tests/vm/tape.sh --target both, $(date -u +%Y-%m-%dT%H:%MZ), kernel $KVER"
		table
		for t in "${targets[@]}"; do
			echo
			echo "## $t: checks that do not pass"
			for name in "${CHECKS[@]}"; do
				[ "${RES[$t:$name]}" == PASS ] || echo "$name ${RES[$t:$name]}: ${DET[$t:$name]}"
			done
		done
	} >"$OUT/compare.txt"
	echo "vm-tape: the comparison is in $OUT/compare.txt"
fi

case " ${targets[*]} " in
*" scstd "*)
	if [ -z "$iscsid_pid" ]; then
		# Its setup failed: there is nothing to check of the daemons.
		echo "vm-tape: total $(($(date +%s) - t_start))s"
		echo "FAIL: vm-tape: the scstd target could not be set up ($fails failed)"
		exit 1
	fi
	tape_logs_clean
	vm_finish 60 "a tape library (vtape, vchanger) with the Linux initiator: st, mtx, tar, btape, two initiators, a restart" ;;
*)
	echo "vm-tape: total $(($(date +%s) - t_start))s"
	if [ $fails -ne 0 ]; then echo "FAIL: vm-tape: $fails failed"; exit 1; fi
	echo "PASS: vm-tape: the tgt run finished (informational)" ;;
esac
