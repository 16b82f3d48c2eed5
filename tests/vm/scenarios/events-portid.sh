# SPDX-License-Identifier: GPL-2.0
# vw-timeout: 90
# Item 7 of issue 15: nobody else reads an app's events.
# - An app (uid 1000) marks its socket and closes the netlink sockets it
#   marked from; another user (uid 1001) binds their portids. The app is
#   frozen and woken: the other user hears nothing. (Unicast targets were
#   bare portids, kept after their socket closed.)
# - A process of another user in the app's cgroup cannot take the app's
#   own events over with a self APP_SET while the app's listener lives.
. /tests/lib.sh
. /tests/app.sh
. /tests/ka.sh

# The app never reads: the cap, not the window, ends its wake.
vw_load wake_window_ms=1000 wake_window_max_ms=2000 min_keepalive_s=60
cg_make app >/dev/null
PORT=5072
peer_start --udp
mkfifo /tmp/hold
sh -c "echo \$\$ >$CG_ROOT/app/cgroup.procs && exec vw-runas 1000 vw-hole quiet $PORT" \
	</tmp/hold >/tmp/quiet.out 2>&1 &
quiet=$!
exec 6<>/tmp/hold
wait_until 10 "the app marked its socket" eval \
	'grep -q "^quiet portids=" /tmp/quiet.out ||
	 { kill -0 $quiet 2>/dev/null || fail "app: $(cat /tmp/quiet.out)"; false; }'
portid=$(field "$(grep '^quiet ' /tmp/quiet.out)" portids)
log "the app's netlink sockets were portids $portid, now closed"
wait_for /tmp/peer.out '^peer-known' 10
vw-runas 1001 vw-hole nlbind "$portid" 12 >/tmp/spy.out 2>&1 &
spy=$!
wait_for /tmp/spy.out '^nlbind-ready' 10
grep -q 'bound=ok' /tmp/spy.out ||
	fail "uid 1001 could not bind $portid: $(cat /tmp/spy.out)"
voipwakectl background app
wait_frozen app
peer send 100 >/dev/null
wait_until 10 "data wake" eval '[ "$(app_field app wakes_data)" = 1 ]'
wait_frozen app
wait $spy
cat /tmp/spy.out
expect_eq "messages uid 1001 got on the app's old portid" 0 \
	"$(field "$(grep '^nlbind ' /tmp/spy.out)" received)"
voipwakectl foreground app
exec 6>&-
wait $quiet

# The app's own listener is its user's.
cg_make shared >/dev/null
sh -c "echo \$\$ >$CG_ROOT/shared/cgroup.procs && exec vw-runas 1000 vw-hole selfka 8" \
	>/tmp/ka1.out 2>&1 &
ka1=$!
wait_for /tmp/ka1.out '^selfka ' 10
expect_eq "uid 1000 sets its app's keep-alive" ok \
	"$(field "$(cat /tmp/ka1.out)" ka)"
sh -c "echo \$\$ >$CG_ROOT/shared/cgroup.procs && exec vw-runas 1001 vw-hole selfka 0" \
	>/tmp/ka2.out 2>&1
expect_eq "uid 1001, in the same cgroup, takes the app's events" EBUSY \
	"$(field "$(cat /tmp/ka2.out)" ka)"
wait $ka1
kill $PEER_PID
vw_unload
