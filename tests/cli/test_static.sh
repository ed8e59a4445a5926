#!/usr/bin/env bash
# eimza serve: the pages' static files as the real binary serves them from the source tree
# (static/ and the CSS library in node_modules/): content types, caching headers and 304,
# HEAD, and every way out of the folder refused with 404 (paths sent as they are, with
# curl --path-as-is). Also the landing page at / and that the --dev sample page is absent
# without --dev. The static_dir setting is accepted by --config. Runs on both backends (the
# files do not touch the database, the server does).
source "$EIMZA_SOURCE_DIR/tests/lib.sh"

if [ ! -f "$SRC/node_modules/@picocss/pico/css/pico.classless.min.css" ]; then
  echo "skipped: node_modules is not installed (scripts/install-node-deps.sh)"
  exit 77
fi

db=$(new_db) || { fail "new database"; finish; }
expect_status 0 "migrate" "$EIMZA" migrate --db "$db"
printf 'static_dir = %s/static\n' "$SRC" >"$T/eimza.conf"

# the server runs in the source tree, where the default static_dir ("static") is
cd "$SRC" || exit 1
"$EIMZA" serve --config "$T/eimza.conf" --listen 127.0.0.1:0 --db "$db" >"$T/serve.out" 2>"$T/serve.err" &
PID=$!
URL=
for _ in $(seq 1 200); do
  URL=$(sed -n 's/^eimza: serving on \(http[^ ]*\) .*/\1/p' "$T/serve.out")
  [ -n "$URL" ] && break
  kill -0 "$PID" 2>/dev/null || break
  sleep 0.05
done
[ -n "$URL" ] || { fail "server start" "$(cat "$T/serve.err")"; finish; }

# get PATH [CURL-ARGS...]: status in CODE, headers in $T/h, body in $T/b
# and the body's size in SIZE (0 for HEAD and 304, whatever curl leaves in files)
get() {
  local path=$1; shift
  rm -f "$T/b" "$T/h"
  read -r CODE SIZE < <(curl -s --path-as-is -o "$T/b" -D "$T/h" -w '%{http_code} %{size_download}\n' "$@" "$URL$path")
}
hdr() { sed -n "s/^$1: \(.*\)\r$/\1/Ip" "$T/h" | head -1; }

for spec in "css/eimza.css|text/css; charset=utf-8" "js/countdown.js|text/javascript; charset=utf-8" \
            "js/focus-errors.js|text/javascript; charset=utf-8" "img/favicon.svg|image/svg+xml" \
            "vendor/pico.classless.min.css|text/css; charset=utf-8"; do
  path=${spec%%|*} type=${spec#*|}
  get "/static/$path"
  expect_eq 200 "$CODE" "GET /static/$path"
  expect_eq "$type" "$(hdr Content-Type)" "/static/$path: Content-Type"
  expect_eq "no-cache" "$(hdr Cache-Control)" "/static/$path: Cache-Control"
  if [ "$path" = vendor/pico.classless.min.css ]; then
    cmp -s "$T/b" "$SRC/node_modules/@picocss/pico/css/pico.classless.min.css" &&
      ok "vendor file is node_modules' file" || fail "vendor file differs"
  else
    cmp -s "$T/b" "$SRC/static/$path" && ok "/static/$path is the file" || fail "/static/$path differs"
  fi
done

get /static/css/eimza.css
etag=$(hdr ETag) lastmod=$(hdr Last-Modified)
[[ $etag =~ ^\"[0-9a-f]+-[0-9a-f]+-[0-9a-f]+\"$ ]] && ok "ETag form" || fail "ETag form" "$etag"
[[ $lastmod =~ ^[A-Z][a-z]{2},\ [0-9]{2}\ [A-Z][a-z]{2}\ [0-9]{4}\ [0-9:]{8}\ GMT$ ]] &&
  ok "Last-Modified form" || fail "Last-Modified form" "$lastmod"
get /static/css/eimza.css -H "If-None-Match: $etag"
expect_eq 304 "$CODE" "If-None-Match: 304"
expect_eq 0 "$SIZE" "304 without a body"
get /static/css/eimza.css -H "If-Modified-Since: $lastmod"
expect_eq 304 "$CODE" "If-Modified-Since: 304"
get /static/css/eimza.css -H 'If-None-Match: "stale"'
expect_eq 200 "$CODE" "a stale ETag: 200"

get /static/css/eimza.css -I
expect_eq 200 "$CODE" "HEAD"
expect_eq "$(stat -c %s "$SRC/static/css/eimza.css")" "$(hdr Content-Length)" "HEAD: Content-Length"
expect_eq 0 "$SIZE" "HEAD: no body"
expect_eq "$etag" "$(hdr ETag)" "HEAD: the same ETag"

for path in /static/../src/main.c /static/css/../../src/main.c /static/css/..%2f..%2fsrc%2fmain.c \
            /static/%2e%2e/package.json /static/vendor/..%2f..%2fpackage.json \
            /static/vendor/pico.min.css /static/vendor/eimza.css /static/css/.eimza.css \
            /static/js/../../Makefile /static/img/favicon.svg/x \
            /static/css/missing.css /static/eimza.css "/static/css/eimza.css%2f" \
            /static/..%2fscripts/install-node-deps.sh; do
  get "$path"
  expect_eq 404 "$CODE" "refused: $path"
  cat "$T/b" >>"$T/refused" 2>/dev/null
done
touch "$T/refused"
expect_no_grep 'int main|#!/usr/bin/env|eimza-web-assets|^\.PHONY' "$T/refused" "nothing leaked"

# the pages around them
get / -H 'Accept-Language: en'
expect_eq 200 "$CODE" "GET /"
expect_grep '<html lang="en"' "$T/b" "GET / in English"
expect_eq "text/html; charset=utf-8" "$(hdr Content-Type)" "GET /: Content-Type"
get /ornek-form
expect_eq 404 "$CODE" "the sample page is absent without --dev"

kill -TERM "$PID"
wait "$PID"
expect_eq 0 "$?" "server stopped cleanly"
finish
