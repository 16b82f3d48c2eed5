# SPDX-License-Identifier: GPL-2.0
# vw-needs: dbus
# vw-timeout: 150
# voipwaked's D-Bus interface against the real module, with a second
# client (dbus-send, dbus-monitor) besides voipwakectl. A user's app in
# a scope named as a desktop names it, delegated to the user as systemd
# delegates user@UID.service: named by its app ID, found by the daemon
# from the module's events; managed over D-Bus by its user and refused
# to another, who may not see a root's app either; the signals woken,
# frozen, thawed and throttled, heard by root only; status -j with
# names that are not ASCII, or not even UTF-8, still valid JSON.
. /tests/lib.sh
. /tests/app.sh
. /tests/daemon.sh

vw_load wake_window_ms=300
bus_start
U=user.slice/user-1000.slice/user@1000.service/app.slice
SCOPE=$U/app-gnome-org.example.Phone-42.scope
mkdir -p "$CG_ROOT/$U"
cg_make "$SCOPE" >/dev/null
# What delegation gives the user: the directory and its own files.
chown 1000:1000 "$CG_ROOT/$SCOPE" "$CG_ROOT/$SCOPE/cgroup.procs" \
	"$CG_ROOT/$SCOPE/cgroup.freeze" "$CG_ROOT/$SCOPE/cgroup.subtree_control"
app_conf phone <<'CONF'
[app]
AppId = org.example.Phone
WakeBudget = 3/20s
CONF
# root's app, and two whose cgroup names are not ASCII: known to the
# module by a keep-alive, each with a task so that it is not collected.
for cg in rootapp "phoné" "$(printf 'bad\377name')"; do
	cg_make "$cg" >/dev/null
	sleeper_in "$cg"
	voipwakectl keepalive "$CG_ROOT/$cg" 600
done

dbus-monitor --system "type='signal',sender='org.voipwake.Daemon1'" \
	>/tmp/sig.root 2>&1 &
MON1=$!
vw-runas 1000 dbus-monitor --system "type='signal'" >/tmp/sig.user 2>&1 &
MON2=$!
app_in_background "$SCOPE" --done
daemon_start

# Found by its app ID, named as its file says.
out=$(dcall GetApp string:org.example.Phone) || fail "GetApp: $out"
echo "$out" | grep -q 'string "Name"' || fail "GetApp has no Name: $out"
echo "$out" | grep -A1 '"Name"' | grep -q '"phone"' || fail "GetApp: $out"
echo "$out" | grep -A1 '"Unit"' | grep -q '"app-gnome-org.example.Phone-42.scope"' ||
	fail "GetApp's Unit: $out"
echo "$out" | grep -A1 '"Uid"' | grep -q 'uint32 1000' || fail "GetApp's Uid: $out"
log "GetApp org.example.Phone: phone, its scope, uid 1000"
expect_eq "the app's ID in voipwakectl status -j" org.example.Phone \
	"$(daemon_app_json phone app_id)"

# Woken by data: thawed, woken (data), frozen, in that order.
peer send 10 >/dev/null
wait_for /tmp/app.out "^recv .*total=10 " 10
wait_frozen "$SCOPE" 10
wait_for /tmp/sig.root 'member=AppFrozen' 10
sed -n 's/.*member=\(App[A-Za-z]*\).*/\1/p' /tmp/sig.root >/tmp/sig.order
expect_eq "signals of a wake" "AppThawed AppWoken AppFrozen" \
	"$(tr '\n' ' ' </tmp/sig.order | sed 's/ $//')"
grep -A4 'member=AppWoken' /tmp/sig.root | grep -q 'string "data"' ||
	fail "AppWoken without its reason: $(cat /tmp/sig.root)"

# Over budget: AppThrottled, with the interval.
for i in 1 2 3 4; do
	peer send 10 >/dev/null
	sleep 1
done
wait_for /tmp/sig.root 'member=AppThrottled' 15
grep -A6 'member=AppThrottled' /tmp/sig.root | grep -q 'uint32 6666' ||
	fail "AppThrottled without its interval: $(cat /tmp/sig.root)"
log "AppThrottled: held 6666 ms apart"
# The user heard none of it: the signals are root's. It did hear the
# bus's own, so its monitor worked.
kill $MON2
grep -q 'member=NameOwnerChanged' /tmp/sig.user ||
	fail "the user's monitor heard nothing at all: $(head -n 5 /tmp/sig.user)"
expect_eq "voipwaked's signals the user heard" 0 \
	"$(grep -c 'member=App' /tmp/sig.user || true)"

# The user manages its own app over D-Bus: foreground, background.
out=$(dcall --as 1000 SetAppState string:org.example.Phone string:foreground) ||
	fail "the user may not foreground its own app: $out"
wait_thawed "$SCOPE" 5
out=$(dcall --as 1000 SetAppState string:org.example.Phone string:background) ||
	fail "the user may not background its own app: $out"
wait_frozen "$SCOPE" 5
log "user 1000 foregrounded and backgrounded its app over D-Bus"
# Another user may not, nor see it.
out=$(dcall --as 65534 SetAppState string:org.example.Phone string:foreground) &&
	fail "nobody foregrounded user 1000's app: $out"
echo "$out" | grep -q 'NoSuchApp' || fail "nobody: $out"
cg_frozen "$SCOPE" || fail "nobody's refused call thawed the app"
log "nobody refused: $(echo "$out" | tail -n 1)"
# The user may not touch root's app, nor see it in the list.
out=$(dcall --as 1000 SetAppState string:/rootapp string:background) &&
	fail "user 1000 backgrounded root's app: $out"
log "user 1000 on root's app: $(echo "$out" | tail -n 1)"
out=$(dcall --as 1000 ListApps)
echo "$out" | grep -q '"/rootapp"' && fail "user 1000 sees root's app: $out"
echo "$out" | grep -q "$SCOPE" || fail "user 1000 does not see its app: $out"
out=$(dcall --as 1000 SetAppBudget string:phone uint32:100 uint32:60) &&
	fail "user 1000 set a budget: $out"
echo "$out" | grep -q 'root only' || fail "budget refusal: $out"
# voipwakectl, as root, by app ID through the daemon.
voipwakectl foreground org.example.Phone
wait_thawed "$SCOPE" 5
voipwakectl background org.example.Phone
wait_frozen "$SCOPE" 5

# Names that are not ASCII: valid JSON, UTF-8 kept, other bytes replaced.
voipwakectl status -j >/tmp/status.json
n=$(vw-json 'apps.#' /tmp/status.json) || fail "status -j is not JSON"
found=
i=0
while [ "$i" -lt "$n" ]; do
	case $(vw-json "apps.$i.cgroup" /tmp/status.json) in
	/phoné) found="$found utf8" ;;
	/bad�name) found="$found replaced" ;;
	esac
	i=$((i + 1))
done
expect_eq "non-ASCII cgroups in status -j" " utf8 replaced" "$found"
voipwakectl status | grep -q 'phoné' || fail "status text lost the UTF-8 name"

daemon_kill TERM
expect_eq "daemon exit status" 0 "$VWD_RC"
kill $MON1 $SLEEPERS
for cg in rootapp "phoné" "$(printf 'bad\377name')"; do
	voipwakectl keepalive "$CG_ROOT/$cg" off 2>/dev/null || true
done
voipwakectl foreground "$SCOPE"
peer close >/dev/null
wait $APP_PID

vw_unload
