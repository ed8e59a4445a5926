#!/usr/bin/env bash
# eimza — `eimza import certificates FILE...`: PEM with several certificates, DER, CRLs
# (revocations, unknown serials, any file order), idempotence, and the refusals: no T.C.
# Kimlik No (no_tckn), garbage (not_certificate), a missing file (file_unreadable), CA
# certificates skipped. Exit status: 0 all imported, 3 some refused, 2 unreadable file or
# database failure, 1 usage. The certificates are made here with the openssl CLI; the holders'
# numbers come from eimza-gen. Runs on both backends.
source "$EIMZA_SOURCE_DIR/tests/lib.sh"
GEN=${EIMZA_TOOLS:?}/eimza-gen

DB=$(new_db) || exit 1

# sql QUERY: one value from the database under test.
sql() {
  case "${EIMZA_TEST_BACKEND:-sqlite}" in
    sqlite) sqlite3 -cmd ".timeout 10000" "${DB#sqlite:}" "$1" ;;
    postgresql) psql -X -q -At "$DB" -c "$1" ;;
  esac
}

# ---- a small CA and its holders -------------------------------------------------------------
expect_status 0 "eimza-gen makes the people" "$GEN" personnel --count 6 --seed 7 --provinces 72
cp "$T/out" "$T/people.csv"
mapfile -t TCKNS < <(tail -n +2 "$T/people.csv" | cut -d';' -f1)
expect_eq 6 "${#TCKNS[@]}" "six people"

cd "$T" || exit 1
mkdir -p ca/newcerts
: >ca/index.txt
echo 1000 >ca/crlnumber
cat >ca.cnf <<EOF
[ ca ]
default_ca = test_ca
[ test_ca ]
dir = $T/ca
database = \$dir/index.txt
new_certs_dir = \$dir/newcerts
serial = \$dir/serial
crlnumber = \$dir/crlnumber
certificate = $T/ca.pem
private_key = $T/ca.key
default_md = sha256
default_crl_days = 7
policy = policy_any
[ policy_any ]
commonName = supplied
[ req ]
distinguished_name = dn
string_mask = utf8only
[ dn ]
[ holder ]
basicConstraints = critical, CA:FALSE
keyUsage = critical, nonRepudiation, digitalSignature
certificatePolicies = 2.16.792.1.2.1.1.5.7.1.1
EOF
ossl() { openssl "$@" 2>>"$T/openssl.log" || { echo "openssl $1 failed: $(tail -5 "$T/openssl.log")"; exit 1; }; }
ossl genpkey -algorithm EC -pkeyopt ec_paramgen_curve:P-256 -out ca.key
ossl req -x509 -new -config ca.cnf -utf8 -key ca.key -out ca.pem -days 3650 \
  -subj "/C=TR/O=eimza Test/CN=Test NES SHS" \
  -addext "basicConstraints=critical,CA:TRUE" -addext "keyUsage=critical,keyCertSign,cRLSign"
ossl genpkey -algorithm EC -pkeyopt ec_paramgen_curve:P-256 -out holder.key
# cert NAME SERIAL SUBJECT: a holder certificate signed by the test CA, PEM in NAME.pem
cert() {
  ossl req -new -config ca.cnf -utf8 -key holder.key -subj "$3" -out "$1.csr"
  ossl x509 -req -in "$1.csr" -CA ca.pem -CAkey ca.key -set_serial "$2" -days 400 \
    -extfile ca.cnf -extensions holder -out "$1.pem"
}
cert c1 0x1001 "/C=TR/CN=AYŞE YILMAZ/serialNumber=${TCKNS[0]}"
cert c2 0x1002 "/C=TR/CN=ÇAĞRI ÖZTÜRK/serialNumber=${TCKNS[1]}"
cert c3 0x1003 "/C=TR/CN=İLKNUR ŞAHİN/serialNumber=PNOTR-${TCKNS[2]}"
cert c4 0x1004 "/C=TR/CN=ZEYNEP IŞIK/serialNumber=${TCKNS[3]}"
cert c5 0x1005 "/C=TR/CN=MEHMET KAYA/serialNumber=${TCKNS[4]}"
cert nos 0x1006 "/C=TR/CN=sunucu.meb.gov.tr"
cert bad 0x1007 "/C=TR/CN=ALİ VELİ/serialNumber=10000000147" # wrong check digits
{ echo "Bag Attributes: some text before the blocks"; cat c1.pem c2.pem c3.pem; } >three.pem
ossl x509 -in c4.pem -outform DER -out c4.der
# crl NAME SERIAL...: a CRL of the test CA listing the serials (hex, without 0x)
crl() {
  local name=$1; shift
  : >ca/index.txt
  for s in "$@"; do
    printf 'R\t301231235959Z\t240101000000Z,keyCompromise\t%s\tunknown\t/CN=x\n' "$s" >>ca/index.txt
  done
  ossl ca -config ca.cnf -gencrl -out "$name.crl.pem"
  ossl crl -in "$name.crl.pem" -outform DER -out "$name.crl"
}
crl crl1 1002 0BADC0DE
crl crl2 1005
printf 'this is not a certificate\n' >garbage.txt

count() { sql "SELECT count(*) FROM certificates"; }
revoked() { sql "SELECT count(*) FROM certificates WHERE revoked_at IS NOT NULL"; }

# ---- usage ------------------------------------------------------------------------------------
expect_status 2 "an unmigrated database" "$EIMZA" import certificates three.pem --db "$DB"
expect_grep 'migrate' "$T/err" "says to migrate"
expect_status 0 "migrate" "$EIMZA" migrate --db "$DB"
expect_status 1 "no file" "$EIMZA" import certificates --db "$DB"
expect_status 1 "unknown option" "$EIMZA" import certificates three.pem --frob --db "$DB"
expect_status 1 "--db without a URL" "$EIMZA" import certificates three.pem --db
expect_eq 0 "$(count)" "usage errors store nothing"

# ---- several certificates in one PEM file, twice ----------------------------------------------
expect_status 0 "import a PEM file with three certificates" \
  "$EIMZA" import certificates three.pem --db "$DB"
expect_grep '3 read, 3 new, 0 already known' "$T/out" "summary: three new"
expect_eq 3 "$(count)" "three stored"
expect_eq "${TCKNS[2]}" "$(sql "SELECT tckn FROM certificates WHERE serial = '1003'")" \
  "PNOTR- prefix: the bare number is stored"
expect_eq "CN=Test NES SHS,O=eimza Test,C=TR" "$(sql "SELECT issuer FROM certificates WHERE serial = '1001'")" \
  "issuer in RFC 2253 form"
expect_eq "serialNumber=${TCKNS[1]},CN=ÇAĞRI ÖZTÜRK,C=TR" \
  "$(sql "SELECT subject FROM certificates WHERE serial = '1002'")" "subject keeps Turkish letters"
expect_eq "2.16.792.1.2.1.1.5.7.1.1" "$(sql "SELECT policies FROM certificates WHERE serial = '1001'")" \
  "policy stored"
want_fpr=$(openssl x509 -in c1.pem -outform DER | sha256sum | cut -d' ' -f1)
expect_eq "$want_fpr" "$(sql "SELECT fingerprint FROM certificates WHERE serial = '1001'")" \
  "fingerprint is the SHA-256 of the DER"
expect_status 0 "the same file again" "$EIMZA" import certificates three.pem --db "$DB"
expect_grep '3 read, 0 new, 3 already known' "$T/out" "summary: all known"
expect_eq 3 "$(count)" "nothing added"

# ---- DER --------------------------------------------------------------------------------------
expect_status 0 "import a DER certificate" "$EIMZA" import certificates c4.der --db "$DB"
expect_grep '1 read, 1 new' "$T/out" "DER: one new"
expect_eq "${TCKNS[3]}" "$(sql "SELECT tckn FROM certificates WHERE serial = '1004'")" "DER holder"

# ---- CRLs -------------------------------------------------------------------------------------
expect_eq 0 "$(revoked)" "nothing revoked yet"
expect_status 0 "import a CRL (DER) listing one known and one unknown serial" \
  "$EIMZA" import certificates crl1.crl --db "$DB"
expect_grep 'CRLs: 1, revocations applied: 1 \(0 already revoked, 1 unknown serials\)' "$T/out" \
  "summary: one applied, one unknown"
expect_eq 1 "$(revoked)" "one revoked"
expect_eq 1 "$(sql "SELECT count(*) FROM certificates WHERE serial = '1002' AND revoked_at IS NOT NULL")" \
  "the listed one"
expect_status 0 "the same CRL as PEM" "$EIMZA" import certificates crl1.crl.pem --db "$DB"
expect_grep 'revocations applied: 0 \(1 already revoked, 1 unknown serials\)' "$T/out" "already revoked"
expect_eq 1 "$(revoked)" "still one revoked"

# personnel show (another helper's command) tells the revocation, when it is there.
expect_status 0 "import the people" "$EIMZA" import personnel people.csv --db "$DB"
if "$EIMZA" personnel show "${TCKNS[1]}" --db "$DB" >show.json 2>show.err && command -v jq >/dev/null; then
  expect_eq true "$(jq -c .certificate.revoked show.json)" "personnel show: revoked"
  "$EIMZA" personnel show "${TCKNS[0]}" --db "$DB" >show0.json 2>&1
  expect_eq '[false,"valid"]' "$(jq -c '[.certificate.revoked,.certificate.status]' show0.json)" \
    "personnel show: the other one is valid"
else
  echo "# personnel show not available: $(head -c 200 show.err)"
fi

# A CRL named before the certificate it lists, in one command: certificates go first.
expect_status 0 "CRL before its certificate" "$EIMZA" import certificates crl2.crl c5.pem --db "$DB"
expect_grep '1 read, 1 new' "$T/out" "the certificate was stored"
expect_grep 'revocations applied: 1 ' "$T/out" "and then revoked"
expect_eq 1 "$(sql "SELECT count(*) FROM certificates WHERE serial = '1005' AND revoked_at IS NOT NULL")" \
  "revoked in the same run"

# ---- refusals -----------------------------------------------------------------------------------
n=$(count)
expect_status 3 "a certificate without a T.C. Kimlik No" "$EIMZA" import certificates nos.pem --db "$DB"
expect_grep 'nos\.pem: object 1: no_tckn' "$T/err" "no_tckn named with file and position"
expect_grep '1 without a valid T\.C\. Kimlik No' "$T/out" "counted in the summary"
expect_status 3 "a serialNumber with bad check digits" "$EIMZA" import certificates bad.pem --db "$DB"
expect_grep 'no_tckn' "$T/err" "bad check digits are no_tckn too"
expect_eq "$n" "$(count)" "neither stored"

expect_status 3 "garbage" "$EIMZA" import certificates garbage.txt --db "$DB"
expect_grep 'garbage\.txt: object 1: not_certificate' "$T/err" "not_certificate named"
expect_status 3 "an empty file" "$EIMZA" import certificates /dev/null --db "$DB"
expect_grep 'not_certificate' "$T/err" "empty: not_certificate"

{ cat c1.pem; printf -- '-----BEGIN PRIVATE KEY-----\nAAAA\n-----END PRIVATE KEY-----\n'; cat nos.pem; } >mixed.pem
expect_status 3 "a file mixing good and bad objects" "$EIMZA" import certificates mixed.pem --db "$DB"
expect_grep 'mixed\.pem: object 2: not_certificate' "$T/err" "the key block is refused"
expect_grep 'mixed\.pem: object 3: no_tckn' "$T/err" "the server certificate is refused"
expect_grep '2 read, 0 new, 1 already known, 1 without' "$T/out" "the good one still counted"

expect_status 2 "a missing file, with good ones beside it" \
  "$EIMZA" import certificates "$T/no-such.pem" c5.pem --db "$DB"
expect_grep 'no-such\.pem: file_unreadable' "$T/err" "file_unreadable named"
expect_grep '1 read, 0 new, 1 already known' "$T/out" "the other file was still read"
expect_status 2 "a directory" "$EIMZA" import certificates "$T" --db "$DB"
expect_grep 'file_unreadable' "$T/err" "a directory is unreadable"

expect_status 0 "a CA certificate is skipped" "$EIMZA" import certificates ca.pem --db "$DB"
expect_grep '1 CA skipped' "$T/out" "counted as skipped"
expect_eq "$n" "$(count)" "refusals stored nothing"

# ---- the audit log --------------------------------------------------------------------------------
audits=$(sql "SELECT count(*) FROM audit_log WHERE action = 'certificates.import' AND actor = 'cli'")
# 14 runs above reached the import (the usage errors and the unmigrated database did not).
expect_eq 14 "$audits" "one audit entry per run"
expect_eq 1 "$(sql "SELECT count(*) FROM audit_log WHERE action = 'certificates.import' AND object = 'crl2.crl c5.pem' AND detail LIKE '%\"revoked\":1%'")" \
  "the audit entry names the files and the counts"
expect_eq 0 "$(sql "SELECT count(*) FROM audit_log WHERE detail LIKE '%${TCKNS[0]}%' OR object LIKE '%${TCKNS[0]}%'")" \
  "no T.C. Kimlik No in the audit log"

finish
