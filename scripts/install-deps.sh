#!/usr/bin/env bash
# Installs the Debian packages listed in scripts/deps.txt that are missing.
# Idempotent; prints nothing when everything is already there. Waits for a dpkg lock another
# apt run holds (two builds installing at once) instead of failing.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
list="$here/deps.txt"

want=$(sed -e 's/#.*//' -e 's/[[:space:]]//g' "$list" | grep -v '^$')
missing=()
for p in $want; do
  status=$(dpkg-query -W -f='${Status}' "$p" 2>/dev/null || true)
  [ "$status" = "install ok installed" ] || missing+=("$p")
done
[ ${#missing[@]} -eq 0 ] && exit 0

if [ "$(id -u)" -ne 0 ]; then
  echo "eimza: these Debian packages are missing: ${missing[*]}" >&2
  echo "eimza: run 'make' as root (or: sudo apt-get install ${missing[*]})" >&2
  exit 1
fi
echo "eimza: installing ${#missing[@]} Debian package(s): ${missing[*]}"
export DEBIAN_FRONTEND=noninteractive
# Refresh the package lists when they are missing or older than a day.
if [ -z "$(find /var/lib/apt/lists -maxdepth 1 -name '*Packages*' -mtime -1 2>/dev/null | head -1)" ]; then
  apt-get -o DPkg::Lock::Timeout=900 update -qq
fi
apt-get -o DPkg::Lock::Timeout=900 install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
