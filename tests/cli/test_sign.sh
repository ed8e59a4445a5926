#!/usr/bin/env bash
# eimza — `eimza sign` against SoftHSM2 tokens whose keys were generated on the token (RSA 2048
# and EC P-256): the signature verifies with `openssl cms -verify` over exactly the input bytes
# and carries signing-certificate-v2; and the bad paths: wrong PIN (exit 2, what the card says
# about the tries left, no output written), unknown or ambiguous token, a card without a
# certificate, a missing module, PIN from a fake pinentry (answer, cancel, missing program),
# usage errors (exit 1). The backend does not matter here.
# eimza-test: no database
source "$EIMZA_SOURCE_DIR/tests/lib.sh"
source "$EIMZA_SOURCE_DIR/tests/sign_token.sh"

sign_setup
make_card rsa-card rsa:2048 "Ayşe Yılmaz"
make_card ec-card EC:prime256v1 "Mehmet Öz"
make_empty_card empty-card

# Content with CR LF, UTF-8 and no final newline: binary mode must keep every byte.
printf 'Başvuru No: 2024-000123\r\nAD: AYŞE\r\nBeyan ederim.' >"$T/content.txt"
echo 123456 >"$T/pin"
echo 000000 >"$T/badpin"
: >"$T/nopin"

verify() { # verify P7S CONTENT: openssl's own check of the detached signature
  openssl cms -verify -binary -inform DER -in "$1" -content "$2" -CAfile "$T/ca.pem" \
    -purpose any -out /dev/null 2>"$T/verify.err"
}

# ---- good signatures, RSA and EC ------------------------------------------------------------
for card in rsa-card ec-card; do
  out=$T/$card.p7s
  expect_status 0 "$card: sign exits 0" "$EIMZA" sign --module "$MODULE" --token "$card" \
    --in "$T/content.txt" --out "$out" --pin-fd 3 3<"$T/pin"
  expect_no_grep 123456 "$T/out" "$card: the PIN is not printed"
  expect_no_grep 123456 "$T/err" "$card: the PIN is not in diagnostics"
  if verify "$out" "$T/content.txt"; then ok "$card: openssl cms -verify accepts it"; else
    fail "$card: openssl cms -verify" "$(cat "$T/verify.err")"; fi
  printf 'Başvuru No: 2024-000124\r\nAD: AYŞE\r\nBeyan ederim.' >"$T/other.txt"
  if verify "$out" "$T/other.txt"; then fail "$card: verifies other content too"; else
    ok "$card: other content does not verify"; fi
  openssl cms -cmsout -print -inform DER -in "$out" >"$T/print.txt" 2>&1
  expect_grep 'signingCertificateV2' "$T/print.txt" "$card: signing-certificate-v2 attribute"
  expect_grep 'digestAlgorithm:' "$T/print.txt" "$card: has a signer"
  expect_grep 'algorithm: sha256' "$T/print.txt" "$card: SHA-256"
  expect_grep 'eContent: <ABSENT>' "$T/print.txt" "$card: detached (no content inside)"
  # the signer is the card's certificate
  openssl pkcs7 -inform DER -in "$out" -print_certs 2>/dev/null | openssl x509 -noout \
    -fingerprint -sha256 >"$T/fp1" 2>/dev/null
  openssl x509 -in "$T/card-$card/cert.pem" -noout -fingerprint -sha256 >"$T/fp2"
  expect_eq "$(cat "$T/fp2")" "$(cat "$T/fp1")" "$card: carries the card's certificate"
done
openssl cms -cmsout -print -inform DER -in "$T/ec-card.p7s" >"$T/print.txt" 2>&1
expect_grep 'ecdsa-with-SHA256' "$T/print.txt" "ec-card: ECDSA signature"
openssl cms -cmsout -print -inform DER -in "$T/rsa-card.p7s" >"$T/print.txt" 2>&1
expect_grep 'rsaEncryption' "$T/print.txt" "rsa-card: RSA signature"

# ---- choosing the token ---------------------------------------------------------------------
expect_status 2 "two cards could sign, none named: exit 2" "$EIMZA" sign --module "$MODULE" \
  --in "$T/content.txt" --out "$T/x.p7s" --pin-fd 3 3<"$T/pin"
expect_grep 'token_ambiguous' "$T/err" "ambiguous: the code is named"
expect_status 2 "unknown token label: exit 2" "$EIMZA" sign --module "$MODULE" --token nosuch \
  --in "$T/content.txt" --out "$T/x.p7s" --pin-fd 3 3<"$T/pin"
expect_grep 'token_not_found' "$T/err" "unknown label: token_not_found"
expect_grep 'nosuch' "$T/err" "unknown label: the label is named"
expect_status 2 "card without certificate: exit 2" "$EIMZA" sign --module "$MODULE" \
  --token empty-card --in "$T/content.txt" --out "$T/x.p7s" --pin-fd 3 3<"$T/pin"
expect_grep 'no_certificate' "$T/err" "card without certificate: no_certificate"
[ ! -e "$T/x.p7s" ] && ok "no output after the failures" || fail "no output after the failures"

# ---- wrong PIN: exit 2, the card's word on the tries left, nothing written -------------------
echo "previous signature" >"$T/keep.p7s"
expect_status 2 "wrong PIN: exit 2" "$EIMZA" sign --module "$MODULE" --token rsa-card \
  --in "$T/content.txt" --out "$T/keep.p7s" --pin-fd 3 3<"$T/badpin"
expect_grep 'pin_incorrect' "$T/err" "wrong PIN: pin_incorrect"
expect_grep 'PIN yanlış' "$T/err" "wrong PIN: Turkish message"
# SoftHSM2 raises CKF_USER_PIN_COUNT_LOW after a failure: the message must say so
expect_grep 'deneme hakkınızın azaldığını' "$T/err" "wrong PIN: remaining tries from the card"
expect_no_grep '000000' "$T/err" "wrong PIN: the PIN is not echoed"
expect_eq "previous signature" "$(cat "$T/keep.p7s")" "wrong PIN: existing output untouched"
ls "$T" | grep -q '\.tmp\.' && fail "no temporary file left" "$(ls "$T")" ||
  ok "no temporary file left"

# ---- pinentry: the warning after a wrong PIN is in the dialogue; cancel; no program ---------
fake_pinentry "$T/pinentry"
export FAKE_PE_LOG=$T/pe.log FAKE_PE_PIN=123456
: >"$FAKE_PE_LOG"
expect_status 0 "pinentry: sign exits 0" env EIMZA_PINENTRY="$T/pinentry" "$EIMZA" sign \
  --module "$MODULE" --token rsa-card --in "$T/content.txt" --out "$T/pe.p7s"
expect_grep 'rsa-card' "$FAKE_PE_LOG" "pinentry: the description names the card"
expect_grep "PIN'i bir kez yanlış girdiniz; dikkat" "$FAKE_PE_LOG" \
  "pinentry: the card's count-low flag is shown before asking"
expect_grep '%0A' "$FAKE_PE_LOG" "pinentry: newlines are escaped"
if verify "$T/pe.p7s" "$T/content.txt"; then ok "pinentry: signature verifies"; else
  fail "pinentry: signature verifies" "$(cat "$T/verify.err")"; fi
expect_status 2 "pinentry cancelled: exit 2" env EIMZA_PINENTRY="$T/pinentry" FAKE_PE_MODE=cancel \
  "$EIMZA" sign --module "$MODULE" --token ec-card --in "$T/content.txt" --out "$T/c.p7s"
expect_grep 'cancelled' "$T/err" "pinentry cancelled: code named"
expect_status 2 "no pinentry program: exit 2" env EIMZA_PINENTRY="$T/does-not-exist" \
  "$EIMZA" sign --module "$MODULE" --token ec-card --in "$T/content.txt" --out "$T/c.p7s"
expect_grep 'pin_unavailable' "$T/err" "no pinentry program: pin_unavailable"
[ ! -e "$T/c.p7s" ] && ok "no output without a PIN" || fail "no output without a PIN"
expect_status 2 "--pin-fd at EOF: exit 2" "$EIMZA" sign --module "$MODULE" --token ec-card \
  --in "$T/content.txt" --out "$T/c.p7s" --pin-fd 3 3<"$T/nopin"
expect_grep 'pin_unavailable' "$T/err" "--pin-fd at EOF: pin_unavailable"

# ---- module, input, output --------------------------------------------------------------------
expect_status 2 "missing module: exit 2" "$EIMZA" sign --module "$T/nope.so" \
  --in "$T/content.txt" --out "$T/x.p7s" --pin-fd 3 3<"$T/pin"
expect_grep 'module_error' "$T/err" "missing module: module_error"
expect_status 2 "missing input file: exit 2" "$EIMZA" sign --module "$MODULE" --token ec-card \
  --in "$T/nope.txt" --out "$T/x.p7s" --pin-fd 3 3<"$T/pin"
expect_status 2 "unwritable output: exit 2" "$EIMZA" sign --module "$MODULE" --token ec-card \
  --in "$T/content.txt" --out "$T/no/such/dir/x.p7s" --pin-fd 3 3<"$T/pin"
[ ! -e "$T/x.p7s" ] && ok "still no output" || fail "still no output"

# ---- usage errors -----------------------------------------------------------------------------
expect_status 1 "no arguments: exit 1" "$EIMZA" sign
expect_status 1 "missing --in: exit 1" "$EIMZA" sign --module "$MODULE" --out "$T/x.p7s"
expect_status 1 "missing --out: exit 1" "$EIMZA" sign --module "$MODULE" --in "$T/content.txt"
expect_status 1 "missing --module: exit 1" "$EIMZA" sign --in "$T/content.txt" --out "$T/x.p7s"
expect_status 1 "unknown option: exit 1" "$EIMZA" sign --module "$MODULE" \
  --in "$T/content.txt" --out "$T/x.p7s" --frobnicate
expect_status 1 "--token without value: exit 1" "$EIMZA" sign --module "$MODULE" \
  --in "$T/content.txt" --out "$T/x.p7s" --token
expect_status 1 "--pin-fd not open: exit 1" "$EIMZA" sign --module "$MODULE" \
  --in "$T/content.txt" --out "$T/x.p7s" --pin-fd 97
expect_status 1 "--pin-fd not a number: exit 1" "$EIMZA" sign --module "$MODULE" \
  --in "$T/content.txt" --out "$T/x.p7s" --pin-fd three
expect_status 0 "--help: exit 0" "$EIMZA" sign --help
expect_grep 'usage: eimza sign' "$T/out" "--help prints the usage"

# ---- cards of one blank batch share a label: the blank ones are passed over -----------------
make_empty_card ec-card
expect_status 0 "a label shared with a blank card: the card with a certificate signs" \
  "$EIMZA" sign --module "$MODULE" --token ec-card --in "$T/content.txt" --out "$T/shared.p7s" \
  --pin-fd 3 3<"$T/pin"
[ -s "$T/shared.p7s" ] && ok "and writes its signature" || fail "no signature with a shared label"
make_empty_card lone-blank
make_empty_card lone-blank
expect_status 2 "only blank cards under the label: exit 2" "$EIMZA" sign --module "$MODULE" \
  --token lone-blank --in "$T/content.txt" --out "$T/x.p7s" --pin-fd 3 3<"$T/pin"
expect_grep 'no_certificate' "$T/err" "no_certificate"

finish
