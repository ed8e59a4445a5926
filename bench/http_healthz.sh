#!/usr/bin/env bash
# eimza — benchmark: the rate of `GET /healthz` (a database ping and a small JSON answer,
# over keep-alive connections) measured with wrk, against nginx serving a static file of the
# same size with the same headers, measured the same way in the same run. Target: at least
# 1x nginx's rate (the server must not be the bottleneck in front of the database).
# Both servers get one worker per CPU and no access log; wrk shares the machine with them,
# equally for both. Prints one result line.
#   BUILD=DIR (default build/)  DURATION=SECONDS (default 5)  CONNECTIONS=N (default 64)
# Needs the Debian packages wrk and nginx-light (not in scripts/deps.txt: a benchmark only).
set -uo pipefail
cd "$(dirname "$0")/.."
BUILD=${BUILD:-build}
DURATION=${DURATION:-5}
CONNECTIONS=${CONNECTIONS:-64}
NAME=http_healthz
EIMZA=$BUILD/eimza
NGINX=$(command -v nginx || echo /usr/sbin/nginx)

if [ ! -x "$EIMZA" ] || ! command -v wrk >/dev/null || [ ! -x "$NGINX" ] || ! command -v curl >/dev/null; then
  echo "$NAME: skipped (needs $EIMZA — run 'make build' — and the packages wrk, nginx-light, curl)"
  exit 0
fi
W=$(mktemp -d /tmp/eimza-bench-http.XXXXXX)
chmod 755 "$W"
EPID= NPID=
cleanup() {
  [ -n "$EPID" ] && kill -TERM "$EPID" 2>/dev/null && wait "$EPID" 2>/dev/null
  [ -n "$NPID" ] && kill -QUIT "$NPID" 2>/dev/null && wait "$NPID" 2>/dev/null
  rm -rf "$W"
}
trap cleanup EXIT
CPUS=$(nproc)
WRK_THREADS=$((CPUS < 2 ? 1 : 2))

# wrk's "Requests/sec:" for URL, and a check that it saw no errors.
rate() {
  wrk -t"$WRK_THREADS" -c"$CONNECTIONS" -d"${DURATION}s" "$1" >"$W/wrk.out" 2>&1
  if grep -q 'Non-2xx\|Socket errors' "$W/wrk.out"; then
    echo "$NAME: errors while measuring $1:" >&2
    cat "$W/wrk.out" >&2
  fi
  awk '/^Requests\/sec:/ { printf "%d", $2 }' "$W/wrk.out"
}

# ---- eimza -------------------------------------------------------------------------------
"$EIMZA" migrate --db "sqlite:$W/eimza.db" >/dev/null 2>&1 || { echo "$NAME: migrate failed"; exit 1; }
printf 'listen = 127.0.0.1:0\ndb = sqlite:%s/eimza.db\naccess_log = off\nthreads = %d\n' \
  "$W" "$CPUS" >"$W/eimza.conf"
: >"$W/eimza.out" # exists before the loop below reads it
"$EIMZA" serve --config "$W/eimza.conf" >"$W/eimza.out" 2>"$W/eimza.err" &
EPID=$!
for _ in $(seq 1 100); do
  URL=$(sed -n 's/^eimza: serving on \(http[^ ]*\) .*/\1/p' "$W/eimza.out")
  [ -n "$URL" ] && break
  sleep 0.05
done
[ -n "${URL:-}" ] || { echo "$NAME: eimza serve did not start: $(head -c 300 "$W/eimza.err")"; exit 1; }
curl -s -D "$W/eimza.h" -o "$W/healthz.json" "$URL/healthz"

# ---- nginx: the same bytes as a static file, the same headers -------------------------------
NPORT=$(( 20000 + RANDOM % 20000 ))
cp "$W/healthz.json" "$W/healthz"
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
    location = /healthz {
      add_header Content-Security-Policy "default-src 'self'; frame-ancestors 'none'; base-uri 'none'; form-action 'self'";
      add_header X-Content-Type-Options nosniff;
      add_header X-Frame-Options DENY;
      add_header Referrer-Policy no-referrer;
      add_header X-Request-Id 0000000000000000;
      add_header Cache-Control no-store;
    }
  }
}
EOF
"$NGINX" -c "$W/nginx.conf" -e "$W/nginx.err" 2>"$W/nginx.start" &
NPID=$!
for _ in $(seq 1 100); do
  curl -s -o /dev/null "http://127.0.0.1:$NPORT/healthz" && break
  sleep 0.05
done
if ! curl -sf -o "$W/nginx.body" "http://127.0.0.1:$NPORT/healthz"; then
  echo "$NAME: nginx did not start: $(cat "$W/nginx.start" "$W/nginx.err" 2>/dev/null | head -c 300)"
  exit 1
fi

# ---- measure: each twice, alternating, the best counts --------------------------------------
best_e=0 best_n=0
for _ in 1 2; do
  e=$(rate "$URL/healthz"); n=$(rate "http://127.0.0.1:$NPORT/healthz")
  [ "${e:-0}" -gt "$best_e" ] && best_e=$e
  [ "${n:-0}" -gt "$best_n" ] && best_n=$n
done
[ "$best_n" -gt 0 ] || { echo "$NAME: nginx measurement failed"; exit 1; }
ratio=$(awk -v a="$best_e" -v b="$best_n" 'BEGIN { printf "%.2f", a / b }')
verdict=$(awk -v r="$ratio" 'BEGIN { print (r >= 1.0) ? "ok" : "MISSED" }')
echo "$NAME: eimza ${best_e} req/s, nginx static ${best_n} req/s (body $(stat -c %s "$W/healthz") B), ratio ${ratio}x (target >= 1.0x: $verdict; $CPUS CPUs, $CONNECTIONS connections, ${DURATION}s)"
