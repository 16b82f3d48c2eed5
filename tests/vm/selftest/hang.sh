# SPDX-License-Identifier: GPL-2.0
# A scenario that ignores the guest's own deadline is killed by the host.
# vw-timeout: 15
# expect: not ok.*# timeout after 15s
trap '' TERM
while :; do
	sleep 1
done
