#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# Armed at boot: gatekeeper-arm (boot/) arming the gate from an
# /etc/gatekeeper layout, as the initramfs and gatekeeper.service run it.
# Runs inside the VM (tests/vm/run --no-insmod: the module is in
# /gk/gatekeeper.ko, not inserted).  First the failures, each on a fresh
# module (disarm and rmmod between, the gate being unlocked): a corrupt
# bundle, a missing and a refused policy, a bad setting, no module, a
# module inserted before in audit mode; then the full configuration with
# the lock, through modprobe as DKMS installs it, run twice, and a key and
# a corrupt bundle added to the locked gate.  Each run's count of the
# programs that predate the gate is checked in the kernel log: none on a
# clean arm, those bpftool pinned before the locked one, and a count that
# fails without failing the arming.
#   boot-arm.sh KEYDIR PROGDIR TOP
set -u
. "$(dirname "$0")/../../lib.sh"

keys=${1:?usage: boot-arm.sh KEYDIR PROGDIR TOP}
progs=${2:?}
top=${3:?}
arm=$top/boot/gatekeeper-arm
fs=/sys/kernel/security/gatekeeper
tmp=$(mktemp -d)
EPERM=1

echo "# kernel $(uname -r)"
status() { sed -n "s/^$1: //p" $fs/status; }
# run_arm ARGS...: gatekeeper-arm, its output in $tmp/out and $tmp/err, status
# in $rc, and the kernel log since it started in $tmp/kmsg.
runs=0
run_arm() {
	runs=$((runs + 1))
	echo "boot-arm.sh: run $runs" >/dev/kmsg
	"$arm" "$@" >"$tmp/out" 2>"$tmp/err"
	rc=$?
	dmesg | sed -n "/boot-arm.sh: run $runs\$/,\$p" >"$tmp/kmsg"
}
show() { sed 's/^/    | /' "$tmp/out" "$tmp/err" "$tmp/kmsg" | head -n 40; }
# predates TEXT: the last run's one count line in the kernel log is
# "gatekeeper-arm: TEXT", and its summary gives the same count; if not,
# what they say instead.
predates() {
	local re='gatekeeper-arm: (no BPF program predates|[0-9]+ BPF programs? predates?|cannot count)' end
	case $1 in
	"no BPF program"*) end=", 0 BPF programs predate the gate" ;;
	"cannot count"*) end=", BPF programs that predate the gate: not counted" ;;
	*) end=", ${1%% *} BPF programs predate the gate" ;;
	esac
	if [ "$(grep -cE "$re" "$tmp/kmsg")" = 1 ] && [[ $(grep -E "$re" "$tmp/kmsg") == *"gatekeeper-arm: $1" ]] &&
		grep -q -- "$end\$" "$tmp/out" "$tmp/err"; then
		return 0
	fi
	grep -hE "$re|: (armed|FAILED):" "$tmp/kmsg" "$tmp/out" "$tmp/err"
	return 1
}
# loaded: the ids of the BPF programs loaded now, one line.
loaded() { bpftool prog show -j | jq -r '[.[].id] | sort | map(tostring) | join(" ")'; }
# expect_rc WANT DESCRIPTION: the last run_arm exited WANT.
expect_rc() {
	if [ "$rc" = "$1" ]; then gk_ok "$2"; else gk_not_ok "$2: exit $rc, expected $1"; show; fi
}
# The gate refuses an unsigned program, as it must whatever failed.
enforcing() {
	gk_check "$1: the gate is armed" -- gkctl status
	gk_check "$1: in enforce mode" -- test "$(status mode)" = enforce
	gk_expect $EPERM "$1: an unsigned program is refused" -- gk-load "$progs/minimal.bpf.o"
}
# A fresh module for the next case: the gate is not locked.
reset() {
	local _
	gkctl disarm >/dev/null 2>&1
	# The gate's programs go after an RCU grace period: retry.
	for _ in $(seq 50); do rmmod gatekeeper 2>/dev/null && break; sleep 0.2; done
	if [ -d /sys/module/gatekeeper ]; then
		gk_not_ok "reset: gatekeeper.ko could not be removed"
		gk_summary
		exit 1
	fi
}

# What a publisher and a policy admin hand the operator.
gk-sign --key "$keys/signer.key" --cert "$keys/signer.pem" --publisher acme \
	-o "$tmp/maps.bundle" "$progs/maps.bpf.o" 2>/dev/null || gk_not_ok "gk-sign maps.bpf.o"
{
	echo "policy boot version 1"
	echo "default deny"
	echo "mode enforce"
	echo "publisher acme key $(gkctl key fingerprint "$keys/ca.pem")"
	echo "allow publisher acme"
} >"$tmp/boot.pol"
gkctl policy sign --key "$keys/admin.key" --cert "$keys/admin.pem" -o "$tmp/policy.signed" \
	"$tmp/boot.pol" >/dev/null || gk_not_ok "gkctl policy sign"
# Signed by a publisher key, not an admin key: the kernel refuses it.
gkctl policy sign --key "$keys/signer.key" --cert "$keys/signer.pem" -o "$tmp/bad-policy.signed" \
	"$tmp/boot.pol" >/dev/null || gk_not_ok "gkctl policy sign (publisher key)"
head -c 300 "$tmp/maps.bundle" >"$tmp/corrupt.bundle"

# stage DIR SETTING...: an /etc/gatekeeper layout in DIR, with a key, the
# bundle, the signed policy and these settings after arm=yes.
stage() {
	local d=$1
	shift
	rm -rf "$d"
	mkdir -p "$d/keys.d" "$d/bundles.d"
	cp "$keys/ca.pem" "$d/keys.d/acme-ca.pem"
	cp "$tmp/maps.bundle" "$d/bundles.d/maps.bundle"
	cp "$tmp/policy.signed" "$d/policy.signed"
	cp "$keys/admin.der" "$d/admin.der"
	{
		echo "# staged by boot-arm.sh"
		echo "arm=yes"
		echo "admin_cert=admin.der"
		printf '%s\n' "$@"
	} >"$d/gatekeeper.conf"
}
c=$tmp/etc/gatekeeper.conf

# --- nothing to do --------------------------------------------------------------
stage "$tmp/etc" module=/gk/gatekeeper.ko
sed -i 's/^arm=yes$/arm=no/' "$c"
run_arm -c "$c"
expect_rc 0 "arm=no: exit 0"
gk_check "arm=no: the module is not inserted" -- test ! -d /sys/module/gatekeeper
gk_check "arm=no: and it says so" -- grep -q 'arm=no in .*: not arming' "$tmp/err"
run_arm -c "$tmp/none/gatekeeper.conf"
expect_rc 0 "no configuration file: exit 0, nothing done"
gk_expect 1 "--enabled: 1 for arm=no" -- "$arm" --enabled -c "$c"
stage "$tmp/etc" module=/gk/gatekeeper.ko
gk_expect 0 "--enabled: 0 for arm=yes, the module not inserted" -- \
	sh -c "'$arm' --enabled -c '$c' && test ! -d /sys/module/gatekeeper"

# --- a corrupt bundle -----------------------------------------------------------
stage "$tmp/etc" module=/gk/gatekeeper.ko lock=no mode=audit
cp "$tmp/corrupt.bundle" "$tmp/etc/bundles.d/corrupt.bundle"
run_arm -c "$c"
expect_rc 1 "corrupt bundle: exit 1"
gk_check "corrupt bundle: the failure names the step and the file" -- \
	grep -q "FAILED bundle: $tmp/etc/bundles.d/corrupt.bundle" "$tmp/err"
gk_check "corrupt bundle: gkctl's reason is shown too" -- grep -q 'corrupt.bundle' "$tmp/err"
enforcing "corrupt bundle"
gk_check "corrupt bundle: mode=audit not set after a failure, and it says so" -- \
	grep -q 'staying in enforce mode' "$tmp/err"
gk_check "corrupt bundle: the other bundle is registered, its program loads" -- gk-load "$progs/maps.bpf.o"
gk_check "corrupt bundle: the policy is still loaded" -- test "$(status policy)" = "boot version 1"
reset

# --- the TPM the measurement log is extended into ------------------------------
stage "$tmp/etc" module=/gk/gatekeeper.ko lock=no tpm=off pcr=12
run_arm -c "$c"
expect_rc 0 "tpm=off pcr=12: exit 0"
gk_check "tpm=off pcr=12: the module got both, and keeps its measurement log alone" -- \
	sh -c "grep -qx 'tpm: none, log only (tpm=off)' /sys/kernel/security/gatekeeper/status &&
		[ \$(cat /sys/module/gatekeeper/parameters/pcr) = 12 ]"
reset
stage "$tmp/etc" module=/gk/gatekeeper.ko lock=no tpm=required
run_arm -c "$c"
expect_rc 1 "tpm=required, no TPM: exit 1"
gk_check "tpm=required, no TPM: the module is not loaded, and the kernel log says why" -- \
	sh -c "test ! -d /sys/module/gatekeeper && grep -q 'FAILED module' $tmp/err &&
		dmesg | grep -q 'tpm=required: no TPM the gate can extend'"

# --- no policy, a refused policy ------------------------------------------------
stage "$tmp/etc" module=/gk/gatekeeper.ko lock=no
rm "$tmp/etc/policy.signed"
run_arm -c "$c"
expect_rc 1 "missing policy: exit 1"
gk_check "missing policy: the failure names the step and the file" -- \
	grep -q "FAILED policy: $tmp/etc/policy.signed does not exist" "$tmp/err"
enforcing "missing policy"
gk_check "missing policy: the signed program loads (keys and bundles went on)" -- gk-load "$progs/maps.bpf.o"
reset
stage "$tmp/etc" module=/gk/gatekeeper.ko lock=no
cp "$tmp/bad-policy.signed" "$tmp/etc/policy.signed"
run_arm -c "$c"
expect_rc 1 "policy signed by a non-admin key: exit 1"
gk_check "refused policy: the failure names the step and the file" -- \
	grep -q "FAILED policy: $tmp/etc/policy.signed" "$tmp/err"
enforcing "refused policy"
gk_check "refused policy: no policy active" -- test "$(status policy)" = none
reset
stage "$tmp/etc" module=/gk/gatekeeper.ko lock=no policy=none
gk_check "policy=none: no BPF program loaded before the run" -- test -z "$(loaded)"
run_arm -c "$c"
expect_rc 0 "policy=none: exit 0"
gk_check "policy=none: no policy active" -- test "$(status policy)" = none
gk_check "policy=none: the kernel log says no BPF program predates the gate" -- \
	predates "no BPF program predates the gate"
reset

# --- counting what predates the gate fails ------------------------------------
# A gkctl first on gatekeeper-arm's PATH whose prog list fails.
mkdir -p /usr/local/sbin
printf '#!/bin/sh\ncase "$*" in *"prog list"*) echo "gkctl: no listing (boot-arm.sh)" >&2; exit 1 ;; esac\nexec %s "$@"\n' \
	"$(command -v gkctl)" >/usr/local/sbin/gkctl
chmod +x /usr/local/sbin/gkctl
stage "$tmp/etc" module=/gk/gatekeeper.ko lock=no policy=none
run_arm -c "$c"
rm /usr/local/sbin/gkctl
expect_rc 0 "counting fails: the arming does not (exit 0)"
gk_check "counting fails: the kernel log and the summary say the count failed" -- \
	predates "cannot count the BPF programs that predate the gate: gkctl prog list --unverified failed (gatekeeper-arm's output says why)"
gk_check "counting fails: gkctl's reason is shown" -- grep -q 'no listing (boot-arm.sh)' "$tmp/err"
enforcing "counting fails"
reset

# --- a module inserted before, less strict than configured ------------------------
# By hand, without admin_cert: no policy could load (policy=none).
insmod /gk/gatekeeper.ko mode=audit probes=1
stage "$tmp/etc" module=/gk/gatekeeper.ko lock=no probes=no policy=none
run_arm -c "$c"
expect_rc 0 "module inserted before in audit mode: exit 0"
gk_check "  it says the module stays as it is" -- grep -q 'already loaded' "$tmp/err"
gk_check "  back to enforce mode" -- test "$(status mode)" = enforce
gk_check "  probes refused, as configured" -- test "$(status probes)" = refused
enforcing "module inserted before"
reset

# --- bad settings, no module ----------------------------------------------------
stage "$tmp/etc" module=/gk/gatekeeper.ko lock=no mode=enforcing
run_arm -c "$c"
expect_rc 1 "mode=enforcing: exit 1"
gk_check "mode=enforcing: named, with its line" -- \
	grep -q "FAILED config: $c:6: mode=enforcing: enforce or audit" "$tmp/err"
enforcing "mode=enforcing"
reset
stage "$tmp/etc2" module=/nonexistent/gatekeeper.ko
run_arm -c "$tmp/etc2/gatekeeper.conf"
expect_rc 1 "no module file: exit 1"
gk_check "no module file: the failure names the step and the command" -- \
	grep -q 'FAILED module: insmod /nonexistent/gatekeeper.ko mode=enforce' "$tmp/err"
gk_check "no module file: and says the gate is not armed" -- grep -q 'the gate is NOT armed' "$tmp/err"

# --- the full configuration, locked, through modprobe -----------------------------
# Two programs loaded and pinned before the gate arms: they predate it.
gk_check "two programs loaded and pinned before the gate arms" -- \
	sh -c "bpftool prog load '$progs/minimal.bpf.o' /sys/fs/bpf/gk_pre1 &&
		bpftool prog load '$progs/minimal.bpf.o' /sys/fs/bpf/gk_pre2"
pre=$(loaded)
gk_check "  and no other program is loaded ($pre)" -- test "${pre// /}" != "$pre" -a "${pre#* * }" = "$pre"
# Where DKMS installs the module, for modprobe:
rel=$(uname -r)
mkdir -p "/lib/modules/$rel/updates/dkms"
cp /gk/gatekeeper.ko "/lib/modules/$rel/updates/dkms/"
depmod "$rel" 2>/dev/null || depmod
rm -rf /etc/gatekeeper
stage /etc/gatekeeper lock=yes
run_arm
expect_rc 0 "full configuration in /etc/gatekeeper: exit 0"
gk_check "  it says armed, on stdout" -- grep -q '^gatekeeper-arm: armed: state armed, mode enforce, locked yes, policy boot version 1' "$tmp/out"
gk_check "  nothing on stderr but notes" -- sh -c "! grep -q FAILED '$tmp/err'"
gk_check "  inserted by modprobe from updates/dkms" -- \
	sh -c "test -d /sys/module/gatekeeper && grep -q 'updates/dkms/gatekeeper.ko' /lib/modules/$rel/modules.dep"
gk_check "  the gate is armed" -- gkctl status
gk_check "  in enforce mode" -- test "$(status mode)" = enforce
gk_check "  the policy is loaded" -- test "$(status policy)" = "boot version 1"
gk_check "  the gate is locked" -- test "$(status locked)" = yes
gk_check "  the publisher's key is in .gatekeeper" -- sh -c "keyctl rlist $(status keyring) | grep -q ."
gk_check "  the bundle is registered" -- test "$(status signatures)" -ge 1
gk_check "  the signed program loads" -- gk-load "$progs/maps.bpf.o"
gk_expect $EPERM "  an unsigned program is refused" -- gk-load "$progs/minimal.bpf.o"
gk_expect 1 "  disarm refused (locked)" -- gkctl disarm
gk_check "  the kernel log says the two programs pinned before predate the gate, by id" -- \
	predates "2 BPF programs predate the gate (ids $pre): gkctl prog list --unverified shows them"
gk_check "  gkctl prog list --unverified lists exactly them" -- \
	test "$(gkctl prog list --unverified | cut -f1 | sort -n | tr '\n' ' ')" = "$pre "
gk_check "  --json too, as unverified" -- \
	sh -c "gkctl --json prog list --unverified | jq -e '[.[].id | tostring] | sort == (\"$pre\" | split(\" \") | sort) and length == 2' >/dev/null &&
		gkctl --json prog list --unverified | jq -e 'all(.status == \"unverified\")' >/dev/null"
sigs=$(status signatures)
run_arm
expect_rc 0 "run twice: exit 0"
gk_check "  the second run says armed" -- grep -q '^gatekeeper-arm: armed: state armed, mode enforce, locked yes, policy boot version 1' "$tmp/out"
gk_check "  it says the key was added before the lock" -- \
	grep -q 'keys: the gate is locked: 1 certificates were added before the lock' "$tmp/err"
gk_check "  the same signatures" -- test "$(status signatures)" = "$sigs"
gk_check "  the kernel log says the same two programs predate the gate" -- \
	predates "2 BPF programs predate the gate (ids $pre): gkctl prog list --unverified shows them"
enforcing "run twice"
rm /sys/fs/bpf/gk_pre2
pre=$(bpftool prog show pinned /sys/fs/bpf/gk_pre1 | sed -n 's/^\([0-9]*\):.*/\1/p')

cp "$keys/beta-ca.pem" /etc/gatekeeper/keys.d/beta-ca.pem
run_arm
expect_rc 1 "a key added to keys.d after the lock: exit 1"
gk_check "  the failure names the step and the file" -- \
	grep -q "FAILED key: /etc/gatekeeper/keys.d/beta-ca.pem: the gate is locked and this key was not added before the lock" "$tmp/err"
gk_check "  still locked" -- test "$(status locked)" = yes
gk_check "  the failed run counts too: the program still pinned from before predates the gate" -- \
	predates "1 BPF program predates the gate (id $pre): gkctl prog list --unverified shows it"
enforcing "key after the lock"
rm /etc/gatekeeper/keys.d/beta-ca.pem

cp "$tmp/corrupt.bundle" /etc/gatekeeper/bundles.d/corrupt.bundle
run_arm
expect_rc 1 "corrupt bundle added, locked: exit 1"
gk_check "  the failure names the step and the file" -- \
	grep -q "FAILED bundle: /etc/gatekeeper/bundles.d/corrupt.bundle" "$tmp/err"
gk_check "  still locked" -- test "$(status locked)" = yes
enforcing "corrupt bundle, locked"
gk_check "  the signed program still loads" -- gk-load "$progs/maps.bpf.o"

rm -f /sys/fs/bpf/gk_pre1
rm -rf "$tmp"
gk_summary
