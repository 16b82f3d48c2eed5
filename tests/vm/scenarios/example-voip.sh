# SPDX-License-Identifier: GPL-2.0
# vw-debug-skip: the INVITE's round trip under KASAN+TCG outlasts the 3.2 s before its 4 s keep-alive falls due
# The examples/ client and server in C, as an app developer would run
# them: frozen, woken by an INVITE and by its keep-alive, frozen again
# (tests/vm/guest/voip.sh tells the story).
. /tests/voip.sh

voip_example voip-client
