#!/usr/bin/env bash
# eimza — the outbox's SMS messages delivered by `eimza serve` (without --dev) to an HTTP SMS
# gateway, here tests/mocks/sms-gateway.mjs on loopback: the body rendered from the template
# (JSON escapes; form encoding with a bearer token), basic authentication, a 500 then a 200
# retried and sent once, a 400 failed and never retried, a timeout and a dropped connection
# retried, the limit of tries, two servers draining one database sending each message once,
# nothing sent without a gateway URL nor in --dev, bad gateway settings refused at start-up,
# and a server log that never shows the number, the text (it holds the code) or a secret.
# Messages are queued by inserting outbox rows with the database's own client. Both backends.
source "$EIMZA_SOURCE_DIR/tests/lib.sh"
command -v jq >/dev/null || { echo "FAIL: jq is needed (scripts/deps.txt)"; exit 1; }
command -v node >/dev/null || { echo "FAIL: node is needed (scripts/deps.txt)"; exit 1; }
backend=${EIMZA_TEST_BACKEND:-sqlite}

PHONE=5321234567
DB=$(new_db) || exit 1
expect_status 0 "migrate" "$EIMZA" migrate --db "$DB"

sql() {
  if [ "$backend" = postgresql ]; then psql -X -At "$DB" -c "$1"
  else sqlite3 -cmd ".timeout 5000" "${DB#sqlite:}" "$1"; fi
}

# queue KEY TEXT [PHONE]: a pending SMS, due now, identified by its dedupe key.
queue() {
  local now; now=$(date +%s)
  sql "INSERT INTO outbox (dedupe_key, channel, recipient, subject, body, status, attempts,
       next_try_at, created_at) VALUES ('$1', 'sms', '${3:-$PHONE}', '', '$2', 'pending', 0,
       $now, $now)" >/dev/null
}
field() { sql "SELECT $2 FROM outbox WHERE dedupe_key = '$1'"; }
# wait_status KEY STATUS SECONDS: polls until the message has STATUS.
wait_status() {
  local end=$(( $(date +%s) + $3 ))
  while [ "$(date +%s)" -le "$end" ]; do
    [ "$(field "$1" status)" = "$2" ] && return 0
    sleep 0.2
  done
  return 1
}

# ---- the mock gateway ---------------------------------------------------------------------
GWLOG=$T/gateway.jsonl
start_sms_gateway "$GWLOG"
[ -n "$MPORT" ] || { fail "mock gateway starts" "$(cat "$T/gw.err")"; finish; }
modes() { curl -s -X PUT --data-binary "$1" "http://127.0.0.1:$MPORT/_mock/modes"; }
# hits MARKER: how many requests the gateway got whose body holds MARKER.
hits() { jq -c --arg m "$1" 'select(.body | contains($m))' "$GWLOG" | wc -l | tr -d ' '; }

PIDS=()
SERRS=()
# start_server ARGS...: `eimza serve ARGS` in the background, ready; sets PID, SERR.
start_server() {
  local sout
  sout=$(mktemp -p "$T" serve.XXXXXX) || return 1 # new: never an earlier server's lines
  SERR=$sout.err
  SERRS+=("$SERR")
  "$EIMZA" serve "$@" >"$sout" 2>"$SERR" &
  PID=$!
  PIDS+=("$PID")
  for _ in $(seq 1 200); do
    grep -q '^eimza: serving on ' "$sout" && return 0
    kill -0 "$PID" 2>/dev/null || return 1
    sleep 0.05
  done
  return 1
}
# stop_server PID: SIGTERM; the exit status must be 0 (ASan's leak check would change it).
stop_server() {
  kill -TERM "$1" 2>/dev/null
  wait "$1" 2>/dev/null
  local st=$?
  expect_eq 0 "$st" "server stops cleanly"
}
trap 'for p in "${PIDS[@]}"; do kill -TERM "$p" 2>/dev/null; done; kill -TERM "$MPID" 2>/dev/null; cleanup' EXIT

CONF=$T/gateway.conf
cat >"$CONF" <<EOF
# the mock gateway, JSON with basic authentication; quick retries for the test
sms_gateway_url = http://127.0.0.1:$MPORT/api/send
sms_gateway_user = eimza
sms_gateway_password = gizli-parola-42
sms_gateway_body = {"to":"{to}","text":"{text}","sender":"MEB"}
sms_gateway_content_type = application/json; charset=utf-8
sms_gateway_timeout = 1
outbox_interval = 1
outbox_max_tries = 3
outbox_retry_base = 1
outbox_retry_max = 2
EOF

# ---- bad settings are refused before anything runs ----------------------------------------
printf 'sms_gateway_url = ftp://127.0.0.1/x\n' >"$T/bad1.conf"
expect_status 1 "a non-HTTP gateway URL is a usage error" \
  "$EIMZA" serve --config "$T/bad1.conf" --listen 127.0.0.1:0 --db "$DB"
expect_grep 'http://' "$T/err" "the refusal says what is wanted"
printf 'sms_gateway_url = http://127.0.0.1:1/\nsms_gateway_user = a\nsms_gateway_token = t\n' \
  >"$T/bad2.conf"
expect_status 1 "a user and a token at once is a usage error" \
  "$EIMZA" serve --config "$T/bad2.conf" --listen 127.0.0.1:0 --db "$DB"
printf 'sms_gateway_url = http://127.0.0.1:1/\nsms_gateway_body = {"text":"{text}"}\n' \
  >"$T/bad3.conf"
expect_status 1 "a template without {to} is a usage error" \
  "$EIMZA" serve --config "$T/bad3.conf" --listen 127.0.0.1:0 --db "$DB"
printf 'outbox_max_tries = 0\n' >"$T/bad4.conf"
expect_status 1 "outbox_max_tries 0 is out of bounds" \
  "$EIMZA" serve --config "$T/bad4.conf" --listen 127.0.0.1:0 --db "$DB"

# ---- delivery ------------------------------------------------------------------------------
start_server --config "$CONF" --listen 127.0.0.1:0 --db "$DB" || { fail "server starts" "$(cat "$SERR")"; finish; }
S1=$PID
expect_grep 'event=outbox.start' "$SERR" "the sender thread starts"

TEXT1='e-imza SMS doğrulama kodunuz: 482913. "Paylaşmayınız" \ ok'
queue k1 "$TEXT1"
if wait_status k1 sent 10; then ok "a queued SMS is sent"; else fail "a queued SMS is sent" "$(field k1 "status || ' ' || coalesce(last_error, '')")"; fi
expect_eq 1 "$(field k1 attempts)" "sent at the first attempt"
REQ=$(jq -c 'select(.body | contains("482913"))' "$GWLOG")
expect_eq 1 "$(hits 482913)" "the gateway got it once"
expect_eq POST "$(jq -r .method <<<"$REQ")" "POST"
expect_eq /api/send "$(jq -r .url <<<"$REQ")" "to the configured path"
expect_eq "Basic $(printf 'eimza:gizli-parola-42' | base64)" "$(jq -r .headers.authorization <<<"$REQ")" \
  "basic authentication"
expect_eq "application/json; charset=utf-8" "$(jq -r '.headers["content-type"]' <<<"$REQ")" \
  "the configured content type"
BODY=$(jq -r .body <<<"$REQ")
expect_eq "+90$PHONE" "$(jq -r .to <<<"$BODY")" "{to} is the international number"
expect_eq "$TEXT1" "$(jq -r .text <<<"$BODY")" "{text} arrives intact through JSON escaping"
expect_eq MEB "$(jq -r .sender <<<"$BODY")" "the rest of the template as written"

modes '500,200'
queue k2 'ikinci mesaj 500-then-200'
if wait_status k2 sent 10; then ok "a 500 is retried, then sent"; else fail "a 500 is retried, then sent" "$(field k2 status)"; fi
expect_eq 2 "$(field k2 attempts)" "two attempts after a 500"
expect_eq 2 "$(hits 500-then-200)" "the gateway saw the message twice, accepted once"
expect_grep 'event=outbox.retry .*reason=http_500' "$SERR" "the retry is logged with its reason"

modes '400'
queue k3 'ucuncu mesaj refused-400'
if wait_status k3 failed 10; then ok "a 400 fails the message"; else fail "a 400 fails the message" "$(field k3 status)"; fi
expect_eq "1 http_400" "$(field k3 "attempts || ' ' || last_error")" "one attempt, the reason kept"
sleep 2.5
expect_eq 1 "$(hits refused-400)" "a 400 is never retried"

modes 'delay:2500,200'
queue k4 'dorduncu mesaj slow-gateway'
if wait_status k4 sent 12; then ok "a timeout is retried, then sent"; else fail "a timeout is retried, then sent" "$(field k4 status)"; fi
expect_eq 2 "$(field k4 attempts)" "two attempts after a timeout"
expect_grep 'event=outbox.retry .*reason=timeout' "$SERR" "the timeout is logged"

modes 'close,200'
queue k5 'besinci mesaj dropped-connection'
if wait_status k5 sent 10; then ok "a dropped connection is retried, then sent"; else fail "a dropped connection is retried, then sent" "$(field k5 status)"; fi
expect_eq 2 "$(field k5 attempts)" "two attempts after a dropped connection"
expect_eq 2 "$(hits dropped-connection)" "no hidden resend: the gateway saw exactly two requests"
expect_grep 'event=outbox.retry .*reason=no_answer' "$SERR" "the dropped connection is logged"

modes '503'
queue k6 'altinci mesaj always-503'
if wait_status k6 failed 15; then ok "after outbox_max_tries the message fails"; else fail "after outbox_max_tries the message fails" "$(field k6 status)"; fi
expect_eq "3 http_503" "$(field k6 "attempts || ' ' || last_error")" "three attempts, the last reason kept"
expect_eq 3 "$(hits always-503)" "the gateway saw exactly three attempts"

modes '200'
queue k7 'yedinci mesaj bad-number' 12345
if wait_status k7 failed 10; then ok "a number that is not a mobile one fails"; else fail "a number that is not a mobile one fails" "$(field k7 status)"; fi
expect_eq bad_recipient "$(field k7 last_error)" "the reason is bad_recipient"
expect_eq 0 "$(hits bad-number)" "without a request"

# ---- two servers on one database: every message sent once ---------------------------------
start_server --config "$CONF" --listen 127.0.0.1:0 --db "$DB" || fail "second server starts" "$(cat "$SERR")"
S2=$PID
for i in $(seq 1 12); do queue "b$i" "toplu mesaj batch-$i-end"; done
for i in $(seq 1 12); do wait_status "b$i" sent 15 || fail "batch message $i sent" "$(field "b$i" status)"; done
dups=0
for i in $(seq 1 12); do [ "$(hits "batch-$i-end")" = 1 ] || dups=$((dups + 1)); done
expect_eq 0 "$dups" "two servers: each of 12 messages reached the gateway exactly once"
stop_server "$S2"
stop_server "$S1"

# ---- the log never shows the number, the texts or the secrets -----------------------------
for f in "${SERRS[@]}"; do cat "$f"; done >"$T/all.err"
expect_no_grep "$PHONE" "$T/all.err" "the log has no phone number"
expect_no_grep '482913|doğrulama|mesaj' "$T/all.err" "the log has no message text"
expect_no_grep 'gizli-parola' "$T/all.err" "the log has no password"
expect_grep "to=5\*\*\*\*\*\*\*67" "$T/all.err" "the log shows the number masked"

# ---- form encoding and a bearer token -----------------------------------------------------
cat >"$T/form.conf" <<EOF
sms_gateway_url = http://127.0.0.1:$MPORT/form
sms_gateway_token = tok-3f9a
sms_gateway_body = to={to}&msg={text}&ref=eimza
sms_gateway_content_type = application/x-www-form-urlencoded
outbox_interval = 1
EOF
start_server --config "$T/form.conf" --listen 127.0.0.1:0 --db "$DB" || fail "form server starts" "$(cat "$SERR")"
queue f1 'Kod: 77 & ü=form'
if wait_status f1 sent 10; then ok "form-encoded SMS sent"; else fail "form-encoded SMS sent" "$(field f1 status)"; fi
REQ=$(jq -c 'select(.url == "/form")' "$GWLOG" | tail -n 1)
expect_eq "to=%2B90$PHONE&msg=Kod%3A+77+%26+%C3%BC%3Dform&ref=eimza" "$(jq -r .body <<<"$REQ")" \
  "the body is form-encoded ('+' of the number kept)"
expect_eq "Bearer tok-3f9a" "$(jq -r .headers.authorization <<<"$REQ")" "bearer token"
stop_server "$PID"
expect_no_grep 'tok-3f9a' "$SERR" "the log has no token"

# ---- nothing is sent without a gateway URL, nor in --dev ----------------------------------
before=$(wc -l <"$GWLOG")
start_server --listen 127.0.0.1:0 --db "$DB" || fail "server without a gateway starts"
expect_grep 'level=warn event=outbox.no_gateway' "$SERR" "start-up warns that SMS will wait"
queue n1 'no gateway waits'
sleep 2
expect_eq pending "$(field n1 status)" "without a gateway URL the message waits"
stop_server "$PID"
start_server --dev --config "$CONF" --listen 127.0.0.1:0 --db "$DB" || fail "--dev server starts"
sleep 2
expect_eq pending "$(field n1 status)" "--dev sends nothing"
expect_no_grep 'event=outbox.start' "$SERR" "--dev starts no sender"
stop_server "$PID"
expect_eq "$before" "$(wc -l <"$GWLOG")" "the gateway got nothing meanwhile"

finish
