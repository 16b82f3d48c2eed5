#!/usr/bin/python3
# SPDX-License-Identifier: MIT
"""voip-client.py [-k SECONDS] [-u USER] HOST PORT

The signalling side of a VoIP app in Python, the voipwake way: the twin
of voip-client.c, through libvoipwake-glib's introspection data
(PyGObject) and GLib's main loop. It registers over TCP, marks its
connection and asks for a keep-alive. In the background it is frozen:
an INVITE wakes it, it answers and says done; on a keep-alive it sends
an RFC 5626 ping (CRLF CRLF), and says done once the pong (CRLF) is in.
One line on stdout per thing that happens; it exits when the server
hangs up. voip-server.c is its server.
"""

import argparse
import sys

import gi
gi.require_version('Voipwake', '1.0')
from gi.repository import Gio, GLib, Voipwake  # noqa: E402

PONG_WAIT_S = 5


def say(text):
    print(text, flush=True)


class Client:
    def __init__(self, host, port, user, keepalive):
        self.loop = GLib.MainLoop()
        conn = Gio.SocketClient().connect_to_host(host, port, None)
        say(f'connected to {host} port {port}')
        self.conn = conn
        self.out = conn.get_output_stream()
        self.lines = Gio.DataInputStream.new(conn.get_input_stream())
        self.lines.set_newline_type(Gio.DataStreamNewlineType.CR_LF)
        self.answered = False     # an INVITE was answered: say done
        self.pong_timer = 0       # a ping is out: done once its pong is in

        # The bargain: mark the signalling socket, ask for a keep-alive.
        self.vw = Voipwake.Client.new(None)
        self.vw.mark_socket(conn.get_socket(), Voipwake.WakeOn.DEFAULT)
        say(f'marked: app {self.vw.get_status().cgroup_id}')
        self.vw.connect('woken', self.on_woken)
        self.vw.connect('keepalive-due', self.on_keepalive)
        # iOS's applicationDidEnterBackground / WillEnterForeground.
        self.vw.connect('backgrounded', lambda vw: say(
            'backgrounded: frozen but for wakes'))
        self.vw.connect('foregrounded', lambda vw: say(
            'foregrounded: running freely'))
        self.vw.connect('unmarked', lambda vw, sock, ino: say(
            f'unmarked: socket {ino} wakes the app no more'))
        if keepalive:
            self.vw.set_keepalive(keepalive)
            say(f'keep-alive: every {keepalive} s at most')
        self.send(f'REGISTER {user}\r\n')
        say(f'register: sent as {user}')
        self.read_line()

    def send(self, text):
        self.out.write_all(text.encode(), None)

    def read_line(self):
        self.lines.read_line_async(GLib.PRIORITY_DEFAULT, None,
                                   self.on_line)

    def on_line(self, lines, result):
        try:
            line, _ = lines.read_line_finish_utf8(result)
        except GLib.Error as e:
            say(f'receive failed: {e.message}')
            line = None
        if line is None:
            say('server closed the connection')
            self.loop.quit()
            return
        if line == '':
            say('keep-alive: pong')
            if self.pong_timer:
                GLib.source_remove(self.pong_timer)
                self.pong_timer = 0
                self.answered = True
        elif line.startswith('INVITE '):
            say(f'invite: {line}')
            self.send('180 Ringing\r\n')
            self.send('200 OK\r\n')     # a real phone would ring
            say('answered: 180 Ringing, 200 OK')
            self.answered = True
        elif line == '200 OK':
            say('registered')
        else:
            say(f'server: {line}')
        # Lines already buffered here are invisible to the module: a done
        # now would leave them unread until the next wake.
        if self.answered and self.lines.get_available() == 0:
            self.done()
        self.read_line()

    def on_woken(self, vw, reason, sock, nbytes, keepalive):
        also = (', the keep-alive is due too'
                if keepalive and reason != Voipwake.WakeReason.KEEPALIVE
                else '')
        say(f'woken: {reason.value_nick}{also}')

    def on_keepalive(self, vw):
        self.send('\r\n\r\n')
        say('keep-alive: ping sent')
        if not self.pong_timer:
            self.pong_timer = GLib.timeout_add_seconds(PONG_WAIT_S,
                                                       self.no_pong)

    def no_pong(self):
        say('keep-alive: no pong')
        self.pong_timer = 0
        self.done()
        return GLib.SOURCE_REMOVE

    # Frozen again at once: done() returns at the next wake.
    def done(self):
        self.answered = False
        say('done')
        try:
            self.vw.done()
            say('resumed')
        except GLib.Error as e:
            if e.matches(Voipwake.error_quark(), Voipwake.Error.NOT_AWAKE):
                say('done refused: not in a wake window (foreground?)')
            elif e.matches(Voipwake.error_quark(), Voipwake.Error.STALE):
                say('done refused: a keep-alive came first')
            else:
                say(f'done refused: {e.message}')


def main():
    ap = argparse.ArgumentParser(description='A VoIP-style client that '
                                 'voipwake freezes and wakes.')
    ap.add_argument('-k', type=int, default=600, metavar='SECONDS',
                    help='keep-alive timeout (0: none; default 600)')
    ap.add_argument('-u', default='alice', metavar='USER',
                    help='the user to register (default alice)')
    ap.add_argument('host')
    ap.add_argument('port', type=int)
    args = ap.parse_args()
    try:
        client = Client(args.host, args.port, args.u, args.k)
    except GLib.Error as e:
        print(f'voip-client.py: {e.message}', file=sys.stderr)
        return 1
    client.loop.run()
    return 0


if __name__ == '__main__':
    sys.exit(main())
