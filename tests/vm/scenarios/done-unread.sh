# SPDX-License-Identifier: GPL-2.0
# "Done" with data still unread does not lose it: the app is woken again
# for that data at once. (At the end of a window the app had its chance:
# it is frozen until new data comes.)
. /tests/lib.sh
. /tests/app.sh
. /tests/ka.sh

vw_load wake_window_ms=1000 wake_window_max_ms=2000
cg_make app >/dev/null
peer_start
# Connected and marked, but it never reads its socket.
rm -f /tmp/app.ready
sleep 1000 | vw-app --cgroup "$CG_ROOT/app" --ready /tmp/app.ready \
	--mark-only "$PORT" >/tmp/app.out 2>&1 &
APP_PID=$!
wait_until 10 "app ready" test -e /tmp/app.ready
peer_connected
voipwakectl background app
wait_frozen app
peer send 100 >/dev/null
wait_until 10 "first data wake" eval '[ "$(app_field app wakes_data)" = 1 ]'
wait_thawed app
voipwakectl wake-done app
wait_until 10 "wake for the unread data" eval '[ "$(app_field app wakes_data)" = 2 ]'
log "done with 100 bytes unread: woken again"
# Unread at the cap: frozen, and no wake follows.
wait_frozen app 10
sleep 3
expect_eq "data wakes after the cap" 2 "$(app_field app wakes_data)"
cg_frozen app || fail "woken again without new data"
voipwakectl foreground app
kill -9 $APP_PID
wait_until 10 "app gone" eval "! voipwakectl status -j | grep -q cgroup_id"
vw_unload
