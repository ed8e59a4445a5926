#!/usr/bin/env bash
# eimza — `make crash`: the long crash runs (make test runs short ones). Under
# scripts/with-postgres.sh (the Makefile does it), with the sanitizer build:
#   1. `eimza serve` killed CRASH_KILLS times (default 100) on SQLite, then on PostgreSQL;
#   2. on a PostgreSQL server of the test's own with production durability settings, killed
#      CRASH_PG_KILLS times (default 50) with PostgreSQL crashed too at about half of them;
#   3. CRASH_CUTS power cuts under SQLite (default 1000);
#   4. every fault demonstration, each of which must be caught: answering before the commit
#      (both databases), SQLite's synchronous=OFF and =NORMAL under power loss, PostgreSQL's
#      synchronous_commit=off under its crashes.
# Prints each run's own lines and a summary; exit 1 when any run fails.
set -uo pipefail
cd "$(dirname "$0")/../.." || exit 1
export EIMZA_SOURCE_DIR=$PWD
export EIMZA_BIN=${EIMZA_BIN:-$PWD/build-asan/eimza}
SHIM=${EIMZA_CRASH_SHIM:-$PWD/build-asan/libcrash_late_commit.so}
POWERLOSS=${POWERLOSS:-$PWD/build-asan/crash-powerloss}
KILLS=${CRASH_KILLS:-100}
PG_KILLS=${CRASH_PG_KILLS:-50}
CUTS=${CRASH_CUTS:-1000}
results=()
rc=0
run() { # NAME ENV... -- CMD...
  local name=$1 envs=() t0
  shift
  while [ "$1" != -- ]; do envs+=("$1"); shift; done
  shift
  t0=$(date +%s)
  echo "== $name"
  env "${envs[@]}" "$@" 2>&1 | tee "/tmp/eimza-crash-$$.log" | grep -E '^(kill|powerloss|ok|not ok|FAIL)'
  local st=${PIPESTATUS[0]}
  local line
  line=$(grep -E '^kill: [0-9]+ kills|^powerloss: [0-9]+ power cuts' "/tmp/eimza-crash-$$.log" | tail -1)
  results+=("$([ "$st" = 0 ] && echo ok || echo FAILED) $name ($(($(date +%s) - t0)) s): ${line#*: }")
  if [ "$st" != 0 ]; then # the whole output of a failed run is kept (the next run reuses the file)
    cp "/tmp/eimza-crash-$$.log" "/tmp/eimza-crash-$$-${#results[@]}.log"
    echo "   its whole output: /tmp/eimza-crash-$$-${#results[@]}.log"
    rc=1
  fi
}
run "kills, SQLite" EIMZA_TEST_BACKEND=sqlite EIMZA_CRASH_KILLS="$KILLS" -- bash tests/crash/kill.sh
run "kills, PostgreSQL" EIMZA_TEST_BACKEND=postgresql EIMZA_CRASH_KILLS="$KILLS" -- bash tests/crash/kill.sh
run "kills with PostgreSQL crashes" EIMZA_TEST_BACKEND=postgresql EIMZA_CRASH_PG=own \
  EIMZA_CRASH_KILLS="$PG_KILLS" -- bash tests/crash/kill.sh
run "power cuts, SQLite" -- "$POWERLOSS" --cuts "$CUTS"
run "fault: answer before commit, SQLite" EIMZA_TEST_BACKEND=sqlite EIMZA_CRASH_FAULT=1 \
  EIMZA_CRASH_SHIM="$SHIM" -- bash tests/crash/kill.sh
run "fault: answer before commit, PostgreSQL" EIMZA_TEST_BACKEND=postgresql EIMZA_CRASH_FAULT=1 \
  EIMZA_CRASH_SHIM="$SHIM" -- bash tests/crash/kill.sh
run "fault: synchronous_commit=off, PostgreSQL crashes" EIMZA_TEST_BACKEND=postgresql \
  EIMZA_CRASH_PG=own EIMZA_CRASH_PG_SYNC=off EIMZA_CRASH_KILLS=30 -- bash tests/crash/kill.sh
run "fault: SQLite synchronous=OFF, power cuts" -- "$POWERLOSS" --cuts 200 --sync off --expect-loss
run "fault: SQLite synchronous=NORMAL, power cuts" -- "$POWERLOSS" --cuts 200 --sync normal --expect-loss
rm -f "/tmp/eimza-crash-$$.log"
echo "== summary"
printf '  %s\n' "${results[@]}"
exit $rc
