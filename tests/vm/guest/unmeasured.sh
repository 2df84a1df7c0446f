#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# What the gate cannot measure, it refuses: runs inside the VM with a TPM
# (tests/vm/run --tpm --no-insmod), inserting the module itself.
#   unmeasured.sh KEYDIR
set -u
. "$(dirname "$0")/../../lib.sh"

keys=${1:?usage: unmeasured.sh KEYDIR}
fs=/sys/kernel/security/gatekeeper
tmp=$(mktemp -d)
EPERM=1

echo "# kernel $(uname -r)"
gk_check "PCR 17 cannot be extended from locality 0: the module refuses to load" -- \
	sh -c "! insmod /gk/gatekeeper.ko pcr=17 2>/dev/null && [ ! -d $fs ] &&
		dmesg | grep -q 'gatekeeper: cannot extend PCR 17'"
gk_check "rtmr=3 here (no TDX under QEMU): the module refuses to load, and says why" -- \
	sh -c "! insmod /gk/gatekeeper.ko rtmr=3 2>/dev/null && [ ! -d $fs ] &&
		dmesg | grep -Eq 'gatekeeper: rtmr=3: (not a TDX guest|this kernel cannot extend TDX RTMRs)'"
gk_check "a log of at most 5 events: the module loads, and measures its START event" -- \
	sh -c "insmod /gk/gatekeeper.ko log_max=5 && grep -qx 'measured_events: 1' $fs/status &&
		grep -qx 'measured_max: 5' $fs/status && grep -qx 'tpm: pcr 14' $fs/status"
gk-sign --key "$keys/signer.key" --cert "$keys/signer.pem" --name gk_raw \
	--digest-hex "$(gk-raw digest 3)" -o "$tmp/raw3.bundle" 2>/dev/null
gk_check "a key, two mode changes and the probe catalogue fill it" -- \
	sh -c "gkctl key add $keys/ca.pem >/dev/null && gkctl mode audit >/dev/null && gkctl mode enforce >/dev/null &&
		gkctl probe refuse >/dev/null && grep -qx 'measured_events: 5' $fs/status"
gkctl sig add "$tmp/raw3.bundle" >/dev/null
gk_check "  a further change is refused (ENOSPC), says why, and changes nothing" -- \
	sh -c "! gkctl mode audit 2>$tmp/mode.err && grep -q 'measurement log is full' $tmp/mode.err &&
		grep -qx 'mode: enforce' $fs/status && grep -qx 'measure_refused: 1' $fs/status"
gk_expect $EPERM "  a signed program is refused: its admission cannot be measured" -- gk-raw load 3
gk_check "    the log says why, and how to fix it" -- \
	grep -q 'action=deny prog="gk_raw" .*reason="its admission could not be measured (error -28)" .*fix="see why' "$fs/log"
gk_check "    the measurement log did not grow" -- \
	sh -c "[ \$(grep -c . $fs/measurements.txt) = 5 ] && grep -qx 'measured_events: 5' $fs/status"
gk_check "  disarming is refused too: the gate stays armed" -- \
	sh -c "! gkctl disarm 2>/dev/null && grep -qx 'state: armed' $fs/status"

rm -rf "$tmp"
gk_summary
