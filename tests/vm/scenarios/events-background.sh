# SPDX-License-Identifier: GPL-2.0
# Issue 22: an app (uid 1000) hears that it was put in the background and
# brought back (backgrounded, then foregrounded, once each, in order),
# and that root unmarked its socket (unmarked, naming the socket), through
# the netlink socket it marked from; so does the admin group. Another
# user's process, with a marked socket of its own in another app, hears
# none of it and cannot join the admin group.
. /tests/lib.sh
. /tests/app.sh

vw_load
info=$(voipwakectl info)
echo "$info" | grep -q 'state_ntf' || fail "no state_ntf feature: $info"
echo "$info" | grep -q 'unmark_ntf' || fail "no unmark_ntf feature: $info"

voipwakectl monitor >/tmp/mon.out 2>&1 &
mon=$!
cg_make app >/dev/null
cg_make other >/dev/null

# The spy: uid 1001, its own app with a marked socket, listening.
out=$(vw-runas 1001 vw-libtest --admin </dev/null 2>&1) || true
echo "$out" | grep -q 'error what=vw_subscribe_admin errno=EPERM' ||
	fail "uid 1001 joined the admin group: $out"
rm -f /tmp/spy.in
mkfifo /tmp/spy.in
sh -c "echo \$\$ >$CG_ROOT/other/cgroup.procs &&
	exec vw-runas 1001 vw-libtest --mark-udp" \
	</tmp/spy.in >/tmp/spy.out 2>&1 &
spy=$!
exec 6<>/tmp/spy.in
wait_for /tmp/spy.out '^(ready|error)' 10
grep -q '^ready' /tmp/spy.out || fail "spy: $(cat /tmp/spy.out)"

peer_start
rm -f /tmp/app.ready
sh -c "echo \$\$ >$CG_ROOT/app/cgroup.procs &&
	exec vw-runas 1000 vw-app --events --ready /tmp/app.ready $PORT" \
	>/tmp/app.out 2>&1 &
APP_PID=$!
wait_until 10 "app ready" test -e /tmp/app.ready
peer_connected
ino=$(field "$(grep '^marked' /tmp/app.out)" ino)
[ -n "$ino" ] || fail "app not marked: $(cat /tmp/app.out)"

voipwakectl background app
wait_frozen app
# A second request changes nothing, and says nothing.
voipwakectl background app
voipwakectl foreground app
wait_thawed app
wait_for /tmp/app.out '^event type=foregrounded' 5
# Only now may the app have read what came while it was frozen.
grep '^event' /tmp/app.out
expect_eq "backgrounded events" 1 "$(count /tmp/app.out '^event type=backgrounded')"
expect_eq "foregrounded events" 1 "$(count /tmp/app.out '^event type=foregrounded')"
bg=$(grep -n '^event type=backgrounded' /tmp/app.out | cut -d: -f1)
fg=$(grep -n '^event type=foregrounded' /tmp/app.out | cut -d: -f1)
[ "$bg" -lt "$fg" ] || fail "foregrounded (line $fg) came before backgrounded (line $bg)"

# Root unmarks the app's socket through a duplicate (pidfd_getfd).
fd=$(ls -l "/proc/$APP_PID/fd" | sed -n "s/.* \([0-9]*\) -> socket:\[$ino\]/\1/p")
[ -n "$fd" ] || fail "socket $ino not found in /proc/$APP_PID/fd"
voipwakectl unmark "$APP_PID" "$fd"
wait_for /tmp/app.out "^event type=unmarked .*sock=$ino " 5
voipwakectl status | grep -q "$ino" && fail "socket still marked after unmark"

peer close >/dev/null
wait $APP_PID
sleep 0.2
# Killed, not ended by its stdin: the peer and the app hold the fifo too.
kill $spy $mon
wait $spy 2>/dev/null || true
exec 6>&-
cat /tmp/mon.out
grep -Eq "backgrounded app=" /tmp/mon.out || fail "no backgrounded in the admin group"
grep -Eq "foregrounded app=" /tmp/mon.out || fail "no foregrounded in the admin group"
grep -Eq "sock-unmarked sock=$ino " /tmp/mon.out || fail "no sock-unmarked in the admin group"
cat /tmp/spy.out
expect_eq "events uid 1001 heard" 0 "$(count /tmp/spy.out '^event ')"
vw_unload
