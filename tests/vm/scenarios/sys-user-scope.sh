# SPDX-License-Identifier: GPL-2.0
# vw-tier: system
# vw-timeout: 120
#
# An app as a desktop starts it: user 1000 lingers, so user@1000.service
# runs; the app runs in app-vwtest-phone.scope of that manager
# (systemd-run --user --scope), marks its socket through libvoipwake as
# that user, and is frozen in the background, woken by data, and frozen
# again, in the cgroup systemd made for it. voipwaked lists it.
. /tests/lib.sh
. /tests/app.sh
. /tests/system.sh

set_param wake_window_ms 1000
vwd_allow phone "$(user_scope_cg vwtest-phone)"
user_manager
peer_start
user_app vwtest-phone
peer_connected
case $APP_CG in
*/user.slice/user-$VW_UID.slice/user@$VW_UID.service/app.slice/app-vwtest-phone.scope) ;;
*) fail "the app is not in its scope of the user's manager: $APP_CG" ;;
esac
grep -q "uid=$VW_UID" "$APP_DIR/app.out" || fail "marked as another user: $(grep marked "$APP_DIR/app.out")"

# The user may put their own app in the background: their manager owns
# the scope's cgroup (user@.service has Delegate=yes).
as_session voipwakectl background "$(cg_rel "$APP_CG")" ||
	fail "the user cannot background their own app"
wait_cg_frozen "$APP_CG"
expect_eq "scope still active while frozen" active \
	"$(as_session systemctl --user show -P ActiveState app-vwtest-phone.scope)"
for round in 1 2 3; do
	peer send 100 >/dev/null
	wait_for "$APP_DIR/app.out" "^recv .*total=$((round * 100)) " 10
	wait_for "$APP_DIR/app.out" '^event type=frozen' 10
	[ "$(count "$APP_DIR/app.out" '^event type=woken reason=data')" -eq "$round" ] ||
		fail "expected $round data wakes: $(grep event "$APP_DIR/app.out")"
	wait_cg_frozen "$APP_CG" 5
	log "round $round: woken by data, frozen again"
done

# Another user may not: a plain user with no right to this cgroup.
expect_fail "uid 1001 backgrounds user 1000's app" \
	vw-runas 1001 voipwakectl foreground "$(cg_rel "$APP_CG")"
as_session voipwakectl foreground "$(cg_rel "$APP_CG")"
wait_cg_thawed "$APP_CG"
crc=$(peer crc)
peer close >/dev/null
wait_for "$APP_DIR/app.out" '^(eof|recv-error)' 10
expect_eq "crc of the stream" "$(field "$crc" crc)" \
	"$(field "$(grep -E '^(eof|recv-error)' "$APP_DIR/app.out")" crc)"
