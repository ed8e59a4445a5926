#!/usr/bin/env bash
# eimza — benchmark: the main paths under wrk (bench/wrk/*.lua) against one `eimza serve --dev`
# on SQLite with SESSIONS applicant sessions: login (captcha, answer, login), form save,
# SMS code, status (uncached: status_cache_ms = 0), signature (a nearly full CAdES check
# refused as tckn_mismatch) and the staff queue. Each path's rate is printed as a ratio against
# GET /healthz (a database ping) measured in the same run, with its latency percentiles and
# its answers by status; a path that answers anything but what it should is flagged.
# Figures, not a test: nothing fails because the machine is slow.
#   BUILD=DIR (default build/)  DURATION=SECONDS per path (default 10)
#   CONNECTIONS=N (default 16)  SESSIONS=N (default 300)  CODE_SECONDS=N (default 2: the
#   code path's run; SESSIONS x 100 codes an hour is all the server sends)
# Needs the Debian packages wrk, openssl, python3.
set -uo pipefail
cd "$(dirname "$0")/.." || exit 1
BUILD=${BUILD:-build}
DURATION=${DURATION:-10}
CONNECTIONS=${CONNECTIONS:-16}
SESSIONS=${SESSIONS:-300}
CODE_SECONDS=${CODE_SECONDS:-2} # SESSIONS x 100 codes an hour at most: keep it short
NAME=load
EIMZA=$BUILD/eimza
if [ ! -x "$EIMZA" ] || ! command -v wrk >/dev/null || ! command -v python3 >/dev/null; then
  echo "$NAME: skipped (needs $EIMZA — run 'make build' — and the packages wrk, python3)"
  exit 0
fi
W=$(mktemp -d /tmp/eimza-bench-load.XXXXXX)
EPID=''
# shellcheck disable=SC2317 # called by the EXIT trap
cleanup() {
  [ -n "$EPID" ] && kill -TERM "$EPID" 2>/dev/null && wait "$EPID" 2>/dev/null
  rm -rf "$W"
}
trap cleanup EXIT
trap 'exit 130' INT TERM
die() {
  echo "$NAME: $*"
  exit 1
}
source bench/wrk/setup.sh
wrk_setup "status_cache_ms = 0"
THREADS=$(($(nproc) < 2 ? 1 : 2))

# run SCRIPT [CONNECTIONS THREADS]: wrk's result line for the script
run() {
  local c=${2:-$CONNECTIONS} t=${3:-$THREADS}
  wrk -t"$t" -c"$c" -d"${DURATION}s" --timeout 10s -s "bench/wrk/$1.lua" "$URL" >"$W/wrk.out" 2>&1
  grep '^result ' "$W/wrk.out" | head -1 || echo "result $1 failed: $(tail -3 "$W/wrk.out")"
}
field() { sed -n "s/.* $1=\([0-9.]*\).*/\1/p" <<<"$2"; }

base=$(run healthz)
brps=$(field rps "$base")
echo "$NAME: $base"
# the login needs one connection per thread (three requests in order per login)
for spec in "login 4 4 200" "form - - 200" "code - - 200" "status - - 200" \
  "signature - - 422" "queue - - 200"; do
  set -- $spec
  c=$2 t=$3
  [ "$c" = - ] && c=$CONNECTIONS t=$THREADS
  if [ "$1" = code ]; then # each session may get 100 codes an hour: a short run
    r=$(DURATION=$CODE_SECONDS run "$1" "$c" "$t")
  else
    r=$(run "$1" "$c" "$t")
  fi
  rps=$(field rps "$r")
  ratio=$(awk -v a="${rps:-0}" -v b="${brps:-1}" 'BEGIN { printf "%.3f", a / b }')
  others=$(grep -o 'status_[0-9]*=[0-9]*' <<<"$r" | grep -v "^status_$4=" | tr '\n' ' ')
  note=''
  if [ "$1" = code ]; then # the rate of codes sent (200); 429s only once the budget is spent
    rps=$(awk -v n="$(field status_200 "$r")" -v d="$CODE_SECONDS" 'BEGIN { printf "%.1f", n / d }')
    ratio=$(awk -v a="$rps" -v b="${brps:-1}" 'BEGIN { printf "%.3f", a / b }')
    grep -q 'status_429=' <<<"$r" && note=" (the sessions' code budget ran out: a lower bound)"
  elif [ -n "$others" ]; then
    note=" (UNEXPECTED: $others)"
  fi
  [ "$1" = login ] && rps=$(awk -v a="$rps" 'BEGIN { printf "%.1f", a / 3 }') &&
    ratio=$(awk -v a="$rps" -v b="${brps:-1}" 'BEGIN { printf "%.3f", a / b }')
  echo "$NAME: $1: ${rps} /s, ratio to healthz $ratio; $r$note"
done
wrk_stop || echo "$NAME: the server did not stop cleanly"
exit 0
