#!/usr/bin/env bash
# eimza — operations (issue 18) against a real `eimza serve`: `serve --check` (valid settings:
# exit 0 and nothing started or made; a bad key, value, database URL, listen address, trust
# folder or template: exit 1 naming it), `log_format = json` (every line of the server's log one
# JSON object, numbers as numbers), GET /readyz (ready; not ready with the reason when the
# database's schema is newer or older than the binary's, and, on PostgreSQL, when the database
# refuses connections; the outbox's sender watched) and GET /metrics (the latency histogram and
# the database's share per route, applications by state, the outbox by channel and status, the
# waiting applications per province with the oldest one's age, e-signature checks by result),
# each figure compared with the database itself. Both backends.
source "$EIMZA_SOURCE_DIR/tests/lib.sh"
for c in jq openssl curl; do
  command -v $c >/dev/null || { echo "FAIL: $c is needed (scripts/deps.txt)"; exit 1; }
done

A=10000000146 # Ayşegül Işık, 72: the wet path to "submitted"
C=10000000214 # Ömer Çelik, 56: stops at the signing step
H='tckn;ad;soyad;dogum_yeri;dogum_tarihi;kurum_kodu;kurum_adi;il_kodu;ilce;birim;unvan;gorev_durumu;gorevlendirme_bitis;eimza_hakki;eposta;cep_telefonu'
PW='Doğru-Parola-2025'
DB=$(new_db) || exit 1
source "$SRC/tests/portal_lib.sh"

# ---- serve --check ---------------------------------------------------------------------------
port=$(free_port)
if [ "$backend" = sqlite ]; then cdb="sqlite:$T/never-made.db"; else cdb=$DB; fi
printf 'listen = 127.0.0.1:%s\ndb = %s\nlog_format = json\n' "$port" "$cdb" >"$T/good.conf"
expect_status 0 "serve --check: valid settings" "$EIMZA" serve --check --config "$T/good.conf"
expect_grep "^eimza: the settings are valid \($T/good.conf\)" "$T/out" "serve --check says so, naming the file"
[ ! -e "$T/never-made.db" ] && ok "serve --check makes no database" || fail "serve --check makes no database"
(exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null && fail "serve --check listens on nothing" ||
  ok "serve --check listens on nothing"
check_bad() { # NAME PATTERN CONFIG-LINES...
  local name=$1 pat=$2
  shift 2
  printf '%s\n' "$@" >"$T/bad.conf"
  expect_status 1 "serve --check: $name" "$EIMZA" serve --check --config "$T/bad.conf"
  expect_grep "$pat" "$T/err" "serve --check: $name is named"
}
check_bad "an unknown key" "^eimza: serve: $T/bad.conf:2: setting_unknown: " "db = $cdb" "colour = blue"
expect_grep "^eimza: serve: unknown setting 'colour'$" "$T/err" "serve --check: the unknown key is named"
check_bad "a bad value" "^eimza: serve: $T/bad.conf:1: setting_bad_value: " "log_format = xml"
expect_grep "^eimza: serve: bad value for 'log_format': 'xml' is not one of text,json$" "$T/err" \
  "serve --check: the bad value is named"
check_bad "a database URL of no known kind" "^eimza: serve: --db: db_url_bad: " "db = mysql://db/eimza"
expect_grep "^eimza: serve: unknown database URL scheme 'mysql'" "$T/err" "serve --check: the scheme is named"
check_bad "an unparsable PostgreSQL URL" "^eimza: serve: --db: db_url_bad: " \
  "db = postgresql://u:SECRET@h:99999999999/x?nosuchoption=1"
expect_no_grep SECRET "$T/err" "serve --check never shows the URL's password"
check_bad "a missing trust folder" "^eimza: serve: $T/none: trust_dir_bad: " "trust_dir = $T/none"
expect_grep "^eimza: serve: trust_dir: No such file or directory$" "$T/err" \
  "serve --check: why the trust folder is refused"
mkdir -p "$T/tpl/tr"
printf 'Subject: x\n\n{nosuch}\n' >"$T/tpl/tr/expired.email.txt"
check_bad "a template with an unknown placeholder" \
  "^eimza: serve: $T/tpl/tr/expired.email.txt: template_bad: " "templates_dir = $T/tpl"
expect_grep "^eimza: serve: unknown placeholder \{nosuch\} " "$T/err" \
  "serve --check: the template's unknown placeholder is named"
expect_status 1 "serve --check: a bad --listen" "$EIMZA" serve --check --listen nowhere --db "$cdb"

# ---- the data: one application waiting for a decision, one at the signing step ------------------
expect_status 0 "migrate" "$EIMZA" migrate --db "$DB"
{
  echo "$H"
  echo "$A;Ayşegül;Işık;Batman;1980-03-15;720001;Batman Lisesi;72;Merkez;Eğitim;Öğretmen;aktif;;1;ayse.isik@meb.gov.tr;0532 123 45 67"
  echo "$C;Ömer;Çelik;Siirt;1975-01-02;560001;Siirt Lisesi;56;Kurtalan;Müdürlük;Müdür;aktif;;1;omer.celik@meb.gov.tr;0533 765 43 21"
} >"$T/p.csv"
expect_status 0 "import personnel" "$EIMZA" import personnel "$T/p.csv" --db "$DB"
# C's certificate (ends in 45 days: he may renew with an e-signature); only its holder matters here
openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes -keyout "$T/c.key" \
  -out "$T/c.pem" -subj "/C=TR/CN=Ömer Çelik/serialNumber=$C" -days 45 -utf8 \
  -addext basicConstraints=critical,CA:FALSE -addext keyUsage=critical,nonRepudiation 2>/dev/null
expect_status 0 "import C's certificate" "$EIMZA" import certificates "$T/c.pem" --db "$DB"
printf '%s\n' "$PW" | "$EIMZA" user add osman.op --role operator --db "$DB" >/dev/null 2>"$T/err" ||
  fail "user add" "$(cat "$T/err")"
printf 'log_format = json\n' >"$T/eimza.conf"
if ! start_server -- --dev --listen 127.0.0.1:0 --db "$DB" --config "$T/eimza.conf" --trust-dir "$SRC/trust"; then
  fail "server starts" "$(head -c 1000 "$SERR")"
  finish
fi

form='{"security_word":"Gizli Sözcük","security_word_repeat":"Gizli Sözcük","address":"Okul Sok. 1","postal_code":"72100","mobile_operator":"vodafone"}'
to_signing $A Ayşegül Işık Batman 1980-03-15 "$form" || finish
call POST /api/v1/application/wet-signature "${B[@]}"
expect_code 200 "A: the wet form"
json POST /api/v1/admin/login "$(jq -nc --arg p "$PW" '{username:"osman.op", password:$p}')"
SO=(-H "Authorization: Bearer $(jb .token)")
ID=$(curl -s "${SO[@]}" "$URL/api/v1/admin/applications?limit=50" | jq -r '.applications[0].id')
call POST "/api/v1/admin/applications/$ID/paper-received" "${SO[@]}"
expect_code 200 "A: the operator records the paper: submitted"
to_signing $C Ömer Çelik Siirt 1975-01-02 "${form/72100/56100}" || finish
json POST /api/v1/application/method '{"method":"esign"}' "${B[@]}"
call POST /api/v1/application/signature -H 'Content-Type: application/pkcs7-signature' \
  --data-binary 'not a CMS' "${B[@]}"
expect_error 422 malformed "C: a signature that is no CMS"
for _ in 1 2 3; do call GET /api/v1/application/status "${B[@]}"; done
expect_code 200 "C: the status, three times"

# ---- /readyz ------------------------------------------------------------------------------------
call GET /readyz
expect_code 200 "readyz: ready"
expect_eq "ready ok true" "$(jb '.status + " " + .database + " " + (.schema == .expected_schema | tostring)')" \
  "readyz: the database answers, its schema is the binary's"
expect_eq '{"outbox":"ok"}' "$(jq -c .senders "$T/b")" "readyz: the outbox's sender (scans in --dev) is watched and working"
latest=$(sql "SELECT max(version) FROM schema_migrations")
sql "INSERT INTO schema_migrations (version, name, applied_at) VALUES ($((latest + 1)), 'from_a_newer_eimza', 0)" >/dev/null
call GET /readyz
expect_eq "503 not_ready schema_ahead" "$CODE $(jb '.status + " " + (.reasons | join(","))')" \
  "readyz: a database migrated by a newer eimza: not ready"
sql "DELETE FROM schema_migrations WHERE version >= $latest" >/dev/null
call GET /readyz
expect_eq "503 schema_behind $((latest - 1)) $latest" \
  "$CODE $(jb '(.reasons | join(",")) + " " + (.schema|tostring) + " " + (.expected_schema|tostring)')" \
  "readyz: a schema older than the binary's: not ready"
sql "INSERT INTO schema_migrations (version, name, applied_at) VALUES ($latest, 'back', 0)" >/dev/null
call GET /readyz
expect_code 200 "readyz: ready again"
if [ "$backend" = postgresql ]; then
  dbname=${DB##*/}
  psql -q -X "$EIMZA_TEST_PG_ADMIN_URL" -c "ALTER DATABASE $dbname ALLOW_CONNECTIONS false" \
    -c "SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = '$dbname'" >/dev/null
  call GET /readyz
  call GET /readyz # the first found its pooled connection dead; this one cannot open another
  expect_eq "503 unreachable database_unreachable" "$CODE $(jb '.database + " " + (.reasons | join(","))')" \
    "readyz: a database that refuses connections: not ready"
  psql -q -X "$EIMZA_TEST_PG_ADMIN_URL" -c "ALTER DATABASE $dbname ALLOW_CONNECTIONS true" >/dev/null
  call GET /readyz
  expect_code 200 "readyz: ready once the database takes connections again"
fi

# ---- /metrics ------------------------------------------------------------------------------------
call GET /metrics
cp "$T/b" "$T/m"
expect_grep '^Content-Type: text/plain; version=0.0.4' "$T/h" "metrics: Prometheus text"
m() { awk -v k="$1" '$1 == k {print $2; exit}' "$T/m"; }
for st in $(sql "SELECT DISTINCT state FROM applications"); do
  expect_eq "$(sql "SELECT count(*) FROM applications WHERE state = '$st'")" \
    "$(m "eimza_applications{state=\"$st\"}")" "metrics: applications in state $st"
done
expect_eq 0 "$(m 'eimza_applications{state="completed"}')" "metrics: a state with none is shown as 0"
expect_eq "$(sql "SELECT count(*) FROM outbox WHERE channel = 'sms' AND status = 'pending'")" \
  "$(m 'eimza_outbox_messages{channel="sms",status="pending"}')" "metrics: SMS waiting in the outbox"
expect_eq 1 "$(m 'eimza_applications_waiting{province="72",state="submitted"}')" \
  "metrics: one application of province 72 waits for a decision"
age=$(m 'eimza_applications_oldest_waiting_seconds{province="72",state="submitted"}')
since=$(($(date +%s) - $(sql "SELECT updated_at FROM applications WHERE state = 'submitted'")))
[ -n "$age" ] && [ "$age" -ge 0 ] && [ "$age" -le $((since + 1)) ] && ok "metrics: its age ($age s)" ||
  fail "metrics: the oldest waiting application's age" "'$age', since $since s"
[ -z "$(m 'eimza_applications_waiting{province="56",state="submitted"}')" ] &&
  ok "metrics: nothing waits in 56" || fail "metrics: nothing waits in 56"
expect_eq 1 "$(m 'eimza_signature_verifications_total{result="malformed"}')" \
  "metrics: the refused signature, by its code"
expect_eq 0 "$(m 'eimza_signature_verifications_total{result="ok"}')" "metrics: none accepted"
route='method="GET",route="/api/v1/application/status"'
expect_eq 3 "$(m "eimza_http_request_duration_seconds_count{$route}")" "metrics: the status route's requests"
expect_eq 3 "$(m "eimza_http_request_duration_seconds_bucket{$route,le=\"+Inf\"}")" "metrics: its histogram's +Inf"
prev=0
mono=1
for le in $(grep -F "eimza_http_request_duration_seconds_bucket{$route" "$T/m" | awk '{print $NF}'); do
  [ "$le" -ge "$prev" ] || mono=0
  prev=$le
done
expect_eq 1 "$mono" "metrics: the histogram's buckets add up"
# one statement per status read (issue 13); on SQLite the status cache may answer the second
# and third request without one, PostgreSQL keeps no cache
st=$(m "eimza_db_statements_total{$route}")
least=$([ "$backend" = postgresql ] && echo 3 || echo 1)
[ -n "$st" ] && [ "$st" -ge "$least" ] && [ "$st" -le 6 ] &&
  ok "metrics: the status route's statements ($st for 3)" ||
  fail "metrics: the status route's statements" "'$st'"
rt=$(m "eimza_db_round_trips_total{$route}")
if [ "$backend" = postgresql ]; then
  [ -n "$rt" ] && [ "$rt" -ge 3 ] && ok "metrics: the status route's round trips ($rt for 3)" ||
    fail "metrics: round trips on PostgreSQL" "'$rt'"
else
  expect_eq 0 "$rt" "metrics: no round trips on SQLite"
fi
expect_eq 1 "$(m eimza_database_up)" "metrics: the database gave its figures"
expect_no_grep "$A|$C|ayse|omer" "$T/m" "metrics: no personal data"

# ---- the log as JSON ----------------------------------------------------------------------------
stop_server
bad=0
while IFS= read -r l; do jq -e 'type == "object" and has("ts") and has("level") and has("event")' <<<"$l" >/dev/null 2>&1 || bad=$((bad + 1)); done <"$SERR"
expect_eq 0 "$bad" "log_format = json: every line is a JSON object with ts, level, event"
grep '"event":"http.request"' "$SERR" | grep '"path":"/readyz"' | head -1 >"$T/l"
expect_eq "number 200 GET" "$(jq -r '(.status|type) + " " + (.status|tostring) + " " + .method' "$T/l")" \
  "log_format = json: the access line's status is a number"
finish
