#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0-only
# Install the Debian packages the build and the tests need, if missing.
set -euo pipefail
pkgs=(
	# build
	gcc make clang-format-14 libaio-dev liburing-dev libfuse3-dev fuse3 libssl-dev libisal-dev
	# tests and benchmarks
	libiscsi-bin libiscsi-dev sg3-utils socat qemu-utils tgt clang
	libclang-rt-14-dev
	# the VM test: Debian's kernel under qemu with open-iscsi in a busybox
	# initramfs (tests/vm)
	qemu-system-x86 linux-image-amd64 busybox-static open-iscsi e2fsprogs
	cpio multipath-tools
	# its tape library test (tests/vm/tape.sh): mt, mtx, bacula's btape
	# and mtx-changer in the guest
	mt-st mtx bacula-sd
)
missing=()
for p in "${pkgs[@]}"; do
	[[ $p == \#* ]] && continue
	dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'install ok installed' || missing+=("$p")
done
if ((${#missing[@]})); then
	echo "install-deps: installing ${missing[*]}"
	sudo_cmd=()
	[[ $(id -u) -eq 0 ]] || sudo_cmd=(sudo)
	"${sudo_cmd[@]}" apt-get update -q
	DEBIAN_FRONTEND=noninteractive "${sudo_cmd[@]}" apt-get install -y -q "${missing[@]}"
else
	echo "install-deps: all packages present"
fi
