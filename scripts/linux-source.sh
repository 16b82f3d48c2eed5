#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
#
# Prints the path of Debian's linux-source-6.12 unpacked in the user cache
# (checkpatch.pl, and later the KUnit kernel, come from it), unpacking it
# on first use. The cache is keyed by the package version, so an upgraded
# package is unpacked afresh rather than mixed with the old tree.

set -eu
pkg=linux-source-6.12
cache=${VOIPWAKE_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/voipwake}
ver=$(dpkg-query -W -f='${Version}' "$pkg" 2>/dev/null) || {
	echo "$pkg is not installed (scripts/deps.sh static)" >&2
	exit 1
}
dir=$cache/src/$pkg-$ver
if [ ! -f "$dir/.complete" ]; then
	echo "unpacking $pkg $ver into $dir" >&2
	rm -rf "$dir" "$dir.tmp"
	mkdir -p "$dir.tmp"
	tar -xf /usr/src/$pkg.tar.xz -C "$dir.tmp" --strip-components=1
	mv "$dir.tmp" "$dir"
	touch "$dir/.complete"
fi
echo "$dir"
