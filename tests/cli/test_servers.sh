#!/usr/bin/env bash
# eimza — several servers on one database (issue 18).
#
# PostgreSQL: two `eimza serve` processes behind nginx with the shipped site
# (packaging/nginx/eimza.conf: TLS, the proxy headers, the limits): first nginx itself (HTTP
# sent to HTTPS, HSTS, the per-server routes and the development routes refused, a body over the
# limit refused, the client's address and TLS reaching eimza: a session cookie marked Secure;
# 12 KB of other services' cookies neither passed on nor in the way of the API, the pages' logins
# with their CSRF cookies, a form, the language cookie; a head too large answered with nginx's
# own Turkish page (431), a request line too long with another (414), on HTTPS and on the
# plain HTTP redirect alike), then the whole flow through it while one server or the other is killed
# with SIGKILL now and then (tests/ops/flow_driver.py servers: logins on one server and forms on
# the other, codes, e-signatures, paper, decisions; everything answered must be in the
# database, intact). Then,
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

# ---- cookies: eimza's own alone reach the servers; a head too large gets nginx's own page ------
# The other services of the domain set cookies for all of it (Domain=.meb.gov.tr), and the
# browser sends them here too: FOREIGN is 12 KB of them, three cookies of 4 KB, sent as a browser
# sends them: over HTTP/2 one field per cookie (FH2), over HTTP/1.1 all on one line with eimza's.
# eimza itself refuses such a Cookie (its 16k of connection memory takes one of about 7 KB: the
# control below), so an answer through nginx shows that they were not passed on. The old site
# (large_client_header_buffers 4 8k, every cookie passed on) fails each check: over HTTP/2
# eimza's English 431, over HTTP/1.1 nginx's English 400.
FOREIGN=()
for c in mebbis_sso ebys_oturum okulsis_tercih; do
  FOREIGN+=("$c=$(head -c 3000 /dev/urandom | base64 -w0)")
done
FH2=()
for c in "${FOREIGN[@]}"; do FH2+=(-H "Cookie: $c"); done
FLINE=$(printf '%s; ' "${FOREIGN[@]}")
json_as() { # PERSON: the API's login through nginx; sets TOKEN (and $T/b, $T/h)
  local cid ans
  cid=$(curl -s "${N[@]}" "$F/api/v1/captcha" | jq -r .id)
  ans=$(curl -s "http://127.0.0.1:$P1/dev/captcha/$cid" | jq -r .answer)
  curl -s "${N[@]}" -o "$T/b" -D "$T/h" -H 'Content-Type: application/json' \
    --data-binary "$(jq -nc --argjson p "$1" --arg i "$cid" --arg a "$ans" \
      '{tckn:$p.tckn, first_name:$p.first, last_name:$p.last, birth_place:$p.place, birth_date:$p.birth, captcha_id:$i, captcha_answer:$a}')" \
    "$F/api/v1/login" >/dev/null
  TOKEN=$(jq -r .token "$T/b")
}
q=$(jq -c '.[24]' "$T/cross.json")
json_as "$q"
expect_eq 43 "${#TOKEN}" "nginx: a login for the cookie checks"
expect_eq 431 "$(curl -s -o /dev/null -w '%{http_code}' -H "Cookie: ${FLINE}eimza_session=$TOKEN" \
  "http://127.0.0.1:$P1/api/v1/application")" \
  "control: straight to eimza, the 12 KB of foreign cookies are refused (431)"
CODE=$(curl -s "${N[@]}" -o "$T/b" -w '%{http_code} %{http_version}' "${FH2[@]}" \
  -H "Cookie: eimza_session=$TOKEN" "$F/api/v1/application")
expect_eq "200 2 $(jq -r .first <<<"$q")" "$CODE $(jq -r .first_name "$T/b")" \
  "nginx, HTTP/2: the session cookie among 12 KB of foreign cookies: the person's application"
CODE=$(curl -s --http1.1 "${N[@]}" -o "$T/b" -w '%{http_code} %{http_version}' \
  -H "Cookie: ${FLINE}eimza_session=$TOKEN" "$F/api/v1/application")
expect_eq "200 1.1 $(jq -r .first <<<"$q")" "$CODE $(jq -r .first_name "$T/b")" \
  "nginx, HTTP/1.1: the same on one Cookie line of 12 KB"
CSRF=$(jq -r .csrf_token "$T/b")
CODE=$(curl -s "${N[@]}" -o "$T/b" -w '%{http_code}' -X PUT "${FH2[@]}" \
  -H "Cookie: eimza_session=$TOKEN" -H "X-CSRF-Token: $CSRF" -H 'Content-Type: application/json' \
  --data-binary '{"security_word":"Gizli Sözcük", "security_word_repeat":"Gizli Sözcük", "address":"Çerez Sok. No: 12", "postal_code":"72100", "mobile_operator":"vodafone"}' \
  "$F/api/v1/application")
curl -s "${N[@]}" -o "$T/b" "${FH2[@]}" -H "Cookie: eimza_session=$TOKEN" "$F/api/v1/application"
expect_eq "200 Çerez Sok. No: 12" "$CODE $(jq -r .address "$T/b")" \
  "nginx: a change by cookie with its CSRF token, among the foreign cookies"
CODE=$(curl -s "${N[@]}" -o "$T/b" -w '%{http_code}' "${FH2[@]}" "$F/api/v1/application")
expect_eq "401 session_required" "$CODE $(jq -r .error.code "$T/b")" \
  "nginx: foreign cookies alone are no session"
# none of them goes on, whatever its name: one foreign cookie of 9 KB is refused by eimza on its
# own (the control), and passes nginx, which drops it, also under names close to eimza's
long=$(head -c 6600 /dev/urandom | base64 -w0)
expect_eq 431 "$(curl -s -o /dev/null -w '%{http_code}' -H "Cookie: mebbis_sso=$long; eimza_session=$TOKEN" \
  "http://127.0.0.1:$P1/api/v1/application")" "control: straight to eimza, one foreign cookie of 9 KB is refused"
for c in mebbis_sso eimza_sessionx xlang lang_tercih eimza; do
  CODE=$(curl -s "${N[@]}" -o "$T/b" -w '%{http_code}' -H "Cookie: $c=$long; eimza_session=$TOKEN" "$F/api/v1/application")
  expect_eq "200 $(jq -r .first <<<"$q")" "$CODE $(jq -r .first_name "$T/b")" "nginx: a cookie named $c is not passed on"
done

# the pages, as a browser walks them with the foreign cookies (curl's jar holds eimza's): the
# login form's CSRF cookie, the session, a form posted with its CSRF token, the language cookie
JAR=$T/nginx-jar
: >"$JAR"
pg() { # METHOD PATH [CURL-ARGS...]: through nginx with the jar and FH2; $T/b, $T/h, CODE, LOC
  local m=$1 p=$2
  shift 2
  CODE=$(curl -s "${N[@]}" -o "$T/b" -D "$T/h" -w '%{http_code}' -c "$JAR" -b "$JAR" "${FH2[@]}" \
    -X "$m" "$@" "$F$p")
  LOC=$(sed -n 's/^location: \(.*\)\r$/\1/Ip' "$T/h")
  sed -n 's/^set-cookie: \([^=]*\)=.*/\1/Ip' "$T/h" >>"$T/set-cookies"
}
hidden() { grep -o "name=\"$1\" value=\"[^\"]*\"" "$T/b" | head -n 1 | sed 's/.*value="//; s/"$//'; }
q=$(jq -c '.[23]' "$T/cross.json")
pg GET /giris
expect_grep '^set-cookie: eimza_login_csrf=[0-9a-f]{32}; .*; Secure' "$T/h" "nginx pages: the login form's CSRF cookie"
cid=$(hidden captcha_id)
b=$(jq -r .birth <<<"$q")
pg POST /giris --data-urlencode "csrf_token=$(hidden csrf_token)" \
  --data-urlencode "tckn=$(jq -r .tckn <<<"$q")" --data-urlencode "first_name=$(jq -r .first <<<"$q")" \
  --data-urlencode "last_name=$(jq -r .last <<<"$q")" --data-urlencode "birth_place=$(jq -r .place <<<"$q")" \
  --data-urlencode "birth_date_day=$((10#${b:8:2}))" --data-urlencode "birth_date_month=$((10#${b:5:2}))" \
  --data-urlencode "birth_date_year=${b:0:4}" --data-urlencode "captcha_id=$cid" \
  --data-urlencode "captcha_answer=$(curl -s "http://127.0.0.1:$P1/dev/captcha/$cid" | jq -r .answer)"
expect_eq "303 /basvuru" "$CODE $LOC" "nginx pages: the login (its CSRF cookie came back)"
pg GET /basvuru
expect_eq 200 "$CODE" "nginx pages: the form, by the session cookie"
pg POST /basvuru --data-urlencode "csrf_token=$(hidden csrf_token)" --data-urlencode action=draft \
  --data-urlencode "address=Taslak Sok. No: 9"
expect_eq "303 /basvuru?taslak=kaydedildi" "$CODE $LOC" "nginx pages: a form posted with its CSRF token"
pg GET '/?lang=en'
expect_grep '^set-cookie: lang=en;' "$T/h" "nginx pages: ?lang=en sets the language cookie"
pg GET /
expect_grep '^<html lang="en"' "$T/b" "nginx pages: the language cookie is read (English)"
CODE=$(curl -s "${N[@]}" -o "$T/b" -w '%{http_code}' "${FH2[@]}" "$F/")
expect_grep '^<html lang="tr"' "$T/b" "nginx pages: without it, Turkish"
: >"$JAR"
pg GET /yonetim/giris
expect_grep '^set-cookie: eimza_staff_login_csrf=[0-9a-f]{32}; ' "$T/h" "nginx staff pages: the login form's CSRF cookie"
pg POST /yonetim/giris --data-urlencode "csrf_token=$(hidden csrf_token)" \
  --data-urlencode username=ayse.onay --data-urlencode "password=$PW"
expect_eq "303 /yonetim" "$CODE $LOC" "nginx staff pages: the login"
pg GET /yonetim
expect_eq 200 "$CODE" "nginx staff pages: the staff's page, by the staff session cookie"
# every cookie eimza set on these pages is one the site passes back (a new one must be added there)
sort -u "$T/set-cookies" >"$T/set-cookie-names"
expect_eq 5 "$(wc -l <"$T/set-cookie-names")" "nginx pages: eimza set its five cookies on the way"
while read -r c; do
  expect_grep "^map \\\$cookie_$c \\\$" "$SRC/packaging/nginx/eimza.conf" "nginx: the site passes on the cookie $c"
done <"$T/set-cookie-names"

# nginx's own refusal of a head too large: over HTTP/1.1 a Cookie line over 16 KB, or a head over
# 4 x 16 KB, gets the Turkish page of nginx's with 431; the page's style is allowed by its hash.
# The site cannot know who makes the cards (Kamu SM, or the institution: production = inhouse),
# so the pages' footer gives Kamu SM's number for a card Kamu SM issued only, in the catalogue's
# words for that (page.footer_call_centre_inhouse), right in both deployments
CALLC=$(catalogue_text page.footer_call_centre_inhouse)
expect_eq "Kamu SM'nin verdiği kartlar için çağrı merkezi: 444 5 576" "$CALLC" "the catalogue's footer line for any card"
big=$(head -c 12600 /dev/urandom | base64 -w0)
for what in "one line over 16 KB" "a head over 64 KB"; do
  if [ "$what" = "one line over 16 KB" ]; then
    H=(-H "Cookie: a=$big")
  else
    H=()
    for i in 1 2 3 4 5; do H+=(-H "Cookie: c$i=${big:0:15000}"); done
  fi
  CODE=$(curl -s --http1.1 "${N[@]}" -o "$T/b" -D "$T/h" -w '%{http_code} %{content_type}' "${H[@]}" "$F/basvuru")
  expect_eq "431 text/html; charset=utf-8" "$CODE" "nginx, $what: 431 and an HTML page"
  expect_grep 'istek izin verilen boyutu aştığı için işlenemedi' "$T/b" "nginx, $what: the Turkish page says what happened"
  expect_grep 'çerezlerini siliniz' "$T/b" "nginx, $what: and what to do"
  expect_grep '<h2>Request too large</h2>' "$T/b" "nginx, $what: with its English part"
  expect_grep "^<p class=\"call-centre\"><a href=\"tel:4445576\">$CALLC</a></p>\$" "$T/b" \
    "nginx, $what: the footer gives Kamu SM's number for its cards only (any deployment)"
  expect_no_grep '>Kamu SM çağrı merkezi' "$T/b" "nginx, $what: not as the one call centre"
  expect_grep '^[Ss]trict-[Tt]ransport-[Ss]ecurity: max-age=63072000' "$T/h" "nginx, $what: HSTS"
done
style=$(python3 -c 'import re,sys,hashlib,base64; s=open(sys.argv[1],encoding="utf-8").read(); print(base64.b64encode(hashlib.sha256(re.search(r"<style>(.*?)</style>",s,re.S).group(1).encode()).digest()).decode())' "$T/b")
expect_grep "^[Cc]ontent-[Ss]ecurity-[Pp]olicy: default-src 'none'; style-src 'sha256-${style//+/\\+}';" "$T/h" \
  "nginx's page: the policy allows its style (by hash), nothing else"
# the same on plain HTTP, which takes the head as HTTPS does (a browser with 10 KB of the
# domain's cookies is sent on, not refused) and answers one too large with the same page; and
# a request line over 16 KB (the address asked for) gets a Turkish page of its own with 414,
# on both servers. nginx's own pages are English: "400 Request Header Or Cookie Too Large",
# "414 Request-URI Too Large".
PH=(-H 'Host: eimza.example.gov.tr')
expect_eq "301 https://eimza.example.gov.tr/basvuru" \
  "$(curl -s -o /dev/null -w '%{http_code} %{redirect_url}' "${PH[@]}" -H "Cookie: a=${big:0:10000}" "http://127.0.0.1:$PLAIN/basvuru")" \
  "nginx, plain HTTP, 10 KB of cookies: sent to HTTPS all the same"
CODE=$(curl -s -o "$T/b" -D "$T/h" -w '%{http_code} %{content_type}' "${PH[@]}" -H "Cookie: a=$big" "http://127.0.0.1:$PLAIN/basvuru")
expect_eq "431 text/html; charset=utf-8" "$CODE" "nginx, plain HTTP, one line over 16 KB: 431 and an HTML page"
expect_grep 'istek izin verilen boyutu aştığı için işlenemedi' "$T/b" "nginx, plain HTTP, one line over 16 KB: the Turkish page"
expect_grep '<h2>Request too large</h2>' "$T/b" "nginx, plain HTTP, one line over 16 KB: with its English part"
expect_grep "^[Cc]ontent-[Ss]ecurity-[Pp]olicy: default-src 'none'; style-src 'sha256-${style//+/\\+}';" "$T/h" \
  "nginx, plain HTTP, 431: the policy allows the page's style"
longline="/basvuru?x=$(head -c 17000 /dev/urandom | base64 -w0 | tr -d '+/=' | head -c 17000)"
for where in HTTPS "plain HTTP"; do
  if [ "$where" = HTTPS ]; then
    CODE=$(curl -s --http1.1 "${N[@]}" -o "$T/b" -D "$T/h" -w '%{http_code} %{content_type}' "$F$longline")
  else
    CODE=$(curl -s -o "$T/b" -D "$T/h" -w '%{http_code} %{content_type}' "${PH[@]}" "http://127.0.0.1:$PLAIN$longline")
  fi
  expect_eq "414 text/html; charset=utf-8" "$CODE" "nginx, $where, a request line over 16 KB: 414 and an HTML page"
  expect_grep '<title>Hata: Adres çok uzun' "$T/b" "nginx, $where, a request line over 16 KB: the Turkish page"
  expect_grep 'adresi izin verilen uzunluğu aştığı için işlenemedi' "$T/b" "nginx, $where, 414: says what happened"
  expect_grep 'adresini tarayıcınızın adres çubuğuna kendiniz yazınız' "$T/b" "nginx, $where, 414: what to do"
  expect_grep 'il DYS biriminize' "$T/b" "nginx, $where, 414: whom to ask"
  expect_grep '<h2>Address too long</h2>' "$T/b" "nginx, $where, 414: with its English part"
  expect_grep "^<p class=\"call-centre\"><a href=\"tel:4445576\">$CALLC</a></p>\$" "$T/b" \
    "nginx, $where, 414: the footer gives Kamu SM's number for its cards only (any deployment)"
  expect_no_grep '>Kamu SM çağrı merkezi' "$T/b" "nginx, $where, 414: not as the one call centre"
  s414=$(python3 -c 'import re,sys,hashlib,base64; s=open(sys.argv[1],encoding="utf-8").read(); print(base64.b64encode(hashlib.sha256(re.search(r"<style>(.*?)</style>",s,re.S).group(1).encode()).digest()).decode())' "$T/b")
  expect_grep "^[Cc]ontent-[Ss]ecurity-[Pp]olicy: default-src 'none'; style-src 'sha256-${s414//+/\\+}';" "$T/h" \
    "nginx, $where, 414: the policy allows the page's style (by hash), nothing else"
  if [ "$where" = HTTPS ]; then
    expect_grep '^[Ss]trict-[Tt]ransport-[Ss]ecurity: max-age=63072000' "$T/h" "nginx, HTTPS, 414: HSTS"
  fi
done
# over HTTP/2 nginx cannot answer a head too large with a page: it ends the connection
# (ENHANCE_YOUR_CALM), which the site's comment and docs/DEPLOYMENT.md say
H=()
for i in 1 2 3 4 5; do H+=(-H "Cookie: c$i=${big:0:15000}"); done
expect_eq 000 "$(curl -s "${N[@]}" -o /dev/null -w '%{http_code}' "${H[@]}" "$F/basvuru")" \
  "nginx, HTTP/2, a head over 64 KB: the connection ended, no answer"
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
