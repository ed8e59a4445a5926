#!/usr/bin/env bash
# eimza — in-house production (production = inhouse) through `eimza serve` on loopback, both
# backends, with the demo PKI's in-house CA in a SoftHSM2 token and blank SoftHSM2 cards
# (scripts/demo-pki.sh, scripts/demo-token.sh --blank): an approved renewal's card made by the
# operator (API), its certificate recorded and linked; the certificate verifies with `openssl
# verify` against the demo chain, carries the NES profile (policy, both QC statements,
# nonRepudiation, the T.C. Kimlik No) and starts at the old certificate's end; the CA's OCSP
# (POST /ca/ocsp, asked by `openssl ocsp`) says good, signed by the delegated responder whose
# certificate (OCSP signing, nocheck, issued by the CA, not the CA's) it carries, verified with
# the in-house CA as the only trust anchor; that certificate is in the registry (OCSP about it
# good, then revoked and in the CRL once the registry revokes it, that answer signed by a new
# responder certificate, recorded and good); its CRL (GET /ca/crl) verifies; the
# card shipped and delivered, its PIN taken on the portal (wrong word, wrong code, the PIN and
# PUK once, a second retrieval refused) and the PIN opens the card (`eimza sign`); "try my new
# card" with a signature made on the card completes the application and activates the card;
# a card made for another application, then lost: its certificate revoked at once (OCSP
# revoked, in the CRL); `eimza card issue` from the command line, and that card's holder who
# forgot the security word: told who helps, the operator lifts the word step (not an approver,
# not without the declaration; audited; the holder told), the PIN with the SMS code alone, once;
# the card bureau's routes refused in an in-house deployment.
source "$EIMZA_SOURCE_DIR/tests/lib.sh"
for c in openssl jq curl softhsm2-util pkcs11-tool xxd; do
  command -v $c >/dev/null || { echo "FAIL: $c is needed (scripts/deps.txt)"; exit 1; }
done
module=
for m in /usr/lib/softhsm/libsofthsm2.so /usr/lib/x86_64-linux-gnu/softhsm/libsofthsm2.so \
  /usr/lib/aarch64-linux-gnu/softhsm/libsofthsm2.so; do
  [ -r "$m" ] && { module=$m; break; }
done
[ -n "$module" ] || { echo "FAIL: libsofthsm2.so not found (softhsm2)"; exit 1; }

A=30000000182 # a renewal: made, shipped, delivered, PIN, tried, completed
M=30000000250 # made, then reported lost: revoked at once
F=30000000328 # made with `eimza card issue`
N=30000000496 # no mobile number on record: told whom to ask, in this deployment's words
PW='Doğru-Parola-2025'
H='tckn;ad;soyad;dogum_yeri;dogum_tarihi;kurum_kodu;kurum_adi;il_kodu;ilce;birim;unvan;gorev_durumu;gorevlendirme_bitis;eimza_hakki;eposta;cep_telefonu'
DB=$(new_db) || exit 1
source "$SRC/tests/portal_lib.sh"
{
  echo "$H"
  echo "$A;Ayşe;Kaya;Batman;1980-03-15;720001;Batman Lisesi;72;Merkez;Eğitim;Öğretmen;aktif;;1;ayse@meb.gov.tr;0532 100 00 01"
  echo "$M;Mehmet;Demir;Batman;1981-04-16;720002;Kozluk Lisesi;72;Kozluk;Eğitim;Öğretmen;aktif;;1;mehmet@meb.gov.tr;0532 100 00 02"
  echo "$F;Fatma;Şahin;Batman;1982-05-17;720003;Sason Lisesi;72;Sason;Eğitim;Öğretmen;aktif;;1;fatma@meb.gov.tr;0532 100 00 03"
  echo "$N;Zeynep;Ak;Batman;1985-08-20;720004;Beşiri Lisesi;72;Beşiri;Eğitim;Öğretmen;aktif;;1;zeynep@meb.gov.tr;"
} >"$T/p.csv"
: >"$T/spec.tsv"
for t in $A $M $F $N; do printf '%s\tactive\t45\tKişi %s\n' "$t" "$t" >>"$T/spec.tsv"; done
EIMZA_PKI_PORT=9 bash "$SRC/scripts/demo-pki.sh" "$T/pki" "$T/spec.tsv" >"$T/pki.out" 2>&1 ||
  { fail "demo PKI" "$(tail -5 "$T/pki.out")"; finish; }
P=$T/pki
export SOFTHSM2_CONF=$P/hsm/softhsm2.conf
# blank cards before the server opens the engine (SoftHSM2 reads its tokens once)
bash "$SRC/scripts/demo-token.sh" --blank 3 "$P/hsm" >"$T/blanks" 2>"$T/blanks.err" ||
  { fail "blank cards" "$(cat "$T/blanks.err")"; finish; }
mapfile -t BLANK <"$T/blanks"
expect_eq 3 "${#BLANK[@]}" "three blank cards"
mkdir -p "$T/trust"
cp "$P/root/root.pem" "$P/nes/nes.pem" "$P/inhouse/ca.pem" "$T/trust/"

PORT=$(free_port)
cat >"$T/eimza.conf" <<EOF
production = inhouse
ca_module = $module
ca_label = eimza-demo-ca
ca_key_label = kurum-nes
card_module = $module
card_label = eimza-bos
portal_url = http://127.0.0.1:$PORT/
accept_unknown_revocation = true
revocation_timeout_ms = 2000
EOF
cat >"$T/secrets.conf" <<EOF
ca_pin = $(cat "$P/hsm/ca.pin")
card_pin = 000000
card_so_pin = 00000000
pin_key = $(openssl rand -hex 32)
EOF
chmod 600 "$T/secrets.conf"

expect_status 0 "migrate" "$EIMZA" migrate --db "$DB"
expect_status 0 "import personnel" "$EIMZA" import personnel "$T/p.csv" --db "$DB"
expect_status 0 "import certificates" "$EIMZA" import certificates "$P/holders.pem" --db "$DB"
for u in "onay72 approver 72" "osman.op operator"; do
  set -- $u
  printf '%s\n' "$PW" | "$EIMZA" user add "$1" --role "$2" ${3:+--province $3} --db "$DB" >/dev/null 2>"$T/err" ||
    fail "user add $1" "$(cat "$T/err")"
done
# a server without the CA's PIN refuses to start
expect_status 1 "inhouse without its secrets" "$EIMZA" serve --dev --listen 127.0.0.1:0 --db "$DB" --config "$T/eimza.conf"
expect_grep '^eimza: serve: ca_pin: setting_missing: ' "$T/err" "and says which setting is missing"
expect_grep '^eimza: serve: production = inhouse needs ca_pin ' "$T/err" "and what needs it"
start_server -- --dev --listen "127.0.0.1:$PORT" --db "$DB" --trust-dir "$T/trust" \
  --config "$T/eimza.conf" --config "$T/secrets.conf" ||
  { fail "server starts" "$(head -c 1500 "$SERR")"; finish; }
expect_no_grep "$(cat "$P/hsm/ca.pin")" "$SERR" "the CA's PIN is not in the log"
expect_eq 0 "$(sql "SELECT count(*) FROM audit_log WHERE detail LIKE '%$(cat "$P/hsm/ca.pin")%'")" \
  "nor in the audit log"

staff_login() {
  json POST /api/v1/admin/login "$(jq -nc --arg u "$1" --arg p "$PW" '{username:$u, password:$p}')"
  STOK=$(jb .token)
}
staff_login onay72
SA=(-H "Authorization: Bearer $STOK")
staff_login osman.op
SO=(-H "Authorization: Bearer $STOK")
OCSRF=$(jb .csrf_token)
form() {
  jq -nc --arg r "${1:-renewal}" '{reason:$r, security_word:"Gizli Sözcük", security_word_repeat:"Gizli Sözcük",
    address:"Okul Sok. 1", postal_code:"72100", mobile_operator:"vodafone"}'
}
app_id() {
  curl -s "${SO[@]}" "$URL/api/v1/admin/applications?limit=500" |
    jq -r --arg n "$1" '.applications[] | select(.number == $n) | .id'
}
approved() { # TCKN FIRST LAST DATE [REASON]: sets ID, NUMBER, B (AT_SIGNING: run at that step)
  to_signing "$1" "$2" "$3" Batman "$4" "$(form "${5:-}")" || return 1
  [ -z "${AT_SIGNING:-}" ] || "$AT_SIGNING"
  call POST /api/v1/application/wet-signature "${B[@]}"
  ID=$(app_id "$NUMBER")
  call POST "/api/v1/admin/applications/$ID/paper-received" "${SO[@]}"
  json POST "/api/v1/admin/applications/$ID/decision" '{"decision":"approve"}' "${SA[@]}"
  [ "$CODE" = 200 ] || { fail "approve $2" "$CODE $(head -c 300 "$T/b")"; return 1; }
}
# der_of SERIAL FILE: a certificate of the registry, PEM
der_of() {
  if [ "$backend" = postgresql ]; then
    sql "SELECT encode(der, 'hex') FROM certificates WHERE serial = '$1'"
  else
    sql "SELECT hex(der) FROM certificates WHERE serial = '$1'"
  fi | xxd -r -p | openssl x509 -inform DER -out "$2"
}

# ---- the card bureau's routes are not this deployment's -----------------------------------------
json POST /api/v1/admin/batches '{"province":72}' "${SO[@]}"
expect_error 409 production_bureau_only "no batches in house"

# the signing page gives its script the words for a locked card (data-say-card-locked): the
# holder may sign with a card Kamu SM issued or with one made here, so both are named, and who
# helps with each (Kamu SM's deployment: tests/cli/test_signature.sh)
imza_locked_words() {
  json POST /api/v1/application/method '{"method":"esign"}' "${B[@]}"
  expect_code 200 "A chooses the e-signature"
  call GET /imza -b "eimza_session=$TOKEN"
  expect_code 200 "the signing page"
  expect_eq "Kart kilitli: PUK ile açınız. PUK'unuz yoksa, kartı Kamu SM verdiyse Kamu SM'nin kilit açma hizmetine, kurumunuz verdiyse T.C. kimlik kartınızla il millî eğitim müdürlüğünüzdeki e-imza sorumlusuna başvurunuz." \
    "$(attr_of data-say-card-locked)" "/imza: a locked card, Kamu SM's or one made here"
  call GET /imza -b "eimza_session=$TOKEN" -H 'Accept-Language: en'
  expect_eq "The card is locked: unlock it with the PUK. Without the PUK, use Kamu SM's unlocking service for a card Kamu SM issued; for a card your institution made, go with your identity card to the e-signature officer of your provincial directorate of national education." \
    "$(attr_of data-say-card-locked)" "/imza in English: the same"
}

# ---- A: the card made -----------------------------------------------------------------------------
AT_SIGNING=imza_locked_words approved $A Ayşe Kaya 1980-03-15 || finish
BA=("${B[@]}")
IA=$ID
NA=$NUMBER
json POST "/api/v1/admin/applications/$IA/produce" '{}' "${SA[@]}"
expect_error 403 forbidden_role "an approver does not make cards"
json POST "/api/v1/admin/applications/$IA/produce" '{}' "${SO[@]}"
expect_error 409 card_ambiguous "three blank cards and none named"
json POST "/api/v1/admin/applications/$IA/produce" '{"card_serial":"0000"}' "${SO[@]}"
expect_error 409 card_not_found "a serial of no blank card"
json POST "/api/v1/admin/applications/$IA/produce" "$(jq -nc --arg s "${BLANK[0]}" '{card_serial:$s}')" "${SO[@]}"
expect_eq "200 in_production" "$CODE $(jb .state)" "the card is made"
# the card is made here, so it may be handed over at the office as well as sent by courier: the
# approval and the card's message say both ways (card_ordered's in-house twin), not only the
# courier (Kamu SM's deployment: tests/integration/test_admin.c, test_card_bureau.sh)
curl -s "$URL/dev/outbox" >"$T/outbox.json"
expect_eq "0 2" "$(jq -r --arg n "$NA" '[.[] | select(.body | contains($n))] | "\([.[] | select(.template == "card_ordered")] | length) \([.[] | select(.template == "card_ordered_inhouse")] | length)"' "$T/outbox.json")" \
  "A is told the card is made by card_ordered's in-house twin, e-mail and SMS"
jq -r --arg n "$NA" '.[] | select(.template == "card_ordered_inhouse" and (.body | contains($n))) | .channel + ": " + .body' \
  "$T/outbox.json" | tr '\n' ' ' >"$T/ordered.txt"
expect_grep 'email: .*kurumun kendi sertifika hizmetiyle üretildi\. Kart size elden teslim edilecek ya da kuryeye verilecektir' \
  "$T/ordered.txt" "the e-mail: made here, handed over in person or given to a courier"
expect_grep 'sms: .*kartınız üretildi; size elden teslim edilecek ya da kuryeyle gönderilecek' "$T/ordered.txt" \
  "the SMS: the same"
expect_no_grep 'üretime alındı' "$T/ordered.txt" "not the bureau's 'being made'"
jq -r --arg n "$NA" '.[] | select(.template == "application_approved_inhouse" and (.body | contains($n)) and (.body | contains("onaylandı"))) | .channel + ": " + .body' \
  "$T/outbox.json" | tr '\n' ' ' >"$T/approved.txt"
expect_grep 'email: .*Yeni kartınız kurumun kendi sertifika hizmetiyle üretilecek ve yaklaşık [0-9]+ gün içinde size elden teslim edilecek ya da başvuru formundaki adrese kargo ile gönderilecektir\.' \
  "$T/approved.txt" "the approval's e-mail: handed over in person or sent by courier"
expect_grep 'sms: .*Yeni kartınız yaklaşık [0-9]+ gün içinde size elden teslim edilecek ya da formdaki adrese kargo ile gönderilecek\.' \
  "$T/approved.txt" "the approval's SMS: the same"
NEWA=$(sql "SELECT c.serial FROM applications a JOIN certificates c ON c.id = a.new_cert_id WHERE a.number = '$NA'")
[ -n "$NEWA" ] && ok "its certificate is recorded and linked" || fail "new certificate" "$(sql 'SELECT * FROM cards')"
expect_eq "produced inhouse ${BLANK[0]}" \
  "$(sql "SELECT state || ' ' || source || ' ' || serial FROM cards WHERE application_id = $IA")" \
  "the card in the inventory, by its serial"
# the card late, where the cards are made in house: `eimza notify run` with the deployment's
# settings (expiry warnings and reminders off here) tells the holder once, by card_late's twin,
# to ask the e-imza sorumlusu and not Kamu SM's call centre
# (and its delivery_expected_days: not before the days configured there)
{
  cat "$T/eimza.conf"
  printf 'delivery_expected_days = 20\nwarn_days =\nnotify_expired_days = 0\nreminder_days = 0\n'
} >"$T/late.conf"
expect_status 0 "notify run 16 days after approval" "$EIMZA" notify run --db "$DB" --config "$T/late.conf" \
  --now "$(date -u -d '+16 days' +%F)" --dev
expect_eq 0 "$(jq -r .queued.overdue "$T/out")" "not late yet: 20 delivery days configured"
expect_status 0 "notify run 21 days after approval" "$EIMZA" notify run --db "$DB" --config "$T/late.conf" \
  --now "$(date -u -d '+21 days' +%F)" --dev
expect_eq 2 "$(jq -r .queued.overdue "$T/out")" "the card is late: its holder told, by e-mail and SMS"
expect_eq "0 2" "$(sql "SELECT count(CASE WHEN template = 'card_late' THEN 1 END), count(CASE WHEN template = 'card_late_inhouse' THEN 1 END) FROM outbox WHERE dedupe_key LIKE 'overdue:$IA:%'" | tr '|' ' ')" \
  "by the in-house twin of card_late"
curl -s "$URL/dev/outbox" | jq -r '.[] | select(.template == "card_late_inhouse") | .body' >"$T/late.txt"
expect_grep 'e-imza sorumlusuna' "$T/late.txt" "which names the e-imza sorumlusu"
expect_no_grep 'Kamu SM|444' "$T/late.txt" "and not Kamu SM's call centre"
expect_eq 0 "$(sql "SELECT count(*) FROM card_pins WHERE sealed LIKE '%000000%'")" "the PIN is sealed"
json POST "/api/v1/admin/applications/$IA/produce" "$(jq -nc --arg s "${BLANK[1]}" '{card_serial:$s}')" "${SO[@]}"
expect_error 409 wrong_state "a second card for the same application"

# ---- the certificate ------------------------------------------------------------------------------
der_of "$NEWA" "$T/new.pem"
old_end=$(openssl x509 -in "$P/holders/$A.pem" -noout -enddate | cut -d= -f2)
new_start=$(openssl x509 -in "$T/new.pem" -noout -startdate | cut -d= -f2)
expect_eq "$(date -u -d "$old_end" +%s)" "$(date -u -d "$new_start" +%s)" "the renewal starts at the old certificate's end"
at=$(($(date -u -d "$new_start" +%s) + 60))
openssl verify -attime "$at" -CAfile "$P/root/root.pem" -untrusted "$P/inhouse/ca.pem" "$T/new.pem" >"$T/verify" 2>&1 &&
  ok "openssl verify: the chain to the demo root" || fail "openssl verify" "$(cat "$T/verify")"
openssl x509 -in "$T/new.pem" -noout -text >"$T/new.txt"
expect_grep 'serialNumber *= *'"$A" "$T/new.txt" "subject serialNumber is the T.C. Kimlik No"
expect_grep 'Policy: 2\.16\.792\.1\.2\.1\.1\.5\.7\.1\.1' "$T/new.txt" "the NES policy"
expect_grep 'Non Repudiation' "$T/new.txt" "nonRepudiation"
# the QC statements' OIDs as DER: 0.4.0.1862.1.1 and 2.16.792.1.61.0.1.5070.1.1
openssl x509 -in "$T/new.pem" -outform DER | xxd -p | tr -d '\n' >"$T/new.hex"
expect_grep '060604008e460101' "$T/new.hex" "ETSI QcCompliance"
expect_grep '060b608618013d0001a74e0101' "$T/new.hex" "the Turkish 5070 QC statement"
expect_grep "OCSP - URI:http://127.0.0.1:$PORT/ca/ocsp" "$T/new.txt" "the OCSP address is this server's"

# ---- the CA's OCSP and CRL ----------------------------------------------------------------------
cat "$P/inhouse/ca.pem" "$P/root/root.pem" >"$T/chain.pem"
openssl ocsp -issuer "$P/inhouse/ca.pem" -cert "$T/new.pem" -url "$URL/ca/ocsp" -CAfile "$T/chain.pem" \
  -attime "$(date +%s)" >"$T/ocsp" 2>&1
expect_grep "new.pem: good" "$T/ocsp" "OCSP: good"
expect_grep "Response verify OK" "$T/ocsp" "the OCSP answer verifies"
# the in-house CA as the only trust anchor (an intermediate: -partial_chain anchors there)
openssl ocsp -issuer "$P/inhouse/ca.pem" -cert "$T/new.pem" -url "$URL/ca/ocsp" -CAfile "$P/inhouse/ca.pem" \
  -partial_chain -respout "$T/resp.der" -resp_text >"$T/ocsp1" 2>&1
expect_grep "Response verify OK" "$T/ocsp1" "it verifies with the in-house CA alone as anchor"
expect_grep "new.pem: good" "$T/ocsp1" "and says good"
# its signer: the certificate carried in the response
sed -n '/-----BEGIN CERTIFICATE-----/,/-----END CERTIFICATE-----/p' "$T/ocsp1" >"$T/responder.pem"
openssl x509 -in "$T/responder.pem" -noout -text >"$T/responder.txt" 2>&1
expect_grep "Subject: .*CN ?= ?$(openssl x509 -in "$P/inhouse/ca.pem" -noout -subject -nameopt multiline,utf8 |
  sed -n 's/^ *commonName *= //p') OCSP" "$T/responder.txt" "the responder is named after the CA"
expect_grep "OCSP Signing" "$T/responder.txt" "its certificate is for OCSP signing"
expect_grep "OCSP No Check" "$T/responder.txt" "with id-pkix-ocsp-nocheck"
expect_no_grep "Authority Information Access" "$T/responder.txt" "and no OCSP address of its own"
rfp=$(openssl x509 -in "$T/responder.pem" -noout -fingerprint -sha256 2>/dev/null)
[ -n "$rfp" ] && [ "$rfp" != "$(openssl x509 -in "$P/inhouse/ca.pem" -noout -fingerprint -sha256)" ] &&
  ok "the signer is not the CA certificate" || fail "signer" "no responder certificate, or the CA's: '$rfp'"
openssl verify -partial_chain -purpose ocsphelper -CAfile "$P/inhouse/ca.pem" "$T/responder.pem" >"$T/rv" 2>&1 &&
  ok "the responder's certificate is the CA's" || fail "responder certificate" "$(cat "$T/rv")"
rpub=$(openssl x509 -in "$T/responder.pem" -noout -pubkey 2>/dev/null)
[ -n "$rpub" ] && [ "$rpub" != "$(openssl x509 -in "$P/inhouse/ca.pem" -noout -pubkey)" ] &&
  ok "with a key of its own" || fail "responder key" "none, or the CA's"
# the responder's certificate is in the CA's registry like the cards': asked about, it is good
rserial=$(openssl x509 -in "$T/responder.pem" -noout -serial 2>/dev/null | cut -d= -f2)
expect_eq 1 "$(sql "SELECT count(*) FROM certificates WHERE serial = '$rserial' AND tckn = ''")" \
  "the responder's certificate is recorded (no holder)"
expect_eq 1 "$(sql "SELECT count(*) FROM audit_log WHERE action = 'ca.certificate' AND object = '$rserial' AND actor = 'system'")" \
  "its recording audited"
sql "SELECT detail FROM audit_log WHERE action = 'ca.certificate' AND object = '$rserial'" >"$T/why1"
expect_grep '"why":"start"' "$T/why1" \
  "with why it was made: the server's first"
openssl ocsp -issuer "$P/inhouse/ca.pem" -cert "$T/responder.pem" -url "$URL/ca/ocsp" -CAfile "$T/chain.pem" >"$T/ocspr" 2>&1
expect_grep "Response verify OK" "$T/ocspr" "an OCSP query about the responder itself verifies"
expect_grep "responder.pem: good" "$T/ocspr" "and says good, not unknown"
# revoked in the registry (no route revokes a responder certificate: marked as the store marks one)
sql "UPDATE certificates SET revoked_at = $(($(date +%s) - 60)), revocation_reason = 1 WHERE serial = '$rserial'" >/dev/null
openssl ocsp -issuer "$P/inhouse/ca.pem" -cert "$T/responder.pem" -url "$URL/ca/ocsp" -CAfile "$T/chain.pem" \
  -resp_text >"$T/ocspr2" 2>&1
expect_grep "responder.pem: revoked" "$T/ocspr2" "once the registry revokes it, OCSP says revoked"
expect_grep "Response verify OK" "$T/ocspr2" "in an answer that verifies"
# signed by a new responder certificate, never the revoked one again: recorded, and good
sed -n '/-----BEGIN CERTIFICATE-----/,/-----END CERTIFICATE-----/p' "$T/ocspr2" >"$T/responder2.pem"
rserial2=$(openssl x509 -in "$T/responder2.pem" -noout -serial 2>/dev/null | cut -d= -f2)
[ -n "$rserial2" ] && [ "$rserial2" != "$rserial" ] &&
  ok "that answer is signed by a new responder certificate" || fail "responder after revocation" "'$rserial2' (the revoked one: '$rserial')"
expect_eq 1 "$(sql "SELECT count(*) FROM certificates WHERE serial = '$rserial2' AND tckn = '' AND COALESCE(revoked_at, 0) = 0")" \
  "the new responder certificate is recorded, not revoked"
sql "SELECT detail FROM audit_log WHERE action = 'ca.certificate' AND object = '$rserial2'" >"$T/why2"
expect_grep '"why":"revoked"' "$T/why2" \
  "its audit entry says it replaces a revoked one"
expect_grep "level=warn event=ca.record certificate=$rserial2 why=revoked: the OCSP responder's certificate was revoked" \
  "$SERR" "and the log warns of it"
openssl ocsp -issuer "$P/inhouse/ca.pem" -cert "$T/responder2.pem" -url "$URL/ca/ocsp" -CAfile "$T/chain.pem" >"$T/ocspr3" 2>&1
expect_grep "Response verify OK" "$T/ocspr3" "an OCSP query about the new one verifies"
expect_grep "responder2.pem: good" "$T/ocspr3" "and says good"
curl -s -o "$T/ca-r.crl" "$URL/ca/crl"
openssl crl -inform DER -in "$T/ca-r.crl" -noout -text >"$T/crlr"
expect_grep "Serial Number: $rserial" "$T/crlr" "and the CRL lists it"
pkcs11-tool --module "$module" --token-label eimza-demo-ca --login --pin "$(cat "$P/hsm/ca.pin")" \
  --list-objects >"$T/objects" 2>&1
expect_grep "label: *kurum-nes" "$T/objects" "the CA token lists its key"
expect_no_grep "eimza-ocsp" "$T/objects" "the responder's key is no stored object there (a session object of the server)"
curl -s -o "$T/ca.crl" "$URL/ca/crl"
openssl crl -inform DER -in "$T/ca.crl" -CAfile "$T/chain.pem" -noout >"$T/crl" 2>&1 &&
  ok "the CRL verifies" || fail "CRL" "$(cat "$T/crl")"
call POST /ca/ocsp -H 'Content-Type: application/ocsp-request' --data-binary 'nonsense'
expect_code 200 "a malformed OCSP request still gets an OCSP answer"
expect_eq 30030a0101 "$(xxd -p "$T/b")" "an OCSPResponse of status malformedRequest"

# ---- shipped and delivered: the PIN on the portal -------------------------------------------------
json POST "/api/v1/admin/applications/$IA/shipment" '{"carrier":"PTT Kargo","tracking_number":"KP1"}' "${SO[@]}"
expect_eq "200 shipped" "$CODE $(jb .state)" "shipped"
json POST /api/v1/application/pin/word '{"security_word":"Gizli Sözcük"}' "${BA[@]}"
expect_error 409 pin_not_available "no PIN before the delivery"
json POST "/api/v1/admin/applications/$IA/delivery" '{}' "${SO[@]}"
expect_eq "200 delivered" "$CODE $(jb .state)" "delivered by the operator"
call GET /api/v1/application/status "${BA[@]}"
expect_eq "waiting true delivered" "$(jb '.pin + " " + (.can_try_card|tostring) + " " + .card.state')" \
  "the status: the PIN waits, the card can be tried"
json POST /api/v1/application/pin/word '{"security_word":"Yanlış Sözcük"}' "${BA[@]}"
expect_eq "400 security_word_wrong 2" "$CODE $(jb '.error.code + " " + (.error.remaining_attempts|tostring)')" \
  "a wrong security word, with the tries left"
json POST /api/v1/application/pin/word '{"security_word":"Gizli Sözcük"}' "${BA[@]}"
expect_code 200 "the right word sends a code"
PINCODE=$(curl -s "$URL/dev/outbox" | jq -r '[.[] | select(.body | contains("PIN"))][-1].body' | grep -oE 'kodunuz: [0-9]{6}' | grep -oE '[0-9]{6}' | head -1)
# the code is not in the outbox row: the template pin_code and its values, the code sealed apart
# (the development outbox opens it with --dev's key); the holder's SMS has the Turkish words
[[ $PINCODE =~ ^[0-9]{6}$ ]] && ok "a six-digit code reached the SMS" || fail "pin code" "$PINCODE"
expect_eq "pin_code||{\"number\":\"$NA\",\"minutes\":\"5\",\"seconds\":\"300\"}|1" \
  "$(sql "SELECT template, coalesce(body, ''), params, count(secret) FROM outbox WHERE dedupe_key LIKE 'pin:$NA:%' GROUP BY id, template, body, params ORDER BY id DESC LIMIT 1")" \
  "the PIN code's outbox row: template and values, the code sealed apart"
expect_eq 0 "$(sql "SELECT count(*) FROM outbox WHERE coalesce(body, '') LIKE '%$PINCODE%' OR coalesce(params, '') LIKE '%$PINCODE%' OR coalesce(secret, '') LIKE '%$PINCODE%'")" \
  "the PIN code is nowhere in the outbox in clear"
expect_eq "e-imza kartınızın ($NA) PIN'ini görmek için SMS kodunuz: $PINCODE. Kod 5 dakika geçerlidir. Bu kodu kimseyle paylaşmayınız." \
  "$(curl -s "$URL/dev/outbox" | jq -r '[.[] | select(.template == "pin_code")][-1].body')" \
  "the SMS the holder gets: the PIN step's Turkish words and the code"
json POST /api/v1/application/pin/code '{"code":"000000"}' "${BA[@]}"
[ "$PINCODE" = 000000 ] || expect_error 400 otp_wrong "a wrong code"
json POST /api/v1/application/pin/code "{\"code\":\"$PINCODE\"}" "${BA[@]}"
expect_code 200 "the right code"
PIN=$(jb .pin)
PUK=$(jb .puk)
[[ $PIN =~ ^[0-9]{6}$ && $PUK =~ ^[0-9]{8}$ ]] && ok "the PIN and PUK shown" || fail "pin" "$(cat "$T/b")"
expect_grep '^Cache-Control: no-store' "$T/h" "never cached"
json POST /api/v1/application/pin/code "{\"code\":\"$PINCODE\"}" "${BA[@]}"
expect_error 409 pin_already_shown "a second retrieval is refused"
expect_eq 0 "$(sql "SELECT count(secret) FROM outbox WHERE dedupe_key LIKE 'pin:%'")" \
  "the used PIN code's sealed copy is gone"
expect_eq "shown" "$(sql "SELECT state FROM card_pins WHERE sealed = ''")" "nothing sealed is left"
# (as whole numbers: six digits may well occur inside a time or an id)
expect_no_grep "(^|[^0-9])($PIN|$PUK)([^0-9]|$)" "$SERR" "the PIN and PUK are not in the log"
sql "SELECT detail FROM audit_log" >"$T/audit.txt"
expect_no_grep "(^|[^0-9])($PIN|$PUK)([^0-9]|$)" "$T/audit.txt" "nor in the audit log"

# ---- try my new card: a signature made on the card with its PIN -----------------------------------
# its page gives the script the words for a locked card: the card is one made here, its PUK
# came from this portal, and the e-imza sorumlusu helps without it; never Kamu SM
call GET /kart-dene -b "eimza_session=${BA[1]#Authorization: Bearer }"
expect_code 200 "the new card's test page"
expect_eq "Kart kilitli: yeni kartınızı bu portaldan aldığınız PUK ile açınız; PUK'unuz yoksa T.C. kimlik kartınızla il millî eğitim müdürlüğünüzdeki e-imza sorumlusuna başvurunuz." \
  "$(attr_of data-say-card-locked)" "/kart-dene: a locked new card, the PUK from the portal or the e-imza sorumlusu"
call GET /kart-dene -b "eimza_session=${BA[1]#Authorization: Bearer }" -H 'Accept-Language: en'
expect_eq "The card is locked: unlock your new card with the PUK you got from this portal; without the PUK, go with your identity card to the e-signature officer of your provincial directorate of national education." \
  "$(attr_of data-say-card-locked)" "/kart-dene in English: the same"
call GET /api/v1/application/card-test/content "${BA[@]}"
expect_code 200 "the text to sign"
cp "$T/b" "$T/test.txt"
expect_grep "^BAŞVURU NO: $NA$" "$T/test.txt" "it names the application"
"$EIMZA" sign --module "$module" --in "$T/test.txt" --out "$T/test.p7s" --pin-fd 3 3<<<"$PIN" >"$T/sign.out" 2>&1 &&
  ok "the card signs with the PIN taken on the portal" || fail "eimza sign" "$(cat "$T/sign.out")"
# a signature of another text is refused
printf 'başka bir metin\n' >"$T/other.txt"
"$EIMZA" sign --module "$module" --in "$T/other.txt" --out "$T/other.p7s" --pin-fd 3 3<<<"$PIN" >/dev/null 2>&1
call POST /api/v1/application/card-test -H 'Content-Type: application/pkcs7-signature' --data-binary @"$T/other.p7s" "${BA[@]}"
expect_error 422 content_mismatch "a signature of another text"
call POST /api/v1/application/card-test -H 'Content-Type: application/pkcs7-signature' --data-binary @"$T/test.p7s" "${BA[@]}"
expect_eq "200 completed" "$CODE $(jb .state)" "the card works: the application is completed"
expect_eq "active" "$(sql "SELECT state FROM cards WHERE application_id = $IA")" "the card is active"
# completed before the old certificate ends: the card is hers, but its certificate is valid only
# from the old one's end, so the status page does not call the card "in use" yet
call GET /api/v1/application/status "${BA[@]}"
expect_eq "completed active" "$(jb '.state + " " + .card.state')" "the status answer keeps the card's state code"
nb=$(date -u -d "$(jb .new_certificate.not_before)" +%s)
FROMA=$(date -u -d "@$((nb + 10800))" +%d.%m.%Y) # the pages' dates are Turkish time (UTC+3)
[ "$nb" -gt "$(date -u +%s)" ] && ok "the new certificate is valid from a later day ($FROMA)" || fail "not_before" "$(jb .new_certificate)"
card_state_of() { tr '\n' ' ' <"$T/b" | grep -oE '<dt>(Kartın durumu|Card status)</dt> *<dd>[^<]*' | sed 's/.*<dd>//'; }
call GET /durum -b "eimza_session=${BA[1]#Authorization: Bearer }"
expect_eq "Teslim edildi; sertifikası $FROMA tarihinden itibaren geçerli olacak" "$(card_state_of)" \
  "/durum: the card delivered, its certificate valid from that day"
expect_no_grep '<dd>Kullanımda</dd>' "$T/b" "not: in use"
call GET /durum -b "eimza_session=${BA[1]#Authorization: Bearer }" -H 'Accept-Language: en'
expect_eq "Delivered; its certificate will be valid from $FROMA" "$(card_state_of)" "/durum in English too"
expect_no_grep '<dd>In use</dd>' "$T/b" "in English, not: in use"
expect_status 0 "personnel show" "$EIMZA" personnel show $A --db "$DB"
expect_eq "$NEWA current" "$(jq -r '.certificates[0] | .serial + " " + .status' "$T/out")" "the new certificate is current"
expect_eq superseded "$(jq -r '.certificates[1].status' "$T/out")" "the old one superseded"

# ---- B: a card made, then lost: revoked at once ---------------------------------------------------
approved $M Mehmet Demir 1981-04-16 || finish
IB=$ID
json POST "/api/v1/admin/applications/$IB/produce" "$(jq -nc --arg s "${BLANK[1]}" '{card_serial:$s}')" "${SO[@]}"
expect_eq "200 in_production" "$CODE $(jb .state)" "B's card is made"
NEWB=$(sql "SELECT c.serial FROM applications a JOIN certificates c ON c.id = a.new_cert_id WHERE a.id = $IB")
der_of "$NEWB" "$T/newb.pem"
json POST "/api/v1/admin/applications/$IB/cancel" '{"reason":"Kart kargoda kayboldu"}' "${SO[@]}"
expect_eq "200 cancelled" "$CODE $(jb .state)" "the application is cancelled (the card lost on its way)"
# a new application, for the lost card (the newest one ended: it is started explicitly)
login $M Mehmet Demir Batman 1981-04-16
B=(-H "Authorization: Bearer $TOKEN")
json POST /api/v1/application/new '{}' "${B[@]}"
NUMBER=$(jb .number)
json PUT /api/v1/application "$(form lost_stolen)" "${B[@]}"
call POST /api/v1/application/otp "${B[@]}"
code=$(curl -s "$URL/dev/outbox" | jq -r '.[-1].body' | grep -oE 'kodunuz: [0-9]{6}' | grep -oE '[0-9]{6}' | head -1)
json POST /api/v1/application/otp/verify "{\"code\":\"$code\"}" "${B[@]}"
expect_code 200 "the lost card's application reaches the signature"
call POST /api/v1/application/wet-signature "${B[@]}"
IL=$(app_id "$NUMBER")
call POST "/api/v1/admin/applications/$IL/paper-received" "${SO[@]}"
expect_eq "200 submitted" "$CODE $(jb .state)" "the lost card's paper received"
expect_eq 1 "$(sql "SELECT count(*) FROM certificates WHERE serial = '$NEWB' AND revoked_at IS NOT NULL AND revocation_reason = 1")" \
  "the lost card's certificate is revoked at once (keyCompromise)"
expect_eq 0 "$(sql "SELECT count(*) FROM revocation_requests")" "no request for a bureau"
openssl ocsp -issuer "$P/inhouse/ca.pem" -cert "$T/newb.pem" -url "$URL/ca/ocsp" -CAfile "$T/chain.pem" >"$T/ocspb" 2>&1
expect_grep "newb.pem: revoked" "$T/ocspb" "OCSP: revoked"
expect_grep "Reason: keyCompromise" "$T/ocspb" "for keyCompromise"
curl -s -o "$T/ca2.crl" "$URL/ca/crl"
openssl crl -inform DER -in "$T/ca2.crl" -noout -text >"$T/crl2"
expect_grep "Serial Number: $NEWB" "$T/crl2" "the CRL lists it"
n1=$(openssl crl -inform DER -in "$T/ca.crl" -noout -crlnumber | cut -d= -f2)
n2=$(openssl crl -inform DER -in "$T/ca2.crl" -noout -crlnumber | cut -d= -f2)
[ "$((16#$n2))" -gt "$((16#$n1))" ] && ok "the CRL number goes up" || fail "CRL number" "$n1 $n2"

# ---- C: from the command line ---------------------------------------------------------------------
approved $F Fatma Şahin 1982-05-17 || finish
NC=$NUMBER
BF=("${B[@]}")
HF=(-b "eimza_session=$TOKEN") # the holder's pages: her session's cookie and its CSRF token
CF=$CSRF
stop_server # one process at a time on the CA token
expect_status 0 "eimza card issue" "$EIMZA" card issue "$NC" --card "${BLANK[2]}" --config "$T/eimza.conf" \
  --config "$T/secrets.conf" --db "$DB"
expect_grep "^card issue: application $NC in_production; card ${BLANK[2]}; certificate [0-9A-F]+$" "$T/out" "it says what it made"
expect_status 2 "a second time" "$EIMZA" card issue "$NC" --config "$T/eimza.conf" --config "$T/secrets.conf" --db "$DB"
expect_grep 'wrong_state' "$T/err" "wrong_state"
expect_status 1 "without in-house settings" "$EIMZA" card issue "$NC" --db "$DB"
expect_eq 1 "$(sql "SELECT count(*) FROM audit_log WHERE action = 'application.order' AND actor = 'staff:cli'")" \
  "on record as the command line"

# ---- C's holder forgot the security word: the operator lifts the word step ------------------------
start_server -- --dev --listen "127.0.0.1:$PORT" --db "$DB" --trust-dir "$T/trust" \
  --config "$T/eimza.conf" --config "$T/secrets.conf" ||
  { fail "server starts again" "$(head -c 1500 "$SERR")"; finish; }
IC=$(app_id "$NC")
json POST "/api/v1/admin/applications/$IC/pin-word-waiver" '{"note":"T.C. kimlik kartı, son 4 hane 0328","identity_checked":true}' "${SO[@]}"
expect_error 409 pin_not_available "no waiver before the delivery"
json POST "/api/v1/admin/applications/$IC/delivery" '{}' "${SO[@]}"
expect_eq "200 delivered" "$CODE $(jb .state)" "C's card handed over at the office"
json POST /api/v1/application/pin/word '{"security_word":"Unuttum"}' "${BF[@]}"
expect_error 400 security_word_wrong "a forgotten word"
expect_grep 'il millî eğitim müdürlüğünüzdeki e-imza sorumlusuna' "$T/b" "the message says who helps"
expect_no_grep 'Kamu SM|444 5 576' "$T/b" "and sends nobody to Kamu SM, which does not make this card"
expect_eq 2 "$(jb .error.remaining_attempts)" "and gives the tries left"
# the page: before a word, the field's hint says who helps; a wrong word's message at the field
# is short (with the tries left), and who helps is said once, in that hint, not in the summary
call GET /pin "${HF[@]}"
expect_code 200 "the PIN page"
hint_of() { tr '\n' ' ' <"$T/b" | grep -oE '<small class="hint" id="security_word-hint">[^<]*' | sed 's/.*>//'; }
error_of() { tr '\n' ' ' <"$T/b" | grep -oE 'id="security_word-error">.*' | sed -E 's#</p>.*##; s#<[^>]*>##g; s#^id="security_word-error">##'; }
summary_of() { tr '\n' ' ' <"$T/b" | grep -oE '<div class="error-summary".*' | sed -E 's#</div>.*##; s#<[^>]*>##g'; }
[[ $(hint_of) == *"e-imza sorumlusuna"* && $(hint_of) == *"kimlik kartınızla"* ]] &&
  ok "the word's hint: who helps, with the identity card" || fail "hint" "$(hint_of)"
call POST /pin/sozcuk "${HF[@]}" --data-urlencode "csrf_token=$CF" --data-urlencode "security_word=Bilmiyorum"
expect_code 400 "a wrong word on the page"
expect_eq "Hata: Güvenlik sözcüğü yanlış. Büyük/küçük harfe dikkat ederek yeniden yazınız; 1 deneme hakkınız kaldı." \
  "$(error_of | sed -E 's/ +/ /g; s/^ //; s/ $//')" "the field's message: short, with the tries left"
[[ $(summary_of) == *"Güvenlik sözcüğü yanlış"* && $(summary_of) != *"sorumlusu"* ]] &&
  ok "the summary: the short message" || fail "summary" "$(summary_of)"
[[ $(hint_of) == *"e-imza sorumlusuna"* ]] && ok "the hint stays under the field" || fail "hint after a wrong word" "$(hint_of)"
main_of() { sed -n '/<main/,/<\/main>/p' "$T/b"; }
expect_eq 1 "$(main_of | grep -o 'sorumlusu' | wc -l)" "who helps is said once on the page (the footer's aside)"
expect_grep 'aria-describedby="security_word-hint security_word-error"' "$T/b" "the field names its hint and its error"
expect_no_grep 'Hatalı girişte' "$T/b" "the tries left are not said a second time"
call POST /pin/sozcuk "${HF[@]}" -H 'Accept-Language: en' --data-urlencode "csrf_token=$CF" --data-urlencode "security_word=Bilmiyorum"
expect_code 429 "a third wrong entry locks the retrieval"
expect_eq 1 "$(main_of | grep -o 'e-signature officer' | wc -l)" "in English: the lock says who helps, once (the hint is left out)"
expect_eq "" "$(hint_of)" "no hint beside the lock's message"
# the hour's wrong entries set back, as if the hour had passed
sql "UPDATE card_pins SET wrong_count = 0, wrong_window_start = 0 WHERE card_id = (SELECT id FROM cards WHERE application_id = $(app_id "$NC"))"
call POST /pin/sozcuk "${HF[@]}" -H 'Accept-Language: en' --data-urlencode "csrf_token=$CF" --data-urlencode "security_word=Bilmiyorum"
expect_eq "Error: The security word is wrong. Write it again minding capital letters; 2 tries left." \
  "$(error_of | sed -E 's/ +/ /g; s/^ //; s/ $//')" "in English too"
[[ $(hint_of) == *"e-signature officer"* ]] && ok "with the hint in English" || fail "hint in English" "$(hint_of)"
sql "UPDATE card_pins SET wrong_count = 0, wrong_window_start = 0 WHERE card_id = (SELECT id FROM cards WHERE application_id = $(app_id "$NC"))"
json POST /api/v1/application/pin/word '{}' "${BF[@]}"
expect_error 400 invalid_fields "without a waiver the word is asked for"
W='{"note":"T.C. kimlik kartı, son 4 hane 0328","identity_checked":true}'
json POST "/api/v1/admin/applications/$IC/pin-word-waiver" "$W" "${SA[@]}"
expect_error 403 forbidden_role "an approver does not lift the word step"
json POST "/api/v1/admin/applications/$IC/pin-word-waiver" '{"note":"T.C. kimlik kartı"}' "${SO[@]}"
expect_eq "400 invalid_fields true" "$CODE $(jb '.error.code + " " + (.error.fields | has("identity_checked") | tostring)')" \
  "not without the operator's declaration"
json POST "/api/v1/admin/applications/$IC/pin-word-waiver" "$W" "${SO[@]}"
expect_code 200 "the operator lifts the word step"
until_s=$(date -u -d "$(jb .waived_until)" +%s)
[ $((until_s - $(date -u +%s))) -gt $((47 * 3600)) ] && [ $((until_s - $(date -u +%s))) -le $((48 * 3600)) ] &&
  ok "for 48 hours" || fail "waived_until" "$(cat "$T/b")"
expect_eq 1 "$(sql "SELECT count(*) FROM audit_log WHERE action = 'pin.word_waived' AND actor = 'staff:osman.op' AND object = '$NC' AND detail NOT LIKE '%0328%'")" \
  "audited with the operator's name, without the note"
curl -s "$URL/dev/outbox" >"$T/outbox.json"
expect_eq true "$(jq --arg n "$NC" '[.[] | select(.template == "pin_word_waived" and (.body | contains($n)))] | length >= 1' "$T/outbox.json")" \
  "the holder is told the word step was lifted"
# the staff card page names who lifted the step; the note (it may name an identity document) is
# for the operators who give waivers, not for the province's approver
call GET "/yonetim/kart/$IC" -b "eimza_staff=${SO[1]#Authorization: Bearer }"
expect_grep 'osman\.op tarafından' "$T/b" "the card page names the operator"
expect_no_grep '>Kartınız<' "$T/b" "the staff's card page speaks of the holder's card, not of the operator's own"
expect_grep 'son 4 hane 0328' "$T/b" "and shows the operator the note"
call GET "/yonetim/kart/$IC" -b "eimza_staff=${SA[1]#Authorization: Bearer }"
expect_code 200 "the approver sees the card page"
expect_grep 'osman\.op tarafından' "$T/b" "with who lifted the step"
expect_no_grep 'hane 0328' "$T/b" "but not the note" # (a bare 0328 can be in a random serial)
expect_grep 'yalnızca kart operatörlerine gösterilir' "$T/b" "which says why"
json POST /api/v1/application/pin/word '{}' "${BF[@]}"
expect_code 200 "the SMS code alone"
expect_eq 1 "$(sql "SELECT count(*) FROM audit_log WHERE action = 'pin.code_sent' AND object = '$NC' AND detail LIKE '%waived%'")" \
  "the code's sending says the word was waived"
PINCODE=$(curl -s "$URL/dev/outbox" | jq -r '[.[] | select(.body | contains("PIN") and contains("kodunuz"))][-1].body' | grep -oE 'kodunuz: [0-9]{6}' | grep -oE '[0-9]{6}' | head -1)
# delivered through a stand-in SMS gateway (tests/mocks/sms-gateway.mjs) by `eimza notify run`,
# which opens the PIN code with the key the --dev server sealed it with (its dedupe key
# pin:<number>:<n> as the context): the PIN step's Turkish words with the code
start_sms_gateway "$T/gw.jsonl"
sms_gateway_dev_conf "$T/gw.conf"
expect_status 0 "pin: eimza notify run delivers the SMS" "$EIMZA" notify run --db "$DB" --config "$T/gw.conf"
kill "$MPID"
expect_grep "\"text\\\\\":\\\\\"e-imza kartınızın \\($NC\\) PIN'ini görmek için SMS kodunuz: $PINCODE\. Kod 5 dakika geçerlidir\. Bu kodu kimseyle paylaşmayınız\.\\\\\"" \
  "$T/gw.jsonl" "pin: the gateway got the PIN step's Turkish words with the code"
expect_eq "sent 0" "$(sql "SELECT status, count(secret) FROM outbox WHERE dedupe_key LIKE 'pin:$NC:%' GROUP BY id, status ORDER BY id DESC LIMIT 1" | tr '|' ' ')" \
  "pin: the message is sent, its sealed code gone with the hand-over"
# the code step on the page says a wrong code as the word step says a wrong word (and as /sms
# does): a short message at the field with the tries left, not a paragraph of its own
call POST /pin/kod "${HF[@]}" --data-urlencode "csrf_token=$CF" --data-urlencode "code=$(printf '%06d' $(((10#${PINCODE:-0} + 1) % 1000000)))"
expect_code 400 "a wrong code on the page"
code_error_of() { tr '\n' ' ' <"$T/b" | grep -oE 'id="code-error">.*' | sed -E 's#</p>.*##; s#<[^>]*>##g; s#^id="code-error">##'; }
expect_eq "Hata: SMS onay kodu hatalı. Telefonunuza gelen 6 haneli kodu dikkatle yeniden giriniz; 2 deneme hakkınız kaldı." \
  "$(code_error_of | sed -E 's/ +/ /g; s/^ //; s/ $//')" "the code's message at the field: short, with the tries left"
expect_no_grep 'Hatalı giriş' "$T/b" "the tries left are not said a second time"
call GET /pin "${HF[@]}" -H 'Accept-Language: en'
expect_grep '<p>After wrong entries you have 2 tries left\.</p>' "$T/b" "back on the page, the tries left (in English, in the plural)"
sql "UPDATE card_pins SET wrong_count = 2, wrong_window_start = $(date +%s) WHERE card_id = (SELECT id FROM cards WHERE application_id = $(app_id "$NC"))"
call GET /pin "${HF[@]}" -H 'Accept-Language: en'
expect_grep '<p>After wrong entries you have 1 try left\.</p>' "$T/b" "and one try in the singular"
sql "UPDATE card_pins SET wrong_count = 0, wrong_window_start = 0 WHERE card_id = (SELECT id FROM cards WHERE application_id = $(app_id "$NC"))"
json POST /api/v1/application/pin/code "{\"code\":\"$PINCODE\"}" "${BF[@]}"
expect_code 200 "the PIN with the SMS code only"
[[ $(jb .pin) =~ ^[0-9]{6}$ ]] && ok "C's PIN shown" || fail "C's pin" "$(cat "$T/b")"
json POST /api/v1/application/pin/word '{}' "${BF[@]}"
expect_error 409 pin_already_shown "a second attempt after the PIN is shown"
# what a holder who lost the PIN (and the PUK) can do then, and who helps: as the newer texts
for want in "PUK ile" "yeni bir kart" "e-imza sorumlusuna"; do
  expect_grep "$want" "$T/b" "the refusal says: $want"
done
expect_no_grep 'DYS' "$T/b" "the approver (DYS) is not the one who helps here"
json POST /api/v1/application/pin/word '{}' "${BF[@]}" -H 'Accept-Language: en'
for want in "with the PUK" "new card" "e-signature officer"; do
  expect_grep "$want" "$T/b" "in English: $want"
done
call GET /pin "${HF[@]}"
expect_code 409 "the PIN page after it was shown"
expect_grep 'e-imza sorumlusuna' "$T/b" "says who helps"
call GET /api/v1/application/status "${BF[@]}"
[[ $(jb .pin_note) == *"e-imza sorumlusuna"* && $(jb .pin_note) != *DYS* ]] &&
  ok "the status's PIN note names the same helper" || fail "pin_note" "$(jb .pin_note)"
json POST "/api/v1/admin/applications/$IC/pin-word-waiver" "$W" "${SO[@]}"
expect_error 409 pin_already_shown "and no waiver after it"
# the same code, in words for the operator: not the holder's "your PIN" text
STAFF_SHOWN='Kart sahibinin PIN ve PUK şifreleri portalda kendisine zaten gösterildi'
[[ $(jb .error.message) == "$STAFF_SHOWN"*"güvenlik sözcüğü adımı artık bir şey değiştirmez"*"PUK ile"*"yeni bir kart gerekir." ]] &&
  ok "the refusal speaks to the operator: shown already, the word step no longer matters, PUK or a new card" ||
  fail "staff message" "$(jb .error.message)"
json POST "/api/v1/admin/applications/$IC/pin-word-waiver" "$W" "${SO[@]}" -H 'Accept-Language: en'
[[ $(jb .error.message) == "The card's PIN and PUK were already shown to the holder"* ]] &&
  ok "and in English" || fail "staff message in English" "$(jb .error.message)"
# a waiver posted from a card page opened before the PIN was shown: the staff's words too
call POST "/yonetim/kart/$IC" -b "eimza_staff=${SO[1]#Authorization: Bearer }" --data-urlencode "csrf_token=$OCSRF" \
  --data-urlencode action=waive_word --data-urlencode "note=T.C. kimlik kartı" --data-urlencode identity_checked=yes
expect_code 409 "the card page: the waiver refused"
expect_grep "$STAFF_SHOWN" "$T/b" "in the staff's words"
expect_no_grep 'size bir kez gösterildi|PIN.inizi unuttuysanız' "$T/b" "not the holder's"

# ---- who helps, where the cards are made in house: the e-imza sorumlusu, not Kamu SM ---------------
# a card test signed under a CA nobody trusts: the message does not send her to a card Kamu SM
# issued but to the e-imza sorumlusu (reason_inhouse.chain_untrusted), in both languages
call GET /api/v1/application/card-test/content "${BF[@]}"
cp "$T/b" "$T/testf.txt"
openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes -keyout "$T/evil.key" \
  -out "$T/evil.pem" -days 30 -subj "/CN=Evil Root" 2>/dev/null
openssl req -new -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes -keyout "$T/evilf.key" \
  -subj "/C=TR/CN=Fatma Şahin/serialNumber=$F" -utf8 -out "$T/evilf.csr" 2>/dev/null
printf 'keyUsage=critical,nonRepudiation\ncertificatePolicies=2.16.792.1.2.1.1.5.7.1.1\n' >"$T/evil.ext"
openssl x509 -req -in "$T/evilf.csr" -CA "$T/evil.pem" -CAkey "$T/evil.key" -CAcreateserial \
  -days 30 -extfile "$T/evil.ext" -out "$T/evilf.pem" 2>/dev/null
openssl cms -sign -binary -cades -md sha256 -signer "$T/evilf.pem" -inkey "$T/evilf.key" \
  -in "$T/testf.txt" -outform DER -out "$T/evilf.p7s" 2>/dev/null
call POST /api/v1/application/card-test -H 'Content-Type: application/pkcs7-signature' --data-binary @"$T/evilf.p7s" "${BF[@]}"
expect_error 422 chain_untrusted "a card test under an untrusted CA"
[[ $(jb .error.message) == *"e-imza sorumlusuna"* && $(jb .error.message) != *"Kamu SM"* ]] &&
  ok "its message: the e-imza sorumlusu helps, not Kamu SM" || fail "chain_untrusted in house" "$(jb .error.message)"
call POST /api/v1/application/card-test -H 'Content-Type: application/pkcs7-signature' --data-binary @"$T/evilf.p7s" \
  "${BF[@]}" -H 'Accept-Language: en'
[[ $(jb .error.message) == *"e-signature officer"* && $(jb .error.message) != *"Kamu SM"* ]] &&
  ok "in English too" || fail "chain_untrusted in house, English" "$(jb .error.message)"
# no mobile number on record: the form's field says to ask the personnel unit, then the il DYS
# unit (reason_inhouse.no_mobile_on_file), not Kamu SM's call centre: the API and the page
login $N Zeynep Ak Batman 1985-08-20
BN=(-H "Authorization: Bearer $TOKEN")
call GET /api/v1/application "${BN[@]}" # her draft
json PUT /api/v1/application "$(form)" "${BN[@]}"
expect_error 400 invalid_fields "no mobile number on record: the form is refused"
[[ $(jb .error.fields.mobile_phone) == *"özlük biriminizle"*"il DYS biriminize"* && $(jb .error.fields.mobile_phone) != *"Kamu SM"* ]] &&
  ok "on its field: the personnel unit, then the il DYS unit" || fail "no_mobile_on_file in house" "$(jb .error.fields.mobile_phone)"
json PUT /api/v1/application "$(form)" "${BN[@]}" -H 'Accept-Language: en'
[[ $(jb .error.fields.mobile_phone) == *"provincial DYS unit"* && $(jb .error.fields.mobile_phone) != *"Kamu SM"* ]] &&
  ok "in English too" || fail "no_mobile_on_file in house, English" "$(jb .error.fields.mobile_phone)"
call POST /basvuru -b "eimza_session=$TOKEN" --data-urlencode "csrf_token=$CSRF" --data-urlencode reason=renewal \
  --data-urlencode "security_word=Gizli Sözcük" --data-urlencode "security_word_repeat=Gizli Sözcük" \
  --data-urlencode "address=Okul Sok. 1" --data-urlencode postal_code=72100 --data-urlencode mobile_operator=vodafone
expect_code 200 "the form page shown again"
expect_grep 'il/ilçe millî eğitim özlük biriminizle görüşünüz; sorununuz sürerse il DYS biriminize başvurunuz' "$T/b" \
  "the form page: whom to ask for the number, in this deployment's words"
expect_no_grep 'Kamu SM çağrı merkezini' "$T/b" "and not Kamu SM's call centre"
call GET /api/v1/application/status "${BF[@]}"
[[ $(jb .contact) == *"il DYS yöneticinize"* && $(jb .contact) == *"e-imza sorumlusuna"* && $(jb .contact) != *"Kamu SM"* ]] &&
  ok "the status's contact: the approver for the application, the e-imza sorumlusu for the card" ||
  fail "contact" "$(jb .contact)"
call GET /durum "${HF[@]}"
expect_grep 'il millî eğitim müdürlüğünüzdeki e-imza sorumlusuna başvurunuz' "$T/b" "the status page says who helps"
expect_grep 'Kamu SM.{1,6}nin verdiği kartlar için çağrı merkezi: 444' "$T/b" \
  "the footer gives Kamu SM's number for a card Kamu SM issued only"
expect_no_grep 'Sorularınız için Kamu SM|ulaşmazsa çağrı merkezini' "$T/b" "and sends nobody to Kamu SM for this card"
call GET /yardim
expect_grep '<h2>E-imza sorumlusu</h2>' "$T/b" "help: who helps with the card"
expect_grep 'PIN ve PUK şifreleri, kilitlenen kart ve sertifika iptali için T.C. kimlik kartınızla il millî eğitim müdürlüğünüzdeki e-imza sorumlusuna' \
  "$T/b" "help: PIN and PUK questions go to the e-imza sorumlusu"
expect_grep 'başvurunuz için il DYS biriminize' "$T/b" "help: questions on the application go to the il DYS unit"
expect_no_grep 'Kamu SM Çağrı Merkezi|Kamu Sertifikasyon Merkezinin çağrı merkezini|Gelmezse 444' "$T/b" \
  "help: nothing sends a question about this card to Kamu SM"
call GET /yardim -H 'Accept-Language: en'
expect_grep '<h2>E-signature officer</h2>' "$T/b" "help in English: who helps with the card"
expect_no_grep 'Kamu SM call centre\.|call the Kamu SM call centre on' "$T/b" "help in English: not Kamu SM for this card"
call GET /yonetim/uretim -b "eimza_staff=${SO[1]#Authorization: Bearer }"
expect_grep 'eimza shipments import komutunu' "$T/b" "the operator's cards page: the command for a large courier file"
expect_no_grep 'eimza bureau import' "$T/b" "and not the bureau's, which this deployment has not"
# a courier's file is the only kind here: no radio group of one option, the field names the file
expect_no_grep 'name="kind"|type="radio"' "$T/b" "the files' form: no choice of one"
expect_grep '>Kurye dosyasının içeriği<' "$T/b" "its field is the courier file's"
expect_grep 'Sütunlar: application_number, carrier, tracking_number; noktalı virgül' "$T/b" "with its columns"
call GET "/yonetim/uretim?lang=en" -b "eimza_staff=${SO[1]#Authorization: Bearer }"
expect_grep ">The courier file's content<|>The courier file&#39;s content<" "$T/b" "in English too"
call GET /
expect_no_grep 'Kamu Sertifikasyon Merkezine|Kamu SM ile|numaralı çağrı merkezine' "$T/b" \
  "the landing page and its privacy notice: no Kamu SM in this deployment"
stop_server

finish
