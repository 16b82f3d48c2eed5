# SPDX-License-Identifier: GPL-2.0
# shellcheck shell=sh
#
# Sourced by the session agent's scenarios ("# vw-needs: session"): a
# user's graphical session in the busybox guest, laid out as systemd lays
# it out, with the real compositor, bus and agent.
#
#   /sys/fs/cgroup/user.slice/user-1000.slice/user@1000.service  delegated
#     session.slice/sway.service           sway (headless), as uid 1000
#     session.slice/dbus.service           the session bus
#     session.slice/voipwake-session.service  the agent
#     session.slice/terminal.service       windows of no app unit
#     app.slice/app-vwtest-ID-1.scope      an app: vw-app + vw-wlapp ID
#
# Root makes user@1000.service and hands it to uid 1000 as systemd's
# Delegate=yes does (the directory and its cgroup.procs, cgroup.threads
# and cgroup.subtree_control); everything below it is made by the user,
# as the user manager would. This tier is the quick one for the agent
# against the kernel; sys-session runs it under a real systemd.

SESS_UID=1000
USER_CG=user.slice/user-1000.slice/user@1000.service
SESS_RT=/tmp/xdg
SESS_LOG=/tmp/session
export XDG_RUNTIME_DIR=$SESS_RT WAYLAND_DISPLAY=wayland-1 HOME=$SESS_RT

# user_run CGROUP CMD... &: CMD as uid 1000, in CGROUP (below USER_CG).
# It execs, so that $! is CMD's own pid: run it in the background.
user_run()
{
	_ur=$CG_ROOT/$USER_CG/$1
	shift
	exec sh -c 'echo $$ >"$1/cgroup.procs" && shift && exec vw-runas '$SESS_UID' "$@"' \
		sh "$_ur" "$@"
}

# user_mkdir CGROUP: a cgroup below USER_CG, made by the user.
user_mkdir()
{
	vw-runas $SESS_UID mkdir -p "$CG_ROOT/$USER_CG/$1"
}

session_start()
{
	mkdir -p "$CG_ROOT/$USER_CG" "$SESS_LOG" "$SESS_RT"
	chown $SESS_UID:$SESS_UID "$CG_ROOT/$USER_CG" \
		"$CG_ROOT/$USER_CG/cgroup.procs" \
		"$CG_ROOT/$USER_CG/cgroup.threads" \
		"$CG_ROOT/$USER_CG/cgroup.subtree_control" "$SESS_RT" "$SESS_LOG"
	chmod 700 "$SESS_RT"
	for _c in app.slice session.slice/sway.service session.slice/dbus.service \
		  session.slice/voipwake-session.service \
		  session.slice/terminal.service; do
		user_mkdir "$_c"
	done
	printf 'xwayland disable\noutput HEADLESS-1 resolution 640x480\n' \
		>"$SESS_LOG/sway.conf"
	WLR_BACKENDS=headless WLR_RENDERER=pixman WLR_LIBINPUT_NO_DEVICES=1 \
		user_run session.slice/sway.service sway -c "$SESS_LOG/sway.conf" \
		>"$SESS_LOG/sway.log" 2>&1 &
	SWAY_PID=$!
	_ss=0
	until SWAYSOCK=$(ls "$SESS_RT"/sway-ipc.*.sock 2>/dev/null) &&
	      [ -S "$SESS_RT/$WAYLAND_DISPLAY" ]; do
		_ss=$((_ss + 1))
		[ $_ss -le 600 ] || fail "sway did not start: $(tail -n 5 "$SESS_LOG/sway.log")"
		sleep 0.1
	done
	export SWAYSOCK
	user_run session.slice/dbus.service dbus-daemon --session --nofork \
		--nopidfile --address="unix:path=$SESS_RT/bus" \
		>"$SESS_LOG/dbus.log" 2>&1 &
	export DBUS_SESSION_BUS_ADDRESS=unix:path=$SESS_RT/bus
	wait_until 20 "the session bus" test -S "$SESS_RT/bus"
	log "session: sway $SWAY_PID on $WAYLAND_DISPLAY, bus $DBUS_SESSION_BUS_ADDRESS"
}

# agent_alive: the agent still runs, or fail with its log.
agent_alive()
{
	kill -0 "$AGENT_PID" 2>/dev/null ||
		fail "the agent is gone: $(tail -n 5 "$SESS_LOG/agent.log")"
}

# agent_start [CONF-LINES]: voipwake-session with [Session] CONF-LINES.
agent_start()
{
	printf '[Session]\n%s\n' "$*" >"$SESS_LOG/session.conf"
	user_run session.slice/voipwake-session.service voipwake-session \
		-c "$SESS_LOG/session.conf" >>"$SESS_LOG/agent.log" 2>&1 &
	AGENT_PID=$!
	wait_until 30 "the agent on the bus" agent_call ListApps
	agent_alive
	[ "$(cat "/proc/$AGENT_PID/comm")" = voipwake-sessio ] ||
		fail "\$! is not the agent: $(cat "/proc/$AGENT_PID/comm")"
}

agent_call()
{
	vw-runas $SESS_UID dbus-send --session --print-reply \
		--dest=org.voipwake.Session1 /org/voipwake/Session1 \
		"org.voipwake.Session1.$1" >/dev/null 2>&1
}

# app_unit ID: the cgroup of app ID's one instance, below CG_ROOT.
app_unit()
{
	echo "$USER_CG/app.slice/app-vwtest-$1-1.scope"
}

# open_window ID CGROUP: a vw-wlapp window with app_id ID, in CGROUP
# (below USER_CG); waits until it is mapped.
open_window()
{
	user_run "$2" vw-wlapp "$1" >"$SESS_LOG/win-$1.log" 2>&1 &
	wait_for "$SESS_LOG/win-$1.log" '^mapped' 30
}

# session_stop: every process of the session gone (cgroup.kill), as at
# logout; then nothing of the module is held by it.
session_stop()
{
	echo 1 >"$CG_ROOT/$USER_CG/cgroup.kill"
	wait_until 10 "the session's processes gone" \
		grep -q '^populated 0' "$CG_ROOT/$USER_CG/cgroup.events"
}

# focus ID: the compositor gives ID's window the focus.
focus()
{
	vw-runas $SESS_UID swaymsg -q "[app_id=\"$1\"] focus" ||
		fail "swaymsg focus $1"
}
