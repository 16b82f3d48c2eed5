#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Static checks of the module: checkpatch --strict on every kernel source
# and the UAPI header, then sparse (C=2) and W=1 against each target
# kernel's headers. Any finding fails; the output says which.

set -uo pipefail
top=$(cd "$(dirname "$0")/.." && pwd)
# shellcheck source=scripts/kernels.sh
. "$top/scripts/kernels.sh"

fails=0
src=$("$top/scripts/linux-source.sh") || exit 1

files=("$top"/kernel/*.[ch] "$top"/include/uapi/linux/*.h)
# --terse still prints a total per file; only the findings matter.
if out=$(perl "$src/scripts/checkpatch.pl" --no-tree --strict --terse \
		--show-types -f "${files[@]}" 2>&1) &&
   ! echo "$out" | grep -v '^total: 0 errors, 0 warnings, 0 checks' |
	grep -q .; then
	echo "ok   checkpatch --strict (${#files[@]} files)"
else
	echo "not ok checkpatch --strict"
	echo "$out" | sed 's/^/#   /'
	fails=$((fails + 1))
fi

for series in ${KERNELS:-$VW_DEFAULT_KERNELS}; do
	rel=$(vw_resolve_release "$series") || { fails=$((fails + 1)); continue; }
	dir=$top/build/static/$rel
	rm -rf "$dir" && mkdir -p "$dir"
	cp -r "$top/Kbuild" "$top/VERSION" "$top/kernel" "$top/include" "$dir/"
	if make -s -C "/lib/modules/$rel/build" M="$dir" C=2 W=1 modules \
		>"$dir/build.log" 2>&1 &&
	   ! grep -qE 'warning:|error:' "$dir/build.log"; then
		echo "ok   sparse C=2 W=1 $series"
	else
		echo "not ok sparse C=2 W=1 $series"
		grep -E 'warning:|error:' "$dir/build.log" | sed 's/^/#   /'
		fails=$((fails + 1))
	fi
done
[ $fails -eq 0 ]
