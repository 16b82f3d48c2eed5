# SPDX-License-Identifier: GPL-2.0
# vw-timeout: 120
# Issue 20: a keep-alive falls due while the machine is suspended (S3:
# QEMU's RTC alarm wakes S3, not s2idle). The guest resumes on the RTC
# alarm the module's boot-time alarm programmed, and the handler runs. A
# suspend tried through /sys/power/wakeup_count while the handler works
# is held: reading the count blocks until the app is done (and being
# frozen), while the module's wakeup source is active. Then the guest
# suspends, and resumes for the next keep-alive.
. /tests/lib.sh
. /tests/app.sh
. /tests/ka.sh
. /tests/sleep.sh

vw_load min_keepalive_s=2
sleep_setup
expect_eq "voipwake wakeup source active while idle" 0 \
	"$(cat "$WS/active_count")"

# Handler of 2 s; an 8 s period: due in [6.4 s, 8 s] of the backgrounding.
# The admin lets its keep-alive wake the system (by default it may not).
ka_app a 8 --ka-work 2000
expect_eq "APP_SET wake-system=1" "result=ok" \
	"$(vw-nlprobe app-set "$CG_ROOT/a" wake-system=1)"
voipwakectl status -j | grep '"cgroup": "/a"' | grep -q '"wake_system": true' ||
	fail "status -j does not say a may wake the system: $(voipwakectl status -j)"
voipwakectl background a
wait_frozen a
window a
n0=$(suspends)
suspend_handshake a /tmp/s1.out
cat /tmp/s1.out
grep -q '^slept=' /tmp/s1.out || fail "first suspend did not happen: $(cat /tmp/s1.out)"
expect_eq "suspends" $((n0 + 1)) "$(suspends)"
resumed=$(sed -n 's/^slept=//p' /tmp/s1.out)
[ "$resumed" -ge "$WE" ] ||
	fail "resumed at $resumed, before the keep-alive's window opened ($WE): not by its alarm"

wait_for /tmp/a.out '^keepalive n=1 ' 15
ka1=$(boot_of /tmp/a.out '^keepalive n=1 ')
log "resume to handler: $(((ka1 - resumed) / 1000000)) ms (shell's resume stamp, 10 ms steps)"
[ "$(cat "$WS/active_count")" -ge 1 ] || fail "the wakeup source was never active"

# The handler works for 2 s from ka1: a suspend tried now waits for it.
suspend_handshake a /tmp/s2.out
cat /tmp/s2.out
read2=$(sed -n 's/^read=\([0-9]*\).*/\1/p' /tmp/s2.out)
[ "$read2" -ge $((ka1 + 1900000000)) ] ||
	fail "wakeup_count read at $read2, before the handler was done (started $ka1)"
expect_eq "cgroup.freeze once wakeup_count could be read" 1 \
	"$(sed -n 's/.*freeze=//p' /tmp/s2.out)"
grep -q '^slept=' /tmp/s2.out || fail "second suspend did not happen: $(cat /tmp/s2.out)"
expect_eq "suspends" $((n0 + 2)) "$(suspends)"

# Resumed for the next keep-alive, which is served.
wait_for /tmp/a.out '^keepalive n=2 ' 15
wait_frozen a 5
expect_eq "keep-alive wakes" 2 "$(app_field a wakes_keepalive)"
expect_eq "overruns" 0 "$(app_field a keepalive_overruns)"
# shellcheck disable=SC2086
kill $KA_PIDS
wait_until 10 "the app collected" eval "! voipwakectl status -j | grep -q '\"/a\"'"
expect_eq "voipwake wakeup source active at the end" 0 \
	"$(cat "$WS/active_time_ms" 2>/dev/null || echo 0)"
vw_unload
