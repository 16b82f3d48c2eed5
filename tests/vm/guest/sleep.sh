# SPDX-License-Identifier: GPL-2.0
# shellcheck shell=sh
#
# Sourced by the suspend scenarios, after lib.sh. They suspend to RAM
# (S3, "deep"): in a QEMU guest the RTC alarm wakes S3 but never s2idle,
# whose wakeup-source and wakeup_count logic is the same.

# sleep_setup: S3, and WS, the voipwake wakeup source's sysfs directory
# (the module must be loaded); skips where the kernel cannot suspend.
sleep_setup()
{
	grep -qw mem /sys/power/state 2>/dev/null &&
		grep -qw deep /sys/power/mem_sleep 2>/dev/null ||
		skip "no suspend to RAM (S3) in this kernel or machine"
	echo deep >/sys/power/mem_sleep
	WS=
	for _sd in /sys/class/wakeup/*; do
		[ "$(cat "$_sd/name" 2>/dev/null)" = voipwake ] && WS=$_sd
	done
	[ -n "$WS" ] || fail "no wakeup source named voipwake"
	log "wakeup source: $WS"
}

# suspends: how many suspends completed so far.
suspends()
{
	if [ -e /sys/power/suspend_stats/success ]; then
		cat /sys/power/suspend_stats/success
	else
		dmesg | grep -c 'PM: suspend exit'
	fi
}

# suspend_handshake CGROUP OUT: suspend as systemd-sleep and autosleep
# do: read /sys/power/wakeup_count (which blocks while a wakeup source is
# active), write it back (refused if a wakeup event came in between),
# then suspend. Writes to OUT "read=BOOTNS freeze=F" once the read
# returned (F: CGROUP's cgroup.freeze then), then "refused", "aborted" or
# "slept=BOOTNS" (at resume). Returns at resume.
suspend_handshake()
{
	_sc=$(cat /sys/power/wakeup_count)
	echo "read=$(boot_ns) freeze=$(cat "$CG_ROOT/$1/cgroup.freeze" 2>/dev/null)" >"$2"
	if ! echo "$_sc" >/sys/power/wakeup_count 2>/dev/null; then
		echo refused >>"$2"
		return 0
	fi
	if echo mem >/sys/power/state 2>/dev/null; then
		echo "slept=$(boot_ns)" >>"$2"
	else
		echo aborted >>"$2"
	fi
}
