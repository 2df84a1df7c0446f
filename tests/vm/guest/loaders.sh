#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# Third-party eBPF software on a real kernel, as an operator meets it:
# Debian bookworm's libbpf-tools, bpftrace and xdp-tools, and trixie's
# bpftool and libbpf-tools (libbpf 1.5), extracted from their .debs into the
# guest by tests/vm/fetch-tools, run inside the VM
# (tests/vm/run --tree) with gatekeeper.ko inserted in enforce mode with
# admin_cert=KEYDIR/admin.der.
#   loaders.sh KEYDIR
#
# Unsigned, each tool fails and the gate's log names its program; after
# "gkctl learn", "gk-sign --request" and "gkctl sig add", each loads and
# reports an event the test triggers.  bpftrace runs through a signed policy
# rule that admits its unsigned programs by application identity, while the
# libbpf-tools stay refused under that policy.  A tool that fails after
# signing is run again with the gate disarmed: if it fails there too, the
# failure is its own on this kernel (SKIP, with its message).
set -u
. "$(dirname "$0")/../../lib.sh"

keys=${1:?usage: loaders.sh KEYDIR}
fs=/sys/kernel/security/gatekeeper
tmp=$(mktemp -d)
release=$(uname -r)
EPERM=1

# NAME|COMMAND|TRIGGER|PATTERN: the tool's command line (run under timeout),
# a shell command repeated while it runs, and what its output must show.
tools=(
	"execsnoop|execsnoop|/bin/true gk-exec-mark|gk-exec-mark"
	"opensnoop|opensnoop|cat /tmp/gk-open-mark|gk-open-mark"
	"bindsnoop|bindsnoop|timeout 1 nc -l -p 4242|4242"
	"solisten|solisten|timeout 1 nc -l -p 4243|4243"
	"capable|capable|chown 0 /tmp/gk-open-mark|CAP_"
	"tcpconnect|tcpconnect|timeout 1 nc 127.0.0.1 4245|4245"
	"runqlat|runqlat 1 3|true|-> +[0-9]+ +: +[1-9]"
	"vfsstat|vfsstat 1 3|cat /tmp/gk-open-mark|^[0-9:]+ +[0-9]+ +[0-9]+ +[0-9]+ +[1-9]"
)
touch /tmp/gk-open-mark

# run_tool NAME SECONDS COMMAND TRIGGER: output in $tmp/NAME.out.  The
# tool gets SIGINT at the end, on which it prints what it buffered.
run_tool() {
	local name=$1 secs=$2 cmd=$3 trigger=$4 trig
	(while :; do sh -c "$trigger" >/dev/null 2>&1; sleep 1; done) 2>/dev/null &
	trig=$!
	{ timeout -s INT "$secs" $cmd >"$tmp/$name.out" 2>&1; } 2>/dev/null
	kill $trig 2>/dev/null
	wait $trig 2>/dev/null
	return 0
}

# run_all SECONDS: every tool once, in turn.
run_all() {
	local t name cmd trigger pattern
	for t in "${tools[@]}"; do
		IFS='|' read -r name cmd trigger pattern <<<"$t"
		run_tool "$name" "$1" "$cmd" "$trigger"
	done
}

# The tool's output shows its event.
shows_event() {
	grep -qE -e "$2" "$tmp/$1.out"
}

# xdp_works: xdp-filter attaches through libxdp's dispatcher (an freplace
# program) and counts the packets it drops for a port.
xdp_works() {
	local ok=1
	if xdp-filter load -m skb lo >"$tmp/xdp-filter.out" 2>&1 &&
		xdp-filter port 4244 >>"$tmp/xdp-filter.out" 2>&1; then
		timeout 3 nc 127.0.0.1 4244 </dev/null >/dev/null 2>&1
		xdp-filter status >>"$tmp/xdp-filter.out" 2>&1
		# The port's line counts what it dropped: the SYN and its retries.
		grep -E '^ *4244 ' "$tmp/xdp-filter.out" | grep -qvE ' 0 pkts' && ok=0
	fi
	xdp-filter unload lo >/dev/null 2>&1
	return $ok
}

# Called by gkctl learn below, as a workload: every tool twice, as the
# README says to learn, so that settings a tool makes differently on each
# run (capable puts its own PID in .rodata) are seen to vary and left
# unbound, while the rest of its .rodata is bound.
if [ "${GK_LOADERS_WORKLOAD:-}" = 1 ]; then
	tmp=$GK_LOADERS_TMP
	run_all 12
	run_all 8
	xdp_works
	exit 0
fi

echo "# kernel $release; $(execsnoop --version 2>&1 | head -n 1); $(bpftrace --version 2>&1); $(xdp-filter --help 2>&1 | head -n 1)"
gk_check "gate armed" -- gkctl status
gk_check "publisher CA added" -- gkctl key add "$keys/ca.pem"

# --- unsigned: each tool refused, and the log says which program ---------
run_all 20
for t in "${tools[@]}"; do
	IFS='|' read -r name cmd trigger pattern <<<"$t"
	if shows_event "$name" "$pattern"; then
		gk_not_ok "$name unsigned: it worked although nothing is signed"
	else
		gk_ok "$name unsigned: refused ($(grep -m1 -iE 'fail|error|denied|permit' "$tmp/$name.out" | cut -c1-100))"
	fi
	gk_check "  the gate's log names $name's own program, the loader and the fix" -- \
		grep -qE "action=deny prog=\"[^\"]+\" .*comm=\"$name\" .*reason=\"no registered signature\" .*fix=\"learn it" $fs/log
done
last_seq() { tail -n 1 $fs/log | sed -n 's/^seq=\([0-9]*\) .*/\1/p'; }
before=$(last_seq)
gk_check "xdp-filter unsigned: refused" -- sh -c "! xdp-filter load -m skb lo"
gk_check "  the gate's log names its program" -- \
	grep -qE 'action=deny prog="[^"]+" .*comm="xdp-filter" .*reason="no registered signature"' $fs/log
lines=$(( $(last_seq) - before ))
gk_check "  its retries did not flood the log: $lines lines (identical refusals are counted)" -- test "$lines" -le 20

# --- learn, sign, register: at most the operator's documented commands ---
GK_LOADERS_WORKLOAD=1 GK_LOADERS_TMP=$tmp \
	gkctl learn -t 600 -o "$tmp/req.json" -- "$0" "$keys" 2>"$tmp/learn.err"
rc=$?
sed 's/^/    /' "$tmp/learn.err"
gk_expect 0 "gkctl learn ran the workload and wrote a request" -- test "$rc" = 0 -a -s "$tmp/req.json"
gk_check "  it said it ran in audit mode, and for how long" -- \
	grep -q 'learning for at most 600 s in AUDIT mode (was enforce)' "$tmp/learn.err"
gk_check "  the mode is enforce again" -- grep -qx 'mode: enforce' $fs/status
gk_check "  the request is for this kernel, with names from BTF (longer than the kernel's 15 characters)" -- \
	sh -c "jq -e --arg r '$release' '.kernel == \$r and ([.programs[].name | length] | max) > 15' $tmp/req.json"
gk_check "  every entry names its loader by path and SHA-256" -- \
	jq -e '[.programs[] | select(.loader == null or .loader_sha256 == null)] | length == 0' "$tmp/req.json"
gk_check "  no loader probe outside the catalogue: libbpf's and libbpf-tools' (unnamed, or \"test\") are in it" -- \
	jq -e '[.programs[] | select((.name | startswith("prog_")) or .name == "test")] | length == 0' "$tmp/req.json"
gk_check "  capable's .rodata (its own PID) varied between the runs: marked, not bound" -- \
	jq -e '[.programs[] | select(.loader | endswith("/capable")) | .varies] | any(. == ["maps"])' "$tmp/req.json"
gk_check "  execsnoop's .rodata was the same on both runs: bound" -- \
	jq -e '[.programs[] | select(.loader | endswith("/execsnoop")) | .maps.bound | length] | any(. > 0)' "$tmp/req.json"
gk_check "gk-sign --request signs it for this release, listing each entry" -- \
	sh -c "gk-sign --key $keys/signer.key --cert $keys/signer.pem --request $tmp/req.json -o $tmp/tools.bundle 2>$tmp/sign.err &&
	       test \$(grep -c ' (type ' $tmp/sign.err) = \$(jq '.programs | length' $tmp/req.json)"
gk_check "gkctl sig add registers the bundle" -- gkctl sig add "$tmp/tools.bundle"
gk_check "  registering it again succeeds and says so (provisioning is idempotent)" -- \
	sh -c "gkctl sig add $tmp/tools.bundle | grep -q '^0 registered, [1-9][0-9]* already registered'"

# --- signed: each tool works in enforce mode ------------------------------
failed=()
run_all 15
for t in "${tools[@]}"; do
	IFS='|' read -r name cmd trigger pattern <<<"$t"
	if shows_event "$name" "$pattern"; then
		gk_ok "$name signed: loads in enforce mode and reports the triggered event"
	else
		failed+=("$t")
	fi
done
if xdp_works; then
	gk_ok "xdp-filter signed: loads through libxdp's dispatcher (freplace) and drops the triggered packets"
else
	failed+=("xdp-filter|xdp_works||")
fi

# --- trixie's libbpf 1.5: bpftool 7.5 and libbpf-tools 0.31 -----------------
# Run through trixie's own C library (tests/vm/fetch-tools, /opt/trixie).
T=/opt/trixie/bin
progs=$(cd "$(dirname "$0")/../../progs" && pwd)
trixie_workload="$T/bpftool prog load $progs/minimal.bpf.o /sys/fs/bpf/gk_trixie; rm -f /sys/fs/bpf/gk_trixie
	timeout -s INT 12 $T/execsnoop-libbpf >/dev/null"
gkctl learn -t 300 -o "$tmp/trixie.json" -- sh -c "$trixie_workload" 2>"$tmp/trixie.err"
gk_check "trixie's libbpf 1.5 sends no probe outside the catalogue: only the objects' own programs are learnt" -- \
	jq -e '([.programs[].name] | index("gk_minimal")) != null and (.programs | length) >= 3 and
		([.programs[] | select((.name | startswith("prog_")) or .name == "test")] | length) == 0' "$tmp/trixie.json"
jq -r '.programs[] | "    learnt: \(.name) (\(.prog_type))"' "$tmp/trixie.json" 2>/dev/null
gk_check "  signed and registered" -- \
	sh -c "gk-sign --key $keys/signer.key --cert $keys/signer.pem --request $tmp/trixie.json -o $tmp/trixie.bundle 2>/dev/null &&
	       gkctl sig add $tmp/trixie.bundle"
gk_check "  trixie's bpftool loads the signed object in enforce mode" -- \
	sh -c "$T/bpftool prog load $progs/minimal.bpf.o /sys/fs/bpf/gk_trixie && rm /sys/fs/bpf/gk_trixie"
run_tool execsnoop-trixie 15 "$T/execsnoop-libbpf" "/bin/true gk-trixie-mark"
if shows_event execsnoop-trixie gk-trixie-mark; then
	gk_ok "  trixie's execsnoop loads in enforce mode and reports the triggered event"
else
	failed+=("execsnoop-trixie|$T/execsnoop-libbpf|/bin/true gk-trixie-mark|gk-trixie-mark")
fi

# --- bpftrace's feature probes: every one in the catalogue ----------------
# "bpftrace --info" runs each of bpftrace's feature tests; in audit mode
# every program it loads must be a catalogue entry (on 6.9+ the gate sees
# them before the verifier, the refused ones included).
seq0=$(last_seq)
gkctl learn -t 300 -o "$tmp/bpftrace.json" -- sh -c 'bpftrace --info >"$0" 2>&1' "$tmp/bpftrace-info.out" 2>/dev/null
# bpftrace's decisions since then; all_probes: there are some, and each
# admitted a catalogue probe.
since_seq0() { awk -v s="$seq0" '{ n = $1; sub(/^seq=/, "", n) } n + 0 > s' $fs/log | grep 'comm="bpftrace"'; }
all_probes() { since_seq0 | grep -q . && ! since_seq0 | grep -v 'reason="loader probe '; }
gk_check "bpftrace --info ran its feature tests" -- grep -q '^  kprobe_multi: ' "$tmp/bpftrace-info.out"
gk_check "  each program it loaded is a catalogue probe, logged as such ($(since_seq0 | wc -l) decisions)" -- all_probes
gk_check "  at least ten of bpftrace's own entries among them" -- \
	test "$(since_seq0 | grep -o 'reason="loader probe bpftrace-[a-z-]*' | sort -u | wc -l)" -ge 10
gk_check "  and nothing was learnt" -- jq -e '.programs | length == 0' "$tmp/bpftrace.json"
run_tool bpftrace-unsigned 60 'bpftrace -e kprobe:do_nanosleep{printf("nap-%s\n",comm);exit();}' 'sleep 0.1'
if shows_event bpftrace-unsigned nap-; then
	gk_not_ok "bpftrace unsigned: its one-liner ran although nothing admits it"
else
	gk_ok "bpftrace unsigned: refused ($(grep -m1 -iE 'error|fail' "$tmp/bpftrace-unsigned.out" | cut -c1-100))"
fi
gk_check "  the gate's log names its program, bpftrace and the fix" -- \
	grep -qE 'action=deny prog="do_nanosleep" .*comm="bpftrace" .*reason="no registered signature" .*fix="learn it' $fs/log

# --- bpftrace: admitted by application identity, libbpf-tools refused -----
fpr=$(gkctl key fingerprint "$keys/ca.pem")
bt=$(command -v bpftrace)
cat >"$tmp/loaders.pol" <<EOT
policy loaders version 1
default deny
mode enforce
publisher test key $fpr
allow publisher test
allow unsigned app $bt sha256 $(sha256sum "$bt" | cut -d' ' -f1) type kprobe,tracepoint
EOT
gk_check "policy: the test publisher's programs, and bpftrace's unsigned kprobe and tracepoint programs by identity" -- \
	sh -c "gkctl policy sign --key $keys/admin.key --cert $keys/admin.pem -o $tmp/loaders.pol.signed $tmp/loaders.pol &&
	       gkctl policy load $tmp/loaders.pol.signed"
bpftrace_tools=(
	'bpftrace-tp|bpftrace -e tracepoint:syscalls:sys_enter_execve{printf("exec-%s\n",str(args->filename));exit();}|/bin/true|exec-/'
	'bpftrace-kp|bpftrace -e kprobe:do_nanosleep{printf("nap-%s\n",comm);exit();}|sleep 0.1|nap-'
)
for t in "${bpftrace_tools[@]}"; do
	IFS='|' read -r name cmd trigger pattern <<<"$t"
	run_tool "$name" 120 "$cmd" "$trigger"
	if shows_event "$name" "$pattern"; then
		gk_ok "$name: the one-liner runs under the policy rule and sees the triggered event"
	else
		failed+=("$t")
	fi
done
gk_check "  bpftrace's programs were admitted by the app rule (rule 2)" -- \
	grep -qE "action=allow .*comm=\"bpftrace\" .*rule=2 " $fs/log
run_tool execsnoop-policy 15 execsnoop "/bin/true gk-policy-mark"
gk_check "a signed libbpf tool still works under the policy (rule 1)" -- \
	shows_event execsnoop-policy gk-policy-mark
run_tool exitsnoop 15 exitsnoop true
gk_check "an unsigned libbpf tool stays refused under the policy: the bpftrace rule is bpftrace's alone" -- \
	grep -qE 'action=deny prog="[^"]+" .*comm="exitsnoop" .*rule=0 ' $fs/log

# --- failures of the tools' own: checked with the gate out of the way -----
if [ ${#failed[@]} -gt 0 ]; then
	gk_check "gate disarmed, to tell the tools' own failures from the gate's" -- gkctl disarm
	for t in "${failed[@]}"; do
		IFS='|' read -r name cmd trigger pattern <<<"$t"
		cp "$tmp/$name.out" "$tmp/$name.gated"
		if [ "$name" = xdp-filter ]; then
			xdp_works && own=0 || own=1
		else
			run_tool "$name" 120 "$cmd" "$trigger"
			shows_event "$name" "$pattern" && own=0 || own=1
		fi
		if [ $own = 1 ]; then
			gk_skipped "$name on $release fails without the gate as well: $(grep -m1 -iE 'fail|error' "$tmp/$name.out" | cut -c1-120)"
			sed 's/^/    | /' "$tmp/$name.out" | head -n 8
		else
			gk_not_ok "$name on $release works without the gate but not with it, signed"
			sed 's/^/    | /' "$tmp/$name.gated" | head -n 15
			grep -E "comm=\"${name%%-*}" $fs/log | tail -n 5 | sed 's/^/    log| /'
		fi
	done
fi
gk_summary
