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

# suspend: the machine's wakes for keep-alives, with S3 in between. Three
# apps allowed to wake the system, keep-alives of 20, 30 and 45 s,
# frozen; the guest suspends whenever nothing holds it (the wakeup_count
# hand-shake, as autosleep does) and the RTC alarm resumes it. Each resume
# is a wake of the machine. The optimum is for the keep-alive windows the
# apps really had (each armed from its last service, QEMU's resume lag
# included): the fewest instants that hit every window, by stabbing at
# each unstabbed deadline in deadline order, exact for intervals (the
# planner's figure, tests/bench/coalesce.c, on real suspends).
suspend_figure()
{
	if ! grep -qw deep /sys/power/mem_sleep 2>/dev/null; then
		echo "# suspend: no S3 in this kernel or machine"
		return
	fi
	rounds=12
	[ -n "${BENCH_FAST:-}" ] && rounds=4
	echo deep >/sys/power/mem_sleep
	insmod "$VW_KO" min_keepalive_s=2 wake_system_default=1 ||
		fail "insmod for the suspend figure"
	rm -f /tmp/vwb-sus.in /tmp/vwb-win
	mkfifo /tmp/vwb-sus.in
	pids=
	for p in 20 30 45; do
		mkdir -p "/sys/fs/cgroup/vwb-s$p"
		rm -f "/tmp/vwb-s$p.ready"
		vw-app --cgroup "/sys/fs/cgroup/vwb-s$p" --ready "/tmp/vwb-s$p.ready" \
			--mark-only --ka "$p" 0 </tmp/vwb-sus.in >"/tmp/vwb-s$p.out" 2>&1 &
		pids="$pids $!"
	done
	# Their stdin stays open until the end: --mark-only runs until EOF.
	exec 5<>/tmp/vwb-sus.in
	for p in 20 30 45; do
		until [ -e "/tmp/vwb-s$p.ready" ]; do sleep 0.1; done
		voipwakectl background "vwb-s$p"
	done
	s0=$(cat /sys/power/suspend_stats/success)
	first=$(awk '{ printf "%.0f\n", $1 * 1000000000 }' /proc/uptime)
	n=0
	tries=0
	while [ $n -lt $rounds ]; do
		tries=$((tries + 1))
		[ $tries -le $((rounds * 10)) ] ||
			fail "suspend: $tries tries for $rounds suspends"
		# Every window armed now, once each.
		voipwakectl status -j | sed -n 's/.*"cgroup": "\/\(vwb-s[0-9]*\)".*"keepalive_earliest_ns": \([0-9]*\), "keepalive_latest_ns": \([0-9]*\).*/\1 \2 \3/p' >>/tmp/vwb-win
		c=$(cat /sys/power/wakeup_count)
		echo "$c" >/sys/power/wakeup_count 2>/dev/null || continue
		echo mem >/sys/power/state 2>/dev/null && n=$((n + 1))
	done
	last=$(awk '{ printf "%.0f\n", $1 * 1000000000 }' /proc/uptime)
	resumes=$(($(cat /sys/power/suspend_stats/success) - s0))
	# Thawed, so that they can read the end of their stdin and exit.
	for p in 20 30 45; do
		voipwakectl foreground "vwb-s$p"
	done
	exec 5>&-
	# shellcheck disable=SC2086
	wait $pids 2>/dev/null
	rmmod voipwake
	# The windows that opened by the last resume: those it had to serve.
	opt=$(sort -u /tmp/vwb-win | awk -v end="$last" '$2 <= end { print $3, $2 }' |
		sort -n | awk 'NR == 1 || $2 > at { at = $1; n++ } END { print n + 0 }')
	kas=$(cat /tmp/vwb-s*.out | grep -c '^keepalive n=' || true)
	printf '%-6s %-50s %10s %10s %5s  %s\n' suspend \
		"resumes for keep-alives (3 apps, 20/30/45 s, S3)" "$resumes" "" "$kas" "resumes (n: keep-alives served)"
	printf '%-6s %-50s %10s %10s %5s  %s\n' suspend \
		"optimum for those windows" "$opt" "" "" "resumes"
	r=$(awk -v a="$resumes" -v b="$opt" 'BEGIN { printf "%.3f", b ? a / b : 0 }')
	ph=$(awk -v a="$resumes" -v d="$((last - first))" 'BEGIN { printf "%.0f", a * 3600e9 / d }')
	printf '%-6s %-50s %10s %10s %5s  %s\n' suspend \
		"resumes per hour at those periods" "$ph" "" "$(((last - first) / 1000000000))" "per hour (measured over n s)"
	printf '%-6s %-50s %10s %10s %5s  %s\n' suspend "resumes / optimum" "$r" "" "" "ratio"
	echo "BENCH {\"figure\":\"suspend\",\"name\":\"resumes for keep-alives\",\"unit\":\"resumes\",\"value\":$resumes,\"target\":\"\",\"met\":null}"
	echo "BENCH {\"figure\":\"suspend\",\"name\":\"resumes per hour\",\"unit\":\"per hour\",\"value\":$ph,\"target\":\"\",\"met\":null}"
	echo "BENCH {\"figure\":\"suspend\",\"name\":\"optimum for those windows\",\"unit\":\"resumes\",\"value\":$opt,\"target\":\"\",\"met\":null}"
	echo "BENCH {\"figure\":\"suspend\",\"name\":\"resumes / optimum\",\"unit\":\"ratio\",\"value\":$r,\"target\":\"<= 1.1\",\"met\":$(awk -v r="$r" 'BEGIN { print (r <= 1.1 ? "true" : "false") }')}"
}

case ",${BENCH_FIGS:-idle,resume,suspend}," in
*,idle,*) idle_figure ;;
esac
case ",${BENCH_FIGS:-idle,resume,suspend}," in
*,resume,*) resume_figure ;;
esac
case ",${BENCH_FIGS:-idle,resume,suspend}," in
*,suspend,*) suspend_figure ;;
esac
