# SPDX-License-Identifier: GPL-2.0
# The module loads and unloads cleanly, repeatedly, and says so in the log.
. /tests/lib.sh

for i in 1 2 3; do
	vw_load
	grep -q '^voipwake ' /proc/modules || fail "not in /proc/modules"
	expect_eq "sysfs version (load $i)" "$VW_VERSION" \
		"$(cat /sys/module/voipwake/version)"
	vw_unload
	grep -q '^voipwake ' /proc/modules && fail "still in /proc/modules"
done
expect_eq "load messages" 3 "$(dmesg | grep -c "voipwake: version $VW_VERSION loaded")"
expect_eq "unload messages" 3 "$(dmesg | grep -c 'voipwake: unloaded')"
