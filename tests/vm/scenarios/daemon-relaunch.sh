# SPDX-License-Identifier: GPL-2.0
# vw-timeout: 90
# Supervision: an app that exits non-zero or dies by a signal is relaunched
# with a backoff of 1 s doubling (capped at RestartMaxSec); an app that
# exits 0 is left alone. Relaunches are logged and counted in status.
. /tests/lib.sh
. /tests/app.sh
. /tests/daemon.sh
. /tests/ka.sh

vw_load
app_conf crasher <<'CONF'
[app]
Exec = /bin/sh -c 'sleep 0.2; exit 3'
RestartMaxSec = 4
CONF
app_conf killed <<'CONF'
[app]
Exec = /bin/sh -c 'kill -KILL $$'
CONF
app_conf steady <<'CONF'
[app]
Exec = /bin/sh -c 'sleep 2; exit 1'
RestartResetSec = 1
CONF
app_conf quitter <<'CONF'
[app]
Exec = /bin/true
CONF

daemon_start
t0=$(boot_ns)
# Launches at about 0, 1, 3, 7 and 11 s: the fifth start after 11 s.
wait_until 25 "five starts of crasher" eval \
	'[ "$(count $VWD_LOG "app crasher started")" -ge 5 ]'
t1=$(boot_ns)
elapsed=$(((t1 - t0) / 1000000))
log "five starts in $elapsed ms"
[ "$elapsed" -ge 10000 ] || fail "five starts in $elapsed ms: the backoff did not grow"
for n in "1 in 1" "2 in 2" "3 in 4" "4 in 4"; do
	log_has "app crasher exited with status 3 after [0-9]+ s up: relaunch $n s"
done
[ "$(daemon_app_json crasher relaunches)" -ge 4 ] ||
	fail "status counts $(daemon_app_json crasher relaunches) relaunches"
log "crasher relaunches in status: $(daemon_app_json crasher relaunches)"

log_has "app killed was killed by signal 9 \(Killed\) after [0-9]+ s up: relaunch 1 in 1 s"
wait_until 10 "killed relaunched" eval \
	'[ "$(count $VWD_LOG "app killed started")" -ge 2 ]'

# Up longer than RestartResetSec each time: the backoff starts over.
wait_until 10 "steady relaunched twice" eval \
	'[ "$(count $VWD_LOG "app steady exited")" -ge 2 ]'
expect_eq "steady's backoffs above 1 s" 0 \
	"$(grep "app steady exited" "$VWD_LOG" | grep -vc "in 1 s$")"

log_has "app quitter exited with status 0: not relaunched"
expect_eq "starts of quitter" 1 "$(count "$VWD_LOG" "app quitter started")"
expect_eq "quitter relaunches in status" 0 "$(daemon_app_json quitter relaunches)"
# Each in a cgroup of its own, under AppCgroupRoot.
[ -d /sys/fs/cgroup/voipwake/crasher ] || fail "no cgroup for crasher"

daemon_kill TERM
expect_eq "daemon exit status" 0 "$VWD_RC"
vw_unload
