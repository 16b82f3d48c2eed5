# SPDX-License-Identifier: GPL-2.0
# vw-tier: system
# vw-timeout: 150
#
# Issue 19 with an unmodified SIP phone from Debian: baresip (baresip-core),
# registered with Debian's kamailio once over TCP (account alice) and once
# over UDP (account carol), runs as a system service that links no
# libvoipwake. Its file gives voipwaked the rules MarkSockets=tcp:5060
# udp:local:5062: backgrounded, its registration's TCP connection and its
# UDP socket are marked by voipwaked.service. A second baresip (the
# caller, no app) calls each account while the phone is frozen: the
# INVITE wakes it (a data wake, not a keep-alive), it answers (the caller
# sees the 200 OK) and it is frozen again after its window.
#
# kamailio runs its default kamailio.cfg with WITH_NAT defined: baresip's
# TCP Contact names its listener, not the connection it registered over,
# and without NAT handling kamailio would open a new connection to that
# listener for the INVITE; a socket accepted there is one no rule marks
# (listeners never are). With it, kamailio sends the INVITE down the
# registration's connection, as a phone behind NAT needs anyway.
. /tests/lib.sh
. /tests/app.sh
. /tests/system.sh

unit=vwtest-sip.service
caller=vwtest-sip-caller.service
kam=vwtest-kamailio.service
dir=$APP_DIR/sip
out=$APP_DIR/sip.out
cout=$APP_DIR/sip-caller.out

# baresip_conf DIR PORT [LINE...]: a headless baresip: SIP on 127.0.0.1
# (PORT for UDP and the TCP listener), G.711, a sine as the microphone and
# no sound card; ausine makes 48 kHz stereo only.
baresip_conf()
{
	mkdir -p "$1"
	{
		printf '%s\n' 'poll_method epoll' "sip_listen 127.0.0.1:$2" \
			'net_interface 127.0.0.1' \
			'audio_player aufile,/dev/null' 'audio_source ausine,440' \
			'audio_alert aufile,/dev/null' \
			'ausrc_srate 48000' 'auplay_srate 48000' 'ausrc_channels 2' \
			'module_path /usr/lib/baresip/modules' \
			'module g711.so' 'module ausine.so' 'module aufile.so' \
			'module_app account.so' 'module_app menu.so'
		shift 2
		[ $# -eq 0 ] || printf '%s\n' "$@"
	} >"$1/config"
}

# caller_cmd CMD: a command to the caller, through its console (cons).
caller_cmd()
{
	bash -c 'printf "%s\n" "$1" >/dev/udp/127.0.0.1/5555' sh "$1" ||
		fail "caller console: $1"
}

app_count()
{
	voipwakectl status -j | grep "\"cgroup\": \"/$(cg_rel "$cg")\"" |
		grep -o "\"$1\": [0-9]*" | sed 's/.*: //'
}

systemd-run --quiet --collect --unit=$kam -p User=kamailio -p Group=kamailio \
	-p RuntimeDirectory=kamailio \
	kamailio -DD -E -A WITH_NAT -n 1 -m 32 -M 4 \
	-l udp:127.0.0.1:5060 -l tcp:127.0.0.1:5060 ||
	fail "systemd-run $kam"
wait_until 30 "kamailio listening" eval \
	"ss -Hlnt 'sport = 5060' | grep -q . && ss -Hlnu 'sport = 5060' | grep -q ."
set_param wake_window_ms 1000
vwd_allow sip "$(sys_unit_cg $unit)" 'MarkSockets = tcp:5060 udp:local:5062'

baresip_conf "$dir/phone" 5062
printf '%s\n' '<sip:alice@127.0.0.1;transport=tcp>;answermode=auto;regint=600' \
	'<sip:carol@127.0.0.1>;answermode=auto;regint=600' >"$dir/phone/accounts"
baresip_conf "$dir/caller" 5064 'module_app cons.so' \
	'cons_listen 127.0.0.1:5555'
echo '<sip:bob@127.0.0.1>;regint=0' >"$dir/caller/accounts"

# stdbuf: baresip logs with stdio, which a file would buffer.
rm -f "$out" "$cout"
systemd-run --quiet --collect --unit=$unit \
	-p StandardOutput="file:$out" -p StandardError=inherit \
	stdbuf -oL baresip -f "$dir/phone" || fail "systemd-run $unit"
systemd-run --quiet --collect --unit=$caller \
	-p StandardOutput="file:$cout" -p StandardError=inherit \
	stdbuf -oL baresip -f "$dir/caller" || fail "systemd-run $caller"
wait_for "$out" 'alice@127.0.0.1: \{0/TCP/v4\} 200 OK' 30
wait_for "$out" 'carol@127.0.0.1: \{0/UDP/v4\} 200 OK' 30
wait_for "$cout" '^baresip is ready' 30
log "baresip registered over TCP and UDP"
cg=$(unit_cgroup $unit)

voipwakectl background "$(cg_rel "$cg")"
wait_cg_frozen "$cg"
wait_until 20 "voipwaked marked its two sockets" journal_has voipwaked \
	'app sip: marked 2 socket\(s\) by MarkSockets='
log "$(journalctl -b -u voipwaked -o cat | grep 'app sip: marked' | tail -n1)"

# ring WHO TRANSPORT: a call to WHO while the phone is frozen.
ring()
{
	cgroup_frozen "$cg" || fail "phone not frozen before calling $1"
	_d0=$(app_count wakes_data)
	_k0=$(app_count wakes_keepalive)
	caller_cmd "/dial sip:$1@127.0.0.1"
	wait_for "$out" "$1@127.0.0.1: Call established: sip:bob@" 20
	wait_for "$cout" "Call established: sip:$1@127.0.0.1" 20
	wait_until 10 "kamailio saw the 200 OK" journal_has vwtest-kamailio \
		"transaction answered: .*method=INVITE;.*;code=200;.*dst_ouser=$1;"
	_d1=$(app_count wakes_data)
	[ "$_d1" -gt "$_d0" ] ||
		fail "$2: no data wake for the INVITE ($_d0 -> $_d1)"
	expect_eq "$2: keep-alive wakes" "$_k0" "$(app_count wakes_keepalive)"
	log "$2: woken by the INVITE (wakes_data $_d0 -> $_d1), answered"
	caller_cmd /hangup
	wait_until 20 "$1 answered the BYE" journal_has vwtest-kamailio \
		"transaction answered: .*method=BYE;.*;code=200;.*dst_ouser=$1;"
	wait_cg_frozen "$cg"
	log "$2: frozen again"
}

ring alice TCP
ring carol UDP

systemctl stop $caller $unit $kam
rm /etc/voipwake/apps.d/sip.conf
