#!/usr/bin/env bash
# eimza — the database failing under a running server is answered the same way on every route
# (docs/INTERFACES.md, "Errors"): 503 database_unavailable with Retry-After, the JSON body on
# the API, on the pages a page that says to try again in a few minutes and whom to ask; never
# a 500, never a logout. The failure is met in the middle of a request, where the routes'
# own error handling decides (the server runs one thread, so one pooled connection):
# PostgreSQL: before each call the server's backends are terminated (as a restart of the
# database leaves them), so the route's first statement fails; SQLite: the database's files
# are overwritten with noise under the open connection (a failing disk) and put back after
# each call. Then the database comes back and the same sessions work again (the failed
# connection was not reused). Last, PostgreSQL's database is dropped: nothing can connect, and
# the answers are the same. Both backends.
source "$EIMZA_SOURCE_DIR/tests/lib.sh"
for c in jq curl sqlite3 psql; do
  command -v $c >/dev/null || { echo "FAIL: $c is needed (scripts/deps.txt)"; exit 1; }
done

K1=30000000182
PW='Doğru-Parola-2025'
H='tckn;ad;soyad;dogum_yeri;dogum_tarihi;kurum_kodu;kurum_adi;il_kodu;ilce;birim;unvan;gorev_durumu;gorevlendirme_bitis;eimza_hakki;eposta;cep_telefonu'
DB=$(new_db) || exit 1
source "$SRC/tests/portal_lib.sh"
{
  echo "$H"
  echo "$K1;Ayşe;Kaya;Batman;1980-03-15;720001;Batman Lisesi;72;Merkez;Eğitim;Öğretmen;aktif;;1;ayse@meb.gov.tr;0532 100 00 01"
} >"$T/p.csv"
expect_status 0 "migrate" "$EIMZA" migrate --db "$DB"
expect_status 0 "import personnel" "$EIMZA" import personnel "$T/p.csv" --db "$DB"
printf '%s\n' "$PW" | "$EIMZA" user add yonetici --role admin --db "$DB" >/dev/null 2>"$T/err" ||
  fail "user add" "$(cat "$T/err")"
printf 'threads = 1\n' >"$T/eimza.conf"
if ! start_server -- --dev --listen 127.0.0.1:0 --db "$DB" --config "$T/eimza.conf"; then
  fail "server starts" "$(head -c 600 "$SERR")"
  finish
fi

login $K1 Ayşe Kaya Batman 1980-03-15
B=(-H "Authorization: Bearer $TOKEN")
json POST /api/v1/admin/login "$(jq -nc --arg p "$PW" '{username:"yonetici", password:$p}')"
STOK=$(jb .token)
S=(-H "Authorization: Bearer $STOK")
[ -n "$TOKEN" ] && [ "$TOKEN" != null ] && [ -n "$STOK" ] && [ "$STOK" != null ] ||
  { fail "applicant and staff logged in" "$(head -c 300 "$T/b")"; finish; }

# The routes: METHOD PATH WHO KIND (WHO: a applicant's Bearer, ac her cookie, s staff Bearer,
# sc the staff cookie, - none; KIND: json or page).
ROUTES=(
  "GET /api/v1/application a json"
  "GET /api/v1/application/status a json"
  "POST /api/v1/application/otp a json"
  "GET /api/v1/captcha - json"
  "GET /api/v1/admin/applications s json"
  "GET /api/v1/admin/dashboard s json"
  "GET /api/v1/admin/messages s json"
  "GET /basvuru ac page"
  "GET /sms ac page"
  "GET /durum ac page"
  "GET /giris - page"
  "GET /yonetim sc page"
  "GET /yonetim/pano sc page"
  "GET /yonetim/denetim sc page"
  "GET /yonetim/uretim sc page"
)
# route LINE: calls it with its credentials.
route() {
  set -- $1
  local who=()
  case $3 in
    a) who=("${B[@]}") ;;
    ac) who=(-b "eimza_session=$TOKEN") ;;
    s) who=("${S[@]}") ;;
    sc) who=(-b "eimza_staff=$STOK") ;;
  esac
  call "$1" "$2" "${who[@]}"
}
# answered_alike LINE LABEL: the answer in $T/b, $T/h is the database failure's.
answered_alike() {
  set -- $1 "$2"
  local kind=$4 label="$5: $1 $2"
  local ra=$(sed -n 's/^Retry-After: *\([0-9]*\).*/\1/Ip' "$T/h" | head -1)
  if [ "$kind" = json ]; then
    expect_eq "503 database_unavailable 120" "$CODE $(jb .error.code 2>/dev/null) $ra" "$label"
    expect_grep 'birkaç dakika sonra.*sistem yöneticisine' "$T/b" "$label: the Turkish message"
  else
    expect_eq "503 120" "$CODE $ra" "$label"
    expect_grep '<title>[^<]*Hizmete şu anda ulaşılamıyor' "$T/b" "$label: the page's title"
    if [[ $2 == /yonetim* ]]; then
      expect_grep 'birkaç dakika sonra yeniden deneyiniz\. Sorun sürerse sistem yöneticinize' \
        "$T/b" "$label: the staff are told to tell their administrator"
      # the staff's footer, not the applicant's (whose call centre is no help here)
      expect_grep 'class="staff-footer"' "$T/b" "$label: the staff's footer"
      expect_no_grep '444(&#160;| )5(&#160;| )576' "$T/b" "$label: not the applicant's footer"
    else
      expect_grep 'birkaç dakika sonra yeniden deneyiniz\. Sorun sürerse il DYS biriminize' \
        "$T/b" "$label: the applicant is told whom to ask"
    fi
  fi
}

F=${DB#sqlite:}
[ "$backend" = sqlite ] && sqlite3 "$F" ".backup '$T/good.sqlite'"
# break / mend: the database fails under the open connection, and comes back.
break_db() {
  if [ "$backend" = postgresql ]; then
    # with a timeout it waits until they are gone: the next call cannot outrun the signal
    psql -q -X -At "$EIMZA_TEST_PG_ADMIN_URL" -c \
      "SELECT count(pg_terminate_backend(pid, 5000)) FROM pg_stat_activity WHERE datname = '${DB##*/}'" >/dev/null
  else
    local x
    for x in "$F" "$F-shm" "$F-wal"; do
      [ -s "$x" ] && head -c "$(stat -c %s "$x")" /dev/urandom | dd of="$x" conv=notrunc status=none
    done
  fi
}
mend_db() {
  if [ "$backend" = sqlite ]; then
    # in place, the sizes kept: the server's open files stay its files (a file shrunk under
    # SQLite's mapping of the -shm would be a SIGBUS); a zeroed WAL index is rebuilt
    cat "$T/good.sqlite" >"$F"
    local x
    for x in "$F-shm" "$F-wal"; do
      [ -s "$x" ] && head -c "$(stat -c %s "$x")" /dev/zero | dd of="$x" conv=notrunc status=none
    done
  fi
  # a connection that failed is closed, not reused: the next request opens a working one
  for _ in 1 2 3; do
    call GET /healthz
    [ "$CODE" = 200 ] && return 0
  done
  fail "the database comes back: /healthz $CODE"
}

for r in "${ROUTES[@]}"; do
  mend_db
  break_db
  route "$r"
  answered_alike "$r" "failing mid-request"
done

mend_db
call GET /api/v1/application "${B[@]}"
expect_code 200 "after the failure the applicant's session still works"
call GET /yonetim -b "eimza_staff=$STOK"
expect_code 200 "after the failure the staff member's session still works"

# A database that cannot be reached at all (PostgreSQL: dropped; SQLite: its files noise
# and no connection can open them): the same answers.
if [ "$backend" = postgresql ]; then
  psql -q -X "$EIMZA_TEST_PG_ADMIN_URL" -c "DROP DATABASE ${DB##*/} WITH (FORCE)" >/dev/null
else
  break_db
fi
for r in "${ROUTES[@]}" "GET /healthz - json"; do
  route "$r"
  answered_alike "$r" "unreachable"
done
expect_no_grep 'T\.C\.|'"$K1" "$SERR" "the log names nobody"
stop_server
finish
