#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Runs apt-get or apt-cache against a private view of Debian's registry
# kept in the user cache: its own sources, lists and downloads. The host's
# apt sources, architectures and dpkg database stay as they are, so
# nothing here needs root, and another suite (sid) or architecture (arm64)
# never leaks into the host's upgrades.
#
#   scripts/apt-view.sh VIEW apt-get|apt-cache ARGS...
#   scripts/apt-view.sh VIEW path        the view's directory
#
# Views:
#   arm64   the host's own Debian suites (those its apt sources name) for
#           arm64, with amd64 as a second architecture: the arm64 cloud
#           kernels and headers (whose kbuild tools are amd64 programs),
#           busybox, and the libraries the cross-built userspace links.
#   newest  unstable (VW_NEWEST_SUITE, default sid), amd64: the newest
#           kernel source Debian has.
#
# The mirrors are the host's: each view takes the URIs the host's apt
# sources give for its Debian suites. Lists are refreshed when older than
# VW_APT_MAX_AGE seconds (default 6 h); when that fails and lists are
# there, the old ones serve, with a warning. Commands on one view take
# turns (a lock), so two users of the cache never mix their downloads.

set -euo pipefail
cache=${VOIPWAKE_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/voipwake}
keyring=/usr/share/keyrings/debian-archive-keyring.gpg

die() { echo "apt-view: $*" >&2; exit 1; }

[ $# -ge 2 ] || die "usage: apt-view.sh arm64|newest apt-get|apt-cache|path ARGS..."
view=$1
shift
dir=$cache/apt/$view

# host_repos: "URI SUITE" for each of the host's Debian suites.
host_repos()
{
	local codename

	codename=$(. /etc/os-release && echo "${VERSION_CODENAME:-}")
	[ -n "$codename" ] || die "no VERSION_CODENAME in /etc/os-release"
	# shellcheck disable=SC2016 # apt's own $(FIELD)s, not the shell's
	apt-get indextargets --format '$(REPO_URI) $(RELEASE)' 2>/dev/null |
		awk -v c="$codename" '$2 == c || index($2, c "-") == 1' |
		sort -u
}

# sources: the view's sources.list on stdout.
sources()
{
	local uri suite codename

	case $view in
	arm64)
		host_repos | while read -r uri suite; do
			echo "deb [arch=arm64,amd64 signed-by=$keyring] $uri $suite main"
		done ;;
	newest)
		codename=$(. /etc/os-release && echo "$VERSION_CODENAME")
		host_repos | awk -v c="$codename" '$2 == c { print $1 }' |
		while read -r uri; do
			echo "deb [arch=amd64 signed-by=$keyring] $uri ${VW_NEWEST_SUITE:-sid} main"
		done ;;
	*) die "unknown view '$view' (arm64 or newest)" ;;
	esac
}

setup()
{
	local arch=amd64 list

	[ "$view" = arm64 ] && arch=arm64
	mkdir -p "$dir/state/lists/partial" "$dir/cache/archives/partial" \
		"$dir/etc/sources.list.d" "$dir/etc/preferences.d" || exit 1
	: >>"$dir/state/status"
	list=$(sources)
	[ -n "$list" ] || die "the host's apt sources name no Debian suite"
	if [ "$list" != "$(cat "$dir/etc/sources.list" 2>/dev/null)" ]; then
		echo "$list" >"$dir/etc/sources.list"
		rm -f "$dir/state/.updated"
	fi
	# The host's apt.conf.d stays in force (a proxy, say); only where
	# apt looks and which architectures it takes are the view's.
	cat >"$dir/etc/apt.conf" <<EOF
Dir::State "$dir/state";
Dir::State::status "$dir/state/status";
Dir::Cache "$dir/cache";
Dir::Etc::SourceList "$dir/etc/sources.list";
Dir::Etc::SourceParts "$dir/etc/sources.list.d";
Dir::Etc::Preferences "$dir/etc/preferences";
Dir::Etc::PreferencesParts "$dir/etc/preferences.d";
APT::Architecture "$arch";
APT::Architectures { "$arch"; $([ "$arch" = arm64 ] && echo '"amd64";') };
APT::Sandbox::User "root";
Acquire::Languages "none";
EOF
	export APT_CONFIG=$dir/etc/apt.conf
}

update()
{
	local age=${VW_APT_MAX_AGE:-21600} stamp=$dir/state/.updated

	if [ -f "$stamp" ] &&
	   [ $(($(date +%s) - $(stat -c %Y "$stamp"))) -lt "$age" ]; then
		return 0
	fi
	echo "apt-view: updating the $view lists" >&2
	if apt-get update -qq >"$dir/update.log" 2>&1; then
		touch "$stamp"
	elif [ -f "$stamp" ]; then
		echo "apt-view: updating the $view lists failed; the old ones" \
		     "serve ($dir/update.log)" >&2
	else
		cat "$dir/update.log" >&2
		die "cannot update the $view lists"
	fi
}

[ "$1" = path ] && { echo "$dir"; exit 0; }
mkdir -p "$dir" || die "cannot create $dir"
exec 9>"$dir.lock"
flock 9
setup
update
case $1 in
# apt.conf.d is read after APT_CONFIG, and a container image's may turn
# the binary caches off: every call would parse the lists again (3 s).
apt-get|apt-cache) exec "$1" -o Dir::Cache::pkgcache=pkgcache.bin \
	-o Dir::Cache::srcpkgcache=srcpkgcache.bin "${@:2}" ;;
*) die "apt-get or apt-cache, not '$1'" ;;
esac
