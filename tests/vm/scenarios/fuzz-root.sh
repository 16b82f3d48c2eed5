# SPDX-License-Identifier: GPL-2.0
# vw-timeout: 400
# vw-alone: its leak_start clears kmemleak's reports, a batch's included
# The netlink fuzzer as root: every request the module must refuse is
# refused, every request gets its answer, no splat, and the module unloads
# afterwards. FUZZ_SEED replays a run; the debug kernel sends a tenth of
# the messages in the short form (make stress sends 100000 there).
. /tests/lib.sh
. /tests/app.sh
. /tests/adv.sh

count=${FUZZ_COUNT:-$(scaled 100000 1000000 10000 100000)}
leak_start
vw_load max_socks_per_app=1024 min_keepalive_s=2
cg_make fuzz-self >/dev/null
cg_make fuzz-app >/dev/null
log "count=$count${FUZZ_SEED:+ seed=$FUZZ_SEED}"
sh -c "echo \$\$ >$CG_ROOT/fuzz-self/cgroup.procs && exec vw-fuzz \
	--count $count --socks 512 ${FUZZ_SEED:+--seed $FUZZ_SEED} \
	--cgroup $CG_ROOT/fuzz-app" || fail "vw-fuzz as root"
# The fuzzer may have left fuzz-app in the background: thaw it, and let
# the module drop what its sockets held.
voipwakectl foreground fuzz-app >/dev/null 2>&1 || true
voipwakectl info >/dev/null || fail "module no longer answers"
vw_unload
leak_check
