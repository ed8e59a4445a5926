#!/usr/bin/env bash
# Runs a command beside a throwaway PostgreSQL server (Debian's package): initdb in a
# temporary directory, listen on a free loopback port, run "$@" with
#   EIMZA_TEST_PG_ADMIN_URL  a superuser URL to the "postgres" database (tests create their
#                            own databases through it, so they can run in parallel)
#   EIMZA_TEST_PG_URL        a ready database "eimza_test"
#   EIMZA_REQUIRE_PG=1       PostgreSQL tests must not skip
# and stop the server and remove the directory afterwards, whatever the command's outcome.
# As root the server runs as the postgres user (PostgreSQL refuses to run as root).
set -euo pipefail

pgbin=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -1)
if [ -z "$pgbin" ] || [ ! -x "$pgbin/initdb" ]; then
  echo "with-postgres: PostgreSQL server binaries not found (run scripts/install-deps.sh)" >&2
  exit 2
fi
dir=$(mktemp -d /tmp/eimza-pg.XXXXXX)
chmod 755 "$dir"
as_pg=()
if [ "$(id -u)" -eq 0 ]; then
  chown postgres: "$dir"
  as_pg=(runuser -u postgres --)
fi

stop() {
  "${as_pg[@]}" "$pgbin/pg_ctl" -D "$dir/data" -m immediate -w stop >/dev/null 2>&1 || true
  rm -rf "$dir"
}
trap stop EXIT
trap 'exit 130' INT TERM

"${as_pg[@]}" "$pgbin/initdb" -D "$dir/data" -U postgres -A trust -E UTF8 --locale=C.UTF-8 \
  --no-sync >"$dir/initdb.log" 2>&1 || { cat "$dir/initdb.log" >&2; exit 2; }

started=
for _ in 1 2 3 4 5 6 7 8; do
  # below the ephemeral range (32768-60999): no test's outgoing connection or server on port 0
  # can hold it
  port=$((20000 + RANDOM % 12768))
  if "${as_pg[@]}" "$pgbin/pg_ctl" -D "$dir/data" -l "$dir/server.log" -w -t 30 \
       -o "-c listen_addresses=127.0.0.1 -p $port -k $dir -c fsync=off -c synchronous_commit=off -c full_page_writes=off -c max_connections=300" \
       start >/dev/null 2>&1; then
    started=1
    break
  fi
done
if [ -z "$started" ]; then
  echo "with-postgres: the server did not start:" >&2
  tail -20 "$dir/server.log" >&2 || true
  exit 2
fi

export EIMZA_TEST_PG_ADMIN_URL="postgresql://postgres@127.0.0.1:$port/postgres"
export EIMZA_TEST_PG_URL="postgresql://postgres@127.0.0.1:$port/eimza_test"
export EIMZA_REQUIRE_PG=1
psql -q -X "$EIMZA_TEST_PG_ADMIN_URL" -c 'CREATE DATABASE eimza_test' >/dev/null

echo "with-postgres: PostgreSQL $("$pgbin/postgres" --version | awk '{print $3}') on 127.0.0.1:$port"
set +e
"$@"
rc=$?
set -e
exit $rc
