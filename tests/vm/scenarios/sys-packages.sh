# SPDX-License-Identifier: GPL-2.0
# vw-tier: system
# vw-timeout: 300
# vw-alone: purges the packages that every other scenario needs
#
# The packages' whole life. The image was made by installing the older
# build (/vw/debs-old: this tree as VERSION~vwtest1) with dpkg, adding an
# administrator's line to its voipwaked.conf, and upgrading to this build
# (tests/vm/system.sh), DKMS building the module natively at each step; a
# DKMS build in a guest under TCG takes minutes. Here, on the booted
# system: the upgrade's outcome; a purge that leaves nothing (no module,
# no unit, no state); then the userspace packages installed, upgraded and
# purged again with systemd running, as their maintainer scripts see it
# on a real machine: voipwaked enabled and started, restarted on the new
# binary, stopped.
. /tests/lib.sh
. /tests/app.sh
. /tests/system.sh

rel=$(uname -r)
old=$VW_VERSION~vwtest1
pkgs="voipwake voipwake-dkms libvoipwake0"
export DEBIAN_FRONTEND=noninteractive

# installed PKG: its dpkg status and version, or "none".
installed()
{
	dpkg-query -W -f='${Status} ${Version}' "$1" 2>/dev/null || echo none
}

# nothing_left WHEN: no trace of voipwake on the system (but the
# harness's own: /etc/voipwake-version and the runner's copy of the
# packaged configuration in /run/vw-runner).
nothing_left()
{
	# Each may fail finding nothing; -e holds in the subshell too.
	_left=$( {
		find /lib/modules /usr/src /var/lib/dkms /etc /run /var/lib /usr/share/dbus-1 \
			/lib/systemd /usr/lib/systemd /usr/lib/modules-load.d \
			/usr/sbin /usr/lib/x86_64-linux-gnu /usr/libexec \
			/usr/share/polkit-1 -iname '*voipwake*' \
			! -path /etc/voipwake-version ! -path '/run/vw-runner/*' \
			2>/dev/null || true
		dpkg -l | awk '$2 ~ /voipwake/ { print $1, $2 }'
		systemctl list-unit-files --no-legend 'voipwake*' 2>/dev/null ||
			true
	} )
	[ -z "$_left" ] || fail "$1: left behind: $_left"
	modprobe -n voipwake 2>/dev/null && fail "$1: modprobe still finds voipwake"
	log "$1: nothing left"
}

# The upgrade the image went through.
for p in $pkgs; do
	expect_eq "$p" "install ok installed $VW_VERSION" "$(installed $p)"
	grep -q " upgrade $p:[a-z0-9]* $old $VW_VERSION\$" /var/log/dpkg.log ||
		fail "$p was not upgraded from $old: $(grep " $p:" /var/log/dpkg.log)"
done
log "upgraded from $old: $(grep -c " upgrade " /var/log/dpkg.log) packages"
st=$(dkms status -m voipwake 2>/dev/null)
case $st in
*"$old"*) fail "DKMS still has $old: $st" ;;
*"voipwake/$VW_VERSION, $rel, "*": installed"*) log "dkms status: $(echo "$st" | tr '\n' ';')" ;;
*) fail "dkms status: $st" ;;
esac
[ ! -e "/usr/src/voipwake-$old" ] || fail "/usr/src/voipwake-$old is left"
expect_eq "module version" "$VW_VERSION" "$(modinfo -F version voipwake)"
grep -q "^# added by the administrator" /etc/voipwake/voipwaked.conf ||
	fail "the upgrade overwrote the administrator's voipwaked.conf"
expect_eq "voipwaked" active "$(unit_prop voipwaked.service ActiveState)"
busctl --system status org.voipwake.Daemon1 >/dev/null ||
	fail "voipwaked runs but does not own org.voipwake.Daemon1"

# Purge everything: the unit stops, DKMS removes the module for every
# kernel, the conffile goes even though it was changed, and the state.
t0=$(date +%s)
dpkg --purge $pkgs >/tmp/purge1.log 2>&1 || { cat /tmp/purge1.log; fail "purge"; }
log "purge: $(( $(date +%s) - t0 )) s"
expect_eq "voipwaked after purge" inactive "$(unit_prop voipwaked.service ActiveState)"
nothing_left "purge"
# A module already loaded stays, as with any package: only its files go.
vw_loaded && log "the running module stays loaded until modprobe -r or a reboot"

# The userspace packages with systemd running: the postinst enables and
# starts voipwaked (the loaded module serves it), an upgrade restarts it.
(cd /vw/debs-old && dpkg -i voipwake_*.deb libvoipwake0_*.deb) \
	>/tmp/install.log 2>&1 || { cat /tmp/install.log; fail "install $old"; }
expect_eq "voipwake" "install ok installed $old" "$(installed voipwake)"
wait_unit voipwaked.service active 30
expect_eq "voipwaked enabled" enabled "$(systemctl is-enabled voipwaked.service)"
oldpid=$(unit_prop voipwaked.service MainPID)
(cd /vw/debs && dpkg -i voipwake_*.deb libvoipwake0_*.deb) \
	>/tmp/upgrade.log 2>&1 || { cat /tmp/upgrade.log; fail "upgrade to $VW_VERSION"; }
expect_eq "voipwake" "install ok installed $VW_VERSION" "$(installed voipwake)"
wait_unit voipwaked.service active 30
[ "$(unit_prop voipwaked.service MainPID)" != "$oldpid" ] ||
	fail "voipwaked was not restarted on the new binary"
log "voipwaked restarted by the upgrade"
voipwakectl info | grep -q "^version: $VW_VERSION" || fail "voipwakectl info after the upgrade"

dpkg --purge voipwake libvoipwake0 >/tmp/purge2.log 2>&1 ||
	{ cat /tmp/purge2.log; fail "second purge"; }
expect_eq "voipwaked after the second purge" inactive \
	"$(unit_prop voipwaked.service ActiveState)"
nothing_left "second purge"
