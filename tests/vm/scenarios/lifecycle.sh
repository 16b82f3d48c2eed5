# SPDX-License-Identifier: GPL-2.0
# Teardown: an app killed while frozen closes its marked socket at once
# (the peer sees the FIN), the socket's registration and the app go away,
# its cgroup can be removed; an app that exits inside its wake window
# does the same.
. /tests/lib.sh
. /tests/app.sh

vw_load wake_window_ms=5000

# Killed while frozen.
app_in_background app1
id1=$(stat -c %i "$CG_ROOT/app1")
voipwakectl status -j | grep -q "$id1" || fail "app1 not in status"
kill -9 $APP_PID
wait $APP_PID || true
r=$(peer recv)
log "peer after the kill: $r"
expect_eq "bytes the peer read at close" 0 "$(field "$r" n)"
rmdir "$CG_ROOT/app1"
wait_until 10 "app1 gone from status" \
	eval "! voipwakectl status -j | grep -q $id1"
exec 4>&-

# Exits inside its wake window: the peer closes, the app reads EOF.
PORT=5061
app_in_background app2
id2=$(stat -c %i "$CG_ROOT/app2")
peer send 100 >/dev/null
wait_for /tmp/app.out '^recv ' 10
peer close >/dev/null
wait $APP_PID
wait_until 10 "app2 gone from status" \
	eval "! voipwakectl status -j | grep -q $id2"
cg_frozen app2 && fail "app2 left frozen"
rmdir "$CG_ROOT/app2"
vw_unload
