#!/usr/bin/env python3
"""Compare `btfkit layout` text with `pahole -F btf` text, type by type.

Usage: layout_compare.py --name NAME [--skip N] [--allow align] [--expected FILE]
                         PAHOLE.txt BTFKIT.txt

Prints test-protocol lines (PASS/FAIL NAME-...):
  NAME-facts     for every type, what pahole computes (member offsets, bit
                 offsets and sizes, byte and bit holes, padding, cache-line
                 marks, the summary numbers except the forced-alignment count)
                 is equal, with no exception;
  NAME-text      with --expected: the text differences, as "== TYPE" entries
                 with the differing lines ("-" pahole, "+" btfkit), are
                 exactly those FILE lists (its "#" lines are comments), and
                 NAME-reasons: each listed type has a "# reason:" line;
                 with --allow align: every text difference is one of the
                 alignment differences of docs/layout.md (the lines agree once
                 __aligned__ attributes, spacing and forced-alignment counts
                 are left out, and pahole 1.24's "}name" reads "} name").
  Without either, the differences list is printed (to write FILE from).
--skip N drops pahole's first N types: with --btf_base pahole prints the
base's types before the split's own, btfkit only the own types.
"""
import argparse
import difflib
import re

MEMBER = re.compile(r'/\*\s+(\d+)(?::\s*(\d+))?\s+(\d+) \*/$')
NUMBERS = re.compile(r'\d+')
ALIGNED = re.compile(r' __attribute__\(\(__aligned__\(\d+\)\)\)')
FACT_PREFIXES = ('/* XXX', '/* size:', '/* sum ', '/* padding', '/* paddings', '/* bit_padding',
                 '/* last cacheline', '/* --- cacheline', '/* Bitfield', '/* BRAIN')


def blocks(path):
    """Top-level types: (first line, [lines]) in output order."""
    out, cur = [], None
    with open(path, encoding='utf-8', errors='replace') as f:
        for line in f:
            line = line.rstrip('\n')
            cur = [line] if cur is None else cur + [line]
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
        elif s.startswith(FACT_PREFIXES):
            f.append((s.split(':')[0][:24], tuple(NUMBERS.findall(s))))
    return f


def without_alignment(lines):
    out = []
    for line in lines:
        s = ALIGNED.sub('', line)
        s = re.sub(r'^(\s*)\}(?=[A-Za-z_])', r'\1} ', s)        # pahole 1.24 "}name"
        s = re.sub(r'\}(( __attribute__\(\(__packed__\)\))+)(?=[A-Za-z_])', r'}\1 ', s)
        s = ' '.join(s.split())
        if not s.startswith('/* forced alignments'):
            out.append(s)
    return out


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument('--name', required=True)
    ap.add_argument('--skip', type=int, default=0)
    ap.add_argument('--allow', choices=['align'])
    ap.add_argument('--expected')
    ap.add_argument('pahole')
    ap.add_argument('btfkit')
    args = ap.parse_args()
    name = args.name
    a, b = blocks(args.pahole)[args.skip:], blocks(args.btfkit)
    if [k for k, _ in a] != [k for k, _ in b]:
        ka, kb = [k for k, _ in a], [k for k, _ in b]
        first = next((i for i, (x, y) in enumerate(zip(ka, kb)) if x != y), min(len(ka), len(kb)))
        print(f'FAIL {name}-facts: the outputs list different types ({len(a)} from pahole, '
              f'{len(b)} from btfkit; first difference at type {first + 1})')
        return
    bad, report, unexplained = [], [], []
    for (key, pa), (_, bk) in zip(a, b):
        if facts(pa) != facts(bk):
            bad.append(key)
        if pa == bk:
            continue
        if args.allow == 'align' and without_alignment(pa) != without_alignment(bk):
            unexplained.append(key)
        report.append('== ' + key)
        report.extend('@@' if h.startswith('@@') else h
                      for h in difflib.unified_diff(pa, bk, n=0, lineterm='')
                      if not h.startswith('---') and not h.startswith('+++'))
    entries = sum(1 for line in report if line.startswith('== '))
    if bad:
        print(f'FAIL {name}-facts: {len(bad)} of {len(a)} types differ in offsets, sizes or holes; '
              f'first: {bad[:3]}')
    else:
        print(f'PASS {name}-facts: offsets, sizes, bitfields, holes, padding and summaries of '
              f'{len(a)} types equal pahole\'s')
    if args.allow == 'align':
        if unexplained:
            print(f'FAIL {name}-text: {len(unexplained)} types differ from pahole in more than '
                  f'alignment attributes; first: {unexplained[:3]}')
        else:
            print(f'PASS {name}-text: {len(a) - entries} types byte for byte as pahole prints them, '
                  f'{entries} differ only as docs/layout.md lists (inferred alignment, "}}name")')
        return
    if not args.expected:
        print('\n'.join(report))
        return
    with open(args.expected, encoding='utf-8') as f:
        lines = [line.rstrip('\n') for line in f]
    want = [line for line in lines if not line.startswith('#') and line.strip()]
    if want == report:
        print(f'PASS {name}-text: {len(a) - entries} types byte for byte as pahole prints them, '
              f'{entries} differ exactly as {args.expected.split("/")[-1]} lists')
    else:
        diff = list(difflib.unified_diff(want, report, 'expected', 'now', n=0, lineterm=''))
        print(f'FAIL {name}-text: the differences from pahole are not the listed ones: '
              f'{" | ".join(diff[2:8])}')
    missing = [line for i, line in enumerate(lines) if line.startswith('== ') and
               not (i + 1 < len(lines) and lines[i + 1].startswith('# reason:'))]
    if missing:
        print(f'FAIL {name}-reasons: {len(missing)} listed types have no "# reason:" line; '
              f'first: {missing[0]}')
    else:
        print(f'PASS {name}-reasons: each of the {entries} listed differences has its reason')


main()
