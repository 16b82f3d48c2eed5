# SPDX-License-Identifier: GPL-2.0
# vw-tier: system
# vw-timeout: 240
#
# The session agent as a desktop runs it: user 1000's manager runs sway
# (headless, software rendering) as a user service and voipwake-session
# from the voipwake package's user unit; apps are started by
# systemd-run --user --scope into app-… scopes, as launchers start them;
# the focus moves with swaymsg. App A (vw-app's marked connection and a
# vw-wlapp window in app-vwtest-org.voipwake.A-1.scope), app B (a window,
# in its own app scope), and window C of no app unit. Each must hold:
#   - A goes to the background after BackgroundDelaySec without the
#     focus, and is frozen; not before;
#   - in the background, its server's data wakes it, and it is frozen
#     again;
#   - the focus brings it back, thawed;
#   - C is left alone (never frozen), and said once;
#   - the agent killed (SIGKILL) and restarted by systemd (Restart=):
#     A stays frozen, its wakes still come, and the new agent thaws it
#     on focus.
. /tests/lib.sh
. /tests/app.sh
. /tests/system.sh

DELAY=2
A=org.voipwake.A
B=org.voipwake.B
C=org.voipwake.C
RT=/run/user/$VW_UID
OUT=$APP_DIR
agent=voipwake-session.service

uptime_s() { cut -d' ' -f1 /proc/uptime; }
since() { awk -v a="$1" -v b="$(uptime_s)" 'BEGIN { printf "%.2f", b - a }'; }

# The agent's journal, this boot (it logs to stderr, which the user
# manager hands to journald).
agent_log()
{
	journalctl -b _SYSTEMD_USER_UNIT=$agent -o cat --no-pager
}

uctl()
{
	as_session systemctl --user "$@"
}

# window ID UNIT [CMD...]: a vw-wlapp window with app_id ID in the
# transient scope UNIT; waits until it is mapped.
window()
{
	_w=$1
	_u=$2
	shift 2
	rm -f "$OUT/win-$_w.log"
	as_session systemd-run --user --scope --quiet --collect --unit="$_u" \
		env WAYLAND_DISPLAY="$WL" sh -c \
		'vw-wlapp "$1" >"$2" 2>&1 & shift 2; [ $# -eq 0 ] || exec "$@"; wait' \
		sh "$_w" "$OUT/win-$_w.log" "$@" &
	wait_until 30 "window $_w mapped" eval \
		"grep -q '^mapped' '$OUT/win-$_w.log' 2>/dev/null"
}

# wakes_data: the module's count of A's wakes for data. vw-app says done
# at once, so its own events of a wake may come only at its next one.
wakes_data()
{
	voipwakectl status -j | grep "\"cgroup\": \"/$(cg_rel "$CGA")\"" |
		grep -o '"wakes_data": [0-9]*' | sed 's/.*: //'
}

focus()
{
	as_session env SWAYSOCK="$SWAYSOCK" swaymsg -q "[app_id=\"$1\"] focus" ||
		fail "swaymsg focus $1"
}

CGA=/sys/fs/cgroup/$(user_scope_cg "vwtest-$A-1")
CGB=/sys/fs/cgroup/$(user_scope_cg "vwtest-$B-1")
set_param wake_window_ms 1000
vwd_allow phone "$(cg_rel "$CGA")"
user_manager
expect_eq "$agent enabled for every user's graphical session" enabled \
	"$(uctl is-enabled $agent)"

# The compositor, a user service in session.slice.
mkdir -p "$OUT/sway" && chmod 755 "$OUT/sway"
printf 'xwayland disable\noutput HEADLESS-1 resolution 640x480\n' \
	>"$OUT/sway/config"
t0=$(uptime_s)
uctl reset-failed 2>/dev/null || true
as_session systemd-run --user --quiet --unit=vwtest-sway.service \
	-p Slice=session.slice -E WLR_BACKENDS=headless -E WLR_RENDERER=pixman \
	-E WLR_LIBINPUT_NO_DEVICES=1 sway -c "$OUT/sway/config" ||
	fail "systemd-run sway"
wait_until 60 "sway's sockets: $(journalctl -b _SYSTEMD_USER_UNIT=vwtest-sway.service -o cat | tail -n 3)" \
	eval 'SWAYSOCK=$(ls $RT/sway-ipc.*.sock 2>/dev/null) &&
	      WL=$(cd $RT && ls wayland-? 2>/dev/null | head -n1) && [ -S "$RT/$WL" ]'
log "sway up in $(since "$t0") s: $WL, $SWAYSOCK"

# A: its signalling connection, marked, and its window (which has the
# focus: sway focuses a new window).
peer_start
rm -f "$APP_DIR/app.ready" "$APP_DIR/app.out"
window $A "app-vwtest-$A-1.scope" sh -c 'exec "$@" >"$0/app.out" 2>&1' \
	"$APP_DIR" /vw/bin/vw-app --done --events --ready "$APP_DIR/app.ready" "$PORT"
app_ready
peer_connected

# The agent: the packaged unit, started as a session starts it, once the
# compositor's display is in the manager's environment.
printf '[Session]\nBackgroundDelaySec=%s\n' $DELAY >/etc/voipwake/session.conf
uctl set-environment WAYLAND_DISPLAY="$WL"
uctl start $agent || fail "start $agent: $(agent_log | tail -n 5)"
wait_until 30 "$agent active" eval '[ "$(uctl show -P ActiveState $agent)" = active ]'
pid=$(uctl show -P MainPID $agent)
log "$agent: pid $pid, $(uctl show -P ControlGroup $agent)"
sleep $((DELAY + 1))
cgroup_frozen "$CGA" && fail "A frozen while it has the focus"

# B takes the focus: A goes to the background after the delay.
t0=$(uptime_s)
window $B "app-vwtest-$B-1.scope"
wait_cg_frozen "$CGA" 20
took=$(since "$t0")
log "A frozen $took s after B took the focus (BackgroundDelaySec=$DELAY)"
awk -v t="$took" -v d=$DELAY 'BEGIN { exit !(t >= d) }' ||
	fail "A was frozen before BackgroundDelaySec"
cgroup_frozen "$CGB" && fail "B, which asked for no wake, was frozen"

# C: a window of no app unit, left alone and said once.
window $C vwtest-terminal.scope
CGC=/sys/fs/cgroup$(uctl show -P ControlGroup vwtest-terminal.scope)
wait_until 10 "the agent's word on C" eval "agent_log | grep -q \"'$C' match no\""
sleep $((DELAY + 1))
cgroup_frozen "$CGC" && fail "C's scope was frozen"
expect_eq "times C was said" 1 "$(agent_log | grep -c "'$C' match no")"

# A's server calls: A wakes, answers, is frozen again.
peer send 1000 >/dev/null
wait_for "$APP_DIR/app.out" '^recv .*total=1000 ' 10
wait_cg_frozen "$CGA" 10
expect_eq "A's wakes for data" 1 "$(wakes_data)"
log "A woken by its server's data and frozen again"

# The focus comes back: thawed.
t0=$(uptime_s)
focus $A
wait_cg_thawed "$CGA" 10
log "A thawed $(since "$t0") s after swaymsg focus; the agent: $(agent_log | grep -o 'in the foreground.*' | tail -n1)"

# Away again, then the agent is killed: systemd restarts it (Restart=),
# and nothing is lost.
focus $B
wait_cg_frozen "$CGA" 20
thawed0=$(grep -c '^event type=thawed' "$APP_DIR/app.out" || true)
woken0=$(grep -c '^event type=woken' "$APP_DIR/app.out" || true)
lines=$(agent_log | grep -c .)
uctl kill -s KILL $agent
wait_until 20 "$agent restarted" eval \
	'[ "$(uctl show -P MainPID $agent)" -gt 0 ] && [ "$(uctl show -P MainPID $agent)" != "$pid" ]'
wait_until 20 "$agent active" eval '[ "$(uctl show -P ActiveState $agent)" = active ]'
log "$agent restarted by systemd: pid $(uctl show -P MainPID $agent), NRestarts=$(uctl show -P NRestarts $agent)"
cgroup_frozen "$CGA" || fail "A thawed across the agent's restart"
peer send 500 >/dev/null
wait_for "$APP_DIR/app.out" '^recv .*total=1500 ' 10
wait_cg_frozen "$CGA" 10
expect_eq "A's wakes for data" 2 "$(wakes_data)"
sleep $((DELAY + 1))
cgroup_frozen "$CGA" || fail "the restarted agent thawed A, which has no focus"
agent_log | sed -n "$((lines + 1)),\$p" | grep -q "is in the background, as the kernel holds it" ||
	fail "the restarted agent did not read A's state: $(agent_log | tail -n 5)"
thawed=$(($(grep -c '^event type=thawed' "$APP_DIR/app.out") - thawed0))
woken=$(($(grep -c '^event type=woken' "$APP_DIR/app.out") - woken0))
log "across the restart: $thawed thaws, $woken wakes"
[ "$thawed" = "$woken" ] || fail "a thaw across the restart was no wake"
focus $A
wait_cg_thawed "$CGA" 10
log "the restarted agent thawed A on focus"
sleep $((DELAY + 1))
cgroup_frozen "$CGB" && fail "B, which asked for no wake, was frozen in the background"

# Stopped as a session ends: A, in the background, is thawed.
focus $B
wait_cg_frozen "$CGA" 20
uctl stop $agent
cgroup_frozen "$CGA" && fail "A left frozen by a stopped agent"
crc=$(peer crc)
peer close >/dev/null
wait_for "$APP_DIR/app.out" '^(eof|recv-error)' 10
expect_eq "crc of the stream" "$(field "$crc" crc)" \
	"$(field "$(grep -E '^(eof|recv-error)' "$APP_DIR/app.out")" crc)"
agent_log | sed 's/^/#   /' >"$OUT/agent.log"
