# SPDX-License-Identifier: GPL-2.0
# vw-needs: dbus
# vw-timeout: 150
# The abuse case: a server that pings its app every second so that it never
# sleeps. voipwaked sees the app go over its wake budget, reports it, and
# the module holds its socket wakes apart (none lost); once the pings stop
# the throttle is lifted.
. /tests/lib.sh
. /tests/app.sh
. /tests/daemon.sh

vw_load wake_window_ms=300
bus_start
app_conf pinger <<'CONF'
[app]
Cgroup = pinger
; 3 wakes per 20 s: over it, wakes are held 6666 ms apart
WakeBudget = 3/20s
CONF
app_in_background pinger --done
daemon_start
expect_eq "daemon sees the app" pinger "$(status_json apps.0.name)"
expect_eq "budget" 3/20s "$(status_json apps.0.budget)"

sent=0
i=0
while [ $i -lt 6 ]; do
	peer send 10 >/dev/null
	sent=$((sent + 10))
	sleep 1
	i=$((i + 1))
done
wait_until 5 "over-budget report" grep -q "app pinger is over its wake budget" "$VWD_LOG"
log_has "app pinger is over its wake budget \(more than 3/20s\)"
expect_eq "throttle in the kernel" 6666 "$(status_json apps.0.wake_interval_ms)"
expect_eq "throttled, says status" true "$(status_json apps.0.throttled)"

# Throttled: 14 more pings in 14 s give at most 3 wakes, and every byte
# still arrives.
w0=$(status_json apps.0.wakes_data)
i=0
while [ $i -lt 14 ]; do
	peer send 10 >/dev/null
	sent=$((sent + 10))
	sleep 1
	i=$((i + 1))
done
wait_for /tmp/app.out "^recv .*total=$sent " 12
w1=$(status_json apps.0.wakes_data)
held=$(status_json apps.0.wakes_held)
log "while throttled: 14 pings, $((w1 - w0)) wakes, $held held"
[ $((w1 - w0)) -le 4 ] || fail "throttled app woke $((w1 - w0)) times for 14 pings"
[ "$held" -ge 1 ] || fail "no wake was held"
log "budget used: $(daemon_app_json pinger budget_used), left: $(daemon_app_json pinger budget_left)"

# Quiet again: lifted once it is back under half its budget.
wait_until 45 "throttle lifted" grep -q "app pinger is back within its wake budget" "$VWD_LOG"
expect_eq "throttle in the kernel" 0 "$(status_json apps.0.wake_interval_ms)"
expect_eq "throttled, says status" false "$(status_json apps.0.throttled)"
expect_eq "times throttled" 1 "$(status_json apps.0.throttles)"
peer send 10 >/dev/null
sent=$((sent + 10))
wait_for /tmp/app.out "^recv .*total=$sent " 5
log "unthrottled: woken at once again"

daemon_kill TERM
expect_eq "daemon exit status" 0 "$VWD_RC"
peer close >/dev/null
wait $APP_PID
vw_unload
