#!/usr/bin/env python3
"""Check `btfkit diff --json` against the C headers of the two sides.

Usage: diff_compare.py --name NAME --count N DIFF.json OLD.h NEW.h OLD.pahole NEW.pahole
       diff_compare.py --pick N DIFF.json OLD.h NEW.h     (prints the structs to check)

OLD.h/NEW.h are `bpftool btf dump file F format c` of the two BTFs;
OLD.pahole/NEW.pahole are `pahole -F btf -C S1,S2,...` of the picked
structs: the same C, with each member's offset in a comment.

For each picked struct (changed, its name used once, defined on both
sides, printed under its own name by bpftool) the member changes are
derived from the headers alone: each struct body is flattened as the diff
documents (the members of an anonymous struct/union member are the
parent's, those of a named member of anonymous type "member.sub" with the
member itself typed "struct {...}"), each member's C type is its
declaration without its name (bitfields "TYPE:WIDTH"), compared with
whitespace removed (and bpftool's NAME___2 for a repeated name read as NAME,
since the diff spells types by name). Added, removed and retyped members come from bpftool's
header; moved members (absolute bit offset) and the size from pahole's.
They must equal what the diff reported for that struct, change for change.
Prints PASS/FAIL NAME lines.
"""
import argparse
import json
import re
import sys

ATTR = re.compile(r'__attribute__\s*\(\((?:[^()]|\([^()]*\))*\)\)')
COMMENT = re.compile(r'/\*(.*?)\*/')
OFFSET = re.compile(r'^\s*(\d+)(?::\s*(\d+))?\s+(\d+)\s*$')
SIZE = re.compile(r'/\* size: (\d+),')
FPTR = re.compile(r'\(\s*\*\s*(?:const\s+|volatile\s+|restrict\s+)*(\w+)')
PLAIN = re.compile(r'^(.*?)(\w+)((?:\s*\[\d*\])*)$')
BITFIELD = re.compile(r'^(.*?)(\w+)\s*:\s*(\d+)$')
# bpftool's padding ("long: 64"): a bare type and a width, no member
PADDING = re.compile(r'^(?:unsigned |signed )?(?:long long|long|int|short|char)\s*:\s*\d+$')
EMPTY = re.compile(r'^(struct|union)\s*\{\s*\}\s*(.*)$')   # "struct {} name": no members


def norm(t):
    """Whitespace out, enums' last comma out, and bpftool's renaming of a
    second type of the same name (NAME___2) undone: the diff spells types by
    their names."""
    return re.sub(r'___\d+\b', '', re.sub(r'\s+', '', t)).replace(',}', '}')


def bodies(path, names=None):
    """struct NAME -> (body lines, closing line) for top-level definitions."""
    out, cur, name = {}, None, None
    with open(path, encoding='utf-8', errors='replace') as f:
        for line in f:
            line = line.rstrip('\n')
            if cur is None:
                m = re.match(r'^struct (\w+) \{$', line)
                if m and (names is None or m.group(1) in names):
                    cur, name = [], m.group(1)
            elif line.startswith('}'):
                out.setdefault(name, (cur, line))
                cur = None
            else:
                cur.append(line)
    return out


def tree(lines):
    """Member lines -> nested list of ('leaf', text, comment) and
    ('block', kind, children, suffix, comment)."""
    root, stack = [], []
    cur = root
    for raw in lines:
        comments = COMMENT.findall(raw)
        text = ATTR.sub('', COMMENT.sub('', raw)).strip()
        comment = comments[-1] if comments else ''
        if not text:
            continue
        if text.endswith('{'):
            kids = []
            stack.append((cur, text[:-1].strip(), kids))
            cur = kids
        elif text.startswith('}'):
            parent, kind, kids = stack.pop()
            parent.append(('block', kind, kids, text[1:].rstrip(';').strip(), comment))
            cur = parent
        elif EMPTY.match(text.rstrip(';')):
            m = EMPTY.match(text.rstrip(';'))
            cur.append(('block', m.group(1), [], m.group(2).strip(), comment))
        else:
            cur.append(('leaf', text.rstrip(';').strip(), comment))
    return root


def offset(comment):
    m = OFFSET.match(comment)
    if not m:
        return None
    return int(m.group(1)) * 8 + int(m.group(2) or 0)


def decl(text):
    """'struct sk_buff *next' -> ('next', 'struct sk_buff *'), bitfields 'T:W'."""
    m = BITFIELD.match(text)
    if m and not FPTR.search(text):
        return m.group(2), m.group(1) + ':' + m.group(3)
    m = FPTR.search(text)
    if m:
        return m.group(1), text[:m.start(1)] + text[m.end(1):]
    m = PLAIN.match(text)
    return m.group(2), m.group(1) + m.group(3)


def inline(node):
    """The text of a node, for an anonymous type spelled inline."""
    if node[0] == 'leaf':
        return '' if PADDING.match(node[1]) else node[1] + ';'
    if node[1] == 'enum':
        return 'enum{' + ''.join(k[1] for k in node[2]) + '}' + node[3] + ';'
    return node[1] + '{' + ''.join(inline(k) for k in node[2]) + '}' + node[3] + ';'


def flatten(nodes, prefix, out):
    for n in nodes:
        if n[0] == 'leaf':
            if PADDING.match(n[1]):
                continue
            name, t = decl(n[1])
            out[prefix + name] = (norm(t), offset(n[2]))
            continue
        _, kind, kids, suffix, comment = n
        if kind in ('struct', 'union') and not suffix:
            flatten(kids, prefix, out)
        elif kind in ('struct', 'union') and re.fullmatch(r'\w+', suffix):
            out[prefix + suffix] = (kind + '{...}', offset(comment))
            flatten(kids, prefix + suffix + '.', out)
        elif kind == 'enum':
            body = 'enum{' + ''.join(k[1] for k in kids) + '}'
            name, t = decl(body + suffix)
            out[prefix + name] = (norm(t), offset(comment))
        else:
            body = kind + '{' + ''.join(inline(k) for k in kids) + '}'
            name, t = decl(body + suffix)
            out[prefix + name] = (norm(t), offset(comment))


def members(body):
    out = {}
    flatten(tree(body[0]), '', out)
    return out


def expected(old_h, new_h, old_p, new_p):
    """The changes the headers show, as a sorted list of tuples."""
    ch = []
    so, sn = SIZE.search('\n'.join(old_p[0])), SIZE.search('\n'.join(new_p[0]))
    if so and sn and so.group(1) != sn.group(1):
        ch.append(('size', int(so.group(1)), int(sn.group(1))))
    o, n = members(old_h), members(new_h)
    po, pn = members(old_p), members(new_p)
    for path in o:
        if path not in n:
            ch.append(('member_removed', path, o[path][0]))
    for path in n:
        if path not in o:
            ch.append(('member_added', path, n[path][0]))
            continue
        if o[path][0] != n[path][0]:
            ch.append(('member_retyped', path, o[path][0], n[path][0]))
        a, b = po.get(path, (None, None))[1], pn.get(path, (None, None))[1]
        if a is None or b is None:
            ch.append(('no offset in pahole', path))
        elif a != b:
            ch.append(('member_moved', path, a, b))
    return sorted(ch, key=repr)


def reported(entry):
    ch = []
    for c in entry['changes']:
        w = c['what']
        if w == 'size':
            ch.append((w, c['old'], c['new']))
        elif w == 'member_added':
            ch.append((w, c['name'], norm(c['new'])))
        elif w == 'member_removed':
            ch.append((w, c['name'], norm(c['old'])))
        elif w == 'member_retyped':
            ch.append((w, c['name'], norm(c['old']), norm(c['new'])))
        elif w == 'member_moved':
            ch.append((w, c['name'], c['old'], c['new']))
        else:
            ch.append((w,))
    return sorted(ch, key=repr)


def candidates(diff, old_h, new_h):
    names = {}
    for e in diff['types']:
        if e['kind'] == 'struct':
            names.setdefault(e['name'], []).append(e)
    out = []
    for name, es in sorted(names.items()):
        e = es[0]
        if len(es) != 1 or e['op'] != '~' or e['ambiguous']:
            continue
        if any(c['what'] == 'declaration' for c in e['changes']):
            continue
        if name in old_h and name in new_h:
            out.append(name)
    return out


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument('--name')
    ap.add_argument('--pick', type=int)
    ap.add_argument('files', nargs='+')
    a = ap.parse_args()
    diff = json.load(open(a.files[0]))
    old_h, new_h = bodies(a.files[1]), bodies(a.files[2])
    cands = candidates(diff, old_h, new_h)
    if a.pick:
        step = max(1, len(cands) // a.pick)
        print(','.join(cands[::step][:a.pick]))
        return 0
    picked = sys.stdin.read().strip().split(',')
    old_p, new_p = bodies(a.files[3], set(picked)), bodies(a.files[4], set(picked))
    by_name = {e['name']: e for e in diff['types'] if e['kind'] == 'struct'}
    bad, changes = [], 0
    for name in picked:
        if name not in old_p or name not in new_p:
            bad.append('%s: not printed by pahole' % name)
            continue
        want = expected(old_h[name], new_h[name], old_p[name], new_p[name])
        got = reported(by_name[name])
        changes += len(want)
        if want != got:
            extra = [x for x in got if x not in want][:2]
            missing = [x for x in want if x not in got][:2]
            bad.append('%s: headers show %s, diff %s' % (name, missing, extra))
    if bad:
        print('FAIL %s: %d of %d structs differ: %s' % (a.name, len(bad), len(picked), '; '.join(bad[:3])))
    else:
        print('PASS %s: %d changed structs (of %d checkable), %d member and size changes, '
              'each equal to what the C headers (bpftool) and pahole\'s offsets show'
              % (a.name, len(picked), len(cands), changes))
    return 0


if __name__ == '__main__':
    sys.exit(main())
