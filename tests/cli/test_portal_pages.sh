#!/usr/bin/env bash
# eimza — the applicant's step pages without JavaScript, as curl (a browser with scripts off)
# meets them: plain HTML forms posted with the session cookie (curl -c/-b), 303 See Other after
# each step that succeeds, the form shown again with the error summary when it fails. Checks
# the login (the login form's own CSRF cookie, the same message for a wrong name and for an
# unknown T.C. Kimlik No, a wrong captcha, the birth date in three fields with each part's own
# message, spaces in the T.C. Kimlik No, the dotted and dotless i taken as one), the form
# (masked number, the mobile number and the Kurum Sicil No locked from the personnel record,
# per-field errors in the field's own words linked from the summary, the security word never
# echoed, the ineligibility warning in words), the check of the answers (a "Değiştir" link per
# field), the SMS code (masked phone, the time left in minutes and seconds, a wrong code with the
# tries left, "İptal" back to the answers), the content to sign and the method choice, the
# confirmation with the address the paper goes to (province_contacts), the print view, the
# status page, help and the accessibility statement, logout; every page refusing a
# missing session (303 /giris) and a missing CSRF token (403, an HTML page); pages asked for at
# the wrong step sending the person to the right one; and the T.C. Kimlik No never in a
# Location header, a URL or the access log. Runs on both backends.
source "$EIMZA_SOURCE_DIR/tests/lib.sh"
command -v jq >/dev/null || { echo "FAIL: jq is needed (scripts/deps.txt)"; exit 1; }

P1=10000000146 # Ayşe Işık (tests/e2e/fixtures/personnel.csv): the whole walk
P2=10000000214 # Ömer Çelik: left service, so the form warns in words
P4=10000000450 # valid check digits, never on record
H='tckn;ad;soyad;dogum_yeri;dogum_tarihi;kurum_kodu;kurum_adi;il_kodu;ilce;birim;unvan;gorev_durumu;gorevlendirme_bitis;eimza_hakki;eposta;cep_telefonu;kurum_sicil_no'

DB=$(new_db) || exit 1
expect_status 0 "migrate" "$EIMZA" migrate --db "$DB"
{
  echo "$H"
  echo "$P1;Ayşe;Işık;Iğdır;1980-03-27;72000001;Batman İl Milli Eğitim Müdürlüğü;72;Merkez;Bilgi İşlem;Öğretmen;aktif;;1;ayse.isik@example.org;05551234567;72-1044"
  echo "$P2;Ömer;Çelik;Siirt;1975-01-02;560001;Siirt Lisesi;56;Kurtalan;Müdürlük;Müdür;ayrildi;;1;omer.celik@example.org;0533 765 43 21;"
} >"$T/p.csv"
expect_status 0 "import personnel" "$EIMZA" import personnel "$T/p.csv" --db "$DB"

# the deployment's identity and Batman's DYS unit, where its signed paper goes
{
  echo 'il_kodu;birim;adres;telefon;eposta'
  echo '72;Batman İl Millî Eğitim Müdürlüğü DYS Birimi;Kültür Mah. Atatürk Bulvarı No: 1, 72070 Merkez/Batman;0488 213 00 00;dys72@example.org'
} >"$T/contacts.csv"
{
  echo 'ministry_name = T.C. Millî Eğitim Bakanlığı (deneme)'
  echo "province_contacts = $T/contacts.csv"
  echo 'delivery_expected_days = 20' # the pages say this, not a written-in 15
} >"$T/eimza.conf"
SOUT=$T/serve.out
SERR=$T/serve.err
"$EIMZA" serve --dev --config "$T/eimza.conf" --listen 127.0.0.1:0 --db "$DB" >"$SOUT" 2>"$SERR" &
PID=$!
URL=
for _ in $(seq 1 200); do
  URL=$(sed -n 's/^eimza: serving on \(http[^ ]*\) .*/\1/p' "$SOUT")
  [ -n "$URL" ] && break
  kill -0 "$PID" 2>/dev/null || break
  sleep 0.05
done
trap 'kill -TERM "$PID" 2>/dev/null; cleanup' EXIT
if [ -z "$URL" ]; then
  fail "server starts" "$(head -c 1000 "$SERR")"
  finish
fi
ok "server starts"

JAR=$T/jar
: >"$T/all-headers"
: >"$T/all-urls"
# page METHOD PATH [CURL-ARGS...]: a request with the cookie jar; body in $T/b, headers in $T/h,
# status in CODE, the Location header in LOC. Every URL and header is kept for the last check.
page() {
  local m=$1 p=$2
  shift 2
  echo "$m $URL$p" >>"$T/all-urls"
  CODE=$(curl -s -o "$T/b" -D "$T/h" -w '%{http_code}' -c "$JAR" -b "$JAR" -X "$m" "$@" "$URL$p")
  cat "$T/h" >>"$T/all-headers"
  LOC=$(sed -n 's/^Location: \(.*\)\r$/\1/Ip' "$T/h")
}
# post PATH FIELD=VALUE...: a form post (each pair URL-encoded).
post() {
  local p=$1
  shift
  local args=()
  for kv in "$@"; do args+=(--data-urlencode "$kv"); done
  page POST "$p" -H 'Content-Type: application/x-www-form-urlencoded' "${args[@]}"
}
# hidden NAME: the value of the page's hidden field NAME.
hidden() { grep -o "name=\"$1\" value=\"[^\"]*\"" "$T/b" | head -n 1 | sed 's/.*value="//; s/"$//'; }
expect_redirect() { # STATUS LOCATION NAME
  expect_eq "$1 $2" "$CODE $LOC" "$3"
}
# summary: the error summary's text (tags dropped), for comparing two pages' messages.
summary() { tr '\n' ' ' <"$T/b" | grep -o '<div class="error-summary".*</ul>' | sed 's/<[^>]*>//g'; }
# login_form: opens /giris; sets CID, CANS (the captcha's answer) and LCSRF.
login_form() {
  page GET /giris
  CID=$(hidden captcha_id)
  LCSRF=$(hidden csrf_token)
  CANS=$(curl -s "$URL/dev/captcha/$CID" | jq -r .answer)
}
# login TCKN FIRST LAST PLACE DAY MONTH YEAR [ANSWER]: the birth date in its three fields
login() {
  login_form
  post /giris "csrf_token=$LCSRF" "tckn=$1" "first_name=$2" "last_name=$3" "birth_place=$4" \
    "birth_date_day=$5" "birth_date_month=$6" "birth_date_year=$7" "captcha_id=$CID" \
    "captcha_answer=${8:-$CANS}"
}

# ---- the configured delivery time, where the pages state it -----------------------------------
page GET /
expect_grep 'Onaydan sonra 20 gün içinde yeni kartınız kurye ile gelir' "$T/b" "landing: the configured delivery days"
expect_grep 'Kartınız onaydan sonra 20 gün içinde elinize ulaşmazsa' "$T/b" "footer: the configured delivery days"
expect_no_grep '15 gün|10–15' "$T/b" "landing and footer: no written-in 15 days"
page GET /yardim -H 'Accept-Language: en'
expect_grep 'Within 20 days of approval, by courier' "$T/b" "help in English: the configured days, plural"
expect_grep 'If your card has not reached you 20 days after approval' "$T/b" "footer in English: the configured days"
expect_no_grep '15 days|10–15' "$T/b" "help in English: no written-in 15 days"

# ---- no session: every step sends the person to the login ----------------------------------
for p in /basvuru /kontrol /sms /yontem /basvuru/tamam /basvuru/ozet /durum; do
  page GET "$p"
  expect_redirect 303 /giris "GET $p without a session"
done
post /basvuru unit=x
expect_redirect 303 /giris "POST /basvuru without a session"
post /sms/gonder
expect_redirect 303 /giris "POST /sms/gonder without a session"

# ---- step 1: the login page -----------------------------------------------------------------
login_form
expect_eq 200 "$CODE" "GET /giris: 200"
expect_grep '^Content-Type: text/html; charset=utf-8' "$T/h" "login: HTML"
expect_grep "<img [^>]*src=\"/api/v1/captcha/$CID.png\"[^>]*alt=\"[^\"]+\"" "$T/b" "login: captcha image with alt"
expect_grep "href=\"/api/v1/captcha/$CID.wav\">Resmi sesli dinle<" "$T/b" "login: the spoken version"
expect_grep 'href="/giris">Yeni resim<' "$T/b" "login: a new image without script"
for w in 'T.C. Kimlik No' 'Ad' 'Soyad' 'Doğum yeri' 'Gün' 'Ay' 'Yıl' 'Resimdeki yazıyı giriniz'; do
  expect_grep "<label[^>]*>$w" "$T/b" "login: label $w"
done
expect_grep '<button type="submit"[^>]*>Giriş</button>' "$T/b" "login: Giriş button"
# GOV.UK's memorable date: a group of three numeric fields, no date picker
expect_grep '<legend>Doğum tarihi</legend>' "$T/b" "login: the date's group named"
for part in day month year; do
  expect_grep "<input [^>]*id=\"birth_date_$part\"[^>]*inputmode=\"numeric\"" "$T/b" \
    "login: the date's $part, numeric"
done
expect_no_grep 'type="date"' "$T/b" "login: no date picker"
expect_grep 'maxlength="16"' "$T/b" "login: room for spaces in the T.C. Kimlik No"
expect_grep '^Set-Cookie: eimza_login_csrf=[0-9a-f]{32}; Path=/giris; HttpOnly; SameSite=Strict' "$T/h" \
  "login: its CSRF cookie"
[[ "$CANS" =~ ^[A-Z0-9]{5}$ ]] && ok "login: captcha answer from /dev" || fail "login: captcha answer" "$CANS"

post /giris "tckn=$P1" first_name=Ayşe last_name=Işık birth_place=Iğdır birth_date_day=27 \
  birth_date_month=3 birth_date_year=1980 "captcha_id=$CID" "captcha_answer=$CANS"
expect_eq 403 "$CODE" "login without the CSRF token: 403"
expect_grep '^Content-Type: text/html' "$T/h" "403: an HTML page"
expect_grep 'Güvenlik doğrulaması başarısız' "$T/b" "403: says what to do"
# wapiti's csrf check (docs/SECURITY.md, "Scanners"): the form posted again with its token
# replaced by "wapiti" must be answered otherwise than the form as it was; and the right token
# without the cookie it goes with (what a scan that sends a fixed Cookie header does) is
# refused like a wrong one
login_form
post /giris "csrf_token=wapiti" "tckn=$P1" first_name=Ayşe last_name=Işık birth_place=Iğdır \
  birth_date=1980-03-27 "captcha_id=$CID" "captcha_answer=WRONG"
expect_eq 403 "$CODE" "login with a token not its cookie's: 403"
CODE=$(curl -s -o "$T/b" -w '%{http_code}' -H 'Cookie: eimza_session=x' \
  --data-urlencode "csrf_token=$LCSRF" --data-urlencode "tckn=$P1" \
  --data-urlencode "captcha_id=$CID" --data-urlencode "captcha_answer=WRONG" "$URL/giris")
expect_eq 403 "$CODE" "login with the right token but without its cookie: 403"

login "$P1" Fatma Işık Iğdır 27 3 1980
expect_eq 200 "$CODE" "wrong name: the form again (200)"
expect_grep 'class="error-summary"' "$T/b" "wrong name: error summary"
expect_grep '<title>Hata: ' "$T/b" "wrong name: title starts with Hata:"
expect_grep 'Girdiğiniz bilgiler kayıtlarla eşleşmedi' "$T/b" "wrong name: login_failed message"
S1=$(summary)
expect_no_grep 'eimza_session=[^;]' "$T/h" "wrong name: no session cookie"
expect_grep "value=\"$P1\"" "$T/b" "wrong name: the number kept in the form (body, not URL)"
login "$P4" Ayşe Işık Iğdır 27 3 1980
expect_eq 200 "$CODE" "unknown T.C. Kimlik No: 200"
S2=$(summary)
expect_eq "$S1" "$S2" "unknown number: the same message as a wrong name"
login "$P1" Ayşe Işık Iğdır 27 3 1980 WRONG
expect_grep 'href="#captcha_answer"' "$T/b" "wrong captcha: summary links to the captcha field"
expect_grep 'Resimdeki yazı hatalı' "$T/b" "wrong captcha: its message"
login 12345 Ayşe Işık Iğdır 27 3 1980
expect_grep 'href="#tckn"' "$T/b" "malformed number: summary links to the field"
# the birth date: each part's own message, the summary leading to the part to fix, what was
# typed kept; an impossible date said as one
login "$P1" Ayşe Işık Iğdır '' 3 1980
expect_eq 200 "$CODE" "no day: the form again"
expect_grep 'href="#birth_date_day"' "$T/b" "no day: the summary leads to the day"
expect_grep 'Doğum tarihinizin gününü giriniz' "$T/b" "no day: its own message"
expect_grep 'id="birth_date_month"[^>]*value="3"' "$T/b" "no day: the month typed is kept"
login "$P1" Ayşe Işık Iğdır 27 13 1980
expect_grep 'href="#birth_date_month"' "$T/b" "month 13: the summary leads to the month"
login "$P1" Ayşe Işık Iğdır 31 2 1980
expect_grep 'gerçek bir tarih' "$T/b" "31 February: not a real date"
login "$P1" Ayşe Işık Iğdır 27 3 80
expect_grep 'href="#birth_date_year"' "$T/b" "a two-digit year: the summary leads to the year"
expect_no_grep '[0-9]{11}' <(grep -i '^Location:' "$T/h") "date errors: no number in a Location"

# spaces in the number, capitals, and the i's either way (Iğdır typed iğdır, Işık as IŞIK)
login "${P1:0:3} ${P1:3:3} ${P1:6:3} ${P1:9}" ayşe IŞIK iğdır 27 03 1980
expect_redirect 303 /basvuru "login (spaces in the number, Turkish case folding, i for I): 303 /basvuru"
expect_grep '^Set-Cookie: eimza_session=[A-Za-z0-9_-]{43}; Path=/; HttpOnly; SameSite=Strict' "$T/h" \
  "login: session cookie like the API's"

# ---- wrong step: before the form is saved ----------------------------------------------------
page GET /yontem
expect_redirect 303 /basvuru "/yontem before the form: to /basvuru"
page GET /sms
expect_redirect 303 /basvuru "/sms before the form: to /basvuru"
page GET /kontrol
expect_redirect 303 /basvuru "/kontrol before the form: to /basvuru"
page GET /basvuru/tamam
expect_redirect 303 /basvuru "/basvuru/tamam before the form: to /basvuru"

# ---- step 2: the form -----------------------------------------------------------------------
page GET /basvuru
expect_eq 200 "$CODE" "GET /basvuru: 200"
CSRF=$(hidden csrf_token)
[ ${#CSRF} -ge 32 ] && ok "form: session CSRF token" || fail "form: session CSRF token" "$CSRF"
for w in 'Başvuru formu' 'Başvuru bilgileri' 'Kişisel bilgiler' 'Kurum bilgileri' 'İletişim bilgileri' \
  'Güvenlik sözcüğü \(tekrar\)' 'Aşağıda yazılı bütün bilgilerin doğru olduğunu' 'Adım 2 / 5' \
  'T.C. Millî Eğitim Bakanlığı \(deneme\)'; do
  expect_grep "$w" "$T/b" "form: $w"
done
# the mobile number and the Kurum Sicil No: the personnel record's, locked, saying who changes
# the number; the limits said alike in the hint and in maxlength; the postal code's example in
# the person's own province
expect_grep '<input [^>]*id="mobile_phone"[^>]*readonly[^>]*value="0555 123 45 67"' "$T/b" \
  "form: the record's mobile number, locked"
expect_grep 'özlük birimine' "$T/b" "form: who changes the number"
expect_grep '<input [^>]*id="registry_no"[^>]*readonly[^>]*value="72-1044"' "$T/b" \
  "form: Kurum Sicil No from the personnel file, locked"
expect_grep 'id="security_word"[^>]*maxlength="32"' "$T/b" "form: the security word's maxlength"
expect_grep 'id="security_word-hint"[^>]*>[^<]*6 ile 32 karakter' "$T/b" "form: and its hint"
expect_grep 'id="address"[^>]*maxlength="250"' "$T/b" "form: the address's maxlength"
expect_grep 'id="postal_code-hint"[^>]*>[^<]*Batman için 72xxx' "$T/b" "form: the postal code's example in Batman"
expect_grep 'value="100\*\*\*\*\*\*46"' "$T/b" "form: the number masked"
expect_no_grep "$P1" "$T/b" "form: the full number nowhere"
expect_eq 81 "$(grep -A200 'id="province"' "$T/b" | grep -c '<option value="[0-9]')" "form: 81 provinces"
expect_grep '<option value="72" selected>Batman' "$T/b" "form: province from the record"
expect_grep 'value="renewal"[^>]* checked' "$T/b" "form: Yenileme by default"
expect_grep 'value="3"[^>]* checked' "$T/b" "form: 3 years by default"

FORM=(unit="Bilgi İşlem" title=Öğretmen "address=Kültür Mah. Atatürk Bulvarı No: 1" province=72
  district=Merkez email=ayse.isik@example.org "mobile_phone=0555 123 45 67" mobile_operator=turkcell
  notify_by=both reason=renewal validity_years=3 card_reader=none)
post /basvuru "${FORM[@]}" postal_code=72100 security_word=Kırmızı77 security_word_repeat=Kırmızı77
expect_eq 403 "$CODE" "form without the CSRF token: 403"
page POST /basvuru -H 'Content-Type: text/plain' --data-binary "csrf_token=$CSRF"
expect_eq 415 "$CODE" "form sent as text/plain: 415"
expect_grep '^Content-Type: text/html' "$T/h" "415: an HTML page, not JSON"
post /basvuru "csrf_token=$CSRF" "${FORM[@]}" postal_code=34000 security_word=Kırmızı77 \
  security_word_repeat=Mavi7788
expect_eq 200 "$CODE" "form with errors: shown again (200)"
expect_grep 'href="#postal_code"' "$T/b" "form errors: summary links to the postal code"
expect_grep 'href="#security_word_repeat"' "$T/b" "form errors: summary links to the repetition"
expect_grep 'id="postal_code-error"' "$T/b" "form errors: inline message at the postal code"
expect_grep 'value="34000"' "$T/b" "form errors: the value sent is kept"
expect_no_grep 'Kırmızı77|Mavi7788' "$T/b" "form errors: the security word never echoed"
expect_grep 'Güvenlik sözcüğü ile tekrarı aynı değil' "$T/b" "form errors: the repetition in its own words"
expect_no_grep 'Bu alan zorunludur' "$T/b" "form errors: no message without its field"
post /basvuru "csrf_token=$CSRF" "${FORM[@]:1}" postal_code= security_word=Kırmızı77 \
  security_word_repeat=Kırmızı77 unit=
expect_grep 'Kurumunuzun posta kodunu giriniz' "$T/b" "form errors: an empty postal code, said for it"
expect_grep 'Çalıştığınız birimi yazınız' "$T/b" "form errors: an empty unit, said for it"
# a number typed into the form cannot redirect the code: the JSON API refuses it on its field,
# saying whom to ask (the page's field is locked and not taken from a post)
page PUT /api/v1/application -H "X-CSRF-Token: $CSRF" -H 'Content-Type: application/json' \
  --data '{"mobile_phone":"0532 000 00 00"}'
expect_eq 400 "$CODE" "PUT with another mobile number: 400"
jq -r '.error.fields.mobile_phone' "$T/b" >"$T/why"
expect_grep 'özlük birimine' "$T/why" "another mobile number: refused on its field, saying whom to ask"
page PUT /api/v1/application -H "X-CSRF-Token: $CSRF" -H 'Content-Type: application/json' \
  --data '{"mobile_phone":"+90 555 123 45 67"}'
# (the form is not complete yet: the other fields' errors, but none on the number)
expect_eq "400 null" "$CODE $(jq -c '.error.fields.mobile_phone' "$T/b")" \
  "PUT with the record's number written another way: the number accepted"
# the draft: what was typed kept without the checks, back when the form is shown again
post /basvuru "csrf_token=$CSRF" action=draft "address=Taslak Sok. No: 9" postal_code=7
expect_redirect 303 '/basvuru?taslak=kaydedildi' "draft: kept, back to the form"
page GET /basvuru
expect_grep 'Kaydetmediğiniz değişiklikleriniz geri getirildi' "$T/b" "draft: said when it comes back"
expect_grep 'value="Taslak Sok. No: 9"|>Taslak Sok. No: 9<' "$T/b" "draft: the address typed is back"
post /basvuru "csrf_token=$CSRF" "${FORM[@]}" postal_code=72100 security_word=Kırmızı77 \
  security_word_repeat=Kırmızı77
expect_redirect 303 /kontrol "form saved: 303 /kontrol (the check of the answers)"
page GET /basvuru
expect_no_grep 'Taslak Sok' "$T/b" "the saved form removed the draft"

# ---- the check of the answers ----------------------------------------------------------------
page GET /kontrol
expect_eq 200 "$CODE" "GET /kontrol: 200"
expect_grep '<h1>Başvurunuzu kontrol ediniz</h1>' "$T/b" "check: its title"
expect_grep "o bilginin “Değiştir” bağlantısını" "$T/b" "check: the lead points at each answer's own Change link (below it on a phone, not beside it)"
for w in 72100 72-1044 'Kültür Mah. Atatürk Bulvarı No: 1' 'Kayıtlı \(güvenliğiniz için gösterilmez\)' \
  '0555&#160;123&#160;45&#160;67'; do
  expect_grep "$w" "$T/b" "check: $w"
done
expect_eq 15 "$(grep -o 'href="/basvuru#[a-z_]*"' "$T/b" | wc -l)" "check: a Değiştir link per editable field"
expect_grep 'href="/basvuru#postal_code">Değiştir<span class="visually-hidden">: Posta kodu</span>' "$T/b" \
  "check: each link says what it changes"
expect_no_grep 'Kırmızı77' "$T/b" "check: the security word never shown"
expect_grep 'action="/sms/gonder"' "$T/b" "check: confirming sends the code"

# ---- steps 3 and 4: the SMS code ------------------------------------------------------------
page GET /yontem
expect_redirect 303 /sms "/yontem before the code: to /sms"
page GET /sms
expect_eq 200 "$CODE" "GET /sms: 200"
expect_grep 'Cep telefonu numaranız \(personel kaydınızdaki\): <strong>5\*\*\*\*\*\*\*67</strong>' "$T/b" \
  "sms: which number, masked"
expect_grep 'özlük' "$T/b" "sms: who changes a wrong number"
expect_grep '>Gönder</button>' "$T/b" "sms: Gönder"
post /sms/gonder
expect_eq 403 "$CODE" "send without the CSRF token: 403"
post /sms/gonder "csrf_token=$CSRF"
expect_redirect 303 /sms "send: 303 /sms"
page GET /sms
expect_grep 'SMS onay kodunuzun geçerliliği için kalan süre: <strong[^>]*>(5 dakika|4 dakika [0-9]+ saniye)</strong>' \
  "$T/b" "sms: the time left in minutes and seconds"
expect_grep '<label[^>]*>SMS onay kodu<' "$T/b" "sms: the code's one name"
expect_no_grep '[Dd]oğrulama [Kk]odu' "$T/b" "sms: no other name for the code"
expect_grep '>Tamam</button>' "$T/b" "sms: Tamam"
expect_grep '>İptal</button>' "$T/b" "sms: İptal"
# the new code: hidden while the cool-down runs, shown by the script when it ends (the time it
# waits is on the form), said in words until then
expect_grep '<form [^>]*action="/sms/gonder"[^>]*class="resend" hidden data-reveal-after="[0-9]+"' "$T/b" \
  "sms: a new code offered by itself after the cool-down"
expect_grep 'class="resend-wait"' "$T/b" "sms: the wait said in words"
# İptal: back to the answers, nothing lost; confirming again asks for no second code
post /sms/dogrula "csrf_token=$CSRF" action=cancel
expect_redirect 303 /kontrol "İptal: back to the check of the answers"
page GET /kontrol
expect_grep 'Kayıtlı \(güvenliğiniz için gösterilmez\)' "$T/b" "İptal: the security word kept"
post /sms/gonder "csrf_token=$CSRF"
expect_eq 429 "$CODE" "send again at once: 429 (cool-down)"
expect_grep 'yeniden deneyebilirsiniz' "$T/b" "cool-down: says when"
OTP=$(curl -s "$URL/dev/outbox" | jq -r '[.[] | select(.channel == "sms")] | last | .body' |
  grep -oE 'kodunuz: [0-9]{6}' | grep -oE '[0-9]{6}' | head -n 1)
[[ "$OTP" =~ ^[0-9]{6}$ ]] && ok "the code from the development outbox" || fail "code from outbox" "$OTP"
WRONG=$(printf "%06d" $(( (10#${OTP:-0} + 1) % 1000000 )))
post /sms/dogrula "csrf_token=$CSRF" "code=$WRONG" action=ok
expect_eq 200 "$CODE" "wrong code: shown again (200)"
expect_grep 'href="#code"' "$T/b" "wrong code: summary links to the field"
# the field's message: short, with the tries left, as the PIN page says a wrong word (and the
# English in the plural form the count needs)
expect_grep 'id="code-error">.*SMS onay kodu hatalı\. Telefonunuza gelen 6 haneli kodu dikkatle yeniden giriniz; 2 deneme hakkınız kaldı\.' \
  "$T/b" "wrong code: the field's message with the tries left"
expect_no_grep 'Kalan deneme' "$T/b" "wrong code: the tries left said once"
post "/sms/dogrula?lang=en" "csrf_token=$CSRF" "code=$WRONG" action=ok
expect_grep 'The SMS confirmation code is wrong\. Enter the 6-digit code sent to your phone again with care; 1 try left\.' \
  "$T/b" "wrong code in English: 1 try left"
sed -i '/\tlang\t/d' "$JAR" # back to the language the browser asks for
post /sms/dogrula "code=$OTP" action=ok
expect_eq 403 "$CODE" "verify without the CSRF token: 403"
post /sms/dogrula "csrf_token=$CSRF" "code=${OTP:0:3} ${OTP:3}" action=ok
expect_redirect 303 /yontem "right code (typed with a space): 303 /yontem"

# ---- step 5: the content and the method -----------------------------------------------------
page GET /sms
expect_redirect 303 /yontem "/sms after the code: to /yontem"
page GET /yontem
expect_eq 200 "$CODE" "GET /yontem: 200"
NUMBER=$(grep -o 'Başvuru No: [0-9A-Z]*' "$T/b" | head -n 1 | sed 's/.*: //')
[[ "$NUMBER" =~ ^[0-9A-Z]{10}$ ]] && ok "method: the application number" || fail "number" "$NUMBER"
curl -s -b "$JAR" "$URL/api/v1/application/content" >"$T/content"
grep -q "$NUMBER" "$T/content" && ok "content holds the number" || fail "content holds the number"
expect_grep '<pre class="signed-content"' "$T/b" "method: the content in a <pre>"
expect_grep 'İmzalanan içerik' "$T/b" "method: İmzalanan içerik"
# no certificate on record counts as expired: only the wet signature, and the page says why
expect_no_grep 'value="esign"' "$T/b" "method: no Yöntem 1 without a valid certificate"
expect_grep 'yalnızca (&quot;|")Yöntem 2: Islak imzalı başvuru(&quot;|") ile' "$T/b" "method: the reason said"
expect_grep 'Yöntem 2: Islak imzalı başvuru' "$T/b" "method: Yöntem 2"
# the page shows the content as escaped text: unescape it and compare byte for byte
tr '\n' '\001' <"$T/b" | grep -o '<pre class="signed-content"[^>]*>[^<]*</pre>' |
  sed 's/<[^>]*>//g; s/&lt;/</g; s/&gt;/>/g; s/&quot;/"/g; s/&#39;/'"'"'/g; s/&amp;/\&/g' |
  tr '\001' '\n' | head -c -1 >"$T/shown"
cmp -s "$T/shown" "$T/content" && ok "method: the content shown exactly as signed" ||
  fail "content shown" "$(diff "$T/shown" "$T/content" | head -5)"
post /yontem "csrf_token=$CSRF"
expect_eq 200 "$CODE" "no method chosen: shown again"
expect_grep 'href="#method"' "$T/b" "no method: summary links to the choice"
post /yontem "csrf_token=$CSRF" method=esign
expect_eq 200 "$CODE" "Yöntem 1 after expiry: refused on the page"
expect_grep 'Sertifikanızın süresi dolduğu için' "$T/b" "Yöntem 1 after expiry: why"
post /yontem "csrf_token=$CSRF" method=wet
expect_redirect 303 /basvuru/tamam "Yöntem 2: 303 /basvuru/tamam"

# ---- the confirmation and the print view -----------------------------------------------------
page GET /basvuru/tamam
expect_eq 200 "$CODE" "GET /basvuru/tamam: 200"
expect_grep "class=\"panel-confirmation\"" "$T/b" "confirmation: the panel"
expect_grep "<strong>$NUMBER</strong>" "$T/b" "confirmation: the application number"
expect_grep 'Adım 5 / 5: <span class="steps-current-name">İmzalama ve gönderme</span> – ıslak imzalı formunuz bekleniyor' \
  "$T/b" "confirmation: step 5 still outstanding"
expect_grep 'class="current outstanding" aria-current="step"' "$T/b" "confirmation: the paper outstanding in the bar"
expect_no_grep 'Bütün adımlar tamamlandı|Başarıyla' "$T/b" "confirmation: not 'all steps completed'"
expect_grep 'class="postal-address"[^>]*>[^<]*Batman İl Millî Eğitim Müdürlüğü DYS Birimi' "$T/b" \
  "confirmation: where the paper goes, from province_contacts"
expect_grep '72070 Merkez/Batman' "$T/b" "confirmation: its postal address"
expect_grep 'action="/api/v1/application/wet-signature"' "$T/b" "confirmation: the form to print"
expect_grep 'href="/basvuru/ozet"' "$T/b" "confirmation: the print view"
expect_grep 've 20 gün içinde kurye ile formdaki adrese gelir' "$T/b" "confirmation: what comes next, in the configured days"
expect_no_grep '15 gün|10–15' "$T/b" "confirmation: no written-in 15 days"
cp "$T/b" "$T/done.html"
page GET /basvuru/ozet
expect_eq 200 "$CODE" "GET /basvuru/ozet: 200"
expect_grep "$NUMBER" "$T/b" "print view: the number"
expect_grep '72-1044' "$T/b" "print view: the Kurum Sicil No"
expect_no_grep 'summary-change' "$T/b" "print view: nothing to change"
expect_grep 'src="/static/js/print.js"' "$T/b" "print view: the print button's script"
# the printed form: the declaration before the data it declares, where the paper goes
curl -s -b "$JAR" -X POST -H "X-CSRF-Token: $CSRF" "$URL/api/v1/application/wet-signature" -o "$T/form.pdf"
if command -v pdftotext >/dev/null; then
  pdftotext -layout "$T/form.pdf" "$T/form.txt"
  decl=$(grep -n 'Aşağıda yazılı bütün bilgilerin' "$T/form.txt" | head -n 1 | cut -d: -f1)
  data=$(grep -n 'Başvuru Nedeni' "$T/form.txt" | head -n 1 | cut -d: -f1)
  [ -n "$decl" ] && [ -n "$data" ] && [ "$decl" -lt "$data" ] &&
    ok "printed form: the declaration before the data" ||
    fail "printed form: the declaration before the data" "declaration line $decl, data line $data"
  tr '\n' ' ' <"$T/form.txt" | tr -s ' ' >"$T/form.flat"
  expect_grep 'Batman İl Millî Eğitim Müdürlüğü DYS Birimi' "$T/form.flat" "printed form: where it goes"
  expect_grep '72-1044' "$T/form.flat" "printed form: the Kurum Sicil No"
  expect_grep '0555 123 45 67|05551234567|5551234567' "$T/form.flat" "printed form: the record's number"
else
  fail "pdftotext is needed (scripts/deps.txt: poppler-utils)"
fi

# ---- the status ------------------------------------------------------------------------------
page GET /durum
expect_eq 200 "$CODE" "GET /durum: 200"
expect_grep '<h1>Başvurunuzun durumu</h1>' "$T/b" "status: its title"
expect_grep 'class="current outstanding"' "$T/b" "status: the paper still outstanding in the bar"
expect_grep 'Batman İl Millî Eğitim Müdürlüğü DYS Birimi' "$T/b" "status: where the paper goes, in the same words"
expect_grep 'Islak imzalı form bekleniyor' "$T/b" "status: the state"
expect_grep 'iadeli taahhütlü posta ile ya da elden il millî eğitim müdürlüğünüzün DYS birimine' "$T/b" \
  "status: what to do next says how the paper goes as the steps below it do"
expect_grep '<time datetime="[0-9-]{10}T[0-9:]{5}\+03:00">[0-9]{2}\.[0-9]{2}\.[0-9]{4}&#160;[0-9]{2}:[0-9]{2}</time>' \
  "$T/b" "status: dates DD.MM.YYYY HH:MM in Turkish time"
expect_grep 'UTC\+3' "$T/b" "status: the offset said"
expect_grep 'Islak imzalı başvuru \(Yöntem 2\) seçildi' "$T/b" "status: the timeline"
expect_grep '444&#160;5&#160;576' "$T/b" "status: whom to call (the number kept on one line)"
expect_grep 'action="/cikis"' "$T/b" "status: logout form"
page GET /basvuru
expect_redirect 303 /durum "/basvuru after the choice: to /durum"
page GET /yontem
expect_redirect 303 /durum "/yontem after the choice: to /durum"

# ---- English ---------------------------------------------------------------------------------
page GET /durum -H 'Accept-Language: en'
expect_grep '<html lang="en"' "$T/b" "status in English"
expect_grep 'Waiting for the signed paper form' "$T/b" "status: state label in English"
expect_grep '<h1>Your application status</h1>' "$T/b" "status: its title in English"
expect_grep 'Signing method chosen: handwritten signature on paper \(Method 2\)' "$T/b" \
  "status: the timeline in natural English"
expect_grep 'Sign and send</span> – waiting for your signed paper form' "$T/b" "status: the step bar in English"

# ---- help and the accessibility statement ----------------------------------------------------
page GET /yardim
expect_eq 200 "$CODE" "GET /yardim: 200"
expect_grep '<h1>Yardım</h1>' "$T/b" "help: its title"
expect_grep '444&#160;5&#160;576' "$T/b" "help: the call centre"
expect_grep 'Başvurunuz onaylandıktan sonra 20 gün içinde kurye ile' "$T/b" "help: when the card comes, in the configured days"
expect_grep '<h2>Kamu SM Çağrı Merkezi</h2>' "$T/b" "help: where Kamu SM makes the cards, its call centre helps with them"
expect_no_grep 'E-imza sorumlusu</h2>' "$T/b" "help: not the in-house deployment's helper"
expect_grep 'id="dys"' "$T/b" "help: the province's DYS unit"
expect_grep '0488&#160;213&#160;00&#160;00' "$T/b" "help: logged in, the applicant's own province's contact"
page GET '/yardim?il=6'
expect_grep 'Ankara için iletişim bilgisi bu portala girilmemiş' "$T/b" "help: a province without a contact, said"
page GET '/yardim?il=99'
expect_eq 200 "$CODE" "help: a province that does not exist, no error page"
page GET /erisilebilirlik
expect_eq 200 "$CODE" "GET /erisilebilirlik: 200"
expect_grep '<h1>Erişilebilirlik beyanı</h1>' "$T/b" "accessibility statement: its title"
expect_grep 'WCAG\) 2\.2' "$T/b" "accessibility statement: the standard"
page GET /logo
expect_eq 404 "$CODE" "GET /logo: 404 without a configured logo (pages use the built-in one)"

# ---- the ineligibility warning ---------------------------------------------------------------
SAVEJAR=$JAR
JAR=$T/jar2
login "$P2" Ömer Çelik Siirt 2 1 1975
expect_redirect 303 /basvuru "P2 logs in"
page GET /basvuru
expect_grep 'MEBBİS kayıtlarınızda görevde görünmüyorsunuz' "$T/b" "form: the ineligibility in words"
JAR=$SAVEJAR

# ---- logout ----------------------------------------------------------------------------------
post /cikis
expect_eq 403 "$CODE" "logout without the CSRF token: 403"
post /cikis "csrf_token=$CSRF"
expect_redirect 303 / "logout: 303 /"
page GET /durum
expect_redirect 303 /giris "after logout: /durum to /giris"

# ---- the T.C. Kimlik No never in a URL -------------------------------------------------------
expect_no_grep "$P1|$P2|$P4" "$T/all-urls" "no T.C. Kimlik No in any URL asked for"
grep -i '^Location:' "$T/all-headers" >"$T/locations"
expect_no_grep "[0-9]{11}" "$T/locations" "no T.C. Kimlik No in any Location header"
[ -s "$T/locations" ] && ok "Location headers were seen" || fail "Location headers were seen"

kill -TERM "$PID"
wait "$PID"
expect_eq 0 $? "server stops cleanly"
expect_no_grep "$P1|$P2|$P4" "$SERR" "no T.C. Kimlik No in the server's log"
finish
