# SPDX-License-Identifier: GPL-2.0
# Item 10 of issue 15: the UDP hook costs the same whatever is queued. Its
# WAKE_BYTES is the size of the datagram at the head of the receive queue,
# the next one the app will read, not the sum of every queued datagram
# (which took a walk of the whole queue, under its lock, in softirq, for
# every datagram to an app in the background).
. /tests/lib.sh
. /tests/app.sh

vw_load wake_window_ms=1000
cg_make app >/dev/null
peer_start --udp
rm -f /tmp/app.ready
# Marked and never reading: datagrams stay queued.
sleep 1000 | vw-app --udp --cgroup "$CG_ROOT/app" --ready /tmp/app.ready \
	--mark-only --events "$PORT" >/tmp/app.out 2>&1 &
APP_PID=$!
wait_until 10 "app ready" test -e /tmp/app.ready
peer_connected --udp
# Queued while the app runs: no wake, then the background finds them.
for n in 100 200 300; do
	peer send $n >/dev/null
done
sleep 0.5
voipwakectl background app
wait_for /tmp/app.out '^event type=woken' 10
line=$(grep '^event type=woken' /tmp/app.out | head -n1)
log "$line"
expect_eq "wake reason" data "$(field "$line" reason)"
expect_eq "WAKE_BYTES: the datagram at the head of the queue" 100 \
	"$(field "$line" bytes)"
voipwakectl foreground app
kill -9 $APP_PID
wait_until 10 "app gone" eval "! voipwakectl status -j | grep -q cgroup_id"
vw_unload
