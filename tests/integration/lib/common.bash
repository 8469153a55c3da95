# SPDX-License-Identifier: GPL-2.0-only
# shellcheck shell=bash disable=SC2034,SC2120
# (SC2034: the variables are for the sourcing scripts; SC2120: optional
# arguments.)
#
# Shared code of the integration tests (tests/integration/*.sh). A script
# sources it after its `set` line:
#
#	. "$(dirname "$0")/lib/common.bash"
#
# It is not named *.sh and sits in lib/, so `make check-integration`
# (which runs tests/integration/*.sh) does not run it as a test. Every
# function works under `set -u`, `set -o pipefail` and `set -e`, and every
# wait is bounded.
#
# On sourcing it sets:
#   O        the build directory (default build)
#   SCSTD    $O/scstd;  ISCSID ${ISCSID:-$O/iscsi-scstd};  SA $O/scstadmin
#   CC       ${CC:-cc}
#   IT_DIR   the absolute path of tests/integration
#   fails    0, the count of failed checks (it_fail adds one)
#
# What a test needs (else a SKIP line and exit 0, CI or not)
#   it_need PREFIX PATH...
#                    each PATH must be executable, else prints
#                    "SKIP: PREFIXPATH missing" (an empty PATH: a command
#                    `command -v` did not find).
#   it_need_cu       sets CU (${CU:-iscsi-test-cu from PATH}); SKIP unless
#                    $SCSTD, $ISCSID and $CU are there ("SKIP: iscsi-test-cu
#                    missing" for the last).
#
# Temporary files and teardown
#   it_init          makes the temporary directory $tmp, sets R=$tmp/root
#                    (the config tree's mount point, not created) and
#                    installs an EXIT trap running it_cleanup.
#   it_cleanup       what the trap runs: TERM (then wait) the processes in
#                    it_bg, stop every daemon started here (it_stop_all),
#                    unmount $R if still mounted, remove $tmp, the paths in
#                    it_rm and this script's port reservations. A script
#                    with more to undo defines it_cleanup_hook, called first.
#   it_bg            array: helper processes started by the script (pids).
#   it_rm            array: extra paths to remove (e.g. a disk in /dev/shm).
#
# Verdicts
#   it_pass MSG      prints "PASS: MSG".
#   it_fail MSG      prints "FAIL: MSG" and adds one to $fails.
#   it_skip MSG      prints "SKIP: MSG".
#   pass, fail, skip the same, under the names the scripts use; a script
#                    that wants another fail() (e.g. one that exits)
#                    defines its own after sourcing.
#   it_echo PATH LINE
#                    writes LINE to PATH: it_pass "echo 'LINE' > P", else
#                    it_fail with the error (P is PATH without "$R/").
#   it_expect_file PATH EXPECTED
#                    it_pass "P = EXPECTED" (newlines as spaces) when the
#                    whole content of PATH is EXPECTED, else it_fail; P is
#                    PATH without the prefix $IT_STRIP (default none).
#   it_mgmt PATH LINE
#                    writes LINE to PATH (a mgmt file or attribute); when
#                    the write fails prints "FAIL: 'LINE' > PATH" and exits 1.
#
# Ports
#   it_free_port [LO [HI]]
#                    prints a TCP port in [LO, HI) (default 20000-32000,
#                    under the kernel's ephemeral range) that nothing
#                    listens on (ss -ltn, else a connect through
#                    /dev/tcp) and that no other test using this library
#                    holds: each port handed out is reserved by a directory
#                    in $IT_PORT_LOCKS (default /tmp/scst-it-ports.UID)
#                    naming this script's pid; reservations of dead
#                    scripts are taken over, ours are dropped by
#                    it_cleanup. (Without a usable lock directory only the
#                    listener check is made.)
#   it_port_open PORT [ADDR]
#                    true when ADDR (default 127.0.0.1):PORT accepts a TCP
#                    connection.
#
# Daemons (all started in the foreground, in the background of this shell,
# their pids in it_pids; it_stop_all stops them in the reverse order)
#   it_start_scstd [--log FILE] [--no-mount] [SCSTD-OPTIONS...]
#                    runs $SCSTD -f --root $R --state-dir $IT_STATE
#                    --control $CTL SCSTD-OPTIONS (defaults: $tmp/state,
#                    $tmp/ctl.sock), log appended to FILE (default
#                    $tmp/log; the last one is $IT_SCSTD_LOG), sets $pid;
#                    waits (20 s at most) for "scstd: running" in the log
#                    and, unless --no-mount, for $R/version. On failure
#                    prints "FAIL: scstd did not start" and the log, exits 1.
#   it_try_start_scstd ...
#                    the same, but returns 1 instead of exiting.
#   it_start_iscsid [--log FILE] [--control SOCK] [ADDR...] [-- OPTIONS...]
#                    runs $ISCSID -f -p $PORT -a ADDR... (default
#                    127.0.0.1) --control SOCK (default $CTL) OPTIONS, log
#                    appended to FILE (default $tmp/ilog), sets $ipid and
#                    adds the pid and log to it_iscsid_pids/it_iscsid_logs;
#                    waits (20 s at most) for "iscsi-scstd: running" in the
#                    log and for a listener on $PORT (it_port_busy: ss,
#                    without connecting, else a connection). When PORT is empty it takes one from
#                    it_free_port (and sets PORT), and if the daemon cannot
#                    listen there tries again on another port (5 times).
#                    On failure prints "FAIL: iscsi-scstd did not start"
#                    and the log, exits 1.
#   it_stop PID [SECONDS]
#                    SIGTERM, waits up to SECONDS (default 20), then
#                    SIGKILL; the exit status is left in $rc ("FAIL: pid N
#                    ignored SIGTERM" is printed when it had to be killed);
#                    PID leaves it_pids.
#   it_forget PID    takes PID off it_pids (a daemon the script stopped
#                    and waited for itself: its pid may be reused).
#   it_stop_all      it_stop on every daemon in it_pids (newest first),
#                    clears pid, ipid and it_pids, unmounts $R if mounted.
#
# The tree
#   it_add_device HANDLER NAME [PARAMS]
#                    add_device NAME PARAMS through handlers/HANDLER/mgmt.
#   it_iscsi_target [--no-enable] TGT DEV[:LUN]...
#                    add_target TGT to the iscsi driver, each DEV at LUN
#                    (default: 0, 1, ... in order); then, unless
#                    --no-enable, enables the target and the driver.
#   it_tree_dump     prints the whole tree under $R: one line per entry
#                    (type, mode, path, link target), then the content of
#                    every readable file; sessions and last_sysfs_mgmt_res
#                    (which vary) left out. Two dumps compare with cmp.
#
# Running things
#   it_run NAME CMD...
#                    CMD with a timeout ($IT_TIMEOUT, default 60 s), its
#                    output in $tmp/out: it_pass NAME, or it_fail NAME with
#                    the last 5 lines of the output.
#   it_cu OUT TIMEOUT CU-ARGS...
#                    iscsi-test-cu ($CU) with CU-ARGS, output in OUT, then
#                    sets cu_rc (its status), cu_sum (CUnit's "total ran
#                    passed failed inactive" for tests, empty if none) and
#                    cu_failed (the failed tests' names, one per line).
#   it_cu_report WIDTH NAME OUT
#                    after it_cu: "ok:   NAME tests SUM" (NAME padded to
#                    WIDTH) or "FAIL: ... failed: NAMES" (it_fail); with
#                    VERBOSE set, OUT is printed on failure.
#   it_build_libiscsi_client SRC OUT
#                    compiles SRC (C; lib/ is on the include path, for a
#                    source elsewhere that wants iscsi_client.h) against
#                    libiscsi into OUT; the binary
#                    is cached in $IT_CACHE (default $O/it-clients) by a
#                    hash of the sources and the compiler, so a second run
#                    does not compile again. Compiler messages in
#                    $tmp/cc.log; returns 1 when it does not build.
#   it_wait_line FILE PATTERN SECONDS
#                    true as soon as FILE has a line matching PATTERN
#                    (grep), false after SECONDS.
#   it_logs_tail     prints the last 30 lines of the scstd log and of the
#                    iscsi-scstd log (the usual end of a failed run).

O=${O:-build}
SCSTD=$O/scstd
ISCSID=${ISCSID:-$O/iscsi-scstd}
SA=$O/scstadmin
CC=${CC:-cc}
IT_DIR=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
IT_PORT_LOCKS=${IT_PORT_LOCKS:-/tmp/scst-it-ports.$(id -u)}
IT_CACHE=${IT_CACHE:-$O/it-clients}
IT_TIMEOUT=${IT_TIMEOUT:-60}
fails=0
pid='' ipid='' rc=0
it_pids=()
it_bg=()
it_rm=()
it_iscsid_pids=()
it_iscsid_logs=()
IT_SCSTD_LOG=
tmp=
R=

# ---- what a test needs ---------------------------------------------------
it_need() {
	local prefix=$1 t
	shift
	for t in "$@"; do
		[ -x "$t" ] || { echo "SKIP: $prefix$t missing"; exit 0; }
	done
}

it_need_cu() {
	local t
	CU=${CU:-$(command -v iscsi-test-cu)}
	for t in "$SCSTD" "$ISCSID" "$CU"; do
		[ -x "$t" ] || { echo "SKIP: ${t:-iscsi-test-cu} missing"; exit 0; }
	done
}

# ---- temporary files and teardown ----------------------------------------
it_init() {
	tmp=$(mktemp -d)
	R=$tmp/root
	IT_STATE=$tmp/state
	CTL=$tmp/ctl.sock
	trap it_cleanup EXIT
}

it_cleanup() {
	local p
	if declare -F it_cleanup_hook >/dev/null; then it_cleanup_hook || true; fi
	for p in "${it_bg[@]}"; do kill -TERM "$p" 2>/dev/null || true; done
	for p in "${it_bg[@]}"; do wait "$p" 2>/dev/null || true; done
	it_bg=()
	it_stop_all >/dev/null
	if [ -n "$tmp" ]; then
		rm -rf --one-file-system "$tmp" 2>/dev/null || true
	fi
	for p in "${it_rm[@]}"; do rm -rf "$p" 2>/dev/null || true; done
	it_release_ports
	return 0
}

# ---- verdicts ----------------------------------------------------------
it_pass() { echo "PASS: $*"; }
it_fail() {
	echo "FAIL: $*"
	fails=$((fails + 1))
	return 0
}
it_skip() { echo "SKIP: $*"; }
pass() { it_pass "$@"; }
fail() { it_fail "$@"; }
skip() { it_skip "$@"; }

it_echo() {
	if echo "$2" >"$1" 2>"$tmp/err"; then it_pass "echo '$2' > ${1#$R/}"
	else it_fail "echo '$2' > ${1#$R/}: $(cat "$tmp/err")"; fi
}

it_expect_file() {
	local got p=${1#${IT_STRIP:-}}
	got=$(cat "$1" 2>&1)
	if [ "$got" == "$2" ]; then it_pass "$p = $(echo "$2" | tr '\n' ' ')"
	else it_fail "$p: expected '$2', got '$got'"; fi
}

it_mgmt() { echo "$2" >"$1" || { echo "FAIL: '$2' > $1"; exit 1; }; }

# it_refuse PATH COMMAND MESSAGE: the write fails and last_sysfs_mgmt_res
# says MESSAGE.
it_refuse() {
	if echo "$2" >"$1" 2>/dev/null; then
		it_fail "accepted: echo '$2' > ${1#$R/}"
	else
		local got
		got=$(sed -n 2p "$R/last_sysfs_mgmt_res")
		if [ "$got" == "$3" ]; then it_pass "refused '$2': $3"
		else it_fail "refused '$2' with '$got', expected '$3'"; fi
	fi
}

# ---- ports -------------------------------------------------------------
it_port_open() {
	(exec 3<>"/dev/tcp/${2:-127.0.0.1}/$1") 2>/dev/null
}

# True when something listens on PORT (any address).
it_port_busy() {
	if command -v ss >/dev/null; then
		[ -n "$(ss -Hltn "sport = :$1" 2>/dev/null)" ]
	else
		it_port_open "$1"
	fi
}

# Reserve PORT for this script ($$); fails when a live script holds it.
it_reserve_port() {
	local d=$IT_PORT_LOCKS/$1 owner
	mkdir -p "$IT_PORT_LOCKS" 2>/dev/null || true
	[ -w "$IT_PORT_LOCKS" ] || return 0
	if mkdir "$d" 2>/dev/null; then
		echo $$ >"$d/pid"
		return 0
	fi
	owner=$(cat "$d/pid" 2>/dev/null || true)
	# Taken over only when its owner is gone (and has had time to write
	# its pid: an empty pid file may be a reservation in progress).
	if [ -n "$owner" ] && ! kill -0 "$owner" 2>/dev/null; then
		rm -rf "$d" 2>/dev/null || true
		mkdir "$d" 2>/dev/null || return 1
		echo $$ >"$d/pid"
		return 0
	fi
	return 1
}

it_release_ports() {
	local d
	for d in "$IT_PORT_LOCKS"/*; do
		[ -f "$d/pid" ] && [ "$(cat "$d/pid" 2>/dev/null)" = $$ ] &&
			{ rm -rf "$d" 2>/dev/null || true; }
	done
	return 0
}

it_free_port() {
	local lo=${1:-20000} hi=${2:-32000} p i
	for i in $(seq 200); do
		p=$((lo + RANDOM % (hi - lo)))
		it_port_busy "$p" && continue
		it_reserve_port "$p" || continue
		# Listened on between the check and the reservation?
		if it_port_busy "$p"; then
			rm -rf "${IT_PORT_LOCKS:?}/$p"
			continue
		fi
		echo "$p"
		return 0
	done
	echo "FAIL: no free TCP port in $lo-$hi" >&2
	return 1
}

# ---- daemons -----------------------------------------------------------
# it_wait_log FILE OFFSET PATTERN PID SECONDS: PATTERN in FILE after byte
# OFFSET, while PID lives; 0 when seen.
it_wait_log() {
	local end=$((SECONDS + $5))
	while [ $SECONDS -le $end ]; do
		tail -c +$(($2 + 1)) "$1" 2>/dev/null | grep -q "$3" && return 0
		kill -0 "$4" 2>/dev/null || {
			tail -c +$(($2 + 1)) "$1" 2>/dev/null | grep -q "$3"
			return
		}
		sleep 0.05
	done
	return 1
}

it_try_start_scstd() {
	local log=$tmp/log mount=1 off end
	while [ $# -gt 0 ]; do
		case $1 in
		--log) log=$2; shift 2 ;;
		--no-mount) mount=0; shift ;;
		*) break ;;
		esac
	done
	IT_SCSTD_LOG=$log
	# (mkdir complains about a dead FUSE mount there; scstd recovers it)
	[ $mount = 0 ] || mkdir -p "$R" 2>/dev/null || true
	off=$(stat -c %s "$log" 2>/dev/null || echo 0)
	if [ $mount = 1 ]; then
		"$SCSTD" -f --root "$R" --state-dir "$IT_STATE" --control "$CTL" \
			"$@" >>"$log" 2>&1 &
	else
		"$SCSTD" -f --root "$R" --state-dir "$IT_STATE" --control "$CTL" \
			--no-mount "$@" >>"$log" 2>&1 &
	fi
	pid=$!
	it_pids+=("$pid")
	it_wait_log "$log" "$off" "scstd: running" "$pid" 20 || return 1
	[ $mount = 1 ] || return 0
	end=$((SECONDS + 20))
	while [ ! -f "$R/version" ]; do
		[ $SECONDS -le $end ] && kill -0 "$pid" 2>/dev/null || return 1
		sleep 0.05
	done
	return 0
}

it_start_scstd() {
	it_try_start_scstd "$@" && return 0
	echo "FAIL: scstd did not start"
	cat "$IT_SCSTD_LOG"
	exit 1
}

it_start_iscsid() {
	local log=$tmp/ilog ctl=$CTL addrs=() aargs=() a try tries=1 off
	while [ $# -gt 0 ]; do
		case $1 in
		--log) log=$2; shift 2 ;;
		--control) ctl=$2; shift 2 ;;
		--) shift; break ;;
		*) addrs+=("$1"); shift ;;
		esac
	done
	[ ${#addrs[@]} -gt 0 ] || addrs=(127.0.0.1)
	for a in "${addrs[@]}"; do aargs+=(-a "$a"); done
	[ -n "${PORT:-}" ] || tries=5
	for ((try = 1; try <= tries; try++)); do
		[ $tries = 1 ] || PORT=$(it_free_port) || break
		off=$(stat -c %s "$log" 2>/dev/null || echo 0)
		"$ISCSID" -f -p "$PORT" "${aargs[@]}" --control "$ctl" "$@" \
			>>"$log" 2>&1 &
		ipid=$!
		it_pids+=("$ipid")
		if it_wait_log "$log" "$off" "iscsi-scstd: running" "$ipid" 20; then
			# Listening (ss, not a connection: a test may count
			# the connections the daemon sees).
			local end=$((SECONDS + 20))
			while ! it_port_busy "$PORT"; do
				[ $SECONDS -le $end ] || break
				sleep 0.05
			done
			if it_port_busy "$PORT"; then
				it_iscsid_pids+=("$ipid")
				it_iscsid_logs+=("$log")
				return 0
			fi
		fi
		it_stop "$ipid" 5 >/dev/null
		# Only a port someone else took is worth another try.
		tail -c +$((off + 1)) "$log" | grep -q "cannot listen" || break
	done
	echo "FAIL: iscsi-scstd did not start"
	cat "$log"
	exit 1
}

it_stop() {
	local i lim=$((${2:-20} * 10))
	rc=0
	kill -TERM "$1" 2>/dev/null || true
	for ((i = 0; i < lim; i++)); do
		kill -0 "$1" 2>/dev/null || break
		sleep 0.1
	done
	if kill -0 "$1" 2>/dev/null; then
		echo "FAIL: pid $1 ignored SIGTERM"
		kill -KILL "$1" 2>/dev/null || true
	fi
	wait "$1" 2>/dev/null || rc=$?
	it_forget "$1"
}

it_forget() {
	local i
	for i in "${!it_pids[@]}"; do
		[ "${it_pids[$i]}" != "$1" ] || unset "it_pids[$i]"
	done
	it_pids=("${it_pids[@]}")
	return 0
}

it_stop_all() {
	local i
	while [ ${#it_pids[@]} -gt 0 ]; do
		it_stop "${it_pids[-1]}"
	done
	it_pids=()
	pid='' ipid=''
	if [ -n "$R" ] && grep -qs " $R fuse" /proc/mounts; then
		fusermount3 -uz "$R" 2>/dev/null || umount -l "$R" 2>/dev/null || true
	fi
	return 0
}

# ---- the tree ------------------------------------------------------------
it_add_device() {
	it_mgmt "$R/handlers/$1/mgmt" "add_device $2${3:+ $3}"
}

it_iscsi_target() {
	local enable=1 t d n=0
	[ "$1" = --no-enable ] && { enable=0; shift; }
	t=$1
	shift
	it_mgmt "$R/targets/iscsi/mgmt" "add_target $t"
	for d in "$@"; do
		case $d in
		*:*) it_mgmt "$R/targets/iscsi/$t/luns/mgmt" "add ${d%%:*} ${d##*:}" ;;
		*) it_mgmt "$R/targets/iscsi/$t/luns/mgmt" "add $d $n" ;;
		esac
		n=$((n + 1))
	done
	if [ $enable = 1 ]; then
		it_mgmt "$R/targets/iscsi/$t/enabled" 1
		it_mgmt "$R/targets/iscsi/enabled" 1
	fi
	return 0
}

it_tree_dump() {
	(
		cd "$R" || exit 1
		find . -printf '%y %m %p %l\n' | LC_ALL=C sort |
			grep -v -e '/sessions/' -e ' ./last_sysfs_mgmt_res '
		find . -type f -perm -u=r ! -path '*/sessions/*' \
			! -name last_sysfs_mgmt_res -print | LC_ALL=C sort |
			while IFS= read -r f; do
				printf '== %s\n' "$f"
				cat -- "$f"
			done
	)
}

# ---- running things --------------------------------------------------------
it_run() {
	local name=$1
	shift
	if timeout "$IT_TIMEOUT" "$@" >"$tmp/out" 2>&1; then it_pass "$name"
	else it_fail "$name: $(tail -5 "$tmp/out")"; fi
}

it_cu() {
	local out=$1 tmo=$2
	shift 2
	cu_rc=0
	timeout "$tmo" "$CU" "$@" >"$out" 2>&1 || cu_rc=$?
	cu_sum=$(awk '$1 == "tests" { print $2, $3, $4, $5, $6 }' "$out")
	# CUnit prints "  Test: Name ...FAILED" (messages may sit between the
	# dots and FAILED, on following lines).
	cu_failed=$(awk '/^  Test: / { name = $2 } /^FAILED/ || /\.\.\.FAILED/ { print name }' "$out" | sort -u)
	return 0
}

it_cu_report() {
	local bad
	bad=$(tr '\n' ' ' <<<"$cu_failed")
	[ -z "$cu_failed" ] && bad=
	if [ -z "$cu_sum" ] || [ -n "$bad" ] || [ $cu_rc -ne 0 ]; then
		it_fail "$(printf "%-$1s tests %s" "$2" "${cu_sum:-?}") failed: ${bad:-(rc $cu_rc)}"
		[ -z "${VERBOSE:-}" ] || cat "$3"
	else
		echo "ok:   $(printf "%-$1s tests %s" "$2" "$cu_sum")"
	fi
	return 0
}

it_build_libiscsi_client() {
	local src=$1 out=$2 key bin
	key=$({ cat "$src" "$IT_DIR/lib/iscsi_client.h"; "$CC" --version 2>&1 | head -1; } |
		sha1sum | cut -c1-16)
	bin=$IT_CACHE/$(basename "$src" .c)-$key
	if [ ! -x "$bin" ]; then
		mkdir -p "$IT_CACHE" 2>/dev/null
		"$CC" -O1 -Wall -I"$IT_DIR/lib" -o "$bin.$$" "$src" -liscsi \
			2>"$tmp/cc.log" || { rm -f "$bin.$$"; return 1; }
		mv -f "$bin.$$" "$bin"
	fi
	cp "$bin" "$out"
}

it_wait_line() {
	local end=$((SECONDS + $3))
	until grep -q "$2" "$1" 2>/dev/null; do
		[ $SECONDS -lt $end ] || return 1
		sleep 0.05
	done
	return 0
}

it_logs_tail() {
	echo "--- scstd log"; tail -30 "$tmp/log"
	echo "--- iscsi-scstd log"; tail -30 "$tmp/ilog"
}
