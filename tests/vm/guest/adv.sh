# SPDX-License-Identifier: GPL-2.0
# shellcheck shell=sh
#
# Sourced by the adversarial scenarios (fuzz-*, race-*, privilege-*), after
# lib.sh and app.sh. VW_LONG=1 (make stress) asks for their long forms.

# debug_kernel: true on the KASAN/lockdep/kmemleak kernel, which runs
# about ten times slower under TCG than a cloud kernel.
debug_kernel()
{
	[ -e /sys/kernel/debug/kmemleak ]
}

# scaled SHORT LONG DEBUG_SHORT DEBUG_LONG: the size of a run.
scaled()
{
	if debug_kernel; then
		[ -n "${VW_LONG:-}" ] && echo "$4" || echo "$3"
	else
		[ -n "${VW_LONG:-}" ] && echo "$2" || echo "$1"
	fi
}

# leak_start: forget what kmemleak knew before the module came.
leak_start()
{
	debug_kernel || return 0
	echo scan >/sys/kernel/debug/kmemleak
	echo clear >/sys/kernel/debug/kmemleak
}

# leak_check: on the debug kernel, a kmemleak scan must find nothing new.
# kmemleak ignores objects younger than 5 s, hence the wait.
leak_check()
{
	debug_kernel || return 0
	sleep 6
	echo scan >/sys/kernel/debug/kmemleak
	echo scan >/sys/kernel/debug/kmemleak
	if grep -q unreferenced /sys/kernel/debug/kmemleak; then
		head -n 40 /sys/kernel/debug/kmemleak
		fail "kmemleak found unreferenced objects"
	fi
	log "kmemleak: nothing unreferenced"
}

# apps_left: how many apps a root dump still lists.
apps_left()
{
	voipwakectl status -j | grep -c '"cgroup"' || true
}

# wait_all SECS PID...: every PID exits 0 within SECS, or fail (and kill
# what is left, so nothing outlives the scenario), first showing the files
# named in $RACE_LOGS: the racers' own words on what went wrong.
wait_all()
{
	_wa=$(($1 * 10))
	shift
	for _p in "$@"; do
		while kill -0 "$_p" 2>/dev/null && [ $_wa -gt 0 ]; do
			_wa=$((_wa - 1))
			sleep 0.1
		done
		if kill -0 "$_p" 2>/dev/null; then
			_cmd=$(tr '\0' ' ' <"/proc/$_p/cmdline")
			kill -9 "$@" 2>/dev/null
			race_logs
			fail "pid $_p hung: $_cmd"
		fi
		wait "$_p" || { _rc=$?; race_logs; fail "pid $_p exited with status $_rc"; }
	done
}

race_logs()
{
	for _f in ${RACE_LOGS:-}; do
		echo "--- $_f"
		cat "$_f" 2>/dev/null
	done
}

# rmmod_refused SECS: tries to unload the module until SECS pass; it must
# be refused every time (something holds a marked socket). Sets RMMODS.
rmmod_refused()
{
	RMMODS=0
	_end=$(($(date +%s) + $1))
	while [ "$(date +%s)" -lt $_end ]; do
		! rmmod voipwake 2>/dev/null ||
			fail "rmmod succeeded while a socket was marked"
		RMMODS=$((RMMODS + 1))
		sleep 0.05
	done
	log "rmmod refused $RMMODS times"
}

# apps_drain SECS: the app table empties (idle apps are collected every
# 2 s) once everything that used the module is gone.
apps_drain()
{
	_ad=$(($1 * 10))
	until [ "$(apps_left)" = 0 ]; do
		_ad=$((_ad - 1))
		[ $_ad -gt 0 ] || fail "apps left behind: $(voipwakectl status -j)"
		sleep 0.1
	done
	log "app table empty"
}

# pin_start: a socket marked outside the race, so the module stays in use
# and every rmmod attempt must be refused; pin_stop lets it go.
pin_start()
{
	cg_make pin >/dev/null
	rm -f /tmp/pin.in
	mkfifo /tmp/pin.in
	vw-sock --cgroup "$CG_ROOT/pin" --hold 1 udp4 </tmp/pin.in \
		>/tmp/pin.out 2>&1 &
	PIN=$!
	exec 5<>/tmp/pin.in
	wait_for /tmp/pin.out '^held n=1' 10
}

pin_stop()
{
	exec 5>&-
	wait_all 10 "$PIN"
}
