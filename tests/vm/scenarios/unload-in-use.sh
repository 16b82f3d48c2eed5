# SPDX-License-Identifier: GPL-2.0
# rmmod is safe while netlink sockets use the family: a socket holding the
# family id across an unload gets an error, not a crash; requests racing
# repeated unload/load cycles see only success or "family gone".
# vw-timeout: 180
. /tests/lib.sh

# The hammer re-resolves the family, which would autoload the module
# behind the test's back and make its own insmod fail with EEXIST.
echo /bin/false >/proc/sys/kernel/modprobe
vw_load
mkfifo /tmp/go
vw-nlprobe hold </tmp/go >/tmp/hold.out &
holder=$!
exec 3<>/tmp/go
i=0
until grep -q '^family=' /tmp/hold.out; do
	i=$((i + 1))
	[ $i -lt 100 ] || fail "holder never resolved the family"
	sleep 0.05
done
vw_unload
echo go >&3
exec 3>&-
wait $holder || fail "holder exited with an error"
cat /tmp/hold.out
grep -Eq '^result=(ENOENT|EOPNOTSUPP)' /tmp/hold.out ||
	fail "stale family id after rmmod: $(tail -n1 /tmp/hold.out)"

vw-nlprobe hammer 8 >/tmp/hammer.out 2>&1 &
hammer=$!
cycles=0
end=$(($(date +%s) + 6))
while [ "$(date +%s)" -lt "$end" ]; do
	vw_load
	vw_unload
	cycles=$((cycles + 1))
done
wait $hammer || fail "hammer: $(cat /tmp/hammer.out)"
log "load/unload cycles: $cycles; $(cat /tmp/hammer.out)"
[ $cycles -ge 3 ] || fail "only $cycles cycles"
