#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# The measurement log on a real kernel with a TPM (tests/vm/run --tpm, the
# module inserted with admin_cert=): every change of trust and each first
# admission is in the log and extended into PCR 14; a relying party replays
# the log against a TPM quote made in the guest with tpm2-tools.  The log,
# the quote over NONCE and the attestation key are printed as "# artifact
# NAME BASE64" lines for the relying party on the host (tests/vm/measured).
#   measure.sh KEYDIR PROGDIR NONCE
set -u
. "$(dirname "$0")/../../lib.sh"

keys=${1:?usage: measure.sh KEYDIR PROGDIR NONCE}
progs=${2:?}
nonce=${3:?}
fs=/sys/kernel/security/gatekeeper
tmp=$(mktemp -d)
EPERM=1
export TPM2TOOLS_TCTI=device:/dev/tpmrm0

log=$fs/measurements.txt
pcr14() { tr 'A-F' 'a-f' </sys/class/tpm/tpm0/pcr-sha256/14; }
policy() { # policy VERSION MODE: a signed policy admitting acme's signatures
	{
		echo "policy measured version $1"
		echo "default deny"
		echo "mode $2"
		echo "publisher acme key $(gkctl key fingerprint "$keys/ca.pem")"
		echo "allow publisher acme"
	} >"$tmp/policy-$1"
	gkctl policy sign --key "$keys/admin.key" --cert "$keys/admin.pem" \
		-o "$tmp/policy-$1.signed" "$tmp/policy-$1" >/dev/null
}

echo "# kernel $(uname -r)"
gk_check "status: every event is extended into PCR 14 of the TPM" -- grep -qx 'tpm: pcr 14' "$fs/status"
gk_check "the log starts with its START event: kernel release and module version" -- \
	sh -c "head -n 1 $log | grep -q '^0 start .* name=\"$(uname -r)\" by=\"$(cat /sys/module/gatekeeper/version)\"\$'"
gk_check "  then the policy-admin key given at insmod" -- \
	sh -c "sed -n 2p $log | grep -Eq '^1 key .* detail=2 key=[0-9a-f]{64} by=\"insmod\"\$'"
gk_check "the binary log is the 16-byte header and one 256-byte event per line" -- \
	sh -c "[ \$(cat $fs/measurements | wc -c) = \$((16 + 256 * \$(grep -c . $log))) ]"

fp=$(gkctl key fingerprint "$keys/ca.pem")
gk_check "gkctl key add is measured: its fingerprint, for .gatekeeper" -- \
	sh -c "gkctl key add $keys/ca.pem >/dev/null && tail -n 1 $log | grep -q ' key .* detail=1 key=$fp by=\"gkctl\"\$'"
policy 1 enforce
gk_check "a policy load is measured: version, SHA-256 of its text, name" -- \
	sh -c "gkctl policy load $tmp/policy-1.signed >/dev/null &&
		tail -n 1 $log | grep -q ' policy .* value=1 subject=$(sha256sum "$tmp/policy-1" | cut -d' ' -f1) name=\"measured\" by=\"gkctl\"\$'"

gk-sign --key "$keys/signer.key" --cert "$keys/signer.pem" --publisher acme \
	-o "$tmp/minimal.bundle" "$progs/minimal.bpf.o" 2>/dev/null
gkctl sig add "$tmp/minimal.bundle" >/dev/null
digest=$(gk-sign --digest "$progs/minimal.bpf.o" | cut -f1)
gk_check "a signed program's first admission is measured: digest, signer key, publisher" -- \
	sh -c "gk-load $progs/minimal.bpf.o && [ \$(grep -c ' admit .* subject=$digest ' $log) = 1 ] &&
		grep -Eq ' admit .* detail=1 value=1 subject=$digest key=[0-9a-f]{64} name=\"gk_minimal\" by=\"acme\"\$' $log"
gk_check "  loaded again, pinned, and opened by id: not measured again" -- \
	sh -c "gk-load $progs/minimal.bpf.o && bpftool prog load $progs/minimal.bpf.o /sys/fs/bpf/m &&
		bpftool prog show pinned /sys/fs/bpf/m >/dev/null && rm /sys/fs/bpf/m &&
		[ \$(grep -c ' admit .* subject=$digest ' $log) = 1 ]"
gk_check "  libbpf's probes, admitted from the catalogue, are measured as such" -- \
	grep -q ' admit .* detail=3 .* by="libbpf-trivial"$' "$log"
gk_expect $EPERM "an unsigned program is refused" -- gk-load "$progs/kprobe.bpf.o"
gk_check "  and leaves no admission" -- sh -c "! grep -q 'name=\"gk_kprobe\"' $log"

gk_check "a switch to audit mode is measured" -- \
	sh -c "gkctl mode audit >/dev/null && tail -n 1 $log | grep -q ' mode .* detail=1 by=\"gkctl\"\$'"
gk_check "  the unsigned program it lets in is measured as an audit admission" -- \
	sh -c "gk-load $progs/kprobe.bpf.o && tail -n 1 $log | grep -q ' admit .* detail=4 .* name=\"gk_kprobe\"'"
gk_check "  and back to enforce" -- \
	sh -c "gkctl mode enforce >/dev/null && tail -n 1 $log | grep -q ' mode .* by=\"gkctl\"\$' && ! tail -n 1 $log | grep -q detail="
gk_check "refusing the loader probe catalogue is measured" -- \
	sh -c "gkctl probe refuse >/dev/null && tail -n 1 $log | grep -q ' probes .* by=\"gkctl\"\$' && gkctl probe trust >/dev/null &&
		tail -n 1 $log | grep -q ' probes .* detail=1 by=\"gkctl\"\$'"
gk_check "the lock is measured" -- sh -c "gkctl lock >/dev/null && tail -n 1 $log | grep -q ' lock .* by=\"gkctl\"\$'"

gk_check "PCR 14 is the replay of the log (gk-verify ebpf --pcr-value)" -- \
	sh -c "cat $fs/measurements >$tmp/log && gk-verify ebpf --log $tmp/log --pcr-value $(pcr14) >$tmp/replay.out"

gk_check "the TPM quotes PCR 14 over the relying party's nonce (tpm2-tools: EK, AK, quote)" -- \
	sh -c "cd $tmp && tpm2_createek -c ek.ctx -G ecc -u ek.pub >/dev/null &&
		tpm2_createak -C ek.ctx -c ak.ctx -G ecc -g sha256 -s ecdsa -u ak.pem -f pem -n ak.name >/dev/null &&
		tpm2_quote -c ak.ctx -l sha256:14 -q $nonce -m quote.msg -s quote.sig -o quote.pcrs -g sha256 >/dev/null"
gk_check "  gk-verify ebpf verifies it in the guest too" -- \
	gk-verify ebpf --log "$tmp/log" --quote "$tmp/quote.msg" --sig "$tmp/quote.sig" --ak "$tmp/ak.pem" --nonce "$nonce"
for a in log quote.msg quote.sig ak.pem; do
	[ -s "$tmp/$a" ] && echo "# artifact $a $(base64 <"$tmp/$a" | tr -d '\n')"
done

rm -rf "$tmp"
gk_summary
