#!/usr/bin/env bash
# eimza — the database lost under a running server between two /healthz probes, and what the
# log says about it (src/web/http/dbpool.h). The server runs one thread, so one pooled
# connection, and nothing calls /healthz: a request lent that connection more than a second
# after the pool last checked the database pings it first. SQLite: the database's files are
# deleted after a request; a request that writes (a new captcha) a second later answers 503
# database_unavailable instead of writing the deleted file, and no file appears. /healthz and
# 200 more requests fail to connect: the log has one db.ping_failed and one db.connect_failed, not a
# line per request, and /metrics counts every failure (eimza_db_connect_failures_total,
# eimza_db_ping_failures_total). `eimza migrate` brings it back: 200, db.connect_recovered
# with the count, and db.ping_recovered when the next lend's ping answers. PostgreSQL: the
# server's backend is terminated (as a restart of the database leaves it); the next request
# a second later answers 503 from the lend's ping (db.ping_failed, with its request id), and
# the one after it 200 from a fresh connection. Both backends.
source "$EIMZA_SOURCE_DIR/tests/lib.sh"
for c in jq curl sqlite3 psql; do
  command -v $c >/dev/null || { echo "FAIL: $c is needed (scripts/deps.txt)"; exit 1; }
done
DB=$(new_db) || exit 1
source "$SRC/tests/portal_lib.sh"
expect_status 0 "migrate" "$EIMZA" migrate --db "$DB"
printf 'threads = 1\n' >"$T/one.conf"
start_server -- --dev --listen 127.0.0.1:0 --db "$DB" --config "$T/one.conf" ||
  { fail "server starts" "$(head -c 600 "$SERR")"; finish; }
# metric NAME: its value in /metrics
metric() { curl -s "$URL/metrics" | sed -n "s/^$1 //p"; }
# down_answer LABEL: the last call was 503 database_unavailable with Retry-After
down_answer() {
  local ra=$(sed -n 's/^Retry-After: *\([0-9]*\).*/\1/Ip' "$T/h" | head -1)
  expect_eq "503 database_unavailable 120" "$CODE $(jb .error.code 2>/dev/null) $ra" "$1"
}

call GET /api/v1/captcha
expect_code 200 "before: a captcha (the connection pooled)"

if [ "$backend" = postgresql ]; then
  psql -q -X -At "$EIMZA_TEST_PG_ADMIN_URL" -c \
    "SELECT count(pg_terminate_backend(pid, 5000)) FROM pg_stat_activity WHERE datname = '${DB##*/}' AND pid <> pg_backend_pid()" >/dev/null
  sleep 1.2 # past the pool's last ping
  call GET /api/v1/captcha
  down_answer "terminated: the next request, a second later, 503 from the lend's ping"
  expect_eq 1 "$(grep -c 'event=db.ping_failed' "$SERR")" "terminated: the failure logged once"
  expect_grep 'event=db.ping_failed rid=[0-9a-f]{16} detail="[^"]+' "$SERR" "terminated: with the request and the cause"
  call GET /api/v1/captcha
  expect_code 200 "terminated: then a fresh connection"
  expect_eq 1 "$(metric eimza_db_ping_failures_total)" "terminated: /metrics counts the ping's failure"
  stop_server
  finish
fi

F=${DB#sqlite:}
n0=$(sql 'SELECT count(*) FROM captchas')
rm -f "$F" "$F-wal" "$F-shm"
sleep 1.2 # past the pool's last ping
call GET /api/v1/captcha
down_answer "deleted: a captcha a second later (no /healthz between)"
left=$(ls -d "$F" "$F-wal" "$F-shm" "$F-journal" 2>/dev/null)
expect_eq "" "$left" "deleted: no file made"
expect_eq 1 "$(grep -c 'event=db.ping_failed' "$SERR")" "deleted: the lend's ping failure logged"
expect_grep 'event=db.ping_failed rid=[0-9a-f]{16} detail="the database file .* was deleted or replaced' "$SERR" "deleted: with the request and the cause"

# a probe now (fresh connections from here on, whichever way the pool learnt of it)
call GET /healthz
down_answer "deleted: /healthz"
start=$SECONDS
bad=0
for _ in $(seq 1 200); do
  c=$(curl -s -o "$T/b" -w '%{http_code}' "$URL/api/v1/captcha")
  [ "$c $(jb .error.code 2>/dev/null)" = "503 database_unavailable" ] || bad=$((bad + 1))
done
took=$((SECONDS - start))
expect_eq 0 "$bad" "200 more requests: all 503 database_unavailable"
expect_eq "" "$(ls -d "$F" "$F-wal" "$F-shm" "$F-journal" 2>/dev/null)" "200 more requests: no file made"
expect_eq 1 "$(grep -c 'event=db.connect_failed' "$SERR")" "200 failed connections: one db.connect_failed"
expect_grep 'event=db.connect_failed detail="there is no SQLite database at' "$SERR" "with the cause"
expect_eq 1 "$(grep -c 'event=db.ping_failed' "$SERR")" "still one db.ping_failed"
# a summary at most once a minute (none unless the machine was slow)
summaries=$(grep -c 'event=db.connect_failing' "$SERR")
[ "$summaries" -le $((took / 60)) ] && ok "summaries: $summaries in ${took}s" ||
  fail "summaries: at most one a minute" "$summaries in ${took}s"
expect_eq 201 "$(metric eimza_db_connect_failures_total)" "/metrics counts every failed connection (/healthz's too)"
expect_eq 1 "$(metric eimza_db_ping_failures_total)" "/metrics counts the failed ping"

expect_status 0 "eimza migrate makes a new database" "$EIMZA" migrate --db "$DB"
call GET /api/v1/captcha
expect_code 200 "back: a captcha"
expect_grep 'event=db.connect_recovered failed=2[0-9][0-9] seconds=[0-9]+' "$SERR" "back: the recovery logged with the count"
expect_eq 1 "$(sql 'SELECT count(*) FROM captchas')" "back: the captcha in the new database"
sleep 1.2
call GET /api/v1/captcha
expect_code 200 "back: a second later (the lend's ping answers)"
expect_eq 1 "$(grep -c 'event=db.ping_recovered' "$SERR")" "back: the ping's recovery logged"
expect_eq 1 "$n0" "the captcha of before was in the old file"
stop_server
finish
