#!/usr/bin/env bash
# eimza — `eimza agent` on a free loopback port with a SoftHSM2 token and --pin-fd: only the
# configured origins are answered (403 for a missing or foreign Origin, or a foreign Host),
# CORS and the Private Network Access preflight, the token list, a signature that openssl
# verifies, a wrong PIN reported with the card's word on the tries left, the request errors,
# a graceful stop on SIGTERM, and the start-up refusals (non-loopback --listen: exit 1).
# eimza-test: no database
source "$EIMZA_SOURCE_DIR/tests/lib.sh"
source "$EIMZA_SOURCE_DIR/tests/sign_token.sh"
command -v curl >/dev/null && command -v jq >/dev/null || { echo "FAIL: curl and jq are needed (scripts/deps.txt)"; exit 1; }

sign_setup
make_card agent-card EC:prime256v1 "Mehmet Öz"
make_empty_card empty-card

# the machine's and the person's settings files must not leak into the test
export XDG_CONFIG_HOME=$T/xdg HOME=$T
PORTAL=https://portal.example.gov.tr
printf 'Başvuru No: 2024-000123\r\nAD: MEHMET\r\nBeyan ederim.' >"$T/content.txt"
B64=$(base64 -w0 "$T/content.txt")
# One PIN line per signature: good, wrong, good; then none left.
printf '123456\n000000\n123456\n' >"$T/pins"

AGENT_PID=
stop_agent() { [ -n "$AGENT_PID" ] && kill -TERM "$AGENT_PID" 2>/dev/null; wait "$AGENT_PID" 2>/dev/null; }
trap 'stop_agent; cleanup' EXIT

"$EIMZA" agent --module "$MODULE" --listen 127.0.0.1:0 --origin "$PORTAL" \
  --origin http://127.0.0.1:8080/ --pin-fd 3 3<"$T/pins" >"$T/agent.out" 2>"$T/agent.err" &
AGENT_PID=$!
URL=
for _ in $(seq 100); do
  URL=$(sed -n 's/^eimza agent: listening on \(http:[^ ]*\)$/\1/p' "$T/agent.out")
  [ -n "$URL" ] && break
  kill -0 "$AGENT_PID" 2>/dev/null || break
  sleep 0.1
done
[ -n "$URL" ] || { echo "FAIL: the agent did not start: $(cat "$T/agent.err")"; exit 1; }
ok "agent started on $URL"
PORT=${URL##*:}

# req NAME CURL-ARGS...: the status in $T/code, headers in $T/h, body in $T/b
req() {
  curl -s -o "$T/b" -D "$T/h" -w '%{http_code}' "$@" >"$T/code" 2>/dev/null
}
hdr() { grep -i "^$1:" "$T/h" | head -1 | cut -d' ' -f2- | tr -d '\r'; }

# ---- who may ask ------------------------------------------------------------------------------
req "$URL/v1/tokens"
expect_eq 403 "$(cat "$T/code")" "no Origin: 403"
expect_eq origin_forbidden "$(jq -r .error.code "$T/b")" "no Origin: origin_forbidden"
expect_eq "" "$(hdr Access-Control-Allow-Origin)" "no Origin: no CORS header"
req -H "Origin: https://evil.example" "$URL/v1/tokens"
expect_eq 403 "$(cat "$T/code")" "foreign Origin: 403"
expect_eq origin_forbidden "$(jq -r .error.code "$T/b")" "foreign Origin: origin_forbidden"
expect_eq "" "$(hdr Access-Control-Allow-Origin)" "foreign Origin: no CORS header"
req -H "Origin: $PORTAL.evil.example" "$URL/v1/tokens"
expect_eq 403 "$(cat "$T/code")" "Origin with the portal as a prefix: 403"
req -H "Origin: $PORTAL" -H "Host: evil.example:$PORT" "$URL/v1/tokens"
expect_eq 403 "$(cat "$T/code")" "foreign Host (DNS rebinding): 403"
expect_eq host_forbidden "$(jq -r .error.code "$T/b")" "foreign Host: host_forbidden"

# ---- the version, without the card --------------------------------------------------------------
req -H "Origin: $PORTAL" "$URL/v1/version"
expect_eq 200 "$(cat "$T/code")" "version: 200"
expect_eq "eimza $("$EIMZA" --version | awk '{print $2}') 1 true" \
  "$(jq -r '[.agent, .version, (.api|tostring), (.relay|tostring)] | join(" ")' "$T/b")" \
  "version: agent, version, api 1, relay"
expect_eq "$PORTAL" "$(hdr Access-Control-Allow-Origin)" "version: CORS header for the portal"
req -H "Origin: https://evil.example" "$URL/v1/version"
expect_eq 403 "$(cat "$T/code")" "version: a foreign Origin gets 403"

# ---- preflight, with Private Network Access ---------------------------------------------------
req -X OPTIONS -H "Origin: $PORTAL" -H "Access-Control-Request-Method: POST" \
  -H "Access-Control-Request-Headers: content-type" \
  -H "Access-Control-Request-Private-Network: true" "$URL/v1/sign"
expect_eq 204 "$(cat "$T/code")" "preflight: 204"
expect_eq "$PORTAL" "$(hdr Access-Control-Allow-Origin)" "preflight: exact allowed origin"
expect_eq true "$(hdr Access-Control-Allow-Private-Network)" "preflight: PNA allowed"
expect_grep '^[Aa]ccess-[Cc]ontrol-[Aa]llow-[Mm]ethods:.*POST' "$T/h" "preflight: POST allowed"
expect_grep '^[Aa]ccess-[Cc]ontrol-[Aa]llow-[Hh]eaders:.*Content-Type' "$T/h" \
  "preflight: Content-Type allowed"
expect_grep '^[Vv]ary: Origin' "$T/h" "preflight: Vary: Origin"
req -X OPTIONS -H "Origin: $PORTAL" -H "Access-Control-Request-Method: GET" "$URL/v1/tokens"
expect_eq "" "$(hdr Access-Control-Allow-Private-Network)" "preflight without PNA: no PNA header"
req -X OPTIONS -H "Origin: https://evil.example" \
  -H "Access-Control-Request-Private-Network: true" "$URL/v1/sign"
expect_eq 403 "$(cat "$T/code")" "foreign preflight: 403"
expect_eq "" "$(hdr Access-Control-Allow-Private-Network)" "foreign preflight: no PNA header"

# ---- the token list ---------------------------------------------------------------------------
req -H "Origin: $PORTAL" "$URL/v1/tokens"
expect_eq 200 "$(cat "$T/code")" "tokens: 200"
expect_eq "$PORTAL" "$(hdr Access-Control-Allow-Origin)" "tokens: CORS header for the portal"
expect_grep '^[Vv]ary: Origin' "$T/h" "tokens: Vary: Origin"
expect_eq "SoftHSM v2" "$(jq -r '.tokens[] | select(.label=="agent-card") | .model' "$T/b")" \
  "tokens: the card type"
expect_eq "Mehmet Öz" \
  "$(jq -r '.tokens[] | select(.label=="agent-card") | .certificate.subject_cn' "$T/b")" \
  "tokens: the certificate's CN"
expect_eq EC "$(jq -r '.tokens[] | select(.label=="agent-card") | .certificate.key_type' "$T/b")" \
  "tokens: the key type"
jq -e '.tokens[] | select(.label=="agent-card") | .certificate.not_after |
  test("^[0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9:]{8}Z$")' "$T/b" >/dev/null &&
  ok "tokens: notAfter in ISO 8601" || fail "tokens: notAfter in ISO 8601" "$(cat "$T/b")"
expect_eq null "$(jq -r '.tokens[] | select(.label=="empty-card") | .certificate' "$T/b")" \
  "tokens: a card without certificate is listed with null"
expect_eq false "$(jq -r '.tokens[] | select(.label=="agent-card") | .pin.locked' "$T/b")" \
  "tokens: PIN flags"
req -H "Origin: http://127.0.0.1:8080" "$URL/v1/tokens"
expect_eq 200 "$(cat "$T/code")" "second --origin (given with a trailing /) is answered"

# ---- signing ----------------------------------------------------------------------------------
sign_req() { # sign_req JSON
  req -X POST -H "Origin: $PORTAL" -H "Content-Type: application/json" --data-binary "$1" \
    "$URL/v1/sign"
}
sign_req "{\"content_b64\":\"$B64\"}"
expect_eq 200 "$(cat "$T/code")" "sign: 200"
expect_eq "$PORTAL" "$(hdr Access-Control-Allow-Origin)" "sign: CORS header"
expect_eq agent-card "$(jq -r .token "$T/b")" "sign: the only card with a certificate was used"
jq -r .cms_b64 "$T/b" | base64 -d >"$T/agent.p7s"
if openssl cms -verify -binary -inform DER -in "$T/agent.p7s" -content "$T/content.txt" \
  -CAfile "$T/ca.pem" -purpose any -out /dev/null 2>"$T/verify.err"; then
  ok "sign: openssl cms -verify accepts the agent's signature"
else fail "sign: openssl verifies" "$(cat "$T/verify.err")"; fi
openssl cms -cmsout -print -inform DER -in "$T/agent.p7s" >"$T/print.txt" 2>&1
expect_grep 'signingCertificateV2' "$T/print.txt" "sign: signing-certificate-v2 attribute"

sign_req "{\"token\":\"agent-card\",\"content_b64\":\"$B64\"}"
expect_eq 401 "$(cat "$T/code")" "wrong PIN: 401"
expect_eq pin_incorrect "$(jq -r .error.code "$T/b")" "wrong PIN: pin_incorrect"
expect_eq true "$(jq -r .error.pin.count_low "$T/b")" "wrong PIN: the card's count-low flag"
expect_eq null "$(jq -r .error.tries_left "$T/b")" "wrong PIN: tries_left unknown (SoftHSM)"
jq -r .error.message "$T/b" >"$T/msg"
expect_grep 'deneme hakkınızın azaldığını' "$T/msg" "wrong PIN: message on the tries left"
req -H "Origin: $PORTAL" "$URL/v1/tokens"
expect_eq "PIN'i bir kez yanlış girdiniz; dikkat" \
  "$(jq -r '.tokens[] | select(.label=="agent-card") | .warning' "$T/b")" \
  "tokens: the warning after a wrong PIN"
sign_req "{\"token\":\"agent-card\",\"content_b64\":\"$B64\"}"
expect_eq 200 "$(cat "$T/code")" "sign after a wrong PIN, with the right one: 200"

# ---- request errors (none of these asks for a PIN) ---------------------------------------------
sign_req "{\"token\":\"nosuch\",\"content_b64\":\"$B64\"}"
expect_eq 404 "$(cat "$T/code")" "unknown token: 404"
expect_eq token_not_found "$(jq -r .error.code "$T/b")" "unknown token: token_not_found"
sign_req "{\"token\":\"empty-card\",\"content_b64\":\"$B64\"}"
expect_eq no_certificate "$(jq -r .error.code "$T/b")" "card without certificate: no_certificate"
sign_req '{"content_b64":"not base64!"}'
expect_eq 400 "$(cat "$T/code")" "bad base64: 400"
sign_req '{"content_b64":""}'
expect_eq 400 "$(cat "$T/code")" "empty content: 400"
sign_req '{"content":"x"}'
expect_eq bad_request "$(jq -r .error.code "$T/b")" "wrong field: bad_request"
sign_req '{"content_b64":'
expect_eq 400 "$(cat "$T/code")" "broken JSON: 400"
sign_req "{\"content_b64\":\"$B64\",\"pin\":\"123456\"}"
expect_eq 400 "$(cat "$T/code")" "a PIN from the page is refused: 400"
req -X POST -H "Origin: $PORTAL" -H "Content-Type: text/plain" --data-binary "{}" "$URL/v1/sign"
expect_eq 415 "$(cat "$T/code")" "not JSON: 415"
head -c 3200000 /dev/zero | tr '\0' A >"$T/big"
req -X POST -H "Origin: $PORTAL" -H "Content-Type: application/json" --data-binary "@$T/big" \
  "$URL/v1/sign"
expect_eq 413 "$(cat "$T/code")" "too large a body: 413"
req -H "Origin: $PORTAL" "$URL/v1/sign"
expect_eq 405 "$(cat "$T/code")" "GET /v1/sign: 405"
req -H "Origin: $PORTAL" "$URL/v1/nope"
expect_eq 404 "$(cat "$T/code")" "unknown path: 404"
# the PIN lines are used up: the agent cannot ask
sign_req "{\"content_b64\":\"$B64\"}"
expect_eq 503 "$(cat "$T/code")" "no PIN left: 503"
expect_eq pin_unavailable "$(jq -r .error.code "$T/b")" "no PIN left: pin_unavailable"

# ---- graceful stop ----------------------------------------------------------------------------
kill -TERM "$AGENT_PID"
wait "$AGENT_PID"
expect_eq 0 "$?" "SIGTERM: exit 0"
AGENT_PID=
expect_grep 'stopping' "$T/agent.err" "SIGTERM: says it stops"
cat "$T/agent.out" "$T/agent.err" >"$T/agent.log"
expect_no_grep '123456|000000' "$T/agent.log" "the PINs never appear in the agent's output"

# ---- a PIN dialogue nobody answers does not hold the stop; the dialogue shows who asks ------
fake_pinentry "$T/pinentry"
export FAKE_PE_LOG=$T/pe.log
: >"$FAKE_PE_LOG"
EIMZA_PINENTRY=$T/pinentry FAKE_PE_MODE=hang "$EIMZA" agent --module "$MODULE" \
  --listen 127.0.0.1:0 --origin "$PORTAL" >"$T/a3.out" 2>"$T/a3.err" &
AGENT_PID=$!
URL3=
for _ in $(seq 100); do
  URL3=$(sed -n 's/^eimza agent: listening on \(http:[^ ]*\)$/\1/p' "$T/a3.out")
  [ -n "$URL3" ] && break
  sleep 0.1
done
curl -s -o "$T/hang.json" -H "Origin: $PORTAL" -H "Content-Type: application/json" \
  --data-binary "{\"content_b64\":\"$B64\"}" "$URL3/v1/sign" &
CURL_PID=$!
for _ in $(seq 100); do grep -q SETDESC "$FAKE_PE_LOG" && break; sleep 0.1; done
expect_grep "$PORTAL" "$FAKE_PE_LOG" "pinentry: the dialogue names the asking origin"
expect_grep 'SHA-256' "$FAKE_PE_LOG" "pinentry: the dialogue shows the content's fingerprint"
start=$(date +%s)
kill -TERM "$AGENT_PID"
wait "$AGENT_PID"
expect_eq 0 "$?" "SIGTERM during an open PIN dialogue: exit 0"
AGENT_PID=
[ $(($(date +%s) - start)) -le 10 ] && ok "SIGTERM during a PIN dialogue: stops at once" ||
  fail "SIGTERM during a PIN dialogue: stops at once" "took $(($(date +%s) - start)) s"
wait "$CURL_PID"
expect_eq pin_unavailable "$(jq -r .error.code "$T/hang.json" 2>/dev/null)" \
  "the abandoned request ends with pin_unavailable"

# ---- started from the settings file alone (what the user service runs) -------------------------
mkdir -p "$T/xdg/eimza"
printf 'module = %s\norigin = %s\nlisten = 127.0.0.1:0\n' "$MODULE" "$PORTAL" \
  >"$T/xdg/eimza/agent.conf"
chmod 600 "$T/xdg/eimza/agent.conf"
"$EIMZA" agent >"$T/a4.out" 2>"$T/a4.err" &
AGENT_PID=$!
URL4=
for _ in $(seq 100); do
  URL4=$(sed -n 's/^eimza agent: listening on \(http:[^ ]*\)$/\1/p' "$T/a4.out")
  [ -n "$URL4" ] && break
  kill -0 "$AGENT_PID" 2>/dev/null || break
  sleep 0.1
done
[ -n "$URL4" ] && ok "eimza agent with no options: settings from ~/.config/eimza/agent.conf" ||
  fail "eimza agent with no options" "$(cat "$T/a4.err")"
req -H "Origin: $PORTAL" "$URL4/v1/tokens"
expect_eq 200 "$(cat "$T/code")" "settings file: the configured origin is answered"
"$EIMZA" agent --origin http://127.0.0.1:8080 --listen 127.0.0.1:0 >"$T/a5.out" 2>"$T/a5.err" &
A5=$!
for _ in $(seq 100); do grep -q 'listening' "$T/a5.out" && break; sleep 0.1; done
expect_grep "answering $PORTAL" "$T/a5.out" "--origin adds to the file's origins…"
expect_grep "answering http://127.0.0.1:8080" "$T/a5.out" "…and is answered too"
kill -TERM "$A5"; wait "$A5"
stop_agent
AGENT_PID=
chmod 666 "$T/xdg/eimza/agent.conf"
expect_status 1 "a settings file anyone may write: exit 1" "$EIMZA" agent
expect_grep "^eimza: agent: $T/xdg/eimza/agent.conf: settings_file_unsafe: " "$T/err" \
  "world-writable settings: settings_file_unsafe"
expect_grep 'writable by others' "$T/err" "world-writable settings: says why"
rm -f "$T/xdg/eimza/agent.conf"

# ---- the registration hint -------------------------------------------------------------------
expect_status 0 "--register-hint: exit 0" "$EIMZA" agent --register-hint
expect_grep '^MimeType=x-scheme-handler/eimza;$' "$T/out" "hint: the URL scheme's MIME type"
expect_grep "^Exec=.*eimza agent --handle-url %u$" "$T/out" "hint: the handler's Exec line"
expect_grep "^ExecStart=.*eimza agent$" "$T/out" "hint: the user service's command"

# ---- start-up refusals ------------------------------------------------------------------------
for bad in 0.0.0.0:8089 192.168.1.5:8089 example.com:8089 '[::]:8089'; do
  expect_status 1 "--listen $bad refused: exit 1" "$EIMZA" agent --module "$MODULE" \
    --listen "$bad" --origin "$PORTAL"
done
expect_grep '^eimza: agent: --listen: listen_not_loopback: ' "$T/err" "non-loopback: listen_not_loopback"
expect_grep 'loopback only' "$T/err" "non-loopback: says why"
expect_status 1 "--listen without port: exit 1" "$EIMZA" agent --module "$MODULE" \
  --listen 127.0.0.1 --origin "$PORTAL"
expect_status 1 "no --origin: exit 1" "$EIMZA" agent --module "$MODULE" --listen 127.0.0.1:0
expect_status 1 "--origin with a path: exit 1" "$EIMZA" agent --module "$MODULE" \
  --listen 127.0.0.1:0 --origin "$PORTAL/basvuru"
expect_status 1 "--origin not http(s): exit 1" "$EIMZA" agent --module "$MODULE" \
  --listen 127.0.0.1:0 --origin ftp://portal.example
expect_status 1 "no --module: exit 1" "$EIMZA" agent --origin "$PORTAL"
expect_status 1 "unknown option: exit 1" "$EIMZA" agent --module "$MODULE" --origin "$PORTAL" --x
expect_status 2 "missing module: exit 2" "$EIMZA" agent --module "$T/nope.so" \
  --listen 127.0.0.1:0 --origin "$PORTAL"
expect_grep 'module_error' "$T/err" "missing module: module_error"
# a port in use: hold one with a first agent, then ask a second for the same port
"$EIMZA" agent --module "$MODULE" --listen 127.0.0.1:0 --origin "$PORTAL" >"$T/a2.out" 2>&1 &
AGENT_PID=$!
URL2=
for _ in $(seq 100); do
  URL2=$(sed -n 's/^eimza agent: listening on \(http:[^ ]*\)$/\1/p' "$T/a2.out")
  [ -n "$URL2" ] && break
  sleep 0.1
done
expect_status 2 "port in use: exit 2" "$EIMZA" agent --module "$MODULE" \
  --listen "127.0.0.1:${URL2##*:}" --origin "$PORTAL"
stop_agent
AGENT_PID=

finish
