#!/usr/bin/env bash
# eimza — several servers on one database (issue 18).
#
# PostgreSQL: two `eimza serve` processes behind nginx with the shipped site
# (packaging/nginx/eimza.conf: TLS, the proxy headers, the limits): first nginx itself (HTTP
# sent to HTTPS, HSTS, the per-server routes and the development routes refused, a body over the
# limit refused, the client's address and TLS reaching eimza: a session cookie marked Secure),
# then the whole flow through it while one server or the other is killed with SIGKILL now and
# then (tests/ops/flow_driver.py servers: logins on one server and forms on the other, codes,
# e-signatures, paper, decisions; everything answered must be in the database, intact). Then,
# straight to the two servers, ten times each: a logout on A refuses the token on B at once,
# and a change made on A shows in B's status at once (the status cache is off on PostgreSQL).
#
# SQLite (the demonstration that the last checks can fail): two servers on one SQLite file,
# whose status cache is on, must be caught showing a logged-out session and a stale status.
source "$EIMZA_SOURCE_DIR/tests/lib.sh"
source "$SRC/tests/ops/scene.sh"
source "$SRC/tests/ops/nginx.sh"
source "$SRC/tests/portal_lib.sh" # before the trap below: it sets an EXIT trap of its own
command -v nginx >/dev/null || { echo "FAIL: nginx is needed (scripts/deps.txt)"; exit 1; }
command -v jq >/dev/null || { echo "FAIL: jq is needed (scripts/deps.txt)"; exit 1; }
backend=${EIMZA_TEST_BACKEND:-sqlite}

PIDS=()
trap 'nginx_stop; for p in "${PIDS[@]}"; do kill -TERM "$p" 2>/dev/null; done; cleanup' EXIT

# serve PORT LOG: a server of the scene in the background (--dev for the captcha and the codes)
serve() {
  : >"$2.out" # a restarted server's log: the loop below must not find the last run's line
  "$EIMZA" serve --dev --listen "127.0.0.1:$1" --db "$DB" --config "$T/eimza.conf" \
    --trust-dir "$T/trust" >"$2.out" 2>"$2.err" &
  PIDS+=($!)
  for _ in $(seq 1 200); do
    grep -q '^eimza: serving on' "$2.out" 2>/dev/null && return 0
    sleep 0.05
  done
  fail "server on $1 starts" "$(tail -3 "$2.err")"
  return 1
}
stop_all() {
  local st=0
  for p in "${PIDS[@]}"; do
    kill -TERM "$p" 2>/dev/null
    wait "$p" || st=1
  done
  PIDS=()
  return $st
}

# ---- at once: a logout on A, a change on A, seen by B -------------------------------------------
# cross_checks A_URL B_URL ROUNDS: counts in STALE_TOKEN and STALE_STATE the rounds where B still
# let a logged-out token in, or showed a status older than A's change
PEOPLE=$T/people.json
cross_checks() {
  local a=$1 b=$2 rounds=$3 r tok next1 next2 p
  STALE_TOKEN=0
  STALE_STATE=0
  for r in $(seq 1 "$rounds"); do
    p=$(jq -c ".[$((r - 1))]" "$PEOPLE")
    URL=$a
    login "$(jq -r .tckn <<<"$p")" "$(jq -r .first <<<"$p")" "$(jq -r .last <<<"$p")" \
      "$(jq -r .place <<<"$p")" "$(jq -r .birth <<<"$p")"
    tok=$TOKEN
    [ "$CODE" = 200 ] || { fail "round $r: login on A" "$CODE $(head -c 200 "$T/b")"; continue; }
    call GET /api/v1/application -H "Authorization: Bearer $tok"
    URL=$b
    call GET /api/v1/application/status -H "Authorization: Bearer $tok"
    next1=$(jb .next)
    [ "$CODE" = 200 ] || { fail "round $r: status on B" "$CODE"; continue; }
    URL=$a
    json PUT /api/v1/application "$(jq -nc --arg a "$(jq -r .address <<<"$p")" \
      '{security_word:"Gizli Sözcük", security_word_repeat:"Gizli Sözcük", address:$a, postal_code:"72100", mobile_operator:"vodafone"}')" \
      -H "Authorization: Bearer $tok"
    [ "$CODE" = 200 ] || { fail "round $r: the form on A" "$CODE $(head -c 200 "$T/b")"; continue; }
    URL=$b
    call GET /api/v1/application/status -H "Authorization: Bearer $tok"
    next2=$(jb .next)
    [ "$next1" != "$next2" ] || STALE_STATE=$((STALE_STATE + 1))
    URL=$a
    call POST /api/v1/logout -H "Authorization: Bearer $tok"
    URL=$b
    call GET /api/v1/application/status -H "Authorization: Bearer $tok"
    [ "$CODE" = 401 ] || STALE_TOKEN=$((STALE_TOKEN + 1))
  done
}

if [ "$backend" = sqlite ]; then
  scene 25
  PA=$(free_port)
  PB=$(free_port)
  serve "$PA" "$T/a" && serve "$PB" "$T/b" || finish
  cross_checks "http://127.0.0.1:$PA" "http://127.0.0.1:$PB" 4
  [ "$STALE_TOKEN" -gt 0 ] && ok "the check catches a logged-out token let in by a kept status ($STALE_TOKEN of 4): two servers on one SQLite file keep their own" ||
    fail "the logout check can fail" "two SQLite servers with the status cache were never caught"
  [ "$STALE_STATE" -gt 0 ] && ok "the check catches a stale status ($STALE_STATE of 4)" ||
    fail "the change check can fail" "never caught"
  stop_all || fail "the servers stop cleanly"
  finish
fi

# ---- PostgreSQL: two servers behind nginx -----------------------------------------------------
scene 120
# the last 25 people are kept for the checks at the end; the driver walks the others
jq ".[95:]" "$T/people.json" >"$T/cross.json"
jq ".[:95]" "$T/people.json" >"$T/p.json" && mv "$T/p.json" "$T/people.json"
printf 'trusted_proxies = 127.0.0.1,::1\n' >>"$T/eimza.conf"
P1=$(free_port)
P2=$(free_port)
FRONT=$(free_port)
PLAIN=$(free_port)
nginx_start "$FRONT" "$PLAIN" "$P1" "$P2" || finish
N=(--resolve "eimza.example.gov.tr:$FRONT:127.0.0.1" --cacert "$T/nginx/tls/ca.pem")
F=https://eimza.example.gov.tr:$FRONT
serve "$P1" "$T/s1" && serve "$P2" "$T/s2" || finish
expect_eq "301 https://eimza.example.gov.tr/" \
  "$(curl -s -o /dev/null -w '%{http_code} %{redirect_url}' -H 'Host: eimza.example.gov.tr' "http://127.0.0.1:$PLAIN/")" \
  "nginx: plain HTTP is sent to HTTPS"
CODE=$(curl -s "${N[@]}" -o "$T/page" -D "$T/h" -w '%{http_code}' "$F/")
expect_eq 200 "$CODE" "nginx: the portal over TLS"
expect_grep '^strict-transport-security: max-age=63072000' "$T/h" "nginx: HSTS"
expect_eq 1 "$(grep -ci '^strict-transport-security:' "$T/h")" "nginx: one HSTS header (the servers' own not passed on)"
expect_grep '^content-security-policy: ' "$T/h" "eimza's own headers come through"
for p in /metrics /readyz /healthz /dev/outbox; do
  expect_eq 404 "$(curl -s "${N[@]}" -o /dev/null -w '%{http_code}' "$F$p")" "nginx: $p is not served to the world"
done
head -c 1200000 /dev/zero >"$T/big"
expect_eq 413 "$(curl -s "${N[@]}" -o /dev/null -w '%{http_code}' -X PUT --data-binary @"$T/big" "$F/api/v1/application")" \
  "nginx: a body over the limit is refused"
cid=$(curl -s "${N[@]}" "$F/api/v1/captcha" | jq -r .id)
ans=$(curl -s "http://127.0.0.1:$P1/dev/captcha/$cid" | jq -r .answer)
p=$(jq -c '.[0]' "$T/people.json")
body=$(jq -nc --argjson p "$p" --arg i "$cid" --arg a "$ans" \
  '{tckn:$p.tckn, first_name:$p.first, last_name:$p.last, birth_place:$p.place, birth_date:$p.birth, captcha_id:$i, captcha_answer:$a}')
curl -s "${N[@]}" -o "$T/b" -D "$T/h" -H 'Content-Type: application/json' --data-binary "$body" "$F/api/v1/login" >/dev/null
expect_grep '^set-cookie: eimza_session=[^;]+;.*; Secure' "$T/h" "nginx: eimza knows the client came over TLS (a Secure cookie)"
curl -s "${N[@]}" -o /dev/null -X POST -H "Authorization: Bearer $(jq -r .token "$T/b")" "$F/api/v1/logout"
# a failed login from 127.0.0.2 through nginx (which reaches the servers from 127.0.0.1): eimza
# counts it against the client's address, read from X-Forwarded-For of its trusted proxy
N6=("${N[@]}" --interface 127.0.0.2)
cid=$(curl -s "${N6[@]}" "$F/api/v1/captcha" | jq -r .id)
curl -s "${N6[@]}" -o /dev/null -H 'Content-Type: application/json' \
  --data-binary "$(jq -nc --arg i "$cid" --argjson p "$p" '{tckn:$p.tckn, first_name:"Yanlış", last_name:$p.last, birth_place:$p.place, birth_date:$p.birth, captcha_id:$i, captcha_answer:"yanlis"}')" \
  "$F/api/v1/login"
expect_eq "1 0" "$(psql -X -At -F ' ' "$DB" -c "SELECT count(*) FILTER (WHERE key = 'login:addr:127.0.0.2'), count(*) FILTER (WHERE key = 'login:addr:127.0.0.1') FROM rate_limits")" \
  "nginx: a failed login counts against the client's address (127.0.0.2), not the proxy's"
stop_all || fail "the servers stop cleanly"

if driver servers --ports "$P1,$P2" --front "$FRONT" --ca "$T/nginx/tls/ca.pem" --kills 6 \
  --clients 4 --min-up 1 --max-up 2.2 --max-down 0.5 \
  >"$T/driver.out" 2>&1; then
  ok "the whole flow through nginx over two servers, one killed now and then: nothing answered is lost"
else
  fail "two servers, killed" "$(grep -E 'FAIL|PROBLEM' "$T/driver.out" | head -20)"
fi
grep -E '^flow: [0-9]+ kills' "$T/driver.out"

PA=$(free_port)
PB=$(free_port)
serve "$PA" "$T/a" && serve "$PB" "$T/b" || finish
PEOPLE=$T/cross.json
cross_checks "http://127.0.0.1:$PA" "http://127.0.0.1:$PB" 10
expect_eq 0 "$STALE_TOKEN" "a logout on server A: the token refused on server B at once (10 rounds)"
expect_eq 0 "$STALE_STATE" "a change on server A: server B's status shows it at once (10 rounds)"
grep -q 'event=serve.status_cache state=off reason=postgresql' "$T/a.err" &&
  ok "the status cache is off on PostgreSQL, and the log says so" || fail "the status cache is off on PostgreSQL"
stop_all || fail "the servers stop cleanly"
finish
