# SPDX-License-Identifier: GPL-2.0
# make demo: the iOS VoIP-socket bargain on a real kernel, told as it
# happens, with the example client and server from examples/ and the
# policy daemon. The client registers, marks its signalling socket and
# asks for a keep-alive; put in the background it is frozen (its CPU time
# stops); its server's INVITE wakes it, it answers (the server shows how
# fast) and says done, and it is frozen again; then its keep-alive timer
# wakes it inside its window, its handler pings the server, says done, and
# it is frozen again. Any step that does not happen fails the demo.
# vw-needs: dbus
. /tests/lib.sh
. /tests/app.sh
. /tests/ka.sh
. /tests/daemon.sh

say()
{
	echo "[$(cut -d' ' -f1 /proc/uptime)s] $*"
}

frozen()
{
	grep frozen "$CG_ROOT/voip/cgroup.events"
}

# cpu_ms PID: user + system CPU time of a process, in ms.
cpu_ms()
{
	awk -v hz="$(getconf CLK_TCK 2>/dev/null || echo 100)" \
		'{ print ($14 + $15) * 1000 / hz }' "/proc/$1/stat"
}

say "guest kernel $(uname -r) is up; loading voipwake.ko"
say "(for the demo: wake window 2 s, keep-alives allowed down to 5 s instead of 600 s)"
vw_load wake_window_ms=2000 min_keepalive_s=5
voipwakectl info | sed 's/^/    /'
bus_start

cg_make voip >/dev/null
say "voipwaked, the policy daemon, allows this one app: /etc/voipwake/apps.d/voip.conf"
app_conf voip <<'CONF'
[app]
Cgroup = voip
WakeBudget = 60/1h
CONF
daemon_start
sed 's/^<[0-9]>/    /' "$VWD_LOG"

rm -f /tmp/server.in /tmp/server.out /tmp/client.out
mkfifo /tmp/server.in
voip-server "$PORT" </tmp/server.in >/tmp/server.out 2>&1 &
server=$!
exec 4>/tmp/server.in
wait_for /tmp/server.out '^listening on port' 10
say "server: $(head -n1 /tmp/server.out)"

say "the VoIP app starts in cgroup /voip: voip-client -k 8 (keep-alive every 8 s at most)"
sh -c "echo \$\$ >$CG_ROOT/voip/cgroup.procs && exec voip-client -k 8 -u alice 127.0.0.1 $PORT" \
	>/tmp/client.out 2>&1 &
client=$!
wait_for /tmp/client.out '^registered' 10
sed 's/^/    app: /' /tmp/client.out

say "the app goes to the background: voipwakectl background voip"
voipwakectl background voip
wait_frozen voip
say "cgroup.events: $(frozen) (the app is frozen)"
c0=$(cpu_ms "$client")
sleep 2
c1=$(cpu_ms "$client")
say "its CPU time: $c0 ms, and 2 s later $c1 ms"
[ "$c0" = "$c1" ] || fail "a frozen app used CPU time"

lines=$(wc -l </tmp/client.out)
say "the server sends an INVITE"
echo "invite alice" >&4
wait_for /tmp/client.out '^answered' 10
wait_for /tmp/server.out '^client 1: 200 OK' 5
say "server: $(grep '^client 1: 180' /tmp/server.out)"
say "server: $(grep '^client 1: 200' /tmp/server.out)"
wait_frozen voip 10
say "the app said done: $(frozen) (frozen again at once)"
sed -n "$((lines + 1)),\$p" /tmp/client.out | sed 's/^/    app: /'

window voip
say "next keep-alive due between $((WE / 1000000)) and $((WL / 1000000)) ms of boot time"
lines=$(wc -l </tmp/client.out)
wait_for /tmp/client.out '^keep-alive: ping sent' 15
woke=$(app_field voip last_wake_ns)
say "the keep-alive timer woke the app at $((woke / 1000000)) ms"
[ "$woke" -ge "$WE" ] && [ "$woke" -le "$WL" ] ||
	fail "the keep-alive came at $woke, outside [$WE, $WL]"
say "that is inside its window: $(((woke - WE) / 1000000)) ms after it opened, $(((WL - woke) / 1000000)) ms before the deadline"
wait_for /tmp/client.out '^keep-alive: pong' 5
wait_frozen voip 5
say "the handler said done: $(frozen) (frozen again at once)"
sed -n "$((lines + 1)),\$p" /tmp/client.out | sed 's/^/    app: /'

say "voipwakectl status"
voipwakectl status | sed 's/^/    /'
daemon_kill TERM
voipwakectl foreground voip
echo quit >&4
wait $client
exec 4>&-
wait $server
vw_unload
