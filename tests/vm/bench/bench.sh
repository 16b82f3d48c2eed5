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

# idle: what voipwake costs while nothing happens. Three apps frozen, one
# with a keep-alive every 600 s, voipwaked running; for a while, count
# the daemon's wake-ups (voluntary context switches) and the module's
# (its work items and delayed work run, from the kernel's workqueue
# trace events, and its keep-alive alarms fired), as per hour.
idle_figure()
{
	secs=300
	[ -n "${BENCH_FAST:-}" ] && secs=30
	insmod "$VW_KO" || fail "insmod for the idle figure"
	mkdir -p /etc/voipwake/apps.d
	for cg in idle1 idle2 idle3; do
		mkdir -p "/sys/fs/cgroup/$cg"
		printf '[app]\nCgroup = %s\n' "$cg" >"/etc/voipwake/apps.d/$cg.conf"
		sh -c "echo \$\$ >/sys/fs/cgroup/$cg/cgroup.procs; exec sleep 100000" &
		pids="${pids:-} $!"
		# An app with no task is collected: let it join first.
		until grep -q . "/sys/fs/cgroup/$cg/cgroup.procs"; do sleep 0.1; done
		voipwakectl background "$cg"
	done
	voipwakectl keepalive idle1 600
	voipwaked >/tmp/idle-vwd.log 2>&1 &
	vwd=$!
	sleep 2
	mount -t tracefs nodev /sys/kernel/tracing 2>/dev/null
	t=/sys/kernel/tracing
	if [ -w "$t/trace" ]; then
		echo 0 >"$t/tracing_on"
		: >"$t/trace"
		echo 1 >"$t/events/workqueue/workqueue_execute_start/enable"
		echo 1 >"$t/events/alarmtimer/alarmtimer_fired/enable" 2>/dev/null
		echo 1 >"$t/tracing_on"
	fi
	v0=$(sed -n 's/^voluntary_ctxt_switches:[[:space:]]*//p' "/proc/$vwd/status")
	sleep "$secs"
	v1=$(sed -n 's/^voluntary_ctxt_switches:[[:space:]]*//p' "/proc/$vwd/status")
	mod=-1
	if [ -w "$t/trace" ]; then
		echo 0 >"$t/tracing_on"
		# The module's own functions, by name, from kallsyms.
		awk '$4 == "[voipwake]" { print $3 }' /proc/kallsyms | sort -u >/tmp/vw-syms
		mod=$(awk 'NR == FNR { own[$1] = 1; next }
			/workqueue_execute_start/ { f = $NF; if (f in own) n++ }
			/alarmtimer_fired/ { n++ }
			END { print n + 0 }' /tmp/vw-syms "$t/trace")
		echo "# idle: $(grep -vc '^#' "$t/trace") trace events in ${secs} s, $mod of the module's ($(wc -l </tmp/vw-syms) of its functions known)"
	fi
	kill "$vwd" $pids
	wait "$vwd" 2>/dev/null
	for cg in idle1 idle2 idle3; do
		voipwakectl keepalive "$cg" off 2>/dev/null
		voipwakectl foreground "$cg" 2>/dev/null
		rm -f "/etc/voipwake/apps.d/$cg.conf"
	done
	rmmod voipwake
	d=$(( (v1 - v0) * 3600 / secs ))
	printf '%-6s %-50s %10s %10s %5s  %s\n' idle \
		"voipwaked wake-ups per hour, 3 frozen apps" "$d" "" "$secs" "per hour (measured over n s)"
	echo "BENCH {\"figure\":\"idle\",\"name\":\"voipwaked wake-ups per hour\",\"unit\":\"per hour\",\"value\":$d,\"target\":\"0\",\"met\":$([ "$d" = 0 ] && echo true || echo false)}"
	if [ "$mod" -ge 0 ]; then
		m=$((mod * 3600 / secs))
		printf '%-6s %-50s %10s %10s %5s  %s\n' idle \
			"module wake-ups per hour (one keep-alive, 600 s)" "$m" "" "$secs" "per hour (measured over n s)"
		echo "BENCH {\"figure\":\"idle\",\"name\":\"module wake-ups per hour\",\"unit\":\"per hour\",\"value\":$m,\"target\":\"\",\"met\":null}"
	else
		echo "# idle: no tracefs in this kernel: the module's wake-ups are not counted"
	fi
}
case ",${BENCH_FIGS:-idle}," in
*,idle,*) idle_figure ;;
esac
