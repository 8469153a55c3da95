#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0-only
# scstadmin against a real scstd: apply conf/full.conf (every kind of
# object), re-apply it (nothing to do), write it back, clear the tree
# (refused while a session is open, unless -force), apply the written file,
# write again: both written files are byte-identical and the whole tree
# (every path, mode, link target and file content, session counters
# excepted) is the same as before clearing.
set -euo pipefail
. "$(dirname "$0")/lib/common.bash"
it_init
root=$R

die() {
	fail "$*"
	echo "--- scstd log"
	cat "$tmp/log" 2>/dev/null || true
	exit 1
}

dump() { it_tree_dump; }

sa() { "$SA" -root "$root" "$@"; }

[ -x "$SA" ] || die "$SA is not built"
it_start_scstd

# --- finding the tree --------------------------------------------------------
set +e
out=$("$SA" -root "$tmp" -list_handler 2>&1)
rc=$?
set -e
[ $rc = 1 ] && grep -q "is not an SCST config tree" <<<"$out" &&
	pass "a directory without a version file is refused" ||
	fail "-root on a non-tree: rc $rc: $out"
[ "$(SCST_ROOT=$root "$SA" -list_handler)" = "$(ls -1 "$root/handlers")" ] &&
	pass "SCST_ROOT finds the tree" || fail "SCST_ROOT is not used"

# --- apply, and apply again --------------------------------------------------
sa -check_config "$IT_DIR/conf/full.conf" >"$tmp/out" 2>&1 &&
	pass "-check_config full.conf" || fail "-check_config full.conf: $(cat "$tmp/out")"
sa -config "$IT_DIR/conf/full.conf" >"$tmp/apply1" 2>&1 ||
	die "-config full.conf failed: $(cat "$tmp/apply1")"
for s in "added device disk3" "added LUN 5 (device disk1, read-only) to group hosts of target tgt1" \
	"added initiator !iqn.1994-05.com.redhat:bad to group hosts" \
	"set state of target group remote to 'standby'"; do
	grep -qF "$s" "$tmp/apply1" || fail "-config did not report '$s'"
done
[ "$(cat "$root/targets/scst_local/tgt1/luns/1/read_only" | head -n1)" = 1 ] &&
	[ "$(readlink "$root/targets/scst_local/tgt1/ini_groups/hosts/luns/5/device")" = \
		../../../../../../../devices/disk1 ] &&
	[ "$(head -n1 "$root/devices/disk1/blocksize")" = 4096 ] &&
	[ "$(head -n1 "$root/targets/scst_local/tgt1/comment")" = "primary target, two LUNs" ] &&
	[ "$(head -n1 "$root/device_groups/dgroup1/target_groups/remote/remote_tgt/rel_tgt_id")" = 7 ] &&
	pass "-config full.conf built the tree" || fail "the tree does not hold full.conf"
dump >"$tmp/dump1"
sa -config "$IT_DIR/conf/full.conf" >"$tmp/apply2" 2>&1 || fail "re-applying failed: $(cat "$tmp/apply2")"
grep -q "^nothing to do" "$tmp/apply2" && [ "$(wc -l <"$tmp/apply2")" = 1 ] &&
	pass "re-applying full.conf: nothing to do" ||
	fail "re-applying full.conf changed something: $(cat "$tmp/apply2")"
dump | cmp -s - "$tmp/dump1" && pass "re-applying left the tree as it was" ||
	fail "re-applying changed the tree"

# --- write, clear, re-apply, write ------------------------------------------
sa -write_config "$tmp/out1.conf" >/dev/null || die "-write_config out1.conf failed"
sa -list >"$tmp/list" || fail "-list failed"
grep -q "LUN 1 -> disk2  \[read_only=1\]" "$tmp/list" && pass "-list shows the tree" ||
	fail "-list: $(cat "$tmp/list")"
echo "add_session tgt1 iqn.1994-05.com.redhat:client" >"$root/targets/scst_local/mgmt"
set +e
sa -clear_config -noprompt >"$tmp/clear0" 2>&1
rc=$?
set -e
[ $rc != 0 ] && grep -q "target tgt1 has sessions; not removed" "$tmp/clear0" &&
	[ -d "$root/targets/scst_local/tgt1" ] &&
	pass "-clear_config keeps a target with sessions without -force" ||
	fail "-clear_config without -force: rc $rc: $(cat "$tmp/clear0")"
sa -clear_config -noprompt -force >"$tmp/clear" 2>&1 || fail "-clear_config -force failed: $(cat "$tmp/clear")"
# Empty: no devices, device groups or targets, and no handler lists a
# device any more (handlers and drivers themselves stay).
left=$(cd "$root" && {
	find devices device_groups -mindepth 1 ! -name mgmt
	find targets -mindepth 2 -maxdepth 2 -type d
	find handlers -mindepth 2 -type l
})
[ -z "$left" ] && pass "-clear_config -force emptied the tree" ||
	fail "left after -clear_config: $left"
sa -config "$tmp/out1.conf" >"$tmp/apply3" 2>&1 || fail "-config out1.conf failed: $(cat "$tmp/apply3")"
sa -write_config "$tmp/out2.conf" >/dev/null || fail "-write_config out2.conf failed"
cmp "$tmp/out1.conf" "$tmp/out2.conf" && pass "written configs are byte-identical" ||
	fail "out1.conf and out2.conf differ: $(diff "$tmp/out1.conf" "$tmp/out2.conf")"
dump >"$tmp/dump2"
diff "$tmp/dump1" "$tmp/dump2" >"$tmp/dump.diff" && pass "the tree after the round trip is identical" ||
	fail "the tree differs after the round trip: $(cat "$tmp/dump.diff")"
sa -config "$tmp/out1.conf" >"$tmp/apply4" 2>&1 && grep -q "^nothing to do" "$tmp/apply4" &&
	pass "re-applying out1.conf: nothing to do" || fail "re-applying out1.conf: $(cat "$tmp/apply4")"

# --- -force removes what the file lacks; without it, only says so ----------
cat >"$tmp/small.conf" <<'CONF'
HANDLER scst_null {
	DEVICE disk4
}
TARGET_DRIVER scst_local {
	TARGET tgt2 {
		addr_method FLAT
		LUN 0 disk4
	}
}
CONF
sa -config "$tmp/small.conf" >"$tmp/apply5" 2>&1 || fail "-config small.conf: $(cat "$tmp/apply5")"
grep -q "would remove target tgt1 of driver scst_local" "$tmp/apply5" &&
	dump | cmp -s - "$tmp/dump1" && pass "without -force nothing is removed" ||
	fail "without -force: $(cat "$tmp/apply5")"
sa -config "$tmp/small.conf" -force >"$tmp/apply6" 2>&1 || fail "-config -force small.conf: $(cat "$tmp/apply6")"
sa -write_config "$tmp/out3.conf" >/dev/null
[ ! -e "$root/devices/disk1" ] && [ ! -e "$root/targets/scst_local/tgt1" ] &&
	[ ! -e "$root/device_groups/dgroup1" ] && grep -q "removed device disk1" "$tmp/apply6" &&
	pass "-config -force removed what the file lacks" || fail "-config -force: $(cat "$tmp/apply6")"

# --- single-object commands --------------------------------------------------
sa -open_dev d9 -handler scst_null -attributes size_mb=2,blocksize=2048 >/dev/null &&
	[ "$(head -n1 "$root/devices/d9/blocksize")" = 2048 ] &&
	sa -add_lun 3 -driver scst_local -target tgt2 -device d9 -attributes read_only=1 >/dev/null &&
	[ "$(head -n1 "$root/targets/scst_local/tgt2/luns/3/read_only")" = 1 ] &&
	pass "-open_dev and -add_lun" || fail "-open_dev/-add_lun"
set +e
out=$(sa -close_dev d9 -handler scst_null 2>&1)
rc=$?
set -e
[ $rc = 1 ] && grep -q "device d9 is in use (it is exported); use -force" <<<"$out" &&
	pass "-close_dev refuses an exported device" || fail "-close_dev exported: rc $rc: $out"
set +e
out=$(sa -add_lun 3 -driver scst_local -target tgt2 -device d9 2>&1)
rc=$?
set -e
[ $rc = 1 ] && grep -qF 'failed: echo "add d9 3" >' <<<"$out" &&
	grep -q "LUN 3 is already in use" <<<"$out" &&
	pass "a failed command shows what was attempted and the tree's message" ||
	fail "a failed -add_lun: rc $rc: $out"
sa -set_tgt_attr tgt2 -driver scst_local -attributes comment=hello >/dev/null &&
	[ "$(head -n1 "$root/targets/scst_local/tgt2/comment")" = hello ] &&
	pass "-set_tgt_attr" || fail "-set_tgt_attr"

# --- expl_alua: a writable vdisk attribute, not a creation parameter -------
truncate -s 4M "$tmp/f0.img"
cat >"$tmp/expl.conf" <<CONF
HANDLER vdisk_fileio {
	DEVICE f0 {
		filename $tmp/f0.img
		expl_alua 1
	}
}
CONF
sa -config "$tmp/expl.conf" >"$tmp/apply7" 2>&1 &&
	[ "$(cat "$root/devices/f0/expl_alua")" = "1
[key]" ] && pass "expl_alua 1 in a DEVICE block is applied" ||
	fail "expl_alua: $(cat "$tmp/apply7")"
sa -write_config "$tmp/out4.conf" >/dev/null &&
	awk '/DEVICE f0/ { d = 1 } d && /expl_alua 1/ { ok = 1 } d && /}/ { d = 0 }
		END { exit !ok }' "$tmp/out4.conf" &&
	pass "expl_alua 1 is written back" || fail "expl_alua not written: $(cat "$tmp/out4.conf")"

it_stop "$pid"
[ $fails = 0 ] || exit 1
echo "PASS: scstadmin round trip"
