# SPDX-License-Identifier: GPL-2.0
# Foregrounding cancels everything: an awake app is not frozen at the end
# of its window, and data to a foreground app wakes nothing.
. /tests/lib.sh
. /tests/app.sh

vw_load wake_window_ms=1000
app_in_background app
peer send 10 >/dev/null
wait_for /tmp/app.out '^recv .*total=10 ' 10
voipwakectl foreground app
sleep 2
cg_frozen app && fail "foreground app frozen at the end of its old window"
peer send 10 >/dev/null
wait_for /tmp/app.out '^recv .*total=20 ' 10
sleep 0.5
expect_eq "wakes" 1 "$(count /tmp/app.out '^event type=woken')"
voipwakectl status
peer close >/dev/null
wait $APP_PID
vw_unload
