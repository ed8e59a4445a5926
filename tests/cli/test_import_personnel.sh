#!/usr/bin/env bash
# eimza — `eimza import personnel FILE.csv`: the personnel file contract of docs/INTERFACES.md
# (columns by name in any order, ';' or ',', BOM, RFC 4180 quotes, CRLF), every reason code a
# row can be refused with (reported with its line, column and Turkish message), exit statuses
# 0/1/2/3, re-import by tckn, all-or-nothing on a database failure, the audit entry, and the
# progress bar (only on a terminal). Runs on both backends.
source "$EIMZA_SOURCE_DIR/tests/lib.sh"

# sql DB QUERY: one value from the database behind an eimza URL.
sql() {
  case "$1" in
    sqlite:*) sqlite3 -cmd ".timeout 10000" "${1#sqlite:}" "$2" ;;
    *) psql -qtAX "$1" -c "$2" ;;
  esac
}
count() { sql "$1" "SELECT count(*) FROM personnel"; }

# tckn D9: the valid T.C. Kimlik No that starts with the nine digits D9.
tckn() {
  local d=$1 i s1=0 s2=0 d10 sum=0
  for i in 0 2 4 6 8; do s1=$((s1 + ${d:i:1})); done
  for i in 1 3 5 7; do s2=$((s2 + ${d:i:1})); done
  d10=$(((((s1 * 7 - s2) % 10) + 10) % 10))
  for i in 0 1 2 3 4 5 6 7 8; do sum=$((sum + ${d:i:1})); done
  echo "$d$d10$(((sum + d10) % 10))"
}

H='tckn;ad;soyad;dogum_yeri;dogum_tarihi;kurum_kodu;kurum_adi;il_kodu;ilce;birim;unvan;gorev_durumu;gorevlendirme_bitis;eimza_hakki;eposta;cep_telefonu'
# row TCKN [FIELD=VALUE...]: a good row, with some fields replaced (by header name).
row() {
  local -A v=([tckn]=$1 [ad]=Ayşe [soyad]=Yılmaz [dogum_yeri]=Batman [dogum_tarihi]=1980-03-15
    [kurum_kodu]=720001 [kurum_adi]='Batman Anadolu Lisesi' [il_kodu]=72 [ilce]=Merkez
    [birim]='Müdürlük' [unvan]='Öğretmen' [gorev_durumu]=aktif [gorevlendirme_bitis]=''
    [eimza_hakki]=1 [eposta]=ayse.yilmaz@meb.gov.tr [cep_telefonu]='0532 123 45 67')
  shift
  local kv
  for kv in "$@"; do v[${kv%%=*}]=${kv#*=}; done
  local out= col
  for col in ${H//;/ }; do out+="${out:+;}${v[$col]}"; done
  printf '%s\n' "$out"
}

T1=10000000146
T2=$(tckn 123456789)
T3=$(tckn 234567891)
T4=$(tckn 345678912)
[ ${#T2} -eq 11 ] && [ "$T2" = 12345678950 ] || { echo "tckn helper broken: $T2"; exit 1; }

DB=$(new_db) || exit 1
expect_status 0 "migrate" "$EIMZA" migrate --db "$DB"

# ---- usage errors -------------------------------------------------------------------------
expect_status 1 "import without a kind" "$EIMZA" import
expect_status 1 "import of an unknown kind" "$EIMZA" import people x.csv --db "$DB"
expect_status 1 "import personnel without a file" "$EIMZA" import personnel --db "$DB"
expect_status 1 "import personnel with two files" "$EIMZA" import personnel a.csv b.csv --db "$DB"
expect_status 1 "import personnel with an unknown option" "$EIMZA" import personnel a.csv --fast --db "$DB"
expect_status 2 "a file that does not exist" "$EIMZA" import personnel "$T/nope.csv" --db "$DB"
expect_grep 'nope.csv' "$T/err" "the missing file is named"

# ---- a good ';' file ------------------------------------------------------------------------
{ echo "$H"; row $T1; row $T2 ad=Mehmet soyad=Öztürk eposta= cep_telefonu= gorevlendirme_bitis=31.12.2030; row $T3 il_kodu=06 gorev_durumu=ayrildi eimza_hakki=0; } >"$T/good.csv"
expect_status 0 "good ';' file" "$EIMZA" import personnel "$T/good.csv" --db "$DB"
expect_grep '3 rows read, 3 inserted, 0 updated, 0 unchanged, 0 rejected' "$T/out" "summary of the good file"
expect_eq 3 "$(count "$DB")" "three records stored"
expect_eq 1 "$(sql "$DB" "SELECT count(*) FROM audit_log WHERE actor='cli' AND action='personnel.import' AND object='good.csv'")" "one audit entry naming the file"
expect_grep '"inserted": ?3' <(sql "$DB" "SELECT detail FROM audit_log WHERE object='good.csv'") "the audit entry has the counts"
expect_no_grep "$T1" <(sql "$DB" "SELECT actor || object || detail FROM audit_log") "no T.C. Kimlik No in the audit log"
"$EIMZA" personnel show $T2 --db "$DB" >"$T/show" 2>&1
expect_grep '"last_name": "Öztürk"' "$T/show" "values stored as given (UTF-8)"
expect_grep '"assignment_end": "2030-12-31"' "$T/show" "DD.MM.YYYY date read"
expect_grep '"email": ""' "$T/show" "empty optional e-mail"

# ---- re-import: updates by tckn -----------------------------------------------------------
{ echo "$H"; row $T1 unvan='Müdür Yardımcısı'; row $T2 ad=Mehmet soyad=Öztürk eposta= cep_telefonu= gorevlendirme_bitis=31.12.2030; row $T3 il_kodu=06 gorev_durumu=ayrildi eimza_hakki=0; row $T4; } >"$T/again.csv"
expect_status 0 "re-import" "$EIMZA" import personnel "$T/again.csv" --db "$DB"
expect_grep '4 rows read, 1 inserted, 1 updated, 2 unchanged, 0 rejected' "$T/out" "re-import counts"
expect_eq 4 "$(count "$DB")" "four records after the re-import"
"$EIMZA" personnel show $T1 --db "$DB" >"$T/show" 2>&1
expect_grep '"title": "Müdür Yardımcısı"' "$T/show" "the changed record is updated"

# ---- ',' file, BOM, CRLF, quotes, columns in another order, an unknown column ------------
DB2=$(new_db) || exit 1
"$EIMZA" migrate --db "$DB2" >/dev/null 2>&1
{
  printf '\xEF\xBB\xBF'
  printf 'soyad,ad,tckn,dogum_yeri,dogum_tarihi,kurum_adi,il_kodu,gorev_durumu,eimza_hakki,birim,unvan,not,cep_telefonu\r\n'
  printf 'Kaya,Ali,%s,Siirt,01.02.1975,"Kurum, ""Merkez"" Binası",56,aktif,1,"Bilgi\r\nİşlem",Şef,"a,b;c",+90 (505) 111 22 33\r\n' $T1
  printf 'Demir,"Zeynep",%s,Van,1990-12-31,Okul,65,AKTİF,0,,,x,\r\n' $T2
} >"$T/comma.csv"
expect_status 0 "',' file with BOM, CRLF and quotes" "$EIMZA" import personnel "$T/comma.csv" --db "$DB2"
expect_grep '2 rows read, 2 inserted' "$T/out" "summary of the ',' file"
expect_eq 1 "$(grep -c "'not'" "$T/err")" "the unknown column is reported once"
expect_grep 'ignored' "$T/err" "the unknown column is said to be ignored"
"$EIMZA" personnel show $T1 --db "$DB2" >"$T/show" 2>&1
expect_grep '"tckn": "'$T1'"' "$T/show" "tckn found after the BOM and reordering"
expect_grep '"institution_name": "Kurum, \\"Merkez\\" Binası"' "$T/show" "quoted separator and doubled quotes"
expect_grep '"unit": "Bilgi İşlem"' "$T/show" "line end inside quotes (folded to a space)"
expect_grep '"mobile_phone": "5051112233"' "$T/show" "last field before CRLF read without the CR"
expect_grep '"birth_date": "1975-02-01"' "$T/show" "DD.MM.YYYY birth date"
"$EIMZA" personnel show $T2 --db "$DB2" >"$T/show" 2>&1
expect_grep '"duty_status": "aktif"' "$T/show" "duty read case-insensitively"
expect_grep '"entitled": false' "$T/show" "eimza_hakki 0"
expect_grep '"registry_no": ""' "$T/show" "no kurum_sicil_no column: no registry number"

# ---- the optional kurum_sicil_no column (the form's locked Kurum Sicil No) ------------------
{ echo "$H;kurum_sicil_no"; echo "$(row $T1);  72-0146 "; echo "$(row $T2);"; } >"$T/sicil.csv"
expect_status 0 "a file with kurum_sicil_no" "$EIMZA" import personnel "$T/sicil.csv" --db "$DB2"
"$EIMZA" personnel show $T1 --db "$DB2" >"$T/show" 2>&1
expect_grep '"registry_no": "72-0146"' "$T/show" "kurum_sicil_no stored, trimmed"
"$EIMZA" personnel show $T2 --db "$DB2" >"$T/show" 2>&1
expect_grep '"registry_no": ""' "$T/show" "an empty kurum_sicil_no"
{ echo "$H;kurum_sicil_no"; echo "$(row $T3);$(printf '9%.0s' $(seq 40))"; } >"$T/sicil-long.csv"
expect_status 3 "a kurum_sicil_no too long" "$EIMZA" import personnel "$T/sicil-long.csv" --db "$DB2"
expect_grep '^satır 2: kurum_sicil_no: too_long: ' "$T/err" "the long kurum_sicil_no is reported with its line"

# ---- every reason code, line numbers, two bad fields ----------------------------------------
DB3=$(new_db) || exit 1
"$EIMZA" migrate --db "$DB3" >/dev/null 2>&1
LONG=$(printf 'a%.0s' $(seq 200))
HUGE=$(head -c 70000 /dev/zero | tr '\0' b)
{
  echo "$H"                                                   # 1
  row $T1                                                     # 2
  row 10000000147                                             # 3 tckn_checksum
  row 1234                                                    # 4 tckn_length
  row 1000000014a                                             # 5 tckn_not_digits
  row 01000000146                                             # 6 tckn_leading_zero
  row $T3 ad=                                                 # 7 required
  row $T3 dogum_tarihi=31.02.1980                             # 8 date_format
  row $T3 il_kodu=99                                          # 9 province_unknown
  row $T3 gorev_durumu=izinli                                 # 10 duty_unknown
  row $T3 eimza_hakki=evet                                    # 11 flag_format
  row $T3 eposta=ayse@                                        # 12 email_format
  row $T3 cep_telefonu=12345                                  # 13 phone_format
  row $T3 cep_telefonu='0312 123 45 67'                       # 14 phone_not_mobile
  row $T3 ad="$LONG"                                          # 15 too_long
  row $T3 soyad=$'Y\xfdlmaz'                                  # 16 not_utf8
  row $T3 | sed 's/;[^;]*$//'                                 # 17 column_count
  row 22222222222 dogum_tarihi=1980-13-01                     # 18 two bad fields
  row $T2 birim=$'"Birim\nİki"'                               # 19-20 good, two lines
  row $T3 unvan='"Öğretmen"x'                                 # 21 csv_quote
  row $T3 birim="$HUGE"                                       # 22 line_too_long
  row $T4                                                     # 23
} >"$T/bad.csv"
expect_status 3 "rejected rows give exit 3" "$EIMZA" import personnel "$T/bad.csv" --db "$DB3"
cp "$T/err" "$T/bad.err"
expect_grep '21 rows read, 3 inserted, 0 updated, 0 unchanged, 18 rejected' "$T/out" "summary counts the rejected rows"
expect_eq 3 "$(count "$DB3")" "the good rows are imported"
expect_grep '^satır 3: tckn: tckn_checksum: T\.C\. Kimlik No geçerli değil' "$T/bad.err" "tckn_checksum with line, field and Turkish message"
for want in '4: tckn: tckn_length' '5: tckn: tckn_not_digits' '6: tckn: tckn_leading_zero' \
  '7: ad: required' '8: dogum_tarihi: date_format' '9: il_kodu: province_unknown' \
  '10: gorev_durumu: duty_unknown' '11: eimza_hakki: flag_format' '12: eposta: email_format' \
  '13: cep_telefonu: phone_format' '14: cep_telefonu: phone_not_mobile' '15: ad: too_long' \
  '16: soyad: not_utf8' '17: -: column_count' '21: -: csv_quote' '22: -: line_too_long' \
  '18: tckn: tckn_checksum' '18: dogum_tarihi: date_format'; do
  expect_grep "^satır $want: [^ ].{10,}" "$T/bad.err" "reported: satır $want (with a message)"
done
expect_eq 19 "$(grep -c '^satır ' "$T/bad.err")" "one line per bad field, nothing else"
# Each code has its own message in core/reason.c, not the generic fallback.
expect_no_grep 'İşlem tamamlanamadı' "$T/bad.err" "every reported code has its own Turkish message"
expect_no_grep '^satır (2|19|20|23):' "$T/bad.err" "good rows are not reported"
expect_grep '^satır 17: -: column_count: .*15 fields, the header has 16' "$T/bad.err" "column_count says how many fields"
expect_no_grep '10000000147|1000000014a|22222222222' "$T/bad.err" "refused values are not echoed"
"$EIMZA" personnel show $T2 --db "$DB3" >"$T/show" 2>&1
expect_grep '"unit": "Birim İki"' "$T/show" "the multi-line row is imported"
expect_status 2 "a refused row is not half-applied" "$EIMZA" personnel show $T3 --db "$DB3"

# ---- file-level errors: nothing imported -----------------------------------------------------
{ echo "${H/dogum_yeri;/}" | sed 's/^tckn;//'; row $T4 | cut -d';' -f2,3,5-; } >"$T/missing.csv"
expect_status 2 "missing required columns" "$EIMZA" import personnel "$T/missing.csv" --db "$DB"
expect_grep 'missing_column' "$T/err" "missing_column named"
expect_no_grep 'İşlem tamamlanamadı' "$T/err" "missing_column has its own Turkish message"
expect_grep 'tckn, dogum_yeri' "$T/err" "the missing columns are listed"
expect_eq 4 "$(count "$DB")" "nothing imported from a file missing a column"
expect_eq 2 "$(sql "$DB" "SELECT count(*) FROM audit_log WHERE action='personnel.import'")" "no audit entry for a refused file"

{ echo "$H;tckn"; row $T1 | sed 's/$/;1/'; } >"$T/dup.csv"
expect_status 2 "a column twice" "$EIMZA" import personnel "$T/dup.csv" --db "$DB"
expect_grep 'duplicate_column' "$T/err" "duplicate_column named"
expect_no_grep 'İşlem tamamlanamadı' "$T/err" "duplicate_column has its own Turkish message"

printf '\xFF\xFEt\0c\0k\0n\0\n\0' >"$T/utf16.csv"
expect_status 2 "a UTF-16 file" "$EIMZA" import personnel "$T/utf16.csv" --db "$DB"
expect_grep "^eimza: import personnel: $T/utf16.csv: not_utf8: " "$T/err" "UTF-16: not_utf8"
expect_grep '^eimza: import personnel: the file is UTF-16 text: save it as UTF-8; nothing was imported$' \
  "$T/err" "UTF-16 recognised"

: >"$T/empty.csv"
expect_status 0 "an empty file" "$EIMZA" import personnel "$T/empty.csv" --db "$DB"
expect_grep 'empty' "$T/err" "the empty file is said to be empty"
expect_grep '0 rows read' "$T/out" "zero rows from the empty file"
echo "$H" >"$T/header.csv"
expect_status 0 "a header alone" "$EIMZA" import personnel "$T/header.csv" --db "$DB"
expect_grep '0 rows read, 0 inserted' "$T/out" "zero rows from the header alone"
expect_eq 4 "$(count "$DB")" "nothing changed by empty files"

# ---- a database failure half-way: nothing imported ------------------------------------------
DB4=$(new_db) || exit 1
"$EIMZA" migrate --db "$DB4" >/dev/null 2>&1
case "$DB4" in
  sqlite:*) sql "$DB4" "CREATE TRIGGER t_boom BEFORE INSERT ON personnel WHEN NEW.tckn = '$T3'
                        BEGIN SELECT RAISE(ABORT, 'boom'); END;" ;;
  *) sql "$DB4" "CREATE FUNCTION t_boom() RETURNS trigger LANGUAGE plpgsql AS \$\$
                 BEGIN IF NEW.tckn = '$T3' THEN RAISE EXCEPTION 'boom'; END IF; RETURN NEW; END \$\$;
                 CREATE TRIGGER t_boom BEFORE INSERT ON personnel FOR EACH ROW EXECUTE FUNCTION t_boom();" >/dev/null ;;
esac
{ echo "$H"; row $T1; row $T2; row $T3; row $T4; } >"$T/boom.csv"
expect_status 2 "a database failure during the import" "$EIMZA" import personnel "$T/boom.csv" --db "$DB4"
expect_grep 'nothing was imported' "$T/err" "the failure says nothing was imported"
expect_eq 0 "$(count "$DB4")" "all-or-nothing: the rows before the failure are gone too"
expect_eq 0 "$(sql "$DB4" "SELECT count(*) FROM audit_log")" "no audit entry after a failure"

# ---- a database that was never migrated --------------------------------------------------
DB5=$(new_db) || exit 1
expect_status 2 "an unmigrated database" "$EIMZA" import personnel "$T/good.csv" --db "$DB5"

# ---- the progress bar: on a terminal only, for a file over 1 MB -------------------------
gen_file() { # gen_file N: N good rows (eimza-gen when it is built, else a small awk loop)
  if [ -x "${EIMZA_TOOLS:-}/eimza-gen" ]; then
    "$EIMZA_TOOLS/eimza-gen" personnel --count "$1" --seed 7
    return
  fi
  echo "$H"
  awk -v n="$1" 'BEGIN {
    for (r = 0; r < n; r++) {
      d = sprintf("%09d", 300000000 + r * 7); s1 = 0; s2 = 0; sum = 0
      for (i = 1; i <= 9; i++) { x = substr(d, i, 1) + 0; sum += x; if (i % 2) s1 += x; else s2 += x }
      d10 = ((s1 * 7 - s2) % 10 + 10) % 10
      printf "%s%d%d;Ayşe;Yılmaz;Batman;1980-03-15;720001;Batman Anadolu Lisesi;72;Merkez;Müdürlük;Öğretmen;aktif;;1;ayse.yilmaz@meb.gov.tr;0532 123 45 67\n", d, d10, (sum + d10) % 10
    } }'
}
gen_file 12000 >"$T/big.csv"
[ "$(stat -c %s "$T/big.csv")" -gt 1100000 ] || fail "the big file is over 1 MB" "$(stat -c %s "$T/big.csv")"
DB6=$(new_db) || exit 1
"$EIMZA" migrate --db "$DB6" >/dev/null 2>&1
expect_status 0 "big file, stderr not a terminal" "$EIMZA" import personnel "$T/big.csv" --db "$DB6"
expect_no_grep 'rows/s' "$T/err" "no progress bar when stderr is not a terminal"
expect_eq 12000 "$(count "$DB6")" "every row of the big file stored"
script -qec "$(printf '%q ' "$EIMZA" import personnel "$T/big.csv" --db "$DB6")" /dev/null >"$T/tty" 2>&1
expect_grep 'rows/s' "$T/tty" "a progress bar on a terminal"
expect_grep '12000 rows read, 0 inserted, 0 updated, 12000 unchanged' "$T/tty" "re-import of the same file: all unchanged"

finish
