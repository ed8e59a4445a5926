#!/usr/bin/env bash
# eimza — benchmark: the expiry scan (`eimza notify run --dev`) over 1,000,000 certificates of
# which 100,000 reach a milestone (each holder has an e-mail address and a mobile number, so
# the first scan queues 200,000 messages), on SQLite. Targets: the first scan queues every
# message in at most 3 s; a second scan right after finishes in at most 0.5 s and queues
# nothing. Baseline: the time the sqlite3 shell needs for a plain SELECT count(*) over the same
# due rows (the not_after range through the same index), printed as the ratio. The data are
# made by the sqlite3 shell itself with recursive CTEs straight into a migrated database (one
# transaction), then copied fresh for each measured run; the best of two runs counts.
# Prints one result line. Benchmarks report; they never fail on slowness.
#   BUILD=DIR (default build/)  CERTS=N (default 1000000)  BENCH_DIR=DIR (default a temp dir)
set -uo pipefail
cd "$(dirname "$0")/.."
BUILD=${BUILD:-build}
CERTS=${CERTS:-1000000}
DUE=$((CERTS / 10))
NAME=notify_scan_$([ "$CERTS" = 1000000 ] && echo 1m || echo "$CERTS")
EIMZA=$BUILD/eimza

if [ ! -x "$EIMZA" ] || ! command -v sqlite3 >/dev/null; then
  echo "$NAME: skipped (needs $EIMZA — run 'make build' — and sqlite3)"
  exit 0
fi
W=${BENCH_DIR:-$(mktemp -d /tmp/eimza-bench.XXXXXX)}
mkdir -p "$W"
trap '[ -z "${BENCH_DIR:-}" ] && rm -rf "$W"' EXIT

NOW_DATE=2030-01-01
NOW=$(date -u -d "$NOW_DATE" +%s)
DAY=86400

# ---- the data ---------------------------------------------------------------------------------
# Holder i has certificate i. Every tenth one is due: not_after spread over [now - 2 days,
# now + 88 days), every milestone and the expiry; the others expire 100 to 1000 days from now.
t0=$(date +%s.%N)
rm -f "$W"/base.db*
"$EIMZA" migrate --db "sqlite:$W/base.db" >/dev/null 2>&1 || { echo "$NAME: migrate failed"; exit 1; }
sqlite3 "$W/base.db" >/dev/null <<EOF || { echo "$NAME: generating the data failed"; exit 1; }
PRAGMA journal_mode = OFF;
PRAGMA synchronous = OFF;
BEGIN;
WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < $CERTS)
INSERT INTO personnel (tckn, first_name, last_name, birth_place, birth_date, institution_code,
                       institution_name, province, district, unit, title, duty, entitled,
                       email, mobile_phone, updated_at)
SELECT printf('%011d', 10000000000 + i), 'Ayşe', 'Yılmaz', 'Batman', '1980-03-15', '720001',
       'Batman Anadolu Lisesi', i % 81 + 1, 'Merkez', 'Müdürlük', 'Öğretmen', 'aktif', 1,
       'kisi' || i || '@meb.gov.tr', printf('532%07d', i), $NOW FROM n;
WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < $CERTS)
INSERT INTO certificates (fingerprint, tckn, subject_name, subject, serial, issuer, not_before,
                          not_after, der, imported_at)
SELECT printf('%064x', i), printf('%011d', 10000000000 + i), 'AYŞE YILMAZ',
       'CN=AYŞE YILMAZ', printf('%032X', i * 2654435761), 'CN=Kamu SM NES Test',
       $NOW - 1000 * $DAY,
       CASE WHEN i % 10 = 0 THEN $NOW - 2 * $DAY + (i * 7919) % (90 * $DAY)
            ELSE $NOW + 100 * $DAY + (i * 7919) % (900 * $DAY) END,
       x'30', $NOW FROM n;
COMMIT;
ANALYZE;
EOF
t1=$(date +%s.%N)
GEN=$(awk -v a="$t0" -v b="$t1" 'BEGIN { printf "%.1f", b - a }')

now() { date +%s.%N; }
secs() { awk -v a="$1" -v b="$2" 'BEGIN { printf "%.3f", b - a }'; }
best() { awk -v a="$1" -v b="$2" 'BEGIN { print (b == "" || a + 0 < b + 0) ? a : b }'; }
queued() { jq '[.queued[]] | add' "$1"; }

# ---- the baseline: count the due rows with the sqlite3 shell ------------------------------
# The same range the scan reads (the 90-day milestone's end down to the expiry window), the
# same index (certificates_not_after).
TO=$((NOW + 91 * DAY))
FROM=$((NOW - 30 * DAY))
base_best=
for i in 1 2; do
  a=$(now)
  n=$(sqlite3 "$W/base.db" "SELECT count(*) FROM certificates WHERE not_after >= $FROM AND not_after < $TO")
  b=$(now)
  base_best=$(best "$(secs "$a" "$b")" "$base_best")
done
if [ "$n" != "$DUE" ]; then
  echo "$NAME: the data are wrong ($n due rows, $DUE wanted)"
  exit 1
fi

# ---- the scans ----------------------------------------------------------------------------
first_best= second_best= q1= q2=
for i in 1 2; do
  rm -f "$W/run.db" "$W/run.db-wal" "$W/run.db-shm"
  cp "$W/base.db" "$W/run.db"
  sync
  a=$(now)
  "$EIMZA" notify run --db "sqlite:$W/run.db" --now "$NOW_DATE" --dev >"$W/first.json" 2>"$W/first.err" ||
    { echo "$NAME: the first scan failed: $(tail -3 "$W/first.err")"; exit 1; }
  b=$(now)
  "$EIMZA" notify run --db "sqlite:$W/run.db" --now "$NOW_DATE" --dev >"$W/second.json" 2>"$W/second.err" ||
    { echo "$NAME: the second scan failed: $(tail -3 "$W/second.err")"; exit 1; }
  c=$(now)
  first_best=$(best "$(secs "$a" "$b")" "$first_best")
  second_best=$(best "$(secs "$b" "$c")" "$second_best")
  q1=$(queued "$W/first.json")
  q2=$(queued "$W/second.json")
done
rows=$(sqlite3 "$W/run.db" "SELECT count(*) FROM outbox")

awk -v name="$NAME" -v certs="$CERTS" -v due="$DUE" -v q1="$q1" -v q2="$q2" -v rows="$rows" \
    -v f="$first_best" -v s="$second_best" -v base="$base_best" -v gen="$GEN" 'BEGIN {
  ok1 = (f <= 3.0 && q1 == 2 * due && rows == 2 * due) ? "ok" : "MISSED"
  ok2 = (s <= 0.5 && q2 == 0) ? "ok" : "MISSED"
  printf "%s: %d certificates, %d due; first scan %.2f s queued %d messages (target <= 3 s: %s), " \
         "second scan %.2f s queued %d (target <= 0.5 s: %s); sqlite3 count(*) of the due rows " \
         "%.3f s: first %.0fx, second %.0fx that baseline; data made in %s s\n",
         name, certs, due, f, q1, ok1, s, q2, ok2, base, f / base, s / base, gen
}'
