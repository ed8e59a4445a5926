#!/usr/bin/env bash
# eimza — signing through the relay, end to end: the real `eimza serve` over HTTPS (its own
# TLS, a certificate from a test CA) and the real agent (`eimza agent --handle-url URL`, as the
# desktop runs it) with SoftHSM2 cards holding demo-PKI certificates, against a real demo PKI
# and `openssl ocsp` responder. Both backends.
#
# The server's side (docs/INTERFACES.md, "Signing through the relay"): a ticket is issued to a
# session (Bearer, or cookie + CSRF) for its application only, and its URL is the contract's;
# the agent claims it, shows what is signed, asks the PIN once, and the signature submits the
# application with the same evidence and audit as the page's upload; the page's poll follows
# every state. Tickets are single-use (a used one refused, nothing changed), short-lived (an
# expired ticket and an expired claim refused), bound to one session (another session never
# sees it; a logged-out session's ticket is refused) and superseded by the next one; a wrong
# claim is refused and counted, and an address naming unknown tickets is locked out; a too old
# agent is refused (426 with the version); a signature the check refuses ends the ticket with
# its code; two signatures racing for one ticket are checked once; the agent's answers carry
# no cookie; no ticket or claim is ever logged or audited.
# The agent's side: the allow-list (a portal not on it, or not https, never contacted), the
# portal's certificate verified (another CA, the system's store, a wrong name), malformed URLs,
# the settings files (permissions, XDG), the dialogues through pinentry, a wrong PIN or a
# cancel reported to the page, and answers that are not the contract's (a redirect, not JSON,
# a wrong digest: nginx playing a broken portal) refused before anything is shown or signed.
source "$EIMZA_SOURCE_DIR/tests/lib.sh"
source "$EIMZA_SOURCE_DIR/tests/sign_token.sh"
for c in curl jq openssl nginx base64 sha256sum; do
  command -v "$c" >/dev/null || { echo "FAIL: $c is needed (scripts/deps.txt)"; exit 1; }
done
sign_setup # skips without SoftHSM2/OpenSC; sets MODULE

HA=10000000214 # the card's own holder (demo-pki "applicant"): the agent's success path
HB=10000000382 # a second holder with a card of her own: failures, then pinentry and XDG
HC=10000000450 # a third: curl plays the agent (claims, wrong claims, a race)
HD=10000000528 # a fourth: expiry, the agent's refusals before any contact, logout, the limits
H='tckn;ad;soyad;dogum_yeri;dogum_tarihi;kurum_kodu;kurum_adi;il_kodu;ilce;birim;unvan;gorev_durumu;gorevlendirme_bitis;eimza_hakki;eposta;cep_telefonu'
DB=$(new_db) || exit 1
source "$SRC/tests/portal_lib.sh"

# ---- the demo PKI, its OCSP responder, two cards ----------------------------------------------
OPORT=$(free_port) || { fail "a free port for the OCSP responder"; finish; }
printf '%s\tapplicant\t45\tAyşegül Işık\n%s\tactive\t50\tİsmail Güneş\n%s\tactive\t60\tZeynep Kaya\n%s\tactive\t70\tEmre Aydın\n' \
  $HA $HB $HC $HD >"$T/spec.tsv"
EIMZA_PKI_PORT=$OPORT bash "$SRC/scripts/demo-pki.sh" "$T/pki" "$T/spec.tsv" >"$T/pki.out" 2>&1 ||
  { fail "demo-pki.sh" "$(tail -5 "$T/pki.out")"; finish; }
P=$T/pki
bash "$SRC/scripts/demo-token.sh" "$T/hsmA" "$P" >/dev/null || { fail "demo-token.sh (A)"; finish; }
mkdir -p "$T/pkiB/applicant"
cp "$P/keys/holders.key" "$T/pkiB/applicant/key.pem"
cp "$P/holders/$HB.pem" "$T/pkiB/applicant/cert.pem"
bash "$SRC/scripts/demo-token.sh" "$T/hsmB" "$T/pkiB" >/dev/null || { fail "demo-token.sh (B)"; finish; }
CARD_A=$T/hsmA/softhsm2.conf CARD_B=$T/hsmB/softhsm2.conf
export SOFTHSM2_CONF=$CARD_A
mkdir -p "$T/trust"
cp "$P/root/root.pem" "$P/nes/nes.pem" "$T/trust/"
openssl ocsp -index "$P/nes/index.txt" -port "$OPORT" -rsigner "$P/ocsp/ocsp.pem" \
  -rkey "$P/ocsp/ocsp.key" -CA "$P/nes/nes.pem" -nmin 10 >"$T/ocsp.log" 2>&1 &
OPID=$!

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
  -out "$T/portal.pem" 2>/dev/null || { fail "the portal's certificate"; finish; }
export CURL_CA_BUNDLE=$T/portal-ca.pem # every curl of this test trusts the portal's CA

# ---- the database and the servers ---------------------------------------------------------------
expect_status 0 "migrate" "$EIMZA" migrate --db "$DB"
{
  echo "$H"
  echo "$HA;Ayşegül;Işık;Batman;1980-03-15;720001;Batman İl Milli Eğitim Müdürlüğü;72;Merkez;Eğitim;Öğretmen;aktif;;1;ayse@meb.gov.tr;0532 123 45 67"
  echo "$HB;İsmail;Güneş;Van;1990-06-30;650001;Van Lisesi;65;Merkez;Eğitim;Öğretmen;aktif;;1;ismail@meb.gov.tr;0544 111 22 33"
  echo "$HC;Zeynep;Kaya;Siirt;1985-02-20;560002;Siirt Anadolu Lisesi;56;Merkez;Eğitim;Öğretmen;aktif;;1;zeynep@meb.gov.tr;0545 222 33 44"
  echo "$HD;Emre;Aydın;Muş;1982-11-05;490001;Muş Lisesi;49;Merkez;Eğitim;Öğretmen;aktif;;1;emre@meb.gov.tr;0546 333 44 55"
} >"$T/p.csv"
expect_status 0 "import personnel" "$EIMZA" import personnel "$T/p.csv" --db "$DB"
expect_status 0 "import the holders' certificates" "$EIMZA" import certificates "$P/holders.pem" --db "$DB"
for _ in $(seq 1 100); do # the OCSP responder answers
  openssl ocsp -issuer "$P/nes/nes.pem" -cert "$P/holders/$HA.pem" -url "http://127.0.0.1:$OPORT/ocsp" \
    -CAfile "$P/chain.pem" >/dev/null 2>&1 && break
  sleep 0.1
done

# serve NAME [key = value...]: a server over HTTPS on a port of its own, sharing the database;
# sets URL_<NAME> (and, as start_server does, PID, URL, SERR).
PIDS=()
serve() {
  local name=$1 port conf
  shift
  port=$(free_port)
  conf=$T/$name.conf
  printf 'tls_cert = %s\ntls_key = %s\nportal_url = https://127.0.0.1:%s/\n' "$T/portal.pem" \
    "$T/portal.key" "$port" >"$conf"
  for kv in "$@"; do echo "$kv" >>"$conf"; done
  start_server -- --dev --listen "127.0.0.1:$port" --db "$DB" --trust-dir "$T/trust" --config "$conf" ||
    { fail "server $name starts" "$(head -c 1000 "$SERR")"; finish; }
  PIDS+=("$PID")
  printf -v "URL_$name" '%s' "$URL"
}
NGINX_PID=
trap 'for p in "${PIDS[@]}"; do kill -TERM "$p" 2>/dev/null; done; kill "$OPID" 2>/dev/null
      [ -n "$NGINX_PID" ] && kill -QUIT "$NGINX_PID" 2>/dev/null; cleanup' EXIT
serve E "sign_ticket_ttl = 4" "sign_claim_ttl = 1" # short lives, for the expiry tests
serve V "agent_min_version = 999.0"               # every agent is too old for it
serve S                                           # the portal: last, so PID and SERR are its
PORTAL=$URL_S
expect_grep '^https://127\.0\.0\.1:[0-9]+$' <(echo "$PORTAL") "eimza serve speaks HTTPS itself"

# The agent's settings: the main portal, the demo card's module, the portal's CA.
CONF=$T/agent.conf
printf '# test settings\nmodule = %s\norigin = %s\nca_file = %s\n' "$MODULE" "$PORTAL" \
  "$T/portal-ca.pem" >"$CONF"
chmod 600 "$CONF"

form() { # PLATE
  echo "{\"security_word\":\"Gizli Sözcük\",\"security_word_repeat\":\"Gizli Sözcük\",\"address\":\"Okul Sok. 1\",\"postal_code\":\"${1}100\",\"mobile_operator\":\"vodafone\"}"
}
# person TCKN FIRST LAST PLACE DATE PLATE: logs in (a session of its own), walks the
# application to the signing step, chooses the e-signature; sets TOKEN, CSRF, B, NUMBER.
person() {
  to_signing "$1" "$2" "$3" "$4" "$5" "$(form "$6")" || finish
  json POST /api/v1/application/method '{"method":"esign"}' "${B[@]}"
  [ "$CODE" = 200 ] || { fail "method esign" "$CODE $(head -c 300 "$T/b")"; finish; }
}
# ticket [SERVER-URL]: a ticket for the current session ($B), as the page asks for it; sets
# CODE, URL_T (the eimza: URL), TICKET
ticket() {
  CODE=$(curl -s -o "$T/ticket.json" -D "$T/ticket.h" -w '%{http_code}' -X POST \
    -H 'Content-Type: application/json' --data-binary '{}' "${B[@]}" \
    "${1:-$PORTAL}/api/v1/application/sign-ticket")
  URL_T=$(jq -r .url "$T/ticket.json")
  TICKET=$(jq -r .ticket "$T/ticket.json")
}
tstate() { # the session's ticket as the page polls it: "state error-code"
  curl -s "${B[@]}" "$PORTAL/api/v1/application/sign-ticket" | jq -r '.state + " " + (.error.code // "-")'
}
app_state() { curl -s "${B[@]}" "$PORTAL/api/v1/application/status" | jq -r .state; }
# handle PINS ARGS...: the agent on $URL_T with one PIN line per signature in PINS
handle() {
  local pins=$1
  shift
  printf '%s' "$pins" >"$T/pins"
  "$EIMZA" agent --config "$CONF" --handle-url "$URL_T" --pin-fd 3 "$@" 3<"$T/pins" \
    >"$T/out" 2>"$T/err"
  echo $? >"$T/rc"
}
rc() { cat "$T/rc"; }
# relay STEP JSON [SERVER]: the agent's request, played by curl (X-Eimza-Agent: $AGENT_VERSION
# unless that is empty); answer in $T/r, headers in $T/rh, status in RCODE
AGENT_VERSION=0.1.0
relay() {
  local v=()
  [ -n "$AGENT_VERSION" ] && v=(-H "X-Eimza-Agent: $AGENT_VERSION")
  RCODE=$(curl -s -o "$T/r" -D "$T/rh" -w '%{http_code}' -X POST -H 'Content-Type: application/json' \
    "${v[@]}" --data-binary "$2" "${3:-$PORTAL}/api/v1/relay/$1")
}
rcode() { echo "$RCODE $(jq -r .error.code "$T/r")"; }
audit() { sql "SELECT action || ' ' || object || ' ' || coalesce(detail, '') FROM audit_log ORDER BY seq"; }
sha() { printf '%s' "$1" | sha256sum | cut -c1-64; }
VERSION=$("$EIMZA" --version | awk '{print $2}')
SECRETS=() # every ticket and claim this test saw: none may be in a log

# ---- A: the page's side, issuing --------------------------------------------------------------
person $HA Ayşegül Işık Batman 1980-03-15 72
NA=$NUMBER BA=("${B[@]}") TOKEN_A=$TOKEN CSRF_A=$CSRF
ticket
SECRETS+=("$TICKET")
expect_eq 201 "$CODE" "a ticket for a session whose application waits for its e-signature: 201"
expect_grep "^eimza://sign\?ticket=[A-Za-z0-9_-]{43}&portal=$PORTAL$" <(echo "$URL_T") \
  "the URL is the contract's, with the portal's origin from portal_url"
expect_eq "$PORTAL 120 1500" "$(jq -r '"\(.portal) \(.expires_in) \(.poll_ms)"' "$T/ticket.json")" \
  "portal, lifetime (sign_ticket_ttl) and poll interval"
expect_no_grep "^[Ss]et-[Cc]ookie" "$T/ticket.h" "no cookie set by the ticket's answer"
expect_eq "issued -" "$(tstate)" "the page's poll: issued"
expect_eq 0 "$(sql "SELECT count(*) FROM sign_tickets WHERE ticket_hash = '$TICKET'")" \
  "the ticket itself is not stored…"
expect_eq 1 "$(sql "SELECT count(*) FROM sign_tickets WHERE ticket_hash = '$(sha "$TICKET")'")" \
  "…only its SHA-256"
CODE=$(curl -s -o "$T/b" -w '%{http_code}' -X POST -H "Cookie: eimza_session=$TOKEN_A" \
  -H 'Content-Type: application/json' --data-binary '{}' "$PORTAL/api/v1/application/sign-ticket")
expect_eq "403 csrf_invalid" "$CODE $(jb .error.code)" "a cookie without the CSRF token: 403 csrf_invalid"
CODE=$(curl -s -o "$T/b" -w '%{http_code}' -X POST -H "Cookie: eimza_session=$TOKEN_A" \
  -H "X-CSRF-Token: $CSRF_A" -H 'Content-Type: application/json' --data-binary '{}' \
  "$PORTAL/api/v1/application/sign-ticket")
expect_eq 201 "$CODE" "cookie + CSRF token: 201"
CODE=$(curl -s -o "$T/b" -w '%{http_code}' -X POST -H 'Content-Type: application/json' \
  --data-binary '{}' "$PORTAL/api/v1/application/sign-ticket")
expect_eq "401 session_required" "$CODE $(jb .error.code)" "no session: 401"
CODE=$(curl -s -o "$T/b" -w '%{http_code}' -X POST "${BA[@]}" -H 'Content-Type: text/plain' \
  --data-binary 'x' "$PORTAL/api/v1/application/sign-ticket")
expect_eq 415 "$CODE" "a body that is not JSON: 415"

# ---- A: the agent's success path, then the same ticket again ----------------------------------
ticket
SECRETS+=("$TICKET")
handle $'123456\n'
expect_eq 0 "$(rc)" "signed and accepted: exit 0"
expect_grep "application $NA signed and accepted by $PORTAL" "$T/out" "success line on stdout"
expect_grep "BAŞVURU NO: $NA" "$T/err" "the content shown before the PIN was read"
expect_grep "İmzalatmak isteyen: $PORTAL \(başvuru $NA\)" "$T/err" "who asks, shown"
curl -s "${B[@]}" "$PORTAL/api/v1/application/sign-ticket" >"$T/poll.json"
expect_eq "submitted $NA $VERSION null" "$(jq -r '"\(.state) \(.number) \(.agent_version) \(.error)"' "$T/poll.json")" \
  "the page's poll: submitted, the number, the agent's version (X-Eimza-Agent)"
expect_eq submitted "$(app_state)" "the application is submitted"
expect_status 0 "evidence export" "$EIMZA" evidence export "$NA" --out "$T/export" --db "$DB"
openssl cms -verify -binary -inform DER -in "$T/export/signature.p7s" -content "$T/export/content.txt" \
  -CAfile "$P/chain.pem" -purpose any -out /dev/null 2>"$T/verify.err" &&
  ok "the evidence the relay brought verifies with openssl cms -verify" ||
  fail "evidence verify" "$(cat "$T/verify.err")"
audit >"$T/audit"
for a in application.sign_ticket_issued application.sign_ticket_claimed application.signed; do
  expect_grep "^$a $NA " "$T/audit" "audited: $a with the application"
done
n0=$(sql "SELECT count(*) FROM audit_log")
handle $'123456\n'
expect_eq 5 "$(rc)" "the same ticket again: exit 5 (refused)"
expect_grep '^eimza agent: ticket_used: ' "$T/err" "reused ticket: ticket_used"
expect_grep 'daha önce kullanıldı' "$T/err" "reused ticket: in Turkish"
expect_grep 'already used' "$T/err" "reused ticket: and in English"
expect_no_grep 'İmzalanacak içerik' "$T/err" "reused ticket: no PIN asked, nothing shown"
expect_eq "submitted -" "$(tstate)" "reused ticket: the ticket is still submitted"
expect_eq "$((n0 + 1))" "$(sql "SELECT count(*) FROM audit_log")" "reused ticket: one audit entry, the refusal"
expect_grep "^application.relay_refused $NA .*ticket_used" <(audit | tail -1) \
  "…naming the application and the code"
ticket
expect_eq "409 wrong_state" "$CODE $(jq -r .error.code "$T/ticket.json")" \
  "no ticket once the application is submitted: 409 wrong_state"

# ---- B: the card side fails, another person's card, then pinentry and the person's settings ---
person $HB İsmail Güneş Van 1990-06-30 65
NB=$NUMBER
export SOFTHSM2_CONF=$CARD_B
ticket
handle $'000000\n'
expect_eq 2 "$(rc)" "wrong PIN: exit 2"
expect_grep '^eimza agent: pin_incorrect: PIN yanlış' "$T/err" "wrong PIN: the card's Turkish words"
expect_grep '^Wrong PIN[;,] ' "$T/err" "and the same in English (not the code's general words)"
expect_grep 'the portal was told \(pin_incorrect\)' "$T/err" "wrong PIN: reported"
expect_eq "cancelled pin_incorrect" "$(tstate)" "wrong PIN: the page learns pin_incorrect"
expect_eq code_verified "$(app_state)" "wrong PIN: the application still waits"
expect_grep "^application.sign_ticket_cancelled $NB .*pin_incorrect" <(audit) "the cancel is audited"
ticket
handle $'123456\n' --module "$T/nope.so"
expect_eq 2 "$(rc)" "the module does not load: exit 2"
expect_eq "cancelled module_error" "$(tstate)" "module error: reported to the page"
export SOFTHSM2_CONF=$CARD_A # A's card for B's application: the server's check refuses it
ticket
handle $'123456\n'
expect_eq 5 "$(rc)" "signed with another person's card: exit 5"
expect_grep '^eimza agent: tckn_mismatch: ' "$T/err" "…tckn_mismatch, the check's code"
expect_eq "refused tckn_mismatch" "$(tstate)" "the page learns refused tckn_mismatch"
expect_grep '"message":"[^"]+"' <(curl -s "${B[@]}" "$PORTAL/api/v1/application/sign-ticket") \
  "…with the portal's words for it"
expect_grep "^application.signature_refused $NB .*tckn_mismatch.*relay" <(audit) \
  "the refusal audited as the page's upload's would be, path relay"
expect_eq code_verified "$(app_state)" "the refused signature changed nothing else"
export SOFTHSM2_CONF=$CARD_B
fake_pinentry "$T/pinentry"
export FAKE_PE_LOG=$T/pe.log
ticket
: >"$FAKE_PE_LOG"
EIMZA_PINENTRY=$T/pinentry FAKE_PE_MODE=cancel "$EIMZA" agent --config "$CONF" --handle-url "$URL_T" \
  >"$T/out" 2>"$T/err"
expect_eq 2 "$?" "cancelled in the PIN dialogue: exit 2"
expect_eq "cancelled cancelled" "$(tstate)" "cancelled: the page learns it"
expect_no_grep '^MESSAGE' "$FAKE_PE_LOG" "cancelled: no second dialogue to say so"
# the person's own settings (no --config), the portal percent-encoded and the parameters in
# another order, the PIN through pinentry
ticket
SECRETS+=("$TICKET")
mkdir -p "$T/xdg/eimza"
cp "$CONF" "$T/xdg/eimza/agent.conf"
chmod 600 "$T/xdg/eimza/agent.conf"
ENC="eimza://sign?portal=https%3A%2F%2F127.0.0.1%3A${PORTAL##*:}&ticket=$TICKET"
: >"$FAKE_PE_LOG"
XDG_CONFIG_HOME=$T/xdg EIMZA_PINENTRY=$T/pinentry FAKE_PE_PIN=123456 "$EIMZA" agent --handle-url "$ENC" \
  >"$T/out" 2>"$T/err"
expect_eq 0 "$?" "XDG settings, percent-encoded portal, PIN through pinentry: signed"
expect_eq "submitted -" "$(tstate)" "…submitted"
expect_grep "^SETDESC .*eimza-demo" "$FAKE_PE_LOG" "the PIN dialogue names the card"
expect_grep "İmzalatmak isteyen: $PORTAL \(başvuru $NB\)" "$FAKE_PE_LOG" \
  "the PIN dialogue names the portal and the application"
expect_grep "AD: İSMAİL%0ASOYAD: GÜNEŞ" "$FAKE_PE_LOG" "the PIN dialogue shows the content"
expect_eq 1 "$(grep -c '^GETPIN' "$FAKE_PE_LOG")" "the PIN was asked once"
expect_no_grep '^MESSAGE' "$FAKE_PE_LOG" "no message after a success"
: >"$FAKE_PE_LOG"
EIMZA_PINENTRY=$T/pinentry "$EIMZA" agent --config "$CONF" --handle-url "$URL_T" >"$T/out" 2>"$T/err"
expect_eq 5 "$?" "the used ticket through the desktop: exit 5"
expect_grep '^MESSAGE' "$FAKE_PE_LOG" "an error is shown in a dialogue"
expect_grep "^SETDESC .*daha önce kullanıldı.*%0A%0A.*already used" "$FAKE_PE_LOG" \
  "the dialogue says it in Turkish, then English"
export SOFTHSM2_CONF=$CARD_A

# ---- C: curl plays the agent -------------------------------------------------------------------
person $HC Zeynep Kaya Siirt 1985-02-20 56
NC=$NUMBER
ticket
T1=$TICKET
ticket
T2=$TICKET
SECRETS+=("$T1" "$T2")
relay claim "{\"ticket\":\"$T1\"}"
expect_eq "409 ticket_superseded" "$(rcode)" "the older ticket: 409 ticket_superseded"
relay claim '{"ticket":"AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA"}'
expect_eq "404 ticket_unknown" "$(rcode)" "an unknown ticket (or another portal's): 404"
relay claim '{"ticket":"short"}'
expect_eq "400 bad_request" "$(rcode)" "a ticket not of the form: 400"
relay claim '{"nothing":1}'
expect_eq "400 bad_request" "$(rcode)" "no ticket: 400"
relay claim "{\"ticket\":\"$T2\"}" "$URL_V"
expect_eq "426 agent_outdated 999.0" "$RCODE $(jq -r '.error.code + " " + .error.min_version' "$T/r")" \
  "a portal asking for a newer agent: 426 agent_outdated with min_version"
AGENT_VERSION=
relay claim "{\"ticket\":\"$T2\"}" "$URL_V"
expect_eq 426 "$RCODE" "…and with no X-Eimza-Agent at all"
AGENT_VERSION=0.1.0
expect_eq "issued -" "$(tstate)" "none of that changed the session's ticket"
relay claim "{\"ticket\":\"$T2\"}"
expect_eq 200 "$RCODE" "the claim: 200"
expect_no_grep "^[Ss]et-[Cc]ookie" "$T/rh" "the agent's answers set no cookie"
expect_grep "^[Cc]ache-[Cc]ontrol: no-store" "$T/rh" "…and are not cached"
cp "$T/r" "$T/claim.json"
CLAIM=$(jq -r .claim "$T/claim.json")
SECRETS+=("$CLAIM")
jq -r .content_b64 "$T/claim.json" | base64 -d >"$T/content"
expect_eq "$(sha256sum <"$T/content" | cut -c1-64)" "$(jq -r .content_sha256 "$T/claim.json")" \
  "content_sha256 is the content's digest"
expect_grep "^BAŞVURU NO: $NC$" "$T/content" "the content is the application's"
expect_eq "$NC text/plain; charset=utf-8" "$(jq -r '"\(.application_number) \(.content_type)"' "$T/claim.json")" \
  "the application's number and the content's type"
expect_eq "claimed -" "$(tstate)" "the page's poll: claimed"
relay claim "{\"ticket\":\"$T2\"}"
expect_eq "409 ticket_used" "$(rcode)" "claimed twice: 409 ticket_used"
WRONG=BBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBB
relay cancel "{\"ticket\":\"$T2\",\"claim\":\"$WRONG\",\"code\":\"cancelled\"}"
expect_eq "403 claim_mismatch" "$(rcode)" "a cancel with a wrong claim: 403 claim_mismatch"
relay cancel "{\"ticket\":\"$T2\",\"claim\":\"$CLAIM\",\"code\":\"Not A Code\"}"
expect_eq 400 "$RCODE" "a cancel code not of the form: 400"
# C's signature made outside the agent, with the key the demo PKI shares
openssl cms -sign -binary -cades -md sha256 -signer "$P/holders/$HC.pem" -inkey "$P/keys/holders.key" \
  -certfile "$P/nes/nes.pem" -in "$T/content" -outform DER -out "$T/c.der" 2>/dev/null
CMS=$(base64 -w0 "$T/c.der")
relay signature "{\"ticket\":\"$T2\",\"claim\":\"$WRONG\",\"cms_b64\":\"$CMS\"}"
expect_eq "403 claim_mismatch" "$(rcode)" "a signature with a wrong claim: 403"
relay signature "{\"ticket\":\"$T2\",\"claim\":\"$CLAIM\",\"cms_b64\":\"not base64!\"}"
expect_eq 400 "$RCODE" "cms_b64 that is not base64: 400"
expect_eq "claimed -" "$(tstate)" "still claimed after all that"
expect_eq code_verified "$(app_state)" "and the application still waits"
# two signatures racing for one claimed ticket: one check
racers=()
for i in 1 2; do
  curl -s -o "$T/race$i" -w '%{http_code}\n' -X POST -H 'Content-Type: application/json' \
    -H "X-Eimza-Agent: 0.1.0" --data-binary "{\"ticket\":\"$T2\",\"claim\":\"$CLAIM\",\"cms_b64\":\"$CMS\"}" \
    "$PORTAL/api/v1/relay/signature" >"$T/race$i.code" &
  racers+=($!)
done
wait "${racers[@]}"
expect_eq "200 409" "$(cat "$T/race1.code" "$T/race2.code" | sort | paste -sd' ')" \
  "two signatures at once: one accepted, the other 409"
expect_grep '"code":"ticket_used"' <(cat "$T/race1" "$T/race2") "…ticket_used"
expect_eq 1 "$(sql "SELECT count(*) FROM audit_log WHERE action = 'application.signed' AND object = '$NC'")" \
  "…one signature checked and kept"
expect_eq "submitted -" "$(tstate)" "the page's poll: submitted"
relay cancel "{\"ticket\":\"$T2\",\"claim\":\"$CLAIM\",\"code\":\"cancelled\"}"
expect_eq "409 ticket_used" "$(rcode)" "a cancel after the signature: 409 ticket_used"

# ---- D: expiry (server E: tickets live 4 s, claims 1 s) -----------------------------------------
person $HD Emre Aydın Muş 1982-11-05 49
ticket "$URL_E"
expect_eq "201 4" "$CODE $(jq -r .expires_in "$T/ticket.json")" "server E's tickets live 4 s"
sleep 5
relay claim "{\"ticket\":\"$TICKET\"}"
expect_eq "410 ticket_expired" "$(rcode)" "an expired ticket: 410 ticket_expired"
expect_eq "expired -" "$(tstate)" "the page's poll: expired"
ticket "$URL_E"
relay claim "{\"ticket\":\"$TICKET\"}" "$URL_E"
expect_eq 200 "$RCODE" "claimed in time"
CLAIM=$(jq -r .claim "$T/r")
SECRETS+=("$CLAIM")
sleep 2
relay cancel "{\"ticket\":\"$TICKET\",\"claim\":\"$CLAIM\",\"code\":\"cancelled\"}"
expect_eq "410 ticket_expired" "$(rcode)" "an expired claim: 410 ticket_expired"
expect_eq "expired -" "$(tstate)" "the page's poll: expired"
expect_eq code_verified "$(app_state)" "expiry changed nothing"

# ---- D: the agent's refusals before any contact -------------------------------------------------
ticket
URL_D=$URL_T TICKET_D=$TICKET
SECRETS+=("$TICKET")
a0=$(sql "SELECT count(*) FROM audit_log")
printf 'module = %s\norigin = https://eimza.meb.gov.tr\nca_file = %s\n' "$MODULE" \
  "$T/portal-ca.pem" >"$T/other.conf"
chmod 600 "$T/other.conf"
"$EIMZA" agent --config "$T/other.conf" --handle-url "$URL_T" --pin-fd 3 3</dev/null \
  >"$T/out" 2>"$T/err"
expect_eq 3 "$?" "portal not on the allow-list: exit 3"
expect_grep "^eimza agent: portal_not_allowed: .*\($PORTAL\)" "$T/err" \
  "not allowed: portal_not_allowed names the portal"
expect_grep 'does not serve' "$T/err" "not allowed: English"
PORT=${PORTAL##*:}
"$EIMZA" agent --config "$CONF" --origin "http://127.0.0.1:$PORT" \
  --handle-url "eimza://sign?ticket=$TICKET&portal=http://127.0.0.1:$PORT" --pin-fd 3 3</dev/null \
  >"$T/out" 2>"$T/err"
expect_eq 3 "$?" "an http portal, even when allowed: exit 3"
expect_grep '^eimza agent: portal_not_https: ' "$T/err" "http: portal_not_https"
for other in "https://127.0.0.1:$((PORT + 1))" "https://127.0.0.1.evil.example:$PORT"; do
  "$EIMZA" agent --config "$CONF" --handle-url "eimza://sign?ticket=$TICKET&portal=$other" \
    --pin-fd 3 3</dev/null >"$T/out" 2>"$T/err"
  expect_eq 3 "$?" "portal $other (not exactly the origin): exit 3"
done
handle $'123456\n' --ca-file "$T/other-ca.pem"
expect_eq 4 "$(rc)" "a CA that did not sign the portal's certificate: exit 4"
expect_grep '^eimza agent: tls_failed: .*kimliği doğrulanamadı' "$T/err" "untrusted: tls_failed, Turkish"
expect_grep 'could not be verified' "$T/err" "untrusted: English"
printf 'module = %s\norigin = %s\n' "$MODULE" "$PORTAL" >"$T/nocafile.conf"
chmod 600 "$T/nocafile.conf"
"$EIMZA" agent --config "$T/nocafile.conf" --handle-url "$URL_T" --pin-fd 3 3</dev/null \
  >"$T/out" 2>"$T/err"
expect_eq 4 "$?" "the system's store, which does not hold the test CA: exit 4"
"$EIMZA" agent --config "$CONF" --origin "https://localhost:$PORT" \
  --handle-url "eimza://sign?ticket=$TICKET&portal=https://localhost:$PORT" --pin-fd 3 3</dev/null \
  >"$T/out" 2>"$T/err"
expect_eq 4 "$?" "a certificate for 127.0.0.1 reached as localhost: exit 4"
expect_grep '^eimza agent: tls_failed: ' "$T/err" "name mismatch: tls_failed"
T43=AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA
for bad in "https://127.0.0.1:$PORT/" "eimza://sign?portal=$PORTAL" "eimza://sign?ticket=$T43" \
  "eimza://sign?ticket=short&portal=$PORTAL" "eimza://sign?ticket=$T43&portal=$PORTAL/imza" \
  "eimza://sign?ticket=$T43&ticket=$T43&portal=$PORTAL" "eimza://other?ticket=$T43&portal=$PORTAL" \
  "eimza://sign?ticket=$T43&portal=$PORTAL#x" "eimza://sign?ticket=A%00$T43&portal=$PORTAL"; do
  expect_status 1 "malformed URL refused: $bad" "$EIMZA" agent --config "$CONF" --handle-url "$bad" \
    --pin-fd 0
done
expect_grep '^eimza agent: url_invalid: ' "$T/err" "malformed: url_invalid"
chmod 664 "$CONF"
handle $'123456\n'
expect_eq 1 "$(rc)" "a settings file others may write: exit 1"
expect_grep "^eimza: agent: $CONF: settings_file_unsafe: " "$T/err" "group-writable settings: settings_file_unsafe"
expect_grep 'writable by others' "$T/err" "group-writable settings: says why"
chmod 600 "$CONF"
printf 'origin = %s\nfoo = bar\n' "$PORTAL" >"$T/bad.conf"
chmod 600 "$T/bad.conf"
expect_status 1 "unknown setting: exit 1" "$EIMZA" agent --config "$T/bad.conf" --handle-url "$URL_T"
expect_grep "^eimza: agent: $T/bad.conf:2: setting_unknown: " "$T/err" "unknown setting: file:line and code"
expect_grep "^eimza: agent: unknown setting 'foo'" "$T/err" "unknown setting: named"
expect_status 1 "missing --config file: exit 1" "$EIMZA" agent --config "$T/none.conf" --handle-url "$URL_T"
expect_eq "$a0" "$(sql "SELECT count(*) FROM audit_log")" "none of that reached the portal (nothing audited)"
expect_eq "issued -" "$(tstate)" "the ticket is untouched by all of that"

# ---- portals that answer outside the contract (nginx, one port each): nothing shown or signed ---
mkdir -p "$T/nginx"
CT=$(printf 'AD: X\n' | base64 -w0)
declare -A NPORT
for mode in redirect not_json bad_hash; do NPORT[$mode]=$(free_port); done
{
  echo "pid $T/nginx/nginx.pid; error_log $T/nginx/error.log; daemon off;"
  echo "events { worker_connections 64; }"
  echo "http { access_log $T/nginx/access.log; client_body_temp_path $T/nginx/body;"
  echo "  proxy_temp_path $T/nginx/proxy; fastcgi_temp_path $T/nginx/fcgi;"
  echo "  uwsgi_temp_path $T/nginx/uwsgi; scgi_temp_path $T/nginx/scgi;"
  echo "  ssl_certificate $T/portal.pem; ssl_certificate_key $T/portal.key;"
  echo "  server { listen 127.0.0.1:${NPORT[redirect]} ssl;"
  echo "    location = /api/v1/relay/claim { return 302 https://example.org/; } }"
  echo "  server { listen 127.0.0.1:${NPORT[not_json]} ssl; default_type text/html;"
  echo "    location = /api/v1/relay/claim { return 200 '<html>hello</html>'; } }"
  echo "  server { listen 127.0.0.1:${NPORT[bad_hash]} ssl; default_type application/json;"
  printf '    location = /api/v1/relay/claim { return 200 %s; } }\n' \
    "'{\"claim\":\"$WRONG\",\"claim_expires_at\":\"2030-01-01T00:00:00Z\",\"application_number\":\"7K2M9Q1001\",\"content_b64\":\"$CT\",\"content_sha256\":\"$(printf '0%.0s' $(seq 64))\",\"content_type\":\"text/plain; charset=utf-8\"}'"
  echo "}"
} >"$T/nginx.conf"
nginx -c "$T/nginx.conf" -p "$T/nginx" >"$T/nginx/out" 2>&1 &
NGINX_PID=$!
for _ in $(seq 100); do (exec 3<>"/dev/tcp/127.0.0.1/${NPORT[bad_hash]}") 2>/dev/null && break; sleep 0.05; done
for mode in redirect not_json bad_hash; do
  np="https://127.0.0.1:${NPORT[$mode]}"
  "$EIMZA" agent --config "$CONF" --origin "$np" --handle-url "eimza://sign?ticket=$T43&portal=$np" \
    --pin-fd 3 3</dev/null >"$T/out" 2>"$T/err"
  expect_eq 4 "$?" "a claim answered with $mode: exit 4"
  expect_grep '^eimza agent: portal_bad_answer: ' "$T/err" "$mode: portal_bad_answer"
  expect_no_grep 'İmzalanacak içerik' "$T/err" "$mode: nothing shown, nothing signed"
done
expect_eq 3 "$(grep -c 'POST /api/v1/relay/claim' "$T/nginx/access.log")" "each broken portal was asked once"
np="https://127.0.0.1:$(free_port)"
"$EIMZA" agent --config "$CONF" --origin "$np" --handle-url "eimza://sign?ticket=$T43&portal=$np" \
  --pin-fd 3 3</dev/null >"$T/out" 2>"$T/err"
expect_eq 4 "$?" "nobody listening: exit 4"
expect_grep '^eimza agent: portal_unreachable: ' "$T/err" "nobody listening: portal_unreachable"

# ---- D: logging out ends the session's tickets --------------------------------------------------
call POST /api/v1/logout "${B[@]}"
expect_code 200 "logout"
relay claim "{\"ticket\":\"$TICKET_D\"}"
expect_eq "410 ticket_expired" "$(rcode)" "the ticket of a session that logged out: 410 ticket_expired"

# ---- the limits -----------------------------------------------------------------------------------
login $HD Emre Aydın Muş 1982-11-05 # a new session; the application still waits
B=(-H "Authorization: Bearer $TOKEN")
n=0
for _ in $(seq 1 25); do
  ticket
  [ "$CODE" = 201 ] || break
  n=$((n + 1)) GOOD=$TICKET
done
expect_eq "429 too_many_tickets" "$CODE $(jq -r .error.code "$T/ticket.json")" \
  "a session asking for ticket after ticket gets 429 too_many_tickets"
# ten in a window of ten minutes (twenty when the loop happened to cross a window's edge)
[ "$n" -eq 10 ] || { [ "$n" -gt 10 ] && [ "$n" -le 20 ]; } && ok "…after ten ($n here)" ||
  fail "ten tickets" "$n"
expect_grep '"retry_after":[0-9]+' "$T/ticket.json" "…with retry_after"
# thirty in a window of fifteen minutes (windows start at multiples of 900 s of the server's
# clock, this machine's): the 31st request at most is refused, fewer when the test's earlier
# unknown tickets fell in the same window; up to sixty-one when the loop crossed a window's edge
hits=0 w0=$(($(date +%s) / 900))
for _ in $(seq 1 61); do
  relay claim "{\"ticket\":\"$(head -c 32 /dev/urandom | base64 -w0 | tr '+/' '-_' | cut -c1-43)\"}"
  hits=$((hits + 1))
  [ "$RCODE" = 429 ] && break
done
w1=$(($(date +%s) / 900))
expect_eq "429 too_many_relay_requests" "$(rcode)" "an address naming unknown tickets is stopped"
{ [ "$hits" -le 31 ] || { [ "$w0" != "$w1" ] && [ "$hits" -le 61 ]; }; } &&
  ok "…after thirty refusals at most ($hits requests here)" || fail "lock-out" "$hits"
SECRETS+=("$GOOD")
relay claim "{\"ticket\":\"$GOOD\"}"
expect_eq 429 "$RCODE" "…also for a good ticket, for the rest of the window"
expect_grep '^relay.lockout address ' <(audit) "the lock-out is audited"

# ---- nothing secret anywhere ----------------------------------------------------------------------
stop_server
cat "${SERRS[@]}" >"$T/all.log"
audit >>"$T/all.log"
leaked=
for s in "${SECRETS[@]}"; do grep -qF -- "$s" "$T/all.log" && leaked="$leaked $s"; done
expect_eq "" "$leaked" "no ticket or claim in the servers' logs or the audit (${#SECRETS[@]} checked)"
expect_no_grep '123456' "$T/all.log" "the PIN is never there"
expect_grep 'path="/api/v1/relay/claim"' "$T/all.log" "the access log has the relay's paths, and nothing more"
finish
