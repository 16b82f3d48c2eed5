# SPDX-License-Identifier: GPL-2.0
# make demo: the iOS VoIP-socket bargain on a real kernel, told as it
# happens. An app marks its signalling socket, is put in the background
# and frozen, is woken by its server's INVITE, answers, and is frozen
# again when its wake window ends; then its keep-alive timer wakes it, its
# handler pings the server and says done, and it is frozen again at once.
. /tests/lib.sh
. /tests/app.sh
. /tests/ka.sh

say()
{
	echo "[$(cut -d' ' -f1 /proc/uptime)s] $*"
}

say "guest kernel $(uname -r) is up; loading voipwake.ko"
say "(for the demo: wake window 2 s, keep-alives allowed down to 5 s instead of 600 s)"
vw_load wake_window_ms=2000 min_keepalive_s=5
voipwakectl info | sed 's/^/    /'

cg_make voip-app >/dev/null
say "server listening; the VoIP app connects and marks its socket"
peer_start
app_start voip-app --ack --ka 8
peer_connected
say "app: $(grep '^marked' /tmp/app.out)"
say "app: keep-alive every 8 s at most: vw_set_keepalive() $(grep '^ka-set' /tmp/app.out)"

say "the app goes to the background: voipwakectl background voip-app"
voipwakectl background voip-app
wait_frozen voip-app
say "cgroup.events: $(grep frozen "$CG_ROOT/voip-app/cgroup.events") (the app is frozen)"

sleep 1
say "the server sends an INVITE"
sent=$(peer msg INVITE sip:alice@example.org SIP/2.0)
wait_for /tmp/app.out '^recv ' 10
recv=$(grep '^recv ' /tmp/app.out | head -n1)
say "app woke and read it: $(us_between "$(field "$sent" t)" "$(field "$recv" t)") us from send to the app running"
say "server got the app's answer: $(peer recv)"
wait_for /tmp/app.out '^event type=woken' 5
say "the app's own event: $(grep '^event type=woken' /tmp/app.out | head -n1)"
say "cgroup.events: $(grep frozen "$CG_ROOT/voip-app/cgroup.events") (awake for its window)"
wait_frozen voip-app 10
say "window over: $(grep frozen "$CG_ROOT/voip-app/cgroup.events") (frozen again)"

window voip-app
say "next keep-alive due between $((WE / 1000000)) and $((WL / 1000000)) ms of boot time"
wait_for /tmp/app.out '^keepalive n=1 ' 15
say "the keep-alive timer woke the app: $(grep '^keepalive n=1 ' /tmp/app.out)"
say "server got the app's keep-alive: $(peer recv)"
wait_frozen voip-app 5
say "the handler said done: $(grep frozen "$CG_ROOT/voip-app/cgroup.events") (frozen again at once)"

say "voipwakectl status"
voipwakectl status | sed 's/^/    /'
peer close >/dev/null
wait $APP_PID
vw_unload
