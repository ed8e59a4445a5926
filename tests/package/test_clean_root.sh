#!/usr/bin/env bash
# eimza — the Debian packages install and start in a clean Debian 12: a debootstrapped minbase
# bookworm, with the dependencies from the mirror. Then, in that root: the system user eimza,
# the secrets file 0640 root:eimza (and unreadable by another user), the state directory, the
# service and the agent's user service enabled, `xdg-mime query default x-scheme-handler/eimza`
# naming the agent's desktop entry; the server started the way the unit starts it (systemd
# does not run in a chroot: the unit's ExecStartPre and ExecStart, as the unit's user, in its
# working directory, with its umask, no new privileges, no capabilities and a read-only
# system but for its ReadWritePaths and a private /tmp) answers /healthz
# and serves a page with the installed static files (with only the state directory writable);
# then the packages are purged cleanly.
#
# The minbase root is made once and kept in /var/cache/eimza-test/bookworm-minbase (package
# lists refreshed when older than a day), the packages apt downloads in
# /var/cache/eimza-test/apt-archives, so only the first run downloads: on this machine's link
# the first run took about 1 min (debootstrap 40 s to 1.5 min, 27 MB of dependencies), later
# ones about 20 s. Every run installs into a fresh copy (an overlay on the kept root, or a copy
# where overlays cannot be mounted).
# Needs root (debootstrap, chroot, mounts). The packages come from test_debs (the ctest
# fixture eimza_debs) in $EIMZA_PKG_DIR/out, or are built here when missing.
source "$EIMZA_SOURCE_DIR/tests/lib.sh"
source "$SRC/tests/package/root_lib.sh"
ROOT_LABEL=clean-root
[ "${EIMZA_TEST_BACKEND:-sqlite}" = sqlite ] || { echo "skipped: runs once"; exit 77; }
if [ "$(id -u)" -ne 0 ]; then
  echo "skipped: needs root (debootstrap, chroot, mounts)"
  exit 77
fi
cache=${EIMZA_TEST_CACHE:-/var/cache/eimza-test}
mirror=${DEBIAN_MIRROR:-http://deb.debian.org/debian}
security=${DEBIAN_SECURITY_MIRROR:-http://deb.debian.org/debian-security}
base=$cache/bookworm-minbase
archives=$cache/apt-archives
debs=${EIMZA_PKG_DIR:?}/out
root=$T/root
t0=$(date +%s)

# ---- mounts, and taking them down before anything is removed --------------------------------
mounts=()
PID=""
teardown() {
  [ -n "$PID" ] && kill -TERM "$PID" 2>/dev/null && wait "$PID" 2>/dev/null
  for ((i = ${#mounts[@]} - 1; i >= 0; i--)); do
    umount "${mounts[$i]}" 2>/dev/null || umount -l "${mounts[$i]}" 2>/dev/null
  done
  mounts=()
}
# lib.sh's cleanup removes $T: only once nothing is mounted under it, and never across a mount
trap 'teardown; if ! findmnt -rn -o TARGET | grep -q "^$T/"; then rm -rf --one-file-system "$T"; fi' EXIT

# ---- the kept minbase root -----------------------------------------------------------------
mkdir -p "$cache"
exec 9>"$cache/.lock"
flock 9
kept_minbase
t_base=$(($(date +%s) - t0))

# ---- a fresh root for this run ---------------------------------------------------------------
mkdir -p "$root" "$T/upper" "$T/ovlwork"
if mount -t overlay overlay -o "lowerdir=$base,upperdir=$T/upper,workdir=$T/ovlwork" "$root" 2>/dev/null; then
  mounts+=("$root")
else
  cp -a "$base/." "$root/"
fi
flock -u 9 # the kept root is only read from here on
mount_root_fs "$root" || { fail "mounts in the fresh root"; finish; }

if ! ls "$debs"/eimza-common_*.deb "$debs"/eimza_*.deb "$debs"/eimza-agent_*.deb >/dev/null 2>&1; then
  echo "clean-root: no packages in $debs; building them"
  "$SRC/scripts/build-deb.sh" --out "$debs" --build-dir "$EIMZA_PKG_DIR/build" >/dev/null ||
    { fail "scripts/build-deb.sh"; finish; }
fi
mkdir -p "$root/tmp/debs"
cp "$debs"/eimza-common_*.deb "$debs"/eimza_*.deb "$debs"/eimza-agent_*.deb "$root/tmp/debs/"
pkgs=()
for f in "$root"/tmp/debs/*.deb; do pkgs+=("/tmp/debs/${f##*/}"); done

# ---- install: the packages and their dependencies from the mirror ---------------------------
# Depends only (what the packages declare must be enough); xdg-utils for xdg-mime, which
# eimza-agent only recommends (the browser and the desktop use the registration, not the
# agent); and pinentry-curses for the agent's `pinentry-gnome3 | pinentry`: the other
# alternative, which saves installing GTK (80 more packages, 40 s more each run) here.
t1=$(date +%s)
in_root "$root" apt-get install -y -q --no-install-recommends "${pkgs[@]}" xdg-utils \
  pinentry-curses >"$T/install.log" 2>&1
st=$?
t_install=$(($(date +%s) - t1))
expect_eq 0 "$st" "apt-get install ./eimza*.deb in a clean Debian 12 (dependencies from the mirror)"
[ "$st" -eq 0 ] || { tail -n 30 "$T/install.log"; finish; }
in_root "$root" apt-get -qq autoclean >/dev/null 2>&1 # drop superseded downloads from the cache
grep -E '^(E|W): ' "$T/install.log" >"$T/apt-warnings"
expect_eq "" "$(cat "$T/apt-warnings")" "no apt errors or warnings"

# ---- what the maintainer scripts did ---------------------------------------------------------
in_root "$root" getent passwd eimza >"$T/pw"
IFS=: read -r _ _ uid _ _ home shell <"$T/pw"
[ -n "$uid" ] && [ "$uid" -lt 1000 ] && ok "a system user eimza (uid $uid)" || fail "a system user eimza" "$(cat "$T/pw")"
expect_eq "/var/lib/eimza /usr/sbin/nologin" "$home $shell" "its home is the state directory, no login"
expect_eq "640 root eimza" "$(stat -c '%a %U' "$root/etc/eimza/secrets.conf") $(in_root "$root" stat -c %G /etc/eimza/secrets.conf)" \
  "secrets.conf is 0640 root:eimza"
in_root "$root" dpkg-statoverride --list /etc/eimza/secrets.conf >"$T/so"
expect_grep '^root eimza 0?640 /etc/eimza/secrets.conf$' "$T/so" "kept by dpkg-statoverride across upgrades"
in_root "$root" setpriv --reuid=nobody --regid=nogroup --clear-groups cat /etc/eimza/secrets.conf >/dev/null 2>&1
expect_eq 1 "$?" "another user cannot read the secrets"
# issue 19, finding 8: the postinst made the key secrets are sealed with, once
[ "$(grep -Ec '^secret_key = [A-Za-z0-9+/]{43}=$' "$root/etc/eimza/secrets.conf")" = 1 ] &&
  ok "the postinst made a secret_key" || fail "secret_key in secrets.conf" "$(grep -c secret_key "$root/etc/eimza/secrets.conf")"
expect_eq "750 eimza eimza" "$(in_root "$root" stat -c '%a %U %G' /var/lib/eimza)" "the state directory is eimza's, 0750"
in_root "$root" dpkg-query -W -f='${Conffiles}\n' eimza eimza-agent >"$T/conffiles"
for f in /etc/eimza/eimza.conf /etc/eimza/secrets.conf /etc/eimza/agent.conf; do
  expect_grep "^ $f [0-9a-f]{32}" "$T/conffiles" "$f is a conffile"
done
[ -L "$root/etc/systemd/system/multi-user.target.wants/eimza.service" ] &&
  ok "eimza.service enabled" || fail "eimza.service enabled"
[ -L "$root/etc/systemd/user/graphical-session.target.wants/eimza-agent.service" ] &&
  ok "the agent's user service enabled for every session" || fail "the agent's user service enabled"
in_root "$root" xdg-mime query default x-scheme-handler/eimza >"$T/xdg" 2>&1
expect_eq eimza-agent.desktop "$(cat "$T/xdg")" "xdg-mime query default x-scheme-handler/eimza names the agent"
expect_grep '^x-scheme-handler/eimza=eimza-agent.desktop;' "$root/usr/share/applications/mimeinfo.cache" \
  "registered by desktop-file-utils' trigger"

# ---- the server, started the way eimza.service starts it -------------------------------------
unit=$root/usr/lib/systemd/system/eimza.service
key() { sed -n "s/^$1=//p" "$unit"; }
user=$(key User)
group=$(key Group)
wd=$(key WorkingDirectory)
umask_=$(key UMask)
pre=$(key ExecStartPre)
start=$(key ExecStart)
rw=$(key ReadWritePaths)
# as the unit's user, in its working directory, with its umask, no new privileges and an empty
# capability bounding set (NoNewPrivileges=yes, CapabilityBoundingSet=), in a mount namespace
# of its own where, as with ProtectSystem=strict, ReadWritePaths= and PrivateTmp=yes,
# everything is read-only but the state directory, and /tmp and /var/tmp are private
as_unit() {
  exec unshare --mount --propagation private sh -c '
    r=$1 rw=$2
    shift 2
    mount --rbind "$r" "$r" && mount --bind "$r$rw" "$r$rw" && mount -o remount,bind,ro "$r" &&
      mount -t tmpfs -o mode=1777 tmp "$r/tmp" && mount -t tmpfs -o mode=1777 tmp "$r/var/tmp" &&
      exec chroot "$r" /usr/bin/env -i PATH=/usr/sbin:/usr/bin:/sbin:/bin LANG=C.UTF-8 "$@"' \
    sh "$root" "$rw" setpriv --reuid="$user" --regid="$group" --init-groups --no-new-privs \
    --bounding-set=-all --inh-caps=-all sh -c "cd $wd && umask $umask_ && exec \"\$@\"" sh "$@"
}
# shellcheck disable=SC2086 # the unit's command lines are split into words as systemd does
(as_unit $pre) >"$T/migrate.out" 2>"$T/migrate.err"
expect_eq 0 "$?" "ExecStartPre (eimza migrate with the installed settings) as $user"
expect_grep '^schema at version [0-9]+ ' "$T/migrate.out" "the schema is made"
expect_eq "600 eimza" "$(in_root "$root" stat -c '%a %U' /var/lib/eimza/eimza.db)" \
  "the database is the service's alone (UMask=$umask_)"
port=$(free_port)
# shellcheck disable=SC2086
(as_unit $start --listen "127.0.0.1:$port") >"$T/serve.out" 2>"$T/serve.err" &
PID=$!
for _ in $(seq 1 200); do
  grep -q '^eimza: serving on' "$T/serve.out" && break
  kill -0 "$PID" 2>/dev/null || break
  sleep 0.05
done
expect_grep "^eimza: serving on http://127.0.0.1:$port " "$T/serve.out" "ExecStart (eimza serve) is ready"
# what the server sees (its mounts, relative to its root): / read-only, the state directory not
awk '$2 == "/" || $2 == "'"$rw"'" {split($4, o, ","); print $2, o[1]}' "/proc/$PID/mounts" | tail -n 2 >"$T/mnt"
expect_eq "/ ro
$rw rw" "$(cat "$T/mnt")" "it runs with / read-only and only $rw writable"
URL=http://127.0.0.1:$port
CODE=$(curl -s -o "$T/health" -w '%{http_code}' "$URL/healthz")
expect_eq 200 "$CODE" "/healthz answers 200"
expect_eq ok "$(jq -r .status "$T/health" 2>/dev/null)" "/healthz: status ok"
CODE=$(curl -s -o "$T/page" -w '%{http_code}' "$URL/")
expect_eq 200 "$CODE" "the home page answers 200"
expect_grep '/static/css/eimza.css' "$T/page" "the page links its CSS"
curl -s -o "$T/css" "$URL/static/css/eimza.css"
cmp -s "$T/css" "$root/usr/share/eimza/static/css/eimza.css" && ok "the CSS comes from /usr/share/eimza" ||
  fail "the CSS comes from /usr/share/eimza"
CODE=$(curl -s -o /dev/null -w '%{http_code}' "$URL/static/vendor/pico.classless.min.css")
expect_eq 200 "$CODE" "the CSS library is served"
expect_grep 'event=serve.trust dir=/usr/share/eimza/trust ' "$T/serve.err" "the shipped trust anchors are loaded"
kill -TERM "$PID"
wait "$PID"
expect_eq 0 "$?" "the server stops cleanly on SIGTERM"
PID=""

# ---- and out again ---------------------------------------------------------------------------
in_root "$root" apt-get purge -y -q eimza-agent eimza eimza-common >"$T/purge.log" 2>&1
expect_eq 0 "$?" "apt-get purge of the three packages"
[ ! -e "$root/etc/eimza/eimza.conf" ] && [ ! -e "$root/etc/systemd/system/multi-user.target.wants/eimza.service" ] &&
  ok "purge removes the settings and the enablement" || fail "purge removes the settings and the enablement"
in_root "$root" dpkg-statoverride --list /etc/eimza/secrets.conf >/dev/null
expect_eq 1 "$?" "purge removes the statoverride"
[ -f "$root/var/lib/eimza/eimza.db" ] && ok "purge keeps the database (records kept by law)" ||
  fail "purge keeps the database"

echo "clean-root: kept root ready in ${t_base}s; install ${t_install}s ($(grep -o '[0-9]* newly installed' "$T/install.log")); whole test $(($(date +%s) - t0))s"
finish
