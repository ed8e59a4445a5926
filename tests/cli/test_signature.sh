#!/usr/bin/env bash
# eimza — the e-signature step end to end over HTTP: a real demo PKI (scripts/demo-pki.sh: a
# root and an NES-style sub-CA issuing certificates with the NES policy, the QC statements and
# non-repudiation), a real `openssl ocsp` responder on the port the certificates name, and
# signatures made independently with `openssl cms -sign -cades`. Each refusal the server can
# reach through the portal is checked with its code (malformed, content_mismatch,
# chain_untrusted, tckn_mismatch, certificate_revoked, revocation_unknown), then a good
# signature submits the application, is kept as evidence that `openssl cms -verify` accepts
# again, and cannot be replayed; the wet-signature form comes back as a PDF. Both backends.
source "$EIMZA_SOURCE_DIR/tests/lib.sh"
for c in openssl jq curl; do
  command -v $c >/dev/null || { echo "FAIL: $c is needed (scripts/deps.txt)"; exit 1; }
done

A=10000000146 # the applicant with her own key (demo-pki "applicant")
R=10000000214 # a revoked certificate
O=10000000382 # another holder (for a signature with somebody else's certificate)
U=10000000450 # signs while no revocation answer can be had
H='tckn;ad;soyad;dogum_yeri;dogum_tarihi;kurum_kodu;kurum_adi;il_kodu;ilce;birim;unvan;gorev_durumu;gorevlendirme_bitis;eimza_hakki;eposta;cep_telefonu'
DB=$(new_db) || exit 1
source "$SRC/tests/portal_lib.sh"

# ---- the PKI, the OCSP responder, the trust directory ---------------------------------------------
OPORT=$(free_port) || { fail "a free port for the OCSP responder"; finish; }
printf '%s\tapplicant\t45\tAyşegül Işık\n%s\trevoked\t100\tÖmer Çelik\n%s\tactive\t200\tİsmail Güneş\n%s\tactive\t300\tZeynep Kaya\n' \
  $A $R $O $U >"$T/spec.tsv"
EIMZA_PKI_PORT=$OPORT bash "$SRC/scripts/demo-pki.sh" "$T/pki" "$T/spec.tsv" >"$T/pki.out" 2>&1 ||
  { fail "demo PKI" "$(tail -5 "$T/pki.out")"; finish; }
P=$T/pki
mkdir -p "$T/trust"
cp "$P/root/root.pem" "$P/nes/nes.pem" "$T/trust/"
openssl ocsp -index "$P/nes/index.txt" -port "$OPORT" -rsigner "$P/ocsp/ocsp.pem" \
  -rkey "$P/ocsp/ocsp.key" -CA "$P/nes/nes.pem" -nmin 10 >"$T/ocsp.log" 2>&1 &
OPID=$!
trap '[ -n "$PID" ] && kill -TERM "$PID" 2>/dev/null; kill "$OPID" 2>/dev/null; cleanup' EXIT
for _ in $(seq 1 100); do
  openssl ocsp -issuer "$P/nes/nes.pem" -cert "$P/holders/$A.pem" -url "http://127.0.0.1:$OPORT/ocsp" \
    -CAfile "$P/chain.pem" >/dev/null 2>&1 && break
  sleep 0.1
done

expect_status 0 "migrate" "$EIMZA" migrate --db "$DB"
{
  echo "$H"
  echo "$A;Ayşegül;Işık;Batman;1980-03-15;720001;Batman İl Milli Eğitim Müdürlüğü;72;Merkez;Eğitim;Öğretmen;aktif;;1;ayse@meb.gov.tr;0532 123 45 67"
  echo "$R;Ömer;Çelik;Siirt;1975-01-02;560001;Siirt Lisesi;56;Kurtalan;Müdürlük;Müdür;aktif;;1;omer@meb.gov.tr;0533 765 43 21"
  echo "$O;İsmail;Güneş;Van;1990-06-30;650001;Van Lisesi;65;Merkez;Eğitim;Öğretmen;aktif;;1;ismail@meb.gov.tr;0544 111 22 33"
  echo "$U;Zeynep;Kaya;Siirt;1985-02-20;560002;Siirt Anadolu Lisesi;56;Merkez;Eğitim;Öğretmen;aktif;;1;zeynep@meb.gov.tr;0545 222 33 44"
} >"$T/p.csv"
expect_status 0 "import personnel" "$EIMZA" import personnel "$T/p.csv" --db "$DB"
expect_status 0 "import the holders' certificates" "$EIMZA" import certificates "$P/holders.pem" --db "$DB"

if ! start_server -- --dev --listen 127.0.0.1:0 --db "$DB" --trust-dir "$T/trust"; then
  fail "server starts" "$(head -c 1000 "$SERR")"
  finish
fi
form() { # PLATE: a valid form for a person of that province
  echo "{\"security_word\":\"Gizli Sözcük\",\"security_word_repeat\":\"Gizli Sözcük\",\"address\":\"Okul Sok. 1\",\"postal_code\":\"${1}100\",\"mobile_operator\":\"vodafone\"}"
}
# sign CERT KEY IN OUT [EXTRA...]: a detached CAdES-BES made by the openssl CLI, DER.
sign() {
  local cert=$1 key=$2 in=$3 out=$4
  shift 4
  openssl cms -sign -binary -cades -md sha256 -signer "$cert" -inkey "$key" -certfile "$P/nes/nes.pem" \
    -in "$in" -outform DER -out "$out" "$@" 2>>"$T/cms.log"
}
post_sig() { # FILE [CURL-ARGS...]
  local f=$1
  shift
  call POST /api/v1/application/signature -H 'Content-Type: application/pkcs7-signature' \
    --data-binary "@$f" "$@"
}

# ---- the applicant at the signing step --------------------------------------------------------------
to_signing $A Ayşegül Işık Batman 1980-03-15 "$(form 72)" || finish
BA=("${B[@]}") NA=$NUMBER
json POST /api/v1/application/method '{"method":"esign"}' "${BA[@]}"
expect_code 200 "method: esign"
# the signing page gives its script the words for a locked card (data-say-card-locked; the
# agent cannot know who made the card): here the cards are Kamu SM's, so its unlocking service
# (tests/cli/test_card_inhouse.sh: where they are made in house)
call GET /imza -b "eimza_session=$TOKEN"
expect_code 200 "the signing page"
expect_eq "Kart kilitli: PUK ile ya da Kamu SM'nin kilit açma hizmetiyle açınız." \
  "$(attr_of data-say-card-locked)" "/imza: a locked card is opened with the PUK or Kamu SM's service"
call GET /imza -b "eimza_session=$TOKEN" -H 'Accept-Language: en'
expect_eq "The card is locked: unlock it with the PUK or Kamu SM's unlocking service." \
  "$(attr_of data-say-card-locked)" "/imza in English: the same"
call GET /api/v1/application/content "${BA[@]}"
cp "$T/b" "$T/content"

echo "not a signature" >"$T/junk"
post_sig "$T/junk" "${BA[@]}"
expect_error 422 malformed "junk is malformed"
expect_grep '"message":"[^"]*imza' "$T/b" "malformed: a Turkish message"
call POST /api/v1/application/signature -H 'Content-Type: application/json' --data-binary "@$T/junk" "${BA[@]}"
expect_code 415 "a signature must come as application/pkcs7-signature"
post_sig "$T/junk"
expect_error 401 session_required "no session, no signature"

{ cat "$T/content"; echo "Ek satır"; } >"$T/other"
sign "$P/applicant/cert.pem" "$P/applicant/key.pem" "$T/other" "$T/s-other.der"
post_sig "$T/s-other.der" "${BA[@]}"
expect_error 422 content_mismatch "a signature over other bytes"

sign "$P/holders/$O.pem" "$P/keys/holders.key" "$T/content" "$T/s-o.der"
post_sig "$T/s-o.der" "${BA[@]}"
expect_error 422 tckn_mismatch "a signature with another person's certificate"

# a CA nobody trusts, with a certificate shaped like a good one
openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes -keyout "$T/evil.key" \
  -out "$T/evil.pem" -days 30 -subj "/CN=Evil Root" 2>/dev/null
openssl req -new -key "$P/applicant/key.pem" -subj "/C=TR/CN=Ayşegül Işık/serialNumber=$A" -utf8 \
  -out "$T/evil.csr" 2>/dev/null
printf 'keyUsage=critical,nonRepudiation\ncertificatePolicies=2.16.792.1.2.1.1.5.7.1.1\n' >"$T/evil.ext"
openssl x509 -req -in "$T/evil.csr" -CA "$T/evil.pem" -CAkey "$T/evil.key" -CAcreateserial \
  -days 30 -extfile "$T/evil.ext" -out "$T/evil-cert.pem" 2>/dev/null
openssl cms -sign -binary -cades -md sha256 -signer "$T/evil-cert.pem" -inkey "$P/applicant/key.pem" \
  -in "$T/content" -outform DER -out "$T/s-evil.der" 2>>"$T/cms.log"
post_sig "$T/s-evil.der" "${BA[@]}"
expect_error 422 chain_untrusted "a certificate from an untrusted CA"

call GET /api/v1/application/status "${BA[@]}"
expect_eq code_verified "$(jb .state)" "refused signatures leave the application waiting"

# ---- the good signature ---------------------------------------------------------------------------
sign "$P/applicant/cert.pem" "$P/applicant/key.pem" "$T/content" "$T/s-good.der"
post_sig "$T/s-good.der" "${BA[@]}"
expect_code 200 "a good signature is accepted"
expect_eq "submitted $NA" "$(jb '.state + " " + .number')" "accepted: submitted"
call GET /api/v1/application/status "${BA[@]}"
expect_eq "submitted signed" "$(jb '.state + " " + .timeline[-1].event')" "status: submitted, signed"
post_sig "$T/s-good.der" "${BA[@]}"
expect_error 409 wrong_state "the same signature again"

# the evidence: the CMS as sent and the content, re-verified by openssl
hexcol() { # COLUMN: the application's signature column as hex
  if [ "$backend" = postgresql ]; then sql "SELECT encode($1, 'hex') FROM signatures s JOIN applications a ON a.id = s.application_id WHERE a.number = '$NA'"
  else sql "SELECT hex($1) FROM signatures s JOIN applications a ON a.id = s.application_id WHERE a.number = '$NA'"; fi
}
hexcol cms | xxd -r -p >"$T/ev.p7s"
hexcol content | xxd -r -p >"$T/ev.txt"
cmp -s "$T/ev.p7s" "$T/s-good.der" && ok "evidence: the CMS exactly as sent" || fail "evidence: CMS"
cmp -s "$T/ev.txt" "$T/content" && ok "evidence: the content signed" || fail "evidence: content"
[ -n "$(hexcol ocsp)" ] && ok "evidence: the OCSP response relied on" || fail "evidence: OCSP"
openssl cms -verify -binary -inform DER -in "$T/ev.p7s" -content "$T/ev.txt" -CAfile "$P/chain.pem" \
  -purpose any -out /dev/null 2>"$T/verify.err" && ok "evidence: openssl cms -verify accepts it" ||
  fail "evidence: openssl cms -verify" "$(cat "$T/verify.err")"
expect_grep '"check"' <(sql "SELECT validation FROM signatures") "evidence: each check recorded"

# exported as files, for anyone to verify with openssl alone
expect_status 0 "evidence export" "$EIMZA" evidence export "$NA" --out "$T/export" --db "$DB"
for f in signature.p7s content.txt validation.json ocsp.der README.txt; do
  [ -s "$T/export/$f" ] && ok "export: $f" || fail "export: $f missing"
done
expect_eq 640 "$(stat -c %a "$T/export/content.txt")" "export: personal data readable by owner and group only"
cmp -s "$T/export/signature.p7s" "$T/s-good.der" && ok "export: the CMS as sent" || fail "export: CMS"
openssl cms -verify -binary -inform DER -in "$T/export/signature.p7s" -content "$T/export/content.txt" \
  -CAfile "$P/chain.pem" -purpose any -out /dev/null 2>"$T/verify2.err" &&
  ok "export: openssl cms -verify accepts the exported files" || fail "export: verify" "$(cat "$T/verify2.err")"
openssl ocsp -respin "$T/export/ocsp.der" -resp_text -noverify >"$T/ocsp.txt" 2>&1
expect_grep 'Cert Status: good' "$T/ocsp.txt" "export: the OCSP response said good"
expect_grep '"result":"accepted"' "$T/export/validation.json" "export: the validation result"
expect_status 2 "evidence export: unknown number" "$EIMZA" evidence export ZZZZZZZZZZ --out "$T/x" --db "$DB"
expect_grep '^eimza: evidence export: ZZZZZZZZZZ: application_unknown: Bu numarada bir başvuru yok' "$T/err" \
  "unknown number: application_unknown, the operator's message (not the applicant's no_application)"
expect_status 1 "evidence export: --out missing" "$EIMZA" evidence export "$NA" --db "$DB"

# ---- a replay into another application, a revoked certificate -------------------------------------
to_signing $R Ömer Çelik Siirt 1975-01-02 "$(form 56)" || finish
BR=("${B[@]}")
post_sig "$T/s-good.der" "${BR[@]}"
expect_error 422 content_mismatch "a signature replayed into another application"
call GET /api/v1/application/content "${BR[@]}"
cp "$T/b" "$T/content-r"
sign "$P/holders/$R.pem" "$P/keys/holders.key" "$T/content-r" "$T/s-r.der"
post_sig "$T/s-r.der" "${BR[@]}"
expect_error 422 certificate_revoked "a revoked certificate (OCSP)"
call GET /api/v1/application "${BR[@]}"
expect_status 2 "evidence export: an application without a signature" \
  "$EIMZA" evidence export "$(jb .number)" --out "$T/none" --db "$DB"
expect_grep 'no_signature' "$T/err" "no signature: no_signature"

# ---- no revocation answer ----------------------------------------------------------------------------
kill "$OPID" 2>/dev/null
wait "$OPID" 2>/dev/null
to_signing $U Zeynep Kaya Siirt 1985-02-20 "$(form 56)" || finish
BU=("${B[@]}")
call GET /api/v1/application/content "${BU[@]}"
cp "$T/b" "$T/content-u"
sign "$P/holders/$U.pem" "$P/keys/holders.key" "$T/content-u" "$T/s-u.der"
post_sig "$T/s-u.der" "${BU[@]}"
expect_error 422 revocation_unknown "no OCSP or CRL answer: refused by default"

# ---- the wet-signature form ------------------------------------------------------------------------
call POST /api/v1/application/wet-signature "${BU[@]}"
expect_code 200 "wet form"
expect_grep '^Content-Type: application/pdf' "$T/h" "wet form: a PDF"
[ "$(head -c 5 "$T/b")" = "%PDF-" ] && ok "wet form: PDF bytes" || fail "wet form: PDF bytes"
call GET /api/v1/application/status "${BU[@]}"
expect_eq "awaiting_original wet" "$(jb '.state + " " + .method')" "wet form: the method is wet now"
call POST /api/v1/application/wet-signature "${BU[@]}"
expect_code 200 "wet form: printed again"
call POST /api/v1/application/wet-signature "${BA[@]}"
expect_error 409 wrong_state "wet form: not for a submitted application"
stop_server

cat "${SERRS[@]}" >"$T/all.err"
expect_no_grep "$A|$R|$U|$O" "$T/all.err" "the log holds no T.C. Kimlik No"
finish
