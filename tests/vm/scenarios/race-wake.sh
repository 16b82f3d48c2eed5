# SPDX-License-Identifier: GPL-2.0
# vw-timeout: 150
# vw-alone: its leak_start clears kmemleak's reports, a batch's included
# Three apps race their wakes: one closes its marked socket while the peer
# sends on it, one unmarks it, one reads and says done; each is put in
# the background and the foreground at random all along, and rmmod is
# tried throughout (a marked socket outside the race pins the module, so
# every attempt must be refused). Then everything is torn down: the app
# table empties, the module unloads, and kmemleak (debug kernel) finds
# nothing. 12 s in make check, 60 s in make stress.
. /tests/lib.sh
. /tests/app.sh
. /tests/adv.sh

secs=$(scaled 12 60 12 60)
leak_start
vw_load wake_window_ms=100
pin_start

vw-race peer $((secs + 3)) 5061 >/tmp/peer.out 2>&1 &
peer=$!
wait_for /tmp/peer.out '^listening' 10
pids=
for m in close unmark data; do
	cg_make "race-$m" >/dev/null
	sh -c "echo \$\$ >$CG_ROOT/race-$m/cgroup.procs && \
		exec vw-race app $secs 5061 $m" >"/tmp/app-$m.out" 2>&1 &
	pids="$pids $!"
	vw-race toggle "$secs" "$CG_ROOT/race-$m" 50 >"/tmp/toggle-$m.out" 2>&1 &
	pids="$pids $!"
done
rmmod_refused "$secs"
# shellcheck disable=SC2086
RACE_LOGS="/tmp/app-*.out /tmp/toggle-*.out /tmp/peer.out"
wait_all 30 $pids $peer
cat /tmp/app-*.out /tmp/toggle-*.out /tmp/peer.out
for m in close unmark data; do
	grep -q "^app-$m iterations=[1-9]" "/tmp/app-$m.out" ||
		fail "app $m never went round"
done
pin_stop
apps_drain 15
vw_unload
leak_check
