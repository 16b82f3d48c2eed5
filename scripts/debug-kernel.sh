#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Prints the path of the debug + KUnit kernel's build tree, building it on
# first use: the newest kernel source Debian offers (scripts/newest-source.sh:
# linux-source-X.Y from sid) configured as tinyconfig + kvm_guest.config +
# tests/kunit/debug.config (KASAN, UBSAN, lockdep, kmemleak, debugobjects,
# KUnit). Debian's own cloud kernels cover 6.1 and 6.12 already; this one
# puts the whole suite and KUnit, with every checker, on the newest
# upstream series, at the cost of one build either way. The tree serves as
# KDIR for out-of-tree modules (make -C TREE M=DIR modules) and holds the
# image at arch/x86/boot/bzImage.
#
#   scripts/debug-kernel.sh        progress on stderr, the path on stdout
#
# Environment:
#   VOIPWAKE_CACHE  where the tree is kept (default
#                   ${XDG_CACHE_HOME:-~/.cache}/voipwake), as
#                   debug-kernel/SOURCE_VERSION-FRAGMENT_SHA
#   VW_JOBS         parallel jobs (default: nproc)
#   VW_DEBUG_SOURCE newest (default), or installed: Debian's installed
#                   linux-source-6.12 (scripts/linux-source.sh), the
#                   debug kernel as it was before it moved to the newest
#                   series; each is a tree of its own in the cache
#
# The tree is keyed by the source package's version and the fragment's
# contents, so editing debug.config or upgrading linux-source builds a new
# tree instead of patching an old one. It counts as built only once the
# .complete stamp exists, written last: an interrupted build is resumed
# (make is incremental), never used.

set -uo pipefail
top=$(cd "$(dirname "$0")/.." && pwd)
frag=$top/tests/kunit/debug.config
cache=${VOIPWAKE_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/voipwake}

say() { echo "debug-kernel: $*" >&2; }
die() { say "$*"; exit 1; }

case ${VW_DEBUG_SOURCE:-newest} in
newest) src=$("$top/scripts/newest-source.sh") || die "no kernel source" ;;
installed) src=$("$top/scripts/linux-source.sh") || die "no kernel source" ;;
*) die "VW_DEBUG_SOURCE is 'newest' or 'installed', not '$VW_DEBUG_SOURCE'" ;;
esac
[ -f "$frag" ] || die "no config fragment at $frag"
ver=${src##*/}
ver=${ver#linux-source-*-}
sha=$(sha256sum "$frag" | cut -c1-12)
dir=$cache/debug-kernel/$ver-$sha
log=$dir/build.log

if [ -f "$dir/.complete" ]; then
	echo "$dir"
	exit 0
fi

mkdir -p "$dir" || die "cannot create $dir"
# Two runs at once (make kunit next to a debug vmtest) must not build
# into the same tree; the second waits and then finds it complete.
exec 9>"$dir/.lock"
flock 9
if [ -f "$dir/.complete" ]; then
	echo "$dir"
	exit 0
fi

kmake() { make -C "$src" O="$dir" "$@" >>"$log" 2>&1; }

fail()
{
	say "$*; the end of $log:"
	tail -n 40 "$log" | sed 's/^/    /' >&2
	exit 1
}

# lost_symbols FRAGMENT CONFIG: every line of FRAGMENT that CONFIG does
# not honour. olddefconfig drops a symbol whose dependencies are unmet
# without a word; this is the word.
lost_symbols()
{
	local line sym

	while IFS= read -r line; do
		case $line in
		CONFIG_*=*)
			grep -qxF -- "$line" "$2" || echo "  $line (have: $(grep -E "^(# )?${line%%=*}[= ]" "$2" || echo absent))"
			;;
		"# CONFIG_"*" is not set")
			sym=${line#\# }
			sym=${sym%% *}
			if grep -qE "^$sym=" "$2"; then
				echo "  $line (have: $(grep -E "^$sym=" "$2"))"
			fi
			;;
		esac
	done <"$1"
}

t0=$(date +%s)
: >"$log"
say "building in $dir ($(nproc) cpus; log: $log)"

say "configuring: tinyconfig + kvm_guest.config + ${frag#"$top"/}"
kmake tinyconfig || fail "make tinyconfig failed"
"$src/scripts/kconfig/merge_config.sh" -m -O "$dir" "$dir/.config" \
	"$src/kernel/configs/kvm_guest.config" "$frag" >>"$log" 2>&1 ||
	fail "merge_config.sh failed"
kmake olddefconfig || fail "make olddefconfig failed"
lost=$(lost_symbols "$frag" "$dir/.config")
if [ -n "$lost" ]; then
	say "these settings of ${frag#"$top"/} did not survive olddefconfig" \
	    "(unmet dependencies?):"
	echo "$lost" >&2
	exit 1
fi

say "compiling bzImage and modules (the first time takes a while)"
kmake -j"${VW_JOBS:-$(nproc)}" bzImage modules || fail "the kernel build failed"
for f in arch/x86/boot/bzImage Module.symvers include/config/kernel.release \
	 scripts/mod/modpost; do
	[ -e "$dir/$f" ] || fail "the build left no $f"
done

touch "$dir/.complete"
say "built $(cat "$dir/include/config/kernel.release") in $(($(date +%s) - t0))s"
echo "$dir"
