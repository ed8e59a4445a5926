#!/usr/bin/env bash
# eimza — runs every benchmark under bench/ (each bench/*.sh but this one), one after the
# other, and prints their result lines. Benchmarks report figures; they are not tests, so a
# missed target is printed, not failed. `make bench` calls this after a release build (build/).
#   BUILD=DIR   the build directory to measure (default build/, RelWithDebInfo)
set -uo pipefail
cd "$(dirname "$0")/.."
rc=0
for b in bench/*.sh; do
  [ "$(basename "$b")" = run.sh ] && continue
  echo "== $b"
  bash "$b" || { echo "$b: failed to run (status $?)"; rc=1; }
done
exit $rc
