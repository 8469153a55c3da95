#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0-only
#
# scstd against Debian's tgt (tgtd) over iSCSI on loopback, on the same
# backing stores and loads, the two targets alternating (scstd, tgt,
# scstd, tgt). Builds nothing: it uses the binaries in ${O:-build}.
#
#   backings: null (scstd vdisk_nullio, tgt --bstype null), file: a 1 GiB
#             file in /dev/shm (scstd vdisk_fileio, tgt --bstype rdwr;
#             one file, used by one target at a time), odirect: a 1 GiB
#             file in /var/tmp opened with O_DIRECT (scstd vdisk_fileio
#             o_direct=1; tgt --bstype aio, which opens with O_DIRECT,
#             or rdwr --bsoflags direct if this tgt has no aio),
#             blockio: a loop device over that file (buffered: the
#             loop driver reads the file through the page cache, warmed
#             before the blockio rows; scstd vdisk_blockio, tgt the same
#             as odirect on the same /dev/loopN)
#   loads:    iscsi-perf 4K random read QD32, 128K sequential read QD16
#             (time bounded), qemu-img bench 4K write QD32, 64K write
#             QD16, 128K write QD16 (count bounded)
#
# Prints a table and writes it, with the machine and versions, between
# the markers of doc/benchmarks.md. A combination that cannot run here
# is reported as such in the table, never as a number.
#
# Environment: O (build dir), BENCH_TIME (seconds per iscsi-perf run,
# default 8), BENCH_ROUNDS (default 2), QEMU_COUNT_4K / QEMU_COUNT_64K /
# QEMU_COUNT_128K (requests per qemu-img bench run), BENCH_DOC (default
# doc/benchmarks.md; empty to skip writing it), and to run a part only
# (quick checks; the doc is then not written unless BENCH_DOC is set):
# BENCH_BACKINGS (default "null file odirect blockio"), BENCH_LOADS
# (default "rr4k sr128k w4k w64k w128k"), BENCH_TARGETS (default "scstd
# tgt").
#
# BENCH_BASELINE=<commit> (e.g. d779eda): also build that commit of this
# repository (git worktree add --detach into a temporary directory under
# /var/tmp, make -j2 all there) and run its scstd + iscsi-scstd as a
# third target, scstd-base, alternating with the others on the same rows;
# the table then has its IOPS and CPU s/M I/O and the ratio of the CPU
# per I/O of scstd to scstd-base. The worktree is removed on exit.
set -uo pipefail
cd "$(dirname "$0")/../.." || exit 1
O=${O:-build}
SCSTD=$O/scstd
ISCSID=$O/iscsi-scstd
BENCH_TIME=${BENCH_TIME:-8}
ROUNDS=${BENCH_ROUNDS:-2}
QEMU_COUNT_4K=${QEMU_COUNT_4K:-300000}
QEMU_COUNT_64K=${QEMU_COUNT_64K:-60000}
QEMU_COUNT_128K=${QEMU_COUNT_128K:-30000}
BACKINGS=(${BENCH_BACKINGS:-null file odirect blockio})
TARGETS=(${BENCH_TARGETS:-scstd tgt})
BASELINE=${BENCH_BASELINE:-}
[ -n "$BASELINE" ] && TARGETS+=(scstd-base)
if [ -n "${BENCH_BACKINGS:-}${BENCH_LOADS:-}${BENCH_TARGETS:-}" ]; then
	DOC=${BENCH_DOC-}
else
	DOC=${BENCH_DOC-doc/benchmarks.md}
fi
INI=iqn.2024-01.org.example:bench-ini
S_IQN=iqn.2024-01.org.example:bench-scstd
T_IQN=iqn.2024-01.org.example:bench-tgt
HZ=$(getconf CLK_TCK)
start_time=$(date +%s)

for t in "$SCSTD" "$ISCSID"; do
	[ -x "$t" ] || { echo "bench: $t missing (run make first, or set O=)" >&2; exit 1; }
done

tmp=$(mktemp -d)
shm=$(mktemp -d /dev/shm/scst-bench.XXXXXX)
FILE=$shm/disk.img
vt=$(mktemp -d /var/tmp/scst-bench.XXXXXX)
DFILE=$vt/disk.img # odirect and blockio (through LOOP)
LOOP=
base=""            # BENCH_BASELINE's worktree and build
R=$tmp/root
spid="" ipid="" tpid=""
declare -A TGT_BS # backing -> what tgt ran on it

stop_scstd() {
	[ -n "$ipid" ] && kill -TERM "$ipid" 2>/dev/null && wait "$ipid" 2>/dev/null
	[ -n "$spid" ] && kill -TERM "$spid" 2>/dev/null && wait "$spid" 2>/dev/null
	fusermount3 -uz "$R" 2>/dev/null
	ipid="" spid=""
}
stop_tgt() {
	[ -z "$tpid" ] && return
	# tgtd -f ignores SIGTERM while it has targets: give it a moment,
	# then SIGKILL (its state is in memory only).
	kill -TERM "$tpid" 2>/dev/null
	for _ in 1 2 3 4 5; do kill -0 "$tpid" 2>/dev/null || break; sleep 0.1; done
	kill -KILL "$tpid" 2>/dev/null
	wait "$tpid" 2>/dev/null
	tpid=
}
cleanup() {
	stop_scstd
	stop_tgt
	fusermount3 -uz "$R" 2>/dev/null
	[ -n "$LOOP" ] && losetup -d "$LOOP"
	if [ -n "$base" ]; then
		git worktree remove --force "$base/src" 2>/dev/null
		rm -rf "$base"
	fi
	rm -rf "$tmp" "$shm" "$vt"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

have() { command -v "$1" >/dev/null 2>&1; }
free_port() {
	local p
	while :; do
		p=$((20000 + RANDOM % 30000))
		(exec 3<>"/dev/tcp/127.0.0.1/$p") 2>/dev/null || { echo "$p"; return; }
	done
}

# utime + stime in clock ticks of one process (all its threads).
ticks() {
	local s
	s=$(cat "/proc/$1/stat" 2>/dev/null) || { echo 0; return; }
	s=${s##*) }
	set -- $s
	echo $(( ${12} + ${13} ))
}
cpu_ticks() { # target
	case $1 in
	scstd*) echo $(( $(ticks "$spid") + $(ticks "$ipid") )) ;;
	*) ticks "$tpid" ;;
	esac
}

wait_login() { # url
	for _ in $(seq 50); do
		iscsi-inq -i "$INI" "$1" >/dev/null 2>&1 && return 0
		sleep 0.1
	done
	return 1
}

# Start a target on a backing; sets URL. Returns nonzero with the
# reason in WHY when it cannot.
start_scstd() { # backing
	local b=$1
	SPORT=$(free_port)
	mkdir -p "$R"
	"$SCSTD" -f --root "$R" --state-dir "$tmp/state${SFX:-}" \
		--control "$tmp/ctl.sock" >"$tmp/scstd.log" 2>&1 &
	spid=$!
	for _ in $(seq 100); do [ -f "$R/version" ] && break; sleep 0.05; done
	[ -f "$R/version" ] || { WHY="scstd did not start"; return 1; }
	case $b in
	null) echo "add_device b0 size_mb=1024; blocksize=512" >"$R/handlers/vdisk_nullio/mgmt" ;;
	file) echo "add_device b0 filename=$FILE; blocksize=512" >"$R/handlers/vdisk_fileio/mgmt" ;;
	odirect) echo "add_device b0 filename=$DFILE; blocksize=512; o_direct=1" >"$R/handlers/vdisk_fileio/mgmt" ;;
	blockio)
		[ -n "$LOOP" ] || { WHY=$LOOP_WHY; return 1; }
		echo "add_device b0 filename=$LOOP; blocksize=512" >"$R/handlers/vdisk_blockio/mgmt" ;;
	esac || { WHY="add_device failed"; return 1; }
	{ echo "add_target $S_IQN" >"$R/targets/iscsi/mgmt" &&
	  echo "add b0 0" >"$R/targets/iscsi/$S_IQN/luns/mgmt" &&
	  echo 1 >"$R/targets/iscsi/$S_IQN/enabled" &&
	  echo 1 >"$R/targets/iscsi/enabled"; } || { WHY="target setup failed"; return 1; }
	"$ISCSID" -f -p "$SPORT" -a 127.0.0.1 --control "$tmp/ctl.sock" \
		>"$tmp/iscsid.log" 2>&1 &
	ipid=$!
	URL=iscsi://127.0.0.1:$SPORT/$S_IQN/0
	wait_login "$URL" || { WHY="no login to scstd"; return 1; }
}
# The same scstd start with BENCH_BASELINE's binaries and state.
start_scstd-base() { # backing
	SCSTD=$BASE_SCSTD ISCSID=$BASE_ISCSID SFX=-base start_scstd "$@"
}
stop_scstd-base() { stop_scstd; }
start_tgt() { # backing
	local b=$1 bs=rdwr path=$FILE flags=() direct=
	case $b in
	null) bs=null path=/dev/null ;;
	odirect | blockio)
		path=$DFILE direct=1
		if [ "$b" = blockio ]; then
			[ -n "$LOOP" ] || { WHY=$LOOP_WHY; return 1; }
			path=$LOOP
		fi ;;
	esac
	have tgtd && have tgtadm || { WHY="tgt not installed"; return 1; }
	TPORT=$(free_port)
	CPORT=$((1024 + RANDOM % 8000))
	tgtd -f -C "$CPORT" --iscsi "portal=127.0.0.1:$TPORT" >"$tmp/tgtd.log" 2>&1 &
	tpid=$!
	local ok=
	for _ in $(seq 50); do
		tgtadm -C "$CPORT" --mode system --op show >"$tmp/tgtsys" 2>/dev/null && { ok=1; break; }
		sleep 0.1
	done
	[ -n "$ok" ] || { WHY="tgtd did not start"; return 1; }
	# Direct I/O: tgt's libaio backing store (it opens with O_DIRECT and
	# takes no --bsoflags), else rdwr with O_DIRECT.
	if [ -n "$direct" ]; then
		if grep -qw aio "$tmp/tgtsys"; then bs=aio
		else flags=(--bsoflags direct); fi
		TGT_BS[$b]="--bstype $bs${flags[*]:+ ${flags[*]}} (O_DIRECT)"
	fi
	grep -qw "$bs" "$tmp/tgtsys" || { WHY="tgt has no $bs backing store"; return 1; }
	local a=(tgtadm -C "$CPORT" --lld iscsi)
	{ "${a[@]}" --op new --mode target --tid 1 -T "$T_IQN" &&
	  "${a[@]}" --op new --mode logicalunit --tid 1 --lun 1 -b "$path" --bstype "$bs" "${flags[@]}" &&
	  "${a[@]}" --op bind --mode target --tid 1 -I ALL; } >"$tmp/tgtadm.log" 2>&1 ||
		{ WHY="tgtadm: $(tail -1 "$tmp/tgtadm.log")"; return 1; }
	URL=iscsi://127.0.0.1:$TPORT/$T_IQN/1
	wait_login "$URL" || { WHY="no login to tgtd"; return 1; }
}

LOADS=(${BENCH_LOADS:-rr4k sr128k w4k w64k w128k})
declare -A LDESC=(
	[rr4k]="iscsi-perf 4K rand read QD32"
	[sr128k]="iscsi-perf 128K seq read QD16"
	[w4k]="qemu-img 4K write QD32"
	[w64k]="qemu-img 64K write QD16"
	[w128k]="qemu-img 128K write QD16"
)
declare -A LBS=([rr4k]=4096 [sr128k]=131072 [w4k]=4096 [w64k]=65536 [w128k]=131072)
declare -A LQD=([rr4k]=32 [sr128k]=16 [w4k]=32 [w64k]=16 [w128k]=16)
declare -A LCOUNT=([w4k]=$QEMU_COUNT_4K [w64k]=$QEMU_COUNT_64K [w128k]=$QEMU_COUNT_128K)
declare -A BDESC=([null]="null" [file]="1 GiB file, /dev/shm"
	[odirect]="1 GiB file, /var/tmp, O_DIRECT"
	[blockio]="loop device (buffered) on a 1 GiB file, /var/tmp")

QEMU_ISCSI=
have qemu-img && qemu-img --help 2>/dev/null | grep -A3 '^Supported formats' | grep -qw iscsi && QEMU_ISCSI=1

# Run one load against URL; prints "IOPS IOS" or "ERR reason".
measure() { # load
	local l=$1 bs=${LBS[$1]} qd=${LQD[$1]} lbs out n secs
	case $l in
	rr4k | sr128k)
		have iscsi-perf || { echo "ERR iscsi-perf missing"; return; }
		lbs=$(iscsi-readcapacity16 -i "$INI" "$URL" 2>/dev/null | sed -n 's/^Block Length:\([0-9]*\).*/\1/p')
		[ -n "$lbs" ] || lbs=512
		local rnd=()
		[ "$l" = rr4k ] && rnd=(-r)
		out=$(timeout $((BENCH_TIME + 20)) iscsi-perf -i "$INI" -m "$qd" \
			-b $((bs / lbs)) -t "$BENCH_TIME" "${rnd[@]}" "$URL" 2>&1 | tr '\r' '\n')
		n=$(grep -o 'iops average [0-9]*' <<<"$out" | tail -1 | awk '{print $3}')
		[ -n "$n" ] && ! grep -qi 'error\|failed' <<<"$out" ||
			{ echo "ERR iscsi-perf: $(grep -v '^ *$' <<<"$out" | tail -1 | cut -c1-60)"; return; }
		echo "$n $((n * BENCH_TIME))"
		;;
	w4k | w64k | w128k)
		[ -n "$QEMU_ISCSI" ] || { echo "ERR qemu-img has no iscsi driver"; return; }
		n=${LCOUNT[$l]}
		out=$(timeout 60 qemu-img bench -f raw -t none -w -c "$n" -d "$qd" \
			-s "$bs" "$URL" 2>&1)
		secs=$(sed -n 's/^Run completed in \([0-9.]*\) seconds.*/\1/p' <<<"$out")
		[ -n "$secs" ] || { echo "ERR qemu-img: $(tail -1 <<<"$out" | cut -c1-60)"; return; }
		echo "$(awk -v n="$n" -v s="$secs" 'BEGIN{printf "%d", n / s}') $n"
		;;
	esac
}

# Results: best (highest IOPS) round per backing/load/target, with the
# CPU of that same round.
declare -A IOPS CPU ERR
record() { # key iops cpu_per_M
	local k=$1
	if [ -z "${IOPS[$k]:-}" ] || [ "$2" -gt "${IOPS[$k]}" ]; then
		IOPS[$k]=$2 CPU[$k]=$3
	fi
}

run_target() { # target backing round
	local t=$1 b=$2 r=$3 l res c0 c1 iops ios
	WHY=
	if ! "start_$t" "$b"; then
		for l in "${LOADS[@]}"; do ERR[$b.$l.$t]=$WHY; done
		echo "  round $r $t/$b: $WHY"
		"stop_$t"
		return
	fi
	for l in "${LOADS[@]}"; do
		c0=$(cpu_ticks "$t")
		res=$(measure "$l")
		c1=$(cpu_ticks "$t")
		if [ "${res%% *}" = ERR ]; then
			ERR[$b.$l.$t]=${res#ERR }
			printf '  round %d %-10s %-7s %-30s %s\n' "$r" "$t" "$b" "${LDESC[$l]}" "${res#ERR }"
			continue
		fi
		read -r iops ios <<<"$res"
		local cpm
		cpm=$(awk -v d=$((c1 - c0)) -v hz="$HZ" -v n="$ios" 'BEGIN{printf "%.2f", d / hz / n * 1e6}')
		printf '  round %d %-10s %-7s %-30s %8d IOPS  %6.2f CPU s/M I/O\n' \
			"$r" "$t" "$b" "${LDESC[$l]}" "$iops" "$cpm"
		record "$b.$l.$t" "$iops" "$cpm"
		unset "ERR[$b.$l.$t]"
	done
	"stop_$t"
}

echo "bench: $ROUNDS rounds, iscsi-perf ${BENCH_TIME}s per run, qemu-img $QEMU_COUNT_4K x 4K / $QEMU_COUNT_64K x 64K / $QEMU_COUNT_128K x 128K requests"
if [[ " ${BACKINGS[*]} " == *" file "* ]]; then
	dd if=/dev/urandom of="$FILE" bs=1M count=1024 status=none ||
		{ echo "bench: cannot write $FILE" >&2; exit 1; }
fi
if [[ " ${BACKINGS[*]} " == *" odirect "* || " ${BACKINGS[*]} " == *" blockio "* ]]; then
	dd if=/dev/urandom of="$DFILE" bs=1M count=1024 status=none ||
		{ echo "bench: cannot write $DFILE" >&2; exit 1; }
	# Written back before any target runs: writeback of the fresh file
	# would otherwise slow whichever target comes first.
	sync
fi
LOOP_WHY="losetup not available"
if [[ " ${BACKINGS[*]} " == *" blockio "* ]] && have losetup; then
	LOOP=$(losetup -f --show "$DFILE" 2>"$tmp/losetup.err") ||
		{ LOOP='' LOOP_WHY="losetup: $(head -1 "$tmp/losetup.err")"; }
fi
if [ -n "$BASELINE" ]; then
	base=$(mktemp -d /var/tmp/scst-bench-base.XXXXXX)
	BASE_SCSTD=$base/build/scstd BASE_ISCSID=$base/build/iscsi-scstd
	BASE_REV=$(git rev-parse --short "$BASELINE^{commit}" 2>/dev/null) ||
		{ echo "bench: $BASELINE is not a commit" >&2; exit 1; }
	echo "bench: building $BASE_REV in $base (log: $base/build.log)"
	{ git worktree add --detach "$base/src" "$BASE_REV" &&
	  make -C "$base/src" -j2 all O="$base/build"; } >"$base/build.log" 2>&1 ||
		{ tail -20 "$base/build.log" >&2; echo "bench: cannot build $BASE_REV" >&2; exit 1; }
fi
for b in "${BACKINGS[@]}"; do
	# The loop device reads its file through the page cache, which the
	# odirect rows' O_DIRECT writes left cold: warm it, or the first
	# target on blockio pays for it.
	[ "$b" = blockio ] && [ -n "$LOOP" ] && dd if="$LOOP" of=/dev/null bs=1M status=none
	for r in $(seq "$ROUNDS"); do
		for t in "${TARGETS[@]}"; do
			run_target "$t" "$b" "$r"
		done
	done
done

cell() { # key -> "IOPS | MB/s | CPU"
	local k=$1 l=${1#*.}
	l=${l%.*}
	if [ -n "${IOPS[$k]:-}" ]; then
		awk -v i="${IOPS[$k]}" -v bs="${LBS[$l]}" -v c="${CPU[$k]}" \
			'BEGIN{printf "%d | %.1f | %s", i, i * bs / 1e6, c}'
	else
		echo "n/a | n/a | n/a"
	fi
}
# With BENCH_BASELINE: "| base IOPS | base CPU | CPU scstd/base" columns.
base_cells() { # backing.load
	local s=$1.scstd x=$1.scstd-base ratio=n/a
	[ -n "${CPU[$s]:-}" ] && [ -n "${CPU[$x]:-}" ] &&
		ratio=$(awk -v a="${CPU[$s]}" -v b="${CPU[$x]}" 'BEGIN{if (b > 0) printf "%.2f", a / b; else print "n/a"}')
	echo " ${IOPS[$x]:-n/a} | ${CPU[$x]:-n/a} | $ratio |"
}
table() {
	local hb="" hs=""
	if [ -n "$BASELINE" ]; then
		hb=" scstd-base IOPS | scstd-base CPU s/M I/O | CPU s/M I/O scstd/base |"
		hs="--:|--:|--:|"
	fi
	echo "| backing | load | scstd IOPS | scstd MB/s | scstd CPU s/M I/O | tgt IOPS | tgt MB/s | tgt CPU s/M I/O | IOPS scstd/tgt |$hb"
	echo "|---|---|--:|--:|--:|--:|--:|--:|--:|$hs"
	local b l s t ratio
	for b in "${BACKINGS[@]}"; do
		for l in "${LOADS[@]}"; do
			s=$b.$l.scstd t=$b.$l.tgt ratio=n/a
			[ -n "${IOPS[$s]:-}" ] && [ -n "${IOPS[$t]:-}" ] && [ "${IOPS[$t]}" -gt 0 ] &&
				ratio=$(awk -v a="${IOPS[$s]}" -v b="${IOPS[$t]}" 'BEGIN{printf "%.2f", a / b}')
			echo "| ${BDESC[$b]} | ${LDESC[$l]} | $(cell "$s") | $(cell "$t") | $ratio |$([ -n "$BASELINE" ] && base_cells "$b.$l")"
		done
	done
	local notes=()
	for k in "${!TGT_BS[@]}"; do notes+=("- tgt on $k: ${TGT_BS[$k]}"); done
	for k in "${!ERR[@]}"; do notes+=("- not measured: $k: ${ERR[$k]}"); done
	if [ ${#notes[@]} -gt 0 ]; then
		echo
		printf '%s\n' "${notes[@]}" | sort
	fi
}

ver() { dpkg-query -W -f='${Version}' "$1" 2>/dev/null || echo "not installed"; }
elapsed=$(($(date +%s) - start_time))
report() {
	echo "Measured $(date -u '+%Y-%m-%d %H:%M UTC') in ${elapsed}s; best of $ROUNDS alternating rounds (highest IOPS, CPU from the same run)."
	echo
	echo "- CPU: $(lscpu | sed -n 's/^Model name: *//p' | head -1), $(nproc) CPUs online"
	echo "- kernel: $(uname -r)"
	echo "- scstd: commit $(git rev-parse --short HEAD 2>/dev/null || echo unknown)"
	[ -n "$BASELINE" ] && echo "- scstd-base: commit $BASE_REV (BENCH_BASELINE), built with the same compiler and flags"
	echo "- tgt $(ver tgt), libiscsi-bin $(ver libiscsi-bin), qemu-utils $(ver qemu-utils), qemu-block-extra $(ver qemu-block-extra)"
	echo
	table
}
echo
report | tee "$tmp/report"

if [ -n "$DOC" ]; then
	if [ -f "$DOC" ] && grep -q '^<!-- bench:begin -->' "$DOC" && grep -q '^<!-- bench:end -->' "$DOC"; then
		awk -v rep="$tmp/report" '
			/^<!-- bench:begin -->/ { print; while ((getline line < rep) > 0) print line; skip = 1; next }
			/^<!-- bench:end -->/ { skip = 0 }
			!skip' "$DOC" >"$tmp/doc" && cat "$tmp/doc" >"$DOC"
	else
		{ cat tests/bench/doc-head.md; echo '<!-- bench:begin -->'
		  cat "$tmp/report"; echo '<!-- bench:end -->'; } >"$DOC"
	fi
	echo "bench: wrote $DOC"
fi
