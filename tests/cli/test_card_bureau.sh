#!/usr/bin/env bash
# eimza — card bureau production (the default) through `eimza serve` and the command line, both
# backends: the operator's view after approval (API and /yonetim/uretim, by the renewed
# certificate's end, search by number, the overdue and at-risk views); a batch of a province
# (API and page), its export as CSV and JSON with what the bureau needs and the lost card's
# revocation request, audited; the bureau's answer file with `eimza bureau import` (a card made
# and shipped, a card made, a refusal; bad rows reported by line with exit 3; the same file
# again: exit 0, nothing changed); a carrier's file with `eimza shipments import` (the
# contract's columns; bad rows, exit 3); the delivery confirmed by the holder and recorded by
# the operator; the holder told at each step; the staff's card page and its forms; the files
# pasted on the page (POST /yonetim/dosya: applied, each refused row by its line with nothing of
# it recorded, the same file again unchanged, the CSRF token and the operator's role required);
# an id written any other way than its one form is 404 (batches, the card page).
source "$EIMZA_SOURCE_DIR/tests/lib.sh"
for c in openssl jq curl; do
  command -v $c >/dev/null || { echo "FAIL: $c is needed (scripts/deps.txt)"; exit 1; }
done

A=30000000182 # made and shipped by the bureau's answer; the holder confirms the delivery
K=30000000250 # made; shipped by the carrier's file; the operator records the delivery
R=30000000328 # refused by the bureau: back to be ordered again
L=30000000496 # a lost card: the revocation request goes with the batch
X=30000000564 # another province: not in the batch
PW='Doğru-Parola-2025'
H='tckn;ad;soyad;dogum_yeri;dogum_tarihi;kurum_kodu;kurum_adi;il_kodu;ilce;birim;unvan;gorev_durumu;gorevlendirme_bitis;eimza_hakki;eposta;cep_telefonu'
DB=$(new_db) || exit 1
source "$SRC/tests/portal_lib.sh"
{
  echo "$H"
  echo "$A;Ayşe;Kaya;Batman;1980-03-15;720001;Batman Lisesi;72;Merkez;Eğitim;Öğretmen;aktif;;1;ayse@meb.gov.tr;0532 100 00 01"
  echo "$K;Mehmet;Demir;Batman;1981-04-16;720002;Kozluk Lisesi;72;Kozluk;Eğitim;Öğretmen;aktif;;1;mehmet@meb.gov.tr;0532 100 00 02"
  echo "$R;Fatma;Şahin;Batman;1982-05-17;720003;Sason Lisesi;72;Sason;Eğitim;Öğretmen;aktif;;1;fatma@meb.gov.tr;0532 100 00 03"
  echo "$L;Can;Yıldız;Batman;1983-06-18;720004;Beşiri Lisesi;72;Beşiri;Eğitim;Öğretmen;aktif;;1;can@meb.gov.tr;0532 100 00 04"
  echo "$X;Elif;Öz;Ankara;1984-07-19;060001;Ankara Lisesi;06;Çankaya;Eğitim;Öğretmen;aktif;;1;elif@meb.gov.tr;0532 100 00 05"
} >"$T/p.csv"
# certificates ending in 50, 20, 40, 60 and 10 days: the batch takes 72's in the order K R A
printf '%s\tactive\t50\tAyşe Kaya\n%s\tactive\t20\tMehmet Demir\n%s\tactive\t40\tFatma Şahin\n%s\tactive\t60\tCan Yıldız\n%s\tactive\t10\tElif Öz\n' \
  $A $K $R $L $X >"$T/spec.tsv"
EIMZA_PKI_PORT=9 bash "$SRC/scripts/demo-pki.sh" "$T/pki" "$T/spec.tsv" >"$T/pki.out" 2>&1 ||
  { fail "demo PKI" "$(tail -5 "$T/pki.out")"; finish; }
P=$T/pki
mkdir -p "$T/trust"
cp "$P/root/root.pem" "$P/nes/nes.pem" "$T/trust/"
expect_status 0 "migrate" "$EIMZA" migrate --db "$DB"
expect_status 0 "import personnel" "$EIMZA" import personnel "$T/p.csv" --db "$DB"
expect_status 0 "import certificates" "$EIMZA" import certificates "$P/holders.pem" --db "$DB"
for u in "onay72 approver 72" "onay06 approver 06" "osman.op operator"; do
  set -- $u
  printf '%s\n' "$PW" | "$EIMZA" user add "$1" --role "$2" ${3:+--province $3} --db "$DB" >/dev/null 2>"$T/err" ||
    fail "user add $1" "$(cat "$T/err")"
done
start_server -- --dev --listen 127.0.0.1:0 --db "$DB" --trust-dir "$T/trust" ||
  { fail "server starts" "$(head -c 1000 "$SERR")"; finish; }
staff_login() {
  json POST /api/v1/admin/login "$(jq -nc --arg u "$1" --arg p "$PW" '{username:$u, password:$p}')"
  STOK=$(jb .token)
  SCSRF=$(jb .csrf_token)
}
staff_login onay72
SA=(-H "Authorization: Bearer $STOK")
staff_login onay06
S6=(-H "Authorization: Bearer $STOK")
staff_login osman.op
SO=(-H "Authorization: Bearer $STOK")
OCOOKIE="eimza_staff=$STOK"
OCSRF=$SCSRF
form() {
  jq -nc --arg r "${1:-renewal}" --arg pc "$2" '{reason:$r, security_word:"Gizli Sözcük", security_word_repeat:"Gizli Sözcük",
    address:"Okul Sok. 1", postal_code:$pc, mobile_operator:"vodafone"}'
}
app_id() {
  curl -s "${SO[@]}" "$URL/api/v1/admin/applications?limit=500" |
    jq -r --arg n "$1" '.applications[] | select(.number == $n) | .id'
}
# approved TCKN FIRST LAST PLACE DATE PLATE APPROVER [REASON]: sets ID, NUMBER, B
approved() {
  to_signing "$1" "$2" "$3" "$4" "$5" "$(form "${8:-}" "${6}100")" || return 1
  call POST /api/v1/application/wet-signature "${B[@]}"
  ID=$(app_id "$NUMBER")
  call POST "/api/v1/admin/applications/$ID/paper-received" "${SO[@]}"
  [ "${8:-}" = lost_stolen ] && return 0
  local -n who=$7
  json POST "/api/v1/admin/applications/$ID/decision" '{"decision":"approve"}' "${who[@]}"
  [ "$CODE" = 200 ] || { fail "approve $2" "$CODE $(head -c 300 "$T/b")"; return 1; }
}
approved $A Ayşe Kaya Batman 1980-03-15 72 SA || finish
IA=$ID NA=$NUMBER BA=("${B[@]}")
approved $K Mehmet Demir Batman 1981-04-16 72 SA || finish
IK=$ID NK=$NUMBER BK=("${B[@]}")
approved $R Fatma Şahin Batman 1982-05-17 72 SA || finish
IR=$ID NR=$NUMBER BR=("${B[@]}")
approved $X Elif Öz Ankara 1984-07-19 06 S6 || finish
NX=$NUMBER
approved $L Can Yıldız Batman 1983-06-18 72 SA lost_stolen || finish
LSERIAL=$(openssl x509 -in "$P/holders/$L.pem" -noout -serial | cut -d= -f2)

# ---- the operator's view ----------------------------------------------------------------------------
call GET '/api/v1/admin/production?view=approved' "${SO[@]}"
expect_eq "4 $NX $NK $NR $NA" "$(jb '[.total, (.applications[] | .number)] | join(" ")')" \
  "the applications to order, the renewed certificate's end first"
call GET '/api/v1/admin/production?view=approved' "${SA[@]}"
expect_eq 3 "$(jb .total)" "an approver sees their province"
call GET "/api/v1/admin/production?number=$NR" "${SO[@]}"
expect_eq "1 $NR" "$(jb '[.total, .applications[0].number] | join(" ")')" "one application by its number"
call GET '/api/v1/admin/production?view=at_risk' "${SO[@]}"
expect_eq "$NX" "$(jb '[.applications[].number] | join(" ")')" \
  "at risk: the certificate ending before the card is expected (10 days < 15)"
call GET '/api/v1/admin/production?view=nonsense' "${SO[@]}"
expect_error 400 invalid_fields "an unknown view"
call GET "/yonetim/uretim?view=at_risk" -H "Cookie: $OCOOKIE"
expect_code 200 "the page"
expect_grep "data-number=\"$NX\"" "$T/b" "lists the application at risk"
expect_grep 'Kesinti riski' "$T/b" "with the flag"
expect_grep 'action="/yonetim/partiler"' "$T/b" "the operator can make a batch there"

# ---- a batch ------------------------------------------------------------------------------------------
json POST /api/v1/admin/batches '{"province":72}' "${SA[@]}"
expect_error 403 forbidden_role "an approver makes no batch"
json POST /api/v1/admin/batches '{"province":72}' "${SO[@]}"
expect_eq "201 3 1" "$CODE $(jb '[.applications, .revocations] | join(" ")')" \
  "a batch of 72: three cards and the lost card's revocation request"
BATCH=$(jb .id)
json POST /api/v1/admin/batches '{"province":72}' "${SO[@]}"
expect_error 409 nothing_to_order "nothing more to order in 72"
call GET "/api/v1/admin/batches/$BATCH.csv" "${SO[@]}"
expect_code 200 "the CSV export"
expect_grep "^Content-Disposition: attachment; filename=\"kart-partisi-$BATCH.csv\"" "$T/h" "as a file"
tr -d '\r' <"$T/b" >"$T/batch.csv"
expect_eq "application_number;tckn;first_name;last_name;institution_name;unit;title;address;district;province;postal_code;mobile_phone;email;card_reader;validity_years;reason;renews_not_after" \
  "$(head -1 "$T/batch.csv" | sed 's/^\xEF\xBB\xBF//')" "the bureau's columns"
expect_eq "$NK $NR $NA" "$(sed -n '2,4p' "$T/batch.csv" | cut -d';' -f1 | xargs)" "the oldest-expiring first"
expect_grep "^$NK;$K;Mehmet;Demir;" "$T/batch.csv" "with the full T.C. Kimlik No the bureau needs"
expect_grep "^application_number;tckn;certificate_serial;issuer;reason;requested_at$" "$T/batch.csv" "the revocation requests"
expect_grep ";$L;$LSERIAL;.*;1;" "$T/batch.csv" "the lost card's certificate, keyCompromise"
call GET "/api/v1/admin/batches/$BATCH.json" "${SO[@]}"
expect_eq "3 1 $LSERIAL" "$(jb '[(.cards|length), (.revocations|length), .revocations[0].certificate_serial] | join(" ")')" \
  "the JSON export"
call GET "/api/v1/admin/batches/99999.csv" "${SO[@]}"
expect_error 404 batch_not_found "an unknown batch"
for v in "0$BATCH.csv" "%2B$BATCH.json" "$BATCH.0.csv" 9223372036854775808.csv; do
  call GET "/api/v1/admin/batches/$v" "${SO[@]}"
  expect_error 404 batch_not_found "'$v': not the batch's one written form"
done
expect_eq 2 "$(sql "SELECT count(*) FROM audit_log WHERE action = 'export.batch'")" "each export audited"
call GET /api/v1/application/status "${BA[@]}"
expect_eq in_production "$(jb .state)" "the holder's application is in production"
curl -s "$URL/dev/outbox" >"$T/outbox.json"
[ "$(jq --arg n "$NA" '[.[] | select(.template == "card_ordered" and (.body | contains($n)))] | length' "$T/outbox.json")" = 2 ] &&
  ok "the holder told, e-mail and SMS" || fail "card_ordered" "$(jq -c '.[-3:]' "$T/outbox.json")"

# ---- the bureau's answer ---------------------------------------------------------------------------------
cat >"$T/answer.csv" <<EOF
application_number;result;card_serial;carrier;tracking_number;reason
$NA;produced;AKIS-0001;Yurtiçi Kargo;YK123
$NK;produced;AKIS-0002;;
$NR;refused;;;;Nüfus kaydındaki ad ile başvurudaki ad uyuşmuyor
XXXXXXXXXX;produced;AKIS-9;;
$NX;produced;AKIS-0003;;
$NK;made;AKIS-0002;;
EOF
expect_status 3 "eimza bureau import with bad rows" "$EIMZA" bureau import "$T/answer.csv" --db "$DB"
expect_grep '^bureau import: 6 rows read, 3 applied, 0 already recorded, 3 refused$' "$T/out" "the summary"
expect_grep '^satır 5: application_number: application_unknown: ' "$T/err" "line 5: no such application"
expect_grep '^satır 6: application_number: wrong_state: ' "$T/err" "line 6: not in production"
expect_grep '^satır 7: result: answer_unknown: ' "$T/err" "line 7: an unknown result"
expect_status 3 "the same file again" "$EIMZA" bureau import "$T/answer.csv" --db "$DB"
expect_grep '^bureau import: 6 rows read, 0 applied, 3 already recorded, 3 refused$' "$T/out" \
  "changes nothing the second time"
sleep 1.1 # the server keeps a status answer up to status_cache_ms (1 s) for changes made elsewhere
call GET /api/v1/application/status "${BA[@]}"
expect_eq "shipped shipped Yurtiçi Kargo YK123" "$(jb '[.state, .card.state, .card.carrier, .card.tracking_number] | join(" ")')" \
  "A's card with the courier"
expect_eq "bureau" "$(jb .pin)" "the PIN comes from the bureau"
call GET /api/v1/application/status "${BR[@]}"
expect_eq "approved" "$(jb .state)" "R's card refused: back to be ordered"
expect_eq 0 "$(sql "SELECT count(*) FROM applications WHERE number = '$NR' AND batch_id IS NOT NULL")" "out of the batch"
call GET "/api/v1/admin/production?number=$NR" "${SO[@]}"
expect_eq "Nüfus kaydındaki ad ile başvurudaki ad uyuşmuyor" "$(jb .applications[0].note)" "the operator sees the bureau's reason"
curl -s "$URL/dev/outbox" >"$T/outbox.json"
jq -e --arg n "$NR" '[.[] | select(.template == "card_refused" and (.body | contains($n)) and (.body | contains("uyuşmuyor")))] | length == 2' \
  "$T/outbox.json" >/dev/null && ok "R told, with the reason" || fail "card_refused" "$(jq -c '.[-2:]' "$T/outbox.json")"

# ---- a carrier's file ----------------------------------------------------------------------------------
printf 'application_number;carrier;tracking_number\r\n%s;PTT Kargo;KP000123\r\n%s;PTT Kargo;KP000124\r\n%s;;KP000125\r\n' \
  "$NK" "$NR" "$NA" >"$T/ship.csv"
expect_status 3 "eimza shipments import with bad rows" "$EIMZA" shipments import "$T/ship.csv" --db "$DB"
expect_grep '^shipments import: 3 rows read, 1 applied, 0 already recorded, 2 refused$' "$T/out" "the summary"
expect_grep '^satır 3: application_number: wrong_state: ' "$T/err" "line 3: not in production"
expect_grep '^satır 4: carrier: required: ' "$T/err" "line 4: no carrier"
printf 'application_number;carrier;tracking_number\n%s;PTT Kargo;KP000123\n' "$NK" >"$T/ship2.csv"
expect_status 0 "a shipment recorded before" "$EIMZA" shipments import "$T/ship2.csv" --db "$DB"
expect_grep '0 applied, 1 already recorded, 0 refused' "$T/out" "is no change"
expect_status 1 "no file" "$EIMZA" shipments import --db "$DB"
expect_status 2 "an unreadable file" "$EIMZA" shipments import "$T/none.csv" --db "$DB"

# ---- the API's files and the pages' ----------------------------------------------------------------------
call POST /api/v1/admin/shipments -H 'Content-Type: text/csv' --data-binary @"$T/ship.csv" "${SO[@]}"
expect_eq "200 0 1 2" "$CODE $(jb '[.applied, .unchanged, .refused] | join(" ")')" "the carrier's file through the API"
expect_eq "3 wrong_state" "$(jb '.refusals[0] | (.line|tostring) + " " + .code')" "with its refusals"
call POST /api/v1/admin/shipments -H 'Content-Type: text/plain' --data-binary @"$T/ship.csv" "${SO[@]}"
expect_code 415 "only text/csv"

# ---- deliveries ---------------------------------------------------------------------------------------
call POST /api/v1/application/delivery "${BR[@]}"
expect_error 409 wrong_state "R's card is not on its way"
call POST /api/v1/application/delivery "${BA[@]}"
expect_eq "200 delivered" "$CODE $(jb .state)" "A confirms the delivery"
call GET "/yonetim/kart/0$IK" -H "Cookie: $OCOOKIE"
expect_code 404 "the card page of '0$IK' is not K's"
call GET "/yonetim/kart/$IK" -H "Cookie: $OCOOKIE"
expect_code 200 "K's card page"
expect_grep 'KP000123' "$T/b" "with the tracking number"
expect_grep 'name="action" value="deliver"' "$T/b" "and the delivery form"
# a button says what pressing it does, not the state it leads to
expect_grep '<button[^>]*>Teslim edildi olarak kaydet</button>' "$T/b" "the delivery button: 'record as delivered'"
expect_no_grep '<button[^>]*>(Teslim edildi|Kuryeye verildi)</button>' "$T/b" "no button in the past tense"
call GET "/yonetim/kart/$IK?lang=en" -H "Cookie: $OCOOKIE"
expect_grep '<button[^>]*>Record as delivered</button>' "$T/b" "and in English"
call POST "/yonetim/kart/$IK" -H "Cookie: $OCOOKIE" -H 'Content-Type: application/x-www-form-urlencoded' \
  --data-urlencode "csrf_token=$OCSRF" --data-urlencode action=deliver
expect_eq 303 "$CODE" "the operator records K's delivery on the page"
call GET /api/v1/application/status "${BK[@]}"
expect_eq "delivered delivered" "$(jb '.state + " " + .card.state')" "K's card delivered"
call POST "/yonetim/kart/$IR" -H "Cookie: $OCOOKIE" -H 'Content-Type: application/x-www-form-urlencoded' \
  --data-urlencode "csrf_token=$OCSRF" --data-urlencode action=cancel --data-urlencode reason=
expect_eq 400 "$CODE" "a cancellation without a reason on the page"
expect_grep 'İptal için bir gerekçe' "$T/b" "says so"
curl -s "$URL/dev/outbox" >"$T/outbox.json"
for t in card_shipped card_delivered; do
  jq -e --arg n "$NA" --arg t $t '[.[] | select(.template == $t and (.body | contains($n)))] | length == 2' "$T/outbox.json" >/dev/null &&
    ok "A told: $t" || fail "A told: $t" "$(jq -c '[.[] | .template]' "$T/outbox.json")"
done
expect_eq 2 "$(sql "SELECT count(*) FROM application_events e JOIN applications a ON a.id = e.application_id WHERE a.number = '$NA' AND e.event IN ('ship', 'deliver')")" \
  "on A's timeline"
# ---- the files pasted on the page: POST /yonetim/dosya --------------------------------------------------
# R (refused by the bureau, back to be ordered) goes into a new batch; its answer comes back
# through the page: the rows applied, each refused row shown with its line and field and skipped
# (nothing of it recorded), the form's CSRF token required, and only operators and admins.
json POST /api/v1/admin/batches '{"province":72}' "${SO[@]}"
expect_eq "201 1" "$CODE $(jb .applications)" "R in a new batch"
expect_eq in_production "$(sql "SELECT state FROM applications WHERE number = '$NR'")" "R in production again"
call GET /yonetim/uretim -H "Cookie: $OCOOKIE"
expect_grep 'action="/yonetim/dosya"' "$T/b" "the production page has the files' form"
# file_post COOKIE CSRF KIND FILE: the form as the page posts it ("" CSRF: none sent)
file_post() {
  local csrf=()
  [ -n "$2" ] && csrf=(--data-urlencode "csrf_token=$2")
  call POST /yonetim/dosya -H "Cookie: $1" -H 'Content-Type: application/x-www-form-urlencoded' \
    "${csrf[@]}" --data-urlencode "kind=$3" --data-urlencode "csv@$4"
}
# refused: the refused rows' table as "LINE|FIELD|WHY" lines
refused() {
  tr -d '\n' <"$T/b" | sed 's#<tr#\n<tr#g' | grep -F 'scope="row"' |
    sed -E 's#</tr>.*##; s#</t[hd]>#|#g; s#<[^>]*>##g; s#\|$##'
}
# r_state: R's state and how many cards are recorded for it
r_state() {
  sql "SELECT a.state || ' ' || (SELECT count(*) FROM cards k WHERE k.application_id = a.id) FROM applications a WHERE a.number = '$NR'"
}
WHY_REQUIRED='Bu alan zorunludur; lütfen doldurunuz.'
WHY_STATE='Başvuru bu işlem için uygun aşamada değil (örneğin daha önce işlenmiş ya da iptal edilmiş); başvurunun sayfasındaki durumuna bakınız.'
WHY_UNKNOWN='Bu numarada bir başvuru yok; başvuru numarasını kontrol ediniz.'
before_cards=$(r_state)
{
  echo 'application_number;result;card_serial;carrier;tracking_number;reason'
  echo "$NR;produced;AKIS-0004;Aras Kargo;"
  echo "$NX;produced;AKIS-0005;;"
  echo "XXXXXXXXXX;produced;AKIS-9;;"
} >"$T/answer-bad.csv"
file_post "$OCOOKIE" "$OCSRF" answer "$T/answer-bad.csv"
expect_code 200 "page: a file with bad rows is read"
expect_grep '3 satır okundu: 0 uygulandı, 0 daha önce kaydedilmişti, 3 reddedildi\.' "$T/b" "page: the counts"
expect_eq "2|tracking_number|$WHY_REQUIRED
3|application_number|$WHY_STATE
4|application_number|$WHY_UNKNOWN" "$(refused)" \
  "page: each refused row with its line (the header is line 1), its field and why"
expect_eq "$before_cards" "$(r_state)" "page: R's refused row recorded nothing (no card made without its shipment)"
expect_eq 0 "$(sql "SELECT count(*) FROM cards WHERE serial IN ('AKIS-0004', 'AKIS-0005', 'AKIS-9')")" \
  "page: no card of the refused rows"
{
  echo 'application_number;result;card_serial;carrier;tracking_number;reason'
  echo "$NR;produced;AKIS-0004;Aras Kargo;AR555"
} >"$T/answer-good.csv"
file_post "$OCOOKIE" "" answer "$T/answer-good.csv"
expect_code 403 "page: a file posted without the form's CSRF token is refused"
expect_grep 'Güvenlik doğrulaması başarısız oldu' "$T/b" "page: saying so"
file_post "$OCOOKIE" "not-the-token" answer "$T/answer-good.csv"
expect_code 403 "page: and with another token"
staff_login onay72
file_post "eimza_staff=$STOK" "$SCSRF" answer "$T/answer-good.csv"
expect_code 403 "page: an approver may not import the bureau's answer"
expect_grep 'Bu işlem rolünüze açık değil' "$T/b" "page: told it is not their role's work"
expect_grep 'Batman ilinin DYS yöneticisi hesabıdır' "$T/b" "page: and what their role is"
expect_eq "$before_cards" "$(r_state)" "page: none of the refused posts changed anything"
file_post "$OCOOKIE" "$OCSRF" answer "$T/answer-good.csv"
expect_code 200 "page: the good file"
expect_grep '1 satır okundu: 1 uygulandı, 0 daha önce kaydedilmişti, 0 reddedildi\.' "$T/b" "page: one row applied"
expect_no_grep 'Reddedilen satırlar' "$T/b" "page: no refused rows"
call GET "/api/v1/admin/production?number=$NR" "${SO[@]}"
expect_eq "shipped shipped AKIS-0004 Aras Kargo AR555" \
  "$(jb '.applications[0] | [.state, .card.state, .card.serial, .card.carrier, .card.tracking_number] | join(" ")')" \
  "page: R's card made and with the courier, as the file said"
call GET /api/v1/application/status "${BR[@]}"
expect_eq "shipped Aras Kargo AR555" "$(jb '[.state, .card.carrier, .card.tracking_number] | join(" ")')" \
  "page: the holder sees it"
file_post "$OCOOKIE" "$OCSRF" answer "$T/answer-good.csv"
expect_grep '1 satır okundu: 0 uygulandı, 1 daha önce kaydedilmişti, 0 reddedildi\.' "$T/b" \
  "page: the same file again changes nothing"
expect_eq "shipped 1" "$(r_state)" "page: still one card for R"
{
  echo 'application_number;carrier;tracking_number'
  echo "$NX;PTT Kargo;KP000999"
} >"$T/ship-bad.csv"
file_post "$OCOOKIE" "$OCSRF" shipments "$T/ship-bad.csv"
expect_grep '1 satır okundu: 0 uygulandı, 0 daha önce kaydedilmişti, 1 reddedildi\.' "$T/b" "page: a carrier's file"
expect_eq "2|application_number|$WHY_STATE" "$(refused)" \
  "page: read as a carrier's file (X is not in production), the row's line shown"
expect_eq approved "$(sql "SELECT state FROM applications WHERE number = '$NX'")" "page: X untouched"

stop_server
finish
