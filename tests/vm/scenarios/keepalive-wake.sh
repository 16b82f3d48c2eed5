# SPDX-License-Identifier: GPL-2.0
# vw-timeout: 100
# vw-debug-skip: checks cannot fit in a 4 s keep-alive period under KASAN+TCG
# Not on the debug kernel, for timing alone: each keep-alive's checks
# must end before the next one, 3.2 s later; under KASAN on TCG a freeze
# alone takes seconds.
#
# An app with a keep-alive of 4 s (the minimum lowered for the test): in
# the background it is woken inside [0.8 T, T] of each period, its handler
# runs and says done, and it is frozen again at once. Each period counts
# from the last keep-alive; none runs while the app is in the foreground,
# and a new one starts when it goes back.
. /tests/lib.sh
. /tests/app.sh
. /tests/ka.sh

vw_load min_keepalive_s=2
expect_eq "min_keepalive_s" 2 "$(param min_keepalive_s)"
app_in_background app --ka 4
expect_eq "keepalive_s" 4 "$(app_field app keepalive_s)"

for n in 1 2; do
	window app
	expect_eq "window width, 20 % of 4 s" 800000000 $((WL - WE))
	wait_for /tmp/app.out "^keepalive n=$n " 10
	woke=$(app_field app last_wake_ns)
	in_window "keep-alive $n" "$woke" "$WE" "$WL"
	# Done: frozen long before the 10 s budget would end.
	wait_frozen app 3
	expect_eq "keep-alive wakes" $n "$(app_field app wakes_keepalive)"
	# The next period starts at this keep-alive.
	window app
	start=$((WL - 4000000000))
	[ $start -le "$woke" ] && [ $start -ge $((woke - 500000000)) ] ||
		fail "period $((n + 1)) starts at $start, not at the keep-alive ($woke)"
done
expect_eq "overruns" 0 "$(app_field app keepalive_overruns)"
peer recv | grep -q 'text=ka\\r\\n' || fail "the peer got no keep-alive"

voipwakectl foreground app
wait_thawed app
[ -z "$(app_field app keepalive_earliest_ns)" ] ||
	fail "a keep-alive is armed in the foreground"
sleep 5
expect_eq "keep-alive wakes in the foreground" 2 "$(app_field app wakes_keepalive)"

t0=$(boot_ns)
voipwakectl background app
wait_frozen app
window app
[ $((WL - 4000000000)) -ge "$t0" ] ||
	fail "the period after the foreground began before it ($WL - 4 s < $t0)"
wait_for /tmp/app.out '^keepalive n=3 ' 10
in_window "keep-alive after the foreground" "$(app_field app last_wake_ns)" "$WE" "$WL"
wait_frozen app 3

voipwakectl keepalive app 0
expect_eq "keepalive_s after clearing" 0 "$(app_field app keepalive_s)"
[ -z "$(app_field app keepalive_earliest_ns)" ] || fail "still armed after clearing"
peer close >/dev/null
wait_for /tmp/app.out '^eof' 10
wait $APP_PID
vw_unload
