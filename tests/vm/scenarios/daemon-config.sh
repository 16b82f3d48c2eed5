# SPDX-License-Identifier: GPL-2.0
# A bad configuration is refused with its file and line: at start (exit 1)
# and on SIGHUP, where the running policy stays in force; a good one is
# applied on SIGHUP. systemd hears READY, RELOADING and STOPPING. An
# rmmod under it is heard (a uevent), said once, not undone.
# vw-needs: dbus
. /tests/lib.sh
. /tests/app.sh
. /tests/daemon.sh

vw_load
bus_start
cat >"$VWD_CONF/voipwaked.conf" <<'CONF'
[defaults]
WakeBudget = 60/1h
CONF
app_conf phone <<'CONF'
[app]
Cgroup = phone
CONF
app_conf bad <<'CONF'
[app]
Cgroup = bad
WakeBudget = lots
CONF
out=$(voipwaked --check 2>&1) && fail "--check passed a bad file: $out"
case $out in
*"/etc/voipwake/apps.d/bad.conf:3: WakeBudget must be N/PERIOD"*) log "--check: $out" ;;
*) fail "--check said: $out" ;;
esac
rc=0
voipwaked >/tmp/start.log 2>&1 || rc=$?
expect_eq "start with a bad file" 1 "$rc"
grep -q "bad.conf:3:" /tmp/start.log || fail "no line number: $(cat /tmp/start.log)"
rm "$VWD_CONF/apps.d/bad.conf"
voipwaked --check | grep -q "1 app(s), configuration is valid" || fail "--check on a good file"

cg_make phone >/dev/null
# systemd's side of Type=notify.
vw-notify /run/notify.sock >/tmp/notify.out 2>&1 &
NOTIFY=$!
wait_for /tmp/notify.out '^listening' 5
NOTIFY_SOCKET=/run/notify.sock daemon_start
wait_for /tmp/notify.out '^READY=1 STATUS=1 app\(s\) configured' 5
log "notified: $(grep READY /tmp/notify.out)"
expect_eq "budget" 60/1h "$(daemon_app_json phone budget)"

# Broken while running: refused with its line, the policy stays.
printf '[app]\nCgroup = phone\nWakeBudget = 30/1h\nNoSuchKey = 1\n' \
	>"$VWD_CONF/apps.d/phone.conf"
kill -HUP "$VWD_PID"
wait_until 10 "reload refused" grep -q "configuration refused" "$VWD_LOG"
log_has "configuration refused, the running one stays: /etc/voipwake/apps.d/phone.conf:4: unknown key 'NoSuchKey' in \[app\]"
sleep 1.5
expect_eq "budget after a bad reload" 60/1h "$(daemon_app_json phone budget)"

# Fixed: applied.
printf '[app]\nCgroup = phone\nWakeBudget = 30/1h\n' >"$VWD_CONF/apps.d/phone.conf"
kill -HUP "$VWD_PID"
wait_until 10 "budget reloaded" eval \
	'[ "$(daemon_app_json phone budget)" = 30/1h ]'
log "budget after a good reload: 30/1h"

wait_for /tmp/notify.out '^RELOADING=1' 5

# An admin unloads the module under the daemon: it says so once, does
# not load it back, and reads the apps again once the module is back.
vw_unload
wait_until 5 "lost the module" grep -q "the voipwake module was unloaded" "$VWD_LOG"
sleep 3
vw_loaded && fail "voipwaked loaded the module back"
expect_eq "reports of the loss" 1 "$(count "$VWD_LOG" "the voipwake module was unloaded")"
vw_load
wait_until 5 "module found again" grep -q "the voipwake module is back" "$VWD_LOG"
log "voipwaked lost the module, left it unloaded, and found it again"
daemon_kill TERM
expect_eq "daemon exit status" 0 "$VWD_RC"
wait_for /tmp/notify.out '^STOPPING=1' 5
expect_eq "readiness notices (start and two reloads)" 3 \
	"$(count /tmp/notify.out '^READY=1')"
kill $NOTIFY
vw_unload
