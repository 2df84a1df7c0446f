#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
# shellcheck disable=SC2154 # version, DESTDIR: set by mkinitramfs
# initramfs-tools hook: when /etc/gatekeeper/gatekeeper.conf says arm=yes,
# put gatekeeper.ko, gatekeeper-arm, gkctl and /etc/gatekeeper into the
# initramfs, for scripts/init-top/gatekeeper to arm the gate before the
# root filesystem's init starts (gatekeeper-arm(8)).
PREREQ=""
prereqs() { echo "$PREREQ"; }
case $1 in
prereqs) prereqs; exit 0 ;;
esac
# shellcheck source=/dev/null
. /usr/share/initramfs-tools/hook-functions

arm=$(command -v gatekeeper-arm) || exit 0
"$arm" --enabled || exit 0
gkctl=$(command -v gkctl) || {
	echo "E: gatekeeper: arm=yes but gkctl is missing: the initramfs will not arm the gate" >&2
	exit 0
}
# A kernel DKMS skipped (no BPF LSM) or failed: boot without, loudly; the
# real root's gatekeeper.service fails too.
if ! modinfo -k "$version" gatekeeper >/dev/null 2>&1; then
	echo "W: gatekeeper: no gatekeeper module for $version (dkms status): this initramfs will not arm the gate" >&2
	exit 0
fi
manual_add_modules gatekeeper
copy_exec "$arm" /usr/sbin
copy_exec "$gkctl" /usr/bin
mkdir -p "$DESTDIR/etc"
rm -rf "$DESTDIR/etc/gatekeeper"
cp -a /etc/gatekeeper "$DESTDIR/etc/"
