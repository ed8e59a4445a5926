#!/usr/bin/env bash
# eimza — checks that every #include "..." under src/ points down the layers
# (docs/ARCHITECTURE.md, "The layers"); run by scripts/lint.sh. CMake links the layers PRIVATE,
# but a header that brings only types or macros links anyway: this check is what refuses it.
#
# A file's layer is its folder under src/; web/ is split into its rooms (web/html, web/http,
# web/api, web/pages, and web itself for the route table on top). Each may include its own
# headers and those of the layers below it, no others:
#
#   util       (nothing)
#   core       util
#   crypto     core util
#   store      crypto core util
#   notify     store crypto core util
#   app        notify store crypto ca core util
#   sign       crypto core util
#   ca         core util                             (the in-house card bureau)
#   web/html   app util                              (web includes only app/ and util/ from
#   web/http   web/html app util                      below; app's headers are its door)
#   web/api    web/http web/html app util
#   web/pages  web/http web/html app util
#   web        web/api web/pages web/http web/html app util
#   cli        web (every room) sign app notify store crypto ca core util
#   main.c     cli
#
# An include must name its layer ("core/tckn.h", not "tckn.h"). Usage: check-layers.sh [ROOT]
# (ROOT: the tree to check, by default this script's project). Exit 0 when every include is
# allowed; 1 otherwise, one line per wrong include on stderr.
set -uo pipefail
cd "${1:-$(dirname "$0")/..}" || exit 2

allowed() {
  case "$1" in
    util) echo "util" ;;
    core) echo "core util" ;;
    crypto) echo "crypto core util" ;;
    store) echo "store crypto core util" ;;
    notify) echo "notify store crypto core util" ;;
    app) echo "app notify store crypto ca core util" ;;
    sign) echo "sign crypto core util" ;;
    ca) echo "ca core util" ;;
    web/html) echo "web/html app util" ;;
    web/http) echo "web/http web/html app util" ;;
    web/api) echo "web/api web/http web/html app util" ;;
    web/pages) echo "web/pages web/http web/html app util" ;;
    web) echo "web web/api web/pages web/http web/html app util" ;;
    cli) echo "cli web web/api web/pages web/http web/html sign app notify store crypto ca core util" ;;
    main) echo "cli" ;;
    *) echo "" ;;
  esac
}

# The layer of a path under src/ ("web/http/server.h" -> web/http, "core/tckn.h" -> core,
# "web/routes.h" -> web, "main.c" -> main).
layer_of() {
  local p=$1
  case "$p" in
    web/*/*) p=${p#web/}; echo "web/${p%%/*}" ;;
    */*) echo "${p%%/*}" ;;
    main.c) echo main ;;
    *) echo "" ;;
  esac
}

rc=0
files=$(git ls-files --cached --others --exclude-standard 'src/*.c' 'src/*.h' 2>/dev/null)
while IFS= read -r f; do
  [ -f "$f" ] || continue
  from=$(layer_of "${f#src/}")
  ok=" $(allowed "$from") "
  while IFS=: read -r line inc; do
    inc=${inc#*\"}
    inc=${inc%%\"*}
    to=$(layer_of "$inc")
    if [ -z "$to" ] || [ "$to" = main ]; then
      echo "lint: $f:$line: #include \"$inc\" does not name its layer (write \"layer/file.h\")" >&2
      rc=1
    elif [[ $ok != *" $to "* ]]; then
      echo "lint: $f:$line: $from may not include $inc (layer $to; $from includes only" \
        "$(allowed "$from" | sed 's/ /, /g'))" >&2
      rc=1
    fi
  done < <(grep -n '^[[:space:]]*#[[:space:]]*include[[:space:]]*"' "$f")
done <<<"$files"
exit $rc
