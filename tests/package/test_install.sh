#!/usr/bin/env bash
# eimza — `make install`: the tree it lays out under DESTDIR and PREFIX, and the installed
# program working from it. The installed binary, started outside the source tree with no
# settings, serves the installed static files (a change to the installed copy shows in the
# answer, so nothing comes from the source tree) and checks signatures against the installed
# trust anchors; the installed settings start the server; a second install keeps edited
# settings. The units pass `systemd-analyze verify` and the sandbox `systemd-analyze security`
# asks for; the man pages render without warnings and name every command, setting and agent
# option the program lists; the desktop entry validates; the sysusers.d file makes the user.
# Also: serve and migrate with several --config files. Runs once (no database backend).
source "$EIMZA_SOURCE_DIR/tests/lib.sh"
[ "${EIMZA_TEST_BACKEND:-sqlite}" = sqlite ] || { echo "skipped: runs once"; exit 77; }

# make install from the source tree, as a user types it (the outer make's job server is not
# passed down: this make runs on its own)
run_make() { env --unset=MAKEFLAGS --unset=MFLAGS --unset=MAKELEVEL make -s -C "$SRC" "$@"; }

# ---- DESTDIR: the layout ------------------------------------------------------------------
D=$T/dest
P=$D/usr/local
expect_status 0 "make install DESTDIR=..." run_make install DESTDIR="$D"
[ -x "$P/bin/eimza" ] && ok "bin/eimza installed" || fail "bin/eimza installed"
outside=$(cd "$D" && find . -mindepth 1 -path ./usr -prune -o -print; cd "$D/usr" && find . -mindepth 1 -path ./local -prune -o -print)
expect_eq "" "$outside" "nothing installed outside PREFIX"
for f in static/css/eimza.css static/js/sign.js static/img/favicon.svg; do
  cmp -s "$SRC/$f" "$P/share/eimza/$f" && ok "share/eimza/$f" || fail "share/eimza/$f"
done
cmp -s "$SRC/node_modules/@picocss/pico/css/pico.classless.min.css" \
  "$P/share/eimza/node_modules/@picocss/pico/css/pico.classless.min.css" &&
  ok "the CSS library beside static/" || fail "the CSS library beside static/"
expect_eq "$(cd "$(dirname "$EIMZA_BIN")/templates" && find . -type f | sort)" \
  "$(cd "$P/share/eimza/templates" && find . -type f | sort)" "every message template"
expect_eq "$(cd "$SRC/trust" && ls -- *.pem | sort)" "$(cd "$P/share/eimza/trust" && ls | sort)" \
  "the trust anchors, and only they, in share/eimza/trust"
[ -f "$P/share/doc/eimza/trust-anchors.md" ] && ok "their fingerprints in share/doc" ||
  fail "their fingerprints in share/doc"
for f in share/man/man1/eimza.1 share/man/man1/eimza-agent.1 share/man/man5/eimza.conf.5 \
  lib/systemd/system/eimza.service lib/systemd/user/eimza-agent.service \
  lib/sysusers.d/eimza.conf share/applications/eimza-agent.desktop etc/eimza/eimza.conf \
  etc/eimza/secrets.conf etc/eimza/agent.conf; do
  [ -f "$P/$f" ] && ok "$f" || fail "$f"
done
expect_eq 640 "$(stat -c %a "$P/etc/eimza/secrets.conf")" "secrets.conf is 0640"
expect_grep '^ExecStart=/usr/local/bin/eimza serve --config /usr/local/etc/eimza/eimza.conf --config /usr/local/etc/eimza/secrets.conf$' \
  "$P/lib/systemd/system/eimza.service" "the unit runs the installed binary with the installed settings"
expect_grep '^static_dir = /usr/local/share/eimza/static$' "$P/etc/eimza/eimza.conf" \
  "the settings name the installed static files"
expect_no_grep '@[A-Z_]+@' "$P/lib/systemd/system/eimza.service" "no placeholder left in the unit"
expect_no_grep '@[A-Z_]+@' "$P/etc/eimza/eimza.conf" "no placeholder left in the settings"

# ---- the installed binary, started elsewhere, with no settings ------------------------------
mkdir -p "$T/elsewhere"
cd "$T/elsewhere"
DB="sqlite:$T/db.sqlite"
expect_status 0 "installed eimza migrate" "$P/bin/eimza" migrate --db "$DB"
port=$(free_port)
SOUT=$T/serve.out SERR=$T/serve.err
"$P/bin/eimza" serve --listen "127.0.0.1:$port" --db "$DB" >"$SOUT" 2>"$SERR" &
PID=$!
trap 'kill -TERM "$PID" 2>/dev/null; cleanup' EXIT
for _ in $(seq 1 200); do grep -q '^eimza: serving on' "$SOUT" && break; sleep 0.05; done
URL=http://127.0.0.1:$port
CODE=$(curl -s -o "$T/page" -w '%{http_code}' "$URL/")
expect_eq 200 "$CODE" "the installed server serves the home page"
expect_grep '/static/css/eimza.css' "$T/page" "the page links the CSS"
curl -s -o "$T/css" "$URL/static/css/eimza.css"
cmp -s "$T/css" "$P/share/eimza/static/css/eimza.css" && ok "the CSS is served" || fail "the CSS is served"
curl -s -o "$T/pico" "$URL/static/vendor/pico.classless.min.css"
cmp -s "$T/pico" "$P/share/eimza/node_modules/@picocss/pico/css/pico.classless.min.css" &&
  ok "the CSS library is served" || fail "the CSS library is served"
# proof that it is the installed copy: change it and ask again
echo '/* installed copy */' >>"$P/share/eimza/static/css/eimza.css"
curl -s -o "$T/css2" "$URL/static/css/eimza.css"
expect_grep 'installed copy' "$T/css2" "the files come from the installed tree, not the source tree"
expect_grep "event=serve.trust dir=$P/share/eimza/trust " "$SERR" "the installed trust anchors are used"
kill -TERM "$PID"
wait "$PID"
expect_eq 0 "$?" "the installed server stops cleanly"

# a static_dir that was set but cannot be read is refused before anything listens
expect_status 1 "a static_dir that is not there" timeout 10 "$P/bin/eimza" serve \
  --listen 127.0.0.1:0 --db "$DB" --config <(echo "static_dir = $T/nowhere")
expect_grep "static_dir '$T/nowhere' is not a readable folder" "$T/err" "it says which folder"

# ---- several --config files (the installed service reads eimza.conf, then secrets.conf) ----
port=$(free_port)
printf 'listen = 127.0.0.1:1\ndb = sqlite:%s/cfg.sqlite\nstatus_cache_ms = 500\n' "$T" >"$T/a.conf"
printf 'listen = 127.0.0.1:%s\nsmtp_password = Gizli-Parola-1\n' "$port" >"$T/b.conf"
expect_status 0 "migrate takes the database from --config" "$P/bin/eimza" migrate --config "$T/a.conf"
[ -f "$T/cfg.sqlite" ] && ok "the database named by the settings was made" ||
  fail "the database named by the settings was made"
# the first server's lines emptied first: the loop below must not find its "serving on" (it did
# once, and the new server was stopped before it could exec: the forked shell ran the test's
# EXIT trap and removed $T)
: >"$SOUT"
"$P/bin/eimza" serve --config "$T/a.conf" --config "$T/b.conf" >"$SOUT" 2>"$SERR" &
PID=$!
for _ in $(seq 1 200); do grep -q '^eimza: serving on' "$SOUT" && break; sleep 0.05; done
expect_grep "^eimza: serving on http://127.0.0.1:$port " "$SOUT" "the second file's listen wins over the first's"
kill -TERM "$PID"
wait "$PID"
sqlite3 "$T/cfg.sqlite" "SELECT object || ' ' || detail FROM audit_log WHERE action = 'config.start'" >"$T/audit"
expect_grep "^$T/a.conf,$T/b.conf \{" "$T/audit" "the start is audited with both files"
expect_grep '"status_cache_ms":"500".*"smtp_password":"\(set\)"' "$T/audit" \
  "settings of both files are recorded, the secret only as (set)"
expect_no_grep 'Gizli-Parola' "$T/audit" "never the secret itself"
expect_status 1 "the same key twice in one file" "$P/bin/eimza" migrate \
  --config <(printf 'db = sqlite:x\ndb = sqlite:y\n')
expect_status 1 "more than four --config files" "$P/bin/eimza" serve --config /dev/null \
  --config /dev/null --config /dev/null --config /dev/null --config /dev/null

# ---- a second install keeps the operator's settings ---------------------------------------
echo '# edited by the operator' >>"$P/etc/eimza/eimza.conf"
run_make install DESTDIR="$D" >"$T/reinstall" 2>&1
expect_grep 'edited by the operator' "$P/etc/eimza/eimza.conf" "reinstalling keeps edited settings"
expect_grep "Kept \(already there\): $P/etc/eimza/eimza.conf" "$T/reinstall" "and says so"
cmp -s "$SRC/static/css/eimza.css" "$P/share/eimza/static/css/eimza.css" &&
  ok "reinstalling replaces the program's own files" || fail "reinstalling replaces the program's own files"

# ---- PREFIX without DESTDIR: the units checked where their paths are true -------------------
Q=$T/prefix
expect_status 0 "make install PREFIX=..." run_make install PREFIX="$Q"
expect_grep "^ExecStart=$Q/bin/eimza serve --config $Q/etc/eimza/eimza.conf " \
  "$Q/lib/systemd/system/eimza.service" "the unit follows the prefix"
export MANPATH=$Q/share/man
expect_status 0 "systemd-analyze verify eimza.service" \
  systemd-analyze verify "$Q/lib/systemd/system/eimza.service"
mkdir -m 0700 "$T/xdg-runtime" # a user manager's runtime folder, which --user verify wants
expect_status 0 "systemd-analyze verify eimza-agent.service (user)" \
  env XDG_RUNTIME_DIR="$T/xdg-runtime" systemd-analyze --user verify "$Q/lib/systemd/user/eimza-agent.service"
# the exposure score (0 safest, 10 worst): at most 2.0 ("OK"); each option the issue names on
systemd-analyze security --offline=true "$Q/lib/systemd/system/eimza.service" >"$T/sec" 2>&1
expect_status 0 "systemd-analyze security: exposure at most 2.0" \
  systemd-analyze security --offline=true --threshold=20 "$Q/lib/systemd/system/eimza.service"
for want in 'NoNewPrivileges=' 'ProtectSystem=' 'PrivateTmp=' 'RestrictAddressFamilies=~AF_PACKET' \
  'User=/DynamicUser=' 'ProtectHome=' 'PrivateDevices=' 'ProtectKernelTunables=' \
  'ProtectKernelModules=' 'CapabilityBoundingSet=~CAP_SYS_ADMIN' 'SystemCallFilter=~@mount'; do
  grep -F "$want" "$T/sec" | grep -q '✓' && ok "sandbox: $want" || fail "sandbox: $want" "$(grep -F "$want" "$T/sec")"
done
unit=$Q/lib/systemd/system/eimza.service
expect_grep '^ReadWritePaths=/var/lib/eimza$' "$unit" "only the state directory is writable"
expect_grep '^RestrictAddressFamilies=AF_UNIX AF_INET AF_INET6$' "$unit" "IP and Unix sockets only"
expect_grep '^CapabilityBoundingSet=$' "$unit" "no capabilities"
expect_grep '^User=eimza$' "$unit" "the dedicated user"
expect_grep "^ExecStartPre=$Q/bin/eimza migrate --create-once --config " "$unit" \
  "the schema migrated before each start; a SQLite database made on the first start only"

# ---- the man pages --------------------------------------------------------------------------
for m in man1/eimza.1 man1/eimza-agent.1 man5/eimza.conf.5; do
  LC_ALL=C.UTF-8 MANWIDTH=80 man --warnings -E UTF-8 -l "$Q/share/man/$m" >"$T/man.txt" 2>"$T/man.err"
  [ -s "$T/man.txt" ] && [ ! -s "$T/man.err" ] && ok "man -l $m renders without warnings" ||
    fail "man -l $m renders without warnings" "$(head -c 600 "$T/man.err")"
done
missing=
while read -r c; do
  grep -Eq "^\.BI? \"?$c( |\"|\$)" "$Q/share/man/man1/eimza.1" || missing="$missing [$c]"
done < <("$P/bin/eimza" --help | sed -n 's/^ *eimza \([a-z]\+\)\( [a-z]\+\)\?\( .*\)\?$/\1\2/p')
expect_eq "" "$missing" "eimza(1) names every command of eimza --help"
missing=
for k in $("$P/bin/eimza" serve --help | sed -n 's/^  \([a-z_]*\) .*/\1/p'); do
  grep -Eq "^\.BR? .*\b$k\b" "$Q/share/man/man5/eimza.conf.5" || missing="$missing $k"
done
expect_eq "" "$missing" "eimza.conf(5) names every setting of eimza serve --help"
missing=
for o in $("$P/bin/eimza" agent --help | grep -o -- '--[a-z-]*' | sort -u); do
  grep -Fq -- "${o//-/\\-}" "$Q/share/man/man1/eimza-agent.1" || missing="$missing $o"
done
expect_eq "" "$missing" "eimza-agent(1) names every option of eimza agent --help"

# ---- the desktop entry, the user, the agent's service command line ---------------------------
desk=$Q/share/applications/eimza-agent.desktop
expect_status 0 "desktop-file-validate" desktop-file-validate "$desk"
expect_grep "^Exec=$Q/bin/eimza agent --handle-url %u$" "$desk" "eimza:// links go to eimza agent --handle-url"
expect_grep '^MimeType=x-scheme-handler/eimza;$' "$desk" "the entry handles the eimza scheme"
mkdir -p "$T/sysroot/etc"
expect_status 0 "systemd-sysusers makes the user" systemd-sysusers --root="$T/sysroot" \
  "$Q/lib/sysusers.d/eimza.conf"
expect_grep '^eimza:x:[0-9]+:[0-9]+:eimza portal server:/var/lib/eimza:/usr/sbin/nologin$' \
  "$T/sysroot/etc/passwd" "a system user eimza, home /var/lib/eimza, no login"
expect_grep '^eimza:x:[0-9]+:' "$T/sysroot/etc/group" "and its group"
# the user service's command line (the prefix's agent.conf through --config, as it is under a
# prefix other than /usr), run as systemd would, with SoftHSM2's library for the card's and a
# free port given as options (options replace the file's values): it must start listening
# and answer the origin agent.conf names
aport=$(free_port)
cmdline=$(sed -n 's/^ExecStart=//p' "$Q/lib/systemd/user/eimza-agent.service")
expect_eq "$Q/bin/eimza agent --config $Q/etc/eimza/agent.conf" "$cmdline" \
  "the user service runs eimza agent with the prefix's settings file"
mkdir -p "$T/tokens"
printf 'directories.tokendir = %s/tokens\nobjectstore.backend = file\n' "$T" >"$T/softhsm2.conf"
(
  export SOFTHSM2_CONF=$T/softhsm2.conf
  eval "exec $cmdline --module $(find /usr/lib -name libsofthsm2.so -print -quit) --listen 127.0.0.1:$aport"
) >"$T/agent.out" 2>"$T/agent.err" &
APID=$!
for _ in $(seq 1 100); do grep -q 'listening on' "$T/agent.out" && break; sleep 0.05; done
expect_grep "^eimza agent: listening on http://127.0.0.1:$aport" "$T/agent.out" \
  "the user service's command line starts the agent"
expect_grep '^eimza agent: answering https://eimza.example.gov.tr$' "$T/agent.out" \
  "it serves the portal agent.conf names"
CODE=$(curl -s -o /dev/null -w '%{http_code}' -H 'Origin: https://eimza.example.gov.tr' \
  "http://127.0.0.1:$aport/v1/tokens")
expect_eq 200 "$CODE" "it answers the origin agent.conf names"
kill -TERM "$APID" 2>/dev/null
wait "$APID"
finish
