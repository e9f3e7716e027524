#!/usr/bin/env python3
"""Compare the changed types of two `btfkit diff` texts.

Usage: diff_blocks.py NAME PART.txt WHOLE.txt

Every changed type of PART ("~KIND NAME" and its indented lines) whose name
is not repeated must be in WHOLE with exactly the same lines. Prints one
PASS/FAIL NAME line with the counts.
"""
import sys


def blocks(path):
    out, cur = {}, None
    for line in open(path, encoding='utf-8'):
        line = line.rstrip('\n')
        if line.startswith('\t') and cur is not None:
            out[cur].append(line)
        elif line[:1] in '+-~' and line:
            cur = line if line.startswith('~') and not line.endswith(']') else None
            if cur is not None:
                out[cur] = []
        else:
            cur = None
    return out


def main():
    name, part, whole = sys.argv[1], blocks(sys.argv[2]), blocks(sys.argv[3])
    bad = [k for k in part if whole.get(k) != part[k]]
    if not part or bad:
        print('FAIL %s: %d of %d changed types differ from the whole diff: %s'
              % (name, len(bad), len(part), ', '.join(bad[:4])))
    else:
        print('PASS %s: %d changed types, each reported as in the whole diff (%d changed there)'
              % (name, len(part), len(whole)))


if __name__ == '__main__':
    main()
