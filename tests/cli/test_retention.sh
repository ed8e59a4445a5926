#!/usr/bin/env bash
# eimza — personal data kept only as long as allowed (KVKK, issue 18): `eimza retention run`,
# both backends, on real data moved through time with --now. The data: people walked through
# the whole flow by a server (tests/ops/flow_driver.py walk: SMS codes, forms, e-signatures and
# paper, approvals and rejections); then the card's way: a batch ordered by the operator, the
# bureau's answer shipping one card (carrier, tracking number), that application cancelled by
# the operator (closed, with its card); its holder starting a new application and asking for a
# code never entered (a draft); a failed login; the SMS delivered by `eimza notify run` through
# a stand-in gateway (tests/mocks/sms-gateway.mjs). Checked, step by step in time:
#   - a message carrying a one-time code loses its recipient and body when it is delivered;
#   - a dry run counts what a run removes and changes nothing; a run is audited with its counts
#     and a second one removes nothing;
#   - a month on: expired sessions, captchas, rate-limit windows and code hashes; delivered
#     messages emptied, undelivered ones kept;
#   - drafts never submitted removed retention_draft_days after their last change, not a day
#     before, their audit entries anonymised;
#   - contact data of closed applications (and their card's shipment) retention_contact_years
#     after closing, not a day before, the identity kept; the applicants' logins in the audit
#     log anonymised;
#   - the evidence removed retention_evidence_years past the certificate's latest end, not a day
#     before, with its card, signature, decisions and timeline; the audit entries about it
#     anonymised; old certificates nothing names removed;
#   - after each: `eimza audit verify` passes (and names the anonymised entries), SQLite's
#     integrity and foreign keys; an anonymised entry changed afterwards breaks the chain;
#   - bad settings refused with a message naming them; the privacy notice states the configured
#     periods; `eimza serve` runs the retention at start-up.
source "$EIMZA_SOURCE_DIR/tests/lib.sh"
source "$SRC/tests/ops/scene.sh"
for c in jq node sqlite3; do
  command -v $c >/dev/null || { echo "FAIL: $c is needed (scripts/deps.txt)"; exit 1; }
done

scene 10
source "$SRC/tests/portal_lib.sh"
MPID=
trap '[ -n "$MPID" ] && kill "$MPID" 2>/dev/null; [ -n "$PID" ] && kill -TERM "$PID" 2>/dev/null; cleanup' EXIT
# q QUERY: the answer, columns separated by one space
q() {
  if [ "$backend" = postgresql ]; then psql -X -At -F ' ' "$DB" -c "$1"
  else sqlite3 -cmd ".timeout 10000" -separator ' ' "${DB#sqlite:}" "$1"; fi
}
day() { date -u -d "@$1" +%Y-%m-%d; }
# run [ARGS...]: eimza retention run on the database, stderr in $T/ret.err
run() { "$EIMZA" retention run --db "$DB" "$@" 2>"$T/ret.err"; }
# verify NAME: the audit chain verifies
verify() {
  "$EIMZA" audit verify --db "$DB" >"$T/verify.out" 2>&1 && ok "$1: the audit chain verifies" ||
    fail "$1: the audit chain verifies" "$(cat "$T/verify.out")"
  if [ "$backend" = sqlite ]; then
    expect_eq "ok" "$(sqlite3 "${DB#sqlite:}" 'PRAGMA integrity_check')" "$1: integrity_check"
    expect_eq "" "$(sqlite3 "${DB#sqlite:}" 'PRAGMA foreign_key_check')" "$1: no foreign key dangling"
  fi
}

driver walk --seed 7 --port "$(free_port)" >"$T/walk.out" 2>&1 ||
  fail "the people walked through the flow" "$(grep -E 'FAIL|PROBLEM' "$T/walk.out" | head)"
grep '^flow: walked' "$T/walk.out"

# ---- the card's way, a cancel, a new draft with a code never entered, a failed login ----------------
start_server -- --dev --listen 127.0.0.1:0 --db "$DB" --config "$T/eimza.conf" --trust-dir "$T/trust" ||
  { fail "server starts" "$(head -c 1000 "$SERR")"; finish; }
json POST /api/v1/admin/login "$(jq -nc --arg p "$PW" '{username:"osman.op", password:$p}')"
SO=(-H "Authorization: Bearer $(jb .token)")
json POST /api/v1/admin/batches '{"province":72}' "${SO[@]}"
expect_code 201 "the operator orders the approved applications' cards"
NS=$(q "SELECT number FROM applications WHERE state = 'in_production' ORDER BY id LIMIT 1")
printf 'application_number;result;card_serial;carrier;tracking_number;reason\n%s;produced;AKIS-R1;Yurtiçi Kargo;YK-RET-1;\n' \
  "$NS" >"$T/answer.csv"
expect_status 0 "the bureau's answer: one card made and shipped" "$EIMZA" bureau import "$T/answer.csv" --db "$DB"
IS=$(q "SELECT id FROM applications WHERE number = '$NS'")
json POST "/api/v1/admin/applications/$IS/cancel" '{"reason":"Kart teslim edilemedi"}' "${SO[@]}"
expect_eq "200 cancelled" "$CODE $(jb .state)" "the operator cancels the shipped application"
expect_eq "1" "$(q "SELECT count(*) FROM cards WHERE application_id = $IS AND carrier <> '' AND tracking_number = 'YK-RET-1'")" \
  "its card keeps the carrier and tracking number"
TS=$(q "SELECT tckn FROM applications WHERE id = $IS")
p=$(jq -c --arg t "$TS" '.[] | select(.tckn == $t)' "$T/people.json")
login "$TS" "$(jq -r .first <<<"$p")" "$(jq -r .last <<<"$p")" "$(jq -r .place <<<"$p")" "$(jq -r .birth <<<"$p")"
B=(-H "Authorization: Bearer $TOKEN")
json POST /api/v1/application/new '{}' "${B[@]}"
expect_code 200 "the holder starts a new application"
json PUT /api/v1/application '{"security_word":"Gizli Sözcük","security_word_repeat":"Gizli Sözcük","address":"Yeni Sok. 2","postal_code":"72100","mobile_operator":"vodafone"}' "${B[@]}"
call POST /api/v1/application/otp "${B[@]}"
expect_code 200 "a code sent and never entered (the new draft)"
ND=$(q "SELECT number FROM applications WHERE tckn = '$TS' AND state = 'draft'")
login_body 10000000146 Yok Yok Yok 1980-01-01
json POST /api/v1/login "$BODY"
stop_server

# ---- the SMS delivered through a stand-in gateway: a code never outlives its delivery ---------------
# the SMS codes wait as the template otp_code and its values; the code is in none of them
otp_waiting=$(q "SELECT count(*) FROM outbox WHERE dedupe_key LIKE 'otp:%'")
expect_eq "$otp_waiting" "$(q "SELECT count(*) FROM outbox WHERE dedupe_key LIKE 'otp:%' AND template = 'otp_code' AND body = '' AND params LIKE '{\"number\":\"%\",\"minutes\":\"5\",\"seconds\":\"300\"}'")" \
  "the $otp_waiting SMS codes wait as otp_code and its values (number, minutes, seconds)"
start_sms_gateway "$T/gw.jsonl"
# in English: the otp_code template's text, with the code opened by --dev's key (a sender without
# the key leaves them waiting: test_notify_run)
sms_gateway_dev_conf "$T/gw.conf"
echo 'notify_language = en' >>"$T/gw.conf"
expect_status 0 "eimza notify run delivers the SMS" "$EIMZA" notify run --db "$DB" --config "$T/gw.conf"
kill "$MPID"
MPID=
codes_sent=$(q "SELECT count(*) FROM outbox WHERE status = 'sent' AND (dedupe_key LIKE 'otp:%' OR dedupe_key LIKE 'pin:%')")
[ "$codes_sent" -gt 0 ] && ok "$codes_sent SMS codes delivered" || fail "SMS codes delivered" "none"
expect_eq "$codes_sent" "$(q "SELECT count(*) FROM outbox WHERE status = 'sent' AND dedupe_key LIKE 'otp:%' AND recipient = '' AND body = ''")" \
  "each lost its recipient and body when it was delivered"
otp_sent=$(q "SELECT count(*) FROM outbox WHERE status = 'sent' AND dedupe_key LIKE 'otp:%'")
expect_eq "$codes_sent" "$((otp_sent + $(grep -c 'kodunuz' "$T/gw.jsonl")))" "(the gateway got them all)"
expect_eq "$otp_sent" "$(grep -cE 'Your SMS confirmation code for your e-signature application \([^)]+\): [0-9]{6}\. The code is valid for 5 minutes \(300 seconds\)\. Do not share this code with anyone\.' "$T/gw.jsonl")" \
  "the gateway got each SMS code in the words of otp_code (en), the code's place filled"
sent=$(q "SELECT count(*) FROM outbox WHERE status = 'sent' AND recipient <> ''")
# the codes a newer one replaced failed unsent (code_withdrawn), still holding their recipient
withdrawn=$(q "SELECT count(*) FROM outbox WHERE status = 'failed' AND last_error = 'code_withdrawn' AND recipient <> '' AND (dedupe_key LIKE 'otp:%' OR dedupe_key LIKE 'pin:%')")
expect_eq "$withdrawn" "$(q "SELECT count(*) FROM outbox WHERE status = 'failed'")" "the only failures are codes withdrawn unsent"
waiting=$(q "SELECT count(*) FROM outbox WHERE status <> 'sent' AND status <> 'failed'")
[ "$sent" -gt 0 ] && [ "$waiting" -gt 0 ] && ok "$sent other messages delivered, $waiting (e-mail) waiting" ||
  fail "delivered and waiting messages" "$sent sent, $waiting waiting"
closed=$(q "SELECT count(*) FROM applications WHERE state IN ('rejected', 'completed', 'cancelled')")
open=$(q "SELECT count(*) FROM applications WHERE state NOT IN ('rejected', 'completed', 'cancelled', 'draft', 'code_verified')")
[ "$closed" -ge 1 ] && [ "$open" -ge 1 ] && ok "$closed applications closed, $open still going" ||
  fail "closed and open applications" "$closed closed, $open open"
verify "before"

# fingerprint: what a dry run must leave as it was
fp() {
  q "SELECT (SELECT count(*) FROM sessions) || ' ' || (SELECT count(*) FROM captchas) || ' ' ||
       (SELECT count(*) FROM rate_limits) || ' ' ||
       (SELECT count(*) FROM application_otp WHERE code_hash <> '') || ' ' ||
       (SELECT count(*) FROM outbox WHERE recipient <> '') || ' ' ||
       (SELECT count(*) FROM applications WHERE address <> '') || ' ' ||
       (SELECT count(*) FROM applications) || ' ' || (SELECT count(*) FROM audit_log) || ' ' ||
       (SELECT count(*) FROM audit_log WHERE redacted_by <> 0) || ' ' || (SELECT count(*) FROM certificates)"
}
zero='{"sessions":0,"captchas":0,"rate_windows":0,"tickets":0,"sms_codes":0,"messages":0,"contact_data":0,"logins":0,"drafts":0,"applications":0,"audit_entries":0,"certificates":0}'
NOW=$(date -u +%s)
D=86400
Y=$((366 * D))
audit_runs() { q "SELECT count(*) FROM audit_log WHERE action = 'retention.run' AND actor = 'cli'"; }

# ---- a month on: sessions, captchas, windows, codes, delivered messages ------------------------------
before=$(fp)
expect_eq 1 "$(q "SELECT count(*) FROM application_otp WHERE code_hash <> ''")" "one SMS code still held (the one never entered)"
run --now "$(day $((NOW + 31 * D)))" --dry-run >"$T/dry.json"
expect_eq "$before" "$(fp)" "a dry run changes nothing and writes no audit entry"
expect_eq "true $((sent + withdrawn)) 1 0 0 0" "$(jq -r '"\(.dry_run) \(.removed.messages) \(.removed.sms_codes) \(.removed.contact_data) \(.removed.drafts) \(.removed.applications)"' "$T/dry.json")" \
  "a dry run counts what a run would remove"
run --now "$(day $((NOW + 31 * D)))" >"$T/run1.json" || fail "run" "$(cat "$T/ret.err")"
expect_eq "$(jq -c '.removed' "$T/dry.json")" "$(jq -c '.removed' "$T/run1.json")" "the run removes what the dry run counted"
expect_eq "0 0 0 0" "$(q "SELECT (SELECT count(*) FROM sessions) || ' ' || (SELECT count(*) FROM captchas) || ' ' || (SELECT count(*) FROM rate_limits) || ' ' || (SELECT count(*) FROM application_otp WHERE code_hash <> '')")" \
  "expired sessions, captchas, rate-limit windows and the expired code's hash are gone"
expect_eq 0 "$(q "SELECT count(*) FROM outbox WHERE status = 'sent' AND (recipient <> '' OR subject <> '' OR body <> '' OR template IS NOT NULL OR params IS NOT NULL)")" \
  "every delivered message lost its recipient, subject, body and values"
expect_eq 0 "$(q "SELECT count(*) FROM outbox WHERE status = 'sent' AND (channel = '' OR sent_at IS NULL)")" \
  "and kept its channel, status and times"
expect_eq "$waiting" "$(q "SELECT count(*) FROM outbox WHERE status <> 'sent' AND status <> 'failed' AND recipient <> '' AND (body <> '' OR params IS NOT NULL)")" \
  "messages not delivered keep theirs"
expect_eq 1 "$(audit_runs)" "the run is audited"
expect_eq "$(jq -c .removed "$T/run1.json")" \
  "$(q "SELECT detail FROM audit_log WHERE action = 'retention.run' AND actor = 'cli'" | jq -c 'del(.messages_days, .contact_years, .draft_days, .evidence_years)')" \
  "with its counts"
run --now "$(day $((NOW + 31 * D)))" >"$T/run2.json"
expect_eq "$zero" "$(jq -c .removed "$T/run2.json")" "a second run removes nothing"

# ---- the draft never submitted: 180 days after its last change ----------------------------------------
dchg=$(q "SELECT updated_at FROM applications WHERE number = '$ND'")
dentries=$(q "SELECT count(*) FROM audit_log WHERE object = '$ND'")
run --now "$(day $((dchg + 179 * D)))" >"$T/r.json"
expect_eq 0 "$(jq .removed.drafts "$T/r.json")" "the draft: not a day before 180 days"
run --now "$(day $((dchg + 181 * D)))" >"$T/r.json"
expect_eq "1 $dentries" "$(jq -r '"\(.removed.drafts) \(.removed.audit_entries)"' "$T/r.json")" \
  "the draft removed, its $dentries audit entries anonymised"
expect_eq "0 0 0 0" "$(q "SELECT (SELECT count(*) FROM applications WHERE number = '$ND') || ' ' || (SELECT count(*) FROM audit_log WHERE object = '$ND') || ' ' || (SELECT count(*) FROM audit_log WHERE detail LIKE '%$ND%') || ' ' || (SELECT count(*) FROM audit_log WHERE redacted_by <> 0 AND (actor LIKE 'applicant:%' OR object <> '' OR detail <> '{}'))")" \
  "nothing of the draft is left: no row, no audit entry naming it, the anonymised ones only their role"
expect_eq 1 "$(q "SELECT count(*) FROM audit_log WHERE action = 'audit.anonymised' AND detail LIKE '{\"entries\":$dentries,%'")" \
  "one audit.anonymised entry vouches for them"
verify "drafts"
expect_grep "; $dentries anonymised by the retention$" "$T/verify.out" "audit verify names the anonymised entries"

# ---- two years on: the closed applications' contact data, the logins ---------------------------------
last=$(q "SELECT max(updated_at) FROM applications WHERE state IN ('rejected', 'completed', 'cancelled')")
run --now "$(day $((last + 2 * Y - D)))" >"$T/r.json"
expect_eq 0 "$(jq .removed.contact_data "$T/r.json")" "contact data: not a day before two years"
keep=$(q "SELECT count(*) FROM applications WHERE state IN ('rejected', 'completed', 'cancelled') AND tckn <> '' AND first_name <> '' AND institution_name <> '' AND province = 72")
logins=$(q "SELECT count(*) FROM audit_log WHERE action IN ('login', 'login.lockout') AND redacted_by = 0")
run --now "$(day $((last + 2 * Y + D)))" >"$T/r.json" || fail "run" "$(cat "$T/ret.err")"
expect_eq "$closed $logins" "$(jq -r '"\(.removed.contact_data) \(.removed.logins)"' "$T/r.json")" \
  "contact data of every closed application, and the $logins logins, two years on"
expect_eq "$closed" "$(q "SELECT count(*) FROM applications WHERE state IN ('rejected', 'completed', 'cancelled') AND address = '' AND district = '' AND postal_code = '' AND email = '' AND mobile_phone = '' AND home_phone = '' AND work_phone = '' AND mobile_operator = '' AND security_word_hash = '' AND anonymised_at > 0")" \
  "address, postal code, e-mail, phones, operator and the security word's hash removed"
expect_eq "$keep" "$(q "SELECT count(*) FROM applications WHERE state IN ('rejected', 'completed', 'cancelled') AND tckn <> '' AND first_name <> '' AND institution_name <> '' AND province = 72")" \
  "the identity, the institution and the province stay (registration evidence)"
expect_eq "1 0" "$(q "SELECT count(*), sum(length(carrier) + length(tracking_number)) FROM cards WHERE application_id = $IS")" \
  "the cancelled application's card lost its carrier and tracking number"
expect_eq 0 "$(q "SELECT count(*) FROM applications WHERE state NOT IN ('rejected', 'completed', 'cancelled') AND address = ''")" \
  "applications still going keep everything"
expect_eq "$last" "$(q "SELECT max(updated_at) FROM applications WHERE state IN ('rejected', 'completed', 'cancelled')")" \
  "closing times do not move"
expect_eq 0 "$(q "SELECT count(*) FROM audit_log WHERE actor LIKE 'applicant:%' AND action IN ('login', 'login.lockout')")" \
  "no login in the audit log names an applicant any more"
verify "contact data"

# ---- certificates that ended seven years ago and that nothing names -----------------------------------
cend=$(q "SELECT max(not_after) FROM certificates")
certs=$(q "SELECT count(*) FROM certificates")
named=$(q "SELECT count(*) FROM certificates c WHERE EXISTS (SELECT 1 FROM cards k WHERE k.certificate_id = c.id) OR EXISTS (SELECT 1 FROM applications a WHERE a.new_cert_id = c.id)")
run --now "$(day $((cend + 7 * Y - D)))" >"$T/r.json"
expect_eq "0 $certs" "$(jq -r .removed.certificates "$T/r.json") $(q "SELECT count(*) FROM certificates")" \
  "certificates: not a day before seven years past their end"
run --now "$(day $((cend + 7 * Y + D)))" >"$T/r.json" || fail "run" "$(cat "$T/ret.err")"
expect_eq "$((certs - named)) $named" "$(jq -r .removed.certificates "$T/r.json") $(q "SELECT count(*) FROM certificates")" \
  "the $((certs - named)) certificates nothing names removed seven years past their end, $named kept"
expect_eq 0 "$(q "SELECT count(*) FROM certificate_warnings w WHERE NOT EXISTS (SELECT 1 FROM certificates c WHERE c.id = w.certificate_id)")" \
  "with their warning marks"
verify "certificates"

# ---- the evidence, kept seven years past the certificate's latest end ----------------------------------
vy=$(q "SELECT max(validity_years) FROM applications WHERE state IN ('rejected', 'completed', 'cancelled')")
end=$((last + (vy + 1 + 7) * Y))
run --now "$(day $((end - D)))" >"$T/r.json"
expect_eq 0 "$(jq .removed.applications "$T/r.json")" "evidence: not a day before seven years past the certificate's latest end"
sigs=$(q "SELECT count(*) FROM signatures")
gone=$(q "SELECT count(*) FROM signatures s JOIN applications a ON a.id = s.application_id WHERE a.state IN ('rejected', 'completed', 'cancelled')")
numbers=$(q "SELECT number FROM applications WHERE state IN ('rejected', 'completed', 'cancelled')")
entries=0
for n in $numbers; do entries=$((entries + $(q "SELECT count(*) FROM audit_log WHERE object = '$n'"))); done
run --now "$(day $((end + D)))" >"$T/r.json" || fail "run" "$(cat "$T/ret.err")"
expect_eq "$closed $entries" "$(jq -r '"\(.removed.applications) \(.removed.audit_entries)"' "$T/r.json")" \
  "evidence past its time: the closed applications removed, their $entries audit entries anonymised"
expect_eq "0 0 0 0 0" "$(q "SELECT (SELECT count(*) FROM applications WHERE state IN ('rejected', 'completed', 'cancelled')) || ' ' || (SELECT count(*) FROM decisions d WHERE NOT EXISTS (SELECT 1 FROM applications a WHERE a.id = d.application_id)) || ' ' || (SELECT count(*) FROM application_events e WHERE NOT EXISTS (SELECT 1 FROM applications a WHERE a.id = e.application_id)) || ' ' || (SELECT count(*) FROM application_otp o WHERE NOT EXISTS (SELECT 1 FROM applications a WHERE a.id = o.application_id)) || ' ' || (SELECT count(*) FROM cards WHERE application_id = $IS)")" \
  "with their decisions, timelines, code state and cards"
expect_eq $((sigs - gone)) "$(q "SELECT count(*) FROM signatures")" "and their signatures, the others' kept"
for n in $numbers; do
  [ "$(q "SELECT count(*) FROM audit_log WHERE object = '$n' OR detail LIKE '%$n%'")" = 0 ] || fail "no audit entry names $n" "$(q "SELECT seq, action FROM audit_log WHERE object = '$n'")"
done
ok "no audit entry names a removed application"
expect_eq "$open" "$(q "SELECT count(*) FROM applications WHERE state NOT IN ('rejected', 'completed', 'cancelled', 'draft', 'code_verified') AND address <> ''")" \
  "applications still going are untouched"
verify "evidence"
run --now "$(day $((end + D)))" >"$T/r.json"
expect_eq "$zero" "$(jq -c .removed "$T/r.json")" "a second run removes nothing"

# ---- an anonymised entry changed afterwards breaks the chain ---------------------------------------------
seq=$(q "SELECT min(seq) FROM audit_log WHERE redacted_by <> 0")
was=$(q "SELECT action FROM audit_log WHERE seq = $seq")
by=$(q "SELECT redacted_by FROM audit_log WHERE seq = $seq")
q "UPDATE audit_log SET action = 'application.approve' WHERE seq = $seq" >/dev/null
expect_status 2 "an anonymised entry changed: audit verify fails" "$EIMZA" audit verify --db "$DB"
expect_grep "^audit: chain broken at entry $seq: changed" "$T/out" "naming it"
q "UPDATE audit_log SET action = '$was' WHERE seq = $seq" >/dev/null
q "UPDATE audit_log SET redacted_by = 0 WHERE seq = $seq" >/dev/null
expect_status 2 "an anonymised entry passed off as written: audit verify fails" "$EIMZA" audit verify --db "$DB"
expect_grep "^audit: chain broken at entry $seq: changed" "$T/out" "naming it"
q "UPDATE audit_log SET redacted_by = $by WHERE seq = $seq" >/dev/null
expect_status 0 "put back, it verifies again" "$EIMZA" audit verify --db "$DB"

# ---- the settings -----------------------------------------------------------------------------------
printf 'retention_evidence_years = 5\n' >"$T/short.conf"
expect_status 1 "evidence kept under seven years is refused" "$EIMZA" retention run --db "$DB" --config "$T/short.conf"
expect_grep "retention_evidence_years" "$T/err" "naming the setting"
expect_status 1 "serve --check refuses it too" "$EIMZA" serve --check --db "$DB" --config "$T/short.conf"
expect_grep "retention_evidence_years" "$T/err" "naming the setting"
printf 'retention_contact_years = 9\n' >"$T/long.conf"
expect_status 1 "contact data kept longer than the evidence is refused" "$EIMZA" serve --check --db "$DB" --config "$T/long.conf"
expect_grep "retention_contact_years is longer than retention_evidence_years" "$T/err" "saying why"
printf 'retention_draft_days = 0\n' >"$T/zero.conf"
expect_status 1 "drafts kept 0 days is refused" "$EIMZA" retention run --db "$DB" --config "$T/zero.conf"
expect_grep "retention_draft_days" "$T/err" "naming the setting"
expect_status 1 "--now must be a date" "$EIMZA" retention run --db "$DB" --now 2030-13-01
expect_status 1 "an unknown subcommand" "$EIMZA" retention purge --db "$DB"

# ---- the privacy notice states the configured periods; serve runs it at start-up -------------------
printf 'retention_messages_days = 45\nretention_contact_years = 3\nretention_draft_days = 90\nretention_evidence_years = 10\n' >"$T/p.conf"
n=$(q "SELECT count(*) FROM audit_log WHERE action = 'retention.run' AND actor = 'serve'")
start_server -- --dev --listen 127.0.0.1:0 --db "$DB" --config "$T/p.conf" || { fail "server starts"; finish; }
call GET /
tr -s ' \n' ' ' <"$T/b" >"$T/page"
expect_grep 'kaydedilişinin üzerinden 45 gün geçince silinir' "$T/page" "the notice: messages, 45 days"
expect_grep 'SMS[^ ]* \(başvurunuzun ya da kart PIN[^ ]* kodu\) alıcısı ve içeriği ise iletildiği anda silinir' "$T/page" \
  "the notice: a code's message at once"
expect_grep 'başvuru sonuçlandıktan 3 yıl sonra silinir' "$T/page" "the notice: contact data, 3 years"
expect_grep 'kaydedildikten 3 yıl sonra anonimleştirilir' "$T/page" "the notice: logins, 3 years"
expect_grep 'son değişikliğinden 90 gün sonra' "$T/page" "the notice: drafts, 90 days"
expect_grep 'süresi bittikten sonra 10 yıl saklanır' "$T/page" "the notice: evidence, 10 years"
call GET '/?lang=en'
tr -s ' \n' ' ' <"$T/b" >"$T/page"
expect_grep '45 days have passed since it was queued' "$T/page" "the notice in English"
for _ in $(seq 1 100); do
  [ "$(q "SELECT count(*) FROM audit_log WHERE action = 'retention.run' AND actor = 'serve'")" -gt "$n" ] && break
  sleep 0.05
done
expect_eq $((n + 1)) "$(q "SELECT count(*) FROM audit_log WHERE action = 'retention.run' AND actor = 'serve'")" \
  "eimza serve runs the retention at start-up, audited"
q "SELECT detail FROM audit_log WHERE action = 'retention.run' AND actor = 'serve'" >"$T/serve.detail"
expect_grep '"draft_days":90' "$T/serve.detail" "with the server's periods"
stop_server
finish
