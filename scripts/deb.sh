#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Builds voipwake's Debian packages (debian/) as a distribution would:
# dpkg-buildpackage -us -uc -b, in a copy of the tree, so that nothing is
# written beside the checkout. Then lintian, which must be clean at
# warning level (each override in debian/*.lintian-overrides says why).
#
#   scripts/deb.sh [--version V] [--no-lintian] OUTDIR
#   scripts/deb.sh --key
#
# OUTDIR/.key holds the hash of what the packages were built from
# (--key prints the tree's): a later user of the same tree's packages,
# the system tier, takes them instead of building them again.
#
# The packages' version is VERSION's: debian/changelog must agree, or the
# build stops (debian/ is a source like any other, and a distribution
# builds it without us, so it is checked rather than generated).
# --version V builds the same tree as version V instead, with a changelog
# entry saying so: the package scenario upgrades from such a build.

set -euo pipefail
top=$(cd "$(dirname "$0")/.." && pwd)

# What the packages are built from (debian/rules, dh_dkms), and nothing
# else: a new scenario or a README change rebuilds nothing.
src_key()
{
	cd "$top" && git ls-files -z --cached --others --exclude-standard \
		-- debian lib daemon kernel include Documentation/man Kbuild \
		dkms.conf VERSION scripts/deb.sh |
		xargs -0 sh -c 'for f; do [ -f "$f" ] && printf "%s\0" "$f"; done' sh |
		xargs -0 sha256sum | sha256sum | cut -c1-16
}
if [ "${1:-}" = --key ]; then
	src_key
	exit
fi
lint=1
ver=
while [ $# -gt 1 ]; do
	case $1 in
	--version) ver=$2; shift 2 ;;
	--no-lintian) lint=; shift ;;
	*) break ;;
	esac
done
[ $# -eq 1 ] || { echo "usage: $0 [--version V] [--no-lintian] OUTDIR" >&2; exit 2; }
out=$(mkdir -p "$1" && cd "$1" && pwd)

upstream=$(cat "$top/VERSION")
changelog=$(cd "$top" && dpkg-parsechangelog -S Version)
if [ "$changelog" != "$upstream" ]; then
	echo "deb: debian/changelog says $changelog, VERSION says $upstream:" \
	     "add a changelog entry for $upstream" >&2
	exit 1
fi
ver=${ver:-$upstream}

# The files git knows, committed or not, and nothing built.
work=$out/.src
rm -rf "$work" && mkdir -p "$work/voipwake-$ver"
(cd "$top" && git ls-files -z --cached --others --exclude-standard |
	xargs -0 -I{} sh -c '[ ! -e "{}" ] || printf "%s\0" "{}"' |
	tar --null -T - -cf -) | tar -xf - -C "$work/voipwake-$ver"
if [ "$ver" != "$upstream" ]; then
	echo "$ver" >"$work/voipwake-$ver/VERSION"
	{
		printf 'voipwake (%s) unstable; urgency=medium\n\n' "$ver"
		printf '  * Test build of %s as version %s.\n\n' "$upstream" "$ver"
		# The tree's own date, so that the same tree builds the same
		# packages (SOURCE_DATE_EPOCH comes from it).
		printf ' -- voipwake developers <dev@voipwake.invalid>  %s\n\n' \
			"$(cd "$top" && dpkg-parsechangelog -S Date)"
		cat "$work/voipwake-$ver/debian/changelog"
	} >"$work/changelog" && mv "$work/changelog" "$work/voipwake-$ver/debian/"
fi

key=$(src_key)
rm -f "$out/.key" "$out"/*_"$ver"_*.deb "$out"/voipwake_"$ver"_*.changes
(cd "$work/voipwake-$ver" &&
	dpkg-buildpackage -us -uc -b >"$out/build-$ver.log" 2>&1) || {
	tail -n 40 "$out/build-$ver.log" >&2
	echo "deb: dpkg-buildpackage failed; whole log in $out/build-$ver.log" >&2
	exit 1
}
mv "$work"/*.deb "$work"/*.changes "$work"/*.buildinfo "$out/"
rm -rf "$work"
ls "$out"/*_"$ver"_*.deb

if [ -n "$lint" ]; then
	lintian --fail-on warning --info \
		"$out"/voipwake_"$ver"_*.changes >"$out/lintian.log" 2>&1 || {
		cat "$out/lintian.log" >&2
		echo "deb: lintian is not clean at warning level" >&2
		exit 1
	}
	grep -E '^[EW]:' "$out/lintian.log" >&2 || true
fi
echo "$key $ver" >"$out/.key"
