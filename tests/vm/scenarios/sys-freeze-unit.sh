# SPDX-License-Identifier: GPL-2.0
# vw-tier: system
# vw-timeout: 150
#
# systemd's freezer and voipwake on one cgroup: the app's unit IS its
# cgroup, and "systemctl freeze" writes the same cgroup.freeze bit that
# voipwake writes. The semantics (Documentation/admin-guide.rst, "systemd's
# freezer"): an administrator's freeze wins, and voipwake never thaws a
# unit systemd froze; a wake that comes meanwhile is held and delivered
# when systemd thaws it; and systemd's thaw ends systemd's freeze only: an
# app voipwake holds in the background is frozen again, without another
# wake. Both orders:
#
#   A: voipwake backgrounds the app, then systemctl freeze, data, thaw;
#   B: systemctl freeze first, then voipwake backgrounds it, data, thaw.
#
# B and every thaw the module sees by itself (the unit's own bit against
# what voipwake last wrote). A it cannot: systemd finds the cgroup frozen
# already and writes nothing. voipwaked passes on the unit's FreezerState
# (APP_HELD). systemd 256 and later announce its change on the bus; 252
# announces nothing, and voipwaked reads it at the next write to the
# unit's cgroup.freeze: voipwake's own thaw for the first wake. So on
# 252 that wake runs the app for a moment, voipwaked is told, the module
# freezes it again at once, and every later wake is held until systemd's
# thaw. Where voipwaked was told before the wake, the first is held too.
. /tests/lib.sh
. /tests/app.sh
. /tests/system.sh

unit=vwtest-phone.service

# told: voipwaked passed systemd's freeze of the unit on to the module.
told()
{
	[ "$(journalctl -b -q -o cat -u voipwaked |
		grep -c "systemd froze $unit")" -gt "$told0" ]
}

freezer_state()
{
	unit_prop $unit FreezerState
}

set_param wake_window_ms 1000
vwd_allow phone "$(sys_unit_cg $unit)"
peer_start
sys_app $unit
peer_connected
total=0

# bg_stands WHAT: after systemd's thaw, voipwake's background must
# stand: the app frozen again once its wake's window is over, without
# another wake.
bg_stands()
{
	wait_until_quiet 5 cgroup_frozen "$APP_CG" ||
		fail "$1: systemctl thaw undid voipwake's freeze of the background app"
	log "$1: frozen in voipwake's background after systemd's thaw"
}

# data_while_frozen ORDER: data arrives while systemd holds the unit
# frozen; the app must not run until systemd thaws it, and must get
# the data after.
data_while_frozen()
{
	total=$((total + 100))
	peer send 100 >/dev/null
	sleep 3
	if [ "$1" = A ] && ! grep -q "^recv .*total=$total " "$APP_DIR/app.out" &&
	   ! told; then
		fail "A: no wake came through, yet voipwaked was never told of systemd's freeze"
	elif [ "$1" = A ] && grep -q "^recv .*total=$total " "$APP_DIR/app.out"; then
		# systemd said nothing: the wake's thaw was the news.
		told || fail "A: voipwake thawed $unit, which systemd froze, and voipwaked was not told"
		wait_cg_frozen "$APP_CG" 5
		log "A: systemd $(systemctl --version | sed -n '1s/^systemd \([0-9]*\).*/\1/p') announced nothing; the first wake's thaw told voipwaked, and $unit was frozen again"
		total=$((total + 100))
		peer send 100 >/dev/null
		sleep 3
	fi
	grep -q "^recv .*total=$total " "$APP_DIR/app.out" &&
		fail "$1: voipwake thawed $unit, which systemd froze (FreezerState=$(freezer_state))"
	cgroup_frozen "$APP_CG" ||
		fail "$1: $unit runs while systemd holds it frozen (FreezerState=$(freezer_state))"
	log "$1: data held while systemd holds $unit frozen"
	expect_eq "$1: FreezerState before thaw" frozen "$(freezer_state)"
	systemctl thaw $unit || fail "systemctl thaw $unit"
	expect_eq "$1: FreezerState after thaw" running "$(freezer_state)"
	# Not lost: delivered once systemd has thawed it.
	wait_for "$APP_DIR/app.out" "^recv .*total=$total " 10
	log "$1: data delivered after systemd's thaw"
}

# A: voipwake first.
voipwakectl background "$(cg_rel "$APP_CG")"
wait_cg_frozen "$APP_CG"
# grep -c says 0 and exits 1 when nothing matched.
told0=$(journalctl -b -q -o cat -u voipwaked | grep -c "systemd froze $unit" || true)
systemctl freeze $unit || fail "systemctl freeze $unit"
# What voipwaked may be told comes as a D-Bus signal: a moment for it.
wait_until_quiet 3 told || true
expect_eq "A: FreezerState" frozen "$(freezer_state)"
data_while_frozen A
bg_stands A

# A': systemd's freeze and thaw with no wake in between must leave
# voipwake's freeze as it was.
systemctl freeze $unit
systemctl thaw $unit
bg_stands "A'"

# B: systemd first, on an app in the foreground.
voipwakectl foreground "$(cg_rel "$APP_CG")"
wait_cg_thawed "$APP_CG"
systemctl freeze $unit || fail "systemctl freeze $unit"
wait_cg_frozen "$APP_CG"
voipwakectl background "$(cg_rel "$APP_CG")"
data_while_frozen B
bg_stands B

# Whatever happened, the app ends in a state both agree on, its stream
# whole.
voipwakectl foreground "$(cg_rel "$APP_CG")"
wait_cg_thawed "$APP_CG"
expect_eq "FreezerState at the end" running "$(freezer_state)"
crc=$(peer crc)
peer close >/dev/null
wait_for "$APP_DIR/app.out" '^(eof|recv-error)' 10
expect_eq "crc of the stream" "$(field "$crc" crc)" \
	"$(field "$(grep -E '^(eof|recv-error)' "$APP_DIR/app.out")" crc)"
