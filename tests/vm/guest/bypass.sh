#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# Attacks on the gate's own decision path: programs that hook the kernel's
# BPF security hooks or the module, signed or loaded before the gate armed.
# Runs inside the VM (tests/vm/run --no-insmod), as root, before
# gatekeeper.ko is inserted.
#   bypass.sh KEYDIR PROGDIR
set -u
. "$(dirname "$0")/../../lib.sh"

keys=${1:?usage: bypass.sh KEYDIR PROGDIR}
progs=${2:?}
fs=/sys/kernel/security/gatekeeper
bpffs=/sys/fs/bpf
tmp=$(mktemp -d)
EPERM=1 ENOKEY=126

# The hooks a load passes through, per kernel (target.c): 6.1 decides at
# fd creation, 6.9+ at bpf_prog_load.  LSM programs may return 1 on 6.1
# only; later kernels enforce the LSM return range.
case $(uname -r) in
6.1.*) lsm_hook=bpf_lsm_bpf_prog sec_hook=security_bpf_prog lsm_ret=1 ;;
*) lsm_hook=bpf_lsm_bpf_prog_load sec_hook=security_bpf_prog_load lsm_ret=0 ;;
esac
# KIND FUNC RET: every program that can change a decision-path result.
variants="lsm:$lsm_hook:$lsm_ret fmod_ret:$sec_hook:1 fmod_ret:security_bpf:1 lsm:bpf_lsm_bpf:$lsm_ret fentry:gk_decide:0 fexit:gk_decide:0"

insmod_gate() { insmod /gk/gatekeeper.ko $(cat /gk/modargs) "$@"; }
sign_hook() { # sign_hook KIND RET: register a signature for that program
	gk-sign --key "$keys/signer.key" --cert "$keys/signer.pem" --name gk_hook \
		--digest-hex "$(gk-hook digest "$1" "$2")" -o "$tmp/$1.$2.bundle" &&
		gkctl sig add "$tmp/$1.$2.bundle" >/dev/null
}
sign_all() {
	local kr
	gkctl key add "$keys/ca.pem" >/dev/null || return 1
	for kr in lsm:$lsm_ret fmod_ret:1 fmod_ret:0 fentry:0 fexit:0; do
		sign_hook "${kr%:*}" "${kr#*:}" || return 1
	done
	gk-sign --key "$keys/signer.key" --cert "$keys/signer.pem" --name gk_raw \
		--digest-hex "$(gk-raw digest 3)" -o "$tmp/raw3.bundle" &&
		gkctl sig add "$tmp/raw3.bundle" >/dev/null
}
logged() { grep -q "$1" $fs/log; }
rmmod_gate() {
	local i
	for i in $(seq 50); do rmmod gatekeeper 2>/dev/null && return 0; sleep 0.2; done
	return 1
}

echo "# kernel $(uname -r): decision path $lsm_hook, $sec_hook"

# --- before the gate: an attacker prepares ------------------------------------
gk_check "LSM program on $lsm_hook loaded and pinned before insmod" -- \
	gk-hook load lsm "$lsm_hook" "$lsm_ret" $bpffs/pre_lsm
gk_check "fmod_ret program on $sec_hook loaded and pinned before insmod" -- \
	gk-hook load fmod_ret "$sec_hook" 1 $bpffs/pre_fmod
gk-hook hold $bpffs/pre_fmod $bpffs/held_fmod fmod_ret "$tmp/go" >"$tmp/held_fmod.out" 2>&1 &
held_fmod=$!
gk-hook hold $bpffs/pre_lsm $bpffs/held_lsm raw_tp "$tmp/go" >"$tmp/held_lsm.out" 2>&1 &
held_lsm=$!
for i in $(seq 50); do
	grep -q held "$tmp/held_fmod.out" && grep -q held "$tmp/held_lsm.out" && break
	sleep 0.1
done
gk_check "two processes hold fds of those programs from before insmod" -- \
	sh -c "grep -q held $tmp/held_fmod.out && grep -q held $tmp/held_lsm.out"

# --- audit mode: each attack is admitted and logged, one cuts the gate out ---
gk_check "gate armed in audit mode, watching every second" -- insmod_gate mode=audit watch_interval=1
gk_check "  publisher key and signatures of the attack programs registered" -- sign_all
n=0
for v in $variants; do
	IFS=: read -r kind func ret <<<"$v"
	n=$((n + 1))
	gk_check "audit mode: signed $kind on $func admitted" -- gk-hook load "$kind" "$func" "$ret" $bpffs/audit$n
	gk_check "  and logged as audit-deny naming $func" -- \
		logged "action=audit-deny prog=\"gk_hook\".*reason=\"\(can change the result of $func\|attaches to the gate module's $func\)"
	rm -f $bpffs/audit$n
done
case $(uname -r) in
6.1.*) gk_skipped "kfunc filter: 6.1 has none, any BPF LSM program may call the gate's kfuncs there" ;;
*)
	gk_expect 255 "audit mode: an LSM program calling the gate's kfunc fails verification" -- \
		bpftool prog load "$progs/kfunc.bpf.o" $bpffs/kf
	gk_check "  because the kfunc is not allowed to it" -- \
		sh -c "bpftool prog load $progs/kfunc.bpf.o $bpffs/kf 2>&1 | grep -q 'calling kernel function gk_kf_prog_fd is not allowed'"
	;;
esac
gk_check "gate still armed before any attack is attached" -- gkctl status
gk_check "audit mode: fmod_ret returning 1 on $sec_hook attached" -- gk-hook attach fmod_ret "$sec_hook" 1 $bpffs/attack
for i in $(seq 50); do dmesg | grep -q "GATE BYPASSED" && break; sleep 0.2; done
gk_check "the watch finds the gate cut out within seconds" -- sh -c 'dmesg | grep -q "GATE BYPASSED"'
gk_expect 1 "gkctl status fails and says the gate is bypassed" -- gkctl status
gk_check "  status names the cause" -- grep -q "^error: an unsigned test load was admitted without the gate" $fs/status
gk_check "switch to enforce mode" -- gkctl mode enforce
gk_expect $EPERM "bypassed gate refuses an unsigned load at bpf() entry" -- gk-raw load 5
gk_expect $EPERM "  and a signed one" -- gk-raw load 3
gk_check "  and logs why" -- logged "action=deny prog=\"gk_raw\".*reason=\"the gate was cut out"
gk_check "disarm the bypassed gate (not locked)" -- gkctl disarm
gk_check "rmmod" -- rmmod_gate
gk_check "insmod while the attack is still attached" -- insmod_gate
gk_expect 1 "  the gate does not arm (gkctl status fails)" -- gkctl status
gk_check "  and says so in status" -- grep -q "^state: failed" $fs/status
gk_check "rmmod the unarmed gate" -- rmmod_gate
gk_check "detach the attack" -- rm $bpffs/attack

# --- enforce mode, locked: every attack refused whatever its signature -------
gk_check "gate armed in enforce mode" -- insmod_gate
gk_check "  publisher key and signatures of the attack programs registered" -- sign_all
gk_check "gkctl lock" -- gkctl lock
for v in $variants; do
	IFS=: read -r kind func ret <<<"$v"
	gk_expect $EPERM "signed $kind on $func refused" -- gk-hook attach "$kind" "$func" "$ret" $bpffs/l
	gk_check "  and logged as deny naming $func" -- \
		logged "action=deny prog=\"gk_hook\".*reason=\"\(can change the result of $func\|attaches to the gate module's $func\)"
done
gk_check "signed fentry on $sec_hook (observing only) admitted" -- gk-hook attach fentry "$sec_hook" 0 $bpffs/observe
gk_expect $EPERM "signed fmod_ret returning 0 on $sec_hook refused all the same" -- \
	gk-hook attach fmod_ret "$sec_hook" 0 $bpffs/l0
gk_expect $EPERM "pinned pre-insmod LSM program cannot be taken after the lock" -- \
	gk-hook attach-pinned $bpffs/pre_lsm $bpffs/l1 lsm
gk_expect $EPERM "pinned pre-insmod fmod_ret program cannot be taken after the lock" -- \
	gk-hook attach-pinned $bpffs/pre_fmod $bpffs/l2 fmod_ret
touch "$tmp/go"
wait $held_fmod
gk_expect $EPERM "fd held from before insmod: fmod_ret attach (BPF_LINK_CREATE) refused" -- sh -c "exit $?"
wait $held_lsm
gk_expect $EPERM "fd held from before insmod: LSM attach (BPF_RAW_TRACEPOINT_OPEN) refused" -- sh -c "exit $?"
gk_expect $EPERM "unsigned program still refused" -- gk-raw load 5
gk_check "signed program still admitted" -- gk-raw load 3
gk_check "gate armed, not bypassed" -- gkctl status
# An fd of a pre-insmod attack program is refused to everyone, bpftool too.
gk_expect 255 "bpftool prog show refused while a pre-insmod attack program exists" -- bpftool prog show
rm -f $bpffs/pre_lsm $bpffs/pre_fmod
gk_check "  and lists every program, the gate's own too, once it is gone" -- \
	sh -c 'bpftool prog show | grep -q gk_prog_fd'

gk_check "locked: the probe catalogue can still be refused" -- gkctl probe refuse
printf 1 >"$tmp/one"
gk_expect $EPERM "  but not trusted again (EPERM)" -- gk-raw write "$tmp/one" $fs/probes
gk_check "  gkctl probe trust fails and status stays refused" -- \
	sh -c "! gkctl probe trust 2>/dev/null && grep -qx 'probes: refused' $fs/status"

# Root may revoke the keyring even when locked: trust only shrinks.
gk-sign --key "$keys/signer.key" --cert "$keys/signer.pem" --name gk_raw \
	--digest-hex "$(gk-raw digest 6)" -o "$tmp/raw6.bundle"
gk_check "keyctl revoke of the .gatekeeper keyring after the lock" -- keyctl revoke "$(cat $fs/keyring)"
gk_expect $ENOKEY "  no bundle can be registered any more (ENOKEY)" -- gk-raw write "$tmp/raw6.bundle" $fs/signatures
gk_expect $EPERM "  its program stays refused" -- gk-raw load 6
gk_expect $EPERM "  a program registered before is refused now: its key left with the keyring" -- gk-raw load 3

rm -rf "$tmp"
gk_summary
