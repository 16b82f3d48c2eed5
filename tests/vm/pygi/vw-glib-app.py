#!/usr/bin/python3
# SPDX-License-Identifier: GPL-2.0
"""vw-glib-app [--ka SECONDS] [--ready FILE] PORT

The app under test for libvoipwake-glib, through its typelib as a
PyGObject app uses it: connects to vw-peer on 127.0.0.1 PORT over TCP
with Gio, marks the GSocket with a VwClient, checks the refusals, and
reports every signal, one line each, until the stream ends. It says
done after each chunk it reads, and on a keep-alive after sending "ka".

Lines on stdout:
  refused CHECK code=NICK msg=TEXT    each refusal checked at setup
  accepted CHECK                      each call that must succeed
  marked app=CGROUP_ID                set up (--ready FILE made then)
  signal woken reason=R socket=marked|other|none bytes=N ka=0|1
  signal keepalive-due | frozen | thawed | resync | backgrounded |
         foregrounded
  signal unmarked socket=marked|other|none inode=INO
  status state=NICK socks=N keepalive=S wakes=N
  recv n=N total=N
  done ok | done error code=NICK msg=TEXT
  eof total=N
"""

import argparse
import sys

import gi
gi.require_version('Voipwake', '1.0')
from gi.repository import Gio, GLib, Voipwake  # noqa: E402


def say(text):
    print(text, flush=True)


def nick(code):
    return Voipwake.Error(code).value_nick


class App:
    def __init__(self, port, ka):
        self.loop = GLib.MainLoop()
        self.total = 0
        self.conn = Gio.SocketClient().connect_to_host('127.0.0.1', port,
                                                       None)
        self.sock = self.conn.get_socket()
        self.vw = Voipwake.Client.new(None)
        self.refusals()
        self.vw.mark_socket(self.sock, Voipwake.WakeOn.DEFAULT)
        say(f'marked app={self.vw.get_status().cgroup_id}')
        self.unmark_and_back()
        for name in ('woken', 'keepalive-due', 'frozen', 'thawed',
                     'resync', 'backgrounded', 'foregrounded',
                     'unmarked'):
            self.vw.connect(name, self.on_signal, name)
        if ka:
            self.vw.set_keepalive(ka)
            assert self.vw.props.keepalive == ka
            accepted('set_keepalive')
        self.status()
        self.read()

    def refusals(self):
        expect('status before marking', 'not-found', self.vw.get_status)
        expect('keep-alive of 0 s', 'invalid-argument',
               self.vw.set_keepalive, 0)
        expect('done, not an app yet', 'not-awake', self.vw.done)
        lsn = Gio.Socket.new(Gio.SocketFamily.IPV4, Gio.SocketType.STREAM,
                             Gio.SocketProtocol.TCP)
        lsn.bind(Gio.InetSocketAddress.new_from_string('127.0.0.1', 0),
                 True)
        lsn.listen()
        expect('a listening socket', 'not-supported',
               self.vw.mark_socket, lsn, Voipwake.WakeOn.DEFAULT)
        unix = Gio.Socket.new(Gio.SocketFamily.UNIX, Gio.SocketType.STREAM,
                              Gio.SocketProtocol.DEFAULT)
        expect('a unix socket', 'not-supported',
               self.vw.mark_socket, unix, Voipwake.WakeOn.DEFAULT)
        expect('unmark, never marked', 'not-found',
               self.vw.unmark_socket, self.sock)

    def unmark_and_back(self):
        expect('marked twice', 'exists', self.vw.mark_socket, self.sock,
               Voipwake.WakeOn.DATA)
        self.vw.unmark_socket(self.sock)
        accepted('unmark')
        expect('unmark again', 'not-found', self.vw.unmark_socket,
               self.sock)
        self.vw.mark_socket(self.sock, Voipwake.WakeOn.DEFAULT)
        accepted('mark again')
        expect('done in the foreground', 'not-awake', self.vw.done)

    def status(self):
        st = self.vw.get_status()
        wakes = (st.wakes_data + st.wakes_close + st.wakes_error +
                 st.wakes_keepalive)
        say(f'status state={st.state.value_nick} socks={st.socks} '
            f'keepalive={st.keepalive_s} wakes={wakes}')

    def on_signal(self, vw, *args):
        name = args[-1]
        if name == 'unmarked':
            sock, inode = args[:2]
            say(f'signal unmarked socket={self.which(sock)} inode={inode}')
            return
        if name != 'woken':
            say(f'signal {name}')
            if name == 'keepalive-due':
                self.conn.get_output_stream().write_all(b'ka\r\n', None)
                self.done()
            return
        reason, sock, nbytes, ka = args[:4]
        say(f'signal woken reason={reason.value_nick} '
            f'socket={self.which(sock)} bytes={nbytes} ka={int(ka)}')

    def which(self, sock):
        return ('none' if sock is None else
                'marked' if sock == self.sock else 'other')

    def read(self):
        self.conn.get_input_stream().read_bytes_async(
            65536, GLib.PRIORITY_DEFAULT, None, self.on_read)

    def on_read(self, stream, result):
        data = stream.read_bytes_finish(result).get_data()
        if not data:
            say(f'eof total={self.total}')
            self.loop.quit()
            return
        self.total += len(data)
        say(f'recv n={len(data)} total={self.total}')
        self.status()
        self.done()
        self.read()

    def done(self):
        try:
            self.vw.done()
            say('done ok')
        except GLib.Error as e:
            say(f'done error code={nick(e.code)} msg={e.message}')


def expect(what, code, call, *args):
    try:
        call(*args)
    except GLib.Error as e:
        if e.domain != 'vw-error-quark' or nick(e.code) != code:
            sys.exit(f'{what}: expected {code}, got {e.domain} '
                     f'{nick(e.code)}: {e.message}')
        say(f'refused {what.replace(" ", "-")} code={code} msg={e.message}')
        return
    sys.exit(f'{what}: succeeded, expected {code}')


def accepted(what):
    say(f'accepted {what}')


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument('--ka', type=int, default=0)
    ap.add_argument('--ready')
    ap.add_argument('port', type=int)
    args = ap.parse_args()
    app = App(args.port, args.ka)
    if args.ready:
        open(args.ready, 'w').close()
    app.loop.run()


if __name__ == '__main__':
    main()
