# SPDX-License-Identifier: GPL-2.0
# shellcheck shell=sh
#
# Sourced by every scenario (busybox sh, run with -e). Scenarios print
# what they measure; they fail by exiting non-zero, skip with exit 77.

VW_KO=/lib/modules/$(uname -r)/updates/voipwake.ko
VW_VERSION=$(cat /etc/voipwake-version)

fail()
{
	echo "FAIL: $*"
	exit 1
}

skip()
{
	echo "SKIP: $*"
	exit 77
}

log()
{
	echo "# $*"
}

# debug_kernel: true on the debug kernel (KASAN, lockdep, kmemleak), where
# everything runs several times slower.
debug_kernel()
{
	[ -e /sys/kernel/debug/kmemleak ]
}

# expect_eq WHAT EXPECTED ACTUAL
expect_eq()
{
	[ "$2" = "$3" ] || fail "$1: expected '$2', got '$3'"
	log "$1 = '$3'"
}

# expect_fail WHAT CMD...: the command must exit non-zero.
expect_fail()
{
	what=$1
	shift
	if "$@"; then
		fail "$what: '$*' succeeded but must fail"
	fi
	log "$what: refused as expected"
}

vw_loaded()
{
	[ -d /sys/module/voipwake ]
}

vw_load()
{
	insmod "$VW_KO" "$@" || fail "insmod voipwake $*"
	vw_loaded || fail "voipwake not in /sys/module after insmod"
}

vw_unload()
{
	rmmod voipwake || fail "rmmod voipwake"
	! vw_loaded || fail "voipwake still in /sys/module after rmmod"
}

# as_user UID CMD...: run a command as an unprivileged user (uid and gid
# UID, no supplementary groups, no capabilities).
as_user()
{
	vw-runas "$@"
}

# param NAME: current value of a voipwake module parameter.
param()
{
	cat "/sys/module/voipwake/parameters/$1"
}
