#!/usr/bin/env bash
# eimza — benchmark: in-house cards made per second on SoftHSM2 (src/ca/: key pair generated
# on the card, NES certificate signed by the CA key in its token, certificate written to the
# card, new PIN and PUK set), against `pkcs11-tool --keypairgen` making the same key pairs on
# SoftHSM2 tokens in the same run. Target: at least 0.8 of pkcs11-tool's rate for RSA-2048 (the
# default card key); EC P-256 is printed beside it without a target. The tool
# (tools/bench-card-production.c) alternates card by card: one pkcs11-tool process making a
# key, one card made by the engine (opened once, its opening counted), so a neighbour's load
# falls on both alike; CARDS averages RSA key generation's own spread. Prints one result line
# per key type.
#   BUILD=DIR (default build/)  CARDS=N (default 40 of each kind, per side)
# Run it under `flock /tmp/eimza-heavy.lock` (a shared machine: one heavy run at a time).
set -uo pipefail
cd "$(dirname "$0")/.."
BUILD=${BUILD:-build}
CARDS=${CARDS:-40}
TOOL=$BUILD/bench-card-production
NAME=card_production

module=
for m in /usr/lib/softhsm/libsofthsm2.so /usr/lib/x86_64-linux-gnu/softhsm/libsofthsm2.so \
         /usr/lib/aarch64-linux-gnu/softhsm/libsofthsm2.so; do
  [ -r "$m" ] && { module=$m; break; }
done
if [ ! -x "$TOOL" ] || [ -z "$module" ] || ! command -v pkcs11-tool >/dev/null ||
   ! command -v softhsm2-util >/dev/null; then
  echo "$NAME: skipped (needs $TOOL — run 'make build' — SoftHSM2 and OpenSC's pkcs11-tool)"
  exit 0
fi
work=$(mktemp -d /tmp/eimza-bench-cards.XXXXXX)
trap 'rm -rf "$work"' EXIT

# the demo PKI: its in-house CA token is the one that signs
printf '10000000146\tapplicant\t45\tDENEME KİŞİ\n' >"$work/spec.tsv"
if ! EIMZA_PKI_PORT=8081 scripts/demo-pki.sh "$work/pki" "$work/spec.tsv" >"$work/pki.log" 2>&1; then
  echo "$NAME: demo-pki.sh failed: $(tail -n 3 "$work/pki.log")"
  exit 0
fi
mkdir -p "$work/base/tokens"
printf 'directories.tokendir = %s/base/tokens\nobjectstore.backend = file\nlog.level = ERROR\n' \
  "$work" >"$work/base/softhsm2.conf"

for spec in "rsa RSA-2048 0.8" "ec EC-P256 -"; do
  read -r kind label target <<<"$spec"
  # the blank cards and the baseline's tokens, made before anything is timed
  ok=1
  scripts/demo-token.sh --blank "$CARDS" "$work/pki/hsm" >/dev/null || ok=0
  for ((i = 0; i < CARDS && ok; i++)); do
    SOFTHSM2_CONF=$work/base/softhsm2.conf softhsm2-util --init-token --free \
      --label "base-$kind-$i" --pin 000000 --so-pin 00000000 >/dev/null || ok=0
  done
  if [ $ok = 0 ]; then
    echo "$NAME ($label): could not make the tokens"
    continue
  fi
  out=$(SOFTHSM2_CONF=$work/pki/hsm/softhsm2.conf "$TOOL" "$module" "$work/pki/hsm/ca.pin" \
    "$kind" "$CARDS" "$work/base/softhsm2.conf" 2>"$work/tool.err")
  # "open S cards N seconds S baseline N seconds S"
  read -r _ open _ n _ secs _ bn _ bsecs <<<"$out"
  if [ -z "${bsecs:-}" ]; then
    echo "$NAME ($label): bench-card-production failed: $(head -c 300 "$work/tool.err")"
    continue
  fi
  ez=$(awk -v n="$n" -v s="$secs" -v o="$open" 'BEGIN { printf "%.2f", n / (s + o) }')
  base=$(awk -v n="$bn" -v s="$bsecs" 'BEGIN { printf "%.2f", n / s }')
  ratio=$(awk -v a="$ez" -v b="$base" 'BEGIN { printf "%.2f", (b > 0) ? a / b : 0 }')
  if [ "$target" = - ]; then
    verdict="no target"
  else
    verdict=$(awk -v r="$ratio" -v t="$target" 'BEGIN { print (r >= t) ? "ok" : "MISSED" }')
    verdict="target >= $target [$verdict]"
  fi
  echo "$NAME ($label, $n cards each): eimza $ez cards/s (engine opened in ${open}s)," \
    "pkcs11-tool --keypairgen $base keys/s, ratio $ratio ($verdict)"
done
exit 0
