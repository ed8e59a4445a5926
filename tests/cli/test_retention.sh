#!/usr/bin/env bash
# eimza — personal data kept only as long as allowed (KVKK, issue 18): `eimza retention run`.
# The data is real: people walked through the whole flow by a server (tests/ops/flow_driver.py
# walk: SMS codes, forms, e-signatures and paper, approvals and rejections), the SMS delivered
# by `eimza notify run` through a stand-in gateway (tests/mocks/sms-gateway.mjs), one code sent
# and never entered, a failed login. Time is moved with --now. Checked: a dry run counts and
# changes nothing; a run removes exactly what its period has passed (expired sessions,
# captchas, rate-limit windows and codes; a delivered message's recipient and contents after
# retention_messages_days, undelivered ones kept; a closed application's contact data after
# retention_contact_years and not a day before, the rest of it kept; the evidence after
# retention_evidence_years past the certificate's latest end, with everything that hangs on
# it, and not a day before), audited with its counts, and a second run removes nothing; the
# database stays whole (foreign keys, the audit chain); the settings refuse evidence kept under
# seven years; the privacy notice states the configured periods; `eimza serve` runs it at
# start-up. Both backends.
source "$EIMZA_SOURCE_DIR/tests/lib.sh"
source "$SRC/tests/ops/scene.sh"
for c in jq node; do
  command -v $c >/dev/null || { echo "FAIL: $c is needed (scripts/deps.txt)"; exit 1; }
done
backend=${EIMZA_TEST_BACKEND:-sqlite}
MPID=
trap '[ -n "$MPID" ] && kill "$MPID" 2>/dev/null; [ -n "${PID:-}" ] && kill -TERM "$PID" 2>/dev/null; cleanup' EXIT

scene 8
sql() {
  if [ "$backend" = postgresql ]; then psql -X -At -F ' ' "$DB" -c "$1"
  else sqlite3 -separator ' ' "${DB#sqlite:}" "$1"; fi
}
day() { date -u -d "@$1" +%Y-%m-%d; }
driver walk --port "$(free_port)" >"$T/walk.out" 2>&1 || fail "the people walked through the flow" "$(grep -E 'FAIL|PROBLEM' "$T/walk.out" | head)"
grep '^flow: walked' "$T/walk.out"

# ---- what is left behind: one code never entered, a failed login -------------------------------
source "$SRC/tests/portal_lib.sh"
start_server -- --dev --listen 127.0.0.1:0 --db "$DB" --config "$T/eimza.conf" || { fail "server starts"; finish; }
p=$(jq -c '.[0]' "$T/people.json")
login "$(jq -r .tckn <<<"$p")" "$(jq -r .first <<<"$p")" "$(jq -r .last <<<"$p")" "$(jq -r .place <<<"$p")" "$(jq -r .birth <<<"$p")"
call GET /api/v1/application -H "Authorization: Bearer $TOKEN"
json PUT /api/v1/application '{"security_word":"Gizli Sözcük","security_word_repeat":"Gizli Sözcük","address":"Yeni Sok. 2","postal_code":"72100","mobile_operator":"vodafone"}' -H "Authorization: Bearer $TOKEN"
call POST /api/v1/application/otp -H "Authorization: Bearer $TOKEN"
expect_code 200 "a code sent and never entered (a new application)"
login_body 10000000146 Yok Yok Yok 1980-01-01
json POST /api/v1/login "$BODY"
stop_server

# ---- the SMS delivered through a stand-in gateway --------------------------------------------
node "$SRC/tests/mocks/sms-gateway.mjs" "$T/gw.jsonl" >"$T/gw.out" 2>"$T/gw.err" &
MPID=$!
for _ in $(seq 1 100); do
  MPORT=$(sed -n 's/^port=\([0-9]*\)$/\1/p' "$T/gw.out")
  [ -n "$MPORT" ] && break
  sleep 0.05
done
printf 'sms_gateway_url = http://127.0.0.1:%s/api/send\n' "$MPORT" >"$T/gw.conf"
expect_status 0 "eimza notify run delivers the SMS" "$EIMZA" notify run --db "$DB" --config "$T/gw.conf"
kill "$MPID"
MPID=
sent=$(sql "SELECT count(*) FROM outbox WHERE status = 'sent'")
waiting=$(sql "SELECT count(*) FROM outbox WHERE status <> 'sent'")
[ "$sent" -gt 0 ] && [ "$waiting" -gt 0 ] && ok "$sent messages delivered, $waiting (e-mail) waiting" ||
  fail "delivered and waiting messages" "$sent sent, $waiting waiting"
rejected=$(sql "SELECT count(*) FROM applications WHERE state = 'rejected'")
[ "$rejected" -gt 0 ] && ok "$rejected applications rejected (closed)" || fail "closed applications" "none"

# fingerprint: what a dry run must leave as it was
fp() {
  sql "SELECT (SELECT count(*) FROM sessions) || ' ' || (SELECT count(*) FROM captchas) || ' ' ||
       (SELECT count(*) FROM rate_limits) || ' ' ||
       (SELECT count(*) FROM application_otp WHERE code_hash <> '') || ' ' ||
       (SELECT count(*) FROM outbox WHERE recipient <> '') || ' ' ||
       (SELECT count(*) FROM applications WHERE address <> '') || ' ' ||
       (SELECT count(*) FROM applications) || ' ' || (SELECT count(*) FROM audit_log)"
}
run() { "$EIMZA" retention run --db "$DB" "$@" 2>"$T/ret.err"; }
NOW=$(date -u +%s)
D=86400
Y=$((366 * D))

# ---- a month on: sessions, captchas, windows, codes, delivered messages ----------------------------
before=$(fp)
codes=$(sql "SELECT count(*) FROM application_otp WHERE code_hash <> ''")
expect_eq 1 "$codes" "one SMS code still held (the one never entered)"
run --now "$(day $((NOW + 31 * D)))" --dry-run >"$T/dry.json"
expect_eq "$before" "$(fp)" "a dry run changes nothing and writes no audit entry"
expect_eq "true $sent 1 0 0" "$(jq -r '"\(.dry_run) \(.removed.messages) \(.removed.sms_codes) \(.removed.contact_data) \(.removed.applications)"' "$T/dry.json")" \
  "a dry run counts what a run would remove"
run --now "$(day $((NOW + 31 * D)))" >"$T/run1.json"
expect_eq "$(jq -c '.removed' "$T/dry.json")" "$(jq -c '.removed' "$T/run1.json")" "the run removes what the dry run counted"
expect_eq "0 0 0 0" "$(sql "SELECT (SELECT count(*) FROM sessions) || ' ' || (SELECT count(*) FROM captchas) || ' ' || (SELECT count(*) FROM rate_limits) || ' ' || (SELECT count(*) FROM application_otp WHERE code_hash <> '' OR salt <> '')")" \
  "expired sessions, captchas, rate-limit windows and the expired code's hash are gone"
expect_eq "$sent" "$(sql "SELECT count(*) FROM outbox WHERE status = 'sent' AND recipient = '' AND subject = '' AND body = '' AND template IS NULL AND params IS NULL")" \
  "every delivered message lost its recipient, subject, body and values"
expect_eq "$sent" "$(sql "SELECT count(*) FROM outbox WHERE status = 'sent' AND channel <> '' AND sent_at IS NOT NULL")" \
  "and kept its channel, status and times"
expect_eq "$waiting" "$(sql "SELECT count(*) FROM outbox WHERE status <> 'sent' AND recipient <> '' AND (body <> '' OR params IS NOT NULL)")" \
  "messages not delivered keep theirs"
expect_eq 1 "$(sql "SELECT count(*) FROM audit_log WHERE action = 'retention.run' AND actor = 'cli'")" \
  "the run is audited"
expect_eq "$(jq -c .removed "$T/run1.json")" \
  "$(sql "SELECT detail FROM audit_log WHERE action = 'retention.run' AND actor = 'cli'" | jq -c 'del(.messages_days, .contact_years, .evidence_years)')" \
  "with its counts"
run --now "$(day $((NOW + 31 * D)))" >"$T/run2.json"
expect_eq '{"sessions":0,"captchas":0,"rate_windows":0,"sms_codes":0,"messages":0,"contact_data":0,"applications":0}' \
  "$(jq -c .removed "$T/run2.json")" "a second run removes nothing"

# ---- two years on: the closed applications' contact data ------------------------------------------
closed=$(sql "SELECT max(updated_at) FROM applications WHERE state = 'rejected'")
run --now "$(day $((closed + 2 * Y - D)))" >"$T/r.json"
expect_eq 0 "$(jq .removed.contact_data "$T/r.json")" "contact data: not a day before two years"
keep=$(sql "SELECT count(*) FROM applications WHERE state = 'rejected' AND tckn <> '' AND first_name <> '' AND institution_name <> '' AND province = 72")
run --now "$(day $((closed + 2 * Y + D)))" >"$T/r.json"
expect_eq "$rejected" "$(jq .removed.contact_data "$T/r.json")" "contact data of every closed application, two years on"
expect_eq "$rejected" "$(sql "SELECT count(*) FROM applications WHERE state = 'rejected' AND address = '' AND district = '' AND postal_code = '' AND email = '' AND mobile_phone = '' AND home_phone = '' AND work_phone = '' AND mobile_operator = '' AND security_word_hash = ''")" \
  "address, postal code, e-mail, phones, operator and the security word's hash removed"
expect_eq "$keep" "$(sql "SELECT count(*) FROM applications WHERE state = 'rejected' AND tckn <> '' AND first_name <> '' AND institution_name <> '' AND province = 72")" \
  "the identity, the institution and the province stay (registration evidence)"
expect_eq 0 "$(sql "SELECT count(*) FROM applications WHERE state <> 'rejected' AND address = ''")" \
  "applications still going keep everything"
expect_eq "$closed" "$(sql "SELECT max(updated_at) FROM applications WHERE state = 'rejected'")" \
  "closing times do not move"

# ---- the evidence, kept seven years past the certificate's latest end --------------------------------
vy=$(sql "SELECT max(validity_years) FROM applications WHERE state = 'rejected'")
last=$((closed + (vy + 1 + 7) * Y))
run --now "$(day $((last - D)))" >"$T/r.json"
expect_eq 0 "$(jq .removed.applications "$T/r.json")" "evidence: not a day before seven years past the certificate's latest end"
sigs=$(sql "SELECT count(*) FROM signatures")
gone=$(sql "SELECT count(*) FROM signatures s JOIN applications a ON a.id = s.application_id WHERE a.state = 'rejected'")
run --now "$(day $((last + D)))" >"$T/r.json"
expect_eq "$rejected" "$(jq .removed.applications "$T/r.json")" "evidence past its time: the closed applications removed"
expect_eq "0 0 0 0" "$(sql "SELECT (SELECT count(*) FROM applications WHERE state = 'rejected') || ' ' || (SELECT count(*) FROM decisions d WHERE NOT EXISTS (SELECT 1 FROM applications a WHERE a.id = d.application_id)) || ' ' || (SELECT count(*) FROM application_events e WHERE NOT EXISTS (SELECT 1 FROM applications a WHERE a.id = e.application_id)) || ' ' || (SELECT count(*) FROM application_otp o WHERE NOT EXISTS (SELECT 1 FROM applications a WHERE a.id = o.application_id))")" \
  "with their decisions, timelines and code state"
expect_eq $((sigs - gone)) "$(sql "SELECT count(*) FROM signatures")" "and their signatures, the others' kept"
expect_eq 0 "$(sql "SELECT count(*) FROM applications WHERE state <> 'rejected' AND address = ''")" \
  "applications still going are untouched"
expect_status 0 "the audit chain still verifies" "$EIMZA" audit verify --db "$DB"
if [ "$backend" = sqlite ]; then
  expect_eq "ok" "$(sqlite3 "${DB#sqlite:}" 'PRAGMA integrity_check')" "integrity_check"
  expect_eq "" "$(sqlite3 "${DB#sqlite:}" 'PRAGMA foreign_key_check')" "no foreign key left dangling"
fi

# ---- the settings -----------------------------------------------------------------------------------
printf 'retention_evidence_years = 5\n' >"$T/short.conf"
expect_status 1 "evidence kept under seven years is refused" "$EIMZA" retention run --db "$DB" --config "$T/short.conf"
expect_grep "retention_evidence_years" "$T/err" "naming the setting"
expect_status 1 "serve --check refuses it too" "$EIMZA" serve --check --db "$DB" --config "$T/short.conf"
printf 'retention_contact_years = 9\n' >"$T/long.conf"
expect_status 1 "contact data kept longer than the evidence is refused" "$EIMZA" serve --check --db "$DB" --config "$T/long.conf"
expect_status 1 "--now must be a date" "$EIMZA" retention run --db "$DB" --now 2030-13-01

# ---- the privacy notice states the configured periods; serve runs it at start-up -------------------
printf 'retention_messages_days = 45\nretention_contact_years = 3\nretention_evidence_years = 10\n' >"$T/p.conf"
n=$(sql "SELECT count(*) FROM audit_log WHERE action = 'retention.run' AND actor = 'serve'")
start_server -- --dev --listen 127.0.0.1:0 --db "$DB" --config "$T/p.conf" || { fail "server starts"; finish; }
call GET /
tr -s ' \n' ' ' <"$T/b" >"$T/page"
expect_grep 'kaydedildikten 45 gün sonra silinir' "$T/page" "the notice: messages, 45 days"
expect_grep 'sonuçlandıktan 3 yıl sonra silinir' "$T/page" "the notice: contact data, 3 years"
expect_grep 'süresi bittikten sonra 10 yıl saklanır' "$T/page" "the notice: evidence, 10 years"
call GET '/?lang=en'
tr -s ' \n' ' ' <"$T/b" >"$T/page"
expect_grep 'deleted 45 days after the message was queued' "$T/page" "the notice in English"
for _ in $(seq 1 100); do
  [ "$(sql "SELECT count(*) FROM audit_log WHERE action = 'retention.run' AND actor = 'serve'")" -gt "$n" ] && break
  sleep 0.05
done
expect_eq $((n + 1)) "$(sql "SELECT count(*) FROM audit_log WHERE action = 'retention.run' AND actor = 'serve'")" \
  "eimza serve runs the retention at start-up, audited"
stop_server
finish
