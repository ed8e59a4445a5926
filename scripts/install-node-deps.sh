#!/usr/bin/env bash
# Installs the npm packages of package.json into node_modules/ (the portal's CSS library,
# served at /static/vendor/, playwright-core and axe-core for the end-to-end tests), exactly as
# package-lock.json pins them (npm ci). Idempotent; prints nothing when node_modules/ is
# already what the lock file asks for.
#
# Needs Node.js and npm. Debian 12's nodejs comes from scripts/deps.txt; npm is installed
# here, and only when no npm command exists: Node.js builds that bring their own npm (such
# as NodeSource's) conflict with Debian's npm package.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
cd "$root"

if ! command -v npm >/dev/null 2>&1; then
  if [ "$(id -u)" -ne 0 ]; then
    echo "eimza: npm is missing; run 'make' as root (or: sudo apt-get install npm)" >&2
    exit 1
  fi
  echo "eimza: installing Debian's npm"
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends npm >/dev/null
fi

# npm keeps a copy of what it installed in node_modules/.package-lock.json; when that is
# newer than both package files and the files we serve are there, nothing is to be done.
stamp=node_modules/.package-lock.json
if [ -f "$stamp" ] && [ "$stamp" -nt package.json ] && [ "$stamp" -nt package-lock.json ] &&
   [ -f node_modules/@picocss/pico/css/pico.classless.min.css ] &&
   [ -f node_modules/playwright-core/package.json ] &&
   [ -f node_modules/axe-core/axe.min.js ]; then
  exit 0
fi

log=$(mktemp)
trap 'rm -f "$log"' EXIT
if [ -f package-lock.json ]; then
  echo "eimza: installing npm packages (npm ci)"
  npm ci --no-audit --no-fund --loglevel=error >"$log" 2>&1 || { cat "$log" >&2; exit 1; }
else
  echo "eimza: installing npm packages (npm install; writes package-lock.json)"
  npm install --no-audit --no-fund --loglevel=error >"$log" 2>&1 || { cat "$log" >&2; exit 1; }
fi
# npm ci leaves the files it unpacked with their old dates: mark the install as done now
touch "$stamp"
