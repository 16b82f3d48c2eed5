# SPDX-License-Identifier: GPL-2.0
# A sysadmin marks a socket of an unmodified running program (voipwakectl
# mark PID FD, through pidfd_getfd); another unprivileged user cannot.
. /tests/lib.sh
. /tests/app.sh

vw_load
cg_make other >/dev/null
peer_start
rm -f /tmp/prog.in
mkfifo /tmp/prog.in
# Moved by root: joining needs write access at the common ancestor.
sh -c "echo \$\$ > $CG_ROOT/other/cgroup.procs; exec vw-runas 1000 vw-app --no-mark --mark-only $PORT" \
	</tmp/prog.in >/tmp/prog.out 2>&1 &
prog=$!
exec 5<>/tmp/prog.in
wait_for /tmp/prog.out '^not-marked' 10
ino=$(field "$(grep '^not-marked' /tmp/prog.out)" ino)
fd=$(ls -l "/proc/$prog/fd" | sed -n "s/.* \([0-9]*\) -> socket:\[$ino\]/\1/p")
[ -n "$fd" ] || fail "socket $ino not found in /proc/$prog/fd"
log "program $prog (uid 1000) holds socket $ino as fd $fd"

set +e
out=$(vw-runas 1001 voipwakectl mark "$prog" "$fd" 2>&1)
rc=$?
set -e
log "uid 1001: rc=$rc: $out"
[ $rc -ne 0 ] || fail "uid 1001 marked uid 1000's socket"
voipwakectl status | grep -q "$ino" && fail "socket marked after refusal"

out=$(voipwakectl mark "$prog" "$fd")
log "root: $out"
echo "$out" | grep -q "$ino" || fail "mark did not name socket $ino: $out"
voipwakectl status | grep -q "$ino" || fail "marked socket not in status"
voipwakectl unmark "$prog" "$fd"
voipwakectl status | grep -q "$ino" && fail "socket still marked after unmark"
exec 5>&-
wait $prog
vw_unload
