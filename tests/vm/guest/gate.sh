#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# The gate on a real kernel: runs inside the VM (tests/vm/run), as root, with
# gatekeeper.ko freshly inserted in enforce mode.
#   gate.sh KEYDIR PROGDIR
set -u
. "$(dirname "$0")/../../lib.sh"

keys=${1:?usage: gate.sh KEYDIR PROGDIR}
progs=${2:?}
fs=/sys/kernel/security/gatekeeper
tmp=$(mktemp -d)
release=$(uname -r)
EPERM=1 ESRCH=3 EEXIST=17 EXDEV=18 EINVAL=22 EFBIG=27 EBADMSG=74 ENOKEY=126 EKEYREJECTED=129

sign() { gk-sign --key "$keys/signer.key" --cert "$keys/signer.pem" "$@"; }
sign_raw() { sign --name gk_raw --digest-hex "$(gk-raw digest "$1")" -o "$2"; }
sigs_snapshot() { cat "$fs/signatures"; grep '^signatures:' "$fs/status"; }

echo "# kernel $release, hook: $(sed -n 's/^hook: //p' $fs/status)"
gk_check "gate is armed (gkctl status)" -- gkctl status
gk_check "status: the module's version (MODULE_VERSION) is gkctl's, shown without a warning" -- \
	sh -c "v=\$(cat /sys/module/gatekeeper/version) && [ \"\$v\" = \"\$(gkctl --version | cut -d' ' -f2)\" ] &&
		gkctl status 2>$tmp/status.err | grep -qx \"module_version: \$v\" && [ ! -s $tmp/status.err ] &&
		gkctl --json status | jq -e '.version_mismatch == false' >/dev/null"
gk_check "publisher CA added to the .gatekeeper keyring" -- gkctl key add "$keys/ca.pem"

# --- loader feature probes: the catalogue -------------------------------------
# Before loading an object, libbpf loads small programs of its own to probe
# the kernel; the reviewed catalogue admits exactly those (docs/probes.md).
gk_check "status: the probe catalogue is trusted by default" -- grep -qx 'probes: trusted' $fs/status
sign -o "$tmp/minimal.bundle" "$progs/minimal.bpf.o"
gk_check "bundle for minimal.bpf.o registered, and gkctl says so" -- \
	sh -c "gkctl sig add $tmp/minimal.bundle | grep -qx '1 registered, 0 already registered, 0 made confidential'"
gk_check "bpftool prog load of a signed object works with no learning step" -- \
	bpftool prog load "$progs/minimal.bpf.o" /sys/fs/bpf/minimal
gk_check "  libbpf's probes were admitted from the catalogue, and logged as such" -- \
	grep -q 'action=allow .*reason="loader probe libbpf-trivial (catalogue)"' $fs/log
rm -f /sys/fs/bpf/minimal
gk_check "audit mode, to see everything loaders send" -- gkctl mode audit
gk-load "$progs/maps.bpf.o" >/dev/null 2>&1
bpftool prog loadall "$progs/kprobe.bpf.o" /sys/fs/bpf/kp >/dev/null 2>&1
rm -rf /sys/fs/bpf/kp
gk_check "back to enforce mode" -- gkctl mode enforce
own=$({ gk-sign --digest "$progs/maps.bpf.o"; gk-sign --digest "$progs/kprobe.bpf.o"; } | cut -f1)
unlisted=$(sed -n 's/.* action=audit-deny .* digest=\([0-9a-f]*\) .*/\1/p' $fs/log | sort -u | grep -vxF "$own")
gk_check "libbpf and bpftool send no probe outside the catalogue (only the objects' own programs were unsigned)" -- \
	test -z "$unlisted"
gk_expect $EPERM "a program one instruction away from a catalogue entry is refused" -- gk-raw load 2
gk_check "the catalogue can be refused" -- sh -c "echo 0 > $fs/probes && grep -qx 'probes: refused' $fs/status"
gk_expect 255 "  then libbpf cannot load even a signed object" -- bpftool prog load "$progs/minimal.bpf.o" /sys/fs/bpf/minimal
gk_check "  and the log names the refused probe" -- \
	sh -c "tail -n 1 $fs/log | grep -q 'action=deny prog=\"\" .*reason=\"no registered signature\"'"
gk_check "the catalogue trusted again" -- sh -c "echo 1 > $fs/probes && grep -qx 'probes: trusted' $fs/status"

# --- admission ---------------------------------------------------------
gk_check "signed program admitted (libbpf)" -- gk-load "$progs/minimal.bpf.o"
gk_expect $EPERM "unsigned freplace program refused" -- gk-load --target "$progs/minimal.bpf.o" "$progs/freplace.bpf.o"
sign -o "$tmp/freplace.bundle" "$progs/freplace.bpf.o"
gk_check "freplace object signed offline by gk-sign, and registered" -- gkctl sig add "$tmp/freplace.bundle"
gk_check "  it replaces the function of a signed program (libbpf, attach target given at load)" -- \
	gk-load --target "$progs/minimal.bpf.o" "$progs/freplace.bpf.o"

# --- the attach target a signature binds (manifest version 2) ------------------
gk_check "gk-sign binds the attach target each section fixes, and says so" -- \
	sh -c "gk-sign --key $keys/signer.key --cert $keys/signer.pem -o $tmp/attach.bundle $progs/attach.bpf.o 2>$tmp/attach.err &&
		grep -qx 'gk-sign: gk_fentry: bound to attach target vmlinux:do_nanosleep' $tmp/attach.err &&
		grep -qx 'gk-sign: gk_lsm: bound to attach target vmlinux:bpf_lsm_file_open' $tmp/attach.err"
gk_check "  gk-sign says a kprobe's target is not bound" -- \
	sh -c "gk-sign --key $keys/signer.key --cert $keys/signer.pem -o $tmp/kprobe-unused.bundle $progs/kprobe.bpf.o 2>&1 | grep -q 'gk_kprobe (SEC \"kprobe/do_nanosleep\"): its target is not fixed at load'"
gk_check "bundle with attach targets registered; gkctl sig list --json shows them" -- \
	sh -c "gkctl sig add $tmp/attach.bundle >/dev/null &&
		gkctl --json sig list | jq -e '[.[] | select(.name == \"gk_fentry\" or .name == \"gk_lsm\") | .attach] | sort == [\"vmlinux:bpf_lsm_file_open\", \"vmlinux:do_nanosleep\"]' >/dev/null"
gk_check "fentry and LSM programs aimed where they were signed for are admitted" -- gk-load "$progs/attach.bpf.o"
gk_check "  loaded and pinned, gkctl prog list shows the target each is bound to" -- \
	sh -c "bpftool prog loadall $progs/attach.bpf.o /sys/fs/bpf/att &&
		gkctl --json prog list | jq -e '[.[] | select(.name == \"gk_fentry\" or .name == \"gk_lsm\") | .attach] | sort == [\"vmlinux:bpf_lsm_file_open\", \"vmlinux:do_nanosleep\"]' >/dev/null &&
		gkctl prog list | grep -q 'gk_fentry.*(bound to vmlinux:do_nanosleep)'"
rm -rf /sys/fs/bpf/att
gk_expect $EPERM "the fentry program aimed at another function is refused" -- \
	gk-load --attach-to gk_fentry=hrtimer_nanosleep "$progs/attach.bpf.o"
gk_check "  the log names both targets and the fix" -- \
	grep -q 'action=deny .*prog="gk_fentry".*reason="aimed at vmlinux:hrtimer_nanosleep, signed for vmlinux:do_nanosleep" .*fix="aim it where its publisher signed it' $fs/log
gk_expect $EPERM "the LSM program aimed at another hook is refused" -- \
	gk-load --attach-to gk_lsm=file_permission "$progs/attach.bpf.o"
gk_check "audit mode admits the retargeted program and logs audit-deny" -- \
	sh -c "gkctl mode audit && gk-load --attach-to gk_fentry=hrtimer_nanosleep $progs/attach.bpf.o &&
		grep -q 'action=audit-deny .*reason=\"aimed at vmlinux:hrtimer_nanosleep' $fs/log"
gk_check "back to enforce mode" -- gkctl mode enforce
sign_raw_to() { sign --name gk_raw --digest-hex "$(gk-raw digest "$1")" --attach "$2" -o "$3" 2>/dev/null; }
gk_check "a socket filter signed with an attach target" -- sign_raw_to 31 vmlinux:do_nanosleep "$tmp/raw31.bundle"
gk_check "  registered" -- gkctl sig add "$tmp/raw31.bundle"
gk_expect $EPERM "  it is refused: a socket filter has no target a manifest can bind" -- gk-raw load 31
gk_check "  and the log says so" -- grep -q 'reason="aimed at a target no manifest can bind, signed for vmlinux:do_nanosleep"' $fs/log

sign --publisher acme --source https://git.acme.example/agent -o "$tmp/maps.bundle" "$progs/maps.bpf.o"
gk_check "bundle for maps.bpf.o (maps, .rodata/.data/.bss, subprograms, two programs in one section) registered" -- gkctl sig add "$tmp/maps.bundle"
for i in 1 2 3; do
	gk_check "program with maps admitted on load $i (fds normalised)" -- gk-load "$progs/maps.bpf.o"
done

# --- read-only data: what the signature binds beyond the instructions --------
gk_check "gk-sign bound each program to its 5 maps and the contents of .rodata" -- \
	sh -c "gkctl --json sig list | jq -e '[.[] | select(.name | startswith(\"gk_maps_\")) | .maps | test(\"^5:[01]=[0-9a-f]{64}\$\")] == [true, true]' >/dev/null"
gk_expect $EPERM "a signed program loaded with a .rodata setting changed is refused" -- \
	gk-load --set gk_snaplen=1500 "$progs/maps.bpf.o"
gk_check "  the log names the map and what to do" -- \
	grep -q 'reason="read-only data of its map [01] (maps.rodata) differs from what was signed".* fix="load it with the read-only data its publisher signed' $fs/log
gk_check "  admitted in audit mode, as audit-deny" -- \
	sh -c "gkctl mode audit && gk-load --set gk_snaplen=1500 $progs/maps.bpf.o && gkctl mode enforce &&
		tail -n 1 $fs/log | grep -q 'action=audit-deny .*read-only data of its map'"
gk_expect $EPERM "one map of the loader's given for both .data and .bss (4 maps, signed for 5) is refused" -- \
	gk-load --merge-data "$progs/maps.bpf.o"
gk_check "  the log says how many" -- grep -q 'reason="uses 4 maps, signed for 5"' $fs/log
gk_expect $EPERM ".rodata given as a map with the signed image but not frozen is refused" -- \
	gk-load --unfrozen "$progs/maps.bpf.o"
gk_check "  the log says why" -- \
	grep -q 'reason="its map [01] (gk_race) must be a frozen array read-only to programs, of at most 4 MiB"' $fs/log
gk_check "the .rodata map swapped by a racing thread during 40 loads: never admitted with the other contents" -- \
	sh -c "gk-load --race-rodata 40 $progs/maps.bpf.o >$tmp/race.out && grep -Eq 'with-other-data 0 refused [1-9]' $tmp/race.out"
sed 's/^/# /' "$tmp/race.out"
gk_expect 3 "  in audit mode the other contents get in: the check is what stops them" -- \
	sh -c "gkctl mode audit; gk-load --race-rodata 40 $progs/maps.bpf.o; e=\$?; gkctl mode enforce; exit \$e"
gk_check "a configured image (gk-sign --set gk_snaplen=1500) signed and registered in place of the default" -- \
	sh -c "gk-sign --key $keys/signer.key --cert $keys/signer.pem --set gk_snaplen=1500 -o $tmp/maps1500.bundle $progs/maps.bpf.o 2>$tmp/maps1500.err &&
		grep -q 'gk_maps_count: bound to 5 map(s), and the read-only data of:' $tmp/maps1500.err &&
		for d in \$(gk-sign --digest $progs/maps.bpf.o | cut -f1); do gkctl sig remove \$d || exit 1; done &&
		gkctl sig add $tmp/maps1500.bundle"
gk_check "  a loader setting gk_snaplen=1500 is admitted" -- gk-load --set gk_snaplen=1500 "$progs/maps.bpf.o"
gk_expect $EPERM "  the object's default image is refused now" -- gk-load "$progs/maps.bpf.o"
gk_check "signed with --no-maps (version 2 or 1 manifests), any contents are admitted" -- \
	sh -c "for d in \$(gk-sign --digest $progs/maps.bpf.o | cut -f1); do gkctl sig remove \$d || exit 1; done &&
		gk-sign --key $keys/signer.key --cert $keys/signer.pem --no-maps -o $tmp/mapsany.bundle $progs/maps.bpf.o 2>/dev/null && gkctl sig add $tmp/mapsany.bundle &&
		gk-load $progs/maps.bpf.o && gk-load --set gk_snaplen=7 $progs/maps.bpf.o"

gk_expect $EPERM "unsigned kprobe program denied" -- gk-load "$progs/kprobe.bpf.o"
sign -o "$tmp/pinned.bundle" "$progs/pinned.bpf.o"
gk_check "object with a map pinned by name signed and registered" -- gkctl sig add "$tmp/pinned.bundle"
gk_check "  bpftool loads it, libbpf pinning the map" -- \
	sh -c "bpftool prog load $progs/pinned.bpf.o /sys/fs/bpf/pinned && test -e /sys/fs/bpf/gk_pinned_count"
rm -f /sys/fs/bpf/pinned /sys/fs/bpf/gk_pinned_count

# --- CO-RE: instructions that depend on this kernel, signed for its release ---
gk_expect $EPERM "unsigned CO-RE object refused" -- gk-load "$progs/core.bpf.o"
gk_check "gk-sign refuses to sign it offline (exit 1) and says how to" -- \
	sh -c "gk-sign --digest $progs/core.bpf.o >$tmp/core.out 2>&1; [ \$? = 1 ] && grep -q 'gkctl learn -o REQUEST -- LOADER' $tmp/core.out"
gk_check "gkctl learn records what libbpf produced for this kernel" -- \
	gkctl learn -t 120 -o "$tmp/core.json" -- gk-load "$progs/core.bpf.o"
gk_check "  one program, by its BTF name, for this release" -- \
	jq -e --arg r "$release" '.kernel == $r and (.programs | length) == 1 and .programs[0].name == "gk_core"' "$tmp/core.json"
gk_check "  signed for this release (gk-sign --request) and registered" -- \
	sh -c "gk-sign --key $keys/signer.key --cert $keys/signer.pem --request $tmp/core.json -o $tmp/core.bundle 2>/dev/null &&
	       gkctl sig add $tmp/core.bundle"
gk_check "the CO-RE object loads in enforce mode" -- gk-load "$progs/core.bpf.o"

# --- learning what a signature must bind: attach targets, maps, .rodata ------
for d in $(gk-sign --digest "$progs/maps.bpf.o" | cut -f1) $(gk-sign --digest "$progs/attach.bpf.o" | cut -f1); do
	gkctl sig remove "$d" >/dev/null
done
printf '#!/bin/sh\ngk-load --set gk_snaplen=1500 %s && gk-load %s\n' "$progs/maps.bpf.o" "$progs/attach.bpf.o" >"$tmp/loader"
chmod +x "$tmp/loader"
rodata1500=$(gk-sign --json --digest --set gk_snaplen=1500 "$progs/maps.bpf.o" | jq -r '.[0].maps.bound[0].sha256')
gk_check "gkctl learn records what each program was loaded with (attach target, maps, .rodata)" -- \
	gkctl learn -t 120 -o "$tmp/bound.json" -- "$tmp/loader"
# (attach.bpf.o's gk_fentry is libbpf's trivial fentry probe: the catalogue admits it.)
gk_check "  the LSM program's target" -- \
	jq -e '[.programs[] | select(.name == "gk_lsm") | .attach] == ["vmlinux:bpf_lsm_file_open"]' "$tmp/bound.json"
gk_check "  the configured .rodata image the loader set, as gk-sign --set digests it" -- \
	jq -e --arg r "$rodata1500" '[.programs[] | select(.name == "gk_maps_count") | .maps] == [{"count": 5, "bound": [{"slot": 0, "sha256": $r}]}]' "$tmp/bound.json"
gk_check "  signed from the request (gk-sign says what it binds) and registered" -- \
	sh -c "gk-sign --key $keys/signer.key --cert $keys/signer.pem --request $tmp/bound.json -o $tmp/bound.bundle 2>$tmp/bound.err &&
		grep -q 'gk_lsm: bound to attach target vmlinux:bpf_lsm_file_open' $tmp/bound.err &&
		grep -q 'gk_maps_count: bound to 5 map(s), and the read-only data of:' $tmp/bound.err &&
		gkctl sig add $tmp/bound.bundle"
gk_check "  the loader is admitted as it was learnt" -- "$tmp/loader"
gk_expect $EPERM "  the object's default .rodata is refused" -- gk-load "$progs/maps.bpf.o"
gk_expect $EPERM "  the LSM program aimed at another hook is refused" -- \
	gk-load --attach-to gk_lsm=file_permission "$progs/attach.bpf.o"
for d in $(gk-sign --digest "$progs/maps.bpf.o" | cut -f1); do
	gkctl sig remove "$d" >/dev/null
done
printf '#!/bin/sh\ngk-load --set gk_snaplen=1500 %s && gk-load --set gk_snaplen=9 %s\n' "$progs/maps.bpf.o" "$progs/maps.bpf.o" >"$tmp/loader2"
chmod +x "$tmp/loader2"
gk_check "a program learnt with two .rodata images: the request says its maps vary, and binds none" -- \
	sh -c "gkctl learn -t 120 -o $tmp/vary.json -- $tmp/loader2 &&
		jq -e '[.programs[] | select(.name == \"gk_maps_count\") | [.varies, has(\"maps\")]] == [[[\"maps\"], false]]' $tmp/vary.json"
gk_check "  gk-sign signs it without binding its maps, and says so" -- \
	sh -c "gk-sign --key $keys/signer.key --cert $keys/signer.pem --request $tmp/vary.json -o $tmp/vary.bundle 2>$tmp/vary.err &&
		grep -q 'gk_maps_count was loaded with different maps or read-only data: its signature does not bind them' $tmp/vary.err &&
		gk-sign verify --cert $keys/ca.pem $tmp/vary.bundle | awk -F'\t' '\$3 == \"gk_maps_count\" && \$8 == \"-\" { ok = 1 } END { exit !ok }'"

# --- an extension bound to the program it replaces, by that program's digest ---
gkctl sig add "$tmp/vary.bundle" >/dev/null
for d in $(gk-sign --digest "$progs/freplace.bpf.o" | cut -f1); do
	gkctl sig remove "$d" >/dev/null
done
ext_target="prog_$(gk-sign --digest "$progs/minimal.bpf.o" | cut -f1):gk_minimal"
gk_check "gkctl learn records an freplace program's target: the function it replaces, by its program's digest" -- \
	sh -c "gkctl learn -t 120 -o $tmp/ext.json -- gk-load --target $progs/minimal.bpf.o $progs/freplace.bpf.o &&
		jq -e --arg t '$ext_target' '[.programs[] | select(.name == \"gk_replacement\") | .attach] == [\$t]' $tmp/ext.json"
gk_check "  signed from the request, bound to it, and registered" -- \
	sh -c "gk-sign --key $keys/signer.key --cert $keys/signer.pem --request $tmp/ext.json -o $tmp/ext.bundle 2>$tmp/ext.err &&
		grep -q 'gk_replacement: bound to attach target $ext_target' $tmp/ext.err && gkctl sig add $tmp/ext.bundle"
gk_check "  it replaces gk_minimal, and is attached to another copy of it (BPF_LINK_CREATE)" -- \
	gk-load --target "$progs/minimal.bpf.o" --link-to "$progs/minimal.bpf.o" "$progs/freplace.bpf.o"
gk_expect $EPERM "  loaded to replace a function of another program, it is refused" -- \
	gk-load --target "$progs/maps.bpf.o" --attach-to gk_replacement=gk_maps_count "$progs/freplace.bpf.o"
gk_check "    the log names both" -- \
	grep -qE "reason=\"aimed at prog_[0-9a-f]{64}:gk_maps_count, signed for $ext_target\"" $fs/log
gk_expect $EPERM "  attached to another program's function (BPF_LINK_CREATE with target_fd), it is refused" -- \
	gk-load --target "$progs/minimal.bpf.o" --link-to "$progs/maps.bpf.o" --link-func gk_maps_count "$progs/freplace.bpf.o"
gk_check "    the log names both" -- \
	grep -qE "reason=\"attached to prog_[0-9a-f]{64}:gk_maps_count, signed for $ext_target\"" $fs/log
gk_check "    in audit mode, both get in as audit-deny" -- \
	sh -c "gkctl mode audit && gk-load --target $progs/maps.bpf.o --attach-to gk_replacement=gk_maps_count $progs/freplace.bpf.o &&
		gk-load --target $progs/minimal.bpf.o --link-to $progs/maps.bpf.o --link-func gk_maps_count $progs/freplace.bpf.o &&
		gkctl mode enforce && grep -q 'action=audit-deny .*reason=\"aimed at prog_[0-9a-f]*:gk_maps_count, signed for' $fs/log &&
		grep -q 'action=audit-deny .*reason=\"attached to prog_[0-9a-f]*:gk_maps_count, signed for' $fs/log"

# --- struct_ops: bound to the kernel struct they were learnt for ------------
gk_check "gk-sign refuses a struct_ops object offline (its members are numbered per kernel) and says how to" -- \
	sh -c "gk-sign --digest $progs/structops.bpf.o >$tmp/so.out 2>&1; [ \$? = 1 ] && grep -q 'struct_ops programs of map gk_ca .*(gkctl learn -o REQUEST -- LOADER' $tmp/so.out"
gk_check "gkctl learn records each struct_ops program's struct and member" -- \
	sh -c "gkctl learn -t 120 -o $tmp/so.json -- gk-load $progs/structops.bpf.o &&
		jq -e '[.programs[] | select(.name | startswith(\"gk_\")) | .attach] | sort == [\"vmlinux:tcp_congestion_ops.ssthresh\", \"vmlinux:tcp_congestion_ops.undo_cwnd\"]' $tmp/so.json"
gk_check "  signed from the request, bound to them, and registered" -- \
	sh -c "gk-sign --key $keys/signer.key --cert $keys/signer.pem --request $tmp/so.json -o $tmp/so.bundle 2>$tmp/so.err &&
		grep -q 'gk_ssthresh: bound to attach target vmlinux:tcp_congestion_ops.ssthresh' $tmp/so.err && gkctl sig add $tmp/so.bundle"
gk_check "  the congestion control loads (libbpf)" -- gk-load "$progs/structops.bpf.o"
gk_expect $EPERM "  its ssthresh program loaded as the same member of another struct (bpf_dummy_ops) is refused" -- \
	gk-load --attach-to gk_ssthresh=bpf_dummy_ops "$progs/structops.bpf.o"
gk_check "    the log names both" -- \
	grep -qE 'action=deny .*prog="gk_ssthresh".*reason="aimed at vmlinux:bpf_dummy_ops\.[a-z_0-9]+, signed for vmlinux:tcp_congestion_ops\.ssthresh"' $fs/log
gk_check "    in audit mode it gets in, as audit-deny" -- \
	sh -c "gkctl mode audit && gk-load --attach-to gk_ssthresh=bpf_dummy_ops $progs/structops.bpf.o && gkctl mode enforce &&
		grep -q 'action=audit-deny .*reason=\"aimed at vmlinux:bpf_dummy_ops' $fs/log"

# --- a refusal the operator can act on, and a retrying loader ---------------
sleep 5	# a fresh interval of the kernel log's rate limit
gk-raw flood 20 >/dev/null
gk_check "20 identical refusals of one loader take one log line, counted" -- \
	sh -c "tail -n 1 $fs/log | grep -q 'prog=\"gk_raw\" .*fix=\"learn it (gkctl learn.* repeated=19\$'"
gk_check "  gkctl log --json shows the count" -- sh -c "gkctl --json log | tail -n 1 | grep -q '\"repeated\": *19'"
gk_check "  the kernel log names program, loader (comm, pid, exe), reason and fix, once" -- \
	sh -c "[ \$(dmesg | grep -c 'deny prog=gk_raw type=1 digest=$(gk-raw digest 9) comm=gk-raw pid=[0-9]* exe=$(readlink -f "$(command -v gk-raw)") reason=\"no registered signature\" fix=\"learn it (gkctl learn -o REQ -- LOADER)') = 1 ]"

sign_raw 3 "$tmp/raw3.bundle"
gk_check "bundle for the 3-instruction program registered" -- gkctl sig add "$tmp/raw3.bundle"
gk_check "signed raw program admitted" -- gk-raw load 3
gk_expect $EPERM "program signed for another program denied" -- gk-raw load 4
# Bits of the immediates keep the program valid, so the gate must refuse it.
for bit in 32 33 47 63 96 127; do
	gk_expect $EPERM "one-bit-tampered program (bit $bit) denied" -- gk-raw load 3 $bit
done
# An opcode bit makes it invalid: refused by the verifier too, which runs
# before the gate's decision on 6.1, so only "not admitted" is common.
gk_check "one-bit-tampered program (opcode bit 0) not admitted" -- sh -c '! gk-raw load 3 0'
# The largest program the verifier takes: hashed in the hook (6.1: with
# preemption off in the kprobe) without a soft lockup or RCU stall, which
# tests/vm/run would find in the kernel log.
sign_raw 1000000 "$tmp/raw1m.bundle"
gk_check "bundle for a 1,000,000-instruction program registered" -- gkctl sig add "$tmp/raw1m.bundle"
gk_check "  the signed 1,000,000-instruction program is admitted" -- gk-raw load 1000000
gk_expect $EPERM "  a 999,999-instruction one, unsigned, is refused" -- gk-raw load 999999


# --- keys ----------------------------------------------------------------
gk-sign --key "$keys/unknown-signer.key" --cert "$keys/unknown-signer.pem" \
	--name gk_raw --digest-hex "$(gk-raw digest 6)" -o "$tmp/unknown.bundle"
gk_expect $ENOKEY "bundle signed by an unknown key rejected with ENOKEY" -- gk-raw write "$tmp/unknown.bundle" $fs/signatures
gk_expect $EPERM "program signed by an unknown key denied" -- gk-raw load 6
gk_check "gkctl sig add fails and says to add the signer's certificate" -- \
	sh -c "gkctl sig add $tmp/unknown.bundle 2>$tmp/err; [ \$? = 1 ] && grep -q 'gkctl key add' $tmp/err"

# A manifest admits only while the key that vouched for it is in .gatekeeper.
ring=$(cat $fs/keyring)
old_keys=" $(keyctl rlist "$ring") "
new_key() { local id; for id in $(keyctl rlist "$ring"); do [[ $old_keys == *" $id "* ]] || echo "$id"; done; }
gk_check "a second publisher's CA added" -- gkctl key add "$keys/beta-ca.pem"
beta=$(new_key)
gk-sign --key "$keys/beta-signer.key" --cert "$keys/beta-signer.pem" \
	--name gk_raw --digest-hex "$(gk-raw digest 32)" -o "$tmp/beta32.bundle"
gk_check "  a program it vouches for registered and admitted" -- \
	sh -c "gkctl sig add $tmp/beta32.bundle >/dev/null && gk-raw load 32"
gk_check "  its key unlinked from .gatekeeper (keyctl unlink)" -- keyctl unlink "$beta" "$ring"
gk_expect $EPERM "  the program is refused at once" -- gk-raw load 32
gk_check "  the log says the key left the keyring, and what to do" -- \
	grep -q 'action=deny .*reason="the key that vouched for its signature is no longer in the .gatekeeper keyring".*fix="add the key again' $fs/log
gk_check "  the programs of the other publisher's key still load" -- gk-raw load 3
gk_check "  the key added again: admitted again" -- \
	sh -c "gkctl key add $keys/beta-ca.pem && gk-raw load 32"

# Removing signatures: by digest, by key; loaded programs show revoked.
gk_check "a signed program loaded and pinned: admitted in gkctl prog list" -- \
	sh -c "bpftool prog load $progs/minimal.bpf.o /sys/fs/bpf/minimal &&
		gkctl --json prog list | jq -e '.[] | select(.name == \"gk_minimal\") | .status == \"admitted\"' >/dev/null"
minimal=$(gk-sign --digest "$progs/minimal.bpf.o" | cut -f1)
gk_check "gkctl sig remove DIGEST unregisters it" -- \
	sh -c "gkctl sig remove $minimal | grep -qx '1 removed' && ! grep -q ^$minimal $fs/signatures"
gk_check "  the kernel log says so" -- sh -c "dmesg | grep -q 'signatures removed: digest $minimal removed=1'"
gk_check "  the loaded program shows revoked" -- \
	sh -c "gkctl --json prog list | jq -e '.[] | select(.name == \"gk_minimal\") | .status == \"revoked\"' >/dev/null"
gk_expect $EPERM "  the next load is refused" -- gk-load "$progs/minimal.bpf.o"
gk_expect 1 "  removing it again says nothing matches" -- gkctl sig remove "$minimal"
gk_check "  registered again, the program loads and shows admitted" -- \
	sh -c "gkctl sig add $tmp/minimal.bundle >/dev/null && gk-load $progs/minimal.bpf.o &&
		gkctl --json prog list | jq -e '.[] | select(.name == \"gk_minimal\") | .status == \"admitted\"' >/dev/null"
rm -f /sys/fs/bpf/minimal
beta_fp=$(gkctl key fingerprint "$keys/beta-ca.pem")
gk_check "gkctl sig remove --key FP unregisters every signature that key vouched for" -- \
	sh -c "gkctl --json sig remove --key $beta_fp | jq -e '.removed == 1' >/dev/null && ! grep -q $beta_fp $fs/signatures"
gk_expect $EPERM "  its program is refused" -- gk-raw load 32
gk_expect 2 "gkctl sig remove with a malformed digest is a usage error" -- gkctl sig remove 1234
printf 'digest %s' "$(gk-raw digest 3 | tr a-f A-F | head -c 63)" >"$tmp/rm-bad"
gk_expect $EINVAL "  the module refuses a malformed removal (EINVAL)" -- gk-raw write "$tmp/rm-bad" $fs/unregister

# --- bundles written to securityfs: each rejected, nothing changed ----------
sign_raw 8 "$tmp/raw8.bundle"
before=$(sigs_snapshot)
bad() { # bad ERRNO DESCRIPTION FILE
	gk_expect "$1" "$2 rejected" -- gk-raw write "$3" $fs/signatures
	if [ "$(sigs_snapshot)" = "$before" ]; then gk_ok "$2 changed nothing"; else gk_not_ok "$2 changed the registered signatures"; fi
}
size=$(stat -c %s "$tmp/raw8.bundle")
head -c $((size - 1)) "$tmp/raw8.bundle" >"$tmp/trunc1"
bad $EBADMSG "bundle truncated by 1 byte" "$tmp/trunc1"
head -c 100 "$tmp/raw8.bundle" >"$tmp/trunc100"
bad $EBADMSG "bundle truncated to 100 bytes" "$tmp/trunc100"
head -c 10 "$tmp/raw8.bundle" >"$tmp/trunc10"
bad $EBADMSG "bundle truncated inside its header" "$tmp/trunc10"
: >"$tmp/empty"
bad $EBADMSG "empty bundle" "$tmp/empty"
{ cat "$tmp/raw8.bundle"; printf 'x'; } >"$tmp/trailing"
bad $EBADMSG "bundle with trailing garbage" "$tmp/trailing"
{ printf 'GKBUNDLX'; tail -c +9 "$tmp/raw8.bundle"; } >"$tmp/magic"
bad $EBADMSG "bundle with a bad magic" "$tmp/magic"
head -c $((1024 * 1024 + 1)) /dev/zero >"$tmp/huge"
bad $EFBIG "bundle over 1 MiB" "$tmp/huge"
flip_bit() { # flip_bit FILE OFFSET: flip the lowest bit of one byte
	local b
	b=$(od -An -tu1 -j "$2" -N1 "$1" | tr -d ' ')
	printf "\\x$(printf %02x $((b ^ 1)))" | dd of="$1" bs=1 seek="$2" conv=notrunc status=none
}
# Manifest digest starts at 24 (bundle) + 8 (entry) + 16 (manifest fields).
cp "$tmp/raw8.bundle" "$tmp/flip"
flip_bit "$tmp/flip" 48
bad $EKEYREJECTED "bundle with one bit of the signed manifest flipped" "$tmp/flip"
# The RSA signature value ends the DER signature, which ends the bundle.
cp "$tmp/raw8.bundle" "$tmp/sigflip"
flip_bit "$tmp/sigflip" $((size - 3))
bad $EKEYREJECTED "bundle with one bit of its signature flipped" "$tmp/sigflip"
gk_check "the same bundle again changes nothing and says so" -- \
	sh -c "gkctl sig add $tmp/raw3.bundle | grep -qx '0 registered, 1 already registered, 0 made confidential'"
sign --source https://elsewhere.example --name gk_raw --digest-hex "$(gk-raw digest 3)" -o "$tmp/raw3-other.bundle"
bad $EEXIST "another manifest for a registered digest" "$tmp/raw3-other.bundle"
sign --target 0.0.0-another-kernel --name gk_raw --digest-hex "$(gk-raw digest 8)" -o "$tmp/other-kernel.bundle"
bad $EXDEV "bundle signed for another kernel release" "$tmp/other-kernel.bundle"
gk_expect $EPERM "program of a rejected bundle still denied" -- gk-raw load 8
sign --target "$release" --name gk_raw --digest-hex "$(gk-raw digest 8)" -o "$tmp/this-kernel.bundle"
gk_check "bundle signed for this kernel release accepted" -- gk-raw write "$tmp/this-kernel.bundle" $fs/signatures
gk_check "its program admitted" -- gk-raw load 8

# Publisher, source and kernel release are kept once for all the manifests
# that share them (store.c): each manifest still lists its own, also once
# another that shared them is gone.
sign --publisher "Publisher A" --source https://a.example/a.bpf.o --target "$release" \
	--name gk_raw --digest-hex "$(gk-raw digest 41)" -o "$tmp/str41.bundle"
sign --publisher "Publisher A" --source https://b.example/b.bpf.o \
	--name gk_raw --digest-hex "$(gk-raw digest 42)" -o "$tmp/str42.bundle"
sign --publisher "Publisher B" --source https://a.example/a.bpf.o --target "$release" \
	--name gk_raw --digest-hex "$(gk-raw digest 43)" -o "$tmp/str43.bundle"
# shared_strings N...: "PUBLISHER|SOURCE|TARGET" of the manifests for N-instruction programs
shared_strings() {
	local n
	for n in "$@"; do
		gkctl --json sig list | jq -r --arg d "$(gk-raw digest "$n")" \
			'.[] | select(.digest == $d) | "\(.publisher)|\(.source)|\(.target)"'
	done
}
expected41="Publisher A|https://a.example/a.bpf.o|$release"
expected42="Publisher A|https://b.example/b.bpf.o|"
expected43="Publisher B|https://a.example/a.bpf.o|$release"
gkctl sig add "$tmp/str41.bundle" >/dev/null && gkctl sig add "$tmp/str42.bundle" >/dev/null &&
	gkctl sig add "$tmp/str43.bundle" >/dev/null
if [ "$(shared_strings 41 42 43)" = "$(printf '%s\n' "$expected41" "$expected42" "$expected43")" ]; then
	gk_ok "manifests sharing a publisher, a source or a kernel release each list their own"
else
	gk_not_ok "manifests sharing strings list: $(shared_strings 41 42 43 | tr '\n' ' ')"
fi
gkctl sig remove "$(gk-raw digest 41)" >/dev/null
if [ "$(shared_strings 41 42 43)" = "$(printf '%s\n' "$expected42" "$expected43")" ]; then
	gk_ok "  one of them removed, the others still list theirs"
else
	gk_not_ok "  one of them removed, the others list: $(shared_strings 41 42 43 | tr '\n' ' ')"
fi
gk_check "  registered again, it lists its own again" -- \
	sh -c "gkctl sig add $tmp/str41.bundle >/dev/null && gkctl --json sig list |
		jq -e --arg d $(gk-raw digest 41) '.[] | select(.digest == \$d) | .publisher == \"Publisher A\"' >/dev/null"

# --- the format is public: a bundle made with openssl alone ---------------
le16() { printf "\\x$(printf %02x $(($1 & 255)))\\x$(printf %02x $(($1 >> 8)))"; }
le32() { le16 $(($1 & 65535)); le16 $(($1 >> 16)); }
hex2bin() { echo -n "$1" | sed 's/../\\x&/g' | xargs -0 printf; }
{
	printf 'GKMANI\0\1'; le32 1; le32 0; hex2bin "$(gk-raw digest 9)"
	le16 6; le16 0; le16 0; le16 0; le32 0; le32 0; printf 'gk_raw'
} >"$tmp/manifest"
openssl cms -sign -binary -noattr -outform DER -md sha256 -signer "$keys/signer.pem" \
	-inkey "$keys/signer.key" -in "$tmp/manifest" -out "$tmp/manifest.sig"
msize=$(stat -c %s "$tmp/manifest") ssize=$(stat -c %s "$tmp/manifest.sig")
{
	printf 'GKBUNDL1'; le32 1; le32 1; le32 $((24 + 8 + msize + ssize)); le32 0
	le32 "$msize"; le32 "$ssize"; cat "$tmp/manifest" "$tmp/manifest.sig"
} >"$tmp/openssl.bundle"
gk_check "bundle made with plain openssl cms accepted" -- gk-raw write "$tmp/openssl.bundle" $fs/signatures
gk_check "its program admitted" -- gk-raw load 9

# --- the instruction-swap race --------------------------------------------
sign_raw 2 "$tmp/raw2.bundle"
gkctl sig add "$tmp/raw2.bundle" >/dev/null
gk_check "3000 loads racing an instruction swap never admit the unsigned form" -- gk-raw race 3000

# --- the gate cannot be detached from userspace ----------------------------
links=$(bpftool link show | sed -n 's/^\([0-9]*\): tracing .*/\1/p')
if [ -z "$links" ]; then
	gk_not_ok "gate links are visible to bpftool"
fi
for id in $links; do
	gk_check "bpftool link detach id $id fails with EOPNOTSUPP" -- \
		sh -c "! bpftool link detach id $id 2>$tmp/err && grep -q 'Operation not supported' $tmp/err"
done
gk_expect $EPERM "unsigned program still denied after detach attempts" -- gk-raw load 10

if [ -e /sys/kernel/debug/kprobes/enabled ] && grep -q 'kprobe on bpf_check' $fs/status; then
	echo 0 >/sys/kernel/debug/kprobes/enabled
	gk_expect $EPERM "with kprobes disabled, even a signed program is denied (no binding)" -- gk-raw load 3
	echo 1 >/sys/kernel/debug/kprobes/enabled
	gk_check "with kprobes enabled again, the signed program is admitted" -- gk-raw load 3
else
	gk_skipped "kprobe binding: kernel $release decides in bpf_prog_load, no kprobe involved"
fi

# --- modes ----------------------------------------------------------------
gk_check "switch to audit mode" -- gkctl mode audit
gk_check "unsigned program admitted in audit mode" -- gk-raw load 11
gk_check "audit mode counted it" -- grep -q '^audited: [1-9]' $fs/status
gk_check "switch back to enforce mode" -- gkctl mode enforce
gk_expect $EPERM "unsigned program denied again in enforce mode" -- gk-raw load 11
gk_expect 2 "gkctl mode rejects an unknown mode as a usage error" -- gkctl mode permissive
printf 'bogus' >"$tmp/bogus"
gk_expect $EINVAL "securityfs mode rejects an unknown word with EINVAL" -- gk-raw write "$tmp/bogus" $fs/mode
gk_check "mode unchanged after the rejected write" -- grep -qx enforce $fs/mode

# --- learning: bounded, owned by its file, only verified programs -----------
# The 3-instruction program with its exit opcode flipped fails verification;
# the programs loaded right after it (libbpf's probes first) may reuse its
# memory, which must not make them inherit what the gate saw of it.
gk_check "gkctl learn runs a workload in audit mode and writes a request" -- \
	gkctl learn -t 120 -o "$tmp/learn.json" -- \
	sh -c "for i in 1 2 3; do gk-raw load 3 128; gk-load $progs/kprobe.bpf.o; done; gk-raw load 13"
gk_check "  it recorded the two programs the verifier accepted, not the one it rejected" -- \
	jq -e --arg d "$(gk-raw digest 13)" '(.programs | length) == 2 and ([.programs[].digest] | index($d)) != null and
		([.programs[].name] | index("gk_kprobe")) != null' "$tmp/learn.json"
gk_check "  and named the loader of each, and counted the loads" -- \
	jq -e --arg l "$(readlink -f "$(command -v gk-raw)")" \
		'(.programs[] | select(.loader == $l) | .seen == 1) and (.programs[] | select(.name == "gk_kprobe") | .seen == 3)' \
		"$tmp/learn.json"
gk_check "  the mode is enforce again" -- sh -c "grep -qx enforce $fs/mode && grep -qx 'learning: no' $fs/status"
gk_check "a catalogue probe in the memory of a program the verifier rejected is not learnt as that program" -- \
	sh -c "gkctl learn -t 60 -o $tmp/reuse.json -- gk-raw reuse 50 2>/dev/null && jq -e '.programs | length == 0' $tmp/reuse.json"
gk_check "  signed and registered, the programs load in enforce mode" -- \
	sh -c "gk-sign --key $keys/signer.key --cert $keys/signer.pem --request $tmp/learn.json -o $tmp/learn.bundle 2>/dev/null && gkctl sig add $tmp/learn.bundle &&
	       gk-raw load 13 && gk-load $progs/kprobe.bpf.o"
gkctl learn -t 120 -- sleep 60 2>/dev/null &
learner=$!
for i in $(seq 50); do grep -q '^learning: yes' $fs/status && break; sleep 0.2; done
gk_check "while learning, status says so and the mode is audit" -- \
	sh -c "grep -q '^learning: yes ([0-9]* s left)' $fs/status && grep -qx audit $fs/mode"
gk_expect 1 "  a second session is refused" -- gkctl learn -t 5 -- true
kill -9 $learner
wait $learner 2>/dev/null
gk_check "gkctl killed with SIGKILL: the module ended the session and put enforce back" -- \
	sh -c "grep -qx enforce $fs/mode && grep -qx 'learning: no' $fs/status && dmesg | grep -q 'learning end closed: .* mode enforce'"
exec 3<>$fs/learn
echo "start 1" >&3
sleep 2.5
gk_check "the module's timer ends a session whose owner hangs on, and puts enforce back" -- \
	sh -c "grep -qx enforce $fs/mode && grep -qx 'learning: no' $fs/status && grep -qx 'session: expired' $fs/learn"
exec 3>&-
gk_check "gkctl learn's own timeout stops the command and restores the mode" -- \
	sh -c "gkctl learn -t 2 -o $tmp/t.json -- sleep 60 2>$tmp/t.err && grep -q 'learning ended (timeout), mode is enforce' $tmp/t.err"
for word in "start 0" "start 86401" "start x" "start" "go"; do
	printf '%s' "$word" >"$tmp/word"
	gk_expect $EINVAL "learn rejects '$word' with EINVAL" -- gk-raw write "$tmp/word" $fs/learn
done
printf 'stop' >"$tmp/word"
gk_expect $ESRCH "learn: stop without a session of this file is ESRCH" -- gk-raw write "$tmp/word" $fs/learn
gk_check "  nothing changed: enforce, not learning" -- sh -c "grep -qx enforce $fs/mode && grep -qx 'learning: no' $fs/status"

# --- inventory: what runs, and how it was admitted --------------------------
# prog_id PIN: the id of a pinned program.  listed ID [PATTERN]: its line in
# gkctl prog list (matching the extended regular expression PATTERN).
prog_id() { bpftool prog show pinned "$1" | sed -n 's/^\([0-9]*\):.*/\1/p'; }
listed() { gkctl prog list | grep "^$1	" | grep -qE "${2:-.}"; }
# entries: how many programs the module's inventory holds, once the kernel
# freed what was closed (after an RCU grace period): two readings agree.
# back_to N: it holds N (within 4 s).
entries() {
	local a= b
	b=$(sed -n 's/^entries=\([0-9]*\) .*/\1/p' $fs/programs)
	until [ "$a" = "$b" ]; do
		sleep 0.5
		a=$b b=$(sed -n 's/^entries=\([0-9]*\) .*/\1/p' $fs/programs)
	done
	echo "$b"
}
back_to() { for _ in $(seq 20); do [ "$(entries)" = "$1" ] && return 0; sleep 0.2; done; return 1; }
gk_check "a signed program loaded and pinned by bpftool" -- bpftool prog load "$progs/minimal.bpf.o" /sys/fs/bpf/gk_inv
inv=$(prog_id /sys/fs/bpf/gk_inv)
gk_check "gkctl prog list: admitted by its registered signature, with its digest" -- \
	listed "$inv" '	socket_filter	gk_minimal	admitted	registered signature.*	[0-9a-f]{64}$'
gk_check "  the gate's own programs are listed as such" -- \
	sh -c "test \$(gkctl prog list | grep -cE '	lsm	gk_[a-z_]+	admitted	the gate.s own program	') -ge 3"
gkctl --json prog list >"$tmp/progs.json"
gk_check "  --json: the same, as objects" -- \
	jq -e --argjson id "$inv" '[.[] | select(.id == $id)][0] | .status == "admitted" and .name == "gk_minimal"
		and (.digest | length) == 64 and .type == "socket_filter"' "$tmp/progs.json"
held=$(entries)
rm /sys/fs/bpf/gk_inv
gk_check "  unpinned and freed, the module's inventory forgets it ($held entries, then $((held - 1)))" -- \
	back_to $((held - 1))

# --- unloading --------------------------------------------------------------
gk_expect 1 "rmmod refused while the gate is armed" -- rmmod gatekeeper
gk_check "gkctl disarm" -- gkctl disarm
gk_expect 1 "gkctl status fails once disarmed" -- gkctl status
gk_check "unsigned program loads once disarmed" -- gk-raw load 12
gk_check "a program pinned while the gate is disarmed (as one loaded before insmod)" -- \
	bpftool prog load "$progs/minimal.bpf.o" /sys/fs/bpf/gk_early
unloaded=1
for i in $(seq 50); do rmmod gatekeeper 2>/dev/null && { unloaded=0; break; }; sleep 0.2; done
gk_expect 0 "rmmod after disarm" -- test $unloaded = 0
gk_expect $EINVAL "insmod with an unknown mode fails with EINVAL" -- insmod /gk/gatekeeper.ko mode=bogus
gk_check "and says why" -- sh -c 'dmesg | grep -q "mode=bogus: must be enforce or audit"'
gk_check "insmod in audit mode" -- insmod /gk/gatekeeper.ko mode=audit
gk_check "re-armed in audit mode" -- sh -c "gkctl status && grep -qx audit $fs/mode"
early=$(prog_id /sys/fs/bpf/gk_early)
gk_check "gkctl prog list: the program from before arming is unverified" -- \
	listed "$early" '	socket_filter	gk_minimal	unverified	-	-$'
gk_check "an unsigned program pinned in audit mode" -- bpftool prog load "$progs/kprobe.bpf.o" /sys/fs/bpf/gk_audit
audit=$(prog_id /sys/fs/bpf/gk_audit)
gk_check "  is listed audit: admitted only because of the mode" -- \
	listed "$audit" '	audit	no registered signature	[0-9a-f]{64}$'
rm -f /sys/fs/bpf/gk_early /sys/fs/bpf/gk_audit
gk_check "rmmod -f while armed (forced unload path)" -- rmmod -f gatekeeper
gk_check "module gone" -- sh -c '! grep -q "^gatekeeper " /proc/modules'

rm -rf "$tmp"
gk_summary
