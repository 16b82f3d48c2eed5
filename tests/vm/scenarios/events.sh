# SPDX-License-Identifier: GPL-2.0
# The admin event group (voipwakectl monitor) reports frozen, woken with
# reason, socket and bytes, thawed and socket closed; the app's own events
# reach the app through the netlink socket that marked it.
. /tests/lib.sh
. /tests/app.sh

vw_load wake_window_ms=1000
voipwakectl monitor >/tmp/mon.out 2>&1 &
mon=$!
cg_make app >/dev/null
peer_start
app_start app
peer_connected
ino=$(field "$(grep '^marked' /tmp/app.out)" ino)
voipwakectl background app
wait_frozen app
peer send 123 >/dev/null
wait_for /tmp/app.out '^recv .*total=123 ' 10
wait_frozen app 5
peer close >/dev/null
wait $APP_PID
sleep 0.5
kill $mon
cat /tmp/mon.out
grep -q 'frozen' /tmp/mon.out || fail "no frozen event"
grep -q 'thawed' /tmp/mon.out || fail "no thawed event"
grep -Eq "woken.*reason=data.*sock=$ino.*bytes=123" /tmp/mon.out ||
	fail "no woken event naming reason, socket and bytes"
grep -Eq "sock-closed.*sock=$ino" /tmp/mon.out || fail "no sock-closed event"
grep -Eq "^event type=woken reason=data sock=$ino bytes=123" /tmp/app.out ||
	fail "the app did not get its own woken event: $(grep event /tmp/app.out)"
vw_unload
