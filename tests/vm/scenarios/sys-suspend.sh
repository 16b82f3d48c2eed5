# SPDX-License-Identifier: GPL-2.0
# vw-tier: system
# vw-timeout: 150
#
# Issue 20 in the full system: "systemctl suspend" (logind, then
# systemd-sleep writing "mem"; S3, which QEMU's RTC alarm wakes) with two
# apps of voipwaked's in the background, both with keep-alives that fall
# due during the sleep:
#   - "waker" (WakeSystem= left at its default, yes for a listed app):
#     its alarm resumes the machine, its handler runs, and it is frozen
#     again;
#   - "sleeper" (WakeSystem=no), due first: its deadline passes in the
#     sleep without a resume, and its keep-alive is served at the resume
#     the waker's alarm makes, late but not lost.
# voipwaked is what tells the module which may wake the system; then the
# machine suspends again, and the next resume is the waker's again.
. /tests/lib.sh
. /tests/app.sh
. /tests/ka.sh
. /tests/sleep.sh
. /tests/system.sh

# ka_unit NAME SECS WORK: vw-app as system service vwtest-NAME.service
# with a keep-alive of SECS whose handler works WORK ms and one marked, unconnected socket (it runs until
# stopped: its stdin never ends); its output in $APP_DIR/NAME.out.
ka_unit()
{
	rm -f "$APP_DIR/$1.ready" "$APP_DIR/$1.out"
	systemd-run --quiet --collect --unit="vwtest-$1.service" \
		-p StandardOutput="file:$APP_DIR/$1.out" -p StandardError=inherit \
		sh -c 'sleep infinity | exec "$@"' sh /vw/bin/vw-app \
		--ready "$APP_DIR/$1.ready" --events --mark-only --ka "$2" \
		--ka-work "$3" 0 || fail "systemd-run vwtest-$1.service"
	wait_until 30 "$1 ready: $(cat "$APP_DIR/$1.out" 2>/dev/null)" \
		test -e "$APP_DIR/$1.ready"
	grep -q '^ka-set rc=0' "$APP_DIR/$1.out" ||
		fail "$1: keep-alive not set: $(cat "$APP_DIR/$1.out")"
}

# ka_boot NAME N: CLOCK_BOOTTIME of NAME's Nth keep-alive handler.
ka_boot()
{
	boot_of "$APP_DIR/$1.out" "^keepalive n=$2 "
}

set_param min_keepalive_s 2
set_param keepalive_budget_ms 12000
sleep_setup
vwd_allow waker "$(sys_unit_cg vwtest-waker.service)"
vwd_allow sleeper "$(sys_unit_cg vwtest-sleeper.service)" "WakeSystem = no"
# The waker is due 16 to 20 s after it set its keep-alive, and the
# sleeper every 3.2 to 4 s: its deadlines pass during the sleep.
ka_unit waker 20 10000
ka_unit sleeper 4 200
w=system.slice/vwtest-waker.service
s=system.slice/vwtest-sleeper.service
wait_until 10 "voipwaked let the waker wake the system" eval \
	"voipwakectl status -j | grep '\"cgroup\": \"/$w\"' | grep -q '\"wake_system\": true'"
voipwakectl status -j | grep "\"cgroup\": \"/$s\"" | grep -q '"wake_system": false' ||
	fail "the sleeper may wake the system: $(voipwakectl status -j)"

voipwakectl background "$w"
voipwakectl background "$s"
wait_cg_frozen "/sys/fs/cgroup/$w"
wait_cg_frozen "/sys/fs/cgroup/$s"

# suspend_for_waker: systemctl suspend, and back once the waker's next
# keep-alive ran, by its alarm: KW is when its handler started, and
# ENTRY when the kernel began the suspend (both CLOCK_BOOTTIME).
suspend_for_waker()
{
	_n=$(($(kas waker) + 1))
	_s0=$(suspends)
	_e0=$(dmesg | grep -c 'PM: suspend entry' || true)
	window "$w"
	systemctl suspend || fail "systemctl suspend"
	wait_for "$APP_DIR/waker.out" "^keepalive n=$_n " 60
	expect_eq "suspends" $((_s0 + 1)) "$(suspends)"
	KW=$(ka_boot waker $_n)
	# QEMU resumes S3 some seconds after the RTC alarm: slack after the
	# deadline.
	in_window "the waker's keep-alive $_n" "$KW" "$WE" "$((WL + 8000000000))"
	ENTRY=$(dmesg | grep 'PM: suspend entry' | sed -n "$((_e0 + 1))p" |
		sed 's/^\[ *\([0-9]*\)\.\([0-9]*\)\].*/\1\2000/')
	[ -n "$ENTRY" ] || fail "no 'PM: suspend entry' in the kernel's log"
}

# kas NAME: how many keep-alives NAME's handler ran.
kas()
{
	grep -c '^keepalive n=' "$APP_DIR/$1.out" || true
}

# The first suspend: CLOCK_BOOTTIME still equals the printk clock.
done0=$(journalctl -b -u systemd-suspend -o cat | grep -c 'System returned from sleep' || true)
suspend_for_waker
wait_until 30 "systemd-sleep says the system returned" eval \
	"[ \$(journalctl -b -u systemd-suspend -o cat | grep -c 'System returned from sleep') -gt $done0 ]"
# The sleeper: nothing ran in the sleep, and its first keep-alive after
# it came with the waker's resume, late, not lost.
prev=0
ks=
for b in $(grep '^keepalive n=' "$APP_DIR/sleeper.out" | tr ' ' '\n' | sed -n 's/^boot=//p'); do
	if [ "$b" -le "$ENTRY" ]; then
		prev=$b
	elif [ -z "$ks" ]; then
		ks=$b
	fi
done
[ -n "$ks" ] || wait_for "$APP_DIR/sleeper.out" "^keepalive n=$(($(kas sleeper) + 1)) " 10
[ -n "$ks" ] || ks=$(ka_boot sleeper "$(kas sleeper)")
[ "$ks" -ge $((KW - 1000000000)) ] ||
	fail "the sleeper's keep-alive ran at $ks, in the sleep (entry $ENTRY, the waker's resume $KW): something resumed the machine for it"
[ $((ks - prev)) -gt 4000000000 ] ||
	fail "the sleeper's keep-alives at $prev and $ks: no deadline of its passed in the sleep"
log "sleeper: $(((ks - prev) / 1000000)) ms between its keep-alives around the sleep (period 4 s), served at the waker's resume"
wait_cg_frozen "/sys/fs/cgroup/$w" 20
wait_cg_frozen "/sys/fs/cgroup/$s" 10
expect_eq "the waker's keep-alive overruns" 0 "$(app_field "$w" keepalive_overruns)"
expect_eq "the sleeper's keep-alive overruns" 0 "$(app_field "$s" keepalive_overruns)"

# Again: the next resume is the waker's next keep-alive.
suspend_for_waker
# A suspend asked for while the waker's handler works waits until it is
# done: systemd-sleep writes /sys/power/state without the wakeup_count
# hand-shake, and the module's PM notifier holds it before tasks are
# frozen. The kernel says "Freezing user space processes" right after
# the notifiers ("suspend entry" comes before them). (The printk clock
# and CLOCK_MONOTONIC, which vw-app's t= is, both stop in suspend and
# agree to far less than a second here.)
th=$(grep "^keepalive n=$(kas waker) " "$APP_DIR/waker.out" | tr ' ' '\n' | sed -n 's/^t=//p')
f0=$(dmesg | grep -c 'Freezing user space processes' || true)
n3=$(($(kas waker) + 1))
systemctl suspend || fail "systemctl suspend"
wait_for "$APP_DIR/waker.out" "^keepalive n=$n3 " 60
frz=$(dmesg | grep 'Freezing user space processes' | sed -n "$((f0 + 1))p" |
	sed 's/^\[ *\([0-9]*\)\.\([0-9]*\)\].*/\1\2000/')
[ -n "$frz" ] || fail "the kernel's log has no freeze of tasks for the suspend asked during the handler"
log "the suspend asked during the handler froze tasks $(((frz - th) / 1000000)) ms into it (it works 10000 ms)"
[ "$frz" -ge $((th + 9500000000)) ] ||
	fail "the suspend froze tasks $(((frz - th) / 1000000)) ms into a handler that works 10000 ms: not held"
expect_eq "the waker's keep-alive overruns" 0 "$(app_field "$w" keepalive_overruns)"
wait_cg_frozen "/sys/fs/cgroup/$w" 20

# The sleeper wakes every 4 s: stopped first, so that the source must be
# released for good (every hold went with its wake or its app).
systemctl stop vwtest-sleeper.service
wait_until 10 "voipwake's wakeup source released, the waker frozen" \
	eval "[ \$(cat '$WS/active_time_ms') = 0 ]"
systemctl stop vwtest-waker.service
