# SPDX-License-Identifier: GPL-2.0
# vw-needs: pygi
# libvoipwake-glib's VwClient on the real module, through its typelib as
# a PyGObject app uses it (tests/vm/pygi/vw-glib-app.py). Each refusal is
# a Voipwake.Error with its code and the kernel's or the library's words;
# the GSocket marked is the one the woken signal names, with its bytes;
# done freezes the app at once; frozen and thawed are heard; the keep-
# alive comes as keepalive-due; get_status follows the app from the
# foreground to awake and back; backgrounded comes before foregrounded;
# unmarked names the GSocket root unmarked, and not the app's own unmark.
. /tests/lib.sh
. /tests/app.sh
. /tests/ka.sh

# signals NAME: how many "signal NAME" lines the app said.
signals()
{
	count /tmp/app.out "^signal $1( |\$)"
}

vw_load min_keepalive_s=2 wake_window_ms=5000
cg_make gapp >/dev/null
peer_start
rm -f /tmp/app.ready
sh -c "echo \$\$ >$CG_ROOT/gapp/cgroup.procs &&
	exec vw-glib-app --ka 6 --ready /tmp/app.ready $PORT" \
	>/tmp/app.out 2>&1 &
APP_PID=$!
ready_or_gone()
{
	[ -e /tmp/app.ready ] && return 0
	kill -0 $APP_PID 2>/dev/null || fail "vw-glib-app died: $(cat /tmp/app.out)"
	return 1
}
wait_until 30 "vw-glib-app ready" ready_or_gone
peer_connected

# The refusals, each with its code and a message that says why.
for r in "status-before-marking not-found" "keep-alive-of-0-s invalid-argument" \
	 "done,-not-an-app-yet not-awake" "done-in-the-foreground not-awake" \
	 "a-listening-socket not-supported" \
	 "a-unix-socket not-supported" "unmark,-never-marked not-found" \
	 "marked-twice exists" "unmark-again not-found"; do
	# shellcheck disable=SC2086 # two words: the check and its code
	set -- $r
	line=$(grep "^refused $1 " /tmp/app.out) ||
		fail "no refusal '$1': $(cat /tmp/app.out)"
	expect_eq "$1" "$2" "$(field "$line" code)"
	msg=${line#*msg=}
	[ -n "$msg" ] || fail "$1: refused without a message"
done
grep -q '^refused a-listening-socket .*msg=.*listen' /tmp/app.out ||
	fail "the kernel's words did not reach the GError: $(grep listening /tmp/app.out)"
marked=$(grep '^marked ' /tmp/app.out)
# On cgroup2 an app's id is its directory's inode number.
expect_eq "app of the status" "$(stat -c %i "$CG_ROOT/gapp")" \
	"$(field "$marked" app)"
first=$(grep '^status ' /tmp/app.out | sed -n 1p)
expect_eq "state once marked" foreground "$(field "$first" state)"
expect_eq "socks once marked" 1 "$(field "$first" socks)"
expect_eq "keep-alive once set" 6 "$(field "$first" keepalive)"

voipwakectl background gapp
wait_frozen gapp

# Data: woken, naming the marked GSocket and what was queued on it.
peer send 700 >/dev/null
wait_for /tmp/app.out '^recv .*total=700$' 20
wait_for /tmp/app.out '^signal woken reason=data ' 5
woken=$(grep '^signal woken reason=data ' /tmp/app.out | sed -n 1p)
expect_eq "woken names" marked "$(field "$woken" socket)"
expect_eq "woken bytes" 700 "$(field "$woken" bytes)"
st=$(grep '^status ' /tmp/app.out | sed -n 2p)
expect_eq "state while woken" awake "$(field "$st" state)"
# Done inside the 5 s window: frozen at once.
wait_frozen gapp 3
log "frozen again after done"

# The keep-alive: woken for it, keepalive-due, "ka" sent, done.
wait_for /tmp/app.out '^signal keepalive-due' 30
wait_for /tmp/app.out '^signal woken reason=keepalive socket=none .*ka=1$' 5
peer recv | grep -q 'text=ka' || fail "no keep-alive reached the peer"
wait_frozen gapp 5
expect_eq "keep-alive wakes" 1 "$(app_field gapp wakes_keepalive)"
expect_eq "keep-alive overruns" 0 "$(app_field gapp keepalive_overruns)"
# The freeze after the data wake is heard once the app runs again.
[ "$(signals frozen)" -ge 1 ] || fail "no frozen signal: $(cat /tmp/app.out)"
[ "$(signals thawed)" -ge 1 ] || fail "no thawed signal: $(cat /tmp/app.out)"
# A keep-alive that comes due while the app handles data overtakes its
# done (stale: it stays awake for keepalive-due); nothing else refuses.
expect_eq "done refusals in wakes" 0 \
	"$(grep '^done error' /tmp/app.out | grep -vc 'code=stale')"

# The foreground: thawed, and the status says so.
voipwakectl foreground gapp
wait_thawed gapp
peer send 100 >/dev/null
wait_for /tmp/app.out '^recv .*total=800$' 10
wait_for /tmp/app.out '^done error code=not-awake' 5
last=$(grep '^status ' /tmp/app.out | tail -n1)
expect_eq "state in the foreground" foreground "$(field "$last" state)"
expect_eq "resyncs" 0 "$(signals resync)"
wait_for /tmp/app.out '^signal foregrounded' 5
expect_eq "backgrounded signals" 1 "$(signals backgrounded)"
expect_eq "foregrounded signals" 1 "$(signals foregrounded)"
[ "$(grep -n '^signal backgrounded' /tmp/app.out | cut -d: -f1)" -lt \
  "$(grep -n '^signal foregrounded' /tmp/app.out | cut -d: -f1)" ] ||
	fail "foregrounded came before backgrounded"
# The app unmarked (and marked again) itself at setup: not told.
expect_eq "unmarked signals for its own unmark" 0 "$(signals unmarked)"
fd=$(ls -l "/proc/$APP_PID/fd" |
	sed -n "s/.* \([0-9]*\) -> socket:\[\([0-9]*\)\]/\1 \2/p" |
	while read -r f i; do
		voipwakectl status | grep -qw "$i" && echo "$f"
	done | head -n1)
[ -n "$fd" ] || fail "no marked socket in /proc/$APP_PID/fd"
voipwakectl unmark "$APP_PID" "$fd" >/dev/null
wait_for /tmp/app.out '^signal unmarked socket=marked inode=' 5

peer close >/dev/null
wait_for /tmp/app.out '^eof total=800' 10
wait $APP_PID || fail "vw-glib-app exited with status $?"
log "app output:"
sed 's/^/#   /' /tmp/app.out
vw_unload
