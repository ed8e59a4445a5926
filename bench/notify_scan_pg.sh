#!/usr/bin/env bash
# eimza — benchmark: the expiry scan (`eimza notify run --dev`) on PostgreSQL, over 200,000
# certificates of which 20,000 reach a milestone (40,000 messages), then a second scan right
# after. No target is set for PostgreSQL; the figures keep its cost in sight (a round trip per
# message once made this scan ten times slower). Baseline: the time psql needs for a plain
# count(*) of the same due rows, printed as the ratio. The data are made by PostgreSQL itself
# (generate_series) in a fresh database of a throwaway server (scripts/with-postgres.sh, unless
# EIMZA_TEST_PG_ADMIN_URL names one). Prints one result line; never fails on slowness.
#   BUILD=DIR (default build/)  CERTS=N (default 200000)
set -uo pipefail
cd "$(dirname "$0")/.."
BUILD=${BUILD:-build}
CERTS=${CERTS:-200000}
DUE=$((CERTS / 10))
NAME=notify_scan_pg
EIMZA=$BUILD/eimza

if [ ! -x "$EIMZA" ] || ! command -v psql >/dev/null; then
  echo "$NAME: skipped (needs $EIMZA — run 'make build' — and psql)"
  exit 0
fi
if [ -z "${EIMZA_TEST_PG_ADMIN_URL:-}" ]; then
  scripts/with-postgres.sh bash "$0" "$@" | grep -v '^with-postgres:'
  exit "${PIPESTATUS[0]}"
fi
DBNAME=eimza_bench_$$
psql -X -q "$EIMZA_TEST_PG_ADMIN_URL" -c "CREATE DATABASE $DBNAME" >/dev/null ||
  { echo "$NAME: cannot create a database"; exit 1; }
DB=${EIMZA_TEST_PG_ADMIN_URL%/*}/$DBNAME
trap 'psql -X -q "$EIMZA_TEST_PG_ADMIN_URL" -c "DROP DATABASE IF EXISTS $DBNAME" >/dev/null 2>&1' EXIT

NOW_DATE=2030-01-01
NOW=$(date -u -d "$NOW_DATE" +%s)
DAY=86400
"$EIMZA" migrate --db "$DB" >/dev/null 2>&1 || { echo "$NAME: migrate failed"; exit 1; }
# the same shape as bench/notify_scan.sh: every tenth certificate due, spread over every
# milestone and the expiry
psql -X -q -v ON_ERROR_STOP=1 "$DB" >/dev/null <<EOF || { echo "$NAME: generating the data failed"; exit 1; }
INSERT INTO personnel (tckn, first_name, last_name, birth_place, birth_date, institution_code,
                       institution_name, province, district, unit, title, duty, entitled,
                       email, mobile_phone, updated_at)
SELECT lpad((10000000000 + i)::text, 11, '0'), 'Ayşe', 'Yılmaz', 'Batman', '1980-03-15', '720001',
       'Batman Anadolu Lisesi', i % 81 + 1, 'Merkez', 'Müdürlük', 'Öğretmen', 'aktif', true,
       'kisi' || i || '@meb.gov.tr', '532' || lpad(i::text, 7, '0'), $NOW
FROM generate_series(1, $CERTS) i;
INSERT INTO certificates (fingerprint, tckn, subject_name, subject, serial, issuer, not_before,
                          not_after, der, imported_at)
SELECT lpad(to_hex(i), 64, '0'), lpad((10000000000 + i)::text, 11, '0'), 'AYŞE YILMAZ',
       'CN=AYŞE YILMAZ', upper(lpad(to_hex(i::bigint * 2654435761), 32, '0')),
       'CN=Kamu SM NES Test', $NOW - 1000 * $DAY,
       CASE WHEN i % 10 = 0 THEN $NOW - 2 * $DAY + (i::bigint * 7919) % (90 * $DAY)
            ELSE $NOW + 100 * $DAY + (i::bigint * 7919) % (900 * $DAY) END,
       '\x30', $NOW
FROM generate_series(1, $CERTS) i;
ANALYZE;
EOF

now() { date +%s.%N; }
secs() { awk -v a="$1" -v b="$2" 'BEGIN { printf "%.3f", b - a }'; }
queued() { jq '[.queued[]] | add' "$1"; }

a=$(now)
n=$(psql -X -At "$DB" -c "SELECT count(*) FROM certificates WHERE not_after >= $((NOW - 30 * DAY)) AND not_after < $((NOW + 91 * DAY))")
b=$(now)
base=$(secs "$a" "$b")
[ "$n" = "$DUE" ] || { echo "$NAME: the data are wrong ($n due rows, $DUE wanted)"; exit 1; }

T=$(mktemp -d /tmp/eimza-bench.XXXXXX)
trap 'rm -rf "$T"; psql -X -q "$EIMZA_TEST_PG_ADMIN_URL" -c "DROP DATABASE IF EXISTS $DBNAME" >/dev/null 2>&1' EXIT
a=$(now)
"$EIMZA" notify run --db "$DB" --now "$NOW_DATE" --dev >"$T/first.json" 2>"$T/first.err" ||
  { echo "$NAME: the first scan failed: $(tail -3 "$T/first.err")"; exit 1; }
b=$(now)
"$EIMZA" notify run --db "$DB" --now "$NOW_DATE" --dev >"$T/second.json" 2>"$T/second.err" ||
  { echo "$NAME: the second scan failed: $(tail -3 "$T/second.err")"; exit 1; }
c=$(now)
awk -v name="$NAME" -v certs="$CERTS" -v due="$DUE" -v q1="$(queued "$T/first.json")" \
    -v q2="$(queued "$T/second.json")" -v f="$(secs "$a" "$b")" -v s="$(secs "$b" "$c")" \
    -v base="$base" 'BEGIN {
  printf "%s: %d certificates, %d due; first scan %.2f s queued %d messages (%.0f messages/s), " \
         "second scan %.2f s queued %d; psql count(*) of the due rows %.3f s: first %.0fx, " \
         "second %.0fx that baseline (no target)\n",
         name, certs, due, f, q1, q1 / f, s, q2, base, f / base, s / base
}'
