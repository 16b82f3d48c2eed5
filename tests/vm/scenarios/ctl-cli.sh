# SPDX-License-Identifier: GPL-2.0
# What a sysadmin types: apps by their name in voipwaked's configuration,
# "keepalive APP off", JSON read back by a real parser (status, info,
# monitor seeing a wake), and bad input refused with a message naming it
# and the documented exit status.
. /tests/lib.sh
. /tests/app.sh
. /tests/daemon.sh

vw_load wake_window_ms=300 min_keepalive_s=5
app_conf phone <<'CONF'
[app]
Cgroup = phone
CONF
cg_make phone >/dev/null
peer_start
app_start phone
peer_connected

# By name: the app's cgroup from /etc/voipwake/apps.d/phone.conf.
voipwakectl background phone
wait_frozen phone
voipwakectl keepalive phone 60
expect_eq "keep-alive set by name" 60 "$(status_json apps.0.keepalive_s)"
voipwakectl keepalive phone off
expect_eq "keep-alive off by name" 0 "$(status_json apps.0.keepalive_s)"
voipwakectl wake-window phone 2000
expect_eq "wake window by name" 2000 "$(status_json apps.0.wake_window_ms)"

# JSON, parsed.
expect_eq "apps in status -j" 1 "$(status_json 'apps.#')"
expect_eq "sockets in status -j" 1 "$(status_json 'socks.#')"
expect_eq "app of the socket" "$(status_json apps.0.cgroup_id)" \
	"$(status_json socks.0.cgroup_id)"
expect_eq "daemon in status -j" null "$(status_json daemon)"
voipwakectl info -j >/tmp/info.json
expect_eq "info -j version" "$VW_VERSION" "$(vw-json version /tmp/info.json)"
features=$(vw-json features /tmp/info.json)
[ $((features & 16)) -ne 0 ] || fail "no wake-interval feature in $features"
voipwakectl info | grep -q "wake_interval" || fail "info does not name wake_interval"

# monitor sees the wake the peer causes: thawed, then woken.
voipwakectl monitor -j -c 2 >/tmp/mon.json &
MON=$!
sleep 0.5
peer send 10 >/dev/null
wait $MON || fail "monitor exited with $?"
sed -n 1p /tmp/mon.json >/tmp/mon1.json
sed -n 2p /tmp/mon.json >/tmp/mon2.json
expect_eq "first event" thawed "$(vw-json event /tmp/mon1.json)"
expect_eq "second event" woken "$(vw-json event /tmp/mon2.json)"
expect_eq "wake reason" data "$(vw-json reason /tmp/mon2.json)"
expect_eq "app of the wake" "$(status_json apps.0.cgroup_id)" \
	"$(vw-json app /tmp/mon2.json)"
wait_frozen phone 10

# Bad input: each names what was wrong, with the documented status.
# expect_rc RC WHAT PATTERN CMD...
expect_rc()
{
	_rc=$1 _what=$2 _pat=$3
	shift 3
	set +e
	_err=$("$@" 2>&1 >/dev/null)
	_got=$?
	set -e
	[ "$_got" = "$_rc" ] || fail "$_what: exit $_got, not $_rc: $_err"
	echo "$_err" | grep -q "$_pat" || fail "$_what: no /$_pat/ in: $_err"
	log "$_what: exit $_got: $(echo "$_err" | head -n 1)"
}
expect_rc 1 "unknown app" "cannot background nosuchapp" \
	voipwakectl background nosuchapp
expect_rc 2 "bad seconds" "SECONDS must be a number of seconds or off" \
	voipwakectl keepalive phone soon
expect_rc 1 "keep-alive out of range" "below min_keepalive_s" \
	voipwakectl keepalive phone 2
expect_rc 2 "bad PID" "PID" voipwakectl mark notapid 3
expect_rc 1 "no such process" "" voipwakectl mark 999999 3
expect_rc 1 "not a socket" "" voipwakectl mark $$ 0
expect_rc 2 "unknown command" "unknown command 'frobnicate'" \
	voipwakectl frobnicate
expect_rc 1 "not permitted" "" vw-runas 1000 voipwakectl background phone
expect_rc 1 "monitor unprivileged" "" vw-runas 1000 voipwakectl monitor -c 1

voipwakectl foreground phone
peer close >/dev/null
wait $APP_PID
vw_unload
expect_rc 3 "module not loaded" "modprobe voipwake" \
	sh -c 'echo /bin/false >/proc/sys/kernel/modprobe; voipwakectl status'
echo /sbin/modprobe >/proc/sys/kernel/modprobe
