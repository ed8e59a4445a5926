#!/usr/bin/env bash
# eimza — issue 19, finding 1, measured: 8 clients post wrong staff passwords for 10 s while
# /healthz is asked every 100 ms (bench/staff_login_flood.py), against `eimza serve` on a fresh
# SQLite database with one staff account, at the default settings (one client address, so the
# per-address limit stops the flood) and with the per-address limit lifted (as many addresses
# would: the hash gate alone must keep the other requests fast). The ratio printed is the
# probe's p99 under the flood against its p99 alone, measured in the same run.
#   BUILD=DIR (default build/)   BASELINE_EIMZA=PATH: also measure that binary (an older build)
#   CLIENTS=8  SECONDS=10
set -uo pipefail
cd "$(dirname "$0")/.."
BUILD=${BUILD:-build}
CLIENTS=${CLIENTS:-8}
SECONDS_=${SECONDS:-10}
W=$(mktemp -d /tmp/eimza-bench-flood.XXXXXX)
PID=''
cleanup() {
  [ -n "$PID" ] && kill "$PID" 2>/dev/null && wait "$PID" 2>/dev/null
  rm -rf "$W"
}
trap cleanup EXIT

run() { # LABEL BINARY [CONFIG LINES...]
  local label=$1 bin=$2
  shift 2
  rm -f "$W/db" "$W/db-wal" "$W/db-shm"
  "$bin" migrate --db "sqlite:$W/db" >/dev/null || { echo "$label: migrate failed"; return 1; }
  printf '%s\n' 'Doğru-Parola-2025' | "$bin" user add yonetici --role admin --db "sqlite:$W/db" \
    >/dev/null || { echo "$label: user add failed"; return 1; }
  { echo "access_log = false"; for l in "$@"; do echo "$l"; done; } >"$W/conf"
  "$bin" serve --config "$W/conf" --listen 127.0.0.1:0 --db "sqlite:$W/db" >"$W/out" 2>"$W/err" &
  PID=$!
  local url=''
  for _ in $(seq 100); do
    url=$(grep -o 'http://127\.0\.0\.1:[0-9]*' "$W/out" "$W/err" 2>/dev/null | head -1 | sed 's/^[^:]*://')
    [ -n "$url" ] && break
    sleep 0.1
  done
  [ -n "$url" ] || { echo "$label: the server did not start: $(tail -3 "$W/err")"; return 1; }
  local port=${url##*:}
  python3 bench/staff_login_flood.py 127.0.0.1 "$port" "$label" "$CLIENTS" "$SECONDS_"
  kill "$PID" 2>/dev/null
  wait "$PID" 2>/dev/null
  PID=''
}

if [ -n "${BASELINE_EIMZA:-}" ]; then
  run "baseline" "$BASELINE_EIMZA"
fi
run "defaults" "$BUILD/eimza"
run "no-address-limit" "$BUILD/eimza" "staff_login_max_per_addr = 100000"
