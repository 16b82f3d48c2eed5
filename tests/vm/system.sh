# SPDX-License-Identifier: GPL-2.0
# shellcheck shell=bash
#
# Sourced by tests/vm/run: the system tier. A scenario with the line
#
#   # vw-tier: system
#
# boots a Debian 12 guest with systemd as PID 1 and voipwake installed from
# its own packages, instead of the busybox initramfs. Same harness, same
# judge, same result lines and logs; only the guest differs:
#
#   host                                   guest (Debian 12, systemd)
#   scripts/deb.sh -> build/vmtest/debs/   dpkg -i in a chroot of the base:
#   system/mkbase (mmdebstrap), cached ->  DKMS builds voipwake.ko for
#     by its inputs, in the cache            every kernel, natively
#   the image (ext4, mke2fs -d, no loop    root on the only NVMe disk, used
#     mount), cached by base and debs ->   through -snapshot: never changed
#   the run disk (mke2fs -d, per guest) -> virtio disk, by label at /vw: the
#     runner, scenarios, test programs,    runner, tests (/tests), programs
#     both builds of the packages          (/vw/bin), packages (/vw/debs*)
#   ttyS0 -> console.log                   kernel console
#   ttyS1 -> output.log                    VW-BEGIN .. VW-RC, as busybox's
#   ttyS2 -> journal.log                   journalctl -b, at the end
#   debugfs rdump /out -> DIR/out/         files a scenario leaves in
#                                          /vw/out
#
# Each scenario boots its own guest: -snapshot makes a fresh boot of the
# same image cheap, and nothing is reset by hand. A system scenario's
# "# vw-timeout:" counts from the runner's start; the host adds
# VW_SYS_BOOT_TIMEOUT (default 120 s) for the boot before it. The debug
# kernel has no Debian package, so the tier runs on the cloud kernels only.

sys_src=$top/tests/vm/system
sys_cache=
sys_boot_timeout=${VW_SYS_BOOT_TIMEOUT:-120}
# Set by sys_setup: the image every system guest boots, and the per-kernel
# staging trees of the run disk.
sys_image=
sys_failed=

# sys_tier NAME: true when scenario NAME needs the system tier.
sys_tier()
{
	grep -q '^# vw-tier: system' "$scen_dir/$1.sh"
}

# sys_wanted NAME...: true when any of the scenarios needs the tier.
sys_wanted()
{
	local n

	for n; do
		sys_tier "$n" && return 0
	done
	return 1
}

# sys_hash FILE...: one hash over the files' contents ("-": standard
# input), not their paths: two checkouts of the same tree share the cache.
sys_hash()
{
	local f

	for f; do
		if [ "$f" = - ]; then sha256sum; else sha256sum <"$f"; fi
	done | sha256sum | cut -c1-16
}

# sys_debs: the packages of this tree in $build/debs, and the same tree
# as a lower version in $build/debs-old (the package scenario upgrades
# from it); rebuilt only when a file they are built from has changed.
sys_debs()
{
	local key stamp=$build/debs/.key ver made=$top/build/deb

	key=$("$top/scripts/deb.sh" --key) || return 1
	ver=$(cat "$top/VERSION")
	[ "$(cat "$stamp" 2>/dev/null)" = "$key" ] && return 0
	rm -rf "$build/debs" "$build/debs-old"
	# make deb's, when they are of this very tree (make check builds
	# them first); else built here, without lintian.
	if [ "$(cat "$made/.key" 2>/dev/null)" = "$key $ver" ]; then
		mkdir -p "$build/debs" && cp "$made"/*_"$ver"_*.deb "$build/debs/"
	else
		"$top/scripts/deb.sh" --no-lintian "$build/debs" >/dev/null
	fi &&
	"$top/scripts/deb.sh" --no-lintian --version "$ver~vwtest1" \
		"$build/debs-old" >/dev/null || return 1
	rm -f "$build"/debs*/*-dbgsym_*.deb "$build"/debs*/.key
	echo "$key" >"$stamp"
}

# sys_base RELEASE...: the cached base tarball for these kernel releases
# (path in $sys_base_tar), built by mkbase when its inputs changed. Two
# users at once: the second waits for the first's, then uses it.
sys_base()
{
	local key tar tmp

	key=$(printf '%s\n' "$@" | sort | sys_hash "$sys_src/mkbase" \
		"$sys_src/packages" /etc/os-release -) || return 1
	tar=$sys_cache/base-$key.tar
	sys_base_key=$key
	sys_base_tar=$tar
	(
		flock 9
		[ -f "$tar" ] && exit 0
		echo "# system tier: building the base image (mmdebstrap, once" \
		     "per package list and kernels)" >&2
		tmp=$tar.tmp.$$
		trap 'rm -f "$tmp"' EXIT
		if ! "$sys_src/mkbase" "$tmp" "$@" >"$sys_cache/mkbase.log" 2>&1; then
			tail -n 30 "$sys_cache/mkbase.log" >&2
			rm -f "$tmp"
			exit 1
		fi
		mv "$tmp" "$tar"
		# Older bases are of no use to this tree; keep the newest two.
		ls -t "$sys_cache"/base-*.tar | tail -n +3 | xargs -r rm -f
	) 9>"$sys_cache/base.lock"
}

# sys_trim ROOT: what a test guest need not spend its boot on, as
# measured in its journal under TCG: modules no scenario uses, loaded
# ahead by modprobe@ units or for devices of the emulated PC (KVM for
# nested guests, IDE, cpufreq, PS/2), and the runlevel's utmp record.
sys_trim()
{
	local u m

	for u in modprobe@drm modprobe@efi_pstore modprobe@loop modprobe@dm_mod \
		 modprobe@fuse modprobe@configfs systemd-update-utmp-runlevel; do
		ln -sf /dev/null "$1/etc/systemd/system/$u.service" || return 1
	done
	# Debian enables kamailio.service: 25 processes on every address,
	# about 5 s of each guest's boot under TCG. sys-mark-rules-sip starts
	# the binary itself, on loopback with one child.
	ln -sf /dev/null "$1/etc/systemd/system/kamailio.service" || return 1
	for m in kvm kvm_amd kvm_intel ata_piix ata_generic pata_acpi \
		 powernow_k8 acpi_cpufreq i2c_piix4 psmouse serio_raw pcspkr \
		 floppy joydev evdev; do
		echo "blacklist $m"
	done >"$1/etc/modprobe.d/vw-test-guest.conf"
}

# sys_install IMAGE RELEASE...: the base with this tree's packages
# installed by dpkg in a chroot, as on a real machine: first the older
# build (debs-old), with an administrator's line added to its conffile,
# then this one as an upgrade, so that every guest boots a system
# upgraded from the previous version. DKMS builds the module at each
# step, natively, for each kernel of the image (in a chroot its postinst
# builds for every kernel in /lib/modules, since the host's uname -r is
# none of them): a DKMS build in a TCG guest took minutes. Then the
# runner's unit, and mke2fs -d writes IMAGE.
sys_install()
{
	local img=$1 tmp root rel ko size rc=0

	shift
	tmp=$(mktemp -d "$sys_cache/.image.XXXXXX") || return 1
	root=$tmp/root
	mkdir -p "$root" && tar -xf "$sys_base_tar" -C "$root" &&
	mkdir -p "$root/tmp/debs" "$root/tmp/debs-old" &&
	for d in debs debs-old; do
		cp "$build/$d"/voipwake_*.deb "$build/$d"/voipwake-dkms_*.deb \
			"$build/$d"/libvoipwake0_*.deb "$root/tmp/$d/" || rc=1
	done &&
	install -m644 "$sys_src/vw-runner.service" "$root/etc/systemd/system/" &&
	ln -sf ../vw-runner.service \
		"$root/etc/systemd/system/multi-user.target.wants/vw-runner.service" &&
	echo "LABEL=vw-run /vw ext4 rw,nofail 0 0" >>"$root/etc/fstab" &&
	sys_trim "$root" || rc=1
	# A private mount namespace: the chroot's /proc and /dev go with it.
	# shellcheck disable=SC2016 # expanded by the inner shell
	[ $rc -eq 0 ] && unshare -m --propagation private sh -c '
		mount -t proc proc "$1/proc" &&
		mount --rbind /dev "$1/dev" &&
		mount -t sysfs sysfs "$1/sys" &&
		chroot "$1" sh -ec "
			dpkg -i /tmp/debs-old/*.deb
			echo \"# added by the administrator\" >>/etc/voipwake/voipwaked.conf
			dpkg -i --force-confold /tmp/debs/*.deb"' sh "$root" \
		>"$tmp/dpkg.log" 2>&1 || rc=1
	for rel; do
		ko=$(find "$root/lib/modules/$rel/updates/dkms" -name 'voipwake.ko*' 2>/dev/null)
		[ -n "$ko" ] || { echo "no DKMS-built voipwake.ko for $rel" >>"$tmp/dpkg.log"; rc=1; }
	done
	if [ $rc -ne 0 ]; then
		tail -n 40 "$tmp/dpkg.log" >&2
		find "$root/var/lib/dkms" -name make.log -exec tail -n 20 {} \; >&2 2>/dev/null
		rm -rf "$tmp"
		return 1
	fi
	cp "$tmp/dpkg.log" "$build/system-install.log"
	rm -rf "$root/tmp/debs" "$root/tmp/debs-old"
	# Room for what scenarios write (packages, DKMS builds): 768 MiB.
	size=$(( $(du -sm "$root" | cut -f1) + 768 ))
	mke2fs -q -F -t ext4 -L vw-root -d "$root" "$tmp/image" "${size}M" \
		>/dev/null &&
		mv "$tmp/image" "$img"
	rc=$?
	rm -rf "$tmp"
	return $rc
}

# sys_stage REL: the run disk's tree for REL's guests: the runner, the
# guest libraries and scenarios (as /tests), the test programs, and both
# builds of the packages.
sys_stage()
{
	local st=$build/$1/system-stage f

	rm -rf "$st" && mkdir -p "$st/bin" "$st/tests" "$st/out" &&
	install -m755 "$sys_src/runner" "$st/runner" &&
	cp "$guest_src"/*.sh "$st/tests/" &&
	cp "$sys_src/lib.sh" "$st/tests/system.sh" &&
	cp -r "$scen_dir" "$st/tests/scenarios" &&
	cp -r "$build/debs" "$st/debs" && cp -r "$build/debs-old" "$st/debs-old" &&
	cp "$top/VERSION" "$st/VERSION" || return 1
	for f in "$top"/tests/progs/vw-* "$top"/tests/bench/vw-* \
		 "$top"/examples/voip-client "$top"/examples/voip-server; do
		[ -x "$f" ] && [ -f "$f" ] || continue
		install -m755 "$f" "$st/bin/" || return 1
	done
}

# sys_setup REL: everything a system guest of REL needs; the base and the
# image are built once for every kernel of the run.
sys_setup()
{
	local rels=() s r key

	# A failed image fails every kernel's tier at once: the second
	# kernel would only repeat the first's minutes of dpkg and DKMS.
	[ -n "$sys_failed" ] && return 1
	if [ -z "$sys_image" ]; then
		sys_cache=$cache/system
		mkdir -p "$sys_cache" || return 1
		for s in $VW_DEFAULT_KERNELS ${KERNELS:-}; do
			[ "$s" = "$VW_DEBUG_SERIES" ] && continue
			is_arm64 "$s" && continue
			r=$(vw_resolve_release "$s") || return 1
			printf '%s\n' "${rels[@]}" | grep -qxF "$r" || rels+=("$r")
		done
		sys_debs || { echo "# system tier: building the packages failed" >&2; sys_failed=1; return 1; }
		sys_base "${rels[@]}" || { sys_failed=1; return 1; }
		# What goes into the image: the base, the packages, the
		# runner's unit and the code that puts them together.
		key=$(sys_hash "$build"/debs/*.deb "$build"/debs-old/*.deb \
			"$sys_src/vw-runner.service" - \
			<<<"$sys_base_key $(declare -f sys_install sys_trim)")
		sys_image=$sys_cache/image-$key.ext4
		if [ ! -f "$sys_image" ]; then
			(
				flock 9
				[ -f "$sys_image" ] && exit 0
				sys_install "$sys_image" "${rels[@]}" || exit 1
				ls -t "$sys_cache"/image-*.ext4 | tail -n +4 | xargs -r rm -f
			) 9>"$sys_cache/image.lock" || { sys_image=; sys_failed=1; return 1; }
		fi
	fi
	sys_stage "$1"
}

# sys_boot TMO REL IMAGE DIR SCENARIO TIMEOUT: as boot() for the busybox
# guest: killed after TMO s plus the boot's allowance, its serial ports in
# DIR, and what the scenario left in /vw/out copied to DIR/out.
sys_boot()
{
	local tmo=$1 rel=$2 img=$3 dir=$4 rc st=$build/$2/system-stage size n
	local names

	size=$(( $(du -sm "$st" | cut -f1) + 64 ))
	mke2fs -q -F -t ext4 -O ^has_journal -L vw-run -d "$st" "$dir/run.img" \
		"${size}M" >/dev/null || return 1
	timeout -k 5 "$((tmo + sys_boot_timeout))" qemu-system-x86_64 \
		-nodefaults -no-user-config -display none -no-reboot \
		-accel "$accel" -m 1536 -smp 2 \
		-kernel "$cache/kernels/$rel/vmlinuz" \
		-append "root=/dev/nvme0n1 rw console=ttyS0 quiet no_timer_check panic=-1 oops=panic vw.scenario=$5 vw.timeout=$6 ${VW_GUEST_ENV:-}" \
		-drive "file=$img,if=none,id=root,format=raw,snapshot=on" \
		-device nvme,serial=vwroot,drive=root \
		-drive "file=$dir/run.img,if=virtio,format=raw" \
		-serial "file:$dir/console.log" -serial "file:$dir/output.log" \
		-serial "file:$dir/journal.log" \
		</dev/null >"$dir/qemu.log" 2>&1
	rc=$?
	# Each scenario's files, and the journal, where run_one would have
	# left them (a batch's DIR is its own).
	debugfs -R "rdump /out $dir" "$dir/run.img" >/dev/null 2>&1
	IFS=, read -ra names <<<"$5"
	for n in "${names[@]}"; do
		mkdir -p "$build/$rel/$n"
		[ "$dir" = "$build/$rel/$n" ] ||
			ln -sf "$dir/journal.log" "$build/$rel/$n/journal.log"
		[ -d "$dir/out/$n" ] && mv "$dir/out/$n" "$build/$rel/$n/files"
	done
	rm -rf "$dir/out" "$dir/run.img"
	return $rc
}

# sys_runs SERIES REL NAME...: the jobs of REL's system scenarios for
# run_all (runs[], pos[] and p are main's): VW_SYS_BATCH (default 3) to a
# guest, as they come; one with a "# vw-alone: REASON" line alone. A
# system guest costs its boot (30 to 60 s under TCG) before any
# scenario, and the runner resets the system between them.
sys_runs()
{
	local series=$1 rel=$2 n bsz=${VW_SYS_BATCH:-3} g=()

	shift 2
	[[ $bsz =~ ^[1-9][0-9]*$ ]] || die "VW_SYS_BATCH must be a positive number"
	for n in "$@" ""; do
		[ -z "$n" ] || sys_tier "$n" || continue
		if [ -n "$n" ] && { [ "$bsz" -eq 1 ] ||
		   [ "$series" = "$VW_DEBUG_SERIES" ] ||
		   grep -q '^# vw-alone: ' "$scen_dir/$n.sh"; }; then
			runs+=("$series $rel $n")
			pos+=($((p++)))
			continue
		fi
		[ -n "$n" ] && g+=("$n")
		[ ${#g[@]} -gt 0 ] || continue
		[ -z "$n" ] || [ ${#g[@]} -eq "$bsz" ] || continue
		runs+=("$series $rel $(IFS=,; echo "${g[*]}")")
		pos+=($((p++)))
		g=()
	done
}
