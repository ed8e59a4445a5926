#!/usr/bin/env bash
# eimza — makes the fuzz PKI and the seeds that need it: tests/fuzz/cms-trust/root.pem (the
# trust store of fuzz_cms), tests/fuzz/corpus/cms/ (CAdES signatures over the content
# fuzz_cms.c verifies) and the certificate and CRL seeds of tests/fuzz/corpus/x509/.
# Run it again only to replace them all together (a new PKI invalidates the old signatures);
# the private keys live in a temporary directory and are thrown away.
#
# The PKI is a root, a sub-CA and two qualified leaves (RSA-2048 and EC P-256; NES policy,
# both QC statements, nonRepudiation, T.C. Kimlik No 10000000146), valid 2024-2045 so that
# fuzz_cms's fixed clock (2030) is inside every period. No leaf names an OCSP or CRL address,
# so verification never touches the network.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
T=$(mktemp -d /tmp/eimza-fuzz-seeds.XXXXXX)
trap 'rm -rf "$T"' EXIT
cd "$T"

# the bytes fuzz_cms.c expects (FUZZ_CMS_CONTENT)
printf 'eimza fuzz: başvuru 2026-000001\n' >content.txt

cat >ca.cnf <<'EOF'
[ca]
default_ca = sub
[sub]
dir = .
database = index.txt
new_certs_dir = newcerts
serial = serial
crlnumber = crlnumber
certificate = sub.pem
private_key = sub.key
default_md = sha256
policy = pol_any
unique_subject = no
preserve = yes
email_in_dn = no
[pol_any]
countryName = optional
organizationName = optional
commonName = supplied
serialNumber = optional
[req]
distinguished_name = dn
[dn]
[v3_root]
basicConstraints = critical,CA:TRUE
keyUsage = critical,keyCertSign,cRLSign
subjectKeyIdentifier = hash
[v3_sub]
basicConstraints = critical,CA:TRUE,pathlen:0
keyUsage = critical,keyCertSign,cRLSign
subjectKeyIdentifier = hash
authorityKeyIdentifier = keyid
[qcs]
s1 = SEQUENCE:qc_etsi
s2 = SEQUENCE:qc_tr
[qc_etsi]
id = OID:0.4.0.1862.1.1
[qc_tr]
id = OID:2.16.792.1.61.0.1.5070.1.1
[nes]
basicConstraints = critical,CA:FALSE
subjectKeyIdentifier = hash
authorityKeyIdentifier = keyid
keyUsage = critical,nonRepudiation,digitalSignature
certificatePolicies = 2.16.792.1.2.1.1.5.7.1.1
1.3.6.1.5.5.7.1.3 = ASN1:SEQUENCE:qcs
EOF
mkdir newcerts
: >index.txt
echo 1000 >serial
echo 01 >crlnumber
q() { "$@" >/dev/null 2>&1 || { echo "make-seeds: failed: $*" >&2; exit 1; }; }

q openssl req -x509 -newkey rsa:2048 -nodes -keyout root.key -days 10950 \
  -subj '/C=TR/O=eimza fuzz/CN=Fuzz Kok' -config ca.cnf -extensions v3_root -out root.pem
q openssl req -new -newkey rsa:2048 -nodes -keyout sub.key -subj '/C=TR/O=eimza fuzz/CN=Fuzz NES SHS' \
  -config ca.cnf -out sub.csr
q openssl x509 -req -in sub.csr -CA root.pem -CAkey root.key -set_serial 2 -days 10950 \
  -extfile ca.cnf -extensions v3_sub -out sub.pem
leaf() {
  q openssl req -new $2 -nodes -keyout "$1.key" -subj "/C=TR/CN=FUZZ $1/serialNumber=10000000146" \
    -config ca.cnf -out "$1.csr"
  q openssl ca -batch -notext -config ca.cnf -extensions nes -in "$1.csr" -out "$1.pem" \
    -startdate 20240101000000Z -enddate 20451231235959Z
}
leaf rsa '-newkey rsa:2048'
leaf ec '-newkey ec -pkeyopt ec_paramgen_curve:P-256'
q openssl ca -batch -config ca.cnf -revoke ec.pem -crl_reason keyCompromise
q openssl ca -batch -config ca.cnf -gencrl -crldays 3650 -out sub.crl.pem

sign() { # NAME SIGNER [openssl cms options...]
  local n=$1 s=$2
  shift 2
  q openssl cms -sign -cades -binary -md sha256 -in content.txt -signer "$s.pem" -inkey "$s.key" \
    -certfile sub.pem -outform DER -out "$n" "$@"
}
C=$here/corpus/cms
X=$here/corpus/x509
mkdir -p "$here/cms-trust" "$C" "$X"
rm -f "$C"/seed-* "$X"/seed-*
cp root.pem "$here/cms-trust/root.pem"
sign "$C/seed-rsa-detached.der" rsa
sign "$C/seed-rsa-attached.der" rsa -nodetach
sign "$C/seed-ec-detached.der" ec
sign "$C/seed-rsa-ber.der" rsa -stream -nodetach # indefinite lengths: the re-encoding path
sign "$C/seed-rsa-nocerts.der" rsa -nocerts      # the signer's certificate missing

q openssl x509 -in rsa.pem -outform DER -out "$X/seed-leaf-rsa.der"
q openssl x509 -in sub.pem -outform DER -out "$X/seed-sub.der"
q openssl crl -in sub.crl.pem -outform DER -out "$X/seed-crl.der"
cat ec.pem sub.pem sub.crl.pem >"$X/seed-bundle.pem"
{ echo 'text before the blocks'; cat root.pem; echo '-----BEGIN PRIVATE KEY-----'
  echo 'bm90IGEga2V5'; echo '-----END PRIVATE KEY-----'; cat rsa.pem; } >"$X/seed-mixed.pem"
cat "$X/seed-leaf-rsa.der" "$X/seed-crl.der" >"$X/seed-concatenated.der"
echo "make-seeds: $(ls "$C" | wc -l) CMS seeds, $(ls "$X" | wc -l) certificate and CRL seeds"
