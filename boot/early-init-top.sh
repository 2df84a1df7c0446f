#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
# Arm the eBPF signature gate first thing in the initramfs, before udev and
# before the root filesystem's init (gatekeeper-arm(8)).  A failure is
# shown on the console and in the kernel log, and the boot goes on: the
# gate stays in enforce mode.  The output is kept in
# /run/gatekeeper-arm.log.
PREREQ=""
prereqs() { echo "$PREREQ"; }
case $1 in
prereqs) prereqs; exit 0 ;;
esac
[ -x /usr/sbin/gatekeeper-arm ] || exit 0

/usr/sbin/gatekeeper-arm >/run/gatekeeper-arm.log 2>&1
rc=$?
while IFS= read -r line; do
	echo "$line"
	if [ $rc = 0 ]; then level=5; else level=3; fi
	echo "<$level>$line" >/dev/kmsg
done </run/gatekeeper-arm.log
exit 0
