# SPDX-License-Identifier: GPL-2.0
# No lost wake-up: data already queued (unread) when the app is put in the
# background wakes it at once, and so does data sent while the freeze is
# still being entered.
. /tests/lib.sh
. /tests/app.sh

vw_load wake_window_ms=1000
cg_make app >/dev/null
peer_start
app_start app
peer_connected

# Unread at background time: the app is stopped, so the bytes sit queued.
kill -STOP $APP_PID
peer send 500 >/dev/null
sleep 0.2
voipwakectl background app
i=0
until voipwakectl status -j | grep -q '"wakes_data": *1'; do
	i=$((i + 1))
	[ $i -le 100 ] || fail "unread data did not wake the app: $(voipwakectl status -j)"
	sleep 0.05
done
log "unread data woke the app at background time"
kill -CONT $APP_PID
wait_for /tmp/app.out '^recv .*total=500 ' 10
wait_for /tmp/app.out '^event type=woken reason=data' 5
wait_frozen app 5

# Data racing the freeze: no wait between background and send.
voipwakectl foreground app
wait_thawed app
voipwakectl background app
peer send 300 >/dev/null
wait_for /tmp/app.out '^recv .*total=800 ' 10
log "data sent during the freeze was delivered"
wait_frozen app 5
expect_eq "wake events" 2 "$(count /tmp/app.out '^event type=woken reason=data')"
peer close >/dev/null
wait $APP_PID
vw_unload
