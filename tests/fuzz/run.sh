#!/usr/bin/env bash
# eimza — runs libFuzzer drivers (tests/fuzz/fuzz_<name>.c, built by a -DEIMZA_FUZZ=ON tree)
# on their seed corpus (tests/fuzz/corpus/<name>/, only read) and dictionary
# (tests/fuzz/<name>.dict) for a while, and says per driver how long it ran and whether it
# found anything. Exit status 1 when a driver found a crash, a sanitizer report, a leak or
# a timeout; the input is kept as WORK/artifacts/<name>/crash-... (and shown).
#
#   run.sh BUILD SECONDS WORK NAME...
#     BUILD    the fuzz build directory (holds fuzz_<name>)
#     SECONDS  the time each driver runs after replaying its corpus
#     WORK     where new inputs (WORK/corpus/<name>/) and findings go; kept between runs so
#              that long runs build on each other; "" for a temporary directory removed
#              after a clean run (what ctest uses)
#
# Every seed in the corpus, the regression inputs among them (regress-*: inputs that once
# crashed a driver), is run first, so a short run replays them all.
set -uo pipefail
here=$(cd "$(dirname "$0")" && pwd)
[ $# -ge 4 ] || { echo "usage: run.sh BUILD SECONDS WORK NAME..." >&2; exit 2; }
build=$1 secs=$2 work=$3
shift 3
tmp=
if [ -z "$work" ]; then
  tmp=$(mktemp -d /tmp/eimza-fuzz.XXXXXX)
  work=$tmp
fi
export ASAN_OPTIONS=${ASAN_OPTIONS:-detect_leaks=1:abort_on_error=1:allocator_may_return_null=1}
export UBSAN_OPTIONS=${UBSAN_OPTIONS:-print_stacktrace=1:halt_on_error=1}

rc=0
for name in "$@"; do
  bin=$build/fuzz_$name
  [ -x "$bin" ] || { echo "fuzz_$name: not built ($bin)"; rc=1; continue; }
  corpus=$work/corpus/$name artifacts=$work/artifacts/$name
  mkdir -p "$corpus" "$artifacts"
  opts=(-max_total_time="$secs" -timeout=10 -rss_limit_mb=2048 -print_final_stats=1
        -artifact_prefix="$artifacts/")
  [ -f "$here/$name.dict" ] && opts+=(-dict="$here/$name.dict")
  case $name in
    csv) opts+=(-max_len=70000) ;; # a record past the reader's 64 KiB limit
    cms) opts+=(-max_len=16384) ;;
    *) opts+=(-max_len=8192) ;;
  esac
  log=$work/fuzz_$name.log
  TIMEFORMAT='%U %S'
  cpu=$( { time "$bin" "${opts[@]}" "$corpus" "$here/corpus/$name" >"$log" 2>&1; } 2>&1 )
  status=$?
  cpu=$(awk '{ printf "%.0f", $1 + $2 }' <<<"$cpu")
  runs=$(awk '/stat::number_of_executed_units/ { print $NF }' "$log")
  if [ $status -eq 0 ]; then
    echo "fuzz_$name: ${secs} s, ${cpu} s CPU, ${runs:-?} inputs, no finding"
  else
    rc=1
    echo "fuzz_$name: FINDING (exit $status) after ${cpu} s CPU; input(s) in $artifacts/:"
    ls "$artifacts" | sed 's/^/  /'
    grep -E 'ERROR|SUMMARY|runtime error|deadly signal|Test unit written' "$log" | head -20 |
      sed 's/^/  /'
  fi
done
if [ -n "$tmp" ]; then
  if [ $rc -eq 0 ]; then rm -rf "$tmp"; else echo "fuzz: kept $tmp for inspection"; fi
fi
exit $rc
