# SPDX-License-Identifier: GPL-2.0
# vw-tier: system
# vw-timeout: 150
#
# Issue 19 with unmodified programs from Debian: mosquitto_sub
# (mosquitto-clients), subscribed to Debian's mosquitto broker over TCP,
# runs as a system service that links no libvoipwake. Its file gives
# voipwaked the rule MarkSockets=tcp:1883: backgrounded, its connection is
# marked by voipwaked.service, and a message published while it is
# frozen wakes it; it prints the message and is frozen again.
. /tests/lib.sh
. /tests/app.sh
. /tests/system.sh

unit=vwtest-mqtt.service
systemctl start mosquitto.service || fail "cannot start Debian's mosquitto"
wait_until 30 "mosquitto listening" eval \
	"mosquitto_pub -h 127.0.0.1 -t vw/probe -m x 2>/dev/null"
set_param wake_window_ms 1000

printf '[app]\nCgroup = %s\nMarkSockets = tcp:1883\n' "$(sys_unit_cg $unit)" \
	>/etc/voipwake/apps.d/mqtt.conf
n=$(journalctl -b -u voipwaked -o cat | grep -c 'configuration: ')
systemctl reload voipwaked || fail "systemctl reload voipwaked"
wait_until 30 "voipwaked took apps.d/mqtt.conf" eval \
	"[ \$(journalctl -b -u voipwaked -o cat | grep -c 'configuration: ') -gt $n ]"

rm -f "$APP_DIR/mqtt.out"
systemd-run --quiet --collect --unit=$unit \
	-p StandardOutput="file:$APP_DIR/mqtt.out" -p StandardError=inherit \
	mosquitto_sub -h 127.0.0.1 -t vw/test -v || fail "systemd-run $unit"
# Subscribed once a message reaches it.
wait_until 30 "mosquitto_sub subscribed" eval \
	"mosquitto_pub -h 127.0.0.1 -t vw/test -m hello0 &&
	 grep -q '^vw/test hello0' $APP_DIR/mqtt.out"
cg=$(unit_cgroup $unit)

voipwakectl background "$(cg_rel "$cg")"
wait_cg_frozen "$cg"
wait_until 20 "voipwaked marked its connection" journal_has voipwaked \
	'app mqtt: marked 1 socket\(s\) by MarkSockets='
log "$(journalctl -b -u voipwaked -o cat | grep 'app mqtt: marked' | tail -n1)"

mosquitto_pub -h 127.0.0.1 -t vw/test -m hello1 || fail "mosquitto_pub"
wait_for "$APP_DIR/mqtt.out" '^vw/test hello1' 10
wait_cg_frozen "$cg"
log "mosquitto_sub woken by its broker, printed the message, frozen again"

systemctl stop $unit
rm /etc/voipwake/apps.d/mqtt.conf
