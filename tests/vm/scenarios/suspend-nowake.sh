# SPDX-License-Identifier: GPL-2.0
# vw-timeout: 120
# Issue 20: an app nobody let wake the system (the module's default,
# wake_system_default=0) has its keep-alive fall due while the guest is
# suspended (S3). The guest sleeps on until the RTC alarm set for 12 s
# later, not the keep-alive's; then the keep-alive is served, once, and
# the next one comes as usual: none is lost. An APP_WAKE_SYSTEM outside
# 0..1 is refused by the policy.
. /tests/lib.sh
. /tests/app.sh
. /tests/ka.sh
. /tests/sleep.sh

vw_load min_keepalive_s=2
sleep_setup
expect_eq "wake_system_default" 0 "$(param wake_system_default)"

# A 6 s period: due in [4.8 s, 6 s] of the backgrounding, while asleep.
ka_app n 6
r=$(vw-nlprobe app-set "$CG_ROOT/n" wake-system=2 || true)
case $r in
result=ERANGE*) log "wake-system=2 refused: $r" ;;
*) fail "wake-system=2: $r" ;;
esac
voipwakectl status -j | grep '"cgroup": "/n"' | grep -q '"wake_system": false' ||
	fail "status -j does not say n may not wake the system: $(voipwakectl status -j)"
voipwakectl background n
wait_frozen n
window n
echo 0 >/sys/class/rtc/rtc0/wakealarm
echo +12 >/sys/class/rtc/rtc0/wakealarm
t0=$(boot_ns)
suspend_handshake n /tmp/s1.out
cat /tmp/s1.out
resumed=$(sed -n 's/^slept=//p' /tmp/s1.out)
[ -n "$resumed" ] || fail "the suspend did not happen: $(cat /tmp/s1.out)"
[ "$resumed" -ge $((t0 + 10000000000)) ] ||
	fail "resumed $(((resumed - t0) / 1000000)) ms after the suspend, before the RTC alarm: the keep-alive woke the system"
[ "$resumed" -gt "$WL" ] ||
	fail "resumed at $resumed, before the keep-alive's deadline $WL: nothing to show"

wait_for /tmp/n.out '^keepalive n=1 ' 10
ka1=$(boot_of /tmp/n.out '^keepalive n=1 ')
[ "$ka1" -ge $((t0 + 10000000000)) ] ||
	fail "keep-alive served at $ka1, while the system was asleep (from $t0)"
log "keep-alive served $(((ka1 - resumed) / 1000000)) ms from the shell's resume stamp, $(((ka1 - WL) / 1000000)) ms after its deadline"
wait_frozen n 5
expect_eq "keep-alive wakes after the resume" 1 "$(app_field n wakes_keepalive)"
# The next period counts from that keep-alive, and is served awake.
wait_for /tmp/n.out '^keepalive n=2 ' 10
expect_eq "keep-alive wakes" 2 "$(app_field n wakes_keepalive)"
# shellcheck disable=SC2086
kill $KA_PIDS
wait_until 10 "the app collected" eval "! voipwakectl status -j | grep -q '\"/n\"'"
vw_unload
