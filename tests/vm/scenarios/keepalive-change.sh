# SPDX-License-Identifier: GPL-2.0
# vw-timeout: 150
# vw-debug-skip: set-up outlasts the 6 s the test allows under KASAN+TCG
# Not on the debug kernel, for timing alone: its four apps must be set
# up within 6 s of each other, or it cannot set up what it tests; under
# KASAN on TCG that takes longer.
#
# Changes while a shared keep-alive wake is pending: one app is put in the
# foreground, one lengthens its timeout, one joins with an earlier
# deadline. Nobody loses the guarantee, nobody fires early: the joiner
# pulls the wake forward and takes the open window along, the lengthened
# one fires later inside its new window (counted from its old start), the
# foreground one not at all. rmmod with keep-alives armed is clean.
. /tests/lib.sh
. /tests/app.sh
. /tests/ka.sh

vw_load min_keepalive_s=2
# a, b and c: windows of [8 s, 16 s]; a's wake is aimed at 15 s. d joins
# X s later with [6.4 s, 8 s], aimed 0.4 s before its deadline: for X in
# 0..6 (a debug kernel is slow) its deadline falls inside a's window and
# before a's aim, so it pulls the shared wake forward. c's new window
# (timeout 30 s) opens 16.5 s after a, later than that wake.
for a in a b c; do
	ka_app $a 16
	voipwakectl keepalive $a 16 --tolerance 50
done
ka_app d 8
voipwakectl background a
wait_frozen a
sleep 1
voipwakectl background b
sleep 0.5
voipwakectl background c
wait_frozen c
window a
ea=$WE la=$WL
window c
sc=$((WL - 16000000000))

# Before anybody's window opens.
voipwakectl foreground b
voipwakectl keepalive c 30 --tolerance 50
voipwakectl background d
wait_frozen d
window c
ec=$WE lc=$WL
window d
ed=$WE ld=$WL
expect_eq "c's new deadline counts from its old start" $((sc + 30000000000)) "$lc"
[ "$ea" -le "$ld" ] && [ "$ld" -lt $((la - 1000000000)) ] &&
	[ "$ld" -lt "$ec" ] ||
	fail "set-up too slow for the test: a [$ea, $la] c [$ec, $lc] d [$ed, $ld]"

wait_for /tmp/d.out '^keepalive n=1 ' 30
wait_for /tmp/a.out '^keepalive n=1 ' 5
wa=$(app_field a last_wake_ns)
wd=$(app_field d last_wake_ns)
in_window "a" "$wa" "$ea" "$la"
in_window "d" "$wd" "$ed" "$ld"
d=$((wa > wd ? wa - wd : wd - wa))
[ $d -lt 100000000 ] || fail "a and d woken $((d / 1000000)) ms apart"
[ "$(app_field c wakes_keepalive)" = 0 ] || fail "c fired early"
wait_for /tmp/c.out '^keepalive n=1 ' 30
in_window "c" "$(app_field c last_wake_ns)" "$ec" "$lc"
expect_eq "foreground b's keep-alives" 0 "$(app_field b wakes_keepalive)"

# Armed keep-alives and no marked socket: the module may go.
cg_make e >/dev/null
sh -c "echo \$\$ > $CG_ROOT/e/cgroup.procs; exec sleep 1000" &
populated e
voipwakectl keepalive e 6
voipwakectl background e
wait_frozen e
kill -9 $KA_PIDS
wait_until 10 "only app e left" eval '[ "$(voipwakectl status -j | grep -c cgroup_id)" = 1 ]'
window e
vw_unload
cg_frozen e && fail "e left frozen by rmmod"
log "rmmod thawed e and left no alarm behind"
