#!/usr/bin/env bash
# eimza — benchmark: the resident memory (VmRSS) of `eimza serve` holding 1,000 open idle
# connections. Target (issue 4): under 64 MiB. The server runs `serve --dev` on a fresh
# SQLite database with its defaults; bench/idle_open.js (Node.js) opens the connections and
# keeps them silent. Memory is read three times: before connecting (baseline), once the
# server has accepted every connection, and after one keep-alive `GET /healthz` on each
# (connections that have served a request and wait for the next — their buffers touched).
# The larger of the last two is held against the target. Prints one result line; a missed
# target is reported, not failed.
#   BUILD=DIR (default build/)  CONNECTIONS=N (default 1000)
# Needs Node.js (scripts/deps.txt) and curl.
set -uo pipefail
cd "$(dirname "$0")/.." || exit 1
BUILD=${BUILD:-build}
CONNECTIONS=${CONNECTIONS:-1000}
NAME=idle_connections
EIMZA=$BUILD/eimza

if [ ! -x "$EIMZA" ] || ! command -v node >/dev/null || ! command -v curl >/dev/null; then
  echo "$NAME: skipped (needs $EIMZA — run 'make build' — and the packages nodejs, curl)"
  exit 0
fi
W=$(mktemp -d /tmp/eimza-bench-idle.XXXXXX)
EPID='' CPID=''
# shellcheck disable=SC2317 # called by the EXIT trap
cleanup() {
  exec 3>&- 2>/dev/null # closes the client's stdin: it closes its connections and exits
  [ -n "$CPID" ] && kill -TERM "$CPID" 2>/dev/null && wait "$CPID" 2>/dev/null
  [ -n "$EPID" ] && kill -TERM "$EPID" 2>/dev/null && wait "$EPID" 2>/dev/null
  rm -rf "$W"
}
trap cleanup EXIT
trap 'exit 130' INT TERM
# die MESSAGE: the benchmark could not run (not a slow result): says why, exits 1.
die() {
  echo "$NAME: $*"
  exit 1
}

# The server and the client each need a descriptor per connection.
need=$((CONNECTIONS + 256))
[ "$(ulimit -n)" -ge "$need" ] || ulimit -n "$need" 2>/dev/null ||
  die "needs $need open files, 'ulimit -n' allows $(ulimit -n)"

# ---- eimza serve --dev, raising max_connections only if its default is too low ------------------
DB=sqlite:$W/eimza.db
"$EIMZA" migrate --db "$DB" >/dev/null 2>"$W/migrate.err" ||
  die "migrate failed: $(head -c 300 "$W/migrate.err")"
max=$("$EIMZA" serve --help 2>&1 | sed -n 's/^ *max_connections .*(default: \([0-9]*\).*/\1/p')
args=(--dev --listen 127.0.0.1:0 --db "$DB")
note=''
if [ -z "$max" ] || [ "$max" -lt $((CONNECTIONS + 16)) ]; then
  echo "max_connections = $((CONNECTIONS + 64))" >"$W/eimza.conf"
  args+=(--config "$W/eimza.conf")
  note="; max_connections raised from ${max:-?} to $((CONNECTIONS + 64))"
fi
: >"$W/eimza.out" # before the server starts: the loop below reads it at once
"$EIMZA" serve "${args[@]}" >"$W/eimza.out" 2>"$W/eimza.err" &
EPID=$!
URL=''
for _ in $(seq 1 200); do
  URL=$(sed -n 's/^eimza: serving on \(http[^ ]*\) .*/\1/p' "$W/eimza.out")
  [ -n "$URL" ] && break
  kill -0 "$EPID" 2>/dev/null || break
  sleep 0.05
done
[ -n "$URL" ] || die "eimza serve did not start: $(head -c 300 "$W/eimza.err")"
hostport=${URL#http://}
HOST=${hostport%:*} PORT=${hostport##*:}
# one request first, so that the baseline counts what any serving process has set up
curl -sf -o /dev/null "$URL/healthz" || die "GET /healthz failed"

# rss_kib: the server's VmRSS in KiB.
rss_kib() { awk '/^VmRSS:/ { print $2 }' "/proc/$EPID/status"; }
# sockets: how many sockets the server holds open.
sockets() { find "/proc/$EPID/fd" -mindepth 1 -lname 'socket:*' 2>/dev/null | wc -l; }
mib() { awk -v k="$1" 'BEGIN { printf "%.1f", k / 1024 }'; }
# wait_for WORD: until the client prints a line starting with WORD (30 s at most).
wait_for() {
  for _ in $(seq 1 600); do
    grep -q "^$1 " "$W/client.out" && return 0
    grep -q '^error ' "$W/client.out" && die "client: $(grep '^error ' "$W/client.out" | head -1)"
    kill -0 "$CPID" 2>/dev/null || die "the client stopped: $(head -c 300 "$W/client.err")"
    sleep 0.05
  done
  die "timed out waiting for the client's '$1' ($(sockets) server sockets)"
}
sleep 0.2
base_sockets=$(sockets)
base=$(rss_kib)

# ---- open the connections and let them idle ---------------------------------------------------
mkfifo "$W/client.in"
node bench/idle_open.js "$CONNECTIONS" "$HOST" "$PORT" /healthz <"$W/client.in" \
  >"$W/client.out" 2>"$W/client.err" &
CPID=$!
exec 3>"$W/client.in"
wait_for open
# connected on the client's side is not yet accepted on the server's: wait for its sockets
for _ in $(seq 1 200); do
  [ "$(sockets)" -ge $((base_sockets + CONNECTIONS)) ] && break
  sleep 0.05
done
accepted=$(($(sockets) - base_sockets))
[ "$accepted" -ge "$CONNECTIONS" ] ||
  die "the server accepted $accepted of $CONNECTIONS connections: $(tail -c 300 "$W/eimza.err")"
sleep 0.5
open=$(rss_kib)

# ---- one request on each, then idle again ----------------------------------------------------
echo request >&3
wait_for answered
sleep 0.5
used=$(rss_kib)
still=$(($(sockets) - base_sockets))
[ "$still" -ge "$CONNECTIONS" ] || die "only $still of $CONNECTIONS connections still open"
kill -0 "$EPID" 2>/dev/null || die "eimza stopped: $(tail -c 300 "$W/eimza.err")"

worst=$((open > used ? open : used))
verdict=$(awk -v k="$worst" 'BEGIN { print (k < 64 * 1024) ? "ok" : "MISSED" }')
echo "$NAME: $CONNECTIONS open, server RSS $(mib "$open") MiB (target < 64 MiB: $verdict); baseline RSS before connecting $(mib "$base") MiB; after one keep-alive request on each, still open: $(mib "$used") MiB$note"
exit 0
