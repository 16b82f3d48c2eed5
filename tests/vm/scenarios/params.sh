# SPDX-License-Identifier: GPL-2.0
# Every parameter is bounded: out-of-range values are refused at load and
# at run time, and a refused write leaves the old value in place.
. /tests/lib.sh

expect_fail "wake_window_ms=0 at load" insmod "$VW_KO" wake_window_ms=0
vw_loaded && fail "module loaded despite a bad parameter"
expect_fail "max_socks_per_app=100000 at load" \
	insmod "$VW_KO" max_socks_per_app=100000
expect_fail "non-numeric value at load" insmod "$VW_KO" wake_window_ms=ten

vw_load wake_window_ms=2500 max_socks_per_app=3
expect_eq wake_window_ms 2500 "$(param wake_window_ms)"
expect_eq max_socks_per_app 3 "$(param max_socks_per_app)"
expect_eq "wake_window_max_ms default" 30000 "$(param wake_window_max_ms)"

p=/sys/module/voipwake/parameters
for bad in 0 99 600001 -1 abc; do
	expect_fail "wake_window_ms=$bad at run time" \
		sh -c "echo $bad > $p/wake_window_ms"
	expect_eq "wake_window_ms after refused $bad" 2500 "$(param wake_window_ms)"
done
echo 100 >$p/wake_window_ms
expect_eq "wake_window_ms lower bound" 100 "$(param wake_window_ms)"
echo 600000 >$p/wake_window_max_ms
expect_eq "wake_window_max_ms upper bound" 600000 "$(param wake_window_max_ms)"
expect_fail "unprivileged write" \
	as_user 1000 sh -c "echo 5000 > $p/wake_window_ms"
expect_eq "wake_window_ms after unprivileged write" 100 "$(param wake_window_ms)"
vw_unload
