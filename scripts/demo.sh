#!/usr/bin/env bash
# eimza — the demo data set and the demo server (development only; `make demo`, `make run`).
#
#   scripts/demo.sh create [--fresh]   build the demo directory (var/demo/) unless it is there
#                                      and complete; --fresh rebuilds it anyway
#   scripts/demo.sh serve              create if needed, then serve the portal on
#                                      http://127.0.0.1:8080 and https://127.0.0.1:8443 (a
#                                      second server on the same database, with a demo TLS
#                                      certificate: the relay path needs https) in
#                                      development mode, with the demo OCSP responder
#                                      (127.0.0.1:8081) and the local signing agent holding
#                                      the demo cards (127.0.0.1:8089)
#
# The demo: 300 fictional staff in five provinces (eimza-gen, fixed seed), a demo PKI
# (scripts/demo-pki.sh) whose certificates expire relative to the day the demo is created
# (in 100, 80, 45 and 20 days, 10 days ago, revoked, far away, none), all imported into a
# database with the eimza binary itself; a SoftHSM2 token standing in for the demo applicant's
# card (scripts/demo-token.sh); staff accounts for the approval pages (eimza user add). Cards
# are made in house (production = inhouse): the demo PKI's in-house CA in a SoftHSM2 token and
# five blank cards beside it (scripts/demo-token.sh --blank), one SoftHSM2 for the server and
# the agent; an approved application of a second person can be followed to its end (card
# made, shipped, delivered, PIN on the portal, the new card tried through the agent).
#
# Environment (for tests and other set-ups):
#   EIMZA_DEMO_DIR   the demo directory (default var/demo under the repository)
#   EIMZA_BIN        the eimza binary (default build/eimza)
#   EIMZA_TOOLS      the directory holding eimza-gen (default: beside EIMZA_BIN)
#   EIMZA_DEMO_DB    the database URL (default sqlite:$EIMZA_DEMO_DIR/eimza.db); a PostgreSQL
#                    database given here must be empty or hold this same demo
#   EIMZA_DEMO_TODAY the day the certificate stages are counted from (default: today, UTC)
set -euo pipefail

root=$(cd "$(dirname "$0")/.." && pwd)
demo=${EIMZA_DEMO_DIR:-$root/var/demo}
case $demo in /*) ;; *) demo=$PWD/$demo ;; esac
eimza=${EIMZA_BIN:-$root/build/eimza}
tools=${EIMZA_TOOLS:-$(dirname "$eimza")}
gen=$tools/eimza-gen
demo_apps=$tools/demo-apps
today=${EIMZA_DEMO_TODAY:-$(date -u +%F)}

# The demo's shape: change these and the stamp below makes the next run rebuild.
seed=20240601
count=300
provinces=06,34,72,21,35
marker=.eimza-demo   # says "this directory is a demo directory eimza may delete"
staff_password='Demo-Parola-2026' # the demo staff accounts' password (development only)
ocsp_port=8081
agent_port=8089
https_port=8443
stamp=.complete      # written last: the demo is complete
blank_cards=5        # blank cards for the in-house CA
card_word='Demo Sözcük' # the security word of the approved demo application (its PIN retrieval)

die() { echo "demo: $*" >&2; exit 2; }

demo_db() { echo "${EIMZA_DEMO_DB:-sqlite:$demo/eimza.db}"; }

# The stamp's content: what the directory was built from (the database URL only as a hash,
# in case it holds a password).
stamp_text() {
  printf 'seed=%s count=%s provinces=%s cards=%s db=%s\n' "$seed" "$count" "$provinces" \
    "$blank_cards" "$(demo_db | sha256sum | cut -c1-16)"
}

is_complete() {
  [ -f "$demo/$stamp" ] && [ "$(sed -n 2p "$demo/$stamp")" = "$(stamp_text)" ]
}

write_readme() {
  cat >"$demo/README.txt" <<EOF
eimza demo data set — made by scripts/demo.sh on $today (UTC). Fictional people, demo PKI:
nothing here is real or secret. Rebuild with: scripts/demo.sh create --fresh

eimza.db                 SQLite database (unless EIMZA_DEMO_DB named another): personnel and
                         certificates imported, schema migrated
personnel.csv            $count staff (eimza-gen personnel --seed $seed --provinces $provinces)
certspec.tsv             per person: tckn, certificate stage, days from $today to expiry, CN,
                         ad, soyad, dogum_yeri, dogum_tarihi, gorev_durumu
                         stages: applicant (45 days, own key), d100, d80, d45, d20, expired
                         (10 days ago), revoked, far (400+ days), none (no certificate)
applicant.txt            the demo applicant's login data (printed by scripts/demo.sh serve)
card-holder.txt          the login data of the person whose application is approved: their
                         card is to be made (security word "$card_word")
trust/                   the trust anchors of the demo server: the demo CAs (the in-house CA's
                         inhouse-ca.pem too) and Kamu SM's roots
softhsm/                 -> pki/hsm: one SoftHSM2 for everything (SOFTHSM2_CONF=
                         softhsm/softhsm2.conf): the demo card "eimza-demo" (user PIN 123456)
                         with the applicant's key and certificate, the in-house CA's token
                         "eimza-demo-ca" (PIN in pki/hsm/ca.pin) and $blank_cards blank cards
                         "eimza-bos" (transport PINs 000000 / 00000000)
blank-cards.txt          the blank cards' serial numbers
eimza.conf, secrets.conf the server's settings for in-house production (secrets.conf: the CA
                         token's PIN, the blank cards' transport PINs, the key that seals the
                         new cards' PINs until the holder takes them)
card.pin                 (written by you) the new card's PIN, for the demo's pinentry
applications.txt         the applications waiting in İzmir and Ankara (number, tckn, state)
approved.txt             the approved application (number, tckn, state)
notify-scan.json         what the expiry scan queued (eimza notify run --dev)
notify-send.json         the delivery pass through the demo SMS gateway, which refused the first
                         SMS: see it with  eimza notify failed --db <the database>
staff accounts           onay35 (approver, İzmir), onay06 (approver, Ankara), operator, admin;
                         password $staff_password (TOTP is not asked in --dev)
pki/openssl.cnf          the OpenSSL configuration of the demo CAs (EIMZA_PKI_DIR=pki)
pki/root/                root CA "eimza Demo Kök SHS": root.pem, root.key, index.txt ...
pki/nes/                 sub-CA "eimza Demo NES SHS": nes.pem, nes.key, index.txt (the OCSP
                         responder's database), serial, crlnumber, newcerts/
pki/chain.pem            nes.pem + root.pem
pki/ocsp/                the OCSP responder's certificate and key (for http://127.0.0.1:8081/ocsp)
pki/keys/holders.key     the key shared by the certificates of everyone but the applicant
pki/applicant/           the demo applicant's own key.pem and cert.pem (for the SoftHSM token)
pki/holders/TCKN.pem     each holder's certificate
pki/holders.pem          all holders' certificates (imported)
pki/crl/demo-nes.crl     the sub-CA's CRL, DER (also .crl.pem), listing the revoked ones
pki/crl/demo-root.crl    the root's CRL
tls/ca.pem               the demo TLS CA "eimza Demo TLS" (trust it to open the https portal
                         without a warning: scripts/demo.sh serve says how); tls/server.pem and
                         server.key, its certificate for 127.0.0.1 and localhost (made by serve)
agent.conf               the demo signing agent's settings (both portals, the demo card's module,
                         the TLS CA for the relay path; made by serve)
EOF
}

create() {
  local fresh=${1:-}
  if [ "$fresh" != --fresh ] && is_complete; then
    local made
    made=$(sed -n 1p "$demo/$stamp")
    echo "demo: $demo is complete (made $made); reusing it"
    if [ "$made" != "$today" ]; then
      echo "demo: note: the certificate stages were counted from $made;" \
        "'scripts/demo.sh create --fresh' recounts them from today"
    fi
    return 0
  fi
  [ -x "$eimza" ] || die "no eimza binary at $eimza (run 'make build' or set EIMZA_BIN)"
  [ -x "$gen" ] || die "no eimza-gen at $gen (run 'make build' or set EIMZA_TOOLS)"
  [ -x "$demo_apps" ] || die "no demo-apps at $demo_apps (run 'make build' or set EIMZA_TOOLS)"
  command -v openssl >/dev/null || die "the openssl command is missing"

  # Only ever delete a directory this script made.
  if [ -e "$demo" ]; then
    if [ -f "$demo/$marker" ] || [ -z "$(ls -A "$demo" 2>/dev/null)" ]; then
      rm -rf "$demo"
    else
      die "$demo exists and is not a demo directory; move it away first"
    fi
  fi
  mkdir -p "$demo"
  : >"$demo/$marker"
  local db
  db=$(demo_db)
  local t0=$SECONDS

  echo "demo: generating $count staff ($provinces) and their certificate plan"
  "$gen" personnel --count "$count" --seed "$seed" --provinces "$provinces" --today "$today" \
    >"$demo/personnel.csv"
  "$gen" certspec --count "$count" --seed "$seed" --provinces "$provinces" --today "$today" \
    >"$demo/certspec.tsv"
  awk -F'\t' '$2 == "applicant" { print; exit }' "$demo/certspec.tsv" >"$demo/applicant.txt"
  [ -s "$demo/applicant.txt" ] || die "the certificate plan has no applicant"

  echo "demo: making the demo PKI"
  "$root/scripts/demo-pki.sh" "$demo/pki" "$demo/certspec.tsv" "$today"

  echo "demo: loading the database (${db%%:*})"
  "$eimza" migrate --db "$db" || die "eimza migrate failed"
  "$eimza" import personnel "$demo/personnel.csv" --db "$db" ||
    die "eimza import personnel failed (status $?)"
  "$eimza" import certificates "$demo/pki/holders.pem" "$demo/pki/crl/demo-nes.crl" --db "$db" ||
    die "eimza import certificates failed (status $?)"

  # The trust anchors the demo server checks signatures against: the demo CAs and the shipped
  # Kamu SM roots.
  mkdir -p "$demo/trust"
  cp "$demo/pki/root/root.pem" "$demo/pki/nes/nes.pem" "$root"/trust/*.pem "$demo/trust/"
  cp "$demo/pki/inhouse/ca.pem" "$demo/trust/inhouse-ca.pem"

  # One SoftHSM2 (pki/hsm, made by demo-pki.sh with the in-house CA's token) holds the demo
  # card and the blank cards too: the server makes cards there and the agent signs with them.
  echo "demo: making the demo card and $blank_cards blank cards (SoftHSM2 tokens)"
  "$root/scripts/demo-token.sh" "$demo/pki/hsm" "$demo/pki" >/dev/null ||
    die "scripts/demo-token.sh failed"
  ln -s pki/hsm "$demo/softhsm"
  "$root/scripts/demo-token.sh" --blank "$blank_cards" "$demo/pki/hsm" >"$demo/blank-cards.txt" ||
    die "scripts/demo-token.sh --blank failed"
  cat >"$demo/eimza.conf" <<CONF
# eimza demo: the cards are made in house (docs/CONFIGURATION.md, "Cards")
portal_url = http://127.0.0.1:8080/
production = inhouse
ca_module = $(softhsm_module)
ca_label = eimza-demo-ca
ca_key_label = kurum-nes
card_module = $(softhsm_module)
card_label = eimza-bos
# the certificates made here name the http server's CA answers (the https one's certificate
# is trusted by browsers told so, not by every OCSP client)
ca_ocsp_url = http://127.0.0.1:8080/ca/ocsp
ca_crl_url = http://127.0.0.1:8080/ca/crl
CONF
  (
    umask 077
    printf 'ca_pin = %s\ncard_pin = 000000\ncard_so_pin = 00000000\npin_key = %s\n' \
      "$(cat "$demo/pki/hsm/ca.pin")" "$(openssl rand -hex 32)" >"$demo/secrets.conf"
  )

  echo "demo: staff accounts"
  # the approvers have an address: their daily digest waits in the development outbox
  local name role prov email
  while read -r name role prov email; do
    printf '%s\n' "$staff_password" |
      "$eimza" user add "$name" --role "$role" ${prov:+--province "$prov"} \
        ${email:+--email "$email"} --db "$db" >/dev/null 2>>"$demo/.staff.log" ||
      { cat "$demo/.staff.log" >&2; die "eimza user add $name failed"; }
  done <<STAFF
onay35 approver 35 onay35@meb.gov.tr
onay06 approver 06 onay06@meb.gov.tr
operator operator
admin admin
STAFF

  # Applications waiting in the two approvers' provinces (İzmir 35, Ankara 06): people whose
  # certificate is in its renewal window, and people whose record makes them ineligible, so
  # the queue shows verdicts of both kinds; a few still wait for their signed paper.
  echo "demo: applications waiting for approval"
  local picks
  picks=$(awk -F'\t' 'NR == FNR { stage[$1] = $2; duty[$1] = $9; next }
    FNR > 1 {
      split($0, f, ";"); t = f[1]; p = f[8] + 0
      if (p != 35 && p != 6) next
      s = stage[t]
      if (s == "applicant" || s == "none" || s == "") next
      if (duty[t] == "aktif" && (s == "d20" || s == "d45" || s == "d80") && ok[p] < 5) ok[p]++
      else if (duty[t] != "aktif" && bad[p] < 2) bad[p]++
      else next
      i++
      st = (i % 4 == 0) ? "awaiting_original:wet" : (i % 4 == 1) ? "submitted:esign" : "submitted:wet"
      print t ":" st
    }' "$demo/certspec.tsv" "$demo/personnel.csv")
  # shellcheck disable=SC2086 # one word per application
  "$demo_apps" --db "$db" --today "$today" $picks >"$demo/applications.txt" ||
    die "demo-apps failed"

  # An approved application in İzmir or Ankara, of someone not in the queue whose certificate
  # ends within the year (a renewal is made at most a year ahead), with a security word the
  # holder can give: its card can be made on /yonetim/uretim and followed to the end.
  local holder
  holder=$(awk -F'\t' -v taken=" ${picks//$'\n'/ } " 'NR == FNR { stage[$1] = $2; duty[$1] = $9; next }
    FNR > 1 {
      split($0, f, ";"); t = f[1]; p = f[8] + 0
      if ((p != 35 && p != 6) || duty[t] != "aktif" || index(taken, " " t ":")) next
      if (stage[t] ~ /^(d100|d80|d45|d20)$/) { print t; exit }
    }' "$demo/certspec.tsv" "$demo/personnel.csv")
  [ -n "$holder" ] || die "no one to give an approved application"
  awk -F'\t' -v t="$holder" '$1 == t' "$demo/certspec.tsv" >"$demo/card-holder.txt"
  "$demo_apps" --db "$db" --today "$today" --word "$card_word" "$holder:approved:wet" \
    >"$demo/approved.txt" || die "demo-apps (approved) failed"

  # The expiry warnings of the people in their warning windows, queued by one scan; then one
  # delivery pass through a demo SMS gateway (the test stand-in) that refuses the first message
  # and accepts the rest, so the operator's view of failed messages has something to show.
  # E-mail waits in the outbox (no SMTP server in the demo).
  echo "demo: expiry warnings and a delivery pass through a demo SMS gateway"
  "$eimza" notify run --db "$db" --now "$today" --dev >"$demo/notify-scan.json" 2>>"$demo/.notify.log" ||
    { cat "$demo/.notify.log" >&2; die "eimza notify run failed"; }
  command -v node >/dev/null || die "node is needed for the demo SMS gateway (make deps)"
  : >"$demo/.sms-gateway.out" # there before it is read (the child opens it after the fork)
  SMS_MOCK_MODES=400,200 node "$root/tests/mocks/sms-gateway.mjs" "$demo/.sms-gateway.jsonl" \
    >"$demo/.sms-gateway.out" 2>&1 &
  local gw=$! gport=''
  for _ in $(seq 1 100); do
    gport=$(sed -n 's/^port=//p' "$demo/.sms-gateway.out")
    [ -n "$gport" ] && break
    sleep 0.05
  done
  [ -n "$gport" ] || { kill "$gw" 2>/dev/null; die "the demo SMS gateway did not start"; }
  printf 'sms_gateway_url = http://127.0.0.1:%s/send\n' "$gport" >"$demo/.sms-gateway.conf"
  local nst=0
  "$eimza" notify run --db "$db" --now "$today" --config "$demo/.sms-gateway.conf" \
    >"$demo/notify-send.json" 2>>"$demo/.notify.log" || nst=$?
  kill "$gw" 2>/dev/null
  wait "$gw" 2>/dev/null || true
  [ "$nst" -eq 0 ] || { cat "$demo/.notify.log" >&2; die "eimza notify run (delivery) failed"; }

  write_readme
  { echo "$today"; stamp_text; } >"$demo/$stamp"
  echo "demo: ready in $demo ($((SECONDS - t0)) s)"
}

# softhsm_module: the path of SoftHSM2's PKCS#11 module.
softhsm_module() {
  local m
  for m in /usr/lib/softhsm/libsofthsm2.so /usr/lib/x86_64-linux-gnu/softhsm/libsofthsm2.so \
    /usr/lib/aarch64-linux-gnu/softhsm/libsofthsm2.so; do
    [ -r "$m" ] && { echo "$m"; return 0; }
  done
  return 1
}

# demo_tls: the demo TLS CA and the server's certificate for 127.0.0.1 and localhost (made
# once; a demo directory made before it existed gets it on its next serve).
demo_tls() {
  local d=$demo/tls
  [ -s "$d/server.pem" ] && [ -s "$d/server.key" ] && [ -s "$d/ca.pem" ] && return 0
  mkdir -p "$d"
  openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes -keyout "$d/ca.key" \
    -out "$d/ca.pem" -days 3650 -subj "/O=eimza demo/CN=eimza Demo TLS" \
    -addext "basicConstraints=critical,CA:TRUE,pathlen:0" \
    -addext "keyUsage=critical,keyCertSign,cRLSign" 2>/dev/null || die "the demo TLS CA"
  openssl req -new -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes -keyout "$d/server.key" \
    -subj "/O=eimza demo/CN=127.0.0.1" -out "$d/server.csr" 2>/dev/null || die "the demo TLS key"
  printf 'subjectAltName=IP:127.0.0.1,DNS:localhost\nbasicConstraints=critical,CA:FALSE\nkeyUsage=critical,digitalSignature\nextendedKeyUsage=serverAuth\n' \
    >"$d/server.ext"
  openssl x509 -req -in "$d/server.csr" -CA "$d/ca.pem" -CAkey "$d/ca.key" -CAcreateserial \
    -CAserial "$d/ca.srl" -days 825 -extfile "$d/server.ext" -out "$d/server.pem" 2>/dev/null ||
    die "the demo TLS certificate"
  chmod 600 "$d/ca.key" "$d/server.key"
}

# The processes started beside the server, stopped when the script ends however it ends.
children=()
stop_children() {
  local st=$?
  [ ${#children[@]} -eq 0 ] || kill "${children[@]}" 2>/dev/null || true
  wait 2>/dev/null || true
  return $st
}

# agent_keeper: the demo's signing agent, started again whenever a card is made. The
# server and the agent share one SoftHSM2, and SoftHSM2 reads a token's PINs once, when the
# module is loaded: an agent that began before the card was made would still know the blank
# card's transport PIN. (A real card is read afresh from the reader.) A card made shows as new
# objects in the token directory, looked at every two seconds.
agent_keeper() {
  local apid='' seen now
  trap '[ -z "$apid" ] || kill "$apid" 2>/dev/null; wait; exit 0' TERM INT
  objects() { find "$demo/pki/hsm/tokens" -name '*.object' 2>/dev/null | wc -l; }
  seen=$(objects)
  while :; do
    SOFTHSM2_CONF=$demo/softhsm/softhsm2.conf EIMZA_PINENTRY=$root/scripts/demo-pinentry.sh \
      EIMZA_DEMO_PIN_FILE=$demo/card.pin "$eimza" agent --config "$demo/agent.conf" &
    apid=$!
    while sleep 2; do
      now=$(objects)
      [ "$now" = "$seen" ] || break
    done
    seen=$now
    echo "demo: a card was made: the agent starts again to read it"
    kill "$apid" 2>/dev/null
    wait "$apid" 2>/dev/null
  done
}

serve() {
  create
  local tckn days ad soyad yer dogum _stage _cn _duty
  IFS=$'\t' read -r tckn _stage days _cn ad soyad yer dogum _duty <"$demo/applicant.txt"
  local made expiry module
  made=$(sed -n 1p "$demo/$stamp")
  expiry=$(date -u -d "$made $days days" +%F)
  module=$(softhsm_module) || die "libsofthsm2.so not found (package softhsm2)"

  local htckn _hs hdays _hcn had hsoyad hyer hdogum _hduty hnumber
  IFS=$'\t' read -r htckn _hs hdays _hcn had hsoyad hyer hdogum _hduty <"$demo/card-holder.txt"
  hnumber=$(cut -d' ' -f1 "$demo/approved.txt")

  # Beside the server: the demo OCSP responder the certificates name (AIA), and the signing
  # agent with the demo cards. The demo agent's PIN dialogue is scripts/demo-pinentry.sh, so
  # the demo runs in one terminal: 123456 for the demo card, the content of card.pin for a
  # new card; a real agent asks the person. The server and the agent share one SoftHSM2 (a
  # card made by the server is seen by the agent: its token existed, blank, when both began).
  trap stop_children EXIT
  trap 'exit 130' INT TERM
  openssl ocsp -index "$demo/pki/nes/index.txt" -port "$ocsp_port" -rsigner "$demo/pki/ocsp/ocsp.pem" \
    -rkey "$demo/pki/ocsp/ocsp.key" -CA "$demo/pki/nes/nes.pem" -nmin 60 \
    >"$demo/ocsp.log" 2>&1 &
  children+=($!)
  demo_tls
  # the agent's settings: both portals (the relay path names the https one), the cards'
  # module, the demo TLS CA for the relay path's HTTPS
  printf 'module = %s\nlisten = 127.0.0.1:%s\norigin = http://127.0.0.1:8080\norigin = https://127.0.0.1:%s\nca_file = %s\n' \
    "$module" "$agent_port" "$https_port" "$demo/tls/ca.pem" >"$demo/agent.conf"
  chmod 600 "$demo/agent.conf"
  agent_keeper >"$demo/agent.log" 2>&1 &
  children+=($!)
  # both servers: the relay's portal is the https one; the agent's packages are served when
  # `make deb` (or scripts/build-deb.sh) has made them
  {
    echo "portal_url = https://127.0.0.1:$https_port/"
    if [ -d "$root/build-deb/out" ]; then echo "agent_packages_dir = $root/build-deb/out"; fi
  } >"$demo/portal.conf"
  printf 'tls_cert = %s\ntls_key = %s\n' "$demo/tls/server.pem" "$demo/tls/server.key" >"$demo/https.conf"
  SOFTHSM2_CONF=$demo/softhsm/softhsm2.conf "$eimza" serve --db "$(demo_db)" \
    --listen "127.0.0.1:$https_port" --trust-dir "$demo/trust" --dev --config "$demo/eimza.conf" \
    --config "$demo/secrets.conf" --config "$demo/portal.conf" --config "$demo/https.conf" \
    >"$demo/https.log" 2>&1 &
  children+=($!)
  cat <<BANNER

  eimza demo — http://127.0.0.1:8080/ and https://127.0.0.1:$https_port/

  Log in as the demo applicant (certificate expires on $expiry, $days days after $made):
    Kimlik No     $tckn
    Ad            $ad
    Soyad         $soyad
    Doğum Yeri    $yer
    Doğum Tarihi  $dogum
    (in --dev mode the captcha's answer is shown at /dev/captcha/{id})
  The demo card (SoftHSM2 token "eimza-demo", PIN 123456) is served by the signing agent
    eimza agent --config $demo/agent.conf
  (module $module, listening on 127.0.0.1:$agent_port; log: $demo/agent.log); the demo OCSP
  responder answers on http://127.0.0.1:$ocsp_port.

  HTTPS: https://127.0.0.1:$https_port/ has a certificate of the demo TLS CA
  ($demo/tls/ca.pem). To open it without a warning, trust that CA (a demo CA: remove it after):
    Chromium, Chrome: certutil -d sql:\$HOME/.pki/nssdb -A -t C,, -n "eimza Demo TLS" -i $demo/tls/ca.pem
                      (package libnss3-tools), then restart the browser
    Firefox:          Settings > Privacy & Security > Certificates > View Certificates >
                      Authorities > Import, and tick "Trust this CA to identify websites"
    curl:             curl --cacert $demo/tls/ca.pem https://127.0.0.1:$https_port/healthz
  On the https portal, "İmza aracını aç" opens an eimza:// link (the relay path). Without the
  agent package installed nothing on this desktop handles it: copy the link "İmza aracı
  açılmadıysa buraya tıklayın" and hand it to the agent yourself:
    SOFTHSM2_CONF=$demo/softhsm/softhsm2.conf EIMZA_PINENTRY=$root/scripts/demo-pinentry.sh \
      EIMZA_DEMO_PIN_FILE=$demo/card.pin $eimza agent --config $demo/agent.conf --handle-url 'eimza://sign?...'
  (the https server's log: $demo/https.log)

  Staff (http://127.0.0.1:8080/yonetim/giris), password $staff_password:
    onay35   approver, İzmir      onay06   approver, Ankara
    operator operator             admin    admin

  A card's way, made in house: application $hnumber is approved. As operator, open
  "Kartlar" (/yonetim/uretim), its card page, "Kartı üret" (a blank SoftHSM2 card), then
  "Kargoya verildi" and "Teslim edildi". Then log in as its holder:
    Kimlik No $htckn  Ad $had  Soyad $hsoyad  Doğum Yeri $hyer  Doğum Tarihi $hdogum
  "PIN'imi göster" asks the security word ($card_word) and an SMS code (in the outbox);
  write the PIN shown into $demo/card.pin (the demo's pinentry gives it to
  the agent), then "Yeni kartımı dene" and choose the card "eimza-bos" that names the holder.
  Messages: the development outbox is at http://127.0.0.1:8080/dev/outbox; the one the demo
  SMS gateway refused:  $eimza notify failed --db $(demo_db)
  The data set is in $demo (see README.txt there).

BANNER
  SOFTHSM2_CONF=$demo/softhsm/softhsm2.conf "$eimza" serve --db "$(demo_db)" \
    --listen 127.0.0.1:8080 --trust-dir "$demo/trust" --dev \
    --config "$demo/eimza.conf" --config "$demo/secrets.conf" --config "$demo/portal.conf"
}

case ${1:-} in
  create) shift; create "${1:-}" ;;
  serve) serve ;;
  *) echo "usage: $0 create [--fresh] | serve" >&2; exit 1 ;;
esac
