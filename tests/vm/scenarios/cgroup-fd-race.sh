# SPDX-License-Identifier: GPL-2.0
# vw-timeout: 90
# Item 1 of issue 15: the permission check and the frozen cgroup come from
# one struct file. An unprivileged user backgrounds its delegated cgroup
# through an fd that another of its threads keeps dup2()ing over with an
# fd of root's cgroup; root's cgroup must never be frozen. (The module
# used to look the fd up twice: check on one directory, freeze the other.)
. /tests/lib.sh
. /tests/app.sh

vw_load
cg_make mine >/dev/null
cg_make theirs >/dev/null
chown 1000:1000 "$CG_ROOT/mine" "$CG_ROOT/mine/cgroup.freeze" \
	"$CG_ROOT/mine/cgroup.procs"
secs=10
debug_kernel && secs=20
as_user 1000 vw-hole fdflip "$secs" "$CG_ROOT/mine" "$CG_ROOT/theirs" \
	>/tmp/flip.out 2>&1 || fail "vw-hole: $(cat /tmp/flip.out)"
cat /tmp/flip.out
line=$(grep '^fdflip ' /tmp/flip.out)
[ "$(field "$line" ok)" -gt 0 ] || fail "no request went through: nothing raced"
expect_eq "times root's cgroup was seen frozen" 0 "$(field "$line" froze_theirs)"
expect_eq "root's cgroup.freeze" 0 "$(cat "$CG_ROOT/theirs/cgroup.freeze")"
cg_frozen theirs && fail "root's cgroup is frozen"
voipwakectl status -j | grep -q "\"/theirs\"" &&
	fail "root's cgroup became an app: $(voipwakectl status -j)"
vw_unload
