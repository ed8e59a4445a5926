# eimza — helpers for the tests that drive the applicant portal over HTTP (sourced after
# tests/lib.sh): a server in the background, curl calls with the answer in $T/b, logging in
# with the development captcha route, and walking an application to the signing step.
# They use $DB (the database URL) and ${EIMZA_TEST_BACKEND}.
backend=${EIMZA_TEST_BACKEND:-sqlite}

# sql QUERY: the first column of the answer, for looking into the database.
sql() {
  if [ "$backend" = postgresql ]; then psql -X -At "$DB" -c "$1"; else sqlite3 -cmd ".timeout 10000" "${DB#sqlite:}" "$1"; fi
}

# start_server [ENV=VALUE...] -- ARGS: the server in the background; sets PID, URL, SERR.
SERRS=()
start_server() {
  local envs=()
  while [ "$1" != -- ]; do envs+=("$1"); shift; done
  shift
  local sout
  sout=$(mktemp -p "$T" serve.XXXXXX) || return 1 # a new file: never an earlier server's lines
  SERR=$sout.err
  SERRS+=("$SERR")
  env "${envs[@]}" "$EIMZA" serve "$@" >"$sout" 2>"$SERR" &
  PID=$!
  URL=
  for _ in $(seq 1 200); do
    URL=$(sed -n 's/^eimza: serving on \(http[^ ]*\) .*/\1/p' "$sout")
    [ -n "$URL" ] && return 0
    kill -0 "$PID" 2>/dev/null || return 1
    sleep 0.05
  done
  return 1
}
# stop_server: SIGTERM, and the exit status must be 0 (under ASan a leak would change it).
stop_server() {
  kill -TERM "$PID" 2>/dev/null
  wait "$PID" 2>/dev/null
  local st=$?
  expect_eq 0 "$st" "server stops cleanly"
  [ "$st" -eq 0 ] || tail -n 30 "$SERR"
}
PID=""
trap '[ -n "$PID" ] && kill -TERM "$PID" 2>/dev/null; cleanup' EXIT

# call METHOD PATH [CURL-ARGS...]: body in $T/b, headers in $T/h, status in $CODE.
call() {
  local m=$1 p=$2
  shift 2
  CODE=$(curl -s -o "$T/b" -D "$T/h" -w '%{http_code}' -X "$m" "$@" "$URL$p")
}
# json METHOD PATH JSON [CURL-ARGS...]: a JSON request.
json() {
  local m=$1 p=$2 body=$3
  shift 3
  call "$m" "$p" -H 'Content-Type: application/json' --data-binary "$body" "$@"
}
jb() { jq -r "$1" "$T/b"; }
# attr_of NAME: the value of the first attribute NAME in the page in $T/b, its entities decoded
# ("" when there is none).
attr_of() {
  python3 -c 'import html,re,sys
m = re.search(r"\s" + re.escape(sys.argv[1]) + r"=\"([^\"]*)\"", open(sys.argv[2], encoding="utf-8").read())
print(html.unescape(m.group(1)) if m else "")' "$1" "$T/b"
}
expect_code() { expect_eq "$1" "$CODE" "$2: HTTP $1"; }
expect_error() { # STATUS CODE NAME
  expect_eq "$1 $2" "$CODE $(jb .error.code)" "$3: $1 $2"
}

# new_captcha: sets CID and CANS (the answer, from the development route).
new_captcha() {
  call GET /api/v1/captcha
  CID=$(jb .id)
  call GET "/dev/captcha/$CID"
  CANS=$(jb .answer)
}
# login_body TCKN FIRST LAST PLACE DATE [CAPTCHA-ANSWER]: sets BODY to a login request with a
# new captcha (and CID, CANS).
login_body() {
  new_captcha
  BODY=$(jq -nc --arg t "$1" --arg f "$2" --arg l "$3" --arg p "$4" --arg d "$5" --arg i "$CID" \
    --arg a "${6:-$CANS}" \
    '{tckn:$t, first_name:$f, last_name:$l, birth_place:$p, birth_date:$d, captcha_id:$i, captcha_answer:$a}')
}
# login TCKN FIRST LAST PLACE DATE: logs in; sets TOKEN and CSRF.
login() {
  login_body "$@"
  json POST /api/v1/login "$BODY"
  TOKEN=$(jb .token)
  CSRF=$(jb .csrf_token)
}

# to_signing TCKN FIRST LAST PLACE DATE FORM-JSON: logs in, saves the form, asks for the SMS
# code and enters it (from the development outbox): the application is then code_verified.
# Sets TOKEN, CSRF, B (the curl arguments of the Bearer token) and NUMBER; returns 1 when a
# step fails (with the step named by fail).
to_signing() {
  local form=$6 code
  login "$1" "$2" "$3" "$4" "$5"
  [ -n "$TOKEN" ] && [ "$TOKEN" != null ] || { fail "to_signing: login" "$CODE $(head -c 300 "$T/b")"; return 1; }
  B=(-H "Authorization: Bearer $TOKEN")
  call GET /api/v1/application "${B[@]}"
  NUMBER=$(jb .number)
  json PUT /api/v1/application "$form" "${B[@]}"
  [ "$CODE" = 200 ] || { fail "to_signing: form" "$CODE $(head -c 600 "$T/b")"; return 1; }
  call POST /api/v1/application/otp "${B[@]}"
  [ "$CODE" = 200 ] || { fail "to_signing: code sent" "$CODE $(head -c 300 "$T/b")"; return 1; }
  code=$(curl -s "$URL/dev/outbox" | jq -r '.[-1].body' | grep -oE 'kodunuz: [0-9]{6}' | grep -oE '[0-9]{6}' | head -1)
  json POST /api/v1/application/otp/verify "{\"code\":\"$code\"}" "${B[@]}"
  [ "$CODE" = 200 ] || { fail "to_signing: code verified" "$CODE $(head -c 300 "$T/b")"; return 1; }
  return 0
}
