# SPDX-License-Identifier: GPL-2.0
# expect: not ok.*# guest died without a result.*kernel splat
echo c >/proc/sysrq-trigger
