# SPDX-License-Identifier: GPL-2.0
# vw-timeout: 120
# kill -9 of voipwaked while its apps are frozen: the module keeps waking
# them, and a restarted daemon rebuilds its view from the kernel (the
# throttle it had set) instead of from memory. (Apps it launched are
# units, adopted by a restarted daemon: the full-system tier's.)
# vw-needs: dbus
. /tests/lib.sh
. /tests/app.sh
. /tests/daemon.sh

vw_load wake_window_ms=300
bus_start
app_conf phone <<'CONF'
[app]
Cgroup = phone
WakeBudget = 2/30s
CONF
app_in_background phone --done
daemon_start
sent=0
for i in 1 2 3; do
	peer send 10 >/dev/null
	sent=$((sent + 10))
	wait_for /tmp/app.out "^recv .*total=$sent " 10
	wait_frozen phone 5
done
wait_until 5 "over budget" grep -q "app phone is over its wake budget" "$VWD_LOG"
expect_eq "throttle" 15000 "$(status_json apps.0.wake_interval_ms)"

daemon_kill KILL
log "voipwaked killed (status $VWD_RC)"
# The module does not need the daemon: data still wakes the app (held by
# the throttle the daemon left, then delivered).
peer send 10 >/dev/null
sent=$((sent + 10))
wait_for /tmp/app.out "^recv .*total=$sent " 20
wait_frozen phone 5
log "woken and refrozen with no daemon"
expect_eq "status without the daemon" null "$(status_json daemon)"

daemon_start
# What the new daemon says is what the kernel says.
id=$(stat -c %i /sys/fs/cgroup/phone)
expect_eq "daemon pid in status" "$VWD_PID" "$(status_json daemon.pid)"
expect_eq "app's cgroup id" "$id" "$(status_json apps.0.cgroup_id)"
expect_eq "app's name" phone "$(status_json apps.0.name)"
expect_eq "throttle taken over" true "$(status_json apps.0.throttled)"
expect_eq "kernel's throttle" 15000 "$(status_json apps.0.wake_interval_ms)"
expect_eq "state" background "$(status_json apps.0.state)"

daemon_kill TERM
peer close >/dev/null
wait $APP_PID
vw_unload
