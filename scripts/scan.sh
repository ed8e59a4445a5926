#!/usr/bin/env bash
# eimza — `make scan`: hostile-input scanners against a development server, offline.
#
# Runs itself again inside a new network namespace that has only a loopback interface (no
# route out: wapiti 3.0.4 tries to download its databases at start, and nothing a scan does
# may leave the machine), then: a fresh SQLite database with holders of a demo PKI, staff
# accounts and sessions (bench/wrk/prepare.py); `eimza serve --dev` on 127.0.0.1 (the release
# build); and
#   - sqlmap (Debian's) at level 2, risk 1, batch mode, on the applicant login (a fresh
#     captcha and its answer fetched before every request with --eval), the staff login, the
#     staff queue's filters and the applicant's form save;
#   - wapiti (Debian's) crawling and attacking the portal three times: anonymous, as an
#     applicant (session cookie) and as an approver (staff cookie, both in wapiti's cookie
#     jar), logout excluded;
#   - the project's own raw HTTP cases (tests/scan/http_cases.py: request framing and the
#     headers of the server's own error pages; the cases of issue 19's finding 3 are reported
#     as known failures until it is fixed).
# Reports are kept in SCAN_OUT (default var/scan/); a summary is printed at the end and goes
# into docs/SECURITY.md by hand. Exit status: 1 when sqlmap finds an injection point, wapiti
# reports a vulnerability (anomalies and informational findings are listed, not failed), an
# HTTP case fails that is not a known failure, or the server dies; 0 otherwise.
#   BUILD=DIR (default build/)  SCAN_OUT=DIR  WAPITI_SECONDS (default 600 per crawl)
#   SQLMAP_LEVEL (default 2)  SCAN_ONLY="sqlmap wapiti http" (a subset)
#   SQLMAP_TARGETS="applicant-login staff-login queue-filters form-save" (a subset)
set -uo pipefail
cd "$(dirname "$0")/.." || exit 1
ROOT=$PWD
BUILD=${BUILD:-build}
SCAN_OUT=${SCAN_OUT:-var/scan}
WAPITI_SECONDS=${WAPITI_SECONDS:-600}
SQLMAP_LEVEL=${SQLMAP_LEVEL:-2}
SCAN_ONLY=${SCAN_ONLY:-sqlmap wapiti http}
SQLMAP_TARGETS=${SQLMAP_TARGETS:-applicant-login staff-login queue-filters form-save}
NAME=scan

for c in sqlmap wapiti ip unshare python3 curl jq; do
  command -v $c >/dev/null || { echo "$NAME: $c is needed (scripts/install-deps.sh)"; exit 1; }
done
[ -x "$BUILD/eimza" ] || { echo "$NAME: $BUILD/eimza not built (make build)"; exit 1; }

# ---- into a namespace with only loopback ---------------------------------------------------------
if [ "${EIMZA_SCAN_INSIDE:-}" != 1 ]; then
  mkdir -p "$SCAN_OUT"
  if [ "$(id -u)" -eq 0 ]; then
    exec unshare --net env EIMZA_SCAN_INSIDE=1 SCAN_OUT="$(cd "$SCAN_OUT" && pwd)" bash "$0" "$@"
  fi
  exec unshare --net --map-root-user env EIMZA_SCAN_INSIDE=1 SCAN_OUT="$(cd "$SCAN_OUT" && pwd)" \
    bash "$0" "$@"
fi
ip link set lo up || { echo "$NAME: cannot bring loopback up in the namespace"; exit 1; }
if ip route get 192.0.2.1 >/dev/null 2>&1; then
  echo "$NAME: the namespace has a route out; refusing to scan"
  exit 1
fi
echo "$NAME: in a network namespace with loopback only ($(ip -brief link | tr '\n' ' '))"

W=$(mktemp -d /tmp/eimza-scan.XXXXXX)
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
EIMZA=$ROOT/$BUILD/eimza
SESSIONS=6
source bench/wrk/setup.sh
# the per-person login lock-out raised as far as it goes, so the injected logins are judged on
# their answers, not all refused as locked out
wrk_setup "status_cache_ms = 0" "login_max_per_tckn = 1000"
HOSTPORT=${URL#http://}
for u in "osman.op operator" "yonetici admin"; do
  set -- $u
  printf '%s\n' "$WRK_PW" | "$EIMZA" user add "$1" --role "$2" --db "$DB" >/dev/null 2>"$W/err" ||
    die "user add $1: $(cat "$W/err")"
done
# three applications sent the paper way and received, so the staff pages have rows and details
OP=$(curl -s -H 'Content-Type: application/json' \
  -d "{\"username\":\"osman.op\",\"password\":\"$WRK_PW\"}" "$URL/api/v1/admin/login" | jq -r .token)
for i in 3 4 5; do
  t=$(sed -n "${i}p" "$W/tokens")
  A=(-H "Authorization: Bearer $t")
  n=$(curl -s "${A[@]}" "$URL/api/v1/application" | jq -r .number)
  curl -s -o /dev/null -X POST "${A[@]}" "$URL/api/v1/application/otp"
  code=$(curl -s "$URL/dev/outbox" | jq -r --arg n "$n" '[.[] | select(.body | contains($n)) | .body][-1]' |
    grep -oE 'kodunuz: [0-9]{6}' | grep -oE '[0-9]{6}')
  curl -s -o /dev/null -X POST "${A[@]}" -H 'Content-Type: application/json' -d "{\"code\":\"$code\"}" \
    "$URL/api/v1/application/otp/verify"
  curl -s -o /dev/null -X POST "${A[@]}" -H 'Content-Type: application/json' -d '{"method":"wet"}' \
    "$URL/api/v1/application/method"
  id=$(curl -s -H "Authorization: Bearer $OP" "$URL/api/v1/admin/applications?state=awaiting_original" |
    jq -r --arg n "$n" '.applications[] | select(.number == $n) | .id')
  curl -s -o /dev/null -X POST -H "Authorization: Bearer $OP" "$URL/api/v1/admin/applications/$id/paper-received"
done
submitted=$(curl -s -H "Authorization: Bearer $(cat "$W/staff_token")" \
  "$URL/api/v1/admin/applications?state=submitted" | jq '.total')
echo "$NAME: $submitted applications waiting for the approver"
TOKEN=$(sed -n 1p "$W/tokens")
TOKEN2=$(sed -n 2p "$W/tokens")
STAFF=$(cat "$W/staff_token")
IFS=$'\t' read -r LT LF LL LP LD <"$W/login"
rc=0
summary=()

# ---- sqlmap --------------------------------------------------------------------------------------------
# sqlmap_run NAME ARGS...: one target; its verdict into the summary
sqlmap_run() {
  local name=$1
  shift
  [[ " $SQLMAP_TARGETS " == *" $name "* ]] || return 0
  sqlmap --batch --level "$SQLMAP_LEVEL" --risk 1 --flush-session --disable-coloring \
    --output-dir "$W/sqlmap" --timeout 30 --retries 1 --ignore-code 401 "$@" >"$SCAN_OUT/sqlmap-$name.log" 2>&1
  local v
  if grep -q 'identified the following injection point' "$SCAN_OUT/sqlmap-$name.log"; then
    v="INJECTABLE (see sqlmap-$name.log)"
    rc=1
  elif grep -q 'do not appear to be injectable' "$SCAN_OUT/sqlmap-$name.log"; then
    v="not injectable ($(grep -c 'testing ' "$SCAN_OUT/sqlmap-$name.log") tests, $(grep -oE "parameter '[^']+'" "$SCAN_OUT/sqlmap-$name.log" | sort -u | wc -l) parameters)"
  else
    v="no verdict: $(grep -E '\[(CRITICAL|ERROR)\]' "$SCAN_OUT/sqlmap-$name.log" | tail -1)"
    rc=1
  fi
  summary+=("sqlmap $name: $v")
  echo "$NAME: sqlmap $name: $v"
}
if [[ " $SCAN_ONLY " == *" sqlmap "* ]]; then
  # the applicant login: a live captcha and its answer (the development route) for every request
  eval_code="import json,urllib.request as u;c=json.load(u.urlopen('$URL/api/v1/captcha'))['id'];captcha_id=c;captcha_answer=json.load(u.urlopen('$URL/dev/captcha/'+c))['answer']"
  login=$(jq -nc --arg t "$LT" --arg f "$LF" --arg l "$LL" --arg p "$LP" --arg d "$LD" \
    '{tckn:$t, first_name:$f, last_name:$l, birth_place:$p, birth_date:$d, captcha_id:"x", captcha_answer:"x"}')
  sqlmap_run applicant-login -u "$URL/api/v1/login" --method POST --data "$login" \
    -H 'Content-Type: application/json' --eval "$eval_code" --skip captcha_id,captcha_answer
  # (the password is never in SQL, and five wrong ones lock the account: only the name)
  sqlmap_run staff-login -u "$URL/api/v1/admin/login" --method POST \
    --data '{"username":"yuk.onay","password":"yanlis"}' -H 'Content-Type: application/json' \
    --skip password
  sqlmap_run queue-filters \
    -u "$URL/api/v1/admin/applications?state=submitted&institution=Batman&district=Merkez&province=72&min_waiting_days=0&late=false&limit=10&offset=0" \
    -H "Authorization: Bearer $STAFF"
  sqlmap_run form-save -u "$URL/api/v1/application" --method PUT \
    --data '{"address":"Okul Sokağı 1","district":"Merkez","postal_code":"72100","email":"a@meb.gov.tr","home_phone":"4882120000"}' \
    -H 'Content-Type: application/json' -H "Authorization: Bearer $TOKEN2"
fi

# ---- wapiti -----------------------------------------------------------------------------------------------
MODULES=blindsql,cookieflags,csp,exec,file,http_headers,permanentxss,redirect,sql,xss,crlf,csrf,methods,backup,htaccess,shellshock
wapiti_run() { # NAME START-PATH [COOKIE-NAME COOKIE-VALUE]
  local name=$1 start=$2 cname=${3:-} cvalue=${4:-}
  local args=(-u "$URL/" --scope folder -s "$URL$start" -m "$MODULES" --flush-session
    -f json -o "$SCAN_OUT/wapiti-$name.json" --max-scan-time "$WAPITI_SECONDS" -S normal
    --store-session "$W/wapiti" --store-config "$W/wapiti-config" --no-bugreport -v 1
    -x "$URL/cikis" -x "$URL/yonetim/cikis" -x "$URL/api/v1/logout" -x "$URL/api/v1/admin/logout")
  # (through tests/scan/wapiti.py: Debian's wapiti 3.0.4 aborts on any -x under Python 3.11;
  # whether the session survived the crawl is checked below)
  # the session cookie goes into wapiti's cookie jar (its JSON file), not a fixed Cookie header:
  # a fixed header replaces the jar, so the cookies the server sets (the login forms' CSRF
  # cookie) would never be sent back, and every login post would be refused alike (403) —
  # which wapiti's csrf module reads as "token not checked" (docs/SECURITY.md, "Results")
  if [ -n "$cname" ]; then
    jq -n --arg h "${HOSTPORT%:*}" --arg n "$cname" --arg v "$cvalue" \
      '{($h): {"/": {($n): {value: $v, expires: null, secure: false, port: null, version: 0}}}}' \
      >"$W/cookies-$name.json"
    args+=(-c "$W/cookies-$name.json")
  fi
  rm -f "$SCAN_OUT/wapiti-$name.json"
  # wapiti's own interpreter (its modules are installed for Debian's python3)
  HOME=$W "$(sed -n '1s/^#!//p' "$(command -v wapiti)")" tests/scan/wapiti.py "${args[@]}" \
    >"$SCAN_OUT/wapiti-$name.log" 2>&1
  local f=$SCAN_OUT/wapiti-$name.json
  if [ ! -s "$f" ]; then
    summary+=("wapiti $name: no report: $(tail -2 "$SCAN_OUT/wapiti-$name.log" | tr '\n' ' ')")
    rc=1
    return
  fi
  local vulns anomalies infos urls
  vulns=$(jq '[.vulnerabilities[] | length] | add' "$f")
  anomalies=$(jq '[.anomalies[] | length] | add' "$f")
  infos=$(jq '[.additionals[]? | length] | add // 0' "$f")
  urls=$(jq '.infos.crawled_pages_nbr // (.infos | length)' "$f" 2>/dev/null)
  local detail
  detail=$(jq -r '[.vulnerabilities, .anomalies, (.additionals // {})] | add | to_entries[] | select(.value | length > 0) | "\(.key) \(.value | length)"' "$f" | tr '\n' ';')
  local alive=''
  case $name in
    applicant) alive=$(curl -s -o /dev/null -w '%{http_code}' -H "Authorization: Bearer $TOKEN" "$URL/api/v1/application/status") ;;
    staff) alive=$(curl -s -o /dev/null -w '%{http_code}' -H "Authorization: Bearer $STAFF" "$URL/api/v1/admin/applications?limit=1") ;;
  esac
  [ -n "$alive" ] && alive="; the session $([ "$alive" = 200 ] && echo survived || echo "was ended ($alive)") the crawl"
  summary+=("wapiti $name: $vulns vulnerabilities, $anomalies anomalies, $infos informational${detail:+ ($detail)}$alive")
  echo "$NAME: ${summary[-1]}"
  [ "$vulns" = 0 ] || rc=1
}
if [[ " $SCAN_ONLY " == *" wapiti "* ]]; then
  wapiti_run anonymous /
  wapiti_run applicant /basvuru eimza_session "$TOKEN"
  wapiti_run staff /yonetim eimza_staff "$STAFF"
fi

# ---- the project's own HTTP cases ------------------------------------------------------------------------
if [[ " $SCAN_ONLY " == *" http "* ]]; then
  python3 tests/scan/http_cases.py "${HOSTPORT%:*}" "${HOSTPORT##*:}" >"$SCAN_OUT/http-cases.log" 2>&1 ||
    rc=1
  cat "$SCAN_OUT/http-cases.log"
  summary+=("$(tail -1 "$SCAN_OUT/http-cases.log")")
fi

kill -0 "$EPID" 2>/dev/null || { summary+=("the server died during the scan"); rc=1; }
grep -E 'AddressSanitizer|runtime error|level=error' "$W/eimza.err" >"$SCAN_OUT/server-errors.log"
summary+=("server log: $(wc -l <"$SCAN_OUT/server-errors.log") error lines (server-errors.log)")
wrk_stop || { summary+=("the server did not stop cleanly"); rc=1; }
echo "$NAME: summary ($(date -u +%F), eimza $("$EIMZA" --version 2>/dev/null | head -1), sqlmap $(sqlmap --version 2>/dev/null | head -1), wapiti 3.0.4):"
printf '  %s\n' "${summary[@]}" | tee "$SCAN_OUT/summary.txt"
exit $rc
