# eimza — helpers for the signing tests (sourced by tests/cli/test_sign.sh and test_agent.sh
# after tests/lib.sh): SoftHSM2 tokens in $T whose keys are generated on the token by OpenSC's
# pkcs11-tool, certificates for them from a throw-away CA, and a fake pinentry.
#
#   sign_setup             skips (exit 77) without softhsm2-util/pkcs11-tool; sets MODULE,
#                          SOFTHSM2_CONF and the CA ($T/ca.pem)
#   make_card LABEL TYPE CN   a token LABEL (user PIN 123456) with a TYPE key
#                          ("rsa:2048" or "EC:prime256v1") made on the card, id 01, and a
#                          certificate for it (non-repudiation) imported with the same id
#   make_empty_card LABEL  a token with no certificate
#   fake_pinentry FILE     writes a pinentry stand-in: logs every command (SETDESC with its
#                          text, GETPIN, CONFIRM, MESSAGE; never a PIN) to $FAKE_PE_LOG, answers
#                          GETPIN with $FAKE_PE_PIN and CONFIRM with OK or, when
#                          FAKE_PE_MODE=cancel, a cancel; FAKE_PE_MODE=hang: never answers (a
#                          person who walked away)

sign_setup() {
  for c in softhsm2-util pkcs11-tool openssl; do
    command -v "$c" >/dev/null || { echo "skipped: $c not installed"; exit 77; }
  done
  MODULE=
  for m in /usr/lib/softhsm/libsofthsm2.so /usr/lib/x86_64-linux-gnu/softhsm/libsofthsm2.so \
           /usr/lib/aarch64-linux-gnu/softhsm/libsofthsm2.so; do
    [ -r "$m" ] && { MODULE=$m; break; }
  done
  [ -n "$MODULE" ] || { echo "skipped: libsofthsm2.so not found"; exit 77; }
  mkdir -p "$T/tokens"
  printf 'directories.tokendir = %s/tokens\nobjectstore.backend = file\nlog.level = ERROR\n' \
    "$T" >"$T/softhsm2.conf"
  export SOFTHSM2_CONF=$T/softhsm2.conf
  openssl genpkey -algorithm EC -pkeyopt ec_paramgen_curve:P-256 -out "$T/ca.key" 2>/dev/null
  openssl req -new -x509 -key "$T/ca.key" -subj "/CN=eimza Test CA" -days 30 -out "$T/ca.pem" \
    -addext "basicConstraints=critical,CA:TRUE" -addext "keyUsage=critical,keyCertSign,cRLSign" \
    2>/dev/null || { echo "FAIL: cannot make the test CA"; exit 1; }
  printf 'basicConstraints=CA:FALSE\nkeyUsage=critical,nonRepudiation,digitalSignature\n' \
    >"$T/ext.cnf"
}

p11() { pkcs11-tool --module "$MODULE" "$@"; }

make_empty_card() {
  softhsm2-util --init-token --free --label "$1" --pin 123456 --so-pin 12345678 >/dev/null ||
    { echo "FAIL: cannot make token $1"; exit 1; }
}

make_card() {
  local label=$1 type=$2 cn=$3 d=$T/card-$1
  mkdir -p "$d"
  make_empty_card "$label"
  p11 --token-label "$label" --login --pin 123456 --keypairgen --key-type "$type" --id 01 \
    --label key >/dev/null 2>&1 || { echo "FAIL: keypairgen on $label"; exit 1; }
  p11 --token-label "$label" --read-object --type pubkey --id 01 -o "$d/pub.der" >/dev/null 2>&1
  openssl pkey -pubin -inform DER -in "$d/pub.der" -out "$d/pub.pem" || exit 1
  # the CSR only carries the subject: -force_pubkey puts the card's public key in the cert
  openssl req -new -utf8 -key "$T/ca.key" -subj "/CN=$cn/serialNumber=10000000146" \
    -out "$d/req.csr" 2>/dev/null &&
  openssl x509 -req -in "$d/req.csr" -CA "$T/ca.pem" -CAkey "$T/ca.key" -CAcreateserial \
    -CAserial "$T/ca.srl" -force_pubkey "$d/pub.pem" -days 10 -extfile "$T/ext.cnf" \
    -out "$d/cert.pem" 2>/dev/null &&
  openssl x509 -in "$d/cert.pem" -outform DER -out "$d/cert.der" &&
  p11 --token-label "$label" --login --pin 123456 --write-object "$d/cert.der" --type cert \
    --id 01 --label cert >/dev/null 2>&1 || { echo "FAIL: certificate for $label"; exit 1; }
}

fake_pinentry() {
  cat >"$1" <<'PE'
#!/bin/bash
echo "OK Pleased to meet you"
while IFS= read -r line; do
  printf '%s\n' "$line" >>"$FAKE_PE_LOG"
  case "$line" in
    CONFIRM*)
      if [ "${FAKE_PE_MODE:-}" = cancel ]; then echo "ERR 83886179 Operation cancelled <Pinentry>"
      else echo OK; fi ;;
    GETPIN)
      if [ "${FAKE_PE_MODE:-}" = cancel ]; then echo "ERR 83886179 Operation cancelled <Pinentry>"
      elif [ "${FAKE_PE_MODE:-}" = hang ]; then exec sleep 300
      else echo "D $FAKE_PE_PIN"; echo OK; fi ;;
    BYE) echo "OK closing connection"; exit 0 ;;
    *) echo OK ;;
  esac
done
PE
  chmod +x "$1"
}
