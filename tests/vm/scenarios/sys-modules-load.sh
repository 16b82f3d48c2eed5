# SPDX-License-Identifier: GPL-2.0
# vw-tier: system
# vw-timeout: 60
# vw-alone: checks the boot itself, which a batch's reset reloads the module after
#
# The packages as a machine installs them: DKMS built voipwake.ko for
# this kernel when voipwake-dkms was installed, and at boot
# systemd-modules-load.service loaded it from the voipwake package's
# modules-load.d entry, before voipwaked started.
. /tests/lib.sh
. /tests/app.sh
. /tests/system.sh

rel=$(uname -r)
ko=$(dkms_module)
[ -n "$ko" ] || fail "no DKMS-built voipwake.ko in /lib/modules/$rel/updates/dkms"
expect_eq "modinfo resolves voipwake to DKMS's file" "$ko" "$(modinfo -n voipwake)"
expect_eq "module version" "$VW_VERSION" "$(modinfo -F version voipwake)"
expect_eq "module vermagic" "$rel" "$(modinfo -F vermagic voipwake | cut -d' ' -f1)"
st=$(dkms status -m voipwake -v "$VW_VERSION" -k "$rel")
case $st in *": installed"*) log "dkms status: $st" ;; *) fail "dkms status: '$st'" ;; esac

expect_eq "modules-load.d entry" voipwake \
	"$(grep -v '^#' /usr/lib/modules-load.d/voipwake.conf)"
vw_loaded || fail "voipwake is not loaded after boot"
# By identifier: the journal may not tie a line of so short-lived a
# process to its unit.
journalctl -b -t systemd-modules-load -o cat | grep -q "Inserted module 'voipwake'" ||
	fail "systemd-modules-load did not load voipwake: $(journalctl -b -t systemd-modules-load -o cat)"
expect_eq "systemd-modules-load.service" success \
	"$(unit_prop systemd-modules-load.service Result)"

# Loaded before voipwaked started: the daemon found it there.
t_mod=$(unit_prop systemd-modules-load.service ExecMainExitTimestampMonotonic)
t_vwd=$(unit_prop voipwaked.service ExecMainStartTimestampMonotonic)
[ "$t_mod" -gt 0 ] && [ "$t_vwd" -gt "$t_mod" ] ||
	fail "voipwaked started at $t_vwd, modules loaded at $t_mod (monotonic us)"
log "modules loaded $(( (t_vwd - t_mod) / 1000 )) ms before voipwaked started"
voipwakectl info | grep -q "^version: $VW_VERSION" ||
	fail "voipwakectl info: $(voipwakectl info 2>&1)"
