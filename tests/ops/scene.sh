# eimza — the scene of the load tests of operations (sourced by tests/cli/test_backup.sh and
# test_servers.sh, after tests/lib.sh): people in Batman (72) with certificates from a demo PKI
# whose holders can sign (no OCSP responder: an unknown revocation status is accepted), an
# approver and an operator, the database migrated and loaded. The same scene as the crash test
# (tests/crash/kill.sh), whose driver tests/ops/flow_driver.py builds on.
#   scene N       N people; sets DB, PW, and $T/eimza.conf, $T/trust, $T/pki
for c in openssl python3 curl; do
  command -v $c >/dev/null || { echo "FAIL: $c is needed (scripts/deps.txt)"; exit 1; }
done
PW='Yuk-Testi-Parola-1'
scene() {
  DB=$(new_db) || exit 1
  python3 "$SRC/tests/crash/kill_driver.py" people "$1" "$T"
  EIMZA_PKI_PORT=9 bash "$SRC/scripts/demo-pki.sh" "$T/pki" "$T/spec.tsv" >"$T/pki.out" 2>&1 ||
    { fail "demo PKI" "$(tail -5 "$T/pki.out")"; finish; }
  mkdir -p "$T/trust"
  cp "$T/pki/root/root.pem" "$T/pki/nes/nes.pem" "$T/trust/"
  printf 'accept_unknown_revocation = true\nrevocation_timeout_ms = 300\naccess_log = false\n' \
    >"$T/eimza.conf"
  expect_status 0 "migrate" "$EIMZA" migrate --db "$DB"
  expect_status 0 "import personnel" "$EIMZA" import personnel "$T/p.csv" --db "$DB"
  expect_status 0 "import certificates" "$EIMZA" import certificates "$T/pki/holders.pem" --db "$DB"
  for u in "ayse.onay approver 72" "osman.op operator"; do
    set -- $u
    printf '%s\n' "$PW" | "$EIMZA" user add "$1" --role "$2" ${3:+--province $3} --db "$DB" \
      >/dev/null 2>"$T/err" || fail "user add $1" "$(cat "$T/err")"
  done
}
# driver MODE ARGS...: tests/ops/flow_driver.py with the scene's arguments
driver() {
  local mode=$1
  shift
  python3 "$SRC/tests/ops/flow_driver.py" "$mode" --dir "$T" --db "$DB" --eimza "$EIMZA" \
    --config "$T/eimza.conf" --trust "$T/trust" --pki "$T/pki" --password "$PW" "$@"
}
