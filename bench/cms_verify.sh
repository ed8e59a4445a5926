#!/usr/bin/env bash
# eimza — benchmark: full verifications per second of a detached CAdES-BES signature by an
# RSA-2048 signer (parse, content digest, signature over the signed attributes, ESS binding,
# chain, validity, qualified profile, key usage, T.C. Kimlik No, revocation with the OCSP
# answer cached), in process on one thread, against the RSA-2048 signature verifications
# per second that `openssl speed` reports on the same machine in the same run. Target: at
# least 0.25 of openssl's rate (a verification is one RSA check plus bookkeeping; CMS_verify
# with a fresh store per call managed about 0.09). Prints one result line.
#   BUILD=DIR (default build/)  SECONDS_EACH=N (default 3)
# The tool (tools/bench-cms-verify.c) makes its own test PKI and OCSP responder in /tmp.
set -uo pipefail
cd "$(dirname "$0")/.."
BUILD=${BUILD:-build}
SECS=${SECONDS_EACH:-3}
NAME=cms_verify_rsa2048
TOOL=$BUILD/bench-cms-verify

if [ ! -x "$TOOL" ] || ! command -v openssl >/dev/null; then
  echo "$NAME: skipped (needs $TOOL — run 'make build' — and the openssl command)"
  exit 0
fi

# openssl speed's last line: "rsa 2048 bits 0.000812s 0.000024s 1231.3 42174.0" (verify/s last)
ossl=$(openssl speed -seconds "$SECS" rsa2048 2>/dev/null | awk '/^rsa 2048 bits/ { v = $NF } END { print v }')
if [ -z "$ossl" ]; then
  echo "$NAME: openssl speed gave no RSA-2048 figure"
  exit 0
fi
ERR=$(mktemp /tmp/eimza-bench-cms.XXXXXX)
trap 'rm -f "$ERR"' EXIT
out=$("$TOOL" "$SECS" 2>"$ERR")
rc=$?
ez=$(awk '/^verify\/s/ { print $2 }' <<<"$out")
if [ $rc -ne 0 ] || [ -z "$ez" ]; then
  echo "$NAME: bench-cms-verify failed (exit $rc): $(head -c 300 "$ERR")"
  exit 0
fi
ratio=$(awk -v a="$ez" -v b="$ossl" 'BEGIN { printf "%.2f", (b > 0) ? a / b : 0 }')
verdict=$(awk -v r="$ratio" 'BEGIN { print (r >= 0.25) ? "ok" : "MISSED" }')
echo "$NAME: eimza $ez/s, openssl speed verify $(printf '%.0f' "$ossl")/s, ratio $ratio (target >= 0.25) [$verdict]"
exit 0
