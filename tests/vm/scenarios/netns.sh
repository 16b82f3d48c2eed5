# SPDX-License-Identifier: GPL-2.0
# An app, its peer and the netlink socket that marked it all live in a
# network namespace of their own: wakes work there, and when the
# namespace goes away with its processes nothing is left behind.
. /tests/lib.sh
. /tests/app.sh

vw_load wake_window_ms=1000
cg_make app >/dev/null
unshare -n sh -c '
	. /tests/lib.sh
	. /tests/app.sh
	ip link set lo up
	peer_start
	app_start app
	peer_connected
	voipwakectl background app
	wait_frozen app
	peer send 42 >/dev/null
	wait_for /tmp/app.out "^recv .*total=42 " 10
	wait_for /tmp/app.out "^event type=woken reason=data" 5
	wait_frozen app 5
	kill -9 $APP_PID $PEER_PID
	wait
	echo inner-ok
' >/tmp/inner.out 2>&1 || fail "inside the netns: $(cat /tmp/inner.out)"
cat /tmp/inner.out
grep -q inner-ok /tmp/inner.out || fail "inner script did not finish"
id=$(stat -c %i "$CG_ROOT/app")
wait_until 10 "app gone after the netns" \
	eval "! voipwakectl status -j | grep -q $id"
vw_unload
