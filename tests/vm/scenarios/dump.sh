# SPDX-License-Identifier: GPL-2.0
# Dumps larger than one netlink message resume where they stopped: 1000
# marked sockets across 4 apps all appear in voipwakectl status, once.
. /tests/lib.sh
. /tests/app.sh

ulimit -n 4096
vw_load max_socks_per_app=1024
for a in 1 2 3 4; do
	cg_make "d$a" >/dev/null
	rm -f "/tmp/d$a.in"
	mkfifo "/tmp/d$a.in"
	vw-sock --cgroup "$CG_ROOT/d$a" --hold 250 udp4 <"/tmp/d$a.in" \
		>"/tmp/d$a.out" 2>&1 3>&- 4>&- 5>&- 6>&- 7>&- &
	eval "exec $((a + 3))<>/tmp/d$a.in"
	wait_for "/tmp/d$a.out" '^(held|result)' 30
	grep -q '^held n=250' "/tmp/d$a.out" || fail "app d$a: $(cat "/tmp/d$a.out")"
done
voipwakectl status -j >/tmp/status.json
socks=$(grep -o '"ino": *[0-9]*' /tmp/status.json | sort -u | wc -l)
apps=$(grep -o '"cgroup_id": *[0-9]*' /tmp/status.json | sort | uniq -c | wc -l)
log "status: $(wc -c </tmp/status.json) bytes of JSON"
expect_eq "distinct sockets in the dump" 1000 "$socks"
expect_eq "socket entries in the dump" 1000 "$(grep -o '"ino": *[0-9]*' /tmp/status.json | wc -l)"
for a in 1 2 3 4; do
	id=$(stat -c %i "$CG_ROOT/d$a")
	grep -q "\"socks\": *250" /tmp/status.json || fail "no app with 250 sockets"
	grep -q "$id" /tmp/status.json || fail "app d$a missing"
done
exec 4>&- 5>&- 6>&- 7>&-
wait
vw_unload
