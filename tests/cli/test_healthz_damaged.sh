#!/usr/bin/env bash
# eimza — /healthz tells a load balancer the truth about the database while a pooled
# connection is open (docs/INTERFACES.md, "Operations": 200 {"status":"ok",...} or 503
# database_unavailable). A SQLite connection answers a trivial query from its page cache, and
# keeps reading a file deleted or renamed over under it, so the old ping said 200 while every
# real request failed. SQLite: the server runs one thread (one pooled connection, borrowed by
# every request), answers /healthz, then its database file is damaged as it happens in life —
# junk over the whole file or its first page, cut to nothing or to half, deleted, renamed over
# by another database, a backup copied over it in place — and /healthz must answer 503 (a
# file renamed over by a good database: 503, then 200 from fresh connections to it).
# The failure is logged once (db.ping_failed) however many probes fail. A healthy database
# stays 200 under probes and writes at once. PostgreSQL: a pooled connection whose backend
# was terminated gives 503, then 200 from a fresh one, logged once too. Both backends.
source "$EIMZA_SOURCE_DIR/tests/lib.sh"
for c in jq curl sqlite3 psql; do
  command -v $c >/dev/null || { echo "FAIL: $c is needed (scripts/deps.txt)"; exit 1; }
done
DB=$(new_db) || exit 1
source "$SRC/tests/portal_lib.sh"
expect_status 0 "migrate" "$EIMZA" migrate --db "$DB"
F=${DB#sqlite:}
printf 'threads = 1\n' >"$T/one.conf"

# healthz_is STATUS LABEL: one probe; 503 must be the database failure's answer.
healthz_is() {
  call GET /healthz
  if [ "$1" = 200 ]; then
    expect_eq "200 ok" "$CODE $(jb .status 2>/dev/null)" "$2"
  else
    local ra=$(sed -n 's/^Retry-After: *\([0-9]*\).*/\1/Ip' "$T/h" | head -1)
    expect_eq "503 database_unavailable 120" "$CODE $(jb .error.code 2>/dev/null) $ra" "$2"
  fi
}
# serve_pooled: a fresh server of one thread, whose one connection is pooled and answers.
serve_pooled() {
  start_server -- --dev --listen 127.0.0.1:0 --db "$DB" --config "$T/one.conf" ||
    { fail "server starts" "$(head -c 600 "$SERR")"; finish; }
  healthz_is 200 "$1: /healthz before"
  call GET /readyz
  expect_code 200 "$1: /readyz before (a real query on the pooled connection)"
}
# logged_once LABEL: db.ping_failed once in the server's log, with a cause.
logged_once() {
  expect_eq 1 "$(grep -c 'event=db.ping_failed' "$SERR")" "$1: the failure logged once"
  expect_grep 'event=db.ping_failed rid=[0-9a-f]+ detail="[^"]+' "$SERR" "$1: with its cause"
}

# damage_told LABEL WORD: after requests met a damaged database (two statements at least), the
# server says so: /readyz 503 database_damaged (kept), /healthz still 200 (the database
# answers), one db.damaged error line with the database's words (WORD) and what to do, and
# /metrics counting the statements.
damage_told() {
  call GET /readyz
  expect_eq "503 database_damaged" "$CODE $(jb '.reasons | join(",")')" "$1: /readyz says database_damaged"
  healthz_is 200 "$1: /healthz stays 200 (the database answers)"
  expect_eq 1 "$(grep -c 'event=db.damaged' "$SERR")" "$1: logged once"
  expect_grep "event=db.damaged detail=\"[^\"]*$2[^\"]*\" action=\"stop the server and restore the last good backup" "$SERR" \
    "$1: with the database's words and what to do"
  call GET /metrics
  local n
  n=$(sed -n 's/^eimza_db_damage_failures_total //p' "$T/b")
  [ "${n:-0}" -ge 2 ] && ok "$1: /metrics counts the statements ($n)" || fail "$1: /metrics counts them" "'$n'"
}

if [ "$backend" = sqlite ]; then
  "$EIMZA" backup "$T/good.sqlite" --db "$DB" >/dev/null 2>"$T/err" ||
    { fail "backup" "$(cat "$T/err")"; finish; }
  # mend: the good database back at the path as a new file (the old one's -wal and -shm gone)
  mend() { rm -f "$F" "$F-wal" "$F-shm"; cp "$T/good.sqlite" "$F"; }
  # damage CASE: what happens to the file under the running server
  damage() {
    case $1 in
      junk) head -c "$(stat -c %s "$F")" /dev/urandom | dd of="$F" conv=notrunc status=none ;;
      junk-head) head -c 4096 /dev/urandom | dd of="$F" conv=notrunc status=none ;;
      emptied) : >"$F" ;;
      halved) truncate -s $(($(stat -c %s "$F") / 2)) "$F" ;;
      deleted) rm -f "$F" "$F-wal" "$F-shm" ;;
      backup-copied-over) cat "$T/good.sqlite" >"$F" ;;
      renamed-over) cp "$T/good.sqlite" "$F.new" && mv "$F.new" "$F" ;;
    esac
  }
  for c in junk junk-head emptied halved deleted backup-copied-over; do
    mend
    serve_pooled "$c"
    damage "$c"
    healthz_is 503 "$c: /healthz"
    healthz_is 503 "$c: /healthz again (a fresh connection sees it too)"
    logged_once "$c"
    stop_server
  done

  # damaged deep inside, under an intact header (the personnel table's pages): no ping sees it
  # at a constant cost, a request that reads it does. The server keeps it: the first
  # connection that met it is logged once (db.damaged, with what to do), /readyz says
  # database_damaged from then on, /metrics counts the statements; /healthz, the liveness
  # check, stays 200.
  mend
  page=$(sqlite3 "$F" 'PRAGMA page_size')
  for root in $(sqlite3 "$F" "SELECT rootpage FROM sqlite_master WHERE tbl_name = 'personnel' AND rootpage > 0"); do
    head -c "$page" /dev/urandom | dd of="$F" bs="$page" seek=$((root - 1)) conv=notrunc status=none
  done
  serve_pooled deep
  for i in 1 2; do
    login_body 10000000146 Ali Veli Ankara 1980-01-01
    json POST /api/v1/login "$BODY"
    expect_eq 5 "${CODE:0:1}" "deep: a login that reads the damaged page fails ($i: $CODE)"
  done
  damage_told deep malformed
  stop_server

  # renamed over by a good database: the pooled connection still reads the old file. After
  # the 503 the server goes over to the new one (the first connection to it may still find the
  # old file's WAL beside it, and fail too: a few probes)
  mend
  serve_pooled renamed-over
  damage renamed-over
  healthz_is 503 "renamed-over: /healthz"
  for _ in 1 2 3 4 5; do
    call GET /healthz
    [ "$CODE" = 200 ] && break
  done
  expect_code 200 "renamed-over: then a connection to the new file"
  expect_grep 'event=db.ping_recovered' "$SERR" "renamed-over: the recovery logged"
  stop_server
  mend
else
  serve_pooled terminated
  psql -q -X -At "$EIMZA_TEST_PG_ADMIN_URL" -c \
    "SELECT count(pg_terminate_backend(pid, 5000)) FROM pg_stat_activity WHERE datname = '${DB##*/}' AND pid <> pg_backend_pid()" >/dev/null
  healthz_is 503 "terminated: /healthz"
  healthz_is 200 "terminated: then 200 from a fresh connection"
  logged_once terminated
  expect_grep 'event=db.ping_recovered' "$SERR" "terminated: the recovery logged"
  stop_server

  # a table PostgreSQL reports damaged (SQLSTATE XX001 data_corrupted, as a page that fails its
  # checks): a trigger raises it where a captcha is written; no ping sees it, the requests do
  psql -q -X "$DB" -c "CREATE FUNCTION eimza_test_damaged() RETURNS trigger LANGUAGE plpgsql AS
    \$\$ BEGIN RAISE EXCEPTION 'invalid page in block 7 of relation base/1/2' USING ERRCODE = 'data_corrupted'; END \$\$;
    CREATE TRIGGER eimza_test_damaged BEFORE INSERT ON captchas FOR EACH ROW EXECUTE FUNCTION eimza_test_damaged()" >/dev/null ||
    fail "the damaging trigger" "not made"
  serve_pooled corrupted
  for i in 1 2; do
    call GET /api/v1/captcha
    expect_eq 5 "${CODE:0:1}" "corrupted: a captcha written to the damaged table fails ($i: $CODE)"
  done
  damage_told corrupted 'invalid page'
  stop_server
  psql -q -X "$DB" -c "DROP TRIGGER eimza_test_damaged ON captchas; DROP FUNCTION eimza_test_damaged()" >/dev/null
fi

# A healthy database stays healthy: probes while requests write (the SQLite checks read the
# file beside a WAL that is written and checkpointed all along).
printf 'threads = 4\n' >"$T/four.conf"
start_server -- --dev --listen 127.0.0.1:0 --db "$DB" --config "$T/four.conf" ||
  { fail "server starts" "$(head -c 600 "$SERR")"; finish; }
(for _ in $(seq 1 150); do curl -s -o /dev/null "$URL/api/v1/captcha"; done) &
writer=$!
bad=0
for _ in $(seq 1 150); do
  c=$(curl -s -o /dev/null -w '%{http_code}' "$URL/healthz")
  [ "$c" = 200 ] || bad=$((bad + 1))
done
wait "$writer"
expect_eq 0 "$bad" "150 probes beside 150 writing requests: all 200"
expect_no_grep 'event=db.ping_failed' "$SERR" "nothing logged"
stop_server
finish
