# SPDX-License-Identifier: GPL-2.0
# vw-timeout: 90
# A background app whose cgroup is emptied and removed at once is still
# collected. cgroup.events notifies at most once per 10 ms; the emptying,
# coming within that of the freeze's notification, is put off on a timer
# that the rmdir cancels, so the app never hears of it from the kernel's
# notification alone. vw-race's "removed" role makes exactly that happen,
# cycle after cycle; every app must then leave the table.
. /tests/lib.sh
. /tests/app.sh
. /tests/adv.sh

vw_load
cg_make rm >/dev/null
vw-race removed 6 "$CG_ROOT/rm" >/tmp/removed.out 2>&1 ||
	fail "vw-race removed: $(cat /tmp/removed.out)"
cat /tmp/removed.out
fast=$(sed -n 's/.* fast=\([0-9]*\).*/\1/p' /tmp/removed.out)
# Without a cycle inside the rate limit, the case was never made. The
# debug kernel (KASAN under TCG) is too slow to make it: there the run
# checks the second look under lockdep and kmemleak, and says so.
if [ "${fast:-0}" -eq 0 ]; then
	debug_kernel || fail "no kill-to-rmdir within 10 ms: the race was never run"
	log "no cycle fitted in 10 ms on the debug kernel: checked for splats and leaks only"
fi
apps_drain 3
vw_unload
