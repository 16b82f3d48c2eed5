# SPDX-License-Identifier: GPL-2.0
# Item 2 of issue 15: loading and using the module leaves every mount as
# it was. With the options systemd sets on the cgroup2 hierarchy
# (nsdelegate, memory_recursiveprot, memory_localevents), /proc/mounts is
# the same before insmod, after it, after apps were frozen and thawed,
# and after rmmod. (A private mount of cgroup2 re-applied the options
# from an empty string, clearing them.)
. /tests/lib.sh
. /tests/app.sh

opts=nsdelegate,memory_recursiveprot,memory_localevents
mount -o remount,"$opts" /sys/fs/cgroup ||
	fail "cannot remount cgroup2 with $opts"
for o in nsdelegate memory_recursiveprot memory_localevents; do
	grep -q " /sys/fs/cgroup cgroup2 .*$o" /proc/mounts ||
		skip "this kernel does not keep $o: $(grep cgroup2 /proc/mounts)"
done
cp /proc/mounts /tmp/mounts.before
log "before: $(grep cgroup2 /proc/mounts)"

# same WHEN: /proc/mounts as before, or fail showing the difference.
same()
{
	if ! diff /tmp/mounts.before /proc/mounts >/tmp/mounts.diff; then
		cat /tmp/mounts.diff
		fail "$1: /proc/mounts changed"
	fi
	log "$1: /proc/mounts unchanged"
}

vw_load
same "after insmod"
cg_make app >/dev/null
sh -c "echo \$\$ >$CG_ROOT/app/cgroup.procs && exec sleep 1000" &
sleeper=$!
voipwakectl background app
wait_frozen app
voipwakectl foreground app
wait_thawed app
same "after a freeze and a thaw"
kill -9 $sleeper
wait $sleeper 2>/dev/null || true
vw_unload
same "after rmmod"
