# SPDX-License-Identifier: GPL-2.0
# An app that says "done" is frozen at once instead of at the end of its
# window; "done" outside a window is refused.
. /tests/lib.sh
. /tests/app.sh

vw_load wake_window_ms=20000
app_in_background app --done

expect_fail "wake-done while frozen" voipwakectl wake-done app
peer send 200 >/dev/null
wait_for /tmp/app.out '^recv .*total=200 ' 10
# Frozen again well inside the 20 s window. The app is frozen inside its
# done call, which returns (rc 0) when it is next woken.
wait_frozen app 3
log "frozen again after done"

peer send 200 >/dev/null
wait_for /tmp/app.out '^recv .*total=400 ' 10
wait_frozen app 3
expect_eq "done calls returned" 1 "$(count /tmp/app.out '^done rc=0')"
peer close >/dev/null
wait $APP_PID
vw_unload
