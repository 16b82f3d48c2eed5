# SPDX-License-Identifier: GPL-2.0
# vw-timeout: 120
# kill -9 of voipwaked while its apps are frozen: the module keeps waking
# them, and a restarted daemon rebuilds its view from the kernel (the
# throttle it had set, the app it had launched) instead of from memory.
. /tests/lib.sh
. /tests/app.sh
. /tests/daemon.sh

vw_load wake_window_ms=300
app_conf phone <<'CONF'
[app]
Cgroup = phone
WakeBudget = 2/30s
CONF
app_conf sleeper <<'CONF'
[app]
Exec = /bin/sleep 1000
CONF
app_in_background phone --done
daemon_start
wait_until 10 "sleeper started" grep -q "app sleeper started" "$VWD_LOG"
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
log_has "app sleeper is running \(pid [0-9]+\): adopted"
expect_eq "sleeper starts" 1 "$(count "$VWD_LOG" "app sleeper started")"
expect_eq "processes in sleeper's cgroup" 1 \
	"$(wc -l </sys/fs/cgroup/voipwake/sleeper/cgroup.procs)"
# What the new daemon says is what the kernel says.
id=$(stat -c %i /sys/fs/cgroup/phone)
expect_eq "daemon pid in status" "$VWD_PID" "$(status_json daemon.pid)"
expect_eq "app's cgroup id" "$id" "$(status_json apps.0.cgroup_id)"
expect_eq "app's name" phone "$(status_json apps.0.name)"
expect_eq "throttle taken over" true "$(status_json apps.0.throttled)"
expect_eq "kernel's throttle" 15000 "$(status_json apps.0.wake_interval_ms)"
expect_eq "state" background "$(status_json apps.0.state)"

# An adopted app's exit status cannot be known: its cgroup emptying is
# taken for a failure, and it is relaunched.
kill "$(cat /sys/fs/cgroup/voipwake/sleeper/cgroup.procs)"
wait_until 10 "adopted app relaunched" eval \
	'[ "$(count $VWD_LOG "app sleeper started")" = 2 ]'
log_has "app sleeper exited while adopted \(status unknown\) after [0-9]+ s up: relaunch 1 in 1 s"

daemon_kill TERM
peer close >/dev/null
wait $APP_PID
vw_unload
