# SPDX-License-Identifier: GPL-2.0
# vw-needs: dbus
# vw-timeout: 150
# The power goal: with apps frozen and nothing happening, voipwaked does
# not wake at all in 60 s (its voluntary context switches, from
# /proc/PID/status), on the system bus and subscribed to the module's
# events. (The watchdog systemd asks for, WatchdogSec=, is the one
# periodic wake-up; busybox guests have no systemd to ask for it.)
. /tests/lib.sh
. /tests/app.sh
. /tests/daemon.sh

vw_load
bus_start
app_conf phone <<'CONF'
[app]
Cgroup = phone
WakeBudget = 3/20s
CONF
app_in_background phone
# Two more apps, frozen with a task each; one is unlisted.
for cg in other unlisted; do
	cg_make $cg >/dev/null
	sleeper_in $cg
	voipwakectl background $cg
	wait_frozen $cg
done
app_conf other <<'CONF'
[app]
Cgroup = other
CONF
daemon_start
# Let start-up settle, then count.
sleep 2
n=$(idle_wakeups "$VWD_PID" 60)
log "voipwaked: $n wake-ups in 60 s with 3 frozen apps"
expect_eq "wake-ups in 60 s idle" 0 "$n"
# It is not asleep for good: a wake's events wake it at once.
w0=$(sed -n 's/^voluntary_ctxt_switches:[[:space:]]*//p' "/proc/$VWD_PID/status")
peer send 10 >/dev/null
wait_for /tmp/app.out "^recv .*total=10 " 10
wait_until 5 "voipwaked woken by the wake's events" eval \
	"[ \$(sed -n 's/^voluntary_ctxt_switches:[[:space:]]*//p' /proc/$VWD_PID/status) -gt $w0 ]"
daemon_kill TERM
for cg in other unlisted; do voipwakectl foreground $cg; done
kill $SLEEPERS
peer close >/dev/null
wait $APP_PID
vw_unload
