#!/usr/bin/env bash
# eimza — the demo data set (scripts/demo.sh create) built into a temporary directory and a
# fresh database of the backend under test (EIMZA_DEMO_DIR, EIMZA_DEMO_DB): 300 people, every
# T.C. Kimlik No valid, certificates at each planned stage counted from today, the CRL's
# revocations applied, the applicant's own key, the certificates shaped like NES ones, a second
# `create` reusing the directory, and `serve` printing the demo login before it starts the
# server (the server itself is replaced by a stub here).
source "$EIMZA_SOURCE_DIR/tests/lib.sh"

DB=$(new_db) || exit 1
export EIMZA_DEMO_DIR=$T/demo EIMZA_DEMO_DB=$DB EIMZA_BIN=$EIMZA EIMZA_TOOLS=${EIMZA_TOOLS:?}
D=$EIMZA_DEMO_DIR

sql() {
  case "${EIMZA_TEST_BACKEND:-sqlite}" in
    sqlite) sqlite3 -cmd ".timeout 10000" -separator ' ' "${DB#sqlite:}" "$1" ;;
    postgresql) psql -X -q -At -F ' ' "$DB" -c "$1" ;;
  esac
}

# ---- refuses to delete a directory it did not make -----------------------------------------------
mkdir -p "$T/notdemo" && echo keep >"$T/notdemo/file"
EIMZA_DEMO_DIR=$T/notdemo expect_status 2 "a foreign directory is not replaced" \
  "$SRC/scripts/demo.sh" create
expect_eq keep "$(cat "$T/notdemo/file" 2>&1)" "and its files stay"

# ---- create ---------------------------------------------------------------------------------------
start=$SECONDS
expect_status 0 "demo.sh create" "$SRC/scripts/demo.sh" create
took=$((SECONDS - start))
[ "$took" -lt 120 ] && ok "create took ${took}s" || fail "create is too slow" "${took}s"
now=$(date +%s)
for f in README.txt personnel.csv certspec.tsv applicant.txt pki/root/root.pem pki/nes/nes.pem \
  pki/nes/index.txt pki/chain.pem pki/holders.pem pki/crl/demo-nes.crl pki/applicant/key.pem \
  pki/applicant/cert.pem pki/ocsp/ocsp.pem trust/root.pem trust/nes.pem \
  trust/root_kamusm_kok_shs_surum7_ecc.pem softhsm/softhsm2.conf; do
  [ -s "$D/$f" ] && ok "$f exists" || fail "$f missing"
done
[ "${EIMZA_TEST_BACKEND:-sqlite}" = postgresql ] && [ -e "$D/eimza.db" ] &&
  fail "EIMZA_DEMO_DB was not honoured" "$D/eimza.db was made"

expect_eq 300 "$(sql 'SELECT count(*) FROM personnel')" "300 people"
expect_eq 5 "$(sql 'SELECT count(DISTINCT province) FROM personnel')" "five provinces"
planned=$(awk -F'\t' '$2 != "none"' "$D/certspec.tsv" | wc -l)
expect_eq "$planned" "$(sql 'SELECT count(*) FROM certificates')" "every planned certificate imported ($planned)"

# Every T.C. Kimlik No, in the personnel table and in the certificates, passes the checksum.
sql 'SELECT tckn FROM personnel UNION ALL SELECT tckn FROM certificates' >"$T/tckns"
bad=$(awk '{
  if (length($1) != 11 || $1 !~ /^[1-9][0-9]+$/) { print; next }
  split($1, d, ""); o = d[1] + d[3] + d[5] + d[7] + d[9]; e = d[2] + d[4] + d[6] + d[8]
  d10 = ((o * 7 - e) % 10 + 10) % 10; s = 0; for (i = 1; i <= 10; i++) s += d[i]
  if (d10 != d[10] || s % 10 != d[11]) print }' "$T/tckns" | wc -l)
expect_eq 0 "$bad" "all $(wc -l <"$T/tckns") T.C. Kimlik No valid"
expect_eq 0 "$(sql 'SELECT count(*) FROM certificates c WHERE NOT EXISTS (SELECT 1 FROM personnel p WHERE p.tckn = c.tckn)')" \
  "every certificate belongs to a person"

# ---- stages, counted from today -------------------------------------------------------------------
sql 'SELECT tckn, not_after, CASE WHEN revoked_at IS NULL THEN 0 ELSE 1 END FROM certificates' >"$T/certs"
# For each person of the plan: stage, planned days, days left now (floor), revoked, how many
# certificates they hold.
awk -v now="$now" 'NR == FNR { na[$1] = $2; rv[$1] = $3; n[$1]++; next }
  { d = ""; if ($1 in na) { x = (na[$1] - now) / 86400; d = int(x); if (d > x) d-- }
    print $2, ($3 == "" ? "-" : $3), (d == "" ? "-" : d), ($1 in rv ? rv[$1] : "-"), n[$1] + 0 }' \
  "$T/certs" FS='\t' "$D/certspec.tsv" >"$T/stages"
stage_check() { # stage: all its people hold one certificate with days left as planned
  local stage=$1 want_n=$2
  local n wrong
  n=$(awk -v s="$stage" '$1 == s' "$T/stages" | wc -l)
  wrong=$(awk -v s="$stage" '$1 == s && ($5 != 1 || $2 != $3)' "$T/stages" | head -3 | tr '\n' '|')
  [ "$n" -ge "$want_n" ] && [ -z "$wrong" ] && ok "stage $stage: $n certificates, days left as planned" ||
    fail "stage $stage" "n=$n (want >= $want_n), wrong: $wrong"
}
stage_check applicant 1
expect_eq 1 "$(awk '$1 == "applicant"' "$T/stages" | wc -l)" "exactly one applicant"
expect_eq "applicant 45 45 0 1" "$(awk '$1 == "applicant"' "$T/stages")" "the applicant's expires in 45 days, not revoked"
for s in d100 d80 d45 d20 expired revoked; do stage_check $s 5; done
expect_eq "$(awk '$1 == "d100"' "$T/stages" | head -1 | cut -d' ' -f3)" 100 "d100 is 100 days from today"
expect_eq "$(awk '$1 == "expired"' "$T/stages" | head -1 | cut -d' ' -f3)" -10 "expired 10 days ago"
far_wrong=$(awk '$1 == "far" && ($3 < 366 || $5 != 1)' "$T/stages" | wc -l)
far_n=$(awk '$1 == "far"' "$T/stages" | wc -l)
[ "$far_n" -ge 200 ] && [ "$far_wrong" = 0 ] && ok "$far_n far certificates, all > 1 year" ||
  fail "far stage" "n=$far_n wrong=$far_wrong"
none_n=$(awk '$1 == "none"' "$T/stages" | wc -l)
none_wrong=$(awk '$1 == "none" && $5 != 0' "$T/stages" | wc -l)
[ "$none_n" -ge 1 ] && [ "$none_wrong" = 0 ] && ok "$none_n people without a certificate" ||
  fail "none stage" "n=$none_n wrong=$none_wrong"

# ---- revocations ------------------------------------------------------------------------------------
expect_eq "$(awk '$1 == "revoked"' "$T/stages" | wc -l)" "$(sql 'SELECT count(*) FROM certificates WHERE revoked_at IS NOT NULL')" \
  "exactly the revoked stage is revoked"
expect_eq 0 "$(awk '$1 == "revoked" && $4 != 1' "$T/stages" | wc -l)" "every revoked-stage certificate is marked"
crl_serials=$(openssl crl -inform DER -in "$D/pki/crl/demo-nes.crl" -noout -text | grep -c 'Serial Number')
expect_eq "$(awk '$1 == "revoked"' "$T/stages" | wc -l)" "$crl_serials" "the CRL lists them"
expect_eq "$crl_serials" "$(grep -c '^R' "$D/pki/nes/index.txt")" "the CA index (for OCSP) agrees"

# ---- the certificates' shape -------------------------------------------------------------------------
A=$D/pki/applicant
openssl verify -CAfile "$D/pki/root/root.pem" -untrusted "$D/pki/nes/nes.pem" "$A/cert.pem" >"$T/v" 2>&1
expect_grep ': OK' "$T/v" "the applicant's certificate chains to the demo root"
openssl x509 -in "$A/cert.pem" -noout -text -nameopt RFC2253,-esc_msb >"$T/a.txt"
applicant_tckn=$(cut -f1 "$D/applicant.txt")
expect_grep "Subject: serialNumber=$applicant_tckn,CN=[^,]+,C=TR" "$T/a.txt" "subject C, CN, serialNumber (bare)"
expect_grep 'Issuer: CN=eimza Demo NES SHS' "$T/a.txt" "issued by the NES sub-CA"
expect_grep 'Key Usage: critical' "$T/a.txt" "key usage critical"
expect_grep 'Digital Signature, Non Repudiation' "$T/a.txt" "non-repudiation"
expect_grep 'Policy: 2\.16\.792\.1\.2\.1\.1\.5\.7\.1\.1' "$T/a.txt" "NES policy"
expect_grep 'OCSP - URI:http://127\.0\.0\.1:8081/ocsp' "$T/a.txt" "OCSP URL"
expect_grep 'URI:http://127\.0\.0\.1:8081/crl/demo-nes\.crl' "$T/a.txt" "CRL URL"
openssl asn1parse -in "$A/cert.pem" >"$T/a.asn1"
off=$(grep -A1 ':qcStatements' "$T/a.asn1" | tail -1 | cut -d: -f1 | tr -d ' ')
openssl asn1parse -in "$A/cert.pem" -strparse "$off" >"$T/qc.asn1" 2>&1
expect_grep ':0\.4\.0\.1862\.1\.1' "$T/qc.asn1" "QC statement: ETSI QcCompliance"
expect_grep ':2\.16\.792\.1\.61\.0\.1\.5070\.1\.1' "$T/qc.asn1" "QC statement: 5070"
a_pub=$(openssl x509 -in "$A/cert.pem" -noout -pubkey)
expect_eq "$a_pub" "$(openssl pkey -in "$A/key.pem" -pubout)" "the applicant's key matches the certificate"
[ "$a_pub" != "$(openssl pkey -in "$D/pki/keys/holders.key" -pubout)" ] &&
  ok "the applicant has a key of their own" || fail "the applicant shares the holders' key"

# The applicant can apply: in service, entitled (read through personnel show when it exists).
if "$EIMZA" personnel show "$applicant_tckn" --db "$DB" >"$T/show.json" 2>"$T/show.err" &&
  command -v jq >/dev/null; then
  expect_eq '[true,45,"valid"]' "$(jq -c '[.eligibility.eligible,.certificate.days_left,.certificate.status]' "$T/show.json")" \
    "personnel show: eligible, 45 days left"
else
  echo "# personnel show not available: $(head -c 200 "$T/show.err")"
  expect_eq "aktif 1" "$(sql "SELECT duty, entitled FROM personnel WHERE tckn = '$applicant_tckn'")" \
    "the applicant is in service and entitled"
fi

# ---- the demo card and the staff ---------------------------------------------------------------------------
SOFTHSM2_CONF=$D/softhsm/softhsm2.conf softhsm2-util --show-slots >"$T/slots" 2>&1
expect_grep 'Label: +eimza-demo' "$T/slots" "the demo card (SoftHSM2 token eimza-demo)"
expect_eq "admin admin 0|onay06 approver 6|onay35 approver 35|operator operator 0" \
  "$(sql 'SELECT username, role, province FROM users ORDER BY username' | paste -sd'|')" \
  "staff accounts: two approvers, an operator, an admin"
napps=$(wc -l <"$D/applications.txt")
[ "$napps" -ge 4 ] && ok "$napps applications waiting" || fail "applications" "$(cat "$D/applications.txt")"
expect_eq "$napps" "$(sql "SELECT count(*) FROM applications a JOIN personnel p ON p.tckn = a.tckn WHERE p.province IN (6, 35) AND a.state IN ('submitted', 'awaiting_original')")" \
  "they wait in Ankara and İzmir, submitted or waiting for their paper"
expect_eq 0 "$(sql "SELECT count(*) FROM applications a WHERE NOT EXISTS (SELECT 1 FROM application_events e WHERE e.application_id = a.id AND e.event = 'created')")" \
  "each with its timeline"
expect_grep '"queued":\{"expiry_90":[0-9]+' "$D/notify-scan.json" "the expiry scan queued the warnings"
[ "$(sql "SELECT count(*) FROM outbox WHERE dedupe_key LIKE 'warn:%'")" -ge 10 ] &&
  ok "warnings wait in the development outbox" || fail "warnings in the outbox"
expect_eq "onay06@meb.gov.tr onay35@meb.gov.tr" "$(sql "SELECT recipient FROM outbox WHERE dedupe_key LIKE 'digest:%' ORDER BY recipient" | xargs)" \
  "each approver's daily digest waits there too"
"$EIMZA" notify failed --db "$DB" >"$T/failed.json" 2>"$T/failed.err"
[ "$(jq '[.[] | select(.status == "failed")] | length' "$T/failed.json" 2>/dev/null)" = 1 ] &&
  ok "one SMS the demo gateway refused, in the operator's view of failed messages" ||
  fail "notify failed" "$(head -c 600 "$T/failed.json" "$T/failed.err")"

# ---- in-house production: the CA, blank cards, an approved application to follow ------------------------
expect_grep 'Label: +eimza-demo-ca' "$T/slots" "the in-house CA's token beside the demo card"
expect_eq 5 "$(grep -cE 'Label: +eimza-bos *$' "$T/slots")" "five blank cards"
expect_eq 5 "$(wc -l <"$D/blank-cards.txt")" "their serial numbers listed"
cmp -s "$D/pki/inhouse/ca.pem" "$D/trust/inhouse-ca.pem" && ok "the in-house CA is a trust anchor" ||
  fail "trust/inhouse-ca.pem"
expect_grep '^production = inhouse$' "$D/eimza.conf" "the server makes cards in house"
expect_eq 600 "$(stat -c %a "$D/secrets.conf")" "its secrets are the owner's only"
expect_grep '^pin_key = [0-9a-f]{64}$' "$D/secrets.conf" "with a PIN key"
read -r hnum htckn hstate _ <"$D/approved.txt"
expect_eq approved "$hstate" "an approved application"
expect_eq "$htckn" "$(cut -f1 "$D/card-holder.txt")" "its holder's login data kept"
expect_eq "approved 1" "$(sql "SELECT state, CASE WHEN approved_at > 0 THEN 1 ELSE 0 END FROM applications WHERE number = '$hnum'")" \
  "in the database, with its approval time"
hend=$(sql "SELECT not_after FROM certificates WHERE tckn = '$htckn'")
[ $((hend - now)) -lt $((366 * 86400)) ] && ok "the certificate it renews ends within a year" ||
  fail "the holder's certificate ends too late for a renewal" "$hend"
# the demo's pinentry: 123456 for the demo card, card.pin for another, else cancelled
pe() { printf 'SETDESC %s\nGETPIN\nBYE\n' "$1" | EIMZA_DEMO_PIN_FILE=$D/card.pin "$SRC/scripts/demo-pinentry.sh"; }
expect_eq "D 123456" "$(pe "«eimza-demo» kartının PIN'ini girin." | grep '^D ')" "pinentry: the demo card's PIN"
# (the answer read whole first: grep -q on the pipe could stop the reader early and, under
# pipefail, fail the pipeline by the writer's SIGPIPE)
pe_out=$(pe "«eimza-bos» kartının PIN'ini girin.")
grep -q '^ERR 83886179' <<<"$pe_out" && ok "pinentry: a new card without card.pin: cancelled" ||
  fail "pinentry without card.pin" "$pe_out"
echo 482913 >"$D/card.pin"
expect_eq "D 482913" "$(pe "«eimza-bos» kartının PIN'ini girin." | grep '^D ')" "pinentry: a new card's PIN from card.pin"
rm -f "$D/card.pin"

# ---- a second create reuses the directory ---------------------------------------------------------------
before=$(stat -c %Y "$D/pki/holders.pem")
expect_status 0 "create again" "$SRC/scripts/demo.sh" create
expect_grep 'reusing' "$T/out" "reuses the complete demo"
expect_eq "$before" "$(stat -c %Y "$D/pki/holders.pem")" "nothing rebuilt"
expect_eq "$planned" "$(sql 'SELECT count(*) FROM certificates')" "the database is unchanged"

# ---- serve prints the demo login, then starts the server (a stub here) -----------------------------------
# The stub of the foreground server (8080) returns only once the background https one (8443)
# has written its line: demo.sh stops its children when serve returns, and on a loaded machine
# it could otherwise stop the https stub before that stub ever ran.
cat >"$T/eimza-stub" <<EOF
#!/usr/bin/env bash
if [ "\$1" = serve ] || [ "\$1" = agent ]; then
  echo "STUB \$*"
  case " \$* " in
  *" 127.0.0.1:8080 "*)
    for _ in \$(seq 1 200); do grep -q 'STUB serve' "$D/https.log" 2>/dev/null && break; sleep 0.05; done ;;
  esac
  exit 0
fi
exec "$EIMZA" "\$@"
EOF
chmod +x "$T/eimza-stub"
EIMZA_BIN=$T/eimza-stub expect_status 0 "serve" "$SRC/scripts/demo.sh" serve
expect_grep "Kimlik No +$applicant_tckn" "$T/out" "prints the applicant's T.C. Kimlik No"
expect_grep "Doğum Yeri +$(cut -f7 "$D/applicant.txt")" "$T/out" "and birth place"
expect_grep "Doğum Tarihi +$(cut -f8 "$D/applicant.txt")" "$T/out" "and birth date"
expect_grep 'onay35 +approver, İzmir' "$T/out" "prints the approvers' logins"
expect_grep "eimza agent --config $D/agent.conf" "$T/out" "starts the signing agent with the demo card"
expect_eq "ca_file listen module origin origin" "$(sed -n 's/^\([a-z_]*\) = .*/\1/p' "$D/agent.conf" | sort | paste -sd' ')" \
  "the agent's settings name its module, both portals, the TLS CA and the listener"
expect_grep '^origin = https://127\.0\.0\.1:8443$' "$D/agent.conf" "…the https portal among its origins"
expect_eq 600 "$(stat -c %a "$D/agent.conf")" "…in a file only its owner may write"
expect_grep 'STUB serve --db .* --listen 127\.0\.0\.1:8443 --trust-dir .*/trust --dev .*--config .*/https\.conf' \
  "$D/https.log" "and over HTTPS on 8443 beside it"
expect_grep '^portal_url = https://127\.0\.0\.1:8443/$' "$D/portal.conf" "both name the https portal (the relay's)"
openssl verify -CAfile "$D/tls/ca.pem" "$D/tls/server.pem" >"$T/verify" 2>&1 &&
  ok "the demo TLS certificate chains to the demo TLS CA" || fail "demo TLS" "$(cat "$T/verify")"
openssl x509 -in "$D/tls/server.pem" -noout -ext subjectAltName >"$T/san" 2>&1
expect_grep 'IP Address:127\.0\.0\.1' "$T/san" "…for 127.0.0.1"
expect_grep 'DNS:localhost' "$T/san" "…and localhost"
expect_grep "certutil -d sql:.*-i $D/tls/ca.pem" "$T/out" "says how to trust it (Chromium)"
expect_grep 'Authorities > Import' "$T/out" "…and in Firefox"
expect_grep 'STUB serve --db .* --listen 127\.0\.0\.1:8080 --trust-dir .*/trust --dev --config .*/eimza\.conf --config .*/secrets\.conf --config .*/portal\.conf' "$T/out" \
  "then serves in --dev mode with the demo trust anchors and in-house production"
expect_grep "application $hnum is approved" "$T/out" "prints the approved application to follow"
expect_grep "Kimlik No $htckn" "$T/out" "and its holder's login"

finish
