# SPDX-License-Identifier: GPL-2.0
# vw-debug-skip: probes cannot fit in a 3 s keep-alive period under KASAN+TCG
# Not on the debug kernel, for timing alone: its probes must fit between
# two keep-alives 3 s apart; under KASAN on TCG a freeze alone takes
# seconds, so the next keep-alive comes first.
#
# A done that names a wake older than the last keep-alive (the app was
# frozen on its way to saying it, then woken again) is refused with ESTALE
# and ends nothing: the keep-alive handler gets to run. The done for the
# keep-alive ends it. WAKE_DONE takes no APP_SET attribute.
. /tests/lib.sh
. /tests/app.sh
. /tests/ka.sh

vw_load wake_window_ms=20000 min_keepalive_s=2 keepalive_budget_ms=20000
# The keep-alive handler does not say done: the probe does, below.
app_in_background app --ka 3 --ka-hang
peer send 10 >/dev/null
wait_for /tmp/app.out '^event type=woken reason=data' 10
data=$(app_field app wake_seq)
expect_eq "wakes so far" 1 "$data"
# Awake for 20 s: the keep-alive comes during the data wake.
wait_for /tmp/app.out '^keepalive n=1 ' 10
ka=$(app_field app wake_seq)
expect_eq "wakes so far" 2 "$ka"

out=$(vw-nlprobe wake-done "$CG_ROOT/app" seq=$data || true)
log "done for wake $data after keep-alive $ka: $out"
echo "$out" | grep -q "result=ESTALE extack='stale done" ||
	fail "a stale done was not refused: $out"
sleep 0.5
cg_frozen app && fail "a stale done froze the app"

out=$(vw-nlprobe wake-done "$CG_ROOT/app" ka=600 || true)
echo "$out" | grep -q "result=EINVAL" || fail "WAKE_DONE took KEEPALIVE_S: $out"

vw-nlprobe wake-done "$CG_ROOT/app" seq=$ka | grep -q result=ok ||
	fail "the done for the keep-alive was refused"
wait_frozen app 3
log "done for wake $ka: frozen"
expect_eq "overruns" 0 "$(app_field app keepalive_overruns)"
voipwakectl foreground app
peer close >/dev/null
wait_for /tmp/app.out '^eof' 10
wait $APP_PID
vw_unload
