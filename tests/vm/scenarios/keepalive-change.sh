# SPDX-License-Identifier: GPL-2.0
# vw-timeout: 100
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
# a, b and c: windows of [5 s, 10 s]; a's wake is aimed at 9 s. d joins
# later with [4 s, 5 s], aimed 0.25 s before its deadline: if it is put in
# the background within 4 s of a, it pulls the shared wake forward.
for a in a b c; do
	ka_app $a 10
	voipwakectl keepalive $a 10 --tolerance 50
done
ka_app d 5
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
sc=$((WL - 10000000000))

# Before anybody's window opens.
voipwakectl foreground b
voipwakectl keepalive c 16 --tolerance 50
voipwakectl background d
wait_frozen d
window c
ec=$WE lc=$WL
window d
ed=$WE ld=$WL
expect_eq "c's new deadline counts from its old start" $((sc + 16000000000)) "$lc"
[ "$ea" -le "$ld" ] && [ "$ld" -lt $((la - 1000000000)) ] ||
	fail "d does not pull a's wake forward (setup too slow?)"

wait_for /tmp/d.out '^keepalive n=1 ' 20
wait_for /tmp/a.out '^keepalive n=1 ' 5
wa=$(app_field a last_wake_ns)
wd=$(app_field d last_wake_ns)
in_window "a" "$wa" "$ea" "$la"
in_window "d" "$wd" "$ed" "$ld"
d=$((wa > wd ? wa - wd : wd - wa))
[ $d -lt 100000000 ] || fail "a and d woken $((d / 1000000)) ms apart"
[ "$(app_field c wakes_keepalive)" = 0 ] || fail "c fired early"
wait_for /tmp/c.out '^keepalive n=1 ' 20
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
