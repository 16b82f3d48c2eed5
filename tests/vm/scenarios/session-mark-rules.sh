# SPDX-License-Identifier: GPL-2.0
# vw-needs: session
# vw-timeout: 240
# vw-debug-skip: a whole compositor under KASAN and TCG costs minutes of CPU; the marking it drives is daemon-mark-rules' there
#
# Issue 19, the user's own apps: voipwake-session marks, as the user, the
# connections an unmodified app (vw-app --no-mark, reconnecting in a
# loop) names in MarkSockets=. A bad rule is said with FILE:LINE and the
# rest holds. Yama's ptrace_scope 1 forbids pidfd_getfd(2) between
# unrelated processes of one user: said once, with the reason, and the
# app's socket is not marked. At 0: the app's socket is marked when it
# goes to the background and wakes it; its server closes, it reconnects
# while awake, and the new socket is marked at the refreeze and wakes it.
. /tests/lib.sh
. /tests/app.sh
. /tests/ka.sh
. /tests/session.sh

[ -e /proc/sys/kernel/yama/ptrace_scope ] ||
	skip "no Yama in this kernel: the refusal this scenario tests needs it"
modprobe -a inet_diag tcp_diag udp_diag 2>/dev/null || true

A=org.voipwake.R
B=org.voipwake.B
UA=app.slice/app-vwtest-$A-1.scope
CGA=$USER_CG/$UA

vw_load wake_window_ms=2500
echo 1 >/proc/sys/kernel/yama/ptrace_scope
session_start

user_mkdir "$UA"
tpeer tcp 5060
user_run "$UA" sh -c 'while :; do vw-app --no-mark 5060; sleep 0.1; done' \
	>/tmp/tcp.app 2>&1 &
wait_for /tmp/tcp.out '^accepted' 20
open_window "$A" "$UA"
wait_for "$SESS_LOG/win-$A.log" 'activated=1' 20

agent_start "$(printf 'BackgroundDelaySec=1\nMarkSockets=%s tcp:5060 tcp:0' "$A")"
wait_until 10 "the bad rule said" grep -q "session.conf:3: MarkSockets: rule 'tcp:0' of $A ignored" "$SESS_LOG/agent.log"
log "agent: $(grep "MarkSockets" "$SESS_LOG/agent.log" | head -n 1)"

# ptrace_scope 1: A goes to the background (its rules ask for its wakes)
# but its socket cannot be taken; said once, and why.
open_window "$B" session.slice/terminal.service
wait_frozen "$CGA" 20
wait_until 10 "the refusal said" grep -q "cannot take a socket of app-vwtest" "$SESS_LOG/agent.log"
grep -q "ptrace_scope is 0 (it is 1 here)" "$SESS_LOG/agent.log" ||
	fail "the refusal does not say why: $(grep 'cannot take' "$SESS_LOG/agent.log")"
expect_eq "A's marked sockets" 0 "$(app_field "$CGA" socks)"

# ptrace_scope 0: back and away again, and its socket is marked.
echo 0 >/proc/sys/kernel/yama/ptrace_scope
focus "$A"
wait_thawed "$CGA" 10
focus "$B"
wait_frozen "$CGA" 20
wait_until 10 "A's socket marked" grep -q "marked 1 socket(s) of app-vwtest-$A-1.scope" "$SESS_LOG/agent.log"
expect_eq "the refusal said once" 1 "$(grep -c 'cannot take a socket' "$SESS_LOG/agent.log")"
expect_eq "A's marked sockets" 1 "$(app_field "$CGA" socks)"
tsay tcp "send 500"
wait_for /tmp/tcp.app '^recv .*total=500 ' 10
wait_frozen "$CGA" 10
log "A woken by its server over a socket the agent marked, frozen again"

# Its server goes; it reconnects while the close keeps it awake; the new
# socket is marked at the refreeze and wakes it.
tpeer tcp2 5060
tsay tcp close
wait_for /tmp/tcp2.out '^accepted' 10
wait_frozen "$CGA" 10
wait_until 10 "the new socket marked" eval \
	"[ \$(grep -c 'marked 1 socket(s) of app-vwtest' $SESS_LOG/agent.log) -ge 2 ]"
tsay tcp2 "send 200"
wait_for /tmp/tcp.app '^recv .*total=200 ' 10
wait_frozen "$CGA" 10
log "the reconnected socket woke A"

agent_alive
session_stop
