#!/usr/bin/env bash
# eimza — `eimza personnel show TCKN`: the argument is checked (exit 1 with the reason code
# and its Turkish message), an unknown person is exit 2, and the JSON carries the record,
# today's eligibility verdict and the current certificate (null, or its dates and status).
# Runs on both backends. Needs jq to read the JSON.
source "$EIMZA_SOURCE_DIR/tests/lib.sh"
command -v jq >/dev/null || { echo "FAIL: jq is needed (scripts/deps.txt)"; exit 1; }

H='tckn;ad;soyad;dogum_yeri;dogum_tarihi;kurum_kodu;kurum_adi;il_kodu;ilce;birim;unvan;gorev_durumu;gorevlendirme_bitis;eimza_hakki;eposta;cep_telefonu'
T1=10000000146
T2=12345678950
T3=23456789138
T4=34567891238 # valid, never imported

DB=$(new_db) || exit 1
expect_status 0 "migrate" "$EIMZA" migrate --db "$DB"
{
  echo "$H"
  echo "$T1;Ayşe;Yılmaz;Batman;15.03.1980;720001;Batman Anadolu Lisesi;72;Merkez;Müdürlük;Öğretmen;aktif;;1;ayse.yilmaz@meb.gov.tr;+90 532 123 45 67"
  echo "$T2;Mehmet;Öztürk;Van;1975-01-02;;Van İl MEM;65;;;;ayrildi;2001-01-01;0;;"
  echo "$T3;Zeynep;Kaya;Siirt;1990-06-30;560001;Siirt Lisesi;56;Kurtalan;;;aktif;2999-12-31;1;;"
} >"$T/p.csv"
expect_status 0 "import the records" "$EIMZA" import personnel "$T/p.csv" --db "$DB"

# ---- the argument ----------------------------------------------------------------------------
expect_status 1 "no T.C. Kimlik No" "$EIMZA" personnel show --db "$DB"
expect_status 1 "unknown subcommand" "$EIMZA" personnel list --db "$DB"
expect_status 1 "two T.C. Kimlik No" "$EIMZA" personnel show $T1 $T2 --db "$DB"
expect_status 1 "bad check digits" "$EIMZA" personnel show 10000000147 --db "$DB"
expect_grep 'tckn_checksum: T\.C\. Kimlik No geçerli değil' "$T/err" "tckn_checksum with the Turkish message"
expect_status 1 "letters" "$EIMZA" personnel show 1000000014x --db "$DB"
expect_grep 'tckn_not_digits' "$T/err" "tckn_not_digits"
expect_status 1 "too short" "$EIMZA" personnel show 1000000014 --db "$DB"
expect_grep 'tckn_length' "$T/err" "tckn_length"
expect_status 1 "leading zero" "$EIMZA" personnel show 01000000146 --db "$DB"
expect_grep 'tckn_leading_zero' "$T/err" "tckn_leading_zero"
expect_status 1 "a bad number is refused before the database is opened" "$EIMZA" personnel show 1 --db "sqlite:$T/no/such/dir/x.db"
expect_status 2 "unknown person" "$EIMZA" personnel show $T4 --db "$DB"
expect_grep "$T4" "$T/err" "the operator's own number is named back"
expect_grep "^eimza: personnel show: $T4: personnel_unknown: Bu T.C. Kimlik No ile bir personel kaydı yok" \
  "$T/err" "personnel_unknown named, with the operator's message (not the applicant's)"
expect_status 2 "an unmigrated database" "$EIMZA" personnel show $T1 --db "$(new_db)"

# ---- the record --------------------------------------------------------------------------
expect_status 0 "show an eligible person" "$EIMZA" personnel show " $T1 " --db "$DB"
cp "$T/out" "$T/j1"
jqv() { jq -c "$1" "$2" 2>&1; }
expect_eq '"10000000146"' "$(jqv .tckn "$T/j1")" "tckn in full"
expect_eq '["Ayşe","Yılmaz","Batman"]' "$(jqv '[.first_name,.last_name,.birth_place]' "$T/j1")" "names"
expect_eq '"1980-03-15"' "$(jqv .birth_date "$T/j1")" "birth_date as YYYY-MM-DD"
expect_eq '["720001","Batman Anadolu Lisesi"]' "$(jqv '[.institution_code,.institution_name]' "$T/j1")" "institution"
expect_eq '[72,"Batman"]' "$(jqv '[.province,.province_name]' "$T/j1")" "province code and name"
expect_eq '["Merkez","Müdürlük","Öğretmen"]' "$(jqv '[.district,.unit,.title]' "$T/j1")" "district, unit, title"
expect_eq '["aktif",null,true]' "$(jqv '[.duty_status,.assignment_end,.entitled]' "$T/j1")" "duty, no assignment end, entitled"
expect_eq '["ayse.yilmaz@meb.gov.tr","5321234567"]' "$(jqv '[.email,.mobile_phone]' "$T/j1")" "contact, phone normalised"
expect_eq '{"eligible":true,"reasons":[]}' "$(jqv .eligibility "$T/j1")" "eligible"
expect_eq 'null' "$(jqv .certificate "$T/j1")" "no certificate yet"
expect_eq '["tckn","first_name","last_name","birth_place","birth_date","institution_code","institution_name","registry_no","province","province_name","district","unit","title","duty_status","assignment_end","entitled","email","mobile_phone","eligibility","certificate","certificates"]' \
  "$(jqv keys_unsorted "$T/j1")" "exactly the documented fields, in order"

expect_status 0 "show an ineligible person" "$EIMZA" personnel show $T2 --db "$DB"
expect_eq '{"eligible":false,"reasons":["not_in_service","assignment_ended","not_entitled"]}' \
  "$(jqv .eligibility "$T/out")" "every reason for ineligibility"
expect_eq '["ayrildi","2001-01-01",false,"Van"]' "$(jqv '[.duty_status,.assignment_end,.entitled,.province_name]' "$T/out")" "the ineligible record"
expect_status 0 "assignment ending in the future" "$EIMZA" personnel show $T3 --db "$DB"
expect_eq '{"eligible":true,"reasons":[]}' "$(jqv .eligibility "$T/out")" "a future assignment end is fine"

# ---- the current certificate ----------------------------------------------------------------
# A certificate for T1 (self-signed is enough: showing does not judge trust).
openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes -keyout "$T/k.pem" \
  -out "$T/c.pem" -days 100 -subj "/C=TR/serialNumber=$T1/CN=AYŞE YILMAZ" -utf8 \
  -addext "certificatePolicies=2.16.792.1.2.1.1.5.7.1.1" \
  -addext "keyUsage=critical,nonRepudiation" 2>"$T/openssl.err" || fail "openssl" "$(cat "$T/openssl.err")"
expect_status 0 "import the certificate" "$EIMZA" import certificates "$T/c.pem" --db "$DB"
expect_status 0 "show with a certificate" "$EIMZA" personnel show $T1 --db "$DB"
cp "$T/out" "$T/j2"
fpr=$(openssl x509 -in "$T/c.pem" -outform DER | sha256sum | cut -d' ' -f1)
serial=$(openssl x509 -in "$T/c.pem" -noout -serial | cut -d= -f2 | sed "s/^0*//")
expect_eq "\"$fpr\"" "$(jqv .certificate.fingerprint "$T/j2")" "fingerprint is the SHA-256 of the DER"
expect_eq "$serial" "$(jq -r .certificate.serial "$T/j2" | tr a-f A-F | sed 's/^0*//')" "serial"
expect_eq '["valid",false,null]' "$(jqv '[.certificate.status,.certificate.revoked,.certificate.revoked_at]' "$T/j2")" "valid, not revoked"
expect_eq '["2.16.792.1.2.1.1.5.7.1.1"]' "$(jqv .certificate.policies "$T/j2")" "policies as an array"
days=$(jqv .certificate.days_left "$T/j2")
[ "$days" = 99 ] || [ "$days" = 100 ] && ok "days_left ($days)" || fail "days_left" "$days"
na=$(openssl x509 -in "$T/c.pem" -noout -enddate | cut -d= -f2)
expect_eq "\"$(date -u -d "$na" +%Y-%m-%dT%H:%M:%SZ)\"" "$(jqv .certificate.not_after "$T/j2")" "not_after as ISO 8601 UTC"
nb=$(openssl x509 -in "$T/c.pem" -noout -startdate | cut -d= -f2)
expect_eq "\"$(date -u -d "$nb" +%Y-%m-%dT%H:%M:%SZ)\"" "$(jqv .certificate.not_before "$T/j2")" "not_before as ISO 8601 UTC"
expect_grep 'serialNumber|2\.5\.4\.5' <(jq -r .certificate.subject "$T/j2") "subject DN"
expect_eq 'null' "$("$EIMZA" personnel show $T3 --db "$DB" | jq -c .certificate)" "another person still has none"


# The other states, reached by moving the stored certificate's dates (the status is computed
# from them and the clock when shown).
sql() {
  case "$1" in
    sqlite:*) sqlite3 -cmd ".timeout 10000" "${1#sqlite:}" "$2" ;;
    *) psql -qtAX "$1" -c "$2" ;;
  esac
}
now=$(date +%s)
sql "$DB" "UPDATE certificates SET not_after = $((now - 10 * 86400 - 60)) WHERE tckn = '$T1'" >/dev/null
"$EIMZA" personnel show $T1 --db "$DB" >"$T/out" 2>&1
expect_eq '["expired",-11]' "$(jqv '[.certificate.status,.certificate.days_left]' "$T/out")" "expired: days_left rounded down, negative"
sql "$DB" "UPDATE certificates SET not_before = $((now + 86400)), not_after = $((now + 400 * 86400)) WHERE tckn = '$T1'" >/dev/null
"$EIMZA" personnel show $T1 --db "$DB" >"$T/out" 2>&1
expect_eq '"not_yet_valid"' "$(jqv .certificate.status "$T/out")" "not yet valid"
sql "$DB" "UPDATE certificates SET not_before = 0, revoked_at = 1700000000 WHERE tckn = '$T1'" >/dev/null
"$EIMZA" personnel show $T1 --db "$DB" >"$T/out" 2>&1
expect_eq '["revoked",true,"2023-11-14T22:13:20Z"]' "$(jqv '[.certificate.status,.certificate.revoked,.certificate.revoked_at]' "$T/out")" "revoked, with the time"
expect_eq '"1970-01-01T00:00:00Z"' "$(jqv .certificate.not_before "$T/out")" "the epoch formats too"

finish
