# SPDX-License-Identifier: GPL-2.0
# vw-needs: session
# vw-timeout: 300
# vw-debug-skip: a whole compositor under KASAN and TCG costs minutes of CPU, for module paths (APP_SET by a delegate, data wakes) that other scenarios take on this kernel
#
# The session agent on the real module with a real compositor: sway
# headless, its windows from vw-wlapp, the agent as the user in a user
# manager's tree delegated as systemd delegates it (guest/session.sh).
# App A (a marked socket, a window) in app-vwtest-A-1.scope; window B of
# no app unit. Each must hold:
#   - A goes to the background after BackgroundDelaySec without the
#     focus, and is frozen; not before;
#   - in the background, its server's data wakes it, and it is frozen
#     again; the session still says background (no signal);
#   - the focus brings it back, thawed, at once;
#   - B is left alone (never frozen), and said once;
#   - the agent killed (SIGKILL) and restarted: A stays frozen through it,
#     its wakes still come, and the restarted agent thaws it on focus;
#   - the agent killed for good: --release thaws A;
#   - with FreezeAll=yes, the compositor in an app unit is never frozen;
#   - the agent stopped (SIGTERM): A is thawed.
. /tests/lib.sh
. /tests/app.sh
. /tests/ka.sh
. /tests/session.sh

DELAY=2
A=org.voipwake.A
B=org.voipwake.B
UA=app.slice/app-vwtest-$A-1.scope
CGA=$USER_CG/$UA
CGB=$USER_CG/session.slice/terminal.service

uptime_s() { cut -d' ' -f1 /proc/uptime; }
since() { awk -v a="$1" -v b="$(uptime_s)" 'BEGIN { printf "%.2f", b - a }'; }
signals() { grep -A2 'member=AppStateChanged' "$SESS_LOG/signals.log" |
		sed -n 's/^ *string "\(.*\)"/\1/p' | paste - - ; }

vw_load wake_window_ms=2000
session_start
vw-runas $SESS_UID dbus-monitor --session \
	"type='signal',interface='org.voipwake.Session1'" \
	>"$SESS_LOG/signals.log" 2>&1 &

# A: its signalling connection, marked, and its window (which has the focus).
user_mkdir "$UA"
peer_start
user_run "$UA" vw-app --done --events --ready /tmp/app.ready "$PORT" \
	>/tmp/app.out 2>&1 &
wait_until 20 "A connected and marked" test -e /tmp/app.ready
peer_connected
open_window "$A" "$UA"
wait_for "$SESS_LOG/win-$A.log" 'activated=1' 20

agent_start "BackgroundDelaySec=$DELAY"
log "agent: $(grep -c . "$SESS_LOG/agent.log") lines so far"
cg_frozen "$CGA" && fail "A frozen while it has the focus"

# B takes the focus: A goes to the background after the delay.
t0=$(uptime_s)
open_window "$B" session.slice/terminal.service
wait_frozen "$CGA" 20
took=$(since "$t0")
log "A frozen ${took} s after it lost the focus (BackgroundDelaySec=$DELAY)"
awk -v t="$took" -v d=$DELAY 'BEGIN { exit !(t >= d) }' ||
	fail "A was frozen before BackgroundDelaySec"
wait_until 5 "AppStateChanged background" eval 'signals | grep -q "^$A	background"'
expect_eq "A's state in the kernel" background \
	"$(voipwakectl status | awk -v c="app-vwtest-$A-1.scope" '
		index($NF, c) && $1 ~ /^(foreground|background|awake)$/ { print $1 }')"

# B: a window of no app unit, left alone and said once.
cg_frozen "$CGB" && fail "B's cgroup was frozen"
expect_eq "times B was said" 1 "$(grep -c "'$B' match no" "$SESS_LOG/agent.log")"

# A's server calls: A wakes, answers, is frozen again; the session still
# has it in the background.
peer send 1000 >/dev/null
wait_for /tmp/app.out '^recv .*total=1000 ' 10
wait_frozen "$CGA" 10
# vw-app says done at once, so its events of the wake may come only at
# its next one: the module's count says it.
expect_eq "A's wakes for data" 1 "$(app_field "$CGA" wakes_data)"
log "A woken by its server's data and frozen again"
signals | grep -q "^$A	foreground" && fail "the wake was taken for a foreground: $(signals)"

# The focus comes back: thawed at once.
t0=$(uptime_s)
focus "$A"
wait_thawed "$CGA" 10
log "A thawed $(since "$t0") s after swaymsg focus; the agent measured: $(grep -o 'in the foreground.*' "$SESS_LOG/agent.log" | tail -n1)"
wait_until 5 "AppStateChanged foreground" eval 'signals | grep -q "^$A	foreground"'

# Away again, then the agent is killed: nothing is lost.
focus "$B"
wait_frozen "$CGA" 20
# A thaw that is no wake is a foreground: count the app's own events.
ev0=$(grep -c '^event type=thawed' /tmp/app.out || true)
wk0=$(grep -c '^event type=woken' /tmp/app.out || true)
lines=$(grep -c . "$SESS_LOG/agent.log")
agent_alive
kill -9 "$AGENT_PID"
wait "$AGENT_PID" 2>/dev/null || true
kill -0 "$AGENT_PID" 2>/dev/null && fail "the agent survived SIGKILL"
cg_frozen "$CGA" || fail "A thawed when the agent was killed"
peer send 500 >/dev/null
wait_for /tmp/app.out '^recv .*total=1500 ' 10
wait_frozen "$CGA" 10
expect_eq "A's wakes for data" 2 "$(app_field "$CGA" wakes_data)"
log "with no agent, A was woken by data and frozen again"
agent_start "BackgroundDelaySec=$DELAY"
grep -q 'is taken' "$SESS_LOG/agent.log" && fail "the killed agent still held the bus name"
sleep $((DELAY + 1))
cg_frozen "$CGA" || fail "the restarted agent thawed A, which has no focus"
thawed=$(($(grep -c '^event type=thawed' /tmp/app.out) - ev0))
woken=$(($(grep -c '^event type=woken' /tmp/app.out) - wk0))
log "across the restart: $thawed thaws, $woken wakes"
[ "$thawed" = "$woken" ] || fail "a thaw across the restart was no wake"
sed -n "$((lines + 1)),\$p" "$SESS_LOG/agent.log" | grep -q 'in the foreground' &&
	fail "the restarted agent moved A to the foreground"
grep -q "$A: app-vwtest-$A-1.scope is in the background, as the kernel holds it" \
	"$SESS_LOG/agent.log" || fail "the restarted agent did not read A's state"
focus "$A"
wait_thawed "$CGA" 10
log "the restarted agent thawed A on focus"

# Crashed for good: --release (voipwake-session-release.service) thaws
# what the agent left in the background.
focus "$B"
wait_frozen "$CGA" 20
agent_alive
kill -9 "$AGENT_PID"
wait "$AGENT_PID" 2>/dev/null || true
user_mkdir session.slice/voipwake-session-release.service
user_run session.slice/voipwake-session-release.service \
	voipwake-session --release >"$SESS_LOG/release.log" 2>&1 &
wait $! || fail "--release failed: $(cat "$SESS_LOG/release.log")"
cg_frozen "$CGA" && fail "--release left A frozen"
expect_eq "--release says" "voipwake-session: thawed 1 app instance on the way out" \
	"$(grep thawed "$SESS_LOG/release.log")"
# Phone mode, with the compositor in an app unit of its own, as a session
# started with systemd-run could have it: B's terminal unit is no app, but
# the compositor's unit is, windowless. Never frozen: the agent knows the
# compositor's cgroup from its socket.
user_mkdir app.slice/app-vwtest-sway-1.scope
echo "$SWAY_PID" >"$CG_ROOT/$USER_CG/app.slice/app-vwtest-sway-1.scope/cgroup.procs"
lines=$(grep -c . "$SESS_LOG/agent.log")
agent_start "BackgroundDelaySec=$DELAY
FreezeAll=yes"
sleep $((DELAY + 1))
cg_frozen "$USER_CG/app.slice/app-vwtest-sway-1.scope" && fail "the compositor was frozen"
sed -n "$((lines + 1)),\$p" "$SESS_LOG/agent.log" | grep -q 'holds the compositor' ||
	fail "no word of sparing the compositor: $(tail -n 3 "$SESS_LOG/agent.log")"
log "FreezeAll=yes: the compositor's own app unit is spared"
wait_frozen "$CGA" 10
focus "$A"
wait_thawed "$CGA" 10

# Stopped cleanly while A is in the background: A is thawed.
focus "$B"
wait_frozen "$CGA" 20
agent_alive
kill -TERM "$AGENT_PID"
wait "$AGENT_PID" || fail "the agent did not stop cleanly"
cg_frozen "$CGA" && fail "A left frozen by a stopped agent"
log "SIGTERM: the agent thawed A on its way out"
grep -q 'thawed 1 app instance on the way out' "$SESS_LOG/agent.log" ||
	fail "no word of it in the log"

log "agent log:"
sed 's/^/#   /' "$SESS_LOG/agent.log"
session_stop
echo quit >&4
wait "$PEER_PID"
vw_unload
