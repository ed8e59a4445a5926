#!/usr/bin/env bash
# Checks every tracked C file: clang-format layout (.clang-format) and no banned functions
# (unbounded string functions: use util/buf.h, snprintf or memcpy with a checked length), and
# that every command the scripts, tests, benchmarks and demo run is installed by
# scripts/deps.txt (scripts/check-commands.py).
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
# every external command the scripts and tests call comes from a package deps.txt names
if ! python3 scripts/check-commands.py; then
  rc=1
fi
exit $rc
