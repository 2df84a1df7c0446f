#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# Trust modes and signed policies on a real kernel: runs inside the VM
# (tests/vm/run), gatekeeper.ko inserted with admin_cert=KEYDIR/admin.der
# and the kernel booted with audit=1.
#   policy.sh KEYDIR PROGDIR
set -u
. "$(dirname "$0")/../../lib.sh"

keys=${1:?usage: policy.sh KEYDIR PROGDIR}
progs=${2:?}
fs=/sys/kernel/security/gatekeeper
tmp=$(mktemp -d)
EPERM=1 EINVAL=22 ENOKEY=126 EKEYREJECTED=129 EBADMSG=74 ESTALE=116
acme_src=https://git.acme.example/agent

sign_as() { # sign_as WHO NAME DIGEST SOURCE OUT
	gk-sign --key "$keys/$1.key" --cert "$keys/$1.pem" --publisher acme --name "$2" \
		--digest-hex "$3" --source "$4" -o "$5"
}
register() { gkctl sig add "$1" >/dev/null; }
# policy_file VERSION RULES... -> $tmp/policy-VERSION(.signed), signed by admin
policy() {
	local v=$1 f=$tmp/policy-$1
	shift
	{
		echo "policy acme-fleet version $v"
		echo "default ${default:-deny}"
		echo "mode ${mode:-enforce}"
		echo "publisher acme key $(gkctl key fingerprint "$keys/ca.pem")"
		echo "publisher beta key $(gkctl key fingerprint "$keys/beta-ca.pem")"
		printf '%s\n' "$@"
	} >"$f"
	gkctl policy sign --key "$keys/${signer:-admin}.key" --cert "$keys/${signer:-admin}.pem" \
		-o "$f.signed" "$f" >/dev/null
}

echo "# kernel $(uname -r)"
# Audit records go to an audit daemon; be one.
gk-raw auditd "$tmp/audit.log" &
auditd=$!
gk_check "gate armed with a policy-admin key from insmod" -- gkctl status
gkctl key add "$keys/ca.pem" >/dev/null
gkctl key add "$keys/beta-ca.pem" >/dev/null

# Programs: maps.bpf.o signed by acme from its agent repository; raw
# programs signed by acme from elsewhere, and by beta claiming to be acme.
gk-sign --key "$keys/signer.key" --cert "$keys/signer.pem" --publisher acme \
	--source "$acme_src/maps" -o "$tmp/maps.bundle" "$progs/maps.bpf.o"
register "$tmp/maps.bundle"
sign_as signer gk_raw "$(gk-raw digest 5)" https://evil.example/x "$tmp/r5.bundle"
register "$tmp/r5.bundle"
sign_as beta-signer gk_raw "$(gk-raw digest 6)" "$acme_src/claimed" "$tmp/r6.bundle"
register "$tmp/r6.bundle"
sign_as signer gk_raw "$(gk-raw digest 13)" "$acme_src/storm" "$tmp/r13.bundle"
register "$tmp/r13.bundle"
cp "$(readlink -f "$(command -v gk-load)")" /tmp/bpftrace
app_sha=$(sha256sum /tmp/bpftrace | cut -d' ' -f1)

# --- the example policy --------------------------------------------------------
policy 1 "allow publisher acme source glob $acme_src/*" \
	"allow unsigned app /tmp/bpftrace sha256 $app_sha type kprobe,tracepoint"
gk_check "policy check explains the example policy" -- gkctl policy check "$tmp/policy-1"
gk_check "signed policy version 1 loaded" -- gkctl policy load "$tmp/policy-1.signed"
gk_check "status names the policy" -- grep -qx 'policy: acme-fleet version 1' $fs/status
gk_check "policy show prints it back" -- sh -c "gkctl policy show | grep -q '^policy acme-fleet version 1'"

gk_check "acme's program from its agent repository admitted (rule 1)" -- gk-load "$progs/maps.bpf.o"
gk_check "  the log names the rule and the publisher" -- sh -c "grep 'prog=\"gk_maps' $fs/log | tail -n 1 | grep 'action=allow .* rule=1 ' | grep -q 'publisher=\"acme\"'"
gk_expect $EPERM "acme's program from another source denied (default)" -- gk-raw load 5
gk_check "  the log says the default denied it" -- sh -c "tail -n 1 $fs/log | grep -q 'action=deny .*rule=0 reason=\"no rule matched: default action\"'"
gk_expect $EPERM "beta's program claiming to be acme denied (identity is the key)" -- gk-raw load 6
gk_check "  the log names the real publisher" -- sh -c "tail -n 1 $fs/log | grep -q 'publisher=\"beta\"'"
gk_check "bpftrace (pinned by digest) loads an unsigned kprobe program (rule 2)" -- /tmp/bpftrace "$progs/kprobe.bpf.o"
gk_check "  the log shows the app and its digest" -- sh -c "grep 'action=allow prog=\"gk_kprobe.* rule=2 ' $fs/log | grep -q 'app_sha256=$app_sha app=\"/tmp/bpftrace\"'"
gk_expect $EPERM "bpftrace may not load an unsigned socket filter" -- /tmp/bpftrace "$progs/minimal.bpf.o"
gk_expect $EPERM "another app may not load the unsigned kprobe program" -- gk-load "$progs/kprobe.bpf.o"
if command -v unshare >/dev/null; then
	gk_expect $EPERM "the same bpftrace in a private mount namespace has no app identity" -- \
		unshare -m /tmp/bpftrace "$progs/kprobe.bpf.o"
else
	gk_skipped "app identity in a private mount namespace: no unshare in this guest"
fi
printf '\0' >>/tmp/bpftrace
gk_expect $EPERM "a modified bpftrace binary no longer matches its digest" -- /tmp/bpftrace "$progs/kprobe.bpf.o"
gk_check "audit records are emitted for denials" -- grep -q "type=1316 .*lsm=gatekeeper op=load action=deny" "$tmp/audit.log"

# --- rule order, default action, audit action ------------------------------------
policy 2 "deny type socket_filter" "allow publisher acme source glob $acme_src/*"
gk_check "version 2 loaded" -- gkctl policy load "$tmp/policy-2.signed"
gk_expect $EPERM "first match wins: socket filters denied by rule 1 before acme's rule" -- gk-load "$progs/maps.bpf.o"
default=allow policy 3 "deny publisher beta" "audit unsigned type socket_filter"
gk_check "version 3 (default allow) loaded" -- gkctl policy load "$tmp/policy-3.signed"
gk_check "unsigned socket filter admitted by an audit rule" -- gk-raw load 7
gk_check "  and recorded: log and audit record" -- sh -c "tail -n 1 $fs/log | grep -q 'action=audit .*rule=2' && grep -q 'type=1316 .*lsm=gatekeeper op=load action=audit ' $tmp/audit.log"
gk_check "signed program matching no rule admitted by the default" -- gk-raw load 5
gk_expect $EPERM "beta denied by rule 1" -- gk-raw load 6

# --- signed, versioned, atomic ------------------------------------------------------
gk_expect 1 "rollback to version 1 refused" -- gkctl policy load "$tmp/policy-1.signed"
gk_expect $ESTALE "  with ESTALE" -- gk-raw write "$tmp/policy-1.signed" $fs/policy
gk_expect $ESTALE "same version again refused" -- gk-raw write "$tmp/policy-3.signed" $fs/policy
gk_expect $EBADMSG "unsigned policy text refused" -- gk-raw write "$tmp/policy-1" $fs/policy
signer=signer policy 4 "allow publisher acme"
gk_expect $ENOKEY "policy signed by a publisher key (not an admin key) refused" -- gk-raw write "$tmp/policy-4.signed" $fs/policy
policy 4 "allow publisher acme"
cp "$tmp/policy-4.signed" "$tmp/policy-4.tampered"
printf 'X' | dd of="$tmp/policy-4.tampered" bs=1 seek=30 conv=notrunc status=none
gk_expect $EKEYREJECTED "tampered policy refused" -- gk-raw write "$tmp/policy-4.tampered" $fs/policy
gk_check "after every refusal version 3 is still active" -- grep -qx 'policy: acme-fleet version 3' $fs/status
gk_expect 1 "a key not signed by an admin key cannot become an admin key" -- gkctl key add --admin "$keys/unknown-ca.pem"
gk_check "a key signed by the admin key becomes an admin key" -- gkctl key add --admin "$keys/admin2.pem"
signer=admin2 policy 5 "allow signed"
gk_check "policy signed by the second admin key loaded" -- gkctl policy load "$tmp/policy-5.signed"

# Concurrent reloads during a storm of loads: rules differ, but both
# policies admit gk-raw 13 and deny gk-raw 14, so any other outcome means a
# load saw no policy or half of one.
rm -f "$tmp/storm.bad"
( for i in $(seq 400); do
	gk-raw load 13 >/dev/null || echo "13 denied at $i" >>"$tmp/storm.bad"
	gk-raw load 14 >/dev/null && echo "14 admitted at $i" >>"$tmp/storm.bad"
done ) &
storm=$!
ok=0
for v in $(seq 6 25); do
	if [ $((v % 2)) = 0 ]; then
		policy "$v" "allow publisher acme source glob $acme_src/*" "deny unsigned"
	else
		default=allow policy "$v" "deny unsigned" "audit publisher beta" "allow signed"
	fi
	gkctl policy load "$tmp/policy-$v.signed" >/dev/null && ok=$((ok + 1))
done
wait $storm
gk_expect 20 "20 policy reloads during the storm all loaded" -- sh -c "exit $ok"
gk_check "no load saw a missing or half policy during the reloads" -- test ! -s "$tmp/storm.bad"
if [ -s "$tmp/storm.bad" ] || [ "$ok" != 20 ]; then
	head -n 5 "$tmp/storm.bad"
	dmesg | grep gatekeeper | tail -n 10
fi

# --- audit mode and lock ------------------------------------------------------------------
mode=audit policy 26 "allow publisher acme"
gk_check "a policy in audit mode loaded" -- gkctl policy load "$tmp/policy-26.signed"
gk_check "  denied programs are admitted and logged as audit-deny" -- \
	sh -c "gk-raw load 15 && tail -n 1 $fs/log | grep -q 'action=audit-deny'"
policy 27 "allow publisher acme source glob $acme_src/*" "allow unsigned app /tmp/bpftrace"
gk_check "back to an enforcing policy" -- gkctl policy load "$tmp/policy-27.signed"
gk_check "mode audit and back, before the lock" -- sh -c "gkctl mode audit >/dev/null && gkctl mode enforce >/dev/null"
gk_check "gkctl lock" -- gkctl lock
gk_check "status says locked" -- grep -qx 'locked: yes' $fs/status
printf '0\n' >"$tmp/zero"
gk_expect $EINVAL "locked: writing 0 to the lock file is refused with EINVAL: it holds until reboot" -- \
	gk-raw write "$tmp/zero" $fs/lock
gk_check "  the lock file still reads 1" -- grep -qx 1 $fs/lock
gk_expect 1 "locked: disarm refused" -- gkctl disarm
gk_expect 1 "locked: switching to audit mode refused" -- gkctl mode audit
gk_check "locked: learning refused, and gkctl says why" -- \
	sh -c "! gkctl learn -t 5 -- true 2>$tmp/learn.err && grep -q 'the gate is locked: learning needs audit mode' $tmp/learn.err"
gk_expect 1 "locked: adding a publisher key refused" -- gkctl key add "$keys/unknown-ca.pem"
gk_expect 1 "locked: adding an admin key refused" -- gkctl key add --admin "$keys/admin2.pem"
gk_expect $ESTALE "locked: an older policy refused" -- gk-raw write "$tmp/policy-26.signed" $fs/policy
mode=audit policy 28 "allow signed"
gk_check "locked: a newer signed policy is still accepted" -- gkctl policy load "$tmp/policy-28.signed"
gk_check "locked: its audit mode does not unlock enforcement" -- grep -qx 'mode: enforce' $fs/status
gk_expect $EPERM "locked: unsigned programs still denied" -- gk-raw load 16
policy 29 "probes refused" "allow signed"
gk_check "locked: a policy can still turn the loader probe catalogue off (probes refused)" -- \
	sh -c "gkctl policy load $tmp/policy-29.signed && grep -qx 'probes: refused (policy)' $fs/status"
gk_expect 1 "  then a libbpf load fails at libbpf's own first probe" -- \
	sh -c "gk-load $progs/minimal.bpf.o >/dev/null 2>&1 || exit 1"
gk_check "  the log shows that catalogue entry refused by the policy (never before: the catalogue admitted it)" -- \
	grep -q "action=deny prog=\"\" .*digest=$(gkctl probe list | awk '$1 == "libbpf-trivial" { print $2 }') .*comm=\"gk-load\" .*reason=\"no rule matched" $fs/log
policy 30 "allow signed"
gk_check "  a policy without the declaration leaves it to the operator again" -- \
	sh -c "gkctl policy load $tmp/policy-30.signed && grep -qx 'probes: trusted' $fs/status"
gk_check "gkctl log --json parses the decision log" -- sh -c "gkctl --json log | tail -n 1 | grep -q '\"action\"'"

gk_check "locked: gkctl sig remove still works (it only takes trust away)" -- \
	sh -c "gkctl sig remove $(gk-raw digest 13) | grep -qx '1 removed'"

# --- the signed revocation list: a digest, a publisher's key ---------------------
EKEYREVOKED=128
gk-sign --key "$keys/beta-signer.key" --cert "$keys/beta-signer.pem" -o "$tmp/beta-min.bundle" \
	"$progs/minimal.bpf.o" 2>/dev/null
gk_check "before: acme's raw program and a beta-signed object (pinned) load" -- \
	sh -c "gk-raw load 5 && gkctl sig add $tmp/beta-min.bundle >/dev/null && bpftool prog load $progs/minimal.bpf.o /sys/fs/bpf/beta"
policy 31 "revoke digest $(gk-raw digest 5)" "revoke publisher beta" "allow signed"
gk_check "locked: a policy that revokes a digest and a publisher's key is loaded" -- \
	gkctl policy load "$tmp/policy-31.signed"
gk_expect $EPERM "  the revoked digest is refused, though signed and allowed by a rule" -- gk-raw load 5
gk_check "  the log says it is revoked" -- \
	sh -c "tail -n 1 $fs/log | grep -q 'action=deny .*reason=\"its digest is revoked by the policy\"'"
gk_expect $EPERM "  beta's program is refused: its key is revoked" -- gk-load "$progs/minimal.bpf.o"
gk_check "  the log says so" -- \
	grep -q 'action=deny .*reason="the key that vouched for its signature is revoked by the policy"' $fs/log
gk_check "  acme's other programs still load" -- gk-load "$progs/maps.bpf.o"
gk_check "  the loaded beta program shows revoked in gkctl prog list" -- \
	sh -c "gkctl --json prog list | jq -e '.[] | select(.name == \"gk_minimal\") | .status == \"revoked\"' >/dev/null"
rm -f /sys/fs/bpf/beta
gk_expect $EKEYREVOKED "  registering the revoked digest again is refused (EKEYREVOKED)" -- \
	gk-raw write "$tmp/r5.bundle" $fs/signatures
gk-sign --key "$keys/beta-signer.key" --cert "$keys/beta-signer.pem" --name gk_raw \
	--digest-hex "$(gk-raw digest 17)" -o "$tmp/beta17.bundle"
gk_expect $EKEYREVOKED "  a new bundle from the revoked key is refused (EKEYREVOKED)" -- \
	gk-raw write "$tmp/beta17.bundle" $fs/signatures

# --- requiring signatures that bind the maps and read-only data ------------------
sign_as signer gk_raw "$(gk-raw digest 19)" "$acme_src/raw" "$tmp/r19.bundle"
register "$tmp/r19.bundle"
policy 32 "allow publisher acme bound" "audit publisher acme unbound"
gk_check "locked: a policy requiring bound maps and read-only data is loaded" -- \
	gkctl policy load "$tmp/policy-32.signed"
gk_check "  acme's object, whose signature binds its maps and .rodata, is admitted (rule 1)" -- \
	sh -c "gk-load $progs/maps.bpf.o && grep 'prog=\"gk_maps' $fs/log | tail -n 1 | grep -q 'action=allow .* rule=1 '"
gk_check "  acme's program signed by digest alone (no binding) meets the unbound rule (2): audited" -- \
	sh -c "gk-raw load 19 && tail -n 1 $fs/log | grep -q 'action=audit .*rule=2 '"
policy 33 "allow publisher acme bound"
gk_check "  with the bound rule alone (version 33)" -- gkctl policy load "$tmp/policy-33.signed"
gk_expect $EPERM "  the unbound signature is refused" -- gk-raw load 19
gk_expect $EPERM "  and the bound one still refuses other .rodata" -- \
	gk-load --set gk_snaplen=3 "$progs/maps.bpf.o"

# --- audit records in the kernel's conventions, for changes of trust too -----------
for op in key policy mode lock sig_remove; do
	gk_check "audit record for a change of trust: op=$op" -- \
		grep -q "type=1316 .*lsm=gatekeeper op=$op pid=[0-9]* comm=\"gkctl\" detail=[^ ]* res=1\$" "$tmp/audit.log"
done
gk_check "denials end with res=0" -- grep -q "type=1316 .*lsm=gatekeeper op=load action=deny .* res=0\$" "$tmp/audit.log"
cp "$(command -v gk-raw)" "/tmp/gk raw=x"
"/tmp/gk raw=x" load 17 >/dev/null
gk_check "a loader name that could forge fields is recorded in hex" -- \
	grep -q "op=load action=deny .* comm=676B207261773D78 " "$tmp/audit.log"

# A flood of denials: every decision is accounted for, as a record or as
# counted in the next record's suppressed=.
cp "$(command -v gk-raw)" /tmp/gk-flood
gk_check "a flood of 3000 unsigned loads, each refused" -- /tmp/gk-flood flood 3000
sleep 1
gk-raw load 18 >/dev/null
sleep 1
flooded=$(grep -c 'op=load action=deny .* comm="gk-flood"' "$tmp/audit.log")
left_out=0
for k in $(grep -o ' suppressed=[0-9]*' "$tmp/audit.log" | cut -d= -f2); do left_out=$((left_out + k)); done
pending=$(sed -n 's/^audit_suppressed: //p' $fs/status)
gk_check "  records were rate limited ($flooded recorded, $left_out counted)" -- test "$left_out" -gt 0
gk_check "  and every decision is accounted for: recorded + counted = 3000" -- \
	test $((flooded + $left_out + pending)) = 3000

kill $auditd
rm -rf "$tmp"
gk_summary
