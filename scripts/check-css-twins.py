#!/usr/bin/env python3
"""eimza — twin blocks of the style sheets stay the same (run by scripts/lint.sh and by
tests/cli/test_check_css_twins.sh).

Plain CSS cannot give one block of rules to two media conditions, so static/css/eimza.css
writes the card layout of its tables twice: below 1280 px for tables marked `cards`, below
768 px for the queue (`cards-phone`). Each copy is an @media block right after a comment that
holds the marker

    css-twin NAME, prefix SELECTOR-PREFIX

(for instance `css-twin card-layout, prefix table.cards-phone`). For each NAME there must be
exactly two such blocks; every selector of a block must start with its block's prefix, which
is then replaced by one placeholder; and the two blocks must then hold the same rules in the
same order: the same selectors, the same properties with the same values. Their media
conditions may differ (that is why there are two), and so may their comments.

Exit 0 when every pair matches; 1 naming the first difference of each pair that does not (a
rule's selectors, a property or a value), or a marker without a block, a selector outside its
prefix, a NAME not used exactly twice.

Usage: scripts/check-css-twins.py [FILE.css ...]   (default: static/css/*.css)
"""
import difflib
import glob
import os
import re
import sys

ROOT = os.path.normpath(os.path.join(os.path.dirname(os.path.abspath(__file__)), '..'))
MARKER = re.compile(r'css-twin\s+([A-Za-z0-9_-]+)\s*,\s*prefix\s+(\S+)')
COMMENT = re.compile(r'/\*.*?\*/', re.S)
PLACEHOLDER = 'TWIN'


def block_after(text, pos):
    """The body of the @media block that starts after pos (only white space between), with
    the offset of its opening line; None when no block follows."""
    m = re.compile(r'\s*(@media[^{]*)\{').match(text, pos)
    if not m:
        return None
    depth, i = 1, m.end()
    while i < len(text) and depth:
        if text[i] == '{':
            depth += 1
        elif text[i] == '}':
            depth -= 1
        i += 1
    if depth:
        return None
    return text[m.end():i - 1]


def line_of(text, pos):
    return text.count('\n', 0, pos) + 1


def rules(body, prefix, where, problems):
    """The block's rules as lines "SELECTORS { PROPERTY: VALUE; }", one per declaration, with
    the prefix replaced; a selector outside the prefix is a problem."""
    body = COMMENT.sub(' ', body)
    out = []
    pat = re.compile(re.escape(prefix) + r'(?![A-Za-z0-9_-])')
    for sel, decls in re.findall(r'([^{}]+)\{([^{}]*)\}', body):
        sels = [' '.join(s.split()) for s in sel.split(',')]
        norm = []
        for s in sels:
            if not pat.match(s):
                problems.append(f'{where}: selector "{s}" does not start with {prefix}')
            norm.append(pat.sub(PLACEHOLDER, s, count=1))
        key = ', '.join(norm)
        out.append(f'{key} {{')
        for d in decls.split(';'):
            d = ' '.join(d.split())
            if not d:
                continue
            prop, _, value = d.partition(':')
            out.append(f'  {prop.strip().lower()}: {value.strip()};')
        out.append('}')
    if re.sub(r'([^{}]+)\{([^{}]*)\}', '', body).strip():
        problems.append(f'{where}: text outside a rule (a nested block?)')
    return out


def check(path, problems):
    with open(path, encoding='utf-8') as f:
        text = f.read()
    twins = {}
    for c in COMMENT.finditer(text):
        m = MARKER.search(c.group(0))
        if not m:
            continue
        name, prefix = m.group(1), m.group(2)
        rel = os.path.relpath(path, ROOT)
        where = f'{path if rel.startswith("..") else rel}:{line_of(text, c.start())}'
        body = block_after(text, c.end())
        if body is None:
            problems.append(f'{where}: css-twin {name} is not followed by an @media block')
            continue
        twins.setdefault(name, []).append((where, prefix, rules(body, prefix, where, problems)))
    for name, blocks in twins.items():
        if len(blocks) != 2:
            places = ', '.join(b[0] for b in blocks)
            problems.append(f'css-twin {name}: {len(blocks)} blocks ({places}), wanted 2')
            continue
        (wa, _, ra), (wb, _, rb) = blocks
        if not ra:
            problems.append(f'{wa}: css-twin {name} holds no rule')
        if ra != rb:
            diff = '\n'.join(difflib.unified_diff(ra, rb, wa, wb, n=3, lineterm=''))
            problems.append(f'css-twin {name}: the blocks at {wa} and {wb} differ '
                            f'(prefix written {PLACEHOLDER}):\n{diff}')
    return len(twins)


def main(argv):
    files = argv[1:] or sorted(glob.glob(os.path.join(ROOT, 'static', 'css', '*.css')))
    problems = []
    for path in files:
        check(path, problems)
    for p in problems:
        print(f'check-css-twins: {p}', file=sys.stderr)
    return 1 if problems else 0


if __name__ == '__main__':
    sys.exit(main(sys.argv))
