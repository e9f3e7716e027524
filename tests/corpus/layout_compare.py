#!/usr/bin/env python3
"""Compare `btfkit layout` text with `pahole -F btf` text, type by type.

Usage: layout_compare.py [--skip N] PAHOLE.txt BTFKIT.txt [EXPECTED]

--skip N drops pahole's first N types: with --btf_base pahole prints the
base's types before the split's own, btfkit only the own types.

Prints one line per check, as the test protocol wants:
  - layout: for every type, the facts pahole computes (member offsets, bit
    offsets and sizes, byte and bit holes, padding, the summary numbers
    except the forced-alignment count) are equal, with no exception;
  - text: the text differences, as a list of "== TYPE" entries with the
    differing lines ("-" pahole, "+" btfkit), equal exactly to EXPECTED
    (lines starting with "#" there are reasons and comments).
Without EXPECTED, prints the differences list (to write EXPECTED from).
"""
import difflib
import re
import sys

MEMBER = re.compile(r'/\*\s+(\d+)(?::\s*(\d+))?\s+(\d+) \*/$')
NUMBERS = re.compile(r'\d+')


def blocks(path):
    """Top-level types: (first line, [lines]) in output order."""
    out, cur = [], None
    with open(path, encoding='utf-8', errors='replace') as f:
        for line in f:
            line = line.rstrip('\n')
            if cur is None:
                cur = [line]
            else:
                cur.append(line)
            if line.startswith('}') or (len(cur) == 1 and line.endswith(';')):
                out.append((cur[0], cur))
                cur = None
    if cur:
        out.append((cur[0], cur))
    return out


def facts(lines):
    """What the layout says, without attributes and forced-alignment counts."""
    f = []
    for line in lines:
        s = line.strip()
        m = MEMBER.search(s)
        if m:
            f.append(('member', m.group(1), m.group(2), m.group(3)))
        elif s.startswith('/* XXX') or s.startswith('/* size:') or \
                s.startswith('/* sum ') or s.startswith('/* padding') or \
                s.startswith('/* paddings') or s.startswith('/* bit_padding') or \
                s.startswith('/* last cacheline') or s.startswith('/* --- cacheline') or \
                s.startswith('/* Bitfield') or s.startswith('/* BRAIN'):
            f.append((s.split(':')[0][:24], tuple(NUMBERS.findall(s))))
    return f


def main():
    args, skip = sys.argv[1:], 0
    if args[0] == '--skip':
        skip, args = int(args[1]), args[2:]
    a, b = blocks(args[0])[skip:], blocks(args[1])
    expected = args[2] if len(args) > 2 else None
    bad = []
    if [k for k, _ in a] != [k for k, _ in b]:
        print('FAIL layout-types: the two outputs list different types or orders '
              f'({len(a)} from pahole, {len(b)} from btfkit)')
        return
    report = []
    for (key, pa), (_, bk) in zip(a, b):
        if facts(pa) != facts(bk):
            bad.append(key)
        hunks = [l for l in difflib.unified_diff(pa, bk, n=0, lineterm='')
                 if not l.startswith('---') and not l.startswith('+++')]
        if hunks:
            report.append('== ' + key)
            report.extend('@@' if h.startswith('@@') else h for h in hunks)
    if bad:
        print(f'FAIL layout-facts: {len(bad)} of {len(a)} types differ in offsets, sizes or '
              f'holes; first: {bad[:3]}')
    else:
        print(f'PASS layout-facts: offsets, sizes, bitfields, holes, padding and summaries '
              f'of {len(a)} types equal pahole\'s')
    if expected is None:
        print('\n'.join(report))
        return
    with open(expected, encoding='utf-8') as f:
        want = [l.rstrip('\n') for l in f if not l.startswith('#') and l.strip()]
    entries = sum(1 for l in report if l.startswith('== '))
    if want == report:
        print(f'PASS layout-text: {len(a) - entries} types byte for byte as pahole prints '
              f'them, {entries} differ exactly as {expected.split("/")[-1]} lists')
    else:
        diff = list(difflib.unified_diff(want, report, 'expected', 'now', n=0, lineterm=''))
        print(f'FAIL layout-text: the differences from pahole are not the listed ones: '
              f'{" | ".join(diff[2:8])}')
    # every listed type carries a reason
    with open(expected, encoding='utf-8') as f:
        lines = [l.rstrip('\n') for l in f]
    unexplained = [l for i, l in enumerate(lines) if l.startswith('== ') and
                   not (i + 1 < len(lines) and lines[i + 1].startswith('# reason:'))]
    if unexplained:
        print(f'FAIL layout-reasons: {len(unexplained)} listed types have no "# reason:" line; '
              f'first: {unexplained[0]}')
    else:
        print(f'PASS layout-reasons: each of the {entries} listed differences has its reason')


main()
