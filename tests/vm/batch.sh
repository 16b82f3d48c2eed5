# SPDX-License-Identifier: GPL-2.0
# shellcheck shell=bash
#
# Sourced by tests/vm/run: several scenarios in one guest of the debug
# kernel. Its guest costs ~17 s before and after any scenario (9 s of
# boot under KASAN, then two kmemleak scans 5 s apart), more than most
# scenarios take; a batch pays that once. Nothing is judged more kindly
# for it:
#
#   - each scenario gets its own deadline, its own slice of the console
#     and of dmesg, and its own result line, as if it had run alone;
#   - the guest resets itself between scenarios (guest/init) and stops
#     at the first failure, whose verdict stands; every scenario after it
#     runs alone, so one failure never hides or causes another;
#   - the batch's kmemleak scan covers every scenario in it: a report
#     reruns them alone, and one that no single run reproduces still
#     fails as the batch's own result.
#
# A scenario that must not share its guest says why in a "# vw-alone:"
# line (one that clears kmemleak's reports would hide the batch's).

# batchable SERIES NAME: may NAME share a guest on SERIES?
batchable()
{
	! grep -qE '^# vw-(alone|needs|tier): ' "$scen_dir/$2.sh" &&
		[ -z "$(debug_skip "$1" "$2")" ]
}

# batch_size SERIES: scenarios per guest (VW_BATCH; by default 6 on the
# debug kernel, where the fixed cost is, and 1 elsewhere).
batch_size()
{
	if [ -n "${VW_BATCH:-}" ]; then
		echo "$VW_BATCH"
	elif [ "$1" = "$VW_DEBUG_SERIES" ]; then
		echo 6
	else
		echo 1
	fi
}

# Instants are date +%s.%N, as now() gives them.
plus() { awk -v a="$1" -v t="$2" 'BEGIN { printf "%.3f\n", a + t }'; }
past() { awk -v a="$1" -v d="$2" 'BEGIN { exit !(a > d) }'; }
span() { awk -v a="$1" -v b="$2" 'BEGIN { printf "%.1fs", b - a }'; }

# split_logs BDIR DIR NAME...: each scenario's slice of the batch's logs
# into DIR/NAME/, as run_one would have left them. The console is cut at
# the guest's "vw: scenario NAME begins" lines; the first slice keeps the
# boot, and what follows "vw: batch ends" stays in BDIR/console-end.log.
split_logs()
{
	local bdir=$1 dir=$2

	shift 2
	awk -v dir="$dir" '
		/^VW-BEGIN / { f = dir "/" $2 "/output.log" }
		/^VW-BATCH-END/ { f = "" }
		f != "" { print > f }' "$bdir/output.log"
	awk -v dir="$dir" -v first="$1" -v bdir="$bdir" '
		BEGIN { f = dir "/" first "/console.log" }
		/vw: scenario [^ ]* begins/ {
			n = $0
			sub(/.*vw: scenario /, "", n)
			sub(/ begins.*/, "", n)
			f = dir "/" n "/console.log"
		}
		/vw: batch ends/ { f = bdir "/console-end.log" }
		{ print > f }' "$bdir/console.log"
}

# run_batch SERIES REL NAME...: the scenarios in one guest, judged one by
# one; returns their verdicts in the file $verdicts, a word each.
run_batch()
{
	local series=$1 rel=$2 bdir=$build/$2/batch-$3 n i t0 tnow rc
	local tmos=() ends=() csv="" gcsv="" total=0 bpid nrc nend timed_out=-1
	local deadline result cut leaks="" found="" why
	local -a names results

	shift 2
	names=("$@")
	n=${#names[@]}
	rm -rf "$bdir" && mkdir -p "$bdir"
	for ((i = 0; i < n; i++)); do
		rm -rf "${build:?}/$rel/${names[i]}"
		mkdir -p "$build/$rel/${names[i]}"
		tmos[i]=$(host_timeout "$series" "${names[i]}")
		total=$((total + tmos[i]))
		csv+=${csv:+,}${names[i]}
		gcsv+=${gcsv:+,}$((tmos[i] - 10))
	done
	echo "# $series batch: ${names[*]}"

	# Each scenario has its own deadline, from the end of the one
	# before (the first's includes the boot); the guest ends at most
	# kmemleak_slack after the last.
	# A batch of the system tier boots its image, and its first
	# deadline has the boot's allowance too (system.sh).
	local bootf=boot initrd=$build/$rel/initramfs.cpio first=${tmos[0]}
	if sys_tier "${names[0]}"; then
		bootf=sys_boot
		initrd=$sys_image
		first=$((first + sys_boot_timeout))
	fi
	t0=$(now)
	$bootf "$((total + $(leak_slack "$series")))" "$rel" \
		"$initrd" "$bdir" "$csv" "$gcsv" &
	bpid=$!
	deadline=$(plus "$t0" "$first")
	nend=0
	while kill -0 "$bpid" 2>/dev/null; do
		sleep 0.5
		tnow=$(now)
		nrc=$(grep -ac '^VW-RC ' "$bdir/output.log" 2>/dev/null)
		while [ "$nend" -lt "${nrc:-0}" ]; do
			ends[nend]=$tnow
			nend=$((nend + 1))
			if [ "$nend" -lt "$n" ]; then
				deadline=$(plus "$tnow" "${tmos[nend]}")
			else
				deadline=$(plus "$tnow" "$kmemleak_slack")
			fi
		done
		if grep -aq '^VW-BATCH-END' "$bdir/output.log" 2>/dev/null &&
		   [ "$nend" -lt "$n" ]; then
			# The guest stopped early; only its leak scan is left.
			deadline=$(plus "$tnow" "$kmemleak_slack")
			nend=$n
		fi
		if past "$tnow" "$deadline"; then
			[ "$nend" -lt "$n" ] && timed_out=$nend
			pkill -TERM -P "$bpid" timeout
			break
		fi
	done
	wait "$bpid"
	rc=$?
	tnow=$(now)
	split_logs "$bdir" "$build/$rel" "${names[@]}"

	# In order, each as run_one would judge it, up to the first that
	# fails or did not end; that one's result stands, and the rest run
	# alone. A guest that died booting (boot_oops) ran none of them.
	cut=$n
	if why=$(boot_oops "$bdir"); then
		echo "# $series batch: the kernel oopsed while booting ($why);" \
		     "each runs alone"
		cut=0
	fi
	for ((i = 0; i < cut; i++)); do
		local dir=$build/$rel/${names[i]} el from=$t0 grc=0

		[ "$i" -gt 0 ] && from=${ends[i - 1]:-$t0}
		if grep -aq '^VW-RC ' "$dir/output.log" 2>/dev/null; then
			el=$(span "$from" "${ends[i]:-$tnow}")
		elif [ "$i" -eq "$timed_out" ] || { [ "$timed_out" -lt 0 ] &&
		     { [ -s "$dir/output.log" ] || [ "$i" -eq 0 ]; }; }; then
			# It was running, or booting, when the guest died.
			[ "$i" -eq "$timed_out" ] && grc=124 || grc=$rc
			el=$(span "$from" "$tnow")
		else
			cut=$i
			break
		fi
		touch "$dir/console.log" "$dir/output.log"
		judge "$series" "${names[i]}" "$dir" "$el" "$grc" \
			"${tmos[i]}" >"$bdir/${names[i]}.result"
		results[i]=$?
		if [ "${results[i]}" -eq 1 ]; then
			cut=$((i + 1))
			break
		fi
	done
	why=$(sed -n 's/^VW-RESET-FAILED //p' "$bdir/output.log" | tr -d '\r')
	[ -z "$why" ] ||
		echo "# $series batch: after ${names[cut - 1]}, $why; the rest run alone"

	# The batch's own leak scan and console tail speak for every
	# scenario that passed in it. Without a clean scan (the guest died,
	# or kmemleak reported) those run alone too.
	if [ "$series" = "$VW_DEBUG_SERIES" ]; then
		leaks=$(leak_report "$bdir/output.log")
	fi
	if [ -e "$bdir/console-end.log" ] &&
	   grep -aEq "$splat_re" "$bdir/console-end.log"; then
		why=$(grep -aE "$splat_re" "$bdir/console-end.log" | head -n1)
		leaks="${leaks:+$leaks; }kernel splat: ${why//$'\r'/}"
	fi
	[ -z "$leaks" ] ||
		echo "# $series batch ${names[*]}: $leaks; each runs alone"
	for ((i = 0; i < cut; i++)); do
		if [ -n "$leaks" ] && [ "${results[i]}" -ne 1 ]; then
			run_one "$series" "$rel" "${names[i]}"
			result=$?
			[ "$result" -eq 1 ] && found=1
		else
			cat "$bdir/${names[i]}.result"
			result=${results[i]}
		fi
		echo "$result" >>"$verdicts"
	done
	if [ -n "$leaks" ] && [ -z "$found" ] &&
	   grep -aq '^VW-BATCH-END' "$bdir/output.log"; then
		echo "not ok $series batch:$csv $(elapsed "$t0")" \
			"# not reproduced alone: $leaks"
		echo "#   logs: $bdir"
		echo 1 >>"$verdicts"
	fi
	for ((i = cut; i < n; i++)); do
		run_one "$series" "$rel" "${names[i]}"
		echo $? >>"$verdicts"
	done
}
