# SPDX-License-Identifier: GPL-2.0
# shellcheck shell=sh
#
# Sourced by scenarios that run an app (vw-app) against its peer (vw-peer)
# in a cgroup of its own. The peer reads commands from a fifo on fd 4.

CG_ROOT=/sys/fs/cgroup
PORT=${PORT:-5060}

# cg_make NAME: a fresh child cgroup; prints its path.
cg_make()
{
	mkdir -p "$CG_ROOT/$1"
	echo "$CG_ROOT/$1"
}

cg_frozen()
{
	grep -q '^frozen 1' "$CG_ROOT/$1/cgroup.events"
}

# wait_for FILE REGEX SECS: until a line of FILE matches, or fail.
wait_for()
{
	_wf=0
	until grep -Eq "$2" "$1" 2>/dev/null; do
		_wf=$((_wf + 1))
		[ $_wf -le $(($3 * 100)) ] || fail "no /$2/ in $1 after $3 s: $(tail -n 3 "$1" 2>/dev/null)"
		sleep 0.01
	done
}

# wait_until SECS WHAT CMD...: until CMD succeeds, or fail.
wait_until()
{
	_wu_secs=$1
	_wu_what=$2
	shift 2
	_wu=0
	until "$@"; do
		_wu=$((_wu + 1))
		[ $_wu -le $((_wu_secs * 50)) ] || fail "$_wu_what: not within $_wu_secs s"
		sleep 0.02
	done
}

wait_frozen()
{
	wait_until "${2:-10}" "cgroup $1 frozen" cg_frozen "$1"
}

wait_thawed()
{
	wait_until "${2:-10}" "cgroup $1 thawed" eval "! cg_frozen $1"
}

# peer_start [ARGS...]: vw-peer listening on $PORT, commands on fd 4.
peer_start()
{
	rm -f /tmp/peer.in /tmp/peer.out
	mkfifo /tmp/peer.in
	vw-peer "$@" "$PORT" </tmp/peer.in >/tmp/peer.out 2>&1 &
	PEER_PID=$!
	# Read-write: opening a fifo so never waits for its reader. A
	# write-only open would, and ash fails the redirection if a child's
	# SIGCHLD interrupts that wait (EINTR), as an earlier peer's exit did.
	exec 4<>/tmp/peer.in
	wait_for /tmp/peer.out '^listening' 10
}

# peer CMD...: run one peer command; prints its result line.
peer()
{
	_pb=$(wc -l </tmp/peer.out)
	echo "$*" >&4
	_pw=0
	while [ "$(wc -l </tmp/peer.out)" -le "$_pb" ]; do
		_pw=$((_pw + 1))
		[ $_pw -le 1000 ] || fail "peer did not answer '$*'"
		sleep 0.01
	done
	_pl=$(sed -n "$((_pb + 1))p" /tmp/peer.out)
	case $_pl in
	error*) fail "peer '$*': $_pl" ;;
	esac
	echo "$_pl"
}

# app_start CGROUP [VW-APP ARGS...]: the app, marked and connected.
app_start()
{
	_cg=$1
	shift
	rm -f /tmp/app.ready /tmp/app.out
	vw-app --cgroup "$CG_ROOT/$_cg" --ready /tmp/app.ready --events "$@" \
		"$PORT" >/tmp/app.out 2>&1 &
	APP_PID=$!
	_as=0
	until [ -e /tmp/app.ready ]; do
		_as=$((_as + 1))
		[ $_as -le 200 ] && kill -0 $APP_PID 2>/dev/null ||
			fail "app not ready: $(cat /tmp/app.out)"
		sleep 0.05
	done
	grep -q '^marked' /tmp/app.out || fail "app not marked: $(cat /tmp/app.out)"
	log "$(grep '^marked' /tmp/app.out)"
}

# field LINE KEY: the value of KEY=... in a line of key=value words.
field()
{
	echo "$1" | tr ' ' '\n' | sed -n "s/^$2=//p" | head -n1
}

# count FILE REGEX
count()
{
	grep -Ec "$2" "$1" 2>/dev/null || true
}

# app_in_background CGROUP [VW-APP ARGS...]: a peer, and the app in
# CGROUP connected to it and marked, then put in the background and frozen.
app_in_background()
{
	_ab=$1
	cg_make "$_ab" >/dev/null
	peer_start
	app_start "$@"
	peer_connected
	voipwakectl background "$_ab"
	wait_frozen "$_ab"
}

# ms_between T0 T1: CLOCK_MONOTONIC ns stamps to microseconds.
us_between()
{
	echo $((($2 - $1) / 1000))
}

# connected PEER-ARGS: wait until the peer knows the app.
peer_connected()
{
	case " $* " in
	*" --udp "*) wait_for /tmp/peer.out '^peer-known' 10 ;;
	*) wait_for /tmp/peer.out '^accepted' 10 ;;
	esac
}

# wake_data ARGS...: the whole data-wake story over one transport (ARGS
# go to both vw-peer and vw-app: "", "-6" or "--udp").
wake_data()
{
	vw_load wake_window_ms=1000
	cg_make app >/dev/null
	peer_start "$@"
	app_start app "$@"
	peer_connected "$@"

	voipwakectl background app
	wait_frozen app
	log "app frozen"

	for round in 1 2 3; do
		before=$(count /tmp/app.out '^recv ')
		sent=$(peer send 1000)
		wait_for /tmp/app.out "^recv .*total=$((round * 1000)) " 10
		recv=$(grep '^recv ' /tmp/app.out | sed -n "$((before + 1))p")
		log "round $round: data to app running: $(us_between "$(field "$sent" t)" "$(field "$recv" t)") us"
		wait_for /tmp/app.out "^event type=woken reason=data" 5
		# Events sent while it slept are read once it is awake.
		wait_for /tmp/app.out "^event type=frozen" 5
		[ "$(count /tmp/app.out '^event type=woken')" -eq "$round" ] ||
			fail "expected $round wake events: $(grep event /tmp/app.out)"
		# The window is 1 s: frozen again without anything else.
		wait_frozen app 5
		log "round $round: refrozen"
	done

	crc=$(peer crc)
	peer close >/dev/null
	wait_for /tmp/app.out '^(eof|recv-error)' 10
	end=$(grep -E '^(eof|recv-error)' /tmp/app.out)
	expect_eq "bytes received" "$(field "$crc" total)" "$(field "$end" total)"
	expect_eq "crc of the stream" "$(field "$crc" crc)" "$(field "$end" crc)"
	wait $APP_PID
	vw_unload
}

# tpeer NAME ARGS...: a vw-peer of its own, driven through /tmp/NAME.in,
# which a sleeper holds open so that each command is a write of its own.
tpeer()
{
	_tp=$1
	shift
	rm -f "/tmp/$_tp.in" "/tmp/$_tp.out"
	mkfifo "/tmp/$_tp.in"
	vw-peer "$@" <"/tmp/$_tp.in" >"/tmp/$_tp.out" 2>&1 &
	sleep 100000 >"/tmp/$_tp.in" &
	wait_for "/tmp/$_tp.out" '^listening' 10
}

# tsay NAME CMD: one command to tpeer NAME, and its answer.
tsay()
{
	_ts=$(wc -l <"/tmp/$1.out")
	echo "$2" >"/tmp/$1.in"
	wait_until 10 "$1 answers '$2'" eval "[ \$(wc -l </tmp/$1.out) -gt $_ts ]"
	! tail -n 1 "/tmp/$1.out" | grep -q '^error' ||
		fail "$1 '$2': $(tail -n 1 "/tmp/$1.out")"
}
