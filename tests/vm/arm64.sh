# SPDX-License-Identifier: GPL-2.0
# shellcheck shell=bash
#
# Sourced by tests/vm/run: guests of Debian's arm64 cloud kernels (series
# arm64-6.1, arm64-6.12) under qemu-system-aarch64, TCG on the "virt"
# machine. Everything comes from Debian's registry through a private apt
# view (scripts/apt-view.sh arm64), so the host keeps its one
# architecture:
#
#   image, headers    linux-image-REL, linux-headers-REL and its -common
#                     (arm64, all), and the linux-kbuild whose tools run
#                     here (amd64), unpacked into the kernel's cache dir
#   voipwake.ko       built with the cross compiler (gcc-aarch64-linux-gnu)
#                     against those headers, W=1 and no warning, as x86
#   userspace         lib/, daemon/, examples/ and tests/progs/ built in
#                     a copy of the sources by the cross compiler against
#                     an arm64 sysroot (scripts/arm64-sysroot.sh), which
#                     also gives the guest its busybox and libraries
#
# virt has one PL011 UART: it carries the kernel console (ttyAMA0), and
# the scenario's results go to a virtio console (hvc0) instead of ttyS1;
# where virtio_console is a module (6.1) the guest's init loads it first.

arm64_cpu=${VW_ARM64_CPU:-cortex-a53}

# VW_ARM64_GUEST_ENV: as VW_GUEST_ENV, for the arm64 guests alone (make
# check shortens their fuzz run with it).

# is_arm64 REL: is REL (or a series) an arm64 kernel?
is_arm64()
{
	case $1 in
	arm64-*|*-arm64) return 0 ;;
	*) return 1 ;;
	esac
}

arm64_view() { "$top/scripts/apt-view.sh" arm64 "$@"; }

# arm64_kdir REL: the build directory of REL's headers.
arm64_kdir()
{
	echo "$cache/kernels/$1/headers/usr/src/linux-headers-$1"
}

# arm64_make_args: what make -C KDIR needs to cross-build a module.
arm64_make_args()
{
	echo ARCH=arm64 CROSS_COMPILE=aarch64-linux-gnu-
}

# arm64_fetch_kernel REL: image, modules and headers, unpacked once into
# the cache as fetch_kernel does for x86.
arm64_fetch_kernel()
{
	local rel=$1 dir=$cache/kernels/$1 tmp deps common kbuild hdr
	local unpacked=yes

	[ -f "$dir/.complete" ] && return 0
	tmp=$(mktemp -d "$cache/kernels/.fetch.XXXXXX") || return 1
	echo "# fetching linux-image-$rel and its headers" >&2
	deps=$(arm64_view apt-cache show --no-all-versions "linux-headers-$rel" |
	       sed -n 's/^Depends: //p' | tr ',' '\n' | sed 's/^ *//; s/ .*//')
	common=$(echo "$deps" | grep -E '^linux-headers-.*-common$')
	kbuild=$(echo "$deps" | grep -E '^linux-kbuild-')
	if [ -z "$common" ] || [ -z "$kbuild" ]; then
		echo "linux-headers-$rel names no -common or linux-kbuild package" >&2
		rm -rf "$tmp"
		return 1
	fi
	if ! (cd "$tmp" && arm64_view apt-get download -q "linux-image-$rel" \
			"linux-headers-$rel" "$common" "$kbuild:amd64" \
			>/dev/null 2>"$tmp/apt.err"); then
		cat "$tmp/apt.err" >&2
		rm -rf "$tmp"
		return 1
	fi
	for deb in "$tmp"/linux-headers-*.deb "$tmp"/linux-kbuild-*.deb; do
		dpkg -x "$deb" "$tmp/headers" || unpacked=no
	done
	[ "$unpacked" = yes ] && mkdir -p "$tmp/root" &&
	dpkg -x "$tmp"/linux-image-*.deb "$tmp/root" &&
	# The headers' Makefile includes the -common one by its absolute
	# path, which is where dpkg would have put it, not where it is.
	hdr=$tmp/headers/usr/src/linux-headers-$rel
	sed -i "s|^include /usr/src/|include $dir/headers/usr/src/|" \
		"$hdr/Makefile" &&
	rm -rf "$dir" && mkdir -p "$dir" &&
	mv "$tmp/root/boot/vmlinuz-$rel" "$dir/vmlinuz" &&
	mv "$tmp/root/lib/modules/$rel" "$dir/modules" &&
	mv "$tmp/headers" "$dir/headers" &&
	touch "$dir/.complete"
	local rc=$?
	rm -rf "$tmp"
	return $rc
}

# arm64_userspace: the cross-built userspace, once per run, in
# $build/arm64/src (a copy of the sources, so the host's objects stay);
# sets arm64_sysroot and arm64_top. The copy keeps the sources' times and
# the objects of the last run, so make rebuilds only what changed; a new
# sysroot starts it afresh.
arm64_userspace()
{
	local src=$build/arm64/src s xdg_shell

	[ -n "${arm64_top:-}" ] && return 0
	arm64_sysroot=$("$top/scripts/arm64-sysroot.sh") || return 1
	s=$arm64_sysroot
	[ "$(cat "$src/.sysroot" 2>/dev/null)" = "$s" ] || rm -rf "$src"
	mkdir -p "$src" && echo "$s" >"$src/.sysroot" || return 1
	# What git knows of, tracked or new; not what was built here.
	if git -C "$top" rev-parse --is-inside-work-tree >/dev/null 2>&1; then
		(cd "$top" && git ls-files -z --cached --others --exclude-standard |
			cpio -0pdmu --quiet "$src") || return 1
	else
		cp -r "$top"/. "$src/" && rm -rf "$src/build" &&
			make -s -C "$src" clean >/dev/null 2>&1
	fi
	# The host's protocol files, as the host's scanner reads them: the
	# sysroot has neither.
	xdg_shell=$(pkg-config --variable=pkgdatadir wayland-protocols)/stable/xdg-shell/xdg-shell.xml
	# What arm64 guests run: not libvoipwake-glib, whose introspection
	# data g-ir-scanner makes by running the library (only pack-ynl
	# packs for arm64, so no scenario there loads it).
	PKG_CONFIG_LIBDIR=$s/usr/lib/aarch64-linux-gnu/pkgconfig:$s/usr/share/pkgconfig \
	PKG_CONFIG_SYSROOT_DIR=$s \
		sh -ec 'for d in lib daemon examples tests/progs; do
			make -s -C "$0/$d" VOIPWAKE=tree "$@"; done' "$src" \
		CC="aarch64-linux-gnu-gcc --sysroot=$s" \
		AR=aarch64-linux-gnu-ar WAYLAND_SCANNER=wayland-scanner \
		XDG_SHELL="$xdg_shell" >"$build/arm64/build.log" 2>&1 || {
		cat "$build/arm64/build.log" >&2
		return 1
	}
	arm64_top=$src
}

# arm64_elf FILE: is FILE an arm64 ELF file?
arm64_elf()
{
	[ "$(od -An -tx1 -j18 -N2 "$1" 2>/dev/null | tr -d ' ')" = b700 ]
}

# arm64_lib NAME: where the sysroot or the cross-built tree has NAME.
arm64_lib()
{
	local d

	for d in "$arm64_top/lib" "$arm64_sysroot/usr/lib/aarch64-linux-gnu" \
		 "$arm64_sysroot/usr/lib"; do
		[ -e "$d/$1" ] && { echo "$d/$1"; return 0; }
	done
	return 1
}

# arm64_copy_with_libs ROOT FILE DEST: as copy_with_libs, reading what
# the binary needs from its ELF headers (ldd cannot run it here).
arm64_copy_with_libs()
{
	local root=$1 file=$2 dest=$3 todo lib path dst

	install -D -m755 "$file" "$root$dest" || return 1
	todo=$file
	while [ -n "$todo" ]; do
		# shellcheck disable=SC2086 # a list of paths, no blanks
		set -- $todo
		file=$1
		shift
		todo="$*"
		for lib in $(aarch64-linux-gnu-readelf -d "$file" |
			     sed -n 's/.*(NEEDED).*\[\(.*\)\]/\1/p'); do
			case $lib in
			libvoipwake.so*) dst=/usr/lib/$lib ;;
			*) dst=/lib/aarch64-linux-gnu/$lib ;;
			esac
			[ -e "$root$dst" ] && continue
			path=$(arm64_lib "$lib") ||
				{ echo "no arm64 $lib for $file" >&2; return 1; }
			install -D -m755 "$(readlink -f "$path")" "$root$dst" ||
				return 1
			todo="$todo $path"
		done
	done
	[ -e "$root/lib/ld-linux-aarch64.so.1" ] ||
		install -D -m755 "$(readlink -f \
			"$arm64_sysroot/usr/lib/aarch64-linux-gnu/ld-linux-aarch64.so.1")" \
			"$root/lib/ld-linux-aarch64.so.1"
}

# arm64_pack_extra REL ROOT: what the guest of an arm64 kernel needs on
# top: where virtio_console is a module, it and what it depends on.
arm64_pack_extra()
{
	local mods=$cache/kernels/$1/modules m f

	for m in virtio_ring virtio virtio_pci_legacy_dev \
		 virtio_pci_modern_dev virtio_pci virtio_console; do
		f=$(find "$mods/kernel" -name "$m.ko*" | head -n1)
		[ -n "$f" ] || continue
		install -D -m644 "$f" "$2/lib/modules/$1/${f#"$mods"/}" || return 1
	done
}

# arm64_boot TMO REL INITRD DIR SCENARIOS TIMEOUTS: as boot(), on virt.
arm64_boot()
{
	local tmo=$1

	shift
	timeout -k 5 "$tmo" qemu-system-aarch64 \
		-nodefaults -no-user-config -display none -no-reboot \
		-machine virt -cpu "$arm64_cpu" -accel tcg -m 1024 -smp 2 \
		-kernel "$cache/kernels/$1/vmlinuz" \
		-initrd "$2" \
		-append "console=ttyAMA0 quiet panic=-1 oops=panic vw.out=hvc0 vw.scenario=$4 vw.timeout=$5 ${VW_GUEST_ENV:-} ${VW_ARM64_GUEST_ENV:-}" \
		-serial "file:$3/console.log" \
		-device virtio-serial-pci \
		-chardev "file,id=vwout,path=$3/output.log" \
		-device virtconsole,chardev=vwout \
		</dev/null >"$3/qemu.log" 2>&1
}
