# SPDX-License-Identifier: GPL-2.0
# vw-timeout: 120
# Item 3 of issue 15: a socket is marked while another thread of its
# process calls listen() on it, again and again. Never may both succeed:
# a marked listener's children would inherit the mark's callbacks and a
# pointer to it, and one child's close would free it under the others.
# (The check for TCP_LISTEN ran without the socket lock, and listen()
# through ops loaded before the mark was not refused.) When both did
# succeed, children are accepted and one is closed, for KASAN to see.
. /tests/lib.sh
. /tests/app.sh

vw_load
cg_make app >/dev/null
secs=10
debug_kernel && secs=20
sh -c "echo \$\$ >$CG_ROOT/app/cgroup.procs && exec vw-hole listen $secs" \
	>/tmp/listen.out 2>&1 || fail "vw-hole: $(cat /tmp/listen.out)"
cat /tmp/listen.out
line=$(grep '^listen ' /tmp/listen.out)
[ "$(field "$line" marked)" -gt 0 ] && [ "$(field "$line" listening)" -gt 0 ] ||
	fail "one side never won: nothing raced"
expect_eq "rounds where the socket was marked and listening" 0 \
	"$(field "$line" both)"
wait_until 10 "no marked socket left" eval \
	'[ -z "$(voipwakectl status -j | grep "\"socks\": [1-9]")" ]'
vw_unload
