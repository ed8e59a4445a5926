#!/usr/bin/env bash
# eimza — the layers' direction is checked (scripts/check-layers.sh, run by scripts/lint.sh):
# the project's own tree passes; in a copy of it, an include that points the wrong way fails
# the check with the file, the line and the rule named — web including the store, core
# including app, a room of web/ including a room above it, util including core, an include
# that does not name its layer — and `make lint` (scripts/lint.sh) fails on it too, while the
# right-way include beside it passes. Runs once (no database).
# eimza-test: no database
. "$(dirname "$0")/../lib.sh"
[ "${EIMZA_TEST_BACKEND:-sqlite}" = sqlite ] || { echo "skipped: runs once"; exit 77; }

expect_status 0 "the project's own tree follows the layers" bash "$SRC/scripts/check-layers.sh" "$SRC"

# a copy of the tree as git lists it (lint.sh lists files with git)
R="$T/repo"
mkdir -p "$R"
(cd "$SRC" && git ls-files --cached --others --exclude-standard -z |
  xargs -0 sh -c 'for f; do [ -f "$f" ] && printf "%s\0" "$f"; done' sh |
  tar --null -T - -cf -) | tar -xf - -C "$R"
git -C "$R" init -q && git -C "$R" add -A

expect_status 0 "the copy passes" bash "$R/scripts/check-layers.sh" "$R"

# wrong_way FILE INCLUDE PATTERN NAME: FILE with one more include fails, naming it
wrong_way() {
  local f=$R/$1
  cp "$f" "$T/saved"
  printf '#include "%s"\n' "$2" >>"$f"
  expect_status 1 "$4" bash "$R/scripts/check-layers.sh" "$R"
  expect_grep "$3" "$T/err" "$4: named"
  cp "$T/saved" "$f"
}
wrong_way src/web/pages/login.c store/store.h \
  '^lint: src/web/pages/login\.c:[0-9]+: web/pages may not include store/store\.h \(layer store; web/pages includes only web/pages, web/http, web/html, app, util\)' \
  "web including the store"
wrong_way src/core/tckn.c app/portal.h 'src/core/tckn\.c:[0-9]+: core may not include app/portal\.h' \
  "core including app"
wrong_way src/web/html/html.c web/pages/pages.h \
  'src/web/html/html\.c:[0-9]+: web/html may not include web/pages/pages\.h' \
  "the writer's room including the pages' room"
wrong_way src/web/http/server.c web/api/api.h 'web/http may not include web/api/api\.h' \
  "http including the JSON handlers"
wrong_way src/util/buf.h core/date.h 'src/util/buf\.h:[0-9]+: util may not include core/date\.h' \
  "util including core (in a header)"
wrong_way src/app/text.h web/http/error.h 'app may not include web/http/error\.h' \
  "app including web"
wrong_way src/crypto/hash.c buf.h 'src/crypto/hash\.c:[0-9]+: #include "buf\.h" does not name its layer' \
  "an include without its layer"

# the right way round passes
printf '#include "app/text.h"\n' >>"$R/src/web/pages/login.c"
expect_status 0 "an include that points down passes" bash "$R/scripts/check-layers.sh" "$R"

# and make lint fails on a wrong-way one
printf '#include "store/store.h"\n' >>"$R/src/web/pages/login.c"
expect_status 1 "scripts/lint.sh (make lint) fails on a wrong-way include" bash "$R/scripts/lint.sh"
expect_grep 'web/pages may not include store/store\.h' "$T/err" "and says which"
expect_grep 'wrong-way includes above' "$T/err" "and why it failed"
finish
