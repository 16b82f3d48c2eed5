# SPDX-License-Identifier: GPL-2.0
# make demo: voipwake's main job as a user sees it, on a real kernel with
# a real compositor. Two apps on sway (headless): Phone, the example VoIP
# client from examples/ with its window, and Notes, a window. The user
# moves to Notes; after BackgroundDelaySec the session agent puts Phone
# in the background and the kernel freezes it (its CPU time stops); its
# server's INVITE wakes it, it answers (the server shows how fast) and
# says done, and it is frozen again; then its keep-alive timer wakes it
# inside its window, and it is frozen again; the user comes back to it
# and it is thawed. Told step by step, with the time of each; any step
# that does not happen fails the demo.
# vw-needs: session
# vw-timeout: 300
. /tests/lib.sh
. /tests/app.sh
. /tests/ka.sh
. /tests/session.sh

DELAY=3
PHONE=org.voipwake.Phone
NOTES=org.voipwake.Notes
UP=app.slice/app-demo-$PHONE-1.scope
UN=app.slice/app-demo-$NOTES-1.scope
CGP=$USER_CG/$UP
T0=$(cut -d' ' -f1 /proc/uptime)

say()
{
	awk -v a="$T0" -v b="$(cut -d' ' -f1 /proc/uptime)" -v m="$*" \
		'BEGIN { printf "[%6.2f s] %s\n", b - a, m }'
}

frozen()
{
	grep frozen "$CG_ROOT/$CGP/cgroup.events"
}

# cpu_ms PID: user + system CPU time of a process, in ms.
cpu_ms()
{
	awk -v hz="$(getconf CLK_TCK 2>/dev/null || echo 100)" \
		'{ print ($14 + $15) * 1000 / hz }' "/proc/$1/stat"
}

# app_says FROM: the Phone's lines since line FROM, indented.
app_says()
{
	sed -n "$(($1 + 1)),\$p" /tmp/client.out | sed 's/^/           phone: /'
}

say "guest kernel $(uname -r); loading voipwake.ko"
say "(for the demo: wake window 2 s, keep-alives allowed down to 5 s instead of 600 s)"
vw_load wake_window_ms=2000 min_keepalive_s=5
session_start
say "sway is up, headless; user 1000's session bus too"

rm -f /tmp/server.in /tmp/server.out /tmp/client.out
mkfifo /tmp/server.in
voip-server "$PORT" </tmp/server.in >/tmp/server.out 2>&1 &
server=$!
exec 4<>/tmp/server.in
wait_for /tmp/server.out '^listening on port' 10
say "the VoIP server: $(head -n1 /tmp/server.out)"

user_mkdir "$UP"
user_mkdir "$UN"
user_run "$UP" voip-client -k 8 -u alice 127.0.0.1 "$PORT" \
	>/tmp/client.out 2>&1 &
client=$!
wait_for /tmp/client.out '^registered' 10
open_window $PHONE "$UP"
say "Phone starts in $UP: registered, socket marked, its window has the focus"
app_says 0

agent_start "BackgroundDelaySec=$DELAY"
say "voipwake-session, the session agent, follows sway's windows (BackgroundDelaySec=$DELAY)"

open_window $NOTES "$UN"
t=$(cut -d' ' -f1 /proc/uptime)
say "the user opens Notes: it takes the focus, Phone is in the background"
wait_frozen "$CGP" 20
say "$(awk -v a="$t" -v b="$(cut -d' ' -f1 /proc/uptime)" 'BEGIN { printf "%.1f", b - a }') s later the agent hands Phone to voipwake: $(frozen) (frozen)"
c0=$(cpu_ms "$client")
sleep 2
c1=$(cpu_ms "$client")
say "Phone's CPU time: $c0 ms, and 2 s later $c1 ms"
[ "$c0" = "$c1" ] || fail "a frozen app used CPU time"

lines=$(wc -l </tmp/client.out)
say "a call comes: the server sends an INVITE"
echo "invite alice" >&4
wait_for /tmp/client.out '^answered' 10
wait_for /tmp/server.out '^client 1: 200 OK' 5
say "server: $(grep '^client 1: 180' /tmp/server.out)"
say "server: $(grep '^client 1: 200' /tmp/server.out)"
wait_frozen "$CGP" 10
say "Phone said done: $(frozen) (frozen again at once; Notes still has the focus)"
app_says "$lines"

window "$CGP"
say "Phone's next keep-alive is due between $((WE / 1000000)) and $((WL / 1000000)) ms of boot time"
lines=$(wc -l </tmp/client.out)
wait_for /tmp/client.out '^keep-alive: ping sent' 15
woke=$(app_field "$CGP" last_wake_ns)
say "the keep-alive timer woke Phone at $((woke / 1000000)) ms"
[ "$woke" -ge "$WE" ] && [ "$woke" -le "$WL" ] ||
	fail "the keep-alive came at $woke, outside [$WE, $WL]"
wait_for /tmp/client.out '^keep-alive: pong' 5
wait_frozen "$CGP" 5
say "its handler said done: $(frozen) (frozen again at once)"
app_says "$lines"

t=$(cut -d' ' -f1 /proc/uptime)
focus $PHONE
wait_thawed "$CGP" 10
say "the user comes back to Phone (swaymsg focus): thawed $(awk -v a="$t" -v b="$(cut -d' ' -f1 /proc/uptime)" 'BEGIN { printf "%.2f", b - a }') s later; the agent measured: $(grep -o 'in the foreground.*' "$SESS_LOG/agent.log" | tail -n1)"

say "voipwakectl status"
voipwakectl status | sed 's/^/    /'
kill -TERM "$AGENT_PID"
wait "$AGENT_PID" || fail "the agent did not stop cleanly"
echo quit >&4
wait $client
exec 4>&-
wait $server
session_stop
vw_unload
