#!/usr/bin/env bash
# eimza — the relay path of the signing agent (`eimza agent --handle-url URL`) against a real
# HTTPS peer: tests/mocks/relay-portal.mjs, a STAND-IN for the portal that behaves like the
# relay contract of docs/INTERFACES.md (the server's endpoints come later). The card is the
# demo SoftHSM2 token with the demo PKI's applicant (scripts/demo-pki.sh, demo-token.sh).
#
# Checked: a ticket is claimed, the content shown, the PIN asked once and the CAdES-BES that
# the portal receives verifies with `openssl cms -verify` against the demo chain; the request
# carries the agent's version and no cookie, the ticket never travels in a URL; the portal's
# certificate is verified (an untrusted CA, a name that does not match, the system's store
# without the demo CA: all refused before anything is sent); a portal not on the allow-list
# (or not https) is never contacted; a reused, expired, unknown or superseded ticket, an old
# agent and a rejected signature each get their code and a Turkish and English message, and
# change nothing; a wrong PIN or a cancel is reported to the portal; redirects and answers
# that are not the contract's are refused; the settings file (allow-list, module, ca_file) and
# its permission check; the dialogues through pinentry (a stand-in speaking Assuan).
# No database: the PostgreSQL run would only repeat the SQLite one.
if [ "${EIMZA_TEST_BACKEND:-sqlite}" = postgresql ]; then
  echo "skipped: needs no database (run once, with the sqlite label)"
  exit 77
fi
source "$EIMZA_SOURCE_DIR/tests/lib.sh"
source "$EIMZA_SOURCE_DIR/tests/sign_token.sh"
for c in curl jq node; do
  command -v "$c" >/dev/null || { echo "FAIL: $c is needed (scripts/deps.txt)"; exit 1; }
done
sign_setup # skips without SoftHSM2/OpenSC; sets MODULE

# ---- the demo PKI and card -------------------------------------------------------------------
printf '10000000214\tapplicant\t45\tAyşegül Işık\n' >"$T/spec.tsv"
bash "$SRC/scripts/demo-pki.sh" "$T/pki" "$T/spec.tsv" >/dev/null ||
  { echo "FAIL: demo-pki.sh"; exit 1; }
bash "$SRC/scripts/demo-token.sh" "$T/hsm" "$T/pki" >/dev/null || { echo "FAIL: demo-token.sh"; exit 1; }
export SOFTHSM2_CONF=$T/hsm/softhsm2.conf

# ---- TLS: a CA for the portal, its certificate for 127.0.0.1, and a CA nobody trusts ---------
tls_ca() { # tls_ca NAME
  openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes -keyout "$T/$1.key" \
    -out "$T/$1.pem" -days 2 -subj "/CN=eimza test $1" \
    -addext "basicConstraints=critical,CA:TRUE" -addext "keyUsage=critical,keyCertSign" 2>/dev/null
}
tls_ca portal-ca
tls_ca other-ca
openssl req -new -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes -keyout "$T/portal.key" \
  -subj "/CN=127.0.0.1" -out "$T/portal.csr" 2>/dev/null
printf 'subjectAltName=IP:127.0.0.1\nbasicConstraints=CA:FALSE\nextendedKeyUsage=serverAuth\n' \
  >"$T/portal.ext"
openssl x509 -req -in "$T/portal.csr" -CA "$T/portal-ca.pem" -CAkey "$T/portal-ca.key" \
  -CAcreateserial -CAserial "$T/portal-ca.srl" -days 2 -extfile "$T/portal.ext" \
  -out "$T/portal.pem" 2>/dev/null || { echo "FAIL: the portal's certificate"; exit 1; }

# ---- the stand-in portal ---------------------------------------------------------------------
PEER_PID=
AGENT_PID=
stop_all() {
  [ -n "$PEER_PID" ] && kill -TERM "$PEER_PID" 2>/dev/null && wait "$PEER_PID" 2>/dev/null
  [ -n "$AGENT_PID" ] && kill -TERM "$AGENT_PID" 2>/dev/null && wait "$AGENT_PID" 2>/dev/null
}
trap 'stop_all; cleanup' EXIT
node "$SRC/tests/mocks/relay-portal.mjs" --key "$T/portal.key" --cert "$T/portal.pem" \
  --out "$T/peer" >"$T/peer.out" 2>"$T/peer.err" &
PEER_PID=$!
PORTAL=
for _ in $(seq 100); do
  PORTAL=$(sed -n 's/^relay-portal: listening on \(https:[^ ]*\)$/\1/p' "$T/peer.out")
  [ -n "$PORTAL" ] && break
  kill -0 "$PEER_PID" 2>/dev/null || break
  sleep 0.1
done
[ -n "$PORTAL" ] || { echo "FAIL: the stand-in portal did not start: $(cat "$T/peer.err")"; exit 1; }
PORT=${PORTAL##*:}
ok "stand-in portal at $PORTAL"
REQS=$T/peer/requests.jsonl
PEERCURL=(curl -s --cacert "$T/portal-ca.pem")

# The agent's settings: this portal, the demo card's module, the demo CA for its HTTPS.
CONF=$T/agent.conf
printf '# test settings\nmodule = %s\norigin = %s\nca_file = %s\n' "$MODULE" "$PORTAL" \
  "$T/portal-ca.pem" >"$CONF"
chmod 600 "$CONF"

# session [JSON]: a new session at the stand-in (its options in JSON); sets COOKIE, CSRF, NUMBER
session() {
  "${PEERCURL[@]}" -X POST -H 'Content-Type: application/json' --data-binary "${1:-{\}}" \
    "$PORTAL/_test/session" >"$T/session.json"
  COOKIE=$(jq -r .cookie "$T/session.json")
  CSRF=$(jq -r .csrf "$T/session.json")
  NUMBER=$(jq -r .number "$T/session.json")
}
# ticket: a ticket for the session, as the page gets it (the contract's endpoint); sets URL
ticket() {
  "${PEERCURL[@]}" -X POST -H "Cookie: eimza_session=$COOKIE" -H "X-CSRF-Token: $CSRF" \
    "$PORTAL/api/v1/application/sign-ticket" >"$T/ticket.json"
  URL=$(jq -r .url "$T/ticket.json")
}
ticket_state() { # the session's latest ticket as the page polls it: state and error code
  "${PEERCURL[@]}" -H "Cookie: eimza_session=$COOKIE" "$PORTAL/api/v1/application/sign-ticket" |
    jq -r '.state + " " + (.error.code // "-")'
}
reqs() { [ -f "$REQS" ] && wc -l <"$REQS" || echo 0; }
# handle PINS ARGS...: runs the agent on $URL with one PIN line per signature in PINS
handle() {
  local pins=$1; shift
  printf '%s' "$pins" >"$T/pins"
  "$EIMZA" agent --config "$CONF" --handle-url "$URL" --pin-fd 3 "$@" 3<"$T/pins" \
    >"$T/out" 2>"$T/err"
  echo $? >"$T/rc"
}
rc() { cat "$T/rc"; }

# ---- the success path --------------------------------------------------------------------------
session
ticket
expect_grep "^eimza://sign\?ticket=[A-Za-z0-9_-]{43}&portal=$PORTAL$" <(echo "$URL") \
  "the ticket's URL is the contract's"
handle $'123456\n'
expect_eq 0 "$(rc)" "signed and accepted: exit 0"
expect_grep "application $NUMBER signed and accepted by $PORTAL" "$T/out" "success line on stdout"
expect_eq "submitted -" "$(ticket_state)" "the page's poll: submitted"
expect_grep "BAŞVURU NO: $NUMBER" "$T/err" "the content shown before the PIN was read"
expect_grep "İmzalatmak isteyen: $PORTAL \(başvuru $NUMBER\)" "$T/err" "who asks, shown"
SIG=$T/peer/signature-$NUMBER.p7s
if openssl cms -verify -binary -inform DER -in "$SIG" -content "$T/peer/content-$NUMBER.txt" \
  -CAfile "$T/pki/chain.pem" -purpose any -signer "$T/signer.pem" -out /dev/null 2>"$T/v.err"; then
  ok "openssl cms -verify accepts the CMS against the demo chain"
else fail "openssl cms -verify" "$(cat "$T/v.err")"; fi
fp() { openssl x509 -in "$1" -noout -fingerprint -sha256; }
expect_eq "$(fp "$T/pki/applicant/cert.pem")" "$(fp "$T/signer.pem")" "signed with the card's certificate"
openssl cms -cmsout -print -inform DER -in "$SIG" >"$T/print.txt" 2>&1
expect_grep 'signingCertificateV2' "$T/print.txt" "CAdES-BES: signing-certificate-v2"
jq -s -c '[.[] | select(.path|startswith("/api/v1/relay/"))]' "$REQS" >"$T/relay.json"
expect_eq '["/api/v1/relay/claim","/api/v1/relay/signature"]' "$(jq -c '[.[].path]' "$T/relay.json")" \
  "claim, then signature: no ticket in any URL"
expect_eq '[["ticket"],["claim","cms_b64","ticket"]]' "$(jq -c '[.[].body_keys]' "$T/relay.json")" \
  "the bodies: {ticket}, then {ticket, claim, cms_b64}"
VERSION=$("$EIMZA" --version | awk '{print $2}')
expect_eq "[\"$VERSION\",\"$VERSION\"]" "$(jq -c '[.[].agent]' "$T/relay.json")" \
  "every relay request carries X-Eimza-Agent: the version"
expect_eq '[false,false]' "$(jq -c '[.[].cookie]' "$T/relay.json")" "no cookie is sent"
expect_grep "^eimza-agent/$VERSION" <(jq -r '.[0].user_agent' "$T/relay.json") "User-Agent names the agent"
expect_eq submitted "$(jq -r '.[-1].state' <("${PEERCURL[@]}" "$PORTAL/_test/tickets"))" \
  "the stand-in holds the ticket as submitted"
expect_eq "[\"$VERSION\"]" "$("${PEERCURL[@]}" "$PORTAL/_test/tickets" | jq -c '[.[-1].agent_version]')" \
  "the portal knows the agent's version"

# ---- a ticket is single-use --------------------------------------------------------------------
n0=$(reqs)
handle $'123456\n'
expect_eq 5 "$(rc)" "the same ticket again: exit 5 (refused)"
expect_grep '^eimza agent: ticket_used: ' "$T/err" "reused ticket: ticket_used"
expect_grep 'daha önce kullanıldı' "$T/err" "reused ticket: in Turkish"
expect_grep 'already used' "$T/err" "reused ticket: and in English"
expect_eq $((n0 + 1)) "$(reqs)" "reused ticket: one claim, nothing else"
expect_no_grep 'İmzalanacak içerik' "$T/err" "reused ticket: no PIN asked, nothing shown"

# ---- expired, unknown (or another portal's), superseded ---------------------------------------
session '{"ticket_ttl_ms":1}'
ticket
sleep 0.1
handle $'123456\n'
expect_eq 5 "$(rc)" "expired ticket: exit 5"
expect_grep '^eimza agent: ticket_expired: .*süresi doldu' "$T/err" "expired: ticket_expired, Turkish"
expect_grep 'has expired' "$T/err" "expired: English"
expect_eq "expired -" "$(ticket_state)" "expired: nothing changed at the portal"

session
ticket
good_url=$URL
URL="eimza://sign?ticket=AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA&portal=$PORTAL"
handle $'123456\n'
expect_eq 5 "$(rc)" "unknown ticket: exit 5"
expect_grep '^eimza agent: ticket_unknown: ' "$T/err" "unknown ticket: ticket_unknown"
expect_eq "issued -" "$(ticket_state)" "unknown ticket: the session's ticket is untouched"

ticket # a newer ticket for the same session supersedes the one before
URL=$good_url
handle $'123456\n'
expect_eq 5 "$(rc)" "superseded ticket: exit 5"
expect_grep '^eimza agent: ticket_superseded: ' "$T/err" "superseded: ticket_superseded"

# ---- the allow-list: never contacted ----------------------------------------------------------
session
ticket
n0=$(reqs)
printf 'module = %s\norigin = https://eimza.meb.gov.tr\nca_file = %s\n' "$MODULE" \
  "$T/portal-ca.pem" >"$T/other.conf"
chmod 600 "$T/other.conf"
"$EIMZA" agent --config "$T/other.conf" --handle-url "$URL" --pin-fd 3 3</dev/null \
  >"$T/out" 2>"$T/err"
expect_eq 3 "$?" "portal not on the allow-list: exit 3"
expect_grep "^eimza agent: portal_not_allowed: .*\($PORTAL\)" "$T/err" \
  "not allowed: portal_not_allowed names the portal"
expect_grep 'does not serve' "$T/err" "not allowed: English"
expect_eq "$n0" "$(reqs)" "not allowed: the portal was never contacted"
URL_HTTP="eimza://sign?ticket=$(jq -r .ticket "$T/ticket.json")&portal=http://127.0.0.1:$PORT"
"$EIMZA" agent --config "$CONF" --origin "http://127.0.0.1:$PORT" --handle-url "$URL_HTTP" \
  --pin-fd 3 3</dev/null >"$T/out" 2>"$T/err"
expect_eq 3 "$?" "an http portal, even when allowed: exit 3"
expect_grep '^eimza agent: portal_not_https: ' "$T/err" "http: portal_not_https"
expect_eq "$n0" "$(reqs)" "http: never contacted"
# the origin must match exactly: another port, or the portal as a prefix of a name
for other in "https://127.0.0.1:$((PORT + 1))" "https://127.0.0.1.evil.example:$PORT"; do
  URL_O="eimza://sign?ticket=$(jq -r .ticket "$T/ticket.json")&portal=$other"
  "$EIMZA" agent --config "$CONF" --handle-url "$URL_O" --pin-fd 3 3</dev/null >"$T/out" 2>"$T/err"
  expect_eq 3 "$?" "portal $other: exit 3"
done
expect_eq "issued -" "$(ticket_state)" "the ticket is untouched by all of that"

# ---- TLS: the portal's certificate is verified --------------------------------------------------
n0=$(reqs)
handle $'123456\n' --ca-file "$T/other-ca.pem"
expect_eq 4 "$(rc)" "a CA that did not sign the portal's certificate: exit 4"
expect_grep '^eimza agent: tls_failed: .*kimliği doğrulanamadı' "$T/err" "untrusted: tls_failed, Turkish"
expect_grep 'could not be verified' "$T/err" "untrusted: English"
printf 'module = %s\norigin = %s\n' "$MODULE" "$PORTAL" >"$T/nocafile.conf"
chmod 600 "$T/nocafile.conf"
"$EIMZA" agent --config "$T/nocafile.conf" --handle-url "$URL" --pin-fd 3 3</dev/null \
  >"$T/out" 2>"$T/err"
expect_eq 4 "$?" "the system's store, which does not hold the demo CA: exit 4"
expect_grep '^eimza agent: tls_failed: ' "$T/err" "system store: tls_failed"
URL_LH="eimza://sign?ticket=$(jq -r .ticket "$T/ticket.json")&portal=https://localhost:$PORT"
"$EIMZA" agent --config "$CONF" --origin "https://localhost:$PORT" --handle-url "$URL_LH" \
  --pin-fd 3 3</dev/null >"$T/out" 2>"$T/err"
expect_eq 4 "$?" "a certificate for 127.0.0.1 reached as localhost: exit 4"
expect_grep '^eimza agent: tls_failed: ' "$T/err" "name mismatch: tls_failed"
expect_eq "$n0" "$(reqs)" "TLS refusals: no request reached the portal"
expect_eq "issued -" "$(ticket_state)" "TLS refusals: the ticket is untouched"

# ---- the card side fails: the portal is told, the page can say it ------------------------------
handle $'000000\n'
expect_eq 2 "$(rc)" "wrong PIN: exit 2"
expect_grep '^eimza agent: pin_incorrect: PIN yanlış' "$T/err" "wrong PIN: the card's Turkish words"
expect_grep 'Wrong PIN' "$T/err" "wrong PIN: English"
expect_grep 'the portal was told \(pin_incorrect\)' "$T/err" "wrong PIN: reported"
expect_eq "cancelled pin_incorrect" "$(ticket_state)" "wrong PIN: the page learns pin_incorrect"
expect_eq 1 "$(grep -c '"/api/v1/relay/cancel"' "$REQS")" "one cancel sent"
session
ticket
handle $'123456\n' --module "$T/nope.so"
expect_eq 2 "$(rc)" "the module does not load: exit 2"
expect_eq "cancelled module_error" "$(ticket_state)" "module error: reported to the page"

# ---- the portal refuses ------------------------------------------------------------------------
session '{"reject_signature":"signature_invalid"}'
ticket
handle $'123456\n'
expect_eq 5 "$(rc)" "the signature rejected: exit 5"
expect_grep '^eimza agent: signature_invalid: İmza doğrulanamadı' "$T/err" \
  "rejected: the product's Turkish message for signature_invalid"
expect_eq "refused signature_invalid" "$(ticket_state)" "rejected: the page learns it"
session '{"min_agent_version":"999.0"}'
ticket
handle $'123456\n'
expect_eq 5 "$(rc)" "an old agent: exit 5"
expect_grep '^eimza agent: agent_outdated: .*en az 999\.0 sürümü' "$T/err" \
  "old agent: agent_outdated names the version needed"
expect_grep 'version 999\.0 or later' "$T/err" "old agent: English"
expect_eq "issued -" "$(ticket_state)" "old agent: the ticket is untouched"

# ---- answers that are not the contract's -------------------------------------------------------
for mode in redirect not_json bad_hash; do
  session "{\"claim_answer\":\"$mode\"}"
  ticket
  handle $'123456\n'
  expect_eq 4 "$(rc)" "claim answered with $mode: exit 4"
  expect_grep '^eimza agent: portal_bad_answer: ' "$T/err" "$mode: portal_bad_answer"
  expect_no_grep 'İmzalanacak içerik' "$T/err" "$mode: nothing shown, nothing signed"
done
kill -0 "$PEER_PID" && ok "the stand-in still runs"
URL="eimza://sign?ticket=$(jq -r .ticket "$T/ticket.json")&portal=https://127.0.0.1:$(free_port)"
"$EIMZA" agent --config "$CONF" --origin "${URL##*portal=}" --handle-url "$URL" --pin-fd 3 \
  3</dev/null >"$T/out" 2>"$T/err"
expect_eq 4 "$?" "nobody listens: exit 4"
expect_grep '^eimza agent: portal_unreachable: ' "$T/err" "nobody listens: portal_unreachable"

# ---- malformed URLs: exit 1, nothing contacted ---------------------------------------------------
n0=$(reqs)
T43=AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA
for bad in "https://127.0.0.1:$PORT/" "eimza://sign?portal=$PORTAL" "eimza://sign?ticket=$T43" \
  "eimza://sign?ticket=short&portal=$PORTAL" "eimza://sign?ticket=$T43&portal=$PORTAL/imza" \
  "eimza://sign?ticket=$T43&ticket=$T43&portal=$PORTAL" "eimza://other?ticket=$T43&portal=$PORTAL" \
  "eimza://sign?ticket=$T43&portal=$PORTAL#x" "eimza://sign?ticket=A%00$T43&portal=$PORTAL"; do
  expect_status 1 "malformed URL refused: $bad" "$EIMZA" agent --config "$CONF" --handle-url "$bad" \
    --pin-fd 0
done
expect_grep '^eimza agent: url_invalid: ' "$T/err" "malformed: url_invalid"
expect_eq "$n0" "$(reqs)" "malformed: nothing contacted"
# the portal percent-encoded is the same URL
session
ticket
ENC="eimza://sign?portal=https%3A%2F%2F127.0.0.1%3A$PORT&ticket=$(jq -r .ticket "$T/ticket.json")"
URL=$ENC
handle $'123456\n'
expect_eq 0 "$(rc)" "percent-encoded portal, parameters in another order: signed"

# ---- the settings file ---------------------------------------------------------------------------
session
ticket
chmod 664 "$CONF"
handle $'123456\n'
expect_eq 1 "$(rc)" "a settings file others may write: exit 1"
expect_grep 'writable by others' "$T/err" "group-writable settings: says why"
chmod 600 "$CONF"
printf 'origin = %s\nfoo = bar\n' "$PORTAL" >"$T/bad.conf"
chmod 600 "$T/bad.conf"
expect_status 1 "unknown setting: exit 1" "$EIMZA" agent --config "$T/bad.conf" --handle-url "$URL"
expect_grep "bad.conf:2: unknown setting 'foo'" "$T/err" "unknown setting: file:line"
expect_status 1 "missing --config file: exit 1" "$EIMZA" agent --config "$T/none.conf" \
  --handle-url "$URL"
# the person's own file (XDG_CONFIG_HOME) adds to the machine's; no --config here
mkdir -p "$T/xdg/eimza"
cp "$CONF" "$T/xdg/eimza/agent.conf"
chmod 600 "$T/xdg/eimza/agent.conf"
printf '123456\n' >"$T/pins"
XDG_CONFIG_HOME=$T/xdg "$EIMZA" agent --handle-url "$URL" --pin-fd 3 3<"$T/pins" >"$T/out" 2>"$T/err"
expect_eq 0 "$?" "settings from \$XDG_CONFIG_HOME/eimza/agent.conf: signed"
expect_eq "submitted -" "$(ticket_state)" "XDG settings: submitted"

# ---- the dialogues through pinentry (a stand-in speaking Assuan) ------------------------------
fake_pinentry "$T/pinentry"
export FAKE_PE_LOG=$T/pe.log
session
ticket
: >"$FAKE_PE_LOG"
EIMZA_PINENTRY=$T/pinentry FAKE_PE_PIN=123456 "$EIMZA" agent --config "$CONF" --handle-url "$URL" \
  >"$T/out" 2>"$T/err"
expect_eq 0 "$?" "PIN through pinentry: signed"
expect_grep "^SETDESC .*eimza-demo" "$FAKE_PE_LOG" "the PIN dialogue names the card"
expect_grep "İmzalatmak isteyen: $PORTAL \(başvuru $NUMBER\)" "$FAKE_PE_LOG" \
  "the PIN dialogue names the portal and the application"
expect_grep "AD: AYŞEGÜL%0ASOYAD: IŞIK" "$FAKE_PE_LOG" "the PIN dialogue shows the content"
expect_grep "^GETPIN" "$FAKE_PE_LOG" "the PIN was asked once"
expect_eq 1 "$(grep -c '^GETPIN' "$FAKE_PE_LOG")" "…only once"
expect_no_grep '^MESSAGE' "$FAKE_PE_LOG" "no message after a success"

session
ticket
: >"$FAKE_PE_LOG"
EIMZA_PINENTRY=$T/pinentry FAKE_PE_MODE=cancel "$EIMZA" agent --config "$CONF" --handle-url "$URL" \
  >"$T/out" 2>"$T/err"
expect_eq 2 "$?" "cancelled in the PIN dialogue: exit 2"
expect_eq "cancelled cancelled" "$(ticket_state)" "cancelled: the page learns it"
expect_no_grep '^MESSAGE' "$FAKE_PE_LOG" "cancelled: no second dialogue to say so"

: >"$FAKE_PE_LOG"
EIMZA_PINENTRY=$T/pinentry "$EIMZA" agent --config "$CONF" --handle-url "$URL" >"$T/out" 2>"$T/err"
expect_eq 5 "$?" "the used ticket through the desktop: exit 5"
expect_grep '^MESSAGE' "$FAKE_PE_LOG" "an error is shown in a dialogue"
expect_grep "^SETDESC .*daha önce kullanıldı.*%0A%0A.*already used" "$FAKE_PE_LOG" \
  "the dialogue says it in Turkish, then English"

# ---- nothing secret in the output --------------------------------------------------------------
TICKET=$(jq -r .ticket "$T/ticket.json")
cat "$T/out" "$T/err" "$T/peer.out" "$T/peer.err" >"$T/all.log"
expect_no_grep "$TICKET" "$T/all.log" "the ticket is never printed"
expect_no_grep '123456' "$T/err" "the PIN is never printed"

finish
