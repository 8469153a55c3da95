#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0-only
#
# Start the target with its default configuration: scstd (engine and
# config tree), the default scst.conf applied with scstadmin, and the
# iSCSI login daemon on 127.0.0.1:3260 in the foreground. Ctrl-C (or
# SIGTERM) stops both daemons. Paths can be moved with environment
# variables so that a second instance can run beside the first.
set -euo pipefail
cd "$(dirname "$0")/.."
O=${O:-build}
ROOT=${SCST_ROOT:-/run/scst_tgt}
STATE=${SCST_STATE:-/var/lib/scst}
CTL=${SCST_CONTROL:-/run/scst/scstd.sock}
ADDR=${SCST_ADDR:-127.0.0.1}
PORT=${SCST_PORT:-3260}
CONF=${SCST_CONF:-etc/scst-default.conf}

mkdir -p "$STATE" "$ROOT"
# A thin disk: it takes no space until written.
[ -e "$STATE/disk0.img" ] || truncate -s 1G "$STATE/disk0.img"

scstd_pid=
stop() {
	[ -n "$scstd_pid" ] && kill -TERM "$scstd_pid" 2>/dev/null && wait "$scstd_pid" 2>/dev/null
	scstd_pid=
}
trap stop EXIT INT TERM

"$O/scstd" -f --root "$ROOT" --state-dir "$STATE" --control "$CTL" &
scstd_pid=$!
for _ in $(seq 100); do [ -f "$ROOT/version" ] && break; sleep 0.1; done
[ -f "$ROOT/version" ] || { echo "run: scstd did not start" >&2; exit 1; }

conf=$(mktemp)
sed "s|@STATE@|$STATE|g" "$CONF" >"$conf"
"$O/scstadmin" -root "$ROOT" -config "$conf" -noprompt
rm -f "$conf"

cat <<MSG
run: target iqn.2026-11.org.scst-usr:target0, LUN 0 = $STATE/disk0.img (1 GiB, thin)
run: connect with   iscsiadm -m discovery -t st -p $ADDR:$PORT && iscsiadm -m node --login
run:           or   iscsi-ls -s iscsi://$ADDR:$PORT
run: the config tree is at $ROOT; stop with Ctrl-C
MSG
"$O/iscsi-scstd" -f -a "$ADDR" -p "$PORT" --control "$CTL"
