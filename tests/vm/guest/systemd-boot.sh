#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# The checks of tests/vm/systemd-boot, inside the booted Debian system:
# run by gk-boot-check.service once multi-user.target is reached, as root,
# with the test's files in /root/gk (this script, tests/lib.sh, a signed
# and an unsigned object).  Output goes to the second serial port.  The
# units named after the policy are those expected to fail (none: none may).
#   systemd-boot.sh POLICY-NAME [FAILED-UNIT...]
set -u
. /root/gk/lib.sh
exec >/dev/ttyS1 2>&1
echo GK-START

policy=${1:?usage: systemd-boot.sh POLICY-NAME [FAILED-UNIT...]}
shift
expect=$*
status() { gkctl status | sed -n "s/^$1: //p"; }
# progs TYPE: how many programs of TYPE gkctl prog list shows, and with
# which status and rule.
progs() { gkctl --json prog list | jq -c --arg t "$1" '[.[] | select(.type == $t) | [.status, .rule]] | group_by(.) | map({(.[0] | tostring): length}) | add'; }

echo "# kernel $(uname -r), $(systemctl --version | head -n 1)"
# The rest of the boot first: this unit is ordered after multi-user.target,
# others (timers, getty) may still be starting.
for _ in $(seq 1 120); do
	[ -z "$(systemctl list-jobs --no-legend | grep -v gk-boot-check)" ] && break
	sleep 1
done
gk_check "systemd reached multi-user.target" -- systemctl is-active -q multi-user.target
failed=$(systemctl list-units --failed --no-legend --plain)
if [ "$(printf '%s\n' "$failed" | awk '{ print $1 }' | xargs)" = "$expect" ]; then
	gk_ok "  with no failed unit${expect:+ but $expect}"
else
	gk_not_ok "  with no failed unit${expect:+ but $expect}"
	printf '%s\n' "$failed" | sed 's/^/    | /'
	for u in $(printf '%s\n' "$failed" | awk '{ print $1 }'); do
		journalctl -b -u "$u" --no-pager | tail -n 8 | sed 's/^/    | /'
	done
fi
gk_check "the initramfs armed and locked the gate (/run/gatekeeper-arm.log)" -- \
	grep -qE '^gatekeeper-arm: (armed:|FAILED: bundle;) state armed, mode enforce, locked yes' /run/gatekeeper-arm.log
if [ -z "$expect" ]; then
	gk_check "gatekeeper.service ran again from the root file system, and succeeded" -- \
		systemctl is-active -q gatekeeper.service
else
	gk_check "gatekeeper.service names the corrupt bundle in the journal" -- \
		sh -c "journalctl -b -u gatekeeper.service | grep -q 'FAILED bundle: /etc/gatekeeper/bundles.d/corrupt.bundle'"
fi
gk_check "gkctl status: armed" -- gkctl status
gk_check "  in enforce mode" -- test "$(status mode)" = enforce
gk_check "  the policy loaded ($policy)" -- test "$(status policy)" = "$policy version 1"
gk_check "  and locked" -- test "$(status locked)" = yes

# systemd's own programs, admitted by the policy's rule for PID 1.
gk_check "a DeviceAllow= unit works: its device filter holds" -- systemctl is-active -q gk-devices.service
gk_check "an IPAddressDeny= unit works: its IP filter holds" -- systemctl is-active -q gk-ipdeny.service
for t in cgroup_device cgroup_skb; do
	echo "# $t programs: $(progs $t)"
	gk_check "  PID 1's $t programs: admitted by the policy's rule, none unverified" -- \
		sh -c "gkctl --json prog list | jq -e --arg t $t '[.[] | select(.type == \$t)] |
			length > 0 and all(.status == \"admitted\" and .rule > 0 and .loader == \"/usr/lib/systemd/systemd\")' >/dev/null"
done
gk_check "no program on the system predates the gate" -- \
	sh -c "gkctl --json prog list | jq -e 'all(.status != \"unverified\")' >/dev/null"
refused=$(gkctl log | grep 'action=deny')
if [ -z "$refused" ]; then
	gk_ok "nothing was refused during the boot"
else
	gk_not_ok "nothing was refused during the boot"
	printf '%s\n' "$refused" | head -n 10 | sed 's/^/    | /'
fi

# A root shell: an unsigned program is refused, a signed one loads.
gk_expect 255 "bpftool prog load of an unsigned object: refused" -- \
	bpftool prog load /root/gk/minimal.bpf.o /sys/fs/bpf/gk-unsigned
gk_check "  gkctl log names it, bpftool and the reason" -- \
	sh -c "gkctl log | grep 'action=deny' | grep 'prog=\"gk_minimal\"' | grep 'comm=\"bpftool\"' | grep -q 'reason=\"no rule matched: default action\"'"
gk_check "  ausearch shows its audit record" -- \
	sh -c "ausearch -m KERNEL_OTHER -c bpftool 2>/dev/null | grep 'op=load' | grep 'action=deny' | grep -q 'prog_name=\"gk_minimal\"'"
gk_check "bpftool prog load of the signed object from bundles.d: loaded" -- \
	bpftool prog load /root/gk/maps.bpf.o /sys/fs/bpf/gk-signed
gk_check "  gkctl prog list: admitted by the policy's publisher rule" -- \
	sh -c "gkctl --json prog list | jq -e '.[] | select(.name == \"gk_maps_count\") |
		.status == \"admitted\" and .rule == 1 and .publisher == \"vendor\"' >/dev/null"
gk_summary
echo "GK-EXIT $?"
