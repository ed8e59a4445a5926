#!/usr/bin/env bash
# eimza — the applicant's step pages without JavaScript, as curl (a browser with scripts off)
# meets them: plain HTML forms posted with the session cookie (curl -c/-b), 303 See Other after
# each step that succeeds, the form shown again with the error summary when it fails. Checks
# the login (the login form's own CSRF cookie, the same message for a wrong name and for an
# unknown T.C. Kimlik No, a wrong captcha, DD.MM.YYYY accepted), the form (masked number,
# per-field errors linked from the summary, the security word never echoed, the ineligibility
# warning in words), the SMS code (masked phone, countdown, a wrong code with the tries left),
# the content to sign and the method choice, the status page, logout; every page refusing a
# missing session (303 /giris) and a missing CSRF token (403, an HTML page); pages asked for at
# the wrong step sending the person to the right one; and the T.C. Kimlik No never in a
# Location header, a URL or the access log. Runs on both backends.
source "$EIMZA_SOURCE_DIR/tests/lib.sh"
command -v jq >/dev/null || { echo "FAIL: jq is needed (scripts/deps.txt)"; exit 1; }

P1=10000000146 # Ayşe Işık (tests/e2e/fixtures/personnel.csv): the whole walk
P2=10000000214 # Ömer Çelik: left service, so the form warns in words
P4=10000000450 # valid check digits, never on record
H='tckn;ad;soyad;dogum_yeri;dogum_tarihi;kurum_kodu;kurum_adi;il_kodu;ilce;birim;unvan;gorev_durumu;gorevlendirme_bitis;eimza_hakki;eposta;cep_telefonu'

DB=$(new_db) || exit 1
expect_status 0 "migrate" "$EIMZA" migrate --db "$DB"
{
  echo "$H"
  echo "$P1;Ayşe;Işık;Iğdır;1980-03-27;72000001;Batman İl Milli Eğitim Müdürlüğü;72;Merkez;Bilgi İşlem;Öğretmen;aktif;;1;ayse.isik@example.org;05551234567"
  echo "$P2;Ömer;Çelik;Siirt;1975-01-02;560001;Siirt Lisesi;56;Kurtalan;Müdürlük;Müdür;ayrildi;;1;omer.celik@example.org;0533 765 43 21"
} >"$T/p.csv"
expect_status 0 "import personnel" "$EIMZA" import personnel "$T/p.csv" --db "$DB"

SOUT=$T/serve.out
SERR=$T/serve.err
"$EIMZA" serve --dev --listen 127.0.0.1:0 --db "$DB" >"$SOUT" 2>"$SERR" &
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
# login TCKN FIRST LAST PLACE DATE [ANSWER]
login() {
  login_form
  post /giris "csrf_token=$LCSRF" "tckn=$1" "first_name=$2" "last_name=$3" "birth_place=$4" \
    "birth_date=$5" "captcha_id=$CID" "captcha_answer=${6:-$CANS}"
}

# ---- no session: every step sends the person to the login ----------------------------------
for p in /basvuru /sms /yontem /durum; do
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
for w in 'Kimlik No' 'Ad' 'Soyad' 'Doğum Yeri' 'Doğum Tarihi' 'Resimdeki Yazıyı Giriniz'; do
  expect_grep "<label[^>]*>$w" "$T/b" "login: label $w"
done
expect_grep '<button type="submit"[^>]*>Giriş</button>' "$T/b" "login: Giriş button"
expect_grep 'type="date"' "$T/b" "login: a date input"
expect_grep '^Set-Cookie: eimza_login_csrf=[0-9a-f]{32}; Path=/giris; HttpOnly; SameSite=Strict' "$T/h" \
  "login: its CSRF cookie"
[[ "$CANS" =~ ^[A-Z0-9]{5}$ ]] && ok "login: captcha answer from /dev" || fail "login: captcha answer" "$CANS"

post /giris "tckn=$P1" first_name=Ayşe last_name=Işık birth_place=Iğdır birth_date=1980-03-27 \
  "captcha_id=$CID" "captcha_answer=$CANS"
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

login "$P1" Fatma Işık Iğdır 1980-03-27
expect_eq 200 "$CODE" "wrong name: the form again (200)"
expect_grep 'class="error-summary"' "$T/b" "wrong name: error summary"
expect_grep '<title>Hata: ' "$T/b" "wrong name: title starts with Hata:"
expect_grep 'Girdiğiniz bilgiler kayıtlarla eşleşmedi' "$T/b" "wrong name: login_failed message"
S1=$(summary)
expect_no_grep 'eimza_session=[^;]' "$T/h" "wrong name: no session cookie"
expect_grep "value=\"$P1\"" "$T/b" "wrong name: the number kept in the form (body, not URL)"
login "$P4" Ayşe Işık Iğdır 1980-03-27
expect_eq 200 "$CODE" "unknown T.C. Kimlik No: 200"
S2=$(summary)
expect_eq "$S1" "$S2" "unknown number: the same message as a wrong name"
login "$P1" Ayşe Işık Iğdır 1980-03-27 WRONG
expect_grep 'href="#captcha_answer"' "$T/b" "wrong captcha: summary links to the captcha field"
expect_grep 'Resimdeki yazı hatalı' "$T/b" "wrong captcha: its message"
login 12345 Ayşe Işık Iğdır 1980-03-27
expect_grep 'href="#tckn"' "$T/b" "malformed number: summary links to the field"

login "$P1" ayşe IŞIK IĞDIR 27.03.1980
expect_redirect 303 /basvuru "login (DD.MM.YYYY, Turkish case folding): 303 /basvuru"
expect_grep '^Set-Cookie: eimza_session=[A-Za-z0-9_-]{43}; Path=/; HttpOnly; SameSite=Strict' "$T/h" \
  "login: session cookie like the API's"

# ---- wrong step: before the form is saved ----------------------------------------------------
page GET /yontem
expect_redirect 303 /basvuru "/yontem before the form: to /basvuru"
page GET /sms
expect_redirect 303 /basvuru "/sms before the form: to /basvuru"

# ---- step 2: the form -----------------------------------------------------------------------
page GET /basvuru
expect_eq 200 "$CODE" "GET /basvuru: 200"
CSRF=$(hidden csrf_token)
[ ${#CSRF} -ge 32 ] && ok "form: session CSRF token" || fail "form: session CSRF token" "$CSRF"
for w in 'Başvuru Formu' 'Başvuru Bilgileri' 'Kişisel Bilgiler' 'Kurum Bilgileri' 'İletişim Bilgileri' \
  'Güvenlik sözcüğü \(Tekrar\)' 'Kurum Adı hatalı ise lütfen kurumunuzla iletişime geçiniz' \
  'Aşağıda yazılı bütün bilgilerin doğru olduğunu' 'Adım 2 / 5'; do
  expect_grep "$w" "$T/b" "form: $w"
done
expect_grep 'value="100\*\*\*\*\*\*46"' "$T/b" "form: the number masked"
expect_no_grep "$P1" "$T/b" "form: the full number nowhere"
expect_eq 81 "$(grep -A200 'id="province"' "$T/b" | grep -c '<option value="[0-9]')" "form: 81 provinces"
expect_grep '<option value="72" selected>Batman' "$T/b" "form: province from the record"
expect_grep 'value="renewal"[^>]* checked' "$T/b" "form: Yenileme by default"
expect_grep 'value="3"[^>]* checked' "$T/b" "form: 3 years by default"

FORM=(unit="Bilgi İşlem" title=Öğretmen "address=Kültür Mah. Atatürk Bulvarı No: 1" province=72
  district=Merkez email=ayse.isik@example.org mobile_phone=05551234567 mobile_operator=turkcell
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
post /basvuru "csrf_token=$CSRF" "${FORM[@]}" postal_code=72100 security_word=Kırmızı77 \
  security_word_repeat=Kırmızı77
expect_redirect 303 /sms "form saved: 303 /sms"

# ---- steps 3 and 4: the SMS code ------------------------------------------------------------
page GET /yontem
expect_redirect 303 /sms "/yontem before the code: to /sms"
page GET /sms
expect_eq 200 "$CODE" "GET /sms: 200"
expect_grep 'Telefon Numaranız: <strong>5\*\*\*\*\*\*\*67</strong>' "$T/b" "sms: the number masked"
expect_grep '444 5 576' "$T/b" "sms: whom to call if the number is wrong"
expect_grep '>Gönder</button>' "$T/b" "sms: Gönder"
post /sms/gonder
expect_eq 403 "$CODE" "send without the CSRF token: 403"
post /sms/gonder "csrf_token=$CSRF"
expect_redirect 303 /sms "send: 303 /sms"
page GET /sms
expect_grep 'SMS Onay Kodunuzun Geçerliliği İçin Kalan Süre <strong[^>]*>(300|29[0-9])</strong> Saniye' \
  "$T/b" "sms: the countdown"
expect_grep '<label[^>]*>SMS Doğrulama Kodu' "$T/b" "sms: the code field"
expect_grep '>Tamam</button>' "$T/b" "sms: Tamam"
expect_grep '>İptal</button>' "$T/b" "sms: İptal"
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
expect_grep 'Kalan deneme hakkınız: 2' "$T/b" "wrong code: tries left"
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
expect_grep 'İmzalanan İçerik' "$T/b" "method: İmzalanan İçerik"
# no certificate on record counts as expired: only the wet signature, and the page says why
expect_no_grep 'value="esign"' "$T/b" "method: no Yöntem 1 without a valid certificate"
expect_grep 'yalnızca (&quot;|")Yöntem 2: Islak İmzalı Başvuru(&quot;|") ile' "$T/b" "method: the reason said"
expect_grep 'Yöntem 2: Islak İmzalı Başvuru' "$T/b" "method: Yöntem 2"
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
expect_redirect 303 /durum "Yöntem 2: 303 /durum"

# ---- the status ------------------------------------------------------------------------------
page GET /durum
expect_eq 200 "$CODE" "GET /durum: 200"
expect_grep '<h1>Başvuru Sonucu</h1>' "$T/b" "status: Başvuru Sonucu"
expect_grep 'Islak imzalı form bekleniyor' "$T/b" "status: the state"
expect_grep '<time datetime="[0-9-]{10}T[0-9:]{5}\+03:00">[0-9]{2}\.[0-9]{2}\.[0-9]{4} [0-9]{2}:[0-9]{2}</time>' \
  "$T/b" "status: dates DD.MM.YYYY HH:MM in Turkish time"
expect_grep 'UTC\+3' "$T/b" "status: the offset said"
expect_grep 'Islak imzalı başvuru \(Yöntem 2\) seçildi' "$T/b" "status: the timeline"
expect_grep '444 5 576' "$T/b" "status: whom to call"
expect_grep 'action="/cikis"' "$T/b" "status: logout form"
page GET /basvuru
expect_redirect 303 /durum "/basvuru after the choice: to /durum"
page GET /yontem
expect_redirect 303 /durum "/yontem after the choice: to /durum"

# ---- English ---------------------------------------------------------------------------------
page GET /durum -H 'Accept-Language: en'
expect_grep '<html lang="en"' "$T/b" "status in English"
expect_grep 'Waiting for the signed paper form' "$T/b" "status: state label in English"

# ---- the ineligibility warning ---------------------------------------------------------------
SAVEJAR=$JAR
JAR=$T/jar2
login "$P2" Ömer Çelik Siirt 1975-01-02
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
