#!/usr/bin/env bash
# eimza — the demo smart card (development only): a SoftHSM2 token labelled "eimza-demo"
# holding the demo applicant's key and certificate, so `eimza agent` and `eimza sign` can sign
# like with a real AKİS card.
#
#   scripts/demo-token.sh [--recreate] DIR [PKI_DIR]
#
# DIR receives softhsm2.conf and tokens/; PKI_DIR (default var/demo/pki, made by
# scripts/demo-pki.sh) must hold applicant/key.pem and applicant/cert.pem. User PIN 123456,
# SO PIN 12345678; key and certificate share CKA_ID 01. Running it again does nothing when the
# token already holds that certificate; a changed certificate (a new demo PKI) or --recreate
# makes the token afresh. Prints the lines to use it (SOFTHSM2_CONF and the module's path).
#
#   scripts/demo-token.sh --blank N DIR
#
# Blank cards for the in-house CA (src/ca/): N tokens labelled "eimza-bos" with the demo's
# transport PINs (user 000000, SO 00000000) and nothing on them, in DIR's token directory
# (DIR/softhsm2.conf, made when missing; use PKI_DIR/hsm so that the CA token and the cards
# share one SoftHSM2). Prints the new cards' serial numbers, one a line.
set -euo pipefail

src=$(cd "$(dirname "$0")/.." && pwd)
if [ "${1:-}" = --blank ]; then
  [ $# -eq 3 ] && [[ $2 =~ ^[1-9][0-9]{0,2}$ ]] ||
    { echo "usage: $0 --blank N DIR (N: 1-999)" >&2; exit 1; }
  command -v softhsm2-util >/dev/null || { echo "demo-token: softhsm2-util is not installed" >&2; exit 2; }
  mkdir -p "$3/tokens"
  bdir=$(cd "$3" && pwd)
  [ -f "$bdir/softhsm2.conf" ] ||
    printf 'directories.tokendir = %s/tokens\nobjectstore.backend = file\nlog.level = ERROR\n' \
      "$bdir" >"$bdir/softhsm2.conf"
  serials() { # the serial numbers of the tokens labelled eimza-bos
    SOFTHSM2_CONF=$bdir/softhsm2.conf softhsm2-util --show-slots |
      awk '/Serial number:/ { s = $3 } /Label:/ && $2 == "eimza-bos" { print s }' | sort
  }
  before=$(serials)
  for ((i = 0; i < $2; i++)); do
    SOFTHSM2_CONF=$bdir/softhsm2.conf softhsm2-util --init-token --free --label eimza-bos \
      --pin 000000 --so-pin 00000000 >/dev/null ||
      { echo "demo-token: cannot make blank card $((i + 1))" >&2; exit 2; }
  done
  comm -13 <(echo "$before") <(serials)
  exit 0
fi
recreate=0
if [ "${1:-}" = --recreate ]; then recreate=1; shift; fi
[ $# -ge 1 ] && [ $# -le 2 ] || { echo "usage: $0 [--recreate] DIR [PKI_DIR]" >&2; exit 1; }
dir=$1
pki=${2:-$src/var/demo/pki}
label=eimza-demo
pin=123456
so_pin=12345678

key=$pki/applicant/key.pem
cert=$pki/applicant/cert.pem
[ -r "$key" ] && [ -r "$cert" ] ||
  { echo "demo-token: $pki/applicant/{key,cert}.pem missing (run scripts/demo-pki.sh first)" >&2; exit 1; }
for c in softhsm2-util pkcs11-tool openssl; do
  command -v "$c" >/dev/null || { echo "demo-token: $c is not installed (softhsm2, opensc)" >&2; exit 2; }
done
module=
for m in /usr/lib/softhsm/libsofthsm2.so /usr/lib/x86_64-linux-gnu/softhsm/libsofthsm2.so \
         /usr/lib/aarch64-linux-gnu/softhsm/libsofthsm2.so; do
  [ -r "$m" ] && { module=$m; break; }
done
[ -n "$module" ] || { echo "demo-token: libsofthsm2.so not found" >&2; exit 2; }

mkdir -p "$dir/tokens"
dir=$(cd "$dir" && pwd)
printf 'directories.tokendir = %s/tokens\nobjectstore.backend = file\nlog.level = ERROR\n' \
  "$dir" >"$dir/softhsm2.conf"
export SOFTHSM2_CONF=$dir/softhsm2.conf

want=$(openssl x509 -in "$cert" -noout -fingerprint -sha256)
stamp=$dir/token.cert-fingerprint
have_token() { softhsm2-util --show-slots 2>/dev/null | grep -q "Label:[[:space:]]*$label[[:space:]]*$"; }

if [ "$recreate" = 0 ] && have_token && [ -r "$stamp" ] && [ "$(cat "$stamp")" = "$want" ]; then
  echo "demo-token: token \"$label\" already holds the demo applicant's certificate"
else
  if have_token; then
    softhsm2-util --delete-token --token "$label" >/dev/null
  fi
  rm -f "$stamp"
  softhsm2-util --init-token --free --label "$label" --pin "$pin" --so-pin "$so_pin" >/dev/null
  work=$(mktemp -d)
  trap 'rm -rf "$work"' EXIT
  chmod 700 "$work"
  # pkcs11-tool takes DER: the private key (PKCS#8), its public key and the certificate
  openssl pkey -in "$key" -outform DER -out "$work/key.der"
  openssl pkey -in "$key" -pubout -outform DER -out "$work/pub.der"
  openssl x509 -in "$cert" -outform DER -out "$work/cert.der"
  # by its slot: pkcs11-tool's --token-label also matches a label it is the beginning of
  # ("eimza-demo" of the in-house CA's "eimza-demo-ca" when both share a token directory)
  slot=$(softhsm2-util --show-slots | awk -v l="$label" '/^Slot [0-9]+/ { s = $2 }
    /Label:/ && $2 == l { print s; exit }')
  [ -n "$slot" ] || { echo "demo-token: the new token \"$label\" is not listed" >&2; exit 2; }
  p11() {
    pkcs11-tool --module "$module" --slot "$slot" --login --pin "$pin" "$@" >/dev/null 2>"$work/err" ||
      { echo "demo-token: pkcs11-tool $*: $(cat "$work/err")" >&2; exit 2; }
  }
  p11 --write-object "$work/key.der" --type privkey --id 01 --label "eimza demo" --usage-sign
  p11 --write-object "$work/pub.der" --type pubkey --id 01 --label "eimza demo"
  p11 --write-object "$work/cert.der" --type cert --id 01 --label "eimza demo"
  echo "$want" >"$stamp"
  echo "demo-token: token \"$label\" made in $dir (user PIN $pin, SO PIN $so_pin)"
fi
echo "demo-token: use it with"
echo "  export SOFTHSM2_CONF=$dir/softhsm2.conf"
echo "  eimza agent --module $module --origin http://127.0.0.1:8080"
