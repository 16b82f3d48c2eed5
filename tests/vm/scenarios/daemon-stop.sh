# SPDX-License-Identifier: GPL-2.0
# vw-timeout: 90
# voipwaked loads the module when it is missing and the kernel did not
# (libkmod); only configured apps may be woken (UnlistedApps=deny:
# another app's mark is undone when it is frozen); a clean stop thaws the
# apps policy says must not stay frozen. It runs without a system bus,
# too. (OnDaemonStop=stop of the units it launched: the full-system
# tier's.)
. /tests/lib.sh
. /tests/app.sh
. /tests/daemon.sh

vw_loaded && fail "module loaded before the test"
app_conf phone <<'CONF'
[app]
Cgroup = phone
CONF
app_conf kept <<'CONF'
[app]
Cgroup = kept
OnDaemonStop = keep
CONF
# The kernel would load it on the family's first lookup; make that fail,
# as it does where module autoloading is off, so libkmod has to.
echo /bin/false >/proc/sys/kernel/modprobe
daemon_start
vw_loaded || fail "voipwaked did not load the module"
log_has "loaded the voipwake module"
echo /sbin/modprobe >/proc/sys/kernel/modprobe

app_in_background phone
cg_make kept >/dev/null
echo 0 >/sys/fs/cgroup/kept/cgroup.freeze
sh -c 'echo $$ >/sys/fs/cgroup/kept/cgroup.procs; exec sleep 1000' &
KEPT_PID=$!
voipwakectl background kept
wait_frozen kept

# An app with no file marks a socket, and is frozen: undone then.
cg_make rogue >/dev/null
rm -f /tmp/rogue.in
mkfifo /tmp/rogue.in
vw-sock --cgroup /sys/fs/cgroup/rogue --hold 1 tcp-connected \
	</tmp/rogue.in >/tmp/rogue.out 2>&1 &
exec 5<>/tmp/rogue.in
wait_for /tmp/rogue.out '^held n=1' 10
voipwakectl background rogue
wait_until 10 "rogue socket unmarked" grep -q "unmarked socket" "$VWD_LOG"
log_has "unmarked socket [0-9]+ of pid [0-9]+: its app \(cgroup /rogue\) has no configuration and UnlistedApps=deny"
rid=$(stat -c %i /sys/fs/cgroup/rogue)
wait_until 10 "no marked socket of rogue" eval \
	"! voipwakectl status -j | grep -q '\"cgroup_id\": $rid,.*\"socks\": [1-9]'"
exec 5>&-
voipwakectl foreground rogue
log_has "cannot serve org.voipwake.Daemon1 on the system bus"

daemon_kill TERM
expect_eq "daemon exit status" 0 "$VWD_RC"
wait_thawed phone 5
expect_eq "phone after the stop" foreground "$(status_json apps.0.state)"
cg_frozen kept || fail "OnDaemonStop=keep app was thawed"
log "kept app still frozen"

voipwakectl foreground kept
kill $KEPT_PID
peer close >/dev/null
wait $APP_PID
vw_unload
