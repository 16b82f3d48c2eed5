# SPDX-License-Identifier: GPL-2.0
# vw-timeout: 90
# A wake that comes after the module's PM notifier let a suspend go on,
# but before freeze_processes(), must still abort that suspend.
# freeze_processes() clears pm_system_wakeup()'s abort, so the module
# raises it again from its device's prepare callback. The gap is widened
# on purpose: a usermode helper (a modprobe that takes 3 s) runs when the
# suspend starts, and freeze_processes() waits for it before it freezes
# tasks. The app's data comes during that wait. Before the callback, the
# abort was forgotten and the guest slept through the app's window, until
# the RTC alarm set here as a safety net.
. /tests/lib.sh
. /tests/app.sh
. /tests/ka.sh
. /tests/sleep.sh

vw_load wake_window_ms=2000
sleep_setup
[ -d /sys/devices/voipwake ] || fail "no /sys/devices/voipwake, whose prepare callback raises a late wake"
app_in_background app

cat >/tmp/slowprobe <<'PROBE'
#!/bin/sh
echo "$*" >/tmp/slowprobe.args
sleep 3
: >/tmp/slowprobe.done
exit 1
PROBE
chmod +x /tmp/slowprobe
modprobe_was=$(cat /proc/sys/kernel/modprobe)
echo /tmp/slowprobe >/proc/sys/kernel/modprobe
rm -f /tmp/slowprobe.args /tmp/slowprobe.done
# An unknown file system type: get_fs_type() asks for module fs-vwslowfs.
mkdir -p /tmp/vwmnt
mount -t vwslowfs none /tmp/vwmnt 2>/dev/null &
wait_for /tmp/slowprobe.args 'fs-vwslowfs' 5

echo 0 >/sys/class/rtc/rtc0/wakealarm
echo +15 >/sys/class/rtc/rtc0/wakealarm
n0=$(suspends)
(
	if echo mem >/sys/power/state 2>/dev/null; then
		echo "slept=$(boot_ns)"
	else
		echo "aborted=$(boot_ns)"
	fi
) >/tmp/s.out &
sp=$!
# The notifier found no app woken and returned; freeze_processes() now
# waits for the helper. The data comes in that wait.
sleep 1
[ ! -e /tmp/slowprobe.done ] || fail "the helper ended before the data: no gap to test"
peer send 100 >/dev/null
[ ! -e /tmp/slowprobe.done ] || fail "the helper ended before the data was sent: no gap to test"
wait $sp
echo "$modprobe_was" >/proc/sys/kernel/modprobe
echo 0 >/sys/class/rtc/rtc0/wakealarm
cat /tmp/s.out
grep -q '^aborted=' /tmp/s.out ||
	fail "the suspend went ahead of a wake that came before tasks were frozen: $(cat /tmp/s.out)"
expect_eq "suspends" "$n0" "$(suspends)"
dmesg | grep -q 'early wake event detected' ||
	fail "the kernel did not report the early wake: $(dmesg | grep 'PM:' | tail -n 5)"

# The app was woken for its data, and is frozen again after its window.
wait_for /tmp/app.out '^recv .*total=100 ' 10
wait_frozen app 10
expect_eq "data wakes" 1 "$(app_field app wakes_data)"
peer close >/dev/null
wait_for /tmp/app.out '^(eof|recv-error)' 10
wait $APP_PID
wait_until 10 "the wakeup source released" eval \
	"[ \"\$(cat $WS/active_time_ms)\" = 0 ]"
vw_unload
