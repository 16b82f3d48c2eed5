#!/usr/bin/python3
# SPDX-License-Identifier: GPL-2.0
#
# test_gir.py GLIBDIR: libvoipwake-glib as Python sees it through GObject
# Introspection, from the .gir and .typelib built in GLIBDIR. What the
# bindings rely on: the namespace loads, VwClient's constructor throws a
# GLib.Error of the Voipwake error domain with libvoipwake's message, the
# signals carry the types (and the nullable socket) the C code emits, and
# the enumerations keep libvoipwake's values. Run with Debian's python3,
# where python3-gi lives.

import os
import sys
import unittest
import xml.etree.ElementTree as ET

GLIBDIR = os.path.abspath(sys.argv.pop(1) if len(sys.argv) > 1 else '.')
os.environ['GI_TYPELIB_PATH'] = GLIBDIR
# The typelib names libvoipwake-glib.so.0, which needs libvoipwake.so.0:
# dlopen() reads LD_LIBRARY_PATH only at start, so this script re-executes
# itself once with it set.
want = GLIBDIR + ':' + os.path.dirname(GLIBDIR)
if os.environ.get('LD_LIBRARY_PATH', '').split(':')[:2] != want.split(':'):
    os.environ['LD_LIBRARY_PATH'] = want + ':' + os.environ.get('LD_LIBRARY_PATH', '')
    os.execv(sys.executable, [sys.executable, __file__, GLIBDIR] + sys.argv[1:])

import gi  # noqa: E402
gi.require_version('Voipwake', '1.0')
from gi.repository import GLib, GObject, Gio, Voipwake  # noqa: E402

CORE = '{http://www.gtk.org/introspection/core/1.0}'
GLIB = '{http://www.gtk.org/introspection/glib/1.0}'


class Gir(unittest.TestCase):
    def test_loads_from_here(self):
        repo = gi.Repository.get_default()
        self.assertEqual(repo.get_typelib_path('Voipwake'),
                         os.path.join(GLIBDIR, 'Voipwake-1.0.typelib'))

    @unittest.skipIf(os.path.exists('/sys/module/voipwake'),
                     'the voipwake module is loaded here')
    def test_not_loaded_error(self):
        with self.assertRaises(GLib.Error) as cm:
            Voipwake.Client.new(None)
        e = cm.exception
        self.assertEqual(e.domain, 'vw-error-quark')
        self.assertTrue(e.matches(Voipwake.error_quark(),
                                  Voipwake.Error.NOT_LOADED))
        self.assertIn('modprobe voipwake', e.message)

    def test_signals(self):
        want = {
            'woken': [Voipwake.WakeReason.__gtype__, Gio.Socket.__gtype__,
                      GObject.TYPE_UINT, GObject.TYPE_BOOLEAN],
            'keepalive-due': [], 'frozen': [], 'thawed': [], 'resync': [],
            'backgrounded': [], 'foregrounded': [],
            'unmarked': [Gio.Socket.__gtype__, GObject.TYPE_UINT64],
        }
        names = set(GObject.signal_list_names(Voipwake.Client))
        self.assertEqual(names, set(want))
        for name, params in want.items():
            q = GObject.signal_query(name, Voipwake.Client)
            self.assertEqual(list(q.param_types), params, name)
            self.assertEqual(q.return_type, GObject.TYPE_NONE, name)

    def test_property(self):
        spec = Voipwake.Client.find_property('keepalive')
        self.assertEqual(spec.value_type, GObject.TYPE_UINT)
        self.assertTrue(spec.flags & GObject.ParamFlags.READABLE)
        self.assertFalse(spec.flags & GObject.ParamFlags.WRITABLE)

    def test_values(self):
        self.assertEqual(int(Voipwake.WakeOn.DATA), 1 << 1)
        self.assertEqual(int(Voipwake.WakeOn.CLOSE), 1 << 2)
        self.assertEqual(int(Voipwake.WakeOn.ERROR), 1 << 3)
        self.assertEqual(int(Voipwake.WakeReason.KEEPALIVE), 4)
        self.assertEqual(int(Voipwake.AppState.AWAKE), 2)
        self.assertEqual(int(Voipwake.Error.PROTOCOL), 12)

    def test_annotations(self):
        root = ET.parse(os.path.join(GLIBDIR, 'Voipwake-1.0.gir')).getroot()
        ns = root.find(CORE + 'namespace')
        # What the typelib tells a binding to dlopen(): the soname.
        self.assertEqual(ns.get('shared-library'), 'libvoipwake-glib.so.0')
        client = ns.find(CORE + "class[@name='Client']")
        ctor = client.find(CORE + "constructor[@name='new']")
        self.assertEqual(ctor.get('throws'), '1')
        ret = ctor.find(CORE + 'return-value')
        self.assertEqual(ret.get('transfer-ownership'), 'full')
        woken = client.find(GLIB + "signal[@name='woken']")
        sock = woken.find(CORE + "parameters/" + CORE + "parameter[@name='socket']")
        self.assertEqual(sock.get('nullable'), '1')
        unmarked = client.find(GLIB + "signal[@name='unmarked']")
        sock = unmarked.find(CORE + "parameters/" + CORE + "parameter[@name='socket']")
        self.assertEqual(sock.get('nullable'), '1')
        status = client.find(CORE + "method[@name='get_status']/" + CORE + 'return-value')
        self.assertEqual(status.get('transfer-ownership'), 'full')
        err = ns.find(CORE + "enumeration[@name='Error']")
        self.assertEqual(err.get(GLIB + 'error-domain'), 'vw-error-quark')
        # Nothing private leaked into the bindings.
        names = [f.get(('{http://www.gtk.org/introspection/c/1.0}identifier'))
                 for f in root.iter() if f.tag in (CORE + 'function', CORE + 'method',
                                                   CORE + 'constructor')]
        self.assertNotIn('vw_client_attach', names)
        self.assertNotIn('vw_error_from_errno', names)


if __name__ == '__main__':
    unittest.main(verbosity=1)
