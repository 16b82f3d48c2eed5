# SPDX-License-Identifier: GPL-2.0
# vw-debug-skip: a window's refreeze under KASAN+TCG outlasts the 3 s interval its checks count on
# The throttle a policy daemon sets (APP_WAKE_INTERVAL_MS): socket wakes
# that come sooner than the interval after the last wake are held, then
# delivered, none lost; lifting it delivers a held wake at once; keep-alive
# wakes are never held. Only CAP_NET_ADMIN in the initial user namespace
# may set it: not the app, not a delegated cgroup's owner, not root of a
# user namespace.
. /tests/lib.sh
. /tests/app.sh
. /tests/ka.sh

vw_load wake_window_ms=200 min_keepalive_s=3
app_in_background app --done

probe_ok()
{
	_po=$(vw-nlprobe app-set "$@" 2>&1) || fail "app-set $*: $_po"
	echo "$_po" | grep -q "result=ok" || fail "app-set $*: $_po"
}
probe_refused()
{
	_pw=$1 _pe=$2 _pt=$3
	shift 3
	_po=$(sh -c "$*" 2>&1) && fail "$_pw: accepted: $_po"
	log "$_pw: $_po"
	echo "$_po" | grep -q "result=$_pe extack='.*$_pt" ||
		fail "$_pw: expected $_pe with '$_pt': $_po"
}

probe_ok "$CG_ROOT/app" interval=3000
expect_eq "interval" 3000 "$(app_field app wake_interval_ms)"

# First wake at once, the second held until 3 s after the first.
peer send 10 >/dev/null
wait_for /tmp/app.out '^recv .*total=10 ' 5
t0=$(boot_ns)
wait_frozen app 5
peer send 10 >/dev/null
sleep 1
[ "$(count /tmp/app.out '^recv ')" = 1 ] || fail "held wake delivered early"
wait_for /tmp/app.out '^recv .*total=20 ' 5
t1=$(boot_ns)
gap=$(((t1 - t0) / 1000000))
log "second wake $gap ms after the first"
[ "$gap" -ge 2500 ] || fail "held only $gap ms"
expect_eq "wakes held" 1 "$(app_field app wakes_held)"
wait_frozen app 5

# Lifting it delivers a held wake at once.
peer send 10 >/dev/null
sleep 0.5
[ "$(count /tmp/app.out '^recv ')" = 2 ] || fail "wake not held"
probe_ok "$CG_ROOT/app" interval=0
wait_for /tmp/app.out '^recv .*total=30 ' 2
log "lifted: the held wake came at once"
wait_frozen app 5

# A keep-alive is not held.
probe_ok "$CG_ROOT/app" interval=600000
voipwakectl keepalive app 3
wait_until 8 "keep-alive wake" eval '[ "$(app_field app wakes_keepalive)" = 1 ]'
voipwakectl keepalive app 0
log "keep-alive woke the throttled app"

# Who may not.
probe_refused "above the maximum" ERANGE "out of range" \
	vw-nlprobe app-set "$CG_ROOT/app" interval=3600001
inapp="echo \$\$ > $CG_ROOT/app/cgroup.procs; exec vw-nlprobe app-set -"
probe_refused "the app itself" EPERM "needs APP_CGROUP_FD" "$inapp interval=0"
cg_make userapp >/dev/null
chown 1000:1000 "$CG_ROOT/userapp" "$CG_ROOT/userapp/cgroup.freeze" \
	"$CG_ROOT/userapp/cgroup.procs"
probe_refused "a delegated cgroup's owner" EPERM "CAP_NET_ADMIN" \
	vw-runas 1000 vw-nlprobe app-set "$CG_ROOT/userapp" interval=0
as_user 1000 vw-nlprobe app-set "$CG_ROOT/userapp" window=500 | grep -q result=ok ||
	fail "the owner cannot set its app's window"
probe_refused "root of a user namespace" EPERM "CAP_NET_ADMIN" \
	vw-runas 1000 unshare -Urn vw-nlprobe app-set "$CG_ROOT/userapp" interval=0

probe_ok "$CG_ROOT/app" interval=0
voipwakectl foreground app
voipwakectl foreground userapp
peer close >/dev/null
wait $APP_PID
wait_until 10 "apps gone" eval "! voipwakectl status -j | grep -q cgroup_id"
vw_unload
