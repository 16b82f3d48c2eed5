# SPDX-License-Identifier: GPL-2.0
# expect: not ok.*# exit status 1
. /tests/lib.sh
expect_eq "two plus two" 5 $((2 + 2))
