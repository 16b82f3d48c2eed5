# SPDX-License-Identifier: GPL-2.0
# make bench, inside the guest: vw-bench loads voipwake.ko itself (the
# foreground figure unloads and reloads it) and prints the table, with a
# "BENCH {json}" line per result for tests/bench/run to collect.
# Environment (VW_GUEST_ENV): BENCH_FAST=1 for a smoke run, BENCH_SAMPLES
# (wake latency samples per method), BENCH_FIGS (comma-separated figures).
# vw-timeout: 2400
. /tests/lib.sh

echo "# guest: $(uname -r), $(grep -c ^processor /proc/cpuinfo) vCPUs, $(awk '/MemTotal/ { print int($2 / 1024) " MiB" }' /proc/meminfo)"
# shellcheck disable=SC2046
vw-bench --ko "$VW_KO" --params max_socks_per_app=16 \
	${BENCH_SAMPLES:+--samples "$BENCH_SAMPLES"} ${BENCH_FAST:+--fast} \
	$(echo "${BENCH_FIGS:-}" | tr , ' ')
! vw_loaded || fail "vw-bench left voipwake loaded"
