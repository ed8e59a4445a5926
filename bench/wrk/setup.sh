# eimza — sourced by bench/load.sh and tests/soak/soak.sh: a served portal with sessions for
# the wrk scripts of this folder. Needs W (a work directory), EIMZA (the binary), NAME (for
# messages) and a die function; SESSIONS (default 200) applicants are logged in.
#   wrk_setup [CONFIG-LINE...]
# makes the people (tests/crash/kill_driver.py's generator: holders in Batman, each with a
# certificate of a demo PKI), the database, an approver account, starts `eimza serve --dev`
# (one worker per CPU, no access log, the settings given added) and prepares the sessions
# (bench/wrk/prepare.py). Sets URL and EPID, and exports EIMZA_WRK_DIR and EIMZA_WRK_LIB for
# the scripts. wrk_stop stops the server (SIGTERM) and returns its exit status.
#   WRK_DB=URL               the database (default: a new SQLite file in W; an empty
#                            PostgreSQL database is migrated the same way)
#   WRK_SERVER_THREADS=N     the server's worker threads (default: one per CPU)
SESSIONS=${SESSIONS:-200}
WRK_STAFF=yuk.onay
WRK_PW='Yük-Testi-Parola-1'

wrk_setup() {
  local src
  src=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
  python3 "$src/tests/crash/kill_driver.py" people $((SESSIONS + 10)) "$W" ||
    die "making the people failed"
  EIMZA_PKI_PORT=9 bash "$src/scripts/demo-pki.sh" "$W/pki" "$W/spec.tsv" >"$W/pki.out" 2>&1 ||
    die "demo PKI: $(tail -3 "$W/pki.out")"
  mkdir -p "$W/trust"
  cp "$W/pki/root/root.pem" "$W/pki/nes/nes.pem" "$W/trust/"
  DB=${WRK_DB:-sqlite:$W/eimza.db}
  "$EIMZA" migrate --db "$DB" >/dev/null 2>"$W/err" || die "migrate: $(head -c 300 "$W/err")"
  "$EIMZA" import personnel "$W/p.csv" --db "$DB" >/dev/null 2>"$W/err" ||
    die "import personnel: $(head -c 300 "$W/err")"
  "$EIMZA" import certificates "$W/pki/holders.pem" --db "$DB" >/dev/null 2>"$W/err" ||
    die "import certificates: $(head -c 300 "$W/err")"
  printf '%s\n' "$WRK_PW" | "$EIMZA" user add "$WRK_STAFF" --role approver --province 72 \
    --db "$DB" >/dev/null 2>"$W/err" || die "user add: $(head -c 300 "$W/err")"
  {
    echo "dev = true"
    echo "listen = 127.0.0.1:0"
    echo "db = $DB"
    echo "trust_dir = $W/trust"
    echo "access_log = false"
    echo "threads = ${WRK_SERVER_THREADS:-$(nproc)}"
    echo "accept_unknown_revocation = true"
    echo "revocation_timeout_ms = 300"
    echo "otp_cooldown = 0"
    echo "otp_max_per_hour = 100"
    echo "login_max_per_addr = 100000"
    echo "captcha_max_per_addr = 100000000" # the soak asks for captchas at full speed
    echo "session_idle = 86400"
    echo "session_lifetime = 86400"
    for l in "$@"; do echo "$l"; done
  } >"$W/eimza.conf"
  : >"$W/eimza.out"
  "$EIMZA" serve --config "$W/eimza.conf" >"$W/eimza.out" 2>"$W/eimza.err" &
  EPID=$!
  URL=''
  for _ in $(seq 1 200); do
    URL=$(sed -n 's/^eimza: serving on \(http[^ ]*\) .*/\1/p' "$W/eimza.out")
    [ -n "$URL" ] && break
    kill -0 "$EPID" 2>/dev/null || break
    sleep 0.05
  done
  [ -n "$URL" ] || die "eimza serve did not start: $(head -c 300 "$W/eimza.err")"
  python3 "$src/bench/wrk/prepare.py" "$URL" "$W/people.json" "$SESSIONS" "$W" "$W/pki" \
    "$WRK_STAFF" "$WRK_PW" 2>"$W/prepare.err" || die "preparing sessions: $(tail -3 "$W/prepare.err")"
  export EIMZA_WRK_DIR=$W EIMZA_WRK_LIB=$src/bench/wrk
}

wrk_stop() {
  [ -n "${EPID:-}" ] || return 0
  kill -TERM "$EPID" 2>/dev/null
  wait "$EPID" 2>/dev/null
  local st=$?
  EPID=''
  return $st
}
