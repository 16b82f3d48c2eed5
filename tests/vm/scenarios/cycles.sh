# SPDX-License-Identifier: GPL-2.0
# 1000 freeze/wake cycles: every byte arrives intact, every cycle wakes and
# refreezes, nothing leaks (the module unloads, slab usage returns), and
# the latency from the peer's send to the app running is reported.
# vw-timeout: 900
. /tests/lib.sh
. /tests/app.sh

# A cycle costs 0.2-0.3 s on the debug kernel (KASAN under TCG): 100 there
# still take every path under its checkers, in make check's time budget.
if debug_kernel; then
	N=${CYCLES:-100}
else
	N=${CYCLES:-1000}
fi
slab()
{
	awk '/^kmalloc-cg-(64|128|192|256|512) / { n += $2 } END { print n }' \
		/proc/slabinfo
}

vw_load
before=$(slab)
app_in_background app --done

cycle=0
while [ $cycle -lt $N ]; do
	cycle=$((cycle + 1))
	echo "send 64" >&4
	wait_for /tmp/app.out "^recv .*total=$((cycle * 64)) " 10
	# The app is frozen inside its done call; it returns at the next wake.
	wait_frozen app 10
	[ $((cycle % 100)) -ne 0 ] ||
		log "$cycle cycles at $(cut -d' ' -f1 /proc/uptime) s"
done
crc=$(peer crc)
peer close >/dev/null
wait_for /tmp/app.out '^eof' 10
end=$(grep '^eof' /tmp/app.out)
expect_eq "bytes" "$(field "$crc" total)" "$(field "$end" total)"
expect_eq "crc" "$(field "$crc" crc)" "$(field "$end" crc)"
expect_eq "wakes" "$N" "$(count /tmp/app.out '^event type=woken reason=data')"

# Latency: the first recv after each send.
grep '^sent ' /tmp/peer.out | head -n "$N" | sed 's/.* t=//' >/tmp/sent.t
awk '/^recv /{ for (i = 1; i <= NF; i++) if ($i ~ /^t=/) print substr($i, 3) }' \
	/tmp/app.out >/tmp/recv.t
awk 'NR == FNR { s[NR] = $1; n = NR; next }
     { r[FNR] = $1 }
     END {
	j = 1
	for (i = 1; i <= n; i++) {
		while (j in r && r[j] < s[i]) j++
		if (!(j in r)) break
		d[i] = (r[j] - s[i]) / 1000
	}
	m = i - 1
	for (a = 1; a <= m; a++) for (b = a + 1; b <= m; b++)
		if (d[b] < d[a]) { t = d[a]; d[a] = d[b]; d[b] = t }
	printf "latency over %d cycles: median %d us, p99 %d us\n", m, d[int((m + 1) / 2)], d[int(m * 0.99)]
     }' /tmp/sent.t /tmp/recv.t | tee /tmp/lat
grep -q "over $N cycles" /tmp/lat || fail "latency not measured for every cycle"

wait $APP_PID
vw_unload
after=$(slab)
log "kmalloc-cg objects (64..512): $before before, $after after"
[ "$after" -le $((before + 64)) ] || fail "slab grew by $((after - before)) objects"
