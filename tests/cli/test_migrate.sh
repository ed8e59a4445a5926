#!/usr/bin/env bash
# eimza — `eimza migrate [--db URL]`: creates and upgrades the schema (and, for SQLite, the
# database's missing directory), reports "schema at version N (applied K migrations)", is a
# no-op the second time, is safe to run several at once, refuses a database newer than the
# binary, and keeps the exit statuses of docs/INTERFACES.md (0 ok, 1 usage, 2 failure) without
# ever echoing a password from the URL. Runs on both backends.
source "$EIMZA_SOURCE_DIR/tests/lib.sh"

# sql URL QUERY: one value from the database behind an eimza URL.
sql() {
  case "$1" in
    sqlite:*) sqlite3 -cmd ".timeout 10000" "${1#sqlite:}" "$2" ;;
    *) psql -qtAX "$1" -c "$2" ;;
  esac
}

# The newest version this eimza knows: the number of the last migration file.
LATEST=$(ls "$SRC/src/store/migrations/sqlite/"*.sql | sed 's|.*/||; s|_.*||' | sort -n | tail -1)
LATEST=$((10#$LATEST))

# ---- a fresh database ------------------------------------------------------------------------
DB=$(new_db) || exit 1
expect_status 0 "migrate a new database" "$EIMZA" migrate --db "$DB"
expect_grep "^schema at version $LATEST \(applied $LATEST migrations?\)$" "$T/out" "reports version and count"
expect_eq "$LATEST" "$(sql "$DB" 'SELECT count(*) FROM schema_migrations')" "one schema_migrations row per migration"
expect_eq "0" "$(sql "$DB" 'SELECT count(*) FROM personnel')" "tables exist"

expect_status 0 "migrate again" "$EIMZA" migrate --db="$DB"
expect_grep "^schema at version $LATEST \(applied 0 migrations\)$" "$T/out" "second run applies nothing"
expect_eq "$LATEST" "$(sql "$DB" 'SELECT count(*) FROM schema_migrations')" "still one row per migration"

# ---- version 13: the PIN codes an older eimza queued in clear ----------------------------------
# Put as the PIN step wrote them before 2026-12 (the code in the body, no template): one waiting,
# one being sent but not handed over, one handed over, one sent; with one of this eimza (the
# template pin_code, the code sealed apart) and an application's message beside them. Version 13
# only changes rows, so the database is taken back to 12 by forgetting that it was applied.
ob() { # KEY STATUS HANDED_OVER TEMPLATE BODY
  local tpl=NULL params=NULL ho=NULL
  [ "$4" = - ] || { tpl="'$4'"; params="'{\"number\":\"2026-000002\"}'"; }
  [ "$3" = - ] || ho="$3"
  sql "$DB" "INSERT INTO outbox (dedupe_key, channel, recipient, subject, body, template, params, status, attempts, next_try_at, created_at, handed_over_at) VALUES ('$1', 'sms', '5321234567', '', '$5', $tpl, $params, '$2', 0, 0, 1, $ho)" >/dev/null
}
clear="e-imza kartınızın (2026-000001) PIN''ini görmek için SMS kodunuz: 482913. Kod 5 dakika geçerlidir."
ob pin:2026-000001:1 pending - - "$clear"
ob pin:2026-000001:2 sending - - "$clear"
ob pin:2026-000001:3 sending 5 - "$clear"
ob pin:2026-000001:4 sent - - "$clear"
ob pin:2026-000002:1 pending - pin_code ""
ob remind:7:signed:sms pending - - "Başvurunuz 482913 bekliyor."
sql "$DB" "DELETE FROM schema_migrations WHERE version = 13" >/dev/null
expect_status 0 "migrate from version 12" "$EIMZA" migrate --db "$DB"
expect_grep "^schema at version $LATEST \(applied $((LATEST - 12)) migrations?\)$" "$T/out" "applies version 13 and on"
expect_eq 0 "$(sql "$DB" "SELECT count(*) FROM outbox WHERE dedupe_key LIKE 'pin:%' AND body LIKE '%482913%'")" \
  "no PIN code is left in clear"
expect_eq "pin:2026-000001:1 failed code_withdrawn|pin:2026-000001:2 failed code_withdrawn|pin:2026-000001:3 sending -|pin:2026-000001:4 sent -|pin:2026-000002:1 pending -" \
  "$(sql "$DB" "SELECT dedupe_key || ' ' || status || ' ' || coalesce(last_error, '-') FROM outbox WHERE dedupe_key LIKE 'pin:%' ORDER BY dedupe_key" | paste -sd'|')" \
  "the waiting ones fail as withdrawn; handed over, sent and new ones keep their state"
expect_eq 4 "$(sql "$DB" "SELECT count(*) FROM outbox WHERE dedupe_key LIKE 'pin:2026-000001:%' AND body = 'e-imza kart PIN SMS kodu (metni güvenlik için silindi)'")" \
  "each old text says what it was, without the code"
expect_eq "pending Başvurunuz 482913 bekliyor." "$(sql "$DB" "SELECT status || ' ' || body FROM outbox WHERE dedupe_key = 'remind:7:signed:sms'")" \
  "other messages are left alone"
sql "$DB" "DELETE FROM outbox" >/dev/null

# ---- several at once -------------------------------------------------------------------------
DB2=$(new_db) || exit 1
pids=()
for i in 1 2 3 4; do
  "$EIMZA" migrate --db "$DB2" >"$T/par$i.out" 2>"$T/par$i.err" &
  pids+=($!)
done
par_ok=0
for i in 0 1 2 3; do wait "${pids[$i]}" && par_ok=$((par_ok + 1)); done
expect_eq 4 "$par_ok" "four concurrent migrates all succeed"
expect_eq "$LATEST" "$(sql "$DB2" 'SELECT count(*) FROM schema_migrations')" "each migration applied once"
applied=$(sed -n 's/.*(applied \([0-9]*\) migration.*/\1/p' "$T"/par*.out | awk '{ s += $1 } END { print s + 0 }')
expect_eq "$LATEST" "$applied" "the concurrent runs applied $LATEST migrations between them"

# ---- a database newer than this eimza ----------------------------------------------------------
sql "$DB" "INSERT INTO schema_migrations (version, name, applied_at) VALUES ($((LATEST + 1)), 'future', 0)" >/dev/null
expect_status 2 "newer database refused" "$EIMZA" migrate --db "$DB"
expect_grep "newer" "$T/err" "says the database is newer"
expect_status 2 "other commands refuse it too" "$EIMZA" personnel show 10000000146 --db "$DB"

# ---- usage and URLs ----------------------------------------------------------------------------
expect_status 0 "--help" "$EIMZA" migrate --help
expect_grep "usage: eimza migrate" "$T/out" "usage on stdout"
expect_status 1 "unknown option" "$EIMZA" migrate --bogus
expect_status 1 "extra argument" "$EIMZA" migrate "$DB" --db "$DB"
expect_status 1 "--db without a value" "$EIMZA" migrate --db
expect_status 1 "unknown URL scheme" "$EIMZA" migrate --db "mysql://root:Hunter2secret@db/eimza"
expect_grep "mysql" "$T/err" "names the scheme"
expect_no_grep "Hunter2secret" "$T/err" "no password in a usage error"
expect_status 1 "malformed PostgreSQL URL" "$EIMZA" migrate --db "postgresql://u:Hunter2%zzsecret@127.0.0.1/x"
expect_no_grep "Hunter2" "$T/err" "no password from a malformed URL"
expect_status 2 "unreachable PostgreSQL" "$EIMZA" migrate --db "postgresql://u:Hunter2secret@127.0.0.1:1/x"
expect_no_grep "Hunter2secret" "$T/err" "no password from a failed connection"

# ---- SQLite paths (the same on both runs: they do not need the server) -------------------------
if [ "${EIMZA_TEST_BACKEND:-sqlite}" = sqlite ]; then
  expect_status 2 "other commands do not create a missing directory" \
    "$EIMZA" personnel show 10000000146 --db "sqlite:$T/a/b/eimza.db"
  expect_grep "$T/a/b" "$T/err" "the missing directory is named"
  [ -e "$T/a" ] && fail "no directory made" "$T/a exists" || ok "no directory made"
  expect_status 0 "migrate creates the missing directory" "$EIMZA" migrate --db "sqlite:$T/a/b/eimza.db"
  [ -f "$T/a/b/eimza.db" ] && ok "database file made" || fail "database file made" "$(ls -R "$T/a" 2>&1)"
  expect_eq "wal" "$(sqlite3 "$T/a/b/eimza.db" 'PRAGMA journal_mode')" "WAL mode"
  mkdir -p "$T/cwd"
  (cd "$T/cwd" && "$EIMZA" migrate >"$T/out" 2>"$T/err")
  expect_eq 0 "$?" "migrate without --db uses var/eimza.db"
  [ -f "$T/cwd/var/eimza.db" ] && ok "default database made under var/" || fail "default database made under var/" "$(cat "$T/err")"
  echo "not a database, not at all, no" >"$T/junk.db"
  expect_status 2 "a file that is not a database" "$EIMZA" migrate --db "$T/junk.db"
fi

finish
