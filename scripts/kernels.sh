# SPDX-License-Identifier: GPL-2.0
# shellcheck shell=bash
#
# Sourced: maps a kernel series ("6.1", "6.12") to the newest Debian cloud
# kernel release that the configured apt sources offer, with headers.
# Resolving instead of pinning keeps the harness working after Debian
# publishes a new ABI and retires the old one.

VW_DEFAULT_KERNELS="6.1 6.12"

# Not a Debian series: the debug + KUnit kernel that scripts/debug-kernel.sh
# builds from linux-source. tests/vm/run knows it; nothing here resolves it.
VW_DEBUG_SERIES=debug

# The arm64 cloud kernels, as series "arm64-6.1" and "arm64-6.12": from
# a private apt view of the registry (scripts/apt-view.sh), since the
# host need not have arm64 among its architectures.
VW_ARM64_KERNELS="arm64-6.1 arm64-6.12"
vw_scripts=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)

# Print the release (e.g. 6.1.0-56-cloud-amd64) for series $1. A full
# release passed in is returned unchanged, so KERNELS=6.1.0-55-cloud-amd64
# pins one on purpose.
vw_resolve_release()
{
	local series=$1 re rel arch=amd64 apt_cache=(apt-cache)

	case $series in
	*-cloud-amd64|*-cloud-arm64) echo "$series"; return 0 ;;
	arm64-*)
		series=${series#arm64-}
		arch=arm64
		apt_cache=("$vw_scripts/apt-view.sh" arm64 apt-cache) ;;
	"$VW_DEBUG_SERIES")
		echo "'$series' is built, not fetched: scripts/debug-kernel.sh" \
		     "prints its tree" >&2
		return 1 ;;
	esac
	re="^linux-image-${series//./\\.}[.-][0-9][^ ]*-cloud-$arch\$"
	for rel in $("${apt_cache[@]}" pkgnames "linux-image-$series" 2>/dev/null |
		     grep -E "$re" | sed -e 's/^linux-image-//' | sort -rV); do
		if "${apt_cache[@]}" show --no-all-versions "linux-image-$rel" \
			>/dev/null 2>&1 &&
		   "${apt_cache[@]}" show --no-all-versions "linux-headers-$rel" \
			>/dev/null 2>&1; then
			echo "$rel"
			return 0
		fi
	done
	echo "no Debian cloud-$arch kernel for series $series in the apt lists" \
	     "(is 'apt-get update' needed?)" >&2
	return 1
}
