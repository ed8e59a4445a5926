# eimza — shared helpers for tests/cli/*.sh (sourced). ctest sets EIMZA_BIN, EIMZA_SOURCE_DIR,
# EIMZA_TOOLS and EIMZA_TEST_BACKEND (sqlite | postgresql).
set -uo pipefail

EIMZA=${EIMZA_BIN:?EIMZA_BIN not set (run through ctest)}
SRC=${EIMZA_SOURCE_DIR:?}
T=$(mktemp -d /tmp/eimza-test.XXXXXX)
_pg_dbs=()
_fails=0
_passes=0

_main_pid=$$
cleanup() {
  # only the test's own shell: a forked child killed before it could exec runs its parent's
  # EXIT trap (bash), and removed $T halfway through a test once
  [ "$BASHPID" = "$_main_pid" ] || return 0
  # new_db runs in a command substitution (a subshell): it writes the names to a file
  if [ -f "$T/pg-dbs" ]; then mapfile -t -O "${#_pg_dbs[@]}" _pg_dbs <"$T/pg-dbs"; fi
  for db in "${_pg_dbs[@]}"; do
    psql -q -X "$EIMZA_TEST_PG_ADMIN_URL" -c "DROP DATABASE IF EXISTS $db WITH (FORCE)" >/dev/null 2>&1
  done
  rm -rf "$T"
}
trap cleanup EXIT

# start_sms_gateway LOG: starts the stand-in SMS gateway (tests/mocks/sms-gateway.mjs) on
# loopback, what it receives written to LOG; sets MPID, and MPORT (empty when it did not start:
# tests/mocks/sms-gateway.mjs's words are in $T/gw.err).
start_sms_gateway() {
  node "$SRC/tests/mocks/sms-gateway.mjs" "$1" >"$T/gw.out" 2>"$T/gw.err" &
  MPID=$!
  MPORT=
  for _ in $(seq 1 100); do
    MPORT=$(sed -n 's/^port=\([0-9]*\)$/\1/p' "$T/gw.out")
    [ -n "$MPORT" ] && break
    sleep 0.05
  done
}

# sms_gateway_dev_conf FILE: settings for `eimza notify run` that send through that gateway
# with the key `serve --dev` seals SMS codes with (crypto_seal_key_dev: BLAKE2b-256 of its
# published words, in base64), so the sender can open the codes a --dev server queued.
sms_gateway_dev_conf() {
  printf 'sms_gateway_url = http://127.0.0.1:%s/api/send\nsecret_key = %s\n' "$MPORT" \
    'P3hwNp5Fgg2R8InD0rt4bV+YrP2nGukLnL3G3hAruhw=' >"$1"
}

# new_db: prints the URL of a fresh, empty database of the backend under test. A PostgreSQL
# test without a server skips (exit 77), or fails when EIMZA_REQUIRE_PG=1. Names come from
# /dev/urandom: two names made with $RANDOM once came out the same in one test.
new_db() {
  local id
  id=$(od -An -N6 -tx1 /dev/urandom | tr -d ' \n')
  case "${EIMZA_TEST_BACKEND:-sqlite}" in
    sqlite) echo "sqlite:$T/db-$id.sqlite" ;;
    postgresql)
      local name="eimza_t_$$_$id"
      psql -q -X "$EIMZA_TEST_PG_ADMIN_URL" -c "CREATE DATABASE $name" >/dev/null || return 1
      _pg_dbs+=("$name")
      echo "$name" >>"$T/pg-dbs"
      echo "${EIMZA_TEST_PG_ADMIN_URL%/*}/$name" ;;
  esac
}

require_backend() {
  if [ "${EIMZA_TEST_BACKEND:-sqlite}" = postgresql ] && [ -z "${EIMZA_TEST_PG_ADMIN_URL:-}" ]; then
    if [ "${EIMZA_REQUIRE_PG:-0}" = 1 ]; then echo "FAIL: no PostgreSQL server" >&2; exit 1; fi
    echo "skipped: no PostgreSQL server (run through scripts/with-postgres.sh)"
    exit 77
  fi
}
require_backend

# hold_sqlite FILE: a sqlite3 process keeps the SQLite database FILE open, its -wal and -shm
# there and its WAL index locked as a server's connection keeps them, until release_sqlite;
# HOLDER is its process id.
hold_sqlite() {
  mkfifo "$T/hold"
  sqlite3 "$1" <"$T/hold" >/dev/null 2>&1 &
  HOLDER=$!
  exec 9>"$T/hold"
  echo 'SELECT count(*) FROM schema_migrations;' >&9
  for _ in $(seq 1 100); do [ -e "$1-shm" ] && [ -e "$1-wal" ] && break; sleep 0.05; done
}
release_sqlite() {
  exec 9>&-
  wait "$HOLDER"
  rm -f "$T/hold"
}

# ok NAME: records a pass; fail NAME DETAIL: records a failure (the script goes on).
# free_port: a TCP port on 127.0.0.1 that nothing listens on now, from 20000-32767: below the
# kernel's ephemeral range (32768-60999), so no outgoing connection and no server listening on
# port 0 in a test running beside this one can take it meanwhile.
free_port() {
  local p
  for _ in $(seq 1 100); do
    p=$((20000 + RANDOM % 12768))
    if ! (exec 3<>"/dev/tcp/127.0.0.1/$p") 2>/dev/null; then
      echo "$p"
      return 0
    fi
  done
  return 1
}
ok() { _passes=$((_passes + 1)); echo "ok - $1"; }
fail() { _fails=$((_fails + 1)); echo "not ok - $1${2:+: $2}"; }

# expect_status WANT NAME CMD...: runs CMD, stdout to $T/out, stderr to $T/err, and checks
# its exit status.
expect_status() {
  local want=$1 name=$2; shift 2
  "$@" >"$T/out" 2>"$T/err"
  local got=$?
  if [ "$got" -eq "$want" ]; then ok "$name"; else
    fail "$name" "exit $got, wanted $want; stderr: $(head -c 600 "$T/err")"; fi
}

# expect_grep PATTERN FILE NAME: FILE contains the (extended) regular expression.
expect_grep() {
  if grep -Eq -- "$1" "$2"; then ok "$3"; else fail "$3" "no /$1/ in $(head -c 600 "$2")"; fi
}
expect_no_grep() {
  if grep -Eq -- "$1" "$2"; then fail "$3" "unexpected /$1/ in $(head -c 600 "$2")"; else ok "$3"; fi
}
# expect_eq WANT GOT NAME
expect_eq() {
  if [ "$1" = "$2" ]; then ok "$3"; else fail "$3" "wanted '$1', got '$2'"; fi
}

# catalogue_text KEY: the Turkish text of the catalogue's entry KEY (its msgctxt, e.g.
# reason.option_repeated) as eimza shows it: po/eimza.pot's msgid, on one line, unescaped.
# Empty when there is no such entry.
catalogue_text() {
  msgcat --no-wrap "$SRC/po/eimza.pot" |
    sed -n "/^msgctxt \"$1\"\$/{n;s/^msgid \"\(.*\)\"\$/\1/;s/\\\\\"/\"/g;p}"
}

# finish: prints the closing line and exits non-zero if anything failed.
finish() {
  echo "$_passes passed, $_fails failed"
  [ "$_fails" -eq 0 ]
  exit $?
}
