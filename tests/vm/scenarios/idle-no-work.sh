# SPDX-License-Identifier: GPL-2.0
# vw-timeout: 120
# Item 9 of issue 15: with apps frozen and nothing happening, the module
# runs no work item and arms no timer. Three apps are frozen (one with a
# marked socket, two without: those the old collector polled every 2 s);
# then for 30 s tracefs records every work item queued or run and every
# timer started, system-wide, and none may be the module's (a symbol of
# voipwake's, as the trace prints them).
. /tests/lib.sh
. /tests/app.sh

T=/sys/kernel/tracing
[ -e $T/trace ] || mount -t tracefs nodev $T 2>/dev/null ||
	skip "no tracefs in this kernel"
for e in workqueue/workqueue_queue_work workqueue/workqueue_execute_start \
	 timer/timer_start timer/hrtimer_start; do
	[ -e "$T/events/$e/enable" ] || skip "no trace event $e"
done

vw_load
app_in_background app
for a in idle1 idle2; do
	cg_make $a >/dev/null
	sh -c "echo \$\$ >$CG_ROOT/$a/cgroup.procs && exec sleep 1000" &
	voipwakectl background $a
	wait_frozen $a
done
# What a freeze itself runs is done by now.
sleep 2

echo 0 >$T/tracing_on
echo >$T/trace
echo 8192 >$T/buffer_size_kb
for e in workqueue/workqueue_queue_work workqueue/workqueue_execute_start \
	 timer/timer_start timer/hrtimer_start; do
	echo 1 >"$T/events/$e/enable"
done
echo 1 >$T/tracing_on
sleep 30
echo 0 >$T/tracing_on
head -n 12 $T/trace | grep entries-in-buffer >/tmp/entries || true
log "trace: $(cat /tmp/entries)"
in_buf=$(sed -n 's/.*entries-in-buffer\/entries-written: \([0-9]*\)\/\([0-9]*\).*/\1/p' /tmp/entries)
written=$(sed -n 's/.*entries-in-buffer\/entries-written: \([0-9]*\)\/\([0-9]*\).*/\2/p' /tmp/entries)
[ -n "$written" ] && [ "$written" -gt 0 ] ||
	fail "the trace recorded nothing: cannot tell"
[ "$in_buf" = "$written" ] || fail "the trace lost events ($in_buf of $written)"
grep -E 'vw_|\[voipwake\]' $T/trace >/tmp/ours || true
head -n 20 /tmp/ours
log "module work items and timers in 30 s: $(wc -l </tmp/ours) (of $written events)"
expect_eq "module wake-ups while idle" 0 "$(wc -l </tmp/ours)"
for a in app idle1 idle2; do
	cg_frozen $a || fail "$a thawed while idle"
done
for e in workqueue/workqueue_queue_work workqueue/workqueue_execute_start \
	 timer/timer_start timer/hrtimer_start; do
	echo 0 >"$T/events/$e/enable"
done
voipwakectl foreground idle1
voipwakectl foreground idle2
voipwakectl foreground app
peer close >/dev/null
wait $APP_PID
