# SPDX-License-Identifier: GPL-2.0
# vw-tier: system
# vw-timeout: 150
#
# user.slice frozen around a sleep, as systemd-sleep does since systemd
# 256 (SYSTEMD_SLEEP_FREEZE_USER_SESSIONS; 252 does not, so the scenario
# does it with systemctl freeze/thaw around a pause). The ancestor's
# freeze is not voipwake's: the app's own cgroup.freeze stays as voipwake
# left it, and the app cannot run until user.slice thaws. A wake that
# comes meanwhile, by data or by a keep-alive falling due, must not be
# lost: the app must get it once it can run again. The window's cap
# (wake_window_max_ms, which unread data may extend a window to) is
# lowered below the freeze: a real sleep lasts far longer than any cap.
#
# The module thaws the app's own bit for the wake, sees that an ancestor
# still holds it (the parent's effective freeze), and starts the window
# (or the keep-alive's budget) only when the app's cgroup.events says it
# runs again: nothing is spent while it cannot run.
. /tests/lib.sh
. /tests/app.sh
. /tests/ka.sh
. /tests/system.sh

# lost WHAT: the app missed what the freeze held; say what it was doing.
lost()
{
	log "  the app: $(voipwakectl status -j | grep "\"cgroup\": \"/$rel\"")"
	log "  it said: $(tail -n 5 "$APP_DIR/app.out" | tr '\n' '|')"
	fail "$*"
}

set_param wake_window_ms 1000
set_param wake_window_max_ms 2000
set_param min_keepalive_s 2
set_param keepalive_budget_ms 1000
vwd_allow phone "$(user_scope_cg vwtest-phone)"
user_manager
peer_start
user_app vwtest-phone --ka 12
peer_connected
rel=$(cg_rel "$APP_CG")
as_session voipwakectl background "$rel"
wait_cg_frozen "$APP_CG"

# 1. Data while user.slice is frozen.
systemctl freeze user.slice || fail "systemctl freeze user.slice"
expect_eq "user.slice FreezerState" frozen "$(unit_prop user.slice FreezerState)"
expect_eq "the app's own cgroup.freeze under the frozen slice" 1 \
	"$(cgroup_freeze_bit "$APP_CG")"
w0=$(app_field "$rel" wakes_data)
peer send 100 >/dev/null
sleep 5
cgroup_frozen "$APP_CG" || fail "the app is not frozen under user.slice"
grep -q '^recv .*total=100 ' "$APP_DIR/app.out" &&
	fail "the app ran while user.slice was frozen"
log "wakes counted while user.slice was frozen: $(( $(app_field "$rel" wakes_data) - w0 ))"
systemctl thaw user.slice || fail "systemctl thaw user.slice"
expect_eq "user.slice FreezerState" running "$(unit_prop user.slice FreezerState)"
t_thaw=$(boot_ns)
if wait_until_quiet 10 grep -q '^recv .*total=100 ' "$APP_DIR/app.out"; then
	log "data delivered $(( ($(boot_ns) - t_thaw) / 1000000 )) ms after user.slice thawed"
else
	lost "data that came while user.slice was frozen was not delivered within 10 s of its thaw (the wake's window ran out while the app could not run)"
fi
wait_cg_frozen "$APP_CG" 10

# 2. A keep-alive that falls due while user.slice is frozen.
window "$rel"
ov0=$(app_field "$rel" keepalive_overruns)
kn=$(count "$APP_DIR/app.out" '^keepalive n=')
systemctl freeze user.slice
sleep_until $((WL + 2000000000))
cgroup_frozen "$APP_CG" || fail "the app is not frozen under user.slice"
systemctl thaw user.slice
t_thaw=$(boot_ns)
# Its budget (1 s) is the time it has once it runs.
if wait_until_quiet 5 eval "[ \$(count $APP_DIR/app.out '^keepalive n=') -gt $kn ]" &&
   [ "$(app_field "$rel" keepalive_overruns)" = "$ov0" ]; then
	log "the keep-alive due during the freeze ran $(( ($(boot_ns) - t_thaw) / 1000000 )) ms after the thaw"
else
	lost "a keep-alive due while user.slice was frozen was spent there (overruns $ov0 -> $(app_field "$rel" keepalive_overruns)); its handler waits for the next period"
fi
wait_cg_frozen "$APP_CG" 10

as_session voipwakectl foreground "$rel"
wait_cg_thawed "$APP_CG"
