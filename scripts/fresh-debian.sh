#!/usr/bin/env bash
# eimza — the newcomer's experience, reproduced: a fresh Debian 12 (debootstrap minbase with
# only git, make and ca-certificates added), a clean clone of this repository's HEAD in it,
# and `make test` (or the command given) run there as root. Slow (a Debian system and every
# dependency are installed from the mirror), so it is not part of `make test`; run it before
# adding a tool to the scripts, or when `make test` passes here but not elsewhere.
#   scripts/fresh-debian.sh [DIR] [-- COMMAND...]     DIR defaults to /tmp/eimza-fresh
# Needs root (debootstrap, chroot, mounts). The chroot is left in DIR for a look afterwards.
set -euo pipefail
here=$(cd "$(dirname "$0")/.." && pwd)
root=${1:-/tmp/eimza-fresh}
shift $(($# > 0 ? 1 : 0))
[ "${1:-}" = -- ] && shift
cmd=("$@")
[ ${#cmd[@]} -gt 0 ] || cmd=(make test)
mirror=${DEBIAN_MIRROR:-http://deb.debian.org/debian}

[ "$(id -u)" -eq 0 ] || { echo "fresh-debian: run as root" >&2; exit 1; }
if [ ! -x "$root/usr/bin/git" ]; then
  rm -rf "$root"
  debootstrap --variant=minbase --include=git,make,ca-certificates bookworm "$root" "$mirror"
  cat >"$root/etc/apt/sources.list" <<EOF
deb $mirror bookworm main
deb $mirror bookworm-updates main
deb http://deb.debian.org/debian-security bookworm-security main
EOF
fi

mounts=()
cleanup() {
  for ((i = ${#mounts[@]} - 1; i >= 0; i--)); do umount -l "${mounts[$i]}" 2>/dev/null || true; done
}
trap cleanup EXIT
for m in proc sys dev dev/pts dev/shm; do
  mkdir -p "$root/$m"
  case $m in
    proc) mount -t proc proc "$root/proc" ;;
    sys) mount -t sysfs sys "$root/sys" ;;
    dev/shm) mount -t tmpfs shm "$root/dev/shm" ;;
    *) mount --bind "/$m" "$root/$m" ;;
  esac
  mounts+=("$root/$m")
done
cp /etc/resolv.conf "$root/etc/resolv.conf"
# Behind a network whose egress goes through an inspecting proxy with its own CA, the host
# trusts that CA as a local certificate; the chroot must too (apt, npm, curl).
if ls /usr/local/share/ca-certificates/*.crt >/dev/null 2>&1; then
  mkdir -p "$root/usr/local/share/ca-certificates"
  cp /usr/local/share/ca-certificates/*.crt "$root/usr/local/share/ca-certificates/"
  chroot "$root" update-ca-certificates >/dev/null 2>&1 || true
fi

rm -rf "$root/root/eimza"
git clone -q "$here" "$root/root/eimza"
echo "fresh-debian: running '${cmd[*]}' in a clean clone on a fresh Debian 12 ($root)"
chroot "$root" /usr/bin/env -i HOME=/root PATH=/usr/sbin:/usr/bin:/sbin:/bin LANG=C.UTF-8 \
  NODE_EXTRA_CA_CERTS=/etc/ssl/certs/ca-certificates.crt \
  bash -c 'cd /root/eimza && "$@"' bash "${cmd[@]}"
