# SPDX-License-Identifier: GPL-2.0
# vw-tier: system
# vw-timeout: 120
#
# voipwaked.service as the voipwake package installs it: started at boot
# and active once it said READY=1 (Type=notify, its STATUS= shown by
# systemd); "systemctl reload" rereads the configuration in the same
# process, and refuses a bad file with FILE:LINE while the running one
# stays; "systemctl stop" thaws the app it held in the background.
. /tests/lib.sh
. /tests/app.sh
. /tests/system.sh

unit=voipwaked.service
expect_eq "$unit Type" notify "$(unit_prop $unit Type)"
expect_eq "$unit state" active/running \
	"$(unit_prop $unit ActiveState)/$(unit_prop $unit SubState)"
expect_eq "$unit enabled" enabled "$(systemctl is-enabled $unit)"
pid=$(unit_prop $unit MainPID)
expect_eq "MainPID is voipwaked" voipwaked "$(cat /proc/"$pid"/comm)"
# STATUS= reaches systemd only through sd_notify.
case $(unit_prop $unit StatusText) in
*"app(s) configured"*) log "StatusText: $(unit_prop $unit StatusText)" ;;
*) fail "no sd_notify STATUS= from voipwaked: '$(unit_prop $unit StatusText)'" ;;
esac
journal_has $unit '^ready$' || fail "no 'ready' in the journal"

# The app: a system service with a marked socket, listed for voipwaked
# first (a reload in the same process), then started.
set_param wake_window_ms 1000
vwd_allow phone "$(sys_unit_cg vwtest-phone.service)"
last=$(journalctl -b -u $unit -o cat | grep 'configuration: ' | tail -n1)
case $last in *"configuration: 1 app(s)"*) ;; *) fail "the reload did not take phone.conf: $last" ;; esac
expect_eq "reload kept the process" "$pid" "$(unit_prop $unit MainPID)"
peer_start
sys_app vwtest-phone.service
peer_connected

# A bad file: refused with its file and line, the running policy stays.
printf '[app]\nCgroup = %s\nWakeBudget = often\n' "$(cg_rel "$APP_CG")" \
	>/etc/voipwake/apps.d/bad.conf
systemctl reload $unit || fail "systemctl reload (bad file) failed"
wait_until 20 "bad file refused" journal_has $unit \
	'configuration refused, the running one stays: .*apps.d/bad.conf:3'
log "$(journalctl -b -u $unit -o cat | grep 'configuration refused' | tail -n1)"
rm /etc/voipwake/apps.d/bad.conf
expect_eq "$unit after a refused reload" active "$(unit_prop $unit ActiveState)"

# Backgrounded, frozen, woken by data and frozen again under the daemon.
voipwakectl background "$(cg_rel "$APP_CG")"
wait_cg_frozen "$APP_CG"
peer send 100 >/dev/null
wait_for "$APP_DIR/app.out" '^recv .*total=100 ' 10
wait_for "$APP_DIR/app.out" '^event type=woken reason=data' 10
wait_cg_frozen "$APP_CG"
log "woken by data and frozen again"

# A clean stop puts it in the foreground (OnDaemonStop=foreground).
stops=$(journalctl -b -u $unit -o cat | grep -c '^stopping$' || true)
systemctl stop $unit
expect_eq "$unit after stop" inactive "$(unit_prop $unit ActiveState)"
wait_cg_thawed "$APP_CG" 5
voipwakectl status >/tmp/status.txt
grep -q foreground /tmp/status.txt || fail "app not in the foreground: $(cat /tmp/status.txt)"
[ "$(journalctl -b -u $unit -o cat | grep -c '^stopping$')" -gt "$stops" ] ||
	fail "no 'stopping' in the journal"
peer send 50 >/dev/null
wait_for "$APP_DIR/app.out" '^recv .*total=150 ' 10
log "stopped: the app runs in the foreground"
