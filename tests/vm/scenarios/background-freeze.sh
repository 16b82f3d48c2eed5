# SPDX-License-Identifier: GPL-2.0
# Background freezes the app's cgroup (cgroup.events says so and a spinning
# task stops accumulating CPU time); foreground thaws it. The root cgroup
# and PID 1's cgroup are refused.
. /tests/lib.sh
. /tests/app.sh

utime()
{
	cut -d' ' -f14 "/proc/$1/stat"
}

vw_load
cg_make spin >/dev/null
sh -c "echo \$\$ > $CG_ROOT/spin/cgroup.procs; while :; do :; done" &
spinner=$!
sleep 0.5

voipwakectl background spin
wait_frozen spin
t1=$(utime $spinner)
sleep 1
t2=$(utime $spinner)
expect_eq "CPU ticks while frozen" "$t1" "$t2"
voipwakectl status

voipwakectl foreground spin
wait_thawed spin
sleep 0.5
t3=$(utime $spinner)
[ "$t3" -gt "$t2" ] || fail "spinner did not run after foreground ($t2 -> $t3)"
log "CPU ticks: $t1 $t2 (frozen), $t3 (thawed)"

expect_fail "background of the root cgroup" voipwakectl background /sys/fs/cgroup
cg_make initcg >/dev/null
echo 1 >"$CG_ROOT/initcg/cgroup.procs"
set +e
err=$(voipwakectl background initcg 2>&1)
rc=$?
set -e
echo 1 >"$CG_ROOT/cgroup.procs"
log "PID 1's cgroup: rc=$rc: $err"
[ $rc -ne 0 ] || fail "PID 1's cgroup was backgrounded"
echo "$err" | grep -q 'init' || fail "no reason given: $err"
cg_frozen initcg && fail "PID 1's cgroup frozen"

kill -9 $spinner
vw_unload
