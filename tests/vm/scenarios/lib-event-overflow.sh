# SPDX-License-Identifier: GPL-2.0
# vw-timeout: 100
# vw-debug-skip: 2 s keep-alive periods are too short under KASAN+TCG
# Not on the debug kernel, for timing alone: it counts keep-alives 2 s
# apart during a 7 s stall; under KASAN on TCG fewer of them fit.
#
# libvoipwake recovers from an overflow of its event socket without
# losing a wake. An app with a keep-alive of 2 s shrinks its event socket
# to the kernel's minimum and reads nothing for 7 s while keep-alives
# come and go: the kernel drops its events (ENOBUFS). When it dispatches
# again, the library re-reads the app, delivers a VW_EVENT_RESYNC that
# says keep-alives were missed, runs the keep-alive handler once for
# them, and reports -ENOBUFS; events then flow as before. In the end
# every keep-alive the module counted was handled. An admin subscriber
# that falls behind the same way gets a VW_EVENT_RESYNC for the app.
. /tests/lib.sh
. /tests/app.sh
. /tests/ka.sh

vw_load min_keepalive_s=2 keepalive_budget_ms=1000
cg_make app >/dev/null

rm -f /tmp/lt.in /tmp/adm.in /tmp/lt.ready /tmp/adm.ready
mkfifo /tmp/lt.in /tmp/adm.in
vw-libtest --cgroup "$CG_ROOT/app" --ka 2 --mark-udp --rcvbuf 1 \
	--stall 7000 --ready /tmp/lt.ready </tmp/lt.in >/tmp/lt.out 2>&1 &
lt=$!
exec 5<>/tmp/lt.in
vw-libtest --admin --rcvbuf 1 --stall 7000 --ready /tmp/adm.ready \
	</tmp/adm.in >/tmp/adm.out 2>&1 &
adm=$!
exec 6<>/tmp/adm.in
wait_until 10 "vw-libtest ready" test -e /tmp/lt.ready
wait_until 10 "admin vw-libtest ready" test -e /tmp/adm.ready
log "app: $(grep '^ready' /tmp/lt.out)"
log "admin: $(grep '^ready' /tmp/adm.out)"
port=$(field "$(grep '^ready' /tmp/lt.out)" evt-port)
app=$(app_field app cgroup_id)
[ -n "$app" ] || app=$(stat -c %i "$CG_ROOT/app")

voipwakectl background app
wait_frozen app

# The stall ends at 7 s; the app dispatches at its next keep-alive.
wait_for /tmp/lt.out '^dispatch rc=-105 errno=ENOBUFS' 20
cat /tmp/lt.out
line=$(grep '^dispatch rc=-105' /tmp/lt.out | head -n1)
echo "$line" | grep -q 'the state was re-read and 1 VW_EVENT_RESYNC' ||
	fail "not resynchronised: $line"
grep -q "^event type=resync app=$app reason=0 ka=1 " /tmp/lt.out ||
	fail "no resync event with a missed keep-alive for app $app"
kas=$(field "$(grep '^event type=resync' /tmp/lt.out | head -n1)" kas)
# The handler runs once for every keep-alive that was missed.
after=$(grep -A1 '^event type=resync' /tmp/lt.out | sed -n 2p)
expect_eq "after the resync event" "via=resync covers=$kas" \
	"$(echo "$after" | sed 's/^keepalive n=[0-9]* //')"
[ "$kas" -ge 3 ] || fail "only $kas keep-alives in 7 s of 2 s periods"
# The kernel did drop them: its count for the event socket.
drops=$(awk -v p="$port" '$3 == p { print $9 }' /proc/net/netlink)
log "event socket $port: $drops drops"
[ -n "$drops" ] && [ "$drops" -gt 0 ] || fail "no drops on the event socket: $(cat /proc/net/netlink)"

# Events flow again: the next keep-alive comes with its own event.
wait_for /tmp/lt.out "^keepalive n=[0-9]* via=woken covers=$((kas + 1))\$" 10

# The admin fell behind too, and was handed the app.
wait_for /tmp/adm.out '^dispatch rc=-105 errno=ENOBUFS' 10
grep -q "^event type=resync app=$app reason=0 ka=0 kas=[0-9]" /tmp/adm.out ||
	fail "the admin got no resync event for app $app: $(cat /tmp/adm.out)"
log "admin: $(grep '^dispatch' /tmp/adm.out | head -n1)"

voipwakectl foreground app
wait_thawed app
# Read while the app lives: once its process is gone, the module drops it.
kas_total=$(app_field app wakes_keepalive)
exec 5>&-
exec 6>&-
wait $lt
wait $adm
sum=$(grep '^summary' /tmp/lt.out)
log "$sum"
expect_eq "keep-alives handled up to" "$kas_total" \
	"$(field "$sum" covered)"
[ "$(field "$sum" losses)" -ge 1 ] || fail "no loss reported: $sum"
[ "$(field "$sum" ka-calls)" -le "$kas_total" ] ||
	fail "more handler calls than keep-alives: $sum"
vw_unload
