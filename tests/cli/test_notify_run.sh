#!/usr/bin/env bash
# eimza — `eimza notify run` and `eimza notify failed` as a user runs them, on both backends:
# the JSON summary exactly as docs/INTERFACES.md gives it; milestones on a controlled clock
# (--now), each once, the latest only after missed days, nothing after applying or renewal;
# --dev leaves everything queued (the development outbox); templates from a directory (the
# files the build writes to templates/ give the built-in texts; an override changes one
# message; a typo in a placeholder, or a file no template reads, is refused before anything
# runs); English (a warning one day before says "in 1 day"); two processes
# scanning at once queue each message once; usage errors. Holders and certificates are put in
# with the database's own client.
source "$EIMZA_SOURCE_DIR/tests/lib.sh"
command -v jq >/dev/null || { echo "FAIL: jq is needed (scripts/deps.txt)"; exit 1; }
backend=${EIMZA_TEST_BACKEND:-sqlite}

DB=$(new_db) || exit 1
expect_status 0 "migrate" "$EIMZA" migrate --db "$DB"
sql() {
  if [ "$backend" = postgresql ]; then psql -X -At "$DB" -c "$1"
  else sqlite3 -cmd ".timeout 5000" "${DB#sqlite:}" "$1"; fi
}
day() { date -u -d "$1" +%s; }
# holder N TCKN EMAIL MOBILE ENTITLED
holder() {
  local ent=$5
  [ "$backend" = postgresql ] && { [ "$ent" = 1 ] && ent=true || ent=false; }
  sql "INSERT INTO personnel (tckn, first_name, last_name, birth_place, birth_date,
       institution_name, province, duty, entitled, email, mobile_phone, updated_at)
       VALUES ('$2', 'Kişi$1', 'Yılmaz', 'Batman', '1980-01-01', 'MEB', 72, 'aktif', $ent,
       '$3', '$4', 0)" >/dev/null
}
# certificate SERIAL TCKN NOT_BEFORE NOT_AFTER (dates)
certificate() {
  local der="x'00'"
  [ "$backend" = postgresql ] && der="'\\x00'"
  sql "INSERT INTO certificates (fingerprint, tckn, subject_name, subject, serial, issuer,
       not_before, not_after, der, imported_at) VALUES ('fp-$1', '$2', 'X', 'CN=X', '$1',
       'CN=CA', $(day "$3"), $(day "$4"), $der, 0)" >/dev/null
}
run() { "$EIMZA" notify run --db "$DB" --dev "$@"; }
# the outbox as it is sent (`eimza notify outbox`): the scan keeps template and values
outbox() { "$EIMZA" notify outbox --db "$DB" "$@"; }
text_of() { jq -r --arg c "$1" '.[] | select(.channel == $c) | .body'; }

holder 1 10000000146 ayse@meb.gov.tr 5321112233 1
holder 2 10000000218 ali@meb.gov.tr 5321112234 1
holder 3 10000000382 veli@meb.gov.tr "" 1
holder 4 10000000454 yok@meb.gov.tr 5321112236 0
certificate A1 10000000146 2022-06-01 2025-06-01
certificate B1 10000000218 2022-07-01 2025-07-01
certificate C1 10000000382 2022-06-15 2025-06-15
certificate D1 10000000454 2022-06-01 2025-06-01

# ---- the summary, exactly -----------------------------------------------------------------
expect_status 0 "a scan 100 days before: nothing yet" run --now 2025-02-21
expect_eq '{"now":"2025-02-21T00:00:00Z","queued":{"expiry_90":0,"expiry_60":0,"expiry_30":0,"expired":0,"reminders":0,"overdue":0,"digests":0},"sent":{"sms":0,"email":0},"retried":0,"failed":0}' \
  "$(cat "$T/out")" "the JSON summary, exactly"
expect_status 0 "90 days before the first expiry" run --now 2025-03-03
expect_eq 2 "$(jq .queued.expiry_90 "$T/out")" "holder 1: an e-mail and an SMS (holder 4 is not entitled)"
expect_eq 2 "$(sql "SELECT count(*) FROM outbox WHERE dedupe_key LIKE 'warn:%:90:%'")" "two rows"
expect_eq "pending pending" "$(sql "SELECT status FROM outbox ORDER BY id" | xargs)" "--dev sends nothing"
expect_eq 0 "$(jq '.sent.email + .sent.sms' "$T/out")" "and says so"
expect_status 0 "the same day again" run --now 2025-03-03
expect_eq 0 "$(jq '[.queued[]] | add' "$T/out")" "nothing twice"
expect_eq "expiry_warning expiry_warning" "$(sql "SELECT template FROM outbox WHERE body = '' ORDER BY id" | xargs)" \
  "kept as the template and its values"
BODY=$(outbox | text_of email)
grep -q 'A1 seri numaralı' <<<"$BODY" && grep -q '01.06.2025' <<<"$BODY" && grep -q '02.05.2025' <<<"$BODY" &&
  grep -q 'http://127.0.0.1:8080/' <<<"$BODY" && ok "the e-mail names serial, expiry, deadline, link" ||
  fail "the e-mail names serial, expiry, deadline, link" "$BODY"

# ---- missed days: the latest milestone only --------------------------------------------------
expect_status 0 "a scan after weeks without one (20 May)" run --now 2025-05-20
expect_eq 3 "$(jq .queued.expiry_30 "$T/out")" "holders 1 (12 days left) and 3 (26): the 30-day one"
expect_eq 2 "$(jq .queued.expiry_60 "$T/out")" "holder 2 (42 days): the 60-day one"
expect_eq 0 "$(sql "SELECT count(*) FROM outbox WHERE dedupe_key LIKE 'warn:%:60:%' AND recipient LIKE 'ayse%'")" \
  "holder 1 never gets the 60-day one it missed"
expect_eq 0 "$(sql "SELECT count(*) FROM outbox WHERE dedupe_key LIKE 'warn:%:90:%' AND recipient LIKE 'ali%'")" \
  "holder 2 never gets the 90-day one it missed"
expect_eq 1 "$(sql "SELECT count(*) FROM outbox WHERE recipient = 'veli@meb.gov.tr'")" "holder 3: e-mail only"

# ---- applying and renewal stop the warnings ---------------------------------------------------
sql "INSERT INTO applications (number, tckn, state, reason, validity_years, created_at, updated_at)
     VALUES ('APPLNR0001', '10000000218', 'draft', 'renewal', 3, $(day 2025-05-21), $(day 2025-05-21))" >/dev/null
certificate C2 10000000382 2025-05-25 2028-05-25
expect_status 0 "the expiry day of holder 1" run --now 2025-06-02
expect_eq 2 "$(jq .queued.expired "$T/out")" "holder 1: the expiry message"
expect_eq 0 "$(jq .queued.expiry_30 "$T/out")" "holder 2 applied, holder 3 renewed: nothing"
expect_status 0 "a month on" run --now 2025-07-02
expect_eq 0 "$(jq '[.queued[]] | add' "$T/out")" "still nothing for them"

# ---- two processes at once: each message once --------------------------------------------------
for i in $(seq 10 49); do
  t=$(printf '1%010d' "$i")
  holder "$i" "$t" "k$i@meb.gov.tr" "532000$(printf %04d "$i")" 1
  certificate "R$i" "$t" 2023-01-01 "2026-0$((i % 3 + 1))-1$((i % 9))"
done
before=$(sql "SELECT count(*) FROM outbox")
run --now 2026-01-05 >"$T/p1.json" 2>"$T/p1.err" &
p1=$!
run --now 2026-01-05 >"$T/p2.json" 2>"$T/p2.err" &
p2=$!
wait $p1; s1=$?
wait $p2; s2=$?
expect_eq "0 0" "$s1 $s2" "two concurrent scans both succeed"
q=$(( $(jq '[.queued[]] | add' "$T/p1.json") + $(jq '[.queued[]] | add' "$T/p2.json") ))
after=$(sql "SELECT count(*) FROM outbox")
expect_eq 80 "$((after - before))" "40 holders in their windows: 80 messages"
expect_eq "$((after - before))" "$q" "what the two say they queued is what is there"
expect_eq "$after" "$(sql "SELECT count(DISTINCT dedupe_key) FROM outbox")" "no key twice"

# ---- templates ---------------------------------------------------------------------------------
DB2=$(new_db) || exit 1
"$EIMZA" migrate --db "$DB2" >/dev/null
DB_SAVE=$DB; DB=$DB2
holder 1 10000000146 ayse@meb.gov.tr 5321112233 1
certificate A1 10000000146 2022-06-01 2025-06-01
printf 'templates_dir = %s/templates\n' "$EIMZA_TOOLS" >"$T/files.conf"
expect_status 0 "templates from the build's files" run --now 2025-03-03 --config "$T/files.conf"
texts() { outbox "$@" | jq -c '[.[] | [.subject, .body]]'; }
FROM_FILES=$(texts --config "$T/files.conf")
sql "DELETE FROM outbox; DELETE FROM certificate_warnings" >/dev/null
expect_status 0 "the built-in templates" run --now 2025-03-03
expect_eq "$FROM_FILES" "$(texts)" "the files and the built-in texts are the same"
grep -q 'Sayın Kişi1 Yılmaz' <<<"$FROM_FILES" && ok "and they are rendered" || fail "and they are rendered" "$FROM_FILES"
mkdir -p "$T/tpl/tr"
printf 'Süre doluyor: {serial} {expiry_date} {portal_url}\n' >"$T/tpl/tr/expiry_warning.sms.txt"
printf 'templates_dir = %s/tpl\nportal_url = https://eimza.meb.gov.tr/\n' "$T" >"$T/over.conf"
sql "DELETE FROM outbox; DELETE FROM certificate_warnings" >/dev/null
expect_status 0 "an override of one template" run --now 2025-03-03 --config "$T/over.conf"
expect_eq "Süre doluyor: A1 01.06.2025 https://eimza.meb.gov.tr/" \
  "$(outbox --config "$T/over.conf" | text_of sms)" "the SMS comes from the file"
outbox --config "$T/over.conf" | text_of email | grep -q 'Sayın Kişi1' &&
  ok "the e-mail keeps the built-in text" || fail "the e-mail keeps the built-in text"
printf 'Süre: {serail}\n' >"$T/tpl/tr/expiry_warning.sms.txt"
expect_status 1 "a placeholder typo is refused" run --now 2025-03-03 --config "$T/over.conf"
expect_grep "^eimza: notify run: $T/tpl/tr/expiry_warning.sms.txt: template_bad: " "$T/err" \
  "a coded refusal naming the file"
expect_grep '^eimza: notify run: unknown placeholder \{serail\}' "$T/err" "and the placeholder"
expect_status 1 "also when only reading the outbox" outbox --config "$T/over.conf"
expect_grep "^eimza: notify outbox: $T/tpl/tr/expiry_warning.sms.txt: template_bad: " "$T/err" \
  "refused there too"
expect_grep '^eimza: notify outbox: unknown placeholder \{serail\}' "$T/err" "named there too"
# a file no template reads (otp_code is SMS only) would be skipped while the built-in text goes
# out: refused, named, like a bad one
printf 'Süre doluyor: {serial} {portal_url}\n' >"$T/tpl/tr/expiry_warning.sms.txt"
printf 'Subject: Kodunuz\n\n{number}\n' >"$T/tpl/tr/otp_code.email.txt"
expect_status 1 "a file for a form that does not exist is refused" run --now 2025-03-03 --config "$T/over.conf"
expect_grep "^eimza: notify run: $T/tpl/tr/otp_code.email.txt: template_unused: " "$T/err" "and named"
expect_grep '^eimza: notify run: otp_code has no e-mail form, so the file would not be used' "$T/err" \
  "saying why"
rm "$T/tpl/tr/otp_code.email.txt"
printf 'notify_language = en\n' >"$T/en.conf"
sql "DELETE FROM outbox; DELETE FROM certificate_warnings" >/dev/null
expect_status 0 "English" run --now 2025-03-03 --config "$T/en.conf"
expect_grep 'expires on 2025-06-01' <(outbox --config "$T/en.conf" | jq -r '.[] | select(.channel == "email") | .subject') \
  "the English subject, ISO dates"
# a warning one day before: the number and its noun agree ({n_days}); Turkish has no plural
printf 'notify_language = en\nwarn_days = 1\n' >"$T/en1.conf"
sql "DELETE FROM outbox; DELETE FROM certificate_warnings" >/dev/null
expect_status 0 "a warning one day before" run --now 2025-05-31 --config "$T/en1.conf"
expect_grep 'expires on 2025-06-01, in 1 day\.' <(outbox --config "$T/en1.conf" | jq -r '.[] | select(.channel == "email") | .body') \
  "in English: in 1 day, not 1 days"
expect_grep 'tarihinde, 1 gün sonra sona erecek' <(outbox | jq -r '.[] | select(.channel == "email") | .body') \
  "the same message read in Turkish: 1 gün"
# ---- the development outbox of serve --dev: rendered with serve's templates -------------------
"$EIMZA" serve --dev --db "$DB" --listen 127.0.0.1:0 --config "$T/en.conf" >"$T/serve.out" 2>"$T/serve.err" &
SP=$!
URL=
for _ in $(seq 1 200); do
  URL=$(sed -n 's/^eimza: serving on \(http[^ ]*\) .*/\1/p' "$T/serve.out")
  [ -n "$URL" ] && break
  sleep 0.05
done
curl -s "$URL/dev/outbox" >"$T/dev.json"
expect_eq "expiry_warning" "$(jq -r '.[] | select(.channel == "email") | .template' "$T/dev.json")" \
  "GET /dev/outbox names the template"
jq -r '.[] | select(.channel == "email") | .subject' "$T/dev.json" | grep -q 'expires on 2025-06-01' &&
  jq -r '.[] | select(.channel == "sms") | .body' "$T/dev.json" | grep -q 'A1' &&
  jq -r '.[] | select(.channel == "sms") | .body' "$T/dev.json" | grep -q 'http://127.0.0.1:8080/' &&
  ok "and shows the messages as they are sent" || fail "the development outbox renders" "$(head -c 800 "$T/dev.json")"
kill -TERM $SP; wait $SP
expect_eq 0 "$?" "serve stops cleanly"

# ---- notify outbox: what a person may see ----------------------------------------------------
expect_status 0 "notify outbox" outbox --config "$T/en.conf" --limit 1
expect_eq 1 "$(jq length "$T/out")" "--limit"
expect_eq "sms pending expiry_warning 5*******33" "$(jq -r '.[0] | "\(.channel) \(.status) \(.template) \(.to)"' "$T/out")" \
  "the newest, its state and template, the number masked"
expect_no_grep '5321112233' "$T/out" "never the full number"
expect_status 0 "both" outbox
expect_eq 'a***@meb.gov.tr' "$(jq -r '.[0].to' "$T/out")" "the address masked"
expect_status 1 "--limit 0" outbox --limit 0
expect_grep 'limit' "$T/err" "says what is wrong"
expect_status 1 "--limit not a number" outbox --limit many
expect_status 1 "an unknown option" outbox --bogus
DB=$DB_SAVE

# ---- outside --dev: without the server's secret_key, SMS codes are left for the server ---------
expect_status 0 "notify run without --dev nor secret_key" "$EIMZA" notify run --db "$DB" --now 2025-03-03
expect_grep 'level=warn event=config.secret_key .*SMS codes waiting in the outbox are left' "$T/err" \
  "warns that codes wait for a sender with the key"
printf 'secret_key = %s\n' "$(head -c 32 /dev/urandom | base64)" >"$T/secrets.conf"
expect_status 0 "notify run with a secret_key" "$EIMZA" notify run --db "$DB" --now 2025-03-03 \
  --config "$T/secrets.conf"
expect_no_grep 'config.secret_key' "$T/err" "with the key: no warning"

# ---- usage and settings ------------------------------------------------------------------------
expect_status 1 "--now not a date" "$EIMZA" notify run --db "$DB" --now 03.03.2025
expect_grep 'YYYY-MM-DD' "$T/err" "says the form"
expect_status 1 "--now impossible" "$EIMZA" notify run --db "$DB" --now 2025-02-30
expect_status 1 "unknown option" "$EIMZA" notify run --db "$DB" --bogus
expect_status 1 "unknown subcommand" "$EIMZA" notify frobnicate
printf 'warn_days = 30,60\n' >"$T/bad.conf"
expect_status 1 "milestones not descending" "$EIMZA" notify run --db "$DB" --config "$T/bad.conf"
printf 'digest_to = 99=a@b.org\n' >"$T/bad.conf"
expect_status 1 "a digest province out of range" "$EIMZA" notify run --db "$DB" --config "$T/bad.conf"
printf 'smtp_url = http://x/\n' >"$T/bad.conf"
expect_status 1 "an SMTP URL that is not smtp://" "$EIMZA" notify run --db "$DB" --config "$T/bad.conf"
expect_status 0 "--help" "$EIMZA" notify --help
expect_grep 'notify run' "$T/out" "usage"

# ---- the operator's view -------------------------------------------------------------------------
expect_status 0 "notify failed with none" "$EIMZA" notify failed --db "$DB"
expect_eq '[]' "$(cat "$T/out")" "an empty list"
sql "UPDATE outbox SET status = 'failed', attempts = 3, last_error = 'smtp_550'
     WHERE dedupe_key LIKE 'warn:%:90:email' AND recipient = 'ayse@meb.gov.tr'" >/dev/null
expect_status 0 "notify failed" "$EIMZA" notify failed --db "$DB"
expect_eq '1 failed smtp_550 3 email' "$(jq -r '"\(length) \(.[0].status) \(.[0].error) \(.[0].attempts) \(.[0].channel)"' "$T/out")" \
  "one failed message with its reason"
expect_eq 'a***@meb.gov.tr' "$(jq -r '.[0].to' "$T/out")" "the address masked"
expect_eq 'expiry_warning|' "$(jq -r '"\(.[0].template)|\(.[0].subject)"' "$T/out")" \
  "a message kept as a template names it (its subject is made when sent)"
expect_status 1 "notify failed takes no word" "$EIMZA" notify failed extra --db "$DB"

finish
