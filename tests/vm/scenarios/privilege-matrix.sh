# SPDX-License-Identifier: GPL-2.0
# vw-timeout: 180
# Every request from four kinds of caller: root, a plain user, a user
# owning a delegated cgroup, and a user in its own user and network
# namespace. privilege-matrix.rst (shown in Documentation/privileges.rst)
# says what each must get; vw-priv makes the requests.
. /tests/lib.sh
. /tests/app.sh
. /tests/adv.sh

TABLE=/tests/scenarios/privilege-matrix.rst

# delegate CGROUP: hand it to uid 1000 the way cgroup v2 delegation does.
delegate()
{
	chown 1000:1000 "$CG_ROOT/$1" "$CG_ROOT/$1/cgroup.freeze" \
		"$CG_ROOT/$1/cgroup.procs"
}

# check MODE COLUMN: vw-priv's lines for MODE against column COLUMN.
check()
{
	awk -v col="$2" -v mode="$1" '
	FNR == NR {
		if ($0 ~ /^=/) { rules++; next }
		if (rules != 2) next
		want[$1] = $col
		t = $0
		sub(/^[^ ]+ +[^ ]+ +[^ ]+ +[^ ]+ +[^ ]+ */, "", t)
		text[$1] = t
		next
	}
	$1 == "setup-mark-foreign" {
		if ($2 != "ok") { print mode ": setup: " $0; bad = 1 }
		next
	}
	{
		seen[$1] = 1
		ext = $0
		sub(/^[^ ]+ [^ ]+ ?/, "", ext)
		if (!($1 in want)) {
			print mode ": " $1 ": not in the table"; bad = 1
		} else if ($2 != want[$1]) {
			print mode ": " $1 ": expected " want[$1] ", got " $2 " (" ext ")"
			bad = 1
		} else if ($2 == "EPERM" && text[$1] != "" &&
			   index(ext, text[$1]) == 0) {
			print mode ": " $1 ": extack \"" ext "\" lacks \"" text[$1] "\""
			bad = 1
		} else {
			print "# " mode " " $1 " " $2 (ext != "" ? " (" ext ")" : "")
		}
	}
	END {
		for (k in want)
			if (!(k in seen)) { print mode ": " k ": no result"; bad = 1 }
		exit bad
	}' "$TABLE" "/tmp/priv-$1.out"
}

[ -w /proc/sys/kernel/unprivileged_userns_clone ] &&
	echo 1 >/proc/sys/kernel/unprivileged_userns_clone
vw_load min_keepalive_s=5
bad=0
col=2
for mode in root user delegate userns; do
	for cg in "p-$mode" "p-$mode-app" "p-$mode-foreign"; do
		cg_make "$cg" >/dev/null
	done
	case $mode in delegate|userns) delegate "p-$mode-app" ;; esac
	# The target is an app already, so that APP_GET finds it, and holds
	# a process, so that it stays one.
	sh -c "echo \$\$ >$CG_ROOT/p-$mode-app/cgroup.procs && exec sleep 1000" &
	sleepers="${sleepers:-} $!"
	wait_until 10 "a process in p-$mode-app" \
		grep -q '^populated 1' "$CG_ROOT/p-$mode-app/cgroup.events"
	vw-nlprobe app-set "$CG_ROOT/p-$mode-app" window=1000 >/dev/null ||
		fail "cannot make p-$mode-app an app"
	timeout 30 vw-priv "$mode" "$CG_ROOT/p-$mode" "$CG_ROOT/p-$mode-app" \
		"$CG_ROOT/p-$mode-foreign" >"/tmp/priv-$mode.out" 2>&1 ||
		fail "vw-priv $mode: $(cat "/tmp/priv-$mode.out")"
	check "$mode" "$col" || bad=1
	col=$((col + 1))
done
[ $bad -eq 0 ] || fail "the privilege matrix does not hold"
for mode in root user delegate userns; do
	voipwakectl foreground "p-$mode-app" >/dev/null
done
# shellcheck disable=SC2086
kill -9 $sleepers
vw_unload
