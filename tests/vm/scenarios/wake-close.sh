# SPDX-License-Identifier: GPL-2.0
# A peer's close (FIN) wakes a frozen app with reason "close", a reset
# with reason "error", so that it can reconnect.
. /tests/lib.sh
. /tests/app.sh

vw_load
PORT=5070
for how in close reset; do
	PORT=$((PORT + 1))
	cg_make "app-$how" >/dev/null
	peer_start
	app_start "app-$how" --linger 500
	peer_connected
	voipwakectl background "app-$how"
	wait_frozen "app-$how"
	peer "$how" >/dev/null
	want=close
	[ $how = reset ] && want=error
	wait_for /tmp/app.out "^event type=woken reason=$want" 10
	wait_for /tmp/app.out '^(eof|recv-error)' 10
	log "$how: $(grep -E '^(event type=woken|eof|recv-error)' /tmp/app.out | tr '\n' ';')"
	wait $APP_PID
	exec 4>&-
	wait $PEER_PID || true
done
vw_unload
