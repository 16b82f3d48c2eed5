# SPDX-License-Identifier: GPL-2.0
# vw-timeout: 150
# vw-alone: its leak_start clears kmemleak's reports, a batch's included
# Process exit vs. freeze, and cgroup removal vs. wake: apps that mark a
# socket and exit while they are being backgrounded and woken, their
# cgroups removed at once, two at a time, with rmmod tried throughout
# (refused: a pinned mark). Then nothing is left: no app, a clean unload,
# no leak (kmemleak on the debug kernel). 12 s in make check, 60 s in
# make stress.
. /tests/lib.sh
. /tests/app.sh
. /tests/adv.sh

secs=$(scaled 12 60 12 60)
leak_start
vw_load wake_window_ms=100
pin_start
pids=
for i in 1 2; do
	cg_make "churn$i" >/dev/null
	vw-race churn "$secs" "$CG_ROOT/churn$i" >"/tmp/churn$i.out" 2>&1 &
	pids="$pids $!"
done
rmmod_refused "$secs"
# shellcheck disable=SC2086
RACE_LOGS="/tmp/churn*.out"
wait_all 30 $pids
cat /tmp/churn*.out
pin_stop
apps_drain 15
vw_unload
leak_check
