# SPDX-License-Identifier: GPL-2.0
# Keep-alive settings out of bounds are refused with a message that names
# the bound, and the defaults are what the documentation says. A user
# sets the keep-alive of its own app, never another user's.
. /tests/lib.sh
. /tests/app.sh
. /tests/ka.sh

expect_fail "min_keepalive_s=0" insmod "$VW_KO" min_keepalive_s=0
expect_fail "min_keepalive_s=3601" insmod "$VW_KO" min_keepalive_s=3601
expect_fail "keepalive_budget_ms=31000" insmod "$VW_KO" keepalive_budget_ms=31000
vw_load
expect_eq "min_keepalive_s" 600 "$(param min_keepalive_s)"
expect_eq "keepalive_tolerance_pct" 20 "$(param keepalive_tolerance_pct)"
expect_eq "keepalive_budget_ms" 10000 "$(param keepalive_budget_ms)"
expect_fail "sysfs min_keepalive_s=0" sh -c 'echo 0 >/sys/module/voipwake/parameters/min_keepalive_s'
info=$(voipwakectl info -j)
for kv in min_keepalive_s:600 max_keepalive_s:3600 keepalive_tolerance_pct:20 keepalive_budget_ms:10000; do
	echo "$info" | grep -q "\"${kv%:*}\": *${kv#*:}" ||
		fail "info lacks ${kv%:*} ${kv#*:}: $info"
done

# ctl_refused WHAT TEXT ARGS...: voipwakectl exits 1 with TEXT on stderr.
ctl_refused()
{
	_cw=$1
	_ct=$2
	shift 2
	set +e
	_co=$(voipwakectl "$@" 2>&1)
	_cr=$?
	set -e
	log "$_cw: rc=$_cr: $_co"
	[ $_cr -eq 1 ] || fail "$_cw: exit $_cr, expected 1"
	echo "$_co" | grep -q "$_ct" || fail "$_cw: no '$_ct' in: $_co"
}

cg_make app >/dev/null
sh -c "echo \$\$ > $CG_ROOT/app/cgroup.procs; exec sleep 1000" &
sleeper=$!
populated app
ctl_refused "T below the minimum" "below min_keepalive_s" keepalive app 599
ctl_refused "T above the maximum" "above its maximum of 3600 s" keepalive app 3601
ctl_refused "tolerance 51" "1..50 %" keepalive app 600 --tolerance 51
ctl_refused "budget 999 ms" "1000..30000 ms" keepalive app 600 --budget 999
ctl_refused "budget 30001 ms" "1000..30000 ms" keepalive app 600 --budget 30001
voipwakectl keepalive app 600 --tolerance 50 --budget 30000
expect_eq "keepalive_s" 600 "$(app_field app keepalive_s)"
expect_eq "tolerance" 50 "$(app_field app keepalive_tolerance_pct)"
expect_eq "budget" 30000 "$(app_field app keepalive_budget_ms)"

# probe_refused WHAT ERRNO TEXT ARGS...: a raw APP_SET, refused so.
probe_refused()
{
	_pw=$1
	_pe=$2
	_pt=$3
	shift 3
	_po=$(sh -c "$*" 2>&1) && fail "$_pw: accepted: $_po"
	log "$_pw: $_po"
	echo "$_po" | grep -q "result=$_pe extack='.*$_pt" ||
		fail "$_pw: expected $_pe with '$_pt': $_po"
}

inapp="echo \$\$ > $CG_ROOT/app/cgroup.procs; exec vw-nlprobe app-set -"
probe_refused "nothing to set" EINVAL "nothing to set" \
	vw-nlprobe app-set "$CG_ROOT/app"
probe_refused "own budget" EPERM "needs APP_CGROUP_FD" "$inapp budget=5000"
probe_refused "own state" EPERM "needs APP_CGROUP_FD" "$inapp state=1"
probe_refused "own wake window" EPERM "needs APP_CGROUP_FD" "$inapp window=500"
probe_refused "the root cgroup's own keep-alive" EINVAL "root cgroup" \
	vw-nlprobe app-set - ka=600
sh -c "$inapp ka=700 tolerance=10" | grep -q result=ok ||
	fail "an app cannot set its own timeout and tolerance"
expect_eq "own keepalive_s" 700 "$(app_field app keepalive_s)"
expect_eq "own tolerance" 10 "$(app_field app keepalive_tolerance_pct)"

# The app's own call sees the kernel's words.
set +e
vw-app --cgroup "$CG_ROOT/app" --mark-only --ka 599 0 </dev/null >/tmp/self.out 2>&1
rc=$?
set -e
log "self, T=599: rc=$rc: $(cat /tmp/self.out)"
[ $rc -eq 3 ] || fail "vw-app --ka 599 exited $rc"
grep -q '^ka-set rc=-34 errno=ERANGE msg=.*below min_keepalive_s' /tmp/self.out ||
	fail "no extack text for the app"

# Another user's app: refused. Its own, delegated cgroup: allowed.
set +e
err=$(as_user 1000 voipwakectl keepalive app 600 2>&1)
rc=$?
set -e
log "uid 1000 sets root's app: rc=$rc: $err"
[ $rc -eq 1 ] && echo "$err" | grep -q 'cgroup.freeze' ||
	fail "uid 1000 was not refused: $err"
cg_make userapp >/dev/null
chown 1000:1000 "$CG_ROOT/userapp" "$CG_ROOT/userapp/cgroup.freeze" \
	"$CG_ROOT/userapp/cgroup.procs"
# Moved in by root: leaving the root cgroup needs its cgroup.procs.
sh -c "echo \$\$ > $CG_ROOT/userapp/cgroup.procs
	exec vw-runas 1000 vw-app --mark-only --ka 600 0" </dev/null \
	>/tmp/user.out 2>&1 || fail "uid 1000 own app: $(cat /tmp/user.out)"
grep -q '^ka-set rc=0' /tmp/user.out || fail "uid 1000: $(cat /tmp/user.out)"
as_user 1000 voipwakectl keepalive userapp 900
log "uid 1000 sets the keep-alive of its own apps"

voipwakectl keepalive app 0
kill -9 $sleeper
wait_until 10 "apps gone" eval "! voipwakectl status -j | grep -q cgroup_id"
vw_unload
