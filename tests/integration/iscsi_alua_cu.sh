#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0-only
#
# ALUA over iSCSI on loopback (issue 6 item 3): one vdisk_fileio device d0
# exported at LUN 0 of two iSCSI targets TA and TB (two relative target
# port identifiers), in device group dg with target groups tgA (group_id
# 1, active/optimized, preferred, member TA) and tgB (group_id 2, standby,
# member TB, plus a member "peer" of another node with rel_tgt_id 77).
#  1. iscsi-test-cu: ReportTargetPortGroups against both targets when this
#     libiscsi has that family (1.19 has none: reported as SKIP); Inquiry
#     against both targets and MultipathIO with both URLs, while tgB is
#     active/non-optimized (iscsi-test-cu cannot log in through a standby
#     port: its login gives up when TEST UNIT READY is NOT READY). One line per run with CUnit's summary (total
#     ran passed failed inactive); any failed test fails the run.
#  2. A small libiscsi client (alua_client.c, built here): REPORT TARGET
#     PORT GROUPS in both formats through both ports, INQUIRY TPGS and the
#     VPD 83h designators (relative target port, target port group, the
#     same NAA on both paths), a READ through the standby port (NOT READY,
#     04h/0Bh) and through the active one (GOOD), and a state change made
#     in the tree reaching an open nexus as ASYMMETRIC ACCESS STATE
#     CHANGED (2Ah/06h) on its next command, then the new state's answer.
#  3. Explicit ALUA: with expl_alua 0 (TPGS 01b) SET TARGET PORT GROUPS is
#     refused (INVALID FIELD IN CDB); with expl_alua 1 (TPGS 11b) an STPG
#     through A makes tgA active/optimized and tgB standby: an open nexus
#     through B gets 2Ah/06h then 04h/0Bh, RTPG through B shows both
#     groups with STATUS CODE 01h, the tree shows the new states.
# Skipped when iscsi-scstd, iscsi-test-cu, a C compiler or libiscsi-dev is
# missing. VERBOSE=1 prints failing output.
set -uo pipefail
. "$(dirname "$0")/lib/common.bash"
it_need_cu
[ -f /usr/include/iscsi/iscsi.h ] || { echo "SKIP: libiscsi-dev missing"; exit 0; }

INI1=iqn.2024-01.org.example:alua-ini1
INI2=iqn.2024-01.org.example:alua-ini2
TA=iqn.2024-01.org.example:alua-a
TB=iqn.2024-01.org.example:alua-b

it_init
DISK=$(mktemp /dev/shm/iscsi_alua_cu.XXXXXX 2>/dev/null || mktemp "$tmp/disk.XXXXXX")
it_rm+=("$DISK")
truncate -s 64M "$DISK"

mgmt() { it_mgmt "$@"; }
it_start_scstd --threads 2
it_add_device vdisk_fileio d0 "filename=$DISK"
it_iscsi_target "$TA" d0
it_iscsi_target "$TB" d0
DG=$R/device_groups/dg
mgmt "$R/device_groups/mgmt" "create dg"
mgmt "$DG/devices/mgmt" "add d0"
mgmt "$DG/target_groups/mgmt" "create tgA"
mgmt "$DG/target_groups/mgmt" "create tgB"
mgmt "$DG/target_groups/tgA/group_id" 1
mgmt "$DG/target_groups/tgA/preferred" 1
mgmt "$DG/target_groups/tgA/mgmt" "add $TA"
mgmt "$DG/target_groups/tgB/group_id" 2
mgmt "$DG/target_groups/tgB/state" standby
mgmt "$DG/target_groups/tgB/mgmt" "add $TB"
mgmt "$DG/target_groups/tgB/mgmt" "add peer"
mgmt "$DG/target_groups/tgB/peer/rel_tgt_id" 77
RA=$(head -1 "$R/targets/iscsi/$TA/rel_tgt_id")
RB=$(head -1 "$R/targets/iscsi/$TB/rel_tgt_id")
PORT=
it_start_iscsid
URLA=iscsi://127.0.0.1:$PORT/$TA/0
URLB=iscsi://127.0.0.1:$PORT/$TB/0
echo "targets: $TA rel_tgt_id $RA (tgA, active), $TB rel_tgt_id $RB (tgB, standby)"

start=$SECONDS

# ---- part 1: iscsi-test-cu
cu() { # NAME TEST URL [URL2]
	local name=$1 test=$2
	shift 2
	it_cu "$tmp/out.$name" 120 -d -i "$INI1" -I "$INI2" -t "$test" "$@"
	it_cu_report 32 "$name" "$tmp/out.$name"
}
if "$CU" --list 2>/dev/null | grep -q '^ALL.ReportTargetPortGroups$'; then
	cu "ReportTargetPortGroups@A" ALL.ReportTargetPortGroups "$URLA"
	cu "ReportTargetPortGroups@B" ALL.ReportTargetPortGroups "$URLB"
else
	echo "SKIP: this iscsi-test-cu ($(dpkg-query -W -f '${Version}' libiscsi-bin 2>/dev/null)) has no ReportTargetPortGroups family; part 2 checks RTPG"
fi
# iscsi-test-cu logs in with iscsi_full_connect_sync(), which sends TEST
# UNIT READY and gives up on NOT READY: it cannot use a standby port (a
# Linux initiator can), so the runs through B have tgB active/non-optimized.
cu "Inquiry@A" ALL.Inquiry "$URLA"
mgmt "$DG/target_groups/tgB/state" nonoptimized
cu "Inquiry@B(nonoptimized)" ALL.Inquiry "$URLB"
cu "MultipathIO@A+B(nonoptimized)" ALL.MultipathIO "$URLA" "$URLB"
mgmt "$DG/target_groups/tgB/state" standby

# ---- part 2: the client
CLIENT=$tmp/alua_client
if ! it_build_libiscsi_client "$IT_DIR/alua_client.c" "$CLIENT"; then
	echo "SKIP: alua_client does not build"; cat "$tmp/cc.log"
else
	ac() { timeout 20 "$CLIENT" "$@"; }
	# watch N URL: a nexus of INI2 through URL, unit attentions consumed,
	# in the background ($w) until $go (tmp/go.N) exists; output in
	# tmp/watch.N.
	watch() {
		go=$tmp/go.$1
		ac "$2" "$INI2" watch "$go" >"$tmp/watch.$1" 2>&1 &
		w=$!
		it_wait_line "$tmp/watch.$1" ready 10
	}
	check() { # WHAT GOT WANT
		if [ "$2" = "$3" ]; then
			echo "ok:   $1: $(tr '\n' ';' <<<"$2" | sed 's/;$//; s/;/; /g')"
		else
			fail "$1"; echo "  got:  $2" | sed '2,$s/^/        /'
			echo "  want: $3" | sed '2,$s/^/        /'
		fi
	}
	want0="len 32 ext 0 itt 0 got 32
tpg 1 state 0 pref 1 sup cf status 0 ports $RA
tpg 2 state 2 pref 0 sup cf status 2 ports $RB,77"
	want1="len 36 ext 1 itt 0 got 36
tpg 1 state 0 pref 1 sup cf status 0 ports $RA
tpg 2 state 2 pref 0 sup cf status 2 ports $RB,77"
	check "RTPG format 0 via A" "$(ac "$URLA" "$INI1" rtpg 0)" "$want0"
	check "RTPG format 1 via A" "$(ac "$URLA" "$INI1" rtpg 1)" "$want1"
	check "RTPG format 0 via B (standby)" "$(ac "$URLB" "$INI1" rtpg 0)" "$want0"
	check "RTPG format 1 via B (standby)" "$(ac "$URLB" "$INI1" rtpg 1)" "$want1"
	ia=$(ac "$URLA" "$INI1" inquiry)
	ib=$(ac "$URLB" "$INI1" inquiry)
	naa=${ia##* naa }
	check "INQUIRY via A" "$ia" "tpgs 1 rel $RA tpg 1 naa $naa"
	check "INQUIRY via B" "$ib" "tpgs 1 rel $RB tpg 2 naa $naa"
	[ "$naa" != none ] || fail "no NAA designator"
	check "READ via B (standby)" "$(ac "$URLB" "$INI1" read)" "sense 2/04/0b"
	check "READ via A (active)" "$(ac "$URLA" "$INI1" read)" "GOOD"
	# An open nexus through B sees tgB change to active/non-optimized.
	watch 1 "$URLB"
	mgmt "$DG/target_groups/tgB/state" nonoptimized
	touch "$go"
	wait $w
	check "tgB standby -> nonoptimized, next READs via B" \
		"$(grep -v ready "$tmp/watch.1")" "sense 6/2a/06
GOOD"
	# ... and one through A sees tgA go unavailable.
	watch 2 "$URLA"
	mgmt "$DG/target_groups/tgA/state" unavailable
	touch "$go"
	wait $w
	check "tgA active -> unavailable, next READs via A" \
		"$(grep -v ready "$tmp/watch.2")" "sense 6/2a/06
sense 2/04/0c"
	check "RTPG after the changes" "$(ac "$URLB" "$INI1" rtpg 0)" \
		"len 32 ext 0 itt 0 got 32
tpg 1 state 3 pref 1 sup cf status 2 ports $RA
tpg 2 state 1 pref 0 sup cf status 2 ports $RB,77"

	# ---- part 3: explicit ALUA (SET TARGET PORT GROUPS)
	check "expl_alua 0: INQUIRY TPGS 01b via A" \
		"$(ac "$URLA" "$INI1" inquiry | cut -d' ' -f1-2)" "tpgs 1"
	check "expl_alua 0: STPG via A refused" \
		"$(ac "$URLA" "$INI1" stpg 0:1 2:2)" "sense 5/24/00"
	mgmt "$R/devices/d0/expl_alua" 1
	check "expl_alua 1: INQUIRY TPGS 11b via A" \
		"$(ac "$URLA" "$INI1" inquiry | cut -d' ' -f1-2)" "tpgs 3"
	check "expl_alua 1: STPG offline refused" \
		"$(ac "$URLA" "$INI1" stpg e:1)" "sense 5/26/00"
	# An open nexus through B, then STPG through A: tgA active/optimized,
	# tgB standby. The nexus through B learns it on its next READ.
	watch 3 "$URLB"
	check "STPG via A: tgA active, tgB standby" \
		"$(ac "$URLA" "$INI1" stpg 0:1 2:2)" "GOOD"
	touch "$go"
	wait $w
	check "after STPG, next READs via B" \
		"$(grep -v ready "$tmp/watch.3")" "sense 6/2a/06
sense 2/04/0b"
	check "RTPG via B after STPG (status 01h)" "$(ac "$URLB" "$INI1" rtpg 0)" \
		"len 32 ext 0 itt 0 got 32
tpg 1 state 0 pref 1 sup cf status 1 ports $RA
tpg 2 state 2 pref 0 sup cf status 1 ports $RB,77"
	check "tree state of tgA, tgB after STPG" \
		"$(head -1 "$DG/target_groups/tgA/state") $(head -1 "$DG/target_groups/tgB/state")" \
		"active standby"
	check "READ via A after STPG" "$(ac "$URLA" "$INI1" read)" "GOOD"
	check "expl_alua shown as key" "$(cat "$R/devices/d0/expl_alua")" "1
[key]"
fi
echo "$((SECONDS - start))s, $fails failing"
if [ $fails -ne 0 ]; then
	echo "--- scstd log"; tail -30 "$tmp/log"
fi
[ $fails -eq 0 ]
