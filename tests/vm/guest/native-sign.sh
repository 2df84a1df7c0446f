#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# The kernel's own per-load signature check (Linux 6.18 and later:
# BPF_PROG_LOAD's signature, signature_size and keyring_id; the kernel
# checks a detached PKCS#7 signature over the instructions against the
# keyring) beside the gate, for the same programs, in one VM boot
# (tests/bench; BENCHMARKS.md says how to read it).  Run with
# tests/vm/run --no-insmod: the first and last parts need the gate not
# loaded, the middle inserts it.
#
#   native-sign.sh KEYDIR NATIVEKEYDIR [SIZES]
#
# KEYDIR: the gate's test PKI (tests/test-keys).  NATIVEKEYDIR:
# rsa3072.{key,der} and p256.{key,der}, self-signed, made by tests/bench.
# SIZES: the program sizes in instructions (default "10 1000").
#
#   1. checks: each natively signed load is admitted; a signature with its
#      last byte flipped, a program with one instruction bit flipped and a
#      keyring without the signer's certificate are each refused (with the
#      errno shown); any other outcome fails the run
#   2. not loaded: ROUNDS rounds of REPS loads of each size, unsigned, signed
#      with RSA-3072 and signed with P-256 in turn (gk-native bench), and
#      the time of verify_pkcs7_signature() per signed load from the
#      function_graph tracer
#   3. the gate armed, its bundle admitting the same programs: the same
#      unsigned loads end to end, then the gate's run time per decision from
#      the kernel's BPF run-time statistics, as bench.sh measures it
#   4. the gate unloaded again, part 2 again: the two bracket part 3
#
# Prints "native-check | ..." rows for part 1 and a "native | ..." row per
# size, the columns of tests/bench's table; "SKIP ..." on a kernel older
# than 6.18.
set -eu
keys=${1:?usage: native-sign.sh KEYDIR NATIVEKEYDIR [SIZES]}
native=${2:?usage: native-sign.sh KEYDIR NATIVEKEYDIR [SIZES]}
sizes=${3:-10 1000}
rounds=3
reps() { case $1 in 10) echo 200 ;; 1000) echo 30 ;; *) echo 5 ;; esac; }
progs="gk_bpf_enter gk_prog_fd gk_prog_load gk_prog_alloc gk_prog_free"
T=/sys/kernel/tracing
rel=$(uname -r)
tmp=$(mktemp -d)
fail=0

ver=${rel%%-*}
major=${ver%%.*}
minor=${ver#*.}
minor=${minor%%.*}
if [ "$major" -lt 6 ] || { [ "$major" -eq 6 ] && [ "$minor" -lt 18 ]; }; then
	echo "SKIP native-sign: $rel has no per-load signature check (BPF_PROG_LOAD's signature and keyring_id came in 6.18)"
	exit 0
fi
if grep -q '^gatekeeper ' /proc/modules; then
	echo "native-sign: the gate is loaded; run with tests/vm/run --no-insmod" >&2
	exit 1
fi
[ -f /gk/gatekeeper.ko ] || { echo "native-sign: no /gk/gatekeeper.ko to insert" >&2; exit 1; }

# The signers' certificates in a keyring of their own, linked from the
# user keyring so that this process possesses it: the kernel takes a user
# or session keyring's serial (the system keyrings' 0, 1 and 2 hold
# neither certificate).
ring=$(keyctl newring gk_native @u)
empty=$(keyctl newring gk_native_empty @u)
for k in rsa3072 p256; do
	keyctl padd asymmetric "" "$ring" <"$native/$k.der" >/dev/null
	openssl x509 -inform DER -in "$native/$k.der" -out "$tmp/$k.pem"
done

# Detached PKCS#7 over the raw instructions, as bpftool signs a loader:
# DER, SHA-256, no certificates in the message (the keyring has them) and
# no signed attributes; the kernel requires id-data content
# (VERIFYING_BPF_SIGNATURE).
for n in $sizes; do
	gk-native insns "$n" >"$tmp/insns.$n"
	for k in rsa3072 p256; do
		openssl cms -sign -binary -noattr -nocerts -keyid -md sha256 -in "$tmp/insns.$n" \
			-signer "$tmp/$k.pem" -inkey "$native/$k.key" -outform DER -out "$tmp/$k.$n.sig"
	done
done

# 1. Correctness.  check WHAT EXPECT -- COMMAND: EXPECT "ok" for a load that
# must succeed, "refused" for one that must fail
check() {
	local what=$1 expect=$2 out rc=0
	shift 3
	out=$("$@" 2>&1) || rc=$?
	if [ "$expect" = ok ] && [ $rc = 0 ]; then
		echo "native-check | $rel | $what | admitted | ok |"
	elif [ "$expect" = refused ] && [ $rc != 0 ]; then
		echo "native-check | $rel | $what | refused: ${out#load failed: } | ok |"
	else
		echo "native-check | $rel | $what | ${out:-admitted} | FAILED (expected $expect) |"
		fail=1
	fi
}
# corrupt FILE: FILE with its last byte's low bit flipped (inside the RSA
# or ECDSA signature value, the SignerInfo's last field)
corrupt() {
	local len last
	len=$(wc -c <"$1")
	last=$(tail -c 1 "$1" | od -An -tu1 | tr -d ' ')
	head -c $((len - 1)) "$1"
	# shellcheck disable=SC2059 # the format is the octal escape itself
	printf "\\$(printf %03o $((last ^ 1)))"
}
n0=${sizes%% *}
for k in rsa3072 p256; do
	corrupt "$tmp/$k.$n0.sig" >"$tmp/$k.bad"
	check "$k: signed, $n0 instructions" ok -- gk-native load "$n0" "$ring" "$tmp/$k.$n0.sig"
	check "$k: signature's last byte flipped" refused -- gk-native load "$n0" "$ring" "$tmp/$k.bad"
	check "$k: instruction bit 32 flipped" refused -- gk-native load "$n0" "$ring" "$tmp/$k.$n0.sig" 32
	check "$k: keyring without the certificate" refused -- gk-native load "$n0" "$empty" "$tmp/$k.$n0.sig"
done
check "unsigned, $n0 instructions" ok -- gk-native load "$n0"
[ $fail = 0 ] || { echo "native-sign: a check failed" >&2; exit 1; }

# median of the numbers on stdin
median() { sort -n | awk '{ v[NR] = $1 } END { print !NR ? 0 : NR % 2 ? v[(NR + 1) / 2] : int((v[NR / 2] + v[NR / 2 + 1]) / 2) }'; }

# traced FUNCTION REF -- COMMAND: the median time of FUNCTION's calls in
# COMMAND under the function_graph tracer, less that of REF, a small
# function called once per bpf() (the tracer's own cost); "-" if either
# cannot be traced
traced() {
	local f=$1 ref=$2 t
	shift 3
	if ! grep -qx "$f" "$T/available_filter_functions" || ! grep -qx "$ref" "$T/available_filter_functions"; then
		"$@" >/dev/null
		echo -
		return
	fi
	echo 0 >"$T/tracing_on"
	echo nop >"$T/current_tracer"
	printf '%s\n' "$f" "$ref" >"$T/set_ftrace_filter"
	echo function_graph >"$T/current_tracer"
	echo >"$T/trace"
	echo 1 >"$T/tracing_on"
	"$@" >/dev/null
	echo 0 >"$T/tracing_on"
	for t in "$f" "$ref"; do
		awk -v f="$t" '$0 ~ "[|] *" f "\\(\\);" {
				for (i = 1; i < NF; i++) if ($(i + 1) == "us") { print $i * 1000; break }
			}' "$T/trace" | median
	done | paste -sd' ' | awk '{ print $1 && $2 ? $1 - $2 : "-" }'
	echo nop >"$T/current_tracer"
	echo >"$T/set_ftrace_filter"
}

# unarmed PHASE: part 2, into $tmp/PHASE.N.R ("unsigned|rsa|p256 MEDIAN MEAN")
unarmed() {
	local n r
	for r in $(seq "$rounds"); do
		for n in $sizes; do
			gk-native bench "$n" "$(reps "$n")" "$ring" "$tmp/rsa3072.$n.sig" "$tmp/p256.$n.sig" |
				sed 's|^[^ ]*/rsa3072[^ ]* |rsa |; s|^[^ ]*/p256[^ ]* |p256 |' >"$tmp/$1.$n.$r"
		done
	done
}

# stats: "NAME RUN_TIME_NS RUN_CNT" for each of the gate's programs
stats() {
	bpftool -j prog show | jq -r --arg p "$progs" '($p | split(" ")) as $names |
		.[] | select(.name as $n | $names | index($n)) |
		"\(.name) \(.run_time_ns // 0) \(.run_cnt // 0)"'
}

mount -t tracefs nodev "$T" 2>/dev/null || true
[ -w "$T/current_tracer" ] || { echo "native-sign: no tracefs at $T" >&2; exit 1; }
for n in $sizes; do
	gk-native bench "$n" 2 "$ring" "$tmp/rsa3072.$n.sig" "$tmp/p256.$n.sig" >/dev/null # warm up
done

# 2. Not loaded.
unarmed off1
for n in $sizes; do
	for k in rsa3072 p256; do
		traced verify_pkcs7_signature bpf_check_uarg_tail_zero -- \
			gk-native bench "$n" "$(reps "$n")" "$ring" "$tmp/$k.$n.sig" >"$tmp/traced.$k.$n"
	done
done

# 3. Armed: end to end, then (statistics on) per decision.
# shellcheck disable=SC2046 # the module's arguments, one word each
insmod /gk/gatekeeper.ko $(cat /gk/modargs)
gkctl status >/dev/null
gkctl key add "$keys/ca.pem" >/dev/null
for n in $sizes; do
	gk-sign --key "$keys/signer.key" --cert "$keys/signer.pem" --name gk_raw \
		--digest-hex "$(gk-raw digest "$n")" -o "$tmp/$n.bundle" 2>/dev/null
	gkctl sig add "$tmp/$n.bundle" >/dev/null
done
for n in $sizes; do
	gk-native bench "$n" 2 >/dev/null # warm up
done
for r in $(seq "$rounds"); do
	for n in $sizes; do
		gk-native bench "$n" "$(reps "$n")" | awk '{ print $2 }' >"$tmp/on.$n.$r"
	done
done
echo 1 >/proc/sys/kernel/bpf_stats_enabled
for r in $(seq "$rounds"); do
	for n in $sizes; do
		stats >"$tmp/before"
		gk-native bench "$n" "$(reps "$n")" >/dev/null
		stats >"$tmp/after"
		awk -v reps="$(reps "$n")" 'FNR == NR { t[$1] = $2; c[$1] = $3; next }
			$3 > c[$1] { sum += $2 - t[$1]; ran = 1 }
			END { print ran ? int(sum / reps) : 0 }' "$tmp/before" "$tmp/after" >"$tmp/dec.$n.$r"
	done
done
echo 0 >/proc/sys/kernel/bpf_stats_enabled
grep -qx 0 "$tmp"/dec.* && { echo "native-sign: the gate's programs did not run on a load" >&2; exit 1; }

# 4. Unloaded again.
gkctl disarm >/dev/null
for _ in $(seq 50); do rmmod gatekeeper 2>/dev/null && break; sleep 0.2; done
grep -q '^gatekeeper ' /proc/modules && { echo "native-sign: cannot unload the module" >&2; exit 1; }
unarmed off2

# A row per size: medians over the rounds of each run's median, in µs.
for n in $sizes; do
	for v in unsigned rsa p256; do
		cat "$tmp"/off[12]."$n".* | awk -v v="$v" '$1 == v { print $2 }' | median >"$tmp/m.$v"
	done
	cat "$tmp/on.$n".* | median >"$tmp/m.on"
	cat "$tmp/dec.$n".* | median >"$tmp/m.dec"
	awk -v rel="$rel" -v n="$n" -v u="$(cat "$tmp/m.unsigned")" -v r="$(cat "$tmp/m.rsa")" \
		-v p="$(cat "$tmp/m.p256")" -v on="$(cat "$tmp/m.on")" -v dec="$(cat "$tmp/m.dec")" \
		-v tr="$(cat "$tmp/traced.rsa3072.$n")" -v tp="$(cat "$tmp/traced.p256.$n")" '
		function us(x) { return x == "-" ? "-" : sprintf("%.1f", x / 1000) }
		BEGIN {
			printf "native | %s | %s | %.1f | %.1f | %.1f | %.1f | %.1f / %.1f | %s / %s | %.1f | %.1f | %.3f | %.3f |\n",
				rel, n, u / 1000, r / 1000, p / 1000, on / 1000, (r - u) / 1000, (p - u) / 1000,
				us(tr), us(tp), (on - u) / 1000, dec / 1000,
				(r > u ? dec / (r - u) : 0), (p > u ? dec / (p - u) : 0)
		}'
done
