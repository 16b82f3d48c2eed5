# SPDX-License-Identifier: GPL-2.0
# An app holds at most max_socks_per_app marked sockets; closing one makes
# room again.
. /tests/lib.sh
. /tests/app.sh

vw_load max_socks_per_app=2
cg_make lim >/dev/null

hold()
{
	rm -f "/tmp/hold$1.in"
	mkfifo "/tmp/hold$1.in"
	# Without the other holders' fifos, so that closing one ends one.
	vw-app --cgroup "$CG_ROOT/lim" --mark-only 0 <"/tmp/hold$1.in" \
		>"/tmp/hold$1.out" 2>&1 5>&- 6>&- 7>&- 8>&- &
	eval "exec $(($1 + 4))<>/tmp/hold$1.in"
	wait_for "/tmp/hold$1.out" '^(marked|mark-failed)' 10
	cat "/tmp/hold$1.out"
}

# Not in a subshell: the holders' fifos must stay open here.
hold 1 >/tmp/h1
grep -q '^marked' /tmp/h1 || fail "first mark: $(cat /tmp/h1)"
hold 2 >/tmp/h2
grep -q '^marked' /tmp/h2 || fail "second mark: $(cat /tmp/h2)"
hold 3 >/tmp/h3
third=$(cat /tmp/h3)
log "$third"
echo "$third" | grep -q '^mark-failed errno=ENOSPC' || fail "third mark: $third"
echo "$third" | grep -q 'max_socks_per_app' || fail "no message: $third"
exec 5>&-
sleep 0.5
hold 4 >/tmp/h4
grep -q '^marked' /tmp/h4 || fail "mark after a close: $(cat /tmp/h4)"
exec 6>&- 8>&-
wait
vw_unload
