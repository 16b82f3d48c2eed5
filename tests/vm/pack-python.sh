# SPDX-License-Identifier: GPL-2.0
# shellcheck shell=bash
#
# Sourced by the tests/vm/pack-* scripts, which make cpio archives to
# append to a guest's initramfs (the kernel unpacks concatenated archives
# in turn) for the scenarios that say "# vw-needs: NAME".
#
# py_pack ROOT DIR < CODE: runs the Python CODE in DIR with Debian's
# python3, CODE importing whatever the guest will run; then copies into
# ROOT the interpreter, every module it has loaded from /usr/ (with its
# compiled .pyc, mtimes kept, so that the guest does not compile
# megabytes of Python under TCG), every other existing file CODE printed
# (one path a line), and the shared libraries all of them need. A module
# the guest imports only later, on some path, would be missing, and its
# scenario would fail with an ImportError rather than pass wrongly.
#
# pack_libs ROOT FILE...: each FILE's shared libraries, at the paths the
# guest's dynamic loader looks for them.
#
# With PACK_ARCH=arm64, py_pack takes the arm64 build of each of those
# files from an arm64 sysroot instead (scripts/arm64-sysroot.sh --python).
#
# pack_cpio ROOT: ROOT as a cpio archive on stdout.

PY=/usr/bin/python3

pack_libs()
{
	local root=$1 f lib

	shift
	for f in "$@"; do
		for lib in $(ldd "$f" 2>/dev/null |
			     awk '/=> \// { print $3 } /^\t\// { print $1 }'); do
			[ -e "$root$lib" ] ||
				install -D -m755 "$(readlink -f "$lib")" "$root$lib"
		done
	done
}

py_pack()
{
	local root=$1 dir=$2 files bin f

	[ -x "$PY" ] || { echo "pack: no $PY (scripts/deps.sh vm)" >&2; return 1; }
	files=$(cd "$dir" && { cat; cat <<'EOF'

import importlib.util as _iu, sys as _sys
for _m in list(_sys.modules.values()):
    _f = getattr(_m, '__file__', None)
    if not _f or not _f.startswith('/usr/'):
        continue
    print(_f)
    if _f.endswith('.py'):
        print(_iu.cache_from_source(_f))
EOF
	} | "$PY" -) || return 1
	bin=$(readlink -f "$PY")
	if [ "${PACK_ARCH:-}" = arm64 ]; then
		py_pack_arm64 "$root" $files "$bin"
		return
	fi
	for f in $files "$bin"; do
		[ -e "$f" ] || continue
		mkdir -p "$root${f%/*}"
		cp -p "$f" "$root$f"
		case $f in *.py|*.pyc|*.typelib) continue ;; esac
		pack_libs "$root" "$f"
	done
	ln -sf "${bin##*/}" "$root/usr/bin/python3"
}

# py_pack_arm64 ROOT FILE...: the arm64 twin of each host FILE, at the
# host's path, with the shared libraries each needs.
py_pack_arm64()
{
	local root=$1 f a arm64_sysroot arm64_top=/nonexistent

	shift
	arm64_sysroot=$("$top/scripts/arm64-sysroot.sh" --python) || return 1
	# shellcheck source=tests/vm/arm64.sh
	. "$top/tests/vm/arm64.sh"
	for f; do
		case $f in */__pycache__/*) continue ;; esac
		a=$arm64_sysroot${f//x86_64-linux-gnu/aarch64-linux-gnu}
		case $f in
		# Pure Python that no arm64 package has (the host's
		# setuptools hooks its .pth into every start) is the host's.
		*.py) [ -e "$a" ] || a=$f
		      install -D -p -m644 "$a" "$root$f" ;;
		*) [ -e "$a" ] || { echo "pack: no arm64 ${a#"$arm64_sysroot"}" >&2; return 1; }
		   arm64_copy_with_libs "$root" "$(readlink -f "$a")" "${a#"$arm64_sysroot"}" ;;
		esac
	done
	ln -sf "${bin##*/}" "$root/usr/bin/python3"
	# Bytecode is the same on every architecture: compiled here, with the
	# sources' times kept, it spares the guest compiling under TCG.
	"$PY" -m compileall -q "$root/usr/lib" >/dev/null
}

pack_cpio()
{
	(cd "$1" && find . | LC_ALL=C sort | cpio -o -H newc --quiet)
}
