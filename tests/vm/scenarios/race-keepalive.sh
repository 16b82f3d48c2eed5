# SPDX-License-Identifier: GPL-2.0
# vw-timeout: 150
# vw-alone: its leak_start clears kmemleak's reports, a batch's included
# Keep-alive fire vs. clear: an app sets its own keep-alive (1 s, the
# lowest min_keepalive_s) and clears it at random instants while it is
# put in the background and the foreground, so timers fire as they are
# cleared; then, with nothing marked, rmmod races keep-alive timers that
# are armed and firing, load after load. 12 s each in make check, 60 s in
# make stress.
. /tests/lib.sh
. /tests/app.sh
. /tests/adv.sh

secs=$(scaled 12 60 12 60)
leak_start
vw_load min_keepalive_s=1 keepalive_budget_ms=1000
cg_make ka >/dev/null
sh -c "echo \$\$ >$CG_ROOT/ka/cgroup.procs && exec vw-race keepalive $secs" \
	>/tmp/ka.out 2>&1 &
app=$!
vw-race toggle "$secs" "$CG_ROOT/ka" 1500 ka >/tmp/toggle.out 2>&1 &
toggle=$!
RACE_LOGS="/tmp/ka.out /tmp/toggle.out"
wait_all $((secs + 30)) $app $toggle
cat /tmp/ka.out /tmp/toggle.out
wakes=$(sed -n 's/.*wakes_keepalive=\([0-9]*\).*/\1/p' /tmp/toggle.out)
[ "${wakes:-0}" -gt 0 ] || fail "no keep-alive fired: nothing raced"
log "keep-alive wakes: $wakes"
vw_unload

# rmmod vs. armed and firing keep-alives: each cycle loads the module,
# backgrounds an app with a 1 s keep-alive and unloads at a random instant
# around the time it fires. The app must be thawed after every unload.
sh -c "echo \$\$ >$CG_ROOT/ka/cgroup.procs && exec sleep 100000" &
sleeper=$!
cycles=0
end=$(($(date +%s) + secs))
while [ "$(date +%s)" -lt $end ]; do
	vw_load min_keepalive_s=1 keepalive_budget_ms=1000 wake_window_ms=100
	vw-nlprobe app-set "$CG_ROOT/ka" state=1 ka=1 tolerance=50 >/dev/null ||
		fail "cannot background ka"
	sleep "0.$(awk 'BEGIN { srand(); printf "%03d", rand() * 999 }')"
	[ $((cycles % 2)) -eq 0 ] || sleep 0.5
	vw_unload
	wait_thawed ka 5
	cycles=$((cycles + 1))
done
log "load/unload cycles with live keep-alives: $cycles"
kill -9 $sleeper
leak_check
