# SPDX-License-Identifier: GPL-2.0
# The generic netlink family "voipwake" resolves and answers INFO_GET, for
# root, for an unprivileged user and inside a new network namespace, and
# reports the module's live parameters.
. /tests/lib.sh

# info KEY [voipwakectl prefix...]: one field of "voipwakectl info".
info()
{
	key=$1
	shift
	"$@" voipwakectl info | sed -n "s/^$key: *//p"
}

vw_load wake_window_ms=1234
voipwakectl info
expect_eq version "$VW_VERSION" "$(info version)"
expect_eq api_version 1 "$(info api_version)"
expect_eq wake_window_ms 1234 "$(info wake_window_ms)"
expect_eq wake_window_max_ms "$(param wake_window_max_ms)" \
	"$(info wake_window_max_ms)"
expect_eq max_socks_per_app "$(param max_socks_per_app)" \
	"$(info max_socks_per_app)"

echo 4321 >/sys/module/voipwake/parameters/wake_window_ms
expect_eq "wake_window_ms after sysfs write" 4321 "$(info wake_window_ms)"

expect_eq "version as uid 1000" "$VW_VERSION" "$(info version as_user 1000)"
expect_eq "version in a new netns" "$VW_VERSION" "$(info version unshare -n)"

json=$(voipwakectl info -j)
log "json: $json"
echo "$json" | grep -q "\"version\": *\"$VW_VERSION\"" || fail "json version"
echo "$json" | grep -q '"wake_window_ms": *4321' || fail "json wake_window_ms"
vw_unload
