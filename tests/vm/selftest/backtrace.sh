# SPDX-License-Identifier: GPL-2.0
# A kernel backtrace in the log fails a scenario that itself succeeded.
# expect: not ok.*# kernel splat
echo l >/proc/sysrq-trigger
sleep 1
