#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0-only
#
# Build the initramfs the VM tests boot: busybox (static) with its
# applets, the guest script tests/vm/init as /init, open-iscsi's iscsiadm
# and iscsid, e2fsprogs' mkfs.ext4/e2fsck and sg3_utils' tools (when
# installed), the shared libraries all of them need (found with ldd), and
# the kernel modules of the host's Debian kernel that the guest needs
# (virtio-net, iscsi_tcp, sd_mod, sg, ext4, crc32c), with their
# dependencies resolved by modprobe --show-depends and decompressed.
#
#   tests/vm/build-initramfs.sh [options] OUTDIR
#     --kver VERSION   kernel version (default: the newest /boot/vmlinuz-*
#                      that has /lib/modules/VERSION)
#     --bin PATH|NAME  one more program to copy (with its libraries);
#                      a NAME is looked up in PATH, /usr/sbin and /sbin
#     --opt-bin NAME   the same, skipped when it is not installed
#     --module NAME    one more kernel module (with its dependencies)
#     --file SRC[:DST] one more file (DST defaults to SRC)
#     --init PATH      the guest script to use as /init (default
#                      tests/vm/init)
#     --force          rebuild even when nothing changed
# The environment variables VM_EXTRA_BINS, VM_EXTRA_OPT_BINS,
# VM_EXTRA_MODULES and VM_EXTRA_FILES (space-separated) add the same.
#
# It writes OUTDIR/initramfs.cpio.gz and OUTDIR/kernel.env (KVER=,
# VMLINUZ=), and rebuilds only when an input changed (OUTDIR/inputs.sum
# records the sources' paths, sizes and times and the scripts' contents).
# One build per OUTDIR: a caller with another set of extras (e.g.
# multipath-tools) should use its own OUTDIR, e.g. $O/vm-mpath.
# In the guest, /etc/vmtest/modules lists the modules to insmod in order.
# Exit status: 0 built or up to date, 2 something needed is missing (the
# message says what), 1 other errors.
set -euo pipefail

here=$(cd "$(dirname "$0")" && pwd)
kver=
force=0
init=$here/init
bins=() opt_bins=() mods=() files=()
usage() { sed -n '3,/^set /p' "$0" | sed -n 's/^# \{0,1\}//p' >&2; exit 1; }
while [ $# -gt 0 ]; do
	case "$1" in
	--kver) kver=$2; shift 2 ;;
	--bin) bins+=("$2"); shift 2 ;;
	--opt-bin) opt_bins+=("$2"); shift 2 ;;
	--module) mods+=("$2"); shift 2 ;;
	--file) files+=("$2"); shift 2 ;;
	--init) init=$2; shift 2 ;;
	--force) force=1; shift ;;
	-h | --help) usage ;;
	-*) echo "build-initramfs: unknown option $1" >&2; usage ;;
	*) break ;;
	esac
done
[ $# -eq 1 ] || usage
# Absolute: the staging below runs in another directory.
mkdir -p "$1" && out=$(cd "$1" && pwd) || exit 1
# shellcheck disable=SC2206
bins+=(${VM_EXTRA_BINS:-}) opt_bins+=(${VM_EXTRA_OPT_BINS:-})
# shellcheck disable=SC2206
mods+=(${VM_EXTRA_MODULES:-}) files+=(${VM_EXTRA_FILES:-})

missing() { echo "build-initramfs: $*" >&2; exit 2; }

# ---- the kernel
if [ -z "$kver" ]; then
	for v in $(find /boot -maxdepth 1 -name 'vmlinuz-*' | sed 's|^/boot/vmlinuz-||' | sort -rV); do
		if [ -d "/lib/modules/$v" ]; then kver=$v; break; fi
	done
fi
[ -n "$kver" ] || missing "no /boot/vmlinuz-* with modules in /lib/modules"
vmlinuz=/boot/vmlinuz-$kver
[ -r "$vmlinuz" ] || missing "$vmlinuz is not readable"
[ -d "/lib/modules/$kver" ] || missing "no /lib/modules/$kver"

# ---- what goes in
# The guest's NIC is virtio-net-pci; iscsi_tcp brings libiscsi and the
# SCSI midlayer; crc32c for the iSCSI digests and ext4 (crc32c-intel needs
# SSE4.2, crc32c_generic always works); sg for sg3_utils.
base_mods=(virtio_pci virtio_net iscsi_tcp sd_mod sg ext4 crc32c_generic crc32c_intel)
base_bins=(iscsiadm iscsid mkfs.ext4 e2fsck)
base_opt_bins=(sg_inq sg_persist sg_readcap sg_turs)

find_bin() { # NAME or PATH -> absolute path, or nothing
	local n=$1 d
	case "$n" in /*) [ -x "$n" ] && echo "$n"; return 0 ;; esac
	for d in ${PATH//:/ } /usr/sbin /sbin /usr/bin /bin; do
		[ -x "$d/$n" ] && { echo "$d/$n"; return 0; }
	done
	return 0
}

busybox=$(find_bin busybox)
[ -n "$busybox" ] || missing "busybox not installed (busybox-static)"
ldd "$busybox" >/dev/null 2>&1 && missing "$busybox is not static (install busybox-static)"

progs=()
for b in "${base_bins[@]}" "${bins[@]}"; do
	p=$(find_bin "$b")
	[ -n "$p" ] || missing "$b not installed"
	progs+=("$p")
done
for b in "${base_opt_bins[@]}" "${opt_bins[@]}"; do
	p=$(find_bin "$b")
	if [ -n "$p" ]; then progs+=("$p"); fi
done

# Shared libraries: every "=> /path" and the loader, for every program.
libs=()
for p in "${progs[@]}"; do
	while read -r l; do libs+=("$l"); done < <(ldd "$p" 2>/dev/null |
		sed -n 's/.*=> \(\/[^ ]*\) .*/\1/p; s/^[[:space:]]*\(\/[^ ]*\) (.*/\1/p')
done
mapfile -t libs < <(printf '%s\n' "${libs[@]}" | sort -u)

# Modules in load order, each once; "builtin" ones need nothing.
modfiles=()
for m in "${base_mods[@]}" "${mods[@]}"; do
	dep=$(modprobe -S "$kver" --show-depends "$m" 2>&1) ||
		missing "kernel module $m not found for $kver: $dep"
	while read -r w path _; do
		[ "$w" == insmod ] || continue
		case " ${modfiles[*]} " in *" $path "*) ;; *) modfiles+=("$path") ;; esac
	done <<<"$dep"
done

# Other files: open-iscsi's configuration, mke2fs.conf.
extra=()
if [ -f /etc/mke2fs.conf ]; then extra+=("/etc/mke2fs.conf:/etc/mke2fs.conf"); fi
for f in "${files[@]}"; do
	case "$f" in *:*) extra+=("$f") ;; *) extra+=("$f:$f") ;; esac
done

# ---- up to date?
mkdir -p "$out"
sum=$( {
	echo "kver $kver"
	for f in "$vmlinuz" "$busybox" "${progs[@]}" "${libs[@]}" "${modfiles[@]}" \
		"${extra[@]%%:*}"; do
		stat -L -c '%n %s %Y' "$f"
	done
	printf '%s\n' "${extra[@]}"
	cat "$0" "$init"
} | sha256sum | cut -d' ' -f1)
if [ $force -eq 0 ] && [ -s "$out/initramfs.cpio.gz" ] &&
   [ "$(cat "$out/inputs.sum" 2>/dev/null)" == "$sum" ] &&
   [ -s "$out/kernel.env" ]; then
	echo "build-initramfs: $out/initramfs.cpio.gz is up to date"
	exit 0
fi

# ---- stage the tree
stage=$(mktemp -d "$out/stage.XXXXXX")
trap 'rm -rf "$stage"' EXIT
cd "$stage"
mkdir -p bin sbin usr/bin usr/sbin lib lib64 etc/iscsi etc/vmtest proc sys dev \
	run tmp mnt root var/lib/iscsi var/lock run/lock/iscsi "lib/modules/$kver"
cp "$busybox" bin/busybox
for a in $(bin/busybox --list); do
	[ -e "bin/$a" ] || ln -s busybox "bin/$a"
done

copy_file() { # SRC DST: keep the directory, follow links
	mkdir -p "$stage$(dirname "$2")"
	cp -L "$1" "$stage$2"
}
for p in "${progs[@]}"; do
	# Programs go to /usr/sbin, ahead of busybox's applets in PATH.
	copy_file "$p" "/usr/sbin/$(basename "$p")"
done
for l in "${libs[@]}"; do copy_file "$l" "$l"; done
for e in "${extra[@]}"; do copy_file "${e%%:*}" "${e#*:}"; done

# Modules: decompressed, in the same relative place; the load order goes
# to /etc/vmtest/modules (paths inside the guest).
: >etc/vmtest/modules
for m in "${modfiles[@]}"; do
	rel=${m#/lib/modules/"$kver"/}
	rel=${rel#/usr/lib/modules/"$kver"/}
	dst=lib/modules/$kver/${rel%.xz}
	dst=${dst%.zst}
	dst=${dst%.gz}
	mkdir -p "$(dirname "$dst")"
	case "$m" in
	*.ko.xz) xz -dc "$m" >"$dst" ;;
	*.ko.zst) zstd -qdc "$m" >"$dst" ;;
	*.ko.gz) gzip -dc "$m" >"$dst" ;;
	*) cp "$m" "$dst" ;;
	esac
	echo "/$dst" >>etc/vmtest/modules
done
for f in modules.order modules.builtin modules.builtin.modinfo; do
	if [ -f "/lib/modules/$kver/$f" ]; then cp "/lib/modules/$kver/$f" "lib/modules/$kver/"; fi
done
depmod -b "$stage" "$kver" 2>/dev/null || true

# open-iscsi: an initiator name of our own, a minimal iscsid.conf (the
# node settings that matter are set per node by the guest script).
echo "InitiatorName=iqn.2026-11.org.scst-usr:vmtest-initiator" >etc/iscsi/initiatorname.iscsi
cat >etc/iscsi/iscsid.conf <<'EOF'
# iscsid.conf of the VM test initramfs
iscsid.startup = /usr/sbin/iscsid
node.startup = manual
node.session.scan = auto
node.conn[0].timeo.login_timeout = 15
node.conn[0].timeo.logout_timeout = 15
node.session.initial_login_retry_max = 2
node.session.timeo.replacement_timeout = 20
EOF
printf 'root:x:0:0:root:/root:/bin/sh\n' >etc/passwd
printf 'root:x:0:\n' >etc/group
echo "$kver" >etc/vmtest/kver

cp "$init" init
chmod 0755 init

find . -mindepth 1 | LC_ALL=C sort | cpio -o -H newc --quiet -R 0:0 |
	gzip -1 >"$out/initramfs.cpio.gz.new"
mv "$out/initramfs.cpio.gz.new" "$out/initramfs.cpio.gz"
printf 'KVER=%s\nVMLINUZ=%s\n' "$kver" "$vmlinuz" >"$out/kernel.env"
echo "$sum" >"$out/inputs.sum"
echo "build-initramfs: built $out/initramfs.cpio.gz ($(du -k "$out/initramfs.cpio.gz" | cut -f1) KiB," \
	"kernel $kver, ${#progs[@]} programs, ${#libs[@]} libraries, ${#modfiles[@]} modules)"
