# SPDX-License-Identifier: GPL-2.0
# Shared settings for the VM harness: cache location, kernel matrix, and a
# private apt configuration that never touches the host's package state.

GK_CACHE=${GK_CACHE:-/var/cache/gatekeeper}
GK_APT=$GK_CACHE/apt

# What a kernel log of a passing run never shows: a warning, BUG, Oops,
# lockdep, refcount or soft-lockup/RCU-stall report (a stall prints a trace).
GK_SPLAT='WARNING:|BUG:|Oops|detected stalls|kernel BUG|general protection|lockdep|possible circular locking|possible recursive locking|refcount_t:|UBSAN:|KASAN:|Call Trace:'

gk_die() { echo "gatekeeper: $*" >&2; exit 99; }
gk_log() { echo "==> $*" >&2; }

# Matrix: name -> suite the kernel comes from, and the suite its module is
# built in ("host" means the bookworm host itself).
gk_kernel_suite() {
	case "$1" in
	6.1) echo bookworm ;;
	6.12) echo bookworm-backports ;;
	7.x) echo trixie-backports ;;
	*) gk_die "unknown kernel '$1' (use 6.1, 6.12 or 7.x)" ;;
	esac
}

# The mirror is taken from the host's own apt configuration so that no
# registry address is written into the project.
gk_mirror() {
	if [ -n "${GK_DEBIAN_MIRROR:-}" ]; then
		echo "$GK_DEBIAN_MIRROR"
		return
	fi
	local m
	m=$(grep -hE '^(URIs:|deb )' /etc/apt/sources.list.d/*.sources /etc/apt/sources.list 2>/dev/null |
		grep -v -- '-security' | grep -oE 'https?://[^ ]+/debian/?' | head -n 1)
	[ -n "$m" ] || gk_die "no Debian mirror found in /etc/apt; set GK_DEBIAN_MIRROR"
	echo "${m%/}"
}

gk_apt() {
	apt-get -q -o Dir::Etc::SourceList="$GK_APT/sources.list" \
		-o Dir::Etc::SourceParts=/dev/null \
		-o Dir::State::Lists="$GK_APT/lists" \
		-o Dir::State::Status="$GK_APT/status" \
		-o Dir::Cache="$GK_APT/cache" \
		-o Debug::NoLocking=1 \
		-o APT::Architecture=amd64 "$@"
}

gk_apt_cache() {
	apt-cache -o Dir::Etc::SourceList="$GK_APT/sources.list" \
		-o Dir::Etc::SourceParts=/dev/null \
		-o Dir::State::Lists="$GK_APT/lists" \
		-o Dir::State::Status="$GK_APT/status" \
		-o Dir::Cache="$GK_APT/cache" "$@"
}

gk_apt_setup() {
	local mirror
	mirror=$(gk_mirror)
	mkdir -p "$GK_APT/lists/partial" "$GK_APT/cache/archives/partial"
	touch "$GK_APT/status"
	cat >"$GK_APT/sources.list.new" <<EOT
deb [signed-by=/usr/share/keyrings/debian-archive-keyring.gpg] $mirror bookworm main
deb [signed-by=/usr/share/keyrings/debian-archive-keyring.gpg] $mirror bookworm-backports main
deb [signed-by=/usr/share/keyrings/debian-archive-keyring.gpg] $mirror trixie main
deb [signed-by=/usr/share/keyrings/debian-archive-keyring.gpg] $mirror trixie-backports main
EOT
	mv "$GK_APT/sources.list.new" "$GK_APT/sources.list"
	# Refresh the lists at most once a day.
	if [ -z "$(find "$GK_APT/lists" -maxdepth 1 -name '*Packages*' -mtime -1 2>/dev/null | head -n 1)" ]; then
		gk_apt update >&2 || gk_die "apt update of the private kernel sources failed"
	fi
}
