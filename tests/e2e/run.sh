#!/usr/bin/env bash
# eimza — the end-to-end tests: the portal's pages in headless Chromium, as a person meets
# them (tests/e2e/*.test.mjs, node's own test runner driving Debian's Chromium through
# playwright-core; no browser is downloaded).
#
# Builds a fresh SQLite database (migrate + tests/e2e/fixtures/personnel.csv), starts
# `eimza serve --dev --listen 127.0.0.1:0` from the source tree (so static/ and node_modules/
# are found), reads the URL from its ready line, runs the tests with it in EIMZA_E2E_URL,
# then stops the server with SIGTERM and fails if it did not stop cleanly (under ASan a leak
# makes the exit status non-zero). Screenshots and the server's log are kept in
# $EIMZA_ARTIFACTS (default: a new folder under /tmp); the last line says where.
#
# Environment: EIMZA_BIN (the eimza binary), EIMZA_SOURCE_DIR (the source tree), optional
# EIMZA_ARTIFACTS, EIMZA_CHROMIUM (default /usr/bin/chromium). Without Chromium or
# node_modules the tests are skipped (exit 77), unless CI or EIMZA_REQUIRE_E2E=1 is set:
# then that is a failure.
set -uo pipefail

EIMZA=${EIMZA_BIN:?EIMZA_BIN not set (run through ctest)}
SRC=${EIMZA_SOURCE_DIR:?EIMZA_SOURCE_DIR not set (run through ctest)}
case $EIMZA in /*) ;; *) EIMZA=$PWD/$EIMZA ;; esac
export EIMZA_CHROMIUM=${EIMZA_CHROMIUM:-/usr/bin/chromium}

missing() {
  if [ -n "${CI:-}" ] || [ "${EIMZA_REQUIRE_E2E:-0}" = 1 ]; then
    echo "FAIL: $1" >&2
    exit 1
  fi
  echo "skipped: $1"
  exit 77
}
command -v node >/dev/null || missing "node is not installed (make deps)"
[ -x "$EIMZA_CHROMIUM" ] || missing "$EIMZA_CHROMIUM is not installed (make deps)"
[ -f "$SRC/node_modules/playwright-core/package.json" ] ||
  missing "node_modules is not installed (scripts/install-node-deps.sh)"

ART=${EIMZA_ARTIFACTS:-$(mktemp -d /tmp/eimza-e2e-artifacts.XXXXXX)}
mkdir -p "$ART" || exit 1
rm -f "$ART"/*.png
export EIMZA_ARTIFACTS=$ART
T=$(mktemp -d /tmp/eimza-e2e.XXXXXX)
PID=
cleanup() {
  if [ -n "$PID" ] && kill -0 "$PID" 2>/dev/null; then
    kill -TERM "$PID" 2>/dev/null
    wait "$PID" 2>/dev/null
  fi
  rm -rf "$T"
}
trap cleanup EXIT

db="sqlite:$T/e2e.db"
"$EIMZA" migrate --db "$db" >"$T/migrate.log" 2>&1 || { cat "$T/migrate.log" >&2; exit 1; }
"$EIMZA" import personnel "$SRC/tests/e2e/fixtures/personnel.csv" --db "$db" >"$T/import.log" 2>&1 ||
  { cat "$T/import.log" >&2; exit 1; }
# the pages' static files from the source tree, and who runs the portal as a deployment sets
# it (docs/CONFIGURATION.md): the English name differs from the default and the logo is a file
# of the tests', so the pages show they come from the configuration
{
  printf 'static_dir = %s/static\n' "$SRC"
  printf 'ministry_name_en = Ministry of National Education of Türkiye\n'
  printf 'ministry_logo = %s/tests/e2e/fixtures/ministry-logo.svg\n' "$SRC"
  printf 'province_contacts = %s/tests/e2e/fixtures/province-contacts.csv\n' "$SRC"
} >"$T/eimza.conf"

cd "$SRC" || exit 1
"$EIMZA" serve --dev --config "$T/eimza.conf" --listen 127.0.0.1:0 --db "$db" \
  >"$T/serve.out" 2>"$ART/server.log" &
PID=$!
URL=
for _ in $(seq 1 200); do
  URL=$(sed -n 's/^eimza: serving on \(http[^ ]*\) .*/\1/p' "$T/serve.out")
  [ -n "$URL" ] && break
  kill -0 "$PID" 2>/dev/null || break
  sleep 0.05
done
if [ -z "$URL" ]; then
  echo "FAIL: the server did not start" >&2
  cat "$T/serve.out" "$ART/server.log" >&2
  exit 1
fi
echo "e2e: server at $URL"

# One file at a time. A browser on a shared 2-core machine sometimes loses a race with the
# clock; a file that fails is run once more, and only a second failure fails the suite. Both
# runs are in the log, and the retry is announced, so a flake is seen rather than hidden.
status=0
# for tests that prepare data of their own (admin.test.mjs: staff accounts, personnel,
# certificates) with the eimza commands on the server's database
export EIMZA_E2E_DB=$db EIMZA_E2E_BIN=$EIMZA
# EIMZA_E2E_ONLY=NAME.test.mjs runs that file alone (while working on it)
files=("$SRC"/tests/e2e/*.test.mjs)
[ -n "${EIMZA_E2E_ONLY:-}" ] && files=("$SRC/tests/e2e/$EIMZA_E2E_ONLY")
for f in "${files[@]}"; do
  if ! EIMZA_E2E_URL=$URL node --test "$f"; then
    echo "e2e: RETRY $(basename "$f") failed once; running it again" >&2
    EIMZA_E2E_URL=$URL node --test "$f" || status=1
  fi
done

kill -TERM "$PID"
wait "$PID"
server_status=$?
PID=
if [ "$server_status" -ne 0 ]; then
  echo "FAIL: the server exited with status $server_status (see $ART/server.log)" >&2
  tail -n 40 "$ART/server.log" >&2
  status=1
fi
echo "e2e: screenshots and the server log are in $ART"
exit $status
