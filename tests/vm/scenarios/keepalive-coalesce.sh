# SPDX-License-Identifier: GPL-2.0
# vw-timeout: 100
# Two apps whose keep-alive windows overlap share one wake: both are
# thawed at the same instant (the cgroup.events transitions agree), each
# inside its own window, and the later one well before its own deadline.
. /tests/lib.sh
. /tests/app.sh
. /tests/ka.sh

vw_load min_keepalive_s=2 keepalive_budget_ms=1000
# Awake for the whole budget, so that each thaw is seen in cgroup.events.
ka_app a 20 --ka-hang
ka_app b 20 --ka-hang
# Windows of [10 s, 20 s] after each backgrounding; a's wake is aimed 1 s
# before its deadline, so b's window must open by then: b may be up to
# 7 s late on a slow kernel, and b's deadline is 2 s and more after a's
# (with [5 s, 10 s], a debug guest on a busy host missed both margins).
voipwakectl keepalive a 20 --tolerance 50
voipwakectl keepalive b 20 --tolerance 50
vw-cgwatch "$CG_ROOT/a" "$CG_ROOT/b" >/tmp/watch.out 2>&1 &
watch=$!
wait_for /tmp/watch.out '^ready' 5

voipwakectl background a
wait_frozen a
sleep 2
voipwakectl background b
wait_frozen b
window a
ea=$WE la=$WL
window b
eb=$WE lb=$WL
[ "$eb" -le $((la - 1000000000)) ] || fail "b's window opens after a's wake"

wait_for /tmp/a.out '^keepalive n=1 ' 30
wait_for /tmp/b.out '^keepalive n=1 ' 15
wa=$(app_field a last_wake_ns)
wb=$(app_field b last_wake_ns)
in_window "a" "$wa" "$ea" "$la"
in_window "b" "$wb" "$eb" "$lb"
d=$((wa > wb ? wa - wb : wb - wa))
log "the module thawed them $((d / 1000)) us apart"
[ $d -lt 100000000 ] || fail "a and b were woken $((d / 1000000)) ms apart"
[ "$wb" -lt $((lb - 1000000000)) ] || fail "b was not taken along early"

ta=$(boot_of /tmp/watch.out '^frozen cg=0 value=0')
tb=$(boot_of /tmp/watch.out '^frozen cg=1 value=0')
[ -n "$ta" ] && [ -n "$tb" ] || fail "no thaw seen: $(cat /tmp/watch.out)"
d=$((ta > tb ? ta - tb : tb - ta))
log "cgroup.events: thawed $((d / 1000)) us apart"
[ $d -lt 150000000 ] || fail "cgroup.events thaws $((d / 1000000)) ms apart"
expect_eq "wakes of a" 1 "$(app_field a wakes_keepalive)"
expect_eq "wakes of b" 1 "$(app_field b wakes_keepalive)"

voipwakectl foreground a
voipwakectl foreground b
kill -9 $KA_PIDS
kill $watch
wait_until 10 "apps gone" eval "! voipwakectl status -j | grep -q cgroup_id"
vw_unload
