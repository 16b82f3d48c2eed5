# SPDX-License-Identifier: GPL-2.0
# Without the module, voipwakectl says so and exits 3; with module
# autoloading available, resolving the family loads the module (its
# MODULE_ALIAS_GENL_FAMILY), as it does for a sysadmin.
. /tests/lib.sh

modprobe_path=$(cat /proc/sys/kernel/modprobe)
echo /bin/false >/proc/sys/kernel/modprobe
set +e
err=$(voipwakectl info 2>&1 >/dev/null)
rc=$?
set -e
log "voipwakectl info without module: rc=$rc: $err"
expect_eq "exit code without module" 3 "$rc"
echo "$err" | grep -q 'modprobe voipwake' || fail "no hint in: $err"
vw_loaded && fail "module loaded although autoload was off"

echo "$modprobe_path" >/proc/sys/kernel/modprobe
voipwakectl info >/dev/null || fail "info with autoload"
vw_loaded || fail "family lookup did not autoload the module"
vw_unload
