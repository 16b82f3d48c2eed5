# SPDX-License-Identifier: GPL-2.0
# Pure ACKs and TCP keep-alive probes reach a frozen app's marked socket
# without waking it; real data still does.
. /tests/lib.sh
. /tests/app.sh

vw_load
cg_make app >/dev/null
peer_start
# The app's own keep-alive makes the peer answer with pure ACKs; the
# peer's makes probes arrive at the app's socket.
app_start app --keepalive 1,1
peer_connected
peer keepalive 1 1 >/dev/null
voipwakectl background app
wait_frozen app
i=0
while [ $i -lt 50 ]; do
	cg_frozen app || fail "app woke without data after $i/10 s"
	sleep 0.1
	i=$((i + 1))
done
log "frozen for 5 s of keep-alive probes and ACKs both ways"
peer send 10 >/dev/null
wait_for /tmp/app.out '^event type=woken reason=data' 10
expect_eq "wakes" 1 "$(count /tmp/app.out '^event type=woken')"
peer close >/dev/null
wait $APP_PID
vw_unload
