#!/usr/bin/env bash
# eimza — the demo PKI (development only): a root CA "eimza Demo Kök SHS", a sub-CA "eimza Demo
# NES SHS", and one qualified-style certificate per person of a certificate plan
# (`eimza-gen certspec`), made with the openssl CLI.
#
#   scripts/demo-pki.sh PKI_DIR CERTSPEC.tsv [TODAY]
#
# CERTSPEC lines are tab-separated: tckn, stage, days from TODAY (UTC, YYYY-MM-DD, default the
# current date) to the certificate's expiry, CN, ... Stage "none" gets no certificate; the one
# "applicant" gets its own key (kept for the demo SoftHSM token); everybody else shares one
# EC key, which is fine for certificates nobody signs with. "revoked" certificates are revoked
# and listed in the CRL. Certificates are valid 3 years and end at 23:59:59Z of their expiry
# day, so "expires in N days" holds all through TODAY.
#
# Certificates with the same dates are issued in one `openssl ca` run, so a few hundred people
# take seconds. The layout of PKI_DIR is described in scripts/demo.sh's README.txt. PKI_DIR must not exist yet (scripts/demo.sh builds it afresh).
#
# Beside them, the in-house CA "eimza Demo Kurum NES SHS" (src/ca/: the institution's own CA
# that makes cards): its key is generated inside a SoftHSM2 token, sensitive and never
# extractable, and only its public half leaves the token for the root to certify. Its
# certificate is valid from the moment this script runs (the openssl CLI of Debian 12 cannot
# backdate a certificate for a key it does not hold), for 20 years. Layout:
#   hsm/softhsm2.conf    SOFTHSM2_CONF for the token directory hsm/tokens; the demo's blank
#                        cards are made there too (scripts/demo-token.sh --blank), since one
#                        process reaches the CA token and the cards through one SoftHSM2
#   hsm/ca.pin           the CA token's user PIN (random; label "eimza-demo-ca", key and
#   hsm/ca.so-pin        certificate labelled "kurum-nes" with CKA_ID 01), and its SO PIN
#   inhouse/ca.pem       the in-house CA's certificate (also on the token)
#   inhouse/chain.pem    inhouse/ca.pem + root/root.pem
set -euo pipefail

src=$(cd "$(dirname "$0")" && pwd)
[ $# -ge 2 ] || { echo "usage: $0 PKI_DIR CERTSPEC.tsv [TODAY]" >&2; exit 1; }
pki=$1
spec=$2
today=${3:-$(date -u +%F)}
[ ! -e "$pki" ] || { echo "demo-pki: $pki already exists" >&2; exit 1; }
[ -r "$spec" ] || { echo "demo-pki: cannot read $spec" >&2; exit 1; }
date -u -d "$today" +%F >/dev/null 2>&1 || { echo "demo-pki: bad date '$today'" >&2; exit 1; }

mkdir -p "$pki"
pki=$(cd "$pki" && pwd)
export EIMZA_PKI_DIR=$pki
# the address of the demo OCSP responder and CRLs in the certificates (scripts/demo.sh starts
# the responder there; tests pick a free port)
export EIMZA_PKI_PORT=${EIMZA_PKI_PORT:-8081}
cp "$src/demo/openssl.cnf" "$pki/openssl.cnf"
cnf=$pki/openssl.cnf
work=$pki/.work
mkdir -p "$work" "$pki/holders" "$pki/crl" "$pki/applicant" "$pki/ocsp" "$pki/keys"

ossl() { openssl "$@" 2>>"$work/openssl.log" || { echo "demo-pki: openssl $1 failed:" >&2; tail -n 20 "$work/openssl.log" >&2; exit 2; }; }
newkey() { ossl genpkey -algorithm EC -pkeyopt ec_paramgen_curve:P-256 -out "$1"; chmod 600 "$1"; }
# day N: the date N days after today, YYYYMMDD.
day() { date -u -d "$today $1 days" +%Y%m%d; }
ca_dir() {
  mkdir -p "$pki/$1/newcerts"
  : >"$pki/$1/index.txt"
  echo "unique_subject = no" >"$pki/$1/index.txt.attr"
  openssl rand -hex 16 | tr a-f A-F | sed 's/^[89A-F]/7/' >"$pki/$1/serial" # positive serials
  echo 1000 >"$pki/$1/crlnumber"
}

# ---- the two CAs: valid from 4 years before today, for 20 years -----------------------------
ca_dir root
ca_dir nes
newkey "$pki/root/root.key"
newkey "$pki/nes/nes.key"
ca_start="$(day -1461)000000Z"
ca_end="$(day 7305)235959Z"
ossl req -new -config "$cnf" -utf8 -key "$pki/root/root.key" -out "$work/root.csr" \
  -subj "/C=TR/O=eimza Demo/CN=eimza Demo Kök SHS"
ossl ca -batch -config "$cnf" -name root_ca -selfsign -keyfile "$pki/root/root.key" \
  -extensions root_ext -startdate "$ca_start" -enddate "$ca_end" -notext \
  -in "$work/root.csr" -out "$pki/root/root.pem"
ossl req -new -config "$cnf" -utf8 -key "$pki/nes/nes.key" -out "$work/nes.csr" \
  -subj "/C=TR/O=eimza Demo/CN=eimza Demo NES SHS"
ossl ca -batch -config "$cnf" -name root_ca -extensions subca_ext \
  -startdate "$ca_start" -enddate "$(day 7300)235959Z" -notext \
  -in "$work/nes.csr" -out "$pki/nes/nes.pem"
cat "$pki/nes/nes.pem" "$pki/root/root.pem" >"$pki/chain.pem"

# The OCSP responder's certificate (the responder itself comes with a later issue).
newkey "$pki/ocsp/ocsp.key"
ossl req -new -config "$cnf" -utf8 -key "$pki/ocsp/ocsp.key" -out "$work/ocsp.csr" \
  -subj "/C=TR/O=eimza Demo/CN=eimza Demo NES OCSP"
ossl ca -batch -config "$cnf" -name nes_ca -extensions ocsp_ext \
  -startdate "$ca_start" -enddate "$(day 3650)235959Z" -notext \
  -in "$work/ocsp.csr" -out "$pki/ocsp/ocsp.pem"

# ---- the in-house CA: its key made in a SoftHSM2 token --------------------------------------
for c in softhsm2-util pkcs11-tool; do
  command -v "$c" >/dev/null || { echo "demo-pki: $c is not installed (softhsm2, opensc)" >&2; exit 2; }
done
module=
for m in /usr/lib/softhsm/libsofthsm2.so /usr/lib/x86_64-linux-gnu/softhsm/libsofthsm2.so \
         /usr/lib/aarch64-linux-gnu/softhsm/libsofthsm2.so; do
  [ -r "$m" ] && { module=$m; break; }
done
[ -n "$module" ] || { echo "demo-pki: libsofthsm2.so not found" >&2; exit 2; }
mkdir -p "$pki/hsm/tokens" "$pki/inhouse"
chmod 700 "$pki/hsm"
printf 'directories.tokendir = %s/hsm/tokens\nobjectstore.backend = file\nlog.level = ERROR\n' \
  "$pki" >"$pki/hsm/softhsm2.conf"
(umask 077; openssl rand -hex 8 >"$pki/hsm/ca.pin"; openssl rand -hex 8 >"$pki/hsm/ca.so-pin")
hsm() {
  SOFTHSM2_CONF=$pki/hsm/softhsm2.conf "$@" >>"$work/openssl.log" 2>&1 ||
    { echo "demo-pki: $1 failed:" >&2; tail -n 5 "$work/openssl.log" >&2; exit 2; }
}
hsm softhsm2-util --init-token --free --label eimza-demo-ca --pin "$(cat "$pki/hsm/ca.pin")" \
  --so-pin "$(cat "$pki/hsm/ca.so-pin")"
ca_p11() {
  hsm pkcs11-tool --module "$module" --token-label eimza-demo-ca --login \
    --pin "$(cat "$pki/hsm/ca.pin")" "$@"
}
# sensitive; never extractable (SoftHSM2's default without --extractable; src/ca/ refuses a
# CA key the token would let out)
ca_p11 --keypairgen --key-type EC:prime256v1 --id 01 --label kurum-nes --usage-sign --sensitive
ca_p11 --read-object --type pubkey --id 01 -o "$work/kurum-pub.der"
ossl pkey -pubin -inform DER -in "$work/kurum-pub.der" -out "$work/kurum-pub.pem"
# the request only carries the subject (signed by a throw-away key): -force_pubkey puts the
# token's public key in the certificate
newkey "$work/throwaway.key"
ossl req -new -config "$cnf" -utf8 -key "$work/throwaway.key" -out "$work/kurum.csr" \
  -subj "/C=TR/O=eimza Demo/CN=eimza Demo Kurum NES SHS"
ossl x509 -req -in "$work/kurum.csr" -CA "$pki/root/root.pem" -CAkey "$pki/root/root.key" \
  -force_pubkey "$work/kurum-pub.pem" -set_serial "0x$(openssl rand -hex 16 | sed 's/^[89a-f]/7/')" \
  -days 7300 -extfile "$cnf" -extensions subca_ext -out "$pki/inhouse/ca.pem"
ossl x509 -in "$pki/inhouse/ca.pem" -outform DER -out "$work/kurum.der"
ca_p11 --write-object "$work/kurum.der" --type cert --id 01 --label kurum-nes
cat "$pki/inhouse/ca.pem" "$pki/root/root.pem" >"$pki/inhouse/chain.pem"

# ---- holders ------------------------------------------------------------------------------------
newkey "$pki/keys/holders.key"
newkey "$pki/applicant/key.pem"
declare -A group_csrs=() group_of_days=()
declare -a group_order=()
revoke=()
applicant=""
while IFS=$'\t' read -r tckn stage days cn _rest; do
  [ -n "$tckn" ] || continue
  [ "$stage" != none ] || continue
  case $days in ''|*[!0-9-]*) echo "demo-pki: bad days '$days' for stage $stage" >&2; exit 1 ;; esac
  key=$pki/keys/holders.key
  if [ "$stage" = applicant ]; then key=$pki/applicant/key.pem; applicant=$tckn; fi
  ossl req -new -config "$cnf" -utf8 -key "$key" -out "$work/$tckn.csr" \
    -subj "/C=TR/CN=$cn/serialNumber=$tckn"
  if [ -z "${group_of_days[$days]:-}" ]; then # a few distinct dates: compute each once
    end=$(day "$days")
    group_of_days[$days]="$(date -u -d "$end - 3 years" +%Y%m%d)000000Z ${end}235959Z"
  fi
  g=${group_of_days[$days]}
  if [ -z "${group_csrs[$g]:-}" ]; then group_order+=("$g"); fi
  group_csrs[$g]+="$work/$tckn.csr "
  [ "$stage" != revoked ] || revoke+=("$tckn")
done <"$spec"

: >"$pki/holders.pem"
for g in "${group_order[@]}"; do
  read -r start end <<<"$g"
  # shellcheck disable=SC2086 # the CSR list is space-separated on purpose (paths have none)
  ossl ca -batch -config "$cnf" -name nes_ca -extensions nes_ext -preserveDN \
    -startdate "$start" -enddate "$end" -notext -out "$work/batch.pem" -infiles ${group_csrs[$g]}
done
# Each issued certificate is in newcerts/ under its serial; the CA's index names its subject,
# whose serialNumber is the holder's T.C. Kimlik No.
awk -F'\t' 'match($6, /serialNumber=[0-9]+/) { print $4, substr($6, RSTART + 13, RLENGTH - 13) }' \
  "$pki/nes/index.txt" >"$work/issued"
while read -r serial tckn; do
  cp "$pki/nes/newcerts/$serial.pem" "$pki/holders/$tckn.pem"
  cat "$pki/holders/$tckn.pem" >>"$pki/holders.pem"
done <"$work/issued"
want=$(awk -F'\t' '$1 != "" && $2 != "none"' "$spec" | wc -l)
got=$(grep -c 'BEGIN CERTIFICATE' "$pki/holders.pem" || true)
[ "$want" = "$got" ] || { echo "demo-pki: planned $want certificates, issued $got" >&2; exit 2; }

# ---- revocations and the CRL ---------------------------------------------------------------------
for t in "${revoke[@]}"; do
  ossl ca -config "$cnf" -name nes_ca -revoke "$pki/holders/$t.pem" -crl_reason keyCompromise
done
ossl ca -config "$cnf" -name nes_ca -gencrl -out "$pki/crl/demo-nes.crl.pem"
ossl crl -in "$pki/crl/demo-nes.crl.pem" -outform DER -out "$pki/crl/demo-nes.crl"
ossl ca -config "$cnf" -name root_ca -gencrl -out "$pki/crl/demo-root.crl.pem"
ossl crl -in "$pki/crl/demo-root.crl.pem" -outform DER -out "$pki/crl/demo-root.crl"

if [ -n "$applicant" ]; then
  cp "$pki/holders/$applicant.pem" "$pki/applicant/cert.pem"
  echo "$applicant" >"$pki/applicant/tckn"
fi
rm -rf "$work"
echo "demo-pki: $(grep -c 'BEGIN CERTIFICATE' "$pki/holders.pem") holder certificates," \
  "${#revoke[@]} revoked, in $pki"
