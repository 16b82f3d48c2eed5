# SPDX-License-Identifier: GPL-2.0
# vw-needs: dbus
# vw-timeout: 90
# Issue 19's last guarantee: an unmodified app's connection opened during
# a wake window is marked before the refreeze completes. voipwaked sets
# the app's freeze gate (MarkGateMs=); the module waits for its marks
# before each freeze. The module's own APP_FROZEN_NTF, sent when
# cgroup.events says frozen, carries the app's marked sockets: it must
# count the app's connection at the first background and at the refreeze
# after a reconnect. With voipwaked stopped, the app stays awake until the
# gate times out, is frozen then, and the timeout is counted. rmmod while
# a gate waits leaves no timer behind (the app is not frozen after, and
# nothing runs: the debug kernel would see a use after free).
. /tests/lib.sh
. /tests/app.sh
. /tests/daemon.sh

modprobe -a inet_diag tcp_diag udp_diag 2>/dev/null || true

# frozen_socks N: the socks of the Nth APP_FROZEN_NTF the monitor saw.
frozen_socks()
{
	grep '"event": *"frozen"' /tmp/mon.jsonl | sed -n "$1p" >/tmp/ev.json
	[ -s /tmp/ev.json ] || fail "no frozen event $1: $(cat /tmp/mon.jsonl)"
	vw-json socks /tmp/ev.json
}

# ev_field EVENT N KEY: KEY of the Nth EVENT the monitor saw.
ev_field()
{
	grep "\"event\": *\"$1\"" /tmp/mon.jsonl | sed -n "$2p" >/tmp/ev.json
	[ -s /tmp/ev.json ] || fail "no $1 event $2: $(cat /tmp/mon.jsonl)"
	vw-json "$3" /tmp/ev.json
}

KILL=
vw_load wake_window_ms=1000
bus_start
cg_make sip >/dev/null
# A second for the gate: TCG is slow, and the stopped daemon's case
# must be told from a quick answer.
cat >"$VWD_CONF/voipwaked.conf" <<'CONF'
[daemon]
MarkGateMs = 1000
CONF
app_conf sip <<'CONF'
[app]
Cgroup = sip
WakeWindowMs = 1500
MarkSockets = tcp:5060
CONF

tpeer tcp 5060
sh -c "echo \$\$ >$CG_ROOT/sip/cgroup.procs
	while :; do vw-app --no-mark 5060; sleep 0.1; done" >/tmp/tcp.app 2>&1 &
KILL="$KILL $!"
wait_for /tmp/tcp.app '^not-marked' 10
wait_for /tmp/tcp.out '^accepted' 10

voipwakectl monitor -j >/tmp/mon.jsonl 2>&1 &
MON=$!
KILL="$KILL $MON"
daemon_start

# The first background: marked before the freeze completes.
voipwakectl background sip
wait_frozen sip
wait_until 5 "the frozen event" grep -q '"event": *"frozen"' /tmp/mon.jsonl
expect_eq "marked sockets when first frozen" 1 "$(frozen_socks 1)"
expect_eq "the gate voipwaked set" 1000 "$(status_json apps.0.freeze_gate_ms)"

# The server goes: the close wakes the app, it reconnects to a new one
# while awake, and at the refreeze its new socket is already marked.
tpeer tcp2 5060
tsay tcp close
wait_for /tmp/tcp2.out '^accepted' 20
wait_frozen sip 10
wait_until 5 "the second frozen event" eval \
	"[ \"\$(grep -c '\"event\": *\"frozen\"' /tmp/mon.jsonl)\" -ge 2 ]"
expect_eq "marked sockets at the refreeze after a reconnect" 1 "$(frozen_socks 2)"
expect_eq "gates that timed out" 0 "$(ev_field frozen 2 freeze_gate_timeouts)"

# voipwaked stopped: nobody answers. The app stays awake past its window
# until the gate times out, then it is frozen and that is counted.
gates=$(count /tmp/mon.jsonl '"event": *"freeze-gate"')
frozen=$(count /tmp/mon.jsonl '"event": *"frozen"')
kill -STOP "$VWD_PID"
tsay tcp2 "send 100"
wait_for /tmp/tcp.app '^recv .*total=100 ' 10
wait_until 10 "the gate opens" eval \
	"[ \"\$(count /tmp/mon.jsonl '\"event\": *\"freeze-gate\"')\" -gt $gates ]"
gate_t=$(ev_field freeze-gate $((gates + 1)) time)
# Not frozen while the gate waits (looked at only while it surely does).
now=$(cut -d' ' -f1 /proc/uptime)
if awk -v a="$gate_t" -v n="$now" 'BEGIN { exit !(n - a < 0.7) }'; then
	cg_frozen sip && fail "frozen $(awk -v a="$gate_t" -v n="$now" 'BEGIN { print n - a }') s into a 1 s gate nobody answered"
else
	log "the gate was seen too late to look at it while open"
fi
wait_frozen sip 10
wait_until 5 "the frozen event" eval \
	"[ \"\$(count /tmp/mon.jsonl '\"event\": *\"frozen\"')\" -gt $frozen ]"
frozen_t=$(ev_field frozen $((frozen + 1)) time)
waited=$(awk -v a="$gate_t" -v b="$frozen_t" 'BEGIN { printf "%d", (b - a) * 1000 }')
log "gate opened at $gate_t, frozen at $frozen_t: $waited ms"
[ "$waited" -ge 900 ] || fail "frozen $waited ms after the gate opened, before its 1000 ms"
expect_eq "gates that timed out" 1 "$(ev_field frozen $((frozen + 1)) freeze_gate_timeouts)"
dmesg | grep -q "nobody answered freeze gate" ||
	fail "no kernel log line for the timed-out gate"
kill -CONT "$VWD_PID"

# A clean stop clears the gate: nobody would answer it.
daemon_kill TERM
expect_eq "daemon exit status" 0 "$VWD_RC"
expect_eq "the gate after the daemon's stop" 0 "$(voipwakectl status -j >/tmp/s.json; vw-json apps.0.freeze_gate_ms /tmp/s.json)"
# shellcheck disable=SC2086
kill $KILL 2>/dev/null
echo 1 >"$CG_ROOT/sip/cgroup.kill"

# rmmod during a gate: an app with a gate and no mark (a marked socket
# keeps the module in), backgrounded while nobody answers.
cg_make idle >/dev/null
sleeper_in idle
app_conf idle <<'CONF'
[app]
Cgroup = idle
MarkSockets = tcp:9
CONF
voipwakectl monitor -j >/tmp/mon.jsonl 2>&1 &
MON=$!
daemon_start
kill -STOP "$VWD_PID"
voipwakectl background idle
wait_until 10 "the gate opens" grep -q '"event": *"freeze-gate"' /tmp/mon.jsonl
kill "$MON"
vw_unload
sleep 1.5
expect_eq "timed-out gates after rmmod" 1 "$(dmesg | grep -c 'nobody answered freeze gate')"
cg_frozen idle && fail "the app was frozen after rmmod"
kill -CONT "$VWD_PID"
daemon_kill TERM
# shellcheck disable=SC2086
kill $SLEEPERS 2>/dev/null
