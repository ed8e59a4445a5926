#!/usr/bin/env bash
# eimza — `eimza migrate --create-once` (the service's ExecStartPre) makes a SQLite database on
# the first start only. Whoever leaves a SQLite database at PATH (migrate making it, migrate on
# one made by an older eimza, restore into a new file) writes the stamp PATH.made (mode 0600:
# made|restored|recorded DATE, schema N) when there is none; with the stamp there and the file
# gone, --create-once refuses: exit 2, the stable code database_missing with the catalogue's
# Turkish message naming `eimza restore` and the stamp, then the details in English, the log
# event db.missing_refused, and nothing made (no file, no -wal, the stamp as it was), also in
# the unit's form (the database from --config).
# `eimza restore` puts the backup back and --create-once then migrates it; removing the stamp
# lets it make a new, empty one; plain `eimza migrate` still makes one where the stamp says one
# was lost, says so, and stamps it. A stamp that cannot be written (a folder nothing can be
# added to) is exit 2 with the reason, not ignored. PostgreSQL: the flag changes nothing, a
# database that does not exist is still not made, and no stamp is written. Both backends.
source "$EIMZA_SOURCE_DIR/tests/lib.sh"
for c in sqlite3 psql; do
  command -v $c >/dev/null || { echo "FAIL: $c is needed (scripts/deps.txt)"; exit 1; }
done
LATEST=$(ls "$SRC/src/store/migrations/sqlite/"*.sql | sed 's|.*/||; s|_.*||' | sort -n | tail -1)
LATEST=$((10#$LATEST))
DAY='[0-9]{4}-[0-9]{2}-[0-9]{2}'

expect_status 0 "--help" "$EIMZA" migrate --help
expect_grep '\[--create-once\]' "$T/out" "the usage names --create-once"
expect_status 1 "--create-once takes no value" "$EIMZA" migrate --create-once=yes

if [ "${EIMZA_TEST_BACKEND:-sqlite}" = postgresql ]; then
  DB=$(new_db) || exit 1
  expect_status 0 "PostgreSQL: --create-once migrates" "$EIMZA" migrate --create-once --db "$DB"
  expect_grep "^schema at version [0-9]+ \(applied [0-9]+ migrations?\)$" "$T/out" "PostgreSQL: the schema"
  expect_no_grep "stamp" "$T/out" "PostgreSQL: no stamp"
  expect_status 0 "PostgreSQL: --create-once again" "$EIMZA" migrate --create-once --db "$DB"
  name="eimza_once_$$_$(od -An -N4 -tx1 /dev/urandom | tr -d ' \n')"
  expect_status 2 "PostgreSQL: a database that does not exist is not made" \
    "$EIMZA" migrate --create-once --db "${DB%/*}/$name"
  expect_eq 0 "$(psql -X -At "$EIMZA_TEST_PG_ADMIN_URL" -c "SELECT count(*) FROM pg_database WHERE datname = '$name'")" \
    "PostgreSQL: the database is still not there"
  expect_eq "" "$(find "$T" -name '*.made*')" "PostgreSQL: no stamp file anywhere"
  finish
fi

D=$T/state
F=$D/eimza.db
S=$F.made
# gone: the database's files deleted, as an operator's mistake would
gone() { rm -f "$F" "$F-wal" "$F-shm"; }
# no_file LABEL: nothing at $F, nor its -wal, -shm or -journal
no_file() {
  local left
  left=$(ls -d "$F" "$F-wal" "$F-shm" "$F-journal" 2>/dev/null)
  [ -z "$left" ] && ok "$1: no file made" || fail "$1: no file made" "$left"
}
audit() { sqlite3 -cmd ".timeout 10000" "$F" "SELECT count(*) FROM audit_log WHERE action = '$1'"; }

# ---- the first start: made, and stamped ---------------------------------------------------------
expect_status 0 "first --create-once makes the database" "$EIMZA" migrate --create-once --db "sqlite:$F"
expect_grep "^schema at version $LATEST \(applied $LATEST migrations?\)$" "$T/out" "the schema made"
expect_grep "^stamp written: $S \(made, schema version $LATEST\)$" "$T/out" "says it wrote the stamp"
[ -f "$F" ] && ok "the database is there" || fail "the database is there"
expect_eq "600" "$(stat -c %a "$S" 2>&1)" "the stamp is 0600"
expect_grep "^made ${DAY}T[0-9:]{8}Z$" "$S" "the stamp says when it was made"
expect_grep "^schema $LATEST$" "$S" "the stamp says the schema version"
expect_eq "" "$(ls "$D" | grep -v -x -e eimza.db -e eimza.db.made)" "no temporary file left"
cp "$S" "$T/stamp.first"
expect_status 0 "--create-once again" "$EIMZA" migrate --create-once --db "sqlite:$F"
expect_grep "\(applied 0 migrations\)" "$T/out" "nothing to apply"
expect_no_grep "stamp" "$T/out" "no new stamp"
cmp -s "$S" "$T/stamp.first" && ok "the stamp is as it was" || fail "the stamp is as it was"

# a backup to put back, and a mark in the live database the backup does not have
expect_status 0 "backup" "$EIMZA" backup "$T/b.db" --db "sqlite:$F"
expect_eq 1 "$(audit backup.made)" "the live database has its backup.made"

# ---- the file deleted: refused, nothing made ---------------------------------------------------
gone
expect_status 2 "--create-once refuses a lost database" "$EIMZA" migrate --create-once --db "sqlite:$F"
expect_grep "^eimza: migrate: database_missing: Veritabanı dosyası yok.*damga dosyası.*oluşturulmadı; lütfen yedeği 'eimza restore YEDEK\.db --db sqlite:$F' ile geri koyunuz.*damga dosyasını siliniz\.$" \
  "$T/err" "the stable code and the catalogue's Turkish message: restore, or remove the stamp"
expect_eq 1 "$(grep -c '^eimza: .*database_missing' "$T/err")" "the code once (and in the log event)"
expect_grep "^eimza: migrate: the database made at '$F' on $DAY is missing \(deleted or moved\); its stamp is '$S'$" \
  "$T/err" "then the details in English: the date, the stamp"
expect_grep "level=error event=db\.missing_refused code=database_missing path=\"$F\" file=missing stamp=\"$S\" made=$DAY" \
  "$T/err" "the log event for the journal"
expect_no_grep "^schema" "$T/out" "no migration ran"
no_file "refused"
cmp -s "$S" "$T/stamp.first" && ok "refused: the stamp is as it was" || fail "refused: the stamp is as it was"

# the unit's form: the database from the settings files, in JSON logs as the collector wants
printf 'db = sqlite:%s\nlog_format = json\n' "$F" >"$T/eimza.conf"
printf '# secrets\n' >"$T/secrets.conf"
expect_status 2 "the unit's command line refuses too" \
  "$EIMZA" migrate --create-once --config "$T/eimza.conf" --config "$T/secrets.conf"
expect_grep '"event":"db.missing_refused","code":"database_missing"' "$T/err" "the event in JSON"
expect_grep "^eimza: migrate: database_missing: Veritabanı dosyası yok" "$T/err" "and the message"
no_file "the unit's form"

# a backup that does not restore leaves nothing behind; an empty file in the database's place
# (what a failed restore used to leave, or a stray open) is refused as well
echo "not a database, not at all, no" >"$T/junk.db"
expect_status 2 "a damaged backup is refused" "$EIMZA" restore "$T/junk.db" --db "sqlite:$F"
no_file "a failed restore into the lost database's place"
: >"$F"
expect_status 2 "--create-once refuses an empty file in the database's place" \
  "$EIMZA" migrate --create-once --db "sqlite:$F"
expect_grep "^eimza: migrate: database_missing: .*şeması olmayan boş bir dosya" "$T/err" "in Turkish: or an empty file"
expect_grep "^eimza: migrate: the database made at '$F' on $DAY is missing \(an empty file without a schema is in its place\)" \
  "$T/err" "in English: an empty file"
expect_grep "event=db\.missing_refused code=database_missing path=\"$F\" file=empty " "$T/err" "logged"
expect_eq "0" "$(sqlite3 "$F" "SELECT count(*) FROM sqlite_master")" "the file is still without a schema"
gone

# ---- the backup put back: --create-once migrates it ---------------------------------------------
expect_status 0 "restore puts the backup back" "$EIMZA" restore "$T/b.db" --db "sqlite:$F"
expect_no_grep "stamp" "$T/out" "restore keeps the stamp that is there"
cmp -s "$S" "$T/stamp.first" && ok "restore: the stamp is as it was" || fail "restore: the stamp is as it was"
expect_status 0 "--create-once on the restored database" \
  "$EIMZA" migrate --create-once --config "$T/eimza.conf" --config "$T/secrets.conf"
expect_grep "\(applied 0 migrations\)" "$T/out" "it migrates it (nothing to apply)"
expect_eq "1 0" "$(audit backup.restored) $(audit backup.made)" "it is the backup, not a new database"

# ---- the stamp removed: a new, empty one ---------------------------------------------------------
gone
rm "$S"
expect_status 0 "without the stamp --create-once makes a new one" "$EIMZA" migrate --create-once --db "sqlite:$F"
expect_grep "\(applied $LATEST migrations?\)" "$T/out" "a new schema"
expect_grep "^stamp written: $S \(made, " "$T/out" "and a new stamp"
expect_eq 0 "$(audit backup.restored)" "empty"

# ---- plain migrate -------------------------------------------------------------------------------
P=$T/plain/eimza.db
expect_status 0 "plain migrate makes a database" "$EIMZA" migrate --db "sqlite:$P"
expect_grep "^stamp written: $P.made \(made, schema version $LATEST\)$" "$T/out" "plain migrate: stamped"
expect_grep "^made ${DAY}T" "$P.made" "plain migrate: the stamp says made"
expect_eq "600" "$(stat -c %a "$P.made" 2>&1)" "plain migrate: 0600"
# a database an older eimza made has no stamp: the next migrate records it
rm "$P.made"
expect_status 0 "plain migrate on a database without a stamp" "$EIMZA" migrate --db "sqlite:$P"
expect_grep "^stamp written: $P.made \(recorded, schema version $LATEST\)$" "$T/out" "the stamp is written"
expect_grep "^recorded ${DAY}T" "$P.made" "it says recorded, not made"
rm -f "$P" "$P-wal" "$P-shm"
expect_status 2 "--create-once refuses it once it is lost" "$EIMZA" migrate --create-once --db "sqlite:$P"
expect_grep "the database in use at '$P' on $DAY is missing" "$T/err" "naming it in use on that day"
expect_grep "^eimza: migrate: database_missing: Veritabanı dosyası yok" "$T/err" "with the code and the Turkish message"
# plain migrate still makes one where a database was lost: said, and stamped anew
expect_status 0 "plain migrate makes one in place of a lost one" "$EIMZA" migrate --db "sqlite:$P"
expect_grep "warning: the database recorded at '$P' on $DAY was missing: a new, empty one was made" \
  "$T/err" "it says a database was lost"
expect_grep "^stamp written: $P.made \(made, " "$T/out" "the stamp replaced"
expect_grep "^made ${DAY}T" "$P.made" "the stamp now says made"

# ---- restore into a new file ---------------------------------------------------------------------
R=$T/restored/eimza.db
expect_status 0 "restore into a new file" "$EIMZA" restore "$T/b.db" --db "sqlite:$R"
expect_grep "^stamp written: $R.made \(restored, schema version $LATEST\)$" "$T/out" "restore: stamped"
expect_grep "^restored ${DAY}T" "$R.made" "restore: the stamp says restored"
expect_eq "600" "$(stat -c %a "$R.made" 2>&1)" "restore: 0600"
rm -f "$R" "$R-wal" "$R-shm"
expect_status 2 "--create-once refuses it once it is lost" "$EIMZA" migrate --create-once --db "sqlite:$R"
expect_grep "the database restored from a backup at '$R' on $DAY is missing" "$T/err" "naming it restored"

# ---- a stamp that cannot be written -------------------------------------------------------------
# A folder nothing can be added to (immutable for root, 0555 for anyone else): the database in
# it opens because a reader keeps its -wal and -shm there, but the stamp cannot be made.
W=$T/ro/eimza.db
expect_status 0 "a database" "$EIMZA" migrate --db "sqlite:$W"
rm "$W.made"
hold_sqlite "$W"
# folder_locked on|off: nothing can be added to $T/ro, or it is writable again
folder_locked() {
  if [ "$(id -u)" = 0 ]; then
    if [ "$1" = on ]; then chattr +i "$T/ro"; else chattr -i "$T/ro"; fi
  elif [ "$1" = on ]; then
    chmod 0555 "$T/ro"
  else
    chmod 0750 "$T/ro"
  fi
}
if folder_locked on; then
  expect_status 2 "plain migrate: the stamp not written is a failure" "$EIMZA" migrate --db "sqlite:$W"
  expect_grep "^schema at version $LATEST " "$T/out" "the database itself was migrated"
  expect_grep "the database is ready, but its stamp was not written: cannot create '$W\.made\.tmp\.[0-9]+': (Operation not permitted|Permission denied)" \
    "$T/err" "says why"
  folder_locked off
else
  fail "the folder made read-only" "chattr/chmod failed"
fi
release_sqlite
[ -e "$W.made" ] && fail "no stamp made" || ok "no stamp made"
expect_status 0 "once the folder is writable again, the stamp" "$EIMZA" migrate --db "sqlite:$W"
expect_grep "^stamp written: $W.made \(recorded, " "$T/out" "written then"
# a stamp that is not a file
mkdir "$T/odd" && mkdir "$T/odd/eimza.db.made"
expect_status 2 "a folder in the stamp's place" "$EIMZA" migrate --create-once --db "sqlite:$T/odd/eimza.db"
expect_grep "'$T/odd/eimza.db.made' is not a file" "$T/err" "says so"
[ -e "$T/odd/eimza.db" ] && fail "nothing made" || ok "nothing made"
# a SQLite URI has no plain file to keep a stamp beside
expect_status 1 "--create-once with a file: URI" "$EIMZA" migrate --create-once --db "sqlite:file:$T/u.db?cache=private"
expect_grep "needs the SQLite database's plain path" "$T/err" "says why"

finish
