#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
#
# test_versions.sh TOPDIR: lib/check-version.sh passes the tree as it is
# and fails each way the versions can disagree, on broken copies. A check
# that cannot fail would let VERSION fall behind the map again, as it had
# (0.1.0 against VOIPWAKE_0.4).

set -u
top=${1:?usage: test_versions.sh TOPDIR}
check=$top/lib/check-version.sh
tmp=$(mktemp -d "${TMPDIR:-/tmp}/test_versions.XXXXXX") || exit 1
trap 'rm -rf "$tmp"' EXIT
fails=0
n=0

fresh()
{
	rm -rf "$tmp/t" && mkdir "$tmp/t" &&
	cp "$top/VERSION" "$top/lib/libvoipwake.map" "$top/lib/voipwake.pc" \
		"$top/Documentation/man/man3/libvoipwake.3" "$tmp/t/" &&
	cp "$top/lib/libvoipwake.so.$(sed 's/-.*//' "$top/VERSION")" \
		"$tmp/t/lib.so"
}

run()
{
	"$check" "$tmp/t/VERSION" "$tmp/t/libvoipwake.map" \
		"$tmp/t/libvoipwake.3" "$tmp/t/voipwake.pc" "$tmp/t/lib.so" \
		vw_library_version >"$tmp/out" 2>&1
}

# expect pass|fail WHAT: the verdict on the copy as it stands.
expect()
{
	n=$((n + 1))
	if run; then got=pass; else got=fail; fi
	if [ "$got" = "$1" ]; then
		echo "ok $n - $2"
	else
		echo "not ok $n - $2: check-version said:"
		sed 's/^/#   /' "$tmp/out"
		fails=$((fails + 1))
	fi
}

fresh && expect pass "the tree as it is"

fresh && echo 0.1.0 >"$tmp/t/VERSION"
expect fail "VERSION older than the newest node"

fresh && echo 0.4 >"$tmp/t/VERSION"
expect fail "VERSION not MAJOR.MINOR.PATCH"

fresh && sed -i 's/^} VOIPWAKE_0\.2;/} VOIPWAKE_0.1;/' "$tmp/t/libvoipwake.map"
expect fail "a node that skips the one before it"

fresh && sed -i '0,/VOIPWAKE_0\.1 {/s//VOIPWAKE_0.3 {/' "$tmp/t/libvoipwake.map"
expect fail "nodes out of order"

fresh && sed -i '/^\.SH VERSIONS/,/^\.SH /s/VOIPWAKE_0\.2/VOIPWAKE_0.two/' "$tmp/t/libvoipwake.3"
expect fail "VERSIONS leaves a node out"

fresh && sed -i '/^\.SH VERSIONS/a VOIPWAKE_9.9' "$tmp/t/libvoipwake.3"
expect fail "VERSIONS names a node the map has not"

fresh && sed -i 's/^Version:.*/Version: 0.0.1/' "$tmp/t/voipwake.pc"
expect fail "the pkg-config file disagrees"

# A library that says another version, under the real one's soname.
fresh && soname=$(objdump -p "$tmp/t/lib.so" | awk '$1 == "SONAME" { print $2 }') &&
printf 'const char *vw_library_version(void) { return "9.9.9"; }\n' >"$tmp/liar.c" &&
${CC:-cc} -shared -fPIC -Wl,-soname,"$soname" -o "$tmp/t/lib.so" "$tmp/liar.c"
expect fail "vw_library_version() disagrees"

echo "1..$n"
[ $fails -eq 0 ]
