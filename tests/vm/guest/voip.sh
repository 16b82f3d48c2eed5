# SPDX-License-Identifier: GPL-2.0
# shellcheck shell=sh
#
# Sourced by the scenarios that run an examples/ client against
# voip-server, as an app developer would: example-voip (C) and
# example-voip-py (Python, through libvoipwake-glib). Sources lib.sh,
# app.sh and ka.sh itself.
#
# voip_example CLIENT: CLIENT registers with voip-server, marks its socket
# and asks for a keep-alive of 4 s (the minimum lowered for the test). Put
# in the background it is frozen; the server's INVITE wakes it, it answers
# "180 Ringing" and "200 OK", says done and is frozen again. Then on its
# keep-alive it pings the server (CRLF CRLF), reads the pong (CRLF) while
# still awake, says done, and is frozen again at once: the pong is not a
# wake of its own. Both clients print the same lines.
. /tests/lib.sh
. /tests/app.sh
. /tests/ka.sh

# server CMD: one command to voip-server's stdin.
server()
{
	echo "$*" >&4
}

voip_example()
{
	client=$1

	for prog in "$client" voip-server; do
		command -v "$prog" >/dev/null ||
			fail "$prog is not in the guest: tests/vm/run packs examples/"
	done

	vw_load min_keepalive_s=2 wake_window_ms=1000
	cg_make voip >/dev/null

	rm -f /tmp/server.in /tmp/server.out /tmp/client.out
	mkfifo /tmp/server.in
	voip-server "$PORT" </tmp/server.in >/tmp/server.out 2>&1 &
	SERVER_PID=$!
	exec 4<>/tmp/server.in
	wait_for /tmp/server.out '^listening on port' 10

	# Into its cgroup before it creates its socket: a socket belongs to
	# the app (the cgroup) that created it.
	sh -c "echo \$\$ >$CG_ROOT/voip/cgroup.procs && exec $client -k 4 -u alice 127.0.0.1 $PORT" \
		>/tmp/client.out 2>&1 &
	CLIENT_PID=$!
	wait_for /tmp/client.out '^registered' 10
	wait_for /tmp/server.out '^client 1 registered as alice' 5
	log "client: $(grep '^marked' /tmp/client.out)"
	grep -q '^keep-alive: every 4 s' /tmp/client.out ||
		fail "keep-alive not set: $(cat /tmp/client.out)"
	expect_eq "keepalive_s" 4 "$(app_field voip keepalive_s)"

	voipwakectl background voip
	wait_frozen voip
	log "client frozen"
	window voip

	# The INVITE: a data wake, long before the keep-alive window opens.
	server invite alice
	wait_for /tmp/server.out '^invite sent to alice' 5
	wait_for /tmp/client.out '^answered: 180 Ringing, 200 OK' 10
	wait_for /tmp/server.out '^client 1: 180 Ringing' 5
	wait_for /tmp/server.out '^client 1: 200 OK' 5
	wait_for /tmp/client.out '^done$' 5
	wait_frozen voip 5
	log "frozen again after answering"
	expect_eq "data wakes after the INVITE" 1 "$(app_field voip wakes_data)"
	expect_eq "keep-alive wakes after the INVITE" 0 \
		"$(app_field voip wakes_keepalive)"

	# The keep-alive: inside its window; it pings and reads the pong.
	wait_for /tmp/client.out '^keep-alive: ping sent' 10
	in_window "keep-alive" "$(app_field voip last_wake_ns)" "$WE" "$WL"
	wait_for /tmp/server.out '^client 1: ping, pong sent' 5
	wait_for /tmp/client.out '^keep-alive: pong' 5
	# Done: frozen long before the 10 s keep-alive budget would end.
	wait_frozen voip 3
	log "frozen again after the keep-alive"
	expect_eq "keep-alive wakes" 1 "$(app_field voip wakes_keepalive)"
	expect_eq "data wakes (the pong came while awake)" 1 \
		"$(app_field voip wakes_data)"
	expect_eq "keep-alive overruns" 0 "$(app_field voip keepalive_overruns)"
	# Either wake's event may be read only at the next wake: both by now.
	grep -q '^woken: data$' /tmp/client.out ||
		fail "no data wake event: $(cat /tmp/client.out)"
	grep -q '^woken: keepalive' /tmp/client.out ||
		fail "no keep-alive wake event: $(cat /tmp/client.out)"
	expect_eq "done refused" 0 "$(count /tmp/client.out '^done refused')"
	expect_eq "keep-alives without a pong" 0 \
		"$(count /tmp/client.out '^keep-alive: no pong')"

	# The end: in the foreground, the server hangs up and the client
	# exits.
	voipwakectl foreground voip
	wait_thawed voip
	server quit
	wait_for /tmp/client.out '^server closed the connection' 10
	wait $CLIENT_PID || fail "$client exited with status $?"
	# The Python client says where it was put (libvoipwake-glib's
	# backgrounded and foregrounded signals), in that order.
	case $client in
	*.py)
		bg=$(grep -n '^backgrounded' /tmp/client.out | cut -d: -f1)
		fg=$(grep -n '^foregrounded' /tmp/client.out | cut -d: -f1)
		[ -n "$bg" ] && [ -n "$fg" ] && [ "$bg" -lt "$fg" ] ||
			fail "no backgrounded, then foregrounded: $(cat /tmp/client.out)"
		;;
	esac
	exec 4>&-
	wait $SERVER_PID || fail "voip-server exited with status $?"
	log "client output:"
	sed 's/^/#   /' /tmp/client.out
	vw_unload
}
