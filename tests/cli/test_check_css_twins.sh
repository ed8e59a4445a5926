#!/usr/bin/env bash
# eimza — the style sheet's twin blocks (scripts/check-css-twins.py, run by scripts/lint.sh):
# static/css/eimza.css writes the card layout twice (below 1280 px for tables marked cards,
# below 768 px for the queue, cards-phone), as plain CSS cannot give a block to two media
# conditions. The project's own sheet passes; a copy in which one block's value, property or
# selector drifted from its twin's fails, naming what differs; so does a copy with a marker
# lost, or a selector outside its block's prefix; a difference in the media condition or in a
# comment does not fail. Runs once (no database).
# eimza-test: no database
. "$(dirname "$0")/../lib.sh"
[ "${EIMZA_TEST_BACKEND:-sqlite}" = sqlite ] || { echo "skipped: runs once"; exit 77; }

CHECK=$SRC/scripts/check-css-twins.py
CSS=$SRC/static/css/eimza.css
expect_status 0 "the project's style sheets pass" python3 "$CHECK"
expect_eq 2 "$(grep -c 'css-twin card-layout, prefix' "$CSS")" "the card layout marked twice"

# drift DESCRIPTION PYTHON-EXPRESSION: a copy of the sheet changed by the expression (on s, the
# text; last(s, a, b) replaces the last a, in the cards-phone block, by b) is written to
# $T/drift.css
drift() {
  python3 - "$CSS" "$T/drift.css" "$2" <<'PY' || fail "$1: the copy was not made"
import sys
s = open(sys.argv[1], encoding='utf-8').read()
def last(s, a, b):
    i = s.rindex(a)
    return s[:i] + b + s[i + len(a):]
t = eval(sys.argv[3])
assert t != s, 'nothing changed'
open(sys.argv[2], 'w', encoding='utf-8').write(t)
PY
}

drift "a value" "last(s, 'padding: 0.3rem 0.75rem;', 'padding: 0.3rem 0.5rem;')"
expect_status 1 "a value changed in one block fails" python3 "$CHECK" "$T/drift.css"
expect_grep '^\+ +padding: 0\.3rem 0\.5rem;' "$T/err" "the changed value named"
expect_grep 'css-twin card-layout' "$T/err" "the pair named"

drift "a property" "last(s, 'clip-path: inset(50%);', 'clip-path: inset(50%);\n    white-space: nowrap;')"
expect_status 1 "a property added to one block fails" python3 "$CHECK" "$T/drift.css"
expect_grep '^\+ +white-space: nowrap;' "$T/err" "the added property named"

drift "a property gone" "s.replace('    font-size: 0.8rem;\n    font-weight: 700;\n    color: var(--pico-muted-color);\n  }\n}\n\n/* The same cards', '    font-weight: 700;\n    color: var(--pico-muted-color);\n  }\n}\n\n/* The same cards', 1)"
expect_status 1 "a property dropped from one block fails" python3 "$CHECK" "$T/drift.css"
expect_grep '^\+ +font-size: 0\.8rem;' "$T/err" "the property only the twin has named"

drift "a selector" "last(s, 'table.cards-phone td:empty {', 'table.cards-phone td:blank {')"
expect_status 1 "a selector changed in one block fails" python3 "$CHECK" "$T/drift.css"
expect_grep 'TWIN td:blank' "$T/err" "the changed selector named"

drift "outside the prefix" "last(s, 'table.cards-phone caption {', 'table.queue caption {')"
expect_status 1 "a selector outside its block's prefix fails" python3 "$CHECK" "$T/drift.css"
expect_grep 'selector "table.queue caption" does not start with table.cards-phone' "$T/err" \
  "the selector outside named"

drift "a marker" "s.replace('css-twin card-layout, prefix table.cards-phone', 'the twin', 1)"
expect_status 1 "a block without its marker leaves its twin alone: fails" python3 "$CHECK" "$T/drift.css"
expect_grep 'css-twin card-layout: 1 blocks' "$T/err" "the lone twin named"

# what may differ: the media condition and the comments
drift "the condition" "last(s, '@media (max-width: 767.98px) {\n  table.cards-phone,', '@media (max-width: 1023.98px) {\n  /* a note */\n  table.cards-phone,')"
expect_status 0 "another media condition and a comment pass" python3 "$CHECK" "$T/drift.css"

finish
