# SPDX-License-Identifier: GPL-2.0
# A taint other than O/E fails a scenario that itself succeeded (512 is W,
# the mark a WARN() leaves).
# expect: not ok.*# kernel tainted \(512\)
echo 512 >/proc/sys/kernel/tainted
