# SPDX-License-Identifier: GPL-2.0
# A done that names an older wake (the app was frozen on its way to saying
# it, then woken again) is refused with ESTALE and ends nothing; the done
# for the current wake ends it. A done with a wake's seq is strict, one
# without is not, and APP_SET's attributes are not WAKE_DONE's.
. /tests/lib.sh
. /tests/app.sh
. /tests/ka.sh

vw_load wake_window_ms=20000
app_in_background app
peer send 10 >/dev/null
wait_for /tmp/app.out '^event type=woken' 10
seq=$(app_field app wake_seq)
expect_eq "wakes so far" 1 "$seq"

out=$(vw-nlprobe wake-done "$CG_ROOT/app" seq=$((seq - 1)) || true)
log "done for wake $((seq - 1)): $out"
echo "$out" | grep -q "result=ESTALE extack='stale done" ||
	fail "a stale done was not refused: $out"
sleep 0.5
cg_frozen app && fail "a stale done froze the app"

out=$(vw-nlprobe wake-done "$CG_ROOT/app" ka=600 || true)
echo "$out" | grep -q "result=EINVAL" || fail "WAKE_DONE took KEEPALIVE_S: $out"

vw-nlprobe wake-done "$CG_ROOT/app" seq=$seq | grep -q result=ok ||
	fail "the done for the current wake was refused"
wait_frozen app 3
log "done for wake $seq: frozen"
peer close >/dev/null
wait_for /tmp/app.out '^eof' 10
wait $APP_PID
vw_unload
