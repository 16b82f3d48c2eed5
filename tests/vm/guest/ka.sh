# SPDX-License-Identifier: GPL-2.0
# shellcheck shell=sh
#
# Sourced by the keep-alive scenarios, after lib.sh and app.sh. Every
# instant here is CLOCK_BOOTTIME in ns, the module's own clock.

# boot_ns: now, to the 10 ms that /proc/uptime gives.
boot_ns()
{
	awk '{ printf "%d\n", $1 * 100 }' /proc/uptime | sed 's/$/0000000/'
}

# app_field CGROUP KEY: a number from the app's line of status -j, or
# nothing when the module did not report it.
app_field()
{
	voipwakectl status -j | grep "\"cgroup\": \"/$1\"" |
		grep -o "\"$2\": [0-9]*" | sed 's/.*: //'
}

# window CGROUP: WE and WL, the window of the armed keep-alive, or fail.
window()
{
	WE=$(app_field "$1" keepalive_earliest_ns)
	WL=$(app_field "$1" keepalive_latest_ns)
	[ -n "$WE" ] && [ -n "$WL" ] ||
		fail "no keep-alive armed for $1: $(voipwakectl status -j)"
}

# in_window WHAT T EARLIEST LATEST
in_window()
{
	[ "$2" -ge "$3" ] && [ "$2" -le "$4" ] ||
		fail "$1 at $2 is outside its window [$3, $4]"
	log "$1: $((($2 - $3) / 1000000)) ms into its window, $((($4 - $2) / 1000000)) ms before the deadline"
}

# sleep_until NS: until CLOCK_BOOTTIME reaches NS.
sleep_until()
{
	_su=$(($1 - $(boot_ns)))
	[ $_su -le 0 ] || sleep "$((_su / 1000000000)).$(printf %09d $((_su % 1000000000)))"
}

# ka_app NAME SECS [VW-APP ARGS...]: an app in cgroup NAME with a
# keep-alive of SECS and one marked (unconnected) socket, its output in
# /tmp/NAME.out. stdin stays open, so it runs until killed: its pid is
# added to KA_PIDS.
ka_app()
{
	_kn=$1
	_kt=$2
	shift 2
	cg_make "$_kn" >/dev/null
	rm -f "/tmp/$_kn.ready" "/tmp/$_kn.out"
	sleep 100000 | vw-app --cgroup "$CG_ROOT/$_kn" --ready "/tmp/$_kn.ready" \
		--events --mark-only --ka "$_kt" "$@" 0 >"/tmp/$_kn.out" 2>&1 &
	KA_PIDS="${KA_PIDS:-} $!"
	wait_until 10 "app $_kn ready" test -e "/tmp/$_kn.ready"
	grep -q '^ka-set rc=0' "/tmp/$_kn.out" ||
		fail "app $_kn: keep-alive not set: $(cat "/tmp/$_kn.out")"
}

# populated CGROUP: until a task is in it (an app without one is collected).
populated()
{
	wait_until 5 "a task in $1" grep -q . "$CG_ROOT/$1/cgroup.procs"
}

# boot_of FILE REGEX: boot= of the first line matching REGEX.
boot_of()
{
	grep -E "$2" "$1" | head -n1 | tr ' ' '\n' | sed -n 's/^boot=//p'
}
