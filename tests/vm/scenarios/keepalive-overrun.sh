# SPDX-License-Identifier: GPL-2.0
# vw-timeout: 100
# vw-debug-skip: a 3 s keep-alive period is too short under KASAN+TCG
# Not on the debug kernel, for timing alone: the new budget must reach
# the app before its next keep-alive, 2.4 s after the last one; under
# KASAN on TCG the next keep-alive comes first.
#
# A keep-alive handler that never says done is frozen when its budget runs
# out, and each overrun is counted in the dump and in the events. The
# budget is the module's (1 s here) or the app's own.
. /tests/lib.sh
. /tests/app.sh
. /tests/ka.sh

vw_load min_keepalive_s=2 keepalive_budget_ms=1000
voipwakectl monitor -j >/tmp/mon.out 2>&1 &
mon=$!
cg_make app >/dev/null
vw-cgwatch "$CG_ROOT/app" >/tmp/watch.out 2>&1 &
watch=$!
wait_for /tmp/watch.out '^ready' 5
app_in_background app --ka 3 --ka-hang

# budget: ms from the module's own stamp of the last wake to the first
# freeze vw-cgwatch saw after it. A busy host can only make the watcher see
# the freeze late, never early, so this never reads short.
budget()
{
	_bt=$(app_field app last_wake_ns)
	_bf=$(grep '^frozen cg=0 value=1' /tmp/watch.out | sed 's/.*boot=//' |
		while read -r _t; do
			[ "$_t" -gt "$_bt" ] && { echo "$_t"; break; }
		done)
	[ -n "$_bt" ] && [ -n "$_bf" ] || fail "no freeze after the wake at $_bt: $(cat /tmp/watch.out)"
	echo $(((_bf - _bt) / 1000000))
}

wait_for /tmp/app.out '^keepalive n=1 ' 10
wait_frozen app 4
wait_until 5 "one overrun" eval '[ "$(app_field app keepalive_overruns)" = 1 ]'
ms=$(budget)
log "first keep-alive: awake $ms ms"
[ "$ms" -ge 900 ] && [ "$ms" -lt 2500 ] || fail "awake $ms ms with a 1 s budget"
wait_for /tmp/mon.out '"keepalive_overruns": *1' 5
grep '"keepalive_overruns": *1' /tmp/mon.out | grep -q '"event": *"frozen"' ||
	fail "no frozen event carries the overrun: $(cat /tmp/mon.out)"

# The app's own budget wins over the module's (a period longer than
# the budget, or each keep-alive would extend the last).
voipwakectl keepalive app 6 --budget 3000
expect_eq "keepalive_budget_ms" 3000 "$(app_field app keepalive_budget_ms)"
wait_for /tmp/app.out '^keepalive n=2 ' 10
wait_frozen app 6
wait_until 5 "two overruns" eval '[ "$(app_field app keepalive_overruns)" = 2 ]'
ms=$(budget)
log "second keep-alive: awake $ms ms"
[ "$ms" -ge 2900 ] && [ "$ms" -lt 4500 ] || fail "awake $ms ms with a 3 s budget"
expect_eq "keep-alive wakes" 2 "$(app_field app wakes_keepalive)"

voipwakectl foreground app
kill $mon
peer close >/dev/null
wait_for /tmp/app.out '^eof' 10
wait $APP_PID
kill $watch
vw_unload
