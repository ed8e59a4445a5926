#!/usr/bin/env bash
# eimza — scripts/check-commands.py catches a command that no package of scripts/deps.txt
# provides (the xxd case: the tests called it, deps.txt did not name it, and `make test`
# failed on a fresh Debian 12) and passes once the package is named.
# eimza-test: no database
. "$(dirname "$0")/../lib.sh"
command -v xxd >/dev/null || { fail "xxd installed for this test" "scripts/deps.txt names it"; finish; }

R="$T/repo"
mkdir -p "$R/scripts" "$R/tests"
cp "$SRC/scripts/check-commands.py" "$R/scripts/"
printf 'coreutils\n' >"$R/scripts/deps.txt"
cat >"$R/tests/t.sh" <<'SH'
#!/bin/sh
# a comment that mentions zbarimg is not a call
printf 'ab' | xxd -p | tr -d '\n'
echo "pdftotext in a string is not a call either"
SH
git -C "$R" init -q && git -C "$R" add -A

expect_status 1 "a command from an unlisted package fails the check" \
  python3 "$R/scripts/check-commands.py"
expect_grep '"xxd" \(tests/t\.sh\) comes from package xxd' "$T/err" "the command, its file and its package are named"
expect_no_grep 'zbarimg|pdftotext' "$T/err" "comments and strings are not read as calls"

printf 'coreutils\nxxd\n' >"$R/scripts/deps.txt"
expect_status 0 "the same tree passes once deps.txt names the package" \
  python3 "$R/scripts/check-commands.py"

# an uninstalled tool is reported too
printf 'no-such-tool-eimza --version\n' >>"$R/tests/t.sh"
expect_status 1 "a command no installed package provides fails the check" \
  python3 "$R/scripts/check-commands.py"
expect_grep '"no-such-tool-eimza" \(tests/t\.sh\) is not installed' "$T/err" "named as not installed"

expect_status 0 "the project's own tree passes" python3 "$SRC/scripts/check-commands.py"
finish
