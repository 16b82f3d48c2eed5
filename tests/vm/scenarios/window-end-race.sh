# SPDX-License-Identifier: GPL-2.0
# vw-timeout: 150
# Item 6 of issue 15: no wake is lost at the end of a window. An app with
# a 100 ms window answers every datagram on its first socket; its 15 other
# marked sockets hold 3000 unread datagrams each (marked for errors only,
# so they wake nothing but make each window's end look at a long queue).
# The peer sends at random instants, and each datagram must be answered:
# one that comes while the window's end looks at the sockets must still
# wake the app once it is frozen. (The freeze erased the wakes recorded
# since the look: the app stayed frozen with data queued.) One not
# answered within 5 s gets 25 s more with nothing else sent: lost if it
# never is (only a new datagram would wake such an app), late if a slow
# guest answered it (reported, not failed: timing is not the behaviour).
. /tests/lib.sh
. /tests/app.sh

secs=12
debug_kernel && secs=30
vw_load wake_window_ms=100 max_socks_per_app=16
cg_make app >/dev/null
sh -c "echo \$\$ >$CG_ROOT/app/cgroup.procs && exec vw-hole winapp 600 5080 16" \
	>/tmp/app.out 2>&1 &
app=$!
wait_for /tmp/app.out '^fill ' 10
# shellcheck disable=SC2046 # one word per port
vw-hole winpeer "$secs" 5080 $(sed -n 's/^fill //p' /tmp/app.out) \
	>/tmp/peer.out 2>&1 &
peer=$!
wait_for /tmp/peer.out '^winpeer-filled' 60
voipwakectl background app
wait $peer || fail "winpeer: $(cat /tmp/peer.out)"
grep -E '^(lost|late) ' /tmp/peer.out | tail -n 5
line=$(grep '^winpeer ' /tmp/peer.out)
log "$line; app: $(voipwakectl status -j | grep -o '"wakes_data": [0-9]*')"
[ "$(field "$line" sent)" -gt 10 ] || fail "too few rounds: $line"
expect_eq "datagrams left unanswered (a lost wake)" 0 "$(field "$line" lost)"
voipwakectl foreground app
kill $app
wait $app 2>/dev/null || true
vw_unload
