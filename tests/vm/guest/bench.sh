#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# Latency of admitted BPF_PROG_LOADs, gate loaded vs not loaded, in one VM
# boot: armed, then unloaded, then armed again (the two armed runs bracket
# the unarmed one so drift shows).  Prints one markdown row per size.
#   bench.sh KEYDIR
set -eu
keys=${1:?usage: bench.sh KEYDIR}
tmp=$(mktemp -d)
sizes="10 1000 100000"
reps() { case $1 in 10) echo 1000 ;; 1000) echo 300 ;; *) echo 10 ;; esac; }

arm() {
	gkctl status >/dev/null
	gkctl key add "$keys/ca.pem" >/dev/null
	for n in $sizes; do
		gk-sign --key "$keys/signer.key" --cert "$keys/signer.pem" --name gk_raw \
			--digest-hex "$(gk-raw digest "$n")" -o "$tmp/$n.bundle"
		gkctl sig add "$tmp/$n.bundle" >/dev/null
	done
}
measure() { # measure TAG
	for n in $sizes; do
		gk-raw bench "$n" 2 >/dev/null # warm up
		eval "$1_$n=$(gk-raw bench "$n" "$(reps "$n")")"
	done
}

arm
measure on1
gkctl disarm >/dev/null
for i in $(seq 50); do rmmod gatekeeper 2>/dev/null && break; sleep 0.2; done
grep -q '^gatekeeper ' /proc/modules && { echo "bench: cannot unload the module" >&2; exit 1; }
measure off
insmod /gk/gatekeeper.ko
arm
measure on2

for n in $sizes; do
	eval "a=\$on1_$n b=\$on2_$n o=\$off_$n"
	on=$(((a + b) / 2))
	printf '| %s | %s | %s | %s | %s | %s |\n' "$(uname -r)" "$n" "$((o / 1000))" \
		"$((a / 1000)) / $((b / 1000))" "$((on / 1000))" \
		"$(awk -v on="$on" -v off="$o" 'BEGIN { printf "%.3f", on / off }')"
done
