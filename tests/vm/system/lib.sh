# SPDX-License-Identifier: GPL-2.0
# shellcheck shell=sh
#
# Sourced by system-tier scenarios (guest path /tests/system.sh), after
# /tests/lib.sh (fail, skip, log, expect_eq, ...) and usually
# /tests/app.sh (wait_for, wait_until, peer_start, ...). The guest is a
# Debian 12 system booted by systemd with voipwake installed from its
# packages: voipwake.ko built by DKMS and loaded at boot by
# modules-load.d, voipwaked.service running. Scenarios run as root, in a
# leaf of the runner's delegated cgroup ($VW_RUNNER_CGROUP).

VW_USER=${VW_USER:-user}
VW_UID=${VW_UID:-1000}
# Files a scenario leaves here reach the host (SCENARIO/files/).
VW_OUT=${VW_OUT:-/vw/out}

# unit_prop UNIT PROPERTY [systemctl options...]: one property's value.
unit_prop()
{
	_up_u=$1
	_up_p=$2
	shift 2
	systemctl "$@" show -P "$_up_p" "$_up_u"
}

# wait_unit UNIT STATE SECS [systemctl options...]: until the unit's
# ActiveState is STATE, or fail.
wait_unit()
{
	_wu_unit=$1
	_wu_state=$2
	_wu_secs=$3
	shift 3
	wait_until "$_wu_secs" "$_wu_unit $_wu_state" \
		eval "[ \"\$(unit_prop $_wu_unit ActiveState $*)\" = $_wu_state ]"
}

# unit_cgroup UNIT [systemctl options...]: the unit's cgroup, as a path
# under /sys/fs/cgroup.
unit_cgroup()
{
	_uc=$(unit_prop "$1" ControlGroup ${2:+"$2"})
	[ -n "$_uc" ] || fail "$1 has no cgroup"
	echo "/sys/fs/cgroup$_uc"
}

# cgroup_frozen PATH: true while the cgroup is frozen (cgroup.events),
# whoever froze it; cgroup_freeze_bit PATH: its own cgroup.freeze.
cgroup_frozen()
{
	grep -q '^frozen 1' "$1/cgroup.events"
}

cgroup_freeze_bit()
{
	cat "$1/cgroup.freeze"
}

wait_cg_frozen()
{
	wait_until "${2:-10}" "$1 frozen" cgroup_frozen "$1"
}

wait_cg_thawed()
{
	wait_until "${2:-10}" "$1 thawed" eval "! cgroup_frozen $1"
}

# as_session CMD...: CMD as the plain user, in the environment of their
# systemd user manager (its runtime directory and session bus), as a
# command in their login would have it.
as_session()
{
	vw-runas "$VW_UID" env HOME="/home/$VW_USER" USER="$VW_USER" \
		XDG_RUNTIME_DIR="/run/user/$VW_UID" \
		DBUS_SESSION_BUS_ADDRESS="unix:path=/run/user/$VW_UID/bus" "$@"
}

# user_manager: the user lingers (loginctl enable-linger), so that
# user@UID.service runs without a login, and its bus answers.
user_manager()
{
	loginctl enable-linger "$VW_USER" || fail "enable-linger $VW_USER"
	wait_unit "user@$VW_UID.service" active 60
	wait_until 30 "the session bus of $VW_USER" \
		test -S "/run/user/$VW_UID/bus"
	log "user@$VW_UID.service active"
}

# user_scope NAME CMD...: CMD in the background as the plain user, in a
# transient scope app-NAME.scope of their manager, as a desktop launcher
# starts apps (systemd-run --user --scope). Sets SCOPE_PID and SCOPE_CG
# (the scope's cgroup) once the scope is active.
user_scope()
{
	_us=app-$1.scope
	shift
	as_session systemd-run --user --scope --quiet --collect --unit="$_us" \
		"$@" &
	SCOPE_PID=$!
	wait_until 30 "$_us running" eval \
		"[ \"\$(as_session systemctl --user show -P ActiveState $_us)\" = active ]"
	SCOPE_CG=/sys/fs/cgroup$(as_session systemctl --user show -P ControlGroup "$_us")
	log "$_us: $SCOPE_CG"
}

# journal_has UNIT REGEX: the unit's journal of this boot has a line.
journal_has()
{
	journalctl -b -u "$1" -o cat --no-pager | grep -Eq "$2"
}

# dkms_module: the path of the DKMS-built voipwake.ko for this kernel.
dkms_module()
{
	find "/lib/modules/$(uname -r)/updates/dkms" -name 'voipwake.ko*' \
		2>/dev/null | head -n1
}

# set_param NAME VALUE: a module parameter of the running module (it was
# loaded at boot, so a scenario cannot pass it to insmod).
set_param()
{
	echo "$2" >"/sys/module/voipwake/parameters/$1" ||
		fail "cannot set $1=$2"
}

# APP_DIR: what an app started by sys_app or user_app reports, writable
# by the plain user too.
APP_DIR=/tmp/vwapp
mkdir -p "$APP_DIR" && chmod 1777 "$APP_DIR"

# app_ready: until the app (sys_app, user_app) is connected and marked.
app_ready()
{
	wait_until 30 "app ready: $(cat "$APP_DIR/app.out" 2>/dev/null)" \
		test -e "$APP_DIR/app.ready"
	grep -q '^marked' "$APP_DIR/app.out" ||
		fail "app not marked: $(cat "$APP_DIR/app.out")"
	log "$(grep '^marked' "$APP_DIR/app.out")"
}

# sys_app UNIT [VW-APP ARGS...]: vw-app as a transient system service
# UNIT (systemd-run), connected to the peer on $PORT and marked; its
# output in $APP_DIR/app.out. APP_CG is its cgroup.
sys_app()
{
	_sa=$1
	shift
	rm -f "$APP_DIR/app.ready" "$APP_DIR/app.out"
	systemd-run --quiet --collect --unit="$_sa" \
		-p StandardOutput="file:$APP_DIR/app.out" -p StandardError=inherit \
		/vw/bin/vw-app --ready "$APP_DIR/app.ready" --events "$@" "$PORT" ||
		fail "systemd-run $_sa"
	app_ready
	APP_CG=$(unit_cgroup "$_sa")
}

# user_app NAME [VW-APP ARGS...]: vw-app as the plain user, in their
# app-NAME.scope (user_scope), connected and marked. APP_CG is the
# scope's cgroup.
user_app()
{
	_ua=$1
	shift
	rm -f "$APP_DIR/app.ready" "$APP_DIR/app.out"
	user_scope "$_ua" sh -c 'exec "$@" >"$0/app.out" 2>&1' "$APP_DIR" \
		/vw/bin/vw-app --ready "$APP_DIR/app.ready" --events "$@" "$PORT"
	app_ready
	APP_CG=$SCOPE_CG
}

# cg_rel PATH: a cgroup path as voipwakectl and voipwaked.conf take it,
# relative to /sys/fs/cgroup.
cg_rel()
{
	echo "${1#/sys/fs/cgroup/}"
}


# wait_until SECS WHAT CMD..., wait_for FILE REGEX SECS, and
# wait_until_quiet SECS CMD... (returns non-zero instead of failing, for
# what a scenario reports rather than requires). Deadlines in seconds of
# the clock, not in counted polls: app.sh's loops
# count their polls, and a poll (two forks) costs so much more in a
# systemd guest under TCG than in busybox that 10 s there became minutes
# here. These replace app.sh's wait_until and wait_for.
sys_cs()
{
	read -r _c _ </proc/uptime
	_cs=${_c%.*}${_c#*.}
}

wait_until()
{
	_wu_secs=$1
	_wu_what=$2
	shift 2
	sys_cs
	_wu_end=$((_cs + _wu_secs * 100))
	until "$@"; do
		sys_cs
		[ "$_cs" -le "$_wu_end" ] || fail "$_wu_what: not within $_wu_secs s"
		sleep 0.05
	done
}

wait_until_quiet()
{
	_wq_secs=$1
	shift
	sys_cs
	_wq_end=$((_cs + _wq_secs * 100))
	until "$@"; do
		sys_cs
		[ "$_cs" -le "$_wq_end" ] || return 1
		sleep 0.05
	done
}

wait_for()
{
	wait_until "$3" "no /$2/ in $1 after $3 s: $(tail -n 3 "$1" 2>/dev/null)" \
		grep -Eq "$2" "$1"
}

# vwd_allow NAME CGROUP [LINE...]: an app file for voipwaked (LINEs
# added to its [app] section), as an administrator writes it, and a
# reload that took it. voipwaked runs with UnlistedApps=deny: a socket
# marked by an app it has no file for is unmarked within a second, so
# the file comes before the app.
vwd_allow()
{
	_va=$(journalctl -b -u voipwaked -o cat | grep -c 'configuration: ')
	_vf=/etc/voipwake/apps.d/$1.conf
	printf '[app]\nCgroup = %s\n' "$2" >"$_vf"
	shift 2
	for _vl in "$@"; do
		echo "$_vl" >>"$_vf"
	done
	systemctl reload voipwaked || fail "systemctl reload voipwaked"
	wait_until 30 "voipwaked took apps.d/$1.conf" eval \
		"[ \$(journalctl -b -u voipwaked -o cat | grep -c 'configuration: ') -gt $_va ]"
}

# The cgroups systemd gives a transient system service and a user's app
# scope, known before they exist (for vwd_allow).
sys_unit_cg()
{
	echo "system.slice/$1"
}

user_scope_cg()
{
	echo "user.slice/user-$VW_UID.slice/user@$VW_UID.service/app.slice/app-$1.scope"
}
