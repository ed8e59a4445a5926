#!/usr/bin/env bash
# eimza — the end of an application (issue 15) against a real `eimza serve` on loopback, both
# backends: cancelling by the applicant (before the decision only) and by an operator with a
# reason (the holder told, the reason never in the audit log); a decision that stays visible
# (the rejected and the cancelled see it in the status JSON and on /durum with what to do, and
# start a new application from there; while one is going a new one is refused); completion by
# importing the new certificate (`eimza import certificates`: the application completed, the
# new certificate linked; `personnel show` lists the old one superseded), the new
# certificate's expiry warnings and none for the superseded one (`eimza notify run --now`);
# and a lost or stolen card: the e-signature path closed (form, method, signature), the paper
# received records the old certificate's revocation request and the card lost.
source "$EIMZA_SOURCE_DIR/tests/lib.sh"
for c in openssl jq curl; do
  command -v $c >/dev/null || { echo "FAIL: $c is needed (scripts/deps.txt)"; exit 1; }
done

A=30000000182 # approved, then completed by the import of her new certificate
C=30000000250 # cancels her own application, then starts a new one
K=30000000328 # approved, then cancelled by the operator
R=30000000496 # rejected: sees the reason, starts again
L=30000000564 # lost card: wet only, revocation request, card lost
PW='Doğru-Parola-2025'
TODAY=$(date -u -d '+3 hours' +%d.%m.%Y) # the pages' dates are Turkish time (UTC+3)
H='tckn;ad;soyad;dogum_yeri;dogum_tarihi;kurum_kodu;kurum_adi;il_kodu;ilce;birim;unvan;gorev_durumu;gorevlendirme_bitis;eimza_hakki;eposta;cep_telefonu'
DB=$(new_db) || exit 1
source "$SRC/tests/portal_lib.sh"
{
  echo "$H"
  echo "$A;Ayşe;Kaya;Batman;1980-03-15;720001;Batman Lisesi;72;Merkez;Eğitim;Öğretmen;aktif;;1;ayse@meb.gov.tr;0532 100 00 01"
  echo "$C;Mehmet;Demir;Batman;1981-04-16;720002;Kozluk Lisesi;72;Kozluk;Eğitim;Öğretmen;aktif;;1;mehmet@meb.gov.tr;0532 100 00 02"
  echo "$K;Fatma;Şahin;Batman;1982-05-17;720003;Sason Lisesi;72;Sason;Eğitim;Öğretmen;aktif;;1;fatma@meb.gov.tr;0532 100 00 03"
  echo "$R;Can;Yıldız;Batman;1983-06-18;720004;Beşiri Lisesi;72;Beşiri;Eğitim;Öğretmen;aktif;;1;can@meb.gov.tr;0532 100 00 04"
  echo "$L;Elif;Öz;Batman;1984-07-19;720005;Gercüş Lisesi;72;Gercüş;Eğitim;Öğretmen;aktif;;1;elif@meb.gov.tr;0532 100 00 05"
} >"$T/p.csv"

# ---- a demo PKI: everyone's certificate ends in 45 days (in the renewal window) --------------------
: >"$T/spec.tsv"
for t in $A $C $K $R $L; do printf '%s\tactive\t45\tKişi %s\n' "$t" "$t" >>"$T/spec.tsv"; done
EIMZA_PKI_PORT=9 bash "$SRC/scripts/demo-pki.sh" "$T/pki" "$T/spec.tsv" >"$T/pki.out" 2>&1 ||
  { fail "demo PKI" "$(tail -5 "$T/pki.out")"; finish; }
P=$T/pki
mkdir -p "$T/trust"
cp "$P/root/root.pem" "$P/nes/nes.pem" "$T/trust/"
printf 'accept_unknown_revocation = true\nrevocation_timeout_ms = 500\n' >"$T/eimza.conf"

expect_status 0 "migrate" "$EIMZA" migrate --db "$DB"
expect_status 0 "import personnel" "$EIMZA" import personnel "$T/p.csv" --db "$DB"
expect_status 0 "import certificates" "$EIMZA" import certificates "$P/holders.pem" --db "$DB"
for u in "onay72 approver 72" "osman.op operator"; do
  set -- $u
  printf '%s\n' "$PW" | "$EIMZA" user add "$1" --role "$2" ${3:+--province $3} --db "$DB" >/dev/null 2>"$T/err" ||
    fail "user add $1" "$(cat "$T/err")"
done
start_server -- --dev --listen 127.0.0.1:0 --db "$DB" --trust-dir "$T/trust" --config "$T/eimza.conf" ||
  { fail "server starts" "$(head -c 1000 "$SERR")"; finish; }

staff_login() {
  json POST /api/v1/admin/login "$(jq -nc --arg u "$1" --arg p "$PW" '{username:$u, password:$p}')"
  STOK=$(jb .token)
}
staff_login onay72
SA=(-H "Authorization: Bearer $STOK")
staff_login osman.op
SO=(-H "Authorization: Bearer $STOK")

form() { # [REASON]
  jq -nc --arg r "${1:-renewal}" '{reason:$r, security_word:"Gizli Sözcük", security_word_repeat:"Gizli Sözcük",
    address:"Okul Sok. 1", postal_code:"72100", mobile_operator:"vodafone"}'
}
app_id() {
  curl -s "${SO[@]}" "$URL/api/v1/admin/applications?limit=500" |
    jq -r --arg n "$1" '.applications[] | select(.number == $n) | .id'
}
# submitted TCKN FIRST LAST DATE [REASON]: the wet path and the operator's record of the paper;
# sets ID, NUMBER and B (the applicant's Bearer)
submitted() {
  to_signing "$1" "$2" "$3" Batman "$4" "$(form "${5:-}")" || return 1
  call POST /api/v1/application/wet-signature "${B[@]}"
  [ "$CODE" = 200 ] || { fail "wet form for $2" "$CODE"; return 1; }
  ID=$(app_id "$NUMBER")
  call POST "/api/v1/admin/applications/$ID/paper-received" "${SO[@]}"
  [ "$CODE" = 200 ] || { fail "paper received for $2" "$CODE $(head -c 300 "$T/b")"; return 1; }
}
approved() {
  submitted "$@" || return 1
  json POST "/api/v1/admin/applications/$ID/decision" '{"decision":"approve"}' "${SA[@]}"
  [ "$CODE" = 200 ] || { fail "approve $2" "$CODE $(head -c 300 "$T/b")"; return 1; }
}
status() { call GET /api/v1/application/status "${B[@]}"; }

# ---- the applicant cancels before the decision ----------------------------------------------------
to_signing $C Mehmet Demir Batman 1981-04-16 "$(form)" || finish
BC=("${B[@]}")
NC=$NUMBER
json POST /api/v1/application/new '{}' "${BC[@]}"
expect_error 409 application_open "no new application while one is going"
call POST /api/v1/application/cancel "${BC[@]}"
expect_eq "200 cancelled $NC" "$CODE $(jb '.state + " " + .number')" "the applicant cancels a code_verified application"
call POST /api/v1/application/cancel "${BC[@]}"
expect_error 409 wrong_state "a cancelled application cannot be cancelled again"
call GET /api/v1/application/status "${BC[@]}"
expect_eq "cancelled applicant null true false" \
  "$(jb '[.state, .cancelled_by, (.cancel_reason|tostring), (.can_start_new|tostring), (.can_cancel|tostring)] | join(" ")')" \
  "the status shows the cancellation (by the applicant, no reason) and the way to a new application"
[ "$(jb .closed_at)" != null ] && ok "the status says when" || fail "closed_at" "$(cat "$T/b")"
call GET /api/v1/application "${BC[@]}"
expect_eq "cancelled $NC" "$(jb '.state + " " + .number')" "GET /api/v1/application keeps showing the cancelled one"
call GET /durum -H "Cookie: eimza_session=$TOKEN"
expect_grep 'action="/durum/yeni"' "$T/b" "/durum offers a new application"
expect_grep 'Başvurunuzu siz iptal ettiniz' "$T/b" "/durum says who cancelled it"
# said once: the state, then who cancelled it and what to do (no "what happens next" repeating it)
expect_no_grep 'Başvurunuz iptal edildi|<h2>Sonra ne olacak</h2>' "$T/b" "/durum does not say it was cancelled a second time"
expect_eq 1 "$(grep -c 'Gerekirse buradan yeni bir başvuru' "$T/b")" "/durum says once that a new application can be started"
expect_grep "İptal tarihi: $TODAY" "$T/b" "/durum says which date it gives: the cancellation's"
# no card will come: the footer says nothing of one that has not reached its holder
expect_no_grep 'elinize ulaşmazsa' "$T/b" "cancelled: /durum says nothing of a late card"
expect_no_grep 'Tarih: ' "$T/b" "no date without saying which"
json POST /api/v1/application/new '{}' "${BC[@]}"
expect_eq "200 draft" "$CODE $(jb .state)" "a new application after the cancelled one"
[ "$(jb .number)" != "$NC" ] && ok "with a number of its own" || fail "new number" "$(jb .number)"
expect_eq 2 "$(sql "SELECT count(*) FROM applications WHERE tckn = '$C'")" "two applications of the holder"
expect_eq 1 "$(sql "SELECT count(*) FROM audit_log WHERE action = 'application.cancel' AND object = '$NC' AND detail LIKE '%applicant%'")" \
  "the cancellation is audited"

# ---- an approved application: the holder may not cancel it, the operator may ------------------------
approved $K Fatma Şahin 1982-05-17 || finish
BK=("${B[@]}")
IK=$ID
call POST /api/v1/application/cancel "${BK[@]}"
expect_error 409 wrong_state "the holder cannot cancel after the decision"
json POST "/api/v1/admin/applications/$IK/cancel" '{"reason":"  "}' "${SO[@]}"
expect_error 400 invalid_fields "a cancellation needs a reason"
jb .error.fields.reason | grep -q 'İptal için bir gerekçe' && ok "and says so" || fail "reason message" "$(cat "$T/b")"
json POST "/api/v1/admin/applications/$IK/cancel" '{"reason":"Görevden ayrıldığı bildirildi"}' "${SA[@]}"
expect_error 403 forbidden_role "an approver does not cancel"
# the id has one written form (docs/INTERFACES.md, "Numbers in URLs"): another spelling of it
# is no application, and nothing is cancelled
for v in "0$IK" "%2B$IK" "%20$IK" "$IK.0" 9223372036854775807 9223372036854775808; do
  json POST "/api/v1/admin/applications/$v/cancel" '{"reason":"Görevden ayrıldığı bildirildi"}' "${SO[@]}"
  expect_error 404 not_found "cancel: the id '$v' is no application"
done
expect_eq approved "$(sql "SELECT state FROM applications WHERE id = $IK")" "cancel: still approved after those"
call GET "/api/v1/admin/production?offset=%2B0" "${SO[@]}"
expect_eq "400 Bu alana bir tam sayı yazılmalıdır." "$CODE $(jb .error.fields.offset)" "production: offset=+0 is integer_format"
call GET "/api/v1/admin/production?province=72&offset=0" "${SO[@]}"
expect_code 200 "production: province=72&offset=0 is read"
json POST "/api/v1/admin/applications/$IK/cancel" '{"reason":"Görevden ayrıldığı bildirildi"}' "${SO[@]}"
expect_eq "200 cancelled" "$CODE $(jb .state)" "the operator cancels an approved application"
json POST "/api/v1/admin/applications/$IK/cancel" '{"reason":"bir daha"}' "${SO[@]}"
expect_error 409 wrong_state "a cancelled application cannot be cancelled again"
json POST "/api/v1/admin/applications/999999/cancel" '{"reason":"yok"}' "${SO[@]}"
expect_error 404 not_found "an unknown application"
status
expect_eq "cancelled staff Görevden ayrıldığı bildirildi" "$(jb '.state + " " + .cancelled_by + " " + .cancel_reason')" \
  "the holder sees the operator's reason"
curl -s "$URL/dev/outbox" >"$T/outbox.json"
jq -e --arg n "$(jb .number)" '[.[] | select(.template == "application_cancelled" and (.body | contains($n)) and (.body | contains("Görevden ayrıldığı bildirildi")))] | length == 2' \
  "$T/outbox.json" >/dev/null && ok "the holder is told by e-mail and SMS, with the reason" ||
  fail "cancel message" "$(jq -c '.[-2:]' "$T/outbox.json")"
expect_eq 0 "$(sql "SELECT count(*) FROM audit_log WHERE detail LIKE '%Görevden%'")" "the operator's words are not in the audit log"
expect_eq 1 "$(sql "SELECT count(*) FROM audit_log WHERE action = 'application.cancel' AND actor = 'staff:osman.op'")" \
  "the operator's cancellation is audited"

# ---- a rejection stays visible -------------------------------------------------------------------------
submitted $R Can Yıldız 1983-06-18 || finish
BR=("${B[@]}")
NR=$NUMBER
json POST "/api/v1/admin/applications/$ID/decision" '{"decision":"reject","reason":"records_outdated"}' "${SA[@]}"
expect_eq "200 rejected" "$CODE $(jb .state)" "rejected"
login $R Can Yıldız Batman 1983-06-18 # a new session, as the holder comes back later
BR=(-H "Authorization: Bearer $TOKEN")
call GET /api/v1/application/status "${BR[@]}"
expect_eq "rejected $NR true" "$(jb '.state + " " + .number + " " + (.can_start_new|tostring)')" \
  "a new login shows the rejected application, not a new draft"
jb .rejection_reason | grep -q 'özlük' && ok "with the reason (which office)" || fail "rejection reason" "$(cat "$T/b")"
jb .advice | grep -q 'il/ilçe millî eğitim özlük' && ok "and what to do" || fail "advice" "$(jb .advice)"
call GET /durum -H "Cookie: eimza_session=$TOKEN"
expect_grep 'Ret gerekçesi' "$T/b" "/durum shows the rejection's reason"
expect_grep 'action="/durum/yeni"' "$T/b" "and the button for a new application"
# said once, in order: the state, the reason, the day it was rejected, then what to do (a new
# application, whom to ask); no "what happens next" repeating the rejection
expect_no_grep 'Başvurunuz reddedildi|<h2>Sonra ne olacak</h2>' "$T/b" "/durum does not say it was rejected a second time"
tr -d '\n' <"$T/b" | grep -q "Reddedildi</strong>.*Ret gerekçesi.*Ret tarihi: $TODAY.*<h2>Ne yapmalısınız</h2>.*il DYS yöneticinize" &&
  ok "/durum: the state, the reason, the rejection's date, what to do, in that order" || fail "rejected /durum order" "$(cat "$T/b")"
call GET /durum -H "Cookie: eimza_session=$TOKEN" -H 'Accept-Language: en'
expect_grep "Rejected on $TODAY" "$T/b" "/durum in English: the rejection's date, labelled"
expect_no_grep 'has not reached you' "$T/b" "rejected: /durum says nothing of a late card"
call GET /basvuru -H "Cookie: eimza_session=$TOKEN"
expect_eq 303 "$CODE" "the form page sends the rejected applicant to /durum"
expect_grep '^Location: /durum' "$T/h" "to /durum"
CSRF_R=$CSRF
call POST /durum/yeni -H "Cookie: eimza_session=$TOKEN" -H 'Content-Type: application/x-www-form-urlencoded' \
  --data-urlencode "csrf_token=$CSRF_R"
expect_eq 303 "$CODE" "starting a new application from /durum"
expect_grep '^Location: /basvuru' "$T/h" "leads to the form"
call GET /api/v1/application "${BR[@]}"
expect_eq "draft" "$(jb .state)" "the new draft"

# ---- completion by the new certificate's import ---------------------------------------------------------
approved $A Ayşe Kaya 1980-03-15 || finish
BA=("${B[@]}")
NA=$NUMBER
# (the page, not the status answer: that one is kept for a moment, and the import below is
# another process)
call GET /durum -H "Cookie: eimza_session=$TOKEN"
expect_grep 'onaydan sonra 15 gün içinde kurye' "$T/b" "approved: /durum says the configured delivery days"
tr -d '\n' <"$T/b" | grep -q '<footer>.*elinize ulaşmazsa' &&
  ok "approved: the footer says whom to call if the card does not come" || fail "approved footer" "$(cat "$T/b")"
OLD=$(openssl x509 -in "$P/holders/$A.pem" -noout -serial | cut -d= -f2)
# the card bureau's new certificate: from tomorrow, three years
start=$(date -u -d 'tomorrow' +%Y%m%d)000000Z
end=$(date -u -d 'tomorrow + 3 years' +%Y%m%d)235959Z
export EIMZA_PKI_DIR=$P EIMZA_PKI_PORT=9 # what the demo PKI's openssl.cnf reads
openssl req -new -config "$P/openssl.cnf" -utf8 -key "$P/keys/holders.key" -out "$T/new.csr" \
  -subj "/C=TR/CN=Ayşe Kaya/serialNumber=$A" 2>>"$T/ossl.log"
openssl ca -batch -config "$P/openssl.cnf" -name nes_ca -extensions nes_ext -preserveDN \
  -startdate "$start" -enddate "$end" -notext -in "$T/new.csr" -out "$T/new.pem" 2>>"$T/ossl.log" ||
  fail "the new certificate" "$(tail -3 "$T/ossl.log")"
NEW=$(openssl x509 -in "$T/new.pem" -noout -serial | cut -d= -f2)
expect_status 0 "import the new certificate" "$EIMZA" import certificates "$T/new.pem" --db "$DB"
expect_grep 'applications completed by their new certificate: 1' "$T/out" "the import says it completed one"
status
expect_eq "completed $NEW" "$(jb '.state + " " + .new_certificate.serial')" "the application is completed, the new certificate linked"
# valid from tomorrow: not "in use" yet, the old one is used until then (the day in Turkish form)
FROM=$(date -u -d tomorrow +%d.%m.%Y)
jb .next | grep -q "Yeni sertifikanız $FROM tarihinden itibaren geçerli olacaktır; o tarihe kadar eski sertifikanızı" &&
  ok "completed early: the status says from when the new certificate is valid" || fail "completed next" "$(jb .next)"
call GET /durum -H "Cookie: eimza_session=$TOKEN"
expect_grep "Yeni sertifikanız $FROM tarihinden itibaren geçerli" "$T/b" "/durum says it too"
expect_no_grep 'sertifikanız kullanımda' "$T/b" "/durum does not say the new certificate is in use"
expect_grep 'Yeni sertifika kaydedildi \(henüz geçerli değil\)' "$T/b" "the holder's timeline: recorded, not valid yet"
expect_no_grep 'Yeni sertifika kullanılmaya başlandı' "$T/b" "the holder's timeline does not say it was put into use"
expect_grep "Tamamlanma tarihi: $TODAY" "$T/b" "/durum says which date it gives: the completion's"
# the card came and is in use: nothing on a card that has not reached its holder, in the page or
# its footer; whom to ask about the application and the card stays
expect_no_grep 'elinize ulaşmazsa' "$T/b" "completed: /durum says nothing of a late card"
expect_grep 'il DYS yöneticinize, kartınızla ilgili sorularınız için Kamu SM' "$T/b" "completed: whom to ask"
call GET /durum -H "Cookie: eimza_session=$TOKEN" -H 'Accept-Language: en'
expect_no_grep 'has not reached you' "$T/b" "completed, in English: nothing of a late card"
expect_eq 1 "$(sql "SELECT count(*) FROM applications a JOIN certificates c ON c.id = a.new_cert_id WHERE a.number = '$NA' AND c.serial = '$NEW'")" \
  "the link is in the database"
expect_status 0 "personnel show" "$EIMZA" personnel show $A --db "$DB"
expect_eq "$NEW current $OLD superseded" "$(jq -r '[.certificates[] | .serial, .status] | join(" ")' "$T/out")" \
  "personnel show: the new one current, the old one superseded"
expect_status 0 "import it again" "$EIMZA" import certificates "$T/new.pem" --db "$DB"
expect_no_grep 'applications completed' "$T/out" "a second import completes nothing"
# the expiry warnings: none for the superseded certificate on its milestones, the new one's own
# (the server's own scan at start-up warned about the old one at its 60-day milestone)
warned() { sql "SELECT count(*) FROM outbox WHERE dedupe_key LIKE 'warn:%' AND recipient = 'ayse@meb.gov.tr'"; }
before=$(warned)
old_30=$(date -u -d "$(openssl x509 -in "$P/holders/$A.pem" -noout -enddate | cut -d= -f2) - 30 days" +%F)
expect_status 0 "a scan 30 days before the old certificate's end" "$EIMZA" notify run --db "$DB" --now "$old_30" --dev
expect_eq "$before" "$(warned)" "no warning for the superseded certificate"
old_0=$(date -u -d "$(openssl x509 -in "$P/holders/$A.pem" -noout -enddate | cut -d= -f2) + 1 day" +%F)
expect_status 0 "a scan after the old certificate's end" "$EIMZA" notify run --db "$DB" --now "$old_0" --dev
expect_eq "$before" "$(warned)" "nor when it expires"
new_60=$(date -u -d "tomorrow + 3 years - 60 days" +%F)
expect_status 0 "a scan 60 days before the new certificate's end" "$EIMZA" notify run --db "$DB" --now "$new_60" --dev
expect_eq 2 "$(sql "SELECT count(*) FROM outbox o JOIN certificates c ON o.dedupe_key LIKE 'warn:' || c.id || ':%' WHERE c.serial = '$NEW'")" \
  "the new certificate gets its own warning (e-mail and SMS)"
json POST /api/v1/application/new '{}' "${BA[@]}"
expect_eq "200 draft" "$CODE $(jb .state)" "after completion, a new application can be started"

# ---- a lost or stolen card ----------------------------------------------------------------------------
to_signing $L Elif Öz Batman 1984-07-19 "$(form lost_stolen)" || finish
BL=("${B[@]}")
NL=$NUMBER
call GET /api/v1/application "${BL[@]}"
expect_eq '["wet"]' "$(jq -c .allowed_methods "$T/b")" "a lost card: only the wet signature is offered"
jq -e '.notices[] | select(.code == "lost_card_wet_only")' "$T/b" >/dev/null && ok "and the form says why" ||
  fail "lost notice" "$(jq -c .notices "$T/b")"
json POST /api/v1/application/method '{"method":"esign"}' "${BL[@]}"
expect_error 409 lost_card_wet_only "the e-signature method is refused"
call GET /api/v1/application/content "${BL[@]}"
cp "$T/b" "$T/content"
openssl cms -sign -binary -cades -md sha256 -signer "$P/holders/$L.pem" -inkey "$P/keys/holders.key" \
  -certfile "$P/nes/nes.pem" -in "$T/content" -outform DER -out "$T/sig.der" 2>"$T/cms.log"
call POST /api/v1/application/signature -H 'Content-Type: application/pkcs7-signature' \
  --data-binary @"$T/sig.der" "${BL[@]}"
expect_error 409 lost_card_wet_only "a signature made with the lost card is refused"
call POST /api/v1/application/wet-signature "${BL[@]}"
expect_code 200 "the wet form instead"
ID=$(app_id "$NL")
call POST "/api/v1/admin/applications/$ID/paper-received" "${SO[@]}"
expect_eq "200 submitted" "$CODE $(jb .state)" "the signed paper, identity checked in person"
OLDL=$(openssl x509 -in "$P/holders/$L.pem" -noout -serial | cut -d= -f2)
expect_eq "1 1" "$(sql "SELECT count(*), min(r.reason) FROM revocation_requests r JOIN certificates c ON c.id = r.certificate_id WHERE c.serial = '$OLDL' AND r.batch_id IS NULL" | tr '|' ' ')" \
  "the card bureau will be asked to revoke the lost card's certificate (keyCompromise)"
expect_eq "lost other" "$(sql "SELECT k.state || ' ' || k.source FROM cards k JOIN certificates c ON c.id = k.certificate_id WHERE c.serial = '$OLDL'")" \
  "the old card is recorded lost"
expect_eq 2 "$(sql "SELECT count(*) FROM audit_log WHERE object = '$NL' AND action IN ('certificate.revocation_request', 'card.lost')")" \
  "both audited"
call GET /api/v1/application/status "${BL[@]}"
jq -e '.timeline[] | select(.event == "lost_reported")' "$T/b" >/dev/null && ok "and on the holder's timeline" ||
  fail "lost on the timeline" "$(jq -c .timeline "$T/b")"
# approved and completed by a new certificate valid from tomorrow: the old card's certificate was
# revoked, so the status must not tell her to keep using it until then
json POST "/api/v1/admin/applications/$ID/decision" '{"decision":"approve"}' "${SA[@]}"
expect_eq "200 approved" "$CODE $(jb .state)" "the lost card's application approved"
openssl req -new -config "$P/openssl.cnf" -utf8 -key "$P/keys/holders.key" -out "$T/newl.csr" \
  -subj "/C=TR/CN=Elif Öz/serialNumber=$L" 2>>"$T/ossl.log"
openssl ca -batch -config "$P/openssl.cnf" -name nes_ca -extensions nes_ext -preserveDN \
  -startdate "$start" -enddate "$end" -notext -in "$T/newl.csr" -out "$T/newl.pem" 2>>"$T/ossl.log" ||
  fail "the lost card's new certificate" "$(tail -3 "$T/ossl.log")"
expect_status 0 "import the lost card's new certificate" "$EIMZA" import certificates "$T/newl.pem" --db "$DB"
expect_grep 'applications completed by their new certificate: 1' "$T/out" "the import completes it"
call GET /durum -H "Cookie: eimza_session=$TOKEN"
expect_grep "Yeni sertifikanızı $FROM tarihinden itibaren kullanabilirsiniz" "$T/b" "lost card completed early: from when the new certificate can be used"
expect_grep 'eski kartınız kullanılamaz' "$T/b" "and that the old card cannot be used (revoked)"
expect_no_grep 'eski sertifikanızı kullanmaya devam' "$T/b" "not: keep using the old certificate"
call GET /durum -H "Cookie: eimza_session=$TOKEN" -H 'Accept-Language: en'
expect_grep "You can use your new certificate from $FROM" "$T/b" "in English: from when"
expect_grep 'Your old card cannot be used' "$T/b" "in English: not the old card"
expect_no_grep 'keep using your old certificate' "$T/b" "in English: not the renewal's advice"

stop_server
expect_no_grep "$A|$C|$K|$R|$L" "$SERR" "no T.C. Kimlik No in the server's log"
finish
