# SPDX-License-Identifier: GPL-2.0
# vw-timeout: 150
# Item 8 of issue 15: a lasting condition wakes the app once, until it
# changes. The peer closes (FIN: CLOSE_WAIT lasts as long as the app does
# not close its end), or resets (sk_err stays until the app reads it), a
# frozen app's connection; the app, which never reads, is woken once, and
# when it says done it is frozen again and not woken for the same
# condition. (Each done used to find it again and wake the app: a
# freeze/thaw loop. A FIN also counted as a byte of unread data.)
. /tests/lib.sh
. /tests/app.sh
. /tests/ka.sh

# wakes CGROUP: its socket wakes so far.
wakes()
{
	echo $(($(app_field "$1" wakes_data) + $(app_field "$1" wakes_close) + \
		$(app_field "$1" wakes_error)))
}

vw_load wake_window_ms=20000
for how in close reset; do
	cg_make $how >/dev/null
	peer_start
	rm -f /tmp/app.ready
	sleep 1000 | vw-app --cgroup "$CG_ROOT/$how" --ready /tmp/app.ready \
		--mark-only "$PORT" >/tmp/app.out 2>&1 &
	APP_PID=$!
	wait_until 10 "app ready" test -e /tmp/app.ready
	peer_connected
	voipwakectl background $how
	wait_frozen $how
	peer $how >/dev/null
	wait_until 10 "a wake for the $how" eval '[ "$(wakes $how)" = 1 ]'
	voipwakectl wake-done $how
	log "$how: woken once: data $(app_field $how wakes_data), close $(app_field $how wakes_close), error $(app_field $how wakes_error)"
	wait_frozen $how
	sleep 3
	expect_eq "$how: wakes after done" 1 "$(wakes $how)"
	cg_frozen $how || fail "$how: woken again for the same condition"
	voipwakectl foreground $how
	kill -9 $APP_PID
	kill $PEER_PID
	exec 4>&-
	PORT=$((PORT + 1))
done
wait_until 10 "apps gone" eval "! voipwakectl status -j | grep -q cgroup_id"
vw_unload
