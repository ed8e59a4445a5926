#!/usr/bin/env bash
# eimza — scripts/build-deb.sh: the three Debian packages (eimza-common, eimza, eimza-agent)
# build from a release build of their own, and lintian passes them: exit status 0 with
# errors, warnings and info tags (experimental and pedantic ones shown too) all failing it;
# the overrides are in packaging/debian/*.lintian-overrides, each with its reason. Checked
# too: what each package holds and its modes, the conffiles, that eimza-common's Depends
# name the package of every library the binary links (found independently of dpkg-shlibdeps:
# ldd's paths through dpkg -S), the hardened binary, the shipped units with
# `systemd-analyze verify`, and that a second build of the same commit gives the same
# packages. The packages are left in $EIMZA_PKG_DIR/out for test_clean_root (ctest fixture
# eimza_debs). Runs once (no database backend).
source "$EIMZA_SOURCE_DIR/tests/lib.sh"
[ "${EIMZA_TEST_BACKEND:-sqlite}" = sqlite ] || { echo "skipped: runs once"; exit 77; }
out=${EIMZA_PKG_DIR:?}/out
bdir=$EIMZA_PKG_DIR/build
mkdir -p "$out"
rm -f "$out"/*.deb

t0=$(date +%s)
# the agent package for one deployment's portal (--portal), as a ministry builds it
PORTAL=https://eimza.meb.gov.tr
expect_status 0 "scripts/build-deb.sh" "$SRC/scripts/build-deb.sh" --out "$out" --build-dir "$bdir" \
  --jobs 2 --portal "$PORTAL"
expect_status 1 "build-deb.sh refuses a portal that is not an https origin" \
  "$SRC/scripts/build-deb.sh" --out "$T/no" --portal http://eimza.meb.gov.tr
echo "debs: built in $(($(date +%s) - t0))s"
common=$(ls "$out"/eimza-common_*.deb 2>/dev/null)
server=$(ls "$out"/eimza_*.deb 2>/dev/null)
agent=$(ls "$out"/eimza-agent_*.deb 2>/dev/null)
[ -f "$common" ] && [ -f "$server" ] && [ -f "$agent" ] && ok "three packages" ||
  { fail "three packages" "$(ls "$out")"; finish; }

# ---- lintian ------------------------------------------------------------------------------
lintian -I -E --pedantic --fail-on error,warning,info "$common" "$server" "$agent" >"$T/lintian" 2>&1
st=$?
grep -v 'running with root privileges' "$T/lintian" >"$T/lintian.tags"
cat "$T/lintian.tags"
expect_eq 0 "$st" "lintian exit status (errors, warnings and info fail it)"
expect_eq "" "$(cat "$T/lintian.tags")" "lintian reports nothing"
lintian -I -E --pedantic --show-overrides "$common" "$server" "$agent" 2>/dev/null |
  grep '^O: ' >"$T/overridden"
expect_eq 7 "$(wc -l <"$T/overridden")" "the seven documented overrides, no more"

# ---- contents -------------------------------------------------------------------------------
x=$T/x
for d in "$common" "$server" "$agent"; do dpkg-deb -x "$d" "$x"; done
contents() { dpkg-deb -c "$1" | awk '{print $1, $2, $6}'; }
contents "$common" >"$T/c.common"
contents "$server" >"$T/c.server"
contents "$agent" >"$T/c.agent"
expect_grep '^-rwxr-xr-x root/root \./usr/bin/eimza$' "$T/c.common" "eimza-common: the program"
expect_grep '/usr/share/man/man1/eimza\.1\.gz$' "$T/c.common" "eimza-common: eimza(1), compressed"
expect_grep '^-rw-r----- root/root \./etc/eimza/secrets\.conf$' "$T/c.server" "eimza: secrets.conf 0640"
for f in etc/eimza/eimza.conf usr/lib/systemd/system/eimza.service usr/lib/sysusers.d/eimza.conf \
  usr/share/eimza/static/css/eimza.css usr/share/eimza/static/nginx/istek-cok-buyuk.html \
  usr/share/eimza/static/nginx/adres-cok-uzun.html \
  usr/share/eimza/trust/root_kamusm_kok_shs_surum7_ecc.pem \
  usr/share/eimza/node_modules/@picocss/pico/css/pico.classless.min.css \
  usr/share/eimza/templates/tr/expiry_warning.email.txt usr/share/man/man5/eimza.conf.5.gz; do
  expect_grep "\./$f\$" "$T/c.server" "eimza: $f"
done
for f in etc/eimza/agent.conf usr/lib/systemd/user/eimza-agent.service \
  usr/share/applications/eimza-agent.desktop usr/share/man/man1/eimza-agent.1.gz; do
  expect_grep "\./$f\$" "$T/c.agent" "eimza-agent: $f"
done
expect_no_grep 'usr/bin/' "$T/c.server" "eimza carries no copy of the program"
expect_no_grep 'usr/bin/' "$T/c.agent" "eimza-agent carries no copy of the program"
expect_eq "/etc/eimza/eimza.conf
/etc/eimza/secrets.conf" "$(dpkg-deb -I "$server" conffiles)" "eimza: its two conffiles"
expect_eq "/etc/eimza/agent.conf" "$(dpkg-deb -I "$agent" conffiles)" "eimza-agent: its conffile"
# agent.conf is the agent's own settings file, naming the portal given to build-deb.sh, and
# the packaged program reads it as it is
expect_eq "origin = $PORTAL" "$(grep -E '^[a-z_]+ *=' "$x/etc/eimza/agent.conf")" \
  "eimza-agent: agent.conf names the --portal origin and sets nothing else"
chmod 600 "$x/etc/eimza/agent.conf"
expect_status 3 "the packaged agent.conf is read by eimza agent (the portal allowed, no other)" \
  "$x/usr/bin/eimza" agent --config "$x/etc/eimza/agent.conf" --pin-fd 0 \
  --handle-url "eimza://sign?ticket=AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA&portal=https://other.example"
expect_grep 'portal_not_allowed' "$T/err" "…another portal is refused by the packaged settings"
v=$(dpkg-deb -f "$common" Version)
expect_eq "$("$x/usr/bin/eimza" --version)" "eimza $v" "the packaged program runs and is version $v"
expect_grep "^eimza-common \(= $v\), adduser, fonts-dejavu-core$" <(dpkg-deb -f "$server" Depends) \
  "eimza depends on its program, adduser (postinst) and the captcha's font"
expect_grep "^eimza-common \(= $v\), desktop-file-utils, pinentry-gnome3 \| pinentry$" \
  <(dpkg-deb -f "$agent" Depends) "eimza-agent depends on its program, the MIME cache trigger, pinentry"

# every library the binary links (its NEEDED entries, found where ldd finds them) comes from a
# package eimza-common depends on
depends=$(dpkg-deb -f "$common" Depends)
ldd "$x/usr/bin/eimza" >"$T/ldd"
missing=
for needed in $(readelf -dW "$x/usr/bin/eimza" | sed -n 's/.*(NEEDED).*\[\(.*\)\]/\1/p'); do
  lib=$(awk -v n="$needed" '$1 == n && $2 == "=>" {print $3}' "$T/ldd")
  [ -n "$lib" ] || { missing="$missing $needed(not found)"; continue; }
  pkg=$(dpkg -S "$lib" 2>/dev/null || dpkg -S "$(readlink -f "$lib")" 2>/dev/null)
  pkg=${pkg%%:*}
  [ -n "$pkg" ] || { missing="$missing $lib(no package)"; continue; }
  case ", $depends" in *", $pkg "* | *", $pkg,"*) ;; *) missing="$missing $pkg" ;; esac
done
expect_eq "" "$missing" "eimza-common's Depends name every linked library's package"
readelf -dW "$x/usr/bin/eimza" >"$T/dyn"
expect_grep 'BIND_NOW' "$T/dyn" "hardened: bind now"
expect_grep 'Flags: .*PIE' "$T/dyn" "hardened: position-independent"
objdump -d "$x/usr/bin/eimza" | grep -c '_chk@plt' >"$T/chk"
[ "$(cat "$T/chk")" -gt 0 ] && ok "hardened: fortified functions" || fail "hardened: fortified functions"

# ---- the shipped units and desktop entry ------------------------------------------------------
# verify needs the programs the units name: the extracted ones stand in for /usr/bin/eimza
mkdir -p "$T/units" "$T/xdg-runtime"
chmod 0700 "$T/xdg-runtime"
sed "s|/usr/bin/eimza|$x/usr/bin/eimza|g" "$x/usr/lib/systemd/system/eimza.service" >"$T/units/eimza.service"
sed "s|/usr/bin/eimza|$x/usr/bin/eimza|g" "$x/usr/lib/systemd/user/eimza-agent.service" >"$T/units/eimza-agent.service"
export MANPATH=$x/usr/share/man
expect_status 0 "systemd-analyze verify (the packaged eimza.service)" systemd-analyze verify "$T/units/eimza.service"
expect_status 0 "systemd-analyze verify (the packaged user service)" \
  env XDG_RUNTIME_DIR="$T/xdg-runtime" systemd-analyze --user verify "$T/units/eimza-agent.service"
expect_status 0 "systemd-analyze security of the packaged unit: exposure at most 2.0" \
  systemd-analyze security --offline=true --threshold=20 "$T/units/eimza.service"
# several servers on one machine: eimza@N.service, the same unit listening on 127.0.0.1:808N
sed "s|/usr/bin/eimza|$x/usr/bin/eimza|g" "$x/usr/lib/systemd/system/eimza@.service" >"$T/units/eimza@.service"
cp "$T/units/eimza@.service" "$T/units/eimza@2.service"
expect_status 0 "systemd-analyze verify (the packaged eimza@.service, instance 2)" \
  systemd-analyze verify "$T/units/eimza@2.service"
expect_grep '^ExecStart=/usr/bin/eimza serve --config /etc/eimza/eimza.conf --config /etc/eimza/secrets.conf --listen 127.0.0.1:808%i$' \
  "$x/usr/lib/systemd/system/eimza@.service" "eimza@N listens on 127.0.0.1:808N"
expect_eq "" "$(diff <(grep -v -e '^ExecStart=' -e '^Description=' -e '^#' "$x/usr/lib/systemd/system/eimza.service") \
  <(grep -v -e '^ExecStart=' -e '^Description=' -e '^#' "$x/usr/lib/systemd/system/eimza@.service"))" \
  "eimza@.service differs from eimza.service in its address alone (the same sandbox)"
expect_status 0 "the nginx site is packaged" test -f "$x/usr/share/eimza/nginx/eimza.conf"
expect_grep '^ExecStart=/usr/bin/eimza serve --config /etc/eimza/eimza.conf --config /etc/eimza/secrets.conf$' \
  "$x/usr/lib/systemd/system/eimza.service" "the packaged unit runs /usr/bin/eimza with /etc/eimza's files"
expect_grep '^ExecStart=/usr/bin/eimza agent$' "$x/usr/lib/systemd/user/eimza-agent.service" \
  "the packaged user service runs eimza agent, which reads /etc/eimza/agent.conf itself"
expect_status 0 "desktop-file-validate (the packaged entry)" desktop-file-validate \
  "$x/usr/share/applications/eimza-agent.desktop"
expect_grep '^static_dir = /usr/share/eimza/static$' "$x/etc/eimza/eimza.conf" "the settings name /usr/share/eimza"
expect_grep '^db = sqlite:/var/lib/eimza/eimza.db$' "$x/etc/eimza/eimza.conf" "the database in /var/lib/eimza"
for s in "$server" "$agent"; do
  dpkg-deb -e "$s" "$T/ctl"
  for m in "$T"/ctl/postinst "$T"/ctl/prerm "$T"/ctl/postrm; do
    [ -f "$m" ] || continue
    sh -n "$m" && ok "$(basename "$s" .deb) ${m##*/}: valid sh" || fail "$(basename "$s" .deb) ${m##*/}: valid sh"
  done
  rm -rf "$T/ctl"
done

# ---- the same commit gives the same packages ------------------------------------------------
expect_status 0 "a second build" "$SRC/scripts/build-deb.sh" --out "$T/again" --build-dir "$bdir" \
  --jobs 2 --portal "$PORTAL"
for d in "$common" "$server" "$agent"; do
  cmp -s "$d" "$T/again/${d##*/}" && ok "reproducible: ${d##*/}" || fail "reproducible: ${d##*/}"
done
finish
