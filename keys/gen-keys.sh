#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0
# gen-keys.sh [--ecdsa] [--force] [--days N] [OUTDIR]
#
# Test PKI for GateKeeper: a publisher CA and its code-signing key, an
# unrelated "unknown" CA and signing key for negative tests, and with
# --ecdsa a P-256 signing key issued by the publisher CA.  Everything is
# for tests only; see keys/README.md.
#
# OUTDIR defaults to keys/out/.  Inside this repository only keys/out/ and
# tests/build/ (both gitignored) are accepted, so that a private key cannot
# end up in a commit by accident.
#
# The kernel's X.509 parser links a signature to the key that vouches for
# it through key identifiers: every certificate carries subjectKeyIdentifier
# and authorityKeyIdentifier (keyid), so a signing certificate finds its CA
# in the .gatekeeper keyring.  Signatures are RSA PKCS#1 v1.5 with SHA-256,
# which every kernel of the matrix verifies; ECDSA needs
# CONFIG_CRYPTO_ECDSA, which Debian's 6.1 kernel does not have.
set -euo pipefail

usage() {
	echo "usage: gen-keys.sh [--ecdsa] [--force] [--days N] [OUTDIR (default keys/out)]" >&2
	exit 2
}
die() { echo "gen-keys.sh: $*" >&2; exit 1; }

top=$(cd "$(dirname "$0")/.." && pwd -P)
out=$top/keys/out
ecdsa=0 force=0 days=3650
while [ $# -gt 0 ]; do
	case $1 in
	--ecdsa) ecdsa=1 ;;
	--force) force=1 ;;
	--days)
		if [ $# -lt 2 ] || ! [[ $2 =~ ^[1-9][0-9]*$ ]]; then usage; fi
		days=$2
		shift ;;
	-h|--help) usage ;;
	-*) echo "gen-keys.sh: unknown option '$1'" >&2; usage ;;
	*) [ -z "${outset:-}" ] || usage; out=$1 outset=1 ;;
	esac
	shift
done
command -v openssl >/dev/null || die "openssl is missing (run tests/setup)"

dest=$(realpath -m -- "$out")
case $dest/ in
"$top/keys/out/"* | "$top/tests/build/"*) ;;
"$top/"*) die "refusing to write keys into $dest: inside the repository only keys/out/ and tests/build/ are ignored by git" ;;
esac

names=(ca signer unknown-ca unknown-signer beta-ca beta-signer admin admin2 verifier sim-tee)
[ "$ecdsa" = 1 ] && names+=(ecdsa-signer)
if [ "$force" = 0 ]; then
	for n in "${names[@]}"; do
		for ext in key pem der; do
			[ ! -e "$dest/$n.$ext" ] ||
				die "$dest/$n.$ext exists; use --force to replace every key (certificates trusted from the old CA stop verifying)"
		done
	done
fi

[ -d "$dest" ] || { mkdir -p "$dest" && chmod 0700 "$dest"; }
tmp=$(mktemp -d "$dest/.gen-keys.XXXXXX")
trap 'rm -rf "$tmp"' EXIT
chmod 0700 "$tmp"

# Extensions are spelled out here rather than taken from the system's
# openssl.cnf, so the certificates are the same on every machine.
cat >"$tmp/openssl.cnf" <<'EOF'
[ req ]
distinguished_name = dn
prompt = no
[ dn ]
CN = unused
[ v3_ca ]
basicConstraints = critical, CA:TRUE
keyUsage = critical, keyCertSign
subjectKeyIdentifier = hash
authorityKeyIdentifier = keyid:always
[ v3_admin ]
basicConstraints = critical, CA:TRUE
keyUsage = critical, digitalSignature, keyCertSign
subjectKeyIdentifier = hash
authorityKeyIdentifier = keyid:always
[ v3_signer ]
basicConstraints = critical, CA:FALSE
keyUsage = critical, digitalSignature
extendedKeyUsage = codeSigning
subjectKeyIdentifier = hash
authorityKeyIdentifier = keyid:always
EOF

serial() { echo "0x$(openssl rand -hex 16)"; }

# newkey NAME rsa|ec: a private key readable by its owner only.
newkey() {
	local opts
	case $2 in
	rsa) opts=(-algorithm RSA -pkeyopt rsa_keygen_bits:3072) ;;
	ec) opts=(-algorithm EC -pkeyopt ec_paramgen_curve:P-256 -pkeyopt ec_param_enc:named_curve) ;;
	esac
	(umask 077 && openssl genpkey "${opts[@]}" -out "$tmp/$1.key" 2>/dev/null)
	chmod 0600 "$tmp/$1.key"
}

# ca NAME SUBJECT [EXTENSIONS]: a self-signed CA certificate.
ca() {
	newkey "$1" rsa
	openssl req -new -x509 -config "$tmp/openssl.cnf" -extensions "${3:-v3_ca}" -sha256 \
		-key "$tmp/$1.key" -subj "$2" -days "$days" -set_serial "$(serial)" \
		-out "$tmp/$1.pem"
}

# signer NAME CA SUBJECT rsa|ec: a code-signing certificate issued by CA.
signer() {
	newkey "$1" "$4"
	openssl req -new -config "$tmp/openssl.cnf" -key "$tmp/$1.key" -subj "$3" \
		-out "$tmp/$1.csr"
	openssl x509 -req -in "$tmp/$1.csr" -CA "$tmp/$2.pem" -CAkey "$tmp/$2.key" \
		-set_serial "$(serial)" -days "$days" -sha256 \
		-extfile "$tmp/openssl.cnf" -extensions v3_signer -out "$tmp/$1.pem" 2>/dev/null
	rm -f "$tmp/$1.csr"
}

org="/O=eBPF GateKeeper tests"
ca ca "$org/CN=GateKeeper Test Publisher CA"
signer signer ca "$org/CN=GateKeeper Test Publisher Signing Key" rsa
ca unknown-ca "/O=Unknown Publisher (tests)/CN=Unknown Test CA"
signer unknown-signer unknown-ca "/O=Unknown Publisher (tests)/CN=Unknown Test Signing Key" rsa
ca beta-ca "/O=Beta Publisher (tests)/CN=Beta Test CA"
signer beta-signer beta-ca "/O=Beta Publisher (tests)/CN=Beta Test Signing Key" rsa
ca admin "$org/CN=GateKeeper Test Policy Admin" v3_admin
signer admin2 admin "$org/CN=GateKeeper Test Policy Admin 2" rsa
ca verifier "$org/CN=GateKeeper Test Attestation Verifier" v3_admin
ca sim-tee "$org/CN=GateKeeper Test Simulated TEE" v3_admin
[ "$ecdsa" = 0 ] || signer ecdsa-signer ca "$org/CN=GateKeeper Test Publisher ECDSA Signing Key" ec
for n in "${names[@]}"; do
	openssl x509 -in "$tmp/$n.pem" -outform DER -out "$tmp/$n.der"
	chmod 0644 "$tmp/$n.pem" "$tmp/$n.der"
done

# Check what the tests rely on before handing the keys out: a detached CMS
# signature made the way gk-sign makes it verifies against the publisher CA
# and, from the unknown publisher, does not.
printf 'gen-keys self-check\n' >"$tmp/content"
cms_ok() {
	openssl cms -sign -binary -noattr -outform DER -md sha256 -signer "$tmp/$1.pem" \
		-inkey "$tmp/$1.key" -in "$tmp/content" -out "$tmp/sig.der" &&
	openssl cms -verify -binary -inform DER -content "$tmp/content" -in "$tmp/sig.der" \
		-CAfile "$tmp/$2.pem" -purpose any -out /dev/null 2>/dev/null
}
for n in signer $([ "$ecdsa" = 0 ] || echo ecdsa-signer); do
	openssl verify -CAfile "$tmp/ca.pem" "$tmp/$n.pem" >/dev/null || die "$n.pem does not chain to ca.pem"
	cms_ok "$n" ca || die "a CMS signature by $n does not verify against ca.pem"
done
cms_ok unknown-signer unknown-ca || die "a CMS signature by unknown-signer does not verify against unknown-ca.pem"
! cms_ok unknown-signer ca || die "a CMS signature by unknown-signer verifies against ca.pem"
for n in "${names[@]}"; do
	openssl x509 -in "$tmp/$n.pem" -noout -ext subjectKeyIdentifier,authorityKeyIdentifier |
		grep -q 'Authority Key Identifier' || die "$n.pem lacks its key identifiers"
done

# A replaced CA leaves no certificate behind that only the old one vouched for.
[ "$force" = 0 ] || rm -f "$dest"/{ca,signer,unknown-ca,unknown-signer,beta-ca,beta-signer,admin,admin2,verifier,sim-tee,ecdsa-signer}.{key,pem,der}
for n in "${names[@]}"; do
	mv -f "$tmp/$n.key" "$tmp/$n.pem" "$tmp/$n.der" "$dest/"
done

describe() {
	case $1 in
	ca) echo "publisher CA (RSA-3072): add to the .gatekeeper keyring" ;;
	signer) echo "publisher code-signing key (RSA-3072), issued by ca" ;;
	unknown-ca) echo "unrelated CA (RSA-3072), never trusted: negative tests" ;;
	unknown-signer) echo "signing key issued by unknown-ca: must be refused (ENOKEY)" ;;
	beta-ca) echo "a second publisher's CA (RSA-3072): per-publisher policy tests" ;;
	beta-signer) echo "signing key issued by beta-ca" ;;
	admin) echo "policy-admin key (RSA-3072, self-signed): insmod gatekeeper.ko admin_cert=admin.der" ;;
	admin2) echo "policy-admin key issued by admin: gkctl key add --admin admin2.pem" ;;
	verifier) echo "attestation verifier key (self-signed): signs gk-verify results" ;;
	sim-tee) echo "the simulated TEE's key (self-signed): signs sim evidence" ;;
	ecdsa-signer) echo "ECDSA P-256 signing key issued by ca (kernel needs CONFIG_CRYPTO_ECDSA)" ;;
	esac
}
echo "created in $dest:"
for n in "${names[@]}"; do
	printf '  %-28s %s\n' "$n.key (mode 0600)" "private key: $(describe "$n")" \
		"$n.pem" "certificate, PEM" "$n.der" "certificate, DER (for keyctl padd)"
done
