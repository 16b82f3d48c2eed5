# SPDX-License-Identifier: GPL-2.0
# vw-debug-skip: the INVITE's round trip under KASAN+TCG outlasts the 3.2 s before its 4 s keep-alive falls due
# vw-needs: pygi
# The Python example (examples/voip-client.py, PyGObject on
# libvoipwake-glib) against the C server: the same story as the C
# client's, line for line (tests/vm/guest/voip.sh): frozen, woken by an
# INVITE and by its keep-alive, done, frozen again.
. /tests/voip.sh

voip_example voip-client.py
