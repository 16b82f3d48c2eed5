# SPDX-License-Identifier: GPL-2.0
# The app-side refusals each say what was wrong: a wake window out of
# range, unmarking an unmarked socket, wake-done for a cgroup that is no
# app, and a path that is no cgroup v2 directory (refused by voipwakectl
# before it asks the kernel).
. /tests/lib.sh
. /tests/app.sh

# refused WHAT TEXT CMD...: CMD fails and its error names TEXT.
refused()
{
	what=$1
	text=$2
	shift 2
	set +e
	err=$("$@" 2>&1)
	rc=$?
	set -e
	[ $rc -ne 0 ] || fail "$what: '$*' succeeded"
	echo "$err" | grep -qF "$text" || fail "$what: no '$text' in: $err"
	log "$what: rc=$rc: $err"
}

vw_load
cg_make app >/dev/null
refused "window below 100 ms" "100..600000" voipwakectl wake-window app 50
refused "wake-done for no app" "not a voipwake app" voipwakectl wake-done app
refused "not a cgroup" "not a cgroup v2 directory" voipwakectl background /tmp

peer_start
rm -f /tmp/prog.in
mkfifo /tmp/prog.in
sh -c "echo \$\$ > $CG_ROOT/app/cgroup.procs; exec vw-app --no-mark --mark-only $PORT" \
	</tmp/prog.in >/tmp/prog.out 2>&1 &
prog=$!
exec 5<>/tmp/prog.in
wait_for /tmp/prog.out '^not-marked' 10
ino=$(field "$(grep '^not-marked' /tmp/prog.out)" ino)
fd=$(ls -l "/proc/$prog/fd" | sed -n "s/.* \([0-9]*\) -> socket:\[$ino\]/\1/p")
refused "unmark of an unmarked socket" "socket is not marked" \
	voipwakectl unmark "$prog" "$fd"
exec 5>&-
wait $prog
vw_unload
