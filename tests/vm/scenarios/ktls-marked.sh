# SPDX-License-Identifier: GPL-2.0
# Item 4 of issue 15: kTLS (TCP_ULP "tls") on a marked socket. kTLS would
# take the socket's proto and ops from under the mark (building its own
# from voipwake's copies, for every later kTLS socket too); it is refused
# while the socket is marked, and the close leaves nothing: no marked
# socket, no app, and the module unloads.
. /tests/lib.sh
. /tests/app.sh
. /tests/adv.sh

# The tls ULP: built in (the debug kernel) or a module (cloud kernels).
modprobe tls 2>/dev/null || true
grep -qw tls /proc/sys/net/ipv4/tcp_available_ulp ||
	skip "no kTLS in this kernel: $(cat /proc/sys/net/ipv4/tcp_available_ulp)"
vw_load
cg_make app >/dev/null
echo $$ >"$CG_ROOT/app/cgroup.procs"
sleep 1000 | vw-peer 5071 >/tmp/peer.out 2>&1 &
peer=$!
wait_for /tmp/peer.out '^listening' 10
vw-hole ulp tls 5071 >/tmp/ulp.out 2>&1 || fail "vw-hole: $(cat /tmp/ulp.out)"
line=$(grep '^ulp ' /tmp/ulp.out)
log "$line"
expect_eq "mark" ok "$(field "$line" mark)"
expect_eq "TCP_ULP tls on the marked socket" EEXIST "$(field "$line" ulp)"
echo $$ >"$CG_ROOT/cgroup.procs"
kill $peer
wait_until 10 "no marked socket left" eval \
	'[ -z "$(voipwakectl status -j | grep "\"socks\": [1-9]")" ]'
apps_drain 10
vw_unload
