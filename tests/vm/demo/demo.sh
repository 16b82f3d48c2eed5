# SPDX-License-Identifier: GPL-2.0
# make demo: what voipwake can show today, on a real kernel in a guest.
# It grows as the kernel core, keep-alive and the library land; until
# then it says plainly what is not there yet.
. /tests/lib.sh

say()
{
	echo "[$(cut -d' ' -f1 /proc/uptime)s] $*"
}

say "guest kernel $(uname -r) is up"
say "loading voipwake.ko"
vw_load
modinfo "$VW_KO" | grep -E '^(version|description|license|parm):'
say "asking the kernel over generic netlink: voipwakectl info"
voipwakectl info
say "the same question from an unprivileged user (uid 1000)"
as_user 1000 voipwakectl info | head -n 2
say "unloading voipwake.ko"
vw_unload
say "not yet in this version: marking sockets, freezing a backgrounded app,"
say "waking it on data and on its keep-alive (the kernel core is next)"
