# SPDX-License-Identifier: GPL-2.0
# expect: ok.*# SKIP needs nothing
. /tests/lib.sh
skip "needs nothing"
