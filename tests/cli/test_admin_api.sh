#!/usr/bin/env bash
# eimza — the staff JSON API (/api/v1/admin) against a real `eimza serve` on loopback: the staff
# login (--dev: no TOTP for accounts that have not enrolled; outside --dev: the enrolment
# answer with the secret, the otpauth URI and the QR code, then a login with a code computed
# here from the secret), the lock-out after failed logins (429 with Retry-After), sessions
# (Bearer, the eimza_staff cookie with its CSRF rule, applicants' tokens refused, logout).
# Applications reach "submitted" the real ways: one with a CAdES signature made by the openssl
# CLI over the content (a demo PKI from scripts/demo-pki.sh), the others by the wet path and
# an operator recording the signed paper. Then: province scoping (list, look, decision: 403),
# 409 not_eligible with its reasons, a rejection without a reason (400), re-evaluation after
# `eimza import personnel` both ways, the applicant's message in the development outbox, the
# renewal chain (an e-signed approval adds one, a wet one ends it), bulk approval of only the
# eligible, the CSV exports (BOM, attachment, formula escaping, masking), the dashboard, the
# ready rejection texts, the audit entries, a decision surviving a restart, and a log free of
# T.C. Kimlik Nos. Both backends.
source "$EIMZA_SOURCE_DIR/tests/lib.sh"
for c in openssl jq curl xxd base32; do
  command -v $c >/dev/null || { echo "FAIL: $c is needed (scripts/deps.txt)"; exit 1; }
done

A=30000000182 # e-signed renewal, 72
W=30000000250 # wet path, 72: ends the renewal chain
X=30000000328 # wet path, 06: another province
N=30000000496 # 72, not entitled until the records are fixed
V=30000000564 # 72, eligible until the records say she left; an institution name like a formula
R=30000000632 # 72, rejected
E=30000000700 # 72, bulk-approved
Q=30000000878 # 72, no application; certificate ends in 20 days
PW='Doğru-Parola-2025'
H='tckn;ad;soyad;dogum_yeri;dogum_tarihi;kurum_kodu;kurum_adi;il_kodu;ilce;birim;unvan;gorev_durumu;gorevlendirme_bitis;eimza_hakki;eposta;cep_telefonu'
DB=$(new_db) || exit 1
source "$SRC/tests/portal_lib.sh"

# people FILE N_ENTITLED V_DUTY: the personnel file
people() {
  {
    echo "$H"
    echo "$A;Ayşe;Kaya;Batman;1980-03-15;720001;Batman Lisesi;72;Merkez;Eğitim;Öğretmen;aktif;;1;ayse@meb.gov.tr;0532 100 00 01"
    echo "$W;Mehmet;Demir;Batman;1981-04-16;720002;Kozluk Lisesi;72;Kozluk;Eğitim;Öğretmen;aktif;;1;mehmet@meb.gov.tr;0532 100 00 02"
    echo "$X;Fatma;Şahin;Ankara;1982-05-17;060001;Ankara Lisesi;06;Çankaya;Eğitim;Öğretmen;aktif;;1;fatma@meb.gov.tr;0532 100 00 03"
    echo "$N;Can;Yıldız;Batman;1983-06-18;720003;Sason Lisesi;72;Sason;Eğitim;Öğretmen;aktif;;$2;can@meb.gov.tr;0532 100 00 04"
    echo "$V;Elif;Öz;Batman;1984-07-19;720004;=1+2 Okulu;72;Merkez;Eğitim;Öğretmen;$3;;1;elif@meb.gov.tr;0532 100 00 05"
    echo "$R;Hasan;Ak;Batman;1985-08-20;720005;Batman Anadolu Lisesi;72;Merkez;Eğitim;Öğretmen;aktif;;1;hasan@meb.gov.tr;0532 100 00 06"
    echo "$E;Zeynep;Ay;Batman;1986-09-21;720006;Beşiri Lisesi;72;Beşiri;Eğitim;Öğretmen;aktif;;1;zeynep@meb.gov.tr;0532 100 00 07"
    echo "$Q;Ali;Veli;Batman;1987-10-22;720007;Gercüş Lisesi;72;Gercüş;Eğitim;Öğretmen;aktif;;1;ali@meb.gov.tr;0532 100 00 08"
  } >"$1"
}

# ---- the PKI (no OCSP responder: the server is told to accept an unknown revocation status) ------
printf '%s\tapplicant\t45\tAyşe Kaya\n%s\tactive\t20\tAli Veli\n' $A $Q >"$T/spec.tsv"
EIMZA_PKI_PORT=9 bash "$SRC/scripts/demo-pki.sh" "$T/pki" "$T/spec.tsv" >"$T/pki.out" 2>&1 ||
  { fail "demo PKI" "$(tail -5 "$T/pki.out")"; finish; }
P=$T/pki
mkdir -p "$T/trust"
cp "$P/root/root.pem" "$P/nes/nes.pem" "$T/trust/"
printf 'accept_unknown_revocation = true\nrevocation_timeout_ms = 500\n' >"$T/eimza.conf"

expect_status 0 "migrate" "$EIMZA" migrate --db "$DB"
people "$T/p.csv" 0 aktif
expect_status 0 "import personnel" "$EIMZA" import personnel "$T/p.csv" --db "$DB"
expect_status 0 "import certificates" "$EIMZA" import certificates "$P/holders.pem" --db "$DB"
for u in "ayse.onay approver 72" "ali.onay approver 06" "osman.op operator" "yonetici admin"; do
  set -- $u
  printf '%s\n' "$PW" | "$EIMZA" user add "$1" --role "$2" ${3:+--province $3} --db "$DB" >/dev/null 2>"$T/err" ||
    fail "user add $1" "$(cat "$T/err")"
done

serve() { start_server -- --dev --listen 127.0.0.1:0 --db "$DB" --trust-dir "$T/trust" --config "$T/eimza.conf"; }
if ! serve; then
  fail "server starts" "$(head -c 1000 "$SERR")"
  finish
fi

# staff_login USER: sets STOK and SCSRF (and $T/b)
staff_login() {
  json POST /api/v1/admin/login "$(jq -nc --arg u "$1" --arg p "$PW" '{username:$u, password:$p}')"
  STOK=$(jb .token)
  SCSRF=$(jb .csrf_token)
}

# ---- staff login in --dev ---------------------------------------------------------------------------
json POST /api/v1/admin/login '{"username":"ayse.onay"}'
expect_error 400 invalid_fields "login without a password"
json POST /api/v1/admin/login '{"username":"ayse.onay","password":"Yanlış-Parola-1"}'
expect_error 401 staff_login_failed "a wrong password"
json POST /api/v1/admin/login '{"username":"kimse","password":"Yanlış-Parola-1"}'
expect_error 401 staff_login_failed "an unknown name: the same answer"
call POST /api/v1/admin/login -H 'Content-Type: text/plain' --data-binary '{}'
expect_code 415 "login must be JSON"
staff_login ayse.onay
expect_eq "200 approver 72" "$CODE $(jb '.role + " " + (.province|tostring)')" "--dev: an approver logs in without TOTP"
[ ${#STOK} -eq 43 ] && ok "a 256-bit token" || fail "token" "$STOK"
expect_grep '^Set-Cookie: eimza_staff=[^;]+; Path=/; HttpOnly; SameSite=Strict' "$T/h" "the staff cookie"
SA=(-H "Authorization: Bearer $STOK")
ACOOKIE="eimza_staff=$STOK"
ACSRF=$SCSRF
staff_login ali.onay
S6=(-H "Authorization: Bearer $STOK")
staff_login osman.op
expect_eq "operator null" "$(jb '.role + " " + (.province|tostring)')" "an operator has no province"
SO=(-H "Authorization: Bearer $STOK")
staff_login yonetici
SY=(-H "Authorization: Bearer $STOK")

call GET /api/v1/admin/applications
expect_error 401 session_required "the queue needs a session"
call GET /api/v1/admin/applications -H "Authorization: Bearer nonsense"
expect_error 401 session_required "a made-up token"

# ---- applications reach "submitted" -----------------------------------------------------------------
form() { # PLATE
  echo "{\"security_word\":\"Gizli Sözcük\",\"security_word_repeat\":\"Gizli Sözcük\",\"address\":\"Okul Sok. 1\",\"postal_code\":\"${1}100\",\"mobile_operator\":\"vodafone\"}"
}
# app_id NUMBER: the id of an application, from the operator's view
app_id() {
  curl -s "${SO[@]}" "$URL/api/v1/admin/applications?limit=500" |
    jq -r --arg n "$1" '.applications[] | select(.number == $n) | .id'
}
# wet TCKN FIRST LAST PLACE DATE PLATE: the wet path up to the operator's record of the paper;
# sets ID
wet() {
  to_signing "$1" "$2" "$3" "$4" "$5" "$(form "$6")" || return 1
  call POST /api/v1/application/wet-signature "${B[@]}"
  [ "$CODE" = 200 ] || { fail "wet form for $2" "$CODE"; return 1; }
  ID=$(app_id "$NUMBER")
  [ -n "$ID" ] || { fail "the operator sees $2's application"; return 1; }
  call POST "/api/v1/admin/applications/$ID/paper-received" "${SO[@]}"
  [ "$CODE" = 200 ] || { fail "paper received for $2" "$CODE $(head -c 300 "$T/b")"; return 1; }
}

# A: the e-signed renewal
to_signing $A Ayşe Kaya Batman 1980-03-15 "$(form 72)" || finish
BA=("${B[@]}")
NA=$NUMBER
json POST /api/v1/application/method '{"method":"esign"}' "${BA[@]}"
call GET /api/v1/application/content "${BA[@]}"
cp "$T/b" "$T/content"
openssl cms -sign -binary -cades -md sha256 -signer "$P/applicant/cert.pem" -inkey "$P/applicant/key.pem" \
  -certfile "$P/nes/nes.pem" -in "$T/content" -outform DER -out "$T/sig.der" 2>"$T/cms.log"
call POST /api/v1/application/signature -H 'Content-Type: application/pkcs7-signature' \
  --data-binary "@$T/sig.der" "${BA[@]}"
expect_eq "200 submitted" "$CODE $(jb .state)" "A: the e-signature submits the application"
IA=$(app_id "$NA")

# W: wet, the paper first refused to an approver
to_signing $W Mehmet Demir Batman 1981-04-16 "$(form 72)" || finish
call POST /api/v1/application/wet-signature "${B[@]}"
IW=$(app_id "$NUMBER")
call POST "/api/v1/admin/applications/$IW/paper-received" "${SA[@]}"
expect_error 403 forbidden_role "an approver does not record paper"
call GET "/api/v1/admin/applications/$IW" "${SA[@]}"
expect_eq "awaiting_original wet" "$(jb '.state + " " + .method')" "W waits for the paper"
call POST "/api/v1/admin/applications/$IW/paper-received" "${SO[@]}"
expect_eq "200 submitted" "$CODE $(jb .state)" "the operator records the paper"
call POST "/api/v1/admin/applications/$IW/paper-received" "${SO[@]}"
expect_error 409 wrong_state "the paper twice"
call POST "/api/v1/admin/applications/999999/paper-received" "${SO[@]}"
expect_error 404 not_found "paper for no application"

wet $X Fatma Şahin Ankara 1982-05-17 06 || finish
IX=$ID
wet $N Can Yıldız Batman 1983-06-18 72 || finish
IN=$ID
wet $V Elif Öz Batman 1984-07-19 72 || finish
IV=$ID
wet $R Hasan Ak Batman 1985-08-20 72 || finish
IR=$ID
NR=$NUMBER
BR=("${B[@]}")
wet $E Zeynep Ay Batman 1986-09-21 72 || finish
IE=$ID

# ---- the queue and its scope --------------------------------------------------------------------------
call GET "/api/v1/admin/applications?state=submitted" "${SA[@]}"
expect_eq "200 6" "$CODE $(jb .total)" "the approver's queue: the province's six"
expect_eq "" "$(jq -r --arg n "$IX" '.applications[] | select(.id == ($n|tonumber)) | .id' "$T/b")" "no other province's application"
call GET "/api/v1/admin/applications?state=submitted&province=6" "${SA[@]}"
expect_eq 6 "$(jb .total)" "asking for another province still gives the approver's own"
call GET "/api/v1/admin/applications?state=submitted" "${SY[@]}"
expect_eq 7 "$(jb .total)" "an admin sees every province"
call GET "/api/v1/admin/applications?state=submitted" "${SA[@]}"
jq -e --arg n "$IN" '.applications[] | select(.id == ($n|tonumber)) |
  (.eligible == false and .reasons == ["not_entitled"] and (.reason_texts[0] | test("e-imza hakkı")) and
   (.tckn | test("^[0-9]{3}\\*{6}[0-9]{2}$")))' "$T/b" >/dev/null &&
  ok "N: not eligible, not_entitled, the approver's text, T.C. Kimlik No masked" ||
  fail "N in the list" "$(head -c 600 "$T/b")"
jq -e --arg n "$IA" '.applications[] | select(.id == ($n|tonumber)) |
  (.eligible and .method == "esign" and .certificate_expires != null and .remote_chain == 0)' "$T/b" >/dev/null &&
  ok "A: eligible, e-signed, certificate date" || fail "A in the list" "$(head -c 600 "$T/b")"
expect_no_grep "$A|$N|$V" "$T/b" "no full T.C. Kimlik No in the list"
call GET "/api/v1/admin/applications?state=nonsense&limit=900" "${SA[@]}"
expect_error 400 invalid_fields "a bad filter"
expect_eq "true true" "$(jb '.error.fields | [has("state"), has("limit")] | map(tostring) | join(" ")')" "each bad field named"
call GET "/api/v1/admin/applications?late=maybe" "${SA[@]}"
expect_error 400 invalid_fields "late must be a flag"

call GET "/api/v1/admin/applications/$IX" "${SA[@]}"
expect_error 403 forbidden_province "a look at another province's application"
json POST "/api/v1/admin/applications/$IX/decision" '{"decision":"approve"}' "${SA[@]}"
expect_error 403 forbidden_province "a decision on another province's application"
json POST "/api/v1/admin/applications/$IX/decision" '{"decision":"approve"}' "${SO[@]}"
expect_error 403 forbidden_role "an operator does not decide"
json POST "/api/v1/admin/applications/$IX/decision" '{"decision":"approve"}' "${S6[@]}"
expect_eq "200 approved" "$CODE $(jb .state)" "the province's own approver decides it"
call GET /api/v1/admin/applications/0 "${SA[@]}"
expect_error 404 not_found "id 0"
call GET /api/v1/admin/applications/abc "${SA[@]}"
expect_error 404 not_found "a non-numeric id"
# an id has one written form (docs/INTERFACES.md, "Numbers in URLs"): any other spelling of a
# real one is no such application, and the largest 64-bit id reaches the database harmlessly
call GET "/api/v1/admin/applications/$IX" "${S6[@]}"
expect_eq "200 $IX" "$CODE $(jb .id)" "id: its canonical form opens it"
for v in "0$IX" "%2B$IX" "%20$IX" "$IX%20" "${IX}abc" 1e3 9223372036854775808 99999999999999999999; do
  call GET "/api/v1/admin/applications/$v" "${S6[@]}"
  expect_error 404 not_found "id: '$v' (not the canonical $IX) is no application"
done
call GET /api/v1/admin/applications/9223372036854775807 "${S6[@]}"
expect_error 404 not_found "id: the largest 64-bit id is looked up and not found"
json POST "/api/v1/admin/applications/0$IX/paper-received" '{}' "${SO[@]}"
expect_error 404 not_found "id: a leading zero is 404 on a POST too"
# a number in the query string: decimal digits (a plate code may be written "072"), nothing
# else; out of an int's range is integer_format, within it each value's own range is checked
call GET "/api/v1/admin/dashboard?province=072" "${SA[@]}"
expect_eq "200 72" "$CODE $(jb .province)" "query: province=072 is 72"
for v in "%2B72" "%2072" "72abc" 7e1 2147483648; do
  call GET "/api/v1/admin/dashboard?province=$v" "${SA[@]}"
  expect_eq "400 invalid_fields Bu alana bir tam sayı yazılmalıdır." "$CODE $(jb '.error.code + " " + .error.fields.province')" \
    "query: province=$v is integer_format"
done
call GET "/api/v1/admin/dashboard?province=82" "${SA[@]}"
expect_eq "400 true" "$CODE $(jb '.error.fields | has("province")')" "query: province=82 is the use case's province_unknown"
call GET "/api/v1/admin/applications?limit=abc" "${SA[@]}"
expect_eq "400 Bu alana bir tam sayı yazılmalıdır." "$CODE $(jb .error.fields.limit)" "query: limit=abc is integer_format"
call GET "/api/v1/admin/applications?offset=-1" "${SA[@]}"
[ "$CODE" = 400 ] && [ "$(jb '.error.fields.offset // "none"')" != none ] &&
  [ "$(jb .error.fields.offset)" != "Bu alana bir tam sayı yazılmalıdır." ] &&
  ok "query: offset=-1 is a number, refused by the use case's own range" || fail "offset=-1" "$CODE $(cat "$T/b")"

# ---- decisions ----------------------------------------------------------------------------------------
json POST "/api/v1/admin/applications/$IA/decision" '{"decision":"approve"}' "${SA[@]}"
expect_eq "200 approved" "$CODE $(jb .state)" "A approved"
expect_eq 1 "$(sql "SELECT count FROM remote_chains WHERE tckn = '$A'")" "an e-signed approval: the chain is 1"
curl -s "$URL/dev/outbox" >"$T/outbox.json"
jq -e --arg n "$NA" '[.[] | select(.channel == "email" and .to == "ayse@meb.gov.tr" and (.body | contains($n)) and (.body | contains("onaylandı")))] | length == 1' \
  "$T/outbox.json" >/dev/null && ok "A's e-mail: approved, with the number" || fail "A's e-mail" "$(tail -c 800 "$T/outbox.json")"
jq -e --arg n "$NA" '[.[] | select(.channel == "sms" and .to == "5321000001" and (.body | contains($n)) and (.body | contains("onaylandı")))] | length == 1' \
  "$T/outbox.json" >/dev/null && ok "A's SMS" || fail "A's SMS" "$(tail -c 800 "$T/outbox.json")"
expect_no_grep "$A" "$T/outbox.json" "no message holds the T.C. Kimlik No"

sql "INSERT INTO remote_chains (tckn, count, updated_at) VALUES ('$W', 1, 0)" >/dev/null
json POST "/api/v1/admin/applications/$IW/decision" '{"decision":"approve"}' "${SA[@]}"
expect_code 200 "W approved"
expect_eq 0 "$(sql "SELECT count FROM remote_chains WHERE tckn = '$W'")" "a wet approval ends the chain"

json POST "/api/v1/admin/applications/$IN/decision" '{"decision":"approve"}' "${SA[@]}"
expect_error 409 not_eligible "N cannot be approved"
expect_eq '["not_entitled"]' "$(jq -c .error.reasons "$T/b")" "not_eligible names the reason"
[ "$(jb '.error.reason_texts | length')" = 1 ] && ok "and explains it" || fail "reason_texts"
json POST "/api/v1/admin/applications/$IN/decision" '{"decision":"perhaps"}' "${SA[@]}"
expect_error 400 invalid_fields "an unknown decision"
json POST "/api/v1/admin/applications/$IN/decision" '{"decision":"approve","reason":5}' "${SA[@]}"
expect_error 400 invalid_fields "a reason that is not text"

# the personnel unit fixes N's record, and V leaves: the queue follows the records
people "$T/p2.csv" 1 ayrildi
expect_status 0 "import personnel again" "$EIMZA" import personnel "$T/p2.csv" --db "$DB"
call GET "/api/v1/admin/applications/$IN" "${SA[@]}"
expect_eq 'true []' "$(jb '.eligible|tostring') $(jq -c .reasons "$T/b")" "re-evaluated: N is eligible now"
call GET "/api/v1/admin/applications/$IV" "${SA[@]}"
expect_eq 'false ["not_in_service"]' "$(jb '.eligible|tostring') $(jq -c .reasons "$T/b")" "re-evaluated: V is not in service now"
json POST "/api/v1/admin/applications/$IN/decision" '{"decision":"approve"}' "${SA[@]}"
expect_eq "200 approved" "$CODE $(jb .state)" "N approved once the record is fixed"

# R: rejected, through the cookie with its CSRF token
json POST "/api/v1/admin/applications/$IR/decision" '{"decision":"reject"}' "${SA[@]}"
expect_error 400 invalid_fields "a rejection without a reason"
expect_eq reason "$(jb '.error.fields|keys[0]')" "the reason is the field named"
json POST "/api/v1/admin/applications/$IR/decision" '{"decision":"reject","reason":"form_data_wrong"}' \
  -H "Cookie: $ACOOKIE"
expect_error 403 csrf_invalid "a cookie without the CSRF token"
json POST "/api/v1/admin/applications/$IR/decision" '{"decision":"reject","reason":"form_data_wrong"}' \
  -H "Cookie: eimza_session=$STOK" -H "X-CSRF-Token: $ACSRF"
expect_error 401 session_required "the applicants' cookie does not open staff routes"
json POST "/api/v1/admin/applications/$IR/decision" '{"decision":"reject","reason":"form_data_wrong"}' \
  -H "Cookie: $ACOOKIE" -H "X-CSRF-Token: $ACSRF"
expect_eq "200 rejected" "$CODE $(jb .state)" "R rejected with a ready reason"
curl -s "$URL/dev/outbox" >"$T/outbox.json"
jq -e --arg n "$NR" '[.[] | select(.channel == "email" and .to == "hasan@meb.gov.tr" and (.body | contains($n)) and
  (.body | contains("reddedildi")) and (.body | contains("düzelterek yeniden başvurunuz")))] | length == 1' "$T/outbox.json" >/dev/null &&
  ok "R's e-mail: rejected, the reason and what to do" || fail "R's e-mail" "$(tail -c 800 "$T/outbox.json")"
call GET /api/v1/application/status "${BR[@]}"
expect_eq rejected "$(jb .state)" "the applicant sees the outcome"
[ -n "$(jb '.rejection_reason // empty')" ] && ok "and the reason for the rejection" ||
  fail "status: rejection_reason" "$(head -c 600 "$T/b")"
call GET /api/v1/admin/applications "${BR[@]}"
expect_error 401 session_required "an applicant's token does not open the staff API"

# ---- bulk approval ------------------------------------------------------------------------------------
json POST /api/v1/admin/applications/bulk-approve '{"district":"Merkez"}' "${SO[@]}"
expect_error 403 forbidden_role "an operator does not approve in bulk"
json POST /api/v1/admin/applications/bulk-approve '{"min_waiting_days":"x"}' "${SA[@]}"
expect_error 400 invalid_fields "bulk: a bad filter"
call POST /api/v1/admin/applications/bulk-approve "${SA[@]}"
expect_eq "200 1 1" "$CODE $(jb '.approved, .skipped' | xargs)" "bulk: E approved, V (not in service) skipped"
call GET "/api/v1/admin/applications/$IE" "${SA[@]}"
expect_eq approved "$(jb .state)" "E is approved"
call GET "/api/v1/admin/applications/$IV" "${SA[@]}"
expect_eq submitted "$(jb .state)" "V still waits"

# ---- exports, the dashboard, ready texts ---------------------------------------------------------------
call GET "/api/v1/admin/applications.csv" "${SA[@]}"
expect_code 200 "queue CSV"
expect_grep '^Content-Type: text/csv; charset=utf-8' "$T/h" "CSV: text/csv; charset=utf-8"
expect_grep '^Content-Disposition: attachment; filename="basvurular-[0-9-]+\.csv"' "$T/h" "CSV: an attachment"
expect_eq efbbbf "$(head -c 3 "$T/b" | xxd -p)" "CSV: UTF-8 byte-order mark"
expect_grep ";'=1\+2 Okulu;" "$T/b" "CSV: a formula is neutralised"
expect_no_grep ';=1\+2' "$T/b" "CSV: never a bare formula"
expect_no_grep "$A|$V|$X" "$T/b" "CSV: T.C. Kimlik No masked, other provinces absent"
expect_eq 7 "$(grep -c $'\r$' "$T/b")" "CSV: header and the province's six, CRLF"
call GET "/api/v1/admin/expiring.csv?days=30" "${SA[@]}"
expect_code 200 "expiring CSV"
expect_grep "^${Q:0:3}\\*{6}${Q:9:2};Ali;Veli;" "$T/b" "expiring: Q, masked as on the pages"
expect_no_grep "$Q" "$T/b" "expiring: no T.C. Kimlik No in full (issue 19, finding 5)"
expect_grep ";a\\*\\*\\*@meb\\.gov\\.tr;5\\*{7}[0-9]{2};" "$T/b" "expiring: e-mail and mobile masked"
expect_no_grep "^${A:0:3}\\*{6}${A:9:2};" "$T/b" "expiring: not those who applied"
call GET "/api/v1/admin/expiring.csv?days=45" "${SA[@]}"
expect_error 400 invalid_fields "expiring: 30, 60 or 90 days"
call GET "/api/v1/admin/dashboard" "${SA[@]}"
expect_eq "72 4 1 1" "$(jb '.province, .by_state.approved, .by_state.rejected, .by_state.submitted' | xargs)" \
  "dashboard: the province's figures"
expect_eq 1 "$(jb '.expiring."30"')" "dashboard: one certificate ends within 30 days"
call GET /api/v1/admin/rejection-reasons "${SA[@]}"
expect_eq "true" "$(jb '[.reasons[].code] | contains(["records_outdated","form_data_wrong","other"])')" "the ready texts"

# ---- the audit -------------------------------------------------------------------------------------------
audit() { sql "SELECT count(*) FROM audit_log WHERE action = '$1'${2:+ AND actor = '$2'}"; }
[ "$(audit staff.login staff:ayse.onay)" -ge 1 ] && ok "audit: staff login" || fail "audit: staff login"
[ "$(audit staff.login.failed)" -ge 2 ] && ok "audit: failed logins" || fail "audit: failed logins"
expect_eq 4 "$(audit application.approve staff:ayse.onay)" "audit: the approver's approvals (A, W, N, E)"
expect_eq 1 "$(audit application.reject staff:ayse.onay)" "audit: the rejection"
expect_eq 6 "$(audit application.paper_received staff:osman.op)" "audit: the papers received"
expect_eq 1 "$(audit export.queue staff:ayse.onay)" "audit: the queue export"
expect_eq 1 "$(audit export.expiring staff:ayse.onay)" "audit: the expiring export"
expect_status 0 "the audit chain is intact" "$EIMZA" audit verify --db "$DB"

# ---- lock-out over HTTP ------------------------------------------------------------------------------------
for i in 1 2 3 4; do
  json POST /api/v1/admin/login '{"username":"yonetici","password":"Yanlış-Parola-9"}'
done
expect_error 401 staff_login_failed "four failures: still 401"
json POST /api/v1/admin/login '{"username":"yonetici","password":"Yanlış-Parola-9"}'
expect_error 429 too_many_attempts "the fifth makes the name wait at this address"
expect_grep '^Retry-After: [0-9]+' "$T/h" "with Retry-After"
json POST /api/v1/admin/login "$(jq -nc --arg p "$PW" '{username:"yonetici", password:$p}')"
expect_error 429 too_many_attempts "waiting: even the right password waits"
ra=$(jb .error.retry_after) end1=$(($(date +%s) + $(jb .error.retry_after)))
[ "$ra" -ge 1 ] && [ "$ra" -le 900 ] && ok "retry_after: the 15-minute window's end" || fail "retry_after" "$ra"
# an unknown name filled the same way gets the same answer and the same Retry-After
for i in 1 2 3 4 5; do
  json POST /api/v1/admin/login '{"username":"kimse.yok","password":"Yanlış-Parola-9"}'
done
expect_error 429 too_many_attempts "an unknown name waits alike (issue 19, finding 2)"
end2=$(($(date +%s) + $(jb .error.retry_after)))
# both point at the same moment, the window's end (a second either way for the clock's tick)
[ $((end1 - end2)) -le 1 ] && [ $((end2 - end1)) -le 1 ] && ok "the same Retry-After for a real and an unknown name" ||
  fail "Retry-After told names apart" "$end1 / $end2"
expect_eq 1 "$(audit staff.lockout staff:yonetici)" "audit: the lock-out"

# ---- the operator's view of messages that could not be delivered --------------------------------------
call GET /api/v1/admin/messages "${SO[@]}"
expect_eq "200 0" "$CODE $(jb '.messages | length')" "messages: none failed yet"
# a gateway refused one SMS for good (as the drain records it)
sql "UPDATE outbox SET status = 'failed', last_error = 'http_400', attempts = 1 WHERE id = (SELECT min(id) FROM outbox WHERE channel = 'sms')" >/dev/null
call GET /api/v1/admin/messages "${SO[@]}"
expect_eq "1 sms failed http_400" "$(jb '(.messages | length | tostring) + " " + .messages[0].channel + " " + .messages[0].status + " " + .messages[0].error')" \
  "messages: the refused SMS, with the gateway's answer"
[[ "$(jb '.messages[0].to')" =~ ^5\*+[0-9]{2}$ ]] && ok "messages: the number masked" ||
  fail "messages: masked number" "$(jb '.messages[0].to')"
call GET /api/v1/admin/messages "${SA[@]}"
expect_error 403 forbidden_role "messages: not for approvers"
call GET /yonetim/iletiler "${SO[@]}"
expect_code 200 "messages page for the operator"
expect_grep 'Gönderilemedi' "$T/b" "messages page: the failed SMS"
call GET /yonetim/iletiler "${SA[@]}"
expect_code 403 "messages page: not for approvers"
# the operator's answers: send again, or record an unconfirmed one as delivered
MID=$(curl -s "${SO[@]}" "$URL/api/v1/admin/messages" | jq -r '.messages[0].id')
call POST "/api/v1/admin/messages/$MID/confirm" "${SO[@]}"
expect_error 409 message_not_waiting "confirm: only an unconfirmed message can be recorded as delivered"
call POST "/api/v1/admin/messages/$MID/retry" "${SA[@]}"
expect_error 403 forbidden_role "retry: not for approvers"
call POST "/api/v1/admin/messages/0$MID/retry" "${SO[@]}"
expect_error 404 message_not_found "retry: the id with a leading zero is no message"
call POST "/api/v1/admin/messages/$MID/retry" "${SO[@]}"
expect_eq "200 pending" "$CODE $(jb .status)" "retry: the failed SMS is queued again"
expect_eq "pending 0 -" "$(sql "SELECT status || ' ' || attempts || ' ' || coalesce(last_error, '-') FROM outbox WHERE id = $MID")" \
  "retry: pending, its tries afresh, the error gone"
call POST "/api/v1/admin/messages/$MID/retry" "${SO[@]}"
expect_error 409 message_not_waiting "retry twice: it no longer waits for the operator"
call POST "/api/v1/admin/messages/999999/retry" "${SO[@]}"
expect_error 404 message_not_found "an unknown message"
call POST "/api/v1/admin/messages/abc/retry" "${SO[@]}"
expect_error 404 message_not_found "not a number"
expect_eq 1 "$(sql "SELECT count(*) FROM audit_log WHERE action = 'message.retry' AND actor = 'staff:osman.op' AND object = '$MID'")" \
  "retry: audited"
# on the page: an unconfirmed e-mail (handed over, its sender gone, its lease over)
sql "UPDATE outbox SET status = 'sending', handed_over_at = 1, next_try_at = 1, attempts = 1 WHERE id = (SELECT min(id) FROM outbox WHERE channel = 'email')" >/dev/null
UID_=$(sql "SELECT min(id) FROM outbox WHERE channel = 'email'")
staff_login osman.op
OCOOKIE="eimza_staff=$STOK"
call GET /yonetim/iletiler -H "Cookie: $OCOOKIE"
expect_grep "action=\"/yonetim/iletiler/$UID_\"" "$T/b" "page: a form for the unconfirmed message"
expect_grep 'value="confirm"' "$T/b" "page: it can be recorded as delivered"
call POST "/yonetim/iletiler/$UID_" -H "Cookie: $OCOOKIE" --data-urlencode "action=confirm"
expect_code 403 "page: a form without its CSRF token is refused"
call POST "/yonetim/iletiler/0$UID_" -H "Cookie: $OCOOKIE" --data-urlencode "csrf_token=$SCSRF" --data-urlencode "action=confirm"
expect_code 404 "page: the message's id with a leading zero is no message"
call POST "/yonetim/iletiler/$UID_" -H "Cookie: $OCOOKIE" --data-urlencode "csrf_token=$SCSRF" --data-urlencode "action=confirm"
expect_eq "303 /yonetim/iletiler?yapildi=confirm" "$CODE $(sed -n 's/^Location: \([^\r]*\).*/\1/p' "$T/h" | tr -d '\r')" \
  "page: recorded, back to the list"
expect_eq sent "$(sql "SELECT status FROM outbox WHERE id = $UID_")" "page: the message is recorded as sent"
call GET "/yonetim/iletiler?yapildi=confirm" -H "Cookie: $OCOOKIE"
expect_grep 'İletinin alıcısına ulaştığı kaydedildi' "$T/b" "page: says what was done"
call POST "/yonetim/iletiler/$UID_" -H "Cookie: $OCOOKIE" --data-urlencode "csrf_token=$SCSRF" --data-urlencode "action=confirm"
expect_code 409 "page: a second answer is refused"
expect_grep 'artık sizi beklemiyor' "$T/b" "page: with the reason in Turkish"
call POST "/yonetim/iletiler/$UID_" -H "Cookie: $OCOOKIE" --data-urlencode "csrf_token=$SCSRF" --data-urlencode "action=delete"
expect_code 400 "page: an unknown action"

# ---- logout; a decision survives a restart ---------------------------------------------------------------
call POST /api/v1/admin/logout -H "Cookie: $ACOOKIE"
expect_error 403 csrf_invalid "logout by cookie needs the CSRF token"
call POST /api/v1/admin/logout "${S6[@]}"
expect_code 200 "logout"
expect_grep '^Set-Cookie: eimza_staff=; .*Max-Age=0' "$T/h" "logout clears the cookie"
call GET /api/v1/admin/applications "${S6[@]}"
expect_error 401 session_required "the token is over after logout"

stop_server
serve || { fail "server starts again" "$(head -c 1000 "$SERR")"; finish; }
call GET "/api/v1/admin/applications/$IR" "${SA[@]}"
expect_eq "rejected reject ayse.onay" "$(jb '.state + " " + .decision.decision + " " + .decision.staff')" \
  "after a restart: the decision and the state are there"
expect_grep '"reason":"Başvuru formundaki bilgiler' "$T/b" "the reason's text is kept"
call GET "/api/v1/admin/applications/$IA" "${SA[@]}"
expect_eq "approved true" "$(jb '.state + " " + (.decision.verdict.eligible|tostring)')" "A's approval and its verdict kept"
stop_server

# ---- outside --dev: TOTP enrolment ----------------------------------------------------------------------
# totp SECRET: the current code (RFC 6238: HMAC-SHA1, 30-second steps, 6 digits), computed here
totp() {
  local key counter mac off
  key=$(printf '%s' "$1" | base32 -d | xxd -p | tr -d '\n')
  counter=$(printf '%016x' $(($(date +%s) / 30)))
  mac=$(printf '%s' "$counter" | xxd -r -p | openssl dgst -sha1 -mac HMAC -macopt "hexkey:$key" -binary |
    xxd -p | tr -d '\n')
  off=$((16#${mac:39:1} * 2))
  printf '%06d' $(((16#${mac:off:8} & 0x7fffffff) % 1000000))
}
# issue 19, finding 8: without a secret_key no TOTP secret can be kept, so none is made
if ! start_server -- --listen 127.0.0.1:0 --db "$DB" --trust-dir "$T/trust" --config "$T/eimza.conf"; then
  fail "server starts without --dev" "$(head -c 1000 "$SERR")"
  finish
fi
json POST /api/v1/admin/login "$(jq -nc --arg p "$PW" '{username:"ali.onay", password:$p}')"
expect_error 503 secret_key_missing "no secret_key: no enrolment"
expect_eq "" "$(sql "SELECT totp_secret FROM users WHERE username = 'ali.onay'")" "no secret stored"
expect_grep 'level=warn event=config.secret_key .*no secret_key is set' "$SERR" \
  "and the log said at start-up that no secret_key is set"
stop_server
# an account enrolled by an older eimza, its secret in plain base32: `eimza migrate` given the
# key (as the service's ExecStartPre gives it) seals it, and it still logs in
OLD=JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP
sql "UPDATE users SET totp_secret = '$OLD', totp_enabled = (1 = 1), totp_last_step = 0 WHERE username = 'osman.op'" >/dev/null
printf 'secret_key = %s\n' "$(head -c 32 /dev/urandom | base64)" >"$T/secrets.conf"
printf 'secret_key = not-a-key\n' >"$T/badkey.conf"
expect_status 1 "migrate with a secret_key that is no key" "$EIMZA" migrate --db "$DB" --config "$T/badkey.conf"
expect_status 0 "migrate seals the old secret" "$EIMZA" migrate --db "$DB" --config "$T/secrets.conf"
expect_grep '^sealed 1 TOTP secret with the secret_key$' "$T/out" "migrate: says it sealed one"
stored=$(sql "SELECT totp_secret FROM users WHERE username = 'osman.op'")
[[ "$stored" == s1.* && "$stored" != *"$OLD"* ]] && ok "the old secret is sealed at rest" ||
  fail "old secret sealed" "$stored"
expect_status 0 "migrate again" "$EIMZA" migrate --db "$DB" --config "$T/secrets.conf"
expect_no_grep 'sealed' "$T/out" "migrate again: nothing left to seal"
if ! start_server -- --listen 127.0.0.1:0 --db "$DB" --trust-dir "$T/trust" --config "$T/eimza.conf" \
  --config "$T/secrets.conf"; then
  fail "server starts without --dev" "$(head -c 1000 "$SERR")"
  finish
fi
expect_no_grep "$(sed 's/secret_key = //' "$T/secrets.conf")" "$SERR" "the key never reaches the log"
expect_no_grep 'event=config.secret_key' "$SERR" "with the key: no warning about it"
json POST /api/v1/admin/login "$(jq -nc --arg p "$PW" --arg c "$(totp "$OLD")" '{username:"osman.op", password:$p, totp:$c}')"
expect_eq "200 operator" "$CODE $(jb .role)" "the upgraded account logs in with its old secret"
json POST /api/v1/admin/login "$(jq -nc --arg p "$PW" '{username:"ali.onay", password:$p}')"
expect_error 401 totp_enrolment_required "outside --dev: the account must enrol"
SECRET=$(jb .error.totp_secret)
[[ "$SECRET" =~ ^[A-Z2-7]{32}$ ]] && ok "enrolment: a base32 secret" || fail "secret" "$SECRET"
expect_eq "otpauth://totp/" "$(jb .error.totp_uri | head -c 15)" "enrolment: the otpauth URI"
expect_eq "<svg" "$(jb .error.qr_svg | head -c 4)" "enrolment: the QR code as SVG"
expect_grep '^Cache-Control: no-store' "$T/h" "enrolment: never cached"
json POST /api/v1/admin/login "$(jq -nc --arg p "$PW" '{username:"ali.onay", password:$p, totp:"000000"}')"
[ "$CODE" = 401 ] && ok "a wrong code is refused" || fail "wrong code" "$CODE $(head -c 300 "$T/b")"
json POST /api/v1/admin/login "$(jq -nc --arg p "$PW" --arg c "$(totp "$SECRET")" '{username:"ali.onay", password:$p, totp:$c}')"
expect_eq "200 approver" "$CODE $(jb .role)" "the password and a code from the app: logged in"
stored=$(sql "SELECT totp_secret FROM users WHERE username = 'ali.onay'")
[[ "$stored" == s1.* && "$stored" != *"$SECRET"* ]] && ok "the new secret is sealed at rest" ||
  fail "new secret sealed" "$stored"
json POST /api/v1/admin/login "$(jq -nc --arg p "$PW" '{username:"ali.onay", password:$p}')"
expect_error 401 totp_required "enrolled: a code is asked for every time"
call GET /dev/outbox
expect_code 404 "no development outbox outside --dev"
stop_server

cat "${SERRS[@]}" >"$T/all.err"
expect_no_grep "$A|$W|$X|$N|$V|$R|$E|$Q" "$T/all.err" "the log holds no T.C. Kimlik No"
expect_no_grep "Doğru-Parola|$SECRET" "$T/all.err" "the log holds no password or TOTP secret"
finish
