#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# tests/session/host.sh: voipwake-session against real compositors (sway,
# then phoc for the wire; headless, software rendering) and a real session
# bus, on the host. What it asks of the kernel module cannot happen here
# (the host cannot load modules): the session-agent VM scenario does that.
# This half holds the agent to its Wayland wire, its policy as the
# session sees it, its D-Bus interface, its configuration and its idle
# cost.
#
#   tests/session/host.sh          prints "ok N - ..." / "not ok N - ...",
#                                  exits 0 when every check passed
#
#   sway ──wlr-foreign-toplevel──► voipwake-session ──AppStateChanged──► dbus-monitor
#    ▲                                  ▲   ▲
#    │ xdg-shell                        │   └── inotify: units made by hand in
#   vw-wlapp org.voipwake.A (unit)      │       a cgroup-like tree (--user-cgroup)
#   vw-wlapp org.voipwake.B (no unit)   └────── dbus-send SetAppState
#
# sway refuses to run as root: as root, the script runs itself again as
# nobody, from a copy of what it needs in a directory of its own (the
# clone may be where nobody cannot read). Logs end in build/session/.

set -uo pipefail

top=$(cd "$(dirname "$0")/../.." && pwd)
delay_ms=1000

if [ "$(id -u)" = 0 ]; then
	stage=$(mktemp -d /tmp/vw-session.XXXXXX) || exit 2
	mkdir -p "$stage/bin" "$stage/lib" "$stage/logs" &&
	cp "$0" "$top/daemon/voipwake-session" "$top/tests/progs/vw-wlapp" \
		"$stage/bin/" &&
	cp -P "$top"/lib/libvoipwake.so* "$stage/lib/" &&
	cp "$top/Documentation/dbus/org.voipwake.Session1.xml" "$stage/" &&
	chmod 755 "$stage" && chown -R 65534:65534 "$stage/logs" || exit 2
	setpriv --reuid=65534 --regid=65534 --clear-groups \
		env -i PATH="$PATH" VW_SESSION_STAGE="$stage" \
		"$stage/bin/host.sh" "$@"
	rc=$?
	rm -rf "$top/build/session" && mkdir -p "$top/build" &&
		cp -r "$stage/logs" "$top/build/session"
	rm -rf "$stage"
	exit $rc
fi
stage=${VW_SESSION_STAGE:-}
if [ -z "$stage" ]; then
	# Run by a user: straight from the tree.
	stage=$(mktemp -d /tmp/vw-session.XXXXXX) || exit 2
	mkdir -p "$stage/bin" "$stage/lib" "$top/build/session"
	ln -s "$top/daemon/voipwake-session" "$top/tests/progs/vw-wlapp" \
		"$stage/bin/"
	ln -s "$top"/lib/libvoipwake.so* "$stage/lib/"
	ln -s "$top/Documentation/dbus/org.voipwake.Session1.xml" "$stage/"
	rm -rf "$top/build/session"/*
	ln -s "$top/build/session" "$stage/logs"
	own_stage=$stage
fi
agent=$stage/bin/voipwake-session
wlapp=$stage/bin/vw-wlapp
logs=$stage/logs
cd "$logs" || exit 2
export HOME=$logs XDG_RUNTIME_DIR=$logs/run LD_LIBRARY_PATH=$stage/lib
mkdir -m 700 -p "$XDG_RUNTIME_DIR"
unset XDG_CONFIG_HOME

n=0
failed=0
ok() { n=$((n + 1)); echo "ok $n - $*"; }
not_ok() { n=$((n + 1)); failed=$((failed + 1)); echo "not ok $n - $*"; }
check() { local what=$1; shift; if "$@"; then ok "$what"; else not_ok "$what"; fi; }
now() { date +%s.%N; }

pids=()
cleanup()
{
	local p
	for p in "${pids[@]}"; do kill "$p" 2>/dev/null; done
	wait 2>/dev/null
	[ -z "${own_stage:-}" ] || rm -rf "$own_stage"
}
trap cleanup EXIT

# wait_for FILE REGEX SECS
wait_for()
{
	local i=0
	until grep -aEq "$2" "$1" 2>/dev/null; do
		i=$((i + 1))
		[ $i -le $(($3 * 20)) ] || return 1
		sleep 0.05
	done
}

# The AppStateChanged signals dbus-monitor saw: "TIME APP STATE" lines.
signals()
{
	awk '/^signal / && /member=AppStateChanged/ {
		t = $2; sub("time=", "", t); want = 2; app = ""; next }
	     want && /^ *string / { v = $2; gsub("\"", "", v)
		if (want == 2) app = v; else print t, app, v; want-- }' sig.log
}
# has_signal APP STATE [SKIP]: seen, past the first SKIP signals.
has_signal()
{
	signals | tail -n +$((${3:-0} + 1)) |
		awk -v a="$1" -v s="$2" '$2 == a && $3 == s { f = 1 } END { exit !f }'
}
# wait_signal APP STATE SECS [SKIP]
wait_signal()
{
	local i=0
	until has_signal "$1" "$2" "${4:-0}"; do
		i=$((i + 1))
		[ $i -le $(($3 * 20)) ] || return 1
		sleep 0.05
	done
}
signal_time() { signals | awk -v a="$1" -v s="$2" '$2 == a && $3 == s { print $1; exit }'; }

call() { dbus-send --session --print-reply --dest=org.voipwake.Session1 \
	/org/voipwake/Session1 "org.voipwake.Session1.$1" "${@:2}"; }

# --- the compositor and the bus
cat >sway.conf <<'EOF'
xwayland disable
output HEADLESS-1 resolution 640x480
EOF
WLR_BACKENDS=headless WLR_RENDERER=pixman WLR_LIBINPUT_NO_DEVICES=1 \
	WAYLAND_DEBUG=server sway -c sway.conf >sway.log 2>&1 &
pids+=($!)
# sway says nothing at its default log level: its sockets tell.
export SWAYSOCK WAYLAND_DISPLAY
i=0
until SWAYSOCK=$(ls "$XDG_RUNTIME_DIR"/sway-ipc.*.sock 2>/dev/null) &&
      swaymsg -t get_version >/dev/null 2>&1; do
	i=$((i + 1))
	[ $i -le 400 ] || { not_ok "sway starts headless"; tail sway.log; exit 1; }
	sleep 0.05
done
WAYLAND_DISPLAY=$(cd "$XDG_RUNTIME_DIR" && ls wayland-* | grep -v lock | head -1)
dbus-daemon --session --fork --nopidfile --print-address=3 --print-pid=4 \
	3>bus.addr 4>bus.pid || { not_ok "a session bus"; exit 1; }
pids+=("$(cat bus.pid)")
export DBUS_SESSION_BUS_ADDRESS
DBUS_SESSION_BUS_ADDRESS=$(cat bus.addr)
dbus-monitor --session "type='signal',interface='org.voipwake.Session1'" \
	>sig.log 2>&1 &
pids+=($!)

# --- the user manager's tree, as systemd lays it out
cg=$logs/cgroup/user@65534.service
mkdir -p "$cg/app.slice/app-vwtest-org.voipwake.A-1.scope" \
	 "$cg/session.slice/voipwake-session.service"
printf '[Session]\nBackgroundDelaySec=%dms\nFreezeAll=yes\n' $delay_ms >s.conf

# --- configuration errors say FILE:LINE
printf '[Session]\nFreezeAll=yes\nBackgroundDelaySec=2weeks\n' >bad.conf
out=$("$agent" -c bad.conf --check 2>&1)
rc=$?
check "a bad value is refused with FILE:LINE (rc $rc: $out)" \
	test $rc = 1 -a -n "$(echo "$out" | grep -F 'bad.conf:3: BackgroundDelaySec')"
printf '[Session]\nFreezeAl=yes\n' >bad.conf
out=$("$agent" -c bad.conf --check 2>&1)
check "an unknown key is refused with FILE:LINE ($out)" \
	grep -qF "bad.conf:2: unknown key 'FreezeAl'" <<<"$out"

# --- the agent, with its wire traced
WAYLAND_DEBUG=client "$agent" -c s.conf --user-cgroup "$cg" >agent.log 2>&1 &
agent_pid=$!
pids+=($agent_pid)
wait_for sig.log 'NameAcquired|member=' 5
i=0
until call ListApps >/dev/null 2>&1; do
	i=$((i + 1)); [ $i -le 100 ] || break; sleep 0.05
done
check "the agent owns org.voipwake.Session1" eval 'call ListApps >/dev/null'

# The interface as the running agent introspects it, against its XML in
# Documentation/dbus/, comments and layout aside.
iface()
{
	python3 -c '
import re, sys
x = re.sub(r"<!--.*?-->", "", sys.stdin.read(), flags=re.S)
x = re.search(r"<interface name=\"org.voipwake.Session1\">.*?</interface>", x, re.S).group(0)
x = re.sub(r">\s+<", "><", x)
print(re.sub(r"<(\w+)([^<>]*)></\1>", r"<\1\2/>", x))'
}
dbus-send --session --print-reply=literal --dest=org.voipwake.Session1 \
	/org/voipwake/Session1 org.freedesktop.DBus.Introspectable.Introspect |
	iface >iface.live
iface <"$stage/org.voipwake.Session1.xml" >iface.doc
check "the agent introspects as Documentation/dbus/org.voipwake.Session1.xml says" \
	cmp -s iface.live iface.doc

"$agent" -c s.conf --user-cgroup "$cg" >agent2.log 2>&1
check "a second agent in the same session is refused" \
	grep -q 'org.voipwake.Session1 is taken' agent2.log

# --- A: mapped, focused; then B takes the focus
"$wlapp" org.voipwake.A >a.log 2>&1 &
pids+=($!)
wait_for a.log 'activated=1' 10 || not_ok "A is mapped and activated"
t_left=$(now)
"$wlapp" org.voipwake.B >b.log 2>&1 &
b1=$!
pids+=($b1)
wait_for b.log 'activated=1' 10 || not_ok "B is mapped and activated"
check "A goes to the background once it has no activated window" \
	wait_signal org.voipwake.A background 10
t_bg=$(signal_time org.voipwake.A background)
check "... not before BackgroundDelaySec ($delay_ms ms; it took $(awk -v a="$t_left" -v b="$t_bg" 'BEGIN { printf "%d", (b - a) * 1000 }') ms)" \
	awk -v a="$t_left" -v b="$t_bg" -v d=$delay_ms 'BEGIN { exit !((b - a) * 1000 >= d) }'

# --- B maps to no unit: left alone, and said once
"$wlapp" org.voipwake.B >b2.log 2>&1 &
b2=$!
pids+=($b2)
wait_for b2.log 'activated=1' 10
sleep 0.3
check "B's windows (no unit) are said once ($(grep -c "'org.voipwake.B' match no" agent.log) times)" \
	test "$(grep -c "'org.voipwake.B' match no" agent.log)" = 1
check "B is left alone: no AppStateChanged for it" \
	test -z "$(signals | awk '$2 == "org.voipwake.B"')"

# --- focus back to A: foreground at once
swaymsg -q '[app_id="org.voipwake.A"] focus'
check "A comes back to the foreground when it is activated" \
	wait_signal org.voipwake.A foreground 5
lat=$(call ListApps | awk '/string "org.voipwake.A"/ { f = 1 } f && /uint64/ { print $2; exit }')
check "the agent measured the activation to foreground: $lat us" \
	test -n "$lat" -a "${lat:-0}" -gt 0

# --- idle: nothing pending, nothing happening, no wake-up
ctxt() { awk '/ctxt_switches/ { n += $2 } END { print n }' "/proc/$agent_pid/status"; }
sleep 0.5
c0=$(ctxt)
sleep 3
c1=$(ctxt)
check "idle for 3 s with nothing pending: $((c1 - c0)) wake-ups" test "$c0" = "$c1"

# --- a windowless app appears (inotify), and goes to the background
mkdir "$cg/app.slice/app-org.voipwake.C@1.service"
check "a windowless app unit that appears goes to the background" \
	wait_signal org.voipwake.C background 10
rmdir "$cg/app.slice/app-org.voipwake.C@1.service"
sleep 0.3
check "... and is forgotten when its unit goes" \
	test -z "$(call ListApps | grep -F '"org.voipwake.C"')"

# --- a shell says better
before=$(signals | wc -l)
call SetAppState string:org.voipwake.A string:background >/dev/null
check "SetAppState background: A goes to the background though activated" \
	wait_signal org.voipwake.A background 5 "$before"
out=$(call SetAppState string:org.voipwake.A string:sideways 2>&1)
check "SetAppState refuses a state it does not know ($out)" \
	grep -q 'InvalidArgs.*foreground, background or auto' <<<"$out"
before=$(signals | wc -l)
call SetAppState string:org.voipwake.A string:auto >/dev/null
check "SetAppState auto: A follows its (activated) window again" \
	wait_signal org.voipwake.A foreground 5 "$before"

# --- windows close: the handles go, the wire is what sway sent
kill $b1 $b2
wait $b1 $b2 2>/dev/null

# Every foreign-toplevel message, as sway sent or received it and as the
# agent decoded or encoded it: the same names, objects and arguments, in
# the same order (events and requests each: the two streams interleave
# differently on each side), prove that protocols/ matches the wire of
# every message here. WAYLAND_DEBUG marks what a side sends with "->".
# Taken while the agent runs: what it sends as it exits, sway may never
# read (it drops a client on hang-up without reading the rest).
wire()
{
	local f=$1 sent=$2 re='zwlr_foreign_toplevel_(manager|handle)_v1@[0-9]+\..*'
	if [ "$sent" = sent ]; then
		grep -a -- '-> zwlr_foreign_toplevel_' "$f"
	else
		grep -av -- '-> ' "$f"
	fi | grep -aoE "$re"
}
# wire_check NAME SERVER-LOG AGENT-LOG
wire_check()
{
	local i=0

	until { wire "$2" sent; echo; wire "$2" received; } >"wire.$1" &&
	      { wire "$3" received; echo; wire "$3" sent; } >"wire.$1.agent" &&
	      grep -q 'destroy()' "wire.$1" &&
	      cmp -s "wire.$1" "wire.$1.agent"; do
		i=$((i + 1)); [ $i -le 100 ] || break; sleep 0.05
	done
	check "the agent's wire matches $1's ($(grep -c . "wire.$1.agent") messages: $(sed -nE 's/^zwlr_foreign_toplevel_([a-z]+)_v1@[0-9]+\.([a-z_]+)\(.*/\1.\2/p' "wire.$1.agent" | sort -u | tr '\n' ' '))" \
		test $i -le 100
}
wire_check sway sway.log agent.log

kill -TERM $agent_pid
wait $agent_pid
rc=$?
check "SIGTERM stops the agent cleanly (rc $rc)" test $rc = 0

# --- the compositor goes away: the session is over, the agent too
"$agent" -c s.conf --user-cgroup "$cg" >agent3.log 2>&1 &
agent_pid=$!
pids+=($agent_pid)
i=0
until call ListApps >/dev/null 2>&1; do
	i=$((i + 1)); [ $i -le 100 ] || break; sleep 0.05
done
kill "${pids[0]}"
wait $agent_pid
rc=$?
check "when sway goes, the agent stops (rc $rc: $(tail -n1 agent3.log))" \
	test $rc = 0 -a -n "$(grep 'the compositor is gone' agent3.log)"

# --- phoc, Phosh's compositor, on the wire. Headless and without input
# devices it makes no seat, so no window is ever activated (its windows'
# xdg state says activated all the same): all the agent can be held to
# there is the protocol, whose activated state it follows.
printf '[output:HEADLESS-1]\nmode = 640x480\n' >phoc.ini
WLR_BACKENDS=headless WLR_RENDERER=pixman WLR_LIBINPUT_NO_DEVICES=1 \
	WAYLAND_DISPLAY= WAYLAND_DEBUG=server phoc -C phoc.ini >phoc.log 2>&1 &
pids+=($!)
wait_for phoc.log 'Running compositor on wayland display' 20 ||
	not_ok "phoc starts headless"
WAYLAND_DISPLAY=$(sed -n "s/.*Running compositor on wayland display '\([^']*\)'.*/\1/p" phoc.log | head -1)
"$wlapp" org.voipwake.A >pa.log 2>&1 &
pids+=($!)
wait_for pa.log 'mapped' 10
before=$(signals | wc -l)
WAYLAND_DEBUG=client "$agent" -c s.conf --user-cgroup "$cg" >agent4.log 2>&1 &
agent_pid=$!
pids+=($agent_pid)
"$wlapp" org.voipwake.B >pb.log 2>&1 &
pb=$!
pids+=($pb)
check "phoc: A, which no seat activates, goes to the background" \
	wait_signal org.voipwake.A background 10 "$before"
wait_for pb.log 'mapped' 10
kill $pb
wire_check phoc phoc.log agent4.log
kill $agent_pid

echo "# $failed of $n failed; logs in build/session/"
[ $failed = 0 ]
