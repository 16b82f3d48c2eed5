# SPDX-License-Identifier: GPL-2.0
# shellcheck shell=sh disable=SC1091
# The one "scenario" of tests/kunit/run: load voipwake_kunit.ko, during
# which KUnit runs its suites, and hand the KTAP they printed to the host
# between VW-KTAP markers (the boot's own empty KTAP stays out). Whether
# the tests passed is the host's call; here only the load must work.
# The guest's init then scans with kmemleak (as after any scenario on the
# debug kernel), so memory the tests or the code under test leaked fails
# the run.
. /tests/lib.sh

ko=/tests/scenarios/voipwake_kunit.ko
echo "vw-kunit: begin" >/dev/kmsg
insmod "$ko" || fail "insmod voipwake_kunit.ko"
echo "vw-kunit: end" >/dev/kmsg
echo "VW-KTAP-BEGIN"
dmesg | sed -n '/vw-kunit: begin/,/vw-kunit: end/p' | sed '1d;$d'
echo "VW-KTAP-END"
rmmod voipwake_kunit || fail "rmmod voipwake_kunit"

