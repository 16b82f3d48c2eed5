# SPDX-License-Identifier: GPL-2.0
# The examples/ client and server in C, as an app developer would run
# them: frozen, woken by an INVITE and by its keep-alive, frozen again
# (tests/vm/guest/voip.sh tells the story).
. /tests/voip.sh

voip_example voip-client
