#!/usr/bin/env bash
# eimza — backups (issue 18). SQLite: `eimza backup` while a server writes (applicants and staff
# walking applications through it: tests/ops/flow_driver.py), each copy restored with
# `eimza restore` and checked (integrity_check, foreign_key_check, `eimza audit verify`, the
# invariants of the crash test, and everything answered before the copy began in it); a backup
# never overwrites a file, is 0600, and is audited; a restore is refused while a server has the
# database open, refuses a damaged copy or one made by a newer eimza, and leaves the database
# as it was then; after a restore the server starts on the restored database and finds its
# data. PostgreSQL: the documented procedure (pg_dump --format=custom under the same load,
# pg_restore into a new database) checked the same way, and `eimza backup`/`restore` pointing
# there instead.
source "$EIMZA_SOURCE_DIR/tests/lib.sh"
source "$SRC/tests/ops/scene.sh"
backend=${EIMZA_TEST_BACKEND:-sqlite}
if [ "$backend" = postgresql ]; then
  command -v pg_dump >/dev/null && command -v pg_restore >/dev/null || { echo "FAIL: pg_dump/pg_restore (postgresql-client) are needed"; exit 1; }
  trap 'while read -r d; do psql -q -X "$EIMZA_TEST_PG_ADMIN_URL" -c "DROP DATABASE IF EXISTS $d WITH (FORCE)" >/dev/null 2>&1; done <"$T/restored-dbs" 2>/dev/null; cleanup' EXIT
fi

scene 150
PORT=$(free_port)
if driver backup --port "$PORT" --copies 3 --first 0.5 --every 0.6 >"$T/driver.out" 2>&1; then
  ok "copies taken under load are consistent once restored ($(grep -c 'restored: consistent' "$T/driver.out") checked)"
else
  fail "copies under load" "$(grep -E 'FAIL|PROBLEM' "$T/driver.out" | head -20)"
fi
grep -E '^flow: (copy|[0-9]+ copies)' "$T/driver.out"

if [ "$backend" = postgresql ]; then
  expect_status 1 "eimza backup refuses PostgreSQL" "$EIMZA" backup "$T/pg.db" --db "$DB"
  expect_grep 'pg_dump' "$T/err" "and names pg_dump"
  expect_status 1 "eimza restore refuses PostgreSQL" "$EIMZA" restore "$T/copy-1.dump" --db "$DB"
  expect_grep 'pg_restore' "$T/err" "and names pg_restore"
  finish
fi

# ---- SQLite: the refusals and the round trip through a server ------------------------------------
expect_eq 600 "$(stat -c %a "$T/copy-1.db")" "a copy is readable by its owner alone"
expect_status 1 "a backup never overwrites a file" "$EIMZA" backup "$T/copy-1.db" --db "$DB"
expect_grep 'exists' "$T/err" "and says so"
before=$(sqlite3 "${DB#sqlite:}" "SELECT count(*) FROM audit_log WHERE action = 'backup.made'")
expect_eq 3 "$before" "each backup is in the audit log (backup.made)"
source "$SRC/tests/portal_lib.sh"
start_server -- --dev --listen 127.0.0.1:0 --db "$DB" --config "$T/eimza.conf" || { fail "server starts"; finish; }
expect_status 0 "a backup while the server runs" "$EIMZA" backup "$T/live.db" --db "$DB"
expect_grep '^backup: .*live.db, [0-9]+ pages of 4096 bytes .* integrity ok' "$T/out" "its line"
expect_status 2 "a restore is refused while a server has the database open" \
  "$EIMZA" restore "$T/copy-1.db" --db "$DB"
expect_grep "open in process $PID" "$T/err" "naming the server's process"
stop_server
apps=$(sqlite3 "$T/live.db" "SELECT count(*) FROM applications")
printf 'not a database at all, but long enough to look like one: %0500d\n' 0 >"$T/junk.db"
expect_status 2 "a restore refuses a file that is no database" "$EIMZA" restore "$T/junk.db" --db "$DB"
cp "$T/live.db" "$T/newer.db"
sqlite3 "$T/newer.db" "INSERT INTO schema_migrations VALUES (999, 'future', 0)"
expect_status 2 "a restore refuses a copy made by a newer eimza" "$EIMZA" restore "$T/newer.db" --db "$DB"
expect_grep 'newer eimza' "$T/err" "and says so"
audit_before=$(sqlite3 "${DB#sqlite:}" "SELECT count(*) || ' ' || max(seq) FROM audit_log")
cp "$T/live.db" "$T/damaged.db"
root=$(sqlite3 "$T/damaged.db" "SELECT rootpage FROM sqlite_master WHERE name = 'application_events'")
python3 - "$T/damaged.db" "$root" <<'EOF'
import sys
# the timeline table's B-tree root page scribbled over past its header: its cell pointers
# now lead nowhere, which integrity_check must notice
with open(sys.argv[1], 'r+b') as f:
    f.seek(4096 * (int(sys.argv[2]) - 1) + 12)
    f.write(b'\xff\xfe' * 200)
EOF
expect_status 2 "a restore refuses a damaged copy" "$EIMZA" restore "$T/damaged.db" --db "$DB"
expect_eq "$audit_before" "$(sqlite3 "${DB#sqlite:}" "SELECT count(*) || ' ' || max(seq) FROM audit_log")" \
  "after the refusals the database is as it was"
sqlite3 "${DB#sqlite:}" "DELETE FROM application_events; DELETE FROM signatures; DELETE FROM decisions; DELETE FROM application_reminders; DELETE FROM application_otp; DELETE FROM applications" 2>"$T/err" ||
  fail "emptying the live database" "$(cat "$T/err")"
expect_status 0 "restore the live copy over the database" "$EIMZA" restore "$T/live.db" --db "$DB"
expect_grep '^audit: [0-9]+ entries, chain intact' "$T/out" "the restored audit chain is checked"
expect_eq "$apps" "$(sqlite3 "${DB#sqlite:}" "SELECT count(*) FROM applications")" "the applications are back"
expect_eq 1 "$(sqlite3 "${DB#sqlite:}" "SELECT count(*) FROM audit_log WHERE action = 'backup.restored'")" \
  "the restore is in the restored audit log"
expect_status 0 "eimza audit verify after the restore" "$EIMZA" audit verify --db "$DB"
start_server -- --dev --listen 127.0.0.1:0 --db "$DB" --config "$T/eimza.conf" || { fail "server starts on the restored database"; finish; }
ok "the server starts on the restored database"
call GET /readyz
expect_code 200 "and is ready"
stop_server

# a database made by migrate or by a restore into a new file holds personal data: 0600 (and
# its -wal and -shm with it) even under a umask that lets others read new files
if [ "$backend" = sqlite ]; then
  (umask 022 && "$EIMZA" migrate --db "sqlite:$T/mode-new.db" >/dev/null 2>&1)
  expect_eq 600 "$(stat -c %a "$T/mode-new.db")" "a database migrate makes is 0600 under umask 022"
  (umask 022 && "$EIMZA" restore "$T/copy-1.db" --db "sqlite:$T/mode-restored.db" >/dev/null 2>&1)
  expect_eq 600 "$(stat -c %a "$T/mode-restored.db")" "a restore into a new file makes it 0600"
fi
finish
