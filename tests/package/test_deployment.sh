#!/usr/bin/env bash
# eimza — docs/DEPLOYMENT.md, run (issue 18): the shell blocks the page marks
# `<!-- test: test_deployment ID -->` are taken out of the page and run in its order, as root,
# in a clean Debian 12 root with this commit's packages, in a network of its own: the packages
# installed with apt, the service started, the settings, the first staff account and the
# personnel (SQLite), SQLite backups (a copy, a timer's copy, a copy checked in a scratch file,
# a restore), PostgreSQL (Debian's, the role and database, the URL in secrets.conf, the data
# again), two servers (eimza@1 and eimza@2 started at once: their migrations at once), nginx with
# the shipped site and a certificate in front, PostgreSQL backups (pg_dump, a timer, a copy
# checked in a scratch database, a restore), the retention (a run, a timer instead of the
# servers' thread), the checks. After each block the test checks what it did: the servers'
# answers (also through nginx, from both servers), files and modes, rows, audit entries; the
# units the page writes pass systemd-analyze verify.
# Every shell block of the page must be marked with the test that runs it (or say why none
# does); the list of this test's blocks must be the one below, in that order.
#
# How it differs from a real machine is at the end of the page ("How the tests run this page"):
# systemctl and journalctl are stand-ins (tests/package/deployment/) that run the units' own
# command lines; no service starts while apt installs; apt answers yes; /etc/hosts names the
# portal; the certificate is from a test CA the root trusts.
#
# The minbase root is test_clean_root's (/var/cache/eimza-test/bookworm-minbase, made here too
# if missing); the packages the page installs (PostgreSQL, nginx, curl) and those eimza's
# packages depend on are kept in a layer above it ($cache/bookworm-deploy), made on the first
# run by the page's own apt-get lines and made again when those lines, the packages'
# dependencies or the minbase root change, or when the package lists (refreshed daily) have
# newer versions of them. Each run: an overlay of a fresh layer on the two,
# the page's blocks in a network and PID namespace of their own (every process they start ends
# with it). Needs root. The packages: test_debs' (the ctest fixture eimza_debs).
source "$EIMZA_SOURCE_DIR/tests/lib.sh"
source "$SRC/tests/package/root_lib.sh"
ROOT_LABEL=deployment
[ "${EIMZA_TEST_BACKEND:-sqlite}" = sqlite ] || { echo "skipped: runs once"; exit 77; }
if [ "$(id -u)" -ne 0 ]; then
  echo "skipped: needs root (debootstrap, chroot, mounts, namespaces)"
  exit 77
fi
for c in python3 unshare nsenter ip jq sqlite3 openssl; do
  command -v $c >/dev/null || { echo "FAIL: $c is needed (scripts/deps.txt)"; exit 1; }
done
cache=${EIMZA_TEST_CACHE:-/var/cache/eimza-test}
mirror=${DEBIAN_MIRROR:-http://deb.debian.org/debian}
security=${DEBIAN_SECURITY_MIRROR:-http://deb.debian.org/debian-security}
base=$cache/bookworm-minbase
layer=$cache/bookworm-deploy
archives=$cache/apt-archives
debs=${EIMZA_PKG_DIR:?}/out
doc=$SRC/docs/DEPLOYMENT.md
root=$T/root
t0=$(date +%s)

# the page's blocks for this test, in its order
WANT="install install-check settings staff sqlite-backup sqlite-timer sqlite-check sqlite-restore
pg-install pg-database pg-staff two-servers two-servers-check nginx nginx-check pg-backup
pg-check pg-restore retention retention-timer checks"

# ---- the page's blocks ------------------------------------------------------------------------
mkdir -p "$T/blocks"
python3 - "$doc" "$T/blocks" "$SRC" >"$T/extract.out" 2>&1 <<'EOF'
import os, re, sys
doc, out, src = sys.argv[1:]
lines = open(doc, encoding='utf-8').read().split('\n')
bad, ids = [], []
for i, l in enumerate(lines):
    if not l.startswith('```sh'):
        continue
    prev = lines[i - 1] if i else ''
    m = re.fullmatch(r'<!-- (test: (test_[a-z_]+)(?: ([a-z0-9-]+))?(?: \(.+\))?|not run: .+) -->', prev)
    if not m:
        bad.append('line %d: a shell block without a marker before it' % (i + 1))
        continue
    name, bid = m.group(2), m.group(3)
    if name is None:
        continue  # not run, and the page says why
    if not any(os.path.exists(os.path.join(src, 'tests', d, name + '.sh')) for d in ('package', 'cli')):
        bad.append('line %d: no test %s' % (i, name))
    if name != 'test_deployment':
        continue
    if not bid:
        bad.append('line %d: test_deployment without a block name' % i)
        continue
    body = []
    for l2 in lines[i + 1:]:
        if l2.startswith('```'):
            break
        body.append(l2)
    with open(os.path.join(out, '%02d-%s.sh' % (len(ids), bid)), 'w', encoding='utf-8') as f:
        f.write('\n'.join(body) + '\n')
    ids.append(bid)
for b in bad:
    print('BAD', b)
print('IDS', ' '.join(ids))
EOF
if grep -q '^BAD' "$T/extract.out" || ! grep -q '^IDS' "$T/extract.out"; then
  fail "every shell block of docs/DEPLOYMENT.md is marked with its test" "$(grep -v '^IDS' "$T/extract.out")"
else
  ok "every shell block of docs/DEPLOYMENT.md is marked with its test (or says why none runs it)"
fi
expect_eq "$(echo $WANT)" "$(sed -n 's/^IDS //p' "$T/extract.out")" "the page's blocks for test_deployment, in order"
[ "$_fails" -eq 0 ] || finish
# the page's own apt-get lines (all but the packages of this commit), for the kept layer
apt_lines=$(cat "$T"/blocks/*.sh | grep -E '^apt-get install ' | grep -v '\./' | sed 's/ *#.*//')

# ---- mounts, and taking them down before anything is removed --------------------------------
mounts=()
HOLDER=""
teardown() {
  if [ -n "$HOLDER" ]; then # the namespace's first process: every process in it ends with it
    kill -KILL "$HOLDER" 2>/dev/null
    wait "$HOLDER" 2>/dev/null
    HOLDER=""
  fi
  for ((i = ${#mounts[@]} - 1; i >= 0; i--)); do
    umount "${mounts[$i]}" 2>/dev/null || umount -l "${mounts[$i]}" 2>/dev/null
  done
  mounts=()
}
trap 'teardown; if ! findmnt -rn -o TARGET | grep -q "^$T/"; then rm -rf --one-file-system "$T"; fi' EXIT
# what a chroot needs that a machine has: no service started by apt (as in a container), apt
# answering yes
prepare_root() {
  printf '#!/bin/sh\n# eimza test: no service starts while apt installs\nexit 101\n' >"$1/usr/sbin/policy-rc.d"
  chmod 0755 "$1/usr/sbin/policy-rc.d"
  printf 'APT::Get::Assume-Yes "true";\nAPT::Color "0";\n' >"$1/etc/apt/apt.conf.d/90eimza-test"
}

# ---- the kept roots --------------------------------------------------------------------------
mkdir -p "$cache"
exec 9>"$cache/.lock"
flock 9
kept_minbase
for f in "$debs"/eimza-common_*.deb "$debs"/eimza_*.deb; do
  [ -f "$f" ] || { fail "the packages in $debs (test_debs makes them)"; finish; }
done
# eimza's dependencies, by name
deps=$(for f in "$debs"/eimza-common_*.deb "$debs"/eimza_*.deb; do dpkg-deb -f "$f" Depends; done |
  tr ',' '\n' | sed 's/([^)]*)//g; s/|.*//; s/ //g' | grep -v '^eimza' | sort -u | paste -sd' ')
stamp=$(printf 'layer 1\n%s\n%s\n%s\n' "$apt_lines" "$deps" "$(stat -c %Y "$base/.eimza-ready")" |
  sha256sum | cut -c1-16)
# layer_current: the stamp matches, and with the package lists as they are now (refreshed once
# a day) the page's apt-get lines would install or upgrade nothing: they run without a network
# later, and a newer version in the lists would have them try to download it
layer_current() {
  [ "$(cat "$layer/.eimza-stamp" 2>/dev/null)" = "$stamp" ] || return 1
  local r=$T/sim st=0 l
  mkdir -p "$r/root" "$r/upper" "$r/work"
  mount -t overlay overlay -o "lowerdir=$layer:$base,upperdir=$r/upper,workdir=$r/work" "$r/root" &&
    mounts+=("$r/root") || return 1
  mount_root_fs "$r/root" || st=1
  while [ "$st" -eq 0 ] && IFS= read -r l; do
    [ -n "$l" ] || continue
    # shellcheck disable=SC2086 # the page's line, split into words as the shell would
    in_root "$r/root" ${l/apt-get install/apt-get install -s} >"$T/sim.out" 2>&1 || st=1
    grep -q '^Inst ' "$T/sim.out" && st=1
  done <<<"$apt_lines"
  # shellcheck disable=SC2086
  in_root "$r/root" apt-get install -s --no-install-recommends $deps >"$T/sim.out" 2>&1 || st=1
  grep -q '^Inst ' "$T/sim.out" && st=1
  teardown
  return $st
}
if ! layer_current; then
  echo "deployment: the page's packages into the kept layer $layer (first run, or they changed)"
  t1=$(date +%s)
  rm -rf --one-file-system "$layer" "$layer.tmp"
  mkdir -p "$layer.tmp/upper" "$layer.tmp/work" "$layer.tmp/root"
  mount -t overlay overlay -o "lowerdir=$base,upperdir=$layer.tmp/upper,workdir=$layer.tmp/work" \
    "$layer.tmp/root" && mounts+=("$layer.tmp/root") || { fail "an overlay for the layer"; finish; }
  mount_root_fs "$layer.tmp/root" || { fail "mounts in the layer"; finish; }
  prepare_root "$layer.tmp/root"
  st=0
  while IFS= read -r l; do
    [ -n "$l" ] || continue
    # shellcheck disable=SC2086 # the page's line, split into words as the shell would
    in_root "$layer.tmp/root" $l >>"$T/layer.log" 2>&1 || st=1
  done <<<"$apt_lines"
  # shellcheck disable=SC2086
  in_root "$layer.tmp/root" apt-get install --no-install-recommends $deps >>"$T/layer.log" 2>&1 || st=1
  in_root "$layer.tmp/root" apt-get -qq autoclean >/dev/null 2>&1
  teardown
  [ "$st" -eq 0 ] || { tail -n 30 "$T/layer.log"; fail "the page's packages in the kept layer"; finish; }
  mv "$layer.tmp/upper" "$layer"
  rm -rf --one-file-system "$layer.tmp"
  echo "$stamp" >"$layer/.eimza-stamp"
  echo "deployment: layer made in $(($(date +%s) - t1))s"
fi
t_base=$(($(date +%s) - t0))

# ---- a fresh root for this run ---------------------------------------------------------------
mkdir -p "$root" "$T/upper" "$T/ovlwork"
mount -t overlay overlay -o "lowerdir=$layer:$base,upperdir=$T/upper,workdir=$T/ovlwork" "$root" &&
  mounts+=("$root") || { fail "an overlay for this run"; finish; }
flock -u 9 # the kept roots are only read from here on
exec 9>&-
mount_root_fs "$root" || { fail "mounts in the fresh root"; finish; }
prepare_root "$root"
install -m 0755 "$SRC/tests/package/deployment/systemctl" "$SRC/tests/package/deployment/journalctl" \
  "$root/usr/local/sbin/"
w=$root/root/deploy # the folder the blocks run in
mkdir -p "$w"
cp "$debs"/eimza-common_*.deb "$debs"/eimza_*.deb "$w/"
cp "$SRC/tests/e2e/fixtures/personnel.csv" "$w/personel.csv"
source "$SRC/tests/ops/nginx.sh" # nginx_cert: a test CA and a certificate for eimza.example.gov.tr
nginx_cert "$T/tls" || { fail "a test certificate"; finish; }
cp "$T/tls/fullchain.pem" "$T/tls/privkey.pem" "$w/"
install -D -m 0644 "$T/tls/ca.pem" "$root/usr/local/share/ca-certificates/eimza-test-ca.crt"
echo "127.0.0.1 eimza.example.gov.tr" >>"$root/etc/hosts"
PW='Kurulum-Parola-2026'

# the namespace: its own network (loopback up) and PIDs, /proc of its own in the root
unshare --net --pid --mount --fork --propagation private --mount-proc="$root/proc" \
  sh -c 'ip link set lo up && exec bash -c "while :; do sleep 1; done"' </dev/null >/dev/null 2>&1 &
UNSHARE=$!
for _ in $(seq 1 50); do
  HOLDER=$(pgrep -P "$UNSHARE" 2>/dev/null | head -n 1)
  [ -n "$HOLDER" ] && nsenter -t "$HOLDER" -n ip -o link show lo 2>/dev/null | grep -q 'UP' && break
  sleep 0.1
done
[ -n "$HOLDER" ] || { fail "a network namespace"; finish; }
# in_ns CMD...: on the host's files, in the namespace's network; root CMD...: in the root too
in_ns() { nsenter -t "$HOLDER" -n -p -m -- "$@"; }
root_do() { nsenter -t "$HOLDER" -n -p -m -- chroot "$root" /usr/bin/env -i \
  PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin HOME=/root LANG=C.UTF-8 \
  DEBIAN_FRONTEND=noninteractive "$@"; }
in_ns true && ok "a Debian 12 root of its own, in a network of its own" || { fail "nsenter"; finish; }
root_do update-ca-certificates >/dev/null 2>&1 || fail "the test CA trusted in the root"
# a process holding the lock's descriptor must not outlive the test: none of this inherits it

# run ID: the page's block ID, its output in $T/ID.out; its status in RC
run() {
  local f
  f=$(ls "$T/blocks/"[0-9][0-9]"-$1.sh")
  cp "$f" "$w/.block.sh"
  local input=/dev/null
  [ -f "$T/stdin-$1" ] && input=$T/stdin-$1
  root_do bash -c 'cd /root/deploy && exec bash -e -o pipefail .block.sh' <"$input" >"$T/$1.out" 2>&1 3>&- 4>&- 5>&- 6>&- 7>&- 8>&-
  RC=$?
  if [ "$RC" -eq 0 ]; then ok "block '$1' runs"; else
    fail "block '$1' runs" "exit $RC: $(tail -n 15 "$T/$1.out")"
  fi
}
q_lite() { sqlite3 -separator ' ' "$root/var/lib/eimza/eimza.db" "$1"; }
q_pg() { root_do runuser -u postgres -- psql -X -At -F ' ' -d "${2:-eimza}" -c "$1"; }
unit_log() { cat "$root/var/log/eimza-test-units/$1.log" 2>/dev/null; }
get() { in_ns curl -s -o /dev/null -w '%{http_code}' "$@"; }

# ---- 2. the packages, the service --------------------------------------------------------------
run install
[ "$RC" -eq 0 ] || finish
in_root "$root" getent passwd eimza >"$T/pw"
expect_grep '^eimza:x:[0-9]+:[0-9]+:.*:/var/lib/eimza:/usr/sbin/nologin$' "$T/pw" "the package made the user eimza"
# what the package starts by itself where systemd runs
root_do systemctl start eimza >"$T/start.out" 2>&1 || fail "eimza.service starts" "$(cat "$T/start.out")"
run install-check
expect_eq active "$(head -n 1 "$T/install-check.out")" "systemctl is-active eimza"
expect_grep '^\{"status":"ok","database":"sqlite","schema":[0-9]+\}' "$T/install-check.out" "/healthz: SQLite"
expect_grep '^\{"status":"ready"' "$T/install-check.out" "/readyz: ready"
expect_grep 'event=serve' "$T/install-check.out" "journalctl -u eimza: the service's log"

run settings
expect_grep '^portal_url = https://eimza.example.gov.tr/$' "$root/etc/eimza/eimza.conf" "portal_url set"
expect_eq 200 "$(get http://127.0.0.1:8080/readyz)" "restarted with it, ready"

printf '%s\n' "$PW" >"$T/stdin-staff"
run staff
expect_eq "admin admin" "$(q_lite "SELECT username, role FROM users")" "the staff account (SQLite)"
expect_eq 1 "$(q_lite "SELECT count(*) FROM personnel")" "the personnel imported (SQLite)"
[ ! -e "$root/var/lib/eimza/personel.csv" ] && ok "the copy of the personnel file is gone" ||
  fail "the copy of the personnel file is gone"

# ---- 9. backups on SQLite ---------------------------------------------------------------------
run sqlite-backup
expect_grep 'integrity ok' "$T/sqlite-backup.out" "eimza backup: its line"
expect_eq "700 eimza" "$(in_root "$root" stat -c '%a %U' /var/backups/eimza)" "the backups' folder is eimza's alone"
expect_eq 600 "$(stat -c %a "$root/var/backups/eimza/eimza-first.db")" "the copy is 0600"
run sqlite-timer
n=$(find "$root/var/backups/eimza" -name 'eimza-2*.db' | wc -l)
expect_eq 1 "$n" "the timer's service made a dated copy"
expect_eq 2 "$(q_lite "SELECT count(*) FROM audit_log WHERE action = 'backup.made'")" "both copies audited"
run sqlite-check
expect_grep '^audit: [0-9]+ entries, chain intact' "$T/sqlite-check.out" "the copy restored into a scratch file: the audit chain intact"
[ ! -e "$root/var/tmp/eimza-check.db" ] && ok "the scratch file removed" || fail "the scratch file removed"
# a change after the first copy, which the restore must take back
q_lite "UPDATE users SET email = 'sonra@example.gov.tr' WHERE username = 'admin'" || fail "a change after the copy"
run sqlite-restore
expect_grep '^\{"status":"ready"' "$T/sqlite-restore.out" "after the restore the service is ready"
expect_eq "" "$(q_lite "SELECT coalesce(email, '') FROM users WHERE username = 'admin'")" "the database is the copy's (the later change gone)"
expect_eq 1 "$(q_lite "SELECT count(*) FROM audit_log WHERE action = 'backup.restored'")" "the restore is in the audit log"

# ---- 10. PostgreSQL ---------------------------------------------------------------------------
run pg-install
cluster=$(cd "$root/etc/postgresql" && ls -d */main | head -n 1)
# what the package starts by itself where systemd runs
root_do systemctl start "postgresql@${cluster%/main}-main" >"$T/pgstart.out" 2>&1 ||
  fail "PostgreSQL's cluster starts" "$(cat "$T/pgstart.out")"
expect_eq 1 "$(q_pg 'SELECT 1' postgres)" "PostgreSQL $cluster answers"
run pg-database
expect_grep '^db = postgresql://eimza:[A-Za-z0-9]{30,}@localhost/eimza$' "$root/etc/eimza/secrets.conf" "the URL with its password in secrets.conf"
expect_eq "640 root" "$(stat -c '%a %U' "$root/etc/eimza/secrets.conf")" "secrets.conf still 0640 root"
expect_grep '^#db = sqlite:' "$root/etc/eimza/eimza.conf" "the SQLite line commented out"
in_ns curl -s http://127.0.0.1:8080/healthz >"$T/h"
expect_grep '"database":"postgresql"' "$T/h" "the service runs on PostgreSQL"
expect_eq eimza "$(q_pg "SELECT pg_catalog.pg_get_userbyid(datdba) FROM pg_database WHERE datname = 'eimza'" postgres)" "the database is the role eimza's"
expect_eq scram-sha-256 "$(q_pg 'SHOW password_encryption' postgres)" "the password kept as SCRAM"
printf '%s\n' "$PW" >"$T/stdin-pg-staff"
run pg-staff
expect_eq "admin admin" "$(q_pg "SELECT username, role FROM users")" "the staff account (PostgreSQL)"
expect_eq 1 "$(q_pg "SELECT count(*) FROM personnel")" "the personnel imported (PostgreSQL)"
expect_grep '"database":"postgresql"' "$T/pg-staff.out" "/healthz says PostgreSQL"

# ---- 11. two servers --------------------------------------------------------------------------
run two-servers
expect_eq "inactive active active" "$(root_do systemctl is-active eimza eimza@1 eimza@2 | paste -sd' ')" "eimza stopped, eimza@1 and eimza@2 running"
expect_eq 000 "$(get http://127.0.0.1:8080/healthz)" "nothing on 8080 any more"
for i in 1 2; do
  unit_log "eimza@$i.service" >"$T/u$i"
  expect_grep '^schema at version [0-9]+ \(applied 0 migrations\)' "$T/u$i" \
    "eimza@$i ran eimza migrate as it started, both at once (the schema already current)"
done
run two-servers-check
expect_eq 2 "$(grep -c '^{"status":"ready"' "$T/two-servers-check.out")" "both servers ready"
expect_grep 'event=serve.status_cache state=off reason=postgresql' "$T/two-servers-check.out" "the status cache is off on PostgreSQL"
expect_grep '^eimza_up' "$T/two-servers-check.out" "/metrics answers"

# ---- 12. nginx --------------------------------------------------------------------------------
run nginx
expect_eq active "$(root_do systemctl is-active nginx)" "nginx runs"
run nginx-check
expect_eq "200
301 https://eimza.example.gov.tr/" "$(sed -n 1,2p "$T/nginx-check.out")" "through nginx: the portal over TLS; plain HTTP sent to HTTPS"
expect_grep '^strict-transport-security: max-age=' "$T/nginx-check.out" "HSTS"
expect_eq 404 "$(tail -n 1 "$T/nginx-check.out")" "/readyz is not served to the world"
before1=$(unit_log eimza@1.service | grep -c 'event=http.request .*path="/" ')
before2=$(unit_log eimza@2.service | grep -c 'event=http.request .*path="/" ')
for _ in 1 2 3 4 5 6; do root_do curl -s -o /dev/null https://eimza.example.gov.tr/; done
a=$(($(unit_log eimza@1.service | grep -c 'event=http.request .*path="/" ') - before1))
b=$(($(unit_log eimza@2.service | grep -c 'event=http.request .*path="/" ') - before2))
[ "$a" -gt 0 ] && [ "$b" -gt 0 ] && [ $((a + b)) -eq 6 ] && ok "six pages through nginx: both servers served ($a and $b)" ||
  fail "both servers serve through nginx" "$a and $b of 6"
root_do curl -s -D - -o /dev/null https://eimza.example.gov.tr/api/v1/captcha >"$T/hdr"
expect_grep '^content-security-policy: ' "$T/hdr" "eimza's own headers come through"
# trusted_proxies: eimza believes nginx that the person came over TLS (its cookies then Secure)
root_do curl -s -D - -o /dev/null https://eimza.example.gov.tr/giris >"$T/hdr"
expect_grep '^set-cookie: eimza_login_csrf=[^;]+;.*; Secure' "$T/hdr" "through nginx, a Secure cookie: eimza trusts the proxy's X-Forwarded-Proto"
in_ns curl -s -D - -o /dev/null http://127.0.0.1:8081/giris >"$T/hdr"
expect_no_grep '^set-cookie: .*; Secure' "$T/hdr" "straight to a server over plain HTTP, none"
unit_log eimza@1.service >"$T/u1"
unit_log eimza@2.service >>"$T/u1"
expect_no_grep 'X-Forwarded|untrusted' "$T/u1" "no complaint about the proxy's headers"

# ---- 13. backups on PostgreSQL ----------------------------------------------------------------
run pg-backup
expect_eq "700 postgres postgres" "$(in_root "$root" stat -c '%a %U' /var/backups/eimza-pg) $(in_root "$root" stat -c %U /var/backups/eimza-pg/eimza-first.dump)" \
  "pg_dump's copy: postgres's, in a folder of its own that no one else can enter"
expect_eq 1 "$(find "$root/var/backups/eimza-pg" -name 'eimza-2*.dump' | wc -l)" "the timer's service made a dated copy"
run pg-check
expect_grep '^audit: [0-9]+ entries, chain intact' "$T/pg-check.out" "the copy restored into a scratch database: the audit chain intact"
expect_eq "" "$(q_pg "SELECT datname FROM pg_database WHERE datname = 'eimza_check'" postgres)" "the scratch database dropped"
q_pg "UPDATE users SET email = 'sonra@example.gov.tr' WHERE username = 'admin'" >/dev/null || fail "a change after the copy"
run pg-restore
expect_grep '^\{"status":"ready"' "$T/pg-restore.out" "after the restore the servers are ready"
expect_eq "" "$(q_pg "SELECT coalesce(email, '') FROM users WHERE username = 'admin'")" "the database is the copy's (the later change gone)"
expect_eq "sonra@example.gov.tr" "$(q_pg "SELECT email FROM users WHERE username = 'admin'" eimza_before_restore)" "the database before the restore kept under its other name"
expect_eq eimza "$(q_pg "SELECT tableowner FROM pg_tables WHERE tablename = 'audit_log'")" "the restored tables are eimza's"

# ---- 14. retention ----------------------------------------------------------------------------
n0=$(q_pg "SELECT count(*) FROM audit_log WHERE action = 'retention.run'")
run retention
expect_grep '"dry_run": *true' "$T/retention.out" "a dry run, its counts"
[ "$(q_pg "SELECT count(*) FROM audit_log WHERE action = 'retention.run'")" -gt "$n0" ] &&
  ok "the run is in the audit log" || fail "the run is in the audit log"
expect_grep '^cli\|\{' "$T/retention.out" "the page's query shows it"
n1=$(q_pg "SELECT count(*) FROM audit_log WHERE action = 'retention.run'")
run retention-timer
expect_eq $((n1 + 1)) "$(q_pg "SELECT count(*) FROM audit_log WHERE action = 'retention.run'")" \
  "the timer's service ran one; the servers, restarted with retention_interval = 0, none"
expect_status 0 "eimza audit verify after it all" root_do runuser -u eimza -- eimza audit verify --db postgresql:///eimza

# the units the page writes, as systemd reads them (their programs: this build's and the host's)
mkdir -p "$T/units"
for u in eimza-backup eimza-pgdump eimza-retention; do
  for x in service timer; do
    sed "s|/usr/bin/eimza |$EIMZA |" "$root/etc/systemd/system/$u.$x" >"$T/units/$u.$x"
  done
  systemd-analyze verify "$T/units/$u.service" "$T/units/$u.timer" >"$T/verify" 2>&1
  expect_eq "0 " "$? $(cat "$T/verify")" "systemd-analyze verify: the page's $u.service and .timer"
done

# ---- 15. the checks ---------------------------------------------------------------------------
run checks
expect_eq "8081 200
8082 200" "$(sed -n 1,2p "$T/checks.out")" "both servers ready"
expect_grep '^eimza_up 1$' "$T/checks.out" "/metrics: eimza_up"
expect_grep '^eimza_applications\{state="draft"\} [0-9]+$' "$T/checks.out" "/metrics: applications by state"
expect_eq 200 "$(tail -n 1 "$T/checks.out")" "the portal through nginx"

for u in eimza@1 eimza@2 nginx; do
  root_do systemctl stop "$u" >/dev/null 2>&1 || fail "$u stops"
done
unit_log eimza@1.service >"$T/u1"
expect_no_grep 'ERROR|AddressSanitizer' "$T/u1" "no error in eimza@1's log"
if [ -n "${EIMZA_DEPLOYMENT_KEEP:-}" ]; then # for a person looking into a failure
  mkdir -p "$EIMZA_DEPLOYMENT_KEEP" && cp "$T"/*.out "$root"/var/log/eimza-test-units/*.log "$EIMZA_DEPLOYMENT_KEEP/"
fi
echo "deployment: kept roots ready in ${t_base}s; whole test $(($(date +%s) - t0))s"
finish
