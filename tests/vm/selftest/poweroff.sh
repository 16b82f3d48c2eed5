# SPDX-License-Identifier: GPL-2.0
# A guest that stops before reporting has failed, even with no splat.
# expect: not ok.*# guest died without a result
poweroff -f
