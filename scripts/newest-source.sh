#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Prints the path of the newest kernel source Debian offers (the highest
# linux-source-X.Y in unstable, through scripts/apt-view.sh's "newest"
# view), unpacked in the user cache; downloads and unpacks it on first
# use. Nothing is pinned: a new upstream series or Debian revision is
# picked up when the view's lists next refresh, and unpacked beside the
# old one, keyed by package and version as scripts/linux-source.sh keys
# the installed 6.12.
#
#   scripts/newest-source.sh           progress on stderr, the path on stdout
#   scripts/newest-source.sh --version the package and version it would use

set -euo pipefail
top=$(cd "$(dirname "$0")/.." && pwd)
cache=${VOIPWAKE_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/voipwake}
view() { "$top/scripts/apt-view.sh" newest "$@"; }

die() { echo "newest-source: $*" >&2; exit 1; }

pkg=$(view apt-cache pkgnames linux-source- |
      grep -E '^linux-source-[0-9]+\.[0-9]+$' | sort -V | tail -n1)
[ -n "$pkg" ] || die "no linux-source-X.Y in the newest view"
ver=$(view apt-cache show --no-all-versions "$pkg" |
      sed -n 's/^Version: //p' | head -n1)
[ -n "$ver" ] || die "no version of $pkg"
if [ "${1:-}" = --version ]; then
	echo "$pkg $ver"
	exit 0
fi

dir=$cache/src/$pkg-$ver
if [ -f "$dir/.complete" ]; then
	echo "$dir"
	exit 0
fi
mkdir -p "$cache/src" || die "cannot create $cache/src"
exec 9>"$dir.lock"
flock 9
if [ ! -f "$dir/.complete" ]; then
	tmp=$(mktemp -d "$cache/src/.newest.XXXXXX") || exit 1
	trap 'rm -rf "$tmp"' EXIT
	echo "newest-source: downloading $pkg $ver" >&2
	(cd "$tmp" && view apt-get download -q "$pkg=$ver" >/dev/null) ||
		die "cannot download $pkg $ver"
	dpkg-deb --fsys-tarfile "$tmp"/"$pkg"_*.deb |
		tar -x -C "$tmp" "./usr/src/$pkg.tar.xz" ||
		die "no /usr/src/$pkg.tar.xz in the package"
	rm -f "$tmp"/*.deb
	echo "newest-source: unpacking $pkg $ver into $dir" >&2
	rm -rf "$dir" && mkdir -p "$tmp/tree" &&
	tar -xf "$tmp/usr/src/$pkg.tar.xz" -C "$tmp/tree" --strip-components=1 &&
	mv "$tmp/tree" "$dir" && touch "$dir/.complete" ||
		die "cannot unpack $pkg $ver"
fi
echo "$dir"
