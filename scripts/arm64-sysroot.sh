#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Prints the path of an arm64 sysroot in the user cache: Debian's arm64
# packages that the cross-built userspace compiles against, links and
# runs with (libc, libmnl, libsystemd, libkmod, inih, json-c) and the
# guest's busybox, with every dependency apt resolves for them, unpacked
# (dpkg-deb, never installed) from scripts/apt-view.sh's arm64 view.
#
#   scripts/arm64-sysroot.sh          progress on stderr, the path on stdout
#   scripts/arm64-sysroot.sh --python with python3 and PyYAML as well, for
#                                     the guests of YNL scenarios
#
# The sysroot is keyed by what apt resolved (each package and version),
# so a security update in the registry unpacks a new one; the cross
# compiler uses it with --sysroot, pkg-config with PKG_CONFIG_SYSROOT_DIR.

set -euo pipefail
top=$(cd "$(dirname "$0")/.." && pwd)
cache=${VOIPWAKE_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/voipwake}
view() { "$top/scripts/apt-view.sh" arm64 "$@"; }

# What tests/vm/run's guest and the Makefiles of lib/, daemon/,
# examples/ and tests/progs/ link: the arm64 twins of scripts/deps.sh's
# "build" and "vm" groups.
pkgs=(libc6-dev libmnl-dev libsystemd-dev libkmod-dev libinih-dev libwayland-dev
      libjson-c-dev busybox-static)
# The kernel's YNL cli (tests/vm/pack-ynl): a sysroot of its own, so the
# others do not download Python.
[ "${1:-}" = --python ] && pkgs+=(python3 python3-yaml)

die() { echo "arm64-sysroot: $*" >&2; exit 1; }

# apt resolves against an empty dpkg status (the view's), so the answer
# is every package the list needs, down to libc. That takes apt seconds:
# the answer is kept until the view's lists change.
view apt-cache policy >/dev/null || die "no arm64 view"
lists=$(view path)/state/lists
asked=$(echo "${pkgs[*]}" "$(stat -c %Y "$lists"/*_Packages* 2>/dev/null)" |
	sha256sum | cut -c1-12)
key=$(cat "$cache/arm64-sysroot/asked-$asked" 2>/dev/null) || key=
dir=$cache/arm64-sysroot/$key
if [ -n "$key" ] && [ -f "$dir/.complete" ]; then
	echo "$dir"
	exit 0
fi
resolved=$(view apt-get install -s -q --no-install-recommends "${pkgs[@]}" |
	   sed -n 's/^Inst \([^ ]*\) (\([^ ]*\) .*/\1=\2/p' | sort) ||
	die "apt cannot resolve ${pkgs[*]}"
[ -n "$resolved" ] || die "apt resolved nothing for ${pkgs[*]}"
key=$(echo "$resolved" | sha256sum | cut -c1-12)
dir=$cache/arm64-sysroot/$key
mkdir -p "$cache/arm64-sysroot" || die "cannot create $cache/arm64-sysroot"
exec 9>"$dir.lock"
flock 9
if [ ! -f "$dir/.complete" ]; then
	tmp=$(mktemp -d "$cache/arm64-sysroot/.new.XXXXXX") || exit 1
	trap 'rm -rf "$tmp"' EXIT
	echo "arm64-sysroot: downloading $(echo "$resolved" | wc -l) packages" >&2
	# shellcheck disable=SC2086 # one word per package
	(cd "$tmp" && view apt-get download -q $resolved \
		>"$tmp/download.log" 2>&1) ||
		{ cat "$tmp/download.log" >&2; die "cannot download them"; }
	# Debian 12 is merged-/usr: /lib and friends are links into /usr,
	# kept as links while the packages unpack over them.
	mkdir -p "$tmp/root/usr/lib" "$tmp/root/usr/bin" "$tmp/root/usr/sbin"
	for d in lib bin sbin; do ln -s "usr/$d" "$tmp/root/$d"; done
	for deb in "$tmp"/*.deb; do
		dpkg-deb --fsys-tarfile "$deb" |
			tar -x --keep-directory-symlink -C "$tmp/root" ||
			die "cannot unpack ${deb##*/}"
	done
	# Absolute links (libfoo.so -> /lib/...) would point at the host.
	find "$tmp/root" -type l -lname '/*' | while read -r l; do
		ln -sfn "$(realpath -m --relative-to="${l%/*}" \
			"$tmp/root$(readlink "$l")")" "$l"
	done
	echo "$resolved" >"$tmp/root/.packages"
	rm -rf "$dir" && mv "$tmp/root" "$dir" && touch "$dir/.complete" ||
		die "cannot move the sysroot into $dir"
fi
echo "$key" >"$cache/arm64-sysroot/asked-$asked"
echo "$dir"
