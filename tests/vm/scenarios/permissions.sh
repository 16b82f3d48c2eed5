# SPDX-License-Identifier: GPL-2.0
# Privilege: a user cannot background or foreground a cgroup whose
# cgroup.freeze it cannot write, can manage a cgroup delegated to it, and
# cannot join the admin event group or see other users' apps.
. /tests/lib.sh
. /tests/app.sh

vw_load
cg_make rootapp >/dev/null
cg_make userapp >/dev/null
chown 1000:1000 "$CG_ROOT/userapp" "$CG_ROOT/userapp/cgroup.freeze" \
	"$CG_ROOT/userapp/cgroup.procs"
sh -c "echo \$\$ > $CG_ROOT/rootapp/cgroup.procs; exec sleep 1000" &
sleeper=$!

set +e
err=$(as_user 1000 voipwakectl background rootapp 2>&1)
rc=$?
set -e
log "uid 1000 backgrounds rootapp: rc=$rc: $err"
[ $rc -ne 0 ] || fail "uid 1000 froze a root cgroup"
echo "$err" | grep -qi 'cgroup.freeze' || fail "no reason given: $err"
sleep 0.2
cg_frozen rootapp && fail "rootapp frozen"

voipwakectl background rootapp
wait_frozen rootapp
expect_fail "uid 1000 foregrounds rootapp" as_user 1000 voipwakectl foreground rootapp
cg_frozen rootapp || fail "rootapp thawed by uid 1000"
voipwakectl foreground rootapp
wait_thawed rootapp

sh -c "echo \$\$ > $CG_ROOT/userapp/cgroup.procs; exec vw-runas 1000 sleep 1000" &
usleeper=$!
as_user 1000 voipwakectl background userapp
wait_frozen userapp
as_user 1000 voipwakectl foreground userapp
wait_thawed userapp
log "uid 1000 manages its delegated cgroup"

set +e
err=$(as_user 1000 voipwakectl monitor -c 1 2>&1)
rc=$?
set -e
log "uid 1000 monitor: rc=$rc: $err"
[ $rc -ne 0 ] || fail "uid 1000 joined the admin group"

voipwakectl background rootapp
wait_frozen rootapp
as_user 1000 voipwakectl status -j >/tmp/user-status
rootid=$(stat -c %i "$CG_ROOT/rootapp")
grep -q "$rootid" /tmp/user-status && fail "uid 1000 sees root's app: $(cat /tmp/user-status)"
voipwakectl status -j | grep -q "$rootid" || fail "root does not see its app"
voipwakectl foreground rootapp
kill -9 $sleeper $usleeper
vw_unload
