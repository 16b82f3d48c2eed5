#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0
"""Holds the YNL spec, the UAPI header and the kernel's code to each other.

    scripts/spec-check.py [--spec SPEC] [--header HEADER] [--kernel DIR]
    scripts/spec-check.py --self-test

The kernel's own generator (tools/net/ynl/ynl-gen-c.py of linux-source,
which also validates the spec against its genetlink-c schema) renders a
uAPI header from the spec; that header and ours must declare the same
names with the same values in the same enums. Every attribute's type must
agree three ways: the spec, the type word our header's comment gives it,
and what kernel/*.c puts (nla_put_*) and accepts (NLA_* policies).

--self-test runs the check on broken copies of the spec and header and
fails unless each breakage is caught and named.
"""

import argparse
import os
import re
import subprocess
import sys
import tempfile

import yaml

TOP = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
TYPE_WORDS = ('u8', 'u16', 'u32', 'u64', 's32', 's64', 'string', 'flag',
              'binary', 'nest')


def linux_source():
    return subprocess.run([os.path.join(TOP, 'scripts/linux-source.sh')],
                          check=True, capture_output=True,
                          text=True).stdout.strip()


def generate(src, spec, tmp):
    """The uAPI header ynl-gen-c.py renders from spec.

    The generator wants the spec inside a kernel tree (it looks for
    MAINTAINERS above it and the schema next to specs/): lend it one.
    """
    root = os.path.join(tmp, 'tree')
    specs = os.path.join(root, 'Documentation/netlink/specs')
    os.makedirs(specs)
    open(os.path.join(root, 'MAINTAINERS'), 'w').close()
    for schema in ('genetlink-c.yaml', 'genetlink.yaml',
                   'genetlink-legacy.yaml'):
        os.symlink(os.path.join(src, 'Documentation/netlink', schema),
                   os.path.join(root, 'Documentation/netlink', schema))
    with open(spec) as f, open(os.path.join(specs, 'voipwake.yaml'), 'w') as o:
        o.write(f.read())
    out = os.path.join(tmp, 'generated.h')
    r = subprocess.run([sys.executable,
                        os.path.join(src, 'tools/net/ynl/ynl-gen-c.py'),
                        '--mode', 'uapi', '--header', '--spec',
                        os.path.join(specs, 'voipwake.yaml'), '-o', out],
                       capture_output=True, text=True, timeout=60)
    if r.returncode != 0 or not os.path.exists(out):
        raise ValueError('ynl-gen-c.py refused the spec:\n' +
                         (r.stdout + r.stderr).strip())
    with open(out) as f:
        return f.read()


def strip_comments(text):
    return re.sub(r'/\*.*?\*/', ' ', text, flags=re.S)


def parse_header(text):
    """{name: (value, enum tag or '#define')} from a uAPI header."""
    names = {}
    body = strip_comments(text)
    for m in re.finditer(r'^#define\s+(\w+)\s+(.+?)\s*$', body, re.M):
        if m.group(1).startswith('_UAPI_'):
            continue
        names[m.group(1)] = (m.group(2).strip(), '#define')
    for m in re.finditer(r'\benum\s*(\w*)\s*\{(.*?)\}\s*;', body, re.S):
        tag = m.group(1) or 'anonymous'
        known = {k: v for k, (v, t) in names.items() if t != '#define'}
        value = -1
        for entry in m.group(2).split(','):
            entry = entry.strip()
            if not entry:
                continue
            name, _, expr = entry.partition('=')
            name = name.strip()
            if expr.strip():
                value = eval(expr, {'__builtins__': {}}, known)
            else:
                value += 1
            known[name] = value
            names[name] = (value, 'enum ' + tag)
    return names


def header_types(text):
    """{attribute: type word} from our header's per-attribute comments."""
    types = {}
    for m in re.finditer(r'^\s*(VOIPWAKE_A_\w+),[ \t]*(?:/\*\s*(\w+))?',
                         text, re.M):
        types[m.group(1)] = m.group(2) if m.group(2) in TYPE_WORDS else None
    return types


def spec_types(spec):
    """{C name: type} for every attribute in the spec."""
    types = {}
    for aset in spec['attribute-sets']:
        pfx = aset.get('name-prefix', f"{spec['name']}-a-{aset['name']}-")
        for attr in aset['attributes']:
            cname = (pfx + attr['name']).upper().replace('-', '_')
            types[cname] = attr['type']
    return types


def kernel_types(kdir):
    """{attribute: {type: where}} from nla_put_*() and NLA_* policies."""
    seen = {}
    put = re.compile(r'nla_put_(u8|u16|u32|u64_64bit|s32|s64|string|flag)'
                     r'\(\s*\w+,\s*(VOIPWAKE_A_\w+)')
    pol = re.compile(r'\[(VOIPWAKE_A_\w+)\]\s*=[^\n]*?NLA_(U8|U16|U32|U64|'
                     r'S32|S64|STRING|FLAG)\b')
    for name in sorted(os.listdir(kdir)):
        if not name.endswith('.c'):
            continue
        with open(os.path.join(kdir, name)) as f:
            text = f.read()
        for m in put.finditer(text):
            t = m.group(1).replace('_64bit', '')
            seen.setdefault(m.group(2), {})[t] = f'{name}: nla_put_{m.group(1)}'
        for m in pol.finditer(text):
            seen.setdefault(m.group(1), {})[m.group(2).lower()] = \
                f'{name}: NLA_{m.group(2)} policy'
    return seen


def compare(spec_path, header_path, kdir, src):
    """A list of differences, each naming what differs."""
    errs = []
    with open(spec_path) as f:
        spec = yaml.safe_load(f)
    with open(header_path) as f:
        ours_text = f.read()
    with tempfile.TemporaryDirectory() as tmp:
        gen = parse_header(generate(src, spec_path, tmp))
    ours = parse_header(ours_text)

    for name in sorted(set(gen) | set(ours)):
        if name not in ours:
            errs.append(f'{name}: in the spec, not in {header_path}')
        elif name not in gen:
            errs.append(f'{name}: in {header_path}, not in the spec')
        elif gen[name] != ours[name]:
            errs.append(f'{name}: spec says {gen[name][0]} ({gen[name][1]}),'
                        f' header says {ours[name][0]} ({ours[name][1]})')

    stypes = spec_types(spec)
    for name, word in sorted(header_types(ours_text).items()):
        st = stypes.get(name)
        if st is None:
            continue        # already reported as a missing name
        if st in ('unused', 'pad'):
            continue
        if word is None:
            errs.append(f'{name}: the header gives no type word, the spec '
                        f'says {st}')
        elif word != st:
            errs.append(f'{name}: spec type {st}, header comment says {word}')
    for name, found in sorted(kernel_types(kdir).items()):
        st = stypes.get(name)
        if st is None:
            errs.append(f'{name}: used by the kernel, not in the spec')
            continue
        for t, where in sorted(found.items()):
            if t != st:
                errs.append(f'{name}: spec type {st}, {where}')
    return errs + check_doc(spec, os.path.join(
        TOP, 'Documentation/netlink.rst'))


def check_doc(spec, rst_path):
    """Documentation/netlink.rst must name everything the spec has."""
    errs = []
    with open(rst_path) as f:
        rst = f.read()
    rel = os.path.relpath(rst_path, TOP)

    def named(text, name):
        return f'``{name.upper().replace("-", "_")}``' in text

    for op in spec['operations']['list']:
        if op['name'] != 'unspec' and not named(rst, op['name']):
            errs.append(f'command {op["name"]}: not in {rel}')
    for d in spec['definitions']:
        if d['type'] == 'const' or d.get('scope', 'uapi') != 'uapi':
            continue
        for e in d['entries']:
            e = e if isinstance(e, str) else e['name']
            if not named(rst, e):
                errs.append(f'{d["name"]} {e}: not in {rel}')
    for aset in spec['attribute-sets']:
        head = f'(``VOIPWAKE_A_{aset["name"].upper()}_*``)'
        start = rst.find(head)
        if start < 0:
            errs.append(f'attribute set {aset["name"]}: no section {head} '
                        f'in {rel}')
            continue
        nxt = re.search(r'\n[^\n]+\n-{4,}\n', rst[start + len(head) + 80:])
        section = rst[start:start + len(head) + 80 + nxt.start()] if nxt \
            else rst[start:]
        for attr in aset['attributes']:
            if attr['type'] != 'unused' and not named(section, attr['name']):
                errs.append(f'attribute {aset["name"]} {attr["name"]}: not '
                            f'in its section of {rel}')
    return errs


def mutate(path, tmp, old, new, count=1):
    with open(path) as f:
        text = f.read()
    if old not in text:
        raise ValueError(f'self-test: {old!r} not in {path}')
    out = os.path.join(tmp, os.path.basename(path))
    with open(out, 'w') as f:
        f.write(text.replace(old, new, count))
    return out


def self_test(spec, header, kdir, src):
    """Each breakage must fail, and the message must name it."""
    cases = [
        ('an attribute renamed in the spec', 'spec',
         '        name: wakes-held\n', '        name: wakes-kept\n',
         'VOIPWAKE_A_APP_WAKES_HELD'),
        ('an attribute type changed in the spec', 'spec',
         '        name: wake-bytes\n        type: u32\n',
         '        name: wake-bytes\n        type: u64\n',
         'VOIPWAKE_A_APP_WAKE_BYTES'),
        ('a command dropped from the header', 'header',
         '\tVOIPWAKE_CMD_APP_WAKE_DONE,\n', '', 'VOIPWAKE_CMD_APP_WOKEN_NTF'),
        ('a flag renumbered in the header', 'header',
         'VOIPWAKE_FEATURE_WAKE_INTERVAL = 1 << 4',
         'VOIPWAKE_FEATURE_WAKE_INTERVAL = 1 << 5',
         'VOIPWAKE_FEATURE_WAKE_INTERVAL'),
        ('a type word changed in the header', 'header',
         'VOIPWAKE_A_INFO_FEATURES,\t\t/* u32', 'VOIPWAKE_A_INFO_FEATURES,\t\t/* u64',
         'VOIPWAKE_A_INFO_FEATURES'),
        ('an attribute added to the spec only', 'spec',
         '        name: wakes-held\n        type: u64\n',
         '        name: wakes-held\n        type: u64\n'
         '      -\n        name: wakes-later\n        type: u64\n',
         'app wakes-later: not in its section'),
        ('a spec the schema refuses', 'spec',
         'type: u64\n', 'type: u63\n', 'ynl-gen-c.py refused'),
    ]
    bad = 0
    for what, which, old, new, expect in cases:
        with tempfile.TemporaryDirectory() as tmp:
            s = mutate(spec, tmp, old, new) if which == 'spec' else spec
            h = mutate(header, tmp, old, new) if which == 'header' else header
            try:
                errs = compare(s, h, kdir, src)
            except ValueError as e:
                errs = [str(e)]
        if any(expect in e for e in errs):
            print(f'ok   spec-check catches {what}: {errs[0].splitlines()[0]}')
        else:
            print(f'not ok spec-check misses {what} (wanted {expect})')
            for e in errs:
                print(f'#   {e}')
            bad += 1
    return bad


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument('--spec', default=os.path.join(
        TOP, 'Documentation/netlink/specs/voipwake.yaml'))
    ap.add_argument('--header', default=os.path.join(
        TOP, 'include/uapi/linux/voipwake.h'))
    ap.add_argument('--kernel', default=os.path.join(TOP, 'kernel'))
    ap.add_argument('--self-test', action='store_true')
    args = ap.parse_args()
    src = linux_source()

    if args.self_test:
        sys.exit(1 if self_test(args.spec, args.header, args.kernel, src)
                 else 0)
    try:
        errs = compare(args.spec, args.header, args.kernel, src)
    except ValueError as e:
        errs = [str(e)]
    if errs:
        print(f'not ok spec {os.path.relpath(args.spec, TOP)} and '
              f'{os.path.relpath(args.header, TOP)} disagree')
        for e in errs:
            print(f'#   {e}')
        sys.exit(1)
    print('ok   YNL spec, UAPI header and kernel types agree')


if __name__ == '__main__':
    main()
