# SPDX-License-Identifier: GPL-2.0
# Marking refuses what it cannot serve, each with its own errno and an
# extack message: listening, raw, unix and non-sockets, closed fds, a
# second mark, and sockets of the root cgroup or of PID 1's cgroup.
. /tests/lib.sh
. /tests/app.sh

vw_load
cg_make t >/dev/null
echo $$ >"$CG_ROOT/t/cgroup.procs"

# mark KIND WANT [vw-sock options]
mark()
{
	kind=$1
	want=$2
	shift 2
	set +e
	out=$(vw-sock "$@" "$kind")
	rc=$?
	set -e
	if [ $rc -eq 77 ]; then
		log "$kind: cannot be made here ($out), not tested"
		return 0
	fi
	[ $rc -eq 0 ] || fail "vw-sock $kind: exit $rc: $out"
	last=$(echo "$out" | tail -n1)
	case $last in
	"result=$want"|"result=$want "*) ;;
	*) fail "$kind: expected $want, got '$out'" ;;
	esac
	[ "$want" = ok ] || echo "$last" | grep -q 'msg=..' ||
		fail "$kind: refusal without a message: $last"
	log "$kind: $last"
}

mark tcp4 ok
mark tcp6 ok
mark udp4 ok
mark udp6 ok
mark tcp-listen EOPNOTSUPP
mark raw EPROTONOSUPPORT
mark sctp EPROTONOSUPPORT
mark unix-stream EAFNOSUPPORT
mark unix-dgram EAFNOSUPPORT
mark pipe ENOTSOCK
mark closed EBADF
mark tcp4 EALREADY --twice
# A plain user holding (but not owning) root's socket may not mark it.
mark tcp4 EPERM --as 1000

# The root cgroup is no app, nor is a cgroup holding PID 1.
echo $$ >"$CG_ROOT/cgroup.procs"
mark tcp4 EINVAL
cg_make initcg >/dev/null
echo 1 >"$CG_ROOT/initcg/cgroup.procs"
mark_in_init()
{
	echo $$ >"$CG_ROOT/initcg/cgroup.procs"
	mark tcp4 EINVAL
}
(mark_in_init)
echo 1 >"$CG_ROOT/cgroup.procs"
vw_unload
