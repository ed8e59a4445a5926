#!/usr/bin/env bash
# eimza — the soak (`make soak`): one `eimza serve --dev` (the release build) under a steady
# mix of applicant and staff requests (bench/wrk/mix.lua over SESSIONS sessions, CONNECTIONS
# keep-alive connections) for SOAK_SECONDS, its resident memory (VmRSS), open descriptors and
# threads sampled every SOAK_SAMPLE seconds into soak.csv. After a warm-up (the first fifth),
# nothing may grow: the run fails when the memory at the end is more than 10% (and 4 MiB)
# above the memory at the end of the warm-up, when the memory's trend over the rest of the run
# (least squares) would add more than 10% an hour, or when descriptors or threads grow at
# all beyond a small slack. The server must then still answer and stop cleanly; every answer
# must be what the path gives (2xx, or 429 once a session's hourly SMS code budget is spent),
# and no request may time out or fail.
#   BUILD=DIR (default build/)  SOAK_SECONDS (default 600)  SOAK_SAMPLE (default 5)
#   CONNECTIONS (default 32)  SESSIONS (default 200)  SOAK_OUT=FILE (keep the samples)
# Then the overload probes (tests/soak/overload.py: what a client gets when every connection or
# every worker is taken): a client past the connection limit must be answered 503 at once;
# the workers' figures are reported. Prints the figures docs/PERFORMANCE.md records.
set -uo pipefail
cd "$(dirname "$0")/../.." || exit 1
BUILD=${BUILD:-build}
SOAK_SECONDS=${SOAK_SECONDS:-600}
SOAK_SAMPLE=${SOAK_SAMPLE:-5}
CONNECTIONS=${CONNECTIONS:-32}
NAME=soak
EIMZA=$BUILD/eimza
for c in wrk python3 awk; do
  command -v $c >/dev/null || { echo "$NAME: FAIL: $c is needed (scripts/deps.txt)"; exit 1; }
done
[ -x "$EIMZA" ] || { echo "$NAME: FAIL: $EIMZA not built (make build)"; exit 1; }
W=$(mktemp -d /tmp/eimza-soak.XXXXXX)
EPID='' WPID=''
# shellcheck disable=SC2317 # called by the EXIT trap
cleanup() {
  [ -n "$WPID" ] && kill -TERM "$WPID" 2>/dev/null && wait "$WPID" 2>/dev/null
  [ -n "$EPID" ] && kill -TERM "$EPID" 2>/dev/null && wait "$EPID" 2>/dev/null
  rm -rf "$W"
}
trap cleanup EXIT
trap 'exit 130' INT TERM
die() {
  echo "$NAME: FAIL: $*"
  exit 1
}
source bench/wrk/setup.sh
wrk_setup
THREADS=$(($(nproc) < 2 ? 1 : 2))

sample() { # t rss_kib fds threads db_kib
  local rss fds thr db
  rss=$(awk '/^VmRSS:/ { print $2 }' "/proc/$EPID/status" 2>/dev/null)
  thr=$(awk '/^Threads:/ { print $2 }' "/proc/$EPID/status" 2>/dev/null)
  fds=$(find "/proc/$EPID/fd" -mindepth 1 -maxdepth 1 2>/dev/null | wc -l)
  db=$(du -sk "$W"/eimza.db* 2>/dev/null | awk '{ s += $1 } END { print s + 0 }')
  echo "$1,${rss:-0},$fds,${thr:-0},$db"
}
echo "t_s,rss_kib,fds,threads,db_kib" >"$W/soak.csv"
sample 0 >>"$W/soak.csv"
wrk -t"$THREADS" -c"$CONNECTIONS" -d"${SOAK_SECONDS}s" --timeout 10s -s bench/wrk/mix.lua \
  "$URL" >"$W/wrk.out" 2>&1 &
WPID=$!
t0=$(date +%s)
while kill -0 "$WPID" 2>/dev/null; do
  sleep "$SOAK_SAMPLE"
  kill -0 "$EPID" 2>/dev/null || die "the server died during the soak: $(tail -c 500 "$W/eimza.err")"
  sample $(($(date +%s) - t0)) >>"$W/soak.csv"
done
wait "$WPID"
WPID=''
[ -n "${SOAK_OUT:-}" ] && cp "$W/soak.csv" "$SOAK_OUT"
result=$(grep '^result ' "$W/wrk.out")
[ -n "$result" ] || die "wrk gave no result: $(tail -5 "$W/wrk.out")"
echo "$NAME: $result"

rc=0
verdict=$(awk -F, -v warm="$((SOAK_SECONDS / 5))" '
  BEGIN { n = 0 }
  NR == 1 { next }
  { t[n] = $1; r[n] = $2; f[n] = $3; h[n] = $4; d[n] = $5; n++ }
  END {
    w = 0
    while (w < n - 1 && t[w] < warm) w++
    # after the warm-up: least squares of memory over time
    sx = sy = sxx = sxy = 0; m = 0
    for (i = w; i < n; i++) { sx += t[i]; sy += r[i]; sxx += t[i] * t[i]; sxy += t[i] * r[i]; m++ }
    slope = (m > 1 && m * sxx - sx * sx) ? (m * sxy - sx * sy) / (m * sxx - sx * sx) : 0
    fmax = hmax = 0
    for (i = w; i < n; i++) { if (f[i] > fmax) fmax = f[i]; if (h[i] > hmax) hmax = h[i] }
    end_r = r[n - 1]
    grow = end_r - r[w]
    hour = slope * 3600
    printf "samples=%d warmup_s=%d rss_start_kib=%d rss_warm_kib=%d rss_end_kib=%d rss_peak_kib=", n, t[w], r[0], r[w], end_r
    p = 0; for (i = 0; i < n; i++) if (r[i] > p) p = r[i]
    printf "%d growth_after_warmup_kib=%d trend_kib_per_hour=%.0f fds_warm=%d fds_max=%d threads_warm=%d threads_max=%d db_kib_start=%d db_kib_end=%d", p, grow, hour, f[w], fmax, h[w], hmax, d[0], d[n - 1]
    bad = ""
    if (grow > 4096 && grow > r[w] / 10) bad = bad " memory_grew"
    if (hour > 4096 && hour > r[w] / 10) bad = bad " memory_trend"
    if (fmax > f[w] + 4) bad = bad " descriptors_grew"
    if (hmax > h[w]) bad = bad " threads_grew"
    printf " verdict=%s\n", bad == "" ? "steady" : bad
  }' "$W/soak.csv")
echo "$NAME: $verdict"
case $verdict in *verdict=steady*) ;; *) echo "$NAME: FAIL: growth under steady load"; rc=1 ;; esac

# every answer as the path gives it: 2xx, and 429 only from the SMS code budget
others=$(grep -o 'status_[0-9]*=[0-9]*' <<<"$result" | grep -v -E '^status_(200|429)=' | tr '\n' ' ')
[ -z "$others" ] || { echo "$NAME: FAIL: unexpected answers: $others"; rc=1; }
grep -q 'errors=0 timeouts=0' <<<"$result" || { echo "$NAME: FAIL: failed or timed-out requests"; rc=1; }
code=$(curl -s -o /dev/null -w '%{http_code}' "$URL/healthz")
[ "$code" = 200 ] || { echo "$NAME: FAIL: /healthz answers $code after the soak"; rc=1; }
wrk_stop || { echo "$NAME: FAIL: the server did not stop cleanly"; rc=1; }
[ $rc = 0 ] && echo "$NAME: ok - ${SOAK_SECONDS}s of steady load, nothing grew"

# overload: the same server with a small connection limit, probed (tests/soak/overload.py):
# a client past the connection limit must get a quick 503 (a failure fails the soak); the
# workers probe is reported (issue 19, item 11)
echo "max_connections = 64" >>"$W/eimza.conf"
: >"$W/eimza.out"
"$EIMZA" serve --config "$W/eimza.conf" >"$W/eimza.out" 2>>"$W/eimza.err" &
EPID=$!
URL=''
for _ in $(seq 1 200); do
  URL=$(sed -n 's/^eimza: serving on \(http[^ ]*\) .*/\1/p' "$W/eimza.out")
  [ -n "$URL" ] && break
  sleep 0.05
done
if [ -n "$URL" ]; then
  python3 tests/soak/overload.py "$URL" "$W/tokens" 64 | sed "s/^/$NAME: /"
  [ "${PIPESTATUS[0]}" = 0 ] || rc=1
else
  echo "$NAME: the overload probe's server did not start"
fi
wrk_stop || true
exit $rc
