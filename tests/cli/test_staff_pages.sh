#!/usr/bin/env bash
# eimza — the staff pages of issue 17 (points 11-15) against a real `eimza serve --dev` on both
# backends: what each page shows to whom, and what each role may do there.
#
# Point 12, the application page (/yonetim/basvuru/{id}): every field of the form, personal data
# as the role may see them (app/privacy.h), the data before the verdict and the decision forms;
# after a decision its outcome, who took it, when and the reason sent, and no "waiting" or
# verdict of now; the queue shows a decided application's last change instead of a waiting
# time; another province's approver gets 403. Where the viewer has no step to take, the decision
# box says whose step it is: the operator's record of the paper, the approver's decision.
source "$EIMZA_SOURCE_DIR/tests/lib.sh"
for c in jq curl pdftoppm zbarimg xxd; do
  command -v $c >/dev/null || { echo "FAIL: $c is needed (scripts/deps.txt)"; exit 1; }
done

K1=40000000150 # 72, every field of the form; rejected
K2=40000000228 # 72, approved
K3=40000000396 # 06: another province
PW='Doğru-Parola-2025'
H='tckn;ad;soyad;dogum_yeri;dogum_tarihi;kurum_kodu;kurum_adi;il_kodu;ilce;birim;unvan;gorev_durumu;gorevlendirme_bitis;eimza_hakki;eposta;cep_telefonu'
DB=$(new_db) || exit 1
source "$SRC/tests/portal_lib.sh"

{
  echo "$H"
  echo "$K1;Ayten;Güneş;Batman;1978-02-14;720001;Batman Lisesi;72;Merkez;Eğitim;Öğretmen;aktif;;1;ayten@meb.gov.tr;0532 200 00 01"
  echo "$K2;Kemal;Aslan;Batman;1976-06-30;720002;Kozluk Lisesi;72;Kozluk;Eğitim;Öğretmen;aktif;;1;kemal@meb.gov.tr;0532 200 00 02"
  echo "$K3;Fatma;Şahin;Ankara;1982-05-17;060001;Ankara Lisesi;06;Çankaya;Eğitim;Öğretmen;aktif;;1;fatma@meb.gov.tr;0532 200 00 03"
} >"$T/p.csv"
expect_status 0 "migrate" "$EIMZA" migrate --db "$DB"
expect_status 0 "import personnel" "$EIMZA" import personnel "$T/p.csv" --db "$DB"
for u in "onay72 approver 72" "onay06 approver 06" "op operator" "yonetici admin"; do
  set -- $u
  printf '%s\n' "$PW" | "$EIMZA" user add "$1" --role "$2" ${3:+--province $3} --db "$DB" >/dev/null 2>"$T/err" ||
    fail "user add $1" "$(cat "$T/err")"
done

# the portal's own address, so that the printed form's QR code leads back to this server
PORT=$(free_port) || { fail "a free port"; finish; }
printf 'portal_url = http://127.0.0.1:%s/\n' "$PORT" >"$T/eimza.conf"
if ! start_server -- --dev --listen "127.0.0.1:$PORT" --db "$DB" --config "$T/eimza.conf"; then
  fail "server starts" "$(head -c 1000 "$SERR")"
  finish
fi

# staff_login USER: sets STOK, SCSRF and S (the curl arguments of its Bearer token)
staff_login() {
  json POST /api/v1/admin/login "$(jq -nc --arg u "$1" --arg p "$PW" '{username:$u, password:$p}')"
  STOK=$(jb .token)
  SCSRF=$(jb .csrf_token)
  S=(-H "Authorization: Bearer $STOK")
}
staff_login onay72
SA=("${S[@]}")
ACOOKIE="eimza_staff=$STOK" ACSRF=$SCSRF
staff_login onay06
S6=("${S[@]}")
staff_login op
SO=("${S[@]}")
staff_login yonetici
SY=("${S[@]}")

# page_post PATH COOKIE CSRF FIELD=VALUE...: a page's form, as a browser sends it
page_post() {
  local p=$1 cookie=$2 csrf=$3 args=()
  shift 3
  for kv in "$@"; do args+=(--data-urlencode "$kv"); done
  call POST "$p" -H "Cookie: $cookie" --data-urlencode "csrf_token=$csrf" "${args[@]}"
}
location() { sed -n 's/^Location: \([^\r]*\).*/\1/p' "$T/h" | tr -d '\r'; }
# dd FIELD: the text of the application page's fact named FIELD (data-field), tags dropped
dd() { tr -d '\n' <"$T/b" | sed 's#<dd #\n<dd #g; s#</dd>#\n#g' | grep -F "<dd data-field=\"$1\">" | head -1 | sed -E 's#<[^>]*>##g'; }

# wet_form TCKN FIRST LAST PLACE DATE FORM-JSON: the wet path up to the printed form (the
# application awaits its paper); sets ID and NUMBER
wet_form() {
  to_signing "$1" "$2" "$3" "$4" "$5" "$6" || return 1
  call POST /api/v1/application/wet-signature "${B[@]}"
  [ "$CODE" = 200 ] || { fail "wet form for $2" "$CODE"; return 1; }
  cp "$T/b" "$T/form-$1.pdf"
  ID=$(curl -s "${SO[@]}" "$URL/api/v1/admin/applications?state=&limit=500" |
    jq -r --arg n "$NUMBER" '.applications[] | select(.number == $n) | .id')
  [ -n "$ID" ] || { fail "the operator sees $2's application"; return 1; }
}
# paper FIRST: the operator records the paper of application ID
paper() {
  call POST "/api/v1/admin/applications/$ID/paper-received" "${SO[@]}"
  [ "$CODE" = 200 ] || { fail "paper received for $1" "$CODE $(head -c 300 "$T/b")"; return 1; }
}
# wet ...: as wet_form, then the operator's record of the paper
wet() { wet_form "$@" && paper "$2"; }
FULL='{"reason":"lost_stolen","card_reader":"Mini Kart Okuyucu","validity_years":2,
  "security_word":"Gizli Sözcük","security_word_repeat":"Gizli Sözcük","unit":"Matematik Bölümü",
  "title":"Matematik Öğretmeni","address":"Atatürk Mah. Okul Sok. No: 12","postal_code":"72060",
  "email":"ayten.gunes@example.org","work_phone":"0488 215 12 34","work_phone_ext":"215",
  "home_phone":"0488 215 98 76","mobile_operator":"vodafone","notify_by":"both"}'
wet_form $K1 Ayten Güneş Batman 1978-02-14 "$FULL" || finish
I1=$ID N1=$NUMBER
# before the paper is recorded the approver has nothing to decide, and is told who records it
call GET "/yonetim/basvuru/$I1" "${SA[@]}"
expect_grep 'formu henüz kaydedilmedi\. Form ulaştığında bir operatör' "$T/b" \
  "an approver before the paper: who records it, and when the decision comes"
expect_no_grep 'class="decision-forms"|Bu başvuru karar beklemiyor' "$T/b" "no forms, no bare 'not waiting'"
call GET "/yonetim/basvuru/$I1?lang=en" "${SA[@]}"
expect_grep 'an operator checks the applicant(&#39;|.)s identity in person' "$T/b" "and in English"
# the operator's button says what pressing it does, not the state it leads to
call GET "/yonetim/basvuru/$I1" "${SO[@]}"
expect_grep '<button[^>]*>Formun ulaştığını ve kimliğin doğrulandığını kaydet</button>' "$T/b" \
  "the paper's button: record that the form came and the identity was checked"
paper Ayten || finish
SHORT='{"security_word":"Gizli Sözcük","security_word_repeat":"Gizli Sözcük","address":"Okul Sok. 1","postal_code":"72100","mobile_operator":"turkcell"}'
wet $K2 Kemal Aslan Batman 1976-06-30 "$SHORT" || finish
I2=$ID N2=$NUMBER
wet $K3 Fatma Şahin Ankara 1982-05-17 "${SHORT/72100/06100}" || finish
I3=$ID

# ---- point 12: the application page --------------------------------------------------------------
call GET "/yonetim/basvuru/$I1" "${SA[@]}"
expect_code 200 "the application page"
expect_eq "Kayıp ya da çalıntı" "$(dd reason)" "the reason, in words"
expect_eq "Mini Kart Okuyucu" "$(dd card_reader)" "the card reader"
expect_eq "2 yıl" "$(dd validity)" "the validity"
expect_eq "Atatürk Mah. Okul Sok. No: 12" "$(dd sp_address)" "the address"
expect_eq "72060" "$(dd postal_code)" "the postal code"
expect_eq "Matematik Bölümü" "$(dd sp_unit)" "the unit"
expect_eq "215" "$(dd work_phone_ext)" "the extension"
expect_eq "Vodafone" "$(dd sp_operator)" "the mobile operator"
expect_eq "14.02.1978" "$(dd birth_date)" "the date of birth"
[[ "$(dd email)" =~ ^a\*+@example\.org$ ]] && ok "the e-mail, masked" || fail "e-mail" "$(dd email)"
[[ "$(dd mobile_phone)" =~ ^5\*+01$ ]] && ok "the mobile number, masked" || fail "mobile" "$(dd mobile_phone)"
[[ "$(dd home_phone)" =~ ^4\*+76$ ]] && ok "the home number, masked" || fail "home" "$(dd home_phone)"
expect_grep "${K1:0:3}\\*{6}${K1:9:2}" "$T/b" "the T.C. Kimlik No, masked"
expect_no_grep "$K1|ayten\.gunes|5322000001|4882159876" "$T/b" "nothing in full"
# the form's labels speak to the applicant; the staff page speaks of them
expect_grep '<dt>Unvanı</dt>' "$T/b" "the title, named for the staff"
expect_grep '<dt>Kurumunun ya da biriminin adresi</dt>' "$T/b" "the address, named for the staff"
expect_no_grep 'Unvanınız|Çalıştığınız|Kurumunuzun' "$T/b" "no label addressed to the applicant"
line() { grep -n -m1 -- "$1" "$T/b" | cut -d: -f1; }
[ "$(line 'data-field="postal_code"')" -lt "$(line 'class="verdict-box"')" ] &&
  [ "$(line 'class="verdict-box"')" -lt "$(line 'class="decision-forms"')" ] &&
  ok "the data, then the verdict, then the decision forms" ||
  fail "order" "$(line 'data-field="postal_code"') $(line 'class="verdict-box"') $(line 'class="decision-forms"')"
expect_grep 'data-field="ap_col_waiting"' "$T/b" "a waiting application says how long"
[[ "$(dd ap_col_waiting)" =~ ^[0-9]{2}\.[0-9]{2}\.[0-9]{4}\ tarihinden\ beri$ ]] &&
  ok "one that came in less than a day ago: since when, not '0 gün'" || fail "waiting" "$(dd ap_col_waiting)"
call GET "/api/v1/admin/applications/$I1" "${SA[@]}"
expect_eq "Mini Kart Okuyucu 2 215 vodafone 72" \
  "$(jb '[.card_reader, (.validity_years|tostring), .work_phone_ext, .mobile_operator, (.form_province|tostring)] | join(" ")')" \
  "the API gives every field of the form too"
[[ "$(jb .home_phone)" =~ ^4\*+76$ && "$(jb .work_phone)" =~ ^4\*+34$ ]] && ok "its phones masked" ||
  fail "API phones" "$(jb .home_phone) $(jb .work_phone)"
call GET "/yonetim/basvuru/$I1" "${S6[@]}"
expect_code 403 "another province's approver: 403"
call GET "/yonetim/basvuru/$I3" "${SA[@]}"
expect_code 403 "nor the other way round"
call GET "/yonetim/basvuru/$I1" "${SO[@]}"
expect_code 200 "an operator sees it"
expect_no_grep 'class="decision-forms"' "$T/b" "but gets no decision forms"
expect_grep 'başvuranın bağlı olduğu il DYS yöneticisinin kararını bekliyor' "$T/b" "and is told the decision is the approver's"
# the approver has one name, the applicant pages' (il DYS yöneticisi), on the staff pages too
sed -n '/<main/,/<\/main>/p' "$T/b" >"$T/main"
expect_no_grep 'onaylayıcı' "$T/main" "the staff pages do not call the approver 'onaylayıcı'"
call GET "/yonetim/basvuru/$I1" "${SA[@]}"
expect_grep '\(il DYS yöneticisi, Batman\)' "$T/b" "the approver's role, as the header names it"
# the id has one written form (docs/INTERFACES.md, "Numbers in URLs")
for v in "0$I1" "%2B$I1" "%20$I1" "${I1}x" 9223372036854775807 9223372036854775808; do
  call GET "/yonetim/basvuru/$v" "${SO[@]}"
  expect_code 404 "the page of id '$v' (not the canonical $I1) is not found"
done

# a verdict that blocks approval: no approve button the server would refuse (409 not_eligible),
# but why not, next to the verdict's reasons, and what to do instead; the reject form stays
sed "/^$K2;/s/;aktif;;1;/;aktif;;0;/" "$T/p.csv" >"$T/p-no.csv"
expect_status 0 "K2 loses the right to an e-signature" "$EIMZA" import personnel "$T/p-no.csv" --db "$DB"
call GET "/yonetim/basvuru/$I2" "${SA[@]}"
expect_grep 'class="verdict verdict-no"|>Onaylanamaz<' "$T/b" "the verdict: not eligible"
expect_no_grep 'name="decision" value="approve"|Başvuruyu onayla<' "$T/b" "no approve button under that verdict"
expect_grep 'class="approve-blocked">Bu başvuru şu an onaylanamaz: personel kaydı, yukarıdaki değerlendirmede' \
  "$T/b" "but why not, pointing at the verdict's reasons"
expect_grep 'özlük birimince düzeltildiğinde bu sayfayı yeniden açınız.*gerekçesiyle reddediniz' "$T/b" \
  "and what to do instead: the record fixed and a look again, or a rejection"
expect_grep 'name="decision" value="reject"' "$T/b" "the reject form stays"
[ "$(line 'class="verdict-box"')" -lt "$(line 'class="approve-blocked"')" ] &&
  ok "the explanation comes after the verdict it refers to" || fail "order of verdict and explanation"
call GET "/yonetim/basvuru/$I2?lang=en" "${SA[@]}"
expect_grep 'This application cannot be approved now: the personnel record does not look' "$T/b" "in English"
# a page opened before the record changed still posts an approval: refused, with the reason
page_post "/yonetim/basvuru/$I2" "$ACOOKIE" "$ACSRF" decision=approve
expect_code 409 "an approval posted anyway is refused"
expect_grep 'Personel kayıtları e-imza için uygun görünmediğinden başvuru onaylanamaz' "$T/b" "with its reason"
expect_eq submitted "$(sql "SELECT state FROM applications WHERE id = $I2")" "and decides nothing"
expect_status 0 "the record fixed again" "$EIMZA" import personnel "$T/p.csv" --db "$DB"
call GET "/yonetim/basvuru/$I2" "${SA[@]}"
expect_grep 'name="decision" value="approve"' "$T/b" "a look again: the approve button is back"
expect_no_grep 'class="approve-blocked"' "$T/b" "without the explanation"

# rejected on the page (cookie and CSRF token), approved through the API
page_post "/yonetim/basvuru/0$I1" "$ACOOKIE" "$ACSRF" decision=reject reason=form_data_wrong
expect_code 404 "a decision posted to id '0$I1' is not found"
expect_eq submitted "$(sql "SELECT state FROM applications WHERE id = $I1")" "and decides nothing"
page_post "/yonetim/basvuru/$I1" "$ACOOKIE" "$ACSRF" decision=reject reason=form_data_wrong
expect_eq "303 /yonetim?karar=ret&no=$N1" "$CODE $(location)" "rejected on the page"
json POST "/api/v1/admin/applications/$I2/decision" '{"decision":"approve"}' "${SA[@]}"
expect_code 200 "approved through the API"
call GET "/yonetim/basvuru/$I1" "${SA[@]}"
expect_eq "Reddedildi" "$(dd sp_outcome)" "rejected: the outcome"
expect_eq "onay72" "$(dd sp_decided_by)" "who decided"
[[ "$(dd sp_decided_at)" =~ ^[0-9]{2}\.[0-9]{2}\.[0-9]{4}\&#160\;[0-9]{2}:[0-9]{2}$ ]] && ok "when" || fail "when" "$(dd sp_decided_at)"
[[ "$(dd sp_decision_reason)" == "Başvuru formundaki bilgiler"* ]] && ok "the reason sent" || fail "reason" "$(dd sp_decision_reason)"
expect_eq "Onaylanabilir" "$(dd sp_verdict_then)" "the verdict the decision relied on"
expect_no_grep 'data-field="ap_col_waiting"|class="verdict-box"|class="decision-forms"' "$T/b" \
  "no waiting time, verdict of now or decision forms once decided"
call GET "/yonetim/basvuru/$I2?lang=en" "${SA[@]}"
expect_eq "Approved" "$(dd sp_outcome)" "approved, in English"
expect_grep "href=\"/yonetim/kart/$I2\"" "$T/b" "a way to the card after an approval"
expect_no_grep 'data-field="sp_decision_reason"' "$T/b" "no reason for an approval"
call GET "/yonetim?state=" "${SA[@]}"
row() { tr -d '\n' <"$T/b" | sed 's#<tr #\n<tr #g; s#</tr>#</tr>\n#g' | grep -F "data-number=\"$1\"" | head -1; }
row "$N1" >"$T/row"
expect_grep 'Karar verildi' "$T/row" "the queue: a decided application says so"
expect_no_grep 'verdict-ok|verdict-no|gündür|tarihinden beri' "$T/row" "without a verdict of now or a waiting time"

# ---- point 11: search, the printed form's QR code, the full T.C. Kimlik No ----------------------
call GET "/yonetim/ara?q=$N2" "${SA[@]}"
expect_eq "303 /yonetim/basvuru/$I2" "$CODE $(location)" "a number that is found opens its application"
call GET "/yonetim/ara?q=$(printf '%s' "$N2" | tr 'A-Z' 'a-z')" "${SA[@]}"
expect_eq "303 /yonetim/basvuru/$I2" "$CODE $(location)" "in any case"
N3=$(curl -s "${SO[@]}" "$URL/api/v1/admin/applications/$I3" | jq -r .number)
call GET "/yonetim/ara?q=$N3" "${SA[@]}"
expect_code 200 "another province's number: the search page"
expect_grep 'Bu aramaya uyan başvuru bulunamadı' "$T/b" "not found (its existence is not told)"
expect_grep 'Yalnızca kendi ilinizin' "$T/b" "and the approver is told the search is their province's"
call GET "/yonetim/ara?q=$N3" "${S6[@]}"
expect_eq "303 /yonetim/basvuru/$I3" "$CODE $(location)" "its own province's approver finds it"
page_post /yonetim/ara "$ACOOKIE" "$ACSRF" "q=gunes ayten"
expect_code 200 "a search by name (the search box posts it)"
[ -n "$(row "$N1")" ] && ok "Güneş found as gunes" || fail "by name" "$(head -c 600 "$T/b")"
expect_grep 'Bulunan başvuru sayısı: 1' "$T/b" "one found"
page_post /yonetim/ara "$ACOOKIE" "$ACSRF" "q=${K1:0:3} ${K1:3:4} ${K1:7:4}"
[ -n "$(row "$N1")" ] && ok "by T.C. Kimlik No, with spaces" || fail "by tckn" "$(head -c 600 "$T/b")"
expect_no_grep "$K1" "$T/b" "the results keep it masked"
page_post /yonetim/ara "$ACOOKIE" "$ACSRF" "q=$K3"
expect_grep 'bulunamadı' "$T/b" "another province's holder is not found"
page_post /yonetim/ara "$ACOOKIE" "$ACSRF" q=a
expect_code 400 "a query too short"
expect_grep 'href="#q"' "$T/b" "the error summary leads to the field"
page_post /yonetim/ara "$ACOOKIE" "$ACSRF" q=12345678901
expect_code 400 "11 digits that are no T.C. Kimlik No"
json POST /api/v1/admin/search '{"q":"gunes"}' "${SA[@]}"
expect_eq "200 name 1 $N1" "$CODE $(jb '.kind + " " + (.found|tostring) + " " + .applications[0].number')" "the search in the API"
json POST /api/v1/admin/search '{"q":""}' "${SA[@]}"
expect_error 400 invalid_fields "API: an empty search"
call GET "/yonetim/ara" "${SA[@]}"
expect_code 200 "the search page without a query"
call GET "/yonetim" "${SA[@]}"
expect_grep 'method="post" action="/yonetim/ara"' "$T/b" "every staff page has the search box, which posts"
call POST /yonetim/ara -H "Cookie: $ACOOKIE" --data-urlencode "q=gunes"
expect_code 403 "a search post without the CSRF token"

# the printed form's QR code: read as a phone would, it opens the application (through the login)
pdftoppm -q -r 150 -png -f 1 -l 1 -singlefile "$T/form-$K2.pdf" "$T/qr" 2>"$T/err"
QR=$(zbarimg --quiet --raw "$T/qr.png" 2>>"$T/err")
expect_eq "http://127.0.0.1:$PORT/yonetim/ara?q=$N2" "$QR" "the QR code holds the search's address"
CODE=$(curl -s -o "$T/b" -D "$T/h" -w '%{http_code}' "$QR")
expect_eq "303 /yonetim/giris?ara=$N2" "$CODE $(location)" "without a session: to the login, the number kept"
CJ=$T/cookies
CODE=$(curl -s -c "$CJ" -b "$CJ" -o "$T/b" -D "$T/h" -w '%{http_code}' "$URL/yonetim/giris?ara=$N2")
expect_grep "name=\"ara\" value=\"$N2\"" "$T/b" "the login form carries the number"
LCSRF=$(grep -oE 'name="csrf_token" value="[^"]+"' "$T/b" | head -1 | sed 's/.*value="//; s/"$//')
CODE=$(curl -s -c "$CJ" -b "$CJ" -o "$T/b" -D "$T/h" -w '%{http_code}' "$URL/yonetim/giris" \
  --data-urlencode "csrf_token=$LCSRF" --data-urlencode "username=onay72" \
  --data-urlencode "password=$PW" --data-urlencode "ara=$N2")
expect_eq "303 /yonetim/ara?q=$N2" "$CODE $(location)" "after the login: back to the search"
CODE=$(curl -s -c "$CJ" -b "$CJ" -o "$T/b" -D "$T/h" -w '%{http_code}' "$URL/yonetim/ara?q=$N2")
expect_eq "303 /yonetim/basvuru/$I2" "$CODE $(location)" "and on to the application"
CODE=$(curl -s -b "$CJ" -o "$T/b" -D "$T/h" -w '%{http_code}' "$URL/yonetim/giris" \
  --data-urlencode "csrf_token=$LCSRF" --data-urlencode "username=onay72" \
  --data-urlencode "password=$PW" --data-urlencode "ara=https://evil.example/")
[ "$(location)" != "https://evil.example/" ] && ok "the way back takes only a number" || fail "open redirect"

# the full T.C. Kimlik No: on request, for the province's approver, each look audited
call GET "/yonetim/basvuru/$I1" "${SA[@]}"
expect_grep 'name="action" value="tckn"' "$T/b" "the approver may ask for the full number"
expect_no_grep "$K1" "$T/b" "which is not on the page before"
call GET "/yonetim/basvuru/$I1" "${SO[@]}"
expect_no_grep 'value="tckn"' "$T/b" "an operator is not offered it"
views() { sql "SELECT count(*) FROM audit_log WHERE action = 'pii.tckn_view'${1:+ AND object = '$1'}"; }
page_post "/yonetim/basvuru/$I1" "$ACOOKIE" "$ACSRF" action=tckn
expect_code 200 "asked for: the page"
expect_grep "class=\"tckn tckn-full\"[^>]*>$K1<" "$T/b" "with the full number"
expect_grep '^Cache-Control: no-store' "$T/h" "never cached"
expect_eq 1 "$(views "$N1")" "the look is audited, by application number"
expect_eq 0 "$(sql "SELECT count(*) FROM audit_log WHERE detail LIKE '%$K1%' OR object LIKE '%$K1%'")" \
  "the audit log does not hold the number"
call POST "/yonetim/basvuru/$I1" -H "Cookie: $ACOOKIE" --data-urlencode "action=tckn"
expect_code 403 "without the CSRF token: refused"
call POST "/api/v1/admin/applications/$I1/tckn" "${SA[@]}"
expect_eq "200 $K1" "$CODE $(jb .tckn)" "the API gives it too"
expect_eq 2 "$(views "$N1")" "and audits it"
call POST "/api/v1/admin/applications/$I1/tckn" "${S6[@]}"
expect_error 403 forbidden_province "another province's approver: 403"
call POST "/api/v1/admin/applications/$I1/tckn" "${SO[@]}"
expect_error 403 forbidden_role "an operator: 403"
call POST "/api/v1/admin/applications/$I1/tckn" "${SY[@]}"
expect_error 403 forbidden_role "an admin: 403"
expect_eq 2 "$(views)" "no look recorded for the refusals"
expect_status 0 "the audit chain is intact" "$EIMZA" audit verify --db "$DB"

# ---- point 14: messages in words, 403s that fit the role, the staff's footer --------------------
# a gateway refused one SMS for good (as the drain records it)
sql "UPDATE outbox SET status = 'failed', last_error = 'http_400', attempts = 1 WHERE id = (SELECT min(id) FROM outbox WHERE channel = 'sms')" >/dev/null
call GET /yonetim/iletiler "${SO[@]}"
expect_code 200 "the messages page"
expect_grep 'class="error-words">Sağlayıcı iletiyi kabul etmedi' "$T/b" "what went wrong, in words"
expect_grep 'Teknik kod: http_400' "$T/b" "the code only as a technical note"
expect_no_grep '<td data-label="[^"]*">http_400' "$T/b" "never the bare code in a cell"
expect_grep 'data-label="Kanal">SMS<' "$T/b" "the channel in words"
# the recipient is masked: the way to the application (name, institution) the message was for
KEY=$(sql "SELECT dedupe_key FROM outbox WHERE id = (SELECT min(id) FROM outbox WHERE channel = 'sms')")
expect_eq "otp:$N1:" "${KEY%[0-9]*}" "the first SMS is Ayten's code"
expect_grep "class=\"message-application\" href=\"/yonetim/ara\?q=$N1\">Başvuruyu aç<" "$T/b" \
  "the failed message leads to its application"
call GET "/yonetim/ara?q=$N1" "${SO[@]}"
expect_eq "303 /yonetim/basvuru/$I1" "$CODE $(location)" "which the search opens"
call GET "/yonetim/iletiler?lang=en" "${SO[@]}"
expect_grep 'The provider did not accept the message' "$T/b" "and in English"
call GET /yonetim/iletiler "${SA[@]}"
expect_code 403 "an approver on the messages page: 403"
expect_grep 'Bu işlem rolünüze açık değil' "$T/b" "a heading that says why"
expect_grep 'Gönderilemeyen iletilerle operatörler ve sistem yöneticileri ilgilenir' "$T/b" "whose work it is"
expect_grep 'Hesabınız Batman ilinin DYS yöneticisi hesabıdır' "$T/b" "what the approver's role is for"
expect_grep 'class="staff-nav"' "$T/b" "with the staff's header"
staff_login op
OCOOKIE="eimza_staff=$STOK" OCSRF=$SCSRF
page_post "/yonetim/basvuru/$I1" "$OCOOKIE" "$OCSRF" decision=approve
expect_code 403 "an operator's approval on the page: 403"
expect_grep 'onaylamak ya da reddetmek il DYS yöneticilerinin ve sistem yöneticilerinin işidir' "$T/b" "decisions are approvers' work"
expect_grep 'Hesabınız operatör hesabıdır' "$T/b" "what the operator's role is for"
page_post "/yonetim/basvuru/$I1" "$OCOOKIE" "$OCSRF" action=tckn
expect_code 403 "an operator asking for the full number: 403"
expect_grep 'yalnızca il DYS yöneticilerine' "$T/b" "whose it is"
call GET "/yonetim/basvuru/$I3" "${SA[@]}"
expect_grep 'Bu başvuru başka bir ile ait' "$T/b" "another province: its own heading"
expect_grep 'Hesabınız Batman ilinin DYS yöneticisi' "$T/b" "the approver's own province named"
expect_grep 'o ilin DYS yöneticisine' "$T/b" "and whom to turn to"
call GET /yonetim "${SA[@]}"
expect_grep 'class="staff-footer"' "$T/b" "the staff's footer"
expect_grep 'denetim kaydına yazılır' "$T/b" "saying every action is on record"
expect_grep 'eimza [0-9]' "$T/b" "and the version"
expect_no_grep 'Kartınız onaydan sonra' "$T/b" "not the applicant's footer"
expect_grep "il DYS yöneticileri, sertifika operatörleri" "$T/b" "the staff's footer names the approver as the applicant pages do"
call GET /yonetim/giris
expect_grep 'class="staff-footer"' "$T/b" "the staff's login has it too"
call GET /
expect_no_grep 'staff-footer' "$T/b" "the applicant's pages keep theirs"

# ---- point 13: the queue's order, its pages, the bulk approval through a review ------------------
# more applications of Batman, made by copying one row (the queue only reads them): certificates
# ending at different times, so the order shows
K4=40000000464 K5=40000000532
{
  echo "$H"
  echo "$K4;Deniz;Ak;Batman;1983-06-18;720003;Sason Lisesi;72;Sason;Eğitim;Öğretmen;aktif;;1;deniz@meb.gov.tr;0532 200 00 04"
  echo "$K5;Emre;Öz;Batman;1984-07-19;720004;Beşiri Lisesi;72;Beşiri;Eğitim;Öğretmen;aktif;;1;emre@meb.gov.tr;0532 200 00 05"
} >"$T/p2.csv"
expect_status 0 "import two more people" "$EIMZA" import personnel "$T/p2.csv" --db "$DB"
wet $K4 Deniz Ak Batman 1983-06-18 "$SHORT" || finish
I4=$ID N4=$NUMBER
wet $K5 Emre Öz Batman 1984-07-19 "$SHORT" || finish
I5=$ID N5=$NUMBER
NOW=$(date +%s)
sql "UPDATE applications SET cert_not_after = $((NOW + 40 * 86400)) WHERE id = $I4" >/dev/null
sql "UPDATE applications SET cert_not_after = $((NOW + 3 * 86400)) WHERE id = $I5" >/dev/null
if [ "$backend" = postgresql ]; then
  COLS=$(sql "SELECT string_agg(column_name, ',' ORDER BY ordinal_position) FROM information_schema.columns WHERE table_name = 'applications' AND column_name NOT IN ('id', 'number', 'tckn', 'cert_not_after')")
else
  COLS=$(sql "SELECT group_concat(name, ',') FROM pragma_table_info('applications') WHERE name NOT IN ('id', 'number', 'tckn', 'cert_not_after')")
fi
for i in $(seq 10 64); do
  sql "INSERT INTO applications (number, tckn, cert_not_after, $COLS) SELECT 'PG000000$i', '499999999$i', $((NOW + 100 * 86400 + i)), $COLS FROM applications WHERE id = $I4" >/dev/null
done
order() { tr -d '\n' <"$T/b" | grep -oE 'tr data-number="[0-9A-Z]+"' | sed 's/.*="//; s/"//' | tr '\n' ' '; }
call GET /yonetim "${SA[@]}"
expect_eq "$N5 $N4" "$(order | awk '{print $1, $2}')" "the most urgent first: 3 days, then 40"
expect_grep 'yenilenecek sertifikası en önce biten önce; sertifika kaydı olmayanlar en başta' "$T/b" "the caption says the order"
expect_grep '57 başvurudan 1–50' "$T/b" "57 waiting, 50 on a page"
expect_grep 'aria-current="page">1<' "$T/b" "the pager: page 1 is this one"
expect_grep 'aria-label="Sayfa 2" href="/yonetim\?state=submitted&amp;offset=50"|href="/yonetim\?state=submitted&amp;offset=50"[^>]*aria-label="Sayfa 2"' "$T/b" "a link to page 2"
expect_grep 'Sayfa 1 / 2' "$T/b" "page 1 of 2"
call GET "/yonetim?state=submitted&offset=50" "${SA[@]}"
expect_eq 7 "$(order | wc -w)" "page 2: the last 7"
expect_grep 'rel="prev"' "$T/b" "with the way back"
call GET "/yonetim?state=submitted&order=waiting" "${SA[@]}"
[ "$(order | awk '{print $1}')" != "$N5" ] && ok "ordered by waiting, another first" || fail "order=waiting" "$(order | head -c 100)"
call GET "/yonetim?state=submitted&order=newest" "${SA[@]}"
expect_code 400 "an unknown order"
call GET "/api/v1/admin/applications?state=submitted&limit=2" "${SA[@]}"
expect_eq "$N5 $N4" "$(jb '[.applications[].number] | join(" ")')" "the API in the same order"
# the ticks: only the eligible submitted ones have one
call GET /yonetim "${SA[@]}"
expect_grep "name=\"id\" value=\"$I5\"" "$T/b" "an eligible row can be ticked"
row PG00000010 >"$T/row"
expect_grep 'PG00000010' "$T/row" "a copied row is listed"
expect_no_grep 'type="checkbox"' "$T/row" "but without a record it cannot be ticked"
call GET /yonetim "${SO[@]}"
expect_no_grep 'name="id"|toplu-onay' "$T/b" "an operator gets no ticks"
# review the ticked: a page that lists them, approving nothing yet
page_post /yonetim/toplu-onay "$ACOOKIE" "$ACSRF" state=submitted scope=selected "id=$I5" "id=$I4" "id=$I3"
expect_code 200 "the review"
expect_grep 'Onaylanacak başvuru sayısı: 2' "$T/b" "two to approve"
expect_grep "data-number=\"$N5\"" "$T/b" "listed: $N5"
expect_grep "name=\"ids\" value=\"$I5,$I4\"" "$T/b" "the confirmation carries exactly those"
expect_grep 'bulunamadı' "$T/b" "another province's tick: set aside as not found"
expect_eq "submitted submitted" "$(sql "SELECT state FROM applications WHERE id IN ($I4, $I5) ORDER BY id" | tr '\n' ' ' | sed 's/ $//')" "nothing approved by the review"
page_post /yonetim/toplu-onay "$ACOOKIE" "$ACSRF" state=submitted scope=selected
expect_eq "303 /yonetim?state=submitted&secim=yok" "$CODE $(location)" "nothing ticked: back, saying so"
page_post /yonetim/toplu-onay "$OCOOKIE" "$OCSRF" state=submitted scope=selected "id=$I5"
expect_code 403 "an operator cannot review a bulk approval"
expect_grep 'onaylamak ya da reddetmek' "$T/b" "and is told whose work it is"
# the confirmation, tampered with another province's id: only the listed eligible ones
page_post /yonetim/toplu-onay "$ACOOKIE" "$ACSRF" state=submitted step=confirm "ids=$I5,$I4,$I3"
expect_eq "303 /yonetim?state=submitted&onaylanan=2&atlanan=1" "$CODE $(location)" "confirmed: 2 approved, 1 skipped"
expect_eq "approved approved submitted" "$(sql "SELECT state FROM applications WHERE id IN ($I3, $I4, $I5) ORDER BY CASE id WHEN $I4 THEN 1 WHEN $I5 THEN 2 ELSE 3 END" | tr '\n' ' ' | sed 's/ $//')" \
  "the province's two approved, the other province's not"
expect_eq 1 "$(sql "SELECT count(*) FROM audit_log WHERE action = 'application.bulk_approve' AND actor = 'staff:onay72'")" "audited"
page_post /yonetim/toplu-onay "$ACOOKIE" "$ACSRF" state=submitted step=confirm "ids=1,x"
expect_code 400 "a confirmation with a bad id list"
# every eligible one of the filter (none left: the copies have no record)
page_post /yonetim/toplu-onay "$ACOOKIE" "$ACSRF" state=submitted scope=all
expect_grep 'Onaylanabilecek başvuru yok' "$T/b" "review all: nothing left that can be approved"
json POST /api/v1/admin/applications/bulk-approve "{\"ids\":[$I3]}" "${S6[@]}"
expect_eq "200 1 0" "$CODE $(jb '.approved, .skipped' | xargs)" "the API approves exactly the ids given"

# ---- point 15: staff accounts ----------------------------------------------------------------------
staff_login yonetici
YCOOKIE="eimza_staff=$STOK" YCSRF=$SCSRF
call GET /yonetim/hesaplar "${SY[@]}"
expect_code 200 "the accounts page for an admin"
for u in onay72 onay06 op yonetici; do expect_grep "data-user=\"$u\"" "$T/b" "lists $u"; done
expect_no_grep 'argon2|\$s1\.' "$T/b" "no password hash or secret on the page"
expect_grep 'href="/yonetim/hesaplar"' "$T/b" "the admin's header has the accounts"
call GET /yonetim/hesaplar "${SA[@]}"
expect_code 403 "an approver: 403"
expect_grep 'yalnızca sistem yöneticilerine açıktır' "$T/b" "the admins' pages, it says"
call GET /yonetim "${SA[@]}"
expect_no_grep 'href="/yonetim/hesaplar"' "$T/b" "not in an approver's header"
page_post /yonetim/hesaplar "$YCOOKIE" "$YCSRF" username=Yeni role=approver province= "password=kisa"
expect_code 400 "a bad new account"
expect_grep 'href="#username"' "$T/b" "the user name's error is linked"
expect_grep 'href="#province"' "$T/b" "the province's"
expect_grep 'href="#password"' "$T/b" "the password's"
expect_no_grep 'value="kisa"' "$T/b" "the password is not written back"
page_post /yonetim/hesaplar "$YCOOKIE" "$YCSRF" username=yeni.onay role=approver province=72 email=yeni@meb.gov.tr "password=$PW"
expect_eq "303 /yonetim/hesaplar?eklendi=yeni.onay" "$CODE $(location)" "a new approver added on the page"
expect_eq "approver 72 0" "$(sql "SELECT role || ' ' || province || ' ' || CASE WHEN disabled THEN 1 ELSE 0 END FROM users WHERE username = 'yeni.onay'")" "as asked"
expect_eq 1 "$(sql "SELECT count(*) FROM audit_log WHERE action = 'staff.user.add' AND actor = 'staff:yonetici' AND object = 'yeni.onay'")" "audited with the admin"
page_post /yonetim/hesaplar "$YCOOKIE" "$YCSRF" username=yeni.onay role=operator "password=$PW"
expect_code 409 "a name taken"
page_post /yonetim/hesaplar "$ACOOKIE" "$ACSRF" username=sinsi role=admin "password=$PW"
expect_code 403 "an approver cannot add an account"
expect_eq 0 "$(sql "SELECT count(*) FROM users WHERE username = 'sinsi'")" "nor was one added"
call GET /yonetim/hesaplar/yeni.onay "${SY[@]}"
expect_code 200 "an account's page"
expect_eq "Batman" "$(dd sp_acc_province)" "its province"
page_post /yonetim/hesaplar/yeni.onay "$YCOOKIE" "$YCSRF" action=email email=bozuk
expect_code 400 "a bad address"
page_post /yonetim/hesaplar/yeni.onay "$YCOOKIE" "$YCSRF" action=email email=yeni2@meb.gov.tr
expect_eq "303 /yonetim/hesaplar/yeni.onay?yapildi=email" "$CODE $(location)" "the address changed"
page_post /yonetim/hesaplar/yeni.onay "$YCOOKIE" "$YCSRF" action=province province=21
expect_code 303 "the province changed"
page_post /yonetim/hesaplar/yeni.onay "$YCOOKIE" "$YCSRF" action=disable
expect_code 303 "disabled"
json POST /api/v1/admin/login "$(jq -nc --arg p "$PW" '{username:"yeni.onay", password:$p}')"
expect_error 403 account_disabled "a disabled account cannot log in"
page_post /yonetim/hesaplar/yeni.onay "$YCOOKIE" "$YCSRF" action=enable
page_post /yonetim/hesaplar/yeni.onay "$YCOOKIE" "$YCSRF" action=totp
expect_code 303 "a new TOTP enrolment"
page_post /yonetim/hesaplar/yeni.onay "$YCOOKIE" "$YCSRF" action=unlock
expect_code 303 "unlocked"
expect_eq "yeni2@meb.gov.tr 21 0" "$(sql "SELECT email || ' ' || province || ' ' || CASE WHEN disabled THEN 1 ELSE 0 END FROM users WHERE username = 'yeni.onay'")" "every change kept"
expect_eq 6 "$(sql "SELECT count(*) FROM audit_log WHERE action = 'staff.user.set' AND actor = 'staff:yonetici' AND object = 'yeni.onay'")" "each change audited"
expect_no_grep 'yeni2@' "$(sql "SELECT detail FROM audit_log WHERE action = 'staff.user.set'" >"$T/det"; echo "$T/det")" "no address in the audit"
call GET /yonetim/hesaplar/yonetici "${SY[@]}"
expect_no_grep 'value="disable"' "$T/b" "no way to disable one's own account"
page_post /yonetim/hesaplar/yonetici "$YCOOKIE" "$YCSRF" action=disable
expect_code 409 "an admin cannot disable themselves"
expect_grep 'Kendi hesabınızı devre dışı bırakamazsınız' "$T/b" "and is told why"
page_post /yonetim/hesaplar/yeni.onay "$ACOOKIE" "$ACSRF" action=disable
expect_code 403 "an approver cannot change an account"
call GET /yonetim/hesaplar/kimse "${SY[@]}"
expect_code 404 "no such account"

# ---- point 15: the audit log ---------------------------------------------------------------------
call GET /yonetim/denetim "${SY[@]}"
expect_code 200 "the audit log for an admin"
expect_eq 50 "$(grep -c '<tr data-seq=' "$T/b")" "a page of 50, newest first"
TOP=$(sql "SELECT max(seq) FROM audit_log")
expect_grep "<tr data-seq=\"$TOP\"" "$T/b" "the newest entry on top"
expect_grep 'Personel hesabı değiştirildi' "$T/b" "actions in words"
expect_grep 'rel="next" href="/yonetim/denetim\?before=[0-9]+"' "$T/b" "a way to the older ones"
call GET "/yonetim/denetim?actor=onay72&action=application.approve" "${SY[@]}"
expect_eq "$(sql "SELECT count(*) FROM audit_log WHERE actor = 'staff:onay72' AND action = 'application.approve'")" \
  "$(grep -c '<tr data-seq=' "$T/b")" "filtered by who and what"
call GET "/yonetim/denetim?actor=cli&action=staff.user.add" "${SY[@]}"
expect_eq 4 "$(grep -c '<tr data-seq=' "$T/b")" "the command line's own entries: the four accounts it added"
call GET "/yonetim/denetim?object=$N1" "${SY[@]}"
[ "$(grep -c '<tr data-seq=' "$T/b")" -ge 3 ] && ok "everything about one application" || fail "by object" "$(grep -c '<tr data-seq=' "$T/b")"
expect_no_grep '<td data-label="Neyle ilgili">[^<]*[^<]' "$(grep -o '<td data-label="Neyle ilgili">[^<]*<' "$T/b" | grep -v ">$N1<" >"$T/other"; echo "$T/other")" "and nothing else"
call GET "/yonetim/denetim?from=2099-13-01" "${SY[@]}"
expect_code 400 "a bad day"
expect_grep 'href="#from"' "$T/b" "the error leads to the field"
call GET "/yonetim/denetim?from=2030-01-02&to=2030-01-01" "${SY[@]}"
expect_code 400 "days the wrong way round"
call GET "/yonetim/denetim?from=$(date -u +%Y-%m-%d)" "${SY[@]}"
expect_grep "<tr data-seq=\"$TOP\"" "$T/b" "from today: today's entries"
call GET "/yonetim/denetim?to=2000-01-01" "${SY[@]}"
expect_grep 'Bu süzgece uyan kayıt yok' "$T/b" "before any entry: none"
call GET /yonetim/denetim "${SA[@]}"
expect_code 403 "not for approvers"
page_post /yonetim/denetim "$YCOOKIE" "$YCSRF"
expect_code 200 "the chain checked"
expect_grep "Zincir sağlam: $TOP kayıt doğrulandı" "$T/b" "intact, every entry"
expect_eq 1 "$(sql "SELECT count(*) FROM audit_log WHERE action = 'audit.verify' AND actor = 'staff:yonetici' AND detail LIKE '%intact%'")" "the check is on record"
page_post /yonetim/denetim "$ACOOKIE" "$ACSRF"
expect_code 403 "an approver cannot check it here"

# ---- point 15: the personnel import ----------------------------------------------------------------
K6=40000000600 K7=40000000778
{
  echo "$H;kurum_sicil_no"
  echo "$K6;Gül;Tan;Batman;1990-01-01;720008;Hasankeyf Lisesi;72;Hasankeyf;Eğitim;Öğretmen;aktif;;1;gul@meb.gov.tr;0532 200 00 06;"
  echo "12345678901;Bozuk;Kişi;Batman;1990-01-01;720008;Hasankeyf Lisesi;72;Hasankeyf;Eğitim;Öğretmen;aktif;;1;bozuk@meb.gov.tr;0532 200 00 07;"
  echo "$K7;Nil;Su;Batman;1990-13-45;720008;Hasankeyf Lisesi;72;Hasankeyf;Eğitim;Öğretmen;belki;;1;nil@meb.gov.tr;0532 200 00 08;"
} >"$T/upload.csv"
call GET /yonetim/aktarim "${SY[@]}"
expect_code 200 "the import page for an admin"
expect_grep 'src="/static/js/import.js"' "$T/b" "with its upload script"
expect_grep '<progress id="import-progress"' "$T/b" "and a progress bar"
call POST /yonetim/aktarim -H "Cookie: $YCOOKIE" -H "X-CSRF-Token: $YCSRF" -H 'Content-Type: text/csv; charset=utf-8' \
  -H 'X-File-Name: il%2072.csv' --data-binary "@$T/upload.csv"
expect_code 200 "a file sent as it is (import.js's way)"
expect_grep 'Okunan satır: 3. Yeni kayıt: 1, güncellenen: 0, değişmeyen: 0, reddedilen satır: 2' "$T/b" "its counts"
expect_grep '^Cache-Control: no-store' "$T/h" "never cached"
expect_eq 1 "$(sql "SELECT count(*) FROM personnel WHERE tckn = '$K6'")" "the good row is in"
expect_eq 0 "$(sql "SELECT count(*) FROM personnel WHERE tckn IN ('12345678901', '$K7')")" "the refused ones are not"
expect_grep '<th scope="row" data-label="Satır">3</th>' "$T/b" "line 3 listed"
expect_grep 'data-label="Sütun">tckn<' "$T/b" "with its column"
expect_no_grep 'Bozuk|gul@|nil@' "$T/b" "no value of a row on the page"
REPORT=$(tr -d '\n' <"$T/b" | grep -o 'name="report" value="[^"]*"' | sed 's/.*value="//; s/"$//' | sed 's/&#10;/\n/g; s/&#xA;/\n/g')
[ -n "$REPORT" ] && ok "the page carries the report to download" || fail "report field" "$(grep -o 'name="report".\{0,200\}' "$T/b")"
expect_eq 1 "$(sql "SELECT count(*) FROM audit_log WHERE action = 'personnel.import' AND actor = 'staff:yonetici' AND object = 'il2072.csv'")" \
  "audited as the admin, with the file's name"
page_post /yonetim/aktarim/rapor "$YCOOKIE" "$YCSRF" "report=3;tckn;tckn_checksum
4;dogum_tarihi;date_format
x;<script>;evil"
expect_code 200 "the report downloaded"
expect_grep '^Content-Disposition: attachment; filename="reddedilen-satirlar.csv"' "$T/h" "as a file"
expect_eq efbbbf "$(head -c 3 "$T/b" | xxd -p)" "with the BOM"
expect_grep '^3;tckn;tckn_checksum;' "$T/b" "each row: line, column, code, reason"
expect_grep '^3;tckn;tckn_checksum;.*MEBBİS kaydıyla' "$T/b" "the reason speaks to the one who imports"
expect_no_grep 'cüzdanınız' "$T/b" "not to an applicant about their identity card"
expect_no_grep 'script|evil' "$T/b" "what is no report line is left out"
page_post /yonetim/aktarim "$YCOOKIE" "$YCSRF" "csv=$(cat "$T/upload.csv")"
expect_code 200 "the content pasted (without script)"
expect_grep 'Yeni kayıt: 0, güncellenen: 0, değişmeyen: 1, reddedilen satır: 2' "$T/b" "the same file again: nothing new"
page_post /yonetim/aktarim "$YCOOKIE" "$YCSRF" "csv="
expect_code 400 "nothing sent"
expect_grep 'href="#csv"' "$T/b" "the error leads to the field"
page_post /yonetim/aktarim "$YCOOKIE" "$YCSRF" "csv=ad;soyad
Ali;Veli"
expect_code 422 "not a personnel file"
expect_grep 'hiçbir kayıt değişmedi' "$T/b" "nothing changed, it says"
call POST /yonetim/aktarim -H "Cookie: $YCOOKIE" -H 'Content-Type: text/csv' --data-binary "@$T/upload.csv"
expect_code 403 "the file without the CSRF token"
call POST /yonetim/aktarim -H "Cookie: $ACOOKIE" -H "X-CSRF-Token: $ACSRF" -H 'Content-Type: text/csv' --data-binary "@$T/upload.csv"
expect_code 403 "an approver cannot import"
call GET /yonetim/aktarim "${SO[@]}"
expect_code 403 "nor an operator see the page"

stop_server
cat "${SERRS[@]}" >"$T/all.err"
expect_no_grep "$K1|$K2|$K3" "$T/all.err" "the log holds no T.C. Kimlik No"

# last, as it breaks the chain: an entry changed in the database is found and named
if start_server -- --dev --listen "127.0.0.1:$PORT" --db "$DB" --config "$T/eimza.conf"; then
  sql "UPDATE audit_log SET detail = '{\"forged\":true}' WHERE seq = 7" >/dev/null ||
    fail "the audit entry could not be changed for the test"
  staff_login yonetici
  page_post /yonetim/denetim "eimza_staff=$STOK" "$SCSRF"
  expect_grep 'Zincir bozuk: 7 numaralı kayıt' "$T/b" "a changed entry is named"
  expect_grep 'bilgi güvenliği' "$T/b" "with what to do"
  stop_server
else
  fail "server starts again" "$(head -c 600 "$SERR")"
fi
finish
