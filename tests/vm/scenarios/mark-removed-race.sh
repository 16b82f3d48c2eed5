# SPDX-License-Identifier: GPL-2.0
# vw-timeout: 120
# Item 5 of issue 15: a mark never attaches to an app that is being
# removed. The app's only marked socket is closed (which removes the app)
# while a second socket is marked, again and again; after each round the
# app must hold the second socket. (The mark took its app reference before
# the app's mutex and never checked that the app was still in the table:
# the socket was then marked for an app nobody could find, background or
# wake.)
. /tests/lib.sh
. /tests/app.sh

vw_load
cg_make app >/dev/null
secs=10
debug_kernel && secs=20
vw-hole markrace $secs "$CG_ROOT/app" >/tmp/race.out 2>&1 ||
	fail "vw-hole: $(cat /tmp/race.out)"
tail -n 5 /tmp/race.out
line=$(grep '^markrace ' /tmp/race.out)
[ "$(field "$line" rounds)" -gt 0 ] || fail "no round ran"
expect_eq "rounds whose mark went to a removed app" 0 "$(field "$line" lost)"
wait_until 10 "no app left" eval "! voipwakectl status -j | grep -q cgroup_id"
vw_unload
