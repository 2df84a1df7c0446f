# SPDX-License-Identifier: GPL-2.0
# Test helpers shared by host and guest suites (bash).  Each check prints
# one line; gk_summary prints "N passed, N failed, N skipped" and returns
# non-zero if anything failed.

gk_pass=0 gk_fail=0 gk_skip=0

gk_ok() { gk_pass=$((gk_pass + 1)); echo "ok - $*"; }
gk_not_ok() { gk_fail=$((gk_fail + 1)); echo "FAIL - $*"; }
gk_skipped() { gk_skip=$((gk_skip + 1)); echo "SKIP - $*"; }

# gk_expect WANT DESCRIPTION -- COMMAND...: COMMAND must exit with WANT.
gk_expect() {
	local want=$1 desc=$2 out rc
	shift 3
	out=$("$@" 2>&1) && rc=0 || rc=$?
	if [ "$rc" = "$want" ]; then
		gk_ok "$desc"
	else
		gk_not_ok "$desc: '$*' exited $rc, expected $want"
		printf '%s\n' "$out" | sed 's/^/    | /' | head -n 20
	fi
}

# gk_check DESCRIPTION -- COMMAND...: COMMAND must succeed.
gk_check() {
	local desc=$1
	shift 2
	gk_expect 0 "$desc" -- "$@"
}

gk_summary() {
	echo "$gk_pass passed, $gk_fail failed, $gk_skip skipped"
	[ "$gk_fail" = 0 ]
}
