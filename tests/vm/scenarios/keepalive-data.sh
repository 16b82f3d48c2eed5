# SPDX-License-Identifier: GPL-2.0
# vw-debug-skip: data meant to come before the keep-alive window (3 s) reaches the app after it opened under KASAN+TCG
# vw-timeout: 100
# Data that wakes the app inside its keep-alive window serves as the
# keep-alive: the handler runs, and the period restarts there, so the
# timer does not fire at the old deadline. Data before the window leaves
# the period alone.
. /tests/lib.sh
. /tests/app.sh
. /tests/ka.sh

vw_load min_keepalive_s=2 wake_window_ms=500
cg_make app >/dev/null
peer_start
app_start app --ka 6
peer_connected
voipwakectl keepalive app 6 --tolerance 50
voipwakectl background app
wait_frozen app
window app
e0=$WE l0=$WL

# Before the window: a data wake, nothing more.
peer send 100 >/dev/null
wait_for /tmp/app.out '^event type=woken reason=data.* ka=0' 10
wait_frozen app 5
window app
expect_eq "window after data before it" "$e0 $l0" "$WE $WL"

# Inside the window: the data wake is the keep-alive.
sleep_until $((e0 + 300000000))
peer send 100 >/dev/null
wait_for /tmp/app.out '^event type=woken reason=data.* ka=1' 10
wait_for /tmp/app.out '^keepalive n=1 ' 5
woke=$(app_field app last_wake_ns)
in_window "data wake" "$woke" "$e0" "$l0"
wait_frozen app 5
window app
start=$((WL - 6000000000))
[ $start -le "$woke" ] && [ $start -ge $((woke - 500000000)) ] ||
	fail "the period restarts at $start, not at the data wake ($woke)"

# The old deadline passes quietly.
sleep_until $((l0 + 1000000000))
expect_eq "timer keep-alives" 0 "$(app_field app wakes_keepalive)"
# The next one comes from the timer, inside the new window.
wait_for /tmp/app.out '^keepalive n=2 ' 10
in_window "timer keep-alive" "$(app_field app last_wake_ns)" "$WE" "$WL"
expect_eq "timer keep-alives" 1 "$(app_field app wakes_keepalive)"

voipwakectl foreground app
peer close >/dev/null
wait_for /tmp/app.out '^eof' 10
wait $APP_PID
vw_unload
