# SPDX-License-Identifier: GPL-2.0
# modinfo shows license, description, version and every parameter, and the
# parameters it lists are exactly those the loaded module exposes.
. /tests/lib.sh

field()
{
	modinfo -F "$1" "$VW_KO"
}

expect_eq license GPL "$(field license)"
expect_eq version "$VW_VERSION" "$(field version)"
desc=$(field description)
[ -n "$desc" ] || fail "no description"
log "description: $desc"
expect_eq vermagic-release "$(uname -r)" "$(field vermagic | cut -d' ' -f1)"

listed=$(field parm | cut -d: -f1 | sort | tr '\n' ' ')
[ -n "$listed" ] || fail "no parameters listed"
field parm | while IFS= read -r line; do
	case $line in
	*:*default*range*) ;;
	*) fail "parameter without default and range: $line" ;;
	esac
done
vw_load
exposed=$(ls /sys/module/voipwake/parameters | sort | tr '\n' ' ')
expect_eq "parameters (modinfo vs sysfs)" "$listed" "$exposed"
vw_unload
