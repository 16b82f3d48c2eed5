#!/bin/sh
# SPDX-License-Identifier: LGPL-2.1-or-later OR MIT
#
# check-abi.sh MAP LIBRARY: the library must export exactly the functions
# MAP lists, each in the version node MAP puts it in. Anything else that
# leaks out (a codec helper, say) would become ABI the day someone used it.

set -eu

map=$1
lib=$2
tmp=${TMPDIR:-/tmp}/check-abi.$$
trap 'rm -f "$tmp".want "$tmp".have' EXIT

[ -r "$map" ] || { echo "check-abi: cannot read $map" >&2; exit 1; }
[ -r "$lib" ] || { echo "check-abi: cannot read $lib" >&2; exit 1; }

# "sym@@NODE" for each name under "global:" in each "NODE { ... }".
sed -e 's,/\*.*\*/,,g' -e '/\/\*/,/\*\//d' "$map" | awk '
	/^[ \t]*[A-Za-z_][A-Za-z0-9_.]*[ \t]*\{/ {
		node = $1; sub(/\{.*/, "", node); glob = 0; next
	}
	/^[ \t]*\}/ { node = ""; glob = 0; next }
	/^[ \t]*global:/ { glob = 1; next }
	/^[ \t]*local:/ { glob = 0; next }
	glob && node != "" && /^[ \t]*[A-Za-z_][A-Za-z0-9_]*;[ \t]*$/ {
		sym = $1; sub(/;.*/, "", sym); print sym "@@" node
	}' | LC_ALL=C sort >"$tmp.want"

[ -s "$tmp.want" ] || { echo "check-abi: no symbols found in $map" >&2; exit 1; }

# Version nodes show up as absolute symbols ("A"): they are not API.
nm -D --defined-only "$lib" | awk '$2 != "A" { print $3 }' |
	LC_ALL=C sort >"$tmp.have"

if ! cmp -s "$tmp.want" "$tmp.have"; then
	echo "check-abi: $lib does not export what $map lists:" >&2
	LC_ALL=C comm -23 "$tmp.want" "$tmp.have" | sed 's/^/  missing:    /' >&2
	LC_ALL=C comm -13 "$tmp.want" "$tmp.have" | sed 's/^/  unexpected: /' >&2
	exit 1
fi
echo "check-abi: $lib exports the $(wc -l <"$tmp.want") functions of $map"
