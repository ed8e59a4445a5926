#!/usr/bin/env bash
# eimza serve: start-up checks (exit 1 for usage errors, 2 for an unmigrated database), the
# ready line, /healthz and /metrics, the JSON error shape with 404/405/413, the security
# headers, keep-alive, the access log without personal data, the config file, IPv6, and a
# graceful stop on SIGTERM/SIGINT with a request in flight. Runs on both backends.
source "$EIMZA_SOURCE_DIR/tests/lib.sh"
backend=${EIMZA_TEST_BACKEND:-sqlite}

CSP="default-src 'self'; object-src 'none'; img-src 'self' data:; frame-ancestors 'none'; base-uri 'none'; form-action 'self'"
ERR_SHAPE='^\{"error":\{"code":"[a-z_]+","message":"[^"]+"\}\}$'

# start_server ARGS...: runs `eimza serve ARGS` in the background and waits (10 s at most)
# for its ready line. Sets PID, URL, SOUT, SERR. Returns 1 if it exited or never got ready.
start_server() {
  SOUT=$(mktemp -p "$T" serve.XXXXXX) || return 1 # new: never an earlier server's lines
  SERR=$SOUT.err URL=
  "$EIMZA" serve "$@" >"$SOUT" 2>"$SERR" &
  PID=$!
  for _ in $(seq 1 200); do
    URL=$(sed -n 's/^eimza: serving on \(http[^ ]*\) .*/\1/p' "$SOUT")
    [ -n "$URL" ] && return 0
    kill -0 "$PID" 2>/dev/null || return 1
    sleep 0.05
  done
  return 1
}

# stop_server SIGNAL: sends it and waits at most 5 s; sets STOP_STATUS and STOP_MS.
stop_server() {
  local t0=$(date +%s%N)
  kill -"$1" "$PID"
  for _ in $(seq 1 100); do kill -0 "$PID" 2>/dev/null || break; sleep 0.05; done
  if kill -0 "$PID" 2>/dev/null; then kill -KILL "$PID"; fi
  wait "$PID"
  STOP_STATUS=$?
  STOP_MS=$(( ($(date +%s%N) - t0) / 1000000 ))
}

# get NAME CURL-ARGS...: runs curl, headers to $T/h, body to $T/b, status in $CODE (NAME
# only labels the call for the reader).
get() {
  shift
  CODE=$(curl -s -o "$T/b" -D "$T/h" -w '%{http_code}' "$@")
}

# security_headers NAME: the headers every response carries, checked on $T/h.
security_headers() {
  grep -Fqi "Content-Security-Policy: $CSP" "$T/h" &&
    grep -qi '^X-Content-Type-Options: nosniff' "$T/h" &&
    grep -qi '^X-Frame-Options: DENY' "$T/h" &&
    grep -qi '^Referrer-Policy: no-referrer' "$T/h" &&
    grep -qi '^Cache-Control: no-store' "$T/h" &&
    grep -qiE '^X-Request-Id: [0-9a-f]{16}' "$T/h" &&
    ok "$1: security headers" || fail "$1: security headers" "$(cat "$T/h")"
}

db=$(new_db) || { fail "new database"; finish; }
expect_status 0 "migrate" "$EIMZA" migrate --db "$db"

# ---- start-up refusals, before anything listens -------------------------------------------
expect_status 1 "--dev refuses 0.0.0.0" timeout 10 "$EIMZA" serve --dev --listen 0.0.0.0:0 --db "$db"
expect_grep 'loopback' "$T/err" "--dev refusal says why"
expect_status 1 "--dev refuses [::]" timeout 10 "$EIMZA" serve --dev --listen '[::]:0' --db "$db"
expect_status 1 "malformed --listen" timeout 10 "$EIMZA" serve --listen 127.0.0.1 --db "$db"
expect_status 1 "port out of range" timeout 10 "$EIMZA" serve --listen 127.0.0.1:70000 --db "$db"
expect_status 1 "unknown option" timeout 10 "$EIMZA" serve --bogus
expect_status 1 "--trust-dir missing" timeout 10 "$EIMZA" serve --trust-dir "$T/none" --db "$db"
: >"$T/afile"
expect_status 1 "--trust-dir is a file" timeout 10 "$EIMZA" serve --trust-dir "$T/afile" --db "$db"

printf '# eimza serve\nlisten = 127.0.0.1:0\nbogus_key = 1\n' >"$T/bad.conf"
expect_status 1 "config with an unknown key" timeout 10 "$EIMZA" serve --config "$T/bad.conf" --db "$db"
expect_grep "^eimza: serve: $T/bad.conf:3: setting_unknown: " "$T/err" "config error names FILE:LINE and its code"
expect_grep "^eimza: serve: unknown setting 'bogus_key'$" "$T/err" "then the setting, in English"
printf 'threads = many\n' >"$T/bad2.conf"
expect_status 1 "config with a bad value" timeout 10 "$EIMZA" serve --config "$T/bad2.conf" --db "$db"
expect_grep "^eimza: serve: $T/bad2.conf:1: setting_bad_value: " "$T/err" "bad value names FILE:LINE"
expect_grep "^eimza: serve: bad value for 'threads': 'many'" "$T/err" "and the setting"
expect_status 1 "missing config file" timeout 10 "$EIMZA" serve --config "$T/none.conf" --db "$db"
# the portal's rules are checked together before the server listens
printf 'renewal_window_days = 60\nrenewal_deadline_days = 60\n' >"$T/rules.conf"
expect_status 1 "config with rules that do not fit together" timeout 10 "$EIMZA" serve --config "$T/rules.conf" --db "$db"
expect_grep "^eimza: serve: settings_conflict: " "$T/err" "the rules' conflict is a coded refusal"
expect_grep "^eimza: serve: the portal's rules do not fit together \(rules_deadline\)$" "$T/err" \
  "the portal's rules are named"
printf 'otp_ttl = 5\n' >"$T/rules2.conf"
expect_status 1 "config with an SMS code lifetime out of bounds" timeout 10 "$EIMZA" serve --config "$T/rules2.conf" --db "$db"
expect_grep "^eimza: serve: $T/rules2.conf:1: setting_out_of_range: " "$T/err" "out-of-bounds rule names FILE:LINE"
expect_grep "^eimza: serve: bad value for 'otp_ttl': '5' is not a whole number from [0-9]+ to [0-9]+$" "$T/err" \
  "and its bounds"
# who runs the portal (issue 17): a bad logo or contacts file stops the server, saying which
# line of which file and why
printf 'il_kodu;birim;adres\n72;Batman DYS;Merkez\n99;X;Y\n' >"$T/contacts.csv"
printf 'province_contacts = %s\n' "$T/contacts.csv" >"$T/site.conf"
expect_status 1 "a contacts file with a bad line" timeout 10 "$EIMZA" serve --config "$T/site.conf" --db "$db"
expect_grep "^eimza: serve: $T/contacts.csv: setting_file_bad: " "$T/err" "the contacts file refused"
expect_grep "contacts.csv:3: il_kodu '99' is no province" "$T/err" "the contacts file's bad line named"
printf 'GIF89a' >"$T/logo.gif"
printf 'ministry_logo = %s\n' "$T/logo.gif" >"$T/site2.conf"
expect_status 1 "a logo that is no .svg or .png" timeout 10 "$EIMZA" serve --config "$T/site2.conf" --db "$db"
expect_grep "^eimza: serve: $T/logo.gif: setting_file_bad: " "$T/err" "the logo file refused"
expect_grep "^eimza: serve: ministry_logo: .*logo.gif is neither an .svg nor a .png file$" "$T/err" \
  "saying why"

empty=$(new_db) || fail "new database"
expect_status 2 "unmigrated database refused" timeout 10 "$EIMZA" serve --listen 127.0.0.1:0 --db "$empty"
expect_grep 'eimza migrate' "$T/err" "unmigrated: says to migrate"

# ---- a running server ---------------------------------------------------------------------
if ! start_server --dev --listen 127.0.0.1:0 --db "$db"; then
  fail "server starts" "$(head -c 1000 "$SERR")"
  finish
fi
ok "server starts"
expect_grep "^eimza: serving on http://127\.0\.0\.1:[0-9]+ \(database $backend, schema [1-9][0-9]*\)$" \
  "$SOUT" "ready line"
expect_grep 'DEVELOPMENT MODE' "$SERR" "--dev banner on stderr"
port=${URL##*:}

get healthz "$URL/healthz"
expect_eq 200 "$CODE" "healthz: 200"
expect_grep "^\{\"status\":\"ok\",\"database\":\"$backend\",\"schema\":[1-9][0-9]*\}$" "$T/b" \
  "healthz: body"
expect_grep '^Content-Type: application/json' "$T/h" "healthz: JSON"
security_headers healthz

expect_eq "200 0" "$(curl -s -I -o /dev/null -w '%{http_code} %{size_download}' "$URL/healthz")" \
  "HEAD healthz: 200 without a body"

get notfound "$URL/no/such/page"
expect_eq 404 "$CODE" "unknown path: 404"
expect_grep "$ERR_SHAPE" "$T/b" "404: JSON error shape"
expect_grep '"code":"not_found"' "$T/b" "404: code"
expect_grep 'Aradığınız sayfa bulunamadı' "$T/b" "404: Turkish message"
security_headers 404

get english -H 'Accept-Language: en-GB,en;q=0.9' "$URL/no/such/page"
expect_grep '"message":"The page you asked for' "$T/b" "404 in English when asked"

get wrongmethod -X POST "$URL/healthz"
expect_eq 405 "$CODE" "wrong method: 405"
expect_grep '^Allow: GET, HEAD' "$T/h" "405: Allow header"
expect_grep '"code":"method_not_allowed"' "$T/b" "405: code"
expect_grep "$ERR_SHAPE" "$T/b" "405: JSON error shape"

head -c $((2 * 1024 * 1024)) /dev/zero >"$T/2m"
get big -X GET --data-binary @"$T/2m" "$URL/healthz"
expect_eq 413 "$CODE" "oversized body: 413"
expect_grep '"code":"body_too_large"' "$T/b" "413: code"
expect_grep "$ERR_SHAPE" "$T/b" "413: JSON error shape"
head -c $((1536 * 1024)) /dev/zero >"$T/1m5"
get chunked -X GET -H 'Transfer-Encoding: chunked' --data-binary @"$T/1m5" "$URL/healthz"
expect_eq 413 "$CODE" "oversized chunked body: 413"
head -c 1000 /dev/zero >"$T/1k"
get smallbody -X GET --data-binary @"$T/1k" "$URL/healthz"
expect_eq 200 "$CODE" "a body within the limit is accepted"

curl -sv "$URL/healthz" "$URL/metrics" -o /dev/null -o /dev/null 2>"$T/v"
expect_grep 'Re-using existing connection' "$T/v" "keep-alive: second request reuses the connection"
curl -sv "$URL/nope" -X POST "$URL/healthz" -o /dev/null -o /dev/null 2>"$T/v"
expect_grep 'Re-using existing connection' "$T/v" "keep-alive after an error response"

get query "$URL/healthz?tckn=10000000146&x=1"
get piipath "$URL/p/10000000146/ali.veli@example.com"
get metrics "$URL/metrics"
expect_eq 200 "$CODE" "metrics: 200"
expect_grep '^Content-Type: text/plain; version=0.0.4' "$T/h" "metrics: Prometheus text"
expect_grep '^eimza_up 1$' "$T/b" "metrics: up gauge"
expect_grep '^eimza_http_requests_total\{class="2xx"\} ([5-9]|[1-9][0-9]+)$' "$T/b" \
  "metrics: 2xx counted"
expect_grep '^eimza_http_requests_total\{class="4xx"\} ([6-9]|[1-9][0-9]+)$' "$T/b" \
  "metrics: 4xx counted"

sleep 0.2 # the access log line is written when the request completes
expect_grep 'event=http.request rid=[0-9a-f]{16} method=GET path="/healthz" status=200 bytes=[0-9]+ ms=[0-9]+\.[0-9]{3}' \
  "$SERR" "access log line"
expect_grep 'path="/no/such/page" status=404' "$SERR" "access log: 404"
expect_no_grep 'tckn|10000000146|ali\.veli|example\.com' "$SERR" "access log: no personal data"
expect_grep 'path="/p/100\*\*\*\*\*\*46/\*"' "$SERR" "access log: identifiers masked"

stop_server TERM
expect_eq 0 "$STOP_STATUS" "SIGTERM: exit 0"
[ "$STOP_MS" -lt 4000 ] && ok "SIGTERM: prompt (${STOP_MS} ms)" || fail "SIGTERM: prompt" "${STOP_MS} ms"
expect_grep 'event=server.stopped' "$SERR" "SIGTERM: logged the stop"

# The port is free again: a new server binds the very same one (explicit port this time).
if start_server --listen "127.0.0.1:$port" --db "$db"; then
  ok "port released after SIGTERM"
  expect_no_grep 'DEVELOPMENT MODE' "$SERR" "no banner without --dev"
  # A request is in flight when SIGINT comes (its body is half sent): the server waits for
  # it, answers it with Connection: close, then exits 0.
  exec 3<>"/dev/tcp/127.0.0.1/$port"
  printf 'GET /healthz HTTP/1.1\r\nHost: t\r\nContent-Length: 10\r\n\r\n12345' >&3
  sleep 0.3
  kill -INT "$PID"
  sleep 0.3
  kill -0 "$PID" 2>/dev/null && ok "SIGINT: waits for the request in flight" ||
    fail "SIGINT: waits for the request in flight"
  printf '67890' >&3
  timeout 5 cat <&3 >"$T/inflight" 2>/dev/null
  exec 3>&-
  expect_grep '^HTTP/1.1 200' "$T/inflight" "request in flight at SIGINT completes"
  expect_grep '^Connection: close' "$T/inflight" "its connection is closed after"
  stop_server INT
  curl -s -o /dev/null "$URL/healthz" && fail "stopped server still answers" ||
    ok "stopped server no longer answers"
else
  fail "port released after SIGTERM" "$(head -c 600 "$SERR")"
fi

# ---- the config file, overridden by options -----------------------------------------------
printf 'listen = 127.0.0.1:1\nmax_body_bytes = 4k\naccess_log = off\n' >"$T/good.conf"
if start_server --config "$T/good.conf" --listen 127.0.0.1:0 --db "$db"; then
  ok "config file accepted"
  [ "${URL##*:}" != 1 ] && ok "--listen overrides the file" || fail "--listen overrides the file"
  head -c 8192 /dev/zero >"$T/8k"
  get cfgbody -X GET --data-binary @"$T/8k" "$URL/healthz"
  expect_eq 413 "$CODE" "max_body_bytes from the file applies"
  stop_server TERM
  expect_no_grep 'event=http.request' "$SERR" "access_log = off"
else
  fail "config file accepted" "$(head -c 600 "$SERR")"
fi

# ---- IPv6 loopback (skipped where the host has no ::1) ------------------------------------
if [ -e /proc/net/if_inet6 ] && grep -q '^0\{31\}1 ' /proc/net/if_inet6; then
  if start_server --dev --listen '[::1]:0' --db "$db"; then
    expect_grep '^eimza: serving on http://\[::1\]:[0-9]+ ' "$SOUT" "IPv6: ready line"
    get v6 -g "$URL/healthz"
    expect_eq 200 "$CODE" "IPv6: healthz"
    stop_server TERM
  else
    fail "IPv6: server starts" "$(head -c 600 "$SERR")"
  fi
else
  echo "# skipped IPv6: no ::1 on this host"
fi

# ---- the database goes away (PostgreSQL: the database is dropped under the server) -------
if [ "$backend" = postgresql ]; then
  gone=$(new_db) || fail "new database"
  "$EIMZA" migrate --db "$gone" >/dev/null 2>&1
  if start_server --listen 127.0.0.1:0 --db "$gone"; then
    get before "$URL/healthz"
    expect_eq 200 "$CODE" "healthz before the database goes"
    psql -q -X "$EIMZA_TEST_PG_ADMIN_URL" -c "DROP DATABASE ${gone##*/} WITH (FORCE)" >/dev/null
    get after "$URL/healthz"
    expect_eq 503 "$CODE" "healthz: 503 when the database does not answer"
    expect_grep '"code":"database_unavailable"' "$T/b" "503: code database_unavailable"
    expect_grep "$ERR_SHAPE" "$T/b" "503: JSON error shape"
    get again "$URL/healthz"
    expect_eq 503 "$CODE" "still 503 while it is gone (reconnect fails cleanly)"
    stop_server TERM
    expect_eq 0 "$STOP_STATUS" "stops cleanly after database loss"
  else
    fail "server on a database to drop" "$(head -c 600 "$SERR")"
  fi
fi

finish
