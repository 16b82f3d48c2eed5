# SPDX-License-Identifier: GPL-2.0
# vw_app_get_own(): an app reads its own state without knowing where
# its cgroup is, as a plain user in a cgroup root made and kept. Unknown
# before it marks (ENOENT, with the library's advice); in the foreground
# once marked; awake while a wake runs; in the foreground again after;
# and never wrong about which app it is.
. /tests/lib.sh
. /tests/app.sh

vw_load wake_window_ms=1000
cg_make own >/dev/null
peer_start
rm -f /tmp/app.ready
sh -c "echo \$\$ >$CG_ROOT/own/cgroup.procs &&
	exec vw-runas 1000 vw-app --own --ready /tmp/app.ready $PORT" \
	>/tmp/app.out 2>&1 &
APP_PID=$!
wait_until 10 "app ready" test -e /tmp/app.ready
peer_connected

first=$(grep '^own ' /tmp/app.out | sed -n 1p)
expect_eq "before marking" ENOENT "$(field "$first" errno)"
echo "$first" | grep -q 'mark a socket or set a keep-alive first' ||
	fail "ENOENT without the library's advice: $first"

marked=$(grep '^marked ' /tmp/app.out)
own=$(grep '^own app=' /tmp/app.out | sed -n 1p)
[ -n "$own" ] || fail "no own app once marked: $(cat /tmp/app.out)"
expect_eq "own app is the socket's app" "$(field "$marked" app)" \
	"$(field "$own" app)"
expect_eq "state once marked" fg "$(field "$own" state)"
expect_eq "socks once marked" 1 "$(field "$own" socks)"

# own_after TOTAL N STATE WHAT: after TOTAL bytes were sent, the app's
# Nth view of itself (vw-app --own reports after each chunk) says STATE
# and one wake.
own_after()
{
	peer send 100 >/dev/null
	wait_for /tmp/app.out "^recv .*total=$1 " 10
	wait_until 5 "own app line $2" \
		test "$(count /tmp/app.out '^own app=')" -ge "$2"
	_own=$(grep '^own app=' /tmp/app.out | sed -n "$2p")
	expect_eq "state $4" "$3" "$(field "$_own" state)"
	expect_eq "wakes $4" 1 "$(field "$_own" wakes)"
}

voipwakectl background own
wait_frozen own
own_after 100 2 awake "while woken"
wait_frozen own 5

voipwakectl foreground own
wait_thawed own
own_after 200 3 fg "back in the foreground"

peer close >/dev/null
wait $APP_PID || fail "vw-app exited with $?"
vw_unload
