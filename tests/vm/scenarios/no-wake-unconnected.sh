# SPDX-License-Identifier: GPL-2.0
# A marked TCP socket that never connected (TCP_CLOSE, but no peer ever
# closed anything) does not wake its app when the app is backgrounded.
. /tests/lib.sh
. /tests/app.sh

vw_load
cg_make app >/dev/null
rm -f /tmp/app.ready
sleep 1000 | vw-app --cgroup "$CG_ROOT/app" --ready /tmp/app.ready \
	--mark-only 0 >/tmp/app.out 2>&1 &
app=$!
wait_until 10 "app ready" test -e /tmp/app.ready
voipwakectl background app
wait_frozen app
sleep 2
cg_frozen app || fail "the app woke: $(voipwakectl status)"
expect_eq "close wakes" 0 "$(voipwakectl status -j | grep -o '"wakes_close": [0-9]*' | sed 's/.*: //')"
kill -9 $app
wait_until 10 "app gone" eval "! voipwakectl status -j | grep -q cgroup_id"
vw_unload
