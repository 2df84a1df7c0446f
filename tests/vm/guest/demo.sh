#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# The demo, inside the VM: sign real programs and show the gate admitting
# the signed one and denying the unsigned one; then take a tool nobody here
# wrote (Debian's execsnoop) from refused to working in three commands.
#   demo.sh KEYDIR PROGDIR
set -u
keys=${1:?usage: demo.sh KEYDIR PROGDIR}
progs=${2:?}
fs=/sys/kernel/security/gatekeeper
tmp=$(mktemp -d)

step() { printf '\n\033[1m$ %s\033[0m\n' "$*"; "$@"; }
say() { printf '  -> %s\n' "$*"; }
sign() { gk-sign --key "$keys/signer.key" --cert "$keys/signer.pem" --publisher acme "$@"; }

echo "Kernel $(uname -r), gatekeeper.ko inserted by the VM's init."
step gkctl status
step gkctl key add "$keys/ca.pem"
say "the publisher's CA is trusted; nothing is signed yet"
step grep probes: $fs/status
say "libbpf's own feature probes are admitted from the reviewed catalogue (docs/probes.md)"
step gk-load "$progs/minimal.bpf.o"
say "denied: minimal.bpf.o is not signed yet"
step sh -c "tail -n 1 $fs/log"

step gk-sign --digest "$progs/minimal.bpf.o"
step gk-sign --key "$keys/signer.key" --cert "$keys/signer.pem" --publisher acme \
	--source https://git.acme.example/agent -o "$tmp/minimal.bundle" "$progs/minimal.bpf.o"
step gk-sign verify --cert "$keys/ca.pem" "$tmp/minimal.bundle"
step gkctl sig add "$tmp/minimal.bundle"
step gkctl sig list
step gk-load "$progs/minimal.bpf.o" && say "admitted: signed by a key the keyring trusts"
step gk-load "$progs/kprobe.bpf.o"
say "denied: kprobe.bpf.o is not signed"
step sh -c "tail -n 3 $fs/log"

printf '\n\033[1m--- a third-party tool: Debian'"'"'s execsnoop (libbpf-tools) ---\033[0m\n'
# watch WORD: run execsnoop for 15 s while /bin/true WORD runs every 3 s.
watch() {
	(for i in 1 2 3 4; do sleep 3; /bin/true "$1"; done) &
	step timeout -s INT 15 execsnoop
	wait
}
watch unsigned
say "denied: execsnoop's programs are not signed (its libbpf probes were admitted from the catalogue)"
step sh -c "dmesg | grep 'gatekeeper: deny prog=tracepoint__sys' | tail -n 1"
step gkctl learn -t 120 -o "$tmp/execsnoop.json" -- timeout -s INT 10 execsnoop
say "learnt in audit mode, back to enforce: one entry per program, by its full BTF name"
step jq -M -c '.programs[] | {name, prog_type, loader, seen}' "$tmp/execsnoop.json"
step gk-sign --key "$keys/signer.key" --cert "$keys/signer.pem" --publisher acme \
	--request "$tmp/execsnoop.json" -o "$tmp/execsnoop.bundle"
step gkctl sig add "$tmp/execsnoop.bundle"
watch signed-now
say "admitted in enforce mode: signed for this kernel release, and it sees the events"
step gkctl status
