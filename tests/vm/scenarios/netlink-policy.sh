# SPDX-License-Identifier: GPL-2.0
# Requests the family does not define are refused with an error, never
# ignored: a stray attribute on INFO_GET and an unknown command.
. /tests/lib.sh

vw_load
out=$(vw-nlprobe stray-attr) || fail "stray attribute accepted: $out"
log "$out"
case $out in
result=EINVAL*) ;;
*) fail "stray attribute: expected EINVAL, got '$out'" ;;
esac
echo "$out" | grep -q "extack='..*'" || fail "no extack message: $out"

out=$(vw-nlprobe bad-cmd) || fail "unknown command accepted: $out"
log "$out"
case $out in
result=EOPNOTSUPP*) ;;
*) fail "unknown command: expected EOPNOTSUPP, got '$out'" ;;
esac
vw_unload
