# SPDX-License-Identifier: GPL-2.0
# expect: ok
. /tests/lib.sh
expect_eq "two plus two" 4 $((2 + 2))
