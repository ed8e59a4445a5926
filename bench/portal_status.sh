#!/usr/bin/env bash
# eimza — benchmark: the rate of `GET /api/v1/application/status` for a logged-in applicant
# (session lookup, the application and its timeline read from SQLite, a JSON answer, over
# keep-alive connections with a Bearer token) measured with wrk, against nginx serving a
# static file of the same size with the same headers, measured the same way in the same run.
# Target (issue 4): at least 0.8x nginx's rate.
# The server keeps the status answer per session for status_cache_ms (app/status_cache.h); a
# second server with the cache off is measured too and printed as a second line, so the cost
# of the uncached path stays visible.
# The server runs `serve --dev` on a fresh SQLite database holding one person from the e2e
# fixture; the script logs in through the JSON API (captcha answer from /dev/captcha/ID) and
# opens the draft application. Both servers get one worker per CPU and no access log; wrk
# shares the machine with them, equally for both. Each side is measured twice, alternating,
# and the best counts. Prints two result lines; a missed target is reported, not failed.
#   BUILD=DIR (default build/)  DURATION=SECONDS (default 10)  CONNECTIONS=N (default 64)
#   ACCESS_LOG=on  to measure eimza with its access log (to a file) instead
# Needs the Debian packages wrk, nginx-light, curl and jq.
set -uo pipefail
cd "$(dirname "$0")/.." || exit 1
BUILD=${BUILD:-build}
DURATION=${DURATION:-10}
CONNECTIONS=${CONNECTIONS:-64}
ACCESS_LOG=${ACCESS_LOG:-off}
NAME=portal_status
EIMZA=$BUILD/eimza
NGINX=$(command -v nginx || echo /usr/sbin/nginx)
FIXTURE=tests/e2e/fixtures/personnel.csv
ROUTE=/api/v1/application/status

if [ ! -x "$EIMZA" ] || ! command -v wrk >/dev/null || [ ! -x "$NGINX" ] ||
  ! command -v curl >/dev/null || ! command -v jq >/dev/null; then
  echo "$NAME: skipped (needs $EIMZA — run 'make build' — and the packages wrk, nginx-light, curl, jq)"
  exit 0
fi
W=$(mktemp -d /tmp/eimza-bench-status.XXXXXX)
chmod 755 "$W" # nginx's workers may run as another user and must read the file
EPIDS='' NPID=''
# shellcheck disable=SC2317 # called by the EXIT trap
cleanup() {
  for p in $EPIDS; do kill -TERM "$p" 2>/dev/null && wait "$p" 2>/dev/null; done
  [ -n "$NPID" ] && kill -QUIT "$NPID" 2>/dev/null && wait "$NPID" 2>/dev/null
  rm -rf "$W"
}
trap cleanup EXIT
trap 'exit 130' INT TERM
CPUS=$(nproc)
WRK_THREADS=$((CPUS < 2 ? 1 : 2))
# die MESSAGE: the benchmark could not run (not a slow result): says why, exits 1.
die() {
  echo "$NAME: $*"
  exit 1
}

# ---- the database: one known person ----------------------------------------------------------
DB=sqlite:$W/eimza.db
"$EIMZA" migrate --db "$DB" >/dev/null 2>"$W/migrate.err" ||
  die "migrate failed: $(head -c 300 "$W/migrate.err")"
{
  head -1 "$FIXTURE"
  grep '^10000000146;' "$FIXTURE"
} >"$W/personnel.csv"
"$EIMZA" import personnel "$W/personnel.csv" --db "$DB" >/dev/null 2>"$W/import.err" ||
  die "import personnel failed: $(head -c 300 "$W/import.err")"

# ---- eimza serve --dev, twice: with the status cache (the default) and without it ------------
# start_eimza NAME CACHE_MS: starts a server, logs in through the JSON API (captcha answer from
# /dev/captcha/ID), opens the draft application; sets URL_<NAME>, AUTH_<NAME> and PID_<NAME>.
start_eimza() {
  local name=$1 cache=$2 url='' pid token code cid answer body
  {
    echo "dev = true"
    echo "listen = 127.0.0.1:0"
    echo "db = $DB"
    echo "access_log = $([ "$ACCESS_LOG" = on ] && echo true || echo false)"
    echo "threads = $CPUS"
    echo "status_cache_ms = $cache"
  } >"$W/$name.conf"
  : >"$W/$name.out" # before the server starts: the loop below reads it at once
  "$EIMZA" serve --config "$W/$name.conf" >"$W/$name.out" 2>"$W/$name.err" &
  pid=$!
  EPIDS="$EPIDS $pid"
  for _ in $(seq 1 200); do
    url=$(sed -n 's/^eimza: serving on \(http[^ ]*\) .*/\1/p' "$W/$name.out")
    [ -n "$url" ] && break
    kill -0 "$pid" 2>/dev/null || break
    sleep 0.05
  done
  [ -n "$url" ] || die "eimza serve did not start: $(head -c 300 "$W/$name.err")"
  cid=$(curl -sf "$url/api/v1/captcha" | jq -r .id)
  answer=$(curl -sf "$url/dev/captcha/$cid" | jq -r .answer)
  body=$(jq -nc --arg i "$cid" --arg a "$answer" '{tckn:"10000000146", first_name:"Ayşe",
    last_name:"Işık", birth_place:"Iğdır", birth_date:"1980-03-27", captcha_id:$i, captcha_answer:$a}')
  curl -s -o "$W/login.json" -H 'Content-Type: application/json' --data-binary "$body" \
    "$url/api/v1/login"
  token=$(jq -r '.token // empty' "$W/login.json" 2>/dev/null)
  [ -n "$token" ] || die "login failed: $(head -c 300 "$W/login.json")"
  code=$(curl -s -o /dev/null -w '%{http_code}' -H "Authorization: Bearer $token" \
    "$url/api/v1/application")
  [ "$code" = 200 ] || die "GET /api/v1/application answered $code"
  printf -v "URL_$name" '%s' "$url"
  printf -v "AUTH_$name" '%s' "Authorization: Bearer $token"
  printf -v "PID_$name" '%s' "$pid"
}
EPIDS=''
start_eimza cached 1000
start_eimza direct 0
URL=$URL_cached AUTH=$AUTH_cached
code=$(curl -s -D "$W/status.h" -o "$W/status.json" -w '%{http_code}' -H "$AUTH" "$URL$ROUTE")
[ "$code" = 200 ] || die "GET $ROUTE answered $code: $(head -c 300 "$W/status.json")"
code=$(curl -s -o "$W/status2.json" -w '%{http_code}' -H "$AUTH_direct" "$URL_direct$ROUTE")
[ "$code" = 200 ] || die "GET $ROUTE (no cache) answered $code"
SIZE=$(stat -c %s "$W/status.json")

# ---- nginx: a static file of the same size, with eimza's headers -------------------------------
# The same bytes (a static JSON file), and every header eimza sent but those nginx writes
# itself; the X-Request-Id varies per request in eimza, a fixed one of the same length here.
cp "$W/status.json" "$W/status"
headers=$(tr -d '\r' <"$W/status.h" | awk -F': ' 'NR > 1 && NF >= 2 {
    name = $1; value = substr($0, length($1) + 3)
    if (tolower(name) ~ /^(date|content-type|content-length|connection|server|keep-alive)$/) next
    gsub(/"/, "\\\"", value)
    printf "      add_header %s \"%s\";\n", name, value
  }')
NPORT=$((20000 + RANDOM % 20000))
cat >"$W/nginx.conf" <<EOF
worker_processes $CPUS;
pid $W/nginx.pid;
error_log $W/nginx.err;
daemon off;
events { worker_connections 4096; }
http {
  access_log off;
  server_tokens off;
  keepalive_requests 1000000;
  client_body_temp_path $W/nginx-tmp;
  server {
    listen 127.0.0.1:$NPORT;
    root $W;
    default_type application/json;
    location = $ROUTE {
      alias $W/status;
$headers
    }
  }
}
EOF
"$NGINX" -c "$W/nginx.conf" -e "$W/nginx.err" 2>"$W/nginx.start" &
NPID=$!
NURL=http://127.0.0.1:$NPORT$ROUTE
for _ in $(seq 1 100); do
  curl -s -o /dev/null "$NURL" && break
  kill -0 "$NPID" 2>/dev/null || break
  sleep 0.05
done
curl -sf -H "$AUTH" -o "$W/nginx.body" "$NURL" ||
  die "nginx did not start: $(cat "$W/nginx.start" "$W/nginx.err" 2>/dev/null | head -c 300)"
cmp -s "$W/nginx.body" "$W/status.json" || die "nginx does not serve the same body"

# ---- measure: each twice, alternating, the best counts -----------------------------------------
# rate URL AUTH: wrk's Requests/sec (whole number), with a warning on errors or non-2xx answers.
rate() {
  wrk -t"$WRK_THREADS" -c"$CONNECTIONS" -d"${DURATION}s" -H "$2" "$1" >"$W/wrk.out" 2>&1
  if grep -q 'Non-2xx\|Socket errors' "$W/wrk.out"; then
    echo "$NAME: errors while measuring $1:" >&2
    cat "$W/wrk.out" >&2
  fi
  awk '/^Requests\/sec:/ { printf "%d", $2 }' "$W/wrk.out"
}
best_e=0 best_n=0 best_d=0
for _ in 1 2; do
  e=$(rate "$URL$ROUTE" "$AUTH")
  n=$(rate "$NURL" "$AUTH")
  d=$(rate "$URL_direct$ROUTE" "$AUTH_direct")
  [ "${e:-0}" -gt "$best_e" ] && best_e=$e
  [ "${n:-0}" -gt "$best_n" ] && best_n=$n
  [ "${d:-0}" -gt "$best_d" ] && best_d=$d
done
for p in $EPIDS; do
  kill -0 "$p" 2>/dev/null || die "eimza stopped during the measurement: $(tail -c 300 "$W"/*.err)"
done
[ "$best_n" -gt 0 ] || die "nginx measurement failed"
ratio=$(awk -v a="$best_e" -v b="$best_n" 'BEGIN { printf "%.2f", a / b }')
ratio_d=$(awk -v a="$best_d" -v b="$best_n" 'BEGIN { printf "%.2f", a / b }')
verdict=$(awk -v r="$ratio" 'BEGIN { print (r >= 0.8) ? "ok" : "MISSED" }')
echo "$NAME: eimza $best_e req/s, nginx $best_n req/s (same $SIZE-byte body), ratio $ratio (target >= 0.80: $verdict; $CPUS CPUs, $CONNECTIONS connections, ${DURATION}s x2, access log $ACCESS_LOG)"
echo "$NAME: without the status cache (status_cache_ms = 0, every request reads the database): eimza $best_d req/s, ratio $ratio_d"
exit 0
