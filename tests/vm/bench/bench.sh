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

# resume: from the kernel's resume (its first device stage, once the
# clocks count the time slept again) to the thaw of the app whose
# keep-alive woke the machine: the kernel's own trace events
# (power:suspend_resume "dpm_resume_noirq" begin, cgroup:cgroup_unfreeze
# of the app), on the trace's CLOCK_BOOTTIME. (machine_suspend's end
# comes before timekeeping resumes, on the clock as it was at suspend.)
# The guest resumes about 5 s after the RTC alarm (QEMU), which is before
# this interval starts.
resume_figure()
{
	t=/sys/kernel/tracing
	mount -t tracefs nodev $t 2>/dev/null
	if ! grep -qw deep /sys/power/mem_sleep 2>/dev/null ||
	   [ ! -e $t/events/power/suspend_resume/enable ] ||
	   [ ! -e $t/events/cgroup/cgroup_unfreeze/enable ]; then
		echo "# resume: no S3 or no power and cgroup trace events in this kernel"
		return
	fi
	echo deep >/sys/power/mem_sleep
	insmod "$VW_KO" min_keepalive_s=2 wake_system_default=1 ||
		fail "insmod for the resume figure"
	mkdir -p /sys/fs/cgroup/vwb-ka
	rm -f /tmp/vwb-ka.ready /tmp/vwb-ka.in
	mkfifo /tmp/vwb-ka.in
	vw-app --cgroup /sys/fs/cgroup/vwb-ka --ready /tmp/vwb-ka.ready \
		--mark-only --ka 6 0 </tmp/vwb-ka.in >/tmp/vwb-ka.out 2>&1 &
	app=$!
	# Its stdin stays open until the end: --mark-only runs until EOF.
	exec 5<>/tmp/vwb-ka.in
	until [ -e /tmp/vwb-ka.ready ]; do sleep 0.1; done
	rounds=5
	[ -n "${BENCH_FAST:-}" ] && rounds=1
	echo boot >$t/trace_clock
	: >/tmp/vwb-resume
	n=0
	while [ $n -lt $rounds ]; do
		n=$((n + 1))
		voipwakectl background vwb-ka
		until grep -q '^frozen 1' /sys/fs/cgroup/vwb-ka/cgroup.events; do sleep 0.05; done
		echo 0 >$t/tracing_on
		: >$t/trace
		echo 1 >$t/events/power/suspend_resume/enable
		echo 1 >$t/events/cgroup/cgroup_unfreeze/enable
		echo 1 >$t/tracing_on
		echo mem >/sys/power/state 2>/dev/null ||
			echo "# resume: round $n: the suspend did not happen"
		w=0
		until [ "$(grep -c '^keepalive n=' /tmp/vwb-ka.out)" -ge $n ]; do
			w=$((w + 1))
			[ $w -le 300 ] || fail "resume: round $n: no keep-alive 30 s after the resume"
			sleep 0.1
		done
		echo 0 >$t/tracing_on
		awk 'function ts(  i) { for (i = 1; i <= NF; i++) if ($i ~ /^[0-9]+\.[0-9]+:$/) return substr($i, 1, length($i) - 1) }
		     /suspend_resume: dpm_resume_noirq\[[0-9]*\] begin/ { r = ts() }
		     /cgroup_unfreeze:.*path=\/vwb-ka/ && r != "" && u == "" { u = ts() }
		     END { if (r != "" && u != "") printf "%d\n", (u - r) * 1000000 }' $t/trace >>/tmp/vwb-resume
		voipwakectl foreground vwb-ka
	done
	echo 0 >$t/events/power/suspend_resume/enable
	echo 0 >$t/events/cgroup/cgroup_unfreeze/enable
	echo local >$t/trace_clock
	exec 5>&-
	wait "$app" 2>/dev/null
	rmmod voipwake
	got=$(grep -c . /tmp/vwb-resume || true)
	if [ "$got" -eq 0 ]; then
		echo "# resume: no round gave both trace events:"
		grep -E 'suspend_resume|cgroup_unfreeze' $t/trace | sed 's/^/#   /' | head -n 60
		return
	fi
	med=$(sort -n /tmp/vwb-resume | sed -n "$(( (got + 1) / 2 ))p")
	max=$(sort -n /tmp/vwb-resume | tail -n1)
	printf '%-6s %-50s %10s %10s %5s  %s\n' resume \
		"resume (S3) to thaw of the keep-alive's app" "$med" "$max" "$got" "us (median, max)"
	echo "BENCH {\"figure\":\"resume\",\"name\":\"resume to thaw\",\"unit\":\"us\",\"value\":$med,\"target\":\"\",\"met\":null}"
}

case ",${BENCH_FIGS:-idle,resume}," in
*,idle,*) idle_figure ;;
esac
case ",${BENCH_FIGS:-idle,resume}," in
*,resume,*) resume_figure ;;
esac
