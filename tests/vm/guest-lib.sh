# SPDX-License-Identifier: GPL-2.0-only
# shellcheck shell=sh disable=SC2034
#
# The shell functions the VM test guests share (busybox sh), sourced by
# /init (tests/vm/init-tape, tests/vm/init-passthrough) from
# /etc/vmtest/guest-lib.sh. They use the caller's $T0 (the start time);
# stage NAME marks the time of each part on the console.
#   ok/bad NAME DETAIL   one check's line "CHECK NAME PASS|FAIL DETAIL"
#   finish               "VMTEST: DONE <passed> <failed>", poweroff
#   diagnose, die NAME DETAIL
#   guest_up             the modules of /etc/vmtest/modules (but those
#                        named in $GUEST_NOLOAD, e.g. "scsi_debug"), the
#                        network (10.0.2.15), iscsid
#   host VERB            asks the host (VMTEST: HOST VERB), its answer
#                        in $answer (waits $HOST_WAIT half seconds, 240)
#   host_of, lun_dev     the SCSI host of a session, a LUN's device node
#   sense_since, sgr, is_ua, ua28, tur, drain_ua, ready: commands through
#                        sg_raw and their status and sense
#   mtx_status, slot_has, drive_has, mtx_summary, load, unload,
#   drive_ready          the changer and the drives ($A_CHG, $MT)

passed=0
failed=0
# ok NAME DETAIL / bad NAME DETAIL: one check's verdict.
ok() {
	n=$1
	shift
	echo "CHECK $n PASS $(echo "$*" | tr '\n' ' ')"
	passed=$((passed + 1))
}
bad() {
	n=$1
	shift
	echo "CHECK $n FAIL $(echo "$*" | tr '\n' ' ')"
	failed=$((failed + 1))
}
finish() {
	echo "VMTEST: DONE $passed $failed"
	sync
	poweroff -f
	sleep 10
	exit 1
}
diagnose() {
	echo "--- iscsiadm -m iface; -m node"
	iscsiadm -m iface 2>&1 | tail -n 5
	iscsiadm -m node -P 1 2>&1 | tail -n 20
	ls -R /etc/iscsi 2>&1 | tail -n 20
	echo "--- iscsiadm -m session -P 1"
	iscsiadm -m session -P 1 2>&1 | tail -n 30
	echo "--- iscsid log (tail)"
	tail -n 30 /tmp/iscsid.log 2>/dev/null
	echo "--- kernel messages (tail)"
	dmesg | sed -n '/Run \/init/,$p' | tail -n 60
}
# die NAME DETAIL: a setup step failed; nothing after it can run.
die() {
	bad "$@"
	diagnose
	finish
}
# stage NAME: the time each part took goes to the console (TCG is slow).
stage() { echo "VMTEST: STAGE $1 at $(($(date +%s) - T0))s"; }

# guest_up: modules, network, iscsid (as tests/vm/init).
guest_up() {
	kver=$(cat /etc/vmtest/kver)
	[ "$(uname -r)" = "$kver" ] || die modules "kernel $(uname -r), modules for $kver"
	for m in $(cat /etc/vmtest/modules); do
		b=${m##*/}
		case " ${GUEST_NOLOAD:-} " in *" ${b%.ko} "*) continue ;; esac
		if ! insmod "$m" 2>/tmp/insmod.err; then
			case "$m" in
			*-intel.ko|*_intel.ko|*-pclmul.ko|*_pclmul.ko) ;;
			*) die modules "insmod $m: $(cat /tmp/insmod.err)" ;;
			esac
		fi
	done
	ip link set lo up
	dev=
	for _ in 1 2 3 4 5 6 7 8 9 10; do
		for n in /sys/class/net/*; do
			case "${n##*/}" in lo) ;; *) dev=${n##*/}; break ;; esac
		done
		[ -n "$dev" ] && break
		sleep 0.5
	done
	[ -n "$dev" ] || die network "no network interface"
	ip addr add 10.0.2.15/24 dev "$dev" && ip link set "$dev" up &&
		ip route add default via 10.0.2.2 || die network "configuring $dev"
	iscsid -f >/tmp/iscsid.log 2>&1 &
	for _ in $(seq 50); do
		iscsiadm -m session >/dev/null 2>&1
		[ $? -eq 21 ] && break
		sleep 0.2
	done
	iscsiadm -m session >/dev/null 2>&1
	[ $? -eq 21 ] || die iscsid "iscsid does not answer"
}

# ---- talking to the host (as tests/vm/init-mpath)
host() {
	echo "VMTEST: HOST $1"
	for _ in $(seq "${HOST_WAIT:-240}"); do
		ans=$(nc 10.0.2.102 80 </dev/null 2>/dev/null)
		case "$ans" in
		"$1 ok"*) answer=${ans#"$1 ok"}; answer=${answer# }; return 0 ;;
		"$1 fail"*) answer=${ans#"$1 fail "}; return 1 ;;
		esac
		sleep 0.5
	done
	answer="no answer from the host in $((${HOST_WAIT:-240} / 2)) s"
	return 1
}

# host_of NAME: the SCSI host number of the session of initiator NAME.
host_of() {
	for s in /sys/class/iscsi_session/session*; do
		[ "$(cat "$s/initiatorname" 2>/dev/null)" = "$1" ] || continue
		h=$(readlink -f "$s/device")
		h=${h%/*}
		echo "${h##*/host}"
		return 0
	done
}
# lun_dev CLASS PATTERN HOST LUN: the node of class CLASS (scsi_tape,
# scsi_generic, scsi_changer) whose name matches PATTERN on HOST:0:0:LUN.
lun_dev() {
	for d in /sys/class/"$1"/*; do
		# shellcheck disable=SC2254 # PATTERN is a glob
		case "${d##*/}" in $2) ;; *) continue ;; esac
		l=$(readlink -f "$d/device")
		case "${l##*/}" in "$3":*:*:"$4") echo "${d##*/}"; return 0 ;; esac
	done
}

# ---- sense data of the failures
# sense_since MARK: what the kernel logged as sense data (sense key and
# additional sense) after line MARK of dmesg, the last three of each.
sense_since() {
	dmesg | tail -n +$(($1 + 1)) | grep -E 'Sense Key|Add\. Sense|ASC=|Unit Attention|reservation' |
		sed 's/^\[[ 0-9.]*\] //' | tail -n 6 | tr '\n' ';'
}
# sgr DEV [-s N -i FILE|-r N -o FILE] CDB...: one command through sg_raw;
# the status in $sgst (Good, Check Condition, Reservation Conflict, ...),
# the sense as "key/additional sense" in $sgsense.
sgr() {
	timeout 40 sg_raw -t 30 "$@" >/tmp/sgr.out 2>&1
	sgst=$(sed -n 's/^SCSI Status: *//p' /tmp/sgr.out | head -n1 | sed 's/ *$//')
	[ -n "$sgst" ] || sgst="none: $(head -n 2 /tmp/sgr.out | tr '\n' ' ')"
	sgsense="$(sed -n 's/.*Sense key: *//p' /tmp/sgr.out | head -n1)/$(sed -n 's/.*Additional sense: *//p' /tmp/sgr.out | head -n1)"
	[ "$sgsense" != / ] || sgsense=
}
ua28() { case "$sgsense" in "Unit Attention/Not ready to ready change"*) return 0 ;; esac; return 1; }
is_ua() { case "$sgsense" in "Unit Attention"*) return 0 ;; esac; return 1; }
# tur DEV: TEST UNIT READY.
tur() { sgr "$1" 00 00 00 00 00 00; }
# drain_ua DEV: TEST UNIT READYs until none reports a UNIT ATTENTION
# (8 at most), so that the next one shows only what happens after.
drain_ua() {
	for _ in 1 2 3 4 5 6 7 8; do
		tur "$1"
		is_ua || return 0
	done
}
# ready DEV: TEST UNIT READY until GOOD (30 s); the first UNIT ATTENTION
# seen in $first_ua.
ready() {
	first_ua=
	for _ in $(seq 30); do
		tur "$1"
		[ "$sgst" = Good ] && return 0
		[ -z "$first_ua" ] && is_ua && first_ua=$sgsense
		sleep 1
	done
	return 1
}

# mtx_status CHG: mtx status into /tmp/mtx.out; false when mtx fails.
mtx_status() { timeout 60 mtx -f "$1" status >/tmp/mtx.out 2>&1; }
# slot_has N BARCODE|Empty, drive_has D SLOT BARCODE|Empty: in /tmp/mtx.out.
slot_has() {
	if [ "$2" = Empty ]; then grep -q "^ *Storage Element $1:Empty" /tmp/mtx.out
	else grep -q "^ *Storage Element $1:Full *:VolumeTag=$2 *\$" /tmp/mtx.out; fi
}
drive_has() {
	if [ "$2" = Empty ]; then grep -q "^Data Transfer Element $1:Empty" /tmp/mtx.out
	else grep -q "^Data Transfer Element $1:Full (Storage Element $2 Loaded):VolumeTag = $3 *\$" /tmp/mtx.out; fi
}
mtx_summary() { grep -E 'Storage Changer|Element [0-9]+:Full|Element [0-9]+ IMP' /tmp/mtx.out | tr -s ' ' | tr '\n' ';'; }
# load SLOT DRIVE CHECK-NAME BARCODE [CHG]: mtx load, then the drive
# holds the cartridge (mtx status).
load() {
	m=$(dmesg | wc -l)
	if ! timeout 60 mtx -f "${5:-$A_CHG}" load "$1" "$2" >/tmp/mtxl.out 2>&1; then
		bad "$3" "mtx load $1 $2: $(tail -n 3 /tmp/mtxl.out | tr '\n' ' ') $(sense_since "$m")"
		return 1
	fi
	if mtx_status "${5:-$A_CHG}" && drive_has "$2" "$1" "$4" && slot_has "$1" Empty; then
		ok "$3" "slot $1 ($4) -> drive $2: $(grep "^Data Transfer Element $2:" /tmp/mtx.out)"
	else bad "$3" "after mtx load $1 $2: $(mtx_summary)"; return 1; fi
}
unload() { # unload SLOT DRIVE CHECK-NAME BARCODE
	m=$(dmesg | wc -l)
	if ! timeout 60 mtx -f "$A_CHG" unload "$1" "$2" >/tmp/mtxl.out 2>&1; then
		bad "$3" "mtx unload $1 $2: $(tail -n 3 /tmp/mtxl.out | tr '\n' ' ') $(sense_since "$m")"
		return 1
	fi
	if mtx_status "$A_CHG" && drive_has "$2" Empty && slot_has "$1" "$4"; then
		ok "$3" "drive $2 -> slot $1 ($4)"
	else bad "$3" "after mtx unload $1 $2: $(mtx_summary)"; return 1; fi
}
# drive_ready NST CHECK-NAME: mt status shows ONLINE within 30 s (the
# first open after a load sees the UNIT ATTENTION; st handles it).
drive_ready() {
	m=$(dmesg | wc -l)
	for _ in $(seq 30); do
		$MT -f "$1" status >/tmp/mt.out 2>&1 && grep -q ONLINE /tmp/mt.out && break
		sleep 1
	done
	if grep -q ONLINE /tmp/mt.out; then ok "$2" "$(grep -E 'File number|block size|status bits' /tmp/mt.out | tr '\n' ' ')"
	else bad "$2" "$(tr '\n' ' ' </tmp/mt.out) $(sense_since "$m")"; return 1; fi
}
