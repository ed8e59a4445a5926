#!/usr/bin/env bash
# eimza — HTTPS: `eimza serve` with its own TLS (tls_cert, tls_key), and behind a TLS proxy
# (nginx terminating TLS, trusted_proxies).
#
# Checked: over HTTPS every answer carries Strict-Transport-Security (hsts_max_age) and every
# cookie is Secure, and the ready line says https; TLS 1.2 and 1.3 are offered, 1.1 is not;
# over plain HTTP neither HSTS nor Secure, and an X-Forwarded-Proto: https from a client that
# is not a trusted proxy changes nothing; behind nginx, which is one, both are there. The
# certificate is reloaded without a restart: on SIGHUP at once, and on a change of the files
# within tls_reload_check seconds; a pair whose key is not the certificate's is refused with
# the old one kept (and said in the log), and is taken once mended; connections keep working
# throughout. Bad settings: a certificate without its key, a file that is not one, an
# unknown priority string. The server stops cleanly at the end (no leak under ASan).
# Runs once (the database plays no part).
if [ "${EIMZA_TEST_BACKEND:-sqlite}" = postgresql ]; then
  echo "skipped: needs no database of its own (run once, with the sqlite label)"
  exit 77
fi
source "$EIMZA_SOURCE_DIR/tests/lib.sh"
for c in curl openssl nginx; do
  command -v "$c" >/dev/null || { echo "FAIL: $c is needed (scripts/deps.txt)"; exit 1; }
done
DB=$(new_db) || exit 1
source "$SRC/tests/portal_lib.sh"
expect_status 0 "migrate" "$EIMZA" migrate --db "$DB"

# ---- certificates: a CA, and leaves for 127.0.0.1 (a serial each, to tell them apart) -------
openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes -keyout "$T/ca.key" \
  -out "$T/ca.pem" -days 2 -subj "/CN=eimza test TLS CA" \
  -addext "basicConstraints=critical,CA:TRUE" -addext "keyUsage=critical,keyCertSign" 2>/dev/null
printf 'subjectAltName=IP:127.0.0.1\nbasicConstraints=CA:FALSE\nextendedKeyUsage=serverAuth\n' >"$T/leaf.ext"
leaf() { # leaf NAME: NAME.key, NAME.pem
  openssl req -new -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes -keyout "$T/$1.key" \
    -subj "/CN=127.0.0.1" -out "$T/$1.csr" 2>/dev/null &&
    openssl x509 -req -in "$T/$1.csr" -CA "$T/ca.pem" -CAkey "$T/ca.key" -CAcreateserial \
      -CAserial "$T/ca.srl" -days 2 -extfile "$T/leaf.ext" -out "$T/$1.pem" 2>/dev/null
}
for n in one two three; do leaf $n || { fail "certificate $n"; finish; }; done
serial() { openssl x509 -in "$1" -noout -serial | cut -d= -f2; }
export CURL_CA_BUNDLE=$T/ca.pem
# served_serial: the serial of the certificate the server presents now
served_serial() {
  openssl s_client -connect "127.0.0.1:$PORT" -CAfile "$T/ca.pem" </dev/null 2>/dev/null |
    openssl x509 -noout -serial 2>/dev/null | cut -d= -f2
}

# ---- bad settings ---------------------------------------------------------------------------------
printf 'tls_cert = %s\n' "$T/one.pem" >"$T/half.conf"
expect_status 1 "tls_cert without tls_key: exit 1" "$EIMZA" serve --dev --listen 127.0.0.1:0 --db "$DB" \
  --config "$T/half.conf"
expect_grep '^eimza: serve: tls_key: setting_missing: ' "$T/err" "…a coded refusal naming the one missing"
expect_grep '^eimza: serve: tls_cert and tls_key go together' "$T/err" "…says why"
printf 'tls_cert = %s\ntls_key = %s\n' "$T/one.pem" "$T/two.key" >"$T/mixed.conf"
"$EIMZA" serve --dev --listen 127.0.0.1:0 --db "$DB" --config "$T/mixed.conf" >"$T/out" 2>"$T/err"
[ $? -ne 0 ] && ok "a key that is not the certificate's: the server does not start" || fail "mixed pair starts"
expect_grep 'is not the key of the certificate' "$T/err" "…says why"
printf 'tls_cert = %s\ntls_key = %s\n' "$T/ca.srl" "$T/one.key" >"$T/notpem.conf"
"$EIMZA" serve --dev --listen 127.0.0.1:0 --db "$DB" --config "$T/notpem.conf" >"$T/out" 2>"$T/err"
[ $? -ne 0 ] && ok "a certificate file that is not PEM: refused" || fail "not PEM starts"
expect_grep 'tls_cert .*no chain of PEM certificates' "$T/err" "…says why"
printf 'tls_cert = %s\ntls_key = %s\ntls_priorities = NOT-A-PRIORITY\n' "$T/one.pem" "$T/one.key" >"$T/prio.conf"
"$EIMZA" serve --dev --listen 127.0.0.1:0 --db "$DB" --config "$T/prio.conf" >"$T/out" 2>"$T/err"
[ $? -ne 0 ] && ok "an unknown priority string: refused" || fail "bad priorities start"
expect_grep "tls_priorities 'NOT-A-PRIORITY'" "$T/err" "…says why"

# ---- eimza serve over HTTPS ----------------------------------------------------------------------
cp "$T/one.pem" "$T/cert.pem"
cp "$T/one.key" "$T/key.pem"
PORT=$(free_port)
printf 'tls_cert = %s\ntls_key = %s\ntls_reload_check = 1\n' "$T/cert.pem" "$T/key.pem" >"$T/tls.conf"
start_server -- --dev --listen "127.0.0.1:$PORT" --db "$DB" --config "$T/tls.conf" ||
  { fail "the HTTPS server starts" "$(head -c 600 "$SERR")"; finish; }
expect_eq "https://127.0.0.1:$PORT" "$URL" "the ready line says https"
expect_grep 'event=server.tls subject="CN=127.0.0.1"' "$SERR" "the certificate in use is logged"
call GET /healthz
expect_code 200 "/healthz over HTTPS"
expect_grep '^Strict-Transport-Security: max-age=31536000$' <(tr -d '\r' <"$T/h") "HSTS over HTTPS"
call GET "/giris?lang=en"
tr -d '\r' <"$T/h" | grep -i '^set-cookie:' >"$T/cookies"
expect_eq 2 "$(wc -l <"$T/cookies")" "the login page sets two cookies (language, form token)"
expect_eq 0 "$(grep -vc '; Secure' "$T/cookies")" "…both Secure over HTTPS"
expect_eq "$(serial "$T/one.pem")" "$(served_serial)" "the configured certificate is served"
openssl s_client -connect "127.0.0.1:$PORT" -tls1_2 -CAfile "$T/ca.pem" </dev/null >"$T/s12" 2>&1
expect_grep 'Verify return code: 0' "$T/s12" "TLS 1.2 is offered"
openssl s_client -connect "127.0.0.1:$PORT" -tls1_3 -CAfile "$T/ca.pem" </dev/null >"$T/s13" 2>&1
expect_grep 'TLSv1.3' "$T/s13" "TLS 1.3 is offered"
openssl s_client -connect "127.0.0.1:$PORT" -tls1_1 -cipher 'DEFAULT:@SECLEVEL=0' </dev/null >"$T/s11" 2>&1
expect_grep 'Cipher is \(NONE\)' "$T/s11" "TLS 1.1 is not (no session)"
expect_eq 000 "$(curl -s -o /dev/null -w '%{http_code}' "http://127.0.0.1:$PORT/healthz")" \
  "plain HTTP to the HTTPS port gets no page"

# ---- reloading: SIGHUP, a change of the files, a bad pair kept out -------------------------------
# (the check every second would take a change by itself; SIGHUP must not wait for it, so the
# first swap is written to new files renamed into place in one step each, and SIGHUP follows
# at once)
cp "$T/two.pem" "$T/cert.new" && cp "$T/two.key" "$T/key.new"
mv "$T/cert.new" "$T/cert.pem" && mv "$T/key.new" "$T/key.pem"
kill -HUP "$PID"
for _ in $(seq 1 50); do [ "$(served_serial)" = "$(serial "$T/two.pem")" ] && break; sleep 0.1; done
expect_eq "$(serial "$T/two.pem")" "$(served_serial)" "SIGHUP: the new certificate is served"
kill -0 "$PID" && ok "…by the same process" || fail "the server died on SIGHUP"
call GET /healthz
expect_code 200 "requests go on after the reload"
# a certificate whose key does not come with it: refused, the one in use stays
cp "$T/three.pem" "$T/cert.pem"
sleep 2.5
expect_eq "$(serial "$T/two.pem")" "$(served_serial)" "a certificate without its key: the old pair stays"
expect_grep 'event=server.tls_reload_failed .*is not the key of the certificate.* kept=previous' "$SERR" \
  "…and the log says why"
# the key arrives: the check takes the mended pair by itself
cp "$T/three.key" "$T/key.pem"
for _ in $(seq 1 50); do [ "$(served_serial)" = "$(serial "$T/three.pem")" ] && break; sleep 0.1; done
expect_eq "$(serial "$T/three.pem")" "$(served_serial)" "the files changed: the new pair is served without a signal"
expect_grep "event=server.tls_reloaded subject=\"CN=127.0.0.1\" serial=$(serial "$T/three.pem" | tr 'A-F' 'a-f')" \
  "$SERR" "…and logged"
stop_server

# ---- plain HTTP: no HSTS, no Secure, a forged X-Forwarded-Proto ignored ---------------------------
start_server -- --dev --listen 127.0.0.1:0 --db "$DB" ||
  { fail "the HTTP server starts" "$(head -c 600 "$SERR")"; finish; }
call GET "/giris?lang=en"
expect_no_grep '^Strict-Transport-Security' "$T/h" "no HSTS over plain HTTP"
expect_no_grep '; Secure' "$T/h" "no Secure cookie over plain HTTP"
call GET "/giris?lang=en" -H 'X-Forwarded-Proto: https'
expect_no_grep '^Strict-Transport-Security' "$T/h" "X-Forwarded-Proto from a client that is no trusted proxy: no HSTS"
expect_no_grep '; Secure' "$T/h" "…and no Secure cookie"
stop_server

# ---- behind a TLS proxy (nginx), which trusted_proxies names ------------------------------------
BACK=$(free_port)
printf 'trusted_proxies = 127.0.0.1\n' >"$T/proxied.conf"
start_server -- --dev --listen "127.0.0.1:$BACK" --db "$DB" --config "$T/proxied.conf" ||
  { fail "the proxied server starts" "$(head -c 600 "$SERR")"; finish; }
FRONT=$(free_port)
mkdir -p "$T/nginx"
cat >"$T/nginx.conf" <<NGINX
pid $T/nginx/nginx.pid;
error_log $T/nginx/error.log;
daemon off;
events { worker_connections 64; }
http {
  access_log off;
  client_body_temp_path $T/nginx/body;
  proxy_temp_path $T/nginx/proxy;
  fastcgi_temp_path $T/nginx/fcgi;
  uwsgi_temp_path $T/nginx/uwsgi;
  scgi_temp_path $T/nginx/scgi;
  server {
    listen 127.0.0.1:$FRONT ssl;
    ssl_certificate $T/one.pem;
    ssl_certificate_key $T/one.key;
    location / {
      proxy_pass http://127.0.0.1:$BACK;
      proxy_set_header Host \$host;
      proxy_set_header X-Forwarded-For \$proxy_add_x_forwarded_for;
      proxy_set_header X-Forwarded-Proto \$scheme;
    }
  }
}
NGINX
nginx -c "$T/nginx.conf" -p "$T/nginx" >"$T/nginx/out" 2>&1 &
NGINX_PID=$!
trap '[ -n "$PID" ] && kill -TERM "$PID" 2>/dev/null; kill -QUIT "$NGINX_PID" 2>/dev/null; cleanup' EXIT
for _ in $(seq 100); do (exec 3<>"/dev/tcp/127.0.0.1/$FRONT") 2>/dev/null && break; sleep 0.05; done
CODE=$(curl -s -o /dev/null -D "$T/h" -w '%{http_code}' "https://127.0.0.1:$FRONT/giris?lang=en")
expect_eq 200 "$CODE" "through nginx over HTTPS"
expect_grep '^Strict-Transport-Security: max-age=31536000' <(tr -d '\r' <"$T/h") \
  "behind a trusted TLS proxy: HSTS (the person's connection is HTTPS)"
expect_eq 0 "$(tr -d '\r' <"$T/h" | grep -i '^set-cookie:' | grep -vc '; Secure')" "…and every cookie Secure"
call GET "/giris?lang=en"
expect_no_grep '^Strict-Transport-Security' "$T/h" "the same server asked over plain HTTP directly: no HSTS"
stop_server
kill -QUIT "$NGINX_PID" 2>/dev/null
wait "$NGINX_PID" 2>/dev/null
finish
