# SPDX-License-Identifier: GPL-2.0
# shellcheck shell=sh
#
# Sourced by the voipwaked scenarios, after lib.sh and app.sh. The daemon runs in the
# background with its log (stderr, journald's "<N>" prefixes and all) in
# $VWD_LOG; its configuration is written to /etc/voipwake by the scenario.

VWD_LOG=/tmp/voipwaked.log
VWD_CONF=/etc/voipwake
mkdir -p "$VWD_CONF/apps.d"
# A failing scenario shows what the daemon said; the bus goes with it.
trap 'rc=$?; [ $rc -eq 0 ] || [ ! -e "$VWD_LOG" ] ||
	{ echo "--- voipwaked log"; cat "$VWD_LOG"; };
	[ -z "${BUS_PID:-}" ] || kill "$BUS_PID" 2>/dev/null; exit $rc' EXIT

# bus_start: the system bus, in a guest that has it ("# vw-needs: dbus",
# tests/vm/pack-dbus), with voipwaked's installed policy.
bus_start()
{
	[ -x /usr/bin/dbus-daemon ] || fail "no dbus-daemon: the scenario needs '# vw-needs: dbus'"
	mkdir -p /run/dbus
	dbus-daemon --system --nofork --nopidfile >/tmp/dbus.log 2>&1 &
	BUS_PID=$!
	wait_until 10 "the system bus" test -S /run/dbus/system_bus_socket
}

# dcall [--as UID] METHOD ARGS...: a method of org.voipwake.Daemon1
# through dbus-send (a client other than voipwakectl's sd-bus); its
# reply, or its error, on stdout; fails as dbus-send does.
dcall()
{
	_dc_as=
	if [ "$1" = --as ]; then
		_dc_as="vw-runas $2"
		shift 2
	fi
	_dc_m=$1
	shift
	$_dc_as dbus-send --system --print-reply --dest=org.voipwake.Daemon1 \
		/org/voipwake/Daemon1 "org.voipwake.Daemon1.$_dc_m" "$@" 2>&1
}

# app_conf NAME: the app's file from stdin.
app_conf()
{
	cat >"$VWD_CONF/apps.d/$1.conf"
}

# daemon_start [ARGS...]: voipwaked, and wait for its "ready".
daemon_start()
{
	_ds=$(count "$VWD_LOG" 'voipwaked: ready')
	_ds=${_ds:-0}
	voipwaked "$@" >>"$VWD_LOG" 2>&1 &
	VWD_PID=$!
	wait_until 20 "voipwaked ready" eval \
		"kill -0 $VWD_PID || fail 'voipwaked exited'; [ \"\$(count $VWD_LOG 'voipwaked: ready')\" -gt $_ds ] 2>/dev/null"
}

# daemon_kill SIG: signal it and reap it; its exit status in VWD_RC.
daemon_kill()
{
	kill "-$1" "$VWD_PID"
	VWD_RC=0
	wait "$VWD_PID" || VWD_RC=$?
}

# status_json PATH: one value of voipwakectl status -j, read back by a
# real JSON parser.
status_json()
{
	voipwakectl status -j >/tmp/status.json || fail "status -j failed"
	vw-json "$1" /tmp/status.json || fail "no $1 in: $(cat /tmp/status.json)"
}

# daemon_app_json NAME KEY: KEY of app NAME in status -j's daemon.apps.
daemon_app_json()
{
	voipwakectl status -j >/tmp/status.json || fail "status -j failed"
	_n=$(vw-json 'daemon.apps.#' /tmp/status.json) || fail "no daemon in status"
	_i=0
	while [ "$_i" -lt "$_n" ]; do
		if [ "$(vw-json "daemon.apps.$_i.name" /tmp/status.json)" = "$1" ]; then
			vw-json "daemon.apps.$_i.$2" /tmp/status.json
			return
		fi
		_i=$((_i + 1))
	done
	fail "app $1 not in status -j's daemon.apps"
}

# sleeper_in CGROUP: a task that sleeps in CGROUP (an app with no task is
# collected), there before this returns; its pid in SLEEPERS too.
sleeper_in()
{
	sh -c "echo \$\$ >'$CG_ROOT/$1/cgroup.procs'; exec sleep 100000" &
	SLEEPERS="${SLEEPERS:-} $!"
	wait_until 10 "a task in $1" grep -q . "$CG_ROOT/$1/cgroup.procs"
}

# idle_wakeups PID SECS: how often PID woke up (voluntary context
# switches, from /proc/PID/status) in SECS of nothing happening.
idle_wakeups()
{
	_iw0=$(sed -n 's/^voluntary_ctxt_switches:[[:space:]]*//p' "/proc/$1/status")
	sleep "$2"
	_iw1=$(sed -n 's/^voluntary_ctxt_switches:[[:space:]]*//p' "/proc/$1/status")
	echo $((_iw1 - _iw0))
}

# log_has REGEX: the daemon's log must hold it (now).
log_has()
{
	grep -Eq "$1" "$VWD_LOG" || fail "voipwaked log has no /$1/: $(tail -n 5 "$VWD_LOG")"
	log "voipwaked: $(grep -E "$1" "$VWD_LOG" | tail -n 1)"
}
