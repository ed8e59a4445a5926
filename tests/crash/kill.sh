#!/usr/bin/env bash
# eimza — crash consistency: `eimza serve` killed with SIGKILL at random moments while
# applicants and staff drive applications through it, on the backend under test. This script
# sets the scene (people, a demo PKI whose holders can sign, staff accounts, the database) and
# hands over to tests/crash/kill_driver.py, which drives, kills, restarts and checks (its
# header says what is proven).
#
#   EIMZA_CRASH_KILLS   kills (default 12: the short run of make test; make crash runs 100+)
#   EIMZA_CRASH_FAULT=1 the fault demonstration: the server answers before it commits
#                       (tests/crash/late_commit.c through LD_PRELOAD, built only as a test
#                       artefact); the run passes only when the checks catch the loss.
#   EIMZA_CRASH_SEED    repeat a run's kill moments (the seed is printed first)
#   EIMZA_CRASH_PG=own  (PostgreSQL) a server of the test's own with production durability
#                       settings, crashed (pg_ctl -m immediate) at half the kills as well;
#                       with EIMZA_CRASH_PG_SYNC=off (synchronous_commit off) the run passes only
#                       when the checks catch the commits that crash loses
# ctest sets EIMZA_BIN, EIMZA_SOURCE_DIR, EIMZA_TEST_BACKEND and, for the fault,
# EIMZA_CRASH_SHIM (the built shim).
source "$EIMZA_SOURCE_DIR/tests/lib.sh"
for c in openssl python3 curl; do
  command -v $c >/dev/null || { echo "FAIL: $c is needed (scripts/deps.txt)"; exit 1; }
done
[ "${EIMZA_TEST_BACKEND:-sqlite}" = postgresql ] && { command -v psql >/dev/null || exit 1; }

KILLS=${EIMZA_CRASH_KILLS:-12}
PW='Kriz-Testi-Parola-1'
PGCRASH=''
if [ "${EIMZA_CRASH_PG:-}" = own ] && [ "${EIMZA_TEST_BACKEND:-sqlite}" = postgresql ]; then
  # a PostgreSQL server of this test's own, with the durability settings of a production server
  # (fsync, full_page_writes and synchronous_commit on: scripts/with-postgres.sh turns them off
  # for speed), crashed now and then (EIMZA_CRASH_PG_SYNC=off: the fault demonstration)
  pgbin=$(ls -d /usr/lib/postgresql/*/bin | sort -V | tail -1)
  as_pg=()
  mkdir -p "$T/pg"
  chmod 755 "$T"
  if [ "$(id -u)" -eq 0 ]; then chown postgres: "$T/pg"; as_pg=(runuser -u postgres --); fi
  "${as_pg[@]}" "$pgbin/initdb" -D "$T/pg/data" -U postgres -A trust -E UTF8 --locale=C.UTF-8 \
    >"$T/pg/initdb.log" 2>&1 || { fail "initdb" "$(tail -3 "$T/pg/initdb.log")"; finish; }
  pgport=$(free_port)
  pgopts="-c listen_addresses=127.0.0.1 -p $pgport -k $T/pg -c synchronous_commit=${EIMZA_CRASH_PG_SYNC:-on}"
  pgctl() { "${as_pg[@]}" "$pgbin/pg_ctl" -D "$T/pg/data" -l "$T/pg/server.log" "$@"; }
  pgctl -w -o "$pgopts" start >/dev/null || { fail "postgres start" "$(tail -3 "$T/pg/server.log")"; finish; }
  pgstop() { pgctl -m immediate -w stop >/dev/null 2>&1; }
  trap 'pgstop; [ -n "${PID:-}" ] && kill -TERM "$PID" 2>/dev/null; cleanup' EXIT
  psql -q -X "postgresql://postgres@127.0.0.1:$pgport/postgres" -c 'CREATE DATABASE crash' >/dev/null
  DB=postgresql://postgres@127.0.0.1:$pgport/crash
  printf '#!/bin/sh\n%s -D %s -m immediate -w stop && %s -D %s -l %s -w -o "%s" start\n' \
    "${as_pg[*]} $pgbin/pg_ctl" "$T/pg/data" "${as_pg[*]} $pgbin/pg_ctl" "$T/pg/data" \
    "$T/pg/server.log" "$pgopts" >"$T/pgcrash"
  PGCRASH="sh $T/pgcrash"
else
  DB=$(new_db) || exit 1
fi
# enough people that the kills never run out of applicants (about twenty flows between kills on SQLite)
python3 "$SRC/tests/crash/kill_driver.py" people $((KILLS * 25 + 50)) "$T"

EIMZA_PKI_PORT=9 bash "$SRC/scripts/demo-pki.sh" "$T/pki" "$T/spec.tsv" >"$T/pki.out" 2>&1 ||
  { fail "demo PKI" "$(tail -5 "$T/pki.out")"; finish; }
mkdir -p "$T/trust"
cp "$T/pki/root/root.pem" "$T/pki/nes/nes.pem" "$T/trust/"
# no OCSP responder (port 9): an unknown revocation status is accepted; in the fault run one
# worker thread, so the connection holding an uncommitted answer is the next one used, and no
# retention thread: the fault holds a commit until its connection's next transaction, and the
# retention's connection sleeps a day after its run at start-up, holding the audit chain's lock
# (every other writer would wait for it for ever; the ordinary kill runs keep the retention)
{
  printf 'accept_unknown_revocation = true\nrevocation_timeout_ms = 300\naccess_log = false\n'
  printf 'captcha_max_per_addr = 100000\n' # every applicant logs in from 127.0.0.1
  [ "${EIMZA_CRASH_FAULT:-0}" = 1 ] && printf 'threads = 1\nretention_interval = 0\n'
} >"$T/eimza.conf"

expect_status 0 "migrate" "$EIMZA" migrate --db "$DB"
expect_status 0 "import personnel" "$EIMZA" import personnel "$T/p.csv" --db "$DB"
expect_status 0 "import certificates" "$EIMZA" import certificates "$T/pki/holders.pem" --db "$DB"
for u in "ayse.onay approver 72" "osman.op operator"; do
  set -- $u
  printf '%s\n' "$PW" | "$EIMZA" user add "$1" --role "$2" ${3:+--province $3} --db "$DB" \
    >/dev/null 2>"$T/err" || fail "user add $1" "$(cat "$T/err")"
done

PORT=$(free_port) || { fail "a free port"; finish; }
args=(--dir "$T" --db "$DB" --eimza "$EIMZA" --config "$T/eimza.conf" --trust "$T/trust"
  --pki "$T/pki" --password "$PW" --port "$PORT" --kills "$KILLS")
[ -n "${EIMZA_CRASH_SEED:-}" ] && args+=(--seed "$EIMZA_CRASH_SEED")
[ -n "$PGCRASH" ] && args+=(--pg-crash "$PGCRASH")
[ "${EIMZA_CRASH_PG_SYNC:-on}" = off ] && args+=(--expect-loss)
if [ "${EIMZA_CRASH_FAULT:-0}" = 1 ]; then
  [ -f "${EIMZA_CRASH_SHIM:-}" ] || { fail "the late-commit shim" "EIMZA_CRASH_SHIM not built"; finish; }
  args+=(--fault "$EIMZA_CRASH_SHIM" --kills "${EIMZA_CRASH_KILLS:-15}")
fi
if python3 "$SRC/tests/crash/kill_driver.py" "${args[@]}"; then
  if [ "${EIMZA_CRASH_FAULT:-0}" = 1 ]; then ok "the fault (answering before the commit) is caught"
  elif [ "${EIMZA_CRASH_PG_SYNC:-on}" = off ]; then ok "the fault (synchronous_commit = off) is caught"
  else ok "crash consistency over $KILLS kills"; fi
else
  fail "crash consistency" "see the lines above; the server's log: $(grep -m3 -E 'ERROR|Sanitizer' "$T/serve.log")"
fi
finish
