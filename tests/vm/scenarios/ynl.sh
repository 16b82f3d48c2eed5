# SPDX-License-Identifier: GPL-2.0
# The kernel's own YNL cli (tools/net/ynl of linux-source), given nothing
# but Documentation/netlink/specs/voipwake.yaml, drives the loaded module:
# INFO_GET, APP_GET and SOCK_GET dumps that agree with voipwakectl, an
# APP_GET of one cgroup, a SOCK_MARK refused with its extack message, and
# an APP_FROZEN_NTF heard on the admin group.
# vw-needs: ynl
# vw-timeout: 240
. /tests/lib.sh
. /tests/app.sh

ynl()
{
	python3 /usr/share/ynl/cli.py --no-schema --output-json \
		--spec /usr/share/voipwake/voipwake.yaml "$@"
}

# has JSON KEY VALUE: JSON (one line) holds "KEY": VALUE.
has()
{
	echo "$1" | grep -q "\"$2\": *$3" ||
		fail "no \"$2\": $3 in $1"
	log "\"$2\": $3"
}

vw_load wake_window_ms=1234

info=$(ynl --do info-get) || fail "info-get: $info"
log "info-get: $info"
has "$info" version "\"$VW_VERSION\""
has "$info" api-version 1
has "$info" wake-window-ms 1234
has "$info" max-socks-per-app "$(param max_socks_per_app)"
has "$info" min-keepalive-s "$(param min_keepalive_s)"
# features decode through the spec's flags: names, not a number.
echo "$info" | grep -q '"features": \[[^]]*"mark-tcp"' ||
	fail "features not decoded as flags: $info"

cg=$(cg_make ynl)
rm -f /tmp/ynl.in
mkfifo /tmp/ynl.in
vw-sock --cgroup "$cg" --hold 2 udp4 </tmp/ynl.in >/tmp/ynl.out 2>&1 &
exec 4<>/tmp/ynl.in
wait_for /tmp/ynl.out '^(held|result)' 60
grep -q '^held n=2' /tmp/ynl.out || fail "vw-sock: $(cat /tmp/ynl.out)"
id=$(stat -c %i "$cg")

socks=$(ynl --dump sock-get) || fail "sock-get: $socks"
log "sock-get: $socks"
expect_eq "sockets in the YNL dump" 2 \
	"$(echo "$socks" | grep -o '"cgroup-id": *[0-9]*' | grep -c " *$id$")"
echo "$socks" | grep -q '"wake-on": \[[^]]*"data"' ||
	fail "wake-on not decoded as wake-reason bits: $socks"
ours=$(voipwakectl status -j | grep -o '"ino": *[0-9]*' | grep -o '[0-9]*' |
       sort | tr '\n' ' ')
theirs=$(echo "$socks" | grep -o '"ino": *[0-9]*' | grep -o '[0-9]*' |
	 sort | tr '\n' ' ')
expect_eq "socket inodes, YNL vs voipwakectl" "$ours" "$theirs"

apps=$(ynl --dump app-get) || fail "app-get dump: $apps"
log "app-get dump: $apps"
has "$apps" cgroup-id "$id"
has "$apps" socks 2
has "$apps" state '"foreground"'

# A do with an fd in the cli's own table: the cgroup, opened on fd 5.
app=$(ynl --do app-get --json '{"cgroup-fd": 5}' 5<"$cg") ||
	fail "app-get do: $app"
log "app-get do: $app"
has "$app" cgroup-id "$id"

# fd 3 is /dev/null: the refusal names what is wrong, through extack.
if out=$(ynl --do sock-mark --json '{"fd": 3}' 3</dev/null 2>&1); then
	fail "sock-mark of /dev/null succeeded: $out"
fi
log "sock-mark refused: $out"
echo "$out" | grep -q 'Socket operation on non-socket' ||
	fail "sock-mark: no ENOTSOCK in $out"
echo "$out" | grep -q "'msg': 'fd is not a socket'" ||
	fail "sock-mark: no extack message in $out"

# Notifications: a cli subscribed to the admin group hears the freeze
# (it subscribes, then sleeps: that sleep is when to act). Not through
# ynl(), so that $! is python itself.
python3 /usr/share/ynl/cli.py --no-schema --output-json \
	--spec /usr/share/voipwake/voipwake.yaml \
	--subscribe admin --sleep 15 >/tmp/ynl.ntf 2>&1 &
ntf=$!
wait_until 60 "the cli subscribed" \
	eval "grep -q nanosleep /proc/$ntf/wchan 2>/dev/null"
voipwakectl background "$cg"
wait_frozen ynl
wait $ntf || fail "subscribe: $(cat /tmp/ynl.ntf)"
log "admin events: $(cat /tmp/ynl.ntf)"
grep -q '"name": "app-frozen-ntf"' /tmp/ynl.ntf ||
	fail "no app-frozen-ntf decoded: $(cat /tmp/ynl.ntf)"
grep -q "\"cgroup-id\": $id" /tmp/ynl.ntf ||
	fail "app-frozen-ntf not about cgroup $id: $(cat /tmp/ynl.ntf)"
voipwakectl foreground "$cg"

exec 4>&-
wait
rmdir "$cg"
vw_unload
