#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Installs the Debian packages that a make target needs, only those that
# are missing. As root it runs apt-get; otherwise it prints the exact
# command and fails, because a build that half-works without them would
# only fail later and less clearly.
#
#   scripts/deps.sh build|unit|dbus|headers|vm|static|kbuild|dkms|arm64|session|deb|system|fuzz ...
#
# KERNELS (default "6.1 6.12") selects which cloud kernels' headers the
# "headers" group installs; the "debug" series needs no headers, but what
# building it takes (the "kbuild" group), and an arm64 series only the
# "arm64" group: its headers, image, busybox and libraries are unpacked
# into the user cache from a private apt view (scripts/apt-view.sh), so
# the host's dpkg never gets arm64 as an architecture.

set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
# shellcheck source=scripts/kernels.sh
. "$here/kernels.sh"

want=()
add() { want+=("$@"); }

# The debug + KUnit kernel (scripts/debug-kernel.sh) is built from the
# newest linux-source, which scripts/newest-source.sh downloads itself
# (sid is never added to the host's sources): Kconfig needs flex and
# bison, objtool libelf, the build's tools bc and libssl, and kunit.py
# python3 (from the installed linux-source-6.12).
kbuild=(gcc make libc6-dev bc flex bison libelf-dev libssl-dev python3 perl
	linux-source-6.12 xz-utils)

# arm64 guests: the emulator and the cross compiler (the kernel headers'
# Makefile asks for aarch64-linux-gnu-gcc-12 by name, which
# gcc-aarch64-linux-gnu brings).
# The host's wayland-scanner and protocol files serve the cross-build.
arm64=(qemu-system-arm gcc-aarch64-linux-gnu binutils-aarch64-linux-gnu
       cpio dpkg libwayland-bin wayland-protocols pkg-config)

apt_updated=0
apt_update()
{
	[ "$apt_updated" = 1 ] && return 0
	[ "$(id -u)" = 0 ] || return 0
	echo "deps: apt-get update" >&2
	apt-get update -qq -o DPkg::Lock::Timeout=600 >&2
	apt_updated=1
}

installed()
{
	[ "$(dpkg-query -W -f='${Status}' "$1" 2>/dev/null)" = \
	  "install ok installed" ]
}

for group in "$@"; do
	case $group in
	# libwayland-dev: voipwake-session (and wayland-scanner, through
	# libwayland-bin).
	build)	add gcc make libc6-dev pkg-config libmnl-dev kmod libinih-dev libjson-c-dev \
		libsystemd-dev libkmod-dev libwayland-dev
		# libvoipwake-glib and its introspection data (lib/glib).
		add libglib2.0-dev gobject-introspection libgirepository1.0-dev ;;
	# python3-gi: the GIR test loads the typelib as PyGObject apps do.
	unit)	add libcmocka-dev python3 python3-gi ;;
	# voipwaked on a private bus: dbus-daemon, and busctl, gdbus and
	# python3-dbus as its clients; systemd-analyze scores its unit.
	dbus)	add dbus-daemon dbus-bin systemd libglib2.0-bin python3 python3-dbus \
		util-linux ;;
	headers)
		for k in ${KERNELS:-$VW_DEFAULT_KERNELS}; do
			if [ "$k" = "$VW_DEBUG_SERIES" ]; then
				add "${kbuild[@]}"
				continue
			fi
			case $k in arm64-*|*-cloud-arm64) add "${arm64[@]}"; continue ;; esac
			if ! rel=$(vw_resolve_release "$k" 2>/dev/null); then
				apt_update
				rel=$(vw_resolve_release "$k")
			fi
			add "linux-headers-$rel"
		done ;;
	# json-c: vw-json; python3 and PyYAML: the kernel's YNL cli in a guest
	# (tests/vm/pack-ynl); wayland-protocols: vw-wlapp's xdg-shell;
	# python3-gi: Python apps in a guest (pack-pygi).
	vm)	add qemu-system-x86 busybox-static cpio dpkg libjson-c-dev procps \
		python3 python3-yaml python3-gi linux-source-6.12 xz-utils \
		wayland-protocols ;;
	# tests/session/host.sh: headless sway and phoc, a session bus and its
	# tools, setpriv to run them as nobody, python3 to read introspection
	# XML.
	session) add sway phoc dbus-daemon dbus-bin util-linux \
		wayland-protocols python3 ;;
	dkms)	add dkms util-linux ;;
	# make deb: dpkg-buildpackage wants build-essential besides the
	# Build-Depends, which the build group holds.
	deb)	add build-essential dpkg-dev debhelper dh-dkms lintian ;;
	# The system tier (tests/vm/system.sh): mmdebstrap builds the image,
	# e2fsprogs writes it (mke2fs -d) and reads files back (debugfs),
	# util-linux's unshare keeps the chroot's mounts private.
	system)	add mmdebstrap e2fsprogs util-linux qemu-system-x86 \
		build-essential dpkg-dev debhelper dh-dkms ;;
	# libFuzzer (tests/fuzz): clang and its sanitizer runtimes.
	fuzz)	add clang libclang-rt-14-dev libmnl-dev libinih-dev pkg-config ;;
	static)	add sparse perl linux-source-6.12 xz-utils groff-base python3 \
		python3-yaml python3-jsonschema ;;
	kbuild)	add "${kbuild[@]}" ;;
	arm64)	add "${arm64[@]}" ;;
	*)	echo "deps: unknown group '$group'" >&2; exit 2 ;;
	esac
done

missing=()
for p in "${want[@]}"; do
	installed "$p" || missing+=("$p")
done
[ ${#missing[@]} -eq 0 ] && exit 0

cmd="apt-get install -y --no-install-recommends ${missing[*]}"
# Two make targets may install at once (make kunit next to make demo):
# the second waits for dpkg's lock instead of failing.
lock="-o DPkg::Lock::Timeout=600"
if [ "$(id -u)" != 0 ]; then
	echo "deps: missing Debian packages; run as root:" >&2
	echo "  $cmd" >&2
	exit 1
fi
echo "deps: installing ${missing[*]}" >&2
apt_update
# shellcheck disable=SC2086
DEBIAN_FRONTEND=noninteractive $cmd $lock >&2
