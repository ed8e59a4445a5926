#!/usr/bin/env bash
# eimza — the command line's runtime failures that come from what the operator gave or from the
# environment are refusals in the one form (docs/INTERFACES.md, "Messages"): first, exactly,
# `eimza: COMMAND: [SUBJECT: ]CODE: <the catalogue's Turkish text>`, then one line of English
# details (the system's or the database's words), and their exit status (2; `restore`'s IN.db
# missing or not a file 1): a database that is not there (database_not_found), that cannot be
# opened (database_unreachable), whose schema is older or newer (schema_outdated,
# schema_newer), that fails (database_error); import personnel's and sign's input
# (file_unreadable, not_a_file, sign_input_too_large); personnel show without a record
# (personnel_unknown); evidence export of a number that does not exist (application_unknown,
# the operator's message, not the applicant's no_application); backup and restore
# (backup_failed, restore_failed, database_in_use, file_unreadable, not_a_file); serve's address
# in use (listen_failed); and a failed migrate (database_unreachable) that leaves nothing it made
# (the file of a `file:` URI, its folder) but keeps a file that was there.
source "$EIMZA_SOURCE_DIR/tests/lib.sh"

sql() { # URL SQL
  case "$1" in
    sqlite:*) sqlite3 -cmd ".timeout 10000" "${1#sqlite:}" "$2" ;;
    *) psql -q -X -t -A "$1" -c "$2" ;;
  esac
}
LATEST=$(ls "$SRC/src/store/migrations/sqlite/"*.sql | sed 's|.*/||; s|_.*||' | sort -n | tail -1)
LATEST=$((10#$LATEST))
changed_db() { # SQL: a new migrated database of the backend under test, SQL then run in it
  local db
  db=$(new_db) || return 1
  "$EIMZA" migrate --db "$db" >/dev/null 2>&1 && sql "$db" "$1" >/dev/null && echo "$db"
}

# failed STATUS WHAT SUBJECT CODE DETAIL CMD...: CMD exits STATUS; its first line on stderr
# (the log's lines aside) is exactly `eimza: WHAT: SUBJECT: CODE: <Turkish>` (`eimza: WHAT: CODE: <Turkish>` when SUBJECT
# is "-"); its second `eimza: WHAT: ` and the regular expression DETAIL (anchored at both
# ends), or no second line when DETAIL is "-".
failed() {
  local want=$1 what=$2 subject=$3 code=$4 detail=$5 name text got re
  shift 5
  name="$* ($code)"
  text=$(catalogue_text "reason.$code")
  [ -n "$text" ] || fail "$name: the catalogue has reason.$code"
  timeout 60 "$EIMZA" "$@" >"$T/out" 2>"$T/err" </dev/null
  got=$?
  grep -v '^ts=' "$T/err" >"$T/said"
  if [ "$got" = "$want" ]; then ok "$name: exit $want"; else
    fail "$name: exit $want" "exit $got; stderr: $(head -c 600 "$T/err")"; fi
  [ "$subject" = - ] && subject= || subject="$subject: "
  expect_eq "eimza: $what: $subject$code: $text" "$(head -n 1 "$T/said")" \
    "$name: the subject, the code and the Turkish text saying what to do"
  if [ "$detail" = - ]; then
    expect_eq 1 "$(wc -l <"$T/said")" "$name: the refusal alone"
    return
  fi
  re="^eimza: $what: $detail\$"
  if [[ $(sed -n 2p "$T/said") =~ $re ]]; then ok "$name: then the details"; else
    fail "$name: then the details" "no /$re/ in $(head -c 600 "$T/err")"; fi
}

DB=$(new_db) || exit 1
"$EIMZA" migrate --db "$DB" >/dev/null 2>&1 || fail "migrate" "$(cat "$T/err")"

# ---- the database ------------------------------------------------------------------------------
M=$T/missing.sqlite
failed 2 "personnel show" - database_not_found \
  "cannot open the database: there is no SQLite database at '$M' .*eimza migrate.*" \
  personnel show 10000000146 --db "sqlite:$M"
failed 2 "import personnel" - database_not_found "cannot open the database: there is no .*" \
  import personnel "$T/none.csv" --db "sqlite:$M"
[ -e "$M" ] && fail "no database made at $M" || ok "no database made at $M"
touch "$T/afile"
failed 2 "audit verify" - database_unreachable \
  "cannot open the database: '$T/afile' \(the database's directory\) is not a directory" \
  audit verify --db "sqlite:$T/afile/x.db"

OLD=$(changed_db "DELETE FROM schema_migrations WHERE version = $LATEST") || exit 1
failed 2 "personnel show" - schema_outdated \
  "the database schema is at version $((LATEST - 1)), this eimza needs $LATEST: run 'eimza migrate' first" \
  personnel show 10000000146 --db "$OLD"
NEW=$(changed_db "INSERT INTO schema_migrations (version, name, applied_at)
                  VALUES ($((LATEST + 1)), 'future', 0)") || exit 1
failed 2 "user list" - schema_newer \
  "the database schema \(version $((LATEST + 1))\) is newer than this eimza \($LATEST\): upgrade eimza" \
  user list --db "$NEW"

BROKEN=$(changed_db "DROP TABLE audit_log") || exit 1
failed 2 "audit verify" - database_error "cannot read the audit log: .*audit_log.*" \
  audit verify --db "$BROKEN"

# ---- what the operator named -------------------------------------------------------------------
failed 2 "import personnel" "$T/none.csv" file_unreadable \
  "cannot open the file: No such file or directory; nothing was imported" \
  import personnel "$T/none.csv" --db "$DB"
failed 2 "personnel show" 10000000146 personnel_unknown \
  "no personnel record for T.C. Kimlik No 10000000146" personnel show 10000000146 --db "$DB"
failed 2 "evidence export" NOPE application_unknown - evidence export NOPE --out "$T/ev" --db "$DB"
expect_no_grep 'no_application|Henüz bir başvurunuz yok' "$T/err" "not the applicant's message"

# sign reads its input before it opens the card's module
failed 2 sign "$T/none" file_unreadable "cannot read $T/none: No such file or directory" \
  sign --module "$T/no.so" --in "$T/none" --out "$T/o.p7s"
mkdir "$T/folder"
failed 2 sign "$T/folder" not_a_file "$T/folder is not a regular file" \
  sign --module "$T/no.so" --in "$T/folder" --out "$T/o.p7s"
truncate -s $((64 * 1024 * 1024 + 1)) "$T/big"
failed 2 sign "$T/big" sign_input_too_large "$T/big has 67108865 bytes, more than 67108864" \
  sign --module "$T/no.so" --in "$T/big" --out "$T/o.p7s"
[ -e "$T/o.p7s" ] && fail "sign: no output" || ok "sign: no output"

# ---- backup and restore (SQLite's) -------------------------------------------------------------
S=$T/s.sqlite
"$EIMZA" migrate --db "sqlite:$S" >/dev/null 2>&1
failed 2 backup "$T/nofolder/copy.db" backup_failed "backup failed: .*No such file or directory" \
  backup "$T/nofolder/copy.db" --db "sqlite:$S"
failed 1 restore "$T/none.db" file_unreadable "'$T/none.db': No such file or directory" \
  restore "$T/none.db" --db "sqlite:$S"
failed 1 restore "$T/folder" not_a_file "'$T/folder' is not a file" \
  restore "$T/folder" --db "sqlite:$S"
failed 2 restore "$T/afile" restore_failed \
  "restore failed \(the database is as it was\): .*is not an eimza database" \
  restore "$T/afile" --db "sqlite:$T/into/r.sqlite"
[ -e "$T/into" ] && fail "a failed restore into a new folder leaves nothing" "$(ls -A "$T/into")" ||
  ok "a failed restore into a new folder leaves nothing"
hold_sqlite "$S"
failed 2 restore - database_in_use \
  "the database is open in process $HOLDER \(a server\?\): stop every process using it first" \
  restore "$T/s.sqlite.made" --db "sqlite:$S"
release_sqlite

# ---- a failed migrate leaves nothing it made ---------------------------------------------------
# (SQLite makes the file of a nolock=1 URI, then eimza refuses it: not in WAL mode)
cd "$T" || exit 1
mkdir "$T/m"
failed 2 migrate - database_unreachable "cannot open the database: .*stays in journal mode.*" \
  migrate --db "sqlite:file:$T/m/new.db?nolock=1"
expect_eq "" "$(ls -A "$T/m")" "a failed migrate removes the file it made"
failed 2 migrate - database_unreachable "cannot open the database: .*stays in journal mode.*" \
  migrate --db "sqlite:file:$T/m/sub/new.db?nolock=1"
expect_eq "" "$(ls -A "$T/m")" "a failed migrate removes the file and the folder it made"
[ -e "$T/file:" ] && fail "no folder named file: where it runs" || ok "no folder named file: where it runs"
: >"$T/m/was.db"
failed 2 migrate - database_unreachable "cannot open the database: .*stays in journal mode.*" \
  migrate --db "sqlite:file:$T/m/was.db?nolock=1"
expect_eq "was.db" "$(ls -A "$T/m")" "a file that was there is kept"

# ---- serve's address in use --------------------------------------------------------------------
P=$(free_port) || fail "a free port"
python3 -c 'import socket, sys, time
s = socket.socket(); s.bind(("127.0.0.1", int(sys.argv[1]))); s.listen(1)
print("up", flush=True); time.sleep(60)' "$P" >"$T/py.out" &
py=$!
for _ in $(seq 1 100); do grep -q up "$T/py.out" && break; sleep 0.05; done
failed 2 serve --listen listen_failed ".*127\.0\.0\.1.*$P.*" \
  serve --dev --listen "127.0.0.1:$P" --db "$DB"
kill "$py"
wait "$py" 2>/dev/null

finish
