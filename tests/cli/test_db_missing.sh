#!/usr/bin/env bash
# eimza — only the commands meant to create a database create one (`eimza migrate`, `eimza
# restore` into a new file): every other open of a missing SQLite file fails, says that there is
# no database and what to do (`eimza migrate`, or put a backup back), and leaves no file behind;
# and every SQLite connection runs in WAL mode or does not open.
# SQLite: a server whose database file is deleted under it answers 503 database_unavailable
# (the JSON error's stable code, Retry-After) on /healthz and on the requests that need the
# database, logs why (db.connect_failed: no SQLite database), and no new file appears at the
# path however many requests come; after `eimza migrate`, or the file put back from a backup, it
# answers 200 again (db.ping_recovered). The other commands on a missing file exit 2 and make
# nothing; a rollback-journal database that cannot be turned to WAL (opened through a URI with
# nolock=1, which SQLite answers with "delete" without an error) is refused the same way.
# PostgreSQL creates no database either: a command, `eimza migrate` included, on a database
# that does not exist exits 2 and the database is still not there. Both backends.
source "$EIMZA_SOURCE_DIR/tests/lib.sh"
for c in jq curl sqlite3 psql; do
  command -v $c >/dev/null || { echo "FAIL: $c is needed (scripts/deps.txt)"; exit 1; }
done
DB=$(new_db) || exit 1
source "$SRC/tests/portal_lib.sh"

if [ "$backend" = postgresql ]; then
  name="eimza_missing_$$_$(od -An -N4 -tx1 /dev/urandom | tr -d ' \n')"
  GONE="${DB%/*}/$name"
  exists() { psql -X -At "$EIMZA_TEST_PG_ADMIN_URL" -c "SELECT count(*) FROM pg_database WHERE datname = '$name'"; }
  expect_status 2 "personnel show on a database that does not exist" \
    "$EIMZA" personnel show 10000000146 --db "$GONE"
  expect_status 2 "migrate does not create a PostgreSQL database" "$EIMZA" migrate --db "$GONE"
  expect_eq 0 "$(exists)" "the database is still not there"
  finish
fi

F=${DB#sqlite:}
# no_file LABEL PATH: nothing at PATH, nor its -wal, -shm or -journal.
no_file() {
  local left
  left=$(ls -d "$2" "$2-wal" "$2-shm" "$2-journal" 2>/dev/null)
  [ -z "$left" ] && ok "$1: no file made" || fail "$1: no file made" "$left"
}

# ---- commands on a missing file ---------------------------------------------------------------
M="$T/missing.sqlite"
printf 'tckn;ad\n' >"$T/p.csv"
for cmd in "personnel show 10000000146" "audit verify" "import personnel $T/p.csv" \
  "notify run --dev" "retention run" "backup $T/copy.sqlite"; do
  # shellcheck disable=SC2086
  expect_status 2 "$cmd: refused" "$EIMZA" $cmd --db "sqlite:$M"
  expect_grep "no SQLite database at '$M'.*eimza migrate" "$T/err" "$cmd: says so and what to do"
  no_file "$cmd" "$M"
done
no_file "backup's copy" "$T/copy.sqlite"
expect_status 2 "serve: refused" "$EIMZA" serve --dev --listen 127.0.0.1:0 --db "sqlite:$M"
expect_grep "no SQLite database at '$M'" "$T/err" "serve: says so"
no_file serve "$M"
expect_status 0 "migrate makes it" "$EIMZA" migrate --db "sqlite:$M"
expect_eq wal "$(sqlite3 "$M" 'PRAGMA journal_mode')" "in WAL mode"
expect_status 0 "then the others open it" "$EIMZA" audit verify --db "sqlite:$M"

# ---- a database that cannot be turned to WAL --------------------------------------------------
expect_status 0 "migrate" "$EIMZA" migrate --db "$DB"
"$EIMZA" backup "$T/good.sqlite" --db "$DB" >/dev/null 2>"$T/err" || fail "backup" "$(cat "$T/err")"
cp "$T/good.sqlite" "$T/rollback.sqlite"
expect_eq delete "$(sqlite3 "$T/rollback.sqlite" 'PRAGMA journal_mode')" "a backup is a rollback-journal file"
# relative: the store checks a path's directory, which a URI's is not
(cd "$T" && "$EIMZA" audit verify --db 'sqlite:file:rollback.sqlite?nolock=1' >"$T/out" 2>"$T/err")
expect_eq 2 "$?" "nolock URI: refused"
expect_grep "stays in journal mode 'delete', not WAL" "$T/err" "nolock URI: says why"
(cd "$T" && timeout 60 "$EIMZA" serve --dev --listen 127.0.0.1:0 --db 'sqlite:file:rollback.sqlite?nolock=1' >"$T/out" 2>"$T/err")
expect_eq 2 "$?" "nolock URI: serve refuses to start"
expect_eq delete "$(sqlite3 "$T/rollback.sqlite" 'PRAGMA journal_mode')" "the file left as it was"
expect_status 0 "by its plain path it opens" "$EIMZA" audit verify --db "sqlite:$T/rollback.sqlite"
expect_eq wal "$(sqlite3 "$T/rollback.sqlite" 'PRAGMA journal_mode')" "turned to WAL"

# ---- the file deleted under a running server --------------------------------------------------
printf 'threads = 1\n' >"$T/one.conf"
# gone: the database's files deleted under the server
gone() { rm -f "$F" "$F-wal" "$F-shm"; }
# down LABEL: /healthz and a request that needs the database answer 503 database_unavailable
# (three rounds: the pooled connection, then fresh ones), and no file appears.
down() {
  local r ra
  for r in 1 2 3; do
    call GET /healthz
    ra=$(sed -n 's/^Retry-After: *\([0-9]*\).*/\1/Ip' "$T/h" | head -1)
    expect_eq "503 database_unavailable 120" "$CODE $(jb .error.code 2>/dev/null) $ra" "$1: /healthz ($r)"
    call GET /api/v1/captcha
    expect_eq "503 database_unavailable" "$CODE $(jb .error.code 2>/dev/null)" "$1: a request ($r)"
  done
  no_file "$1" "$F"
  expect_grep 'event=db.connect_failed detail="there is no SQLite database at' "$SERR" "$1: logged why"
}
# up LABEL N: 200 again (the first probe may still meet the last failed connection: a few),
# the N-th recovery logged
up() {
  for _ in 1 2 3 4 5; do
    call GET /healthz
    [ "$CODE" = 200 ] && break
  done
  expect_code 200 "$1: /healthz"
  call GET /api/v1/captcha
  expect_code 200 "$1: a request"
  expect_eq "$2" "$(grep -c 'event=db.ping_recovered' "$SERR")" "$1: the recovery logged"
}
start_server -- --dev --listen 127.0.0.1:0 --db "$DB" --config "$T/one.conf" ||
  { fail "server starts" "$(head -c 600 "$SERR")"; finish; }
call GET /healthz
expect_code 200 "before: /healthz"
call GET /api/v1/captcha
expect_code 200 "before: a request (the pooled connection)"
gone
down deleted
expect_status 0 "eimza migrate makes a new database" "$EIMZA" migrate --db "$DB"
up "after migrate" 1
gone
down "deleted again"
cp "$T/good.sqlite" "$F"
up "the backup put back" 2
stop_server
finish
