#!/bin/sh
# SPDX-License-Identifier: LGPL-2.1-or-later OR MIT
#
# check-version.sh VERSION MAP PAGE PC LIBRARY [FUNCTION]: a library's
# versions agree with the release's.
#
#   - VERSION holds MAJOR.MINOR.PATCH (a -SUFFIX allowed);
#   - MAP's version nodes are PREFIX_MAJOR.MINOR, in ascending order, each
#     but the first inheriting the one before, and none newer than
#     VERSION's MAJOR.MINOR (a release may add no calls, never the other
#     way round: a program that needs a node must find it in a library
#     that says it is that version or later);
#   - PAGE's VERSIONS section names every node of MAP, and no other;
#   - PC, the pkg-config file, says Version: VERSION;
#   - LIBRARY's FUNCTION (a "const char *f(void)"), when given, returns
#     VERSION: it is what the library loaded at run time says it is.
#
# CC compiles the probe for FUNCTION. Exits 0 when all agree, 1 and says
# what does not otherwise.

set -u

[ $# -ge 5 ] || {
	echo "usage: check-version.sh VERSION MAP PAGE PC LIBRARY [FUNCTION]" >&2
	exit 2
}
vfile=$1 map=$2 page=$3 pc=$4 lib=$5 fn=${6:-}
problems=0
problem()
{
	echo "check-version: $*" >&2
	problems=$((problems + 1))
}

for f in "$vfile" "$map" "$page" "$pc" "$lib"; do
	[ -r "$f" ] || { echo "check-version: cannot read $f" >&2; exit 1; }
done

version=$(cat "$vfile")
echo "$version" | grep -Eqx '[0-9]+\.[0-9]+\.[0-9]+(-[0-9A-Za-z.~+]+)?' ||
	{ echo "check-version: $vfile holds '$version', not MAJOR.MINOR.PATCH" >&2; exit 1; }
mm=$(echo "$version" | sed -E 's/^([0-9]+\.[0-9]+)\..*/\1/')

# "NODE PARENT" per node, in the order of the file; PARENT is "-" for none.
nodes=$(sed -e 's,/\*.*\*/,,g' -e '/\/\*/,/\*\//d' "$map" | awk '
	/^[ \t]*[A-Za-z_][A-Za-z0-9_.]*[ \t]*\{/ {
		node = $1; sub(/\{.*/, "", node)
	}
	/^[ \t]*\}/ && node != "" {
		parent = $0; sub(/^[ \t]*\}[ \t]*/, "", parent)
		sub(/[ \t]*;.*/, "", parent)
		print node, (parent == "" ? "-" : parent); node = ""
	}')
[ -n "$nodes" ] || { echo "check-version: no version nodes in $map" >&2; exit 1; }

# vle A B: A <= B, as versions.
vle()
{
	[ "$(printf '%s\n%s\n' "$1" "$2" | sort -V | head -n1)" = "$1" ]
}

prev=- prev_mm=
echo "$nodes" >"${TMPDIR:-/tmp}/check-version.$$"
while read -r node parent; do
	nmm=$(echo "$node" | sed -nE 's/^[A-Z][A-Z0-9_]*_([0-9]+\.[0-9]+)$/\1/p')
	if [ -z "$nmm" ]; then
		problem "$map: node $node is not PREFIX_MAJOR.MINOR"
		continue
	fi
	[ "$parent" = "$prev" ] ||
		problem "$map: node $node inherits '$parent', not the node before it ('$prev')"
	if [ -n "$prev_mm" ] && vle "$nmm" "$prev_mm"; then
		problem "$map: node $node does not come after $prev"
	fi
	vle "$nmm" "$mm" ||
		problem "$map: node $node is newer than VERSION $version: raise VERSION to $nmm.0"
	prev=$node prev_mm=$nmm
done <"${TMPDIR:-/tmp}/check-version.$$"
rm -f "${TMPDIR:-/tmp}/check-version.$$"

# The nodes PAGE's VERSIONS section names, against MAP's.
want=$(echo "$nodes" | awk '{ print $1 }' | LC_ALL=C sort -u)
prefix=$(echo "$want" | head -n1 | sed -E 's/_[0-9]+\.[0-9]+$//')
have=$(sed -n '/^\.SH VERSIONS/,/^\.SH /p' "$page" |
       grep -oE "${prefix}_[0-9]+\.[0-9]+" | LC_ALL=C sort -u)
for n in $want; do
	echo "$have" | grep -qxF "$n" ||
		problem "$page: VERSIONS does not name $n ($map has it)"
done
for n in $have; do
	echo "$want" | grep -qxF "$n" ||
		problem "$page: VERSIONS names $n, which $map has not"
done

pcv=$(sed -n 's/^Version:[[:space:]]*//p' "$pc")
[ "$pcv" = "$version" ] || problem "$pc says Version: '$pcv', VERSION says '$version'"

if [ -n "$fn" ]; then
	tmp=$(mktemp -d "${TMPDIR:-/tmp}/check-version.XXXXXX") || exit 1
	libdir=$(cd "$(dirname "$lib")" && pwd)
	# Loaded by its soname, which must lead to LIBRARY itself, not to
	# whatever a stale link next to it names.
	soname=$(objdump -p "$lib" | awk '$1 == "SONAME" { print $2 }')
	ln -s "$libdir/${lib##*/}" "$tmp/${soname:-${lib##*/}}"
	cat >"$tmp/probe.c" <<EOF
#include <stdio.h>
const char *$fn(void);
int main(void) { puts($fn()); return 0; }
EOF
	if ! ${CC:-cc} -o "$tmp/probe" "$tmp/probe.c" "$libdir/${lib##*/}" \
			>"$tmp/cc.log" 2>&1; then
		problem "cannot build a probe of $fn() against $lib: $(cat "$tmp/cc.log")"
	else
		got=$(LD_LIBRARY_PATH=$tmp${LD_LIBRARY_PATH:+:$LD_LIBRARY_PATH} "$tmp/probe")
		[ "$got" = "$version" ] ||
			problem "$lib: $fn() returns '$got', VERSION says '$version'"
	fi
	rm -rf "$tmp"
fi

if [ $problems -ne 0 ]; then
	echo "check-version: $problems disagreement(s)" >&2
	exit 1
fi
echo "check-version: ${lib##*/} is $version: $(echo "$want" | wc -l) version nodes up to $prev, its man page and pkg-config file agree"
