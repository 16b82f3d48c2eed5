# SPDX-License-Identifier: GPL-2.0
# Item 4 of issue 15: IPV6_ADDRFORM on a marked v4-mapped IPv6 socket,
# TCP and UDP. It would swap the socket's proto and ops for IPv4's and
# leave the mark's close hook behind; it is refused while the socket is
# marked, and whatever happens the close leaves nothing: no marked
# socket, no app, and the module unloads. (It used to leak the mark, the
# socket, its app and a module reference, so rmmod failed for good.)
. /tests/lib.sh
. /tests/app.sh
. /tests/adv.sh

vw_load
cg_make app >/dev/null
echo $$ >"$CG_ROOT/app/cgroup.procs"
sleep 1000 | vw-peer 5070 >/tmp/peer.out 2>&1 &
peer=$!
wait_for /tmp/peer.out '^listening' 10
for kind in tcp udp; do
	vw-hole addrform $kind 5070 >/tmp/af.out 2>&1 ||
		fail "vw-hole: $(cat /tmp/af.out)"
	line=$(grep '^addrform ' /tmp/af.out)
	log "$kind: $line"
	expect_eq "$kind: mark" ok "$(field "$line" mark)"
	expect_eq "$kind: IPV6_ADDRFORM on the marked socket" EBUSY \
		"$(field "$line" addrform)"
done
echo $$ >"$CG_ROOT/cgroup.procs"
kill $peer
wait_until 10 "no marked socket left" eval \
	'[ -z "$(voipwakectl status -j | grep "\"socks\": [1-9]")" ]'
apps_drain 10
vw_unload
