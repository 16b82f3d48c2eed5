# SPDX-License-Identifier: GPL-2.0
# rmmod is refused (EBUSY) while a frozen app holds a marked socket, and
# nothing is broken by the attempt: the app still wakes. Once the socket
# is gone the module unloads and no app is left frozen.
. /tests/lib.sh
. /tests/app.sh

vw_load wake_window_ms=1000
app_in_background app
set +e
err=$(rmmod voipwake 2>&1)
rc=$?
set -e
log "rmmod with a live mark: rc=$rc: $err"
[ $rc -ne 0 ] || fail "rmmod succeeded with a marked socket"
vw_loaded || fail "module gone"
peer send 100 >/dev/null
wait_for /tmp/app.out '^recv .*total=100 ' 10
wait_frozen app 5
peer close >/dev/null
wait $APP_PID
vw_unload
cg_frozen app && fail "app left frozen after rmmod"
log "unloaded after the app closed its socket"

# Unload with a background app that has no socket thaws it.
vw_load
sh -c "echo \$\$ > $CG_ROOT/app/cgroup.procs; exec sleep 1000" &
voipwakectl background app
wait_frozen app
vw_unload
wait_thawed app 5
log "rmmod thawed a frozen app without sockets"
