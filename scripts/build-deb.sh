#!/usr/bin/env bash
# eimza — the Debian packages, built with dpkg-deb from a release build of this tree (no
# debian/ source package, no debhelper: the project's own script).
#
#   scripts/build-deb.sh [--out DIR] [--build-dir DIR] [--jobs N] [--portal ORIGIN]
#
# --portal https://HOST[:PORT] names the deployment's portal in the agent package's
# /etc/eimza/agent.conf (origin = ...), so the agent people download from that portal serves
# it as installed; without it the file names a placeholder an administrator edits.
#
# 1. A release build (RelWithDebInfo) with Debian's compiler and linker flags
#    (dpkg-buildflags, hardening=+all: fortified functions, stack protector, full RELRO and
#    BIND_NOW) in its own folder, default build-deb/build (incremental).
# 2. `cmake --install` of it with the prefix /usr into a staging tree: the layout of
#    cmake/install.cmake (/usr/bin, /usr/share/eimza, /etc/eimza, /usr/lib/systemd/...).
# 3. The staged files split into three packages (a staged file that no package takes is an
#    error, so a new install rule cannot be forgotten here):
#      eimza-common  the program (/usr/bin/eimza, stripped) and eimza(1); its Depends are
#                    computed by dpkg-shlibdeps from the libraries the binary links, with a
#                    throwaway debian/control (dpkg-shlibdeps needs one to run)
#      eimza         the server: /usr/share/eimza, /etc/eimza/eimza.conf and secrets.conf
#                    (conffiles; secrets.conf 0640 root:eimza through dpkg-statoverride in the
#                    postinst), eimza.service and eimza@.service (several servers on one
#                    machine), the sysusers.d file, eimza.conf(5), the nginx site; postinst
#                    makes the system user eimza and /var/lib/eimza (packaging/debian/)
#      eimza-agent   the signing agent's user service, /etc/eimza/agent.conf, the desktop
#                    entry handling eimza:// links, eimza-agent(1)
#    The agent shares the one binary through eimza-common instead of carrying a copy, so the
#    server and the agent can be installed side by side and are always the same version.
# 4. dpkg-deb --root-owner-group builds DIR/<package>_<version>_<arch>.deb (default DIR:
#    build-deb/out). Files get the commit's time (SOURCE_DATE_EPOCH), so two builds of one
#    commit give the same files.
#
# The version is the project's (CMakeLists.txt) unless EIMZA_DEB_VERSION says otherwise; the
# Maintainer field is EIMZA_DEB_MAINTAINER (a placeholder address until the project has one).
# tests/package/test_debs.sh builds them and runs lintian over them.
set -euo pipefail
here=$(cd "$(dirname "$0")/.." && pwd)
out=$here/build-deb/out
bdir=$here/build-deb/build
jobs=$(nproc)
portal=
while [ $# -gt 0 ]; do
  case $1 in
    --out) out=$2; shift 2 ;;
    --build-dir) bdir=$2; shift 2 ;;
    --jobs) jobs=$2; shift 2 ;;
    --portal) portal=$2; shift 2 ;;
    -h | --help) sed -n '2,/^set -euo/p' "$0" | sed '$d; s/^# \{0,1\}//'; exit 0 ;;
    *) echo "build-deb: unknown argument '$1' (see --help)" >&2; exit 1 ;;
  esac
done
if [ -n "$portal" ] && ! [[ $portal =~ ^https://[A-Za-z0-9.-]+(:[0-9]{1,5})?$|^https://\[[0-9A-Fa-f:.]+\](:[0-9]{1,5})?$ ]]; then
  echo "build-deb: --portal '$portal' is not an https origin (https://HOST[:PORT])" >&2
  exit 1
fi
mkdir -p "$out" "$bdir"
out=$(cd "$out" && pwd)
bdir=$(cd "$bdir" && pwd)

cd "$here"
version=${EIMZA_DEB_VERSION:-$(sed -n 's/^project(eimza VERSION \([0-9][0-9.]*\).*/\1/p' CMakeLists.txt)}
[ -n "$version" ] || { echo "build-deb: no version in CMakeLists.txt" >&2; exit 1; }
arch=$(dpkg --print-architecture)
maintainer=${EIMZA_DEB_MAINTAINER:-eimza maintainers <eimza-maintainers@example.org>}
export SOURCE_DATE_EPOCH=${SOURCE_DATE_EPOCH:-$(git log -1 --format=%ct 2>/dev/null || date +%s)}
pico=node_modules/@picocss/pico
if [ ! -f "$pico/css/pico.classless.min.css" ]; then
  echo "build-deb: $pico is missing: run 'make deps' first" >&2
  exit 1
fi

# ---- 1. the release build ----------------------------------------------------------------
export DEB_BUILD_MAINT_OPTIONS=hardening=+all
cflags="$(dpkg-buildflags --get CPPFLAGS) $(dpkg-buildflags --get CFLAGS)"
ldflags=$(dpkg-buildflags --get LDFLAGS)
echo "build-deb: release build in $bdir"
cmake -S "$here" -B "$bdir" -DCMAKE_BUILD_TYPE=RelWithDebInfo -DCMAKE_C_FLAGS="$cflags" \
  -DCMAKE_EXE_LINKER_FLAGS="$ldflags" >/dev/null
cmake --build "$bdir" -j"$jobs" --target eimza >/dev/null

# ---- 2. the staging tree -----------------------------------------------------------------
work=$(mktemp -d "${TMPDIR:-/tmp}/eimza-deb.XXXXXX")
trap 'rm -rf "$work"' EXIT
stage=$work/stage
DESTDIR=$stage cmake --install "$bdir" --prefix /usr >/dev/null
strip --strip-unneeded --remove-section=.comment --remove-section=.note "$stage/usr/bin/eimza"
if [ -n "$portal" ]; then
  sed -i "s|^origin = .*|origin = $portal|" "$stage/etc/eimza/agent.conf"
  grep -qx "origin = $portal" "$stage/etc/eimza/agent.conf" ||
    { echo "build-deb: agent.conf has no origin line to set" >&2; exit 1; }
fi

# ---- 3. the packages' trees ----------------------------------------------------------------
# take PACKAGE PATH...: moves staged paths (files or whole folders) into PACKAGE's tree.
take() {
  local pkg=$1 p
  shift
  for p in "$@"; do
    [ -e "$stage/$p" ] || { echo "build-deb: $p was not installed" >&2; exit 1; }
    mkdir -p "$work/$pkg/$(dirname "$p")"
    mv "$stage/$p" "$work/$pkg/$p"
  done
}
take eimza-common usr/bin/eimza usr/share/man/man1/eimza.1
take eimza usr/share/eimza etc/eimza/eimza.conf etc/eimza/secrets.conf \
  usr/lib/systemd/system/eimza.service usr/lib/systemd/system/eimza@.service \
  usr/lib/sysusers.d/eimza.conf \
  usr/share/man/man5/eimza.conf.5 usr/share/doc/eimza/trust-anchors.md
take eimza-agent etc/eimza/agent.conf usr/lib/systemd/user/eimza-agent.service \
  usr/share/applications/eimza-agent.desktop usr/share/man/man1/eimza-agent.1
left=$(find "$stage" -type f -o -type l)
if [ -n "$left" ]; then
  echo "build-deb: installed but in no package (add them to scripts/build-deb.sh):" >&2
  echo "$left" | sed "s|^$stage|  |" >&2
  exit 1
fi

date_r=$(date -u -R -d "@$SOURCE_DATE_EPOCH")
commit=$(git rev-parse --short HEAD 2>/dev/null || echo unknown)
shlibs=$work/shlibs
mkdir -p "$shlibs/debian"
printf 'Source: eimza\n\nPackage: eimza-common\nArchitecture: any\n' >"$shlibs/debian/control"
common_depends=$(cd "$shlibs" && dpkg-shlibdeps -O -e"$work/eimza-common/usr/bin/eimza" 2>/dev/null |
  sed -n 's/^shlibs:Depends=//p')
[ -n "$common_depends" ] || { echo "build-deb: dpkg-shlibdeps found no dependencies" >&2; exit 1; }

# The fields that differ between the packages.
declare -A section depends recommends suggests summary long
section[eimza-common]=misc
depends[eimza-common]=$common_depends
summary[eimza-common]="e-signature certificate renewal portal - program"
long[eimza-common]="The eimza program: the web server of the renewal portal, its command-line
tools (database migrations, imports of the personnel records and of certificates, staff
accounts, the audit log's check, notifications) and the card-side signer and local signing
agent. Install eimza for a server, eimza-agent on the applicants' computers."
section[eimza]=web
depends[eimza]="eimza-common (= $version), adduser, fonts-dejavu-core"
summary[eimza]="e-signature certificate renewal portal - server"
long[eimza]="eimza runs the renewal of qualified e-signature (e-imza) smart-card certificates
for public-sector staff: it warns holders before their certificate expires, takes the
renewal application on a web portal signed with their current card or on paper, lets the
provincial approvers decide it against the personnel records and follows the new card until
its certificate is in use. This package runs it as the systemd service eimza.service, as
the system user eimza, with its settings in /etc/eimza and its SQLite database (or a
PostgreSQL server) in /var/lib/eimza."
section[eimza-agent]=utils
depends[eimza-agent]="eimza-common (= $version), desktop-file-utils, pinentry-gnome3 | pinentry"
recommends[eimza-agent]="xdg-utils, pcscd"
suggests[eimza-agent]="opensc-pkcs11"
summary[eimza-agent]="e-signature certificate renewal portal - signing agent"
long[eimza-agent]="The local signing agent of the eimza renewal portal, for the applicants'
computers: it signs the renewal application with the e-signature smart card through the
card's PKCS#11 library and asks the PIN itself. It runs as a systemd user service in the
graphical session (the loopback listener the signing page calls) and handles eimza:// links
from the browser."

for pkg in eimza-common eimza eimza-agent; do
  root=$work/$pkg
  doc=$root/usr/share/doc/$pkg
  mkdir -p "$doc" "$root/DEBIAN"
  cp packaging/debian/copyright "$doc/copyright"
  if [ "$pkg" = eimza ]; then
    cat packaging/debian/copyright.eimza >>"$doc/copyright"
    # the library's own licence text, as its licence asks
    sed -n '/^Permission/,$p' "$pico/LICENSE.md" | sed 's/^$/./; s/^/ /' >>"$doc/copyright"
  fi
  printf '%s (%s) unstable; urgency=medium\n\n  * Built from commit %s by scripts/build-deb.sh.\n\n -- %s  %s\n' \
    "$pkg" "$version" "$commit" "$maintainer" "$date_r" | gzip -9n >"$doc/changelog.gz"
  find "$root/usr/share/man" -type f -name '*.[0-9]' -exec gzip -9n {} + 2>/dev/null || true
  if [ -f "packaging/debian/$pkg.lintian-overrides" ]; then
    install -D -m 0644 "packaging/debian/$pkg.lintian-overrides" \
      "$root/usr/share/lintian/overrides/$pkg"
  fi
  for s in postinst prerm postrm; do
    [ -f "packaging/debian/$pkg.$s" ] && install -m 0755 "packaging/debian/$pkg.$s" "$root/DEBIAN/$s"
  done
  if [ -d "$root/etc" ]; then
    (cd "$root" && find etc -type f | sort | sed 's|^|/|') >"$root/DEBIAN/conffiles"
  fi
  # ownership comes from --root-owner-group; modes: 0755 folders and programs, 0644 the rest,
  # 0640 for the secrets (its group is set by the postinst)
  find "$root" -type d -exec chmod 0755 {} +
  find "$root" -type f ! -path "*/DEBIAN/*" -exec chmod 0644 {} +
  [ -f "$root/usr/bin/eimza" ] && chmod 0755 "$root/usr/bin/eimza"
  [ -f "$root/etc/eimza/secrets.conf" ] && chmod 0640 "$root/etc/eimza/secrets.conf"
  (cd "$root" && find . -type f ! -path './DEBIAN/*' -printf '%P\0' | sort -z | xargs -0r md5sum) \
    >"$root/DEBIAN/md5sums"
  size=$(du -sk --exclude=DEBIAN "$root" | cut -f1)
  {
    echo "Package: $pkg"
    echo "Version: $version"
    echo "Architecture: $arch"
    echo "Maintainer: $maintainer"
    echo "Installed-Size: $size"
    echo "Depends: ${depends[$pkg]}"
    [ -n "${recommends[$pkg]:-}" ] && echo "Recommends: ${recommends[$pkg]}"
    [ -n "${suggests[$pkg]:-}" ] && echo "Suggests: ${suggests[$pkg]}"
    echo "Section: ${section[$pkg]}"
    echo "Priority: optional"
    echo "Description: ${summary[$pkg]}"
    echo "${long[$pkg]}" | tr '\n' ' ' | fmt -w 78 | sed 's/^/ /'
  } >"$root/DEBIAN/control"
  find "$root" -newermt "@$SOURCE_DATE_EPOCH" -exec touch -h -d "@$SOURCE_DATE_EPOCH" {} +
  deb=$out/${pkg}_${version}_${arch}.deb
  dpkg-deb --root-owner-group -Zxz --build "$root" "$deb" >/dev/null
  echo "build-deb: $deb"
done
