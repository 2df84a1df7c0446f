#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# Confidential programs on a real kernel: admitted only while the module
# holds a fresh attestation result.  The sim TEE stands in for TDX/SEV-SNP
# (QEMU TCG has neither); gk-verify is the verifier.  Runs inside the VM,
# gatekeeper.ko inserted with admin_cert=KEYDIR/admin.der.
#   attest.sh KEYDIR PROGDIR
set -u
. "$(dirname "$0")/../../lib.sh"

keys=${1:?usage: attest.sh KEYDIR PROGDIR}
progs=${2:?}
fs=/sys/kernel/security/gatekeeper
tmp=$(mktemp -d)
EPERM=1 EEXIST=17 ENOKEY=126 ESTALE=116 ETIME=62
meas=$(printf 'a5%.0s' $(seq 48))
other=$(printf '5a%.0s' $(seq 48))

gkctl key add "$keys/ca.pem" >/dev/null
gkctl key add --verifier "$keys/verifier.pem" >/dev/null
cat >"$tmp/policy" <<EOT
policy cvm version 1
default deny
mode enforce
publisher acme key $(gkctl key fingerprint "$keys/ca.pem")
verifier lab key $(gkctl key fingerprint "$keys/verifier.pem")
allow publisher acme confidential verifier lab
allow publisher acme nonconfidential
EOT
gkctl policy sign --key "$keys/admin.key" --cert "$keys/admin.pem" -o "$tmp/policy.signed" "$tmp/policy" >/dev/null
gk_check "policy naming the verifier loaded" -- gkctl policy load "$tmp/policy.signed"
gk-sign --key "$keys/signer.key" --cert "$keys/signer.pem" --confidential --name gk_raw \
	--digest-hex "$(gk-raw digest 20)" -o "$tmp/conf.bundle"
gk_check "confidential program's bundle registered" -- gkctl sig add "$tmp/conf.bundle"
printf '{ "allow_sim": true, "sim": { "measurement": ["%s"] } }\n' "$meas" >"$tmp/ref.json"

# attest VALIDITY [MEASUREMENT [EXTRA...]]: challenge, sim evidence, verifier;
# leaves the signed result in $tmp/result and returns gk-verify's status.
attest() {
	local validity=$1 m=${2:-$meas} nonce
	shift 2 2>/dev/null || shift
	rm -f "$tmp/result"
	nonce=$(gkctl attest nonce) || return 99
	gkctl attest evidence --tee sim --nonce "$nonce" --sim-key "$keys/sim-tee.key" \
		--sim-cert "$keys/sim-tee.pem" --sim-measurement "$m" "$@" -o "$tmp/evidence" >/dev/null || return 99
	gk-verify sim --evidence "$tmp/evidence" --cert "$keys/sim-tee.pem" --ref "$tmp/ref.json" \
		--nonce "$nonce" --result-out "$tmp/result" --sign-key "$keys/${signer:-verifier}.key" \
		--sign-cert "$keys/${signer:-verifier}.pem" --validity "$validity" >"$tmp/verdict"
}

# state PASS STATE: the sample programs see the attestation (gk_attestation_state()).
state() {
	gk-load --run gk_serve_attested --run gk_attestation "$progs/attested.bpf.o" >"$tmp/state" &&
		grep -qx "gk_serve_attested $1" "$tmp/state" && grep -qx "gk_attestation $2" "$tmp/state"
}
gk_check "the sample programs that read the attestation state learnt, signed and registered" -- \
	sh -c "gkctl learn -t 120 -o $tmp/attested.json -- gk-load --run gk_attestation $progs/attested.bpf.o >/dev/null &&
		gk-sign --key $keys/signer.key --cert $keys/signer.pem --publisher acme --request $tmp/attested.json \
			-o $tmp/attested.bundle 2>/dev/null && gkctl sig add $tmp/attested.bundle >/dev/null"
gk_check "status: no attestation yet" -- grep -qx 'attestation: none' $fs/status
gk_check "  an XDP program drops traffic: no attestation (state 0)" -- state 1 0
gk_expect $EPERM "confidential program denied before attestation" -- gk-raw load 20
gk_check "  the log says attestation is missing" -- sh -c "tail -n 1 $fs/log | grep -q 'reason=\"confidential program: no TEE attestation\"'"

# Several manifests of one digest: a later one may only make it confidential.
sign22() { gk-sign --key "$keys/signer.key" --cert "$keys/signer.pem" --name gk_raw \
	--digest-hex "$(gk-raw digest 22)" "$@"; }
sign22 -o "$tmp/plain22.bundle"
sign22 --source https://elsewhere.example -o "$tmp/plain22b.bundle"
sign22 --confidential -o "$tmp/conf22.bundle"
gk_check "non-confidential manifest registered first" -- gkctl sig add "$tmp/plain22.bundle"
gk_check "  its program admitted without attestation" -- gk-raw load 22
gk_check "a confidential manifest of the same digest replaces it" -- \
	sh -c "gkctl sig add $tmp/conf22.bundle | grep -qx '0 registered, 0 already registered, 1 made confidential'"
gk_expect $EPERM "  the program is now denied without attestation" -- gk-raw load 22
gk_expect $EEXIST "another non-confidential manifest cannot undo that (EEXIST)" -- \
	gk-raw write "$tmp/plain22b.bundle" $fs/signatures
gk_expect $EPERM "  the program stays denied without attestation" -- gk-raw load 22

gk_check "sim TEE evidence accepted by the verifier" -- attest 60
gk_check "the verifier's signed result accepted by the module" -- gkctl attest result "$tmp/result"
gk_check "status: valid, sim TEE, its measurement, the verifier's name" -- sh -c \
	"grep -qx 'attestation: valid' $fs/status && grep -qx 'tee: sim' $fs/status && grep -qx 'measurement: $meas' $fs/status && grep -q '^verifier: lab ' $fs/status"
gk_check "status: time left within the granted 60 s" -- sh -c \
	"s=\$(sed -n 's/^attestation_seconds_left: //p' $fs/status); [ \"\$s\" -gt 0 ] && [ \"\$s\" -le 60 ]"
gk_check "confidential program admitted after attestation" -- gk-raw load 20
gk_check "  by the rule requiring the verifier" -- sh -c "tail -n 1 $fs/log | grep -q 'action=allow .*rule=1 '"
gk_check "  the XDP program lets traffic in: attested by the sim TEE (state 3)" -- state 2 3

# Failures: each refused, the result held stays in force.
gk_expect $ESTALE "replayed result (nonce already used) refused with ESTALE" -- gk-raw write "$tmp/result" $fs/attest_result
cp "$tmp/result" "$tmp/replayed"
signer=unknown-signer attest 60
gk_expect $ENOKEY "result signed by an unknown key refused with ENOKEY" -- gk-raw write "$tmp/result" $fs/attest_result
signer=signer attest 60
gk_expect $ENOKEY "result signed by a publisher key (not a declared verifier) refused" -- gk-raw write "$tmp/result" $fs/attest_result
gk-sign --key "$keys/verifier.key" --cert "$keys/verifier.pem" --name gk_raw \
	--digest-hex "$(gk-raw digest 23)" -o "$tmp/by-verifier.bundle"
gk_expect $ENOKEY "a bundle signed by the verifier's key refused: verifiers cannot sign programs" -- \
	gk-raw write "$tmp/by-verifier.bundle" $fs/signatures
gk_expect 1 "evidence from a debug TEE rejected by the verifier" -- attest 60 "$meas" --sim-debug
gk_check "  so there is no result to present" -- test ! -e "$tmp/result"
gk_expect 1 "measurement not in the reference values rejected by the verifier" -- attest 60 "$other"
gk_check "  with a reason naming the measurement" -- grep -qi measurement "$tmp/verdict"
printf '{ "sim": { "measurement": ["%s"] } }\n' "$meas" >"$tmp/ref.json"
gk_expect 1 "sim evidence rejected unless the reference values allow sim" -- attest 60
printf '{ "allow_sim": true, "sim": { "measurement": ["%s"] } }\n' "$meas" >"$tmp/ref.json"
attest 2
sleep 3
gk_expect $ETIME "result that expired before it arrived refused with ETIME" -- gk-raw write "$tmp/result" $fs/attest_result
gk_check "after the refusals the earlier result still admits" -- gk-raw load 20

# Identity: a key that copies the verifier's issuer and serial (its key id)
# must not be let in to borrow the verifier's identity.
subject=$(openssl x509 -in "$keys/verifier.pem" -noout -subject -nameopt compat | sed 's/^subject=//')
serial=$(openssl x509 -in "$keys/verifier.pem" -noout -serial | sed 's/^serial=/0x/')
openssl req -x509 -newkey rsa:2048 -nodes -keyout "$tmp/impostor.key" -out "$tmp/impostor.pem" \
	-subj "$subject" -set_serial "$serial" -days 30 \
	-addext basicConstraints=critical,CA:TRUE -addext keyUsage=critical,digitalSignature,keyCertSign \
	-addext subjectKeyIdentifier=hash 2>/dev/null
gk_check "an impostor certificate with the verifier's issuer and serial made" -- sh -c \
	"[ \"\$(openssl x509 -in $tmp/impostor.pem -noout -serial)\" = \"\$(openssl x509 -in $keys/verifier.pem -noout -serial)\" ]"
gk_expect 1 "a key impersonating the verifier's key id is refused" -- gkctl key add "$tmp/impostor.pem"

# Expiry of the result held.
attest 8
gk_check "a short-lived result (8 s) accepted" -- gkctl attest result "$tmp/result"
gk_check "confidential program admitted while it is fresh" -- gk-raw load 20
sleep 9
gk_check "status: expired" -- grep -qx 'attestation: expired' $fs/status
gk_expect $EPERM "confidential program denied again once it expired" -- gk-raw load 20
gk_check "  the log says the attestation expired" -- sh -c "tail -n 1 $fs/log | grep -q 'reason=\"confidential program: TEE attestation expired\"'"
gk_check "  the XDP program drops traffic again: expired (state -ETIME)" -- state 1 -$ETIME
attest 60
gk_check "a fresh result accepted again" -- gkctl attest result "$tmp/result"
gk_check "  admits the confidential program" -- gk-raw load 20
sed -i 's/^allow publisher acme confidential verifier lab$/allow publisher acme confidential/; s/^verifier lab key .*//; s/version 1/version 2/' "$tmp/policy"
gkctl policy sign --key "$keys/admin.key" --cert "$keys/admin.pem" -o "$tmp/policy.signed" "$tmp/policy" >/dev/null
gk_check "a policy that no longer declares the verifier loaded" -- gkctl policy load "$tmp/policy.signed"
gk_expect $EPERM "the verifier's result no longer admits the confidential program" -- gk-raw load 20
gk_check "  nor the XDP program (state -EKEYREJECTED)" -- state 1 -129
gk_check "non-confidential programs are unaffected" -- sh -c \
	"gk-sign --key $keys/signer.key --cert $keys/signer.pem --name gk_raw --digest-hex \$(gk-raw digest 21) -o $tmp/plain.bundle && gkctl sig add $tmp/plain.bundle >/dev/null && gk-raw load 21"

rm -rf "$tmp"
gk_summary
