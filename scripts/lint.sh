#!/usr/bin/env bash
# Checks every tracked C file: clang-format layout (.clang-format) and no banned functions
# (unbounded string functions: use util/buf.h, snprintf or memcpy with a checked length); that
# includes point down the layers (scripts/check-layers.sh); the catalogue of people's text
# (po/); that the style sheet's twin blocks match (scripts/check-css-twins.py); and that
# every command the scripts, tests, benchmarks and demo run is installed by scripts/deps.txt
# (scripts/check-commands.py).
set -uo pipefail
cd "$(dirname "$0")/.."
files=$(git ls-files --cached --others --exclude-standard '*.c' '*.h' 2>/dev/null |
        while read -r f; do [ -f "$f" ] && echo "$f"; done)
[ -n "$files" ] || exit 0
rc=0
bad=$(clang-format --dry-run $files 2>&1 | grep -o '^[^:]*\.[ch]' | sort -u)
if [ -n "$bad" ]; then
  echo "lint: not formatted (run 'make format'):" >&2
  echo "$bad" | sed 's/^/  /' >&2
  rc=1
fi
banned='\b(strcpy|strcat|sprintf|vsprintf|gets|strtok|asctime|ctime|gmtime|localtime|tmpnam|atoi|atol)\s*\('
if grep -nE "$banned" $files >&2; then
  echo "lint: banned function above (use the bounded/thread-safe alternative)" >&2
  rc=1
fi
# the layers point one way: no #include from a lower layer (or room of web/) of a higher one
if ! scripts/check-layers.sh; then
  echo "lint: wrong-way includes above (docs/ARCHITECTURE.md, \"The layers\")" >&2
  rc=1
fi
# the catalogue of people's text (po/, core/catalogue.h): both files well formed with their
# {placeholders} kept in the translation (msgfmt --check); each key (msgctxt) once; every
# Turkish text translated, none left fuzzy (msgcmp counts fuzzy and empty ones as missing)
for po in po/eimza.pot po/en.po; do
  if ! msgfmt --check -o /dev/null "$po"; then
    echo "lint: $po is not a valid catalogue (above)" >&2
    rc=1
  fi
done
dup=$(sed -n 's/^msgctxt //p' po/eimza.pot | sort | uniq -d)
if [ -n "$dup" ]; then
  echo "lint: keys used twice in po/eimza.pot:" >&2
  echo "$dup" | sed 's/^/  /' >&2
  rc=1
fi
if ! msgcmp po/en.po po/eimza.pot; then
  echo "lint: po/en.po lacks the English of the texts above (msgmerge --update po/en.po" \
    "po/eimza.pot, then translate them and drop the fuzzy marks)" >&2
  rc=1
fi
# the style sheet's twin blocks (the card layout below 1280 px and, for the queue, below
# 768 px) declare the same rules (scripts/check-css-twins.py)
if ! python3 scripts/check-css-twins.py; then
  echo "lint: twin CSS blocks differ (above): change both alike" >&2
  rc=1
fi
# every external command the scripts and tests call comes from a package deps.txt names
if ! python3 scripts/check-commands.py; then
  rc=1
fi
exit $rc
