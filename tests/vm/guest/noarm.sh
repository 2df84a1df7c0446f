#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# Runs in a VM booted without "bpf" in lsm=: the module loads but the gate
# cannot work, and it must say so rather than stay silently open.
set -u
. "$(dirname "$0")/../../lib.sh"
fs=/sys/kernel/security/gatekeeper

gk_expect 1 "gkctl status exits 1 when the gate could not arm" -- gkctl status
gk_check "status says failed" -- grep -qx 'state: failed' $fs/status
gk_check "status names the missing lsm=bpf" -- grep -q '^error: .*lsm=' $fs/status
gk_check "the kernel log says the gate is not armed" -- sh -c 'dmesg | grep -q "GATE NOT ARMED"'
gk_expect 1 "gkctl status --json also exits 1" -- gkctl --json status
gk_summary
