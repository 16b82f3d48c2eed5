# SPDX-License-Identifier: GPL-2.0
# vw-tier: system
# vw-timeout: 180
#
# Apps voipwaked starts (Exec=) under real systemd, by the packaged,
# unprivileged voipwaked.service: each an instance of the package's
# template, voipwake-app@NAME.service in voipwake-apps.slice, run as its
# User= by voipwake-app-exec; a run that fails is relaunched after the
# backoff; once it has marked its socket it is backgrounded
# (Background=yes), frozen, woken by data and frozen again; a restarted
# daemon adopts it rather than starting a twin; an app whose file is gone
# is not relaunched.
#
# The daemon may start these units through the package's polkit rule and
# nothing else: held to both halves. A plain user may not start the app's
# unit; the voipwake user may not start another unit, nor a transient
# one of the app's name, nor reset the app's unit. voipwake-app-exec
# refuses an instance without a file, one that is no app name, an unknown
# User= and a file others than root may write.
. /tests/lib.sh
. /tests/app.sh
. /tests/system.sh

unit=voipwaked.service
launched=voipwake-app@launched.service

reload_took()
{
	_n=$(journalctl -b -u $unit -o cat | grep -c 'configuration: ')
	systemctl reload $unit || fail "systemctl reload $unit"
	wait_until 30 "voipwaked reloaded" eval \
		"[ \$(journalctl -b -u $unit -o cat | grep -c 'configuration: ') -gt $_n ]"
}

# relaunches: how many relaunches voipwaked planned for the app so far.
relaunches()
{
	journalctl -b -u $unit -o cat | grep -c 'app launched .*: relaunch ' || true
}

set_param wake_window_ms 1000

# The app's peer is not there yet: each run fails (connection refused)
# and voipwaked relaunches it.
printf '[app]\nExec = /vw/bin/vw-app --done --events %s\nUser = %s\nBackground = yes\n' \
	"$PORT" "$VW_USER" >/etc/voipwake/apps.d/launched.conf
reload_took
wait_until 30 "voipwaked's first relaunch" \
	journal_has $unit 'app launched .*: relaunch 1 in '
journal_has $unit "cannot start unit $launched" &&
	fail "voipwaked cannot start $launched: $(journalctl -b -u $unit -o cat | grep 'cannot start unit' | tail -n1)"
peer_start
peer_connected
wait_unit $launched active 10
expect_eq "$launched slice" voipwake-apps.slice "$(unit_prop $launched Slice)"
cg=$(unit_cgroup $launched)
# A dash in a slice's name is a level: voipwake-apps.slice is under
# voipwake.slice.
expect_eq "$launched cgroup" \
	/sys/fs/cgroup/voipwake.slice/voipwake-apps.slice/$launched "$cg"
pid=$(unit_prop $launched MainPID)
expect_eq "$launched runs as" "$VW_UID" "$(stat -c %u /proc/"$pid")"
wait_cg_frozen "$cg" 20
journal_has $unit 'app launched backgrounded' || fail "no word of the background"
peer send 100 >/dev/null
wait_until 10 "the launched app got its data" journal_has $launched '^recv .*total=100 '
wait_cg_frozen "$cg" 10
log "$launched: in voipwake-apps.slice as uid $VW_UID, frozen, woken by data, frozen again"

# A restarted daemon (OnDaemonStop=foreground: the app is left running)
# finds the app's unit running and adopts it: the same process.
pid=$(unit_prop $launched MainPID)
systemctl restart $unit || fail "systemctl restart $unit"
wait_until 30 "the restarted voipwaked adopts the app" \
	journal_has $unit "app launched is running as $launched: adopted"
expect_eq "$launched's process after the daemon's restart" "$pid" \
	"$(unit_prop $launched MainPID)"

# The polkit rule's other half. Each refusal is the bus's (polkit's: no
# agent, so no question asked) and changes nothing.
as_user() # UID-OR-NAME CMD...
{
	_au=$1
	shift
	setpriv --reuid="$_au" --regid="$_au" --clear-groups "$@" 2>&1
}
# refused WHAT OUT: OUT is polkit's refusal, not another failure.
refused()
{
	echo "$2" | grep -Eq 'Interactive authentication required|Access denied' ||
		fail "$1: not refused by polkit: $2"
	log "$1: $2"
}
inv=$(unit_prop $launched InvocationID)
out=$(as_user 1001 systemctl --no-ask-password start $launched) &&
	fail "uid 1001 started $launched: $out"
refused "uid 1001: start $launched" "$out"
mkdir -p /run/systemd/system
printf '[Service]\nType=oneshot\nRemainAfterExit=yes\nExecStart=/bin/true\n' \
	>/run/systemd/system/vwtest-other.service
systemctl daemon-reload
out=$(as_user voipwake systemctl --no-ask-password start vwtest-other.service) &&
	fail "user voipwake started vwtest-other.service: $out"
refused "voipwake: start vwtest-other.service" "$out"
expect_eq "vwtest-other.service after the refusal" inactive \
	"$(unit_prop vwtest-other.service ActiveState)"
out=$(as_user voipwake systemd-run --no-ask-password --quiet \
	--unit=voipwake-app@evil.service /bin/true) &&
	fail "user voipwake started a transient voipwake-app@evil.service: $out"
refused "voipwake: transient voipwake-app@evil.service" "$out"
out=$(as_user voipwake systemctl --no-ask-password reset-failed $launched) &&
	fail "user voipwake reset $launched: $out"
refused "voipwake: reset-failed $launched" "$out"
expect_eq "$launched after the refusals" "$inv" "$(unit_prop $launched InvocationID)"

# Forgotten first (no relaunch), then stopped: nothing left running.
runs=$(relaunches)
rm /etc/voipwake/apps.d/launched.conf
reload_took
# No longer the daemon's: it holds the unit no more (Refs lists bus names).
expect_eq "$launched's Refs after its file went" "" "$(unit_prop $launched Refs)"
systemctl stop $launched 2>/dev/null || true
sleep 3
expect_eq "$launched after its file went" inactive "$(unit_prop $launched ActiveState)"
expect_eq "relaunches after the app's file went" "$runs" "$(relaunches)"

# voipwake-app-exec's own refusals, said in the instance's journal. The
# start itself succeeds (Type=exec: the helper ran); the run fails.
systemctl start voipwake-app@nosuch.service || true
wait_unit voipwake-app@nosuch.service failed 10
journal_has voipwake-app@nosuch.service \
	'voipwake-app-exec: /etc/voipwake/apps.d/nosuch.conf: No such file' ||
	fail "no word of nosuch.conf's absence"
systemctl start 'voipwake-app@a\x2f..\x2fb.service' || true
wait_until 10 "a/../b refused" journal_has 'voipwake-app@a\x2f..\x2fb.service' \
	"'a/../b' is no app name"
# Neither file is the daemon's (no reload): only the helper reads them.
printf '[app]\nExec = /bin/true\nUser = vwtest-nosuchuser\n' \
	>/etc/voipwake/apps.d/nouser.conf
systemctl start voipwake-app@nouser.service || true
wait_unit voipwake-app@nouser.service failed 10
journal_has voipwake-app@nouser.service 'voipwake-app-exec: User=vwtest-nosuchuser: ' ||
	fail "no word of the unknown user"
printf '[app]\nExec = /bin/true\n' >/etc/voipwake/apps.d/shared.conf
chmod 664 /etc/voipwake/apps.d/shared.conf
systemctl start voipwake-app@shared.service || true
wait_unit voipwake-app@shared.service failed 10
journal_has voipwake-app@shared.service 'writable by others than root: refused' ||
	fail "a group-writable file was not refused"
# A root-owned file in a directory another may write is another's too:
# the directory's writer could have renamed any file into its place.
chmod 644 /etc/voipwake/apps.d/shared.conf
chmod g+w /etc/voipwake/apps.d
systemctl start voipwake-app@shared.service || true
wait_unit voipwake-app@shared.service failed 10
chmod g-w /etc/voipwake/apps.d
journal_has voipwake-app@shared.service \
	'/etc/voipwake/apps.d: not owned by root, or writable by others than root: refused' ||
	fail "a group-writable apps.d was not refused"
rm /etc/voipwake/apps.d/nouser.conf /etc/voipwake/apps.d/shared.conf
log "voipwake-app-exec refused a missing file, a path, an unknown user, a group-writable file and directory"
