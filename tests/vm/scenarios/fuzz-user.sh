# SPDX-License-Identifier: GPL-2.0
# vw-timeout: 400
# vw-alone: its leak_start clears kmemleak's reports, a batch's included
# The netlink fuzzer as uid 1000, with a delegated cgroup to act on: the
# same rules as fuzz-root, from a user who may do less.
. /tests/lib.sh
. /tests/app.sh
. /tests/adv.sh

count=${FUZZ_COUNT:-$(scaled 100000 1000000 10000 100000)}
leak_start
vw_load max_socks_per_app=1024 min_keepalive_s=2
cg_make fuzz-self >/dev/null
cg_make fuzz-app >/dev/null
chown 1000:1000 "$CG_ROOT/fuzz-app" "$CG_ROOT/fuzz-app/cgroup.freeze" \
	"$CG_ROOT/fuzz-app/cgroup.procs"
log "count=$count${FUZZ_SEED:+ seed=$FUZZ_SEED}"
sh -c "echo \$\$ >$CG_ROOT/fuzz-self/cgroup.procs && exec vw-runas 1000 \
	vw-fuzz --count $count --socks 512 ${FUZZ_SEED:+--seed $FUZZ_SEED} \
	--cgroup $CG_ROOT/fuzz-app" || fail "vw-fuzz as uid 1000"
voipwakectl foreground fuzz-app >/dev/null 2>&1 || true
voipwakectl info >/dev/null || fail "module no longer answers"
vw_unload
leak_check
