# SPDX-License-Identifier: GPL-2.0
# vw-tier: system
# vw-timeout: 150
#
# voipwaked under real systemd, as the busybox guests cannot show it:
#   - its D-Bus API on dbus-broker with the package's bus policy, through
#     busctl and a second client, gdbus: a user manages its own app
#     (a scope of its manager), and is refused root's app and the
#     administrator's budget; other users are refused the first user's
#     app; none of the refusals changes anything;
#   - the running unit's systemd-analyze security exposure is 2.5 or less;
#   - WatchdogSec=: the package's 10 min, and WATCHDOG=1 at half of it
#     (shown with 4 s in a drop-in, to see pings without waiting minutes).
. /tests/lib.sh
. /tests/app.sh
. /tests/system.sh

unit=voipwaked.service
DEST=org.voipwake.Daemon1
OBJ=/org/voipwake/Daemon1

# The exposure systemd computes for the unit as installed and running.
score=$(systemd-analyze security --no-pager $unit 2>/dev/null |
	sed -n "s/.*Overall exposure level for $unit: \([0-9.]*\).*/\1/p")
log "systemd-analyze security $unit: $score"
awk -v s="$score" 'BEGIN { exit !(s != "" && s <= 2.5) }' ||
	fail "exposure '$score' is above 2.5"

# busctl [--as UID] ARGS...: busctl on the system bus, as root or UID;
# gdbus_call [--as UID] METHOD ARGS...: the same through GLib's client.
bus()
{
	if [ "$1" = --as ]; then
		_u=$2
		shift 2
		vw-runas "$_u" busctl --system "$@" 2>&1
	else
		busctl --system "$@" 2>&1
	fi
}

gcall()
{
	_g=
	if [ "$1" = --as ]; then
		_g="vw-runas $2"
		shift 2
	fi
	_m=$1
	shift
	$_g env HOME=/tmp gdbus call --system --dest $DEST --object-path $OBJ \
		--method "$DEST.$_m" "$@" 2>&1
}

# root's app, a system service that marks a socket it never connects
# (sleep holds its stdin open), and user 1000's, in their manager's
# scope, connected to the peer.
vwd_allow rootapp "$(sys_unit_cg vwtest-root.service)"
rm -f "$APP_DIR/app.ready" "$APP_DIR/app.out"
systemd-run --quiet --collect --unit=vwtest-root.service sh -c \
	'sleep 1000 | exec /vw/bin/vw-app --mark-only --ready "$0/app.ready" 0 >"$0/app.out" 2>&1' \
	"$APP_DIR" || fail "systemd-run vwtest-root.service"
app_ready
cg=$(unit_cgroup vwtest-root.service)
voipwakectl background "$(cg_rel "$cg")"
wait_cg_frozen "$cg"
vwd_allow phone "$(user_scope_cg vwtest-phone)"
user_manager
peer_start
user_app vwtest-phone
peer_connected
peer2=$APP_CG

# The API through busctl.
bus introspect $DEST $OBJ $DEST >/tmp/introspect.txt ||
	fail "busctl introspect: $(cat /tmp/introspect.txt)"
for m in .ListApps .GetApp .SetAppState .SetAppBudget .AppWoken .Version; do
	grep -q "^\\$m " /tmp/introspect.txt || fail "busctl introspect lacks $m"
done
expect_eq "Version" "s \"$VW_VERSION\"" "$(bus get-property $DEST $OBJ $DEST Version)"
out=$(bus call $DEST $OBJ $DEST GetApp s rootapp) || fail "busctl GetApp: $out"
echo "$out" | grep -q '"vwtest-root.service"' || fail "GetApp rootapp has not its unit: $out"
out=$(gcall GetApp phone) || fail "gdbus GetApp: $out"
echo "$out" | grep -q "'app-vwtest-phone.scope'" || fail "gdbus GetApp phone has not its unit: $out"

# What each user may do.
out=$(bus --as "$VW_UID" call $DEST $OBJ $DEST SetAppState ss phone background) ||
	fail "busctl: user $VW_UID may not background its app: $out"
wait_cg_frozen "$peer2"
out=$(gcall --as "$VW_UID" SetAppState phone foreground) ||
	fail "gdbus: user $VW_UID may not foreground its app: $out"
wait_cg_thawed "$peer2"
out=$(gcall --as "$VW_UID" ListApps) || fail "gdbus ListApps: $out"
echo "$out" | grep -q 'app-vwtest-phone.scope' || fail "user $VW_UID does not see its app: $out"
echo "$out" | grep -q vwtest-root && fail "user $VW_UID sees root's app: $out"
log "user $VW_UID backgrounded (busctl) and foregrounded (gdbus) its own app"

# Refusals: each names why, and changes nothing.
gcall --as "$VW_UID" SetAppState phone background >/dev/null
wait_cg_frozen "$peer2"
for who in 1001 65534; do
	out=$(gcall --as $who SetAppState phone foreground) &&
		fail "gdbus: uid $who foregrounded user $VW_UID's app: $out"
	echo "$out" | grep -q 'NoSuchApp' || fail "uid $who: $out"
	out=$(bus --as $who call $DEST $OBJ $DEST SetAppState ss \
		"/$(cg_rel "$peer2")" foreground) &&
		fail "busctl: uid $who foregrounded user $VW_UID's app by its cgroup: $out"
	log "uid $who refused: $out"
done
cgroup_frozen "$peer2" || fail "a refused call thawed user $VW_UID's app"
out=$(bus --as "$VW_UID" call $DEST $OBJ $DEST SetAppState ss rootapp foreground) &&
	fail "user $VW_UID foregrounded root's app: $out"
log "user $VW_UID on root's app: $out"
cgroup_frozen "$cg" || fail "a refused call thawed root's app"
out=$(gcall --as "$VW_UID" SetAppBudget phone 100 60) &&
	fail "user $VW_UID set a budget: $out"
echo "$out" | grep -q 'root only' || fail "budget refusal: $out"
out=$(gcall SetAppBudget phone 100 60) || fail "root's budget: $out"
log "SetAppBudget: root only"

# The watchdog: the package asks for 10 min, the one periodic wake-up
# voipwaked has. With 4 s, systemd must see a ping every 2 s or so, and
# never kill it.
expect_eq "WatchdogUSec" 10min "$(unit_prop $unit WatchdogUSec)"
dropin=/run/systemd/system/$unit.d
mkdir -p $dropin
printf '[Service]\nWatchdogSec=4s\n' >$dropin/vwtest-watchdog.conf
systemctl daemon-reload
systemctl restart $unit
expect_eq "WatchdogUSec in the drop-in" 4s "$(unit_prop $unit WatchdogUSec)"
pid=$(unit_prop $unit MainPID)
w0=$(unit_prop $unit WatchdogTimestampMonotonic)
sleep 9
w1=$(unit_prop $unit WatchdogTimestampMonotonic)
rm -r $dropin
systemctl daemon-reload
[ "$w1" -gt "$w0" ] || fail "no WATCHDOG=1 in 9 s with WatchdogSec=4s ($w0, $w1)"
expect_eq "voipwaked's pid after 9 s of a 4 s watchdog" "$pid" "$(unit_prop $unit MainPID)"
log "WATCHDOG=1: last $(( (w1 - w0) / 1000 )) ms after the first seen"
systemctl restart $unit
expect_eq "WatchdogUSec" 10min "$(unit_prop $unit WatchdogUSec)"
