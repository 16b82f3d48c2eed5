# SPDX-License-Identifier: GPL-2.0
# The settings policy gives an app: its wake window and keep-alive budget,
# and its keep-alive timeout held within KeepaliveMinSec..KeepaliveMaxSec
# whatever the app (or an admin) asks for, and whether its keep-alive may
# wake the system (WakeSystem=, yes unless the file says no, where the
# module's default is no). Another setting the file leaves out is left
# alone. Applied when the app is first seen and each time it is
# frozen, before any wake can reach it: the daemon has no tick.
# vw-needs: dbus
. /tests/lib.sh
. /tests/app.sh
. /tests/daemon.sh

vw_load min_keepalive_s=5
bus_start
app_conf phone <<'CONF'
[app]
Cgroup = phone
WakeWindowMs = 1500
KeepaliveBudgetMs = 2000
KeepaliveMinSec = 20
KeepaliveMaxSec = 40
WakeSystem = no
CONF
app_conf other <<'CONF'
[app]
Cgroup = other
CONF
# An app with no task is collected: one sleeper each.
for cg in phone other; do
	cg_make $cg >/dev/null
	sh -c "echo \$\$ >/sys/fs/cgroup/$cg/cgroup.procs; exec sleep 1000" &
	SLEEPERS="${SLEEPERS:-} $!"
done
voipwakectl keepalive phone 10
voipwakectl wake-window other 700
daemon_start

# field_of NAME KEY: KEY of the app voipwaked names NAME, in status -j.
field_of()
{
	voipwakectl status -j >/tmp/status.json
	_i=0
	while [ "$_i" -lt "$(vw-json 'apps.#' /tmp/status.json)" ]; do
		if [ "$(vw-json "apps.$_i.name" /tmp/status.json 2>/dev/null)" = "$1" ]; then
			vw-json "apps.$_i.$2" /tmp/status.json
			return
		fi
		_i=$((_i + 1))
	done
	echo "no app $1"
}
wait_until 5 "keep-alive raised" eval '[ "$(field_of phone keepalive_s)" = 20 ]'
log_has "app phone asked for a keep-alive every 10 s: held to 20 s"
expect_eq "wake window" 1500 "$(field_of phone wake_window_ms)"
expect_eq "keep-alive budget" 2000 "$(field_of phone keepalive_budget_ms)"
wait_until 5 "other allowed to wake the system" \
	eval '[ "$(field_of other wake_system)" = true ]'
expect_eq "phone, WakeSystem = no" false "$(field_of phone wake_system)"
voipwakectl keepalive phone 100
# Nothing tells the daemon of an admin's APP_SET: the next freeze does.
voipwakectl background phone
wait_frozen phone 5
wait_until 5 "keep-alive lowered" eval '[ "$(field_of phone keepalive_s)" = 40 ]'
log_has "app phone asked for a keep-alive every 100 s: held to 40 s"
voipwakectl keepalive phone 30
sleep 2
expect_eq "a timeout within bounds stays" 30 "$(field_of phone keepalive_s)"
expect_eq "a window the file leaves out stays" 700 "$(field_of other wake_window_ms)"

daemon_kill TERM
voipwakectl foreground phone
voipwakectl keepalive phone off
voipwakectl wake-window phone 0
voipwakectl wake-window other 0
kill $SLEEPERS
wait_until 10 "apps gone" eval "! voipwakectl status -j | grep -q cgroup_id"
vw_unload
