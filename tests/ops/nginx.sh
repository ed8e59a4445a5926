# eimza — nginx in front of test servers, with the shipped site packaging/nginx/eimza.conf
# (sourced after tests/lib.sh). Only what cannot be the same on a test machine is changed: the
# two listen ports (on loopback), the upstream servers' ports, the certificate's files and the
# folder of nginx's own error pages (the source tree's static/nginx/); each change must hit
# exactly the line it is meant for, so a change to the shipped file that the test would
# silently miss fails here instead.
#   nginx_cert DIR                 a CA and a certificate for eimza.example.gov.tr in DIR
#   nginx_start HTTPS HTTP PORT... nginx on those ports in front of servers on PORT...; sets
#                                  NGINX_PID; its files in $T/nginx
#   nginx_stop
nginx_cert() {
  local d=$1
  mkdir -p "$d"
  openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes -keyout "$d/ca.key" \
    -out "$d/ca.pem" -subj "/CN=eimza test CA" -days 2 \
    -addext basicConstraints=critical,CA:TRUE -addext keyUsage=critical,keyCertSign 2>/dev/null &&
    openssl req -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes -keyout "$d/privkey.pem" \
      -out "$d/req.csr" -subj "/CN=eimza.example.gov.tr" 2>/dev/null &&
    openssl x509 -req -in "$d/req.csr" -CA "$d/ca.pem" -CAkey "$d/ca.key" -CAcreateserial \
      -days 2 -out "$d/cert.pem" \
      -extfile <(printf 'subjectAltName=DNS:eimza.example.gov.tr\nextendedKeyUsage=serverAuth\n') \
      2>/dev/null && cat "$d/cert.pem" "$d/ca.pem" >"$d/fullchain.pem"
}

nginx_start() {
  local https=$1 http=$2
  shift 2
  local n=$T/nginx site=$SRC/packaging/nginx/eimza.conf
  mkdir -p "$n"
  nginx_cert "$n/tls" || { fail "nginx: a test certificate"; return 1; }
  local sed_args=(-e "s|^    listen 443 ssl http2;$|    listen 127.0.0.1:$https ssl http2;|"
    -e "s|^    listen \[::\]:443 ssl http2;$|    listen [::1]:$https ssl http2;|"
    -e "s|^    listen 80;$|    listen 127.0.0.1:$http;|"
    -e "s|^    listen \[::\]:80;$|    listen [::1]:$http;|"
    -e "s|^    ssl_certificate /etc/ssl/eimza/fullchain.pem;$|    ssl_certificate $n/tls/fullchain.pem;|"
    -e "s|^    ssl_certificate_key /etc/ssl/eimza/privkey.pem;$|    ssl_certificate_key $n/tls/privkey.pem;|"
    -e "s|^        alias /usr/share/eimza/static/nginx/;$|        alias $SRC/static/nginx/;|")
  local i=1 p
  for p in "$@"; do
    sed_args+=(-e "s|^    server 127.0.0.1:808$i max_fails=0;$|    server 127.0.0.1:$p max_fails=0;|")
    i=$((i + 1))
  done
  sed "${sed_args[@]}" "$site" >"$n/eimza.conf"
  local changed
  changed=$(diff "$site" "$n/eimza.conf" | grep -c '^>')
  # 8: four listen lines, the certificate's two, the pages' folder on each of the two servers
  expect_eq $((8 + $#)) "$changed" "nginx: the shipped site with its ports, certificate and static folder changed, nothing else"
  cat >"$n/nginx.conf" <<EOF
# the test's main configuration: where nginx keeps its files; the site is the shipped one
user root;
daemon off;
worker_processes 2;
pid $n/nginx.pid;
error_log $n/error.log warn;
events { worker_connections 1024; }
http {
    access_log $n/access.log;
    client_body_temp_path $n/body;
    proxy_temp_path $n/proxy;
    fastcgi_temp_path $n/fastcgi;
    uwsgi_temp_path $n/uwsgi;
    scgi_temp_path $n/scgi;
    include /etc/nginx/mime.types;
    include $n/eimza.conf;
}
EOF
  nginx -t -q -c "$n/nginx.conf" >"$n/test.out" 2>&1 || { fail "nginx -t" "$(cat "$n/test.out")"; return 1; }
  # without the descriptors above 2 this shell holds (a caller's lock must not outlive it)
  nginx -c "$n/nginx.conf" >"$n/nginx.out" 2>&1 3>&- 4>&- 5>&- 6>&- 7>&- 8>&- 9>&- &
  NGINX_PID=$!
  for _ in $(seq 1 100); do
    (exec 3<>"/dev/tcp/127.0.0.1/$https") 2>/dev/null && return 0
    kill -0 "$NGINX_PID" 2>/dev/null || break
    sleep 0.05
  done
  fail "nginx starts" "$(cat "$n/nginx.out" "$n/error.log" 2>/dev/null | tail -5)"
  return 1
}

nginx_stop() {
  [ -n "${NGINX_PID:-}" ] || return 0
  # a graceful stop, then, should a connection keep it past five seconds, a hard one with its
  # workers (a left-over nginx would hold the test's ports, and whatever it inherited)
  local workers
  workers=$(pgrep -P "$NGINX_PID" 2>/dev/null | paste -sd' ')
  kill -QUIT "$NGINX_PID" 2>/dev/null
  for _ in $(seq 1 50); do
    kill -0 "$NGINX_PID" 2>/dev/null || break
    sleep 0.1
  done
  if kill -0 "$NGINX_PID" 2>/dev/null; then
    # shellcheck disable=SC2086 # the worker pids are words
    kill -KILL "$NGINX_PID" $workers 2>/dev/null
  fi
  wait "$NGINX_PID" 2>/dev/null
  NGINX_PID=
}
