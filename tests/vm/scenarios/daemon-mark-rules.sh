# SPDX-License-Identifier: GPL-2.0
# vw-needs: dbus
# vw-timeout: 150
# Issue 19: an unmodified app (vw-app --no-mark makes no libvoipwake call
# at all) has its connections marked by voipwaked, as its MarkSockets=
# rules name them. A bad rule is said with FILE:LINE and the rest stays in
# force. At the background the TCP and UDP sockets that rules name are
# marked and the one no rule names is not; data on a marked one wakes the
# frozen app, data on the other does not. The app's server closes, the
# app (a reconnecting loop) connects again while that close keeps it
# awake, and its new socket is marked at the refreeze and wakes it.
. /tests/lib.sh
. /tests/app.sh
. /tests/daemon.sh

# The cloud kernels' sock_diag modules load on demand; the debug
# kernel has them built in.
modprobe -a inet_diag tcp_diag udp_diag 2>/dev/null || true

# client NAME ARGS...: in the app's cgroup, vw-app ARGS again and again
# (a client that reconnects when its server goes), output to
# /tmp/NAME.app; waits for its first connection.
client()
{
	_cl=$1
	shift
	sh -c "echo \$\$ >$CG_ROOT/sip/cgroup.procs
		while :; do vw-app --no-mark $*; sleep 0.1; done" \
		>"/tmp/$_cl.app" 2>&1 &
	KILL="$KILL $!"
	wait_for "/tmp/$_cl.app" '^not-marked' 10
}

# ino NAME [N]: the inode of client NAME's Nth connection.
ino()
{
	field "$(grep '^not-marked' "/tmp/$1.app" | sed -n "${2:-1}p")" ino
}

marked()
{
	voipwakectl status -j >/tmp/status.json || fail "status -j failed"
	_n=$(vw-json 'socks.#' /tmp/status.json)
	_i=0
	while [ "$_i" -lt "$_n" ]; do
		[ "$(vw-json "socks.$_i.ino" /tmp/status.json)" = "$1" ] &&
			return 0
		_i=$((_i + 1))
	done
	return 1
}

KILL=
vw_load wake_window_ms=1000
bus_start
cg_make sip >/dev/null
# A window long enough for a reconnect under TCG.
app_conf sip <<'CONF'
[app]
Cgroup = sip
WakeWindowMs = 2500
MarkSockets = tcp:5060-5061 sctp:5060
MarkSockets = udp:5062@127.0.0.0/8 tcp:7000@192.0.2.0/24
CONF

# SIP over TCP and over UDP, and a connection no rule names (tcp:7000 is
# named only towards 192.0.2.0/24, and this one is to 127.0.0.1).
tpeer tcp 5060
tpeer udp --udp 5062
tpeer other 7000
client tcp 5060
client udp --udp 5062
client other 7000
wait_for /tmp/tcp.out '^accepted' 10
wait_for /tmp/udp.out '^peer-known' 10
wait_for /tmp/other.out '^accepted' 10

daemon_start
log_has "apps.d/sip.conf:4: MarkSockets: rule 'sctp:5060' ignored: the protocol is tcp or udp"

voipwakectl background sip
wait_frozen sip
wait_until 10 "the app's sockets marked" grep -q "app sip: marked 2 socket" "$VWD_LOG"
log_has "app sip: marked 2 socket"
expect_eq "the rest of the file is in force" 2500 "$(status_json apps.0.wake_window_ms)"
marked "$(ino tcp)" || fail "TCP socket $(ino tcp) not marked"
marked "$(ino udp)" || fail "UDP socket $(ino udp) not marked"
! marked "$(ino other)" || fail "socket $(ino other), named by no rule, was marked"

# Data on the connection no rule names: the app sleeps on.
tsay other "send 100"
sleep 2
cg_frozen sip || fail "data on an unnamed connection thawed the app"
! grep -q '^recv' /tmp/other.app || fail "the frozen app read: $(cat /tmp/other.app)"

# SIP over TCP, then over UDP: each wakes it, and it reads.
tsay tcp "send 500"
wait_for /tmp/tcp.app '^recv .*total=500 ' 10
wait_frozen sip 10
tsay udp "send 300"
wait_for /tmp/udp.app '^recv .*total=300 ' 10
wait_frozen sip 10
log "woken by TCP and by UDP, frozen again"

# A new server listens; the old one closes. The close wakes the app, it
# reconnects while awake, and is frozen again with its new socket marked.
tpeer tcp2 5060
tsay tcp close
wait_for /tmp/tcp2.out '^accepted' 10
wait_for /tmp/tcp.app '^eof total=500 ' 5
new=$(ino tcp 2)
[ -n "$new" ] || fail "no second connection: $(cat /tmp/tcp.app)"
wait_frozen sip 10
wait_until 10 "the new socket marked" marked "$new"
log_has "app sip: marked 1 socket"
tsay tcp2 "send 200"
wait_for /tmp/tcp.app '^recv .*total=200 ' 10
wait_frozen sip 10
log "the reconnected socket $new woke the app"

# Yama's ptrace_scope 3 forbids every ptrace attach, and so
# pidfd_getfd(2), even to root: the next reconnect cannot be marked, and
# that is said once, with the reason, however many refreezes follow.
if [ -e /proc/sys/kernel/yama/ptrace_scope ]; then
	echo 3 >/proc/sys/kernel/yama/ptrace_scope
	tpeer tcp3 5060
	tsay tcp2 close
	wait_for /tmp/tcp3.out '^accepted' 10
	wait_for /tmp/tcp.app '^eof total=200 ' 5
	new=$(ino tcp 3)
	wait_frozen sip 10
	wait_until 10 "the refusal said" grep -q "cannot take a socket of app sip" "$VWD_LOG"
	log_has "cannot take a socket of app sip \(pid [0-9]+\) that MarkSockets= names: pidfd_getfd\(2\) needs ptrace access"
	! marked "$new" || fail "socket $new marked although pidfd_getfd(2) is refused"
	# Another wake and refreeze: not said again.
	tsay udp "send 10"
	wait_for /tmp/udp.app '^recv .*total=310 ' 10
	wait_frozen sip 10
	sleep 1
	expect_eq "the refusal said once" 1 "$(count "$VWD_LOG" 'cannot take a socket of app sip')"
else
	log "no Yama in this kernel: the refusal of pidfd_getfd(2) is not tested"
fi

daemon_kill TERM
expect_eq "daemon exit status" 0 "$VWD_RC"
# shellcheck disable=SC2086
kill $KILL 2>/dev/null
echo 1 >"$CG_ROOT/sip/cgroup.kill"
