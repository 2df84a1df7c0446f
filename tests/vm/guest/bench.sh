#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# The gate's own cost, in one VM boot (tests/bench; BENCHMARKS.md says how
# to read it).  Prints markdown rows, each after a tag naming its table:
#
#   decision  per program size, admitted and refused: the gate's time per
#             decision from the kernel's BPF run-time statistics of its
#             programs (kfuncs included; on 6.1 plus the digest, which is
#             made in a kprobe there), its spread over the rounds (the
#             median absolute deviation), the time of the digest (SHA-256
#             of the instructions) from the function_graph tracer (on 6.1,
#             which cannot trace it in a kprobe, the same hash by the
#             kernel's generic SHA-256 through AF_ALG), their ratio, the fixed cost beyond the digest, and the end-to-end
#             load latency armed / not loaded (without the statistics)
#   e2e       per program size, the admitted load's latency not loaded,
#             with two empty BPF LSM programs instead, and armed; and in
#             each state the JIT's copy of the image into the program pack
#   other     a bpf() command other than a load (BPF_PROG_GET_NEXT_ID): the
#             entry hook's time per call, the call's latency armed, with
#             the two empty LSM programs, and not loaded
#   lookup    a 10-instruction admitted load with about 10, 10,000 and
#             100,000 signatures registered: the gate's time per decision,
#             and the store's lookup alone (gk_store_find(), traced, the
#             tracer's own cost included: the same in every row)
#   register  the time to register 10,000 signatures, and the kernel
#             memory each takes (unreclaimable slab and vmalloc, over the
#             90,000 registered after them)
#
#   bench.sh KEYDIR BUNDLEDIR [SIZES [CRYPTODIR]]
# BUNDLEDIR: small.bundle (6 signatures), then 001.bundle ... 400.bundle of
# 250 each, signed for this kernel (tests/bench makes them); "-" leaves out
# lookups and registration (100,000 signatures take about 30 minutes to
# register under TCG).  SIZES: the program sizes, in instructions (default
# 10 1000 100000 1000000).  CRYPTODIR: the kernel's af_alg.ko and
# algif_hash.ko, for the digest on 6.1 ("-" or none: that digest is not
# measured).  The module is inserted with watch_interval=0, so that no
# self-test load runs meanwhile.
set -eu
keys=${1:?usage: bench.sh KEYDIR BUNDLEDIR}
bundles=${2:?usage: bench.sh KEYDIR BUNDLEDIR}
tmp=$(mktemp -d)
rounds=7
sizes=${3:-10 1000 100000 1000000}
crypto=${4:--}
reps() { case $1 in 10) echo 200 ;; 1000) echo 50 ;; 100000) echo 3 ;; *) echo 2 ;; esac; }
progs="gk_bpf_enter gk_prog_fd gk_prog_load gk_prog_alloc gk_prog_free"
T=/sys/kernel/tracing
rel=$(uname -r)

arm() {
	gkctl status >/dev/null
	gkctl key add "$keys/ca.pem" >/dev/null
	for n in $sizes; do
		gk-sign --key "$keys/signer.key" --cert "$keys/signer.pem" --name gk_raw \
			--digest-hex "$(gk-raw digest "$n")" -o "$tmp/$n.bundle" 2>/dev/null
		gkctl sig add "$tmp/$n.bundle" >/dev/null
	done
}

# stats: "NAME RUN_TIME_NS RUN_CNT" for each of the gate's programs
stats() {
	bpftool -j prog show | jq -r --arg p "$progs" '($p | split(" ")) as $names |
		.[] | select(.name as $n | $names | index($n)) |
		"\(.name) \(.run_time_ns // 0) \(.run_cnt // 0)"'
}

# cost REPS GK-RAW-ARGS...: "NS_PER_CALL WALL_NS_PER_CALL PROG=NS..." of a
# gk-raw run of REPS bpf() calls: the gate's run time per call from the
# statistics, the calls' mean latency, and each program's part
cost() {
	local reps=$1 wall
	shift
	stats >"$tmp/before"
	wall=$(gk-raw "$@")
	stats >"$tmp/after"
	awk -v reps="$reps" -v wall="$wall" '
		FNR == NR { t[$1] = $2; c[$1] = $3; next }
		{ dt = $2 - t[$1]; if ($3 > c[$1]) { sum += dt; d = d sprintf(" %s=%d", $1, dt / reps) } }
		END { printf "%d %d%s\n", sum / reps, wall, d }' "$tmp/before" "$tmp/after"
}

# median of the numbers on stdin
median() { sort -n | awk '{ v[NR] = $1 } END { print !NR ? 0 : NR % 2 ? v[(NR + 1) / 2] : int((v[NR / 2] + v[NR / 2 + 1]) / 2) }'; }

# traced FUNCTION... -- COMMAND: run COMMAND under the function_graph
# tracer limited to FUNCTIONs; print "FUNCTION CALLS MEDIAN_NS" for each
# (the median: an interrupt in a call does not move it)
traced() {
	local f fns=()
	while [ "$1" != -- ]; do fns+=("$1"); shift; done
	shift
	echo 0 >"$T/tracing_on"
	echo nop >"$T/current_tracer"
	printf '%s\n' "${fns[@]}" >"$T/set_ftrace_filter"
	echo function_graph >"$T/current_tracer"
	echo >"$T/trace"
	echo 1 >"$T/tracing_on"
	"$@" >/dev/null
	echo 0 >"$T/tracing_on"
	for f in "${fns[@]}"; do
		awk -v f="$f" '$0 ~ "[|] *" f "( \\[gatekeeper\\])?\\(\\);" {
				for (i = 1; i < NF; i++) if ($(i + 1) == "us") { print $i * 1000; break }
			}' "$T/trace" >"$tmp/durations"
		echo "$f $(wc -l <"$tmp/durations") $(median <"$tmp/durations")"
	done
	echo nop >"$T/current_tracer"
	echo >"$T/set_ftrace_filter"
}

# digest N: the median time of the digest of an N-instruction load, less
# the tracer's own cost (measured on gk_bypassed(), which reads one variable)
digest() {
	traced gk_digest_of gk_bypassed -- gk-raw bench "$1" "$(reps "$1")" |
		awk '{ n[$1] = $2; t[$1] = $3 }
			END { if (!n["gk_digest_of"]) { print "-"; exit }
				printf "%d\n", t["gk_digest_of"] - t["gk_bypassed"] }'
}

# gross FUNCTION N: the median time of FUNCTION in N-instruction admitted
# loads, the tracer's own cost included; "-" if FUNCTION never ran
gross() {
	traced "$1" -- gk-raw bench "$2" "$(reps "$2")" | awk '{ print $2 ? $3 : "-" }'
}


mount -t tracefs nodev "$T" 2>/dev/null || true
[ -w "$T/current_tracer" ] || { echo "bench: no tracefs at $T" >&2; exit 1; }
echo 1 >/proc/sys/kernel/bpf_stats_enabled
arm
# 6.1 decides at the fd, on a digest made in a kprobe on bpf_check: neither
# the statistics nor the tracer (ftrace does not trace what its own handlers
# call) see that part.  The same library code hashes the same bytes for
# AF_ALG's "sha256-generic": timed from user space, less the same calls
# hashing the first instruction alone.
bpftool -j prog show | jq -e 'any(.[]; .name == "gk_prog_load")' >/dev/null && kprobe=0 || kprobe=1
if [ "$kprobe" = 1 ] && [ "$crypto" != - ]; then
	for m in af_alg algif_hash; do
		grep -q "^$m " /proc/modules || insmod "$crypto/$m.ko"
	done
fi

# 1. Per decision: ROUNDS rounds of every size, admitted then refused.
for n in $sizes; do
	gk-raw bench "$n" 1 >/dev/null # warm up
done
for r in $(seq "$rounds"); do
	for n in $sizes; do
		cost "$(reps "$n")" bench "$n" "$(reps "$n")" >"$tmp/admitted.$n.$r"
		cost "$(reps "$n")" bench "$n" "$(reps "$n")" refused >"$tmp/refused.$n.$r"
	done
done
for n in $sizes; do
	if [ "$kprobe" = 1 ] && [ "$crypto" = - ]; then
		echo - >"$tmp/digest.$n"
	elif [ "$kprobe" = 1 ]; then
		gk-raw hash "$n" "$(reps "$n")" | awk '{ print $1 - $2 }' >"$tmp/digest.$n"
	else
		digest "$n" >"$tmp/digest.$n"
	fi
done

# 2. A bpf() command other than a load: the entry hook's time per call.
other=$(cost 1000 cmd 1000)

# 3. Lookups and registration: ~10, ~10,000 and ~100,000 signatures.
count() { awk '$1 == "signatures:" { print $2; exit }' /sys/kernel/security/gatekeeper/status; }
lookup() {
	local r
	for r in $(seq "$rounds"); do cost "$(reps 10)" bench 10 "$(reps 10)" | cut -d' ' -f1; done |
		median >"$tmp/lookup.$1"
	# the store's lookup alone, which the boot's drift moves far less
	gross gk_store_find 10 >"$tmp/find.$1"
	count >"$tmp/count.$1"
}
uptime_cs() { tr -d . </proc/uptime | cut -d' ' -f1; }
# the kernel's own memory: unreclaimable slab (the store's entries) and
# vmalloc (its hash table's buckets), once caches are dropped
mem() {
	sync
	echo 3 >/proc/sys/vm/drop_caches
	awk '$1 == "SUnreclaim:" || $1 == "VmallocUsed:" { s += $2 } END { print s * 1024 }' /proc/meminfo
}
if [ "$bundles" != - ]; then
	gkctl sig add "$bundles/small.bundle" >/dev/null
	lookup 10
	# busybox date has no %N: the uptime, in centiseconds
	t0=$(uptime_cs)
	for i in $(seq 1 40); do gkctl sig add "$bundles/$(printf %03d "$i").bundle" >/dev/null; done
	t1=$(uptime_cs)
	lookup 10000
	m0=$(mem)
	for i in $(seq 41 400); do gkctl sig add "$bundles/$(printf %03d "$i").bundle" >/dev/null; done
	m1=$(mem)
	lookup 100000
	# printed now, so that they outlast a crash of the tracing below
	for l in 10 10000 100000; do
		awk -v rel="$rel" -v c="$(cat "$tmp/count.$l")" -v t="$(cat "$tmp/lookup.$l")" \
			-v b="$(cat "$tmp/lookup.10")" -v f="$(cat "$tmp/find.$l")" -v fb="$(cat "$tmp/find.10")" 'BEGIN {
			fr = f == "-" || fb == "-" || fb <= 0 ? "-" : sprintf("%.3f", f / fb)
			printf "lookup | %s | %d | %.1f | %.3f | %s | %s |\n", rel, c, t / 1000, t / b, f, fr }'
	done
	awk -v rel="$rel" -v t="$((t1 - t0))" -v m="$((m1 - m0))" \
		-v n="$(($(cat "$tmp/count.100000") - $(cat "$tmp/count.10000")))" \
		'BEGIN { printf "register | %s | %.2f | %d |\n", rel, t / 100, m / n }'
fi

# 4. End to end, without the statistics (they cost each program run two
# clock reads): ROUNDS rounds of three states in turn, so that the boot's
# drift falls on all three alike: the module unloaded; two empty LSM
# programs ("r0 = 0; exit") on hooks the gate takes too, what any BPF LSM
# program costs a load; the module inserted and armed again.
echo 0 >/proc/sys/kernel/bpf_stats_enabled
mount -t bpf bpf /sys/fs/bpf 2>/dev/null || true
unload() {
	local i
	gkctl disarm >/dev/null
	for i in $(seq 50); do rmmod gatekeeper 2>/dev/null && break; sleep 0.2; done
	grep -q '^gatekeeper ' /proc/modules && { echo "bench: cannot unload the module" >&2; exit 1; }
	return 0
}
# e2e STATE: one run of each size and of the other command
e2e() {
	local n
	for n in $sizes; do gk-raw bench "$n" "$(reps "$n")" >>"$tmp/$1.$n"; done
	gk-raw cmd 1000 >>"$tmp/$1.cmd"
}
# copy STATE: per size, the median time the JIT takes to copy a load's
# image into the executable program pack (bpf_arch_text_copy())
copy() {
	local n
	for n in $sizes; do gross bpf_arch_text_copy "$n" >"$tmp/copy.$1.$n"; done
}
unload
for r in $(seq "$rounds"); do
	e2e off
	[ "$r" = 1 ] && copy off
	gk-hook attach lsm bpf_lsm_bpf 0 /sys/fs/bpf/gk_bench_enter >/dev/null
	gk-hook attach lsm bpf_lsm_bpf_prog 0 /sys/fs/bpf/gk_bench_fd >/dev/null
	e2e empty
	[ "$r" = 1 ] && copy empty
	rm /sys/fs/bpf/gk_bench_enter /sys/fs/bpf/gk_bench_fd
	insmod /gk/gatekeeper.ko watch_interval=0
	arm
	e2e on
	[ "$r" = 1 ] && copy on
	unload
done

for n in $sizes; do
	for how in admitted refused; do
		for r in $(seq "$rounds"); do cut -d' ' -f1 "$tmp/$how.$n.$r"; done >"$tmp/runs"
		dec=$(median <"$tmp/runs")
		# the median absolute deviation, in % of the median
		spread=$(awk -v m="$dec" '{ d = $1 - m; print d < 0 ? -d : d }' "$tmp/runs" | median |
			awk -v m="$dec" '{ printf "%.1f", m ? 100 * $1 / m : 0 }')
		dig=$(cat "$tmp/digest.$n")
		[ "$kprobe" = 1 ] && [ "$dig" != - ] && [ "$dig" -gt 0 ] && dec=$((dec + dig))
		# each program's median over the rounds, in µs
		detail=$(cat "$tmp/$how.$n".* | tr ' ' '\n' | awk -F= 'NF == 2 { print $1, $2 }' | sort -k1,1 -k2n |
			awk '{ v[$1] = v[$1] " " $2 } END { for (p in v) { n = split(v[p], a, " ");
				printf "%s %.1f\n", p, a[int((n + 1) / 2)] / 1000 } }' | sort | paste -sd, - | sed 's/,/, /g')
		if [ "$how" = admitted ]; then
			e2e=$(awk -v on="$(median <"$tmp/on.$n")" -v off="$(median <"$tmp/off.$n")" \
				'BEGIN { printf "%.3f", on / off }')
		else
			e2e=-
		fi
		awk -v rel="$rel" -v n="$n" -v how="$how" -v dec="$dec" -v spread="$spread" -v dig="$dig" \
			-v detail="$detail" -v e2e="$e2e" -v kp="$kprobe" 'BEGIN {
			if (dig == "-") { ratio = "-"; fixed = "-"; d = "-" }
			# at 10 instructions the digest can be below what the tracer tells apart
			else if (dig <= 0) { ratio = "-"; fixed = sprintf("%.1f", dec / 1000); d = "~0" }
			else { d = sprintf("%.1f", dig / 1000); ratio = sprintf("%.2f", dec / dig); fixed = sprintf("%.1f", (dec - dig) / 1000) }
			if (kp) detail = detail ", digest in kprobe, as AF_ALG hashes it, " d
			printf "decision | %s | %s | %s | %.1f | %s %% | %s | %s | %s | %s | %s |\n",
				rel, n, how, dec / 1000, spread, d, ratio, fixed, e2e, detail }'
	done
done
for n in $sizes; do
	awk -v rel="$rel" -v n="$n" -v off="$(median <"$tmp/off.$n")" -v empty="$(median <"$tmp/empty.$n")" \
		-v on="$(median <"$tmp/on.$n")" -v c0="$(cat "$tmp/copy.off.$n")" -v c1="$(cat "$tmp/copy.empty.$n")" \
		-v c2="$(cat "$tmp/copy.on.$n")" '
		function us(t) { return t == "-" ? t : sprintf("%.1f", t / 1000) }
		BEGIN { printf "e2e | %s | %s | %s | %s | %s | %s | %s | %s |\n",
			rel, n, us(off), us(empty), us(on), us(c0), us(c1), us(c2) }'
done
o_hook=${other%% *}
awk -v rel="$rel" -v t="$o_hook" -v w="$(median <"$tmp/on.cmd")" -v e="$(median <"$tmp/empty.cmd")" \
	-v o="$(median <"$tmp/off.cmd")" 'BEGIN { printf "other | %s | %.2f | %.2f | %.2f | %.2f | %.3f |\n",
		rel, t / 1000, w / 1000, e / 1000, o / 1000, w / o }'
