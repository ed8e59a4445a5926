#!/usr/bin/env bash
# eimza — benchmark: several servers on one PostgreSQL (issue 18). On one machine a second
# server adds no cores, so what this shows is what the coordination costs: the rate of
# `GET /api/v1/application/status` (uncached: on PostgreSQL every answer is read afresh) over
# SESSIONS applicant sessions, through
#   (a) one `eimza serve` on PostgreSQL, straight (HTTP, no nginx): the baseline;
#   (b) two `eimza serve` on the same database behind nginx with the shipped site
#       (packaging/nginx/eimza.conf: TLS, its proxy settings, keep-alive to the servers, its
#       limits; only the ports and the certificate's files changed, as tests/ops/nginx.sh does),
#       over HTTPS (wrk speaks HTTP/1.1 over TLS; browsers would use HTTP/2);
# with the same wrk script (bench/wrk/status.lua), threads and connections. Fair shares: the
# two servers together have as many worker threads as the one (threads = CPUs/2 each, at
# least 1), the same settings otherwise; neither has an access log, nor has nginx. Each side
# is warmed up, then measured ROUNDS times, alternating, the best counts. Target: (b) at least
# 0.8x (a). Printed with it, to show where (b)'s time goes: the CPU time per request of each
# part (the servers, nginx's workers, PostgreSQL's backends, wrk), the connections nginx
# closed towards the servers, and (b)'s servers' own count of status round trips.
# Then the database round trips of each request type, as the server counts them
# (eimza_db_round_trips_total per route in /metrics): applicants walked through the
# e-signature flow and an approver's decisions on server (a) (bench/wrk/round_trips.py), per
# request after a warm-up; targets: status at most 2, signature submission at most 5.
# The database is a throwaway PostgreSQL (scripts/with-postgres.sh: fsync and
# synchronous_commit off, the same for both sides) unless EIMZA_TEST_PG_ADMIN_URL names one.
# Figures, not a test: a missed target is printed, not failed.
#   BUILD=DIR (default build/)  DURATION=SECONDS per measurement (default 10)
#   CONNECTIONS=N (default 32; the shipped site allows 64 per client address)
#   SESSIONS=N (default 200)  ROUNDS=N (default 3)  FLOWS=N (default 10 applicants measured)
# Needs the Debian packages wrk, nginx-light (or nginx), openssl, python3, postgresql, curl.
set -uo pipefail
cd "$(dirname "$0")/.." || exit 1
BUILD=${BUILD:-build}
DURATION=${DURATION:-10}
CONNECTIONS=${CONNECTIONS:-32}
SESSIONS=${SESSIONS:-200}
ROUNDS=${ROUNDS:-3}
FLOWS=${FLOWS:-10}
NAME=servers
EIMZA=$BUILD/eimza
NGINX=$(command -v nginx || echo /usr/sbin/nginx)
SITE=packaging/nginx/eimza.conf

if [ ! -x "$EIMZA" ] || ! command -v wrk >/dev/null || [ ! -x "$NGINX" ] ||
  ! command -v python3 >/dev/null || ! command -v openssl >/dev/null ||
  ! command -v psql >/dev/null || ! command -v curl >/dev/null; then
  echo "$NAME: skipped (needs $EIMZA — run 'make build' — and the packages wrk, nginx-light, openssl, python3, postgresql, curl)"
  exit 0
fi
if [ -z "${EIMZA_TEST_PG_ADMIN_URL:-}" ]; then
  scripts/with-postgres.sh bash "$0" "$@" | grep -v '^with-postgres:'
  exit "${PIPESTATUS[0]}"
fi
[ "$CONNECTIONS" -le 64 ] || {
  echo "$NAME: CONNECTIONS=$CONNECTIONS: the shipped site allows 64 per client address"
  exit 1
}
DBNAME=eimza_bench_servers_$$
psql -X -q "$EIMZA_TEST_PG_ADMIN_URL" -c "CREATE DATABASE $DBNAME" >/dev/null ||
  { echo "$NAME: cannot create a database"; exit 1; }
W=$(mktemp -d /tmp/eimza-bench-servers.XXXXXX)
chmod 755 "$W" # nginx's workers may run as another user
EPID='' BPIDS='' NPID=''
# shellcheck disable=SC2317 # called by the EXIT trap
cleanup() {
  for p in $EPID $BPIDS; do kill -TERM "$p" 2>/dev/null && wait "$p" 2>/dev/null; done
  [ -n "$NPID" ] && kill -QUIT "$NPID" 2>/dev/null && wait "$NPID" 2>/dev/null
  psql -X -q "$EIMZA_TEST_PG_ADMIN_URL" -c "DROP DATABASE IF EXISTS $DBNAME" >/dev/null 2>&1
  rm -rf "$W"
}
trap cleanup EXIT
trap 'exit 130' INT TERM
die() {
  echo "$NAME: $*"
  exit 1
}
CPUS=$(nproc)
WRK_THREADS=$((CPUS < 2 ? 1 : 2))
HALF=$((CPUS / 2 < 1 ? 1 : CPUS / 2))

# ---- (a) one server on PostgreSQL, with the people, the PKI and the sessions -----------------
source bench/wrk/setup.sh
WRK_DB=${EIMZA_TEST_PG_ADMIN_URL%/*}/$DBNAME WRK_SERVER_THREADS=$CPUS \
  wrk_setup "trusted_proxies = 127.0.0.1,::1"
URL_A=$URL

# ---- (b) two servers on the same database, half the threads each ----------------------------
# serve N: server N of (b) on a free port; appends its port to PORTS
PORTS=()
serve() {
  local conf=$W/b$1.conf url='' pid
  sed -e "s/^threads = .*/threads = $HALF/" "$W/eimza.conf" >"$conf"
  : >"$W/b$1.out"
  "$EIMZA" serve --config "$conf" >"$W/b$1.out" 2>"$W/b$1.err" &
  pid=$!
  BPIDS="$BPIDS $pid"
  for _ in $(seq 1 200); do
    url=$(sed -n 's/^eimza: serving on \(http[^ ]*\) .*/\1/p' "$W/b$1.out")
    [ -n "$url" ] && break
    kill -0 "$pid" 2>/dev/null || break
    sleep 0.05
  done
  [ -n "$url" ] || die "server $1 of (b) did not start: $(head -c 300 "$W/b$1.err")"
  PORTS+=("${url##*:}")
}
serve 1
serve 2

# ---- nginx with the shipped site --------------------------------------------------------------
# Only what cannot be the same here changes (the listen ports on loopback, the servers' ports,
# the certificate's files), each on exactly the line meant, as in tests/ops/nginx.sh.
N=$W/nginx
mkdir -p "$N/tls"
openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes -keyout "$N/tls/privkey.pem" \
  -out "$N/tls/fullchain.pem" -subj "/CN=eimza.example.gov.tr" -days 2 \
  -addext subjectAltName=DNS:eimza.example.gov.tr 2>/dev/null || die "a test certificate"
HTTPS=$((20000 + RANDOM % 10000))
HTTP=$((HTTPS + 1))
sed -e "s|^    listen 443 ssl http2;$|    listen 127.0.0.1:$HTTPS ssl http2;|" \
  -e "s|^    listen \[::\]:443 ssl http2;$|    listen [::1]:$HTTPS ssl http2;|" \
  -e "s|^    listen 80;$|    listen 127.0.0.1:$HTTP;|" \
  -e "s|^    listen \[::\]:80;$|    listen [::1]:$HTTP;|" \
  -e "s|^    ssl_certificate /etc/ssl/eimza/fullchain.pem;$|    ssl_certificate $N/tls/fullchain.pem;|" \
  -e "s|^    ssl_certificate_key /etc/ssl/eimza/privkey.pem;$|    ssl_certificate_key $N/tls/privkey.pem;|" \
  -e "s|^    server 127.0.0.1:8081 max_fails=0;$|    server 127.0.0.1:${PORTS[0]} max_fails=0;|" \
  -e "s|^    server 127.0.0.1:8082 max_fails=0;$|    server 127.0.0.1:${PORTS[1]} max_fails=0;|" \
  "$SITE" >"$N/eimza.conf"
changed=$(diff "$SITE" "$N/eimza.conf" | grep -c '^>')
[ "$changed" = 8 ] || die "the shipped site changed in $changed lines, 8 expected: $SITE moved on?"
cat >"$N/nginx.conf" <<EOF
$([ "$(id -u)" = 0 ] && echo 'user root;')
daemon off;
worker_processes auto;
pid $N/nginx.pid;
error_log $N/error.log warn;
events { worker_connections 4096; }
http {
    access_log off;
    client_body_temp_path $N/body;
    proxy_temp_path $N/proxy;
    fastcgi_temp_path $N/fastcgi;
    uwsgi_temp_path $N/uwsgi;
    scgi_temp_path $N/scgi;
    include /etc/nginx/mime.types;
    include $N/eimza.conf;
}
EOF
"$NGINX" -t -q -c "$N/nginx.conf" >"$N/test.out" 2>&1 || die "nginx -t: $(head -c 300 "$N/test.out")"
# without the descriptors above 2 (a caller's lock must not outlive this script)
"$NGINX" -c "$N/nginx.conf" >"$N/nginx.out" 2>&1 3>&- 4>&- 5>&- 6>&- 7>&- 8>&- 9>&- &
NPID=$!
URL_B=https://127.0.0.1:$HTTPS
TOKEN=$(head -1 "$W/tokens")
for _ in $(seq 1 100); do
  [ "$(curl -sk -o /dev/null -w '%{http_code}' -H "Authorization: Bearer $TOKEN" \
    "$URL_B/api/v1/application/status")" = 200 ] && break
  kill -0 "$NPID" 2>/dev/null || break
  sleep 0.05
done
code=$(curl -sk -o "$W/b.json" -w '%{http_code}' -H "Authorization: Bearer $TOKEN" \
  "$URL_B/api/v1/application/status")
[ "$code" = 200 ] || die "status through nginx answered $code: $(cat "$N/nginx.out" "$N/error.log" 2>/dev/null | head -c 300)"

# ---- measure -----------------------------------------------------------------------------------
# Besides the rate, the CPU time each part spent per request (from /proc: the servers, nginx's
# workers, the database's backends for this database, wrk itself): on a machine shared with
# other work the rates move with the neighbours' load, the CPU per request much less, and it
# shows where (b)'s extra cost goes.
# cpu PID...: the user + system clock ticks of those processes (all their threads)
cpu() {
  local s=0 p t
  for p in "$@"; do
    t=$(awk '{ print $14 + $15 }' "/proc/$p/stat" 2>/dev/null) && s=$((s + t))
  done
  echo "$s"
}
TICK=$(getconf CLK_TCK)
PG_PIDS=$(psql -X -At "$EIMZA_TEST_PG_ADMIN_URL" -c "SELECT string_agg(pid::text, ' ') FROM pg_stat_activity WHERE datname = '$DBNAME'")
# closed_upstream: connections to the servers of (b) that nginx has closed lately (TIME_WAIT on
# its side: a kept connection that did not fit nginx's keepalive cache, or one past its
# keepalive_requests)
closed_upstream() {
  ss -tnH state time-wait | awk -v a=":${PORTS[0]}" -v b=":${PORTS[1]}" '
    { p = $NF; if (substr(p, length(p) - length(a) + 1) == a || substr(p, length(p) - length(b) + 1) == b) n++ }
    END { print n + 0 }'
}
# rate URL SECONDS [SIDE]: wrk's status rate in RATE; with SIDE, the requests and the CPU ticks
# (seconds for wrk) of each part added to COST[SIDE.requests|eimza|nginx|pg|wrk], and the
# connections nginx closed to COST[SIDE.closed]; a line on stderr when anything but 200 came
# back
declare -A COST=()
rate() {
  local e0 n0 p0 e1 n1 p1 c0 c1 r req wrk_s nw
  RATE=0
  c0=$(closed_upstream)
  nw=$(pgrep -P "$NPID" | paste -sd' ')
  # shellcheck disable=SC2086 # lists of pids
  e0=$(cpu $EPID $BPIDS) n0=$(cpu $nw) p0=$(cpu $PG_PIDS)
  wrk_s=$({
    TIMEFORMAT='%U %S'
    time wrk -t"$WRK_THREADS" -c"$CONNECTIONS" -d"${2}s" --timeout 10s -s bench/wrk/status.lua \
      "$1" >"$W/wrk.out" 2>&1
  } 2>&1)
  # shellcheck disable=SC2086
  e1=$(cpu $EPID $BPIDS) n1=$(cpu $nw) p1=$(cpu $PG_PIDS)
  c1=$(closed_upstream)
  r=$(grep '^result ' "$W/wrk.out" | head -1)
  [ -n "$r" ] || { echo "$NAME: wrk on $1 failed: $(tail -3 "$W/wrk.out")" >&2; return; }
  grep -o 'status_[0-9]*=[0-9]*\|errors=[1-9][0-9]*\|timeouts=[1-9][0-9]*' <<<"$r" |
    grep -qv '^status_200=' && echo "$NAME: not all 200 on $1: $r" >&2
  req=$(sed -n 's/.* requests=\([0-9]*\).*/\1/p' <<<"$r")
  if [ -n "${3:-}" ]; then
    COST[$3.requests]=$((${COST[$3.requests]:-0} + req))
    COST[$3.eimza]=$((${COST[$3.eimza]:-0} + e1 - e0))
    COST[$3.nginx]=$((${COST[$3.nginx]:-0} + n1 - n0))
    COST[$3.pg]=$((${COST[$3.pg]:-0} + p1 - p0))
    COST[$3.closed]=$((${COST[$3.closed]:-0} + c1 - c0))
    COST[$3.wrk]=$(awk -v a="${COST[$3.wrk]:-0}" -v w="$wrk_s" 'BEGIN { split(w, t, " "); print a + t[1] + t[2] }')
  fi
  RATE=$(sed -n 's/.* rps=\([0-9]*\).*/\1/p' <<<"$r")
}
# per_req SIDE: the CPU time of each part per request, in µs
per_req() {
  awk -v n="${COST[$1.requests]:-0}" -v t="$TICK" -v e="${COST[$1.eimza]:-0}" \
    -v g="${COST[$1.nginx]:-0}" -v p="${COST[$1.pg]:-0}" -v w="${COST[$1.wrk]:-0}" 'BEGIN {
    if (n == 0) { printf "no requests"; exit }
    f = 1e6 / t / n
    printf "eimza %.0f + nginx %.0f + PostgreSQL %.0f + wrk %.0f = %.0f µs", e * f, g * f, p * f,
      w * 1e6 / n, (e + g + p) * f + w * 1e6 / n
  }'
}
rate "$URL_A" 3 # warm-up: connections, prepared statements, TLS sessions, caches
rate "$URL_B" 3
# status_trips URL...: the status requests and round trips the servers counted so far
status_trips() {
  local u
  for u in "$@"; do curl -sf "$u/metrics"; done | awk '
    /^eimza_http_request_duration_seconds_count\{method="GET",route="\/api\/v1\/application\/status"\}/ { n += $2 }
    /^eimza_db_round_trips_total\{method="GET",route="\/api\/v1\/application\/status"\}/ { t += $2 }
    END { print n + 0, t + 0 }'
}
URLS_B="http://127.0.0.1:${PORTS[0]} http://127.0.0.1:${PORTS[1]}"
# shellcheck disable=SC2086 # two URLs
read -r sn0 st0 <<<"$(status_trips $URLS_B)"
best_a=0 best_b=0 all_a='' all_b=''
for _ in $(seq 1 "$ROUNDS"); do
  rate "$URL_A" "$DURATION" a
  a=$RATE
  rate "$URL_B" "$DURATION" b
  b=$RATE
  all_a="$all_a ${a:-0}" all_b="$all_b ${b:-0}"
  [ "${a:-0}" -gt "$best_a" ] && best_a=$a
  [ "${b:-0}" -gt "$best_b" ] && best_b=$b
done
# shellcheck disable=SC2086
read -r sn1 st1 <<<"$(status_trips $URLS_B)"
for p in $EPID $BPIDS; do
  kill -0 "$p" 2>/dev/null || die "a server stopped during the measurement: $(tail -c 300 "$W"/*.err)"
done
[ "$best_a" -gt 0 ] || die "the measurement of (a) failed"
ratio=$(awk -v a="$best_a" -v b="$best_b" 'BEGIN { printf "%.2f", b / a }')
verdict=$(awk -v r="$ratio" 'BEGIN { print (r >= 0.8) ? "ok" : "MISSED" }')
echo "$NAME: status on PostgreSQL: one server straight $best_a req/s (runs:$all_a), two servers behind nginx (shipped site, HTTPS) $best_b req/s (runs:$all_b), ratio $ratio (target >= 0.80: $verdict)"
echo "$NAME: CPU per status request, all rounds: (a) $(per_req a); (b) $(per_req b); nginx closed ${COST[b.closed]:-0} connections to the servers in (b)'s ${COST[b.requests]:-0} requests; (b)'s servers counted $((sn1 - sn0)) status requests with $((st1 - st0)) database round trips"
echo "$NAME: settings: $CPUS CPUs; threads $CPUS in (a), $HALF + $HALF in (b); nginx worker_processes auto, no access log; wrk $WRK_THREADS threads, $CONNECTIONS connections, $SESSIONS sessions, ${DURATION}s x $ROUNDS alternating after a 3 s warm-up each; status cache off (PostgreSQL)"

# ---- round trips per request type --------------------------------------------------------------
python3 bench/wrk/round_trips.py "$URL_A" "$W/people.json" "$W/pki" "$WRK_STAFF" "$WRK_PW" "$W" \
  0 3 "$FLOWS" >"$W/rt.tsv" 2>"$W/rt.err" || die "round trips: $(tail -3 "$W/rt.err")"
while IFS=$'\t' read -r name method route n rt st; do
  [ "$n" -gt 0 ] || { echo "$NAME: round trips: $name ($method $route): no request counted"; continue; }
  per=$(awk -v a="$rt" -v n="$n" 'BEGIN { printf "%.2f", a / n }')
  sper=$(awk -v a="$st" -v n="$n" 'BEGIN { printf "%.2f", a / n }')
  limit='' mark=''
  case $name in status) limit=2 ;; signature) limit=5 ;; esac
  [ -n "$limit" ] && mark=$(awk -v p="$per" -v l="$limit" \
    'BEGIN { printf " (target <= %d: %s)", l, (p <= l) ? "OK" : "OVER" }')
  echo "$NAME: round trips: $name ($method $route): $per per request, $sper statements ($n requests)$mark"
done <"$W/rt.tsv"
exit 0
